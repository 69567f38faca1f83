//! A walk through every instruction of the program, each on the most
//! expensive path it has, with the heap meter of `backstop_bank::heap`
//! reading what each one allocated and which CPIs it made: an inline sweep
//! that creates a new treasury's stake, a cancel that burns gains, resolves
//! of an isolated market and of one that wipes the pool out, exits that
//! empty a pool, a Token-2022 pool of a PYUSD-like mint (the most extensions
//! to parse) whose permanent delegate takes tokens before a sync.
//!
//! Every step must succeed: a refusal stops the walk with its name. Keys are
//! derived from a counter, so two walks allocate the same.

use std::collections::BTreeMap;

use anyhow::{Result, anyhow};
use backstop_bank::heap::{start_heap_log, take_heap_log};
use backstop_bank::{MintExtension, PYUSD_OPT_INS};
use backstop_client::instructions::instruction_name;
use backstop_client::ix::{self, Asset, PoolKeys};
use backstop_client::pause;
use backstop_client::types::{
    InitializeProtocolArgs, MarketField, MarketKind, MarketUpdate, MintOptIns, PoolParamsUpdate,
    ProtocolField, ProtocolUpdate,
};
use solana_keypair::Keypair;
use solana_signer::Signer;

use super::walker::{COOLDOWN, MarketAt, Walk, params};

/// The worst an instruction did over every call of the walk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InstructionCost {
    /// Every byte allocated in one call (what SBF's bump allocator consumes).
    pub heap_bytes: usize,
    /// The most bytes live at once.
    pub heap_live_peak_bytes: usize,
    /// CPIs made in one call.
    pub cpis: usize,
    /// Instruction-stack levels used, the instruction itself included.
    pub depth_used: u64,
}

/// Runs the walk; the worst cost of each instruction, by name.
pub async fn every_instruction() -> Result<BTreeMap<&'static str, InstructionCost>> {
    let mut w = Walk::start().await?;
    start_heap_log();
    let init = InitializeProtocolArgs {
        admin: w.admin.pubkey(),
        guardian: w.guardian.pubkey(),
        treasury: w.treasury.pubkey(),
        governance_delay: 0,
    };
    w.bank
        .initialize_protocol(init)
        .await
        .map_err(|e| anyhow!("initialize_protocol was refused: {e}"))?;
    let usdc = staking(&mut w).await?;
    let lending = markets(&mut w, usdc).await?;
    governance(&mut w, &lending).await?;

    let mut worst: BTreeMap<&'static str, InstructionCost> = BTreeMap::new();
    for usage in take_heap_log() {
        let name = instruction_name(&usage.discriminator).unwrap_or("unknown");
        let cost = worst.entry(name).or_default();
        cost.heap_bytes = cost.heap_bytes.max(usage.total_bytes);
        cost.heap_live_peak_bytes = cost.heap_live_peak_bytes.max(usage.peak_live_bytes);
        cost.cpis = cost.cpis.max(usage.cpis);
        cost.depth_used = cost.depth_used.max(usage.depth_used);
    }
    Ok(worst)
}

