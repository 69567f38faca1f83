//! Revenue sweeps, inline sweeps, the APR cap, the protocol cut and sync_vault.

use backstop_tests::*;

fn quickstart_params() -> PoolParams {
    PoolParams {
        protocol_cut_bps: 5_000,
        max_apr_bps: 100_000,
        ..test_params()
    }
}

#[tokio::test]
async fn quickstart_sweep_mints_treasury_shares_after_the_stakers_part() {
    let mut w = World::new().await;
    let mint = w.new_pool(quickstart_params()).await;
    let alice = w.user(mint, 50_000_000_000).await;
    ok(w.try_stake(&alice, 50_000_000_000).await);
    w.advance(DAY).await;
    ok(w.try_revenue(mint, 420_000_000).await);
    ok(w.try_sweep(mint).await);

    // y = 210,000,000 first (A = 50,210,000,000), then P = 210,000,000 buys
    // ⌊210,000,000·50,000,000,000 / 50,210,000,000⌋ = 209,121,688 shares
    assert_eq!(
        w.assets_and_shares(mint).await,
        (50_420_000_000, 50_209_121_688)
    );
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 209_121_688);
    assert_eq!(w.revenue_balance(mint).await, 0);
    assert_eq!(w.vault_balance(mint).await, 50_420_000_000);
    assert_eq!(w.pool(mint).await.last_sweep_ts, START + DAY);

    // bob stakes 20,000 at the new price: ⌊20e9·50,209,121,688 / 50.42e9⌋
    let bob = w.user(mint, 20_000_000_000).await;
    ok(w.try_stake(&bob, 20_000_000_000).await);
    assert_eq!(w.shares(mint, bob.key()).await, 19_916_351_324);
    assert_eq!(
        w.assets_and_shares(mint).await,
        (70_420_000_000, 70_125_473_012)
    );

    // the treasury unstakes like any staker
    let treasury = w.treasury_user(mint).await;
    ok(w.try_request_unstake(&treasury, 209_121_688).await);
    let s = w.stake_of(mint, treasury.key()).await.unwrap();
    // value_of(209,121,688) = ⌊209,121,688·70.42e9 / 70,125,473,012⌋: P within a unit
    assert_eq!(s.request_value, 209_999_999);
    w.advance(test_params().cooldown as i64).await;
    ok(w.try_complete(&treasury).await);
    assert_eq!(w.balance(treasury.tokens).await, 209_999_999);
}

#[tokio::test]
async fn sweep_not_due_then_due_even_without_revenue() {
    let mut w = World::new().await;
    let mint = w.new_pool(quickstart_params()).await;
    w.advance(3_599).await;
    expect_err(w.try_sweep(mint).await, BackstopError::SweepNotDue);
    w.advance(1).await;
    ok(w.try_sweep(mint).await);
    assert_eq!(w.pool(mint).await.last_sweep_ts, START + 3_600);
    assert_eq!(w.assets_and_shares(mint).await, (0, 0));
    expect_err(w.try_sweep(mint).await, BackstopError::SweepNotDue);
}

#[tokio::test]
async fn apr_cap_limits_the_staker_part_and_keeps_the_rest() {
    let mut w = World::new().await;
    let mint = w.new_pool(quickstart_params()).await;
    let alice = w.user(mint, 1_000_000_000).await;
    ok(w.try_stake(&alice, 1_000_000_000).await);
    ok(w.try_revenue(mint, 10_000_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    // Y = 5,000,000 capped at ⌊1e9·100,000·3,600 / (10,000·31,536,000)⌋ = 1,141,552
    // first; then P = 5,000,000 buys ⌊5e6·1e9 / 1,001,141,552⌋ = 4,994,298 shares
    assert_eq!(
        w.assets_and_shares(mint).await,
        (1_006_141_552, 1_004_994_298)
    );
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 4_994_298);
    assert_eq!(w.revenue_balance(mint).await, 3_858_448);
    assert_eq!(w.pool(mint).await.held_back, 3_858_448);
    assert_eq!(w.vault_balance(mint).await, 1_006_141_552);

    // the next sweep releases what was held back, already cut: no new
    // treasury shares, y capped at ⌊1,006,141,552·100,000·3,600 / 315,360,000,000⌋
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 4_994_298);
    assert_eq!(
        w.assets_and_shares(mint).await,
        (1_006_141_552 + 1_148_563, 1_004_994_298)
    );
    assert_eq!(w.revenue_balance(mint).await, 3_858_448 - 1_148_563);
    assert_eq!(w.pool(mint).await.held_back, 3_858_448 - 1_148_563);
}

