//! resolve_bankruptcy: insurance up to the cap, then socialisation against
//! lenders (deposit index) or positions (loss index).

use backstop_tests::*;

/// A world with one pool in which alice has staked `staked`.
async fn funded_pool(staked: u64) -> (World, Pubkey) {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, staked).await;
    ok(w.try_stake(&alice, staked).await);
    (w, mint)
}

#[tokio::test]
async fn lending_loss_paid_up_to_the_cap_then_socialised() {
    let (mut w, mint) = funded_pool(100_000_000_000).await;
    let m = w.lending_market(mint, 50_000_000_000).await;
    let lender = Keypair::new().pubkey();
    ok(w.try_record_deposit(&m, lender, 900_000_000_000).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 200_000_000_000).await);
    let record = pda::bankruptcy(&m.key, &debtor);
    let rent = w.bank.lamports(record).await;
    let keeper_before = w.bank.lamports(w.keeper.pubkey()).await;

    ok(w.try_resolve(&m, debtor).await);
    // paid 50e9 (the cap), socialised 150e9
    assert_eq!(w.balance(m.settlement).await, 50_000_000_000);
    assert_eq!(
        w.assets_and_shares(mint).await,
        (50_000_000_000, 100_000_000_000)
    );
    assert_eq!(w.vault_balance(mint).await, 50_000_000_000);
    let market = w.market(m.index).await;
    assert_eq!(market.insurance_used, 50_000_000_000);
    assert_eq!(market.deposit_index, 833_333_333_333_333_333);
    assert_eq!(
        (market.socialised, market.unrecovered),
        (150_000_000_000, 0)
    );
    assert_eq!(market.open_bankruptcies, 0);
    assert_eq!(market.status, MarketStatus::Active);
    assert_eq!(w.lender_balance(m.index, lender).await, 749_999_999_999);
    // the record is closed and its rent goes to the resolver
    assert!(w.bank.account(record).await.is_none());
    assert_eq!(
        w.bank.lamports(w.keeper.pubkey()).await,
        keeper_before + rent
    );
    // resolving twice fails
    expect_err(
        w.try_resolve(&m, debtor).await,
        AnchorError::AccountNotInitialized,
    );
    assert_eq!(w.balance(m.settlement).await, 50_000_000_000);

    // the cap is used up: the next deficit is socialised in full
    ok(w.try_record_bankruptcy(&m, debtor, 1_000).await);
    ok(w.try_resolve(&m, debtor).await);
    let market = w.market(m.index).await;
    assert_eq!(market.insurance_used, 50_000_000_000);
    assert_eq!(market.socialised, 150_000_001_000);
    assert_eq!(w.assets_and_shares(mint).await.0, 50_000_000_000);
}

#[tokio::test]
async fn perp_loss_raises_the_loss_index_and_positions_owe_it() {
    let (mut w, mint) = funded_pool(10_000_000_000).await;
    let m = w.perp_market(mint, 500_000_000).await;
    let long = Keypair::new().pubkey();
    let short = Keypair::new().pubkey();
    ok(w.try_record_position(&m, long, 1_500_000).await);
    ok(w.try_record_position(&m, short, -500_000).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 2_000_000_000).await);
    ok(w.try_resolve(&m, debtor).await);

    assert_eq!(w.balance(m.settlement).await, 500_000_000);
    assert_eq!(w.assets_and_shares(mint).await.0, 9_500_000_000);
    let market = w.market(m.index).await;
    assert_eq!(market.loss_index, 750_000_000_000_000_000_000);
    assert_eq!(
        (market.socialised, market.unrecovered, market.insurance_used),
        (1_500_000_000, 0, 500_000_000)
    );
    assert_eq!(w.position_owed(m.index, long).await, 1_125_000_000);
    assert_eq!(w.position_owed(m.index, short).await, 375_000_000);

    // moving the position settles what it owes
    ok(w.try_record_position(&m, long, 1_000_000).await);
    let p = w.position(m.index, long).await;
    assert_eq!(
        (p.base, p.owed, p.loss_snapshot),
        (1_000_000, 1_125_000_000, 750_000_000_000_000_000_000)
    );
    assert_eq!(w.market(m.index).await.open_interest, 1_500_000);
    // a new position owes nothing for earlier losses
    let late = Keypair::new().pubkey();
    ok(w.try_record_position(&m, late, 3_000).await);
    assert_eq!(w.position_owed(m.index, late).await, 0);
    // the operator clears what it has charged
    expect_err(
        w.try_clear_owed(&m, long, 1_125_000_001).await,
        BackstopError::ClearAboveOwed,
    );
    ok(w.try_clear_owed(&m, long, 1_000_000_000).await);
    assert_eq!(w.position(m.index, long).await.owed, 125_000_000);
    ok(w.try_clear_owed(&m, short, 375_000_000).await);
    let p = w.position(m.index, short).await;
    assert_eq!((p.owed, p.loss_snapshot), (0, 750_000_000_000_000_000_000));
}

