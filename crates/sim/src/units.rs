//! How the readable report shows amounts: in each asset's own units, with
//! its decimals and thousands grouped (`57,591.454985 USDC`), where the JSON
//! report keeps base units. Shares, indexes and times stay as they are.

use std::collections::BTreeMap;

use backstop_client::amount::format_amount_grouped;

/// Each asset's decimals, and each market's asset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Units {
    decimals: BTreeMap<String, u8>,
    market_assets: BTreeMap<String, String>,
}

impl Units {
    pub fn new(
        assets: impl IntoIterator<Item = (String, u8)>,
        markets: impl IntoIterator<Item = (String, String)>,
    ) -> Units {
        Units {
            decimals: assets.into_iter().collect(),
            market_assets: markets.into_iter().collect(),
        }
    }

    pub fn asset_of_market(&self, market: &str) -> Option<&str> {
        self.market_assets.get(market).map(String::as_str)
    }

    /// `amount` base units of `asset` as people read them; base units when
    /// the asset is unknown.
    pub fn show(&self, amount: u64, asset: &str) -> String {
        match self.decimals.get(asset) {
            Some(&d) => format!("{} {asset}", format_amount_grouped(amount, d)),
            None => amount.to_string(),
        }
    }

    /// The same, for a market's asset.
    pub fn show_in_market(&self, amount: u64, market: &str) -> String {
        match self.asset_of_market(market) {
            Some(asset) => self.show(amount, asset),
            None => amount.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_their_asset() {
        let units = Units::new(
            [("USDC".to_string(), 6), ("SOL".to_string(), 9)],
            [("SOL-PERP".to_string(), "SOL".to_string())],
        );
        assert_eq!(units.show(57_591_454_985, "USDC"), "57,591.454985 USDC");
        assert_eq!(units.show(1_500_000_000, "SOL"), "1.5 SOL");
        assert_eq!(units.show_in_market(120_000_000, "SOL-PERP"), "0.12 SOL");
        assert_eq!(units.show(7, "BONK"), "7");
        assert_eq!(units.show_in_market(7, "NONE"), "7");
    }
}
