//! The SBF virtual machine the bank runs `BACKSTOP_SBF=1` passes on: LiteSVM
//! (the `litesvm` crate, built on agave 4.x), behind an API of plain bytes and
//! integers.
//!
//! Why a workspace and a process of its own: the program, anchor-lang 1.2.2
//! and solana-program-test 3.1 are on the 3.x solana crates, litesvm on agave
//! 4.x; the two sets of types do not mix in one crate, and litesvm's `~` pins
//! would move the 3.x crates of a shared `Cargo.lock`. The bank runs the
//! `backstop-vm` binary and speaks [`protocol`] with it. Everything that
//! crosses is bytes: transactions go in as their wire encoding
//! (bincode of a `Transaction` or `VersionedTransaction`, the same bytes a
//! cluster receives), errors come out as bincode of the `TransactionError`,
//! accounts as lamports, data, owner and the executable flag.
//!
//! Why LiteSVM and not solana-program-test: program-test 3.1 (agave 3.1,
//! solana-sbpf 0.13) refuses the SBPF v3 program `sbf/build` writes
//! ("Program is not deployed"); agave 4.x runs it. `LiteSVM::new()` runs the
//! features active on mainnet (SBPF v3 deployment and execution among them)
//! and brings SPL Token, Token-2022 and the associated token account program
//! as SBF programs.

use std::collections::VecDeque;

use litesvm::LiteSVM;
use solana_account::Account;
use solana_address::Address;
use solana_clock::Clock;
use solana_epoch_schedule::EpochSchedule;
use solana_hash::Hash;
use solana_loader_v3_interface::state::UpgradeableLoaderState;
use solana_slot_hashes::SlotHashes;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

pub mod protocol;
pub use protocol::{AccountBytes, ClockState, InnerCall, Key, Outcome};
use protocol::{Request, Response};

/// The BPF upgradeable loader (`BPFLoaderUpgradeab1e11111111111111111111111`).
pub const UPGRADEABLE_LOADER: Key = solana_sdk_ids::bpf_loader_upgradeable::ID.to_bytes();

/// Log bytes a transaction may write before the runtime truncates them: the
/// limit solana-program-test's bank uses, so both backends keep as much.
const LOG_BYTES_LIMIT: usize = 1_000_000;

/// How many blocks a blockhash stays valid for after its own (a cluster's
/// `MAX_PROCESSING_AGE`): `lastValidBlockHeight` is its height plus this.
pub const BLOCKHASH_VALID_BLOCKS: usize = 150;

/// The virtual machine and its accounts.
pub struct Vm {
    svm: LiteSVM,
    /// The blockhashes a transaction may name, newest last: LiteSVM accepts
    /// only its latest, a cluster any of the last 151 (the check is made here).
    recent: VecDeque<Hash>,
    /// `SlotHashes`, newest first, as the runtime keeps it.
    slot_hashes: Vec<(u64, Hash)>,
}

impl Default for Vm {
    fn default() -> Self {
        Vm::new()
    }
}

impl Vm {
    /// A VM with mainnet's active features, the builtins, the sysvars, SPL
    /// Token, Token-2022 and the associated token account program.
    pub fn new() -> Vm {
        let svm = LiteSVM::new()
            .with_log_bytes_limit(Some(LOG_BYTES_LIMIT))
            .with_blockhash_check(false);
        let recent = VecDeque::from([svm.latest_blockhash()]);
        let slot_hashes = vec![(svm.get_sysvar::<Clock>().slot, svm.latest_blockhash())];
        Vm {
            svm,
            recent,
            slot_hashes,
        }
    }

    /// Whether `tx` names a blockhash still valid, or uses a durable nonce
    /// (its first instruction advances a nonce account; the system program
    /// checks the nonce itself).
    fn blockhash_is_valid(&self, tx: &VersionedTransaction) -> bool {
        let message = &tx.message;
        if self.recent.contains(message.recent_blockhash()) {
            return true;
        }
        let advance_nonce = 4u32.to_le_bytes();
        message.instructions().first().is_some_and(|ix| {
            message
                .static_account_keys()
                .get(usize::from(ix.program_id_index))
                == Some(&solana_sdk_ids::system_program::ID)
                && ix.data.starts_with(&advance_nonce)
        })
    }

