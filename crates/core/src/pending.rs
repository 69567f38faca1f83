//! When a change that waits `governance_delay` takes effect (docs/protocol.md
//! §8): by itself, at the first second `now ≥ eta`. The program's
//! `Pending<T>` keeps the value; this is the rule it and every client apply.

/// Whether a change stored with `active` and `eta` is in effect at `now`.
#[inline]
pub fn takes_effect(active: bool, eta: i64, now: i64) -> bool {
    active && now >= eta
}

/// Whether a pending change can still be cancelled at `now`: only before it
/// takes effect.
#[inline]
pub fn cancellable(active: bool, eta: i64, now: i64) -> bool {
    active && now < eta
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn takes_effect_at_the_eta_itself() {
        assert!(!takes_effect(true, 200, 199));
        assert!(takes_effect(true, 200, 200));
        assert!(!takes_effect(false, 200, 10_000));
        assert!(cancellable(true, 200, 199));
        assert!(!cancellable(true, 200, 200));
    }

    proptest! {
        /// At every second a pending change is either cancellable or in
        /// effect, never both.
        #[test]
        fn cancellable_exactly_until_it_takes_effect(eta in any::<i64>(), now in any::<i64>()) {
            prop_assert_ne!(cancellable(true, eta, now), takes_effect(true, eta, now));
            prop_assert!(!cancellable(false, eta, now) && !takes_effect(false, eta, now));
        }
    }
}
