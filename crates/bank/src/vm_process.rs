//! The SBF virtual machine as a child process: `backstop-vm` (crates/vm, a
//! workspace of its own on agave 4.x), spoken to through its stdin and
//! stdout in the frames of `crates/vm/src/protocol.rs`. One process per
//! bank; it ends when the bank drops its stdin.

use std::io::{BufReader, BufWriter};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

#[path = "../../vm/src/protocol.rs"]
mod protocol;
pub use protocol::{AccountBytes, ClockState, Key, Outcome};
use protocol::{Request, Response};

/// Where the `backstop-vm` binary is, if not the checkout's
/// `target/vm/release/backstop-vm` (where `sbf/build --with-test-programs`
/// builds it).
pub const VM_BIN_ENV: &str = "BACKSTOP_VM_BIN";

/// The `backstop-vm` binary: [`VM_BIN_ENV`], else the checkout's build.
pub fn vm_binary() -> PathBuf {
    match std::env::var_os(VM_BIN_ENV) {
        Some(path) => PathBuf::from(path),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/vm/release/backstop-vm")
        }
    }
}

struct Pipes {
    input: BufWriter<ChildStdin>,
    output: BufReader<ChildStdout>,
}

/// A running `backstop-vm`.
pub struct VmProcess {
    child: Child,
    pipes: Mutex<Pipes>,
}

impl VmProcess {
    /// Starts a VM with mainnet's features, the builtins, SPL Token,
    /// Token-2022 and the associated token account program.
    pub fn start() -> VmProcess {
        let binary = vm_binary();
        let mut child = Command::new(&binary)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "the SBF VM pass runs {} ({e}): build it with \
                     `sbf/build --with-test-programs` (docs/sbf.md), or name another with {VM_BIN_ENV}",
                    binary.display()
                )
            });
        let pipes = Pipes {
            input: BufWriter::new(child.stdin.take().expect("piped stdin")),
            output: BufReader::new(child.stdout.take().expect("piped stdout")),
        };
        VmProcess {
            child,
            pipes: Mutex::new(pipes),
        }
    }

    fn call(&self, request: Request) -> Response {
        let mut pipes = self.pipes.lock().unwrap_or_else(|p| p.into_inner());
        let sent = protocol::write_frame(&mut pipes.input, &request);
        let answer = sent.and_then(|()| protocol::read_frame::<Response>(&mut pipes.output));
        match answer {
            Ok(Some(response)) => response,
            Ok(None) => panic!("backstop-vm ended without answering (see its stderr above)"),
            Err(e) => panic!("talking to backstop-vm: {e}"),
        }
    }

    fn done(&self, request: Request) -> Result<(), String> {
        match self.call(request) {
            Response::Done => Ok(()),
            Response::Failed(e) => Err(e),
            other => Err(unexpected(&other)),
        }
    }

    pub fn add_upgradeable_program(
        &self,
        program_id: Key,
        elf: &[u8],
        upgrade_authority: Option<Key>,
    ) -> Result<(), String> {
        self.done(Request::AddUpgradeableProgram {
            program_id,
            elf: elf.to_vec(),
            upgrade_authority,
        })
    }

    fn outcome(&self, request: Request) -> Result<Outcome, String> {
        match self.call(request) {
            Response::Outcome(outcome) => Ok(outcome),
            Response::Failed(e) => Err(e),
            other => Err(unexpected(&other)),
        }
    }

    /// Processes a signed transaction given as its wire bytes.
    pub fn send(&self, tx: &[u8]) -> Result<Outcome, String> {
        self.outcome(Request::Send(tx.to_vec()))
    }

    /// Runs a transaction without keeping its effects.
    pub fn simulate(&self, tx: &[u8]) -> Result<Outcome, String> {
        self.outcome(Request::Simulate(tx.to_vec()))
    }

    pub fn account(&self, key: Key) -> Option<AccountBytes> {
        match self.call(Request::Account(key)) {
            Response::Account(account) => account,
            other => panic!("{}", unexpected(&other)),
        }
    }

    pub fn set_account(&self, key: Key, account: AccountBytes) -> Result<(), String> {
        self.done(Request::SetAccount(key, account))
    }

    pub fn clock(&self) -> ClockState {
        match self.call(Request::Clock) {
            Response::Clock(clock) => clock,
            other => panic!("{}", unexpected(&other)),
        }
    }

    pub fn set_clock(&self, clock: ClockState) {
        if let Err(e) = self.done(Request::SetClock(clock)) {
            panic!("setting the VM's clock: {e}");
        }
    }

    /// The blockhash a new transaction must name.
    pub fn latest_blockhash(&self) -> Key {
        match self.call(Request::LatestBlockhash) {
            Response::Blockhash(hash) => hash,
            other => panic!("{}", unexpected(&other)),
        }
    }

    /// Moves the VM to its next slot, the clock at `unix_timestamp`.
    pub fn advance_slot(&self, unix_timestamp: i64) -> Result<(), String> {
        self.done(Request::AdvanceSlot { unix_timestamp })
    }

    /// The rent-exempt minimum balance of an account of `len` bytes.
    pub fn minimum_balance(&self, len: usize) -> u64 {
        match self.call(Request::MinimumBalance(len as u64)) {
            Response::Lamports(lamports) => lamports,
            other => panic!("{}", unexpected(&other)),
        }
    }
}

fn unexpected(response: &Response) -> String {
    format!("backstop-vm answered out of turn: {response:?}")
}

impl Drop for VmProcess {
    fn drop(&mut self) {
        // The VM holds nothing worth a clean shutdown; reap it so no zombie
        // is left behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
