//! Fixtures for the Backstop integration tests: a `World` holding the
//! in-process bank, the protocol's actors, and one-line helpers so each test
//! reads like a scenario.

pub use anchor_lang::prelude::Pubkey;
pub use backstop_bank::{Bank, LAMPORTS_PER_SOL, MintExtension, PYUSD_OPT_INS, TxError, TxOk};
pub use backstop_client::ix::{self, Asset, PoolKeys};
pub use backstop_client::pause;
pub use backstop_client::refusal::{AnchorError, BackstopError, Refusal};
pub use backstop_client::types::{
    Bankruptcy, CreateMarketArgs, ExposureMode, InitializeProtocolArgs, Lender, Market,
    MarketField, MarketKind, MarketStatus, MarketUpdate, MintOptIns, PROGRAM_ID, Payout,
    PayoutStatus, Pool, PoolParams, PoolParamsUpdate, Position, Protocol, ProtocolField,
    ProtocolUpdate, Stake,
};
pub use backstop_client::{pda, views};
pub use solana_instruction::Instruction;
pub use solana_keypair::Keypair;
pub use solana_signer::Signer;

/// The clock every world starts at (unix seconds).
pub const START: i64 = 1_700_000_000;
pub const DAY: i64 = 86_400;
/// 10¹⁸, the scale of the deposit and loss indexes.
pub const E18: u128 = 1_000_000_000_000_000_000;

pub type TxResult = Result<TxOk, TxError>;

/// Asserts that `result` failed with exactly `expected`: a
/// `BackstopError`, an `AnchorError`, or another program's error by name.
#[track_caller]
pub fn expect_err(result: TxResult, expected: impl Into<Refusal>) {
    let expected = expected.into();
    match result {
        Ok(_) => panic!("expected error {expected}, but the transaction succeeded"),
        Err(e) => assert!(
            expected == *e.name.as_str(),
            "expected error {expected}, got {} (logs: {:#?})",
            e.name,
            e.logs
        ),
    }
}

/// Unwraps a transaction result, printing the program logs on failure.
#[track_caller]
pub fn ok(result: TxResult) -> TxOk {
    match result {
        Ok(t) => t,
        Err(e) => panic!("transaction failed: {} (logs: {:#?})", e.name, e.logs),
    }
}

/// [`test_params`] with no protocol cut and no APR cap: revenue all to stakers.
pub fn no_fee_params() -> PoolParams {
    PoolParams {
        protocol_cut_bps: 0,
        max_apr_bps: 0,
        ..test_params()
    }
}

/// Pool parameters convenient for tests: short cooldown, hourly sweeps.
pub fn test_params() -> PoolParams {
    PoolParams {
        cooldown: 10 * DAY as u64,
        window: 0,
        sweep_interval: 3_600,
        max_apr_bps: 100_000,
        protocol_cut_bps: 5_000,
        min_stake: 1,
    }
}

mod governance_fixture;
mod market_fixture;
mod pool_fixture;
mod readers;
mod staking_fixture;
mod world;

pub use market_fixture::MarketFixture;
pub use pool_fixture::User;
pub use world::{World, funded_keypair};

/// Replaces every occurrence of `from` in the instruction's accounts by `to`.
pub fn substitute(mut i: Instruction, from: Pubkey, to: Pubkey) -> Instruction {
    let mut found = false;
    for meta in i.accounts.iter_mut() {
        if meta.pubkey == from {
            meta.pubkey = to;
            found = true;
        }
    }
    assert!(found, "account {from} not in the instruction");
    i
}

/// On the SBF VM, holds a host's instruction that calls Backstop by CPI to
/// its compute budget (`bench::compute::HOST_BUDGET_CU`) and reports the
/// figure on stderr; natively the figure is the native build's and is not
/// held.
pub fn hold_host_budget(bank: &Bank, what: &str, done: &TxOk) {
    if !bank.is_sbf() {
        return;
    }
    let budget = backstop_sim::bench::compute::HOST_BUDGET_CU;
    assert!(
        done.compute_units <= budget,
        "{what}: {} CU, over the host budget of {budget}",
        done.compute_units
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "compute units on the SBF VM, {what}: {}",
        done.compute_units
    );
}
