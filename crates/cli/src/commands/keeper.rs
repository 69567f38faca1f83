//! Keepers: sweep, sync, resolve (keeper_resolve.rs), and `backstop keeper`,
//! which runs passes (keeper_pass.rs) in a loop. When the node cannot be reached it backs off
//! (1 s doubling to 60 s) and resumes by itself. Ctrl-C stops it between
//! actions.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Result, bail};
use backstop_client::ix::Asset;
use backstop_client::types::Pool;
use backstop_client::{ix, pda};
use clap::Args;
use serde_json::json;

use super::keeper_resolve::{on_interrupt, resolve_one, resolved_line, stopped};
use super::metrics::{self, Metrics};
use super::{Global, POOL_HINT, pubkey};
use crate::failure::name_of;

#[derive(Args, Debug)]
pub struct MintArg {
    /// The pool's mint
    #[arg(long, value_name = "MINT_ADDRESS")]
    pub mint: String,
}

#[derive(Args, Debug)]
pub struct ResolveArgs {
    /// Market index
    #[arg(long, value_name = "INDEX")]
    pub market: u16,
    #[arg(long, value_name = "DEBTOR_ADDRESS")]
    pub debtor: String,
}

#[derive(Args, Debug)]
pub struct KeeperArgs {
    /// One pass, then exit
    #[arg(long)]
    pub once: bool,
    /// Seconds between passes
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub interval: u64,
    /// Serve Prometheus metrics on http://BIND:PORT/metrics
    #[arg(long, value_name = "PORT")]
    pub metrics_port: Option<u16>,
    /// The address the metrics server listens on (0.0.0.0 to let another
    /// machine scrape it)
    #[arg(
        long,
        value_name = "IP",
        default_value = "127.0.0.1",
        requires = "metrics_port"
    )]
    pub metrics_bind: std::net::IpAddr,
    /// Simulate every transaction instead of sending it
    #[arg(long)]
    pub dry_run: bool,
}

/// The longest wait between attempts while the node is down.
pub const MAX_BACKOFF_SECS: u64 = 60;

pub fn sweep(global: &Global, mint: &str, sync: bool) -> Result<()> {
    let c = global.cluster()?;
    let mint = pubkey(mint, "mint")?;
    let before: Pool = c.must(&pda::pool(&mint), "pool", POOL_HINT)?;
    let asset = Asset::owned_by(mint, before.token_program);
    let ix = if sync {
        ix::sync_vault(c.me(), asset)
    } else {
        c.with_hook_accounts(ix::sweep_revenue(c.me(), asset, c.treasury()?), &mint)?
    };
    let sig = c.send(&[ix])?.signature();
    let after: Pool = c.must(&pda::pool(&mint), "pool", POOL_HINT)?;
    global.print(
        &format!(
            "{}: assets {} -> {} ({sig})",
            if sync { "synced" } else { "swept" },
            before.assets,
            after.assets
        ),
        &json!({ "signature": sig, "assets_before": before.assets, "assets_after": after.assets }),
    );
    Ok(())
}

pub fn resolve(global: &Global, a: &ResolveArgs) -> Result<()> {
    let c = global.cluster()?;
    let debtor = pubkey(&a.debtor, "debtor")?;
    match resolve_one(&c, a.market, &debtor)? {
        Some(v) => global.print(&resolved_line(&v), &v),
        None => bail!(
            "no open bankruptcy record for {debtor} in market {} on {} (already resolved? \
             `backstop bankruptcies` lists the open ones)",
            a.market,
            c.url
        ),
    }
    Ok(())
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Sleeps `secs`, waking early on Ctrl-C; true if interrupted.
fn sleep_interruptibly(secs: u64) -> bool {
    for _ in 0..secs.max(1) * 10 {
        if stopped() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    stopped()
}

pub fn run(global: &Global, a: &KeeperArgs) -> Result<()> {
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
    let out = global.format();
    let mut c = global.cluster()?;
    c.dry_run = a.dry_run;
    let metrics = Arc::new(Mutex::new(Metrics::default()));
    if let Some(port) = a.metrics_port {
        metrics::serve(a.metrics_bind, port, metrics.clone())?;
    }
    if !out.is_json() {
        println!(
            "keeper {} on {}{}{}",
            c.me(),
            c.url,
            if a.dry_run {
                " (dry run: simulating, sending nothing)"
            } else {
                ""
            },
            a.metrics_port
                .map(|p| format!("; metrics on http://{}:{p}/metrics", a.metrics_bind))
                .unwrap_or_default()
        );
    }
    let mut backoff = 1;
    loop {
        match super::keeper_pass::pass(&c, out, &metrics) {
            Ok(actions) => {
                backoff = 1;
                let mut m = metrics.lock().expect("metrics lock");
                m.passes += 1;
                m.last_success = Some(unix_now());
                drop(m);
                out.log(
                    &format!("pass done: {actions} action(s)"),
                    &json!({ "event": "pass", "actions": actions }),
                );
                if a.once || sleep_interruptibly(a.interval) {
                    break;
                }
            }
            Err(e) => {
                let mut m = metrics.lock().expect("metrics lock");
                m.error(name_of(&e));
                m.node_up = !super::keeper_pass::node_down(&e);
                drop(m);
                if a.once {
                    return Err(e);
                }
                out.log(
                    &format!("{e:#}; retrying in {backoff} s"),
                    &json!({ "event": "retry", "error": name_of(&e), "message": format!("{e:#}"),
                             "retry_in_secs": backoff }),
                );
                if sleep_interruptibly(backoff) {
                    break;
                }
                backoff = (backoff * 2).min(MAX_BACKOFF_SECS);
            }
        }
    }
    if stopped() && !out.is_json() {
        println!("stopping (interrupted)");
    }
    Ok(())
}
