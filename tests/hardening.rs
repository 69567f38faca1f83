//! The review's findings (issue 7), each tried against the rule that settles
//! it: the treasury's exact cut, a freeze that holds through insolvency,
//! payouts that expire, exits no pause can lapse, and settlement accounts that
//! can never be the fund's own.

use backstop_tests::*;

const FOURTEEN_DAYS: i64 = 14 * DAY;

fn cut_half() -> PoolParams {
    PoolParams {
        protocol_cut_bps: 5_000,
        max_apr_bps: 0,
        ..test_params()
    }
}

#[tokio::test]
async fn treasury_stake_is_worth_its_cut_after_one_sweep() {
    let mut w = World::new().await;
    let mint = w.new_pool(cut_half()).await;
    let alice = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    ok(w.try_revenue(mint, 1_000_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    // y = 500,000 first (A = 1,500,000, S = 1,000,000), then P = 500,000 buys
    // ⌊500,000·1,000,000 / 1,500,000⌋ = 333,333 shares.
    assert_eq!(w.assets_and_shares(mint).await, (2_000_000, 1_333_333));
    let treasury = w.shares(mint, w.treasury.pubkey()).await;
    assert_eq!(treasury, 333_333);
    // worth P within a unit (the old order gave it 2/3 of R: 666,666)
    let pool = w.pool(mint).await;
    let value = (treasury * pool.assets as u128 / pool.total_shares) as u64;
    assert_eq!(value, 499_999);
    assert_eq!(w.shares(mint, alice.key()).await, 1_000_000);
    assert_eq!(pool.held_back, 0);
}

#[tokio::test]
async fn revenue_held_back_by_the_apr_cap_is_cut_exactly_once() {
    let mut w = World::new().await;
    let params = PoolParams {
        protocol_cut_bps: 5_000,
        max_apr_bps: 1_000_000,
        ..test_params()
    };
    let mint = w.new_pool(params).await;
    let alice = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    // a burst ten times the pool
    ok(w.try_revenue(mint, 10_000_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    // F = 10,000,000: P = 5,000,000; y ≤ ⌊1,000,000·1,000,000·3,600 / 315,360,000,000⌋ = 11,415
    let pool = w.pool(mint).await;
    let treasury_after_first = w.shares(mint, w.treasury.pubkey()).await;
    // p = ⌊5,000,000·1,000,000 / 1,011,415⌋
    assert_eq!(treasury_after_first, 4_943_569);
    assert_eq!(pool.held_back, 5_000_000 - 11_415);
    assert_eq!(w.revenue_balance(mint).await, pool.held_back);
    let mut sweeps = 1;
    while w.pool(mint).await.held_back > 0 {
        w.advance(3_600).await;
        ok(w.try_sweep(mint).await);
        sweeps += 1;
        assert!(sweeps < 2_000, "the backlog never drains");
    }
    // Every later sweep released already-cut revenue: no new treasury shares.
    assert_eq!(
        w.shares(mint, w.treasury.pubkey()).await,
        treasury_after_first
    );
    assert!(sweeps > 10, "the cap held the burst over {sweeps} sweeps");
    assert_eq!(w.assets_and_shares(mint).await.0, 11_000_000);
    assert_eq!(w.revenue_balance(mint).await, 0);
    assert_eq!(w.vault_balance(mint).await, 11_000_000);
}

#[tokio::test]
async fn a_freeze_survives_insolvency_and_refuses_every_record() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let m = w.lending_market(mint, 0).await;
    let lender = Keypair::new().pubkey();
    ok(w.try_record_deposit(&m, lender, 100).await);
    let first = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, first, 150).await);
    ok(w.try_set_frozen(&m, true).await);
    // the resolution makes the frozen market insolvent
    ok(w.try_resolve(&m, first).await);
    let market = w.market(m.index).await;
    assert_eq!(market.status, MarketStatus::Insolvent);
    assert!(market.frozen, "insolvency must not lift the freeze");
    // ... and the operator can record nothing, a bankruptcy included
    let second = Keypair::new().pubkey();
    expect_err(
        w.try_record_bankruptcy(&m, second, 1).await,
        BackstopError::MarketFrozen,
    );
    assert!(w.bankruptcy(m.index, second).await.is_none());
    expect_err(
        w.try_record_deposit(&m, lender, 1).await,
        BackstopError::MarketFrozen,
    );
    // unfrozen, the insolvent market takes bankruptcy records again
    ok(w.try_set_frozen(&m, false).await);
    ok(w.try_record_bankruptcy(&m, second, 1).await);
    expect_err(
        w.try_record_deposit(&m, lender, 1).await,
        BackstopError::MarketInsolvent,
    );
}

#[tokio::test]
async fn a_payout_expires_fourteen_days_after_its_eta() {
    const DELAY: u64 = 2 * DAY as u64;
    let mut w = World::with_delay(DELAY).await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    let victim = w.user(mint, 0).await;
    let eta = START + DELAY as i64;
    let late = w
        .try_propose_payout(mint, victim.tokens, 1_000)
        .await
        .unwrap();
    let last_second = w
        .try_propose_payout(mint, victim.tokens, 2_000)
        .await
        .unwrap();
    assert_eq!(w.payout(mint, late).await.eta, eta);

    w.set_time(eta + FOURTEEN_DAYS - 1).await;
    ok(w.try_execute_payout(mint, last_second, victim.tokens).await);
    assert_eq!(w.balance(victim.tokens).await, 2_000);
    w.set_time(eta + FOURTEEN_DAYS).await;
    expect_err(
        w.try_execute_payout(mint, late, victim.tokens).await,
        BackstopError::PayoutExpired,
    );
    assert_eq!(w.payout(mint, late).await.status, PayoutStatus::Pending);
    assert_eq!(w.assets_and_shares(mint).await, (998_000, 1_000_000));
    // the admin can still cancel an expired one, clearing it for good
    let admin = w.admin.insecure_clone();
    ok(w.try_cancel_payout(&admin, mint, late).await);
    assert_eq!(w.payout(mint, late).await.status, PayoutStatus::Cancelled);
}

#[tokio::test]
async fn the_admin_cancels_a_due_payout_the_guardian_cannot() {
    const DELAY: u64 = DAY as u64;
    let mut w = World::with_delay(DELAY).await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    let victim = w.user(mint, 0).await;
    let id = w
        .try_propose_payout(mint, victim.tokens, 5_000)
        .await
        .unwrap();
    w.set_time(START + DELAY as i64).await;
    let guardian = w.guardian.insecure_clone();
    expect_err(
        w.try_cancel_payout(&guardian, mint, id).await,
        BackstopError::PayoutAlreadyExecutable,
    );
    let admin = w.admin.insecure_clone();
    ok(w.try_cancel_payout(&admin, mint, id).await);
    assert_eq!(w.payout(mint, id).await.status, PayoutStatus::Cancelled);
    expect_err(
        w.try_execute_payout(mint, id, victim.tokens).await,
        BackstopError::PayoutNotPending,
    );
    expect_err(
        w.try_cancel_payout(&admin, mint, id).await,
        BackstopError::PayoutNotPending,
    );
    assert_eq!(w.balance(victim.tokens).await, 0);
    assert_eq!(w.assets_and_shares(mint).await, (1_000_000, 1_000_000));
}

#[tokio::test]
async fn a_pause_stops_the_exit_clock_so_it_never_makes_a_request_lapse() {
    let mut w = World::new().await;
    let params = PoolParams {
        window: 2 * DAY as u64,
        ..test_params()
    };
    let cooldown = params.cooldown as i64;
    let mint = w.new_pool(params).await;
    let alice = w.user(mint, 10_000).await;
    let bob = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 4_000).await);
    ok(w.try_stake(&bob, 4_000).await);
    ok(w.try_request_unstake(&alice, 1_000).await);
    ok(w.try_request_unstake(&bob, 1_000).await);
    // complete_unstake is paused for 10 days, from just before the requests mature
    let guardian = w.guardian.insecure_clone();
    let admin = w.admin.insecure_clone();
    w.set_time(START + cooldown - DAY).await;
    ok(w.try_pause(&guardian, pause::COMPLETE_UNSTAKE).await);
    w.set_time(START + cooldown - DAY + 10 * DAY).await;
    expect_err(w.try_complete(&alice).await, BackstopError::OperationPaused);
    ok(w.try_unpause(&admin, pause::COMPLETE_UNSTAKE).await);
    let resumed = w.now().await;
    // the exit clock ran cooldown − 1 day before the pause and stood still
    // for its 10 days: the requests have cooldown + 2 days − (cooldown − 1
    // day) = 3 days of exit clock left
    let clock = w.protocol().await.exit_clock;
    assert_eq!(clock, (cooldown - DAY) as u64);
    w.set_time(resumed + 3 * DAY).await;
    ok(w.try_complete(&alice).await);
    assert_eq!(w.balance(alice.tokens).await, 7_000);
    w.set_time(resumed + 3 * DAY + 1).await;
    expect_err(w.try_complete(&bob).await, BackstopError::RequestLapsed);
    // pausing something else does not stop the clock
    ok(w.try_pause(&guardian, pause::STAKE).await);
    ok(w.try_unpause(&admin, pause::STAKE).await);
    let p = w.protocol().await;
    assert_eq!(p.exit_clock_at(w.now().await), clock + (3 * DAY + 1) as u64);
}

