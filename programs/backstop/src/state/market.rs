use anchor_lang::prelude::*;

use super::pending::Pending;
use crate::constants::{INDEX_SCALE, MARKET_SEED};
use crate::errors::{BackstopError, OrMathError};
use crate::events::ChangeField;
use crate::math::lending::{
    balance_floor, scaled_for_deposit_floor, scaled_for_withdrawal_ceil, total_deposits_floor,
};
use crate::math::perp::{loss_index_increase_ceil, open_interest_after, owed_since_snapshot_ceil};
use crate::math::premium::isolated_premium_floor;
use crate::math::waterfall::{LossBearers, share_loss};

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarketKind {
    /// Losses are socialised against lenders through the deposit index.
    Lending,
    /// Losses are socialised against open positions through the loss index.
    Perp,
}

/// A delayed field of a market (`cancel_market_change`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarketField {
    Cap,
    Operator,
    Settlement,
}

impl From<MarketField> for ChangeField {
    fn from(field: MarketField) -> ChangeField {
        match field {
            MarketField::Cap => ChangeField::Cap,
            MarketField::Operator => ChangeField::Operator,
            MarketField::Settlement => ChangeField::Settlement,
        }
    }
}

/// A market's solvency. Freezing is a separate flag ([`Market::frozen`]), so
/// that turning insolvent can never lift a freeze.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarketStatus {
    Active,
    /// The deposit index reached 0: lenders have lost everything.
    Insolvent,
}

/// Where a market's exposure is kept (docs/protocol.md §6), fixed at creation.
#[derive(
    AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq,
)]
pub enum ExposureMode {
    /// Backstop keeps a record per lender and per position.
    #[default]
    Accounts,
    /// The host keeps its own ledger; each bankruptcy record carries the
    /// market's total exposure (deposits or open interest) at that moment.
    Aggregate,
}

/// A market of the host protocol, `["market", index u16 LE]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Market {
    pub version: u8,
    pub bump: u8,
    pub index: u16,
    pub kind: MarketKind,
    pub status: MarketStatus,
    /// The pool of the market's asset.
    pub pool: Pubkey,
    pub mint: Pubkey,
    /// The only signer that may write this market's exposure ledger.
    pub operator: Pubkey,
    pub pending_operator: Pending<Pubkey>,
    /// Token account receiving insurance payouts (the host's market vault).
    pub settlement: Pubkey,
    pub pending_settlement: Pending<Pubkey>,
    /// Most insurance this market may ever receive; `u64::MAX` = unlimited.
    pub cap: u64,
    pub pending_cap: Pending<u64>,
    /// Insurance paid to this market so far.
    pub insurance_used: u64,
    /// An isolated market is insured only by its own vault, never the pool.
    pub isolated: bool,
    pub isolated_share_bps: u16,
    pub isolated_vault: Pubkey,
    pub isolated_vault_bump: u8,
    pub isolated_assets: u64,
    /// Lending: deposit index `I` (10¹⁸ scale, starts at 10¹⁸).
    pub deposit_index: u128,
    /// Lending: total scaled deposits `T`.
    pub total_scaled: u128,
    /// Perp: cumulative loss per unit of base `K` (10¹⁸ scale).
    pub loss_index: u128,
    /// Perp: open interest `Σ|base|`.
    pub open_interest: u128,
    /// Losses charged to lenders or positions.
    pub socialised: u64,
    /// Losses nobody was left to bear.
    pub unrecovered: u64,
    /// Bankruptcy records open in this market.
    pub open_bankruptcies: u32,
    /// Set by the admin; refuses every operator record, whatever the solvency.
    pub frozen: bool,
    pub exposure_mode: ExposureMode,
    /// The pool's token program; the settlement and isolated vault belong to it.
    pub token_program: Pubkey,
    pub reserved: [u8; 30],
}

/// What governance decides when it creates a market.
#[derive(Debug, Clone, Copy)]
pub struct MarketConfig {
    pub index: u16,
    pub kind: MarketKind,
    pub exposure_mode: ExposureMode,
    pub pool: Pubkey,
    pub mint: Pubkey,
    pub token_program: Pubkey,
    pub operator: Pubkey,
    pub settlement: Pubkey,
    /// `Some` for an isolated market: insured only by its own vault.
    pub isolation: Option<Isolation>,
}

