// The bridge to the Rust side: one typed function per command. The types are generated from
// the Rust ones (./bindings/), so this file only names the commands and their arguments.

import type { ChangeRequest } from "./bindings/ChangeRequest.js";
import type { CompareRequest } from "./bindings/CompareRequest.js";
import type { ComparisonView } from "./bindings/ComparisonView.js";
import type { EvaluateRequest } from "./bindings/EvaluateRequest.js";
import type { Evaluation } from "./bindings/Evaluation.js";
import type { Imported } from "./bindings/Imported.js";
import type { IpcError } from "./bindings/IpcError.js";
import type { Opened } from "./bindings/Opened.js";
import type { Startup } from "./bindings/Startup.js";

declare global {
  interface Window {
    __TAURI__: { core: { invoke<T>(cmd: string, args?: Record<string, unknown>): Promise<T> } };
    ladderwise: unknown;
  }
}

function call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  return window.__TAURI__.core.invoke<T>(cmd, args);
}

export const startup = (): Promise<Startup> => call("startup");
export const evaluate = (request: EvaluateRequest): Promise<Evaluation> => call("evaluate", { request });
export const change = (request: ChangeRequest): Promise<Evaluation> => call("change", { request });
export const compare = (request: CompareRequest): Promise<ComparisonView> => call("compare", { request });
export const openFile = (path: string): Promise<Opened> => call("open_file", { path });
/** Saves atomically; resolves to the path written. */
export const saveFile = (path: string, text: string, slot: string): Promise<string> => call("save_file", { path, text, slot });
export const keepDraft = (slot: string, path: string | null, text: string): Promise<void> => call("keep_draft", { slot, path, text });
export const dropDraft = (slot: string): Promise<void> => call("drop_draft", { slot });
/** The native Open dialog; null when cancelled. */
export const pickOpen = (): Promise<Opened | null> => call("pick_open");
/** The native Save dialog; null when cancelled. */
export const pickSave = (suggested: string): Promise<string | null> => call("pick_save", { suggested });
/** The ladder of the file at `path` in place of the ladder of `text`. */
export const importLadder = (path: string, text: string): Promise<Imported> => call("import_ladder", { path, text });
/** The native Open dialog for a ladder file, then the import into `text`; null when cancelled. */
export const pickImport = (text: string): Promise<Imported | null> => call("pick_import", { text });
export const setTitle = (title: string): Promise<void> => call("set_title", { title });

/** The message of an error from a command (an `IpcError`), or of anything else thrown. */
export function errorText(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) return String((e as IpcError).message);
  return String(e);
}
