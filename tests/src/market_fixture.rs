//! Markets, premiums, the operator's records and resolution.

use crate::*;

/// A market created by governance, with what the tests need to address it.
pub struct MarketFixture {
    pub index: u16,
    pub mint: Pubkey,
    pub kind: MarketKind,
    pub isolated: bool,
    pub settlement: Pubkey,
    pub key: Pubkey,
}

impl World {
    // ------------------------------------------------------------- markets

    /// A token account of `mint` owned by the operator: where insurance goes.
    pub async fn settlement_account(&mut self, mint: Pubkey) -> Pubkey {
        self.bank
            .create_token_account(mint, self.operator.pubkey())
            .await
            .expect("settlement")
    }

    /// Creates the next market for `mint`, operated by `self.operator`.
    pub async fn try_create_market(
        &mut self,
        mint: Pubkey,
        kind: MarketKind,
        cap: u64,
        isolated: bool,
        isolated_share_bps: u16,
    ) -> Result<MarketFixture, TxError> {
        self.try_create_market_in_mode(
            mint,
            kind,
            cap,
            isolated,
            isolated_share_bps,
            ExposureMode::Accounts,
        )
        .await
    }

    /// [`World::create_market`] with an exposure mode.
    pub async fn try_create_market_in_mode(
        &mut self,
        mint: Pubkey,
        kind: MarketKind,
        cap: u64,
        isolated: bool,
        isolated_share_bps: u16,
        exposure_mode: ExposureMode,
    ) -> Result<MarketFixture, TxError> {
        let index = self.protocol().await.market_count;
        let settlement = self.settlement_account(mint).await;
        let args = CreateMarketArgs {
            index,
            kind,
            operator: self.operator.pubkey(),
            cap,
            isolated,
            isolated_share_bps,
            exposure_mode,
        };
        let payer = self.bank.payer_pubkey();
        let i = ix::create_market(
            self.admin.pubkey(),
            payer,
            self.asset(mint),
            settlement,
            self.operator.pubkey(),
            args,
        );
        self.admin_send(i).await?;
        Ok(MarketFixture {
            index,
            mint,
            kind,
            isolated,
            settlement,
            key: pda::market(index),
        })
    }

    pub async fn lending_market(&mut self, mint: Pubkey, cap: u64) -> MarketFixture {
        self.try_create_market(mint, MarketKind::Lending, cap, false, 0)
            .await
            .expect("lending market")
    }

    pub async fn perp_market(&mut self, mint: Pubkey, cap: u64) -> MarketFixture {
        self.try_create_market(mint, MarketKind::Perp, cap, false, 0)
            .await
            .expect("perp market")
    }

    /// Freezes (`true`) or unfreezes a market, as the admin.
    pub async fn try_set_frozen(&mut self, m: &MarketFixture, frozen: bool) -> TxResult {
        let update = MarketUpdate {
            operator: None,
            frozen: Some(frozen),
        };
        let i = ix::update_market(self.admin.pubkey(), m.index, update, None);
        self.admin_send(i).await
    }

    pub async fn try_set_market_cap(&mut self, m: &MarketFixture, cap: u64) -> TxResult {
        let i = ix::set_market_cap(self.admin.pubkey(), m.index, cap);
        self.admin_send(i).await
    }

    /// Pays a premium for `m` from a fresh payer holding `amount`.
    pub async fn try_pay_premium(&mut self, m: &MarketFixture, amount: u64) -> TxResult {
        let kp = self.new_keypair().await;
        let payer = self.user_from(kp, m.mint, amount).await;
        let i = ix::pay_premium(
            payer.key(),
            payer.tokens,
            m.index,
            self.asset(m.mint),
            m.isolated,
            amount,
        );
        self.bank.send(&[i], &[&payer.kp]).await
    }

    /// Sends the operator's record built from (operator, payer), signed by
    /// the operator; the bank's fee payer pays any rent.
    async fn send_as_operator(
        &mut self,
        build: impl FnOnce(Pubkey, Pubkey) -> Instruction,
    ) -> TxResult {
        let op = self.operator.insecure_clone();
        let record = build(op.pubkey(), self.bank.payer_pubkey());
        self.bank.send(&[record], &[&op]).await
    }

    pub async fn try_record_deposit(
        &mut self,
        m: &MarketFixture,
        owner: Pubkey,
        amount: u64,
    ) -> TxResult {
        self.send_as_operator(|op, payer| ix::record_deposit(op, payer, m.index, owner, amount))
            .await
    }

    pub async fn try_record_withdrawal(
        &mut self,
        m: &MarketFixture,
        owner: Pubkey,
        amount: u64,
    ) -> TxResult {
        self.send_as_operator(|op, _| ix::record_withdrawal(op, m.index, owner, amount))
            .await
    }

    pub async fn try_record_position(
        &mut self,
        m: &MarketFixture,
        owner: Pubkey,
        base: i64,
    ) -> TxResult {
        self.send_as_operator(|op, payer| ix::record_position(op, payer, m.index, owner, base))
            .await
    }

    pub async fn try_clear_owed(
        &mut self,
        m: &MarketFixture,
        owner: Pubkey,
        amount: u64,
    ) -> TxResult {
        self.send_as_operator(|op, _| ix::clear_owed(op, m.index, owner, amount))
            .await
    }

    pub async fn try_record_bankruptcy(
        &mut self,
        m: &MarketFixture,
        debtor: Pubkey,
        deficit: u64,
    ) -> TxResult {
        self.try_record_bankruptcy_with_exposure(m, debtor, deficit, 0)
            .await
    }

    /// A bankruptcy carrying the market's total exposure (`aggregate` mode).
    pub async fn try_record_bankruptcy_with_exposure(
        &mut self,
        m: &MarketFixture,
        debtor: Pubkey,
        deficit: u64,
        exposure: u128,
    ) -> TxResult {
        self.send_as_operator(|op, payer| {
            ix::record_bankruptcy(op, payer, m.index, m.mint, debtor, deficit, exposure)
        })
        .await
    }

    pub fn make_resolve_ix(&self, m: &MarketFixture, debtor: Pubkey) -> Instruction {
        ix::resolve_bankruptcy(
            self.keeper.pubkey(),
            m.index,
            self.asset(m.mint),
            debtor,
            m.settlement,
            m.isolated,
        )
    }

    /// Resolves `debtor`'s bankruptcy in `m`, signed by the keeper.
    pub async fn try_resolve(&mut self, m: &MarketFixture, debtor: Pubkey) -> TxResult {
        let keeper = self.keeper.insecure_clone();
        let i = self.make_resolve_ix(m, debtor);
        self.bank.send(&[i], &[&keeper]).await
    }

    /// Voids `debtor`'s open record in `m`, signed by `signer` (the admin).
    pub async fn try_void_bankruptcy(
        &mut self,
        signer: &Keypair,
        m: &MarketFixture,
        debtor: Pubkey,
    ) -> TxResult {
        let operator = self.operator.pubkey();
        let i = ix::void_bankruptcy(signer.pubkey(), m.index, m.mint, debtor, operator);
        self.bank.send(&[i], &[signer]).await
    }
}
