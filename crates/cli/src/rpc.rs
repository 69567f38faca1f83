//! The CLI's connection to a cluster: the Solana CLI's habits for `--url` and
//! `--keypair`, amounts in human units, and program errors by name.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anchor_lang::{AccountDeserialize, Discriminator};
use anyhow::{Context, Result, anyhow, bail};
use backstop_client::ix::Asset;
use backstop_client::{decode, pda, token};
use solana_account_decoder::UiAccountEncoding;
use solana_commitment_config::CommitmentConfig;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_rpc_client::rpc_client::RpcClient;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_signer::Signer;
use solana_transaction::Transaction;

/// `--url`: a moniker (`localhost`, `devnet`, `testnet`, `mainnet-beta`) or a URL.
pub fn resolve_url(url: Option<&str>) -> String {
    let configured = url
        .map(str::to_string)
        .or_else(|| config_value("json_rpc_url"));
    match configured.as_deref() {
        None | Some("localhost") | Some("l") => "http://127.0.0.1:8899".into(),
        Some("devnet") | Some("d") => "https://api.devnet.solana.com".into(),
        Some("testnet") | Some("t") => "https://api.testnet.solana.com".into(),
        Some("mainnet-beta") | Some("m") => "https://api.mainnet-beta.solana.com".into(),
        Some(other) => other.to_string(),
    }
}

/// `--keypair`: the given path, else the Solana CLI config's, else `~/.config/solana/id.json`.
pub fn resolve_keypair_path(path: Option<&Path>) -> PathBuf {
    if let Some(p) = path {
        return p.to_path_buf();
    }
    if let Some(p) = config_value("keypair_path") {
        return PathBuf::from(p);
    }
    home().join(".config/solana/id.json")
}

fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// Reads one `key: value` of the Solana CLI config file (`~/.config/solana/cli/config.yml`).
fn config_value(key: &str) -> Option<String> {
    let text = std::fs::read_to_string(home().join(".config/solana/cli/config.yml")).ok()?;
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        (k.trim() == key).then(|| v.trim().trim_matches(['\'', '"']).to_string())
    })
}

/// Parses `1250.5` into base units for a mint with `decimals`, exactly.
pub fn parse_amount(text: &str, decimals: u8) -> Result<u64> {
    let text = text.replace('_', "");
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole
            .chars()
            .chain(frac.chars())
            .all(|c| c.is_ascii_digit())
    {
        bail!("{text:?} is not an amount");
    }
    if frac.len() > decimals as usize {
        bail!("{text} has more than {decimals} decimal places");
    }
    let scale = 10u128.pow(decimals as u32);
    let whole: u128 = if whole.is_empty() { 0 } else { whole.parse()? };
    let frac_units: u128 = if frac.is_empty() {
        0
    } else {
        frac.parse::<u128>()? * 10u128.pow((decimals as usize - frac.len()) as u32)
    };
    let units = whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(frac_units))
        .ok_or_else(|| anyhow!("{text} is too large"))?;
    u64::try_from(units).map_err(|_| anyhow!("{text} is too large"))
}

/// Formats base units with the mint's decimals (`1250.5`).
pub fn format_amount(units: u64, decimals: u8) -> String {
    if decimals == 0 {
        return units.to_string();
    }
    let scale = 10u64.pow(decimals as u32);
    let frac = format!("{:0width$}", units % scale, width = decimals as usize);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{}", units / scale)
    } else {
        format!("{}.{frac}", units / scale)
    }
}

pub fn parse_pubkey(text: &str) -> Result<Pubkey> {
    Pubkey::from_str(text).map_err(|_| anyhow!("{text:?} is not a public key"))
}

pub struct Cluster {
    pub rpc: RpcClient,
    pub url: String,
    pub payer: Keypair,
}

impl Cluster {
    pub fn connect(url: Option<&str>, keypair: Option<&Path>) -> Result<Cluster> {
        let url = resolve_url(url);
        let path = resolve_keypair_path(keypair);
        let payer = crate::localnet::read_keypair(&path).with_context(
            || "set --keypair, or create one with `backstop keygen --outfile PATH`",
        )?;
        Ok(Cluster {
            rpc: RpcClient::new_with_commitment(url.clone(), CommitmentConfig::confirmed()),
            url,
            payer,
        })
    }

    pub fn me(&self) -> Pubkey {
        self.payer.pubkey()
    }

