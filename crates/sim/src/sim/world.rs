//! Reads what the report shows: the state of every pool, stake, market,
//! lender, position and wallet, and the chart's per-step series.

use std::collections::HashMap;

use anyhow::{Result, anyhow};
use backstop_client::types::{Lender, Market, MarketKind, Pool, Position, Protocol, Stake};
use backstop_client::{pda, views};
use serde_json::{Map, Value, json};
use solana_pubkey::Pubkey;

use super::Simulator;
use crate::report::{PoolPoint, World};

impl Simulator {
    /// The treasury in effect now (a change may be pending).
    pub(super) async fn treasury(&mut self) -> Pubkey {
        let now = self.bank.now().await;
        let protocol: Protocol = self
            .bank
            .decode(pda::protocol())
            .await
            .expect("protocol exists");
        protocol.treasury_at(now)
    }

    /// A market's (insurance used, socialised, unrecovered) so far.
    pub(super) async fn market_totals(&mut self, index: u16) -> Option<(u64, u64, u64)> {
        let m: Market = self.bank.decode(pda::market(index)).await?;
        Some((m.insurance_used, m.socialised, m.unrecovered))
    }

    /// Each pool's assets and share price after `step` steps, for the chart.
    pub(super) async fn record_series(&mut self, step: usize) {
        for p in 0..self.pools.len() {
            let (asset, mint) = (self.pools[p].asset.clone(), self.pools[p].mint);
            if let Some(pool) = self.bank.decode::<Pool>(pda::pool(&mint)).await {
                self.recording.series.push(PoolPoint {
                    step,
                    asset,
                    assets: pool.assets,
                    price_e9: views::share_price_e9(&pool),
                });
            }
        }
    }

    /// Reads everything the report shows.
    pub(super) async fn world(&mut self) -> Result<World> {
        let now = self.bank.now().await;
        let mut w = World {
            time: now,
            ..World::default()
        };
        let treasury = self.treasury().await;
        let mut pool_states: HashMap<String, Pool> = HashMap::new();
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
                Some(s) => views::stake_shares(&s, &pool),
                None => 0,
            };
            let vault_balance = self.bank.token_balance(pool.vault).await;
            let revenue_balance = self.bank.token_balance(pool.revenue).await;
            let mut report = json!({
                "assets": pool.assets,
                "total_shares": pool.total_shares.to_string(),
                "epoch": pool.epoch,
                "vault_balance": vault_balance,
                "revenue_balance": revenue_balance,
                "held_back": pool.held_back,
                "treasury_shares": treasury_shares.to_string(),
            });
            // shares held as receipt tokens, listed when there are any
            if pool.wrapped > 0 {
                report["wrapped"] = json!(pool.wrapped);
            }
            w.pools.insert(asset.clone(), report);
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
            let request = match views::stake_request(&stake, pool) {
                Some((shares, value, ts)) => {
                    json!({ "shares": shares.to_string(), "value": value, "ts": ts })
                }
                None => Value::Null,
            };
            w.stakes.insert(
                format!("{who}/{asset}"),
                json!({
                    "shares": views::stake_shares(&stake, pool).to_string(),
                    "value": views::stake_value(&stake, pool).unwrap_or(0),
                    "request": request,
                }),
            );
        }
        let mut market_states: HashMap<String, Market> = HashMap::new();
        for i in 0..self.markets.len() {
            let (name, index) = (self.markets[i].name.clone(), self.markets[i].index);
            let m: Market = self
                .bank
                .decode(pda::market(index))
                .await
                .ok_or_else(|| anyhow!("market {name} missing"))?;
            let settlement_balance = self.bank.token_balance(m.settlement_at(now)).await;
            w.markets.insert(
                name.clone(),
                json!({
                    "kind": match m.kind { MarketKind::Lending => "lending", MarketKind::Perp => "perp" },
                    "cap": m.cap_at(now),
                    "insurance_used": m.insurance_used,
                    "socialised": m.socialised,
                    "unrecovered": m.unrecovered,
                    "deposit_index": m.deposit_index.to_string(),
                    "loss_index": m.loss_index.to_string(),
                    "open_interest": m.open_interest.to_string(),
                    "isolated_assets": m.isolated_assets,
                    "settlement_balance": settlement_balance,
                    "frozen": m.frozen,
                }),
            );
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
                w.lenders
                    .insert(format!("{market}/{who}"), json!({ "balance": balance }));
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
                w.positions.insert(
                    format!("{market}/{who}"),
                    json!({ "base": p.base, "owed": owed }),
                );
            }
        }
        for user in self.users.clone() {
            let mut balances = Map::new();
            for p in 0..self.pools.len() {
                let asset = self.pools[p].asset.clone();
                let acct = self.tokens(&user, &asset);
                balances.insert(asset.clone(), json!(self.bank.token_balance(acct).await));
                let receipts = self.receipt_balance(&user, &asset).await;
                if receipts > 0 {
                    balances.insert(format!("{asset}.receipts"), json!(receipts));
                }
            }
            w.wallets.insert(user, Value::Object(balances));
        }
        Ok(w)
    }
}
