use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::Staked;
use crate::ops::mint_policy::require_inflows_allowed;
use crate::ops::stake_account::{load_or_create_stake, save_stake};
use crate::ops::sweep::{InlineSweep, is_treasury_stake};
use crate::ops::token::{TokenMover, token_balance};
use crate::state::{Pool, Protocol, pause};
use crate::utils::{is_none_of, now};

#[derive(Accounts)]
pub struct StakeTokens<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, dup, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump, has_one = vault, has_one = revenue)]
    pub pool: Box<Account<'info, Pool>>,
    /// The staker's stake, created on the first stake (rent paid by the
    /// staker).
    /// CHECK: loaded or created by `load_or_create_stake` (a `Stake` of this
    /// pool and owner, or the empty address of its PDA).
    #[account(mut)]
    pub stake: UncheckedAccount<'info>,
    /// The treasury in effect: `Protocol.treasury`, or its pending change once
    /// due. Its stake (`treasury_stake`) receives the protocol's cut.
    /// CHECK: address checked against the protocol.
    #[account(address = protocol.treasury_at(now()?) @ BackstopError::TreasuryStakeMismatch)]
    pub treasury: UncheckedAccount<'info>,
    /// CHECK: the stake of the treasury in effect (checked by `is_treasury_stake`); credited if a sweep is due.
    #[account(
        mut,
        constraint = is_treasury_stake(&treasury_stake, &pool.key(), &treasury.key())
            @ BackstopError::TreasuryStakeMismatch
    )]
    pub treasury_stake: UncheckedAccount<'info>,
    #[account(mut, dup)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup)]
    pub revenue: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut, dup,
        constraint = is_none_of(&owner_tokens.key(), &[&vault.key(), &revenue.key()])
            @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount,
        constraint = owner_tokens.mint == pool.mint @ BackstopError::MintMismatch,
        constraint = *owner_tokens.to_account_info().owner == pool.token_program
            @ BackstopError::WrongTokenProgram,
        token::authority = owner
    )]
    pub owner_tokens: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The pool's mint: every transfer is `transfer_checked`.
    #[account(address = pool.mint @ BackstopError::MintMismatch)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = pool.token_program @ BackstopError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl StakeTokens<'_> {
    fn validate(&self, amount: u64) -> Result<()> {
        self.protocol.require_not_paused(pause::STAKE)?;
        require!(amount > 0, BackstopError::ZeroAmount);
        self.pool.require_no_shortfall(self.vault.amount)?;
        require_inflows_allowed(&self.mint.to_account_info(), &self.pool)
    }

    /// Sweeps first when due or when fresh revenue waits, then buys
    /// `shares_for(amount)` shares.
    #[access_control(ctx.accounts.validate(amount))]
    pub fn stake<'info>(ctx: Context<'info, StakeTokens<'info>>, amount: u64) -> Result<()> {
        let now = now()?;
        let hook_accounts = ctx.remaining_accounts;
        let a = ctx.accounts;
        a.pool.apply_due_changes(now);
        let pool_key = a.pool.key();
        let mut stake = load_or_create_stake(
            &a.stake,
            &a.owner,
            &a.system_program,
            pool_key,
            a.owner.key(),
            a.pool.epoch,
        )?;
        require!(
            !stake.has_current_request(a.pool.epoch),
            BackstopError::RequestPending
        );
        stake.sync_epoch(a.pool.epoch);

        let tokens = TokenMover::new(&a.token_program, &a.mint, hook_accounts);
        InlineSweep {
            treasury_stake: a.treasury_stake.to_account_info(),
            own_stake: a.stake.key(),
            treasury: a.treasury.key(),
            payer: a.owner.to_account_info(),
            system_program: a.system_program.to_account_info(),
        }
        .run_if_needed(&mut a.pool, &mut stake, &a.vault, &a.revenue, &tokens, now)?;

        let assets_before = a.pool.assets;
        let total_shares_before = a.pool.total_shares;
        let shares = a.pool.deposit(amount)?;
        tokens.by_owner(
            &a.owner_tokens.to_account_info(),
            &a.vault.to_account_info(),
            &a.owner.to_account_info(),
            amount,
        )?;
        stake.credit_deposit(shares, amount)?;
        emit_event!(Staked {
            pool: pool_key,
            owner: a.owner.key(),
            amount,
            shares,
            stake_shares_after: stake.checked_shares(a.pool.epoch),
            assets_before,
            assets_after: a.pool.assets,
            total_shares_before,
            total_shares_after: a.pool.total_shares,
        });
        stake.invariant()?;
        save_stake(&a.stake, &stake)?;
        a.pool.invariant(token_balance(&a.vault.to_account_info())?)
    }
}
