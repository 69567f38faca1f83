//! A short campaign reaches what the fuzz world was widened for (issue 22):
//! the PYUSD-like mint's issuer takes tokens from the vault (then the pool
//! refuses with `VaultShortfall` until a sync writes A down), switches its
//! transfer fee on and off (inflows refused meanwhile) and sets its hook;
//! a user takes the admin role over, and the guardian changes. With no
//! violation: the model agrees with the program throughout.

use backstop_sim::fuzz;

#[test]
fn a_campaign_takes_from_the_vault_switches_the_fee_sets_the_hook_and_hands_roles_over() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    // an odd seed: a governance delay, so a new guardian waits its eta
    let report = rt.block_on(fuzz::run(4_000, 7, |_| {})).expect("campaign");
    assert_eq!(
        report.violations,
        0,
        "{:?}\n{}",
        report.violation,
        report.scenario.unwrap_or_default()
    );
    let ok = |action: &str| report.other_actions.get(action).map_or(0, |c| c.ok);
    let refused = |name: &str| report.refusals.get(name).copied().unwrap_or(0);
    assert!(ok("seize") > 0, "{:?}", report.other_actions);
    assert!(ok("transfer_fee") > 0, "{:?}", report.other_actions);
    assert!(ok("transfer_hook") > 0, "{:?}", report.other_actions);
    assert!(refused("VaultShortfall") > 0, "{:?}", report.refusals);
    assert!(
        refused("TransferFeeNotSupported") > 0,
        "{:?}",
        report.refusals
    );
    assert!(report.admin_handovers > 0);
    assert!(report.guardian_handovers > 0);
    // the write-down after a taking goes through `sync_vault`
    assert!(report.instructions.0["sync_vault"].ok > 0);
}
