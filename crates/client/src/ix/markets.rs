//! Builders of the market instructions: creation and changes, premiums, the
//! operator's records and resolution.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::system_program;
use backstop::accounts as acc;
use backstop::instruction as data;

use super::{Asset, PoolKeys, build};
use crate::pda;
use backstop::instructions::{CreateMarketArgs, MarketUpdate};
use backstop::state::MarketField;

/// `settlement_authority` is the settlement token account's owner (the
/// program refuses one of Backstop's own accounts).
pub fn create_market(
    admin: Pubkey,
    payer: Pubkey,
    asset: impl Into<Asset>,
    settlement: Pubkey,
    settlement_authority: Pubkey,
    args: CreateMarketArgs,
) -> Instruction {
    let asset = asset.into();
    let market = pda::market(args.index);
    build(
        acc::CreateMarket {
            admin,
            payer,
            protocol: pda::protocol(),
            pool: pda::pool(&asset.mint),
            market,
            settlement,
            settlement_authority,
            isolated_vault: args.isolated.then(|| pda::isolated_vault(&market)),
            mint: asset.mint,
            token_program: asset.token_program,
            system_program: system_program::ID,
        },
        data::CreateMarket { args },
    )
}

pub fn set_market_cap(admin: Pubkey, index: u16, cap: u64) -> Instruction {
    build(
        acc::SetMarketCap {
            admin,
            protocol: pda::protocol(),
            market: pda::market(index),
        },
        data::SetMarketCap { cap },
    )
}

/// `new_settlement` is a new settlement token account and its owner.
pub fn update_market(
    admin: Pubkey,
    index: u16,
    update: MarketUpdate,
    new_settlement: Option<(Pubkey, Pubkey)>,
) -> Instruction {
    build(
        acc::UpdateMarket {
            admin,
            protocol: pda::protocol(),
            market: pda::market(index),
            new_settlement: new_settlement.map(|(account, _)| account),
            settlement_authority: new_settlement.map(|(_, owner)| owner),
        },
        data::UpdateMarket { update },
    )
}

pub fn cancel_market_change(authority: Pubkey, index: u16, field: MarketField) -> Instruction {
    build(
        acc::CancelMarketChange {
            authority,
            protocol: pda::protocol(),
            market: pda::market(index),
        },
        data::CancelMarketChange { field },
    )
}

pub fn pay_premium(
    payer: Pubkey,
    payer_tokens: Pubkey,
    index: u16,
    asset: impl Into<Asset>,
    isolated: bool,
    amount: u64,
) -> Instruction {
    let market = pda::market(index);
    let k = PoolKeys::new(asset);
    build(
        acc::PayPremium {
            payer,
            payer_tokens,
            protocol: pda::protocol(),
            market,
            pool: k.pool,
            vault: k.vault,
            revenue: k.revenue,
            isolated_vault: isolated.then(|| pda::isolated_vault(&market)),
            mint: k.mint,
            token_program: k.token_program,
        },
        data::PayPremium { amount },
    )
}

fn operator_market(operator: Pubkey, index: u16) -> acc::OperatorMarket {
    acc::OperatorMarket {
        operator,
        protocol: pda::protocol(),
        market: pda::market(index),
    }
}

pub fn record_deposit(
    operator: Pubkey,
    payer: Pubkey,
    index: u16,
    owner: Pubkey,
    amount: u64,
) -> Instruction {
    let market = pda::market(index);
    build(
        acc::RecordDeposit {
            ctx: operator_market(operator, index),
            payer,
            lender: pda::lender(&market, &owner),
            system_program: system_program::ID,
        },
        data::RecordDeposit { owner, amount },
    )
}

pub fn record_withdrawal(operator: Pubkey, index: u16, owner: Pubkey, amount: u64) -> Instruction {
    let market = pda::market(index);
    build(
        acc::RecordWithdrawal {
            ctx: operator_market(operator, index),
            lender: pda::lender(&market, &owner),
        },
        data::RecordWithdrawal { owner, amount },
    )
}

pub fn record_position(
    operator: Pubkey,
    payer: Pubkey,
    index: u16,
    owner: Pubkey,
    new_base: i64,
) -> Instruction {
    let market = pda::market(index);
    build(
        acc::RecordPosition {
            ctx: operator_market(operator, index),
            payer,
            position: pda::position(&market, &owner),
            system_program: system_program::ID,
        },
        data::RecordPosition { owner, new_base },
    )
}

pub fn clear_owed(operator: Pubkey, index: u16, owner: Pubkey, amount: u64) -> Instruction {
    let market = pda::market(index);
    build(
        acc::ClearOwed {
            ctx: operator_market(operator, index),
            position: pda::position(&market, &owner),
        },
        data::ClearOwed { owner, amount },
    )
}

/// `mint` is the market's asset: the record blocks its pool's exits until
/// it is resolved.
pub fn record_bankruptcy(
    operator: Pubkey,
    payer: Pubkey,
    index: u16,
    mint: Pubkey,
    debtor: Pubkey,
    deficit: u64,
    exposure: u128,
) -> Instruction {
    let market = pda::market(index);
    build(
        acc::RecordBankruptcy {
            ctx: operator_market(operator, index),
            payer,
            bankruptcy: pda::bankruptcy(&market, &debtor),
            pool: pda::pool(&mint),
            system_program: system_program::ID,
        },
        data::RecordBankruptcy {
            debtor,
            deficit,
            exposure,
        },
    )
}

/// `settlement` is the market's settlement account in effect.
pub fn resolve_bankruptcy(
    resolver: Pubkey,
    index: u16,
    asset: impl Into<Asset>,
    debtor: Pubkey,
    settlement: Pubkey,
    isolated: bool,
) -> Instruction {
    let market = pda::market(index);
    let k = PoolKeys::new(asset);
    build(
        acc::ResolveBankruptcy {
            resolver,
            protocol: pda::protocol(),
            market,
            bankruptcy: pda::bankruptcy(&market, &debtor),
            pool_block: k.block(),
            settlement,
            isolated_vault: isolated.then(|| pda::isolated_vault(&market)),
        },
        data::ResolveBankruptcy { debtor },
    )
}

/// Voids an open record of a frozen market (admin); its rent goes to
/// `operator`, the market's operator in effect.
pub fn void_bankruptcy(
    admin: Pubkey,
    index: u16,
    mint: Pubkey,
    debtor: Pubkey,
    operator: Pubkey,
) -> Instruction {
    let market = pda::market(index);
    build(
        acc::VoidBankruptcy {
            admin,
            protocol: pda::protocol(),
            market,
            bankruptcy: pda::bankruptcy(&market, &debtor),
            pool: pda::pool(&mint),
            operator,
        },
        data::VoidBankruptcy { debtor },
    )
}
