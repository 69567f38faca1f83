// The staking page in a real browser (headless Chromium driven by
// playwright-core) against a `backstop localnet` it starts: connect the dev
// wallet, stake, check the value against the Stake account read over RPC,
// request an unstake, advance the cluster clock past the cooldown, complete,
// and check the wallet's token balance; wrap shares into receipt tokens and
// unwrap them back, checking the receipt balance and value against the pool's
// A and S. Saves screenshots to web/screenshots/.
//
//   npm run test:web     (needs target/debug/backstop, or BACKSTOP_BIN; and
//                         /usr/bin/chromium, or CHROMIUM: without it every
//                         test here is SKIPPED, loudly)

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { Keypair, PublicKey, Transaction, sendAndConfirmTransaction } from "@solana/web3.js";
import { createTransferCheckedInstruction } from "@solana/spl-token";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { connect, fetchAccount } from "../../migrations/deploy";
import { pda } from "../../ts/client";
import { formatAmount, formatPercent, valueOf } from "../src/amounts";
import { registerFakeWallet } from "./fake-wallet";
import { freePortPair, nodeServesPage, rpc, startFallbackServer, startNode, type LocalNode } from "./harness";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = process.env.BACKSTOP_BIN ?? join(ROOT, "target/debug/backstop");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const DIST = join(ROOT, "web/dist");
const SHOTS = join(ROOT, "web/screenshots");
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const SKIP = existsSync(CHROMIUM)
  ? undefined
  : `Chromium not found at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM)`;
if (SKIP) console.log(`\nSKIPPED: the staking page's browser test did not run. ${SKIP}\n`);

const STAKE = "1250.5";
const dir = mkdtempSync(join(tmpdir(), "backstop-web-"));
const admin = Keypair.generate();
const adminPath = join(dir, "admin.json");
writeFileSync(adminPath, JSON.stringify(Array.from(admin.secretKey)));

let node: LocalNode | undefined;
let fallback: Server | undefined;
let context: BrowserContext | undefined;
let page: Page;
let pool: Locator;
let mint: PublicKey;
/** The host's settlement token account of market #0 (created by the LossPending test). */
let hostSettlement: string | undefined;
const problems: string[] = [];

