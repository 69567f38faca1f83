//! Transactions: airdrops, sending, simulating, and what became of them.

use serde_json::{Value, json};
use solana_account_decoder::UiAccountEncoding;
use solana_message::AccountKeys;
use solana_pubkey::Pubkey;
use solana_rpc_client_api::config::{
    RpcEncodingConfigWrapper, RpcSendTransactionConfig, RpcSignaturesForAddressConfig,
    RpcSimulateTransactionConfig, RpcTransactionConfig,
};
use solana_rpc_client_api::response::{
    Response, RpcBlockhash, RpcConfirmedTransactionStatusWithSignature,
    RpcSimulateTransactionResult,
};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_status::{
    ConfirmedTransactionWithStatusMeta, TransactionConfirmationStatus, TransactionStatus,
    TransactionWithStatusMeta, UiTransactionEncoding, map_inner_instructions,
    parse_ui_inner_instructions,
};

use crate::node::Node;
use crate::wire::{RpcError, RpcResult, ctx, decode_tx, param, pubkey_param, required};

/// Whether the transaction carries one valid signature for each signer its
/// message requires.
pub(crate) fn signatures_verify(tx: &VersionedTransaction) -> bool {
    tx.signatures.len() == usize::from(tx.message.header().num_required_signatures)
        && tx.verify_with_results().iter().all(|ok| *ok)
}

impl Node {
    /// Params: `[pubkey, lamports]`: a transfer from the bank's fee payer.
    pub(crate) async fn request_airdrop(&mut self, params: &Value) -> RpcResult {
        let key = pubkey_param(params, 0)?;
        let lamports: u64 = param(params, 1)?.unwrap_or(0);
        let ix = solana_system_interface::instruction::transfer(
            &self.bank.payer_pubkey(),
            &key,
            lamports,
        );
        let payer = self.bank.payer().insecure_clone();
        let hash = self.recent_blockhash().await?;
        let tx = solana_transaction::Transaction::new_signed_with_payer(
            &[ix],
            Some(&payer.pubkey()),
            &[&payer],
            hash,
        );
        self.process(VersionedTransaction::from(tx), true).await
    }

    /// Params: `[transaction, config?]`; answers the signature once processed.
    /// Every signature is verified first, as a validator does: with preflight
    /// a bad one is refused (`-32003`); with `skipPreflight` the signature is
    /// answered and the transaction dropped, as a validator's sigverify drops
    /// it, so its status stays unknown.
    pub(crate) async fn send_transaction(&mut self, params: &Value) -> RpcResult {
        let encoded: String = required(params, 0, "missing transaction")?;
        let config: RpcSendTransactionConfig = param(params, 1)?.unwrap_or_default();
        let (tx, _) = decode_tx(&encoded, config.encoding)?;
        if !signatures_verify(&tx) {
            if config.skip_preflight {
                return Ok(json!(
                    tx.signatures
                        .first()
                        .copied()
                        .unwrap_or_default()
                        .to_string()
                ));
            }
            return Err(RpcError::signature_failure());
        }
        self.process(tx, config.skip_preflight).await
    }

    /// Params: `[transaction, config?]`; the answer carries `err`, `logs`,
    /// `unitsConsumed`, `returnData`, with `innerInstructions: true` the
    /// calls into other programs, with `accounts` the accounts as the
    /// simulation left them (natively from a scratch bank, see
    /// `Bank::simulate_with_accounts`), and with `replaceRecentBlockhash`
    /// the blockhash used.
    pub(crate) async fn simulate_transaction(&mut self, params: &Value) -> RpcResult {
        let encoded: String = required(params, 0, "missing transaction")?;
        let config: RpcSimulateTransactionConfig = param(params, 1)?.unwrap_or_default();
        let (mut tx, _) = decode_tx(&encoded, config.encoding)?;
        if config.sig_verify && config.replace_recent_blockhash {
            return Err(RpcError::invalid_params(
                "sigVerify may not be used with replaceRecentBlockhash",
            ));
        }
        if config.sig_verify && !signatures_verify(&tx) {
            return Err(RpcError::signature_failure());
        }
        let mut replacement = None;
        if config.replace_recent_blockhash {
            let (hash, last_valid) = self.latest_blockhash().await?;
            tx.message.set_recent_blockhash(hash);
            replacement = Some(RpcBlockhash {
                blockhash: hash.to_string(),
                last_valid_block_height: last_valid,
            });
        }
        let loaded = self.loaded_addresses(&tx).await;
        let slot = self.slot().await;
        let (result, details) = self
            .bank
            .simulate(tx.clone())
            .await
            .map_err(RpcError::server)?;
        let details = details.unwrap_or_default();
        let keys = tx.message.static_account_keys();
        let account_keys = AccountKeys::new(keys, Some(&loaded));
        let inner_instructions = config.inner_instructions.then(|| {
            map_inner_instructions(details.inner_instructions.clone().unwrap_or_default())
                .map(|i| parse_ui_inner_instructions(i, &account_keys))
                .collect()
        });
        let accounts = match &config.accounts {
            None => None,
            Some(wanted) => {
                let encoding = wanted.encoding.unwrap_or(UiAccountEncoding::Base64);
                let mut keys = Vec::with_capacity(wanted.addresses.len());
                for address in &wanted.addresses {
                    keys.push(address.parse::<Pubkey>().map_err(|_| {
                        RpcError::invalid_params(format!("invalid pubkey {address}"))
                    })?);
                }
                let names = crate::record::account_keys(&tx, &loaded);
                let (_, post) = self
                    .bank
                    .simulate_with_accounts(tx.clone(), &names, &keys)
                    .await
                    .map_err(RpcError::server)?;
                let mut accounts = Vec::with_capacity(keys.len());
                for (key, account) in keys.iter().zip(post) {
                    accounts.push(match account {
                        Some(a) => Some(
                            serde_json::from_value(self.encode_with(key, &a, encoding).await)
                                .map_err(RpcError::server)?,
                        ),
                        None => None,
                    });
                }
                Some(accounts)
            }
        };
        Ok(json!(Response {
            context: ctx(slot),
            value: RpcSimulateTransactionResult {
                err: result.and_then(|r| r.err()).map(Into::into),
                logs: Some(details.logs),
                accounts,
                units_consumed: Some(details.compute_units),
                loaded_accounts_data_size: Some(details.loaded_accounts_data_size.unwrap_or(0)),
                return_data: details.return_data.map(|(program_id, data)| {
                    solana_transaction_context::TransactionReturnData { program_id, data }.into()
                }),
                inner_instructions,
                replacement_blockhash: replacement,
                fee: Some(crate::record::fee(&tx)),
                pre_balances: None,
                post_balances: None,
                pre_token_balances: None,
                post_token_balances: None,
                loaded_addresses: None,
            },
        }))
    }

