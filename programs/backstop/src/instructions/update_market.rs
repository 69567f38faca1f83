use anchor_lang::prelude::*;
use anchor_spl::token::TokenAccount;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::{ChangeField, ChangeScheduled, MarketStatusChanged};
use crate::state::{Market, MarketStatus, Protocol};
use crate::utils::now;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default)]
pub struct MarketUpdate {
    /// A new operator; waits `governance_delay`.
    pub operator: Option<Pubkey>,
    /// Freeze (true) or unfreeze (false) the market; at once.
    pub frozen: Option<bool>,
}

#[derive(Accounts)]
pub struct UpdateMarket<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump, has_one = admin @ BackstopError::NotAdmin)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, seeds = [MARKET_SEED, &market.index.to_le_bytes()], bump = market.bump)]
    pub market: Box<Account<'info, Market>>,
    /// A new settlement account (same mint); waits `governance_delay`.
    #[account(constraint = new_settlement.mint == market.mint @ BackstopError::MintMismatch)]
    pub new_settlement: Option<Box<Account<'info, TokenAccount>>>,
}

impl UpdateMarket<'_> {
    fn validate(&self, update: &MarketUpdate) -> Result<()> {
        if update.frozen.is_some() {
            require!(
                self.market.status != MarketStatus::Insolvent,
                BackstopError::MarketInsolvent
            );
        }
        Ok(())
    }

    #[access_control(ctx.accounts.validate(&update))]
    pub fn update_market(ctx: Context<UpdateMarket>, update: MarketUpdate) -> Result<()> {
        let now = now()?;
        let eta = ctx.accounts.protocol.eta_from(now)?;
        let new_settlement = ctx.accounts.new_settlement.as_ref().map(|s| s.key());
        let market = &mut ctx.accounts.market;
        let target = market.key();
        market.apply_due_changes(now);
        if let Some(operator) = update.operator {
            let old = market.operator;
            market.pending_operator.schedule(operator, eta);
            emit!(ChangeScheduled {
                target,
                field: ChangeField::Operator,
                old_key: old,
                new_key: operator,
                old_value: 0,
                new_value: 0,
                eta,
            });
        }
        if let Some(settlement) = new_settlement {
            let old = market.settlement;
            market.pending_settlement.schedule(settlement, eta);
            emit!(ChangeScheduled {
                target,
                field: ChangeField::Settlement,
                old_key: old,
                new_key: settlement,
                old_value: 0,
                new_value: 0,
                eta,
            });
        }
        if let Some(frozen) = update.frozen {
            let before = market.status;
            market.status = if frozen {
                MarketStatus::Frozen
            } else {
                MarketStatus::Active
            };
            emit!(MarketStatusChanged {
                market: target,
                before,
                after: market.status
            });
        }
        market.apply_due_changes(now);
        Ok(())
    }
}
