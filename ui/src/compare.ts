// Compare: two open scenarios side by side, the difference per service and in total, the
// waterfall of the drivers that make it, and the tornado of the current tab, as the engine
// computes and the CLI's charts draw them.

import { $, el } from "./dom.js";
import { docName } from "./documents.js";
import * as ipc from "./ipc.js";
import { money, signedMoney } from "./format.js";
import { showSvg } from "./patch.js";
import { activeDoc, docBySlot, labelOf, state } from "./state.js";

export function renderCompareChoices(): void {
  if (!state.compareA || !docBySlot(state.compareA)) state.compareA = state.docs[0]?.slot ?? null;
  if (!state.compareB || !docBySlot(state.compareB)) state.compareB = state.docs.find((d) => d.slot !== state.compareA)?.slot ?? null;
  const pick = (id: string, current: string | null, set: (slot: string) => void) => {
    const select = $(id) as HTMLSelectElement;
    select.replaceChildren(...state.docs.map((d) => el("option", { value: d.slot }, docName(d))));
    if (current) select.value = current;
    select.onchange = () => {
      set(select.value);
      void renderCompare();
    };
  };
  pick("compare-a", state.compareA, (s) => (state.compareA = s));
  pick("compare-b", state.compareB, (s) => (state.compareB = s));
}

/** A difference, coloured by its sign as the engine wrote it; unknown (null) when a side
 * leaves unpriced lines out. */
function diffCell(v: string | null): HTMLElement {
  if (v === null) return el("td", { class: "money muted", title: "a side has unpriced lines" }, "unknown");
  const sign = v.startsWith("-") ? "down" : v === "0" ? "" : "up";
  return el("td", { class: sign ? `money ${sign}` : "money" }, signedMoney(v));
}

/** An amount as the engine shows it: a lower bound, or `unpriced`, when lines have no price. */
function amountCell(shown: string): HTMLElement {
  return el("td", { class: "money" }, shown);
}

/** A chart of the engine's in a figure (its notes, drawn in it, say how it was computed). */
function figure(id: string, svg: string): HTMLElement {
  const body = el("div", { class: "chart-body" });
  showSvg(body, svg);
  return el("figure", { class: "chart", id, "data-chart": id }, body);
}

// Answers that arrive after a newer request was sent are dropped.
let generation = 0;

export async function renderCompare(): Promise<void> {
  renderCompareChoices();
  const mine = ++generation;
  void renderTornado(mine);
  const out = $("compare-table");
  const a = state.compareA ? docBySlot(state.compareA) : undefined;
  const b = state.compareB ? docBySlot(state.compareB) : undefined;
  if (!a || !b || a === b) {
    out.replaceChildren(el("p", { class: "muted" }, "Open a second scenario, or duplicate this one and change the copy, to compare them side by side."));
    $("compare-waterfall").replaceChildren();
    return;
  }
  void renderWaterfall(mine, { a_label: docName(a), a_text: a.text, b_label: docName(b), b_text: b.text });
  try {
    const c = await ipc.compare({ a_label: docName(a), a_text: a.text, b_label: docName(b), b_text: b.text });
    const body = el("tbody", {}, ...c.rows.map((r) => el("tr", {}, el("th", {}, r.service), amountCell(r.a_shown), amountCell(r.b_shown), diffCell(r.difference))));
    const foot = el("tfoot", {}, el("tr", {}, el("th", {}, "Total per month"), amountCell(c.total_a_shown), amountCell(c.total_b_shown), diffCell(c.total_difference)));
    out.replaceChildren(
      el("table", { class: "compare", id: "comparison" }, el("thead", {}, el("tr", {}, el("th", {}, "Service"), el("th", {}, `A: ${c.a_label}`), el("th", {}, `B: ${c.b_label}`), el("th", {}, "B \u2212 A"))), body, foot),
      c.complete ? "" : el("p", { class: "bad" }, "At least one side has unpriced lines, so its total is a lower bound."),
    );
  } catch (e) {
    out.replaceChildren(el("p", { class: "bad" }, ipc.errorText(e)));
  }
}

async function renderWaterfall(mine: number, request: { a_label: string; a_text: string; b_label: string; b_text: string }): Promise<void> {
  const out = $("compare-waterfall");
  try {
    const w = await ipc.compareWaterfall(request);
    if (mine !== generation) return;
    const bars = el(
      "table",
      { class: "compare", id: "waterfall-bars" },
      el("thead", {}, el("tr", {}, el("th", {}, "What changed"), el("th", { class: "money" }, "Its share of B \u2212 A"))),
      el("tbody", {}, ...w.bars.map((b) => el("tr", {}, el("td", {}, b.label), diffCell(b.usd)))),
      el("tfoot", {}, el("tr", {}, el("th", {}, "B \u2212 A"), diffCell(w.difference_usd))),
    );
    out.replaceChildren(
      el("h3", {}, "What makes the difference"),
      w.not_attributed
        ? el("div", {}, figure("waterfall", w.svg), el("p", { class: "bad", id: "waterfall-none" }, w.not_attributed))
        : w.bars.length
          ? el("div", {}, figure("waterfall", w.svg), bars)
          : el("p", { class: "muted", id: "waterfall-none" }, "The two scenarios set every field alike: nothing to attribute."),
    );
  } catch (e) {
    if (mine === generation) out.replaceChildren(el("h3", {}, "What makes the difference"), el("p", { class: "bad" }, ipc.errorText(e)));
  }
}

async function renderTornado(mine: number): Promise<void> {
  const out = $("compare-tornado");
  const doc = activeDoc();
  const title = el("h3", {}, `What moves ${docName(doc)} most`);
  try {
    const t = await ipc.tornado({ label: labelOf(doc), text: doc.text, swing: null });
    if (mine !== generation) return;
    const rows = el(
      "table",
      { class: "compare", id: "tornado-rows" },
      el("thead", {}, el("tr", {}, el("th", {}, "Input"), el("th", {}, "Low"), el("th", { class: "money" }, "Total"), el("th", {}, "High"), el("th", { class: "money" }, "Total"), el("th", { class: "money" }, "Swing"))),
      el(
        "tbody",
        {},
        ...t.rows.map((r) =>
          el("tr", {}, el("td", { title: r.path }, r.label), el("td", {}, r.low_value), el("td", { class: "money" }, money(r.low_usd)), el("td", {}, r.high_value), el("td", { class: "money" }, money(r.high_usd)), el("td", { class: "money" }, r.swing_shown)),
        ),
      ),
    );
    out.replaceChildren(
      title,
      figure("tornado", t.svg),
      rows,
      t.not_varied_count ? el("details", { id: "tornado-not-varied" }, el("summary", { class: "muted" }, `${t.not_varied_count} input(s) not varied`), el("ul", {}, ...t.not_varied.map((g) => el("li", {}, `${g.reason}: ${g.labels.join(", ")}`)))) : "",
    );
  } catch (e) {
    if (mine === generation) out.replaceChildren(title, el("p", { class: "bad" }, ipc.errorText(e)));
  }
}
