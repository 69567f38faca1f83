//! The second review's findings on exits and records (issue 19): a lapsed
//! request stays lapsed, a recorded loss cannot be escaped, a fake record can
//! be voided, and an aggregate market holds one record at a time.

use backstop_tests::*;

fn with_window() -> PoolParams {
    PoolParams {
        window: 2 * DAY as u64,
        max_apr_bps: 0,
        protocol_cut_bps: 0,
        ..test_params()
    }
}

#[tokio::test]
async fn an_unpause_never_revives_a_lapsed_request() {
    let mut w = World::new().await;
    let params = with_window();
    let cooldown = params.cooldown as i64;
    let mint = w.new_pool(params).await;
    let alice = w.user(mint, 10_000).await;
    let bob = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 5_000).await);
    ok(w.try_stake(&bob, 5_000).await);
    ok(w.try_request_unstake(&alice, 5_000).await);
    // the request lapses after cooldown + window of exit clock
    w.set_time(START + cooldown + 2 * DAY + 1).await;
    expect_err(w.try_complete(&alice).await, BackstopError::RequestLapsed);
    // 90 days later, an incident: complete_unstake paused and unpaused
    w.set_time(START + cooldown + 92 * DAY).await;
    let guardian = w.guardian.insecure_clone();
    let admin = w.admin.insecure_clone();
    ok(w.try_pause(&guardian, pause::COMPLETE_UNSTAKE).await);
    w.advance(DAY).await;
    ok(w.try_unpause(&admin, pause::COMPLETE_UNSTAKE).await);
    // a loss is recorded; the lapsed request must not leave ahead of it
    let m = w.lending_market(mint, u64::MAX).await;
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 4_000).await);
    expect_err(w.try_complete(&alice).await, BackstopError::LossPending);
    ok(w.try_resolve(&m, debtor).await);
    expect_err(w.try_complete(&alice).await, BackstopError::RequestLapsed);
    assert_eq!(w.balance(alice.tokens).await, 5_000);
    // alice and bob bear the loss alike: 3,000 each
    assert_eq!(w.assets_and_shares(mint).await, (6_000, 10_000));
}

#[tokio::test]
async fn a_recorded_loss_blocks_every_exit_until_anyone_resolves_it() {
    let mut w = World::new().await;
    let params = with_window();
    let cooldown = params.cooldown as i64;
    let mint = w.new_pool(params).await;
    let alice = w.user(mint, 10_000).await;
    let bob = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 6_000).await);
    ok(w.try_stake(&bob, 4_000).await);
    ok(w.try_request_unstake(&bob, 4_000).await);
    let m = w.lending_market(mint, u64::MAX).await;
    w.set_time(START + cooldown).await;
    // bob's request matured; a loss of 5,000 is recorded before he leaves
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 5_000).await);
    assert_eq!(w.pool(mint).await.open_records, 1);
    expect_err(w.try_complete(&bob).await, BackstopError::LossPending);
    // the block stops the exit clock: ten days of it do not lapse the request
    w.advance(10 * DAY).await;
    expect_err(w.try_complete(&bob).await, BackstopError::LossPending);
    // anyone resolves: the fund pays 5,000 and A = 5,000 for S = 10,000
    ok(w.try_resolve(&m, debtor).await);
    assert_eq!(w.pool(mint).await.open_records, 0);
    assert_eq!(w.assets_and_shares(mint).await, (5_000, 10_000));
    // bob leaves at the price after the loss: min(4,000, 2,000)
    ok(w.try_complete(&bob).await);
    assert_eq!(w.balance(bob.tokens).await, 6_000 + 2_000);
    assert_eq!(w.assets_and_shares(mint).await, (3_000, 6_000));
}

#[tokio::test]
async fn a_block_extends_the_window_by_its_length() {
    let mut w = World::new().await;
    let params = with_window();
    let cooldown = params.cooldown as i64;
    let mint = w.new_pool(params).await;
    let alice = w.user(mint, 10_000).await;
    let bob = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    ok(w.try_stake(&bob, 1_000).await);
    ok(w.try_request_unstake(&alice, 1_000).await);
    ok(w.try_request_unstake(&bob, 1_000).await);
    let m = w.lending_market(mint, 0).await;
    let debtor = Keypair::new().pubkey();
    // a record open for 5 days from day 3 of the cooldown
    w.set_time(START + 3 * DAY).await;
    ok(w.try_record_bankruptcy(&m, debtor, 1).await);
    w.set_time(START + 8 * DAY).await;
    ok(w.try_resolve(&m, debtor).await);
    // the window now ends 5 days later than it would have
    let end = START + cooldown + 2 * DAY + 5 * DAY;
    let pool = w.pool(mint).await;
    let protocol = w.protocol().await;
    let stake = w.stake_account(mint, alice.key()).await.unwrap();
    let times = views::stake_request_times(&stake, &pool, &protocol, START + 8 * DAY);
    assert_eq!(times, Some((START + cooldown, Some(end))));
    w.set_time(end).await;
    ok(w.try_complete(&alice).await);
    assert_eq!(w.balance(alice.tokens).await, 10_000);
    w.set_time(end + 1).await;
    expect_err(w.try_complete(&bob).await, BackstopError::RequestLapsed);
}

