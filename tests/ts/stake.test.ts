// A TypeScript client against `backstop localnet`: create a pool, stake into it,
// read the Stake account back, then run migrations/deploy.ts twice.
//
//   npm test            (needs target/debug/backstop with the `localnet` command;
//                        BACKSTOP_BIN overrides the binary's path)

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { EventParser, type Program } from "@anchor-lang/core";
import BN from "bn.js";
import { Keypair, LAMPORTS_PER_SOL, PublicKey, VersionedTransaction } from "@solana/web3.js";
import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID, createAccount, createMint, mintTo } from "@solana/spl-token";
import {
  connect,
  ensurePool,
  fetchAccount,
  idl,
  POOL_DEFAULTS,
  treasuryInEffect,
  type DeployConfig,
} from "../../migrations/deploy";
import { pda } from "../../ts/client";
import { freePortPair, rpc as nodeRpc, startNode, type LocalNode } from "./localnet";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = process.env.BACKSTOP_BIN ?? join(ROOT, "target/debug/backstop");
const DEPLOY = join(ROOT, "migrations/deploy.ts");
// A free port pair is picked at start (BACKSTOP_TEST_PORT overrides it); the
// websocket is on port + 1, where web3.js looks for it.
let PORT = Number(process.env.BACKSTOP_TEST_PORT ?? 0);
let URL_ = "";

const dir = mkdtempSync(join(tmpdir(), "backstop-ts-"));
const admin = Keypair.generate();
const adminPath = join(dir, "admin.json");
writeFileSync(adminPath, JSON.stringify(Array.from(admin.secretKey)));

let node: LocalNode | undefined;
let program: Program;

const rpc = (method: string, params: unknown[] = []) => nodeRpc(URL_, method, params);

/** Solana's packet limit, and the budget of a user's transaction (so a host
 * can put its own instructions beside Backstop's). */
const PACKET_BYTES = 1_232;
const USER_TX_BUDGET_BYTES = 860;

/** A transaction as the node received it: its Backstop instructions by IDL
 * name and its size on the wire. */
async function onTheWire(signature: string): Promise<{ names: string[]; bytes: number }> {
  const reply = await rpc("getTransaction", [signature, { encoding: "base64" }]);
  const bytes = Buffer.from(reply.result.transaction[0], "base64");
  const message = VersionedTransaction.deserialize(bytes).message;
  const keys = message.staticAccountKeys;
  const names = message.compiledInstructions
    .filter((i) => keys[i.programIdIndex].equals(program.programId))
    .map((i) => {
      const discriminator = Buffer.from(i.data).subarray(0, 8);
      const known = program.idl.instructions.find((d) => Buffer.from(d.discriminator).equals(discriminator));
      return known?.name ?? "unknown";
    });
  return { names, bytes: bytes.length };
}

/** Signatures of every transaction `key` took part in, as the node lists them. */
async function signaturesOf(key: PublicKey): Promise<string[]> {
  const reply = await rpc("getSignaturesForAddress", [key.toBase58()]);
  return reply.result.map((s: { signature: string }) => s.signature);
}

async function airdrop(to: PublicKey, sol: number): Promise<void> {
  const connection = program.provider.connection;
  const blockhash = await connection.getLatestBlockhash();
  const signature = await connection.requestAirdrop(to, sol * LAMPORTS_PER_SOL);
  await connection.confirmTransaction({ signature, ...blockhash }, "confirmed");
}

before(async () => {
  // A port of its own, so a node someone already runs is never spoken to.
  if (!PORT) PORT = await freePortPair();
  node = await startNode(BIN, PORT, adminPath, process.env);
  URL_ = node.url;
  program = connect(URL_, admin);
});

