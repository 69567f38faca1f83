use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::{BackstopError, OrMathError};
use crate::events::UnstakeCancelled;
use crate::state::{Pool, Stake};

#[derive(Accounts)]
pub struct CancelUnstake<'info> {
    pub owner: Signer<'info>,
    #[account(mut, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        mut,
        seeds = [STAKE_SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump = stake.bump,
        has_one = owner @ BackstopError::NotStakeOwner
    )]
    pub stake: Box<Account<'info, Stake>>,
}

impl CancelUnstake<'_> {
    fn validate(&self) -> Result<()> {
        require!(
            self.stake.has_current_request(self.pool.epoch),
            BackstopError::NoPendingRequest
        );
        Ok(())
    }

    /// Never paused. Gains made during the cooldown are forfeited (burnt).
    #[access_control(ctx.accounts.validate())]
    pub fn cancel_unstake(ctx: Context<CancelUnstake>) -> Result<()> {
        let a = ctx.accounts;
        let shares = a.stake.request_shares;
        let recorded_value = a.stake.request_value;
        let total_shares_before = a.pool.total_shares;
        let burnt = a.pool.forfeit_on_cancel(shares, recorded_value)?;
        a.stake.shares = a.stake.shares.checked_sub(burnt).or_math()?;
        a.stake.clear_request();
        emit!(UnstakeCancelled {
            pool: a.pool.key(),
            owner: a.owner.key(),
            shares,
            recorded_value,
            shares_burnt: burnt,
            stake_shares_after: a.stake.shares,
            total_shares_before,
            total_shares_after: a.pool.total_shares,
        });
        a.pool.ledger_invariant()
    }
}