#[tokio::test]
async fn an_isolated_markets_record_never_blocks_the_pool() {
    let mut w = World::new().await;
    let mint = w.new_pool(with_window()).await;
    let alice = w.user(mint, 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    ok(w.try_request_unstake(&alice, 1_000).await);
    let m = w
        .try_create_market(mint, MarketKind::Perp, u64::MAX, true, 5_000)
        .await
        .unwrap();
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 10).await);
    assert_eq!(w.pool(mint).await.open_records, 0);
    w.advance(with_window().cooldown as i64).await;
    ok(w.try_complete(&alice).await);
    assert_eq!(w.balance(alice.tokens).await, 1_000);
}

#[tokio::test]
async fn the_admin_voids_a_fake_record_only_on_a_frozen_market() {
    let mut w = World::new().await;
    let mint = w.new_pool(with_window()).await;
    let alice = w.user(mint, 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    let m = w.lending_market(mint, u64::MAX).await;
    let lender = Keypair::new().pubkey();
    ok(w.try_record_deposit(&m, lender, 500).await);
    // a stolen operator key records a fake loss of everything
    let fake = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, fake, 1_000_000).await);
    let rent = w.bank.lamports(pda::bankruptcy(&m.key, &fake)).await;
    let admin = w.admin.insecure_clone();
    let stranger = w.new_keypair().await;
    expect_err(
        w.try_void_bankruptcy(&admin, &m, fake).await,
        BackstopError::MarketNotFrozen,
    );
    ok(w.try_set_frozen(&m, true).await);
    expect_err(
        w.try_void_bankruptcy(&stranger, &m, fake).await,
        BackstopError::NotAdmin,
    );
    // the record's rent goes back to the operator, to no one else
    let elsewhere = ix::void_bankruptcy(admin.pubkey(), m.index, m.mint, fake, stranger.pubkey());
    expect_err(
        w.send(&[elsewhere], &[&admin]).await,
        BackstopError::RentRecipientMismatch,
    );
    let operator_before = w.bank.lamports(w.operator.pubkey()).await;
    ok(w.try_void_bankruptcy(&admin, &m, fake).await);
    // nothing paid, nothing socialised; the rent went to the operator
    assert!(w.bankruptcy(m.index, fake).await.is_none());
    let market = w.market(m.index).await;
    assert_eq!(
        (market.insurance_used, market.socialised, market.unrecovered),
        (0, 0, 0)
    );
    assert_eq!(market.deposit_index, E18);
    assert_eq!(market.open_bankruptcies, 0);
    assert_eq!(w.lender_balance(m.index, lender).await, 500);
    assert_eq!(w.assets_and_shares(mint).await, (1_000, 1_000));
    assert_eq!(w.pool(mint).await.open_records, 0);
    assert_eq!(
        w.bank.lamports(w.operator.pubkey()).await,
        operator_before + rent
    );
    // and it is gone: nothing left to resolve
    assert!(w.try_resolve(&m, fake).await.is_err());
}

#[tokio::test]
async fn an_aggregate_market_holds_one_open_record_at_a_time() {
    let mut w = World::new().await;
    let mint = w.new_pool(with_window()).await;
    let alice = w.user(mint, 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    let m = w
        .try_create_market_in_mode(
            mint,
            MarketKind::Lending,
            0,
            false,
            0,
            ExposureMode::Aggregate,
        )
        .await
        .unwrap();
    let (first, second) = (Keypair::new().pubkey(), Keypair::new().pubkey());
    ok(
        w.try_record_bankruptcy_with_exposure(&m, first, 600_000, 1_000_000)
            .await,
    );
    expect_err(
        w.try_record_bankruptcy_with_exposure(&m, second, 600_000, 1_000_000)
            .await,
        BackstopError::BankruptcyOpen,
    );
    ok(w.try_resolve(&m, first).await);
    // I = 10¹⁸ − ⌈10¹⁸·600,000 / 1,000,000⌉ = 0.4·10¹⁸
    assert_eq!(w.market(m.index).await.deposit_index, 4 * E18 / 10);
    // the host records the next one on the exposure after the first
    ok(
        w.try_record_bankruptcy_with_exposure(&m, second, 600_000, 400_000)
            .await,
    );
    ok(w.try_resolve(&m, second).await);
    let market = w.market(m.index).await;
    // socialised never exceeds the exposure: 600,000 + 400,000, the rest unrecovered
    assert_eq!(market.socialised, 1_000_000);
    assert_eq!(market.unrecovered, 200_000);
    assert_eq!(market.deposit_index, 0);
    assert_eq!(market.status, MarketStatus::Insolvent);
}
