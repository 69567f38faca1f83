//! Market operator records (integration tests): deposits, withdrawals,
//! positions, bankruptcies, signed by the operator's keypair.

use anyhow::{Result, anyhow};
use backstop_client::types::{Lender, Market, Position};
use backstop_client::{ix, pda, views};
use clap::Subcommand;
use serde_json::json;

use super::{Global, MARKET_HINT, amount, pubkey};
use crate::cluster::Cluster;

#[derive(Subcommand, Debug)]
pub enum Operator {
    /// Record a lender's deposit
    Deposit {
        /// Market index
        #[arg(long, value_name = "INDEX")]
        market: u16,
        #[arg(long, value_name = "OWNER_ADDRESS")]
        owner: String,
        /// Amount in token units
        #[arg(long, value_name = "AMOUNT")]
        amount: String,
    },
    /// Record a lender's withdrawal
    Withdraw {
        /// Market index
        #[arg(long, value_name = "INDEX")]
        market: u16,
        #[arg(long, value_name = "OWNER_ADDRESS")]
        owner: String,
        /// Amount in token units
        #[arg(long, value_name = "AMOUNT")]
        amount: String,
    },
    /// Set a perp position's size (signed base units)
    Position {
        /// Market index
        #[arg(long, value_name = "INDEX")]
        market: u16,
        #[arg(long, value_name = "OWNER_ADDRESS")]
        owner: String,
        /// Position size in base units, negative for a short
        #[arg(long, value_name = "BASE", allow_hyphen_values = true)]
        base: i64,
    },
    /// Record a bankruptcy
    Bankrupt {
        /// Market index
        #[arg(long, value_name = "INDEX")]
        market: u16,
        #[arg(long, value_name = "DEBTOR_ADDRESS")]
        debtor: String,
        /// Deficit in token units
        #[arg(long, value_name = "AMOUNT")]
        amount: String,
        /// `aggregate` markets: the market's total exposure now (lender
        /// deposits or open interest, in base units)
        #[arg(long, value_name = "BASE_UNITS", default_value = "0")]
        exposure: String,
    },
}

fn units(c: &Cluster, market: u16, text: &str) -> Result<u64> {
    let m: Market = c.must(&pda::market(market), "market", MARKET_HINT)?;
    amount(text, c.decimals(&m.mint)?)
}

pub fn run(global: &Global, cmd: &Operator) -> Result<()> {
    let c = global.cluster()?;
    let me = c.me();
    let (what, ix, market, subject) = match cmd {
        Operator::Deposit {
            market,
            owner,
            amount,
        } => {
            let owner = pubkey(owner, "owner")?;
            let units = units(&c, *market, amount)?;
            let ix = ix::record_deposit(me, me, *market, owner, units);
            ("record_deposit", ix, *market, owner)
        }
        Operator::Withdraw {
            market,
            owner,
            amount,
        } => {
            let owner = pubkey(owner, "owner")?;
            let units = units(&c, *market, amount)?;
            let ix = ix::record_withdrawal(me, *market, owner, units);
            ("record_withdrawal", ix, *market, owner)
        }
        Operator::Position {
            market,
            owner,
            base,
        } => {
            let owner = pubkey(owner, "owner")?;
            c.must::<Market>(&pda::market(*market), "market", MARKET_HINT)?;
            let ix = ix::record_position(me, me, *market, owner, *base);
            ("record_position", ix, *market, owner)
        }
        Operator::Bankrupt {
            market,
            debtor,
            amount,
            exposure,
        } => {
            let debtor = pubkey(debtor, "debtor")?;
            let exposure: u128 = exposure
                .replace('_', "")
                .parse()
                .map_err(|_| anyhow!("--exposure {exposure:?} is not a whole number"))?;
            let units = units(&c, *market, amount)?;
            let mint = c
                .must::<Market>(&pda::market(*market), "market", MARKET_HINT)?
                .mint;
            let ix = ix::record_bankruptcy(me, me, *market, mint, debtor, units, exposure);
            ("record_bankruptcy", ix, *market, debtor)
        }
    };
    let sig = c.send(&[ix])?.signature();
    let market_key = pda::market(market);
    let m: Market = c.must(&market_key, "market", MARKET_HINT)?;
    let mut machine = json!({ "action": what, "signature": sig });
    let mut human = format!("{what}: {sig}");
    if let Some(l) = c.fetch::<Lender>(&pda::lender(&market_key, &subject))? {
        let balance = views::lender_balance(&l, &m).unwrap_or(0);
        human.push_str(&format!("\nlender balance {balance}"));
        machine["lender_balance"] = json!(balance);
    }
    if let Some(p) = c.fetch::<Position>(&pda::position(&market_key, &subject))? {
        let owed = views::position_owed(&p, &m).unwrap_or(0);
        human.push_str(&format!("\nposition base {} owed {owed}", p.base));
        machine["base"] = json!(p.base);
        machine["owed"] = json!(owed);
    }
    global.print(&human, &machine);
    Ok(())
}
