//! The set-up instructions as steps, once the world exists: the protocol and
//! a pool created again (refused: their accounts exist, whoever signs), and
//! another market like one of the file's at the next index (the admin's to
//! create; anyone else is refused). The report lists the file's markets
//! only.

use anyhow::Result;
use backstop_client::ix;
use backstop_client::pda;
use backstop_client::types::{CreateMarketArgs, InitializeProtocolArgs, PoolParams, Protocol};
use solana_signer::Signer;

use super::{Simulator, StepResult};
use crate::scenario::MintFeature;

impl Simulator {
    /// `initialize_protocol`, paid and signed by `by` (else the admin).
    pub(super) async fn initialize_again(&mut self, by: Option<&str>) -> Result<StepResult> {
        let signer = self.signer(by, "admin").await?;
        let args = InitializeProtocolArgs {
            admin: self.key("admin"),
            guardian: self.key("guardian"),
            treasury: self.key("treasury"),
            governance_delay: 0,
        };
        let init = ix::initialize_protocol(signer.pubkey(), args);
        Ok(self.bank.send(&[init], &[&signer]).await)
    }

    /// `create_pool` of `asset`'s mint, with the program's default
    /// parameters and the opt-ins its mint needs.
    pub(super) async fn create_pool_again(
        &mut self,
        by: Option<&str>,
        asset: &str,
    ) -> Result<StepResult> {
        let admin = self.key("admin");
        let signer = self.signer(by, "admin").await?;
        let treasury = self.treasury().await;
        let opt_ins = MintFeature::opt_ins(&self.pool(asset).features);
        let payer = self.bank.payer_pubkey();
        let create = ix::create_pool(
            admin,
            payer,
            treasury,
            self.token(asset),
            PoolParams::default(),
            opt_ins,
        );
        Ok(self.send_as(create, admin, &signer).await)
    }

    /// `create_market` with `market`'s parameters and settlement account, at
    /// the index the protocol expects next.
    pub(super) async fn create_market_like(
        &mut self,
        by: Option<&str>,
        market: &str,
    ) -> Result<StepResult> {
        let m = self.market(market).clone();
        let protocol: Protocol = self
            .bank
            .decode(pda::protocol())
            .await
            .expect("the protocol exists");
        let args = CreateMarketArgs {
            index: protocol.market_count,
            ..m.args
        };
        let admin = self.key("admin");
        let signer = self.signer(by, "admin").await?;
        let operator = self.key("operator");
        let payer = self.bank.payer_pubkey();
        let create = ix::create_market(
            admin,
            payer,
            self.token(&m.asset),
            m.settlement,
            operator,
            args,
        );
        Ok(self.send_as(create, admin, &signer).await)
    }
}
