//! One `[[step]]` table as written, and its conversion into a typed [`Step`].

use std::collections::BTreeSet;

use backstop_client::pause;
use backstop_client::types::PoolParamsUpdate;
use serde::Deserialize;

use super::{Action, ChangeTarget, Num, PauseOps, Step, UnstakeSize};

/// A `[[step]]` as written: `do` names the action, the other fields are its
/// arguments (each action reads the ones it needs).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct StepSpec {
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
    /// `update_protocol`: the new delay; `cancel_change`: the protocol
    /// field whose change to cancel (`"governance_delay"` or `"guardian"`).
    pub governance_delay: Option<Num>,
    pub field: Option<String>,
    /// `check`: the figure's path and the text it must equal.
    pub figure: Option<String>,
    pub equals: Option<FigureText>,
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
    /// `transfer_fee`: the fee in basis points (0 to 10,000).
    pub fee_bps: Option<Num>,
    /// `transfer_hook`: set the tests' hook program (true) or clear it.
    pub hook: Option<bool>,
}

/// `check`'s `equals`: a figure as text, written as a number, a string
/// (numbers past i64, `none`) or a boolean.
#[derive(Debug, Clone, Default)]
pub(super) struct FigureText(pub String);

impl<'de> Deserialize<'de> for FigureText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Bool(bool),
            Str(String),
        }
        Ok(FigureText(match Raw::deserialize(d)? {
            Raw::Int(i) => i.to_string(),
            Raw::Bool(b) => b.to_string(),
            Raw::Str(s) => s.replace('_', ""),
        }))
    }
}

/// The assets and markets the file defines.
pub(super) struct Known<'a> {
    pub assets: &'a BTreeSet<String>,
    pub markets: &'a BTreeSet<String>,
}

/// Converts one step; the error is the reason (the caller adds the line).
/// A missing field is reported before an invalid one, and the first missing
/// field in the order the action reads them.
pub(super) fn parse_step(spec: &StepSpec, line: usize, known: &Known) -> Result<Step, String> {
    let mut fields = Fields {
        spec,
        missing: None,
    };
    let Some(action) = Action::parse(&spec.action, &mut fields) else {
        return Err(format!("unknown step kind do = {:?}", spec.action));
    };
    if let Some(missing) = fields.missing {
        return Err(missing);
    }
    validate(spec, known)?;
    Ok(Step {
        line,
        action,
        by: spec.by.clone(),
        expect: spec.expect.clone().unwrap_or_else(|| "ok".to_string()),
    })
}

