// The connected wallet in one pool: its shares, value and cost basis, a
// pending request with live countdowns to unlock and lapse, its receipt tokens
// (liquid shares) of the pool's current epoch and their value, and the Stake /
// Request unstake / Cancel / Complete / Wrap / Unwrap controls. Built once per pool and updated
// in place, so typed amounts and keyboard focus survive every refresh; a
// one-second tick moves the countdowns and re-checks each button.

import { formatAmount, formatDuration, formatTime, receiptValue, valueOf } from "./amounts";
import type { Action } from "./actions";
import { addr, facts, fill, h, short, uid } from "./dom";
import { programHasError } from "../../ts/client";
import type { PoolView, Position, Snapshot } from "./model";
import {
  cancelVerdict,
  completeVerdict,
  currentShares,
  exitsBlocked,
  hasRequest,
  requestVerdict,
  stakeRequestTimes,
  stakeVerdict,
  unwrapVerdict,
  wrappableShares,
  wrapVerdict,
  type StakerState,
  type Verdict,
} from "./rules";

export type RunAction = (action: Action, pool: PoolView, arg?: bigint) => Promise<void>;

/** A button with its reason line, tied together for screen readers. */
class Control {
  readonly button: HTMLButtonElement;
  readonly reason: HTMLParagraphElement;
  constructor(label: string, onClick: () => void, testid: string) {
    const reasonId = uid("reason");
    this.button = h("button", { type: "button", "aria-describedby": reasonId, "data-testid": testid, onclick: onClick }, label);
    this.reason = h("p", { id: reasonId, class: "reason", "aria-live": "polite" });
  }
  set(v: Verdict, busy: boolean): void {
    this.button.disabled = busy || !v.ok;
    const text = busy ? "Waiting for the transaction…" : v.reason;
    if (this.reason.textContent !== text) this.reason.textContent = text;
    this.reason.classList.toggle("refused", !v.ok && !busy && !v.prompt);
  }
}

export class StakerPanel {
  readonly root: HTMLElement;
  private position = h("div", { class: "position" });
  private request = h("div", { class: "request", "aria-live": "off" });
  private stakeInput: HTMLInputElement;
  private unstakeInput: HTMLInputElement;
  private stakeCtl: Control;
  private requestCtl: Control;
  private cancelCtl: Control;
  private completeCtl: Control;
  private wrapInput: HTMLInputElement;
  private unwrapInput: HTMLInputElement;
  private wrapCtl: Control;
  private unwrapCtl: Control;
  private receiptNote = h("p", { class: "muted small" });
  private unlockEl = h("span", { "data-testid": "unlock-countdown" });
  private lapseEl = h("span", { "data-testid": "lapse-countdown" });
  private state?: StakerState;
  private pool?: PoolView;
  private busy = false;

