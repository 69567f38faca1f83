//! Solana's JSON-RPC on the wire: the error object, the request/response
//! envelope, positional params, transactions as clients send them (base58 or
//! base64 of bincode), accounts as clients read them (`encode_ui_account`),
//! and `getProgramAccounts` filters.

use std::str::FromStr;

use base64::Engine;
use serde_json::{Value, json};
use solana_account::Account;
use solana_account_decoder::parse_account_data::{
    AccountAdditionalDataV3, SplTokenAdditionalDataV2,
};
use solana_account_decoder::{UiAccountEncoding, encode_ui_account};
use solana_pubkey::Pubkey;
use solana_rpc_client_api::config::RpcAccountInfoConfig;
use solana_rpc_client_api::filter::RpcFilterType;
use solana_rpc_client_api::response::RpcResponseContext;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_status_client_types::UiTransactionEncoding;

/// A JSON-RPC error: code, message and optional data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Option<Value>,
}

impl RpcError {
    /// A failure inside the node (the bank refused or failed a request).
    pub fn server(e: impl std::fmt::Display) -> RpcError {
        RpcError {
            code: -32000,
            message: e.to_string(),
            data: None,
        }
    }

    pub fn invalid_params(message: impl Into<String>) -> RpcError {
        RpcError {
            code: -32602,
            message: message.into(),
            data: None,
        }
    }

    pub fn method_not_found(message: impl Into<String>) -> RpcError {
        RpcError {
            code: -32601,
            message: message.into(),
            data: None,
        }
    }

    /// A signature that does not verify, or a missing one (`-32003`), as a
    /// validator answers it.
    pub fn signature_failure() -> RpcError {
        RpcError {
            code: -32003,
            message: "Transaction signature verification failure".into(),
            data: None,
        }
    }

    /// A v0 transaction asked for without `maxSupportedTransactionVersion`
    /// (`-32015`), in a validator's words.
    pub fn unsupported_version(e: solana_transaction_status::EncodeError) -> RpcError {
        let solana_transaction_status::EncodeError::UnsupportedTransactionVersion(version) = e;
        RpcError {
            code: -32015,
            message: format!(
                "Transaction version ({version}) is not supported by the requesting client. Please try the request again with the following configuration parameter: \"maxSupportedTransactionVersion\": {version}"
            ),
            data: None,
        }
    }

    /// A request whose `minContextSlot` the node has not reached (`-32016`).
    pub fn min_context_slot_not_reached(context_slot: u64) -> RpcError {
        RpcError {
            code: -32016,
            message: "Minimum context slot has not been reached".into(),
            data: Some(json!({ "contextSlot": context_slot })),
        }
    }

    /// A transaction refused before or instead of processing (`-32002`).
    pub fn simulation_failed(message: impl Into<String>, data: Option<Value>) -> RpcError {
        RpcError {
            code: -32002,
            message: message.into(),
            data,
        }
    }
}

pub(crate) type RpcResult = Result<Value, RpcError>;

/// `{ "jsonrpc": "2.0", "result": …, "id": … }`
pub(crate) fn success(id: Value, result: Value) -> Value {
    json!({ "jsonrpc": "2.0", "result": result, "id": id })
}

/// `{ "jsonrpc": "2.0", "error": { code, message, data? }, "id": … }`
pub(crate) fn failure(id: Value, e: RpcError) -> Value {
    let mut error = json!({ "code": e.code, "message": e.message });
    if let Some(data) = e.data {
        error["data"] = data;
    }
    json!({ "jsonrpc": "2.0", "error": error, "id": id })
}

/// The context every `Response` carries.
pub(crate) fn ctx(slot: u64) -> RpcResponseContext {
    RpcResponseContext {
        slot,
        api_version: None,
    }
}

/// Positional param `i`: `None` when absent or null.
pub(crate) fn param<T: serde::de::DeserializeOwned>(
    params: &Value,
    i: usize,
) -> Result<Option<T>, RpcError> {
    match params.get(i) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v.clone())
            .map(Some)
            .map_err(|e| RpcError::invalid_params(format!("param {i}: {e}"))),
    }
}

