//! The bench's generated scenarios run, and its sections report what they
//! measured. (The footprint has its own test binary, `footprint`, because
//! the heap meter reads one bank at a time.)

use backstop_sim::bench::{self, resolve, throughput};

#[tokio::test]
async fn the_throughput_counts_every_transaction() {
    let t = throughput::measure(120).await.unwrap();
    assert_eq!(t.steps, 120);
    assert_eq!(t.stakers, 50);
    let scenario = bench::staking_scenario(120, 50);
    let revenue = scenario
        .steps
        .iter()
        .filter(|s| matches!(s.action, backstop_sim::scenario::Action::Revenue { .. }))
        .count();
    let advances = scenario
        .steps
        .iter()
        .filter(|s| matches!(s.action, backstop_sim::scenario::Action::Advance { .. }))
        .count();
    assert_eq!(t.transactions, 120 + revenue - advances);
    assert!(t.transactions_per_second > 0.0);
}

#[tokio::test]
async fn resolve_costs_the_same_accounts_in_every_market() {
    let r = resolve::measure(3).await.unwrap();
    assert_eq!(r.accounts, 11);
    let shape: Vec<(&str, usize)> = r
        .runs
        .iter()
        .map(|r| (r.kind.as_str(), r.holders))
        .collect();
    assert_eq!(
        shape,
        [("lending", 1), ("lending", 3), ("perp", 1), ("perp", 3)]
    );
    // The fund pays the cap (10⁹) of the 2·10⁹ deficit whatever the
    // market's size. Lenders lose at most what they deposited (10⁶ + i
    // each), which wipes the deposit index out; positions (1,000 + i base
    // each) take the rest as K = 10⁹·10¹⁸ / Σ|base|, rounded up.
    let figures: Vec<(&str, &str, &str)> = r
        .runs
        .iter()
        .map(|r| {
            (
                r.paid.as_str(),
                r.socialised.as_str(),
                r.index_after.as_str(),
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("1000000000", "1000000", "0"),
            ("1000000000", "3000003", "0"),
            ("1000000000", "1000000000", "1000000000000000000000000"),
            ("1000000000", "1000000000", "333000333000333000333001"),
        ]
    );
}

#[test]
fn the_staking_scenario_is_deterministic() {
    let a = bench::staking_scenario(500, 50);
    let b = bench::staking_scenario(500, 50);
    assert_eq!(a.steps, b.steps);
    assert_eq!(a.steps.len(), 500);
    assert_eq!(a.wallets.len(), 50);
}