after(() => {
  node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

for (const [name, tokenProgramId] of [
  ["SPL Token", TOKEN_PROGRAM_ID],
  ["Token-2022", TOKEN_2022_PROGRAM_ID],
] as const) {
  test(`the first stake into an empty pool buys shares 1:1 (${name})`, async () => {
    await firstStake(tokenProgramId);
  });
}

async function firstStake(tokenProgramId: PublicKey) {
  const connection = program.provider.connection;
  // The node made the admin the protocol's admin, guardian and treasury.
  const protocol = await fetchAccount(program, "protocol", pda.protocol());
  assert.ok(protocol.admin.equals(admin.publicKey), "the --keypair wallet is the protocol admin");

  const mint = await createMint(connection, admin, admin.publicKey, null, 6, undefined, undefined, tokenProgramId);
  await ensurePool(program, mint, { sweep_interval: 60 }, () => {});
  const pool = pda.pool(mint);
  const poolAccount0 = await fetchAccount(program, "pool", pool);
  assert.ok(poolAccount0.tokenProgram.equals(tokenProgramId), "the pool records its mint's token program");

  const user = Keypair.generate();
  await airdrop(user.publicKey, 1);
  const userTokens = await createAccount(
    connection, admin, mint, user.publicKey, Keypair.generate(), undefined, tokenProgramId,
  );
  await mintTo(connection, admin, mint, userTokens, admin, 1_000_000n, [], undefined, tokenProgramId);

  const amount = 250_000;
  const treasury = await treasuryInEffect(program);
  const userProgram = connect(URL_, user);
  const signature = await userProgram.methods
    .stake(new BN(amount))
    .accountsPartial({
      owner: user.publicKey,
      protocol: pda.protocol(),
      poolBlock: pda.poolBlock(mint, tokenProgramId),
      stake: pda.stake(pool, user.publicKey),
      treasuryPair: pda.treasuryPair(pool, treasury),
      ownerTokens: userTokens,
    })
    .rpc();
  const sent = await onTheWire(signature);
  assert.deepEqual(sent.names, ["stake"]);
  // The node's logs carry the program's events, as a cluster's do.
  const landed = (await rpc("getTransaction", [signature, { encoding: "json" }])).result;
  const events = [...new EventParser(program.programId, program.coder).parseLogs(landed.meta.logMessages)];
  assert.deepEqual(events.map((e) => e.name), ["staked"]);
  // every event carries the cluster's time it ran at: the block's time
  assert.equal(events[0].data.ts.toString(), String(landed.blockTime));
  assert.equal(events[0].data.amount.toString(), String(amount));
  assert.equal(events[0].data.shares.toString(), String(amount));
  assert.ok(events[0].data.owner.equals(user.publicKey));
  assert.ok(sent.bytes <= USER_TX_BUDGET_BYTES, `stake is ${sent.bytes} B on the wire`);

  const stake = await fetchAccount(program, "stake", pda.stake(pool, user.publicKey));
  assert.equal(stake.shares.toString(), String(amount));
  assert.equal(stake.requestShares.toString(), "0");
  assert.equal(stake.costBasis.toString(), String(amount));
  assert.ok(stake.owner.equals(user.publicKey));
  assert.ok(stake.pool.equals(pool));

  const poolAccount = await fetchAccount(program, "pool", pool);
  assert.equal(poolAccount.assets.toString(), String(amount));
  assert.equal(poolAccount.totalShares.toString(), String(amount));
  assert.equal((await connection.getTokenAccountBalance(pda.vault(pool))).value.amount, String(amount));
  assert.equal((await connection.getTokenAccountBalance(userTokens)).value.amount, String(1_000_000 - amount));
}

/** Runs migrations/deploy.ts as a user would, against the node, as the admin.
 *  It must finish by itself: a process left running (say, a websocket
 *  reconnecting forever) is a failure, reported with what it printed. */
async function runDeploy(configPath: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", DEPLOY, configPath], {
      cwd: ROOT,
      // NODE_TEST_CONTEXT would make the child report to this test runner.
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, ANCHOR_PROVIDER_URL: URL_, ANCHOR_WALLET: adminPath },
      timeout: 30_000,
    });
    return stdout;
  } catch (e: any) {
    const why = e.killed ? "did not exit within 30 s" : `failed (exit ${e.code})`;
    throw new Error(`deploy.ts ${why}\nstdout:\n${e.stdout}\nstderr:\n${e.stderr}`);
  }
}

