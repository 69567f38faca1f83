//! Names of program errors from their codes, as in the IDL.

use anchor_lang::error::ErrorCode;
use backstop::errors::BackstopError;
use solana_instruction::error::InstructionError;
pub use solana_transaction_error::TransactionError;

/// Anchor's own errors that account validation can raise.
const ANCHOR_ERRORS: &[ErrorCode] = &[
    ErrorCode::InstructionMissing,
    ErrorCode::InstructionFallbackNotFound,
    ErrorCode::InstructionDidNotDeserialize,
    ErrorCode::InstructionDidNotSerialize,
    ErrorCode::ConstraintMut,
    ErrorCode::ConstraintHasOne,
    ErrorCode::ConstraintSigner,
    ErrorCode::ConstraintRaw,
    ErrorCode::ConstraintOwner,
    ErrorCode::ConstraintRentExempt,
    ErrorCode::ConstraintSeeds,
    ErrorCode::ConstraintExecutable,
    ErrorCode::ConstraintState,
    ErrorCode::ConstraintAssociated,
    ErrorCode::ConstraintAssociatedInit,
    ErrorCode::ConstraintClose,
    ErrorCode::ConstraintAddress,
    ErrorCode::ConstraintZero,
    ErrorCode::ConstraintTokenMint,
    ErrorCode::ConstraintTokenOwner,
    ErrorCode::ConstraintMintMintAuthority,
    ErrorCode::ConstraintMintFreezeAuthority,
    ErrorCode::ConstraintMintDecimals,
    ErrorCode::ConstraintSpace,
    ErrorCode::ConstraintAccountIsNone,
    ErrorCode::ConstraintTokenTokenProgram,
    ErrorCode::ConstraintMintTokenProgram,
    ErrorCode::ConstraintDuplicateMutableAccount,
    ErrorCode::RequireViolated,
    ErrorCode::RequireEqViolated,
    ErrorCode::RequireKeysEqViolated,
    ErrorCode::RequireNeqViolated,
    ErrorCode::RequireKeysNeqViolated,
    ErrorCode::RequireGtViolated,
    ErrorCode::RequireGteViolated,
    ErrorCode::AccountDiscriminatorAlreadySet,
    ErrorCode::AccountDiscriminatorNotFound,
    ErrorCode::AccountDiscriminatorMismatch,
    ErrorCode::AccountDidNotDeserialize,
    ErrorCode::AccountDidNotSerialize,
    ErrorCode::AccountNotEnoughKeys,
    ErrorCode::AccountNotMutable,
    ErrorCode::AccountOwnedByWrongProgram,
    ErrorCode::InvalidProgramId,
    ErrorCode::InvalidProgramExecutable,
    ErrorCode::AccountNotSigner,
    ErrorCode::AccountNotSystemOwned,
    ErrorCode::AccountNotInitialized,
    ErrorCode::AccountNotProgramData,
    ErrorCode::AccountNotAssociatedTokenAccount,
    ErrorCode::AccountSysvarMismatch,
    ErrorCode::AccountReallocExceedsLimit,
    ErrorCode::AccountDuplicateReallocs,
];

/// The SPL Token program's error names, by code.
const TOKEN_ERRORS: &[&str] = &[
    "NotRentExempt",
    "InsufficientFunds",
    "InvalidMint",
    "MintMismatch",
    "OwnerMismatch",
    "FixedSupply",
    "AlreadyInUse",
    "InvalidNumberOfProvidedSigners",
    "InvalidNumberOfRequiredSigners",
    "UninitializedState",
    "NativeNotSupported",
    "NonNativeHasBalance",
    "InvalidInstruction",
    "InvalidState",
    "Overflow",
    "AuthorityTypeNotSupported",
    "MintCannotFreeze",
    "AccountFrozen",
    "MintDecimalsMismatch",
    "NonNativeNotSupported",
];

/// The program error's name for a failed transaction: Backstop's, Anchor's
/// or the token program's name for a custom code, else the runtime's error.
pub fn describe(error: &TransactionError) -> String {
    match error {
        TransactionError::InstructionError(_, InstructionError::Custom(code)) => {
            error_name(*code).unwrap_or_else(|| format!("Custom({code})"))
        }
        TransactionError::InstructionError(_, e) => format!("{e:?}"),
        e => format!("{e:?}"),
    }
}

/// [`describe`], naming a custom code by the program that raised it: the
/// innermost program whose failure `logs` record. Codes of Backstop (its
/// own, Anchor's) and of the token programs have their names; a code of any
/// other program (a mint's transfer hook, a host) is `Custom(N) from PROGRAM`,
/// never mistaken for one of Backstop's.
pub fn describe_from_logs(error: &TransactionError, logs: &[String]) -> String {
    if let TransactionError::InstructionError(_, InstructionError::Custom(code)) = error
        && let Some(program) = failing_program(logs)
        && program != backstop::ID.to_string()
        && program != anchor_spl::token::ID.to_string()
        && program != anchor_spl::token_2022::ID.to_string()
    {
        return format!("Custom({code}) from {program}");
    }
    describe(error)
}

