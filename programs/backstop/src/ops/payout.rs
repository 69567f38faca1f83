//! Paying out of a pool (bankruptcy or compensation), shared by
//! `resolve_bankruptcy` and `execute_payout`, and the wipe-out rule that
//! follows every payout and every write-down of a short vault.

use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::events::PoolWipedOut;
use crate::ops::token::TokenMover;
use crate::state::{PayOutcome, Pool};
use crate::utils::now;

/// Pays up to `amount` from the vault to `recipient`, then applies the
/// wipe-out rule (moving what is left of A to `revenue`). With a transfer fee
/// on, the recipient bears it: A falls by the full amount that leaves.
pub fn pay_from_pool<'info>(
    pool: &mut Account<'info, Pool>,
    vault: &InterfaceAccount<'info, TokenAccount>,
    revenue: &InterfaceAccount<'info, TokenAccount>,
    recipient: &AccountInfo<'info>,
    tokens: &TokenMover<'_, 'info>,
    amount: u64,
) -> Result<PayOutcome> {
    let total_shares_before = pool.total_shares;
    let outcome = pool.pay_out(amount, revenue.amount)?;
    tokens.signed(
        &vault.to_account_info(),
        recipient,
        &pool.to_account_info(),
        &pool.signer_seeds(),
        outcome.paid,
    )?;
    finish_wipe_out(pool, vault, revenue, tokens, &outcome, total_shares_before)?;
    Ok(outcome)
}

/// When a payout or write-down wiped the pool out, moves what was left of A
/// to `revenue` and emits [`PoolWipedOut`].
pub fn finish_wipe_out<'info>(
    pool: &Account<'info, Pool>,
    vault: &InterfaceAccount<'info, TokenAccount>,
    revenue: &InterfaceAccount<'info, TokenAccount>,
    tokens: &TokenMover<'_, 'info>,
    outcome: &PayOutcome,
    total_shares_before: u128,
) -> Result<()> {
    if !outcome.wiped {
        return Ok(());
    }
    tokens.signed(
        &vault.to_account_info(),
        &revenue.to_account_info(),
        &pool.to_account_info(),
        &pool.signer_seeds(),
        outcome.to_revenue,
    )?;
    emit_event!(PoolWipedOut {
        pool: pool.key(),
        epoch_after: pool.epoch,
        total_shares_before,
        moved_to_revenue: outcome.to_revenue,
        ts: now()?,
    });
    Ok(())
}
