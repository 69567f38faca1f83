// Liquid shares on the page, without a browser: the value of receipt tokens
// (crates/client/src/views.rs `receipt_value`: ⌊n·A / S⌋ for the pool's current
// epoch, 0 for an older one), the Wrap and Unwrap buttons' reasons (wrap.rs and
// unwrap.rs), the receipt PDAs, and the plain word for SharesInRequest.
//
//   npm run test:web

import assert from "node:assert/strict";
import { test } from "node:test";
import { U64_MAX, parseCount, receiptValue, valueOf } from "../src/amounts";
import { explain, explainCode } from "../src/errors";
import { PAUSE } from "../../ts/client";
import { unwrapVerdict, wrappableShares, wrapVerdict, type StakerState } from "../src/rules";

test("receipt value: ⌊n·A / S⌋ for the current epoch, rounded down like the program", () => {
  const pool = { assets: 1_000n, totalShares: 3n, epoch: 4 };
  // 1 · 1000 / 3 = 333.33… → 333; 2 · 1000 / 3 = 666.66… → 666 (never 667).
  assert.equal(receiptValue(1n, 4, pool), 333n);
  assert.equal(receiptValue(2n, 4, pool), 666n);
  assert.equal(receiptValue(3n, 4, pool), 1_000n);
  // A price below 1: 7 · 2 / 3 = 4.66… → 4.
  assert.equal(receiptValue(7n, 4n, { assets: 2n, totalShares: 3n, epoch: 4 }), 4n);
  // Rounding down favours the pool: the parts are never worth more than the whole.
  assert.ok(receiptValue(1n, 4, pool) + receiptValue(2n, 4, pool) <= receiptValue(3n, 4, pool));
  // Exactly value_of for the current epoch, whatever the figures.
  for (const [n, a, s] of [[1_250_500_000n, 1_261_004_200n, 1_250_500_000n], [999n, 1_001n, 1_000n], [0n, 5n, 5n]] as const) {
    assert.equal(receiptValue(n, 4, { assets: a, totalShares: s, epoch: 4 }), valueOf(n, a, s));
  }
  // 1,250,500,000 receipts at A = 1,261,004,200, S = 1,250,510,000:
  // 1,250,500,000 · 1,261,004,200 / 1,250,510,000 = 1,260,994,116.08… → 1,260,994,116.
  assert.equal(receiptValue(1_250_500_000n, 0, { assets: 1_261_004_200n, totalShares: 1_250_510_000n, epoch: 0 }), 1_260_994_116n);
});

test("receipt value: exact beyond 2^64 (n·A is a u128 product in the program), 0 for an empty pool", () => {
  // n = u64::MAX, A = u64::MAX, S = u64::MAX + 1: ⌊(2^64−1)² / 2^64⌋ = 2^64 − 2.
  assert.equal(receiptValue(U64_MAX, 1, { assets: U64_MAX, totalShares: U64_MAX + 1n, epoch: 1 }), U64_MAX - 1n);
  // A float would have said 2^64 (both ratios round to 1.0).
  assert.notEqual(receiptValue(U64_MAX, 1, { assets: U64_MAX, totalShares: U64_MAX + 1n, epoch: 1 }), 2n ** 64n);
  assert.equal(receiptValue(10n, 0, { assets: 0n, totalShares: 0n, epoch: 0 }), 0n);
});

test("receipt value: receipts of an older epoch were wiped out with it and are worth 0", () => {
  const pool = { assets: 1_000n, totalShares: 1_000n, epoch: 2 };
  assert.equal(receiptValue(500n, 1, pool), 0n);
  assert.equal(receiptValue(500n, 0n, pool), 0n);
  assert.equal(receiptValue(500n, 2, pool), 500n);
});

const base: StakerState = {
  connected: true,
  paused: 0,
  now: 1_000_000,
  decimals: 6,
  pool: {
    assets: 1_500n, totalShares: 1_000n, epoch: 3, minStake: 10n, cooldown: 100n, window: 50n,
    openRecords: 0, exitClock: 0n, exitClockRef: 0n, wrapped: 0n,
  },
  stake: {
    epoch: 3, shares: 500n, requestShares: 0n, requestValue: 0n, requestTs: 0n,
    requestCooldown: 0n, requestWindow: 0n, requestExitClock: 0n,
  },
  tokenBalance: 5_000_000n,
  lamports: 1_000_000_000n,
  exitClock: { clock: 0n, ts: 0n },
  vaultShort: false,
};
const requesting = (shares: bigint): StakerState => ({ ...base, stake: { ...base.stake!, requestShares: shares, requestValue: shares } });

