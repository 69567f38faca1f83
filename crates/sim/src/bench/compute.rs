//! Compute units on the SBF VM (`backstop bench --sbf`): every user, keeper
//! and operator instruction in the shapes it takes on a cluster, on SPL Token
//! and on Token-2022, run as a scenario through the simulator on
//! `target/deploy/backstop.so`; and the calls a host makes by CPI
//! ([`host`]). Compute units are deterministic for a given `.so`, so a
//! figure that grows is a regression ([`super::compare`]).

use anyhow::{Result, bail};
use serde::{Deserialize, Serialize};

use crate::scenario;
use crate::sim::Simulator;
use shapes::{SETUP, STEPS};

pub mod host;
mod shapes;

/// What one user, keeper or operator instruction may cost.
pub const INSTRUCTION_BUDGET_CU: u64 = 50_000;
/// What a host's own instruction that calls Backstop by CPI may cost.
pub const HOST_BUDGET_CU: u64 = 200_000;
/// The ceiling of the one shape outside [`INSTRUCTION_BUDGET_CU`]: the first
/// `wrap` of a pool's epoch sent alone, by a client that skips
/// `create_receipt_mint` and the receipt account's creation, so that the wrap
/// creates the epoch's receipt mint (a Token-2022 mint with MetadataPointer
/// and TokenMetadata) and the holder's receipt account itself
/// (docs/protocol.md §4.9). Backstop's clients send those two first
/// (`ix::wrap_setup`), and then every instruction of the wrap's transaction
/// is held to the 50,000.
pub const FIRST_WRAP_BUDGET_CU: u64 = 75_000;

/// Who sends an instruction, which sets its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Caller {
    User,
    Keeper,
    Operator,
    Governance,
    /// A host program's instruction that calls Backstop by CPI.
    Host,
}

impl Caller {
    /// The budget held by the tests; governance has none (a multisig sends it
    /// rarely and sets its own limit).
    pub fn budget(self) -> Option<u64> {
        match self {
            Caller::User | Caller::Keeper | Caller::Operator => Some(INSTRUCTION_BUDGET_CU),
            Caller::Host => Some(HOST_BUDGET_CU),
            Caller::Governance => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Caller::User => "user",
            Caller::Keeper => "keeper",
            Caller::Operator => "operator",
            Caller::Governance => "governance",
            Caller::Host => "host (CPI)",
        }
    }
}

/// One measured shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShapeUnits {
    /// The shape, e.g. `stake, inline sweep`.
    pub shape: String,
    /// The Backstop instruction it runs (for a host: the host's instruction).
    pub instruction: String,
    /// `spl-token` or `token-2022`.
    pub token_program: String,
    pub caller: Caller,
    pub compute_units: u64,
    pub budget: Option<u64>,
    /// The most heap one Backstop call took, from the heap-probe build
    /// (`sbf/build --heap-probe`); absent without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heap_bytes: Option<u64>,
}

/// Every shape's compute units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputeUnits {
    /// The `.so` measured: its size and SHA-256.
    pub program_bytes: u64,
    pub program_sha256: String,
    pub shapes: Vec<ShapeUnits>,
}

