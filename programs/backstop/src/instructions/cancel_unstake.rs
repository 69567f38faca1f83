use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::UnstakeCancelled;
use crate::state::{Pool, Stake, UnstakeRequest};
use crate::utils::now;

#[derive(Accounts)]
pub struct CancelUnstake<'info> {
    pub owner: Signer<'info>,
    #[account(mut, dup, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump, has_one = vault)]
    pub pool: Box<Account<'info, Pool>>,
    /// Read only: the forfeit is priced against A, which a short vault overstates.
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut, dup,
        seeds = [STAKE_SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump = stake.bump(),
        constraint = stake.staker() == owner.key() @ BackstopError::NotStakeOwner
    )]
    pub stake: Box<Account<'info, Stake>>,
}

impl CancelUnstake<'_> {
    fn validate(&self) -> Result<()> {
        require!(
            self.stake.has_current_request(self.pool.epoch),
            BackstopError::NoPendingRequest
        );
        self.pool.require_no_shortfall(self.vault.amount)
    }

    /// Never paused. Gains made during the cooldown are forfeited (burnt).
    #[access_control(ctx.accounts.validate())]
    pub fn cancel_unstake(ctx: Context<CancelUnstake>) -> Result<()> {
        let a = ctx.accounts;
        let UnstakeRequest {
            shares,
            value: recorded_value,
            ..
        } = a.stake.request().ok_or(BackstopError::NoPendingRequest)?;
        let total_shares_before = a.pool.total_shares;
        let burnt = a.pool.forfeit_on_cancel(shares, recorded_value)?;
        a.stake.cancel_request(burnt)?;
        emit_event!(UnstakeCancelled {
            pool: a.pool.key(),
            owner: a.owner.key(),
            shares,
            recorded_value,
            shares_burnt: burnt,
            stake_shares_after: a.stake.checked_shares(a.pool.epoch),
            total_shares_before,
            total_shares_after: a.pool.total_shares,
            ts: now()?,
        });
        a.stake.invariant()?;
        a.pool.ledger_invariant()
    }
}
