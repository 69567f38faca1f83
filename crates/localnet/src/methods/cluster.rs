//! The cluster's state: health, version, slots, blockhashes, fees, rent.

use base64::Engine;
use serde_json::{Value, json};
use solana_hash::Hash;
use solana_rpc_client_api::response::{Response, RpcBlockhash, RpcVersionInfo};
use solana_transaction::versioned::VersionedTransaction;

use crate::node::Node;
use crate::wire::{RpcError, RpcResult, ctx, param, required};

/// The validator version the node answers as (its Solana crates').
pub(crate) const CORE_VERSION: &str = "3.1.12";

/// The node's feature-set identifier (`getVersion`'s `feature-set`): a
/// validator derives it from the features its build knows; the node's is
/// derived the same way from its version, so it is stable per release.
pub(crate) const FEATURE_SET: u32 = feature_set_id(CORE_VERSION);

const fn feature_set_id(version: &str) -> u32 {
    // FNV-1a over the version string.
    let bytes = version.as_bytes();
    let mut hash: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u32;
        hash = hash.wrapping_mul(0x0100_0193);
        i += 1;
    }
    hash
}

/// Whether a request asked for `processed` (the open slot) rather than a
/// confirmed or finalized one (the last finished block).
fn processed(params: &Value) -> bool {
    params.as_array().into_iter().flatten().any(|p| {
        p.get("commitment")
            .and_then(Value::as_str)
            .is_some_and(|c| c == "processed" || c == "recent")
    })
}

impl Node {
    pub(crate) async fn get_health(&mut self, _params: &Value) -> RpcResult {
        Ok(json!("ok"))
    }

    pub(crate) async fn get_version(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(RpcVersionInfo {
            solana_core: CORE_VERSION.into(),
            feature_set: Some(FEATURE_SET),
        }))
    }

    pub(crate) async fn get_genesis_hash(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(self.genesis_hash().to_string()))
    }

    /// `processed`: the slot being filled; otherwise the last finished
    /// block (final at once here), which is in `SlotHashes`, so a lookup
    /// table can be created from it as on a cluster.
    pub(crate) async fn get_slot(&mut self, params: &Value) -> RpcResult {
        if processed(params) {
            return Ok(json!(self.slot().await));
        }
        Ok(json!(self.root()))
    }

    pub(crate) async fn get_block_height(&mut self, params: &Value) -> RpcResult {
        let height = self.block_height().await;
        Ok(json!(if processed(params) {
            height
        } else {
            height.saturating_sub(1)
        }))
    }

    pub(crate) async fn get_epoch_info(&mut self, _params: &Value) -> RpcResult {
        let slot = self.slot().await;
        let height = self.block_height().await;
        let schedule = self.bank.epoch_schedule().await;
        let (epoch, slot_index) = schedule.get_epoch_and_slot_index(slot);
        Ok(json!({
            "absoluteSlot": slot,
            "blockHeight": height,
            "epoch": epoch,
            "slotIndex": slot_index,
            "slotsInEpoch": schedule.get_slots_in_epoch(epoch),
            "transactionCount": self.order.len(),
        }))
    }

    pub(crate) async fn get_latest_blockhash(&mut self, _params: &Value) -> RpcResult {
        let slot = self.slot().await;
        let (hash, last_valid) = self.latest_blockhash().await?;
        let height = self.block_height().await;
        self.chain.blockhash_heights.entry(hash).or_insert(height);
        Ok(json!(Response {
            context: ctx(slot),
            value: RpcBlockhash {
                blockhash: hash.to_string(),
                last_valid_block_height: last_valid
            },
        }))
    }

    /// Params: `[blockhash]`: whether a transaction naming it would still
    /// land (a blockhash of the last 150 blocks).
    pub(crate) async fn is_blockhash_valid(&mut self, params: &Value) -> RpcResult {
        let text: String = required(params, 0, "missing blockhash")?;
        let hash: Hash = text
            .parse()
            .map_err(|_| RpcError::invalid_params(format!("Invalid param: {text}")))?;
        let slot = self.slot().await;
        let valid = self.blockhash_is_valid(&hash).await;
        Ok(json!(Response {
            context: ctx(slot),
            value: valid
        }))
    }

    /// Params: `[message (base64)]`: what sending it would cost (5,000
    /// lamports a signature plus its priority fee), or `null` when its
    /// blockhash would no longer land.
    pub(crate) async fn get_fee_for_message(&mut self, params: &Value) -> RpcResult {
        let encoded: String = required(params, 0, "missing message")?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&encoded)
            .map_err(|e| RpcError::invalid_params(format!("invalid base64 message: {e}")))?;
        let message: solana_message::VersionedMessage = bincode::deserialize(&bytes)
            .map_err(|e| RpcError::invalid_params(format!("invalid message: {e}")))?;
        let slot = self.slot().await;
        let value = match self.blockhash_is_valid(message.recent_blockhash()).await {
            true => {
                let tx = VersionedTransaction {
                    signatures: vec![],
                    message,
                };
                Some(crate::record::fee(&tx))
            }
            false => None,
        };
        Ok(json!(Response {
            context: ctx(slot),
            value
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commitments_pick_the_open_slot_or_the_root() {
        assert!(processed(&json!([{ "commitment": "processed" }])));
        assert!(!processed(&json!([{ "commitment": "finalized" }])));
        assert!(!processed(&json!([])));
        assert_ne!(FEATURE_SET, 0);
        assert_eq!(feature_set_id("3.1.12"), FEATURE_SET);
        assert_ne!(feature_set_id("3.1.13"), FEATURE_SET);
    }
}
