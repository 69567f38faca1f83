//! Pools of Token-2022 mints (issue 10): the extension allow-list, the
//! permanent-delegate opt-in and shortfall handling, transfer fees turned on
//! after creation, accounts of the wrong token program, and a full cycle whose
//! figures equal those of a classic mint.

use backstop_client::types::mint_policy::refused_extension;
use backstop_tests::*;

fn params() -> PoolParams {
    PoolParams {
        protocol_cut_bps: 5_000,
        max_apr_bps: 0,
        ..test_params()
    }
}

/// The extension the program's allow-list names for `mint`, as Token-2022
/// names it (`None`: accepted).
async fn named_refusal(w: &mut World, mint: Pubkey, opt_in: bool) -> Option<String> {
    let data = w.bank.account(mint).await.expect("mint").data;
    let opt_ins = MintOptIns {
        permanent_delegate: opt_in,
        transfer_hook: opt_in,
    };
    refused_extension(&data, opt_ins)
        .expect("a Token-2022 mint")
        .map(|r| format!("{:?}", r.extension))
}

async fn try_pool(w: &mut World, extensions: &[MintExtension], opt_in: bool) -> (Pubkey, TxResult) {
    let mint = w.create_mint_2022(extensions).await;
    let admin = w.admin.insecure_clone();
    let result = w
        .try_create_pool_opting_in(&admin, mint, params(), opt_in)
        .await;
    (mint, result)
}

#[tokio::test]
async fn every_allowed_extension_is_accepted() {
    let mut w = World::new().await;
    let group = w
        .create_mint_2022(&[MintExtension::GroupPointer, MintExtension::TokenGroup])
        .await;
    let cases: Vec<Vec<MintExtension>> = vec![
        vec![MintExtension::TransferFee {
            basis_points: 0,
            maximum_fee: 0,
        }],
        vec![MintExtension::InterestBearing { rate_bps: 500 }],
        vec![MintExtension::ScaledUiAmount],
        vec![MintExtension::MetadataPointer],
        vec![MintExtension::MetadataPointer, MintExtension::TokenMetadata],
        vec![MintExtension::GroupPointer],
        vec![MintExtension::GroupPointer, MintExtension::TokenGroup],
        vec![MintExtension::GroupMemberPointer],
        vec![
            MintExtension::GroupMemberPointer,
            MintExtension::TokenGroupMember { group },
        ],
        vec![MintExtension::MintCloseAuthority],
        vec![MintExtension::ConfidentialTransferMint],
        vec![
            MintExtension::TransferFee {
                basis_points: 0,
                maximum_fee: 0,
            },
            MintExtension::ConfidentialTransferMint,
            MintExtension::ConfidentialTransferFee,
        ],
    ];
    for extensions in cases {
        let (mint, result) = try_pool(&mut w, &extensions, false).await;
        ok(result);
        assert_eq!(named_refusal(&mut w, mint, false).await, None);
        let pool = w.pool(mint).await;
        assert_eq!(pool.token_program, anchor_spl_token_2022_id());
        assert!(!pool.allow_permanent_delegate);
    }
    // and the group mint itself
    let admin = w.admin.insecure_clone();
    ok(w.try_create_pool_opting_in(&admin, group, params(), false)
        .await);
}

fn anchor_spl_token_2022_id() -> Pubkey {
    Asset::token_2022(Pubkey::default()).token_program
}

#[tokio::test]
async fn every_refused_extension_is_refused_by_name() {
    let mut w = World::new().await;
    let hook = Pubkey::new_unique();
    let cases: Vec<(Vec<MintExtension>, &str)> = vec![
        (
            vec![MintExtension::TransferHook {
                program: Some(hook),
                authority: false,
            }],
            "TransferHook",
        ),
        (
            vec![MintExtension::TransferHook {
                program: None,
                authority: true,
            }],
            "TransferHook",
        ),
        (vec![MintExtension::NonTransferable], "NonTransferable"),
        (
            vec![MintExtension::DefaultAccountState { frozen: true }],
            "DefaultAccountState",
        ),
        (
            vec![MintExtension::DefaultAccountState { frozen: false }],
            "DefaultAccountState",
        ),
        (vec![MintExtension::Pausable], "Pausable"),
        (
            vec![MintExtension::PermanentDelegate {
                delegate: w.bank.payer_pubkey(),
            }],
            "PermanentDelegate",
        ),
    ];
    for (extensions, name) in cases {
        let (mint, result) = try_pool(&mut w, &extensions, false).await;
        expect_err(result, BackstopError::UnsupportedMintExtension);
        assert_eq!(
            named_refusal(&mut w, mint, false).await.as_deref(),
            Some(name)
        );
        assert!(w.bank.account(pda::pool(&mint)).await.is_none());
    }
    // a fee that is not 0 at creation
    let (_, result) = try_pool(
        &mut w,
        &[MintExtension::TransferFee {
            basis_points: 10,
            maximum_fee: 1_000,
        }],
        false,
    )
    .await;
    expect_err(result, BackstopError::TransferFeeNotSupported);
}

