//! A minimal host protocol for the tests: its PDA `["operator"]` is a
//! Backstop market's operator and signs by CPI with its seeds, exactly as a
//! real host would. In `accounts` mode it records every deposit and default
//! (`lend`, `record_default`); in `aggregate` mode (module `aggregate`) it keeps
//! its own book and, in one instruction, liquidates, records the bankruptcy
//! with its total exposure, resolves it and applies the index change.
#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;
use backstop::cpi::accounts::{OperatorMarket, RecordBankruptcy, RecordDeposit};

pub mod aggregate;
use aggregate::*;

declare_id!("HostProtoco1TestingBackstopCpiGeb9QfXhe5f1v");

/// Seed of the host's operator PDA.
pub const OPERATOR_SEED: &[u8] = b"operator";

/// The host's operator PDA.
pub fn operator() -> Pubkey {
    Pubkey::find_program_address(&[OPERATOR_SEED], &ID).0
}

#[program]
pub mod backstop_test_host {
    use super::*;

    // ------------------------------------------------------ accounts mode

    /// The host credits a lender and records it in Backstop.
    pub fn lend(ctx: Context<HostCall>, owner: Pubkey, amount: u64) -> Result<()> {
        let bump = [ctx.bumps.operator];
        let seeds: &[&[u8]] = &[OPERATOR_SEED, &bump];
        let a = &ctx.accounts;
        backstop::cpi::record_deposit(
            CpiContext::new_with_signer(
                backstop::ID,
                RecordDeposit {
                    ctx: OperatorMarket {
                        operator: a.operator.to_account_info(),
                        protocol: a.protocol.to_account_info(),
                        market: a.market.to_account_info(),
                    },
                    payer: a.payer.to_account_info(),
                    lender: a.record.to_account_info(),
                    system_program: a.system_program.to_account_info(),
                },
                &[seeds],
            ),
            owner,
            amount,
        )
    }

    // ----------------------------------------------------- aggregate mode

    /// Opens the host's own book for a Backstop market.
    pub fn open_book(ctx: Context<OpenBook>) -> Result<()> {
        let book = &mut ctx.accounts.book;
        book.supply_index = INDEX_SCALE;
        Ok(())
    }

    /// A deposit on the host's own ledger: nothing reaches Backstop.
    pub fn host_deposit(ctx: Context<HostUserAction>, _owner: Pubkey, amount: u64) -> Result<()> {
        let a = ctx.accounts;
        let scaled = amount as u128 * INDEX_SCALE / a.book.supply_index;
        a.user.scaled += scaled;
        a.book.total_scaled += scaled;
        Ok(())
    }

    /// A borrower with `debt` against `collateral` (underwater when debt is larger).
    pub fn host_borrow(
        ctx: Context<HostUserAction>,
        _owner: Pubkey,
        debt: u64,
        collateral: u64,
    ) -> Result<()> {
        ctx.accounts.user.debt = debt;
        ctx.accounts.user.collateral = collateral;
        Ok(())
    }

    /// A position change on the host's own ledger: settle, then move OI.
    pub fn host_position(ctx: Context<HostUserAction>, _owner: Pubkey, base: i64) -> Result<()> {
        let a = ctx.accounts;
        a.user.settle(a.book.loss_index);
        a.book.open_interest =
            a.book.open_interest - a.user.base.unsigned_abs() as u128 + base.unsigned_abs() as u128;
        a.user.base = base;
        Ok(())
    }

    /// Lending: seizes an underwater borrower's collateral, records the rest
    /// of the debt with the host's total deposits, resolves it, and applies
    /// `I_after / I_before` to every lender through the supply index.
    pub fn liquidate_borrower(ctx: Context<LiquidateAndResolve>, debtor_key: Pubkey) -> Result<()> {
        let bump = ctx.bumps.operator;
        let a = ctx.accounts;
        let deficit = a.debtor.debt.saturating_sub(a.debtor.collateral);
        a.debtor.debt = 0;
        a.debtor.collateral = 0;
        let exposure = a.book.total_deposits();
        let (before, after) = a.record_and_resolve(bump, debtor_key, deficit, exposure)?;
        a.book.apply_deposit_index(before, after);
        Ok(())
    }

