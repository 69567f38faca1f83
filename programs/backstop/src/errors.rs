//! Every refusal is one of these named errors; the message says what was wrong.

use anchor_lang::prelude::*;

use crate::math::MathError;

#[error_code]
pub enum BackstopError {
    // --- who may sign ---
    #[msg("Only the protocol admin may do this")]
    NotAdmin,
    #[msg("Only the guardian or the admin may do this")]
    NotGuardianOrAdmin,
    #[msg("Only the proposed admin may accept the admin role")]
    NotPendingAdmin,
    #[msg("Only the program's upgrade authority may initialise the protocol")]
    NotUpgradeAuthority,
    #[msg("Only this market's operator may record its exposure")]
    NotOperator,
    #[msg("The stake belongs to another owner")]
    NotStakeOwner,

    // --- pauses ---
    #[msg("This operation is paused")]
    OperationPaused,
    #[msg("Pause flags name no known operation")]
    InvalidPauseFlags,

    // --- parameter bounds ---
    #[msg("cooldown is above 90 days")]
    CooldownTooLong,
    #[msg("window is above 30 days")]
    WindowTooLong,
    #[msg("sweep_interval must be between 60 seconds and 30 days")]
    SweepIntervalOutOfBounds,
    #[msg("max_apr_bps is above 1,000,000")]
    MaxAprTooHigh,
    #[msg("protocol_cut_bps is above 10,000")]
    ProtocolCutTooHigh,
    #[msg("min_stake must be at least 1")]
    MinStakeZero,
    #[msg("governance_delay is above 30 days")]
    GovernanceDelayTooLong,
    #[msg("isolated_share_bps is above 10,000")]
    IsolatedShareTooHigh,

    // --- staking ---
    #[msg("The amount must be greater than zero")]
    ZeroAmount,
    #[msg("The amount is below the pool's min_stake")]
    BelowMinStake,
    #[msg("Zero shares: the amount buys none at the current price, or the share count given is 0")]
    ZeroShares,
    #[msg("The stake does not hold that many shares")]
    InsufficientShares,
    #[msg("The stake already has a pending unstake request")]
    RequestPending,
    #[msg("The stake has no pending unstake request")]
    NoPendingRequest,
    #[msg("The unstake cooldown has not elapsed")]
    CooldownNotElapsed,
    #[msg(
        "The unstake request has lapsed: more than its cooldown and window of exit clock have passed; cancel and request again"
    )]
    RequestLapsed,
    #[msg("Only an empty stake (no shares, no request) can be closed")]
    StakeNotEmpty,
    #[msg("The treasury's stake in a pool is never closed")]
    TreasuryStakeNotClosable,

    // --- revenue ---
    #[msg("The pool's sweep_interval has not elapsed since the last sweep")]
    SweepNotDue,

    // --- governance delay ---
    #[msg("There is no pending change to cancel")]
    NoPendingChange,
    #[msg("The change has reached its eta and has taken effect; it can no longer be cancelled")]
    ChangeAlreadyEffective,
    #[msg("The payout's governance delay has not passed")]
    PayoutNotReady,
    #[msg("The payout is not pending (already executed or cancelled)")]
    PayoutNotPending,
    #[msg("The payout's eta has passed; only the admin can cancel it now")]
    PayoutAlreadyExecutable,

    // --- markets ---
    #[msg("The token account's mint is not the pool's asset")]
    MintMismatch,
    #[msg("Markets are created with consecutive indexes; this is not the next one")]
    MarketIndexMismatch,
    #[msg("This instruction is for the other kind of market")]
    WrongMarketKind,
    #[msg("The market is insolvent (deposit index 0): deposits and withdrawals are refused")]
    MarketInsolvent,
    #[msg("The market is frozen")]
    MarketFrozen,
    #[msg("The cap is below the insurance this market has already used")]
    CapBelowInsuranceUsed,
    #[msg("The withdrawal is above the lender's balance")]
    WithdrawalAboveBalance,
    #[msg("The amount is above what the position owes")]
    ClearAboveOwed,
    #[msg("The deficit must be greater than zero")]
    ZeroDeficit,
    #[msg("This debtor already has an open bankruptcy record in this market")]
    BankruptcyAlreadyOpen,
    #[msg("A market that is not isolated has no isolated share or vault")]
    NotIsolated,
    #[msg("The isolated vault account is missing or wrong for this market")]
    IsolatedVaultMismatch,
    #[msg("The settlement account is not this market's settlement account")]
    SettlementMismatch,
    #[msg("The treasury stake account is not the stake of the protocol's treasury")]
    TreasuryStakeMismatch,

    // --- arithmetic and invariants ---
    #[msg("Arithmetic overflow")]
    MathOverflow,
    #[msg("Arithmetic underflow")]
    MathUnderflow,
    #[msg("Division by zero")]
    DivisionByZero,
    #[msg("An internal invariant does not hold; the instruction was refused to protect funds")]
    InvariantViolated,

    // --- added after the first release: appended so earlier codes never move ---
    #[msg(
        "initialize_protocol needs the program's ProgramData account (upgradeable loader): without it nobody can prove who may initialise"
    )]
    ProgramDataRequired,
    #[msg("The payout expired: it was not executed within 14 days of its eta")]
    PayoutExpired,
    #[msg(
        "Wrong exposure mode: per-account records are refused in an aggregate market, and an exposure must be 0 in an accounts market"
    )]
    WrongExposureMode,
    #[msg("The exposure is too small for this deficit: the market's loss index would overflow")]
    ExposureOverflowsIndex,
    #[msg(
        "A settlement account or payout recipient must not be a token account owned by the pool or the market"
    )]
    FundAccountNotAllowed,
    #[msg("The mint has an extension Backstop does not support; the program log names it")]
    UnsupportedMintExtension,
    #[msg(
        "The pool's vault holds less than its assets; call sync_vault to write the loss down first"
    )]
    VaultShortfall,
    #[msg(
        "The mint charges a transfer fee: tokens cannot move into or within the fund while it does"
    )]
    TransferFeeNotSupported,
    #[msg("The account belongs to a token program other than the pool's")]
    WrongTokenProgram,
    #[msg(
        "A bankruptcy record is open on a market this pool insures: exits wait until it is resolved (anyone can resolve it)"
    )]
    LossPending,
    #[msg(
        "An aggregate market holds one open bankruptcy record at a time: resolve the open one first"
    )]
    BankruptcyOpen,
    #[msg("Only a frozen market's bankruptcy record can be voided: freeze the market first")]
    MarketNotFrozen,
    #[msg("The receipt supply would exceed u64::MAX")]
    ReceiptSupplyOverflow,
    #[msg("The receipt mint is not a receipt mint of this pool")]
    ReceiptMintMismatch,
    #[msg("Shares in a pending unstake request cannot be wrapped")]
    SharesInRequest,
    #[msg("The pool account is not the pool of this market")]
    PoolMismatch,
    #[msg("The settlement authority account is not the owner of the settlement token account")]
    SettlementAuthorityMismatch,
    #[msg("The stake account belongs to another pool")]
    StakePoolMismatch,
    #[msg(
        "The receipt token account is neither a Token-2022 account of this receipt mint that the signer owns nor the signer's associated address of it"
    )]
    ReceiptAccountMismatch,
    #[msg("The rent recipient is not this market's operator")]
    RentRecipientMismatch,
    #[msg("The treasury account is not the protocol's treasury in effect")]
    TreasuryMismatch,
    #[msg("A new settlement account needs its settlement authority account beside it")]
    SettlementAuthorityMissing,
}