test("wrap: a whole number of shares, not those of a pending request (SharesInRequest), not while stake is paused", () => {
  assert.equal(wrapVerdict(base, "").prompt, true);
  const ok = wrapVerdict(base, "200");
  assert.equal(ok.ok, true);
  assert.equal(ok.shares, 200n);
  // 200 · 1500 / 1000 = 300 base units = 0.0003 with 6 decimals.
  assert.match(ok.reason, /Mints 200 receipt tokens of epoch 3 \(worth 0\.0003 now\).*keeps 300 shares/);
  assert.match(wrapVerdict(base, "0").reason, /ZeroShares/);
  assert.match(wrapVerdict(base, "501").reason, /InsufficientShares/);
  assert.match(wrapVerdict(base, "1.5").reason, /not a whole number/);
  assert.throws(() => parseCount("1e3"), /not a whole number/);
  assert.equal(parseCount(" 1_000 "), 1_000n);

  // 200 of the 500 shares are in a request: 300 can be wrapped, not 301.
  assert.equal(wrappableShares(requesting(200n)), 300n);
  assert.equal(wrapVerdict(requesting(200n), "300").ok, true);
  const over = wrapVerdict(requesting(200n), "301");
  assert.equal(over.ok, false);
  assert.match(over.reason, /200 of your shares are in your pending unstake request.*\(SharesInRequest\).*at most 300/);
  // All of them in the request: disabled before any amount is typed.
  const all = wrapVerdict(requesting(500n), "");
  assert.equal(all.ok, false);
  assert.notEqual(all.prompt, true);
  assert.match(all.reason, /All your shares are in your pending unstake request.*\(SharesInRequest\)/);
  // A request of an older epoch does not count (the stake is then empty anyway).
  const older: StakerState = { ...requesting(500n), pool: { ...base.pool, epoch: 4 } };
  assert.match(wrapVerdict(older, "1").reason, /epoch 3.*epoch 4/);

  const paused = wrapVerdict({ ...base, paused: PAUSE.STAKE }, "200");
  assert.equal(paused.ok, false);
  assert.match(paused.reason, /pause flag STAKE\): OperationPaused/);
  // Another pause does not stop wrapping.
  assert.equal(wrapVerdict({ ...base, paused: PAUSE.REQUEST_UNSTAKE | PAUSE.COMPLETE_UNSTAKE }, "200").ok, true);
  // The receipt supply is a u64.
  const full: StakerState = { ...base, pool: { ...base.pool, wrapped: U64_MAX - 100n } };
  assert.match(wrapVerdict(full, "101").reason, /ReceiptSupplyOverflow/);
  assert.equal(wrapVerdict(full, "100").ok, true);
  assert.match(wrapVerdict({ ...base, stake: undefined }, "1").reason, /no shares/);
  assert.match(wrapVerdict({ ...base, connected: false }, "1").reason, /Connect a wallet/);
  // A recorded loss does not stop wrapping, but the receipts bear it: said.
  const loss = wrapVerdict({ ...base, pool: { ...base.pool, openRecords: 1 } }, "200");
  assert.equal(loss.ok, true);
  assert.match(loss.reason, /recorded loss is pending.*receipts bear it/);
  assert.doesNotMatch(ok.reason, /recorded loss/);
  // A short vault: every instruction of the pool is refused, wrap included.
  assert.match(wrapVerdict({ ...base, vaultShort: true }, "200").reason, /VaultShortfall/);
});

test("unwrap: receipt tokens of the current epoch held, never paused, creates the stake when needed, refused on a short vault", () => {
  const holding: StakerState = { ...base, receipts: 250n };
  assert.equal(unwrapVerdict(holding, "").prompt, true);
  const ok = unwrapVerdict(holding, "250");
  assert.equal(ok.ok, true);
  assert.equal(ok.amount, 250n);
  // 250 · 1500 / 1000 = 375 base units.
  assert.match(ok.reason, /Burns 250 receipt tokens of epoch 3; your stake gains 250 shares \(worth 0\.000375 now\)/);
  assert.match(unwrapVerdict(holding, "251").reason, /only 250 .*InsufficientFunds/);
  assert.match(unwrapVerdict(holding, "0").reason, /ZeroAmount/);
  assert.match(unwrapVerdict(base, "1").reason, /no receipt tokens of this pool's epoch 3/);
  assert.match(unwrapVerdict({ ...base, receipts: 0n }, "1").reason, /no receipt tokens/);
  // Every pause flag at once: unwrap still goes.
  assert.equal(unwrapVerdict({ ...holding, paused: 0xff }, "1").ok, true);
  // A pending request does not stop it either.
  assert.equal(unwrapVerdict({ ...requesting(500n), receipts: 250n }, "1").ok, true);
  assert.match(unwrapVerdict({ ...holding, stake: undefined }, "1").reason, /creates your stake account/);
  // Never paused, but refused on a short vault like every instruction of the pool.
  assert.match(unwrapVerdict({ ...holding, vaultShort: true }, "1").reason, /VaultShortfall/);
});

test("the three receipt errors are named and SharesInRequest is explained in plain words", () => {
  assert.equal(explainCode(6064).name, "SharesInRequest (6064)");
  assert.match(explainCode(6064).plain, /pending unstake request.*cannot be turned into receipt tokens/);
  assert.equal(explain({ message: "custom program error: 0x17b0" }).name, "SharesInRequest (6064)");
  assert.match(explainCode(6062).plain, /receipt tokens/);
  assert.match(explainCode(6063).plain, /not one of this pool's/);
});
