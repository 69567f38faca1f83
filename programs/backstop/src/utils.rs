//! Small helpers shared by the instruction handlers.

use anchor_lang::prelude::*;

/// The cluster's unix time. Not inlined: every handler and most events read
/// it, and one copy of the sysvar call keeps the program smaller.
#[inline(never)]
pub fn now() -> Result<i64> {
    Ok(Clock::get()?.unix_timestamp)
}

/// A market's settlement account is never a token account owned by one of
/// Backstop's own accounts (a pool, a market, an isolated vault). Its
/// authority, passed beside it, must be neither an account of this program nor
/// a token account or mint (an isolated vault is a token account).
pub fn require_outside_authority(
    settlement_authority: Pubkey,
    authority: &AccountInfo,
) -> Result<()> {
    require_keys_eq!(
        authority.key(),
        settlement_authority,
        crate::errors::BackstopError::SettlementAuthorityMismatch
    );
    let owner = *authority.owner;
    require!(
        owner != crate::ID && owner != anchor_spl::token::ID && owner != anchor_spl::token_2022::ID,
        crate::errors::BackstopError::FundAccountNotAllowed
    );
    Ok(())
}

/// Whether `key` is none of `others`. Backstop opts its writable accounts out
/// of Anchor's generic duplicate check (`dup`: a hash set of every writable
/// key, 800 to 6,600 CU an instruction) because its own constraints already
/// pin the program's accounts to distinct addresses; the accounts a caller
/// chooses freely are checked against them with this (docs/security.md, §2.5).
pub fn is_none_of(key: &Pubkey, others: &[&Pubkey]) -> bool {
    others.iter().all(|other| *other != key)
}
