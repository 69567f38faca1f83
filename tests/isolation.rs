//! Property: an isolated market never changes its pool. Whatever premiums are
//! paid and bankruptcies resolved in it, the pool's A, S, epoch and vault stay
//! as they were; only the non-isolated share of premiums reaches its revenue.

use backstop_tests::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Premium(u64),
    Deposit(u64),
    Bankruptcy(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u64..5_000_000).prop_map(Op::Premium),
        (1u64..50_000_000).prop_map(Op::Deposit),
        (1u64..20_000_000).prop_map(Op::Bankruptcy),
    ]
}

async fn run(cap: u64, share_bps: u16, ops: Vec<Op>) {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 40_000_000).await;
    ok(w.try_stake(&alice, 40_000_000).await);
    let m = w
        .try_create_market(mint, MarketKind::Lending, cap, true, share_bps)
        .await
        .expect("isolated market");
    let pool_before = w.pool(mint).await;
    let vault_before = w.vault_balance(mint).await;
    let revenue_before = w.revenue_balance(mint).await;
    let mut to_revenue = 0u64;
    let mut isolated = 0u64;
    let mut used = 0u64;
    for (i, op) in ops.into_iter().enumerate() {
        match op {
            Op::Premium(amount) => {
                ok(w.try_pay_premium(&m, amount).await);
                let part = amount * share_bps as u64 / 10_000;
                isolated += part;
                to_revenue += amount - part;
            }
            Op::Deposit(amount) => {
                // Losses socialised earlier may have made the market insolvent.
                let result = w.try_record_deposit(&m, Pubkey::new_unique(), amount).await;
                if w.market(m.index).await.deposit_index == 0 {
                    expect_err(result, BackstopError::MarketInsolvent);
                } else {
                    ok(result);
                }
            }
            Op::Bankruptcy(deficit) => {
                let debtor = Pubkey::new_unique();
                ok(w.try_record_bankruptcy(&m, debtor, deficit).await);
                ok(w.try_resolve(&m, debtor).await);
                let pay = deficit.min(cap - used).min(isolated);
                isolated -= pay;
                used += pay;
            }
        }
        let pool = w.pool(mint).await;
        assert_eq!(
            (pool.assets, pool.total_shares, pool.epoch),
            (
                pool_before.assets,
                pool_before.total_shares,
                pool_before.epoch
            ),
            "pool changed after op {i}"
        );
        assert_eq!(w.vault_balance(mint).await, vault_before);
        assert_eq!(w.revenue_balance(mint).await, revenue_before + to_revenue);
        let market = w.market(m.index).await;
        assert_eq!(
            (market.isolated_assets, market.insurance_used),
            (isolated, used)
        );
        assert!(market.insurance_used <= cap);
        assert_eq!(w.balance(pda::isolated_vault(&m.key)).await, isolated);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn isolated_market_never_changes_its_pool(
        cap in 0u64..30_000_000,
        share_bps in 0u16..=10_000,
        ops in proptest::collection::vec(op(), 1..10),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(run(cap, share_bps, ops));
    }
}
