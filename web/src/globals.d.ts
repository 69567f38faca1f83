// The bundle gives every module the `buffer` package's Buffer as a global
// (web/build.mjs `inject`), as @solana/web3.js expects from Node.
declare const Buffer: typeof import("buffer").Buffer;
