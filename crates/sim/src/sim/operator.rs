//! What a market's operator signs: the exposure records (lender deposits and
//! withdrawals, positions) and bankruptcies. The subject (`who`) needs no
//! account of its own; `by` signs in the operator's place.

use anyhow::Result;
use backstop_client::ix;
use solana_instruction::Instruction;
use solana_pubkey::Pubkey;

use super::{Simulator, StepResult};

/// The accounts a record creates, which the report then lists.
enum Listed {
    Lender,
    Position,
    Nothing,
}

impl Simulator {
    pub(super) async fn deposit(
        &mut self,
        by: Option<&str>,
        market: &str,
        who: &str,
        amount: u64,
    ) -> Result<StepResult> {
        let build = |op: Pubkey, index, subject| ix::record_deposit(op, op, index, subject, amount);
        self.record(by, market, who, build, Listed::Lender).await
    }

    pub(super) async fn withdraw(
        &mut self,
        by: Option<&str>,
        market: &str,
        who: &str,
        amount: u64,
    ) -> Result<StepResult> {
        let build = |op: Pubkey, index, subject| ix::record_withdrawal(op, index, subject, amount);
        self.record(by, market, who, build, Listed::Nothing).await
    }

    pub(super) async fn position(
        &mut self,
        by: Option<&str>,
        market: &str,
        who: &str,
        base: i64,
    ) -> Result<StepResult> {
        let build = |op: Pubkey, index, subject| ix::record_position(op, op, index, subject, base);
        self.record(by, market, who, build, Listed::Position).await
    }

    pub(super) async fn clear_owed(
        &mut self,
        by: Option<&str>,
        market: &str,
        who: &str,
        amount: u64,
    ) -> Result<StepResult> {
        let build = |op: Pubkey, index, subject| ix::clear_owed(op, index, subject, amount);
        self.record(by, market, who, build, Listed::Nothing).await
    }

    pub(super) async fn bankrupt(
        &mut self,
        by: Option<&str>,
        market: &str,
        who: &str,
        amount: u64,
        exposure: u128,
    ) -> Result<StepResult> {
        let mint = self.mint(&self.market(market).asset);
        let build = |op: Pubkey, index, subject| {
            ix::record_bankruptcy(op, op, index, mint, subject, amount, exposure)
        };
        self.record(by, market, who, build, Listed::Nothing).await
    }

    /// Sends the record `build` makes from the operator's key, the market's
    /// index and the subject's key, signed by the operator (or `by`).
    async fn record(
        &mut self,
        by: Option<&str>,
        market: &str,
        who: &str,
        build: impl FnOnce(Pubkey, u16, Pubkey) -> Instruction,
        listed: Listed,
    ) -> Result<StepResult> {
        let index = self.market(market).index;
        let operator = self.key("operator");
        let signer = self.signer(by, "operator").await?;
        let subject = self.key(who);
        let r = self
            .send_as(build(operator, index, subject), operator, &signer)
            .await;
        if r.is_ok() {
            let entry = (market.to_string(), who.to_string());
            let list = match listed {
                Listed::Lender => Some(&mut self.lenders),
                Listed::Position => Some(&mut self.positions),
                Listed::Nothing => None,
            };
            if let Some(list) = list
                && !list.contains(&entry)
            {
                list.push(entry);
            }
        }
        Ok(r)
    }
}
