//! Runs a scenario against the real program in the in-process bank: every step
//! is a real signed transaction.

use std::collections::HashMap;

use anyhow::{Result, anyhow};
use backstop::events::ChangeField;
use backstop::instructions::{CreateMarketArgs, InitializeProtocolArgs, MarketUpdate};
use backstop::state::{
    ExposureMode, Lender, Market, MarketKind, Payout, Pool, PoolParams, PoolParamsUpdate, Position,
    Protocol, Stake,
};
use backstop_bank::{Bank, LAMPORTS_PER_SOL, TxError, TxOk};
use backstop_client::ix::Asset;
use backstop_client::{ix, pda, views};
use serde_json::{Map, Value, json};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

use crate::report::{PoolPoint, Report, StepReport, Waterfall, World};
use crate::scenario::{Num, Scenario, Step, StepSpec};

const BUILT_IN: &[&str] = &["admin", "guardian", "treasury", "operator", "keeper"];

struct PoolInfo {
    asset: String,
    mint: Pubkey,
    /// The mint and its token program, for the instruction builders.
    token: Asset,
}

struct MarketInfo {
    name: String,
    index: u16,
    asset: String,
    isolated: bool,
}

pub struct Simulator {
    bank: Bank,
    scenario: Scenario,
    identities: HashMap<String, Keypair>,
    /// Users the simulator created, in order, with a token account per asset.
    users: Vec<String>,
    token_accounts: HashMap<(String, String), Pubkey>,
    pools: Vec<PoolInfo>,
    markets: Vec<MarketInfo>,
    stakes: Vec<(String, String)>,
    lenders: Vec<(String, String)>,
    positions: Vec<(String, String)>,
    payout_ids: HashMap<(String, u64), u64>,
}

type StepResult = std::result::Result<TxOk, TxError>;

fn outside(name: impl Into<String>) -> TxError {
    TxError {
        name: name.into(),
        logs: vec![],
    }
}

impl Simulator {
    pub async fn new(scenario: Scenario) -> Result<Simulator> {
        let bank = Bank::start(scenario.start).await;
        let mut sim = Simulator {
            bank,
            scenario,
            identities: HashMap::new(),
            users: Vec::new(),
            token_accounts: HashMap::new(),
            pools: Vec::new(),
            markets: Vec::new(),
            stakes: Vec::new(),
            lenders: Vec::new(),
            positions: Vec::new(),
            payout_ids: HashMap::new(),
        };
        sim.setup().await?;
        Ok(sim)
    }

    fn key(&mut self, name: &str) -> Pubkey {
        self.identities
            .entry(name.to_string())
            .or_insert_with(Keypair::new)
            .pubkey()
    }

    fn keypair(&mut self, name: &str) -> Keypair {
        self.key(name);
        self.identities[name].insecure_clone()
    }

