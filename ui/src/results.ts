// The results screen: the total and its change, the chart on screen, the bill by service,
// capacity, unit economics and warnings, all as the engine computed them. An edit usually
// changes numbers only, so the DOM is patched: a text node is set when its text differs, and
// rows, facts and the chart are rebuilt only when their shape or content changes.

import type { Estimate } from "./bindings/Estimate.js";
import type { Totals } from "./bindings/Totals.js";
import { $, button, el, setText } from "./dom.js";
import { showChart } from "./edits.js";
import { money, percent, quantity, signedMoney } from "./format.js";
import { activeDoc, startup, state } from "./state.js";
import { SvgView, drawnAs } from "./patch.js";
import { chartPending } from "./view.js";

export function renderEstimate(): void {
  const doc = activeDoc();
  const view = state.views.get(doc.slot);
  const good = view?.good ?? null;
  const stale = !!view && !view.valid;
  $("view-results").classList.toggle("stale", stale);
  const banner = $("stale-banner");
  banner.hidden = !stale;
  const problems = view?.diagnostics.length ?? 0;
  setText(banner, stale ? `The scenario has ${problems === 1 ? "a problem" : `${problems} problems`} (see the editor); these are the last valid results.` : "");
  renderPicker();
  if (!good) {
    setText($("total"), "\u2014");
    return;
  }
  const e = good.estimate;
  setText($("total"), money(e.total_usd));
  const note = $("total-note");
  setText(note, e.complete ? "per month, first month of the plan" : "per month, and more: some lines are unpriced");
  note.classList.toggle("bad", !e.complete);
  setText($("total-delta"), deltaText(good.totals, doc.path === null));
  renderLines(e, good.totals);
  renderFacts(e, good.totals);
  renderWarnings(e);
  renderChart();
}

function deltaText(totals: Totals, created: boolean): string {
  const c = totals.change;
  if (!c) return "";
  const rel = c.relative === null ? "" : ` (${c.relative.startsWith("-") ? "\u2212" : "+"}${percent(Math.abs(Number(c.relative)))})`;
  const since = created ? "since this scenario was created" : "since it was last opened or saved";
  if (c.difference_usd === null) return `change ${since} unknown: some lines are unpriced`;
  return `${signedMoney(c.difference_usd)}${rel} ${since}`;
}

// ----- the bill -----------------------------------------------------------------------------

interface Cell {
  tag: "td" | "th";
  attrs: Record<string, string>;
  text: string;
  /** A number that changes with edits: patched in place. */
  value: boolean;
  /** The line's tier toggle, by the line's key. */
  toggle?: string;
  badge?: boolean;
}

interface Row {
  cls: string;
  cells: Cell[];
}

function billRows(e: Estimate, totals: Totals): Row[] {
  const rows: Row[] = [];
  for (const s of totals.services) {
    rows.push({
      cls: "service-row",
      cells: [
        { tag: "th", attrs: { colspan: "2" }, text: s.service, value: false },
        { tag: "td", attrs: { class: "money" }, text: s.subtotal_shown, value: true },
      ],
    });
    e.lines
      .filter((l) => l.service === s.service)
      .forEach((l, i) => {
        const key = `${s.service}/${l.description}/${i}`;
        const open = state.expanded.has(key);
        rows.push({
          cls: l.cost_usd === null ? "line unpriced" : "line",
          cells: [
            { tag: "td", attrs: {}, text: ` ${l.description}${l.rung ? ` \u00b7 ${l.rung}` : ""} `, value: false, toggle: key, badge: l.price_status === "unverified" },
            { tag: "td", attrs: { class: "qty" }, text: `${quantity(l.quantity)} ${l.unit}`, value: true },
            { tag: "td", attrs: { class: "money" }, text: l.cost_usd === null ? "UNPRICED" : money(l.cost_usd), value: true },
          ],
        });
        if (!open) return;
        for (const t of l.tiers) {
          rows.push({
            cls: "tier",
            cells: [
              { tag: "td", attrs: {}, text: t.label, value: true },
              { tag: "td", attrs: { class: "qty" }, text: `${quantity(t.quantity)} ${l.unit}`, value: true },
              { tag: "td", attrs: { class: "money" }, text: money(t.cost_usd), value: true },
            ],
          });
        }
        if (l.note) rows.push({ cls: "tier", cells: [{ tag: "td", attrs: { colspan: "3" }, text: l.note, value: true }] });
      });
  }
  return rows;
}

