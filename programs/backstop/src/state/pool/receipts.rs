//! The pool's side of liquid insurance shares: shares held as receipt tokens
//! stay in S and are counted in `wrapped`; the receipt mint of each epoch.

use anchor_lang::prelude::*;

use super::Pool;
use crate::constants::RECEIPT_SEED;
use crate::errors::{BackstopError, OrMathError};

impl Pool {
    /// `wrap`: `shares` become receipt tokens; S is unchanged (the shares
    /// still earn and bear losses). Returns the receipt amount.
    pub fn wrap(&mut self, shares: u128) -> Result<u64> {
        let amount = u64::try_from(shares).map_err(|_| BackstopError::ReceiptSupplyOverflow)?;
        self.wrapped = self
            .wrapped
            .checked_add(amount)
            .ok_or(BackstopError::ReceiptSupplyOverflow)?;
        Ok(amount)
    }

    /// `unwrap` of current-epoch receipts: they become shares in a stake again.
    pub fn unwrap_receipts(&mut self, amount: u64) -> Result<u128> {
        self.wrapped = self.wrapped.checked_sub(amount).or_math()?;
        Ok(u128::from(amount))
    }

    /// The receipt mint's epoch seed: the epoch as u64 little-endian.
    pub fn receipt_epoch_seed(&self) -> [u8; 8] {
        u64::from(self.epoch).to_le_bytes()
    }

    /// The pool's receipt mint of `epoch` and its bump:
    /// `["receipt", pool, epoch u64 LE]`.
    pub fn receipt_mint_address(pool_key: &Pubkey, epoch: u64) -> (Pubkey, u8) {
        Pubkey::find_program_address(
            &[RECEIPT_SEED, pool_key.as_ref(), &epoch.to_le_bytes()],
            &crate::ID,
        )
    }

    /// Checks that `receipt_mint` is this pool's receipt mint of its current
    /// epoch (`ReceiptMintMismatch` otherwise); answers its bump, which the
    /// mint's creation signs with.
    pub fn require_current_receipt_mint(
        &self,
        pool_key: &Pubkey,
        receipt_mint: &Pubkey,
    ) -> Result<u8> {
        let (address, bump) = Self::receipt_mint_address(pool_key, self.epoch.into());
        require_keys_eq!(*receipt_mint, address, BackstopError::ReceiptMintMismatch);
        Ok(bump)
    }
}
