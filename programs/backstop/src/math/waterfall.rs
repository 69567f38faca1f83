//! The insurance step of `resolve_bankruptcy` (docs/protocol.md §7, step 2).

/// `pay = min(deficit, cap in effect − insurance_used, source assets)`.
/// A cap below what was already used leaves nothing to pay.
pub fn insurance_payment(deficit: u64, cap: u64, insurance_used: u64, source_assets: u64) -> u64 {
    deficit
        .min(cap.saturating_sub(insurance_used))
        .min(source_assets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn capped_and_uncapped() {
        assert_eq!(insurance_payment(3_500, 2_000, 0, 67_000), 2_000);
        assert_eq!(insurance_payment(1_250, u64::MAX, 0, 70_000), 1_250);
        assert_eq!(insurance_payment(250, u64::MAX, 0, 100), 100);
        assert_eq!(insurance_payment(250, 100, 150, 1_000), 0);
    }

    proptest! {
        /// However many bankruptcies are paid, insurance_used never exceeds the cap.
        #[test]
        fn insurance_used_never_exceeds_cap(
            cap in 0u64..1_000_000,
            deficits in proptest::collection::vec(1u64..500_000, 1..20),
            assets in 0u64..2_000_000,
        ) {
            let mut used = 0u64;
            let mut left = assets;
            for d in deficits {
                let pay = insurance_payment(d, cap, used, left);
                prop_assert!(pay <= d && pay <= left);
                used += pay;
                left -= pay;
                prop_assert!(used <= cap);
            }
        }
    }
}
