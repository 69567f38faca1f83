//! The operations a campaign draws: every instruction by every actor, with
//! valid and invalid inputs (wrong signers, amounts of 0, 1 and u64::MAX,
//! times at the boundaries), each turned into a simulator step, a scenario
//! file line, and the model's expectation.

use backstop_client::pause;
use backstop_client::types::PoolParamsUpdate;

use super::model::{Expect, Model};
use super::world::{MARKETS, POOLS, USERS};
use crate::scenario::{Action, ChangeTarget, PauseOps, Step, UnstakeSize};

/// SplitMix64: small, fast and the same everywhere, so a seed replays.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<T: Copy>(&mut self, options: &[T]) -> T {
        options[self.below(options.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// One drawn operation: the step the simulator runs and the signer it names.
#[derive(Debug, Clone)]
pub struct Op {
    pub action: Action,
    pub by: Option<String>,
}

impl Op {
    pub fn new(action: Action) -> Op {
        Op { action, by: None }
    }

    pub fn step(&self) -> Step {
        let mut step = Step::new(self.action.clone());
        step.by = self.by.clone();
        step
    }

    /// The operation as a `[[step]]` of a scenario file.
    pub fn toml(&self, expect: &str) -> String {
        let mut text = format!("[[step]]\n{}", toml_fields(&self.action));
        if let Some(by) = &self.by {
            text.push_str(&format!("by = \"{by}\"\n"));
        }
        match expect {
            "ok" => {}
            name => text.push_str(&format!("expect = \"{name}\"\n")),
        }
        text
    }
}

fn amount(rng: &mut Rng) -> u64 {
    match rng.below(10) {
        0 => 0,
        1 => 1,
        2 => rng.below(1_000),
        3..=5 => rng.below(1_000_000_000),
        _ => rng.below(100_000_000_000),
    }
}

/// A change of one to three pool parameters, in bounds or just outside.
fn pool_update(rng: &mut Rng) -> PoolParamsUpdate {
    const DAY: u64 = 86_400;
    let mut update = PoolParamsUpdate::default();
    for _ in 0..1 + rng.below(3) {
        match rng.below(6) {
            0 => update.cooldown = Some(rng.pick(&[0, 60, 3_600, DAY, 90 * DAY, 90 * DAY + 1])),
            1 => update.window = Some(rng.pick(&[0, 3_600, 2 * DAY, 30 * DAY + 1])),
            2 => update.sweep_interval = Some(rng.pick(&[59, 60, 3_600, DAY])),
            3 => update.max_apr_bps = Some(rng.pick(&[0, 5_000, 100_000, 1_000_001])),
            4 => update.protocol_cut_bps = Some(rng.pick(&[0, 1_000, 5_000, 10_000, 10_001])),
            _ => update.min_stake = Some(rng.pick(&[0, 1, 1_000, 1_000_000])),
        }
    }
    update
}

/// Draws the next operation; the model (read only) sizes it so that valid
/// operations are common, and invalid ones are drawn on purpose.
pub fn draw(rng: &mut Rng, model: &Model) -> Op {
    let u = rng.below(USERS.len() as u64) as usize;
    let p = rng.below(POOLS.len() as u64) as usize;
    let m = rng.below(MARKETS.len() as u64) as usize;
    let (who, asset) = (USERS[u].to_string(), POOLS[p].to_string());
    let market = MARKETS[m].name.to_string();
    let other = Some(USERS[(u + 1) % USERS.len()].to_string());
    // Some operations are signed by someone who may not sign them.
    let wrong_signer = rng.chance(8);
    let signed = |op: Op| {
        if wrong_signer {
            Op {
                by: other.clone(),
                ..op
            }
        } else {
            op
        }
    };
    match rng.below(30) {
        0..=3 => {
            let amount = if rng.chance(3) { u64::MAX } else { amount(rng) };
            signed(Op::new(Action::Stake { who, asset, amount }))
        }
        4..=5 => {
            let held = model.stakes[p][u].shares;
            let shares = match rng.below(4) {
                0 => 0,
                1 => u64::MAX as u128,
                _ => held * (1 + rng.below(100)) as u128 / 100,
            };
            let size = UnstakeSize::Shares(shares);
            signed(Op::new(Action::RequestUnstake { who, asset, size }))
        }
        6 => signed(Op::new(Action::CancelUnstake { who, asset })),
        7..=8 => signed(Op::new(Action::CompleteUnstake { who, asset })),
        9..=10 => {
            let seconds = rng.pick(&[
                1, 59, 3_599, 3_600, 86_399, 86_400, 86_401, 172_800, 172_801, 1_209_599,
                1_209_600, 1_800,
            ]);
            Op::new(Action::Advance { seconds })
        }
        11 => Op::new(Action::Revenue {
            asset,
            amount: amount(rng),
        }),
        12 => Op::new(Action::Donate {
            asset,
            amount: amount(rng) / 10,
        }),
        13 => Op::new(Action::Sweep { asset }),
        14 => Op::new(Action::Sync { asset }),
        15 => Op::new(Action::Premium {
            market,
            amount: amount(rng),
        }),
        16..=17 => signed(Op::new(Action::Deposit {
            market,
            who,
            amount: amount(rng) * 10,
        })),
        18 => {
            let amount = if rng.chance(5) { u64::MAX } else { amount(rng) };
            signed(Op::new(Action::Withdraw {
                market,
                who,
                amount,
            }))
        }
        19 => {
            let sign = if rng.chance(40) { -1 } else { 1 };
            let base = (amount(rng) % 10_000_000_000) as i64 * sign;
            signed(Op::new(Action::Position { market, who, base }))
        }
        20..=21 => {
            let deficit = amount(rng) % 50_000_000_000;
            let exposure = match (MARKETS[m].aggregate, rng.below(6)) {
                (false, 0) => Some(5),
                (false, _) | (true, 0) => None,
                (true, _) => Some(amount(rng) as u128 * 3),
            };
            signed(Op::new(Action::Bankrupt {
                market,
                who,
                amount: deficit,
                exposure,
            }))
        }
        22 => {
            if rng.chance(15) {
                signed(Op::new(Action::VoidBankruptcy { market, who }))
            } else {
                Op::new(Action::Resolve { market, who })
            }
        }
        29 => {
            if rng.chance(40) {
                let by = rng.chance(50).then(|| "admin".to_string());
                let target = ChangeTarget::Pool(asset);
                return signed(Op {
                    by,
                    ..Op::new(Action::CancelChange { target })
                });
            }
            signed(Op::new(Action::SetPool {
                asset,
                update: pool_update(rng),
            }))
        }
        26 => {
            let held = model.stakes[p][u].shares;
            let shares = match rng.below(5) {
                0 => 0,
                1 => u64::MAX as u128 + 1,
                _ => held * (1 + rng.below(100)) as u128 / 100,
            };
            Op::new(Action::Wrap { who, asset, shares })
        }
        27 => {
            let held = model.receipts_now(u, p).unwrap_or(0) as u64;
            let amount = match rng.below(5) {
                0 => 0,
                1 => held.saturating_add(1),
                _ => held / (1 + rng.below(4)),
            };
            Op::new(Action::Unwrap { who, asset, amount })
        }
        28 => {
            let held = model.receipts_now(u, p).unwrap_or(0) as u64;
            let amount = match rng.below(4) {
                0 => held.saturating_add(1),
                _ => held / (1 + rng.below(3)),
            };
            let to = other.clone().expect("another user");
            Op::new(Action::SendReceipts {
                who,
                to,
                asset,
                amount,
            })
        }
        23 => match rng.below(6) {
            0 | 1 => {
                let cap = rng.pick(&[0u64, 1_000_000, 5_000_000_000, u64::MAX]);
                signed(Op::new(Action::SetCap { market, cap }))
            }
            2 => signed(Op::new(Action::Freeze { market })),
            3 => signed(Op::new(Action::Unfreeze { market })),
            // the guardian, or the admin
            _ => {
                let by = rng.chance(50).then(|| "admin".to_string());
                // mostly a market whose raise still waits, if there is one
                let waiting = model
                    .markets
                    .iter()
                    .position(|m| m.pending_cap.is_some_and(|(_, eta)| model.now < eta));
                let market = match waiting {
                    Some(w) if rng.chance(80) => MARKETS[w].name.to_string(),
                    _ => market,
                };
                let target = ChangeTarget::Market(market);
                signed(Op {
                    by,
                    ..Op::new(Action::CancelChange { target })
                })
            }
        },
        24 => {
            let flags = rng.pick(&[
                pause::STAKE,
                pause::REQUEST_UNSTAKE,
                pause::COMPLETE_UNSTAKE,
                pause::SWEEP,
                pause::PREMIUM,
                pause::OPERATOR,
                pause::RESOLVE,
                pause::PAYOUT,
            ]);
            let names = pause::names(flags).iter().map(|s| s.to_string()).collect();
            let ops = PauseOps { flags, names };
            if rng.chance(50) {
                signed(Op::new(Action::Pause { ops }))
            } else {
                signed(Op::new(Action::Unpause { ops }))
            }
        }
        _ => {
            let count = model.pools[p].payouts.len() as u64;
            // ids follow the proposals drawn; a replay with some removed
            // names ids the simulator never saw (refused outside the program)
            if count == 0 || rng.chance(30) {
                let (id, amount) = (count, amount(rng));
                return signed(Op::new(Action::ProposePayout {
                    asset,
                    id,
                    to: who,
                    amount,
                }));
            }
            let id = rng.below(count);
            if rng.chance(60) {
                Op::new(Action::ExecutePayout { asset, id })
            } else {
                let by = rng.chance(50).then(|| "admin".to_string());
                signed(Op {
                    by,
                    ..Op::new(Action::CancelPayout { asset, id })
                })
            }
        }
    }
}

impl Model {
    /// What the program should do with `op`, applied to the model.
    pub fn apply(&mut self, op: &Op) -> Expect {
        let pool = |a: &str| POOLS.iter().position(|p| *p == a).expect("a fuzz pool");
        let user = |w: &str| USERS.iter().position(|u| *u == w).expect("a fuzz user");
        let market = |n: &str| {
            MARKETS
                .iter()
                .position(|m| m.name == n)
                .expect("a fuzz market")
        };
        let by_admin = op.by.as_deref() == Some("admin");
        if op.by.is_some() && !by_admin {
            return self.wrong_signer(&op.action);
        }
        match &op.action {
            Action::Stake { who, asset, amount } => {
                self.stake(user(who), pool(asset), *amount as u128)
            }
            Action::RequestUnstake {
                who,
                asset,
                size: UnstakeSize::Shares(n),
            } => self.request(user(who), pool(asset), *n),
            Action::CancelUnstake { who, asset } => self.cancel(user(who), pool(asset)),
            Action::CompleteUnstake { who, asset } => self.complete(user(who), pool(asset)),
            Action::Advance { seconds } => {
                self.advance(*seconds as i64);
                Expect::Ok
            }
            Action::Revenue { asset, amount } => self.revenue(pool(asset), *amount as u128),
            Action::Donate { asset, amount } => self.donate(pool(asset), *amount as u128),
            Action::Sweep { asset } => self.sweep(pool(asset)),
            Action::Sync { asset } => self.sync(pool(asset)),
            Action::Premium { market: m, amount } => self.premium(market(m), *amount as u128),
            Action::Deposit {
                market: m,
                who,
                amount,
            } => self.deposit(market(m), user(who), *amount as u128),
            Action::Withdraw {
                market: m,
                who,
                amount,
            } => self.withdraw(market(m), user(who), *amount as u128),
            Action::Position {
                market: m,
                who,
                base,
            } => self.position(market(m), user(who), *base),
            Action::Bankrupt {
                market: m,
                who,
                amount,
                exposure,
            } => self.bankrupt(market(m), user(who), *amount as u128, exposure.unwrap_or(0)),
            Action::Resolve { market: m, who } => self.resolve(market(m), user(who)),
            Action::SetCap { market: m, cap } => self.set_cap(market(m), *cap as u128),
            Action::SetPool { asset, update } => self.set_pool(pool(asset), update),
            Action::CancelChange {
                target: ChangeTarget::Pool(a),
            } => self.cancel_pool_change(pool(a)),
            Action::Freeze { market: m } => self.set_frozen(market(m), true),
            Action::Unfreeze { market: m } => self.set_frozen(market(m), false),
            Action::Pause { ops } => self.pause(ops.flags),
            Action::Unpause { ops } => self.unpause(ops.flags),
            Action::ProposePayout {
                asset,
                id,
                to,
                amount,
            } => self.propose_payout(pool(asset), *id, *amount as u128, user(to)),
            Action::ExecutePayout { asset, id } => self.execute_payout(pool(asset), *id),
            Action::CancelPayout { asset, id } => self.cancel_payout(pool(asset), *id, by_admin),
            Action::CancelChange {
                target: ChangeTarget::Market(m),
            } => self.cancel_cap_change(market(m)),
            Action::VoidBankruptcy { market: m, who } => self.void(market(m), user(who)),
            Action::Wrap { who, asset, shares } => self.wrap(user(who), pool(asset), *shares),
            Action::Unwrap { who, asset, amount } => {
                self.unwrap(user(who), pool(asset), *amount as u128)
            }
            Action::SendReceipts {
                who,
                to,
                asset,
                amount,
            } => self.send_receipts(user(who), user(to), pool(asset), *amount as u128),
            // `draw` never makes another action: one would show as a violation
            _ => Expect::Refused("NotModelled"),
        }
    }

    /// The exact refusal of an operation signed by another user than its
    /// owner (the first of the program's checks it fails, in the order
    /// Anchor runs them: account loading, then constraints, then the
    /// handler).
    fn wrong_signer(&self, action: &Action) -> Expect {
        let pool = |a: &str| POOLS.iter().position(|p| *p == a).expect("a fuzz pool");
        let user = |w: &str| USERS.iter().position(|u| *u == w).expect("a fuzz user");
        let market = |n: &str| MARKETS.iter().position(|m| m.name == n).expect("a market");
        match action {
            // the staker's token account is not the signer's
            Action::Stake { .. } => Expect::Refused("ConstraintTokenOwner"),
            // the stake is loaded first, then its address is checked
            // against the signer's
            Action::RequestUnstake { who, asset, .. }
            | Action::CancelUnstake { who, asset }
            | Action::CompleteUnstake { who, asset } => {
                if self.stakes[pool(asset)][user(who)].exists {
                    Expect::Refused("ConstraintSeeds")
                } else {
                    Expect::Refused("AccountNotInitialized")
                }
            }
            Action::Deposit { .. }
            | Action::Withdraw { .. }
            | Action::Position { .. }
            | Action::Bankrupt { .. } => Expect::Refused("NotOperator"),
            Action::SetCap { .. }
            | Action::SetPool { .. }
            | Action::Freeze { .. }
            | Action::Unfreeze { .. }
            | Action::Unpause { .. }
            | Action::ProposePayout { .. } => Expect::Refused("NotAdmin"),
            // Anchor loads every account before it checks any constraint
            Action::VoidBankruptcy { market: m, who } => {
                if self.markets[market(m)].records[user(who)].is_some() {
                    Expect::Refused("NotAdmin")
                } else {
                    Expect::Refused("AccountNotInitialized")
                }
            }
            Action::Pause { .. } | Action::CancelChange { .. } => {
                Expect::Refused("NotGuardianOrAdmin")
            }
            Action::CancelPayout { asset, id } => {
                // an id the run never proposed is refused before signing
                if self.pools[pool(asset)].payouts.contains_key(id) {
                    Expect::Refused("NotGuardianOrAdmin")
                } else {
                    Expect::NotSent(super::model_governance::NOT_PROPOSED)
                }
            }
            _ => Expect::Refused("NotModelled"),
        }
    }
}

/// An action's fields as scenario-file lines (`do` first).
pub(super) fn toml_fields(action: &Action) -> String {
    let q = |k: &str, v: &str| format!("{k} = \"{v}\"\n");
    let n = |k: &str, v: String| format!("{k} = {v}\n");
    // Numbers as strings: TOML's integers stop at i64::MAX.
    let num = |k: &str, v: &dyn std::fmt::Display| format!("{k} = \"{v}\"\n");
    let who_asset =
        |d: &str, who: &str, asset: &str| q("do", d) + &q("who", who) + &q("asset", asset);
    match action {
        Action::Stake { who, asset, amount } => {
            who_asset("stake", who, asset) + &n("amount", format!("\"{amount}\""))
        }
        Action::RequestUnstake { who, asset, size } => {
            let size = match size {
                UnstakeSize::Shares(s) => n("shares", format!("\"{s}\"")),
                UnstakeSize::Amount(a) => n("amount", format!("\"{a}\"")),
            };
            who_asset("request_unstake", who, asset) + &size
        }
        Action::CancelUnstake { who, asset } => who_asset("cancel_unstake", who, asset),
        Action::CompleteUnstake { who, asset } => who_asset("complete_unstake", who, asset),
        Action::Advance { seconds } => q("do", "advance") + &num("seconds", seconds),
        Action::Mint { who, asset, amount } => {
            who_asset("mint", who, asset) + &num("amount", amount)
        }
        Action::Revenue { asset, amount } => {
            q("do", "revenue") + &q("asset", asset) + &num("amount", amount)
        }
        Action::Donate { asset, amount } => {
            q("do", "donate") + &q("asset", asset) + &num("amount", amount)
        }
        Action::Sweep { asset } => q("do", "sweep") + &q("asset", asset),
        Action::Sync { asset } => q("do", "sync") + &q("asset", asset),
        Action::Premium { market, amount } => {
            q("do", "premium") + &q("market", market) + &num("amount", amount)
        }
        Action::Deposit {
            market,
            who,
            amount,
        } => {
            q("do", "deposit")
                + &q("market", market)
                + &q("who", who)
                + &n("amount", format!("\"{amount}\""))
        }
        Action::Withdraw {
            market,
            who,
            amount,
        } => {
            q("do", "withdraw")
                + &q("market", market)
                + &q("who", who)
                + &n("amount", format!("\"{amount}\""))
        }
        Action::Position { market, who, base } => {
            q("do", "position")
                + &q("market", market)
                + &q("who", who)
                + &n("base", base.to_string())
        }
        Action::Bankrupt {
            market,
            who,
            amount,
            exposure,
        } => {
            let mut t = q("do", "bankrupt")
                + &q("market", market)
                + &q("who", who)
                + &num("amount", amount);
            if let Some(e) = exposure {
                t += &n("exposure", format!("\"{e}\""));
            }
            t
        }
        Action::Resolve { market, who } => {
            q("do", "resolve") + &q("market", market) + &q("who", who)
        }
        Action::SetCap { market, cap } => {
            q("do", "set_cap") + &q("market", market) + &n("cap", format!("\"{cap}\""))
        }
        Action::Pause { ops } | Action::Unpause { ops } => {
            let d = if matches!(action, Action::Pause { .. }) {
                "pause"
            } else {
                "unpause"
            };
            let names: Vec<String> = ops.names.iter().map(|o| format!("\"{o}\"")).collect();
            q("do", d) + &format!("ops = [{}]\n", names.join(", "))
        }
        Action::ProposePayout {
            asset,
            id,
            to,
            amount,
        } => {
            q("do", "propose_payout")
                + &q("asset", asset)
                + &num("id", id)
                + &q("to", to)
                + &num("amount", amount)
        }
        Action::ExecutePayout { asset, id } => {
            q("do", "execute_payout") + &q("asset", asset) + &num("id", id)
        }
        Action::CancelPayout { asset, id } => {
            q("do", "cancel_payout") + &q("asset", asset) + &num("id", id)
        }
        Action::Freeze { market } => q("do", "freeze") + &q("market", market),
        Action::Unfreeze { market } => q("do", "unfreeze") + &q("market", market),
        Action::CancelChange { target } => {
            q("do", "cancel_change")
                + &match target {
                    ChangeTarget::Market(market) => q("market", market),
                    ChangeTarget::Pool(asset) => q("asset", asset),
                }
        }
        Action::VoidBankruptcy { market, who } => {
            q("do", "void_bankruptcy") + &q("market", market) + &q("who", who)
        }
        Action::Wrap { who, asset, shares } => {
            who_asset("wrap", who, asset) + &num("shares", shares)
        }
        Action::Unwrap { who, asset, amount } => {
            who_asset("unwrap", who, asset) + &num("amount", amount)
        }
        Action::SendReceipts {
            who,
            to,
            asset,
            amount,
        } => who_asset("send_receipts", who, asset) + &q("to", to) + &num("amount", amount),
        Action::Snapshot { label } => q("do", "snapshot") + &q("label", label),
        Action::Check { figure, equals } => {
            q("do", "check") + &q("figure", figure) + &q("equals", equals)
        }
        Action::SetPool { asset, update } => {
            let mut t = q("do", "set_pool") + &q("asset", asset);
            for (key, value) in [
                ("cooldown", update.cooldown),
                ("window", update.window),
                ("sweep_interval", update.sweep_interval),
                ("max_apr_bps", update.max_apr_bps),
                ("protocol_cut_bps", update.protocol_cut_bps),
                ("min_stake", update.min_stake),
            ] {
                if let Some(v) = value {
                    t += &num(key, &v);
                }
            }
            t
        }
    }
}
