//! The IDL's `constants` (idl/backstop.json) are what the TypeScript clients
//! take the program's defaults and bounds from (migrations/deploy.ts builds its
//! pool defaults from them), so they must equal the program's own values:
//! `PoolParams::default()` and the constants in programs/backstop/src/constants.rs.
//! A stale IDL fails here.

use std::collections::BTreeMap;

use backstop::constants::*;

use crate::types::PoolParams;

const IDL_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../idl/backstop.json");

/// The IDL's integer constants by name, values parsed as integers (they are strings
/// in the IDL: a u64 may exceed 2^53).
fn idl_constants() -> BTreeMap<String, i128> {
    let text = std::fs::read_to_string(IDL_PATH).unwrap_or_else(|e| panic!("{IDL_PATH}: {e}"));
    let idl: serde_json::Value = serde_json::from_str(&text).expect("the IDL is JSON");
    idl["constants"]
        .as_array()
        .expect("the IDL has constants")
        .iter()
        .filter(|c| c["type"] != "bytes")
        .map(|c| {
            let name = c["name"]
                .as_str()
                .expect("a constant has a name")
                .to_string();
            let value = c["value"].as_str().expect("a constant's value is a string");
            let parsed = value
                .replace('_', "")
                .parse::<i128>()
                .unwrap_or_else(|e| panic!("constant {name} = {value:?}: {e}"));
            (name, parsed)
        })
        .collect()
}

fn get(constants: &BTreeMap<String, i128>, name: &str) -> u64 {
    let value = *constants
        .get(name)
        .unwrap_or_else(|| panic!("the IDL has no constant {name}: regenerate it"));
    u64::try_from(value).unwrap_or_else(|_| panic!("constant {name} = {value} is not a u64"))
}

#[test]
fn idl_pool_defaults_equal_pool_params_default() {
    let c = idl_constants();
    let from_idl = PoolParams {
        cooldown: get(&c, "DEFAULT_COOLDOWN_SECS"),
        window: get(&c, "DEFAULT_WINDOW_SECS"),
        sweep_interval: get(&c, "DEFAULT_SWEEP_INTERVAL_SECS"),
        max_apr_bps: get(&c, "DEFAULT_MAX_APR_BPS"),
        protocol_cut_bps: get(&c, "DEFAULT_PROTOCOL_CUT_BPS"),
        min_stake: get(&c, "DEFAULT_MIN_STAKE"),
    };
    let default = PoolParams::default();
    assert_eq!(
        (
            from_idl.cooldown,
            from_idl.window,
            from_idl.sweep_interval,
            from_idl.max_apr_bps,
            from_idl.protocol_cut_bps,
            from_idl.min_stake,
        ),
        (
            default.cooldown,
            default.window,
            default.sweep_interval,
            default.max_apr_bps,
            default.protocol_cut_bps,
            default.min_stake,
        ),
        "idl/backstop.json's DEFAULT_* constants differ from PoolParams::default()"
    );
    // docs/protocol.md §3.1 "Pool parameters"; tests/ts/stake.test.ts states the
    // same numbers for what deploy.ts creates.
    assert_eq!(
        (default.cooldown, default.window, default.sweep_interval),
        (1_123_200, 172_800, 3_600)
    );
    assert_eq!(
        (
            default.max_apr_bps,
            default.protocol_cut_bps,
            default.min_stake
        ),
        (100_000, 5_000, 1)
    );
}

#[test]
fn idl_constants_equal_the_program_constants() {
    let c = idl_constants();
    let expected: &[(&str, i128)] = &[
        ("BPS_DENOMINATOR", BPS_DENOMINATOR.into()),
        ("SECONDS_PER_YEAR", SECONDS_PER_YEAR.into()),
        ("DEFAULT_COOLDOWN_SECS", DEFAULT_COOLDOWN_SECS.into()),
        ("MAX_COOLDOWN_SECS", MAX_COOLDOWN_SECS.into()),
        ("DEFAULT_WINDOW_SECS", DEFAULT_WINDOW_SECS.into()),
        ("MAX_WINDOW_SECS", MAX_WINDOW_SECS.into()),
        (
            "DEFAULT_SWEEP_INTERVAL_SECS",
            DEFAULT_SWEEP_INTERVAL_SECS.into(),
        ),
        ("MIN_SWEEP_INTERVAL_SECS", MIN_SWEEP_INTERVAL_SECS.into()),
        ("MAX_SWEEP_INTERVAL_SECS", MAX_SWEEP_INTERVAL_SECS.into()),
        ("DEFAULT_MAX_APR_BPS", DEFAULT_MAX_APR_BPS.into()),
        ("MAX_MAX_APR_BPS", MAX_MAX_APR_BPS.into()),
        ("DEFAULT_PROTOCOL_CUT_BPS", DEFAULT_PROTOCOL_CUT_BPS.into()),
        ("DEFAULT_MIN_STAKE", DEFAULT_MIN_STAKE.into()),
        (
            "DEFAULT_GOVERNANCE_DELAY_SECS",
            DEFAULT_GOVERNANCE_DELAY_SECS.into(),
        ),
        (
            "MAX_GOVERNANCE_DELAY_SECS",
            MAX_GOVERNANCE_DELAY_SECS.into(),
        ),
        ("PAYOUT_GRACE_SECS", PAYOUT_GRACE_SECS.into()),
        ("UNLIMITED_CAP", UNLIMITED_CAP.into()),
    ];
    for (name, value) in expected {
        assert_eq!(
            c.get(*name),
            Some(value),
            "idl/backstop.json constant {name}"
        );
    }
}

#[test]
fn idl_seeds_and_pause_bits_equal_the_core() {
    let text = std::fs::read_to_string(IDL_PATH).expect("the IDL");
    let idl: serde_json::Value = serde_json::from_str(&text).expect("the IDL is JSON");
    let seed = |name: &str| -> Vec<u8> {
        let c = idl["constants"]
            .as_array()
            .and_then(|all| all.iter().find(|c| c["name"] == name))
            .unwrap_or_else(|| panic!("the IDL has no constant {name}: regenerate it"));
        serde_json::from_str(c["value"].as_str().expect("a string")).expect("a byte list")
    };
    assert_eq!(seed("STAKE_SEED"), STAKE_SEED);
    assert_eq!(seed("RECEIPT_SEED"), RECEIPT_SEED);
    assert_eq!(seed("ISOLATED_VAULT_SEED"), ISOLATED_VAULT_SEED);
    let c = idl_constants();
    for (operation, flag) in backstop_core::pause::OPERATIONS {
        let name = format!("PAUSE_{}", operation.to_uppercase());
        assert_eq!(c.get(&name), Some(&i128::from(flag)), "{name}");
    }
}
