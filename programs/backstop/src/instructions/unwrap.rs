use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::ReceiptsUnwrapped;
use crate::ops::receipt::{ReceiptMint, receipt_supply};
use crate::state::{Pool, STAKE_ACCOUNT_SIZE, Stake};
use crate::utils::now;

#[derive(Accounts)]
#[instruction(epoch: u64)]
pub struct UnwrapReceipts<'info> {
    /// Any holder of receipt tokens; pays its stake's rent if it has none.
    #[account(mut)]
    pub holder: Signer<'info>,
    #[account(mut, dup, seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump, has_one = vault)]
    pub pool: Box<Account<'info, Pool>>,
    /// Read only: nothing moves on a pool whose vault is short of A.
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The holder's stake in the pool, created on first use.
    #[account(
        init_if_needed,
        payer = holder,
        space = STAKE_ACCOUNT_SIZE,
        seeds = [STAKE_SEED, pool.key().as_ref(), holder.key().as_ref()],
        bump
    )]
    pub stake: Box<Account<'info, Stake>>,
    /// CHECK: a receipt mint of this pool, `["receipt", pool, epoch]`
    /// (address checked); it must exist.
    #[account(
        mut,
        address = Pool::receipt_mint_address(&pool.key(), epoch).0
            @ BackstopError::ReceiptMintMismatch,
        owner = anchor_spl::token_2022::ID @ BackstopError::ReceiptMintMismatch
    )]
    pub receipt_mint: UncheckedAccount<'info>,
    /// CHECK: the holder's token account of `receipt_mint`; Token-2022's burn
    /// checks its mint and that the holder owns it.
    #[account(mut)]
    pub holder_receipts: UncheckedAccount<'info>,
    /// CHECK: receipts are Token-2022.
    #[account(address = anchor_spl::token_2022::ID @ BackstopError::WrongTokenProgram)]
    pub token_2022_program: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl UnwrapReceipts<'_> {
    fn validate(&self, amount: u64) -> Result<()> {
        require!(amount > 0, BackstopError::ZeroAmount);
        self.pool.require_no_shortfall(self.vault.amount)
    }

    /// Burns `amount` receipt tokens of the pool's epoch `epoch`. Receipts of
    /// the current epoch become shares of the holder's stake; receipts of an
    /// older epoch were wiped out with it and credit nothing. Never paused.
    #[access_control(ctx.accounts.validate(amount))]
    pub fn unwrap(ctx: Context<UnwrapReceipts>, epoch: u64, amount: u64) -> Result<()> {
        let a = ctx.accounts;
        let pool_key = a.pool.key();
        if a.stake.version() == 0 {
            a.stake.set_inner(Stake::new(
                pool_key,
                a.holder.key(),
                a.pool.epoch,
                ctx.bumps.stake,
            ));
        }
        let pool_info = a.pool.to_account_info();
        let mint_info = a.receipt_mint.to_account_info();
        let token_program = a.token_2022_program.to_account_info();
        let receipts = ReceiptMint {
            mint: &mint_info,
            epoch,
            pool: &pool_info,
            token_program: &token_program,
        };
        receipts.burn(
            &a.holder_receipts.to_account_info(),
            &a.holder.to_account_info(),
            amount,
        )?;
        let current = epoch == u64::from(a.pool.epoch);
        let wrapped_before = a.pool.wrapped;
        let credited = if current {
            let shares = a.pool.unwrap_receipts(amount)?;
            a.stake.credit_unwrapped(a.pool.epoch, shares)?;
            shares
        } else {
            0
        };
        emit_event!(ReceiptsUnwrapped {
            pool: pool_key,
            holder: a.holder.key(),
            receipt_mint: mint_info.key(),
            epoch: u32::try_from(epoch).map_err(|_| BackstopError::ReceiptMintMismatch)?,
            amount,
            credited,
            stake_shares_after: a.stake.checked_shares(a.pool.epoch),
            wrapped_before,
            wrapped_after: a.pool.wrapped,
            ts: now()?,
        });
        if current {
            require!(
                receipt_supply(&mint_info)? == a.pool.wrapped,
                BackstopError::InvariantViolated
            );
        }
        a.stake.invariant()?;
        a.pool.ledger_invariant()
    }
}
