use anchor_lang::prelude::*;

use crate::constants::*;
use crate::errors::{BackstopError, OrMathError};
use crate::math::shares::{
    cancel_forfeit_shares_ceil, is_wiped_out, shares_for_amount_floor, unstake_payout_floor,
    value_of_shares_floor,
};
use crate::math::sweep::{protocol_part_floor, staker_revenue_limit_floor};

/// A pool's governance parameters (SPEC.md "Pool parameters and defaults").
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

/// One insurance pool per asset, `["pool", mint]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Pool {
    pub version: u8,
    pub bump: u8,
    pub vault_bump: u8,
    pub revenue_bump: u8,
    pub decimals: u8,
    pub mint: Pubkey,
    /// Token account `["vault", pool]` holding the insurance assets.
    pub vault: Pubkey,
    /// Token account `["revenue", pool]` collecting fees before a sweep.
    pub revenue: Pubkey,
    /// `A`: the pool's own count of insurance assets (≤ vault balance).
    pub assets: u64,
    /// `S`: total shares of the current epoch.
    pub total_shares: u128,
    /// Bumped by each wipe-out; stakes of an older epoch hold nothing.
    pub epoch: u32,
    pub params: PoolParams,
    pub last_sweep_ts: i64,
    /// Id the next proposed payout gets.
    pub next_payout_id: u64,
    pub reserved: [u8; 64],
}

/// What a sweep did, for the caller's token transfer and event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SweepOutcome {
    /// Tokens turned into treasury shares.
    pub protocol_amount: u64,
    /// Shares minted to the treasury's stake.
    pub treasury_shares: u128,
    /// Tokens added to A for stakers.
    pub staker_amount: u64,
}

impl SweepOutcome {
    /// Tokens to move from `revenue` into the vault.
    pub fn moved(&self) -> u64 {
        self.protocol_amount + self.staker_amount
    }
}

/// What a payout out of the pool did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PayOutcome {
    pub paid: u64,
    /// Whether the wipe-out rule fired.
    pub wiped: bool,
    /// Assets moved from the vault to `revenue` by a wipe-out.
    pub to_revenue: u64,
}

impl Pool {
    pub fn shares_for(&self, amount: u64) -> Result<u128> {
        shares_for_amount_floor(amount, self.assets, self.total_shares).or_math()
    }

    pub fn value_of(&self, shares: u128) -> Result<u64> {
        value_of_shares_floor(shares, self.assets, self.total_shares).or_math()
    }

    pub fn sweep_due(&self, now: i64) -> bool {
        let interval = i64::try_from(self.params.sweep_interval).unwrap_or(i64::MAX);
        now >= self.last_sweep_ts.saturating_add(interval)
    }

    /// SPEC.md "Revenue sweep", given the revenue balance `R`. Updates `A`, `S`
    /// and `last_sweep_ts`; the caller credits `treasury_shares` to the
    /// treasury's stake and moves `moved()` tokens into the vault.
    pub fn sweep(&mut self, now: i64, revenue: u64) -> Result<SweepOutcome> {
        let assets_before = self.assets;
        let shares_before = self.total_shares;
        let elapsed = u64::try_from(now.saturating_sub(self.last_sweep_ts)).unwrap_or(0);

        let mut protocol_amount =
            protocol_part_floor(revenue, self.params.protocol_cut_bps).or_math()?;
        let mut treasury_shares = self.shares_for(protocol_amount)?;
        if treasury_shares == 0 {
            // Nothing minted: the protocol part counts as staker revenue.
            protocol_amount = 0;
        }
        let staker_part = revenue - protocol_amount;
        let staker_amount = if shares_before > 0 {
            let limit = staker_revenue_limit_floor(assets_before, self.params.max_apr_bps, elapsed)
                .or_math()?;
            staker_part.min(limit)
        } else {
            0
        };
        if protocol_amount == 0 {
            treasury_shares = 0;
        }
        self.assets = self
            .assets
            .checked_add(protocol_amount)
            .and_then(|a| a.checked_add(staker_amount))
            .or_math()?;
        self.total_shares = self.total_shares.checked_add(treasury_shares).or_math()?;
        self.last_sweep_ts = now;
        Ok(SweepOutcome {
            protocol_amount,
            treasury_shares,
            staker_amount,
        })
    }

    /// `stake(amount)`: the shares bought, after `A += amount, S += n`.
    pub fn deposit(&mut self, amount: u64) -> Result<u128> {
        require!(amount > 0, BackstopError::ZeroAmount);
        require!(
            amount >= self.params.min_stake,
            BackstopError::BelowMinStake
        );
        let shares = self.shares_for(amount)?;
        require!(shares > 0, BackstopError::ZeroShares);
        self.assets = self.assets.checked_add(amount).or_math()?;
        self.total_shares = self.total_shares.checked_add(shares).or_math()?;
        Ok(shares)
    }

