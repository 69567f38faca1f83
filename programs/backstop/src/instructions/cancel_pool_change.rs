use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::{ChangeCancelled, ChangeField};
use crate::state::{Pool, Protocol};
use crate::utils::now;

#[derive(Accounts)]
pub struct CancelPoolChange<'info> {
    /// The guardian or the admin.
    pub authority: Signer<'info>,
    #[account(
        seeds = [PROTOCOL_SEED],
        bump = protocol.bump,
        constraint = protocol.is_guardian_or_admin(&authority.key(), now()?) @ BackstopError::NotGuardianOrAdmin
    )]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, dup, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, Pool>>,
}

impl CancelPoolChange<'_> {
    /// Drops the pool's pending parameter change before its eta.
    pub fn cancel_pool_change(ctx: Context<CancelPoolChange>) -> Result<()> {
        let now = now()?;
        let pool = &mut ctx.accounts.pool;
        pool.pending_params.cancel(now)?;
        emit_event!(ChangeCancelled {
            target: pool.key(),
            field: ChangeField::PoolParams,
            by: ctx.accounts.authority.key(),
            ts: now,
        });
        pool.ledger_invariant()
    }
}
