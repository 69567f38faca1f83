//! The websocket on `port + 1`: a validator's subscriptions (see
//! `subscriptions`), notified from the node's events (`hub`). One thread
//! per connection; it reads requests (polling every 20 ms) and sends what
//! the events since owe its subscriptions.

mod subscriptions;

use std::io::ErrorKind;
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

use crate::hub::{Event, Hub};
use subscriptions::{NAMES, Subscription};

/// A connection's subscriptions by id.
type Subscriptions = Vec<(u64, Subscription)>;

/// Accepts connections on `listener` until it fails, each on its own thread.
pub(crate) fn serve(listener: TcpListener, hub: Arc<Hub>) {
    let next_id = Arc::new(Mutex::new(0u64));
    for stream in listener.incoming().flatten() {
        let hub = hub.clone();
        let next_id = next_id.clone();
        std::thread::spawn(move || session(stream, &hub, &next_id));
    }
}

/// Whether a read failed only because nothing arrived in time.
fn idle(e: &tungstenite::Error) -> bool {
    matches!(e, tungstenite::Error::Io(e)
        if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut))
}

/// One connection, until it closes.
fn session(stream: TcpStream, hub: &Hub, next_id: &Mutex<u64>) {
    let Ok(mut socket) = tungstenite::accept(stream) else {
        return;
    };
    let events = hub.listen();
    let mut subscriptions: Subscriptions = Vec::new();
    if let Ok(inner) = socket.get_ref().try_clone() {
        let _ = inner.set_read_timeout(Some(Duration::from_millis(20)));
    }
    loop {
        match socket.read() {
            Ok(Message::Text(text)) => {
                hub.heard();
                let answers = match serde_json::from_str::<Value>(text.as_str()) {
                    Ok(request) => answer(&request, next_id, &mut subscriptions, hub),
                    Err(_) => vec![error(Value::Null, -32700, "Parse error")],
                };
                for answer in answers {
                    if socket.send(Message::text(answer.to_string())).is_err() {
                        return;
                    }
                }
            }
            Ok(Message::Close(_)) => return finish_close(&mut socket),
            Ok(_) => {}
            Err(e) if idle(&e) => {}
            Err(_) => return,
        }
        if notify(&mut socket, &events, &mut subscriptions).is_err() {
            return;
        }
    }
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "error": { "code": code, "message": message }, "id": id })
}

/// The answer to one request, then any notification owed at once (a
/// signature already processed).
fn answer(
    request: &Value,
    next_id: &Mutex<u64>,
    subscriptions: &mut Subscriptions,
    hub: &Hub,
) -> Vec<Value> {
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let method = request
        .get("method")
        .and_then(|m| m.as_str())
        .unwrap_or_default();
    let params = request.get("params").cloned().unwrap_or(json!([]));
    if let Some(name) = method.strip_suffix("Unsubscribe")
        && NAMES.contains(&name)
    {
        let sub = params.get(0).and_then(Value::as_u64);
        let before = subscriptions.len();
        subscriptions.retain(|(s, _)| Some(*s) != sub);
        if subscriptions.len() == before {
            return vec![error(id, -32602, "Invalid subscription id.")];
        }
        return vec![json!({ "jsonrpc": "2.0", "result": true, "id": id })];
    }
    let Some(name) = method
        .strip_suffix("Subscribe")
        .filter(|name| NAMES.contains(name))
    else {
        // As a validator: a method it does not have is -32601.
        return vec![error(id, -32601, "Method not found")];
    };
    let subscription = match Subscription::parse(name, &params) {
        Ok(s) => s,
        Err((code, message)) => return vec![error(id, code, &message)],
    };
    let sub = {
        let mut n = next_id.lock().expect("id lock");
        *n += 1;
        *n
    };
    let mut answers = vec![json!({ "jsonrpc": "2.0", "result": sub, "id": id })];
    let immediate = subscription.immediate(sub, hub);
    if immediate.is_empty() {
        subscriptions.push((sub, subscription));
    } else {
        answers.extend(immediate);
    }
    answers
}

/// Sends what the events since the last call owe the subscriptions, and
/// drops the one-shot ones that fired.
fn notify(
    socket: &mut WebSocket<TcpStream>,
    events: &Receiver<Event>,
    subscriptions: &mut Subscriptions,
) -> Result<(), tungstenite::Error> {
    for event in events.try_iter() {
        let mut done = Vec::new();
        for (id, subscription) in subscriptions.iter() {
            let (notes, finished) = subscription.notify(*id, &event);
            for note in notes {
                socket.send(Message::text(note.to_string()))?;
            }
            if finished {
                done.push(*id);
            }
        }
        subscriptions.retain(|(id, _)| !done.contains(id));
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
mod tests;