#[tokio::test]
async fn sweep_into_an_empty_pool_moves_only_the_protocol_part() {
    let mut w = World::new().await;
    let mint = w.new_pool(quickstart_params()).await;
    ok(w.try_revenue(mint, 1_001).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    // P = 500 minted 1:1 to the treasury; the staker part waits (S₀ = 0),
    // already cut
    assert_eq!(w.assets_and_shares(mint).await, (500, 500));
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 500);
    assert_eq!(w.revenue_balance(mint).await, 501);
    assert_eq!(w.pool(mint).await.held_back, 501);
}

#[tokio::test]
async fn protocol_part_worth_zero_shares_goes_to_stakers() {
    let mut w = World::new().await;
    let params = PoolParams {
        protocol_cut_bps: 0,
        max_apr_bps: 0,
        ..test_params()
    };
    let mint = w.new_pool(params).await;
    let alice = w.user(mint, 100).await;
    ok(w.try_stake(&alice, 100).await);
    ok(w.try_revenue(mint, 1_900).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    assert_eq!(w.assets_and_shares(mint).await, (2_000, 100));
    ok(w.try_set_pool(
        mint,
        PoolParamsUpdate {
            protocol_cut_bps: Some(5_000),
            ..Default::default()
        },
    )
    .await);
    ok(w.try_revenue(mint, 3).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    // y = 2 first; then P = 1 buys ⌊1·100/2002⌋ = 0 shares: P is not moved
    // and joins the stakers' waiting part, already cut
    assert_eq!(w.assets_and_shares(mint).await, (2_002, 100));
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 0);
    assert_eq!(w.revenue_balance(mint).await, 1);
    assert_eq!(w.pool(mint).await.held_back, 1);
    // the next sweep moves it whole: no cut is taken from it again
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    assert_eq!(w.assets_and_shares(mint).await, (2_003, 100));
    assert_eq!(w.revenue_balance(mint).await, 0);
    assert_eq!(w.pool(mint).await.held_back, 0);
}

#[tokio::test]
async fn stake_and_request_sweep_inline_when_due_or_when_revenue_waits() {
    let mut w = World::new().await;
    let mint = w.new_pool(quickstart_params()).await;
    let alice = w.user(mint, 1_000_000_000).await;
    let bob = w.user(mint, 1_001_000_000).await;
    ok(w.try_stake(&alice, 1_000_000_000).await);
    ok(w.try_revenue(mint, 1_000_000).await);
    // no sweep is due, but fresh revenue waits (R > H): bob's stake sweeps
    // first, so he never buys into revenue that arrived before him. Over
    // 3,599 s: P = 500,000; y = min(500,000, ⌊10⁹·100,000·3,599 /
    // (10⁴·31,536,000)⌋ = 1,141,235); then P buys ⌊500,000·10⁹ /
    // 1,000,500,000⌋ = 499,750 shares; bob: ⌊1,000·S / A⌋ = 999
    w.advance(3_599).await;
    ok(w.try_stake(&bob, 1_000).await);
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 499_750);
    assert_eq!(w.shares(mint, bob.key()).await, 999);
    assert_eq!(
        w.assets_and_shares(mint).await,
        (1_001_001_000, 1_000_500_749)
    );
    assert_eq!(w.revenue_balance(mint).await, 0);
    assert_eq!(w.pool(mint).await.last_sweep_ts, START + 3_599);
    // nothing waits and no sweep is due: no sweep
    w.advance(1).await;
    ok(w.try_stake(&bob, 1_000).await);
    assert_eq!(w.pool(mint).await.last_sweep_ts, START + 3_599);
    // due with nothing waiting: the sweep runs and moves nothing
    w.advance(3_599).await;
    ok(w.try_stake(&bob, 1_000_000_000).await);
    assert_eq!(w.pool(mint).await.last_sweep_ts, START + 7_199);
    let expected = 999 + 999 + 999_500_248;
    assert_eq!(
        1_000_000_000u128 * 1_000_501_748 / 1_001_002_000,
        999_500_248
    );
    assert_eq!(w.shares(mint, bob.key()).await, expected);

    // request_unstake sweeps too: y = 1,000, then P = 1,000 buys
    // ⌊1,000·S / A⌋ = 999 shares
    ok(w.try_revenue(mint, 2_000).await);
    w.advance(3_600).await;
    ok(w.try_request_unstake(&alice, 1_000).await);
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 499_750 + 999);
    assert_eq!(w.pool(mint).await.last_sweep_ts, START + 10_799);
    assert_eq!(w.revenue_balance(mint).await, 0);
}

