// The desktop app's screen: the scenario editor on the left, what the engine says about it
// on the right. Every edit goes to the Rust side as a change to the scenario file's text and
// comes back priced, with every chart redrawn; nothing is computed here.

import { Change, enqueue } from "./changes.js";
import { Doc, docName, isDirty, nextUntitled, suggestedFileName, windowTitle, withTomlExtension } from "./documents.js";
import {
  COMPREHEND_APIS,
  Diagnostic,
  Field,
  GEOGRAPHIES,
  RUNG_FIELDS,
  SECTIONS,
  STORAGE_CLASSES,
  concerns,
  display,
  encode,
  lifecycleText,
  rungPath,
  stringList,
  valueAt,
} from "./fields.js";
import { ago, money, percent, quantity, relativeChange, signedMoney } from "./format.js";
import { PerfLog } from "./perf.js";

// ----- the bridge -------------------------------------------------------------------------

interface IpcError {
  code: string;
  message: string;
  diagnostics?: Diagnostic[];
}

interface Tier {
  label: string;
  quantity: string;
  usd_per_unit: string;
  cost_usd: string;
}

interface Line {
  service: string;
  stage: string;
  description: string;
  quantity: string;
  unit: string;
  cost_usd: string | null;
  price_status: string;
  note: string | null;
  rung: string | null;
  tiers: Tier[];
}

interface Estimate {
  total_usd: string;
  complete: boolean;
  lines: Line[];
  unpriced: { service: string; description: string; reason: string | null }[];
  warnings: string[];
  capacity: Record<string, unknown> & { stored_tb: { class: string; tb: string }[] };
  unit_economics: Record<string, string | null>;
  snapshot: { id: string; created: string; origin: string };
}

interface ChartSvg {
  kind: string;
  svg: string | null;
  error: string | null;
}

interface Evaluation {
  text: string;
  tree: unknown;
  diagnostics: Diagnostic[];
  estimate: Estimate | null;
  chart: ChartSvg | null;
  chart_kinds: { kind: string; title: string }[];
  compute_ms: number;
}

interface Draft {
  slot: string;
  path: string | null;
  text: string;
  saved_at: number;
}

interface Pricing {
  id: string;
  created: string;
  origin: string;
  description: string;
  fallback: string | null;
  services: { service_code: string; records: number; by_status: [string, number][] }[];
  unverified: string[];
}

interface Startup {
  default_text: string;
  default_label: string;
  recent: string[];
  drafts: Draft[];
  pricing: Pricing;
  ladders: { name: string; source: string; rungs: number }[];
}

interface ComparisonView {
  a_label: string;
  b_label: string;
  rows: { service: string; a: string; b: string; difference: string }[];
  total_a: string;
  total_b: string;
  total_difference: string;
  complete: boolean;
}

declare global {
  interface Window {
    __TAURI__: { core: { invoke<T>(cmd: string, args?: Record<string, unknown>): Promise<T> } };
    ladderwise: unknown;
  }
}

function call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  return window.__TAURI__.core.invoke<T>(cmd, args);
}

function errorText(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) return String((e as IpcError).message);
  return String(e);
}

// ----- state ------------------------------------------------------------------------------

type Tab = "results" | "compare" | "pricing";

interface Queued {
  slot: string;
  change: Change;
  started: number;
}

const state = {
  startup: null as Startup | null,
  docs: [] as Doc[],
  active: 0,
  evaluations: new Map<string, Evaluation>(),
  lastGood: new Map<string, Evaluation>(),
  /** Each document's total as opened, created or last saved: what its changes are measured
   * against. */
  baselineTotal: new Map<string, string>(),
  tab: "results" as Tab,
  compareA: null as string | null,
  compareB: null as string | null,
  queue: [] as Queued[],
  busy: false,
  notice: null as { text: string; error: boolean } | null,
  confirmClose: null as string | null,
  expanded: new Set<string>(),
  chart: "ladder",
};

// Edit to screen (from the input event to the DOM updated, queueing included), the IPC
// round trip alone, and the DOM update alone.
// Anything the page's Content Security Policy refuses is recorded, so the tests can insist
// there is nothing.
const cspViolations: string[] = [];
document.addEventListener("securitypolicyviolation", (e) => cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));

const perf = new PerfLog();
const ipcPerf = new PerfLog();
const renderPerf = new PerfLog();
// From the input event to a sweep chart drawn after the numbers.
const chartPerf = new PerfLog();
let slotCounter = 0;

function newSlot(): string {
  slotCounter += 1;
  return `doc-${Date.now().toString(36)}-${slotCounter}`;
}

function activeDoc(): Doc {
  return state.docs[state.active];
}

function docBySlot(slot: string): Doc | undefined {
  return state.docs.find((d) => d.slot === slot);
}

function labelOf(doc: Doc): string {
  return doc.path ?? docName(doc);
}

// ----- small DOM helpers ------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null) node.append(c);
  return node;
}

function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el("button", { type: "button", ...attrs }, label);
  b.addEventListener("click", onClick);
  return b;
}

function $(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing #${id}`);
  return node;
}

// ----- evaluating and changing ------------------------------------------------------------

function setEvaluation(doc: Doc, ev: Evaluation): void {
  state.evaluations.set(doc.slot, ev);
  if (ev.estimate) {
    state.lastGood.set(doc.slot, ev);
    // The first valid price of an unchanged document is its baseline.
    if (!state.baselineTotal.has(doc.slot) && ev.text === doc.baseline) state.baselineTotal.set(doc.slot, ev.estimate.total_usd);
  }
}

async function evaluate(doc: Doc): Promise<void> {
  const ev = await call<Evaluation>("evaluate", { label: labelOf(doc), text: doc.text, chart: state.chart });
  setEvaluation(doc, ev);
}

