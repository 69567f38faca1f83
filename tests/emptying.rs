//! A pool emptied by its last staker, a closed stake, and wipe-out by a
//! payout that drains the pool.

use backstop_tests::*;

#[tokio::test]
async fn last_staker_out_empties_the_pool_into_revenue() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 10_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    ok(w.try_request_unstake(&alice, 1_000).await);
    ok(w.try_revenue(mint, 1_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    assert_eq!(w.assets_and_shares(mint).await, (2_000, 1_000));
    w.set_time(START + test_params().cooldown as i64).await;
    ok(w.try_complete(&alice).await);
    assert_eq!(w.balance(alice.tokens).await, 10_000);
    // S = 0: the 1,000 left moves to revenue, A = 0
    assert_eq!(w.assets_and_shares(mint).await, (0, 0));
    assert_eq!(w.revenue_balance(mint).await, 1_000);
    assert_eq!(w.vault_balance(mint).await, 0);
    // the next staker does not receive it
    let carol = w.user(mint, 500).await;
    ok(w.try_stake(&carol, 500).await);
    assert_eq!(w.shares(mint, carol.key()).await, 500);
}

#[tokio::test]
async fn close_stake() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 10_000).await;
    let bob = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    ok(w.try_stake(&bob, 1_000).await);
    expect_err(
        w.try_close_stake(&alice).await,
        BackstopError::StakeNotEmpty,
    );
    ok(w.try_request_unstake(&alice, 1_000).await);
    expect_err(
        w.try_close_stake(&alice).await,
        BackstopError::StakeNotEmpty,
    );
    w.advance(test_params().cooldown as i64).await;
    ok(w.try_complete(&alice).await);

    let stake_key = pda::stake(&pda::pool(&mint), &alice.key());
    let rent = w.bank.lamports(stake_key).await;
    assert!(rent > 0);
    let before = w.bank.lamports(alice.key()).await;
    ok(w.try_close_stake(&alice).await);
    assert!(w.bank.account(stake_key).await.is_none());
    assert_eq!(w.bank.lamports(alice.key()).await, before + rent);

    // the treasury's stake is never closed
    let treasury = w.treasury_user(mint).await;
    expect_err(
        w.try_close_stake(&treasury).await,
        BackstopError::TreasuryStakeNotClosable,
    );
}

#[tokio::test]
async fn payout_that_drains_the_pool_wipes_it_out() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 20_000_000).await;
    ok(w.try_stake(&alice, 10_000_000).await);
    let victim = w.user(mint, 0).await;
    let id = w
        .try_propose_payout(mint, victim.tokens, 9_999_999)
        .await
        .unwrap();
    ok(w.try_execute_payout(mint, id, victim.tokens).await);
    // A = 1, S = 10⁷: A·10⁶ < S ⇒ epoch + 1, S = 0, the last unit to revenue
    let pool = w.pool(mint).await;
    assert_eq!((pool.assets, pool.total_shares, pool.epoch), (0, 0, 1));
    assert_eq!(w.balance(victim.tokens).await, 9_999_999);
    assert_eq!(w.revenue_balance(mint).await, 1);
    assert_eq!(w.vault_balance(mint).await, 0);

    // alice's old-epoch stake holds nothing
    let s = w.stake_of(mint, alice.key()).await.unwrap();
    assert_eq!((s.shares, s.epoch), (10_000_000, 0));
    assert_eq!(w.shares(mint, alice.key()).await, 0);
    expect_err(
        w.try_request_unstake(&alice, 1).await,
        BackstopError::InsufficientShares,
    );

    // staking again starts a fresh epoch-1 stake at 1:1
    ok(w.try_stake(&alice, 5_000).await);
    let s = w.stake_of(mint, alice.key()).await.unwrap();
    assert_eq!((s.shares, s.epoch), (5_000, 1));
    assert_eq!(w.assets_and_shares(mint).await, (5_000, 5_000));
}

#[tokio::test]
async fn payout_that_leaves_enough_does_not_wipe_out() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 20_000_000).await;
    ok(w.try_stake(&alice, 10_000_000).await);
    let victim = w.user(mint, 0).await;
    let id = w
        .try_propose_payout(mint, victim.tokens, 9_999_990)
        .await
        .unwrap();
    ok(w.try_execute_payout(mint, id, victim.tokens).await);
    // A = 10, S = 10⁷: A·10⁶ = S, not below
    let pool = w.pool(mint).await;
    assert_eq!(
        (pool.assets, pool.total_shares, pool.epoch),
        (10, 10_000_000, 0)
    );
}

#[tokio::test]
async fn wiped_out_stake_can_be_closed() {
    let (mut w, mint, alice) = World::with_one_pool(no_fee_params(), 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    let victim = w.user(mint, 0).await;
    let id = w
        .try_propose_payout(mint, victim.tokens, 5_000)
        .await
        .unwrap();
    ok(w.try_execute_payout(mint, id, victim.tokens).await);
    // pays min(5,000, A = 1,000)
    assert_eq!(w.balance(victim.tokens).await, 1_000);
    assert_eq!(w.payout(mint, id).await.paid, 1_000);
    assert_eq!(w.pool(mint).await.epoch, 1);
    ok(w.try_close_stake(&alice).await);
    assert!(w.stake_of(mint, alice.key()).await.is_none());
}