#[tokio::test]
async fn loss_above_deposits_makes_the_market_insolvent() {
    let (mut w, mint) = funded_pool(1_000).await;
    let m = w.lending_market(mint, 0).await;
    let lender = Keypair::new().pubkey();
    ok(w.try_record_deposit(&m, lender, 100).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 150).await);
    ok(w.try_resolve(&m, debtor).await);
    let market = w.market(m.index).await;
    assert_eq!(market.deposit_index, 0);
    assert_eq!(market.status, MarketStatus::Insolvent);
    assert_eq!(
        (market.socialised, market.unrecovered, market.insurance_used),
        (100, 50, 0)
    );
    assert_eq!(w.lender_balance(m.index, lender).await, 0);
    assert_eq!(w.assets_and_shares(mint).await.0, 1_000);
    assert_eq!(w.balance(m.settlement).await, 0);
    expect_err(
        w.try_record_deposit(&m, lender, 10).await,
        BackstopError::MarketInsolvent,
    );
    expect_err(
        w.try_record_withdrawal(&m, lender, 1).await,
        BackstopError::MarketInsolvent,
    );
    // An insolvent market can still be frozen; the flag is its own.
    let freeze = MarketUpdate {
        operator: None,
        frozen: Some(true),
    };
    ok(
        w.admin_send(ix::update_market(w.admin.pubkey(), m.index, freeze, None))
            .await,
    );
    let market = w.market(m.index).await;
    assert!(market.frozen);
    assert_eq!(market.status, MarketStatus::Insolvent);
    expect_err(
        w.try_record_deposit(&m, lender, 10).await,
        BackstopError::MarketFrozen,
    );
}

#[tokio::test]
async fn nobody_to_bear_the_loss_leaves_it_unrecovered() {
    let (mut w, mint) = funded_pool(1_000).await;
    let perp = w.perp_market(mint, 0).await;
    let lending = w.lending_market(mint, 0).await;
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&perp, debtor, 77).await);
    ok(w.try_resolve(&perp, debtor).await);
    let market = w.market(perp.index).await;
    assert_eq!(
        (market.loss_index, market.socialised, market.unrecovered),
        (0, 0, 77)
    );
    ok(w.try_record_bankruptcy(&lending, debtor, 88).await);
    ok(w.try_resolve(&lending, debtor).await);
    let market = w.market(lending.index).await;
    assert_eq!(
        (market.deposit_index, market.socialised, market.unrecovered),
        (E18, 0, 88)
    );
    assert_eq!(market.status, MarketStatus::Active);
}

#[tokio::test]
async fn bankruptcy_that_drains_the_pool_wipes_it_out() {
    let (mut w, mint) = funded_pool(1_000).await;
    let m = w.lending_market(mint, u64::MAX).await;
    let lender = Keypair::new().pubkey();
    ok(w.try_record_deposit(&m, lender, 10_000).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 5_000).await);
    ok(w.try_resolve(&m, debtor).await);
    // paid min(5,000, cap, A = 1,000); the pool is wiped out
    assert_eq!(w.balance(m.settlement).await, 1_000);
    let pool = w.pool(mint).await;
    assert_eq!((pool.assets, pool.total_shares, pool.epoch), (0, 0, 1));
    // L = 4,000 of D = 10,000: I −= ⌈10¹⁸·4,000/10,000⌉
    let market = w.market(m.index).await;
    assert_eq!(market.deposit_index, 600_000_000_000_000_000);
    assert_eq!((market.insurance_used, market.socialised), (1_000, 4_000));
    assert_eq!(w.lender_balance(m.index, lender).await, 6_000);
    // with nothing left, the next deficit is all socialised
    ok(w.try_record_bankruptcy(&m, debtor, 600).await);
    ok(w.try_resolve(&m, debtor).await);
    assert_eq!(w.balance(m.settlement).await, 1_000);
    assert_eq!(w.lender_balance(m.index, lender).await, 5_400);
}

#[tokio::test]
async fn isolated_market_is_insured_only_by_its_own_vault() {
    let (mut w, mint) = funded_pool(5_000_000).await;
    let m = w
        .try_create_market(mint, MarketKind::Perp, u64::MAX, true, 10_000)
        .await
        .unwrap();
    ok(w.try_pay_premium(&m, 1_000_000).await);
    assert_eq!(w.revenue_balance(mint).await, 0);
    let trader = Keypair::new().pubkey();
    ok(w.try_record_position(&m, trader, -4_000_000).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 3_000_000).await);

    // resolving without the isolated vault is refused
    let keeper = w.keeper.insecure_clone();
    let i = ix::resolve_bankruptcy(keeper.pubkey(), m.index, mint, debtor, m.settlement, false);
    expect_err(
        w.send(&[i], &[&keeper]).await,
        BackstopError::IsolatedVaultMismatch,
    );

    ok(w.try_resolve(&m, debtor).await);
    assert_eq!(w.balance(m.settlement).await, 1_000_000);
    assert_eq!(w.balance(pda::isolated_vault(&m.key)).await, 0);
    let market = w.market(m.index).await;
    assert_eq!(
        (market.isolated_assets, market.insurance_used),
        (0, 1_000_000)
    );
    // the pool is untouched
    assert_eq!(w.assets_and_shares(mint).await, (5_000_000, 5_000_000));
    assert_eq!(w.vault_balance(mint).await, 5_000_000);
    // L = 2,000,000 over OI 4,000,000
    assert_eq!(market.loss_index, 500_000_000_000_000_000);
    assert_eq!(w.position_owed(m.index, trader).await, 2_000_000);
}

