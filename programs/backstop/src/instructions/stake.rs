use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::Staked;
use crate::groups::*; // a glob: Anchor's derive needs the groups' generated modules too
use crate::ops::mint_policy::require_inflows_allowed;
use crate::ops::stake_account::{load_or_create_stake, save_stake};
use crate::ops::token::{TokenMover, token_balance};
use crate::state::{Protocol, pause};
use crate::utils::now;

#[derive(Accounts)]
pub struct StakeTokens<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    /// The pool, its vault, revenue, mint and token program (`PoolBlock`).
    pub pool_block: PoolBlock<'info>,
    /// The staker's stake, created on the first stake (rent paid by the
    /// staker).
    /// CHECK: loaded or created by `load_or_create_stake` (a `Stake` of this
    /// pool and owner, or the empty address of its PDA).
    #[account(mut)]
    pub stake: UncheckedAccount<'info>,
    /// The treasury in effect and its stake in the pool (`TreasuryPair`).
    #[account(
        constraint = treasury_pair.is_treasury_in_effect(&protocol, now()?)
            @ BackstopError::TreasuryMismatch,
        constraint = treasury_pair.is_treasury_stake_in(&pool_block.pool.key())
            @ BackstopError::TreasuryStakeMismatch
    )]
    pub treasury_pair: TreasuryPair<'info>,
    #[account(
        mut, dup,
        constraint = pool_block.is_not_own_token_account(&owner_tokens.key())
            @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount,
        constraint = owner_tokens.mint == pool_block.pool.mint @ BackstopError::MintMismatch,
        constraint = *owner_tokens.to_account_info().owner == pool_block.pool.token_program
            @ BackstopError::WrongTokenProgram,
        token::authority = owner
    )]
    pub owner_tokens: Box<InterfaceAccount<'info, TokenAccount>>,
    pub system_program: Program<'info, System>,
}

impl StakeTokens<'_> {
    fn validate(&self, amount: u64) -> Result<()> {
        let PoolBlock {
            pool, vault, mint, ..
        } = &self.pool_block;
        self.protocol.require_not_paused(pause::STAKE)?;
        require!(amount > 0, BackstopError::ZeroAmount);
        pool.require_no_shortfall(vault.amount)?;
        require_inflows_allowed(&mint.to_account_info(), pool)
    }

    /// Sweeps first when due or when fresh revenue waits, then buys
    /// `shares_for(amount)` shares.
    #[access_control(ctx.accounts.validate(amount))]
    pub fn stake<'info>(ctx: Context<'info, StakeTokens<'info>>, amount: u64) -> Result<()> {
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
        pool.apply_due_changes(now);
        let pool_key = pool.key();
        let mut stake = load_or_create_stake(
            &a.stake,
            &a.owner,
            &a.system_program,
            pool_key,
            a.owner.key(),
            pool.epoch,
        )?;
        require!(
            !stake.has_current_request(pool.epoch),
            BackstopError::RequestPending
        );
        stake.sync_epoch(pool.epoch);

        let tokens = TokenMover::new(token_program, mint, hook_accounts);
        a.treasury_pair
            .inline_sweep(
                a.stake.key(),
                a.owner.to_account_info(),
                a.system_program.to_account_info(),
            )
            .run_if_needed(pool, &mut stake, vault, revenue, &tokens, now)?;

        let assets_before = pool.assets;
        let total_shares_before = pool.total_shares;
        let shares = pool.deposit(amount)?;
        tokens.by_owner(
            &a.owner_tokens.to_account_info(),
            &vault.to_account_info(),
            &a.owner.to_account_info(),
            amount,
        )?;
        stake.credit_deposit(shares, amount)?;
        emit_event!(Staked {
            pool: pool_key,
            owner: a.owner.key(),
            amount,
            shares,
            stake_shares_after: stake.checked_shares(pool.epoch),
            assets_before,
            assets_after: pool.assets,
            total_shares_before,
            total_shares_after: pool.total_shares,
            ts: now,
        });
        stake.invariant()?;
        save_stake(&a.stake, &stake)?;
        pool.invariant(token_balance(&vault.to_account_info())?)
    }
}
