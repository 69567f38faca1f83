use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::*;
use crate::events::PayoutExecuted;
use crate::groups::*; // a glob: Anchor's derive needs the groups' generated modules too
use crate::ops::payout::pay_from_pool;
use crate::ops::token::{TokenMover, token_balance};
use crate::state::{Payout, Protocol, pause};
use crate::utils::now;

#[derive(Accounts)]
pub struct ExecutePayout<'info> {
    pub keeper: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    /// The pool, its vault, revenue, mint and token program (`PoolBlock`).
    pub pool_block: PoolBlock<'info>,
    #[account(
        mut, dup,
        seeds = [PAYOUT_SEED, pool_block.pool.key().as_ref(), &payout.id.to_le_bytes()],
        bump = payout.bump,
        constraint = payout.pool == pool_block.pool.key() @ anchor_lang::error::ErrorCode::ConstraintHasOne,
        has_one = recipient
    )]
    pub payout: Box<Account<'info, Payout>>,
    #[account(
        mut, dup,
        constraint = pool_block.is_not_own_token_account(&recipient.key())
            @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount
    )]
    pub recipient: Box<InterfaceAccount<'info, TokenAccount>>,
}

impl ExecutePayout<'_> {
    fn validate(&self) -> Result<()> {
        let PoolBlock { pool, vault, .. } = &self.pool_block;
        self.protocol.require_not_paused(pause::PAYOUT)?;
        self.payout.require_executable(now()?)?;
        pool.require_no_shortfall(vault.amount)
    }

    /// Pays `min(amount, A)` (possibly 0), lowering the share price, then the
    /// wipe-out rule.
    #[access_control(ctx.accounts.validate())]
    pub fn execute_payout<'info>(ctx: Context<'info, ExecutePayout<'info>>) -> Result<()> {
        let hook_accounts = ctx.remaining_accounts;
        let a = ctx.accounts;
        let PoolBlock {
            pool,
            vault,
            revenue,
            mint,
            token_program,
        } = &mut a.pool_block;
        let assets_before = pool.assets;
        let tokens = TokenMover::new(token_program, mint, hook_accounts);
        let outcome = pay_from_pool(
            pool,
            vault,
            revenue,
            &a.recipient.to_account_info(),
            &tokens,
            a.payout.amount,
        )?;
        a.payout.mark_executed(outcome.paid);
        a.payout.invariant()?;
        emit_event!(PayoutExecuted {
            pool: pool.key(),
            id: a.payout.id,
            recipient: a.payout.recipient,
            amount: a.payout.amount,
            paid: outcome.paid,
            assets_before,
            assets_after: pool.assets,
            total_shares_after: pool.total_shares,
            ts: now()?,
        });
        pool.invariant(token_balance(&vault.to_account_info())?)
    }
}
