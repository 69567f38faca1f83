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
import { IDL, PAUSE } from "../../ts/client";
import {
  cancelVerdict,
  completeVerdict,
  poolExitClockAt,
  protocolExitClockAt,
  requestLapsed,
  requestTimes,
  requestVerdict,
  stakeRequestTimes,
  stakeVerdict,
  type StakerState,
} from "../src/rules";

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

test("share arithmetic rounds in the pool's favour (docs/protocol.md §4 share ledger)", () => {
  assert.equal(sharesFor(100n, 0n, 0n), 100n); // empty pool: 1:1
  assert.equal(sharesFor(10n, 30n, 20n), 6n); // ⌊10·20/30⌋
  assert.equal(valueOf(7n, 30n, 20n), 10n); // ⌊7·30/20⌋
  assert.equal(valueOf(5n, 0n, 0n), 0n);
  assert.equal(formatSharePrice(3n, 2n), "1.500000000");
  assert.equal(formatSharePrice(0n, 0n), "1.000000000");
  assert.equal(formatPercent(RATIO_SCALE / 8n), "12.50 %");
});

// No pause and no record so far: the protocol's and the pool's exit clocks
// equal the cluster time (U(now) = 0 + now − 0, E(now) = 0 + U(now) − 0).
const base: StakerState = {
  connected: true,
  paused: 0,
  now: 1_000_000,
  decimals: 6,
  pool: {
    assets: 1_000n, totalShares: 1_000n, epoch: 0, minStake: 10n, cooldown: 100n, window: 50n,
    openRecords: 0, exitClock: 0n, exitClockRef: 0n, wrapped: 0n,
  },
  stake: {
    epoch: 0, shares: 500n, requestShares: 0n, requestValue: 0n, requestTs: 0n,
    requestCooldown: 0n, requestWindow: 0n, requestExitClock: 0n,
  },
  tokenBalance: 5_000_000n,
  lamports: 1_000_000_000n,
  exitClock: { clock: 0n, ts: 0n },
  vaultShort: false,
};
/** A request made at `ts` on the pool's terms then (cooldown 100, window 50),
 *  at exit clock `ts` (the clocks ran with the cluster time until then). */
