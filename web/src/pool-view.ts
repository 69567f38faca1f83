// A pool's public picture: assets, share price, APR, parameters, the markets
// it insures, and the risks a staker should see (open bankruptcies, pending
// payouts, pauses, a short vault). Rebuilt on every read; it holds no inputs.

import { formatAmount, formatBps, formatDuration, formatPercent, formatSharePrice, formatTime, U64_MAX } from "./amounts";
import type { Apr } from "./apr";
import { addr, facts, h } from "./dom";
import { pausedNames, payoutIsExecutable, programHasError } from "../../ts/client";
import type { MarketView, PoolView, ProtocolView } from "./model";

export function aprText(apr: Apr | undefined): { text: string; note: string } {
  if (!apr) return { text: "…", note: "reading the pool's sweeps" };
  if (apr.kind === "estimate") {
    // Say plainly that this is not the 7-day figure, why, and what it is.
    const since = apr.since !== undefined ? `since the pool's first transaction (${formatTime(apr.since)})` : "in this epoch";
    const growth = apr.growth === undefined ? "" : ` Share price ${apr.growth >= 0n ? "+" : ""}${formatPercent(apr.growth)} ${since}${apr.apr !== undefined ? ", annualised (misses resets when the pool emptied)" : ""}.`;
    return {
      text: apr.apr !== undefined ? `≈ ${formatPercent(apr.apr)} (estimate)` : "unavailable",
      note: `No 7-day figure: ${apr.reason}, and it needs RevenueSwept events.${growth}`,
    };
  }
  const basis =
    apr.sweeps === 0
      ? "no sweeps in the last 7 days"
      : `${apr.sweeps} sweep${apr.sweeps === 1 ? "" : "s"} over ${formatDuration(apr.periodSeconds)}`;
  return { text: formatPercent(apr.apr), note: `from RevenueSwept events: ${basis}${apr.truncated ? " (most recent 1,000 transactions)" : ""}` };
}

function capText(m: MarketView, decimals: number): string {
  return m.cap === U64_MAX ? "unlimited" : formatAmount(m.cap, decimals);
}

