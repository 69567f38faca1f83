//! A minimal host lending protocol for the tests: its PDA `["operator"]` is a
//! Backstop market's operator and records deposits and bankruptcies by CPI,
//! signing with its seeds, exactly as a real host would.
#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;
use backstop::cpi::accounts::{OperatorMarket, RecordBankruptcy, RecordDeposit};

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

    /// The host liquidates a debtor and records the bad debt in Backstop.
    pub fn record_default(ctx: Context<HostCall>, debtor: Pubkey, deficit: u64) -> Result<()> {
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
