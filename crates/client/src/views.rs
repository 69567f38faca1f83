//! What accounts are worth now, computed exactly as the program computes it.

use backstop::state::{Lender, Market, Pool, Position, Protocol, Stake};
use backstop_core::math::MathError;
use backstop_core::math::lending::balance_floor;
use backstop_core::math::perp::owed_since_snapshot_ceil;
use backstop_core::math::shares::{shares_for_amount_floor, value_of_shares_floor};

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
    stake.has_current_request(pool.epoch).then_some((
        stake.request_shares,
        stake.request_value,
        stake.request_ts,
    ))
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
    stake.has_current_request(pool.epoch).then(|| {
        let clock = pool.exit_clock_at(protocol.exit_clock_at(now));
        let lapses_at = backstop_core::exit::lapse_ts(
            stake.request_exit_clock,
            stake.request_cooldown,
            stake.request_window,
            clock,
            now,
        );
        (stake.unlocks_at(), lapses_at)
    })
}

/// Whether the pending request has lapsed at `now` (`RequestLapsed`).
pub fn stake_request_lapsed(stake: &Stake, pool: &Pool, protocol: &Protocol, now: i64) -> bool {
    stake.has_current_request(pool.epoch)
        && stake.has_lapsed(pool.exit_clock_at(protocol.exit_clock_at(now)))
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