#[tokio::test]
async fn the_default_window_is_two_days() {
    assert_eq!(PoolParams::default().window, 172_800);
    let mut w = World::new().await;
    let params = PoolParams {
        window: PoolParams::default().window,
        ..test_params()
    };
    let mint = w.new_pool(params).await;
    let alice = w.user(mint, 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    ok(w.try_request_unstake(&alice, 400).await);
    let lapse = START + params.cooldown as i64 + 2 * DAY;
    w.set_time(lapse + 1).await;
    expect_err(w.try_complete(&alice).await, BackstopError::RequestLapsed);
    ok(w.try_cancel(&alice).await);
    ok(w.try_request_unstake(&alice, 400).await);
    w.set_time(lapse + 1 + params.cooldown as i64 + 2 * DAY)
        .await;
    ok(w.try_complete(&alice).await);
    assert_eq!(w.balance(alice.tokens).await, 400);
}

#[tokio::test]
async fn settlement_and_recipient_can_never_be_the_funds_own_accounts() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let keys = World::keys(mint);
    let payer = w.bank.payer_pubkey();
    let args = CreateMarketArgs {
        index: 0,
        kind: MarketKind::Lending,
        operator: w.operator.pubkey(),
        cap: 1_000,
        isolated: false,
        isolated_share_bps: 0,
        exposure_mode: ExposureMode::Accounts,
    };
    for fund_account in [keys.vault, keys.revenue] {
        let i = ix::create_market(w.admin.pubkey(), payer, mint, fund_account, keys.pool, args);
        expect_err(w.admin_send(i).await, BackstopError::FundAccountNotAllowed);
    }
    assert_eq!(w.protocol().await.market_count, 0);
    // an isolated market: its own vault cannot be its settlement later
    let m = w
        .try_create_market(mint, MarketKind::Perp, 1_000, true, 5_000)
        .await
        .unwrap();
    let isolated_vault = pda::isolated_vault(&m.key);
    for (fund_account, owner) in [
        (keys.vault, keys.pool),
        (keys.revenue, keys.pool),
        (isolated_vault, m.key),
    ] {
        let update = MarketUpdate {
            operator: None,
            frozen: None,
        };
        let i = ix::update_market(
            w.admin.pubkey(),
            m.index,
            update,
            Some((fund_account, owner)),
        );
        expect_err(w.admin_send(i).await, BackstopError::FundAccountNotAllowed);
    }
    // naming another owner than the account's is refused by name
    let host_vault = w.settlement_account(mint).await;
    let update = MarketUpdate::default();
    let i = ix::update_market(
        w.admin.pubkey(),
        m.index,
        update,
        Some((host_vault, keys.pool)),
    );
    expect_err(
        w.admin_send(i).await,
        BackstopError::SettlementAuthorityMismatch,
    );
    // and one sent without its authority (Anchor's "none": the program id)
    let mut i = ix::update_market(
        w.admin.pubkey(),
        m.index,
        MarketUpdate::default(),
        Some((host_vault, keys.pool)),
    );
    let authority = i.accounts.last_mut().expect("settlement_authority");
    assert_eq!(authority.pubkey, keys.pool);
    authority.pubkey = PROGRAM_ID;
    expect_err(
        w.admin_send(i).await,
        BackstopError::SettlementAuthorityMissing,
    );
    let market = w.market(m.index).await;
    assert!(!market.pending_settlement.active);
    assert_eq!(market.settlement, m.settlement);
    // a payout to the pool's own vault or revenue account
    for fund_account in [keys.vault, keys.revenue] {
        let i = ix::propose_payout(w.admin.pubkey(), payer, mint, 0, fund_account, 10);
        expect_err(w.admin_send(i).await, BackstopError::FundAccountNotAllowed);
    }
    assert_eq!(w.pool(mint).await.next_payout_id, 0);
}

