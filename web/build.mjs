// Builds the staking page into web/dist: index.html, app.js (one bundle with
// every dependency, so nothing is loaded from a CDN at run time) and
// styles.css. `backstop localnet` serves that directory at `/`; any static
// host can serve it too (then pass `?rpc=URL`).
//
//   npm run build:web            (node web/build.mjs [--dev])
//
// --dev keeps the bundle unminified with an inline source map.

import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const WEB = dirname(fileURLToPath(import.meta.url));
const DIST = join(WEB, "dist");
const dev = process.argv.includes("--dev");

export async function buildWeb({ quiet = false } = {}) {
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  const result = await build({
    entryPoints: [join(WEB, "src/main.ts")],
    outfile: join(DIST, "app.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: !dev,
    sourcemap: dev ? "inline" : false,
    // @solana/web3.js and @anchor-lang/core use Node's Buffer (and read
    // process.env in a few places): give the browser bundle the `buffer`
    // package wherever a module names the global `Buffer`, and constants for
    // the rest. Nothing is fetched at run time.
    inject: [join(WEB, "src/buffer-global.ts")],
    define: {
      global: "globalThis",
      "process.env.NODE_ENV": JSON.stringify(dev ? "development" : "production"),
      "process.env.ANCHOR_BROWSER": "true",
    },
    // The `browser` field first: web3.js and Anchor ship browser builds.
    mainFields: ["browser", "module", "main"],
    conditions: ["browser"],
    logLevel: quiet ? "error" : "warning",
    metafile: true,
  });
  copyFileSync(join(WEB, "styles.css"), join(DIST, "styles.css"));
  // The page is served from `/` or from any sub-path of a static host, so it
  // names its files relatively.
  writeFileSync(join(DIST, "index.html"), readFileSync(join(WEB, "index.html"), "utf8"));
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  if (!quiet) console.log(`web/dist built: index.html, app.js, styles.css (${Math.round(bytes / 1024)} KiB of JS)`);
  return DIST;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildWeb().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
