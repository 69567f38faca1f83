// The wallet picker: the dev wallet (only when the node hands one out) and
// every Wallet Standard wallet detected in the browser; once connected, the
// address and a Disconnect button.

import { addr, fill, h } from "./dom";
import type { Signer, WalletOption } from "./wallets";

export class WalletBar {
  readonly root = h("section", { class: "wallets", "aria-labelledby": "wallet-heading" });
  private options: WalletOption[] = [];
  private dev?: WalletOption;
  private signer?: Signer;
  private connecting = false;

  constructor(
    private onConnect: (option: WalletOption) => Promise<void>,
    private onDisconnect: () => Promise<void>,
  ) {
    this.render();
  }

  setStandard(options: WalletOption[]): void {
    this.options = options;
    this.render();
  }

  setDev(option: WalletOption | undefined): void {
    this.dev = option;
    this.render();
  }

  setSigner(signer: Signer | undefined): void {
    this.signer = signer;
    this.render();
  }

  private async pick(option: WalletOption): Promise<void> {
    this.connecting = true;
    this.render();
    try {
      await this.onConnect(option);
    } finally {
      this.connecting = false;
      this.render();
    }
  }

  private render(): void {
    const heading = h("h2", { id: "wallet-heading" }, "Wallet");
    if (this.signer) {
      fill(
        this.root,
        heading,
        h(
          "p",
          { "data-testid": "connected-wallet" },
          `Connected: ${this.signer.label} `,
          addr(this.signer.publicKey),
          " ",
          h("button", { type: "button", class: "secondary", onclick: () => void this.onDisconnect() }, "Disconnect"),
        ),
      );
      return;
    }
    const choices = [...(this.dev ? [this.dev] : []), ...this.options];
    const buttons = choices.map((o) =>
      h(
        "button",
        { type: "button", disabled: this.connecting, onclick: () => void this.pick(o), "data-wallet": o.id },
        o.icon ? h("img", { src: o.icon, alt: "", width: 20, height: 20 }) : null,
        `Connect ${o.name}`,
      ),
    );
    const none =
      choices.length === 0
        ? h(
            "p",
            { class: "muted" },
            "No wallet found. Install a Solana wallet that supports the Wallet Standard (Phantom, Backpack, Solflare) and reload; " +
              "on a local node started with `backstop localnet` the dev wallet appears here.",
          )
        : null;
    fill(this.root, heading, h("div", { class: "wallet-choices" }, ...buttons), none);
  }
}
