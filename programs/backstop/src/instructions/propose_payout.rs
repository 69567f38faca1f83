use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::PayoutProposed;
use crate::state::{Payout, Pool, Protocol};
use crate::utils::now;

#[derive(Accounts)]
pub struct ProposePayout<'info> {
    pub admin: Signer<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump, has_one = admin @ BackstopError::NotAdmin)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, dup, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        init,
        payer = payer,
        space = 8 + Payout::INIT_SPACE,
        seeds = [PAYOUT_SEED, pool.key().as_ref(), &pool.next_payout_id.to_le_bytes()],
        bump
    )]
    pub payout: Box<Account<'info, Payout>>,
    /// Never a token account of the fund itself (owned by the pool PDA).
    #[account(
        constraint = recipient.mint == pool.mint @ BackstopError::MintMismatch,
        constraint = recipient.owner != pool.key() @ BackstopError::FundAccountNotAllowed,
        constraint = *recipient.to_account_info().owner == pool.token_program
            @ BackstopError::WrongTokenProgram
    )]
    pub recipient: Box<InterfaceAccount<'info, TokenAccount>>,
    pub system_program: Program<'info, System>,
}

impl ProposePayout<'_> {
    /// A compensation payout, executable by anyone once `governance_delay` has passed.
    pub fn propose_payout(ctx: Context<ProposePayout>, amount: u64) -> Result<()> {
        let now = now()?;
        let a = ctx.accounts;
        let id = a.pool.take_payout_id()?;
        let eta = a.protocol.eta_from(now)?;
        a.payout.set_inner(Payout::new(
            a.pool.key(),
            id,
            a.recipient.key(),
            amount,
            eta,
            ctx.bumps.payout,
        ));
        a.payout.invariant()?;
        emit_event!(PayoutProposed {
            pool: a.pool.key(),
            id,
            recipient: a.recipient.key(),
            amount,
            eta,
            expires_at: a.payout.expires_at(),
            ts: now,
        });
        Ok(())
    }
}
