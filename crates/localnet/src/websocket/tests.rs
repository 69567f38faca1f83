use std::sync::Arc;

use serde_json::json;
use solana_account::Account;
use solana_pubkey::Pubkey;

use super::*;
use crate::hub::{TransactionEvent, Written};

fn subscribe(
    method: &str,
    params: Value,
    next_id: &Mutex<u64>,
    subs: &mut Subscriptions,
    hub: &Hub,
) -> Vec<Value> {
    let request = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
    answer(&request, next_id, subs, hub)
}

fn transaction(key: Pubkey, owner: Pubkey, signature: &str) -> Event {
    Event::Transaction(Arc::new(TransactionEvent {
        slot: 9,
        signature: signature.into(),
        err: None,
        logs: vec!["Program log: hi".into()],
        keys: vec![key, owner],
        written: vec![Written {
            key,
            account: Account {
                lamports: 42,
                data: vec![1, 2, 3],
                owner,
                executable: false,
                rent_epoch: 0,
            },
            token: None,
        }],
    }))
}

fn notes_for(subs: &Subscriptions, event: &Event) -> Vec<Value> {
    subs.iter()
        .flat_map(|(id, s)| s.notify(*id, event).0)
        .collect()
}

#[test]
fn subscriptions_get_ids_and_unknown_methods_are_refused() {
    let (hub, next_id, mut subs) = (Hub::new(), Mutex::new(0), Vec::new());
    let slot = subscribe("slotSubscribe", json!([]), &next_id, &mut subs, &hub);
    assert_eq!(
        slot,
        vec![json!({ "jsonrpc": "2.0", "result": 1, "id": 1 })]
    );
    let bogus = subscribe("bogusSubscribe", json!([]), &next_id, &mut subs, &hub);
    assert_eq!(bogus[0]["error"]["code"], -32601);
    let block = subscribe("blockSubscribe", json!(["all"]), &next_id, &mut subs, &hub);
    assert_eq!(block[0]["error"]["code"], -32601);
    let bad_key = subscribe(
        "accountSubscribe",
        json!(["nope"]),
        &next_id,
        &mut subs,
        &hub,
    );
    assert_eq!(bad_key[0]["error"]["code"], -32602);
    let two = json!([{ "mentions": [Pubkey::new_unique().to_string(), Pubkey::new_unique().to_string()] }]);
    let refused = subscribe("logsSubscribe", two, &next_id, &mut subs, &hub);
    assert_eq!(refused[0]["error"]["code"], -32602);
    assert_eq!(*next_id.lock().unwrap(), 1, "refusals spend no id");
    let unsub = json!({ "jsonrpc": "2.0", "id": 2, "method": "slotUnsubscribe", "params": [1] });
    assert_eq!(answer(&unsub, &next_id, &mut subs, &hub)[0]["result"], true);
    assert_eq!(
        answer(&unsub, &next_id, &mut subs, &hub)[0]["error"]["code"],
        -32602
    );
}

