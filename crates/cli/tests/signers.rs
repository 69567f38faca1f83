//! Signer sources through Solana's own crates (a file, stdin://, prompt://
//! on a pseudo-terminal, usb:// without the `ledger` feature), the Solana
//! CLI's config file, and the priority fee with its simulated compute-unit
//! limit.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::*;
use serde_json::Value;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

const PHRASE: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon \
                      abandon abandon about";

fn backstop(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_backstop"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `backstop address --keypair SOURCE` on a pseudo-terminal (util-linux
/// `script`), typing the seed phrase and an empty passphrase.
fn address_on_a_terminal(source: &str) -> String {
    let command = format!(
        "{} address --keypair {source}",
        env!("CARGO_BIN_EXE_backstop")
    );
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("util-linux `script`");
    let mut stdin = child.stdin.take().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    stdin.write_all(format!("{PHRASE}\n").as_bytes()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    stdin.write_all(b"\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The terminal shows the two prompts, then the address.
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(text.contains("[keypair] seed phrase: "), "{text}");
    text.lines().last().unwrap().trim().to_string()
}

#[test]
fn prompt_reads_a_seed_phrase_from_the_terminal() {
    use solana_keypair::keypair_from_seed_phrase_and_passphrase;
    use solana_keypair::seed_derivable::keypair_from_seed_and_derivation_path;
    use solana_seed_phrase::generate_seed_from_seed_phrase_and_passphrase;
    // prompt:// derives with BIP44's Solana path (m/44'/501'), as solana-keygen does
    let seed = generate_seed_from_seed_phrase_and_passphrase(PHRASE, "");
    let expected = keypair_from_seed_and_derivation_path(&seed, None).unwrap();
    assert_eq!(
        address_on_a_terminal("prompt://"),
        expected.pubkey().to_string()
    );
    // ASK, the legacy keyword: the seed itself, no derivation
    let legacy = keypair_from_seed_phrase_and_passphrase(PHRASE, "").unwrap();
    assert_eq!(address_on_a_terminal("ASK"), legacy.pubkey().to_string());
    assert_ne!(expected.pubkey(), legacy.pubkey());
}

#[test]
fn stdin_file_usb_config_and_priority_fee() {
    let node = start();
    let admin_json = std::fs::read(node.dir.join("admin.json")).unwrap();
    let admin = node.admin.pubkey().to_string();
    let m = node.demo_mint.to_string();

    // stdin://: the keypair's JSON piped in; it signs a mint (the admin is the mint authority).
    let (code, out, err) = backstop(&["address", "--keypair", "stdin://"], &admin_json);
    assert_eq!((code, out.trim()), (0, admin.as_str()), "{err}");
    let bob = Pubkey::new_unique().to_string();
    let (code, out, err) = backstop(
        &[
            "token",
            "mint",
            "--mint",
            &m,
            "--to",
            &bob,
            "--amount",
            "3",
            "--url",
            &node.url,
            "--keypair",
            "stdin://",
            "--output",
            "json-compact",
        ],
        &admin_json,
    );
    assert_eq!(code, 0, "{err}");
    let minted: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(minted["balance"], 3_000_000);
    // a file path, as ever
    let file = node.dir.join("admin.json");
    let (code, out, _) = backstop(&["address", "--keypair", file.to_str().unwrap()], b"");
    assert_eq!((code, out.trim()), (0, admin.as_str()));
    // a missing file and a Ledger without the feature say what to do
    let (code, _, err) = backstop(
        &[
            "pools",
            "--keypair",
            "/nonexistent/id.json",
            "--url",
            &node.url,
        ],
        b"",
    );
    assert_eq!(code, 1);
    assert!(err.contains("/nonexistent/id.json"), "{err}");
    if !cfg!(feature = "ledger") {
        let (code, _, err) = backstop(&["address", "--keypair", "usb://ledger"], b"");
        assert_eq!(code, 1);
        assert!(
            err.contains("`cargo install --path crates/cli --features ledger`"),
            "{err}"
        );
    }

    // The Solana CLI's config file gives the URL, the keypair and the commitment.
    let config = node.dir.join("config.yml");
    std::fs::write(
        &config,
        format!(
            "---\njson_rpc_url: {}\nwebsocket_url: ''\nkeypair_path: {}\naddress_labels: {{}}\ncommitment: finalized\n",
            node.url,
            file.display()
        ),
    )
    .unwrap();
    let (code, out, err) = backstop(
        &[
            "token",
            "balance",
            "--mint",
            &m,
            "--config",
            config.to_str().unwrap(),
            "--json",
        ],
        b"",
    );
    assert_eq!(code, 0, "{err}");
    let balance: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(balance["balance"], 1_000_000_000_000u64);

    // --with-compute-unit-price: the transaction carries the price and a limit
    // set from the simulation (consumed + 10 % + 1,000).
    let sent = ok_json(
        &node,
        "admin",
        &[
            "token",
            "mint",
            "--mint",
            &m,
            "--to",
            &bob,
            "--amount",
            "1",
            "--with-compute-unit-price",
            "5000",
        ],
    );
    let sig: solana_signature::Signature = sent["signature"].as_str().unwrap().parse().unwrap();
    let rpc = solana_rpc_client::rpc_client::RpcClient::new(node.url.clone());
    let tx = rpc
        .get_transaction(
            &sig,
            solana_transaction_status_client_types::UiTransactionEncoding::Base64,
        )
        .unwrap();
    let decoded = tx.transaction.transaction.decode().unwrap();
    let keys = decoded.message.static_account_keys();
    let budget: Pubkey = "ComputeBudget111111111111111111111111111111"
        .parse()
        .unwrap();
    let ixs = decoded.message.instructions();
    assert_eq!(keys[ixs[0].program_id_index as usize], budget);
    assert_eq!(keys[ixs[1].program_id_index as usize], budget);
    assert_eq!(ixs[1].data, [&[3u8][..], &5000u64.to_le_bytes()].concat());
    assert_eq!(ixs[0].data[0], 2);
    let limit = u32::from_le_bytes(ixs[0].data[1..5].try_into().unwrap()) as u64;
    let meta = tx.transaction.meta.unwrap();
    let consumed: Option<u64> = meta.compute_units_consumed.into();
    let consumed = consumed.expect("the node reports compute units");
    assert_eq!(
        limit,
        consumed + consumed / 10 + 1_000,
        "consumed {consumed}"
    );
}
