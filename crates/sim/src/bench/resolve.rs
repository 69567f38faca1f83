//! Resolve's cost against the market's size: a bankruptcy resolved in
//! markets of 1 and of N lenders, and of 1 and N positions.

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use crate::Simulator;
use crate::scenario::{
    Action, DEFAULT_START, MarketSpec, Num, PoolSpec, Scenario, Step, WalletSpec,
};

/// One resolution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolveRun {
    /// `lending` or `perp`.
    pub kind: String,
    /// Lenders or positions in the market.
    pub holders: usize,
    pub micros: u64,
    pub paid: String,
    pub socialised: String,
    /// The deposit index (lending) or loss index (perp) after.
    pub index_after: String,
}

/// Resolutions in small and large markets: the same accounts, the same cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolveScaling {
    /// Accounts of resolve_bankruptcy, isolated or not.
    pub accounts: usize,
    pub runs: Vec<ResolveRun>,
}

/// Resolves a bankruptcy in markets of 1 and of `size` lenders and positions.
pub async fn measure(size: usize) -> Result<ResolveScaling> {
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
    let mut runs = Vec::new();
    for kind in ["lending", "perp"] {
        for holders in [1, size] {
            eprintln!("resolve: {kind} market with {holders} holders…");
            let report = Simulator::new(market_scenario(kind, holders))
                .await?
                .run()
                .await?;
            if let Some(refused) = report.steps.iter().find(|s| !s.ok) {
                bail!("a step was refused: {:?}", refused.error);
            }
            let Some(resolve) = report.steps.last() else {
                bail!("the scenario has no resolve step");
            };
            let m = &report.final_state.markets["M"];
            let index = if kind == "lending" {
                "deposit_index"
            } else {
                "loss_index"
            };
            let text = |field: &str| match &m[field] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            runs.push(ResolveRun {
                kind: kind.to_string(),
                holders,
                micros: resolve.micros,
                paid: text("insurance_used"),
                socialised: text("socialised"),
                index_after: text(index),
            });
        }
    }
    Ok(ResolveScaling { accounts, runs })
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
        pools: vec![PoolSpec::new("USDC")],
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
