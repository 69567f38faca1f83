//! The fuzzer tests itself (issue 22): each bug of `backstop::planted`,
//! planted in the program natively (the test-only `planted-bugs` feature),
//! is caught by a campaign within a bounded number of operations; the
//! shrunk reproduction it writes fails `backstop simulate` the same way (the
//! same step's answer, or the same figure with the same value), and passes
//! once the bug is gone.
//!
//! Native only: the SBF program is built without the feature.

use backstop::planted::{self, Bug};
use backstop_sim::{Report, Simulator, fuzz, scenario};

/// Each bug, and the most operations a campaign may need to catch it. The
/// seed is odd, so the campaign runs with a governance delay (a pending
/// change can be applied early).
const BUGS: [(Bug, u64); 5] = [
    (Bug::SharesRoundedUp, 500),
    (Bug::OperatorNotChecked, 500),
    (Bug::LossPendingSkipped, 5_000),
    (Bug::TreasuryCutFirst, 500),
    (Bug::PendingAppliedEarly, 500),
];
const SEED: u64 = 3;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn simulate(text: &str) -> Report {
    let parsed = scenario::parse(text).expect("the reproduction parses");
    let simulator = Simulator::new(parsed).await.expect("setup");
    simulator.run().await.expect("run")
}

/// Whether the first step that misses its expectation fails the way the
/// campaign's violation did: the same figure, off by the value the
/// reproduction's own comment records (shrinking changes the figures, not
/// which one is wrong), or the same operation answered differently.
fn fails_the_same_way(report: &Report, violation: &str, reproduction: &str) -> Result<(), String> {
    let Some(step) = report.steps.iter().find(|s| !s.met_expectation) else {
        return Err("every step of the reproduction met its expectation".into());
    };
    let error = step.error.clone().unwrap_or_default();
    if step.action == "check" {
        // "{figure} is {found}, the file expects {model}"
        let (figure, rest) = error.split_once(" is ").ok_or(error.clone())?;
        let found = rest.split(", the file expects").next().unwrap_or_default();
        let recorded = format!("# {figure}: program {found},");
        if !reproduction.contains(&recorded) {
            return Err(format!(
                "the check says {error:?}, not what the file records"
            ));
        }
        return if violation.contains(&format!("{figure}: program")) {
            Ok(())
        } else {
            Err(format!(
                "the check says {error:?}; the campaign said {violation}"
            ))
        };
    }
    // "operation N: Action { .. } expected X, the program said Y"
    let operation = violation.split(" expected ").next().unwrap_or_default();
    let action = operation.split(": ").nth(1).unwrap_or_default();
    let name = action.split(' ').next().unwrap_or_default();
    let snake: String = name
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let lower = c.to_ascii_lowercase();
            if c.is_ascii_uppercase() && i > 0 {
                vec!['_', lower]
            } else {
                vec![lower]
            }
        })
        .collect();
    if violation.contains("the program said") && step.action == snake {
        Ok(())
    } else {
        Err(format!(
            "step {} ({}) answered {:?}; the campaign said {violation}",
            step.index, step.action, step.error
        ))
    }
}

#[test]
fn every_planted_bug_is_caught_and_its_reproduction_fails_simulate_the_same_way() {
    if backstop_bank::skip_on_sbf(
        "planted_bugs::every_planted_bug_is_caught_and_its_reproduction_fails_simulate_the_same_way",
        "bugs are planted in the native build (the SBF program has no such switch)",
    ) {
        return;
    }
    let rt = runtime();
    // the program as written: the same campaign finds nothing
    planted::plant(None);
    let clean = rt
        .block_on(fuzz::run(2_000, SEED, |_| {}))
        .expect("campaign");
    assert_eq!(clean.violations, 0, "{:?}", clean.violation);
    for (bug, bound) in BUGS {
        planted::plant(Some(bug));
        let report = rt
            .block_on(fuzz::run(bound, SEED, |_| {}))
            .expect("campaign");
        let violation = report.violation.clone().unwrap_or_default();
        assert_eq!(
            report.violations, 1,
            "{bug:?} not caught in {bound} operations"
        );
        let reproduction = report.scenario.expect("a reproduction");
        let replay = rt.block_on(simulate(&reproduction));
        if let Err(why) = fails_the_same_way(&replay, &violation, &reproduction) {
            panic!("{bug:?}: {why}\n{reproduction}");
        }
        planted::plant(None);
        let fixed = rt.block_on(simulate(&reproduction));
        assert!(
            fixed.all_met(),
            "{bug:?}: the reproduction fails without the bug\n{reproduction}"
        );
        eprintln!(
            "{bug:?}: caught at {} ({} operations in the reproduction)",
            violation.split(':').next().unwrap_or_default(),
            reproduction.matches("[[step]]").count()
        );
    }
}
