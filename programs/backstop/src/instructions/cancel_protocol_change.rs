use anchor_lang::prelude::*;

use crate::constants::PROTOCOL_SEED;
use crate::errors::BackstopError;
use crate::events::{ChangeCancelled, ChangeField};
use crate::state::Protocol;
use crate::utils::now;

#[derive(Accounts)]
pub struct CancelProtocolChange<'info> {
    /// The guardian or the admin.
    pub authority: Signer<'info>,
    #[account(
        mut,
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
        field: ChangeField,
    ) -> Result<()> {
        let now = now()?;
        let target = ctx.accounts.protocol.key();
        let protocol = &mut ctx.accounts.protocol;
        match field {
            ChangeField::Guardian => protocol.pending_guardian.cancel(now).map(|_| ())?,
            ChangeField::Treasury => protocol.pending_treasury.cancel(now).map(|_| ())?,
            ChangeField::GovernanceDelay => {
                protocol.pending_governance_delay.cancel(now).map(|_| ())?
            }
            _ => return err!(BackstopError::NoPendingChange),
        }
        emit_event!(ChangeCancelled {
            target,
            field,
            by: ctx.accounts.authority.key()
        });
        Ok(())
    }
}