    /// Moves to the next slot (see [`Request::AdvanceSlot`]).
    pub fn advance_slot(&mut self, unix_timestamp: i64) {
        let mut clock = self.svm.get_sysvar::<Clock>();
        let parent_hash = self.svm.latest_blockhash();
        self.slot_hashes.insert(0, (clock.slot, parent_hash));
        self.slot_hashes.truncate(solana_slot_hashes::MAX_ENTRIES);
        self.svm.set_sysvar(&SlotHashes::new(&self.slot_hashes));
        clock.slot += 1;
        let epoch = self.svm.get_sysvar::<EpochSchedule>().get_epoch(clock.slot);
        if epoch != clock.epoch {
            clock.epoch = epoch;
            clock.leader_schedule_epoch = epoch + 1;
            clock.epoch_start_timestamp = unix_timestamp;
        }
        clock.unix_timestamp = unix_timestamp;
        self.svm.set_sysvar(&clock);
        self.expire_blockhash();
    }

    /// The ProgramData address of `program_id` under the upgradeable loader.
    pub fn program_data_address(program_id: Key) -> Key {
        solana_loader_v3_interface::get_program_data_address(&Address::new_from_array(program_id))
            .to_bytes()
    }

    /// Loads `elf` as an upgradeable program, as a deployment leaves it: the
    /// program account (owned by the upgradeable loader, executable) points
    /// at its ProgramData account, whose header names `upgrade_authority`
    /// (`None`: immutable) and which holds the ELF.
    pub fn add_upgradeable_program(
        &mut self,
        program_id: Key,
        elf: &[u8],
        upgrade_authority: Option<Key>,
    ) -> Result<(), String> {
        let id = Address::new_from_array(program_id);
        // litesvm writes both accounts and verifies and caches the program;
        // its ProgramData has no upgrade authority, so write the header again.
        self.svm
            .add_program(id, elf)
            .map_err(|e| format!("loading the program {id}: {e}"))?;
        let data_key = Address::new_from_array(Self::program_data_address(program_id));
        let mut account = self
            .svm
            .get_account(&data_key)
            .ok_or_else(|| format!("no ProgramData account at {data_key} after loading {id}"))?;
        let header = bincode::serialize(&UpgradeableLoaderState::ProgramData {
            slot: self.svm.get_sysvar::<Clock>().slot,
            upgrade_authority_address: upgrade_authority.map(Address::new_from_array),
        })
        .map_err(|e| e.to_string())?;
        let metadata = UpgradeableLoaderState::size_of_programdata_metadata();
        if header.len() > metadata {
            return Err(format!("ProgramData header of {} bytes", header.len()));
        }
        account.data[..metadata].fill(0);
        account.data[..header.len()].copy_from_slice(&header);
        self.svm
            .set_account(data_key, account)
            .map_err(|e| e.to_string())
    }

    /// Processes a signed transaction given as its wire bytes. `Err` only
    /// when the bytes are not a transaction.
    pub fn send(&mut self, tx: &[u8]) -> Result<Outcome, String> {
        let tx = decode_transaction(tx)?;
        if !self.blockhash_is_valid(&tx) {
            return Ok(blockhash_not_found());
        }
        Ok(match self.svm.send_transaction(tx) {
            Ok(meta) => succeeded(meta),
            Err(failed) => failure(failed.err, failed.meta),
        })
    }

    /// Runs a transaction without keeping its effects; the outcome carries
    /// the accounts as it left them.
    pub fn simulate(&self, tx: &[u8]) -> Result<Outcome, String> {
        let tx = decode_transaction(tx)?;
        if !self.blockhash_is_valid(&tx) {
            return Ok(blockhash_not_found());
        }
        Ok(match self.svm.simulate_transaction(tx) {
            Ok(info) => Outcome {
                post_accounts: info
                    .post_accounts
                    .into_iter()
                    .map(|(key, account)| (key.to_bytes(), account_bytes(Account::from(account))))
                    .collect(),
                ..succeeded(info.meta)
            },
            Err(failed) => failure(failed.err, failed.meta),
        })
    }

    pub fn account(&self, key: Key) -> Option<AccountBytes> {
        let account = self.svm.get_account(&Address::new_from_array(key))?;
        // An account emptied of lamports no longer exists.
        (account.lamports > 0).then(|| account_bytes(account))
    }

    /// Writes an account as it stands (an executable one owned by a loader
    /// is verified and loaded as a program).
    pub fn set_account(&mut self, key: Key, account: AccountBytes) -> Result<(), String> {
        let account = Account {
            lamports: account.lamports,
            data: account.data,
            owner: Address::new_from_array(account.owner),
            executable: account.executable,
            rent_epoch: u64::MAX,
        };
        self.svm
            .set_account(Address::new_from_array(key), account)
            .map_err(|e| e.to_string())
    }

    pub fn clock(&self) -> ClockState {
        let c = self.svm.get_sysvar::<Clock>();
        ClockState {
            slot: c.slot,
            epoch_start_timestamp: c.epoch_start_timestamp,
            epoch: c.epoch,
            leader_schedule_epoch: c.leader_schedule_epoch,
            unix_timestamp: c.unix_timestamp,
        }
    }

