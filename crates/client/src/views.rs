//! What accounts are worth now, computed exactly as the program computes it.

use anchor_lang::prelude::Pubkey;
use backstop::state::{Lender, Market, Pool, Position, Protocol, Stake};
use backstop_core::math::MathError;
use backstop_core::math::lending::balance_floor;
use backstop_core::math::perp::owed_since_snapshot_ceil;
use backstop_core::math::shares::{shares_for_amount_floor, value_of_shares_floor};

/// A stake account's fields as stored, for reports and tests that show the
/// account itself (the request fields are 0 when there is none). What a stake
/// holds now is [`stake_shares`]; its request, [`Stake::current_request`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StakeRecord {
    pub epoch: u32,
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub shares: u128,
    pub cost_basis: u64,
    pub request_shares: u128,
    pub request_value: u64,
    pub request_ts: i64,
    pub request_cooldown: u64,
    pub request_window: u64,
    pub request_exit_clock: u64,
}

impl StakeRecord {
    pub fn of(stake: &Stake) -> StakeRecord {
        let request = stake.request();
        StakeRecord {
            epoch: stake.epoch(),
            pool: stake.pool(),
            owner: stake.staker(),
            shares: stake.recorded_shares(),
            cost_basis: stake.cost_basis(),
            request_shares: request.map_or(0, |r| r.shares),
            request_value: request.map_or(0, |r| r.value),
            request_ts: request.map_or(0, |r| r.ts),
            request_cooldown: request.map_or(0, |r| r.cooldown),
            request_window: request.map_or(0, |r| r.window),
            request_exit_clock: request.map_or(0, |r| r.exit_clock),
        }
    }
}

/// Shares a stake holds now: 0 for a stake of an older epoch.
pub fn stake_shares(stake: &Stake, pool: &Pool) -> u128 {
    stake.checked_shares(pool.epoch)
}

/// `shares_for(amount)` at the pool's current price, rounded down (the
/// program's own conversion).
pub fn shares_for_amount(pool: &Pool, amount: u64) -> Result<u128, MathError> {
    shares_for_amount_floor(amount, pool.assets, pool.total_shares)
}

/// `value_of(shares)` at the pool's current price.
pub fn stake_value(stake: &Stake, pool: &Pool) -> Result<u64, MathError> {
    value_of_shares_floor(stake_shares(stake, pool), pool.assets, pool.total_shares)
}

/// The pending request `(shares, recorded value, timestamp)`, if any.
pub fn stake_request(stake: &Stake, pool: &Pool) -> Option<(u128, u64, i64)> {
    stake
        .current_request(pool.epoch)
        .map(|r| (r.shares, r.value, r.ts))
}

/// When the pending request unlocks and when it lapses if exits stay open
/// from `now` on (`None`: no window). The window runs on the pool's exit
/// clock, which stops while `complete_unstake` is paused or a loss is pending,
/// so a block pushes the lapse back by its length.
pub fn stake_request_times(
    stake: &Stake,
    pool: &Pool,
    protocol: &Protocol,
    now: i64,
) -> Option<(i64, Option<i64>)> {
    stake.current_request(pool.epoch).map(|request| {
        let clock = pool.exit_clock_at(protocol.exit_clock_at(now));
        (request.unlocks_at(), request.lapses_at(clock, now))
    })
}

/// Whether the pending request has lapsed at `now` (`RequestLapsed`).
pub fn stake_request_lapsed(stake: &Stake, pool: &Pool, protocol: &Protocol, now: i64) -> bool {
    stake
        .current_request(pool.epoch)
        .is_some_and(|r| r.has_lapsed(pool.exit_clock_at(protocol.exit_clock_at(now))))
}

/// A lender's balance: `⌊scaled·I / 10¹⁸⌋`.
pub fn lender_balance(lender: &Lender, market: &Market) -> Result<u64, MathError> {
    balance_floor(lender.scaled, market.deposit_index)
}

/// What a position owes now, including losses not yet settled into it.
pub fn position_owed(position: &Position, market: &Market) -> Result<u64, MathError> {
    let unsettled =
        owed_since_snapshot_ceil(position.base, market.loss_index, position.loss_snapshot)?;
    position
        .owed
        .checked_add(unsettled)
        .ok_or(MathError::Overflow)
}

/// The price of one share scaled by 10⁹ (for display only).
pub fn share_price_e9(pool: &Pool) -> u128 {
    if pool.total_shares == 0 {
        return 1_000_000_000;
    }
    (pool.assets as u128 * 1_000_000_000) / pool.total_shares
}

/// What `amount` receipt tokens of the pool's receipt mint of `epoch` are
/// worth now: `value_of(amount)` for the current epoch, 0 for an older one
/// (wiped out with it). A lender valuing receipts as collateral reads this.
pub fn receipt_value(pool: &Pool, epoch: u64, amount: u64) -> Result<u64, MathError> {
    if epoch != u64::from(pool.epoch) {
        return Ok(0);
    }
    value_of_shares_floor(u128::from(amount), pool.assets, pool.total_shares)
}
