//! `backstop bench`: a generated staking scenario through the in-process bank,
//! reporting transactions per second and the process's peak heap; and
//! `--market-size`, a bankruptcy resolved in small and large markets. Reports
//! go to `out`, progress and errors to stderr; the exit code is 0, or 2 when
//! the run failed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::Simulator;
use crate::scenario::{
    Action, DEFAULT_START, MarketSpec, Num, PoolSpec, Scenario, Step, UnstakeSize, WalletSpec,
};

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting live bytes and their peak: the binary
/// installs it with `#[global_allocator]` for the bench's peak heap.
pub struct CountingAllocator;

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

/// A deterministic mix of stakes, revenue, sweeps, requests, completions and
/// cancels over `stakers` users.
pub fn staking_scenario(steps: usize, stakers: usize) -> Scenario {
    let users: Vec<String> = (0..stakers).map(|i| format!("staker{i}")).collect();
    let wallets = users
        .iter()
        .map(|u| WalletSpec {
            who: u.clone(),
            asset: "USDC".into(),
            amount: Num(1_000_000_000_000_000),
        })
        .collect();
    let mut out = Vec::with_capacity(steps);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let usdc = || "USDC".to_string();
    let mut requested = vec![false; stakers];
    // Everyone stakes once first, so later requests have shares to draw on.
    for user in users.iter().take(steps) {
        out.push(Step::new(Action::Stake {
            who: user.clone(),
            asset: usdc(),
            amount: 100_000_000,
        }));
    }
    while out.len() < steps {
        let r = next();
        let who = (r % stakers as u64) as usize;
        let user = users[who].clone();
        let action = match ((r >> 8) % 10, requested[who]) {
            (4, _) => Action::Revenue {
                asset: usdc(),
                amount: 1_000 + (r >> 16) % 10_000_000,
            },
            (5, _) => Action::Advance { seconds: 3_600 },
            (8, _) => Action::Sweep { asset: usdc() },
            (6, false) => {
                requested[who] = true;
                Action::RequestUnstake {
                    who: user,
                    asset: usdc(),
                    size: UnstakeSize::Amount(1_000_000),
                }
            }
            (7, true) => {
                requested[who] = false;
                Action::CancelUnstake {
                    who: user,
                    asset: usdc(),
                }
            }
            (_, true) => {
                requested[who] = false;
                Action::CompleteUnstake {
                    who: user,
                    asset: usdc(),
                }
            }
            (_, false) => Action::Stake {
                who: user,
                asset: usdc(),
                amount: 1_000_000 + (r >> 16) % 1_000_000_000,
            },
        };
        out.push(Step::new(action));
    }
    Scenario {
        start: DEFAULT_START,
        governance_delay: 0,
        pools: vec![PoolSpec {
            line: 0,
            asset: "USDC".into(),
            decimals: 6,
            cooldown: Some(Num(0)),
            window: None,
            sweep_interval: Some(Num(3_600)),
            max_apr_bps: None,
            protocol_cut_bps: None,
            min_stake: None,
            token_program: None,
        }],
        markets: Vec::<MarketSpec>::new(),
        wallets,
        steps: out,
    }
}

/// A market with `size` lenders (or positions), then one bankruptcy resolved.
pub fn market_scenario(kind: &str, size: usize) -> Scenario {
    let mut steps = vec![Step::new(Action::Stake {
        who: "staker".into(),
        asset: "USDC".into(),
        amount: 1_000_000_000_000,
    })];
    let market = || "M".to_string();
    for i in 0..size {
        let who = format!("holder{i}");
        let action = if kind == "lending" {
            Action::Deposit {
                market: market(),
                who,
                amount: 1_000_000 + i as u64,
            }
        } else {
            let base = 1_000 + i as i64;
            Action::Position {
                market: market(),
                who,
                base: if i % 2 == 0 { base } else { -base },
            }
        };
        steps.push(Step::new(action));
    }
    steps.push(Step::new(Action::Bankrupt {
        market: market(),
        who: "debtor".into(),
        amount: 2_000_000_000,
        exposure: None,
    }));
    steps.push(Step::new(Action::Resolve {
        market: market(),
        who: "debtor".into(),
    }));
    Scenario {
        start: DEFAULT_START,
        governance_delay: 0,
        pools: vec![PoolSpec {
            line: 0,
            asset: "USDC".into(),
            decimals: 6,
            cooldown: None,
            window: None,
            sweep_interval: None,
            max_apr_bps: None,
            protocol_cut_bps: None,
            min_stake: None,
            token_program: None,
        }],
        markets: vec![MarketSpec {
            line: 0,
            name: "M".into(),
            kind: kind.into(),
            asset: "USDC".into(),
            cap: Some(Num(1_000_000_000)),
            isolated: false,
            isolated_share_bps: 0,
            exposure: None,
        }],
        wallets: vec![WalletSpec {
            who: "staker".into(),
            asset: "USDC".into(),
            amount: Num(1_000_000_000_000),
        }],
        steps,
    }
}

