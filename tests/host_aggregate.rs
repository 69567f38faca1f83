//! A host in `aggregate` mode (issue 9): it keeps its own ledger, and in one
//! instruction liquidates, records the bankruptcy with its total exposure,
//! resolves it by CPI and applies the published index change to its users.
//! Also the footprint of a deposit in each mode, and the CPI depth each uses.

use anchor_lang::{AccountDeserialize, InstructionData, ToAccountMetas};
use backstop_test_host as host;
use backstop_test_host::aggregate::{ACCOUNT_SEED, BOOK_SEED, Book, HostAccount};
use backstop_tests::*;
use solana_transaction::Transaction;

fn book_of(market: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[BOOK_SEED, market.as_ref()], &host::ID).0
}

fn account_of(book: &Pubkey, owner: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[ACCOUNT_SEED, book.as_ref(), owner.as_ref()], &host::ID).0
}

fn host_ix(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: host::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

/// A market operated by the host's PDA, in aggregate mode, and its book.
async fn host_market(w: &mut World, mint: Pubkey, kind: MarketKind, cap: u64) -> MarketFixture {
    let index = w.protocol().await.market_count;
    let settlement = w.settlement_account(mint).await;
    let args = CreateMarketArgs {
        index,
        kind,
        operator: host::operator(),
        cap,
        isolated: false,
        isolated_share_bps: 0,
        exposure_mode: ExposureMode::Aggregate,
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
    let open = host_ix(
        host::accounts::OpenBook {
            payer,
            market,
            book: book_of(&market),
            system_program: anchor_lang::system_program::ID,
        },
        host::instruction::OpenBook {},
    );
    ok(w.send(&[open], &[]).await);
    MarketFixture {
        index,
        mint,
        kind,
        isolated: false,
        settlement,
        key: market,
    }
}

fn user_ix(
    market: &Pubkey,
    payer: Pubkey,
    owner: Pubkey,
    data: impl InstructionData,
) -> Instruction {
    let book = book_of(market);
    host_ix(
        host::accounts::HostUserAction {
            payer,
            book,
            user: account_of(&book, &owner),
            system_program: anchor_lang::system_program::ID,
        },
        data,
    )
}

fn liquidate_ix(
    w: &World,
    m: &MarketFixture,
    debtor: Pubkey,
    data: impl InstructionData,
) -> Instruction {
    let keys = PoolKeys::new(w.asset(m.mint));
    let book = book_of(&m.key);
    host_ix(
        host::accounts::LiquidateAndResolve {
            operator: host::operator(),
            payer: w.bank.payer_pubkey(),
            book,
            debtor: account_of(&book, &debtor),
            protocol: pda::protocol(),
            market: m.key,
            record: pda::bankruptcy(&m.key, &debtor),
            pool: keys.pool,
            vault: keys.vault,
            revenue: keys.revenue,
            settlement: m.settlement,
            mint: keys.mint,
            token_program: keys.token_program,
            system_program: anchor_lang::system_program::ID,
            backstop_program: PROGRAM_ID,
        },
        data,
    )
}

async fn read<T: AccountDeserialize>(w: &mut World, key: Pubkey) -> T {
    let data = w.bank.account(key).await.expect("host account").data;
    T::try_deserialize(&mut &data[..]).expect("decodes")
}

/// The deepest `invoke [n]` in a transaction's logs.
fn cpi_depth(logs: &[String]) -> usize {
    logs.iter()
        .filter_map(|l| l.split("invoke [").nth(1))
        .filter_map(|rest| rest.trim_end_matches(']').parse().ok())
        .max()
        .unwrap_or(0)
}

#[tokio::test]
async fn a_lending_host_liquidates_records_resolves_and_haircuts_in_one_instruction() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 10_000_000).await;
    ok(w.try_stake(&alice, 10_000_000).await);
    let m = host_market(&mut w, mint, MarketKind::Lending, 4_000_000).await;
    let payer = w.bank.payer_pubkey();
    let (carol, dan, eve) = (
        Pubkey::new_unique(),
        Pubkey::new_unique(),
        Pubkey::new_unique(),
    );
    for (owner, amount) in [(carol, 30_000_000u64), (dan, 10_000_001)] {
        let data = host::instruction::HostDeposit {
            _owner: owner,
            amount,
        };
        ok(w.send(&[user_ix(&m.key, payer, owner, data)], &[]).await);
    }
    // eve owes 12,000,000 against 2,000,000 of collateral: 10,000,000 of bad debt
    let data = host::instruction::HostBorrow {
        _owner: eve,
        debt: 12_000_000,
        collateral: 2_000_000,
    };
    ok(w.send(&[user_ix(&m.key, payer, eve, data)], &[]).await);

    let i = liquidate_ix(
        &w,
        &m,
        eve,
        host::instruction::LiquidateBorrower { debtor_key: eve },
    );
    let done = ok(w.send(&[i], &[]).await);
    hold_host_budget(
        &w.bank,
        "host liquidate_borrower → record_bankruptcy and resolve_bankruptcy by CPI",
        &done,
    );
    // host → Backstop → token program
    assert_eq!(cpi_depth(&done.logs), 3);

    // The fund paid its cap; 6,000,000 was socialised over the 40,000,001
    // the host reported: I = 10¹⁸ − ⌈10¹⁸·6,000,000 / 40,000,001⌉
    let market = w.market(m.index).await;
    assert_eq!(market.insurance_used, 4_000_000);
    assert_eq!(market.socialised, 6_000_000);
    let drop = (E18 * 6_000_000).div_ceil(40_000_001);
    assert_eq!(market.deposit_index, E18 - drop);
    assert_eq!(w.balance(m.settlement).await, 4_000_000);
    assert_eq!(w.assets_and_shares(mint).await, (6_000_000, 10_000_000));
    assert!(w.bankruptcy(m.index, eve).await.is_none());

    // The host applied I_after / I_before to its lenders.
    let book: Book = read(&mut w, book_of(&m.key)).await;
    assert_eq!(book.supply_index, market.deposit_index);
    let balance = |scaled: u128| scaled * book.supply_index / E18;
    let carol_balance = balance(
        read::<HostAccount>(&mut w, account_of(&book_of(&m.key), &carol))
            .await
            .scaled,
    );
    let dan_balance = balance(
        read::<HostAccount>(&mut w, account_of(&book_of(&m.key), &dan))
            .await
            .scaled,
    );
    let total = carol_balance + dan_balance;
    // Lenders bear at least the socialised loss, and at most a unit per
    // lender more (the rounding favours the fund).
    assert!(total <= 40_000_001 - 6_000_000, "{total}");
    assert!(total + 2 >= 40_000_001 - 6_000_000, "{total}");
    let debtor: HostAccount = read(&mut w, account_of(&book_of(&m.key), &eve)).await;
    assert_eq!((debtor.debt, debtor.collateral), (0, 0));
}

