//! The JSON-RPC methods the node answers: one table from method name to
//! handler, grouped by concern, and one small handler per method in the
//! concern's module:
//!
//! - `cluster`: health, version, slots, blockhashes, fees, rent;
//! - `cluster_info`: identity, epoch schedule, counts, supply, largest accounts;
//! - `accounts`: balances, accounts, program accounts;
//! - `tokens`: token accounts by owner or delegate, balances, supply, largest holders;
//! - `transactions`: airdrops, send, simulate, statuses, history;
//! - `blocks`: blocks, block lists and times;
//! - `validator`: leaders, votes, inflation, snapshots (one node, none of them);
//! - `backstop`: the node's own `backstop_advanceClock` and `backstop_devWallet`.

mod accounts;
mod backstop;
mod blocks;
mod cluster;
mod cluster_info;
mod tokens;
mod transactions;
mod validator;

use std::future::Future;
use std::pin::Pin;

use serde_json::{Value, json};

use crate::node::Node;
use crate::wire::{self, RpcError, RpcResult};

/// A handler's answer, borrowing the node and the params.
pub(crate) type Answer<'a> = Pin<Box<dyn Future<Output = RpcResult> + 'a>>;

/// A method's handler: the node and the request's positional params.
pub(crate) type Handler = for<'a> fn(&'a mut Node, &'a Value) -> Answer<'a>;

/// `name => async fn(&mut Node, &Value) -> RpcResult`, as table rows.
macro_rules! table {
    ($($name:literal => $handler:path,)*) => {
        &[$(($name, |node, params| Box::pin($handler(node, params))),)*]
    };
}

/// Every method, by concern.
pub(crate) static METHODS: &[(&str, Handler)] = table! {
    // cluster
    "getHealth" => Node::get_health,
    "getVersion" => Node::get_version,
    "getGenesisHash" => Node::get_genesis_hash,
    "getSlot" => Node::get_slot,
    "getBlockHeight" => Node::get_block_height,
    "getEpochInfo" => Node::get_epoch_info,
    "getLatestBlockhash" => Node::get_latest_blockhash,
    "isBlockhashValid" => Node::is_blockhash_valid,
    "getFeeForMessage" => Node::get_fee_for_message,
    "getRecentPrioritizationFees" => Node::get_recent_prioritization_fees,
    "getMinimumBalanceForRentExemption" => Node::get_minimum_balance_for_rent_exemption,
    "getIdentity" => Node::get_identity,
    "getEpochSchedule" => Node::get_epoch_schedule,
    "getTransactionCount" => Node::get_transaction_count,
    "getFirstAvailableBlock" => Node::get_first_available_block,
    "getClusterNodes" => Node::get_cluster_nodes,
    "getInflationReward" => Node::get_inflation_reward,
    "getSupply" => Node::get_supply,
    "getLargestAccounts" => Node::get_largest_accounts,
    // accounts
    "getBalance" => Node::get_balance,
    "getAccountInfo" => Node::get_account_info,
    "getMultipleAccounts" => Node::get_multiple_accounts,
    "getProgramAccounts" => Node::get_program_accounts,
    // tokens
    "getTokenAccountBalance" => Node::get_token_account_balance,
    "getTokenAccountsByOwner" => Node::get_token_accounts_by_owner,
    "getTokenAccountsByDelegate" => Node::get_token_accounts_by_delegate,
    "getTokenSupply" => Node::get_token_supply,
    "getTokenLargestAccounts" => Node::get_token_largest_accounts,
    // blocks
    "getBlock" => Node::get_block,
    "getBlocks" => Node::get_blocks,
    "getBlocksWithLimit" => Node::get_blocks_with_limit,
    "getBlockTime" => Node::get_block_time,
    // validator
    "getBlockCommitment" => Node::get_block_commitment,
    "getBlockProduction" => Node::get_block_production,
    "getHighestSnapshotSlot" => Node::get_highest_snapshot_slot,
    "getInflationGovernor" => Node::get_inflation_governor,
    "getInflationRate" => Node::get_inflation_rate,
    "getLeaderSchedule" => Node::get_leader_schedule,
    "getMaxRetransmitSlot" => Node::get_max_retransmit_slot,
    "getMaxShredInsertSlot" => Node::get_max_shred_insert_slot,
    "getRecentPerformanceSamples" => Node::get_recent_performance_samples,
    "getSlotLeader" => Node::get_slot_leader,
    "getSlotLeaders" => Node::get_slot_leaders,
    "getStakeMinimumDelegation" => Node::get_stake_minimum_delegation,
    "getVoteAccounts" => Node::get_vote_accounts,
    "minimumLedgerSlot" => Node::minimum_ledger_slot,
    // transactions
    "requestAirdrop" => Node::request_airdrop,
    "sendTransaction" => Node::send_transaction,
    "simulateTransaction" => Node::simulate_transaction,
    "getSignatureStatuses" => Node::get_signature_statuses,
    "getTransaction" => Node::get_transaction,
    "getSignaturesForAddress" => Node::get_signatures_for_address,
    // backstop
    "backstop_advanceClock" => Node::advance_clock,
    "backstop_devWallet" => Node::dev_wallet,
};

