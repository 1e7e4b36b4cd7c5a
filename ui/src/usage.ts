// Usage & Actuals: the monthly drivers of the usage store, the bill per service, the open
// scenario against a month of the bill, "Calibrate from last month", and the pulls and
// imports that fill the stores. Every number comes from the engine; this only lays it out.

import type { UsageOverview } from "./bindings/UsageOverview.js";
import type { VarianceView } from "./bindings/VarianceView.js";
import { $, button, el } from "./dom.js";
import { docName } from "./documents.js";
import { openCalibrated } from "./files.js";
import { money, percent, quantity, signedMoney } from "./format.js";
import * as ipc from "./ipc.js";
import { activeDoc, hooks, labelOf, startup } from "./state.js";

const view = {
  overview: null as UsageOverview | null,
  month: "",
  variance: null as VarianceView | null,
  varianceError: "",
  pullOpen: false,
  pulling: false,
  progress: "",
  report: "",
  error: "",
  /** The text the variance was computed for, and what was typed in the pull form. */
  pricedText: "",
  typed: new Map<string, string>(),
};

/** Reads both stores again and redraws the view. */
export async function refreshUsage(): Promise<void> {
  try {
    view.overview = await ipc.usageOverview();
    view.error = "";
  } catch (e) {
    view.overview = null;
    view.error = ipc.errorText(e);
  }
  const months = view.overview?.actuals_months ?? [];
  if (!months.includes(view.month)) view.month = months[months.length - 1] ?? "";
  await loadVariance();
}

async function loadVariance(): Promise<void> {
  view.variance = null;
  view.varianceError = "";
  const doc = activeDoc();
  view.pricedText = doc.text;
  if (view.month) {
    try {
      view.variance = await ipc.variance({ label: labelOf(doc), text: doc.text, month: view.month });
    } catch (e) {
      view.varianceError = ipc.errorText(e);
    }
  }
  renderUsage();
}

function labelled(label: string, input: HTMLElement): HTMLElement[] {
  return [el("label", {}, label), input];
}

function text(id: string, value: string, placeholder = ""): HTMLInputElement {
  const input = el("input", { type: "text", id, placeholder, spellcheck: "false", autocomplete: "off" });
  input.value = view.typed.get(id) ?? value;
  input.addEventListener("input", () => view.typed.set(id, input.value));
  return input;
}

const list = (id: string) => ($(id) as HTMLInputElement).value.split(/[\s,]+/).filter((x) => x !== "");

function pullForm(): HTMLElement {
  const form = el(
    "div",
    { class: "pull-form", id: "pull-form" },
    ...labelled("AWS profile", text("pull-profile", "", "the SDK's default chain")),
    ...labelled("CloudWatch Region", text("pull-region", "us-east-1")),
    el("span", { class: "hint-line" }, "CloudFront's metrics are in us-east-1."),
    ...labelled("Distribution ids", text("pull-distributions", "", "every distribution found")),
    ...labelled("MediaConvert queues", text("pull-queues", "", "every queue found")),
    ...labelled("S3 buckets", text("pull-buckets", "", "every bucket found")),
    ...labelled("From (UTC)", text("pull-from", "", "YYYY-MM-DD; 93 days ago")),
    ...labelled("To (UTC)", text("pull-to", "", "YYYY-MM-DD; now")),
    ...labelled("Endpoint URL", text("pull-endpoint", startup().endpoints.cloudwatch ?? "", "AWS's own")),
  );
  const start = button("Start pull", () => void pull(), { class: "primary", id: "pull-start" });
  const cancel = button("Cancel", () => void ipc.cancelPull("usage"), { id: "pull-cancel" });
  start.disabled = view.pulling;
  cancel.disabled = !view.pulling;
  form.append(el("div", { class: "buttons" }, start, cancel, el("span", { class: "progress", id: "pull-progress" }, view.progress)));
  return form;
}

async function pull(): Promise<void> {
  const value = (id: string) => ($(id) as HTMLInputElement).value;
  const request = {
    profile: value("pull-profile"),
    region: value("pull-region"),
    distributions: list("pull-distributions"),
    queues: list("pull-queues"),
    buckets: list("pull-buckets"),
    from: value("pull-from"),
    to: value("pull-to"),
    endpoint_url: value("pull-endpoint") || null,
  };
  view.pulling = true;
  view.progress = "starting\u2026";
  view.report = "";
  renderUsage();
  const stop = await ipc.onPullProgress((p) => {
    if (p.job !== "usage") return;
    view.progress = p.message;
    const line = document.getElementById("pull-progress");
    if (line) line.textContent = p.message;
  });
  try {
    view.report = (await ipc.usagePull(request)).summary;
    hooks.notify(view.report.split("\n")[0], false);
  } catch (e) {
    view.report = "";
    hooks.notify(ipc.errorText(e), true);
  } finally {
    stop();
    view.pulling = false;
    view.progress = "";
  }
  await refreshUsage();
}

