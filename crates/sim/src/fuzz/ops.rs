//! The operations a campaign draws: every instruction by every actor, with
//! valid and invalid inputs (wrong signers, amounts of 0, 1 and u64::MAX,
//! times at the boundaries), each turned into a simulator step, a scenario
//! file line, and the model's expectation.

use backstop_client::pause;

use super::model::Model;
use super::ops_governance::{
    issuer_power, pool_update, protocol_change, signed_by_the_admin_in_office, waiting_raise,
};
use super::world::{MARKETS, POOLS, USERS};
use super::writer::toml_fields;
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
    pub(super) fn pick<T: Copy>(&mut self, options: &[T]) -> T {
        options[self.below(options.len() as u64) as usize]
    }
    pub(super) fn chance(&mut self, percent: u64) -> bool {
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

/// Draws the next operation; the model (read only) sizes it so that valid
/// operations are common, and invalid ones are drawn on purpose.
pub fn draw(rng: &mut Rng, model: &Model) -> Op {
    let op = draw_step(rng, model);
    signed_by_the_admin_in_office(rng, model, op)
}

fn draw_step(rng: &mut Rng, model: &Model) -> Op {
    // a keeper notices a vault short of A and syncs it, mostly soon
    if let Some(short) = (0..POOLS.len()).find(|&p| model.pools[p].short())
        && rng.chance(5)
    {
        let asset = POOLS[short].to_string();
        return Op::new(Action::Sync { asset });
    }
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
    match rng.below(32) {
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
        6 => {
            if rng.chance(30) {
                // mostly a stake that can be closed, if there is one
                let epoch = model.pools[p].epoch;
                // (never the user a wrong signer signs as)
                let signer = (u + 1) % USERS.len();
                let closable = (0..USERS.len()).find(|&v| {
                    let st = &model.stakes[p][v];
                    v != signer
                        && st.exists
                        && (st.epoch != epoch || (st.shares == 0 && st.request.is_none()))
                });
                let who = match closable {
                    Some(v) if rng.chance(90) => USERS[v].to_string(),
                    _ => who,
                };
                signed(Op::new(Action::CloseStake { who, asset }))
            } else {
                signed(Op::new(Action::CancelUnstake { who, asset }))
            }
        }
        7..=8 => {
            // mostly a request whose cooldown is over, if there is one
            let signer = (u + 1) % USERS.len();
            let due = (0..USERS.len()).find(|&v| {
                let st = &model.stakes[p][v];
                let current = st.exists && st.epoch == model.pools[p].epoch;
                let over = st.request.is_some_and(|r| model.now >= r.ts + r.cooldown);
                v != signer && current && over
            });
            let who = match due {
                Some(v) if rng.chance(70) => USERS[v].to_string(),
                _ => who,
            };
            signed(Op::new(Action::CompleteUnstake { who, asset }))
        }
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
            // mostly a part of what the lender holds, if it holds anything
            let market_state = &model.markets[m];
            let balance = market_state.lenders[u].map_or(0, |scaled| {
                scaled * market_state.index / 1_000_000_000_000_000_000
            });
            let amount = match rng.below(20) {
                0 => u64::MAX,
                1..=9 if balance > 0 => (balance * (1 + rng.below(100)) as u128 / 100) as u64,
                _ => amount(rng),
            };
            signed(Op::new(Action::Withdraw {
                market,
                who,
                amount,
            }))
        }
        19 => {
            let sign = if rng.chance(40) { -1 } else { 1 };
            let base = (amount(rng) % 10_000_000_000) as i64 * sign;
            if rng.chance(25) {
                // mostly a position that exists, if there is one
                let held = (0..MARKETS.len())
                    .flat_map(|n| (0..USERS.len()).map(move |v| (n, v)))
                    .find(|&(n, v)| model.markets[n].positions[v].is_some());
                let (m, u) = match held {
                    Some(at) if rng.chance(70) => at,
                    _ => (m, u),
                };
                let (market, who) = (MARKETS[m].name.to_string(), USERS[u].to_string());
                let owed = model.owed(m, u) as u64;
                let amount = match rng.below(4) {
                    0 => owed.saturating_add(1),
                    1 => 0,
                    _ => owed / (1 + rng.below(3)),
                };
                return signed(Op::new(Action::ClearOwed {
                    market,
                    who,
                    amount,
                }));
            }
            signed(Op::new(Action::Position { market, who, base }))
        }
        20..=21 => {
            let mut deficit = amount(rng) % 50_000_000_000;
            // a lending market's lenders mostly survive a loss: a deficit of
            // more than they hold leaves the market insolvent for good
            let spec = &MARKETS[m];
            if spec.lending && !spec.aggregate && rng.chance(85) {
                let market_state = &model.markets[m];
                let deposits =
                    market_state.total_scaled * market_state.index / 1_000_000_000_000_000_000;
                deficit %= (deposits / 2).max(1) as u64;
                deficit = deficit.max(1);
            }
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
            // mostly a record that is open, if one is
            let open = (0..MARKETS.len())
                .flat_map(|n| (0..USERS.len()).map(move |v| (n, v)))
                .filter(|&(n, v)| model.markets[n].records[v].is_some())
                .collect::<Vec<_>>();
            let (market, who) = match open.len() as u64 {
                0 => (market, who),
                n if rng.chance(70) => {
                    let (n, v) = open[rng.below(n) as usize];
                    (MARKETS[n].name.to_string(), USERS[v].to_string())
                }
                _ => (market, who),
            };
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
        30 => protocol_change(rng, model, u, signed),
        31 => issuer_power(rng, model),
        26 => {
            let held = model.stakes[p][u].shares;
            let requested = model.stakes[p][u].request.map_or(0, |r| r.shares);
            let shares = match rng.below(6) {
                0 => 0,
                1 => u64::MAX as u128 + 1,
                // all it may wrap: the stake is left empty, to be closed
                2 => held.saturating_sub(requested),
                _ => held * (1 + rng.below(100)) as u128 / 100,
            };
            if rng.chance(10) {
                // anyone may create the epoch's mint ahead of its first wrap
                return Op::new(Action::CreateReceiptMint { asset });
            }
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
            // a raise of a cap waits its eta: cancel it, mostly, while it does
            _ if waiting_raise(model).is_some() && rng.chance(50) => {
                let market = MARKETS[waiting_raise(model).expect("a raise")]
                    .name
                    .to_string();
                let by = rng.chance(50).then(|| "admin".to_string());
                let target = ChangeTarget::Market(market);
                signed(Op {
                    by,
                    ..Op::new(Action::CancelChange { target })
                })
            }
            0 | 1 => {
                let caps = [0u64, 1_000_000, 5_000_000_000, u64::MAX];
                let now = model.markets[m].cap_at(model.now) as u64;
                // mostly a raise (it waits the delay), while one is possible
                let cap = match caps.iter().find(|&&c| c > now) {
                    Some(&higher) if rng.chance(60) => higher,
                    _ => rng.pick(&caps),
                };
                signed(Op::new(Action::SetCap { market, cap }))
            }
            // each market is frozen about a third of the time
            2 => signed(Op::new(Action::Freeze { market })),
            3 | 4 => signed(Op::new(Action::Unfreeze { market })),
            // the guardian, or the admin
            _ => {
                let by = rng.chance(50).then(|| "admin".to_string());
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
            // each flag is set about a quarter of the time
            if rng.chance(25) {
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
            // mostly one still pending, if any is
            let pending: Vec<u64> = model.pools[p]
                .payouts
                .iter()
                .filter(|(_, p)| p.2 && model.now >= p.1 && model.now < p.1 + 1_209_600)
                .map(|(id, _)| *id)
                .collect();
            let id = match pending.len() as u64 {
                0 => rng.below(count),
                n if rng.chance(70) => pending[rng.below(n) as usize],
                _ => rng.below(count),
            };
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
