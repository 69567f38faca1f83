//! Liquid insurance shares (issue 23): a stake wrapped into receipt tokens,
//! sent, unwrapped by someone with no stake yet, through a sweep, a
//! socialised loss and a wipe-out, with exact figures.

use backstop_client::token::{mint_supply, receipt_account};
use backstop_tests::*;
use spl_token_2022_interface::extension::metadata_pointer::MetadataPointer;
use spl_token_2022_interface::extension::{BaseStateWithExtensions, StateWithExtensions};
use spl_token_2022_interface::state::Mint;
use spl_token_metadata_interface::state::TokenMetadata;

fn params() -> PoolParams {
    PoolParams {
        max_apr_bps: 0,
        protocol_cut_bps: 0,
        ..test_params()
    }
}

fn receipt_mint(mint: Pubkey, epoch: u64) -> Pubkey {
    pda::receipt_mint(&pda::pool(&mint), epoch)
}

async fn try_wrap(w: &mut World, user: &User, shares: u128) -> TxResult {
    let epoch = u64::from(w.pool(user.mint).await.epoch);
    let i = ix::wrap(user.key(), user.mint, epoch, shares);
    w.send(&[i], &[&user.kp]).await
}

async fn try_unwrap(w: &mut World, user: &User, epoch: u64, amount: u64) -> TxResult {
    let account = receipt_account(&user.key(), &receipt_mint(user.mint, epoch));
    let i = ix::unwrap(user.key(), user.mint, epoch, account, amount);
    w.send(&[i], &[&user.kp]).await
}

async fn receipts_of(w: &mut World, user: &User, epoch: u64) -> u64 {
    let account = receipt_account(&user.key(), &receipt_mint(user.mint, epoch));
    w.balance(account).await
}

/// A plain Token-2022 transfer of receipts to `to` (its account created).
async fn send_receipts(w: &mut World, from: &User, to: &User, amount: u64) -> TxResult {
    let epoch = u64::from(w.pool(from.mint).await.epoch);
    let receipts = Asset::token_2022(receipt_mint(from.mint, epoch));
    let (src, dst) = (
        receipt_account(&from.key(), &receipts.mint),
        receipt_account(&to.key(), &receipts.mint),
    );
    let create = backstop_client::token::create_associated_token_account_idempotent(
        &from.key(),
        &to.key(),
        receipts,
    );
    let transfer =
        backstop_client::token::transfer_checked(receipts, &src, &dst, &from.key(), amount, 6);
    w.send(&[create, transfer], &[&from.kp]).await
}

