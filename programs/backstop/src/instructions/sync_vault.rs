use anchor_lang::prelude::*;

use crate::events::{VaultSynced, VaultWrittenDown};
use crate::groups::*; // a glob: Anchor's derive needs the groups' generated modules too
use crate::ops::mint_policy::require_inflows_allowed;
use crate::ops::payout::finish_wipe_out;
use crate::ops::token::{TokenMover, token_balance};
use crate::utils::now;

#[derive(Accounts)]
pub struct SyncVault<'info> {
    pub keeper: Signer<'info>,
    /// The pool, its vault, revenue, mint and token program (`PoolBlock`).
    pub pool_block: PoolBlock<'info>,
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
        let PoolBlock {
            pool,
            vault,
            revenue,
            mint,
            token_program,
        } = &mut a.pool_block;
        let vault_balance_before = vault.amount;
        let tokens = TokenMover::new(token_program, mint, hook_accounts);
        let assets_before = pool.assets;
        let total_shares_before = pool.total_shares;
        if let Some(outcome) = pool.write_down(vault_balance_before, revenue.amount)? {
            finish_wipe_out(pool, vault, revenue, &tokens, &outcome, total_shares_before)?;
            emit_event!(VaultWrittenDown {
                pool: pool.key(),
                vault_balance: vault_balance_before,
                assets_before,
                assets_after: pool.assets,
                total_shares_before,
                total_shares_after: pool.total_shares,
                wiped_out: outcome.wiped,
                ts: now()?,
            });
        } else {
            let surplus = vault_balance_before - pool.assets;
            if surplus > 0 {
                require_inflows_allowed(&mint.to_account_info(), pool)?;
            }
            tokens.signed(
                &vault.to_account_info(),
                &revenue.to_account_info(),
                &pool.to_account_info(),
                &pool.signer_seeds(),
                surplus,
            )?;
            emit_event!(VaultSynced {
                pool: pool.key(),
                vault_balance_before,
                moved_to_revenue: surplus,
                ts: now()?,
            });
        }
        pool.invariant(token_balance(&vault.to_account_info())?)
    }
}
