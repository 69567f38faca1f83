//! Instruction builders: one per program instruction, deriving every PDA so
//! callers pass only the keys that are theirs to choose.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{InstructionData, ToAccountMetas};

use crate::pda;

mod governance;
mod markets;
mod staking;

pub use governance::*;
pub use markets::*;
pub use staking::*;

pub(crate) fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: backstop::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

/// A pool's asset: its mint and the token program that owns the mint (SPL
/// Token or Token-2022). Every token account of the pool belongs to that
/// program, and every builder that moves tokens names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asset {
    pub mint: Pubkey,
    pub token_program: Pubkey,
}

impl Asset {
    /// A mint of the classic SPL Token program.
    pub fn spl_token(mint: Pubkey) -> Asset {
        Asset {
            mint,
            token_program: anchor_spl::token::ID,
        }
    }

    /// A Token-2022 mint.
    pub fn token_2022(mint: Pubkey) -> Asset {
        Asset {
            mint,
            token_program: anchor_spl::token_2022::ID,
        }
    }

    /// The asset of a mint owned by `token_program` (the mint account's owner).
    pub fn owned_by(mint: Pubkey, token_program: Pubkey) -> Asset {
        Asset {
            mint,
            token_program,
        }
    }
}

/// A bare mint is a classic SPL Token mint; a Token-2022 pool needs
/// [`Asset::token_2022`] (the program refuses the wrong one with
/// `WrongTokenProgram`).
impl From<Pubkey> for Asset {
    fn from(mint: Pubkey) -> Asset {
        Asset::spl_token(mint)
    }
}

/// The keys of one pool, derived from its mint.
#[derive(Debug, Clone, Copy)]
pub struct PoolKeys {
    pub mint: Pubkey,
    pub token_program: Pubkey,
    pub pool: Pubkey,
    pub vault: Pubkey,
    pub revenue: Pubkey,
}

impl PoolKeys {
    pub fn new(asset: impl Into<Asset>) -> Self {
        let asset = asset.into();
        let pool = pda::pool(&asset.mint);
        PoolKeys {
            mint: asset.mint,
            token_program: asset.token_program,
            pool,
            vault: pda::vault(&pool),
            revenue: pda::revenue(&pool),
        }
    }

    /// The pool block of the instructions that move the pool's tokens
    /// (`backstop::groups::PoolBlock`: pool, vault, revenue, mint, token
    /// program, in that order on the wire).
    pub fn block(&self) -> backstop::accounts::PoolBlock {
        backstop::accounts::PoolBlock {
            pool: self.pool,
            vault: self.vault,
            revenue: self.revenue,
            mint: self.mint,
            token_program: self.token_program,
        }
    }

    /// The treasury pair of the instructions that sweep: `treasury` (the
    /// treasury in effect) and its stake in this pool.
    pub fn treasury_pair(&self, treasury: Pubkey) -> backstop::accounts::TreasuryPair {
        backstop::accounts::TreasuryPair {
            treasury,
            treasury_stake: pda::stake(&self.pool, &treasury),
        }
    }
}