/// The program of the first `Program X failed: custom program error` line.
fn failing_program(logs: &[String]) -> Option<String> {
    logs.iter().find_map(|line| {
        let rest = line.strip_prefix("Program ")?;
        let (program, tail) = rest.split_once(' ')?;
        tail.starts_with("failed: custom program error")
            .then(|| program.to_string())
    })
}

/// The custom code of one of Backstop's errors, by its name (as in the IDL).
pub fn backstop_error_code(name: &str) -> Option<u32> {
    (0..)
        .map_while(backstop_error)
        .find(|e| e.name() == name)
        .map(|e| anchor_lang::error::ERROR_CODE_OFFSET + e as u32)
}

/// The name of a custom error code: Backstop's own (6000+), Anchor's, or the
/// token program's (small codes raised inside a token CPI).
pub fn error_name(code: u32) -> Option<String> {
    if code >= anchor_lang::error::ERROR_CODE_OFFSET {
        let index = code - anchor_lang::error::ERROR_CODE_OFFSET;
        return backstop_error(index).map(|e| e.name());
    }
    if let Some(e) = ANCHOR_ERRORS.iter().find(|e| **e as u32 == code) {
        return Some(e.name());
    }
    TOKEN_ERRORS.get(code as usize).map(|s| s.to_string())
}

fn backstop_error(index: u32) -> Option<BackstopError> {
    use BackstopError::*;
    const ALL: &[BackstopError] = &[
        NotAdmin,
        NotGuardianOrAdmin,
        NotPendingAdmin,
        NotUpgradeAuthority,
        NotOperator,
        NotStakeOwner,
        OperationPaused,
        InvalidPauseFlags,
        CooldownTooLong,
        WindowTooLong,
        SweepIntervalOutOfBounds,
        MaxAprTooHigh,
        ProtocolCutTooHigh,
        MinStakeZero,
        GovernanceDelayTooLong,
        IsolatedShareTooHigh,
        ZeroAmount,
        BelowMinStake,
        ZeroShares,
        InsufficientShares,
        RequestPending,
        NoPendingRequest,
        CooldownNotElapsed,
        RequestLapsed,
        StakeNotEmpty,
        TreasuryStakeNotClosable,
        SweepNotDue,
        NoPendingChange,
        ChangeAlreadyEffective,
        PayoutNotReady,
        PayoutNotPending,
        PayoutAlreadyExecutable,
        MintMismatch,
        MarketIndexMismatch,
        WrongMarketKind,
        MarketInsolvent,
        MarketFrozen,
        CapBelowInsuranceUsed,
        WithdrawalAboveBalance,
        ClearAboveOwed,
        ZeroDeficit,
        BankruptcyAlreadyOpen,
        NotIsolated,
        IsolatedVaultMismatch,
        SettlementMismatch,
        TreasuryStakeMismatch,
        MathOverflow,
        MathUnderflow,
        DivisionByZero,
        InvariantViolated,
        ProgramDataRequired,
        PayoutExpired,
        WrongExposureMode,
        ExposureOverflowsIndex,
        FundAccountNotAllowed,
        UnsupportedMintExtension,
        VaultShortfall,
        TransferFeeNotSupported,
        WrongTokenProgram,
        LossPending,
        BankruptcyOpen,
        MarketNotFrozen,
        ReceiptSupplyOverflow,
        ReceiptMintMismatch,
        SharesInRequest,
        PoolMismatch,
        SettlementAuthorityMismatch,
        StakePoolMismatch,
        ReceiptAccountMismatch,
        RentRecipientMismatch,
        TreasuryMismatch,
        SettlementAuthorityMissing,
    ];
    ALL.iter().copied().find(|e| *e as u32 == index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_programs_code_is_never_named_as_backstops() {
        let e = TransactionError::InstructionError(1, InstructionError::Custom(6000));
        let hook = "Hook1TestingBackstopTransfersXXXXXXXXXXXXXX";
        let logs = vec![
            format!("Program {hook} failed: custom program error: 0x1770"),
            "Program TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb failed: custom program error: 0x1770".to_string(),
        ];
        assert_eq!(
            describe_from_logs(&e, &logs),
            format!("Custom(6000) from {hook}")
        );
        let ours = vec![format!(
            "Program {} failed: custom program error: 0x1770",
            backstop::ID
        )];
        assert_eq!(describe_from_logs(&e, &ours), "NotAdmin");
        assert_eq!(describe_from_logs(&e, &[]), "NotAdmin");
    }

    #[test]
    fn every_backstop_error_has_its_name() {
        assert_eq!(error_name(6000).as_deref(), Some("NotAdmin"));
        assert_eq!(
            error_name(6000 + BackstopError::CooldownNotElapsed as u32).as_deref(),
            Some("CooldownNotElapsed")
        );
        assert_eq!(
            error_name(6000 + BackstopError::InvariantViolated as u32).as_deref(),
            Some("InvariantViolated")
        );
        assert_eq!(
            error_name(ErrorCode::ConstraintSeeds as u32).as_deref(),
            Some("ConstraintSeeds")
        );
        assert_eq!(error_name(1).as_deref(), Some("InsufficientFunds"));
        // the table lists every variant, in order
        for i in 0..=BackstopError::StakePoolMismatch as u32 {
            assert!(backstop_error(i).is_some(), "variant {i} missing");
        }
    }
}