/// Positional param `i`, which must be present.
pub(crate) fn required<T: serde::de::DeserializeOwned>(
    params: &Value,
    i: usize,
    missing: &str,
) -> Result<T, RpcError> {
    param(params, i)?.ok_or_else(|| RpcError::invalid_params(missing))
}

/// Positional param `i`: a base58 public key.
pub(crate) fn pubkey_param(params: &Value, i: usize) -> Result<Pubkey, RpcError> {
    let s: String = required(params, i, &format!("param {i}: missing pubkey"))?;
    Pubkey::from_str(&s)
        .map_err(|_| RpcError::invalid_params(format!("param {i}: invalid pubkey {s}")))
}

/// The most a transaction may take on the wire (Solana's packet data):
/// a validator refuses a larger one before looking at it, and so does the
/// node, so a client that builds one finds out here, not on mainnet.
pub(crate) const PACKET_DATA_SIZE: usize = 1_232;

/// A transaction as `sendTransaction` and `simulateTransaction` receive it
/// (base58 unless the config says otherwise), and its wire bytes.
pub(crate) fn decode_tx(
    encoded: &str,
    encoding: Option<UiTransactionEncoding>,
) -> Result<(VersionedTransaction, Vec<u8>), RpcError> {
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
    if bytes.len() > PACKET_DATA_SIZE {
        return Err(RpcError::invalid_params(format!(
            "transaction too large: {} bytes (max: {PACKET_DATA_SIZE})",
            bytes.len()
        )));
    }
    let tx: VersionedTransaction = bincode::deserialize(&bytes)
        .map_err(|e| RpcError::invalid_params(format!("failed to deserialize transaction: {e}")))?;
    Ok((tx, bytes))
}

/// An account as `getAccountInfo` answers it (base64 unless asked otherwise;
/// the legacy `binary` encoding is base58). `jsonParsed` parses what a
/// validator parses (token accounts and mints of both token programs,
/// lookup tables, system and sysvar accounts, ...); a token account needs
/// its mint's data (`token`), and anything unparsed falls back to base64.
pub(crate) fn encode_account(
    key: &Pubkey,
    account: &Account,
    config: &RpcAccountInfoConfig,
    token: Option<SplTokenAdditionalDataV2>,
) -> Value {
    let encoding = config.encoding.unwrap_or(UiAccountEncoding::Base64);
    let encoding = if encoding == UiAccountEncoding::Binary {
        UiAccountEncoding::Base58
    } else {
        encoding
    };
    let additional = token.map(|t| AccountAdditionalDataV3 {
        spl_token_additional_data: Some(t),
    });
    json!(encode_ui_account(
        key,
        account,
        encoding,
        additional,
        config.data_slice
    ))
}

