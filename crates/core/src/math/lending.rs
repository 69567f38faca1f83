//! The lending exposure ledger (docs/protocol.md §6): a deposit index `I`
//! (scaled 10¹⁸, starts at 10¹⁸) and scaled deposits. Rounding is always
//! against lenders, so they bear at least the socialised loss.

use super::full_math::{MathError, mul_div_ceil, mul_div_floor, to_u64};
use crate::constants::INDEX_SCALE;

/// Scaled units credited for a deposit: `⌊amount·10¹⁸ / I⌋`.
pub fn scaled_for_deposit_floor(amount: u64, deposit_index: u128) -> Result<u128, MathError> {
    mul_div_floor(amount as u128, INDEX_SCALE, deposit_index)
}

/// Scaled units removed for a withdrawal: `min(⌈amount·10¹⁸ / I⌉, scaled)`.
pub fn scaled_for_withdrawal_ceil(
    amount: u64,
    deposit_index: u128,
    scaled_balance: u128,
) -> Result<u128, MathError> {
    Ok(mul_div_ceil(amount as u128, INDEX_SCALE, deposit_index)?.min(scaled_balance))
}

/// A lender's balance: `⌊scaled·I / 10¹⁸⌋`.
pub fn balance_floor(scaled: u128, deposit_index: u128) -> Result<u64, MathError> {
    to_u64(mul_div_floor(scaled, deposit_index, INDEX_SCALE)?)
}

/// Total deposits `D = ⌊T·I / 10¹⁸⌋`, kept in `u128` because `T` may exceed
/// what one lender can hold.
pub fn total_deposits_floor(total_scaled: u128, deposit_index: u128) -> Result<u128, MathError> {
    mul_div_floor(total_scaled, deposit_index, INDEX_SCALE)
}

/// How a lending market absorbs a loss `L` that insurance did not pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LendingLoss {
    /// The deposit index after the loss.
    pub deposit_index_after: u128,
    /// The part of `L` charged to lenders.
    pub socialised: u64,
    /// The part of `L` nobody could bear.
    pub unrecovered: u64,
    /// Whether the market is now insolvent (`I = 0`).
    pub insolvent: bool,
}

/// docs/protocol.md §7 step 3, lending, in `accounts` mode: the total
/// deposits are `D = ⌊T·I / 10¹⁸⌋`. The program composes the same two
/// steps in `Market::socialise` (through `waterfall::share_loss`); the
/// tests below state the rule on the ledger's own figures with it.
#[cfg(test)]
pub fn socialise_lending_loss_ceil(
    loss: u64,
    total_scaled: u128,
    deposit_index: u128,
) -> Result<LendingLoss, MathError> {
    let deposits = total_deposits_floor(total_scaled, deposit_index)?;
    socialise_lending_loss_on_deposits_ceil(loss, deposits, deposit_index)
}