/// An isolated market's own insurance (docs/protocol.md §6): its share of
/// each premium and the vault that holds it. Stored in the market as fixed
/// fields (`isolated`, `isolated_*`, 0 when not isolated) so that every field
/// keeps its offset; read it as [`Market::isolation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Isolation {
    pub share_bps: u16,
    pub vault: Pubkey,
    pub vault_bump: u8,
}

/// How `pay_premium` splits a premium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PremiumSplit {
    pub to_isolated_vault: u64,
    pub to_revenue: u64,
}

/// How `resolve_bankruptcy` split a deficit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LossOutcome {
    pub socialised: u64,
    pub unrecovered: u64,
}

impl Market {
    /// A new market with no cap yet (creating raises it from 0 through
    /// [`Market::set_cap`]), an index of 10¹⁸ and no exposure.
    /// The market's own insurance, when it is isolated.
    pub fn isolation(&self) -> Option<Isolation> {
        self.isolated.then_some(Isolation {
            share_bps: self.isolated_share_bps,
            vault: self.isolated_vault,
            vault_bump: self.isolated_vault_bump,
        })
    }

    pub fn new(config: MarketConfig, bump: u8) -> Market {
        Market {
            version: crate::constants::ACCOUNT_VERSION,
            bump,
            index: config.index,
            kind: config.kind,
            status: MarketStatus::Active,
            pool: config.pool,
            mint: config.mint,
            operator: config.operator,
            pending_operator: Pending::default(),
            settlement: config.settlement,
            pending_settlement: Pending::default(),
            cap: 0,
            pending_cap: Pending::default(),
            insurance_used: 0,
            isolated: config.isolation.is_some(),
            isolated_share_bps: config.isolation.map_or(0, |i| i.share_bps),
            isolated_vault: config.isolation.map_or(Pubkey::default(), |i| i.vault),
            isolated_vault_bump: config.isolation.map_or(0, |i| i.vault_bump),
            isolated_assets: 0,
            deposit_index: INDEX_SCALE,
            total_scaled: 0,
            loss_index: 0,
            open_interest: 0,
            socialised: 0,
            unrecovered: 0,
            open_bankruptcies: 0,
            frozen: false,
            exposure_mode: config.exposure_mode,
            token_program: config.token_program,
            reserved: [0; 30],
        }
    }

