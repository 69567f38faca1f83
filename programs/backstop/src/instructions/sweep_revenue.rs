use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::groups::*; // a glob: Anchor's derive needs the groups' generated modules too
use crate::ops::mint_policy::require_inflows_allowed;
use crate::ops::sweep::{TreasuryStake, sweep_pool};
use crate::ops::token::{TokenMover, token_balance};
use crate::state::{Protocol, pause};
use crate::utils::now;

#[derive(Accounts)]
pub struct SweepRevenue<'info> {
    /// Any keeper; pays the rent of a new treasury's stake if the treasury changed.
    #[account(mut)]
    pub keeper: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    /// The pool, its vault, revenue, mint and token program (`PoolBlock`).
    pub pool_block: PoolBlock<'info>,
    /// The treasury in effect and its stake in the pool (`TreasuryPair`).
    #[account(
        constraint = treasury_pair.is_treasury_in_effect(&protocol, now()?)
            @ BackstopError::TreasuryMismatch,
        constraint = treasury_pair.is_treasury_stake_in(&pool_block.pool.key())
            @ BackstopError::TreasuryStakeMismatch
    )]
    pub treasury_pair: TreasuryPair<'info>,
    pub system_program: Program<'info, System>,
}

impl SweepRevenue<'_> {
    fn validate(&self) -> Result<()> {
        let PoolBlock {
            pool, vault, mint, ..
        } = &self.pool_block;
        self.protocol.require_not_paused(pause::SWEEP)?;
        require!(pool.sweep_due(now()?), BackstopError::SweepNotDue);
        pool.require_no_shortfall(vault.amount)?;
        require_inflows_allowed(&mint.to_account_info(), pool)
    }

    #[access_control(ctx.accounts.validate())]
    pub fn sweep_revenue<'info>(ctx: Context<'info, SweepRevenue<'info>>) -> Result<()> {
        let now = now()?;
        let hook_accounts = ctx.remaining_accounts;
        let a = ctx.accounts;
        let PoolBlock {
            pool,
            vault,
            revenue,
            mint,
            token_program,
        } = &mut a.pool_block;
        let treasury = a.treasury_pair.treasury.key();
        let mut treasury_stake = TreasuryStake::Separate {
            info: a.treasury_pair.treasury_stake.to_account_info(),
            owner: treasury,
            payer: a.keeper.to_account_info(),
            system_program: a.system_program.to_account_info(),
        };
        let tokens = TokenMover::new(token_program, mint, hook_accounts);
        sweep_pool(pool, vault, revenue, &tokens, &mut treasury_stake, now)?;
        pool.invariant(token_balance(&vault.to_account_info())?)
    }
}
