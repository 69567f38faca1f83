//! Markets in `aggregate` exposure mode (issue 9): the host keeps its own
//! ledger, each bankruptcy record carries the market's total exposure, and
//! resolution socialises against it.

use backstop_tests::*;

async fn funded(staked: u64) -> (World, Pubkey) {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, staked).await;
    ok(w.try_stake(&alice, staked).await);
    (w, mint)
}

async fn aggregate_market(
    w: &mut World,
    mint: Pubkey,
    kind: MarketKind,
    cap: u64,
) -> MarketFixture {
    w.try_create_market_in_mode(mint, kind, cap, false, 0, ExposureMode::Aggregate)
        .await
        .expect("aggregate market")
}

#[tokio::test]
async fn the_mode_is_fixed_at_creation_and_visible() {
    let (mut w, mint) = funded(1_000).await;
    let agg = aggregate_market(&mut w, mint, MarketKind::Lending, 10).await;
    let acc = w.lending_market(mint, 10).await;
    assert_eq!(
        w.market(agg.index).await.exposure_mode,
        ExposureMode::Aggregate
    );
    assert_eq!(
        w.market(acc.index).await.exposure_mode,
        ExposureMode::Accounts
    );
}

#[tokio::test]
async fn per_account_records_are_refused_in_aggregate_mode() {
    let (mut w, mint) = funded(1_000).await;
    let lend = aggregate_market(&mut w, mint, MarketKind::Lending, 10).await;
    let perp = aggregate_market(&mut w, mint, MarketKind::Perp, 10).await;
    let user = Keypair::new().pubkey();
    expect_err(
        w.try_record_deposit(&lend, user, 100).await,
        BackstopError::WrongExposureMode,
    );
    expect_err(
        w.try_record_withdrawal(&lend, user, 1).await,
        AnchorError::AccountNotInitialized,
    );
    expect_err(
        w.try_record_position(&perp, user, 5).await,
        BackstopError::WrongExposureMode,
    );
    assert!(w.lender(lend.index, user).await.is_none());
    let market = w.market(lend.index).await;
    assert_eq!((market.total_scaled, market.open_interest), (0, 0));
    // and an accounts-mode market refuses an exposure on a record
    let acc = w.lending_market(mint, 10).await;
    let debtor = Keypair::new().pubkey();
    expect_err(
        w.try_record_bankruptcy_with_exposure(&acc, debtor, 5, 1_000)
            .await,
        BackstopError::WrongExposureMode,
    );
    assert!(w.bankruptcy(acc.index, debtor).await.is_none());
}

#[tokio::test]
async fn aggregate_lending_socialises_against_the_recorded_deposits() {
    let (mut w, mint) = funded(1_000_000).await;
    let m = aggregate_market(&mut w, mint, MarketKind::Lending, 1_000).await;
    let debtor = Keypair::new().pubkey();
    ok(
        w.try_record_bankruptcy_with_exposure(&m, debtor, 3_000, 1_000_000)
            .await,
    );
    let record = w.bankruptcy(m.index, debtor).await.unwrap();
    assert_eq!((record.deficit, record.exposure), (3_000, 1_000_000));
    ok(w.try_resolve(&m, debtor).await);
    // the fund pays its cap, 1,000; L = 2,000 against D = 1,000,000:
    // I = 10¹⁸ − ⌈10¹⁸·2,000 / 1,000,000⌉ = 998·10¹⁵
    let market = w.market(m.index).await;
    assert_eq!(market.deposit_index, 998_000_000_000_000_000);
    assert_eq!(
        (market.insurance_used, market.socialised, market.unrecovered),
        (1_000, 2_000, 0)
    );
    assert_eq!(w.balance(m.settlement).await, 1_000);
    assert_eq!(w.assets_and_shares(mint).await, (999_000, 1_000_000));
    // a host applying I_after / I_before to its lenders (here 600,000 and
    // 400,000) keeps at most deposits − socialised
    let host: u128 = [600_000u128, 400_000]
        .iter()
        .map(|b| b * market.deposit_index / E18)
        .sum();
    assert_eq!(host, 998_000);
    // a loss at or above the exposure makes the market insolvent
    let second = Keypair::new().pubkey();
    ok(
        w.try_record_bankruptcy_with_exposure(&m, second, 5_000, 4_000)
            .await,
    );
    ok(w.try_resolve(&m, second).await);
    let market = w.market(m.index).await;
    assert_eq!(market.status, MarketStatus::Insolvent);
    assert_eq!(market.deposit_index, 0);
    assert_eq!((market.socialised, market.unrecovered), (6_000, 1_000));
    // once I = 0, nothing more can be charged to lenders
    let third = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy_with_exposure(&m, third, 50, 9_999)
        .await);
    ok(w.try_resolve(&m, third).await);
    let market = w.market(m.index).await;
    assert_eq!((market.socialised, market.unrecovered), (6_000, 1_050));
}

