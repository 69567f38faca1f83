//! `backstop`: runs scenarios against the real Backstop program inside an
//! in-process Solana bank, and benchmarks it.

mod bench;
mod chart;
mod commands;
mod keeper;
mod localnet;
mod report;
mod rpc;
mod scenario;
mod sim;
mod web;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[global_allocator]
static ALLOCATOR: bench::CountingAllocator = bench::CountingAllocator;

#[derive(Parser)]
#[command(
    name = "backstop",
    version,
    about = "Backstop: the insurance layer of a Solana lending or perps protocol"
)]
struct Cli {
    #[command(flatten)]
    global: commands::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario file (see SCENARIOS.md) against the real program in an
    /// in-process bank. Exit status: 0 every step met its expectation, 1 one
    /// did not, 2 the file is invalid.
    Simulate {
        /// The scenario file (TOML). `--json` prints the report as JSON.
        file: PathBuf,
        /// Draw pool assets, share price and bankruptcy waterfalls as SVG.
        #[arg(long, value_name = "FILE.svg")]
        chart: Option<PathBuf>,
    },
    /// Serve the program and the SPL Token program, in the in-process bank,
    /// over Solana's JSON-RPC on loopback (websocket on PORT + 1). Creates the
    /// protocol with the keypair as admin, guardian and treasury. Extra
    /// method: `backstop_advanceClock [seconds]`.
    Localnet {
        #[arg(long, default_value_t = 8899)]
        port: u16,
        /// Admin keypair (Solana CLI JSON format).
        #[arg(long, default_value_os_t = default_keypair())]
        keypair: PathBuf,
        /// The protocol's governance delay, seconds.
        #[arg(long, default_value_t = 0)]
        governance_delay: u64,
        /// Do not create the demo mint, its pool and your 1,000,000 tokens.
        #[arg(long)]
        no_demo: bool,
        /// Make the demo mint a Token-2022 mint (no extensions).
        #[arg(long, conflicts_with = "no_demo")]
        token_2022: bool,
    },
    /// Tokens on a local node: mint to an owner's associated token account
    /// (created if missing; you must be the mint authority), or show a balance.
    #[command(subcommand)]
    Token(commands::Token),
    /// Stake tokens into the pool of MINT (amount in token units, e.g. 1250.5).
    Stake {
        #[arg(long)]
        mint: String,
        #[arg(long)]
        amount: String,
        /// Token account to pay from (default: your associated token account).
        #[arg(long)]
        from: Option<String>,
    },
    /// Request, cancel or complete an unstake.
    #[command(subcommand)]
    Unstake(commands::Unstake),
    /// Pool assets, share price, your shares and value, your pending request.
    Status {
        #[arg(long)]
        mint: String,
        /// Whose stake (default: yours).
        #[arg(long)]
        owner: Option<String>,
    },
    /// Sweep the pool's revenue (keepers).
    Sweep {
        #[arg(long)]
        mint: String,
    },
    /// Move donations (vault balance above the pool's assets) to revenue (keepers).
    Sync {
        #[arg(long)]
        mint: String,
    },
    /// Resolve a recorded bankruptcy (keepers and liquidator bots).
    Resolve {
        /// Market index.
        #[arg(long)]
        market: u16,
        #[arg(long)]
        debtor: String,
    },
    /// List the pools.
    Pools,
    /// List the markets.
    Markets,
    /// List the open bankruptcy records.
    Bankruptcies,
    /// A lender's balance in a lending market.
    Lender {
        #[arg(long)]
        market: u16,
        #[arg(long)]
        owner: String,
    },
    /// Governance (admin or guardian); each takes --print-ix for a multisig proposal.
    #[command(subcommand)]
    Gov(commands::Gov),
    /// Market operator records (for integration tests).
    #[command(subcommand)]
    Operator(commands::Operator),
    /// Resolve open bankruptcies, sweep due pools and sync donations, in a loop.
    Keeper {
        /// One pass, then exit.
        #[arg(long)]
        once: bool,
        /// Seconds between passes.
        #[arg(long, default_value_t = 10)]
        interval: u64,
    },
    /// Write a new keypair file in the Solana CLI's format and print its public key.
    Keygen {
        /// Where to write it (refuses to overwrite).
        #[arg(long)]
        outfile: PathBuf,
    },
    /// Run a generated staking scenario through the in-process bank and print
    /// transactions per second and the peak heap.
    Bench {
        /// Number of generated steps.
        #[arg(long, default_value_t = 10_000)]
        steps: usize,
        /// Instead: resolve a bankruptcy in a lending market with this many
        /// lenders and a perp market with this many positions (and with 1).
        #[arg(long, value_name = "N")]
        market_size: Option<usize>,
    },
}

