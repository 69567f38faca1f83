//! The pause flags (docs/protocol.md §8): one bit per pausable operation in
//! `Protocol::paused`, and the one table of their names.

pub const STAKE: u16 = 1 << 0;
pub const REQUEST_UNSTAKE: u16 = 1 << 1;
pub const COMPLETE_UNSTAKE: u16 = 1 << 2;
pub const SWEEP: u16 = 1 << 3;
pub const PREMIUM: u16 = 1 << 4;
pub const OPERATOR: u16 = 1 << 5;
pub const RESOLVE: u16 = 1 << 6;
pub const PAYOUT: u16 = 1 << 7;
/// Every known flag.
pub const ALL: u16 = (1 << 8) - 1;

/// Every pausable operation with its flag, in bit order.
pub const OPERATIONS: [(&str, u16); 8] = [
    ("stake", STAKE),
    ("request_unstake", REQUEST_UNSTAKE),
    ("complete_unstake", COMPLETE_UNSTAKE),
    ("sweep", SWEEP),
    ("premium", PREMIUM),
    ("operator", OPERATOR),
    ("resolve", RESOLVE),
    ("payout", PAYOUT),
];

/// The flag of an operation, or `None` for an unknown name.
pub fn flag(operation: &str) -> Option<u16> {
    OPERATIONS
        .iter()
        .find(|(name, _)| *name == operation)
        .map(|(_, flag)| *flag)
}

/// The names of the operations paused in `flags`, in bit order.
pub fn paused_operations(flags: u16) -> impl Iterator<Item = &'static str> {
    OPERATIONS
        .iter()
        .filter(move |(_, flag)| is_paused(flags, *flag))
        .map(|(name, _)| *name)
}

/// Whether `op` is paused in `paused`.
#[inline]
pub fn is_paused(paused: u16, op: u16) -> bool {
    paused & op != 0
}

/// Whether `paused` holds only known flags.
#[inline]
pub fn known_only(paused: u16) -> bool {
    paused & !ALL == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_covers_every_bit_once() {
        assert_eq!(OPERATIONS.iter().fold(0, |a, (_, f)| a | f), ALL);
        assert_eq!(
            OPERATIONS.iter().map(|(_, f)| f.count_ones()).sum::<u32>(),
            8
        );
        assert_eq!(flag("resolve"), Some(RESOLVE));
        assert_eq!(flag("fly"), None);
        assert!(paused_operations(STAKE | PAYOUT).eq(["stake", "payout"]));
        assert!(is_paused(STAKE | PAYOUT, PAYOUT) && !is_paused(STAKE, PAYOUT));
        assert!(known_only(ALL) && !known_only(1 << 8));
    }
}
