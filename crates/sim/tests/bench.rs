//! The bench's generated scenarios run, and its reports keep their shape.

use backstop_sim::bench;

#[tokio::test]
async fn run_steps_reports_the_throughput() {
    let mut out = Vec::new();
    let code = bench::run_steps(&mut out, 120).await;
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert_eq!(lines[0], "steps                120");
    assert!(lines[1].starts_with("transactions         "), "{text}");
    assert!(lines[4].starts_with("peak heap            "), "{text}");
}

#[tokio::test]
async fn run_markets_resolves_in_every_market() {
    let mut out = Vec::new();
    let code = bench::run_markets(&mut out, 3).await;
    assert_eq!(code, std::process::ExitCode::SUCCESS);
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("resolve_bankruptcy touches "), "{text}");
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(text.contains("lending  market,      3 holders"), "{text}");
    assert!(text.contains("perp     market,      1 holders"), "{text}");
}

#[test]
fn the_staking_scenario_is_deterministic() {
    let a = bench::staking_scenario(500, 50);
    let b = bench::staking_scenario(500, 50);
    assert_eq!(a.steps, b.steps);
    assert_eq!(a.steps.len(), 500);
    assert_eq!(a.wallets.len(), 50);
}
