//! The two runtimes a [`Bank`](crate::Bank) runs on, behind one interface:
//!
//! - **native** (the default): solana-program-test 3.1 with the program
//!   compiled for the host and registered with `processor!`. Fast to build,
//!   debuggable, and the only one the heap meter ([`crate::heap`]) sees into.
//! - **SBF** (`BACKSTOP_SBF=1`, or [`use_sbf`]): the `.so` files `sbf/build`
//!   writes, run by the SBF virtual machine of the `backstop-vm` process
//!   (crates/vm: LiteSVM on agave 4.x, a workspace of its own). program-test 3.1 refuses the SBPF v3 program
//!   `sbf/build` produces; `backstop-vm` runs it. Each program is loaded
//!   upgradeable, with a ProgramData account whose upgrade authority is the
//!   bank's fee payer, as `solana program deploy` leaves it.
//!
//! Transactions cross to the VM's process as their wire bytes and errors come back as
//! bincode of the `TransactionError`: the VM is built on other versions of
//! the solana crates, whose types are not these.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};

use solana_account::Account;
use solana_clock::Clock;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_message::compiled_instruction::CompiledInstruction;
use solana_message::inner_instruction::InnerInstruction;
use solana_program_test::ProgramTestContext;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

use crate::Outcome;
use crate::vm_process::{AccountBytes, ClockState, VmProcess};

/// The environment variable that puts every bank of the process on the SBF VM.
pub const SBF_ENV: &str = "BACKSTOP_SBF";
/// Where the `.so` files are read from in SBF mode, if not `target/deploy`
/// of the checkout this crate was built from.
pub const SBF_DIR_ENV: &str = "BACKSTOP_SBF_DIR";

/// 0: not decided (read [`SBF_ENV`]), 1: native, 2: SBF.
static MODE: AtomicU8 = AtomicU8::new(0);

/// Puts every bank started from now on on the SBF VM (`true`) or native
/// (`false`), whatever [`SBF_ENV`] says (`backstop simulate --sbf`).
pub fn use_sbf(on: bool) {
    MODE.store(if on { 2 } else { 1 }, Ordering::SeqCst);
}

/// Whether banks run the SBF build: [`use_sbf`] if it was called, else
/// `BACKSTOP_SBF=1`.
pub fn sbf() -> bool {
    match MODE.load(Ordering::SeqCst) {
        1 => false,
        2 => true,
        _ => std::env::var(SBF_ENV).is_ok_and(|v| v == "1"),
    }
}

/// For a test that only makes sense natively: prints why it is skipped and
/// answers `true` when banks run on the SBF VM.
pub fn skip_on_sbf(test: &str, why: &str) -> bool {
    let skip = sbf();
    if skip {
        loud(&format!(
            "SKIPPED on the SBF VM ({SBF_ENV}=1): {test} is native-only: {why}"
        ));
    }
    skip
}

/// For a test that only makes sense on the SBF VM: prints why it is skipped
/// and answers `true` when banks run natively.
pub fn skip_natively(test: &str, why: &str) -> bool {
    let skip = !sbf();
    if skip {
        loud(&format!(
            "SKIPPED natively: {test} runs only on the SBF VM ({SBF_ENV}=1): {why}"
        ));
    }
    skip
}

/// Writes a line to the process's stderr itself: libtest captures what
/// `eprintln!` prints in a passing test, not what goes to the descriptor.
fn loud(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// A folder [`use_sbf_dir`] put in place of the usual one.
static SBF_DIR_OVERRIDE: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// Reads the SBF programs of every bank started from now on from `dir`
/// (`None`: back to [`sbf_dir`]'s usual folder): `bench --sbf` runs its
/// shapes again on the heap-probe build in `target/deploy/heap-probe`.
pub fn use_sbf_dir(dir: Option<PathBuf>) {
    *SBF_DIR_OVERRIDE.lock().unwrap_or_else(|p| p.into_inner()) = dir;
}

/// The folder the SBF programs are read from: [`use_sbf_dir`]'s, else
/// [`SBF_DIR_ENV`], else the checkout's `target/deploy` (where `sbf/build`
/// writes).
pub fn sbf_dir() -> PathBuf {
    if let Some(dir) = SBF_DIR_OVERRIDE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
    {
        return dir;
    }
    match std::env::var_os(SBF_DIR_ENV) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/deploy"),
    }
}

/// The ELF of program `name` (`backstop`, `backstop_test_host`, ...).
pub fn sbf_program(name: &str) -> Vec<u8> {
    let path = sbf_dir().join(format!("{name}.so"));
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{SBF_ENV}=1 runs the SBF build, but {} cannot be read ({e}): \
             run `sbf/build --with-test-programs` first (docs/sbf.md)",
            path.display()
        )
    })
}