/** Queues a change to the active document and works through the queue. */
function submit(change: Change): void {
  const slot = activeDoc().slot;
  const started = performance.now();
  const last = state.queue[state.queue.length - 1];
  if (last && last.slot === slot) {
    const merged = enqueue([last.change], change);
    if (merged.length === 1) {
      state.queue[state.queue.length - 1] = { slot, change: merged[0], started: last.started };
      return;
    }
  }
  state.queue.push({ slot, change, started });
  void pump();
}

/** Charts drawn with every edit. The others price the scenario over a whole sweep (4–12 ms),
 * so an edit brings the numbers first and such a chart follows in a second call. */
const DRAWN_WITH_EDIT = new Set(["ladder", "breakdown"]);

async function pump(): Promise<void> {
  if (state.busy) return;
  state.busy = true;
  try {
    while (state.queue.length) {
      const item = state.queue.shift()!;
      const doc = docBySlot(item.slot);
      if (!doc) continue;
      const sent = performance.now();
      const chart = DRAWN_WITH_EDIT.has(state.chart) ? state.chart : null;
      try {
        const ev = await call<Evaluation>("change", { label: labelOf(doc), text: doc.text, change: item.change, chart });
        ipcPerf.add(performance.now() - sent);
        doc.text = ev.text;
        setEvaluation(doc, ev);
      } catch (e) {
        notify(errorText(e), true);
      }
      if (state.queue.length === 0) {
        const received = performance.now();
        render();
        const done = performance.now();
        renderPerf.add(done - received);
        perf.add(done - item.started);
        performance.measure("ladderwise:edit", { start: item.started, end: done });
        scheduleDraft(doc);
        if (state.tab === "compare") void renderCompare();
        if (chart === null && state.evaluations.get(doc.slot)?.estimate) await followWithChart(doc, item.started);
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
    const ev = await call<Evaluation>("evaluate", { label: labelOf(doc), text, chart: kind });
    if (doc.text !== text || state.chart !== kind || state.queue.length > 0) return;
    setEvaluation(doc, ev);
    if (activeDoc() === doc && state.tab === "results") renderEstimate();
    chartPerf.add(performance.now() - started);
  } catch (e) {
    notify(errorText(e), true);
  }
}

const idleWaiters: (() => void)[] = [];

/** Resolves once every queued edit has reached the screen, its chart included. */
function whenIdle(): Promise<void> {
  if (!state.busy && state.queue.length === 0) return Promise.resolve();
  return new Promise((resolve) => idleWaiters.push(resolve));
}

// ----- drafts: unsaved edits survive a crash ----------------------------------------------

const draftTimers = new Map<string, number>();

function scheduleDraft(doc: Doc): void {
  window.clearTimeout(draftTimers.get(doc.slot));
  draftTimers.set(
    doc.slot,
    window.setTimeout(() => {
      const keep = isDirty(doc)
        ? call("keep_draft", { slot: doc.slot, path: doc.path, text: doc.text })
        : call("drop_draft", { slot: doc.slot });
      keep.catch((e) => notify(`unsaved edits could not be kept on disk: ${errorText(e)}`, true));
    }, 250),
  );
}

// ----- files ------------------------------------------------------------------------------

function addDoc(doc: Doc): void {
  // An untouched, never-saved document gives way to the one being opened or restored.
  const current = state.docs[state.active];
  if (current && current.path === null && !isDirty(current) && state.docs.length === 1) {
    state.docs = [doc];
    state.active = 0;
  } else {
    state.docs.push(doc);
    state.active = state.docs.length - 1;
  }
}

async function newDocument(): Promise<void> {
  const text = state.startup!.default_text;
  const doc: Doc = { slot: newSlot(), path: null, text, baseline: text, untitled: nextUntitled(state.docs) };
  state.docs.push(doc);
  state.active = state.docs.length - 1;
  await evaluate(doc);
  render();
}

async function openPath(path: string): Promise<void> {
  const existing = state.docs.findIndex((d) => d.path === path);
  if (existing >= 0) {
    state.active = existing;
    render();
    return;
  }
  try {
    const opened = await call<{ path: string; text: string }>("open_file", { path });
    await showOpened(opened);
  } catch (e) {
    notify(errorText(e), true);
  }
}

async function showOpened(opened: { path: string; text: string }): Promise<void> {
  const doc: Doc = { slot: newSlot(), path: opened.path, text: opened.text, baseline: opened.text, untitled: "" };
  addDoc(doc);
  await evaluate(doc);
  rememberRecent(opened.path);
  render();
}

async function openDialog(): Promise<void> {
  try {
    const opened = await call<{ path: string; text: string } | null>("pick_open");
    if (opened) {
      const existing = state.docs.findIndex((d) => d.path === opened.path);
      if (existing >= 0) state.active = existing;
      else await showOpened(opened);
      render();
    }
  } catch (e) {
    notify(errorText(e), true);
  }
}

async function saveTo(doc: Doc, path: string): Promise<boolean> {
  try {
    const text = doc.text;
    const saved = await call<string>("save_file", { path, text, slot: doc.slot });
    doc.path = saved;
    doc.baseline = text;
    const priced = state.evaluations.get(doc.slot);
    if (priced?.estimate && priced.text === text) state.baselineTotal.set(doc.slot, priced.estimate.total_usd);
    else state.baselineTotal.delete(doc.slot);
    window.clearTimeout(draftTimers.get(doc.slot));
    rememberRecent(saved);
    const ev = state.evaluations.get(doc.slot);
    const problems = ev ? ev.diagnostics.length : 0;
    notify(problems ? `saved ${docName(doc)}, with ${problems} problem(s) still to fix` : `saved ${saved}`, problems > 0);
    render();
    return true;
  } catch (e) {
    notify(errorText(e), true);
    return false;
  }
}

async function save(): Promise<void> {
  const doc = activeDoc();
  if (doc.path === null) return saveAs();
  await saveTo(doc, doc.path);
}

async function saveAs(): Promise<void> {
  const doc = activeDoc();
  const name = valueAt(state.evaluations.get(doc.slot)?.tree, "scenario.name");
  try {
    const path = await call<string | null>("pick_save", { suggested: suggestedFileName(doc, typeof name === "string" ? name : undefined) });
    if (path) await saveTo(doc, withTomlExtension(path));
  } catch (e) {
    notify(errorText(e), true);
  }
}

function rememberRecent(path: string): void {
  const s = state.startup!;
  s.recent = [path, ...s.recent.filter((p) => p !== path)].slice(0, 10);
}

function closeDoc(slot: string, force = false): void {
  const doc = docBySlot(slot);
  if (!doc) return;
  if (isDirty(doc) && !force) {
    state.confirmClose = slot;
    render();
    return;
  }
  state.confirmClose = null;
  void call("drop_draft", { slot }).catch(() => undefined);
  state.docs = state.docs.filter((d) => d.slot !== slot);
  state.active = Math.min(state.active, state.docs.length - 1);
  if (state.docs.length === 0) void newDocument();
  else render();
}

async function duplicateForCompare(): Promise<void> {
  const a = activeDoc();
  const copy: Doc = { slot: newSlot(), path: null, text: a.text, baseline: "", untitled: `${docName(a)} (copy)` };
  state.docs.push(copy);
  const original = state.lastGood.get(a.slot)?.estimate?.total_usd;
  if (original !== undefined) state.baselineTotal.set(copy.slot, original);
  await evaluate(copy);
  state.compareA = a.slot;
  state.compareB = copy.slot;
  state.active = state.docs.length - 1;
  state.tab = "compare";
  scheduleDraft(copy);
  render();
  void renderCompare();
}

// ----- notices ----------------------------------------------------------------------------

function notify(text: string, error: boolean): void {
  state.notice = { text, error };
  renderNotice();
}

function renderNotice(): void {
  const box = $("notice");
  box.replaceChildren();
  box.hidden = state.notice === null;
  if (!state.notice) return;
  box.className = state.notice.error ? "notice error" : "notice";
  box.append(el("pre", {}, state.notice.text), button("Dismiss", () => { state.notice = null; renderNotice(); }, { class: "link" }));
}

// ----- rendering --------------------------------------------------------------------------

function render(): void {
  const doc = activeDoc();
  if (!doc) return;
  const title = windowTitle(doc);
  if (document.title !== title) {
    document.title = title;
    void call("set_title", { title }).catch(() => undefined);
  }
  renderTabs();
  renderRecovery();
  renderForm();
  renderResults();
  renderStatus();
  renderNotice();
}

function renderTabs(): void {
  const bar = $("doc-tabs");
  bar.replaceChildren(
    ...state.docs.map((d, i) => {
      const tab = el("div", { class: i === state.active ? "doc-tab active" : "doc-tab", "data-slot": d.slot });
      const name = button(`${isDirty(d) ? "\u2022 " : ""}${docName(d)}`, () => { state.active = i; render(); }, { class: "doc-name", title: d.path ?? "not saved yet" });
      tab.append(name, button("\u00d7", () => closeDoc(d.slot), { class: "doc-close", title: "Close", "aria-label": `Close ${docName(d)}` }));
      return tab;
    }),
  );
  const confirm = $("confirm-close");
  confirm.replaceChildren();
  confirm.hidden = state.confirmClose === null;
  const pending = state.confirmClose ? docBySlot(state.confirmClose) : undefined;
  if (pending) {
    confirm.append(
      el("span", {}, `${docName(pending)} has unsaved edits.`),
      button("Discard them and close", () => closeDoc(pending.slot, true), { class: "danger" }),
      button("Keep editing", () => { state.confirmClose = null; render(); }),
    );
  }
  const recent = $("recent") as HTMLSelectElement;
  recent.replaceChildren(el("option", { value: "" }, "Recent files\u2026"), ...state.startup!.recent.map((p) => el("option", { value: p }, p)));
  recent.value = "";
}

function renderRecovery(): void {
  const box = $("recovery");
  const drafts = state.startup!.drafts;
  box.hidden = drafts.length === 0;
  box.replaceChildren();
  for (const d of drafts) {
    const name = d.path ?? "an unsaved scenario";
    box.append(
      el(
        "div",
        { class: "recovery-row" },
        el("span", {}, `Unsaved edits to ${name} from ${ago(d.saved_at, Date.now())} were kept when Ladderwise last stopped.`),
        button("Restore", () => void restoreDraft(d), { class: "primary" }),
        button("Discard", () => discardDraft(d)),
      ),
    );
  }
}

async function restoreDraft(d: Draft): Promise<void> {
  let baseline = "";
  if (d.path) {
    try {
      baseline = (await call<{ path: string; text: string }>("open_file", { path: d.path })).text;
    } catch {
      // The file is gone; everything in the draft counts as unsaved.
    }
  }
  const doc: Doc = { slot: d.slot, path: d.path, text: d.text, baseline, untitled: d.path ? "" : nextUntitled(state.docs) };
  state.startup!.drafts = state.startup!.drafts.filter((x) => x !== d);
  addDoc(doc);
  if (baseline) {
    try {
      const base = await call<Evaluation>("evaluate", { label: labelOf(doc), text: baseline, chart: "ladder" });
      if (base.estimate) state.baselineTotal.set(doc.slot, base.estimate.total_usd);
    } catch {
      // Without the saved file's price, no difference is shown.
    }
  }
  await evaluate(doc);
  render();
}

function discardDraft(d: Draft): void {
  state.startup!.drafts = state.startup!.drafts.filter((x) => x !== d);
  void call("drop_draft", { slot: d.slot }).catch((e) => notify(errorText(e), true));
  render();
}

/** What decides the form's shape: when only values change, the fields are updated in place
 * (an edit must reach the screen within a frame); anything else rebuilds the form. */
function formShape(doc: Doc, ev: Evaluation | undefined): string {
  const tree = ev?.tree ?? null;
  const rungs = (valueAt(tree, "ladder.rungs") as unknown[] | undefined)?.length ?? 0;
  const geo = Object.keys((valueAt(tree, "audience.geo") as object | undefined) ?? {}).join(",");
  const rules = (valueAt(tree, "storage.lifecycle") as unknown[] | undefined)?.length ?? 0;
  return JSON.stringify([doc.slot, tree === null, rungs, geo, rules, ev?.diagnostics ?? []]);
}

let renderedShape = "";

function renderForm(): void {
  const doc = activeDoc();
  const ev = state.evaluations.get(doc.slot);
  const shape = formShape(doc, ev);
  if (shape === renderedShape && ev?.tree) {
    updateFormValues(ev.tree);
    return;
  }
  renderedShape = shape;
  buildForm(ev);
}

/** Puts the tree's values into the fields, leaving alone the one being typed in. */
function updateFormValues(tree: unknown): void {
  const focused = document.activeElement;
  for (const input of $("editor").querySelectorAll<HTMLInputElement | HTMLSelectElement>("[data-path]")) {
    if (input === focused) continue;
    const path = input.dataset.path!;
    if (path.endsWith("#slider")) {
      const v = Number(valueAt(tree, path.slice(0, -"#slider".length)));
      if (Number.isFinite(v)) input.value = String(v);
      continue;
    }
    if (path.startsWith("storage.lifecycle.") || path.startsWith("nlp.apis.")) continue;
    const value = valueAt(tree, path);
    if (input instanceof HTMLInputElement && input.type === "checkbox") input.checked = value === true;
    else if (input.value !== display(value)) input.value = display(value);
  }
  const apis = ((valueAt(tree, "nlp.apis") as unknown[] | undefined) ?? []).map(String);
  for (const check of $("editor").querySelectorAll<HTMLInputElement>('input[data-path^="nlp.apis."]')) {
    check.checked = apis.includes(check.dataset.path!.slice("nlp.apis.".length));
  }
  const label = $("editor").querySelector<HTMLElement>(".share-sum");
  if (label) showShareSum(label, tree);
}

/** The sum of the rungs' watch shares, flagged when it is not 1 (the engine allows ±0.001). */
function showShareSum(label: HTMLElement, tree: unknown): HTMLElement {
  const rungs = (valueAt(tree, "ladder.rungs") as Record<string, unknown>[] | undefined) ?? [];
  const sum = rungs.map((r) => Number(r.watch_share)).filter(Number.isFinite).reduce((a, b) => a + b, 0);
  label.textContent = `shares sum to ${quantity(sum, 4)}`;
  label.classList.toggle("bad", Math.abs(sum - 1) > 0.001);
  return label;
}

// The field being typed in keeps its text and caret when the form is rebuilt.
function buildForm(ev: Evaluation | undefined): void {
  const form = $("editor");
  const focused = document.activeElement as HTMLInputElement | null;
  const focusPath = focused?.dataset?.path;
  const focusValue = focused && "value" in focused ? focused.value : null;
  const selection = focused && typeof focused.selectionStart === "number" ? [focused.selectionStart, focused.selectionEnd] : null;
  const scroll = form.scrollTop;

  const tree = ev?.tree ?? null;
  const diagnostics = ev?.diagnostics ?? [];
  const parts: Node[] = [];
  parts.push(problemsList(diagnostics));
  if (tree === null) {
    parts.push(el("p", { class: "syntax" }, "The file is not valid TOML, so its fields cannot be shown. Fix the line named above in a text editor, then open it again."));
  } else {
    for (const section of SECTIONS) {
      const box = el("section", { class: "form-section", id: `section-${section.id}` }, el("h2", {}, section.title));
      for (const f of section.fields) box.append(fieldRow(`${section.id}.${f.key}`, f, tree, diagnostics));
      if (section.id === "ladder") box.append(ladderTable(tree, diagnostics));
      if (section.id === "audience") box.append(geoTable(tree, diagnostics));
      if (section.id === "delivery") box.append(hitRateSlider(tree));
      if (section.id === "storage") box.append(lifecycleTable(tree, diagnostics));
      if (section.id === "nlp") box.append(apiChecks(tree, diagnostics));
      parts.push(box);
    }
  }
  form.replaceChildren(...parts);
  form.scrollTop = scroll;
  if (focusPath) {
    const again = form.querySelector<HTMLInputElement>(`[data-path="${CSS.escape(focusPath)}"]`);
    if (again) {
      if (focusValue !== null && again.type !== "checkbox" && again.type !== "range" && again.tagName !== "SELECT") again.value = focusValue;
      again.focus();
      if (selection && typeof again.setSelectionRange === "function" && again.type === "text") {
        again.setSelectionRange(selection[0] ?? 0, selection[1] ?? 0);
      }
    }
  }
}

function problemsList(diagnostics: Diagnostic[]): HTMLElement {
  const box = el("div", { class: "problems", id: "problems" });
  box.hidden = diagnostics.length === 0;
  if (diagnostics.length === 0) return box;
  box.append(el("h2", {}, diagnostics.length === 1 ? "1 problem" : `${diagnostics.length} problems`));
  const list = el("ul");
  for (const d of diagnostics) {
    const where = `line ${d.line}, column ${d.column}` + (d.field ? ` \u00b7 ${d.field}` : "");
    const item = el("li", {}, el("span", { class: "where" }, where), el("span", {}, d.message), d.hint ? el("span", { class: "hint" }, `hint: ${d.hint}`) : null);
    item.addEventListener("click", () => {
      const target = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(d.field)}"]`);
      target?.focus();
    });
    list.append(item);
  }
  box.append(list);
  return box;
}

function fieldErrors(path: string, diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => concerns(d, path));
}