  constructor(private run: RunAction) {
    const stakeId = uid("stake-amount");
    const unstakeId = uid("unstake-amount");
    this.stakeInput = h("input", { id: stakeId, type: "text", inputmode: "decimal", autocomplete: "off", spellcheck: "false", "data-testid": "stake-amount" });
    this.unstakeInput = h("input", { id: unstakeId, type: "text", inputmode: "decimal", autocomplete: "off", spellcheck: "false", "data-testid": "unstake-amount" });
    this.stakeInput.addEventListener("input", () => this.refreshControls());
    this.unstakeInput.addEventListener("input", () => this.refreshControls());
    this.stakeCtl = new Control("Stake", () => this.act("stake"), "stake-button");
    this.requestCtl = new Control("Request unstake", () => this.act("requestUnstake"), "request-button");
    this.cancelCtl = new Control("Cancel request", () => this.act("cancelUnstake"), "cancel-button");
    this.completeCtl = new Control("Complete unstake", () => this.act("completeUnstake"), "complete-button");
    const wrapId = uid("wrap-shares");
    const unwrapId = uid("unwrap-amount");
    this.wrapInput = h("input", { id: wrapId, type: "text", inputmode: "numeric", autocomplete: "off", spellcheck: "false", "data-testid": "wrap-shares" });
    this.unwrapInput = h("input", { id: unwrapId, type: "text", inputmode: "numeric", autocomplete: "off", spellcheck: "false", "data-testid": "unwrap-amount" });
    this.wrapInput.addEventListener("input", () => this.refreshControls());
    this.unwrapInput.addEventListener("input", () => this.refreshControls());
    this.wrapCtl = new Control("Wrap", () => this.act("wrap"), "wrap-button");
    this.unwrapCtl = new Control("Unwrap", () => this.act("unwrap"), "unwrap-button");
    const allWrap = h("button", { type: "button", class: "secondary", onclick: () => this.fillMax("wrap") }, "All");
    const allUnwrap = h("button", { type: "button", class: "secondary", onclick: () => this.fillMax("unwrap") }, "All");
    allWrap.setAttribute("aria-label", "Fill in every share you can wrap");
    allUnwrap.setAttribute("aria-label", "Fill in all your receipt tokens");
    const maxStake = h("button", { type: "button", class: "secondary", onclick: () => this.fillMax("stake") }, "Max");
    const allUnstake = h("button", { type: "button", class: "secondary", onclick: () => this.fillMax("unstake") }, "All");
    maxStake.setAttribute("aria-label", "Fill in your whole token balance");
    allUnstake.setAttribute("aria-label", "Fill in your whole stake's value");
    this.root = h(
      "div",
      { class: "staker" },
      h("h4", {}, "Your stake"),
      this.position,
      this.request,
      h(
        "form",
        { class: "action", onsubmit: (e: Event) => (e.preventDefault(), this.act("stake")) },
        h("label", { for: stakeId }, "Amount to stake (tokens)"),
        h("div", { class: "row" }, this.stakeInput, maxStake, this.stakeCtl.button),
        this.stakeCtl.reason,
      ),
      h(
        "form",
        { class: "action", onsubmit: (e: Event) => (e.preventDefault(), this.act("requestUnstake")) },
        h("label", { for: unstakeId }, "Value to unstake (tokens)"),
        h("div", { class: "row" }, this.unstakeInput, allUnstake, this.requestCtl.button),
        this.requestCtl.reason,
      ),
      h(
        "div",
        { class: "action pair" },
        h("div", {}, this.cancelCtl.button, this.cancelCtl.reason),
        h("div", {}, this.completeCtl.button, this.completeCtl.reason),
      ),
      h("h5", {}, "Liquid shares (receipt tokens)"),
      this.receiptNote,
      h(
        "form",
        { class: "action", onsubmit: (e: Event) => (e.preventDefault(), this.act("wrap")) },
        h("label", { for: wrapId }, "Shares to wrap into receipt tokens"),
        h("div", { class: "row" }, this.wrapInput, allWrap, this.wrapCtl.button),
        this.wrapCtl.reason,
      ),
      h(
        "form",
        { class: "action", onsubmit: (e: Event) => (e.preventDefault(), this.act("unwrap")) },
        h("label", { for: unwrapId }, "Receipt tokens to unwrap into shares"),
        h("div", { class: "row" }, this.unwrapInput, allUnwrap, this.unwrapCtl.button),
        this.unwrapCtl.reason,
      ),
    );
  }

  update(s: Snapshot, pool: PoolView, position: Position | undefined): void {
    this.pool = pool;
    const stake = position?.stake;
    this.state = {
      connected: s.owner !== undefined,
      paused: s.protocol.paused,
      now: s.now,
      decimals: pool.decimals,
      pool: {
        assets: pool.assets,
        totalShares: pool.totalShares,
        epoch: pool.epoch,
        minStake: pool.params.minStake,
        cooldown: pool.params.cooldown,
        window: pool.params.window,
        wrapped: pool.wrapped,
        openRecords: pool.openRecords,
        exitClock: pool.exitClock,
        exitClockRef: pool.exitClockRef,
      },
      stake,
      tokenBalance: position?.tokenBalance,
      receipts: position?.receiptBalance,
      lamports: s.lamports,
      exitClock: { clock: s.protocol.exitClock, ts: s.protocol.exitClockTs },
      vaultShort: programHasError("VaultShortfall") && pool.vaultBalance !== undefined && pool.vaultBalance < pool.assets,
    };
    const d = pool.decimals;
    if (!s.owner || !position) {
      fill(this.position, h("p", { class: "muted" }, "Connect a wallet to see your stake and to stake."));
      fill(this.request);
      fill(this.receiptNote, "One receipt token is one share of the pool's current epoch: it earns and bears losses like a share, and can be sent to anyone.");
    } else {
      const shares = currentShares(this.state);
      const value = valueOf(shares, pool.assets, pool.totalShares);
      const basis = stake?.costBasis ?? 0n;
      const gain = value - basis;
      const receipts = position.receiptBalance ?? 0n;
      const receiptsValue = receiptValue(receipts, pool.epoch, pool);
      fill(
        this.position,
        facts([
          ["Wallet balance", position.tokenBalance === undefined ? "no token account" : formatAmount(position.tokenBalance, d), "wallet-balance"],
          ["Shares", shares.toString(), "stake-shares"],
          ["Value", formatAmount(value, d), "stake-value"],
          ["Cost basis", formatAmount(basis, d), "cost-basis"],
          ["Gain", `${gain >= 0n ? "+" : ""}${formatAmount(gain, d)}`],
          [`Receipt tokens (epoch ${pool.epoch})`, receipts.toString(), "receipt-balance"],
          ["Receipt value", formatAmount(receiptsValue, d), "receipt-value"],
          ["Stake account", stake ? addr(stake.address) : "none yet (the first stake creates it)"],
        ]),
      );
      this.renderRequest();
      fill(
        this.receiptNote,
        `One receipt token is one share of epoch ${pool.epoch}: it earns and bears losses like a share, and can be sent to anyone. `,
        `Its mint is a Token-2022 mint with ${d} decimals` +
          (receipts > 0n ? ` (a wallet shows your ${receipts} receipt tokens as ${formatAmount(receipts, d)}): ` : ": "),
        addr(position.receiptMint),
        ".",
      );
    }
    this.tick(s.now);
  }

