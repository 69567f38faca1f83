//! Markets: create_market, caps, update_market and premiums (the operator's
//! exposure ledger: operator.rs).

use backstop_tests::*;

const DELAY: u64 = 172_800;

#[tokio::test]
async fn create_market_refusals_and_fields() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let settlement = w.settlement_account(mint).await;
    let payer = w.bank.payer_pubkey();
    let stranger = w.new_keypair().await;
    let args = CreateMarketArgs {
        index: 0,
        kind: MarketKind::Lending,
        operator: w.operator.pubkey(),
        cap: 1_000,
        isolated: false,
        isolated_share_bps: 0,
        exposure_mode: ExposureMode::Accounts,
    };
    let i = ix::create_market(
        stranger.pubkey(),
        payer,
        mint,
        settlement,
        w.operator.pubkey(),
        args,
    );
    expect_err(w.send(&[i], &[&stranger]).await, BackstopError::NotAdmin);
    let i = ix::create_market(
        w.admin.pubkey(),
        payer,
        mint,
        settlement,
        w.operator.pubkey(),
        CreateMarketArgs { index: 1, ..args },
    );
    expect_err(w.admin_send(i).await, BackstopError::MarketIndexMismatch);
    let other_mint = w.create_mint().await;
    let wrong = w.settlement_account(other_mint).await;
    let i = ix::create_market(
        w.admin.pubkey(),
        payer,
        mint,
        wrong,
        w.operator.pubkey(),
        args,
    );
    expect_err(w.admin_send(i).await, BackstopError::MintMismatch);
    let i = ix::create_market(
        w.admin.pubkey(),
        payer,
        mint,
        settlement,
        w.operator.pubkey(),
        CreateMarketArgs {
            isolated_share_bps: 1,
            ..args
        },
    );
    expect_err(w.admin_send(i).await, BackstopError::NotIsolated);
    let i = ix::create_market(
        w.admin.pubkey(),
        payer,
        mint,
        settlement,
        w.operator.pubkey(),
        CreateMarketArgs {
            isolated: true,
            isolated_share_bps: 10_001,
            ..args
        },
    );
    expect_err(w.admin_send(i).await, BackstopError::IsolatedShareTooHigh);
    // the asset needs a pool
    let no_pool = w.settlement_account(other_mint).await;
    let i = ix::create_market(
        w.admin.pubkey(),
        payer,
        other_mint,
        no_pool,
        w.operator.pubkey(),
        args,
    );
    assert!(w.admin_send(i).await.is_err());
    assert_eq!(w.protocol().await.market_count, 0);

    let m = w
        .try_create_market(mint, MarketKind::Lending, 1_000, false, 0)
        .await
        .unwrap();
    let market = w.market(m.index).await;
    assert_eq!(market.index, 0);
    assert_eq!(market.kind, MarketKind::Lending);
    assert_eq!(market.status, MarketStatus::Active);
    assert_eq!(market.pool, pda::pool(&mint));
    assert_eq!(market.mint, mint);
    assert_eq!(market.operator, w.operator.pubkey());
    assert_eq!(market.settlement, m.settlement);
    // no delay in this world: the cap is in effect at once
    assert_eq!(market.cap, 1_000);
    assert_eq!(market.deposit_index, E18);
    assert_eq!(
        (market.total_scaled, market.loss_index, market.open_interest),
        (0, 0, 0)
    );
    assert_eq!(
        (market.insurance_used, market.socialised, market.unrecovered),
        (0, 0, 0)
    );
    assert_eq!(w.protocol().await.market_count, 1);

    let iso = w
        .try_create_market(mint, MarketKind::Perp, u64::MAX, true, 2_500)
        .await
        .unwrap();
    let market = w.market(iso.index).await;
    assert_eq!(market.index, 1);
    assert!(market.isolated);
    assert_eq!(market.isolated_share_bps, 2_500);
    assert_eq!(market.isolated_vault, pda::isolated_vault(&iso.key));
    assert_eq!(market.cap, u64::MAX);
    assert_eq!(w.balance(pda::isolated_vault(&iso.key)).await, 0);
}

#[tokio::test]
async fn market_cap_waits_the_delay_from_zero() {
    let mut w = World::with_delay(DELAY).await;
    let mint = w.new_pool(test_params()).await;
    let m = w.lending_market(mint, 5_000).await;
    let market = w.market(m.index).await;
    assert_eq!(market.cap, 0);
    assert!(market.pending_cap.active);
    assert_eq!(
        (market.pending_cap.value, market.pending_cap.eta),
        (5_000, START + DELAY as i64)
    );
    assert_eq!(market.cap_at(START + DELAY as i64 - 1), 0);
    assert_eq!(market.cap_at(START + DELAY as i64), 5_000);
}