/// Whether an account passes every `getProgramAccounts` filter.
pub(crate) fn filters_allow(filters: &[RpcFilterType], account: &Account) -> bool {
    filters.iter().all(|f| match f {
        RpcFilterType::DataSize(size) => account.data.len() as u64 == *size,
        RpcFilterType::Memcmp(m) => m.bytes_match(&account.data),
        RpcFilterType::TokenAccountState => {
            backstop_client::token::token_account_amount(&account.data).is_some()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_keypair::Keypair;
    use solana_rpc_client_api::filter::Memcmp;
    use solana_signer::Signer;

    #[test]
    fn params_are_positional_and_null_is_absent() {
        let params = json!([5, null, "x"]);
        assert_eq!(param::<u64>(&params, 0).unwrap(), Some(5));
        assert_eq!(param::<u64>(&params, 1).unwrap(), None);
        assert_eq!(param::<u64>(&params, 9).unwrap(), None);
        let e = param::<u64>(&params, 2).unwrap_err();
        assert_eq!(e.code, -32602);
        assert!(e.message.starts_with("param 2: "), "{}", e.message);
        let e = required::<u64>(&params, 1, "missing seconds").unwrap_err();
        assert_eq!(e, RpcError::invalid_params("missing seconds"));
    }

    #[test]
    fn pubkey_params() {
        let key = Pubkey::new_unique();
        assert_eq!(pubkey_param(&json!([key.to_string()]), 0).unwrap(), key);
        assert_eq!(
            pubkey_param(&json!([]), 0).unwrap_err().message,
            "param 0: missing pubkey"
        );
        assert_eq!(
            pubkey_param(&json!(["nope"]), 0).unwrap_err().message,
            "param 0: invalid pubkey nope"
        );
    }

    #[test]
    fn envelopes() {
        assert_eq!(
            success(json!(1), json!("ok")).to_string(),
            r#"{"jsonrpc":"2.0","result":"ok","id":1}"#
        );
        assert_eq!(
            failure(json!(2), RpcError::method_not_found("Method not found: x")).to_string(),
            r#"{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found: x"},"id":2}"#
        );
        let with_data = failure(
            Value::Null,
            RpcError::simulation_failed("failed", Some(json!({ "logs": [] }))),
        );
        assert_eq!(with_data["error"]["code"], -32002);
        assert_eq!(with_data["error"]["data"]["logs"], json!([]));
    }

    fn transfer() -> VersionedTransaction {
        let payer = Keypair::new();
        let ix = solana_system_interface::instruction::transfer(
            &payer.pubkey(),
            &Pubkey::new_unique(),
            1,
        );
        let tx = solana_transaction::Transaction::new_signed_with_payer(
            &[ix],
            Some(&payer.pubkey()),
            &[&payer],
            solana_hash::Hash::new_unique(),
        );
        VersionedTransaction::from(tx)
    }

    #[test]
    fn transactions_decode_from_base58_and_base64() {
        let tx = transfer();
        let bytes = bincode::serialize(&tx).unwrap();
        let b58 = bs58::encode(&bytes).into_string();
        let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let (decoded, wire) = decode_tx(&b58, None).unwrap();
        assert_eq!(decoded, tx);
        assert_eq!(wire, bytes);
        let (decoded, _) = decode_tx(&b64, Some(UiTransactionEncoding::Base64)).unwrap();
        assert_eq!(decoded, tx);
        assert!(decode_tx(&b64, Some(UiTransactionEncoding::Json)).is_err());
        assert!(decode_tx("0OIl", None).is_err());
        assert!(decode_tx(&bs58::encode([1, 2, 3]).into_string(), None).is_err());
    }

    #[test]
    fn accounts_encode_base64_by_default() {
        let account = Account {
            lamports: 42,
            data: vec![1, 2, 3],
            owner: Pubkey::new_unique(),
            executable: false,
            rent_epoch: 0,
        };
        let key = Pubkey::new_unique();
        let v = encode_account(&key, &account, &RpcAccountInfoConfig::default(), None);
        assert_eq!(v["lamports"], 42);
        assert_eq!(v["data"], json!(["AQID", "base64"]));
        let binary = RpcAccountInfoConfig {
            encoding: Some(UiAccountEncoding::Binary),
            ..Default::default()
        };
        assert_eq!(
            encode_account(&key, &account, &binary, None)["data"],
            json!(["Ldp", "base58"])
        );
    }

    #[test]
    fn filters() {
        let account = Account {
            lamports: 1,
            data: vec![9, 8, 7, 6],
            owner: Pubkey::new_unique(),
            executable: false,
            rent_epoch: 0,
        };
        assert!(filters_allow(&[], &account));
        assert!(filters_allow(&[RpcFilterType::DataSize(4)], &account));
        assert!(!filters_allow(&[RpcFilterType::DataSize(5)], &account));
        let at_1 = RpcFilterType::Memcmp(Memcmp::new_raw_bytes(1, vec![8, 7]));
        let wrong = RpcFilterType::Memcmp(Memcmp::new_raw_bytes(0, vec![8]));
        assert!(filters_allow(std::slice::from_ref(&at_1), &account));
        assert!(!filters_allow(&[at_1, wrong], &account));
        assert!(!filters_allow(
            &[RpcFilterType::TokenAccountState],
            &account
        ));
    }
}
