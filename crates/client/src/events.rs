//! Reading the program's events from a transaction's logs, as a monitor or
//! an `aggregate`-mode host does: `emit!` makes the runtime log
//! `Program data: <base64>` inside the program's invocation. Only lines
//! logged while Backstop itself is executing count, so another program in
//! the same transaction cannot forge one.

use anchor_lang::{AnchorDeserialize, Discriminator, Event};
use base64::Engine;

pub use backstop::events::*;

/// The payload of every event Backstop logged, in order (discriminator
/// first), tracking the invocation stack as the logs describe it.
pub fn backstop_event_data(logs: &[String]) -> Vec<Vec<u8>> {
    let program = crate::PROGRAM_ID.to_string();
    let mut stack: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for line in logs {
        let Some(rest) = line.strip_prefix("Program ") else {
            continue;
        };
        if let Some(data) = rest.strip_prefix("data: ") {
            if stack.last() == Some(&program.as_str()) {
                // One field per `emit!`; the runtime separates fields by spaces.
                let bytes: Option<Vec<u8>> = data
                    .split(' ')
                    .map(|f| base64::engine::general_purpose::STANDARD.decode(f).ok())
                    .collect::<Option<Vec<Vec<u8>>>>()
                    .map(|fields| fields.concat());
                out.extend(bytes);
            }
            continue;
        }
        let mut words = rest.split(' ');
        let (Some(id), Some(what)) = (words.next(), words.next()) else {
            continue;
        };
        match what {
            "invoke" => stack.push(id),
            "success" | "failed:" if stack.last() == Some(&id) => {
                stack.pop();
            }
            _ => {}
        }
    }
    out
}

/// Every event of type `T` Backstop logged in `logs`, in order.
pub fn decode_events<T: Event + Discriminator + AnchorDeserialize>(logs: &[String]) -> Vec<T> {
    backstop_event_data(logs)
        .into_iter()
        .filter_map(|data| {
            let body = data.strip_prefix(T::DISCRIMINATOR)?;
            T::deserialize(&mut &body[..]).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::prelude::Pubkey;

    fn data_line(event: &impl Event) -> String {
        let bytes = event.data();
        format!(
            "Program data: {}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }

    #[test]
    fn only_events_logged_by_backstop_count() {
        let closed = StakeClosed {
            pool: Pubkey::new_from_array([1; 32]),
            owner: Pubkey::new_from_array([2; 32]),
            ts: 1_700_000_000,
        };
        let id = crate::PROGRAM_ID.to_string();
        let other = Pubkey::new_from_array([3; 32]).to_string();
        let logs = vec![
            format!("Program {other} invoke [1]"),
            // a forgery by another program
            data_line(&closed),
            format!("Program {id} invoke [2]"),
            data_line(&closed),
            format!("Program {id} consumed 100 of 200 compute units"),
            format!("Program {id} success"),
            data_line(&closed),
            format!("Program {other} success"),
        ];
        let got: Vec<StakeClosed> = decode_events(&logs);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].pool, closed.pool);
        assert_eq!(got[0].owner, closed.owner);
        assert_eq!(got[0].ts, 1_700_000_000);
        // Another event type does not decode as this one.
        assert!(decode_events::<Staked>(&logs).is_empty());
    }

    /// Every event says when it happened: its last field is `ts`, the
    /// cluster's unix time, so a monitor orders and dates events without the
    /// transaction's block time.
    #[test]
    fn every_event_ends_with_its_time() {
        let idl: serde_json::Value =
            serde_json::from_str(include_str!("../../../idl/backstop.json")).expect("the IDL");
        let events = idl["events"].as_array().expect("events");
        assert_eq!(events.len(), 34);
        for event in events {
            let name = event["name"].as_str().expect("a name");
            let ty = idl["types"]
                .as_array()
                .expect("types")
                .iter()
                .find(|t| t["name"] == name)
                .unwrap_or_else(|| panic!("{name} has a type"));
            let last = ty["type"]["fields"]
                .as_array()
                .and_then(|fields| fields.last())
                .unwrap_or_else(|| panic!("{name} has fields"));
            assert_eq!(
                (last["name"].as_str(), last["type"].as_str()),
                (Some("ts"), Some("i64")),
                "{name}"
            );
        }
    }
}
