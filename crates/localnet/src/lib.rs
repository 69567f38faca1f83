//! The local node behind `backstop localnet`: the Backstop program and both
//! token programs in the in-process bank (`backstop-bank`), served over
//! Solana's JSON-RPC on loopback (or the address it is told) — HTTP on
//! `port`, the websocket on `port + 1` — so that Solana's own clients (the Rust
//! `RpcClient`, `@solana/web3.js`, the CLI) work against it unchanged. Wire
//! types come from Solana's own crates (`solana-rpc-client-api`,
//! `solana-account-decoder`, `solana-transaction-status-client-types`).
//!
//! Extra methods: `backstop_advanceClock` with params `[seconds]` moves the
//! bank's clock forward and returns `{ "unixTimestamp": … }`;
//! `backstop_devWallet` returns the node keypair's 64-byte secret key as a
//! JSON array, for the staking page's built-in dev wallet (only to local
//! processes and to pages this node served). GET `/` serves the staking page
//! built into `web/dist`.
//!
//! Public API: [`run`] with [`Options`] (what `backstop localnet` calls),
//! [`DemoMint`], the keypair files [`read_keypair`] and
//! [`write_new_keypair`], and [`default_web_dir`].
//!
//! Inside: `node` (the bank, the demo assets, transactions), `methods` (the
//! method table and one handler per method), `wire` (Solana's wire types and
//! params), `websocket`, `server` (HTTP routing and CORS) and `web` (the page).

mod chain;
mod hub;
mod keypair;
mod methods;
mod node;
mod record;
mod server;
mod web;
mod websocket;
mod wire;

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

pub use keypair::{read_keypair, write_new_keypair};
pub use node::DemoMint;
pub use web::web_dir as default_web_dir;

/// The node's admin (also guardian and treasury): a keypair file, read at
/// start, or a keypair in hand.
pub enum AdminKeypair {
    /// A Solana CLI keypair file; a missing or invalid file ends [`run`] with 2.
    File(PathBuf),
    Keypair(Keypair),
}

impl From<PathBuf> for AdminKeypair {
    fn from(path: PathBuf) -> AdminKeypair {
        AdminKeypair::File(path)
    }
}

impl From<Keypair> for AdminKeypair {
    fn from(keypair: Keypair) -> AdminKeypair {
        AdminKeypair::Keypair(keypair)
    }
}

/// How to run the node.
pub struct Options {
    /// The JSON-RPC port; the websocket listens on `port + 1`.
    pub port: u16,
    /// The address both listen on: 127.0.0.1 unless told otherwise.
    pub bind_address: IpAddr,
    pub keypair: AdminKeypair,
    /// The protocol's governance delay, seconds.
    pub governance_delay: u64,
    /// The demo mint, its pool and the admin's 1,000,000 tokens; `None`: none.
    pub demo: Option<DemoMint>,
    /// Where the built staking page is; `None`: [`default_web_dir`].
    pub web_dir: Option<PathBuf>,
}

impl Options {
    /// Port 8899, no governance delay, an SPL Token demo mint, the default page.
    pub fn new(keypair: impl Into<AdminKeypair>) -> Options {
        Options {
            port: 8899,
            bind_address: IpAddr::V4(Ipv4Addr::LOCALHOST),
            keypair: keypair.into(),
            governance_delay: 0,
            demo: Some(DemoMint::SplToken),
            web_dir: None,
        }
    }
}

