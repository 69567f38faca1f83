// What the browser test stands on: a `backstop localnet` child process (as
// tests/ts/stake.test.ts starts it), a JSON-RPC helper, and a fallback page
// server for a node binary that does not serve the page yet.

import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

/** A free loopback port whose successor (the node's websocket) is free too. */
export async function freePortPair(): Promise<number> {
  const listen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(undefined));
      server.listen(port, "127.0.0.1", () => {
        const got = (server.address() as AddressInfo).port;
        server.close(() => resolve(got));
      });
    });
  for (;;) {
    const port = await listen(0);
    if (port !== undefined && port < 65535 && (await listen(port + 1)) !== undefined) return port;
  }
}

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return res.json();
}

export interface LocalNode {
  url: string;
  process: ChildProcess;
  demoMint: string;
  output(): string;
  stop(): void;
}

/** Starts `BIN localnet` and waits for getHealth and the banner's demo mint. */
export async function startNode(bin: string, port: number, keypairPath: string, env: NodeJS.ProcessEnv): Promise<LocalNode> {
  const child = spawn(bin, ["localnet", "--port", String(port), "--keypair", keypairPath], {
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  let output = "";
  // Keep draining the pipes (a full pipe would stall the node); keep the tail.
  const keep = (chunk: Buffer) => {
    output = (output + chunk).slice(-8000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  let exited: string | undefined;
  child.on("exit", (code, signal) => (exited = `exited (${code ?? signal})`));
  child.on("error", (e) => (exited = `could not start: ${e.message}`));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${bin} localnet ${exited}:\n${output}`);
    const mint = /demo mint: (\w+)/.exec(output)?.[1];
    try {
      if (mint && (await rpc(url, "getHealth")).result === "ok") {
        return { url, process: child, demoMint: mint, output: () => output, stop: () => child.kill("SIGTERM") };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGTERM");
  throw new Error(`${bin} localnet did not start within 90 s:\n${output}`);
}

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