#[tokio::test]
async fn sweep_refusals() {
    let mut w = World::new().await;
    let mint = w.new_pool(quickstart_params()).await;
    let other = w.new_pool(quickstart_params()).await;
    let alice = w.user(mint, 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    ok(w.try_revenue(mint, 100).await);
    w.advance(3_600).await;
    let keys = World::keys(mint);
    let keeper = w.keeper.insecure_clone();
    let base = ix::sweep_revenue(keeper.pubkey(), mint, w.treasury.pubkey());

    // another pool's revenue account or vault
    let i = substitute(base.clone(), keys.revenue, World::keys(other).revenue);
    expect_err(
        w.send(&[i], &[&keeper]).await,
        AnchorError::ConstraintHasOne,
    );
    let i = substitute(base.clone(), keys.vault, World::keys(other).vault);
    expect_err(
        w.send(&[i], &[&keeper]).await,
        AnchorError::ConstraintHasOne,
    );
    // a stake that is not the treasury's
    let i = substitute(
        base.clone(),
        pda::stake(&keys.pool, &w.treasury.pubkey()),
        pda::stake(&keys.pool, &alice.key()),
    );
    expect_err(
        w.send(&[i], &[&keeper]).await,
        BackstopError::TreasuryStakeMismatch,
    );

    let guardian = w.guardian.insecure_clone();
    ok(w.try_pause(&guardian, pause::SWEEP).await);
    expect_err(w.try_sweep(mint).await, BackstopError::OperationPaused);
    let admin = w.admin.insecure_clone();
    ok(w.try_unpause(&admin, pause::SWEEP).await);
    ok(w.try_sweep(mint).await);
    // y = ⌊1,000·100,000·3,600 / 315,360,000,000⌋ = 1 first, then P = 50
    // buys ⌊50·1,000 / 1,001⌋ = 49 shares; 49 already cut waits
    assert_eq!(w.assets_and_shares(mint).await, (1_051, 1_049));
    assert_eq!(w.revenue_balance(mint).await, 49);
    assert_eq!(w.pool(mint).await.held_back, 49);
}

#[tokio::test]
async fn donations_do_not_move_the_price_until_synced_and_swept() {
    let mut w = World::new().await;
    let params = PoolParams {
        protocol_cut_bps: 0,
        max_apr_bps: 0,
        ..test_params()
    };
    let mint = w.new_pool(params).await;
    let alice = w.user(mint, 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    ok(w.try_donate(mint, 5_000).await);
    assert_eq!(w.assets_and_shares(mint).await, (1_000, 1_000));
    assert_eq!(w.vault_balance(mint).await, 6_000);
    ok(w.try_sync_vault(mint).await);
    assert_eq!(w.vault_balance(mint).await, 1_000);
    assert_eq!(w.revenue_balance(mint).await, 5_000);
    assert_eq!(w.assets_and_shares(mint).await, (1_000, 1_000));
    // nothing more to sync
    ok(w.try_sync_vault(mint).await);
    assert_eq!(w.revenue_balance(mint).await, 5_000);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    assert_eq!(w.assets_and_shares(mint).await, (6_000, 1_000));

    // a substituted revenue account
    let keeper = w.keeper.insecure_clone();
    let fake = w
        .bank
        .create_token_account(mint, keeper.pubkey())
        .await
        .unwrap();
    let i = substitute(
        ix::sync_vault(keeper.pubkey(), mint),
        World::keys(mint).revenue,
        fake,
    );
    expect_err(
        w.send(&[i], &[&keeper]).await,
        AnchorError::ConstraintHasOne,
    );
}

#[tokio::test]
async fn inline_sweep_runs_while_the_standalone_sweep_is_paused() {
    let mut w = World::new().await;
    let params = PoolParams {
        protocol_cut_bps: 0,
        max_apr_bps: 0,
        ..test_params()
    };
    let mint = w.new_pool(params).await;
    let alice = w.user(mint, 1_000_000).await;
    let bob = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    let guardian = w.guardian.insecure_clone();
    ok(w.try_pause(&guardian, pause::SWEEP).await);
    w.advance(3_600).await;
    ok(w.try_revenue(mint, 500_000).await);
    expect_err(w.try_sweep(mint).await, BackstopError::OperationPaused);

    // bob's stake sweeps first, so the revenue goes to alice alone:
    // A = 1,000,000 + 500,000 at S = 1,000,000, then bob buys
    // ⌊1,000,000 · 1,000,000 / 1,500,000⌋ = 666,666 shares.
    ok(w.try_stake(&bob, 1_000_000).await);
    assert_eq!(w.assets_and_shares(mint).await, (2_500_000, 1_666_666));
    assert_eq!(w.shares(mint, bob.key()).await, 666_666);
    assert_eq!(w.revenue_balance(mint).await, 0);
    assert_eq!(w.pool(mint).await.last_sweep_ts, START + 3_600);
}
