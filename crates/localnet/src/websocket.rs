//! The websocket on `port + 1`, which clients use to confirm:
//! `signatureSubscribe` is answered as soon as the signature is known
//! (transactions are processed before `sendTransaction` returns); other
//! subscriptions are acknowledged and stay silent; `…Unsubscribe` answers
//! `true`. One thread per connection.

use std::io::ErrorKind;
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

use crate::node::Statuses;

/// How long a `signatureSubscribe` waits for its signature.
const WAIT: Duration = Duration::from_secs(120);

/// A subscription waiting for its signature: id, signature, since.
type Waiting = Vec<(u64, String, Instant)>;

/// Accepts connections on `listener` until it fails, each on its own thread.
pub(crate) fn serve(listener: TcpListener, statuses: Statuses) {
    let next_id = Arc::new(Mutex::new(1u64));
    for stream in listener.incoming().flatten() {
        let statuses = statuses.clone();
        let next_id = next_id.clone();
        std::thread::spawn(move || session(stream, &statuses, &next_id));
    }
}

/// Whether a read failed only because nothing arrived in time.
fn idle(e: &tungstenite::Error) -> bool {
    matches!(e, tungstenite::Error::Io(e)
        if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut))
}

/// One connection: reads requests (polling every 20 ms) and sends the
/// notifications of the signatures that became known.
fn session(stream: TcpStream, statuses: &Statuses, next_id: &Mutex<u64>) {
    let Ok(mut socket) = tungstenite::accept(stream) else {
        return;
    };
    let mut waiting: Waiting = Vec::new();
    if let Ok(inner) = socket.get_ref().try_clone() {
        let _ = inner.set_read_timeout(Some(Duration::from_millis(20)));
    }
    loop {
        match socket.read() {
            Ok(Message::Text(text)) => {
                let Ok(request) = serde_json::from_str::<Value>(text.as_str()) else {
                    continue;
                };
                let reply = reply(&request, next_id, &mut waiting);
                if socket.send(Message::text(reply.to_string())).is_err() {
                    return;
                }
            }
            Ok(Message::Close(_)) => return finish_close(&mut socket),
            Ok(_) => {}
            Err(e) if idle(&e) => {}
            Err(_) => return,
        }
        if notify(&mut socket, &mut waiting, statuses).is_err() {
            return;
        }
    }
}

/// The subscriptions a validator's websocket offers (`<name>Subscribe` and
/// `<name>Unsubscribe`). Only `signature` notifies here yet; the others are
/// acknowledged (docs: issue 20).
const SUBSCRIPTIONS: &[&str] = &[
    "account",
    "block",
    "logs",
    "program",
    "root",
    "signature",
    "slot",
    "slotsUpdates",
    "vote",
];

/// The answer to one request; a `signatureSubscribe` joins `waiting`.
fn reply(request: &Value, next_id: &Mutex<u64>, waiting: &mut Waiting) -> Value {
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let method = request
        .get("method")
        .and_then(|m| m.as_str())
        .unwrap_or_default();
    if !SUBSCRIPTIONS.iter().any(|m| {
        method.strip_suffix("Subscribe") == Some(*m)
            || method.strip_suffix("Unsubscribe") == Some(*m)
    }) {
        // As a validator: a method it does not have is -32601.
        return json!({ "jsonrpc": "2.0", "error": { "code": -32601, "message": "Method not found" }, "id": id });
    }
    if method.ends_with("Unsubscribe") {
        return json!({ "jsonrpc": "2.0", "result": true, "id": id });
    }
    let sub = {
        let mut n = next_id.lock().expect("id lock");
        *n += 1;
        *n
    };
    if method == "signatureSubscribe" {
        let sig = request["params"][0]
            .as_str()
            .unwrap_or_default()
            .to_string();
        waiting.push((sub, sig, Instant::now()));
    }
    json!({ "jsonrpc": "2.0", "result": sub, "id": id })
}

