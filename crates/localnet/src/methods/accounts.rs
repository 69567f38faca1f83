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
        self.token_accounts_of(params, token_owner).await
    }

    /// Params: `[delegate, {"mint": M} | {"programId": P}, config?]`: as
    /// `getTokenAccountsByOwner`, for the accounts that approved `delegate`.
    pub(crate) async fn get_token_accounts_by_delegate(&mut self, params: &Value) -> RpcResult {
        self.token_accounts_of(params, token_delegate).await
    }

    async fn token_accounts_of(
        &mut self,
        params: &Value,
        holder_of: fn(&[u8]) -> Option<Pubkey>,
    ) -> RpcResult {
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
                holder_of(&account.data),
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

/// A token account's owner (either token program).
fn token_owner(data: &[u8]) -> Option<Pubkey> {
    token::token_account_owner(data)
}

/// A token account's delegate, if it approved one: the `COption<Pubkey>` at
/// offset 72 of the base account, the same in both token programs.
fn token_delegate(data: &[u8]) -> Option<Pubkey> {
    token::token_account_owner(data)?;
    let tag = u32::from_le_bytes(data.get(72..76)?.try_into().ok()?);
    let key: [u8; 32] = data.get(76..108)?.try_into().ok()?;
    (tag == 1).then(|| Pubkey::new_from_array(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delegate_is_read_from_the_base_account() {
        let mut data = vec![0u8; 165];
        let (mint, owner, delegate) = (
            Pubkey::new_unique(),
            Pubkey::new_unique(),
            Pubkey::new_unique(),
        );
        data[..32].copy_from_slice(mint.as_ref());
        data[32..64].copy_from_slice(owner.as_ref());
        data[108] = 1; // AccountState::Initialized
        assert_eq!(token_owner(&data), Some(owner));
        assert_eq!(token_delegate(&data), None);
        data[72] = 1;
        data[76..108].copy_from_slice(delegate.as_ref());
        assert_eq!(token_delegate(&data), Some(delegate));
        assert_eq!(token_delegate(&data[..100]), None);
    }

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
