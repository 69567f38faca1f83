//! After every transaction: the program's state against the model, field by
//! field of the typed [`Snapshot`], and the invariants that hold whatever the
//! model says. An account the model expects and the program lacks (or the
//! other way round) is a violation, never a zero. Each difference names its
//! figure by the path a scenario's `check` step reads, so a shrunk failure
//! replays through `backstop simulate` and fails on the same figure.

use std::fmt::Display;

use super::model::Model;
use super::world::{MARKETS, POOLS, USERS};
use crate::sim::snapshot::{PoolSnapshot, Snapshot};

const E18: u128 = 1_000_000_000_000_000_000;

/// One difference: the figure (when it has a path) and the model's value of
/// it, as a `check` step writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    pub figure: Option<String>,
    pub model: String,
    pub text: String,
}

/// The differences found so far.
#[derive(Default)]
struct Diffs(Vec<Diff>);

impl Diffs {
    /// Compares one figure, named by its path.
    fn same<T: PartialEq + Display>(
        &mut self,
        figure: impl FnOnce() -> String,
        program: T,
        model: T,
    ) {
        if program != model {
            let figure = figure();
            self.0.push(Diff {
                text: format!("{figure}: program {program}, model {model}"),
                model: model.to_string(),
                figure: Some(figure),
            });
        }
    }
    /// An invariant broken whatever the model says.
    fn broken(&mut self, text: String) {
        self.0.push(Diff {
            figure: None,
            model: String::new(),
            text,
        });
    }
}

/// `none` for an account (or request) that does not exist, as a figure reads.
fn text<T: Display>(x: Option<T>) -> String {
    x.map_or_else(|| "none".to_string(), |x| x.to_string())
}

/// Every difference between the program's state and the model's, and every
/// broken invariant.
pub fn compare(state: &Snapshot, model: &Model) -> Vec<Diff> {
    let mut d = Diffs::default();
    d.same(|| "paused".into(), state.paused, model.paused);
    d.same(|| "time".into(), state.time, model.now);
    for (p, asset) in POOLS.iter().enumerate() {
        let Some(w) = state.pool(asset) else {
            d.broken(format!("pool {asset}: not in the program's state"));
            continue;
        };
        pool(&mut d, w, p, model);
        stakes(&mut d, state, w, p, model);
        for (u, user) in USERS.iter().enumerate() {
            let wallet = state.wallet(user, asset);
            let tokens = wallet.map(|w| w.tokens as u128);
            let want = Some(model.wallets[u][p]);
            d.same(
                || format!("wallet.{user}/{asset}.tokens"),
                text(tokens),
                text(want),
            );
            let receipts = wallet.map(|w| w.receipts as u128);
            let want = Some(model.receipts_now(u, p).unwrap_or(0));
            d.same(
                || format!("wallet.{user}/{asset}.receipts"),
                text(receipts),
                text(want),
            );
        }
    }
    markets(&mut d, state, model);
    d.0
}

fn pool(d: &mut Diffs, w: &PoolSnapshot, p: usize, model: &Model) {
    let asset = POOLS[p];
    let pool = &model.pools[p];
    let at = |field: &str| format!("pool.{asset}.{field}");
    d.same(|| at("assets"), w.assets as u128, pool.a);
    d.same(|| at("total_shares"), w.total_shares, pool.s);
    d.same(|| at("epoch"), w.epoch, pool.epoch);
    d.same(|| at("held_back"), w.held_back as u128, pool.h);
    d.same(|| at("vault_balance"), w.vault_balance as u128, pool.vault);
    d.same(
        || at("revenue_balance"),
        w.revenue_balance as u128,
        pool.revenue,
    );
    d.same(|| at("last_sweep_ts"), w.last_sweep_ts, pool.last_sweep);
    d.same(|| at("open_records"), w.open_records, pool.open_records);
    d.same(|| at("wrapped"), w.wrapped as u128, pool.wrapped);
    let treasury = if pool.treasury.1 == pool.epoch {
        pool.treasury.0
    } else {
        0
    };
    d.same(|| at("treasury_shares"), w.treasury_shares, treasury);
    // invariants (a vault short of A only while a delegate's taking waits
    // for `sync` to write A down)
    if w.vault_balance < w.assets && !pool.short() {
        d.broken(format!(
            "{asset}: vault {} < A {}",
            w.vault_balance, w.assets
        ));
    }
    if w.total_shares == 0 && w.assets > 0 {
        d.broken(format!("{asset}: S = 0 but A = {}", w.assets));
    }
}

