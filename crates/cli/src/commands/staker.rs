//! Stakers: stake, unstake request / cancel / complete, status.

use anyhow::{Result, anyhow, bail};
use backstop_client::amount::format_amount_grouped;
use backstop_client::ix::Asset;
use backstop_client::token::associated_token_account;
use backstop_client::types::{Pool, Stake};
use backstop_client::{ix, pda, token, views};
use clap::{Args, Subcommand};
use serde_json::{Value, json};

use super::{Global, POOL_HINT, amount, pubkey};

#[derive(Args, Debug)]
pub struct StakeArgs {
    /// The pool's mint
    #[arg(long, value_name = "MINT_ADDRESS")]
    pub mint: String,
    /// Amount in token units, e.g. 1250.5
    #[arg(long, value_name = "AMOUNT")]
    pub amount: String,
    /// Token account to pay from [default: your associated token account]
    #[arg(long, value_name = "TOKEN_ACCOUNT")]
    pub from: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Unstake {
    /// Request to unstake SHARES, or AMOUNT at the current share price
    Request {
        #[arg(long, value_name = "MINT_ADDRESS")]
        mint: String,
        /// Shares to unstake
        #[arg(long, value_name = "SHARES", conflicts_with = "amount")]
        shares: Option<u128>,
        /// Amount in token units, converted to shares at the current price
        #[arg(long, value_name = "AMOUNT")]
        amount: Option<String>,
    },
    /// Cancel the pending request (gains made meanwhile are forfeited)
    Cancel {
        #[arg(long, value_name = "MINT_ADDRESS")]
        mint: String,
    },
    /// Complete the request after the cooldown
    Complete {
        #[arg(long, value_name = "MINT_ADDRESS")]
        mint: String,
        /// Token account to receive [default: your associated token account]
        #[arg(long, value_name = "TOKEN_ACCOUNT")]
        to: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    #[arg(long, value_name = "MINT_ADDRESS")]
    pub mint: String,
    /// Whose stake [default: yours]
    #[arg(long, value_name = "OWNER_ADDRESS")]
    pub owner: Option<String>,
}

pub fn stake(global: &Global, a: &StakeArgs) -> Result<()> {
    let c = global.cluster()?;
    let mint = pubkey(&a.mint, "mint")?;
    let units = amount(&a.amount, c.decimals(&mint)?)?;
    let asset = c.asset(&mint)?;
    let from = match &a.from {
        Some(f) => pubkey(f, "from")?,
        None => associated_token_account(&c.me(), asset),
    };
    let pool_key = pda::pool(&mint);
    c.must::<Pool>(&pool_key, "pool", POOL_HINT)?;
    let stake_ix = ix::stake(c.me(), asset, c.treasury()?, from, units);
    let sent = c.send(&[c.with_hook_accounts(stake_ix, &mint)?])?;
    let sig = sent.signature();
    let pool: Pool = c.must(&pool_key, "pool", POOL_HINT)?;
    let stake: Option<Stake> = c.fetch(&pda::stake(&pool_key, &c.me()))?;
    let shares = stake.map(|s| views::stake_shares(&s, &pool)).unwrap_or(0);
    global.print(
        &format!("staked {}: you hold {shares} shares ({sig})", a.amount),
        &json!({ "signature": sig, "amount": units, "shares": shares.to_string() }),
    );
    Ok(())
}

pub fn unstake(global: &Global, cmd: &Unstake) -> Result<()> {
    let c = global.cluster()?;
    match cmd {
        Unstake::Request {
            mint,
            shares,
            amount: value,
        } => {
            let mint = pubkey(mint, "mint")?;
            let pool: Pool = c.must(&pda::pool(&mint), "pool", POOL_HINT)?;
            let shares = match (shares, value) {
                (Some(s), _) => *s,
                (None, Some(a)) => views::shares_for_amount(&pool, amount(a, pool.decimals)?)
                    .map_err(|e| anyhow!("{a} in shares: {e:?}"))?,
                (None, None) => bail!("give --shares or --amount"),
            };
            let asset = Asset::owned_by(pool.mint, pool.token_program);
            let request = ix::request_unstake(c.me(), asset, c.treasury()?, shares);
            let sent = c.send(&[c.with_hook_accounts(request, &pool.mint)?])?;
            let sig = sent.signature();
            let stake: Stake = c.must(
                &pda::stake(&pda::pool(&mint), &c.me()),
                "stake",
                "you have no stake in this pool",
            )?;
            let request = stake
                .current_request(pool.epoch)
                .ok_or_else(|| anyhow!("the request is not on the stake account"))?;
            let unlocks = request.unlocks_at();
            global.print(
                &format!(
                    "requested {shares} shares worth {} (completable from unix time {unlocks}) ({sig})",
                    format_amount_grouped(request.value, pool.decimals)
                ),
                &json!({ "signature": sig, "shares": shares.to_string(), "value": request.value,
                         "unlocks_at": unlocks }),
            );
        }
        Unstake::Cancel { mint } => {
            let mint = pubkey(mint, "mint")?;
            let sig = c.send(&[ix::cancel_unstake(c.me(), mint)])?.signature();
            global.print(&format!("cancelled ({sig})"), &json!({ "signature": sig }));
        }
        Unstake::Complete { mint, to } => {
            let mint = pubkey(mint, "mint")?;
            let asset = c.asset(&mint)?;
            let to = match to {
                Some(t) => pubkey(t, "to")?,
                None => associated_token_account(&c.me(), asset),
            };
            let before = c.token_balance(&to)?;
            let complete = ix::complete_unstake(c.me(), asset, to);
            let sig = c
                .send(&[c.with_hook_accounts(complete, &mint)?])?
                .signature();
            let paid = c.token_balance(&to)?.saturating_sub(before);
            let decimals = c.decimals(&mint)?;
            global.print(
                &format!("received {} ({sig})", format_amount_grouped(paid, decimals)),
                &json!({ "signature": sig, "paid": paid }),
            );
        }
    }
    Ok(())
}

pub fn status(global: &Global, a: &StatusArgs) -> Result<()> {
    let c = global.read_only()?;
    let mint = pubkey(&a.mint, "mint")?;
    let owner = match &a.owner {
        Some(o) => pubkey(o, "owner")?,
        None => c.me(),
    };
    let now = c.now()?;
    let pool_key = pda::pool(&mint);
    let pool: Pool = c.must(&pool_key, "pool", POOL_HINT)?;
    let d = pool.decimals;
    let stake: Option<Stake> = c.fetch(&pda::stake(&pool_key, &owner))?;
    let (shares, value, request) = match &stake {
        Some(s) => (
            views::stake_shares(s, &pool),
            views::stake_value(s, &pool).unwrap_or(0),
            views::stake_request(s, &pool),
        ),
        None => (0, 0, None),
    };
    let price = views::share_price_e9(&pool) as f64 / 1e9;
    let mut human = format!(
        "pool {pool_key}\n  assets        {}\n  shares        {}\n  share price   {price:.9}\n  epoch         {}\nyour stake ({owner})\n  shares        {shares}\n  value         {}",
        format_amount_grouped(pool.assets, d),
        pool.total_shares,
        pool.epoch,
        format_amount_grouped(value, d)
    );
    let protocol = c.protocol()?;
    let times = stake
        .as_ref()
        .and_then(|s| views::stake_request_times(s, &pool, &protocol, now));
    let request_json = match (request, times) {
        (Some((n, v, ts)), Some((unlocks, lapses_at))) => {
            human.push_str(&format!(
                "\n  request       {n} shares worth {} ; {}",
                format_amount_grouped(v, d),
                if now >= unlocks {
                    "ready to complete".to_string()
                } else {
                    format!("{} s left in the cooldown", unlocks - now)
                }
            ));
            if pool.open_records > 0 {
                human.push_str(
                    "\n  a recorded loss is pending on this pool: exits wait until it is resolved",
                );
            }
            json!({ "shares": n.to_string(), "value": v, "ts": ts, "unlocks_at": unlocks,
                    "seconds_left": (unlocks - now).max(0), "lapses_at": lapses_at,
                    "loss_pending": pool.open_records > 0 })
        }
        _ => Value::Null,
    };
    // receipt tokens of the current epoch the owner holds, and their value
    let receipt_mint = pda::receipt_mint(&pool_key, u64::from(pool.epoch));
    let receipts = c.token_balance(&token::receipt_account(&owner, &receipt_mint))?;
    let receipts_value = views::receipt_value(&pool, u64::from(pool.epoch), receipts).unwrap_or(0);
    if receipts > 0 {
        human.push_str(&format!(
            "\n  receipts      {receipts} (epoch {}), worth {}",
            pool.epoch,
            format_amount_grouped(receipts_value, d)
        ));
    }
    global.print(
        &human,
        &json!({ "pool": pool_key.to_string(), "owner": owner.to_string(), "assets": pool.assets, "total_shares": pool.total_shares.to_string(),
                 "epoch": pool.epoch, "shares": shares.to_string(), "value": value, "request": request_json,
                 "wrapped": pool.wrapped, "receipts": receipts, "receipts_value": receipts_value,
                 "receipt_mint": receipt_mint.to_string() }),
    );
    Ok(())
}
