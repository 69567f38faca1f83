// A web3.js instruction (what Anchor's TypeScript coder builds) as a Kit
// instruction, for the tests that send Kit transactions.

import { type TransactionInstruction } from "@solana/web3.js";
import { AccountRole, address, type Instruction } from "@solana/kit";

export function fromWeb3(ix: TransactionInstruction): Instruction {
  return {
    programAddress: address(ix.programId.toBase58()),
    accounts: ix.keys.map((k) => ({
      address: address(k.pubkey.toBase58()),
      role: k.isSigner
        ? k.isWritable ? AccountRole.WRITABLE_SIGNER : AccountRole.READONLY_SIGNER
        : k.isWritable ? AccountRole.WRITABLE : AccountRole.READONLY,
    })),
    data: new Uint8Array(ix.data),
  };
}