function inputFor(path: string, f: Field, value: unknown, invalid: boolean): HTMLElement {
  let input: HTMLInputElement | HTMLSelectElement;
  if (f.kind === "bool") {
    const box = el("input", { type: "checkbox", "data-path": path });
    box.checked = value === true;
    box.addEventListener("change", () => submit({ kind: "set", path, value: box.checked ? "true" : "false" }));
    input = box;
  } else if (f.kind === "choice") {
    const select = el("select", { "data-path": path });
    const current = display(value);
    const choices = f.choices ?? [];
    for (const c of choices.includes(current) || current === "" ? choices : [current, ...choices]) select.append(el("option", { value: c }, c));
    select.value = current;
    select.addEventListener("change", () => submit({ kind: "set", path, value: encode("choice", select.value) }));
    input = select;
  } else {
    const text = el("input", { type: "text", "data-path": path, spellcheck: "false", autocomplete: "off" });
    if (f.kind === "number") text.inputMode = "decimal";
    text.value = display(value);
    text.addEventListener("input", () => submit({ kind: "set", path, value: encode(f.kind, text.value) }));
    input = text;
  }
  if (invalid) input.classList.add("invalid");
  input.setAttribute("aria-label", f.label);
  if (f.help) input.title = f.help;
  return input;
}

