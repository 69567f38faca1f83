// solana-program-test 3.x marks its API as "unstable" via deprecation notes; it is
// the supported way to run a program in-process, so those notes are silenced.
#![allow(deprecated)]

//! The in-process bank: the Backstop program (native build) and the real SPL
//! Token program inside `solana-program-test`, driven by real signed
//! transactions. Shared by `backstop simulate`, the benchmarks and the tests.

use anchor_lang::prelude::AccountInfo;
use anchor_lang::solana_program::entrypoint::ProgramResult;
use solana_account::Account;
use solana_clock::Clock;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_program_test::ProgramTestContext;
use solana_pubkey::Pubkey;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

pub use backstop_client as client;
pub use token::{MintExtension, PYUSD_OPT_INS};

mod deploy;
pub mod heap;
mod logs;
mod stdout;
pub use logs::runtime_logs;
mod token;
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

pub struct Bank {
    pub ctx: ProgramTestContext,
    /// Makes every transaction unique, so repeating an identical step under
    /// the same blockhash is not refused as a duplicate.
    nonce: u32,
}

pub const LAMPORTS_PER_SOL: u64 = 1_000_000_000;

impl Bank {
    /// Starts a bank with the clock at `start` (unix seconds).
    pub async fn start(start: i64) -> Bank {
        Bank::start_with(start, |_| {}).await
    }

    /// Starts a bank after `configure` has added what else it needs, such as a
    /// host program that calls Backstop by CPI (`processor!` needs a fn item,
    /// so the caller registers it).
    pub async fn start_with(start: i64, configure: impl FnOnce(&mut ProgramTest)) -> Bank {
        let mut program_test =
            ProgramTest::new("backstop", backstop::ID, processor!(process_instruction));
        program_test.prefer_bpf(false);
        configure(&mut program_test);
        let ctx = program_test.start_with_context().await;
        let mut bank = Bank { ctx, nonce: 0 };
        bank.set_time(start).await;
        bank
    }

    pub fn payer(&self) -> &Keypair {
        &self.ctx.payer
    }

    pub fn payer_pubkey(&self) -> Pubkey {
        self.ctx.payer.pubkey()
    }

    pub async fn clock(&mut self) -> Clock {
        self.ctx
            .banks_client
            .get_sysvar::<Clock>()
            .await
            .expect("clock sysvar")
    }

    pub async fn now(&mut self) -> i64 {
        self.clock().await.unix_timestamp
    }

    /// Moves the cluster clock to `unix_timestamp`.
    pub async fn set_time(&mut self, unix_timestamp: i64) {
        let mut clock = self.clock().await;
        clock.unix_timestamp = unix_timestamp;
        self.ctx.set_sysvar(&clock);
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
        let payer = self.ctx.payer.insecure_clone();
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
            if let Err(e) = tx.try_sign(&keys, self.ctx.last_blockhash) {
                return Err(TxError {
                    name: format!("SignerError: {e}"),
                    logs: vec![],
                });
            }
            let outcome = self
                .ctx
                .banks_client
                .process_transaction_with_metadata(tx)
                .await
                .map_err(|e| TxError {
                    name: format!("BanksClientError: {e}"),
                    logs: vec![],
                })?;
            if matches!(outcome.result, Err(TransactionError::BlockhashNotFound)) && !retried {
                retried = true;
                self.refresh_blockhash().await;
                continue;
            }
            break outcome;
        };
        let (logs, compute_units) = outcome
            .metadata
            .map(|m| (runtime_logs(m.log_messages), m.compute_units_consumed))
            .unwrap_or_default();
        match outcome.result {
            Ok(()) => Ok(TxOk {
                logs,
                compute_units,
            }),
            Err(e) => Err(TxError {
                name: backstop_client::errors::describe_from_logs(&e, &logs),
                logs,
            }),
        }
    }

    async fn refresh_blockhash(&mut self) {
        if let Ok(hash) = self.ctx.banks_client.get_latest_blockhash().await {
            self.ctx.last_blockhash = hash;
        }
    }

    pub async fn account(&mut self, key: Pubkey) -> Option<Account> {
        self.ctx.banks_client.get_account(key).await.ok().flatten()
    }

    /// Writes an account as it stands (tests: a mint closed and created
    /// again, a transfer hook's accounts).
    #[allow(deprecated)] // program-test marks its API "unstable"
    pub fn set_account(&mut self, key: Pubkey, account: Account) {
        self.ctx
            .set_account(&key, &solana_account::AccountSharedData::from(account));
    }

    /// Decodes a Backstop account, or `None` if it does not exist.
    pub async fn decode<T: anchor_lang::AccountDeserialize>(&mut self, key: Pubkey) -> Option<T> {
        let account = self.account(key).await?;
        client::decode(&account.data)
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