#[tokio::test]
async fn set_market_cap_lowers_at_once_and_raises_after_the_delay() {
    let mut w = World::with_delay(DELAY).await;
    let mint = w.new_pool(test_params()).await;
    let m = w.lending_market(mint, 5_000).await;
    w.set_time(START + DELAY as i64).await;
    let stranger = w.new_keypair().await;
    expect_err(
        w.send(
            &[ix::set_market_cap(stranger.pubkey(), m.index, 1)],
            &[&stranger],
        )
        .await,
        "NotAdmin",
    );

    // lowering applies the due raise first, then lowers at once
    ok(w.try_set_market_cap(&m, 4_000).await);
    let market = w.market(m.index).await;
    assert_eq!((market.cap, market.pending_cap.active), (4_000, false));

    // raising waits the delay
    ok(w.try_set_market_cap(&m, 9_000).await);
    let market = w.market(m.index).await;
    assert_eq!(market.cap, 4_000);
    assert_eq!(
        (market.pending_cap.value, market.pending_cap.eta),
        (9_000, START + 2 * DELAY as i64)
    );

    // a cap at or below the one in effect drops the pending raise
    ok(w.try_set_market_cap(&m, 4_000).await);
    let market = w.market(m.index).await;
    assert_eq!((market.cap, market.pending_cap.active), (4_000, false));

    // cancel a raise: guardian before its eta; nothing to cancel after
    ok(w.try_set_market_cap(&m, 9_000).await);
    let guardian = w.guardian.insecure_clone();
    let i = ix::cancel_market_change(stranger.pubkey(), m.index, MarketField::Cap);
    expect_err(
        w.send(&[i], &[&stranger]).await,
        BackstopError::NotGuardianOrAdmin,
    );
    ok(w.send(
        &[ix::cancel_market_change(
            guardian.pubkey(),
            m.index,
            MarketField::Cap,
        )],
        &[&guardian],
    )
    .await);
    assert!(!w.market(m.index).await.pending_cap.active);
    // A market names only its own fields: a protocol field is not even
    // expressible (MarketField), and on the wire a fourth value fails to decode.
    let mut wrong = ix::cancel_market_change(guardian.pubkey(), m.index, MarketField::Settlement);
    assert_eq!(wrong.data.last(), Some(&2));
    *wrong.data.last_mut().unwrap() = 3;
    expect_err(
        w.send(&[wrong], &[&guardian]).await,
        AnchorError::InstructionDidNotDeserialize,
    );
    expect_err(
        w.send(
            &[ix::cancel_market_change(
                guardian.pubkey(),
                m.index,
                MarketField::Cap,
            )],
            &[&guardian],
        )
        .await,
        "NoPendingChange",
    );
    ok(w.try_set_market_cap(&m, 9_000).await);
    w.advance(DELAY as i64).await;
    expect_err(
        w.send(
            &[ix::cancel_market_change(
                guardian.pubkey(),
                m.index,
                MarketField::Cap,
            )],
            &[&guardian],
        )
        .await,
        "ChangeAlreadyEffective",
    );
    assert_eq!(w.market(m.index).await.cap_at(w.now().await), 9_000);
}

#[tokio::test]
async fn cap_cannot_go_below_insurance_used() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let alice = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    let m = w.lending_market(mint, 10_000).await;
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 3_000).await);
    ok(w.try_resolve(&m, debtor).await);
    assert_eq!(w.market(m.index).await.insurance_used, 3_000);
    expect_err(
        w.try_set_market_cap(&m, 2_999).await,
        BackstopError::CapBelowInsuranceUsed,
    );
    ok(w.try_set_market_cap(&m, 3_000).await);
    assert_eq!(w.market(m.index).await.cap, 3_000);
}

