use anchor_lang::prelude::*;

use crate::constants::PROTOCOL_SEED;
use crate::errors::BackstopError;
use crate::events::AdminProposed;
use crate::state::Protocol;
use crate::utils::now;

#[derive(Accounts)]
pub struct ProposeAdmin<'info> {
    pub admin: Signer<'info>,
    #[account(mut, dup, seeds = [PROTOCOL_SEED], bump = protocol.bump, has_one = admin @ BackstopError::NotAdmin)]
    pub protocol: Box<Account<'info, Protocol>>,
}

impl ProposeAdmin<'_> {
    pub fn propose_admin(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
        let protocol = &mut ctx.accounts.protocol;
        protocol.propose_admin(new_admin, now()?);
        emit_event!(AdminProposed {
            admin: protocol.admin,
            pending_admin: new_admin,
            ts: now()?,
        });
        protocol.invariant()
    }
}
