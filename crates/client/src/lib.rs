//! Client SDK for the Backstop program: PDA derivation, instruction builders,
//! account decoding, error names and exact views of what accounts are worth.
//! Shared by the `backstop` CLI, the in-process bank and the tests.

pub mod errors;
pub mod ix;
pub mod pda;
pub mod token;
pub mod views;

pub use backstop;
pub use backstop::ID as PROGRAM_ID;

use anchor_lang::AccountDeserialize;

/// Decodes an Anchor account (discriminator checked).
pub fn decode<T: AccountDeserialize>(data: &[u8]) -> Option<T> {
    T::try_deserialize(&mut &data[..]).ok()
}

/// The pause flag of an operation named as in SPEC.md (`stake`,
/// `request_unstake`, `complete_unstake`, `sweep`, `premium`, `operator`,
/// `resolve`, `payout`).
pub fn pause_flag(operation: &str) -> Option<u16> {
    use backstop::state::pause;
    Some(match operation {
        "stake" => pause::STAKE,
        "request_unstake" => pause::REQUEST_UNSTAKE,
        "complete_unstake" => pause::COMPLETE_UNSTAKE,
        "sweep" => pause::SWEEP,
        "premium" => pause::PREMIUM,
        "operator" => pause::OPERATOR,
        "resolve" => pause::RESOLVE,
        "payout" => pause::PAYOUT,
        _ => return None,
    })
}