#[tokio::test]
async fn a_perp_host_applies_the_loss_index_change_to_its_positions() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 10_000_000).await;
    ok(w.try_stake(&alice, 10_000_000).await);
    let m = host_market(&mut w, mint, MarketKind::Perp, 2_000_000).await;
    let payer = w.bank.payer_pubkey();
    let (long, short, loser) = (
        Pubkey::new_unique(),
        Pubkey::new_unique(),
        Pubkey::new_unique(),
    );
    for (owner, base) in [(long, 1_500_000i64), (short, -500_000), (loser, 1_000_000)] {
        let data = host::instruction::HostPosition {
            _owner: owner,
            base,
        };
        ok(w.send(&[user_ix(&m.key, payer, owner, data)], &[]).await);
    }
    let i = liquidate_ix(
        &w,
        &m,
        loser,
        host::instruction::LiquidatePosition {
            debtor_key: loser,
            deficit: 3_500_000,
        },
    );
    let done = ok(w.send(&[i], &[]).await);
    hold_host_budget(
        &w.bank,
        "host liquidate_position → record_bankruptcy and resolve_bankruptcy by CPI",
        &done,
    );
    // the fund paid 2,000,000; 1,500,000 over the remaining OI of 2,000,000:
    // ΔK = ⌈1,500,000·10¹⁸ / 2,000,000⌉ = 0.75·10¹⁸
    let market = w.market(m.index).await;
    assert_eq!(
        (market.insurance_used, market.socialised),
        (2_000_000, 1_500_000)
    );
    assert_eq!(market.loss_index, 750_000_000_000_000_000);
    let book: Book = read(&mut w, book_of(&m.key)).await;
    assert_eq!(book.loss_index, market.loss_index);
    assert_eq!(book.open_interest, 2_000_000);
    // positions pay when next touched: 1,125,000 + 375,000 ≥ the loss
    let mut owed = 0;
    for (owner, base) in [(long, 1_500_000i64), (short, -500_000)] {
        let data = host::instruction::HostPosition {
            _owner: owner,
            base,
        };
        ok(w.send(&[user_ix(&m.key, payer, owner, data)], &[]).await);
        owed += read::<HostAccount>(&mut w, account_of(&book_of(&m.key), &owner))
            .await
            .owed;
    }
    assert_eq!(owed, 1_500_000);
}

