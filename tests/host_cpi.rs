//! A host protocol's PDA as a market's operator, writing Backstop's exposure
//! ledger by CPI (the program built with its `cpi` feature).

use anchor_lang::{InstructionData, ToAccountMetas};
use backstop_test_host as host;
use backstop_tests::*;

/// The host's deposit: it records the lender by CPI.
fn host_deposit_ix(
    market: Pubkey,
    record: Pubkey,
    payer: Pubkey,
    data: impl InstructionData,
) -> Instruction {
    Instruction {
        program_id: host::ID,
        accounts: host::accounts::HostCall {
            operator: host::operator(),
            payer,
            protocol: pda::protocol(),
            market,
            record,
            system_program: anchor_lang::system_program::ID,
            backstop_program: PROGRAM_ID,
        }
        .to_account_metas(None),
        data: data.data(),
    }
}

/// The host's default: it records the bankruptcy by CPI, with the pool.
fn host_record_ix(
    market: Pubkey,
    mint: Pubkey,
    record: Pubkey,
    payer: Pubkey,
    data: impl InstructionData,
) -> Instruction {
    Instruction {
        program_id: host::ID,
        accounts: host::accounts::HostRecord {
            operator: host::operator(),
            payer,
            protocol: pda::protocol(),
            market,
            record,
            pool: pda::pool(&mint),
            system_program: anchor_lang::system_program::ID,
            backstop_program: PROGRAM_ID,
        }
        .to_account_metas(None),
        data: data.data(),
    }
}

#[tokio::test]
async fn host_pda_records_deposits_and_bankruptcies_by_cpi() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 10_000_000).await;
    ok(w.try_stake(&alice, 10_000_000).await);

    // Governance lists a lending market whose operator is the host's PDA.
    let index = w.protocol().await.market_count;
    let settlement = w.settlement_account(mint).await;
    let args = CreateMarketArgs {
        index,
        kind: MarketKind::Lending,
        operator: host::operator(),
        cap: 4_000_000,
        isolated: false,
        isolated_share_bps: 0,
        exposure_mode: ExposureMode::Accounts,
    };
    let payer = w.bank.payer_pubkey();
    ok(w.admin_send(ix::create_market(
        w.admin.pubkey(),
        payer,
        mint,
        settlement,
        w.operator.pubkey(),
        args,
    ))
    .await);
    let market = pda::market(index);

    // The host lends for two users; its PDA signs the CPI with its seeds.
    let keeper = w.keeper.insecure_clone();
    let (carol, dan) = (Pubkey::new_unique(), Pubkey::new_unique());
    for (owner, amount) in [(carol, 30_000_000u64), (dan, 10_000_000)] {
        let i = host_deposit_ix(
            market,
            pda::lender(&market, &owner),
            keeper.pubkey(),
            host::instruction::Lend { owner, amount },
        );
        let done = ok(w.send(&[i], &[&keeper]).await);
        hold_host_budget(&w.bank, "host lend → record_deposit by CPI", &done);
        // host → Backstop → system program (the lender record's creation)
        let depth = done
            .logs
            .iter()
            .filter_map(|l| l.split("invoke [").nth(1))
            .filter_map(|rest| rest.trim_end_matches(']').parse::<usize>().ok())
            .max();
        assert_eq!(depth, Some(3));
    }
    assert_eq!(w.lender_balance(index, carol).await, 30_000_000);
    assert_eq!(w.market(index).await.total_scaled, 40_000_000);

    // Nobody else can write the market: not the old operator, not a stranger.
    let stranger = w.new_keypair().await;
    let direct = ix::record_deposit(stranger.pubkey(), stranger.pubkey(), index, carol, 1);
    expect_err(
        w.send(&[direct], &[&stranger]).await,
        BackstopError::NotOperator,
    );

    // The host records a default; any keeper resolves it: 4,000,000 from the
    // fund (the cap), 6,000,000 socialised over 40,000,000 of deposits:
    // I = 10¹⁸ − ⌈10¹⁸·6/40⌉ = 850,000,000,000,000,000.
    let debtor = Pubkey::new_unique();
    let i = host_record_ix(
        market,
        mint,
        pda::bankruptcy(&market, &debtor),
        keeper.pubkey(),
        host::instruction::RecordDefault {
            debtor,
            deficit: 10_000_000,
        },
    );
    let done = ok(w.send(&[i], &[&keeper]).await);
    hold_host_budget(
        &w.bank,
        "host record_default → record_bankruptcy by CPI",
        &done,
    );
    let m = MarketFixture {
        index,
        mint,
        kind: MarketKind::Lending,
        isolated: false,
        settlement,
        key: market,
    };
    ok(w.try_resolve(&m, debtor).await);
    let after = w.market(index).await;
    assert_eq!(after.insurance_used, 4_000_000);
    assert_eq!(after.socialised, 6_000_000);
    assert_eq!(after.deposit_index, 850_000_000_000_000_000);
    assert_eq!(w.lender_balance(index, carol).await, 25_500_000);
    assert_eq!(w.lender_balance(index, dan).await, 8_500_000);
    assert_eq!(w.balance(settlement).await, 4_000_000);
    assert_eq!(w.assets_and_shares(mint).await, (6_000_000, 10_000_000));
}
