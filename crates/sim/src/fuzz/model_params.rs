//! The model's pool parameters (docs/protocol.md §3, §8): every change waits
//! the governance delay, a newer one replaces it, the guardian or the admin
//! can cancel it before its eta, and it takes effect by itself at its eta;
//! the instructions that read it then (`stake`, `request_unstake`, a sweep,
//! `set_pool`) store it.

use super::model::{Expect, Model, Pool};
use super::model_pending as pending;
use backstop_client::refusal::BackstopError;
use backstop_client::types::PoolParamsUpdate;

/// A pool's parameters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Params {
    pub cooldown: i64,
    pub window: i64,
    pub interval: i64,
    pub apr: u128,
    pub cut: u128,
    pub min_stake: u128,
}

const DAY: u64 = 86_400;

impl Params {
    /// The program's bounds, in the order it checks them.
    fn check(&self) -> Option<BackstopError> {
        let (cooldown, window, interval) = (
            self.cooldown as u64,
            self.window as u64,
            self.interval as u64,
        );
        if cooldown > 90 * DAY {
            return Some(BackstopError::CooldownTooLong);
        }
        if window > 30 * DAY {
            return Some(BackstopError::WindowTooLong);
        }
        if !(60..=30 * DAY).contains(&interval) {
            return Some(BackstopError::SweepIntervalOutOfBounds);
        }
        if self.apr > 1_000_000 {
            return Some(BackstopError::MaxAprTooHigh);
        }
        if self.cut > 10_000 {
            return Some(BackstopError::ProtocolCutTooHigh);
        }
        (self.min_stake == 0).then_some(BackstopError::MinStakeZero)
    }

    fn updated(&self, u: &PoolParamsUpdate) -> Params {
        Params {
            cooldown: u.cooldown.map_or(self.cooldown, |v| v as i64),
            window: u.window.map_or(self.window, |v| v as i64),
            interval: u.sweep_interval.map_or(self.interval, |v| v as i64),
            apr: u.max_apr_bps.map_or(self.apr, u128::from),
            cut: u.protocol_cut_bps.map_or(self.cut, u128::from),
            min_stake: u.min_stake.map_or(self.min_stake, u128::from),
        }
    }
}

impl Pool {
    /// The parameters in effect at `now`.
    pub fn params_at(&self, now: i64) -> Params {
        pending::in_effect(self.params, self.pending_params, now)
    }

    /// What `stake`, `request_unstake`, a sweep and `set_pool` do first.
    pub fn apply_due_params(&mut self, now: i64) {
        pending::bring_due(&mut self.params, &mut self.pending_params, now);
    }
}

impl Model {
    pub fn set_pool(&mut self, p: usize, update: &PoolParamsUpdate) -> Expect {
        let (now, delay) = (self.now, self.delay_at(self.now));
        let pool = &mut self.pools[p];
        let after = pool.params_at(now).updated(update);
        if let Some(refused) = after.check() {
            return Expect::Refused(refused.into());
        }
        pool.apply_due_params(now);
        pool.pending_params = Some((after, now + delay));
        pool.apply_due_params(now);
        Expect::Ok
    }

    pub fn cancel_pool_change(&mut self, p: usize) -> Expect {
        pending::cancel(&mut self.pools[p].pending_params, self.now)
    }
}
