use anchor_lang::prelude::*;

/// A staker's position in one pool, `["stake", pool, owner]`. Kept at or
/// under 136 bytes with its discriminator (Drift's stake account size).
#[account]
#[derive(InitSpace, Debug)]
pub struct Stake {
    pub version: u8,
    pub bump: u8,
    /// The pool epoch the shares belong to; an older epoch holds nothing.
    pub epoch: u32,
    pub pool: Pubkey,
    pub owner: Pubkey,
    /// Shares held, including any requested for unstake.
    pub shares: u128,
    /// Shares of the pending unstake request; 0 when none.
    pub request_shares: u128,
    /// `value_of(request_shares)` when the request was made.
    pub request_value: u64,
    /// When the request was made (unix seconds).
    pub request_ts: i64,
    /// Tokens staked minus tokens received, floored at 0.
    pub cost_basis: u64,
    pub reserved: [u8; 2],
}

/// The size of a [`Stake`] account with its discriminator, in bytes.
pub const STAKE_ACCOUNT_SIZE: usize = 8 + Stake::INIT_SPACE;
const _: () = assert!(STAKE_ACCOUNT_SIZE <= 136);

impl Stake {
    /// An empty stake of `owner` in `pool` at the pool's current epoch.
    pub fn new(pool: Pubkey, owner: Pubkey, epoch: u32, bump: u8) -> Stake {
        Stake {
            version: crate::constants::ACCOUNT_VERSION,
            bump,
            epoch,
            pool,
            owner,
            shares: 0,
            request_shares: 0,
            request_value: 0,
            request_ts: 0,
            cost_basis: 0,
            reserved: [0; 2],
        }
    }

    /// Whether the stake belongs to the pool's current epoch; a stake of an
    /// older epoch holds nothing (it was wiped out). Every reader goes
    /// through this, or through [`Stake::checked_shares`].
    pub fn is_current(&self, pool_epoch: u32) -> bool {
        self.epoch == pool_epoch
    }

    /// The shares this stake holds in the pool's current epoch.
    pub fn checked_shares(&self, pool_epoch: u32) -> u128 {
        if self.is_current(pool_epoch) {
            self.shares
        } else {
            0
        }
    }

    /// Whether a request of the current epoch is pending.
    pub fn has_current_request(&self, pool_epoch: u32) -> bool {
        self.is_current(pool_epoch) && self.has_request()
    }

    /// When the pending request can complete: `request time + cooldown`.
    pub fn unlocks_at(&self, cooldown: u64) -> i64 {
        unstake_unlock_ts(self.request_ts, cooldown)
    }

    /// When the pending request lapses, or `None` when `window = 0`.
    pub fn lapses_at(&self, cooldown: u64, window: u64, resumed_at: i64) -> Option<i64> {
        unstake_lapse_ts(self.request_ts, cooldown, window, resumed_at)
    }

    pub fn has_request(&self) -> bool {
        self.request_shares > 0
    }

    /// Resets a stake of an older epoch: after a wipe-out it holds nothing.
    /// Returns whether it was reset.
    pub fn sync_epoch(&mut self, pool_epoch: u32) -> bool {
        if self.epoch == pool_epoch {
            return false;
        }
        self.epoch = pool_epoch;
        self.shares = 0;
        self.clear_request();
        true
    }

    pub fn clear_request(&mut self) {
        self.request_shares = 0;
        self.request_value = 0;
        self.request_ts = 0;
    }
}

/// `request time + cooldown`, saturating (cooldown ≤ 90 days by bound).
pub fn unstake_unlock_ts(request_ts: i64, cooldown: u64) -> i64 {
    request_ts.saturating_add(i64::try_from(cooldown).unwrap_or(i64::MAX))
}

/// `max(request time + cooldown, resumed) + window`, where `resumed` is the
/// last time the `complete_unstake` pause was cleared; `None` when
/// `window = 0` (no limit). A pause therefore never makes a request lapse.
pub fn unstake_lapse_ts(
    request_ts: i64,
    cooldown: u64,
    window: u64,
    resumed_at: i64,
) -> Option<i64> {
    if window == 0 {
        return None;
    }
    let start = unstake_unlock_ts(request_ts, cooldown).max(resumed_at);
    Some(start.saturating_add(i64::try_from(window).unwrap_or(i64::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lapse_counts_from_the_later_of_unlock_and_resume() {
        // request at 0, cooldown 10 days, window 2 days
        let (cooldown, window) = (864_000, 172_800);
        assert_eq!(unstake_unlock_ts(0, cooldown), 864_000);
        assert_eq!(unstake_lapse_ts(0, cooldown, window, 0), Some(1_036_800));
        // a pause cleared at day 12 gives two more days from then
        assert_eq!(
            unstake_lapse_ts(0, cooldown, window, 1_036_800),
            Some(1_209_600)
        );
        assert_eq!(unstake_lapse_ts(0, cooldown, 0, 0), None);
    }

    proptest! {
        #[test]
        fn a_resume_never_shortens_the_window(
            req in 0i64..1 << 40, cooldown in 0u64..7_776_000,
            window in 1u64..2_592_000, resumed in 0i64..1 << 41,
        ) {
            let without = unstake_lapse_ts(req, cooldown, window, 0).unwrap();
            let with = unstake_lapse_ts(req, cooldown, window, resumed).unwrap();
            prop_assert!(with >= without);
            prop_assert!(with >= resumed.saturating_add(window as i64));
        }
    }
}