/// Runs the node: starts the bank, listens on `127.0.0.1:port` and
/// `port + 1`, writes the banner to `out`, and serves until the process ends.
/// Exit status 2 (with `error: …` on stderr) when the keypair cannot be read,
/// the bank cannot be set up, or a port is taken.
pub fn run(mut out: impl Write, options: Options) -> ExitCode {
    let Options {
        port,
        bind_address,
        keypair,
        governance_delay,
        demo,
        web_dir,
    } = options;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let admin = match keypair {
        AdminKeypair::Keypair(k) => k,
        AdminKeypair::File(path) => match read_keypair(&path) {
            Ok(k) => k,
            Err(e) => {
                eprintln!("error: {e:#}");
                return ExitCode::from(2);
            }
        },
    };
    let (mut node, demo_mint) =
        match runtime.block_on(node::Node::start(&admin, governance_delay, demo)) {
            Ok(n) => n,
            Err(e) => {
                eprintln!("error: {e:#}");
                return ExitCode::from(2);
            }
        };
    let http = match tiny_http::Server::http((bind_address, port)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen on {bind_address}:{port}: {e}");
            return ExitCode::from(2);
        }
    };
    let ws_port = port.wrapping_add(1);
    match TcpListener::bind((bind_address, ws_port)) {
        Ok(listener) => {
            let hub = node.hub();
            std::thread::spawn(move || websocket::serve(listener, hub));
        }
        Err(e) => {
            eprintln!("error: cannot listen on {bind_address}:{ws_port}: {e}");
            return ExitCode::from(2);
        }
    }
    let web_dir = web_dir.unwrap_or_else(web::web_dir);
    let text = banner(
        bind_address,
        port,
        governance_delay,
        &admin.pubkey(),
        &web_dir,
        demo_mint,
        backstop_bank::sbf(),
    );
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    server::serve(http, &mut node, &runtime, &web_dir, port);
    ExitCode::SUCCESS
}

/// What the node prints once it listens.
fn banner(
    host: IpAddr,
    port: u16,
    governance_delay: u64,
    admin: &Pubkey,
    web_dir: &Path,
    demo_mint: Option<Pubkey>,
    sbf: bool,
) -> String {
    let ws_port = port.wrapping_add(1);
    let page = if web::is_built(web_dir) {
        format!("http://{host}:{port}/ (from {})", web_dir.display())
    } else {
        format!(
            "not built (no {}): run `npm run build:web`",
            web_dir.join("index.html").display()
        )
    };
    // The runtime, so nobody takes native compute units for the program's.
    let runtime = if sbf {
        "the SBF build (target/deploy/backstop.so) on the SBF VM, upgradeable"
    } else {
        "the native build"
    };
    let banner = format!(
        "backstop localnet\n  JSON-RPC URL: http://{host}:{port}\n  WebSocket URL: ws://{host}:{ws_port}\n  program: {} ({runtime})\n  admin, guardian and treasury: {admin}\n  governance_delay: {governance_delay} s\n  extra methods: backstop_advanceClock [seconds], backstop_devWallet (the keypair's secret key, for the page's dev wallet)\n  staking page: {page}\n",
        backstop_client::PROGRAM_ID,
    );
    match demo_mint {
        Some(mint) => format!(
            "{banner}  demo mint: {mint}\n    (6 decimals, your keypair is its mint authority; its pool exists; your associated token account holds 1,000,000)\n"
        ),
        None => banner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner() {
        let admin = Pubkey::new_unique();
        let mint = Pubkey::new_unique();
        let dir = Path::new("/nonexistent/web/dist");
        let host = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let text = banner(host, 9000, 60, &admin, dir, Some(mint), false);
        let expected = format!(
            "backstop localnet
  JSON-RPC URL: http://127.0.0.1:9000
  WebSocket URL: ws://127.0.0.1:9001
  program: {} (the native build)
  admin, guardian and treasury: {admin}
  governance_delay: 60 s
  extra methods: backstop_advanceClock [seconds], backstop_devWallet (the keypair's secret key, for the page's dev wallet)
  staking page: not built (no /nonexistent/web/dist/index.html): run `npm run build:web`
  demo mint: {mint}
    (6 decimals, your keypair is its mint authority; its pool exists; your associated token account holds 1,000,000)
",
            backstop_client::PROGRAM_ID
        );
        assert_eq!(text, expected);
        let without = banner(host, 9000, 60, &admin, dir, None, false);
        assert!(without.ends_with("run `npm run build:web`\n"));
        assert!(!without.contains("demo mint"));
    }

    #[test]
    fn options_default_to_the_cli_defaults() {
        let options = Options::new(PathBuf::from("id.json"));
        assert_eq!(options.port, 8899);
        assert_eq!(options.bind_address, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(options.governance_delay, 0);
        assert_eq!(options.demo, Some(DemoMint::SplToken));
        assert!(options.web_dir.is_none());
        assert!(matches!(options.keypair, AdminKeypair::File(p) if p == Path::new("id.json")));
    }
}
