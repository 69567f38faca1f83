//! The adversarial matrix (issue 11): a world rich in look-alikes (two
//! classic pools and a Token-2022 one, markets of each kind and mode, an
//! isolated market, stakes, lenders, positions, bankruptcies and payouts of
//! different pools, token accounts of other mints, owners and programs), then
//! for every instruction and every account slot, each account of the same
//! owner and type put in its place. Every cell must be refused with a named
//! error and change no account; then the unaltered instruction goes through.

use anchor_lang::Discriminator;
use backstop_bank::heap::{MeteredAllocator, start_heap_log, take_heap_log};
use backstop_client::instructions::instruction_name;
use backstop_sim::footprint::HEAP_BUDGET_BYTES;
use backstop_tests::*;

mod cells;
use cells::*;

// The refusals are paths too: each must stay within the heap budget, or on
// SBF it would abort out of memory instead of failing by name.
#[global_allocator]
static ALLOCATOR: MeteredAllocator = MeteredAllocator;

/// A plain `main` (`harness = false`): natively the program's `msg!` is a
/// `println!`, and libtest's output capture would grow a buffer on the
/// program's thread that the heap meter counts as the program's.
fn main() {
    if std::env::var_os("RUST_LOG").is_none() {
        // program-test logs every instruction at debug level otherwise.
        // SAFETY: single-threaded here, before any runtime starts.
        unsafe { std::env::set_var("RUST_LOG", "error") };
    }
    // The program's native `msg!` lines go to /dev/null; the report to `out`.
    let mut out = backstop_bank::take_stdout();
    let report = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(every_substituted_account_is_refused_by_name());
    use std::io::Write;
    out.write_all(report.as_bytes()).expect("write the report");
}

