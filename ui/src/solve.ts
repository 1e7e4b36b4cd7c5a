// "Solve…" beside a numeric field a sweep may vary: which value of it keeps the monthly total
// under a budget. The engine searches the field's range and says what it found in words; the
// value it suggests can be written into the scenario like any edit.

import type { SolveView } from "./bindings/SolveView.js";
import { button, el } from "./dom.js";
import { submit } from "./edits.js";
import { money } from "./format.js";
import * as ipc from "./ipc.js";
import { activeDoc, labelOf } from "./state.js";

// What each field's box holds, so that a redrawn form shows it again: per tab, since an
// answer is of one scenario (another tab's would suggest a value for the wrong one), with the
// text it was found for.
type Box = { open: boolean; budget: string; answer: SolveView | null; error: string | null; text: string };
const boxes = new Map<string, Box>();

function entry(path: string): Box {
  const key = `${activeDoc().slot}\u0000${path}`;
  let e = boxes.get(key);
  if (!e) boxes.set(key, (e = { open: false, budget: "", answer: null, error: null, text: "" }));
  return e;
}

/** The "Solve…" button of the field at `path`, and its box (hidden until asked for). */
export function solveControls(path: string, label: string): { toggle: HTMLElement; box: HTMLElement } {
  const box = el("div", { class: "solve-box", "data-solve": path });
  const toggle = button("Solve\u2026", () => {
    const e = entry(path);
    e.open = !e.open;
    draw(box, path, label);
  }, { class: "solve-toggle", title: `Find the value of ${label.toLowerCase()} that keeps the total under a budget`, "data-solve-for": path });
  draw(box, path, label);
  return { toggle, box };
}

function draw(box: HTMLElement, path: string, label: string): void {
  const e = entry(path);
  box.hidden = !e.open;
  if (!e.open) {
    box.replaceChildren();
    return;
  }
  const budget = el("input", { type: "text", inputmode: "decimal", placeholder: "e.g. 50000", "aria-label": "Monthly budget in dollars", class: "solve-budget" });
  budget.value = e.budget;
  const run = async () => {
    e.budget = budget.value;
    try {
      const doc = activeDoc();
      e.text = doc.text;
      e.answer = await ipc.solve({ label: labelOf(doc), text: doc.text, field: path, max_total: budget.value });
      e.error = null;
    } catch (err) {
      e.answer = null;
      e.error = ipc.errorText(err);
    }
    draw(box, path, label);
  };
  budget.addEventListener("keydown", (k) => {
    if (k.key === "Enter") void run();
  });
  const form = el("div", { class: "solve-ask" }, el("span", {}, `What ${label.toLowerCase()} keeps the total under $`), budget, button("Solve", () => void run(), { class: "primary solve-run" }));
  const parts: (HTMLElement | string)[] = [form];
  if (e.error) parts.push(el("p", { class: "bad solve-error" }, e.error));
  const a = e.answer;
  if (a) {
    const edited = e.text !== activeDoc().text;
    parts.push(
      el(
        "div",
        { class: a.nowhere ? "solve-answer none" : "solve-answer" },
        edited ? el("p", { class: "bad solve-stale" }, "Found before the scenario's last edits: solve again for an answer of the scenario as it is.") : "",
        el("p", { class: "muted" }, `Now ${a.current_value}: ${money(a.current_usd)} a month. Searched ${a.range}. ${a.shape}`),
        ...a.outcome.map((line) => el("p", { class: "solve-outcome" }, line)),
        a.suggested
          ? button(`Use ${a.suggested.value} (${money(a.suggested.total_usd)} a month)`, () => submit({ kind: "set", path, value: a.suggested!.value }), { class: "solve-apply" })
          : "",
      ),
    );
  }
  box.replaceChildren(...parts);
}