#[test]
fn accounts_programs_and_logs_are_notified_from_a_transaction() {
    let (hub, next_id, mut subs) = (Hub::new(), Mutex::new(0), Vec::new());
    let (key, owner) = (Pubkey::new_unique(), Pubkey::new_unique());
    let base64 = json!({ "encoding": "base64" });
    subscribe(
        "accountSubscribe",
        json!([key.to_string(), base64]),
        &next_id,
        &mut subs,
        &hub,
    );
    subscribe(
        "programSubscribe",
        json!([owner.to_string(), base64]),
        &next_id,
        &mut subs,
        &hub,
    );
    let filtered =
        json!([owner.to_string(), { "encoding": "base64", "filters": [{ "dataSize": 4 }] }]);
    subscribe("programSubscribe", filtered, &next_id, &mut subs, &hub);
    subscribe(
        "logsSubscribe",
        json!([{ "mentions": [key.to_string()] }]),
        &next_id,
        &mut subs,
        &hub,
    );
    subscribe(
        "logsSubscribe",
        json!([{ "mentions": [Pubkey::new_unique().to_string()] }]),
        &next_id,
        &mut subs,
        &hub,
    );
    subscribe("logsSubscribe", json!(["all"]), &next_id, &mut subs, &hub);
    let notes = notes_for(&subs, &transaction(key, owner, "5sig"));
    let methods: Vec<&str> = notes
        .iter()
        .map(|n| n["method"].as_str().unwrap())
        .collect();
    assert_eq!(
        methods,
        [
            "accountNotification",
            "programNotification",
            "logsNotification",
            "logsNotification"
        ]
    );
    assert_eq!(notes[0]["params"]["subscription"], 1);
    assert_eq!(notes[0]["params"]["result"]["context"]["slot"], 9);
    assert_eq!(notes[0]["params"]["result"]["value"]["lamports"], 42);
    assert_eq!(
        notes[0]["params"]["result"]["value"]["data"],
        json!(["AQID", "base64"])
    );
    assert_eq!(
        notes[1]["params"]["result"]["value"]["pubkey"],
        key.to_string()
    );
    assert_eq!(notes[2]["params"]["subscription"], 4);
    assert_eq!(notes[2]["params"]["result"]["value"]["signature"], "5sig");
    assert_eq!(
        notes[2]["params"]["result"]["value"]["logs"],
        json!(["Program log: hi"])
    );
    assert_eq!(notes[3]["params"]["subscription"], 6);
}

#[test]
fn slots_and_roots_are_notified_from_a_new_slot() {
    let (hub, next_id, mut subs) = (Hub::new(), Mutex::new(0), Vec::new());
    subscribe("slotSubscribe", json!([]), &next_id, &mut subs, &hub);
    subscribe("rootSubscribe", json!([]), &next_id, &mut subs, &hub);
    let notes = notes_for(
        &subs,
        &Event::Slot {
            slot: 12,
            parent: 11,
        },
    );
    assert_eq!(notes[0]["method"], "slotNotification");
    assert_eq!(
        notes[0]["params"]["result"],
        json!({ "parent": 11, "root": 11, "slot": 12 })
    );
    assert_eq!(notes[1]["method"], "rootNotification");
    assert_eq!(notes[1]["params"]["result"], 11);
}

#[test]
fn a_signature_is_notified_once_now_or_when_processed() {
    let (hub, next_id, mut subs) = (Hub::new(), Mutex::new(0), Vec::new());
    let sig = solana_signature::Signature::from([7u8; 64]).to_string();
    let params = json!([sig, { "commitment": "confirmed", "enableReceivedNotification": true }]);
    let answers = subscribe("signatureSubscribe", params, &next_id, &mut subs, &hub);
    assert_eq!(answers.len(), 1);
    assert_eq!(subs.len(), 1);
    let event = transaction(Pubkey::new_unique(), Pubkey::new_unique(), &sig);
    let (notes, done) = subs[0].1.notify(subs[0].0, &event);
    assert!(done);
    assert_eq!(notes[0]["params"]["result"]["value"], "receivedSignature");
    assert_eq!(
        notes[1]["params"]["result"]["value"],
        json!({ "err": null })
    );
    // already processed: the answer, then the notification, and nothing kept
    hub.record(sig.clone(), (3, None));
    let mut none = Vec::new();
    let answers = subscribe(
        "signatureSubscribe",
        json!([sig]),
        &next_id,
        &mut none,
        &hub,
    );
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[1]["method"], "signatureNotification");
    assert_eq!(answers[1]["params"]["result"]["context"]["slot"], 3);
    assert!(none.is_empty());
    let bad = subscribe(
        "signatureSubscribe",
        json!(["xyz"]),
        &next_id,
        &mut none,
        &hub,
    );
    assert_eq!(bad[0]["error"]["code"], -32602);
}
