//! Governance: initialisation, admin hand-over, pool creation and parameters,
//! pauses and delayed protocol changes (payouts: payouts.rs).

use backstop_tests::*;

const DELAY: u64 = 172_800;

#[tokio::test]
async fn initialize_protocol_stores_roles_and_refuses_a_long_delay() {
    let mut w = World::bare().await;
    let payer = w.bank.payer_pubkey();
    let args = InitializeProtocolArgs {
        admin: w.admin.pubkey(),
        guardian: w.guardian.pubkey(),
        treasury: w.treasury.pubkey(),
        governance_delay: 30 * DAY as u64 + 1,
    };
    expect_err(
        w.send(&[ix::initialize_protocol(payer, args)], &[]).await,
        BackstopError::GovernanceDelayTooLong,
    );
    let args = InitializeProtocolArgs {
        governance_delay: 30 * DAY as u64,
        ..args
    };
    ok(w.send(&[ix::initialize_protocol(payer, args)], &[]).await);
    let p = w.protocol().await;
    assert_eq!(p.admin, w.admin.pubkey());
    assert_eq!(p.guardian, w.guardian.pubkey());
    assert_eq!(p.treasury, w.treasury.pubkey());
    assert_eq!(p.governance_delay, 30 * DAY as u64);
    assert_eq!((p.paused, p.market_count), (0, 0));
    // a second initialisation is refused (the account exists)
    let args = InitializeProtocolArgs {
        governance_delay: 0,
        ..args
    };
    assert!(
        w.send(&[ix::initialize_protocol(payer, args)], &[])
            .await
            .is_err()
    );
    assert_eq!(w.protocol().await.governance_delay, 30 * DAY as u64);
}

#[tokio::test]
async fn create_pool_by_admin_only_with_bounded_parameters() {
    let mut w = World::new().await;
    let mint = w.create_mint().await;
    let stranger = w.new_keypair().await;
    expect_err(
        w.try_create_pool_as(&stranger, mint, test_params()).await,
        BackstopError::NotAdmin,
    );
    let admin = w.admin.insecure_clone();
    let cases = [
        (
            PoolParams {
                sweep_interval: 59,
                ..test_params()
            },
            "SweepIntervalOutOfBounds",
        ),
        (
            PoolParams {
                sweep_interval: 30 * DAY as u64 + 1,
                ..test_params()
            },
            "SweepIntervalOutOfBounds",
        ),
        (
            PoolParams {
                protocol_cut_bps: 10_001,
                ..test_params()
            },
            "ProtocolCutTooHigh",
        ),
        (
            PoolParams {
                cooldown: 90 * DAY as u64 + 1,
                ..test_params()
            },
            "CooldownTooLong",
        ),
        (
            PoolParams {
                window: 30 * DAY as u64 + 1,
                ..test_params()
            },
            "WindowTooLong",
        ),
        (
            PoolParams {
                max_apr_bps: 1_000_001,
                ..test_params()
            },
            "MaxAprTooHigh",
        ),
        (
            PoolParams {
                min_stake: 0,
                ..test_params()
            },
            "MinStakeZero",
        ),
    ];
    for (params, name) in cases {
        expect_err(w.try_create_pool_as(&admin, mint, params).await, name);
    }
    // the bounds themselves are accepted
    let edge = PoolParams {
        cooldown: 90 * DAY as u64,
        window: 30 * DAY as u64,
        sweep_interval: 60,
        max_apr_bps: 1_000_000,
        protocol_cut_bps: 10_000,
        min_stake: 1,
    };
    ok(w.try_create_pool_as(&admin, mint, edge).await);
    let pool = w.pool(mint).await;
    assert_eq!(pool.params, edge);
    assert_eq!(
        (
            pool.assets,
            pool.total_shares,
            pool.epoch,
            pool.last_sweep_ts
        ),
        (0, 0, 0, START)
    );
    assert_eq!(pool.mint, mint);
    assert_eq!(pool.vault, World::keys(mint).vault);
    assert_eq!(pool.revenue, World::keys(mint).revenue);
    assert_eq!(pool.decimals, 6);
    // the treasury's stake exists from the start
    let ts = w.stake_of(mint, w.treasury.pubkey()).await.unwrap();
    assert_eq!((ts.shares, ts.owner), (0, w.treasury.pubkey()));
    // one pool per mint
    assert!(
        w.try_create_pool_as(&admin, mint, test_params())
            .await
            .is_err()
    );
    assert_eq!(PoolParams::default().cooldown, 1_123_200);
}