/// Runs the matrix; answers its table and figures.
async fn every_substituted_account_is_refused_by_name() -> String {
    start_heap_log();
    let mut w = World::new().await;
    let admin = w.admin.insecure_clone();
    let operator = w.operator.insecure_clone();
    let keeper = w.keeper.insecure_clone();
    let mint_a = w.new_pool(test_params()).await;
    let mint_b = w.new_pool(test_params()).await;
    let mint_c = w.new_pool_2022(test_params(), &[]).await;
    let alice = w.user(mint_a, 1_000_000_000).await;
    let bob = w.user(mint_a, 1_000_000_000).await;
    let carol = w.user(mint_b, 1_000_000_000).await;
    let dave = w.user(mint_c, 1_000_000_000).await;
    let mallory = w.new_keypair().await;
    let mallory_a = w.user_from(mallory.insecure_clone(), mint_a, 5).await;
    let alice_b = w.user_from(alice.kp.insecure_clone(), mint_b, 5).await;
    // a look-alike rich enough to pass for any vault: only identity checks
    // can refuse it (not the shortfall or invariant checks)
    let whale = w.new_keypair().await;
    let whale_a = w
        .user_from(whale.insecure_clone(), mint_a, 1_000_000_000_000_000)
        .await;
    for (u, amount) in [
        (&alice, 500_000_000),
        (&bob, 500_000_000),
        (&carol, 500_000_000),
        (&dave, 500_000_000),
    ] {
        ok(w.try_stake(u, amount).await);
    }
    let keeper_a = w
        .user_from(keeper.insecure_clone(), mint_a, 1_000_000)
        .await;
    let lend = w.lending_market(mint_a, u64::MAX).await;
    let perp = w.perp_market(mint_a, 0).await;
    let agg = w
        .try_create_market_in_mode(
            mint_a,
            MarketKind::Lending,
            u64::MAX,
            false,
            0,
            ExposureMode::Aggregate,
        )
        .await
        .unwrap();
    let iso = w
        .try_create_market(mint_a, MarketKind::Perp, u64::MAX, true, 5_000)
        .await
        .unwrap();
    let lend_b = w.lending_market(mint_b, u64::MAX).await;
    let lend_c = w.lending_market(mint_c, u64::MAX).await;
    let (l1, p1, d1, d2, d3) = (
        Pubkey::new_unique(),
        Pubkey::new_unique(),
        Pubkey::new_unique(),
        Pubkey::new_unique(),
        Pubkey::new_unique(),
    );
    for m in [&lend, &lend_b, &lend_c] {
        ok(w.try_record_deposit(m, l1, 1_000_000).await);
        ok(w.try_record_bankruptcy(m, d1, 1_000).await);
    }
    for m in [&perp, &iso] {
        ok(w.try_record_position(m, p1, 1_000).await);
        ok(w.try_record_bankruptcy(m, d2, 1_000).await);
    }
    ok(
        w.try_record_bankruptcy_with_exposure(&agg, d1, 1_000, 5_000)
            .await,
    );
    ok(w.try_pay_premium(&iso, 10_000).await);
    let pay_a = w.try_propose_payout(mint_a, alice.tokens, 7).await.unwrap();
    let pay_b = w.try_propose_payout(mint_b, carol.tokens, 7).await.unwrap();

    let pools = [mint_a, mint_b, mint_c];
    let mut keys: Vec<Pubkey> = vec![pda::protocol(), mint_a, mint_b, mint_c];
    for mint in pools {
        let k = PoolKeys::new(w.asset(mint));
        keys.extend([
            k.pool,
            k.vault,
            k.revenue,
            pda::stake(&k.pool, &w.treasury.pubkey()),
        ]);
    }
    for u in [
        &alice, &bob, &carol, &dave, &mallory_a, &alice_b, &keeper_a, &whale_a,
    ] {
        keys.push(u.tokens);
        keys.push(pda::stake(&pda::pool(&u.mint), &u.key()));
    }
    for m in [&lend, &perp, &agg, &iso, &lend_b, &lend_c] {
        keys.extend([m.key, m.settlement]);
        for who in [l1, p1, d1, d2, d3] {
            keys.extend([
                pda::lender(&m.key, &who),
                pda::position(&m.key, &who),
                pda::bankruptcy(&m.key, &who),
            ]);
        }
    }
    keys.push(pda::isolated_vault(&iso.key));
    keys.extend([
        pda::payout(&pda::pool(&mint_a), pay_a),
        pda::payout(&pda::pool(&mint_b), pay_b),
    ]);
    keys.extend([
        alice.key(),
        bob.key(),
        mallory.pubkey(),
        admin.pubkey(),
        w.guardian.pubkey(),
        operator.pubkey(),
    ]);
    keys.retain(|k| *k != Pubkey::default());
    keys.sort();
    keys.dedup();
    let catalogue = Catalogue {
        keys,
        signers: vec![
            alice.kp.insecure_clone(),
            bob.kp.insecure_clone(),
            mallory.insecure_clone(),
            admin.insecure_clone(),
            w.guardian.insecure_clone(),
            operator.insecure_clone(),
        ],
    };
    let mut matrix = Matrix {
        catalogue,
        cells: 0,
        target_slots: 0,
        per_instruction: Vec::new(),
    };

    // staking
    let i = w.make_stake_ix(&alice, 1_000);
    matrix.run(&mut w, "stake", i, &[&alice.kp]).await;
    let i = ix::request_unstake(bob.key(), w.asset(mint_a), w.treasury.pubkey(), 1_000);
    matrix.run(&mut w, "request_unstake", i, &[&bob.kp]).await;
    let i = ix::cancel_unstake(bob.key(), mint_a);
    matrix.run(&mut w, "cancel_unstake", i, &[&bob.kp]).await;
    ok(w.try_request_unstake(&bob, 1_000).await);
    // keepers
    ok(w.try_revenue(mint_a, 10_000).await);
    w.advance(3_600).await;
    let i = ix::sweep_revenue(keeper.pubkey(), w.asset(mint_a), w.treasury.pubkey());
    matrix.run(&mut w, "sweep_revenue", i, &[&keeper]).await;
    ok(w.try_donate(mint_a, 10).await);
    let i = ix::sync_vault(keeper.pubkey(), w.asset(mint_a));
    matrix.run(&mut w, "sync_vault", i, &[&keeper]).await;
    let i = ix::pay_premium(
        keeper.pubkey(),
        keeper_a.tokens,
        iso.index,
        w.asset(mint_a),
        true,
        100,
    );
    matrix.run(&mut w, "pay_premium", i, &[&keeper]).await;
    // operator records
    let op = operator.pubkey();
    let i = ix::record_deposit(op, op, lend.index, d3, 10);
    matrix.run(&mut w, "record_deposit", i, &[&operator]).await;
    let i = ix::record_withdrawal(op, lend.index, l1, 10);
    matrix
        .run(&mut w, "record_withdrawal", i, &[&operator])
        .await;
    let i = ix::record_position(op, op, perp.index, p1, 2_000);
    matrix.run(&mut w, "record_position", i, &[&operator]).await;
    let i = ix::record_bankruptcy(op, op, lend.index, lend.mint, d3, 10, 0);
    matrix
        .run(&mut w, "record_bankruptcy", i, &[&operator])
        .await;
    // resolutions
    for (name, m, debtor) in [
        ("resolve_bankruptcy", &lend, d1),
        ("resolve_bankruptcy (isolated)", &iso, d2),
        ("resolve_bankruptcy (aggregate)", &agg, d1),
        ("resolve_bankruptcy (perp)", &perp, d2),
    ] {
        let i = w.make_resolve_ix(m, debtor);
        matrix.run(&mut w, name, i, &[&keeper]).await;
    }
    let i = ix::clear_owed(op, perp.index, p1, 1);
    matrix.run(&mut w, "clear_owed", i, &[&operator]).await;
    // payouts
    let i = ix::execute_payout(keeper.pubkey(), w.asset(mint_a), pay_a, alice.tokens);
    matrix
        .run_on(
            &mut w,
            "execute_payout",
            i,
            &[&keeper],
            Some(pda::payout(&pda::pool(&mint_a), pay_a)),
            &[],
        )
        .await;
    let i = ix::cancel_payout(admin.pubkey(), mint_b, pay_b);
    matrix
        .run_on(
            &mut w,
            "cancel_payout",
            i,
            &[&admin],
            Some(pda::payout(&pda::pool(&mint_b), pay_b)),
            &[],
        )
        .await;
    // governance
    let i = ix::set_market_cap(admin.pubkey(), lend.index, 1_000_000_000);
    matrix
        .run_on(&mut w, "set_market_cap", i, &[&admin], Some(lend.key), &[])
        .await;
    let freeze = MarketUpdate {
        operator: None,
        frozen: Some(true),
    };
    let i = ix::update_market(admin.pubkey(), lend_b.index, freeze, None);
    matrix
        .run_on(&mut w, "update_market", i, &[&admin], Some(lend_b.key), &[])
        .await;
    // lend_b is frozen now: its open record can be voided
    let operator_key = w.operator.pubkey();
    let i = ix::void_bankruptcy(admin.pubkey(), lend_b.index, mint_b, d1, operator_key);
    matrix.run(&mut w, "void_bankruptcy", i, &[&admin]).await;
    let i = ix::set_pool(admin.pubkey(), mint_b, PoolParamsUpdate::default());
    matrix
        .run_on(
            &mut w,
            "set_pool",
            i,
            &[&admin],
            Some(pda::pool(&mint_b)),
            &[],
        )
        .await;
    let i = ix::pause(w.guardian.pubkey(), pause::PREMIUM);
    let guardian = w.guardian.insecure_clone();
    let admin_key = [admin.pubkey()];
    matrix
        .run_on(&mut w, "pause", i, &[&guardian], None, &admin_key)
        .await;
    let i = ix::unpause(admin.pubkey(), pause::PREMIUM);
    matrix.run(&mut w, "unpause", i, &[&admin]).await;
    // exits (a record still open on the pool's markets would block them)
    ok(w.try_resolve(&lend, d3).await);
    w.advance(test_params().cooldown as i64).await;
    // the staker chooses which token account of the asset receives its exit
    let i = ix::complete_unstake(bob.key(), w.asset(mint_a), bob.tokens);
    matrix
        .run_on(
            &mut w,
            "complete_unstake",
            i,
            &[&bob.kp],
            Some(bob.tokens),
            &[],
        )
        .await;

    let mut report = String::from("| instruction | slots substituted | cells |\n|---|---:|---:|\n");
    for (name, slots, cells) in &matrix.per_instruction {
        report.push_str(&format!("| `{name}` | {slots} | {cells} |\n"));
    }
    let slots: usize = matrix.per_instruction.iter().map(|(_, s, _)| s).sum();
    report.push_str(&format!(
        "matrix: {} instructions × {slots} slots × substitutes = {} cells, all refused by name \
         ({} target slots of governance and payout actions not substituted)\n",
        matrix.per_instruction.len(),
        matrix.cells,
        matrix.target_slots
    ));
    assert!(matrix.cells > 500, "only {} cells", matrix.cells);
    let log = take_heap_log();
    if backstop_bank::skip_on_sbf(
        "matrix: the heap of each refusal",
        "the heap meter is the native allocator's; the matrix itself ran on the VM",
    ) {
        report.push_str("heap: not metered on the SBF VM (native-only)\n");
        return report;
    }
    assert!(log.len() > matrix.cells, "{} calls metered", log.len());
    let worst = log.iter().max_by_key(|u| u.total_bytes).unwrap();
    let name = instruction_name(&worst.discriminator).unwrap_or("unknown");
    report.push_str(&format!(
        "heap: the most any of the {} calls allocated is {} B ({name})\n",
        log.len(),
        worst.total_bytes
    ));
    assert!(
        worst.total_bytes <= HEAP_BUDGET_BYTES,
        "{name} allocated {} B refusing a substitute",
        worst.total_bytes
    );
    let _ = Stake::DISCRIMINATOR;
    report
}
