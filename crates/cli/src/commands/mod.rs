//! The cluster commands, one file per group of users, and what they share:
//! the global options, the connection, printing, and the one place errors
//! are printed.

#[cfg(feature = "dev-tools")]
mod bench;
pub mod gov;
mod gov_args;
pub mod keeper;
mod keeper_pass;
mod keeper_resolve;
#[cfg(feature = "dev-tools")]
pub mod local;
mod metrics;
pub mod operator;
pub mod query;
mod receipts;
pub mod staker;
pub mod token;

use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

use anyhow::{Result, anyhow};
use clap::{Args, Subcommand};
use serde_json::Value;
use solana_pubkey::Pubkey;

use crate::cluster::Cluster;
use crate::config::Settings;
use crate::output::OutputFormat;

/// Options every command takes.
#[derive(Args, Debug, Clone, Default)]
pub struct Global {
    /// URL for Solana's JSON RPC or moniker (or their first letter):
    /// [mainnet-beta, testnet, devnet, localhost] [default: the config file's
    /// json_rpc_url, else localhost]
    #[arg(long, short = 'u', global = true, value_name = "URL_OR_MONIKER")]
    pub url: Option<String>,
    /// Signer: a keypair file, prompt://, stdin:// or usb://ledger (a public
    /// key for `gov --print-ix`) [default: the config file's keypair_path,
    /// else ~/.config/solana/id.json]
    #[arg(long, short = 'k', global = true, value_name = "KEYPAIR")]
    pub keypair: Option<String>,
    /// Configuration file to use [default: ~/.config/solana/cli/config.yml]
    #[arg(long, short = 'C', global = true, value_name = "FILEPATH")]
    pub config: Option<PathBuf>,
    /// Commitment level of reads and confirmations [default: the config
    /// file's, else confirmed]
    #[arg(long, global = true, value_name = "COMMITMENT_LEVEL",
          value_parser = ["processed", "confirmed", "finalized"])]
    pub commitment: Option<String>,
    /// Return information in specified output format [default: display]
    #[arg(long, global = true, value_name = "FORMAT", value_enum)]
    pub output: Option<OutputFormat>,
    /// Same as --output json
    #[arg(long, global = true, conflicts_with = "output")]
    pub json: bool,
    /// Set compute unit price for transaction, in increments of 0.000001
    /// lamports per compute unit (commands that send a transaction)
    #[arg(long, global = true, value_name = "MICROLAMPORTS")]
    pub with_compute_unit_price: Option<u64>,
}

impl Global {
    pub fn format(&self) -> OutputFormat {
        match (self.output, self.json) {
            (Some(f), _) => f,
            (None, true) => OutputFormat::Json,
            (None, false) => OutputFormat::Display,
        }
    }

    pub fn settings(&self) -> Result<Settings> {
        crate::config::settings(
            self.url.as_deref(),
            self.keypair.as_deref(),
            self.commitment.as_deref(),
            self.config.as_deref(),
        )
    }

    /// A connection with the signer of --keypair.
    pub fn cluster(&self) -> Result<Cluster> {
        Cluster::connect(&self.settings()?, self.with_compute_unit_price)
    }

    /// A connection that signs nothing (--keypair may be a public key).
    pub fn read_only(&self) -> Result<Cluster> {
        Cluster::read_only(&self.settings()?)
    }

    pub fn print(&self, human: &str, machine: &Value) {
        self.format().print(human, machine)
    }
}

