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
mod model;
mod model_markets;
mod ops;
mod world;

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
    let mut model = Model::new(world::START, world::WALLET);
    let mut sim = Simulator::new(scenario::parse(&world::header(seed))?).await?;
    let mut drawn: Vec<Op> = Vec::new();
    let mut refusals = BTreeMap::new();
    let mut report = FuzzReport {
        operations: 0,
        violations: 0,
        refusals: BTreeMap::new(),
        ops_per_second: 0.0,
        seed,
        violation: None,
        scenario: None,
    };
    for i in 0..ops {
        if i > 0 && i % 10_000 == 0 {
            progress(i);
        }
        let op = ops::draw(&mut rng, &model);
        let expect = model.apply(&op);
        drawn.push(op.clone());
        report.operations += 1;
        if let Some(problem) = step(&mut sim, &op, &expect, &model, &mut refusals).await? {
            report.violations += 1;
            report.violation = Some(format!("operation {i}: {problem}"));
            report.scenario = Some(shrink(seed, drawn).await?);
            break;
        }
    }
    report.refusals = refusals;
    report.ops_per_second = report.operations as f64 / started.elapsed().as_secs_f64();
    Ok(report)
}

/// Runs one operation and checks it; `Some` describes a violation.
async fn step(
    sim: &mut Simulator,
    op: &Op,
    expect: &Expect,
    model: &Model,
    refusals: &mut BTreeMap<String, u64>,
) -> Result<Option<String>> {
    let outcome = sim.run_one(&op.step()).await?;
    if let Some(name) = &outcome {
        *refusals.entry(name.clone()).or_default() += 1;
    }
    let wrong = match (expect, &outcome) {
        (Expect::Ok, None) => None,
        (Expect::Refused(want), Some(got)) if want == got => None,
        (Expect::RefusedAny, Some(got)) if !got.starts_with("Custom(") => None,
        (want, got) => Some(format!(
            "{:?} expected {want:?}, the program said {got:?}",
            op.action
        )),
    };
    if wrong.is_some() {
        return Ok(wrong);
    }
    let diffs = check::compare(&sim.observe().await?, model);
    Ok((!diffs.is_empty()).then(|| format!("after {:?}: {}", op.action, diffs.join("; "))))
}

/// Replays `ops` from a fresh world; whether any of them violates.
async fn fails(seed: u64, ops: &[Op]) -> Result<bool> {
    let mut model = Model::new(world::START, world::WALLET);
    let mut sim = Simulator::new(scenario::parse(&world::header(seed))?).await?;
    let mut refusals = BTreeMap::new();
    for op in ops {
        let expect = model.apply(op);
        if step(&mut sim, op, &expect, &model, &mut refusals)
            .await?
            .is_some()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Delta debugging: drops ever smaller chunks while the rest still fails,
/// within a minute; returns the sequence as a scenario file.
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
            if !candidate.is_empty() && fails(seed, &candidate).await? {
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
    let mut model = Model::new(world::START, world::WALLET);
    let mut text = world::header(seed);
    for op in &ops {
        let expect = match model.apply(op) {
            Expect::Ok => "ok".to_string(),
            Expect::Refused(name) => name.to_string(),
            Expect::RefusedAny => "refused".to_string(),
        };
        text.push('\n');
        text.push_str(&op.toml(&expect));
    }
    Ok(text)
}
