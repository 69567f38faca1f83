use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::UnstakeRequested;
use crate::groups::*; // a glob: Anchor's derive needs the groups' generated modules too
use crate::ops::mint_policy::inflows_allowed;
use crate::ops::token::{TokenMover, token_balance};
use crate::state::{Protocol, Stake, UnstakeRequest, pause};
use crate::utils::now;

#[derive(Accounts)]
pub struct RequestUnstake<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    /// The pool, its vault, revenue, mint and token program (`PoolBlock`).
    pub pool_block: PoolBlock<'info>,
    #[account(
        mut, dup,
        seeds = [STAKE_SEED, pool_block.pool.key().as_ref(), owner.key().as_ref()],
        bump = stake.bump(),
        constraint = stake.staker() == owner.key() @ BackstopError::NotStakeOwner
    )]
    pub stake: Box<Account<'info, Stake>>,
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

impl RequestUnstake<'_> {
    fn validate(&self, shares: u128) -> Result<()> {
        let PoolBlock { pool, vault, .. } = &self.pool_block;
        self.protocol.require_not_paused(pause::REQUEST_UNSTAKE)?;
        require!(shares > 0, BackstopError::ZeroShares);
        let epoch = pool.epoch;
        require!(
            !self.stake.has_current_request(epoch),
            BackstopError::RequestPending
        );
        require!(
            shares <= self.stake.checked_shares(epoch),
            BackstopError::InsufficientShares
        );
        pool.require_no_shortfall(vault.amount)
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
        let PoolBlock {
            pool,
            vault,
            revenue,
            mint,
            token_program,
        } = &mut a.pool_block;
        pool.apply_due_changes(now);
        // While the mint charges a transfer fee or carries an extension the
        // pool would refuse, nothing moves into the fund: the sweep waits (no
        // new staker can enter while staking is refused).
        if inflows_allowed(&mint.to_account_info(), pool)? {
            let tokens = TokenMover::new(token_program, mint, hook_accounts);
            a.treasury_pair
                .inline_sweep(
                    a.stake.key(),
                    a.owner.to_account_info(),
                    a.system_program.to_account_info(),
                )
                .run_if_needed(pool, &mut a.stake, vault, revenue, &tokens, now)?;
        }
        let value = pool.value_of(shares)?;
        let exit_clock = pool.exit_clock_at(a.protocol.exit_clock_at(now));
        let terms = UnstakeRequest {
            shares,
            value,
            ts: now,
            cooldown: pool.params.cooldown,
            window: pool.params.window,
            exit_clock,
        };
        a.stake.record_request(terms);
        emit_event!(UnstakeRequested {
            pool: pool.key(),
            owner: a.owner.key(),
            shares,
            value,
            requested_at: now,
            unlocks_at: terms.unlocks_at(),
            cooldown: terms.cooldown,
            window: terms.window,
            exit_clock,
            ts: now,
        });
        a.stake.invariant()?;
        pool.invariant(token_balance(&vault.to_account_info())?)
    }
}
