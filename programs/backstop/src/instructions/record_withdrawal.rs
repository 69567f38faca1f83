use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::WithdrawalRecorded;
use crate::groups::*;
use crate::state::{Lender, MarketKind};
use crate::utils::now;

#[derive(Accounts)]
#[instruction(owner: Pubkey)]
pub struct RecordWithdrawal<'info> {
    pub ctx: OperatorMarket<'info>,
    /// The lender named by `owner`: another lender of the market is refused.
    #[account(
        mut, dup,
        seeds = [LENDER_SEED, ctx.market.key().as_ref(), owner.as_ref()],
        bump = lender.bump,
        constraint = lender.market == ctx.market.key() @ BackstopError::NotOperator
    )]
    pub lender: Box<Account<'info, Lender>>,
}

impl RecordWithdrawal<'_> {
    fn validate(&self) -> Result<()> {
        self.ctx.validate_account_record()?;
        self.ctx.market.require_kind(MarketKind::Lending)?;
        self.ctx.market.require_solvent()?;
        Ok(())
    }

    /// Refused above the balance; removes `min(⌈amount·10¹⁸ / I⌉, scaled)`.
    #[access_control(ctx.accounts.validate())]
    pub fn record_withdrawal(
        ctx: Context<RecordWithdrawal>,
        _owner: Pubkey,
        amount: u64,
    ) -> Result<()> {
        let a = ctx.accounts;
        let scaled = a.ctx.market.withdraw(amount, a.lender.scaled)?;
        a.lender.debit(scaled)?;
        emit_event!(WithdrawalRecorded {
            market: a.ctx.market.key(),
            lender: a.lender.owner,
            amount,
            scaled,
            lender_scaled_after: a.lender.scaled,
            total_scaled_after: a.ctx.market.total_scaled,
            deposit_index: a.ctx.market.deposit_index,
            ts: now()?,
        });
        a.lender.invariant(a.ctx.market.total_scaled)?;
        a.ctx.market.invariant()
    }
}
