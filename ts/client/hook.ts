// The accounts a mint's transfer hook needs on every transfer (Token-2022's
// execute interface), as crates/client/src/hook.rs resolves them: the extra
// accounts the validation account ["extra-account-metas", mint] lists, then
// the hook program and the validation account. Backstop forwards them to
// every transfer it makes; a transfer of a hooked mint without them fails.
// Resolved here: fixed addresses, and PDAs of the hook program from literal
// seeds and the mint; a list deriving from another account of the transfer
// (or the amount) differs per transfer and is refused by name.

import { PublicKey, type AccountMeta } from "@solana/web3.js";
import { pda } from "./pda";

/** Token-2022's extension type of TransferHook. */
const TRANSFER_HOOK = 14;
/** Where a Token-2022 mint's extensions start: the 82-byte mint, padded to
 *  an account's 165 bytes, then one byte of account type. */
const EXTENSIONS_AT = 166;
/** sha256("spl-transfer-hook-interface:execute")[..8]. */
const EXECUTE = [105, 37, 101, 197, 75, 251, 102, 26];

export class HookError extends Error {}

/** The hook program a mint names, if any. */
export function hookProgram(mintData: Uint8Array): PublicKey | null {
  if (mintData.length <= EXTENSIONS_AT || mintData[EXTENSIONS_AT - 1] !== 1) return null;
  const view = new DataView(mintData.buffer, mintData.byteOffset, mintData.byteLength);
  let at = EXTENSIONS_AT;
  while (at + 4 <= mintData.length) {
    const type = view.getUint16(at, true);
    const len = view.getUint16(at + 2, true);
    if (type === TRANSFER_HOOK && len >= 64) {
      const program = mintData.slice(at + 4 + 32, at + 4 + 64);
      return program.every((b) => b === 0) ? null : new PublicKey(program);
    }
    if (type === 0) return null; // uninitialized: the end of the list
    at += 4 + len;
  }
  return null;
}

/** The validation account of `mint`'s hook `program`. */
export function validationAddress(mint: PublicKey, program: PublicKey): PublicKey {
  return pda.hookValidation(mint, program);
}

function derive(mint: PublicKey, program: PublicKey, config: Uint8Array): PublicKey {
  const seeds: Buffer[] = [];
  let at = 0;
  while (at < config.length && config[at] !== 0) {
    if (config[at] === 1) {
      const len = config[at + 1];
      seeds.push(Buffer.from(config.slice(at + 2, at + 2 + len)));
      at += 2 + len;
    } else if (config[at] === 3 && config[at + 1] === 1) {
      seeds.push(mint.toBuffer());
      at += 2;
    } else {
      throw new HookError(`the hook derives an account from seed kind ${config[at]}, which differs per transfer`);
    }
  }
  return pda.hookListed(seeds, program);
}

function listed(mint: PublicKey, program: PublicKey, data: Uint8Array): AccountMeta[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  while (at + 12 <= data.length) {
    const len = view.getUint32(at + 8, true);
    if (EXECUTE.every((b, i) => data[at + i] === b)) {
      const count = view.getUint32(at + 12, true);
      const metas: AccountMeta[] = [];
      for (let i = 0; i < count; i++) {
        const entry = data.slice(at + 16 + i * 35, at + 16 + (i + 1) * 35);
        if (entry.length < 35) throw new HookError("the hook's validation account is cut short");
        const config = entry.slice(1, 33);
        let pubkey: PublicKey;
        if (entry[0] === 0) pubkey = new PublicKey(config);
        else if (entry[0] <= 127) pubkey = derive(mint, program, config);
        else throw new HookError(`the hook lists an account of kind ${entry[0]}, which differs per transfer`);
        metas.push({ pubkey, isSigner: entry[33] !== 0, isWritable: entry[34] !== 0 });
      }
      return metas;
    }
    at += 12 + len;
  }
  throw new HookError("the hook's validation account is not an extra-account list");
}

/** What to append to an instruction that moves `mint`'s tokens: nothing for a
 *  mint without a hook program. None is a signer. */
export function extraAccounts(mint: PublicKey, mintData: Uint8Array, validationData: Uint8Array | null): AccountMeta[] {
  const program = hookProgram(mintData);
  if (!program) return [];
  const metas = validationData ? listed(mint, program, validationData) : [];
  return [
    ...metas.map((m) => ({ ...m, isSigner: false })),
    { pubkey: program, isSigner: false, isWritable: false },
    { pubkey: validationAddress(mint, program), isSigner: false, isWritable: false },
  ];
}
