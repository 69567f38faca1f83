//! The model of a Token-2022 issuer's powers over a pool (docs/protocol.md
//! §3, mint extensions): a permanent delegate that takes tokens from the
//! vault (every instruction of the pool but `sync` refuses with
//! `VaultShortfall` until `sync` writes A down), and a transfer fee (inflows
//! refused while it is on; every exit still pays, the recipient bearing it).

use super::model::{Expect, Model, Pool};
use super::world::ISSUER_POWERS;
use backstop_client::refusal::BackstopError;

/// The start of the simulator's refusal of an issuer's step on a mint
/// without that power.
pub const NO_POWER: &str = "the mint of";

impl Pool {
    /// Token-2022's fee on a transfer of `amount`: the basis points of it,
    /// rounded up (no maximum in the fuzz world).
    pub fn fee(&self, amount: u128) -> u128 {
        (amount * self.fee_bps).div_ceil(10_000)
    }

    /// Whether the vault holds less than A (a delegate took tokens).
    pub fn short(&self) -> bool {
        self.vault < self.a
    }
}

impl Model {
    /// The permanent delegate takes `amount` from the vault.
    pub fn seize(&mut self, p: usize, amount: u128) -> Expect {
        if !ISSUER_POWERS[p] {
            return Expect::NotSent(NO_POWER);
        }
        let pool = &mut self.pools[p];
        if amount > pool.vault {
            return Expect::Refused("InsufficientFunds".into());
        }
        pool.vault -= amount;
        Expect::Ok
    }

    /// The fee authority sets the fee; it applies at once.
    pub fn set_transfer_fee(&mut self, p: usize, bps: u16) -> Expect {
        if !ISSUER_POWERS[p] {
            return Expect::NotSent(NO_POWER);
        }
        self.pools[p].fee_bps = bps as u128;
        Expect::Ok
    }

    /// The hook authority sets or clears a hook that lets every transfer
    /// through: nothing the ledger sees.
    pub fn set_transfer_hook(&mut self, p: usize) -> Expect {
        if !ISSUER_POWERS[p] {
            return Expect::NotSent(NO_POWER);
        }
        Expect::Ok
    }

    /// `VaultShortfall` while pool `p`'s vault is short of A.
    pub(super) fn shortfall(&self, p: usize) -> Option<Expect> {
        self.pools[p]
            .short()
            .then_some(Expect::Refused(BackstopError::VaultShortfall.into()))
    }

    /// `TransferFeeNotSupported` for a movement into or within pool `p`'s
    /// fund while a fee is on.
    pub(super) fn fee_refusal(&self, p: usize) -> Option<Expect> {
        (self.pools[p].fee_bps > 0).then_some(Expect::Refused(
            BackstopError::TransferFeeNotSupported.into(),
        ))
    }

    /// `sync` on a short vault: A falls to the vault balance, a loss to the
    /// stakers, then the wipe-out rule.
    pub(super) fn write_down(&mut self, p: usize) {
        let pool = &mut self.pools[p];
        let loss = pool.a - pool.vault;
        pool.lose(loss);
    }
}
