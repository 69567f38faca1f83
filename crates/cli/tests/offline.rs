//! Every command with no node listening says so (naming the URL, not a
//! missing account), and `gov --print-ix` builds what it can without a node.

mod common;

use std::process::Command;

use common::{free_port, write_keypair};
use serde_json::Value;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

fn run(url: &str, key: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_backstop"))
        .args(args)
        .args(["--url", url, "--keypair"])
        .arg(key)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn key_pubkey(path: &std::path::Path) -> Pubkey {
    let bytes: Vec<u8> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    Keypair::try_from(&bytes[..]).unwrap().pubkey()
}

fn setup() -> (String, std::path::PathBuf, Keypair) {
    let port = free_port();
    let dir = std::env::temp_dir().join(format!("backstop-offline-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = Keypair::new();
    write_keypair(&dir.join("me.json"), &key);
    (format!("http://127.0.0.1:{port}"), dir.join("me.json"), key)
}

#[test]
fn every_command_without_a_node_names_the_url() {
    let (url, key, _) = setup();
    let m = Pubkey::new_unique().to_string();
    let p = Pubkey::new_unique().to_string();
    let table: &[&[&str]] = &[
        &["stake", "--mint", &m, "--amount", "1"],
        &["unstake", "request", "--mint", &m, "--shares", "1"],
        &["unstake", "cancel", "--mint", &m],
        &["unstake", "complete", "--mint", &m],
        &["status", "--mint", &m],
        &["sweep", "--mint", &m],
        &["sync", "--mint", &m],
        &["resolve", "--market", "0", "--debtor", &p],
        &["keeper", "--once"],
        &["pools"],
        &["markets"],
        &["bankruptcies"],
        &["lender", "--market", "0", "--owner", &p],
        &["gov", "init", "--guardian", &p, "--treasury", &p],
        &["gov", "create-pool", "--mint", &m],
        &["gov", "set-pool", "--mint", &m, "--cooldown", "60"],
        &[
            "gov",
            "create-market",
            "--kind",
            "lending",
            "--mint",
            &m,
            "--operator",
            &p,
            "--settlement",
            &p,
        ],
        &["gov", "set-cap", "--market", "0", "--cap", "1000"],
        &["gov", "update-market", "--market", "0", "--frozen", "true"],
        &["gov", "pause", "--ops", "stake"],
        &["gov", "unpause", "--ops", "stake"],
        &[
            "gov",
            "propose-payout",
            "--mint",
            &m,
            "--recipient",
            &p,
            "--amount",
            "1",
        ],
        &["gov", "freeze", "--market", "0"],
        &["gov", "unfreeze", "--market", "0"],
        &["gov", "cancel-payout", "--mint", &m, "--id", "0"],
        &["gov", "cancel-change", "--market", "0"],
        &["gov", "transfer-admin", "--new-admin", &p],
        &["gov", "accept-admin"],
        &[
            "operator", "deposit", "--market", "0", "--owner", &p, "--amount", "1",
        ],
        &[
            "operator", "withdraw", "--market", "0", "--owner", &p, "--amount", "1",
        ],
        &[
            "operator", "position", "--market", "0", "--owner", &p, "--base", "-5",
        ],
        &[
            "operator", "bankrupt", "--market", "0", "--debtor", &p, "--amount", "1",
        ],
        &["token", "mint", "--mint", &m, "--amount", "1"],
        &["token", "balance", "--mint", &m],
        // the commands that --print-ix cannot build without reading the node
        &["gov", "create-pool", "--mint", &m, "--print-ix"],
        &[
            "gov",
            "create-market",
            "--kind",
            "perp",
            "--mint",
            &m,
            "--operator",
            &p,
            "--settlement",
            &p,
            "--print-ix",
        ],
        &[
            "gov",
            "propose-payout",
            "--mint",
            &m,
            "--recipient",
            &p,
            "--amount",
            "1",
            "--print-ix",
        ],
        &[
            "gov",
            "set-cap",
            "--market",
            "0",
            "--cap",
            "1000",
            "--print-ix",
        ],
    ];
    let expected = format!(
        "cannot reach the node at {url} (Connection refused (os error 111)): is a validator \
         (or `backstop localnet`) running there? Check --url or json_rpc_url in the config file\n"
    );
    for args in table {
        let (code, out, err) = run(&url, &key, args);
        assert_eq!(code, 1, "{args:?}: {err}");
        // the keeper announces itself before its first pass
        let banner = format!("keeper {} on {url}\n", key_pubkey(&key));
        let expected_out = if args[0] == "keeper" {
            banner.as_str()
        } else {
            ""
        };
        assert_eq!(out, expected_out, "{args:?}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(err.ends_with(&expected), "{args:?}: {err}");
        assert!(!err.contains("AccountNotFound"), "{args:?}: {err}");
        if args.contains(&"--print-ix") {
            assert!(
                err.contains("--print-ix needs the node here, to read "),
                "{args:?}: {err}"
            );
        }
    }
}

/// (args, instruction, the first account's role, one argument shown)
type Case<'a> = (&'a [&'a str], &'a str, &'a str, (&'a str, &'a str));

#[test]
fn print_ix_without_a_node_decodes_each_instruction() {
    let (url, key, me) = setup();
    let m = Pubkey::new_unique().to_string();
    let p = Pubkey::new_unique().to_string();
    let table: &[Case] = &[
        (
            &["gov", "init", "--guardian", &p, "--treasury", &p],
            "initialize_protocol",
            "payer",
            ("args.governance_delay", "172800 s (2 d)"),
        ),
        (
            &["gov", "set-pool", "--mint", &m, "--cooldown", "86400"],
            "set_pool",
            "admin",
            ("update.cooldown", "86400 s (1 d)"),
        ),
        (
            &[
                "gov", "set-cap", "--market", "3", "--cap", "2500000", "--units", "base",
            ],
            "set_market_cap",
            "admin",
            ("cap", "2500000 base units"),
        ),
        (
            &["gov", "set-cap", "--market", "3", "--cap", "unlimited"],
            "set_market_cap",
            "admin",
            ("cap", "18446744073709551615 base units (unlimited)"),
        ),
        (
            &["gov", "update-market", "--market", "1", "--operator", &p],
            "update_market",
            "admin",
            ("update.operator", &p),
        ),
        (
            &["gov", "pause", "--ops", "stake,resolve"],
            "pause",
            "authority",
            ("flags", "0x0041 (stake, resolve)"),
        ),
        (
            &["gov", "unpause", "--ops", "payout"],
            "unpause",
            "admin",
            ("flags", "0x0080 (payout)"),
        ),
        (
            &["gov", "freeze", "--market", "2"],
            "update_market",
            "admin",
            ("update.frozen", "true"),
        ),
        (
            &["gov", "unfreeze", "--market", "2"],
            "update_market",
            "admin",
            ("update.frozen", "false"),
        ),
        (
            &["gov", "cancel-payout", "--mint", &m, "--id", "7"],
            "cancel_payout",
            "authority",
            ("", ""),
        ),
        (
            &["gov", "cancel-change", "--market", "0"],
            "cancel_market_change",
            "authority",
            ("field", "Cap"),
        ),
        (
            &["gov", "transfer-admin", "--new-admin", &p],
            "propose_admin",
            "admin",
            ("new_admin", &p),
        ),
        (
            &["gov", "accept-admin"],
            "accept_admin",
            "new_admin",
            ("", ""),
        ),
    ];
    for (args, name, role, (arg, shown)) in table {
        let mut all = args.to_vec();
        all.extend(["--print-ix", "--output", "json"]);
        let (code, out, err) = run(&url, &key, &all);
        assert_eq!(code, 0, "{args:?}: {err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let d = &v["decoded"];
        assert_eq!(d["instruction"], *name, "{args:?}");
        assert_eq!(d["accounts"][0]["role"], *role, "{args:?}");
        assert_eq!(
            d["accounts"][0]["pubkey"],
            me.pubkey().to_string(),
            "{args:?}"
        );
        assert_eq!(d["accounts"][0]["signer"], true, "{args:?}");
        assert_eq!(
            v["accounts"].as_array().unwrap().len(),
            d["accounts"].as_array().unwrap().len()
        );
        if !arg.is_empty() {
            let found = d["args"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["name"] == *arg);
            assert_eq!(
                found.map(|a| a["value"].clone()),
                Some(Value::from(*shown)),
                "{args:?}: {d}"
            );
        }
    }
    // Display: the decoded view, then the data a Squads proposal carries.
    let (code, out, _) = run(
        &url,
        &key,
        &[
            "gov",
            "set-cap",
            "--market",
            "0",
            "--cap",
            "5",
            "--units",
            "base",
            "--print-ix",
        ],
    );
    assert_eq!(code, 0);
    let admin = me.pubkey().to_string();
    assert!(out.starts_with("instruction: set_market_cap (program BackstopinsuranceFundMASi45ub7Qe4ZE36UT5G6c)\naccounts:\n"), "{out}");
    assert!(
        out.contains(&format!("   0 admin                  {admin:<44} signer\n")),
        "{out}"
    );
    assert!(
        out.contains(
            "arguments:\n  cap                              5 base units\ndata (base58): "
        ),
        "{out}"
    );
    // A multisig's vault (a bare public key) as the authority.
    let vault = Pubkey::new_unique();
    let out = Command::new(env!("CARGO_BIN_EXE_backstop"))
        .args([
            "gov",
            "pause",
            "--ops",
            "stake",
            "--print-ix",
            "--output",
            "json-compact",
            "--url",
            &url,
            "--keypair",
        ])
        .arg(vault.to_string())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["accounts"][0]["pubkey"], vault.to_string());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}
