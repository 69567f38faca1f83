//! Backstop's scenario simulator (being moved here from crates/cli).