/// The method that hands out the node's secret key.
pub(crate) const DEV_WALLET: &str = "backstop_devWallet";

/// The handler of `method`.
pub(crate) fn lookup(method: &str) -> Option<Handler> {
    METHODS
        .iter()
        .find(|(name, _)| *name == method)
        .map(|(_, handler)| *handler)
}

/// The commitments a validator accepts (its deprecated names included).
const COMMITMENTS: &[&str] = &[
    "processed",
    "confirmed",
    "finalized",
    "recent",
    "single",
    "singleGossip",
    "root",
    "max",
];

/// Refuses a config whose `commitment` a validator would not parse, with its
/// -32602, instead of serving it at some default.
fn check_commitment(params: &Value) -> Result<(), RpcError> {
    let configs = params.as_array().into_iter().flatten();
    for commitment in configs.filter_map(|p| p.get("commitment")) {
        if !commitment
            .as_str()
            .is_some_and(|c| COMMITMENTS.contains(&c))
        {
            return Err(RpcError::invalid_params(format!(
                "Invalid params: unknown variant {commitment}, expected one of `processed`, `confirmed`, `finalized`"
            )));
        }
    }
    Ok(())
}

/// The `minContextSlot` of a request's config, wherever it sits.
fn min_context_slot(params: &Value) -> Option<u64> {
    params
        .as_array()?
        .iter()
        .find_map(|p| p.get("minContextSlot")?.as_u64())
}

impl Node {
    /// Calls `method` with `params`.
    pub(crate) async fn call(&mut self, method: &str, params: &Value) -> RpcResult {
        match lookup(method) {
            Some(handler) => {
                check_commitment(params)?;
                self.check_min_context_slot(min_context_slot(params))
                    .await?;
                handler(self, params).await
            }
            None => Err(RpcError::method_not_found(format!(
                "Method not found: {method}"
            ))),
        }
    }

    /// Answers one JSON-RPC request object. `trusted`: the request came from
    /// a local process or a page this node served (`server::trusted_origin`);
    /// only then is the node's secret key handed out.
    pub(crate) async fn answer(&mut self, request: &Value, trusted: bool) -> Value {
        let id = request.get("id").cloned().unwrap_or(Value::Null);
        let Some(method) = request.get("method").and_then(|m| m.as_str()) else {
            return json!({ "jsonrpc": "2.0", "error": { "code": -32600, "message": "Invalid request" }, "id": id });
        };
        if method == DEV_WALLET && !trusted {
            let refused = RpcError::method_not_found(
                "backstop_devWallet is answered only to local processes and to the page this node serves",
            );
            return wire::failure(id, refused);
        }
        let params = request.get("params").cloned().unwrap_or(json!([]));
        match self.call(method, &params).await {
            Ok(result) => wire::success(id, result),
            Err(e) => wire::failure(id, e),
        }
    }

