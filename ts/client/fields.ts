// Reading decoded accounts without trusting their shape: a few fields older
// programs lacked (held_back, token_program, frozen, exposure_mode…) are read
// with `opt`, never assumed.

import { PublicKey } from "@solana/web3.js";

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

/** A field that must be there (the client cannot work without it). */
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
