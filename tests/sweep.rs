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
async fn quickstart_sweep_mints_treasury_shares_at_pre_sweep_price() {
    let mut w = World::new().await;
    let mint = w.new_pool(quickstart_params()).await;
    let alice = w.user(mint, 50_000_000_000).await;
    ok(w.stake(&alice, 50_000_000_000).await);
    w.advance(DAY).await;
    ok(w.revenue(mint, 420_000_000).await);
    ok(w.sweep(mint).await);

    assert_eq!(w.a_s(mint).await, (50_420_000_000, 50_210_000_000));
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 210_000_000);
    assert_eq!(w.revenue_balance(mint).await, 0);
    assert_eq!(w.vault_balance(mint).await, 50_420_000_000);
    assert_eq!(w.pool(mint).await.last_sweep_ts, START + DAY);

    // bob stakes 20,000 at the new price: ⌊20e9·50.21e9 / 50.42e9⌋
    let bob = w.user(mint, 20_000_000_000).await;
    ok(w.stake(&bob, 20_000_000_000).await);
    assert_eq!(w.shares(mint, bob.key()).await, 19_916_699_722);
    assert_eq!(w.a_s(mint).await, (70_420_000_000, 70_126_699_722));

    // the treasury unstakes like any staker
    let treasury = w.treasury_user(mint).await;
    ok(w.request_unstake(&treasury, 210_000_000).await);
    let s = w.stake_of(mint, treasury.key()).await.unwrap();
    // value_of(210e6) = ⌊210e6·70.42e9 / 70,126,699,722⌋
    assert_eq!(s.request_value, 210_878_311);
    w.advance(test_params().cooldown as i64).await;
    ok(w.complete(&treasury).await);
    assert_eq!(w.balance(treasury.tokens).await, 210_878_311);
}

#[tokio::test]
async fn sweep_not_due_then_due_even_without_revenue() {
    let mut w = World::new().await;
    let mint = w.new_pool(quickstart_params()).await;
    w.advance(3_599).await;
    expect_err(w.sweep(mint).await, "SweepNotDue");
    w.advance(1).await;
    ok(w.sweep(mint).await);
    assert_eq!(w.pool(mint).await.last_sweep_ts, START + 3_600);
    assert_eq!(w.a_s(mint).await, (0, 0));
    expect_err(w.sweep(mint).await, "SweepNotDue");
}

#[tokio::test]
async fn apr_cap_limits_the_staker_part_and_keeps_the_rest() {
    let mut w = World::new().await;
    let mint = w.new_pool(quickstart_params()).await;
    let alice = w.user(mint, 1_000_000_000).await;
    ok(w.stake(&alice, 1_000_000_000).await);
    ok(w.revenue(mint, 10_000_000).await);
    w.advance(3_600).await;
    ok(w.sweep(mint).await);
    // P = 5,000,000 → 5,000,000 treasury shares at price 1;
    // Y = 5,000,000 capped at ⌊1e9·100,000·3,600 / (10,000·31,536,000)⌋ = 1,141,552
    assert_eq!(w.a_s(mint).await, (1_006_141_552, 1_005_000_000));
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 5_000_000);
    assert_eq!(w.revenue_balance(mint).await, 3_858_448);
    assert_eq!(w.vault_balance(mint).await, 1_006_141_552);

    // the next sweep takes its cut of what is left, again capped
    w.advance(3_600).await;
    ok(w.sweep(mint).await);
    // R = 3,858,448: P = 1,929,224 → ⌊1,929,224·1,005,000,000 / 1,006,141,552⌋ shares;
    // Y = 1,929,224 capped at ⌊1,006,141,552·100,000·3,600 / 315,360,000,000⌋ = 1,148,563
    let treasury_new = (1_929_224u128 * 1_005_000_000) / 1_006_141_552;
    assert_eq!(treasury_new, 1_927_035);
    assert_eq!(
        w.shares(mint, w.treasury.pubkey()).await,
        5_000_000 + 1_927_035
    );
    assert_eq!(
        w.a_s(mint).await,
        (
            1_006_141_552 + 1_929_224 + 1_148_563,
            1_005_000_000 + 1_927_035
        )
    );
    assert_eq!(
        w.revenue_balance(mint).await,
        3_858_448 - 1_929_224 - 1_148_563
    );
}

#[tokio::test]
async fn sweep_into_an_empty_pool_moves_only_the_protocol_part() {
    let mut w = World::new().await;
    let mint = w.new_pool(quickstart_params()).await;
    ok(w.revenue(mint, 1_001).await);
    w.advance(3_600).await;
    ok(w.sweep(mint).await);
    // P = 500 minted 1:1 to the treasury; the staker part waits (S₀ = 0)
    assert_eq!(w.a_s(mint).await, (500, 500));
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 500);
    assert_eq!(w.revenue_balance(mint).await, 501);
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
    ok(w.stake(&alice, 100).await);
    ok(w.revenue(mint, 1_900).await);
    w.advance(3_600).await;
    ok(w.sweep(mint).await);
    assert_eq!(w.a_s(mint).await, (2_000, 100));
    ok(w.set_pool(
        mint,
        PoolParamsUpdate {
            protocol_cut_bps: Some(5_000),
            ..Default::default()
        },
    )
    .await);
    ok(w.revenue(mint, 3).await);
    w.advance(3_600).await;
    ok(w.sweep(mint).await);
    // P = 1 buys ⌊1·100/2000⌋ = 0 shares: all 3 go to stakers
    assert_eq!(w.a_s(mint).await, (2_003, 100));
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 0);
    assert_eq!(w.revenue_balance(mint).await, 0);
}