#[tokio::test]
async fn set_pool_updates_at_once_within_bounds() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let update = PoolParamsUpdate {
        cooldown: Some(DAY as u64),
        protocol_cut_bps: Some(2_500),
        ..Default::default()
    };
    let stranger = w.new_keypair().await;
    let i = ix::set_pool(stranger.pubkey(), mint, update);
    expect_err(w.send(&[i], &[&stranger]).await, BackstopError::NotAdmin);
    ok(w.try_set_pool(mint, update).await);
    let p = w.pool(mint).await.params;
    assert_eq!(
        p,
        PoolParams {
            cooldown: DAY as u64,
            protocol_cut_bps: 2_500,
            ..test_params()
        }
    );
    expect_err(
        w.try_set_pool(
            mint,
            PoolParamsUpdate {
                protocol_cut_bps: Some(10_001),
                ..Default::default()
            },
        )
        .await,
        BackstopError::ProtocolCutTooHigh,
    );
    expect_err(
        w.try_set_pool(
            mint,
            PoolParamsUpdate {
                sweep_interval: Some(0),
                ..Default::default()
            },
        )
        .await,
        BackstopError::SweepIntervalOutOfBounds,
    );
    assert_eq!(w.pool(mint).await.params.protocol_cut_bps, 2_500);

    // a shorter cooldown applies to a pending request at once
    let alice = w.user(mint, 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    ok(w.try_request_unstake(&alice, 1_000).await);
    w.advance(DAY - 1).await;
    expect_err(
        w.try_complete(&alice).await,
        BackstopError::CooldownNotElapsed,
    );
    w.advance(1).await;
    ok(w.try_complete(&alice).await);
    assert_eq!(w.balance(alice.tokens).await, 1_000);
}

#[tokio::test]
async fn pause_by_guardian_unpause_by_admin_only() {
    let mut w = World::new().await;
    let stranger = w.new_keypair().await;
    let guardian = w.guardian.insecure_clone();
    let admin = w.admin.insecure_clone();
    expect_err(
        w.try_pause(&stranger, pause::STAKE).await,
        BackstopError::NotGuardianOrAdmin,
    );
    expect_err(
        w.try_pause(&guardian, 0).await,
        BackstopError::InvalidPauseFlags,
    );
    expect_err(
        w.try_pause(&guardian, 1 << 8).await,
        BackstopError::InvalidPauseFlags,
    );
    ok(w.try_pause(&guardian, pause::STAKE | pause::RESOLVE).await);
    assert_eq!(w.protocol().await.paused, pause::STAKE | pause::RESOLVE);
    ok(w.try_pause(&admin, pause::SWEEP).await);
    assert_eq!(
        w.protocol().await.paused,
        pause::STAKE | pause::RESOLVE | pause::SWEEP
    );
    expect_err(
        w.try_unpause(&guardian, pause::STAKE).await,
        BackstopError::NotAdmin,
    );
    expect_err(
        w.try_unpause(&stranger, pause::STAKE).await,
        BackstopError::NotAdmin,
    );
    ok(w.try_unpause(&admin, pause::STAKE).await);
    assert_eq!(w.protocol().await.paused, pause::RESOLVE | pause::SWEEP);
    ok(w.try_unpause(&admin, pause::ALL).await);
    assert_eq!(w.protocol().await.paused, 0);
}

