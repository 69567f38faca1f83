use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::PremiumPaid;
use crate::ops::mint_policy::require_inflows_allowed;
use crate::ops::token::TokenMover;
use crate::state::{Market, Pool, Protocol, pause};
use crate::utils::now;

#[derive(Accounts)]
pub struct PayPremium<'info> {
    pub payer: Signer<'info>,
    #[account(
        mut, dup,
        constraint = payer_tokens.mint == market.mint @ BackstopError::MintMismatch,
        constraint = *payer_tokens.to_account_info().owner == pool.token_program
            @ BackstopError::WrongTokenProgram,
        token::authority = payer
    )]
    pub payer_tokens: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, dup, seeds = [MARKET_SEED, &market.index.to_le_bytes()], bump = market.bump, has_one = pool)]
    pub market: Box<Account<'info, Market>>,
    #[account(seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump, has_one = vault, has_one = revenue)]
    pub pool: Box<Account<'info, Pool>>,
    /// Read only: a pool whose vault is short takes no premium.
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup)]
    pub revenue: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Required for an isolated market.
    #[account(mut, dup, address = market.isolated_vault @ BackstopError::IsolatedVaultMismatch)]
    pub isolated_vault: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
    /// The pool's mint: every transfer is `transfer_checked`.
    #[account(address = pool.mint @ BackstopError::MintMismatch)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = pool.token_program @ BackstopError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl PayPremium<'_> {
    fn validate(&self) -> Result<()> {
        self.protocol.require_not_paused(pause::PREMIUM)?;
        require!(
            !self.market.isolated || self.isolated_vault.is_some(),
            BackstopError::IsolatedVaultMismatch
        );
        self.pool.require_no_shortfall(self.vault.amount)?;
        require_inflows_allowed(&self.mint.to_account_info(), &self.pool)
    }

    /// Isolated market: `⌊amount·isolated_share_bps / 10,000⌋` to its own
    /// vault, the rest to the pool's revenue; otherwise all to revenue.
    #[access_control(ctx.accounts.validate())]
    pub fn pay_premium<'info>(ctx: Context<'info, PayPremium<'info>>, amount: u64) -> Result<()> {
        let hook_accounts = ctx.remaining_accounts;
        let a = ctx.accounts;
        let split = a.market.take_premium(amount)?;
        let (to_isolated, to_revenue) = (split.to_isolated_vault, split.to_revenue);
        let tokens = TokenMover::new(&a.token_program, &a.mint, hook_accounts);
        let (from, payer) = (a.payer_tokens.to_account_info(), a.payer.to_account_info());
        if let Some(vault) = &a.isolated_vault {
            tokens.by_owner(&from, &vault.to_account_info(), &payer, to_isolated)?;
        }
        tokens.by_owner(&from, &a.revenue.to_account_info(), &payer, to_revenue)?;
        emit_event!(PremiumPaid {
            market: a.market.key(),
            payer: a.payer.key(),
            amount,
            to_isolated_vault: to_isolated,
            to_revenue,
            isolated_assets_after: a.market.isolated_assets,
            ts: now()?,
        });
        a.market.invariant()
    }
}