#[tokio::test]
async fn stake_and_request_sweep_inline_when_due() {
    let mut w = World::new().await;
    let mint = w.new_pool(quickstart_params()).await;
    let alice = w.user(mint, 1_000_000_000).await;
    let bob = w.user(mint, 1_001_000_000).await;
    ok(w.stake(&alice, 1_000_000_000).await);
    ok(w.revenue(mint, 1_000_000).await);
    // not due yet: bob's stake does not sweep
    w.advance(3_599).await;
    ok(w.stake(&bob, 1_000).await);
    assert_eq!(w.a_s(mint).await, (1_000_001_000, 1_000_001_000));
    assert_eq!(w.revenue_balance(mint).await, 1_000_000);
    // due: the sweep runs first, so bob does not capture revenue from before him
    w.advance(1).await;
    ok(w.stake(&bob, 1_000_000_000).await);
    // sweep of R = 1,000,000 over A₀ = S₀ = 1,000,001,000: P = 500,000 → 500,000 shares;
    // Y = 500,000 (limit 1,141,553)
    // A = 1,001,001,000, S = 1,000,501,000; bob: ⌊1e9·S/A⌋
    let expected = 1_000_000_000u128 * 1_000_501_000 / 1_001_001_000;
    assert_eq!(w.shares(mint, bob.key()).await, 1_000 + expected);
    assert_eq!(w.a_s(mint).await, (2_001_001_000, 1_000_501_000 + expected));
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 500_000);
    assert_eq!(w.revenue_balance(mint).await, 0);
    assert_eq!(w.pool(mint).await.last_sweep_ts, START + 3_600);

    // request_unstake sweeps too
    ok(w.revenue(mint, 2_000).await);
    w.advance(3_600).await;
    ok(w.request_unstake(&alice, 1_000).await);
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 500_000 + 999);
    assert_eq!(w.pool(mint).await.last_sweep_ts, START + 7_200);
    assert_eq!(w.revenue_balance(mint).await, 0);
}

#[tokio::test]
async fn sweep_refusals() {
    let mut w = World::new().await;
    let mint = w.new_pool(quickstart_params()).await;
    let other = w.new_pool(quickstart_params()).await;
    let alice = w.user(mint, 1_000).await;
    ok(w.stake(&alice, 1_000).await);
    ok(w.revenue(mint, 100).await);
    w.advance(3_600).await;
    let keys = World::keys(mint);
    let keeper = w.keeper.insecure_clone();
    let base = ix::sweep_revenue(keeper.pubkey(), mint, w.treasury.pubkey());

    // another pool's revenue account or vault
    let i = substitute(base.clone(), keys.revenue, World::keys(other).revenue);
    expect_err(w.send(&[i], &[&keeper]).await, "ConstraintHasOne");
    let i = substitute(base.clone(), keys.vault, World::keys(other).vault);
    expect_err(w.send(&[i], &[&keeper]).await, "ConstraintHasOne");
    // a stake that is not the treasury's
    let i = substitute(
        base.clone(),
        pda::stake(&keys.pool, &w.treasury.pubkey()),
        pda::stake(&keys.pool, &alice.key()),
    );
    expect_err(w.send(&[i], &[&keeper]).await, "ConstraintSeeds");

    let guardian = w.guardian.insecure_clone();
    ok(w.pause(&guardian, pause::SWEEP).await);
    expect_err(w.sweep(mint).await, "OperationPaused");
    let admin = w.admin.insecure_clone();
    ok(w.unpause(&admin, pause::SWEEP).await);
    ok(w.sweep(mint).await);
    assert_eq!(w.a_s(mint).await, (1_051, 1_050));
    assert_eq!(w.revenue_balance(mint).await, 49);
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
    ok(w.stake(&alice, 1_000).await);
    ok(w.donate(mint, 5_000).await);
    assert_eq!(w.a_s(mint).await, (1_000, 1_000));
    assert_eq!(w.vault_balance(mint).await, 6_000);
    ok(w.sync_vault(mint).await);
    assert_eq!(w.vault_balance(mint).await, 1_000);
    assert_eq!(w.revenue_balance(mint).await, 5_000);
    assert_eq!(w.a_s(mint).await, (1_000, 1_000));
    // nothing more to sync
    ok(w.sync_vault(mint).await);
    assert_eq!(w.revenue_balance(mint).await, 5_000);
    w.advance(3_600).await;
    ok(w.sweep(mint).await);
    assert_eq!(w.a_s(mint).await, (6_000, 1_000));

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
    expect_err(w.send(&[i], &[&keeper]).await, "ConstraintHasOne");
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
    ok(w.stake(&alice, 1_000_000).await);
    let guardian = w.guardian.insecure_clone();
    ok(w.pause(&guardian, backstop::state::pause::SWEEP).await);
    w.advance(3_600).await;
    ok(w.revenue(mint, 500_000).await);
    expect_err(w.sweep(mint).await, "OperationPaused");

    // bob's stake sweeps first, so the revenue goes to alice alone:
    // A = 1,000,000 + 500,000 at S = 1,000,000, then bob buys
    // ⌊1,000,000 · 1,000,000 / 1,500,000⌋ = 666,666 shares.
    ok(w.stake(&bob, 1_000_000).await);
    assert_eq!(w.a_s(mint).await, (2_500_000, 1_666_666));
    assert_eq!(w.shares(mint, bob.key()).await, 666_666);
    assert_eq!(w.revenue_balance(mint).await, 0);
    assert_eq!(w.pool(mint).await.last_sweep_ts, START + 3_600);
}
