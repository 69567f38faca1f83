//! What a validator says about itself and its place in the cluster: one
//! node here, the leader of every slot, with no stake, votes, inflation or
//! snapshots. Each answer has the cluster's shape.

use serde_json::{Value, json};
use solana_rpc_client_api::response::Response;
use solana_signer::Signer;

use crate::node::Node;
use crate::wire::{RpcError, RpcResult, ctx, param, required};

/// The most slots `getSlotLeaders` answers, as a validator.
const MAX_SLOT_LEADERS: u64 = 5_000;

impl Node {
    fn identity(&self) -> String {
        self.bank.payer().pubkey().to_string()
    }

    /// Params: `[slot]`: a finished block is rooted at once, so its
    /// commitment array is `null`; no stake votes here.
    pub(crate) async fn get_block_commitment(&mut self, params: &Value) -> RpcResult {
        let _slot: u64 = required(params, 0, "missing slot")?;
        Ok(json!({ "commitment": null, "totalStake": 0 }))
    }

    /// Every slot since start was this node's, and made a block.
    pub(crate) async fn get_block_production(&mut self, _params: &Value) -> RpcResult {
        let slot = self.slot().await;
        let first = self.chain.blocks.keys().next().copied().unwrap_or(slot);
        let last = self.root();
        let blocks = self.chain.blocks.len();
        Ok(json!(Response {
            context: ctx(slot),
            value: json!({
                "byIdentity": { self.identity(): [blocks, blocks] },
                "range": { "firstSlot": first, "lastSlot": last },
            }),
        }))
    }

    /// The node keeps no snapshots: a validator without any answers -32008.
    pub(crate) async fn get_highest_snapshot_slot(&mut self, _params: &Value) -> RpcResult {
        Err(RpcError {
            code: -32008,
            message: "No snapshot".into(),
            data: None,
        })
    }

    /// No inflation here.
    pub(crate) async fn get_inflation_governor(&mut self, _params: &Value) -> RpcResult {
        Ok(
            json!({ "initial": 0.0, "terminal": 0.0, "taper": 0.0, "foundation": 0.0, "foundationTerm": 0.0 }),
        )
    }

    pub(crate) async fn get_inflation_rate(&mut self, _params: &Value) -> RpcResult {
        let slot = self.slot().await;
        let epoch = self.bank.epoch_schedule().await.get_epoch(slot);
        Ok(json!({ "total": 0.0, "validator": 0.0, "foundation": 0.0, "epoch": epoch }))
    }

    /// Params: `[slot?, { identity }?]`: this node leads every slot of the
    /// epoch (slot indexes within it).
    pub(crate) async fn get_leader_schedule(&mut self, params: &Value) -> RpcResult {
        let slot = match params.get(0) {
            Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
            _ => self.slot().await,
        };
        let identity = self.identity();
        let wanted = params.as_array().into_iter().flatten().find_map(|p| {
            p.get("identity")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        if wanted.as_ref().is_some_and(|w| *w != identity) {
            return Ok(json!({}));
        }
        let schedule = self.bank.epoch_schedule().await;
        let slots = schedule.get_slots_in_epoch(schedule.get_epoch(slot));
        Ok(json!({ identity: (0..slots).collect::<Vec<u64>>() }))
    }

    pub(crate) async fn get_max_retransmit_slot(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(self.slot().await))
    }

    pub(crate) async fn get_max_shred_insert_slot(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(self.slot().await))
    }

    /// No performance samples are taken (a validator takes one a minute).
    pub(crate) async fn get_recent_performance_samples(&mut self, _params: &Value) -> RpcResult {
        Ok(json!([]))
    }

    pub(crate) async fn get_slot_leader(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(self.identity()))
    }

    /// Params: `[start, limit]`.
    pub(crate) async fn get_slot_leaders(&mut self, params: &Value) -> RpcResult {
        let _start: u64 = required(params, 0, "missing start slot")?;
        let limit: u64 = param(params, 1)?.unwrap_or(0);
        if !(1..=MAX_SLOT_LEADERS).contains(&limit) {
            return Err(RpcError::invalid_params(format!(
                "Invalid limit; max {MAX_SLOT_LEADERS}"
            )));
        }
        Ok(json!(vec![self.identity(); limit as usize]))
    }

    /// The stake program's minimum delegation on mainnet today: 1 lamport.
    pub(crate) async fn get_stake_minimum_delegation(&mut self, _params: &Value) -> RpcResult {
        let slot = self.slot().await;
        Ok(json!(Response {
            context: ctx(slot),
            value: 1u64
        }))
    }

    /// No vote accounts: one node, no consensus.
    pub(crate) async fn get_vote_accounts(&mut self, _params: &Value) -> RpcResult {
        Ok(json!({ "current": [], "delinquent": [] }))
    }

    /// The oldest block kept: every block since start.
    pub(crate) async fn minimum_ledger_slot(&mut self, _params: &Value) -> RpcResult {
        Ok(json!(self.chain.blocks.keys().next().copied().unwrap_or(0)))
    }
}
