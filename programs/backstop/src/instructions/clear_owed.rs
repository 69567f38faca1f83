use anchor_lang::prelude::*;

use crate::constants::*;
use crate::events::OwedCleared;
use crate::groups::*;
use crate::state::{MarketKind, Position};
use crate::utils::now;

#[derive(Accounts)]
#[instruction(owner: Pubkey)]
pub struct ClearOwed<'info> {
    pub ctx: OperatorMarket<'info>,
    /// The position named by `owner`: another position of the market is refused.
    #[account(
        mut, dup,
        seeds = [POSITION_SEED, ctx.market.key().as_ref(), owner.as_ref()],
        bump = position.bump
    )]
    pub position: Box<Account<'info, Position>>,
}

impl ClearOwed<'_> {
    fn validate(&self) -> Result<()> {
        self.ctx.validate_account_record()?;
        self.ctx.market.require_kind(MarketKind::Perp)
    }

    /// Settles, then clears `amount` of what the position owes, once the
    /// operator has charged the trader for it.
    #[access_control(ctx.accounts.validate())]
    pub fn clear_owed(ctx: Context<ClearOwed>, _owner: Pubkey, amount: u64) -> Result<()> {
        let a = ctx.accounts;
        a.ctx.market.settle_position(&mut a.position)?;
        a.position.clear_owed(amount)?;
        emit_event!(OwedCleared {
            market: a.ctx.market.key(),
            owner: a.position.owner,
            amount,
            owed_after: a.position.owed,
            ts: now()?,
        });
        a.position.invariant(a.ctx.market.loss_index)?;
        a.ctx.market.invariant()
    }
}
