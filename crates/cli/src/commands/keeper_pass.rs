//! One pass of `backstop keeper`: resolve every open bankruptcy record,
//! execute every payout whose timelock has passed (before it expires), sync
//! every pool whose vault holds more than its assets (a donation) or less (a
//! shortfall, written down), and sweep every pool whose sweep is due.
//! Expected no-ops (a sweep not due, nothing to sync, a record or payout a
//! racing keeper took first) are counted, not errors.

use std::sync::Mutex;

use anyhow::Result;
use backstop_client::amount::format_amount_grouped;
use backstop_client::ix;
use backstop_client::ix::Asset;
use backstop_client::pause;
use backstop_client::types::{Bankruptcy, Market, Payout, Pool};
use serde_json::json;

use super::keeper_resolve::{resolve_one, resolved_line, stopped};
use super::metrics::Metrics;
use super::{MARKET_HINT, POOL_HINT};
use crate::cluster::Cluster;
use crate::failure::{Failure, name_of};
use crate::output::OutputFormat;

/// A failure that means the node is not there: the pass stops and the loop backs off.
pub(super) fn node_down(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<Failure>(),
        Some(Failure::Unreachable { .. })
    )
}

/// One pass over every record, payout and pool; returns how many actions it took.
pub(super) fn pass(c: &Cluster, out: OutputFormat, m: &Mutex<Metrics>) -> Result<usize> {
    let metrics = || m.lock().expect("metrics lock");
    let slot = c.slot()?;
    metrics().slot = Some(slot);
    metrics().node_up = true;
    let mut actions = 0;
    // Logs an action's failure, counted by name; a node that went away ends the pass.
    let failed = |what: String, e: anyhow::Error| -> Result<()> {
        if node_down(&e) {
            return Err(e);
        }
        metrics().error(name_of(&e));
        out.log(
            &format!("{what}: {e:#}"),
            &json!({ "event": "error", "what": what, "error": name_of(&e), "message": format!("{e:#}") }),
        );
        Ok(())
    };
    for (_, record) in c.all::<Bankruptcy>()? {
        if stopped() {
            return Ok(actions);
        }
        let market: Market = c.must(&record.market, "market", MARKET_HINT)?;
        let (index, debtor) = (market.index, record.debtor);
        match resolve_one(c, index, &debtor) {
            Ok(Some(v)) => {
                actions += 1;
                metrics().resolved += 1;
                out.log(
                    &resolved_line(&v),
                    &json!({ "event": "resolved", "details": v }),
                );
            }
            Ok(None) => {
                metrics().noop("already_resolved");
                out.log(
                    &format!("market {index} debtor {debtor}: already resolved by another keeper"),
                    &json!({ "event": "already_resolved", "market": index, "debtor": debtor.to_string() }),
                );
            }
            Err(e) => failed(format!("market {index} debtor {debtor}: not resolved"), e)?,
        }
    }
    let protocol = c.protocol()?;
    let now = c.now()?;
    // Payouts governance approved: executable by anyone from the eta until
    // they expire 14 days later (docs/protocol.md §9).
    if !protocol.is_paused(pause::PAYOUT) {
        for (key, payout) in c.all::<Payout>()? {
            if stopped() {
                return Ok(actions);
            }
            if !payout.is_executable(now) {
                continue;
            }
            let pool: Pool = c.must(&payout.pool, "pool", POOL_HINT)?;
            let asset = Asset::owned_by(pool.mint, pool.token_program);
            let i = ix::execute_payout(c.me(), asset, payout.id, payout.recipient);
            let i = c.with_hook_accounts(i, &pool.mint)?;
            match c.send(&[i]) {
                Ok(sent) => {
                    actions += 1;
                    metrics().payouts_executed += 1;
                    let sig = sent.signature();
                    let after: Option<Payout> = c.fetch(&key)?;
                    let paid = after.map_or(0, |p| p.paid);
                    let units = |n: u64| format_amount_grouped(n, pool.decimals);
                    out.log(
                        &format!(
                            "executed payout {} of pool {}: paid {} of {} to {} ({sig})",
                            payout.id,
                            payout.pool,
                            units(paid),
                            units(payout.amount),
                            payout.recipient
                        ),
                        &json!({ "event": "payout_executed", "pool": payout.pool.to_string(),
                                 "id": payout.id, "amount": payout.amount, "paid": paid,
                                 "recipient": payout.recipient.to_string(), "signature": sig }),
                    );
                }
                // A racing keeper executed it first.
                Err(e) if name_of(&e) == "PayoutNotPending" => metrics().noop("payout_taken"),
                Err(e) => failed(
                    format!("payout {} of pool {}: not executed", payout.id, payout.pool),
                    e,
                )?,
            }
        }
    }
    for (key, pool) in c.all::<Pool>()? {
        metrics()
            .pools
            .insert(key.to_string(), (pool.wrapped, pool.open_records));
        if stopped() {
            return Ok(actions);
        }
        let asset = Asset::owned_by(pool.mint, pool.token_program);
        let units = |n: u64| format_amount_grouped(n, pool.decimals);
        let vault = c.token_balance(&pool.vault)?;
        if vault == pool.assets {
            metrics().noop("nothing_to_sync");
        } else {
            // a surplus moves to revenue by a transfer: it carries the hook's accounts
            let sync = c.with_hook_accounts(ix::sync_vault(c.me(), asset), &pool.mint)?;
            match c.send(&[sync]) {
                Ok(sent) => {
                    actions += 1;
                    metrics().synced += 1;
                    let sig = sent.signature();
                    let (line, event) = if vault > pool.assets {
                        let amount = vault - pool.assets;
                        (
                            format!(
                                "synced pool {key}: {} donated to revenue ({sig})",
                                units(amount)
                            ),
                            json!({ "event": "synced", "pool": key.to_string(), "amount": amount, "signature": sig }),
                        )
                    } else {
                        // The vault lost tokens (a permanent delegate's
                        // transfer): the pool's assets follow it down, so
                        // the share price is honest again.
                        let shortfall = pool.assets - vault;
                        (
                            format!(
                                "wrote pool {key} down by {}: its vault held {}, its assets were {} ({sig})",
                                units(shortfall),
                                units(vault),
                                units(pool.assets)
                            ),
                            json!({ "event": "written_down", "pool": key.to_string(), "shortfall": shortfall,
                                    "assets_before": pool.assets, "assets_after": vault, "signature": sig }),
                        )
                    };
                    out.log(&line, &event);
                }
                Err(e) => failed(format!("pool {key}: sync failed"), e)?,
            }
        }
        if !pool.sweep_due(now) || protocol.is_paused(pause::SWEEP) {
            metrics().noop("sweep_not_due");
            continue;
        }
        let revenue = c.token_balance(&pool.revenue)?;
        let i = ix::sweep_revenue(c.me(), asset, protocol.treasury_at(now));
        let i = c.with_hook_accounts(i, &asset.mint)?;
        match c.send(&[i]) {
            Ok(sent) => {
                actions += 1;
                metrics().swept += 1;
                let after: Pool = c.must(&key, "pool", POOL_HINT)?;
                let sig = sent.signature();
                out.log(
                    &format!(
                        "swept pool {key}: revenue {}, assets {} -> {}, shares {} -> {} ({sig})",
                        units(revenue),
                        units(pool.assets),
                        units(after.assets),
                        pool.total_shares,
                        after.total_shares
                    ),
                    &json!({ "event": "swept", "pool": key.to_string(), "revenue": revenue,
                             "assets_before": pool.assets, "assets_after": after.assets, "signature": sig }),
                );
            }
            // A racing keeper swept first.
            Err(e) if name_of(&e) == "SweepNotDue" => metrics().noop("sweep_not_due"),
            Err(e) => failed(format!("pool {key}: sweep failed"), e)?,
        }
    }
    Ok(actions)
}
