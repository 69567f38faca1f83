//! The premium split of `pay_premium` (docs/protocol.md §6).

use super::full_math::{MathError, mul_div_floor, to_u64};
use crate::constants::BPS_DENOMINATOR;

/// An isolated market's part of a premium:
/// `⌊amount·isolated_share_bps / 10,000⌋`; the rest goes to the pool's revenue.
pub fn isolated_premium_floor(amount: u64, isolated_share_bps: u16) -> Result<u64, MathError> {
    to_u64(mul_div_floor(
        amount as u128,
        isolated_share_bps as u128,
        BPS_DENOMINATOR as u128,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn split() {
        assert_eq!(isolated_premium_floor(1_000, 2_500), Ok(250));
        assert_eq!(isolated_premium_floor(3, 5_000), Ok(1));
        assert_eq!(isolated_premium_floor(u64::MAX, 10_000), Ok(u64::MAX));
        assert_eq!(isolated_premium_floor(7, 0), Ok(0));
    }

    proptest! {
        #[test]
        fn never_above_the_premium(amount in any::<u64>(), bps in 0u16..=10_000) {
            prop_assert!(isolated_premium_floor(amount, bps).unwrap() <= amount);
        }
    }
}
