// The deployable artifact, target/deploy/backstop.so, on LiteSVM's Node
// binding: a Solana runtime that is neither the project's bank nor its Rust VM
// runner, driven by Kit transactions whose instructions Anchor's TypeScript
// coder builds from idl/backstop.json. The program is loaded as a deployment
// leaves it (upgradeable, with its ProgramData naming an upgrade authority);
// only that authority initialises it, a stranger is refused by name, and a
// pool is created and staked into through the IDL's nested account groups.
//
//   sbf/build && npx tsx --test tests/ts/litesvm.test.ts
//
// Without the .so (a clone before `sbf/build`) every test skips, loudly.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import BN from "bn.js";
import { Program, type Provider } from "@anchor-lang/core";
import { Keypair, PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import {
  address,
  appendTransactionMessageInstructions,
  createKeyPairSignerFromBytes,
  createTransactionMessage,
  lamports,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import { FailedTransactionMetadata, LiteSVM, type TransactionMetadata } from "litesvm";
import { poolParams, POOL_DEFAULTS } from "../../migrations/deploy";
import { DEFAULT_GOVERNANCE_DELAY, IDL, PROGRAM_ID, decode, pda, sharesFor } from "../../ts/client";
import { fromWeb3 } from "./kit-instruction";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SO = join(ROOT, "target/deploy/backstop.so");
const skip = existsSync(SO) ? false : `${SO} is missing: run sbf/build first`;
if (skip) console.warn(`SKIPPED: the LiteSVM tests (${skip})`);

// Only the instruction builders are used; nothing may be read over a connection.
const program = new Program(IDL, {
  connection: new Proxy({}, { get: () => () => { throw new Error("no connection in these tests"); } }),
} as unknown as Provider);

const admin = Keypair.generate();
const stranger = Keypair.generate();
const staker = Keypair.generate();
const mint = Keypair.generate().publicKey;
const stakerTokens = Keypair.generate().publicKey;
const DECIMALS = 6;
const MINTED = 1_000_000_000n;

/** Signs `ix` by `signer` (also the fee payer) and runs it. */
async function send(svm: LiteSVM, signer: Keypair, ix: TransactionInstruction) {
  const payer = await createKeyPairSignerFromBytes(signer.secretKey);
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: svm.latestBlockhash(), lastValidBlockHeight: 0n }, m),
    (m) => appendTransactionMessageInstructions([fromWeb3(ix)], m),
  );
  return svm.sendTransaction(await signTransactionMessageWithSigners(message));
}

/** The program error a failed transaction ended with, by its IDL name. */
function errorName(result: TransactionMetadata | FailedTransactionMetadata): string {
  assert.ok(result instanceof FailedTransactionMetadata, "the transaction was expected to fail");
  // An InstructionError whose inner error is Custom(code); the binding
  // exports neither class, so they are recognised by shape.
  const err = result.err() as { err?: () => { code?: number } };
  assert.equal(typeof err.err, "function", `not an instruction error: ${err}`);
  const inner = err.err!();
  assert.equal(typeof inner.code, "number", `not a program error: ${inner}`);
  const name = IDL.errors?.find((e) => e.code === inner.code)?.name ?? `custom ${inner.code}`;
  // Anchor's log line names it too, in the IDL's spelling.
  assert.ok(
    result.meta().logs().some((l) => l.includes(`Error Number: ${inner.code}.`)),
    `no AnchorError log line for ${inner.code}`,
  );
  return name;
}

function succeeded(result: TransactionMetadata | FailedTransactionMetadata): TransactionMetadata {
  if (result instanceof FailedTransactionMetadata) assert.fail(`failed: ${result.toString()}`);
  return result;
}

function data(svm: LiteSVM, key: PublicKey): Uint8Array {
  const account = svm.getAccount(address(key.toBase58()));
  assert.ok(account.exists, `${key} does not exist`);
  return account.data;
}

/** Writes an SPL Token account of `size` bytes with `bytes` at their offsets. */
function setTokenAccount(svm: LiteSVM, key: PublicKey, size: number, fields: [number, Uint8Array][]) {
  const bytes = new Uint8Array(size);
  for (const [offset, value] of fields) bytes.set(value, offset);
  svm.setAccount({
    address: address(key.toBase58()),
    data: bytes,
    executable: false,
    lamports: lamports(svm.minimumBalanceForRentExemption(BigInt(size))),
    programAddress: address(TOKEN_PROGRAM_ID.toBase58()),
    space: BigInt(size),
  });
}

const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
const u64 = (n: bigint) => new Uint8Array(new BigUint64Array([n]).buffer);
const readU64 = (bytes: Uint8Array, offset: number) =>
  new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(offset, true);

/** The runtime with the .so deployed as a cluster leaves it, and funded keys. */
function runtime(): LiteSVM {
  const svm = new LiteSVM();
  svm.addProgramFromFile(address(PROGRAM_ID.toBase58()), SO);
  // LiteSVM's ProgramData names no upgrade authority; a deployment's does
  // (45-byte header: tag 3 u32, slot u64, Option<Pubkey>).
  const programData = address(pda.programData().toBase58());
  const account = svm.getAccount(programData);
  assert.ok(account.exists, "LiteSVM loaded the program without a ProgramData account");
  const bytes = new Uint8Array(account.data);
  assert.equal(new DataView(bytes.buffer).getUint32(0, true), 3, "a ProgramData header");
  bytes[12] = 1;
  bytes.set(admin.publicKey.toBytes(), 13);
  svm.setAccount({ ...account, data: bytes });
  for (const k of [admin, stranger, staker]) svm.airdrop(address(k.publicKey.toBase58()), lamports(10_000_000_000n));
  return svm;
}

