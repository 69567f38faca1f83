//! The share ledger of a pool (docs/protocol.md §4). `A` is the pool's
//! insurance assets, `S` its total shares. Every rounding favours the pool.

use super::full_math::{MathError, mul_div_floor, to_u64};

/// `shares_for(amount)`: `amount` if `S = 0`, else `⌊amount·S / A⌋`.
pub fn shares_for_amount_floor(
    amount: u64,
    assets: u64,
    total_shares: u128,
) -> Result<u128, MathError> {
    if total_shares == 0 {
        return Ok(amount as u128);
    }
    mul_div_floor(amount as u128, total_shares, assets as u128)
}

/// `value_of(n)`: `0` if `S = 0`, else `⌊n·A / S⌋`.
pub fn value_of_shares_floor(
    shares: u128,
    assets: u64,
    total_shares: u128,
) -> Result<u64, MathError> {
    if total_shares == 0 {
        return Ok(0);
    }
    to_u64(mul_div_floor(shares, assets as u128, total_shares)?)
}

/// What `complete_unstake` pays: `min(recorded value, value_of(n))`, so gains
/// made during the cooldown stay with the remaining holders while losses are
/// still borne.
pub fn unstake_payout_floor(
    shares: u128,
    recorded_value: u64,
    assets: u64,
    total_shares: u128,
) -> Result<u64, MathError> {
    Ok(recorded_value.min(value_of_shares_floor(shares, assets, total_shares)?))
}

/// Shares burnt by `cancel_unstake`: when `value_of(n) > v`, burn
/// `n − ⌊v·(S − n) / (A − v)⌋` so that the canceller keeps only the recorded
/// value `v`; nothing when `S = n` or when there was no gain.
pub fn cancel_forfeit_shares_ceil(
    shares: u128,
    recorded_value: u64,
    assets: u64,
    total_shares: u128,
) -> Result<u128, MathError> {
    if total_shares == shares {
        return Ok(0);
    }
    if value_of_shares_floor(shares, assets, total_shares)? <= recorded_value {
        return Ok(0);
    }
    let others = total_shares
        .checked_sub(shares)
        .ok_or(MathError::Underflow)?;
    let assets_less_value = (assets as u128)
        .checked_sub(recorded_value as u128)
        .ok_or(MathError::Underflow)?;
    let kept = mul_div_floor(recorded_value as u128, others, assets_less_value)?;
    shares.checked_sub(kept).ok_or(MathError::Underflow)
}

/// Whether a pool must be wiped out after a payout: `S > 0` and `A·10⁶ < S`.
pub fn is_wiped_out(assets: u64, total_shares: u128) -> bool {
    total_shares > 0 && (assets as u128) * crate::constants::WIPEOUT_RATIO < total_shares
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn first_stake_is_one_to_one_and_empty_pool_is_worth_nothing() {
        assert_eq!(shares_for_amount_floor(500, 0, 0), Ok(500));
        assert_eq!(value_of_shares_floor(500, 0, 0), Ok(0));
    }

    #[test]
    fn quickstart_prices() {
        // bob stakes 20,000 USDC into A = 50,420 USDC, S = 50,210 shares
        assert_eq!(
            shares_for_amount_floor(20_000_000_000, 50_420_000_000, 50_210_000_000),
            Ok(19_916_699_722)
        );
        assert_eq!(
            value_of_shares_floor(10_000_000_000, 67_170_000_000, 70_126_699_722),
            Ok(9_578_377_460)
        );
    }

    #[test]
    fn forfeit_restores_recorded_value() {
        // n = 100 of S = 1000, recorded v = 100 at A = 1000; A then doubles.
        let burn = cancel_forfeit_shares_ceil(100, 100, 2_000, 1_000).unwrap();
        // kept = ⌊100·900 / 1900⌋ = 47; flooring the kept shares costs the
        // canceller less than one share's worth (here 2 units a share).
        assert_eq!(burn, 53);
        assert_eq!(
            value_of_shares_floor(100 - burn, 2_000, 1_000 - burn),
            Ok(99)
        );
        // no gain: nothing burnt
        assert_eq!(cancel_forfeit_shares_ceil(100, 100, 1_000, 1_000), Ok(0));
        // sole holder: nothing burnt
        assert_eq!(cancel_forfeit_shares_ceil(1_000, 100, 2_000, 1_000), Ok(0));
    }

    #[test]
    fn wipeout_threshold() {
        assert!(!is_wiped_out(0, 0));
        assert!(is_wiped_out(0, 1));
        assert!(!is_wiped_out(1, 1_000_000));
        assert!(is_wiped_out(1, 1_000_001));
    }

    proptest! {
        #[test]
        fn value_of_shares_for_never_exceeds_amount(
            amount in 1u64..=u64::MAX / 2,
            assets in 1u64..=u64::MAX / 2,
            ratio in 1u128..=1_000_000u128,
        ) {
            let total = (assets as u128) * ratio;
            let shares = shares_for_amount_floor(amount, assets, total).unwrap();
            let new_assets = assets + amount;
            let new_total = total + shares;
            prop_assert!(value_of_shares_floor(shares, new_assets, new_total).unwrap() <= amount);
        }

        #[test]
        fn payout_never_exceeds_recorded_value_or_current_value(
            shares in 1u128..=1_000_000_000_000u128,
            extra in 0u128..=1_000_000_000_000u128,
            assets in 1u64..=u64::MAX / 4,
            recorded in 0u64..=u64::MAX / 4,
        ) {
            let total = shares + extra;
            let paid = unstake_payout_floor(shares, recorded, assets, total).unwrap();
            prop_assert!(paid <= recorded);
            prop_assert!(paid <= value_of_shares_floor(shares, assets, total).unwrap());
        }

        #[test]
        fn forfeit_leaves_canceller_at_recorded_value(
            others in 1u128..=1_000_000_000_000_000u128,
            shares in 1u128..=1_000_000_000_000_000u128,
            assets_at_request in 1u64..=1_000_000_000_000_000u64,
            gain in 1u64..=1_000_000_000_000_000u64,
        ) {
            let total = shares + others;
            let recorded = value_of_shares_floor(shares, assets_at_request, total).unwrap();
            let assets = assets_at_request + gain;
            let burn = cancel_forfeit_shares_ceil(shares, recorded, assets, total).unwrap();
            prop_assert!(burn <= shares);
            let after = value_of_shares_floor(shares - burn, assets, total - burn).unwrap();
            // Never above the recorded value; below it by at most one share's
            // worth (the kept shares are floored) plus one unit (the value is).
            let one_share = assets as u128 / (total - burn) + 1;
            prop_assert!(after <= recorded, "after {} recorded {}", after, recorded);
            prop_assert!((recorded - after) as u128 <= one_share + 1,
                "after {} recorded {} share {}", after, recorded, one_share);
            // At a price of at most one unit per share this is the ±1 unit bound.
            if assets as u128 <= total - burn {
                prop_assert!(recorded - after <= 1);
            }
        }
    }
}
