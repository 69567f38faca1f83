//! The node's own methods, beside Solana's.

use serde_json::{Value, json};

use crate::node::Node;
use crate::wire::{RpcError, RpcResult, required};

impl Node {
    /// `backstop_advanceClock [seconds]`: moves the cluster's time forward
    /// and finishes the slot, so the next block (and every later one) has
    /// the new time; answers `{ "unixTimestamp": …, "slot": … }`.
    pub(crate) async fn advance_clock(&mut self, params: &Value) -> RpcResult {
        let seconds: i64 = required(params, 0, "missing seconds")?;
        if seconds < 0 {
            return Err(RpcError::invalid_params("seconds must not be negative"));
        }
        self.chain.clock_offset += seconds;
        self.finish_block().await?;
        let now = self.bank.now().await;
        let slot = self.slot().await;
        Ok(json!({ "unixTimestamp": now, "slot": slot }))
    }

    /// `backstop_devWallet`: the page's dev wallet signs with the node's
    /// keypair, the admin, holding the demo tokens. `Node::answer` refuses it
    /// to foreign pages.
    pub(crate) async fn dev_wallet(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(self.dev_wallet))
    }
}