    async fn setup(&mut self) -> Result<()> {
        let setup_err =
            |what: &str, e: TxError| anyhow!("setup: {what} failed: {} {:?}", e.name, e.logs);
        for name in BUILT_IN {
            let key = self.key(name);
            self.bank
                .airdrop(key, 100 * LAMPORTS_PER_SOL)
                .await
                .map_err(|e| setup_err("airdrop", e))?;
        }
        let payer = self.bank.payer_pubkey();
        let args = InitializeProtocolArgs {
            admin: self.key("admin"),
            guardian: self.key("guardian"),
            treasury: self.key("treasury"),
            governance_delay: self.scenario.governance_delay,
        };
        self.bank
            .send(&[ix::initialize_protocol(payer, args)], &[])
            .await
            .map_err(|e| setup_err("initialize_protocol", e))?;
        let admin = self.keypair("admin");
        for spec in self.scenario.pools.clone() {
            let mint = match spec.token_program.as_deref() {
                Some("token-2022") => self.bank.create_mint_2022(spec.decimals, &[]).await,
                _ => self.bank.create_mint(spec.decimals).await,
            }
            .map_err(|e| setup_err("create mint", e))?;
            let token = Asset::owned_by(mint, self.bank.token_program_of(mint).await);
            let d = PoolParams::default();
            let pick = |v: Option<Num>, default: u64| v.map(|n| n.0 as u64).unwrap_or(default);
            let params = PoolParams {
                cooldown: pick(spec.cooldown, d.cooldown),
                window: pick(spec.window, d.window),
                sweep_interval: pick(spec.sweep_interval, d.sweep_interval),
                max_apr_bps: pick(spec.max_apr_bps, d.max_apr_bps),
                protocol_cut_bps: pick(spec.protocol_cut_bps, d.protocol_cut_bps),
                min_stake: pick(spec.min_stake, d.min_stake),
            };
            let treasury = self.key("treasury");
            self.bank
                .send(
                    &[ix::create_pool(
                        admin.pubkey(),
                        payer,
                        treasury,
                        token,
                        params,
                        false,
                    )],
                    &[&admin],
                )
                .await
                .map_err(|e| {
                    anyhow!(
                        "line {}: pool {} refused by the program: {}",
                        spec.line,
                        spec.asset,
                        e.name
                    )
                })?;
            self.pools.push(PoolInfo {
                asset: spec.asset.clone(),
                mint,
                token,
            });
            self.stakes.push(("treasury".into(), spec.asset.clone()));
        }
        // Built-in roles get a token account per asset: the keeper pays revenue
        // and premiums, the treasury unstakes like any staker, and any of them
        // may receive a payout.
        for name in BUILT_IN {
            for p in 0..self.pools.len() {
                let (asset, mint) = (self.pools[p].asset.clone(), self.pools[p].mint);
                let owner = self.key(name);
                let acct = self
                    .bank
                    .create_token_account(mint, owner)
                    .await
                    .map_err(|e| setup_err("token account", e))?;
                self.token_accounts.insert((name.to_string(), asset), acct);
            }
        }
        let operator = self.key("operator");
        for (i, spec) in self.scenario.markets.clone().iter().enumerate() {
            let mint = self.mint(&spec.asset);
            let settlement = self
                .bank
                .create_token_account(mint, operator)
                .await
                .map_err(|e| setup_err("settlement", e))?;
            let args = CreateMarketArgs {
                index: i as u16,
                kind: if spec.kind == "perp" {
                    MarketKind::Perp
                } else {
                    MarketKind::Lending
                },
                operator,
                cap: spec.cap.map(|c| c.0 as u64).unwrap_or(u64::MAX),
                isolated: spec.isolated,
                isolated_share_bps: spec.isolated_share_bps,
                exposure_mode: match spec.exposure.as_deref() {
                    Some("aggregate") => ExposureMode::Aggregate,
                    _ => ExposureMode::Accounts,
                },
            };
            self.bank
                .send(
                    &[ix::create_market(
                        admin.pubkey(),
                        payer,
                        self.token(&spec.asset),
                        settlement,
                        args,
                    )],
                    &[&admin],
                )
                .await
                .map_err(|e| {
                    anyhow!(
                        "line {}: market {} refused by the program: {}",
                        spec.line,
                        spec.name,
                        e.name
                    )
                })?;
            self.markets.push(MarketInfo {
                name: spec.name.clone(),
                index: i as u16,
                asset: spec.asset.clone(),
                isolated: spec.isolated,
            });
        }
        for w in self.scenario.wallets.clone() {
            self.ensure_user(&w.who).await?;
            let mint = self.mint(&w.asset);
            let acct = self.token_accounts[&(w.who.clone(), w.asset.clone())];
            self.bank
                .mint_to(mint, acct, w.amount.0 as u64)
                .await
                .map_err(|e| setup_err("wallet mint", e))?;
        }
        Ok(())
    }

    fn mint(&self, asset: &str) -> Pubkey {
        self.pools
            .iter()
            .find(|p| p.asset == asset)
            .map(|p| p.mint)
            .expect("validated asset")
    }

    fn token(&self, asset: &str) -> Asset {
        self.pools
            .iter()
            .find(|p| p.asset == asset)
            .map(|p| p.token)
            .expect("validated asset")
    }

    fn market(&self, name: &str) -> &MarketInfo {
        self.markets
            .iter()
            .find(|m| m.name == name)
            .expect("validated market")
    }

