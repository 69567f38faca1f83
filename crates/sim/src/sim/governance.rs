//! What governance signs: the admin sets caps and pool parameters, unpauses,
//! proposes payouts and freezes markets; the guardian pauses and cancels
//! payouts and pending changes. `by` signs in their place, to test refusals.

use anyhow::Result;
use backstop_bank::TxError;
use backstop_client::types::{
    MarketField, MarketUpdate, Pool, PoolParamsUpdate, ProtocolField, ProtocolUpdate,
};
use backstop_client::{ix, pda};

use super::{Simulator, StepResult, outside};
use crate::scenario::ChangeTarget;

impl Simulator {
    pub(super) async fn set_cap(
        &mut self,
        by: Option<&str>,
        market: &str,
        cap: u64,
    ) -> Result<StepResult> {
        let index = self.market(market).index;
        let admin = self.key("admin");
        let signer = self.signer(by, "admin").await?;
        let set = ix::set_market_cap(admin, index, cap);
        Ok(self.send_as(set, admin, &signer).await)
    }

    pub(super) async fn set_pool(
        &mut self,
        by: Option<&str>,
        asset: &str,
        update: PoolParamsUpdate,
    ) -> Result<StepResult> {
        let mint = self.mint(asset);
        let admin = self.key("admin");
        let signer = self.signer(by, "admin").await?;
        let set = ix::set_pool(admin, mint, update);
        Ok(self.send_as(set, admin, &signer).await)
    }

    pub(super) async fn pause(&mut self, by: Option<&str>, flags: u16) -> Result<StepResult> {
        let guardian = self.key("guardian");
        let signer = self.signer(by, "guardian").await?;
        Ok(self
            .send_as(ix::pause(guardian, flags), guardian, &signer)
            .await)
    }

    pub(super) async fn unpause(&mut self, by: Option<&str>, flags: u16) -> Result<StepResult> {
        let admin = self.key("admin");
        let signer = self.signer(by, "admin").await?;
        Ok(self
            .send_as(ix::unpause(admin, flags), admin, &signer)
            .await)
    }

    /// Proposes a payout to `to` (created on first use) and remembers which
    /// id the program gave the scenario's `id`.
    pub(super) async fn propose_payout(
        &mut self,
        by: Option<&str>,
        asset: &str,
        scenario_id: u64,
        to: &str,
        amount: u64,
    ) -> Result<StepResult> {
        let mint = self.mint(asset);
        self.ensure_user(to).await?;
        let recipient = self.tokens(to, asset);
        let admin = self.key("admin");
        let signer = self.signer(by, "admin").await?;
        let pool: Pool = self.bank.decode(pda::pool(&mint)).await.expect("pool");
        let id = pool.next_payout_id;
        let propose = ix::propose_payout(admin, admin, mint, id, recipient, amount);
        let r = self.send_as(propose, admin, &signer).await;
        if r.is_ok() {
            self.payout_ids.insert((asset.to_string(), scenario_id), id);
        }
        Ok(r)
    }

    /// The program's id of the payout the scenario calls `scenario_id`; an
    /// id the scenario never proposed is a refusal outside the program.
    pub(super) fn payout_id(&self, asset: &str, scenario_id: u64) -> Result<u64, TxError> {
        self.payout_ids
            .get(&(asset.to_string(), scenario_id))
            .copied()
            .ok_or_else(|| {
                outside(format!(
                    "no payout with id {scenario_id} was proposed for {asset}"
                ))
            })
    }

    pub(super) async fn cancel_payout(
        &mut self,
        by: Option<&str>,
        asset: &str,
        scenario_id: u64,
    ) -> Result<StepResult> {
        let id = match self.payout_id(asset, scenario_id) {
            Ok(id) => id,
            Err(unknown) => return Ok(Err(unknown)),
        };
        let guardian = self.key("guardian");
        let signer = self.signer(by, "guardian").await?;
        let cancel = ix::cancel_payout(guardian, self.mint(asset), id);
        Ok(self.send_as(cancel, guardian, &signer).await)
    }