function errorNotes(errors: Diagnostic[]): HTMLElement | null {
  if (errors.length === 0) return null;
  return el(
    "div",
    { class: "field-error" },
    ...errors.map((d) => el("div", {}, d.message, d.hint ? el("div", { class: "hint" }, `hint: ${d.hint}`) : null)),
  );
}

function fieldRow(path: string, f: Field, tree: unknown, diagnostics: Diagnostic[]): HTMLElement {
  const errors = fieldErrors(path, diagnostics);
  return el(
    "div",
    { class: "field" },
    el("label", {}, f.label, f.unit ? el("span", { class: "unit" }, ` ${f.unit}`) : null),
    inputFor(path, f, valueAt(tree, path), errors.length > 0),
    errorNotes(errors),
  );
}

function ladderTable(tree: unknown, diagnostics: Diagnostic[]): HTMLElement {
  const rungs = (valueAt(tree, "ladder.rungs") as unknown[] | undefined) ?? [];
  const table = el("table", { class: "rungs", id: "rungs" });
  table.append(el("thead", {}, el("tr", {}, el("th", {}, "#"), ...RUNG_FIELDS.map((f) => el("th", { title: f.help ?? "" }, f.label)), el("th", {}, ""))));
  const body = el("tbody");
  const errors: Diagnostic[] = [];
  rungs.forEach((_, i) => {
    const row = el("tr", { "data-rung": String(i) }, el("td", { class: "num" }, String(i + 1)));
    for (const f of RUNG_FIELDS) {
      const path = rungPath(i, f.key);
      const mine = fieldErrors(path, diagnostics);
      errors.push(...mine.filter((d) => !errors.includes(d)));
      row.append(el("td", {}, inputFor(path, f, valueAt(tree, path), mine.length > 0)));
    }
    const action = (label: string, title: string, change: Change, enabled: boolean) => {
      const b = button(label, () => submit(change), { title, "aria-label": `${title}: rung ${i + 1}` });
      b.disabled = !enabled;
      return b;
    };
    row.append(
      el(
        "td",
        { class: "row-actions" },
        action("\u2191", "Move up", { kind: "move_rung", from: i + 1, to: i }, i > 0),
        action("\u2193", "Move down", { kind: "move_rung", from: i + 1, to: i + 2 }, i < rungs.length - 1),
        action("\u2295", "Duplicate (share 0)", { kind: "duplicate_rung", rung: i + 1 }, true),
        action("\u2715", "Remove", { kind: "remove_rung", rung: i + 1 }, rungs.length > 1),
      ),
    );
    body.append(row);
  });
  table.append(body);

  const ladders = el("select", { id: "reference-ladder", "aria-label": "Load a reference ladder" }, el("option", { value: "" }, "Load a reference ladder\u2026"));
  for (const l of state.startup!.ladders) ladders.append(el("option", { value: l.name, title: l.source }, `${l.name} (${l.rungs} rungs)`));
  ladders.addEventListener("change", () => {
    if (ladders.value) submit({ kind: "reference_ladder", name: ladders.value });
  });
  const tools = el(
    "div",
    { class: "ladder-tools" },
    ladders,
    button("Scale shares to 1", () => submit({ kind: "normalize_shares" }), { id: "normalize-shares" }),
    showShareSum(el("span", { class: "share-sum" }), tree),
  );
  return el("div", { class: "ladder" }, el("div", { class: "table-scroll" }, table), errorNotes(errors), tools);
}

