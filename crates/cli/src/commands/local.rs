//! The commands that run the program in-process: simulate, fuzz and bench
//! (their engine is crates/sim; bench's report is in bench.rs) and localnet
//! (crates/localnet).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::output::OutputFormat;
use backstop_sim::{Simulator, bench, chart, scenario};

#[derive(Subcommand, Debug)]
pub enum LocalCommand {
    /// Run a scenario file against the real program in an in-process bank.
    /// Exit status: 0 every step met its expectation, 1 one did not, 2 the
    /// file is invalid
    Simulate {
        /// The scenario file (TOML); --output json prints the report as JSON
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Draw pool assets, share price and bankruptcy waterfalls as SVG
        #[arg(long, value_name = "FILE.svg")]
        chart: Option<PathBuf>,
        /// Run the SBF build (target/deploy/backstop.so from `sbf/build`) on
        /// the SBF VM instead of the native build, and report each step's
        /// compute units (as BACKSTOP_SBF=1 does)
        #[arg(long)]
        sbf: bool,
    },
    /// Serve the program and the SPL Token program, in the in-process bank,
    /// over Solana's JSON-RPC on loopback (websocket on PORT + 1)
    Localnet {
        /// JSON-RPC port
        #[arg(long, value_name = "PORT", default_value_t = 8899)]
        port: u16,
        /// The address to listen on: loopback unless told otherwise (as
        /// solana-test-validator's --bind-address); the node's secret key
        /// (backstop_devWallet) is still answered to loopback only
        #[arg(long, value_name = "HOST", default_value = "127.0.0.1")]
        bind_address: std::net::IpAddr,
        /// The protocol's governance delay
        #[arg(long, value_name = "SECONDS", default_value_t = 0)]
        governance_delay: u64,
        /// Do not create the demo mint, its pool and your 1,000,000 tokens
        #[arg(long)]
        no_demo: bool,
        /// Make the demo mint a Token-2022 mint (no extensions)
        #[arg(long, conflicts_with = "no_demo")]
        token_2022: bool,
        /// The built staking page to serve at / [default: web/dist, or
        /// BACKSTOP_WEB_DIR]
        #[arg(long, value_name = "DIR")]
        web_dir: Option<PathBuf>,
        /// Serve the SBF build (target/deploy/backstop.so from `sbf/build
        /// --with-test-programs`) on the SBF VM, owned by the upgradeable
        /// loader with its ProgramData, so `unitsConsumed` is the program's
        /// real compute units (as BACKSTOP_SBF=1 does)
        #[arg(long)]
        sbf: bool,
    },
    /// Run random sequences of every instruction by every actor through the
    /// program in the in-process bank, checking each against a model of the
    /// ledger and the invariants. Exit status: 0 no violation, 1 a violation
    /// (its shortest reproduction is written as a scenario file) or, in a
    /// campaign of 20,000 operations or more, an instruction that never
    /// succeeded and is not excused
    Fuzz {
        /// Operations to run
        #[arg(long, value_name = "N", default_value_t = 10_000)]
        ops: u64,
        /// The random seed (the same seed draws the same operations)
        #[arg(long, value_name = "SEED", default_value_t = 1)]
        seed: u64,
        /// Run the campaign on the SBF build (target/deploy/backstop.so from
        /// `sbf/build --with-test-programs`) on the SBF VM, as
        /// BACKSTOP_SBF=1 does
        #[arg(long)]
        sbf: bool,
    },
    /// Measure every instruction's footprint in SBF terms (heap, CPIs and
    /// depth, accounts, transaction bytes), the throughput of a generated
    /// staking scenario, resolve's cost against the market's size and, with
    /// --sbf, compute units on the SBF VM; print
    /// Markdown tables, or JSON with --output json. Exit status: 0 within
    /// every budget (and, with --compare, no footprint figure grew), 1 not,
    /// 2 the run failed
    Bench {
        /// Generated staking steps for the throughput (0 skips it)
        #[arg(long, value_name = "N", default_value_t = 10_000)]
        steps: usize,
        /// Lenders and positions of the large market resolve runs in, beside
        /// a market of 1 (0 skips it)
        #[arg(long, value_name = "N", default_value_t = 1_000)]
        market_size: usize,
        /// Also measure every instruction's compute units on the SBF VM, in
        /// its shapes, on SPL Token and Token-2022 (needs `sbf/build
        /// --with-test-programs`); --compare then fails when one grew by
        /// more than 2%
        #[arg(long)]
        sbf: bool,
        /// An earlier report (--output json) to compare this run with
        #[arg(long, value_name = "FILE.json")]
        compare: Option<PathBuf>,
    },
}

