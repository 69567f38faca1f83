//! The CLI's connection to a cluster: reads with errors that say what
//! happened, and sends with a compute-unit limit measured by simulation and
//! an optional priority fee.

use std::str::FromStr;

use anchor_lang::{AccountDeserialize, Discriminator};
use anyhow::{Result, anyhow};
use backstop_client::ix::Asset;
use backstop_client::types::{PROGRAM_ID, Protocol};
use backstop_client::{decode, pda, token};
use serde_json::json;
use solana_account::Account;
use solana_account_decoder::{UiAccount, UiAccountEncoding};
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_instruction::Instruction;
use solana_pubkey::Pubkey;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSimulateTransactionConfig,
};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_rpc_client_api::request::RpcRequest;
use solana_rpc_client_api::response::Response;
use solana_signer::Signer;
use solana_transaction::Transaction;

use crate::config::Settings;
use crate::failure::Failure;

/// The most compute units a transaction may ask for.
pub const MAX_COMPUTE_UNITS: u32 = 1_400_000;

/// The limit set from a simulation that consumed `units`: 10 % more, plus
/// 1,000, at most the maximum.
pub fn compute_unit_limit(units: u64) -> u32 {
    let limit = units.saturating_add(units / 10).saturating_add(1_000);
    limit.min(MAX_COMPUTE_UNITS as u64) as u32
}

/// A transaction sent (or, in a dry run, only simulated).
#[derive(Debug, Clone)]
pub struct Sent {
    /// `None` in a dry run.
    pub signature: Option<String>,
    /// What the simulation consumed, if the node reported it.
    pub units_consumed: Option<u64>,
    pub compute_unit_limit: Option<u32>,
}

impl Sent {
    pub fn signature(&self) -> String {
        self.signature
            .clone()
            .unwrap_or_else(|| "dry run: not sent".into())
    }
}

pub struct Cluster {
    pub rpc: RpcClient,
    pub url: String,
    signer: Option<Box<dyn Signer>>,
    me: Pubkey,
    /// `--with-compute-unit-price`, micro-lamports per compute unit.
    pub cu_price: Option<u64>,
    /// Simulate instead of sending.
    pub dry_run: bool,
}

impl Cluster {
    /// With the signer of `--keypair`.
    pub fn connect(s: &Settings, cu_price: Option<u64>) -> Result<Cluster> {
        let signer = crate::keys::signer(&s.keypair)?;
        let me = signer.pubkey();
        Ok(Cluster {
            rpc: RpcClient::new_with_commitment(s.url.clone(), s.commitment),
            url: s.url.clone(),
            signer: Some(signer),
            me,
            cu_price,
            dry_run: false,
        })
    }

    /// Without a signer (for `--print-ix`): `--keypair` may be a public key.
    pub fn read_only(s: &Settings) -> Result<Cluster> {
        Ok(Cluster {
            rpc: RpcClient::new_with_commitment(s.url.clone(), s.commitment),
            url: s.url.clone(),
            signer: None,
            me: crate::keys::pubkey(&s.keypair)?,
            cu_price: None,
            dry_run: false,
        })
    }

    pub fn me(&self) -> Pubkey {
        self.me
    }