    /// `complete_unstake`: burns `shares`, pays `min(recorded, value_of(n))`.
    /// Returns (payout, assets moved to revenue because S reached 0).
    pub fn withdraw(&mut self, shares: u128, recorded_value: u64) -> Result<(u64, u64)> {
        let payout = unstake_payout_floor(shares, recorded_value, self.assets, self.total_shares)
            .or_math()?;
        self.total_shares = self.total_shares.checked_sub(shares).or_math()?;
        self.assets = self.assets.checked_sub(payout).or_math()?;
        Ok((payout, self.empty_if_no_shares()))
    }

    /// `cancel_unstake`: burns the gains made during the cooldown; returns the
    /// shares burnt.
    pub fn forfeit_on_cancel(&mut self, shares: u128, recorded_value: u64) -> Result<u128> {
        let burnt =
            cancel_forfeit_shares_ceil(shares, recorded_value, self.assets, self.total_shares)
                .or_math()?;
        self.total_shares = self.total_shares.checked_sub(burnt).or_math()?;
        Ok(burnt)
    }

    /// When S is 0, any remaining A goes to the revenue pool so the next staker
    /// never receives someone else's leftovers. Returns the amount moved.
    pub fn empty_if_no_shares(&mut self) -> u64 {
        if self.total_shares == 0 && self.assets > 0 {
            let left = self.assets;
            self.assets = 0;
            left
        } else {
            0
        }
    }

    /// Pays up to `amount` out of A (bankruptcy or compensation), then applies
    /// the wipe-out rule.
    pub fn pay_out(&mut self, amount: u64) -> Result<PayOutcome> {
        let paid = amount.min(self.assets);
        self.assets -= paid;
        let mut outcome = PayOutcome {
            paid,
            ..PayOutcome::default()
        };
        if is_wiped_out(self.assets, self.total_shares) {
            self.epoch = self.epoch.checked_add(1).or_math()?;
            self.total_shares = 0;
            outcome.wiped = true;
            outcome.to_revenue = self.assets;
            self.assets = 0;
        }
        Ok(outcome)
    }

