use anchor_lang::prelude::*;

use crate::constants::*;
use crate::events::DepositRecorded;
use crate::groups::*;
use crate::state::{Lender, MarketKind};
use crate::utils::now;

#[derive(Accounts)]
#[instruction(owner: Pubkey)]
pub struct RecordDeposit<'info> {
    pub ctx: OperatorMarket<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(
        init_if_needed,
        payer = payer,
        space = 8 + Lender::INIT_SPACE,
        seeds = [LENDER_SEED, ctx.market.key().as_ref(), owner.as_ref()],
        bump
    )]
    pub lender: Box<Account<'info, Lender>>,
    pub system_program: Program<'info, System>,
}

impl RecordDeposit<'_> {
    fn validate(&self) -> Result<()> {
        self.ctx.validate_account_record()?;
        self.ctx.market.require_kind(MarketKind::Lending)?;
        self.ctx.market.require_solvent()?;
        Ok(())
    }

    /// `s = ⌊amount·10¹⁸ / I⌋`; lender and total scaled deposits grow by `s`.
    #[access_control(ctx.accounts.validate())]
    pub fn record_deposit(ctx: Context<RecordDeposit>, owner: Pubkey, amount: u64) -> Result<()> {
        let a = ctx.accounts;
        let market_key = a.ctx.market.key();
        if a.lender.version == 0 {
            a.lender
                .set_inner(Lender::new(market_key, owner, ctx.bumps.lender));
        }
        let scaled = a.ctx.market.deposit(amount)?;
        a.lender.credit(scaled)?;
        emit_event!(DepositRecorded {
            market: market_key,
            lender: owner,
            amount,
            scaled,
            lender_scaled_after: a.lender.scaled,
            total_scaled_after: a.ctx.market.total_scaled,
            deposit_index: a.ctx.market.deposit_index,
            ts: now()?,
        });
        a.lender.invariant(a.ctx.market.total_scaled)?;
        a.ctx.market.invariant()
    }
}
