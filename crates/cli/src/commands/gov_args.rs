//! The arguments of `backstop gov`.

use clap::{Args, Subcommand, ValueEnum};

/// Governance (admin or guardian). With --print-ix each prints its
/// instruction, decoded, instead of sending it: the instruction to put in a
/// Squads (or SPL Governance) proposal when the admin is a multisig.
#[derive(Args, Debug)]
pub struct GovArgs {
    #[command(subcommand)]
    pub action: Gov,
    /// Print the instruction (program, accounts with their roles, arguments
    /// with their units, base58 data) for a multisig proposal instead of
    /// sending it; --keypair may then be the multisig's public key
    #[arg(long, global = true)]
    pub print_ix: bool,
    /// Units of --cap and --amount: token units (1250.5; reads the mint's
    /// decimals from the node) or base units (works without a node)
    #[arg(long, global = true, value_enum, value_name = "UNITS", default_value_t = Units::Token)]
    pub units: Units,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Units {
    Token,
    Base,
}

#[derive(Subcommand, Debug)]
pub enum Gov {
    /// Create the protocol (signed by the program's upgrade authority)
    Init {
        /// The admin [default: you]
        #[arg(long, value_name = "ADMIN_ADDRESS")]
        admin: Option<String>,
        #[arg(long, value_name = "GUARDIAN_ADDRESS")]
        guardian: String,
        #[arg(long, value_name = "TREASURY_ADDRESS")]
        treasury: String,
        /// Seconds every fund-moving change waits
        #[arg(long, value_name = "SECONDS", default_value_t = 172_800)]
        governance_delay: u64,
    },
    /// Create the pool of a mint (SPL Token or Token-2022); needs the node
    CreatePool {
        #[arg(long, value_name = "MINT_ADDRESS")]
        mint: String,
        #[command(flatten)]
        params: ParamArgs,
        /// Accept a Token-2022 mint with a permanent delegate (as PYUSD has),
        /// whose holder could take the fund's tokens
        #[arg(long)]
        allow_permanent_delegate: bool,
        /// Accept a Token-2022 mint whose transfer hook has a program, or an
        /// authority that could set one (as PYUSD has); every transfer then
        /// carries the hook's accounts
        #[arg(long)]
        allow_transfer_hook: bool,
    },
    /// Change pool parameters (after the governance delay)
    SetPool {
        #[arg(long, value_name = "MINT_ADDRESS")]
        mint: String,
        #[command(flatten)]
        params: ParamArgs,
    },
    /// Create a market (its cap waits the governance delay); needs the node
    CreateMarket {
        #[arg(long, value_name = "KIND", value_parser = ["lending", "perp"])]
        kind: String,
        #[arg(long, value_name = "MINT_ADDRESS")]
        mint: String,
        #[arg(long, value_name = "OPERATOR_ADDRESS")]
        operator: String,
        /// Token account receiving insurance payouts (the host's market vault)
        #[arg(long, value_name = "TOKEN_ACCOUNT")]
        settlement: String,
        /// Cap (see --units), or "unlimited"
        #[arg(long, value_name = "CAP", default_value = "unlimited")]
        cap: String,
        #[arg(long)]
        isolated: bool,
        #[arg(long, value_name = "BPS", default_value_t = 0)]
        isolated_share_bps: u16,
        /// Where the market's exposure is kept, fixed for its life: accounts
        /// (Backstop records every lender/position) or aggregate (the host
        /// reports totals with each bankruptcy)
        #[arg(long, value_name = "MODE", value_parser = ["accounts", "aggregate"], default_value = "accounts")]
        exposure: String,
    },
    /// Set a market's cap (lowering at once, raising after the delay)
    SetCap {
        /// Market index
        #[arg(long, value_name = "INDEX")]
        market: u16,
        /// Cap (see --units), or "unlimited"
        #[arg(long, value_name = "CAP")]
        cap: String,
    },
    /// Change a market's operator or settlement account (delayed) or freeze it
    UpdateMarket {
        /// Market index
        #[arg(long, value_name = "INDEX")]
        market: u16,
        #[arg(long, value_name = "OPERATOR_ADDRESS")]
        operator: Option<String>,
        #[arg(long, value_name = "TOKEN_ACCOUNT")]
        settlement: Option<String>,
        #[arg(long, value_name = "BOOL")]
        frozen: Option<bool>,
    },
    /// Pause operations: stake, request_unstake, complete_unstake, sweep,
    /// premium, operator, resolve, payout
    Pause {
        /// Comma-separated operations
        #[arg(long, value_name = "OPERATIONS", value_delimiter = ',')]
        ops: Vec<String>,
    },
    /// Clear pause flags (admin only)
    Unpause {
        /// Comma-separated operations
        #[arg(long, value_name = "OPERATIONS", value_delimiter = ',')]
        ops: Vec<String>,
    },
    /// Propose a compensation payout (executable after the delay); needs the node
    ProposePayout {
        #[arg(long, value_name = "MINT_ADDRESS")]
        mint: String,
        #[arg(long, value_name = "TOKEN_ACCOUNT")]
        recipient: String,
        /// Amount (see --units)
        #[arg(long, value_name = "AMOUNT")]
        amount: String,
    },
    /// Freeze a market: its operator's records are refused (admin, at once)
    Freeze {
        /// Market index
        #[arg(long, value_name = "INDEX")]
        market: u16,
    },
    /// Unfreeze a market (admin, at once)
    Unfreeze {
        /// Market index
        #[arg(long, value_name = "INDEX")]
        market: u16,
    },
    /// Cancel a pending payout: the guardian before its eta, the admin any
    /// time before it is executed
    CancelPayout {
        #[arg(long, value_name = "MINT_ADDRESS")]
        mint: String,
        #[arg(long, value_name = "PAYOUT_ID")]
        id: u64,
    },
    /// Cancel a market's pending cap raise
    CancelChange {
        /// Market index
        #[arg(long, value_name = "INDEX")]
        market: u16,
    },
    /// Cancel a pool's pending parameter change
    CancelPoolChange {
        #[arg(long, value_name = "MINT_ADDRESS")]
        mint: String,
    },
    /// Void an open bankruptcy record of a frozen market (nothing paid or
    /// socialised; the rent goes to the operator)
    VoidBankruptcy {
        /// Market index
        #[arg(long, value_name = "INDEX")]
        market: u16,
        #[arg(long, value_name = "ADDRESS")]
        debtor: String,
    },
    /// Propose a new admin (step one of two)
    TransferAdmin {
        #[arg(long, value_name = "ADMIN_ADDRESS")]
        new_admin: String,
    },
    /// Accept the admin role (signed by the proposed admin)
    AcceptAdmin,
}

impl Gov {
    /// What an action must read from the node to build its instruction, if
    /// anything (with `units` as given).
    pub fn needs_node(&self, units: Units) -> Option<&'static str> {
        let token_units = units == Units::Token;
        match self {
            Gov::CreatePool { .. } => Some("the protocol's treasury and the mint's token program"),
            Gov::CreateMarket { .. } => {
                Some("the protocol's market count and the mint's token program and decimals")
            }
            Gov::ProposePayout { .. } => Some("the pool's next payout id and decimals"),
            Gov::SetCap { cap, .. } if token_units && cap != "unlimited" => Some(
                "the market's mint decimals to convert --cap from token units; give --units base \
                 to pass base units without a node",
            ),
            _ => None,
        }
    }
}

#[derive(Args, Debug, Default)]
pub struct ParamArgs {
    /// Seconds between an unstake request and its completion
    #[arg(long, value_name = "SECONDS")]
    pub cooldown: Option<u64>,
    /// Seconds after the cooldown in which an unstake must complete (0: no limit)
    #[arg(long, value_name = "SECONDS")]
    pub window: Option<u64>,
    /// Minimum seconds between sweeps
    #[arg(long, value_name = "SECONDS")]
    pub sweep_interval: Option<u64>,
    /// Cap on staker revenue per sweep, basis points per year (0: uncapped)
    #[arg(long, value_name = "BPS")]
    pub max_apr_bps: Option<u64>,
    /// The treasury's cut of revenue, basis points
    #[arg(long, value_name = "BPS")]
    pub protocol_cut_bps: Option<u64>,
    /// Smallest stake, in base units
    #[arg(long, value_name = "BASE_UNITS")]
    pub min_stake: Option<u64>,
}
