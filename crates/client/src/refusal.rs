//! Refusals as types, so that tests and the fuzzer name the error they expect
//! by its enum variant (`BackstopError::SweepNotDue`, Anchor's
//! `AnchorError::ConstraintHasOne`) and a typo fails to compile. An error of
//! another program (a token program's, a hook's) is named by its text, as
//! [`crate::errors::describe`] writes it. Scenario files keep their names as
//! text.

pub use anchor_lang::error::ErrorCode as AnchorError;
pub use backstop::errors::BackstopError;

/// An error a refused transaction may name, by type.
#[derive(Debug, Clone)]
pub enum Refusal {
    Backstop(BackstopError),
    Anchor(AnchorError),
    /// Another program's error, by the name the client gives it
    /// (`InsufficientFunds`, `Custom(18507) from PROGRAM`).
    Other(String),
}

impl Refusal {
    /// The name a refused transaction reports (`TxError::name`).
    pub fn name(&self) -> String {
        match self {
            Refusal::Backstop(e) => e.name(),
            Refusal::Anchor(e) => e.name(),
            Refusal::Other(name) => name.clone(),
        }
    }
}

impl PartialEq for Refusal {
    fn eq(&self, other: &Refusal) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Refusal {}

impl PartialEq<str> for Refusal {
    fn eq(&self, name: &str) -> bool {
        self.name() == name
    }
}

impl From<BackstopError> for Refusal {
    fn from(e: BackstopError) -> Refusal {
        Refusal::Backstop(e)
    }
}

impl From<AnchorError> for Refusal {
    fn from(e: AnchorError) -> Refusal {
        Refusal::Anchor(e)
    }
}

impl From<&str> for Refusal {
    fn from(name: &str) -> Refusal {
        Refusal::Other(name.to_string())
    }
}

impl From<&String> for Refusal {
    fn from(name: &String) -> Refusal {
        Refusal::Other(name.clone())
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_named_as_the_bank_names_it() {
        assert_eq!(
            Refusal::from(BackstopError::SweepNotDue).name(),
            "SweepNotDue"
        );
        assert_eq!(
            Refusal::from(AnchorError::ConstraintHasOne).name(),
            "ConstraintHasOne"
        );
        assert_eq!(
            Refusal::from("InsufficientFunds").name(),
            "InsufficientFunds"
        );
        assert_eq!(
            Refusal::from(BackstopError::NotAdmin),
            Refusal::Other("NotAdmin".to_string())
        );
        assert_ne!(
            Refusal::from(BackstopError::NotAdmin),
            Refusal::from(BackstopError::NotOperator)
        );
        assert!(Refusal::from(AnchorError::AccountNotInitialized) == *"AccountNotInitialized");
    }
}
