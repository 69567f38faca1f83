// `@solana/kit` (Anza's modern client, which this project does not use
// itself) against `backstop localnet`: it must work unchanged, as against a
// validator. Confirmation over the websocket, an account subscription that
// fires on a stake, a v0 transaction through a lookup table, getTransaction
// read by Kit, and a forged signature refused.
//
//   npm test            (BACKSTOP_BIN overrides the binary's path)

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import BN from "bn.js";
import { Keypair, PublicKey } from "@solana/web3.js";
import {
  AccountRole,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_TRANSACTION_SIGNATURE_VERIFICATION_FAILURE,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_UNSUPPORTED_TRANSACTION_VERSION,
  address,
  appendTransactionMessageInstructions,
  compressTransactionMessageUsingAddressLookupTables,
  createKeyPairSignerFromBytes,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  getAddressEncoder,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  isSolanaError,
  lamports,
  pipe,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type KeyPairSigner,
} from "@solana/kit";
import { connect, treasuryInEffect } from "../../migrations/deploy";
import { pda } from "../../ts/client";
import { fromWeb3 } from "./kit-instruction";
import { freePortPair, startNode, type LocalNode } from "./localnet";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = process.env.BACKSTOP_BIN ?? join(ROOT, "target/debug/backstop");
const SYSTEM_PROGRAM = address("11111111111111111111111111111111");
const LOOKUP_TABLE_PROGRAM = address("AddressLookupTab1e1111111111111111111111111");

const dir = mkdtempSync(join(tmpdir(), "backstop-kit-"));
const admin = Keypair.generate();
const adminPath = join(dir, "admin.json");
writeFileSync(adminPath, JSON.stringify(Array.from(admin.secretKey)));

let node: LocalNode | undefined;
let rpc: ReturnType<typeof createSolanaRpc>;
let subscriptions: ReturnType<typeof createSolanaRpcSubscriptions>;
let payer: KeyPairSigner;
let sendAndConfirm: ReturnType<typeof sendAndConfirmTransactionFactory>;
/** A signed transaction with a blockhash lifetime, as sendAndConfirm takes it. */
type Sendable = Parameters<ReturnType<typeof sendAndConfirmTransactionFactory>>[0];

before(async () => {
  const port = await freePortPair();
  node = await startNode(BIN, port, adminPath, process.env);
  rpc = createSolanaRpc(node.url);
  subscriptions = createSolanaRpcSubscriptions(`ws://127.0.0.1:${port + 1}`);
  payer = await createKeyPairSignerFromBytes(admin.secretKey);
  sendAndConfirm = sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions: subscriptions });
});

