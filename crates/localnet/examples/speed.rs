//! How fast the local node answers (a bench, not a timed test): start-up,
//! `getAccountInfo`, and send-and-confirm of a signed transfer, each through
//! Solana's Rust `RpcClient` as a client sees them; and what verifying the
//! signatures adds to a send.
//!
//!     cargo run --release -p backstop-localnet --example speed
//!
//! Runs the native build (BACKSTOP_SBF=1: the SBF build on the VM).

use std::io::Write;
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use backstop_localnet::{Options, run};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::RpcSendTransactionConfig;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction::versioned::VersionedTransaction;

/// Forwards what the node prints, so start-up ends at its banner.
struct Banner(mpsc::Sender<()>);

impl Write for Banner {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if String::from_utf8_lossy(buf).contains("JSON-RPC URL") {
            let _ = self.0.send(());
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn free_port() -> u16 {
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
}

/// (p50, p90) in milliseconds.
fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
    (at(0.5), at(0.9))
}

fn main() {
    let admin = Keypair::new();
    let admin_key = admin.pubkey();
    let payer = admin.insecure_clone();
    let port = free_port();
    let (sender, banner) = mpsc::channel();
    let started = Instant::now();
    std::thread::spawn(move || {
        let mut options = Options::new(admin.insecure_clone());
        options.port = port;
        run(Banner(sender), options)
    });
    banner
        .recv_timeout(Duration::from_secs(60))
        .expect("the node printed its banner");
    let start_up = started.elapsed();
    let client = RpcClient::new_with_commitment(
        format!("http://127.0.0.1:{port}"),
        CommitmentConfig::confirmed(),
    );
    client.get_health().expect("the node answers");

    let mut reads = Vec::new();
    for _ in 0..1_000 {
        let t = Instant::now();
        client.get_account(&admin_key).expect("the admin's account");
        reads.push(t.elapsed());
    }

    let mut sends = Vec::new();
    let mut verifies = Vec::new();
    let mut blockhash = client.get_latest_blockhash().unwrap();
    for i in 0..300u64 {
        if i % 50 == 0 {
            blockhash = client.get_latest_blockhash().unwrap();
        }
        let ix = solana_system_interface::instruction::transfer(
            &payer.pubkey(),
            &Pubkey::new_unique(),
            1_000_000 + i,
        );
        let tx =
            Transaction::new_signed_with_payer(&[ix], Some(&payer.pubkey()), &[&payer], blockhash);
        let versioned = VersionedTransaction::from(tx.clone());
        let t = Instant::now();
        assert!(versioned.verify_with_results().iter().all(|ok| *ok));
        verifies.push(t.elapsed());
        let t = Instant::now();
        let signature = client
            .send_transaction_with_config(&tx, RpcSendTransactionConfig::default())
            .expect("the transfer lands");
        let status = client.get_signature_statuses(&[signature]).unwrap().value[0].clone();
        assert!(status.is_some_and(|s| s.err.is_none()));
        sends.push(t.elapsed());
    }

    let (read50, read90) = percentiles(reads);
    let (send50, send90) = percentiles(sends);
    let (verify50, _) = percentiles(verifies);
    println!(
        "backstop localnet speed ({} build)",
        if backstop_bank::sbf() {
            "SBF"
        } else {
            "native"
        }
    );
    println!(
        "  start-up to listening:        {:>8.1} ms",
        start_up.as_secs_f64() * 1e3
    );
    println!("  getAccountInfo:       p50 {read50:>6.3} ms   p90 {read90:>6.3} ms   (1,000 calls)");
    println!(
        "  send and confirm:     p50 {send50:>6.3} ms   p90 {send90:>6.3} ms   (300 transfers)"
    );
    println!(
        "  signature verification: p50 {verify50:>6.3} ms a transfer, {:.1}% of send and confirm",
        verify50 / send50 * 100.0
    );
}
