//! The Token-2022 mint extensions the bank can create a mint with, and the
//! instructions that initialise each (before or after `InitializeMint2`).

use solana_instruction::Instruction;
use solana_pubkey::Pubkey;
use spl_token_2022_interface::extension::{
    ExtensionType, confidential_transfer, confidential_transfer_fee, default_account_state,
    group_member_pointer, group_pointer, interest_bearing_mint, metadata_pointer, pausable,
    scaled_ui_amount, transfer_fee, transfer_hook,
};
use spl_token_2022_interface::state::AccountState;

use backstop_client::types::MintOptIns;

/// A Token-2022 mint extension, with what it is created with. The bank's fee
/// payer is every authority.
#[derive(Debug, Clone, PartialEq)]
pub enum MintExtension {
    TransferFee {
        basis_points: u16,
        maximum_fee: u64,
    },
    InterestBearing {
        rate_bps: i16,
    },
    ScaledUiAmount,
    MetadataPointer,
    /// Name, symbol and URI stored in the mint (needs `MetadataPointer`).
    TokenMetadata,
    GroupPointer,
    /// The mint is a group (needs `GroupPointer`).
    TokenGroup,
    GroupMemberPointer,
    /// The mint is a member of `group`, a mint with `TokenGroup` (needs
    /// `GroupMemberPointer`).
    TokenGroupMember {
        group: Pubkey,
    },
    MintCloseAuthority,
    ConfidentialTransferMint,
    /// Needs `TransferFee` and `ConfidentialTransferMint`.
    ConfidentialTransferFee,
    /// A transfer hook, with or without a hook program.
    /// `authority`: whether the hook has an authority (the fee payer), which
    /// can set a program later.
    TransferHook {
        program: Option<Pubkey>,
        authority: bool,
    },
    PermanentDelegate {
        delegate: Pubkey,
    },
    NonTransferable,
    DefaultAccountState {
        frozen: bool,
    },
    Pausable,
}

/// The opt-ins a pool of a PYUSD-like mint needs: its permanent delegate, and
/// its transfer hook, which has an authority that could set a program.
pub const PYUSD_OPT_INS: MintOptIns = MintOptIns {
    permanent_delegate: true,
    transfer_hook: true,
};

impl MintExtension {
    /// The extensions of a PYUSD-like mint: a zero transfer fee,
    /// confidential transfers (with the fee extension Token-2022 requires
    /// beside them), a transfer hook without a program but with an authority, a permanent
    /// `delegate`, a close authority and metadata in the mint.
    pub fn pyusd_like(delegate: Pubkey) -> Vec<MintExtension> {
        vec![
            MintExtension::TransferFee {
                basis_points: 0,
                maximum_fee: 0,
            },
            MintExtension::ConfidentialTransferMint,
            MintExtension::ConfidentialTransferFee,
            MintExtension::TransferHook {
                program: None,
                authority: true,
            },
            MintExtension::PermanentDelegate { delegate },
            MintExtension::MintCloseAuthority,
            MintExtension::MetadataPointer,
            MintExtension::TokenMetadata,
        ]
    }

    /// The extension's type as Token-2022 counts its space; `None` for the
    /// variable-length ones, whose space is added when they are initialised.
    pub(crate) fn fixed_type(&self) -> Option<ExtensionType> {
        use MintExtension::*;
        Some(match self {
            TransferFee { .. } => ExtensionType::TransferFeeConfig,
            InterestBearing { .. } => ExtensionType::InterestBearingConfig,
            ScaledUiAmount => ExtensionType::ScaledUiAmount,
            MetadataPointer => ExtensionType::MetadataPointer,
            TokenMetadata | TokenGroup | TokenGroupMember { .. } => return None,
            GroupPointer => ExtensionType::GroupPointer,
            GroupMemberPointer => ExtensionType::GroupMemberPointer,
            MintCloseAuthority => ExtensionType::MintCloseAuthority,
            ConfidentialTransferMint => ExtensionType::ConfidentialTransferMint,
            ConfidentialTransferFee => ExtensionType::ConfidentialTransferFeeConfig,
            TransferHook { .. } => ExtensionType::TransferHook,
            PermanentDelegate { .. } => ExtensionType::PermanentDelegate,
            NonTransferable => ExtensionType::NonTransferable,
            DefaultAccountState { .. } => ExtensionType::DefaultAccountState,
            Pausable => ExtensionType::Pausable,
        })
    }