after(() => {
  node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The system program's transfer, written out (Kit leaves programs to their own packages). */
function transfer(from: KeyPairSigner, to: Address, amount: bigint): Instruction {
  const data = new Uint8Array(12);
  const view = new DataView(data.buffer);
  view.setUint32(0, 2, true);
  view.setBigUint64(4, amount, true);
  return {
    programAddress: SYSTEM_PROGRAM,
    accounts: [
      { address: from.address, role: AccountRole.WRITABLE_SIGNER, signer: from } as any,
      { address: to, role: AccountRole.WRITABLE },
    ],
    data,
  };
}

/** A web3.js instruction (built by Anchor from the IDL) as Kit's. */
/** Signs `instructions` as one v0 transaction (no tables), paid by the admin. */
async function signed(instructions: Instruction[]): Promise<Sendable> {
  const { value: blockhash } = await rpc.getLatestBlockhash().send();
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  return (await signTransactionMessageWithSigners(message)) as Sendable;
}

test("Kit confirms over the websocket; the account subscription fires on a stake", async () => {
  const program = connect(node!.url, admin);
  const mint = new PublicKey(node!.demoMint);
  const pool = pda.pool(mint);
  const stakeAddress = pda.stake(pool, admin.publicKey);
  const treasury = await treasuryInEffect(program);
  const ix = await program.methods
    .stake(new BN(1_000_000))
    .accountsPartial({
      owner: admin.publicKey,
      protocol: pda.protocol(),
      poolBlock: pda.poolBlock(mint),
      stake: stakeAddress,
      treasuryPair: pda.treasuryPair(pool, treasury),
      ownerTokens: pda.tokenAccount(admin.publicKey, mint),
    })
    .instruction();
  const abort = new AbortController();
  const notifications = await subscriptions
    .accountNotifications(address(stakeAddress.toBase58()), { commitment: "confirmed", encoding: "base64" })
    .subscribe({ abortSignal: abort.signal });
  const first = (async () => {
    for await (const note of notifications) return note;
  })();
  const tx = await signed([fromWeb3(ix)]);
  await sendAndConfirm(tx, { commitment: "confirmed" });
  const note = await Promise.race([
    first,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no accountNotification in 10 s")), 10_000)),
  ]);
  abort.abort();
  assert.ok(note, "the subscription fired");
  const data = Buffer.from(note.value.data[0], "base64");
  const stake = program.coder.accounts.decode("stake", data);
  assert.equal(stake.shares.toString(), "1000000");
  assert.ok(stake.owner.equals(admin.publicKey));
  assert.ok(note.context.slot > 0n);
  const status = await rpc.getSignatureStatuses([getSignatureFromTransaction(tx)]).send();
  assert.equal(status.value[0]?.err, null);
});

test("a v0 transaction through a freshly extended lookup table lands, and getTransaction reads it", async () => {
  const recentSlot = await rpc.getSlot({ commitment: "finalized" }).send();
  const [tableKey, bump] = pda.lookupTable(new PublicKey(payer.address), recentSlot);
  const table = address(tableKey.toBase58());
  const create = new Uint8Array(13);
  new DataView(create.buffer).setUint32(0, 0, true);
  new DataView(create.buffer).setBigUint64(4, recentSlot, true);
  create[12] = bump;
  const recipient = address(Keypair.generate().publicKey.toBase58());
  const extend = new Uint8Array(12 + 32);
  new DataView(extend.buffer).setUint32(0, 2, true);
  new DataView(extend.buffer).setBigUint64(4, 1n, true);
  extend.set(getAddressEncoder().encode(recipient), 12);
  const tableAccounts = [
    { address: table, role: AccountRole.WRITABLE },
    { address: payer.address, role: AccountRole.READONLY_SIGNER, signer: payer } as any,
    { address: payer.address, role: AccountRole.WRITABLE_SIGNER, signer: payer } as any,
    { address: SYSTEM_PROGRAM, role: AccountRole.READONLY },
  ];
  await sendAndConfirm(
    await signed([
      { programAddress: LOOKUP_TABLE_PROGRAM, accounts: tableAccounts, data: create },
      { programAddress: LOOKUP_TABLE_PROGRAM, accounts: tableAccounts, data: extend },
    ]),
    { commitment: "confirmed" },
  );

  // The next block: the table's new address may be used now.
  const { value: blockhash } = await rpc.getLatestBlockhash().send();
  const message = compressTransactionMessageUsingAddressLookupTables(
    pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(payer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
      (m) => appendTransactionMessageInstructions([transfer(payer, recipient, 1_000_000n)], m),
    ),
    { [table]: [recipient] },
  );
  assert.equal((message as any).instructions[0].accounts[1].lookupTableAddress, table, "the recipient comes from the table");
  const tx = (await signTransactionMessageWithSigners(message)) as Sendable;
  await sendAndConfirm(tx, { commitment: "confirmed" });
  assert.equal((await rpc.getBalance(recipient).send()).value, lamports(1_000_000n));

  const signature = getSignatureFromTransaction(tx);
  const read = await rpc
    .getTransaction(signature, { maxSupportedTransactionVersion: 0, encoding: "json", commitment: "confirmed" })
    .send();
  assert.ok(read, "getTransaction found it");
  assert.equal(read.version, 0);
  assert.deepEqual(read.meta!.loadedAddresses.writable, [recipient]);
  assert.deepEqual(read.meta!.loadedAddresses.readonly, []);
  const keys = read.transaction.message.accountKeys.length + 1; // + the loaded recipient
  assert.equal(read.meta!.preBalances.length, keys);
  assert.equal(read.meta!.postBalances[keys - 1] - read.meta!.preBalances[keys - 1], 1_000_000n);
  assert.equal(read.meta!.fee, 5_000n);
  assert.equal(read.meta!.err, null);
  const message0 = read.transaction.message as { addressTableLookups?: { accountKey: Address }[] };
  assert.equal(message0.addressTableLookups![0].accountKey, table);

  const parsed = await rpc
    .getTransaction(signature, { maxSupportedTransactionVersion: 0, encoding: "jsonParsed", commitment: "confirmed" })
    .send();
  const instruction = parsed!.transaction.message.instructions[0] as any;
  assert.equal(instruction.program, "system");
  assert.equal(instruction.parsed.type, "transfer");
  assert.equal(instruction.parsed.info.destination, recipient);

  await assert.rejects(
    rpc.getTransaction(signature, { encoding: "json" } as any).send(),
    (e: unknown) => isSolanaError(e, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_UNSUPPORTED_TRANSACTION_VERSION),
  );
});

test("a forged signature is refused, and nothing moves", async () => {
  const thief = address(Keypair.generate().publicKey.toBase58());
  const before = (await rpc.getBalance(payer.address).send()).value;
  const tx = await signed([transfer(payer, thief, 5_000_000_000n)]);
  const forged = { ...tx, signatures: { ...tx.signatures, [payer.address]: new Uint8Array(64).fill(7) } };
  const wire = getBase64EncodedWireTransaction(forged as typeof tx);
  await assert.rejects(
    rpc.sendTransaction(wire, { encoding: "base64" }).send(),
    (e: unknown) =>
      isSolanaError(e, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_TRANSACTION_SIGNATURE_VERIFICATION_FAILURE),
  );
  // With skipPreflight a validator answers the signature and drops it.
  const dropped = await rpc.sendTransaction(wire, { encoding: "base64", skipPreflight: true }).send();
  const status = await rpc.getSignatureStatuses([dropped]).send();
  assert.equal(status.value[0], null);
  assert.equal((await rpc.getBalance(thief).send()).value, 0n);
  assert.equal((await rpc.getBalance(payer.address).send()).value, before);
});
