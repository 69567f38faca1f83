//! The scenario writer (`Op::toml`, what a shrunk failure is saved as) and
//! the parser agree: every action the writer knows, with any names of the
//! fuzz world, any signer and numbers over their whole range (u64::MAX and
//! u128 share counts included), reads back as the same step.

use proptest::prelude::*;

use super::ops::Op;
use super::world::{self, MARKETS, POOLS, USERS};
use backstop_client::types::PoolParamsUpdate;

use crate::scenario::{self, Action, ChangeTarget, PauseOps, UnstakeSize};

/// Every action, `set_pool`, `check` and `snapshot` included, built from
/// drawn names and numbers.
fn action(kind: u8, n: [u64; 3], wide: u128, names: [usize; 3]) -> Action {
    let who = USERS[names[0] % USERS.len()].to_string();
    let to = USERS[names[1] % USERS.len()].to_string();
    let asset = POOLS[names[1] % POOLS.len()].to_string();
    let market = MARKETS[names[2] % MARKETS.len()].name.to_string();
    let [a, b, c] = n;
    use Action::*;
    match kind % 48 {
        0 => Stake {
            who,
            asset,
            amount: a,
        },
        1 => RequestUnstake {
            who,
            asset,
            size: UnstakeSize::Shares(wide),
        },
        2 => RequestUnstake {
            who,
            asset,
            size: UnstakeSize::Amount(a),
        },
        3 => CancelUnstake { who, asset },
        4 => CompleteUnstake { who, asset },
        // the parser refuses a step of the clock past i64::MAX / 2 seconds
        5 => Advance {
            seconds: a % (i64::MAX as u64 / 2 + 1),
        },
        6 => Mint {
            who,
            asset,
            amount: a,
        },
        7 => Revenue { asset, amount: a },
        8 => Donate { asset, amount: a },
        9 => Sweep { asset },
        10 => Sync { asset },
        11 => Premium { market, amount: a },
        12 => Deposit {
            market,
            who,
            amount: a,
        },
        13 => Withdraw {
            market,
            who,
            amount: a,
        },
        14 => Position {
            market,
            who,
            base: b as i64,
        },
        15 => Bankrupt {
            market,
            who,
            amount: a,
            exposure: (c % 2 == 0).then_some(wide),
        },
        16 => Resolve { market, who },
        17 => SetCap { market, cap: a },
        18 | 19 => {
            let chosen: Vec<&str> = backstop_client::pause::OPERATIONS
                .iter()
                .enumerate()
                .filter(|(i, _)| c >> i & 1 == 1)
                .map(|(_, (name, _))| *name)
                .collect();
            let chosen = if chosen.is_empty() {
                vec!["stake"]
            } else {
                chosen
            };
            let flags = backstop_client::pause::flags(&chosen).unwrap();
            let ops = PauseOps {
                flags,
                names: chosen.iter().map(|s| s.to_string()).collect(),
            };
            if kind % 48 == 18 {
                Pause { ops }
            } else {
                Unpause { ops }
            }
        }
        20 => ProposePayout {
            asset,
            id: b,
            to,
            amount: a,
        },
        21 => ExecutePayout { asset, id: b },
        22 => CancelPayout { asset, id: b },
        23 => CancelChange {
            target: ChangeTarget::Market(market),
        },
        24 => CancelChange {
            target: ChangeTarget::Pool(asset),
        },
        25 => VoidBankruptcy { market, who },
        26 => Wrap {
            who,
            asset,
            shares: wide,
        },
        27 => Unwrap {
            who,
            asset,
            amount: a,
        },
        28 => SendReceipts {
            who,
            to,
            asset,
            amount: a,
        },
        31 => SetPool {
            asset,
            update: PoolParamsUpdate {
                cooldown: (c % 2 == 0).then_some(a),
                window: (c % 3 == 0).then_some(b),
                sweep_interval: (c % 5 == 0).then_some(a),
                max_apr_bps: (c % 7 == 0).then_some(b),
                protocol_cut_bps: (c % 11 == 0).then_some(a),
                min_stake: (c % 13 != 0).then_some(b),
            },
        },
        33 => UpdateProtocol {
            governance_delay: a,
        },
        34 => ProposeAdmin { to },
        35 => AcceptAdmin { who },
        36 => CancelChange {
            target: ChangeTarget::GovernanceDelay,
        },
        37 => CloseStake { who, asset },
        39 => Seize { asset, amount: a },
        42 => SetGuardian { to },
        44 => InitializeProtocol,
        45 => CreatePool { asset },
        46 => CreateMarket { market },
        47 => CreateReceiptMint { asset },
        43 => CancelChange {
            target: ChangeTarget::Guardian,
        },
        40 => SetTransferFee {
            asset,
            fee_bps: (b % 10_001) as u16,
        },
        41 => SetTransferHook {
            asset,
            hook: c % 2 == 0,
        },
        32 => ClearOwed {
            market,
            who,
            amount: a,
        },
        29 => Snapshot {
            label: format!("after {who}"),
        },
        30 => Check {
            figure: format!("stake.{who}/{asset}.request.value"),
            equals: match c % 3 {
                0 => wide.to_string(),
                1 => "none".to_string(),
                _ => (b as i64).to_string(),
            },
        },
        _ => {
            if c % 2 == 0 {
                Freeze { market }
            } else {
                Unfreeze { market }
            }
        }
    }
}

fn number() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(1),
        Just(u64::MAX),
        Just(i64::MAX as u64 + 1),
        any::<u64>()
    ]
}

proptest! {
    #[test]
    fn every_action_reads_back_as_written(
        kind in 0u8..48,
        n in [number(), number(), number()],
        wide in prop_oneof![Just(u128::MAX), Just(u64::MAX as u128 + 1), any::<u128>()],
        names in [0usize..8, 0usize..8, 0usize..8],
        signer in proptest::option::of(0usize..USERS.len()),
    ) {
        let action = action(kind, n, wide, names);
        let op = Op { action: action.clone(), by: signer.map(|u| USERS[u].to_string()) };
        let text = format!("{}\n{}", world::header(7), op.toml("ok"));
        let parsed = scenario::parse(&text);
        prop_assert!(parsed.is_ok(), "{:?}\n{}", parsed.err(), op.toml("ok"));
        let steps = parsed.unwrap().steps;
        prop_assert_eq!(steps.len(), 1);
        prop_assert_eq!(&steps[0].action, &action);
        prop_assert_eq!(&steps[0].by, &op.by);
    }
}