const withRequest = (ts: number, extra: Partial<StakerState> = {}): StakerState => ({
  ...base,
  stake: {
    ...base.stake!, requestShares: 200n, requestValue: 200n, requestTs: BigInt(ts),
    requestCooldown: 100n, requestWindow: 50n, requestExitClock: BigInt(ts),
  },
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

test("complete: cooldown, window, pause; cancel is never paused", () => {
  const ts = base.now - 100; // unlocks exactly now
  assert.equal(completeVerdict(withRequest(ts)).ok, true);
  assert.match(completeVerdict(withRequest(ts + 1)).reason, /In cooldown: unlocks in 1 s \(CooldownNotElapsed\)/);
  assert.equal(completeVerdict(withRequest(ts - 50)).ok, true, "the last second of the window still completes");
  assert.match(completeVerdict(withRequest(ts - 51)).reason, /lapsed 1 s ago \(RequestLapsed\)/);
  // A 10 s pause of complete_unstake since the request: the protocol's clock
  // is 10 s behind the cluster time, so the window lasts 10 s longer.
  const paused10 = { exitClock: { clock: 0n, ts: 10n } };
  assert.equal(completeVerdict(withRequest(ts - 51, paused10)).ok, true);
  assert.equal(completeVerdict(withRequest(ts - 60, paused10)).ok, true);
  assert.match(completeVerdict(withRequest(ts - 61, paused10)).reason, /RequestLapsed/);
  assert.match(completeVerdict(withRequest(ts, { paused: PAUSE.COMPLETE_UNSTAKE })).reason, /COMPLETE_UNSTAKE/);
  assert.equal(cancelVerdict(withRequest(ts, { paused: 0xff })).ok, true);
  assert.match(completeVerdict(base).reason, /NoPendingRequest/);
  assert.match(cancelVerdict(base).reason, /NoPendingRequest/);
  assert.match(completeVerdict(withRequest(ts, { vaultShort: true })).reason, /VaultShortfall/);
});

test("a request keeps its own cooldown and window, whatever the pool's are now", () => {
  const ts = base.now - 100;
  // Governance since raised the cooldown and dropped the window: neither applies.
  const later = { pool: { ...base.pool, cooldown: 1_123_200n, window: 0n } };
  assert.equal(completeVerdict(withRequest(ts, later)).ok, true);
  assert.match(completeVerdict(withRequest(ts - 51, later)).reason, /RequestLapsed/);
  assert.deepEqual(stakeRequestTimes(withRequest(ts, later)), { unlockAt: BigInt(base.now), lapseAt: BigInt(base.now + 50) });
  // A request made with window 0 never lapses.
  const noWindow = withRequest(0);
  noWindow.stake = { ...noWindow.stake!, requestWindow: 0n };
  assert.equal(completeVerdict(noWindow).ok, true);
  assert.deepEqual(stakeRequestTimes(noWindow), { unlockAt: 100n });
});

test("the exit clocks: U stops while complete_unstake is paused, E while a record is open", () => {
  // U(now) = exit_clock + (paused ? 0 : now − exit_clock_ts)
  assert.equal(protocolExitClockAt({ clock: 100n, ts: 50n }, 0, 1_000n), 1_050n);
  assert.equal(protocolExitClockAt({ clock: 100n, ts: 50n }, PAUSE.COMPLETE_UNSTAKE, 1_000n), 100n);
  assert.equal(protocolExitClockAt({ clock: 100n, ts: 50n }, PAUSE.STAKE | PAUSE.SWEEP, 1_000n), 1_050n, "other pauses do not stop it");
  // E(now) = open_records > 0 ? exit_clock : exit_clock + U(now) − exit_clock_ref
  assert.equal(poolExitClockAt({ openRecords: 0, exitClock: 300n, exitClockRef: 1_000n }, 1_250n), 550n);
  assert.equal(poolExitClockAt({ openRecords: 2, exitClock: 300n, exitClockRef: 1_000n }, 1_250n), 300n);
});

test("the lapse rule in exact numbers: cooldown 864,000 + window 172,800 of exit clock", () => {
  const r = { requestTs: 0n, requestCooldown: 864_000n, requestWindow: 172_800n, requestExitClock: 500n };
  // Made at exit clock 500: lapses once E > 500 + 1,036,800.
  assert.equal(requestLapsed(r, 500n + 1_036_800n), false);
  assert.equal(requestLapsed(r, 500n + 1_036_801n), true);
  assert.equal(requestLapsed({ ...r, requestWindow: 0n }, 10n ** 12n), false, "window 0: never");
  // If exits stay open from now on: now + (cooldown + window − (E − made_at)).
  assert.deepEqual(requestTimes(r, 500n + 36_800n, 2_000_000n), { unlockAt: 864_000n, lapseAt: 3_000_000n });
});

test("a 5-day record while the request waits pushes its lapse back by 5 days", () => {
  const day = 86_400;
  const requestTs = 1_000;
  const request = (now: number, pool: Partial<StakerState["pool"]>): StakerState => {
    const s = withRequest(requestTs, { now, pool: { ...base.pool, ...pool } });
    s.stake = { ...s.stake!, requestCooldown: 864_000n, requestWindow: 172_800n };
    return s;
  };
  // No record: the request lapses at 1,000 + 864,000 + 172,800.
  const open = request(2 * day, {});
  assert.deepEqual(stakeRequestTimes(open), { unlockAt: 865_000n, lapseAt: 1_037_800n });
  // A record opens on day 3 (the pool's clock stops at 260,200)...
  const opened = requestTs + 3 * day;
  const during = (now: number) => request(now, { openRecords: 1, exitClock: BigInt(opened), exitClockRef: 0n });
  assert.deepEqual(stakeRequestTimes(during(opened + day)), { unlockAt: 865_000n, lapseAt: 1_037_800n + BigInt(day) });
  assert.deepEqual(stakeRequestTimes(during(opened + 2 * day)), { unlockAt: 865_000n, lapseAt: 1_037_800n + 2n * BigInt(day) });
  // ...and is resolved 5 days later: the pool's clock runs again from there
  // (exit_clock_ref = U then), 432,000 s behind the cluster time.
  const resolved = opened + 5 * day;
  const after = (now: number) => request(now, { openRecords: 0, exitClock: BigInt(opened), exitClockRef: BigInt(resolved) });
  assert.deepEqual(stakeRequestTimes(after(resolved + 1)), { unlockAt: 865_000n, lapseAt: 1_037_800n + 432_000n });
  assert.equal(completeVerdict(after(1_469_800)).ok, true, "the last second of the pushed-back window");
  assert.match(completeVerdict(after(1_469_801)).reason, /RequestLapsed/);
});

test("LossPending: a record open on the pool refuses Complete, and the window waits", () => {
  const ts = base.now - 100;
  const loss = (s: StakerState, openRecords = 1): StakerState => ({
    ...s,
    // The record opened 10 s ago: the pool's clock stopped then.
    pool: { ...s.pool, openRecords, exitClock: BigInt(base.now - 10), exitClockRef: 0n },
  });
  const unlocked = completeVerdict(loss(withRequest(ts)));
  assert.equal(unlocked.ok, false);
  assert.match(unlocked.reason, /A bankruptcy is recorded on a market this pool insures: exits wait until the loss is resolved \(LossPending\)/);
  assert.match(unlocked.reason, /does not lapse while it waits/);
  assert.match(completeVerdict(loss(withRequest(ts), 2)).reason, /^2 bankruptcies are recorded/);
  // Still in cooldown: the cooldown is the refusal, the loss is mentioned.
  const cooling = completeVerdict(loss(withRequest(ts + 5)));
  assert.match(cooling.reason, /CooldownNotElapsed.*LossPending/);
  // Past cooldown + window of cluster time but not of exit clock: not lapsed,
  // so it completes once the record is resolved.
  const waited = loss(withRequest(ts - 55));
  assert.match(completeVerdict(waited).reason, /LossPending.*does not lapse/);
  const resolved = { ...waited, pool: { ...waited.pool, openRecords: 0, exitClockRef: BigInt(base.now) } };
  assert.equal(completeVerdict(resolved).ok, true);
  // A request that lapsed before the record opened stays lapsed.
  const lapsedBefore = loss(withRequest(ts - 70));
  assert.match(completeVerdict(lapsedBefore).reason, /LossPending.*lapsed already \(RequestLapsed\)/);
  // The pause comes first, as in the program.
  assert.match(completeVerdict(loss(withRequest(ts, { paused: PAUSE.COMPLETE_UNSTAKE }))).reason, /OperationPaused/);
  // Cancelling is never refused for a pending loss.
  assert.equal(cancelVerdict(loss(withRequest(ts))).ok, true);
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
    [6067, "StakePoolMismatch"],
    [6068, "ReceiptAccountMismatch"],
    [6069, "RentRecipientMismatch"],
    [6070, "TreasuryMismatch"],
    [6071, "SettlementAuthorityMissing"],
  ] as const;
  for (const [code, name] of names) assert.equal(explainCode(code).name, `${name} (${code})`);
  assert.match(explainCode(6059).plain, /recorded loss/);
  assert.match(explainCode(6068).plain, /receipt token account/);
  assert.match(explainCode(6070).plain, /treasury changed/);
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
