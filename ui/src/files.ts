// Documents and files: new, open, save, save as, close, duplicate to compare, the recent
// list, and unsaved edits offered back after a crash.

import type { Calibrated } from "./bindings/Calibrated.js";
import type { Draft } from "./bindings/Draft.js";
import type { Opened } from "./bindings/Opened.js";
import { Doc, docName, isDirty, nextUntitled, suggestedFileName } from "./documents.js";
import { cancelDraft, scheduleDraft } from "./drafts.js";
import { evaluateDoc, whenIdle } from "./edits.js";
import { valueAt } from "./fields.js";
import * as ipc from "./ipc.js";
import { CloseAnswer, activeDoc, docBySlot, hooks, labelOf, newSlot, startup, state } from "./state.js";

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

export async function newDocument(): Promise<void> {
  const text = startup().default_text;
  const doc: Doc = { slot: newSlot(), path: null, text, baseline: text, untitled: nextUntitled(state.docs) };
  state.docs.push(doc);
  state.active = state.docs.length - 1;
  await evaluateDoc(doc);
  hooks.render();
}

export async function openPath(path: string): Promise<void> {
  const existing = state.docs.findIndex((d) => d.path === path);
  if (existing >= 0) {
    state.active = existing;
    hooks.render();
    return;
  }
  try {
    await showOpened(await ipc.openFile(path));
  } catch (e) {
    hooks.notify(ipc.errorText(e), true);
  }
}

async function showOpened(opened: Opened): Promise<void> {
  // A message about another file ("saved …") does not stay over the one opened; an error
  // stays until dismissed.
  if (state.notice && !state.notice.error) hooks.dismiss();
  const doc: Doc = { slot: newSlot(), path: opened.path, text: opened.text, baseline: opened.text, untitled: "" };
  addDoc(doc);
  await evaluateDoc(doc);
  rememberRecent(opened.path);
  hooks.render();
}

export async function openDialog(): Promise<void> {
  try {
    const opened = await ipc.pickOpen();
    if (opened) {
      const existing = state.docs.findIndex((d) => d.path === opened.path);
      if (existing >= 0) state.active = existing;
      else await showOpened(opened);
      hooks.render();
    }
  } catch (e) {
    hooks.notify(ipc.errorText(e), true);
  }
}

export async function saveTo(doc: Doc, path: string): Promise<boolean> {
  try {
    const text = doc.text;
    const saved = await ipc.saveFile(path, text, doc.slot);
    doc.path = saved;
    doc.baseline = text;
    // The total as saved is what later changes are measured against.
    const priced = state.views.get(doc.slot)?.good;
    const baseline = priced && priced.text === text ? priced.totals.baseline_usd : null;
    if (baseline !== null) state.baselineTotal.set(doc.slot, baseline);
    else state.baselineTotal.delete(doc.slot);
    cancelDraft(doc);
    rememberRecent(saved);
    const problems = state.views.get(doc.slot)?.diagnostics.length ?? 0;
    hooks.notify(problems ? `saved ${docName(doc)}, with ${problems} problem(s) still to fix` : `saved ${saved}`, problems > 0);
    await evaluateDoc(doc);
    hooks.render();
    return true;
  } catch (e) {
    hooks.notify(ipc.errorText(e), true);
    return false;
  }
}

export async function save(): Promise<boolean> {
  return saveDoc(activeDoc());
}

export async function saveAs(): Promise<boolean> {
  return saveDocAs(activeDoc());
}

/** Saves `doc` to its file, or asks where when it has none; false when not saved. */
async function saveDoc(doc: Doc): Promise<boolean> {
  if (doc.path === null) return saveDocAs(doc);
  return saveTo(doc, doc.path);
}

/** The Save dialog (which adds `.toml` to a bare name), then the save; false when cancelled
 * or not saved. */
async function saveDocAs(doc: Doc): Promise<boolean> {
  const name = valueAt(state.views.get(doc.slot)?.tree, "scenario.name");
  try {
    const path = await ipc.pickSave(suggestedFileName(doc, typeof name === "string" ? name : undefined));
    return path ? await saveTo(doc, path) : false;
  } catch (e) {
    hooks.notify(ipc.errorText(e), true);
    return false;
  }
}