/// Checks every field present, whichever action reads it.
fn validate(spec: &StepSpec, known: &Known) -> Result<(), String> {
    if let Some(asset) = &spec.asset
        && !known.assets.contains(asset)
    {
        return Err(format!("unknown asset {asset:?}"));
    }
    if let Some(market) = &spec.market
        && !known.markets.contains(market)
    {
        return Err(format!("unknown market {market:?}"));
    }
    if let Some(ops) = &spec.ops {
        for op in ops {
            if pause::flag(op).is_none() {
                return Err(format!(
                    "unknown operation {op:?} in ops (known: {})",
                    pause::known()
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
            v.u64(name)?;
        }
    }
    if let Some(bps) = spec.fee_bps
        && bps.0 > 10_000
    {
        return Err(format!("fee_bps {} is above 10,000", bps.0));
    }
    if let Some(seconds) = spec.seconds
        && seconds.0 > i64::MAX as u128 / 2
    {
        return Err("seconds is too large".into());
    }
    Ok(())
}

/// Reads a step's fields for [`Action::parse`]. A missing field is noted (the
/// first one is the error) and read as a placeholder; values are range-checked
/// by `validate` before the action is used.
pub(super) struct Fields<'a> {
    spec: &'a StepSpec,
    missing: Option<String>,
}

impl Fields<'_> {
    fn need<T: Default>(&mut self, field: &str, value: Option<T>) -> T {
        value.unwrap_or_else(|| {
            self.note_missing(format!(
                "step do = {:?} needs the field `{field}`",
                self.spec.action
            ));
            T::default()
        })
    }

    fn note_missing(&mut self, reason: String) {
        self.missing.get_or_insert(reason);
    }

    fn need_u64(&mut self, field: &str, value: Option<Num>) -> u64 {
        let n = self.need(field, value.map(|n| n.0));
        u64::try_from(n).unwrap_or_default()
    }

    pub fn who(&mut self) -> String {
        self.need("who", self.spec.who.clone())
    }

    pub fn asset(&mut self) -> String {
        self.need("asset", self.spec.asset.clone())
    }

    pub fn market(&mut self) -> String {
        self.need("market", self.spec.market.clone())
    }

    /// `cancel_change`: a `market` (its cap raise) or an `asset` (its pool's
    /// parameter change).
    pub fn change_target(&mut self) -> ChangeTarget {
        match (
            &self.spec.market,
            &self.spec.asset,
            self.spec.field.as_deref(),
        ) {
            (Some(market), ..) => ChangeTarget::Market(market.clone()),
            (None, Some(asset), _) => ChangeTarget::Pool(asset.clone()),
            (None, None, Some("governance_delay")) => ChangeTarget::GovernanceDelay,
            (None, None, Some("guardian")) => ChangeTarget::Guardian,
            (None, None, _) => {
                self.note_missing(format!(
                    "step do = {:?} needs the field `market`, `asset`, or `field` = \"governance_delay\" or \"guardian\"",
                    self.spec.action
                ));
                ChangeTarget::Market(String::new())
            }
        }
    }

    pub fn governance_delay(&mut self) -> u64 {
        self.need_u64("governance_delay", self.spec.governance_delay)
    }

    pub fn to(&mut self) -> String {
        self.need("to", self.spec.to.clone())
    }

    pub fn label(&mut self) -> String {
        self.need("label", self.spec.label.clone())
    }

    pub fn figure(&mut self) -> String {
        self.need("figure", self.spec.figure.clone())
    }

    pub fn equals(&mut self) -> String {
        let equals = self.spec.equals.as_ref().map(|t| t.0.clone());
        self.need("equals", equals)
    }

    pub fn amount(&mut self) -> u64 {
        self.need_u64("amount", self.spec.amount)
    }

    pub fn seconds(&mut self) -> u64 {
        self.need_u64("seconds", self.spec.seconds)
    }

    pub fn cap(&mut self) -> u64 {
        self.need_u64("cap", self.spec.cap)
    }

    /// `wrap`: the shares to wrap.
    pub fn shares(&mut self) -> u128 {
        self.need("shares", self.spec.shares.map(|n| n.0))
    }

    pub fn id(&mut self) -> u64 {
        self.need_u64("id", self.spec.id)
    }

    pub fn base(&mut self) -> i64 {
        self.need("base", self.spec.base)
    }

    /// `transfer_fee`: checked to be at most 10,000 by `validate`.
    pub fn fee_bps(&mut self) -> u16 {
        self.need("fee_bps", self.spec.fee_bps.map(|n| n.0.min(10_000) as u16))
    }

    pub fn hook(&mut self) -> bool {
        self.need("hook", self.spec.hook)
    }

    /// Optional: an aggregate market's exposure.
    pub fn exposure(&mut self) -> Option<u128> {
        self.spec.exposure.map(|n| n.0)
    }

    /// `shares` when given, else `amount`; one of them is needed.
    pub fn unstake_size(&mut self) -> UnstakeSize {
        match (self.spec.shares, self.spec.amount) {
            (Some(shares), _) => UnstakeSize::Shares(shares.0),
            (None, Some(amount)) => UnstakeSize::Amount(u64::try_from(amount.0).unwrap_or(0)),
            (None, None) => {
                self.note_missing(format!(
                    "step do = {:?} needs `shares` or `amount`",
                    self.spec.action
                ));
                UnstakeSize::Shares(0)
            }
        }
    }

    pub fn ops(&mut self) -> PauseOps {
        let names = self.need("ops", self.spec.ops.clone());
        PauseOps {
            flags: pause::flags(&names).unwrap_or_default(),
            names,
        }
    }

    /// `set_pool`'s parameters: each one given is changed.
    pub fn pool_update(&mut self) -> PoolParamsUpdate {
        // Wider values are cut to 64 bits, as the simulator always did.
        let v = |n: Option<Num>| n.map(|x| x.0 as u64);
        let s = self.spec;
        PoolParamsUpdate {
            cooldown: v(s.cooldown),
            window: v(s.window),
            sweep_interval: v(s.sweep_interval),
            max_apr_bps: v(s.max_apr_bps),
            protocol_cut_bps: v(s.protocol_cut_bps),
            min_stake: v(s.min_stake),
        }
    }
}