#[tokio::test]
async fn a_stakers_token_account_equal_to_the_vault_or_revenue_is_refused() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 5_000).await);
    let keys = World::keys(mint);
    // Backstop checks these itself: its writable accounts opt out of Anchor's
    // generic duplicate check (`dup`)
    for fund_account in [keys.vault, keys.revenue] {
        let i = ix::stake(alice.key(), mint, w.treasury.pubkey(), fund_account, 1_000);
        expect_err(
            w.send(&[i], &[&alice.kp]).await,
            AnchorError::ConstraintDuplicateMutableAccount,
        );
    }
    ok(w.try_request_unstake(&alice, 1_000).await);
    w.advance(test_params().cooldown as i64).await;
    for fund_account in [keys.vault, keys.revenue] {
        let i = ix::complete_unstake(alice.key(), mint, fund_account);
        expect_err(
            w.send(&[i], &[&alice.kp]).await,
            AnchorError::ConstraintDuplicateMutableAccount,
        );
    }
    assert_eq!(w.assets_and_shares(mint).await, (5_000, 5_000));
    assert_eq!(w.vault_balance(mint).await, 5_000);
    ok(w.try_complete(&alice).await);
    assert_eq!(w.balance(alice.tokens).await, 6_000);
}

#[tokio::test]
async fn a_treasury_stake_address_funded_in_advance_is_still_created() {
    let mut w = World::with_delay(DAY as u64).await;
    let mint = w
        .new_pool(PoolParams {
            max_apr_bps: 0,
            ..test_params()
        })
        .await;
    let alice = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    let new_treasury = w.new_keypair().await;
    ok(w.try_update_protocol(ProtocolUpdate {
        treasury: Some(new_treasury.pubkey()),
        ..Default::default()
    })
    .await);
    // someone sends lamports to the new treasury's stake address first (less
    // than the stake's rent, so the sweep must top it up)
    let address = pda::stake(&pda::pool(&mint), &new_treasury.pubkey());
    w.bank.airdrop(address, 1_000_000).await.unwrap();
    w.set_time(START + DAY).await;
    w.treasury = new_treasury.insecure_clone();
    ok(w.try_revenue(mint, 2_000).await);
    ok(w.try_sweep(mint).await);
    let stake = w.stake_of(mint, new_treasury.pubkey()).await.unwrap();
    assert_eq!(stake.owner, new_treasury.pubkey());
    // y = 1,000 (A = 1,001,000), P = 1,000 buys ⌊1,000·1,000,000 / 1,001,000⌋
    assert_eq!(stake.shares, 999);
    assert_eq!(w.assets_and_shares(mint).await, (1_002_000, 1_000_999));
}

