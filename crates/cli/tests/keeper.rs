//! The keeper under a node that goes away: it serves Prometheus metrics,
//! counts the node being unreachable, backs off, and when the node comes
//! back (a new in-memory state) resolves the new record by itself. And
//! `--dry-run` simulates without sending.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

/// A lending market on the demo mint with a lender of 10 and a debtor's
/// bankruptcy of 4 (the cap is 1: 1 insured, 3 socialised).
fn market_with_a_bankruptcy(node: &Node) -> String {
    let admin = node.admin.pubkey().to_string();
    let m = node.demo_mint.to_string();
    let host = Pubkey::new_unique().to_string();
    let settlement = ok_json(
        node,
        "admin",
        &["token", "mint", "--mint", &m, "--to", &host],
    );
    let settlement = settlement["account"].as_str().unwrap().to_string();
    ok_json(
        node,
        "admin",
        &[
            "gov",
            "create-market",
            "--kind",
            "lending",
            "--mint",
            &m,
            "--operator",
            &admin,
            "--settlement",
            &settlement,
            "--cap",
            "1",
        ],
    );
    let lender = Pubkey::new_unique().to_string();
    ok_json(
        node,
        "admin",
        &[
            "operator", "deposit", "--market", "0", "--owner", &lender, "--amount", "10",
        ],
    );
    let debtor = Pubkey::new_unique().to_string();
    ok_json(
        node,
        "admin",
        &[
            "operator", "bankrupt", "--market", "0", "--debtor", &debtor, "--amount", "4",
        ],
    );
    debtor
}

/// Waits until the metric `name` reaches `value`; returns the scrape.
fn wait_for(port: u16, name: &str, value: f64) -> String {
    wait_until(port, name, |v| v == value)
}