/// Resolves a bankruptcy in markets of 1 and of `size` lenders and positions:
/// the transaction and its cost do not grow with the market.
pub async fn run_markets(mut out: impl Write, size: usize) -> ExitCode {
    let accounts = backstop_client::ix::resolve_bankruptcy(
        Default::default(),
        0,
        backstop_client::ix::Asset::spl_token(Default::default()),
        Default::default(),
        Default::default(),
        true,
    )
    .accounts
    .len();
    let mut text = format!(
        "resolve_bankruptcy touches {accounts} accounts (isolated or not), whatever the market's size\n"
    );
    for kind in ["lending", "perp"] {
        for n in [1, size] {
            eprintln!("{kind} market with {n} holders…");
            let sim = match Simulator::new(market_scenario(kind, n)).await {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    return ExitCode::from(2);
                }
            };
            let report = match sim.run().await {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    return ExitCode::from(2);
                }
            };
            let resolve = report.steps.last().expect("resolve step");
            if !resolve.ok || report.steps.iter().any(|s| !s.ok) {
                eprintln!(
                    "error: a step was refused: {:?}",
                    report.steps.iter().find(|s| !s.ok).map(|s| &s.error)
                );
                return ExitCode::from(2);
            }
            let m = &report.final_state.markets["M"];
            text.push_str(&format!(
                "{kind:<8} market, {n:>6} holders: resolve took {:>6} µs; paid {}, socialised {}, index after {}\n",
                resolve.micros,
                m["insurance_used"],
                m["socialised"],
                if kind == "lending" { m["deposit_index"].as_str().unwrap_or("") } else { m["loss_index"].as_str().unwrap_or("") },
            ));
        }
    }
    match out.write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(2),
    }
}

/// Runs `steps` generated staking steps over 50 stakers and prints the
/// transactions per second and the process's peak heap (as counted by
/// [`CountingAllocator`], when it is the global allocator).
pub async fn run_steps(mut out: impl Write, steps: usize) -> ExitCode {
    let scenario = staking_scenario(steps, 50);
    // `revenue` is two transactions (mint, then transfer); `advance` is none.
    let transactions: usize = scenario
        .steps
        .iter()
        .map(|s| match s.action {
            Action::Advance { .. } => 0,
            Action::Revenue { .. } => 2,
            _ => 1,
        })
        .sum();
    eprintln!("setting up the bank (50 stakers)…");
    let sim = match Simulator::new(scenario).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    eprintln!("running {steps} steps…");
    let started = Instant::now();
    let report = match sim.run().await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    let elapsed = started.elapsed().as_secs_f64();
    let refused = report.steps.iter().filter(|s| !s.ok).count();
    let mut reasons: Vec<(String, usize)> = Vec::new();
    for s in report.steps.iter().filter(|s| !s.ok) {
        let name = s.error.clone().unwrap_or_default();
        match reasons.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => reasons.push((name, 1)),
        }
    }
    let reasons: Vec<String> = reasons.iter().map(|(n, c)| format!("{n} ×{c}")).collect();
    let text = format!(
        "steps                {steps}\ntransactions         {transactions} ({refused} refused by the program, as generated: {})\nelapsed              {elapsed:.2} s\ntransactions/second  {:.0}\npeak heap            {:.1} MiB\n",
        reasons.join(", "),
        transactions as f64 / elapsed,
        PEAK.load(Ordering::Relaxed) as f64 / (1024.0 * 1024.0)
    );
    match out.write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(2),
    }
}
