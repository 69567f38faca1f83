// solana-program-test 3.x marks its API as "unstable" via deprecation notes; it is
// the supported way to run a program in-process, so those notes are silenced.
#![allow(deprecated)]

//! The in-process bank: the Backstop program and the real SPL Token
//! programs, driven by real signed transactions. Shared by `backstop
//! simulate`, the benchmarks, the local node and the tests. It runs the
//! native build inside `solana-program-test` by default, or the SBF build
//! (`sbf/build`) on the SBF virtual machine with `BACKSTOP_SBF=1`: see
//! [`backend`].

use anchor_lang::prelude::AccountInfo;
use anchor_lang::solana_program::entrypoint::ProgramResult;
use solana_account::Account;
use solana_clock::Clock;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_hash::Hash;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::inner_instruction::InnerInstructionsList;
use solana_program_runtime::invoke_context::BuiltinFunctionWithContext;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

pub use backstop_client as client;
pub use mint_extension::{MintExtension, PYUSD_OPT_INS};

pub mod backend;
mod vm_process;
pub use vm_process::{VM_BIN_ENV, vm_binary};
mod chain;
mod deploy;
pub mod heap;
mod logs;
mod mint_extension;
mod read_cache;
mod scratch;
mod stdout;
pub use logs::runtime_logs;
mod token;
use backend::{Backend, VmBackend};
pub use backend::{
    SBF_DIR_ENV, SBF_ENV, sbf, sbf_dir, skip_natively, skip_on_sbf, use_sbf, use_sbf_dir,
};
pub use solana_program_test::{ProgramTest, processor};
pub use stdout::take_stdout;

/// The program's entrypoint as the bank runs it (metered, see [`heap`]).
/// Anchor's generated `entry` ties every lifetime together; `processor!`
/// hands us independent ones. The accounts live for the whole call, so the
/// lifetimes are erased to fit.
pub fn process_instruction(
    program_id: &Pubkey,
    accounts: &[AccountInfo],
    data: &[u8],
) -> ProgramResult {
    let accounts: &[AccountInfo] = unsafe { std::mem::transmute(accounts) };
    heap::metered(data, || backstop::entry(program_id, accounts, data))
}

/// Why a transaction was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxError {
    /// The program error's name as in the IDL (`CooldownNotElapsed`), or a
    /// short description of a failure outside the program.
    pub name: String,
    pub logs: Vec<String>,
    /// What the transaction consumed before it failed (0 when it never ran).
    pub compute_units: u64,
}

impl std::fmt::Display for TxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

impl std::error::Error for TxError {}

/// What a processed transaction reported.
#[derive(Debug, Clone, Default)]
pub struct TxOk {
    pub logs: Vec<String>,
    pub compute_units: u64,
}