    /// Creates a user (keypair, SOL for fees, a token account per asset) on first use.
    async fn ensure_user(&mut self, name: &str) -> Result<()> {
        if BUILT_IN.contains(&name) || self.users.iter().any(|u| u == name) {
            return Ok(());
        }
        let key = self.key(name);
        self.bank
            .airdrop(key, 10 * LAMPORTS_PER_SOL)
            .await
            .map_err(|e| anyhow!("creating user {name}: {}", e.name))?;
        for p in 0..self.pools.len() {
            let (asset, mint) = (self.pools[p].asset.clone(), self.pools[p].mint);
            let acct = self
                .bank
                .create_token_account(mint, key)
                .await
                .map_err(|e| anyhow!("creating user {name}: {}", e.name))?;
            self.token_accounts.insert((name.to_string(), asset), acct);
        }
        self.users.push(name.to_string());
        Ok(())
    }

    pub async fn run(mut self) -> Result<Report> {
        let mut steps = Vec::new();
        let mut snapshots = Map::new();
        let mut waterfalls = Vec::new();
        let mut series = Vec::new();
        self.record_series(&mut series, 0).await;
        let total = self.scenario.steps.len();
        for (index, step) in self.scenario.steps.clone().into_iter().enumerate() {
            if total >= 1_000 && index % 1_000 == 0 {
                eprintln!("  step {index}/{total}");
            }
            let started = std::time::Instant::now();
            let spec = step.spec.clone();
            let expect = spec.expect.clone().unwrap_or_else(|| "ok".to_string());
            let (result, detail) = if spec.action == "snapshot" {
                let label = spec.label.clone().unwrap_or_default();
                let world = self.world().await?;
                snapshots.insert(label.clone(), serde_json::to_value(world)?);
                (Ok(TxOk::default()), label)
            } else if spec.action == "resolve" {
                let before = self.market_totals(&spec).await;
                let r = self.step(&step).await?;
                if r.is_ok()
                    && let (Some(b), Some(a)) = (before, self.market_totals(&spec).await)
                {
                    waterfalls.push(Waterfall {
                        step: index,
                        market: spec.market.clone().unwrap_or_default(),
                        debtor: spec.who.clone().unwrap_or_default(),
                        paid: a.0 - b.0,
                        socialised: a.1 - b.1,
                        unrecovered: a.2 - b.2,
                    });
                }
                (r, describe(&spec))
            } else {
                (self.step(&step).await?, describe(&spec))
            };
            let (ok, error) = match &result {
                Ok(_) => (true, None),
                Err(e) => (false, Some(e.name.clone())),
            };
            let met = if ok {
                expect == "ok"
            } else {
                error.as_deref() == Some(expect.as_str())
            };
            steps.push(StepReport {
                index,
                action: spec.action.clone(),
                ok,
                error,
                met_expectation: met,
                detail,
                expect,
                line: step.line,
                micros: started.elapsed().as_micros() as u64,
            });
            self.record_series(&mut series, index + 1).await;
        }
        let final_state = self.world().await?;
        Ok(Report {
            steps,
            snapshots,
            final_state,
            waterfalls,
            series,
        })
    }

    async fn market_totals(&mut self, spec: &StepSpec) -> Option<(u64, u64, u64)> {
        let index = self.market(spec.market.as_deref()?).index;
        let m: Market = self.bank.decode(pda::market(index)).await?;
        Some((m.insurance_used, m.socialised, m.unrecovered))
    }

    async fn record_series(&mut self, series: &mut Vec<PoolPoint>, step: usize) {
        for p in 0..self.pools.len() {
            let (asset, mint) = (self.pools[p].asset.clone(), self.pools[p].mint);
            if let Some(pool) = self.bank.decode::<Pool>(pda::pool(&mint)).await {
                series.push(PoolPoint {
                    step,
                    asset,
                    assets: pool.assets,
                    price_e9: views::share_price_e9(&pool),
                });
            }
        }
    }

    async fn treasury(&mut self) -> Pubkey {
        let now = self.bank.now().await;
        let protocol: Protocol = self
            .bank
            .decode(pda::protocol())
            .await
            .expect("protocol exists");
        protocol.treasury_at(now)
    }

    /// The signer of a step: `by` when given, else the step's usual signer.
    async fn signer(&mut self, spec: &StepSpec, usual: &str) -> Result<Keypair> {
        let name = spec.by.clone().unwrap_or_else(|| usual.to_string());
        self.ensure_user(&name).await?;
        Ok(self.keypair(&name))
    }

