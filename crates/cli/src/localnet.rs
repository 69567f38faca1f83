//! `backstop localnet`: the program and the SPL Token program in the
//! in-process bank, served over Solana's JSON-RPC on loopback (HTTP on
//! `port`, the websocket subscriptions clients use to confirm on `port + 1`).
//! Wire types come from Solana's own crates (`solana-rpc-client-api`,
//! `solana-account-decoder`, `solana-transaction-status-client-types`).
//!
//! Extra methods: `backstop_advanceClock` with params `[seconds]` moves the
//! bank's clock forward and returns `{ "unixTimestamp": … }`;
//! `backstop_devWallet` returns the node keypair's 64-byte secret key as a JSON
//! array, for the staking page's built-in dev wallet (only to local processes
//! and to pages this node served: see `web::trusted_origin`).
//!
//! GET `/` serves the staking page built into `web/dist` (web.rs).

// solana-program-test 3.x flags its API "unstable" through deprecation notes.
#![allow(deprecated)]

use std::collections::{BTreeSet, HashMap};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use backstop::instructions::InitializeProtocolArgs;
use backstop::state::PoolParams;
use backstop_bank::{Bank, LAMPORTS_PER_SOL};
use backstop_client::ix::Asset;
use backstop_client::{ix, pda, token};
use base64::Engine;
use serde_json::{Value, json};
use solana_account::Account;
use solana_account_decoder::{UiAccountEncoding, encode_ui_account};
use solana_keypair::Keypair;
use solana_program_pack::Pack;
use solana_pubkey::Pubkey;
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSendTransactionConfig,
    RpcSimulateTransactionConfig,
};
use solana_rpc_client_api::filter::RpcFilterType;
use solana_rpc_client_api::response::{
    Response, RpcBlockhash, RpcConfirmedTransactionStatusWithSignature, RpcKeyedAccount,
    RpcResponseContext, RpcSimulateTransactionResult, RpcVersionInfo,
};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_status_client_types::{
    TransactionConfirmationStatus, TransactionStatus, UiTransactionEncoding,
};

/// A JSON-RPC error: code, message and optional data.
struct RpcError {
    code: i64,
    message: String,
    data: Option<Value>,
}

impl RpcError {
    /// A failure inside the node (the bank refused or failed a request).
    fn server(e: impl std::fmt::Display) -> RpcError {
        RpcError {
            code: -32000,
            message: e.to_string(),
            data: None,
        }
    }

    fn invalid_params(message: impl Into<String>) -> RpcError {
        RpcError {
            code: -32602,
            message: message.into(),
            data: None,
        }
    }
}

type RpcResult = std::result::Result<Value, RpcError>;

/// What the node remembers of a processed transaction.
#[derive(Clone)]
struct Processed {
    slot: u64,
    err: Option<solana_transaction_error::TransactionError>,
    logs: Vec<String>,
    units: u64,
    wire: Vec<u8>,
    keys: Vec<Pubkey>,
    block_time: i64,
}

/// Signature → outcome, shared with the websocket thread.
type Statuses = Arc<Mutex<HashMap<String, Processed>>>;

pub struct Node {
    bank: Bank,
    /// Every address that appeared in a transaction: `getProgramAccounts` scans these.
    known: BTreeSet<Pubkey>,
    statuses: Statuses,
    order: Vec<String>,
    /// The admin keypair's secret key (64 bytes), answered by `backstop_devWallet`.
    dev_wallet: Vec<u8>,
}

fn ctx(slot: u64) -> RpcResponseContext {
    RpcResponseContext {
        slot,
        api_version: None,
    }
}

fn param<T: serde::de::DeserializeOwned>(
    params: &Value,
    i: usize,
) -> std::result::Result<Option<T>, RpcError> {
    match params.get(i) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v.clone())
            .map(Some)
            .map_err(|e| RpcError::invalid_params(format!("param {i}: {e}"))),
    }
}

fn pubkey_param(params: &Value, i: usize) -> std::result::Result<Pubkey, RpcError> {
    let s: String = param(params, i)?
        .ok_or_else(|| RpcError::invalid_params(format!("param {i}: missing pubkey")))?;
    Pubkey::from_str(&s)
        .map_err(|_| RpcError::invalid_params(format!("param {i}: invalid pubkey {s}")))
}

