//! The ProgramData guard of `initialize_protocol`, as it runs on a cluster:
//! with the SBF build loaded upgradeable (its ProgramData account names the
//! bank's fee payer as upgrade authority), only the upgrade authority may
//! initialise the protocol. Natively there is no ProgramData account and the
//! guard is open by design (docs/security.md), so these run on the SBF VM
//! only (`BACKSTOP_SBF=1`, docs/sbf.md).

use backstop_bank::skip_natively;
use backstop_tests::*;

const UPGRADEABLE_LOADER: Pubkey =
    Pubkey::from_str_const("BPFLoaderUpgradeab1e11111111111111111111111");

fn args(w: &World) -> InitializeProtocolArgs {
    InitializeProtocolArgs {
        admin: w.admin.pubkey(),
        guardian: w.guardian.pubkey(),
        treasury: w.treasury.pubkey(),
        governance_delay: 3_600,
    }
}

#[tokio::test]
async fn only_the_upgrade_authority_initialises_the_protocol() {
    if skip_natively(
        "program_data::only_the_upgrade_authority_initialises_the_protocol",
        "the native build has no ProgramData account, so the guard is open there",
    ) {
        return;
    }
    let mut w = World::bare().await;
    let authority = w.bank.payer_pubkey();

    // The program is deployed as `solana program deploy` leaves it.
    let program = w.bank.account(PROGRAM_ID).await.expect("program account");
    assert_eq!(program.owner, UPGRADEABLE_LOADER);
    assert!(program.executable);
    // UpgradeableLoaderState::Program { programdata_address }
    assert_eq!(program.data[..4], 2u32.to_le_bytes());
    assert_eq!(program.data[4..36], pda::program_data().to_bytes());
    let data = w
        .bank
        .account(pda::program_data())
        .await
        .expect("ProgramData");
    assert_eq!(data.owner, UPGRADEABLE_LOADER);
    // UpgradeableLoaderState::ProgramData { slot, Some(upgrade authority) }, then the ELF
    assert_eq!(data.data[..4], 3u32.to_le_bytes());
    assert_eq!(data.data[12], 1);
    assert_eq!(data.data[13..45], authority.to_bytes());
    assert_eq!(data.data[45..49], *b"\x7fELF");

    // Anyone else, signing as the instruction's payer, is refused by name.
    let mallory = w.new_keypair().await;
    let front_run = ix::initialize_protocol(mallory.pubkey(), args(&w));
    expect_err(
        w.send(&[front_run], &[&mallory]).await,
        BackstopError::NotUpgradeAuthority,
    );
    // The admin to be is no exception.
    let admin = w.admin.insecure_clone();
    let by_admin = ix::initialize_protocol(admin.pubkey(), args(&w));
    expect_err(
        w.send(&[by_admin], &[&admin]).await,
        BackstopError::NotUpgradeAuthority,
    );
    assert!(w.bank.account(pda::protocol()).await.is_none());

    // The upgrade authority initialises.
    let a = args(&w);
    ok(w.bank.initialize_protocol(a).await);
    let protocol: Protocol = w.bank.decode(pda::protocol()).await.expect("protocol");
    assert_eq!(protocol.admin, a.admin);
    assert_eq!(protocol.guardian, a.guardian);
    assert_eq!(protocol.treasury, a.treasury);
    assert_eq!(protocol.governance_delay, 3_600);
    // and only once: the system program refuses to create the account
    // again (its AccountAlreadyInUse, code 0)
    expect_err(
        w.bank.initialize_protocol(a).await,
        "Custom(0) from 11111111111111111111111111111111",
    );
}

/// A program made immutable (no upgrade authority left) cannot be
/// initialised by anyone: nobody can prove the right to.
#[tokio::test]
async fn an_immutable_program_cannot_be_initialised() {
    if skip_natively(
        "program_data::an_immutable_program_cannot_be_initialised",
        "the native build has no ProgramData account, so the guard is open there",
    ) {
        return;
    }
    let mut w = World::bare().await;
    let mut data = w
        .bank
        .account(pda::program_data())
        .await
        .expect("ProgramData");
    // Option<Pubkey>: None, as `solana program set-upgrade-authority --final` leaves it
    data.data[12] = 0;
    data.data[13..45].fill(0);
    w.bank.set_account(pda::program_data(), data);
    let a = args(&w);
    expect_err(
        w.bank.initialize_protocol(a).await,
        BackstopError::NotUpgradeAuthority,
    );
    assert!(w.bank.account(pda::protocol()).await.is_none());
}