/// Step 3, lending, given the total deposits `D` (in `aggregate` mode, the
/// exposure the host recorded): `D = 0` (or `I = 0`) → all unrecovered;
/// `L ≥ D` → `I = 0`, `D` socialised and the rest unrecovered; otherwise
/// `I −= ⌈I·L / D⌉`, so lenders bear at least `L`.
pub fn socialise_lending_loss_on_deposits_ceil(
    loss: u64,
    deposits: u128,
    deposit_index: u128,
) -> Result<LendingLoss, MathError> {
    // An index at 0 can carry no further haircut.
    let deposits = if deposit_index == 0 { 0 } else { deposits };
    if loss == 0 {
        return Ok(LendingLoss {
            deposit_index_after: deposit_index,
            socialised: 0,
            unrecovered: 0,
            insolvent: deposit_index == 0,
        });
    }
    if deposits == 0 {
        return Ok(LendingLoss {
            deposit_index_after: deposit_index,
            socialised: 0,
            unrecovered: loss,
            insolvent: deposit_index == 0,
        });
    }
    if loss as u128 >= deposits {
        // deposits ≤ loss ≤ u64::MAX here, so it narrows.
        let socialised = to_u64(deposits)?;
        return Ok(LendingLoss {
            deposit_index_after: 0,
            socialised,
            unrecovered: loss - socialised,
            insolvent: true,
        });
    }
    let index_drop = mul_div_ceil(deposit_index, loss as u128, deposits)?;
    let deposit_index_after = deposit_index
        .checked_sub(index_drop)
        .ok_or(MathError::Underflow)?;
    Ok(LendingLoss {
        deposit_index_after,
        socialised: loss,
        unrecovered: 0,
        // Rounding up can take a huge market's index to 0 even when L < D.
        insolvent: deposit_index_after == 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quickstart_sol_lend() {
        let loss =
            socialise_lending_loss_ceil(150_000_000_000, 900_000_000_000, INDEX_SCALE).unwrap();
        assert_eq!(loss.deposit_index_after, 833_333_333_333_333_333);
        assert_eq!(loss.socialised, 150_000_000_000);
        assert_eq!(
            balance_floor(900_000_000_000, loss.deposit_index_after),
            Ok(749_999_999_999)
        );
    }

    #[test]
    fn insolvency_and_empty_market() {
        let l = socialise_lending_loss_ceil(1_000, 500, INDEX_SCALE).unwrap();
        assert_eq!(
            l,
            LendingLoss {
                deposit_index_after: 0,
                socialised: 500,
                unrecovered: 500,
                insolvent: true
            }
        );
        let l = socialise_lending_loss_ceil(1_000, 0, INDEX_SCALE).unwrap();
        assert_eq!(
            l,
            LendingLoss {
                deposit_index_after: INDEX_SCALE,
                socialised: 0,
                unrecovered: 1_000,
                insolvent: false
            }
        );
        let l = socialise_lending_loss_ceil(1_000, 500, 0).unwrap();
        assert_eq!(l.unrecovered, 1_000);
        assert!(l.insolvent);
    }

    #[test]
    fn withdrawal_rounds_up_and_is_bounded() {
        let index = INDEX_SCALE * 2 / 3;
        assert_eq!(scaled_for_withdrawal_ceil(1, index, 10), Ok(2));
        assert_eq!(scaled_for_withdrawal_ceil(100, index, 10), Ok(10));
    }

    #[test]
    fn aggregate_uses_the_recorded_deposits() {
        // 900,000 recorded, 150,000 lost: the same index as accounts mode.
        let l = socialise_lending_loss_on_deposits_ceil(150_000, 900_000, INDEX_SCALE).unwrap();
        assert_eq!(l.deposit_index_after, 833_333_333_333_333_333);
        assert_eq!((l.socialised, l.unrecovered), (150_000, 0));
        // An index already at 0 takes nothing more, whatever is recorded.
        let l = socialise_lending_loss_on_deposits_ceil(10, 900_000, 0).unwrap();
        assert_eq!((l.socialised, l.unrecovered, l.insolvent), (0, 10, true));
        // The largest exposure a record can carry does not overflow.
        let l = socialise_lending_loss_on_deposits_ceil(u64::MAX, u128::MAX, INDEX_SCALE).unwrap();
        assert_eq!(l.socialised, u64::MAX);
        assert!(l.deposit_index_after < INDEX_SCALE);
    }

    proptest! {
        /// A host applying `balance × I_after / I_before` (rounded down) to
        /// balances that sum to the recorded exposure leaves at most
        /// `exposure − socialised`: its lenders bear at least the loss.
        #[test]
        fn host_balances_bear_the_aggregate_loss(
            balances in proptest::collection::vec(1u64..1_000_000_000_000, 1..20),
            loss in 1u64..2_000_000_000_000,
            index in 1u128..=INDEX_SCALE,
        ) {
            let exposure: u128 = balances.iter().map(|b| *b as u128).sum();
            let r = socialise_lending_loss_on_deposits_ceil(loss, exposure, index).unwrap();
            let after: u128 = balances.iter()
                .map(|b| mul_div_floor(*b as u128, r.deposit_index_after, index).unwrap())
                .sum();
            prop_assert!(after + r.socialised as u128 <= exposure);
            prop_assert_eq!(r.socialised as u128 + r.unrecovered as u128, loss as u128);
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Deposit(usize, u64),
        Withdraw(usize, u64),
        Loss(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0usize..4, 1u64..1_000_000_000_000).prop_map(|(l, a)| Op::Deposit(l, a)),
            (0usize..4, 1u64..1_000_000_000_000).prop_map(|(l, a)| Op::Withdraw(l, a)),
            (1u64..500_000_000_000).prop_map(Op::Loss),
        ]
    }

    proptest! {
        /// After any sequence, Σ balances ≤ deposits − withdrawals − losses
        /// charged, and the total scaled equals the sum of the lenders'.
        #[test]
        fn lenders_never_hold_more_than_net_deposits(ops in proptest::collection::vec(op(), 1..40)) {
            let mut index = INDEX_SCALE;
            let mut scaled = [0u128; 4];
            let mut total: u128 = 0;
            let mut net: i128 = 0;
            for op in ops {
                match op {
                    Op::Deposit(l, a) => {
                        if index == 0 { continue; }
                        let s = scaled_for_deposit_floor(a, index).unwrap();
                        scaled[l] += s; total += s; net += a as i128;
                    }
                    Op::Withdraw(l, a) => {
                        if index == 0 { continue; }
                        let bal = balance_floor(scaled[l], index).unwrap();
                        if a > bal { continue; }
                        let d = scaled_for_withdrawal_ceil(a, index, scaled[l]).unwrap();
                        scaled[l] -= d; total -= d; net -= a as i128;
                    }
                    Op::Loss(l) => {
                        let r = socialise_lending_loss_ceil(l, total, index).unwrap();
                        index = r.deposit_index_after;
                        net -= r.socialised as i128;
                    }
                }
                let sum: u128 = scaled.iter().map(|s| balance_floor(*s, index).unwrap() as u128).sum();
                prop_assert!(sum as i128 <= net, "sum {} net {}", sum, net);
                prop_assert_eq!(total, scaled.iter().sum::<u128>());
            }
        }
    }
}
