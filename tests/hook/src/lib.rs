//! A Token-2022 transfer hook for the tests (issue 19), written to the
//! transfer-hook interface: Token-2022 calls its `Execute` on every transfer
//! of a mint whose hook names it, with the accounts its validation account
//! (`["extra-account-metas", mint]`) lists. It lists one: its config
//! `["config", mint]`, whose first byte says whether to refuse transfers. The
//! tests write both accounts into the bank; the hook only reads them.

use anchor_lang::prelude::*;
use anchor_lang::solana_program::entrypoint::ProgramResult;

// Upstream-Rust SBF build (sbf/build): link the compiler builtins that
// platform tools would otherwise supply.
#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

// On SBF the runtime enters through `entrypoint`; natively the bank calls
// `process_instruction` through `processor!`.
#[cfg(target_os = "solana")]
anchor_lang::solana_program::entrypoint!(process_instruction);

declare_id!("Hook1TestingBackstopTransfersXXXXXXXXXXXXXX");

/// The error a refusing hook returns: custom code 0x484b ("HK").
pub const HOOK_REFUSED: u32 = 0x484b;
/// The name the tests and clients give [`HOOK_REFUSED`].
pub const HOOK_REFUSED_NAME: &str = "TransferRefusedByHook";

/// Seed of the hook's config account, per mint.
pub const CONFIG_SEED: &[u8] = b"config";
/// Seed of the validation account the interface defines, per mint.
pub const EXTRA_METAS_SEED: &[u8] = b"extra-account-metas";

/// `sha256("spl-transfer-hook-interface:execute")[..8]`, the interface's
/// discriminator of `Execute` and the type of its validation-account entry.
pub const EXECUTE_DISCRIMINATOR: [u8; 8] = [105, 37, 101, 197, 75, 251, 102, 26];

pub fn config_address(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[CONFIG_SEED, mint.as_ref()], &ID).0
}

pub fn validation_address(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[EXTRA_METAS_SEED, mint.as_ref()], &ID).0
}

/// The validation account's data: one TLV entry of type `Execute` holding a
/// list of one extra account, the fixed address of the config (writable
/// false, signer false). Layout: type (8), length (u32 LE), count (u32 LE),
/// then per account: kind (0 = fixed address), address (32), signer, writable.
pub fn validation_data(mint: &Pubkey) -> Vec<u8> {
    let mut data = EXECUTE_DISCRIMINATOR.to_vec();
    let entry_len: u32 = 4 + 35;
    data.extend_from_slice(&entry_len.to_le_bytes());
    data.extend_from_slice(&1u32.to_le_bytes());
    data.push(0);
    data.extend_from_slice(config_address(mint).as_ref());
    data.extend_from_slice(&[0, 0]);
    data
}

/// The config's data: refuse (1) or let through (0).
pub fn config_data(refuse: bool) -> Vec<u8> {
    vec![u8::from(refuse)]
}

/// The hook's instruction processor: the SBF entrypoint's, and
/// `processor!`-shaped for the native build (see the bank crate).
pub fn process_instruction(
    program_id: &Pubkey,
    accounts: &[AccountInfo],
    data: &[u8],
) -> ProgramResult {
    if data.len() < 8 || data[..8] != EXECUTE_DISCRIMINATOR {
        return Err(ProgramError::InvalidInstructionData);
    }
    // source, mint, destination, authority, validation, config
    let [
        _source,
        mint,
        _destination,
        _authority,
        validation,
        config,
        ..,
    ] = accounts
    else {
        return Err(ProgramError::NotEnoughAccountKeys);
    };
    if *validation.key != validation_address(mint.key)
        || *config.key != config_address(mint.key)
        || config.owner != program_id
    {
        return Err(ProgramError::InvalidAccountData);
    }
    if config.try_borrow_data()?.first() == Some(&1) {
        msg!("transfer refused by the hook");
        return Err(ProgramError::Custom(HOOK_REFUSED));
    }
    Ok(())
}
