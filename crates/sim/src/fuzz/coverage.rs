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

impl Counts {
    /// One more run that went through, or was refused.
    pub fn count(&mut self, refused: bool) {
        if refused {
            self.refused += 1;
        } else {
            self.ok += 1;
        }
    }
}

/// From this many operations on, a campaign fails if an instruction not in
/// [`NOT_DRAWN`] never succeeded.
pub const COVERAGE_MIN_OPS: u64 = 20_000;

/// The instructions that create the world: they succeed once each at set-up
/// (counted there); campaigns draw them again only to be refused (the
/// protocol and pools exist; a market by someone other than the admin), so
/// the world keeps its markets.
pub const SET_UP: &[&str] = &["initialize_protocol", "create_pool", "create_market"];

/// The instructions campaigns do not draw, and why. Empty: every other
/// instruction of the IDL is drawn.
pub const NOT_DRAWN: &[(&str, &str)] = &[];

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
    /// Counts the instructions that created the world: the protocol, `pools`
    /// pools and `markets` markets.
    pub fn record_set_up(&mut self, pools: u64, markets: u64) {
        for (name, count) in SET_UP.iter().zip([1, pools, markets]) {
            self.0.entry(name.to_string()).or_default().ok += count;
        }
    }

    /// Counts `action`'s instruction, if it sends one.
    pub fn record(&mut self, action: &Action, refused: bool) {
        let Some(name) = action.instruction() else {
            return;
        };
        self.0.entry(name.to_string()).or_default().count(refused);
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
        assert_eq!(names.len(), 35);
        for name in NOT_DRAWN.iter().map(|(n, _)| n).chain(SET_UP) {
            assert!(names.iter().any(|n| n == name), "{name}");
        }
        let mut coverage = Coverage::default();
        let drawn = names.len() - NOT_DRAWN.len();
        assert_eq!(coverage.missing(true).len(), drawn);
        assert_eq!(coverage.missing(false).len(), drawn - NEED_A_DELAY.len());
        coverage.record_set_up(2, 6);
        assert_eq!(coverage.0["create_market"], Counts { ok: 6, refused: 0 });
        assert_eq!(coverage.missing(true).len(), drawn - SET_UP.len());
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
