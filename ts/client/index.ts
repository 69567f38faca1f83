// The one TypeScript client of Backstop, shared by the web page (web/),
// the deploy migration (migrations/) and the TypeScript tests (tests/ts):
//
// - program.ts: the IDL, its coder, constants, pause bits and error names;
// - pda.ts: every address a client derives (nowhere else in TypeScript);
// - fields.ts: tolerant readers of decoded accounts;
// - core.ts: backstop-core's rules compiled to WebAssembly (build-core);
// - hook.ts: the extra accounts a transfer-hooked mint needs.

export * from "./program";
export * from "./pda";
export * from "./fields";
export * from "./core";
export * from "./hook";