/// Programs a bank runs besides Backstop (a host that calls it by CPI, a
/// transfer hook): natively each is registered with `processor!`; on the SBF
/// VM its `.so` of the same name is loaded instead (see [`backend`]).
pub struct Programs {
    list: Vec<(&'static str, Pubkey, Option<BuiltinFunctionWithContext>)>,
}

impl Programs {
    /// `name` is the program's crate name with underscores, which is also
    /// the name of its `.so` (`backstop_test_host`); `native` is
    /// `processor!(its process_instruction)`.
    pub fn add_program(
        &mut self,
        name: &'static str,
        id: Pubkey,
        native: Option<BuiltinFunctionWithContext>,
    ) {
        self.list.push((name, id, native));
    }
}

pub struct Bank {
    backend: Backend,
    /// Makes every transaction unique, so repeating an identical step under
    /// the same blockhash is not refused as a duplicate.
    nonce: u32,
    /// How many keypairs [`Bank::next_keypair`] has made.
    keypairs: u64,
    last_blockhash: Hash,
    /// What [`Bank::send`] processed, kept when [`Bank::keep_journal`]
    /// asked for it (the local node lists its start-up transactions).
    journal: Option<Vec<(VersionedTransaction, Outcome)>>,
    /// Natively, the bank [`Bank::simulate_with_accounts`] runs copies in.
    scratch: Option<Box<Bank>>,
    /// Reads remembered until they can change ([`Bank::cache_reads`]).
    reads: Option<read_cache::ReadCache>,
}

pub const LAMPORTS_PER_SOL: u64 = 1_000_000_000;

/// A transaction the bank processed or simulated, as the runtime reported it
/// (logs as a cluster writes them).
#[derive(Debug, Clone)]
pub struct Outcome {
    pub result: Result<(), TransactionError>,
    pub logs: Vec<String>,
    pub compute_units: u64,
    /// Natively only.
    pub loaded_accounts_data_size: Option<u32>,
    /// The calls into other programs, per top-level instruction: from a
    /// simulation natively (processing does not report them), always on the VM.
    pub inner_instructions: Option<InnerInstructionsList>,
    /// The return data a program set: the program and its bytes.
    pub return_data: Option<(Pubkey, Vec<u8>)>,
    /// A simulation's accounts as it left them: on the VM only (the
    /// native bank's simulation does not report them).
    pub post_accounts: Option<Vec<(Pubkey, Account)>>,
}

impl Default for Outcome {
    /// Nothing ran, nothing failed.
    fn default() -> Outcome {
        Outcome {
            result: Ok(()),
            logs: Vec::new(),
            compute_units: 0,
            loaded_accounts_data_size: None,
            inner_instructions: None,
            return_data: None,
            post_accounts: None,
        }
    }
}

impl Bank {
    /// Starts a bank with the clock at `start` (unix seconds).
    pub async fn start(start: i64) -> Bank {
        Bank::start_with(start, |_| {}).await
    }

