//! The accounts a mint's transfer hook needs on every transfer (Token-2022's
//! execute interface), resolved off-chain so the caller can pass them after an
//! instruction's own accounts: the hook program, its validation account
//! `["extra-account-metas", mint]` and the accounts that account lists.
//! Backstop forwards them to every transfer it makes (docs/protocol.md,
//! "Assets").
//!
//! Resolved here: accounts at a fixed address, and addresses derived from
//! literal seeds and the mint (the same for every transfer an instruction
//! makes). A list that derives an address from another account of the
//! transfer or from the amount is refused by name, since one instruction
//! makes transfers between different accounts.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_spl::token_2022::spl_token_2022::extension::transfer_hook::TransferHook;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::Mint;

/// Why a hook's accounts could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HookError {
    /// The validation account's data is not an extra-account list.
    BadValidationAccount,
    /// An extra account is derived in a way that differs per transfer.
    UnsupportedSeed(u8),
}

impl std::fmt::Display for HookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HookError::BadValidationAccount => {
                write!(
                    f,
                    "the hook's validation account is not an extra-account list"
                )
            }
            HookError::UnsupportedSeed(kind) => write!(
                f,
                "the hook derives an account from seed kind {kind}, which differs per transfer"
            ),
        }
    }
}

/// The hook program a mint names, if any (`None` for a classic mint, a mint
/// without the extension, or a hook with no program).
pub fn hook_program(mint_data: &[u8]) -> Option<Pubkey> {
    let mint = StateWithExtensions::<Mint>::unpack(mint_data).ok()?;
    let hook = mint.get_extension::<TransferHook>().ok()?;
    Option::<Pubkey>::from(hook.program_id)
}

/// The validation account of `mint`'s hook `program`.
pub fn validation_address(mint: &Pubkey, program: &Pubkey) -> Pubkey {
    crate::pda::find_program_address(&[b"extra-account-metas", mint.as_ref()], program)
}

/// `sha256("spl-transfer-hook-interface:execute")[..8]`, the interface's
/// discriminator of `Execute` and the type of its validation-account entry.
const EXECUTE_DISCRIMINATOR: [u8; 8] = [105, 37, 101, 197, 75, 251, 102, 26];

/// The accounts to append to an instruction that moves `mint`'s tokens:
/// nothing when the mint names no hook program; otherwise the extra accounts
/// the validation account lists (`validation_data`, `None` if it does not
/// exist), then the program and the validation account. None is a signer.
pub fn extra_accounts(
    mint: &Pubkey,
    mint_data: &[u8],
    validation_data: Option<&[u8]>,
) -> Result<Vec<AccountMeta>, HookError> {
    let Some(program) = hook_program(mint_data) else {
        return Ok(Vec::new());
    };
    let validation = validation_address(mint, &program);
    let mut metas = match validation_data {
        Some(data) => listed_accounts(mint, &program, data)?,
        None => Vec::new(),
    };
    metas.push(AccountMeta::new_readonly(program, false));
    metas.push(AccountMeta::new_readonly(validation, false));
    Ok(metas)
}

/// Appends the hook's accounts to `ix`.
pub fn with_extra_accounts(mut ix: Instruction, extra: &[AccountMeta]) -> Instruction {
    ix.accounts.extend_from_slice(extra);
    ix
}

/// The accounts of the `Execute` entry of a validation account: type (8),
/// length (u32), count (u32), then 35 bytes each: kind, address or seeds
/// (32), signer, writable.
fn listed_accounts(
    mint: &Pubkey,
    program: &Pubkey,
    data: &[u8],
) -> Result<Vec<AccountMeta>, HookError> {
    let bad = HookError::BadValidationAccount;
    let mut at = 0;
    while at + 12 <= data.len() {
        let kind = &data[at..at + 8];
        let len =
            u32::from_le_bytes(data[at + 8..at + 12].try_into().map_err(|_| bad.clone())?) as usize;
        let value = data.get(at + 12..at + 12 + len).ok_or(bad.clone())?;
        if kind == EXECUTE_DISCRIMINATOR {
            let count =
                u32::from_le_bytes(value.get(..4).ok_or(bad.clone())?.try_into().unwrap()) as usize;
            return (0..count)
                .map(|i| {
                    let entry = value.get(4 + i * 35..4 + (i + 1) * 35).ok_or(bad.clone())?;
                    resolve(mint, program, entry)
                })
                .collect();
        }
        at += 12 + len;
    }
    Err(bad)
}

