//! The host in `aggregate` mode: it keeps its own ledger (lenders' scaled
//! deposits under a supply index; positions under a loss index) and tells
//! Backstop nothing per user. A liquidation records the bankruptcy with the
//! market's total exposure and resolves it in the same instruction, then
//! applies Backstop's published index change to its own accounts.

use anchor_lang::prelude::*;
use backstop::cpi::accounts::{OperatorMarket, PoolBlock, RecordBankruptcy, ResolveBankruptcy};
use backstop::state::Market;

use crate::OPERATOR_SEED;

/// The fixed-point scale of both indexes (as in Backstop).
pub const INDEX_SCALE: u128 = 1_000_000_000_000_000_000;
pub const BOOK_SEED: &[u8] = b"book";
pub const ACCOUNT_SEED: &[u8] = b"account";

/// The host's own ledger of one market.
#[account]
#[derive(InitSpace)]
pub struct Book {
    /// Lending: balance = ⌊scaled·supply_index / 10¹⁸⌋.
    pub supply_index: u128,
    pub total_scaled: u128,
    /// Perp: what a unit of base owes for socialised losses (10¹⁸ scale).
    pub loss_index: u128,
    /// Perp: Σ|base|.
    pub open_interest: u128,
}

/// One user of the host: a lender's scaled deposit, or a position.
#[account]
#[derive(InitSpace)]
pub struct HostAccount {
    /// A lender's deposit, scaled by the book's supply index.
    pub scaled: u128,
    /// A borrower's debt and the collateral that backs it.
    pub debt: u64,
    pub collateral: u64,
    /// A position's size, its loss snapshot and what it owes.
    pub base: i64,
    pub loss_snapshot: u128,
    pub owed: u64,
}

impl Book {
    /// Total lender deposits now: the exposure a lending record carries.
    pub fn total_deposits(&self) -> u128 {
        self.total_scaled * self.supply_index / INDEX_SCALE
    }

    /// `balance × I_after / I_before` for every lender at once.
    pub fn apply_deposit_index(&mut self, before: u128, after: u128) {
        self.supply_index = (self.supply_index * after).checked_div(before).unwrap_or(0);
    }
}

impl HostAccount {
    /// A position pays `⌈|base|·(K − snapshot) / 10¹⁸⌉` for losses since its
    /// snapshot.
    pub fn settle(&mut self, loss_index: u128) {
        let delta = loss_index - self.loss_snapshot;
        let owed = (self.base.unsigned_abs() as u128 * delta).div_ceil(INDEX_SCALE);
        self.owed += owed as u64;
        self.loss_snapshot = loss_index;
    }
}

#[derive(Accounts)]
pub struct OpenBook<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    /// CHECK: the Backstop market this book belongs to (only its key).
    pub market: UncheckedAccount<'info>,
    #[account(init, payer = payer, space = 8 + Book::INIT_SPACE, seeds = [BOOK_SEED, market.key().as_ref()], bump)]
    pub book: Account<'info, Book>,
    pub system_program: Program<'info, System>,
}

/// A user action on the host's own ledger: no Backstop account, no CPI.
#[derive(Accounts)]
#[instruction(owner: Pubkey)]
pub struct HostUserAction<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(mut)]
    pub book: Account<'info, Book>,
    #[account(
        init_if_needed,
        payer = payer,
        space = 8 + HostAccount::INIT_SPACE,
        seeds = [ACCOUNT_SEED, book.key().as_ref(), owner.as_ref()],
        bump
    )]
    pub user: Account<'info, HostAccount>,
    pub system_program: Program<'info, System>,
}

