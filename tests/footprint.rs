//! Footprint: account sizes (with their 8-byte discriminator), and a user's
//! transaction of the size `backstop bench` computes processed by the bank.
//! The budgets of every instruction are held by crates/sim/tests/footprint.rs.

use anchor_lang::Space;
use backstop_client::types::{
    BANKRUPTCY_ACCOUNT_SIZE, LENDER_ACCOUNT_SIZE, POOL_ACCOUNT_SIZE, POSITION_ACCOUNT_SIZE,
    STAKE_ACCOUNT_SIZE,
};
use backstop_sim::footprint::USER_TX_BUDGET_BYTES;
use backstop_sim::footprint::transactions::wire_size;
use backstop_tests::*;
use solana_transaction::Transaction;

#[test]
fn account_sizes_with_discriminator() {
    // Drift's 136, plus the terms a request keeps (cooldown, window, exit clock)
    assert_eq!(STAKE_ACCOUNT_SIZE, 160);
    assert_eq!(8 + Stake::INIT_SPACE, STAKE_ACCOUNT_SIZE);
    assert_eq!(LENDER_ACCOUNT_SIZE, 106);
    assert_eq!(8 + Lender::INIT_SPACE, LENDER_ACCOUNT_SIZE);
    assert_eq!(POSITION_ACCOUNT_SIZE, 122);
    assert_eq!(8 + Position::INIT_SPACE, POSITION_ACCOUNT_SIZE);
    assert_eq!(BANKRUPTCY_ACCOUNT_SIZE, 106);
    assert_eq!(8 + Bankruptcy::INIT_SPACE, BANKRUPTCY_ACCOUNT_SIZE);
    assert_eq!(8 + Pool::INIT_SPACE, 360);
    assert_eq!(POOL_ACCOUNT_SIZE, 360);
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
        (pool, POOL_ACCOUNT_SIZE),
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

/// The wire size `backstop bench` computes is what the bank accepts: a stake
/// signed by the user alone (as its own fee payer) goes through.
#[tokio::test]
async fn a_user_signed_stake_is_processed() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 1_000).await;
    let i = w.make_stake_ix(&alice, 1_000);
    let size = wire_size(std::slice::from_ref(&i), &alice.key());
    assert!(size <= USER_TX_BUDGET_BYTES);
    let blockhash = w.bank.last_blockhash();
    let tx = Transaction::new_signed_with_payer(&[i], Some(&alice.key()), &[&alice.kp], blockhash);
    let outcome = w.bank.process(tx.into()).await.expect("processed");
    assert_eq!(outcome.result, Ok(()), "logs: {:#?}", outcome.logs);
    assert_eq!(w.assets_and_shares(mint).await, (1_000, 1_000));
}
