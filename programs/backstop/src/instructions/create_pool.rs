use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::PoolCreated;
use crate::ops::mint_policy::require_supported_mint;
use crate::state::{
    MintOptIns, POOL_ACCOUNT_SIZE, Pool, PoolAccounts, PoolParams, Protocol, STAKE_ACCOUNT_SIZE,
    Stake,
};
use crate::utils::now;

#[derive(Accounts)]
pub struct CreatePool<'info> {
    pub admin: Signer<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump, has_one = admin @ BackstopError::NotAdmin)]
    pub protocol: Box<Account<'info, Protocol>>,
    /// A mint of SPL Token or Token-2022; its extensions are checked against
    /// the allow-list.
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// The token program must own the mint: checked here, right after the
    /// pool is created and before the vault is (Anchor creates `init`
    /// accounts in order, before it checks the other accounts).
    #[account(
        init,
        payer = payer,
        space = POOL_ACCOUNT_SIZE,
        seeds = [POOL_SEED, mint.key().as_ref()],
        bump,
        constraint = *mint.to_account_info().owner == token_program.key()
            @ BackstopError::WrongTokenProgram
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        init,
        payer = payer,
        seeds = [VAULT_SEED, pool.key().as_ref()],
        bump,
        token::mint = mint,
        token::authority = pool,
        token::token_program = token_program
    )]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        init,
        payer = payer,
        seeds = [REVENUE_SEED, pool.key().as_ref()],
        bump,
        token::mint = mint,
        token::authority = pool,
        token::token_program = token_program
    )]
    pub revenue: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The treasury in effect: `Protocol.treasury`, or its pending change once
    /// due. Its stake (`treasury_stake`) receives the protocol's cut.
    /// CHECK: address checked against the protocol.
    #[account(address = protocol.treasury_at(now()?) @ BackstopError::TreasuryMismatch)]
    pub treasury: UncheckedAccount<'info>,
    /// The treasury's stake, which receives the protocol's cut of each sweep.
    #[account(
        init,
        payer = payer,
        space = STAKE_ACCOUNT_SIZE,
        seeds = [STAKE_SEED, pool.key().as_ref(), treasury.key().as_ref()],
        bump
    )]
    pub treasury_stake: Box<Account<'info, Stake>>,
    /// The mint's own token program.
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl CreatePool<'_> {
    fn validate(&self, params: &PoolParams, opt_ins: MintOptIns) -> Result<()> {
        params.validate()?;
        require_supported_mint(&self.mint.to_account_info(), opt_ins)
    }

    /// Creates the pool of a mint. The opt-ins are governance's: to a mint
    /// whose permanent delegate could take the fund's tokens, and to a mint
    /// whose transfer hook has (or whose authority could set) a program
    /// (regulated stablecoins such as PYUSD have both).
    #[access_control(ctx.accounts.validate(&params, MintOptIns {
        permanent_delegate: allow_permanent_delegate,
        transfer_hook: allow_transfer_hook,
    }))]
    pub fn create_pool(
        ctx: Context<CreatePool>,
        params: PoolParams,
        allow_permanent_delegate: bool,
        allow_transfer_hook: bool,
    ) -> Result<()> {
        let now = now()?;
        let pool_key = ctx.accounts.pool.key();
        let treasury = ctx.accounts.treasury.key();
        let accounts = PoolAccounts {
            mint: ctx.accounts.mint.key(),
            decimals: ctx.accounts.mint.decimals,
            token_program: ctx.accounts.token_program.key(),
            vault: ctx.accounts.vault.key(),
            revenue: ctx.accounts.revenue.key(),
            bump: ctx.bumps.pool,
            vault_bump: ctx.bumps.vault,
            revenue_bump: ctx.bumps.revenue,
        };
        let opt_ins = MintOptIns {
            permanent_delegate: allow_permanent_delegate,
            transfer_hook: allow_transfer_hook,
        };
        let protocol_exit_clock = ctx.accounts.protocol.exit_clock_at(now);
        ctx.accounts.pool.set_inner(Pool::new(
            accounts,
            params,
            opt_ins,
            now,
            protocol_exit_clock,
        ));
        ctx.accounts.treasury_stake.set_inner(Stake::new(
            pool_key,
            treasury,
            0,
            ctx.bumps.treasury_stake,
        ));
        emit_event!(PoolCreated {
            pool: pool_key,
            mint: ctx.accounts.mint.key(),
            vault: ctx.accounts.vault.key(),
            revenue: ctx.accounts.revenue.key(),
            params,
            token_program: ctx.accounts.token_program.key(),
            allow_permanent_delegate,
            allow_transfer_hook,
            ts: now,
        });
        ctx.accounts.treasury_stake.invariant()?;
        ctx.accounts.pool.ledger_invariant()
    }
}
