//! The node over the in-process bank: starting it (the protocol, and the demo
//! mint and pool), the slot and blockhash the bank is at, and transactions
//! simulated or processed, with the outcome of every processed one kept for
//! `getSignatureStatuses`, `getTransaction` and the websocket. It runs on
//! either of the bank's backends (natively, or the SBF build with
//! `BACKSTOP_SBF=1`).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use anyhow::{Result, anyhow};
use backstop_bank::{Bank, LAMPORTS_PER_SOL, Outcome};
use backstop_client::ix::Asset;
use backstop_client::types::{InitializeProtocolArgs, MintOptIns, PoolParams};
use backstop_client::{pda, token};
use serde_json::json;
use solana_account::Account;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_rpc_client_api::response::RpcSimulateTransactionResult;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

use solana_transaction_status::{
    TransactionStatusMeta, VersionedTransactionWithStatusMeta, map_inner_instructions,
};

use crate::chain::Chain;
use crate::hub::{Event, Hub, TransactionEvent, Written};
use crate::record;
use crate::wire::{RpcError, RpcResult};

/// The demo asset `backstop localnet` creates for a first session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoMint {
    SplToken,
    /// A Token-2022 mint with no extensions (`--token-2022`).
    Token2022,
}

impl DemoMint {
    /// The token program that owns the demo mint.
    pub fn token_program(self) -> Pubkey {
        match self {
            DemoMint::SplToken => spl_token_interface::ID,
            DemoMint::Token2022 => spl_token_2022_interface::ID,
        }
    }
}

/// What the node keeps of a processed transaction: the transaction with
/// its status meta, as a validator's ledger holds it.
#[derive(Clone, Debug)]
pub(crate) struct Processed {
    pub slot: u64,
    pub block_time: i64,
    pub with_meta: VersionedTransactionWithStatusMeta,
}

impl Processed {
    pub fn err(&self) -> Option<TransactionError> {
        self.with_meta.meta.status.clone().err()
    }

    /// Every account the transaction named, loaded addresses included.
    pub fn keys(&self) -> Vec<Pubkey> {
        crate::record::account_keys(
            &self.with_meta.transaction,
            &self.with_meta.meta.loaded_addresses,
        )
    }
}

/// The bank and what the node keeps beside it.
pub struct Node {
    pub(crate) bank: Bank,
    /// Every address that appeared in a transaction: `getProgramAccounts` scans these.
    pub(crate) known: BTreeSet<Pubkey>,
    /// Processed transactions by signature.
    pub(crate) transactions: HashMap<String, Processed>,
    /// Processed signatures, oldest first.
    pub(crate) order: Vec<String>,
    pub(crate) chain: Chain,
    pub(crate) hub: Arc<Hub>,
    /// The admin keypair's secret key (64 bytes), answered by `backstop_devWallet`.
    pub(crate) dev_wallet: Vec<u8>,
}

