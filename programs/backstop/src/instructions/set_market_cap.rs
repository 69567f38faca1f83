use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::{ChangeField, ChangeScheduled};
use crate::state::{Market, Protocol};
use crate::utils::now;

#[derive(Accounts)]
pub struct SetMarketCap<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump, has_one = admin @ BackstopError::NotAdmin)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, dup, seeds = [MARKET_SEED, &market.index.to_le_bytes()], bump = market.bump)]
    pub market: Box<Account<'info, Market>>,
}

impl SetMarketCap<'_> {
    /// A cap at or below the one in effect applies at once (dropping a pending
    /// raise); a raise waits `governance_delay`. A cap below the insurance
    /// already used is refused by `Market::set_cap` (`CapBelowInsuranceUsed`).
    pub fn set_market_cap(ctx: Context<SetMarketCap>, cap: u64) -> Result<()> {
        let now = now()?;
        let eta = ctx.accounts.protocol.eta_from(now)?;
        let market = &mut ctx.accounts.market;
        market.apply_due_changes(now);
        let old = market.cap;
        market.set_cap(cap, now, eta)?;
        emit_event!(ChangeScheduled {
            target: market.key(),
            field: ChangeField::Cap,
            old_key: Pubkey::default(),
            new_key: Pubkey::default(),
            old_value: old,
            new_value: cap,
            eta: if cap <= old { now } else { eta },
            ts: now,
        });
        market.invariant()
    }
}
