//! One event per state change, with the before/after figures a monitor needs
//! to reconcile (amounts, shares, A, S, indexes).

use anchor_lang::prelude::*;

use crate::state::{ExposureMode, MarketKind, PoolParams};

/// Which delayed field a `ChangeScheduled` or `ChangeCancelled` event is
/// about, whatever its account. Instructions name a field of one account
/// only: [`crate::state::ProtocolField`], [`crate::state::MarketField`].
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeField {
    Guardian,
    Treasury,
    GovernanceDelay,
    Cap,
    Operator,
    Settlement,
    /// A pool's parameters (`set_pool`).
    PoolParams,
}

#[event]
pub struct ProtocolInitialized {
    pub admin: Pubkey,
    pub guardian: Pubkey,
    pub treasury: Pubkey,
    pub governance_delay: u64,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct AdminProposed {
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct AdminAccepted {
    pub old_admin: Pubkey,
    pub new_admin: Pubkey,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

/// A delayed change was stored (or applied at once when `eta ≤ now`).
#[event]
pub struct ChangeScheduled {
    /// The protocol or market account changed.
    pub target: Pubkey,
    pub field: ChangeField,
    pub old_key: Pubkey,
    pub new_key: Pubkey,
    pub old_value: u64,
    pub new_value: u64,
    pub eta: i64,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct ChangeCancelled {
    pub target: Pubkey,
    pub field: ChangeField,
    pub by: Pubkey,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct PauseFlagsChanged {
    pub by: Pubkey,
    pub before: u16,
    pub after: u16,
    /// The protocol's unpaused clock (seconds `complete_unstake` was not
    /// paused) at `ts`.
    pub exit_clock: u64,
    pub ts: i64,
}

#[event]
pub struct PoolCreated {
    pub pool: Pubkey,
    pub mint: Pubkey,
    pub vault: Pubkey,
    pub revenue: Pubkey,
    pub params: PoolParams,
    /// SPL Token or Token-2022.
    pub token_program: Pubkey,
    /// Governance's opt-in to a mint with a permanent delegate.
    pub allow_permanent_delegate: bool,
    /// Governance's opt-in to a mint whose transfer hook has or can get a program.
    pub allow_transfer_hook: bool,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct PoolParamsUpdated {
    pub pool: Pubkey,
    /// The parameters in effect when the change was made.
    pub before: PoolParams,
    /// The parameters that take effect at `eta`.
    pub after: PoolParams,
    pub eta: i64,
    /// Whether they took effect at once (a governance delay of 0).
    pub applied: bool,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct Staked {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub shares: u128,
    pub stake_shares_after: u128,
    pub assets_before: u64,
    pub assets_after: u64,
    pub total_shares_before: u128,
    pub total_shares_after: u128,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct UnstakeRequested {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub shares: u128,
    pub value: u64,
    pub requested_at: i64,
    pub unlocks_at: i64,
    /// The terms the request keeps: the cooldown and window in effect, and
    /// the pool's exit clock when it was made.
    pub cooldown: u64,
    pub window: u64,
    pub exit_clock: u64,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct UnstakeCancelled {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub shares: u128,
    pub recorded_value: u64,
    pub shares_burnt: u128,
    pub stake_shares_after: u128,
    pub total_shares_before: u128,
    pub total_shares_after: u128,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct UnstakeCompleted {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub shares: u128,
    pub recorded_value: u64,
    pub paid: u64,
    pub assets_before: u64,
    pub assets_after: u64,
    pub total_shares_before: u128,
    pub total_shares_after: u128,
    /// Assets moved to revenue because the pool's shares reached 0.
    pub moved_to_revenue: u64,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct StakeClosed {
    pub pool: Pubkey,
    pub owner: Pubkey,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct RevenueSwept {
    pub pool: Pubkey,
    pub revenue_before: u64,
    /// `H` before and after: staker revenue already cut, waiting for the cap.
    pub held_back_before: u64,
    pub held_back_after: u64,
    pub protocol_amount: u64,
    pub treasury_shares: u128,
    pub staker_amount: u64,
    pub assets_before: u64,
    pub assets_after: u64,
    pub total_shares_before: u128,
    pub total_shares_after: u128,
    pub elapsed: i64,
    pub ts: i64,
}

#[event]
pub struct VaultSynced {
    pub pool: Pubkey,
    pub vault_balance_before: u64,
    pub moved_to_revenue: u64,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

/// `sync_vault` found the vault short of A (a permanent delegate took
/// tokens) and wrote A down to the vault balance: a loss to the stakers.
#[event]
pub struct VaultWrittenDown {
    pub pool: Pubkey,
    pub vault_balance: u64,
    pub assets_before: u64,
    pub assets_after: u64,
    pub total_shares_before: u128,
    pub total_shares_after: u128,
    pub wiped_out: bool,
    pub ts: i64,
}

#[event]
pub struct PoolWipedOut {
    pub pool: Pubkey,
    pub epoch_after: u32,
    pub total_shares_before: u128,
    pub moved_to_revenue: u64,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct PayoutProposed {
    pub pool: Pubkey,
    pub id: u64,
    pub recipient: Pubkey,
    pub amount: u64,
    pub eta: i64,
    /// From this time on the payout can never execute.
    pub expires_at: i64,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct PayoutExecuted {
    pub pool: Pubkey,
    pub id: u64,
    pub recipient: Pubkey,
    pub amount: u64,
    pub paid: u64,
    pub assets_before: u64,
    pub assets_after: u64,
    pub total_shares_after: u128,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct PayoutCancelled {
    pub pool: Pubkey,
    pub id: u64,
    pub by: Pubkey,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct MarketCreated {
    pub market: Pubkey,
    pub index: u16,
    pub kind: MarketKind,
    pub mint: Pubkey,
    pub operator: Pubkey,
    pub settlement: Pubkey,
    pub cap_requested: u64,
    pub cap_eta: i64,
    pub isolated: bool,
    pub isolated_share_bps: u16,
    pub exposure_mode: ExposureMode,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

/// The admin froze or unfroze a market (operator records refused while frozen).
#[event]
pub struct MarketFrozenChanged {
    pub market: Pubkey,
    pub by: Pubkey,
    pub frozen_before: bool,
    pub frozen_after: bool,
    pub ts: i64,
}

/// A resolution took a lending market's deposit index to 0.
#[event]
pub struct MarketInsolvent {
    pub market: Pubkey,
    pub debtor: Pubkey,
    pub socialised: u64,
    pub unrecovered: u64,
    pub ts: i64,
}

#[event]
pub struct PremiumPaid {
    pub market: Pubkey,
    pub payer: Pubkey,
    pub amount: u64,
    pub to_isolated_vault: u64,
    pub to_revenue: u64,
    pub isolated_assets_after: u64,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct DepositRecorded {
    pub market: Pubkey,
    pub lender: Pubkey,
    pub amount: u64,
    pub scaled: u128,
    pub lender_scaled_after: u128,
    pub total_scaled_after: u128,
    pub deposit_index: u128,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct WithdrawalRecorded {
    pub market: Pubkey,
    pub lender: Pubkey,
    pub amount: u64,
    pub scaled: u128,
    pub lender_scaled_after: u128,
    pub total_scaled_after: u128,
    pub deposit_index: u128,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct PositionRecorded {
    pub market: Pubkey,
    pub owner: Pubkey,
    pub base_before: i64,
    pub base_after: i64,
    pub owed_settled: u64,
    pub owed_after: u64,
    pub open_interest_before: u128,
    pub open_interest_after: u128,
    pub loss_index: u128,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct OwedCleared {
    pub market: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub owed_after: u64,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct BankruptcyRecorded {
    pub market: Pubkey,
    pub debtor: Pubkey,
    pub deficit: u64,
    /// `aggregate` markets: the total exposure resolution will use.
    pub exposure: u128,
    pub recorded_at: i64,
    /// Open records on the pool that insures the market, after this one
    /// (its exits wait while any is open; isolated markets do not count).
    pub pool_open_records_after: u32,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

#[event]
pub struct BankruptcyResolved {
    pub market: Pubkey,
    pub debtor: Pubkey,
    pub resolver: Pubkey,
    pub deficit: u64,
    pub paid: u64,
    pub socialised: u64,
    pub unrecovered: u64,
    pub index_before: u128,
    pub index_after: u128,
    pub source_assets_before: u64,
    pub source_assets_after: u64,
    pub insurance_used_after: u64,
    pub cap: u64,
    pub exposure_mode: ExposureMode,
    /// The record's exposure (`aggregate` mode; 0 otherwise). A host applies
    /// `index_after / index_before` (lending) or `index_after − index_before`
    /// (perp) to its own accounts.
    pub exposure: u128,
    pub ts: i64,
}

/// The admin voided a bankruptcy record of a frozen market: nothing was paid
/// or socialised; the record's rent went to the operator.
#[event]
pub struct BankruptcyVoided {
    pub market: Pubkey,
    pub debtor: Pubkey,
    pub deficit: u64,
    pub exposure: u128,
    pub admin: Pubkey,
    pub rent_to: Pubkey,
    pub market_open_records_after: u32,
    pub pool_open_records_after: u32,
    pub ts: i64,
}

/// A pool's receipt mint of its current epoch was created, by
/// `create_receipt_mint` or by the epoch's first `wrap`.
#[event]
pub struct ReceiptMintCreated {
    pub pool: Pubkey,
    pub receipt_mint: Pubkey,
    pub epoch: u32,
    /// Who paid its rent.
    pub payer: Pubkey,
    /// The lamports it holds: its rent, the metadata included.
    pub rent: u64,
    pub ts: i64,
}

/// Shares of a stake became receipt tokens of the current epoch.
#[event]
pub struct SharesWrapped {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub receipt_mint: Pubkey,
    pub epoch: u32,
    pub shares: u128,
    /// Cost basis that left the stake with the shares.
    pub cost_basis_moved: u64,
    pub stake_shares_after: u128,
    pub wrapped_before: u64,
    pub wrapped_after: u64,
    /// Whether this wrap created the epoch's receipt mint.
    pub mint_created: bool,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}

/// Receipt tokens were burnt: current-epoch receipts became shares of the
/// holder's stake; receipts of an older epoch were worth nothing and credit
/// nothing (`credited` = 0).
#[event]
pub struct ReceiptsUnwrapped {
    pub pool: Pubkey,
    pub holder: Pubkey,
    pub receipt_mint: Pubkey,
    pub epoch: u32,
    pub amount: u64,
    pub credited: u128,
    pub stake_shares_after: u128,
    pub wrapped_before: u64,
    pub wrapped_after: u64,
    /// When it happened: the cluster's unix time.
    pub ts: i64,
}