    fn failed(
        &self,
        doing: &str,
    ) -> impl Fn(solana_rpc_client_api::client_error::Error) -> anyhow::Error + '_ {
        let doing = doing.to_string();
        move |e| anyhow::Error::new(Failure::from_client(&self.url, &doing, &e))
    }

    fn budget(&self, limit: u32) -> Vec<Instruction> {
        let mut ixs = vec![ComputeBudgetInstruction::set_compute_unit_limit(limit)];
        if let Some(price) = self.cu_price {
            ixs.push(ComputeBudgetInstruction::set_compute_unit_price(price));
        }
        ixs
    }

    /// Simulates (at the maximum limit) to measure the compute units, then
    /// signs and sends with the limit set from it and the priority fee. A
    /// refusal names the program error (`CooldownNotElapsed`), as in the IDL.
    pub fn send(&self, instructions: &[Instruction]) -> Result<Sent> {
        let signer = self
            .signer
            .as_deref()
            .ok_or_else(|| anyhow!("no signer: --keypair is a public key"))?;
        let hash = self
            .rpc
            .get_latest_blockhash()
            .map_err(self.failed("getLatestBlockhash"))?;
        let sign = |limit: u32| {
            let mut all = self.budget(limit);
            all.extend_from_slice(instructions);
            Transaction::new_signed_with_payer(&all, Some(&self.me), &[signer], hash)
        };
        let simulated = self
            .rpc
            .simulate_transaction_with_config(
                &sign(MAX_COMPUTE_UNITS),
                RpcSimulateTransactionConfig {
                    commitment: Some(self.rpc.commitment()),
                    ..Default::default()
                },
            )
            .map_err(self.failed("simulateTransaction"))?
            .value;
        if let Some(err) = simulated.err {
            return Err(Failure::refused(&err.into(), &self.url, "").into());
        }
        let units = simulated.units_consumed;
        let limit = units.map(compute_unit_limit).unwrap_or(MAX_COMPUTE_UNITS);
        if self.dry_run {
            return Ok(Sent {
                signature: None,
                units_consumed: units,
                compute_unit_limit: Some(limit),
            });
        }
        let tx = sign(limit);
        let signature = tx.signatures[0].to_string();
        match self.rpc.send_and_confirm_transaction(&tx) {
            Ok(sig) => Ok(Sent {
                signature: Some(sig.to_string()),
                units_consumed: units,
                compute_unit_limit: Some(limit),
            }),
            Err(e) => Err(
                match Failure::from_client(&self.url, "sendTransaction", &e) {
                    Failure::Expired { url, .. } => Failure::Expired { url, signature },
                    f => f,
                }
                .into(),
            ),
        }
    }

    /// An account, or `None` if it does not exist. (Through `getAccountInfo`
    /// directly: RpcClient's helpers report every failure, a refused
    /// connection included, as "AccountNotFound".)
    pub fn account(&self, key: &Pubkey) -> Result<Option<Account>> {
        let config = RpcAccountInfoConfig {
            encoding: Some(UiAccountEncoding::Base64),
            commitment: Some(self.rpc.commitment()),
            ..Default::default()
        };
        let response: Response<Option<UiAccount>> = self
            .rpc
            .send(RpcRequest::GetAccountInfo, json!([key.to_string(), config]))
            .map_err(self.failed(&format!("getAccountInfo {key}")))?;
        match response.value {
            None => Ok(None),
            Some(ui) => ui.decode().map(Some).ok_or_else(|| {
                anyhow!("{} sent account {key} in an unreadable encoding", self.url)
            }),
        }
    }

    /// An account that must exist: `what` it is and a hint if it does not.
    pub fn existing(&self, key: &Pubkey, what: &str, hint: &str) -> Result<Account> {
        self.account(key)?.ok_or_else(|| {
            Failure::AccountMissing {
                url: self.url.clone(),
                account: key.to_string(),
                what: what.into(),
                hint: hint.into(),
            }
            .into()
        })
    }

    pub fn fetch<T: AccountDeserialize>(&self, key: &Pubkey) -> Result<Option<T>> {
        Ok(self.account(key)?.and_then(|a| decode(&a.data)))
    }

    pub fn must<T: AccountDeserialize>(&self, key: &Pubkey, what: &str, hint: &str) -> Result<T> {
        let account = self.existing(key, what, hint)?;
        decode(&account.data).ok_or_else(|| {
            anyhow!(
                "{what} {key} on {} is not a Backstop {what} account",
                self.url
            )
        })
    }

    pub fn now(&self) -> Result<i64> {
        let clock = Pubkey::from_str("SysvarC1ock11111111111111111111111111111111")?;
        let clock = self.existing(&clock, "clock sysvar", "the node serves no clock")?;
        // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp.
        let bytes: [u8; 8] = clock
            .data
            .get(32..40)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| anyhow!("the clock sysvar is malformed"))?;
        Ok(i64::from_le_bytes(bytes))
    }

    pub fn slot(&self) -> Result<u64> {
        self.rpc.get_slot().map_err(self.failed("getSlot"))
    }

    /// Every account of type `T` (Anchor discriminator filter).
    pub fn all<T: AccountDeserialize + Discriminator>(&self) -> Result<Vec<(Pubkey, T)>> {
        let config = RpcProgramAccountsConfig {
            filters: Some(vec![RpcFilterType::Memcmp(Memcmp::new_raw_bytes(
                0,
                T::DISCRIMINATOR.to_vec(),
            ))]),
            account_config: RpcAccountInfoConfig {
                encoding: Some(UiAccountEncoding::Base64),
                ..Default::default()
            },
            ..Default::default()
        };
        let found = self
            .rpc
            .get_program_ui_accounts_with_config(&PROGRAM_ID, config)
            .map_err(self.failed("getProgramAccounts"))?;
        Ok(found
            .into_iter()
            .filter_map(|(key, ui)| {
                ui.data
                    .decode()
                    .and_then(|d| decode::<T>(&d))
                    .map(|t| (key, t))
            })
            .collect())
    }

    fn mint_account(&self, mint: &Pubkey) -> Result<Account> {
        self.existing(mint, "mint", "check --mint (a token mint on this cluster)")
    }

    pub fn decimals(&self, mint: &Pubkey) -> Result<u8> {
        token::mint_decimals(&self.mint_account(mint)?.data)
            .ok_or_else(|| anyhow!("{mint} on {} is not a token mint", self.url))
    }

    /// The asset of `mint`: the token program is the mint account's owner.
    pub fn asset(&self, mint: &Pubkey) -> Result<Asset> {
        Ok(Asset::owned_by(*mint, self.mint_account(mint)?.owner))
    }

    /// `ix` with the accounts `mint`'s transfer hook needs appended (nothing
    /// for a mint without a hook): Backstop forwards them to every transfer
    /// it makes, and Token-2022 refuses a transfer of a hooked mint without
    /// them.
    pub fn with_hook_accounts(&self, ix: Instruction, mint: &Pubkey) -> Result<Instruction> {
        let mint_account = self.mint_account(mint)?;
        let Some(program) = backstop_client::hook::hook_program(&mint_account.data) else {
            return Ok(ix);
        };
        let validation =
            self.account(&backstop_client::hook::validation_address(mint, &program))?;
        let extra = backstop_client::hook::extra_accounts(
            mint,
            &mint_account.data,
            validation.as_ref().map(|a| a.data.as_slice()),
        )
        .map_err(|e| anyhow!("the transfer hook of {mint}: {e}"))?;
        Ok(backstop_client::hook::with_extra_accounts(ix, &extra))
    }

    /// A token account's owner (its authority).
    pub fn token_owner(&self, account: &Pubkey) -> Result<Pubkey> {
        self.account(account)?
            .and_then(|a| token::token_account_owner(&a.data))
            .ok_or_else(|| anyhow!("{account} on {} is not a token account", self.url))
    }

    /// A token account's balance; 0 if it does not exist.
    pub fn token_balance(&self, account: &Pubkey) -> Result<u64> {
        Ok(self
            .account(account)?
            .and_then(|a| token::token_account_amount(&a.data))
            .unwrap_or(0))
    }

    pub fn protocol(&self) -> Result<Protocol> {
        self.must(
            &pda::protocol(),
            "protocol",
            "the protocol is not initialised on this cluster (`backstop gov init`), or --url \
             points at another cluster",
        )
    }

    pub fn treasury(&self) -> Result<Pubkey> {
        Ok(self.protocol()?.treasury_at(self.now()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_is_ten_percent_plus_a_thousand() {
        assert_eq!(compute_unit_limit(0), 1_000);
        assert_eq!(compute_unit_limit(20_000), 23_000);
        assert_eq!(compute_unit_limit(1_399_999), MAX_COMPUTE_UNITS);
    }
}
