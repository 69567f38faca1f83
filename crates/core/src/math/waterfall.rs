//! The bankruptcy waterfall (docs/protocol.md §7) as pure functions on plain
//! values: the insurance step (step 2), who bears the rest (step 3), and the
//! two composed. `resolve_bankruptcy` moves tokens and applies the outcome;
//! nothing here needs an account or a bank.

use super::full_math::MathError;
use super::lending::socialise_lending_loss_on_deposits_ceil;
use super::perp::loss_index_increase_ceil;

/// Who bears the part of a deficit the fund does not pay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LossBearers {
    /// Lenders holding `deposits` at `deposit_index` (from the ledger in
    /// `accounts` mode; the record's exposure in `aggregate` mode).
    Lenders { deposits: u128, deposit_index: u128 },
    /// Open positions of `open_interest` (the ledger's, or the record's).
    Positions { open_interest: u128 },
}

/// What step 3 does with a loss: the part charged, the part nobody could
/// bear, and the index change that charges it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LossShare {
    pub socialised: u64,
    pub unrecovered: u64,
    /// Lenders: the deposit index after (`None` for positions).
    pub deposit_index_after: Option<u128>,
    /// Positions: what the loss index `K` rises by.
    pub loss_index_increase: u128,
    /// Lenders: whether the deposit index is now 0.
    pub insolvent: bool,
}

/// A whole resolution's outcome: `paid + socialised + unrecovered = deficit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waterfall {
    pub paid: u64,
    pub loss: LossShare,
}

/// Step 3: `loss` charged to `bearers`. Lenders bear it through the deposit
/// index, rounded against them (`I −= ⌈I·L / D⌉`), never more than their
/// deposits (the rest is unrecovered); positions through `K`, rounded up;
/// nobody to bear it leaves it unrecovered.
pub fn share_loss(loss: u64, bearers: LossBearers) -> Result<LossShare, MathError> {
    match bearers {
        LossBearers::Lenders {
            deposits,
            deposit_index,
        } => {
            let r = socialise_lending_loss_on_deposits_ceil(loss, deposits, deposit_index)?;
            Ok(LossShare {
                socialised: r.socialised,
                unrecovered: r.unrecovered,
                deposit_index_after: Some(r.deposit_index_after),
                loss_index_increase: 0,
                insolvent: r.insolvent,
            })
        }
        LossBearers::Positions { open_interest } => Ok(match (loss, open_interest) {
            (0, _) => LossShare::default(),
            (_, 0) => LossShare {
                unrecovered: loss,
                ..LossShare::default()
            },
            _ => LossShare {
                socialised: loss,
                loss_index_increase: loss_index_increase_ceil(loss, open_interest)?,
                ..LossShare::default()
            },
        }),
    }
}

/// Steps 2 and 3: the fund pays [`insurance_payment`], `bearers` take the
/// rest by [`share_loss`].
pub fn waterfall(
    deficit: u64,
    cap: u64,
    insurance_used: u64,
    source_assets: u64,
    bearers: LossBearers,
) -> Result<Waterfall, MathError> {
    let paid = insurance_payment(deficit, cap, insurance_used, source_assets);
    let loss = share_loss(deficit - paid, bearers)?;
    Ok(Waterfall { paid, loss })
}

