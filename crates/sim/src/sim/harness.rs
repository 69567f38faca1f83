//! Steps no role signs: the clock, the test mint authority and snapshots.

use anyhow::Result;
use backstop_bank::TxOk;

use super::{Simulator, StepResult};

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
}
