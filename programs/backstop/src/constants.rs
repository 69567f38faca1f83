//! The program's constants. Their values live in `backstop_core::constants`
//! (one place for the program and every client); the seeds, defaults and
//! bounds are declared again here only to mark them `#[constant]`, so the IDL
//! carries them and the TypeScript clients read them from there.

use anchor_lang::prelude::*;

use backstop_core::constants as values;
pub use backstop_core::constants::*;

/// PDA seed of the singleton `Protocol`.
#[constant]
pub const PROTOCOL_SEED: &[u8] = values::PROTOCOL_SEED;
/// PDA seed of a `Pool`: `["pool", mint]`.
#[constant]
pub const POOL_SEED: &[u8] = values::POOL_SEED;
/// PDA seed of a pool's insurance vault: `["vault", pool]`.
#[constant]
pub const VAULT_SEED: &[u8] = values::VAULT_SEED;
/// PDA seed of a pool's revenue account: `["revenue", pool]`.
#[constant]
pub const REVENUE_SEED: &[u8] = values::REVENUE_SEED;
/// PDA seed of a `Stake`: `["stake", pool, owner]`.
#[constant]
pub const STAKE_SEED: &[u8] = values::STAKE_SEED;
/// PDA seed of a `Market`: `["market", index u16 LE]`.
#[constant]
pub const MARKET_SEED: &[u8] = values::MARKET_SEED;
/// PDA seed of an isolated market's own vault: `["isolated_vault", market]`.
#[constant]
pub const ISOLATED_VAULT_SEED: &[u8] = values::ISOLATED_VAULT_SEED;
/// PDA seed of a `Lender`: `["lender", market, owner]`.
#[constant]
pub const LENDER_SEED: &[u8] = values::LENDER_SEED;
/// PDA seed of a `Position`: `["position", market, owner]`.
#[constant]
pub const POSITION_SEED: &[u8] = values::POSITION_SEED;
/// PDA seed of a `Bankruptcy`: `["bankruptcy", market, debtor]`.
#[constant]
pub const BANKRUPTCY_SEED: &[u8] = values::BANKRUPTCY_SEED;
/// PDA seed of a `Payout`: `["payout", pool, id u64 LE]`.
#[constant]
pub const PAYOUT_SEED: &[u8] = values::PAYOUT_SEED;
/// PDA seed of a pool's receipt mint for one epoch: `["receipt", pool, epoch u64 LE]`.
#[constant]
pub const RECEIPT_SEED: &[u8] = values::RECEIPT_SEED;
/// Basis points in one whole (100 %).
#[constant]
pub const BPS_DENOMINATOR: u64 = values::BPS_DENOMINATOR;
/// Seconds in the 365-day year used to pro-rate `max_apr_bps`.
#[constant]
pub const SECONDS_PER_YEAR: u64 = values::SECONDS_PER_YEAR;
/// Default unstake cooldown, seconds (13 days).
#[constant]
pub const DEFAULT_COOLDOWN_SECS: u64 = values::DEFAULT_COOLDOWN_SECS;
/// Longest allowed cooldown, seconds (90 days).
#[constant]
pub const MAX_COOLDOWN_SECS: u64 = values::MAX_COOLDOWN_SECS;
/// Default completion window after the cooldown, seconds (2 days; 0 = no limit).
#[constant]
pub const DEFAULT_WINDOW_SECS: u64 = values::DEFAULT_WINDOW_SECS;
/// Longest allowed completion window, seconds (30 days).
#[constant]
pub const MAX_WINDOW_SECS: u64 = values::MAX_WINDOW_SECS;
/// Default minimum time between sweeps, seconds (1 hour).
#[constant]
pub const DEFAULT_SWEEP_INTERVAL_SECS: u64 = values::DEFAULT_SWEEP_INTERVAL_SECS;
/// Shortest allowed sweep interval, seconds.
#[constant]
pub const MIN_SWEEP_INTERVAL_SECS: u64 = values::MIN_SWEEP_INTERVAL_SECS;
/// Longest allowed sweep interval, seconds (30 days).
#[constant]
pub const MAX_SWEEP_INTERVAL_SECS: u64 = values::MAX_SWEEP_INTERVAL_SECS;
/// Default cap on staker revenue per sweep, basis points per year (1000 %).
#[constant]
pub const DEFAULT_MAX_APR_BPS: u64 = values::DEFAULT_MAX_APR_BPS;
/// Highest allowed `max_apr_bps`.
#[constant]
pub const MAX_MAX_APR_BPS: u64 = values::MAX_MAX_APR_BPS;
/// Default share of each sweep minted to the treasury, basis points.
#[constant]
pub const DEFAULT_PROTOCOL_CUT_BPS: u64 = values::DEFAULT_PROTOCOL_CUT_BPS;
/// Default minimum stake, base units.
#[constant]
pub const DEFAULT_MIN_STAKE: u64 = values::DEFAULT_MIN_STAKE;
/// Default governance delay, seconds (2 days).
#[constant]
pub const DEFAULT_GOVERNANCE_DELAY_SECS: u64 = values::DEFAULT_GOVERNANCE_DELAY_SECS;
/// Longest allowed governance delay, seconds (30 days).
#[constant]
pub const MAX_GOVERNANCE_DELAY_SECS: u64 = values::MAX_GOVERNANCE_DELAY_SECS;
/// How long a due payout stays executable after its eta, seconds (14 days);
/// afterwards it has expired and can never execute.
#[constant]
pub const PAYOUT_GRACE_SECS: i64 = values::PAYOUT_GRACE_SECS;
/// A market cap meaning "unlimited".
#[constant]
pub const UNLIMITED_CAP: u64 = values::UNLIMITED_CAP;

// The pause bits (backstop_core::pause), so the IDL carries the pause table.
#[constant]
pub const PAUSE_STAKE: u16 = backstop_core::pause::STAKE;
#[constant]
pub const PAUSE_REQUEST_UNSTAKE: u16 = backstop_core::pause::REQUEST_UNSTAKE;
#[constant]
pub const PAUSE_COMPLETE_UNSTAKE: u16 = backstop_core::pause::COMPLETE_UNSTAKE;
#[constant]
pub const PAUSE_SWEEP: u16 = backstop_core::pause::SWEEP;
#[constant]
pub const PAUSE_PREMIUM: u16 = backstop_core::pause::PREMIUM;
#[constant]
pub const PAUSE_OPERATOR: u16 = backstop_core::pause::OPERATOR;
#[constant]
pub const PAUSE_RESOLVE: u16 = backstop_core::pause::RESOLVE;
#[constant]
pub const PAUSE_PAYOUT: u16 = backstop_core::pause::PAYOUT;

/// What the heap-probe build (`sbf/build --heap-probe`) logs after each call,
/// followed by the bytes the call took from the heap and " bytes". Not in
/// deployed builds.
pub const HEAP_PROBE_LOG: &str = "backstop heap used: ";