    /// Perp: closes an underwater position, records its `deficit` with the
    /// remaining open interest, resolves it, and adds `K_after − K_before` to
    /// the host's loss index (positions pay it when next touched).
    pub fn liquidate_position(
        ctx: Context<LiquidateAndResolve>,
        debtor_key: Pubkey,
        deficit: u64,
    ) -> Result<()> {
        let bump = ctx.bumps.operator;
        let a = ctx.accounts;
        a.book.open_interest -= a.debtor.base.unsigned_abs() as u128;
        a.debtor.base = 0;
        let exposure = a.book.open_interest;
        let (before, after) = a.record_and_resolve(bump, debtor_key, deficit, exposure)?;
        a.book.loss_index += after - before;
        Ok(())
    }

    /// The host liquidates a debtor and records the bad debt in Backstop.
    pub fn record_default(ctx: Context<HostRecord>, debtor: Pubkey, deficit: u64) -> Result<()> {
        let bump = [ctx.bumps.operator];
        let seeds: &[&[u8]] = &[OPERATOR_SEED, &bump];
        let a = &ctx.accounts;
        backstop::cpi::record_bankruptcy(
            CpiContext::new_with_signer(
                backstop::ID,
                RecordBankruptcy {
                    ctx: OperatorMarket {
                        operator: a.operator.to_account_info(),
                        protocol: a.protocol.to_account_info(),
                        market: a.market.to_account_info(),
                    },
                    payer: a.payer.to_account_info(),
                    bankruptcy: a.record.to_account_info(),
                    pool: a.pool.to_account_info(),
                    system_program: a.system_program.to_account_info(),
                },
                &[seeds],
            ),
            debtor,
            deficit,
            0,
        )
    }
}

#[derive(Accounts)]
pub struct HostCall<'info> {
    /// CHECK: the host's operator PDA; it signs the CPI with its seeds.
    #[account(seeds = [OPERATOR_SEED], bump)]
    pub operator: UncheckedAccount<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    /// CHECK: Backstop's protocol account, checked by Backstop.
    pub protocol: UncheckedAccount<'info>,
    /// CHECK: the Backstop market, checked by Backstop.
    #[account(mut)]
    pub market: UncheckedAccount<'info>,
    /// CHECK: the Lender or Bankruptcy PDA, checked by Backstop.
    #[account(mut)]
    pub record: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
    /// CHECK: the Backstop program.
    #[account(address = backstop::ID)]
    pub backstop_program: UncheckedAccount<'info>,
}

/// [`HostCall`] for a bankruptcy record, which also takes Backstop's pool of
/// the market's asset (a record blocks the pool's exits until resolved).
#[derive(Accounts)]
pub struct HostRecord<'info> {
    /// CHECK: the host's operator PDA; it signs the CPI with its seeds.
    #[account(seeds = [OPERATOR_SEED], bump)]
    pub operator: UncheckedAccount<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    /// CHECK: Backstop's protocol account, checked by Backstop.
    pub protocol: UncheckedAccount<'info>,
    /// CHECK: the Backstop market, checked by Backstop.
    #[account(mut)]
    pub market: UncheckedAccount<'info>,
    /// CHECK: the Bankruptcy PDA, checked by Backstop.
    #[account(mut)]
    pub record: UncheckedAccount<'info>,
    /// CHECK: Backstop's pool, checked by Backstop.
    #[account(mut)]
    pub pool: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
    /// CHECK: the Backstop program.
    #[account(address = backstop::ID)]
    pub backstop_program: UncheckedAccount<'info>,
}

/// `processor!`-shaped entry for the native build (see the bank crate).
pub fn process_instruction(
    program_id: &Pubkey,
    accounts: &[AccountInfo],
    data: &[u8],
) -> anchor_lang::solana_program::entrypoint::ProgramResult {
    // SAFETY: the accounts outlive the call; only the lifetimes are erased.
    let accounts: &[AccountInfo] = unsafe { std::mem::transmute(accounts) };
    entry(program_id, accounts, data)
}
