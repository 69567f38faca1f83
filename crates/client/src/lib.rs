//! Client SDK for the Backstop program: PDA derivation, instruction builders,
//! account decoding, error names and exact views of what accounts are worth.
//! Shared by the `backstop` CLI, the in-process bank and the tests.

pub mod errors;
pub mod ix;
pub mod pda;
pub mod views;

pub use backstop;
pub use backstop::ID as PROGRAM_ID;

use anchor_lang::AccountDeserialize;

/// Decodes an Anchor account (discriminator checked).
pub fn decode<T: AccountDeserialize>(data: &[u8]) -> Option<T> {
    T::try_deserialize(&mut &data[..]).ok()
}
