// Reads from the cluster: the protocol, every pool with its markets, open
// bankruptcies and pending payouts, and the connected wallet's stakes and
// token balances. Accounts are decoded with the IDL (ts/client).

import { utils } from "@anchor-lang/core";
import { Connection, PublicKey, SYSVAR_CLOCK_PUBKEY } from "@solana/web3.js";
import {
  PROGRAM_ID,
  payoutExpiresAt,
  pendingTakesEffect,
  type AccountName,
  big,
  decode,
  discriminator,
  hasAccount,
  key,
  need,
  opt,
  pda,
  variant,
} from "../../ts/client";
import type {
  BankruptcyView,
  MarketView,
  PayoutView,
  PoolParamsView,
  PoolView,
  Position,
  ProtocolView,
  Snapshot,
  StakeView,
} from "./model";

type Decoded = Record<string, unknown>;

/** A JSON-RPC error answered by the node (as opposed to a network failure). */
export class RpcError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export class Chain {
  readonly connection: Connection;

  constructor(readonly url: string) {
    // Confirmation is polled (actions.ts), so no websocket is ever opened.
    this.connection = new Connection(url, { commitment: "confirmed", disableRetryOnRateLimit: true });
  }

  /** A raw JSON-RPC call, for methods web3.js does not wrap (backstop_devWallet)
   *  or whose answers it validates more strictly than a local node answers. */
  async rpc<T>(method: string, params: unknown[] = []): Promise<T> {
    const res = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = await res.json();
    if (body.error) throw new RpcError(body.error.code, body.error.message);
    return body.result as T;
  }

