//! Instruction builders: one per program instruction, deriving every PDA so
//! callers pass only the keys that are theirs to choose.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{InstructionData, ToAccountMetas, system_program};
use anchor_spl::token;
use backstop::accounts as acc;
use backstop::events::ChangeField;
use backstop::instruction as data;
use backstop::instructions::{
    CreateMarketArgs, InitializeProtocolArgs, MarketUpdate, ProtocolUpdate,
};
use backstop::state::{PoolParams, PoolParamsUpdate};

use crate::pda;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: backstop::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

/// The keys of one pool, derived from its mint.
#[derive(Debug, Clone, Copy)]
pub struct PoolKeys {
    pub mint: Pubkey,
    pub pool: Pubkey,
    pub vault: Pubkey,
    pub revenue: Pubkey,
}

impl PoolKeys {
    pub fn new(mint: Pubkey) -> Self {
        let pool = pda::pool(&mint);
        PoolKeys {
            mint,
            pool,
            vault: pda::vault(&pool),
            revenue: pda::revenue(&pool),
        }
    }
}

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

pub fn cancel_protocol_change(authority: Pubkey, field: ChangeField) -> Instruction {
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
    mint: Pubkey,
    params: PoolParams,
) -> Instruction {
    let k = PoolKeys::new(mint);
    build(
        acc::CreatePool {
            admin,
            payer,
            protocol: pda::protocol(),
            mint,
            pool: k.pool,
            vault: k.vault,
            revenue: k.revenue,
            treasury,
            treasury_stake: pda::stake(&k.pool, &treasury),
            token_program: token::ID,
            system_program: system_program::ID,
        },
        data::CreatePool { params },
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

/// `treasury` is the treasury in effect (its stake is credited if a sweep runs inline).
pub fn stake(
    owner: Pubkey,
    mint: Pubkey,
    treasury: Pubkey,
    owner_tokens: Pubkey,
    amount: u64,
) -> Instruction {
    let k = PoolKeys::new(mint);
    build(
        acc::StakeTokens {
            owner,
            protocol: pda::protocol(),
            pool: k.pool,
            stake: pda::stake(&k.pool, &owner),
            treasury,
            treasury_stake: pda::stake(&k.pool, &treasury),
            vault: k.vault,
            revenue: k.revenue,
            owner_tokens,
            token_program: token::ID,
            system_program: system_program::ID,
        },
        data::Stake { amount },
    )
}

pub fn request_unstake(owner: Pubkey, mint: Pubkey, treasury: Pubkey, shares: u128) -> Instruction {
    let k = PoolKeys::new(mint);
    build(
        acc::RequestUnstake {
            owner,
            protocol: pda::protocol(),
            pool: k.pool,
            stake: pda::stake(&k.pool, &owner),
            treasury,
            treasury_stake: pda::stake(&k.pool, &treasury),
            vault: k.vault,
            revenue: k.revenue,
            token_program: token::ID,
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
            stake: pda::stake(&pool, &owner),
        },
        data::CancelUnstake {},
    )
}

pub fn complete_unstake(owner: Pubkey, mint: Pubkey, owner_tokens: Pubkey) -> Instruction {
    let k = PoolKeys::new(mint);
    build(
        acc::CompleteUnstake {
            owner,
            protocol: pda::protocol(),
            pool: k.pool,
            stake: pda::stake(&k.pool, &owner),
            vault: k.vault,
            revenue: k.revenue,
            owner_tokens,
            token_program: token::ID,
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

pub fn sweep_revenue(keeper: Pubkey, mint: Pubkey, treasury: Pubkey) -> Instruction {
    let k = PoolKeys::new(mint);
    build(
        acc::SweepRevenue {
            keeper,
            protocol: pda::protocol(),
            pool: k.pool,
            vault: k.vault,
            revenue: k.revenue,
            treasury,
            treasury_stake: pda::stake(&k.pool, &treasury),
            token_program: token::ID,
            system_program: system_program::ID,
        },
        data::SweepRevenue {},
    )
}

pub fn sync_vault(keeper: Pubkey, mint: Pubkey) -> Instruction {
    let k = PoolKeys::new(mint);
    build(
        acc::SyncVault {
            keeper,
            pool: k.pool,
            vault: k.vault,
            revenue: k.revenue,
            token_program: token::ID,
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

pub fn execute_payout(keeper: Pubkey, mint: Pubkey, id: u64, recipient: Pubkey) -> Instruction {
    let k = PoolKeys::new(mint);
    build(
        acc::ExecutePayout {
            keeper,
            protocol: pda::protocol(),
            pool: k.pool,
            payout: pda::payout(&k.pool, id),
            vault: k.vault,
            revenue: k.revenue,
            recipient,
            token_program: token::ID,
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

pub fn create_market(
    admin: Pubkey,
    payer: Pubkey,
    mint: Pubkey,
    settlement: Pubkey,
    args: CreateMarketArgs,
) -> Instruction {
    let market = pda::market(args.index);
    build(
        acc::CreateMarket {
            admin,
            payer,
            protocol: pda::protocol(),
            pool: pda::pool(&mint),
            market,
            settlement,
            isolated_vault: args.isolated.then(|| pda::isolated_vault(&market)),
            mint,
            token_program: token::ID,
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

pub fn update_market(
    admin: Pubkey,
    index: u16,
    update: MarketUpdate,
    new_settlement: Option<Pubkey>,
) -> Instruction {
    build(
        acc::UpdateMarket {
            admin,
            protocol: pda::protocol(),
            market: pda::market(index),
            new_settlement,
        },
        data::UpdateMarket { update },
    )
}

pub fn cancel_market_change(authority: Pubkey, index: u16, field: ChangeField) -> Instruction {
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
    mint: Pubkey,
    isolated: bool,
    amount: u64,
) -> Instruction {
    let market = pda::market(index);
    let k = PoolKeys::new(mint);
    build(
        acc::PayPremium {
            payer,
            payer_tokens,
            protocol: pda::protocol(),
            market,
            pool: k.pool,
            revenue: k.revenue,
            isolated_vault: isolated.then(|| pda::isolated_vault(&market)),
            token_program: token::ID,
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
        data::RecordWithdrawal { amount },
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
        data::ClearOwed { amount },
    )
}

pub fn record_bankruptcy(
    operator: Pubkey,
    payer: Pubkey,
    index: u16,
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
    mint: Pubkey,
    debtor: Pubkey,
    settlement: Pubkey,
    isolated: bool,
) -> Instruction {
    let market = pda::market(index);
    let k = PoolKeys::new(mint);
    build(
        acc::ResolveBankruptcy {
            resolver,
            protocol: pda::protocol(),
            market,
            bankruptcy: pda::bankruptcy(&market, &debtor),
            pool: k.pool,
            vault: k.vault,
            revenue: k.revenue,
            settlement,
            isolated_vault: isolated.then(|| pda::isolated_vault(&market)),
            token_program: token::ID,
        },
        data::ResolveBankruptcy {},
    )
}