#[tokio::test]
async fn a_pyusd_like_mint_needs_governances_opt_in() {
    let mut w = World::new().await;
    let delegate = w.bank.payer_pubkey();
    let mint = w
        .create_mint_2022(&MintExtension::pyusd_like(delegate))
        .await;
    let admin = w.admin.insecure_clone();
    expect_err(
        w.try_create_pool_opting_in(&admin, mint, params(), false)
            .await,
        BackstopError::UnsupportedMintExtension,
    );
    // its hook has an authority that could set a program; then its delegate
    assert_eq!(
        named_refusal(&mut w, mint, false).await.as_deref(),
        Some("TransferHook")
    );
    assert_eq!(named_refusal(&mut w, mint, true).await, None);
    ok(w.try_create_pool_opting_in(&admin, mint, params(), true)
        .await);
    let pool = w.pool(mint).await;
    assert!(pool.allow_permanent_delegate);
    assert_eq!(pool.token_program, anchor_spl_token_2022_id());
    // and it works: a stake, 1:1 into the empty pool
    let alice = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    assert_eq!(w.assets_and_shares(mint).await, (1_000_000, 1_000_000));
}

#[tokio::test]
async fn a_short_vault_stops_the_pool_until_sync_writes_the_loss_down() {
    let mut w = World::new().await;
    let delegate = w.bank.payer().insecure_clone();
    let mint = w
        .create_mint_2022(&MintExtension::pyusd_like(delegate.pubkey()))
        .await;
    let admin = w.admin.insecure_clone();
    ok(
        w.try_create_pool_opting_in(&admin, mint, test_params(), true)
            .await,
    );
    let alice = w.user(mint, 2_000_000).await;
    let bob = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    ok(w.try_stake(&bob, 1_000_000).await);
    ok(w.try_request_unstake(&bob, 500_000).await);
    let m = w.lending_market(mint, u64::MAX).await;
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 1_000).await);
    let victim = w.user(mint, 0).await;
    let id = w
        .try_propose_payout(mint, victim.tokens, 1_000)
        .await
        .unwrap();

    let iso = w
        .try_create_market(mint, MarketKind::Perp, u64::MAX, true, 10_000)
        .await
        .unwrap();
    ok(w.try_pay_premium(&iso, 300).await);
    let iso_debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&iso, iso_debtor, 200).await);

    // the delegate takes 500,000 of the vault's 2,000,000
    let keys = PoolKeys::new(w.asset(mint));
    let thief = w.user(mint, 0).await;
    ok(w.bank
        .transfer_tokens(keys.vault, thief.tokens, &delegate, 500_000)
        .await);
    assert_eq!(w.vault_balance(mint).await, 1_500_000);
    let short = "VaultShortfall";
    expect_err(w.try_stake(&alice, 1).await, short);
    expect_err(w.try_request_unstake(&alice, 1).await, short);
    expect_err(w.try_cancel(&bob).await, short);
    w.advance(test_params().cooldown as i64).await;
    expect_err(w.try_complete(&bob).await, short);
    expect_err(w.try_sweep(mint).await, short);
    expect_err(w.try_pay_premium(&m, 10).await, short);
    expect_err(w.try_resolve(&m, debtor).await, short);
    expect_err(w.try_execute_payout(mint, id, victim.tokens).await, short);
    assert_eq!(w.assets_and_shares(mint).await, (2_000_000, 2_000_000));
    // an isolated market never touches the pool: its resolution still works
    ok(w.try_resolve(&iso, iso_debtor).await);
    assert_eq!(w.balance(iso.settlement).await, 200);
    assert_eq!(w.market(iso.index).await.isolated_assets, 100);

    // anyone syncs: A falls to the balance, a loss to the stakers
    ok(w.try_sync_vault(mint).await);
    assert_eq!(w.assets_and_shares(mint).await, (1_500_000, 2_000_000));
    // the recorded loss is resolved before anyone leaves (LossPending)
    expect_err(w.try_complete(&bob).await, BackstopError::LossPending);
    ok(w.try_resolve(&m, debtor).await);
    assert_eq!(w.assets_and_shares(mint).await, (1_499_000, 2_000_000));
    // bob's request was worth 500,000 and now pays
    // min(500,000, ⌊500,000·1,499,000 / 2,000,000⌋)
    ok(w.try_complete(&bob).await);
    assert_eq!(w.balance(bob.tokens).await, 374_750);
    assert_eq!(w.assets_and_shares(mint).await, (1_124_250, 1_500_000));
    // and new stakers come in at the lower price: ⌊3,000·1.5M / 1,124,250⌋
    ok(w.try_stake(&alice, 3_000).await);
    assert_eq!(w.shares(mint, alice.key()).await, 1_000_000 + 4_002);
    assert_eq!(
        w.vault_balance(mint).await,
        w.assets_and_shares(mint).await.0
    );
}

