// Wallets: every Wallet Standard wallet the browser has (Phantom, Backpack,
// Solflare, … register themselves with `@wallet-standard/app`; nothing is
// loaded from the network), and on a local node the built-in dev wallet, which
// signs with the node's own keypair (`backstop_devWallet`).

import { getWallets } from "@wallet-standard/app";
import type { Wallet, WalletAccount } from "@wallet-standard/base";
import type { StandardConnectFeature, StandardDisconnectFeature } from "@wallet-standard/features";
import type { SolanaSignTransactionFeature } from "@solana/wallet-standard-features";
import { Keypair, PublicKey, type Transaction } from "@solana/web3.js";
import type { Chain } from "./chain";

/** A connected wallet: signs a transaction and returns its wire bytes. */
export interface Signer {
  label: string;
  publicKey: PublicKey;
  signTransaction(tx: Transaction): Promise<Uint8Array>;
  disconnect(): Promise<void>;
}

/** A wallet the user can pick. */
export interface WalletOption {
  id: string;
  name: string;
  icon?: string;
  connect(): Promise<Signer>;
}

const CONNECT = "standard:connect";
const DISCONNECT = "standard:disconnect";
const SIGN = "solana:signTransaction";

/** The Wallet Standard chain id for an RPC URL (wallets sign per chain). */
export function chainFor(rpcUrl: string): `solana:${string}` {
  const host = new URL(rpcUrl).hostname;
  if (host === "127.0.0.1" || host === "localhost" || host === "[::1]") return "solana:localnet";
  if (/devnet/.test(host)) return "solana:devnet";
  if (/testnet/.test(host)) return "solana:testnet";
  return "solana:mainnet";
}

/** A wallet can serve this page if it connects and signs Solana transactions. */
function usable(wallet: Wallet): boolean {
  return CONNECT in wallet.features && SIGN in wallet.features && wallet.chains.some((c) => c.startsWith("solana:"));
}

function standardOption(wallet: Wallet, chain: `solana:${string}`): WalletOption {
  return {
    id: `standard:${wallet.name}`,
    name: wallet.name,
    icon: wallet.icon,
    async connect(): Promise<Signer> {
      const connect = (wallet.features as StandardConnectFeature)[CONNECT];
      const { accounts } = await connect.connect();
      const account: WalletAccount | undefined =
        accounts.find((a) => a.features.includes(SIGN)) ?? accounts[0] ?? wallet.accounts[0];
      if (!account) throw new Error(`${wallet.name} gave no account`);
      const sign = (wallet.features as SolanaSignTransactionFeature)[SIGN];
      return {
        label: wallet.name,
        publicKey: new PublicKey(account.address),
        async signTransaction(tx) {
          const transaction = tx.serialize({ requireAllSignatures: false, verifySignatures: false });
          // Name the chain only when the account says it is on it.
          const onChain = account.chains.includes(chain) ? { chain } : {};
          const [signed] = await sign.signTransaction({ account, transaction, ...onChain });
          return signed.signedTransaction;
        },
        async disconnect() {
          const off = (wallet.features as Partial<StandardDisconnectFeature>)[DISCONNECT];
          await off?.disconnect();
        },
      };
    },
  };
}

/** Calls `onChange` with the usable Wallet Standard wallets now and whenever
 *  one registers later (extensions inject themselves after page load). */
export function watchStandardWallets(rpcUrl: string, onChange: (options: WalletOption[]) => void): void {
  const registry = getWallets();
  const chain = chainFor(rpcUrl);
  const publish = () => onChange(registry.get().filter(usable).map((w) => standardOption(w, chain)));
  registry.on("register", publish);
  registry.on("unregister", publish);
  publish();
}

/** The dev wallet, when the node answers `backstop_devWallet` (a local node
 *  handing out its own keypair: the admin, holding the demo tokens). */
export async function devWalletOption(chain: Chain): Promise<WalletOption | undefined> {
  let secret: number[];
  try {
    secret = await chain.rpc<number[]>("backstop_devWallet");
  } catch {
    return undefined; // any other cluster: no such method
  }
  if (!Array.isArray(secret) || secret.length !== 64) return undefined;
  const keypair = Keypair.fromSecretKey(Uint8Array.from(secret));
  return {
    id: "dev",
    name: "Dev wallet (this node's keypair)",
    async connect(): Promise<Signer> {
      return {
        label: "Dev wallet",
        publicKey: keypair.publicKey,
        async signTransaction(tx) {
          tx.sign(keypair);
          return tx.serialize();
        },
        async disconnect() {},
      };
    },
  };
}
