#![allow(deprecated)] // ProgramTestContext fields are marked "unstable API"

//! Footprint: account sizes (with their 8-byte discriminator) and the wire
//! size of the user transactions built with the client crate.

use anchor_lang::Space;
use backstop_client::types::{
    BANKRUPTCY_ACCOUNT_SIZE, LENDER_ACCOUNT_SIZE, POSITION_ACCOUNT_SIZE, STAKE_ACCOUNT_SIZE,
};
use backstop_tests::*;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_transaction::Transaction;

/// The most a user transaction may take on the wire, in bytes.
const MAX_TX_BYTES: usize = 860;

#[test]
fn account_sizes_with_discriminator() {
    const { assert!(STAKE_ACCOUNT_SIZE <= 136) };
    assert_eq!(STAKE_ACCOUNT_SIZE, 136);
    assert_eq!(8 + Stake::INIT_SPACE, STAKE_ACCOUNT_SIZE);
    assert_eq!(LENDER_ACCOUNT_SIZE, 106);
    assert_eq!(8 + Lender::INIT_SPACE, LENDER_ACCOUNT_SIZE);
    assert_eq!(POSITION_ACCOUNT_SIZE, 122);
    assert_eq!(8 + Position::INIT_SPACE, POSITION_ACCOUNT_SIZE);
    assert_eq!(BANKRUPTCY_ACCOUNT_SIZE, 106);
    assert_eq!(8 + Bankruptcy::INIT_SPACE, BANKRUPTCY_ACCOUNT_SIZE);
    assert_eq!(8 + Pool::INIT_SPACE, 265);
    assert_eq!(8 + Protocol::INIT_SPACE, 313);
    assert_eq!(8 + Market::INIT_SPACE, 449);
    assert_eq!(8 + Payout::INIT_SPACE, 123);
}

/// The accounts created on chain have exactly those sizes.
#[tokio::test]
async fn accounts_on_chain_have_the_declared_sizes() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    let lending = w.lending_market(mint, 0).await;
    let perp = w.perp_market(mint, 0).await;
    let who = Keypair::new().pubkey();
    ok(w.try_record_deposit(&lending, who, 10).await);
    ok(w.try_record_position(&perp, who, 10).await);
    ok(w.try_record_bankruptcy(&perp, who, 10).await);
    let id = w.try_propose_payout(mint, alice.tokens, 1).await.unwrap();
    let pool = pda::pool(&mint);
    let cases = [
        (pda::stake(&pool, &alice.key()), STAKE_ACCOUNT_SIZE),
        (pda::stake(&pool, &w.treasury.pubkey()), STAKE_ACCOUNT_SIZE),
        (pda::lender(&lending.key, &who), LENDER_ACCOUNT_SIZE),
        (pda::position(&perp.key, &who), POSITION_ACCOUNT_SIZE),
        (pda::bankruptcy(&perp.key, &who), BANKRUPTCY_ACCOUNT_SIZE),
        (pool, 265),
        (pda::protocol(), 313),
        (lending.key, 449),
        (pda::payout(&pool, id), 123),
    ];
    for (key, size) in cases {
        let account = w.bank.account(key).await.expect("account exists");
        assert_eq!(account.data.len(), size, "size of {key}");
        assert_eq!(account.owner, PROGRAM_ID);
    }
}

/// Wire size of a transaction: the signature count (short vec), 64 bytes per
/// signature and the serialised message.
fn wire_size(ixs: &[Instruction], payer: &Pubkey) -> usize {
    let tx = Transaction::new_with_payer(ixs, Some(payer));
    let sigs = tx.message.header.num_required_signatures as usize;
    assert_eq!(tx.signatures.len(), sigs);
    let short_vec_len = if sigs < 0x80 { 1 } else { 2 };
    short_vec_len + 64 * sigs + tx.message_data().len()
}

/// The most any transaction may take on the wire.
const MAX_PACKET_BYTES: usize = 1_232;

/// The compute-budget instructions the CLI and the keeper prepend (a limit
/// from simulation and a priority fee).
fn compute_budget() -> Vec<Instruction> {
    vec![
        ComputeBudgetInstruction::set_compute_unit_limit(200_000),
        ComputeBudgetInstruction::set_compute_unit_price(1_000),
    ]
}

