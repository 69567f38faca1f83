// What the browser test stands on: a `backstop localnet` child process and a
// JSON-RPC helper (tests/ts/localnet.ts, shared with the client tests), and a
// fallback page server for a node binary that does not serve the page yet.

import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

export { freePortPair, rpc, startNode, type LocalNode } from "../../tests/ts/localnet";

/** Whether the node serves the built page at `/` (a binary with web.rs). */
export async function nodeServesPage(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/`);
    return res.ok && (await res.text()).includes("app.js");
  } catch {
    return false;
  }
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** For a node binary built before the page existed: serves `dist` and passes
 *  POSTed JSON-RPC on to the node on the same origin (so the page's default
 *  RPC, its own origin, works), answering `backstop_devWallet` from the
 *  keypair file when the node does not know that method. */
export async function startFallbackServer(dist: string, nodeUrl: string, keypairPath: string): Promise<{ url: string; server: Server }> {
  const server = createHttpServer(async (req, res) => {
    if (req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString();
      const request = JSON.parse(body);
      let answer: unknown;
      const upstream = await fetch(nodeUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
      answer = await upstream.json();
      if (!Array.isArray(request) && request.method === "backstop_devWallet" && (answer as any).error) {
        answer = { jsonrpc: "2.0", id: request.id, result: JSON.parse(readFileSync(keypairPath, "utf8")) };
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      return;
    }
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const file = normalize(join(dist, path === "/" ? "index.html" : path));
    try {
      if (!file.startsWith(dist)) throw new Error("outside");
      const bytes = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(bytes);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
