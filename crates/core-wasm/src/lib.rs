//! `backstop-core`'s rules for the TypeScript clients (`ts/client/core.ts`):
//! compiled to WebAssembly by `ts/client/build-core` and bundled, so the web
//! page, `migrations/` and `tests/ts` compute exactly what the program
//! computes, from the same source. u64, i64 and u128 cross as BigInt.
//!
//! Only wrappers live here; every rule is in `backstop-core`.

use backstop_core::{exit, math, params, pause, payout, pending};
use wasm_bindgen::prelude::*;

fn math_error(e: math::MathError) -> String {
    format!("math error: {e:?}")
}

/// `shares_for(amount)`: `amount` if `S = 0`, else `⌊amount·S / A⌋`.
#[wasm_bindgen(js_name = sharesForAmountFloor)]
pub fn shares_for_amount_floor(
    amount: u64,
    assets: u64,
    total_shares: u128,
) -> Result<u128, String> {
    math::shares::shares_for_amount_floor(amount, assets, total_shares).map_err(math_error)
}

/// `value_of(shares)`: 0 if `S = 0`, else `⌊shares·A / S⌋`.
#[wasm_bindgen(js_name = valueOfSharesFloor)]
pub fn value_of_shares_floor(shares: u128, assets: u64, total_shares: u128) -> Result<u64, String> {
    math::shares::value_of_shares_floor(shares, assets, total_shares).map_err(math_error)
}

/// `U(now)`: the protocol's unpaused clock.
#[wasm_bindgen(js_name = protocolExitClockAt)]
pub fn protocol_exit_clock_at(clock: u64, clock_ts: i64, complete_paused: bool, now: i64) -> u64 {
    exit::protocol_exit_clock_at(clock, clock_ts, complete_paused, now)
}

/// `E`: a pool's exit clock given `U` now.
#[wasm_bindgen(js_name = poolExitClockAt)]
pub fn pool_exit_clock_at(
    open_records: u32,
    exit_clock: u64,
    exit_clock_ref: u64,
    protocol_clock: u64,
) -> u64 {
    exit::pool_exit_clock_at(open_records, exit_clock, exit_clock_ref, protocol_clock)
}

/// When a request made at `request_ts` unlocks.
#[wasm_bindgen(js_name = unlockTs)]
pub fn unlock_ts(request_ts: i64, cooldown: u64) -> i64 {
    exit::unlock_ts(request_ts, cooldown)
}

/// Whether a request made at exit clock `made_at` has lapsed at `now_clock`.
#[wasm_bindgen(js_name = requestLapsed)]
pub fn request_lapsed(made_at: u64, cooldown: u64, window: u64, now_clock: u64) -> bool {
    exit::request_lapsed(made_at, cooldown, window, now_clock)
}

/// When a request lapses if exits stay open from `now` on (undefined: never).
#[wasm_bindgen(js_name = lapseTs)]
pub fn lapse_ts(made_at: u64, cooldown: u64, window: u64, now_clock: u64, now: i64) -> Option<i64> {
    exit::lapse_ts(made_at, cooldown, window, now_clock, now)
}

/// Whether a delayed change stored with `active` and `eta` is in effect at `now`.
#[wasm_bindgen(js_name = pendingTakesEffect)]
pub fn pending_takes_effect(active: bool, eta: i64, now: i64) -> bool {
    pending::takes_effect(active, eta, now)
}

/// Whether anyone can execute a payout at `now`.
#[wasm_bindgen(js_name = payoutIsExecutable)]
pub fn payout_is_executable(pending: bool, eta: i64, now: i64) -> bool {
    payout::is_executable(pending, eta, now)
}

/// The first second at which a payout of `eta` can no longer execute.
#[wasm_bindgen(js_name = payoutExpiresAt)]
pub fn payout_expires_at(eta: i64) -> i64 {
    payout::expires_at(eta)
}

/// The program's error for a payout that cannot execute at `now`
/// (`PayoutNotPending`, `PayoutNotReady`, `PayoutExpired`), or undefined.
#[wasm_bindgen(js_name = payoutRefusal)]
pub fn payout_refusal(pending: bool, eta: i64, now: i64) -> Option<String> {
    payout::check(pending, eta, now).map(|block| {
        match block {
            payout::PayoutBlock::NotPending => "PayoutNotPending",
            payout::PayoutBlock::NotReady => "PayoutNotReady",
            payout::PayoutBlock::Expired => "PayoutExpired",
        }
        .to_string()
    })
}

/// The operations paused in `flags`, in bit order (`stake`, `payout`, …).
#[wasm_bindgen(js_name = pausedOperations)]
pub fn paused_operations(flags: u16) -> Vec<String> {
    pause::paused_operations(flags)
        .map(str::to_string)
        .collect()
}

/// The flag of an operation (`"complete_unstake"` → 4), or undefined.
#[wasm_bindgen(js_name = pauseFlag)]
pub fn pause_flag(operation: &str) -> Option<u16> {
    pause::flag(operation)
}

/// The default of a pool parameter (`cooldown`, `window`, `sweep_interval`,
/// `max_apr_bps`, `protocol_cut_bps`, `min_stake`), or undefined.
#[wasm_bindgen(js_name = defaultPoolParam)]
pub fn default_pool_param(name: &str) -> Option<u64> {
    let d = params::DEFAULT_POOL_PARAMS;
    Some(match name {
        "cooldown" => d.cooldown,
        "window" => d.window,
        "sweep_interval" => d.sweep_interval,
        "max_apr_bps" => d.max_apr_bps,
        "protocol_cut_bps" => d.protocol_cut_bps,
        "min_stake" => d.min_stake,
        _ => return None,
    })
}

/// The program's error for the first pool parameter out of its bounds
/// (`CooldownTooLong`, …), or undefined when all are within them.
#[wasm_bindgen(js_name = poolParamsRefusal)]
pub fn pool_params_refusal(
    cooldown: u64,
    window: u64,
    sweep_interval: u64,
    max_apr_bps: u64,
    protocol_cut_bps: u64,
    min_stake: u64,
) -> Option<String> {
    let values = params::PoolParamValues {
        cooldown,
        window,
        sweep_interval,
        max_apr_bps,
        protocol_cut_bps,
        min_stake,
    };
    values.out_of_bounds().map(|e| format!("{e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wrappers_answer_as_the_core() {
        assert_eq!(shares_for_amount_floor(100, 1_000, 500), Ok(50));
        assert_eq!(value_of_shares_floor(50, 1_000, 500), Ok(100));
        assert!(shares_for_amount_floor(u64::MAX, 1, u128::MAX).is_err());
        assert_eq!(
            paused_operations(pause::STAKE | pause::PAYOUT),
            ["stake", "payout"]
        );
        assert_eq!(pause_flag("resolve"), Some(pause::RESOLVE));
        assert_eq!(
            payout_refusal(true, 10, 9).as_deref(),
            Some("PayoutNotReady")
        );
        assert_eq!(payout_refusal(true, 10, 10), None);
        assert_eq!(default_pool_param("window"), Some(172_800));
        assert_eq!(default_pool_param("fee"), None);
        assert_eq!(
            pool_params_refusal(0, 0, 59, 0, 0, 1).as_deref(),
            Some("SweepIntervalOutOfBounds")
        );
        assert_eq!(lapse_ts(0, 10, 0, 5, 100), None);
    }
}
