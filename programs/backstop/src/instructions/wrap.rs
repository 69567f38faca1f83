use anchor_lang::prelude::*;
use anchor_spl::associated_token::{self, AssociatedToken, Create};
use anchor_spl::token_interface::TokenAccount;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::SharesWrapped;
use crate::ops::receipt::{ReceiptMint, check_holder_account, receipt_supply};
use crate::state::{Pool, Protocol, Stake, pause};
use crate::utils::now;

#[derive(Accounts)]
pub struct WrapShares<'info> {
    /// The staker; pays the receipt mint's rent when it creates it and the
    /// rent of its receipt token account.
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(mut, dup, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump, has_one = vault)]
    pub pool: Box<Account<'info, Pool>>,
    /// Read only: nothing moves on a pool whose vault is short of A.
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut, dup,
        seeds = [STAKE_SEED, pool.key().as_ref(), owner.key().as_ref()],
        bump = stake.bump(),
        constraint = stake.staker() == owner.key() @ BackstopError::NotStakeOwner
    )]
    pub stake: Box<Account<'info, Stake>>,
    /// CHECK: the pool's receipt mint of its current epoch, its address
    /// checked as the handler starts (which keeps the bump the check finds,
    /// for the creation); created here if `create_receipt_mint` has not.
    #[account(mut)]
    pub receipt_mint: UncheckedAccount<'info>,
    /// CHECK: a Token-2022 account of `receipt_mint` the owner owns, or the
    /// owner's associated address of it, created here if it does not exist
    /// (`check_holder_account`).
    #[account(mut)]
    pub owner_receipts: UncheckedAccount<'info>,
    /// CHECK: receipts are Token-2022 whatever the asset's program.
    #[account(address = anchor_spl::token_2022::ID @ BackstopError::WrongTokenProgram)]
    pub token_2022_program: UncheckedAccount<'info>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

impl WrapShares<'_> {
    fn validate(&self, shares: u128) -> Result<()> {
        check_holder_account(
            &self.owner_receipts,
            &self.owner.key(),
            &self.receipt_mint.key(),
        )?;
        self.protocol.require_not_paused(pause::STAKE)?;
        require!(shares > 0, BackstopError::ZeroShares);
        let epoch = self.pool.epoch;
        require!(
            shares <= self.stake.checked_shares(epoch),
            BackstopError::InsufficientShares
        );
        require!(
            shares <= self.stake.wrappable_shares(epoch),
            BackstopError::SharesInRequest
        );
        self.pool.require_no_shortfall(self.vault.amount)?;
        let fits = u64::try_from(shares)
            .ok()
            .and_then(|n| self.pool.wrapped.checked_add(n))
            .is_some();
        require!(fits, BackstopError::ReceiptSupplyOverflow);
        Ok(())
    }

    /// `shares` of the stake become receipt tokens of the current epoch,
    /// minted to the owner; they stay in S, earning and bearing losses.
    #[access_control(ctx.accounts.validate(shares))]
    pub fn wrap(ctx: Context<WrapShares>, shares: u128) -> Result<()> {
        let a = ctx.accounts;
        let bump = a
            .pool
            .require_current_receipt_mint(&a.pool.key(), a.receipt_mint.key)?;
        let epoch = u64::from(a.pool.epoch);
        let pool_info = a.pool.to_account_info();
        let mint_info = a.receipt_mint.to_account_info();
        let token_program = a.token_2022_program.to_account_info();
        let receipts = ReceiptMint {
            mint: &mint_info,
            epoch,
            pool: &pool_info,
            token_program: &token_program,
        };
        let owner = a.owner.to_account_info();
        let system = a.system_program.to_account_info();
        let mint_created = receipts.create_if_missing(&a.pool, &owner, &system, bump)?;
        if a.owner_receipts.data_is_empty() {
            associated_token::create_idempotent(CpiContext::new(
                a.associated_token_program.key(),
                Create {
                    payer: owner.clone(),
                    associated_token: a.owner_receipts.to_account_info(),
                    authority: owner.clone(),
                    mint: mint_info.clone(),
                    system_program: system.clone(),
                    token_program: token_program.clone(),
                },
            ))?;
        }
        a.stake.sync_epoch(a.pool.epoch);
        let cost_basis_moved = a.stake.take_for_wrap(shares)?;
        let wrapped_before = a.pool.wrapped;
        let amount = a.pool.wrap(shares)?;
        receipts.mint_to(&a.pool, &a.owner_receipts.to_account_info(), amount)?;
        emit_event!(SharesWrapped {
            pool: a.pool.key(),
            owner: a.owner.key(),
            receipt_mint: mint_info.key(),
            epoch: a.pool.epoch,
            shares,
            cost_basis_moved,
            stake_shares_after: a.stake.checked_shares(a.pool.epoch),
            wrapped_before,
            wrapped_after: a.pool.wrapped,
            mint_created,
            ts: now()?,
        });
        // the current epoch's receipt supply is the pool's `wrapped`
        require!(
            receipt_supply(&mint_info)? == a.pool.wrapped,
            BackstopError::InvariantViolated
        );
        a.stake.invariant()?;
        a.pool.ledger_invariant()
    }
}
