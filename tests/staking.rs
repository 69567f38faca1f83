//! Staking: stake, request_unstake, complete_unstake and cancel_unstake
//! (emptying, closing and wipe-out: emptying.rs).

use backstop_tests::*;

#[tokio::test]
async fn first_stake_is_one_to_one() {
    let (mut w, mint, alice) = World::with_one_pool(test_params(), 5_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    assert_eq!(w.assets_and_shares(mint).await, (1_000_000, 1_000_000));
    let s = w.stake_of(mint, alice.key()).await.unwrap();
    assert_eq!(s.shares, 1_000_000);
    assert_eq!(s.cost_basis, 1_000_000);
    assert_eq!(s.owner, alice.key());
    assert_eq!(s.epoch, 0);
    assert_eq!(s.request_shares, 0);
    assert_eq!(w.balance(alice.tokens).await, 4_000_000);
    assert_eq!(w.vault_balance(mint).await, 1_000_000);

    // a second stake at the same price adds to the same account
    ok(w.try_stake(&alice, 250_000).await);
    assert_eq!(w.assets_and_shares(mint).await, (1_250_000, 1_250_000));
    let s = w.stake_of(mint, alice.key()).await.unwrap();
    assert_eq!((s.shares, s.cost_basis), (1_250_000, 1_250_000));
}

#[tokio::test]
async fn stake_after_price_rise_buys_fewer_shares_rounded_down() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 1_000).await;
    let bob = w.user(mint, 1_000).await;
    ok(w.try_stake(&alice, 300).await);
    ok(w.try_revenue(mint, 100).await);
    w.advance(3_600).await;
    // bob's stake sweeps first: A = 400, S = 300, then ⌊250·300/400⌋ = 187
    ok(w.try_stake(&bob, 250).await);
    assert_eq!(w.assets_and_shares(mint).await, (650, 487));
    assert_eq!(w.shares(mint, bob.key()).await, 187);
    assert_eq!(w.revenue_balance(mint).await, 0);
}

