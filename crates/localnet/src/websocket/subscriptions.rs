//! A connection's subscriptions, in a validator's shapes: `account`,
//! `program` (with filters), `logs` (`all`, `allWithVotes`, `mentions`),
//! `signature`, `slot`, `root` and `slotsUpdates`. Every block is final at
//! once here, so each commitment is notified at once.

use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use solana_account_decoder::UiAccountEncoding;
use solana_pubkey::Pubkey;
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSignatureSubscribeConfig,
};
use solana_rpc_client_api::filter::RpcFilterType;

use crate::hub::{Event, Hub, TransactionEvent, Written};
use crate::wire::{encode_account, filters_allow};

/// What one subscription waits for.
#[derive(Clone)]
pub(crate) enum Subscription {
    Account {
        key: Pubkey,
        config: RpcAccountInfoConfig,
    },
    Program {
        program: Pubkey,
        filters: Vec<RpcFilterType>,
        config: RpcAccountInfoConfig,
    },
    /// `None`: every transaction; `Some(key)`: those naming `key`.
    Logs {
        mentions: Option<Pubkey>,
    },
    /// One-shot: removed once notified.
    Signature {
        signature: String,
        received: bool,
    },
    Slot,
    Root,
    SlotsUpdates,
}

/// A subscribe request a validator would refuse: the JSON-RPC error.
pub(crate) type Refusal = (i64, String);

fn invalid(message: impl Into<String>) -> Refusal {
    (-32602, message.into())
}

fn pubkey(params: &Value, what: &str) -> Result<Pubkey, Refusal> {
    let text = params
        .get(0)
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(format!("Invalid params: missing {what}")))?;
    Pubkey::from_str(text).map_err(|_| invalid("Invalid Request: Invalid pubkey provided"))
}

fn config<T: serde::de::DeserializeOwned + Default>(params: &Value) -> Result<T, Refusal> {
    match params.get(1) {
        None | Some(Value::Null) => Ok(T::default()),
        Some(v) => {
            serde_json::from_value(v.clone()).map_err(|e| invalid(format!("Invalid params: {e}")))
        }
    }
}

/// The subscriptions a validator's websocket offers by default
/// (`blockSubscribe` and `voteSubscribe` need flags a validator is not
/// started with, and answer -32601 there too).
pub(crate) const NAMES: &[&str] = &[
    "account",
    "logs",
    "program",
    "root",
    "signature",
    "slot",
    "slotsUpdates",
];

impl Subscription {
    /// Parses `<name>Subscribe` params.
    pub fn parse(name: &str, params: &Value) -> Result<Subscription, Refusal> {
        Ok(match name {
            "account" => Subscription::Account {
                key: pubkey(params, "account")?,
                config: config(params)?,
            },
            "program" => {
                let program = pubkey(params, "program id")?;
                let config: RpcProgramAccountsConfig = config(params)?;
                let filters = config.filters.unwrap_or_default();
                for filter in &filters {
                    filter
                        .verify()
                        .map_err(|e| invalid(format!("Invalid params: {e}")))?;
                }
                Subscription::Program {
                    program,
                    filters,
                    config: config.account_config,
                }
            }
            "logs" => {
                let filter = params.get(0).cloned().unwrap_or(Value::Null);
                let mentions = match (&filter, filter.get("mentions")) {
                    (Value::String(s), _) if s == "all" || s == "allWithVotes" => None,
                    (_, Some(Value::Array(keys))) if keys.len() == 1 => {
                        let key = keys[0].as_str().and_then(|k| Pubkey::from_str(k).ok());
                        Some(
                            key.ok_or_else(|| invalid("Invalid Request: Invalid pubkey provided"))?,
                        )
                    }
                    (_, Some(Value::Array(_))) => {
                        return Err(invalid(
                            "Invalid Request: Only 1 address supported in mentions",
                        ));
                    }
                    _ => return Err(invalid("Invalid params: unknown logs filter")),
                };
                Subscription::Logs { mentions }
            }
            "signature" => {
                let signature = params
                    .get(0)
                    .and_then(Value::as_str)
                    .filter(|s| solana_signature::Signature::from_str(s).is_ok())
                    .ok_or_else(|| invalid("Invalid Request: Invalid signature provided"))?
                    .to_string();
                let config: RpcSignatureSubscribeConfig = config(params)?;
                Subscription::Signature {
                    signature,
                    received: config.enable_received_notification.unwrap_or(false),
                }
            }
            "slot" => Subscription::Slot,
            "root" => Subscription::Root,
            "slotsUpdates" => Subscription::SlotsUpdates,
            other => return Err((-32601, format!("Method not found: {other}Subscribe"))),
        })
    }

