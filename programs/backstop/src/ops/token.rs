//! Token movements. Every transfer is a `transfer_checked` through the pool's
//! own token program (SPL Token or Token-2022), so it carries the mint and its
//! decimals (docs/protocol.md, "Assets"). A mint with a transfer hook needs the
//! hook's accounts on every transfer (Token-2022's execute interface: the hook
//! program, its validation account and the accounts it lists): the caller
//! passes them after the instruction's own accounts and every transfer
//! forwards them, so the fund keeps working when the issuer sets or changes
//! the hook program.

use anchor_lang::prelude::*;
use anchor_lang::solana_program::instruction::AccountMeta;
use anchor_lang::solana_program::program::invoke_signed;
use anchor_spl::token_2022::spl_token_2022;
use anchor_spl::token_interface::{Mint, TokenInterface};

/// The token program and mint every transfer of one pool goes through, and
/// the transfer hook's accounts, if the caller passed any.
pub struct TokenMover<'a, 'info> {
    pub token_program: AccountInfo<'info>,
    pub mint: &'a InterfaceAccount<'info, Mint>,
    pub hook_accounts: &'a [AccountInfo<'info>],
}

impl<'a, 'info> TokenMover<'a, 'info> {
    /// The instruction's token program (checked against the pool's) and mint;
    /// `hook_accounts` are the instruction's remaining accounts.
    pub fn new(
        token_program: &Interface<'info, TokenInterface>,
        mint: &'a InterfaceAccount<'info, Mint>,
        hook_accounts: &'a [AccountInfo<'info>],
    ) -> Self {
        TokenMover {
            token_program: token_program.to_account_info(),
            mint,
            hook_accounts,
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
        self.transfer_checked(from, to, authority, &[seeds], amount)
    }

    /// Moves `amount` out of an account whose owner signs the transaction.
    pub fn by_owner(
        &self,
        from: &AccountInfo<'info>,
        to: &AccountInfo<'info>,
        authority: &AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        self.transfer_checked(from, to, authority, &[], amount)
    }

    fn transfer_checked(
        &self,
        from: &AccountInfo<'info>,
        to: &AccountInfo<'info>,
        authority: &AccountInfo<'info>,
        signer_seeds: &[&[&[u8]]],
        amount: u64,
    ) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        // The same instruction layout serves SPL Token and Token-2022.
        let mut ix = spl_token_2022::instruction::transfer_checked(
            self.token_program.key,
            from.key,
            self.mint.to_account_info().key,
            to.key,
            authority.key,
            &[],
            amount,
            self.mint.decimals,
        )?;
        let mut infos = Vec::with_capacity(4 + self.hook_accounts.len());
        infos.extend([
            from.clone(),
            self.mint.to_account_info(),
            to.clone(),
            authority.clone(),
        ]);
        for extra in self.hook_accounts {
            // Never as a signer: the hook gets no authority of ours.
            ix.accounts.push(if extra.is_writable {
                AccountMeta::new(*extra.key, false)
            } else {
                AccountMeta::new_readonly(*extra.key, false)
            });
            infos.push(extra.clone());
        }
        invoke_signed(&ix, &infos, signer_seeds).map_err(Into::into)
    }
}

/// A token account's balance read from its bytes: the `amount` at offset 64,
/// where both token programs keep it. After an instruction's own transfers
/// this is all the ledger invariant needs, so the account is not
/// deserialised again (Anchor's `reload` parses the whole account, and its
/// extensions on Token-2022). Anchor never writes a token account back, as
/// the token program owns it.
pub fn token_balance(account: &AccountInfo) -> Result<u64> {
    let data = account.try_borrow_data()?;
    let amount: [u8; 8] = data
        .get(64..72)
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(ProgramError::InvalidAccountData)?;
    Ok(u64::from_le_bytes(amount))
}
