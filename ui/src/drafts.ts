// Unsaved edits survive a crash: a quarter second after the last edit, the document's text
// is kept on disk (or its draft dropped, once it matches the file again).

import { Doc, isDirty } from "./documents.js";
import * as ipc from "./ipc.js";
import { hooks } from "./state.js";

const timers = new Map<string, number>();

export function scheduleDraft(doc: Doc): void {
  window.clearTimeout(timers.get(doc.slot));
  timers.set(
    doc.slot,
    window.setTimeout(() => {
      const keep = isDirty(doc) ? ipc.keepDraft(doc.slot, doc.path, doc.text) : ipc.dropDraft(doc.slot);
      keep.catch((e) => hooks.notify(`unsaved edits could not be kept on disk: ${ipc.errorText(e)}`, true));
    }, 250),
  );
}

/** The document was saved: nothing is pending for it. */
export function cancelDraft(doc: Doc): void {
  window.clearTimeout(timers.get(doc.slot));
}