impl Node {
    /// Starts the bank at the current wall-clock time and creates the
    /// protocol with `admin` as admin, guardian and treasury; with `demo`,
    /// also the demo mint and its pool (whose mint is returned).
    pub async fn start(
        admin: &Keypair,
        governance_delay: u64,
        demo: Option<DemoMint>,
    ) -> Result<(Node, Option<Pubkey>)> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs() as i64;
        let mut bank = Bank::start(now).await;
        bank.keep_journal();
        bank.airdrop(admin.pubkey(), 1_000 * LAMPORTS_PER_SOL)
            .await
            .map_err(|e| anyhow!("funding the admin: {e}"))?;
        let args = InitializeProtocolArgs {
            admin: admin.pubkey(),
            guardian: admin.pubkey(),
            treasury: admin.pubkey(),
            governance_delay,
        };
        bank.initialize_protocol(args)
            .await
            .map_err(|e| anyhow!("initialize_protocol: {e}"))?;
        let mut known = BTreeSet::new();
        known.insert(pda::protocol());
        known.insert(admin.pubkey());
        let demo_mint = match demo {
            Some(kind) => Some(Self::demo(&mut bank, admin, kind, &mut known).await?),
            None => None,
        };
        let mut node = Node {
            bank,
            known,
            transactions: HashMap::new(),
            order: Vec::new(),
            chain: Chain::new(),
            hub: Hub::new(),
            dev_wallet: admin.to_bytes().to_vec(),
        };
        node.record_start_up().await;
        node.finish_block().await.map_err(|e| anyhow!(e.message))?;
        Ok((node, demo_mint))
    }

    /// A ready-to-use asset for a first session: a 6-decimal mint whose
    /// authority is the admin, its pool (default parameters), and the admin's
    /// associated token account holding 1,000,000 tokens.
    async fn demo(
        bank: &mut Bank,
        admin: &Keypair,
        kind: DemoMint,
        known: &mut BTreeSet<Pubkey>,
    ) -> Result<Pubkey> {
        let payer = bank.payer_pubkey();
        let program = kind.token_program();
        let mint = bank
            .create_mint_in(program, 6, admin.pubkey(), &[])
            .await
            .map_err(|e| anyhow!("demo mint: {e}"))?;
        let asset = Asset::owned_by(mint, program);
        bank.create_pool(
            admin,
            admin.pubkey(),
            asset,
            PoolParams::default(),
            MintOptIns::default(),
        )
        .await
        .map_err(|e| anyhow!("demo pool: {e}"))?;
        let ata = token::associated_token_account(&admin.pubkey(), asset);
        let create_ata =
            token::create_associated_token_account_idempotent(&payer, &admin.pubkey(), asset);
        let mint_to = token::mint_to(asset, &ata, &admin.pubkey(), 1_000_000_000_000);
        bank.send(&[create_ata, mint_to], &[admin])
            .await
            .map_err(|e| anyhow!("demo tokens: {e}"))?;
        let pool_key = pda::pool(&mint);
        known.extend([
            mint,
            pool_key,
            pda::vault(&pool_key),
            pda::revenue(&pool_key),
            pda::stake(&pool_key, &admin.pubkey()),
            ata,
        ]);
        Ok(mint)
    }

    /// What the websocket listens to.
    pub(crate) fn hub(&self) -> Arc<Hub> {
        self.hub.clone()
    }

    /// The start-up transactions (funding, the protocol, the demo asset),
    /// listed as any other: a validator's ledger has its genesis
    /// transactions too. Their balances are those after start-up.
    async fn record_start_up(&mut self) {
        let slot = self.slot().await;
        let block_time = self.bank.now().await;
        for (tx, outcome) in self.bank.take_journal() {
            let keys = tx.message.static_account_keys().to_vec();
            self.known.extend(keys.iter().copied());
            let balances = self.snapshot(&keys).await.balances();
            let meta = TransactionStatusMeta {
                status: outcome.result,
                fee: record::fee(&tx),
                pre_balances: balances.clone(),
                post_balances: balances,
                log_messages: Some(outcome.logs),
                compute_units_consumed: Some(outcome.compute_units),
                ..TransactionStatusMeta::default()
            };
            self.keep(tx, meta, slot, block_time);
        }
    }

    /// Keeps a processed transaction in the open block.
    fn keep(
        &mut self,
        transaction: VersionedTransaction,
        meta: TransactionStatusMeta,
        slot: u64,
        block_time: i64,
    ) -> String {
        let signature = record::signature_of(&transaction);
        let err = meta.status.clone().err();
        self.hub.record(signature.clone(), (slot, err));
        self.transactions.insert(
            signature.clone(),
            Processed {
                slot,
                block_time,
                with_meta: VersionedTransactionWithStatusMeta { transaction, meta },
            },
        );
        self.order.push(signature.clone());
        self.chain.open.push(signature.clone());
        signature
    }

    pub(crate) async fn slot(&mut self) -> u64 {
        self.bank.slot().await
    }

    pub(crate) async fn block_height(&mut self) -> u64 {
        self.bank.block_height().await
    }

    /// The bank's latest blockhash and the last block height it is valid for.
    pub(crate) async fn latest_blockhash(&mut self) -> Result<(solana_hash::Hash, u64), RpcError> {
        self.bank
            .latest_blockhash_with_height()
            .await
            .ok_or_else(|| RpcError::server("no blockhash"))
    }

    /// The bank's latest blockhash (the client's default commitment).
    pub(crate) async fn recent_blockhash(&mut self) -> Result<solana_hash::Hash, RpcError> {
        self.bank.latest_blockhash().await.map_err(RpcError::server)
    }

    pub(crate) fn genesis_hash(&self) -> solana_hash::Hash {
        self.bank.genesis_hash()
    }

    /// The rent-exempt minimum for `size` bytes.
    pub(crate) async fn minimum_balance(&mut self, size: usize) -> Result<u64, RpcError> {
        Ok(self.bank.minimum_balance(size).await)
    }

    pub(crate) async fn account(&mut self, key: &Pubkey) -> Option<Account> {
        self.bank.account(*key).await
    }

    /// sendTransaction: preflight (a simulation) unless skipped, then
    /// process in the open slot, which then becomes a block. A transaction
    /// refused before it ran (a stale blockhash, a fee payer that does not
    /// exist, a repeat) is dropped as a validator drops it: with preflight
    /// the simulation's failure is answered (-32002, with its `data`);
    /// with `skipPreflight` the signature is answered and its status stays
    /// unknown.
    pub(crate) async fn process(
        &mut self,
        tx: VersionedTransaction,
        skip_preflight: bool,
    ) -> RpcResult {
        let signature = record::signature_of(&tx);
        let loaded = self.loaded_addresses(&tx).await;
        let keys = record::account_keys(&tx, &loaded);
        self.known.extend(keys.iter().copied());
        // The preflight; natively also the only report of inner instructions.
        let simulated = if !skip_preflight || !self.bank.is_sbf() {
            let (result, details) = self
                .bank
                .simulate(tx.clone())
                .await
                .map_err(RpcError::server)?;
            let err = result.and_then(|r| r.err());
            if !skip_preflight && let Some(err) = err {
                return Err(preflight_failure(err, details));
            }
            details
        } else {
            None
        };
        let pre = self.snapshot(&keys).await;
        let outcome = self
            .bank
            .process(tx.clone())
            .await
            .map_err(RpcError::server)?;
        if let Err(err) = &outcome.result
            && !record::committed(err)
        {
            if skip_preflight {
                return Ok(json!(signature));
            }
            return Err(preflight_failure(err.clone(), Some(outcome)));
        }
        let post = self.snapshot(&keys).await;
        let mints = self.mints_of(&[&pre, &post]).await;
        let slot = self.slot().await;
        let block_time = self.bank.now().await;
        let inner = outcome
            .inner_instructions
            .clone()
            .or_else(|| simulated.and_then(|s| s.inner_instructions))
            .unwrap_or_default();
        let meta = TransactionStatusMeta {
            status: outcome.result.clone(),
            fee: record::fee(&tx),
            pre_balances: pre.balances(),
            post_balances: post.balances(),
            inner_instructions: Some(map_inner_instructions(inner).collect()),
            log_messages: Some(outcome.logs.clone()),
            pre_token_balances: Some(record::token_balances(&pre, &mints)),
            post_token_balances: Some(record::token_balances(&post, &mints)),
            rewards: Some(Vec::new()),
            loaded_addresses: loaded.clone(),
            return_data: outcome.return_data.clone().map(|(program_id, data)| {
                solana_transaction_context::TransactionReturnData { program_id, data }
            }),
            compute_units_consumed: Some(outcome.compute_units),
            cost_units: None,
        };
        let writable = record::writable(&tx, &loaded);
        let mut written = Vec::new();
        for ((key, account), writable) in keys.iter().zip(post.accounts).zip(writable) {
            if !writable {
                continue;
            }
            let account = account.unwrap_or_default();
            let token = record::token_mint(&account).and_then(|m| mints.get(&m).copied());
            written.push(Written {
                key: *key,
                account,
                token,
            });
        }
        self.keep(tx, meta, slot, block_time);
        self.hub
            .publish(Event::Transaction(Arc::new(TransactionEvent {
                slot,
                signature: signature.clone(),
                err: outcome.result.err(),
                logs: outcome.logs,
                keys,
                written,
            })));
        self.finish_block().await?;
        Ok(json!(signature))
    }
}

/// A transaction refused by the preflight: -32002 with the simulation's
/// result as `data`, as a validator answers.
fn preflight_failure(err: TransactionError, details: Option<Outcome>) -> RpcError {
    let (logs, units) = details
        .map(|d| (d.logs, d.compute_units))
        .unwrap_or_default();
    let data = RpcSimulateTransactionResult {
        err: Some(err.clone().into()),
        logs: Some(logs),
        accounts: None,
        units_consumed: Some(units),
        loaded_accounts_data_size: Some(0),
        return_data: None,
        inner_instructions: None,
        replacement_blockhash: None,
        fee: None,
        pre_balances: None,
        post_balances: None,
        pre_token_balances: None,
        post_token_balances: None,
        loaded_addresses: None,
    };
    RpcError::simulation_failed(
        format!("Transaction simulation failed: {err}"),
        Some(json!(data)),
    )
}
