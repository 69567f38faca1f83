//! The examples through the simulator, end to end: the real program in the
//! in-process bank, compared number for number with the expected report.

use std::path::PathBuf;

use backstop_sim::{Report, Simulator, scenario};
use serde_json::Value;

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

async fn simulate(text: &str) -> Report {
    let scenario = scenario::parse(text).expect("valid scenario");
    let simulator = Simulator::new(scenario).await.expect("setup");
    simulator.run().await.expect("run")
}

fn json_of(report: &Report) -> Value {
    serde_json::from_str(&report.to_json()).expect("JSON report")
}

/// Keys of a step the expected files omit: whether it met its expectation,
/// and its compute units (only on the SBF VM, `BACKSTOP_SBF=1`).
const NOT_EXPECTED: &[&str] = &["met_expectation", "compute_units"];

/// Compares the parts of `actual` that `expected` names (the expected file
/// omits [`NOT_EXPECTED`]), as crates/cli/tests/simulate.rs does.
fn assert_matches(expected: &Value, actual: &Value, path: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            assert_eq!(
                e.keys().count(),
                a.keys()
                    .filter(|k| !NOT_EXPECTED.contains(&k.as_str()))
                    .count(),
                "keys differ at {path}: expected {:?}, got {:?}",
                e.keys().collect::<Vec<_>>(),
                a.keys().collect::<Vec<_>>()
            );
            for (k, v) in e {
                let got = a.get(k).unwrap_or_else(|| panic!("missing {path}/{k}"));
                assert_matches(v, got, &format!("{path}/{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "length differs at {path}");
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                assert_matches(x, y, &format!("{path}/{i}"));
            }
        }
        _ => assert_eq!(expected, actual, "value differs at {path}"),
    }
}

