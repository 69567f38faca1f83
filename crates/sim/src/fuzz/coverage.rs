//! What a campaign exercised: for every instruction of the IDL, how often
//! it succeeded and how often it was refused; and the rule a long campaign
//! is held to: every instruction succeeds at least once, except those
//! listed in [`NOT_DRAWN`] with the reason.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::scenario::Action;

/// How often an instruction ran.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub ok: u64,
    pub refused: u64,
}

/// From this many operations on, a campaign fails if an instruction not in
/// [`NOT_DRAWN`] never succeeded.
pub const COVERAGE_MIN_OPS: u64 = 20_000;

/// The instructions campaigns do not draw yet, and why (issue 22 tracks
/// drawing them all).
pub const NOT_DRAWN: &[(&str, &str)] = &[
    (
        "initialize_protocol",
        "set-up only: each campaign's world is created once",
    ),
    (
        "create_pool",
        "set-up only: each campaign's world is created once",
    ),
    (
        "create_market",
        "set-up only: each campaign's world is created once",
    ),
    (
        "update_protocol",
        "no scenario action for protocol changes yet",
    ),
    (
        "cancel_protocol_change",
        "no scenario action for protocol changes yet",
    ),
    (
        "propose_admin",
        "no scenario action for the admin hand-over yet",
    ),
    (
        "accept_admin",
        "no scenario action for the admin hand-over yet",
    ),
];

/// Excused in a campaign without a governance delay (even seeds): nothing
/// is ever pending there.
pub const NEED_A_DELAY: &[(&str, &str)] = &[
    (
        "cancel_market_change",
        "without a governance delay a raise of a cap takes effect at once",
    ),
    (
        "cancel_pool_change",
        "without a governance delay a change of a pool takes effect at once",
    ),
];

/// The program's instructions, from the IDL the program's build writes.
pub fn idl_instructions() -> Vec<String> {
    let idl: serde_json::Value =
        serde_json::from_str(include_str!("../../../../idl/backstop.json")).unwrap_or_default();
    idl["instructions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["name"].as_str().map(str::to_string))
        .collect()
}

/// Counts by instruction, every instruction of the IDL listed.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Coverage(pub BTreeMap<String, Counts>);

impl Default for Coverage {
    fn default() -> Coverage {
        Coverage(
            idl_instructions()
                .into_iter()
                .map(|name| (name, Counts::default()))
                .collect(),
        )
    }
}

impl Coverage {
    /// Counts `action`'s instruction, if it sends one.
    pub fn record(&mut self, action: &Action, refused: bool) {
        let Some(name) = action.instruction() else {
            return;
        };
        let counts = self.0.entry(name.to_string()).or_default();
        if refused {
            counts.refused += 1;
        } else {
            counts.ok += 1;
        }
    }

    /// The instructions that never succeeded and are not excused, in a
    /// campaign with or without a governance delay.
    pub fn missing(&self, with_delay: bool) -> Vec<String> {
        let excused = |name: &String| {
            NOT_DRAWN.iter().any(|(n, _)| n == name)
                || (!with_delay && NEED_A_DELAY.iter().any(|(n, _)| n == name))
        };
        self.0
            .iter()
            .filter(|(name, c)| c.ok == 0 && !excused(name))
            .map(|(name, _)| name.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_excused_instruction_is_in_the_idl_and_the_rest_must_succeed() {
        let names = idl_instructions();
        assert_eq!(names.len(), 34);
        for (name, _) in NOT_DRAWN {
            assert!(names.iter().any(|n| n == name), "{name}");
        }
        let mut coverage = Coverage::default();
        let drawn = names.len() - NOT_DRAWN.len();
        assert_eq!(coverage.missing(true).len(), drawn);
        assert_eq!(coverage.missing(false).len(), drawn - NEED_A_DELAY.len());
        let stake = Action::Stake {
            who: "alice".into(),
            asset: "usdc".into(),
            amount: 1,
        };
        coverage.record(&stake, true);
        assert_eq!(coverage.0["stake"], Counts { ok: 0, refused: 1 });
        assert!(coverage.missing(true).contains(&"stake".to_string()));
        coverage.record(&stake, false);
        assert!(!coverage.missing(true).contains(&"stake".to_string()));
        coverage.record(&Action::Advance { seconds: 5 }, false);
        assert_eq!(coverage.0.len(), names.len());
    }
}
