//! `backstop bench` end to end: the real binary measures every instruction
//! (its allocator is the bank's meter), prints JSON that a later run
//! compares with, and fails when a footprint figure grew.

use std::io::Write;
use std::process::Command;

use serde_json::Value;

fn bench(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_backstop"))
        .arg("bench")
        .args(args)
        .output()
        .expect("run backstop");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The footprint alone (no throughput, no resolve), compared with `earlier`.
fn footprint_compared_with(earlier: &std::path::Path, extra: &[&str]) -> (i32, String, String) {
    let earlier = earlier.to_str().unwrap();
    let mut args = vec!["--steps", "0", "--market-size", "0", "--compare", earlier];
    args.extend_from_slice(extra);
    bench(&args)
}

fn row<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["footprint"]["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .unwrap_or_else(|| panic!("{name} in the report"))
}

#[test]
fn json_report_then_a_comparison_that_catches_growth() {
    if std::env::var("BACKSTOP_SBF").is_ok_and(|v| v == "1") {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED on the SBF VM (BACKSTOP_SBF=1): bench::json_report_then_a_comparison_that_catches_growth \
             is native-only: its footprint walk reads the native allocator's heap meter"
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("backstop-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (code, stdout, stderr) =
        bench(&["--steps", "40", "--market-size", "2", "--output", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(report["schema"], 1);
    assert_eq!(
        report["footprint"]["instructions"]
            .as_array()
            .unwrap()
            .len(),
        35
    );
    assert_eq!(report["footprint"]["heap_budget_bytes"], 16_384);
    let stake = row(&report, "stake");
    assert_eq!(stake["accounts"], 12);
    assert_eq!(stake["transaction_budget_bytes"], 860);
    assert_eq!(stake["depth_used"], 2);
    assert!(stake["heap_bytes"].as_u64().unwrap() > 0);
    assert_eq!(report["throughput"]["steps"], 40);
    assert_eq!(report["resolve"]["runs"].as_array().unwrap().len(), 4);
    assert!(
        stderr.contains("footprint: running every instruction"),
        "{stderr}"
    );

    // The same program measures the same: nothing changed, exit 0.
    let earlier = dir.join("earlier.json");
    std::fs::write(&earlier, &stdout).unwrap();
    let (code, stdout, stderr) = footprint_compared_with(&earlier, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("footprint unchanged: every figure of the 35 instructions is the same"),
        "{stdout}"
    );

    // An earlier report where stake allocated 100 B less: now it grew.
    let mut smaller = report.clone();
    let heap = row(&report, "stake")["heap_bytes"].as_u64().unwrap();
    for i in smaller["footprint"]["instructions"].as_array_mut().unwrap() {
        if i["name"] == "stake" {
            i["heap_bytes"] = (heap - 100).into();
        }
    }
    std::fs::write(&earlier, smaller.to_string()).unwrap();
    let (code, stdout, stderr) = footprint_compared_with(&earlier, &["--output", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let out: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        out["comparison"]["regressions"],
        serde_json::json!([format!("stake heap_bytes: {} → {heap} (+100)", heap - 100)])
    );
    assert!(stderr.contains("1 footprint figures grew"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_unreadable_earlier_report_fails_before_the_run() {
    let (code, stdout, stderr) = bench(&["--compare", "/nonexistent/report.json"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: cannot read /nonexistent/report.json"),
        "{stderr}"
    );
    assert!(!stderr.contains("footprint: running"), "{stderr}");
}
