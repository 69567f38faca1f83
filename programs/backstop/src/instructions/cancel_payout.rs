use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::PayoutCancelled;
use crate::state::{Payout, Pool, Protocol};
use crate::utils::now;

#[derive(Accounts)]
pub struct CancelPayout<'info> {
    /// The guardian or the admin.
    pub authority: Signer<'info>,
    #[account(
        seeds = [PROTOCOL_SEED],
        bump = protocol.bump,
        constraint = protocol.is_guardian_or_admin(&authority.key(), now()?) @ BackstopError::NotGuardianOrAdmin
    )]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        mut, dup,
        seeds = [PAYOUT_SEED, pool.key().as_ref(), &payout.id.to_le_bytes()],
        bump = payout.bump,
        has_one = pool
    )]
    pub payout: Box<Account<'info, Payout>>,
}

impl CancelPayout<'_> {
    fn validate(&self) -> Result<()> {
        let by_admin = self.authority.key() == self.protocol.admin;
        self.payout.require_cancellable(by_admin, now()?)
    }

    /// Cancels a payout: the guardian before its eta, the admin at any time
    /// before it is executed.
    #[access_control(ctx.accounts.validate())]
    pub fn cancel_payout(ctx: Context<CancelPayout>) -> Result<()> {
        ctx.accounts.payout.mark_cancelled();
        ctx.accounts.payout.invariant()?;
        emit_event!(PayoutCancelled {
            pool: ctx.accounts.pool.key(),
            id: ctx.accounts.payout.id,
            by: ctx.accounts.authority.key(),
            ts: now()?,
        });
        Ok(())
    }
}
