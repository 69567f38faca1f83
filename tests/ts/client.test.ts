// The one TypeScript client (ts/client) against the Rust side's golden vectors
// (ts/client/golden.json, written by crates/client/src/ts_golden.rs): every
// PDA it derives, and every rule backstop-core answers through WebAssembly,
// equal what the Rust client and the program compute. No node needed.
//
//   npm test

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { PublicKey } from "@solana/web3.js";
import * as client from "../../ts/client";

const golden = JSON.parse(readFileSync(new URL("../../ts/client/golden.json", import.meta.url), "utf8"));
const big = (v: string) => BigInt(v);
const opt = (v: string | null) => (v === null ? undefined : BigInt(v));

test("every PDA and token account equals the Rust client's", () => {
  const g = golden.pdas;
  const mint = new PublicKey(g.mint);
  const owner = new PublicKey(g.owner);
  const pool = client.pda.pool(mint);
  const market = client.pda.market(g.market_index);
  const receiptMint = client.pda.receiptMint(pool, g.epoch);
  const ours: Record<string, PublicKey> = {
    protocol: client.pda.protocol(),
    pool,
    vault: client.pda.vault(pool),
    revenue: client.pda.revenue(pool),
    stake: client.pda.stake(pool, owner),
    market,
    isolated_vault: client.pda.isolatedVault(market),
    lender: client.pda.lender(market, owner),
    position: client.pda.position(market, owner),
    bankruptcy: client.pda.bankruptcy(market, owner),
    payout: client.pda.payout(pool, g.payout_id),
    receipt_mint: receiptMint,
    receipt_account: client.pda.receiptAccount(owner, receiptMint),
    token_account: client.pda.tokenAccount(owner, mint),
  };
  for (const [name, address] of Object.entries(ours)) assert.equal(address.toBase58(), g[name], name);
  assert.ok(!client.pda.receiptMint(pool, g.epoch + 1).equals(receiptMint), "the epoch is in the seeds");
});

test("shares_for and value_of: exact to the unit, beyond 2^64, and an error where the program errs", () => {
  const r = golden.rules;
  assert.ok(r.shares_for.length > 200);
  for (const [amount, assets, shares, out] of r.shares_for) {
    const call = () => client.sharesFor(big(amount), big(assets), big(shares));
    if (out === null) assert.throws(call, /math error/, `shares_for(${amount}, ${assets}, ${shares})`);
    else assert.equal(call(), big(out), `shares_for(${amount}, ${assets}, ${shares})`);
  }
  for (const [n, assets, shares, out] of r.value_of) {
    const call = () => client.valueOf(big(n), big(assets), big(shares));
    if (out === null) assert.throws(call, /math error/, `value_of(${n}, ${assets}, ${shares})`);
    else assert.equal(call(), big(out), `value_of(${n}, ${assets}, ${shares})`);
  }
});

test("the exit clocks, unlock and lapse times", () => {
  for (const row of golden.rules.clocks) {
    if (row[0] === "protocol") {
      const [, clock, ts, paused, now, out] = row;
      assert.equal(client.protocolExitClockAt(big(clock), big(ts), paused, big(now)), big(out), JSON.stringify(row));
    } else {
      const [, open, exitClock, ref, clock, out] = row;
      assert.equal(client.poolExitClockAt(open, big(exitClock), big(ref), big(clock)), big(out), JSON.stringify(row));
    }
  }
  for (const [made, cooldown, window, clock, now, lapsed, lapseAt, unlockAt] of golden.rules.lapses) {
    const label = `${made} ${cooldown} ${window} ${clock}`;
    assert.equal(client.requestLapsed(big(made), big(cooldown), big(window), big(clock)), lapsed, label);
    assert.equal(client.lapseTs(big(made), big(cooldown), big(window), big(clock), big(now)), opt(lapseAt), label);
    assert.equal(client.unlockTs(big(now), big(cooldown)), big(unlockAt), label);
  }
});

test("payout executability, the pending-change rule and the pause table", () => {
  const names: Record<string, string> = { NotPending: "PayoutNotPending", NotReady: "PayoutNotReady", Expired: "PayoutExpired" };
  for (const [pending, eta, now, executable, refusal] of golden.rules.payouts) {
    assert.equal(client.payoutIsExecutable(pending, big(eta), big(now)), executable);
    assert.equal(client.payoutRefusal(pending, big(eta), big(now)), refusal === null ? undefined : names[refusal]);
  }
  for (const [active, eta, now, effective] of golden.rules.pending) {
    assert.equal(client.pendingTakesEffect(active, big(eta), big(now)), effective);
  }
  for (const [flags, operations] of golden.rules.paused) {
    assert.deepEqual(client.pausedOperations(flags), operations);
    // the IDL's PAUSE_* bits name the same operations
    assert.deepEqual(client.pausedNames(flags), operations.map((o: string) => o.toUpperCase()));
    for (const o of operations) assert.equal((flags & client.pauseFlag(o)!) !== 0, true);
  }
});

test("the pool defaults and bounds are the core's", () => {
  assert.equal(client.POOL_DEFAULTS.window, 172_800n);
  assert.equal(client.POOL_DEFAULTS.cooldown, client.idlConstant("DEFAULT_COOLDOWN_SECS"));
  assert.equal(client.poolParamsRefusal(client.POOL_DEFAULTS), undefined);
  assert.equal(client.poolParamsRefusal({ ...client.POOL_DEFAULTS, sweep_interval: 59n }), "SweepIntervalOutOfBounds");
  assert.equal(client.poolParamsRefusal({ ...client.POOL_DEFAULTS, min_stake: 0n }), "MinStakeZero");
});
