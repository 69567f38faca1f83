use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::{BankruptcyResolved, MarketInsolvent};
use crate::groups::*; // a glob: Anchor's derive needs the groups' generated modules too
use crate::math::waterfall::insurance_payment;
use crate::ops::payout::pay_from_pool;
use crate::ops::token::{TokenMover, token_balance};
use crate::state::{Bankruptcy, Market, Protocol, pause};
use crate::utils::now;

#[derive(Accounts)]
#[instruction(debtor: Pubkey)]
pub struct ResolveBankruptcy<'info> {
    /// Any keeper or liquidator bot; receives the record's rent.
    #[account(mut)]
    pub resolver: Signer<'info>,
    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,
    #[account(
        mut, dup,
        seeds = [MARKET_SEED, &market.index.to_le_bytes()],
        bump = market.bump,
        constraint = market.pool == pool_block.pool.key() @ anchor_lang::error::ErrorCode::ConstraintHasOne
    )]
    pub market: Box<Account<'info, Market>>,
    #[account(
        mut, dup,
        close = resolver,
        seeds = [BANKRUPTCY_SEED, market.key().as_ref(), debtor.as_ref()],
        bump = bankruptcy.bump,
        has_one = market
    )]
    pub bankruptcy: Box<Account<'info, Bankruptcy>>,
    /// The pool, its vault, revenue, mint and token program (`PoolBlock`).
    pub pool_block: PoolBlock<'info>,
    /// The market's settlement account in effect.
    #[account(
        mut, dup,
        address = market.settlement_at(now()?) @ BackstopError::SettlementMismatch,
        constraint = pool_block.is_not_own_token_account(&settlement.key())
            @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount
    )]
    pub settlement: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Required for an isolated market: the only source of its insurance.
    #[account(mut, dup, address = market.isolated_vault @ BackstopError::IsolatedVaultMismatch)]
    pub isolated_vault: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
}

impl ResolveBankruptcy<'_> {
    fn validate(&self) -> Result<()> {
        let PoolBlock { pool, vault, .. } = &self.pool_block;
        self.protocol.require_not_paused(pause::RESOLVE)?;
        require!(
            !self.market.isolated || self.isolated_vault.is_some(),
            BackstopError::IsolatedVaultMismatch
        );
        // Nothing is paid from a pool whose vault is short of A.
        if !self.market.isolated {
            pool.require_no_shortfall(vault.amount)?;
        }
        Ok(())
    }

    /// The waterfall: the fund pays up to the cap, the rest is socialised.
    #[access_control(ctx.accounts.validate())]
    pub fn resolve_bankruptcy<'info>(
        ctx: Context<'info, ResolveBankruptcy<'info>>,
        _debtor: Pubkey,
    ) -> Result<()> {
        let now = now()?;
        let hook_accounts = ctx.remaining_accounts;
        let a = ctx.accounts;
        let PoolBlock {
            pool,
            vault,
            revenue,
            mint,
            token_program,
        } = &mut a.pool_block;
        a.market.apply_due_changes(now);
        let deficit = a.bankruptcy.deficit;
        let cap = a.market.cap;
        let tokens = TokenMover::new(token_program, mint, hook_accounts);
        let settlement = a.settlement.to_account_info();

        // 1–2. Insurance from the isolated vault or the pool, up to the cap.
        let (paid, source_assets_before, source_assets_after) = match &a.isolated_vault {
            Some(isolated_vault) if a.market.isolated => {
                let before = a.market.isolated_assets;
                // An isolated vault that a delegate drained pays only what it holds.
                a.market.write_down_isolated(isolated_vault.amount);
                let available = a.market.isolated_assets;
                let pay = insurance_payment(deficit, cap, a.market.insurance_used, available);
                let index_le = a.market.index.to_le_bytes();
                tokens.signed(
                    &isolated_vault.to_account_info(),
                    &settlement,
                    &a.market.to_account_info(),
                    &a.market.signer_seeds(&index_le),
                    pay,
                )?;
                a.market.pay_from_isolated(pay)?;
                (pay, before, a.market.isolated_assets)
            }
            _ => {
                let before = pool.assets;
                let pay = insurance_payment(deficit, cap, a.market.insurance_used, before);
                let outcome = pay_from_pool(pool, vault, revenue, &settlement, &tokens, pay)?;
                (outcome.paid, before, pool.assets)
            }
        };
        a.market.count_insurance_paid(paid)?;

        // 3. The rest is socialised against lenders or positions.
        let index_before = a.market.index_after_loss();
        let status_before = a.market.status;
        let exposure = a.bankruptcy.exposure;
        let loss = a.market.socialise(deficit - paid, exposure)?;
        a.market.close_record()?;
        if !a.market.isolated {
            pool.close_record(a.protocol.exit_clock_at(now))?;
        }
        if status_before != a.market.status {
            emit_event!(MarketInsolvent {
                market: a.market.key(),
                debtor: a.bankruptcy.debtor,
                socialised: loss.socialised,
                unrecovered: loss.unrecovered,
                ts: now,
            });
        }

        emit_event!(BankruptcyResolved {
            market: a.market.key(),
            debtor: a.bankruptcy.debtor,
            resolver: a.resolver.key(),
            deficit,
            paid,
            socialised: loss.socialised,
            unrecovered: loss.unrecovered,
            index_before,
            index_after: a.market.index_after_loss(),
            source_assets_before,
            source_assets_after,
            insurance_used_after: a.market.insurance_used,
            cap,
            exposure_mode: a.market.exposure_mode,
            exposure,
            ts: now,
        });
        a.market.invariant()?;
        // An isolated market never touches its pool: a pool whose vault a
        // delegate drained must not block the isolated market's resolution.
        if a.market.isolated {
            return pool.ledger_invariant();
        }
        pool.invariant(token_balance(&vault.to_account_info())?)
    }
}
