//! The exposure ledger the operator writes: deposits, withdrawals, positions,
//! owed losses and bankruptcy records, each market's operator for itself.

use backstop_tests::*;

#[tokio::test]
async fn lending_deposits_and_withdrawals() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let m = w.lending_market(mint, 0).await;
    let perp = w.perp_market(mint, 0).await;
    let lender = Keypair::new().pubkey();
    ok(w.try_record_deposit(&m, lender, 900_000_000_000).await);
    let l = w.lender(m.index, lender).await.unwrap();
    assert_eq!(l.scaled, 900_000_000_000);
    assert_eq!((l.owner, l.market), (lender, m.key));
    assert_eq!(w.market(m.index).await.total_scaled, 900_000_000_000);
    assert_eq!(w.lender_balance(m.index, lender).await, 900_000_000_000);

    // zero amounts are no-ops (no minimum is set: docs/protocol.md §13, item 7)
    ok(w.try_record_deposit(&m, lender, 0).await);
    assert_eq!(w.market(m.index).await.total_scaled, 900_000_000_000);
    expect_err(
        w.try_record_withdrawal(&m, lender, 900_000_000_001).await,
        BackstopError::WithdrawalAboveBalance,
    );
    ok(w.try_record_withdrawal(&m, lender, 0).await);
    assert_eq!(w.lender_balance(m.index, lender).await, 900_000_000_000);
    ok(w.try_record_withdrawal(&m, lender, 100_000_000_000).await);
    assert_eq!(w.lender_balance(m.index, lender).await, 800_000_000_000);
    assert_eq!(w.market(m.index).await.total_scaled, 800_000_000_000);

    // the perp market has no lenders
    expect_err(
        w.try_record_deposit(&perp, lender, 1).await,
        BackstopError::WrongMarketKind,
    );

    // only the operator, never while paused
    let stranger = w.new_keypair().await;
    let payer = w.bank.payer_pubkey();
    let i = ix::record_deposit(stranger.pubkey(), payer, m.index, lender, 1);
    expect_err(w.send(&[i], &[&stranger]).await, BackstopError::NotOperator);
    let i = ix::record_withdrawal(stranger.pubkey(), m.index, lender, 1);
    expect_err(w.send(&[i], &[&stranger]).await, BackstopError::NotOperator);
    let guardian = w.guardian.insecure_clone();
    ok(w.try_pause(&guardian, pause::OPERATOR).await);
    expect_err(
        w.try_record_deposit(&m, lender, 1).await,
        BackstopError::OperationPaused,
    );
    expect_err(
        w.try_record_withdrawal(&m, lender, 1).await,
        BackstopError::OperationPaused,
    );
    assert_eq!(w.lender_balance(m.index, lender).await, 800_000_000_000);
}

#[tokio::test]
async fn operator_of_one_market_cannot_write_another() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let a = w.lending_market(mint, 0).await;
    let b = w.lending_market(mint, 0).await;
    let op_b = w.new_keypair().await;
    let update = MarketUpdate {
        operator: Some(op_b.pubkey()),
        frozen: None,
    };
    ok(
        w.admin_send(ix::update_market(w.admin.pubkey(), b.index, update, None))
            .await,
    );
    assert_eq!(w.market(b.index).await.operator, op_b.pubkey());
    let lender = Keypair::new().pubkey();
    // operator A writing market B
    expect_err(
        w.try_record_deposit(&b, lender, 10).await,
        BackstopError::NotOperator,
    );
    expect_err(
        w.try_record_bankruptcy(&b, lender, 10).await,
        BackstopError::NotOperator,
    );
    // operator B writing market A
    let payer = w.bank.payer_pubkey();
    let i = ix::record_deposit(op_b.pubkey(), payer, a.index, lender, 10);
    expect_err(w.send(&[i], &[&op_b]).await, BackstopError::NotOperator);
    let i = ix::record_bankruptcy(op_b.pubkey(), payer, a.index, a.mint, lender, 10, 0);
    expect_err(w.send(&[i], &[&op_b]).await, BackstopError::NotOperator);
    // each on its own
    ok(w.try_record_deposit(&a, lender, 10).await);
    let i = ix::record_deposit(op_b.pubkey(), payer, b.index, lender, 20);
    ok(w.send(&[i], &[&op_b]).await);
    assert_eq!(w.lender_balance(a.index, lender).await, 10);
    assert_eq!(w.lender_balance(b.index, lender).await, 20);
    // a lender account of market A passed for market B
    let i = ix::record_withdrawal(op_b.pubkey(), b.index, lender, 1);
    let i = substitute(
        i,
        pda::lender(&b.key, &lender),
        pda::lender(&a.key, &lender),
    );
    expect_err(w.send(&[i], &[&op_b]).await, AnchorError::ConstraintSeeds);
}

#[tokio::test]
async fn perp_positions_open_interest_and_clear_owed() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let m = w.perp_market(mint, 0).await;
    let lending = w.lending_market(mint, 0).await;
    let long = Keypair::new().pubkey();
    let short = Keypair::new().pubkey();
    ok(w.try_record_position(&m, long, 1_500_000).await);
    ok(w.try_record_position(&m, short, -500_000).await);
    assert_eq!(w.market(m.index).await.open_interest, 2_000_000);
    let p = w.position(m.index, short).await;
    assert_eq!((p.base, p.owed, p.loss_snapshot), (-500_000, 0, 0));
    ok(w.try_record_position(&m, short, -200_000).await);
    assert_eq!(w.market(m.index).await.open_interest, 1_700_000);
    expect_err(
        w.try_record_position(&lending, long, 1).await,
        BackstopError::WrongMarketKind,
    );
    expect_err(
        w.try_clear_owed(&m, long, 1).await,
        BackstopError::ClearAboveOwed,
    );
    ok(w.try_clear_owed(&m, long, 0).await);
    let stranger = w.new_keypair().await;
    let payer = w.bank.payer_pubkey();
    let i = ix::record_position(stranger.pubkey(), payer, m.index, long, 0);
    expect_err(w.send(&[i], &[&stranger]).await, BackstopError::NotOperator);
    assert_eq!(w.position(m.index, long).await.base, 1_500_000);
}

#[tokio::test]
async fn record_bankruptcy_one_open_record_per_debtor() {
    let mut w = World::new().await;
    let mint = w.new_pool(test_params()).await;
    let m = w.lending_market(mint, 0).await;
    let debtor = Keypair::new().pubkey();
    expect_err(
        w.try_record_bankruptcy(&m, debtor, 0).await,
        BackstopError::ZeroDeficit,
    );
    w.advance(5).await;
    ok(w.try_record_bankruptcy(&m, debtor, 7_000).await);
    let b = w.bankruptcy(m.index, debtor).await.unwrap();
    assert_eq!(
        (b.deficit, b.recorded_at, b.debtor, b.market),
        (7_000, START + 5, debtor, m.key)
    );
    assert_eq!(w.market(m.index).await.open_bankruptcies, 1);
    expect_err(
        w.try_record_bankruptcy(&m, debtor, 1_000).await,
        BackstopError::BankruptcyAlreadyOpen,
    );
    assert_eq!(w.bankruptcy(m.index, debtor).await.unwrap().deficit, 7_000);
    let other = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, other, 1).await);
    assert_eq!(w.market(m.index).await.open_bankruptcies, 2);
    let guardian = w.guardian.insecure_clone();
    ok(w.try_pause(&guardian, pause::OPERATOR).await);
    expect_err(
        w.try_record_bankruptcy(&m, Keypair::new().pubkey(), 1)
            .await,
        BackstopError::OperationPaused,
    );
}
