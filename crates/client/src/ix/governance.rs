//! Builders of the governance instructions: the protocol, pauses and pools.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::system_program;
use backstop::accounts as acc;
use backstop::instruction as data;

use super::{Asset, PoolKeys, build};
use crate::pda;
use backstop::instructions::{InitializeProtocolArgs, ProtocolUpdate};
use backstop::state::ProtocolField;
use backstop::state::{MintOptIns, PoolParams, PoolParamsUpdate};

pub fn initialize_protocol(payer: Pubkey, args: InitializeProtocolArgs) -> Instruction {
    build(
        acc::InitializeProtocol {
            payer,
            protocol: pda::protocol(),
            program_data: pda::program_data(),
            system_program: system_program::ID,
        },
        data::InitializeProtocol { args },
    )
}

pub fn propose_admin(admin: Pubkey, new_admin: Pubkey) -> Instruction {
    build(
        acc::ProposeAdmin {
            admin,
            protocol: pda::protocol(),
        },
        data::ProposeAdmin { new_admin },
    )
}

pub fn accept_admin(new_admin: Pubkey) -> Instruction {
    build(
        acc::AcceptAdmin {
            new_admin,
            protocol: pda::protocol(),
        },
        data::AcceptAdmin {},
    )
}

pub fn update_protocol(admin: Pubkey, update: ProtocolUpdate) -> Instruction {
    build(
        acc::UpdateProtocol {
            admin,
            protocol: pda::protocol(),
        },
        data::UpdateProtocol { update },
    )
}

pub fn cancel_protocol_change(authority: Pubkey, field: ProtocolField) -> Instruction {
    build(
        acc::CancelProtocolChange {
            authority,
            protocol: pda::protocol(),
        },
        data::CancelProtocolChange { field },
    )
}

pub fn pause(authority: Pubkey, flags: u16) -> Instruction {
    build(
        acc::Pause {
            authority,
            protocol: pda::protocol(),
        },
        data::Pause { flags },
    )
}

pub fn unpause(admin: Pubkey, flags: u16) -> Instruction {
    build(
        acc::Unpause {
            admin,
            protocol: pda::protocol(),
        },
        data::Unpause { flags },
    )
}

pub fn create_pool(
    admin: Pubkey,
    payer: Pubkey,
    treasury: Pubkey,
    asset: impl Into<Asset>,
    params: PoolParams,
    opt_ins: MintOptIns,
) -> Instruction {
    let k = PoolKeys::new(asset);
    build(
        acc::CreatePool {
            admin,
            payer,
            protocol: pda::protocol(),
            mint: k.mint,
            pool: k.pool,
            vault: k.vault,
            revenue: k.revenue,
            treasury,
            treasury_stake: pda::stake(&k.pool, &treasury),
            token_program: k.token_program,
            system_program: system_program::ID,
        },
        data::CreatePool {
            params,
            allow_permanent_delegate: opt_ins.permanent_delegate,
            allow_transfer_hook: opt_ins.transfer_hook,
        },
    )
}

pub fn set_pool(admin: Pubkey, mint: Pubkey, update: PoolParamsUpdate) -> Instruction {
    build(
        acc::SetPool {
            admin,
            protocol: pda::protocol(),
            pool: pda::pool(&mint),
        },
        data::SetPool { update },
    )
}

/// Drops a pool's pending parameter change (guardian or admin, before its eta).
pub fn cancel_pool_change(authority: Pubkey, mint: Pubkey) -> Instruction {
    build(
        acc::CancelPoolChange {
            authority,
            protocol: pda::protocol(),
            pool: pda::pool(&mint),
        },
        data::CancelPoolChange {},
    )
}
