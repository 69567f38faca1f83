//! The node as a chain, through its method table: blocks per transaction,
//! blockhashes that expire, what is recorded of a transaction and how
//! `getTransaction` and `getBlock` answer it, and what a cluster drops.

use base64::Engine;
use serde_json::{Value, json};
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_message::{VersionedMessage, v0};
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction::versioned::VersionedTransaction;

use crate::node::{DemoMint, Node};

struct Fixture {
    runtime: tokio::runtime::Runtime,
    node: Node,
    admin: Keypair,
    mint: Pubkey,
}

impl Fixture {
    fn new() -> Fixture {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let admin = Keypair::new();
        let (node, mint) = runtime
            .block_on(Node::start(&admin, 0, Some(DemoMint::SplToken)))
            .unwrap();
        Fixture {
            runtime,
            node,
            admin,
            mint: mint.unwrap(),
        }
    }

    fn call(&mut self, method: &str, params: Value) -> Result<Value, crate::wire::RpcError> {
        self.runtime.block_on(self.node.call(method, &params))
    }

    fn ok(&mut self, method: &str, params: Value) -> Value {
        self.call(method, params)
            .unwrap_or_else(|e| panic!("{method}: {e:?}"))
    }

    fn slot(&mut self) -> u64 {
        self.ok("getSlot", json!([{ "commitment": "processed" }]))
            .as_u64()
            .unwrap()
    }

