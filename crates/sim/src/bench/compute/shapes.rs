//! The shapes `bench --sbf` measures: one scenario (docs/scenarios.md) whose
//! measured steps are each instruction in a shape it takes on a cluster.

use super::{Caller, FIRST_WRAP_BUDGET_CU};

/// A step of the shapes scenario: measured when `shape` is named.
pub(super) struct ShapeStep {
    pub shape: Option<&'static str>,
    pub caller: Caller,
    /// `None`: the caller's budget.
    pub budget: Option<u64>,
    pub toml: &'static str,
}

const fn measured(shape: &'static str, caller: Caller, toml: &'static str) -> ShapeStep {
    ShapeStep {
        shape: Some(shape),
        caller,
        budget: None,
        toml,
    }
}

const fn setup(toml: &'static str) -> ShapeStep {
    ShapeStep {
        shape: None,
        caller: Caller::User,
        budget: None,
        toml,
    }
}

/// The pool and markets of the shapes scenario; `TOKEN` is replaced by the
/// token program.
pub(super) const SETUP: &str = r#"
start = 1_700_000_000
[[pool]]
asset = "USDC"
decimals = 6
token_program = "TOKEN"
cooldown = 86_400
window = 0
sweep_interval = 3_600
max_apr_bps = 100_000
protocol_cut_bps = 1_000
[[market]]
name = "LEND"
kind = "lending"
asset = "USDC"
[[market]]
name = "PERP"
kind = "perp"
asset = "USDC"
cap = 1_000_000_000
[[market]]
name = "ISO"
kind = "lending"
asset = "USDC"
isolated = true
isolated_share_bps = 5_000
[[market]]
name = "AGG"
kind = "perp"
asset = "USDC"
exposure = "aggregate"
[[wallet]]
who = "alice"
asset = "USDC"
amount = 100_000_000_000
[[wallet]]
who = "bob"
asset = "USDC"
amount = 100_000_000_000
[[pool]]
asset = "USDX"
decimals = 6
token_program = "TOKEN"
[[wallet]]
who = "bob"
asset = "USDX"
amount = 100_000_000_000
"#;

/// Each instruction in its realistic shapes, in an order where each step
/// finds what it needs (the exit completes before the first bankruptcy is
/// recorded, since a recorded loss holds exits).
pub(super) const STEPS: &[ShapeStep] = &[
    measured(
        "stake, new staker",
        Caller::User,
        r#"do = "stake"
who = "alice"
asset = "USDC"
amount = 50_000_000_000"#,
    ),
    measured(
        "stake, no sweep due",
        Caller::User,
        r#"do = "stake"
who = "alice"
asset = "USDC"
amount = 1_000_000_000"#,
    ),
    setup(
        r#"do = "revenue"
asset = "USDC"
amount = 10_000_000"#,
    ),
    setup(
        r#"do = "advance"
seconds = 3_600"#,
    ),
    measured(
        "stake, inline sweep",
        Caller::User,
        r#"do = "stake"
who = "bob"
asset = "USDC"
amount = 20_000_000_000"#,
    ),
    setup(
        r#"do = "revenue"
asset = "USDC"
amount = 10_000_000"#,
    ),
    setup(
        r#"do = "advance"
seconds = 3_600"#,
    ),
    measured(
        "sweep_revenue",
        Caller::Keeper,
        r#"do = "sweep"
asset = "USDC""#,
    ),
    measured(
        "sync_vault",
        Caller::Keeper,
        r#"do = "sync"
asset = "USDC""#,
    ),
    measured(
        "pay_premium",
        Caller::Keeper,
        r#"do = "premium"
market = "ISO"
amount = 2_000_000_000"#,
    ),
    ShapeStep {
        shape: Some(
            "wrap sent alone, first of the epoch (creates the receipt mint and the holder's account)",
        ),
        caller: Caller::User,
        budget: Some(FIRST_WRAP_BUDGET_CU),
        toml: r#"do = "wrap"
who = "bob"
asset = "USDC"
shares = 1_000_000_000"#,
    },
    measured(
        "wrap",
        Caller::User,
        r#"do = "wrap"
who = "bob"
asset = "USDC"
shares = 1_000_000_000"#,
    ),
    measured(
        "unwrap",
        Caller::User,
        r#"do = "unwrap"
who = "bob"
asset = "USDC"
amount = 500_000_000"#,
    ),
    // A second pool, whose epoch's first wrap is prepared as clients do.
    setup(
        r#"do = "stake"
who = "bob"
asset = "USDX"
amount = 10_000_000_000"#,
    ),
    measured(
        "create_receipt_mint",
        Caller::Keeper,
        r#"do = "create_receipt_mint"
asset = "USDX""#,
    ),
    measured(
        "wrap, the epoch's first after create_receipt_mint and the holder's receipt account",
        Caller::User,
        r#"do = "wrap"
who = "bob"
asset = "USDX"
shares = 1_000_000_000"#,
    ),
    measured(
        "request_unstake",
        Caller::User,
        r#"do = "request_unstake"
who = "alice"
asset = "USDC"
shares = 10_000_000_000"#,
    ),
    setup(
        r#"do = "advance"
seconds = 86_400"#,
    ),
    measured(
        "complete_unstake",
        Caller::User,
        r#"do = "complete_unstake"
who = "alice"
asset = "USDC""#,
    ),
    measured(
        "record_deposit",
        Caller::Operator,
        r#"do = "deposit"
market = "LEND"
who = "carol"
amount = 40_000_000_000"#,
    ),
    measured(
        "record_position",
        Caller::Operator,
        r#"do = "position"
market = "PERP"
who = "dave"
base = 1_000_000"#,
    ),
    setup(
        r#"do = "position"
market = "PERP"
who = "erin"
base = -1_000_000"#,
    ),
    setup(
        r#"do = "deposit"
market = "ISO"
who = "carol"
amount = 10_000_000_000"#,
    ),
    measured(
        "record_bankruptcy",
        Caller::Operator,
        r#"do = "bankrupt"
market = "LEND"
who = "frank"
amount = 1_000_000_000"#,
    ),
    measured(
        "resolve, lending market",
        Caller::Keeper,
        r#"do = "resolve"
market = "LEND"
who = "frank""#,
    ),
    setup(
        r#"do = "bankrupt"
market = "PERP"
who = "dave"
amount = 1_500_000_000"#,
    ),
    measured(
        "resolve, perp market over its cap",
        Caller::Keeper,
        r#"do = "resolve"
market = "PERP"
who = "dave""#,
    ),
    setup(
        r#"do = "bankrupt"
market = "ISO"
who = "grace"
amount = 1_500_000_000"#,
    ),
    measured(
        "resolve, isolated market",
        Caller::Keeper,
        r#"do = "resolve"
market = "ISO"
who = "grace""#,
    ),
    measured(
        "record_bankruptcy, aggregate market",
        Caller::Operator,
        r#"do = "bankrupt"
market = "AGG"
who = "heidi"
amount = 500_000_000
exposure = 5_000_000_000"#,
    ),
    measured(
        "resolve, aggregate market",
        Caller::Keeper,
        r#"do = "resolve"
market = "AGG"
who = "heidi""#,
    ),
    measured(
        "record_withdrawal",
        Caller::Operator,
        r#"do = "withdraw"
market = "LEND"
who = "carol"
amount = 1_000_000_000"#,
    ),
];
