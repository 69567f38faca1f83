//! The model's governance (docs/protocol.md §8): caps and their delayed
//! raises, freezes, pauses and payouts.

use super::model::{Expect, Market, Model};
use super::model_pending as pending;
use backstop_client::refusal::{AnchorError, BackstopError};

const GRACE: i64 = 1_209_600;
/// How the simulator refuses a payout id the run never proposed.
pub(super) const NOT_PROPOSED: &str = "no payout with id";

impl Market {
    /// The cap in effect at `now`.
    pub fn cap_at(&self, now: i64) -> u128 {
        pending::in_effect(self.cap, self.pending_cap, now)
    }

    /// What an instruction that reads the market does first: a raise whose
    /// eta has come takes effect.
    pub fn apply_due(&mut self, now: i64) {
        pending::bring_due(&mut self.cap, &mut self.pending_cap, now);
    }
}

impl Model {
    /// A cap at or below the one in effect applies at once and drops a
    /// pending raise; a raise waits the governance delay.
    pub fn set_cap(&mut self, m: usize, cap: u128) -> Expect {
        let (now, delay) = (self.now, self.delay_at(self.now));
        let market = &mut self.markets[m];
        if cap < market.used {
            return Expect::Refused(BackstopError::CapBelowInsuranceUsed.into());
        }
        market.apply_due(now);
        if cap <= market.cap {
            market.cap = cap;
            market.pending_cap = None;
        } else {
            market.pending_cap = Some((cap, now + delay));
            market.apply_due(now);
        }
        Expect::Ok
    }

    /// `update_market` brings due changes into the market first.
    pub fn set_frozen(&mut self, m: usize, frozen: bool) -> Expect {
        let now = self.now;
        self.markets[m].apply_due(now);
        self.markets[m].frozen = frozen;
        Expect::Ok
    }

    /// The governance delay in effect at `now`.
    pub fn delay_at(&self, now: i64) -> i64 {
        pending::in_effect(self.delay, self.pending_delay, now)
    }

    /// What `update_protocol` does first and last: every due change of the
    /// protocol is stored.
    fn apply_due_protocol(&mut self) {
        pending::bring_due(&mut self.delay, &mut self.pending_delay, self.now);
        pending::bring_due(&mut self.guardian, &mut self.pending_guardian, self.now);
    }

