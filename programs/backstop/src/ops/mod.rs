//! Operations shared by several instructions: the revenue sweep (standalone
//! and inline) and paying out of a pool (bankruptcy or compensation).

pub mod payout;
pub mod sweep;
