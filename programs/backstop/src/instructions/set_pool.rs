use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::PoolParamsUpdated;
use crate::state::{Pool, PoolParamsUpdate, Protocol};
use crate::utils::now;

#[derive(Accounts)]
pub struct SetPool<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump, has_one = admin @ BackstopError::NotAdmin)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, dup, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, Pool>>,
}

impl SetPool<'_> {
    fn validate(&self, update: &PoolParamsUpdate) -> Result<()> {
        update.applied_to(&self.pool.params_at(now()?)).validate()
    }

    /// Schedules new pool parameters; they wait `governance_delay` (a stolen
    /// admin key must not shorten the cooldown, drop the window, the APR cap
    /// or the cut, and leave with the held-back revenue at once), replacing
    /// any pending change. With a delay of 0 they take effect at once.
    #[access_control(ctx.accounts.validate(&update))]
    pub fn set_pool(ctx: Context<SetPool>, update: PoolParamsUpdate) -> Result<()> {
        let now = now()?;
        let eta = ctx.accounts.protocol.eta_from(now)?;
        let pool = &mut ctx.accounts.pool;
        let (before, after) = pool.schedule_params(&update, now, eta)?;
        emit_event!(PoolParamsUpdated {
            pool: pool.key(),
            before,
            after,
            eta,
            applied: pool.params == after && !pool.pending_params.active,
            ts: now,
        });
        pool.ledger_invariant()
    }
}
