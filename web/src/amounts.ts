// Exact amounts: token units in and out of base units with the mint's
// decimals, and the pool's share arithmetic, all in BigInt. Amounts never go
// through a float (a u64 above 2^53 would silently lose its last digits).

/** Parses "1250.5" into base units for a mint with `decimals`; throws a
 *  sentence the page can show when the text is not an amount. */
export function parseAmount(text: string, decimals: number): bigint {
  const t = text.trim().replace(/_/g, "");
  if (!/^\d*(\.\d*)?$/.test(t) || t === "" || t === ".") {
    throw new Error(`"${text.trim()}" is not an amount: use digits and at most one "."`);
  }
  const [whole, frac = ""] = t.split(".");
  if (frac.length > decimals) {
    throw new Error(`at most ${decimals} decimal places for this token`);
  }
  return BigInt(whole || "0") * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
}

/** Base units as token units: 1250500000 with 6 decimals is "1,250.5". */
export function formatAmount(units: bigint, decimals: number, opts: { grouping?: boolean } = {}): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const scale = 10n ** BigInt(decimals);
  const whole = (abs / scale).toString();
  const frac = decimals > 0 ? (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "") : "";
  const grouped = opts.grouping === false ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${frac ? `.${frac}` : ""}`;
}

/** `shares_for` and `value_of` are backstop-core's own (ts/client/core.ts). */
export { sharesFor, valueOf } from "../../ts/client";
import { valueOf } from "../../ts/client";

/** `receipt_value` (crates/client/src/views.rs): what `amount` receipt tokens
 *  of the pool's receipt mint of `epoch` are worth now. One receipt token is
 *  one share of its epoch, so for the current epoch it is value_of(amount) =
 *  ⌊amount·A / S⌋ (0 if S = 0), rounded down as the program rounds; receipts
 *  of an older epoch were wiped out with it and are worth 0. */
export function receiptValue(
  amount: bigint,
  epoch: number | bigint,
  pool: { assets: bigint; totalShares: bigint; epoch: number | bigint },
): bigint {
  if (BigInt(epoch) !== BigInt(pool.epoch)) return 0n;
  return valueOf(amount, pool.assets, pool.totalShares);
}

/** Parses a whole count of shares or receipt tokens ("1250500000"); throws a
 *  sentence the page can show when the text is not one. */
export function parseCount(text: string): bigint {
  const t = text.trim().replace(/_/g, "");
  if (!/^\d+$/.test(t)) throw new Error(`"${text.trim()}" is not a whole number: use digits only`);
  return BigInt(t);
}

/** The share price A/S with `places` decimals (an empty pool prices at 1: the
 *  first stake buys shares 1:1). Shares and assets are both base units, so the
 *  price is in tokens per token-share whatever the decimals. */
export function formatSharePrice(assets: bigint, totalShares: bigint, places = 9): string {
  if (totalShares === 0n) return `1.${"0".repeat(places)}`;
  const scaled = (assets * 10n ** BigInt(places)) / totalShares;
  const whole = scaled / 10n ** BigInt(places);
  const frac = (scaled % 10n ** BigInt(places)).toString().padStart(places, "0");
  return `${whole}.${frac}`;
}

/** A ratio scaled by 10^12 shown as a percentage with two decimals. */
export const RATIO_SCALE = 10n ** 12n;
export function formatPercent(ratioScaled: bigint): string {
  const negative = ratioScaled < 0n;
  const abs = negative ? -ratioScaled : ratioScaled;
  // percent with 2 decimals = ratio · 10^4, rounded half up
  const hundredths = (abs * 10_000n + RATIO_SCALE / 2n) / RATIO_SCALE;
  const text = `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, "0")} %`;
  return negative ? `-${text}` : text;
}

/** Basis points as a percentage: 5000 → "50 %". */
export function formatBps(bps: bigint): string {
  const whole = bps / 100n;
  const frac = (bps % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  return `${whole}${frac ? `.${frac}` : ""} %`;
}

/** A duration in seconds as "13 d 0 h", "2 h 5 min", "42 s". */
export function formatDuration(seconds: number | bigint): string {
  let s = Number(seconds);
  if (s <= 0) return "0 s";
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3_600);
  s -= h * 3_600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${d} d ${h} h ${m} min`;
  if (h > 0) return `${h} h ${m} min ${s} s`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

/** Unix seconds as a UTC date and time, e.g. "2025-03-01 14:05:09 UTC". */
export function formatTime(unix: number | bigint): string {
  const iso = new Date(Number(unix) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

export const U64_MAX = 2n ** 64n - 1n;
