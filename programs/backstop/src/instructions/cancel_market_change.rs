use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::ChangeCancelled;
use crate::state::{Market, MarketField, Protocol};
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
    #[account(mut, dup, seeds = [MARKET_SEED, &market.index.to_le_bytes()], bump = market.bump)]
    pub market: Box<Account<'info, Market>>,
}

impl CancelMarketChange<'_> {
    /// Drops a pending cap raise, operator or settlement change before its eta.
    pub fn cancel_market_change(
        ctx: Context<CancelMarketChange>,
        field: MarketField,
    ) -> Result<()> {
        let now = now()?;
        let market = &mut ctx.accounts.market;
        market.cancel_change(field, now)?;
        emit_event!(ChangeCancelled {
            target: market.key(),
            field: field.into(),
            by: ctx.accounts.authority.key(),
            ts: now,
        });
        market.invariant()
    }
}