    fn blockhash(&mut self) -> Hash {
        let reply = self.ok("getLatestBlockhash", json!([]));
        reply["value"]["blockhash"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    }

    fn transfer(&self, to: &Pubkey, lamports: u64, blockhash: Hash) -> Transaction {
        let ix = solana_system_interface::instruction::transfer(&self.admin.pubkey(), to, lamports);
        Transaction::new_signed_with_payer(
            &[ix],
            Some(&self.admin.pubkey()),
            &[&self.admin],
            blockhash,
        )
    }

    fn send(
        &mut self,
        tx: &impl serde::Serialize,
        skip_preflight: bool,
    ) -> Result<Value, crate::wire::RpcError> {
        let wire =
            base64::engine::general_purpose::STANDARD.encode(bincode::serialize(tx).unwrap());
        self.call(
            "sendTransaction",
            json!([wire, { "encoding": "base64", "skipPreflight": skip_preflight }]),
        )
    }
}

#[test]
fn each_transaction_is_a_block_and_a_blockhash_expires_after_150_blocks() {
    let mut f = Fixture::new();
    let first = f.blockhash();
    let slot = f.slot();
    let to = Pubkey::new_unique();
    let signature = f.send(&f.transfer(&to, 1_000_000, first), false).unwrap();
    assert_eq!(f.slot(), slot + 1, "the transaction's block is finished");
    let block = f.ok(
        "getBlock",
        json!([slot, { "transactionDetails": "signatures" }]),
    );
    assert_eq!(block["signatures"], json!([signature]));
    assert_eq!(block["parentSlot"], slot - 1);
    assert_eq!(f.ok("getBlockTime", json!([slot])), block["blockTime"]);
    let blocks = f.ok("getBlocks", json!([slot - 1]));
    assert_eq!(blocks, json!([slot - 1, slot]));
    assert_eq!(
        f.call("getBlock", json!([slot + 5])).unwrap_err().code,
        -32004
    );
    // confirmed and finalized reads are at the last finished block
    assert_eq!(f.ok("getSlot", json!([])), json!(slot));

    for _ in 0..149 {
        f.runtime.block_on(f.node.finish_block()).unwrap();
    }
    let valid = f.ok("isBlockhashValid", json!([first.to_string()]));
    assert_eq!(valid["value"], true);
    f.runtime.block_on(f.node.finish_block()).unwrap();
    f.runtime.block_on(f.node.finish_block()).unwrap();
    let expired = f.ok("isBlockhashValid", json!([first.to_string()]));
    assert_eq!(expired["value"], false);
    let stale = f.transfer(&to, 2_000_000, first);
    let refused = f.send(&stale, false).unwrap_err();
    assert_eq!(refused.code, -32002);
    assert_eq!(refused.data.unwrap()["err"], "BlockhashNotFound");
    // skipPreflight: the signature comes back, and the transaction is dropped
    let dropped = f.send(&stale, true).unwrap();
    let status = f.ok("getSignatureStatuses", json!([[dropped]]));
    assert_eq!(status["value"], json!([null]));
    let fresh = f.blockhash();
    assert!(f.send(&f.transfer(&to, 3_000_000, fresh), false).is_ok());
    assert_eq!(f.runtime.block_on(f.node.bank.lamports(to)), 4_000_000);
}

#[test]
fn get_transaction_answers_in_every_encoding_with_balances_and_inner_calls() {
    let mut f = Fixture::new();
    let owner = Pubkey::new_unique();
    let asset = backstop_client::ix::Asset::owned_by(f.mint, spl_token_interface::ID);
    let ata = backstop_client::token::associated_token_account(&owner, asset);
    let admin_ata = backstop_client::token::associated_token_account(&f.admin.pubkey(), asset);
    let create = backstop_client::token::create_associated_token_account_idempotent(
        &f.admin.pubkey(),
        &owner,
        asset,
    );
    let pay = backstop_client::token::transfer_checked(
        asset,
        &admin_ata,
        &ata,
        &f.admin.pubkey(),
        2_500_000,
        6,
    );
    let blockhash = f.blockhash();
    let tx = Transaction::new_signed_with_payer(
        &[create, pay],
        Some(&f.admin.pubkey()),
        &[&f.admin],
        blockhash,
    );
    let signature = f.send(&tx, false).unwrap();
    let read = f.ok("getTransaction", json!([signature, { "encoding": "json" }]));
    let keys = read["transaction"]["message"]["accountKeys"]
        .as_array()
        .unwrap()
        .len();
    let meta = &read["meta"];
    // as a validator: `version` only for a client that says which it reads
    assert_eq!(read.get("version"), None);
    let versioned = f.ok(
        "getTransaction",
        json!([signature, { "maxSupportedTransactionVersion": 0 }]),
    );
    assert_eq!(versioned["version"], "legacy");
    assert_eq!(meta["fee"], 5_000);
    assert_eq!(meta["err"], Value::Null);
    assert_eq!(meta["preBalances"].as_array().unwrap().len(), keys);
    assert_eq!(meta["postBalances"].as_array().unwrap().len(), keys);
    let inner = meta["innerInstructions"].as_array().unwrap();
    assert_eq!(inner[0]["index"], 0, "the associated token program's calls");
    assert!(inner[0]["instructions"].as_array().unwrap().len() >= 2);
    assert!(
        meta["preTokenBalances"].as_array().unwrap().len() == 1,
        "{meta}"
    );
    let post = meta["postTokenBalances"].as_array().unwrap();
    let received = post
        .iter()
        .find(|b| b["owner"] == owner.to_string())
        .unwrap();
    assert_eq!(received["uiTokenAmount"]["amount"], "2500000");
    assert_eq!(received["uiTokenAmount"]["uiAmountString"], "2.5");
    assert_eq!(received["mint"], f.mint.to_string());

    let parsed = f.ok(
        "getTransaction",
        json!([signature, { "encoding": "jsonParsed" }]),
    );
    let instructions = parsed["transaction"]["message"]["instructions"]
        .as_array()
        .unwrap();
    assert_eq!(instructions[1]["program"], "spl-token");
    assert_eq!(instructions[1]["parsed"]["type"], "transferChecked");
    let base64 = f.ok("getTransaction", json!([signature, "base64"]));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64["transaction"][0].as_str().unwrap())
        .unwrap();
    assert_eq!(bytes, bincode::serialize(&tx).unwrap());
    let base58 = f.ok(
        "getTransaction",
        json!([signature, { "encoding": "base58" }]),
    );
    assert_eq!(base58["transaction"][1], "base58");
    // jsonParsed token accounts, as wallets read them
    let account = f.ok(
        "getAccountInfo",
        json!([ata.to_string(), { "encoding": "jsonParsed" }]),
    );
    let info = &account["value"]["data"]["parsed"]["info"];
    assert_eq!(info["tokenAmount"]["amount"], "2500000");
    assert_eq!(info["owner"], owner.to_string());
}

