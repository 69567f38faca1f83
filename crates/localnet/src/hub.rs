//! What the node tells the websocket: every processed transaction's status
//! (for `signatureSubscribe`), and events as they happen — a transaction
//! with the accounts it wrote, a new slot — to every open connection.

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use solana_account::Account;
use solana_account_decoder::parse_account_data::SplTokenAdditionalDataV2;
use solana_pubkey::Pubkey;
use solana_transaction_error::TransactionError;

/// A processed transaction, as subscriptions see it.
pub(crate) struct TransactionEvent {
    pub slot: u64,
    pub signature: String,
    pub err: Option<TransactionError>,
    pub logs: Vec<String>,
    /// Every account the transaction named (`logsSubscribe` `mentions`).
    pub keys: Vec<Pubkey>,
    /// The accounts it could write, as it left them (a closed one with 0
    /// lamports, owned by the system program), with a token account's mint
    /// data for `jsonParsed`.
    pub written: Vec<Written>,
}

/// An account a transaction wrote.
pub(crate) struct Written {
    pub key: Pubkey,
    pub account: Account,
    pub token: Option<SplTokenAdditionalDataV2>,
}

/// What happened, in order.
#[derive(Clone)]
pub(crate) enum Event {
    Transaction(Arc<TransactionEvent>),
    /// The node moved to `slot`; `parent` is now a finished block and the
    /// root (every block is final at once here).
    Slot {
        slot: u64,
        parent: u64,
    },
}

/// A signature's slot and error, once processed.
pub(crate) type Status = (u64, Option<TransactionError>);

/// Shared by the node (which publishes) and the websocket's connections
/// (which listen).
#[derive(Default)]
pub(crate) struct Hub {
    statuses: Mutex<HashMap<String, Status>>,
    listeners: Mutex<Vec<Sender<Event>>>,
    /// When a websocket client last sent something.
    last_message: Mutex<Option<Instant>>,
}

impl Hub {
    pub fn new() -> Arc<Hub> {
        Arc::new(Hub::default())
    }

    /// The status of `signature`, if processed.
    pub fn status(&self, signature: &str) -> Option<Status> {
        self.statuses
            .lock()
            .expect("statuses lock")
            .get(signature)
            .cloned()
    }

    pub fn record(&self, signature: String, status: Status) {
        self.statuses
            .lock()
            .expect("statuses lock")
            .insert(signature, status);
    }

    /// Notes that a websocket client spoke (the chain keeps moving while
    /// clients are active: see `chain::IDLE_AFTER`).
    pub fn heard(&self) {
        *self.last_message.lock().expect("activity lock") = Some(Instant::now());
    }

    /// When a websocket client last spoke.
    pub fn last_message(&self) -> Option<Instant> {
        *self.last_message.lock().expect("activity lock")
    }

    /// A new listener: it receives every event published from now on.
    pub fn listen(&self) -> Receiver<Event> {
        let (sender, receiver) = channel();
        self.listeners.lock().expect("listeners lock").push(sender);
        receiver
    }

    /// Sends `event` to every listener; closed connections are forgotten.
    pub fn publish(&self, event: Event) {
        self.listeners
            .lock()
            .expect("listeners lock")
            .retain(|listener| listener.send(event.clone()).is_ok());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listeners_receive_what_is_published_after_they_listen() {
        let hub = Hub::new();
        hub.publish(Event::Slot { slot: 1, parent: 0 });
        let first = hub.listen();
        hub.publish(Event::Slot { slot: 2, parent: 1 });
        let second = hub.listen();
        drop(second);
        hub.publish(Event::Slot { slot: 3, parent: 2 });
        let got: Vec<u64> = first
            .try_iter()
            .map(|e| match e {
                Event::Slot { slot, .. } => slot,
                Event::Transaction(_) => 0,
            })
            .collect();
        assert_eq!(got, vec![2, 3]);
        assert_eq!(hub.listeners.lock().unwrap().len(), 1);
        hub.record("sig".into(), (7, None));
        assert_eq!(hub.status("sig"), Some((7, None)));
        assert_eq!(hub.status("other"), None);
    }
}
