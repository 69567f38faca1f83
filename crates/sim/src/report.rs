//! The JSON report of docs/scenarios.md and its readable form.

use serde::Serialize;
use serde_json::{Map, Value};

/// How one step went.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub index: usize,
    #[serde(rename = "do")]
    pub action: String,
    pub ok: bool,
    pub error: Option<String>,
    pub met_expectation: bool,
    /// Not in the JSON: what the step was about, for the readable table.
    #[serde(skip)]
    pub detail: String,
    #[serde(skip)]
    pub expect: String,
    /// Not in the JSON: the step's line in the scenario file.
    #[serde(skip)]
    pub line: usize,
    /// Not in the JSON: how long the step took, microseconds.
    #[serde(skip)]
    pub micros: u64,
    /// On the SBF VM only (`--sbf`, `BACKSTOP_SBF=1`): the compute units of
    /// the step's transaction, refused or not (0 for a step that sends none,
    /// such as `advance`). Natively absent: the native build's figure says
    /// nothing about the program on chain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compute_units: Option<u64>,
    /// Not in the JSON: on the heap-probe build only (`sbf/build
    /// --heap-probe`), the most heap one Backstop call of the step's
    /// transaction took.
    #[serde(skip)]
    pub heap_bytes: Option<u64>,
}

/// The most heap a Backstop call took in a transaction, from the lines the
/// heap-probe build logs (`None` from any other build).
pub fn probed_heap(logs: &[String]) -> Option<u64> {
    let prefix = format!("Program log: {}", backstop_client::types::HEAP_PROBE_LOG);
    logs.iter()
        .filter_map(|l| l.strip_prefix(prefix.as_str()))
        .filter_map(|rest| rest.trim_end_matches(" bytes").parse::<u64>().ok())
        .max()
}

/// The state of everything at one moment (`final` or a snapshot).
#[derive(Debug, Clone, Serialize, Default)]
pub struct World {
    pub time: i64,
    pub pools: Map<String, Value>,
    pub stakes: Map<String, Value>,
    pub markets: Map<String, Value>,
    pub lenders: Map<String, Value>,
    pub positions: Map<String, Value>,
    pub wallets: Map<String, Value>,
}

/// One resolved bankruptcy, for the chart's waterfall bars.
#[derive(Debug, Clone)]
pub struct Waterfall {
    pub step: usize,
    pub market: String,
    pub debtor: String,
    pub paid: u64,
    pub socialised: u64,
    pub unrecovered: u64,
}

/// Each pool's assets and share price after a step, for the chart.
#[derive(Debug, Clone)]
pub struct PoolPoint {
    pub step: usize,
    pub asset: String,
    pub assets: u64,
    /// Price of one share, scaled by 10⁹.
    pub price_e9: u128,
}

/// What a run produced: the steps, the snapshots and the final state (the
/// JSON), and the chart's data.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub steps: Vec<StepReport>,
    pub snapshots: Map<String, Value>,
    #[serde(rename = "final")]
    pub final_state: World,
    #[serde(skip)]
    pub waterfalls: Vec<Waterfall>,
    #[serde(skip)]
    pub series: Vec<PoolPoint>,
    /// How the readable report shows amounts (not in the JSON).
    #[serde(skip)]
    pub units: crate::units::Units,
}

impl Report {
    pub fn all_met(&self) -> bool {
        self.steps.iter().all(|s| s.met_expectation)
    }

    /// The JSON report of docs/scenarios.md, pretty-printed, with a final newline.
    pub fn to_json(&self) -> String {
        format!(
            "{}\n",
            serde_json::to_string_pretty(self).expect("report serialises")
        )
    }

