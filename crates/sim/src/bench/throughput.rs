//! Throughput: a generated staking scenario through the in-process bank.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::Simulator;
use crate::scenario::{
    Action, DEFAULT_START, MarketSpec, Num, PoolSpec, Scenario, Step, UnstakeSize, WalletSpec,
};

/// Transactions per second of a generated staking scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Throughput {
    pub steps: usize,
    pub stakers: usize,
    /// Signed transactions sent (revenue is two: a mint and a transfer).
    pub transactions: usize,
    /// Steps the program refused, as generated (a request over the
    /// balance, say), by error name.
    pub refused: BTreeMap<String, usize>,
    pub seconds: f64,
    pub transactions_per_second: f64,
    /// The whole process's peak heap (the bank included), when
    /// `backstop_bank::heap::MeteredAllocator` is the global allocator.
    pub process_peak_heap_bytes: usize,
}

/// Runs `steps` generated steps over 50 stakers.
pub async fn measure(steps: usize) -> Result<Throughput> {
    let stakers = 50;
    let scenario = staking_scenario(steps, stakers);
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
    eprintln!("throughput: setting up the bank ({stakers} stakers)…");
    let sim = Simulator::new(scenario).await?;
    eprintln!("throughput: running {steps} steps…");
    let started = Instant::now();
    let report = sim.run().await?;
    let seconds = started.elapsed().as_secs_f64();
    let mut refused = BTreeMap::new();
    for s in report.steps.iter().filter(|s| !s.ok) {
        *refused
            .entry(s.error.clone().unwrap_or_default())
            .or_insert(0) += 1;
    }
    Ok(Throughput {
        steps,
        stakers,
        transactions,
        refused,
        seconds,
        transactions_per_second: transactions as f64 / seconds.max(f64::EPSILON),
        process_peak_heap_bytes: backstop_bank::heap::process_peak_bytes(),
    })
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
            cooldown: Some(Num(0)),
            sweep_interval: Some(Num(3_600)),
            ..PoolSpec::new("USDC")
        }],
        markets: Vec::<MarketSpec>::new(),
        wallets,
        steps: out,
    }
}
