//! What wallets and tools ask of a cluster beyond accounts and transactions,
//! in the cluster's response shapes: the node's identity, its one epoch
//! schedule, transaction counts, a mint's supply. Where nothing applies (no
//! inflation, no older blocks) the answer is the cluster's empty one.

use serde_json::{Value, json};
use solana_rpc_client_api::response::Response;
use solana_signer::Signer;

use crate::node::Node;
use crate::wire::{RpcError, RpcResult, ctx};

impl Node {
    /// The node's identity: the bank's fee payer, which signs nothing of the
    /// user's.
    pub(crate) async fn get_identity(&mut self, _params: &Value) -> RpcResult {
        Ok(json!({ "identity": self.bank.payer().pubkey().to_string() }))
    }

    /// The bank's epoch schedule (a validator's default: 432,000 slots,
    /// with warm-up epochs of 32, 64, ... slots first).
    pub(crate) async fn get_epoch_schedule(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(self.bank.epoch_schedule().await))
    }

    /// Transactions processed since start.
    pub(crate) async fn get_transaction_count(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(self.order.len() as u64))
    }

    /// The node keeps every block it made.
    pub(crate) async fn get_first_available_block(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(self.chain.blocks.keys().next().copied().unwrap_or(0)))
    }

    /// The lamports of the accounts the node has seen and its fee payer
    /// (the genesis supply natively), none of them held back from
    /// circulation.
    pub(crate) async fn get_supply(&mut self, _params: &Value) -> RpcResult {
        let slot = self.slot().await;
        let mut total = 0u64;
        let payer = self.bank.payer_pubkey();
        for key in self.known.clone().into_iter().chain([payer]) {
            total = total.saturating_add(self.bank.lamports(key).await);
        }
        Ok(json!(Response {
            context: ctx(slot),
            value: {
                json!({ "total": total, "circulating": total, "nonCirculating": 0, "nonCirculatingAccounts": [] })
            }
        }))
    }

    /// The 20 largest accounts by lamports, among those the node has seen.
    pub(crate) async fn get_largest_accounts(&mut self, _params: &Value) -> RpcResult {
        let slot = self.slot().await;
        let mut accounts = Vec::new();
        for key in self.known.clone() {
            let lamports = self.bank.lamports(key).await;
            if lamports > 0 {
                accounts.push((lamports, key));
            }
        }
        accounts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let value: Vec<Value> = accounts
            .into_iter()
            .take(20)
            .map(|(lamports, key)| json!({ "address": key.to_string(), "lamports": lamports }))
            .collect();
        Ok(json!(Response {
            context: ctx(slot),
            value
        }))
    }

    /// One node: this one (no gossip, no TPU).
    pub(crate) async fn get_cluster_nodes(&mut self, _params: &Value) -> RpcResult {
        Ok(json!([{
            "pubkey": self.bank.payer().pubkey().to_string(),
            "gossip": null, "tpu": null, "tpuQuic": null, "rpc": null, "pubsub": null,
            "version": super::cluster::CORE_VERSION, "featureSet": super::cluster::FEATURE_SET, "shredVersion": 0,
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
        // with warm-up (natively, a validator's default) or without (LiteSVM's)
        let warmup = schedule["warmup"].as_bool().unwrap();
        let first_normal = if warmup { 524_256 } else { 0 };
        assert_eq!(schedule["firstNormalSlot"], first_normal);
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
