use anchor_lang::prelude::*;

use crate::constants::PROTOCOL_SEED;
use crate::errors::BackstopError;
use crate::events::ChangeCancelled;
use crate::state::{Protocol, ProtocolField};
use crate::utils::now;

#[derive(Accounts)]
pub struct CancelProtocolChange<'info> {
    /// The guardian or the admin.
    pub authority: Signer<'info>,
    #[account(
        mut, dup,
        seeds = [PROTOCOL_SEED],
        bump = protocol.bump,
        constraint = protocol.is_guardian_or_admin(&authority.key(), now()?) @ BackstopError::NotGuardianOrAdmin
    )]
    pub protocol: Box<Account<'info, Protocol>>,
}

impl CancelProtocolChange<'_> {
    /// Drops a pending guardian, treasury or governance-delay change before its eta.
    pub fn cancel_protocol_change(
        ctx: Context<CancelProtocolChange>,
        field: ProtocolField,
    ) -> Result<()> {
        let now = now()?;
        let target = ctx.accounts.protocol.key();
        ctx.accounts.protocol.cancel_change(field, now)?;
        emit_event!(ChangeCancelled {
            target,
            field: field.into(),
            by: ctx.accounts.authority.key(),
            ts: now,
        });
        ctx.accounts.protocol.invariant()
    }
}
