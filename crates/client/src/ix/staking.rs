//! Builders of the pool instructions: staking, sweeps and payouts.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::system_program;
use backstop::accounts as acc;
use backstop::instruction as data;

use super::{Asset, PoolKeys, build};
use crate::pda;

/// `treasury` is the treasury in effect (its stake is credited if a sweep runs inline).
pub fn stake(
    owner: Pubkey,
    asset: impl Into<Asset>,
    treasury: Pubkey,
    owner_tokens: Pubkey,
    amount: u64,
) -> Instruction {
    let k = PoolKeys::new(asset);
    build(
        acc::StakeTokens {
            owner,
            protocol: pda::protocol(),
            pool_block: k.block(),
            stake: pda::stake(&k.pool, &owner),
            treasury_pair: k.treasury_pair(treasury),
            owner_tokens,
            system_program: system_program::ID,
        },
        data::Stake { amount },
    )
}

pub fn request_unstake(
    owner: Pubkey,
    asset: impl Into<Asset>,
    treasury: Pubkey,
    shares: u128,
) -> Instruction {
    let k = PoolKeys::new(asset);
    build(
        acc::RequestUnstake {
            owner,
            protocol: pda::protocol(),
            pool_block: k.block(),
            stake: pda::stake(&k.pool, &owner),
            treasury_pair: k.treasury_pair(treasury),
            system_program: system_program::ID,
        },
        data::RequestUnstake { shares },
    )
}

pub fn cancel_unstake(owner: Pubkey, mint: Pubkey) -> Instruction {
    let pool = pda::pool(&mint);
    build(
        acc::CancelUnstake {
            owner,
            pool,
            vault: pda::vault(&pool),
            stake: pda::stake(&pool, &owner),
        },
        data::CancelUnstake {},
    )
}

pub fn complete_unstake(
    owner: Pubkey,
    asset: impl Into<Asset>,
    owner_tokens: Pubkey,
) -> Instruction {
    let k = PoolKeys::new(asset);
    build(
        acc::CompleteUnstake {
            owner,
            protocol: pda::protocol(),
            pool_block: k.block(),
            stake: pda::stake(&k.pool, &owner),
            owner_tokens,
        },
        data::CompleteUnstake {},
    )
}

pub fn close_stake(owner: Pubkey, mint: Pubkey) -> Instruction {
    let pool = pda::pool(&mint);
    build(
        acc::CloseStake {
            owner,
            protocol: pda::protocol(),
            pool,
            stake: pda::stake(&pool, &owner),
        },
        data::CloseStake {},
    )
}

pub fn sweep_revenue(keeper: Pubkey, asset: impl Into<Asset>, treasury: Pubkey) -> Instruction {
    let k = PoolKeys::new(asset);
    build(
        acc::SweepRevenue {
            keeper,
            protocol: pda::protocol(),
            pool_block: k.block(),
            treasury_pair: k.treasury_pair(treasury),
            system_program: system_program::ID,
        },
        data::SweepRevenue {},
    )
}

pub fn sync_vault(keeper: Pubkey, asset: impl Into<Asset>) -> Instruction {
    let k = PoolKeys::new(asset);
    build(
        acc::SyncVault {
            keeper,
            pool_block: k.block(),
        },
        data::SyncVault {},
    )
}

pub fn propose_payout(
    admin: Pubkey,
    payer: Pubkey,
    mint: Pubkey,
    id: u64,
    recipient: Pubkey,
    amount: u64,
) -> Instruction {
    let pool = pda::pool(&mint);
    build(
        acc::ProposePayout {
            admin,
            payer,
            protocol: pda::protocol(),
            pool,
            payout: pda::payout(&pool, id),
            recipient,
            system_program: system_program::ID,
        },
        data::ProposePayout { amount },
    )
}

