use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::UnstakeCompleted;
use crate::ops::token::{TokenMover, token_balance};
use crate::state::{Pool, Protocol, Stake, UnstakeRequest, pause};
use crate::utils::{is_none_of, now};

#[derive(Accounts)]
pub struct CompleteUnstake<'info> {
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
            @ BackstopError::WrongTokenProgram
    )]
    pub owner_tokens: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The pool's mint: every transfer is `transfer_checked`.
    #[account(address = pool.mint @ BackstopError::MintMismatch)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = pool.token_program @ BackstopError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl CompleteUnstake<'_> {
    fn validate(&self) -> Result<()> {
        self.protocol.require_not_paused(pause::COMPLETE_UNSTAKE)?;
        let request = self
            .stake
            .current_request(self.pool.epoch)
            .ok_or(BackstopError::NoPendingRequest)?;
        let now = now()?;
        require!(
            now >= request.unlocks_at(),
            BackstopError::CooldownNotElapsed
        );
        self.pool.require_no_shortfall(self.vault.amount)?;
        // No staker leaves ahead of a loss already recorded on this pool.
        self.pool.require_no_loss_pending()?;
        let exit_clock = self.pool.exit_clock_at(self.protocol.exit_clock_at(now));
        require!(
            !request.has_lapsed(exit_clock),
            BackstopError::RequestLapsed
        );
        Ok(())
    }

    /// Pays `min(recorded value, value_of(n))`; gains made during the cooldown
    /// stay with the remaining holders.
    #[access_control(ctx.accounts.validate())]
    pub fn complete_unstake<'info>(ctx: Context<'info, CompleteUnstake<'info>>) -> Result<()> {
        let hook_accounts = ctx.remaining_accounts;
        let a = ctx.accounts;
        let UnstakeRequest {
            shares,
            value: recorded_value,
            ..
        } = a.stake.request().ok_or(BackstopError::NoPendingRequest)?;
        let assets_before = a.pool.assets;
        let total_shares_before = a.pool.total_shares;
        let (paid, to_revenue) = a.pool.withdraw(shares, recorded_value, a.revenue.amount)?;
        a.stake.complete_request(paid)?;

        // An exit works even while the mint charges a transfer fee: A falls
        // by what leaves the vault and the staker bears the fee.
        let seeds = a.pool.signer_seeds();
        let tokens = TokenMover::new(&a.token_program, &a.mint, hook_accounts);
        let pool_info = a.pool.to_account_info();
        let vault = a.vault.to_account_info();
        tokens.signed(
            &vault,
            &a.owner_tokens.to_account_info(),
            &pool_info,
            &seeds,
            paid,
        )?;
        tokens.signed(
            &vault,
            &a.revenue.to_account_info(),
            &pool_info,
            &seeds,
            to_revenue,
        )?;
        emit_event!(UnstakeCompleted {
            pool: a.pool.key(),
            owner: a.owner.key(),
            shares,
            recorded_value,
            paid,
            assets_before,
            assets_after: a.pool.assets,
            total_shares_before,
            total_shares_after: a.pool.total_shares,
            moved_to_revenue: to_revenue,
        });
        a.stake.invariant()?;
        a.pool.invariant(token_balance(&a.vault.to_account_info())?)
    }
}
