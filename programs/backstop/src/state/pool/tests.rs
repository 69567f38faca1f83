//! Unit and property tests of the pool ledger (`Pool`).

use super::*;
use proptest::prelude::*;

pub(crate) fn pool() -> Pool {
    let accounts = PoolAccounts {
        mint: Pubkey::default(),
        decimals: 6,
        token_program: Pubkey::default(),
        vault: Pubkey::default(),
        revenue: Pubkey::default(),
        bump: 0,
        vault_bump: 0,
        revenue_bump: 0,
    };
    let params = PoolParams {
        max_apr_bps: 0,
        protocol_cut_bps: 0,
        ..PoolParams::default()
    };
    Pool::new(accounts, params, MintOptIns::default(), 0, 0)
}

#[test]
fn params_bounds() {
    assert!(PoolParams::default().validate().is_ok());
    let bad = PoolParams {
        sweep_interval: 59,
        ..PoolParams::default()
    };
    assert_eq!(
        bad.validate().unwrap_err(),
        BackstopError::SweepIntervalOutOfBounds.into()
    );
    let bad = PoolParams {
        min_stake: 0,
        ..PoolParams::default()
    };
    assert_eq!(
        bad.validate().unwrap_err(),
        BackstopError::MinStakeZero.into()
    );
    let bad = PoolParams {
        cooldown: MAX_COOLDOWN_SECS + 1,
        ..PoolParams::default()
    };
    assert_eq!(
        bad.validate().unwrap_err(),
        BackstopError::CooldownTooLong.into()
    );
}

#[test]
fn quickstart_sweep_mints_treasury_shares_after_the_stakers_part() {
    let mut p = pool();
    p.params = PoolParams {
        max_apr_bps: 100_000,
        protocol_cut_bps: 5_000,
        ..p.params
    };
    p.deposit(50_000_000_000).unwrap();
    let out = p.sweep(86_400, 420_000_000).unwrap();
    // y = 210,000,000 first (A = 50,210,000,000), then
    // p = ⌊210,000,000 · 50,000,000,000 / 50,210,000,000⌋ = 209,121,688.
    assert_eq!(
        out,
        SweepOutcome {
            protocol_amount: 210_000_000,
            treasury_shares: 209_121_688,
            staker_amount: 210_000_000,
            held_back: 0,
        }
    );
    assert_eq!(p.assets, 50_420_000_000);
    assert_eq!(p.total_shares, 50_209_121_688);
    assert_eq!(p.last_sweep_ts, 86_400);
    // The treasury's stake is worth P within a unit.
    assert_eq!(p.value_of(209_121_688).unwrap(), 209_999_999);
}

#[test]
fn sweep_into_empty_pool_mints_the_cut_and_holds_back_the_rest() {
    let mut p = pool();
    p.params.protocol_cut_bps = 1_000;
    let out = p.sweep(10, 1_000).unwrap();
    assert_eq!(
        out,
        SweepOutcome {
            protocol_amount: 100,
            treasury_shares: 100,
            staker_amount: 0,
            held_back: 900,
        }
    );
    // The 900 already cut is never cut again: the next sweep (S = 100 now)
    // moves it to the stakers whole.
    let out = p.sweep(20, 900).unwrap();
    assert_eq!(
        out,
        SweepOutcome {
            protocol_amount: 0,
            treasury_shares: 0,
            staker_amount: 900,
            held_back: 0,
        }
    );
    assert_eq!((p.assets, p.total_shares), (1_000, 100));
    // no cut: nothing moves into an empty pool, everything waits
    let mut p = pool();
    let out = p.sweep(10, 1_000).unwrap();
    assert_eq!((out.moved(), out.held_back), (0, 1_000));
    assert_eq!(p.last_sweep_ts, 10);
}

#[test]
fn treasury_part_rounding_to_no_shares_joins_the_waiting_part() {
    let mut p = pool();
    p.params = PoolParams {
        max_apr_bps: 1,
        protocol_cut_bps: 5_000,
        ..p.params
    };
    p.deposit(1_000).unwrap();
    p.pay_out(999, 0).unwrap(); // A = 1, S = 1,000: a share is worth 1/1,000 unit
    // F = 1 → P = 0; cap: ⌊1·1·3600 / (10,000·31,536,000)⌋ = 0.
    let out = p.sweep(3_600, 1).unwrap();
    assert_eq!(out.held_back, 1);
    assert_eq!(out.moved(), 0);
    // Held-back revenue is capped at the revenue balance.
    p.held_back = 50;
    let out = p.sweep(7_200, 10).unwrap();
    assert_eq!(
        (out.protocol_amount, out.staker_amount, out.held_back),
        (0, 0, 10)
    );
}