function initializeProtocol(payer: Keypair) {
  return program.methods
    .initializeProtocol({
      admin: admin.publicKey,
      guardian: admin.publicKey,
      treasury: admin.publicKey,
      governanceDelay: new BN(DEFAULT_GOVERNANCE_DELAY.toString()),
    })
    .accountsPartial({
      payer: payer.publicKey,
      protocol: pda.protocol(),
      programData: pda.programData(),
      systemProgram: SystemProgram.programId,
    })
    .instruction();
}

test("only the upgrade authority initialises the .so; a stranger is refused by name", { skip }, async () => {
  const svm = runtime();
  assert.equal(errorName(await send(svm, stranger, await initializeProtocol(stranger))), "NotUpgradeAuthority");
  const done = succeeded(await send(svm, admin, await initializeProtocol(admin)));
  assert.ok(done.computeUnitsConsumed() < 50_000n, `initialize_protocol took ${done.computeUnitsConsumed()} CU`);
  const protocol = decode("Protocol", data(svm, pda.protocol())) as any;
  assert.ok(protocol.admin.equals(admin.publicKey));
  assert.equal(protocol.governanceDelay.toString(), DEFAULT_GOVERNANCE_DELAY.toString());
  assert.equal(protocol.pendingAdmin.active, false);

  // A governance instruction from anyone else: refused by name.
  const propose = (by: Keypair) =>
    program.methods
      .proposeAdmin(stranger.publicKey)
      .accountsPartial({ admin: by.publicKey, protocol: pda.protocol() })
      .instruction();
  assert.equal(errorName(await send(svm, stranger, await propose(stranger))), "NotAdmin");
  succeeded(await send(svm, admin, await propose(admin)));
  const proposed = decode("Protocol", data(svm, pda.protocol())) as any;
  assert.ok(proposed.pendingAdmin.value.equals(stranger.publicKey));
  assert.equal(proposed.pendingAdmin.active, true);
  assert.equal(proposed.pendingAdmin.eta.toString(), svm.getClock().unixTimestamp.toString());
});

test("a pool is created and staked into through the IDL's account groups", { skip }, async () => {
  const svm = runtime();
  succeeded(await send(svm, admin, await initializeProtocol(admin)));
  // An SPL Token mint (82 bytes) and the staker's token account (165 bytes).
  setTokenAccount(svm, mint, 82, [[0, u32(1)], [4, admin.publicKey.toBytes()], [36, u64(MINTED)], [44, new Uint8Array([DECIMALS, 1])]]);
  setTokenAccount(svm, stakerTokens, 165, [[0, mint.toBytes()], [32, staker.publicKey.toBytes()], [64, u64(MINTED)], [108, new Uint8Array([1])]]);

  const pool = pda.pool(mint);
  const treasury = admin.publicKey;
  const createPool = await program.methods
    .createPool(poolParams(), false, false)
    .accountsPartial({
      admin: admin.publicKey,
      payer: admin.publicKey,
      protocol: pda.protocol(),
      mint,
      pool,
      vault: pda.vault(pool),
      revenue: pda.revenue(pool),
      treasury,
      treasuryStake: pda.stake(pool, treasury),
      tokenProgram: TOKEN_PROGRAM_ID,
      systemProgram: SystemProgram.programId,
    })
    .instruction();
  succeeded(await send(svm, admin, createPool));

  const minStake = BigInt(POOL_DEFAULTS.min_stake);
  const amount = minStake > 1_000_000n ? minStake : 1_000_000n;
  const stake = (value: bigint) =>
    program.methods
      .stake(new BN(value.toString()))
      .accountsPartial({
        owner: staker.publicKey,
        protocol: pda.protocol(),
        poolBlock: pda.poolBlock(mint),
        stake: pda.stake(pool, staker.publicKey),
        treasuryPair: pda.treasuryPair(pool, treasury),
        ownerTokens: stakerTokens,
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  assert.equal(errorName(await send(svm, staker, await stake(0n))), "ZeroAmount");
  const staked = succeeded(await send(svm, staker, await stake(amount)));
  assert.ok(staked.computeUnitsConsumed() < 50_000n, `stake took ${staked.computeUnitsConsumed()} CU`);

  const stakeAccount = decode("Stake", data(svm, pda.stake(pool, staker.publicKey))) as any;
  assert.equal(stakeAccount.shares.toString(), sharesFor(amount, 0n, 0n).toString());
  const poolAccount = decode("Pool", data(svm, pool)) as any;
  assert.equal(poolAccount.assets.toString(), amount.toString());
  assert.equal(readU64(data(svm, pda.vault(pool)), 64), amount, "the vault holds the stake");
  assert.equal(readU64(data(svm, stakerTokens), 64), MINTED - amount, "the staker paid it");
});