/// `pay = min(deficit, cap in effect − insurance_used, source assets)`.
/// A cap below what was already used leaves nothing to pay.
pub fn insurance_payment(deficit: u64, cap: u64, insurance_used: u64, source_assets: u64) -> u64 {
    deficit
        .min(cap.saturating_sub(insurance_used))
        .min(source_assets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn capped_and_uncapped() {
        assert_eq!(insurance_payment(3_500, 2_000, 0, 67_000), 2_000);
        assert_eq!(insurance_payment(1_250, u64::MAX, 0, 70_000), 1_250);
        assert_eq!(insurance_payment(250, u64::MAX, 0, 100), 100);
        assert_eq!(insurance_payment(250, 100, 150, 1_000), 0);
    }

    const E18: u128 = 1_000_000_000_000_000_000;

    fn bearers() -> impl Strategy<Value = LossBearers> {
        prop_oneof![
            (
                0u128..1u128 << 64,
                prop_oneof![Just(E18), Just(0u128), 1u128..2 * E18]
            )
                .prop_map(|(deposits, deposit_index)| LossBearers::Lenders {
                    deposits,
                    deposit_index
                }),
            (0u128..1u128 << 70).prop_map(|open_interest| LossBearers::Positions { open_interest }),
        ]
    }

    #[test]
    fn the_examples_of_the_protocol() {
        // §7: 3,500 with a cap of 2,000 against 10,000 of deposits
        let lenders = LossBearers::Lenders {
            deposits: 10_000,
            deposit_index: E18,
        };
        let w = waterfall(3_500, 2_000, 0, 67_000, lenders).unwrap();
        assert_eq!(w.paid, 2_000);
        assert_eq!(w.loss.socialised, 1_500);
        assert_eq!(w.loss.unrecovered, 0);
        assert_eq!(w.loss.deposit_index_after, Some(E18 - E18 * 15 / 100));
        // more than the lenders hold: the index goes to 0, the rest unrecovered
        let w = waterfall(20_000, 0, 0, 0, lenders).unwrap();
        assert_eq!(
            (w.paid, w.loss.socialised, w.loss.unrecovered),
            (0, 10_000, 10_000)
        );
        assert!(w.loss.insolvent);
        // positions: K rises by ⌈L·10¹⁸ / OI⌉
        let positions = LossBearers::Positions { open_interest: 3 };
        let w = waterfall(10, 5, 0, 100, positions).unwrap();
        assert_eq!((w.paid, w.loss.socialised), (5, 5));
        assert_eq!(w.loss.loss_index_increase, (5 * E18).div_ceil(3));
        let nobody = LossBearers::Positions { open_interest: 0 };
        assert_eq!(
            waterfall(10, 5, 0, 100, nobody).unwrap().loss.unrecovered,
            5
        );
    }

    proptest! {
        /// paid + socialised + unrecovered = deficit; never more than the cap
        /// left or the source; lenders bear at least what is socialised (the
        /// index rounds against them) and never more than they hold;
        /// positions are charged at least the loss.
        #[test]
        fn the_waterfall_accounts_for_every_unit(
            deficit in 0u64..=u64::MAX,
            cap in prop_oneof![Just(u64::MAX), 0u64..=u64::MAX],
            used in 0u64..=u64::MAX,
            source in 0u64..=u64::MAX,
            bearers in bearers(),
        ) {
            let w = waterfall(deficit, cap, used, source, bearers).unwrap();
            let total = w.paid as u128 + w.loss.socialised as u128 + w.loss.unrecovered as u128;
            prop_assert_eq!(total, deficit as u128);
            prop_assert!(w.paid <= cap.saturating_sub(used) && w.paid <= source);
            match bearers {
                LossBearers::Lenders { deposits, deposit_index } => {
                    prop_assert!(w.loss.socialised as u128 <= deposits);
                    let after = w.loss.deposit_index_after.unwrap();
                    prop_assert!(after <= deposit_index);
                    if deposit_index > 0 {
                        // what the lenders hold after, rounded in their favour,
                        // is at most what they held less the socialised part
                        let held_after = (deposits * after).div_ceil(deposit_index);
                        prop_assert!(held_after + w.loss.socialised as u128 <= deposits);
                    }
                }
                LossBearers::Positions { open_interest } => {
                    if w.loss.socialised > 0 {
                        let charged = (w.loss.loss_index_increase * open_interest).div_ceil(E18);
                        prop_assert!(charged >= w.loss.socialised as u128);
                    }
                }
            }
        }

        /// However many bankruptcies are paid, insurance_used never exceeds the cap.
        #[test]
        fn insurance_used_never_exceeds_cap(
            cap in 0u64..1_000_000,
            deficits in proptest::collection::vec(1u64..500_000, 1..20),
            assets in 0u64..2_000_000,
        ) {
            let mut used = 0u64;
            let mut left = assets;
            for d in deficits {
                let pay = insurance_payment(d, cap, used, left);
                prop_assert!(pay <= d && pay <= left);
                used += pay;
                left -= pay;
                prop_assert!(used <= cap);
            }
        }
    }
}