async function importFile(kind: "usage" | "actuals"): Promise<void> {
  try {
    const done = await ipc.pickImport(kind);
    if (!done) return;
    view.report = done.summary;
    hooks.notify(done.summary.split("\n")[0], false);
  } catch (e) {
    hooks.notify(ipc.errorText(e), true);
  }
  await refreshUsage();
}

async function calibrate(fromActuals: boolean): Promise<void> {
  const doc = activeDoc();
  try {
    const c = await ipc.calibrate({ label: labelOf(doc), text: doc.text, month: null, from_actuals: fromActuals });
    await openCalibrated(doc, c);
    hooks.notify([`calibrated ${docName(doc)} from ${c.month} into a new tab:`, ...c.edits, ...c.notes.map((n) => `(${n})`)].join("\n"), false);
  } catch (e) {
    hooks.notify(ipc.errorText(e), true);
  }
}

function usageTable(o: UsageOverview): HTMLElement {
  if (!o.usage.length) return el("p", { class: "muted", id: "usage-empty" }, "The usage store is empty: pull from CloudWatch or import a usage CSV.");
  return el(
    "table",
    { class: "lines", id: "usage-months" },
    el("thead", {}, el("tr", {}, ...["Month", "Days", "Delivered TB", "Requests", "Hit rate", "Output minutes", "Stored TB"].map((h) => el("th", {}, h)))),
    el(
      "tbody",
      {},
      ...o.usage.map((m) =>
        el(
          "tr",
          {},
          el("th", {}, m.month),
          el("td", { class: "qty", title: m.full ? "a full month" : "a partial month" }, `${m.days_with_data}/${m.days_in_month}`),
          el("td", { class: "qty" }, m.delivered_tb === null ? "n/a" : quantity(m.delivered_tb, 3)),
          el("td", { class: "qty" }, m.requests === null ? "n/a" : quantity(m.requests, 0)),
          el("td", { class: "qty" }, m.cache_hit_rate === null ? "n/a" : percent(Number(m.cache_hit_rate), 2)),
          el("td", { class: "qty" }, m.output_minutes === null ? "n/a" : quantity(m.output_minutes, 0)),
          el("td", { class: "qty" }, m.stored_tb === null ? "n/a" : quantity(m.stored_tb, 3)),
        ),
      ),
    ),
  );
}

function actualsTable(o: UsageOverview): HTMLElement {
  if (!o.actuals.length) return el("p", { class: "muted", id: "actuals-empty" }, "The actuals store is empty: import a FOCUS 1.2 or CUR 2.0 export (Parquet or CSV), or pull one through Athena with the CLI.");
  return el(
    "table",
    { class: "lines", id: "actuals-services" },
    el("thead", {}, el("tr", {}, ...["Month", "Service", "Usage", "Credits, taxes, discounts", "Net", "Lines"].map((h) => el("th", {}, h)))),
    el(
      "tbody",
      {},
      ...o.actuals.map((a) =>
        el(
          "tr",
          {},
          el("th", {}, a.month),
          el("td", {}, a.service_code),
          el("td", { class: "money" }, money(a.usage_usd)),
          el("td", { class: "money", title: a.adjustments.join("\n") }, a.adjustments.length ? money(a.adjustments_usd) : "\u2014"),
          el("td", { class: "money" }, money(a.net_usd)),
          el("td", { class: "qty" }, String(a.line_items)),
        ),
      ),
    ),
  );
}

