//! A change that waits `governance_delay` (docs/protocol.md §8). One small
//! piece serves every delayed field: guardian, treasury, governance delay,
//! market caps, operators and settlement accounts. When it takes effect is
//! `backstop_core::pending`'s rule, which every client applies too.

use anchor_lang::prelude::*;
use backstop_core::pending;

use crate::errors::BackstopError;

/// A value that takes effect by itself once `now ≥ eta`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pending<T> {
    /// The value that will take effect.
    pub value: T,
    /// When it takes effect (unix seconds).
    pub eta: i64,
    /// Whether a change is pending at all.
    pub active: bool,
}

impl<T: Space> Space for Pending<T> {
    const INIT_SPACE: usize = T::INIT_SPACE + 8 + 1;
}

impl<T: Copy + Default> Pending<T> {
    /// Stores a change (replacing any older one of the same field).
    pub fn schedule(&mut self, value: T, eta: i64) {
        *self = Pending {
            value,
            eta,
            active: true,
        };
    }

    /// The pending value if it has reached its eta.
    pub fn due(&self, now: i64) -> Option<T> {
        (pending::takes_effect(self.active, self.eta, now)
            || (self.active && planted!(PendingAppliedEarly)))
        .then_some(self.value)
    }

    /// The value in effect at `now`, given the value currently stored.
    pub fn effective(&self, current: T, now: i64) -> T {
        self.due(now).unwrap_or(current)
    }

    /// Moves a due change into `current`; returns whether it did.
    pub fn apply(&mut self, current: &mut T, now: i64) -> bool {
        match self.due(now) {
            Some(v) => {
                *current = v;
                *self = Pending::default();
                true
            }
            None => false,
        }
    }

    /// Drops the pending change without applying it.
    pub fn clear(&mut self) {
        *self = Pending::default();
    }

    /// Cancels the pending change; refused when there is none or when it has
    /// already taken effect.
    pub fn cancel(&mut self, now: i64) -> Result<T> {
        require!(self.active, BackstopError::NoPendingChange);
        require!(
            pending::cancellable(self.active, self.eta, now),
            BackstopError::ChangeAlreadyEffective
        );
        let value = self.value;
        self.clear();
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_effect_at_eta_and_cancels_before() {
        let mut p = Pending::<u64>::default();
        let mut current = 5u64;
        assert_eq!(p.effective(current, 100), 5);
        p.schedule(9, 200);
        assert_eq!(p.effective(current, 199), 5);
        assert_eq!(p.effective(current, 200), 9);
        assert!(!p.apply(&mut current, 199));
        assert!(p.apply(&mut current, 200));
        assert_eq!(current, 9);
        assert!(!p.active);

        p.schedule(11, 300);
        assert_eq!(p.cancel(299).unwrap(), 11);
        assert!(p.cancel(299).is_err());
        p.schedule(12, 300);
        assert!(p.cancel(300).is_err());
    }
}
