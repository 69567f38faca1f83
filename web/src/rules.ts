// When the program would refuse a staker's instruction, and why, so each
// button can be disabled with the reason shown next to it. These mirror the
// program's checks (SPEC.md "Share ledger"; programs/backstop/src/instructions
// stake.rs, request_unstake.rs, cancel_unstake.rs, complete_unstake.rs).
// Pure functions of what the page read: unit-tested in web/test/rules.test.ts.

import { formatAmount, formatDuration, parseAmount, sharesFor, valueOf } from "./amounts";
import { PAUSE } from "./idl";

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
    cooldown: bigint;
    window: bigint;
  };
  stake?: { epoch: number; shares: bigint; requestShares: bigint; requestValue: bigint; requestTs: bigint };
  tokenBalance?: bigint; // undefined: the wallet has no token account for the mint
  lamports?: bigint;
  resumedAt?: bigint;
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

/** Unlock (request_ts + cooldown) and, when window > 0, lapse:
 *  max(unlock, resumed) + window. Completing is allowed while
 *  unlock ≤ now ≤ lapse (complete_unstake.rs). */
export function requestTimes(
  requestTs: bigint,
  cooldown: bigint,
  window: bigint,
  resumedAt: bigint | undefined,
): { unlockAt: bigint; lapseAt?: bigint } {
  const unlockAt = requestTs + cooldown;
  if (window === 0n) return { unlockAt };
  const start = resumedAt !== undefined && resumedAt > unlockAt ? resumedAt : unlockAt;
  return { unlockAt, lapseAt: start + window };
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
  return { ok: true, shares, reason: `Requests ${shares} shares; they can be completed after the ${wait} cooldown.` };
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
  if (s.paused & PAUSE.COMPLETE_UNSTAKE) {
    return no(
      "Completing unstakes is paused by governance (pause flag COMPLETE_UNSTAKE): OperationPaused. " +
        "A pause never makes a request lapse: its window restarts when it is lifted.",
    );
  }
  const { unlockAt, lapseAt } = requestTimes(s.stake!.requestTs, s.pool.cooldown, s.pool.window, s.resumedAt);
  const now = BigInt(s.now);
  if (now < unlockAt) return no(`In cooldown: unlocks in ${formatDuration(unlockAt - now)} (CooldownNotElapsed).`);
  if (lapseAt !== undefined && now > lapseAt) {
    return no(`The request lapsed ${formatDuration(now - lapseAt)} ago (UnstakeWindowLapsed): cancel it and request again.`);
  }
  const due = valueOf(s.stake!.requestShares, s.pool.assets, s.pool.totalShares);
  const pay = due < s.stake!.requestValue ? due : s.stake!.requestValue;
  return { ok: true, reason: `Pays ${formatAmount(pay, s.decimals)} to your wallet.` };
}
