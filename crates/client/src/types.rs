//! The program's account, argument and event types integrators need, so that
//! off-chain code depends on this crate and never on the program crate.

pub use backstop::ID as PROGRAM_ID;
pub use backstop::constants::{
    ACCOUNT_VERSION, BPS_DENOMINATOR, DEFAULT_GOVERNANCE_DELAY_SECS, HEAP_PROBE_LOG, INDEX_SCALE,
    PAYOUT_GRACE_SECS, SECONDS_PER_YEAR, UNLIMITED_CAP,
};
pub use backstop::events::ChangeField;
pub use backstop::instructions::{
    CreateMarketArgs, InitializeProtocolArgs, MarketUpdate, ProtocolUpdate,
};
pub use backstop::state::{
    BANKRUPTCY_ACCOUNT_SIZE, Bankruptcy, ExposureMode, LENDER_ACCOUNT_SIZE, Lender, Market,
    MarketKind, MarketStatus, MintOptIns, POOL_ACCOUNT_SIZE, POSITION_ACCOUNT_SIZE, Payout,
    PayoutStatus, Pool, PoolParams, PoolParamsUpdate, Position, Protocol, STAKE_ACCOUNT_SIZE,
    Stake,
};
pub use backstop::state::{MarketField, ProtocolField};

/// The mint policy of `create_pool`: which Token-2022 extension a mint has
/// that the allow-list refuses (to explain a refusal before sending).
pub mod mint_policy {
    pub use backstop::ops::mint_policy::{RefusedExtension, refused_extension};
}

/// The program's events, for monitors decoding transaction logs (with
/// [`crate::events::decode_events`]).
pub mod events {
    pub use backstop::events::*;
}