fn decode_tx(
    encoded: &str,
    encoding: Option<UiTransactionEncoding>,
) -> std::result::Result<(VersionedTransaction, Vec<u8>), RpcError> {
    let bytes = match encoding.unwrap_or(UiTransactionEncoding::Base58) {
        UiTransactionEncoding::Base64 => base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|e| RpcError::invalid_params(format!("invalid base64 transaction: {e}")))?,
        UiTransactionEncoding::Base58 => bs58::decode(encoded)
            .into_vec()
            .map_err(|e| RpcError::invalid_params(format!("invalid base58 transaction: {e}")))?,
        other => {
            return Err(RpcError::invalid_params(format!(
                "unsupported encoding {other:?}"
            )));
        }
    };
    let tx: VersionedTransaction = bincode::deserialize(&bytes)
        .map_err(|e| RpcError::invalid_params(format!("failed to deserialize transaction: {e}")))?;
    Ok((tx, bytes))
}

/// The demo asset `backstop localnet` creates for a first session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoMint {
    SplToken,
    /// A Token-2022 mint with no extensions (`--token-2022`).
    Token2022,
}

impl Node {
    /// Starts the bank at the current wall-clock time and creates the
    /// protocol with `admin` as admin, guardian and treasury.
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
        let payer = bank.payer_pubkey();
        bank.send(&[ix::initialize_protocol(payer, args)], &[])
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
        let program = match kind {
            DemoMint::SplToken => anchor_spl::token::ID,
            DemoMint::Token2022 => anchor_spl::token_2022::ID,
        };
        let mint = bank
            .create_mint_in(program, 6, admin.pubkey(), &[])
            .await
            .map_err(|e| anyhow!("demo mint: {e}"))?;
        let asset = Asset::owned_by(mint, program);
        let pool = ix::create_pool(
            admin.pubkey(),
            payer,
            admin.pubkey(),
            asset,
            PoolParams::default(),
            false,
        );
        bank.send(&[pool], &[admin])
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

    async fn slot(&mut self) -> u64 {
        self.bank
            .ctx
            .banks_client
            .get_root_slot()
            .await
            .unwrap_or(0)
    }

    async fn block_height(&mut self) -> u64 {
        self.bank
            .ctx
            .banks_client
            .get_root_block_height()
            .await
            .unwrap_or(0)
    }

    /// The bank's latest blockhash and the last block height it is valid for.
    async fn latest_blockhash(
        &mut self,
    ) -> std::result::Result<(solana_hash::Hash, u64), RpcError> {
        self.bank
            .ctx
            .banks_client
            .get_latest_blockhash_with_commitment(
                solana_commitment_config::CommitmentLevel::Processed,
            )
            .await
            .ok()
            .flatten()
            .ok_or_else(|| RpcError {
                code: -32000,
                message: "no blockhash".into(),
                data: None,
            })
    }

    async fn account(&mut self, key: &Pubkey) -> Option<Account> {
        self.bank.account(*key).await
    }

    fn encode(key: &Pubkey, account: &Account, config: &RpcAccountInfoConfig) -> Value {
        let encoding = config.encoding.unwrap_or(UiAccountEncoding::Base64);
        let encoding = if encoding == UiAccountEncoding::Binary {
            UiAccountEncoding::Base58
        } else {
            encoding
        };
        json!(encode_ui_account(
            key,
            account,
            encoding,
            None,
            config.data_slice
        ))
    }

