//! What the keeper signs: revenue and donations, sweeps and syncs, premiums,
//! resolving bankruptcies (recording their waterfalls) and executing payouts.
//! Tokens the keeper pays are minted to it first; `by` signs in its place.

use anyhow::Result;
use backstop_client::types::{Market, Payout};
use backstop_client::{ix, pda};
use solana_pubkey::Pubkey;
use solana_signer::Signer;

use super::{Simulator, StepResult};
use crate::report::Waterfall;

impl Simulator {
    pub(super) async fn revenue(
        &mut self,
        by: Option<&str>,
        asset: &str,
        amount: u64,
    ) -> Result<StepResult> {
        let revenue = pda::revenue(&pda::pool(&self.mint(asset)));
        self.pay_into_pool(by, asset, amount, revenue).await
    }

    pub(super) async fn donate(
        &mut self,
        by: Option<&str>,
        asset: &str,
        amount: u64,
    ) -> Result<StepResult> {
        let vault = pda::vault(&pda::pool(&self.mint(asset)));
        self.pay_into_pool(by, asset, amount, vault).await
    }

    /// Mints `amount` to the keeper, which sends it to `to` by a plain token
    /// transfer.
    async fn pay_into_pool(
        &mut self,
        by: Option<&str>,
        asset: &str,
        amount: u64,
        to: Pubkey,
    ) -> Result<StepResult> {
        let mint = self.mint(asset);
        let keeper_tokens = self.tokens("keeper", asset);
        let keeper = self.signer(by, "keeper").await?;
        if let Err(e) = self.bank.mint_to(mint, keeper_tokens, amount).await {
            return Ok(Err(e));
        }
        let extra = self.hook_accounts(mint).await;
        Ok(self
            .bank
            .transfer_tokens_with(keeper_tokens, to, &keeper, amount, &extra)
            .await)
    }

    pub(super) async fn sweep(&mut self, by: Option<&str>, asset: &str) -> Result<StepResult> {
        let keeper = self.signer(by, "keeper").await?;
        let token = self.token(asset);
        let treasury = self.treasury().await;
        let sweep = ix::sweep_revenue(keeper.pubkey(), token, treasury);
        let sweep = self.hooked(sweep, token.mint).await;
        Ok(self.bank.send(&[sweep], &[&keeper]).await)
    }

    pub(super) async fn sync(&mut self, by: Option<&str>, asset: &str) -> Result<StepResult> {
        let keeper = self.signer(by, "keeper").await?;
        let token = self.token(asset);
        let sync = ix::sync_vault(keeper.pubkey(), token);
        let sync = self.hooked(sync, token.mint).await;
        Ok(self.bank.send(&[sync], &[&keeper]).await)
    }

    pub(super) async fn premium(
        &mut self,
        by: Option<&str>,
        market: &str,
        amount: u64,
    ) -> Result<StepResult> {
        let m = self.market(market).clone();
        let (mint, token) = (self.mint(&m.asset), self.token(&m.asset));
        let keeper_tokens = self.tokens("keeper", &m.asset);
        let keeper = self.signer(by, "keeper").await?;
        if let Err(e) = self.bank.mint_to(mint, keeper_tokens, amount).await {
            return Ok(Err(e));
        }
        let pay = ix::pay_premium(
            keeper.pubkey(),
            keeper_tokens,
            m.index,
            token,
            m.isolated,
            amount,
        );
        let pay = self.hooked(pay, token.mint).await;
        Ok(self.bank.send(&[pay], &[&keeper]).await)
    }

    /// Resolves `who`'s bankruptcy; when it goes through, records how the
    /// deficit split (insurance paid, socialised, unrecovered) for the chart.
    pub(super) async fn resolve(
        &mut self,
        by: Option<&str>,
        market: &str,
        who: &str,
    ) -> Result<StepResult> {
        let m = self.market(market).clone();
        let before = self.market_totals(m.index).await;
        let token = self.token(&m.asset);
        let keeper = self.signer(by, "keeper").await?;
        let debtor = self.key(who);
        let now = self.bank.now().await;
        let state: Market = self
            .bank
            .decode(pda::market(m.index))
            .await
            .expect("market");
        let settlement = state.settlement_at(now);
        let resolve = ix::resolve_bankruptcy(
            keeper.pubkey(),
            m.index,
            token,
            debtor,
            settlement,
            m.isolated,
        );
        let resolve = self.hooked(resolve, token.mint).await;
        let r = self.bank.send(&[resolve], &[&keeper]).await;
        if r.is_ok()
            && let (Some(b), Some(a)) = (before, self.market_totals(m.index).await)
        {
            self.recording.waterfalls.push(Waterfall {
                step: self.step_index,
                market: market.to_string(),
                debtor: who.to_string(),
                paid: a.0 - b.0,
                socialised: a.1 - b.1,
                unrecovered: a.2 - b.2,
            });
        }
        Ok(r)
    }

    pub(super) async fn execute_payout(
        &mut self,
        by: Option<&str>,
        asset: &str,
        scenario_id: u64,
    ) -> Result<StepResult> {
        let id = match self.payout_id(asset, scenario_id) {
            Ok(id) => id,
            Err(unknown) => return Ok(Err(unknown)),
        };
        let keeper = self.signer(by, "keeper").await?;
        let payout: Payout = self
            .bank
            .decode(pda::payout(&pda::pool(&self.mint(asset)), id))
            .await
            .expect("payout");
        let execute = ix::execute_payout(keeper.pubkey(), self.token(asset), id, payout.recipient);
        let execute = self.hooked(execute, self.mint(asset)).await;
        Ok(self.bank.send(&[execute], &[&keeper]).await)
    }
}