#[tokio::test]
async fn stake_refusals() {
    let params = PoolParams {
        min_stake: 1_000,
        ..no_fee_params()
    };
    let (mut w, mint, alice) = World::with_one_pool(params, 10_000_000).await;
    expect_err(w.try_stake(&alice, 0).await, BackstopError::ZeroAmount);
    expect_err(w.try_stake(&alice, 999).await, BackstopError::BelowMinStake);
    ok(w.try_stake(&alice, 1_000).await);

    // once a share is worth 2,001 tokens, 2,000 tokens buy ⌊2000·1000/2001000⌋ = 0 shares
    ok(w.try_revenue(mint, 2_000_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    assert_eq!(w.assets_and_shares(mint).await, (2_001_000, 1_000));
    expect_err(w.try_stake(&alice, 2_000).await, BackstopError::ZeroShares);
    // nothing moved
    assert_eq!(w.assets_and_shares(mint).await, (2_001_000, 1_000));

    // a token account of another mint
    let other_mint = w.create_mint().await;
    let wrong = w
        .user_from(alice.kp.insecure_clone(), other_mint, 5_000)
        .await;
    let i = ix::stake(alice.key(), mint, w.treasury.pubkey(), wrong.tokens, 5_000);
    expect_err(
        w.send(&[i], &[&alice.kp]).await,
        BackstopError::MintMismatch,
    );

    // pending request
    ok(w.try_request_unstake(&alice, 500).await);
    expect_err(
        w.try_stake(&alice, 5_000).await,
        BackstopError::RequestPending,
    );
}

#[tokio::test]
async fn stake_with_substituted_accounts() {
    let (mut w, mint, alice) = World::with_one_pool(test_params(), 10_000).await;
    let bob = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    let keys = World::keys(mint);

    // bob signs, but names alice's stake account
    let i = substitute(
        w.make_stake_ix(&bob, 1_000),
        pda::stake(&keys.pool, &bob.key()),
        pda::stake(&keys.pool, &alice.key()),
    );
    expect_err(w.send(&[i], &[&bob.kp]).await, BackstopError::NotStakeOwner);

    // a vault that is not the pool's
    let fake = w.bank.create_token_account(mint, bob.key()).await.unwrap();
    let i = substitute(w.make_stake_ix(&bob, 1_000), keys.vault, fake);
    expect_err(
        w.send(&[i], &[&bob.kp]).await,
        AnchorError::ConstraintHasOne,
    );
    let i = substitute(w.make_stake_ix(&bob, 1_000), keys.revenue, fake);
    expect_err(
        w.send(&[i], &[&bob.kp]).await,
        AnchorError::ConstraintHasOne,
    );

    // the stake of someone who is not the treasury
    let i = substitute(
        w.make_stake_ix(&bob, 1_000),
        pda::stake(&keys.pool, &w.treasury.pubkey()),
        pda::stake(&keys.pool, &alice.key()),
    );
    expect_err(
        w.send(&[i], &[&bob.kp]).await,
        BackstopError::TreasuryStakeMismatch,
    );
    // someone who is not the treasury in effect, with their own stake
    let i = substitute(
        substitute(
            w.make_stake_ix(&bob, 1_000),
            pda::stake(&keys.pool, &w.treasury.pubkey()),
            pda::stake(&keys.pool, &alice.key()),
        ),
        w.treasury.pubkey(),
        alice.key(),
    );
    expect_err(
        w.send(&[i], &[&bob.kp]).await,
        BackstopError::TreasuryMismatch,
    );

    // another owner's token account: bob cannot spend alice's tokens
    let i = ix::stake(bob.key(), mint, w.treasury.pubkey(), alice.tokens, 1_000);
    expect_err(
        w.send(&[i], &[&bob.kp]).await,
        AnchorError::ConstraintTokenOwner,
    );

    assert_eq!(w.assets_and_shares(mint).await, (1_000, 1_000));
    assert_eq!(w.balance(fake).await, 0);
    assert_eq!(w.balance(bob.tokens).await, 10_000);
}

#[tokio::test]
async fn stake_paused_and_unpaused() {
    let (mut w, mint, alice) = World::with_one_pool(test_params(), 10_000).await;
    let guardian = w.guardian.insecure_clone();
    let admin = w.admin.insecure_clone();
    ok(w.try_pause(&guardian, pause::STAKE).await);
    expect_err(
        w.try_stake(&alice, 1_000).await,
        BackstopError::OperationPaused,
    );
    ok(w.try_unpause(&admin, pause::STAKE).await);
    ok(w.try_stake(&alice, 1_000).await);
    assert_eq!(w.assets_and_shares(mint).await, (1_000, 1_000));
}

#[tokio::test]
async fn request_unstake_records_shares_value_and_time() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 10_000).await;
    ok(w.try_stake(&alice, 3_000).await);
    w.advance(100).await;
    ok(w.try_request_unstake(&alice, 1_200).await);
    let s = w.stake_of(mint, alice.key()).await.unwrap();
    assert_eq!(
        (s.request_shares, s.request_value, s.request_ts),
        (1_200, 1_200, START + 100)
    );
    // the shares stay in the pool
    assert_eq!(s.shares, 3_000);
    assert_eq!(w.assets_and_shares(mint).await, (3_000, 3_000));
    let pool = w.pool(mint).await;
    assert_eq!(
        views::stake_request(&w.stake_account(mint, alice.key()).await.unwrap(), &pool),
        Some((1_200, 1_200, START + 100))
    );
}

#[tokio::test]
async fn request_unstake_refusals() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 10_000).await;
    let bob = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 3_000).await);
    ok(w.try_stake(&bob, 1_000).await);
    expect_err(
        w.try_request_unstake(&alice, 0).await,
        BackstopError::ZeroShares,
    );
    expect_err(
        w.try_request_unstake(&alice, 3_001).await,
        BackstopError::InsufficientShares,
    );

    // bob signs for alice's stake
    let keys = World::keys(mint);
    let i = ix::request_unstake(bob.key(), mint, w.treasury.pubkey(), 10);
    let i = substitute(
        i,
        pda::stake(&keys.pool, &bob.key()),
        pda::stake(&keys.pool, &alice.key()),
    );
    expect_err(w.send(&[i], &[&bob.kp]).await, AnchorError::ConstraintSeeds);

    let guardian = w.guardian.insecure_clone();
    ok(w.try_pause(&guardian, pause::REQUEST_UNSTAKE).await);
    expect_err(
        w.try_request_unstake(&alice, 1_000).await,
        BackstopError::OperationPaused,
    );
    let admin = w.admin.insecure_clone();
    ok(w.try_unpause(&admin, pause::REQUEST_UNSTAKE).await);

    ok(w.try_request_unstake(&alice, 1_000).await);
    expect_err(
        w.try_request_unstake(&alice, 1_000).await,
        BackstopError::RequestPending,
    );
    let s = w.stake_of(mint, alice.key()).await.unwrap();
    assert_eq!(s.request_shares, 1_000);
}

