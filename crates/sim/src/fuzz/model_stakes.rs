//! The model's stakers (docs/protocol.md §4): staking, the unstake request
//! and its cooldown, window and exit clock, cancelling, completing and
//! closing a stake, with the inline sweep that `stake` and
//! `request_unstake` run first.

use backstop_client::refusal::{AnchorError, BackstopError};

use super::model::{Expect, Model, Pool, Request, Stake};
use super::model_params::Params;

impl Model {
    pub fn stake(&mut self, u: usize, p: usize, amount: u128) -> Expect {
        use super::model::op::*;
        if self.paused(STAKE) {
            return Expect::Refused(BackstopError::OperationPaused.into());
        }
        if amount == 0 {
            return Expect::Refused(BackstopError::ZeroAmount.into());
        }
        if let Some(refused) = self.shortfall(p).or_else(|| self.fee_refusal(p)) {
            return refused;
        }
        let (epoch, st) = (self.pools[p].epoch, &self.stakes[p][u]);
        if st.exists && st.epoch == epoch && st.request.is_some() {
            return Expect::Refused(BackstopError::RequestPending.into());
        }
        let mut pool = self.pools[p].clone();
        self.sweep_if_due(&mut pool);
        if amount < pool.params.min_stake {
            return Expect::Refused(BackstopError::BelowMinStake.into());
        }
        let n = pool.shares_for(amount);
        if n == 0 {
            return Expect::Refused(BackstopError::ZeroShares.into());
        }
        // A is a u64
        if pool.a + amount > u64::MAX as u128 {
            return Expect::Refused(BackstopError::MathOverflow.into());
        }
        if self.wallets[u][p] < amount {
            return Expect::Refused("InsufficientFunds".into());
        }
        pool.a += amount;
        pool.s += n;
        pool.vault += amount;
        let epoch = pool.epoch;
        self.pools[p] = pool;
        self.wallets[u][p] -= amount;
        let st = &mut self.stakes[p][u];
        if !st.exists || st.epoch != epoch {
            *st = Stake {
                exists: true,
                epoch,
                ..Stake::default()
            };
        }
        st.shares += n;
        Expect::Ok
    }

    /// §5: `stake` and `request_unstake` sweep first when a sweep is due or
    /// fresh revenue waits (R > H), unless a transfer fee is on (nothing
    /// moves into the fund then: the sweep waits).
    /// The caller's `pool` is a copy, kept only if the operation succeeds;
    /// the operation brings a due parameter change into the pool first.
    fn sweep_if_due(&self, pool: &mut Pool) {
        pool.apply_due_params(self.now);
        let params = pool.params;
        let due = self.now >= pool.last_sweep + params.interval || pool.revenue > pool.h;
        if due && pool.fee_bps == 0 {
            pool.sweep(self.now, params.apr, params.cut);
        }
    }

    /// Moves the clock; each pool's exit clock runs only while its exits are
    /// open (`complete_unstake` not paused, no record open).
    pub fn advance(&mut self, seconds: i64) {
        let paused = self.paused(super::model::op::COMPLETE_UNSTAKE);
        for pool in &mut self.pools {
            if !paused && pool.open_records == 0 {
                pool.exit_clock += seconds;
            }
        }
        self.now += seconds;
    }

    pub fn request(&mut self, u: usize, p: usize, n: u128) -> Expect {
        use super::model::op::*;
        if !self.stakes[p][u].exists {
            return Expect::Refused(AnchorError::AccountNotInitialized.into());
        }
        if self.paused(REQUEST_UNSTAKE) {
            return Expect::Refused(BackstopError::OperationPaused.into());
        }
        if n == 0 {
            return Expect::Refused(BackstopError::ZeroShares.into());
        }
        let epoch = self.pools[p].epoch;
        let st = &self.stakes[p][u];
        let current = st.epoch == epoch;
        if current && st.request.is_some() {
            return Expect::Refused(BackstopError::RequestPending.into());
        }
        if n > if current { st.shares } else { 0 } {
            return Expect::Refused(BackstopError::InsufficientShares.into());
        }
        if let Some(refused) = self.shortfall(p) {
            return refused;
        }
        let mut pool = self.pools[p].clone();
        self.sweep_if_due(&mut pool);
        let v = pool.value_of(n);
        let Params {
            cooldown, window, ..
        } = pool.params;
        let exit_clock = pool.exit_clock;
        self.pools[p] = pool;
        self.stakes[p][u].request = Some(Request {
            shares: n,
            value: v,
            ts: self.now,
            cooldown,
            window,
            exit_clock,
        });
        Expect::Ok
    }

    /// §4.6: an empty stake of the current epoch, or any of an older one.
    pub fn close_stake(&mut self, u: usize, p: usize) -> Expect {
        let st = &self.stakes[p][u];
        if !st.exists {
            return Expect::Refused(AnchorError::AccountNotInitialized.into());
        }
        let current = st.epoch == self.pools[p].epoch;
        if current && (st.shares > 0 || st.request.is_some()) {
            return Expect::Refused(BackstopError::StakeNotEmpty.into());
        }
        self.stakes[p][u] = Stake::default();
        Expect::Ok
    }

    pub fn cancel(&mut self, u: usize, p: usize) -> Expect {
        let st = &self.stakes[p][u];
        if !st.exists {
            return Expect::Refused(AnchorError::AccountNotInitialized.into());
        }
        let pool = &mut self.pools[p];
        let Some(Request {
            shares: n,
            value: v,
            ..
        }) = st.request.filter(|_| st.epoch == pool.epoch)
        else {
            return Expect::Refused(BackstopError::NoPendingRequest.into());
        };
        if pool.short() {
            return Expect::Refused(BackstopError::VaultShortfall.into());
        }
        let burnt = if pool.value_of(n) > v && pool.s > n {
            n - v * (pool.s - n) / (pool.a - v)
        } else {
            0
        };
        pool.s -= burnt;
        let st = &mut self.stakes[p][u];
        st.shares -= burnt;
        st.request = None;
        Expect::Ok
    }

    pub fn complete(&mut self, u: usize, p: usize) -> Expect {
        use super::model::op::*;
        let st = &self.stakes[p][u];
        if !st.exists {
            return Expect::Refused(AnchorError::AccountNotInitialized.into());
        }
        if self.paused(COMPLETE_UNSTAKE) {
            return Expect::Refused(BackstopError::OperationPaused.into());
        }
        let pool = &mut self.pools[p];
        let Some(r) = st.request.filter(|_| st.epoch == pool.epoch) else {
            return Expect::Refused(BackstopError::NoPendingRequest.into());
        };
        let (n, v) = (r.shares, r.value);
        // the request keeps the cooldown and window in effect when it was made
        if self.now < r.ts + r.cooldown {
            return Expect::Refused(BackstopError::CooldownNotElapsed.into());
        }
        if pool.short() {
            return Expect::Refused(BackstopError::VaultShortfall.into());
        }
        if pool.open_records > 0 {
            return Expect::Refused(BackstopError::LossPending.into());
        }
        if r.window > 0 && pool.exit_clock - r.exit_clock > r.cooldown + r.window {
            return Expect::Refused(BackstopError::RequestLapsed.into());
        }
        let paid = v.min(pool.value_of(n));
        pool.s -= n;
        pool.a -= paid;
        pool.vault -= paid;
        if pool.s == 0 && pool.a > 0 {
            pool.move_leftover();
        }
        let fee = pool.fee(paid);
        let st = &mut self.stakes[p][u];
        st.shares -= n;
        st.request = None;
        self.wallets[u][p] += paid - fee;
        Expect::Ok
    }
}
