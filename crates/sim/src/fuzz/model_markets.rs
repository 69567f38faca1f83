//! The model's markets (docs/protocol.md §6–§7): the operator's records and
//! resolution's waterfall in both exposure modes.

use super::model::{Expect, Model};
use super::world::MARKETS;
use backstop_client::refusal::{AnchorError, BackstopError};

const E18: u128 = 1_000_000_000_000_000_000;

impl Model {
    pub fn deposit(&mut self, m: usize, u: usize, amount: u128) -> Expect {
        if let Some(refused) = self.operator_record(m, true) {
            return refused;
        }
        if !MARKETS[m].lending {
            return Expect::Refused(BackstopError::WrongMarketKind.into());
        }
        let market = &mut self.markets[m];
        if market.index == 0 {
            return Expect::Refused(BackstopError::MarketInsolvent.into());
        }
        let scaled = amount * E18 / market.index;
        market.total_scaled += scaled;
        *market.lenders[u].get_or_insert(0) += scaled;
        Expect::Ok
    }

    pub fn withdraw(&mut self, m: usize, u: usize, amount: u128) -> Expect {
        let Some(scaled) = self.markets[m].lenders[u] else {
            return Expect::Refused(AnchorError::AccountNotInitialized.into());
        };
        if let Some(refused) = self.operator_record(m, true) {
            return refused;
        }
        let market = &mut self.markets[m];
        if market.index == 0 {
            return Expect::Refused(BackstopError::MarketInsolvent.into());
        }
        if amount > scaled * market.index / E18 {
            return Expect::Refused(BackstopError::WithdrawalAboveBalance.into());
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
            return Expect::Refused(BackstopError::WrongMarketKind.into());
        }
        let market = &mut self.markets[m];
        let k = market.loss_index;
        let (old, snapshot, owed) = market.positions[u].unwrap_or((0, k, 0));
        let settled = (old.unsigned_abs() as u128 * (k - snapshot)).div_ceil(E18);
        market.oi = market.oi - old.unsigned_abs() as u128 + base.unsigned_abs() as u128;
        market.positions[u] = Some((base, k, owed + settled));
        Expect::Ok
    }

    /// What `u`'s position in market `m` owes now, settled to the loss
    /// index (0 without a position).
    pub fn owed(&self, m: usize, u: usize) -> u128 {
        let market = &self.markets[m];
        market.positions[u].map_or(0, |(base, snapshot, owed)| {
            owed + (base.unsigned_abs() as u128 * (market.loss_index - snapshot)).div_ceil(E18)
        })
    }

    /// The operator clears what the position owes, once it has charged the
    /// trader; the position settles to the loss index first.
    pub fn clear_owed(&mut self, m: usize, u: usize, amount: u128) -> Expect {
        if self.markets[m].positions[u].is_none() {
            return Expect::Refused(AnchorError::AccountNotInitialized.into());
        }
        if let Some(refused) = self.operator_record(m, true) {
            return refused;
        }
        if MARKETS[m].lending {
            return Expect::Refused(BackstopError::WrongMarketKind.into());
        }
        let owed = self.owed(m, u);
        if amount > owed {
            return Expect::Refused(BackstopError::ClearAboveOwed.into());
        }
        let market = &mut self.markets[m];
        let (base, ..) = market.positions[u].expect("checked");
        market.positions[u] = Some((base, market.loss_index, owed - amount));
        Expect::Ok
    }

    pub fn bankrupt(&mut self, m: usize, u: usize, deficit: u128, exposure: u128) -> Expect {
        if let Some(refused) = self.operator_record(m, false) {
            return refused;
        }
        if deficit == 0 {
            return Expect::Refused(BackstopError::ZeroDeficit.into());
        }
        if !MARKETS[m].aggregate && exposure != 0 {
            return Expect::Refused(BackstopError::WrongExposureMode.into());
        }
        let market = &mut self.markets[m];
        // an aggregate market holds one open record at a time
        if MARKETS[m].aggregate && market.records.iter().any(Option::is_some) {
            return Expect::Refused(BackstopError::BankruptcyOpen.into());
        }
        if market.records[u].is_some() {
            return Expect::Refused(BackstopError::BankruptcyAlreadyOpen.into());
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
            return Expect::Refused(AnchorError::AccountNotInitialized.into());
        };
        if self.paused(super::model::op::RESOLVE) {
            return Expect::Refused(BackstopError::OperationPaused.into());
        }
        let spec = &MARKETS[m];
        if !spec.isolated
            && let Some(refused) = self.shortfall(spec.pool)
        {
            return refused;
        }
        let market = &mut self.markets[m];
        market.apply_due(self.now);
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
}