/// Liquidate, record and resolve in one instruction.
#[derive(Accounts)]
#[instruction(debtor_key: Pubkey)]
pub struct LiquidateAndResolve<'info> {
    /// CHECK: the host's operator PDA; it signs the record with its seeds.
    #[account(seeds = [OPERATOR_SEED], bump)]
    pub operator: UncheckedAccount<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(mut, seeds = [BOOK_SEED, market.key().as_ref()], bump)]
    pub book: Account<'info, Book>,
    /// The liquidated user's account on the host.
    #[account(mut, seeds = [ACCOUNT_SEED, book.key().as_ref(), debtor_key.as_ref()], bump)]
    pub debtor: Account<'info, HostAccount>,
    /// CHECK: Backstop's protocol account, checked by Backstop.
    pub protocol: UncheckedAccount<'info>,
    /// Backstop's market: read before and after to publish the index change.
    #[account(mut)]
    pub market: Box<Account<'info, Market>>,
    /// CHECK: the Bankruptcy PDA, created and closed by Backstop.
    #[account(mut)]
    pub record: UncheckedAccount<'info>,
    /// CHECK: Backstop's pool, checked by Backstop.
    #[account(mut)]
    pub pool: UncheckedAccount<'info>,
    /// CHECK: the pool's vault, checked by Backstop.
    #[account(mut)]
    pub vault: UncheckedAccount<'info>,
    /// CHECK: the pool's revenue account, checked by Backstop.
    #[account(mut)]
    pub revenue: UncheckedAccount<'info>,
    /// CHECK: the market's settlement account (the host's vault), checked by Backstop.
    #[account(mut)]
    pub settlement: UncheckedAccount<'info>,
    /// CHECK: the pool's mint, checked by Backstop.
    pub mint: UncheckedAccount<'info>,
    /// CHECK: the pool's token program, checked by Backstop.
    pub token_program: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
    /// CHECK: the Backstop program.
    #[account(address = backstop::ID)]
    pub backstop_program: UncheckedAccount<'info>,
}

impl<'info> LiquidateAndResolve<'info> {
    /// Records `deficit` with the book's total `exposure`, resolves it, and
    /// returns Backstop's index before and after.
    pub fn record_and_resolve(
        &mut self,
        operator_bump: u8,
        debtor: Pubkey,
        deficit: u64,
        exposure: u128,
    ) -> Result<(u128, u128)> {
        let before = self.market.index_after_loss();
        let bump = [operator_bump];
        let seeds: &[&[u8]] = &[OPERATOR_SEED, &bump];
        backstop::cpi::record_bankruptcy(
            CpiContext::new_with_signer(
                backstop::ID,
                RecordBankruptcy {
                    ctx: OperatorMarket {
                        operator: self.operator.to_account_info(),
                        protocol: self.protocol.to_account_info(),
                        market: self.market.to_account_info(),
                    },
                    payer: self.payer.to_account_info(),
                    bankruptcy: self.record.to_account_info(),
                    pool: self.pool.to_account_info(),
                    system_program: self.system_program.to_account_info(),
                },
                &[seeds],
            ),
            debtor,
            deficit,
            exposure,
        )?;
        // The absent isolated vault is encoded as Backstop's own id, so its
        // account info travels with the CPI too.
        backstop::cpi::resolve_bankruptcy(
            CpiContext::new(
                backstop::ID,
                ResolveBankruptcy {
                    resolver: self.payer.to_account_info(),
                    protocol: self.protocol.to_account_info(),
                    market: self.market.to_account_info(),
                    bankruptcy: self.record.to_account_info(),
                    pool_block: PoolBlock {
                        pool: self.pool.to_account_info(),
                        vault: self.vault.to_account_info(),
                        revenue: self.revenue.to_account_info(),
                        mint: self.mint.to_account_info(),
                        token_program: self.token_program.to_account_info(),
                    },
                    settlement: self.settlement.to_account_info(),
                    isolated_vault: None,
                },
            )
            .with_remaining_accounts(vec![self.backstop_program.to_account_info()]),
            debtor,
        )?;
        self.market.reload()?;
        Ok((before, self.market.index_after_loss()))
    }
}