#[tokio::test]
async fn aggregate_perp_socialises_against_the_recorded_open_interest() {
    let (mut w, mint) = funded(1_000_000).await;
    let m = aggregate_market(&mut w, mint, MarketKind::Perp, 2_000).await;
    let debtor = Keypair::new().pubkey();
    ok(
        w.try_record_bankruptcy_with_exposure(&m, debtor, 3_500, 3_000_000)
            .await,
    );
    ok(w.try_resolve(&m, debtor).await);
    // L = 1,500 over OI = 3,000,000: K = ⌈1,500·10¹⁸ / 3,000,000⌉ = 5·10¹⁴
    let market = w.market(m.index).await;
    assert_eq!(market.loss_index, 500_000_000_000_000);
    assert_eq!(
        (market.insurance_used, market.socialised, market.unrecovered),
        (2_000, 1_500, 0)
    );
    assert_eq!(market.open_interest, 0, "Backstop keeps no per-account OI");
    // no open interest recorded: the loss is unrecovered
    let second = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, second, 10).await);
    ok(w.try_resolve(&m, second).await);
    let market = w.market(m.index).await;
    assert_eq!((market.socialised, market.unrecovered), (1_500, 10));
    assert_eq!(market.loss_index, 500_000_000_000_000);
}

#[tokio::test]
async fn extreme_exposures_give_named_errors() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let m = aggregate_market(&mut w, mint, MarketKind::Perp, 0).await;
    // the largest loss over the smallest open interest
    let debtor = Keypair::new().pubkey();
    ok(
        w.try_record_bankruptcy_with_exposure(&m, debtor, u64::MAX, 1)
            .await,
    );
    ok(w.try_resolve(&m, debtor).await);
    let market = w.market(m.index).await;
    assert_eq!(market.loss_index, u64::MAX as u128 * E18);
    assert_eq!(market.socialised, u64::MAX);
    // the largest exposure a record can carry
    let lend = aggregate_market(&mut w, mint, MarketKind::Lending, 0).await;
    let debtor = Keypair::new().pubkey();
    ok(
        w.try_record_bankruptcy_with_exposure(&lend, debtor, u64::MAX, u128::MAX)
            .await,
    );
    ok(w.try_resolve(&lend, debtor).await);
    // ⌈10¹⁸·(2⁶⁴ − 1) / (2¹²⁸ − 1)⌉ = 1
    assert_eq!(w.market(lend.index).await.deposit_index, E18 - 1);
    // a loss the market's counters cannot hold: refused, nothing changes
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy_with_exposure(&m, debtor, 1, 1)
        .await);
    expect_err(w.try_resolve(&m, debtor).await, BackstopError::MathOverflow);
    assert!(w.bankruptcy(m.index, debtor).await.is_some());
    assert_eq!(w.market(m.index).await.loss_index, market.loss_index);
}

#[tokio::test]
async fn an_isolated_aggregate_market_is_insured_by_its_own_vault_only() {
    let (mut w, mint) = funded(1_000_000).await;
    let m = w
        .try_create_market_in_mode(
            mint,
            MarketKind::Lending,
            u64::MAX,
            true,
            10_000,
            ExposureMode::Aggregate,
        )
        .await
        .unwrap();
    ok(w.try_pay_premium(&m, 700).await);
    let debtor = Keypair::new().pubkey();
    ok(
        w.try_record_bankruptcy_with_exposure(&m, debtor, 1_000, 10_000)
            .await,
    );
    ok(w.try_resolve(&m, debtor).await);
    let market = w.market(m.index).await;
    assert_eq!(market.isolated_assets, 0);
    assert_eq!(market.insurance_used, 700);
    // L = 300 over D = 10,000: I = 10¹⁸ − 3·10¹⁶
    assert_eq!(market.deposit_index, 970_000_000_000_000_000);
    assert_eq!(w.assets_and_shares(mint).await, (1_000_000, 1_000_000));
    assert_eq!(w.balance(m.settlement).await, 700);
}
