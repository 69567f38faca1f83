use anchor_lang::prelude::*;

use crate::constants::*;
use crate::events::PositionRecorded;
use crate::groups::*;
use crate::state::{MarketKind, Position};
use crate::utils::now;

#[derive(Accounts)]
#[instruction(owner: Pubkey)]
pub struct RecordPosition<'info> {
    pub ctx: OperatorMarket<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(
        init_if_needed,
        payer = payer,
        space = 8 + Position::INIT_SPACE,
        seeds = [POSITION_SEED, ctx.market.key().as_ref(), owner.as_ref()],
        bump
    )]
    pub position: Box<Account<'info, Position>>,
    pub system_program: Program<'info, System>,
}

impl RecordPosition<'_> {
    fn validate(&self) -> Result<()> {
        self.ctx.validate_account_record()?;
        self.ctx.market.require_kind(MarketKind::Perp)
    }

    /// Settles what the position owes at the current loss index, then sets its
    /// size and moves open interest.
    #[access_control(ctx.accounts.validate())]
    pub fn record_position(
        ctx: Context<RecordPosition>,
        owner: Pubkey,
        new_base: i64,
    ) -> Result<()> {
        let a = ctx.accounts;
        let market_key = a.ctx.market.key();
        if a.position.version == 0 {
            a.position.set_inner(Position::new(
                market_key,
                owner,
                a.ctx.market.loss_index,
                ctx.bumps.position,
            ));
        }
        let base_before = a.position.base;
        let open_interest_before = a.ctx.market.open_interest;
        let owed_settled = a.ctx.market.move_position(&mut a.position, new_base)?;
        emit_event!(PositionRecorded {
            market: market_key,
            owner,
            base_before,
            base_after: new_base,
            owed_settled,
            owed_after: a.position.owed,
            open_interest_before,
            open_interest_after: a.ctx.market.open_interest,
            loss_index: a.ctx.market.loss_index,
            ts: now()?,
        });
        a.position.invariant(a.ctx.market.loss_index)?;
        a.ctx.market.invariant()
    }
}
