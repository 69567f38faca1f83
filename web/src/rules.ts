// When the program would refuse a staker's instruction, and why, so each
// button can be disabled with the reason shown next to it. These mirror the
// program's checks (docs/protocol.md §4 "Share ledger";
// programs/backstop/src/instructions stake.rs, request_unstake.rs,
// cancel_unstake.rs, complete_unstake.rs, and for liquid shares wrap.rs and
// unwrap.rs: docs/protocol.md §4.9 "Receipts (liquid insurance shares)"; both
// refuse on a short vault like every other instruction of the pool) and
// the exit clock (backstop-core `exit`, run here through ts/client/core.ts;
// crates/client/src/views.rs `stake_request_times`).
// Pure functions of what the page read: unit-tested in web/test/rules.test.ts.

import { U64_MAX, formatAmount, formatDuration, parseAmount, parseCount, receiptValue, sharesFor, valueOf } from "./amounts";
import * as core from "../../ts/client";
import { PAUSE } from "../../ts/client";

export interface StakerState {
  connected: boolean;
  paused: number;
  now: number; // cluster time
  decimals: number;
  pool: {
    assets: bigint;
    totalShares: bigint;
    epoch: number;
    minStake: bigint;
    /** The parameters in effect: a later request records them. */
    cooldown: bigint;
    window: bigint;
    /** Shares held as receipt tokens of the current epoch (Pool.wrapped). */
    wrapped: bigint;
  } & PoolExitClock;
  stake?: StakeRequest & { epoch: number; shares: bigint; requestShares: bigint; requestValue: bigint };
  tokenBalance?: bigint; // undefined: the wallet has no token account for the mint
  /** The wallet's receipt tokens of the pool's current epoch (undefined: no
   *  receipt account). */
  receipts?: bigint;
  lamports?: bigint;
  /** The protocol's unpaused clock at its last checkpoint (Protocol.exit_clock, exit_clock_ts). */
  exitClock: ProtocolExitClock;
  /** The vault holds less than A and this program refuses everything but
   *  sync_vault then (VaultShortfall). */
  vaultShort: boolean;
}

export interface Verdict {
  ok: boolean;
  /** Why the program would refuse, or (when ok) what the click will do. */
  reason: string;
  /** Not a refusal: the form only waits for an amount. */
  prompt?: boolean;
}

export interface StakeVerdict extends Verdict {
  amount?: bigint;
}
export interface RequestVerdict extends Verdict {
  shares?: bigint;
}
export interface WrapVerdict extends Verdict {
  shares?: bigint;
}
export interface UnwrapVerdict extends Verdict {
  amount?: bigint;
}

const no = (reason: string): Verdict => ({ ok: false, reason });
const VAULT_SHORT =
  "The pool's vault holds less than its recorded assets (a delegate took tokens): the program refuses every " +
  "instruction of this pool (VaultShortfall) until someone runs sync_vault.";

/** Whether the stake holds shares of the pool's current epoch. */
export function isCurrent(s: StakerState): boolean {
  return s.stake !== undefined && s.stake.epoch === s.pool.epoch;
}

export function hasRequest(s: StakerState): boolean {
  return isCurrent(s) && (s.stake?.requestShares ?? 0n) > 0n;
}

/** The shares the stake holds now (a stake of an older epoch holds nothing). */
export function currentShares(s: StakerState): bigint {
  return isCurrent(s) ? s.stake!.shares : 0n;
}

/** The shares `wrap` accepts: the stake's shares less those of a pending
 *  request of the current epoch (Stake::wrappable_shares). */
export function wrappableShares(s: StakerState): bigint {
  const requested = hasRequest(s) ? s.stake!.requestShares : 0n;
  const held = currentShares(s);
  return held > requested ? held - requested : 0n;
}

// ---------------------------------------------------------------- the exit clock

/** Protocol.exit_clock and exit_clock_ts: seconds during which complete_unstake
 *  was not paused, as of its last checkpoint. */
export interface ProtocolExitClock {
  clock: bigint;
  ts: bigint;
}

/** The pool's exit clock fields (Pool.open_records, exit_clock, exit_clock_ref). */
export interface PoolExitClock {
  openRecords: number;
  exitClock: bigint;
  exitClockRef: bigint;
}

/** What a request recorded when it was made (Stake.request_*). */
export interface StakeRequest {
  requestTs: bigint;
  requestCooldown: bigint;
  requestWindow: bigint;
  requestExitClock: bigint;
}

