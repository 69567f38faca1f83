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