#[tokio::test]
async fn receipts_earn_and_lose_exactly_as_shares_and_move_between_holders() {
    let (mut w, mint, alice) = World::with_one_pool(params(), 1_000_000).await;
    let bob = w.user(mint, 0).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    // wrap 400,000 of alice's 1,000,000 shares
    ok(try_wrap(&mut w, &alice, 400_000).await);
    assert_eq!(w.shares(mint, alice.key()).await, 600_000);
    assert_eq!(w.pool(mint).await.wrapped, 400_000);
    assert_eq!(w.assets_and_shares(mint).await, (1_000_000, 1_000_000));
    assert_eq!(receipts_of(&mut w, &alice, 0).await, 400_000);
    let supply = w.bank.account(receipt_mint(mint, 0)).await.unwrap().data;
    assert_eq!(mint_supply(&supply), Some(400_000));
    // send 100,000 to bob, who has no stake
    ok(send_receipts(&mut w, &alice, &bob, 100_000).await);
    assert_eq!(receipts_of(&mut w, &bob, 0).await, 100_000);
    assert!(w.stake_of(mint, bob.key()).await.is_none());
    // revenue of 500,000 swept: A = 1,500,000 for S = 1,000,000
    ok(w.try_revenue(mint, 500_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    let pool = w.pool(mint).await;
    assert_eq!(views::receipt_value(&pool, 0, 100_000), Ok(150_000));
    assert_eq!(views::receipt_value(&pool, 0, 300_000), Ok(450_000));
    // bob unwraps: a stake is created for him; he requests and leaves
    ok(try_unwrap(&mut w, &bob, 0, 100_000).await);
    assert_eq!(receipts_of(&mut w, &bob, 0).await, 0);
    assert_eq!(w.shares(mint, bob.key()).await, 100_000);
    assert_eq!(w.pool(mint).await.wrapped, 300_000);
    ok(w.try_request_unstake(&bob, 100_000).await);
    w.advance(params().cooldown as i64).await;
    ok(w.try_complete(&bob).await);
    assert_eq!(w.balance(bob.tokens).await, 150_000);
    assert_eq!(w.assets_and_shares(mint).await, (1_350_000, 900_000));
    // a loss of 300,000: alice's receipts lose exactly as her shares do
    let m = w.lending_market(mint, u64::MAX).await;
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 300_000).await);
    ok(w.try_resolve(&m, debtor).await);
    let pool = w.pool(mint).await;
    assert_eq!((pool.assets, pool.total_shares), (1_050_000, 900_000));
    assert_eq!(views::receipt_value(&pool, 0, 300_000), Ok(350_000));
    let stake = w.stake_account(mint, alice.key()).await.unwrap();
    assert_eq!(views::stake_value(&stake, &pool), Ok(700_000));
    // alice unwraps everything back and holds 900,000 shares
    ok(try_unwrap(&mut w, &alice, 0, 300_000).await);
    assert_eq!(w.shares(mint, alice.key()).await, 900_000);
    assert_eq!(w.pool(mint).await.wrapped, 0);
}

