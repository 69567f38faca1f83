//! Golden vectors for the TypeScript client (`ts/client/golden.json`): the
//! addresses the Rust client derives and the answers backstop-core gives, for
//! fixed inputs. `tests/ts/client.test.ts` asserts that `ts/client` (its PDAs,
//! and backstop-core compiled to WebAssembly) gives the same, so the two
//! languages cannot drift apart. A stale file fails here; rewrite it with
//! `BACKSTOP_BLESS=1 cargo test -p backstop-client ts_golden`.

use anchor_lang::prelude::Pubkey;
use backstop_core::{exit, math::shares, pause, payout, pending};
use serde_json::{Value, json};

use crate::ix::Asset;
use crate::{pda, token};

const GOLDEN_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ts/client/golden.json");

fn key(text: &str) -> Pubkey {
    text.parse().expect("a base58 key")
}

fn pdas() -> Value {
    let mint = key("So11111111111111111111111111111111111111112");
    let owner = key("11111111111111111111111111111112");
    let pool = pda::pool(&mint);
    let market = pda::market(3);
    let receipt_mint = pda::receipt_mint(&pool, 263);
    let spl = Asset {
        mint,
        token_program: token::SPL_TOKEN_PROGRAM,
    };
    let s = |k: Pubkey| k.to_string();
    json!({
        "mint": s(mint), "owner": s(owner), "market_index": 3, "payout_id": 9, "epoch": 263,
        "protocol": s(pda::protocol()),
        "pool": s(pool),
        "vault": s(pda::vault(&pool)),
        "revenue": s(pda::revenue(&pool)),
        "stake": s(pda::stake(&pool, &owner)),
        "market": s(market),
        "isolated_vault": s(pda::isolated_vault(&market)),
        "lender": s(pda::lender(&market, &owner)),
        "position": s(pda::position(&market, &owner)),
        "bankruptcy": s(pda::bankruptcy(&market, &owner)),
        "payout": s(pda::payout(&pool, 9)),
        "receipt_mint": s(receipt_mint),
        "receipt_account": s(token::receipt_account(&owner, &receipt_mint)),
        "token_account": s(token::associated_token_account(&owner, spl)),
    })
}

/// Each vector: the inputs as decimal strings (BigInt in TypeScript) and the
/// core's answer (`null`: none, or an error).
fn rules() -> Value {
    let n = |v: u128| v.to_string();
    let i = |v: i64| v.to_string();
    let big = [
        0u128,
        1,
        3,
        1_000,
        1_250_500_000,
        u64::MAX as u128,
        u64::MAX as u128 + 1,
    ];
    let mut shares_for = Vec::new();
    let mut value_of = Vec::new();
    for &a in &big {
        for &assets in &big[..6] {
            for &s in &big {
                let amount = a.min(u64::MAX as u128) as u64;
                let out = shares::shares_for_amount_floor(amount, assets as u64, s);
                shares_for.push(json!([n(amount as u128), n(assets), n(s), out.ok().map(n)]));
                let out = shares::value_of_shares_floor(a, assets as u64, s);
                value_of.push(json!([
                    n(a),
                    n(assets),
                    n(s),
                    out.ok().map(|v| n(v.into()))
                ]));
            }
        }
    }
    let times = [0i64, 999, 1_000, 1_060, 1_000 + 1_209_600, i64::MAX];
    let mut clocks = Vec::new();
    let mut payouts = Vec::new();
    let mut pendings = Vec::new();
    for &now in &times {
        for paused in [false, true] {
            let u = exit::protocol_exit_clock_at(40, 1_000, paused, now);
            clocks.push(json!([
                "protocol",
                n(40),
                i(1_000),
                paused,
                i(now),
                n(u.into())
            ]));
        }
        for p in [true, false] {
            let refusal = payout::check(p, 1_000, now).map(|b| format!("{b:?}"));
            payouts.push(json!([
                p,
                i(1_000),
                i(now),
                payout::is_executable(p, 1_000, now),
                refusal
            ]));
            pendings.push(json!([
                p,
                i(1_000),
                i(now),
                pending::takes_effect(p, 1_000, now)
            ]));
        }
    }
    for open in [0u32, 2] {
        for clock in [0u64, 40, 100, u64::MAX] {
            let e = exit::pool_exit_clock_at(open, 10, 40, clock);
            clocks.push(json!([
                "pool",
                open,
                n(10),
                n(40),
                n(clock.into()),
                n(e.into())
            ]));
        }
    }
    let mut lapses = Vec::new();
    for (made, cooldown, window) in [(500u64, 864_000u64, 172_800u64), (0, 60, 0), (7, 0, 1)] {
        for ran in [0u64, 864_000, 1_036_800, 1_036_801, u64::MAX - 500] {
            let clock = made.saturating_add(ran);
            lapses.push(json!([
                n(made.into()),
                n(cooldown.into()),
                n(window.into()),
                n(clock.into()),
                i(1_100),
                exit::request_lapsed(made, cooldown, window, clock),
                exit::lapse_ts(made, cooldown, window, clock, 1_100).map(i),
                i(exit::unlock_ts(1_100, cooldown)),
            ]));
        }
    }
    let paused: Vec<Value> = [0u16, pause::STAKE | pause::PAYOUT, pause::ALL]
        .iter()
        .map(|&f| json!([f, crate::pause::names(f)]))
        .collect();
    json!({
        "shares_for": shares_for, "value_of": value_of, "clocks": clocks,
        "lapses": lapses, "payouts": payouts, "pending": pendings, "paused": paused,
    })
}

#[test]
fn ts_golden_vectors_are_current() {
    let golden = json!({
        "about": "Written by crates/client/src/ts_golden.rs (BACKSTOP_BLESS=1 cargo test -p backstop-client ts_golden); asserted by tests/ts/client.test.ts.",
        "pdas": pdas(),
        "rules": rules(),
    });
    let text = serde_json::to_string_pretty(&golden).expect("JSON") + "\n";
    if std::env::var_os("BACKSTOP_BLESS").is_some() {
        std::fs::write(GOLDEN_PATH, &text).expect("write the golden file");
    }
    let on_disk = std::fs::read_to_string(GOLDEN_PATH).unwrap_or_default();
    assert!(
        on_disk == text,
        "{GOLDEN_PATH} is stale: rewrite it with BACKSTOP_BLESS=1 cargo test -p backstop-client ts_golden"
    );
}
