//! Backstop's rules as plain Rust: no Anchor, no Solana types, no allocation.
//! The program, the Rust client and (compiled to WebAssembly by
//! `crates/core-wasm`) the TypeScript clients all build on this crate, so a
//! formula, a default or a rule is written once (docs/architecture.md).
//!
//! - [`math`]: one pure function per formula of docs/protocol.md, the
//!   rounding in each name.
//! - [`constants`]: seeds, scales, defaults and bounds.
//! - [`pending`]: when a delayed governance change takes effect.
//! - [`exit`]: the exit clocks, when a request unlocks and when it lapses.
//! - [`payout`]: when a payout can execute.
//! - [`pause`]: the pause flags and their names.
//! - [`base58`]: an address's text, for the receipt mint's name.
//!
//! The fuzzer's model (`crates/sim/src/fuzz`) is written from
//! docs/protocol.md and deliberately does not use this crate.

#![cfg_attr(not(test), no_std)]

pub mod base58;
pub mod constants;
pub mod exit;
pub mod math;
pub mod params;
pub mod pause;
pub mod payout;
pub mod pending;
