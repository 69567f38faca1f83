//! Which mints a pool may hold (docs/protocol.md, "Assets: SPL Token and
//! Token-2022"). A classic SPL Token mint has no extensions. A Token-2022 mint
//! is checked against an allow-list, so an unknown or future extension is
//! refused; the transfer fee is checked at creation and on every inflow.

use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::default_account_state::DefaultAccountState;
use anchor_spl::token_2022::spl_token_2022::extension::transfer_fee::{
    TransferFee, TransferFeeConfig,
};
use anchor_spl::token_2022::spl_token_2022::extension::transfer_hook::TransferHook;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, ExtensionType, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::{AccountState, Mint};

use crate::errors::BackstopError;
use crate::state::{MintOptIns, Pool};

/// Why `create_pool` refuses a mint: the extension, named as Token-2022 names
/// it, and what about it is refused.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RefusedExtension {
    pub extension: ExtensionType,
    pub reason: &'static str,
}

/// The first extension of `mint_data` (a Token-2022 mint account's data) that
/// the allow-list refuses, if any, given governance's per-pool opt-ins.
pub fn refused_extension(
    mint_data: &[u8],
    opt_ins: MintOptIns,
) -> Result<Option<RefusedExtension>> {
    let mint = StateWithExtensions::<Mint>::unpack(mint_data)?;
    for extension in mint.get_extension_types()? {
        let reason = match extension {
            ExtensionType::TransferFeeConfig
            | ExtensionType::InterestBearingConfig
            | ExtensionType::ScaledUiAmount
            | ExtensionType::MetadataPointer
            | ExtensionType::TokenMetadata
            | ExtensionType::GroupPointer
            | ExtensionType::GroupMemberPointer
            | ExtensionType::TokenGroup
            | ExtensionType::TokenGroupMember
            | ExtensionType::MintCloseAuthority
            | ExtensionType::ConfidentialTransferMint
            | ExtensionType::ConfidentialTransferFeeConfig => continue,
            ExtensionType::TransferHook if opt_ins.transfer_hook => continue,
            ExtensionType::TransferHook => {
                let hook = mint.get_extension::<TransferHook>()?;
                let program = Option::<Pubkey>::from(hook.program_id);
                let authority = Option::<Pubkey>::from(hook.authority);
                if program.is_none() && authority.is_none() {
                    continue;
                }
                "a transfer hook program (or an authority that can set one) could refuse every transfer out of the fund; governance must opt in for this pool"
            }
            ExtensionType::PermanentDelegate if opt_ins.permanent_delegate => continue,
            ExtensionType::PermanentDelegate => {
                "its delegate could take the fund's tokens; governance must opt in for this pool"
            }
            ExtensionType::DefaultAccountState => {
                let state = mint.get_extension::<DefaultAccountState>()?;
                if AccountState::try_from(state.state).ok() == Some(AccountState::Frozen) {
                    "new token accounts start frozen and cannot move tokens"
                } else {
                    "its freeze default can be switched on for every new token account"
                }
            }
            ExtensionType::NonTransferable => "its tokens cannot be transferred",
            ExtensionType::Pausable => "the mint could be paused, trapping every exit",
            _ => "it is not on the allow-list",
        };
        return Ok(Some(RefusedExtension { extension, reason }));
    }
    Ok(None)
}

/// Refuses a mint whose extensions the allow-list does not accept, naming the
/// extension in the log.
pub fn require_supported_mint(mint: &AccountInfo, opt_ins: MintOptIns) -> Result<()> {
    if *mint.owner != anchor_spl::token_2022::ID {
        return Ok(());
    }
    let data = mint.try_borrow_data()?;
    require_allowed_extensions(&data, opt_ins)?;
    // The fee must be 0 now and in any change already scheduled.
    if let Ok(config) =
        StateWithExtensions::<Mint>::unpack(&data)?.get_extension::<TransferFeeConfig>()
    {
        require!(
            !charges(&config.older_transfer_fee) && !charges(&config.newer_transfer_fee),
            BackstopError::TransferFeeNotSupported
        );
    }
    Ok(())
}

fn require_allowed_extensions(data: &[u8], opt_ins: MintOptIns) -> Result<()> {
    if let Some(refused) = refused_extension(data, opt_ins)? {
        log_refusal(&refused);
        return Err(BackstopError::UnsupportedMintExtension.into());
    }
    Ok(())
}

/// Refuses a movement of tokens into or within a pool's fund (stake, sweep,
/// sync, premium) while the mint carries an extension the pool would refuse
/// (a mint closed and created again, a hook set without the opt-in) or
/// charges a transfer fee. Exits never call this: they always work.
pub fn require_inflows_allowed(mint: &AccountInfo, pool: &Pool) -> Result<()> {
    if *mint.owner == anchor_spl::token_2022::ID {
        require_allowed_extensions(&mint.try_borrow_data()?, pool.opt_ins())?;
    }
    require_no_transfer_fee(mint)
}

/// Whether [`require_inflows_allowed`] would accept the mint now: an inline
/// sweep (in `request_unstake`) waits instead of refusing the request.
pub fn inflows_allowed(mint: &AccountInfo, pool: &Pool) -> Result<bool> {
    if *mint.owner != anchor_spl::token_2022::ID {
        return Ok(true);
    }
    if refused_extension(&mint.try_borrow_data()?, pool.opt_ins())?.is_some() {
        return Ok(false);
    }
    Ok(!transfer_fee_active(mint, Clock::get()?.epoch)?)
}

/// Whether a transfer of this mint charges a fee at `epoch`.
pub fn transfer_fee_active(mint: &AccountInfo, epoch: u64) -> Result<bool> {
    if *mint.owner != anchor_spl::token_2022::ID {
        return Ok(false);
    }
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<Mint>::unpack(&data)?;
    Ok(match state.get_extension::<TransferFeeConfig>() {
        Ok(config) => charges(config.get_epoch_fee(epoch)),
        Err(_) => false,
    })
}

/// Refuses a movement of tokens into or within the fund while a fee is on.
fn require_no_transfer_fee(mint: &AccountInfo) -> Result<()> {
    let epoch = Clock::get()?.epoch;
    require!(
        !transfer_fee_active(mint, epoch)?,
        BackstopError::TransferFeeNotSupported
    );
    Ok(())
}

fn charges(fee: &TransferFee) -> bool {
    u16::from(fee.transfer_fee_basis_points) > 0 && u64::from(fee.maximum_fee) > 0
}

/// On SBF the refusal is a program log; a native build (tests, the in-process
/// bank) writes it to stderr, when `BACKSTOP_PROGRAM_LOGS` is set, so it
/// cannot mix with a report on stdout.
fn log_refusal(refused: &RefusedExtension) {
    #[cfg(target_os = "solana")]
    msg!(
        "unsupported mint extension {:?}: {}",
        refused.extension,
        refused.reason
    );
    #[cfg(not(target_os = "solana"))]
    if std::env::var_os("BACKSTOP_PROGRAM_LOGS").is_some() {
        eprintln!(
            "program log: unsupported mint extension {:?}: {}",
            refused.extension, refused.reason
        );
    }
}
