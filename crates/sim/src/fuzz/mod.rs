//! `backstop fuzz`: random sequences of every instruction by every actor,
//! valid and invalid, through the real program in the in-process bank, each
//! checked against a pure model of the ledger ([`model`]) and against the
//! invariants ([`check`]). A violation is shrunk to a short sequence and
//! written as a scenario file that `backstop simulate` replays.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::Result;
use serde::Serialize;

use crate::Simulator;
use crate::scenario;

mod check;
pub mod coverage;
mod expect;
mod model;
mod model_governance;
mod model_issuer;
mod model_markets;
mod model_params;
mod model_pending;
mod model_receipts;
mod model_stakes;
mod ops;
mod ops_governance;
#[cfg(test)]
mod roundtrip;
mod world;
mod writer;

use coverage::{COVERAGE_MIN_OPS, Coverage};
use model::{Expect, Model};
use ops::{Op, Rng};

/// What a campaign found.
#[derive(Debug, Clone, Serialize)]
pub struct FuzzReport {
    pub operations: u64,
    pub violations: u64,
    /// Refusals by error name (both expected and not).
    pub refusals: BTreeMap<String, u64>,
    pub ops_per_second: f64,
    /// Operations per second in each tenth of the campaign, in order: a
    /// per-operation cost that grows with the world shows as a fall.
    pub ops_per_second_by_tenth: Vec<f64>,
    /// Per instruction of the IDL: how often it succeeded and was refused.
    pub instructions: Coverage,
    /// The steps that send none of the program's instructions (the clock,
    /// plain token transfers, the issuer's taking, fee and hook): how often
    /// each went through and was refused.
    pub other_actions: BTreeMap<String, coverage::Counts>,
    /// How often the admin role, and the guardian in effect, changed hands.
    pub admin_handovers: u64,
    pub guardian_handovers: u64,
    /// In a campaign of 20,000 operations or more: the instructions that
    /// never succeeded and are not excused (`coverage::NOT_DRAWN`); any
    /// makes the campaign fail.
    pub uncovered: Vec<String>,
    pub seed: u64,
    /// The first violation, described.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub violation: Option<String>,
    /// The shortest sequence found that reproduces it, as a scenario file.
    #[serde(skip)]
    pub scenario: Option<String>,
}

/// Runs `ops` operations drawn from `seed`; `progress` is called every
/// 10,000 operations with the count so far.
pub async fn run(ops: u64, seed: u64, mut progress: impl FnMut(u64)) -> Result<FuzzReport> {
    let started = Instant::now();
    let mut rng = Rng::new(seed);
    let mut model = Model::new(world::START, world::WALLET, world::delay(seed));
    let mut sim = Simulator::new(scenario::parse(&world::header(seed))?).await?;
    let mut drawn: Vec<Op> = Vec::new();
    let mut refusals = BTreeMap::new();
    let mut report = FuzzReport {
        operations: 0,
        violations: 0,
        refusals: BTreeMap::new(),
        ops_per_second: 0.0,
        ops_per_second_by_tenth: Vec::new(),
        instructions: Coverage::default(),
        other_actions: BTreeMap::new(),
        admin_handovers: 0,
        guardian_handovers: 0,
        uncovered: Vec::new(),
        seed,
        violation: None,
        scenario: None,
    };
    report
        .instructions
        .record_set_up(world::POOLS.len() as u64, world::MARKETS.len() as u64);
    let tenth = (ops / 10).max(1);
    let mut tenth_started = Instant::now();
    for i in 0..ops {
        if i > 0 && i % 10_000 == 0 {
            progress(i);
        }
        if i > 0 && i % tenth == 0 {
            let seconds = tenth_started.elapsed().as_secs_f64();
            report.ops_per_second_by_tenth.push(tenth as f64 / seconds);
            tenth_started = Instant::now();
        }
        let op = ops::draw(&mut rng, &model);
        let roles = (model.admin_name(), model.guardian_name());
        let expect = model.apply(&op);
        report.admin_handovers += u64::from(model.admin_name() != roles.0);
        report.guardian_handovers += u64::from(model.guardian_name() != roles.1);
        drawn.push(op.clone());
        report.operations += 1;
        let checked = step(&mut sim, &op, &expect, &model, &mut refusals).await?;
        report.instructions.record(&op.action, checked.refused);
        if op.action.instruction().is_none() {
            let name = op.action.name().to_string();
            let counts = report.other_actions.entry(name).or_default();
            counts.count(checked.refused);
        }
        if let Some(problem) = checked.violation {
            report.violations += 1;
            report.violation = Some(format!("operation {i}: {problem}"));
            report.scenario = Some(shrink(seed, drawn).await?);
            break;
        }
    }
    let last = report.operations % tenth;
    if report.violation.is_none() && report.operations >= tenth {
        let done = if last == 0 { tenth } else { last };
        let seconds = tenth_started.elapsed().as_secs_f64();
        report.ops_per_second_by_tenth.push(done as f64 / seconds);
    }
    report.refusals = refusals;
    report.ops_per_second = report.operations as f64 / started.elapsed().as_secs_f64();
    if report.operations >= COVERAGE_MIN_OPS {
        report.uncovered = report.instructions.missing(world::delay(seed) > 0);
    }
    Ok(report)
}