    pub fn set_clock(&mut self, c: ClockState) {
        self.svm.set_sysvar(&Clock {
            slot: c.slot,
            epoch_start_timestamp: c.epoch_start_timestamp,
            epoch: c.epoch,
            leader_schedule_epoch: c.leader_schedule_epoch,
            unix_timestamp: c.unix_timestamp,
        });
    }

    /// The blockhash a new transaction must name.
    pub fn latest_blockhash(&self) -> [u8; 32] {
        self.svm.latest_blockhash().to_bytes()
    }

    /// Moves to a new blockhash; the last 150 before it stay valid.
    pub fn expire_blockhash(&mut self) {
        self.svm.expire_blockhash();
        self.recent.push_back(self.svm.latest_blockhash());
        while self.recent.len() > BLOCKHASH_VALID_BLOCKS + 1 {
            self.recent.pop_front();
        }
    }

    /// The rent-exempt minimum balance of an account of `len` bytes.
    pub fn minimum_balance(&self, len: usize) -> u64 {
        self.svm.minimum_balance_for_rent_exemption(len)
    }
}

/// Answers requests from `input` on `output` until `input` ends: the
/// `backstop-vm` process the bank drives (see [`protocol`]).
pub fn serve(
    input: &mut impl std::io::Read,
    output: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let mut vm = Vm::new();
    while let Some(request) = protocol::read_frame::<Request>(input)? {
        let response = vm.answer(request);
        protocol::write_frame(output, &response)?;
    }
    Ok(())
}

impl Vm {
    /// Carries out one request.
    pub fn answer(&mut self, request: Request) -> Response {
        let done = |r: Result<(), String>| r.map_or_else(Response::Failed, |()| Response::Done);
        match request {
            Request::AddUpgradeableProgram {
                program_id,
                elf,
                upgrade_authority,
            } => done(self.add_upgradeable_program(program_id, &elf, upgrade_authority)),
            Request::Send(tx) => self
                .send(&tx)
                .map_or_else(Response::Failed, Response::Outcome),
            Request::Simulate(tx) => self
                .simulate(&tx)
                .map_or_else(Response::Failed, Response::Outcome),
            Request::Account(key) => Response::Account(self.account(key)),
            Request::SetAccount(key, account) => done(self.set_account(key, account)),
            Request::Clock => Response::Clock(self.clock()),
            Request::SetClock(clock) => {
                self.set_clock(clock);
                Response::Done
            }
            Request::LatestBlockhash => Response::Blockhash(self.latest_blockhash()),
            Request::ExpireBlockhash => {
                self.expire_blockhash();
                Response::Done
            }
            Request::AdvanceSlot { unix_timestamp } => {
                self.advance_slot(unix_timestamp);
                Response::Done
            }
            Request::MinimumBalance(len) => Response::Lamports(self.minimum_balance(len as usize)),
        }
    }
}

fn decode_transaction(bytes: &[u8]) -> Result<VersionedTransaction, String> {
    bincode::deserialize::<VersionedTransaction>(bytes)
        .map_err(|e| format!("not a transaction ({} bytes): {e}", bytes.len()))
}

fn account_bytes(account: Account) -> AccountBytes {
    AccountBytes {
        lamports: account.lamports,
        owner: account.owner.to_bytes(),
        executable: account.executable,
        data: account.data,
    }
}

/// What the runtime reported, whether the transaction succeeded or not.
fn succeeded(meta: litesvm::types::TransactionMetadata) -> Outcome {
    let inner_instructions = meta
        .inner_instructions
        .iter()
        .map(|calls| {
            calls
                .iter()
                .map(|call| InnerCall {
                    program_id_index: call.instruction.program_id_index,
                    accounts: call.instruction.accounts.clone(),
                    data: call.instruction.data.clone(),
                    stack_height: call.stack_height,
                })
                .collect()
        })
        .collect();
    let data = &meta.return_data;
    Outcome {
        logs: meta.logs,
        compute_units: meta.compute_units_consumed,
        fee: meta.fee,
        inner_instructions,
        return_data: (!data.data.is_empty())
            .then(|| (data.program_id.to_bytes(), data.data.clone())),
        ..Outcome::default()
    }
}

fn failure(err: TransactionError, meta: litesvm::types::TransactionMetadata) -> Outcome {
    Outcome {
        error: Some(bincode::serialize(&err).expect("TransactionError serializes")),
        error_text: Some(err.to_string()),
        ..succeeded(meta)
    }
}

/// A transaction naming a blockhash that is unknown or older than 150
/// blocks: refused before it runs, as a cluster refuses it.
fn blockhash_not_found() -> Outcome {
    failure(
        TransactionError::BlockhashNotFound,
        litesvm::types::TransactionMetadata::default(),
    )
}
