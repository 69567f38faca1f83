//! Steps no role signs: the clock, the test mint authority, snapshots and
//! checks.

use anyhow::Result;
use backstop_bank::TxOk;

use super::{Simulator, StepResult, outside};

impl Simulator {
    pub(super) async fn advance(&mut self, seconds: u64) -> Result<StepResult> {
        // Parsing keeps `seconds` within i64::MAX / 2.
        self.bank.advance(seconds as i64).await;
        Ok(Ok(TxOk::default()))
    }

    /// Tokens to `who` (created on first use) from the test mint authority.
    pub(super) async fn mint_to_user(
        &mut self,
        who: &str,
        asset: &str,
        amount: u64,
    ) -> Result<StepResult> {
        self.ensure_user(who).await?;
        let to = self.tokens(who, asset);
        Ok(self.bank.mint_to(self.mint(asset), to, amount).await)
    }

    /// Records everything the report shows under `label`.
    pub(super) async fn snapshot(&mut self, label: &str) -> Result<StepResult> {
        let world = self.world().await?;
        self.recording
            .snapshots
            .insert(label.to_string(), serde_json::to_value(world)?);
        Ok(Ok(TxOk::default()))
    }

    /// Compares one figure with the file's text: a difference, or a path
    /// that names no figure, is refused by the simulator, so the step misses
    /// its expectation.
    pub(super) async fn check(&mut self, figure: &str, equals: &str) -> Result<StepResult> {
        let state = self.read_state().await?;
        Ok(match state.figure(figure) {
            None => Err(outside(format!("{figure} names no figure"))),
            Some(found) if found.to_string() == equals => Ok(TxOk::default()),
            Some(found) => Err(outside(format!(
                "{figure} is {found}, the file expects {equals}"
            ))),
        })
    }
}
