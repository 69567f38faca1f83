use anchor_lang::prelude::*;

use crate::errors::BackstopError;
use backstop_core::payout::{self, PayoutBlock};

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayoutStatus {
    Pending,
    Executed,
    Cancelled,
}

/// A compensation payout proposed by governance, `["payout", pool, id u64 LE]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Payout {
    pub version: u8,
    pub bump: u8,
    pub pool: Pubkey,
    pub id: u64,
    /// Token account (of the pool's mint) that receives the payout.
    pub recipient: Pubkey,
    pub amount: u64,
    /// Executable by anyone once now ≥ eta.
    pub eta: i64,
    pub status: PayoutStatus,
    /// What execution actually paid: min(amount, A).
    pub paid: u64,
    pub reserved: [u8; 16],
}

impl Payout {
    /// A pending payout proposed now, executable from `eta`.
    pub fn new(
        pool: Pubkey,
        id: u64,
        recipient: Pubkey,
        amount: u64,
        eta: i64,
        bump: u8,
    ) -> Payout {
        Payout {
            version: crate::constants::ACCOUNT_VERSION,
            bump,
            pool,
            id,
            recipient,
            amount,
            eta,
            status: PayoutStatus::Pending,
            paid: 0,
            reserved: [0; 16],
        }
    }

    /// The first second at which the payout can no longer execute:
    /// `eta + 14 days`.
    pub fn expires_at(&self) -> i64 {
        payout::expires_at(self.eta)
    }

    /// Executed: `paid` left the pool (at most the amount).
    pub fn mark_executed(&mut self, paid: u64) {
        self.status = PayoutStatus::Executed;
        self.paid = paid;
    }

    pub fn mark_cancelled(&mut self) {
        self.status = PayoutStatus::Cancelled;
    }

    /// Nothing paid beyond the amount, and nothing paid unless executed.
    pub fn invariant(&self) -> Result<()> {
        require!(
            self.paid <= self.amount && (self.status == PayoutStatus::Executed || self.paid == 0),
            BackstopError::InvariantViolated
        );
        Ok(())
    }

    /// Whether anyone can execute it at `now`: pending and `eta ≤ now <
    /// eta + 14 days`. The keeper asks this; `execute_payout` refuses by
    /// [`Payout::require_executable`], which names the failed condition.
    pub fn is_executable(&self, now: i64) -> bool {
        payout::is_executable(self.status == PayoutStatus::Pending, self.eta, now)
    }

    /// Executable by anyone while pending and `eta ≤ now < eta + 14 days`
    /// (`backstop_core::payout`); the refusal names the failed condition.
    pub fn require_executable(&self, now: i64) -> Result<()> {
        match payout::check(self.status == PayoutStatus::Pending, self.eta, now) {
            None => Ok(()),
            Some(PayoutBlock::NotPending) => err!(BackstopError::PayoutNotPending),
            Some(PayoutBlock::NotReady) => err!(BackstopError::PayoutNotReady),
            Some(PayoutBlock::Expired) => err!(BackstopError::PayoutExpired),
        }
    }

    /// The admin may cancel a payout any time before it is executed (expired
    /// ones included); the guardian only before its eta.
    pub fn require_cancellable(&self, by_admin: bool, now: i64) -> Result<()> {
        require!(
            self.status == PayoutStatus::Pending,
            BackstopError::PayoutNotPending
        );
        require!(
            by_admin || now < self.eta,
            BackstopError::PayoutAlreadyExecutable
        );
        Ok(())
    }
}
