// Every address the TypeScript clients derive: the program's PDAs (seeds from
// the IDL's `*_SEED` constants, layout as crates/client/src/pda.rs), the
// receipt token accounts, and the address lookup tables the Kit test makes.
// No other TypeScript file derives an address.

import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { PublicKey } from "@solana/web3.js";
import { PROGRAM_ID, idlBytes } from "./program";

const find = (seeds: Uint8Array[], program: PublicKey = PROGRAM_ID) =>
  PublicKey.findProgramAddressSync(seeds, program);
const address = (...seeds: Uint8Array[]) => find(seeds)[0];
const le = (n: number | bigint, bytes: 2 | 8) => {
  const b = Buffer.alloc(bytes);
  if (bytes === 2) b.writeUInt16LE(Number(n));
  else b.writeBigUInt64LE(BigInt(n));
  return b;
};

const SEED = {
  protocol: idlBytes("PROTOCOL_SEED"),
  pool: idlBytes("POOL_SEED"),
  vault: idlBytes("VAULT_SEED"),
  revenue: idlBytes("REVENUE_SEED"),
  stake: idlBytes("STAKE_SEED"),
  market: idlBytes("MARKET_SEED"),
  isolatedVault: idlBytes("ISOLATED_VAULT_SEED"),
  lender: idlBytes("LENDER_SEED"),
  position: idlBytes("POSITION_SEED"),
  bankruptcy: idlBytes("BANKRUPTCY_SEED"),
  payout: idlBytes("PAYOUT_SEED"),
  receipt: idlBytes("RECEIPT_SEED"),
};

/** The BPF upgradeable loader, which owns a deployed program's ProgramData. */
export const BPF_LOADER_UPGRADEABLE = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");

export const pda = {
  protocol: () => address(SEED.protocol),
  /** The program's ProgramData account under the upgradeable loader, whose
   *  upgrade authority alone may run `initialize_protocol`. */
  programData: (program: PublicKey = PROGRAM_ID) => find([program.toBuffer()], BPF_LOADER_UPGRADEABLE)[0],
  pool: (mint: PublicKey) => address(SEED.pool, mint.toBuffer()),
  vault: (pool: PublicKey) => address(SEED.vault, pool.toBuffer()),
  revenue: (pool: PublicKey) => address(SEED.revenue, pool.toBuffer()),
  stake: (pool: PublicKey, owner: PublicKey) => address(SEED.stake, pool.toBuffer(), owner.toBuffer()),
  market: (index: number) => address(SEED.market, le(index, 2)),
  isolatedVault: (market: PublicKey) => address(SEED.isolatedVault, market.toBuffer()),
  lender: (market: PublicKey, owner: PublicKey) => address(SEED.lender, market.toBuffer(), owner.toBuffer()),
  position: (market: PublicKey, owner: PublicKey) => address(SEED.position, market.toBuffer(), owner.toBuffer()),
  bankruptcy: (market: PublicKey, debtor: PublicKey) => address(SEED.bankruptcy, market.toBuffer(), debtor.toBuffer()),
  payout: (pool: PublicKey, id: number | bigint) => address(SEED.payout, pool.toBuffer(), le(id, 8)),
  /** The accounts of a pool's `pool_block` group (groups.rs `PoolBlock`;
   *  crates/client `PoolKeys::block`), nested as Anchor's coder takes them. */
  poolBlock: (mint: PublicKey, tokenProgram: PublicKey = TOKEN_PROGRAM_ID) => {
    const pool = address(SEED.pool, mint.toBuffer());
    return {
      pool,
      vault: address(SEED.vault, pool.toBuffer()),
      revenue: address(SEED.revenue, pool.toBuffer()),
      mint,
      tokenProgram,
    };
  },
  /** The `treasury_pair` group: `treasury` and its stake in `pool`
   *  (groups.rs `TreasuryPair`; crates/client `PoolKeys::treasury_pair`). */
  treasuryPair: (pool: PublicKey, treasury: PublicKey) => ({
    treasury,
    treasuryStake: address(SEED.stake, pool.toBuffer(), treasury.toBuffer()),
  }),
  /** The pool's receipt mint of `epoch` (liquid shares; a Token-2022 mint). */
  receiptMint: (pool: PublicKey, epoch: number | bigint) => address(SEED.receipt, pool.toBuffer(), le(epoch, 8)),
  /** `owner`'s associated token account of a receipt mint, always under
   *  Token-2022 (crates/client/src/token.rs `receipt_account`). */
  receiptAccount: (owner: PublicKey, receiptMint: PublicKey) =>
    getAssociatedTokenAddressSync(receiptMint, owner, true, TOKEN_2022_PROGRAM_ID),
  /** `owner`'s associated token account of `mint` under `tokenProgram`. */
  tokenAccount: (owner: PublicKey, mint: PublicKey, tokenProgram: PublicKey = TOKEN_PROGRAM_ID) =>
    getAssociatedTokenAddressSync(mint, owner, true, tokenProgram),
  /** A transfer-hook program's validation account for `mint`
   *  (`["extra-account-metas", mint]`, the SPL transfer-hook interface). */
  hookValidation: (mint: PublicKey, hookProgram: PublicKey) =>
    find([Buffer.from("extra-account-metas"), mint.toBuffer()], hookProgram)[0],
  /** An account a transfer hook lists by literal seeds and the mint. */
  hookListed: (seeds: Uint8Array[], hookProgram: PublicKey) => find(seeds, hookProgram)[0],
  /** An address lookup table of `authority` made at `recentSlot`, with its bump. */
  lookupTable: (authority: PublicKey, recentSlot: bigint): [PublicKey, number] =>
    find(
      [authority.toBuffer(), le(recentSlot, 8)],
      new PublicKey("AddressLookupTab1e1111111111111111111111111"),
    ),
};
