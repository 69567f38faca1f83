use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::MarketCreated;
use crate::state::{ExposureMode, Isolation, Market, MarketConfig, MarketKind, Pool, Protocol};
use crate::utils::{now, require_outside_authority};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct CreateMarketArgs {
    /// Must equal the protocol's `market_count` (markets are numbered 0, 1, …).
    pub index: u16,
    pub kind: MarketKind,
    pub operator: Pubkey,
    /// Requested cap; it waits `governance_delay` (creating raises it from 0).
    pub cap: u64,
    pub isolated: bool,
    pub isolated_share_bps: u16,
    /// Fixed for the market's life: `Accounts` (Backstop keeps per-account
    /// records) or `Aggregate` (the host keeps its own ledger).
    pub exposure_mode: ExposureMode,
}

#[derive(Accounts)]
#[instruction(args: CreateMarketArgs)]
pub struct CreateMarket<'info> {
    pub admin: Signer<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(mut, dup, seeds = [PROTOCOL_SEED], bump = protocol.bump, has_one = admin @ BackstopError::NotAdmin)]
    pub protocol: Box<Account<'info, Protocol>>,
    /// The pool of the market's asset; it must exist.
    #[account(seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        init,
        payer = payer,
        space = 8 + Market::INIT_SPACE,
        seeds = [MARKET_SEED, &args.index.to_le_bytes()],
        bump
    )]
    pub market: Box<Account<'info, Market>>,
    /// Where insurance payouts go: the host's market vault, same mint; never
    /// a token account of the fund (owned by the pool or this market).
    #[account(
        constraint = settlement.mint == pool.mint @ BackstopError::MintMismatch,
        constraint = settlement.owner != pool.key() && settlement.owner != market.key()
            @ BackstopError::FundAccountNotAllowed,
        constraint = *settlement.to_account_info().owner == pool.token_program
            @ BackstopError::WrongTokenProgram
    )]
    pub settlement: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The settlement account's owner: never one of Backstop's own accounts.
    /// CHECK: checked against `settlement.owner` in `validate()`.
    pub settlement_authority: UncheckedAccount<'info>,
    /// The market's own vault; only for isolated markets.
    #[account(
        init,
        payer = payer,
        seeds = [ISOLATED_VAULT_SEED, market.key().as_ref()],
        bump,
        token::mint = mint,
        token::authority = market,
        token::token_program = token_program
    )]
    pub isolated_vault: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
    /// The pool's mint, needed to create an isolated vault.
    #[account(address = pool.mint @ BackstopError::MintMismatch)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = pool.token_program @ BackstopError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl CreateMarket<'_> {
    fn validate(&self, args: &CreateMarketArgs) -> Result<()> {
        require!(
            args.index == self.protocol.market_count,
            BackstopError::MarketIndexMismatch
        );
        require!(
            args.isolated_share_bps as u64 <= BPS_DENOMINATOR,
            BackstopError::IsolatedShareTooHigh
        );
        require!(
            args.isolated == self.isolated_vault.is_some(),
            BackstopError::IsolatedVaultMismatch
        );
        require!(
            args.isolated || args.isolated_share_bps == 0,
            BackstopError::NotIsolated
        );
        require_outside_authority(self.settlement.owner, &self.settlement_authority)
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn create_market(ctx: Context<CreateMarket>, args: CreateMarketArgs) -> Result<()> {
        let now = now()?;
        let a = ctx.accounts;
        let eta = a.protocol.eta_from(now)?;
        let isolation = a.isolated_vault.as_ref().map(|vault| Isolation {
            share_bps: args.isolated_share_bps,
            vault: vault.key(),
            vault_bump: ctx.bumps.isolated_vault.unwrap_or_default(),
        });
        let config = MarketConfig {
            index: args.index,
            kind: args.kind,
            exposure_mode: args.exposure_mode,
            pool: a.pool.key(),
            mint: a.pool.mint,
            token_program: a.pool.token_program,
            operator: args.operator,
            settlement: a.settlement.key(),
            isolation,
        };
        a.market.set_inner(Market::new(config, ctx.bumps.market));
        a.market.set_cap(args.cap, now, eta)?;
        a.protocol.count_market()?;
        emit_event!(MarketCreated {
            market: a.market.key(),
            index: args.index,
            kind: args.kind,
            mint: a.pool.mint,
            operator: args.operator,
            settlement: a.settlement.key(),
            cap_requested: args.cap,
            cap_eta: eta,
            isolated: args.isolated,
            isolated_share_bps: args.isolated_share_bps,
            exposure_mode: args.exposure_mode,
            ts: now,
        });
        a.market.invariant()?;
        a.protocol.invariant()
    }
}
