// Creates the Backstop protocol, its pools and its markets from a config file,
// idempotently: an account that already exists is left alone, so a second run
// changes nothing and says "nothing to do". See migrations/README.md.
//
//   npx tsx migrations/deploy.ts [config.json] [--url URL] [--wallet PATH]
//
// ANCHOR_PROVIDER_URL (default http://127.0.0.1:8899) and ANCHOR_WALLET
// (default ~/.config/solana/id.json) choose the cluster and the signer; the
// flags override them. The signer pays for every account and must be the
// protocol's admin to create pools and markets.

import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { AnchorProvider, Program, Wallet, type AccountClient, type Idl } from "@anchor-lang/core";
// bn.js directly: Node cannot see @anchor-lang/core's re-export of BN from an ES module.
import BN from "bn.js";
import {
  Connection,
  Keypair,
  PublicKey,
  SYSVAR_CLOCK_PUBKEY,
} from "@solana/web3.js";
import {
  DEFAULT_GOVERNANCE_DELAY,
  IDL,
  POOL_DEFAULTS as CORE_POOL_DEFAULTS,
  PROGRAM_ID,
  UNLIMITED_CAP,
  pda,
  pendingTakesEffect,
} from "../ts/client";

// The program, its PDAs, constants and rules come from the one TypeScript
// client (ts/client); `idl` is typed for Anchor's `Program`.
export const idl: Idl = IDL;

// ---------------------------------------------------------------- config

/** u64 values may be JSON numbers or decimal strings (for values above 2^53). */
type U64 = number | string;

export interface PoolParamsConfig {
  cooldown?: U64;
  window?: U64;
  sweep_interval?: U64;
  max_apr_bps?: U64;
  protocol_cut_bps?: U64;
  min_stake?: U64;
}

export interface DeployConfig {
  protocol?: {
    admin?: string;
    guardian?: string;
    treasury?: string;
    governance_delay?: U64;
  };
  /** allow_permanent_delegate: governance's opt-in to a Token-2022 mint with a
   *  permanent delegate (PYUSD has one); allow_transfer_hook: to a Token-2022
   *  mint whose transfer hook has, or can be given, a program. Both default
   *  to false and are fixed at creation. */
  pools?: {
    mint: string;
    params?: PoolParamsConfig;
    allow_permanent_delegate?: boolean;
    allow_transfer_hook?: boolean;
  }[];
  markets?: {
    index: number;
    mint: string;
    kind: "lending" | "perp";
    operator: string;
    /** A token account of the mint; its owner is passed as `settlement_authority`. */
    settlement: string;
    cap?: U64;
    isolated?: boolean;
    isolated_share_bps?: number;
    /** "accounts" (default) | "aggregate": where the market's exposure is kept. */
    exposure?: string;
  }[];
}

/** docs/protocol.md §3.1 "Pool parameters" (the defaults): backstop-core's own
 *  values (ts/client/core.ts), as decimal strings like the config's. */
export const POOL_DEFAULTS: Required<PoolParamsConfig> = {
  cooldown: CORE_POOL_DEFAULTS.cooldown.toString(),
  window: CORE_POOL_DEFAULTS.window.toString(),
  sweep_interval: CORE_POOL_DEFAULTS.sweep_interval.toString(),
  max_apr_bps: CORE_POOL_DEFAULTS.max_apr_bps.toString(),
  protocol_cut_bps: CORE_POOL_DEFAULTS.protocol_cut_bps.toString(),
  min_stake: CORE_POOL_DEFAULTS.min_stake.toString(),
};
/** A market cap meaning "unlimited" (u64::MAX). */
export const U64_MAX = UNLIMITED_CAP.toString();

const bn = (v: U64) => new BN(String(v), 10);

export function poolParams(p: PoolParamsConfig = {}) {
  const q = { ...POOL_DEFAULTS, ...p };
  return {
    cooldown: bn(q.cooldown),
    window: bn(q.window),
    sweepInterval: bn(q.sweep_interval),
    maxAprBps: bn(q.max_apr_bps),
    protocolCutBps: bn(q.protocol_cut_bps),
    minStake: bn(q.min_stake),
  };
}

// ---------------------------------------------------------------- connection

export function loadKeypair(path: string): Keypair {
  try {
    return Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(path, "utf8"))));
  } catch (e) {
    throw new Error(`cannot read the wallet keypair ${path}: ${e instanceof Error ? e.message : e}`);
  }
}

