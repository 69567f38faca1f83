//! Small helpers shared by the instruction handlers.

use anchor_lang::prelude::*;

/// The cluster's unix time.
pub fn now() -> Result<i64> {
    Ok(Clock::get()?.unix_timestamp)
}
