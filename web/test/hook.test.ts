// The transfer-hook resolver of the page (ts/client/hook.ts), on the same cases
// as crates/client/src/hook.rs: a mint's TransferHook extension read from its
// bytes, fixed and mint-derived extra accounts, a seed that differs per
// transfer refused by name.
//
//   npm run test:web

import assert from "node:assert/strict";
import { test } from "node:test";
import { Keypair, PublicKey } from "@solana/web3.js";
import { extraAccounts, HookError, hookProgram, pda, validationAddress } from "../../ts/client";

const EXECUTE = [105, 37, 101, 197, 75, 251, 102, 26];

/** A Token-2022 mint's bytes with a TransferHook extension naming `program`. */
function hookedMint(authority: PublicKey, program: PublicKey | null): Uint8Array {
  const data = new Uint8Array(166 + 4 + 64);
  data[165] = 1; // AccountType::Mint
  data[166] = 14; // TransferHook
  data[168] = 64;
  data.set(authority.toBytes(), 170);
  if (program) data.set(program.toBytes(), 202);
  return data;
}

function list(entries: Uint8Array[]): Uint8Array {
  const data = new Uint8Array(16 + 35 * entries.length);
  data.set(EXECUTE, 0);
  new DataView(data.buffer).setUint32(8, 4 + 35 * entries.length, true);
  new DataView(data.buffer).setUint32(12, entries.length, true);
  entries.forEach((e, i) => data.set(e, 16 + i * 35));
  return data;
}

test("a mint's hook program is read from its TransferHook extension", () => {
  const [authority, program] = [Keypair.generate().publicKey, Keypair.generate().publicKey];
  assert.ok(hookProgram(hookedMint(authority, program))?.equals(program));
  // an authority that could set a program later, but none yet: nothing to append
  assert.equal(hookProgram(hookedMint(authority, null)), null);
  // a classic mint (82 bytes)
  assert.equal(hookProgram(new Uint8Array(82)), null);
  const mint = Keypair.generate().publicKey;
  assert.deepEqual(extraAccounts(mint, new Uint8Array(82), null), []);
});

test("fixed and mint-derived accounts resolve, then the program and its validation account", () => {
  const [mint, authority, program, fixed] = [0, 1, 2, 3].map(() => Keypair.generate().publicKey);
  const a = new Uint8Array(35);
  a.set(fixed.toBytes(), 1);
  a[34] = 1; // writable
  const b = new Uint8Array(35);
  b[0] = 1; // a PDA of the hook program
  b.set([1, 3, 99, 102, 103, 3, 1], 1); // literal "cfg", then the mint
  const metas = extraAccounts(mint, hookedMint(authority, program), list([a, b]));
  const listed = pda.hookListed([Buffer.from("cfg"), mint.toBuffer()], program);
  assert.deepEqual(
    metas.map((m) => [m.pubkey.toBase58(), m.isSigner, m.isWritable]),
    [
      [fixed.toBase58(), false, true],
      [listed.toBase58(), false, false],
      [program.toBase58(), false, false],
      [validationAddress(mint, program).toBase58(), false, false],
    ],
  );
  // no validation account yet: the program and the address still go along
  assert.equal(extraAccounts(mint, hookedMint(authority, program), null).length, 2);
});

test("a seed from the transfer's source account is refused by name", () => {
  const [mint, authority, program] = [0, 1, 2].map(() => Keypair.generate().publicKey);
  const c = new Uint8Array(35);
  c[0] = 1;
  c.set([3, 0], 1); // account index 0: the source, different per transfer
  assert.throws(() => extraAccounts(mint, hookedMint(authority, program), list([c])), HookError);
  assert.throws(() => extraAccounts(mint, hookedMint(authority, program), new Uint8Array(20)), /not an extra-account list/);
});