function geoTable(tree: unknown, diagnostics: Diagnostic[]): HTMLElement {
  const geo = (valueAt(tree, "audience.geo") as Record<string, unknown> | undefined) ?? {};
  const box = el("div", { class: "geo" }, el("h3", {}, "Viewers by CloudFront geography (share of watch time)"));
  for (const [key, label] of GEOGRAPHIES) {
    if (!(key in geo)) continue;
    box.append(fieldRow(`audience.geo.${key}`, { key, label, kind: "number" }, tree, diagnostics));
  }
  const missing = GEOGRAPHIES.filter(([k]) => !(k in geo));
  if (missing.length) {
    const add = el("select", { "aria-label": "Add a geography" }, el("option", { value: "" }, "Add a geography\u2026"), ...missing.map(([k, l]) => el("option", { value: k }, l)));
    add.addEventListener("change", () => {
      if (add.value) submit({ kind: "set", path: `audience.geo.${add.value}`, value: "0" });
    });
    box.append(add);
  }
  const unknown = Object.keys(geo).filter((k) => !GEOGRAPHIES.some(([g]) => g === k));
  for (const key of unknown) box.append(fieldRow(`audience.geo.${key}`, { key, label: key, kind: "number" }, tree, diagnostics));
  box.append(errorNotes(fieldErrors("audience.geo", diagnostics)) ?? "");
  return box;
}

