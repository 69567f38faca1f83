//! Reads what the report shows: the state of every pool, stake, market,
//! lender, position and wallet, and the chart's per-step series.

use anyhow::Result;
use backstop_client::types::{Market, Pool, Protocol};
use backstop_client::{pda, views};
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
        Ok(self.read_state().await?.to_world())
    }
}