/** U(now): the protocol's unpaused clock, which stops while complete_unstake
 *  is paused (backstop-core `exit::protocol_exit_clock_at`). */
export function protocolExitClockAt(p: ProtocolExitClock, paused: number, now: bigint): bigint {
  return core.protocolExitClockAt(p.clock, p.ts, (paused & PAUSE.COMPLETE_UNSTAKE) !== 0, now);
}

/** E(now): the pool's exit clock, which stops while a bankruptcy record is
 *  open on a market it insures, and otherwise runs with U
 *  (backstop-core `exit::pool_exit_clock_at`). */
export function poolExitClockAt(pool: PoolExitClock, protocolClock: bigint): bigint {
  return core.poolExitClockAt(pool.openRecords, pool.exitClock, pool.exitClockRef, protocolClock);
}

/** Whether a request has lapsed at pool exit clock `e` (RequestLapsed;
 *  backstop-core `exit::request_lapsed`). */
export function requestLapsed(r: StakeRequest, e: bigint): boolean {
  return core.requestLapsed(r.requestExitClock, r.requestCooldown, r.requestWindow, e);
}

/** Whether the pool's exits are blocked now (the exit clock stands still). */
export function exitsBlocked(s: Pick<StakerState, "paused" | "pool">): boolean {
  return (s.paused & PAUSE.COMPLETE_UNSTAKE) !== 0 || s.pool.openRecords > 0;
}

/** The pool's exit clock at the state's `now`. */
export function poolClockNow(s: Pick<StakerState, "paused" | "pool" | "exitClock" | "now">): bigint {
  return poolExitClockAt(s.pool, protocolExitClockAt(s.exitClock, s.paused, BigInt(s.now)));
}

/** When a request unlocks (request_ts + its own cooldown) and, when its window
 *  is not 0, when it lapses if exits stay open from `now` on:
 *  now + (cooldown + window − (E(now) − request_exit_clock)). While exits are
 *  blocked E stands still, so the lapse moves later by the length of the block
 *  (crates/client/src/views.rs `stake_request_times`). */
export function requestTimes(r: StakeRequest, poolClock: bigint, now: bigint): { unlockAt: bigint; lapseAt?: bigint } {
  const unlockAt = core.unlockTs(r.requestTs, r.requestCooldown);
  const lapseAt = core.lapseTs(r.requestExitClock, r.requestCooldown, r.requestWindow, poolClock, now);
  return lapseAt === undefined ? { unlockAt } : { unlockAt, lapseAt };
}

/** requestTimes for the state's pending request at the state's `now`. */
export function stakeRequestTimes(s: StakerState): { unlockAt: bigint; lapseAt?: bigint } {
  return requestTimes(s.stake!, poolClockNow(s), BigInt(s.now));
}

function olderEpoch(s: StakerState): string | undefined {
  if (s.stake && s.stake.epoch !== s.pool.epoch && (s.stake.shares > 0n || s.stake.requestShares > 0n)) {
    return `Your stake belongs to epoch ${s.stake.epoch}, but the pool was wiped out and is in epoch ${s.pool.epoch}: the old shares hold nothing.`;
  }
  return undefined;
}

export function stakeVerdict(s: StakerState, amountText: string): StakeVerdict {
  if (!s.connected) return no("Connect a wallet to stake.");
  if (s.vaultShort) return no(VAULT_SHORT);
  if (s.paused & PAUSE.STAKE) return no("Staking is paused by governance (pause flag STAKE): OperationPaused.");
  if (hasRequest(s)) {
    return no("You have a pending unstake request: the program refuses a new stake (RequestPending). Cancel or complete it first.");
  }
  if (s.tokenBalance === undefined || s.tokenBalance === 0n) return no("Your wallet holds none of this pool's token.");
  if (s.lamports !== undefined && s.lamports === 0n) return no("Your wallet has no SOL to pay the transaction fee.");
  if (amountText.trim() === "") return { ok: false, prompt: true, reason: "Enter an amount to stake." };
  let amount: bigint;
  try {
    amount = parseAmount(amountText, s.decimals);
  } catch (e) {
    return no(`Amount: ${(e as Error).message}.`);
  }
  if (amount === 0n) return no("The amount must be greater than zero (ZeroAmount).");
  if (amount < s.pool.minStake) {
    return no(`The pool's minimum stake is ${formatAmount(s.pool.minStake, s.decimals)} (BelowMinStake).`);
  }
  if (amount > s.tokenBalance) {
    return no(`You hold only ${formatAmount(s.tokenBalance, s.decimals)}.`);
  }
  const shares = sharesFor(amount, s.pool.assets, s.pool.totalShares);
  if (shares === 0n) return no("That amount buys zero shares at the current price (ZeroShares).");
  return { ok: true, amount, reason: `Buys ${shares} shares at the current price.` };
}