    /// Signs with the payer (and `extra`), sends, confirms. A refusal names
    /// the program error (`CooldownNotElapsed`), as in the IDL.
    pub fn send(&self, instructions: &[Instruction], extra: &[&Keypair]) -> Result<String> {
        let hash = self
            .rpc
            .get_latest_blockhash()
            .context("getLatestBlockhash")?;
        let mut signers: Vec<&Keypair> = vec![&self.payer];
        signers.extend_from_slice(extra);
        let tx = Transaction::new_signed_with_payer(
            instructions,
            Some(&self.payer.pubkey()),
            &signers,
            hash,
        );
        match self.rpc.send_and_confirm_transaction(&tx) {
            Ok(sig) => Ok(sig.to_string()),
            Err(e) => match e.get_transaction_error() {
                Some(te) => Err(anyhow!(
                    "the program refused: {}",
                    backstop_bank::describe(&te)
                )),
                None => Err(anyhow!("the transaction failed: {e}")),
            },
        }
    }

    pub fn now(&self) -> Result<i64> {
        // Clock sysvar: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp.
        let clock = self
            .rpc
            .get_account(&solana_sysvar_clock())
            .context("reading the clock")?;
        let bytes: [u8; 8] = clock
            .data
            .get(32..40)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| anyhow!("bad clock"))?;
        Ok(i64::from_le_bytes(bytes))
    }

    pub fn fetch<T: AccountDeserialize>(&self, key: &Pubkey) -> Result<Option<T>> {
        let account = self
            .rpc
            .get_account_with_commitment(key, self.rpc.commitment())
            .with_context(|| format!("reading {key}"))?
            .value;
        Ok(account.and_then(|a| decode(&a.data)))
    }

    pub fn must<T: AccountDeserialize>(&self, key: &Pubkey, what: &str) -> Result<T> {
        self.fetch(key)?
            .ok_or_else(|| anyhow!("{what} {key} does not exist"))
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
            .get_program_ui_accounts_with_config(&backstop::ID, config)
            .context("getProgramAccounts")?;
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

    pub fn decimals(&self, mint: &Pubkey) -> Result<u8> {
        let account = self
            .rpc
            .get_account(mint)
            .with_context(|| format!("reading mint {mint}"))?;
        token::mint_decimals(&account.data).ok_or_else(|| anyhow!("{mint} is not a mint"))
    }

    /// The asset of `mint`: the token program is the mint account's owner.
    pub fn asset(&self, mint: &Pubkey) -> Result<Asset> {
        let account = self
            .rpc
            .get_account(mint)
            .map_err(|e| anyhow!("reading mint {mint}: {e}"))?;
        Ok(Asset::owned_by(*mint, account.owner))
    }

    pub fn token_balance(&self, account: &Pubkey) -> u64 {
        self.rpc
            .get_account(account)
            .ok()
            .and_then(|a| token::token_account_amount(&a.data))
            .unwrap_or(0)
    }

    pub fn treasury(&self) -> Result<Pubkey> {
        let protocol: backstop::state::Protocol = self.must(&pda::protocol(), "protocol")?;
        Ok(protocol.treasury_at(self.now()?))
    }
}

fn solana_sysvar_clock() -> Pubkey {
    Pubkey::from_str_const("SysvarC1ock11111111111111111111111111111111")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_human_units() {
        assert_eq!(parse_amount("1250.5", 6).unwrap(), 1_250_500_000);
        assert_eq!(parse_amount("0.000001", 6).unwrap(), 1);
        assert_eq!(parse_amount("7", 0).unwrap(), 7);
        assert_eq!(parse_amount("1_000", 2).unwrap(), 100_000);
        assert!(parse_amount("0.0000001", 6).is_err());
        assert!(parse_amount("-1", 6).is_err());
        assert!(parse_amount("1e3", 6).is_err());
        assert!(parse_amount("18446744073709.551616", 6).is_err());
        assert_eq!(format_amount(1_250_500_000, 6), "1250.5");
        assert_eq!(format_amount(1, 6), "0.000001");
        assert_eq!(format_amount(5_000_000, 6), "5");
    }

    #[test]
    fn url_monikers() {
        assert_eq!(resolve_url(Some("localhost")), "http://127.0.0.1:8899");
        assert_eq!(resolve_url(Some("devnet")), "https://api.devnet.solana.com");
        assert_eq!(
            resolve_url(Some("http://127.0.0.1:9000")),
            "http://127.0.0.1:9000"
        );
    }
}
