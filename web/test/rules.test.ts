// The page's pure logic: exact amounts, share arithmetic, the reasons a button
// is disabled, error names, and the APR from sweeps. No browser, no node.
//
//   npm run test:web      (with the browser test)

import assert from "node:assert/strict";
import { test } from "node:test";
import { LangErrorCode } from "@anchor-lang/core";
import { formatAmount, formatPercent, formatSharePrice, parseAmount, RATIO_SCALE, sharesFor, valueOf } from "../src/amounts";
import { aprFromSweeps } from "../src/apr";
import { explain, explainCode, PLAIN, TOKEN_ERRORS } from "../src/errors";
import { IDL, PAUSE } from "../src/idl";
import { cancelVerdict, completeVerdict, requestTimes, requestVerdict, stakeVerdict, type StakerState } from "../src/rules";

test("amounts parse and format exactly, beyond 2^53", () => {
  assert.equal(parseAmount("1250.5", 6), 1_250_500_000n);
  assert.equal(parseAmount(" 0.000001 ", 6), 1n);
  assert.equal(parseAmount("18446744073709.551615", 6), 2n ** 64n - 1n);
  assert.equal(parseAmount(".5", 2), 50n);
  assert.throws(() => parseAmount("1.0000001", 6), /at most 6 decimal places/);
  assert.throws(() => parseAmount("1e3", 6), /not an amount/);
  assert.throws(() => parseAmount("-1", 6), /not an amount/);
  assert.throws(() => parseAmount(".", 6), /not an amount/);
  assert.equal(formatAmount(1_250_500_000n, 6), "1,250.5");
  assert.equal(formatAmount(2n ** 64n - 1n, 6), "18,446,744,073,709.551615");
  assert.equal(formatAmount(1_000_000_000_000n, 6, { grouping: false }), "1000000");
  assert.equal(formatAmount(-5n, 2), "-0.05");
  assert.equal(formatAmount(7n, 0), "7");
});

test("share arithmetic rounds in the pool's favour (SPEC share ledger)", () => {
  assert.equal(sharesFor(100n, 0n, 0n), 100n); // empty pool: 1:1
  assert.equal(sharesFor(10n, 30n, 20n), 6n); // ⌊10·20/30⌋
  assert.equal(valueOf(7n, 30n, 20n), 10n); // ⌊7·30/20⌋
  assert.equal(valueOf(5n, 0n, 0n), 0n);
  assert.equal(formatSharePrice(3n, 2n), "1.500000000");
  assert.equal(formatSharePrice(0n, 0n), "1.000000000");
  assert.equal(formatPercent(RATIO_SCALE / 8n), "12.50 %");
});

const base: StakerState = {
  connected: true,
  paused: 0,
  now: 1_000_000,
  decimals: 6,
  pool: { assets: 1_000n, totalShares: 1_000n, epoch: 0, minStake: 10n, cooldown: 100n, window: 50n },
  stake: { epoch: 0, shares: 500n, requestShares: 0n, requestValue: 0n, requestTs: 0n },
  tokenBalance: 5_000_000n,
  lamports: 1_000_000_000n,
  vaultShort: false,
};
const withRequest = (ts: number, extra: Partial<StakerState> = {}): StakerState => ({
  ...base,
  stake: { ...base.stake!, requestShares: 200n, requestValue: 200n, requestTs: BigInt(ts) },
  ...extra,
});

test("stake: amount checks, pause and a pending request", () => {
  assert.equal(stakeVerdict(base, "1").ok, true);
  assert.equal(stakeVerdict(base, "1").amount, 1_000_000n);
  assert.match(stakeVerdict({ ...base, connected: false }, "1").reason, /Connect a wallet/);
  assert.match(stakeVerdict({ ...base, paused: PAUSE.STAKE }, "1").reason, /paused.*STAKE/);
  assert.match(stakeVerdict(base, "0.000009").reason, /BelowMinStake/);
  assert.match(stakeVerdict(base, "6").reason, /You hold only 5/);
  assert.match(stakeVerdict(base, "abc").reason, /not an amount/);
  assert.match(stakeVerdict(base, "").reason, /Enter an amount/);
  assert.match(stakeVerdict(withRequest(0), "1").reason, /RequestPending/);
  assert.match(stakeVerdict({ ...base, tokenBalance: undefined }, "1").reason, /holds none/);
  // A tiny amount at a high share price buys no share.
  const pricey = { ...base, pool: { ...base.pool, assets: 10n ** 12n, totalShares: 1n, minStake: 1n } };
  assert.match(stakeVerdict(pricey, "0.000001").reason, /ZeroShares/);
});

test("request unstake: shares held, one request at a time, older epoch", () => {
  const v = requestVerdict(base, "0.0002");
  assert.equal(v.ok, true);
  assert.equal(v.shares, 200n);
  assert.equal(requestVerdict(base, "999").shares, 500n, "at least the whole value requests every share");
  assert.match(requestVerdict(withRequest(0), "0.0001").reason, /RequestPending/);
  assert.match(requestVerdict({ ...base, paused: PAUSE.REQUEST_UNSTAKE }, "0.0001").reason, /REQUEST_UNSTAKE/);
  assert.match(requestVerdict({ ...base, stake: undefined }, "1").reason, /no shares/);
  const old = { ...base, pool: { ...base.pool, epoch: 1 } };
  assert.match(requestVerdict(old, "1").reason, /epoch 0.*epoch 1/);
  assert.match(cancelVerdict(old).reason, /wiped out/);
});