/// The SBF VM and what the bank keeps beside it.
pub(crate) struct VmBackend {
    pub vm: VmProcess,
    pub payer: Keypair,
    /// The first blockhash, standing for the genesis hash.
    pub genesis: Hash,
}

pub(crate) enum Backend {
    Native(Box<ProgramTestContext>),
    Vm(Box<VmBackend>),
}

/// What the bank's payer starts with on the VM (program-test gives its payer
/// 500,000,000 SOL of its genesis).
const VM_PAYER_LAMPORTS: u64 = 500_000_000 * crate::LAMPORTS_PER_SOL;

impl VmBackend {
    /// A VM with Backstop and `extra` programs (by `.so` name) loaded
    /// upgradeable, the fee payer their upgrade authority.
    pub fn start(extra: &[(&'static str, Pubkey)]) -> VmBackend {
        let vm = VmProcess::start();
        // The same payer in every bank (it pays rent and fees; compute units
        // must not depend on who pays).
        let payer = crate::deterministic_keypair("backstop bank: payer");
        vm.set_account(
            payer.pubkey().to_bytes(),
            AccountBytes {
                lamports: VM_PAYER_LAMPORTS,
                ..Default::default()
            },
        )
        .expect("fund the payer");
        let programs = std::iter::once(("backstop", backstop::ID)).chain(extra.iter().copied());
        for (name, id) in programs {
            let elf = sbf_program(name);
            vm.add_upgradeable_program(id.to_bytes(), &elf, Some(payer.pubkey().to_bytes()))
                .unwrap_or_else(|e| panic!("loading {name}.so into the SBF VM: {e}"));
        }
        let genesis = Hash::new_from_array(vm.latest_blockhash());
        VmBackend { vm, payer, genesis }
    }

    pub fn process(
        &mut self,
        tx: &VersionedTransaction,
        simulate: bool,
    ) -> Result<Outcome, String> {
        let bytes = bincode::serialize(tx).map_err(|e| e.to_string())?;
        let outcome = if simulate {
            self.vm.simulate(&bytes)?
        } else {
            self.vm.send(&bytes)?
        };
        let result = match outcome.error {
            None => Ok(()),
            Some(bytes) => Err(
                bincode::deserialize::<TransactionError>(&bytes).map_err(|e| {
                    format!(
                        "the VM's error ({}) does not decode: {e}",
                        outcome.error_text.unwrap_or_default()
                    )
                })?,
            ),
        };
        let inner_instructions = outcome
            .inner_instructions
            .into_iter()
            .map(|calls| {
                calls
                    .into_iter()
                    .map(|call| InnerInstruction {
                        instruction: CompiledInstruction {
                            program_id_index: call.program_id_index,
                            accounts: call.accounts,
                            data: call.data,
                        },
                        stack_height: call.stack_height,
                    })
                    .collect()
            })
            .collect();
        let post_accounts = simulate.then(|| {
            outcome
                .post_accounts
                .into_iter()
                .map(|(key, a)| (Pubkey::new_from_array(key), account_from_bytes(a)))
                .collect()
        });
        Ok(Outcome {
            result,
            logs: outcome.logs,
            compute_units: outcome.compute_units,
            loaded_accounts_data_size: None,
            inner_instructions: Some(inner_instructions),
            return_data: outcome
                .return_data
                .map(|(program, data)| (Pubkey::new_from_array(program), data)),
            post_accounts,
        })
    }

    pub fn account(&self, key: Pubkey) -> Option<Account> {
        self.vm.account(key.to_bytes()).map(account_from_bytes)
    }

    pub fn set_account(&mut self, key: Pubkey, account: Account) {
        self.vm
            .set_account(
                key.to_bytes(),
                AccountBytes {
                    lamports: account.lamports,
                    data: account.data,
                    owner: account.owner.to_bytes(),
                    executable: account.executable,
                },
            )
            .unwrap_or_else(|e| panic!("set_account {key}: {e}"));
    }

    pub fn clock(&self) -> Clock {
        let c = self.vm.clock();
        Clock {
            slot: c.slot,
            epoch_start_timestamp: c.epoch_start_timestamp,
            epoch: c.epoch,
            leader_schedule_epoch: c.leader_schedule_epoch,
            unix_timestamp: c.unix_timestamp,
        }
    }

    pub fn set_clock(&mut self, c: &Clock) {
        self.vm.set_clock(ClockState {
            slot: c.slot,
            epoch_start_timestamp: c.epoch_start_timestamp,
            epoch: c.epoch,
            leader_schedule_epoch: c.leader_schedule_epoch,
            unix_timestamp: c.unix_timestamp,
        });
    }
}

fn account_from_bytes(a: AccountBytes) -> Account {
    Account {
        lamports: a.lamports,
        data: a.data,
        owner: Pubkey::new_from_array(a.owner),
        executable: a.executable,
        rent_epoch: u64::MAX,
    }
}
