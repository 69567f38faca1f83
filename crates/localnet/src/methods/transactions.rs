//! Transactions: airdrops, sending, simulating, and what became of them.

use base64::Engine;
use serde_json::{Value, json};
use solana_rpc_client_api::config::{RpcSendTransactionConfig, RpcSimulateTransactionConfig};
use solana_rpc_client_api::response::{
    Response, RpcBlockhash, RpcConfirmedTransactionStatusWithSignature,
    RpcSimulateTransactionResult,
};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_status_client_types::{TransactionConfirmationStatus, TransactionStatus};

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
        let wire = bincode::serialize(&tx).unwrap_or_default();
        self.process(VersionedTransaction::from(tx), wire, true)
            .await
    }

    /// Params: `[transaction, config?]`; answers the signature once processed.
    /// Every signature is verified first, as a validator does: with preflight
    /// a bad one is refused (`-32003`); with `skipPreflight` the signature is
    /// answered and the transaction dropped, as a validator's sigverify drops
    /// it, so its status stays unknown.
    pub(crate) async fn send_transaction(&mut self, params: &Value) -> RpcResult {
        let encoded: String = required(params, 0, "missing transaction")?;
        let config: RpcSendTransactionConfig = param(params, 1)?.unwrap_or_default();
        let (tx, wire) = decode_tx(&encoded, config.encoding)?;
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
        self.process(tx, wire, config.skip_preflight).await
    }

    /// Params: `[transaction, config?]`; the answer carries `err`, `logs`,
    /// `unitsConsumed` and, with `replaceRecentBlockhash`, the blockhash used.
    pub(crate) async fn simulate_transaction(&mut self, params: &Value) -> RpcResult {
        let encoded: String = required(params, 0, "missing transaction")?;
        let config: RpcSimulateTransactionConfig = param(params, 1)?.unwrap_or_default();
        let (mut tx, _) = decode_tx(&encoded, config.encoding)?;
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

    /// Params: `[[signature, …]]`; every processed transaction is finalized.
    pub(crate) async fn get_signature_statuses(&mut self, params: &Value) -> RpcResult {
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

    /// Params: `[signature]`; the transaction as base64, with its logs.
    pub(crate) async fn get_transaction(&mut self, params: &Value) -> RpcResult {
        let sig: String = required(params, 0, "missing signature")?;
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

    /// Params: `[pubkey, { limit }?]`; newest first.
    pub(crate) async fn get_signatures_for_address(&mut self, params: &Value) -> RpcResult {
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
}