    /// The name of the guardian in effect now.
    pub fn guardian_name(&self) -> &'static str {
        pending::in_effect(self.guardian, self.pending_guardian, self.now)
            .map_or("guardian", |u| super::world::USERS[u])
    }

    /// `update_protocol` of the guardian: in effect after the delay.
    pub fn set_guardian(&mut self, to: Option<usize>) -> Expect {
        self.apply_due_protocol();
        self.pending_guardian = Some((to, self.now + self.delay));
        self.apply_due_protocol();
        Expect::Ok
    }

    /// `cancel_protocol_change` of the guardian, before its eta.
    pub fn cancel_guardian_change(&mut self) -> Expect {
        pending::cancel(&mut self.pending_guardian, self.now)
    }

    /// `update_protocol` of the delay: a longer one at once (dropping a
    /// pending shortening), a shorter one after the delay in effect.
    pub fn update_delay(&mut self, delay: u64) -> Expect {
        if delay > 30 * 86_400 {
            return Expect::Refused(BackstopError::GovernanceDelayTooLong.into());
        }
        self.apply_due_protocol();
        let delay = delay as i64;
        if delay >= self.delay {
            self.delay = delay;
            self.pending_delay = None;
        } else {
            self.pending_delay = Some((delay, self.now + self.delay));
        }
        self.apply_due_protocol();
        Expect::Ok
    }

    /// `cancel_protocol_change` of the delay. No other instruction stores a
    /// due shortening, so once its eta has come it is refused.
    pub fn cancel_delay_change(&mut self) -> Expect {
        pending::cancel(&mut self.pending_delay, self.now)
    }

    /// `propose_admin` (`to`: `None` for the admin itself).
    pub fn propose_admin(&mut self, to: Option<usize>) -> Expect {
        self.pending_admin = Some(to);
        Expect::Ok
    }

    /// `accept_admin` by `who` (`None`: the `admin` the world starts
    /// with): the one proposed takes the role over.
    pub fn accept_admin(&mut self, who: Option<usize>) -> Expect {
        if self.pending_admin != Some(who) {
            return Expect::Refused(BackstopError::NotPendingAdmin.into());
        }
        self.pending_admin = None;
        self.admin = who;
        Expect::Ok
    }

    /// The name of whoever holds the admin role now.
    pub fn admin_name(&self) -> &'static str {
        self.admin.map_or("admin", |u| super::world::USERS[u])
    }

    /// `void_bankruptcy` (admin, at once): closes an open record of a frozen
    /// market with nothing paid or socialised.
    pub fn void(&mut self, m: usize, u: usize) -> Expect {
        if self.markets[m].records[u].is_none() {
            return Expect::Refused(AnchorError::AccountNotInitialized.into());
        }
        if !self.markets[m].frozen {
            return Expect::Refused(BackstopError::MarketNotFrozen.into());
        }
        self.markets[m].records[u] = None;
        let spec = &super::world::MARKETS[m];
        if !spec.isolated {
            self.pools[spec.pool].open_records -= 1;
        }
        Expect::Ok
    }

    /// `cancel_market_change` of the cap: a raise not yet in effect. One
    /// whose eta has come is refused while no instruction has applied it,
    /// and is gone once one has.
    pub fn cancel_cap_change(&mut self, m: usize) -> Expect {
        pending::cancel(&mut self.markets[m].pending_cap, self.now)
    }

    pub fn pause(&mut self, flags: u16) -> Expect {
        self.paused |= flags;
        Expect::Ok
    }

    pub fn unpause(&mut self, flags: u16) -> Expect {
        self.paused &= !flags;
        Expect::Ok
    }

    /// Proposed by the admin; executable from now + the governance delay.
    pub fn propose_payout(&mut self, p: usize, id: u64, amount: u128, to: usize) -> Expect {
        let eta = self.now + self.delay_at(self.now);
        self.pools[p].payouts.insert(id, (amount, eta, true, to));
        Expect::Ok
    }

    pub fn execute_payout(&mut self, p: usize, id: u64) -> Expect {
        let Some(&(amount, eta, pending, to)) = self.pools[p].payouts.get(&id) else {
            return Expect::NotSent(NOT_PROPOSED);
        };
        if self.paused(super::model::op::PAYOUT) {
            return Expect::Refused(BackstopError::OperationPaused.into());
        }
        if !pending {
            return Expect::Refused(BackstopError::PayoutNotPending.into());
        }
        if self.now < eta {
            return Expect::Refused(BackstopError::PayoutNotReady.into());
        }
        if self.now >= eta + GRACE {
            return Expect::Refused(BackstopError::PayoutExpired.into());
        }
        if let Some(refused) = self.shortfall(p) {
            return refused;
        }
        let paid = self.pools[p].pay_out(amount);
        self.pools[p].payouts.get_mut(&id).expect("proposed").2 = false;
        // the recipient bears a transfer fee
        self.wallets[to][p] += paid - self.pools[p].fee(paid);
        Expect::Ok
    }

    /// `by_admin`: the admin cancels any time before execution; the guardian
    /// only before the eta.
    pub fn cancel_payout(&mut self, p: usize, id: u64, by_admin: bool) -> Expect {
        let Some(&(_, eta, pending, _)) = self.pools[p].payouts.get(&id) else {
            return Expect::NotSent(NOT_PROPOSED);
        };
        if !pending {
            return Expect::Refused(BackstopError::PayoutNotPending.into());
        }
        if !by_admin && self.now >= eta {
            return Expect::Refused(BackstopError::PayoutAlreadyExecutable.into());
        }
        self.pools[p].payouts.get_mut(&id).expect("proposed").2 = false;
        Expect::Ok
    }
}
