//! Backstop: the insurance layer of a Solana lending or perpetuals protocol.
//!
//! Per-asset insurance pools that anyone can stake into, a revenue account per
//! pool whose fees are swept into it, per-market insurance caps set by
//! governance, and a permissionless `resolve_bankruptcy` that pays bad debt
//! from the fund up to the market's cap and socialises the rest against the
//! market's lenders or open positions. See `docs/protocol.md`.
//!
//! This file only dispatches; each instruction lives in `instructions/`.
#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;

// Upstream-Rust SBF build (sbf/build): link the compiler builtins that
// platform tools would otherwise supply.
#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

/// Anchor's `emit!`, except in a native build: there Anchor's `sol_log_data`
/// drops the event, so it goes to the syscall stubs instead, which the
/// in-process bank (tests, simulator, `backstop localnet`) writes to the
/// transaction logs as the runtime does (`Program data: …`). Both build the
/// event's bytes the same way, so the heap they cost is the same. Defined
/// before the modules, so every module can use it.
macro_rules! emit_event {
    ($event:expr) => {{
        #[cfg(target_os = "solana")]
        anchor_lang::prelude::emit!($event);
        #[cfg(not(target_os = "solana"))]
        solana_sysvar::program_stubs::sol_log_data(&[&anchor_lang::Event::data(&$event)]);
    }};
}

/// Whether the test-only bug `$bug` is planted ([`planted`]); `false`, and
/// compiled away, in every build without the `planted-bugs` feature.
macro_rules! planted {
    ($bug:ident) => {{
        #[cfg(feature = "planted-bugs")]
        let planted = $crate::planted::is($crate::planted::Bug::$bug);
        #[cfg(not(feature = "planted-bugs"))]
        let planted = false;
        planted
    }};
}

pub mod constants;
pub mod errors;
pub mod events;
pub mod groups;
#[cfg(all(feature = "heap-probe", target_os = "solana"))]
pub mod heap_probe;
pub mod instructions;
pub use backstop_core::math;
pub mod ops;
#[cfg(feature = "planted-bugs")]
pub mod planted;
pub mod state;
pub mod utils;

use instructions::*;
use state::{MarketField, PoolParams, PoolParamsUpdate, ProtocolField};

declare_id!("BackstopinsuranceFundMASi45ub7Qe4ZE36UT5G6c");

// Disclosure contacts embedded in the deployed binary (SECURITY.md). A team
// that deploys Backstop replaces the contacts with its own.
#[cfg(not(feature = "no-entrypoint"))]
solana_security_txt::security_txt! {
    name: "Backstop",
    project_url: "https://backstop.invalid",
    contacts: "email:security@backstop.invalid",
    policy: "https://backstop.invalid/SECURITY.md",
    preferred_languages: "en",
    source_code: "https://backstop.invalid",
    auditors: "None"
}

#[program]
pub mod backstop {
    use super::*;

    // ----------------------------------------------------------------- governance

    /// Creates the protocol singleton. Signer: `payer`, which must be the
    /// program's upgrade authority when the program has a ProgramData account.
    /// Errors: `GovernanceDelayTooLong`, `NotUpgradeAuthority`.
    pub fn initialize_protocol(
        ctx: Context<InitializeProtocol>,
        args: InitializeProtocolArgs,
    ) -> Result<()> {
        InitializeProtocol::initialize_protocol(ctx, args)
    }

    /// Proposes a new admin (step one of two). Signer: admin. Errors: `NotAdmin`.
    pub fn propose_admin(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
        ProposeAdmin::propose_admin(ctx, new_admin)
    }

