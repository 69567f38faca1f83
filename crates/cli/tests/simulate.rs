//! `backstop simulate` end to end: the real binary, the real program in the
//! in-process bank, compared number for number.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn simulate(args: &[&str]) -> (i32, String, String) {
    simulate_with(args, |_| {})
}

/// [`simulate`] after `setup` has adjusted the command (its environment).
fn simulate_with(args: &[&str], setup: impl FnOnce(&mut Command)) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_backstop"));
    command.arg("simulate").args(args).current_dir(root());
    setup(&mut command);
    let out = command.output().expect("run backstop");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Keys of a step the expected files omit: whether it met its expectation,
/// and its compute units (only on the SBF VM, where the runs under
/// `BACKSTOP_SBF=1` put them).
const NOT_EXPECTED: &[&str] = &["met_expectation", "compute_units"];

/// Compares the parts of `actual` that `expected` names (the expected file
/// omits [`NOT_EXPECTED`]).
fn assert_matches(expected: &Value, actual: &Value, path: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            assert_eq!(
                e.keys().collect::<Vec<_>>().len(),
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

#[test]
fn quickstart_reproduces_the_expected_report_exactly() {
    let (code, stdout, stderr) = simulate(&["examples/quickstart.toml", "--json"]);
    assert_eq!(code, 0, "stderr: {stderr}");
    let actual: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/quickstart.expected.json")).unwrap(),
    )
    .unwrap();
    assert_matches(&expected, &actual, "");
    assert!(
        actual["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["met_expectation"] == Value::Bool(true))
    );
}

/// The quickstart with both pools on Token-2022 mints (no extensions) reports
/// every figure the classic one does.
#[test]
fn quickstart_on_token_2022_pools_has_the_same_figures() {
    let text = std::fs::read_to_string(root().join("examples/quickstart.toml")).unwrap();
    let t22 = text.replace("[[pool]]\n", "[[pool]]\ntoken_program = \"token-2022\"\n");
    assert_eq!(t22.matches("token-2022").count(), 2);
    let dir = std::env::temp_dir().join(format!("backstop-t22-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("quickstart-2022.toml");
    std::fs::write(&file, t22).unwrap();
    let (code, stdout, stderr) = simulate(&[file.to_str().unwrap(), "--json"]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, 0, "stderr: {stderr}");
    let actual: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/quickstart.expected.json")).unwrap(),
    )
    .unwrap();
    assert_matches(&expected, &actual, "");
}

#[test]
fn staking_example_meets_every_expectation() {
    let (code, stdout, stderr) = simulate(&["examples/staking.toml", "--json"]);
    assert_eq!(code, 0, "stderr: {stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let usdc = &report["final"]["pools"]["USDC"];
    // Protocol cut of the two sweeps, minted after the stakers' part:
    // ⌊10,000,000 · 10,000,000,000 / 10,090,000,000⌋ = 9,910,802, then (the
    // 50,000,000 donation: y = 45,000,000 first)
    // ⌊5,000,000 · 10,009,910,802 / 10,145,000,000⌋ = 4,933,420.
    assert_eq!(usdc["treasury_shares"], "14844222");
    assert_eq!(usdc["held_back"], 0);
    assert_eq!(usdc["vault_balance"], usdc["assets"]);
    let snapshot = &report["snapshots"]["after_first_sweep"]["pools"]["USDC"];
    assert_eq!(snapshot["assets"], 10_100_000_000u64);
    assert_eq!(snapshot["total_shares"], "10009910802");
    assert_eq!(report["final"]["wallets"]["carol"]["USDC"], 150_000_000u64);
}

#[test]
fn readable_report_and_chart() {
    let chart = std::env::temp_dir().join(format!("backstop-chart-{}.svg", std::process::id()));
    let (code, stdout, _) = simulate(&[
        "examples/quickstart.toml",
        "--chart",
        chart.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(stdout.contains("refused: CooldownNotEla"), "{stdout}");
    assert!(
        stdout.contains("22 steps, 22 met their expectation, 0 did not."),
        "{stdout}"
    );
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.starts_with("<svg"));
    // three resolved bankruptcies, one bar each, with their splits
    assert!(
        svg.contains("paid 2000000000 · socialised 1500000000 · unrecovered 0"),
        "{svg}"
    );
    assert!(svg.contains("paid 100000000000 · socialised 150000000000 · unrecovered 0"));
    let _ = std::fs::remove_file(chart);
}

#[test]
fn unmet_expectation_exits_one_and_still_reports() {
    let dir = std::env::temp_dir().join(format!("backstop-unmet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("unmet.toml");
    std::fs::write(
        &file,
        "[[pool]]\nasset = \"USDC\"\n[[wallet]]\nwho = \"a\"\nasset = \"USDC\"\namount = 10\n\
         [[step]]\ndo = \"stake\"\nwho = \"a\"\nasset = \"USDC\"\namount = 10\nexpect = \"ZeroShares\"\n\
         [[step]]\ndo = \"complete_unstake\"\nwho = \"a\"\nasset = \"USDC\"\n",
    )
    .unwrap();
    let (code, stdout, _) = simulate(&[file.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["steps"][0]["ok"], true);
    assert_eq!(report["steps"][0]["met_expectation"], false);
    assert_eq!(report["steps"][1]["error"], "NoPendingRequest");
    assert_eq!(report["final"]["stakes"]["a/USDC"]["shares"], "10");
    assert_eq!(report["final"]["wallets"]["a"]["USDC"], 0);
}

#[test]
fn invalid_file_exits_two_with_the_line() {
    let dir = std::env::temp_dir().join(format!("backstop-invalid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.toml");
    std::fs::write(
        &file,
        "[[pool]]\nasset = \"USDC\"\n\n[[step]]\ndo = \"teleport\"\n",
    )
    .unwrap();
    let (code, stdout, stderr) = simulate(&[file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("line 4: unknown step kind do = \"teleport\""),
        "{stderr}"
    );
}

#[test]
fn a_pool_the_program_refuses_is_an_invalid_file() {
    let dir = std::env::temp_dir().join(format!("backstop-refused-pool-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("pool.toml");
    std::fs::write(
        &file,
        "start = 1\n\n[[pool]]\nasset = \"USDC\"\nsweep_interval = 10\n",
    )
    .unwrap();
    let (code, _, stderr) = simulate(&[file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("line 3: pool USDC refused by the program: SweepIntervalOutOfBounds"),
        "{stderr}"
    );
}

/// Whether this pass runs on the SBF VM; prints why a VM-only test skips.
fn on_the_vm(test: &str) -> bool {
    let sbf = std::env::var("BACKSTOP_SBF").is_ok_and(|v| v == "1");
    if !sbf {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED natively: {test} runs only on the SBF VM (BACKSTOP_SBF=1, after \
             `sbf/build`): it runs `simulate --sbf` on target/deploy/backstop.so"
        );
    }
    sbf
}

/// The report without what only the VM reports.
fn without_compute_units(mut report: Value) -> Value {
    for step in report["steps"].as_array_mut().unwrap() {
        step.as_object_mut().unwrap().remove("compute_units");
    }
    report
}

/// `simulate --sbf` runs the quickstart on the SBF build and reports, figure
/// for figure, what the native build reports, with each step's compute units.
/// (Those are not the same from run to run: the simulator's wallets and mints
/// are fresh keypairs, and each step of a PDA's bump search costs 1,500 CU.)
#[test]
fn quickstart_on_the_sbf_vm_is_the_native_report_figure_for_figure() {
    if !on_the_vm("quickstart_on_the_sbf_vm_is_the_native_report_figure_for_figure") {
        return;
    }
    let args = ["examples/quickstart.toml", "--json"];
    let (code, native, stderr) = simulate_with(&args, |c| {
        c.env_remove("BACKSTOP_SBF");
    });
    assert_eq!(code, 0, "stderr: {stderr}");
    let native: Value = serde_json::from_str(&native).unwrap();
    assert!(
        native["steps"][0].get("compute_units").is_none(),
        "the native report has no compute units"
    );
    let run_sbf = || {
        let (code, stdout, stderr) = simulate_with(&[args[0], args[1], "--sbf"], |c| {
            c.env_remove("BACKSTOP_SBF");
        });
        assert_eq!(code, 0, "stderr: {stderr}");
        serde_json::from_str::<Value>(&stdout).unwrap()
    };
    let sbf = run_sbf();
    let steps = sbf["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 22);
    for step in steps {
        let units = step["compute_units"]
            .as_u64()
            .expect("compute_units on the VM");
        if step["do"] == "advance" {
            assert_eq!(units, 0, "{step}");
        } else {
            // more than the compute budget instruction alone (150), less
            // than the limit every transaction asks for
            assert!(units > 150 && units < 1_400_000, "{step}");
        }
    }
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/quickstart.expected.json")).unwrap(),
    )
    .unwrap();
    assert_matches(&expected, &sbf, "");
    assert_eq!(without_compute_units(sbf), native);
    assert_eq!(
        without_compute_units(run_sbf()),
        native,
        "a second run on the VM"
    );
}

/// The readable report on the VM has a compute units column, and its total.
#[test]
fn readable_report_on_the_sbf_vm_shows_compute_units() {
    if !on_the_vm("readable_report_on_the_sbf_vm_shows_compute_units") {
        return;
    }
    let (code, text, _) = simulate(&["examples/quickstart.toml", "--sbf"]);
    assert_eq!(code, 0);
    assert!(
        text.contains("result                          CU expected"),
        "{text}"
    );
    // The rows: index, line, step, detail, result, then the CU column at
    // character 112 (the columns are 4, 5, 17, 56 and 24 wide).
    let units: Vec<u64> = text
        .lines()
        .filter(|l| l.contains(" ✓") || l.contains(" ✗"))
        .map(|l| {
            let cu: String = l.chars().skip(112).take(9).collect();
            cu.trim()
                .parse::<u64>()
                .unwrap_or_else(|e| panic!("{e}: {l}"))
        })
        .collect();
    assert_eq!(units.len(), 22, "{text}");
    assert_eq!(units.iter().filter(|u| **u == 0).count(), 3, "the advances");
    let total: u64 = units.iter().sum();
    let largest = units.iter().max().unwrap();
    assert!(
        text.contains(&format!(
            "On the SBF VM: {total} compute units over the 19 steps that sent a transaction \
             (largest {largest})."
        )),
        "{text}"
    );
    let (code, native, _) = simulate_with(&["examples/quickstart.toml"], |c| {
        c.env_remove("BACKSTOP_SBF");
    });
    assert_eq!(code, 0);
    assert!(
        !native.contains(" CU ") && !native.contains("SBF VM"),
        "{native}"
    );
}
