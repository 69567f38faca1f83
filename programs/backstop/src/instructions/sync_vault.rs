use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::{VaultSynced, VaultWrittenDown};
use crate::ops::mint_policy::require_inflows_allowed;
use crate::ops::payout::finish_wipe_out;
use crate::ops::token::{TokenMover, token_balance};
use crate::state::Pool;
use crate::utils::now;

#[derive(Accounts)]
pub struct SyncVault<'info> {
    pub keeper: Signer<'info>,
    #[account(mut, dup, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump, has_one = vault, has_one = revenue)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut, dup)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup)]
    pub revenue: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The pool's mint: every transfer is `transfer_checked`.
    #[account(address = pool.mint @ BackstopError::MintMismatch)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = pool.token_program @ BackstopError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl SyncVault<'_> {
    /// Brings A and the vault together, by anyone, never paused:
    /// - a surplus (donations: vault balance − A) moves into `revenue`, where
    ///   the next sweep turns it into staker revenue;
    /// - a shortfall (a permanent delegate took tokens) writes A down to the
    ///   vault balance, a loss to the stakers, then the wipe-out rule. Until
    ///   then every other instruction of the pool refuses (`VaultShortfall`).
    pub fn sync_vault<'info>(ctx: Context<'info, SyncVault<'info>>) -> Result<()> {
        let hook_accounts = ctx.remaining_accounts;
        let a = ctx.accounts;
        let vault_balance_before = a.vault.amount;
        let tokens = TokenMover::new(&a.token_program, &a.mint, hook_accounts);
        let assets_before = a.pool.assets;
        let total_shares_before = a.pool.total_shares;
        if let Some(outcome) = a.pool.write_down(vault_balance_before, a.revenue.amount)? {
            finish_wipe_out(
                &a.pool,
                &a.vault,
                &a.revenue,
                &tokens,
                &outcome,
                total_shares_before,
            )?;
            emit_event!(VaultWrittenDown {
                pool: a.pool.key(),
                vault_balance: vault_balance_before,
                assets_before,
                assets_after: a.pool.assets,
                total_shares_before,
                total_shares_after: a.pool.total_shares,
                wiped_out: outcome.wiped,
                ts: now()?,
            });
        } else {
            let surplus = vault_balance_before - a.pool.assets;
            if surplus > 0 {
                require_inflows_allowed(&a.mint.to_account_info(), &a.pool)?;
            }
            tokens.signed(
                &a.vault.to_account_info(),
                &a.revenue.to_account_info(),
                &a.pool.to_account_info(),
                &a.pool.signer_seeds(),
                surplus,
            )?;
            emit_event!(VaultSynced {
                pool: a.pool.key(),
                vault_balance_before,
                moved_to_revenue: surplus
            });
        }
        a.pool.invariant(token_balance(&a.vault.to_account_info())?)
    }
}
