use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::StakeClosed;
use crate::state::{Pool, Protocol, Stake};
use crate::utils::now;

#[derive(Accounts)]
pub struct CloseStake<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        mut, dup,
        close = owner,
        seeds = [STAKE_SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump = stake.bump(),
        constraint = stake.staker() == owner.key() @ BackstopError::NotStakeOwner
    )]
    pub stake: Box<Account<'info, Stake>>,
}

impl CloseStake<'_> {
    fn validate(&self) -> Result<()> {
        require!(
            self.owner.key() != self.protocol.treasury_at(now()?),
            BackstopError::TreasuryStakeNotClosable
        );
        require!(
            self.stake.checked_shares(self.pool.epoch) == 0
                && !self.stake.has_current_request(self.pool.epoch),
            BackstopError::StakeNotEmpty
        );
        Ok(())
    }

    /// Closes an empty stake (or one wiped out with an older epoch) and
    /// returns its rent to the owner.
    #[access_control(ctx.accounts.validate())]
    pub fn close_stake(ctx: Context<CloseStake>) -> Result<()> {
        emit_event!(StakeClosed {
            pool: ctx.accounts.pool.key(),
            owner: ctx.accounts.owner.key(),
            ts: now()?,
        });
        Ok(())
    }
}
