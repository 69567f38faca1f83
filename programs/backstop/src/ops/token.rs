//! Token movements. Every transfer is a `transfer_checked` through the pool's
//! own token program (SPL Token or Token-2022), so it carries the mint and its
//! decimals (docs/protocol.md, "Assets").

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TokenInterface, TransferChecked};

/// The token program and mint every transfer of one pool goes through.
pub struct TokenMover<'a, 'info> {
    pub token_program: AccountInfo<'info>,
    pub mint: &'a InterfaceAccount<'info, Mint>,
}

impl<'a, 'info> TokenMover<'a, 'info> {
    /// The instruction's token program (checked against the pool's) and mint.
    pub fn new(
        token_program: &Interface<'info, TokenInterface>,
        mint: &'a InterfaceAccount<'info, Mint>,
    ) -> Self {
        TokenMover {
            token_program: token_program.to_account_info(),
            mint,
        }
    }

    /// Moves `amount` out of an account whose authority is a PDA of this
    /// program (`seeds` include the bump). Nothing happens for 0.
    pub fn signed(
        &self,
        from: &AccountInfo<'info>,
        to: &AccountInfo<'info>,
        authority: &AccountInfo<'info>,
        seeds: &[&[u8]],
        amount: u64,
    ) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        token_interface::transfer_checked(
            CpiContext::new_with_signer(
                self.token_program.key(),
                self.accounts(from, to, authority),
                &[seeds],
            ),
            amount,
            self.mint.decimals,
        )
    }

    /// Moves `amount` out of an account whose owner signs the transaction.
    pub fn by_owner(
        &self,
        from: &AccountInfo<'info>,
        to: &AccountInfo<'info>,
        authority: &AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        token_interface::transfer_checked(
            CpiContext::new(self.token_program.key(), self.accounts(from, to, authority)),
            amount,
            self.mint.decimals,
        )
    }

    fn accounts(
        &self,
        from: &AccountInfo<'info>,
        to: &AccountInfo<'info>,
        authority: &AccountInfo<'info>,
    ) -> TransferChecked<'info> {
        TransferChecked {
            from: from.clone(),
            mint: self.mint.to_account_info(),
            to: to.clone(),
            authority: authority.clone(),
        }
    }
}