#[test]
fn burst_held_back_by_the_cap_is_cut_exactly_once() {
    let mut p = pool();
    p.params = PoolParams {
        max_apr_bps: 100_000,
        protocol_cut_bps: 5_000,
        ..p.params
    };
    p.deposit(10_000_000_000).unwrap();
    let burst = 100_000_000_000u64;
    let mut revenue = burst;
    let mut treasury_shares = 0u128;
    let mut cut = 0u64;
    let mut now = 0;
    while revenue > 0 {
        now += 3_600;
        let out = p.sweep(now, revenue).unwrap();
        treasury_shares += out.treasury_shares;
        cut += out.protocol_amount;
        revenue -= out.moved();
        assert_eq!(revenue, out.held_back);
    }
    // The treasury's cut was taken exactly once: 50 % of the burst, all at
    // the first sweep, whose price it bought at.
    assert_eq!(cut, burst / 2);
    assert_eq!(p.assets, 10_000_000_000 + burst);
    assert!(
        now > 3_600 * 100,
        "the cap held the burst back over many sweeps"
    );
    assert!(treasury_shares > 0);
}

#[test]
fn wipe_out_and_emptying() {
    let mut p = pool();
    p.deposit(1_000).unwrap();
    let out = p.pay_out(1_000, 0).unwrap();
    assert_eq!(
        out,
        PayOutcome {
            paid: 1_000,
            wiped: true,
            to_revenue: 0
        }
    );
    assert_eq!((p.assets, p.total_shares, p.epoch), (0, 0, 1));
    let mut p = pool();
    p.deposit(1_000).unwrap();
    let (paid, left) = p.withdraw(1_000, 1_000, 0).unwrap();
    assert_eq!((paid, left), (1_000, 0));
    assert_eq!(p.pay_out(5, 0).unwrap().paid, 0);
}

#[test]
fn a_wipe_out_leftover_joins_held_back() {
    // S = 1,000,000,001 shares on A = 1,000,000,001; a payout leaves A = 1,000
    // and A·10⁶ < S wipes the pool: the 1,000 left join H = min(H, R) + 1,000.
    let mut p = pool();
    p.deposit(1_000_000_001).unwrap();
    p.held_back = 700;
    let out = p.pay_out(1_000_000_001 - 1_000, 500).unwrap();
    assert!(out.wiped);
    assert_eq!(out.to_revenue, 1_000);
    assert_eq!(p.held_back, 1_500);
    // emptying: S reaches 0 with A left over (a request valued below its share)
    let mut p = pool();
    p.deposit(1_000).unwrap();
    let (paid, left) = p.withdraw(1_000, 400, 0).unwrap();
    assert_eq!((paid, left, p.held_back), (400, 600, 600));
}

#[test]
fn pool_parameters_wait_their_eta() {
    let mut p = pool();
    let update = PoolParamsUpdate {
        cooldown: Some(0),
        window: Some(0),
        ..PoolParamsUpdate::default()
    };
    let (before, after) = p.schedule_params(&update, 100, 100 + 172_800).unwrap();
    assert_eq!(before.cooldown, DEFAULT_COOLDOWN_SECS);
    assert_eq!((after.cooldown, after.window), (0, 0));
    assert_eq!(p.params_at(100 + 172_799).cooldown, DEFAULT_COOLDOWN_SECS);
    assert_eq!(p.params_at(100 + 172_800).cooldown, 0);
    assert!(!p.apply_due_changes(100 + 172_799));
    assert!(p.apply_due_changes(100 + 172_800));
    assert_eq!(p.params.window, 0);
    // a delay of 0 takes effect at once
    let (_, after) = p
        .schedule_params(
            &PoolParamsUpdate {
                window: Some(7),
                ..PoolParamsUpdate::default()
            },
            500,
            500,
        )
        .unwrap();
    assert_eq!(p.params, after);
    assert!(!p.pending_params.active);
}

#[test]
fn the_exit_clock_stops_while_a_record_is_open() {
    let mut p = pool();
    // the protocol's unpaused clock reads 1,000: the pool's runs with it
    assert_eq!(p.exit_clock_at(1_000), 1_000);
    p.open_record(1_000).unwrap();
    p.open_record(1_200).unwrap();
    assert_eq!(p.exit_clock_at(5_000), 1_000);
    assert!(p.require_no_loss_pending().is_err());
    p.close_record(5_000).unwrap();
    assert_eq!(p.exit_clock_at(6_000), 1_000);
    p.close_record(6_000).unwrap();
    assert!(p.require_no_loss_pending().is_ok());
    assert_eq!(p.exit_clock_at(6_500), 1_500);
}

