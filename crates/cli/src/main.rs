//! `backstop`: the Backstop CLI. This file parses the command line and
//! dispatches; each command group lives in src/commands/. The developer
//! tools (simulate, fuzz, bench, localnet: the in-process bank) are the
//! `dev-tools` feature, on by default; `--no-default-features` builds the
//! operator's binary, without solana-program-test.

mod cluster;
mod commands;
mod config;
mod failure;
mod idl;
mod keys;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Meters the program's heap in the in-process bank (dev tools only).
#[cfg(feature = "dev-tools")]
#[global_allocator]
static ALLOCATOR: backstop_sim::footprint::MeteredAllocator =
    backstop_sim::footprint::MeteredAllocator;

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
    #[cfg(feature = "dev-tools")]
    #[command(flatten)]
    Local(commands::local::LocalCommand),
    #[command(flatten)]
    Cluster(commands::ClusterCommand),
}

fn main() -> ExitCode {
    if std::env::var_os("RUST_LOG").is_none() {
        // SAFETY: single-threaded here, before any runtime starts.
        unsafe { std::env::set_var("RUST_LOG", "error") };
    }
    let cli = Cli::parse();
    match cli.command {
        #[cfg(feature = "dev-tools")]
        Command::Local(command) => {
            // --keypair, else the config file's, else ~/.config/solana/id.json
            let keypair = cli
                .global
                .settings()
                .map(|s| s.keypair)
                .unwrap_or_else(|_| config::default_keypair_path());
            commands::local::run(command, cli.global.format(), &keypair)
        }
        Command::Cluster(command) => commands::run(&cli.global, command),
    }
}