#[tokio::test]
async fn extreme_indexes_give_named_errors() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    // I near 1: D = 10¹², a loss of D − 1 takes I to ⌊...⌋ = 10⁶
    let lend = w.lending_market(mint, 0).await;
    let lender = Keypair::new().pubkey();
    ok(w.try_record_deposit(&lend, lender, 1_000_000_000_000).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&lend, debtor, 999_999_999_999)
        .await);
    ok(w.try_resolve(&lend, debtor).await);
    assert_eq!(w.market(lend.index).await.deposit_index, 1_000_000);
    assert_eq!(w.lender_balance(lend.index, lender).await, 1);
    // the largest deposits still fit at that index, but a balance above a
    // u64 cannot be paid out: a withdrawal is a named error, not a panic
    ok(w.try_record_deposit(&lend, lender, u64::MAX).await);
    ok(w.try_record_deposit(&lend, lender, u64::MAX).await);
    let scaled = w.lender(lend.index, lender).await.unwrap().scaled;
    expect_err(
        w.try_record_withdrawal(&lend, lender, 1).await,
        BackstopError::MathOverflow,
    );
    assert_eq!(w.lender(lend.index, lender).await.unwrap().scaled, scaled);

    // K and owed near their limits: a u64::MAX loss over 7 units of open
    // interest (u64::MAX ≡ 1 mod 7, so rounding up charges one unit more)
    let perp = w.perp_market(mint, 0).await;
    let trader = Keypair::new().pubkey();
    ok(w.try_record_position(&perp, trader, 7).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&perp, debtor, u64::MAX).await);
    ok(w.try_resolve(&perp, debtor).await);
    let market = w.market(perp.index).await;
    assert_eq!(market.socialised, u64::MAX);
    assert_eq!(market.loss_index, (u64::MAX as u128 * E18).div_ceil(7));
    // the position would owe u64::MAX + 1: settling it is refused
    expect_err(
        w.try_record_position(&perp, trader, 8).await,
        BackstopError::MathOverflow,
    );
    assert_eq!(w.position(perp.index, trader).await.base, 7);
    // a further loss cannot be counted in `socialised`: refused, record kept
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&perp, debtor, 1).await);
    expect_err(
        w.try_resolve(&perp, debtor).await,
        BackstopError::MathOverflow,
    );
    assert!(w.bankruptcy(perp.index, debtor).await.is_some());
    assert_eq!(w.market(perp.index).await.loss_index, market.loss_index);
}