/** Answers the window's close request: each tab with unsaved edits is shown in turn and asks
 * Save / Discard / Cancel; Cancel, or a save that does not happen, keeps the window open.
 * Only once every tab is settled does the window close. */
export async function closeWindow(): Promise<void> {
  if (state.closingWindow) return; // already asking
  await whenIdle(); // edits on their way count as unsaved
  try {
    for (const doc of [...state.docs]) {
      if (!isDirty(doc)) continue;
      state.active = state.docs.indexOf(doc);
      const answer = await new Promise<CloseAnswer>((resolve) => {
        state.closingWindow = { slot: doc.slot, answer: resolve };
        hooks.render();
      });
      state.closingWindow = null;
      if (answer === "cancel") return;
      if (answer === "save" && !(await saveDoc(doc))) return;
      // A discarded tab's draft is not offered back next time.
      if (answer === "discard") await ipc.dropDraft(doc.slot).catch(() => undefined);
    }
    await ipc.closeWindow();
  } catch (e) {
    hooks.notify(ipc.errorText(e), true);
  } finally {
    state.closingWindow = null;
    hooks.render();
  }
}

function rememberRecent(path: string): void {
  const s = startup();
  s.recent = [path, ...s.recent.filter((p) => p !== path)].slice(0, 10);
}

export function closeDoc(slot: string, force = false): void {
  const doc = docBySlot(slot);
  if (!doc) return;
  if (isDirty(doc) && !force) {
    state.confirmClose = slot;
    hooks.render();
    return;
  }
  state.confirmClose = null;
  void ipc.dropDraft(slot).catch(() => undefined);
  state.docs = state.docs.filter((d) => d.slot !== slot);
  state.views.delete(slot);
  state.active = Math.min(state.active, state.docs.length - 1);
  if (state.docs.length === 0) void newDocument();
  else hooks.render();
}

export async function duplicateForCompare(): Promise<void> {
  const a = activeDoc();
  const copy: Doc = { slot: newSlot(), path: null, text: a.text, baseline: "", untitled: `${docName(a)} (copy)` };
  state.docs.push(copy);
  // The copy's changes are measured against the original.
  const original = state.views.get(a.slot)?.good?.estimate.total_usd;
  if (original !== undefined) state.baselineTotal.set(copy.slot, original);
  await evaluateDoc(copy);
  state.compareA = a.slot;
  state.compareB = copy.slot;
  state.active = state.docs.length - 1;
  state.tab = "compare";
  scheduleDraft(copy);
  hooks.render();
  void hooks.renderCompare();
}

export async function restoreDraft(d: Draft): Promise<void> {
  let baseline = "";
  if (d.path) {
    try {
      baseline = (await ipc.openFile(d.path)).text;
    } catch {
      // The file is gone; everything in the draft counts as unsaved.
    }
  }
  const doc: Doc = { slot: d.slot, path: d.path, text: d.text, baseline, untitled: d.path ? "" : nextUntitled(state.docs) };
  startup().drafts = startup().drafts.filter((x) => x !== d);
  addDoc(doc);
  if (baseline) {
    try {
      const base = await ipc.evaluate({ label: labelOf(doc), text: baseline, chart: null, known: {} });
      if (base.estimate) state.baselineTotal.set(doc.slot, base.estimate.total_usd);
    } catch {
      // Without the saved file's price, no difference is shown.
    }
  }
  await evaluateDoc(doc);
  hooks.render();
}

export function discardDraft(d: Draft): void {
  startup().drafts = startup().drafts.filter((x) => x !== d);
  void ipc.dropDraft(d.slot).catch((e) => hooks.notify(ipc.errorText(e), true));
  hooks.render();
}

/** A calibrated copy of `from` in a new, unsaved tab; its changes are measured against the
 * original's total. */
export async function openCalibrated(from: Doc, c: Calibrated): Promise<void> {
  const copy: Doc = { slot: newSlot(), path: null, text: c.text, baseline: "", untitled: `${docName(from)} (calibrated ${c.month})` };
  state.docs.push(copy);
  const original = state.views.get(from.slot)?.good?.estimate.total_usd;
  if (original !== undefined) state.baselineTotal.set(copy.slot, original);
  await evaluateDoc(copy);
  state.active = state.docs.length - 1;
  scheduleDraft(copy);
  hooks.render();
}
