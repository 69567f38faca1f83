//! Instruction builders: one per program instruction, deriving every PDA so
//! callers pass only the keys that are theirs to choose.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{InstructionData, ToAccountMetas, system_program};
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
    asset: impl Into<Asset>,
    params: PoolParams,
    allow_permanent_delegate: bool,
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
            allow_permanent_delegate,
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
            pool: k.pool,
            stake: pda::stake(&k.pool, &owner),
            treasury,
            treasury_stake: pda::stake(&k.pool, &treasury),
            vault: k.vault,
            revenue: k.revenue,
            owner_tokens,
            mint: k.mint,
            token_program: k.token_program,
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
            pool: k.pool,
            stake: pda::stake(&k.pool, &owner),
            treasury,
            treasury_stake: pda::stake(&k.pool, &treasury),
            vault: k.vault,
            revenue: k.revenue,
            mint: k.mint,
            token_program: k.token_program,
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
            pool: k.pool,
            stake: pda::stake(&k.pool, &owner),
            vault: k.vault,
            revenue: k.revenue,
            owner_tokens,
            mint: k.mint,
            token_program: k.token_program,
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
            pool: k.pool,
            vault: k.vault,
            revenue: k.revenue,
            treasury,
            treasury_stake: pda::stake(&k.pool, &treasury),
            mint: k.mint,
            token_program: k.token_program,
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
            pool: k.pool,
            vault: k.vault,
            revenue: k.revenue,
            mint: k.mint,
            token_program: k.token_program,
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
            pool: k.pool,
            payout: pda::payout(&k.pool, id),
            vault: k.vault,
            revenue: k.revenue,
            recipient,
            mint: k.mint,
            token_program: k.token_program,
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
    asset: impl Into<Asset>,
    settlement: Pubkey,
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
            pool: k.pool,
            vault: k.vault,
            revenue: k.revenue,
            settlement,
            isolated_vault: isolated.then(|| pda::isolated_vault(&market)),
            mint: k.mint,
            token_program: k.token_program,
        },
        data::ResolveBankruptcy {},
    )
}
