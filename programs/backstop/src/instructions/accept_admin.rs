use anchor_lang::prelude::*;

use crate::constants::PROTOCOL_SEED;
use crate::events::AdminAccepted;
use crate::state::Protocol;
use crate::utils::now;

#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    pub new_admin: Signer<'info>,
    #[account(
        mut, dup,
        seeds = [PROTOCOL_SEED],
        bump = protocol.bump
    )]
    pub protocol: Box<Account<'info, Protocol>>,
}

impl AcceptAdmin<'_> {
    /// Only the proposed admin may accept (`Protocol::accept_admin` refuses
    /// anyone else with `NotPendingAdmin`).
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        let new_admin = ctx.accounts.new_admin.key();
        let protocol = &mut ctx.accounts.protocol;
        let old_admin = protocol.accept_admin(new_admin, now()?)?;
        emit_event!(AdminAccepted {
            old_admin,
            new_admin,
            ts: now()?,
        });
        protocol.invariant()
    }
}
