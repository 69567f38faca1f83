//! `backstop bench`: the footprint of every instruction in SBF terms (heap,
//! CPIs, depth, accounts, transaction bytes), the throughput of a generated
//! staking scenario, and resolve's cost against the market's size, as one
//! report that prints as Markdown tables or JSON; [`compare`] sets a report
//! beside an earlier one. Progress goes to stderr.

pub mod compare;
pub mod compute;
pub mod resolve;
pub mod throughput;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::footprint::{self, Footprint};
pub use compute::ComputeUnits;
pub use resolve::{ResolveScaling, market_scenario};
pub use throughput::{Throughput, staking_scenario};

/// The version of the report's JSON shape.
pub const SCHEMA: u32 = 1;

/// What `backstop bench` runs: 0 skips a section.
#[derive(Debug, Clone, Copy)]
pub struct BenchOptions {
    /// Generated staking steps for the throughput.
    pub steps: usize,
    /// Lenders and positions of the large market for resolve.
    pub market_size: usize,
    /// Compute units on the SBF VM (needs `sbf/build --with-test-programs`).
    pub compute_units: bool,
}

/// One run of `backstop bench`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    pub schema: u32,
    /// `debug` or `release`: the timings depend on it, the footprint not.
    pub profile: String,
    pub footprint: Footprint,
    pub throughput: Option<Throughput>,
    pub resolve: Option<ResolveScaling>,
    /// On the SBF VM (`--sbf`); absent from a native-only run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compute_units: Option<ComputeUnits>,
}

/// Runs every section `options` asks for.
pub async fn run(options: BenchOptions) -> Result<BenchReport> {
    eprintln!("footprint: running every instruction on its most expensive path…");
    let footprint = footprint::measure().await?;
    let throughput = match options.steps {
        0 => None,
        steps => Some(throughput::measure(steps).await?),
    };
    let resolve = match options.market_size {
        0 => None,
        size => Some(resolve::measure(size).await?),
    };
    let compute_units = if options.compute_units {
        eprintln!("compute units: every shape on the SBF VM, SPL Token and Token-2022…");
        Some(compute::measure().await?)
    } else {
        None
    };
    Ok(BenchReport {
        schema: SCHEMA,
        profile: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
        .to_string(),
        footprint,
        throughput,
        resolve,
        compute_units,
    })
}

impl BenchReport {
    /// The report as docs/performance.md shows it: Markdown tables.
    pub fn markdown(&self) -> String {
        let mut text = format!(
            "## Footprint per instruction\n\nHeap budget {} B; user, keeper and operator transactions ≤ {} B, governance ≤ {} B.\n\n{}",
            self.footprint.heap_budget_bytes,
            self.footprint.user_transaction_budget_bytes,
            self.footprint.packet_bytes,
            self.footprint.markdown()
        );
        if let Some(c) = &self.compute_units {
            text.push_str("\n## Compute units on the SBF VM\n\n");
            text.push_str(&c.markdown());
        }
        if let Some(t) = &self.throughput {
            let refused: Vec<String> = t.refused.iter().map(|(n, c)| format!("{n} ×{c}")).collect();
            text.push_str(&format!(
                "\n## Throughput ({} build)\n\n| steps | stakers | transactions | refused as generated | seconds | transactions/s | process peak heap (MiB) |\n|---:|---:|---:|---|---:|---:|---:|\n| {} | {} | {} | {} | {:.2} | {:.0} | {:.1} |\n",
                self.profile,
                t.steps,
                t.stakers,
                t.transactions,
                if refused.is_empty() { "none".to_string() } else { refused.join(", ") },
                t.seconds,
                t.transactions_per_second,
                t.process_peak_heap_bytes as f64 / (1024.0 * 1024.0),
            ));
        }
        if let Some(r) = &self.resolve {
            text.push_str(&format!(
                "\n## Resolve against the market's size\n\n`resolve_bankruptcy` takes {} accounts, isolated or not, whatever the market's size.\n\n| market | holders | µs | paid | socialised | index after |\n|---|---:|---:|---:|---:|---:|\n",
                r.accounts
            ));
            for run in &r.runs {
                text.push_str(&format!(
                    "| {} | {} | {} | {} | {} | {} |\n",
                    run.kind, run.holders, run.micros, run.paid, run.socialised, run.index_after
                ));
            }
        }
        text
    }
}
