//! The exit clocks and a request's unlock and lapse (docs/protocol.md §4).
//!
//! - The protocol's unpaused clock `U` counts the seconds during which
//!   `complete_unstake` was not paused.
//! - Each pool's exit clock `E` runs with `U` and also stands still while a
//!   bankruptcy record is open on a market the pool insures (`LossPending`).
//! - A request unlocks at `request_ts + cooldown` (wall clock), and lapses once
//!   more than `cooldown + window` seconds of `E` have passed since it was
//!   made, so a block never makes a request lapse.

/// `U(now)`: the protocol's unpaused clock, given its last checkpoint
/// (`clock` at `clock_ts`) and whether `complete_unstake` is paused.
#[inline]
pub fn protocol_exit_clock_at(clock: u64, clock_ts: i64, complete_paused: bool, now: i64) -> u64 {
    if complete_paused {
        clock
    } else {
        let elapsed = u64::try_from(now.saturating_sub(clock_ts)).unwrap_or(0);
        clock.saturating_add(elapsed)
    }
}

/// `E`: the pool's exit clock given `U` now. It stands still at
/// `exit_clock` while records are open; otherwise it has run with `U` since
/// `U` was `exit_clock_ref`.
#[inline]
pub fn pool_exit_clock_at(
    open_records: u32,
    exit_clock: u64,
    exit_clock_ref: u64,
    protocol_clock: u64,
) -> u64 {
    if open_records > 0 {
        exit_clock
    } else {
        exit_clock.saturating_add(protocol_clock.saturating_sub(exit_clock_ref))
    }
}

/// When a request made at `request_ts` can complete: `request_ts + cooldown`,
/// saturating (a cooldown is at most 90 days by bound).
#[inline]
pub fn unlock_ts(request_ts: i64, cooldown: u64) -> i64 {
    request_ts.saturating_add(i64::try_from(cooldown).unwrap_or(i64::MAX))
}

/// Whether a request made at exit clock `made_at` has lapsed at exit clock
/// `now_clock`: more than `cooldown + window` seconds of it have passed.
/// `window = 0`: never.
#[inline]
pub fn request_lapsed(made_at: u64, cooldown: u64, window: u64, now_clock: u64) -> bool {
    window > 0 && now_clock.saturating_sub(made_at) > cooldown.saturating_add(window)
}

/// When a request lapses if exits stay open from `now` on (`None`: a window
/// of 0 never lapses): `now + (cooldown + window − (E(now) − made_at))`.
/// While exits are blocked `E` stands still, so this moves later by the
/// length of the block.
#[inline]
pub fn lapse_ts(made_at: u64, cooldown: u64, window: u64, now_clock: u64, now: i64) -> Option<i64> {
    (window > 0).then(|| {
        let budget = i64::try_from(cooldown.saturating_add(window)).unwrap_or(i64::MAX);
        let used = i64::try_from(now_clock.saturating_sub(made_at)).unwrap_or(i64::MAX);
        now.saturating_add(budget).saturating_sub(used)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lapses_after_cooldown_plus_window_of_exit_clock() {
        // cooldown 10 days, window 2 days, made at exit clock 500
        let (cooldown, window) = (864_000, 172_800);
        assert_eq!(unlock_ts(0, cooldown), 864_000);
        assert!(!request_lapsed(500, cooldown, window, 500 + 1_036_800));
        assert!(request_lapsed(500, cooldown, window, 500 + 1_036_801));
        assert!(!request_lapsed(500, cooldown, 0, u64::MAX));
        // made at 500 (time 1_000), clock now 600 at time 1_100: lapses after
        // another cooldown + window − 100 seconds
        assert_eq!(
            lapse_ts(500, cooldown, window, 600, 1_100),
            Some(1_100 + 1_036_700)
        );
        assert_eq!(lapse_ts(500, cooldown, 0, 600, 1_100), None);
    }

    #[test]
    fn the_clocks_stand_still_while_blocked() {
        assert_eq!(protocol_exit_clock_at(40, 1_000, false, 1_060), 100);
        assert_eq!(protocol_exit_clock_at(40, 1_000, true, 1_060), 40);
        assert_eq!(protocol_exit_clock_at(40, 1_000, false, 900), 40);
        assert_eq!(pool_exit_clock_at(0, 10, 40, 100), 70);
        assert_eq!(pool_exit_clock_at(2, 10, 40, 100), 10);
    }

    proptest! {
        #[test]
        fn a_stopped_clock_never_makes_a_request_lapse(
            made in 0u64..1 << 40, cooldown in 0u64..7_776_000,
            window in 1u64..2_592_000, ran in 0u64..1 << 30,
        ) {
            // a block stops the clock: the time it lasted does not count
            let lapsed = request_lapsed(made, cooldown, window, made + ran);
            prop_assert_eq!(lapsed, ran > cooldown + window);
        }

        /// At the lapse time (exits open throughout) the request has just lapsed.
        #[test]
        fn the_lapse_time_is_the_first_lapsed_second(
            made in 0u64..1 << 40, cooldown in 0u64..7_776_000,
            window in 1u64..2_592_000, ran in 0u64..1 << 20, now in 0i64..1 << 40,
        ) {
            let at = lapse_ts(made, cooldown, window, made + ran, now).unwrap();
            let clock_at = |t: i64| (made + ran) as i64 + (t - now);
            prop_assume!(clock_at(at) >= made as i64);
            prop_assert!(!request_lapsed(made, cooldown, window, clock_at(at) as u64));
            prop_assert!(request_lapsed(made, cooldown, window, clock_at(at + 1) as u64));
        }
    }
}