/// Scrapes until `name`'s sample passes `done`; panics after 60 s.
fn wait_until(port: u16, name: &str, done: impl Fn(f64) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(text) = scrape(port) {
            if sample(&text, name).is_some_and(&done) {
                return text;
            }
            assert!(Instant::now() < deadline, "{name} never got there:\n{text}");
        }
        assert!(Instant::now() < deadline, "no /metrics on {port}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn keeper_recovers_when_the_node_restarts_and_goes_on_resolving() {
    let port = free_port();
    let dir = std::env::temp_dir().join(format!("backstop-keeper-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let admin = Keypair::new();
    write_keypair(&dir.join("admin.json"), &admin);
    let node = start_with(port, dir.clone(), admin.insecure_clone());
    let debtor = market_with_a_bankruptcy(&node);

    // --dry-run simulates the resolution and sends nothing.
    let (code, out, err) = cli(
        &node,
        "admin",
        &["keeper", "--once", "--dry-run", "--output", "json-compact"],
    );
    assert_eq!(code, 0, "{err}");
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["event"], "resolved");
    assert_eq!(first["details"]["dry_run"], true);
    assert_eq!(first["details"]["debtor"], debtor);
    assert!(
        first["details"]["units_consumed"].as_u64().is_some(),
        "{out}"
    );
    assert_eq!(
        ok_json(&node, "admin", &["bankruptcies"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The keeper, with metrics.
    let metrics_port = free_port();
    let mut keeper = Command::new(env!("CARGO_BIN_EXE_backstop"))
        .args([
            "keeper",
            "--interval",
            "1",
            "--metrics-port",
            &metrics_port.to_string(),
        ])
        .args(["--url", &node.url, "--keypair"])
        .arg(dir.join("admin.json"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(metrics_port, "backstop_keeper_resolved_total", 1.0);
    // The pass that resolved it is over once its success time is set (the
    // count moves mid-pass).
    let before = wait_until(
        metrics_port,
        "backstop_keeper_last_success_timestamp_seconds",
        |t| t > 0.0,
    );
    assert_eq!(sample(&before, "backstop_keeper_resolved_total"), Some(1.0));
    assert_eq!(sample(&before, "backstop_keeper_node_up"), Some(1.0));
    assert!(sample(&before, "backstop_keeper_node_slot").unwrap() > 0.0);
    assert!(sample(&before, "backstop_keeper_last_success_timestamp_seconds").unwrap() > 1.7e9);
    // the demo pool's sweep is not due and nothing was donated: no-ops, not errors
    assert!(
        sample(
            &before,
            "backstop_keeper_noops_total{reason=\"sweep_not_due\"}"
        )
        .unwrap()
            >= 1.0
    );
    assert!(
        sample(
            &before,
            "backstop_keeper_noops_total{reason=\"nothing_to_sync\"}"
        )
        .unwrap()
            >= 1.0
    );
    assert!(
        !before.contains("backstop_keeper_errors_total{"),
        "{before}"
    );
    assert_eq!(
        ok_json(&node, "admin", &["bankruptcies"])
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // The node goes away: the keeper counts it and backs off.
    drop(node);
    let down = wait_for(metrics_port, "backstop_keeper_node_up", 0.0);
    assert!(
        sample(
            &down,
            "backstop_keeper_errors_total{error=\"NodeUnreachable\"}"
        )
        .unwrap()
            >= 1.0
    );

    // It comes back (new in-memory state): a new market and record, resolved by the same keeper.
    let node = start_with(port, dir.clone(), admin.insecure_clone());
    market_with_a_bankruptcy(&node);
    let after = wait_for(metrics_port, "backstop_keeper_resolved_total", 2.0);
    assert_eq!(sample(&after, "backstop_keeper_node_up"), Some(1.0));
    assert_eq!(
        ok_json(&node, "admin", &["bankruptcies"])
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // Ctrl-C: a clean stop; the log says what happened.
    // SAFETY: signals our own child process.
    unsafe { libc::kill(keeper.id() as i32, libc::SIGINT) };
    let status = keeper.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut log = String::new();
    for line in BufReader::new(keeper.stdout.take().unwrap()).lines() {
        log.push_str(&line.unwrap());
        log.push('\n');
    }
    assert_eq!(log.matches("resolved market 0 debtor").count(), 2, "{log}");
    assert!(
        log.contains("cannot reach the node at http://127.0.0.1:"),
        "{log}"
    );
    assert!(log.contains("; retrying in 1 s\n"), "{log}");
    assert!(log.ends_with("stopping (interrupted)\n"), "{log}");
}

/// A payout governance approved is executed by the keeper once its timelock
/// has passed (the node's delay is 0, so at once), exactly once.
#[test]
fn keeper_executes_a_due_payout_once() {
    let node = start();
    let m = node.demo_mint.to_string();
    ok_json(&node, "admin", &["stake", "--mint", &m, "--amount", "100"]);
    let host = Pubkey::new_unique().to_string();
    let recipient = ok_json(
        &node,
        "admin",
        &[
            "token", "mint", "--mint", &m, "--to", &host, "--amount", "0",
        ],
    );
    let recipient = recipient["account"].as_str().unwrap().to_string();
    ok_json(
        &node,
        "admin",
        &[
            "gov",
            "propose-payout",
            "--mint",
            &m,
            "--recipient",
            &recipient,
            "--amount",
            "5",
        ],
    );
    let events = |out: &str| -> Vec<serde_json::Value> {
        out.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let (code, out, err) = cli(
        &node,
        "admin",
        &["keeper", "--once", "--output", "json-compact"],
    );
    assert_eq!(code, 0, "{err}");
    let executed: Vec<_> = events(&out)
        .into_iter()
        .filter(|e| e["event"] == "payout_executed")
        .collect();
    assert_eq!(executed.len(), 1, "{out}");
    assert_eq!(executed[0]["id"], 0);
    assert_eq!(executed[0]["amount"], 5_000_000);
    assert_eq!(executed[0]["paid"], 5_000_000);
    assert_eq!(executed[0]["recipient"], recipient);
    let balance = ok_json(
        &node,
        "admin",
        &["token", "balance", "--mint", &m, "--owner", &host],
    );
    assert_eq!(balance["account"], recipient);
    assert_eq!(balance["balance"], 5_000_000, "{balance}");

    // The next pass finds it executed: nothing to do.
    let (code, out, err) = cli(
        &node,
        "admin",
        &["keeper", "--once", "--output", "json-compact"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        events(&out).iter().all(|e| e["event"] != "payout_executed"),
        "{out}"
    );
}

/// A Token-2022 pool whose permanent delegate takes tokens from the vault:
/// the keeper writes the pool's assets down to what the vault holds.
#[test]
fn keeper_writes_a_short_vault_down() {
    use spl_token_2022_interface::extension::ExtensionType;
    use spl_token_2022_interface::state::Mint;
    let node = start();
    let rpc = solana_rpc_client::rpc_client::RpcClient::new(node.url.clone());
    let admin = node.admin.insecure_clone();
    let t22 = spl_token_2022_interface::ID;
    let mint = Keypair::new();
    let space =
        ExtensionType::try_calculate_account_len::<Mint>(&[ExtensionType::PermanentDelegate])
            .unwrap();
    let rent = rpc.get_minimum_balance_for_rent_exemption(space).unwrap();
    send(
        &rpc,
        &[
            solana_system_interface::instruction::create_account(
                &admin.pubkey(),
                &mint.pubkey(),
                rent,
                space as u64,
                &t22,
            ),
            spl_token_2022_interface::instruction::initialize_permanent_delegate(
                &t22,
                &mint.pubkey(),
                &admin.pubkey(),
            )
            .unwrap(),
            spl_token_2022_interface::instruction::initialize_mint2(
                &t22,
                &mint.pubkey(),
                &admin.pubkey(),
                None,
                6,
            )
            .unwrap(),
        ],
        &admin,
        &[&mint],
    );
    let m = mint.pubkey().to_string();
    ok_json(
        &node,
        "admin",
        &[
            "gov",
            "create-pool",
            "--mint",
            &m,
            "--allow-permanent-delegate",
        ],
    );
    let wallet = ok_json(
        &node,
        "admin",
        &["token", "mint", "--mint", &m, "--amount", "100"],
    );
    let wallet: Pubkey = wallet["account"].as_str().unwrap().parse().unwrap();
    ok_json(&node, "admin", &["stake", "--mint", &m, "--amount", "100"]);
    let pools = ok_json(&node, "admin", &["pools"]);
    let pool = pools
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["mint"] == m.as_str())
        .unwrap();
    assert_eq!(pool["assets"], 100_000_000);
    let vault: Pubkey = pool["vault"].as_str().unwrap().parse().unwrap();
    // The delegate takes 1 token out of the fund.
    send(
        &rpc,
        &[spl_token_2022_interface::instruction::transfer_checked(
            &t22,
            &vault,
            &mint.pubkey(),
            &wallet,
            &admin.pubkey(),
            &[],
            1_000_000,
            6,
        )
        .unwrap()],
        &admin,
        &[],
    );
    let (code, out, err) = cli(
        &node,
        "admin",
        &["keeper", "--once", "--output", "json-compact"],
    );
    assert_eq!(code, 0, "{err}");
    let written: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["event"] == "written_down")
        .collect();
    assert_eq!(written.len(), 1, "{out}");
    assert_eq!(written[0]["shortfall"], 1_000_000);
    assert_eq!(written[0]["assets_before"], 100_000_000);
    assert_eq!(written[0]["assets_after"], 99_000_000);
    let pools = ok_json(&node, "admin", &["pools"]);
    let after = pools
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["mint"] == m.as_str())
        .unwrap();
    assert_eq!(after["assets"], 99_000_000);
}
