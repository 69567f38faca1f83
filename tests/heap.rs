//! Heap per instruction (issue 14), measured natively inside the program's
//! entrypoint only (see `backstop_bank::heap`): every instruction, on the
//! most expensive path it has, must stay within 16 KiB of allocations, half
//! of SBF's default 32 KiB heap. SBF's bump allocator never reuses freed
//! memory, so the budget applies to every byte allocated, not the live peak.
//!
//! `cargo test -p backstop-tests --test heap -- --nocapture` prints the table
//! that docs/performance.md shows.

use std::collections::BTreeMap;

use backstop_bank::heap::{MeteredAllocator, take_heap_log};
use backstop_client::instructions::{INSTRUCTIONS, instruction_name};
use backstop_tests::*;

#[global_allocator]
static ALLOCATOR: MeteredAllocator = MeteredAllocator;

/// Half of SBF's default heap.
const BUDGET_BYTES: usize = 16 * 1024;

/// Runs every instruction on its most expensive path; returns the largest
/// total and live peak seen for each instruction.
async fn exercise_everything() -> BTreeMap<&'static str, (usize, usize)> {
    let mut w = World::bare().await;
    take_heap_log();
    let args = InitializeProtocolArgs {
        admin: w.admin.pubkey(),
        guardian: w.guardian.pubkey(),
        treasury: w.treasury.pubkey(),
        governance_delay: 0,
    };
    ok(w.bank.initialize_protocol(args).await);
    let guardian = w.guardian.insecure_clone();
    let admin = w.admin.insecure_clone();

    // A Token-2022 pool of a PYUSD-like mint (the most extensions to parse).
    let delegate = w.bank.payer().insecure_clone();
    let pyusd = w
        .create_mint_2022(&[
            MintExtension::TransferFee {
                basis_points: 0,
                maximum_fee: 0,
            },
            MintExtension::ConfidentialTransferMint,
            MintExtension::ConfidentialTransferFee,
            MintExtension::TransferHook { program: None },
            MintExtension::PermanentDelegate {
                delegate: delegate.pubkey(),
            },
            MintExtension::MintCloseAuthority,
            MintExtension::MetadataPointer,
            MintExtension::TokenMetadata,
        ])
        .await;
    ok(
        w.try_create_pool_opting_in(&admin, pyusd, test_params(), true)
            .await,
    );
    let mint = w.new_pool(test_params()).await;

    // Staking with an inline sweep that creates a new treasury's stake.
    let alice = w.user(mint, 1_000_000_000).await;
    let bob = w.user(mint, 1_000_000_000).await;
    ok(w.try_stake(&alice, 500_000_000).await);
    let new_treasury = w.new_keypair().await;
    ok(w.try_update_protocol(ProtocolUpdate {
        treasury: Some(new_treasury.pubkey()),
        ..Default::default()
    })
    .await);
    w.treasury = new_treasury.insecure_clone();
    ok(w.try_revenue(mint, 10_000_000).await);
    w.advance(3_600).await;
    ok(w.try_stake(&bob, 400_000_000).await);
    // a request with an inline sweep, then a cancel that burns gains
    ok(w.try_revenue(mint, 10_000_000).await);
    w.advance(3_600).await;
    ok(w.try_request_unstake(&bob, 100_000_000).await);
    ok(w.try_revenue(mint, 50_000_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    ok(w.try_cancel(&bob).await);
    ok(w.try_donate(mint, 1_000).await);
    ok(w.try_sync_vault(mint).await);

    // Markets: isolated premium and resolution, operator records.
    let isolated = w
        .try_create_market(mint, MarketKind::Perp, u64::MAX, true, 5_000)
        .await
        .unwrap();
    ok(w.try_pay_premium(&isolated, 1_000_000).await);
    let trader = Keypair::new().pubkey();
    ok(w.try_record_position(&isolated, trader, 1_000).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&isolated, debtor, 2_000_000).await);
    ok(w.try_resolve(&isolated, debtor).await);
    ok(w.try_record_position(&isolated, trader, 500).await);
    ok(w.try_clear_owed(&isolated, trader, 1).await);
    let lending = w.lending_market(mint, u64::MAX).await;
    let lender = Keypair::new().pubkey();
    ok(w.try_record_deposit(&lending, lender, 1_000).await);
    ok(w.try_record_withdrawal(&lending, lender, 10).await);
    ok(w.try_set_market_cap(&lending, 1_000_000_000_000).await);
    ok(w.try_set_frozen(&lending, true).await);
    ok(w.try_set_frozen(&lending, false).await);
    let i = ix::cancel_market_change(guardian.pubkey(), lending.index, ChangeField::Cap);
    let _ = w.send(&[i], &[&guardian]).await;
    ok(w.try_pause(&guardian, pause::STAKE).await);
    ok(w.try_unpause(&admin, pause::STAKE).await);
    ok(w.try_set_pool(mint, PoolParamsUpdate::default()).await);

    // Payouts, and a resolution that wipes the pool out.
    let victim = w.user(mint, 0).await;
    let id = w.try_propose_payout(mint, victim.tokens, 1).await.unwrap();
    ok(w.try_execute_payout(mint, id, victim.tokens).await);
    let id = w.try_propose_payout(mint, victim.tokens, 1).await.unwrap();
    ok(w.try_cancel_payout(&admin, mint, id).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&lending, debtor, u64::MAX / 2)
        .await);
    ok(w.try_resolve(&lending, debtor).await);

    // Exits that empty a pool, and closing a stake.
    let carol = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&carol, 1_000_000).await);
    ok(w.try_request_unstake(&carol, 1_000_000).await);
    w.advance(test_params().cooldown as i64).await;
    ok(w.try_complete(&carol).await);
    ok(w.try_close_stake(&carol).await);

    // Token-2022: stake, the delegate takes tokens, sync writes A down.
    let dave = w.user(pyusd, 1_000_000).await;
    ok(w.try_stake(&dave, 1_000_000).await);
    let keys = PoolKeys::new(w.asset(pyusd));
    let thief = w.user(pyusd, 0).await;
    ok(w.bank
        .transfer_tokens(keys.vault, thief.tokens, &delegate, 10)
        .await);
    ok(w.try_sync_vault(pyusd).await);

    // A delayed guardian change, cancelled before its eta.
    ok(w.try_update_protocol(ProtocolUpdate {
        governance_delay: Some(86_400),
        ..Default::default()
    })
    .await);
    ok(w.try_update_protocol(ProtocolUpdate {
        guardian: Some(Keypair::new().pubkey()),
        ..Default::default()
    })
    .await);
    let i = ix::cancel_protocol_change(admin.pubkey(), ChangeField::Guardian);
    ok(w.send(&[i], &[&admin]).await);

    // Admin hand-over.
    let next = w.new_keypair().await;
    ok(w.send(
        &[ix::propose_admin(admin.pubkey(), next.pubkey())],
        &[&admin],
    )
    .await);
    ok(w.send(&[ix::accept_admin(next.pubkey())], &[&next]).await);

    let mut worst: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    for usage in take_heap_log() {
        let name = instruction_name(&usage.discriminator).unwrap_or("unknown");
        let entry = worst.entry(name).or_default();
        entry.0 = entry.0.max(usage.total_bytes);
        entry.1 = entry.1.max(usage.peak_live_bytes);
    }
    worst
}

#[tokio::test]
async fn every_instruction_allocates_at_most_16_kib() {
    let worst = exercise_everything().await;
    println!("| instruction | heap allocated (B) | live peak (B) |");
    println!("|---|---:|---:|");
    for (name, (total, peak)) in &worst {
        println!("| `{name}` | {total} | {peak} |");
    }
    let missing: Vec<_> = INSTRUCTIONS
        .iter()
        .map(|(name, _)| *name)
        .filter(|n| !worst.contains_key(n))
        .collect();
    assert!(missing.is_empty(), "not exercised: {missing:?}");
    for (name, (total, _)) in &worst {
        assert!(
            *total <= BUDGET_BYTES,
            "{name} allocates {total} B, over the {BUDGET_BYTES} B budget"
        );
        assert!(*total > 0, "{name} was not metered");
    }
}
