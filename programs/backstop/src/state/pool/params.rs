//! A pool's governance parameters and a change to some of them.

use anchor_lang::prelude::*;

use crate::errors::BackstopError;
use backstop_core::params::{DEFAULT_POOL_PARAMS, ParamOutOfBounds, PoolParamValues};

/// A pool's governance parameters (docs/protocol.md §3).
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolParams {
    /// Seconds between an unstake request and its completion.
    pub cooldown: u64,
    /// Seconds after the cooldown in which an unstake must complete; 0 = no limit.
    pub window: u64,
    /// Minimum seconds between sweeps.
    pub sweep_interval: u64,
    /// Cap on staker revenue per sweep, basis points per year; 0 = uncapped.
    pub max_apr_bps: u64,
    /// Share of each sweep minted to the treasury, basis points.
    pub protocol_cut_bps: u64,
    /// Smallest stake, base units.
    pub min_stake: u64,
}

impl Default for PoolParams {
    fn default() -> Self {
        PoolParams::from(DEFAULT_POOL_PARAMS)
    }
}

impl From<PoolParamValues> for PoolParams {
    fn from(v: PoolParamValues) -> Self {
        PoolParams {
            cooldown: v.cooldown,
            window: v.window,
            sweep_interval: v.sweep_interval,
            max_apr_bps: v.max_apr_bps,
            protocol_cut_bps: v.protocol_cut_bps,
            min_stake: v.min_stake,
        }
    }
}

impl PoolParams {
    fn values(&self) -> PoolParamValues {
        PoolParamValues {
            cooldown: self.cooldown,
            window: self.window,
            sweep_interval: self.sweep_interval,
            max_apr_bps: self.max_apr_bps,
            protocol_cut_bps: self.protocol_cut_bps,
            min_stake: self.min_stake,
        }
    }

    /// Refuses any parameter outside its bounds (`backstop_core::params`),
    /// naming it.
    pub fn validate(&self) -> Result<()> {
        use ParamOutOfBounds::*;
        match self.values().out_of_bounds() {
            None => Ok(()),
            Some(CooldownTooLong) => err!(BackstopError::CooldownTooLong),
            Some(WindowTooLong) => err!(BackstopError::WindowTooLong),
            Some(SweepIntervalOutOfBounds) => err!(BackstopError::SweepIntervalOutOfBounds),
            Some(MaxAprTooHigh) => err!(BackstopError::MaxAprTooHigh),
            Some(ProtocolCutTooHigh) => err!(BackstopError::ProtocolCutTooHigh),
            Some(MinStakeZero) => err!(BackstopError::MinStakeZero),
        }
    }
}

/// Optional new values for [`PoolParams`]; `None` keeps the current one.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolParamsUpdate {
    pub cooldown: Option<u64>,
    pub window: Option<u64>,
    pub sweep_interval: Option<u64>,
    pub max_apr_bps: Option<u64>,
    pub protocol_cut_bps: Option<u64>,
    pub min_stake: Option<u64>,
}

impl PoolParamsUpdate {
    pub fn applied_to(&self, p: &PoolParams) -> PoolParams {
        PoolParams {
            cooldown: self.cooldown.unwrap_or(p.cooldown),
            window: self.window.unwrap_or(p.window),
            sweep_interval: self.sweep_interval.unwrap_or(p.sweep_interval),
            max_apr_bps: self.max_apr_bps.unwrap_or(p.max_apr_bps),
            protocol_cut_bps: self.protocol_cut_bps.unwrap_or(p.protocol_cut_bps),
            min_stake: self.min_stake.unwrap_or(p.min_stake),
        }
    }
}