export function connect(url: string, wallet: Keypair): Program {
  const connection = new Connection(url, "confirmed");
  const provider = new AnchorProvider(connection, new Wallet(wallet), {
    commitment: "confirmed",
    preflightCommitment: "confirmed",
  });
  return new Program(idl, provider);
}

/** Decodes one account by its IDL name ("protocol", "pool", "stake", ...). The IDL
 *  is loaded untyped, so this is the one place that names accounts by string. */
export async function fetchAccount(program: Program, name: string, address: PublicKey): Promise<any> {
  return (program.account as unknown as Record<string, AccountClient>)[name].fetch(address);
}

const exists = async (program: Program, address: PublicKey) =>
  (await program.provider.connection.getAccountInfo(address)) !== null;

/** Cluster time from the Clock sysvar (unix_timestamp is its last 8 bytes). */
async function clusterTime(program: Program): Promise<number> {
  const clock = await program.provider.connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY);
  if (!clock) throw new Error("the cluster does not serve the Clock sysvar");
  return Number(clock.data.readBigInt64LE(32));
}

/** The treasury in effect: a due pending change counts (Protocol::treasury_at). */
export async function treasuryInEffect(program: Program): Promise<PublicKey> {
  const p = await fetchAccount(program, "protocol", pda.protocol());
  const pending = p.pendingTreasury;
  if (pendingTakesEffect(pending.active, BigInt(pending.eta.toString()), BigInt(await clusterTime(program)))) {
    return pending.value;
  }
  return p.treasury;
}

// ---------------------------------------------------------------- steps

export type Outcome = "created" | "exists";
type Log = (line: string) => void;

export async function ensureProtocol(
  program: Program,
  cfg: NonNullable<DeployConfig["protocol"]>,
  log: Log,
): Promise<Outcome> {
  const protocol = pda.protocol();
  if (await exists(program, protocol)) {
    log(`protocol ${protocol}: already exists`);
    return "exists";
  }
  const me = program.provider.publicKey!;
  const key = (k?: string) => (k ? new PublicKey(k) : me);
  const sig = await program.methods
    .initializeProtocol({
      admin: key(cfg.admin),
      guardian: key(cfg.guardian),
      treasury: key(cfg.treasury),
      governanceDelay: bn(cfg.governance_delay ?? DEFAULT_GOVERNANCE_DELAY.toString()),
    })
    .accountsPartial({ payer: me, protocol })
    .rpc();
  log(`protocol ${protocol}: created (${sig})`);
  return "created";
}

/** The token program of a mint (SPL Token or Token-2022): the mint account's owner. */
export async function tokenProgramOf(program: Program, mint: PublicKey): Promise<PublicKey> {
  const info = await program.provider.connection.getAccountInfo(mint);
  if (!info) throw new Error(`mint ${mint} does not exist`);
  return info.owner;
}

/** Governance's opt-ins to mint extensions, fixed when the pool is created. */
export interface MintOptIns {
  allowPermanentDelegate?: boolean;
  allowTransferHook?: boolean;
}

export async function ensurePool(
  program: Program,
  mint: PublicKey,
  params: PoolParamsConfig | undefined,
  log: Log,
  optIns: MintOptIns = {},
): Promise<Outcome> {
  const pool = pda.pool(mint);
  if (await exists(program, pool)) {
    log(`pool ${pool} (mint ${mint}): already exists`);
    return "exists";
  }
  const me = program.provider.publicKey!;
  // The IDL cannot express this seed (the treasury in effect, read from the
  // protocol), so the treasury stake is passed explicitly.
  const treasury = await treasuryInEffect(program);
  const sig = await program.methods
    .createPool(poolParams(params), optIns.allowPermanentDelegate ?? false, optIns.allowTransferHook ?? false)
    .accountsPartial({
      admin: me,
      payer: me,
      protocol: pda.protocol(),
      mint,
      pool,
      vault: pda.vault(pool),
      revenue: pda.revenue(pool),
      treasury, // treasury_stake resolves from it (IDL seeds)
      tokenProgram: await tokenProgramOf(program, mint),
    })
    .rpc();
  log(`pool ${pool} (mint ${mint}): created (${sig})`);
  return "created";
}

