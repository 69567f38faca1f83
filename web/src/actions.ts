// The staker instructions (stake, request/cancel/complete an unstake, wrap
// and unwrap shares as receipt tokens), built from the IDL with @anchor-lang/core,
// signed by the connected wallet and sent; confirmation is polled
// (getSignatureStatuses), which works on any RPC without a websocket.

import { BN, Program, type Provider } from "@anchor-lang/core";
import {
  ASSOCIATED_TOKEN_PROGRAM_ID,
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
} from "@solana/spl-token";
import {
  PublicKey,
  SystemProgram,
  Transaction,
  type TransactionInstruction,
} from "@solana/web3.js";
import type { Chain } from "./chain";
import { extraAccounts, hookProgram, validationAddress } from "../../ts/client";
import { IDL, pda } from "../../ts/client";
import type { PoolView, ProtocolView } from "./model";
import type { Signer } from "./wallets";

export type Action = "stake" | "requestUnstake" | "cancelUnstake" | "completeUnstake" | "wrap" | "unwrap";

/** Raised when a sent transaction failed on chain (not in preflight). */
export class TransactionFailed extends Error {
  constructor(
    readonly signature: string,
    readonly err: unknown,
    readonly logs?: string[],
  ) {
    super(`transaction ${signature} failed: ${JSON.stringify(err)}`);
  }
}

function program(chain: Chain): Program {
  // Only the instruction builders are used: no wallet is needed here.
  return new Program(IDL, { connection: chain.connection } as unknown as Provider);
}

/** The accounts a staker instruction may take, by IDL name. Each instruction
 *  gets the ones its IDL lists, so an instruction that gains an account the
 *  page already knows (say, the mint) keeps working after regeneration. */
function knownAccounts(pool: PoolView, protocol: ProtocolView, owner: PublicKey, ownerTokens: PublicKey) {
  // Receipts of the pool's current epoch, in the owner's associated account
  // (crates/client/src/ix/staking.rs `wrap`, `unwrap`).
  const receiptMint = pda.receiptMint(pool.address, pool.epoch);
  const receipts = pda.receiptAccount(owner, receiptMint);
  return {
    owner,
    holder: owner, // unwrap's signer
    protocol: pda.protocol(),
    pool: pool.address,
    stake: pda.stake(pool.address, owner),
    treasury: protocol.treasury,
    treasuryStake: pda.stake(pool.address, protocol.treasury),
    vault: pool.vault,
    revenue: pool.revenue,
    ownerTokens,
    mint: pool.mint,
    tokenProgram: pool.tokenProgram,
    receiptMint,
    ownerReceipts: receipts,
    holderReceipts: receipts,
    token2022Program: TOKEN_2022_PROGRAM_ID,
    associatedTokenProgram: ASSOCIATED_TOKEN_PROGRAM_ID,
    systemProgram: SystemProgram.programId,
  } as Record<string, PublicKey>;
}

/** Accounts by IDL name; a group (an Anchor composite, such as the pool
 *  block `poolBlock` or the `treasuryPair`) nests its own. */
type Accounts = { [name: string]: PublicKey | Accounts };
type IdlAccountItem = { name: string; accounts?: readonly IdlAccountItem[] };

function accountsFor(prog: Program, instruction: string, known: Record<string, PublicKey>): Accounts {
  const ix = prog.idl.instructions.find((i) => i.name === instruction);
  if (!ix) throw new Error(`this program's IDL has no ${instruction} instruction`);
  return pick(ix.accounts as readonly IdlAccountItem[], known);
}

function pick(items: readonly IdlAccountItem[], known: Record<string, PublicKey>): Accounts {
  return Object.fromEntries(
    items.flatMap((item): [string, PublicKey | Accounts][] => {
      if (item.accounts) return [[item.name, pick(item.accounts, known)]];
      return item.name in known ? [[item.name, known[item.name]]] : [];
    }),
  );
}

/** The staker instructions that move the pool's tokens (a stake or a
 *  request may sweep first): a hooked mint's accounts go after them. */
const MOVES_POOL_TOKENS = new Set<Action>(["stake", "requestUnstake", "completeUnstake"]);

