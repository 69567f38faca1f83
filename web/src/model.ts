// What the page reads from the cluster, in plain types: amounts as BigInt,
// times as unix seconds of the cluster's clock (which `backstop_advanceClock`
// moves, so it can be far from the browser's clock).

import type { PublicKey } from "@solana/web3.js";

export interface ProtocolView {
  admin: PublicKey;
  treasury: PublicKey; // in effect (a due pending change counts)
  paused: number;
  /** The unpaused clock (seconds during which complete_unstake was not
   *  paused) at its last checkpoint, and that checkpoint's time. */
  exitClock: bigint;
  exitClockTs: bigint;
}

export interface PoolParamsView {
  cooldown: bigint;
  window: bigint;
  sweepInterval: bigint;
  maxAprBps: bigint;
  protocolCutBps: bigint;
  minStake: bigint;
}

export interface MarketView {
  address: PublicKey;
  index: number;
  kind: string;
  frozen: boolean;
  insolvent: boolean;
  exposureMode?: string;
  cap: bigint; // in effect
  pendingCap?: { value: bigint; eta: bigint };
  insuranceUsed: bigint;
  isolated: boolean;
  isolatedAssets: bigint;
  openBankruptcies: number;
  socialised: bigint;
  unrecovered: bigint;
}

export interface BankruptcyView {
  address: PublicKey;
  market: MarketView;
  debtor: PublicKey;
  deficit: bigint;
  recordedAt: bigint;
}

export interface PayoutView {
  address: PublicKey;
  id: bigint;
  amount: bigint;
  eta: bigint;
  recipient: PublicKey;
}

export interface PoolView {
  address: PublicKey;
  mint: PublicKey;
  decimals: number;
  tokenProgram: PublicKey;
  vault: PublicKey;
  revenue: PublicKey;
  assets: bigint;
  totalShares: bigint;
  epoch: number;
  /** The parameters in effect (a pending change that is due counts). */
  params: PoolParamsView;
  /** A parameter change waiting its governance delay (eta still ahead). */
  pendingParams?: { value: PoolParamsView; eta: bigint };
  lastSweepTs: bigint;
  heldBack?: bigint;
  allowPermanentDelegate?: boolean;
  allowTransferHook?: boolean;
  /** Open bankruptcy records on the markets this pool insures (isolated
   *  markets excepted): while any is open, exits wait (LossPending). */
  openRecords: number;
  /** The pool's exit clock at its last checkpoint, and the protocol's
   *  unpaused clock then (rules.ts poolExitClockAt). */
  exitClock: bigint;
  exitClockRef: bigint;
  /** Shares held as receipt tokens of the current epoch. */
  wrapped: bigint;
  vaultBalance?: bigint;
  revenueBalance?: bigint;
  markets: MarketView[];
  bankruptcies: BankruptcyView[];
  /** Pending payouts (not executed, not cancelled, not expired). */
  payouts: PayoutView[];
}

export interface StakeView {
  address: PublicKey;
  epoch: number;
  shares: bigint;
  requestShares: bigint;
  requestValue: bigint;
  requestTs: bigint;
  /** The cooldown and window in effect when the request was made, and the
   *  pool's exit clock then. */
  requestCooldown: bigint;
  requestWindow: bigint;
  requestExitClock: bigint;
  costBasis: bigint;
}

/** The connected wallet in one pool. */
export interface Position {
  stakeAddress: PublicKey;
  stake?: StakeView; // undefined: no Stake account yet
  tokenAccount: PublicKey; // the owner's associated token account
  tokenBalance?: bigint; // undefined: that account does not exist
  /** The pool's receipt mint of its current epoch (it exists once someone
   *  has wrapped in this epoch) and the owner's associated receipt account. */
  receiptMint: PublicKey;
  receiptAccount: PublicKey;
  receiptBalance?: bigint; // undefined: that account does not exist
}

export interface Snapshot {
  /** Cluster time (Clock sysvar) when read, and the browser time then (ms),
   *  so countdowns can run between reads. */
  now: number;
  readAtMs: number;
  protocol: ProtocolView;
  pools: PoolView[];
  owner?: PublicKey;
  lamports?: bigint;
  positions: Map<string, Position>; // by pool address
}

/** Cluster time now, from a snapshot and the time elapsed since it was read. */
export function clusterNow(s: Snapshot): number {
  return s.now + Math.floor((Date.now() - s.readAtMs) / 1000);
}
