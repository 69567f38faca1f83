//! Paying out of a pool (bankruptcy or compensation), shared by
//! `resolve_bankruptcy` and `execute_payout`.

use anchor_lang::prelude::*;
use anchor_spl::token::TokenAccount;

use crate::events::PoolWipedOut;
use crate::state::{PayOutcome, Pool};
use crate::utils::transfer_signed;

/// Pays up to `amount` from the vault to `recipient`, then applies the
/// wipe-out rule (moving what is left of A to `revenue`).
pub fn pay_from_pool<'info>(
    pool: &mut Account<'info, Pool>,
    vault: &Account<'info, TokenAccount>,
    revenue: &Account<'info, TokenAccount>,
    recipient: &AccountInfo<'info>,
    token_program: &AccountInfo<'info>,
    amount: u64,
) -> Result<PayOutcome> {
    let total_shares_before = pool.total_shares;
    let outcome = pool.pay_out(amount)?;
    let seeds = pool.signer_seeds();
    let pool_info = pool.to_account_info();
    transfer_signed(
        token_program,
        &vault.to_account_info(),
        recipient,
        &pool_info,
        &seeds,
        outcome.paid,
    )?;
    if outcome.wiped {
        transfer_signed(
            token_program,
            &vault.to_account_info(),
            &revenue.to_account_info(),
            &pool_info,
            &seeds,
            outcome.to_revenue,
        )?;
        emit!(PoolWipedOut {
            pool: pool.key(),
            epoch_after: pool.epoch,
            total_shares_before,
            moved_to_revenue: outcome.to_revenue,
        });
    }
    Ok(outcome)
}
