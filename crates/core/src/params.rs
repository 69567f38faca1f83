//! A pool's governance parameters as a new pool gets them, and their bounds
//! (docs/protocol.md §3).

use crate::constants::*;

/// A pool's six parameters, in the program's order (`PoolParams`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolParamValues {
    pub cooldown: u64,
    pub window: u64,
    pub sweep_interval: u64,
    pub max_apr_bps: u64,
    pub protocol_cut_bps: u64,
    pub min_stake: u64,
}

/// What `create_pool` stores for a parameter it is not given.
pub const DEFAULT_POOL_PARAMS: PoolParamValues = PoolParamValues {
    cooldown: DEFAULT_COOLDOWN_SECS,
    window: DEFAULT_WINDOW_SECS,
    sweep_interval: DEFAULT_SWEEP_INTERVAL_SECS,
    max_apr_bps: DEFAULT_MAX_APR_BPS,
    protocol_cut_bps: DEFAULT_PROTOCOL_CUT_BPS,
    min_stake: DEFAULT_MIN_STAKE,
};

/// The first parameter outside its bounds, in the order the program checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamOutOfBounds {
    CooldownTooLong,
    WindowTooLong,
    SweepIntervalOutOfBounds,
    MaxAprTooHigh,
    ProtocolCutTooHigh,
    MinStakeZero,
}

impl PoolParamValues {
    /// `None` when every parameter is within its bounds.
    pub fn out_of_bounds(&self) -> Option<ParamOutOfBounds> {
        use ParamOutOfBounds::*;
        if self.cooldown > MAX_COOLDOWN_SECS {
            Some(CooldownTooLong)
        } else if self.window > MAX_WINDOW_SECS {
            Some(WindowTooLong)
        } else if !(MIN_SWEEP_INTERVAL_SECS..=MAX_SWEEP_INTERVAL_SECS)
            .contains(&self.sweep_interval)
        {
            Some(SweepIntervalOutOfBounds)
        } else if self.max_apr_bps > MAX_MAX_APR_BPS {
            Some(MaxAprTooHigh)
        } else if self.protocol_cut_bps > BPS_DENOMINATOR {
            Some(ProtocolCutTooHigh)
        } else if self.min_stake < 1 {
            Some(MinStakeZero)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_within_bounds_and_each_bound_is_named() {
        assert_eq!(DEFAULT_POOL_PARAMS.out_of_bounds(), None);
        assert_eq!(DEFAULT_POOL_PARAMS.window, 172_800);
        let with = |f: fn(&mut PoolParamValues)| {
            let mut p = DEFAULT_POOL_PARAMS;
            f(&mut p);
            p.out_of_bounds()
        };
        assert_eq!(
            with(|p| p.cooldown = MAX_COOLDOWN_SECS + 1),
            Some(ParamOutOfBounds::CooldownTooLong)
        );
        assert_eq!(
            with(|p| p.window = MAX_WINDOW_SECS + 1),
            Some(ParamOutOfBounds::WindowTooLong)
        );
        assert_eq!(
            with(|p| p.sweep_interval = 59),
            Some(ParamOutOfBounds::SweepIntervalOutOfBounds)
        );
        assert_eq!(
            with(|p| p.max_apr_bps = MAX_MAX_APR_BPS + 1),
            Some(ParamOutOfBounds::MaxAprTooHigh)
        );
        assert_eq!(
            with(|p| p.protocol_cut_bps = 10_001),
            Some(ParamOutOfBounds::ProtocolCutTooHigh)
        );
        assert_eq!(
            with(|p| p.min_stake = 0),
            Some(ParamOutOfBounds::MinStakeZero)
        );
    }
}