#[tokio::test]
async fn a_deposit_costs_no_backstop_account_or_instruction_in_aggregate_mode() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let payer = w.bank.payer_pubkey();
    let aggregate = host_market(&mut w, mint, MarketKind::Lending, 0).await;
    let owner = Pubkey::new_unique();
    let aggregate_deposit = user_ix(
        &aggregate.key,
        payer,
        owner,
        host::instruction::HostDeposit {
            _owner: owner,
            amount: 1_000,
        },
    );
    // accounts mode: the host's deposit also records the lender by CPI
    let index = w.protocol().await.market_count;
    let settlement = w.settlement_account(mint).await;
    let args = CreateMarketArgs {
        index,
        kind: MarketKind::Lending,
        operator: host::operator(),
        cap: 0,
        isolated: false,
        isolated_share_bps: 0,
        exposure_mode: ExposureMode::Accounts,
    };
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
    let accounts_deposit = host_ix(
        host::accounts::HostCall {
            operator: host::operator(),
            payer,
            protocol: pda::protocol(),
            market,
            record: pda::lender(&market, &owner),
            system_program: anchor_lang::system_program::ID,
            backstop_program: PROGRAM_ID,
        },
        host::instruction::Lend {
            owner,
            amount: 1_000,
        },
    );
    let backstop_keys = [
        pda::protocol(),
        aggregate.key,
        market,
        PROGRAM_ID,
        host::operator(),
    ];
    let touches_backstop = |i: &Instruction| {
        i.accounts
            .iter()
            .filter(|a| {
                backstop_keys.contains(&a.pubkey) || a.pubkey == pda::lender(&market, &owner)
            })
            .count()
    };
    let size = |i: &Instruction| {
        let tx = Transaction::new_with_payer(std::slice::from_ref(i), Some(&payer));
        1 + 64 + tx.message_data().len()
    };
    println!(
        "deposit footprint: aggregate {} accounts ({} Backstop's), {} B, no CPI; accounts mode {} accounts ({} Backstop's), {} B, 1 CPI",
        aggregate_deposit.accounts.len(),
        touches_backstop(&aggregate_deposit),
        size(&aggregate_deposit),
        accounts_deposit.accounts.len(),
        touches_backstop(&accounts_deposit),
        size(&accounts_deposit),
    );
    assert_eq!(touches_backstop(&aggregate_deposit), 0);
    assert_eq!(aggregate_deposit.accounts.len(), 4);
    assert_eq!(touches_backstop(&accounts_deposit), 5);
    assert_eq!(accounts_deposit.accounts.len(), 7);
    assert!(size(&aggregate_deposit) < size(&accounts_deposit));
    // both are real deposits
    ok(w.send(&[aggregate_deposit], &[]).await);
    ok(w.send(&[accounts_deposit], &[]).await);
    assert_eq!(w.lender_balance(index, owner).await, 1_000);
    let book: Book = read(&mut w, book_of(&aggregate.key)).await;
    assert_eq!(book.total_scaled, 1_000);
}
