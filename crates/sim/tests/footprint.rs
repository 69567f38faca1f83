//! The footprint budgets (issue 14): every instruction, on its most
//! expensive path, allocates at most 16 KiB (half of SBF's heap) and leaves
//! CPI depth to a host; every transaction fits its budget on the wire. Two
//! walks measure the same, so a later report compares with an earlier one.
//!
//! `backstop bench` prints the table docs/performance.md shows.
//!
//! A plain `main` (`harness = false`): natively the program's `msg!` is a
//! `println!`, and libtest's output capture grows a buffer on the program's
//! thread, which the heap meter would count as the program's.

use backstop_sim::footprint::{
    self, HEAP_BUDGET_BYTES, MeteredAllocator, PACKET_BYTES, Sender, USER_TX_BUDGET_BYTES,
    transactions,
};

#[global_allocator]
static ALLOCATOR: MeteredAllocator = MeteredAllocator;

fn main() {
    if std::env::var_os("RUST_LOG").is_none() {
        // program-test logs every instruction at debug level otherwise.
        // SAFETY: single-threaded here, before any runtime starts.
        unsafe { std::env::set_var("RUST_LOG", "error") };
    }
    // The program's native `msg!` lines go to /dev/null; the report to `out`.
    let mut out = backstop_sim::take_stdout();
    every_transaction_fits_its_budget();
    wire_size_counts_signatures_and_the_message();
    use std::io::Write;
    if backstop_bank::skip_on_sbf(
        "footprint::every_instruction_within_its_budgets_and_the_same_twice",
        "the heap figures come from the native allocator meter, which cannot see into the VM",
    ) {
        writeln!(out, "footprint: 2 checks passed, 1 skipped (native-only)")
            .expect("write the report");
        return;
    }
    let table = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(every_instruction_within_its_budgets_and_the_same_twice());
    writeln!(out, "{table}footprint: 3 checks passed").expect("write the report");
}

/// Measures twice and checks the budgets; answers the table.
async fn every_instruction_within_its_budgets_and_the_same_twice() -> String {
    let first = footprint::measure().await.unwrap();
    let second = footprint::measure().await.unwrap();
    assert_eq!(first, second, "two walks measured differently");
    assert_eq!(first.instructions.len(), 35);
    assert_eq!(first.over_budget(), Vec::<String>::new());
    let row = |name: &str| {
        first
            .instructions
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("{name} measured"))
    };
    for i in &first.instructions {
        assert!(i.heap_bytes <= HEAP_BUDGET_BYTES, "{}", i.name);
        assert!(i.heap_live_peak_bytes <= i.heap_bytes, "{}", i.name);
        // Backstop calls the token or system program, never deeper.
        assert_eq!(i.depth_used, if i.cpis == 0 { 1 } else { 2 }, "{}", i.name);
        assert_eq!(i.depth_left_for_host, 4 - i.depth_used, "{}", i.name);
    }
    // Counted by hand from the instructions: the ledger-only ones make no
    // CPI; an exit or a payout is one transfer_checked out of the vault.
    for name in [
        "cancel_unstake",
        "pause",
        "unpause",
        "set_market_cap",
        "record_withdrawal",
        "clear_owed",
        "accept_admin",
    ] {
        assert_eq!(row(name).cpis, 0, "{name}");
    }
    for name in ["complete_unstake", "execute_payout"] {
        assert_eq!(row(name).cpis, 1, "{name}");
    }
    // close_stake returns rent by closing the account, not by a CPI.
    assert_eq!(row("close_stake").cpis, 0);
    // the first wrap of an epoch sent alone creates the receipt mint: the
    // system program (create), the pointer, the mint, its metadata, the
    // associated account (which calls Token-2022 and the system program in
    // turn) and the mint_to; create_receipt_mint makes the first four
    assert!(row("wrap").cpis >= 6, "wrap: {}", row("wrap").cpis);
    assert_eq!(row("create_receipt_mint").cpis, 4);
    assert_eq!(row("unwrap").cpis, 1, "unwrap burns");
    first.markdown()
}

fn every_transaction_fits_its_budget() {
    let sizes = transactions::transaction_sizes();
    assert_eq!(
        sizes.len(),
        36,
        "35 instructions and resolve's isolated shape"
    );
    for t in &sizes {
        let budget = match t.sender {
            Sender::User => USER_TX_BUDGET_BYTES,
            Sender::Governance => PACKET_BYTES,
        };
        assert!(
            t.bytes <= budget,
            "{} is {} B, over {budget}",
            t.label,
            t.bytes
        );
        assert!(
            t.bytes > 150,
            "{}: {} B is implausibly small",
            t.label,
            t.bytes
        );
        match (t.sender, t.multisig_message_bytes) {
            (Sender::User, None) => {}
            (Sender::Governance, Some(m)) => {
                // The message without signatures or compute-budget
                // instructions is smaller than the transaction.
                assert!(m < t.bytes, "{}", t.label);
                assert!(m < PACKET_BYTES / 2, "{}: {m} B", t.label);
            }
            other => panic!("{}: {other:?}", t.label),
        }
    }
    let bytes = |label: &str| sizes.iter().find(|t| t.label == label).unwrap().bytes;
    // The isolated resolve adds the isolated vault: 32 bytes of key.
    assert_eq!(
        bytes("resolve_bankruptcy (isolated)") - bytes("resolve_bankruptcy"),
        32
    );
}

/// The wire size counts what a signed transaction takes: one signature of
/// 64 bytes and a one-byte count for a single signer.
fn wire_size_counts_signatures_and_the_message() {
    let payer = solana_pubkey::Pubkey::new_unique();
    let budget = transactions::compute_budget();
    let message = solana_transaction::Transaction::new_with_payer(&budget, Some(&payer))
        .message_data()
        .len();
    assert_eq!(transactions::wire_size(&budget, &payer), 1 + 64 + message);
}
