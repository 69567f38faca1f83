#![allow(deprecated)] // ProgramTestContext fields are marked "unstable API"

//! Footprint: account sizes (with their 8-byte discriminator) and the wire
//! size of the user transactions built with the client crate.

use anchor_lang::Space;
use backstop_client::types::{
    BANKRUPTCY_ACCOUNT_SIZE, LENDER_ACCOUNT_SIZE, POSITION_ACCOUNT_SIZE, STAKE_ACCOUNT_SIZE,
};
use backstop_tests::*;
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

#[test]
fn user_transactions_fit_in_860_bytes() {
    let user = Keypair::new().pubkey();
    let mint = Keypair::new().pubkey();
    let treasury = Keypair::new().pubkey();
    let tokens = Keypair::new().pubkey();
    let settlement = Keypair::new().pubkey();
    let debtor = Keypair::new().pubkey();
    let cases = [
        ("stake", ix::stake(user, mint, treasury, tokens, 1_000_000)),
        (
            "request_unstake",
            ix::request_unstake(user, mint, treasury, 1_000_000),
        ),
        ("cancel_unstake", ix::cancel_unstake(user, mint)),
        ("complete_unstake", ix::complete_unstake(user, mint, tokens)),
        (
            "resolve_bankruptcy",
            ix::resolve_bankruptcy(user, 3, mint, debtor, settlement, false),
        ),
        (
            "resolve_bankruptcy (isolated)",
            ix::resolve_bankruptcy(user, 3, mint, debtor, settlement, true),
        ),
    ];
    for (name, i) in cases {
        let size = wire_size(&[i], &user);
        println!("{name}: {size} bytes");
        assert!(size <= MAX_TX_BYTES, "{name} is {size} bytes");
        assert!(size > 200, "{name}: {size} bytes is implausibly small");
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
