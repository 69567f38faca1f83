//! The draws of governance and of the PYUSD-like mint's issuer: protocol
//! changes and the hand-over of roles, pool parameters, a raise waiting its
//! eta, the issuer's powers, and who signs while a user holds a role.

use backstop_client::types::PoolParamsUpdate;

use super::expect::Authority;
use super::model::Model;
use super::ops::{Op, Rng};
use super::world::{ISSUER_POWERS, MARKETS, POOLS, USERS};
use crate::scenario::{Action, ChangeTarget};

/// A change of the governance delay, its cancellation, or the admin
/// hand-over: proposed to the `admin` or a user, accepted by the one proposed
/// (a user takes the role over, and governance steps then sign as that user)
/// or by someone else.
pub(super) fn protocol_change(
    rng: &mut Rng,
    model: &Model,
    u: usize,
    signed: impl Fn(Op) -> Op,
) -> Op {
    let user = || USERS[u].to_string();
    match rng.below(10) {
        // the set-up instructions again, mid-campaign: the protocol and a
        // pool exist (refused whoever signs); another market is the admin's
        // to create, so only someone else tries (refused)
        7 => Op {
            by: rng.chance(50).then(user),
            ..Op::new(Action::InitializeProtocol)
        },
        8 => {
            let asset = POOLS[rng.below(POOLS.len() as u64) as usize].to_string();
            Op {
                by: rng.chance(50).then(user),
                ..Op::new(Action::CreatePool { asset })
            }
        }
        9 => {
            let market = MARKETS[rng.below(MARKETS.len() as u64) as usize]
                .name
                .to_string();
            let someone = (0..USERS.len())
                .map(|k| USERS[(u + k) % USERS.len()])
                .find(|&v| v != model.admin_name())
                .expect("four users, one admin");
            Op {
                by: Some(someone.to_string()),
                ..Op::new(Action::CreateMarket { market })
            }
        }
        5 => {
            let to = if rng.chance(50) {
                "guardian".to_string()
            } else {
                user()
            };
            signed(Op::new(Action::SetGuardian { to }))
        }
        6 => {
            let by = rng.chance(50).then(|| "admin".to_string());
            let target = ChangeTarget::Guardian;
            signed(Op {
                by,
                ..Op::new(Action::CancelChange { target })
            })
        }
        0 | 1 => {
            let governance_delay = rng.pick(&[0, 60, 3_600, 7_200, 30 * 86_400 + 1]);
            signed(Op::new(Action::UpdateProtocol { governance_delay }))
        }
        2 => {
            let by = rng.chance(50).then(|| "admin".to_string());
            let target = ChangeTarget::GovernanceDelay;
            signed(Op {
                by,
                ..Op::new(Action::CancelChange { target })
            })
        }
        3 => {
            let to = if rng.chance(60) {
                "admin".to_string()
            } else {
                user()
            };
            signed(Op::new(Action::ProposeAdmin { to }))
        }
        _ => {
            // the one proposed mostly accepts (a user takes the role over,
            // or the `admin` takes it back); now and then another tries
            let who = match model.pending_admin {
                Some(Some(v)) if rng.chance(70) => USERS[v].to_string(),
                Some(None) if rng.chance(70) => "admin".to_string(),
                _ if rng.chance(50) => "admin".to_string(),
                _ => user(),
            };
            Op::new(Action::AcceptAdmin { who })
        }
    }
}

/// A market whose raise of its cap still waits for its eta.
pub(super) fn waiting_raise(model: &Model) -> Option<usize> {
    model
        .markets
        .iter()
        .position(|m| m.pending_cap.is_some_and(|(_, eta)| model.now < eta))
}

/// A change of one to three pool parameters, in bounds or just outside.
pub(super) fn pool_update(rng: &mut Rng) -> PoolParamsUpdate {
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

/// The PYUSD-like mint's issuer: a taking from the vault (rare: the pool
/// refuses nearly everything until a `sync` writes A down), its transfer fee
/// switched on or off (on about a quarter of the time), its hook set (about 40% of
/// the time) or cleared.
pub(super) fn issuer_power(rng: &mut Rng, model: &Model) -> Op {
    let p = ISSUER_POWERS.iter().position(|&on| on).expect("a pool");
    let asset = POOLS[p].to_string();
    let pool = &model.pools[p];
    match rng.below(10) {
        0 => {
            let amount = match rng.below(4) {
                // more than the vault holds: the token program refuses
                0 => (pool.vault as u64).saturating_add(1),
                1 => 1,
                _ => (pool.vault * (1 + rng.below(20)) as u128 / 100) as u64,
            };
            Op::new(Action::Seize { asset, amount })
        }
        1..=5 => {
            let fee_bps = if pool.fee_bps > 0 || !rng.chance(30) {
                0
            } else {
                rng.pick(&[1, 30, 100, 10_000])
            };
            Op::new(Action::SetTransferFee { asset, fee_bps })
        }
        _ => Op::new(Action::SetTransferHook {
            asset,
            hook: rng.chance(40),
        }),
    }
}

/// While a user holds the admin role or is the guardian, governance steps
/// are mostly signed by that user; the `admin` or `guardian` the world
/// started with still tries now and then.
pub(super) fn signed_by_the_admin_in_office(rng: &mut Rng, model: &Model, mut op: Op) -> Op {
    let (admin, guardian) = (model.admin_name(), model.guardian_name());
    if admin == "admin" && guardian == "guardian" {
        return op;
    }
    let in_office = match (Authority::of(&op.action), op.by.as_deref()) {
        (Authority::Admin, None) | (Authority::GuardianOrAdmin, Some("admin")) => admin,
        (Authority::GuardianOrAdmin, None) => guardian,
        _ => return op,
    };
    if in_office != "admin" && in_office != "guardian" && rng.chance(90) {
        op.by = Some(in_office.to_string());
    }
    op
}
