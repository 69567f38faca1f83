//! What the keeper commands share: resolving one bankruptcy record (and its
//! log line), and the Ctrl-C flag the loop and each pass check between
//! actions. `keeper.rs` and `keeper_pass.rs` both build on it.

use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use backstop_client::amount::format_amount_grouped;
use backstop_client::ix::Asset;
use backstop_client::types::{Bankruptcy, Market};
use backstop_client::{ix, pda};
use serde_json::{Value, json};
use solana_pubkey::Pubkey;

use super::MARKET_HINT;
use crate::cluster::Cluster;

static STOP: AtomicBool = AtomicBool::new(false);

pub(super) extern "C" fn on_interrupt(_: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

pub(super) fn stopped() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// Resolves one record; `None` if it was already resolved (by a racing keeper).
pub fn resolve_one(c: &Cluster, index: u16, debtor: &Pubkey) -> Result<Option<Value>> {
    let market_key = pda::market(index);
    let before: Market = c.must(&market_key, "market", MARKET_HINT)?;
    // for the log line: amounts in the mint's units
    let decimals = c.decimals(&before.mint)?;
    let record_key = pda::bankruptcy(&market_key, debtor);
    let Some(record) = c.fetch::<Bankruptcy>(&record_key)? else {
        return Ok(None);
    };
    let ix = ix::resolve_bankruptcy(
        c.me(),
        index,
        Asset::owned_by(before.mint, before.token_program),
        *debtor,
        before.settlement_at(c.now()?),
        before.isolated,
    );
    let ix = c.with_hook_accounts(ix, &before.mint)?;
    match c.send(&[ix]) {
        Ok(sent) if sent.signature.is_none() => Ok(Some(json!({
            "dry_run": true, "market": index, "debtor": debtor.to_string(), "deficit": record.deficit,
            "decimals": decimals,
            "units_consumed": sent.units_consumed, "compute_unit_limit": sent.compute_unit_limit }))),
        Ok(sent) => {
            let after: Market = c.must(&market_key, "market", MARKET_HINT)?;
            Ok(Some(json!({
                "signature": sent.signature(),
                "market": index,
                "debtor": debtor.to_string(),
                "deficit": record.deficit,
                "decimals": decimals,
                "paid": after.insurance_used - before.insurance_used,
                "socialised": after.socialised - before.socialised,
                "unrecovered": after.unrecovered - before.unrecovered,
                "index_after": after.index_after_loss().to_string(),
            })))
        }
        // Another keeper resolved it between our read and our send.
        Err(_) if c.fetch::<Bankruptcy>(&record_key)?.is_none() => Ok(None),
        Err(e) => Err(e),
    }
}

/// The log line of [`resolve_one`]'s outcome, amounts in the mint's units.
pub(super) fn resolved_line(v: &Value) -> String {
    let decimals = v["decimals"].as_u64().unwrap_or(0) as u8;
    let units = |key: &str| format_amount_grouped(v[key].as_u64().unwrap_or(0), decimals);
    if v["dry_run"] == true {
        return format!(
            "would resolve market {} debtor {}: deficit {} (simulated: {} CU, limit {})",
            v["market"],
            v["debtor"].as_str().unwrap_or(""),
            units("deficit"),
            v["units_consumed"],
            v["compute_unit_limit"]
        );
    }
    format!(
        "resolved market {} debtor {}: deficit {} = insurance {} + socialised {} + unrecovered {}; index {} ({})",
        v["market"],
        v["debtor"].as_str().unwrap_or(""),
        units("deficit"),
        units("paid"),
        units("socialised"),
        units("unrecovered"),
        v["index_after"].as_str().unwrap_or(""),
        v["signature"].as_str().unwrap_or("")
    )
}