/// Runs a local command; `keypair` is the node's admin keypair (a signer
/// source that yields a keypair: a file, prompt:// or stdin://).
pub fn run(command: LocalCommand, format: OutputFormat, keypair: &str) -> ExitCode {
    let out = crate::output::take_stdout();
    let runtime = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime")
    };
    match command {
        LocalCommand::Simulate { file, chart, sbf } => {
            if sbf {
                backstop_bank::use_sbf(true);
            }
            runtime().block_on(simulate(out, file, format, chart))
        }
        LocalCommand::Localnet {
            port,
            bind_address,
            governance_delay,
            no_demo,
            token_2022,
            web_dir,
            sbf,
        } => {
            if sbf {
                backstop_bank::use_sbf(true);
            }
            let keypair = match crate::keys::admin_keypair(keypair) {
                Ok(k) => k,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    return ExitCode::from(2);
                }
            };
            let mut options = backstop_localnet::Options::new(keypair);
            options.port = port;
            options.bind_address = bind_address;
            options.governance_delay = governance_delay;
            options.demo = match (no_demo, token_2022) {
                (true, _) => None,
                (false, true) => Some(backstop_localnet::DemoMint::Token2022),
                (false, false) => Some(backstop_localnet::DemoMint::SplToken),
            };
            options.web_dir = web_dir;
            backstop_localnet::run(out, options)
        }
        LocalCommand::Fuzz { ops, seed, sbf } => {
            if sbf {
                backstop_bank::use_sbf(true);
            }
            runtime().block_on(fuzz(out, ops, seed, format))
        }
        LocalCommand::Bench {
            steps,
            market_size,
            compare,
            sbf,
        } => {
            let options = bench::BenchOptions {
                steps,
                market_size,
                compute_units: sbf,
            };
            runtime().block_on(super::bench::run(out, options, compare, format))
        }
    }
}

async fn simulate(
    mut out: std::fs::File,
    file: PathBuf,
    format: OutputFormat,
    chart: Option<PathBuf>,
) -> ExitCode {
    let shown = file.display().to_string();
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {shown}: {e}");
            return ExitCode::from(2);
        }
    };
    let scenario = match scenario::parse(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {shown}: {e}");
            return ExitCode::from(2);
        }
    };
    let report = match Simulator::new(scenario).await {
        Ok(simulator) => simulator.run().await,
        Err(e) => Err(e),
    };
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {shown}: {e:#}");
            return ExitCode::from(2);
        }
    };
    let machine = || serde_json::to_value(&report).expect("report serialises");
    if !format.write_report(&mut out, || report.render(&shown), machine) {
        return ExitCode::from(2);
    }
    if let Some(path) = chart {
        if let Err(e) = std::fs::write(&path, chart::render(&report)) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
        eprintln!("chart written to {}", path.display());
    }
    if report.all_met() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

async fn fuzz(mut out: std::fs::File, ops: u64, seed: u64, format: OutputFormat) -> ExitCode {
    let runtime = if backstop_bank::sbf() {
        "the SBF build on the SBF VM"
    } else {
        "the native build"
    };
    eprintln!("fuzzing {ops} operations from seed {seed} on {runtime}");
    let report = match backstop_sim::fuzz::run(ops, seed, |n| eprintln!("  {n}/{ops}")).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: the fuzzer failed to run: {e:#}");
            return ExitCode::from(2);
        }
    };
    let display = || {
        let mut text = format!(
            "{} operations, {} violations, {:.0} operations/s, seed {}\nrefusals ({} kinds):\n",
            report.operations,
            report.violations,
            report.ops_per_second,
            report.seed,
            report.refusals.len()
        );
        for (name, count) in &report.refusals {
            text.push_str(&format!("  {name:<32} {count}\n"));
        }
        let tenths: Vec<String> = report
            .ops_per_second_by_tenth
            .iter()
            .map(|r| format!("{r:.0}"))
            .collect();
        text.push_str(&format!("operations/s by tenth: {}\n", tenths.join(" ")));
        text.push_str("instructions (ok / refused):\n");
        for (name, c) in &report.instructions.0 {
            use backstop_sim::fuzz::coverage::{NOT_DRAWN, SET_UP};
            let note = NOT_DRAWN
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, why)| format!("  (not drawn: {why})"))
                .or_else(|| {
                    let set_up = SET_UP.contains(&name.as_str());
                    set_up.then(|| "  (the world's set-up)".to_string())
                })
                .unwrap_or_default();
            text.push_str(&format!(
                "  {name:<24} {:>8} / {:<8}{note}\n",
                c.ok, c.refused
            ));
        }
        text.push_str("other steps (ok / refused):\n");
        for (name, c) in &report.other_actions {
            text.push_str(&format!("  {name:<24} {:>8} / {:<8}\n", c.ok, c.refused));
        }
        text.push_str(&format!(
            "the admin role changed hands {} times, the guardian {} times\n",
            report.admin_handovers, report.guardian_handovers
        ));
        text
    };
    let machine = || serde_json::to_value(&report).expect("report serialises");
    if !format.write_report(&mut out, display, machine) {
        return ExitCode::from(2);
    }
    if !report.uncovered.is_empty() && report.violation.is_none() {
        eprintln!(
            "COVERAGE: these instructions never succeeded in {} operations: {}",
            report.operations,
            report.uncovered.join(", ")
        );
        return ExitCode::from(1);
    }
    let Some(violation) = &report.violation else {
        return ExitCode::SUCCESS;
    };
    eprintln!("VIOLATION (seed {seed}): {violation}");
    if let Some(scenario) = &report.scenario {
        let path = format!("fuzz-failure-{seed}.toml");
        match std::fs::write(&path, scenario) {
            Ok(()) => {
                eprintln!("the shortest sequence found is in {path}: backstop simulate {path}")
            }
            Err(e) => eprintln!("error: cannot write {path}: {e}\n{scenario}"),
        }
    }
    ExitCode::from(1)
}
