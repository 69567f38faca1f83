//! Unit tests of the market's rules (`Market`).

use super::*;

fn market(kind: MarketKind, exposure_mode: ExposureMode) -> Market {
    let config = MarketConfig {
        index: 0,
        kind,
        exposure_mode,
        pool: Pubkey::default(),
        mint: Pubkey::default(),
        token_program: Pubkey::default(),
        operator: Pubkey::default(),
        settlement: Pubkey::default(),
        isolation: None,
    };
    Market::new(config, 0)
}

#[test]
fn a_record_whose_loss_index_would_overflow_is_refused() {
    let mut m = market(MarketKind::Perp, ExposureMode::Aggregate);
    m.loss_index = u128::MAX - INDEX_SCALE;
    assert!(m.require_resolvable(1, 1).is_ok());
    assert_eq!(
        m.require_resolvable(2, 1).unwrap_err(),
        BackstopError::ExposureOverflowsIndex.into()
    );
    // a larger exposure makes the same deficit fit; none means unrecovered
    assert!(m.require_resolvable(2, 2).is_ok());
    assert!(m.require_resolvable(u64::MAX, 0).is_ok());
}

#[test]
fn exposure_must_fit_the_mode() {
    let m = market(MarketKind::Lending, ExposureMode::Accounts);
    assert!(m.require_exposure_fits_mode(0).is_ok());
    assert_eq!(
        m.require_exposure_fits_mode(1).unwrap_err(),
        BackstopError::WrongExposureMode.into()
    );
    assert_eq!(
        market(MarketKind::Lending, ExposureMode::Aggregate)
            .require_accounts_mode()
            .unwrap_err(),
        BackstopError::WrongExposureMode.into()
    );
}

#[test]
fn aggregate_socialise_uses_the_recorded_exposure_not_the_ledger() {
    let mut m = market(MarketKind::Perp, ExposureMode::Aggregate);
    m.open_interest = 1; // ignored in aggregate mode
    let out = m.socialise(1_500, 3_000_000).unwrap();
    assert_eq!((out.socialised, out.unrecovered), (1_500, 0));
    assert_eq!(m.loss_index, 500_000_000_000_000);
    let mut m = market(MarketKind::Lending, ExposureMode::Aggregate);
    let out = m.socialise(10, 0).unwrap();
    assert_eq!((out.socialised, out.unrecovered), (0, 10));
    assert_eq!(m.deposit_index, INDEX_SCALE);
}

#[test]
fn premium_split_and_isolated_payment() {
    let mut m = market(MarketKind::Perp, ExposureMode::Accounts);
    assert_eq!(
        m.take_premium(1_000).unwrap(),
        PremiumSplit {
            to_isolated_vault: 0,
            to_revenue: 1_000
        }
    );
    m.isolated = true;
    m.isolated_share_bps = 2_500;
    assert_eq!(
        m.take_premium(1_001).unwrap(),
        PremiumSplit {
            to_isolated_vault: 250,
            to_revenue: 751
        }
    );
    assert_eq!(m.isolated_assets, 250);
    m.pay_from_isolated(250).unwrap();
    assert_eq!(
        m.pay_from_isolated(1).unwrap_err(),
        BackstopError::MathOverflow.into()
    );
}
