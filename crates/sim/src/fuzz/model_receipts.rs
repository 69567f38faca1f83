//! The model's receipts (docs/protocol.md §4.9): `wrap` turns a stake's
//! shares into receipt tokens of the pool's current epoch, any holder
//! `unwrap`s them back into shares of its own stake, and receipts move by
//! plain Token-2022 transfers. The shares stay in S; a wipe-out leaves the
//! old epoch's receipts worth nothing.

use super::model::{Expect, Model, Stake};
use backstop_client::refusal::{AnchorError, BackstopError};

/// The token program's refusal of a receipt account that does not exist
/// (natively, then on the VM).
const NO_ACCOUNT: &[&str] = &["InvalidAccountData", "IncorrectProgramId"];
/// Of a transfer of an epoch's receipts before that epoch has a mint.
const NO_MINT: &[&str] = &["InvalidMint", "IncorrectProgramId"];

impl Model {
    /// `u`'s receipts of pool `p`'s current epoch, if it has an account.
    pub fn receipts_now(&self, u: usize, p: usize) -> Option<u128> {
        let epoch = self.pools[p].epoch;
        match self.receipts[u][p] {
            Some((e, balance)) if e == epoch => Some(balance),
            _ => None,
        }
    }

    fn credit_receipts(&mut self, u: usize, p: usize, n: u128) {
        let epoch = self.pools[p].epoch;
        let balance = self.receipts_now(u, p).unwrap_or(0);
        self.receipts[u][p] = Some((epoch, balance + n));
    }

    /// What the simulator's `wrap` does before the wrap itself, whoever signs
    /// and whatever the wrap then does: once the epoch's mint exists, `u`'s
    /// receipt account of it is created (docs/scenarios.md, `wrap`).
    pub fn prepare_wrap(&mut self, u: usize, p: usize) {
        let epoch = self.pools[p].epoch;
        if self.pools[p].receipt_mints.contains(&epoch) && self.receipts_now(u, p).is_none() {
            self.receipts[u][p] = Some((epoch, 0));
        }
    }

    /// Anyone creates the current epoch's receipt mint; nothing once it
    /// exists.
    pub fn create_receipt_mint(&mut self, p: usize) -> Expect {
        let epoch = self.pools[p].epoch;
        self.pools[p].receipt_mints.insert(epoch);
        Expect::Ok
    }

    pub fn wrap(&mut self, u: usize, p: usize, n: u128) -> Expect {
        let st = &self.stakes[p][u];
        if !st.exists {
            return Expect::Refused(AnchorError::AccountNotInitialized.into());
        }
        if self.paused(super::model::op::STAKE) {
            return Expect::Refused(BackstopError::OperationPaused.into());
        }
        if n == 0 {
            return Expect::Refused(BackstopError::ZeroShares.into());
        }
        let pool = &self.pools[p];
        let current = st.epoch == pool.epoch;
        let shares = if current { st.shares } else { 0 };
        if n > shares {
            return Expect::Refused(BackstopError::InsufficientShares.into());
        }
        let requested = st.request.filter(|_| current).map_or(0, |r| r.shares);
        if n > shares - requested {
            return Expect::Refused(BackstopError::SharesInRequest.into());
        }
        if pool.short() {
            return Expect::Refused(BackstopError::VaultShortfall.into());
        }
        if pool.wrapped + n > u64::MAX as u128 {
            return Expect::Refused(BackstopError::ReceiptSupplyOverflow.into());
        }
        let epoch = pool.epoch;
        self.stakes[p][u].shares -= n;
        let pool = &mut self.pools[p];
        pool.wrapped += n;
        pool.receipt_mints.insert(epoch);
        self.credit_receipts(u, p, n);
        Expect::Ok
    }

    /// Of the current epoch's receipts (the simulator's `unwrap`).
    pub fn unwrap(&mut self, u: usize, p: usize, amount: u128) -> Expect {
        let epoch = self.pools[p].epoch;
        if !self.pools[p].receipt_mints.contains(&epoch) {
            return Expect::Refused(BackstopError::ReceiptMintMismatch.into());
        }
        if amount == 0 {
            return Expect::Refused(BackstopError::ZeroAmount.into());
        }
        if let Some(refused) = self.shortfall(p) {
            return refused;
        }
        let Some(balance) = self.receipts_now(u, p) else {
            // the burn finds no token account
            return Expect::TokenRefused(NO_ACCOUNT);
        };
        if balance < amount {
            return Expect::Refused("InsufficientFunds".into());
        }
        self.receipts[u][p] = Some((epoch, balance - amount));
        self.pools[p].wrapped -= amount;
        let st = &mut self.stakes[p][u];
        if !st.exists || st.epoch != epoch {
            *st = Stake {
                exists: true,
                epoch,
                ..Stake::default()
            };
        }
        st.shares += amount;
        Expect::Ok
    }

    /// A plain transfer of current-epoch receipts; the recipient's account is
    /// created if needed.
    pub fn send_receipts(&mut self, from: usize, to: usize, p: usize, amount: u128) -> Expect {
        let epoch = self.pools[p].epoch;
        if !self.pools[p].receipt_mints.contains(&epoch) {
            return Expect::TokenRefused(NO_MINT);
        }
        let Some(balance) = self.receipts_now(from, p) else {
            return Expect::TokenRefused(NO_ACCOUNT);
        };
        if balance < amount {
            return Expect::Refused("InsufficientFunds".into());
        }
        self.receipts[from][p] = Some((epoch, balance - amount));
        self.credit_receipts(to, p, amount);
        Expect::Ok
    }
}
