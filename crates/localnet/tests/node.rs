//! The node in-process on free loopback ports, through its public API
//! (`run` on a thread), spoken to by Solana's Rust RPC client, by raw HTTP
//! and by a websocket client.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use backstop_client::ix::Asset;
use backstop_localnet::{DemoMint, Options, run};
use serde_json::{Value, json};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_rpc_client::rpc_client::RpcClient;
use solana_signer::Signer;
use solana_transaction::Transaction;

fn free_port() -> u16 {
    loop {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
}

/// The banner, line by line.
struct Lines(mpsc::Sender<String>, String);

impl Write for Lines {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.1.push_str(&String::from_utf8_lossy(buf));
        while let Some(end) = self.1.find('\n') {
            let line: String = self.1.drain(..=end).collect();
            let _ = self.0.send(line.trim_end().to_string());
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One HTTP request on its own connection: the status line and the body.
fn http(port: u16, method: &str, path: &str, headers: &str, body: &str) -> (String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let (head, body) = reply.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

fn rpc(port: u16, origin: Option<&str>, request: Value) -> Value {
    let headers = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    let (status, body) = http(port, "POST", "/", &headers, &request.to_string());
    assert!(status.contains("200"), "{status}");
    serde_json::from_str(&body).unwrap()
}

#[test]
fn the_node_answers_solana_clients_and_serves_the_page() {
    let port = free_port();
    let web_dir: PathBuf =
        std::env::temp_dir().join(format!("backstop-localnet-web-{}", std::process::id()));
    std::fs::create_dir_all(&web_dir).unwrap();
    std::fs::write(web_dir.join("index.html"), "<h1>staking</h1>").unwrap();
    let admin = Keypair::new();
    let admin_key = admin.pubkey();
    let options = Options {
        port,
        governance_delay: 30,
        demo: Some(DemoMint::Token2022),
        web_dir: Some(web_dir.clone()),
        ..Options::new(admin.insecure_clone())
    };
    let (tx, banner) = mpsc::channel();
    std::thread::spawn(move || run(Lines(tx, String::new()), options));

    // The banner names the ports, the admin, the page and the demo mint.
    let mut lines = Vec::new();
    let demo_mint = loop {
        let line = banner.recv_timeout(Duration::from_secs(120)).unwrap();
        if let Some(mint) = line.trim().strip_prefix("demo mint: ") {
            break mint.parse::<Pubkey>().unwrap();
        }
        lines.push(line);
    };
    assert_eq!(lines[0], "backstop localnet");
    assert_eq!(lines[1], format!("  JSON-RPC URL: http://127.0.0.1:{port}"));
    assert_eq!(
        lines[2],
        format!("  WebSocket URL: ws://127.0.0.1:{}", port + 1)
    );
    assert!(lines.contains(&format!("  admin, guardian and treasury: {admin_key}")));
    assert!(lines.contains(&"  governance_delay: 30 s".to_string()));
    assert!(lines.contains(&format!(
        "  staking page: http://127.0.0.1:{port}/ (from {})",
        web_dir.display()
    )));

    // A transaction over the packet limit is refused before it is decoded,
    // as a validator refuses it; one byte less reaches the decoder.
    use base64::Engine;
    for (size, message) in [
        (1_233, "transaction too large: 1233 bytes (max: 1232)"),
        (1_232, "failed to deserialize transaction"),
    ] {
        let encoded = base64::engine::general_purpose::STANDARD.encode(vec![0xffu8; size]);
        let reply = rpc(
            port,
            None,
            json!({ "jsonrpc": "2.0", "id": 1, "method": "sendTransaction",
                    "params": [encoded, { "encoding": "base64" }] }),
        );
        assert_eq!(reply["error"]["code"], -32602, "{reply}");
        let got = reply["error"]["message"].as_str().unwrap();
        assert!(got.starts_with(message), "{got}");
    }

    // Solana's client: health, the demo mint (Token-2022), the admin's tokens.
    let client = RpcClient::new(format!("http://127.0.0.1:{port}"));
    client.get_health().unwrap();
    let mint = client.get_account(&demo_mint).unwrap();
    assert_eq!(mint.owner, spl_token_2022_interface::ID);
    let asset = Asset::owned_by(demo_mint, spl_token_2022_interface::ID);
    let ata = backstop_client::token::associated_token_account(&admin_key, asset);
    let ata_account = client.get_account(&ata).unwrap();
    assert_eq!(
        backstop_client::token::token_account_amount(&ata_account.data),
        Some(1_000_000_000_000)
    );
    let pool = client
        .get_account(&backstop_client::pda::pool(&demo_mint))
        .unwrap();
    assert_eq!(pool.owner, backstop_client::PROGRAM_ID);
    assert!(client.get_balance(&admin_key).unwrap() >= 999_000_000_000);

    // getProgramAccounts scans the addresses the node knows, with filters:
    // the demo pool's one stake (the treasury's), found by size and pool.
    use solana_rpc_client_api::config::RpcProgramAccountsConfig;
    use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
    let pool_key = backstop_client::pda::pool(&demo_mint);
    let stakes = client
        .get_program_ui_accounts_with_config(
            &backstop_client::PROGRAM_ID,
            RpcProgramAccountsConfig {
                filters: Some(vec![
                    RpcFilterType::DataSize(backstop_client::types::STAKE_ACCOUNT_SIZE as u64),
                    RpcFilterType::Memcmp(Memcmp::new_raw_bytes(14, pool_key.to_bytes().to_vec())),
                ]),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(stakes.len(), 1);
    assert_eq!(
        stakes[0].0,
        backstop_client::pda::stake(&pool_key, &admin_key)
    );

    // simulateTransaction answers unitsConsumed; sendTransaction confirms.
    let to = Pubkey::new_unique();
    let transfer = solana_system_interface::instruction::transfer(&admin_key, &to, 5_000_000);
    let hash = client.get_latest_blockhash().unwrap();
    let tx = Transaction::new_signed_with_payer(&[transfer], Some(&admin_key), &[&admin], hash);
    let simulated = client.simulate_transaction(&tx).unwrap().value;
    assert!(simulated.err.is_none(), "{simulated:?}");
    assert!(simulated.units_consumed.unwrap() > 0);
    // a forged signature and a missing signer are refused as a validator
    // refuses them (-32003), with preflight and in a verified simulation
    let mut forged = tx.clone();
    forged.signatures[0] = solana_signature::Signature::from([7u8; 64]);
    let mut unsigned = tx.clone();
    unsigned.signatures[0] = solana_signature::Signature::default();
    for bad in [&forged, &unsigned] {
        let wire =
            base64::engine::general_purpose::STANDARD.encode(bincode::serialize(bad).unwrap());
        for (method, config) in [
            ("sendTransaction", json!({ "encoding": "base64" })),
            (
                "simulateTransaction",
                json!({ "encoding": "base64", "sigVerify": true }),
            ),
        ] {
            let reply = rpc(
                port,
                None,
                json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": [wire, config] }),
            );
            assert_eq!(reply["error"]["code"], -32003, "{method}: {reply}");
            assert_eq!(
                reply["error"]["message"],
                "Transaction signature verification failure"
            );
        }
        // skipPreflight answers the signature; the transaction is dropped
        let reply = rpc(
            port,
            None,
            json!({ "jsonrpc": "2.0", "id": 1, "method": "sendTransaction",
                    "params": [wire, { "encoding": "base64", "skipPreflight": true }] }),
        );
        assert_eq!(reply["result"], bad.signatures[0].to_string(), "{reply}");
        assert_eq!(client.get_balance(&to).unwrap(), 0);
        let status = client.get_signature_statuses(&[bad.signatures[0]]).unwrap();
        assert!(status.value[0].is_none());
    }
    let signature = client.send_and_confirm_transaction(&tx).unwrap();
    assert_eq!(client.get_balance(&to).unwrap(), 5_000_000);
    let history = client.get_signatures_for_address(&to).unwrap();
    assert_eq!(history[0].signature, signature.to_string());

    // The websocket: a known signature is notified at once; a clean close.
    let (mut ws, _) = tungstenite::connect(format!("ws://127.0.0.1:{}", port + 1)).unwrap();
    let subscribe = json!({ "jsonrpc": "2.0", "id": 1, "method": "signatureSubscribe",
                            "params": [signature.to_string()] });
    ws.send(tungstenite::Message::text(subscribe.to_string()))
        .unwrap();
    let ack: Value = serde_json::from_str(ws.read().unwrap().to_text().unwrap()).unwrap();
    let sub = ack["result"].as_u64().unwrap();
    let note: Value = serde_json::from_str(ws.read().unwrap().to_text().unwrap()).unwrap();
    assert_eq!(note["method"], "signatureNotification");
    assert_eq!(note["params"]["subscription"], sub);
    assert_eq!(note["params"]["result"]["value"]["err"], Value::Null);
    ws.close(None).unwrap();
    loop {
        match ws.read() {
            Ok(_) => {}
            Err(tungstenite::Error::ConnectionClosed) => break,
            Err(e) => panic!("unclean close: {e}"),
        }
    }

    // Raw JSON-RPC: the extra methods, the origin check, errors, batches.
    let advanced = rpc(
        port,
        None,
        json!({ "jsonrpc": "2.0", "id": 1, "method": "backstop_advanceClock", "params": [60] }),
    );
    assert!(advanced["result"]["unixTimestamp"].as_i64().unwrap() > 0);
    let wallet = json!({ "jsonrpc": "2.0", "id": 2, "method": "backstop_devWallet" });
    let own = rpc(port, None, wallet.clone());
    assert_eq!(own["result"], json!(admin.to_bytes().to_vec()));
    let own_page = rpc(
        port,
        Some(&format!("http://localhost:{port}")),
        wallet.clone(),
    );
    assert_eq!(own_page["result"], own["result"]);
    let foreign = rpc(port, Some("http://evil.example"), wallet);
    assert_eq!(foreign["error"]["code"], -32601);
    assert!(foreign.get("result").is_none());
    let unknown = rpc(
        port,
        None,
        json!({ "jsonrpc": "2.0", "id": 3, "method": "nope" }),
    );
    assert_eq!(
        unknown,
        json!({ "jsonrpc": "2.0", "error": { "code": -32601, "message": "Method not found: nope" }, "id": 3 })
    );
    let batch = rpc(
        port,
        None,
        json!([{ "jsonrpc": "2.0", "id": 4, "method": "getHealth" }, { "id": 5 }]),
    );
    assert_eq!(
        batch[0],
        json!({ "jsonrpc": "2.0", "result": "ok", "id": 4 })
    );
    assert_eq!(batch[1]["error"]["code"], -32600);
    let (_, parse) = http(port, "POST", "/", "", "{");
    assert_eq!(
        serde_json::from_str::<Value>(&parse).unwrap()["error"]["code"],
        -32700
    );

    // GET: the page from --web-dir; OPTIONS: a CORS preflight.
    let (status, page) = http(port, "GET", "/?rpc=x", "", "");
    assert!(status.contains("200"), "{status}");
    assert_eq!(page, "<h1>staking</h1>");
    let (status, missing) = http(port, "GET", "/nothing.js", "", "");
    assert!(status.contains("404"), "{status}");
    assert!(missing.contains("is not a file of the staking page"));
    let (status, _) = http(port, "OPTIONS", "/", "", "");
    assert!(status.contains("204"), "{status}");
    std::fs::remove_dir_all(&web_dir).unwrap();
}

#[test]
fn an_unreadable_keypair_exits_2() {
    let options = Options::new(PathBuf::from("/nonexistent/backstop/id.json"));
    assert_eq!(run(Vec::new(), options), ExitCode::from(2));
}