async function shot(name: string): Promise<void> {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

/** Waits for the page to finish one more read of the cluster. */
async function nextRead(before: string | null): Promise<void> {
  await page.waitForFunction(
    (n) => document.body.dataset.state === "ready" && document.body.dataset.reads !== n,
    before,
    { timeout: 30_000 },
  );
}

async function reads(): Promise<string | null> {
  return page.evaluate(() => document.body.dataset.reads ?? null);
}

async function enabled(testid: string): Promise<void> {
  await page.waitForFunction(
    ([mintKey, id]) => {
      const b = document.querySelector(`section[data-mint="${mintKey}"] [data-testid="${id}"]`) as HTMLButtonElement | null;
      return b !== null && !b.disabled;
    },
    [mint.toBase58(), testid] as const,
    { timeout: 30_000 },
  );
}

async function text(testid: string): Promise<string> {
  return (await pool.locator(`[data-testid="${testid}"]`).first().innerText()).trim();
}

/** The reason shown under a button (its aria-describedby). */
async function reasonOf(testid: string): Promise<string> {
  const id = await pool.getByTestId(testid).getAttribute("aria-describedby");
  return (await page.locator(`#${id}`).innerText()).trim();
}

/** The status line after an action, or the refusal shown instead. */
async function outcome(expected: RegExp): Promise<void> {
  const status = page.getByTestId("status");
  const alert = page.getByTestId("alert");
  await page.waitForFunction(
    (re) => new RegExp(re).test(document.querySelector('[data-testid="status"]')?.textContent ?? "") ||
      (document.querySelector('[data-testid="alert"]')?.textContent ?? "") !== "",
    expected.source,
    { timeout: 60_000 },
  );
  const refused = await alert.innerText();
  assert.equal(refused, "", `the page shows a refusal: ${refused}`);
  assert.match(await status.innerText(), expected);
}

before(async () => {
  if (SKIP) return;
  execFileSync(process.execPath, [join(ROOT, "web/build.mjs")], { cwd: ROOT, stdio: "inherit" });
  const port = await freePortPair();
  node = await startNode(BIN, port, adminPath, { ...process.env, BACKSTOP_WEB_DIR: DIST });
  mint = new PublicKey(node.demoMint);
  let pageUrl = `${node.url}/`;
  if (!(await nodeServesPage(node.url))) {
    // A binary from before the page existed: serve it ourselves (same origin
    // as its RPC, through a proxy that also stands in for backstop_devWallet).
    const served = await startFallbackServer(DIST, node.url, adminPath);
    fallback = served.server;
    pageUrl = `${served.url}/`;
    console.log(`NOTE: ${BIN} does not serve the page or answer backstop_devWallet; using a test server at ${pageUrl}`);
  } else {
    const dev = await rpc(node.url, "backstop_devWallet");
    assert.deepEqual(dev.result, Array.from(admin.secretKey), "backstop_devWallet answers the --keypair's secret key");
  }
  mkdirSync(SHOTS, { recursive: true });
  context = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  await page.goto(pageUrl);
  await page.waitForFunction(() => document.body.dataset.state === "ready", undefined, { timeout: 60_000 });
  pool = page.locator(`section[data-mint="${mint.toBase58()}"]`);
});

after(async () => {
  await context?.close().catch(() => undefined);
  fallback?.close();
  node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("the page loads from the node with nothing from the network, and shows the demo pool", { skip: SKIP }, async () => {
  await pool.waitFor();
  assert.equal(await text("pool-assets"), "0");
  assert.match(await text("share-price"), /^1\.000000000 per share$/);
  // The local node's logs carry the program's events, so the APR is the
  // 7-day figure from RevenueSwept events (no sweep yet), not an estimate.
  assert.equal(await text("apr"), formatPercent(0n));
  assert.match(await pool.getByText(/RevenueSwept events/).innerText(), /^from RevenueSwept events: no sweeps in the last 7 days$/);
  // Every request the page made went to its own origin (no CDN).
  const origin = new URL(page.url()).origin;
  const external = await page.evaluate(
    (o) => performance.getEntriesByType("resource").map((e) => e.name).filter((n) => !n.startsWith(o)),
    origin,
  );
  assert.deepEqual(external, []);
  await shot("1-loaded");
});

test("connect the dev wallet and stake", { skip: SKIP }, async () => {
  await page.getByRole("button", { name: /Connect Dev wallet/ }).click();
  await page.getByTestId("connected-wallet").waitFor();
  await pool.getByTestId("wallet-balance").waitFor();
  assert.equal(await text("wallet-balance"), "1,000,000");
  assert.match(await page.getByTestId("connected-wallet").innerText(), new RegExp(admin.publicKey.toBase58().slice(0, 4)));
  assert.equal(await pool.getByTestId("complete-button").isDisabled(), true);
  assert.match(await reasonOf("complete-button"), /NoPendingRequest/);
  assert.match(await reasonOf("stake-button"), /Enter an amount/);
  await pool.getByLabel("Amount to stake (tokens)").fill(STAKE);
  await enabled("stake-button");
  const n = await reads();
  await pool.getByTestId("stake-button").click();
  await outcome(/^Staked 1,250\.5\. Transaction \w+\.$/);
  await nextRead(n);
  await shot("2-staked");
});

test("the value shown is the Stake account's, read over RPC", { skip: SKIP }, async () => {
  const program = connect(node!.url, admin);
  const poolKey = pda.pool(mint);
  const stake = await fetchAccount(program, "stake", pda.stake(poolKey, admin.publicKey));
  const p = await fetchAccount(program, "pool", poolKey);
  const shares = BigInt(stake.shares.toString());
  const value = valueOf(shares, BigInt(p.assets.toString()), BigInt(p.totalShares.toString()));
  assert.equal(value, 1_250_500_000n);
  assert.equal(await text("stake-shares"), shares.toString());
  assert.equal(await text("stake-value"), formatAmount(value, 6));
  assert.equal(await text("cost-basis"), formatAmount(BigInt(stake.costBasis.toString()), 6));
  assert.equal(await text("pool-assets"), formatAmount(BigInt(p.assets.toString()), 6));
  assert.equal(await text("wallet-balance"), "998,749.5");
});

test("request an unstake: a live countdown, Complete disabled with its reason", { skip: SKIP }, async () => {
  await pool.getByRole("button", { name: "Fill in your whole stake's value" }).click();
  await enabled("request-button");
  const n = await reads();
  await pool.getByTestId("request-button").click();
  await outcome(/^Unstake requested\. Transaction \w+\.$/);
  await nextRead(n);
  assert.equal(await text("request-value"), "1,250.5");
  const first = await text("unlock-countdown");
  assert.match(first, /^in \d+ d \d+ h \d+ min$|^in .* s$/);
  assert.match(await reasonOf("complete-button"), /In cooldown: unlocks in .*\(CooldownNotElapsed\)/);
  assert.match(await reasonOf("stake-button"), /RequestPending/);
  assert.equal(await pool.getByTestId("cancel-button").isEnabled(), true);
  await shot("3-requested");
});

test("advance the clock past the cooldown and complete: the tokens are back", { skip: SKIP }, async () => {
  const program = connect(node!.url, admin);
  const p = await fetchAccount(program, "pool", pda.pool(mint));
  const cooldown = Number(p.params.cooldown.toString());
  const advanced = await rpc(node!.url, "backstop_advanceClock", [cooldown + 1]);
  assert.ok(advanced.result?.unixTimestamp, `backstop_advanceClock: ${JSON.stringify(advanced)}`);
  const n = await reads();
  await page.getByRole("button", { name: "Refresh" }).click();
  await nextRead(n);
  await enabled("complete-button");
  assert.equal(await text("unlock-countdown"), "unlocked");
  const ata = pda.tokenAccount(admin.publicKey, mint);
  const before = BigInt((await rpc(node!.url, "getTokenAccountBalance", [ata.toBase58()])).result.value.amount);
  const m = await reads();
  await pool.getByTestId("complete-button").click();
  await outcome(/^Unstake completed\. Transaction \w+\.$/);
  await nextRead(m);
  console.log(`APR shown: ${await text("apr")} — ${await pool.locator(".facts .block").first().innerText()}`);
  const after = BigInt((await rpc(node!.url, "getTokenAccountBalance", [ata.toBase58()])).result.value.amount);
  assert.equal(after - before, 1_250_500_000n, "the recorded value is paid to the wallet");
  assert.equal(after, 1_000_000_000_000n, "the wallet holds its 1,000,000 demo tokens again");
  assert.equal(await text("wallet-balance"), "1,000,000");
  assert.equal(await text("stake-shares"), "0");
  await pool.getByTestId("no-request").waitFor();
  await shot("4-completed");
});

test("keyboard: labelled controls, visible focus, a stake from the keyboard", { skip: SKIP }, async () => {
  const unlabelled = await page.evaluate(() => {
    const bad: string[] = [];
    for (const el of Array.from(document.querySelectorAll("input"))) if (el.labels?.length === 0 && !el.getAttribute("aria-label")) bad.push(el.outerHTML);
    for (const el of Array.from(document.querySelectorAll("button"))) if (!(el.getAttribute("aria-label") || el.textContent?.trim())) bad.push(el.outerHTML);
    return bad;
  });
  assert.deepEqual(unlabelled, [], "every control has a label");
  // Tab reaches the stake amount, and its focus ring is drawn.
  await page.keyboard.press("Tab");
  let focused = "";
  for (let i = 0; i < 40 && focused !== "stake-amount"; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? "");
  }
  assert.equal(focused, "stake-amount", "the stake amount is reachable with Tab");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  assert.notEqual(outline, "none", "focus is visible");
  await page.keyboard.type("10");
  await page.keyboard.press("Enter"); // submits the stake form from the keyboard
  await outcome(/^Staked 10\. Transaction \w+\.$/);
});

/** Runs the node binary's CLI against the node, as the admin (the --keypair). */
function cli(...args: string[]): any {
  const out = execFileSync(BIN, [...args, "--url", node!.url, "--keypair", adminPath, "--json"], { encoding: "utf8" });
  return JSON.parse(out);
}

test("a recorded loss on the pool: Complete waits for it (LossPending), and the window with it", { skip: SKIP }, async () => {
  // A request on the 10 staked from the keyboard (once the page has read them), past its cooldown.
  await page.waitForFunction(
    (mintKey) => /^[1-9]/.test(document.querySelector(`section[data-mint="${mintKey}"] [data-testid="stake-value"]`)?.textContent ?? ""),
    mint.toBase58(),
    { timeout: 30_000 },
  );
  assert.equal(await text("stake-value"), "10");
  await pool.getByRole("button", { name: "Fill in your whole stake's value" }).click();
  await enabled("request-button");
  let n = await reads();
  await pool.getByTestId("request-button").click();
  await outcome(/^Unstake requested\. Transaction \w+\.$/);
  await nextRead(n);
  const program = connect(node!.url, admin);
  const p = await fetchAccount(program, "pool", pda.pool(mint));
  assert.equal(p.openRecords, 0);
  await rpc(node!.url, "backstop_advanceClock", [Number(p.params.cooldown.toString()) + 1]);
  // A bankruptcy recorded on a market this pool insures.
  const host = Keypair.generate().publicKey.toBase58();
  const settlement = cli("token", "mint", "--mint", mint.toBase58(), "--to", host).account as string;
  cli("gov", "create-market", "--kind", "lending", "--mint", mint.toBase58(), "--operator", admin.publicKey.toBase58(), "--settlement", settlement, "--cap", "500");
  cli("operator", "bankrupt", "--market", "0", "--debtor", host, "--amount", "1500");
  assert.equal((await fetchAccount(program, "pool", pda.pool(mint))).openRecords, 1);
  n = await reads();
  await page.getByRole("button", { name: "Refresh" }).click();
  await nextRead(n);
  assert.equal(await text("unlock-countdown"), "unlocked");
  assert.equal(await pool.getByTestId("complete-button").isDisabled(), true);
  assert.match(await reasonOf("complete-button"), /exits wait until the loss is resolved \(LossPending\)/);
  assert.match(await text("loss-pending"), /^Exits wait for a recorded loss: a bankruptcy record is open/);
  assert.match(await text("lapse-countdown"), /stopped while exits are blocked/);
  await shot("5-loss-pending");
  // Cancelling is never refused.
  n = await reads();
  await pool.getByTestId("cancel-button").click();
  await outcome(/^Request cancelled\. Transaction \w+\.$/);
  await nextRead(n);
  await pool.getByTestId("no-request").waitFor();
  hostSettlement = settlement;
});

test("markets, open bankruptcies, pending payouts and pauses are shown as risks; the layout holds at 390 px", { skip: SKIP }, async () => {
  assert.ok(hostSettlement, "the previous test created market #0 and its settlement account");
  cli("gov", "propose-payout", "--mint", mint.toBase58(), "--recipient", hostSettlement, "--amount", "2");
  cli("gov", "pause", "--ops", "request_unstake");
  const n = await reads();
  await page.getByRole("button", { name: "Refresh" }).click();
  await nextRead(n);
  const row = pool.locator("table tbody tr").first();
  assert.deepEqual(
    (await row.locator("th, td").allInnerTexts()).map((t) => t.trim()),
    ["#0", "lending\naccounts exposure", "500", "0", "500", "active"],
  );
  const risks = await pool.locator(".risks").innerText();
  assert.match(risks, /Open bankruptcy in market #0: deficit 1,500/);
  assert.match(risks, /Pending compensation payout #0: 2 \(executable now by anyone/);
  assert.match(risks, /Paused by governance: REQUEST_UNSTAKE/);
  assert.match(await reasonOf("request-button"), /paused by governance \(pause flag REQUEST_UNSTAKE\): OperationPaused/);
  await shot("6-risks");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at 390 px`);
  await shot("7-mobile-390px");
  assert.deepEqual(problems, [], "no page errors, console errors or failed requests");
  assert.equal(await page.getByTestId("read-error").innerText(), "", "every read of the cluster succeeded");
});

test("a static copy hosted elsewhere reads the node with ?rpc=, offers no dev wallet, and stakes with a Wallet Standard wallet", { skip: SKIP }, async (t) => {
  if (fallback) return t.skip("this node binary predates the page (no CORS)");
  // Another origin: the node answers its JSON-RPC (CORS) but keeps its key.
  const other = await startFallbackServer(DIST, node!.url, adminPath);
  try {
    const copy = await context!.newPage();
    copy.on("pageerror", (e) => problems.push(`page error (static copy): ${e.message}`));
    await registerFakeWallet(copy, admin);
    await copy.goto(`${other.url}/?rpc=${encodeURIComponent(node!.url)}`);
    await copy.waitForFunction(() => document.body.dataset.state === "ready", undefined, { timeout: 60_000 });
    assert.equal(await copy.getByTestId("rpc-url").innerText(), node!.url);
    await copy.locator(`section[data-mint="${mint.toBase58()}"]`).waitFor();
    assert.equal(await copy.getByRole("button", { name: /Connect Dev wallet/ }).count(), 0);
    // A Wallet Standard wallet is detected, connects and signs a stake.
    await copy.getByRole("button", { name: "Connect Test Wallet" }).click();
    const section = copy.locator(`section[data-mint="${mint.toBase58()}"]`);
    await section.getByTestId("wallet-balance").waitFor();
    await section.getByLabel("Amount to stake (tokens)").fill("1");
    await section.getByTestId("stake-button").click();
    await copy.waitForFunction(() => /^Staked 1\. Transaction/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ""), undefined, { timeout: 60_000 });
    assert.equal(await copy.getByTestId("alert").innerText(), "");
    assert.deepEqual(problems, []);
    await copy.close();
  } finally {
    other.server.close();
  }
});

test("wrap shares into receipt tokens and unwrap them back, from the keyboard: balance and value are the program's", { skip: SKIP }, async () => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const program = connect(node!.url, admin);
  const poolKey = pda.pool(mint);
  const readPool = async () => {
    const p = await fetchAccount(program, "pool", poolKey);
    return { assets: BigInt(p.assets.toString()), totalShares: BigInt(p.totalShares.toString()), wrapped: BigInt(p.wrapped.toString()), epoch: Number(p.epoch), p };
  };
  const readShares = async () => BigInt((await fetchAccount(program, "stake", pda.stake(poolKey, admin.publicKey))).shares.toString());

  // A share price other than 1, so that rounding shows: a donation to the
  // vault, moved to revenue (sync) and swept into the fund an hour later.
  const { p: p0 } = await readPool();
  const ata = pda.tokenAccount(admin.publicKey, mint);
  const donation = createTransferCheckedInstruction(ata, mint, p0.vault, admin.publicKey, 7_777_777n, 6);
  await sendAndConfirmTransaction(program.provider.connection, new Transaction().add(donation), [admin]);
  cli("sync", "--mint", mint.toBase58());
  await rpc(node!.url, "backstop_advanceClock", [Number(p0.params.sweepInterval.toString()) + 1]);
  cli("sweep", "--mint", mint.toBase58());
  let n = await reads();
  await page.getByRole("button", { name: "Refresh" }).click();
  await nextRead(n);

  // Stake from the page.
  await pool.getByLabel("Amount to stake (tokens)").fill("250.25");
  await enabled("stake-button");
  n = await reads();
  await pool.getByTestId("stake-button").click();
  await outcome(/^Staked 250\.25\. Transaction \w+\.$/);
  await nextRead(n);
  const sharesBefore = await readShares();
  assert.equal(await text("stake-shares"), sharesBefore.toString());
  assert.equal(await text("receipt-balance"), "0");
  assert.equal(await text("receipt-value"), "0");

  // N shares whose value n·A/S is not a whole number of base units.
  const before = await readPool();
  assert.notEqual(before.assets, before.totalShares, "the sweep moved the share price off 1");
  let wrap = sharesBefore / 3n;
  while ((wrap * before.assets) % before.totalShares === 0n) wrap -= 1n;
  // From the keyboard: type the shares, Enter submits the wrap form.
  await pool.getByLabel("Shares to wrap into receipt tokens").focus();
  await page.keyboard.type(wrap.toString());
  await enabled("wrap-button");
  assert.match(await reasonOf("wrap-button"), new RegExp(`^Mints ${wrap} receipt tokens of epoch ${before.epoch} `));
  // The bankruptcy recorded earlier is still open: wrap goes, and says the receipts bear it.
  assert.equal(before.p.openRecords, 1);
  assert.match(await reasonOf("wrap-button"), /recorded loss is pending on this pool \(LossPending\): the receipts bear it/);
  n = await reads();
  await page.keyboard.press("Enter");
  await outcome(new RegExp(`^Wrapped ${wrap} shares into receipt tokens\\. Transaction \\w+\\.$`));
  await nextRead(n);

  // The chain: the stake's shares fell by N, the pool's wrapped rose by N, and
  // the receipts (read by the CLI, with the Rust client's PDAs and receipt_value).
  const wrapped = await readPool();
  assert.equal(await readShares(), sharesBefore - wrap);
  assert.equal(wrapped.wrapped, before.wrapped + wrap);
  const expectedValue = (wrap * wrapped.assets) / wrapped.totalShares; // ⌊n·A/S⌋
  const status = cli("status", "--mint", mint.toBase58());
  assert.equal(BigInt(status.receipts), wrap);
  assert.equal(BigInt(status.receipts_value), expectedValue);
  // The page's derivation (ts/client) agrees with the Rust client's.
  assert.equal(status.receipt_mint, pda.receiptMint(poolKey, wrapped.epoch).toBase58());
  // The page: the same exact numbers, and the receipt mint it names.
  assert.equal(await text("receipt-balance"), wrap.toString());
  assert.equal(await text("receipt-value"), formatAmount(expectedValue, 6));
  assert.equal(await text("stake-shares"), (sharesBefore - wrap).toString());
  assert.equal(await pool.locator(`code[title="${status.receipt_mint}"]`).count(), 1, "the page names the receipt mint");
  await shot("8-wrapped");

  // Unwrap them all, from the keyboard: All fills the receipt balance, Tab
  // moves to Unwrap, Enter presses it.
  await pool.getByRole("button", { name: "Fill in all your receipt tokens" }).focus();
  await page.keyboard.press("Enter");
  assert.equal(await pool.getByTestId("unwrap-amount").inputValue(), wrap.toString());
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "unwrap-button");
  n = await reads();
  await page.keyboard.press("Enter");
  await outcome(new RegExp(`^Unwrapped ${wrap} receipt tokens into shares\\. Transaction \\w+\\.$`));
  await nextRead(n);
  assert.equal(await readShares(), sharesBefore);
  assert.equal((await readPool()).wrapped, before.wrapped);
  assert.equal(BigInt(cli("status", "--mint", mint.toBase58()).receipts), 0n);
  assert.equal(await text("receipt-balance"), "0");
  assert.equal(await text("receipt-value"), "0");
  assert.equal(await text("stake-shares"), sharesBefore.toString());
  await shot("9-unwrapped");

  // Shares in a pending request cannot be wrapped: the button says so (SharesInRequest).
  cli("gov", "unpause", "--ops", "request_unstake");
  await pool.getByRole("button", { name: "Fill in your whole stake's value" }).click();
  await enabled("request-button");
  n = await reads();
  await pool.getByTestId("request-button").click();
  await outcome(/^Unstake requested\. Transaction \w+\.$/);
  await nextRead(n);
  assert.equal(await pool.getByTestId("wrap-button").isDisabled(), true);
  assert.match(await reasonOf("wrap-button"), /All your shares are in your pending unstake request.*\(SharesInRequest\)/);
  await shot("10-wrap-shares-in-request");
  n = await reads();
  await pool.getByTestId("cancel-button").click();
  await outcome(/^Request cancelled\. Transaction \w+\.$/);
  await nextRead(n);
  assert.deepEqual(problems, [], "no page errors, console errors or failed requests");
});
