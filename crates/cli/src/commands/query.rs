//! Reading the program's accounts: pools, markets, bankruptcies, a lender.

use anyhow::{Result, anyhow};
use backstop_client::amount::format_amount_grouped;
use backstop_client::types::{Bankruptcy, ExposureMode, Lender, Market, MarketKind, Pool};
use backstop_client::{pda, views};
use clap::Args;
use serde_json::json;

use super::{Global, MARKET_HINT, pubkey};

#[derive(Args, Debug)]
pub struct LenderArgs {
    /// Market index
    #[arg(long, value_name = "INDEX")]
    pub market: u16,
    #[arg(long, value_name = "OWNER_ADDRESS")]
    pub owner: String,
}

pub fn kind_name(kind: MarketKind) -> &'static str {
    if kind == MarketKind::Lending {
        "lending"
    } else {
        "perp"
    }
}

pub fn pools(global: &Global) -> Result<()> {
    let c = global.read_only()?;
    let now = c.now()?;
    let mut rows = Vec::new();
    let mut human = String::from(
        "pool                                          mint                                          assets              shares        epoch  sweep due",
    );
    for (key, p) in c.all::<Pool>()? {
        human.push_str(&format!(
            "\n{key:<45} {:<45} {:>19} {:>13} {:>6}  {}",
            p.mint.to_string(),
            format_amount_grouped(p.assets, p.decimals),
            p.total_shares,
            p.epoch,
            p.sweep_due(now)
        ));
        rows.push(json!({ "pool": key.to_string(), "mint": p.mint.to_string(), "vault": p.vault.to_string(), "assets": p.assets,
                          "total_shares": p.total_shares.to_string(), "epoch": p.epoch, "sweep_due": p.sweep_due(now) }));
    }
    global.print(&human, &json!(rows));
    Ok(())
}

/// Each pool's mint and decimals, so that a market's amounts read in its
/// mint's units.
fn decimals_by_mint(c: &crate::cluster::Cluster) -> Result<Vec<(solana_pubkey::Pubkey, u8)>> {
    Ok(c.all::<Pool>()?
        .into_iter()
        .map(|(_, p)| (p.mint, p.decimals))
        .collect())
}

/// `units` in the mint's units when its pool is known, else in base units.
fn in_units(
    units: u64,
    mint: &solana_pubkey::Pubkey,
    decimals: &[(solana_pubkey::Pubkey, u8)],
) -> String {
    match decimals.iter().find(|(m, _)| m == mint) {
        Some((_, d)) => format_amount_grouped(units, *d),
        None => units.to_string(),
    }
}

/// Every market; amounts in the mint's units (JSON keeps base units).
pub fn markets(global: &Global) -> Result<()> {
    let c = global.read_only()?;
    let now = c.now()?;
    let decimals = decimals_by_mint(&c)?;
    let mut all = c.all::<Market>()?;
    all.sort_by_key(|(_, m)| m.index);
    let mut rows = Vec::new();
    let mut human = String::from(
        "index kind     exposure   cap                      used                socialised          unrecovered         isolated frozen",
    );
    for (key, m) in all {
        let cap = m.cap_at(now);
        let kind = kind_name(m.kind);
        let exposure = match m.exposure_mode {
            ExposureMode::Accounts => "accounts",
            ExposureMode::Aggregate => "aggregate",
        };
        let shown_cap = if cap == u64::MAX {
            "unlimited".to_string()
        } else {
            in_units(cap, &m.mint, &decimals)
        };
        let units = |n: u64| in_units(n, &m.mint, &decimals);
        human.push_str(&format!(
            "\n{:>5} {kind:<8} {exposure:<10} {shown_cap:<24} {:>19} {:>19} {:>19} {:<8} {}",
            m.index,
            units(m.insurance_used),
            units(m.socialised),
            units(m.unrecovered),
            m.isolated,
            m.frozen
        ));
        rows.push(json!({ "market": key.to_string(), "index": m.index, "kind": kind, "cap": cap,
                          "insurance_used": m.insurance_used, "socialised": m.socialised, "unrecovered": m.unrecovered,
                          "deposit_index": m.deposit_index.to_string(), "loss_index": m.loss_index.to_string(),
                          "open_interest": m.open_interest.to_string(), "isolated": m.isolated,
                          "exposure": exposure, "frozen": m.frozen }));
    }
    global.print(&human, &json!(rows));
    Ok(())
}

/// Every open bankruptcy record; deficits in the mint's units.
pub fn bankruptcies(global: &Global) -> Result<()> {
    let c = global.read_only()?;
    let decimals = decimals_by_mint(&c)?;
    let markets = c.all::<Market>()?;
    let mut rows = Vec::new();
    let mut human = String::from(
        "market                                        debtor                                        deficit             recorded at",
    );
    for (_, b) in c.all::<Bankruptcy>()? {
        let deficit = match markets.iter().find(|(key, _)| *key == b.market) {
            Some((_, m)) => in_units(b.deficit, &m.mint, &decimals),
            None => b.deficit.to_string(),
        };
        human.push_str(&format!(
            "\n{:<45} {:<45} {:>19} {}",
            b.market.to_string(),
            b.debtor.to_string(),
            deficit,
            b.recorded_at
        ));
        rows.push(
            json!({ "market": b.market.to_string(), "debtor": b.debtor.to_string(),
                          "deficit": b.deficit, "recorded_at": b.recorded_at }),
        );
    }
    global.print(&human, &json!(rows));
    Ok(())
}

/// A lender's balance now (for scripts and tests).
pub fn lender(global: &Global, a: &LenderArgs) -> Result<()> {
    let c = global.read_only()?;
    let market_key = pda::market(a.market);
    let m: Market = c.must(&market_key, "market", MARKET_HINT)?;
    let owner = pubkey(&a.owner, "owner")?;
    let l: Lender = c.must(
        &pda::lender(&market_key, &owner),
        "lender",
        "this owner has no deposit recorded in this market",
    )?;
    let balance = views::lender_balance(&l, &m).map_err(|e| anyhow!("{e:?}"))?;
    global.print(
        &format!("balance {balance}"),
        &json!({ "balance": balance }),
    );
    Ok(())
}
