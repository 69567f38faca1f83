//! Associated token accounts, for both token programs (the token program is
//! part of an associated account's address).

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::system_program;

use anchor_spl::token_2022::spl_token_2022::extension::StateWithExtensions;
use anchor_spl::token_2022::spl_token_2022::state::{Account as TokenAccount, Mint};

use crate::ix::Asset;

/// The classic SPL Token program.
pub const SPL_TOKEN_PROGRAM: Pubkey = anchor_spl::token::ID;
/// The Token-2022 program.
pub const TOKEN_2022_PROGRAM: Pubkey = anchor_spl::token_2022::ID;

/// The Associated Token Account program.
pub const ASSOCIATED_TOKEN_PROGRAM: Pubkey =
    Pubkey::from_str_const("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");

/// The associated token account of `owner` for an asset.
pub fn associated_token_account(owner: &Pubkey, asset: Asset) -> Pubkey {
    crate::pda::find_program_address(
        &[
            owner.as_ref(),
            asset.token_program.as_ref(),
            asset.mint.as_ref(),
        ],
        &ASSOCIATED_TOKEN_PROGRAM,
    )
}

/// Creates `owner`'s associated token account for an asset unless it exists.
pub fn create_associated_token_account_idempotent(
    payer: &Pubkey,
    owner: &Pubkey,
    asset: Asset,
) -> Instruction {
    Instruction {
        program_id: ASSOCIATED_TOKEN_PROGRAM,
        accounts: vec![
            AccountMeta::new(*payer, true),
            AccountMeta::new(associated_token_account(owner, asset), false),
            AccountMeta::new_readonly(*owner, false),
            AccountMeta::new_readonly(asset.mint, false),
            AccountMeta::new_readonly(system_program::ID, false),
            AccountMeta::new_readonly(asset.token_program, false),
        ],
        // CreateIdempotent
        data: vec![1],
    }
}

/// Mints `amount` of an asset into `to`, signed by the mint authority.
pub fn mint_to(asset: Asset, to: &Pubkey, authority: &Pubkey, amount: u64) -> Instruction {
    anchor_spl::token_2022::spl_token_2022::instruction::mint_to(
        &asset.token_program,
        &asset.mint,
        to,
        authority,
        &[],
        amount,
    )
    .expect("a token program id")
}

/// `owner`'s associated token account of a receipt mint (always Token-2022).
pub fn receipt_account(owner: &Pubkey, receipt_mint: &Pubkey) -> Pubkey {
    associated_token_account(owner, Asset::token_2022(*receipt_mint))
}

/// A mint's supply, for either token program.
pub fn mint_supply(data: &[u8]) -> Option<u64> {
    StateWithExtensions::<Mint>::unpack(data)
        .ok()
        .map(|m| m.base.supply)
}

/// A `transfer_checked` of `asset` (either token program), signed by `authority`.
pub fn transfer_checked(
    asset: Asset,
    from: &Pubkey,
    to: &Pubkey,
    authority: &Pubkey,
    amount: u64,
    decimals: u8,
) -> Instruction {
    anchor_spl::token_2022::spl_token_2022::instruction::transfer_checked(
        &asset.token_program,
        from,
        &asset.mint,
        to,
        authority,
        &[],
        amount,
        decimals,
    )
    .expect("a token program id")
}

/// A mint's decimals, for either token program.
pub fn mint_decimals(data: &[u8]) -> Option<u8> {
    StateWithExtensions::<Mint>::unpack(data)
        .ok()
        .map(|m| m.base.decimals)
}

/// A token account's mint and balance, for either token program.
pub fn token_account_mint_and_amount(data: &[u8]) -> Option<(Pubkey, u64)> {
    StateWithExtensions::<TokenAccount>::unpack(data)
        .ok()
        .map(|a| (a.base.mint, a.base.amount))
}

/// A token account's balance, for either token program.
pub fn token_account_amount(data: &[u8]) -> Option<u64> {
    StateWithExtensions::<TokenAccount>::unpack(data)
        .ok()
        .map(|a| a.base.amount)
}

/// A token account's owner (its authority), for either token program: what
/// `create_market` and `update_market` pass beside a settlement account.
pub fn token_account_owner(data: &[u8]) -> Option<Pubkey> {
    StateWithExtensions::<TokenAccount>::unpack(data)
        .ok()
        .map(|a| a.base.owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_program_is_part_of_the_address() {
        let (owner, mint) = (Pubkey::new_unique(), Pubkey::new_unique());
        let classic = associated_token_account(&owner, Asset::spl_token(mint));
        let t22 = associated_token_account(&owner, Asset::token_2022(mint));
        assert_ne!(classic, t22);
        let ix =
            create_associated_token_account_idempotent(&owner, &owner, Asset::token_2022(mint));
        assert_eq!(ix.accounts[1].pubkey, t22);
        assert_eq!(ix.accounts[5].pubkey, anchor_spl::token_2022::ID);
    }
}