    /// Starts a bank after `configure` has added the other programs it
    /// runs, such as a host program that calls Backstop by CPI
    /// (`processor!` needs a fn item, so the caller registers it). Runs on
    /// the SBF VM when [`sbf`] says so, natively otherwise.
    pub async fn start_with(start: i64, configure: impl FnOnce(&mut Programs)) -> Bank {
        let mut programs = Programs { list: Vec::new() };
        configure(&mut programs);
        let backend = if sbf() {
            let extra: Vec<(&'static str, Pubkey)> = programs
                .list
                .iter()
                .map(|(name, id, _)| (*name, *id))
                .collect();
            Backend::Vm(Box::new(VmBackend::start(&extra)))
        } else {
            let mut program_test =
                ProgramTest::new("backstop", backstop::ID, processor!(process_instruction));
            program_test.prefer_bpf(false);
            for (name, id, native) in programs.list {
                program_test.add_program(name, id, native);
            }
            Backend::Native(Box::new(program_test.start_with_context().await))
        };
        let last_blockhash = match &backend {
            Backend::Native(ctx) => ctx.last_blockhash,
            Backend::Vm(vm) => Hash::new_from_array(vm.vm.latest_blockhash()),
        };
        let mut bank = Bank {
            backend,
            nonce: 0,
            keypairs: 0,
            last_blockhash,
            journal: None,
            scratch: None,
            reads: None,
        };
        bank.set_time(start).await;
        bank
    }

    /// A new keypair for an account the bank creates, the same sequence in
    /// every bank: a scenario then runs at the same addresses each time, so
    /// compute units on the SBF VM repeat to the unit. Test keys only: they
    /// are derived from a public label.
    pub fn next_keypair(&mut self, label: &str) -> Keypair {
        self.keypairs += 1;
        deterministic_keypair(&format!("backstop bank: {label} {}", self.keypairs))
    }

    /// Whether this bank runs the SBF build on the VM.
    pub fn is_sbf(&self) -> bool {
        matches!(self.backend, Backend::Vm(_))
    }

    pub fn payer(&self) -> &Keypair {
        match &self.backend {
            Backend::Native(ctx) => &ctx.payer,
            Backend::Vm(vm) => &vm.payer,
        }
    }

    pub fn payer_pubkey(&self) -> Pubkey {
        self.payer().pubkey()
    }

    pub async fn clock(&mut self) -> Clock {
        match &mut self.backend {
            Backend::Native(ctx) => ctx
                .banks_client
                .get_sysvar::<Clock>()
                .await
                .expect("clock sysvar"),
            Backend::Vm(vm) => vm.clock(),
        }
    }

    pub(crate) fn set_clock(&mut self, clock: &Clock) {
        self.forget_all();
        match &mut self.backend {
            Backend::Native(ctx) => ctx.set_sysvar(clock),
            Backend::Vm(vm) => vm.set_clock(clock),
        }
    }

    pub async fn now(&mut self) -> i64 {
        self.clock().await.unix_timestamp
    }

    /// Moves the cluster clock to `unix_timestamp`.
    pub async fn set_time(&mut self, unix_timestamp: i64) {
        let mut clock = self.clock().await;
        clock.unix_timestamp = unix_timestamp;
        self.set_clock(&clock);
    }

    /// Moves the clock's epoch forward (the time stays): a Token-2022
    /// transfer fee scheduled now applies two epochs on.
    pub async fn advance_epochs(&mut self, epochs: u64) {
        let mut clock = self.clock().await;
        clock.epoch += epochs;
        self.set_clock(&clock);
    }

    pub async fn advance(&mut self, seconds: i64) {
        let now = self.now().await;
        self.set_time(now + seconds).await;
    }

    /// Signs `instructions` with the bank's fee payer and `signers`, and
    /// processes them as one transaction.
    pub async fn send(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<TxOk, TxError> {
        self.nonce = self.nonce.wrapping_add(1);
        let mut all = Vec::with_capacity(instructions.len() + 1);
        all.push(ComputeBudgetInstruction::set_compute_unit_limit(
            1_400_000 - (self.nonce % 1_000_000),
        ));
        all.extend_from_slice(instructions);
        let payer = self.payer().insecure_clone();
        let mut keys: Vec<&Keypair> = vec![&payer];
        for s in signers {
            if !keys.iter().any(|k| k.pubkey() == s.pubkey()) {
                keys.push(s);
            }
        }
        // program-test registers a new recent blockhash every slot and an old
        // one expires after 150 of them, so keep ours fresh (a local call).
        if self.nonce % 32 == 1 {
            self.refresh_blockhash().await;
        }
        let mut retried = false;
        let outcome = loop {
            let mut tx = Transaction::new_with_payer(&all, Some(&payer.pubkey()));
            if let Err(e) = tx.try_sign(&keys, self.last_blockhash) {
                return Err(TxError {
                    name: format!("SignerError: {e}"),
                    logs: vec![],
                    compute_units: 0,
                });
            }
            let tx = VersionedTransaction::from(tx);
            let kept = self.journal.is_some().then(|| tx.clone());
            let outcome = self.process(tx).await.map_err(|e| TxError {
                name: e,
                logs: vec![],
                compute_units: 0,
            })?;
            if let (Some(journal), Some(tx)) = (&mut self.journal, kept) {
                journal.push((tx, outcome.clone()));
            }
            if matches!(outcome.result, Err(TransactionError::BlockhashNotFound)) && !retried {
                retried = true;
                self.refresh_blockhash().await;
                continue;
            }
            break outcome;
        };
        let Outcome {
            result,
            logs,
            compute_units,
            ..
        } = outcome;
        match result {
            Ok(()) => Ok(TxOk {
                logs,
                compute_units,
            }),
            Err(e) => Err(TxError {
                name: backstop_client::errors::describe_from_logs(&e, &logs),
                logs,
                compute_units,
            }),
        }
    }

    /// Processes a signed transaction as it is (the local node, a test that
    /// signs its own). `Err` when the bank could not take it at all.
    pub async fn process(&mut self, tx: VersionedTransaction) -> Result<Outcome, String> {
        self.forget_accounts_of(&tx);
        match &mut self.backend {
            Backend::Native(ctx) => {
                let outcome = ctx
                    .banks_client
                    .process_transaction_with_metadata(tx)
                    .await
                    .map_err(|e| format!("BanksClientError: {e}"))?;
                let (logs, compute_units) = outcome
                    .metadata
                    .map(|m| (runtime_logs(m.log_messages), m.compute_units_consumed))
                    .unwrap_or_default();
                Ok(Outcome {
                    result: outcome.result,
                    logs,
                    compute_units,
                    loaded_accounts_data_size: None,
                    inner_instructions: None,
                    return_data: None,
                    post_accounts: None,
                })
            }
            Backend::Vm(vm) => vm.process(&tx, false),
        }
    }

    /// Runs a signed transaction without keeping its effects. `result` is
    /// `None` natively when the bank did not run it at all.
    pub async fn simulate(
        &mut self,
        tx: VersionedTransaction,
    ) -> Result<(Option<Result<(), TransactionError>>, Option<Outcome>), String> {
        match &mut self.backend {
            Backend::Native(ctx) => {
                let outcome = ctx
                    .banks_client
                    .simulate_transaction(tx)
                    .await
                    .map_err(|e| format!("BanksClientError: {e}"))?;
                let details = outcome.simulation_details.map(|d| Outcome {
                    result: Ok(()),
                    logs: runtime_logs(d.logs),
                    compute_units: d.units_consumed,
                    loaded_accounts_data_size: Some(d.loaded_accounts_data_size),
                    inner_instructions: d.inner_instructions,
                    return_data: d
                        .return_data
                        .filter(|r| !r.data.is_empty())
                        .map(|r| (r.program_id, r.data)),
                    post_accounts: None,
                });
                Ok((outcome.result, details))
            }
            Backend::Vm(vm) => {
                let outcome = vm.process(&tx, true)?;
                Ok((Some(outcome.result.clone()), Some(outcome)))
            }
        }
    }

    /// The blockhash the bank signs with now.
    pub fn last_blockhash(&self) -> Hash {
        self.last_blockhash
    }

    async fn refresh_blockhash(&mut self) {
        if let Ok(hash) = self.latest_blockhash().await {
            self.last_blockhash = hash;
        }
    }

    /// The runtime's latest blockhash.
    pub async fn latest_blockhash(&mut self) -> Result<Hash, String> {
        match &mut self.backend {
            Backend::Native(ctx) => ctx
                .banks_client
                .get_latest_blockhash()
                .await
                .map_err(|e| e.to_string()),
            Backend::Vm(vm) => Ok(Hash::new_from_array(vm.vm.latest_blockhash())),
        }
    }

    /// The rent-exempt minimum balance of an account of `size` bytes.
    pub async fn minimum_balance(&mut self, size: usize) -> u64 {
        match &mut self.backend {
            Backend::Native(ctx) => ctx
                .banks_client
                .get_rent()
                .await
                .expect("rent")
                .minimum_balance(size),
            Backend::Vm(vm) => vm.vm.minimum_balance(size),
        }
    }

    pub async fn account(&mut self, key: Pubkey) -> Option<Account> {
        if let Some(read) = self.cached(&key) {
            return read;
        }
        let account = match &mut self.backend {
            Backend::Native(ctx) => ctx.banks_client.get_account(key).await.ok().flatten(),
            Backend::Vm(vm) => vm.account(key),
        };
        self.remember(key, &account);
        account
    }

    /// Writes an account as it stands (tests: a mint closed and created
    /// again, a transfer hook's accounts).
    pub fn set_account(&mut self, key: Pubkey, account: Account) {
        self.forget(&key);
        match &mut self.backend {
            Backend::Native(ctx) => {
                ctx.set_account(&key, &solana_account::AccountSharedData::from(account))
            }
            Backend::Vm(vm) => vm.set_account(key, account),
        }
    }

    /// Decodes a Backstop account, or `None` if it does not exist.
    pub async fn decode<T: anchor_lang::AccountDeserialize>(&mut self, key: Pubkey) -> Option<T> {
        self.read_with(key, |a| client::decode(&a?.data)).await
    }

    pub async fn lamports(&mut self, key: Pubkey) -> u64 {
        self.account(key).await.map(|a| a.lamports).unwrap_or(0)
    }

    /// Sends SOL from the fee payer.
    pub async fn airdrop(&mut self, to: Pubkey, lamports: u64) -> Result<TxOk, TxError> {
        let ix =
            solana_system_interface::instruction::transfer(&self.payer_pubkey(), &to, lamports);
        self.send(&[ix], &[]).await
    }
}

pub use backstop_client::errors::describe;

/// A keypair derived from `label` (SHA-256 of it as the secret key).
pub fn deterministic_keypair(label: &str) -> Keypair {
    use sha2::Digest;
    Keypair::new_from_array(sha2::Sha256::digest(label.as_bytes()).into())
}