function hitRateSlider(tree: unknown): HTMLElement {
  const value = Number(valueAt(tree, "delivery.cache_hit_rate") ?? 0.9);
  const slider = el("input", { type: "range", min: "0", max: "1", step: "0.005", id: "hit-rate-slider", "data-path": "delivery.cache_hit_rate#slider", "aria-label": "Cache hit rate" });
  slider.value = String(Number.isFinite(value) ? value : 0.9);
  const label = el("span", { class: "slider-value" }, Number.isFinite(value) ? percent(value) : "\u2014");
  slider.addEventListener("input", () => {
    label.textContent = percent(Number(slider.value));
    submit({ kind: "set", path: "delivery.cache_hit_rate", value: encode("number", slider.value) });
  });
  return el("div", { class: "field slider" }, el("label", {}, "Cache hit rate"), slider, label);
}

function lifecycleTable(tree: unknown, diagnostics: Diagnostic[]): HTMLElement {
  const rules = ((valueAt(tree, "storage.lifecycle") as Record<string, unknown>[] | undefined) ?? []).map((r) => ({
    after_days: display(r.after_days),
    class: display(r.class),
  }));
  const write = (next: { after_days: string; class: string }[]) => submit({ kind: "set", path: "storage.lifecycle", value: lifecycleText(next) });
  const box = el("div", { class: "lifecycle" }, el("h3", {}, "Lifecycle transitions"));
  rules.forEach((r, i) => {
    const days = el("input", { type: "text", inputmode: "numeric", "data-path": `storage.lifecycle.${i}.after_days`, "aria-label": "After days" });
    days.value = r.after_days;
    days.addEventListener("input", () => write(rules.map((x, j) => (j === i ? { ...x, after_days: days.value } : x))));
    const cls = el("select", { "data-path": `storage.lifecycle.${i}.class`, "aria-label": "Storage class" }, ...STORAGE_CLASSES.map((c) => el("option", { value: c }, c)));
    cls.value = r.class;
    cls.addEventListener("change", () => write(rules.map((x, j) => (j === i ? { ...x, class: cls.value } : x))));
    box.append(el("div", { class: "rule" }, el("span", {}, "after"), days, el("span", {}, "days move to"), cls, button("\u2715", () => write(rules.filter((_, j) => j !== i)), { title: "Remove rule" })));
  });
  box.append(button("Add a rule", () => write([...rules, { after_days: String(rules.length ? Number(rules[rules.length - 1].after_days) + 30 || 90 : 30), class: "standard-ia" }]), { class: "link" }));
  box.append(errorNotes(diagnostics.filter((d) => d.field.startsWith("storage.lifecycle"))) ?? "");
  return box;
}

function apiChecks(tree: unknown, diagnostics: Diagnostic[]): HTMLElement {
  const apis = ((valueAt(tree, "nlp.apis") as unknown[] | undefined) ?? []).map(String);
  const box = el("div", { class: "apis" }, el("h3", {}, "APIs called for each document"));
  for (const api of COMPREHEND_APIS) {
    const check = el("input", { type: "checkbox", "data-path": `nlp.apis.${api}` });
    check.checked = apis.includes(api);
    check.addEventListener("change", () => {
      const next = check.checked ? [...apis, api] : apis.filter((a) => a !== api);
      submit({ kind: "set", path: "nlp.apis", value: stringList(next) });
    });
    box.append(el("label", { class: "check" }, check, ` ${api.replace("_", " ")}`));
  }
  box.append(errorNotes(diagnostics.filter((d) => d.field.startsWith("nlp.apis"))) ?? "");
  return box;
}

// ----- results ----------------------------------------------------------------------------

function renderResults(): void {
  for (const t of ["results", "compare", "pricing"] as Tab[]) {
    $(`tab-${t}`).classList.toggle("active", state.tab === t);
    $(`view-${t}`).hidden = state.tab !== t;
  }
  if (state.tab === "results") renderEstimate();
  if (state.tab === "pricing") renderPricing();
  if (state.tab === "compare") renderCompareChoices();
}

function renderEstimate(): void {
  const doc = activeDoc();
  const ev = state.evaluations.get(doc.slot);
  const good = ev?.estimate ? ev : state.lastGood.get(doc.slot);
  const view = $("view-results");
  const stale = !!ev && !ev.estimate;
  view.classList.toggle("stale", stale);
  const banner = $("stale-banner");
  banner.hidden = !stale;
  banner.textContent = stale
    ? `The scenario has ${ev!.diagnostics.length === 1 ? "a problem" : `${ev!.diagnostics.length} problems`} (see the editor); these are the last valid results.`
    : "";
  const e = good?.estimate;
  if (!e || !good) {
    $("total").textContent = "\u2014";
    return;
  }
  $("total").textContent = money(e.total_usd);
  $("total-note").textContent = e.complete ? "per month, first month of the plan" : "per month, and more: some lines are unpriced";
  $("total-note").classList.toggle("bad", !e.complete);
  const before = state.baselineTotal.get(doc.slot);
  const delta = $("total-delta");
  if (before !== undefined && before !== e.total_usd) {
    const diff = Number(e.total_usd) - Number(before);
    const rel = relativeChange(Number(before), Number(e.total_usd));
    const since = doc.path === null ? "since this scenario was created" : "since it was last opened or saved";
    delta.textContent = `${signedMoney(diff)}${rel === null ? "" : ` (${rel >= 0 ? "+" : "\u2212"}${percent(Math.abs(rel))})`} ${since}`;
  } else {
    delta.textContent = "";
  }
  renderLines(e);
  renderFacts(e);
  renderWarnings(e);
  renderChart(good);
}