/// Everything a staker, a keeper and a market see in one cycle.
async fn cycle(token_2022: bool) -> Vec<u128> {
    let mut w = World::new().await;
    let mint = if token_2022 {
        w.new_pool_2022(params(), &[]).await
    } else {
        w.new_pool(params()).await
    };
    let alice = w.user(mint, 10_000_000).await;
    let bob = w.user(mint, 10_000_000).await;
    ok(w.try_stake(&alice, 6_000_000).await);
    ok(w.try_revenue(mint, 300_001).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    ok(w.try_stake(&bob, 4_000_000).await);
    let m = w.perp_market(mint, 2_000_000).await;
    let trader = Keypair::new().pubkey();
    ok(w.try_record_position(&m, trader, 3_000_000).await);
    ok(w.try_pay_premium(&m, 7_777).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 2_500_000).await);
    ok(w.try_resolve(&m, debtor).await);
    ok(w.try_request_unstake(&alice, 2_000_000).await);
    w.advance(test_params().cooldown as i64).await;
    ok(w.try_complete(&alice).await);
    let (a, s) = w.assets_and_shares(mint).await;
    let market = w.market(m.index).await;
    vec![
        a as u128,
        s,
        w.shares(mint, alice.key()).await,
        w.shares(mint, bob.key()).await,
        w.shares(mint, w.treasury.pubkey()).await,
        w.balance(alice.tokens).await as u128,
        w.vault_balance(mint).await as u128,
        w.revenue_balance(mint).await as u128,
        w.balance(m.settlement).await as u128,
        market.insurance_used as u128,
        market.socialised as u128,
        market.loss_index,
        w.position_owed(m.index, trader).await as u128,
    ]
}

#[tokio::test]
async fn a_full_cycle_on_token_2022_equals_the_classic_one() {
    let classic = cycle(false).await;
    let t22 = cycle(true).await;
    assert_eq!(t22, classic);
    // the cycle did something: the fund paid its cap, alice left with tokens
    assert_eq!(classic[9], 2_000_000);
    assert!(classic[5] > 4_000_000);
}