#[tokio::test]
async fn a_wipe_out_leaves_old_receipts_worth_nothing_and_a_new_mint() {
    let (mut w, mint, alice) = World::with_one_pool(params(), 2_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    ok(try_wrap(&mut w, &alice, 250_000).await);
    let m = w.lending_market(mint, u64::MAX).await;
    let debtor = Keypair::new().pubkey();
    ok(w.try_record_bankruptcy(&m, debtor, 1_000_000).await);
    ok(w.try_resolve(&m, debtor).await);
    let pool = w.pool(mint).await;
    assert_eq!((pool.epoch, pool.total_shares, pool.wrapped), (1, 0, 0));
    assert_eq!(views::receipt_value(&pool, 0, 250_000), Ok(0));
    // the old receipts burn for nothing
    ok(try_unwrap(&mut w, &alice, 0, 250_000).await);
    assert_eq!(receipts_of(&mut w, &alice, 0).await, 0);
    assert_eq!(w.shares(mint, alice.key()).await, 0);
    // the new epoch has a mint of its own
    ok(w.try_stake(&alice, 1_000).await);
    ok(try_wrap(&mut w, &alice, 400).await);
    assert_ne!(receipt_mint(mint, 1), receipt_mint(mint, 0));
    assert_eq!(receipts_of(&mut w, &alice, 1).await, 400);
    assert_eq!(w.pool(mint).await.wrapped, 400);
    // an epoch-0 receipt cannot be unwrapped into epoch 1's shares
    expect_err(try_unwrap(&mut w, &alice, 0, 1).await, "InsufficientFunds");
    expect_err(
        try_unwrap(&mut w, &alice, 2, 1).await,
        BackstopError::ReceiptMintMismatch,
    );
}

#[tokio::test]
async fn the_treasury_wraps_its_shares_like_any_staker() {
    let params = PoolParams {
        protocol_cut_bps: 5_000,
        ..params()
    };
    let (mut w, mint, alice) = World::with_one_pool(params, 1_000_000).await;
    ok(w.try_stake(&alice, 1_000_000).await);
    ok(w.try_revenue(mint, 1_000_000).await);
    w.advance(3_600).await;
    ok(w.try_sweep(mint).await);
    // y = 500,000 first, then P = 500,000 buys ⌊500,000·10⁶ / 1,500,000⌋
    let treasury = w.treasury_user(mint).await;
    assert_eq!(w.shares(mint, treasury.key()).await, 333_333);
    ok(try_wrap(&mut w, &treasury, 333_333).await);
    assert_eq!(receipts_of(&mut w, &treasury, 0).await, 333_333);
    assert_eq!(w.shares(mint, treasury.key()).await, 0);
    assert_eq!(w.pool(mint).await.wrapped, 333_333);
}

#[tokio::test]
async fn wrap_refusals_are_named() {
    let (mut w, mint, alice) = World::with_one_pool(params(), 1_000_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    expect_err(try_wrap(&mut w, &alice, 0).await, BackstopError::ZeroShares);
    expect_err(
        try_wrap(&mut w, &alice, 1_001).await,
        BackstopError::InsufficientShares,
    );
    ok(w.try_request_unstake(&alice, 600).await);
    expect_err(
        try_wrap(&mut w, &alice, 401).await,
        BackstopError::SharesInRequest,
    );
    ok(try_wrap(&mut w, &alice, 400).await);
    let guardian = w.guardian.insecure_clone();
    ok(w.try_pause(&guardian, pause::STAKE).await);
    ok(w.try_cancel(&alice).await);
    expect_err(
        try_wrap(&mut w, &alice, 1).await,
        BackstopError::OperationPaused,
    );
    // unwrap is never paused
    ok(try_unwrap(&mut w, &alice, 0, 400).await);
    expect_err(
        try_unwrap(&mut w, &alice, 0, 0).await,
        BackstopError::ZeroAmount,
    );
    // another pool's receipt mint is not this pool's
    let other = w.new_pool(params()).await;
    let carol = w.user(other, 1_000).await;
    let admin = w.admin.insecure_clone();
    ok(w.try_unpause(&admin, pause::STAKE).await);
    ok(w.try_stake(&carol, 1_000).await);
    ok(try_wrap(&mut w, &carol, 10).await);
    let theirs = receipt_account(&carol.key(), &receipt_mint(other, 0));
    let mut i = ix::unwrap(carol.key(), mint, 0, theirs, 10);
    i.accounts[4].pubkey = receipt_mint(other, 0);
    expect_err(
        w.send(&[i], &[&carol.kp]).await,
        BackstopError::ReceiptMintMismatch,
    );
}

#[tokio::test]
async fn the_receipt_supply_never_passes_u64_max() {
    let (mut w, mint, alice) = World::with_one_pool(params(), 30_000_000_000_000).await;
    ok(w.try_stake(&alice, 10_000_000_000_000).await);
    // a loss leaves a share worth 10⁻⁶ (A·10⁶ = S: not wiped)
    let m = w.lending_market(mint, u64::MAX).await;
    let debtor = Keypair::new().pubkey();
    ok(
        w.try_record_bankruptcy(&m, debtor, 10_000_000_000_000 - 10_000_000)
            .await,
    );
    ok(w.try_resolve(&m, debtor).await);
    assert_eq!(
        w.assets_and_shares(mint).await,
        (10_000_000, 10_000_000_000_000)
    );
    // 2·10¹³ more buys 2·10¹⁹ shares, more than u64::MAX receipts
    ok(w.try_stake(&alice, 20_000_000_000_000).await);
    let shares = w.shares(mint, alice.key()).await;
    assert_eq!(shares, 10_000_000_000_000 + 20_000_000_000_000_000_000);
    expect_err(
        try_wrap(&mut w, &alice, shares).await,
        BackstopError::ReceiptSupplyOverflow,
    );
    ok(try_wrap(&mut w, &alice, u128::from(u64::MAX)).await);
    expect_err(
        try_wrap(&mut w, &alice, 1).await,
        BackstopError::ReceiptSupplyOverflow,
    );
}

#[tokio::test]
async fn the_receipt_mint_names_its_pool_for_wallets() {
    let (mut w, mint, alice) = World::with_one_pool(params(), 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    ok(try_wrap(&mut w, &alice, 10).await);
    let key = receipt_mint(mint, 0);
    let account = w.bank.account(key).await.unwrap();
    assert_eq!(account.owner, spl_token_2022_interface::ID);
    let state = StateWithExtensions::<Mint>::unpack(&account.data).unwrap();
    assert_eq!(state.base.decimals, 6);
    assert_eq!(
        Option::<Pubkey>::from(state.base.mint_authority),
        Some(pda::pool(&mint))
    );
    assert_eq!(Option::<Pubkey>::from(state.base.freeze_authority), None);
    let pointer = state.get_extension::<MetadataPointer>().unwrap();
    assert_eq!(Option::<Pubkey>::from(pointer.metadata_address), Some(key));
    let metadata = state.get_variable_len_extension::<TokenMetadata>().unwrap();
    let asset = mint.to_string();
    assert_eq!(
        metadata.name,
        format!(
            "Backstop {}..{} epoch 0",
            &asset[..4],
            &asset[asset.len() - 4..]
        )
    );
    assert_eq!(metadata.symbol, format!("bk{}.0", &asset[..4]));
    // the pool is the metadata's update authority (and the mint authority)
    assert_eq!(
        Option::<Pubkey>::from(metadata.update_authority),
        Some(pda::pool(&mint))
    );
    assert!(metadata.additional_metadata.is_empty());
    assert_eq!(metadata.mint, key);
}

#[tokio::test]
async fn nothing_wraps_or_unwraps_on_a_short_vault() {
    let mut w = World::new().await;
    let delegate = w.bank.payer().insecure_clone();
    let mint = w
        .create_mint_2022(&MintExtension::pyusd_like(delegate.pubkey()))
        .await;
    let admin = w.admin.insecure_clone();
    ok(w.try_create_pool_opting_in(&admin, mint, params(), true)
        .await);
    let alice = w.user(mint, 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    ok(try_wrap(&mut w, &alice, 100).await);
    // the delegate takes 10 of the vault's 1,000
    let thief = w.user(mint, 0).await;
    let vault = World::keys(mint).vault;
    ok(w.bank
        .transfer_tokens(vault, thief.tokens, &delegate, 10)
        .await);
    expect_err(
        try_wrap(&mut w, &alice, 1).await,
        BackstopError::VaultShortfall,
    );
    expect_err(
        try_unwrap(&mut w, &alice, 0, 1).await,
        BackstopError::VaultShortfall,
    );
    // written down, both work again
    ok(w.try_sync_vault(mint).await);
    ok(try_unwrap(&mut w, &alice, 0, 100).await);
    assert_eq!(w.shares(mint, alice.key()).await, 1_000);
}

#[tokio::test]
async fn a_prefunded_receipt_mint_address_cannot_block_the_first_wrap() {
    let (mut w, mint, alice) = World::with_one_pool(params(), 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    // anyone sends lamports to the next epoch's receipt mint address
    ok(w.bank.airdrop(receipt_mint(mint, 0), 1_000_000).await);
    ok(try_wrap(&mut w, &alice, 10).await);
    assert_eq!(receipts_of(&mut w, &alice, 0).await, 10);
}

/// `create_receipt_mint`, as clients send it ahead of an epoch's first wrap:
/// anyone creates the mint (by its address only), a second call does
/// nothing, and the wrap after it only mints.
#[tokio::test]
async fn a_receipt_mint_created_ahead_leaves_the_wrap_only_minting() {
    use backstop_client::events::{ReceiptMintCreated, SharesWrapped, decode_events};
    let (mut w, mint, alice) = World::with_one_pool(params(), 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    let key = receipt_mint(mint, 0);
    let keeper = w.keeper.insecure_clone();
    // another epoch's address is refused by name
    let mut i = ix::create_receipt_mint(keeper.pubkey(), mint, 0);
    i.accounts[2].pubkey = receipt_mint(mint, 1);
    expect_err(
        w.send(&[i], &[&keeper]).await,
        BackstopError::ReceiptMintMismatch,
    );
    assert!(w.bank.account(key).await.is_none());
    // anyone creates it and pays its rent
    let i = ix::create_receipt_mint(keeper.pubkey(), mint, 0);
    let created = ok(w.send(&[i], &[&keeper]).await);
    let account = w.bank.account(key).await.unwrap();
    assert_eq!(account.owner, spl_token_2022_interface::ID);
    let events: Vec<ReceiptMintCreated> = decode_events(&created.logs);
    assert_eq!(events.len(), 1, "{:#?}", created.logs);
    let e = &events[0];
    assert_eq!(
        (e.pool, e.receipt_mint, e.epoch, e.payer, e.rent),
        (pda::pool(&mint), key, 0, keeper.pubkey(), account.lamports)
    );
    let state = StateWithExtensions::<Mint>::unpack(&account.data).unwrap();
    assert_eq!((state.base.supply, state.base.decimals), (0, 6));
    // a second call succeeds and changes nothing
    let i = ix::create_receipt_mint(keeper.pubkey(), mint, 0);
    let again = ok(w.send(&[i], &[&keeper]).await);
    assert!(decode_events::<ReceiptMintCreated>(&again.logs).is_empty());
    assert_eq!(w.bank.account(key).await.unwrap().data, account.data);
    // the wrap's setup is then only the holder's receipt account
    let mut all = ix::wrap_setup(alice.key(), alice.key(), mint, 0, true, false);
    assert_eq!(all.len(), 1);
    all.push(ix::wrap(alice.key(), mint, 0, 400));
    let wrapped = ok(w.send(&all, &[&alice.kp]).await);
    let events: Vec<SharesWrapped> = decode_events(&wrapped.logs);
    assert_eq!(events.len(), 1);
    assert!(!events[0].mint_created);
    assert!(decode_events::<ReceiptMintCreated>(&wrapped.logs).is_empty());
    assert_eq!(receipts_of(&mut w, &alice, 0).await, 400);
    let data = w.bank.account(key).await.unwrap().data;
    assert_eq!(mint_supply(&data), Some(400));
    assert_eq!(w.pool(mint).await.wrapped, 400);
}

/// A wrap mints to a receipt account its owner holds; another holder's
/// account, or an address that is neither, is refused by name.
#[tokio::test]
async fn a_wrap_mints_to_its_owners_account_and_no_other() {
    let (mut w, mint, alice) = World::with_one_pool(params(), 1_000).await;
    let bob = w.user(mint, 1_000).await;
    ok(w.try_stake(&alice, 1_000).await);
    ok(try_wrap(&mut w, &alice, 10).await);
    let receipts = Asset::token_2022(receipt_mint(mint, 0));
    let create = backstop_client::token::create_associated_token_account_idempotent(
        &bob.key(),
        &bob.key(),
        receipts,
    );
    ok(w.send(&[create], &[&bob.kp]).await);
    let bobs = receipt_account(&bob.key(), &receipts.mint);
    let alices = receipt_account(&alice.key(), &receipts.mint);
    for wrong in [bobs, Keypair::new().pubkey()] {
        let mut i = ix::wrap(alice.key(), mint, 0, 10);
        let owner_receipts = i.accounts.iter_mut().find(|m| m.pubkey == alices);
        owner_receipts.expect("owner_receipts").pubkey = wrong;
        expect_err(
            w.send(&[i], &[&alice.kp]).await,
            BackstopError::ReceiptAccountMismatch,
        );
    }
    assert_eq!(w.balance(bobs).await, 0);
    assert_eq!(receipts_of(&mut w, &alice, 0).await, 10);
    assert_eq!(w.pool(mint).await.wrapped, 10);
}