    /// Sends `ix` built for `usual`, signed by `signer`; when they differ the
    /// usual signer's key in the instruction is replaced by the signer's, so
    /// the program (not the client) decides whether the signer may act.
    async fn send_as(
        &mut self,
        mut ix: Instruction,
        usual: Pubkey,
        signer: &Keypair,
    ) -> StepResult {
        if usual != signer.pubkey() {
            for meta in ix.accounts.iter_mut() {
                if meta.pubkey == usual && meta.is_signer {
                    meta.pubkey = signer.pubkey();
                }
            }
        }
        self.bank.send(&[ix], &[signer]).await
    }

    async fn step(&mut self, step: &Step) -> Result<StepResult> {
        let s = &step.spec;
        let asset = s.asset.clone().unwrap_or_default();
        let who = s.who.clone().unwrap_or_default();
        let amount = s.amount.map(|n| n.0 as u64).unwrap_or(0);
        Ok(match s.action.as_str() {
            "stake" => {
                self.ensure_user(&who).await?;
                let owner = self.keypair(&who);
                let signer = self.signer(s, &who).await?;
                let token = self.token(&asset);
                let treasury = self.treasury().await;
                let tokens = self.tokens(&who, &asset);
                let r = self
                    .send_as(
                        ix::stake(owner.pubkey(), token, treasury, tokens, amount),
                        owner.pubkey(),
                        &signer,
                    )
                    .await;
                if r.is_ok() && !self.stakes.contains(&(who.clone(), asset.clone())) {
                    self.stakes.push((who.clone(), asset.clone()));
                }
                r
            }
            "request_unstake" => {
                self.ensure_user(&who).await?;
                let owner = self.keypair(&who);
                let signer = self.signer(s, &who).await?;
                let (mint, token) = (self.mint(&asset), self.token(&asset));
                let treasury = self.treasury().await;
                let shares = match (s.shares, s.amount) {
                    (Some(n), _) => n.0,
                    (None, Some(a)) => {
                        let pool: Pool = self.bank.decode(pda::pool(&mint)).await.expect("pool");
                        // The program's own conversion (1:1 into an empty pool);
                        // amounts were checked to fit a u64 when parsed.
                        views::shares_for_amount(&pool, a.0 as u64).unwrap_or(a.0)
                    }
                    _ => 0,
                };
                self.send_as(
                    ix::request_unstake(owner.pubkey(), token, treasury, shares),
                    owner.pubkey(),
                    &signer,
                )
                .await
            }
            "cancel_unstake" => {
                self.ensure_user(&who).await?;
                let owner = self.keypair(&who);
                let signer = self.signer(s, &who).await?;
                let mint = self.mint(&asset);
                self.send_as(
                    ix::cancel_unstake(owner.pubkey(), mint),
                    owner.pubkey(),
                    &signer,
                )
                .await
            }
            "complete_unstake" => {
                self.ensure_user(&who).await?;
                let owner = self.keypair(&who);
                let signer = self.signer(s, &who).await?;
                let token = self.token(&asset);
                let tokens = self.tokens(&who, &asset);
                self.send_as(
                    ix::complete_unstake(owner.pubkey(), token, tokens),
                    owner.pubkey(),
                    &signer,
                )
                .await
            }
            "advance" => {
                let seconds = s.seconds.map(|n| n.0 as i64).unwrap_or(0);
                self.bank.advance(seconds).await;
                Ok(TxOk::default())
            }
            "mint" => {
                self.ensure_user(&who).await?;
                let mint = self.mint(&asset);
                let to = self.tokens(&who, &asset);
                self.bank.mint_to(mint, to, amount).await
            }
            "revenue" | "donate" => {
                let mint = self.mint(&asset);
                let keeper_tokens = self.tokens("keeper", &asset);
                let pool = pda::pool(&mint);
                let to = if s.action == "revenue" {
                    pda::revenue(&pool)
                } else {
                    pda::vault(&pool)
                };
                let keeper = self.signer(s, "keeper").await?;
                match self.bank.mint_to(mint, keeper_tokens, amount).await {
                    Ok(_) => {
                        self.bank
                            .transfer_tokens(keeper_tokens, to, &keeper, amount)
                            .await
                    }
                    Err(e) => Err(e),
                }
            }
            "sweep" => {
                let keeper = self.signer(s, "keeper").await?;
                let token = self.token(&asset);
                let treasury = self.treasury().await;
                self.bank
                    .send(
                        &[ix::sweep_revenue(keeper.pubkey(), token, treasury)],
                        &[&keeper],
                    )
                    .await
            }
            "sync" => {
                let keeper = self.signer(s, "keeper").await?;
                let token = self.token(&asset);
                self.bank
                    .send(&[ix::sync_vault(keeper.pubkey(), token)], &[&keeper])
                    .await
            }
            "premium" => {
                let m = self.market(s.market.as_deref().unwrap_or_default());
                let (index, isolated, market_asset) = (m.index, m.isolated, m.asset.clone());
                let mint = self.mint(&market_asset);
                let token = self.token(&market_asset);
                let keeper_tokens = self.tokens("keeper", &market_asset);
                let keeper = self.signer(s, "keeper").await?;
                if let Err(e) = self.bank.mint_to(mint, keeper_tokens, amount).await {
                    return Ok(Err(e));
                }
                let ix = ix::pay_premium(
                    keeper.pubkey(),
                    keeper_tokens,
                    index,
                    token,
                    isolated,
                    amount,
                );
                self.bank.send(&[ix], &[&keeper]).await
            }
            "deposit" | "withdraw" | "position" | "bankrupt" => {
                let index = self.market(s.market.as_deref().unwrap_or_default()).index;
                let market_name = s.market.clone().unwrap_or_default();
                let operator = self.keypair("operator");
                let signer = self.signer(s, "operator").await?;
                let subject = self.key(&who);
                let op = operator.pubkey();
                let ix = match s.action.as_str() {
                    "deposit" => ix::record_deposit(op, op, index, subject, amount),
                    "withdraw" => ix::record_withdrawal(op, index, subject, amount),
                    "position" => ix::record_position(op, op, index, subject, s.base.unwrap_or(0)),
                    _ => {
                        let exposure = s.exposure.map(|n| n.0).unwrap_or(0);
                        ix::record_bankruptcy(op, op, index, subject, amount, exposure)
                    }
                };
                let r = self.send_as(ix, op, &signer).await;
                if r.is_ok() {
                    let entry = (market_name, who.clone());
                    if s.action == "deposit" && !self.lenders.contains(&entry) {
                        self.lenders.push(entry);
                    } else if s.action == "position" && !self.positions.contains(&entry) {
                        self.positions.push(entry);
                    }
                }
                r
            }
            "resolve" => {
                let m = self.market(s.market.as_deref().unwrap_or_default());
                let (index, isolated, market_asset) = (m.index, m.isolated, m.asset.clone());
                let token = self.token(&market_asset);
                let keeper = self.signer(s, "keeper").await?;
                let debtor = self.key(&who);
                let now = self.bank.now().await;
                let market: Market = self.bank.decode(pda::market(index)).await.expect("market");
                let settlement = market.settlement_at(now);
                let ix = ix::resolve_bankruptcy(
                    keeper.pubkey(),
                    index,
                    token,
                    debtor,
                    settlement,
                    isolated,
                );
                self.bank.send(&[ix], &[&keeper]).await
            }
            "set_cap" => {
                let index = self.market(s.market.as_deref().unwrap_or_default()).index;
                let admin = self.key("admin");
                let signer = self.signer(s, "admin").await?;
                let cap = s.cap.map(|n| n.0 as u64).unwrap_or(u64::MAX);
                self.send_as(ix::set_market_cap(admin, index, cap), admin, &signer)
                    .await
            }
            "set_pool" => {
                let mint = self.mint(&asset);
                let admin = self.key("admin");
                let signer = self.signer(s, "admin").await?;
                let v = |n: Option<Num>| n.map(|x| x.0 as u64);
                let update = PoolParamsUpdate {
                    cooldown: v(s.cooldown),
                    window: v(s.window),
                    sweep_interval: v(s.sweep_interval),
                    max_apr_bps: v(s.max_apr_bps),
                    protocol_cut_bps: v(s.protocol_cut_bps),
                    min_stake: v(s.min_stake),
                };
                self.send_as(ix::set_pool(admin, mint, update), admin, &signer)
                    .await
            }
            "pause" | "unpause" => {
                let flags = pause_flags(s.ops.as_deref().unwrap_or_default());
                if s.action == "pause" {
                    let guardian = self.key("guardian");
                    let signer = self.signer(s, "guardian").await?;
                    self.send_as(ix::pause(guardian, flags), guardian, &signer)
                        .await
                } else {
                    let admin = self.key("admin");
                    let signer = self.signer(s, "admin").await?;
                    self.send_as(ix::unpause(admin, flags), admin, &signer)
                        .await
                }
            }
            "propose_payout" => {
                let mint = self.mint(&asset);
                let to_name = s.to.clone().unwrap_or_default();
                self.ensure_user(&to_name).await?;
                let recipient = self.tokens(&to_name, &asset);
                let admin = self.key("admin");
                let signer = self.signer(s, "admin").await?;
                let pool: Pool = self.bank.decode(pda::pool(&mint)).await.expect("pool");
                let id = pool.next_payout_id;
                let ix = ix::propose_payout(admin, admin, mint, id, recipient, amount);
                let r = self.send_as(ix, admin, &signer).await;
                if r.is_ok() {
                    self.payout_ids
                        .insert((asset.clone(), s.id.map(|n| n.0 as u64).unwrap_or(0)), id);
                }
                r
            }
            "execute_payout" | "cancel_payout" => {
                let (mint, token) = (self.mint(&asset), self.token(&asset));
                let scenario_id = s.id.map(|n| n.0 as u64).unwrap_or(0);
                let Some(id) = self.payout_ids.get(&(asset.clone(), scenario_id)).copied() else {
                    return Ok(Err(outside(format!(
                        "no payout with id {scenario_id} was proposed for {asset}"
                    ))));
                };
                if s.action == "execute_payout" {
                    let keeper = self.signer(s, "keeper").await?;
                    let payout: Payout = self
                        .bank
                        .decode(pda::payout(&pda::pool(&mint), id))
                        .await
                        .expect("payout");
                    let ix = ix::execute_payout(keeper.pubkey(), token, id, payout.recipient);
                    self.bank.send(&[ix], &[&keeper]).await
                } else {
                    let guardian = self.key("guardian");
                    let signer = self.signer(s, "guardian").await?;
                    self.send_as(ix::cancel_payout(guardian, mint, id), guardian, &signer)
                        .await
                }
            }
            "freeze" | "unfreeze" => {
                let index = self.market(s.market.as_deref().unwrap_or_default()).index;
                let admin = self.key("admin");
                let signer = self.signer(s, "admin").await?;
                let update = MarketUpdate {
                    operator: None,
                    frozen: Some(s.action == "freeze"),
                };
                self.send_as(
                    ix::update_market(admin, index, update, None),
                    admin,
                    &signer,
                )
                .await
            }
            "cancel_change" => {
                let index = self.market(s.market.as_deref().unwrap_or_default()).index;
                let guardian = self.key("guardian");
                let signer = self.signer(s, "guardian").await?;
                self.send_as(
                    ix::cancel_market_change(guardian, index, ChangeField::Cap),
                    guardian,
                    &signer,
                )
                .await
            }
            other => Err(outside(format!("unknown step kind {other}"))),
        })
    }

