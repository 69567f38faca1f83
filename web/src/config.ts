// Which cluster the page talks to: `?rpc=URL`, else the origin it is served
// from (`backstop localnet` serves the page and its JSON-RPC on one port).

export function rpcUrl(location: Location): string {
  const given = new URLSearchParams(location.search).get("rpc");
  if (given) {
    try {
      return new URL(given).toString().replace(/\/$/, "");
    } catch {
      throw new Error(`?rpc=${given} is not a URL (example: ?rpc=http://127.0.0.1:8899)`);
    }
  }
  if (location.protocol === "file:") {
    throw new Error("opened from a file: add ?rpc=URL, e.g. index.html?rpc=http://127.0.0.1:8899");
  }
  return location.origin;
}

/** How often the page re-reads the cluster (a click on Refresh reads at once). */
export const REFRESH_MS = 10_000;
/** How often the APR is recomputed (it reads transactions, so less often). */
export const APR_REFRESH_MS = 60_000;