    /// Drops a market's pending cap raise or a pool's pending parameters.
    pub(super) async fn cancel_change(
        &mut self,
        by: Option<&str>,
        target: &ChangeTarget,
    ) -> Result<StepResult> {
        let guardian = self.key("guardian");
        let signer = self.signer(by, "guardian").await?;
        let cancel = match target {
            ChangeTarget::Market(market) => {
                let index = self.market(market).index;
                ix::cancel_market_change(guardian, index, MarketField::Cap)
            }
            ChangeTarget::Pool(asset) => ix::cancel_pool_change(guardian, self.mint(asset)),
            ChangeTarget::GovernanceDelay => {
                ix::cancel_protocol_change(guardian, ProtocolField::GovernanceDelay)
            }
            ChangeTarget::Guardian => ix::cancel_protocol_change(guardian, ProtocolField::Guardian),
        };
        Ok(self.send_as(cancel, guardian, &signer).await)
    }

    /// A new `governance_delay` (admin).
    pub(super) async fn update_protocol(
        &mut self,
        by: Option<&str>,
        governance_delay: u64,
    ) -> Result<StepResult> {
        let admin = self.key("admin");
        let signer = self.signer(by, "admin").await?;
        let update = ProtocolUpdate {
            guardian: None,
            treasury: None,
            governance_delay: Some(governance_delay),
        };
        let set = ix::update_protocol(admin, update);
        Ok(self.send_as(set, admin, &signer).await)
    }

    /// A new guardian, `to` (created on first use), once the delay has
    /// passed (admin).
    pub(super) async fn set_guardian(&mut self, by: Option<&str>, to: &str) -> Result<StepResult> {
        self.ensure_user(to).await?;
        let admin = self.key("admin");
        let signer = self.signer(by, "admin").await?;
        let update = ProtocolUpdate {
            guardian: Some(self.key(to)),
            treasury: None,
            governance_delay: None,
        };
        let set = ix::update_protocol(admin, update);
        Ok(self.send_as(set, admin, &signer).await)
    }

    /// The admin proposes `to` (created on first use) as the next admin.
    pub(super) async fn propose_admin(&mut self, by: Option<&str>, to: &str) -> Result<StepResult> {
        self.ensure_user(to).await?;
        let admin = self.key("admin");
        let signer = self.signer(by, "admin").await?;
        let propose = ix::propose_admin(admin, self.key(to));
        Ok(self.send_as(propose, admin, &signer).await)
    }

    /// `who` (or `by`) accepts the admin role.
    pub(super) async fn accept_admin(&mut self, by: Option<&str>, who: &str) -> Result<StepResult> {
        self.ensure_user(who).await?;
        let new_admin = self.key(who);
        let signer = self.signer(by, who).await?;
        let accept = ix::accept_admin(new_admin);
        Ok(self.send_as(accept, new_admin, &signer).await)
    }

    /// Voids the debtor's open record of a frozen market (admin).
    pub(super) async fn void_bankruptcy(
        &mut self,
        by: Option<&str>,
        market: &str,
        debtor: &str,
    ) -> Result<StepResult> {
        let (index, asset) = {
            let m = self.market(market);
            (m.index, m.asset.clone())
        };
        let debtor = self.key(debtor);
        let admin = self.key("admin");
        let signer = self.signer(by, "admin").await?;
        let operator = self.key("operator");
        let void = ix::void_bankruptcy(admin, index, self.mint(&asset), debtor, operator);
        Ok(self.send_as(void, admin, &signer).await)
    }

    /// `freeze` and `unfreeze`.
    pub(super) async fn set_frozen(
        &mut self,
        by: Option<&str>,
        market: &str,
        frozen: bool,
    ) -> Result<StepResult> {
        let index = self.market(market).index;
        let admin = self.key("admin");
        let signer = self.signer(by, "admin").await?;
        let update = MarketUpdate {
            operator: None,
            frozen: Some(frozen),
        };
        let set = ix::update_market(admin, index, update, None);
        Ok(self.send_as(set, admin, &signer).await)
    }
}
