// Import ladder…: the ladder of a MediaConvert job, an HLS or DASH manifest replaces the open
// document's ladder (the Rust side rewrites the text, keeping everything else), the document
// becomes unsaved, and the notice offers the previous text back.

import type { Doc } from "./documents.js";
import { scheduleDraft } from "./drafts.js";
import { evaluateDoc, submit, whenIdle } from "./edits.js";
import * as ipc from "./ipc.js";
import { activeDoc, docBySlot, hooks, state } from "./state.js";

/** The native file dialog, then the import into the active document. The page never names
 * the file itself: only one the user picked is read. */
export async function importDialog(): Promise<void> {
  // Edits still on their way would be lost under the imported text.
  await whenIdle();
  const doc = activeDoc();
  const previous = doc.text;
  try {
    const imported = await ipc.pickLadderImport(previous);
    if (!imported || docBySlot(doc.slot) !== doc || doc.text !== previous) return;
    await replaceText(doc, imported.text);
    state.undoImport = { slot: doc.slot, previous, imported: imported.text };
    const l = imported.ladder;
    const summary = `Imported the ${l.rungs.length} rung(s) of ${l.source} (${l.format_label}) into ${doc.path ?? "this scenario"}.`;
    hooks.notify([summary, ...imported.messages].join("\n"), false, { label: "Undo import", run: () => void undoImport() });
  } catch (e) {
    hooks.notify(ipc.errorText(e), true);
  }
  hooks.render();
}

/** Loads a reference ladder in place of the active document's, offering the previous text
 * back as an import does: the rungs a person edited are not lost to a misclick. */
export async function loadReferenceLadder(name: string, rungs: number): Promise<void> {
  await whenIdle();
  const doc = activeDoc();
  const previous = doc.text;
  submit({ kind: "reference_ladder", name });
  await whenIdle();
  if (docBySlot(doc.slot) !== doc || doc.text === previous) return;
  state.undoImport = { slot: doc.slot, previous, imported: doc.text };
  hooks.notify(`Loaded the reference ladder ${name} (${rungs} rungs) in place of this scenario's.`, false, { label: "Undo", run: () => void undoImport() });
  hooks.render();
}

async function replaceText(doc: Doc, text: string): Promise<void> {
  doc.text = text;
  await evaluateDoc(doc);
  scheduleDraft(doc);
}

/** Puts back the text the last import (or reference ladder) replaced, unless the document
 * was edited since. */
export async function undoImport(): Promise<void> {
  await whenIdle();
  const undo = state.undoImport;
  const doc = undo ? docBySlot(undo.slot) : undefined;
  state.undoImport = null;
  if (!undo || !doc) return;
  if (doc.text !== undo.imported) {
    hooks.notify("the scenario was edited after its ladder was replaced, so Undo would lose those edits; it was left as it is", true);
    return;
  }
  try {
    await replaceText(doc, undo.previous);
    hooks.notify("the previous ladder is back", false);
  } catch (e) {
    hooks.notify(ipc.errorText(e), true);
  }
  hooks.render();
}
