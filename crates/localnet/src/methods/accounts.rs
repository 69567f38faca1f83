//! Accounts: balances, account data, program accounts, token balances.
//! Every address asked about joins the addresses `getProgramAccounts` scans.

use std::str::FromStr;

use serde_json::{Value, json};
use solana_pubkey::Pubkey;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::response::{Response, RpcKeyedAccount};

use crate::node::Node;
use crate::wire::{RpcError, RpcResult, ctx, filters_allow, param, pubkey_param};

impl Node {
    /// Params: `[pubkey]`.
    pub(crate) async fn get_balance(&mut self, params: &Value) -> RpcResult {
        let key = pubkey_param(params, 0)?;
        let slot = self.slot().await;
        let lamports = self.bank.lamports(key).await;
        Ok(json!(Response {
            context: ctx(slot),
            value: lamports
        }))
    }

    /// Params: `[pubkey, config?]`.
    pub(crate) async fn get_account_info(&mut self, params: &Value) -> RpcResult {
        let key = pubkey_param(params, 0)?;
        let config: RpcAccountInfoConfig = param(params, 1)?.unwrap_or_default();
        let slot = self.slot().await;
        self.known.insert(key);
        let value = match self.account(&key).await {
            Some(a) => Some(self.encode(&key, &a, &config).await),
            None => None,
        };
        Ok(json!({ "context": ctx(slot), "value": value }))
    }

    /// Params: `[[pubkey, …], config?]`.
    pub(crate) async fn get_multiple_accounts(&mut self, params: &Value) -> RpcResult {
        let keys: Vec<String> = param(params, 0)?.unwrap_or_default();
        let config: RpcAccountInfoConfig = param(params, 1)?.unwrap_or_default();
        let slot = self.slot().await;
        let mut values = Vec::with_capacity(keys.len());
        for k in keys {
            let key = Pubkey::from_str(&k)
                .map_err(|_| RpcError::invalid_params(format!("invalid pubkey {k}")))?;
            self.known.insert(key);
            let value = match self.account(&key).await {
                Some(a) => Some(self.encode(&key, &a, &config).await),
                None => None,
            };
            values.push(value);
        }
        Ok(json!({ "context": ctx(slot), "value": values }))
    }

    /// Params: `[program, config?]`; scans the addresses the node has seen.
    pub(crate) async fn get_program_accounts(&mut self, params: &Value) -> RpcResult {
        let program = pubkey_param(params, 0)?;
        let config: RpcProgramAccountsConfig = param(params, 1)?.unwrap_or_default();
        let filters = config.filters.clone().unwrap_or_default();
        // As a validator: a filter it cannot apply (bad base58 in a memcmp,
        // bytes too long) is refused, not ignored.
        for filter in &filters {
            filter
                .verify()
                .map_err(|e| RpcError::invalid_params(format!("Invalid params: {e}")))?;
        }
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
                account: serde_json::from_value(
                    self.encode(&key, &account, &config.account_config).await,
                )
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_a_validator_cannot_apply_is_refused() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let admin = solana_keypair::Keypair::new();
        let (mut node, _) = runtime.block_on(Node::start(&admin, 0, None)).unwrap();
        let program = backstop_client::PROGRAM_ID.to_string();
        let bad = json!([program, { "filters": [{ "memcmp": { "offset": 0, "bytes": "0OIl" } }] }]);
        let refused = runtime
            .block_on(node.get_program_accounts(&bad))
            .unwrap_err();
        assert_eq!(refused.code, -32602);
        let good = json!([program, { "filters": [{ "dataSize": 360 }] }]);
        assert!(runtime.block_on(node.get_program_accounts(&good)).is_ok());
    }
}
