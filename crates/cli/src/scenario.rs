//! The scenario file format of SCENARIOS.md: parsing and validation. Every
//! refusal names the line and the reason.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde::de::{self, Deserializer};
use toml::Spanned;

/// An invalid scenario file: the line (1-based, 0 when unknown) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub line: usize,
    pub reason: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "line {}: {}", self.line, self.reason)
        } else {
            f.write_str(&self.reason)
        }
    }
}

/// A whole number that may be written as a TOML integer or, for values above
/// i64::MAX such as an unlimited cap, as a decimal string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Num(pub u128);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Str(String),
        }
        match Raw::deserialize(d)? {
            Raw::Int(i) if i >= 0 => Ok(Num(i as u128)),
            Raw::Int(i) => Err(de::Error::custom(format!("{i} is negative"))),
            Raw::Str(s) => s
                .replace('_', "")
                .parse::<u128>()
                .map(Num)
                .map_err(|_| de::Error::custom(format!("{s:?} is not a whole number"))),
        }
    }
}

impl Num {
    pub fn u64(self, what: &str) -> Result<u64, String> {
        u64::try_from(self.0).map_err(|_| format!("{what} {} does not fit in a u64", self.0))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolSpec {
    /// The `[[pool]]` entry's line (set after parsing).
    #[serde(skip)]
    pub line: usize,
    pub asset: String,
    #[serde(default = "default_decimals")]
    pub decimals: u8,
    pub cooldown: Option<Num>,
    pub window: Option<Num>,
    pub sweep_interval: Option<Num>,
    pub max_apr_bps: Option<Num>,
    pub protocol_cut_bps: Option<Num>,
    pub min_stake: Option<Num>,
    /// `"spl-token"` (default) or `"token-2022"`.
    pub token_program: Option<String>,
}

fn default_decimals() -> u8 {
    6
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketSpec {
    /// The `[[market]]` entry's line (set after parsing).
    #[serde(skip)]
    pub line: usize,
    pub name: String,
    pub kind: String,
    pub asset: String,
    pub cap: Option<Num>,
    #[serde(default)]
    pub isolated: bool,
    #[serde(default)]
    pub isolated_share_bps: u16,
    /// `"accounts"` (default) or `"aggregate"`.
    pub exposure: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalletSpec {
    pub who: String,
    pub asset: String,
    pub amount: Num,
}

/// One `[[step]]`: `do` names the action; the other fields are its arguments.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    #[serde(rename = "do")]
    pub action: String,
    pub who: Option<String>,
    pub by: Option<String>,
    pub asset: Option<String>,
    pub market: Option<String>,
    pub amount: Option<Num>,
    pub shares: Option<Num>,
    pub seconds: Option<Num>,
    pub base: Option<i64>,
    pub cap: Option<Num>,
    pub ops: Option<Vec<String>>,
    pub label: Option<String>,
    pub id: Option<Num>,
    pub to: Option<String>,
    pub expect: Option<String>,
    pub cooldown: Option<Num>,
    pub window: Option<Num>,
    pub sweep_interval: Option<Num>,
    pub max_apr_bps: Option<Num>,
    pub protocol_cut_bps: Option<Num>,
    pub min_stake: Option<Num>,
    /// `bankrupt` in an `aggregate` market: its total exposure.
    pub exposure: Option<Num>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    start: Option<i64>,
    governance_delay: Option<Num>,
    #[serde(default)]
    pool: Vec<Spanned<PoolSpec>>,
    #[serde(default)]
    market: Vec<Spanned<MarketSpec>>,
    #[serde(default)]
    wallet: Vec<Spanned<WalletSpec>>,
    #[serde(default)]
    step: Vec<Spanned<StepSpec>>,
}

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub start: i64,
    pub governance_delay: u64,
    pub pools: Vec<PoolSpec>,
    pub markets: Vec<MarketSpec>,
    pub wallets: Vec<WalletSpec>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub line: usize,
    pub spec: StepSpec,
}

pub const DEFAULT_START: i64 = 1_700_000_000;
pub const PAUSE_OPS: &[&str] = &[
    "stake",
    "request_unstake",
    "complete_unstake",
    "sweep",
    "premium",
    "operator",
    "resolve",
    "payout",
];

/// The fields each action needs (besides `do`, `by` and `expect`).
fn required(action: &str) -> Option<&'static [&'static str]> {
    Some(match action {
        "stake" => &["who", "asset", "amount"],
        "request_unstake" => &["who", "asset"],
        "cancel_unstake" | "complete_unstake" => &["who", "asset"],
        "advance" => &["seconds"],
        "mint" => &["who", "asset", "amount"],
        "revenue" | "donate" => &["asset", "amount"],
        "sweep" | "sync" => &["asset"],
        "premium" => &["market", "amount"],
        "deposit" | "withdraw" => &["market", "who", "amount"],
        "position" => &["market", "who", "base"],
        "bankrupt" => &["market", "who", "amount"],
        "resolve" => &["market", "who"],
        "set_cap" => &["market", "cap"],
        "set_pool" => &["asset"],
        "pause" | "unpause" => &["ops"],
        "propose_payout" => &["asset", "id", "to", "amount"],
        "execute_payout" | "cancel_payout" => &["asset", "id"],
        "cancel_change" | "freeze" | "unfreeze" => &["market"],
        "snapshot" => &["label"],
        _ => return None,
    })
}

fn has(spec: &StepSpec, field: &str) -> bool {
    match field {
        "who" => spec.who.is_some(),
        "asset" => spec.asset.is_some(),
        "market" => spec.market.is_some(),
        "amount" => spec.amount.is_some(),
        "seconds" => spec.seconds.is_some(),
        "base" => spec.base.is_some(),
        "cap" => spec.cap.is_some(),
        "ops" => spec.ops.is_some(),
        "label" => spec.label.is_some(),
        "id" => spec.id.is_some(),
        "to" => spec.to.is_some(),
        _ => false,
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| ScenarioError {
        line: e.span().map(|s| line_of(text, s.start)).unwrap_or(0),
        reason: e.message().to_string(),
    })?;
    let err = |offset: usize, reason: String| ScenarioError {
        line: line_of(text, offset),
        reason,
    };

    let mut assets = BTreeSet::new();
    let mut pools = Vec::new();
    for p in &raw.pool {
        let spec = p.get_ref();
        if !assets.insert(spec.asset.clone()) {
            return Err(err(
                p.span().start,
                format!("pool for asset {:?} is defined twice", spec.asset),
            ));
        }
        if let Some(program) = &spec.token_program
            && program != "spl-token"
            && program != "token-2022"
        {
            return Err(err(
                p.span().start,
                format!("token_program {program:?} is not \"spl-token\" or \"token-2022\""),
            ));
        }
        if spec.decimals > 18 {
            return Err(err(
                p.span().start,
                format!("decimals {} is above 18", spec.decimals),
            ));
        }
        pools.push(PoolSpec {
            line: line_of(text, p.span().start),
            ..spec.clone()
        });
    }
    let mut market_names = BTreeSet::new();
    let mut markets = Vec::new();
    for m in &raw.market {
        let spec = m.get_ref();
        if !market_names.insert(spec.name.clone()) {
            return Err(err(
                m.span().start,
                format!("market {:?} is defined twice", spec.name),
            ));
        }
        if spec.kind != "perp" && spec.kind != "lending" {
            return Err(err(
                m.span().start,
                format!("market kind {:?} is not \"perp\" or \"lending\"", spec.kind),
            ));
        }
        if !assets.contains(&spec.asset) {
            return Err(err(
                m.span().start,
                format!(
                    "market {:?} names asset {:?}, which has no [[pool]]",
                    spec.name, spec.asset
                ),
            ));
        }
        if let Some(cap) = spec.cap {
            cap.u64("cap").map_err(|e| err(m.span().start, e))?;
        }
        if let Some(mode) = &spec.exposure
            && mode != "accounts"
            && mode != "aggregate"
        {
            return Err(err(
                m.span().start,
                format!("exposure {mode:?} is not \"accounts\" or \"aggregate\""),
            ));
        }
        markets.push(MarketSpec {
            line: line_of(text, m.span().start),
            ..spec.clone()
        });
    }
    if markets.len() > u16::MAX as usize {
        return Err(err(0, "too many markets".into()));
    }
    let mut wallets = Vec::new();
    for w in &raw.wallet {
        let spec = w.get_ref();
        if !assets.contains(&spec.asset) {
            return Err(err(
                w.span().start,
                format!("wallet names asset {:?}, which has no [[pool]]", spec.asset),
            ));
        }
        spec.amount
            .u64("amount")
            .map_err(|e| err(w.span().start, e))?;
        wallets.push(spec.clone());
    }
    let mut steps = Vec::new();
    for s in &raw.step {
        let spec = s.get_ref();
        let at = s.span().start;
        let Some(fields) = required(&spec.action) else {
            return Err(err(at, format!("unknown step kind do = {:?}", spec.action)));
        };
        for f in fields {
            if !has(spec, f) {
                return Err(err(
                    at,
                    format!("step do = {:?} needs the field `{f}`", spec.action),
                ));
            }
        }
        if spec.action == "request_unstake" && spec.shares.is_none() && spec.amount.is_none() {
            return Err(err(
                at,
                "step do = \"request_unstake\" needs `shares` or `amount`".into(),
            ));
        }
        if let Some(asset) = &spec.asset
            && !assets.contains(asset)
        {
            return Err(err(at, format!("unknown asset {asset:?}")));
        }
        if let Some(market) = &spec.market
            && !market_names.contains(market)
        {
            return Err(err(at, format!("unknown market {market:?}")));
        }
        if let Some(ops) = &spec.ops {
            for op in ops {
                if !PAUSE_OPS.contains(&op.as_str()) {
                    return Err(err(
                        at,
                        format!(
                            "unknown operation {op:?} in ops (known: {})",
                            PAUSE_OPS.join(", ")
                        ),
                    ));
                }
            }
        }
        for (name, value) in [
            ("amount", spec.amount),
            ("cap", spec.cap),
            ("id", spec.id),
            ("seconds", spec.seconds),
        ] {
            if let Some(v) = value {
                v.u64(name).map_err(|e| err(at, e))?;
            }
        }
        if let Some(seconds) = spec.seconds
            && seconds.0 > i64::MAX as u128 / 2
        {
            return Err(err(at, "seconds is too large".into()));
        }
        steps.push(Step {
            line: line_of(text, at),
            spec: spec.clone(),
        });
    }
    let governance_delay = match raw.governance_delay {
        Some(d) => d.u64("governance_delay").map_err(|e| err(0, e))?,
        None => 0,
    };
    Ok(Scenario {
        start: raw.start.unwrap_or(DEFAULT_START),
        governance_delay,
        pools,
        markets,
        wallets,
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_quickstart_shape() {
        let s = parse(
            "start = 5\n[[pool]]\nasset = \"USDC\"\n[[market]]\nname = \"M\"\nkind = \"perp\"\nasset = \"USDC\"\ncap = \"18446744073709551615\"\n[[step]]\ndo = \"advance\"\nseconds = 10\n",
        )
        .unwrap();
        assert_eq!(s.start, 5);
        assert_eq!(s.pools[0].decimals, 6);
        assert_eq!(s.markets[0].cap, Some(Num(u64::MAX as u128)));
        assert_eq!(s.steps[0].line, 9);
    }

    #[test]
    fn names_the_line_and_the_reason() {
        let e = parse("[[pool]]\nasset = \"USDC\"\n\n[[step]]\ndo = \"fly\"\n").unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.reason.contains("unknown step kind"), "{}", e.reason);
        let e = parse(
            "[[pool]]\nasset = \"USDC\"\n[[step]]\ndo = \"stake\"\nwho = \"a\"\nasset = \"USDC\"\n",
        )
        .unwrap_err();
        assert!(e.reason.contains("`amount`"), "{}", e.reason);
        let e = parse("[[pool]]\nasset = \"USDC\"\nbogus = 1\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse("[[step]]\ndo = \"sweep\"\nasset = \"ETH\"\n").unwrap_err();
        assert!(e.reason.contains("unknown asset"), "{}", e.reason);
    }
}