#[tokio::test]
async fn complete_unstake_after_cooldown_exactly() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 10_000).await;
    let bob = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 3_000).await);
    ok(w.try_stake(&bob, 1_000).await);
    ok(w.try_request_unstake(&alice, 1_200).await);
    let cooldown = test_params().cooldown as i64;

    expect_err(
        w.try_complete(&alice).await,
        BackstopError::CooldownNotElapsed,
    );
    w.set_time(START + cooldown - 1).await;
    expect_err(
        w.try_complete(&alice).await,
        BackstopError::CooldownNotElapsed,
    );
    expect_err(w.try_complete(&bob).await, BackstopError::NoPendingRequest);

    w.set_time(START + cooldown).await;
    ok(w.try_complete(&alice).await);
    assert_eq!(w.balance(alice.tokens).await, 7_000 + 1_200);
    assert_eq!(w.assets_and_shares(mint).await, (2_800, 2_800));
    let s = w.stake_of(mint, alice.key()).await.unwrap();
    assert_eq!(
        (s.shares, s.request_shares, s.request_value, s.request_ts),
        (1_800, 0, 0, 0)
    );
    assert_eq!(s.cost_basis, 1_800);
    assert_eq!(w.vault_balance(mint).await, 2_800);
    expect_err(
        w.try_complete(&alice).await,
        BackstopError::NoPendingRequest,
    );
}

#[tokio::test]
async fn complete_unstake_refusals() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 10_000).await;
    let bob = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 3_000).await);
    ok(w.try_stake(&bob, 1_000).await);
    ok(w.try_request_unstake(&alice, 1_000).await);
    w.advance(test_params().cooldown as i64).await;
    let keys = World::keys(mint);

    // bob names alice's stake (and his own token account)
    let i = ix::complete_unstake(bob.key(), mint, bob.tokens);
    let i = substitute(
        i,
        pda::stake(&keys.pool, &bob.key()),
        pda::stake(&keys.pool, &alice.key()),
    );
    expect_err(w.send(&[i], &[&bob.kp]).await, AnchorError::ConstraintSeeds);

    // a substituted vault
    let fake = w
        .bank
        .create_token_account(mint, alice.key())
        .await
        .unwrap();
    ok(w.bank.mint_to(mint, fake, 5_000).await);
    let i = substitute(
        ix::complete_unstake(alice.key(), mint, alice.tokens),
        keys.vault,
        fake,
    );
    expect_err(
        w.send(&[i], &[&alice.kp]).await,
        AnchorError::ConstraintHasOne,
    );

    // paid into a token account of another mint
    let other_mint = w.create_mint().await;
    let wrong = w
        .bank
        .create_token_account(other_mint, alice.key())
        .await
        .unwrap();
    let i = ix::complete_unstake(alice.key(), mint, wrong);
    expect_err(
        w.send(&[i], &[&alice.kp]).await,
        BackstopError::MintMismatch,
    );

    let guardian = w.guardian.insecure_clone();
    ok(w.try_pause(&guardian, pause::COMPLETE_UNSTAKE).await);
    expect_err(w.try_complete(&alice).await, BackstopError::OperationPaused);
    let admin = w.admin.insecure_clone();
    ok(w.try_unpause(&admin, pause::COMPLETE_UNSTAKE).await);
    ok(w.try_complete(&alice).await);
    assert_eq!(w.balance(alice.tokens).await, 8_000);
    assert_eq!(w.assets_and_shares(mint).await, (3_000, 3_000));
}

#[tokio::test]
async fn complete_unstake_window() {
    let params = PoolParams {
        window: DAY as u64,
        ..no_fee_params()
    };
    let (mut w, mint, alice) = World::with_one_pool(params, 10_000).await;
    let cooldown = params.cooldown as i64;
    ok(w.try_stake(&alice, 4_000).await);
    ok(w.try_request_unstake(&alice, 1_000).await);
    // one second after the window: lapsed
    w.set_time(START + cooldown + DAY + 1).await;
    expect_err(w.try_complete(&alice).await, BackstopError::RequestLapsed);
    // cancel and request again; the last second of the window still works
    ok(w.try_cancel(&alice).await);
    let t = START + cooldown + DAY + 1;
    ok(w.try_request_unstake(&alice, 1_000).await);
    w.set_time(t + cooldown + DAY).await;
    ok(w.try_complete(&alice).await);
    assert_eq!(w.balance(alice.tokens).await, 7_000);
    assert_eq!(w.assets_and_shares(mint).await, (3_000, 3_000));
}

