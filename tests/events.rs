//! Events in the transaction logs, as a cluster writes them (`Program data:`
//! inside Backstop's invocation), read back with the client's decoder.

use backstop_client::events::{BankruptcyResolved, Staked, decode_events};
use backstop_tests::*;

/// The logs carry the program's events as the runtime writes them
/// (`Program data: …` inside Backstop's invocation), and the client reads
/// them back exactly.
#[tokio::test]
async fn a_stake_logs_its_staked_event() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 5_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    let second = ok(w.try_stake(&alice, 250_000).await);
    assert_eq!(
        second
            .logs
            .iter()
            .filter(|l| l.starts_with("Program data: "))
            .count(),
        1,
        "{:#?}",
        second.logs
    );
    let events: Vec<Staked> = decode_events(&second.logs);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e.pool, pda::pool(&mint));
    assert_eq!(e.owner, alice.key());
    assert_eq!((e.amount, e.shares), (250_000, 250_000));
    assert_eq!(e.stake_shares_after, 1_250_000);
    assert_eq!((e.assets_before, e.assets_after), (1_000_000, 1_250_000));
    assert_eq!(
        (e.total_shares_before, e.total_shares_after),
        (1_000_000, 1_250_000)
    );
    assert_eq!(e.ts, w.now().await);
}

/// A resolution logs the waterfall and the index before and after, the
/// figures an `aggregate` host applies to its own ledger.
#[tokio::test]
async fn a_resolution_logs_its_waterfall_and_index() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 100_000_000_000).await;
    ok(w.try_stake(&alice, 100_000_000_000).await);
    let m = w.lending_market(mint, 50_000_000_000).await;
    let lender = Keypair::new().pubkey();
    ok(w.try_record_deposit(&m, lender, 900_000_000_000).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 200_000_000_000).await);
    let resolved = ok(w.try_resolve(&m, debtor).await);
    let events: Vec<BankruptcyResolved> = decode_events(&resolved.logs);
    assert_eq!(events.len(), 1, "{:#?}", resolved.logs);
    let e = &events[0];
    assert_eq!((e.market, e.debtor), (m.key, debtor));
    assert_eq!(e.resolver, w.keeper.pubkey());
    // 50e9 paid (the cap), 150e9 socialised over 900e9 of deposits:
    // I = 10¹⁸ · 750 / 900, rounded down
    assert_eq!(
        (e.deficit, e.paid, e.socialised, e.unrecovered),
        (200_000_000_000, 50_000_000_000, 150_000_000_000, 0)
    );
    assert_eq!(e.index_before, E18);
    assert_eq!(e.index_after, 833_333_333_333_333_333);
    assert_eq!(
        (e.source_assets_before, e.source_assets_after),
        (100_000_000_000, 50_000_000_000)
    );
    assert_eq!(
        (e.insurance_used_after, e.cap),
        (50_000_000_000, 50_000_000_000)
    );
    assert_eq!(e.exposure_mode, ExposureMode::Accounts);
    assert_eq!(e.exposure, 0);
    assert_eq!(e.ts, w.now().await);
}
