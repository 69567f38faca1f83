//! After every transaction: the program's state against the model, field by
//! field of the typed [`Snapshot`], and the invariants that hold whatever the
//! model says. An account the model expects and the program lacks (or the
//! other way round) is a violation, never a zero.

use super::model::{Model, Request};
use super::world::{MARKETS, POOLS, USERS};
use crate::sim::snapshot::{PoolSnapshot, Snapshot};

const E18: u128 = 1_000_000_000_000_000_000;

/// The differences found so far.
#[derive(Default)]
struct Diffs(Vec<String>);

impl Diffs {
    /// Compares one figure.
    fn same<T: PartialEq + std::fmt::Debug>(
        &mut self,
        what: impl FnOnce() -> String,
        program: T,
        model: T,
    ) {
        if program != model {
            self.0
                .push(format!("{}: program {program:?}, model {model:?}", what()));
        }
    }
    fn broken(&mut self, what: String) {
        self.0.push(what);
    }
}

/// Every difference between the program's state and the model's, and every
/// broken invariant.
pub fn compare(state: &Snapshot, model: &Model) -> Vec<String> {
    let mut d = Diffs::default();
    d.same(|| "pause flags".into(), state.paused, model.paused);
    d.same(|| "time".into(), state.time, model.now);
    for (p, asset) in POOLS.iter().enumerate() {
        let Some(w) = state.pool(asset) else {
            d.broken(format!("pool {asset}: not in the program's state"));
            continue;
        };
        pool(&mut d, w, p, model);
        stakes(&mut d, state, p, model);
        for (u, user) in USERS.iter().enumerate() {
            match state.wallet(user, asset) {
                Some(wallet) => {
                    let want = model.wallets[u][p];
                    d.same(
                        || format!("{user} {asset} wallet"),
                        wallet.tokens as u128,
                        want,
                    );
                }
                None => d.broken(format!("{user} {asset} wallet: not read")),
            }
        }
    }
    markets(&mut d, state, model);
    d.0
}

fn pool(d: &mut Diffs, w: &PoolSnapshot, p: usize, model: &Model) {
    let asset = POOLS[p];
    let pool = &model.pools[p];
    d.same(|| format!("{asset} A"), w.assets as u128, pool.a);
    d.same(|| format!("{asset} S"), w.total_shares, pool.s);
    d.same(|| format!("{asset} epoch"), w.epoch, pool.epoch);
    d.same(|| format!("{asset} held_back"), w.held_back as u128, pool.h);
    d.same(
        || format!("{asset} vault"),
        w.vault_balance as u128,
        pool.vault,
    );
    d.same(
        || format!("{asset} revenue"),
        w.revenue_balance as u128,
        pool.revenue,
    );
    d.same(
        || format!("{asset} last sweep"),
        w.last_sweep_ts,
        pool.last_sweep,
    );
    d.same(
        || format!("{asset} open records"),
        w.open_records,
        pool.open_records,
    );
    d.same(
        || format!("{asset} wrapped"),
        w.wrapped as u128,
        pool.wrapped,
    );
    let treasury = if pool.treasury.1 == pool.epoch {
        pool.treasury.0
    } else {
        0
    };
    d.same(
        || format!("{asset} treasury shares"),
        w.treasury_shares,
        treasury,
    );
    // invariants
    if w.vault_balance < w.assets {
        d.broken(format!(
            "{asset}: vault {} < A {}",
            w.vault_balance, w.assets
        ));
    }
    if w.total_shares == 0 && w.assets > 0 {
        d.broken(format!("{asset}: S = 0 but A = {}", w.assets));
    }
}

fn stakes(d: &mut Diffs, state: &Snapshot, p: usize, model: &Model) {
    let asset = POOLS[p];
    let pool = &model.pools[p];
    let w = state.pool(asset).expect("checked by the caller");
    let values: u128 = state
        .stakes
        .iter()
        .filter(|((_, a), _)| a == asset)
        .map(|(_, s)| s.value as u128)
        .sum();
    if values > w.assets as u128 {
        d.broken(format!("{asset}: stakes worth {values} > A {}", w.assets));
    }
    let held: u128 = state
        .stakes
        .iter()
        .filter(|((_, a), _)| a == asset)
        .map(|(_, s)| s.shares)
        .sum();
    if held + w.wrapped as u128 != w.total_shares {
        d.broken(format!(
            "{asset}: shares in stakes {held} + wrapped {} != S {}",
            w.wrapped, w.total_shares
        ));
    }
    for (u, user) in USERS.iter().enumerate() {
        let st = &model.stakes[p][u];
        let Some(ws) = state.stake(user, asset) else {
            if st.exists {
                d.broken(format!("{user}/{asset}: the program has no stake"));
            }
            continue;
        };
        if !st.exists {
            d.broken(format!("{user}/{asset}: a stake the model never created"));
            continue;
        }
        let current = st.epoch == pool.epoch;
        let shares = if current { st.shares } else { 0 };
        d.same(|| format!("{user}/{asset} shares"), ws.shares, shares);
        let want = st
            .request
            .filter(|_| current)
            .map(|r: Request| (r.shares, r.value, r.ts));
        let got = ws.request.map(|r| (r.shares, r.value as u128, r.ts));
        d.same(
            || format!("{user}/{asset} request (shares, value, ts)"),
            got,
            want,
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
        d.same(|| format!("{name} cap"), w.cap as u128, market.cap);
        d.same(
            || format!("{name} insurance_used"),
            w.insurance_used as u128,
            market.used,
        );
        d.same(
            || format!("{name} socialised"),
            w.socialised as u128,
            market.socialised,
        );
        d.same(
            || format!("{name} unrecovered"),
            w.unrecovered as u128,
            market.unrecovered,
        );
        d.same(|| format!("{name} I"), w.deposit_index, market.index);
        d.same(|| format!("{name} K"), w.loss_index, market.loss_index);
        d.same(|| format!("{name} OI"), w.open_interest, market.oi);
        d.same(
            || format!("{name} isolated assets"),
            w.isolated_assets as u128,
            market.isolated_assets,
        );
        d.same(|| format!("{name} frozen"), w.frozen, market.frozen);
        let open = market.records.iter().filter(|r| r.is_some()).count() as u32;
        d.same(
            || format!("{name} open bankruptcies"),
            w.open_bankruptcies,
            open,
        );
        if w.insurance_used > w.cap {
            d.broken(format!(
                "{name}: insurance used {} > cap {}",
                w.insurance_used, w.cap
            ));
        }
        for (u, user) in USERS.iter().enumerate() {
            let lender = state.lender(name, user);
            match (market.lenders[u], lender) {
                (Some(scaled), Some(balance)) => {
                    let want = scaled * market.index / E18;
                    d.same(|| format!("{name}/{user} balance"), balance as u128, want);
                }
                (None, None) => {}
                (want, got) => d.broken(format!(
                    "{name}/{user} lender: program {got:?}, model {want:?}"
                )),
            }
            let position = state.position(name, user);
            match (market.positions[u], position) {
                (Some((base, snapshot, owed)), Some(p)) => {
                    let owed = owed
                        + (base.unsigned_abs() as u128 * (market.loss_index - snapshot))
                            .div_ceil(E18);
                    d.same(|| format!("{name}/{user} base"), p.base, base);
                    d.same(|| format!("{name}/{user} owed"), p.owed as u128, owed);
                }
                (None, None) => {}
                (want, got) => d.broken(format!(
                    "{name}/{user} position: program {got:?}, model {want:?}"
                )),
            }
        }
    }
}
