//! Backstop's scenario simulator: runs a scenario file (docs/scenarios.md) against
//! the real Backstop program inside the in-process bank (`backstop-bank`),
//! every step a real signed transaction, and reports what happened.
//!
//! The pieces, in the order the `backstop simulate` command uses them:
//!
//! - [`scenario::parse`]`(&str) -> Result<Scenario, ScenarioError>` validates
//!   a file into a [`Scenario`] whose steps carry typed [`scenario::Action`]s;
//!   an error names the line and the reason (`Display`: `line N: reason`).
//! - [`Simulator::new`]`(Scenario).await -> anyhow::Result<Simulator>` sets up
//!   the bank (protocol, pools, markets, wallets); a pool or market the
//!   program refuses is an error naming its line.
//!   [`Simulator::run`]`(self).await -> anyhow::Result<Report>` runs every
//!   step, whatever the earlier ones did (progress on stderr every 1,000
//!   steps for long scenarios).
//! - [`Report::to_json`] is the JSON report of docs/scenarios.md,
//!   [`Report::render`]`(file)` the readable one, [`Report::all_met`] whether
//!   every step met its expectation.
//! - [`chart::write_svg`]`(&Report, &Path)` (or [`chart::render`]) draws the
//!   pools' assets and share price over the steps and each bankruptcy's
//!   waterfall.
//! - [`bench::run`] is `backstop bench`: [`footprint::measure`] (heap,
//!   CPIs and depth per instruction from the bank's meter, with
//!   `backstop_bank::heap::MeteredAllocator` as the global allocator;
//!   accounts and transaction bytes), the throughput and resolve's scaling;
//!   [`bench::compare`] sets a report beside an earlier one.
//!
//! The crate talks to the program only through `backstop-client` and
//! `backstop-bank`.

pub mod bench;
pub mod chart;
pub mod footprint;
pub mod fuzz;
pub mod report;
pub mod scenario;
mod sim;
pub mod units;

pub use backstop_bank::take_stdout;
pub use report::Report;
pub use scenario::{Scenario, ScenarioError};
pub use sim::Simulator;
