//! The pause flags, one per operation, named as in docs/protocol.md §8. The
//! table is `backstop_core::pause::OPERATIONS`; every client (simulator, CLI,
//! keeper, local node) reads it through here.

pub use backstop_core::pause::*;

/// The flags of several operations; the first unknown name is the error.
pub fn flags<S: AsRef<str>>(operations: &[S]) -> Result<u16, String> {
    operations.iter().try_fold(0, |all, op| {
        flag(op.as_ref())
            .map(|f| all | f)
            .ok_or_else(|| format!("unknown operation {:?}", op.as_ref()))
    })
}

/// The names of the operations set in `flags`.
pub fn names(flags: u16) -> Vec<&'static str> {
    paused_operations(flags).collect()
}

/// Every operation's name, comma separated (for help and error messages).
pub fn known() -> String {
    OPERATIONS
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_flags_round_trip() {
        assert_eq!(OPERATIONS.len(), 8);
        assert_eq!(OPERATIONS.iter().fold(0, |a, (_, f)| a | f), ALL);
        assert_eq!(flags(&["stake", "payout"]), Ok(STAKE | PAYOUT));
        assert_eq!(names(STAKE | PAYOUT), vec!["stake", "payout"]);
        assert_eq!(
            flags(&["stake", "fly"]),
            Err("unknown operation \"fly\"".into())
        );
        assert_eq!(flag("resolve"), Some(RESOLVE));
    }
}
