//! The revenue sweep (docs/protocol.md §5).

use super::full_math::{MathError, mul_div_floor, to_u64};
use crate::constants::{BPS_DENOMINATOR, SECONDS_PER_YEAR};

/// The protocol part `P = ⌊R·protocol_cut_bps / 10,000⌋`.
pub fn protocol_part_floor(revenue: u64, protocol_cut_bps: u64) -> Result<u64, MathError> {
    to_u64(mul_div_floor(
        revenue as u128,
        protocol_cut_bps as u128,
        BPS_DENOMINATOR as u128,
    )?)
}

/// The most staker revenue one sweep may move:
/// `⌊A₀·max_apr_bps·elapsed / (10,000·31,536,000)⌋`, or `u64::MAX` (no limit)
/// when `max_apr_bps = 0`.
pub fn staker_revenue_limit_floor(
    assets_before: u64,
    max_apr_bps: u64,
    elapsed_secs: u64,
) -> Result<u64, MathError> {
    if max_apr_bps == 0 {
        return Ok(u64::MAX);
    }
    let rate_time = (max_apr_bps as u128) * (elapsed_secs as u128);
    let limit = mul_div_floor(
        assets_before as u128,
        rate_time,
        (BPS_DENOMINATOR as u128) * (SECONDS_PER_YEAR as u128),
    )?;
    Ok(u64::try_from(limit).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quickstart_sweep() {
        assert_eq!(protocol_part_floor(420_000_000, 5_000), Ok(210_000_000));
        assert_eq!(
            staker_revenue_limit_floor(50_000_000_000, 100_000, 86_400),
            Ok(1_369_863_013)
        );
        assert_eq!(staker_revenue_limit_floor(1, 0, 0), Ok(u64::MAX));
        assert_eq!(staker_revenue_limit_floor(1_000, 100_000, 0), Ok(0));
    }

    proptest! {
        #[test]
        fn protocol_part_never_exceeds_revenue(r in any::<u64>(), bps in 0u64..=10_000) {
            prop_assert!(protocol_part_floor(r, bps).unwrap() <= r);
        }

        #[test]
        fn limit_grows_with_time(a in any::<u64>(), bps in 1u64..=1_000_000, t in 0u64..=1u64 << 40) {
            let l0 = staker_revenue_limit_floor(a, bps, t).unwrap();
            let l1 = staker_revenue_limit_floor(a, bps, t + 1).unwrap();
            prop_assert!(l1 >= l0);
        }
    }
}
