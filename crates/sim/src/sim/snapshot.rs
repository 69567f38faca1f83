//! The state after a step, typed: every figure the report prints and the
//! fuzzer compares with its model, read once from the bank. The report's JSON
//! ([`World`]) is written from it, so the two can never disagree, and a figure
//! the fuzzer compares can never be missing or unreadable: it is a field.

use std::collections::BTreeMap;

use anyhow::{Result, anyhow};
use backstop_client::types::{Lender, Market, MarketKind, Pool, Position, Protocol, Stake};
use backstop_client::{pda, views};
use serde_json::{Map, Value, json};

use super::Simulator;
use crate::report::World;

/// (who, asset), (market, who) and the like: the report's `a/b` keys.
pub type Pair = (String, String);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub time: i64,
    /// The protocol's pause flags.
    pub paused: u16,
    /// In the scenario's order.
    pub pools: Vec<PoolSnapshot>,
    /// By (who, asset), in the order the run created them: every stake
    /// that still exists.
    pub stakes: Vec<(Pair, StakeSnapshot)>,
    /// In the scenario's order.
    pub markets: Vec<MarketSnapshot>,
    /// By (market, who), in the order the run created them: a lender's
    /// balance in tokens.
    pub lenders: Vec<(Pair, u64)>,
    /// By (market, who), in the order the run created them.
    pub positions: Vec<(Pair, PositionSnapshot)>,
    /// By (who, asset), users in the order they appeared, pools in the
    /// scenario's: tokens and receipt tokens of the current epoch.
    pub wallets: Vec<(Pair, WalletSnapshot)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolSnapshot {
    pub asset: String,
    pub assets: u64,
    pub total_shares: u128,
    pub epoch: u32,
    pub vault_balance: u64,
    pub revenue_balance: u64,
    pub held_back: u64,
    /// The treasury's shares of the current epoch.
    pub treasury_shares: u128,
    pub wrapped: u64,
    pub last_sweep_ts: i64,
    /// Bankruptcy records open on the markets this pool insures.
    pub open_records: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StakeSnapshot {
    /// Shares of the current epoch (0 for a stake of an older one).
    pub shares: u128,
    pub value: u64,
    pub request: Option<RequestSnapshot>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestSnapshot {
    pub shares: u128,
    pub value: u64,
    pub ts: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarketSnapshot {
    pub name: String,
    pub lending: bool,
    /// The cap in effect now (a raise may be pending).
    pub cap: u64,
    pub insurance_used: u64,
    pub socialised: u64,
    pub unrecovered: u64,
    pub deposit_index: u128,
    pub loss_index: u128,
    pub open_interest: u128,
    pub isolated_assets: u64,
    pub settlement_balance: u64,
    pub frozen: bool,
    pub open_bankruptcies: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PositionSnapshot {
    pub base: i64,
    /// What the position owes after the loss index; `u64::MAX` when the
    /// figure overflows.
    pub owed: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WalletSnapshot {
    pub tokens: u64,
    pub receipts: u64,
}

impl Simulator {
    /// Reads every figure of the run's accounts.
    pub async fn read_state(&mut self) -> Result<Snapshot> {
        let now = self.bank.now().await;
        let protocol: Protocol = self
            .bank
            .decode(pda::protocol())
            .await
            .ok_or_else(|| anyhow!("protocol missing"))?;
        let treasury = protocol.treasury_at(now);
        let mut s = Snapshot {
            time: now,
            paused: protocol.paused,
            ..Snapshot::default()
        };
        let mut pool_states: BTreeMap<String, Pool> = BTreeMap::new();
        for p in 0..self.pools.len() {
            let (asset, mint) = (self.pools[p].asset.clone(), self.pools[p].mint);
            let key = pda::pool(&mint);
            let pool: Pool = self
                .bank
                .decode(key)
                .await
                .ok_or_else(|| anyhow!("pool {asset} missing"))?;
            let treasury_shares = match self.bank.decode::<Stake>(pda::stake(&key, &treasury)).await
            {
                Some(stake) => views::stake_shares(&stake, &pool),
                None => 0,
            };
            s.pools.push(PoolSnapshot {
                asset: asset.clone(),
                assets: pool.assets,
                total_shares: pool.total_shares,
                epoch: pool.epoch,
                vault_balance: self.bank.token_balance(pool.vault).await,
                revenue_balance: self.bank.token_balance(pool.revenue).await,
                held_back: pool.held_back,
                treasury_shares,
                wrapped: pool.wrapped,
                last_sweep_ts: pool.last_sweep_ts,
                open_records: pool.open_records,
            });
            pool_states.insert(asset, pool);
        }
        for (who, asset) in self.stakes.clone() {
            let owner = self.key(&who);
            let mint = self.mint(&asset);
            let Some(stake) = self
                .bank
                .decode::<Stake>(pda::stake(&pda::pool(&mint), &owner))
                .await
            else {
                continue;
            };
            let pool = &pool_states[&asset];
            let request = views::stake_request(&stake, pool)
                .map(|(shares, value, ts)| RequestSnapshot { shares, value, ts });
            let stake = StakeSnapshot {
                shares: views::stake_shares(&stake, pool),
                value: views::stake_value(&stake, pool).unwrap_or(0),
                request,
            };
            s.stakes.push(((who, asset), stake));
        }
        let mut market_states: BTreeMap<String, Market> = BTreeMap::new();
        for i in 0..self.markets.len() {
            let (name, index) = (self.markets[i].name.clone(), self.markets[i].index);
            let m: Market = self
                .bank
                .decode(pda::market(index))
                .await
                .ok_or_else(|| anyhow!("market {name} missing"))?;
            s.markets.push(MarketSnapshot {
                name: name.clone(),
                lending: m.kind == MarketKind::Lending,
                cap: m.cap_at(now),
                insurance_used: m.insurance_used,
                socialised: m.socialised,
                unrecovered: m.unrecovered,
                deposit_index: m.deposit_index,
                loss_index: m.loss_index,
                open_interest: m.open_interest,
                isolated_assets: m.isolated_assets,
                settlement_balance: self.bank.token_balance(m.settlement_at(now)).await,
                frozen: m.frozen,
                open_bankruptcies: m.open_bankruptcies,
            });
            market_states.insert(name, m);
        }
        for (market, who) in self.lenders.clone() {
            let owner = self.key(&who);
            let index = self.market(&market).index;
            if let Some(l) = self
                .bank
                .decode::<Lender>(pda::lender(&pda::market(index), &owner))
                .await
            {
                let balance = views::lender_balance(&l, &market_states[&market]).unwrap_or(0);
                s.lenders.push(((market, who), balance));
            }
        }
        for (market, who) in self.positions.clone() {
            let owner = self.key(&who);
            let index = self.market(&market).index;
            if let Some(p) = self
                .bank
                .decode::<Position>(pda::position(&pda::market(index), &owner))
                .await
            {
                let owed = views::position_owed(&p, &market_states[&market]).unwrap_or(u64::MAX);
                let position = PositionSnapshot { base: p.base, owed };
                s.positions.push(((market, who), position));
            }
        }
        for user in self.users.clone() {
            for p in 0..self.pools.len() {
                let asset = self.pools[p].asset.clone();
                let account = self.tokens(&user, &asset);
                let wallet = WalletSnapshot {
                    tokens: self.bank.token_balance(account).await,
                    receipts: self.receipt_balance(&user, &asset).await,
                };
                s.wallets.push(((user.clone(), asset), wallet));
            }
        }
        Ok(s)
    }
}

impl Snapshot {
    pub fn pool(&self, asset: &str) -> Option<&PoolSnapshot> {
        self.pools.iter().find(|p| p.asset == asset)
    }

    pub fn market(&self, name: &str) -> Option<&MarketSnapshot> {
        self.markets.iter().find(|m| m.name == name)
    }

    pub fn stake(&self, who: &str, asset: &str) -> Option<&StakeSnapshot> {
        find(&self.stakes, who, asset)
    }

    pub fn lender(&self, market: &str, who: &str) -> Option<u64> {
        find(&self.lenders, market, who).copied()
    }

    pub fn position(&self, market: &str, who: &str) -> Option<&PositionSnapshot> {
        find(&self.positions, market, who)
    }

    pub fn wallet(&self, who: &str, asset: &str) -> Option<&WalletSnapshot> {
        find(&self.wallets, who, asset)
    }

    /// The report's JSON of this state (`final` in docs/scenarios.md).
    pub fn to_world(&self) -> World {
        let key = |(a, b): &Pair| format!("{a}/{b}");
        let mut w = World {
            time: self.time,
            ..World::default()
        };
        for pool in &self.pools {
            let mut report = json!({
                "assets": pool.assets,
                "total_shares": pool.total_shares.to_string(),
                "epoch": pool.epoch,
                "vault_balance": pool.vault_balance,
                "revenue_balance": pool.revenue_balance,
                "held_back": pool.held_back,
                "treasury_shares": pool.treasury_shares.to_string(),
            });
            // shares held as receipt tokens, listed when there are any
            if pool.wrapped > 0 {
                report["wrapped"] = json!(pool.wrapped);
            }
            w.pools.insert(pool.asset.clone(), report);
        }
        for (k, stake) in &self.stakes {
            let request = match stake.request {
                Some(r) => json!({ "shares": r.shares.to_string(), "value": r.value, "ts": r.ts }),
                None => Value::Null,
            };
            let report = json!({
                "shares": stake.shares.to_string(),
                "value": stake.value,
                "request": request,
            });
            w.stakes.insert(key(k), report);
        }
        for m in &self.markets {
            let report = json!({
                "kind": if m.lending { "lending" } else { "perp" },
                "cap": m.cap,
                "insurance_used": m.insurance_used,
                "socialised": m.socialised,
                "unrecovered": m.unrecovered,
                "deposit_index": m.deposit_index.to_string(),
                "loss_index": m.loss_index.to_string(),
                "open_interest": m.open_interest.to_string(),
                "isolated_assets": m.isolated_assets,
                "settlement_balance": m.settlement_balance,
                "frozen": m.frozen,
            });
            w.markets.insert(m.name.clone(), report);
        }
        for (k, balance) in &self.lenders {
            w.lenders.insert(key(k), json!({ "balance": balance }));
        }
        for (k, p) in &self.positions {
            w.positions
                .insert(key(k), json!({ "base": p.base, "owed": p.owed }));
        }
        for ((who, asset), wallet) in &self.wallets {
            let entry = w
                .wallets
                .entry(who.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            let balances = entry.as_object_mut().expect("an object");
            balances.insert(asset.clone(), json!(wallet.tokens));
            if wallet.receipts > 0 {
                balances.insert(format!("{asset}.receipts"), json!(wallet.receipts));
            }
        }
        w
    }
}

pub(super) fn find<'a, T>(entries: &'a [(Pair, T)], a: &str, b: &str) -> Option<&'a T> {
    entries
        .iter()
        .find(|((x, y), _)| x == a && y == b)
        .map(|(_, v)| v)
}