fn expected_quickstart() -> Value {
    let text = std::fs::read_to_string(examples().join("quickstart.expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn quickstart_reproduces_the_expected_report() {
    let text = std::fs::read_to_string(examples().join("quickstart.toml")).unwrap();
    let report = simulate(&text).await;
    assert!(report.all_met());
    assert!(report.to_json().ends_with("}\n"));
    assert_matches(&expected_quickstart(), &json_of(&report), "");

    let readable = report.render("examples/quickstart.toml");
    assert!(readable.starts_with("backstop simulate examples/quickstart.toml\n"));
    assert!(readable.contains("refused: CooldownNotEla"), "{readable}");
    assert!(readable.contains("22 steps, 22 met their expectation, 0 did not."));
    assert!(readable.contains("who=alice asset=USDC shares=10000000000"));
    // amounts in the asset's units where people read them; JSON keeps base units
    assert!(readable.contains("who=alice asset=USDC amount=50,000 USDC"));
    assert!(readable.contains("who=carol market=SOL-LEND amount=900 SOL"));
    assert!(
        readable.contains("  USDC             57,591.454985 USDC"),
        "{readable}"
    );
    assert!(readable.contains("SOL-LEND/carol         balance          749.999999999 SOL"));
    assert!(readable.contains("alice                  9,578.545015 USDC, 0 SOL"));

    let svg = backstop_sim::chart::render(&report);
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("paid 2000000000 · socialised 1500000000 · unrecovered 0"));
    assert!(svg.contains("paid 100000000000 · socialised 150000000000 · unrecovered 0"));
    assert_eq!(report.waterfalls.len(), 3);
    // One point per pool before the first step and after each step.
    assert_eq!(report.series.len(), 2 * 23);
}

/// The issuer's powers (examples/issuer.toml): its `check` steps hold the
/// figures, so every step meeting its expectation is the test.
#[tokio::test]
async fn an_issuers_delegate_fee_and_hook_play_out_as_the_example_says() {
    let text = std::fs::read_to_string(examples().join("issuer.toml")).unwrap();
    let report = simulate(&text).await;
    let unmet: Vec<_> = report
        .steps
        .iter()
        .filter(|s| !s.met_expectation)
        .map(|s| (s.index, s.action.clone(), s.error.clone()))
        .collect();
    assert!(unmet.is_empty(), "{unmet:?}");
    let json = json_of(&report);
    let pool = &json["final"]["pools"]["PYD"];
    assert_eq!(pool["assets"], 899_000_000);
    assert_eq!(pool["vault_balance"], 899_000_000);
    assert_eq!(pool["revenue_balance"], 0);
    let refused: Vec<_> = report
        .steps
        .iter()
        .filter_map(|s| s.error.clone())
        .collect();
    assert_eq!(refused, ["VaultShortfall", "TransferFeeNotSupported"]);
}

#[tokio::test]
async fn quickstart_on_token_2022_pools_has_the_same_figures() {
    let text = std::fs::read_to_string(examples().join("quickstart.toml")).unwrap();
    let t22 = text.replace("[[pool]]\n", "[[pool]]\ntoken_program = \"token-2022\"\n");
    assert_eq!(t22.matches("token-2022").count(), 2);
    let report = simulate(&t22).await;
    assert_matches(&expected_quickstart(), &json_of(&report), "");
}

#[tokio::test]
async fn staking_example_meets_every_expectation() {
    let text = std::fs::read_to_string(examples().join("staking.toml")).unwrap();
    let report = simulate(&text).await;
    let unmet: Vec<_> = report
        .steps
        .iter()
        .filter(|s| !s.met_expectation)
        .map(|s| (s.line, s.action.clone(), s.error.clone()))
        .collect();
    assert!(unmet.is_empty(), "{unmet:?}");
    let report = json_of(&report);
    let usdc = &report["final"]["pools"]["USDC"];
    assert_eq!(usdc["treasury_shares"], "14844222");
    assert_eq!(usdc["held_back"], 0);
    assert_eq!(usdc["vault_balance"], usdc["assets"]);
    let snapshot = &report["snapshots"]["after_first_sweep"]["pools"]["USDC"];
    assert_eq!(snapshot["assets"], 10_100_000_000u64);
    assert_eq!(snapshot["total_shares"], "10009910802");
    assert_eq!(report["final"]["wallets"]["carol"]["USDC"], 150_000_000u64);
}

#[tokio::test]
async fn an_unmet_expectation_still_reports() {
    let report = simulate(
        "[[pool]]\nasset = \"USDC\"\n[[wallet]]\nwho = \"a\"\nasset = \"USDC\"\namount = 10\n\
         [[step]]\ndo = \"stake\"\nwho = \"a\"\nasset = \"USDC\"\namount = 10\nexpect = \"ZeroShares\"\n\
         [[step]]\ndo = \"complete_unstake\"\nwho = \"a\"\nasset = \"USDC\"\n",
    )
    .await;
    assert!(!report.all_met());
    let report = json_of(&report);
    assert_eq!(report["steps"][0]["ok"], true);
    assert_eq!(report["steps"][0]["met_expectation"], false);
    assert_eq!(report["steps"][1]["error"], "NoPendingRequest");
    assert_eq!(report["final"]["stakes"]["a/USDC"]["shares"], "10");
    assert_eq!(report["final"]["wallets"]["a"]["USDC"], 0);
}

#[tokio::test]
async fn governance_markets_and_refusals() {
    let report = simulate(
        "governance_delay = 100\n\
         [[pool]]\nasset = \"USDC\"\n\
         [[market]]\nname = \"AGG\"\nkind = \"perp\"\nasset = \"USDC\"\ncap = 5\nexposure = \"aggregate\"\n\
         [[wallet]]\nwho = \"a\"\nasset = \"USDC\"\namount = 1000\n\
         [[step]]\ndo = \"stake\"\nwho = \"a\"\nasset = \"USDC\"\namount = 1000\n\
         [[step]]\ndo = \"stake\"\nwho = \"a\"\nasset = \"USDC\"\namount = 1\nby = \"mallory\"\nexpect = \"ConstraintTokenOwner\"\n\
         [[step]]\ndo = \"set_cap\"\nmarket = \"AGG\"\ncap = 50\n\
         [[step]]\ndo = \"cancel_change\"\nmarket = \"AGG\"\n\
         [[step]]\ndo = \"freeze\"\nmarket = \"AGG\"\n\
         [[step]]\ndo = \"unfreeze\"\nmarket = \"AGG\"\nby = \"guardian\"\nexpect = \"NotAdmin\"\n\
         [[step]]\ndo = \"execute_payout\"\nasset = \"USDC\"\nid = 9\nexpect = \"no payout with id 9 was proposed for USDC\"\n\
         [[step]]\ndo = \"pause\"\nops = [\"stake\"]\n\
         [[step]]\ndo = \"stake\"\nwho = \"a\"\nasset = \"USDC\"\namount = 1\nexpect = \"OperationPaused\"\n",
    )
    .await;
    let json = json_of(&report);
    let steps: Vec<(String, Value)> = report
        .steps
        .iter()
        .map(|s| (s.action.clone(), json!(s.error)))
        .collect();
    let market = &json["final"]["markets"]["AGG"];
    assert_eq!(market["frozen"], true, "{steps:?}");
    // With a governance delay every cap raise waits; cancel_change dropped it.
    assert_eq!(market["cap"], 0);
    assert_eq!(json["final"]["wallets"]["mallory"]["USDC"], 0);
    assert_eq!(
        report.steps[6].error.as_deref(),
        Some("no payout with id 9 was proposed for USDC")
    );
    assert_eq!(
        report.steps[1].detail,
        "who=a asset=USDC by=mallory amount=0.000001 USDC"
    );
    // The refusals' names are the program's; print them if a name differs.
    assert!(report.all_met(), "{steps:?}");
}

#[test]
fn a_pool_the_program_refuses_names_its_line() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let scenario =
        scenario::parse("start = 1\n\n[[pool]]\nasset = \"USDC\"\nsweep_interval = 10\n").unwrap();
    let error = match runtime.block_on(Simulator::new(scenario)) {
        Ok(_) => panic!("the program accepted the pool"),
        Err(e) => format!("{e:#}"),
    };
    assert_eq!(
        error,
        "line 3: pool USDC refused by the program: SweepIntervalOutOfBounds"
    );
}

use serde_json::json;
