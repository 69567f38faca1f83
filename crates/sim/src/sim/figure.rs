//! One figure of a [`Snapshot`] by its path, as text: what a scenario's
//! `check` step compares and what the fuzzer names when it writes a failing
//! sequence. Paths (docs/scenarios.md):
//! `time`, `paused`, `pool.ASSET.FIELD`, `stake.WHO/ASSET.FIELD`,
//! `market.NAME.FIELD`, `lender.MARKET/WHO.balance`,
//! `position.MARKET/WHO.FIELD`, `wallet.WHO/ASSET.FIELD`. An account that
//! does not exist reads `none`.

use super::snapshot::{Pair, Snapshot};

/// What a path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    Value(String),
    /// The path is well formed, but the account does not exist.
    None,
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Figure::Value(v) => f.write_str(v),
            Figure::None => f.write_str("none"),
        }
    }
}

fn v(x: impl ToString) -> Option<Figure> {
    Some(Figure::Value(x.to_string()))
}

fn pair(key: &str) -> Option<(&str, &str)> {
    key.split_once('/')
}

/// The entry of a `(a, b)` list that `key` (`a/b`) names.
fn find<'a, T>(entries: &'a [(Pair, T)], key: (&str, &str)) -> Option<&'a T> {
    super::snapshot::find(entries, key.0, key.1)
}

impl Snapshot {
    /// The figure at `path`; `None` when the path names no figure at all
    /// (an unknown kind, pool, market or field).
    pub fn figure(&self, path: &str) -> Option<Figure> {
        let mut parts = path.splitn(3, '.');
        let kind = parts.next()?;
        match kind {
            "time" => return v(self.time),
            "paused" => return v(self.paused),
            _ => {}
        }
        let (key, field) = (parts.next()?, parts.next()?);
        match kind {
            "pool" => {
                let p = self.pool(key)?;
                match field {
                    "assets" => v(p.assets),
                    "total_shares" => v(p.total_shares),
                    "epoch" => v(p.epoch),
                    "vault_balance" => v(p.vault_balance),
                    "revenue_balance" => v(p.revenue_balance),
                    "held_back" => v(p.held_back),
                    "treasury_shares" => v(p.treasury_shares),
                    "wrapped" => v(p.wrapped),
                    "last_sweep_ts" => v(p.last_sweep_ts),
                    "open_records" => v(p.open_records),
                    _ => None,
                }
            }
            "market" => {
                let m = self.market(key)?;
                match field {
                    "cap" => v(m.cap),
                    "insurance_used" => v(m.insurance_used),
                    "socialised" => v(m.socialised),
                    "unrecovered" => v(m.unrecovered),
                    "deposit_index" => v(m.deposit_index),
                    "loss_index" => v(m.loss_index),
                    "open_interest" => v(m.open_interest),
                    "isolated_assets" => v(m.isolated_assets),
                    "settlement_balance" => v(m.settlement_balance),
                    "frozen" => v(m.frozen),
                    "open_bankruptcies" => v(m.open_bankruptcies),
                    _ => None,
                }
            }
            "stake" => {
                const FIELDS: [&str; 5] = [
                    "shares",
                    "value",
                    "request.shares",
                    "request.value",
                    "request.ts",
                ];
                if !FIELDS.contains(&field) {
                    return None;
                }
                let Some(s) = find(&self.stakes, pair(key)?) else {
                    return Some(Figure::None);
                };
                match (field, s.request) {
                    ("shares", _) => v(s.shares),
                    ("value", _) => v(s.value),
                    (_, None) => Some(Figure::None),
                    ("request.shares", Some(r)) => v(r.shares),
                    ("request.value", Some(r)) => v(r.value),
                    (_, Some(r)) => v(r.ts),
                }
            }
            "lender" => {
                if field != "balance" {
                    return None;
                }
                Some(
                    find(&self.lenders, pair(key)?)
                        .map_or(Figure::None, |b| Figure::Value(b.to_string())),
                )
            }
            "position" => {
                let p = find(&self.positions, pair(key)?);
                match (field, p) {
                    ("base" | "owed", None) => Some(Figure::None),
                    ("base", Some(p)) => v(p.base),
                    ("owed", Some(p)) => v(p.owed),
                    _ => None,
                }
            }
            "wallet" => {
                let w = find(&self.wallets, pair(key)?);
                match (field, w) {
                    ("tokens" | "receipts", None) => Some(Figure::None),
                    ("tokens", Some(w)) => v(w.tokens),
                    ("receipts", Some(w)) => v(w.receipts),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::snapshot::{PoolSnapshot, RequestSnapshot, StakeSnapshot};
    use super::*;

    fn state() -> Snapshot {
        Snapshot {
            time: 7,
            pools: vec![PoolSnapshot {
                asset: "USDC".into(),
                assets: 1_000,
                total_shares: 900,
                ..PoolSnapshot::default()
            }],
            stakes: vec![(
                ("alice".into(), "USDC".into()),
                StakeSnapshot {
                    shares: 90,
                    value: 100,
                    request: Some(RequestSnapshot {
                        shares: 9,
                        value: 10,
                        ts: 5,
                    }),
                },
            )],
            ..Snapshot::default()
        }
    }

    #[test]
    fn paths_name_figures_and_missing_accounts_read_none() {
        let s = state();
        let at = |p: &str| s.figure(p).map(|f| f.to_string());
        assert_eq!(at("time").as_deref(), Some("7"));
        assert_eq!(at("pool.USDC.assets").as_deref(), Some("1000"));
        assert_eq!(at("pool.USDC.total_shares").as_deref(), Some("900"));
        assert_eq!(at("stake.alice/USDC.request.value").as_deref(), Some("10"));
        assert_eq!(at("stake.alice/USDC.request.ts").as_deref(), Some("5"));
        assert_eq!(at("stake.bob/USDC.shares").as_deref(), Some("none"));
        assert_eq!(at("lender.LEND/bob.balance").as_deref(), Some("none"));
        // nothing at all: an unknown pool, field or kind
        assert_eq!(at("pool.SOL.assets"), None);
        assert_eq!(at("pool.USDC.price"), None);
        assert_eq!(at("stake.alice/USDC.cost"), None);
        assert_eq!(at("vault.USDC.assets"), None);
        assert_eq!(at("pool.USDC"), None);
    }
}
