use anchor_lang::prelude::*;
use backstop_core::exit;

/// A staker's position in one pool, `["stake", pool, owner]`.
///
/// Its fields are private: only the methods below change them (the handlers
/// call `credit_deposit`, `record_request`, `complete_request`, …), and
/// readers go through `checked_shares` and `request`, which know that a stake
/// of an older epoch holds nothing. The request is stored as six fixed fields
/// (all 0 when none), so every field keeps one offset for integrators that
/// filter or read the account's bytes (docs/protocol.md §2); in Rust it is an
/// `Option<UnstakeRequest>`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Stake {
    version: u8,
    bump: u8,
    /// The pool epoch the shares belong to; an older epoch holds nothing.
    epoch: u32,
    pool: Pubkey,
    owner: Pubkey,
    /// Shares held, including any requested for unstake.
    shares: u128,
    /// Shares of the pending unstake request; 0 when none.
    request_shares: u128,
    /// `value_of(request_shares)` when the request was made.
    request_value: u64,
    /// When the request was made (unix seconds).
    request_ts: i64,
    /// The pool's cooldown when the request was made: later changes apply
    /// only to later requests.
    request_cooldown: u64,
    /// The pool's window when the request was made (0 = no limit).
    request_window: u64,
    /// The pool's exit clock when the request was made.
    request_exit_clock: u64,
    /// Tokens staked minus tokens received, floored at 0.
    cost_basis: u64,
    reserved: [u8; 2],
}

/// The size of a [`Stake`] account with its discriminator, in bytes: Drift's
/// 136, plus the terms a request keeps (cooldown, window, exit clock).
pub const STAKE_ACCOUNT_SIZE: usize = 8 + Stake::INIT_SPACE;
const _: () = assert!(STAKE_ACCOUNT_SIZE == 160);

/// A pending unstake request and the terms it was made on (docs/protocol.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnstakeRequest {
    pub shares: u128,
    pub value: u64,
    pub ts: i64,
    pub cooldown: u64,
    pub window: u64,
    pub exit_clock: u64,
}

impl UnstakeRequest {
    /// When it can complete: `request time + cooldown`, with the cooldown
    /// recorded with the request.
    pub fn unlocks_at(&self) -> i64 {
        exit::unlock_ts(self.ts, self.cooldown)
    }

    /// Whether it has lapsed, given the pool's exit clock now: more than
    /// `cooldown + window` seconds of exit clock since it was made (never when
    /// its window is 0).
    pub fn has_lapsed(&self, pool_exit_clock: u64) -> bool {
        exit::request_lapsed(self.exit_clock, self.cooldown, self.window, pool_exit_clock)
    }

    /// When it lapses if exits stay open from `now` on (`None`: no window).
    pub fn lapses_at(&self, pool_exit_clock: u64, now: i64) -> Option<i64> {
        exit::lapse_ts(
            self.exit_clock,
            self.cooldown,
            self.window,
            pool_exit_clock,
            now,
        )
    }
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

    pub fn version(&self) -> u8 {
        self.version
    }

    pub fn bump(&self) -> u8 {
        self.bump
    }

    /// The pool epoch the stake's shares belong to.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    pub fn pool(&self) -> Pubkey {
        self.pool
    }

    /// The staker who owns the stake (its `owner` field; not named `owner()`,
    /// which is Anchor's `Owner::owner`, the program owning the account type).
    pub fn staker(&self) -> Pubkey {
        self.owner
    }

    /// Tokens staked minus tokens received, floored at 0.
    pub fn cost_basis(&self) -> u64 {
        self.cost_basis
    }

    /// The shares as stored, whatever their epoch (reports of the account's
    /// bytes). What the stake holds is [`Stake::checked_shares`].
    pub fn recorded_shares(&self) -> u128 {
        self.shares
    }

    /// The pending request, whatever its epoch (`None` when there is none).
    pub fn request(&self) -> Option<UnstakeRequest> {
        self.has_request().then_some(UnstakeRequest {
            shares: self.request_shares,
            value: self.request_value,
            ts: self.request_ts,
            cooldown: self.request_cooldown,
            window: self.request_window,
            exit_clock: self.request_exit_clock,
        })
    }

    /// The pending request of the pool's current epoch, if any.
    pub fn current_request(&self, pool_epoch: u32) -> Option<UnstakeRequest> {
        self.request().filter(|_| self.is_current(pool_epoch))
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
    pub fn record_request(&mut self, terms: UnstakeRequest) {
        self.request_shares = terms.shares;
        self.request_value = terms.value;
        self.request_ts = terms.ts;
        self.request_cooldown = terms.cooldown;
        self.request_window = terms.window;
        self.request_exit_clock = terms.exit_clock;
    }

    fn has_request(&self) -> bool {
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

    fn clear_request(&mut self) {
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
        let terms = |shares| UnstakeRequest {
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
