//! Account types. Every account carries a version byte and reserved bytes for
//! upgrades; state transitions are methods on these types.

pub mod exposure;
pub mod market;
pub mod payout;
pub mod pending;
pub mod pool;
pub mod protocol;
pub mod stake;

pub use exposure::*;
pub use market::*;
pub use payout::*;
pub use pending::*;
pub use pool::*;
pub use protocol::*;
pub use stake::*;
