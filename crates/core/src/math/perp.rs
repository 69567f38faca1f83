//! The perp exposure ledger (docs/protocol.md §6): a cumulative loss per
//! unit of base `K` (scaled 10¹⁸) and open interest `OI = Σ|base|`. Rounding is
//! against positions, so they are charged at least the socialised loss.

use super::full_math::{MathError, mul_div_ceil, to_u64};
use crate::constants::INDEX_SCALE;

/// Increase of `K` for a loss `L`: `⌈L·10¹⁸ / OI⌉`.
pub fn loss_index_increase_ceil(loss: u64, open_interest: u128) -> Result<u128, MathError> {
    mul_div_ceil(loss as u128, INDEX_SCALE, open_interest)
}

/// What a position owes for losses since its snapshot:
/// `⌈|base|·(K − snapshot) / 10¹⁸⌉`.
pub fn owed_since_snapshot_ceil(
    base: i64,
    loss_index: u128,
    snapshot: u128,
) -> Result<u64, MathError> {
    let delta = loss_index
        .checked_sub(snapshot)
        .ok_or(MathError::Underflow)?;
    to_u64(mul_div_ceil(
        base.unsigned_abs() as u128,
        delta,
        INDEX_SCALE,
    )?)
}

/// Open interest after a position moves from `old_base` to `new_base`.
pub fn open_interest_after(
    open_interest: u128,
    old_base: i64,
    new_base: i64,
) -> Result<u128, MathError> {
    open_interest
        .checked_sub(old_base.unsigned_abs() as u128)
        .ok_or(MathError::Underflow)?
        .checked_add(new_base.unsigned_abs() as u128)
        .ok_or(MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quickstart_perp() {
        let k = loss_index_increase_ceil(1_500_000_000, 2_000_000).unwrap();
        assert_eq!(k, 750_000_000_000_000_000_000);
        assert_eq!(owed_since_snapshot_ceil(1_500_000, k, 0), Ok(1_125_000_000));
        assert_eq!(owed_since_snapshot_ceil(-500_000, k, 0), Ok(375_000_000));
        assert_eq!(open_interest_after(2_000_000, -500_000, 0), Ok(1_500_000));
        assert_eq!(
            owed_since_snapshot_ceil(i64::MIN, 0, 1),
            Err(MathError::Underflow)
        );
    }

    proptest! {
        /// Σ owed ≥ socialised total for any set of positions and losses.
        #[test]
        fn positions_bear_at_least_the_loss(
            bases in proptest::collection::vec(-1_000_000_000_000i64..1_000_000_000_000, 1..12),
            losses in proptest::collection::vec(1u64..1_000_000_000_000, 1..8),
        ) {
            let oi: u128 = bases.iter().map(|b| b.unsigned_abs() as u128).sum();
            prop_assume!(oi > 0);
            let mut k = 0u128;
            let mut socialised = 0u128;
            for l in losses {
                k += loss_index_increase_ceil(l, oi).unwrap();
                socialised += l as u128;
            }
            let owed: u128 = bases.iter().map(|b| owed_since_snapshot_ceil(*b, k, 0).unwrap() as u128).sum();
            prop_assert!(owed >= socialised, "owed {} socialised {}", owed, socialised);
        }
    }
}
