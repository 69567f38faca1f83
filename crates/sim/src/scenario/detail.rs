//! The readable report's detail column: a step's fields as `key=value`, in
//! one fixed order whatever the action.

use super::{Action, Step};
use crate::units::Units;

impl Step {
    /// [`Step::describe`], with amounts and caps in their asset's units.
    pub fn describe_in(&self, units: &Units) -> String {
        match &self.action {
            Action::Snapshot { .. } | Action::Check { .. } => self.describe(),
            _ => {
                let mut detail = self.action.detail();
                detail.by = self.by.as_deref();
                detail.units = Some(units);
                detail.to_string()
            }
        }
    }

    /// What the step is about, for the readable report: its fields as
    /// `key=value` in a fixed order, or a snapshot's label.
    pub fn describe(&self) -> String {
        match &self.action {
            Action::Snapshot { label } => return label.clone(),
            Action::Check { figure, equals } => return format!("{figure} = {equals}"),
            _ => {}
        }
        let mut detail = self.action.detail();
        detail.by = self.by.as_deref();
        detail.to_string()
    }
}

/// A step's fields as the readable report lists them, always in this order.
#[derive(Default)]
pub(super) struct Detail<'a> {
    pub(super) who: Option<&'a str>,
    pub(super) market: Option<&'a str>,
    pub(super) asset: Option<&'a str>,
    pub(super) by: Option<&'a str>,
    pub(super) to: Option<&'a str>,
    pub(super) amount: Option<u64>,
    pub(super) shares: Option<u128>,
    pub(super) seconds: Option<u64>,
    pub(super) cap: Option<u64>,
    pub(super) id: Option<u64>,
    pub(super) exposure: Option<u128>,
    pub(super) base: Option<i64>,
    pub(super) ops: Option<&'a [String]>,
    pub(super) fee_bps: Option<u16>,
    pub(super) hook: Option<bool>,
    /// When set, `amount` and `cap` show in the asset's units.
    pub(super) units: Option<&'a Units>,
}

impl<'a> Detail<'a> {
    pub(super) fn who(self, who: &'a str) -> Self {
        Detail {
            who: Some(who),
            ..self
        }
    }

    pub(super) fn market(self, market: &'a str) -> Self {
        Detail {
            market: Some(market),
            ..self
        }
    }

    pub(super) fn asset(self, asset: &'a str) -> Self {
        Detail {
            asset: Some(asset),
            ..self
        }
    }

    pub(super) fn amount(self, amount: u64) -> Self {
        Detail {
            amount: Some(amount),
            ..self
        }
    }

    pub(super) fn id(self, id: u64) -> Self {
        Detail {
            id: Some(id),
            ..self
        }
    }
}

impl std::fmt::Display for Detail<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        let texts = [
            ("who", self.who),
            ("market", self.market),
            ("asset", self.asset),
            ("by", self.by),
            ("to", self.to),
        ];
        for (key, value) in texts {
            if let Some(value) = value {
                parts.push(format!("{key}={value}"));
            }
        }
        let numbers = [
            ("amount", self.amount.map(u128::from)),
            ("shares", self.shares),
            ("seconds", self.seconds.map(u128::from)),
            ("cap", self.cap.map(u128::from)),
            ("id", self.id.map(u128::from)),
            ("exposure", self.exposure),
            ("fee_bps", self.fee_bps.map(u128::from)),
        ];
        let asset = self.asset.or_else(|| {
            let units = self.units?;
            units.asset_of_market(self.market?)
        });
        for (key, value) in numbers {
            let Some(value) = value else {
                continue;
            };
            let shown = match (key, self.units, asset, u64::try_from(value)) {
                ("cap", Some(_), _, Ok(u64::MAX)) => "unlimited".to_string(),
                ("amount" | "cap", Some(units), Some(asset), Ok(v)) => units.show(v, asset),
                _ => value.to_string(),
            };
            parts.push(format!("{key}={shown}"));
        }
        if let Some(base) = self.base {
            parts.push(format!("base={base}"));
        }
        if let Some(ops) = self.ops {
            parts.push(format!("ops={}", ops.join("+")));
        }
        if let Some(hook) = self.hook {
            parts.push(format!("hook={hook}"));
        }
        f.write_str(&parts.join(" "))
    }
}
