//! Transfer hooks (issue 19, finding 2): a mint whose hook has, or can be
//! given, a program needs governance's opt-in; in an opted-in pool every
//! transfer carries the hook's accounts, so the fund keeps working when the
//! issuer sets the hook program after the pool exists. The hook is the real
//! program of `tests/hook`, called by the real Token-2022 program.

use backstop_client::hook::{extra_accounts, with_extra_accounts};
use backstop_test_hook as hook;
use backstop_tests::*;
use solana_account::Account;
use solana_instruction::AccountMeta;

fn hook_opt_in() -> MintOptIns {
    MintOptIns {
        permanent_delegate: false,
        transfer_hook: true,
    }
}

fn params() -> PoolParams {
    PoolParams {
        max_apr_bps: 0,
        protocol_cut_bps: 0,
        ..test_params()
    }
}

/// The hook's validation and config accounts, as its issuer would create them.
fn install_hook_accounts(w: &mut World, mint: Pubkey, refuse: bool) {
    for (key, data) in [
        (
            hook::validation_address(&mint),
            hook::validation_data(&mint),
        ),
        (hook::config_address(&mint), hook::config_data(refuse)),
    ] {
        let account = Account {
            lamports: LAMPORTS_PER_SOL,
            data,
            owner: hook::ID,
            executable: false,
            rent_epoch: 0,
        };
        w.bank.set_account(key, account);
    }
}

/// The hook's accounts as a client resolves them from the chain.
async fn resolve_extra(w: &mut World, mint: Pubkey) -> Vec<AccountMeta> {
    let mint_data = w.bank.account(mint).await.expect("mint").data;
    let validation = w.bank.account(hook::validation_address(&mint)).await;
    extra_accounts(&mint, &mint_data, validation.as_ref().map(|a| &a.data[..]))
        .expect("resolvable hook accounts")
}

/// A pool of a Token-2022 mint whose hook has an authority (the fee payer)
/// and no program yet.
async fn hooked_pool(w: &mut World) -> Pubkey {
    let mint = w
        .create_mint_2022(&[MintExtension::TransferHook {
            program: None,
            authority: true,
        }])
        .await;
    let admin = w.admin.insecure_clone();
    ok(
        w.try_create_pool_with(&admin, mint, params(), hook_opt_in())
            .await,
    );
    mint
}

#[tokio::test]
async fn a_hook_that_can_get_a_program_needs_the_opt_in() {
    let mut w = World::new().await;
    let mint = w
        .create_mint_2022(&[MintExtension::TransferHook {
            program: None,
            authority: true,
        }])
        .await;
    let admin = w.admin.insecure_clone();
    expect_err(
        w.try_create_pool_with(&admin, mint, params(), MintOptIns::default())
            .await,
        BackstopError::UnsupportedMintExtension,
    );
    ok(
        w.try_create_pool_with(&admin, mint, params(), hook_opt_in())
            .await,
    );
    let pool = w.pool(mint).await;
    assert!(pool.allow_transfer_hook);
    assert!(!pool.allow_permanent_delegate);
}

#[tokio::test]
async fn a_hook_set_after_the_pool_exists_keeps_every_flow_working() {
    let mut w = World::new().await;
    let mint = hooked_pool(&mut w).await;
    let alice = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 4_000).await);
    let m = w.lending_market(mint, u64::MAX).await;
    // the issuer sets its hook program
    install_hook_accounts(&mut w, mint, false);
    ok(w.bank.set_transfer_hook(mint, Some(hook::ID)).await);
    let extra = resolve_extra(&mut w, mint).await;
    assert_eq!(
        extra.iter().map(|m| m.pubkey).collect::<Vec<_>>(),
        vec![
            hook::config_address(&mint),
            hook::ID,
            hook::validation_address(&mint)
        ]
    );
    assert!(extra.iter().all(|m| !m.is_signer));
    // without the hook's accounts Token-2022 cannot run the hook
    assert!(w.try_stake(&alice, 1_000).await.is_err());

    // stake
    let stake = with_extra_accounts(w.make_stake_ix(&alice, 1_000), &extra);
    ok(w.send(&[stake], &[&alice.kp]).await);
    assert_eq!(w.assets_and_shares(mint).await, (5_000, 5_000));
    // revenue paid by a plain hooked transfer, then swept
    let funder = w.user(mint, 1_000).await;
    let revenue = World::keys(mint).revenue;
    ok(w.bank
        .transfer_tokens_with(funder.tokens, revenue, &funder.kp, 1_000, &extra)
        .await);
    w.advance(3_600).await;
    let keeper = w.keeper.insecure_clone();
    let sweep = ix::sweep_revenue(keeper.pubkey(), w.asset(mint), w.treasury.pubkey());
    ok(w.send(&[with_extra_accounts(sweep, &extra)], &[&keeper])
        .await);
    assert_eq!(w.assets_and_shares(mint).await, (6_000, 5_000));
    // a resolution pays the settlement account
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 1_200).await);
    let resolve = with_extra_accounts(w.make_resolve_ix(&m, debtor), &extra);
    ok(w.send(&[resolve], &[&keeper]).await);
    assert_eq!(w.balance(m.settlement).await, 1_200);
    assert_eq!(w.assets_and_shares(mint).await, (4_800, 5_000));
    // a payout
    let victim = w.user(mint, 0).await;
    let id = w
        .try_propose_payout(mint, victim.tokens, 800)
        .await
        .unwrap();
    let execute = ix::execute_payout(keeper.pubkey(), w.asset(mint), id, victim.tokens);
    ok(w.send(&[with_extra_accounts(execute, &extra)], &[&keeper])
        .await);
    assert_eq!(w.balance(victim.tokens).await, 800);
    // an exit: request (no sweep due) and complete
    ok(w.try_request_unstake(&alice, 5_000).await);
    w.advance(params().cooldown as i64).await;
    let complete = ix::complete_unstake(alice.key(), w.asset(mint), alice.tokens);
    ok(
        w.send(&[with_extra_accounts(complete, &extra)], &[&alice.kp])
            .await,
    );
    assert_eq!(w.balance(alice.tokens).await, 5_000 + 4_000);
    assert_eq!(w.assets_and_shares(mint).await, (0, 0));
}

#[tokio::test]
async fn a_refusing_hook_refuses_by_name_and_moves_nothing() {
    let mut w = World::new().await;
    let mint = hooked_pool(&mut w).await;
    let alice = w.user(mint, 10_000).await;
    ok(w.try_stake(&alice, 4_000).await);
    install_hook_accounts(&mut w, mint, true);
    ok(w.bank.set_transfer_hook(mint, Some(hook::ID)).await);
    let extra = resolve_extra(&mut w, mint).await;
    let stake = with_extra_accounts(w.make_stake_ix(&alice, 1_000), &extra);
    expect_err(
        w.send(&[stake], &[&alice.kp]).await,
        &format!("Custom({}) from {}", hook::HOOK_REFUSED, hook::ID),
    );
    assert_eq!(w.assets_and_shares(mint).await, (4_000, 4_000));
    assert_eq!(w.balance(alice.tokens).await, 6_000);
    // the issuer lets transfers through again: the fund works
    install_hook_accounts(&mut w, mint, false);
    let stake = with_extra_accounts(w.make_stake_ix(&alice, 1_000), &extra);
    ok(w.send(&[stake], &[&alice.kp]).await);
    assert_eq!(w.assets_and_shares(mint).await, (5_000, 5_000));
}