#[tokio::test]
async fn admin_hand_over_takes_two_steps() {
    let mut w = World::new().await;
    let new_admin = w.new_keypair().await;
    let stranger = w.new_keypair().await;
    let admin = w.admin.insecure_clone();
    let i = ix::propose_admin(stranger.pubkey(), stranger.pubkey());
    expect_err(w.send(&[i], &[&stranger]).await, BackstopError::NotAdmin);
    // nothing proposed yet
    expect_err(
        w.send(&[ix::accept_admin(new_admin.pubkey())], &[&new_admin])
            .await,
        "NotPendingAdmin",
    );
    ok(w.send(
        &[ix::propose_admin(admin.pubkey(), new_admin.pubkey())],
        &[&admin],
    )
    .await);
    let p = w.protocol().await;
    assert_eq!(p.pending_admin(), Some(new_admin.pubkey()));
    assert_eq!(p.pending_admin.eta, w.now().await);
    assert_eq!(w.protocol().await.admin, admin.pubkey());
    expect_err(
        w.send(&[ix::accept_admin(stranger.pubkey())], &[&stranger])
            .await,
        "NotPendingAdmin",
    );
    ok(
        w.send(&[ix::accept_admin(new_admin.pubkey())], &[&new_admin])
            .await,
    );
    let p = w.protocol().await;
    assert_eq!(
        (p.admin, p.pending_admin(), p.pending_admin.eta),
        (new_admin.pubkey(), None, 0)
    );
    // the old admin has no power left
    expect_err(
        w.try_unpause(&admin, pause::STAKE).await,
        BackstopError::NotAdmin,
    );
    ok(w.try_pause(&new_admin, pause::STAKE).await);
    ok(w.try_unpause(&new_admin, pause::STAKE).await);
}

#[tokio::test]
async fn guardian_change_takes_effect_only_at_its_eta() {
    let mut w = World::with_delay(DELAY).await;
    let old = w.guardian.insecure_clone();
    let new = w.new_keypair().await;
    let stranger = w.new_keypair().await;
    let i = ix::update_protocol(
        stranger.pubkey(),
        ProtocolUpdate {
            guardian: Some(stranger.pubkey()),
            ..Default::default()
        },
    );
    expect_err(w.send(&[i], &[&stranger]).await, BackstopError::NotAdmin);
    ok(w.try_update_protocol(ProtocolUpdate {
        guardian: Some(new.pubkey()),
        ..Default::default()
    })
    .await);
    let p = w.protocol().await;
    assert_eq!(p.guardian, old.pubkey());
    assert!(p.pending_guardian.active);
    assert_eq!(p.pending_guardian.value, new.pubkey());
    assert_eq!(p.pending_guardian.eta, START + DELAY as i64);

    w.set_time(START + DELAY as i64 - 1).await;
    expect_err(
        w.try_pause(&new, pause::STAKE).await,
        BackstopError::NotGuardianOrAdmin,
    );
    ok(w.try_pause(&old, pause::STAKE).await);
    w.set_time(START + DELAY as i64).await;
    ok(w.try_pause(&new, pause::SWEEP).await);
    expect_err(
        w.try_pause(&old, pause::STAKE).await,
        BackstopError::NotGuardianOrAdmin,
    );
    assert_eq!(w.protocol().await.paused, pause::STAKE | pause::SWEEP);
    // the old guardian can no longer cancel anything either
    ok(w.try_update_protocol(ProtocolUpdate {
        treasury: Some(stranger.pubkey()),
        ..Default::default()
    })
    .await);
    expect_err(
        w.send(
            &[ix::cancel_protocol_change(
                old.pubkey(),
                ProtocolField::Treasury,
            )],
            &[&old],
        )
        .await,
        "NotGuardianOrAdmin",
    );
    ok(w.send(
        &[ix::cancel_protocol_change(
            new.pubkey(),
            ProtocolField::Treasury,
        )],
        &[&new],
    )
    .await);
    // the update applied the due guardian change
    let p = w.protocol().await;
    assert_eq!(p.guardian, new.pubkey());
    assert!(!p.pending_guardian.active);
    assert!(!p.pending_treasury.active);
}