function renderLines(e: Estimate): void {
  const services = [...new Set(e.lines.map((l) => l.service))];
  const body = el("tbody");
  for (const s of services) {
    const lines = e.lines.filter((l) => l.service === s);
    const subtotal = lines.reduce((a, l) => a + (l.cost_usd === null ? 0 : Number(l.cost_usd)), 0);
    const unpriced = lines.some((l) => l.cost_usd === null);
    body.append(el("tr", { class: "service-row" }, el("th", { colspan: "2" }, s), el("td", { class: "money" }, money(String(subtotal)) + (unpriced ? " +" : ""))));
    lines.forEach((l, i) => {
      const key = `${s}/${l.description}/${i}`;
      const open = state.expanded.has(key);
      const toggle = button(open ? "\u25be" : "\u25b8", () => {
        if (state.expanded.has(key)) state.expanded.delete(key);
        else state.expanded.add(key);
        renderEstimate();
      }, { class: "expand", title: "Show tiers", "aria-expanded": String(open) });
      const status = l.price_status === "unverified" ? el("span", { class: "badge warn", title: "price not confirmed by AWS" }, "unverified") : null;
      body.append(
        el(
          "tr",
          { class: l.cost_usd === null ? "line unpriced" : "line" },
          el("td", {}, toggle, ` ${l.description}${l.rung ? ` \u00b7 ${l.rung}` : ""} `, status),
          el("td", { class: "qty" }, `${quantity(l.quantity)} ${l.unit}`),
          el("td", { class: "money" }, l.cost_usd === null ? "UNPRICED" : money(l.cost_usd)),
        ),
      );
      if (open) {
        for (const t of l.tiers) {
          body.append(el("tr", { class: "tier" }, el("td", {}, t.label), el("td", { class: "qty" }, `${quantity(t.quantity)} ${l.unit}`), el("td", { class: "money" }, money(t.cost_usd))));
        }
        if (l.note) body.append(el("tr", { class: "tier" }, el("td", { colspan: "3" }, l.note)));
      }
    });
  }
  $("lines").replaceChildren(el("table", { class: "lines" }, body));
}

function renderFacts(e: Estimate): void {
  const c = e.capacity as Record<string, string | null>;
  const u = e.unit_economics;
  const fact = (label: string, value: string) => el("div", { class: "fact" }, el("dt", {}, label), el("dd", {}, value));
  const stored = e.capacity.stored_tb.map((s) => `${quantity(s.tb, 2)} TB ${s.class}`).join(", ");
  $("capacity").replaceChildren(
    fact("Peak egress", `${quantity(c.peak_egress_gbps, 2)} Gbit/s`),
    fact("Average egress", `${quantity(c.avg_egress_gbps, 2)} Gbit/s`),
    fact("Peak concurrent viewers", quantity(c.peak_concurrent_viewers, 0)),
    fact("Peak requests", `${quantity(c.peak_requests_per_second, 0)} /s`),
    fact("Stored", `${quantity(c.stored_tb_total, 2)} TB${stored ? ` (${stored})` : ""}`),
    fact("Titles per month", quantity(c.titles_per_month, 0)),
    fact("Output minutes", quantity(c.transcode_output_minutes, 0)),
    fact("Normalized minutes", c.normalized_minutes === null ? "\u2014" : quantity(c.normalized_minutes, 0)),
    fact("Reserved slots needed", c.reserved_slots_needed === null ? "\u2014" : quantity(c.reserved_slots_needed, 1)),
  );
  $("economics").replaceChildren(
    fact("Per viewer-hour", u.usd_per_viewer_hour === null ? "\u2014" : money(u.usd_per_viewer_hour)),
    fact("Per title", u.usd_per_title === null ? "\u2014" : money(u.usd_per_title)),
    fact("Per delivered GB", u.usd_per_delivered_gb === null ? "\u2014" : money(u.usd_per_delivered_gb)),
    fact("Delivered", `${quantity(u.delivered_gb, 0)} GB`),
    fact("Viewer-hours", quantity(u.viewer_hours, 0)),
  );
}

function renderWarnings(e: Estimate): void {
  const items = [
    ...e.unpriced.map((u) => `Unpriced: ${u.service}, ${u.description}${u.reason ? ` \u2014 ${u.reason}` : ""}`),
    ...e.warnings,
  ];
  const box = $("warnings");
  box.hidden = items.length === 0;
  box.replaceChildren(el("h3", {}, "Warnings"), el("ul", {}, ...items.map((w) => el("li", {}, w))));
}

let lastDrawnChart = "";

function renderChart(ev: Evaluation): void {
  $("chart-picker").replaceChildren(
    ...ev.chart_kinds.map((c) =>
      button(c.title, () => void showChart(c.kind), {
        class: c.kind === state.chart ? "active" : "",
        role: "tab",
        "data-chart-tab": c.kind,
        "aria-selected": String(c.kind === state.chart),
      }),
    ),
  );
  const shown = ev.chart;
  const box = $("charts");
  // A sweep chart arrives after the numbers: until then the previous drawing stays, dimmed.
  box.classList.toggle("pending", !shown || shown.kind !== state.chart);
  if (!shown) return;
  // Parsing the SVG is the costliest part of a redraw; an unchanged chart is left alone.
  const drawn = shown.kind + (shown.svg ?? shown.error ?? "");
  if (drawn === lastDrawnChart && box.firstChild) return;
  lastDrawnChart = drawn;
  const figure = el("figure", { class: "chart", "data-chart": shown.kind });
  const body = el("div", { class: "chart-body" });
  // The SVG is drawn by the Rust side from the engine's numbers; it carries no script, and
  // the page's CSP would refuse one.
  if (shown.svg) body.innerHTML = shown.svg;
  else body.append(el("div", { class: "chart-error" }, `This chart could not be drawn: ${shown.error ?? "no data"}`));
  figure.append(body);
  box.replaceChildren(figure);
}

