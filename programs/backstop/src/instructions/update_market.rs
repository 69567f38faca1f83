use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::{ChangeField, ChangeScheduled, MarketFrozenChanged};
use crate::state::{Market, Protocol};
use crate::utils::{now, require_outside_authority};

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
    #[account(mut, dup, seeds = [MARKET_SEED, &market.index.to_le_bytes()], bump = market.bump)]
    pub market: Box<Account<'info, Market>>,
    /// A new settlement account (same mint, never owned by the pool or this
    /// market); waits `governance_delay`.
    #[account(
        constraint = new_settlement.mint == market.mint @ BackstopError::MintMismatch,
        constraint = new_settlement.owner != market.pool && new_settlement.owner != market.key()
            @ BackstopError::FundAccountNotAllowed,
        constraint = *new_settlement.to_account_info().owner == market.token_program
            @ BackstopError::WrongTokenProgram
    )]
    pub new_settlement: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
    /// With `new_settlement`: its owner, never one of Backstop's own accounts.
    /// CHECK: checked against `new_settlement.owner` in `validate()`.
    pub settlement_authority: Option<UncheckedAccount<'info>>,
}

impl UpdateMarket<'_> {
    fn validate(&self) -> Result<()> {
        if let Some(settlement) = &self.new_settlement {
            let authority = self
                .settlement_authority
                .as_ref()
                .ok_or(BackstopError::SettlementAuthorityMissing)?;
            require_outside_authority(settlement.owner, authority)?;
        }
        Ok(())
    }

    /// Any market can be frozen or unfrozen, solvent or not.
    #[access_control(ctx.accounts.validate())]
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
            emit_event!(ChangeScheduled {
                target,
                field: ChangeField::Operator,
                old_key: old,
                new_key: operator,
                old_value: 0,
                new_value: 0,
                eta,
                ts: now,
            });
        }
        if let Some(settlement) = new_settlement {
            let old = market.settlement;
            market.pending_settlement.schedule(settlement, eta);
            emit_event!(ChangeScheduled {
                target,
                field: ChangeField::Settlement,
                old_key: old,
                new_key: settlement,
                old_value: 0,
                new_value: 0,
                eta,
                ts: now,
            });
        }
        if let Some(frozen) = update.frozen {
            let before = market.set_frozen(frozen);
            emit_event!(MarketFrozenChanged {
                market: target,
                by: ctx.accounts.admin.key(),
                frozen_before: before,
                frozen_after: frozen,
                ts: now,
            });
        }
        market.apply_due_changes(now);
        market.invariant()
    }
}
