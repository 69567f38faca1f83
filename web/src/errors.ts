// A refused transaction explained: the program's error by its IDL name (found
// by its custom error code in the bundled idl/backstop.json, so a regenerated
// IDL renames and appends errors here by itself), the IDL's message, and a
// plain sentence for a staker. Anchor's own errors (codes below 6000) come from
// @anchor-lang/core, and small codes raised inside a Backstop instruction are
// SPL Token's.

import { LangErrorCode, LangErrorMessage } from "@anchor-lang/core";
import { IDL } from "../../ts/client";

export interface Explained {
  name: string; // e.g. "CooldownNotElapsed (6022)"
  message: string; // the program's message
  plain: string; // what it means for the staker
  logs?: string[];
}

/** Plain explanations of the refusals a staker can meet, by error name (an
 *  error without one shows the IDL's message; rules.test.ts checks that every
 *  name here is one the IDL, Anchor or SPL Token defines). */
export const PLAIN: Record<string, string> = {
  OperationPaused: "Governance has paused this operation. Cancelling a request is never paused; try again when it is lifted.",
  ZeroAmount: "Enter an amount greater than zero.",
  BelowMinStake: "The pool has a minimum stake; stake at least that much.",
  ZeroShares: "The amount is too small to buy or name a single share at the current price.",
  InsufficientShares: "You asked to unstake or wrap more shares than your stake holds.",
  SharesInRequest:
    "Some of these shares are in your pending unstake request, and shares waiting to leave the pool cannot be turned into " +
    "receipt tokens. Wrap fewer shares, or cancel or complete the request first.",
  ReceiptSupplyOverflow: "Wrapping that many shares would put more receipt tokens in circulation than a token can count; wrap fewer.",
  ReceiptMintMismatch:
    "The receipt token is not one of this pool's (or not of the epoch named); refresh the page and try again.",
  ReceiptAccountMismatch:
    "The receipt token account is not yours, or not for this epoch's receipt token; the page uses your associated account, so refresh and try again.",
  RequestPending: "You already have an unstake request; complete or cancel it before staking or requesting again.",
  NoPendingRequest: "There is no unstake request to cancel or complete (or your stake is from an older epoch).",
  CooldownNotElapsed: "The cooldown is still running: wait until the unlock time shown, then complete.",
  RequestLapsed: "The time to complete this request has passed (its cooldown and window of open exits). Cancel it and request again.",
  LossPending:
    "A recorded loss (a bankruptcy on a market this pool insures) must be resolved before anyone leaves the pool. " +
    "Anyone can resolve it; your request's window waits meanwhile, so try again once it is resolved.",
  NotStakeOwner: "This stake belongs to another wallet.",
  StakePoolMismatch: "This stake account belongs to another pool; refresh the page and try again.",
  MintMismatch: "The token account is for a different token than this pool's.",
  TreasuryStakeMismatch: "The treasury changed since the page last read it; refresh and try again.",
  TreasuryMismatch: "The treasury changed since the page last read it; refresh and try again.",
  VaultShortfall: "The pool's vault holds less than its recorded assets; everything but sync_vault is refused until it is synced.",
  TransferFeeNotSupported: "The token now charges a transfer fee, so staking is refused; exits still work.",
  InvariantViolated: "The program refused to protect the pool's funds; nothing happened.",
  MathOverflow: "An amount is too large for the program's arithmetic.",
  InsufficientFunds: "Your token account does not hold that much.",
  AccountNotInitialized: "An account the instruction needs does not exist (for example, you have no stake in this pool).",
  ConstraintSeeds: "An account address did not match; refresh the page and try again.",
};

/** SPL Token's errors (token/program/src/error.rs), by custom code. */
export const TOKEN_ERRORS = [
  "NotRentExempt",
  "InsufficientFunds",
  "InvalidMint",
  "MintMismatch",
  "OwnerMismatch",
  "FixedSupply",
  "AlreadyInUse",
  "InvalidNumberOfProvidedSigners",
  "InvalidNumberOfRequiredSigners",
  "UninitializedState",
  "NativeNotSupported",
  "NonNativeHasBalance",
  "InvalidInstruction",
  "InvalidState",
  "Overflow",
  "AuthorityTypeNotSupported",
  "MintCannotFreeze",
  "AccountFrozen",
  "MintDecimalsMismatch",
  "NonNativeNotSupported",
];

const langNames = new Map<number, string>(Object.entries(LangErrorCode).map(([name, code]) => [code as number, name]));

export function explainCode(code: number): Explained {
  const program = (IDL.errors ?? []).find((e) => e.code === code);
  if (program) {
    return { name: `${program.name} (${code})`, message: program.msg ?? "", plain: PLAIN[program.name] ?? program.msg ?? "" };
  }
  const lang = langNames.get(code);
  if (lang) {
    const message = LangErrorMessage.get(code) ?? "";
    return { name: `${lang} (Anchor ${code})`, message, plain: PLAIN[lang] ?? message };
  }
  if (code >= 0 && code < TOKEN_ERRORS.length) {
    const name = TOKEN_ERRORS[code];
    return { name: `${name} (SPL Token ${code})`, message: "", plain: PLAIN[name] ?? "The token program refused the transfer." };
  }
  return { name: `custom error ${code}`, message: "", plain: "The program refused the transaction." };
}

/** The custom error code in a transaction error (`{ InstructionError: [i, { Custom: n }] }`). */
function customCode(err: unknown): number | undefined {
  const ie = (err as { InstructionError?: [number, unknown] } | undefined)?.InstructionError;
  const inner = ie?.[1] as { Custom?: number } | undefined;
  return typeof inner?.Custom === "number" ? inner.Custom : undefined;
}

/** Finds the refusal in whatever failed: an error from sending (web3.js puts
 *  the simulation's logs on it), a failed status, or a wallet's rejection. */
export function explain(e: unknown): Explained {
  const any = e as { logs?: string[]; transactionError?: unknown; message?: string; err?: unknown };
  const logs: string[] | undefined = Array.isArray(any?.logs) ? any.logs : undefined;
  const text = `${any?.message ?? e}\n${(logs ?? []).join("\n")}`;
  // Anchor logs "Error Code: Name. Error Number: 6022." for its own errors.
  const anchor = /Error Number: (\d+)/.exec(text);
  const hex = /custom program error: 0x([0-9a-f]+)/i.exec(text);
  const code = anchor
    ? Number(anchor[1])
    : hex
      ? parseInt(hex[1], 16)
      : customCode(any?.err ?? (any?.transactionError as { err?: unknown } | undefined)?.err ?? any?.transactionError);
  if (code !== undefined && !Number.isNaN(code)) return { ...explainCode(code), logs };
  const message = String(any?.message ?? e);
  if (/reject|declin|cancel/i.test(message)) {
    return { name: "Rejected in the wallet", message, plain: "The wallet did not sign; nothing was sent.", logs };
  }
  return { name: "Failed", message, plain: "The transaction did not go through.", logs };
}
