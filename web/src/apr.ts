// APR over the last 7 days of sweeps, from the RevenueSwept events in the
// pool's transaction logs (getSignaturesForAddress + getTransaction). Each
// sweep raises the stakers' share price by staker_amount / assets_before (the
// treasury's cut is minted after, at the raised price, so it does not dilute
// that); the APR is the sum of those rises over the period they cover,
// annualised. If a node's logs carry no events (one that drops them), the
// page says so and estimates from what it has: the share price now against 1
// at the pool's first transaction. `backstop localnet` logs events as a
// cluster does.

import { EventParser } from "@anchor-lang/core";
import type { PublicKey } from "@solana/web3.js";
import { RATIO_SCALE } from "./amounts";
import type { Chain } from "./chain";
import { PROGRAM_ID, SECONDS_PER_YEAR, big, coder, key } from "../../ts/client";

export const APR_WINDOW_SECONDS = 7n * 86_400n;
const MAX_SIGNATURES = 1_000;

export interface Sweep {
  time: bigint; // block time
  stakerAmount: bigint;
  assetsBefore: bigint;
  totalSharesBefore: bigint;
  elapsed: bigint;
}

export type Apr =
  | { kind: "events"; apr: bigint; sweeps: number; periodSeconds: bigint; truncated: boolean }
  | {
      kind: "estimate";
      reason: string;
      growth?: bigint; // share price − 1, ratio scaled by RATIO_SCALE
      since?: bigint; // the pool's first transaction, when known
      apr?: bigint; // growth annualised over now − since
    };

/** APR (ratio scaled by RATIO_SCALE) of the sweeps within the window ending at `now`. */
export function aprFromSweeps(all: Sweep[], now: bigint, window = APR_WINDOW_SECONDS): { apr: bigint; sweeps: number; periodSeconds: bigint } {
  const start = now - window;
  const inWindow = all.filter((s) => s.time >= start && s.time <= now);
  if (inWindow.length === 0) return { apr: 0n, sweeps: 0, periodSeconds: window };
  let rise = 0n;
  let earliest = now;
  for (const s of inWindow) {
    if (s.assetsBefore > 0n && s.totalSharesBefore > 0n) rise += (s.stakerAmount * RATIO_SCALE) / s.assetsBefore;
    const covered = s.time - (s.elapsed > 0n ? s.elapsed : 0n);
    if (covered < earliest) earliest = covered;
  }
  // The period the sweeps account for: back to the start of the oldest
  // sweep's interval, at most the window.
  const from = earliest > start ? earliest : start;
  const period = now - from > 0n ? now - from : 1n;
  return { apr: (rise * SECONDS_PER_YEAR) / period, sweeps: inWindow.length, periodSeconds: period };
}

interface RawTx {
  blockTime?: number | null;
  meta?: { err?: unknown; logMessages?: string[] | null } | null;
}

/** Per-page cache of what each signature's logs said (transactions never change). */
export class SweepHistory {
  private parsed = new Map<string, Sweep[] | "no-logs">();
  private parser = new EventParser(PROGRAM_ID, coder);

  constructor(private chain: Chain) {}

  async apr(pool: PublicKey, now: number, growth: bigint | undefined): Promise<Apr> {
    let signatures: { signature: string; blockTime?: number | null; err?: unknown }[];
    try {
      signatures = await this.chain.rpc("getSignaturesForAddress", [pool.toBase58(), { limit: MAX_SIGNATURES }]);
    } catch (e) {
      return estimate(`the node does not answer getSignaturesForAddress (${(e as Error).message})`, growth, now);
    }
    const start = BigInt(now) - APR_WINDOW_SECONDS;
    const recent = signatures.filter((s) => !s.err && (s.blockTime == null || BigInt(s.blockTime) >= start));
    const sweeps: Sweep[] = [];
    let withoutLogs = 0;
    for (const s of recent) {
      let found = this.parsed.get(s.signature);
      if (found === undefined) {
        found = await this.read(s.signature, pool);
        this.parsed.set(s.signature, found);
      }
      if (found === "no-logs") withoutLogs++;
      else sweeps.push(...found);
    }
    if (recent.length > 0 && withoutLogs === recent.length) {
      // Newest first: the last one is the pool's first, unless cut off.
      const first = signatures.length < MAX_SIGNATURES ? signatures[signatures.length - 1]?.blockTime : undefined;
      return estimate("this node's transaction logs carry no program events", growth, now, first ?? undefined);
    }
    return { kind: "events", ...aprFromSweeps(sweeps, BigInt(now)), truncated: signatures.length >= MAX_SIGNATURES };
  }

  /** The pool's sweeps in one transaction, or "no-logs" when its logs are
   *  missing or carry no events at all (every Backstop instruction emits one,
   *  so a Backstop transaction without any is a node that drops them). */
  private async read(signature: string, pool: PublicKey): Promise<Sweep[] | "no-logs"> {
    let tx: RawTx | null;
    try {
      tx = await this.chain.rpc<RawTx | null>("getTransaction", [
        signature,
        { encoding: "json", commitment: "confirmed", maxSupportedTransactionVersion: 0 },
      ]);
    } catch {
      return "no-logs";
    }
    const logs = tx?.meta?.logMessages;
    if (!tx || !logs) return "no-logs";
    if (!logs.some((l) => l.startsWith("Program data: "))) return "no-logs";
    const out: Sweep[] = [];
    let events;
    try {
      events = [...this.parser.parseLogs(logs)];
    } catch {
      return "no-logs"; // logs this parser cannot follow
    }
    for (const event of events) {
      if (event.name.toLowerCase() !== "revenueswept") continue;
      const d = event.data as Record<string, unknown>;
      if (!key(d.pool)?.equals(pool)) continue;
      out.push({
        time: BigInt(tx.blockTime ?? 0),
        stakerAmount: big(d.stakerAmount) ?? 0n,
        assetsBefore: big(d.assetsBefore) ?? 0n,
        totalSharesBefore: big(d.totalSharesBefore) ?? 0n,
        elapsed: big(d.elapsed) ?? 0n,
      });
    }
    return out;
  }
}

function estimate(reason: string, growth: bigint | undefined, now: number, since?: number): Apr {
  const period = since !== undefined ? BigInt(now - since) : 0n;
  const apr = growth !== undefined && period > 0n ? (growth * SECONDS_PER_YEAR) / period : undefined;
  return { kind: "estimate", reason, growth, since: since !== undefined ? BigInt(since) : undefined, apr };
}