/// Every transaction the clients build (CLI, keeper, simulator, deploy.ts
/// and the staking page use these builders or the same accounts), sized on
/// the wire with the priority-fee instructions: user, keeper and operator
/// transactions within 860 B so a host can add its own instructions (a
/// liquidation beside the resolve), governance within the packet.
#[test]
fn every_transaction_fits_its_budget() {
    let k = || Keypair::new().pubkey();
    let (user, mint, treasury, tokens, settlement, debtor) = (k(), k(), k(), k(), k(), k());
    let t22 = Asset::token_2022(mint);
    let market_args = CreateMarketArgs {
        index: 7,
        kind: MarketKind::Perp,
        operator: k(),
        cap: u64::MAX,
        isolated: true,
        isolated_share_bps: 2_000,
        exposure_mode: ExposureMode::Aggregate,
    };
    let update = MarketUpdate {
        operator: Some(k()),
        frozen: Some(true),
    };
    let protocol_update = ProtocolUpdate {
        guardian: Some(k()),
        treasury: Some(k()),
        governance_delay: Some(1),
    };
    let user_side = [
        ("stake", ix::stake(user, t22, treasury, tokens, 1_000_000)),
        (
            "request_unstake",
            ix::request_unstake(user, t22, treasury, 1_000_000),
        ),
        ("cancel_unstake", ix::cancel_unstake(user, mint)),
        ("complete_unstake", ix::complete_unstake(user, t22, tokens)),
        ("close_stake", ix::close_stake(user, mint)),
        ("sweep_revenue", ix::sweep_revenue(user, t22, treasury)),
        ("sync_vault", ix::sync_vault(user, t22)),
        (
            "pay_premium",
            ix::pay_premium(user, tokens, 3, t22, true, 5),
        ),
        ("execute_payout", ix::execute_payout(user, t22, 9, tokens)),
        (
            "resolve_bankruptcy",
            ix::resolve_bankruptcy(user, 3, t22, debtor, settlement, false),
        ),
        (
            "resolve_bankruptcy (isolated)",
            ix::resolve_bankruptcy(user, 3, t22, debtor, settlement, true),
        ),
        (
            "record_deposit",
            ix::record_deposit(user, user, 3, debtor, 5),
        ),
        (
            "record_withdrawal",
            ix::record_withdrawal(user, 3, debtor, 5),
        ),
        (
            "record_position",
            ix::record_position(user, user, 3, debtor, -5),
        ),
        ("clear_owed", ix::clear_owed(user, 3, debtor, 5)),
        (
            "record_bankruptcy",
            ix::record_bankruptcy(user, user, 3, debtor, 5, u128::MAX),
        ),
    ];
    let governance = [
        (
            "initialize_protocol",
            ix::initialize_protocol(
                user,
                InitializeProtocolArgs {
                    admin: k(),
                    guardian: k(),
                    treasury: k(),
                    governance_delay: 1,
                },
            ),
        ),
        (
            "create_pool",
            ix::create_pool(user, user, treasury, t22, PoolParams::default(), true),
        ),
        (
            "set_pool",
            ix::set_pool(user, mint, PoolParamsUpdate::default()),
        ),
        (
            "create_market",
            ix::create_market(user, user, t22, settlement, market_args),
        ),
        ("set_market_cap", ix::set_market_cap(user, 3, 5)),
        (
            "update_market",
            ix::update_market(user, 3, update, Some(settlement)),
        ),
        (
            "cancel_market_change",
            ix::cancel_market_change(user, 3, ChangeField::Cap),
        ),
        (
            "update_protocol",
            ix::update_protocol(user, protocol_update),
        ),
        (
            "cancel_protocol_change",
            ix::cancel_protocol_change(user, ChangeField::Guardian),
        ),
        ("pause", ix::pause(user, pause::ALL)),
        ("unpause", ix::unpause(user, pause::ALL)),
        (
            "propose_payout",
            ix::propose_payout(user, user, mint, 9, tokens, 5),
        ),
        ("cancel_payout", ix::cancel_payout(user, mint, 9)),
        ("propose_admin", ix::propose_admin(user, k())),
        ("accept_admin", ix::accept_admin(user)),
    ];
    println!("| transaction | accounts | bytes (with priority fee) | budget |");
    println!("|---|---:|---:|---:|");
    for (budget, cases) in [
        (MAX_TX_BYTES, &user_side[..]),
        (MAX_PACKET_BYTES, &governance[..]),
    ] {
        for (name, i) in cases {
            let mut ixs = compute_budget();
            ixs.push(i.clone());
            let size = wire_size(&ixs, &user);
            println!("| `{name}` | {} | {size} | {budget} |", i.accounts.len());
            assert!(size <= budget, "{name} is {size} bytes, over {budget}");
            assert!(size > 150, "{name}: {size} bytes is implausibly small");
        }
    }
    // A governance instruction proposed through a multisig travels inside
    // the multisig's own transaction: what the bare instruction's message
    // takes (the vault as payer) leaves the rest of the packet to the wrapper.
    println!("| governance message | bytes | left for the multisig wrapper |");
    println!("|---|---:|---:|");
    for (name, i) in &governance {
        let message = Transaction::new_with_payer(std::slice::from_ref(i), Some(&user))
            .message_data()
            .len();
        println!("| `{name}` | {message} | {} |", MAX_PACKET_BYTES - message);
        assert!(message < MAX_PACKET_BYTES / 2, "{name}: {message} bytes");
    }
}

/// The wire size computed above is what the bank actually accepts: a stake
/// signed by the user alone (as its own fee payer) goes through.
#[tokio::test]
async fn a_user_signed_stake_is_processed() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 1_000).await;
    let i = w.make_stake_ix(&alice, 1_000);
    let size = wire_size(std::slice::from_ref(&i), &alice.key());
    assert!(size <= MAX_TX_BYTES);
    let blockhash = w.bank.ctx.last_blockhash;
    let tx = Transaction::new_signed_with_payer(&[i], Some(&alice.key()), &[&alice.kp], blockhash);
    w.bank
        .ctx
        .banks_client
        .process_transaction(tx)
        .await
        .expect("stake processed");
    assert_eq!(w.assets_and_shares(mint).await, (1_000, 1_000));
}