#[test]
fn a_v0_transaction_is_read_only_with_max_supported_transaction_version() {
    let mut f = Fixture::new();
    let ix = solana_system_interface::instruction::transfer(
        &f.admin.pubkey(),
        &Pubkey::new_unique(),
        1_000_000,
    );
    let message = v0::Message::try_compile(&f.admin.pubkey(), &[ix], &[], f.blockhash()).unwrap();
    let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &[&f.admin]).unwrap();
    let signature = f.send(&tx, false).unwrap();
    let refused = f.call("getTransaction", json!([signature])).unwrap_err();
    assert_eq!(refused.code, -32015);
    let read = f.ok(
        "getTransaction",
        json!([signature, { "maxSupportedTransactionVersion": 0 }]),
    );
    assert_eq!(read["version"], 0);
    assert_eq!(
        read["meta"]["loadedAddresses"],
        json!({ "writable": [], "readonly": [] })
    );
    let block = f.call("getBlock", json!([read["slot"]])).unwrap_err();
    assert_eq!(block.code, -32015);
}

#[test]
fn a_fee_payer_that_does_not_exist_is_dropped() {
    let mut f = Fixture::new();
    let nobody = Keypair::new();
    let ix =
        solana_system_interface::instruction::transfer(&nobody.pubkey(), &Pubkey::new_unique(), 1);
    let tx = Transaction::new_signed_with_payer(
        &[ix],
        Some(&nobody.pubkey()),
        &[&nobody],
        f.blockhash(),
    );
    let refused = f.send(&tx, false).unwrap_err();
    assert_eq!(refused.code, -32002);
    assert_eq!(refused.data.unwrap()["err"], "AccountNotFound");
    let slot = f.slot();
    let signature = f.send(&tx, true).unwrap();
    assert_eq!(
        f.ok("getSignatureStatuses", json!([[signature]]))["value"],
        json!([null])
    );
    assert_eq!(f.ok("getTransaction", json!([signature])), Value::Null);
    assert_eq!(f.slot(), slot, "nothing landed, no block");
    let listed = f.ok(
        "getSignaturesForAddress",
        json!([nobody.pubkey().to_string()]),
    );
    assert_eq!(listed, json!([]));
}

#[test]
fn the_clock_moves_the_slot_and_block_times_and_min_context_slot_is_honoured() {
    let mut f = Fixture::new();
    let slot = f.slot();
    let before = f.runtime.block_on(f.node.bank.now());
    let moved = f.ok("backstop_advanceClock", json!([3_600]));
    assert_eq!(moved["slot"], slot + 1);
    assert!(moved["unixTimestamp"].as_i64().unwrap() >= before + 3_600);
    f.runtime.block_on(f.node.finish_block()).unwrap();
    let time = f.ok("getBlockTime", json!([slot + 1])).as_i64().unwrap();
    assert!(time >= before + 3_600, "{time} < {before} + 3600");
    let ahead = f.call(
        "getBalance",
        json!([f.admin.pubkey().to_string(), { "minContextSlot": slot + 100 }]),
    );
    let refused = ahead.unwrap_err();
    assert_eq!(refused.code, -32016);
    assert!(
        f.call(
            "getBalance",
            json!([f.admin.pubkey().to_string(), { "minContextSlot": slot }])
        )
        .is_ok()
    );
    // the start-up transactions are listed as any other
    let admin = f.ok(
        "getSignaturesForAddress",
        json!([f.admin.pubkey().to_string()]),
    );
    assert!(admin.as_array().unwrap().len() >= 3, "{admin}");
}

