// The program as every TypeScript client knows it: the IDL (idl/backstop.json,
// Anchor's build of the program), its coder, its constants and error table.
// Constants are read from the IDL's `constants`, which the program marks
// `#[constant]` from backstop-core's values: never copied by hand.

import { BorshCoder, convertIdlToCamelCase, type Idl } from "@anchor-lang/core";
import { PublicKey } from "@solana/web3.js";
import idlJson from "../../idl/backstop.json";

export const IDL = idlJson as unknown as Idl;
export const PROGRAM_ID = new PublicKey(IDL.address);
/** Names camelCased as `Program` does (fields decode as `totalShares`, …). */
export const coder = new BorshCoder(convertIdlToCamelCase(IDL));

/** Account names as the IDL spells them ("Pool", "Stake", …). */
export type AccountName = "Protocol" | "Pool" | "Stake" | "Market" | "Bankruptcy" | "Payout" | "Lender" | "Position";

export function hasAccount(name: AccountName): boolean {
  return (IDL.accounts ?? []).some((a) => a.name === name);
}

export function discriminator(name: AccountName): Uint8Array {
  const account = (IDL.accounts ?? []).find((a) => a.name === name);
  if (!account) throw new Error(`the IDL has no ${name} account`);
  return Uint8Array.from(account.discriminator);
}

/** Decodes an account by its IDL name; fields come back camelCased. */
export function decode(name: AccountName, data: Uint8Array): Record<string, unknown> {
  const camel = name[0].toLowerCase() + name.slice(1);
  return coder.accounts.decode(camel, Buffer.from(data)) as Record<string, unknown>;
}

/** Whether the program knows an error by this name (some checks, such as the
 *  vault shortfall, exist only in newer programs). */
export function programHasError(name: string): boolean {
  return (IDL.errors ?? []).some((e) => e.name === name);
}

function constantValue(name: string): string {
  const found = (IDL.constants ?? []).find((c) => c.name === name);
  if (!found) throw new Error(`the IDL has no constant ${name}: regenerate it (cargo run -p backstop-idl)`);
  return String(found.value);
}

/** An integer constant of the program (defaults, bounds, pause bits). */
export function idlConstant(name: string): bigint {
  const value = constantValue(name).replace(/_/g, "");
  if (!/^-?\d+$/.test(value)) throw new Error(`the IDL's constant ${name} is not an integer: ${value}`);
  return BigInt(value);
}

/** A byte-string constant of the program (the PDA seeds, `*_SEED`). */
export function idlBytes(name: string): Buffer {
  return Buffer.from(JSON.parse(constantValue(name)) as number[]);
}

export const SECONDS_PER_YEAR = idlConstant("SECONDS_PER_YEAR");
export const PAYOUT_GRACE_SECONDS = idlConstant("PAYOUT_GRACE_SECS");
/** A market cap meaning "unlimited" (u64::MAX). */
export const UNLIMITED_CAP = idlConstant("UNLIMITED_CAP");
export const DEFAULT_GOVERNANCE_DELAY = idlConstant("DEFAULT_GOVERNANCE_DELAY_SECS");

/** The pause bits by operation (STAKE, REQUEST_UNSTAKE, …), from the IDL's
 *  `PAUSE_*` constants (backstop-core's pause table). */
export const PAUSE = Object.freeze(
  Object.fromEntries(
    (IDL.constants ?? [])
      .filter((c) => c.name.startsWith("PAUSE_"))
      .map((c) => [c.name.slice("PAUSE_".length), Number(idlConstant(c.name))]),
  ),
) as Readonly<Record<PauseName, number>>;

export type PauseName =
  | "STAKE"
  | "REQUEST_UNSTAKE"
  | "COMPLETE_UNSTAKE"
  | "SWEEP"
  | "PREMIUM"
  | "OPERATOR"
  | "RESOLVE"
  | "PAYOUT";

/** The names of the operations paused in `flags`, in bit order. */
export function pausedNames(flags: number): PauseName[] {
  return (Object.entries(PAUSE) as [PauseName, number][])
    .sort(([, a], [, b]) => a - b)
    .filter(([, bit]) => (flags & bit) !== 0)
    .map(([name]) => name);
}
