use anchor_lang::prelude::*;

/// A lender's scaled deposit in a lending market, `["lender", market, owner]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Lender {
    pub version: u8,
    pub bump: u8,
    pub market: Pubkey,
    pub owner: Pubkey,
    /// Balance = ⌊scaled·I / 10¹⁸⌋.
    pub scaled: u128,
    pub reserved: [u8; 16],
}

/// A perp position, `["position", market, owner]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Position {
    pub version: u8,
    pub bump: u8,
    pub market: Pubkey,
    pub owner: Pubkey,
    /// Signed size in base units (long > 0, short < 0).
    pub base: i64,
    /// The market's loss index when last settled.
    pub loss_snapshot: u128,
    /// Socialised losses the position must pay; cleared by the operator.
    pub owed: u64,
    pub reserved: [u8; 16],
}

/// An open bankruptcy, `["bankruptcy", market, debtor]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Bankruptcy {
    pub version: u8,
    pub bump: u8,
    pub market: Pubkey,
    pub debtor: Pubkey,
    pub deficit: u64,
    pub recorded_at: i64,
    pub reserved: [u8; 16],
}

pub const LENDER_ACCOUNT_SIZE: usize = 8 + Lender::INIT_SPACE;
pub const POSITION_ACCOUNT_SIZE: usize = 8 + Position::INIT_SPACE;
pub const BANKRUPTCY_ACCOUNT_SIZE: usize = 8 + Bankruptcy::INIT_SPACE;
