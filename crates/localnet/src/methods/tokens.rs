//! Token queries, over the addresses the node has seen, either token
//! program: accounts by owner or delegate, balances, supply, largest holders.

use std::str::FromStr;

use backstop_client::token;
use serde_json::{Value, json};
use solana_pubkey::Pubkey;
use solana_rpc_client_api::config::RpcAccountInfoConfig;
use solana_rpc_client_api::response::{Response, RpcKeyedAccount};

use crate::node::Node;
use solana_account_decoder::parse_token::token_amount_to_ui_amount_v3;

use crate::wire::{RpcError, RpcResult, ctx, param, pubkey_param};

impl Node {
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
                account: serde_json::from_value(self.encode(&key, &account, &config).await)
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
        self.ui_amount(&mint, amount, slot).await
    }

    /// `amount` of `mint` as a validator shows it: its decimals, and its
    /// interest-bearing or scaled-UI-amount configuration applied.
    async fn ui_amount(&mut self, mint: &Pubkey, amount: u64, slot: u64) -> RpcResult {
        let data = self
            .mint_data(mint)
            .await
            .ok_or_else(|| RpcError::invalid_params("Invalid param: not a Token mint"))?;
        Ok(json!(Response {
            context: ctx(slot),
            value: token_amount_to_ui_amount_v3(amount, &data)
        }))
    }

    /// Params: `[mint]`: its supply as a token amount.
    pub(crate) async fn get_token_supply(&mut self, params: &Value) -> RpcResult {
        let mint = pubkey_param(params, 0)?;
        let slot = self.slot().await;
        let account = self
            .account(&mint)
            .await
            .ok_or_else(|| RpcError::invalid_params("Invalid param: could not find account"))?;
        let supply = backstop_client::token::mint_supply(&account.data)
            .ok_or_else(|| RpcError::invalid_params("Invalid param: not a Token mint"))?;
        self.ui_amount(&mint, supply, slot).await
    }

    /// Params: `[mint]`: the 20 largest accounts of `mint`, largest first,
    /// as `{ address, amount, decimals, uiAmount, uiAmountString }`.
    pub(crate) async fn get_token_largest_accounts(&mut self, params: &Value) -> RpcResult {
        let mint = pubkey_param(params, 0)?;
        let slot = self.slot().await;
        let data = self
            .mint_data(&mint)
            .await
            .ok_or_else(|| RpcError::invalid_params("Invalid param: not a Token mint"))?;
        let mut holders = Vec::new();
        for key in self.known.clone() {
            let Some(account) = self.account(&key).await else {
                continue;
            };
            if !crate::record::is_token_program(&account.owner) {
                continue;
            }
            if let Some((of_mint, amount)) = token::token_account_mint_and_amount(&account.data)
                && of_mint == mint
            {
                holders.push((amount, key));
            }
        }
        holders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let value: Vec<Value> = holders
            .into_iter()
            .take(20)
            .map(|(amount, key)| {
                let mut entry = json!(token_amount_to_ui_amount_v3(amount, &data));
                entry["address"] = json!(key.to_string());
                entry
            })
            .collect();
        Ok(json!(Response {
            context: ctx(slot),
            value
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
}
