// The desktop app's screen: the scenario editor on the left, what the engine says about it
// on the right. This file only wires the modules together; each view lives in its own.

import { renderCompare, renderCompareChoices } from "./compare.js";
import { $ } from "./dom.js";
import { whenIdle } from "./edits.js";
import { closeWindow, duplicateForCompare, newDocument, openDialog, openPath, save, saveAs } from "./files.js";
import { forecastFollows, forecastIdle, refreshForecast } from "./forecast.js";
import { renderForm } from "./form.js";
import { importDialog, undoImport } from "./importer.js";
import * as ipc from "./ipc.js";
import { renderPricing } from "./pricing.js";
import { refreshUsage, usageFollows } from "./usage.js";
import { chartMatches, renderEstimate } from "./results.js";
import { notify, renderNotice, renderRecovery, renderStatus, renderTabs, renderTitle } from "./shell.js";
import { SvgView } from "./patch.js";
import { PerfLog } from "./perf.js";
import { Tab, activeDoc, hooks, perf, state } from "./state.js";

// Anything the page's Content Security Policy refuses is recorded, so the tests can insist
// there is nothing.
const cspViolations: string[] = [];
document.addEventListener("securitypolicyviolation", (e) => cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));

const TABS: Tab[] = ["results", "compare", "forecast", "usage", "pricing"];
let tabShown: Tab | null = null;

function renderResults(): void {
  if (tabShown !== state.tab) {
    tabShown = state.tab;
    for (const t of TABS) {
      $(`tab-${t}`).classList.toggle("active", state.tab === t);
      $(`view-${t}`).hidden = state.tab !== t;
    }
  }
  if (state.tab === "results") renderEstimate();
  if (state.tab === "pricing") renderPricing();
  if (state.tab === "compare") renderCompareChoices();
  if (state.tab === "usage") usageFollows();
  if (state.tab === "forecast") forecastFollows();
}

// How long each part of a redraw takes, for finding where an edit's time goes.
const parts = new Map<string, PerfLog>();

function timed(name: string, draw: () => void): void {
  const started = performance.now();
  draw();
  let log = parts.get(name);
  if (!log) parts.set(name, (log = new PerfLog()));
  log.add(performance.now() - started);
}

function render(): void {
  if (!activeDoc()) return;
  timed("title", renderTitle);
  timed("tabs", renderTabs);
  timed("recovery", renderRecovery);
  timed("form", renderForm);
  timed("results", renderResults);
  timed("status", renderStatus);
  timed("notice", renderNotice);
}

hooks.render = render;
hooks.renderResults = renderResults;
hooks.renderCompare = renderCompare;
hooks.notify = (text, error, action) => notify({ text, error, action });
hooks.dismiss = () => notify(null);

function wire(): void {
  $("new").addEventListener("click", () => void newDocument());
  $("open").addEventListener("click", () => void openDialog());
  $("save").addEventListener("click", () => void save());
  $("save-as").addEventListener("click", () => void saveAs());
  $("duplicate").addEventListener("click", () => void duplicateForCompare());
  $("import-ladder").addEventListener("click", () => void importDialog());
  const recent = $("recent") as HTMLSelectElement;
  recent.addEventListener("change", () => {
    if (recent.value) void openPath(recent.value);
  });
  for (const t of TABS) {
    $(`tab-${t}`).addEventListener("click", () => {
      state.tab = t;
      render();
      if (t === "compare") void renderCompare();
      if (t === "usage") void refreshUsage();
      if (t === "forecast") void refreshForecast();
    });
  }
  window.addEventListener("keydown", (e) => {
    if (!(e.ctrlKey || e.metaKey)) return;
    const key = e.key.toLowerCase();
    if (key === "s" && e.shiftKey) void saveAs();
    else if (key === "s") void save();
    else if (key === "o") void openDialog();
    else if (key === "n") void newDocument();
    else return;
    e.preventDefault();
  });
}

async function start(): Promise<void> {
  wire();
  // The window only closes when the page says so (unsaved tabs are asked about first), so
  // the page listens before anything else can fail.
  void ipc.onCloseRequested(() => {
    void ipc.closeHeard().catch(() => undefined);
    void closeWindow();
  });
  try {
    state.startup = await ipc.startup();
  } catch (e) {
    document.body.textContent = `Ladderwise could not start: ${ipc.errorText(e)}`;
    return;
  }
  await newDocument();
  // For the end-to-end tests and for anyone measuring. Files are opened, saved and imported
  // through the buttons (a debug build's dialog stand-in answers for the native dialog).
  window.ladderwise = {
    undoImport,
    perf: () => Object.fromEntries(Object.entries(perf).map(([k, log]) => [k, log.summary()])),
    resetPerf: () => [...Object.values(perf), ...parts.values()].forEach((log) => log.clear()),
    renderParts: () => Object.fromEntries([...parts].map(([k, log]) => [k, log.summary()])),
    /** Types each value into the field at `path`, one edit every `gapMs` once the screen has
     * followed (100 ms: a fast typist), for measuring without a test driver polling the page. */
    measure: async (path: string, values: string[], gapMs = 100) => {
      for (const value of values) {
        await new Promise((resolve) => setTimeout(resolve, gapMs));
        const input = document.querySelector<HTMLInputElement>(`[data-path="${CSS.escape(path)}"]:not([data-slider])`);
        if (!input) throw new Error(`no field ${path}`);
        input.focus();
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await whenIdle();
        // On the Forecast tab the edit is done when the months are redrawn.
        await forecastIdle();
      }
    },
    activeText: () => activeDoc().text,
    /** The text whose numbers are on screen: the active text once every edit has landed. */
    pricedText: () => state.views.get(activeDoc().slot)?.good?.text ?? null,
    /** Every field path of the engine's table, as the form was given it. */
    fieldPaths: () => state.startup!.fields.sections.flatMap((s) => s.fields.map((f) => f.path)),
    chartMatches,
    chartRedraws: () => ({ ...SvgView.counts }),
    cspViolations: () => [...cspViolations],
    idle: () => !state.busy && state.queue.length === 0,
  };
  document.body.dataset.ready = "true";
}

void start();
