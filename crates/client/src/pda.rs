//! Program-derived addresses, one function per account kind (docs/protocol.md §2.1
//! "PDA seeds").

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::bpf_loader_upgradeable;
use backstop::constants::*;

thread_local! {
    /// Addresses already derived, by program and seeds: a derivation hashes
    /// and tests curve points until one is off the curve (tens of
    /// microseconds), and clients (the simulator, the fuzzer after every
    /// operation, the keeper) derive the same few addresses over and over.
    static DERIVED: std::cell::RefCell<std::collections::HashMap<Vec<u8>, Pubkey>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// `Pubkey::find_program_address(seeds, program).0`, remembered.
pub fn find_program_address(seeds: &[&[u8]], program: &Pubkey) -> Pubkey {
    // Seeds are at most 32 bytes each: a length prefix keeps the key unique.
    let key: Vec<u8> = program
        .as_ref()
        .iter()
        .copied()
        .chain(
            seeds
                .iter()
                .flat_map(|s| std::iter::once(s.len() as u8).chain(s.iter().copied())),
        )
        .collect();
    if let Some(found) = DERIVED.with(|d| d.borrow().get(&key).copied()) {
        return found;
    }
    let found = Pubkey::find_program_address(seeds, program).0;
    DERIVED.with(|d| d.borrow_mut().insert(key, found));
    found
}

fn find(seeds: &[&[u8]]) -> Pubkey {
    find_program_address(seeds, &backstop::ID)
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
    find_program_address(&[backstop::ID.as_ref()], &bpf_loader_upgradeable::ID)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_addresses_are_the_derived_ones() {
        let mint = Pubkey::new_unique();
        let fresh = Pubkey::find_program_address(&[POOL_SEED, mint.as_ref()], &backstop::ID).0;
        assert_eq!(pool(&mint), fresh);
        assert_eq!(pool(&mint), fresh, "from memory");
        // seeds split otherwise hash the same (Solana concatenates them);
        // another program's address differs
        let other = Pubkey::new_unique();
        let split = find_program_address(&[b"ab", b"c"], &other);
        let joined = find_program_address(&[b"a", b"bc"], &other);
        assert_eq!(
            split,
            Pubkey::find_program_address(&[b"ab", b"c"], &other).0
        );
        assert_eq!(
            joined,
            Pubkey::find_program_address(&[b"a", b"bc"], &other).0
        );
        assert_eq!(joined, split);
        assert_ne!(find_program_address(&[b"ab", b"c"], &backstop::ID), split);
    }
}