#[tokio::test]
async fn a_fee_turned_on_later_stops_inflows_and_exits_bear_it() {
    let mut w = World::with_delay(DAY as u64).await;
    let fee_free = MintExtension::TransferFee {
        basis_points: 0,
        maximum_fee: 0,
    };
    let mint = w.new_pool_2022(params(), &[fee_free]).await;
    let alice = w.user(mint, 10_000_000).await;
    let bob = w.user(mint, 10_000_000).await;
    ok(w.try_stake(&alice, 4_000_000).await);
    ok(w.try_stake(&bob, 4_000_000).await);
    ok(w.try_request_unstake(&alice, 1_000_000).await);
    let m = w.lending_market(mint, u64::MAX).await;
    w.set_time(START + DAY).await;
    let lender = Keypair::new().pubkey();
    ok(w.try_record_deposit(&m, lender, 10_000).await);
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 100_000).await);
    let victim = w.user(mint, 0).await;
    let id = w
        .try_propose_payout(mint, victim.tokens, 200_000)
        .await
        .unwrap();
    ok(w.try_revenue(mint, 1_000).await);
    ok(w.try_donate(mint, 500).await);

    // the fee authority turns on 1 % (it applies two epochs later)
    ok(w.bank.set_transfer_fee(mint, 100, u64::MAX).await);
    w.bank.advance_epochs(2).await;
    let fee = "TransferFeeNotSupported";
    expect_err(w.try_stake(&bob, 1_000).await, fee);
    expect_err(w.try_sweep(mint).await, fee);
    expect_err(w.try_sync_vault(mint).await, fee);
    expect_err(w.try_pay_premium(&m, 1_000).await, fee);
    // a request still works: its inline sweep waits while the fee is on
    ok(w.try_request_unstake(&bob, 1_000_000).await);
    assert_eq!(w.revenue_balance(mint).await, 1_000);

    // exits: A falls by what leaves the vault, the recipient bears the fee
    let (a0, s0) = w.assets_and_shares(mint).await;
    assert_eq!((a0, s0), (8_000_000, 8_000_000));
    w.set_time(START + test_params().cooldown as i64).await;
    // the recorded loss is resolved first (exits wait for it: LossPending)
    expect_err(w.try_complete(&alice).await, BackstopError::LossPending);
    ok(w.try_resolve(&m, debtor).await);
    assert_eq!(w.balance(m.settlement).await, 99_000);
    assert_eq!(w.assets_and_shares(mint).await.0, a0 - 100_000);
    // alice leaves at the price after the loss: ⌊10⁶·7,900,000 / 8·10⁶⌋ =
    // 987,500, less the 1 % fee of 9,875
    ok(w.try_complete(&alice).await);
    assert_eq!(w.balance(alice.tokens).await, 6_000_000 + 977_625);
    assert_eq!(w.assets_and_shares(mint).await.0, a0 - 1_087_500);
    ok(w.try_execute_payout(mint, id, victim.tokens).await);
    assert_eq!(w.balance(victim.tokens).await, 198_000);
    assert_eq!(w.assets_and_shares(mint).await.0, a0 - 1_287_500);
    assert!(w.vault_balance(mint).await >= w.assets_and_shares(mint).await.0);
}

#[tokio::test]
async fn accounts_of_the_other_token_program_are_refused() {
    let mut w = World::new().await;
    let mint = w.new_pool_2022(params(), &[]).await;
    let alice = w.user(mint, 1_000_000).await;
    ok(w.try_stake(&alice, 500_000).await);
    // a classic SPL Token account named as the staker's: a different mint of
    // the other program, so the mint check or the program check refuses it
    let classic_mint = w.create_mint().await;
    let classic = w
        .bank
        .create_token_account(classic_mint, alice.key())
        .await
        .unwrap();
    let i = ix::stake(alice.key(), w.asset(mint), w.treasury.pubkey(), classic, 1);
    expect_err(
        w.send(&[i], &[&alice.kp]).await,
        BackstopError::MintMismatch,
    );
    // the pool's mint named with the classic program
    let i = ix::stake(
        alice.key(),
        Asset::spl_token(mint),
        w.treasury.pubkey(),
        alice.tokens,
        1,
    );
    expect_err(
        w.send(&[i], &[&alice.kp]).await,
        BackstopError::WrongTokenProgram,
    );
    // and a classic pool given Token-2022 as its program
    let classic_pool = w.new_pool(params()).await;
    let bob = w.user(classic_pool, 1_000).await;
    let i = ix::stake(
        bob.key(),
        Asset::token_2022(classic_pool),
        w.treasury.pubkey(),
        bob.tokens,
        1,
    );
    expect_err(
        w.send(&[i], &[&bob.kp]).await,
        BackstopError::WrongTokenProgram,
    );
    assert_eq!(w.assets_and_shares(mint).await, (500_000, 500_000));
    assert_eq!(w.assets_and_shares(classic_pool).await, (0, 0));
}
