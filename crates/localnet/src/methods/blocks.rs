//! Blocks: the node makes one per transaction and one per 400 ms while
//! idle, and keeps them all. `getBlock` answers in the encoding and detail
//! asked for, as a validator's ledger does.

use serde_json::{Value, json};
use solana_rpc_client_api::config::{RpcBlockConfig, RpcEncodingConfigWrapper};
use solana_transaction_status::{
    BlockEncodingOptions, ConfirmedBlock, TransactionDetails, TransactionWithStatusMeta,
    UiTransactionEncoding,
};

use crate::node::Node;
use crate::wire::{RpcError, RpcResult, param, required};

/// The most slots `getBlocks` spans, as a validator.
const MAX_GET_BLOCKS_RANGE: u64 = 500_000;

impl Node {
    /// Params: `[slot, config | encoding?]`.
    pub(crate) async fn get_block(&mut self, params: &Value) -> RpcResult {
        let slot: u64 = required(params, 0, "missing slot")?;
        let config = param::<RpcEncodingConfigWrapper<RpcBlockConfig>>(params, 1)?
            .map(|c| c.convert_to_current())
            .unwrap_or_default();
        let Some(block) = self.chain.blocks.get(&slot) else {
            return Err(skipped_or_missing(slot));
        };
        let transactions = block
            .signatures
            .iter()
            .filter_map(|s| self.transactions.get(s))
            .map(|p| TransactionWithStatusMeta::Complete(p.with_meta.clone()))
            .collect();
        let confirmed = ConfirmedBlock {
            previous_blockhash: block.previous_blockhash.to_string(),
            blockhash: block.blockhash.to_string(),
            parent_slot: block.parent_slot,
            transactions,
            rewards: Vec::new(),
            num_partitions: None,
            block_time: Some(block.block_time),
            block_height: Some(block.block_height),
        };
        let options = BlockEncodingOptions {
            transaction_details: config
                .transaction_details
                .unwrap_or(TransactionDetails::Full),
            show_rewards: config.rewards.unwrap_or(true),
            max_supported_transaction_version: config.max_supported_transaction_version,
        };
        let encoding = config.encoding.unwrap_or(UiTransactionEncoding::Json);
        let encoded = confirmed
            .encode_with_options(encoding, options)
            .map_err(RpcError::unsupported_version)?;
        Ok(json!(encoded))
    }

    /// Params: `[start, end?]`: the slots with a block from `start` to `end`
    /// (the last finished block when absent).
    pub(crate) async fn get_blocks(&mut self, params: &Value) -> RpcResult {
        let start: u64 = required(params, 0, "missing start slot")?;
        let end = match params.get(1) {
            Some(Value::Number(n)) => n
                .as_u64()
                .ok_or_else(|| RpcError::invalid_params("invalid end slot"))?,
            _ => self.root(),
        };
        if end.saturating_sub(start) > MAX_GET_BLOCKS_RANGE {
            return Err(RpcError::invalid_params(format!(
                "Slot range too large; max {MAX_GET_BLOCKS_RANGE}"
            )));
        }
        let slots: Vec<u64> = self
            .chain
            .blocks
            .range(start..=end.max(start))
            .map(|(s, _)| *s)
            .collect();
        Ok(json!(slots))
    }

    /// Params: `[start, limit]`: up to `limit` slots with a block from `start`.
    pub(crate) async fn get_blocks_with_limit(&mut self, params: &Value) -> RpcResult {
        let start: u64 = required(params, 0, "missing start slot")?;
        let limit: usize = required(params, 1, "missing limit")?;
        if limit as u64 > MAX_GET_BLOCKS_RANGE {
            return Err(RpcError::invalid_params(format!(
                "Limit too large; max {MAX_GET_BLOCKS_RANGE}"
            )));
        }
        let slots: Vec<u64> = self
            .chain
            .blocks
            .range(start..)
            .take(limit)
            .map(|(s, _)| *s)
            .collect();
        Ok(json!(slots))
    }

    /// Params: `[slot]`: the block's time (the clock's, unix seconds).
    pub(crate) async fn get_block_time(&mut self, params: &Value) -> RpcResult {
        let slot: u64 = required(params, 0, "missing slot")?;
        match self.chain.blocks.get(&slot) {
            Some(block) => Ok(json!(block.block_time)),
            None => Err(skipped_or_missing(slot)),
        }
    }
}

/// A slot with no block: not reached yet, as a validator answers it (-32004).
fn skipped_or_missing(slot: u64) -> RpcError {
    RpcError {
        code: -32004,
        message: format!("Block not available for slot {slot}"),
        data: None,
    }
}
