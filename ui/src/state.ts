// The app's state: open documents, what the engine said about each, the tab and chart on
// screen. Views read it; the modules that change it ask `hooks` to redraw.

import type { Startup } from "./bindings/Startup.js";
import { Doc, docName } from "./documents.js";
import { PerfLog } from "./perf.js";
import type { Queued } from "./queue.js";
import type { DocView } from "./view.js";

export type Tab = "results" | "compare" | "forecast" | "usage" | "pricing";

/** A message above the editor, with a button that acts on it (Undo import) when there is one. */
export interface Notice {
  text: string;
  error: boolean;
  action?: { label: string; run: () => void };
}

/** The answer to "this tab has unsaved edits" while the window closes. */
export type CloseAnswer = "save" | "discard" | "cancel";

export const state = {
  startup: null as Startup | null,
  docs: [] as Doc[],
  active: 0,
  views: new Map<string, DocView>(),
  /** Each document's total (`total_usd`) as opened, created or last saved: what its changes
   * are measured against, by the engine. */
  baselineTotal: new Map<string, string>(),
  tab: "results" as Tab,
  compareA: null as string | null,
  compareB: null as string | null,
  queue: [] as Queued[],
  busy: false,
  notice: null as Notice | null,
  /** The last import of a ladder, while it can be undone: the document, its text before and
   * the text the import gave it. */
  undoImport: null as { slot: string; previous: string; imported: string } | null,
  confirmClose: null as string | null,
  /** While the window is closing: the unsaved document asked about, and where its answer
   * goes. */
  closingWindow: null as { slot: string; answer: (a: CloseAnswer) => void } | null,
  expanded: new Set<string>(),
  chart: "ladder",
  /** When the input of the edit now being drawn came (`performance.now()`), for the views
   * that follow an edit on their own (the forecast) to time themselves from it. */
  editStarted: null as number | null,
};

/** Redraws, set by main.ts, so that modules which change the state need not import the views. */
export const hooks = {
  render: (): void => undefined,
  renderResults: (): void => undefined,
  renderCompare: (): Promise<void> => Promise.resolve(),
  notify: (_text: string, _error: boolean, _action?: Notice["action"]): void => undefined,
  /** Takes the notice off the screen. */
  dismiss: (): void => undefined,
};

// Edit to screen (from the input event to the DOM updated, queueing included), the IPC
// round trip alone, the DOM update alone, and edit to the next painted frame.
export const perf = {
  edit: new PerfLog(),
  ipc: new PerfLog(),
  // The Rust side's part of that round trip (the `compute_ms` it reports).
  compute: new PerfLog(),
  render: new PerfLog(),
  paint: new PerfLog(),
  // From the input event to a sweep chart drawn after the numbers.
  chart: new PerfLog(),
  // From the input event to the Forecast view redrawn for the edited text: its first look
  // (a preview of few paths), and every path the scenario asks for.
  forecast: new PerfLog(),
  forecastFull: new PerfLog(),
};

export function startup(): Startup {
  if (!state.startup) throw new Error("the app has not started");
  return state.startup;
}

let slotCounter = 0;

export function newSlot(): string {
  slotCounter += 1;
  return `doc-${Date.now().toString(36)}-${slotCounter}`;
}

export function activeDoc(): Doc {
  return state.docs[state.active];
}

export function docBySlot(slot: string): Doc | undefined {
  return state.docs.find((d) => d.slot === slot);
}

/** How the engine names the document in its messages. */
export function labelOf(doc: Doc): string {
  return doc.path ?? docName(doc);
}

export function chartDrawnWithEdit(kind: string): boolean {
  return startup().charts.find((c) => c.kind === kind)?.with_edit ?? false;
}