/// The notification of a processed signature to subscription `sub`.
fn notification(
    sub: u64,
    slot: u64,
    err: &Option<solana_transaction_error::TransactionError>,
) -> Value {
    json!({
        "jsonrpc": "2.0",
        "method": "signatureNotification",
        "params": { "result": { "context": { "slot": slot }, "value": { "err": err } }, "subscription": sub },
    })
}

/// Sends the notifications of the waiting signatures now known, and drops
/// those (and the ones that waited too long) from `waiting`.
fn notify(
    socket: &mut WebSocket<TcpStream>,
    waiting: &mut Waiting,
    statuses: &Statuses,
) -> Result<(), tungstenite::Error> {
    let mut done = Vec::new();
    for (i, (sub, sig, since)) in waiting.iter().enumerate() {
        let found = statuses.lock().expect("statuses lock").get(sig).cloned();
        if let Some(p) = found {
            let note = notification(*sub, p.slot, &p.err);
            socket.send(Message::text(note.to_string()))?;
            done.push(i);
        } else if since.elapsed() > WAIT {
            done.push(i);
        }
    }
    for i in done.into_iter().rev() {
        waiting.remove(i);
    }
    Ok(())
}

/// Answers the close handshake (tungstenite queues the reply; it goes out on
/// the next read or flush), so clients see a clean close (1000), not 1006,
/// and do not reconnect forever.
fn finish_close(socket: &mut WebSocket<TcpStream>) {
    for _ in 0..100 {
        match socket.read() {
            Err(e) if idle(&e) => {}
            Err(_) => return,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscriptions_get_fresh_ids_and_signatures_wait() {
        let next_id = Mutex::new(1);
        let mut waiting = Vec::new();
        let slot = json!({ "jsonrpc": "2.0", "id": 7, "method": "slotSubscribe" });
        assert_eq!(
            reply(&slot, &next_id, &mut waiting),
            json!({ "jsonrpc": "2.0", "result": 2, "id": 7 })
        );
        assert!(waiting.is_empty());
        let sig = json!({ "jsonrpc": "2.0", "id": 8, "method": "signatureSubscribe",
                          "params": ["5sig", { "commitment": "confirmed" }] });
        assert_eq!(reply(&sig, &next_id, &mut waiting)["result"], 3);
        assert_eq!(waiting.len(), 1);
        assert_eq!((waiting[0].0, waiting[0].1.as_str()), (3, "5sig"));
        let unsub =
            json!({ "jsonrpc": "2.0", "id": 9, "method": "signatureUnsubscribe", "params": [3] });
        assert_eq!(
            reply(&unsub, &next_id, &mut waiting),
            json!({ "jsonrpc": "2.0", "result": true, "id": 9 })
        );
        assert_eq!(*next_id.lock().unwrap(), 3);
        // a method no validator has: -32601, and no id spent
        let bogus = json!({ "jsonrpc": "2.0", "id": 10, "method": "bogusSubscribe" });
        assert_eq!(
            reply(&bogus, &next_id, &mut waiting),
            json!({ "jsonrpc": "2.0", "error": { "code": -32601, "message": "Method not found" }, "id": 10 })
        );
        assert_eq!(*next_id.lock().unwrap(), 3);
    }

    #[test]
    fn notifications_carry_the_slot_and_error() {
        let ok = notification(4, 12, &None);
        assert_eq!(ok["method"], "signatureNotification");
        assert_eq!(ok["params"]["subscription"], 4);
        assert_eq!(ok["params"]["result"]["context"]["slot"], 12);
        assert_eq!(ok["params"]["result"]["value"], json!({ "err": null }));
        let failed = notification(
            4,
            12,
            &Some(solana_transaction_error::TransactionError::AccountNotFound),
        );
        assert_eq!(
            failed["params"]["result"]["value"]["err"],
            "AccountNotFound"
        );
    }
}