#[tokio::test]
async fn gains_during_cooldown_stay_with_the_remaining_holders() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 10_000).await;
    let bob = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 900).await);
    ok(w.try_stake(&bob, 100).await);
    ok(w.try_request_unstake(&bob, 100).await);
    ok(w.try_revenue(mint, 1_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    assert_eq!(w.assets_and_shares(mint).await, (2_000, 1_000));
    w.set_time(START + test_params().cooldown as i64).await;
    ok(w.try_complete(&bob).await);
    // bob gets his recorded value, not value_of(100) = 200
    assert_eq!(w.balance(bob.tokens).await, 10_000);
    assert_eq!(w.assets_and_shares(mint).await, (1_900, 900));
    let pool = w.pool(mint).await;
    let s = w.stake_account(mint, alice.key()).await.unwrap();
    assert_eq!(views::stake_value(&s, &pool).unwrap(), 1_900);
}

#[tokio::test]
async fn losses_during_cooldown_are_borne() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 10_000).await;
    let bob = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 900).await);
    ok(w.try_stake(&bob, 100).await);
    ok(w.try_request_unstake(&bob, 100).await);
    // a compensation payout of 400 (no governance delay in this world)
    let victim = w.user(mint, 0).await;
    let id = w
        .try_propose_payout(mint, victim.tokens, 400)
        .await
        .unwrap();
    ok(w.try_execute_payout(mint, id, victim.tokens).await);
    assert_eq!(w.assets_and_shares(mint).await, (600, 1_000));
    w.set_time(START + test_params().cooldown as i64).await;
    ok(w.try_complete(&bob).await);
    // min(recorded 100, value_of(100) = 60)
    assert_eq!(w.balance(bob.tokens).await, 9_960);
    assert_eq!(w.assets_and_shares(mint).await, (540, 900));
}

#[tokio::test]
async fn cancel_forfeits_gains_made_during_cooldown() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 10_000).await;
    let bob = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 900).await);
    ok(w.try_stake(&bob, 100).await);
    ok(w.try_request_unstake(&bob, 100).await);
    ok(w.try_revenue(mint, 1_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    assert_eq!(w.assets_and_shares(mint).await, (2_000, 1_000));
    // burn n − ⌊v·(S − n)/(A − v)⌋ = 100 − ⌊100·900/1900⌋ = 100 − 47 = 53
    ok(w.try_cancel(&bob).await);
    assert_eq!(w.assets_and_shares(mint).await, (2_000, 947));
    let s = w.stake_of(mint, bob.key()).await.unwrap();
    assert_eq!(
        (s.shares, s.request_shares, s.request_value, s.request_ts),
        (47, 0, 0, 0)
    );
    let pool = w.pool(mint).await;
    let stake = w.stake_account(mint, bob.key()).await.unwrap();
    assert_eq!(views::stake_value(&stake, &pool).unwrap(), 99);
    expect_err(w.try_cancel(&bob).await, BackstopError::NoPendingRequest);
}

#[tokio::test]
async fn cancel_without_gain_burns_nothing_and_is_never_paused() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 10_000).await;
    let bob = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 900).await);
    ok(w.try_stake(&bob, 100).await);
    ok(w.try_request_unstake(&bob, 60).await);
    let guardian = w.guardian.insecure_clone();
    ok(w.try_pause(&guardian, pause::ALL).await);
    ok(w.try_cancel(&bob).await);
    assert_eq!(w.assets_and_shares(mint).await, (1_000, 1_000));
    let s = w.stake_of(mint, bob.key()).await.unwrap();
    assert_eq!((s.shares, s.request_shares), (100, 0));

    // another user's stake
    let keys = World::keys(mint);
    let i = ix::cancel_unstake(alice.key(), mint);
    let i = substitute(
        i,
        pda::stake(&keys.pool, &alice.key()),
        pda::stake(&keys.pool, &bob.key()),
    );
    expect_err(
        w.send(&[i], &[&alice.kp]).await,
        AnchorError::ConstraintSeeds,
    );
}

#[tokio::test]
async fn cancel_by_sole_holder_burns_nothing() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 10_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    ok(w.try_request_unstake(&alice, 1_000).await);
    ok(w.try_revenue(mint, 500).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    assert_eq!(w.assets_and_shares(mint).await, (1_500, 1_000));
    ok(w.try_cancel(&alice).await);
    assert_eq!(w.assets_and_shares(mint).await, (1_500, 1_000));
    assert_eq!(w.shares(mint, alice.key()).await, 1_000);
}
