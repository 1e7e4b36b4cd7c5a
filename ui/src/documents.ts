// The open documents (one per tab): where each came from, its text now, and the text it had
// when last opened or saved, which is what "unsaved" is measured against.

export interface Doc {
  /** Stable name of the tab for this run; names its draft on disk. */
  slot: string;
  /** The file, once it has one. */
  path: string | null;
  /** The text now: every edit changes it. */
  text: string;
  /** The text when the document was last opened, created or saved. */
  baseline: string;
  /** Shown when the document has no file yet. */
  untitled: string;
}

export function isDirty(doc: Doc): boolean {
  return doc.text !== doc.baseline;
}

/** The file name, or the untitled name. */
export function docName(doc: Doc): string {
  if (doc.path === null) return doc.untitled;
  const parts = doc.path.split(/[\\/]/);
  return parts[parts.length - 1] || doc.path;
}

/** The window title: a leading dot marks unsaved edits, as desktop editors do. */
export function windowTitle(doc: Doc | undefined): string {
  if (!doc) return "Ladderwise";
  return `${isDirty(doc) ? "\u2022 " : ""}${docName(doc)} \u2014 Ladderwise`;
}

/** A file name to suggest in Save As, from the scenario's name. */
export function suggestedFileName(doc: Doc, scenarioName: string | undefined): string {
  if (doc.path !== null) return docName(doc);
  const slug = (scenarioName ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${slug || "scenario"}.toml`;
}

/** The first "Untitled N" not yet in use. */
export function nextUntitled(docs: Doc[]): string {
  const used = new Set(docs.map((d) => d.untitled));
  for (let n = 1; ; n++) {
    const name = n === 1 ? "Untitled" : `Untitled ${n}`;
    if (!used.has(name)) return name;
  }
}
