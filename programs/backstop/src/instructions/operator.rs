//! Accounts every operator instruction shares: the operator's signature, the
//! pause flag and the market it writes.

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::state::{Market, Protocol, pause};
use crate::utils::now;

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
