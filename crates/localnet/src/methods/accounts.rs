//! Accounts: balances, account data, program accounts, token balances.
//! Every address asked about joins the addresses `getProgramAccounts` scans.

use std::str::FromStr;

use backstop_client::token;
use serde_json::{Value, json};
use solana_pubkey::Pubkey;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::response::{Response, RpcKeyedAccount};

use crate::node::Node;
use crate::wire::{
    RpcError, RpcResult, ctx, encode_account, filters_allow, param, pubkey_param, ui_token_amount,
};

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
        let value = self
            .account(&key)
            .await
            .map(|a| encode_account(&key, &a, &config));
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
            values.push(
                self.account(&key)
                    .await
                    .map(|a| encode_account(&key, &a, &config)),
            );
        }
        Ok(json!({ "context": ctx(slot), "value": values }))
    }

    /// Params: `[program, config?]`; scans the addresses the node has seen.
    pub(crate) async fn get_program_accounts(&mut self, params: &Value) -> RpcResult {
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
                account: serde_json::from_value(encode_account(
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

    /// Params: `[owner, {"mint": M} | {"programId": P}, config?]`: the token
    /// accounts (either token program) whose owner is `owner`, of mint `M` or
    /// of token program `P`, among the addresses the node has seen (every
    /// account a transaction named, receipt accounts a `wrap` created
    /// included).
    pub(crate) async fn get_token_accounts_by_owner(&mut self, params: &Value) -> RpcResult {
        let owner = pubkey_param(params, 0)?;
        let filter: Value = param(params, 1)?
            .ok_or_else(|| RpcError::invalid_params("missing the mint or programId filter"))?;
        let wanted = |key: &str| -> Result<Option<Pubkey>, RpcError> {
            filter
                .get(key)
                .and_then(Value::as_str)
                .map(|k| {
                    Pubkey::from_str(k)
                        .map_err(|_| RpcError::invalid_params(format!("invalid {key} {k}")))
                })
                .transpose()
        };
        let (mint, program) = (wanted("mint")?, wanted("programId")?);
        if mint.is_none() == program.is_none() {
            return Err(RpcError::invalid_params(
                "give exactly one of mint and programId",
            ));
        }
        if let Some(p) = program
            && p != token::SPL_TOKEN_PROGRAM
            && p != token::TOKEN_2022_PROGRAM
        {
            return Err(RpcError::invalid_params("unrecognized token program id"));
        }
        let config: RpcAccountInfoConfig = param(params, 2)?.unwrap_or_default();
        let slot = self.slot().await;
        let mut found = Vec::new();
        for key in self.known.clone() {
            let Some(account) = self.account(&key).await else {
                continue;
            };
            if account.owner != token::SPL_TOKEN_PROGRAM
                && account.owner != token::TOKEN_2022_PROGRAM
            {
                continue;
            }
            let (Some(holder), Some((of_mint, _))) = (
                token::token_account_owner(&account.data),
                token::token_account_mint_and_amount(&account.data),
            ) else {
                continue;
            };
            if holder != owner
                || mint.is_some_and(|m| m != of_mint)
                || program.is_some_and(|p| p != account.owner)
            {
                continue;
            }
            found.push(RpcKeyedAccount {
                pubkey: key.to_string(),
                account: serde_json::from_value(encode_account(&key, &account, &config))
                    .map_err(RpcError::server)?,
            });
        }
        Ok(json!(Response {
            context: ctx(slot),
            value: found
        }))
    }

    /// Params: `[token account]`.
    pub(crate) async fn get_token_account_balance(&mut self, params: &Value) -> RpcResult {
        let key = pubkey_param(params, 0)?;
        let slot = self.slot().await;
        let account = self
            .account(&key)
            .await
            .ok_or_else(|| RpcError::invalid_params("could not find account"))?;
        // Either token program, extensions included.
        let (mint, amount) = token::token_account_mint_and_amount(&account.data)
            .ok_or_else(|| RpcError::invalid_params("not a token account"))?;
        let decimals = match self.account(&mint).await {
            Some(m) => token::mint_decimals(&m.data).unwrap_or(0),
            None => 0,
        };
        Ok(json!(Response {
            context: ctx(slot),
            value: ui_token_amount(amount, decimals)
        }))
    }
}
