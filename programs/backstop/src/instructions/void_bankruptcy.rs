use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::BankruptcyVoided;
use crate::state::{Bankruptcy, Market, Pool, Protocol};
use crate::utils::now;

#[derive(Accounts)]
#[instruction(debtor: Pubkey)]
pub struct VoidBankruptcy<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump, has_one = admin @ BackstopError::NotAdmin)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, dup, seeds = [MARKET_SEED, &market.index.to_le_bytes()], bump = market.bump, has_one = pool)]
    pub market: Box<Account<'info, Market>>,
    #[account(
        mut, dup,
        close = operator,
        seeds = [BANKRUPTCY_SEED, market.key().as_ref(), debtor.as_ref()],
        bump = bankruptcy.bump,
        has_one = market
    )]
    pub bankruptcy: Box<Account<'info, Bankruptcy>>,
    /// The pool that insures the market: its exits wait for the record.
    #[account(mut, dup, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, Pool>>,
    /// The market's operator in effect, who paid the record's rent.
    /// CHECK: address checked against the market.
    #[account(mut, address = market.operator_at(now()?) @ BackstopError::RentRecipientMismatch)]
    pub operator: UncheckedAccount<'info>,
}

impl VoidBankruptcy<'_> {
    fn validate(&self) -> Result<()> {
        require!(self.market.frozen, BackstopError::MarketNotFrozen);
        Ok(())
    }

    /// Closes the record with nothing paid and nothing socialised: the way
    /// out of a record written with a stolen operator key. The admin freezes
    /// the market first (at once), so the same key cannot write another.
    #[access_control(ctx.accounts.validate())]
    pub fn void_bankruptcy(ctx: Context<VoidBankruptcy>, _debtor: Pubkey) -> Result<()> {
        let now = now()?;
        let a = ctx.accounts;
        a.market.close_record()?;
        if !a.market.isolated {
            a.pool.close_record(a.protocol.exit_clock_at(now))?;
        }
        emit_event!(BankruptcyVoided {
            market: a.market.key(),
            debtor: a.bankruptcy.debtor,
            deficit: a.bankruptcy.deficit,
            exposure: a.bankruptcy.exposure,
            admin: a.admin.key(),
            rent_to: a.operator.key(),
            market_open_records_after: a.market.open_bankruptcies,
            pool_open_records_after: a.pool.open_records,
            ts: now,
        });
        a.market.invariant()?;
        a.pool.ledger_invariant()
    }
}
