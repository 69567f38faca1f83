//! Shared by the CLI's end-to-end tests: a `backstop localnet` child process
//! on free loopback ports, and a few setup transactions.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use solana_keypair::Keypair;
use solana_program_pack::Pack;
use solana_pubkey::Pubkey;
use solana_rpc_client::rpc_client::RpcClient;
use solana_signer::Signer;
use solana_transaction::Transaction;

pub struct Node {
    pub child: Child,
    pub url: String,
    pub dir: PathBuf,
    pub admin: Keypair,
    /// The mint `backstop localnet` creates at start, with its pool.
    pub demo_mint: Pubkey,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    loop {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        if port < u16::MAX && std::net::TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
}

pub fn write_keypair(path: &Path, kp: &Keypair) {
    std::fs::write(
        path,
        serde_json::to_string(&kp.to_bytes().to_vec()).unwrap(),
    )
    .unwrap();
}

pub fn start() -> Node {
    let port = free_port();
    let dir = std::env::temp_dir().join(format!("backstop-cli-e2e-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let admin = Keypair::new();
    write_keypair(&dir.join("admin.json"), &admin);
    start_with(port, dir, admin)
}

/// `backstop localnet` on `port` with `admin` (written to DIR/admin.json).
pub fn start_with(port: u16, dir: PathBuf, admin: Keypair) -> Node {
    start_with_args(port, dir, admin, &[])
}

/// [`start_with`], with more arguments to `backstop localnet`.
pub fn start_with_args(port: u16, dir: PathBuf, admin: Keypair, extra: &[&str]) -> Node {
    let mut child = Command::new(env!("CARGO_BIN_EXE_backstop"))
        .args(["localnet", "--port", &port.to_string(), "--keypair"])
        .arg(dir.join("admin.json"))
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The banner ends with the demo mint's two lines.
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut demo_mint = None;
    loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "localnet exited");
        if let Some(mint) = line.trim().strip_prefix("demo mint: ") {
            demo_mint = Some(mint.parse::<Pubkey>().unwrap());
        } else if demo_mint.is_some() {
            break;
        }
    }
    let url = format!("http://127.0.0.1:{port}");
    let rpc = RpcClient::new(url.clone());
    let deadline = Instant::now() + Duration::from_secs(30);
    while rpc.get_health().is_err() {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(50));
    }
    Node {
        child,
        url,
        dir,
        admin,
        demo_mint: demo_mint.unwrap(),
    }
}

/// Runs `backstop ARGS --url URL --keypair DIR/KEY.json`: (exit code, stdout, stderr).
pub fn cli(node: &Node, key: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_backstop"))
        .args(args)
        .args(["--url", &node.url, "--keypair"])
        .arg(node.dir.join(format!("{key}.json")))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `cli` with `--output json`, which must succeed.
pub fn ok_json(node: &Node, key: &str, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    let (code, out, err) = cli(node, key, &all);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|_| panic!("{args:?}: not JSON: {out}"))
}

/// GET http://127.0.0.1:PORT/metrics; `None` while nothing listens.
pub fn scrape(port: u16) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.write_all(b"GET /metrics HTTP/1.0\r\nHost: x\r\n\r\n")
        .ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    Some(text.split_once("\r\n\r\n")?.1.to_string())
}

/// One sample's value in Prometheus text (`name` includes any labels).
pub fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

pub fn send(
    rpc: &RpcClient,
    ixs: &[solana_instruction::Instruction],
    payer: &Keypair,
    extra: &[&Keypair],
) {
    let hash = rpc.get_latest_blockhash().unwrap();
    let mut signers: Vec<&Keypair> = vec![payer];
    signers.extend_from_slice(extra);
    rpc.send_and_confirm_transaction(&Transaction::new_signed_with_payer(
        ixs,
        Some(&payer.pubkey()),
        &signers,
        hash,
    ))
    .unwrap();
}

/// A 6-decimal mint (authority: admin) and a token account of `owner` holding `amount`.
pub fn mint_and_account(
    rpc: &RpcClient,
    admin: &Keypair,
    owner: &Pubkey,
    amount: u64,
) -> (Pubkey, Pubkey) {
    let mint = Keypair::new();
    let account = Keypair::new();
    let token = spl_token_interface::ID;
    let mint_rent = rpc
        .get_minimum_balance_for_rent_exemption(spl_token_interface::state::Mint::LEN)
        .unwrap();
    let acct_rent = rpc
        .get_minimum_balance_for_rent_exemption(spl_token_interface::state::Account::LEN)
        .unwrap();
    send(
        rpc,
        &[
            solana_system_interface::instruction::create_account(
                &admin.pubkey(),
                &mint.pubkey(),
                mint_rent,
                82,
                &token,
            ),
            spl_token_interface::instruction::initialize_mint2(
                &token,
                &mint.pubkey(),
                &admin.pubkey(),
                None,
                6,
            )
            .unwrap(),
            solana_system_interface::instruction::create_account(
                &admin.pubkey(),
                &account.pubkey(),
                acct_rent,
                165,
                &token,
            ),
            spl_token_interface::instruction::initialize_account3(
                &token,
                &account.pubkey(),
                &mint.pubkey(),
                owner,
            )
            .unwrap(),
            spl_token_interface::instruction::mint_to(
                &token,
                &mint.pubkey(),
                &account.pubkey(),
                &admin.pubkey(),
                &[],
                amount,
            )
            .unwrap(),
        ],
        admin,
        &[&mint, &account],
    );
    (mint.pubkey(), account.pubkey())
}

pub fn token_account(rpc: &RpcClient, admin: &Keypair, mint: &Pubkey, owner: &Pubkey) -> Pubkey {
    let account = Keypair::new();
    let token = spl_token_interface::ID;
    let rent = rpc.get_minimum_balance_for_rent_exemption(165).unwrap();
    send(
        rpc,
        &[
            solana_system_interface::instruction::create_account(
                &admin.pubkey(),
                &account.pubkey(),
                rent,
                165,
                &token,
            ),
            spl_token_interface::instruction::initialize_account3(
                &token,
                &account.pubkey(),
                mint,
                owner,
            )
            .unwrap(),
        ],
        admin,
        &[&account],
    );
    account.pubkey()
}
