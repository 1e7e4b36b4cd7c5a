// Pricing: the snapshot in use, where its prices come from, every unverified one, and a
// refresh from the AWS Price List that ends with what changed, as `ladderwise pricing diff`
// says it.

import { $, button, el } from "./dom.js";
import { docName } from "./documents.js";
import { evaluateDoc } from "./edits.js";
import * as ipc from "./ipc.js";
import { activeDoc, hooks, startup, state } from "./state.js";

const refresh = { open: false, running: false, progress: "", diff: "", typed: new Map<string, string>() };

function input(id: string, value: string, placeholder = ""): HTMLInputElement {
  const i = el("input", { type: "text", id, placeholder, spellcheck: "false", autocomplete: "off" });
  i.value = refresh.typed.get(id) ?? value;
  i.addEventListener("input", () => refresh.typed.set(id, i.value));
  return i;
}

function refreshForm(): HTMLElement {
  const start = button("Start refresh", () => void run(), { class: "primary", id: "refresh-start" });
  const cancel = button("Cancel", () => void ipc.cancelPull("prices"), { id: "refresh-cancel" });
  start.disabled = refresh.running;
  cancel.disabled = !refresh.running;
  return el(
    "div",
    { class: "pull-form", id: "refresh-form" },
    el("label", {}, "Prices of the Region"),
    input("refresh-region", "us-east-1"),
    el("label", {}, "AWS profile"),
    input("refresh-profile", "", "the SDK's default chain"),
    el("label", {}, "Endpoint URL"),
    input("refresh-endpoint", startup().endpoints.pricing ?? "", "AWS's own"),
    el("div", { class: "buttons" }, start, cancel, el("span", { class: "progress", id: "refresh-progress" }, refresh.progress)),
  );
}

async function run(): Promise<void> {
  const value = (id: string) => ($(id) as HTMLInputElement).value;
  const scenarios = state.docs.filter((d) => state.views.get(d.slot)?.valid).map((d) => ({ label: docName(d), text: d.text }));
  refresh.running = true;
  refresh.progress = "starting\u2026";
  refresh.diff = "";
  renderPricing();
  const stop = await ipc.onPullProgress((p) => {
    if (p.job !== "prices") return;
    refresh.progress = p.message;
    const line = document.getElementById("refresh-progress");
    if (line) line.textContent = p.message;
  });
  try {
    const done = await ipc.refreshPrices({ region: value("refresh-region"), profile: value("refresh-profile"), endpoint_url: value("refresh-endpoint") || null, scenarios });
    startup().pricing = done.pricing;
    refresh.diff = done.diff;
    hooks.notify(`snapshot ${done.pricing.id} is now current${done.carried.length ? `; ${done.carried.length} price(s) carried over from the previous one` : ""}`, false);
    // Every open scenario is priced again with the new snapshot.
    for (const d of state.docs) await evaluateDoc(d);
  } catch (e) {
    hooks.notify(ipc.errorText(e), true);
  } finally {
    stop();
    refresh.running = false;
    refresh.progress = "";
  }
  hooks.render();
}

export function renderPricing(): void {
  const p = startup().pricing;
  const warnings = state.views.get(activeDoc().slot)?.good?.estimate.warnings ?? [];
  $("view-pricing").replaceChildren(
    el("h2", {}, "Prices in use"),
    el(
      "dl",
      { class: "facts" },
      el("div", { class: "fact" }, el("dt", {}, "Snapshot"), el("dd", { id: "snapshot-id" }, p.id)),
      el("div", { class: "fact" }, el("dt", {}, "Assembled"), el("dd", {}, p.created)),
      el("div", { class: "fact" }, el("dt", {}, "Read from"), el("dd", {}, p.origin)),
    ),
    el("p", {}, p.description),
    p.fallback ? el("p", { class: "bad" }, `The chosen snapshot could not be used, so the shipped one is: ${p.fallback}`) : "",
    el(
      "div",
      { class: "usage-actions" },
      button("Refresh prices\u2026", () => {
        refresh.open = !refresh.open;
        renderPricing();
      }, { id: "refresh-open" }),
      el("span", { class: "muted" }, "Pulls today's prices from the AWS Price List into a new snapshot, which the CLI uses too (`ladderwise pricing refresh`)."),
    ),
    refresh.open ? refreshForm() : "",
    refresh.diff ? el("pre", { class: "report", id: "price-diff" }, refresh.diff) : "",
    el(
      "table",
      { class: "lines" },
      el("thead", {}, el("tr", {}, el("th", {}, "Service"), el("th", {}, "Records"), el("th", {}, "Where the prices come from"))),
      el("tbody", {}, ...p.services.map((s) => el("tr", {}, el("th", {}, s.service_code), el("td", { class: "qty" }, String(s.records)), el("td", {}, s.by_status.map(([k, n]) => `${n} ${k}`).join(", "))))),
    ),
    el("h3", {}, `Unverified prices to confirm (${p.unverified.length})`),
    // The table counts a record by its own source; this list also names a record carried
    // over from an earlier snapshot, or one with a later volume band no source confirms.
    el("p", { class: "muted" }, "Records marked unverified, and those carried over from an earlier snapshot or with a volume band no source confirms; the table above counts each record by its own source."),
    el("ul", { class: "unverified" }, ...p.unverified.map((u) => el("li", {}, u))),
    el("h3", {}, "What this scenario's estimate warns about"),
    warnings.length ? el("ul", {}, ...warnings.map((w) => el("li", {}, w))) : el("p", { class: "muted" }, "Nothing."),
  );
}
