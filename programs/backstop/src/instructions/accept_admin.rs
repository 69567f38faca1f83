use anchor_lang::prelude::*;

use crate::constants::PROTOCOL_SEED;
use crate::errors::BackstopError;
use crate::events::AdminAccepted;
use crate::state::Protocol;

#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    pub new_admin: Signer<'info>,
    #[account(
        mut,
        seeds = [PROTOCOL_SEED],
        bump = protocol.bump,
        constraint = protocol.pending_admin == new_admin.key() && protocol.pending_admin != Pubkey::default()
            @ BackstopError::NotPendingAdmin
    )]
    pub protocol: Box<Account<'info, Protocol>>,
}

impl AcceptAdmin<'_> {
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        let protocol = &mut ctx.accounts.protocol;
        let old_admin = protocol.admin;
        protocol.admin = protocol.pending_admin;
        protocol.pending_admin = Pubkey::default();
        emit_event!(AdminAccepted {
            old_admin,
            new_admin: protocol.admin
        });
        Ok(())
    }
}