/// Pools of both token programs, stakes, sweeps, a cancel and the vault's
/// sync; answers the classic pool's asset.
async fn staking(w: &mut Walk) -> Result<Asset> {
    // A Token-2022 pool of a PYUSD-like mint; the fee payer is its delegate.
    let delegate = w.bank.payer().insecure_clone();
    // A fixed address too: its receipt mint's metadata is named from it.
    let pyusd = w
        .bank
        .create_mint_at(
            &Keypair::new_from_array([8; 32]),
            spl_token_2022_id(),
            6,
            delegate.pubkey(),
            &MintExtension::pyusd_like(delegate.pubkey()),
        )
        .await
        .map_err(|e| anyhow!("Token-2022 mint: {e}"))?;
    let pyusd = Asset::token_2022(pyusd);
    let (admin, treasury) = (w.admin.insecure_clone(), w.treasury.pubkey());
    w.bank
        .create_pool(&admin, treasury, pyusd, params(), PYUSD_OPT_INS)
        .await
        .map_err(|e| anyhow!("create_pool (Token-2022) was refused: {e}"))?;
    // A fixed address: wrap's heap depends on the pool address's text.
    let payer = w.bank.payer_pubkey();
    let mint = w
        .bank
        .create_mint_at(
            &Keypair::new_from_array([7; 32]),
            anchor_spl_token_id(),
            6,
            payer,
            &[],
        )
        .await
        .map_err(|e| anyhow!("mint: {e}"))?;
    let usdc = Asset::spl_token(mint);
    w.bank
        .create_pool(&admin, treasury, usdc, params(), MintOptIns::default())
        .await
        .map_err(|e| anyhow!("create_pool was refused: {e}"))?;
    let keys = PoolKeys::new(usdc);

    // An inline sweep that creates a new treasury's stake.
    let alice = w.holder(usdc, 1_000_000_000).await?;
    let bob = w.holder(usdc, 1_000_000_000).await?;
    w.stake(usdc, &alice, 500_000_000).await?;
    w.treasury = w.funded().await?;
    let update = ProtocolUpdate {
        treasury: Some(w.treasury.pubkey()),
        ..Default::default()
    };
    w.admin(
        "update_protocol",
        ix::update_protocol(admin.pubkey(), update),
    )
    .await?;
    w.mint(usdc, keys.revenue, 10_000_000).await?;
    w.bank.advance(3_600).await;
    w.stake(usdc, &bob, 400_000_000).await?;

    // A request with an inline sweep, then a cancel that burns gains.
    w.mint(usdc, keys.revenue, 10_000_000).await?;
    w.bank.advance(3_600).await;
    let i = ix::request_unstake(bob.kp.pubkey(), usdc, w.treasury.pubkey(), 100_000_000);
    w.send("request_unstake", i, &bob.kp).await?;
    w.mint(usdc, keys.revenue, 50_000_000).await?;
    w.bank.advance(3_600).await;
    let i = ix::sweep_revenue(w.keeper.pubkey(), usdc, w.treasury.pubkey());
    w.keeper("sweep_revenue", i).await?;
    let i = ix::cancel_unstake(bob.kp.pubkey(), usdc.mint);
    w.send("cancel_unstake", i, &bob.kp).await?;
    w.mint(usdc, keys.vault, 1_000).await?;
    let i = ix::sync_vault(w.keeper.pubkey(), usdc);
    w.keeper("sync_vault", i).await?;

    // Liquid shares: the first wrap of an epoch creates its receipt mint and
    // the holder's receipt account; unwrap credits the shares back.
    let epoch = u64::from(w.pool(usdc).await?.epoch);
    let i = ix::wrap(alice.kp.pubkey(), usdc.mint, epoch, 1_000_000);
    w.send("wrap", i, &alice.kp).await?;
    let receipt_mint = backstop_client::pda::receipt_mint(&keys.pool, epoch);
    let receipts = backstop_client::token::receipt_account(&alice.kp.pubkey(), &receipt_mint);
    let i = ix::unwrap(alice.kp.pubkey(), usdc.mint, epoch, receipts, 500_000);
    w.send("unwrap", i, &alice.kp).await?;
    // The receipt mint of a pool's epoch created ahead of its first wrap.
    let epoch = u64::from(w.pool(pyusd).await?.epoch);
    let i = ix::create_receipt_mint(w.keeper.pubkey(), pyusd.mint, epoch);
    w.keeper("create_receipt_mint", i).await?;

    // Token-2022: a stake, the delegate takes tokens, sync writes A down.
    let dave = w.holder(pyusd, 1_000_000).await?;
    w.stake(pyusd, &dave, 1_000_000).await?;
    let thief = w.holder(pyusd, 0).await?;
    w.bank
        .transfer_tokens(PoolKeys::new(pyusd).vault, thief.tokens, &delegate, 10)
        .await
        .map_err(|e| anyhow!("the delegate's transfer: {e}"))?;
    let i = ix::sync_vault(w.keeper.pubkey(), pyusd);
    w.keeper("sync_vault (Token-2022)", i).await?;
    Ok(usdc)
}

