// The staking page: reads every pool from the cluster, shows what a staker
// should know, and lets a connected wallet stake, request, cancel and complete
// unstakes, and wrap shares into receipt tokens and back. Entry point of the bundle (web/build.mjs).

import { buildInstructions, signAndSend, type Action } from "./actions";
import { RATIO_SCALE, formatAmount } from "./amounts";
import { SweepHistory, type Apr } from "./apr";
import { Chain } from "./chain";
import { APR_REFRESH_MS, REFRESH_MS, rpcUrl } from "./config";
import { fill, h } from "./dom";
import { explain } from "./errors";
import { clusterNow, type PoolView, type Snapshot } from "./model";
import { poolOverview } from "./pool-view";
import { StakerPanel } from "./staker-panel";
import { WalletBar } from "./wallet-bar";
import { devWalletOption, watchStandardWallets, type Signer, type WalletOption } from "./wallets";

const DONE: Record<Action, string> = {
  stake: "Staked",
  requestUnstake: "Unstake requested",
  cancelUnstake: "Request cancelled",
  completeUnstake: "Unstake completed",
  wrap: "Wrapped",
  unwrap: "Unwrapped",
};

class App {
  private chain: Chain;
  private signer?: Signer;
  private snapshot?: Snapshot;
  private panels = new Map<string, { section: HTMLElement; overview: HTMLElement; panel: StakerPanel }>();
  private aprs = new Map<string, Apr>();
  private aprReadAt = 0;
  private history: SweepHistory;
  private reads = 0;
  private reading?: Promise<void>;
  private wallets: WalletBar;
  private status = h("div", { role: "status", class: "status", "data-testid": "status" });
  private alert = h("div", { role: "alert", class: "alert", "data-testid": "alert" });
  /** A failed read, apart from refusals: cleared by the next good read. */
  private readError = h("div", { role: "alert", class: "alert", "data-testid": "read-error" });
  private clock = h("span", { "data-testid": "cluster-time" });
  private poolsEl = h("div", { class: "pools" });

  constructor(private root: HTMLElement, url: string) {
    this.chain = new Chain(url);
    this.history = new SweepHistory(this.chain);
    this.wallets = new WalletBar((o) => this.connect(o), () => this.disconnect());
    const refresh = h("button", { type: "button", class: "secondary", onclick: () => void this.refresh(true) }, "Refresh");
    fill(
      root,
      h(
        "header",
        {},
        h("h1", {}, "Backstop staking"),
        h("p", { class: "muted" }, "Cluster ", h("code", { "data-testid": "rpc-url" }, url), " · ", this.clock, " ", refresh),
      ),
      h("main", {}, this.wallets.root, this.status, this.alert, this.readError, h("h2", {}, "Insurance pools"), this.poolsEl),
    );
  }

  async start(): Promise<void> {
    watchStandardWallets(this.chain.url, (options) => this.wallets.setStandard(options));
    this.wallets.setDev(await devWalletOption(this.chain));
    await this.refresh(true);
    setInterval(() => void this.refresh(false, true), REFRESH_MS);
    setInterval(() => this.tick(), 1000);
  }

  private say(text: string): void {
    fill(this.status, text);
  }

  private fail(e: unknown, doing: string): void {
    const x = explain(e);
    fill(
      this.alert,
      h("p", {}, h("strong", { "data-testid": "error-name" }, x.name), ` — ${doing} was refused.`),
      x.message ? h("p", {}, x.message) : null,
      h("p", { "data-testid": "error-plain" }, x.plain),
      x.logs?.length ? h("details", {}, h("summary", {}, "Program logs"), h("pre", {}, x.logs.join("\n"))) : null,
      h("button", { type: "button", class: "secondary", onclick: () => fill(this.alert) }, "Dismiss"),
    );
  }

  private async connect(option: WalletOption): Promise<void> {
    try {
      this.signer = await option.connect();
      this.wallets.setSigner(this.signer);
      this.say(`Connected ${this.signer.label} ${this.signer.publicKey.toBase58()}.`);
      await this.refresh(true);
    } catch (e) {
      this.fail(e, `Connecting ${option.name}`);
    }
  }

  private async disconnect(): Promise<void> {
    await this.signer?.disconnect().catch(() => undefined);
    this.signer = undefined;
    this.wallets.setSigner(undefined);
    this.say("Disconnected.");
    await this.refresh(true);
  }

  /** Re-reads the cluster; `withApr` also re-reads the sweeps for the APR
   *  (otherwise at most once a minute). Reads run one at a time, and a read
   *  asked for during another starts after it, so it sees what changed (a
   *  wallet just connected, a transaction just confirmed). The timer's reads
   *  (`periodic`) are skipped while one is running instead. */
  async refresh(withApr: boolean, periodic = false): Promise<void> {
    if (periodic && this.reading) return this.reading;
    const next = (this.reading ?? Promise.resolve()).then(() => this.read(withApr));
    this.reading = next;
    await next;
    if (this.reading === next) this.reading = undefined;
  }

