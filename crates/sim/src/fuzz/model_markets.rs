//! The model's markets and governance (docs/protocol.md §6–§8): the operator's
//! records, resolution's waterfall in both exposure modes, caps, pauses,
//! freezes and payouts.

use super::model::{Expect, Model};
use super::world::MARKETS;

const E18: u128 = 1_000_000_000_000_000_000;
const GRACE: i64 = 1_209_600;
/// How the simulator refuses a payout id the run never proposed.
pub(super) const NOT_PROPOSED: &str = "no payout with id";

impl Model {
    pub fn deposit(&mut self, m: usize, u: usize, amount: u128) -> Expect {
        if let Some(refused) = self.operator_record(m, true) {
            return refused;
        }
        if !MARKETS[m].lending {
            return Expect::Refused("WrongMarketKind");
        }
        let market = &mut self.markets[m];
        if market.index == 0 {
            return Expect::Refused("MarketInsolvent");
        }
        let scaled = amount * E18 / market.index;
        market.total_scaled += scaled;
        *market.lenders[u].get_or_insert(0) += scaled;
        Expect::Ok
    }

    pub fn withdraw(&mut self, m: usize, u: usize, amount: u128) -> Expect {
        let Some(scaled) = self.markets[m].lenders[u] else {
            return Expect::Refused("AccountNotInitialized");
        };
        if let Some(refused) = self.operator_record(m, true) {
            return refused;
        }
        let market = &mut self.markets[m];
        if market.index == 0 {
            return Expect::Refused("MarketInsolvent");
        }
        if amount > scaled * market.index / E18 {
            return Expect::Refused("WithdrawalAboveBalance");
        }
        let delta = (amount * E18).div_ceil(market.index).min(scaled);
        market.total_scaled -= delta;
        market.lenders[u] = Some(scaled - delta);
        Expect::Ok
    }

    pub fn position(&mut self, m: usize, u: usize, base: i64) -> Expect {
        if let Some(refused) = self.operator_record(m, true) {
            return refused;
        }
        if MARKETS[m].lending {
            return Expect::Refused("WrongMarketKind");
        }
        let market = &mut self.markets[m];
        let k = market.loss_index;
        let (old, snapshot, owed) = market.positions[u].unwrap_or((0, k, 0));
        let settled = (old.unsigned_abs() as u128 * (k - snapshot)).div_ceil(E18);
        market.oi = market.oi - old.unsigned_abs() as u128 + base.unsigned_abs() as u128;
        market.positions[u] = Some((base, k, owed + settled));
        Expect::Ok
    }

    pub fn bankrupt(&mut self, m: usize, u: usize, deficit: u128, exposure: u128) -> Expect {
        if let Some(refused) = self.operator_record(m, false) {
            return refused;
        }
        if deficit == 0 {
            return Expect::Refused("ZeroDeficit");
        }
        if !MARKETS[m].aggregate && exposure != 0 {
            return Expect::Refused("WrongExposureMode");
        }
        let market = &mut self.markets[m];
        // an aggregate market holds one open record at a time
        if MARKETS[m].aggregate && market.records.iter().any(Option::is_some) {
            return Expect::Refused("BankruptcyOpen");
        }
        if market.records[u].is_some() {
            return Expect::Refused("BankruptcyAlreadyOpen");
        }
        market.records[u] = Some((deficit, exposure));
        if !MARKETS[m].isolated {
            self.pools[MARKETS[m].pool].open_records += 1;
        }
        Expect::Ok
    }

