// Injected by esbuild into every module of the bundle (web/build.mjs `inject`):
// a module that names the free global `Buffer` gets this one, the `buffer`
// package, which is what @solana/web3.js and @anchor-lang/core expect from Node.
// Code that reads `globalThis.Buffer` finds it too.
import { Buffer } from "buffer";

if (!(globalThis as { Buffer?: unknown }).Buffer) {
  (globalThis as { Buffer?: unknown }).Buffer = Buffer;
}

export { Buffer };
