use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayoutStatus {
    Pending,
    Executed,
    Cancelled,
}

/// A compensation payout proposed by governance, `["payout", pool, id u64 LE]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Payout {
    pub version: u8,
    pub bump: u8,
    pub pool: Pubkey,
    pub id: u64,
    /// Token account (of the pool's mint) that receives the payout.
    pub recipient: Pubkey,
    pub amount: u64,
    /// Executable by anyone once now ≥ eta.
    pub eta: i64,
    pub status: PayoutStatus,
    /// What execution actually paid: min(amount, A).
    pub paid: u64,
    pub reserved: [u8; 16],
}
