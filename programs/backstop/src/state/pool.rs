use anchor_lang::prelude::*;

use super::pending::Pending;
use crate::constants::*;
use crate::errors::{BackstopError, OrMathError};
use crate::math::shares::{
    cancel_forfeit_shares_ceil, is_wiped_out, shares_for_amount_floor, unstake_payout_floor,
    value_of_shares_floor,
};
use crate::math::sweep::{protocol_part_floor, staker_revenue_limit_floor};

/// One insurance pool per asset, `["pool", mint]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Pool {
    pub version: u8,
    pub bump: u8,
    pub vault_bump: u8,
    pub revenue_bump: u8,
    pub decimals: u8,
    pub mint: Pubkey,
    /// Token account `["vault", pool]` holding the insurance assets.
    pub vault: Pubkey,
    /// Token account `["revenue", pool]` collecting fees before a sweep.
    pub revenue: Pubkey,
    /// `A`: the pool's own count of insurance assets (≤ vault balance).
    pub assets: u64,
    /// `S`: total shares of the current epoch.
    pub total_shares: u128,
    /// Bumped by each wipe-out; stakes of an older epoch hold nothing.
    pub epoch: u32,
    pub params: PoolParams,
    pub last_sweep_ts: i64,
    /// Id the next proposed payout gets.
    pub next_payout_id: u64,
    /// `H`: staker revenue already cut that waits in `revenue` for the APR cap.
    pub held_back: u64,
    /// The mint's token program (SPL Token or Token-2022); the vault and
    /// revenue accounts belong to it.
    pub token_program: Pubkey,
    /// Governance opted in to a mint with a permanent delegate at creation.
    pub allow_permanent_delegate: bool,
    /// Governance opted in to a mint whose transfer hook has (or can be
    /// given) a program; every transfer then carries the hook's accounts.
    pub allow_transfer_hook: bool,
    /// A parameter change waiting `governance_delay` (docs/protocol.md §3).
    pub pending_params: Pending<PoolParams>,
    /// Open bankruptcy records on the markets this pool insures (isolated
    /// markets excepted); while any is open, exits are refused (`LossPending`).
    pub open_records: u32,
    /// The pool's exit clock at its last checkpoint: seconds during which its
    /// exits were not blocked (docs/protocol.md §4).
    pub exit_clock: u64,
    /// The protocol's unpaused clock at that checkpoint; the pool's clock runs
    /// with it while no record is open.
    pub exit_clock_ref: u64,
    /// Shares held as receipt tokens of the current epoch.
    pub wrapped: u64,
    pub reserved: [u8; 32],
}

/// The size of a [`Pool`] account with its discriminator, in bytes.
pub const POOL_ACCOUNT_SIZE: usize = 8 + Pool::INIT_SPACE;
const _: () = assert!(POOL_ACCOUNT_SIZE == 360);

/// What a sweep did, for the caller's token transfer and event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SweepOutcome {
    /// Tokens turned into treasury shares.
    pub protocol_amount: u64,
    /// Shares minted to the treasury's stake.
    pub treasury_shares: u128,
    /// Tokens added to A for stakers.
    pub staker_amount: u64,
    /// Staker revenue left waiting in `revenue` after the sweep (`H`).
    pub held_back: u64,
}

impl SweepOutcome {
    /// Tokens to move from `revenue` into the vault.
    pub fn moved(&self) -> u64 {
        self.protocol_amount + self.staker_amount
    }
}

/// What a payout out of the pool did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PayOutcome {
    pub paid: u64,
    /// Whether the wipe-out rule fired.
    pub wiped: bool,
    /// Assets moved from the vault to `revenue` by a wipe-out; they join
    /// `held_back`.
    pub to_revenue: u64,
}

/// Governance's per-pool opt-ins to mint extensions, fixed at creation.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MintOptIns {
    /// A permanent delegate (it could take the fund's tokens).
    pub permanent_delegate: bool,
    /// A transfer hook with a program or an authority that can set one.
    pub transfer_hook: bool,
}

/// The addresses and bumps a new pool records.
#[derive(Debug, Clone, Copy)]
pub struct PoolAccounts {
    pub mint: Pubkey,
    pub decimals: u8,
    pub token_program: Pubkey,
    pub vault: Pubkey,
    pub revenue: Pubkey,
    pub bump: u8,
    pub vault_bump: u8,
    pub revenue_bump: u8,
}

