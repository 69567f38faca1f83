//! `backstop localnet` spoken to by Solana's own Rust RPC client: the program
//! served over JSON-RPC on loopback, driven by real signed transactions.

mod common;

use backstop::state::{PoolParams, Stake};
use backstop_client::{decode, ix, pda};
use common::*;
use solana_keypair::Keypair;
use solana_program_pack::Pack;
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
    let mint = Keypair::new();
    let tokens = Keypair::new();
    let mint_rent = rpc
        .get_minimum_balance_for_rent_exemption(spl_token_interface::state::Mint::LEN)
        .unwrap();
    let acct_rent = rpc
        .get_minimum_balance_for_rent_exemption(spl_token_interface::state::Account::LEN)
        .unwrap();
    let token = spl_token_interface::ID;
    send(
        &rpc,
        &[
            solana_system_interface::instruction::create_account(
                &admin.pubkey(),
                &mint.pubkey(),
                mint_rent,
                82,
                &token,
            ),
            spl_token_interface::instruction::initialize_mint2(
                &token,
                &mint.pubkey(),
                &admin.pubkey(),
                None,
                6,
            )
            .unwrap(),
            solana_system_interface::instruction::create_account(
                &admin.pubkey(),
                &tokens.pubkey(),
                acct_rent,
                165,
                &token,
            ),
            spl_token_interface::instruction::initialize_account3(
                &token,
                &tokens.pubkey(),
                &mint.pubkey(),
                &admin.pubkey(),
            )
            .unwrap(),
            spl_token_interface::instruction::mint_to(
                &token,
                &mint.pubkey(),
                &tokens.pubkey(),
                &admin.pubkey(),
                &[],
                5_000_000,
            )
            .unwrap(),
        ],
        admin,
        &[&mint, &tokens],
    );
    assert_eq!(
        rpc.get_token_account_balance(&tokens.pubkey())
            .unwrap()
            .amount,
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
            mint.pubkey(),
            params,
        )],
        admin,
        &[],
    );
    send(
        &rpc,
        &[ix::stake(
            admin.pubkey(),
            mint.pubkey(),
            admin.pubkey(),
            tokens.pubkey(),
            2_000_000,
        )],
        admin,
        &[],
    );
    let pool = pda::pool(&mint.pubkey());
    let stake: Stake = decode(
        &rpc.get_account(&pda::stake(&pool, &admin.pubkey()))
            .unwrap()
            .data,
    )
    .unwrap();
    assert_eq!(stake.shares, 2_000_000);

    // A refusal comes back as the program's error code in the preflight.
    let hash = rpc.get_latest_blockhash().unwrap();
    let tx = Transaction::new_signed_with_payer(
        &[ix::complete_unstake(
            admin.pubkey(),
            mint.pubkey(),
            tokens.pubkey(),
        )],
        Some(&admin.pubkey()),
        &[admin],
        hash,
    );
    let err = rpc
        .send_and_confirm_transaction(&tx)
        .unwrap_err()
        .to_string();
    let code = 6000 + backstop::errors::BackstopError::NoPendingRequest as u32;
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
            &backstop::ID,
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
    let found = stakes_where(vec![discriminator, this_pool, RpcFilterType::DataSize(136)]);
    // the treasury's (the admin is the treasury, so it is the same stake)
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, pda::stake(&pool, &admin.pubkey()));

    // The extra method moves the clock: request, advance past the cooldown, complete.
    send(
        &rpc,
        &[ix::request_unstake(
            admin.pubkey(),
            mint.pubkey(),
            admin.pubkey(),
            500_000,
        )],
        admin,
        &[],
    );
    let before = rpc
        .get_account(&pda::stake(&pool, &admin.pubkey()))
        .unwrap();
    let request_ts = decode::<Stake>(&before.data).unwrap().request_ts;
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
        &[ix::complete_unstake(
            admin.pubkey(),
            mint.pubkey(),
            tokens.pubkey(),
        )],
        admin,
        &[],
    );
    assert_eq!(
        rpc.get_token_account_balance(&tokens.pubkey())
            .unwrap()
            .amount,
        "3500000"
    );
}
