//! The model's changes that wait for their eta (docs/protocol.md §8): a raise
//! of a market's cap, a pool's parameters, a shorter governance delay. One
//! rule serves them all: a change takes effect by itself at its eta, the
//! instructions that read the value then store it, and the guardian or the
//! admin can cancel it only before its eta.

use super::model::Expect;
use backstop_client::refusal::BackstopError;

/// The value in effect at `now`, given the one stored and a change waiting.
pub fn in_effect<T: Copy>(stored: T, pending: Option<(T, i64)>, now: i64) -> T {
    match pending {
        Some((value, eta)) if now >= eta => value,
        _ => stored,
    }
}

/// What an instruction that reads the value does first: a due change is
/// stored.
pub fn bring_due<T: Copy>(stored: &mut T, pending: &mut Option<(T, i64)>, now: i64) {
    *stored = in_effect(*stored, *pending, now);
    if pending.is_some_and(|(_, eta)| now >= eta) {
        *pending = None;
    }
}

/// A cancel: refused with nothing pending, and once the eta has come (a due
/// change no instruction has stored yet is already in effect).
pub fn cancel<T>(pending: &mut Option<(T, i64)>, now: i64) -> Expect {
    match pending {
        None => Expect::Refused(BackstopError::NoPendingChange.into()),
        Some((_, eta)) if now >= *eta => {
            Expect::Refused(BackstopError::ChangeAlreadyEffective.into())
        }
        Some(_) => {
            *pending = None;
            Expect::Ok
        }
    }
}
