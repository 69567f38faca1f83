//! `backstop localnet` spoken to by Solana's own Rust RPC client: the program
//! served over JSON-RPC on loopback, driven by real signed transactions.

mod common;

use backstop_client::types::{MintOptIns, PoolParams, STAKE_ACCOUNT_SIZE, Stake};
use backstop_client::{decode, ix, pda};
use common::*;
use solana_rpc_client::rpc_client::RpcClient;
use solana_signer::Signer;
use solana_transaction::Transaction;

#[test]
fn rust_rpc_client_stakes_and_reads_back() {
    let node = start();
    let rpc = RpcClient::new(node.url.clone());
    let admin = &node.admin;
    assert!(rpc.get_balance(&admin.pubkey()).unwrap() >= 1_000_000_000);

    // A mint and a funded token account for the admin, with SPL Token instructions.
    let (mint, tokens) = mint_and_account(&rpc, admin, &admin.pubkey(), 5_000_000);
    assert_eq!(
        rpc.get_token_account_balance(&tokens).unwrap().amount,
        "5000000"
    );

    // The admin creates a pool and stakes into it.
    let params = PoolParams {
        cooldown: 86_400,
        ..PoolParams::default()
    };
    send(
        &rpc,
        &[ix::create_pool(
            admin.pubkey(),
            admin.pubkey(),
            admin.pubkey(),
            mint,
            params,
            MintOptIns::default(),
        )],
        admin,
        &[],
    );
    send(
        &rpc,
        &[ix::stake(
            admin.pubkey(),
            mint,
            admin.pubkey(),
            tokens,
            2_000_000,
        )],
        admin,
        &[],
    );
    let pool = pda::pool(&mint);
    let stake: Stake = decode(
        &rpc.get_account(&pda::stake(&pool, &admin.pubkey()))
            .unwrap()
            .data,
    )
    .unwrap();
    assert_eq!(stake.recorded_shares(), 2_000_000);

    // A refusal comes back as the program's error code in the preflight.
    let hash = rpc.get_latest_blockhash().unwrap();
    let tx = Transaction::new_signed_with_payer(
        &[ix::complete_unstake(admin.pubkey(), mint, tokens)],
        Some(&admin.pubkey()),
        &[admin],
        hash,
    );
    let err = rpc
        .send_and_confirm_transaction(&tx)
        .unwrap_err()
        .to_string();
    let code = backstop_client::errors::backstop_error_code("NoPendingRequest").unwrap();
    assert!(
        err.contains(&format!("custom program error: 0x{code:x}")),
        "{err}"
    );

    // getProgramAccounts with memcmp filters: Anchor's discriminator finds every
    // stake (this pool's and the demo pool's treasury stakes); the pool field
    // (offset 8 + 1 + 1 + 4) narrows it to this pool's.
    use anchor_lang::Discriminator;
    use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
    let stakes_where = |filters: Vec<RpcFilterType>| {
        rpc.get_program_ui_accounts_with_config(
            &backstop_client::PROGRAM_ID,
            solana_rpc_client_api::config::RpcProgramAccountsConfig {
                filters: Some(filters),
                ..Default::default()
            },
        )
        .unwrap()
    };
    let discriminator =
        RpcFilterType::Memcmp(Memcmp::new_raw_bytes(0, Stake::DISCRIMINATOR.to_vec()));
    assert_eq!(stakes_where(vec![discriminator.clone()]).len(), 2);
    let this_pool = RpcFilterType::Memcmp(Memcmp::new_raw_bytes(14, pool.to_bytes().to_vec()));
    let found = stakes_where(vec![
        discriminator,
        this_pool,
        RpcFilterType::DataSize(STAKE_ACCOUNT_SIZE as u64),
    ]);
    // the treasury's (the admin is the treasury, so it is the same stake)
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, pda::stake(&pool, &admin.pubkey()));

    // The extra method moves the clock: request, advance past the cooldown, complete.
    send(
        &rpc,
        &[ix::request_unstake(
            admin.pubkey(),
            mint,
            admin.pubkey(),
            500_000,
        )],
        admin,
        &[],
    );
    let before = rpc
        .get_account(&pda::stake(&pool, &admin.pubkey()))
        .unwrap();
    let request_ts = decode::<Stake>(&before.data)
        .unwrap()
        .request()
        .expect("a pending request")
        .ts;
    let advanced: serde_json::Value = rpc
        .send(
            solana_rpc_client_api::request::RpcRequest::Custom {
                method: "backstop_advanceClock",
            },
            serde_json::json!([86_400]),
        )
        .unwrap();
    assert!(advanced["unixTimestamp"].as_i64().unwrap() >= request_ts + 86_400);
    send(
        &rpc,
        &[ix::complete_unstake(admin.pubkey(), mint, tokens)],
        admin,
        &[],
    );
    assert_eq!(
        rpc.get_token_account_balance(&tokens).unwrap().amount,
        "3500000"
    );
}

