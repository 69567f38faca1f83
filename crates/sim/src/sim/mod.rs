//! Runs a scenario against the real program in the in-process bank: every step
//! is a real signed transaction. This file holds the [`Simulator`], its run
//! loop and the dispatch of each [`Action`] to its method; the methods live
//! with their usual signer (`staker`, `keeper`, `operator`, `governance`,
//! `harness` for the clock, the test mint and snapshots), the setup in
//! `setup` and what the report reads in `world`.

use std::collections::HashMap;
use std::time::Instant;

use anyhow::Result;
use backstop_bank::{Bank, TxError, TxOk};
use backstop_client::hook;
use backstop_client::ix::Asset;
use serde_json::{Map, Value};
use solana_instruction::{AccountMeta, Instruction};
use solana_keypair::Keypair;
use solana_pubkey::Pubkey;
use solana_signer::Signer;

use crate::report::{PoolPoint, Report, StepReport, Waterfall};
use crate::scenario::{Action, Scenario, Step};

mod figure;
mod governance;
mod harness;
mod issuer;
mod keeper;
mod operator;
mod receipts;
mod set_up_again;
mod setup;
pub mod snapshot;
mod staker;
mod world;

/// The names that exist from the start; any other name is a user created on
/// first use.
const BUILT_IN: &[&str] = &["admin", "guardian", "treasury", "operator", "keeper"];

struct PoolInfo {
    asset: String,
    decimals: u8,
    mint: Pubkey,
    /// The mint and its token program, for the instruction builders.
    token: Asset,
    /// The issuer's powers its mint carries (Token-2022 extensions).
    features: Vec<crate::scenario::MintFeature>,
}

#[derive(Clone)]
struct MarketInfo {
    name: String,
    index: u16,
    asset: String,
    isolated: bool,
    /// What `create_market` made it with, for a `create_market` step that
    /// makes another like it.
    settlement: Pubkey,
    args: backstop_client::types::CreateMarketArgs,
}

/// What the run collects besides the steps, for the report and the chart.
#[derive(Default)]
struct Recording {
    snapshots: Map<String, Value>,
    waterfalls: Vec<Waterfall>,
    series: Vec<PoolPoint>,
}

/// A scenario set up in a fresh bank, ready to [`run`](Simulator::run).
pub struct Simulator {
    bank: Bank,
    steps: Vec<Step>,
    identities: HashMap<String, Keypair>,
    /// Users the simulator created, in order, with a token account per asset.
    users: Vec<String>,
    token_accounts: HashMap<(String, String), Pubkey>,
    pools: Vec<PoolInfo>,
    markets: Vec<MarketInfo>,
    /// (who, asset), (market, who), (market, who): the accounts the report
    /// lists, in the order they were first created.
    stakes: Vec<(String, String)>,
    lenders: Vec<(String, String)>,
    positions: Vec<(String, String)>,
    /// (asset, the scenario's id) → the id the program gave the proposal.
    payout_ids: HashMap<(String, u64), u64>,
    /// The index of the step running (a waterfall names it).
    step_index: usize,
    recording: Recording,
}

/// A step's outcome: the transaction's, or a failure outside the program.
type StepResult = std::result::Result<TxOk, TxError>;

/// A refusal by the simulator itself rather than the program.
fn outside(name: impl Into<String>) -> TxError {
    TxError {
        name: name.into(),
        logs: vec![],
        compute_units: 0,
    }
}

impl Simulator {
    /// Starts a bank at the scenario's `start` and creates the protocol, the
    /// pools, the markets and the wallets. A pool or market the program
    /// refuses is an error naming the file's line.
    pub async fn new(scenario: Scenario) -> Result<Simulator> {
        Simulator::new_with(scenario, |_| {}).await
    }

    /// [`Simulator::new`] in a bank that also runs the programs `configure`
    /// adds (a host program for `bench --sbf`).
    pub(crate) async fn new_with(
        scenario: Scenario,
        configure: impl FnOnce(&mut backstop_bank::Programs),
    ) -> Result<Simulator> {
        // a pool whose mint can name a hook runs the tests' hook program
        let hooked = scenario
            .pools
            .iter()
            .any(|p| p.has(crate::scenario::MintFeature::TransferHook));
        // program-test's `processor!` is marked unstable from agave 4
        #[allow(deprecated)]
        let mut bank = Bank::start_with(scenario.start, |programs| {
            configure(programs);
            if hooked {
                programs.add_program(
                    "backstop_test_hook",
                    backstop_test_hook::ID,
                    backstop_bank::processor!(backstop_test_hook::process_instruction),
                );
            }
        })
        .await;
        // every step reads the whole world; only what a step names can change
        bank.cache_reads(true);
        let mut sim = Simulator {
            bank,
            steps: Vec::new(),
            identities: HashMap::new(),
            users: Vec::new(),
            token_accounts: HashMap::new(),
            pools: Vec::new(),
            markets: Vec::new(),
            stakes: Vec::new(),
            lenders: Vec::new(),
            positions: Vec::new(),
            payout_ids: HashMap::new(),
            step_index: 0,
            recording: Recording::default(),
        };
        sim.setup(&scenario).await?;
        sim.steps = scenario.steps;
        Ok(sim)
    }

