// Evaluating documents and working through the edit queue: every edit goes to the Rust side
// as a change to the scenario file's text and comes back priced. The chart on screen is drawn
// with the numbers when it is cheap; a sweep chart follows in a second call.

import type { Change } from "./bindings/Change.js";
import type { Evaluation } from "./bindings/Evaluation.js";
import type { Doc } from "./documents.js";
import { scheduleDraft } from "./drafts.js";
import * as ipc from "./ipc.js";
import { push } from "./queue.js";
import { activeDoc, chartDrawnWithEdit, docBySlot, hooks, labelOf, perf, state } from "./state.js";
import { known, merge, withChart } from "./view.js";

/** Keeps an evaluation of the document's text; the first valid price of an unchanged
 * document is its baseline. */
export function setEvaluation(doc: Doc, ev: Evaluation): void {
  const view = merge(state.views.get(doc.slot), ev);
  state.views.set(doc.slot, view);
  if (view.valid && view.good && !state.baselineTotal.has(doc.slot) && ev.text === doc.baseline) {
    const baseline = view.good.totals.baseline_usd;
    if (baseline !== null) state.baselineTotal.set(doc.slot, baseline);
  }
}

function request(doc: Doc, text: string, chart: string | null) {
  return { label: labelOf(doc), text, chart, baseline: state.baselineTotal.get(doc.slot) ?? null, known: known(state.views.get(doc.slot)) };
}

/** Prices the document's text as it stands, with the chart on screen. */
export async function evaluateDoc(doc: Doc): Promise<void> {
  const ev = await ipc.evaluate(request(doc, doc.text, state.chart));
  setEvaluation(doc, ev);
}

/** Queues a change to the active document and works through the queue. */
export function submit(change: Change): void {
  state.queue = push(state.queue, { slot: activeDoc().slot, change, started: performance.now() });
  void pump();
}

/** The message of the last edit refused, while it is on screen. */
let refused: string | null = null;

async function pump(): Promise<void> {
  if (state.busy) return;
  state.busy = true;
  try {
    while (state.queue.length) {
      const item = state.queue.shift()!;
      const doc = docBySlot(item.slot);
      if (!doc) continue;
      const sent = performance.now();
      const chart = chartDrawnWithEdit(state.chart) ? state.chart : null;
      try {
        const ev = await ipc.change({ change: item.change, ...request(doc, doc.text, chart) });
        perf.ipc.add(performance.now() - sent);
        perf.compute.add(ev.compute_ms);
        doc.text = ev.text;
        setEvaluation(doc, ev);
        // A refused edit's message goes once an edit lands: typing `{ … }` refuses every
        // keystroke before the closing brace, and the last one is not a problem.
        if (refused !== null && state.notice?.text === refused) hooks.dismiss();
        refused = null;
      } catch (e) {
        refused = ipc.errorText(e);
        hooks.notify(refused, true);
      }
      if (state.queue.length === 0) {
        const received = performance.now();
        // Read by the views that follow the edit on their own as they start (the forecast).
        state.editStarted = item.started;
        hooks.render();
        state.editStarted = null;
        const done = performance.now();
        perf.render.add(done - received);
        perf.edit.add(done - item.started);
        performance.measure("ladderwise:edit", { start: item.started, end: done });
        // The next frame is painted after this one's callbacks; a task queued from it runs
        // once that frame is on screen.
        requestAnimationFrame(() => setTimeout(() => perf.paint.add(performance.now() - item.started), 0));
        scheduleDraft(doc);
        if (state.tab === "compare") void hooks.renderCompare();
        if (chart === null && state.views.get(doc.slot)?.valid) await followWithChart(doc, item.started);
      }
    }
  } finally {
    state.busy = false;
    if (state.queue.length === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  }
}

/** Draws the sweep chart on screen for the text just priced, unless more edits are waiting
 * (the last of them will). */
async function followWithChart(doc: Doc, started: number): Promise<void> {
  const text = doc.text;
  const kind = state.chart;
  try {
    const ev = await ipc.evaluate(request(doc, text, kind));
    if (doc.text !== text || state.chart !== kind || state.queue.length > 0) return;
    state.views.set(doc.slot, withChart(state.views.get(doc.slot)!, ev));
    if (activeDoc() === doc && state.tab === "results") hooks.renderResults();
    perf.chart.add(performance.now() - started);
  } catch (e) {
    hooks.notify(ipc.errorText(e), true);
  }
}

/** Switches the chart on screen: only that one is drawn on each edit. The last valid text is
 * drawn, so the chart matches the numbers beside it. */
export async function showChart(kind: string): Promise<void> {
  state.chart = kind;
  const doc = activeDoc();
  const view = state.views.get(doc.slot);
  try {
    const ev = await ipc.evaluate(request(doc, view?.good?.text ?? doc.text, kind));
    state.views.set(doc.slot, view ? withChart(view, ev) : merge(undefined, ev));
  } catch (e) {
    hooks.notify(ipc.errorText(e), true);
  }
  hooks.renderResults();
}

const idleWaiters: (() => void)[] = [];

/** Resolves once every queued edit has reached the screen, its chart included. */
export function whenIdle(): Promise<void> {
  if (!state.busy && state.queue.length === 0) return Promise.resolve();
  return new Promise((resolve) => idleWaiters.push(resolve));
}
