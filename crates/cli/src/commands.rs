//! The cluster commands of the `backstop` CLI: stakers, keepers, governance
//! and operators, over JSON-RPC.

use std::path::PathBuf;

use anyhow::{Result, anyhow, bail};
use backstop::events::ChangeField;
use backstop::instructions::{CreateMarketArgs, InitializeProtocolArgs, MarketUpdate};
use backstop::state::{
    Bankruptcy, ExposureMode, Lender, Market, MarketKind, Pool, PoolParams, PoolParamsUpdate,
    Position, Stake,
};
use backstop_client::ix::Asset;
use backstop_client::token::{
    self, associated_token_account, create_associated_token_account_idempotent,
};
use backstop_client::{ix, pda, views};
use clap::{Args, Subcommand};
use serde_json::{Value, json};
use solana_instruction::Instruction;
use solana_pubkey::Pubkey;

use crate::rpc::{Cluster, format_amount, parse_amount, parse_pubkey};

/// Options every cluster command takes.
#[derive(Args, Debug, Clone)]
pub struct Global {
    /// RPC URL or moniker: localhost, devnet, testnet, mainnet-beta (default: the
    /// Solana CLI config's json_rpc_url, else localhost).
    #[arg(long, short = 'u', global = true)]
    pub url: Option<String>,
    /// Signer keypair (default: the Solana CLI config's, else ~/.config/solana/id.json).
    #[arg(long, short = 'k', global = true)]
    pub keypair: Option<PathBuf>,
    /// Machine-readable output.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum Unstake {
    /// Request to unstake SHARES (or AMOUNT at the current price).
    Request {
        #[arg(long)]
        mint: String,
        #[arg(long, conflicts_with = "amount")]
        shares: Option<u128>,
        #[arg(long)]
        amount: Option<String>,
    },
    /// Cancel the pending request (gains made meanwhile are forfeited).
    Cancel {
        #[arg(long)]
        mint: String,
    },
    /// Complete the request after the cooldown.
    Complete {
        #[arg(long)]
        mint: String,
        /// Token account to receive (default: your associated token account).
        #[arg(long)]
        to: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum Gov {
    /// Create the protocol (signed by the program's upgrade authority).
    Init {
        #[arg(long)]
        admin: Option<String>,
        #[arg(long)]
        guardian: String,
        #[arg(long)]
        treasury: String,
        #[arg(long, default_value_t = 172_800)]
        governance_delay: u64,
        #[arg(long)]
        print_ix: bool,
    },
    /// Create the pool of a mint (SPL Token or Token-2022).
    CreatePool {
        #[arg(long)]
        mint: String,
        #[command(flatten)]
        params: ParamArgs,
        /// Accept a Token-2022 mint with a permanent delegate (as PYUSD has),
        /// whose holder could take the fund's tokens.
        #[arg(long)]
        allow_permanent_delegate: bool,
        #[arg(long)]
        print_ix: bool,
    },
    /// Change pool parameters (at once).
    SetPool {
        #[arg(long)]
        mint: String,
        #[command(flatten)]
        params: ParamArgs,
        #[arg(long)]
        print_ix: bool,
    },
    /// Create a market (its cap waits the governance delay).
    CreateMarket {
        #[arg(long, value_parser = ["lending", "perp"])]
        kind: String,
        #[arg(long)]
        mint: String,
        #[arg(long)]
        operator: String,
        #[arg(long)]
        settlement: String,
        /// Cap in token units, or "unlimited".
        #[arg(long, default_value = "unlimited")]
        cap: String,
        #[arg(long)]
        isolated: bool,
        #[arg(long, default_value_t = 0)]
        isolated_share_bps: u16,
        /// Where the market's exposure is kept, fixed for its life: `accounts`
        /// (Backstop records every lender/position) or `aggregate` (the host
        /// keeps its own ledger and reports totals with each bankruptcy).
        #[arg(long, value_parser = ["accounts", "aggregate"], default_value = "accounts")]
        exposure: String,
        #[arg(long)]
        print_ix: bool,
    },
    /// Set a market's cap (lowering at once, raising after the delay).
    SetCap {
        #[arg(long)]
        market: u16,
        /// Cap in token units, or "unlimited".
        #[arg(long)]
        cap: String,
        #[arg(long)]
        print_ix: bool,
    },
    /// Change a market's operator or settlement account (delayed) or freeze it.
    UpdateMarket {
        #[arg(long)]
        market: u16,
        #[arg(long)]
        operator: Option<String>,
        #[arg(long)]
        settlement: Option<String>,
        #[arg(long)]
        frozen: Option<bool>,
        #[arg(long)]
        print_ix: bool,
    },
    /// Pause operations: stake, request_unstake, complete_unstake, sweep, premium, operator, resolve, payout.
    Pause {
        #[arg(long, value_delimiter = ',')]
        ops: Vec<String>,
        #[arg(long)]
        print_ix: bool,
    },
    /// Clear pause flags (admin only).
    Unpause {
        #[arg(long, value_delimiter = ',')]
        ops: Vec<String>,
        #[arg(long)]
        print_ix: bool,
    },
    /// Propose a compensation payout (executable after the delay).
    ProposePayout {
        #[arg(long)]
        mint: String,
        #[arg(long)]
        recipient: String,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        print_ix: bool,
    },
    /// Freeze a market: its operator's records are refused (admin, at once).
    Freeze {
        #[arg(long)]
        market: u16,
        #[arg(long)]
        print_ix: bool,
    },
    /// Unfreeze a market (admin, at once).
    Unfreeze {
        #[arg(long)]
        market: u16,
        #[arg(long)]
        print_ix: bool,
    },
    /// Cancel a pending payout: the guardian before its eta, the admin any
    /// time before it is executed.
    CancelPayout {
        #[arg(long)]
        mint: String,
        #[arg(long)]
        id: u64,
        #[arg(long)]
        print_ix: bool,
    },
    /// Cancel a market's pending cap raise.
    CancelChange {
        #[arg(long)]
        market: u16,
        #[arg(long)]
        print_ix: bool,
    },
    /// Propose a new admin (step one of two).
    TransferAdmin {
        #[arg(long)]
        new_admin: String,
        #[arg(long)]
        print_ix: bool,
    },
    /// Accept the admin role (signed by the proposed admin).
    AcceptAdmin {
        #[arg(long)]
        print_ix: bool,
    },
}

#[derive(Args, Debug, Default)]
pub struct ParamArgs {
    #[arg(long)]
    pub cooldown: Option<u64>,
    #[arg(long)]
    pub window: Option<u64>,
    #[arg(long)]
    pub sweep_interval: Option<u64>,
    #[arg(long)]
    pub max_apr_bps: Option<u64>,
    #[arg(long)]
    pub protocol_cut_bps: Option<u64>,
    /// In base units.
    #[arg(long)]
    pub min_stake: Option<u64>,
}

impl ParamArgs {
    fn update(&self) -> PoolParamsUpdate {
        PoolParamsUpdate {
            cooldown: self.cooldown,
            window: self.window,
            sweep_interval: self.sweep_interval,
            max_apr_bps: self.max_apr_bps,
            protocol_cut_bps: self.protocol_cut_bps,
            min_stake: self.min_stake,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Operator {
    /// Record a lender's deposit.
    Deposit {
        #[arg(long)]
        market: u16,
        #[arg(long)]
        owner: String,
        #[arg(long)]
        amount: String,
    },
    /// Record a lender's withdrawal.
    Withdraw {
        #[arg(long)]
        market: u16,
        #[arg(long)]
        owner: String,
        #[arg(long)]
        amount: String,
    },
    /// Set a perp position's size (signed base units).
    Position {
        #[arg(long)]
        market: u16,
        #[arg(long)]
        owner: String,
        #[arg(long, allow_hyphen_values = true)]
        base: i64,
    },
    /// Record a bankruptcy (deficit in token units).
    Bankrupt {
        #[arg(long)]
        market: u16,
        #[arg(long)]
        debtor: String,
        #[arg(long)]
        amount: String,
        /// `aggregate` markets: the market's total exposure now (lender
        /// deposits or open interest, in token units / base units).
        #[arg(long, default_value = "0")]
        exposure: String,
    },
}

fn print(global: &Global, human: String, machine: Value) {
    if global.json {
        println!("{}", serde_json::to_string_pretty(&machine).expect("json"));
    } else {
        println!("{human}");
    }
}

/// Sends, or with `print_ix` prints the instruction for a multisig proposal.
fn send_or_print(
    c: &Cluster,
    global: &Global,
    what: &str,
    ix: Instruction,
    print_ix: bool,
) -> Result<()> {
    if print_ix {
        let accounts: Vec<Value> = ix
            .accounts
            .iter()
            .map(|m| json!({ "pubkey": m.pubkey.to_string(), "signer": m.is_signer, "writable": m.is_writable }))
            .collect();
        let data = bs58::encode(&ix.data).into_string();
        let mut human = format!(
            "program: {}\ndata (base58): {data}\naccounts:\n",
            ix.program_id
        );
        for m in &ix.accounts {
            human.push_str(&format!(
                "  {} {}{}\n",
                m.pubkey,
                if m.is_signer { "signer " } else { "" },
                if m.is_writable { "writable" } else { "" }
            ));
        }
        print(
            global,
            human.trim_end().to_string(),
            json!({ "programId": ix.program_id.to_string(), "accounts": accounts, "data": data }),
        );
        return Ok(());
    }
    let sig = c.send(&[ix], &[])?;
    print(
        global,
        format!("{what}: {sig}"),
        json!({ "action": what, "signature": sig }),
    );
    Ok(())
}

fn cap_units(c: &Cluster, text: &str, mint: &Pubkey) -> Result<u64> {
    if text == "unlimited" {
        return Ok(u64::MAX);
    }
    parse_amount(text, c.decimals(mint)?)
}

pub fn pause_flags(ops: &[String]) -> Result<u16> {
    ops.iter()
        .try_fold(0, |flags, op| match backstop_client::pause::flag(op) {
            Some(flag) => Ok(flags | flag),
            None => bail!("unknown operation {op:?}"),
        })
}

pub fn stake(global: &Global, mint: &str, amount: &str, from: Option<&str>) -> Result<()> {
    let c = Cluster::connect(global.url.as_deref(), global.keypair.as_deref())?;
    let mint = parse_pubkey(mint)?;
    let units = parse_amount(amount, c.decimals(&mint)?)?;
    let asset = c.asset(&mint)?;
    let from = match from {
        Some(f) => parse_pubkey(f)?,
        None => associated_token_account(&c.me(), asset),
    };
    let sig = c.send(&[ix::stake(c.me(), asset, c.treasury()?, from, units)], &[])?;
    let pool: Pool = c.must(&pda::pool(&mint), "pool")?;
    let stake: Stake = c.must(&pda::stake(&pda::pool(&mint), &c.me()), "stake")?;
    print(
        global,
        format!(
            "staked {amount}: you hold {} shares ({sig})",
            views::stake_shares(&stake, &pool)
        ),
        json!({ "signature": sig, "amount": units, "shares": views::stake_shares(&stake, &pool).to_string() }),
    );
    Ok(())
}

pub fn unstake(global: &Global, cmd: &Unstake) -> Result<()> {
    let c = Cluster::connect(global.url.as_deref(), global.keypair.as_deref())?;
    match cmd {
        Unstake::Request {
            mint,
            shares,
            amount,
        } => {
            let mint = parse_pubkey(mint)?;
            let pool: Pool = c.must(&pda::pool(&mint), "pool")?;
            let shares = match (shares, amount) {
                (Some(s), _) => *s,
                (None, Some(a)) => {
                    let units = parse_amount(a, pool.decimals)?;
                    views::shares_for_amount(&pool, units).map_err(|e| anyhow!("{e:?}"))?
                }
                (None, None) => bail!("give --shares or --amount"),
            };
            let sig = c.send(
                &[ix::request_unstake(
                    c.me(),
                    Asset::owned_by(pool.mint, pool.token_program),
                    c.treasury()?,
                    shares,
                )],
                &[],
            )?;
            let stake: Stake = c.must(&pda::stake(&pda::pool(&mint), &c.me()), "stake")?;
            let unlocks = stake.request_ts + pool.params.cooldown as i64;
            print(
                global,
                format!(
                    "requested {shares} shares worth {} (completable from unix time {unlocks}) ({sig})",
                    format_amount(stake.request_value, pool.decimals)
                ),
                json!({ "signature": sig, "shares": shares.to_string(), "value": stake.request_value, "unlocks_at": unlocks }),
            );
        }
        Unstake::Cancel { mint } => {
            let mint = parse_pubkey(mint)?;
            let sig = c.send(&[ix::cancel_unstake(c.me(), mint)], &[])?;
            print(
                global,
                format!("cancelled ({sig})"),
                json!({ "signature": sig }),
            );
        }
        Unstake::Complete { mint, to } => {
            let mint = parse_pubkey(mint)?;
            let asset = c.asset(&mint)?;
            let to = match to {
                Some(t) => parse_pubkey(t)?,
                None => associated_token_account(&c.me(), asset),
            };
            let before = c.token_balance(&to);
            let sig = c.send(&[ix::complete_unstake(c.me(), asset, to)], &[])?;
            let paid = c.token_balance(&to).saturating_sub(before);
            let decimals = c.decimals(&mint)?;
            print(
                global,
                format!("received {} ({sig})", format_amount(paid, decimals)),
                json!({ "signature": sig, "paid": paid }),
            );
        }
    }
    Ok(())
}

pub fn status(global: &Global, mint: &str, owner: Option<&str>) -> Result<()> {
    let c = Cluster::connect(global.url.as_deref(), global.keypair.as_deref())?;
    let mint = parse_pubkey(mint)?;
    let owner = match owner {
        Some(o) => parse_pubkey(o)?,
        None => c.me(),
    };
    let now = c.now()?;
    let pool_key = pda::pool(&mint);
    let pool: Pool = c.must(&pool_key, "pool")?;
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
        format_amount(pool.assets, d),
        pool.total_shares,
        pool.epoch,
        format_amount(value, d)
    );
    let request_json = match request {
        Some((n, v, ts)) => {
            let unlocks = ts + pool.params.cooldown as i64;
            human.push_str(&format!(
                "\n  request       {n} shares worth {} ; {}",
                format_amount(v, d),
                if now >= unlocks {
                    "ready to complete".to_string()
                } else {
                    format!("{} s left in the cooldown", unlocks - now)
                }
            ));
            json!({ "shares": n.to_string(), "value": v, "ts": ts, "unlocks_at": unlocks, "seconds_left": (unlocks - now).max(0) })
        }
        None => Value::Null,
    };
    print(
        global,
        human,
        json!({ "pool": pool_key.to_string(), "assets": pool.assets, "total_shares": pool.total_shares.to_string(),
                "epoch": pool.epoch, "shares": shares.to_string(), "value": value, "request": request_json }),
    );
    Ok(())
}

pub fn sweep(global: &Global, mint: &str, sync: bool) -> Result<()> {
    let c = Cluster::connect(global.url.as_deref(), global.keypair.as_deref())?;
    let mint = parse_pubkey(mint)?;
    let asset = c.asset(&mint)?;
    let ix = if sync {
        ix::sync_vault(c.me(), asset)
    } else {
        ix::sweep_revenue(c.me(), asset, c.treasury()?)
    };
    let before: Pool = c.must(&pda::pool(&mint), "pool")?;
    let sig = c.send(&[ix], &[])?;
    let after: Pool = c.must(&pda::pool(&mint), "pool")?;
    print(
        global,
        format!(
            "{}: assets {} -> {} ({sig})",
            if sync { "synced" } else { "swept" },
            before.assets,
            after.assets
        ),
        json!({ "signature": sig, "assets_before": before.assets, "assets_after": after.assets }),
    );
    Ok(())
}

/// Resolves one record; returns what happened, or `None` if it was already resolved.
pub fn resolve_one(c: &Cluster, index: u16, debtor: &Pubkey) -> Result<Option<Value>> {
    let market_key = pda::market(index);
    let before: Market = c.must(&market_key, "market")?;
    let Some(record) = c.fetch::<Bankruptcy>(&pda::bankruptcy(&market_key, debtor))? else {
        return Ok(None);
    };
    let now = c.now()?;
    let ix = ix::resolve_bankruptcy(
        c.me(),
        index,
        Asset::owned_by(before.mint, before.token_program),
        *debtor,
        before.settlement_at(now),
        before.isolated,
    );
    match c.send(&[ix], &[]) {
        Ok(sig) => {
            let after: Market = c.must(&market_key, "market")?;
            Ok(Some(json!({
                "signature": sig,
                "market": index,
                "debtor": debtor.to_string(),
                "deficit": record.deficit,
                "paid": after.insurance_used - before.insurance_used,
                "socialised": after.socialised - before.socialised,
                "unrecovered": after.unrecovered - before.unrecovered,
                "index_after": after.index_after_loss().to_string(),
            })))
        }
        // Another keeper resolved it between our read and our send.
        Err(_)
            if c.fetch::<Bankruptcy>(&pda::bankruptcy(&market_key, debtor))?
                .is_none() =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

pub fn resolve(global: &Global, market: u16, debtor: &str) -> Result<()> {
    let c = Cluster::connect(global.url.as_deref(), global.keypair.as_deref())?;
    let debtor = parse_pubkey(debtor)?;
    match resolve_one(&c, market, &debtor)? {
        Some(v) => print(
            global,
            format!(
                "resolved: deficit {} = insurance {} + socialised {} + unrecovered {}; index after {} ({})",
                v["deficit"],
                v["paid"],
                v["socialised"],
                v["unrecovered"],
                v["index_after"].as_str().unwrap_or(""),
                v["signature"].as_str().unwrap_or("")
            ),
            v,
        ),
        None => {
            bail!("no open bankruptcy record for {debtor} in market {market} (already resolved?)")
        }
    }
    Ok(())
}

pub fn pools(global: &Global) -> Result<()> {
    let c = Cluster::connect(global.url.as_deref(), global.keypair.as_deref())?;
    let now = c.now()?;
    let mut rows = Vec::new();
    let mut human = String::from(
        "pool                                          mint                                          assets        shares        epoch  sweep due",
    );
    for (key, p) in c.all::<Pool>()? {
        human.push_str(&format!(
            "\n{key:<45} {:<45} {:>13} {:>13} {:>6}  {}",
            p.mint.to_string(),
            format_amount(p.assets, p.decimals),
            p.total_shares,
            p.epoch,
            p.sweep_due(now)
        ));
        rows.push(json!({ "pool": key.to_string(), "mint": p.mint.to_string(), "assets": p.assets,
                          "total_shares": p.total_shares.to_string(), "epoch": p.epoch, "sweep_due": p.sweep_due(now) }));
    }
    print(global, human, json!(rows));
    Ok(())
}

pub fn markets(global: &Global) -> Result<()> {
    let c = Cluster::connect(global.url.as_deref(), global.keypair.as_deref())?;
    let now = c.now()?;
    let mut all = c.all::<Market>()?;
    all.sort_by_key(|(_, m)| m.index);
    let mut rows = Vec::new();
    let mut human = String::from(
        "index kind     exposure   cap                   used        socialised  unrecovered  isolated frozen",
    );
    for (key, m) in all {
        let cap = m.cap_at(now);
        let kind = if m.kind == MarketKind::Lending {
            "lending"
        } else {
            "perp"
        };
        let exposure = match m.exposure_mode {
            ExposureMode::Accounts => "accounts",
            ExposureMode::Aggregate => "aggregate",
        };
        human.push_str(&format!(
            "\n{:>5} {kind:<8} {exposure:<10} {:<21} {:>11} {:>11} {:>12}  {:<8} {}",
            m.index,
            if cap == u64::MAX {
                "unlimited".to_string()
            } else {
                cap.to_string()
            },
            m.insurance_used,
            m.socialised,
            m.unrecovered,
            m.isolated,
            m.frozen
        ));
        rows.push(json!({ "market": key.to_string(), "index": m.index, "kind": kind, "cap": cap,
                          "insurance_used": m.insurance_used, "socialised": m.socialised, "unrecovered": m.unrecovered,
                          "deposit_index": m.deposit_index.to_string(), "loss_index": m.loss_index.to_string(),
                          "open_interest": m.open_interest.to_string(), "isolated": m.isolated,
                          "exposure": exposure, "frozen": m.frozen }));
    }
    print(global, human, json!(rows));
    Ok(())
}

pub fn bankruptcies(global: &Global) -> Result<()> {
    let c = Cluster::connect(global.url.as_deref(), global.keypair.as_deref())?;
    let mut rows = Vec::new();
    let mut human = String::from(
        "market                                        debtor                                        deficit      recorded at",
    );
    for (_, b) in c.all::<Bankruptcy>()? {
        human.push_str(&format!(
            "\n{:<45} {:<45} {:>12} {}",
            b.market.to_string(),
            b.debtor.to_string(),
            b.deficit,
            b.recorded_at
        ));
        rows.push(json!({ "market": b.market.to_string(), "debtor": b.debtor.to_string(), "deficit": b.deficit, "recorded_at": b.recorded_at }));
    }
    print(global, human, json!(rows));
    Ok(())
}

pub fn gov(global: &Global, cmd: &Gov) -> Result<()> {
    let c = Cluster::connect(global.url.as_deref(), global.keypair.as_deref())?;
    let me = c.me();
    match cmd {
        Gov::Init {
            admin,
            guardian,
            treasury,
            governance_delay,
            print_ix,
        } => {
            let args = InitializeProtocolArgs {
                admin: admin
                    .as_deref()
                    .map(parse_pubkey)
                    .transpose()?
                    .unwrap_or(me),
                guardian: parse_pubkey(guardian)?,
                treasury: parse_pubkey(treasury)?,
                governance_delay: *governance_delay,
            };
            send_or_print(
                &c,
                global,
                "initialize_protocol",
                ix::initialize_protocol(me, args),
                *print_ix,
            )
        }
        Gov::CreatePool {
            mint,
            params,
            allow_permanent_delegate,
            print_ix,
        } => {
            let mint = parse_pubkey(mint)?;
            let p = params.update().applied_to(&PoolParams::default());
            let treasury = c.treasury()?;
            send_or_print(
                &c,
                global,
                "create_pool",
                ix::create_pool(
                    me,
                    me,
                    treasury,
                    c.asset(&mint)?,
                    p,
                    *allow_permanent_delegate,
                ),
                *print_ix,
            )
        }
        Gov::SetPool {
            mint,
            params,
            print_ix,
        } => send_or_print(
            &c,
            global,
            "set_pool",
            ix::set_pool(me, parse_pubkey(mint)?, params.update()),
            *print_ix,
        ),
        Gov::CreateMarket {
            kind,
            mint,
            operator,
            settlement,
            cap,
            isolated,
            isolated_share_bps,
            exposure,
            print_ix,
        } => {
            let mint = parse_pubkey(mint)?;
            let protocol: backstop::state::Protocol = c.must(&pda::protocol(), "protocol")?;
            let args = CreateMarketArgs {
                index: protocol.market_count,
                kind: if kind == "perp" {
                    MarketKind::Perp
                } else {
                    MarketKind::Lending
                },
                operator: parse_pubkey(operator)?,
                cap: cap_units(&c, cap, &mint)?,
                isolated: *isolated,
                isolated_share_bps: *isolated_share_bps,
                exposure_mode: if exposure == "aggregate" {
                    ExposureMode::Aggregate
                } else {
                    ExposureMode::Accounts
                },
            };
            let what = format!("create_market #{}", args.index);
            send_or_print(
                &c,
                global,
                &what,
                ix::create_market(me, me, c.asset(&mint)?, parse_pubkey(settlement)?, args),
                *print_ix,
            )
        }
        Gov::SetCap {
            market,
            cap,
            print_ix,
        } => {
            let m: Market = c.must(&pda::market(*market), "market")?;
            let cap = cap_units(&c, cap, &m.mint)?;
            send_or_print(
                &c,
                global,
                "set_market_cap",
                ix::set_market_cap(me, *market, cap),
                *print_ix,
            )
        }
        Gov::UpdateMarket {
            market,
            operator,
            settlement,
            frozen,
            print_ix,
        } => {
            let update = MarketUpdate {
                operator: operator.as_deref().map(parse_pubkey).transpose()?,
                frozen: *frozen,
            };
            let settlement = settlement.as_deref().map(parse_pubkey).transpose()?;
            send_or_print(
                &c,
                global,
                "update_market",
                ix::update_market(me, *market, update, settlement),
                *print_ix,
            )
        }
        Gov::Pause { ops, print_ix } => send_or_print(
            &c,
            global,
            "pause",
            ix::pause(me, pause_flags(ops)?),
            *print_ix,
        ),
        Gov::Unpause { ops, print_ix } => send_or_print(
            &c,
            global,
            "unpause",
            ix::unpause(me, pause_flags(ops)?),
            *print_ix,
        ),
        Gov::ProposePayout {
            mint,
            recipient,
            amount,
            print_ix,
        } => {
            let mint = parse_pubkey(mint)?;
            let pool: Pool = c.must(&pda::pool(&mint), "pool")?;
            let units = parse_amount(amount, pool.decimals)?;
            let what = format!("propose_payout #{}", pool.next_payout_id);
            let ix = ix::propose_payout(
                me,
                me,
                mint,
                pool.next_payout_id,
                parse_pubkey(recipient)?,
                units,
            );
            send_or_print(&c, global, &what, ix, *print_ix)
        }
        Gov::Freeze { market, print_ix } | Gov::Unfreeze { market, print_ix } => {
            let frozen = matches!(cmd, Gov::Freeze { .. });
            let update = MarketUpdate {
                operator: None,
                frozen: Some(frozen),
            };
            send_or_print(
                &c,
                global,
                if frozen { "freeze" } else { "unfreeze" },
                ix::update_market(me, *market, update, None),
                *print_ix,
            )
        }
        Gov::CancelPayout { mint, id, print_ix } => send_or_print(
            &c,
            global,
            "cancel_payout",
            ix::cancel_payout(me, parse_pubkey(mint)?, *id),
            *print_ix,
        ),
        Gov::CancelChange { market, print_ix } => send_or_print(
            &c,
            global,
            "cancel_market_change",
            ix::cancel_market_change(me, *market, ChangeField::Cap),
            *print_ix,
        ),
        Gov::TransferAdmin {
            new_admin,
            print_ix,
        } => send_or_print(
            &c,
            global,
            "propose_admin",
            ix::propose_admin(me, parse_pubkey(new_admin)?),
            *print_ix,
        ),
        Gov::AcceptAdmin { print_ix } => {
            send_or_print(&c, global, "accept_admin", ix::accept_admin(me), *print_ix)
        }
    }
}

pub fn operator(global: &Global, cmd: &Operator) -> Result<()> {
    let c = Cluster::connect(global.url.as_deref(), global.keypair.as_deref())?;
    let me = c.me();
    let units = |market: u16, amount: &str| -> Result<u64> {
        let m: Market = c.must(&pda::market(market), "market")?;
        parse_amount(amount, c.decimals(&m.mint)?)
    };
    let (what, ix, market, subject) = match cmd {
        Operator::Deposit {
            market,
            owner,
            amount,
        } => {
            let owner = parse_pubkey(owner)?;
            (
                "record_deposit",
                ix::record_deposit(me, me, *market, owner, units(*market, amount)?),
                *market,
                owner,
            )
        }
        Operator::Withdraw {
            market,
            owner,
            amount,
        } => {
            let owner = parse_pubkey(owner)?;
            (
                "record_withdrawal",
                ix::record_withdrawal(me, *market, owner, units(*market, amount)?),
                *market,
                owner,
            )
        }
        Operator::Position {
            market,
            owner,
            base,
        } => {
            let owner = parse_pubkey(owner)?;
            (
                "record_position",
                ix::record_position(me, me, *market, owner, *base),
                *market,
                owner,
            )
        }
        Operator::Bankrupt {
            market,
            debtor,
            amount,
            exposure,
        } => {
            let debtor = parse_pubkey(debtor)?;
            let exposure: u128 = exposure
                .replace('_', "")
                .parse()
                .map_err(|_| anyhow!("--exposure {exposure:?} is not a whole number"))?;
            (
                "record_bankruptcy",
                ix::record_bankruptcy(me, me, *market, debtor, units(*market, amount)?, exposure),
                *market,
                debtor,
            )
        }
    };
    let sig = c.send(&[ix], &[])?;
    let market_key = pda::market(market);
    let m: Market = c.must(&market_key, "market")?;
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
    print(global, human, machine);
    Ok(())
}

/// `backstop lender` helper for scripts and tests: a lender's balance now.
pub fn lender(global: &Global, market: u16, owner: &str) -> Result<()> {
    let c = Cluster::connect(global.url.as_deref(), global.keypair.as_deref())?;
    let market_key = pda::market(market);
    let m: Market = c.must(&market_key, "market")?;
    let l: Lender = c.must(&pda::lender(&market_key, &parse_pubkey(owner)?), "lender")?;
    let balance = views::lender_balance(&l, &m).map_err(|e| anyhow!("{e:?}"))?;
    print(
        global,
        format!("balance {balance}"),
        json!({ "balance": balance }),
    );
    Ok(())
}

#[derive(Subcommand, Debug)]
pub enum Token {
    /// Mint AMOUNT (token units) to OWNER's associated token account, creating
    /// it if needed (amount 0 just creates it). You must be the mint authority.
    Mint {
        #[arg(long)]
        mint: String,
        /// Default: you.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value = "0")]
        amount: String,
    },
    /// OWNER's associated token account for MINT and its balance.
    Balance {
        #[arg(long)]
        mint: String,
        /// Default: you.
        #[arg(long)]
        owner: Option<String>,
    },
}

pub fn token(global: &Global, cmd: &Token) -> Result<()> {
    let c = Cluster::connect(global.url.as_deref(), global.keypair.as_deref())?;
    match cmd {
        Token::Mint { mint, to, amount } => {
            let mint = parse_pubkey(mint)?;
            let owner = match to {
                Some(t) => parse_pubkey(t)?,
                None => c.me(),
            };
            let decimals = c.decimals(&mint)?;
            let units = parse_amount(amount, decimals)?;
            let asset = c.asset(&mint)?;
            let account = associated_token_account(&owner, asset);
            let mut ixs = vec![create_associated_token_account_idempotent(
                &c.me(),
                &owner,
                asset,
            )];
            if units > 0 {
                ixs.push(token::mint_to(asset, &account, &c.me(), units));
            }
            let sig = c.send(&ixs, &[])?;
            let balance = c.token_balance(&account);
            print(
                global,
                format!(
                    "{account} now holds {} ({sig})",
                    format_amount(balance, decimals)
                ),
                json!({ "account": account.to_string(), "balance": balance, "signature": sig }),
            );
        }
        Token::Balance { mint, owner } => {
            let mint = parse_pubkey(mint)?;
            let owner = match owner {
                Some(o) => parse_pubkey(o)?,
                None => c.me(),
            };
            let account = associated_token_account(&owner, c.asset(&mint)?);
            let balance = c.token_balance(&account);
            let decimals = c.decimals(&mint)?;
            print(
                global,
                format!("{account}: {}", format_amount(balance, decimals)),
                json!({ "account": account.to_string(), "balance": balance }),
            );
        }
    }
    Ok(())
}
