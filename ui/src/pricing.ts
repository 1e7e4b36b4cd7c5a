// Pricing: the snapshot in use, where its prices come from, and every unverified one.

import { $, el } from "./dom.js";
import { activeDoc, startup, state } from "./state.js";

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
    el("p", { class: "muted" }, "Refresh prices from the AWS Price List with `ladderwise pricing refresh`; the app uses the snapshot the CLI marks current."),
    el(
      "table",
      { class: "lines" },
      el("thead", {}, el("tr", {}, el("th", {}, "Service"), el("th", {}, "Records"), el("th", {}, "Where the prices come from"))),
      el("tbody", {}, ...p.services.map((s) => el("tr", {}, el("th", {}, s.service_code), el("td", { class: "qty" }, String(s.records)), el("td", {}, s.by_status.map(([k, n]) => `${n} ${k}`).join(", "))))),
    ),
    el("h3", {}, `Unverified prices (${p.unverified.length})`),
    el("ul", { class: "unverified" }, ...p.unverified.map((u) => el("li", {}, u))),
    el("h3", {}, "What this scenario's estimate warns about"),
    warnings.length ? el("ul", {}, ...warnings.map((w) => el("li", {}, w))) : el("p", { class: "muted" }, "Nothing."),
  );
}