    /// Answers a POST body: one request, a batch, or a parse error.
    pub(crate) async fn answer_body(&mut self, body: &str, trusted: bool) -> Value {
        match serde_json::from_str::<Value>(body) {
            Ok(Value::Array(batch)) => {
                let mut answers = Vec::with_capacity(batch.len());
                for request in &batch {
                    answers.push(self.answer(request, trusted).await);
                }
                Value::Array(answers)
            }
            Ok(single) => self.answer(&single, trusted).await,
            Err(_) => {
                json!({ "jsonrpc": "2.0", "error": { "code": -32700, "message": "Parse error" }, "id": null })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_name_is_unique() {
        let names: BTreeSet<&str> = METHODS.iter().map(|(name, _)| *name).collect();
        assert_eq!(names.len(), METHODS.len());
    }

    #[test]
    fn the_table_holds_the_54_methods() {
        assert_eq!(METHODS.len(), 54);
        for name in [
            "getHealth",
            "getVersion",
            "getGenesisHash",
            "getSlot",
            "getBlockHeight",
            "getEpochInfo",
            "getLatestBlockhash",
            "isBlockhashValid",
            "getFeeForMessage",
            "getRecentPrioritizationFees",
            "getMinimumBalanceForRentExemption",
            "getIdentity",
            "getEpochSchedule",
            "getTransactionCount",
            "getFirstAvailableBlock",
            "getClusterNodes",
            "getInflationReward",
            "getSupply",
            "getLargestAccounts",
            "getBalance",
            "getAccountInfo",
            "getMultipleAccounts",
            "getProgramAccounts",
            "getTokenAccountBalance",
            "getTokenAccountsByOwner",
            "getTokenAccountsByDelegate",
            "getTokenSupply",
            "getTokenLargestAccounts",
            "getBlock",
            "getBlocks",
            "getBlocksWithLimit",
            "getBlockTime",
            "getBlockCommitment",
            "getBlockProduction",
            "getHighestSnapshotSlot",
            "getInflationGovernor",
            "getInflationRate",
            "getLeaderSchedule",
            "getMaxRetransmitSlot",
            "getMaxShredInsertSlot",
            "getRecentPerformanceSamples",
            "getSlotLeader",
            "getSlotLeaders",
            "getStakeMinimumDelegation",
            "getVoteAccounts",
            "minimumLedgerSlot",
            "requestAirdrop",
            "sendTransaction",
            "simulateTransaction",
            "getSignatureStatuses",
            "getTransaction",
            "getSignaturesForAddress",
            "backstop_advanceClock",
            "backstop_devWallet",
        ] {
            assert!(lookup(name).is_some(), "{name}");
        }
    }

    #[test]
    fn a_commitment_no_validator_knows_is_refused() {
        assert!(check_commitment(&json!(["key", { "commitment": "confirmed" }])).is_ok());
        assert!(check_commitment(&json!([{ "commitment": "singleGossip" }])).is_ok());
        assert!(check_commitment(&json!(["key"])).is_ok());
        assert!(check_commitment(&json!({ "not": "an array" })).is_ok());
        let refused = check_commitment(&json!(["key", { "commitment": "bogus" }])).unwrap_err();
        assert_eq!(refused.code, -32602);
        assert!(check_commitment(&json!([{ "commitment": 3 }])).is_err());
    }

    #[test]
    fn lookups_are_exact() {
        assert!(lookup(DEV_WALLET).is_some());
        assert!(lookup("gethealth").is_none());
        assert!(lookup("getHealth ").is_none());
        assert!(lookup("").is_none());
        assert!(lookup("getblock").is_none());
    }

    #[test]
    fn lookups_find_their_own_row() {
        for (name, handler) in METHODS {
            let found = lookup(name).unwrap();
            assert!(std::ptr::fn_addr_eq(found, *handler), "{name}");
        }
    }
}
