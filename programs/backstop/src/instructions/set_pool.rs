use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::PoolParamsUpdated;
use crate::state::{Pool, PoolParamsUpdate, Protocol};

#[derive(Accounts)]
pub struct SetPool<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump, has_one = admin @ BackstopError::NotAdmin)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, Pool>>,
}

impl SetPool<'_> {
    fn validate(&self, update: &PoolParamsUpdate) -> Result<()> {
        update.applied_to(&self.pool.params).validate()
    }

    /// Pool parameters take effect at once.
    #[access_control(ctx.accounts.validate(&update))]
    pub fn set_pool(ctx: Context<SetPool>, update: PoolParamsUpdate) -> Result<()> {
        let pool = &mut ctx.accounts.pool;
        let before = pool.params;
        pool.params = update.applied_to(&before);
        emit_event!(PoolParamsUpdated {
            pool: pool.key(),
            before,
            after: pool.params
        });
        Ok(())
    }
}