fn resolve(mint: &Pubkey, program: &Pubkey, entry: &[u8]) -> Result<AccountMeta, HookError> {
    let config: [u8; 32] = entry[1..33].try_into().expect("32 bytes");
    let address = match entry[0] {
        0 => Pubkey::new_from_array(config),
        1..=127 => derive(mint, program, &config)?,
        kind => return Err(HookError::UnsupportedSeed(kind)),
    };
    let (signer, writable) = (entry[33] != 0, entry[34] != 0);
    Ok(if writable {
        AccountMeta::new(address, signer)
    } else {
        AccountMeta::new_readonly(address, signer)
    })
}

/// A PDA of the hook program from packed seeds: literal (1, len, bytes) and
/// the mint (3, index 1); anything else differs per transfer.
fn derive(mint: &Pubkey, program: &Pubkey, config: &[u8; 32]) -> Result<Pubkey, HookError> {
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    let mut at = 0;
    while at < config.len() && config[at] != 0 {
        match config[at] {
            1 => {
                let len = *config.get(at + 1).ok_or(HookError::BadValidationAccount)? as usize;
                let bytes = config
                    .get(at + 2..at + 2 + len)
                    .ok_or(HookError::BadValidationAccount)?;
                seeds.push(bytes.to_vec());
                at += 2 + len;
            }
            3 if config.get(at + 1) == Some(&1) => {
                seeds.push(mint.to_bytes().to_vec());
                at += 2;
            }
            kind => return Err(HookError::UnsupportedSeed(kind)),
        }
    }
    let refs: Vec<&[u8]> = seeds.iter().map(Vec::as_slice).collect();
    Ok(crate::pda::find_program_address(&refs, program))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(entries: &[[u8; 35]]) -> Vec<u8> {
        let mut data = EXECUTE_DISCRIMINATOR.to_vec();
        data.extend_from_slice(&((4 + 35 * entries.len()) as u32).to_le_bytes());
        data.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        for e in entries {
            data.extend_from_slice(e);
        }
        data
    }

    #[test]
    fn fixed_and_mint_derived_accounts_resolve() {
        let (mint, program) = (Pubkey::new_unique(), Pubkey::new_unique());
        let fixed = Pubkey::new_unique();
        let mut a = [0u8; 35];
        a[1..33].copy_from_slice(fixed.as_ref());
        a[34] = 1;
        // seeds: literal "cfg", then the mint (account index 1)
        let mut b = [0u8; 35];
        b[0] = 1;
        b[1..8].copy_from_slice(&[1, 3, b'c', b'f', b'g', 3, 1]);
        let metas = listed_accounts(&mint, &program, &list(&[a, b])).unwrap();
        assert_eq!(metas[0], AccountMeta::new(fixed, false));
        let pda = Pubkey::find_program_address(&[b"cfg", mint.as_ref()], &program).0;
        assert_eq!(metas[1], AccountMeta::new_readonly(pda, false));
        // a seed from the source account (index 0) differs per transfer
        let mut c = [0u8; 35];
        c[0] = 1;
        c[1..3].copy_from_slice(&[3, 0]);
        assert_eq!(
            listed_accounts(&mint, &program, &list(&[c])),
            Err(HookError::UnsupportedSeed(3))
        );
        assert_eq!(
            listed_accounts(&mint, &program, &[1, 2, 3]),
            Err(HookError::BadValidationAccount)
        );
    }
}