    /// The instruction that initialises it before `initialize_mint2`.
    pub(crate) fn init(&self, mint: &Pubkey, authority: &Pubkey) -> Option<Instruction> {
        use MintExtension::*;
        let id = &spl_token_2022_interface::ID;
        let ix = match self {
            TransferFee {
                basis_points,
                maximum_fee,
            } => transfer_fee::instruction::initialize_transfer_fee_config(
                id,
                mint,
                Some(authority),
                Some(authority),
                *basis_points,
                *maximum_fee,
            ),
            InterestBearing { rate_bps } => interest_bearing_mint::instruction::initialize(
                id,
                mint,
                Some(*authority),
                *rate_bps,
            ),
            ScaledUiAmount => {
                scaled_ui_amount::instruction::initialize(id, mint, Some(*authority), 1.0)
            }
            MetadataPointer => {
                metadata_pointer::instruction::initialize(id, mint, Some(*authority), Some(*mint))
            }
            GroupPointer => {
                group_pointer::instruction::initialize(id, mint, Some(*authority), Some(*mint))
            }
            GroupMemberPointer => group_member_pointer::instruction::initialize(
                id,
                mint,
                Some(*authority),
                Some(*mint),
            ),
            MintCloseAuthority => {
                spl_token_2022_interface::instruction::initialize_mint_close_authority(
                    id,
                    mint,
                    Some(authority),
                )
            }
            ConfidentialTransferMint => confidential_transfer::instruction::initialize_mint(
                id,
                mint,
                Some(*authority),
                true,
                None,
            ),
            ConfidentialTransferFee => {
                confidential_transfer_fee::instruction::initialize_confidential_transfer_fee_config(
                    id,
                    mint,
                    Some(*authority),
                    &Default::default(),
                )
            }
            TransferHook {
                program,
                authority: with_authority,
            } => transfer_hook::instruction::initialize(
                id,
                mint,
                with_authority.then_some(*authority),
                *program,
            ),
            PermanentDelegate { delegate } => {
                spl_token_2022_interface::instruction::initialize_permanent_delegate(
                    id, mint, delegate,
                )
            }
            NonTransferable => {
                spl_token_2022_interface::instruction::initialize_non_transferable_mint(id, mint)
            }
            DefaultAccountState { frozen } => {
                let state = if *frozen {
                    AccountState::Frozen
                } else {
                    AccountState::Initialized
                };
                default_account_state::instruction::initialize_default_account_state(
                    id, mint, &state,
                )
            }
            Pausable => pausable::instruction::initialize(id, mint, authority),
            TokenMetadata | TokenGroup | TokenGroupMember { .. } => return None,
        };
        Some(ix.expect("extension instruction"))
    }

    /// The instruction that initialises a variable-length extension after
    /// `initialize_mint2` (its space is paid for first).
    pub(crate) fn init_after(&self, mint: &Pubkey, authority: &Pubkey) -> Option<Instruction> {
        let id = &spl_token_2022_interface::ID;
        Some(match self {
            MintExtension::TokenMetadata => spl_token_metadata_interface::instruction::initialize(
                id,
                mint,
                authority,
                mint,
                authority,
                "Pay Dollar".into(),
                "PYD".into(),
                "https://example.invalid/pyd.json".into(),
            ),
            MintExtension::TokenGroup => spl_token_group_interface::instruction::initialize_group(
                id,
                mint,
                mint,
                authority,
                Some(*authority),
                10,
            ),
            MintExtension::TokenGroupMember { group } => {
                spl_token_group_interface::instruction::initialize_member(
                    id, mint, mint, authority, group, authority,
                )
            }
            _ => return None,
        })
    }
}

/// Room a variable-length extension takes, generously: its instruction
/// reallocates the mint and needs the rent for it in place first.
pub(crate) const VARIABLE_EXTENSION_ROOM: usize = 512;