    /// §7: the fund pays up to the cap, the rest is socialised.
    pub fn resolve(&mut self, m: usize, u: usize) -> Expect {
        let Some((deficit, exposure)) = self.markets[m].records[u] else {
            return Expect::Refused("AccountNotInitialized");
        };
        if self.paused(backstop_client::pause::RESOLVE) {
            return Expect::Refused("OperationPaused");
        }
        let spec = &MARKETS[m];
        let market = &mut self.markets[m];
        let room = market.cap.saturating_sub(market.used);
        let paid = if spec.isolated {
            let pay = deficit.min(room).min(market.isolated_assets);
            market.isolated_assets -= pay;
            pay
        } else {
            let pool = &mut self.pools[spec.pool];
            let pay = deficit.min(room).min(pool.a);
            pool.pay_out(pay)
        };
        let market = &mut self.markets[m];
        market.used += paid;
        let loss = deficit - paid;
        if loss > 0 {
            if spec.lending {
                let deposits = match (spec.aggregate, market.index) {
                    (_, 0) => 0,
                    (true, _) => exposure,
                    (false, i) => market.total_scaled * i / E18,
                };
                if deposits == 0 {
                    market.unrecovered += loss;
                } else if loss >= deposits {
                    market.socialised += deposits;
                    market.unrecovered += loss - deposits;
                    market.index = 0;
                } else {
                    market.index -= (market.index * loss).div_ceil(deposits);
                    market.socialised += loss;
                }
            } else {
                let oi = if spec.aggregate { exposure } else { market.oi };
                if oi == 0 {
                    market.unrecovered += loss;
                } else {
                    market.loss_index += (loss * E18).div_ceil(oi);
                    market.socialised += loss;
                }
            }
        }
        market.records[u] = None;
        if !spec.isolated {
            self.pools[spec.pool].open_records -= 1;
        }
        Expect::Ok
    }

    pub fn set_cap(&mut self, m: usize, cap: u128) -> Expect {
        let market = &mut self.markets[m];
        if cap < market.used {
            return Expect::Refused("CapBelowInsuranceUsed");
        }
        market.cap = cap;
        Expect::Ok
    }

    pub fn set_frozen(&mut self, m: usize, frozen: bool) -> Expect {
        self.markets[m].frozen = frozen;
        Expect::Ok
    }

    pub fn pause(&mut self, flags: u16) -> Expect {
        self.paused |= flags;
        Expect::Ok
    }

    pub fn unpause(&mut self, flags: u16) -> Expect {
        self.paused &= !flags;
        Expect::Ok
    }

    /// Proposed by the admin with no governance delay: executable at once.
    pub fn propose_payout(&mut self, p: usize, id: u64, amount: u128, to: usize) -> Expect {
        self.pools[p]
            .payouts
            .insert(id, (amount, self.now, true, to));
        Expect::Ok
    }

    pub fn execute_payout(&mut self, p: usize, id: u64) -> Expect {
        let Some(&(amount, eta, pending, to)) = self.pools[p].payouts.get(&id) else {
            return Expect::NotSent(NOT_PROPOSED);
        };
        if self.paused(backstop_client::pause::PAYOUT) {
            return Expect::Refused("OperationPaused");
        }
        if !pending {
            return Expect::Refused("PayoutNotPending");
        }
        if self.now >= eta + GRACE {
            return Expect::Refused("PayoutExpired");
        }
        let paid = self.pools[p].pay_out(amount);
        self.pools[p].payouts.get_mut(&id).expect("proposed").2 = false;
        self.wallets[to][p] += paid;
        Expect::Ok
    }

    /// `by_admin`: the admin cancels any time before execution; the guardian
    /// only before the eta, which with no delay has already come.
    pub fn cancel_payout(&mut self, p: usize, id: u64, by_admin: bool) -> Expect {
        let Some(&(_, eta, pending, _)) = self.pools[p].payouts.get(&id) else {
            return Expect::NotSent(NOT_PROPOSED);
        };
        if !pending {
            return Expect::Refused("PayoutNotPending");
        }
        if !by_admin && self.now >= eta {
            return Expect::Refused("PayoutAlreadyExecutable");
        }
        self.pools[p].payouts.get_mut(&id).expect("proposed").2 = false;
        Expect::Ok
    }
}
