//! Creating this program's PDAs so that nobody can block them.

use anchor_lang::prelude::*;
use anchor_lang::system_program::{
    Allocate, Assign, CreateAccount, Transfer, allocate, assign, create_account, transfer,
};

/// Creates a PDA of this program with `space` bytes, owned by `owner`, rent
/// paid for `rent_space` bytes (Token-2022 grows a mint for its metadata).
/// An address that already holds lamports (anyone can send some) cannot be
/// created with `create_account`, so it is topped up, allocated and assigned
/// instead: nobody can block a new account by funding its address.
pub fn create_pda<'info>(
    info: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    seeds: &[&[u8]],
    space: usize,
    rent_space: usize,
    owner: &Pubkey,
) -> Result<()> {
    let rent = Rent::get()?.minimum_balance(rent_space);
    let program = system_program.key();
    if info.lamports() == 0 {
        return create_account(
            CpiContext::new_with_signer(
                program,
                CreateAccount {
                    from: payer.clone(),
                    to: info.clone(),
                },
                &[seeds],
            ),
            rent,
            space as u64,
            owner,
        );
    }
    let missing = rent.saturating_sub(info.lamports());
    if missing > 0 {
        transfer(
            CpiContext::new(
                program,
                Transfer {
                    from: payer.clone(),
                    to: info.clone(),
                },
            ),
            missing,
        )?;
    }
    allocate(
        CpiContext::new_with_signer(
            program,
            Allocate {
                account_to_allocate: info.clone(),
            },
            &[seeds],
        ),
        space as u64,
    )?;
    assign(
        CpiContext::new_with_signer(
            program,
            Assign {
                account_to_assign: info.clone(),
            },
            &[seeds],
        ),
        owner,
    )
}
