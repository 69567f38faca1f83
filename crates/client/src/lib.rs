//! Client SDK for the Backstop program, and the one door to it for every
//! off-chain crate but the bank (which hosts the program): the account and
//! argument types (`types`), PDA derivation (`pda`), instruction builders
//! (`ix`), account decoding, error names (`errors`), exact views of what
//! accounts are worth (`views`), token helpers for both token programs
//! (`token`), amounts (`amount`), the pause-flag table (`pause`) and the
//! program's events read back from transaction logs (`events`).

pub mod amount;
pub mod errors;
pub mod events;
pub mod hook;
#[cfg(test)]
mod idl_constants;
pub mod instructions;
pub mod ix;
pub mod pause;
pub mod pda;
pub mod refusal;
pub mod token;
#[cfg(test)]
mod ts_golden;
pub mod types;
pub mod views;

pub use backstop::ID as PROGRAM_ID;

use anchor_lang::AccountDeserialize;

/// Decodes an Anchor account (discriminator checked).
pub fn decode<T: AccountDeserialize>(data: &[u8]) -> Option<T> {
    T::try_deserialize(&mut &data[..]).ok()
}