  /** The cluster's clock (unix_timestamp, the Clock sysvar's last 8 bytes). */
  async clusterTime(): Promise<number> {
    const clock = await this.connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY);
    if (!clock) throw new Error("the cluster does not serve the Clock sysvar");
    return Number(Buffer.from(clock.data).readBigInt64LE(32));
  }

  async all(name: AccountName, extra: { offset: number; bytes: PublicKey }[] = []): Promise<{ address: PublicKey; data: Decoded }[]> {
    if (!hasAccount(name)) return [];
    const filters = [
      { memcmp: { offset: 0, bytes: utils.bytes.bs58.encode(Buffer.from(discriminator(name))) } },
      ...extra.map((f) => ({ memcmp: { offset: f.offset, bytes: f.bytes.toBase58() } })),
    ];
    const found = await this.connection.getProgramAccounts(PROGRAM_ID, { filters });
    return found.map(({ pubkey, account }) => ({ address: pubkey, data: decode(name, account.data) }));
  }

  /** Everything the page shows, read at one cluster time. */
  async snapshot(owner?: PublicKey): Promise<Snapshot> {
    const now = await this.clusterTime();
    const readAtMs = Date.now();
    const protocolInfo = await this.connection.getAccountInfo(pda.protocol());
    if (!protocolInfo) throw new Error(`no Backstop protocol account at ${pda.protocol()} on this cluster`);
    const protocol = protocolView(decode("Protocol", protocolInfo.data), now);

    const [poolAccounts, marketAccounts, bankruptcyAccounts, payoutAccounts] = await Promise.all([
      this.all("Pool"),
      this.all("Market"),
      this.all("Bankruptcy"),
      this.all("Payout"),
    ]);
    const markets = marketAccounts.map((m) => marketView(m.address, m.data, now)).sort((a, b) => a.index - b.index);
    const marketPool = new Map(marketAccounts.map((m) => [m.address.toBase58(), key(m.data.pool)?.toBase58()]));

    // Mints (decimals, token program), vaults and revenue accounts in one read.
    const pools = poolAccounts.map(({ address, data }) => ({ address, data, mint: key(data.mint)! }));
    const tokenKeys = pools.flatMap((p) => [p.mint, key(p.data.vault)!, key(p.data.revenue)!]);
    const tokenInfos = await this.connection.getMultipleAccountsInfo(tokenKeys);

    const views: PoolView[] = pools.map((p, i) => {
      const [mintInfo, vaultInfo, revenueInfo] = tokenInfos.slice(i * 3, i * 3 + 3);
      const poolMarkets = markets.filter((m) => marketPool.get(m.address.toBase58()) === p.address.toBase58());
      const byMarket = new Map(poolMarkets.map((m) => [m.address.toBase58(), m]));
      const bankruptcies: BankruptcyView[] = bankruptcyAccounts
        .filter((b) => byMarket.has(key(b.data.market)?.toBase58() ?? ""))
        .map((b) => ({
          address: b.address,
          market: byMarket.get(key(b.data.market)!.toBase58())!,
          debtor: key(b.data.debtor)!,
          deficit: need(b.data, "deficit"),
          recordedAt: need(b.data, "recordedAt"),
        }));
      const payouts: PayoutView[] = payoutAccounts
        .filter((o) => key(o.data.pool)?.equals(p.address) && variant(o.data.status) === "pending")
        .map((o) => ({
          address: o.address,
          id: need(o.data, "id"),
          amount: need(o.data, "amount"),
          eta: need(o.data, "eta"),
          recipient: key(o.data.recipient)!,
        }))
        // An expired payout can never execute (PayoutExpired): not a risk.
        .filter((o) => BigInt(now) < payoutExpiresAt(o.eta));
      return poolView(p.address, p.data, now, {
        mintOwner: mintInfo?.owner,
        mintDecimals: mintInfo ? mintInfo.data[44] : undefined,
        vaultBalance: tokenAmount(vaultInfo?.data),
        revenueBalance: tokenAmount(revenueInfo?.data),
        markets: poolMarkets,
        bankruptcies,
        payouts,
      });
    });

    const positions = new Map<string, Position>();
    let lamports: bigint | undefined;
    if (owner) {
      const stakeKeys = views.map((p) => pda.stake(p.address, owner));
      const ataKeys = views.map((p) => pda.tokenAccount(owner, p.mint, p.tokenProgram));
      // Receipts of the pool's current epoch (older epochs' are worth nothing).
      const receiptMints = views.map((p) => pda.receiptMint(p.address, p.epoch));
      const receiptKeys = receiptMints.map((m) => pda.receiptAccount(owner, m));
      const [infos, balance] = await Promise.all([
        this.connection.getMultipleAccountsInfo([...stakeKeys, ...ataKeys, ...receiptKeys]),
        this.connection.getBalance(owner),
      ]);
      lamports = BigInt(balance);
      views.forEach((p, i) => {
        const stakeInfo = infos[i];
        const ataInfo = infos[views.length + i];
        const receiptInfo = infos[2 * views.length + i];
        positions.set(p.address.toBase58(), {
          stakeAddress: stakeKeys[i],
          stake: stakeInfo ? stakeView(stakeKeys[i], decode("Stake", stakeInfo.data)) : undefined,
          tokenAccount: ataKeys[i],
          tokenBalance: tokenAmount(ataInfo?.data),
          receiptMint: receiptMints[i],
          receiptAccount: receiptKeys[i],
          receiptBalance: tokenAmount(receiptInfo?.data),
        });
      });
    }
    return { now, readAtMs, protocol, pools: views, owner, lamports, positions };
  }
}

/** A token account's amount (offset 64 in SPL Token and Token-2022 alike). */
export function tokenAmount(data: Uint8Array | undefined): bigint | undefined {
  if (!data || data.length < 72) return undefined;
  return Buffer.from(data).readBigUInt64LE(64);
}

/** `Pending<T>`'s value when active and due at `now`, else `stored`. */
function inEffect<T>(stored: T, pending: unknown, now: number, convert: (v: unknown) => T): T {
  const p = pending as Decoded | undefined;
  if (p && pendingTakesEffect(p.active === true, big(p.eta) ?? 0n, BigInt(now))) return convert(p.value);
  return stored;
}

/** A `Pending<T>` still waiting at `now` (active, eta ahead), else undefined. */
function pendingLater(pending: unknown, now: number): { value: unknown; eta: bigint } | undefined {
  const p = pending as Decoded | undefined;
  if (!p || p.active !== true) return undefined;
  const eta = big(p.eta) ?? 0n;
  return pendingTakesEffect(true, eta, BigInt(now)) ? undefined : { value: p.value, eta };
}

function protocolView(d: Decoded, now: number): ProtocolView {
  return {
    admin: key(d.admin)!,
    treasury: inEffect(key(d.treasury)!, d.pendingTreasury, now, (v) => key(v)!),
    paused: Number(need(d, "paused")),
    exitClock: need(d, "exitClock"),
    exitClockTs: need(d, "exitClockTs"),
  };
}