fn stakes(d: &mut Diffs, state: &Snapshot, w: &PoolSnapshot, p: usize, model: &Model) {
    let asset = POOLS[p];
    let pool = &model.pools[p];
    let of_pool = || state.stakes.iter().filter(|((_, a), _)| a == asset);
    let values: u128 = of_pool().map(|(_, s)| s.value as u128).sum();
    if values > w.assets as u128 {
        d.broken(format!("{asset}: stakes worth {values} > A {}", w.assets));
    }
    let held: u128 = of_pool().map(|(_, s)| s.shares).sum();
    if held + w.wrapped as u128 != w.total_shares {
        d.broken(format!(
            "{asset}: shares in stakes {held} + wrapped {} != S {}",
            w.wrapped, w.total_shares
        ));
    }
    for (u, user) in USERS.iter().enumerate() {
        let st = &model.stakes[p][u];
        let ws = state.stake(user, asset);
        let current = st.epoch == pool.epoch;
        let shares = st.exists.then_some(if current { st.shares } else { 0 });
        let at = |field: &str| format!("stake.{user}/{asset}.{field}");
        d.same(|| at("shares"), text(ws.map(|s| s.shares)), text(shares));
        if ws.is_none() || !st.exists {
            continue;
        }
        let want = st.request.filter(|_| current);
        let got = ws.and_then(|s| s.request);
        d.same(
            || at("request.shares"),
            text(got.map(|r| r.shares)),
            text(want.map(|r| r.shares)),
        );
        d.same(
            || at("request.value"),
            text(got.map(|r| r.value as u128)),
            text(want.map(|r| r.value)),
        );
        d.same(
            || at("request.ts"),
            text(got.map(|r| r.ts)),
            text(want.map(|r| r.ts)),
        );
    }
}

fn markets(d: &mut Diffs, state: &Snapshot, model: &Model) {
    for (m, spec) in MARKETS.iter().enumerate() {
        let market = &model.markets[m];
        let name = spec.name;
        let Some(w) = state.market(name) else {
            d.broken(format!("market {name}: not in the program's state"));
            continue;
        };
        let at = |field: &str| format!("market.{name}.{field}");
        d.same(|| at("cap"), w.cap as u128, market.cap_at(model.now));
        d.same(
            || at("insurance_used"),
            w.insurance_used as u128,
            market.used,
        );
        d.same(|| at("socialised"), w.socialised as u128, market.socialised);
        d.same(
            || at("unrecovered"),
            w.unrecovered as u128,
            market.unrecovered,
        );
        d.same(|| at("deposit_index"), w.deposit_index, market.index);
        d.same(|| at("loss_index"), w.loss_index, market.loss_index);
        d.same(|| at("open_interest"), w.open_interest, market.oi);
        d.same(
            || at("isolated_assets"),
            w.isolated_assets as u128,
            market.isolated_assets,
        );
        d.same(|| at("frozen"), w.frozen, market.frozen);
        let open = market.records.iter().filter(|r| r.is_some()).count() as u32;
        d.same(|| at("open_bankruptcies"), w.open_bankruptcies, open);
        if w.insurance_used > w.cap {
            d.broken(format!(
                "{name}: insurance used {} > cap {}",
                w.insurance_used, w.cap
            ));
        }
        for (u, user) in USERS.iter().enumerate() {
            let want = market.lenders[u].map(|scaled| scaled * market.index / E18);
            let got = state.lender(name, user).map(u128::from);
            d.same(
                || format!("lender.{name}/{user}.balance"),
                text(got),
                text(want),
            );
            let position = state.position(name, user);
            let want = market.positions[u].map(|(base, snapshot, owed)| {
                let settled = base.unsigned_abs() as u128 * (market.loss_index - snapshot);
                (base, owed + settled.div_ceil(E18))
            });
            let at = |field: &str| format!("position.{name}/{user}.{field}");
            d.same(
                || at("base"),
                text(position.map(|p| p.base)),
                text(want.map(|w| w.0)),
            );
            let owed = position.map(|p| p.owed as u128);
            d.same(|| at("owed"), text(owed), text(want.map(|w| w.1)));
        }
    }
}