    async fn handle(&mut self, method: &str, params: &Value) -> RpcResult {
        match method {
            "getHealth" => Ok(json!("ok")),
            "getVersion" => Ok(json!(RpcVersionInfo {
                solana_core: "3.1.12".into(),
                feature_set: None
            })),
            "getGenesisHash" => Ok(json!(self.bank.ctx.genesis_config().hash().to_string())),
            "getSlot" => Ok(json!(self.slot().await)),
            "getBlockHeight" => Ok(json!(self.block_height().await)),
            "getEpochInfo" => {
                let slot = self.slot().await;
                let height = self.block_height().await;
                Ok(
                    json!({ "absoluteSlot": slot, "blockHeight": height, "epoch": 0, "slotIndex": slot,
                           "slotsInEpoch": 432_000, "transactionCount": self.order.len() }),
                )
            }
            "getLatestBlockhash" => {
                let slot = self.slot().await;
                let (hash, last_valid) = self.latest_blockhash().await?;
                Ok(json!(Response {
                    context: ctx(slot),
                    value: RpcBlockhash {
                        blockhash: hash.to_string(),
                        last_valid_block_height: last_valid
                    },
                }))
            }
            "isBlockhashValid" => {
                let slot = self.slot().await;
                Ok(json!(Response {
                    context: ctx(slot),
                    value: true
                }))
            }
            "getFeeForMessage" => {
                let slot = self.slot().await;
                Ok(json!(Response {
                    context: ctx(slot),
                    value: Some(5_000u64)
                }))
            }
            "getRecentPrioritizationFees" => Ok(json!([])),
            "getMinimumBalanceForRentExemption" => {
                let size: usize = param(params, 0)?.unwrap_or(0);
                let rent = self
                    .bank
                    .ctx
                    .banks_client
                    .get_rent()
                    .await
                    .map_err(RpcError::server)?;
                Ok(json!(rent.minimum_balance(size)))
            }
            "getBalance" => {
                let key = pubkey_param(params, 0)?;
                let slot = self.slot().await;
                let lamports = self.bank.lamports(key).await;
                Ok(json!(Response {
                    context: ctx(slot),
                    value: lamports
                }))
            }
            "getAccountInfo" => {
                let key = pubkey_param(params, 0)?;
                let config: RpcAccountInfoConfig = param(params, 1)?.unwrap_or_default();
                let slot = self.slot().await;
                self.known.insert(key);
                let value = self
                    .account(&key)
                    .await
                    .map(|a| Self::encode(&key, &a, &config));
                Ok(json!({ "context": ctx(slot), "value": value }))
            }
            "getMultipleAccounts" => {
                let keys: Vec<String> = param(params, 0)?.unwrap_or_default();
                let config: RpcAccountInfoConfig = param(params, 1)?.unwrap_or_default();
                let slot = self.slot().await;
                let mut values = Vec::with_capacity(keys.len());
                for k in keys {
                    let key = Pubkey::from_str(&k)
                        .map_err(|_| RpcError::invalid_params(format!("invalid pubkey {k}")))?;
                    self.known.insert(key);
                    values.push(
                        self.account(&key)
                            .await
                            .map(|a| Self::encode(&key, &a, &config)),
                    );
                }
                Ok(json!({ "context": ctx(slot), "value": values }))
            }
            "getProgramAccounts" => {
                let program = pubkey_param(params, 0)?;
                let config: RpcProgramAccountsConfig = param(params, 1)?.unwrap_or_default();
                let filters = config.filters.clone().unwrap_or_default();
                let mut found = Vec::new();
                for key in self.known.clone() {
                    let Some(account) = self.account(&key).await else {
                        continue;
                    };
                    if account.owner != program || !filters_allow(&filters, &account) {
                        continue;
                    }
                    found.push(RpcKeyedAccount {
                        pubkey: key.to_string(),
                        account: serde_json::from_value(Self::encode(
                            &key,
                            &account,
                            &config.account_config,
                        ))
                        .map_err(RpcError::server)?,
                    });
                }
                if config.with_context.unwrap_or(false) {
                    let slot = self.slot().await;
                    Ok(json!(Response {
                        context: ctx(slot),
                        value: found
                    }))
                } else {
                    Ok(json!(found))
                }
            }
            "getTokenAccountBalance" => {
                let key = pubkey_param(params, 0)?;
                let slot = self.slot().await;
                let account = self
                    .account(&key)
                    .await
                    .ok_or_else(|| RpcError::invalid_params("could not find account"))?;
                let token = spl_token_interface::state::Account::unpack(&account.data)
                    .map_err(|_| RpcError::invalid_params("not a token account"))?;
                let decimals = match self.account(&token.mint).await {
                    Some(m) => spl_token_interface::state::Mint::unpack(&m.data)
                        .map(|m| m.decimals)
                        .unwrap_or(0),
                    None => 0,
                };
                Ok(json!(Response {
                    context: ctx(slot),
                    value: ui_token_amount(token.amount, decimals)
                }))
            }
            "requestAirdrop" => {
                let key = pubkey_param(params, 0)?;
                let lamports: u64 = param(params, 1)?.unwrap_or(0);
                let ix = solana_system_interface::instruction::transfer(
                    &self.bank.payer_pubkey(),
                    &key,
                    lamports,
                );
                let payer = self.bank.payer().insecure_clone();
                let hash = self
                    .bank
                    .ctx
                    .banks_client
                    .get_latest_blockhash()
                    .await
                    .map_err(RpcError::server)?;
                let tx = solana_transaction::Transaction::new_signed_with_payer(
                    &[ix],
                    Some(&payer.pubkey()),
                    &[&payer],
                    hash,
                );
                let wire = bincode::serialize(&tx).unwrap_or_default();
                self.process(VersionedTransaction::from(tx), wire, true)
                    .await
            }
            "sendTransaction" => {
                let encoded: String = param(params, 0)?
                    .ok_or_else(|| RpcError::invalid_params("missing transaction"))?;
                let config: RpcSendTransactionConfig = param(params, 1)?.unwrap_or_default();
                let (tx, wire) = decode_tx(&encoded, config.encoding)?;
                self.process(tx, wire, config.skip_preflight).await
            }
            "simulateTransaction" => {
                let encoded: String = param(params, 0)?
                    .ok_or_else(|| RpcError::invalid_params("missing transaction"))?;
                let config: RpcSimulateTransactionConfig = param(params, 1)?.unwrap_or_default();
                let (mut tx, _) = decode_tx(&encoded, config.encoding)?;
                let mut replacement = None;
                if config.replace_recent_blockhash {
                    let (hash, last_valid) = self.latest_blockhash().await?;
                    tx.message.set_recent_blockhash(hash);
                    replacement = Some(RpcBlockhash {
                        blockhash: hash.to_string(),
                        last_valid_block_height: last_valid,
                    });
                }
                let slot = self.slot().await;
                let simulated = self.simulate(tx).await?;
                Ok(json!(Response {
                    context: ctx(slot),
                    value: RpcSimulateTransactionResult {
                        replacement_blockhash: replacement,
                        ..simulated
                    },
                }))
            }
            "getSignatureStatuses" => {
                let sigs: Vec<String> = param(params, 0)?.unwrap_or_default();
                let slot = self.slot().await;
                let statuses = self.statuses.lock().expect("statuses lock");
                let value: Vec<Option<TransactionStatus>> = sigs
                    .iter()
                    .map(|s| {
                        statuses.get(s).map(|p| TransactionStatus {
                            slot: p.slot,
                            confirmations: None,
                            status: match &p.err {
                                None => Ok(()),
                                Some(e) => Err(e.clone()),
                            },
                            err: p.err.clone(),
                            confirmation_status: Some(TransactionConfirmationStatus::Finalized),
                        })
                    })
                    .collect();
                Ok(json!(Response {
                    context: ctx(slot),
                    value
                }))
            }
            "getTransaction" => {
                let sig: String = param(params, 0)?
                    .ok_or_else(|| RpcError::invalid_params("missing signature"))?;
                let statuses = self.statuses.lock().expect("statuses lock");
                Ok(match statuses.get(&sig) {
                    None => Value::Null,
                    Some(p) => json!({
                        "slot": p.slot,
                        "blockTime": p.block_time,
                        "transaction": [base64::engine::general_purpose::STANDARD.encode(&p.wire), "base64"],
                        "meta": {
                            "err": p.err,
                            "status": match &p.err { None => json!({ "Ok": null }), Some(e) => json!({ "Err": e }) },
                            "fee": 5_000,
                            "preBalances": [],
                            "postBalances": [],
                            "innerInstructions": [],
                            "logMessages": p.logs,
                            "preTokenBalances": [],
                            "postTokenBalances": [],
                            "rewards": [],
                            "computeUnitsConsumed": p.units,
                        },
                        "version": "legacy",
                    }),
                })
            }
            "getSignaturesForAddress" => {
                let key = pubkey_param(params, 0)?;
                let limit = params
                    .get(1)
                    .and_then(|c| c.get("limit"))
                    .and_then(|l| l.as_u64())
                    .unwrap_or(1_000) as usize;
                let statuses = self.statuses.lock().expect("statuses lock");
                let value: Vec<RpcConfirmedTransactionStatusWithSignature> = self
                    .order
                    .iter()
                    .rev()
                    .filter_map(|s| statuses.get(s).map(|p| (s, p)))
                    .filter(|(_, p)| p.keys.contains(&key))
                    .take(limit)
                    .map(|(s, p)| RpcConfirmedTransactionStatusWithSignature {
                        signature: s.clone(),
                        slot: p.slot,
                        err: p.err.clone().map(Into::into),
                        memo: None,
                        block_time: Some(p.block_time),
                        confirmation_status: Some(TransactionConfirmationStatus::Finalized),
                    })
                    .collect();
                Ok(json!(value))
            }
            "backstop_advanceClock" => {
                let seconds: i64 =
                    param(params, 0)?.ok_or_else(|| RpcError::invalid_params("missing seconds"))?;
                if seconds < 0 {
                    return Err(RpcError::invalid_params("seconds must not be negative"));
                }
                self.bank.advance(seconds).await;
                let now = self.bank.now().await;
                Ok(json!({ "unixTimestamp": now }))
            }
            // The page's dev wallet signs with the node's keypair: the admin,
            // holding the demo tokens. `answer` refuses it to foreign pages.
            "backstop_devWallet" => Ok(json!(self.dev_wallet)),
            other => Err(RpcError {
                code: -32601,
                message: format!("Method not found: {other}"),
                data: None,
            }),
        }
    }