  private async read(withApr: boolean): Promise<void> {
    document.body.dataset.state = this.snapshot ? "refreshing" : "loading";
    try {
      const snapshot = await this.chain.snapshot(this.signer?.publicKey);
      this.snapshot = snapshot;
      if (withApr || Date.now() - this.aprReadAt > APR_REFRESH_MS) {
        this.aprReadAt = Date.now();
        for (const pool of snapshot.pools) {
          const growth = pool.totalShares > 0n ? ((pool.assets - pool.totalShares) * RATIO_SCALE) / pool.totalShares : undefined;
          let apr: Apr;
          try {
            apr = await this.history.apr(pool.address, snapshot.now, growth);
          } catch (e) {
            apr = { kind: "estimate", reason: `reading the pool's transactions failed (${(e as Error).message})`, growth };
          }
          this.aprs.set(pool.address.toBase58(), apr);
        }
      }
      this.render(snapshot);
      fill(this.readError);
      this.reads += 1;
      document.body.dataset.reads = String(this.reads);
      document.body.dataset.state = "ready";
    } catch (e) {
      document.body.dataset.state = "error";
      fill(this.readError, h("p", {}, h("strong", {}, "Cannot read the cluster: "), (e as Error).message ?? String(e)));
    }
  }

  private render(s: Snapshot): void {
    if (s.pools.length === 0) {
      fill(this.poolsEl, h("p", { class: "muted" }, "No pools on this cluster yet."));
      this.panels.clear();
      return;
    }
    const seen = new Set<string>();
    for (const pool of s.pools) {
      const id = pool.address.toBase58();
      seen.add(id);
      let entry = this.panels.get(id);
      if (!entry) {
        const panel = new StakerPanel((action, p, arg) => this.act(action, p, arg));
        const overview = h("div");
        const headingId = `pool-${id}`;
        const section = h(
          "section",
          { class: "pool", "aria-labelledby": headingId, "data-pool": id, "data-mint": pool.mint.toBase58() },
          h("h3", { id: headingId }, StakerPanel.title(pool)),
          h("p", { class: "muted small" }, `pool ${id} · mint ${pool.mint.toBase58()}`),
          h("div", { class: "pool-grid" }, overview, panel.root),
        );
        entry = { section, overview, panel };
        this.panels.set(id, entry);
        this.poolsEl.append(section);
      }
      fill(entry.overview, poolOverview(pool, s.protocol, this.aprs.get(id), s.now));
      entry.panel.update(s, pool, s.positions.get(id));
    }
    for (const [id, entry] of this.panels) {
      if (!seen.has(id)) {
        entry.section.remove();
        this.panels.delete(id);
      }
    }
    this.poolsEl.querySelector(":scope > p.muted")?.remove();
    this.tick();
  }

  private tick(): void {
    if (!this.snapshot) return;
    const now = clusterNow(this.snapshot);
    this.clock.textContent = `cluster time ${new Date(now * 1000).toISOString().replace("T", " ").slice(0, 19)} UTC`;
    for (const { panel } of this.panels.values()) panel.tick(now);
  }

  private async act(action: Action, pool: PoolView, arg?: bigint): Promise<void> {
    const s = this.snapshot;
    const signer = this.signer;
    const position = s?.positions.get(pool.address.toBase58());
    if (!s || !signer || !position) return;
    fill(this.alert);
    const what = {
      stake: "Staking",
      requestUnstake: "Requesting an unstake",
      cancelUnstake: "Cancelling",
      completeUnstake: "Completing",
      wrap: "Wrapping",
      unwrap: "Unwrapping",
    }[action];
    this.say(`${what}: sign in ${signer.label}…`);
    try {
      const ixs = await buildInstructions(this.chain, action, pool, s.protocol, signer.publicKey, position.tokenAccount, arg);
      const signature = await signAndSend(this.chain, signer, ixs);
      const amount =
        arg === undefined
          ? ""
          : action === "stake"
            ? ` ${formatAmount(arg, pool.decimals)}`
            : action === "wrap"
              ? ` ${arg} shares into receipt tokens`
              : action === "unwrap"
                ? ` ${arg} receipt tokens into shares`
                : "";
      this.say(`${DONE[action]}${amount}. Transaction ${signature}.`);
    } catch (e) {
      this.say("");
      this.fail(e, what);
    }
    await this.refresh(true);
  }
}

const root = document.getElementById("app")!;
try {
  void new App(root, rpcUrl(window.location)).start();
} catch (e) {
  document.body.dataset.state = "error";
  fill(root, h("h1", {}, "Backstop staking"), h("p", { role: "alert" }, (e as Error).message));
}