#[tokio::test]
async fn cancelled_and_effective_changes() {
    let mut w = World::with_delay(DELAY).await;
    let guardian = w.guardian.insecure_clone();
    let stranger = w.new_keypair().await;
    let new = w.new_keypair().await;
    let cancel = |k: &Keypair, f| ix::cancel_protocol_change(k.pubkey(), f);

    expect_err(
        w.send(&[cancel(&guardian, ProtocolField::Guardian)], &[&guardian])
            .await,
        BackstopError::NoPendingChange,
    );
    ok(w.try_update_protocol(ProtocolUpdate {
        guardian: Some(new.pubkey()),
        ..Default::default()
    })
    .await);
    expect_err(
        w.send(&[cancel(&stranger, ProtocolField::Guardian)], &[&stranger])
            .await,
        BackstopError::NotGuardianOrAdmin,
    );
    w.advance(DELAY as i64 - 1).await;
    ok(
        w.send(&[cancel(&guardian, ProtocolField::Guardian)], &[&guardian])
            .await,
    );
    expect_err(
        w.send(&[cancel(&guardian, ProtocolField::Guardian)], &[&guardian])
            .await,
        BackstopError::NoPendingChange,
    );
    // cancelled: at the old eta nothing happens
    w.advance(1).await;
    expect_err(
        w.try_pause(&new, pause::STAKE).await,
        BackstopError::NotGuardianOrAdmin,
    );
    assert_eq!(w.protocol().await.guardian, guardian.pubkey());

    // a change that reached its eta can no longer be cancelled
    let now = w.now().await;
    ok(w.try_update_protocol(ProtocolUpdate {
        guardian: Some(new.pubkey()),
        ..Default::default()
    })
    .await);
    w.set_time(now + DELAY as i64).await;
    let admin = w.admin.insecure_clone();
    expect_err(
        w.send(&[cancel(&admin, ProtocolField::Guardian)], &[&admin])
            .await,
        BackstopError::ChangeAlreadyEffective,
    );
    ok(w.try_pause(&new, pause::STAKE).await);
}

#[tokio::test]
async fn governance_delay_lengthens_at_once_and_shortens_after_the_delay() {
    let mut w = World::with_delay(DELAY).await;
    expect_err(
        w.try_update_protocol(ProtocolUpdate {
            governance_delay: Some(30 * DAY as u64 + 1),
            ..Default::default()
        })
        .await,
        BackstopError::GovernanceDelayTooLong,
    );
    ok(w.try_update_protocol(ProtocolUpdate {
        governance_delay: Some(3 * DAY as u64),
        ..Default::default()
    })
    .await);
    let p = w.protocol().await;
    assert_eq!(p.governance_delay, 3 * DAY as u64);
    assert!(!p.pending_governance_delay.active);

    ok(w.try_update_protocol(ProtocolUpdate {
        governance_delay: Some(0),
        ..Default::default()
    })
    .await);
    let p = w.protocol().await;
    assert_eq!(p.governance_delay, 3 * DAY as u64);
    assert_eq!(p.pending_governance_delay.eta, START + 3 * DAY);

    // a change proposed before the shorter delay is effective still waits 3 days
    let mint = w.new_pool(test_params()).await;
    let victim = w.user(mint, 0).await;
    let id = w.try_propose_payout(mint, victim.tokens, 10).await.unwrap();
    assert_eq!(w.payout(mint, id).await.eta, START + 3 * DAY);

    w.set_time(START + 3 * DAY).await;
    let id = w.try_propose_payout(mint, victim.tokens, 10).await.unwrap();
    assert_eq!(w.payout(mint, id).await.eta, START + 3 * DAY);
}

#[tokio::test]
async fn treasury_change_redirects_the_protocol_cut_after_its_eta() {
    let mut w = World::with_delay(DELAY).await;
    let mint = w
        .new_pool(PoolParams {
            max_apr_bps: 0,
            ..test_params()
        })
        .await;
    let alice = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    let new_treasury = w.new_keypair().await;
    let old_treasury = w.treasury.pubkey();
    ok(w.try_update_protocol(ProtocolUpdate {
        treasury: Some(new_treasury.pubkey()),
        ..Default::default()
    })
    .await);

    // before the eta the cut goes to the old treasury
    ok(w.try_revenue(mint, 1_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    // y = 500 first, then P = 500 buys ⌊500·1,000,000 / 1,000,500⌋ = 499
    assert_eq!(w.shares(mint, old_treasury).await, 499);

    // after the eta, to the new one (its stake is created by the sweep)
    w.set_time(START + DELAY as i64).await;
    w.treasury = new_treasury.insecure_clone();
    ok(w.try_revenue(mint, 2_002).await);
    ok(w.try_sweep(mint).await);
    assert_eq!(w.shares(mint, old_treasury).await, 499);
    // y = 1,001 first (A = 1,002,001), then P = 1,001 at S = 1,000,499:
    // ⌊1,001·1,000,499 / 1,002,001⌋ = 999
    assert_eq!(w.shares(mint, new_treasury.pubkey()).await, 999);
    assert_eq!(w.assets_and_shares(mint).await, (1_003_002, 1_001_498));
}
