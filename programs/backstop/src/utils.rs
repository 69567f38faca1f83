//! Small helpers shared by the instruction handlers.

use anchor_lang::prelude::*;
use anchor_spl::token::{self, Transfer};

/// The cluster's unix time.
pub fn now() -> Result<i64> {
    Ok(Clock::get()?.unix_timestamp)
}

/// Moves `amount` tokens with a PDA authority (`seeds` include the bump).
pub fn transfer_signed<'info>(
    token_program: &AccountInfo<'info>,
    from: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    seeds: &[&[u8]],
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    token::transfer(
        CpiContext::new_with_signer(
            token_program.key(),
            Transfer {
                from: from.clone(),
                to: to.clone(),
                authority: authority.clone(),
            },
            &[seeds],
        ),
        amount,
    )
}

/// Moves `amount` tokens signed by their owner, who signs the transaction.
pub fn transfer_by_owner<'info>(
    token_program: &AccountInfo<'info>,
    from: &AccountInfo<'info>,
    to: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    token::transfer(
        CpiContext::new(
            token_program.key(),
            Transfer {
                from: from.clone(),
                to: to.clone(),
                authority: authority.clone(),
            },
        ),
        amount,
    )
}