    /// Runs every step, whatever the earlier ones did, and reports. Long
    /// scenarios print their progress on stderr every 1,000 steps.
    pub async fn run(mut self) -> Result<Report> {
        let mut reports = Vec::new();
        self.record_series(0).await;
        let steps = std::mem::take(&mut self.steps);
        let total = steps.len();
        let amounts = self.units();
        for (index, step) in steps.iter().enumerate() {
            if total >= 1_000 && index % 1_000 == 0 {
                eprintln!("  step {index}/{total}");
            }
            let started = Instant::now();
            self.step_index = index;
            let result = self.perform(step).await?;
            let (ok, error, units, logs) = match &result {
                Ok(t) => (true, None, t.compute_units, &t.logs),
                Err(e) => (false, Some(e.name.clone()), e.compute_units, &e.logs),
            };
            let heap_bytes = crate::report::probed_heap(logs);
            let met = if ok {
                step.expect == "ok"
            } else {
                error.as_deref() == Some(step.expect.as_str())
            };
            reports.push(StepReport {
                index,
                action: step.action.name().to_string(),
                ok,
                error,
                met_expectation: met,
                detail: step.describe_in(&amounts),
                expect: step.expect.clone(),
                line: step.line,
                micros: started.elapsed().as_micros() as u64,
                compute_units: self.bank.is_sbf().then_some(units),
                heap_bytes,
            });
            self.record_series(index + 1).await;
        }
        let final_state = self.world().await?;
        let Recording {
            snapshots,
            waterfalls,
            series,
        } = self.recording;
        Ok(Report {
            steps: reports,
            snapshots,
            final_state,
            waterfalls,
            series,
            units: amounts,
        })
    }

    /// Each pool's asset with its decimals, and each market's asset.
    fn units(&self) -> crate::units::Units {
        crate::units::Units::new(
            self.pools.iter().map(|p| (p.asset.clone(), p.decimals)),
            self.markets
                .iter()
                .map(|m| (m.name.clone(), m.asset.clone())),
        )
    }

    /// Runs one step on its own (the fuzzer drives the simulator this way):
    /// `None` when the transaction went through, else the refusal's name.
    pub async fn run_one(&mut self, step: &Step) -> Result<Option<String>> {
        Ok(self.perform(step).await?.err().map(|e| e.name))
    }

    /// `ix` with the transfer-hook accounts of `mint` appended, as every
    /// client must send them (nothing for a mint without a hook, which is
    /// every mint a scenario creates today). A list that cannot be resolved
    /// is sent without them, and the program refuses by name.
    async fn hooked(&mut self, ix: Instruction, mint: Pubkey) -> Instruction {
        let extra = self.hook_accounts(mint).await;
        hook::with_extra_accounts(ix, &extra)
    }

    /// The transfer-hook accounts every transfer of `mint` carries: none
    /// without a hook program, or when the list cannot be resolved.
    async fn hook_accounts(&mut self, mint: Pubkey) -> Vec<AccountMeta> {
        let Some(mint_account) = self.bank.account(mint).await else {
            return Vec::new();
        };
        let Some(program) = hook::hook_program(&mint_account.data) else {
            return Vec::new();
        };
        let validation = self
            .bank
            .account(hook::validation_address(&mint, &program))
            .await;
        hook::extra_accounts(
            &mint,
            &mint_account.data,
            validation.as_ref().map(|a| a.data.as_slice()),
        )
        .unwrap_or_default()
    }

    /// The bank, for what a scenario cannot say (a host program's calls).
    pub(crate) fn bank_mut(&mut self) -> &mut Bank {
        &mut self.bank
    }

    /// Everything the report shows, read now, typed.
    pub async fn observe(&mut self) -> Result<snapshot::Snapshot> {
        self.read_state().await
    }

