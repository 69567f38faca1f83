// A Wallet Standard wallet for the browser test: registered in the page as an
// extension would register it, signing in Node.

import { Keypair, Transaction } from "@solana/web3.js";
import type { Page } from "playwright-core";

/** A Wallet Standard wallet as an extension would register it (the
 *  `wallet-standard:register-wallet` / `app-ready` events), signing in Node
 *  with `admin` through an exposed function. */
export async function registerFakeWallet(target: Page, admin: Keypair): Promise<void> {
  await target.exposeFunction("testWalletSign", (bytes: number[]) => {
    const tx = Transaction.from(Uint8Array.from(bytes));
    tx.partialSign(admin);
    return Array.from(tx.serialize());
  });
  // A script text, not a function: tsx's compiled functions may call helpers
  // (__name) that do not exist in the page.
  const account = { address: admin.publicKey.toBase58(), publicKey: Array.from(admin.publicKey.toBytes()) };
  await target.addInitScript(`(() => {
    const account = {
      address: ${JSON.stringify(account.address)},
      publicKey: Uint8Array.from(${JSON.stringify(account.publicKey)}),
      chains: ["solana:localnet"],
      features: ["solana:signTransaction"],
    };
    const wallet = {
      version: "1.0.0",
      name: "Test Wallet",
      icon: "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=",
      chains: ["solana:localnet"],
      accounts: [account],
      features: {
        "standard:connect": { version: "1.0.0", connect: async () => ({ accounts: [account] }) },
        "standard:events": { version: "1.0.0", on: () => () => undefined },
        "solana:signTransaction": {
          version: "1.0.0",
          supportedTransactionVersions: ["legacy", 0],
          signTransaction: async (...inputs) => Promise.all(inputs.map(async (i) =>
            ({ signedTransaction: Uint8Array.from(await window.testWalletSign(Array.from(i.transaction))) }))),
        },
      },
    };
    const register = ({ register }) => register(wallet);
    window.dispatchEvent(new CustomEvent("wallet-standard:register-wallet", { detail: register }));
    window.addEventListener("wallet-standard:app-ready", (e) => register(e.detail));
  })();`);
}