/** The owner of a token account (bytes 32..64 in SPL Token and Token-2022 alike):
 *  `create_market` takes it as `settlement_authority`. */
export async function tokenAccountOwner(program: Program, account: PublicKey): Promise<PublicKey> {
  const info = await program.provider.connection.getAccountInfo(account);
  if (!info) throw new Error(`token account ${account} does not exist`);
  if (info.data.length < 165) throw new Error(`${account} is not a token account (${info.data.length} bytes)`);
  return new PublicKey(info.data.subarray(32, 64));
}

export async function ensureMarket(
  program: Program,
  m: NonNullable<DeployConfig["markets"]>[number],
  log: Log,
): Promise<Outcome> {
  const market = pda.market(m.index);
  if (await exists(program, market)) {
    log(`market ${m.index} ${market}: already exists`);
    return "exists";
  }
  if (m.kind !== "lending" && m.kind !== "perp") {
    throw new Error(`market ${m.index}: kind must be "lending" or "perp", not ${JSON.stringify(m.kind)}`);
  }
  const exposure = m.exposure ?? "accounts";
  if (exposure !== "accounts" && exposure !== "aggregate") {
    throw new Error(
      `market ${m.index}: exposure must be "accounts" or "aggregate", not ${JSON.stringify(m.exposure)}`,
    );
  }
  const me = program.provider.publicKey!;
  const mint = new PublicKey(m.mint);
  const isolated = m.isolated ?? false;
  const settlement = new PublicKey(m.settlement);
  const sig = await program.methods
    .createMarket({
      index: m.index,
      kind: m.kind === "lending" ? { lending: {} } : { perp: {} },
      operator: new PublicKey(m.operator),
      cap: bn(m.cap ?? U64_MAX),
      isolated,
      isolatedShareBps: m.isolated_share_bps ?? 0,
      exposureMode: exposure === "aggregate" ? { aggregate: {} } : { accounts: {} },
    })
    .accountsPartial({
      admin: me,
      payer: me,
      protocol: pda.protocol(),
      pool: pda.pool(mint),
      market,
      settlement,
      settlementAuthority: await tokenAccountOwner(program, settlement),
      // null leaves the optional account out (otherwise Anchor would derive it).
      isolatedVault: isolated ? pda.isolatedVault(market) : (null as unknown as PublicKey),
      mint,
      tokenProgram: await tokenProgramOf(program, mint),
    })
    .rpc();
  log(`market ${m.index} ${market}: created (${sig})`);
  return "created";
}

/** Runs every step in order; returns how many accounts it created. */
export async function deploy(program: Program, config: DeployConfig, log: Log = console.log): Promise<number> {
  const outcomes: Outcome[] = [];
  if (config.protocol) {
    outcomes.push(await ensureProtocol(program, config.protocol, log));
  } else if (!(await exists(program, pda.protocol()))) {
    throw new Error('the protocol does not exist and the config has no "protocol" section');
  }
  for (const p of config.pools ?? []) {
    outcomes.push(
      await ensurePool(program, new PublicKey(p.mint), p.params, log, {
        allowPermanentDelegate: p.allow_permanent_delegate ?? false,
        allowTransferHook: p.allow_transfer_hook ?? false,
      }),
    );
  }
  for (const m of config.markets ?? []) {
    outcomes.push(await ensureMarket(program, m, log));
  }
  const created = outcomes.filter((o) => o === "created").length;
  log(created === 0 ? "nothing to do: every item already exists" : `done: created ${created} account(s)`);
  return created;
}

// ---------------------------------------------------------------- command line

function parseArgs(argv: string[]) {
  let config = "migrations/config.json";
  let url = process.env.ANCHOR_PROVIDER_URL || "http://127.0.0.1:8899";
  let wallet = process.env.ANCHOR_WALLET || resolve(homedir(), ".config/solana/id.json");
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--url") url = argv[++i];
    else if (a === "--wallet") wallet = argv[++i];
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
    else config = a;
  }
  return { config, url, wallet };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const config: DeployConfig = JSON.parse(readFileSync(args.config, "utf8"));
  const program = connect(args.url, loadKeypair(args.wallet));
  console.log(`cluster ${args.url}, program ${PROGRAM_ID}, signer ${program.provider.publicKey}`);
  await deploy(program, config);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    if (e?.logs) console.error(e.logs.join("\n"));
    process.exit(1);
  });
}