/** Switches the chart on screen: only that one is drawn on each edit. */
async function showChart(kind: string): Promise<void> {
  state.chart = kind;
  const doc = activeDoc();
  const good = state.lastGood.get(doc.slot);
  try {
    // The last valid text is drawn, so the chart matches the numbers beside it.
    const ev = await call<Evaluation>("evaluate", { label: labelOf(doc), text: good?.text ?? doc.text, chart: kind });
    if (good && ev.estimate) state.lastGood.set(doc.slot, ev);
    if (!good || good === state.evaluations.get(doc.slot)) state.evaluations.set(doc.slot, ev);
  } catch (e) {
    notify(errorText(e), true);
  }
  renderEstimate();
}

// ----- compare ----------------------------------------------------------------------------

function renderCompareChoices(): void {
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

async function renderCompare(): Promise<void> {
  renderCompareChoices();
  const out = $("compare-table");
  const a = state.compareA ? docBySlot(state.compareA) : undefined;
  const b = state.compareB ? docBySlot(state.compareB) : undefined;
  if (!a || !b || a === b) {
    out.replaceChildren(el("p", { class: "muted" }, "Open a second scenario, or duplicate this one and change the copy, to compare them side by side."));
    return;
  }
  try {
    const c = await call<ComparisonView>("compare", { aLabel: docName(a), aText: a.text, bLabel: docName(b), bText: b.text });
    const diffCell = (v: string) => el("td", { class: Number(v) > 0 ? "money up" : Number(v) < 0 ? "money down" : "money" }, signedMoney(v));
    const body = el("tbody", {}, ...c.rows.map((r) => el("tr", {}, el("th", {}, r.service), el("td", { class: "money" }, money(r.a)), el("td", { class: "money" }, money(r.b)), diffCell(r.difference))));
    const foot = el("tfoot", {}, el("tr", {}, el("th", {}, "Total per month"), el("td", { class: "money" }, money(c.total_a)), el("td", { class: "money" }, money(c.total_b)), diffCell(c.total_difference)));
    out.replaceChildren(
      el("table", { class: "compare", id: "comparison" }, el("thead", {}, el("tr", {}, el("th", {}, "Service"), el("th", {}, `A: ${c.a_label}`), el("th", {}, `B: ${c.b_label}`), el("th", {}, "B \u2212 A"))), body, foot),
      c.complete ? "" : el("p", { class: "bad" }, "At least one side has unpriced lines, so its total is a lower bound."),
    );
  } catch (e) {
    out.replaceChildren(el("p", { class: "bad" }, errorText(e)));
  }
}

// ----- pricing ----------------------------------------------------------------------------

function renderPricing(): void {
  const p = state.startup!.pricing;
  const ev = state.evaluations.get(activeDoc().slot);
  const warnings = (ev?.estimate ?? state.lastGood.get(activeDoc().slot)?.estimate)?.warnings ?? [];
  const view = $("view-pricing");
  view.replaceChildren(
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

// ----- status bar -------------------------------------------------------------------------

function renderStatus(): void {
  const doc = activeDoc();
  const s = perf.summary();
  const ev = state.evaluations.get(doc.slot);
  const timing = s.n
    ? `edit \u2192 screen ${s.last.toFixed(1)} ms (p50 ${s.p50.toFixed(1)}, p95 ${s.p95.toFixed(1)} over ${s.n})`
    : ev
      ? `engine ${ev.compute_ms.toFixed(1)} ms`
      : "";
  $("status").replaceChildren(
    el("span", { id: "status-path" }, doc.path ?? `${docName(doc)} (not saved yet)`),
    el("span", { id: "status-dirty" }, isDirty(doc) ? "unsaved edits" : "saved"),
    el("span", {}, `prices: ${state.startup!.pricing.id}`),
    el("span", { id: "status-perf" }, timing),
  );
}

// ----- start ------------------------------------------------------------------------------

function wire(): void {
  $("new").addEventListener("click", () => void newDocument());
  $("open").addEventListener("click", () => void openDialog());
  $("save").addEventListener("click", () => void save());
  $("save-as").addEventListener("click", () => void saveAs());
  $("duplicate").addEventListener("click", () => void duplicateForCompare());
  const recent = $("recent") as HTMLSelectElement;
  recent.addEventListener("change", () => {
    if (recent.value) void openPath(recent.value);
  });
  for (const t of ["results", "compare", "pricing"] as Tab[]) {
    $(`tab-${t}`).addEventListener("click", () => {
      state.tab = t;
      render();
      if (t === "compare") void renderCompare();
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
  try {
    state.startup = await call<Startup>("startup");
  } catch (e) {
    document.body.textContent = `Ladderwise could not start: ${errorText(e)}`;
    return;
  }
  await newDocument();
  // For the end-to-end tests and for anyone measuring: the same paths the buttons take,
  // without the native dialogs, which WebDriver cannot drive.
  window.ladderwise = {
    saveTo: (path: string) => saveTo(activeDoc(), path),
    openPath,
    perf: () => ({ edit: perf.summary(), ipc: ipcPerf.summary(), render: renderPerf.summary(), chart: chartPerf.summary() }),
    resetPerf: () => { perf.clear(); ipcPerf.clear(); renderPerf.clear(); chartPerf.clear(); },
    /** Types each value into the field at `path`, one edit every `gapMs` once the screen has
     * followed (100 ms: a fast typist), for measuring without a test driver polling the page. */
    measure: async (path: string, values: string[], gapMs = 100) => {
      for (const value of values) {
        await new Promise((resolve) => setTimeout(resolve, gapMs));
        const input = document.querySelector<HTMLInputElement>(`[data-path="${CSS.escape(path)}"]`);
        if (!input) throw new Error(`no field ${path}`);
        input.focus();
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await whenIdle();
      }
    },
    activeText: () => activeDoc().text,
    cspViolations: () => [...cspViolations],
    idle: () => !state.busy && state.queue.length === 0,
  };
  document.body.dataset.ready = "true";
}

void start();