  private renderRequest(): void {
    const s = this.state!;
    if (!hasRequest(s)) {
      fill(this.request, h("p", { class: "muted", "data-testid": "no-request" }, "No pending unstake request."));
      return;
    }
    const st = s.stake!;
    const { unlockAt } = stakeRequestTimes(s);
    fill(
      this.request,
      h("h5", {}, "Pending unstake request"),
      facts([
        ["Shares", st.requestShares.toString(), "request-shares"],
        ["Recorded value", formatAmount(st.requestValue, s.decimals), "request-value"],
        ["Requested", formatTime(st.requestTs)],
        ["Unlocks", h("span", {}, formatTime(unlockAt), " — ", this.unlockEl)],
        ["Lapses", st.requestWindow === 0n ? "never (this request has no window)" : this.lapseEl],
      ]),
    );
  }

  /** Moves the countdowns to cluster time `now` and re-checks the controls. */
  tick(now: number): void {
    if (!this.state) return;
    this.state = { ...this.state, now };
    const s = this.state;
    if (hasRequest(s)) {
      // The window runs on the pool's exit clock: while exits are blocked it
      // stands still, and the lapse time moves later with the block.
      const { unlockAt, lapseAt } = stakeRequestTimes(s);
      const n = BigInt(now);
      this.unlockEl.textContent = n < unlockAt ? `in ${formatDuration(unlockAt - n)}` : "unlocked";
      if (lapseAt !== undefined) {
        const left = n < unlockAt ? `${formatDuration(lapseAt - n)} from now` : `in ${formatDuration(lapseAt - n)}`;
        const stopped = exitsBlocked(s) ? " (stopped while exits are blocked: the lapse moves later)" : "";
        this.lapseEl.textContent = n <= lapseAt ? `${formatTime(lapseAt)} — ${left}${stopped}` : "lapsed: cancel and request again";
      }
    }
    this.refreshControls();
  }

  private refreshControls(): void {
    if (!this.state) return;
    const s = this.state;
    this.stakeCtl.set(stakeVerdict(s, this.stakeInput.value), this.busy);
    this.requestCtl.set(requestVerdict(s, this.unstakeInput.value), this.busy);
    this.cancelCtl.set(cancelVerdict(s), this.busy);
    this.completeCtl.set(completeVerdict(s), this.busy);
    this.wrapCtl.set(wrapVerdict(s, this.wrapInput.value), this.busy);
    this.unwrapCtl.set(unwrapVerdict(s, this.unwrapInput.value), this.busy);
  }

  private fillMax(which: "stake" | "unstake" | "wrap" | "unwrap"): void {
    const s = this.state;
    if (!s || !this.pool) return;
    if (which === "stake") {
      this.stakeInput.value = formatAmount(s.tokenBalance ?? 0n, s.decimals, { grouping: false });
    } else if (which === "wrap") {
      this.wrapInput.value = wrappableShares(s).toString();
    } else if (which === "unwrap") {
      this.unwrapInput.value = (s.receipts ?? 0n).toString();
    } else {
      const value = valueOf(currentShares(s), s.pool.assets, s.pool.totalShares);
      this.unstakeInput.value = formatAmount(value, s.decimals, { grouping: false });
    }
    this.refreshControls();
  }

  private async act(action: Action): Promise<void> {
    const s = this.state;
    const pool = this.pool;
    if (!s || !pool || this.busy) return;
    let arg: bigint | undefined;
    if (action === "stake") {
      const v = stakeVerdict(s, this.stakeInput.value);
      if (!v.ok) return;
      arg = v.amount;
    } else if (action === "requestUnstake") {
      const v = requestVerdict(s, this.unstakeInput.value);
      if (!v.ok) return;
      arg = v.shares;
    } else if (action === "wrap") {
      const v = wrapVerdict(s, this.wrapInput.value);
      if (!v.ok) return;
      arg = v.shares;
    } else if (action === "unwrap") {
      const v = unwrapVerdict(s, this.unwrapInput.value);
      if (!v.ok) return;
      arg = v.amount;
    } else if (!(action === "cancelUnstake" ? cancelVerdict(s) : completeVerdict(s)).ok) {
      return;
    }
    this.busy = true;
    this.refreshControls();
    try {
      await this.run(action, pool, arg);
      if (action === "stake") this.stakeInput.value = "";
      if (action === "requestUnstake") this.unstakeInput.value = "";
      if (action === "wrap") this.wrapInput.value = "";
      if (action === "unwrap") this.unwrapInput.value = "";
    } finally {
      this.busy = false;
      this.refreshControls();
    }
  }

  /** For the section heading: "Pool of mint Abcd…wxyz". */
  static title(pool: PoolView): string {
    return `Pool of mint ${short(pool.mint)}`;
  }
}
