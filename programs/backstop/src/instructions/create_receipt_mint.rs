use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::ops::receipt::ReceiptMint;
use crate::state::Pool;

#[derive(Accounts)]
pub struct CreateReceiptMint<'info> {
    /// Anyone; pays the mint's rent (the metadata included).
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(seeds = [POOL_SEED, pool.mint.as_ref()], bump = pool.bump)]
    pub pool: Box<Account<'info, Pool>>,
    /// CHECK: the pool's receipt mint of its current epoch; its address is
    /// checked by the handler, which needs the bump the check finds.
    #[account(mut)]
    pub receipt_mint: UncheckedAccount<'info>,
    /// CHECK: receipts are Token-2022 whatever the asset's program.
    #[account(address = anchor_spl::token_2022::ID @ BackstopError::WrongTokenProgram)]
    pub token_2022_program: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl CreateReceiptMint<'_> {
    /// Creates the pool's receipt mint of its current epoch ahead of the
    /// epoch's first `wrap`, which then only mints (docs/protocol.md §4.9).
    /// Idempotent: once the mint exists it does nothing, so two stakers who
    /// prepare the same first wrap do not refuse each other.
    pub fn create_receipt_mint(ctx: Context<CreateReceiptMint>) -> Result<()> {
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
        receipts.create_if_missing(
            &a.pool,
            &a.payer.to_account_info(),
            &a.system_program.to_account_info(),
            bump,
        )?;
        Ok(())
    }
}
