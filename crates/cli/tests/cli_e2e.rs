//! The `backstop` CLI end to end against `backstop localnet` on loopback: a
//! staker, governance, an operator and two racing keepers, each through the
//! real binary.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use serde_json::{Value, json};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_rpc_client::rpc_client::RpcClient;
use solana_signer::Signer;

#[test]
fn every_user_through_the_cli() {
    let node = start();
    let rpc = RpcClient::new(node.url.clone());
    let admin = node.admin.insecure_clone();

    // A staker with 5 tokens.
    let staker = Keypair::new();
    write_keypair(&node.dir.join("staker.json"), &staker);
    send(
        &rpc,
        &[solana_system_interface::instruction::transfer(
            &admin.pubkey(),
            &staker.pubkey(),
            1_000_000_000,
        )],
        &admin,
        &[],
    );
    let (mint, staker_tokens) = mint_and_account(&rpc, &admin, &staker.pubkey(), 5_000_000);
    let m = mint.to_string();
    let from = staker_tokens.to_string();

    // Governance: a pool with a one-day cooldown, then --print-ix prints without sending.
    ok_json(
        &node,
        "admin",
        &["gov", "create-pool", "--mint", &m, "--cooldown", "86400"],
    );
    let printed = ok_json(
        &node,
        "admin",
        &["gov", "pause", "--ops", "stake", "--print-ix"],
    );
    assert_eq!(
        printed["programId"],
        backstop_client::PROGRAM_ID.to_string()
    );
    assert_eq!(printed["accounts"].as_array().unwrap().len(), 2);
    assert!(!printed["data"].as_str().unwrap().is_empty());
    assert_eq!(printed["decoded"]["instruction"], "pause");
    assert_eq!(printed["decoded"]["accounts"][0]["role"], "authority");
    assert_eq!(printed["decoded"]["args"][0]["value"], "0x0001 (stake)");

    // Staker: stake 5 (human units), request 2, cooldown refuses, advance, complete.
    let staked = ok_json(
        &node,
        "staker",
        &["stake", "--mint", &m, "--amount", "5", "--from", &from],
    );
    assert_eq!(staked["shares"], "5000000");
    let requested = ok_json(
        &node,
        "staker",
        &["unstake", "request", "--mint", &m, "--amount", "2"],
    );
    assert_eq!(requested["shares"], "2000000");
    assert_eq!(requested["value"], 2_000_000);
    let (code, _, err) = cli(
        &node,
        "staker",
        &["unstake", "complete", "--mint", &m, "--to", &from],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("the program refused: CooldownNotElapsed"),
        "{err}"
    );
    let status = ok_json(&node, "staker", &["status", "--mint", &m]);
    assert_eq!(status["request"]["shares"], "2000000");
    assert!(status["request"]["seconds_left"].as_i64().unwrap() > 86_000);
    let _: Value = rpc
        .send(
            solana_rpc_client_api::request::RpcRequest::Custom {
                method: "backstop_advanceClock",
            },
            serde_json::json!([86_400]),
        )
        .unwrap();
    let completed = ok_json(
        &node,
        "staker",
        &["unstake", "complete", "--mint", &m, "--to", &from],
    );
    assert_eq!(completed["paid"], 2_000_000);
    let status = ok_json(&node, "staker", &["status", "--mint", &m]);
    assert_eq!(
        (status["assets"].as_u64(), status["request"].clone()),
        (Some(3_000_000), Value::Null)
    );

    // Liquid shares: --print-ix shows the wrap without sending it; then 1
    // token's worth of shares is wrapped and half of it unwrapped.
    let printed = ok_json(
        &node,
        "staker",
        &["wrap", "--mint", &m, "--shares", "1000000", "--print-ix"],
    );
    assert_eq!(printed["decoded"]["instruction"], "wrap");
    assert_eq!(printed["accounts"].as_array().unwrap().len(), 10);
    let status = ok_json(&node, "staker", &["status", "--mint", &m]);
    assert_eq!(status["shares"], "3000000", "--print-ix sent nothing");
    let wrapped = ok_json(
        &node,
        "staker",
        &["wrap", "--mint", &m, "--shares", "1000000"],
    );
    assert_eq!(
        (wrapped["epoch"].as_u64(), wrapped["receipts"].as_u64()),
        (Some(0), Some(1_000_000))
    );
    let status = ok_json(&node, "staker", &["status", "--mint", &m]);
    assert_eq!(
        (
            status["shares"].clone(),
            status["receipts"].as_u64(),
            status["wrapped"].as_u64()
        ),
        (json!("2000000"), Some(1_000_000), Some(1_000_000))
    );
    // The receipt account, found by its owner through the node (as a wallet does).
    let found: Value = rpc
        .send(
            solana_rpc_client_api::request::RpcRequest::GetTokenAccountsByOwner,
            json!([staker.pubkey().to_string(), { "mint": wrapped["receipt_mint"] }, { "encoding": "base64" }]),
        )
        .unwrap();
    let accounts = found["value"].as_array().unwrap();
    assert_eq!(accounts.len(), 1, "{found}");
    assert_eq!(
        accounts[0]["account"]["owner"],
        backstop_client::token::TOKEN_2022_PROGRAM.to_string()
    );
    let data = accounts[0]["account"]["data"][0].as_str().unwrap();
    let data = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, data).unwrap();
    assert_eq!(
        backstop_client::token::token_account_amount(&data),
        Some(1_000_000)
    );
    let printed = ok_json(
        &node,
        "staker",
        &["unwrap", "--mint", &m, "--amount", "500000", "--print-ix"],
    );
    assert_eq!(printed["decoded"]["instruction"], "unwrap");
    let unwrapped = ok_json(
        &node,
        "staker",
        &["unwrap", "--mint", &m, "--amount", "400000"],
    );
    assert_eq!(unwrapped["value"], 400_000);
    let status = ok_json(&node, "staker", &["status", "--mint", &m]);
    assert_eq!(status["shares"], "2400000");
    // (another amount: on the VM the node's blockhash does not move yet, and a
    // cluster refuses the same transaction twice under one blockhash)
    let unwrapped = ok_json(
        &node,
        "staker",
        &["unwrap", "--mint", &m, "--amount", "600000"],
    );
    assert_eq!(unwrapped["amount"], 600_000);
    let status = ok_json(&node, "staker", &["status", "--mint", &m]);
    assert_eq!(status["shares"], "3000000");

    // Governance lists a lending market (the admin is its operator) and sets a 2-token cap.
    let settlement = token_account(&rpc, &admin, &mint, &admin.pubkey());
    ok_json(
        &node,
        "admin",
        &[
            "gov",
            "create-market",
            "--kind",
            "lending",
            "--mint",
            &m,
            "--operator",
            &admin.pubkey().to_string(),
            "--settlement",
            &settlement.to_string(),
            "--cap",
            "1",
        ],
    );
    ok_json(
        &node,
        "admin",
        &["gov", "set-cap", "--market", "0", "--cap", "2"],
    );
    let markets = ok_json(&node, "admin", &["markets"]);
    assert_eq!(markets[0]["cap"], 2_000_000);

    // Operator: a lender deposits 10; two debtors go bankrupt for 4 each.
    let lender = Pubkey::new_unique().to_string();
    let (d1, d2) = (
        Pubkey::new_unique().to_string(),
        Pubkey::new_unique().to_string(),
    );
    let dep = ok_json(
        &node,
        "admin",
        &[
            "operator", "deposit", "--market", "0", "--owner", &lender, "--amount", "10",
        ],
    );
    assert_eq!(dep["lender_balance"], 10_000_000);
    ok_json(
        &node,
        "admin",
        &[
            "operator", "bankrupt", "--market", "0", "--debtor", &d1, "--amount", "4",
        ],
    );
    let open = ok_json(&node, "admin", &["bankruptcies"]);
    assert_eq!(open.as_array().unwrap().len(), 1);

    // keeper --once resolves it: 2 from the fund (the cap), 2 socialised over 10:
    // I = 10¹⁸ − ⌈10¹⁸·2/10⌉ = 8·10¹⁷, so the lender's 10 become 8.
    let (code, out, err) = cli(&node, "admin", &["keeper", "--once"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("deficit 4 = insurance 2 + socialised 2 + unrecovered 0"),
        "{out}"
    );
    assert_eq!(
        ok_json(
            &node,
            "admin",
            &["lender", "--market", "0", "--owner", &lender]
        )["balance"],
        8_000_000
    );
    assert_eq!(
        ok_json(&node, "admin", &["bankruptcies"])
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // Two keepers race on the next record: both exit cleanly, exactly one resolves it.
    ok_json(
        &node,
        "admin",
        &[
            "operator", "bankrupt", "--market", "0", "--debtor", &d2, "--amount", "4",
        ],
    );
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_backstop"))
            .args([
                "keeper",
                "--once",
                "--json",
                "--url",
                &node.url,
                "--keypair",
            ])
            .arg(node.dir.join("admin.json"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let outputs: Vec<_> = [a, b]
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let mut resolved = 0;
    for o in &outputs {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        resolved += String::from_utf8_lossy(&o.stdout)
            .matches("\"event\":\"resolved\"")
            .count();
    }
    assert_eq!(resolved, 1);
    // the cap is used up, so the whole 4 were socialised: 8 · (1 − 4/8) = 4
    assert_eq!(
        ok_json(
            &node,
            "admin",
            &["lender", "--market", "0", "--owner", &lender]
        )["balance"],
        4_000_000
    );
}

#[test]
fn keeper_stops_cleanly_on_ctrl_c() {
    let node = start();
    let mut keeper = Command::new(env!("CARGO_BIN_EXE_backstop"))
        .args(["keeper", "--interval", "1", "--url", &node.url, "--keypair"])
        .arg(node.dir.join("admin.json"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for its first pass, then interrupt it as Ctrl-C would.
    let mut stdout = BufReader::new(keeper.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("pass done") {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "keeper exited early"
        );
    }
    // SAFETY: signals our own child process.
    unsafe { libc::kill(keeper.id() as i32, libc::SIGINT) };
    let status = keeper.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert!(status.success(), "exit {status:?}");
    assert!(rest.contains("stopping (interrupted)"), "{rest}");
}

#[test]
fn a_new_user_stakes_the_demo_mint_with_the_cli_alone() {
    let node = start();
    let m = node.demo_mint.to_string();
    // The admin holds 1,000,000 demo tokens and mints 50 to a new user.
    let bob = Keypair::new();
    write_keypair(&node.dir.join("bob.json"), &bob);
    let rpc = RpcClient::new(node.url.clone());
    send(
        &rpc,
        &[solana_system_interface::instruction::transfer(
            &node.admin.pubkey(),
            &bob.pubkey(),
            1_000_000_000,
        )],
        &node.admin,
        &[],
    );
    assert_eq!(
        ok_json(&node, "admin", &["token", "balance", "--mint", &m])["balance"],
        1_000_000_000_000u64
    );
    let minted = ok_json(
        &node,
        "admin",
        &[
            "token",
            "mint",
            "--mint",
            &m,
            "--to",
            &bob.pubkey().to_string(),
            "--amount",
            "50",
        ],
    );
    assert_eq!(minted["balance"], 50_000_000);
    // bob stakes 12.5 from his associated token account (the default source).
    let staked = ok_json(&node, "bob", &["stake", "--mint", &m, "--amount", "12.5"]);
    assert_eq!(staked["shares"], "12500000");
    assert_eq!(
        ok_json(&node, "bob", &["token", "balance", "--mint", &m])["balance"],
        37_500_000
    );
    let status = ok_json(&node, "bob", &["status", "--mint", &m]);
    assert_eq!(
        (status["value"].as_u64(), status["assets"].as_u64()),
        (Some(12_500_000), Some(12_500_000))
    );
    // Only the mint authority can mint.
    let (code, _, err) = cli(
        &node,
        "bob",
        &["token", "mint", "--mint", &m, "--amount", "1"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("OwnerMismatch"), "{err}");
}