/// The natively compiled program (and Anchor's entry) log with `println!`
/// outside SBF. Keep the real stdout for the report and send fd 1 to
/// /dev/null, or to stderr when BACKSTOP_PROGRAM_LOGS is set.
fn take_stdout() -> std::fs::File {
    use std::os::fd::AsFd;
    let saved = std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .expect("duplicate stdout");
    let target = if std::env::var_os("BACKSTOP_PROGRAM_LOGS").is_some() {
        None
    } else {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .ok()
    };
    // SAFETY: dup2 on valid descriptors; nothing else is writing yet.
    unsafe {
        use std::os::fd::AsRawFd;
        match &target {
            Some(null) => libc::dup2(null.as_raw_fd(), 1),
            None => libc::dup2(2, 1),
        };
    }
    std::fs::File::from(saved)
}

/// `~/.config/solana/id.json`, the Solana CLI's default keypair.
fn default_keypair() -> PathBuf {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    home.join(".config/solana/id.json")
}

fn main() -> ExitCode {
    if std::env::var_os("RUST_LOG").is_none() {
        // SAFETY: single-threaded here, before any runtime starts.
        unsafe { std::env::set_var("RUST_LOG", "error") };
    }
    let cli = Cli::parse();
    let out = take_stdout();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let global = cli.global.clone();
    let cluster = |r: anyhow::Result<()>| match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    };
    // Cluster commands print with println!: give them back the real stdout.
    let restore = |out: &std::fs::File| {
        use std::os::fd::AsRawFd;
        // SAFETY: dup2 on valid descriptors.
        unsafe { libc::dup2(out.as_raw_fd(), 1) };
    };
    match cli.command {
        Command::Stake { mint, amount, from } => {
            restore(&out);
            cluster(commands::stake(&global, &mint, &amount, from.as_deref()))
        }
        Command::Unstake(cmd) => {
            restore(&out);
            cluster(commands::unstake(&global, &cmd))
        }
        Command::Status { mint, owner } => {
            restore(&out);
            cluster(commands::status(&global, &mint, owner.as_deref()))
        }
        Command::Sweep { mint } => {
            restore(&out);
            cluster(commands::sweep(&global, &mint, false))
        }
        Command::Sync { mint } => {
            restore(&out);
            cluster(commands::sweep(&global, &mint, true))
        }
        Command::Resolve { market, debtor } => {
            restore(&out);
            cluster(commands::resolve(&global, market, &debtor))
        }
        Command::Pools => {
            restore(&out);
            cluster(commands::pools(&global))
        }
        Command::Markets => {
            restore(&out);
            cluster(commands::markets(&global))
        }
        Command::Bankruptcies => {
            restore(&out);
            cluster(commands::bankruptcies(&global))
        }
        Command::Lender { market, owner } => {
            restore(&out);
            cluster(commands::lender(&global, market, &owner))
        }
        Command::Gov(cmd) => {
            restore(&out);
            cluster(commands::gov(&global, &cmd))
        }
        Command::Operator(cmd) => {
            restore(&out);
            cluster(commands::operator(&global, &cmd))
        }
        Command::Keeper { once, interval } => {
            restore(&out);
            cluster(keeper::run(&global, once, interval))
        }
        Command::Simulate { file, chart } => {
            let json = global.json;
            runtime.block_on(simulate(out, file, json, chart))
        }
        Command::Keygen { outfile } => {
            use std::io::Write;
            if outfile.exists() {
                eprintln!(
                    "error: {} exists; refusing to overwrite it",
                    outfile.display()
                );
                return ExitCode::from(2);
            }
            match localnet::write_new_keypair(&outfile) {
                Ok(key) => {
                    let mut out = out;
                    let _ = writeln!(out, "{key}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Localnet {
            port,
            keypair,
            governance_delay,
            no_demo,
            token_2022,
        } => {
            drop(runtime);
            let demo = match (no_demo, token_2022) {
                (true, _) => None,
                (false, true) => Some(localnet::DemoMint::Token2022),
                (false, false) => Some(localnet::DemoMint::SplToken),
            };
            localnet::run(out, port, keypair, governance_delay, demo)
        }
        Command::Token(cmd) => {
            restore(&out);
            cluster(commands::token(&global, &cmd))
        }
        Command::Bench {
            market_size: Some(n),
            ..
        } => runtime.block_on(bench::run_markets(out, n)),
        Command::Bench { steps, .. } => runtime.block_on(bench::run(out, steps)),
    }
}

async fn simulate(
    mut out: std::fs::File,
    file: PathBuf,
    json: bool,
    chart: Option<PathBuf>,
) -> ExitCode {
    use std::io::Write;
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
    let report = match sim::Simulator::new(scenario).await {
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
    let text = if json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&report).expect("report serialises")
        )
    } else {
        report.render(&shown)
    };
    if let Err(e) = out.write_all(text.as_bytes()) {
        eprintln!("error: cannot write the report: {e}");
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
