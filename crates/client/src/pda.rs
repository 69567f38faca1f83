//! Program-derived addresses, one function per account kind (docs/protocol.md §2.1
//! "PDA seeds").

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::bpf_loader_upgradeable;
use backstop::constants::*;

fn find(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &backstop::ID).0
}

pub fn protocol() -> Pubkey {
    find(&[PROTOCOL_SEED])
}

pub fn pool(mint: &Pubkey) -> Pubkey {
    find(&[POOL_SEED, mint.as_ref()])
}

pub fn vault(pool: &Pubkey) -> Pubkey {
    find(&[VAULT_SEED, pool.as_ref()])
}

pub fn revenue(pool: &Pubkey) -> Pubkey {
    find(&[REVENUE_SEED, pool.as_ref()])
}

pub fn stake(pool: &Pubkey, owner: &Pubkey) -> Pubkey {
    find(&[STAKE_SEED, pool.as_ref(), owner.as_ref()])
}

pub fn market(index: u16) -> Pubkey {
    find(&[MARKET_SEED, &index.to_le_bytes()])
}

pub fn isolated_vault(market: &Pubkey) -> Pubkey {
    find(&[ISOLATED_VAULT_SEED, market.as_ref()])
}

pub fn lender(market: &Pubkey, owner: &Pubkey) -> Pubkey {
    find(&[LENDER_SEED, market.as_ref(), owner.as_ref()])
}

pub fn position(market: &Pubkey, owner: &Pubkey) -> Pubkey {
    find(&[POSITION_SEED, market.as_ref(), owner.as_ref()])
}

pub fn bankruptcy(market: &Pubkey, debtor: &Pubkey) -> Pubkey {
    find(&[BANKRUPTCY_SEED, market.as_ref(), debtor.as_ref()])
}

pub fn payout(pool: &Pubkey, id: u64) -> Pubkey {
    find(&[PAYOUT_SEED, pool.as_ref(), &id.to_le_bytes()])
}

/// The pool's receipt mint of `epoch` (Token-2022; liquid shares).
pub fn receipt_mint(pool: &Pubkey, epoch: u64) -> Pubkey {
    find(&[RECEIPT_SEED, pool.as_ref(), &epoch.to_le_bytes()])
}

/// The program's ProgramData account under the upgradeable loader.
pub fn program_data() -> Pubkey {
    Pubkey::find_program_address(&[backstop::ID.as_ref()], &bpf_loader_upgradeable::ID).0
}