    /// Notifications owed at once: a signature already processed.
    pub fn immediate(&self, id: u64, hub: &Hub) -> Vec<Value> {
        match self {
            Subscription::Signature {
                signature,
                received,
            } => match hub.status(signature) {
                Some((slot, err)) => signature_notes(id, slot, &err, *received),
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// The notifications `event` owes this subscription, and whether it is
    /// done (a signature, once notified).
    pub fn notify(&self, id: u64, event: &Event) -> (Vec<Value>, bool) {
        match (self, event) {
            (Subscription::Slot, Event::Slot { slot, parent }) => (
                vec![note(
                    "slotNotification",
                    id,
                    json!({ "parent": parent, "root": parent, "slot": slot }),
                )],
                false,
            ),
            (Subscription::Root, Event::Slot { parent, .. }) => {
                (vec![note("rootNotification", id, json!(parent))], false)
            }
            (Subscription::SlotsUpdates, Event::Slot { slot, parent }) => {
                let timestamp = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis() as u64);
                let created = json!({ "type": "createdBank", "slot": slot, "parent": parent, "timestamp": timestamp });
                let root = json!({ "type": "root", "slot": parent, "timestamp": timestamp });
                (
                    vec![
                        note("slotsUpdatesNotification", id, created),
                        note("slotsUpdatesNotification", id, root),
                    ],
                    false,
                )
            }
            (_, Event::Transaction(tx)) => self.on_transaction(id, tx),
            _ => (Vec::new(), false),
        }
    }

    fn on_transaction(&self, id: u64, tx: &TransactionEvent) -> (Vec<Value>, bool) {
        let context = json!({ "slot": tx.slot });
        match self {
            Subscription::Account { key, config } => {
                let notes = tx
                    .written
                    .iter()
                    .filter(|w| w.key == *key)
                    .map(|w| {
                        let value = encoded(w, config);
                        note(
                            "accountNotification",
                            id,
                            json!({ "context": context, "value": value }),
                        )
                    })
                    .collect();
                (notes, false)
            }
            Subscription::Program {
                program,
                filters,
                config,
            } => {
                let notes = tx
                    .written
                    .iter()
                    .filter(|w| w.account.owner == *program && filters_allow(filters, &w.account))
                    .map(|w| {
                        let value =
                            json!({ "pubkey": w.key.to_string(), "account": encoded(w, config) });
                        note(
                            "programNotification",
                            id,
                            json!({ "context": context, "value": value }),
                        )
                    })
                    .collect();
                (notes, false)
            }
            Subscription::Logs { mentions } => {
                if mentions.is_some_and(|k| !tx.keys.contains(&k)) {
                    return (Vec::new(), false);
                }
                let value = json!({ "signature": tx.signature, "err": tx.err, "logs": tx.logs });
                (
                    vec![note(
                        "logsNotification",
                        id,
                        json!({ "context": context, "value": value }),
                    )],
                    false,
                )
            }
            Subscription::Signature {
                signature,
                received,
            } if *signature == tx.signature => {
                (signature_notes(id, tx.slot, &tx.err, *received), true)
            }
            _ => (Vec::new(), false),
        }
    }
}

/// An account as a subscription's config asks for it (a validator's
/// default for subscriptions is the legacy `binary`, base58).
fn encoded(written: &Written, config: &RpcAccountInfoConfig) -> Value {
    let config = RpcAccountInfoConfig {
        encoding: Some(config.encoding.unwrap_or(UiAccountEncoding::Binary)),
        ..config.clone()
    };
    let token = match config.encoding {
        Some(UiAccountEncoding::JsonParsed) => written.token,
        _ => None,
    };
    encode_account(&written.key, &written.account, &config, token)
}

/// A signature's notifications: `receivedSignature` first when asked for,
/// then its outcome.
fn signature_notes(
    id: u64,
    slot: u64,
    err: &Option<solana_transaction_error::TransactionError>,
    received: bool,
) -> Vec<Value> {
    let context = json!({ "slot": slot });
    let mut notes = Vec::new();
    if received {
        notes.push(note(
            "signatureNotification",
            id,
            json!({ "context": context, "value": "receivedSignature" }),
        ));
    }
    notes.push(note(
        "signatureNotification",
        id,
        json!({ "context": context, "value": { "err": err } }),
    ));
    notes
}

/// `{ "jsonrpc": "2.0", "method": …, "params": { "result": …, "subscription": id } }`
fn note(method: &str, id: u64, result: Value) -> Value {
    json!({ "jsonrpc": "2.0", "method": method, "params": { "result": result, "subscription": id } })
}
