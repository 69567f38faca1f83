//! What a staker signs: stake, request, cancel and complete an unstake. The
//! staker (`who`) is created on first use; `by` signs in its place.

use anyhow::Result;
use backstop_client::types::Pool;
use backstop_client::{ix, pda, views};

use super::{Simulator, StepResult};
use crate::scenario::UnstakeSize;

impl Simulator {
    /// The report lists `who`'s stake in `asset` from now on.
    pub(super) fn list_stake(&mut self, who: &str, asset: &str) {
        let entry = (who.to_string(), asset.to_string());
        if !self.stakes.contains(&entry) {
            self.stakes.push(entry);
        }
    }

    pub(super) async fn stake(
        &mut self,
        by: Option<&str>,
        who: &str,
        asset: &str,
        amount: u64,
    ) -> Result<StepResult> {
        self.ensure_user(who).await?;
        let owner = self.key(who);
        let signer = self.signer(by, who).await?;
        let token = self.token(asset);
        let treasury = self.treasury().await;
        let tokens = self.tokens(who, asset);
        let stake = ix::stake(owner, token, treasury, tokens, amount);
        let stake = self.hooked(stake, token.mint).await;
        let r = self.send_as(stake, owner, &signer).await;
        if r.is_ok() {
            self.list_stake(who, asset);
        }
        Ok(r)
    }

    pub(super) async fn request_unstake(
        &mut self,
        by: Option<&str>,
        who: &str,
        asset: &str,
        size: UnstakeSize,
    ) -> Result<StepResult> {
        self.ensure_user(who).await?;
        let owner = self.key(who);
        let signer = self.signer(by, who).await?;
        let (mint, token) = (self.mint(asset), self.token(asset));
        let treasury = self.treasury().await;
        let shares = match size {
            UnstakeSize::Shares(shares) => shares,
            UnstakeSize::Amount(amount) => {
                let pool: Pool = self.bank.decode(pda::pool(&mint)).await.expect("pool");
                // The program's own conversion (1:1 into an empty pool).
                views::shares_for_amount(&pool, amount).unwrap_or(amount as u128)
            }
        };
        let request = ix::request_unstake(owner, token, treasury, shares);
        let request = self.hooked(request, token.mint).await;
        Ok(self.send_as(request, owner, &signer).await)
    }

    pub(super) async fn cancel_unstake(
        &mut self,
        by: Option<&str>,
        who: &str,
        asset: &str,
    ) -> Result<StepResult> {
        self.ensure_user(who).await?;
        let owner = self.key(who);
        let signer = self.signer(by, who).await?;
        let cancel = ix::cancel_unstake(owner, self.mint(asset));
        Ok(self.send_as(cancel, owner, &signer).await)
    }

    pub(super) async fn close_stake(
        &mut self,
        by: Option<&str>,
        who: &str,
        asset: &str,
    ) -> Result<StepResult> {
        self.ensure_user(who).await?;
        let owner = self.key(who);
        let signer = self.signer(by, who).await?;
        let close = ix::close_stake(owner, self.mint(asset));
        Ok(self.send_as(close, owner, &signer).await)
    }

    pub(super) async fn complete_unstake(
        &mut self,
        by: Option<&str>,
        who: &str,
        asset: &str,
    ) -> Result<StepResult> {
        self.ensure_user(who).await?;
        let owner = self.key(who);
        let signer = self.signer(by, who).await?;
        let tokens = self.tokens(who, asset);
        let complete = ix::complete_unstake(owner, self.token(asset), tokens);
        let complete = self.hooked(complete, self.mint(asset)).await;
        Ok(self.send_as(complete, owner, &signer).await)
    }
}
