use anchor_lang::prelude::*;
use backstop_core::exit;

/// A staker's position in one pool, `["stake", pool, owner]`.
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
    /// The pool's cooldown when the request was made: later changes apply
    /// only to later requests.
    pub request_cooldown: u64,
    /// The pool's window when the request was made (0 = no limit).
    pub request_window: u64,
    /// The pool's exit clock when the request was made.
    pub request_exit_clock: u64,
    /// Tokens staked minus tokens received, floored at 0.
    pub cost_basis: u64,
    pub reserved: [u8; 2],
}

/// The size of a [`Stake`] account with its discriminator, in bytes: Drift's
/// 136, plus the terms a request keeps (cooldown, window, exit clock).
pub const STAKE_ACCOUNT_SIZE: usize = 8 + Stake::INIT_SPACE;
const _: () = assert!(STAKE_ACCOUNT_SIZE == 160);

/// The terms an unstake request is made on (docs/protocol.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestTerms {
    pub shares: u128,
    pub value: u64,
    pub ts: i64,
    pub cooldown: u64,
    pub window: u64,
    pub exit_clock: u64,
}

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
            request_cooldown: 0,
            request_window: 0,
            request_exit_clock: 0,
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

    /// When the pending request can complete: `request time + cooldown`,
    /// with the cooldown recorded with the request.
    pub fn unlocks_at(&self) -> i64 {
        exit::unlock_ts(self.request_ts, self.request_cooldown)
    }

    /// Whether the pending request has lapsed, given the pool's exit clock
    /// now: more than `cooldown + window` seconds of exit clock since it was
    /// made (never when its window is 0).
    pub fn has_lapsed(&self, pool_exit_clock: u64) -> bool {
        exit::request_lapsed(
            self.request_exit_clock,
            self.request_cooldown,
            self.request_window,
            pool_exit_clock,
        )
    }

    /// Shares that may be wrapped: held in the current epoch and not in a
    /// pending request.
    pub fn wrappable_shares(&self, pool_epoch: u32) -> u128 {
        let requested = if self.has_current_request(pool_epoch) {
            self.request_shares
        } else {
            0
        };
        self.checked_shares(pool_epoch).saturating_sub(requested)
    }

    /// `wrap`: `shares` leave the stake for receipt tokens, and the cost
    /// basis moves with them pro rata (rounded down). Returns the basis moved.
    pub fn take_for_wrap(&mut self, shares: u128) -> Result<u64> {
        let before = self.shares;
        self.shares = before
            .checked_sub(shares)
            .ok_or(crate::errors::BackstopError::InsufficientShares)?;
        let moved = u128::from(self.cost_basis)
            .checked_mul(shares)
            .and_then(|x| x.checked_div(before))
            .and_then(|x| u64::try_from(x).ok())
            .ok_or(crate::errors::BackstopError::MathOverflow)?;
        self.cost_basis -= moved;
        Ok(moved)
    }

    /// A request never holds more shares than the stake.
    pub fn invariant(&self) -> Result<()> {
        require!(
            self.request_shares <= self.shares,
            crate::errors::BackstopError::InvariantViolated
        );
        Ok(())
    }

    /// `stake`: `shares` bought for `amount` join the stake, and the amount
    /// its cost basis.
    pub fn credit_deposit(&mut self, shares: u128, amount: u64) -> Result<()> {
        self.credit_shares(shares)?;
        self.cost_basis = self.cost_basis.saturating_add(amount);
        Ok(())
    }

    /// Shares credited without a cost (the treasury's cut of a sweep).
    pub fn credit_shares(&mut self, shares: u128) -> Result<()> {
        self.shares = self
            .shares
            .checked_add(shares)
            .ok_or(crate::errors::BackstopError::MathOverflow)?;
        Ok(())
    }

    /// `complete_unstake`: the request's shares leave, paid `paid` (its cost
    /// basis falls by it, never below 0), and the request is done.
    pub fn complete_request(&mut self, paid: u64) -> Result<()> {
        self.shares = self
            .shares
            .checked_sub(self.request_shares)
            .ok_or(crate::errors::BackstopError::MathOverflow)?;
        self.cost_basis = self.cost_basis.saturating_sub(paid);
        self.clear_request();
        Ok(())
    }

    /// `cancel_unstake`: the shares forfeited for gains made during the
    /// cooldown are burnt, and the request is dropped.
    pub fn cancel_request(&mut self, burnt: u128) -> Result<()> {
        self.shares = self
            .shares
            .checked_sub(burnt)
            .ok_or(crate::errors::BackstopError::MathOverflow)?;
        self.clear_request();
        Ok(())
    }

    /// `unwrap` of current-epoch receipts: the shares join the stake (of the
    /// pool's current epoch; a stake of an older epoch is reset first).
    pub fn credit_unwrapped(&mut self, pool_epoch: u32, shares: u128) -> Result<()> {
        self.sync_epoch(pool_epoch);
        self.credit_shares(shares)
    }

    /// Records a request on the terms in effect.
    pub fn record_request(&mut self, terms: RequestTerms) {
        self.request_shares = terms.shares;
        self.request_value = terms.value;
        self.request_ts = terms.ts;
        self.request_cooldown = terms.cooldown;
        self.request_window = terms.window;
        self.request_exit_clock = terms.exit_clock;
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
        self.request_cooldown = 0;
        self.request_window = 0;
        self.request_exit_clock = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_completes_or_is_cancelled_through_the_stake() {
        let mut stake = Stake::new(Pubkey::new_unique(), Pubkey::new_unique(), 0, 255);
        stake.credit_deposit(1_000, 500).unwrap();
        assert_eq!((stake.shares, stake.cost_basis), (1_000, 500));
        let terms = |shares| RequestTerms {
            shares,
            value: 200,
            ts: 10,
            cooldown: 60,
            window: 0,
            exit_clock: 7,
        };
        stake.record_request(terms(400));
        stake.complete_request(200).unwrap();
        assert_eq!((stake.shares, stake.cost_basis), (600, 300));
        assert!(!stake.has_request());
        assert_eq!(stake.request_value, 0);
        stake.record_request(terms(100));
        stake.cancel_request(30).unwrap();
        assert_eq!(stake.shares, 570);
        assert!(!stake.has_request());
        // more shares than it holds are never taken
        stake.record_request(terms(571));
        assert!(stake.complete_request(0).is_err());
        assert!(stake.cancel_request(571).is_err());
        stake.credit_shares(u128::MAX - 569).unwrap_err();
    }
}
