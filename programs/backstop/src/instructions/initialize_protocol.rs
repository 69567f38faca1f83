use anchor_lang::prelude::*;
use anchor_lang::solana_program::bpf_loader_upgradeable;

use crate::constants::*;
use crate::errors::BackstopError;
use crate::events::ProtocolInitialized;
use crate::state::Protocol;
use crate::utils::now;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug)]
pub struct InitializeProtocolArgs {
    pub admin: Pubkey,
    pub guardian: Pubkey,
    pub treasury: Pubkey,
    pub governance_delay: u64,
}

/// The program's ProgramData address under the upgradeable loader.
pub fn program_data_address() -> Pubkey {
    Pubkey::find_program_address(&[crate::ID.as_ref()], &bpf_loader_upgradeable::ID).0
}

#[derive(Accounts)]
pub struct InitializeProtocol<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(
        init,
        payer = payer,
        space = 8 + Protocol::INIT_SPACE,
        seeds = [PROTOCOL_SEED],
        bump
    )]
    pub protocol: Box<Account<'info, Protocol>>,
    /// CHECK: the program's ProgramData account (address checked). When it
    /// exists, only its upgrade authority may initialise: this is what stops a
    /// front-runner on a real deployment. A program loaded without one (tests,
    /// the in-process bank) has nothing there.
    #[account(address = program_data_address())]
    pub program_data: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl InitializeProtocol<'_> {
    fn validate(&self, args: &InitializeProtocolArgs) -> Result<()> {
        require!(
            args.governance_delay <= MAX_GOVERNANCE_DELAY_SECS,
            BackstopError::GovernanceDelayTooLong
        );
        let program_data = self.program_data.to_account_info();
        let has_program_data =
            program_data.owner == &bpf_loader_upgradeable::ID && !program_data.data_is_empty();
        // On a real deployment the ProgramData account is required: a program
        // without one (a non-upgradeable loader) could be initialised by
        // whoever comes first. Natively compiled programs in the in-process
        // bank never have one, so that path stays open there (docs/security.md).
        #[cfg(target_os = "solana")]
        require!(has_program_data, BackstopError::ProgramDataRequired);
        if has_program_data {
            let state: UpgradeableLoaderState =
                bincode_deserialize(&program_data.try_borrow_data()?)?;
            let authority = match state {
                UpgradeableLoaderState::ProgramData {
                    upgrade_authority_address,
                    ..
                } => upgrade_authority_address,
                _ => None,
            };
            require!(
                authority == Some(self.payer.key()),
                BackstopError::NotUpgradeAuthority
            );
        }
        Ok(())
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn initialize_protocol(
        ctx: Context<InitializeProtocol>,
        args: InitializeProtocolArgs,
    ) -> Result<()> {
        let protocol = &mut ctx.accounts.protocol;
        protocol.set_inner(Protocol::new(
            args.admin,
            args.guardian,
            args.treasury,
            args.governance_delay,
            ctx.bumps.protocol,
            crate::utils::now()?,
        ));
        emit_event!(ProtocolInitialized {
            admin: args.admin,
            guardian: args.guardian,
            treasury: args.treasury,
            governance_delay: args.governance_delay,
            ts: now()?,
        });
        protocol.invariant()
    }
}

/// Reads the ProgramData header: a u32 variant tag (3), a u64 slot, then an
/// `Option<Pubkey>` (one tag byte and 32 bytes).
fn bincode_deserialize(data: &[u8]) -> Result<UpgradeableLoaderState> {
    const PROGRAM_DATA_TAG: u32 = 3;
    if data.len() < 4 + 8 + 1 {
        return Err(BackstopError::NotUpgradeAuthority.into());
    }
    let tag = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
    if tag != PROGRAM_DATA_TAG {
        return Err(BackstopError::NotUpgradeAuthority.into());
    }
    let mut slot = [0u8; 8];
    slot.copy_from_slice(&data[4..12]);
    let upgrade_authority_address = match data[12] {
        1 if data.len() >= 45 => {
            let mut key = [0u8; 32];
            key.copy_from_slice(&data[13..45]);
            Some(Pubkey::new_from_array(key))
        }
        _ => None,
    };
    Ok(UpgradeableLoaderState::ProgramData {
        slot: u64::from_le_bytes(slot),
        upgrade_authority_address,
    })
}
