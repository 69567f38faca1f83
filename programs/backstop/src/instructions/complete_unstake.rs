use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::UnstakeCompleted;
use crate::groups::*; // a glob: Anchor's derive needs the groups' generated modules too
use crate::ops::token::{TokenMover, token_balance};
use crate::state::{Protocol, Stake, UnstakeRequest, pause};
use crate::utils::now;

#[derive(Accounts)]
pub struct CompleteUnstake<'info> {
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
    #[account(
        mut, dup,
        constraint = pool_block.is_not_own_token_account(&owner_tokens.key())
            @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount,
        constraint = owner_tokens.mint == pool_block.pool.mint @ BackstopError::MintMismatch,
        constraint = *owner_tokens.to_account_info().owner == pool_block.pool.token_program
            @ BackstopError::WrongTokenProgram
    )]
    pub owner_tokens: Box<InterfaceAccount<'info, TokenAccount>>,
}

impl CompleteUnstake<'_> {
    fn validate(&self) -> Result<()> {
        let PoolBlock { pool, vault, .. } = &self.pool_block;
        self.protocol.require_not_paused(pause::COMPLETE_UNSTAKE)?;
        let request = self
            .stake
            .current_request(pool.epoch)
            .ok_or(BackstopError::NoPendingRequest)?;
        let now = now()?;
        require!(
            now >= request.unlocks_at(),
            BackstopError::CooldownNotElapsed
        );
        pool.require_no_shortfall(vault.amount)?;
        // No staker leaves ahead of a loss already recorded on this pool.
        pool.require_no_loss_pending()?;
        let exit_clock = pool.exit_clock_at(self.protocol.exit_clock_at(now));
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
        let PoolBlock {
            pool,
            vault,
            revenue,
            mint,
            token_program,
        } = &mut a.pool_block;
        let UnstakeRequest {
            shares,
            value: recorded_value,
            ..
        } = a.stake.request().ok_or(BackstopError::NoPendingRequest)?;
        let assets_before = pool.assets;
        let total_shares_before = pool.total_shares;
        let (paid, to_revenue) = pool.withdraw(shares, recorded_value, revenue.amount)?;
        a.stake.complete_request(paid)?;

        // An exit works even while the mint charges a transfer fee: A falls
        // by what leaves the vault and the staker bears the fee.
        let seeds = pool.signer_seeds();
        let tokens = TokenMover::new(token_program, mint, hook_accounts);
        let pool_info = pool.to_account_info();
        let vault = vault.to_account_info();
        tokens.signed(
            &vault,
            &a.owner_tokens.to_account_info(),
            &pool_info,
            &seeds,
            paid,
        )?;
        tokens.signed(
            &vault,
            &revenue.to_account_info(),
            &pool_info,
            &seeds,
            to_revenue,
        )?;
        emit_event!(UnstakeCompleted {
            pool: pool.key(),
            owner: a.owner.key(),
            shares,
            recorded_value,
            paid,
            assets_before,
            assets_after: pool.assets,
            total_shares_before,
            total_shares_after: pool.total_shares,
            moved_to_revenue: to_revenue,
            ts: now()?,
        });
        a.stake.invariant()?;
        pool.invariant(token_balance(&vault.to_account_info())?)
    }
}
