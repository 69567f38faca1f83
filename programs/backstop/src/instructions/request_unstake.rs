use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::UnstakeRequested;
use crate::ops::mint_policy::inflows_allowed;
use crate::ops::sweep::{InlineSweep, is_treasury_stake};
use crate::ops::token::{TokenMover, token_balance};
use crate::state::{Pool, Protocol, Stake, UnstakeRequest, pause};
use crate::utils::now;

#[derive(Accounts)]
pub struct RequestUnstake<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, dup, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump, has_one = vault, has_one = revenue)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        mut, dup,
        seeds = [STAKE_SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump = stake.bump(),
        constraint = stake.staker() == owner.key() @ BackstopError::NotStakeOwner
    )]
    pub stake: Box<Account<'info, Stake>>,
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
    /// The pool's mint: every transfer is `transfer_checked`.
    #[account(address = pool.mint @ BackstopError::MintMismatch)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = pool.token_program @ BackstopError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl RequestUnstake<'_> {
    fn validate(&self, shares: u128) -> Result<()> {
        self.protocol.require_not_paused(pause::REQUEST_UNSTAKE)?;
        require!(shares > 0, BackstopError::ZeroShares);
        let epoch = self.pool.epoch;
        require!(
            !self.stake.has_current_request(epoch),
            BackstopError::RequestPending
        );
        require!(
            shares <= self.stake.checked_shares(epoch),
            BackstopError::InsufficientShares
        );
        self.pool.require_no_shortfall(self.vault.amount)
    }

    /// Sweeps first when due or when fresh revenue waits, then records the
    /// request on the terms in effect: `(n, value_of(n), now, cooldown,
    /// window, exit clock)`. The shares stay in the pool: they still bear
    /// losses but no longer earn.
    #[access_control(ctx.accounts.validate(shares))]
    pub fn request_unstake<'info>(
        ctx: Context<'info, RequestUnstake<'info>>,
        shares: u128,
    ) -> Result<()> {
        let now = now()?;
        let hook_accounts = ctx.remaining_accounts;
        let a = ctx.accounts;
        a.pool.apply_due_changes(now);
        // While the mint charges a transfer fee or carries an extension the
        // pool would refuse, nothing moves into the fund: the sweep waits (no
        // new staker can enter while staking is refused).
        if inflows_allowed(&a.mint.to_account_info(), &a.pool)? {
            let tokens = TokenMover::new(&a.token_program, &a.mint, hook_accounts);
            InlineSweep {
                treasury_stake: a.treasury_stake.to_account_info(),
                own_stake: a.stake.key(),
                treasury: a.treasury.key(),
                payer: a.owner.to_account_info(),
                system_program: a.system_program.to_account_info(),
            }
            .run_if_needed(
                &mut a.pool,
                &mut a.stake,
                &a.vault,
                &a.revenue,
                &tokens,
                now,
            )?;
        }
        let value = a.pool.value_of(shares)?;
        let exit_clock = a.pool.exit_clock_at(a.protocol.exit_clock_at(now));
        let terms = UnstakeRequest {
            shares,
            value,
            ts: now,
            cooldown: a.pool.params.cooldown,
            window: a.pool.params.window,
            exit_clock,
        };
        a.stake.record_request(terms);
        emit_event!(UnstakeRequested {
            pool: a.pool.key(),
            owner: a.owner.key(),
            shares,
            value,
            requested_at: now,
            unlocks_at: terms.unlocks_at(),
            cooldown: terms.cooldown,
            window: terms.window,
            exit_clock,
        });
        a.stake.invariant()?;
        a.pool.invariant(token_balance(&a.vault.to_account_info())?)
    }
}
