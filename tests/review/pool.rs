//! The second review's findings on pools (issue 19): parameter changes wait
//! the governance delay, a request keeps its terms, revenue that arrived
//! before a staker is priced in first, leftovers join `held_back`, and the
//! mint is checked again by every inflow.

use backstop_tests::*;

const DELAY: u64 = 2 * DAY as u64;

/// What a stolen admin key would set at once to drain held-back revenue.
fn drain() -> PoolParamsUpdate {
    PoolParamsUpdate {
        cooldown: Some(0),
        window: Some(0),
        sweep_interval: Some(60),
        max_apr_bps: Some(0),
        protocol_cut_bps: Some(0),
        min_stake: None,
    }
}

#[tokio::test]
async fn a_stolen_admin_key_cannot_change_a_pool_before_the_delay() {
    let mut w = World::with_delay(DELAY).await;
    let params = test_params();
    let mint = w.new_pool(params).await;
    let victim = w.user(mint, 10_000_000).await;
    ok(w.try_stake(&victim, 10_000_000).await);
    // revenue held back by the APR cap
    ok(w.try_revenue(mint, 1_000_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    // P = 500,000 to the treasury; y ≤ ⌊10⁷·100,000·3,600 / (10⁴·31,536,000)⌋
    assert_eq!(w.pool(mint).await.held_back, 500_000 - 11_415);

    ok(w.try_set_pool(mint, drain()).await);
    let pool = w.pool(mint).await;
    assert_eq!(pool.params, params, "nothing changed at once");
    assert!(pool.pending_params.active);
    assert_eq!(pool.pending_params.eta, w.now().await + DELAY as i64);
    // the attacker stakes, and cannot sweep 60 s later nor leave
    let thief = w.user(mint, 1_000_000_000).await;
    ok(w.try_stake(&thief, 1_000_000_000).await);
    w.advance(60).await;
    expect_err(w.try_sweep(mint).await, BackstopError::SweepNotDue);
    ok(w.try_request_unstake(&thief, 1_000).await);
    let stake = w.stake_of(mint, thief.key()).await.unwrap();
    assert_eq!(stake.request_cooldown, params.cooldown);
    expect_err(
        w.try_complete(&thief).await,
        BackstopError::CooldownNotElapsed,
    );
    // the guardian cancels it before the eta
    let guardian = w.guardian.insecure_clone();
    ok(w.try_cancel_pool_change(&guardian, mint).await);
    assert!(!w.pool(mint).await.pending_params.active);
    expect_err(
        w.try_cancel_pool_change(&guardian, mint).await,
        BackstopError::NoPendingChange,
    );
    // a change left alone takes effect at its eta; the request made before
    // keeps the cooldown it was made with
    ok(w.try_set_pool(mint, drain()).await);
    let eta = w.pool(mint).await.pending_params.eta;
    w.set_time(eta).await;
    expect_err(
        w.try_cancel_pool_change(&guardian, mint).await,
        BackstopError::ChangeAlreadyEffective,
    );
    ok(w.try_sweep(mint).await);
    let pool = w.pool(mint).await;
    assert_eq!((pool.params.cooldown, pool.params.sweep_interval), (0, 60));
    assert!(!pool.pending_params.active);
    expect_err(
        w.try_complete(&thief).await,
        BackstopError::CooldownNotElapsed,
    );
}

#[tokio::test]
async fn a_request_keeps_the_window_it_was_made_with() {
    let params = PoolParams {
        window: 2 * DAY as u64,
        ..test_params()
    };
    let (mut w, mint, alice) = World::with_one_pool(params, 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    ok(w.try_request_unstake(&alice, 1_000).await);
    // the window is dropped (0 = no limit) after the request
    let update = PoolParamsUpdate {
        window: Some(0),
        ..PoolParamsUpdate::default()
    };
    ok(w.try_set_pool(mint, update).await);
    assert_eq!(w.pool(mint).await.params.window, 0);
    w.set_time(START + params.cooldown as i64 + 2 * DAY + 1)
        .await;
    expect_err(w.try_complete(&alice).await, BackstopError::RequestLapsed);
}

#[tokio::test]
async fn revenue_waiting_before_a_staker_is_priced_in_first() {
    let params = PoolParams {
        max_apr_bps: 0,
        protocol_cut_bps: 0,
        ..test_params()
    };
    let (mut w, mint, alice) = World::with_one_pool(params, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    ok(w.try_revenue(mint, 1_000_000).await);
    // 60 s later no sweep is due, but fresh revenue waits (R > H)
    w.advance(60).await;
    let bob = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&bob, 1_000_000).await);
    // the fees went to alice first: bob buys at 2 per share
    assert_eq!(w.shares(mint, bob.key()).await, 500_000);
    assert_eq!(w.assets_and_shares(mint).await, (3_000_000, 1_500_000));
    assert_eq!(w.revenue_balance(mint).await, 0);
    // the same holds for a request: it is valued after the waiting revenue
    ok(w.try_revenue(mint, 300_000).await);
    ok(w.try_request_unstake(&bob, 500_000).await);
    let stake = w.stake_of(mint, bob.key()).await.unwrap();
    assert_eq!(stake.request_value, 1_100_000);
}

#[tokio::test]
async fn leftovers_of_a_wipe_out_join_held_back_and_are_never_cut() {
    let params = PoolParams {
        max_apr_bps: 0,
        protocol_cut_bps: 5_000,
        ..test_params()
    };
    let (mut w, mint, alice) = World::with_one_pool(params, 1_000_000_000).await;
    ok(w.try_stake(&alice, 1_000_000_000).await);
    let m = w.lending_market(mint, u64::MAX).await;
    let debtor = Keypair::new().pubkey();
    // the fund pays all but 999: 999·10⁶ < 10⁹ shares wipes the pool out
    ok(w.try_record_bankruptcy(&m, debtor, 1_000_000_000 - 999)
        .await);
    ok(w.try_resolve(&m, debtor).await);
    let pool = w.pool(mint).await;
    assert_eq!((pool.epoch, pool.assets, pool.total_shares), (1, 0, 0));
    assert_eq!(pool.held_back, 999);
    assert_eq!(w.revenue_balance(mint).await, 999);
    // the next staker's sweeps release it to stakers; the treasury gets none
    let bob = w.user(mint, 1_000).await;
    w.advance(3_600).await;
    ok(w.try_stake(&bob, 1_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    assert_eq!(w.assets_and_shares(mint).await, (1_999, 1_000));
    assert_eq!(w.shares(mint, w.treasury.pubkey()).await, 0);
    assert_eq!(w.pool(mint).await.held_back, 0);
}

#[tokio::test]
async fn a_mint_that_gains_a_refused_extension_stops_inflows_not_exits() {
    let mut w = World::new().await;
    let mint = w.new_pool_2022(test_params(), &[]).await;
    let alice = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 4_000).await);
    let m = w.lending_market(mint, u64::MAX).await;
    // the mint is closed and created again at the same address with an
    // extension the pool refuses (its freeze default can be switched on)
    let other = w
        .create_mint_2022(&[MintExtension::DefaultAccountState { frozen: false }])
        .await;
    let account = w.bank.account(other).await.unwrap();
    w.bank.set_account(mint, account);
    expect_err(
        w.try_stake(&alice, 1_000).await,
        BackstopError::UnsupportedMintExtension,
    );
    expect_err(
        w.try_pay_premium(&m, 10).await,
        BackstopError::UnsupportedMintExtension,
    );
    ok(w.try_revenue(mint, 500).await);
    w.advance(3_600).await;
    expect_err(
        w.try_sweep(mint).await,
        BackstopError::UnsupportedMintExtension,
    );
    // exits still work: the request (its inline sweep waits) and completion
    ok(w.try_request_unstake(&alice, 4_000).await);
    assert_eq!(w.revenue_balance(mint).await, 500);
    w.advance(test_params().cooldown as i64).await;
    ok(w.try_complete(&alice).await);
    assert_eq!(w.balance(alice.tokens).await, 10_000);
}

/// A token program that does not own the mint, and a treasury that is not the
/// one in effect, are each refused by name, and no pool is created.
#[tokio::test]
async fn create_pool_refuses_a_wrong_token_program_or_treasury() {
    let mut w = World::new().await;
    let mint = w.create_mint().await;
    let payer = w.bank.payer_pubkey();
    let treasury = w.treasury.pubkey();
    for (treasury, asset, error) in [
        (
            treasury,
            Asset::token_2022(mint),
            BackstopError::WrongTokenProgram,
        ),
        (
            payer,
            Asset::spl_token(mint),
            BackstopError::TreasuryMismatch,
        ),
    ] {
        let i = ix::create_pool(
            w.admin.pubkey(),
            payer,
            treasury,
            asset,
            test_params(),
            MintOptIns::default(),
        );
        expect_err(w.admin_send(i).await, error);
        assert!(w.bank.account(pda::pool(&mint)).await.is_none());
    }
}

#[tokio::test]
async fn another_markets_isolated_vault_is_never_a_settlement_account() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let isolated = w
        .try_create_market(mint, MarketKind::Perp, 1_000, true, 5_000)
        .await
        .unwrap();
    let vault = pda::isolated_vault(&isolated.key);
    let args = CreateMarketArgs {
        index: 1,
        kind: MarketKind::Lending,
        operator: w.operator.pubkey(),
        cap: 1_000,
        isolated: false,
        isolated_share_bps: 0,
        exposure_mode: ExposureMode::Accounts,
    };
    let payer = w.bank.payer_pubkey();
    let i = ix::create_market(w.admin.pubkey(), payer, mint, vault, isolated.key, args);
    expect_err(w.admin_send(i).await, BackstopError::FundAccountNotAllowed);
    assert_eq!(w.protocol().await.market_count, 1);
}
