// The program as the page knows it: the IDL (bundled at build time, so a
// regenerated idl/backstop.json is picked up by the next `npm run build:web`)
// with its error table and numeric constants, PDAs, and readers for decoded
// accounts. A few fields older programs lacked (held_back, token_program,
// frozen, exposure_mode…) are read with `opt`, never assumed.

import { BorshCoder, convertIdlToCamelCase, type Idl } from "@anchor-lang/core";
import { TOKEN_2022_PROGRAM_ID, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { PublicKey } from "@solana/web3.js";
import idlJson from "../../idl/backstop.json";

export const IDL = idlJson as unknown as Idl;
export const PROGRAM_ID = new PublicKey(IDL.address);
/** Names camelCased as `Program` does (fields decode as `totalShares`, …). */
export const coder = new BorshCoder(convertIdlToCamelCase(IDL));

/** Account names as the IDL spells them ("Pool", "Stake", …). */
export type AccountName = "Protocol" | "Pool" | "Stake" | "Market" | "Bankruptcy" | "Payout";

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

// ---------------------------------------------------------------- PDAs (crates/client/src/pda.rs)

const seed = (s: string) => Buffer.from(s);
const find = (...seeds: Uint8Array[]) => PublicKey.findProgramAddressSync(seeds, PROGRAM_ID)[0];
const u64le = (n: number | bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};

export const pda = {
  protocol: () => find(seed("protocol")),
  pool: (mint: PublicKey) => find(seed("pool"), mint.toBuffer()),
  vault: (pool: PublicKey) => find(seed("vault"), pool.toBuffer()),
  revenue: (pool: PublicKey) => find(seed("revenue"), pool.toBuffer()),
  stake: (pool: PublicKey, owner: PublicKey) => find(seed("stake"), pool.toBuffer(), owner.toBuffer()),
  /** The pool's receipt mint of `epoch` (liquid shares; a Token-2022 mint):
   *  ["receipt", pool, epoch as u64 LE]. */
  receiptMint: (pool: PublicKey, epoch: number | bigint) => find(seed("receipt"), pool.toBuffer(), u64le(epoch)),
  /** `owner`'s associated token account of a receipt mint, always under
   *  Token-2022 (crates/client/src/token.rs `receipt_account`). Not a PDA of
   *  this program, but derived here with the mint it belongs to. */
  receiptAccount: (owner: PublicKey, receiptMint: PublicKey) =>
    getAssociatedTokenAddressSync(receiptMint, owner, true, TOKEN_2022_PROGRAM_ID),
};

// ---------------------------------------------------------------- tolerant field access

/** A decoded field, or undefined when this IDL has no such field. */
export function opt(obj: Record<string, unknown> | undefined, name: string): unknown {
  return obj && name in obj ? obj[name] : undefined;
}

/** u64/u128/i64 fields decode as BN; numbers stay numbers. */
export function big(value: unknown): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return BigInt(value);
  if (typeof value === "object" && "toString" in (value as object)) {
    const text = (value as { toString(base?: number): string }).toString(10);
    if (/^-?\d+$/.test(text)) return BigInt(text);
  }
  return undefined;
}

/** A field that must be there (the page cannot work without it). */
export function need(obj: Record<string, unknown>, name: string): bigint {
  const v = big(obj[name]);
  if (v === undefined) throw new Error(`the account has no numeric field ${name}`);
  return v;
}

export function key(value: unknown): PublicKey | undefined {
  return value instanceof PublicKey ? value : undefined;
}

/** The variant name of a decoded enum ({ frozen: {} } → "frozen"). */
export function variant(value: unknown): string | undefined {
  if (value && typeof value === "object") return Object.keys(value)[0];
  return undefined;
}

/** Pause bits (programs/backstop/src/state/protocol.rs `pause`; docs/protocol.md §5).
 *  They are not among the IDL's constants, so they are written here. */
export const PAUSE = {
  STAKE: 0x01,
  REQUEST_UNSTAKE: 0x02,
  COMPLETE_UNSTAKE: 0x04,
  SWEEP: 0x08,
  PREMIUM: 0x10,
  OPERATOR: 0x20,
  RESOLVE: 0x40,
  PAYOUT: 0x80,
} as const;

export function pausedNames(flags: number): string[] {
  return Object.entries(PAUSE)
    .filter(([, bit]) => (flags & bit) !== 0)
    .map(([name]) => name);
}

/** Whether the program knows an error by this name (some checks, such as the
 *  vault shortfall, exist only in newer programs). */
export function programHasError(name: string): boolean {
  return (IDL.errors ?? []).some((e) => e.name === name);
}

/** A numeric constant of the program from the IDL's `constants` (the program
 *  marks its defaults and bounds `#[constant]`; constants.rs). */
export function idlConstant(name: string): bigint {
  const found = (IDL.constants ?? []).find((c) => c.name === name);
  if (!found) throw new Error(`the IDL has no constant ${name}`);
  return BigInt(String(found.value).replace(/_/g, ""));
}

export const SECONDS_PER_YEAR = idlConstant("SECONDS_PER_YEAR");
export const PAYOUT_GRACE_SECONDS = idlConstant("PAYOUT_GRACE_SECS");
