//! After every transaction: the program's state against the model, figure for
//! figure, and the invariants that hold whatever the model says.

use serde_json::Value;

use super::model::Model;
use super::world::{MARKETS, POOLS, USERS};
use crate::report::World;

const E18: u128 = 1_000_000_000_000_000_000;

fn num(v: &Value) -> u128 {
    match v {
        Value::Number(n) => n.as_u64().map(u128::from).unwrap_or(0),
        Value::String(s) => s.parse().unwrap_or(0),
        _ => 0,
    }
}

/// Compares one figure; records the difference.
fn same(diffs: &mut Vec<String>, what: String, program: u128, model: u128) {
    if program != model {
        diffs.push(format!("{what}: program {program}, model {model}"));
    }
}

/// Every difference between the program's state and the model's, and every
/// broken invariant.
pub fn compare(world: &World, model: &Model) -> Vec<String> {
    let mut diffs = Vec::new();
    for (p, asset) in POOLS.iter().enumerate() {
        let pool = &model.pools[p];
        let w = &world.pools[*asset];
        let f = |k: &str| num(&w[k]);
        same(&mut diffs, format!("{asset} A"), f("assets"), pool.a);
        same(&mut diffs, format!("{asset} S"), f("total_shares"), pool.s);
        same(
            &mut diffs,
            format!("{asset} epoch"),
            f("epoch"),
            pool.epoch as u128,
        );
        same(
            &mut diffs,
            format!("{asset} held_back"),
            f("held_back"),
            pool.h,
        );
        same(
            &mut diffs,
            format!("{asset} vault"),
            f("vault_balance"),
            pool.vault,
        );
        same(
            &mut diffs,
            format!("{asset} revenue"),
            f("revenue_balance"),
            pool.revenue,
        );
        let treasury = if pool.treasury.1 == pool.epoch {
            pool.treasury.0
        } else {
            0
        };
        same(
            &mut diffs,
            format!("{asset} treasury shares"),
            f("treasury_shares"),
            treasury,
        );
        // invariants
        if f("vault_balance") < f("assets") {
            diffs.push(format!(
                "{asset}: vault {} < A {}",
                f("vault_balance"),
                f("assets")
            ));
        }
        if f("total_shares") == 0 && f("assets") > 0 {
            diffs.push(format!("{asset}: S = 0 but A = {}", f("assets")));
        }
        let values: u128 = world
            .stakes
            .iter()
            .filter(|(k, _)| k.ends_with(&format!("/{asset}")))
            .map(|(_, s)| num(&s["value"]))
            .sum();
        if values > f("assets") {
            diffs.push(format!(
                "{asset}: stakes worth {values} > A {}",
                f("assets")
            ));
        }
        for (u, user) in USERS.iter().enumerate() {
            let st = &model.stakes[p][u];
            let Some(ws) = world.stakes.get(&format!("{user}/{asset}")) else {
                if st.exists {
                    diffs.push(format!("{user}/{asset}: the program has no stake"));
                }
                continue;
            };
            let current = st.epoch == pool.epoch;
            let shares = if current { st.shares } else { 0 };
            same(
                &mut diffs,
                format!("{user}/{asset} shares"),
                num(&ws["shares"]),
                shares,
            );
            let request = st.request.filter(|_| current);
            match (&ws["request"], request) {
                (Value::Null, None) => {}
                (Value::Null, Some(_)) | (_, None) => {
                    diffs.push(format!(
                        "{user}/{asset}: request {} vs model {request:?}",
                        ws["request"]
                    ));
                }
                (
                    r,
                    Some(super::model::Request {
                        shares: n,
                        value: v,
                        ts,
                        ..
                    }),
                ) => {
                    same(
                        &mut diffs,
                        format!("{user}/{asset} request shares"),
                        num(&r["shares"]),
                        n,
                    );
                    same(
                        &mut diffs,
                        format!("{user}/{asset} request value"),
                        num(&r["value"]),
                        v,
                    );
                    same(
                        &mut diffs,
                        format!("{user}/{asset} request ts"),
                        num(&r["ts"]),
                        ts as u128,
                    );
                }
            }
        }
        for (u, user) in USERS.iter().enumerate() {
            let balance = num(&world.wallets[*user][*asset]);
            same(
                &mut diffs,
                format!("{user} {asset} wallet"),
                balance,
                model.wallets[u][p],
            );
        }
    }
    for (m, spec) in MARKETS.iter().enumerate() {
        let market = &model.markets[m];
        let w = &world.markets[spec.name];
        let f = |k: &str| num(&w[k]);
        let name = spec.name;
        same(&mut diffs, format!("{name} cap"), f("cap"), market.cap);
        same(
            &mut diffs,
            format!("{name} insurance_used"),
            f("insurance_used"),
            market.used,
        );
        same(
            &mut diffs,
            format!("{name} socialised"),
            f("socialised"),
            market.socialised,
        );
        same(
            &mut diffs,
            format!("{name} unrecovered"),
            f("unrecovered"),
            market.unrecovered,
        );
        same(
            &mut diffs,
            format!("{name} I"),
            f("deposit_index"),
            market.index,
        );
        same(
            &mut diffs,
            format!("{name} K"),
            f("loss_index"),
            market.loss_index,
        );
        same(
            &mut diffs,
            format!("{name} OI"),
            f("open_interest"),
            market.oi,
        );
        same(
            &mut diffs,
            format!("{name} isolated assets"),
            f("isolated_assets"),
            market.isolated_assets,
        );
        same(
            &mut diffs,
            format!("{name} frozen"),
            (w["frozen"] == Value::Bool(true)) as u128,
            market.frozen as u128,
        );
        if f("insurance_used") > f("cap") {
            diffs.push(format!(
                "{name}: insurance used {} > cap {}",
                f("insurance_used"),
                f("cap")
            ));
        }
        for (u, user) in USERS.iter().enumerate() {
            if let Some(scaled) = market.lenders[u] {
                let balance = world
                    .lenders
                    .get(&format!("{name}/{user}"))
                    .map(|l| num(&l["balance"]));
                same(
                    &mut diffs,
                    format!("{name}/{user} balance"),
                    balance.unwrap_or(u128::MAX),
                    scaled * market.index / E18,
                );
            }
            if let Some((base, snapshot, owed)) = market.positions[u] {
                let owed = owed
                    + (base.unsigned_abs() as u128 * (market.loss_index - snapshot)).div_ceil(E18);
                let got = world
                    .positions
                    .get(&format!("{name}/{user}"))
                    .map(|p| num(&p["owed"]));
                same(
                    &mut diffs,
                    format!("{name}/{user} owed"),
                    got.unwrap_or(u128::MAX),
                    owed,
                );
            }
        }
    }
    diffs
}