    /// The readable report: a table of steps, then the final state; `file`
    /// is the scenario's name as the heading shows it.
    pub fn render(&self, file: &str) -> String {
        let mut out = String::new();
        out.push_str(&format!("backstop simulate {file}\n\n"));
        // The compute units column only when the run was on the SBF VM.
        let sbf = self.steps.iter().any(|s| s.compute_units.is_some());
        let cu_head = if sbf {
            format!("{:>9} ", "CU")
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{:>4} {:>5}  {:<17} {:<56} {:<24} {cu_head}{}\n",
            "#", "line", "step", "detail", "result", "expected"
        ));
        out.push_str(&format!("{}\n", "-".repeat(118 + cu_head.len())));
        for s in &self.steps {
            let result = if s.ok {
                "ok".to_string()
            } else {
                format!("refused: {}", s.error.clone().unwrap_or_default())
            };
            let mark = if s.met_expectation {
                "✓"
            } else {
                "✗ MISMATCH"
            };
            let cu = match s.compute_units {
                Some(cu) => format!("{cu:>9} "),
                None => String::new(),
            };
            out.push_str(&format!(
                "{:>4} {:>5}  {:<17} {:<56} {:<24} {cu}{} {}\n",
                s.index,
                s.line,
                s.action,
                truncate(&s.detail, 56),
                truncate(&result, 24),
                s.expect,
                mark
            ));
        }
        if sbf {
            let units: Vec<u64> = self.steps.iter().filter_map(|s| s.compute_units).collect();
            let sent = units.iter().filter(|u| **u > 0).count();
            out.push_str(&format!(
                "\nOn the SBF VM: {} compute units over the {sent} steps that sent a transaction \
                 (largest {}).\n",
                units.iter().sum::<u64>(),
                units.iter().max().copied().unwrap_or(0)
            ));
        }
        let w = &self.final_state;
        let units = &self.units;
        // an amount of `asset` (or of a market's asset) as people read it
        let of = |v: &Value, asset: &str| match v.as_u64() {
            Some(n) => units.show(n, asset),
            None => str_of(v),
        };
        let in_market = |v: &Value, market: &str| match v.as_u64() {
            Some(n) => units.show_in_market(n, market),
            None => str_of(v),
        };
        let second = |key: &str| key.split_once('/').map_or(String::new(), |(_, b)| b.into());
        let first = |key: &str| key.split_once('/').map_or(String::new(), |(a, _)| a.into());
        out.push_str(&format!(
            "\nFinal state at t = {} (amounts in each asset's units; the JSON report has base units)\n\nPools\n",
            w.time
        ));
        out.push_str(&format!(
            "  {:<8} {:>26} {:>26} {:>6} {:>26} {:>22} {:>20}\n",
            "asset", "assets (A)", "shares (S)", "epoch", "vault", "revenue", "treasury shares"
        ));
        for (name, p) in &w.pools {
            out.push_str(&format!(
                "  {:<8} {:>26} {:>26} {:>6} {:>26} {:>22} {:>20}\n",
                name,
                of(&p["assets"], name),
                str_of(&p["total_shares"]),
                str_of(&p["epoch"]),
                of(&p["vault_balance"], name),
                of(&p["revenue_balance"], name),
                str_of(&p["treasury_shares"])
            ));
        }
        if !w.stakes.is_empty() {
            out.push_str("\nStakes\n");
            for (name, s) in &w.stakes {
                let asset = second(name);
                let request = match &s["request"] {
                    Value::Null => String::from("-"),
                    r => format!(
                        "{} shares worth {} since t={}",
                        str_of(&r["shares"]),
                        of(&r["value"], &asset),
                        r["ts"]
                    ),
                };
                out.push_str(&format!(
                    "  {:<22} shares {:>24}  value {:>26}  request {}\n",
                    name,
                    str_of(&s["shares"]),
                    of(&s["value"], &asset),
                    request
                ));
            }
        }
        if !w.markets.is_empty() {
            out.push_str("\nMarkets\n");
            for (name, m) in &w.markets {
                let cap = if m["cap"].as_u64() == Some(u64::MAX) {
                    "unlimited".to_string()
                } else {
                    in_market(&m["cap"], name)
                };
                out.push_str(&format!(
                    "  {:<12} {:<8} cap {:>24}  used {:>22}  socialised {:>22}  unrecovered {:>20}  I {:>20}  K {:>26}  OI {:>14}\n",
                    name,
                    str_of(&m["kind"]),
                    cap,
                    in_market(&m["insurance_used"], name),
                    in_market(&m["socialised"], name),
                    in_market(&m["unrecovered"], name),
                    str_of(&m["deposit_index"]),
                    str_of(&m["loss_index"]),
                    str_of(&m["open_interest"])
                ));
            }
        }
        for (title, map, field) in [
            ("Lenders", &w.lenders, "balance"),
            ("Positions", &w.positions, "owed"),
        ] {
            if !map.is_empty() {
                out.push_str(&format!("\n{title}\n"));
                for (name, v) in map {
                    let market = first(name);
                    if title == "Positions" {
                        out.push_str(&format!(
                            "  {:<22} base {:>16}  owed {:>22}\n",
                            name,
                            str_of(&v["base"]),
                            in_market(&v[field], &market)
                        ));
                    } else {
                        out.push_str(&format!(
                            "  {:<22} balance {:>26}\n",
                            name,
                            in_market(&v[field], &market)
                        ));
                    }
                }
            }
        }
        if !w.wallets.is_empty() {
            out.push_str("\nWallets\n");
            for (name, v) in &w.wallets {
                // `ASSET` and `ASSET.receipts` (receipts have the asset's decimals)
                let part = |(key, amount): (&String, &Value)| match key.split_once('.') {
                    Some((asset, kind)) => format!("{} {kind}", of(amount, asset)),
                    None => of(amount, key),
                };
                let parts: Vec<String> = v
                    .as_object()
                    .map(|o| o.iter().map(part).collect())
                    .unwrap_or_default();
                out.push_str(&format!("  {:<22} {}\n", name, parts.join(", ")));
            }
        }
        let missed = self.steps.iter().filter(|s| !s.met_expectation).count();
        out.push_str(&format!(
            "\n{} steps, {} met their expectation, {} did not.\n",
            self.steps.len(),
            self.steps.len() - missed,
            missed
        ));
        out
    }
}

fn str_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let t: String = s.chars().take(n - 1).collect();
        format!("{t}…")
    }
}