    /// An account in `encoding`, with its mint's data for `jsonParsed`.
    async fn encode_with(
        &mut self,
        key: &Pubkey,
        account: &solana_account::Account,
        encoding: UiAccountEncoding,
    ) -> Value {
        let config = solana_rpc_client_api::config::RpcAccountInfoConfig {
            encoding: Some(encoding),
            ..Default::default()
        };
        self.encode(key, account, &config).await
    }

    /// Params: `[[signature, …]]`; every processed transaction is final
    /// as soon as its block is (at once).
    pub(crate) async fn get_signature_statuses(&mut self, params: &Value) -> RpcResult {
        let sigs: Vec<String> = param(params, 0)?.unwrap_or_default();
        if sigs.len() > 256 {
            return Err(RpcError::invalid_params(
                "Too many inputs provided; max 256",
            ));
        }
        let slot = self.slot().await;
        let value: Vec<Option<TransactionStatus>> = sigs
            .iter()
            .map(|s| {
                self.transactions.get(s).map(|p| TransactionStatus {
                    slot: p.slot,
                    confirmations: None,
                    status: match p.err() {
                        None => Ok(()),
                        Some(e) => Err(e),
                    },
                    err: p.err(),
                    confirmation_status: Some(TransactionConfirmationStatus::Finalized),
                })
            })
            .collect();
        Ok(json!(Response {
            context: ctx(slot),
            value
        }))
    }

    /// Params: `[signature, config | encoding?]`: the transaction in the
    /// encoding asked for (`json` by default; `jsonParsed`, `base64`,
    /// `base58`), with its meta; a v0 transaction only with
    /// `maxSupportedTransactionVersion` (-32015 otherwise).
    pub(crate) async fn get_transaction(&mut self, params: &Value) -> RpcResult {
        let sig: String = required(params, 0, "missing signature")?;
        let config = param::<RpcEncodingConfigWrapper<RpcTransactionConfig>>(params, 1)?
            .map(|c| c.convert_to_current())
            .unwrap_or_default();
        let Some(p) = self.transactions.get(&sig) else {
            return Ok(Value::Null);
        };
        let confirmed = ConfirmedTransactionWithStatusMeta {
            slot: p.slot,
            tx_with_meta: TransactionWithStatusMeta::Complete(p.with_meta.clone()),
            block_time: Some(p.block_time),
        };
        let encoding = config.encoding.unwrap_or(UiTransactionEncoding::Json);
        let encoded = confirmed
            .encode(encoding, config.max_supported_transaction_version)
            .map_err(RpcError::unsupported_version)?;
        Ok(json!(encoded))
    }

    /// Params: `[pubkey, { limit, before, until }?]`; newest first.
    pub(crate) async fn get_signatures_for_address(&mut self, params: &Value) -> RpcResult {
        let key = pubkey_param(params, 0)?;
        let config: RpcSignaturesForAddressConfig = param(params, 1)?.unwrap_or_default();
        let limit = config.limit.unwrap_or(1_000);
        if !(1..=1_000).contains(&limit) {
            return Err(RpcError::invalid_params(format!(
                "Invalid limit; max {}",
                1_000
            )));
        }
        let newest_first = self.order.iter().rev();
        let after_before =
            newest_first.skip_while(|s| config.before.as_ref().is_some_and(|b| *s != b));
        let skip_before = usize::from(config.before.is_some());
        let value: Vec<RpcConfirmedTransactionStatusWithSignature> = after_before
            .skip(skip_before)
            .take_while(|s| config.until.as_ref() != Some(*s))
            .filter_map(|s| self.transactions.get(s).map(|p| (s, p)))
            .filter(|(_, p)| p.keys().contains(&key))
            .take(limit)
            .map(|(s, p)| RpcConfirmedTransactionStatusWithSignature {
                signature: s.clone(),
                slot: p.slot,
                err: p.err().map(Into::into),
                memo: None,
                block_time: Some(p.block_time),
                confirmation_status: Some(TransactionConfirmationStatus::Finalized),
            })
            .collect();
        Ok(json!(value))
    }
}
