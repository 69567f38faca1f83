use anchor_lang::prelude::*;
use anchor_spl::token::{Token, TokenAccount};

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::PremiumPaid;
use crate::state::{Market, Pool, Protocol, pause};
use crate::utils::transfer_by_owner;

#[derive(Accounts)]
pub struct PayPremium<'info> {
    pub payer: Signer<'info>,
    #[account(mut, constraint = payer_tokens.mint == market.mint @ BackstopError::MintMismatch, token::authority = payer)]
    pub payer_tokens: Box<Account<'info, TokenAccount>>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, seeds = [MARKET_SEED, &market.index.to_le_bytes()], bump = market.bump, has_one = pool)]
    pub market: Box<Account<'info, Market>>,
    #[account(seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump, has_one = revenue)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut)]
    pub revenue: Box<Account<'info, TokenAccount>>,
    /// Required for an isolated market.
    #[account(mut, address = market.isolated_vault @ BackstopError::IsolatedVaultMismatch)]
    pub isolated_vault: Option<Box<Account<'info, TokenAccount>>>,
    pub token_program: Program<'info, Token>,
}

impl PayPremium<'_> {
    fn validate(&self) -> Result<()> {
        self.protocol.require_not_paused(pause::PREMIUM)?;
        require!(
            !self.market.isolated || self.isolated_vault.is_some(),
            BackstopError::IsolatedVaultMismatch
        );
        Ok(())
    }

    /// Isolated market: `⌊amount·isolated_share_bps / 10,000⌋` to its own
    /// vault, the rest to the pool's revenue; otherwise all to revenue.
    #[access_control(ctx.accounts.validate())]
    pub fn pay_premium(ctx: Context<PayPremium>, amount: u64) -> Result<()> {
        let a = ctx.accounts;
        let split = a.market.take_premium(amount)?;
        let (to_isolated, to_revenue) = (split.to_isolated_vault, split.to_revenue);
        let token_program = a.token_program.to_account_info();
        if let Some(vault) = &a.isolated_vault {
            transfer_by_owner(
                &token_program,
                &a.payer_tokens.to_account_info(),
                &vault.to_account_info(),
                &a.payer.to_account_info(),
                to_isolated,
            )?;
        }
        transfer_by_owner(
            &token_program,
            &a.payer_tokens.to_account_info(),
            &a.revenue.to_account_info(),
            &a.payer.to_account_info(),
            to_revenue,
        )?;
        emit!(PremiumPaid {
            market: a.market.key(),
            payer: a.payer.key(),
            amount,
            to_isolated_vault: to_isolated,
            to_revenue,
            isolated_assets_after: a.market.isolated_assets,
        });
        a.market.invariant()
    }
}
