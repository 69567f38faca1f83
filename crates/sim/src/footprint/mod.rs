//! Backstop's footprint in SBF terms (docs/performance.md): per instruction,
//! the heap it allocates, the CPIs it makes and the depth they reach (read by
//! the bank's meter during [`walk::every_instruction`]), its accounts and
//! its transaction's size on the wire ([`transactions`]). `backstop bench`
//! prints it; the tests hold the budgets.

pub mod transactions;
pub mod walk;
mod walker;

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

/// The allocator a binary installs for the heap figures (the bank's meter).
pub use backstop_bank::heap::MeteredAllocator;
use backstop_client::instructions::INSTRUCTIONS;
pub use transactions::{PACKET_BYTES, Sender, TransactionSize, USER_TX_BUDGET_BYTES};
pub use walk::InstructionCost;

/// Half of SBF's default 32 KiB heap: the most one instruction may allocate.
pub const HEAP_BUDGET_BYTES: usize = 16 * 1024;
/// The instruction stack's height limit: the transaction's instruction and
/// four levels of CPI below it.
pub const MAX_STACK_HEIGHT: u64 = 5;

/// One instruction's footprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstructionFootprint {
    pub name: String,
    /// Every byte one call allocates on its most expensive path (SBF's bump
    /// allocator never reuses freed memory).
    pub heap_bytes: usize,
    pub heap_live_peak_bytes: usize,
    pub cpis: usize,
    /// Instruction-stack levels used when the transaction calls it directly.
    pub depth_used: u64,
    /// CPI levels left below it when a host calls it from its own
    /// instruction.
    pub depth_left_for_host: u64,
    /// Accounts of its instruction, in its largest shape.
    pub accounts: usize,
    /// Its transaction on the wire, with the priority-fee instructions.
    pub transaction_bytes: usize,
    pub transaction_budget_bytes: usize,
    /// Governance: the bare message a multisig wraps, and what the packet
    /// leaves for the wrapper.
    pub multisig_message_bytes: Option<usize>,
    pub left_for_multisig_wrapper: Option<usize>,
    /// The populations its cost does not grow with.
    pub constant_in: String,
}

/// Every instruction's footprint, in the program's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Footprint {
    pub heap_budget_bytes: usize,
    pub user_transaction_budget_bytes: usize,
    pub packet_bytes: usize,
    pub instructions: Vec<InstructionFootprint>,
}

/// What an instruction's cost is constant in.
fn constant_in(name: &str) -> &'static str {
    match name {
        "stake" | "request_unstake" | "cancel_unstake" | "complete_unstake" | "close_stake"
        | "sweep_revenue" | "sync_vault" | "wrap" | "unwrap" => "stakers, requests",
        "resolve_bankruptcy" | "record_bankruptcy" => "lenders, positions, bankruptcies",
        "record_deposit" | "record_withdrawal" | "record_position" | "clear_owed" => {
            "lenders, positions"
        }
        "pay_premium" | "create_market" => "markets, stakers",
        "propose_payout" | "execute_payout" | "cancel_payout" => "payouts, stakers",
        _ => "all populations",
    }
}

/// Measures every instruction: the walk in the bank, then the transaction
/// sizes. Fails when an instruction was not metered (the binary must install
/// `backstop_bank::heap::MeteredAllocator`) or the walk was refused.
pub async fn measure() -> Result<Footprint> {
    // Natively the program's `msg!` is a `println!`: create stdout's buffer
    // now, not inside the first metered instruction.
    let _ = std::io::stdout();
    let costs = walk::every_instruction().await?;
    assemble(&costs, &transactions::transaction_sizes())
}

/// Joins the walk's costs and the transaction sizes, one row per instruction.
pub fn assemble(
    costs: &BTreeMap<&'static str, InstructionCost>,
    sizes: &[TransactionSize],
) -> Result<Footprint> {
    let mut instructions = Vec::with_capacity(INSTRUCTIONS.len());
    for (name, _) in INSTRUCTIONS {
        let Some(cost) = costs.get(name) else {
            bail!("the walk never ran {name}");
        };
        if cost.heap_bytes == 0 {
            bail!(
                "{name} was not metered: the binary must install backstop_bank::heap::MeteredAllocator"
            );
        }
        // The largest of the instruction's shapes (resolve's isolated one).
        let Some(tx) = sizes
            .iter()
            .filter(|t| t.instruction == *name)
            .max_by_key(|t| t.bytes)
        else {
            bail!("no transaction is sized for {name}");
        };
        instructions.push(InstructionFootprint {
            name: name.to_string(),
            heap_bytes: cost.heap_bytes,
            heap_live_peak_bytes: cost.heap_live_peak_bytes,
            cpis: cost.cpis,
            depth_used: cost.depth_used,
            depth_left_for_host: (MAX_STACK_HEIGHT - 1).saturating_sub(cost.depth_used),
            accounts: tx.accounts,
            transaction_bytes: tx.bytes,
            transaction_budget_bytes: tx.sender.budget_bytes(),
            multisig_message_bytes: tx.multisig_message_bytes,
            left_for_multisig_wrapper: tx.multisig_message_bytes.map(|m| PACKET_BYTES - m),
            constant_in: constant_in(name).to_string(),
        });
    }
    Ok(Footprint {
        heap_budget_bytes: HEAP_BUDGET_BYTES,
        user_transaction_budget_bytes: USER_TX_BUDGET_BYTES,
        packet_bytes: PACKET_BYTES,
        instructions,
    })
}

impl Footprint {
    /// Every budget an instruction exceeds, as sentences.
    pub fn over_budget(&self) -> Vec<String> {
        let mut over = Vec::new();
        for i in &self.instructions {
            if i.heap_bytes > self.heap_budget_bytes {
                over.push(format!(
                    "{} allocates {} B of heap, over the {} B budget",
                    i.name, i.heap_bytes, self.heap_budget_bytes
                ));
            }
            if i.transaction_bytes > i.transaction_budget_bytes {
                over.push(format!(
                    "{}'s transaction is {} B, over its {} B budget",
                    i.name, i.transaction_bytes, i.transaction_budget_bytes
                ));
            }
            if i.depth_used >= MAX_STACK_HEIGHT {
                over.push(format!(
                    "{} uses {} levels of the instruction stack, leaving none for a host",
                    i.name, i.depth_used
                ));
            }
        }
        over
    }

    /// The per-instruction table of docs/performance.md, in Markdown.
    pub fn markdown(&self) -> String {
        let mut text = String::from(
            "| instruction | heap (B) | live peak (B) | CPIs | depth used | left for a host | accounts | tx bytes | tx budget | multisig message | left for the wrapper | constant in |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
        );
        let or_dash = |v: Option<usize>| v.map_or("–".to_string(), |v| v.to_string());
        for i in &self.instructions {
            text.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                i.name,
                i.heap_bytes,
                i.heap_live_peak_bytes,
                i.cpis,
                i.depth_used,
                i.depth_left_for_host,
                i.accounts,
                i.transaction_bytes,
                i.transaction_budget_bytes,
                or_dash(i.multisig_message_bytes),
                or_dash(i.left_for_multisig_wrapper),
                i.constant_in,
            ));
        }
        text
    }
}