export function requestVerdict(s: StakerState, amountText: string): RequestVerdict {
  if (!s.connected) return no("Connect a wallet first.");
  if (s.vaultShort) return no(VAULT_SHORT);
  const old = olderEpoch(s);
  if (old) return no(old);
  const held = currentShares(s);
  if (held === 0n) return no("You hold no shares in this pool.");
  if (hasRequest(s)) return no("A request is already pending (RequestPending): complete or cancel it first.");
  if (s.paused & PAUSE.REQUEST_UNSTAKE) {
    return no("Unstake requests are paused by governance (pause flag REQUEST_UNSTAKE): OperationPaused.");
  }
  if (amountText.trim() === "") return { ok: false, prompt: true, reason: "Enter the value to unstake (or choose All)." };
  let amount: bigint;
  try {
    amount = parseAmount(amountText, s.decimals);
  } catch (e) {
    return no(`Amount: ${(e as Error).message}.`);
  }
  const value = valueOf(held, s.pool.assets, s.pool.totalShares);
  // Asking for at least the whole value requests every share (converting the
  // value back to shares would round one share down).
  const shares = amount >= value ? held : sharesFor(amount, s.pool.assets, s.pool.totalShares);
  if (shares === 0n) return no("That amount is less than one share (ZeroShares).");
  if (shares > held) return no("You do not hold that many shares (InsufficientShares).");
  const wait = formatDuration(s.pool.cooldown);
  const window = s.pool.window === 0n ? "" : `, within a ${formatDuration(s.pool.window)} window`;
  return { ok: true, shares, reason: `Requests ${shares} shares; they can be completed after the ${wait} cooldown${window}.` };
}

export function cancelVerdict(s: StakerState): Verdict {
  if (!s.connected) return no("Connect a wallet first.");
  if (s.vaultShort) return no(VAULT_SHORT);
  const old = olderEpoch(s);
  if (old) return no(old);
  if (!hasRequest(s)) return no("You have no pending unstake request (NoPendingRequest).");
  return {
    ok: true,
    reason: "Keeps your shares; any gain made during the cooldown is forfeited (never paused).",
  };
}

export function completeVerdict(s: StakerState): Verdict {
  if (!s.connected) return no("Connect a wallet first.");
  if (s.vaultShort) return no(VAULT_SHORT);
  const old = olderEpoch(s);
  if (old) return no(old);
  if (!hasRequest(s)) return no("You have no pending unstake request (NoPendingRequest).");
  // In the program's order (complete_unstake.rs validate()).
  if (s.paused & PAUSE.COMPLETE_UNSTAKE) {
    return no(
      "Completing unstakes is paused by governance (pause flag COMPLETE_UNSTAKE): OperationPaused. " +
        "A pause never makes a request lapse: the window's clock stops while it lasts.",
    );
  }
  const { unlockAt, lapseAt } = stakeRequestTimes(s);
  const now = BigInt(s.now);
  const lossPending = s.pool.openRecords > 0;
  if (now < unlockAt) {
    const also = lossPending ? " Exits also wait for a recorded loss to be resolved (LossPending)." : "";
    return no(`In cooldown: unlocks in ${formatDuration(unlockAt - now)} (CooldownNotElapsed).${also}`);
  }
  const lapsed = requestLapsed(s.stake!, poolClockNow(s));
  if (lossPending) {
    const records = s.pool.openRecords === 1 ? "A bankruptcy is" : `${s.pool.openRecords} bankruptcies are`;
    return no(
      `${records} recorded on a market this pool insures: exits wait until the loss is resolved (LossPending). ` +
        "Anyone can resolve it (resolve_bankruptcy). " +
        (lapsed
          ? "Your request has lapsed already (RequestLapsed): cancel it and request again."
          : "The window's clock stops meanwhile, so your request does not lapse while it waits."),
    );
  }
  if (lapsed) {
    const ago = lapseAt !== undefined && now > lapseAt ? ` ${formatDuration(now - lapseAt)} ago` : "";
    return no(`The request lapsed${ago} (RequestLapsed): cancel it and request again.`);
  }
  const due = valueOf(s.stake!.requestShares, s.pool.assets, s.pool.totalShares);
  const pay = due < s.stake!.requestValue ? due : s.stake!.requestValue;
  return { ok: true, reason: `Pays ${formatAmount(pay, s.decimals)} to your wallet.` };
}

