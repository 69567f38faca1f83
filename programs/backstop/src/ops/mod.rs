//! Operations shared by several instructions: the revenue sweep (standalone
//! and inline), paying out of a pool (bankruptcy or compensation), token
//! movements, and the mint policy.

pub mod mint_policy;
pub mod payout;
pub mod pda;
pub mod receipt;
pub mod stake_account;
pub mod sweep;
pub mod token;