    fn tokens(&self, who: &str, asset: &str) -> Pubkey {
        self.token_accounts
            .get(&(who.to_string(), asset.to_string()))
            .copied()
            .unwrap_or_default()
    }

    /// Reads everything the report shows.
    async fn world(&mut self) -> Result<World> {
        let now = self.bank.now().await;
        let mut w = World {
            time: now,
            ..World::default()
        };
        let treasury = self.treasury().await;
        let mut pool_states: HashMap<String, Pool> = HashMap::new();
        for p in 0..self.pools.len() {
            let (asset, mint) = (self.pools[p].asset.clone(), self.pools[p].mint);
            let key = pda::pool(&mint);
            let pool: Pool = self
                .bank
                .decode(key)
                .await
                .ok_or_else(|| anyhow!("pool {asset} missing"))?;
            let treasury_shares = match self.bank.decode::<Stake>(pda::stake(&key, &treasury)).await
            {
                Some(s) => views::stake_shares(&s, &pool),
                None => 0,
            };
            let vault_balance = self.bank.token_balance(pool.vault).await;
            let revenue_balance = self.bank.token_balance(pool.revenue).await;
            w.pools.insert(
                asset.clone(),
                json!({
                    "assets": pool.assets,
                    "total_shares": pool.total_shares.to_string(),
                    "epoch": pool.epoch,
                    "vault_balance": vault_balance,
                    "revenue_balance": revenue_balance,
                    "held_back": pool.held_back,
                    "treasury_shares": treasury_shares.to_string(),
                }),
            );
            pool_states.insert(asset, pool);
        }
        for (who, asset) in self.stakes.clone() {
            let owner = self.key(&who);
            let mint = self.mint(&asset);
            let Some(stake) = self
                .bank
                .decode::<Stake>(pda::stake(&pda::pool(&mint), &owner))
                .await
            else {
                continue;
            };
            let pool = &pool_states[&asset];
            let request = match views::stake_request(&stake, pool) {
                Some((shares, value, ts)) => {
                    json!({ "shares": shares.to_string(), "value": value, "ts": ts })
                }
                None => Value::Null,
            };
            w.stakes.insert(
                format!("{who}/{asset}"),
                json!({
                    "shares": views::stake_shares(&stake, pool).to_string(),
                    "value": views::stake_value(&stake, pool).unwrap_or(0),
                    "request": request,
                }),
            );
        }
        let mut market_states: HashMap<String, Market> = HashMap::new();
        for i in 0..self.markets.len() {
            let (name, index) = (self.markets[i].name.clone(), self.markets[i].index);
            let m: Market = self
                .bank
                .decode(pda::market(index))
                .await
                .ok_or_else(|| anyhow!("market {name} missing"))?;
            let settlement_balance = self.bank.token_balance(m.settlement_at(now)).await;
            w.markets.insert(
                name.clone(),
                json!({
                    "kind": match m.kind { MarketKind::Lending => "lending", MarketKind::Perp => "perp" },
                    "cap": m.cap_at(now),
                    "insurance_used": m.insurance_used,
                    "socialised": m.socialised,
                    "unrecovered": m.unrecovered,
                    "deposit_index": m.deposit_index.to_string(),
                    "loss_index": m.loss_index.to_string(),
                    "open_interest": m.open_interest.to_string(),
                    "isolated_assets": m.isolated_assets,
                    "settlement_balance": settlement_balance,
                    "frozen": m.frozen,
                }),
            );
            market_states.insert(name, m);
        }
        for (market, who) in self.lenders.clone() {
            let owner = self.key(&who);
            let index = self.market(&market).index;
            if let Some(l) = self
                .bank
                .decode::<Lender>(pda::lender(&pda::market(index), &owner))
                .await
            {
                let balance = views::lender_balance(&l, &market_states[&market]).unwrap_or(0);
                w.lenders
                    .insert(format!("{market}/{who}"), json!({ "balance": balance }));
            }
        }
        for (market, who) in self.positions.clone() {
            let owner = self.key(&who);
            let index = self.market(&market).index;
            if let Some(p) = self
                .bank
                .decode::<Position>(pda::position(&pda::market(index), &owner))
                .await
            {
                let owed = views::position_owed(&p, &market_states[&market]).unwrap_or(u64::MAX);
                w.positions.insert(
                    format!("{market}/{who}"),
                    json!({ "base": p.base, "owed": owed }),
                );
            }
        }
        for user in self.users.clone() {
            let mut balances = Map::new();
            for p in 0..self.pools.len() {
                let asset = self.pools[p].asset.clone();
                let acct = self.tokens(&user, &asset);
                balances.insert(asset, json!(self.bank.token_balance(acct).await));
            }
            w.wallets.insert(user, Value::Object(balances));
        }
        Ok(w)
    }
}

/// Operations were validated when the file was parsed.
pub fn pause_flags(ops: &[String]) -> u16 {
    ops.iter()
        .filter_map(|op| backstop_client::pause::flag(op))
        .fold(0, |a, b| a | b)
}

fn describe(s: &StepSpec) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("who", s.who.clone()),
        ("market", s.market.clone()),
        ("asset", s.asset.clone()),
        ("by", s.by.clone()),
        ("to", s.to.clone()),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k}={v}"));
        }
    }
    for (k, v) in [
        ("amount", s.amount),
        ("shares", s.shares),
        ("seconds", s.seconds),
        ("cap", s.cap),
        ("id", s.id),
        ("exposure", s.exposure),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k}={}", v.0));
        }
    }
    if let Some(b) = s.base {
        parts.push(format!("base={b}"));
    }
    if let Some(ops) = &s.ops {
        parts.push(format!("ops={}", ops.join("+")));
    }
    parts.join(" ")
}
