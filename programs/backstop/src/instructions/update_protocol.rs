use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::{ChangeField, ChangeScheduled};
use crate::state::Protocol;
use crate::utils::now;

/// Optional new values; `None` leaves a field alone.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default)]
pub struct ProtocolUpdate {
    pub guardian: Option<Pubkey>,
    pub treasury: Option<Pubkey>,
    pub governance_delay: Option<u64>,
}

#[derive(Accounts)]
pub struct UpdateProtocol<'info> {
    pub admin: Signer<'info>,
    #[account(mut, dup, seeds = [PROTOCOL_SEED], bump = protocol.bump, has_one = admin @ BackstopError::NotAdmin)]
    pub protocol: Box<Account<'info, Protocol>>,
}

impl UpdateProtocol<'_> {
    fn validate(&self, update: &ProtocolUpdate) -> Result<()> {
        if let Some(delay) = update.governance_delay {
            require!(
                delay <= MAX_GOVERNANCE_DELAY_SECS,
                BackstopError::GovernanceDelayTooLong
            );
        }
        Ok(())
    }

    /// Guardian and treasury changes wait the delay; so does shortening the
    /// delay. Lengthening the delay takes effect at once.
    #[access_control(ctx.accounts.validate(&update))]
    pub fn update_protocol(ctx: Context<UpdateProtocol>, update: ProtocolUpdate) -> Result<()> {
        let now = now()?;
        let target = ctx.accounts.protocol.key();
        let protocol = &mut ctx.accounts.protocol;
        protocol.apply_due_changes(now);
        let eta = protocol.eta_from(now)?;
        if let Some(guardian) = update.guardian {
            let old = protocol.guardian;
            protocol.pending_guardian.schedule(guardian, eta);
            emit_event!(ChangeScheduled {
                target,
                field: ChangeField::Guardian,
                old_key: old,
                new_key: guardian,
                old_value: 0,
                new_value: 0,
                eta,
                ts: now,
            });
        }
        if let Some(treasury) = update.treasury {
            let old = protocol.treasury;
            protocol.pending_treasury.schedule(treasury, eta);
            emit_event!(ChangeScheduled {
                target,
                field: ChangeField::Treasury,
                old_key: old,
                new_key: treasury,
                old_value: 0,
                new_value: 0,
                eta,
                ts: now,
            });
        }
        if let Some(delay) = update.governance_delay {
            let old = protocol.governance_delay;
            let effective_at = protocol.set_governance_delay(delay, now, eta);
            emit_event!(ChangeScheduled {
                target,
                field: ChangeField::GovernanceDelay,
                old_key: Pubkey::default(),
                new_key: Pubkey::default(),
                old_value: old,
                new_value: delay,
                eta: effective_at,
                ts: now,
            });
        }
        protocol.apply_due_changes(now);
        protocol.invariant()
    }
}
