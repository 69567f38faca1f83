//! Tokens on a local node: mint to an owner's associated token account, or
//! show a balance (either token program; the mint's owner says which).

use anyhow::Result;
use backstop_client::amount::format_amount_grouped;
use backstop_client::token::{
    associated_token_account, create_associated_token_account_idempotent, mint_to,
};
use clap::Subcommand;
use serde_json::json;

use super::{Global, amount, pubkey};

#[derive(Subcommand, Debug)]
pub enum Token {
    /// Mint tokens to an owner's associated token account, creating it if
    /// needed (amount 0 only creates it); you must be the mint authority
    Mint {
        #[arg(long, value_name = "MINT_ADDRESS")]
        mint: String,
        /// The owner [default: you]
        #[arg(long, value_name = "OWNER_ADDRESS")]
        to: Option<String>,
        /// Amount in token units
        #[arg(long, value_name = "AMOUNT", default_value = "0")]
        amount: String,
    },
    /// Show an owner's associated token account for a mint and its balance
    Balance {
        #[arg(long, value_name = "MINT_ADDRESS")]
        mint: String,
        /// The owner [default: you]
        #[arg(long, value_name = "OWNER_ADDRESS")]
        owner: Option<String>,
    },
}

pub fn run(global: &Global, cmd: &Token) -> Result<()> {
    match cmd {
        Token::Mint {
            mint,
            to,
            amount: text,
        } => {
            let c = global.cluster()?;
            let mint = pubkey(mint, "mint")?;
            let owner = match to {
                Some(t) => pubkey(t, "to")?,
                None => c.me(),
            };
            let decimals = c.decimals(&mint)?;
            let units = amount(text, decimals)?;
            let asset = c.asset(&mint)?;
            let account = associated_token_account(&owner, asset);
            let mut ixs = vec![create_associated_token_account_idempotent(
                &c.me(),
                &owner,
                asset,
            )];
            if units > 0 {
                ixs.push(mint_to(asset, &account, &c.me(), units));
            }
            let sig = c.send(&ixs)?.signature();
            let balance = c.token_balance(&account)?;
            global.print(
                &format!(
                    "{account} now holds {} ({sig})",
                    format_amount_grouped(balance, decimals)
                ),
                &json!({ "account": account.to_string(), "balance": balance, "signature": sig }),
            );
        }
        Token::Balance { mint, owner } => {
            let c = global.read_only()?;
            let mint = pubkey(mint, "mint")?;
            let owner = match owner {
                Some(o) => pubkey(o, "owner")?,
                None => c.me(),
            };
            let account = associated_token_account(&owner, c.asset(&mint)?);
            let balance = c.token_balance(&account)?;
            let decimals = c.decimals(&mint)?;
            global.print(
                &format!("{account}: {}", format_amount_grouped(balance, decimals)),
                &json!({ "account": account.to_string(), "balance": balance }),
            );
        }
    }
    Ok(())
}
