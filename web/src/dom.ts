// A small element builder: the page is plain DOM, so every control is a real
// <button>/<input> with a <label>, reachable from the keyboard.

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A definition list of label → value rows (values may be nodes). */
export function facts(rows: [string, Child, string?][]): HTMLDListElement {
  return h(
    "dl",
    { class: "facts" },
    ...rows.flatMap(([label, value, testid]) => [
      h("dt", {}, label),
      h("dd", testid ? { "data-testid": testid } : {}, value),
    ]),
  );
}

export function short(address: { toBase58(): string }): string {
  const s = address.toBase58();
  return `${s.slice(0, 4)}…${s.slice(-4)}`;
}

/** An address shown short, with the full one in its title and for screen readers. */
export function addr(address: { toBase58(): string }): HTMLElement {
  const full = address.toBase58();
  return h("code", { title: full, "aria-label": full, class: "addr" }, short(address));
}

let ids = 0;
export function uid(prefix: string): string {
  ids += 1;
  return `${prefix}-${ids}`;
}