/** The rows without their numbers: when it is unchanged, only numbers need patching. */
function skeleton(rows: Row[]): string {
  return JSON.stringify(rows.map((r) => [r.cls, r.cells.map((c) => (c.value ? [c.tag, c.attrs] : [c.tag, c.attrs, c.text, c.toggle ?? "", c.badge ?? false]))]));
}

let billShape = "";
let billCells: HTMLElement[] = [];

function renderLines(e: Estimate, totals: Totals): void {
  const rows = billRows(e, totals);
  const shape = skeleton(rows);
  const values = rows.flatMap((r) => r.cells.filter((c) => c.value).map((c) => c.text));
  if (shape === billShape && values.length === billCells.length) {
    values.forEach((text, i) => setText(billCells[i], text));
    return;
  }
  billShape = shape;
  billCells = [];
  const body = el("tbody");
  for (const r of rows) {
    const tr = el("tr", { class: r.cls });
    for (const c of r.cells) {
      const cell = el(c.tag, c.attrs);
      if (c.toggle !== undefined) {
        const key = c.toggle;
        const open = state.expanded.has(key);
        cell.append(
          button(open ? "\u25be" : "\u25b8", () => {
            if (state.expanded.has(key)) state.expanded.delete(key);
            else state.expanded.add(key);
            renderEstimate();
          }, { class: "expand", title: "Show tiers", "aria-expanded": String(open) }),
        );
      }
      cell.append(c.text);
      if (c.badge) cell.append(el("span", { class: "badge warn", title: "price not confirmed by AWS" }, "unverified"));
      if (c.value) billCells.push(cell);
      tr.append(cell);
    }
    body.append(tr);
  }
  // Fixed column widths: a changed number then lays out its own cell, not the whole table.
  const columns = el("colgroup", {}, el("col", {}), el("col", { class: "qty-col" }), el("col", { class: "money-col" }));
  $("lines").replaceChildren(el("table", { class: "lines bill" }, columns, body));
}

// ----- capacity and unit economics ----------------------------------------------------------

function facts(e: Estimate, totals: Totals): [string, string, string][] {
  const c = e.capacity;
  const u = e.unit_economics;
  const stored = c.stored_tb.map((s) => `${quantity(s.tb, 2)} TB ${s.class}`).join(", ");
  const orDash = (v: string | null, show: (v: string) => string) => (v === null ? "\u2014" : show(v));
  return [
    ["capacity", "Peak egress", `${quantity(c.peak_egress_gbps, 2)} Gbit/s`],
    ["capacity", "Average egress", `${quantity(c.avg_egress_gbps, 2)} Gbit/s`],
    ["capacity", "Peak concurrent viewers", quantity(c.peak_concurrent_viewers, 0)],
    ["capacity", "Peak requests", `${quantity(c.peak_requests_per_second, 0)} /s`],
    ["capacity", "Stored", `${quantity(c.stored_tb_total, 2)} TB${stored ? ` (${stored})` : ""}`],
    ["capacity", "Titles per month", quantity(c.titles_per_month, 0)],
    ["capacity", "Output minutes", quantity(c.transcode_output_minutes, 0)],
    ["capacity", "Normalized minutes", orDash(c.normalized_minutes, (v) => quantity(v, 0))],
    ["capacity", "Reserved slots needed", orDash(c.reserved_slots_needed, (v) => quantity(v, 1))],
    // In the engine's words: a lower bound where lines are unpriced.
    ["economics", "Per viewer-hour", totals.unit_costs_shown.per_viewer_hour],
    ["economics", "Per title", totals.unit_costs_shown.per_title],
    ["economics", "Per delivered GB", totals.unit_costs_shown.per_delivered_gb],
    ["economics", "Delivered", `${quantity(u.delivered_gb, 0)} GB`],
    ["economics", "Viewer-hours", quantity(u.viewer_hours, 0)],
  ];
}

