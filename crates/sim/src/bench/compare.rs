//! Sets a bench report beside an earlier one (`backstop bench --compare`):
//! every footprint figure that changed, and the timings. The footprint is
//! deterministic, so a figure that grew is a regression; so is a shape's
//! compute units on the SBF VM grown by more than 2%; timings depend on the
//! machine and only inform.

use serde::Serialize;

use super::BenchReport;
use crate::footprint::InstructionFootprint;

/// What changed between two reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Comparison {
    /// Footprint figures that changed, one sentence each.
    pub changed: Vec<String>,
    /// The changed figures that grew.
    pub regressions: Vec<String>,
    /// Timings, before and after.
    pub timings: Vec<String>,
}

/// The footprint figures a report holds for each instruction.
fn figures(i: &InstructionFootprint) -> [(&'static str, usize); 7] {
    [
        ("heap_bytes", i.heap_bytes),
        ("heap_live_peak_bytes", i.heap_live_peak_bytes),
        ("cpis", i.cpis),
        ("depth_used", i.depth_used as usize),
        ("accounts", i.accounts),
        ("transaction_bytes", i.transaction_bytes),
        (
            "multisig_message_bytes",
            i.multisig_message_bytes.unwrap_or(0),
        ),
    ]
}

/// Compares `after` with `before`.
pub fn compare(before: &BenchReport, after: &BenchReport) -> Comparison {
    let mut out = Comparison::default();
    for now in &after.footprint.instructions {
        let Some(then) = before
            .footprint
            .instructions
            .iter()
            .find(|b| b.name == now.name)
        else {
            out.changed.push(format!("{}: new instruction", now.name));
            continue;
        };
        for ((field, old), (_, new)) in figures(then).into_iter().zip(figures(now)) {
            if old == new {
                continue;
            }
            let line = format!(
                "{} {field}: {old} → {new} ({:+})",
                now.name,
                new as i128 - old as i128
            );
            if new > old {
                out.regressions.push(line.clone());
            }
            out.changed.push(line);
        }
    }
    for then in &before.footprint.instructions {
        if !after
            .footprint
            .instructions
            .iter()
            .any(|a| a.name == then.name)
        {
            out.changed
                .push(format!("{}: no longer in the program", then.name));
        }
    }
    compare_compute_units(before, after, &mut out);
    if let (Some(b), Some(a)) = (&before.throughput, &after.throughput) {
        out.timings.push(format!(
            "transactions/s: {:.0} ({} build) → {:.0} ({} build), {:+.1}%",
            b.transactions_per_second,
            before.profile,
            a.transactions_per_second,
            after.profile,
            percent(b.transactions_per_second, a.transactions_per_second)
        ));
    }
    if let (Some(b), Some(a)) = (&before.resolve, &after.resolve) {
        for (then, now) in b.runs.iter().zip(&a.runs) {
            if then.kind == now.kind && then.holders == now.holders {
                out.timings.push(format!(
                    "resolve, {} market of {}: {} µs → {} µs",
                    now.kind, now.holders, then.micros, now.micros
                ));
            }
        }
    }
    out
}

/// How much a shape's compute units may grow before it is a regression.
pub const COMPUTE_UNITS_TOLERANCE_PERCENT: u64 = 2;

/// Every shape whose compute units changed; a rise of more than
/// [`COMPUTE_UNITS_TOLERANCE_PERCENT`] is a regression. A report without
/// compute units (a run without `--sbf`) compares nothing.
fn compare_compute_units(before: &BenchReport, after: &BenchReport, out: &mut Comparison) {
    let (Some(b), Some(a)) = (&before.compute_units, &after.compute_units) else {
        if before.compute_units.is_some() {
            out.timings
                .push("compute units: not measured in this run (bench --sbf measures them)".into());
        }
        return;
    };
    for now in &a.shapes {
        let then = b
            .shapes
            .iter()
            .find(|t| t.shape == now.shape && t.token_program == now.token_program);
        let Some(then) = then else {
            out.changed
                .push(format!("{} ({}): new shape", now.shape, now.token_program));
            continue;
        };
        if then.compute_units == now.compute_units {
            continue;
        }
        let line = format!(
            "{} ({}) compute_units: {} → {} ({:+.1}%)",
            now.shape,
            now.token_program,
            then.compute_units,
            now.compute_units,
            percent(then.compute_units as f64, now.compute_units as f64)
        );
        // now > then·(1 + tolerance), in integers.
        if now.compute_units * 100 > then.compute_units * (100 + COMPUTE_UNITS_TOLERANCE_PERCENT) {
            out.regressions.push(line.clone());
        }
        out.changed.push(line);
    }
}

fn percent(before: f64, after: f64) -> f64 {
    if before == 0.0 {
        0.0
    } else {
        (after - before) / before * 100.0
    }
}

impl Comparison {
    /// The comparison for a reader.
    pub fn render(&self, instructions: usize) -> String {
        let mut text = String::new();
        if self.changed.is_empty() {
            text.push_str(&format!(
                "footprint unchanged: every figure of the {instructions} instructions is the same\n"
            ));
        } else {
            text.push_str(&format!(
                "footprint: {} figures changed, {} grew\n",
                self.changed.len(),
                self.regressions.len()
            ));
            for line in &self.changed {
                text.push_str(&format!("  {line}\n"));
            }
        }
        for line in &self.timings {
            text.push_str(&format!("{line}\n"));
        }
        text
    }
}
