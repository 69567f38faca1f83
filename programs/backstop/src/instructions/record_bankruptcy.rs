use anchor_lang::prelude::*;

use super::operator::*;
use crate::constants::*;
use crate::errors::{BackstopError, OrMathError};
use crate::events::BankruptcyRecorded;
use crate::state::Bankruptcy;
use crate::utils::now;

#[derive(Accounts)]
#[instruction(debtor: Pubkey)]
pub struct RecordBankruptcy<'info> {
    pub ctx: OperatorMarket<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(
        init_if_needed,
        payer = payer,
        space = 8 + Bankruptcy::INIT_SPACE,
        seeds = [BANKRUPTCY_SEED, ctx.market.key().as_ref(), debtor.as_ref()],
        bump
    )]
    pub bankruptcy: Box<Account<'info, Bankruptcy>>,
    pub system_program: Program<'info, System>,
}

impl RecordBankruptcy<'_> {
    fn validate(&self, deficit: u64, exposure: u128) -> Result<()> {
        self.ctx.validate()?;
        require!(deficit > 0, BackstopError::ZeroDeficit);
        let market = &self.ctx.market;
        market.require_exposure_fits_mode(exposure)?;
        market.require_resolvable(deficit, exposure)?;
        require!(
            self.bankruptcy.version == 0,
            BackstopError::BankruptcyAlreadyOpen
        );
        Ok(())
    }

    /// Opens the record `resolve_bankruptcy` will settle; one per (market,
    /// debtor). `exposure` is the market's total exposure in `aggregate` mode
    /// and must be 0 in `accounts` mode.
    #[access_control(ctx.accounts.validate(deficit, exposure))]
    pub fn record_bankruptcy(
        ctx: Context<RecordBankruptcy>,
        debtor: Pubkey,
        deficit: u64,
        exposure: u128,
    ) -> Result<()> {
        let now = now()?;
        let a = ctx.accounts;
        let market_key = a.ctx.market.key();
        a.bankruptcy.set_inner(Bankruptcy::new(
            market_key,
            debtor,
            deficit,
            exposure,
            now,
            ctx.bumps.bankruptcy,
        ));
        a.ctx.market.open_bankruptcies = a.ctx.market.open_bankruptcies.checked_add(1).or_math()?;
        emit_event!(BankruptcyRecorded {
            market: market_key,
            debtor,
            deficit,
            exposure,
            recorded_at: now
        });
        a.ctx.market.invariant()
    }
}