impl From<MathError> for BackstopError {
    fn from(e: MathError) -> Self {
        match e {
            MathError::Overflow => BackstopError::MathOverflow,
            MathError::Underflow => BackstopError::MathUnderflow,
            MathError::DivisionByZero => BackstopError::DivisionByZero,
        }
    }
}

/// Checked math that reports where it failed: the caller's file and line are
/// logged before the named error is returned.
pub trait OrMathError<T> {
    fn or_math(self) -> Result<T>;
}

impl<T> OrMathError<T> for core::result::Result<T, MathError> {
    #[track_caller]
    fn or_math(self) -> Result<T> {
        match self {
            Ok(v) => Ok(v),
            Err(e) => {
                let at = core::panic::Location::caller();
                log_location("math error", at);
                let _ = e;
                Err(BackstopError::from(e).into())
            }
        }
    }
}

impl<T> OrMathError<T> for Option<T> {
    #[track_caller]
    fn or_math(self) -> Result<T> {
        match self {
            Some(v) => Ok(v),
            None => {
                let at = core::panic::Location::caller();
                log_location("math overflow", at);
                Err(BackstopError::MathOverflow.into())
            }
        }
    }
}

/// Logs where checked math failed. On SBF this is a program log; a native
/// build (tests, the in-process bank) writes it to stderr, so it cannot mix
/// with a report on stdout, when `BACKSTOP_PROGRAM_LOGS` is set.
fn log_location(what: &str, at: &core::panic::Location) {
    #[cfg(target_os = "solana")]
    msg!("{} at {}:{}", what, at.file(), at.line());
    #[cfg(not(target_os = "solana"))]
    if std::env::var_os("BACKSTOP_PROGRAM_LOGS").is_some() {
        eprintln!("program log: {} at {}:{}", what, at.file(), at.line());
    }
}
