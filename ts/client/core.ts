// backstop-core's rules, compiled to WebAssembly (crates/core-wasm, built by
// ts/client/build-core): the very code the program runs for shares and
// values, the exit clocks, a request's unlock and lapse, the pending-change
// rule, payout executability, the pause table and the pool defaults. Loaded
// synchronously from bytes bundled with the module, in Node and the browser.

import * as wasm from "./core-pkg/backstop_core_wasm.js";
import { WASM_BASE64 } from "./core-pkg/wasm-bytes.js";

wasm.initSync({ module: Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0)) });

/** `shares_for(amount)` (docs/protocol.md §4.1): amount if S = 0, else ⌊amount·S / A⌋. */
export function sharesFor(amount: bigint, assets: bigint, totalShares: bigint): bigint {
  return wasm.sharesForAmountFloor(amount, assets, totalShares);
}

/** `value_of(n)`: 0 if S = 0, else ⌊n·A / S⌋. */
export function valueOf(shares: bigint, assets: bigint, totalShares: bigint): bigint {
  return wasm.valueOfSharesFloor(shares, assets, totalShares);
}

/** U(now): the protocol's unpaused clock from its checkpoint (Protocol.exit_clock
 *  at exit_clock_ts); it stands still while complete_unstake is paused. */
export function protocolExitClockAt(clock: bigint, clockTs: bigint, completePaused: boolean, now: bigint): bigint {
  return wasm.protocolExitClockAt(clock, clockTs, completePaused, now);
}

/** E: a pool's exit clock given U now; it stands still while a record is open. */
export function poolExitClockAt(openRecords: number, exitClock: bigint, exitClockRef: bigint, protocolClock: bigint): bigint {
  return wasm.poolExitClockAt(openRecords, exitClock, exitClockRef, protocolClock);
}

/** When a request made at `requestTs` with `cooldown` unlocks. */
export function unlockTs(requestTs: bigint, cooldown: bigint): bigint {
  return wasm.unlockTs(requestTs, cooldown);
}

/** Whether a request made at exit clock `madeAt` has lapsed at exit clock `clock`. */
export function requestLapsed(madeAt: bigint, cooldown: bigint, window: bigint, clock: bigint): boolean {
  return wasm.requestLapsed(madeAt, cooldown, window, clock);
}

/** When a request lapses if exits stay open from `now` on (undefined: a window of 0). */
export function lapseTs(madeAt: bigint, cooldown: bigint, window: bigint, clock: bigint, now: bigint): bigint | undefined {
  return wasm.lapseTs(madeAt, cooldown, window, clock, now);
}

/** Whether a delayed change (a decoded `Pending<T>`) is in effect at `now`. */
export function pendingTakesEffect(active: boolean, eta: bigint, now: bigint): boolean {
  return wasm.pendingTakesEffect(active, eta, now);
}

/** Whether anyone can execute a payout at `now`, and the program's error when not. */
export function payoutIsExecutable(pending: boolean, eta: bigint, now: bigint): boolean {
  return wasm.payoutIsExecutable(pending, eta, now);
}
export function payoutRefusal(pending: boolean, eta: bigint, now: bigint): string | undefined {
  return wasm.payoutRefusal(pending, eta, now);
}
/** The first second a payout of `eta` can no longer execute. */
export function payoutExpiresAt(eta: bigint): bigint {
  return wasm.payoutExpiresAt(eta);
}

/** The operations paused in `flags` ("stake", "payout", …) and an operation's flag. */
export function pausedOperations(flags: number): string[] {
  return wasm.pausedOperations(flags);
}
export function pauseFlag(operation: string): number | undefined {
  return wasm.pauseFlag(operation);
}

/** A pool's six parameters, as create_pool takes them. */
export interface PoolParamValues {
  cooldown: bigint;
  window: bigint;
  sweep_interval: bigint;
  max_apr_bps: bigint;
  protocol_cut_bps: bigint;
  min_stake: bigint;
}
const PARAM_NAMES = ["cooldown", "window", "sweep_interval", "max_apr_bps", "protocol_cut_bps", "min_stake"] as const;

/** What create_pool stores for a parameter it is not given. */
export const POOL_DEFAULTS: Readonly<PoolParamValues> = Object.freeze(
  Object.fromEntries(
    PARAM_NAMES.map((name) => {
      const value = wasm.defaultPoolParam(name);
      if (value === undefined) throw new Error(`backstop-core has no default for ${name}`);
      return [name, value];
    }),
  ) as unknown as PoolParamValues,
);

/** The program's error for the first parameter out of its bounds, or undefined. */
export function poolParamsRefusal(p: PoolParamValues): string | undefined {
  return wasm.poolParamsRefusal(p.cooldown, p.window, p.sweep_interval, p.max_apr_bps, p.protocol_cut_bps, p.min_stake);
}
