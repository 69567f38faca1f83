use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::{ChangeCancelled, ChangeField};
use crate::state::{Market, Protocol};
use crate::utils::now;

#[derive(Accounts)]
pub struct CancelMarketChange<'info> {
    /// The guardian or the admin.
    pub authority: Signer<'info>,
    #[account(
        seeds = [PROTOCOL_SEED],
        bump = protocol.bump,
        constraint = protocol.is_guardian_or_admin(&authority.key(), now()?) @ BackstopError::NotGuardianOrAdmin
    )]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, seeds = [MARKET_SEED, &market.index.to_le_bytes()], bump = market.bump)]
    pub market: Box<Account<'info, Market>>,
}

impl CancelMarketChange<'_> {
    /// Drops a pending cap raise, operator or settlement change before its eta.
    pub fn cancel_market_change(
        ctx: Context<CancelMarketChange>,
        field: ChangeField,
    ) -> Result<()> {
        let now = now()?;
        let market = &mut ctx.accounts.market;
        match field {
            ChangeField::Cap => market.pending_cap.cancel(now).map(|_| ())?,
            ChangeField::Operator => market.pending_operator.cancel(now).map(|_| ())?,
            ChangeField::Settlement => market.pending_settlement.cancel(now).map(|_| ())?,
            _ => return err!(BackstopError::NoPendingChange),
        }
        emit_event!(ChangeCancelled {
            target: market.key(),
            field,
            by: ctx.accounts.authority.key()
        });
        Ok(())
    }
}