let factCells: HTMLElement[] = [];

function renderFacts(e: Estimate, totals: Totals): void {
  const list = facts(e, totals);
  if (factCells.length !== list.length) {
    factCells = [];
    const boxes: Record<string, HTMLElement[]> = { capacity: [], economics: [] };
    for (const [box, label, value] of list) {
      const dd = el("dd", {}, value);
      factCells.push(dd);
      boxes[box].push(el("div", { class: "fact" }, el("dt", {}, label), dd));
    }
    $("capacity").replaceChildren(...boxes.capacity);
    $("economics").replaceChildren(...boxes.economics);
    return;
  }
  list.forEach(([, , value], i) => setText(factCells[i], value));
}

let warningsShown = "";

function renderWarnings(e: Estimate): void {
  const items = [
    ...e.unpriced.map((u) => `Unpriced: ${u.service}, ${u.description}${u.reason ? ` \u2014 ${u.reason}` : ""}`),
    ...e.warnings,
  ];
  const key = JSON.stringify(items);
  if (key === warningsShown) return;
  warningsShown = key;
  const box = $("warnings");
  box.hidden = items.length === 0;
  box.replaceChildren(el("h3", {}, "Warnings"), el("ul", {}, ...items.map((w) => el("li", {}, w))));
}

// ----- the chart ----------------------------------------------------------------------------

let pickerShown = "";

function renderPicker(): void {
  if (pickerShown === state.chart) return;
  pickerShown = state.chart;
  $("chart-picker").replaceChildren(
    ...startup().charts.map((c) =>
      button(c.title, () => void showChart(c.kind), {
        class: c.kind === state.chart ? "active" : "",
        role: "tab",
        "data-chart-tab": c.kind,
        "aria-selected": String(c.kind === state.chart),
      }),
    ),
  );
}

let chartShown = "";

function renderChart(): void {
  const view = state.views.get(activeDoc().slot);
  const shown = view?.chart;
  const box = $("charts");
  // A sweep chart arrives after the numbers: until then the previous drawing stays, dimmed.
  box.classList.toggle("pending", chartPending(view, state.chart));
  if (!shown) return;
  // Parsing the SVG is the costliest part of a redraw; an unchanged chart is left alone.
  const key = `${shown.kind}\n${shown.hash ?? ""}\n${shown.error ?? ""}\n${shown.svg === null ? "" : shown.svg.length}`;
  if (key === chartShown && box.firstChild) return;
  chartShown = key;
  // The SVG is drawn by the Rust side from the engine's numbers; it carries no script, and
  // the page's CSP would refuse one. The same kind of chart is changed in place.
  let figure = box.querySelector<HTMLElement>(":scope > figure.chart");
  if (!figure || figure.dataset.chart !== shown.kind || !drawing || !figure.contains(drawing.host)) {
    const body = el("div", { class: "chart-body" });
    figure = el("figure", { class: "chart", "data-chart": shown.kind }, body);
    drawing = { host: body, view: new SvgView(body) };
    box.replaceChildren(figure);
  }
  if (shown.svg) drawing.view.show(shown.svg);
  else {
    drawing.host.replaceChildren(el("div", { class: "chart-error" }, `This chart could not be drawn: ${shown.error ?? "no data"}`));
    drawing.view = new SvgView(drawing.host);
  }
}

let drawing: { host: HTMLElement; view: SvgView } | null = null;

/** Whether the chart on screen is, node for node, the SVG it was last given (for the tests:
 * the chart is changed in place, never redrawn whole). */
export function chartMatches(): boolean {
  const svg = state.views.get(activeDoc().slot)?.chart?.svg;
  return !!drawing && !!svg && drawnAs(drawing.host, svg);
}
