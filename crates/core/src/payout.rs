//! When a payout can execute (docs/protocol.md §8): anyone may execute it
//! while it is pending and `eta ≤ now < eta + PAYOUT_GRACE_SECS`; after that
//! it has expired for good.

use crate::constants::PAYOUT_GRACE_SECS;

/// Why a payout cannot execute now; `None` from [`check`] means it can.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayoutBlock {
    /// Executed or cancelled already.
    NotPending,
    /// Before its eta.
    NotReady,
    /// At or after `eta + PAYOUT_GRACE_SECS`.
    Expired,
}

/// The first second at which a payout of `eta` can no longer execute.
#[inline]
pub fn expires_at(eta: i64) -> i64 {
    eta.saturating_add(PAYOUT_GRACE_SECS)
}

/// What blocks a payout (`pending`: neither executed nor cancelled) at `now`,
/// in the order the program checks it; `None` when it can execute.
#[inline]
pub fn check(pending: bool, eta: i64, now: i64) -> Option<PayoutBlock> {
    if !pending {
        Some(PayoutBlock::NotPending)
    } else if now < eta {
        Some(PayoutBlock::NotReady)
    } else if now >= expires_at(eta) {
        Some(PayoutBlock::Expired)
    } else {
        None
    }
}

/// Whether anyone can execute the payout at `now`.
#[inline]
pub fn is_executable(pending: bool, eta: i64, now: i64) -> bool {
    check(pending, eta, now).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executable_from_eta_for_fourteen_days() {
        let eta = 1_000;
        assert_eq!(check(true, eta, 999), Some(PayoutBlock::NotReady));
        assert_eq!(check(true, eta, 1_000), None);
        assert_eq!(check(true, eta, 1_000 + 1_209_599), None);
        assert_eq!(
            check(true, eta, 1_000 + 1_209_600),
            Some(PayoutBlock::Expired)
        );
        assert_eq!(check(false, eta, 1_000), Some(PayoutBlock::NotPending));
        assert!(is_executable(true, eta, 5_000));
        assert_eq!(expires_at(i64::MAX), i64::MAX);
    }
}