#[tokio::test]
async fn update_market_operator_settlement_and_freeze() {
    let mut w = World::with_delay(DELAY).await;
    let mint = w.new_pool(test_params()).await;
    let m = w.lending_market(mint, 0).await;
    let new_op = w.new_keypair().await;
    let stranger = w.new_keypair().await;
    let update = MarketUpdate {
        operator: Some(new_op.pubkey()),
        frozen: None,
    };
    expect_err(
        w.send(
            &[ix::update_market(stranger.pubkey(), m.index, update, None)],
            &[&stranger],
        )
        .await,
        "NotAdmin",
    );
    let other_mint = w.create_mint().await;
    let wrong = w.settlement_account(other_mint).await;
    expect_err(
        w.admin_send(ix::update_market(
            w.admin.pubkey(),
            m.index,
            MarketUpdate::default(),
            Some((wrong, w.operator.pubkey())),
        ))
        .await,
        "MintMismatch",
    );
    let new_settlement = w.settlement_account(mint).await;
    ok(w.admin_send(ix::update_market(
        w.admin.pubkey(),
        m.index,
        update,
        Some((new_settlement, w.operator.pubkey())),
    ))
    .await);
    let market = w.market(m.index).await;
    assert_eq!(market.operator, w.operator.pubkey());
    assert_eq!(market.settlement, m.settlement);
    assert_eq!(
        (
            market.pending_operator.value,
            market.pending_settlement.value
        ),
        (new_op.pubkey(), new_settlement)
    );

    // before the eta the old operator still writes, the new one cannot
    let lender = Keypair::new().pubkey();
    ok(w.try_record_deposit(&m, lender, 100).await);
    let payer = w.bank.payer_pubkey();
    let i = ix::record_deposit(new_op.pubkey(), payer, m.index, lender, 100);
    expect_err(
        w.send(std::slice::from_ref(&i), &[&new_op]).await,
        BackstopError::NotOperator,
    );
    // cancel the settlement change, keep the operator change
    let guardian = w.guardian.insecure_clone();
    ok(w.send(
        &[ix::cancel_market_change(
            guardian.pubkey(),
            m.index,
            MarketField::Settlement,
        )],
        &[&guardian],
    )
    .await);
    w.advance(DELAY as i64).await;
    ok(w.send(&[i], &[&new_op]).await);
    expect_err(
        w.try_record_deposit(&m, lender, 100).await,
        BackstopError::NotOperator,
    );
    assert_eq!(w.lender_balance(m.index, lender).await, 200);
    assert_eq!(
        w.market(m.index).await.settlement_at(w.now().await),
        m.settlement
    );

    // freezing is at once; records are refused while frozen
    let freeze = MarketUpdate {
        operator: None,
        frozen: Some(true),
    };
    ok(
        w.admin_send(ix::update_market(w.admin.pubkey(), m.index, freeze, None))
            .await,
    );
    assert!(w.market(m.index).await.frozen);
    let i = ix::record_deposit(new_op.pubkey(), payer, m.index, lender, 100);
    expect_err(
        w.send(std::slice::from_ref(&i), &[&new_op]).await,
        BackstopError::MarketFrozen,
    );
    let thaw = MarketUpdate {
        operator: None,
        frozen: Some(false),
    };
    ok(
        w.admin_send(ix::update_market(w.admin.pubkey(), m.index, thaw, None))
            .await,
    );
    ok(w.send(&[i], &[&new_op]).await);
    assert_eq!(w.lender_balance(m.index, lender).await, 300);
}

#[tokio::test]
async fn pay_premium_splits_for_an_isolated_market() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let iso = w
        .try_create_market(mint, MarketKind::Perp, u64::MAX, true, 2_500)
        .await
        .unwrap();
    let plain = w.lending_market(mint, u64::MAX).await;
    ok(w.try_pay_premium(&iso, 1_000_001).await);
    // ⌊1,000,001·2,500/10,000⌋ = 250,000 to the isolated vault, 750,001 to revenue
    assert_eq!(w.balance(pda::isolated_vault(&iso.key)).await, 250_000);
    assert_eq!(w.market(iso.index).await.isolated_assets, 250_000);
    assert_eq!(w.revenue_balance(mint).await, 750_001);
    ok(w.try_pay_premium(&plain, 400).await);
    assert_eq!(w.revenue_balance(mint).await, 750_401);
    assert_eq!(w.market(plain.index).await.isolated_assets, 0);

    // a zero premium is a no-op, as no minimum is set (docs/protocol.md §13, item 7)
    let before = w.market(iso.index).await.isolated_assets;
    ok(w.try_pay_premium(&iso, 0).await);
    assert_eq!(w.market(iso.index).await.isolated_assets, before);
    // an isolated market's premium without its vault
    let kp = w.new_keypair().await;
    let payer = w.user_from(kp, mint, 1_000).await;
    let i = ix::pay_premium(payer.key(), payer.tokens, iso.index, mint, false, 1_000);
    expect_err(
        w.send(&[i], &[&payer.kp]).await,
        BackstopError::IsolatedVaultMismatch,
    );
    // another account in place of the isolated vault
    let i = ix::pay_premium(payer.key(), payer.tokens, iso.index, mint, true, 1_000);
    let i = substitute(i, pda::isolated_vault(&iso.key), World::keys(mint).vault);
    expect_err(
        w.send(&[i], &[&payer.kp]).await,
        BackstopError::IsolatedVaultMismatch,
    );
    // a substituted revenue account
    let i = ix::pay_premium(payer.key(), payer.tokens, plain.index, mint, false, 1_000);
    let fake = w
        .bank
        .create_token_account(mint, payer.key())
        .await
        .unwrap();
    let i = substitute(i, World::keys(mint).revenue, fake);
    expect_err(
        w.send(&[i], &[&payer.kp]).await,
        AnchorError::ConstraintHasOne,
    );
    // tokens of another mint
    let other_mint = w.create_mint().await;
    let wrong = w
        .user_from(payer.kp.insecure_clone(), other_mint, 1_000)
        .await;
    let i = ix::pay_premium(payer.key(), wrong.tokens, plain.index, mint, false, 1_000);
    expect_err(
        w.send(&[i], &[&payer.kp]).await,
        BackstopError::MintMismatch,
    );

    let guardian = w.guardian.insecure_clone();
    ok(w.try_pause(&guardian, pause::PREMIUM).await);
    expect_err(
        w.try_pay_premium(&plain, 100).await,
        BackstopError::OperationPaused,
    );
    assert_eq!(w.revenue_balance(mint).await, 750_401);
    assert_eq!(w.balance(payer.tokens).await, 1_000);
}