impl Pool {
    /// An empty pool created at `now` (its first sweep is due one interval later).
    pub fn new(
        accounts: PoolAccounts,
        params: PoolParams,
        opt_ins: MintOptIns,
        now: i64,
        protocol_exit_clock: u64,
    ) -> Pool {
        Pool {
            version: ACCOUNT_VERSION,
            bump: accounts.bump,
            vault_bump: accounts.vault_bump,
            revenue_bump: accounts.revenue_bump,
            decimals: accounts.decimals,
            mint: accounts.mint,
            vault: accounts.vault,
            revenue: accounts.revenue,
            assets: 0,
            total_shares: 0,
            epoch: 0,
            params,
            last_sweep_ts: now,
            next_payout_id: 0,
            held_back: 0,
            token_program: accounts.token_program,
            allow_permanent_delegate: opt_ins.permanent_delegate,
            allow_transfer_hook: opt_ins.transfer_hook,
            pending_params: Pending::default(),
            open_records: 0,
            exit_clock: 0,
            exit_clock_ref: protocol_exit_clock,
            wrapped: 0,
            reserved: [0; 32],
        }
    }

    /// Governance's opt-ins to mint extensions, fixed at creation.
    pub fn opt_ins(&self) -> MintOptIns {
        MintOptIns {
            permanent_delegate: self.allow_permanent_delegate,
            transfer_hook: self.allow_transfer_hook,
        }
    }

    /// The parameters in effect at `now` (a pending change counts once due).
    pub fn params_at(&self, now: i64) -> PoolParams {
        self.pending_params.effective(self.params, now)
    }

    /// Moves a due parameter change into `params`; returns whether it did.
    pub fn apply_due_changes(&mut self, now: i64) -> bool {
        self.pending_params.apply(&mut self.params, now)
    }

    /// `set_pool`: the named values over those in effect, waiting until `eta`
    /// (replacing any pending change). Returns (in effect, scheduled).
    pub fn schedule_params(
        &mut self,
        update: &PoolParamsUpdate,
        now: i64,
        eta: i64,
    ) -> Result<(PoolParams, PoolParams)> {
        self.apply_due_changes(now);
        let before = self.params;
        let after = update.applied_to(&before);
        after.validate()?;
        self.pending_params.schedule(after, eta);
        self.apply_due_changes(now);
        Ok((before, after))
    }

    /// The pool's exit clock now, given the protocol's unpaused clock now: it
    /// stands still while a record is open, and otherwise runs with the
    /// protocol's clock (which stands still while `complete_unstake` is paused).
    pub fn exit_clock_at(&self, protocol_exit_clock: u64) -> u64 {
        backstop_core::exit::pool_exit_clock_at(
            self.open_records,
            self.exit_clock,
            self.exit_clock_ref,
            protocol_exit_clock,
        )
    }

    /// A bankruptcy record opened on a market this pool insures: exits wait
    /// for its resolution, and the exit clock stops.
    pub fn open_record(&mut self, protocol_exit_clock: u64) -> Result<()> {
        if self.open_records == 0 {
            self.exit_clock = self.exit_clock_at(protocol_exit_clock);
        }
        self.open_records = self.open_records.checked_add(1).or_math()?;
        Ok(())
    }

    /// A record closed (resolved or voided): when none is left, the exit
    /// clock runs again from where it stopped.
    pub fn close_record(&mut self, protocol_exit_clock: u64) -> Result<()> {
        self.open_records = self.open_records.checked_sub(1).or_math()?;
        if self.open_records == 0 {
            self.exit_clock_ref = protocol_exit_clock;
        }
        Ok(())
    }

    /// `propose_payout`: the id of the new payout; the next one gets id + 1.
    pub fn take_payout_id(&mut self) -> Result<u64> {
        let id = self.next_payout_id;
        self.next_payout_id = id.checked_add(1).or_math()?;
        Ok(id)
    }

    /// Exits wait while a loss is recorded but not yet resolved.
    pub fn require_no_loss_pending(&self) -> Result<()> {
        if planted!(LossPendingSkipped) {
            return Ok(());
        }
        require!(self.open_records == 0, BackstopError::LossPending);
        Ok(())
    }

    /// Stakers' assets that leave A for `revenue` (emptying, wipe-out) join
    /// `held_back`, so the treasury never cuts them: `H = min(H, R) + left`,
    /// with `R` the revenue balance before they arrive.
    pub fn hold_back_leftover(&mut self, revenue_before: u64, leftover: u64) -> Result<()> {
        if leftover > 0 {
            self.held_back = self
                .held_back
                .min(revenue_before)
                .checked_add(leftover)
                .or_math()?;
        }
        Ok(())
    }