test("deploy.ts creates what is missing, then has nothing to do", async () => {
  const connection = program.provider.connection;
  const mint = await createMint(connection, admin, admin.publicKey, null, 6);
  const operator = Keypair.generate().publicKey;
  const settlement = await createAccount(connection, admin, mint, operator, Keypair.generate());
  const { marketCount } = await fetchAccount(program, "protocol", pda.protocol());

  const config: DeployConfig = {
    protocol: { governance_delay: 0 }, // exists already: created by the node
    pools: [{ mint: mint.toBase58(), params: { cooldown: 86_400, window: 3_600, min_stake: 10 } }],
    markets: [
      { index: marketCount, mint: mint.toBase58(), kind: "lending", operator: operator.toBase58(),
        settlement: settlement.toBase58(), cap: "5000000", exposure: "aggregate" },
      { index: marketCount + 1, mint: mint.toBase58(), kind: "perp", operator: operator.toBase58(),
        settlement: settlement.toBase58(), isolated: true, isolated_share_bps: 2_000 },
    ],
  };
  const configPath = join(dir, "config.json");
  writeFileSync(configPath, JSON.stringify(config));
  const run = () => runDeploy(configPath);

  const earlier = new Set(await signaturesOf(admin.publicKey));
  const first = await run();
  // Every transaction deploy.ts sent, measured on the wire as the node got it.
  const sent = await Promise.all(
    (await signaturesOf(admin.publicKey)).filter((s) => !earlier.has(s)).map(onTheWire),
  );
  assert.deepEqual(sent.map((t) => t.names.join("+")).sort(), ["createMarket", "createMarket", "createPool"]);
  for (const t of sent) assert.ok(t.bytes <= PACKET_BYTES, `${t.names} is ${t.bytes} B on the wire`);
  console.log(`deploy.ts on the wire: ${sent.map((t) => `${t.names} ${t.bytes} B`).join(", ")}`);
  assert.match(first, /protocol \w+: already exists/);
  assert.match(first, /pool \w+ \(mint \w+\): created/);
  assert.match(first, new RegExp(`market ${marketCount} \\w+: created`));
  assert.match(first, new RegExp(`market ${marketCount + 1} \\w+: created`));
  assert.match(first, /done: created 3 account/);

  const second = await run();
  assert.doesNotMatch(second, /created/);
  assert.equal(second.match(/: already exists$/gm)?.length, 4);
  assert.match(second, /nothing to do/);

  const pool = await fetchAccount(program, "pool", pda.pool(mint));
  assert.equal(pool.params.cooldown.toString(), "86400");
  assert.equal(pool.params.minStake.toString(), "10");
  assert.equal(pool.params.window.toString(), "3600");
  assert.equal(pool.params.sweepInterval.toString(), POOL_DEFAULTS.sweep_interval, "an omitted field takes the default");
  const isolated = pda.market(marketCount + 1);
  const market = await fetchAccount(program, "market", isolated);
  assert.ok(market.isolated);
  assert.equal(market.isolatedShareBps, 2_000);
  assert.ok(market.isolatedVault.equals(pda.isolatedVault(isolated)));
  assert.ok("perp" in market.kind);
  assert.ok(market.settlement.equals(settlement));
  assert.ok(await connection.getAccountInfo(pda.isolatedVault(isolated)));
  assert.ok("accounts" in market.exposureMode);
  assert.equal(market.frozen, false);
  const lending = await fetchAccount(program, "market", pda.market(marketCount));
  assert.ok("aggregate" in lending.exposureMode);
});

test("deploy.ts gives a pool the program's default parameters (the IDL's constants)", async () => {
  const connection = program.provider.connection;
  const mint = await createMint(connection, admin, admin.publicKey, null, 6);
  const configPath = join(dir, "config-defaults.json");
  writeFileSync(configPath, JSON.stringify({ pools: [{ mint: mint.toBase58() }] } satisfies DeployConfig));
  assert.match(await runDeploy(configPath), /pool \w+ \(mint \w+\): created/);

  const pool = await fetchAccount(program, "pool", pda.pool(mint));
  const params = {
    cooldown: pool.params.cooldown.toString(),
    window: pool.params.window.toString(),
    sweep_interval: pool.params.sweepInterval.toString(),
    max_apr_bps: pool.params.maxAprBps.toString(),
    protocol_cut_bps: pool.params.protocolCutBps.toString(),
    min_stake: pool.params.minStake.toString(),
  };
  // The IDL's constants, read here on their own (not through deploy.ts).
  const constant = (name: string) => String(idl.constants!.find((c) => c.name === name)!.value);
  assert.deepEqual(params, {
    cooldown: constant("DEFAULT_COOLDOWN_SECS"),
    window: constant("DEFAULT_WINDOW_SECS"),
    sweep_interval: constant("DEFAULT_SWEEP_INTERVAL_SECS"),
    max_apr_bps: constant("DEFAULT_MAX_APR_BPS"),
    protocol_cut_bps: constant("DEFAULT_PROTOCOL_CUT_BPS"),
    min_stake: constant("DEFAULT_MIN_STAKE"),
  });
  assert.deepEqual(params, Object.fromEntries(Object.entries(POOL_DEFAULTS).map(([k, v]) => [k, String(v)])));
  // docs/protocol.md §3.1 "Pool parameters" (the defaults), as numbers:
  // PoolParams::default() in programs/backstop/src/state/pool/params.rs holds
  // the same, and
  // crates/client/src/idl_constants.rs checks that the IDL's constants equal it.
  assert.deepEqual(params, {
    cooldown: String(1_123_200),
    window: String(172_800),
    sweep_interval: String(3_600),
    max_apr_bps: String(100_000),
    protocol_cut_bps: String(5_000),
    min_stake: String(1),
  });
  assert.equal(pool.pendingParams.active, false, "creation sets the parameters at once");
  assert.equal(pool.allowPermanentDelegate, false);
  assert.equal(pool.allowTransferHook, false);
});
