use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::*;
use crate::errors::BackstopError;
use crate::ops::mint_policy::require_inflows_allowed;
use crate::ops::sweep::{TreasuryStake, is_treasury_stake, sweep_pool};
use crate::ops::token::{TokenMover, token_balance};
use crate::state::{Pool, Protocol, pause};
use crate::utils::now;

#[derive(Accounts)]
pub struct SweepRevenue<'info> {
    /// Any keeper; pays the rent of a new treasury's stake if the treasury changed.
    #[account(mut)]
    pub keeper: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, dup, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump, has_one = vault, has_one = revenue)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut, dup)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup)]
    pub revenue: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The treasury in effect: `Protocol.treasury`, or its pending change once
    /// due. Its stake (`treasury_stake`) receives the protocol's cut.
    /// CHECK: address checked against the protocol.
    #[account(address = protocol.treasury_at(now()?) @ BackstopError::TreasuryStakeMismatch)]
    pub treasury: UncheckedAccount<'info>,
    /// CHECK: the stake of the treasury in effect (checked by `is_treasury_stake`); created if missing.
    #[account(
        mut,
        constraint = is_treasury_stake(&treasury_stake, &pool.key(), &treasury.key())
            @ BackstopError::TreasuryStakeMismatch
    )]
    pub treasury_stake: UncheckedAccount<'info>,
    /// The pool's mint: every transfer is `transfer_checked`.
    #[account(address = pool.mint @ BackstopError::MintMismatch)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = pool.token_program @ BackstopError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl SweepRevenue<'_> {
    fn validate(&self) -> Result<()> {
        self.protocol.require_not_paused(pause::SWEEP)?;
        require!(self.pool.sweep_due(now()?), BackstopError::SweepNotDue);
        self.pool.require_no_shortfall(self.vault.amount)?;
        require_inflows_allowed(&self.mint.to_account_info(), &self.pool)
    }

    #[access_control(ctx.accounts.validate())]
    pub fn sweep_revenue<'info>(ctx: Context<'info, SweepRevenue<'info>>) -> Result<()> {
        let now = now()?;
        let hook_accounts = ctx.remaining_accounts;
        let a = ctx.accounts;
        let treasury = a.treasury.key();
        let mut treasury_stake = TreasuryStake::Separate {
            info: a.treasury_stake.to_account_info(),
            owner: treasury,
            payer: a.keeper.to_account_info(),
            system_program: a.system_program.to_account_info(),
        };
        let tokens = TokenMover::new(&a.token_program, &a.mint, hook_accounts);
        sweep_pool(
            &mut a.pool,
            &a.vault,
            &a.revenue,
            &tokens,
            &mut treasury_stake,
            now,
        )?;
        a.pool.invariant(token_balance(&a.vault.to_account_info())?)
    }
}