/// One checked operation: whether the program refused it, and the
/// violation, if any, with the figures that differ from the model.
struct Checked {
    refused: bool,
    violation: Option<String>,
    diffs: Vec<check::Diff>,
}

/// Runs one operation and checks it.
async fn step(
    sim: &mut Simulator,
    op: &Op,
    expect: &Expect,
    model: &Model,
    refusals: &mut BTreeMap<String, u64>,
) -> Result<Checked> {
    let outcome = sim.run_one(&op.step()).await?;
    let refused = outcome.is_some();
    if let Some(name) = &outcome {
        *refusals.entry(name.clone()).or_default() += 1;
    }
    let wrong = match (expect, &outcome) {
        (Expect::Ok, None) => None,
        (Expect::Refused(want), Some(got)) if *want == *got.as_str() => None,
        (Expect::NotSent(start), Some(got)) if got.starts_with(start) => None,
        (Expect::TokenRefused(any), Some(got)) if any.contains(&got.as_str()) => None,
        (want, got) => Some(format!(
            "{:?} expected {want:?}, the program said {got:?}",
            op.action
        )),
    };
    if wrong.is_some() {
        return Ok(Checked {
            refused,
            violation: wrong,
            diffs: Vec::new(),
        });
    }
    let diffs = check::compare(&sim.observe().await?, model);
    let violation = (!diffs.is_empty()).then(|| {
        let texts: Vec<&str> = diffs.iter().map(|d| d.text.as_str()).collect();
        format!("after {:?}: {}", op.action, texts.join("; "))
    });
    Ok(Checked {
        refused,
        violation,
        diffs,
    })
}

/// Where a replay of `ops` from a fresh world first violates: the
/// operation's index and the figures that differ (none when the program's
/// answer itself was wrong).
async fn first_violation(seed: u64, ops: &[Op]) -> Result<Option<(usize, Vec<check::Diff>)>> {
    let mut model = Model::new(world::START, world::WALLET, world::delay(seed));
    let mut sim = Simulator::new(scenario::parse(&world::header(seed))?).await?;
    let mut refusals = BTreeMap::new();
    for (i, op) in ops.iter().enumerate() {
        let expect = model.apply(op);
        let checked = step(&mut sim, op, &expect, &model, &mut refusals).await?;
        if checked.violation.is_some() {
            return Ok(Some((i, checked.diffs)));
        }
    }
    Ok(None)
}

/// Delta debugging: drops ever smaller chunks while the rest still fails,
/// within a minute; returns the sequence as a scenario file, its steps up to
/// the violation, each with the model's expectation, then a `check` step per
/// figure that differs, with the model's value: `backstop simulate` fails on
/// the same step or the same figures.
async fn shrink(seed: u64, mut ops: Vec<Op>) -> Result<String> {
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    let mut chunk = ops.len().div_ceil(2);
    while chunk >= 1 && Instant::now() < deadline {
        let mut at = 0;
        let mut removed = false;
        while at < ops.len() && Instant::now() < deadline {
            let mut candidate = ops.clone();
            let end = (at + chunk).min(candidate.len());
            candidate.drain(at..end);
            if !candidate.is_empty() && first_violation(seed, &candidate).await?.is_some() {
                ops = candidate;
                removed = true;
            } else {
                at += chunk;
            }
        }
        if !removed {
            chunk /= 2;
        }
    }
    let (last, diffs) = first_violation(seed, &ops)
        .await?
        .unwrap_or((ops.len().saturating_sub(1), Vec::new()));
    ops.truncate(last + 1);
    let mut model = Model::new(world::START, world::WALLET, world::delay(seed));
    let mut text = world::header(seed);
    for op in &ops {
        let expect = match model.apply(op) {
            Expect::Ok => "ok".to_string(),
            Expect::Refused(error) => error.name(),
            // the name the native runtime gives (simulate runs natively)
            Expect::TokenRefused(any) => any[0].to_string(),
            // the simulator refuses it by itself, and says which id
            Expect::NotSent(_) => match &op.action {
                scenario::Action::ExecutePayout { asset, id }
                | scenario::Action::CancelPayout { asset, id } => {
                    format!("no payout with id {id} was proposed for {asset}")
                }
                other => match other.issuer_power() {
                    Some((asset, feature)) => feature.missing_on(asset),
                    None => format!("{other:?} is not sent"),
                },
            },
        };
        text.push('\n');
        text.push_str(&op.toml(&expect));
    }
    for diff in &diffs {
        let Some(figure) = &diff.figure else {
            text.push_str(&format!(
                "\n# broken whatever the model says: {}\n",
                diff.text
            ));
            continue;
        };
        let check = Op::new(scenario::Action::Check {
            figure: figure.clone(),
            equals: diff.model.clone(),
        });
        text.push_str(&format!("\n# {}\n", diff.text));
        text.push_str(&check.toml("ok"));
    }
    Ok(text)
}