pub fn execute_payout(
    keeper: Pubkey,
    asset: impl Into<Asset>,
    id: u64,
    recipient: Pubkey,
) -> Instruction {
    let k = PoolKeys::new(asset);
    build(
        acc::ExecutePayout {
            keeper,
            protocol: pda::protocol(),
            pool_block: k.block(),
            payout: pda::payout(&k.pool, id),
            recipient,
        },
        data::ExecutePayout {},
    )
}

pub fn cancel_payout(authority: Pubkey, mint: Pubkey, id: u64) -> Instruction {
    let pool = pda::pool(&mint);
    build(
        acc::CancelPayout {
            authority,
            protocol: pda::protocol(),
            pool,
            payout: pda::payout(&pool, id),
        },
        data::CancelPayout {},
    )
}

/// Creates the pool's receipt mint of its current `epoch` (anyone, `payer`
/// pays the rent); does nothing once it exists.
pub fn create_receipt_mint(payer: Pubkey, mint: Pubkey, epoch: u64) -> Instruction {
    let pool = pda::pool(&mint);
    build(
        acc::CreateReceiptMint {
            payer,
            pool,
            receipt_mint: pda::receipt_mint(&pool, epoch),
            token_2022_program: anchor_spl::token_2022::ID,
            system_program: system_program::ID,
        },
        data::CreateReceiptMint {},
    )
}

/// What a client sends before a `wrap` so that the wrap only mints
/// (docs/protocol.md §4.9): `create_receipt_mint` when the epoch's mint does
/// not exist yet, and the owner's associated receipt account when it does
/// not; `payer` (normally the owner) pays their rent. Each is idempotent, so
/// a race with another staker refuses nothing.
pub fn wrap_setup(
    payer: Pubkey,
    owner: Pubkey,
    mint: Pubkey,
    epoch: u64,
    receipt_mint_exists: bool,
    receipt_account_exists: bool,
) -> Vec<Instruction> {
    let receipt_mint = pda::receipt_mint(&pda::pool(&mint), epoch);
    let mut setup = Vec::new();
    if !receipt_mint_exists {
        setup.push(create_receipt_mint(payer, mint, epoch));
    }
    if !receipt_account_exists {
        setup.push(crate::token::create_associated_token_account_idempotent(
            &payer,
            &owner,
            Asset::token_2022(receipt_mint),
        ));
    }
    setup
}

/// Wraps `shares` of `owner`'s stake into receipt tokens of the pool's
/// current `epoch`, minted to the owner's associated receipt account. Sent
/// alone, the epoch's first wrap creates the mint and the account itself
/// (about 77,000 CU); after [`wrap_setup`] it only mints.
pub fn wrap(owner: Pubkey, mint: Pubkey, epoch: u64, shares: u128) -> Instruction {
    let pool = pda::pool(&mint);
    let receipt_mint = pda::receipt_mint(&pool, epoch);
    build(
        acc::WrapShares {
            owner,
            protocol: pda::protocol(),
            pool,
            vault: pda::vault(&pool),
            stake: pda::stake(&pool, &owner),
            receipt_mint,
            owner_receipts: crate::token::receipt_account(&owner, &receipt_mint),
            token_2022_program: anchor_spl::token_2022::ID,
            associated_token_program: crate::token::ASSOCIATED_TOKEN_PROGRAM,
            system_program: system_program::ID,
        },
        data::Wrap { shares },
    )
}

/// Burns `amount` receipt tokens of the pool's `epoch` from `holder_receipts`
/// (a token account of that receipt mint the holder owns).
pub fn unwrap(
    holder: Pubkey,
    mint: Pubkey,
    epoch: u64,
    holder_receipts: Pubkey,
    amount: u64,
) -> Instruction {
    let pool = pda::pool(&mint);
    build(
        acc::UnwrapReceipts {
            holder,
            pool,
            vault: pda::vault(&pool),
            stake: pda::stake(&pool, &holder),
            receipt_mint: pda::receipt_mint(&pool, epoch),
            holder_receipts,
            token_2022_program: anchor_spl::token_2022::ID,
            system_program: system_program::ID,
        },
        data::Unwrap { epoch, amount },
    )
}
