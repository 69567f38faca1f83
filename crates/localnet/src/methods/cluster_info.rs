//! What wallets and tools ask of a cluster beyond accounts and transactions,
//! in the cluster's response shapes: the node's identity, its one epoch
//! schedule, transaction counts, a mint's supply. Where nothing applies (no
//! inflation, no older blocks) the answer is the cluster's empty one.

use serde_json::{Value, json};
use solana_rpc_client_api::response::Response;
use solana_signer::Signer;

use crate::node::Node;
use crate::wire::{RpcError, RpcResult, ctx, pubkey_param, ui_token_amount};

/// Mainnet's epoch schedule (no warm-up): what `getEpochInfo` already says.
pub(crate) const SLOTS_PER_EPOCH: u64 = 432_000;

impl Node {
    /// The node's identity: the bank's fee payer, which signs nothing of the
    /// user's.
    pub(crate) async fn get_identity(&mut self, _params: &Value) -> RpcResult {
        Ok(json!({ "identity": self.bank.payer().pubkey().to_string() }))
    }

    pub(crate) async fn get_epoch_schedule(&mut self, _params: &Value) -> RpcResult {
        Ok(json!({
            "slotsPerEpoch": SLOTS_PER_EPOCH,
            "leaderScheduleSlotOffset": SLOTS_PER_EPOCH,
            "warmup": false,
            "firstNormalEpoch": 0,
            "firstNormalSlot": 0,
        }))
    }

    /// Transactions processed since start.
    pub(crate) async fn get_transaction_count(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(self.order.len() as u64))
    }

    /// The node keeps every block it made: the first is slot 0.
    pub(crate) async fn get_first_available_block(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(0u64))
    }

    /// One node: this one (no gossip, no TPU).
    pub(crate) async fn get_cluster_nodes(&mut self, _params: &Value) -> RpcResult {
        Ok(json!([{
            "pubkey": self.bank.payer().pubkey().to_string(),
            "gossip": null, "tpu": null, "tpuQuic": null, "rpc": null, "pubsub": null,
            "version": "3.1.12", "featureSet": null, "shredVersion": 0,
        }]))
    }

    /// Params: `[[address, …], config?]`: no inflation here, so `null` for each.
    pub(crate) async fn get_inflation_reward(&mut self, params: &Value) -> RpcResult {
        let addresses = params
            .get(0)
            .and_then(Value::as_array)
            .ok_or_else(|| RpcError::invalid_params("expected an array of addresses"))?;
        Ok(json!(vec![Value::Null; addresses.len()]))
    }

    /// Params: `[mint]`: its supply as a token amount.
    pub(crate) async fn get_token_supply(&mut self, params: &Value) -> RpcResult {
        let mint = pubkey_param(params, 0)?;
        let slot = self.slot().await;
        let account = self
            .account(&mint)
            .await
            .ok_or_else(|| RpcError::invalid_params("Invalid param: could not find account"))?;
        let (Some(supply), Some(decimals)) = (
            backstop_client::token::mint_supply(&account.data),
            backstop_client::token::mint_decimals(&account.data),
        ) else {
            return Err(RpcError::invalid_params("Invalid param: not a Token mint"));
        };
        Ok(json!(Response {
            context: ctx(slot),
            value: ui_token_amount(supply, decimals)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node() -> (tokio::runtime::Runtime, Node, solana_pubkey::Pubkey) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let admin = solana_keypair::Keypair::new();
        let (node, mint) = runtime
            .block_on(Node::start(&admin, 0, Some(crate::DemoMint::SplToken)))
            .unwrap();
        (runtime, node, mint.unwrap())
    }

    #[test]
    fn cluster_answers_in_the_clusters_shapes() {
        let (rt, mut node, mint) = node();
        let identity = rt.block_on(node.get_identity(&json!([]))).unwrap();
        assert_eq!(identity["identity"], node.bank.payer().pubkey().to_string());
        let schedule = rt.block_on(node.get_epoch_schedule(&json!([]))).unwrap();
        assert_eq!(schedule["slotsPerEpoch"], 432_000);
        assert_eq!(schedule["warmup"], false);
        let count = rt.block_on(node.get_transaction_count(&json!([]))).unwrap();
        assert_eq!(count, json!(node.order.len() as u64));
        let rewards = rt
            .block_on(node.get_inflation_reward(&json!([["a", "b"]])))
            .unwrap();
        assert_eq!(rewards, json!([null, null]));
        assert!(rt.block_on(node.get_inflation_reward(&json!([]))).is_err());
        // the demo mint: 1,000,000 tokens of 6 decimals were minted
        let supply = rt
            .block_on(node.get_token_supply(&json!([mint.to_string()])))
            .unwrap();
        assert_eq!(supply["value"]["amount"], "1000000000000");
        assert_eq!(supply["value"]["decimals"], 6);
        let not_a_mint = rt.block_on(
            node.get_token_supply(&json!([solana_pubkey::Pubkey::new_unique().to_string()])),
        );
        assert!(not_a_mint.is_err());
    }
}