function marketsTable(pool: PoolView, now: number): HTMLElement {
  if (pool.markets.length === 0) return h("p", { class: "muted" }, "This pool insures no market yet.");
  const d = pool.decimals;
  const rows = pool.markets.map((m) => {
    const left = m.cap === U64_MAX ? "unlimited" : formatAmount(m.cap > m.insuranceUsed ? m.cap - m.insuranceUsed : 0n, d);
    const state = [m.frozen ? "frozen" : "", m.insolvent ? "insolvent" : "", m.isolated ? "isolated" : ""].filter(Boolean).join(", ") || "active";
    const pending = m.pendingCap
      ? h("div", { class: "muted" }, `cap → ${m.pendingCap.value === U64_MAX ? "unlimited" : formatAmount(m.pendingCap.value, d)} in ${formatDuration(m.pendingCap.eta - BigInt(now))}`)
      : null;
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, `#${m.index}`),
      h("td", {}, m.kind, m.exposureMode ? h("div", { class: "muted" }, `${m.exposureMode} exposure`) : null),
      h("td", {}, capText(m, d), pending),
      h("td", {}, formatAmount(m.insuranceUsed, d)),
      h("td", {}, left),
      h("td", {}, state),
    );
  });
  return h(
    "div",
    { class: "table-wrap", tabindex: 0, role: "region", "aria-label": "Markets insured by this pool" },
    h(
      "table",
      {},
      h("caption", {}, "Markets insured by this pool"),
      h("thead", {}, h("tr", {}, ...["Market", "Kind", "Cap", "Insurance used", "Cap left", "State"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, ...rows),
    ),
  );
}

function risksList(pool: PoolView, protocol: ProtocolView, now: number): HTMLElement {
  const d = pool.decimals;
  const items: HTMLElement[] = [];
  for (const b of pool.bankruptcies) {
    const from = b.market.isolated ? "its isolated vault (not this pool)" : "this pool";
    items.push(
      h(
        "li",
        { class: "risk" },
        h("strong", {}, `Open bankruptcy in market #${b.market.index}: `),
        `deficit ${formatAmount(b.deficit, d)}, recorded ${formatTime(b.recordedAt)}; debtor `,
        addr(b.debtor),
        `. Resolving it pays up to the market's cap left from ${from}.`,
      ),
    );
  }
  for (const p of pool.payouts) {
    // The payouts listed are pending and not expired (chain.ts), so only the eta can block them.
    const when = payoutIsExecutable(true, p.eta, BigInt(now))
      ? "executable now by anyone"
      : `executable in ${formatDuration(p.eta - BigInt(now))}`;
    items.push(
      h(
        "li",
        { class: "risk" },
        h("strong", {}, `Pending compensation payout #${p.id}: `),
        `${formatAmount(p.amount, d)} (${when}; capped at the pool's assets). Recipient `,
        addr(p.recipient),
        ".",
      ),
    );
  }
  if (pool.openRecords > 0) {
    const records = pool.openRecords === 1 ? "a bankruptcy record is" : `${pool.openRecords} bankruptcy records are`;
    items.push(
      h(
        "li",
        { class: "risk", "data-testid": "loss-pending" },
        h("strong", {}, "Exits wait for a recorded loss: "),
        `${records} open on a market this pool insures, so completing an unstake is refused (LossPending) until it is resolved. ` +
          "Anyone can resolve it (resolve_bankruptcy); meanwhile the unstake window's clock stands still, so no request lapses while it waits.",
      ),
    );
  }
  if (pool.vaultBalance !== undefined && pool.vaultBalance < pool.assets) {
    const refused = programHasError("VaultShortfall") ? " Every instruction of this pool but sync_vault is refused until it is synced." : "";
    items.push(
      h("li", { class: "risk" }, h("strong", {}, "Vault short: "), `the vault holds ${formatAmount(pool.vaultBalance, d)}, less than the pool's assets.${refused}`),
    );
  }
  const paused = pausedNames(protocol.paused);
  if (paused.length > 0) {
    items.push(h("li", { class: "risk" }, h("strong", {}, "Paused by governance: "), paused.join(", "), "."));
  }
  if (pool.allowPermanentDelegate) {
    items.push(
      h("li", { class: "risk" }, h("strong", {}, "Permanent delegate allowed: "), "the mint's permanent delegate can take tokens from the vault (a loss to stakers)."),
    );
  }
  if (pool.allowTransferHook) {
    items.push(
      h("li", { class: "risk" }, h("strong", {}, "Transfer hook allowed: "), "the mint's issuer can set a hook program that decides whether transfers in and out of the fund go through."),
    );
  }
  if (items.length === 0) return h("p", { class: "ok" }, "No open bankruptcy records, no pending payouts, nothing paused.");
  return h("ul", { class: "risks" }, ...items);
}

/** What a pending parameter change changes, and when it takes effect. */
function pendingParamsText(pool: PoolView, now: number): string {
  const { value: next, eta } = pool.pendingParams!;
  const p = pool.params;
  const d = pool.decimals;
  const changes = [
    p.cooldown !== next.cooldown ? `cooldown → ${formatDuration(next.cooldown)}` : "",
    p.window !== next.window ? `window → ${next.window === 0n ? "no limit" : formatDuration(next.window)}` : "",
    p.sweepInterval !== next.sweepInterval ? `sweep interval → ${formatDuration(next.sweepInterval)}` : "",
    p.maxAprBps !== next.maxAprBps ? `APR cap → ${next.maxAprBps === 0n ? "uncapped" : formatBps(next.maxAprBps)}` : "",
    p.protocolCutBps !== next.protocolCutBps ? `protocol cut → ${formatBps(next.protocolCutBps)}` : "",
    p.minStake !== next.minStake ? `minimum stake → ${formatAmount(next.minStake, d)}` : "",
  ].filter(Boolean);
  const what = changes.length > 0 ? changes.join(", ") : "the same values";
  // A pending request keeps the cooldown and window it was made with.
  return `${what}; takes effect in ${formatDuration(eta - BigInt(now))} (for later requests)`;
}

/** The pool's section body (everything but the staker panel). */
export function poolOverview(pool: PoolView, protocol: ProtocolView, apr: Apr | undefined, now: number): HTMLElement {
  const d = pool.decimals;
  const p = pool.params;
  const a = aprText(apr);
  const rows: [string, Node | string, string?][] = [
    ["Assets", formatAmount(pool.assets, d), "pool-assets"],
    ["Share price", `${formatSharePrice(pool.assets, pool.totalShares)} per share`, "share-price"],
    ["APR (7 days)", h("span", {}, h("span", { "data-testid": "apr" }, a.text), h("span", { class: "muted block" }, a.note))],
    ["Total shares", pool.totalShares.toString()],
    ["Cooldown", formatDuration(p.cooldown)],
    ["Window to complete", p.window === 0n ? "no limit" : formatDuration(p.window)],
    ["Minimum stake", formatAmount(p.minStake, d)],
    ["Protocol cut", formatBps(p.protocolCutBps)],
    ["Staker APR cap per sweep", p.maxAprBps === 0n ? "uncapped" : formatBps(p.maxAprBps)],
    ["Last sweep", formatTime(pool.lastSweepTs)],
    ["Epoch", String(pool.epoch)],
  ];
  if (pool.pendingParams) rows.push(["Parameter change pending", pendingParamsText(pool, now), "pending-params"]);
  if (pool.revenueBalance !== undefined) rows.push(["Revenue waiting", formatAmount(pool.revenueBalance, d)]);
  if (pool.heldBack !== undefined) rows.push(["Held back by the APR cap", formatAmount(pool.heldBack, d)]);
  return h(
    "div",
    { class: "overview" },
    facts(rows),
    h("h4", {}, "Markets"),
    marketsTable(pool, now),
    h("h4", {}, "Risks"),
    risksList(pool, protocol, now),
  );
}