    async fn simulate(
        &mut self,
        tx: VersionedTransaction,
    ) -> std::result::Result<RpcSimulateTransactionResult, RpcError> {
        let outcome = self
            .bank
            .ctx
            .banks_client
            .simulate_transaction(tx)
            .await
            .map_err(RpcError::server)?;
        let details = outcome.simulation_details;
        Ok(RpcSimulateTransactionResult {
            err: outcome.result.and_then(|r| r.err()).map(Into::into),
            logs: details.as_ref().map(|d| d.logs.clone()),
            accounts: None,
            units_consumed: details.as_ref().map(|d| d.units_consumed),
            loaded_accounts_data_size: details.as_ref().map(|d| d.loaded_accounts_data_size),
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

    /// sendTransaction: preflight (a simulation) unless skipped, then process.
    async fn process(
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
                return Err(RpcError {
                    code: -32002,
                    message: format!("Transaction simulation failed: {err}"),
                    data: Some(json!(simulated)),
                });
            }
        }
        let outcome = self
            .bank
            .ctx
            .banks_client
            .process_transaction_with_metadata(tx)
            .await
            .map_err(RpcError::server)?;
        let slot = self.slot().await;
        let block_time = self.bank.now().await;
        let (logs, units) = outcome
            .metadata
            .map(|m| (m.log_messages, m.compute_units_consumed))
            .unwrap_or_default();
        let err = outcome.result.err();
        if matches!(
            err,
            Some(solana_transaction_error::TransactionError::BlockhashNotFound)
        ) {
            return Err(RpcError {
                code: -32002,
                message: "Transaction simulation failed: Blockhash not found".into(),
                data: None,
            });
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

fn ui_token_amount(amount: u64, decimals: u8) -> Value {
    let scale = 10u128.pow(decimals as u32);
    let whole = amount as u128 / scale;
    let frac = amount as u128 % scale;
    let ui = if decimals == 0 {
        whole.to_string()
    } else {
        let f = format!("{frac:0width$}", width = decimals as usize);
        let f = f.trim_end_matches('0');
        if f.is_empty() {
            whole.to_string()
        } else {
            format!("{whole}.{f}")
        }
    };
    json!({
        "amount": amount.to_string(),
        "decimals": decimals,
        "uiAmount": ui.parse::<f64>().ok(),
        "uiAmountString": ui,
    })
}

fn filters_allow(filters: &[RpcFilterType], account: &Account) -> bool {
    filters.iter().all(|f| match f {
        RpcFilterType::DataSize(size) => account.data.len() as u64 == *size,
        RpcFilterType::Memcmp(m) => m.bytes_match(&account.data),
        RpcFilterType::TokenAccountState => {
            spl_token_interface::state::Account::unpack(&account.data).is_ok()
        }
    })
}

/// Answers one JSON-RPC request object. `trusted`: the request came from a
/// local process or a page this node served (`web::trusted_origin`); only then
/// is the node's secret key handed out.
async fn answer(node: &mut Node, request: &Value, trusted: bool) -> Value {
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let Some(method) = request.get("method").and_then(|m| m.as_str()) else {
        return json!({ "jsonrpc": "2.0", "error": { "code": -32600, "message": "Invalid request" }, "id": id });
    };
    if method == "backstop_devWallet" && !trusted {
        return json!({ "jsonrpc": "2.0", "error": { "code": -32601,
            "message": "backstop_devWallet is answered only to local processes and to the page this node serves" }, "id": id });
    }
    let params = request.get("params").cloned().unwrap_or(json!([]));
    match node.handle(method, &params).await {
        Ok(result) => json!({ "jsonrpc": "2.0", "result": result, "id": id }),
        Err(e) => {
            let mut error = json!({ "code": e.code, "message": e.message });
            if let Some(data) = e.data {
                error["data"] = data;
            }
            json!({ "jsonrpc": "2.0", "error": error, "id": id })
        }
    }
}

/// Websocket subscriptions: `signatureSubscribe` is answered as soon as the
/// signature is known (transactions are processed before `sendTransaction`
/// returns); other subscriptions are acknowledged and stay silent.
fn serve_websocket(listener: TcpListener, statuses: Statuses) {
    let next_id = Arc::new(Mutex::new(1u64));
    for stream in listener.incoming().flatten() {
        let statuses = statuses.clone();
        let next_id = next_id.clone();
        std::thread::spawn(move || {
            let Ok(mut socket) = tungstenite::accept(stream) else {
                return;
            };
            let mut waiting: Vec<(u64, String, Instant)> = Vec::new();
            if let Ok(inner) = socket.get_ref().try_clone() {
                let _ = inner.set_read_timeout(Some(Duration::from_millis(20)));
            }
            loop {
                match socket.read() {
                    Ok(tungstenite::Message::Text(text)) => {
                        let Ok(request) = serde_json::from_str::<Value>(text.as_str()) else {
                            continue;
                        };
                        let id = request.get("id").cloned().unwrap_or(Value::Null);
                        let method = request
                            .get("method")
                            .and_then(|m| m.as_str())
                            .unwrap_or_default();
                        let reply = if method.ends_with("Unsubscribe") {
                            json!({ "jsonrpc": "2.0", "result": true, "id": id })
                        } else {
                            let sub = {
                                let mut n = next_id.lock().expect("id lock");
                                *n += 1;
                                *n
                            };
                            if method == "signatureSubscribe" {
                                let sig = request["params"][0]
                                    .as_str()
                                    .unwrap_or_default()
                                    .to_string();
                                waiting.push((sub, sig, Instant::now()));
                            }
                            json!({ "jsonrpc": "2.0", "result": sub, "id": id })
                        };
                        if socket
                            .send(tungstenite::Message::text(reply.to_string()))
                            .is_err()
                        {
                            return;
                        }
                    }
                    Ok(tungstenite::Message::Close(_)) => {
                        // Answer the close handshake (tungstenite queues the
                        // reply; it goes out on the next read or flush), so
                        // clients see a clean close (1000), not 1006, and do
                        // not reconnect forever.
                        for _ in 0..100 {
                            match socket.read() {
                                Err(tungstenite::Error::Io(e))
                                    if matches!(
                                        e.kind(),
                                        std::io::ErrorKind::WouldBlock
                                            | std::io::ErrorKind::TimedOut
                                    ) => {}
                                Err(_) => return,
                                Ok(_) => {}
                            }
                        }
                        return;
                    }
                    Ok(_) => {}
                    Err(tungstenite::Error::Io(e))
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) => {}
                    Err(_) => return,
                }
                let mut done = Vec::new();
                for (i, (sub, sig, since)) in waiting.iter().enumerate() {
                    let found = statuses.lock().expect("statuses lock").get(sig).cloned();
                    if let Some(p) = found {
                        let note = json!({
                            "jsonrpc": "2.0",
                            "method": "signatureNotification",
                            "params": { "result": { "context": { "slot": p.slot }, "value": { "err": p.err } }, "subscription": sub },
                        });
                        if socket
                            .send(tungstenite::Message::text(note.to_string()))
                            .is_err()
                        {
                            return;
                        }
                        done.push(i);
                    } else if since.elapsed() > Duration::from_secs(120) {
                        done.push(i);
                    }
                }
                for i in done.into_iter().rev() {
                    waiting.remove(i);
                }
            }
        });
    }
}

/// Writes a new keypair in the Solana CLI's format (a JSON array of 64 bytes).
pub fn write_new_keypair(path: &PathBuf) -> Result<Pubkey> {
    let keypair = Keypair::new();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let bytes: Vec<u8> = keypair.to_bytes().to_vec();
    std::fs::write(path, serde_json::to_string(&bytes)?)?;
    Ok(keypair.pubkey())
}

/// Reads a Solana CLI keypair file (a JSON array of 64 bytes).
pub fn read_keypair(path: &PathBuf) -> Result<Keypair> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading keypair {}", path.display()))?;
    let bytes: Vec<u8> = serde_json::from_str(&text)
        .with_context(|| format!("parsing keypair {}", path.display()))?;
    Keypair::try_from(bytes.as_slice())
        .map_err(|e| anyhow!("invalid keypair {}: {e}", path.display()))
}

pub fn run(
    mut out: std::fs::File,
    port: u16,
    keypair: PathBuf,
    governance_delay: u64,
    demo: Option<DemoMint>,
) -> ExitCode {
    use std::io::Write;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let admin = match read_keypair(&keypair) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    let (mut node, demo_mint) = match runtime.block_on(Node::start(&admin, governance_delay, demo))
    {
        Ok(n) => n,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    let http = match tiny_http::Server::http(("127.0.0.1", port)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::from(2);
        }
    };
    let ws_port = port.wrapping_add(1);
    match TcpListener::bind(("127.0.0.1", ws_port)) {
        Ok(listener) => {
            let statuses = node.statuses.clone();
            std::thread::spawn(move || serve_websocket(listener, statuses));
        }
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{ws_port}: {e}");
            return ExitCode::from(2);
        }
    }
    let web_dir = crate::web::web_dir();
    let page = if crate::web::is_built(&web_dir) {
        format!("http://127.0.0.1:{port}/ (from {})", web_dir.display())
    } else {
        format!(
            "not built (no {}): run `npm run build:web`",
            web_dir.join("index.html").display()
        )
    };
    let banner = format!(
        "backstop localnet\n  JSON-RPC URL: http://127.0.0.1:{port}\n  WebSocket URL: ws://127.0.0.1:{ws_port}\n  program: {}\n  admin, guardian and treasury: {}\n  governance_delay: {governance_delay} s\n  extra methods: backstop_advanceClock [seconds], backstop_devWallet (the keypair's secret key, for the page's dev wallet)\n  staking page: {page}\n",
        backstop::ID,
        admin.pubkey()
    );
    let banner = match demo_mint {
        Some(mint) => format!(
            "{banner}  demo mint: {mint}\n    (6 decimals, your keypair is its mint authority; its pool exists; your associated token account holds 1,000,000)\n"
        ),
        None => banner,
    };
    let _ = out.write_all(banner.as_bytes());
    let _ = out.flush();
    for mut request in http.incoming_requests() {
        // GET/HEAD: the staking page's files; OPTIONS: a CORS preflight;
        // anything else (POST) is JSON-RPC.
        match request.method().clone() {
            tiny_http::Method::Get | tiny_http::Method::Head => {
                crate::web::serve(request, &web_dir);
                continue;
            }
            tiny_http::Method::Options => {
                crate::web::preflight(request);
                continue;
            }
            _ => {}
        }
        let trusted = crate::web::trusted_origin(&request, port);
        let mut body = String::new();
        if request.as_reader().read_to_string(&mut body).is_err() {
            continue;
        }
        let reply = match serde_json::from_str::<Value>(&body) {
            Ok(Value::Array(batch)) => {
                let mut answers = Vec::with_capacity(batch.len());
                for r in &batch {
                    answers.push(runtime.block_on(answer(&mut node, r, trusted)));
                }
                Value::Array(answers)
            }
            Ok(single) => runtime.block_on(answer(&mut node, &single, trusted)),
            Err(_) => {
                json!({ "jsonrpc": "2.0", "error": { "code": -32700, "message": "Parse error" }, "id": null })
            }
        };
        let header = tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..])
            .expect("header");
        let _ = request.respond(
            tiny_http::Response::from_string(reply.to_string())
                .with_header(header)
                .with_header(crate::web::allow_any_origin()),
        );
    }
    ExitCode::SUCCESS
}