    /// One method per action. An `Err` stops the run (the simulator itself
    /// failed); a refused transaction is an `Ok(Err(_))`.
    async fn perform(&mut self, step: &Step) -> Result<StepResult> {
        let by = step.by.as_deref();
        match &step.action {
            Action::Stake { who, asset, amount } => self.stake(by, who, asset, *amount).await,
            Action::RequestUnstake { who, asset, size } => {
                self.request_unstake(by, who, asset, *size).await
            }
            Action::CancelUnstake { who, asset } => self.cancel_unstake(by, who, asset).await,
            Action::CloseStake { who, asset } => self.close_stake(by, who, asset).await,
            Action::UpdateProtocol { governance_delay } => {
                self.update_protocol(by, *governance_delay).await
            }
            Action::SetGuardian { to } => self.set_guardian(by, to).await,
            Action::InitializeProtocol => self.initialize_again(by).await,
            Action::CreatePool { asset } => self.create_pool_again(by, asset).await,
            Action::CreateMarket { market } => self.create_market_like(by, market).await,
            Action::ProposeAdmin { to } => self.propose_admin(by, to).await,
            Action::AcceptAdmin { who } => self.accept_admin(by, who).await,
            Action::ClearOwed {
                market,
                who,
                amount,
            } => self.clear_owed(by, market, who, *amount).await,
            Action::CompleteUnstake { who, asset } => self.complete_unstake(by, who, asset).await,
            Action::Advance { seconds } => self.advance(*seconds).await,
            Action::Mint { who, asset, amount } => self.mint_to_user(who, asset, *amount).await,
            Action::Revenue { asset, amount } => self.revenue(by, asset, *amount).await,
            Action::Donate { asset, amount } => self.donate(by, asset, *amount).await,
            Action::Sweep { asset } => self.sweep(by, asset).await,
            Action::Sync { asset } => self.sync(by, asset).await,
            Action::Premium { market, amount } => self.premium(by, market, *amount).await,
            Action::Deposit {
                market,
                who,
                amount,
            } => self.deposit(by, market, who, *amount).await,
            Action::Withdraw {
                market,
                who,
                amount,
            } => self.withdraw(by, market, who, *amount).await,
            Action::Position { market, who, base } => self.position(by, market, who, *base).await,
            Action::Bankrupt {
                market,
                who,
                amount,
                exposure,
            } => {
                let exposure = exposure.unwrap_or(0);
                self.bankrupt(by, market, who, *amount, exposure).await
            }
            Action::Resolve { market, who } => self.resolve(by, market, who).await,
            Action::SetCap { market, cap } => self.set_cap(by, market, *cap).await,
            Action::SetPool { asset, update } => self.set_pool(by, asset, *update).await,
            Action::Pause { ops } => self.pause(by, ops.flags).await,
            Action::Unpause { ops } => self.unpause(by, ops.flags).await,
            Action::ProposePayout {
                asset,
                id,
                to,
                amount,
            } => self.propose_payout(by, asset, *id, to, *amount).await,
            Action::ExecutePayout { asset, id } => self.execute_payout(by, asset, *id).await,
            Action::CancelPayout { asset, id } => self.cancel_payout(by, asset, *id).await,
            Action::CancelChange { target } => self.cancel_change(by, target).await,
            Action::VoidBankruptcy { market, who } => self.void_bankruptcy(by, market, who).await,
            Action::CreateReceiptMint { asset } => self.create_receipt_mint(by, asset).await,
            Action::Wrap { who, asset, shares } => self.wrap(by, who, asset, *shares).await,
            Action::Unwrap { who, asset, amount } => self.unwrap(by, who, asset, *amount).await,
            Action::SendReceipts {
                who,
                to,
                asset,
                amount,
            } => self.send_receipts(by, who, to, asset, *amount).await,
            Action::Seize { asset, amount } => self.seize(asset, *amount).await,
            Action::SetTransferFee { asset, fee_bps } => {
                self.set_transfer_fee(asset, *fee_bps).await
            }
            Action::SetTransferHook { asset, hook } => self.set_transfer_hook(asset, *hook).await,
            Action::Freeze { market } => self.set_frozen(by, market, true).await,
            Action::Unfreeze { market } => self.set_frozen(by, market, false).await,
            Action::Snapshot { label } => self.snapshot(label).await,
            Action::Check { figure, equals } => self.check(figure, equals).await,
        }
    }

    fn key(&mut self, name: &str) -> Pubkey {
        self.identities
            .entry(name.to_string())
            .or_insert_with(|| named_keypair(name))
            .pubkey()
    }

    pub(crate) fn keypair(&mut self, name: &str) -> Keypair {
        self.key(name);
        self.identities[name].insecure_clone()
    }

    /// The signer of a step: `by` when given, else the step's usual signer.
    async fn signer(&mut self, by: Option<&str>, usual: &str) -> Result<Keypair> {
        let name = by.unwrap_or(usual);
        self.ensure_user(name).await?;
        Ok(self.keypair(name))
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

    fn pool(&self, asset: &str) -> &PoolInfo {
        self.pools
            .iter()
            .find(|p| p.asset == asset)
            .expect("validated asset")
    }

    fn mint(&self, asset: &str) -> Pubkey {
        self.pool(asset).mint
    }

    pub(crate) fn token(&self, asset: &str) -> Asset {
        self.pool(asset).token
    }

    fn market(&self, name: &str) -> &MarketInfo {
        self.markets
            .iter()
            .find(|m| m.name == name)
            .expect("validated market")
    }

    /// `who`'s token account for `asset` (the default key if it has none).
    fn tokens(&self, who: &str, asset: &str) -> Pubkey {
        self.token_accounts
            .get(&(who.to_string(), asset.to_string()))
            .copied()
            .unwrap_or_default()
    }
}

/// The keypair the simulator gives `label`: derived from it, so a scenario
/// runs at the same addresses every time and its PDAs need the same bump
/// searches, which keeps compute units on the SBF VM reproducible (`bench
/// --compare`). These keys are public by construction: the in-process bank
/// only.
pub(crate) fn named_keypair(label: &str) -> Keypair {
    backstop_bank::deterministic_keypair(&format!("backstop simulate: {label}"))
}