    /// Seeds of the market PDA, which signs for its isolated vault.
    pub fn signer_seeds<'a>(&'a self, index_le: &'a [u8; 2]) -> [&'a [u8]; 3] {
        [MARKET_SEED, index_le, core::slice::from_ref(&self.bump)]
    }

    /// `record_bankruptcy`: an `aggregate` market holds one open record at a
    /// time (its exposure is a snapshot; two records priced on it would
    /// socialise more than the exposure).
    pub fn require_record_slot(&self) -> Result<()> {
        require!(
            self.exposure_mode != ExposureMode::Aggregate || self.open_bankruptcies == 0,
            BackstopError::BankruptcyOpen
        );
        Ok(())
    }

    /// A bankruptcy record opened on this market.
    pub fn open_record(&mut self) -> Result<()> {
        self.open_bankruptcies = self.open_bankruptcies.checked_add(1).or_math()?;
        Ok(())
    }

    /// A bankruptcy record closed (resolved or voided).
    pub fn close_record(&mut self) -> Result<()> {
        self.open_bankruptcies = self.open_bankruptcies.checked_sub(1).or_math()?;
        Ok(())
    }

    /// Per-account records exist only in `accounts` mode.
    pub fn require_accounts_mode(&self) -> Result<()> {
        require!(
            self.exposure_mode == ExposureMode::Accounts,
            BackstopError::WrongExposureMode
        );
        Ok(())
    }

    /// The exposure a bankruptcy record carries: the market's total in
    /// `aggregate` mode, and nothing (0) in `accounts` mode.
    pub fn require_exposure_fits_mode(&self, exposure: u128) -> Result<()> {
        require!(
            self.exposure_mode == ExposureMode::Aggregate || exposure == 0,
            BackstopError::WrongExposureMode
        );
        Ok(())
    }

    /// Refuses a record whose resolution could not be computed: in an
    /// `aggregate` perp market, an exposure so small for the deficit that the
    /// loss index would overflow.
    pub fn require_resolvable(&self, deficit: u64, exposure: u128) -> Result<()> {
        if self.exposure_mode == ExposureMode::Aggregate
            && self.kind == MarketKind::Perp
            && exposure > 0
        {
            let fits = loss_index_increase_ceil(deficit, exposure)
                .ok()
                .and_then(|increase| self.loss_index.checked_add(increase))
                .is_some();
            require!(fits, BackstopError::ExposureOverflowsIndex);
        }
        Ok(())
    }

    pub fn apply_due_changes(&mut self, now: i64) {
        self.pending_cap.apply(&mut self.cap, now);
        self.pending_operator.apply(&mut self.operator, now);
        self.pending_settlement.apply(&mut self.settlement, now);
    }

    pub fn cap_at(&self, now: i64) -> u64 {
        self.pending_cap.effective(self.cap, now)
    }

    pub fn operator_at(&self, now: i64) -> Pubkey {
        self.pending_operator.effective(self.operator, now)
    }

    pub fn settlement_at(&self, now: i64) -> Pubkey {
        self.pending_settlement.effective(self.settlement, now)
    }

    pub fn require_kind(&self, kind: MarketKind) -> Result<()> {
        require!(self.kind == kind, BackstopError::WrongMarketKind);
        Ok(())
    }

    /// Operator records are refused while the market is frozen.
    pub fn require_not_frozen(&self) -> Result<()> {
        require!(!self.frozen, BackstopError::MarketFrozen);
        Ok(())
    }

    /// Lending deposits and withdrawals need a live index.
    pub fn require_solvent(&self) -> Result<()> {
        require!(self.deposit_index > 0, BackstopError::MarketInsolvent);
        Ok(())
    }

    /// Sets the cap. At or below the cap in effect: at once, dropping a pending
    /// raise. Above it: a raise that waits until `eta`.
    pub fn set_cap(&mut self, cap: u64, now: i64, eta: i64) -> Result<()> {
        require!(
            cap >= self.insurance_used,
            BackstopError::CapBelowInsuranceUsed
        );
        self.apply_due_changes(now);
        if cap <= self.cap {
            self.cap = cap;
            self.pending_cap.clear();
        } else {
            self.pending_cap.schedule(cap, eta);
            self.apply_due_changes(now);
        }
        Ok(())
    }

    /// record_deposit: returns the scaled units credited.
    pub fn deposit(&mut self, amount: u64) -> Result<u128> {
        self.require_kind(MarketKind::Lending)?;
        self.require_solvent()?;
        let scaled = scaled_for_deposit_floor(amount, self.deposit_index).or_math()?;
        self.total_scaled = self.total_scaled.checked_add(scaled).or_math()?;
        Ok(scaled)
    }

    /// record_withdrawal: returns the scaled units removed.
    pub fn withdraw(&mut self, amount: u64, lender_scaled: u128) -> Result<u128> {
        self.require_kind(MarketKind::Lending)?;
        self.require_solvent()?;
        let balance = balance_floor(lender_scaled, self.deposit_index).or_math()?;
        require!(amount <= balance, BackstopError::WithdrawalAboveBalance);
        let scaled =
            scaled_for_withdrawal_ceil(amount, self.deposit_index, lender_scaled).or_math()?;
        self.total_scaled = self.total_scaled.checked_sub(scaled).or_math()?;
        Ok(scaled)
    }

    /// record_position: settles what the position owes at the current `K`,
    /// then moves open interest. Returns the newly settled owed amount.
    pub fn move_position(&mut self, position: &mut super::Position, new_base: i64) -> Result<u64> {
        self.require_kind(MarketKind::Perp)?;
        let settled = self.settle_position(position)?;
        self.open_interest =
            open_interest_after(self.open_interest, position.base, new_base).or_math()?;
        position.base = new_base;
        Ok(settled)
    }

    /// Charges a position for losses since its snapshot.
    pub fn settle_position(&self, position: &mut super::Position) -> Result<u64> {
        let owed = owed_since_snapshot_ceil(position.base, self.loss_index, position.loss_snapshot)
            .or_math()?;
        position.owed = position.owed.checked_add(owed).or_math()?;
        position.loss_snapshot = self.loss_index;
        Ok(owed)
    }

    /// docs/protocol.md §7 step 3: socialises `loss` against lenders or
    /// positions. `recorded_exposure` is the bankruptcy record's exposure,
    /// used in `aggregate` mode as the deposits `D` or the open interest.
    pub fn socialise(&mut self, loss: u64, recorded_exposure: u128) -> Result<LossOutcome> {
        let aggregate = self.exposure_mode == ExposureMode::Aggregate;
        let bearers = match self.kind {
            MarketKind::Lending => LossBearers::Lenders {
                deposits: if aggregate {
                    recorded_exposure
                } else {
                    total_deposits_floor(self.total_scaled, self.deposit_index).or_math()?
                },
                deposit_index: self.deposit_index,
            },
            MarketKind::Perp => LossBearers::Positions {
                open_interest: if aggregate {
                    recorded_exposure
                } else {
                    self.open_interest
                },
            },
        };
        let share = share_loss(loss, bearers).or_math()?;
        if let Some(index_after) = share.deposit_index_after {
            self.deposit_index = index_after;
            if share.insolvent {
                self.status = MarketStatus::Insolvent;
            }
        }
        self.loss_index = self
            .loss_index
            .checked_add(share.loss_index_increase)
            .or_math()?;
        let outcome = LossOutcome {
            socialised: share.socialised,
            unrecovered: share.unrecovered,
        };
        self.socialised = self.socialised.checked_add(outcome.socialised).or_math()?;
        self.unrecovered = self
            .unrecovered
            .checked_add(outcome.unrecovered)
            .or_math()?;
        Ok(outcome)
    }

    /// An isolated vault holding less than `isolated_assets` (a permanent
    /// delegate took tokens) insures only what it holds.
    pub fn write_down_isolated(&mut self, vault_balance: u64) {
        self.isolated_assets = self.isolated_assets.min(vault_balance);
    }

    /// Insurance paid to the market by a resolution counts against its cap.
    pub fn count_insurance_paid(&mut self, paid: u64) -> Result<()> {
        self.insurance_used = self.insurance_used.checked_add(paid).or_math()?;
        Ok(())
    }

    /// Cancels a pending change of `field` before its eta.
    pub fn cancel_change(&mut self, field: MarketField, now: i64) -> Result<()> {
        match field {
            MarketField::Cap => self.pending_cap.cancel(now).map(|_| ()),
            MarketField::Operator => self.pending_operator.cancel(now).map(|_| ()),
            MarketField::Settlement => self.pending_settlement.cancel(now).map(|_| ()),
        }
    }

    /// Freezes or unfreezes the market; returns whether it was frozen.
    pub fn set_frozen(&mut self, frozen: bool) -> bool {
        core::mem::replace(&mut self.frozen, frozen)
    }

    /// Insurance paid out of the market's own vault (isolated markets).
    pub fn pay_from_isolated(&mut self, amount: u64) -> Result<()> {
        self.isolated_assets = self.isolated_assets.checked_sub(amount).or_math()?;
        Ok(())
    }

    /// `pay_premium`: the isolated vault's part of `amount`
    /// (`⌊amount·isolated_share_bps / 10,000⌋`, 0 when not isolated), added
    /// to `isolated_assets`; the rest goes to the pool's revenue.
    pub fn take_premium(&mut self, amount: u64) -> Result<PremiumSplit> {
        let to_isolated_vault = if self.isolated {
            isolated_premium_floor(amount, self.isolated_share_bps).or_math()?
        } else {
            0
        };
        self.isolated_assets = self
            .isolated_assets
            .checked_add(to_isolated_vault)
            .or_math()?;
        Ok(PremiumSplit {
            to_isolated_vault,
            to_revenue: amount - to_isolated_vault,
        })
    }

    /// The index a monitor reconciles against after a loss.
    pub fn index_after_loss(&self) -> u128 {
        match self.kind {
            MarketKind::Lending => self.deposit_index,
            MarketKind::Perp => self.loss_index,
        }
    }

    pub fn invariant(&self) -> Result<()> {
        require!(
            self.insurance_used <= self.cap,
            BackstopError::InvariantViolated
        );
        require!(
            self.deposit_index <= INDEX_SCALE,
            BackstopError::InvariantViolated
        );
        // An aggregate market keeps no per-account ledger.
        require!(
            self.exposure_mode == ExposureMode::Accounts
                || (self.total_scaled == 0 && self.open_interest == 0),
            BackstopError::InvariantViolated
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests;