/// Measures every shape on the SBF VM, whatever mode the process's banks are
/// in (it is restored after), with the `.so` the bank loads.
pub async fn measure() -> Result<ComputeUnits> {
    let path = backstop_bank::sbf_dir().join("backstop.so");
    let elf = std::fs::read(&path).map_err(|e| {
        anyhow::anyhow!(
            "compute units need the SBF build: {} ({e}); run `sbf/build --with-test-programs`",
            path.display()
        )
    })?;
    let runner = backstop_bank::vm_binary();
    if !runner.exists() {
        bail!(
            "compute units need the VM runner {}: run `sbf/build --with-test-programs`",
            runner.display()
        );
    }
    let was_sbf = backstop_bank::sbf();
    backstop_bank::use_sbf(true);
    let shapes = measure_all().await;
    backstop_bank::use_sbf(was_sbf);
    backstop_bank::use_sbf_dir(None);
    Ok(ComputeUnits {
        program_bytes: elf.len() as u64,
        program_sha256: sha256_hex(&elf),
        shapes: shapes?,
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every shape, then the heap of the scenario's shapes from the heap-probe
/// build if `sbf/build --heap-probe` wrote it (its compute units include the
/// probe's own log line, so only its heap is taken).
async fn measure_all() -> Result<Vec<ShapeUnits>> {
    let mut shapes = measure_scenario_shapes().await?;
    shapes.extend(host::measure_host_shapes().await?);
    let probe = backstop_bank::sbf_dir().join(HEAP_PROBE_DIR);
    if probe.join("backstop.so").exists() {
        eprintln!("heap: the shapes again on the heap-probe build…");
        backstop_bank::use_sbf_dir(Some(probe));
        let probed = measure_scenario_shapes().await?;
        for p in probed {
            if let Some(s) = shapes
                .iter_mut()
                .find(|s| s.shape == p.shape && s.token_program == p.token_program)
            {
                s.heap_bytes = p.heap_bytes;
            }
        }
    }
    Ok(shapes)
}

/// Where `sbf/build --heap-probe` writes the heap-probe build, under the
/// folder of the `.so` files.
pub const HEAP_PROBE_DIR: &str = "heap-probe";

/// The token programs every shape runs on.
pub const TOKEN_PROGRAMS: [&str; 2] = ["spl-token", "token-2022"];

/// The shapes scenario for `token_program`, and the index of each measured step.
fn shapes_scenario(token_program: &str) -> String {
    let mut text = SETUP.replace("TOKEN", token_program);
    for step in STEPS {
        text.push_str("\n[[step]]\n");
        text.push_str(step.toml);
        text.push('\n');
    }
    text
}

/// Runs the shapes on the SBF VM: the process's banks must be on it
/// (`backstop_bank::use_sbf(true)`).
pub async fn measure_scenario_shapes() -> Result<Vec<ShapeUnits>> {
    let mut out = Vec::new();
    for token_program in TOKEN_PROGRAMS {
        let text = shapes_scenario(token_program);
        let parsed = scenario::parse(&text)
            .map_err(|e| anyhow::anyhow!("the shapes scenario ({token_program}): {e}"))?;
        let report = Simulator::new(parsed).await?.run().await?;
        for (step, report) in STEPS.iter().zip(&report.steps) {
            let Some(shape) = step.shape else { continue };
            if !report.ok {
                bail!(
                    "shape `{shape}` ({token_program}) was refused: {}",
                    report.error.clone().unwrap_or_default()
                );
            }
            let Some(units) = report.compute_units else {
                bail!("shape `{shape}` ran natively: compute units come from the SBF VM");
            };
            out.push(ShapeUnits {
                shape: shape.to_string(),
                instruction: backstop_instruction(report.action.as_str()).to_string(),
                token_program: token_program.to_string(),
                caller: step.caller,
                compute_units: units,
                budget: step.budget.or(step.caller.budget()),
                heap_bytes: report.heap_bytes,
            });
        }
    }
    Ok(out)
}

/// The program's instruction a scenario action sends.
fn backstop_instruction(action: &str) -> &str {
    match action {
        "sweep" => "sweep_revenue",
        "sync" => "sync_vault",
        "premium" => "pay_premium",
        "deposit" => "record_deposit",
        "withdraw" => "record_withdrawal",
        "position" => "record_position",
        "bankrupt" => "record_bankruptcy",
        "resolve" => "resolve_bankruptcy",
        other => other,
    }
}

impl ComputeUnits {
    /// Shapes over their budget, one line each.
    pub fn over_budget(&self) -> Vec<String> {
        self.shapes
            .iter()
            .filter_map(|s| {
                let budget = s.budget?;
                (s.compute_units > budget).then(|| {
                    format!(
                        "{} ({}): {} CU, budget {} CU",
                        s.shape, s.token_program, s.compute_units, budget
                    )
                })
            })
            .collect()
    }

    /// The table of docs/performance.md: one row per shape, a column per
    /// token program.
    pub fn markdown(&self) -> String {
        let mut text = format!(
            "Measured on the SBF VM (LiteSVM, agave 4.2) running `target/deploy/backstop.so` \
             ({} bytes, SHA-256 `{}`). Budgets: {} CU for a user, keeper or operator \
             instruction (the first wrap of an epoch sent alone, without `create_receipt_mint`: {} CU), {} CU for a host's \
             instruction that calls Backstop by CPI. Heap: the most one call took of the \
             32 KiB, from the heap-probe build (SPL Token / Token-2022; – without it).\n\n\
             | shape | instruction | caller | SPL Token CU | Token-2022 CU | budget | heap (B) |\n\
             |---|---|---|---:|---:|---:|---:|\n",
            self.program_bytes,
            self.program_sha256,
            INSTRUCTION_BUDGET_CU,
            FIRST_WRAP_BUDGET_CU,
            HOST_BUDGET_CU
        );
        let mut seen: Vec<&str> = Vec::new();
        for s in &self.shapes {
            if seen.contains(&s.shape.as_str()) {
                continue;
            }
            seen.push(&s.shape);
            let find = |program: &str| {
                self.shapes
                    .iter()
                    .find(|t| t.shape == s.shape && t.token_program == program)
            };
            let on = |program: &str| {
                find(program).map_or("–".to_string(), |t| t.compute_units.to_string())
            };
            let heap = |program: &str| {
                find(program)
                    .and_then(|t| t.heap_bytes)
                    .map_or("–".to_string(), |h| h.to_string())
            };
            text.push_str(&format!(
                "| {} | `{}` | {} | {} | {} | {} | {} / {} |\n",
                s.shape,
                s.instruction,
                s.caller.name(),
                on("spl-token"),
                on("token-2022"),
                s.budget.map_or("–".to_string(), |b| b.to_string()),
                heap("spl-token"),
                heap("token-2022"),
            ));
        }
        text
    }
}