/// The commands that speak to a cluster (and `keygen`).
#[derive(Subcommand, Debug)]
pub enum ClusterCommand {
    /// Stake tokens into the pool of a mint
    Stake(staker::StakeArgs),
    /// Request, cancel or complete an unstake
    #[command(subcommand)]
    Unstake(staker::Unstake),
    /// Show a pool's assets and share price, and a stake's shares, value and request
    Status(staker::StatusArgs),
    /// Wrap shares of your stake into transferable receipt tokens
    Wrap(receipts::WrapArgs),
    /// Unwrap receipt tokens back into shares of your stake
    Unwrap(receipts::UnwrapArgs),
    /// Sweep a pool's revenue into the fund (keepers)
    Sweep(keeper::MintArg),
    /// Move donations (vault balance above the pool's assets) to revenue (keepers)
    Sync(keeper::MintArg),
    /// Resolve a recorded bankruptcy (keepers and liquidator bots)
    Resolve(keeper::ResolveArgs),
    /// Resolve open bankruptcies, sweep due pools and sync donations, in a loop
    Keeper(keeper::KeeperArgs),
    /// List the pools
    Pools,
    /// List the markets
    Markets,
    /// List the open bankruptcy records
    Bankruptcies,
    /// Show a lender's balance in a lending market
    Lender(query::LenderArgs),
    /// Governance (admin or guardian); each takes --print-ix for a multisig proposal
    Gov(gov_args::GovArgs),
    /// Market operator records (for integration tests)
    #[command(subcommand)]
    Operator(operator::Operator),
    /// Mint tokens on a local node, or show a token balance
    #[command(subcommand)]
    Token(token::Token),
    /// Show the public key of --keypair (any signer source)
    Address,
    /// Write a new keypair file in the Solana CLI's format and print its public key
    Keygen {
        /// Where to write it (refuses to overwrite)
        #[arg(long, value_name = "FILEPATH")]
        outfile: PathBuf,
    },
}

/// Runs a cluster command: the one place its error is printed.
pub fn run(global: &Global, command: ClusterCommand) -> ExitCode {
    let result = match command {
        ClusterCommand::Stake(a) => staker::stake(global, &a),
        ClusterCommand::Unstake(c) => staker::unstake(global, &c),
        ClusterCommand::Status(a) => staker::status(global, &a),
        ClusterCommand::Wrap(a) => receipts::wrap(global, &a),
        ClusterCommand::Unwrap(a) => receipts::unwrap(global, &a),
        ClusterCommand::Sweep(a) => keeper::sweep(global, &a.mint, false),
        ClusterCommand::Sync(a) => keeper::sweep(global, &a.mint, true),
        ClusterCommand::Resolve(a) => keeper::resolve(global, &a),
        ClusterCommand::Keeper(a) => keeper::run(global, &a),
        ClusterCommand::Pools => query::pools(global),
        ClusterCommand::Markets => query::markets(global),
        ClusterCommand::Bankruptcies => query::bankruptcies(global),
        ClusterCommand::Lender(a) => query::lender(global, &a),
        ClusterCommand::Gov(c) => gov::run(global, &c),
        ClusterCommand::Operator(c) => operator::run(global, &c),
        ClusterCommand::Token(c) => token::run(global, &c),
        ClusterCommand::Address => global.settings().and_then(|s| {
            let key = crate::keys::pubkey(&s.keypair)?;
            global.print(
                &key.to_string(),
                &serde_json::json!({ "pubkey": key.to_string() }),
            );
            Ok(())
        }),
        ClusterCommand::Keygen { outfile } => crate::keys::write_new_keypair(&outfile).map(|key| {
            global.print(
                &key.to_string(),
                &serde_json::json!({ "pubkey": key.to_string(), "outfile": outfile }),
            )
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// A public key given as `--flag`.
pub fn pubkey(text: &str, flag: &str) -> Result<Pubkey> {
    Pubkey::from_str(text).map_err(|_| anyhow!("--{flag} {text:?} is not a public key"))
}

/// An amount in token units (`1250.5`) for a mint with `decimals`.
pub fn amount(text: &str, decimals: u8) -> Result<u64> {
    backstop_client::amount::parse_amount(text, decimals).map_err(|e| anyhow!("--amount: {e}"))
}

/// Hints for accounts that do not exist.
pub const POOL_HINT: &str = "no pool for this mint (`backstop pools` lists them)";
pub const MARKET_HINT: &str = "no market with this index (`backstop markets` lists them)";
