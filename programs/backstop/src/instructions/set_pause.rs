use anchor_lang::prelude::*;

use crate::constants::PROTOCOL_SEED;
use crate::errors::BackstopError;
use crate::events::PauseFlagsChanged;
use crate::state::{Protocol, pause};
use crate::utils::now;

#[derive(Accounts)]
pub struct Pause<'info> {
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

#[derive(Accounts)]
pub struct Unpause<'info> {
    pub admin: Signer<'info>,
    #[account(mut, dup, seeds = [PROTOCOL_SEED], bump = protocol.bump, has_one = admin @ BackstopError::NotAdmin)]
    pub protocol: Box<Account<'info, Protocol>>,
}

fn validate_flags(flags: u16) -> Result<()> {
    require!(
        flags != 0 && flags & !pause::ALL == 0,
        BackstopError::InvalidPauseFlags
    );
    Ok(())
}

impl Pause<'_> {
    /// Sets the given pause flags (see `state::pause`).
    #[access_control(validate_flags(flags))]
    pub fn pause(ctx: Context<Pause>, flags: u16) -> Result<()> {
        let now = now()?;
        let protocol = &mut ctx.accounts.protocol;
        let before = protocol.paused;
        protocol.pause(flags, now);
        emit_event!(PauseFlagsChanged {
            by: ctx.accounts.authority.key(),
            before,
            after: protocol.paused,
            exit_clock: protocol.exit_clock,
            ts: now,
        });
        protocol.invariant()
    }
}

impl Unpause<'_> {
    /// Clears the given pause flags; admin only.
    #[access_control(validate_flags(flags))]
    pub fn unpause(ctx: Context<Unpause>, flags: u16) -> Result<()> {
        let now = now()?;
        let protocol = &mut ctx.accounts.protocol;
        let before = protocol.paused;
        protocol.unpause(flags, now);
        emit_event!(PauseFlagsChanged {
            by: ctx.accounts.admin.key(),
            before,
            after: protocol.paused,
            exit_clock: protocol.exit_clock,
            ts: now,
        });
        protocol.invariant()
    }
}