/// Markets: an isolated premium and resolution, every operator record,
/// payouts, and a resolution that wipes the pool out; then exits that empty
/// the pool and close the stake. Answers the lending market.
async fn markets(w: &mut Walk, usdc: Asset) -> Result<MarketAt> {
    let isolated = w.create_market(usdc, MarketKind::Perp, true).await?;
    let payer = w.holder(usdc, 1_000_000).await?;
    let i = ix::pay_premium(
        payer.kp.pubkey(),
        payer.tokens,
        isolated.index,
        usdc,
        true,
        1_000_000,
    );
    w.send("pay_premium", i, &payer.kp).await?;
    let (trader, debtor) = (w.key(), w.key());
    let at = isolated.index;
    w.operator("record_position", |op, rent| {
        ix::record_position(op, rent, at, trader, 1_000)
    })
    .await?;
    w.operator("record_bankruptcy", |op, rent| {
        ix::record_bankruptcy(op, rent, at, usdc.mint, debtor, 2_000_000, 0)
    })
    .await?;
    w.resolve(&isolated, debtor).await?;
    w.operator("record_position", |op, rent| {
        ix::record_position(op, rent, at, trader, 500)
    })
    .await?;
    w.operator("clear_owed", |op, _| ix::clear_owed(op, at, trader, 1))
        .await?;

    let lending = w.create_market(usdc, MarketKind::Lending, false).await?;
    let (lender, at) = (w.key(), lending.index);
    w.operator("record_deposit", |op, rent| {
        ix::record_deposit(op, rent, at, lender, 1_000)
    })
    .await?;
    w.operator("record_withdrawal", |op, _| {
        ix::record_withdrawal(op, at, lender, 10)
    })
    .await?;
    let admin = w.admin.pubkey();
    w.admin(
        "set_market_cap",
        ix::set_market_cap(admin, at, 1_000_000_000_000),
    )
    .await?;
    // A record the admin voids on the frozen market, then unfreezes it.
    let fake = w.key();
    w.operator("record_bankruptcy", |op, rent| {
        ix::record_bankruptcy(op, rent, at, usdc.mint, fake, 1, 0)
    })
    .await?;
    let freeze = |frozen| MarketUpdate {
        operator: None,
        frozen: Some(frozen),
    };
    w.admin(
        "update_market",
        ix::update_market(admin, at, freeze(true), None),
    )
    .await?;
    let operator = w.operator.pubkey();
    let i = ix::void_bankruptcy(admin, at, usdc.mint, fake, operator);
    w.admin("void_bankruptcy", i).await?;
    w.admin(
        "update_market",
        ix::update_market(admin, at, freeze(false), None),
    )
    .await?;
    let guardian = w.guardian.insecure_clone();
    w.send(
        "pause",
        ix::pause(guardian.pubkey(), pause::STAKE),
        &guardian,
    )
    .await?;
    w.admin("unpause", ix::unpause(admin, pause::STAKE)).await?;
    let i = ix::set_pool(admin, usdc.mint, PoolParamsUpdate::default());
    w.admin("set_pool", i).await?;

    // Payouts, then a resolution that wipes the pool out.
    let victim = w.holder(usdc, 0).await?;
    for execute in [true, false] {
        let id = w.pool(usdc).await?.next_payout_id;
        let rent = w.bank.payer_pubkey();
        let i = ix::propose_payout(admin, rent, usdc.mint, id, victim.tokens, 1);
        w.admin("propose_payout", i).await?;
        if execute {
            let i = ix::execute_payout(w.keeper.pubkey(), usdc, id, victim.tokens);
            w.keeper("execute_payout", i).await?;
        } else {
            w.admin("cancel_payout", ix::cancel_payout(admin, usdc.mint, id))
                .await?;
        }
    }
    let debtor = w.key();
    w.operator("record_bankruptcy", |op, rent| {
        ix::record_bankruptcy(op, rent, at, usdc.mint, debtor, u64::MAX / 2, 0)
    })
    .await?;
    w.resolve(&lending, debtor).await?;

    // Exits that empty the pool, and closing the stake.
    let carol = w.holder(usdc, 1_000_000).await?;
    w.stake(usdc, &carol, 1_000_000).await?;
    let i = ix::request_unstake(carol.kp.pubkey(), usdc, w.treasury.pubkey(), 1_000_000);
    w.send("request_unstake", i, &carol.kp).await?;
    w.bank.advance(COOLDOWN as i64).await;
    let i = ix::complete_unstake(carol.kp.pubkey(), usdc, carol.tokens);
    w.send("complete_unstake", i, &carol.kp).await?;
    let i = ix::close_stake(carol.kp.pubkey(), usdc.mint);
    w.send("close_stake", i, &carol.kp).await?;
    Ok(lending)
}

/// Delayed changes cancelled before their eta, and the admin's hand-over.
async fn governance(w: &mut Walk, lending: &MarketAt) -> Result<()> {
    let admin = w.admin.insecure_clone();
    let guardian = w.guardian.insecure_clone();
    let update = ProtocolUpdate {
        governance_delay: Some(86_400),
        ..Default::default()
    };
    w.admin(
        "update_protocol",
        ix::update_protocol(admin.pubkey(), update),
    )
    .await?;
    let i = ix::set_market_cap(admin.pubkey(), lending.index, u64::MAX);
    w.admin("set_market_cap (delayed)", i).await?;
    let i = ix::cancel_market_change(guardian.pubkey(), lending.index, MarketField::Cap);
    w.send("cancel_market_change", i, &guardian).await?;
    let update = PoolParamsUpdate {
        cooldown: Some(0),
        ..Default::default()
    };
    let i = ix::set_pool(admin.pubkey(), lending.asset.mint, update);
    w.admin("set_pool (delayed)", i).await?;
    let i = ix::cancel_pool_change(guardian.pubkey(), lending.asset.mint);
    w.send("cancel_pool_change", i, &guardian).await?;
    let update = ProtocolUpdate {
        guardian: Some(w.key()),
        ..Default::default()
    };
    w.admin(
        "update_protocol (delayed)",
        ix::update_protocol(admin.pubkey(), update),
    )
    .await?;
    let i = ix::cancel_protocol_change(admin.pubkey(), ProtocolField::Guardian);
    w.admin("cancel_protocol_change", i).await?;

    let next = w.funded().await?;
    let i = ix::propose_admin(admin.pubkey(), next.pubkey());
    w.admin("propose_admin", i).await?;
    w.send("accept_admin", ix::accept_admin(next.pubkey()), &next)
        .await?;
    Ok(())
}

/// The classic SPL Token program.
fn anchor_spl_token_id() -> solana_pubkey::Pubkey {
    Asset::spl_token(solana_pubkey::Pubkey::default()).token_program
}

fn spl_token_2022_id() -> solana_pubkey::Pubkey {
    Asset::token_2022(solana_pubkey::Pubkey::default()).token_program
}
