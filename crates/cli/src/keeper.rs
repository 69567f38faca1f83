//! `backstop keeper`: resolves every open bankruptcy record, sweeps every pool
//! whose sweep is due and syncs donations, logging each action with its
//! figures. Racing keepers are harmless: a record another keeper resolved
//! first is logged as such. Ctrl-C stops it between actions.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Result;
use backstop::state::{Bankruptcy, Market, Pool, Protocol, pause};
use backstop_client::{ix, pda};
use serde_json::json;

use crate::commands::{Global, resolve_one};
use crate::rpc::Cluster;

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_interrupt(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

fn log(global: &Global, line: String, machine: serde_json::Value) {
    if global.json {
        println!("{machine}");
    } else {
        println!("{line}");
    }
}

/// One pass over every record and pool; returns how many actions it took.
pub fn pass(c: &Cluster, global: &Global) -> Result<usize> {
    let mut actions = 0;
    for (_, record) in c.all::<Bankruptcy>()? {
        if STOP.load(Ordering::SeqCst) {
            return Ok(actions);
        }
        let market: Market = c.must(&record.market, "market")?;
        match resolve_one(c, market.index, &record.debtor) {
            Ok(Some(v)) => {
                actions += 1;
                log(
                    global,
                    format!(
                        "resolved market {} debtor {}: deficit {} = insurance {} + socialised {} + unrecovered {}; index {}",
                        market.index,
                        record.debtor,
                        v["deficit"],
                        v["paid"],
                        v["socialised"],
                        v["unrecovered"],
                        v["index_after"].as_str().unwrap_or("")
                    ),
                    json!({ "event": "resolved", "details": v }),
                );
            }
            Ok(None) => log(
                global,
                format!(
                    "market {} debtor {}: already resolved by another keeper",
                    market.index, record.debtor
                ),
                json!({ "event": "already_resolved", "market": market.index, "debtor": record.debtor.to_string() }),
            ),
            Err(e) => log(
                global,
                format!(
                    "market {} debtor {}: not resolved: {e:#}",
                    market.index, record.debtor
                ),
                json!({ "event": "error", "market": market.index, "debtor": record.debtor.to_string(), "error": format!("{e:#}") }),
            ),
        }
    }
    let protocol: Protocol = c.must(&pda::protocol(), "protocol")?;
    let now = c.now()?;
    for (key, pool) in c.all::<Pool>()? {
        if STOP.load(Ordering::SeqCst) {
            return Ok(actions);
        }
        let vault = c.token_balance(&pool.vault);
        if vault > pool.assets {
            match c.send(&[ix::sync_vault(c.me(), pool.mint)], &[]) {
                Ok(sig) => {
                    actions += 1;
                    log(
                        global,
                        format!(
                            "synced pool {key}: {} donated tokens to revenue ({sig})",
                            vault - pool.assets
                        ),
                        json!({ "event": "synced", "pool": key.to_string(), "amount": vault - pool.assets, "signature": sig }),
                    );
                }
                Err(e) => log(
                    global,
                    format!("pool {key}: sync failed: {e:#}"),
                    json!({ "event": "error", "pool": key.to_string(), "error": format!("{e:#}") }),
                ),
            }
        }
        if pool.sweep_due(now) && !protocol.is_paused(pause::SWEEP) {
            let revenue = c.token_balance(&pool.revenue);
            match c.send(
                &[ix::sweep_revenue(
                    c.me(),
                    pool.mint,
                    protocol.treasury_at(now),
                )],
                &[],
            ) {
                Ok(sig) => {
                    actions += 1;
                    let after: Pool = c.must(&key, "pool")?;
                    log(
                        global,
                        format!(
                            "swept pool {key}: revenue {revenue}, assets {} -> {}, shares {} -> {} ({sig})",
                            pool.assets, after.assets, pool.total_shares, after.total_shares
                        ),
                        json!({ "event": "swept", "pool": key.to_string(), "revenue": revenue, "assets_before": pool.assets,
                                "assets_after": after.assets, "signature": sig }),
                    );
                }
                Err(e) => log(
                    global,
                    format!("pool {key}: sweep failed: {e:#}"),
                    json!({ "event": "error", "pool": key.to_string(), "error": format!("{e:#}") }),
                ),
            }
        }
    }
    Ok(actions)
}

pub fn run(global: &Global, once: bool, interval: u64) -> Result<()> {
    // SAFETY: installs a handler that only stores to an atomic.
    unsafe {
        libc::signal(
            libc::SIGINT,
            on_interrupt as *const () as libc::sighandler_t,
        );
        libc::signal(
            libc::SIGTERM,
            on_interrupt as *const () as libc::sighandler_t,
        );
    }
    let c = Cluster::connect(global.url.as_deref(), global.keypair.as_deref())?;
    if !global.json {
        println!("keeper {} on {}", c.me(), c.url);
    }
    loop {
        let actions = pass(&c, global)?;
        if !global.json {
            println!("pass done: {actions} action(s)");
        }
        if once {
            return Ok(());
        }
        for _ in 0..interval.max(1) * 10 {
            if STOP.load(Ordering::SeqCst) {
                if !global.json {
                    println!("stopping (interrupted)");
                }
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