/** The accounts the mint's transfer hook needs (none without a hook). */
async function hookAccounts(chain: Chain, mint: PublicKey) {
  const mintInfo = await chain.connection.getAccountInfo(mint, "confirmed");
  if (!mintInfo) return [];
  const program = hookProgram(mintInfo.data);
  if (!program) return [];
  const validation = await chain.connection.getAccountInfo(validationAddress(mint, program), "confirmed");
  return extraAccounts(mint, mintInfo.data, validation?.data ?? null);
}

export async function buildInstructions(
  chain: Chain,
  action: Action,
  pool: PoolView,
  protocol: ProtocolView,
  owner: PublicKey,
  ownerTokens: PublicKey,
  arg?: bigint,
): Promise<TransactionInstruction[]> {
  const prog = program(chain);
  const known = knownAccounts(pool, protocol, owner, ownerTokens);
  const accounts = accountsFor(prog, action, known);
  const methods = prog.methods as unknown as Record<string, (...args: unknown[]) => {
    accountsPartial(a: Accounts): { instruction(): Promise<TransactionInstruction> };
  }>;
  // unwrap(epoch, amount): receipts of the pool's current epoch, the one
  // whose receipt mint knownAccounts names.
  const values = action === "unwrap" ? [BigInt(pool.epoch), arg] : [arg];
  const args = values.filter((v): v is bigint => v !== undefined).map((v) => new BN(v.toString()));
  const ix = await methods[action](...args).accountsPartial(accounts).instruction();
  if (MOVES_POOL_TOKENS.has(action)) ix.keys.push(...(await hookAccounts(chain, pool.mint)));
  if (action === "completeUnstake") {
    // The payout needs a token account of the mint; create the owner's
    // associated one if they closed it or never had one (no-op otherwise).
    const create = createAssociatedTokenAccountIdempotentInstruction(owner, ownerTokens, owner, pool.mint, pool.tokenProgram);
    return [create, ix];
  }
  if (action === "wrap") {
    // The epoch's receipt mint and the owner's receipt account, created ahead
    // when missing, so the wrap itself only mints (docs/protocol.md §4.9,
    // crates/client/src/ix/staking.rs `wrap_setup`).
    const setup: TransactionInstruction[] = [];
    const receiptMint = accounts.receiptMint as PublicKey;
    if (!(await chain.connection.getAccountInfo(receiptMint, "confirmed"))) {
      const create = { ...accountsFor(prog, "createReceiptMint", known), payer: owner };
      setup.push(await methods.createReceiptMint().accountsPartial(create).instruction());
    }
    setup.push(
      createAssociatedTokenAccountIdempotentInstruction(owner, accounts.ownerReceipts as PublicKey, owner, receiptMint, TOKEN_2022_PROGRAM_ID),
    );
    return [...setup, ix];
  }
  return [ix];
}

/** Signs with the wallet, sends (with the node's preflight simulation, whose
 *  refusal carries the program's logs) and waits until confirmed. */
export async function signAndSend(chain: Chain, signer: Signer, instructions: TransactionInstruction[]): Promise<string> {
  const { blockhash, lastValidBlockHeight } = await chain.connection.getLatestBlockhash("confirmed");
  const tx = new Transaction({ feePayer: signer.publicKey, blockhash, lastValidBlockHeight }).add(...instructions);
  const wire = await signer.signTransaction(tx);
  const signature = await chain.connection.sendRawTransaction(wire, { preflightCommitment: "confirmed" });
  await waitConfirmed(chain, signature, lastValidBlockHeight);
  return signature;
}

async function waitConfirmed(chain: Chain, signature: string, lastValidBlockHeight: number): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const { value } = await chain.connection.getSignatureStatuses([signature]);
    const status = value[0];
    if (status?.err) {
      const tx = await chain.rpc<{ meta?: { logMessages?: string[] } } | null>("getTransaction", [
        signature,
        { encoding: "json", commitment: "confirmed", maxSupportedTransactionVersion: 0 },
      ]).catch(() => null);
      throw new TransactionFailed(signature, status.err, tx?.meta?.logMessages ?? undefined);
    }
    if (status && (status.confirmationStatus === "confirmed" || status.confirmationStatus === "finalized")) return;
    if ((await chain.connection.getBlockHeight("confirmed")) > lastValidBlockHeight) {
      throw new Error(`transaction ${signature} expired before it was confirmed; try again`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`transaction ${signature} was not confirmed within 90 s`);
}
