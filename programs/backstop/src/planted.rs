//! Bugs planted on purpose, so that the fuzzer's own tests can show it
//! catches them (`crates/sim/tests/planted_bugs.rs`). Compiled only with the
//! test-only feature `planted-bugs`, which only the simulator's
//! dev-dependencies turn on: never in a release, `anchor build` or SBF build.
//! Each bug is off until a test plants it, and only one is on at a time.

use core::sync::atomic::{AtomicU8, Ordering};

/// The bugs a test can plant, each a mistake a reviewer could miss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Bug {
    /// `stake` rounds the shares it mints up instead of down.
    SharesRoundedUp = 1,
    /// The operator's records skip the check that the signer is the
    /// market's operator (a missing `has_one`).
    OperatorNotChecked = 2,
    /// `complete_unstake` forgets `LossPending`.
    LossPendingSkipped = 3,
    /// The sweep mints the treasury's shares before the stakers' part.
    TreasuryCutFirst = 4,
    /// A pending governance change takes effect before its eta.
    PendingAppliedEarly = 5,
}

static PLANTED: AtomicU8 = AtomicU8::new(0);

/// Plants `bug` (None: the program as written).
pub fn plant(bug: Option<Bug>) {
    PLANTED.store(bug.map_or(0, |b| b as u8), Ordering::SeqCst);
}

/// Whether `bug` is planted.
pub fn is(bug: Bug) -> bool {
    PLANTED.load(Ordering::SeqCst) == bug as u8
}
