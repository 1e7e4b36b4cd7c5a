// Compare: two open scenarios side by side, the difference per service and in total, as the
// engine computes them.

import { $, el } from "./dom.js";
import { docName } from "./documents.js";
import * as ipc from "./ipc.js";
import { money, signedMoney } from "./format.js";
import { docBySlot, state } from "./state.js";

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

/** A difference, coloured by its sign as the engine wrote it. */
function diffCell(v: string): HTMLElement {
  const sign = v.startsWith("-") ? "down" : v === "0" ? "" : "up";
  return el("td", { class: sign ? `money ${sign}` : "money" }, signedMoney(v));
}

export async function renderCompare(): Promise<void> {
  renderCompareChoices();
  const out = $("compare-table");
  const a = state.compareA ? docBySlot(state.compareA) : undefined;
  const b = state.compareB ? docBySlot(state.compareB) : undefined;
  if (!a || !b || a === b) {
    out.replaceChildren(el("p", { class: "muted" }, "Open a second scenario, or duplicate this one and change the copy, to compare them side by side."));
    return;
  }
  try {
    const c = await ipc.compare({ a_label: docName(a), a_text: a.text, b_label: docName(b), b_text: b.text });
    const body = el("tbody", {}, ...c.rows.map((r) => el("tr", {}, el("th", {}, r.service), el("td", { class: "money" }, money(r.a)), el("td", { class: "money" }, money(r.b)), diffCell(r.difference))));
    const foot = el("tfoot", {}, el("tr", {}, el("th", {}, "Total per month"), el("td", { class: "money" }, money(c.total_a)), el("td", { class: "money" }, money(c.total_b)), diffCell(c.total_difference)));
    out.replaceChildren(
      el("table", { class: "compare", id: "comparison" }, el("thead", {}, el("tr", {}, el("th", {}, "Service"), el("th", {}, `A: ${c.a_label}`), el("th", {}, `B: ${c.b_label}`), el("th", {}, "B \u2212 A"))), body, foot),
      c.complete ? "" : el("p", { class: "bad" }, "At least one side has unpriced lines, so its total is a lower bound."),
    );
  } catch (e) {
    out.replaceChildren(el("p", { class: "bad" }, ipc.errorText(e)));
  }
}
