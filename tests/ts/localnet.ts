// `backstop localnet` as the TypeScript tests start it (tests/ts and the
// staking page's browser test): a free port pair, the child process, and a
// JSON-RPC helper.

import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";

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