function paramsView(params: Decoded): PoolParamsView {
  return {
    cooldown: need(params, "cooldown"),
    window: need(params, "window"),
    sweepInterval: need(params, "sweepInterval"),
    maxAprBps: need(params, "maxAprBps"),
    protocolCutBps: need(params, "protocolCutBps"),
    minStake: need(params, "minStake"),
  };
}

function marketView(address: PublicKey, d: Decoded, now: number): MarketView {
  const status = variant(d.status);
  const frozenField = opt(d, "frozen");
  const capNow = inEffect(need(d, "cap"), d.pendingCap, now, (v) => big(v)!);
  const capLater = pendingLater(d.pendingCap, now);
  return {
    address,
    index: Number(need(d, "index")),
    kind: variant(d.kind) ?? "?",
    // A `frozen` flag of its own in newer programs; a status before.
    frozen: typeof frozenField === "boolean" ? frozenField : status === "frozen",
    insolvent: status === "insolvent",
    exposureMode: variant(opt(d, "exposureMode")),
    cap: capNow,
    pendingCap: capLater && { value: big(capLater.value)!, eta: capLater.eta },
    insuranceUsed: need(d, "insuranceUsed"),
    isolated: d.isolated === true,
    isolatedAssets: big(opt(d, "isolatedAssets")) ?? 0n,
    openBankruptcies: Number(big(opt(d, "openBankruptcies")) ?? 0n),
    socialised: big(opt(d, "socialised")) ?? 0n,
    unrecovered: big(opt(d, "unrecovered")) ?? 0n,
  };
}

function poolView(
  address: PublicKey,
  d: Decoded,
  now: number,
  extra: {
    mintOwner?: PublicKey;
    mintDecimals?: number;
    vaultBalance?: bigint;
    revenueBalance?: bigint;
    markets: MarketView[];
    bankruptcies: BankruptcyView[];
    payouts: PayoutView[];
  },
): PoolView {
  // Pool parameter changes wait the governance delay; the program applies a
  // due one by itself at the next instruction that reads the pool.
  const params = inEffect(paramsView(d.params as Decoded), d.pendingParams, now, (v) => paramsView(v as Decoded));
  const paramsLater = pendingLater(d.pendingParams, now);
  const storedProgram = key(opt(d, "tokenProgram"));
  const heldBack = big(opt(d, "heldBack"));
  const permanentDelegate = opt(d, "allowPermanentDelegate");
  return {
    address,
    mint: key(d.mint)!,
    decimals: Number(big(opt(d, "decimals")) ?? BigInt(extra.mintDecimals ?? 0)),
    // The pool records its mint's token program in newer programs; else the
    // mint account's owner says it.
    tokenProgram: storedProgram && !storedProgram.equals(PublicKey.default) ? storedProgram : extra.mintOwner!,
    vault: key(d.vault)!,
    revenue: key(d.revenue)!,
    assets: need(d, "assets"),
    totalShares: need(d, "totalShares"),
    epoch: Number(need(d, "epoch")),
    params,
    pendingParams: paramsLater && { value: paramsView(paramsLater.value as Decoded), eta: paramsLater.eta },
    lastSweepTs: need(d, "lastSweepTs"),
    heldBack,
    allowPermanentDelegate: typeof permanentDelegate === "boolean" ? permanentDelegate : undefined,
    allowTransferHook: d.allowTransferHook === true,
    openRecords: Number(need(d, "openRecords")),
    exitClock: need(d, "exitClock"),
    exitClockRef: need(d, "exitClockRef"),
    wrapped: need(d, "wrapped"),
    vaultBalance: extra.vaultBalance,
    revenueBalance: extra.revenueBalance,
    markets: extra.markets,
    bankruptcies: extra.bankruptcies,
    payouts: extra.payouts,
  };
}

function stakeView(address: PublicKey, d: Decoded): StakeView {
  return {
    address,
    epoch: Number(need(d, "epoch")),
    shares: need(d, "shares"),
    requestShares: need(d, "requestShares"),
    requestValue: need(d, "requestValue"),
    requestTs: need(d, "requestTs"),
    requestCooldown: need(d, "requestCooldown"),
    requestWindow: need(d, "requestWindow"),
    requestExitClock: need(d, "requestExitClock"),
    costBasis: big(opt(d, "costBasis")) ?? 0n,
  };
}
