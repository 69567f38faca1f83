//! Compensation payouts: the governance delay, execution and cancellation.

use backstop_tests::*;

const DELAY: u64 = 172_800;

#[tokio::test]
async fn payout_waits_its_delay_and_can_be_cancelled_before() {
    let mut w = World::with_delay(DELAY).await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    let victim = w.user(mint, 0).await;
    let stranger = w.new_keypair().await;

    // refusals at proposal
    let payer = w.bank.payer_pubkey();
    let i = ix::propose_payout(stranger.pubkey(), payer, mint, 0, victim.tokens, 10);
    expect_err(w.send(&[i], &[&stranger]).await, BackstopError::NotAdmin);
    let other_mint = w.create_mint().await;
    let wrong = w
        .bank
        .create_token_account(other_mint, victim.key())
        .await
        .unwrap();
    expect_err(
        w.try_propose_payout(mint, wrong, 10)
            .await
            .map(|_| TxOk::default()),
        BackstopError::MintMismatch,
    );

    let id = w
        .try_propose_payout(mint, victim.tokens, 300_000)
        .await
        .unwrap();
    assert_eq!(id, 0);
    let p = w.payout(mint, id).await;
    assert_eq!(
        (p.amount, p.eta, p.status, p.paid),
        (300_000, START + DELAY as i64, PayoutStatus::Pending, 0)
    );
    assert_eq!(p.recipient, victim.tokens);

    w.set_time(START + DELAY as i64 - 1).await;
    expect_err(
        w.try_execute_payout(mint, id, victim.tokens).await,
        BackstopError::PayoutNotReady,
    );
    w.set_time(START + DELAY as i64).await;
    // a substituted recipient
    let thief = w.user(mint, 0).await;
    expect_err(
        w.try_execute_payout(mint, id, thief.tokens).await,
        AnchorError::ConstraintHasOne,
    );
    let guardian = w.guardian.insecure_clone();
    expect_err(
        w.try_cancel_payout(&guardian, mint, id).await,
        BackstopError::PayoutAlreadyExecutable,
    );
    ok(w.try_pause(&guardian, pause::PAYOUT).await);
    expect_err(
        w.try_execute_payout(mint, id, victim.tokens).await,
        BackstopError::OperationPaused,
    );
    let admin = w.admin.insecure_clone();
    ok(w.try_unpause(&admin, pause::PAYOUT).await);
    ok(w.try_execute_payout(mint, id, victim.tokens).await);
    assert_eq!(w.balance(victim.tokens).await, 300_000);
    assert_eq!(w.assets_and_shares(mint).await, (700_000, 1_000_000));
    let p = w.payout(mint, id).await;
    assert_eq!((p.status, p.paid), (PayoutStatus::Executed, 300_000));
    expect_err(
        w.try_execute_payout(mint, id, victim.tokens).await,
        BackstopError::PayoutNotPending,
    );

    // a second payout, cancelled by the guardian before its eta
    let id = w
        .try_propose_payout(mint, victim.tokens, 50_000)
        .await
        .unwrap();
    assert_eq!(id, 1);
    expect_err(
        w.try_cancel_payout(&stranger, mint, id).await,
        BackstopError::NotGuardianOrAdmin,
    );
    ok(w.try_cancel_payout(&guardian, mint, id).await);
    assert_eq!(w.payout(mint, id).await.status, PayoutStatus::Cancelled);
    expect_err(
        w.try_cancel_payout(&guardian, mint, id).await,
        BackstopError::PayoutNotPending,
    );
    w.advance(DELAY as i64).await;
    expect_err(
        w.try_execute_payout(mint, id, victim.tokens).await,
        BackstopError::PayoutNotPending,
    );
    assert_eq!(w.balance(victim.tokens).await, 300_000);
    assert_eq!(w.assets_and_shares(mint).await, (700_000, 1_000_000));
}
