//! Account groups that several instructions take together (Anchor composite
//! accounts), so each group's checks are written once. A group's accounts
//! are contiguous on the wire, in field order, and the IDL nests them under
//! the group's name (docs/protocol.md §10).

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{MARKET_SEED, POOL_SEED, PROTOCOL_SEED};
use crate::errors::BackstopError;
use crate::ops::sweep::{InlineSweep, is_treasury_stake};
use crate::state::{Market, Pool, Protocol, pause};
use crate::utils::now;

/// A pool with everything it moves tokens with: its vault and revenue
/// accounts, its mint and its token program, each pinned by the pool. Taken
/// by every instruction that writes the pool and moves its tokens.
#[derive(Accounts)]
pub struct PoolBlock<'info> {
    #[account(mut, dup, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump, has_one = vault, has_one = revenue)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut, dup)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup)]
    pub revenue: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The pool's mint: every transfer is `transfer_checked`.
    #[account(address = pool.mint @ BackstopError::MintMismatch)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = pool.token_program @ BackstopError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl PoolBlock<'_> {
    /// Whether `account` is neither the vault nor the revenue account: a
    /// token account the caller chooses must not be one of the pool's own
    /// (Anchor's duplicate check is off for `dup` accounts, docs/security.md
    /// §2.5).
    pub fn is_not_own_token_account(&self, account: &Pubkey) -> bool {
        crate::utils::is_none_of(account, &[&self.vault.key(), &self.revenue.key()])
    }
}

/// The treasury in effect and its stake in the pool, which a sweep credits
/// (created by the sweep when missing). Taken by the instructions that sweep:
/// `sweep_revenue`, and `stake` and `request_unstake` inline. Checked by the
/// instruction with [`TreasuryPair::is_in_effect`], which needs the protocol
/// and the pool.
#[derive(Accounts)]
pub struct TreasuryPair<'info> {
    /// The treasury in effect: `Protocol.treasury`, or its pending change once
    /// due.
    /// CHECK: address checked by `TreasuryPair::is_in_effect`.
    pub treasury: UncheckedAccount<'info>,
    /// CHECK: the treasury's stake in the pool (`TreasuryPair::is_in_effect`).
    #[account(mut)]
    pub treasury_stake: UncheckedAccount<'info>,
}

impl<'info> TreasuryPair<'info> {
    /// Whether the treasury is the one in effect at `now`
    /// (`TreasuryMismatch` otherwise).
    pub fn is_treasury_in_effect(&self, protocol: &Protocol, now: i64) -> bool {
        self.treasury.key() == protocol.treasury_at(now)
    }

    /// Whether the stake is this treasury's in `pool`, or the empty address
    /// of it (`TreasuryStakeMismatch` otherwise).
    pub fn is_treasury_stake_in(&self, pool: &Pubkey) -> bool {
        is_treasury_stake(&self.treasury_stake, pool, &self.treasury.key())
    }

    /// The inline sweep of `stake` and `request_unstake`, crediting this
    /// treasury's stake: `own_stake` is the caller's stake address, `payer`
    /// pays a new treasury stake's rent.
    pub fn inline_sweep(
        &self,
        own_stake: Pubkey,
        payer: AccountInfo<'info>,
        system_program: AccountInfo<'info>,
    ) -> InlineSweep<'info> {
        InlineSweep {
            treasury_stake: self.treasury_stake.to_account_info(),
            own_stake,
            treasury: self.treasury.key(),
            payer,
            system_program,
        }
    }
}

/// The operator (usually the host protocol's PDA signing by CPI) and its market.
#[derive(Accounts)]
pub struct OperatorMarket<'info> {
    pub operator: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(
        mut, dup,
        seeds = [MARKET_SEED, &market.index.to_le_bytes()],
        bump = market.bump,
        constraint = market.operator_at(now()?) == operator.key() || planted!(OperatorNotChecked) @ BackstopError::NotOperator
    )]
    pub market: Box<Account<'info, Market>>,
}

impl OperatorMarket<'_> {
    /// Every operator record: not paused, market not frozen.
    pub fn validate(&self) -> Result<()> {
        self.protocol.require_not_paused(pause::OPERATOR)?;
        self.market.require_not_frozen()
    }

    /// A per-account record (lender or position): also `accounts` mode only.
    pub fn validate_account_record(&self) -> Result<()> {
        self.validate()?;
        self.market.require_accounts_mode()
    }
}
