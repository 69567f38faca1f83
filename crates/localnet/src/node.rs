//! The node over the in-process bank: starting it (the protocol, and the demo
//! mint and pool), the slot and blockhash the bank is at, and transactions
//! simulated or processed, with the outcome of every processed one kept for
//! `getSignatureStatuses`, `getTransaction` and the websocket. It runs on
//! either of the bank's backends (natively, or the SBF build with
//! `BACKSTOP_SBF=1`).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use anyhow::{Result, anyhow};
use backstop_bank::{Bank, LAMPORTS_PER_SOL};
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

/// What the node remembers of a processed transaction.
#[derive(Clone, Debug)]
pub(crate) struct Processed {
    pub slot: u64,
    pub err: Option<TransactionError>,
    pub logs: Vec<String>,
    pub units: u64,
    pub wire: Vec<u8>,
    pub keys: Vec<Pubkey>,
    pub block_time: i64,
}

/// Signature → outcome, shared with the websocket thread.
pub(crate) type Statuses = Arc<Mutex<HashMap<String, Processed>>>;

/// The bank and what the node keeps beside it.
pub struct Node {
    pub(crate) bank: Bank,
    /// Every address that appeared in a transaction: `getProgramAccounts` scans these.
    pub(crate) known: BTreeSet<Pubkey>,
    pub(crate) statuses: Statuses,
    /// Processed signatures, oldest first.
    pub(crate) order: Vec<String>,
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
        let node = Node {
            bank,
            known,
            statuses: Arc::new(Mutex::new(HashMap::new())),
            order: Vec::new(),
            dev_wallet: admin.to_bytes().to_vec(),
        };
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

    /// The statuses the websocket thread reads.
    pub(crate) fn statuses(&self) -> Statuses {
        self.statuses.clone()
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

    /// Runs `tx` against the bank without committing it.
    pub(crate) async fn simulate(
        &mut self,
        tx: VersionedTransaction,
    ) -> Result<RpcSimulateTransactionResult, RpcError> {
        let (result, details) = self.bank.simulate(tx).await.map_err(RpcError::server)?;
        Ok(RpcSimulateTransactionResult {
            err: result.and_then(|r| r.err()).map(Into::into),
            logs: details.as_ref().map(|d| d.logs.clone()),
            accounts: None,
            units_consumed: details.as_ref().map(|d| d.compute_units),
            loaded_accounts_data_size: details
                .as_ref()
                .map(|d| d.loaded_accounts_data_size.unwrap_or(0)),
            return_data: None,
            inner_instructions: None,
            replacement_blockhash: None,
            fee: Some(5_000),
            pre_balances: None,
            post_balances: None,
            pre_token_balances: None,
            post_token_balances: None,
            loaded_addresses: None,
        })
    }

    /// sendTransaction: preflight (a simulation) unless skipped, then process;
    /// answers the signature.
    pub(crate) async fn process(
        &mut self,
        tx: VersionedTransaction,
        wire: Vec<u8>,
        skip_preflight: bool,
    ) -> RpcResult {
        let signature = tx
            .signatures
            .first()
            .map(|s| s.to_string())
            .unwrap_or_default();
        let keys: Vec<Pubkey> = tx.message.static_account_keys().to_vec();
        self.known.extend(keys.iter().copied());
        if !skip_preflight {
            let simulated = self.simulate(tx.clone()).await?;
            if let Some(err) = &simulated.err {
                return Err(RpcError::simulation_failed(
                    format!("Transaction simulation failed: {err}"),
                    Some(json!(simulated)),
                ));
            }
        }
        let outcome = self.bank.process(tx).await.map_err(RpcError::server)?;
        let slot = self.slot().await;
        let block_time = self.bank.now().await;
        let (logs, units) = (outcome.logs, outcome.compute_units);
        let err = outcome.result.err();
        if matches!(err, Some(TransactionError::BlockhashNotFound)) {
            return Err(RpcError::simulation_failed(
                "Transaction simulation failed: Blockhash not found",
                None,
            ));
        }
        self.statuses.lock().expect("statuses lock").insert(
            signature.clone(),
            Processed {
                slot,
                err,
                logs,
                units,
                wire,
                keys,
                block_time,
            },
        );
        self.order.push(signature.clone());
        Ok(json!(signature))
    }
}
