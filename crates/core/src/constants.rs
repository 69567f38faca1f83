//! Protocol constants, with their units in the name or the doc comment. The
//! program re-exports them and marks the seeds, defaults and bounds
//! `#[constant]`, so the IDL carries them too.

/// PDA seed of the singleton `Protocol`.
pub const PROTOCOL_SEED: &[u8] = b"protocol";
/// PDA seed of a `Pool`: `["pool", mint]`.
pub const POOL_SEED: &[u8] = b"pool";
/// PDA seed of a pool's insurance vault: `["vault", pool]`.
pub const VAULT_SEED: &[u8] = b"vault";
/// PDA seed of a pool's revenue account: `["revenue", pool]`.
pub const REVENUE_SEED: &[u8] = b"revenue";
/// PDA seed of a `Stake`: `["stake", pool, owner]`.
pub const STAKE_SEED: &[u8] = b"stake";
/// PDA seed of a `Market`: `["market", index u16 LE]`.
pub const MARKET_SEED: &[u8] = b"market";
/// PDA seed of an isolated market's own vault: `["isolated_vault", market]`.
pub const ISOLATED_VAULT_SEED: &[u8] = b"isolated_vault";
/// PDA seed of a `Lender`: `["lender", market, owner]`.
pub const LENDER_SEED: &[u8] = b"lender";
/// PDA seed of a `Position`: `["position", market, owner]`.
pub const POSITION_SEED: &[u8] = b"position";
/// PDA seed of a `Bankruptcy`: `["bankruptcy", market, debtor]`.
pub const BANKRUPTCY_SEED: &[u8] = b"bankruptcy";
/// PDA seed of a `Payout`: `["payout", pool, id u64 LE]`.
pub const PAYOUT_SEED: &[u8] = b"payout";
/// PDA seed of a pool's receipt mint for one epoch: `["receipt", pool, epoch u64 LE]`.
pub const RECEIPT_SEED: &[u8] = b"receipt";

/// Layout version written into every account this program creates.
pub const ACCOUNT_VERSION: u8 = 1;

/// Basis points in one whole (100 %).
pub const BPS_DENOMINATOR: u64 = 10_000;
/// Seconds in the 365-day year used to pro-rate `max_apr_bps`.
pub const SECONDS_PER_YEAR: u64 = 31_536_000;
/// Seconds in one day.
pub const SECONDS_PER_DAY: u64 = 86_400;
/// Fixed-point scale of the deposit index `I` and the loss index `K` (10^18).
pub const INDEX_SCALE: u128 = 1_000_000_000_000_000_000;
/// A pool is wiped out after a payout when `A * WIPEOUT_RATIO < S`, so that
/// shares never exceed `A * 10^6` and cannot overflow.
pub const WIPEOUT_RATIO: u128 = 1_000_000;

/// Default unstake cooldown, seconds (13 days).
pub const DEFAULT_COOLDOWN_SECS: u64 = 1_123_200;
/// Longest allowed cooldown, seconds (90 days).
pub const MAX_COOLDOWN_SECS: u64 = 90 * SECONDS_PER_DAY;
/// Default completion window after the cooldown, seconds (2 days; 0 = no limit).
pub const DEFAULT_WINDOW_SECS: u64 = 172_800;
/// Longest allowed completion window, seconds (30 days).
pub const MAX_WINDOW_SECS: u64 = 30 * SECONDS_PER_DAY;
/// Default minimum time between sweeps, seconds (1 hour).
pub const DEFAULT_SWEEP_INTERVAL_SECS: u64 = 3_600;
/// Shortest allowed sweep interval, seconds.
pub const MIN_SWEEP_INTERVAL_SECS: u64 = 60;
/// Longest allowed sweep interval, seconds (30 days).
pub const MAX_SWEEP_INTERVAL_SECS: u64 = 30 * SECONDS_PER_DAY;
/// Default cap on staker revenue per sweep, basis points per year (1000 %).
pub const DEFAULT_MAX_APR_BPS: u64 = 100_000;
/// Highest allowed `max_apr_bps`.
pub const MAX_MAX_APR_BPS: u64 = 1_000_000;
/// Default share of each sweep minted to the treasury, basis points.
pub const DEFAULT_PROTOCOL_CUT_BPS: u64 = 5_000;
/// Default minimum stake, base units.
pub const DEFAULT_MIN_STAKE: u64 = 1;
/// Default governance delay, seconds (2 days).
pub const DEFAULT_GOVERNANCE_DELAY_SECS: u64 = 172_800;
/// Longest allowed governance delay, seconds (30 days).
pub const MAX_GOVERNANCE_DELAY_SECS: u64 = 30 * SECONDS_PER_DAY;
/// How long a due payout stays executable after its eta, seconds (14 days);
/// afterwards it has expired and can never execute.
pub const PAYOUT_GRACE_SECS: i64 = 1_209_600;
/// A market cap meaning "unlimited".
pub const UNLIMITED_CAP: u64 = u64::MAX;