#[test]
fn fresh_revenue_makes_an_inline_sweep_needed() {
    let mut p = pool();
    p.held_back = 10;
    assert!(!p.inline_sweep_needed(1, 10));
    assert!(p.inline_sweep_needed(1, 11));
    assert!(p.inline_sweep_needed(3_600, 0));
}

#[derive(Debug, Clone)]
enum Op {
    Stake(usize, u64),
    Request(usize, u64),
    Complete(usize),
    Cancel(usize),
    Revenue(u64),
    Loss(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..3, 1u64..1_000_000_000).prop_map(|(w, a)| Op::Stake(w, a)),
        (0usize..3, 1u64..=100).prop_map(|(w, pct)| Op::Request(w, pct)),
        (0usize..3).prop_map(Op::Complete),
        (0usize..3).prop_map(Op::Cancel),
        (1u64..500_000_000).prop_map(Op::Revenue),
        (1u64..500_000_000).prop_map(Op::Loss),
    ]
}

#[derive(Default, Clone, Copy)]
struct Holder {
    shares: u128,
    epoch: u32,
    request: Option<(u128, u64)>,
    put_in: u128,
    taken_out: u128,
}

proptest! {
    /// Σ stakes' values ≤ A ≤ vault; no staker leaves with more than they
    /// put in, plus the revenue swept, plus what others left behind: the
    /// dust a later stake's floor-rounded shares donate, the gains a cancel
    /// burns and the value an exit leaves (each over-estimated by at most one
    /// unit, so the bound is safe).
    #[test]
    fn ledger_conserves_value(ops in proptest::collection::vec(op(), 1..60)) {
        let mut p = pool();
        let mut vault: u64 = 0;
        let mut holders = [Holder::default(); 3];
        let mut revenue_swept: u128 = 0;
        let mut donated: u128 = 0;
        let mut revenue: u64 = 0;
        let mut now = 0i64;
        for op in ops {
            now += 3_600;
            match op {
                Op::Stake(w, a) => {
                    let h = &mut holders[w];
                    if h.epoch != p.epoch { *h = Holder { epoch: p.epoch, ..*h }; h.shares = 0; h.request = None; }
                    if h.request.is_some() { continue; }
                    if let Ok(n) = p.deposit(a) {
                        h.shares += n; vault += a; h.put_in += a as u128;
                        donated += (a - p.value_of(n).unwrap()) as u128;
                    }
                }
                Op::Request(w, pct) => {
                    let h = &mut holders[w];
                    if h.epoch != p.epoch || h.request.is_some() { continue; }
                    let n = h.shares * pct as u128 / 100;
                    if n == 0 { continue; }
                    h.request = Some((n, p.value_of(n).unwrap()));
                }
                Op::Complete(w) => {
                    let h = &mut holders[w];
                    if h.epoch != p.epoch { continue; }
                    if let Some((n, v)) = h.request.take() {
                        let worth = p.value_of(n).unwrap() as u128 + 1;
                        let (paid, left) = p.withdraw(n, v, 0).unwrap();
                        donated += worth.saturating_sub(paid as u128);
                        h.shares -= n; vault -= paid + left; revenue += left; h.taken_out += paid as u128;
                    }
                }
                Op::Cancel(w) => {
                    let h = &mut holders[w];
                    if h.epoch != p.epoch { continue; }
                    if let Some((n, v)) = h.request.take() {
                        let (assets, shares) = (p.assets, p.total_shares);
                        let burnt = p.forfeit_on_cancel(n, v).unwrap();
                        let worth = value_of_shares_floor(burnt, assets, shares).unwrap();
                        donated += worth as u128 + 1;
                        h.shares -= burnt;
                    }
                }
                Op::Revenue(r) => {
                    revenue += r;
                    let out = p.sweep(now, revenue).unwrap();
                    revenue -= out.moved();
                    prop_assert_eq!(out.held_back, p.held_back);
                    prop_assert!(p.held_back <= revenue);
                    vault += out.moved();
                    revenue_swept += out.moved() as u128;
                }
                Op::Loss(l) => {
                    let out = p.pay_out(l, 0).unwrap();
                    vault -= out.paid + out.to_revenue;
                    revenue += out.to_revenue;
                }
            }
            let sum: u128 = holders.iter()
                .filter(|h| h.epoch == p.epoch)
                .map(|h| p.value_of(h.shares).unwrap() as u128).sum();
            prop_assert!(sum <= p.assets as u128, "sum {} A {}", sum, p.assets);
            prop_assert!(p.assets <= vault);
            prop_assert!(p.invariant(vault).is_ok());
            for h in holders.iter() {
                prop_assert!(h.taken_out <= h.put_in + revenue_swept + donated);
            }
        }
    }
}