#[tokio::test]
async fn cap_raise_is_not_paid_before_its_eta() {
    let mut w = World::with_delay(172_800).await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    let m = w.lending_market(mint, 1_000_000).await;
    let lender = Keypair::new().pubkey();
    ok(w.try_record_deposit(&m, lender, 10_000).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 1_000).await);
    w.set_time(START + 172_799).await;
    ok(w.try_resolve(&m, debtor).await);
    // cap in effect is 0: all socialised
    assert_eq!(w.balance(m.settlement).await, 0);
    assert_eq!(w.lender_balance(m.index, lender).await, 9_000);
    // at the eta the cap is in effect
    w.set_time(START + 172_800).await;
    ok(w.try_record_bankruptcy(&m, debtor, 1_000).await);
    ok(w.try_resolve(&m, debtor).await);
    assert_eq!(w.balance(m.settlement).await, 1_000);
    let market = w.market(m.index).await;
    assert_eq!(
        (market.cap, market.insurance_used, market.socialised),
        (1_000_000, 1_000, 1_000)
    );
    assert_eq!(w.assets_and_shares(mint).await.0, 999_000);
}

#[tokio::test]
async fn resolve_refusals() {
    let (mut w, mint) = funded_pool(1_000_000).await;
    let m = w.lending_market(mint, u64::MAX).await;
    let other = w.lending_market(mint, u64::MAX).await;
    let lender = Keypair::new().pubkey();
    ok(w.try_record_deposit(&m, lender, 10_000).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 1_000).await);
    let keeper = w.keeper.insecure_clone();
    let keys = World::keys(mint);

    // a settlement account that is not the market's
    let thief = w
        .bank
        .create_token_account(mint, keeper.pubkey())
        .await
        .unwrap();
    let i = substitute(w.make_resolve_ix(&m, debtor), m.settlement, thief);
    expect_err(
        w.send(&[i], &[&keeper]).await,
        BackstopError::SettlementMismatch,
    );
    // another market's settlement account
    let i = substitute(
        w.make_resolve_ix(&m, debtor),
        m.settlement,
        other.settlement,
    );
    expect_err(
        w.send(&[i], &[&keeper]).await,
        BackstopError::SettlementMismatch,
    );
    // a substituted vault
    let fake = w
        .bank
        .create_token_account(mint, keeper.pubkey())
        .await
        .unwrap();
    ok(w.bank.mint_to(mint, fake, 5_000).await);
    let i = substitute(w.make_resolve_ix(&m, debtor), keys.vault, fake);
    expect_err(
        w.send(&[i], &[&keeper]).await,
        AnchorError::ConstraintHasOne,
    );
    // the record of one market resolved through another
    let i = substitute(
        w.make_resolve_ix(&other, debtor),
        pda::bankruptcy(&other.key, &debtor),
        pda::bankruptcy(&m.key, &debtor),
    );
    expect_err(w.send(&[i], &[&keeper]).await, AnchorError::ConstraintSeeds);
    // paused
    let guardian = w.guardian.insecure_clone();
    ok(w.try_pause(&guardian, pause::RESOLVE).await);
    expect_err(
        w.try_resolve(&m, debtor).await,
        BackstopError::OperationPaused,
    );
    let admin = w.admin.insecure_clone();
    ok(w.try_unpause(&admin, pause::RESOLVE).await);

    assert_eq!(w.balance(thief).await, 0);
    assert_eq!(w.balance(fake).await, 5_000);
    ok(w.try_resolve(&m, debtor).await);
    assert_eq!(w.balance(m.settlement).await, 1_000);
    assert_eq!(w.assets_and_shares(mint).await.0, 999_000);
    assert_eq!(w.lender_balance(m.index, lender).await, 10_000);
}

#[tokio::test]
async fn frozen_market_can_still_be_resolved() {
    let (mut w, mint) = funded_pool(1_000_000).await;
    let m = w.lending_market(mint, u64::MAX).await;
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 2_500).await);
    let freeze = MarketUpdate {
        operator: None,
        frozen: Some(true),
    };
    ok(
        w.admin_send(ix::update_market(w.admin.pubkey(), m.index, freeze, None))
            .await,
    );
    ok(w.try_resolve(&m, debtor).await);
    assert_eq!(w.balance(m.settlement).await, 2_500);
    let market = w.market(m.index).await;
    assert!(market.frozen);
    assert_eq!(market.status, MarketStatus::Active);
}
