use anchor_lang::prelude::*;

use super::pending::Pending;
use crate::constants::INDEX_SCALE;
use crate::errors::{BackstopError, OrMathError};
use crate::math::lending::{
    balance_floor, scaled_for_deposit_floor, scaled_for_withdrawal_ceil,
    socialise_lending_loss_ceil,
};
use crate::math::perp::{loss_index_increase_ceil, open_interest_after, owed_since_snapshot_ceil};

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarketKind {
    /// Losses are socialised against lenders through the deposit index.
    Lending,
    /// Losses are socialised against open positions through the loss index.
    Perp,
}

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarketStatus {
    Active,
    /// The operator's records are refused; premiums are still accepted and
    /// recorded bankruptcies can still be resolved.
    Frozen,
    /// The deposit index reached 0: lenders have lost everything.
    Insolvent,
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
    pub reserved: [u8; 64],
}

/// How `resolve_bankruptcy` split a deficit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LossOutcome {
    pub socialised: u64,
    pub unrecovered: u64,
}

impl Market {
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
        require!(
            self.status != MarketStatus::Frozen,
            BackstopError::MarketFrozen
        );
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

    /// SPEC.md step 3: socialises `loss` against lenders or positions.
    pub fn socialise(&mut self, loss: u64) -> Result<LossOutcome> {
        let outcome = match self.kind {
            MarketKind::Lending => {
                let r = socialise_lending_loss_ceil(loss, self.total_scaled, self.deposit_index)
                    .or_math()?;
                self.deposit_index = r.deposit_index_after;
                if r.insolvent {
                    self.status = MarketStatus::Insolvent;
                }
                LossOutcome {
                    socialised: r.socialised,
                    unrecovered: r.unrecovered,
                }
            }
            MarketKind::Perp => {
                if loss == 0 {
                    LossOutcome::default()
                } else if self.open_interest == 0 {
                    LossOutcome {
                        socialised: 0,
                        unrecovered: loss,
                    }
                } else {
                    let increase = loss_index_increase_ceil(loss, self.open_interest).or_math()?;
                    self.loss_index = self.loss_index.checked_add(increase).or_math()?;
                    LossOutcome {
                        socialised: loss,
                        unrecovered: 0,
                    }
                }
            }
        };
        self.socialised = self.socialised.checked_add(outcome.socialised).or_math()?;
        self.unrecovered = self
            .unrecovered
            .checked_add(outcome.unrecovered)
            .or_math()?;
        Ok(outcome)
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
        Ok(())
    }
}