// ---------------------------------------------------------------- liquid shares (receipts)

export function wrapVerdict(s: StakerState, sharesText: string): WrapVerdict {
  if (!s.connected) return no("Connect a wallet first.");
  if (s.vaultShort) return no(VAULT_SHORT);
  // In the program's order (wrap.rs validate()), after what needs no amount.
  if (s.paused & PAUSE.STAKE) {
    return no("Wrapping is paused with staking by governance (pause flag STAKE): OperationPaused. Unwrapping is never paused.");
  }
  const old = olderEpoch(s);
  if (old) return no(old);
  const held = currentShares(s);
  if (held === 0n) return no("You hold no shares in this pool to wrap: stake first.");
  const wrappable = wrappableShares(s);
  if (wrappable === 0n) {
    return no(
      "All your shares are in your pending unstake request, and shares in a request cannot be wrapped (SharesInRequest). " +
        "Cancel or complete the request first.",
    );
  }
  if (s.lamports !== undefined && s.lamports === 0n) return no("Your wallet has no SOL to pay the transaction fee.");
  if (sharesText.trim() === "") return { ok: false, prompt: true, reason: "Enter the shares to wrap (or choose All)." };
  let shares: bigint;
  try {
    shares = parseCount(sharesText);
  } catch (e) {
    return no(`Shares: ${(e as Error).message}.`);
  }
  if (shares === 0n) return no("Wrap at least one share (ZeroShares).");
  if (shares > held) return no(`Your stake holds only ${held} shares (InsufficientShares).`);
  if (shares > wrappable) {
    return no(
      `${s.stake!.requestShares} of your shares are in your pending unstake request and cannot be wrapped (SharesInRequest): ` +
        `you can wrap at most ${wrappable}.`,
    );
  }
  if (shares > U64_MAX - s.pool.wrapped) {
    return no("The pool's receipt supply would exceed u64::MAX (ReceiptSupplyOverflow): wrap fewer shares.");
  }
  const value = receiptValue(shares, s.pool.epoch, s.pool);
  // wrap does not wait for a recorded loss (docs/security.md): the receipts
  // bear it like the shares they are, whoever holds them then.
  const loss =
    s.pool.openRecords > 0
      ? " A recorded loss is pending on this pool (LossPending): the receipts bear it like shares, whoever holds them."
      : "";
  return {
    ok: true,
    shares,
    reason:
      `Mints ${shares} receipt tokens of epoch ${s.pool.epoch} (worth ${formatAmount(value, s.decimals)} now) to your wallet; ` +
      `your stake keeps ${held - shares} shares.${loss}`,
  };
}

export function unwrapVerdict(s: StakerState, amountText: string): UnwrapVerdict {
  if (!s.connected) return no("Connect a wallet first.");
  if (s.vaultShort) return no(VAULT_SHORT);
  const held = s.receipts ?? 0n;
  if (held === 0n) return no(`You hold no receipt tokens of this pool's epoch ${s.pool.epoch}.`);
  if (s.lamports !== undefined && s.lamports === 0n) return no("Your wallet has no SOL to pay the transaction fee.");
  if (amountText.trim() === "") return { ok: false, prompt: true, reason: "Enter the receipt tokens to unwrap (or choose All)." };
  let amount: bigint;
  try {
    amount = parseCount(amountText);
  } catch (e) {
    return no(`Receipt tokens: ${(e as Error).message}.`);
  }
  if (amount === 0n) return no("Unwrap at least one receipt token (ZeroAmount).");
  if (amount > held) return no(`You hold only ${held} receipt tokens of this epoch (InsufficientFunds).`);
  const value = receiptValue(amount, s.pool.epoch, s.pool);
  const creates = s.stake === undefined ? " (the first unwrap creates your stake account)" : "";
  return {
    ok: true,
    amount,
    reason:
      `Burns ${amount} receipt tokens of epoch ${s.pool.epoch}; your stake gains ${amount} shares ` +
      `(worth ${formatAmount(value, s.decimals)} now)${creates}. Never paused.`,
  };
}