    /// Whether `stake` and `request_unstake` sweep first: a sweep is due, or
    /// fresh revenue waits (R > H), so nobody buys into revenue that arrived
    /// before them.
    pub fn inline_sweep_needed(&self, now: i64, revenue: u64) -> bool {
        self.sweep_due(now) || revenue > self.held_back
    }

    /// Seeds of the pool PDA, which signs for its vault and revenue accounts.
    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        [
            POOL_SEED,
            self.mint.as_ref(),
            core::slice::from_ref(&self.bump),
        ]
    }

    pub fn shares_for(&self, amount: u64) -> Result<u128> {
        shares_for_amount_floor(amount, self.assets, self.total_shares).or_math()
    }

    pub fn value_of(&self, shares: u128) -> Result<u64> {
        value_of_shares_floor(shares, self.assets, self.total_shares).or_math()
    }

    pub fn sweep_due(&self, now: i64) -> bool {
        let interval = i64::try_from(self.params_at(now).sweep_interval).unwrap_or(i64::MAX);
        now >= self.last_sweep_ts.saturating_add(interval)
    }

    /// docs/protocol.md §5 (the revenue sweep), given the revenue balance `R`.
    /// The stakers' part moves first; the treasury's shares are minted at the
    /// price after it, so the treasury receives exactly `P` and none of `y`.
    /// Staker revenue the APR cap holds back stays in `held_back`, already cut.
    /// Updates `A`, `S`, `held_back` and `last_sweep_ts`; the caller credits
    /// `treasury_shares` to the treasury's stake and moves `moved()` tokens
    /// into the vault.
    pub fn sweep(&mut self, now: i64, revenue: u64) -> Result<SweepOutcome> {
        self.apply_due_changes(now);
        let elapsed = u64::try_from(now.saturating_sub(self.last_sweep_ts)).unwrap_or(0);
        let held_back = self.held_back.min(revenue);
        let fresh = revenue - held_back;
        let protocol_part = protocol_part_floor(fresh, self.params.protocol_cut_bps).or_math()?;
        let mut waiting = fresh - protocol_part + held_back;

        // 1. The stakers' part, up to the APR limit (nothing while S = 0).
        let staker_amount = if self.total_shares > 0 {
            let limit = staker_revenue_limit_floor(self.assets, self.params.max_apr_bps, elapsed)
                .or_math()?;
            waiting.min(limit)
        } else {
            0
        };
        // the planted bug prices the treasury's shares before step 1
        let early_price = if planted!(TreasuryCutFirst) {
            self.shares_for(protocol_part)?
        } else {
            0
        };
        self.assets = self.assets.checked_add(staker_amount).or_math()?;

        // 2. The protocol's part, at the price after step 1.
        let treasury_shares = if planted!(TreasuryCutFirst) {
            early_price
        } else {
            self.shares_for(protocol_part)?
        };
        let protocol_amount = if treasury_shares > 0 {
            self.assets = self.assets.checked_add(protocol_part).or_math()?;
            self.total_shares = self.total_shares.checked_add(treasury_shares).or_math()?;
            protocol_part
        } else {
            // Nothing minted: P joins the stakers' waiting part, never cut again.
            waiting = waiting.checked_add(protocol_part).or_math()?;
            0
        };

        // 3. What the cap held back waits in `revenue` for later sweeps.
        self.held_back = waiting - staker_amount;
        self.last_sweep_ts = now;
        Ok(SweepOutcome {
            protocol_amount,
            treasury_shares,
            staker_amount,
            held_back: self.held_back,
        })
    }

    /// `stake(amount)`: the shares bought, after `A += amount, S += n`. A
    /// zero amount is refused by `stake`'s validate (`ZeroAmount`) and could
    /// not pass here anyway: `min_stake` is at least 1.
    pub fn deposit(&mut self, amount: u64) -> Result<u128> {
        require!(
            amount >= self.params.min_stake,
            BackstopError::BelowMinStake
        );
        let shares = if planted!(SharesRoundedUp) && self.total_shares > 0 {
            crate::math::full_math::mul_div_ceil(
                amount as u128,
                self.total_shares,
                self.assets as u128,
            )
            .or_math()?
        } else {
            self.shares_for(amount)?
        };
        require!(shares > 0, BackstopError::ZeroShares);
        self.assets = self.assets.checked_add(amount).or_math()?;
        self.total_shares = self.total_shares.checked_add(shares).or_math()?;
        Ok(shares)
    }

    /// `complete_unstake`: burns `shares`, pays `min(recorded, value_of(n))`.
    /// Returns (payout, assets moved to revenue because S reached 0, which
    /// join `held_back`); `revenue` is the revenue balance before.
    pub fn withdraw(
        &mut self,
        shares: u128,
        recorded_value: u64,
        revenue: u64,
    ) -> Result<(u64, u64)> {
        let payout = unstake_payout_floor(shares, recorded_value, self.assets, self.total_shares)
            .or_math()?;
        self.total_shares = self.total_shares.checked_sub(shares).or_math()?;
        self.assets = self.assets.checked_sub(payout).or_math()?;
        let left = self.empty_if_no_shares();
        self.hold_back_leftover(revenue, left)?;
        Ok((payout, left))
    }

    /// `cancel_unstake`: burns the gains made during the cooldown; returns the
    /// shares burnt.
    pub fn forfeit_on_cancel(&mut self, shares: u128, recorded_value: u64) -> Result<u128> {
        let burnt =
            cancel_forfeit_shares_ceil(shares, recorded_value, self.assets, self.total_shares)
                .or_math()?;
        self.total_shares = self.total_shares.checked_sub(burnt).or_math()?;
        Ok(burnt)
    }

    /// When S is 0, any remaining A goes to the revenue pool so the next staker
    /// never receives someone else's leftovers. Returns the amount moved.
    pub fn empty_if_no_shares(&mut self) -> u64 {
        if self.total_shares == 0 && self.assets > 0 {
            let left = self.assets;
            self.assets = 0;
            left
        } else {
            0
        }
    }

    /// Nothing is paid from, priced against or added to a vault that holds
    /// less than A: every instruction of the pool but `sync_vault` refuses.
    pub fn require_no_shortfall(&self, vault_balance: u64) -> Result<()> {
        require!(vault_balance >= self.assets, BackstopError::VaultShortfall);
        Ok(())
    }

    /// `sync_vault` on a short vault: writes A down to the vault balance, a
    /// loss to the stakers like a payout, then the wipe-out rule. `None` when
    /// the vault is not short.
    pub fn write_down(&mut self, vault_balance: u64, revenue: u64) -> Result<Option<PayOutcome>> {
        if vault_balance >= self.assets {
            return Ok(None);
        }
        self.pay_out(self.assets - vault_balance, revenue).map(Some)
    }

    /// Pays up to `amount` out of A (bankruptcy or compensation), then applies
    /// the wipe-out rule; what a wipe-out leaves joins `held_back` (`revenue`
    /// is the revenue balance before).
    pub fn pay_out(&mut self, amount: u64, revenue: u64) -> Result<PayOutcome> {
        let paid = amount.min(self.assets);
        self.assets -= paid;
        let mut outcome = PayOutcome {
            paid,
            ..PayOutcome::default()
        };
        if is_wiped_out(self.assets, self.total_shares) {
            self.epoch = self.epoch.checked_add(1).or_math()?;
            self.total_shares = 0;
            // receipts of the old epoch hold nothing, like its stakes
            self.wrapped = 0;
            outcome.wiped = true;
            outcome.to_revenue = self.assets;
            self.assets = 0;
            self.hold_back_leftover(revenue, outcome.to_revenue)?;
        }
        Ok(outcome)
    }

    /// Checked at the end of every handler that touches the pool: the vault
    /// holds at least A, and S = 0 ⇒ A = 0.
    pub fn invariant(&self, vault_balance: u64) -> Result<()> {
        require!(
            vault_balance >= self.assets,
            BackstopError::InvariantViolated
        );
        self.ledger_invariant()
    }

    /// The part of [`Pool::invariant`] that needs no token account: S = 0
    /// ⇒ A = 0, and the shares held as receipts are part of S.
    pub fn ledger_invariant(&self) -> Result<()> {
        require!(
            (self.total_shares > 0 || self.assets == 0)
                && u128::from(self.wrapped) <= self.total_shares,
            BackstopError::InvariantViolated
        );
        Ok(())
    }
}

mod params;
mod receipts;
pub use params::{PoolParams, PoolParamsUpdate};
#[cfg(test)]
mod tests;