    /// The proposed admin takes the role. Signer: pending admin.
    /// Errors: `NotPendingAdmin`.
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        AcceptAdmin::accept_admin(ctx)
    }

    /// Changes the guardian, treasury or governance delay; guardian, treasury
    /// and a shorter delay wait `governance_delay`. Signer: admin.
    /// Errors: `NotAdmin`, `GovernanceDelayTooLong`.
    pub fn update_protocol(ctx: Context<UpdateProtocol>, update: ProtocolUpdate) -> Result<()> {
        UpdateProtocol::update_protocol(ctx, update)
    }

    /// Cancels a pending guardian, treasury or delay change before its eta.
    /// Signer: guardian or admin. Errors: `NotGuardianOrAdmin`,
    /// `NoPendingChange`, `ChangeAlreadyEffective`.
    pub fn cancel_protocol_change(
        ctx: Context<CancelProtocolChange>,
        field: ProtocolField,
    ) -> Result<()> {
        CancelProtocolChange::cancel_protocol_change(ctx, field)
    }

    /// Sets pause flags. Signer: guardian or admin.
    /// Errors: `NotGuardianOrAdmin`, `InvalidPauseFlags`.
    pub fn pause(ctx: Context<Pause>, flags: u16) -> Result<()> {
        Pause::pause(ctx, flags)
    }

    /// Clears pause flags. Signer: admin. Errors: `NotAdmin`, `InvalidPauseFlags`.
    pub fn unpause(ctx: Context<Unpause>, flags: u16) -> Result<()> {
        Unpause::unpause(ctx, flags)
    }

    /// Creates a pool for a mint (SPL Token or Token-2022), its vault and
    /// revenue accounts and the treasury's stake; `allow_permanent_delegate`
    /// and `allow_transfer_hook` opt in to a mint with a permanent delegate or
    /// a transfer hook. Signers: admin, payer. Errors: `NotAdmin`,
    /// `WrongTokenProgram`, any parameter-bound error,
    /// `UnsupportedMintExtension`, `TransferFeeNotSupported`,
    /// `TreasuryMismatch`.
    pub fn create_pool(
        ctx: Context<CreatePool>,
        params: PoolParams,
        allow_permanent_delegate: bool,
        allow_transfer_hook: bool,
    ) -> Result<()> {
        CreatePool::create_pool(ctx, params, allow_permanent_delegate, allow_transfer_hook)
    }

    /// Schedules new pool parameters, effective after `governance_delay`
    /// (replacing any pending change). Signer: admin. Errors: `NotAdmin`, any
    /// parameter-bound error.
    pub fn set_pool(ctx: Context<SetPool>, update: PoolParamsUpdate) -> Result<()> {
        SetPool::set_pool(ctx, update)
    }

    /// Cancels a pool's pending parameter change before its eta. Signer:
    /// guardian or admin. Errors: `NotGuardianOrAdmin`, `NoPendingChange`,
    /// `ChangeAlreadyEffective`.
    pub fn cancel_pool_change(ctx: Context<CancelPoolChange>) -> Result<()> {
        CancelPoolChange::cancel_pool_change(ctx)
    }

    /// Proposes a compensation payout executable after `governance_delay`.
    /// Signers: admin, payer. Errors: `NotAdmin`, `MintMismatch`.
    pub fn propose_payout(ctx: Context<ProposePayout>, amount: u64) -> Result<()> {
        ProposePayout::propose_payout(ctx, amount)
    }

    /// Executes a payout while `eta ≤ now < eta + 14 days`: pays
    /// `min(amount, A)`, then the wipe-out rule. Signer: anyone.
    /// Errors: `OperationPaused`, `PayoutNotPending`, `PayoutNotReady`, `PayoutExpired`.
    pub fn execute_payout<'info>(ctx: Context<'info, ExecutePayout<'info>>) -> Result<()> {
        ExecutePayout::execute_payout(ctx)
    }

    /// Cancels a pending payout: the guardian before its eta, the admin at any
    /// time before execution. Signer: guardian or admin.
    /// Errors: `NotGuardianOrAdmin`, `PayoutNotPending`, `PayoutAlreadyExecutable`.
    pub fn cancel_payout(ctx: Context<CancelPayout>) -> Result<()> {
        CancelPayout::cancel_payout(ctx)
    }

    /// Creates a market; its cap waits `governance_delay`. Signers: admin,
    /// payer. Errors: `NotAdmin`, `MarketIndexMismatch`, `IsolatedShareTooHigh`,
    /// `IsolatedVaultMismatch`, `NotIsolated`, `MintMismatch`.
    pub fn create_market(ctx: Context<CreateMarket>, args: CreateMarketArgs) -> Result<()> {
        CreateMarket::create_market(ctx, args)
    }

    /// Sets a market's cap: lowering at once, raising after `governance_delay`.
    /// Signer: admin. Errors: `NotAdmin`, `CapBelowInsuranceUsed`.
    pub fn set_market_cap(ctx: Context<SetMarketCap>, cap: u64) -> Result<()> {
        SetMarketCap::set_market_cap(ctx, cap)
    }

    /// Changes a market's operator or settlement account (delayed) or freezes
    /// or unfreezes it (at once, solvent or not). Signer: admin.
    /// Errors: `NotAdmin`, `MintMismatch`, `FundAccountNotAllowed`,
    /// `SettlementAuthorityMismatch`, `SettlementAuthorityMissing`.
    pub fn update_market(ctx: Context<UpdateMarket>, update: MarketUpdate) -> Result<()> {
        UpdateMarket::update_market(ctx, update)
    }

    /// Cancels a pending cap raise, operator or settlement change before its
    /// eta. Signer: guardian or admin. Errors: `NotGuardianOrAdmin`,
    /// `NoPendingChange`, `ChangeAlreadyEffective`.
    pub fn cancel_market_change(
        ctx: Context<CancelMarketChange>,
        field: MarketField,
    ) -> Result<()> {
        CancelMarketChange::cancel_market_change(ctx, field)
    }

    // ------------------------------------------------------------------- stakers

    /// Stakes `amount` (sweeping first when due); creates the stake on first
    /// use. Signer: staker. Errors: `OperationPaused`, `ZeroAmount`,
    /// `RequestPending`, `BelowMinStake`, `ZeroShares`, `MintMismatch`.
    pub fn stake<'info>(ctx: Context<'info, StakeTokens<'info>>, amount: u64) -> Result<()> {
        StakeTokens::stake(ctx, amount)
    }

    /// Requests to unstake `shares` (sweeping first when due). Signer: staker.
    /// Errors: `OperationPaused`, `ZeroShares`, `RequestPending`, `InsufficientShares`.
    pub fn request_unstake<'info>(
        ctx: Context<'info, RequestUnstake<'info>>,
        shares: u128,
    ) -> Result<()> {
        RequestUnstake::request_unstake(ctx, shares)
    }

    /// Cancels the pending request, forfeiting gains made meanwhile. Never
    /// paused. Signer: staker. Errors: `NoPendingRequest`.
    pub fn cancel_unstake(ctx: Context<CancelUnstake>) -> Result<()> {
        CancelUnstake::cancel_unstake(ctx)
    }

    /// Completes a request after its cooldown, within its window. Signer:
    /// staker. Errors: `OperationPaused`, `NoPendingRequest`,
    /// `CooldownNotElapsed`, `LossPending`, `RequestLapsed`.
    pub fn complete_unstake<'info>(ctx: Context<'info, CompleteUnstake<'info>>) -> Result<()> {
        CompleteUnstake::complete_unstake(ctx)
    }

    /// Creates the pool's receipt mint of its current epoch, ahead of the
    /// epoch's first `wrap` (which creates it otherwise); does nothing once it
    /// exists. Signer: anyone (pays the rent). Errors: `ReceiptMintMismatch`.
    pub fn create_receipt_mint(ctx: Context<CreateReceiptMint>) -> Result<()> {
        CreateReceiptMint::create_receipt_mint(ctx)
    }

    /// Turns `shares` of the stake into receipt tokens of the pool's current
    /// epoch (creating the epoch's receipt mint and the owner's receipt
    /// account if needed). Signer: staker. Errors: `OperationPaused`,
    /// `ZeroShares`, `InsufficientShares`, `SharesInRequest`,
    /// `ReceiptSupplyOverflow`, `ReceiptAccountMismatch`.
    pub fn wrap(ctx: Context<WrapShares>, shares: u128) -> Result<()> {
        WrapShares::wrap(ctx, shares)
    }

    /// Burns `amount` receipt tokens of the pool's epoch `epoch`: current
    /// receipts become shares of the holder's stake (created if needed),
    /// older ones credit nothing. Never paused. Signer: holder. Errors:
    /// `ZeroAmount`, `ReceiptMintMismatch`.
    pub fn unwrap(ctx: Context<UnwrapReceipts>, epoch: u64, amount: u64) -> Result<()> {
        UnwrapReceipts::unwrap(ctx, epoch, amount)
    }

    /// Closes an empty stake and returns its rent. Signer: staker.
    /// Errors: `StakeNotEmpty`, `TreasuryStakeNotClosable`.
    pub fn close_stake(ctx: Context<CloseStake>) -> Result<()> {
        CloseStake::close_stake(ctx)
    }

    // ------------------------------------------------------------------- keepers

    /// Sweeps the revenue account into the pool. Signer: anyone.
    /// Errors: `OperationPaused`, `SweepNotDue`.
    pub fn sweep_revenue<'info>(ctx: Context<'info, SweepRevenue<'info>>) -> Result<()> {
        SweepRevenue::sweep_revenue(ctx)
    }

    /// Moves donations (vault balance − A) into revenue. Signer: anyone.
    pub fn sync_vault<'info>(ctx: Context<'info, SyncVault<'info>>) -> Result<()> {
        SyncVault::sync_vault(ctx)
    }

    /// Pays a premium for a market, split between its isolated vault and the
    /// pool's revenue. Signer: payer. Errors: `OperationPaused`,
    /// `IsolatedVaultMismatch`, `MintMismatch`.
    pub fn pay_premium<'info>(ctx: Context<'info, PayPremium<'info>>, amount: u64) -> Result<()> {
        PayPremium::pay_premium(ctx, amount)
    }

    /// Resolves a recorded bankruptcy: insurance up to the cap, the rest
    /// socialised; the record's rent goes to the resolver. Signer: anyone.
    /// Errors: `OperationPaused`, `SettlementMismatch`, `IsolatedVaultMismatch`.
    pub fn resolve_bankruptcy<'info>(
        ctx: Context<'info, ResolveBankruptcy<'info>>,
        debtor: Pubkey,
    ) -> Result<()> {
        ResolveBankruptcy::resolve_bankruptcy(ctx, debtor)
    }

    // ----------------------------------------------------------------- operators

    /// Records a lender's deposit. Signers: market operator, payer.
    /// Errors: `NotOperator`, `OperationPaused`, `MarketFrozen`,
    /// `WrongMarketKind`, `MarketInsolvent`.
    pub fn record_deposit(ctx: Context<RecordDeposit>, owner: Pubkey, amount: u64) -> Result<()> {
        RecordDeposit::record_deposit(ctx, owner, amount)
    }

    /// Records a lender's withdrawal. Signer: market operator.
    /// Errors: `NotOperator`, `OperationPaused`, `MarketFrozen`,
    /// `WrongMarketKind`, `MarketInsolvent`, `WithdrawalAboveBalance`.
    pub fn record_withdrawal(
        ctx: Context<RecordWithdrawal>,
        owner: Pubkey,
        amount: u64,
    ) -> Result<()> {
        RecordWithdrawal::record_withdrawal(ctx, owner, amount)
    }

    /// Sets a perp position's size, settling its owed losses first. Signers:
    /// market operator, payer. Errors: `NotOperator`, `OperationPaused`,
    /// `MarketFrozen`, `WrongMarketKind`.
    pub fn record_position(
        ctx: Context<RecordPosition>,
        owner: Pubkey,
        new_base: i64,
    ) -> Result<()> {
        RecordPosition::record_position(ctx, owner, new_base)
    }

    /// Clears owed losses the operator has charged. Signer: market operator.
    /// Errors: `NotOperator`, `OperationPaused`, `MarketFrozen`,
    /// `WrongMarketKind`, `ClearAboveOwed`.
    pub fn clear_owed(ctx: Context<ClearOwed>, owner: Pubkey, amount: u64) -> Result<()> {
        ClearOwed::clear_owed(ctx, owner, amount)
    }

    /// Records a bankruptcy for `debtor`; `exposure` is the market's total
    /// exposure in `aggregate` mode (0 in `accounts` mode). Signers: market
    /// operator, payer. Errors: `NotOperator`, `OperationPaused`,
    /// `MarketFrozen`, `ZeroDeficit`, `BankruptcyAlreadyOpen`,
    /// `BankruptcyOpen`, `WrongExposureMode`, `ExposureOverflowsIndex`.
    pub fn record_bankruptcy(
        ctx: Context<RecordBankruptcy>,
        debtor: Pubkey,
        deficit: u64,
        exposure: u128,
    ) -> Result<()> {
        RecordBankruptcy::record_bankruptcy(ctx, debtor, deficit, exposure)
    }

    /// Closes an open bankruptcy record of a frozen market with nothing paid
    /// or socialised (the way out of a record written with a stolen operator
    /// key); its rent goes to the operator. Signer: admin. Errors: `NotAdmin`,
    /// `MarketNotFrozen`, `RentRecipientMismatch`.
    pub fn void_bankruptcy(ctx: Context<VoidBankruptcy>, debtor: Pubkey) -> Result<()> {
        VoidBankruptcy::void_bankruptcy(ctx, debtor)
    }
}
