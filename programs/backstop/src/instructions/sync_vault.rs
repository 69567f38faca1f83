use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};

use crate::constants::*;
use crate::events::VaultSynced;
use crate::state::Pool;
use crate::utils::transfer_signed;

#[derive(Accounts)]
pub struct SyncVault<'info> {
    pub keeper: Signer<'info>,
    #[account(seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump, has_one = vault, has_one = revenue)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut)]
    pub vault: Box<Account<'info, TokenAccount>>,
    #[account(mut)]
    pub revenue: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

impl SyncVault<'_> {
    /// Moves donations (vault balance − A) into `revenue`, where the next
    /// sweep turns them into staker revenue. Never paused: it cannot change
    /// the share price by itself.
    pub fn sync_vault(ctx: Context<SyncVault>) -> Result<()> {
        let a = ctx.accounts;
        let vault_balance_before = a.vault.amount;
        let surplus = vault_balance_before.saturating_sub(a.pool.assets);
        let seeds = a.pool.signer_seeds();
        transfer_signed(
            &a.token_program.to_account_info(),
            &a.vault.to_account_info(),
            &a.revenue.to_account_info(),
            &a.pool.to_account_info(),
            &seeds,
            surplus,
        )?;
        emit!(VaultSynced {
            pool: a.pool.key(),
            vault_balance_before,
            moved_to_revenue: surplus
        });
        a.vault.reload()?;
        a.pool.invariant(a.vault.amount)
    }
}
