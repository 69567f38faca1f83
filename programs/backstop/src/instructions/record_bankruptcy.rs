use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::BankruptcyRecorded;
use crate::groups::*;
use crate::state::{Bankruptcy, Pool};
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
    /// The pool that insures the market: its exits wait until the record is
    /// resolved (not for an isolated market, which the pool never insures).
    #[account(mut, dup, address = ctx.market.pool @ BackstopError::PoolMismatch)]
    pub pool: Box<Account<'info, Pool>>,
    pub system_program: Program<'info, System>,
}

impl RecordBankruptcy<'_> {
    fn validate(&self, deficit: u64, exposure: u128) -> Result<()> {
        self.ctx.validate()?;
        require!(deficit > 0, BackstopError::ZeroDeficit);
        let market = &self.ctx.market;
        market.require_exposure_fits_mode(exposure)?;
        market.require_resolvable(deficit, exposure)?;
        market.require_record_slot()?;
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
        a.ctx.market.open_record()?;
        if !a.ctx.market.isolated {
            a.pool.open_record(a.ctx.protocol.exit_clock_at(now))?;
        }
        emit_event!(BankruptcyRecorded {
            market: market_key,
            debtor,
            deficit,
            exposure,
            recorded_at: now,
            pool_open_records_after: a.pool.open_records,
            ts: now,
        });
        a.bankruptcy.invariant()?;
        a.ctx.market.invariant()?;
        a.pool.ledger_invariant()
    }
}
