//! The cluster's state: health, version, slots, blockhashes, fees, rent.

use serde_json::{Value, json};
use solana_rpc_client_api::response::{Response, RpcBlockhash, RpcVersionInfo};

use crate::node::Node;
use crate::wire::{RpcResult, ctx, param};

impl Node {
    pub(crate) async fn get_health(&mut self, _params: &Value) -> RpcResult {
        Ok(json!("ok"))
    }

    pub(crate) async fn get_version(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(RpcVersionInfo {
            solana_core: "3.1.12".into(),
            feature_set: None
        }))
    }

    pub(crate) async fn get_genesis_hash(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(self.genesis_hash().to_string()))
    }

    pub(crate) async fn get_slot(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(self.slot().await))
    }

    pub(crate) async fn get_block_height(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(self.block_height().await))
    }

    pub(crate) async fn get_epoch_info(&mut self, _params: &Value) -> RpcResult {
        let slot = self.slot().await;
        let height = self.block_height().await;
        Ok(json!({
            "absoluteSlot": slot,
            "blockHeight": height,
            "epoch": 0,
            "slotIndex": slot,
            "slotsInEpoch": super::cluster_info::SLOTS_PER_EPOCH,
            "transactionCount": self.order.len(),
        }))
    }

    pub(crate) async fn get_latest_blockhash(&mut self, _params: &Value) -> RpcResult {
        let slot = self.slot().await;
        let (hash, last_valid) = self.latest_blockhash().await?;
        Ok(json!(Response {
            context: ctx(slot),
            value: RpcBlockhash {
                blockhash: hash.to_string(),
                last_valid_block_height: last_valid
            },
        }))
    }

    /// Every blockhash is valid here: the bank refuses stale ones itself.
    pub(crate) async fn is_blockhash_valid(&mut self, _params: &Value) -> RpcResult {
        let slot = self.slot().await;
        Ok(json!(Response {
            context: ctx(slot),
            value: true
        }))
    }

    /// One signature's fee, whatever the message.
    pub(crate) async fn get_fee_for_message(&mut self, _params: &Value) -> RpcResult {
        let slot = self.slot().await;
        Ok(json!(Response {
            context: ctx(slot),
            value: Some(5_000u64)
        }))
    }

    pub(crate) async fn get_recent_prioritization_fees(&mut self, _params: &Value) -> RpcResult {
        Ok(json!([]))
    }

    /// Params: `[size]` (bytes; 0 when absent).
    pub(crate) async fn get_minimum_balance_for_rent_exemption(
        &mut self,
        params: &Value,
    ) -> RpcResult {
        let size: usize = param(params, 0)?.unwrap_or(0);
        Ok(json!(self.minimum_balance(size).await?))
    }
}