    /// Checked at the end of every handler that touches the pool.
    pub fn invariant(&self, vault_balance: u64) -> Result<()> {
        require!(
            vault_balance >= self.assets,
            BackstopError::InvariantViolated
        );
        require!(
            self.total_shares > 0 || self.assets == 0,
            BackstopError::InvariantViolated
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn pool() -> Pool {
        Pool {
            version: 1,
            bump: 0,
            vault_bump: 0,
            revenue_bump: 0,
            decimals: 6,
            mint: Pubkey::default(),
            vault: Pubkey::default(),
            revenue: Pubkey::default(),
            assets: 0,
            total_shares: 0,
            epoch: 0,
            params: PoolParams {
                max_apr_bps: 0,
                protocol_cut_bps: 0,
                ..PoolParams::default()
            },
            last_sweep_ts: 0,
            next_payout_id: 0,
            reserved: [0; 64],
        }
    }

    #[test]
    fn params_bounds() {
        assert!(PoolParams::default().validate().is_ok());
        let bad = PoolParams {
            sweep_interval: 59,
            ..PoolParams::default()
        };
        assert_eq!(
            bad.validate().unwrap_err(),
            BackstopError::SweepIntervalOutOfBounds.into()
        );
        let bad = PoolParams {
            min_stake: 0,
            ..PoolParams::default()
        };
        assert_eq!(
            bad.validate().unwrap_err(),
            BackstopError::MinStakeZero.into()
        );
        let bad = PoolParams {
            cooldown: MAX_COOLDOWN_SECS + 1,
            ..PoolParams::default()
        };
        assert_eq!(
            bad.validate().unwrap_err(),
            BackstopError::CooldownTooLong.into()
        );
    }

    #[test]
    fn quickstart_sweep_mints_treasury_shares_at_pre_sweep_price() {
        let mut p = pool();
        p.params = PoolParams {
            max_apr_bps: 100_000,
            protocol_cut_bps: 5_000,
            ..p.params
        };
        p.deposit(50_000_000_000).unwrap();
        let out = p.sweep(86_400, 420_000_000).unwrap();
        assert_eq!(
            out,
            SweepOutcome {
                protocol_amount: 210_000_000,
                treasury_shares: 210_000_000,
                staker_amount: 210_000_000
            }
        );
        assert_eq!(p.assets, 50_420_000_000);
        assert_eq!(p.total_shares, 50_210_000_000);
        assert_eq!(p.last_sweep_ts, 86_400);
    }

    #[test]
    fn sweep_into_empty_pool_moves_only_the_protocol_part() {
        let mut p = pool();
        p.params.protocol_cut_bps = 1_000;
        let out = p.sweep(10, 1_000).unwrap();
        assert_eq!(
            out,
            SweepOutcome {
                protocol_amount: 100,
                treasury_shares: 100,
                staker_amount: 0
            }
        );
        // no cut: nothing moves into an empty pool
        let mut p = pool();
        assert_eq!(p.sweep(10, 1_000).unwrap().moved(), 0);
        assert_eq!(p.last_sweep_ts, 10);
    }

    #[test]
    fn wipe_out_and_emptying() {
        let mut p = pool();
        p.deposit(1_000).unwrap();
        let out = p.pay_out(1_000).unwrap();
        assert_eq!(
            out,
            PayOutcome {
                paid: 1_000,
                wiped: true,
                to_revenue: 0
            }
        );
        assert_eq!((p.assets, p.total_shares, p.epoch), (0, 0, 1));
        let mut p = pool();
        p.deposit(1_000).unwrap();
        let (paid, left) = p.withdraw(1_000, 1_000).unwrap();
        assert_eq!((paid, left), (1_000, 0));
        assert_eq!(p.pay_out(5).unwrap().paid, 0);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Stake(usize, u64),
        Request(usize, u64),
        Complete(usize),
        Cancel(usize),
        Revenue(u64),
        Loss(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0usize..3, 1u64..1_000_000_000).prop_map(|(w, a)| Op::Stake(w, a)),
            (0usize..3, 1u64..=100).prop_map(|(w, pct)| Op::Request(w, pct)),
            (0usize..3).prop_map(Op::Complete),
            (0usize..3).prop_map(Op::Cancel),
            (1u64..500_000_000).prop_map(Op::Revenue),
            (1u64..500_000_000).prop_map(Op::Loss),
        ]
    }

    #[derive(Default, Clone, Copy)]
    struct Holder {
        shares: u128,
        epoch: u32,
        request: Option<(u128, u64)>,
        put_in: u128,
        taken_out: u128,
    }

    proptest! {
        /// Σ stakes' values ≤ A ≤ vault; no staker leaves with more than they
        /// put in plus the revenue swept meanwhile.
        #[test]
        fn ledger_conserves_value(ops in proptest::collection::vec(op(), 1..60)) {
            let mut p = pool();
            let mut vault: u64 = 0;
            let mut holders = [Holder::default(); 3];
            let mut revenue_swept: u128 = 0;
            let mut now = 0i64;
            for op in ops {
                now += 3_600;
                match op {
                    Op::Stake(w, a) => {
                        let h = &mut holders[w];
                        if h.epoch != p.epoch { *h = Holder { epoch: p.epoch, ..*h }; h.shares = 0; h.request = None; }
                        if h.request.is_some() { continue; }
                        if let Ok(n) = p.deposit(a) { h.shares += n; vault += a; h.put_in += a as u128; }
                    }
                    Op::Request(w, pct) => {
                        let h = &mut holders[w];
                        if h.epoch != p.epoch || h.request.is_some() { continue; }
                        let n = h.shares * pct as u128 / 100;
                        if n == 0 { continue; }
                        h.request = Some((n, p.value_of(n).unwrap()));
                    }
                    Op::Complete(w) => {
                        let h = &mut holders[w];
                        if h.epoch != p.epoch { continue; }
                        if let Some((n, v)) = h.request.take() {
                            let (paid, left) = p.withdraw(n, v).unwrap();
                            h.shares -= n; vault -= paid + left; h.taken_out += paid as u128;
                        }
                    }
                    Op::Cancel(w) => {
                        let h = &mut holders[w];
                        if h.epoch != p.epoch { continue; }
                        if let Some((n, v)) = h.request.take() {
                            let burnt = p.forfeit_on_cancel(n, v).unwrap();
                            h.shares -= burnt;
                        }
                    }
                    Op::Revenue(r) => {
                        let out = p.sweep(now, r).unwrap();
                        vault += out.moved();
                        revenue_swept += out.moved() as u128;
                    }
                    Op::Loss(l) => {
                        let out = p.pay_out(l).unwrap();
                        vault -= out.paid + out.to_revenue;
                    }
                }
                let sum: u128 = holders.iter()
                    .filter(|h| h.epoch == p.epoch)
                    .map(|h| p.value_of(h.shares).unwrap() as u128).sum();
                prop_assert!(sum <= p.assets as u128, "sum {} A {}", sum, p.assets);
                prop_assert!(p.assets <= vault);
                prop_assert!(p.invariant(vault).is_ok());
                for h in holders.iter() {
                    prop_assert!(h.taken_out <= h.put_in + revenue_swept);
                }
            }
        }
    }
}
