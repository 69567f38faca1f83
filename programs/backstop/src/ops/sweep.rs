//! The revenue sweep as an operation shared by `sweep_revenue` and the
//! inline sweeps of `stake` and `request_unstake` (docs/protocol.md §5).

use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::*;
use crate::events::RevenueSwept;
use crate::ops::stake_account::{load_or_create_stake, save_stake};
use crate::ops::token::TokenMover;
use crate::state::{Pool, Stake, SweepOutcome};

/// The accounts an inline sweep (in `stake` or `request_unstake`) needs
/// besides the pool's own.
pub struct InlineSweep<'info> {
    /// Checked by [`is_treasury_stake`] in the instruction's accounts.
    pub treasury_stake: AccountInfo<'info>,
    /// The address of the caller's own stake (the treasury's, when the
    /// treasury is the one staking or requesting).
    pub own_stake: Pubkey,
    /// The treasury in effect.
    pub treasury: Pubkey,
    /// Pays the rent of a new treasury's stake, if one must be created.
    pub payer: AccountInfo<'info>,
    pub system_program: AccountInfo<'info>,
}

impl<'info> InlineSweep<'info> {
    /// Sweeps `pool` when a sweep is due or fresh revenue waits (R > H), even
    /// while the standalone sweep is paused: a new staker must never capture
    /// revenue that arrived before them. When the caller's own `stake` is the
    /// treasury's (the treasury staking or requesting), its new shares go
    /// straight to it.
    pub fn run_if_needed(
        self,
        pool: &mut Account<'info, Pool>,
        stake: &mut Stake,
        vault: &InterfaceAccount<'info, TokenAccount>,
        revenue: &InterfaceAccount<'info, TokenAccount>,
        tokens: &TokenMover<'_, 'info>,
        now: i64,
    ) -> Result<Option<SweepOutcome>> {
        if !pool.inline_sweep_needed(now, revenue.amount) {
            return Ok(None);
        }
        let mut treasury = if self.treasury_stake.key() == self.own_stake {
            TreasuryStake::Same(stake)
        } else {
            TreasuryStake::Separate {
                info: self.treasury_stake,
                owner: self.treasury,
                payer: self.payer,
                system_program: self.system_program,
            }
        };
        sweep_pool(pool, vault, revenue, tokens, &mut treasury, now).map(Some)
    }
}

/// Whether `info` is the stake of `treasury` in `pool`, or the empty account
/// at its address (created when a sweep credits it). An existing account is
/// checked without deriving its address, which costs a syscall per bump
/// tried: every `Stake` this program writes lives at `["stake", pool,
/// owner]` (it creates them nowhere else), so a `Stake` of this program
/// naming this pool and this owner is that PDA.
pub fn is_treasury_stake(info: &AccountInfo, pool: &Pubkey, treasury: &Pubkey) -> bool {
    if info.data_is_empty() {
        let (address, _) = Pubkey::find_program_address(
            &[STAKE_SEED, pool.as_ref(), treasury.as_ref()],
            &crate::ID,
        );
        return address == *info.key;
    }
    if *info.owner != crate::ID {
        return false;
    }
    let Ok(data) = info.try_borrow_data() else {
        return false;
    };
    Stake::try_deserialize(&mut &data[..])
        .is_ok_and(|stake| stake.pool() == *pool && stake.staker() == *treasury)
}

/// Where the treasury's new shares go during a sweep.
pub enum TreasuryStake<'a, 'info> {
    /// The instruction's own stake is the treasury's (the treasury is staking
    /// or requesting an unstake).
    Same(&'a mut Stake),
    /// A separate account (checked by [`is_treasury_stake`]): loaded, or
    /// created (rent paid by `payer`) when the treasury changed since the
    /// pool was created.
    Separate {
        info: AccountInfo<'info>,
        owner: Pubkey,
        payer: AccountInfo<'info>,
        system_program: AccountInfo<'info>,
    },
}

impl TreasuryStake<'_, '_> {
    fn credit(&mut self, pool: &Pool, pool_key: Pubkey, shares: u128) -> Result<()> {
        if shares == 0 {
            return Ok(());
        }
        match self {
            TreasuryStake::Same(stake) => {
                stake.sync_epoch(pool.epoch);
                stake.credit_shares(shares)?;
                Ok(())
            }
            TreasuryStake::Separate {
                info,
                owner,
                payer,
                system_program,
            } => {
                // Checked by `is_treasury_stake`; created when the treasury
                // changed since the pool was (the only bump search here).
                let mut stake = load_or_create_stake(
                    info,
                    payer,
                    system_program,
                    pool_key,
                    *owner,
                    pool.epoch,
                )?;
                stake.sync_epoch(pool.epoch);
                stake.credit_shares(shares)?;
                save_stake(info, &stake)
            }
        }
    }
}

/// Runs the sweep on `pool`: moves the stakers' part (up to the APR limit),
/// mints the protocol part to the treasury's stake, moves both from `revenue`
/// into the vault, and emits [`RevenueSwept`].
pub fn sweep_pool<'info>(
    pool: &mut Account<'info, Pool>,
    vault: &InterfaceAccount<'info, TokenAccount>,
    revenue: &InterfaceAccount<'info, TokenAccount>,
    tokens: &TokenMover<'_, 'info>,
    treasury_stake: &mut TreasuryStake<'_, 'info>,
    now: i64,
) -> Result<SweepOutcome> {
    let pool_key = pool.key();
    let assets_before = pool.assets;
    let total_shares_before = pool.total_shares;
    let held_back_before = pool.held_back;
    let elapsed = now.saturating_sub(pool.last_sweep_ts);
    let outcome = pool.sweep(now, revenue.amount)?;
    treasury_stake.credit(pool, pool_key, outcome.treasury_shares)?;
    tokens.signed(
        &revenue.to_account_info(),
        &vault.to_account_info(),
        &pool.to_account_info(),
        &pool.signer_seeds(),
        outcome.moved(),
    )?;
    emit_event!(RevenueSwept {
        pool: pool_key,
        revenue_before: revenue.amount,
        held_back_before,
        held_back_after: outcome.held_back,
        protocol_amount: outcome.protocol_amount,
        treasury_shares: outcome.treasury_shares,
        staker_amount: outcome.staker_amount,
        assets_before,
        assets_after: pool.assets,
        total_shares_before,
        total_shares_after: pool.total_shares,
        elapsed,
        ts: now,
    });
    Ok(outcome)
}
