//! The local node (being moved here from crates/cli).