#[test]
fn one_node_answers_for_the_cluster_in_its_shapes() {
    let mut f = Fixture::new();
    let identity = f.ok("getIdentity", json!([]))["identity"].clone();
    assert_eq!(f.ok("getSlotLeader", json!([])), identity);
    assert_eq!(
        f.ok("getSlotLeaders", json!([0, 3])),
        json!([identity, identity, identity])
    );
    assert_eq!(
        f.call("getSlotLeaders", json!([0, 5_001]))
            .unwrap_err()
            .code,
        -32602
    );
    let schedule = f.ok("getLeaderSchedule", json!([]));
    let slots = schedule[identity.as_str().unwrap()]
        .as_array()
        .unwrap()
        .len();
    let epoch = f.ok("getEpochInfo", json!([]));
    assert_eq!(json!(slots), epoch["slotsInEpoch"]);
    assert_eq!(
        f.ok("getVoteAccounts", json!([])),
        json!({ "current": [], "delinquent": [] })
    );
    assert_eq!(
        f.call("getHighestSnapshotSlot", json!([]))
            .unwrap_err()
            .code,
        -32008
    );
    let production = f.ok("getBlockProduction", json!([]));
    let blocks = f.node.chain.blocks.len() as u64;
    assert_eq!(
        production["value"]["byIdentity"][identity.as_str().unwrap()],
        json!([blocks, blocks])
    );
    let first = *f.node.chain.blocks.keys().next().unwrap();
    assert_eq!(f.ok("minimumLedgerSlot", json!([])), json!(first));
    assert_eq!(f.ok("getFirstAvailableBlock", json!([])), json!(first));
    assert_eq!(f.ok("getStakeMinimumDelegation", json!([]))["value"], 1);
    assert_eq!(f.ok("getInflationRate", json!([]))["total"], 0.0);
    let fee = {
        let ix = solana_system_interface::instruction::transfer(
            &f.admin.pubkey(),
            &Pubkey::new_unique(),
            1,
        );
        let blockhash = f.blockhash();
        let message =
            solana_message::Message::new_with_blockhash(&[ix], Some(&f.admin.pubkey()), &blockhash);
        let wire = base64::engine::general_purpose::STANDARD
            .encode(bincode::serialize(&VersionedMessage::Legacy(message)).unwrap());
        f.ok("getFeeForMessage", json!([wire]))
    };
    assert_eq!(fee["value"], 5_000);
}

#[test]
fn simulate_answers_the_accounts_as_the_simulation_left_them_and_keeps_nothing() {
    let mut f = Fixture::new();
    let to = Pubkey::new_unique();
    let blockhash = f.blockhash();
    let tx = f.transfer(&to, 5_000_000, blockhash);
    let wire = base64::engine::general_purpose::STANDARD.encode(bincode::serialize(&tx).unwrap());
    let before = f.runtime.block_on(f.node.bank.lamports(f.admin.pubkey()));
    let config = json!({
        "encoding": "base64",
        "sigVerify": true,
        "innerInstructions": true,
        "accounts": { "addresses": [to.to_string(), f.admin.pubkey().to_string()], "encoding": "base64" },
    });
    for _ in 0..2 {
        let simulated = f.ok("simulateTransaction", json!([wire, config]));
        let value = &simulated["value"];
        assert_eq!(value["err"], Value::Null);
        assert_eq!(value["accounts"][0]["lamports"], 5_000_000);
        assert_eq!(value["accounts"][1]["lamports"], before - 5_000_000 - 5_000);
        assert_eq!(value["innerInstructions"], json!([]));
        assert_eq!(value["fee"], 5_000);
    }
    assert_eq!(
        f.runtime.block_on(f.node.bank.lamports(to)),
        0,
        "nothing kept"
    );
    assert_eq!(
        f.runtime.block_on(f.node.bank.lamports(f.admin.pubkey())),
        before
    );
    // and the same transaction still lands
    assert!(f.send(&tx, false).is_ok());
    assert_eq!(f.runtime.block_on(f.node.bank.lamports(to)), 5_000_000);
}

#[test]
fn empty_blocks_come_every_slot_while_clients_speak_and_stop_when_they_do_not() {
    let mut f = Fixture::new();
    let long_ago = |d: u64| std::time::Instant::now() - std::time::Duration::from_secs(d);
    let slot = f.slot();
    f.node.chain.last_block_at = long_ago(1);
    f.node.chain.last_request = long_ago(5);
    f.runtime.block_on(f.node.tick());
    assert_eq!(
        f.slot(),
        slot + 1,
        "a slot's time passed, a client spoke 5 s ago"
    );
    f.runtime.block_on(f.node.tick());
    assert_eq!(f.slot(), slot + 1, "not yet a slot's time since");
    f.node.chain.last_block_at = long_ago(1);
    f.node.chain.last_request = long_ago(121);
    f.runtime.block_on(f.node.tick());
    assert_eq!(f.slot(), slot + 1, "nobody spoke for two minutes");
    f.node.hub.heard();
    f.runtime.block_on(f.node.tick());
    assert_eq!(f.slot(), slot + 2, "a websocket client spoke");
}
