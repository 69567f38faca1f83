//! The scenario file format of docs/scenarios.md: parsing and validation into a
//! [`Scenario`] whose steps carry typed [`Action`]s. Every refusal names the
//! line and the reason.

use std::collections::BTreeSet;

use backstop_client::types::{ExposureMode, MarketKind};
use serde::Deserialize;
use serde::de::{self, Deserializer};
use toml::Spanned;

mod action;
mod detail;
mod instruction;
mod names;
mod step;
#[cfg(test)]
mod tests;

pub use action::{Action, ChangeTarget, PauseOps, Step, UnstakeSize};

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

impl std::error::Error for ScenarioError {}

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

/// One `[[pool]]`: omitted parameters take the program's defaults.
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
    /// Token-2022 only: the mint's extensions an issuer can use against the
    /// fund (docs/scenarios.md, `[[pool]]`); the pool opts in to each.
    #[serde(default)]
    pub extensions: Vec<MintFeature>,
}

/// A Token-2022 mint extension a scenario's pool can carry, each the power
/// of the mint's issuer (the bank's mint authority).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MintFeature {
    /// The issuer can take tokens from any account: `seize`.
    PermanentDelegate,
    /// A transfer fee, 0 at creation: `transfer_fee` sets it.
    TransferFee,
    /// A hook with an authority and no program: `transfer_hook` sets one.
    TransferHook,
}

impl MintFeature {
    /// The opt-ins `create_pool` needs for a mint with `features`.
    pub fn opt_ins(features: &[MintFeature]) -> backstop_client::types::MintOptIns {
        backstop_client::types::MintOptIns {
            permanent_delegate: features.contains(&MintFeature::PermanentDelegate),
            transfer_hook: features.contains(&MintFeature::TransferHook),
        }
    }

    /// How the simulator refuses an issuer's step on `asset`'s mint when the
    /// mint lacks this power (a shrunk reproduction expects the same text).
    pub fn missing_on(self, asset: &str) -> String {
        let power = match self {
            MintFeature::PermanentDelegate => "permanent delegate",
            MintFeature::TransferFee => "transfer fee",
            MintFeature::TransferHook => "transfer hook",
        };
        format!("the mint of {asset} has no {power}")
    }
}

impl PoolSpec {
    /// A pool of `asset` with 6 decimals and the program's default
    /// parameters, as a `[[pool]]` naming only its asset (for generated
    /// scenarios).
    pub fn new(asset: &str) -> PoolSpec {
        PoolSpec {
            line: 0,
            asset: asset.to_string(),
            decimals: default_decimals(),
            cooldown: None,
            window: None,
            sweep_interval: None,
            max_apr_bps: None,
            protocol_cut_bps: None,
            min_stake: None,
            token_program: None,
            extensions: Vec::new(),
        }
    }

    /// Whether the pool's mint carries `feature`.
    pub fn has(&self, feature: MintFeature) -> bool {
        self.extensions.contains(&feature)
    }

    /// Whether the pool's mint is a Token-2022 mint (validated when parsed).
    pub fn is_token_2022(&self) -> bool {
        self.token_program.as_deref() == Some("token-2022")
    }
}

fn default_decimals() -> u8 {
    6
}

/// One `[[market]]`: markets get indexes 0, 1, … in file order.
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

impl MarketSpec {
    /// The market's kind (`"perp"` or `"lending"`, validated when parsed).
    pub fn market_kind(&self) -> MarketKind {
        if self.kind == "perp" {
            MarketKind::Perp
        } else {
            MarketKind::Lending
        }
    }

    /// How the market reports its exposure (validated when parsed).
    pub fn exposure_mode(&self) -> ExposureMode {
        match self.exposure.as_deref() {
            Some("aggregate") => ExposureMode::Aggregate,
            _ => ExposureMode::Accounts,
        }
    }
}

/// One `[[wallet]]`: tokens minted to a named user before step 0.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalletSpec {
    pub who: String,
    pub asset: String,
    pub amount: Num,
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
    step: Vec<Spanned<step::StepSpec>>,
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

/// The clock when a scenario does not say `start`.
pub const DEFAULT_START: i64 = 1_700_000_000;

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

/// Parses and validates a scenario file.
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
        if !spec.extensions.is_empty() && !spec.is_token_2022() {
            return Err(err(
                p.span().start,
                "extensions need token_program = \"token-2022\"".to_string(),
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
    let known = step::Known {
        assets: &assets,
        markets: &market_names,
    };
    let mut steps = Vec::new();
    for s in &raw.step {
        let at = s.span().start;
        let step = step::parse_step(s.get_ref(), line_of(text, at), &known)
            .map_err(|reason| err(at, reason))?;
        steps.push(step);
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
