//! A staker's `Stake` account, loaded or created on first use, without the
//! bump search Anchor's `init_if_needed` makes on every call: the search
//! costs a syscall (1,500 CU) per bump tried, and an existing stake has its
//! bump already. Only a new stake searches, once.

use anchor_lang::prelude::*;

use crate::constants::STAKE_SEED;
use crate::errors::BackstopError;
use crate::ops::pda::create_pda;
use crate::state::{STAKE_ACCOUNT_SIZE, Stake};

/// The stake of `owner` in `pool` at `info`, created (rent paid by `payer`)
/// at the pool's `epoch` when the address is empty. An existing account must
/// be a `Stake` of this program naming this pool and owner: the program
/// creates stakes only at `["stake", pool, owner]`, so that one is the PDA.
/// The caller writes it back with [`save_stake`].
// Inlined: called from `stake` and the sweep, it would otherwise stay a
// call of its own and cost `stake` about 170 CU more (bench --sbf).
#[inline(always)]
pub fn load_or_create_stake<'info>(
    info: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    pool: Pubkey,
    owner: Pubkey,
    epoch: u32,
) -> Result<Stake> {
    if info.data_is_empty() {
        let (address, bump) =
            Pubkey::find_program_address(&[STAKE_SEED, pool.as_ref(), owner.as_ref()], &crate::ID);
        require_keys_eq!(address, *info.key, BackstopError::NotStakeOwner);
        let seeds: &[&[u8]] = &[STAKE_SEED, pool.as_ref(), owner.as_ref(), &[bump]];
        create_pda(
            info,
            payer,
            system_program,
            seeds,
            STAKE_ACCOUNT_SIZE,
            STAKE_ACCOUNT_SIZE,
            &crate::ID,
        )?;
        save_stake(info, &Stake::new(pool, owner, epoch, bump))?;
    }
    require_keys_eq!(*info.owner, crate::ID, BackstopError::NotStakeOwner);
    // Checks the discriminator.
    let stake = Stake::try_deserialize(&mut &info.try_borrow_data()?[..])?;
    require_keys_eq!(stake.pool(), pool, BackstopError::StakePoolMismatch);
    require_keys_eq!(stake.staker(), owner, BackstopError::NotStakeOwner);
    Ok(stake)
}

/// Writes `stake` back into its account.
#[inline(always)]
pub fn save_stake(info: &AccountInfo, stake: &Stake) -> Result<()> {
    let mut data = info.try_borrow_mut_data()?;
    let mut writer: &mut [u8] = &mut data;
    stake.try_serialize(&mut writer)
}