test("complete: cooldown, window, resumed time, pause; cancel is never paused", () => {
  const ts = base.now - 100; // unlocks exactly now
  assert.equal(completeVerdict(withRequest(ts)).ok, true);
  assert.match(completeVerdict(withRequest(ts + 1)).reason, /In cooldown: unlocks in 1 s \(CooldownNotElapsed\)/);
  assert.equal(completeVerdict(withRequest(ts - 50)).ok, true, "the last second of the window still completes");
  assert.match(completeVerdict(withRequest(ts - 51)).reason, /UnstakeWindowLapsed/);
  // A later resume restarts the window: max(unlock, resumed) + window.
  assert.equal(completeVerdict(withRequest(ts - 51, { resumedAt: BigInt(base.now - 10) })).ok, true);
  assert.deepEqual(requestTimes(10n, 100n, 0n, 500n), { unlockAt: 110n });
  assert.deepEqual(requestTimes(10n, 100n, 50n, 500n), { unlockAt: 110n, lapseAt: 550n });
  assert.deepEqual(requestTimes(10n, 100n, 50n, 5n), { unlockAt: 110n, lapseAt: 160n });
  assert.match(completeVerdict(withRequest(ts, { paused: PAUSE.COMPLETE_UNSTAKE })).reason, /COMPLETE_UNSTAKE/);
  assert.equal(cancelVerdict(withRequest(ts, { paused: 0xff })).ok, true);
  assert.match(completeVerdict(base).reason, /NoPendingRequest/);
  assert.match(cancelVerdict(base).reason, /NoPendingRequest/);
  assert.match(completeVerdict(withRequest(ts, { vaultShort: true })).reason, /VaultShortfall/);
});

test("errors are named from the IDL by custom code, with a plain explanation", () => {
  const x = explainCode(6022);
  assert.equal(x.name, "CooldownNotElapsed (6022)");
  assert.match(x.message, /cooldown has not elapsed/);
  assert.match(x.plain, /wait until the unlock time/);
  assert.match(explainCode(3012).name, /^AccountNotInitialized \(Anchor 3012\)/);
  assert.match(explainCode(1).name, /^InsufficientFunds \(SPL Token 1\)/);
  const fromLogs = explain({
    message: "Simulation failed. Message: Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1787.",
    logs: ["Program log: AnchorError occurred. Error Code: RequestLapsed. Error Number: 6023."],
  });
  assert.equal(fromLogs.name, "RequestLapsed (6023)");
  assert.match(fromLogs.plain, /Cancel it and request again/);
  assert.equal(explain({ message: "custom program error: 0x17ab" }).name, "LossPending (6059)");
  assert.equal(explain({ err: { InstructionError: [1, { Custom: 6020 }] } }).name, "RequestPending (6020)");
  assert.match(explain(new Error("User rejected the request")).name, /Rejected/);
});

test("the error table is the IDL's: codes of the second hardening round, plain texts by IDL names", () => {
  const names = [
    [6023, "RequestLapsed"],
    [6058, "WrongTokenProgram"],
    [6059, "LossPending"],
    [6060, "BankruptcyOpen"],
    [6061, "MarketNotFrozen"],
    [6062, "ReceiptSupplyOverflow"],
    [6063, "ReceiptMintMismatch"],
    [6064, "SharesInRequest"],
    [6065, "PoolMismatch"],
    [6066, "SettlementAuthorityMismatch"],
  ] as const;
  for (const [code, name] of names) assert.equal(explainCode(code).name, `${name} (${code})`);
  assert.match(explainCode(6059).plain, /recorded loss/);
  // Every plain explanation is keyed by a name some program knows: this
  // program's IDL, Anchor's own errors, or SPL Token's.
  const known = new Set([...(IDL.errors ?? []).map((e) => e.name), ...Object.keys(LangErrorCode), ...TOKEN_ERRORS]);
  for (const name of Object.keys(PLAIN)) assert.ok(known.has(name), `errors.ts explains ${name}, which no program defines`);
});

test("APR: staker revenue over the period the sweeps cover, annualised", () => {
  const day = 86_400n;
  const now = 100n * day;
  // One sweep a day ago covering one day, raising the price by 0.1 %.
  const one = aprFromSweeps([{ time: now - day, stakerAmount: 1_000n, assetsBefore: 1_000_000n, totalSharesBefore: 1_000_000n, elapsed: day }], now);
  assert.equal(one.sweeps, 1);
  assert.equal(one.periodSeconds, 2n * day);
  assert.equal(formatPercent(one.apr), "18.25 %"); // 0.1 % per 2 days
  // Sweeps older than 7 days do not count; no sweeps is 0 over the window.
  const none = aprFromSweeps([{ time: now - 8n * day, stakerAmount: 5n, assetsBefore: 10n, totalSharesBefore: 10n, elapsed: 1n }], now);
  assert.deepEqual(none, { apr: 0n, sweeps: 0, periodSeconds: 7n * day });
  // A sweep into an empty pool pays stakers nothing.
  const empty = aprFromSweeps([{ time: now - 10n, stakerAmount: 0n, assetsBefore: 0n, totalSharesBefore: 0n, elapsed: 10n }], now);
  assert.equal(empty.apr, 0n);
});