/// `backstop localnet --sbf` serves the `.so` as a cluster holds it: the
/// program account owned by the upgradeable loader, pointing at its
/// ProgramData, whose upgrade authority is set; and `simulateTransaction`
/// answers the SBF program's compute units. On the VM pass only (it needs
/// `sbf/build --with-test-programs`).
#[test]
fn localnet_sbf_serves_the_upgradeable_program_and_its_compute_units() {
    if backstop_bank::skip_natively(
        "localnet::localnet_sbf_serves_the_upgradeable_program_and_its_compute_units",
        "it serves target/deploy/backstop.so",
    ) {
        return;
    }
    let port = free_port();
    let dir = std::env::temp_dir().join(format!(
        "backstop-localnet-sbf-{}-{port}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let admin = solana_keypair::Keypair::new();
    write_keypair(&dir.join("admin.json"), &admin);
    let node = start_with_args(port, dir, admin.insecure_clone(), &["--sbf"]);
    let rpc = RpcClient::new(node.url.clone());

    let loader: solana_pubkey::Pubkey = "BPFLoaderUpgradeab1e11111111111111111111111"
        .parse()
        .unwrap();
    let program = rpc.get_account(&backstop_client::PROGRAM_ID).unwrap();
    assert_eq!((program.owner, program.executable), (loader, true));
    let (program_data, _) = solana_pubkey::Pubkey::find_program_address(
        &[backstop_client::PROGRAM_ID.as_ref()],
        &loader,
    );
    // UpgradeableLoaderState::Program { programdata_address }: tag 2, then the address
    assert_eq!(&program.data[..4], &[2, 0, 0, 0]);
    assert_eq!(&program.data[4..36], program_data.as_ref());
    let data = rpc.get_account(&program_data).unwrap();
    // ProgramData { slot, upgrade_authority_address: Some(_) }: tag 3, slot, option 1
    assert_eq!(&data.data[..4], &[3, 0, 0, 0]);
    assert_eq!(data.data[12], 1, "an upgrade authority is set");
    assert_eq!(data.owner, loader);

    // A stake of the demo mint, simulated: the SBF program's compute units.
    let mint = node.demo_mint;
    let tokens = backstop_client::token::associated_token_account(
        &admin.pubkey(),
        backstop_client::ix::Asset::owned_by(mint, backstop_client::token::SPL_TOKEN_PROGRAM),
    );
    let stake = ix::stake(admin.pubkey(), mint, admin.pubkey(), tokens, 1_000_000);
    let blockhash = rpc.get_latest_blockhash().unwrap();
    let tx =
        Transaction::new_signed_with_payer(&[stake], Some(&admin.pubkey()), &[&admin], blockhash);
    let simulated = rpc.simulate_transaction(&tx).unwrap().value;
    assert_eq!(simulated.err, None, "{:?}", simulated.logs);
    let units = simulated.units_consumed.unwrap();
    assert!(
        (20_000..=50_000).contains(&units),
        "a first stake on the VM costs {units} CU"
    );
}
