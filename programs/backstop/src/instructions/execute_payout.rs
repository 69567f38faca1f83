use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::PayoutExecuted;
use crate::ops::payout::pay_from_pool;
use crate::ops::token::{TokenMover, token_balance};
use crate::state::{Payout, Pool, Protocol, pause};
use crate::utils::{is_none_of, now};

#[derive(Accounts)]
pub struct ExecutePayout<'info> {
    pub keeper: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, dup, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump, has_one = vault, has_one = revenue)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        mut, dup,
        seeds = [PAYOUT_SEED, pool.key().as_ref(), &payout.id.to_le_bytes()],
        bump = payout.bump,
        has_one = pool,
        has_one = recipient
    )]
    pub payout: Box<Account<'info, Payout>>,
    #[account(mut, dup)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup)]
    pub revenue: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut, dup,
        constraint = is_none_of(&recipient.key(), &[&vault.key(), &revenue.key()])
            @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount
    )]
    pub recipient: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The pool's mint: every transfer is `transfer_checked`.
    #[account(address = pool.mint @ BackstopError::MintMismatch)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = pool.token_program @ BackstopError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl ExecutePayout<'_> {
    fn validate(&self) -> Result<()> {
        self.protocol.require_not_paused(pause::PAYOUT)?;
        self.payout.require_executable(now()?)?;
        self.pool.require_no_shortfall(self.vault.amount)
    }

    /// Pays `min(amount, A)` (possibly 0), lowering the share price, then the
    /// wipe-out rule.
    #[access_control(ctx.accounts.validate())]
    pub fn execute_payout<'info>(ctx: Context<'info, ExecutePayout<'info>>) -> Result<()> {
        let hook_accounts = ctx.remaining_accounts;
        let a = ctx.accounts;
        let assets_before = a.pool.assets;
        let tokens = TokenMover::new(&a.token_program, &a.mint, hook_accounts);
        let outcome = pay_from_pool(
            &mut a.pool,
            &a.vault,
            &a.revenue,
            &a.recipient.to_account_info(),
            &tokens,
            a.payout.amount,
        )?;
        a.payout.mark_executed(outcome.paid);
        a.payout.invariant()?;
        emit_event!(PayoutExecuted {
            pool: a.pool.key(),
            id: a.payout.id,
            recipient: a.payout.recipient,
            amount: a.payout.amount,
            paid: outcome.paid,
            assets_before,
            assets_after: a.pool.assets,
            total_shares_after: a.pool.total_shares,
        });
        a.pool.invariant(token_balance(&a.vault.to_account_info())?)
    }
}
