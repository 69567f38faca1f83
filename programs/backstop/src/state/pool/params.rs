//! A pool's governance parameters and a change to some of them.

use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::BackstopError;

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
        PoolParams {
            cooldown: DEFAULT_COOLDOWN_SECS,
            window: DEFAULT_WINDOW_SECS,
            sweep_interval: DEFAULT_SWEEP_INTERVAL_SECS,
            max_apr_bps: DEFAULT_MAX_APR_BPS,
            protocol_cut_bps: DEFAULT_PROTOCOL_CUT_BPS,
            min_stake: DEFAULT_MIN_STAKE,
        }
    }
}

impl PoolParams {
    /// Refuses any parameter outside its bounds, naming it.
    pub fn validate(&self) -> Result<()> {
        require!(
            self.cooldown <= MAX_COOLDOWN_SECS,
            BackstopError::CooldownTooLong
        );
        require!(self.window <= MAX_WINDOW_SECS, BackstopError::WindowTooLong);
        require!(
            (MIN_SWEEP_INTERVAL_SECS..=MAX_SWEEP_INTERVAL_SECS).contains(&self.sweep_interval),
            BackstopError::SweepIntervalOutOfBounds
        );
        require!(
            self.max_apr_bps <= MAX_MAX_APR_BPS,
            BackstopError::MaxAprTooHigh
        );
        require!(
            self.protocol_cut_bps <= BPS_DENOMINATOR,
            BackstopError::ProtocolCutTooHigh
        );
        require!(self.min_stake >= 1, BackstopError::MinStakeZero);
        Ok(())
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
