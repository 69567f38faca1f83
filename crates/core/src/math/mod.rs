//! Pure math: no Anchor types, one function per formula of docs/protocol.md, the rounding
//! direction in each name. Shared by the program and the client crate.

pub mod full_math;
pub mod lending;
pub mod perp;
pub mod premium;
pub mod shares;
pub mod sweep;
pub mod waterfall;

pub use full_math::MathError;