function varianceBlock(o: UsageOverview): HTMLElement {
  const box = el("div", { id: "variance" });
  if (!o.actuals_months.length) return box;
  const pick = el("select", { id: "variance-month", "aria-label": "Month of the bill" }, ...o.actuals_months.map((m) => el("option", { value: m }, m)));
  pick.value = view.month;
  pick.addEventListener("change", () => {
    view.month = pick.value;
    void loadVariance();
  });
  box.append(el("div", { class: "usage-actions" }, el("span", {}, `${docName(activeDoc())} against the bill of`), pick));
  if (view.varianceError) box.append(el("p", { class: "bad" }, view.varianceError));
  const v = view.variance;
  if (!v) return box;
  const cell = (usd: string | null, missing = "unpriced") => el("td", { class: usd === null ? "money muted" : "money" }, usd === null ? missing : money(usd));
  const diff = (usd: string | null) => el("td", { class: usd === null ? "money" : usd.startsWith("-") ? "money down" : "money up" }, usd === null ? "\u2014" : signedMoney(usd));
  const body = el("tbody");
  for (const s of v.services) {
    body.append(el("tr", { class: "service-row" }, el("th", {}, s.service), el("td", {}, ""), cell(s.planned_usd), cell(s.actual_usd), diff(s.delta_usd), el("td", {}, "")));
    for (const l of s.lines) {
      body.append(
        el(
          "tr",
          { class: "line-row" },
          el("td", { title: l.description }, l.usage_type),
          el("td", {}, l.usage_delta_percent === null ? "" : `usage ${Number(l.usage_delta_percent) > 0 ? "+" : ""}${l.usage_delta_percent} %`),
          cell(l.planned_usd, l.place === "bill" ? "not in the plan" : "unpriced"),
          cell(l.actual_usd, "not on the bill"),
          diff(l.delta_usd),
          el("td", { class: "driver" }, l.driver ?? l.note ?? ""),
        ),
      );
    }
  }
  box.append(
    el("p", { class: "muted" }, v.plan_note),
    el("p", { class: "muted" }, `Prices: snapshot ${v.snapshot}.`),
    el(
      "table",
      { class: "lines", id: "variance-table" },
      el("thead", {}, el("tr", {}, ...["Service / usage type", "", "Planned", "Actual", "Actual \u2212 planned", "Look at"].map((h) => el("th", {}, h)))),
      body,
      el(
        "tfoot",
        {},
        el("tr", {}, el("th", {}, "Usage"), el("td", {}, ""), cell(v.planned_usd), cell(v.actual_usage_usd), diff(v.variance_usd), el("td", {}, v.variance_percent === null ? "" : `${v.variance_percent} %`)),
        el("tr", {}, el("th", {}, "Credits, taxes, discounts"), el("td", {}, ""), el("td", {}, ""), cell(v.adjustments_usd), el("td", {}, ""), el("td", {}, "")),
        el("tr", {}, el("th", {}, "Billed, net"), el("td", {}, ""), el("td", {}, ""), cell(v.net_usd), el("td", {}, ""), el("td", {}, "")),
      ),
    ),
    v.plan_complete ? "" : el("p", { class: "bad" }, "Some lines of the plan are unpriced: the planned total is a lower bound."),
    ...v.notes.map((n) => el("p", { class: "muted" }, n)),
  );
  return box;
}

/** After an edit or a change of tab: the variance follows the open scenario's text. */
export function usageFollows(): void {
  if (view.overview && activeDoc().text !== view.pricedText) void loadVariance();
}

export function renderUsage(): void {
  const o = view.overview;
  const actions = el(
    "div",
    { class: "usage-actions" },
    button("Pull from CloudWatch\u2026", () => {
      view.pullOpen = !view.pullOpen;
      renderUsage();
    }, { id: "pull-open" }),
    button("Import usage CSV\u2026", () => void importFile("usage"), { id: "import-usage" }),
    button("Import actuals export\u2026", () => void importFile("actuals"), { id: "import-actuals" }),
    button("Calibrate from last month", () => void calibrate(false), { id: "calibrate", title: "A copy of this scenario with its drivers from the last full month of usage, in a new tab" }),
    button("\u2026from the bill", () => void calibrate(true), { id: "calibrate-actuals", title: "The same from the last month of the bill" }),
  );
  $("view-usage").replaceChildren(
    el("h2", {}, "Usage & actuals"),
    actions,
    view.pullOpen ? pullForm() : "",
    view.report ? el("pre", { class: "report", id: "usage-report" }, view.report) : "",
    view.error ? el("p", { class: "bad" }, view.error) : "",
    el("h3", {}, "Monthly drivers (usage store)"),
    o ? usageTable(o) : el("p", { class: "muted" }, "Reading the stores\u2026"),
    el("h3", {}, "Actuals per service (the bill)"),
    o ? actualsTable(o) : "",
    el("h3", {}, "Plan against the bill"),
    o ? varianceBlock(o) : "",
    o ? el("p", { class: "muted" }, `Stores: ${o.usage_store} and ${o.actuals_store}.`) : "",
  );
}
