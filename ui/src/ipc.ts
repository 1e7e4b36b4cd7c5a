// The bridge to the Rust side: one typed function per command. The types are generated from
// the Rust ones (./bindings/), so this file only names the commands and their arguments.

import type { Calibrated } from "./bindings/Calibrated.js";
import type { CalibrateRequest } from "./bindings/CalibrateRequest.js";
import type { ChangeRequest } from "./bindings/ChangeRequest.js";
import type { CompareRequest } from "./bindings/CompareRequest.js";
import type { ComparisonView } from "./bindings/ComparisonView.js";
import type { EvaluateRequest } from "./bindings/EvaluateRequest.js";
import type { ForecastRequest } from "./bindings/ForecastRequest.js";
import type { ForecastView } from "./bindings/ForecastView.js";
import type { Diagnostic } from "./bindings/Diagnostic.js";
import type { Evaluation } from "./bindings/Evaluation.js";
import type { Imported } from "./bindings/Imported.js";
import type { LadderImported } from "./bindings/LadderImported.js";
import type { IpcError } from "./bindings/IpcError.js";
import type { ImportKind } from "./bindings/ImportKind.js";
import type { Opened } from "./bindings/Opened.js";
import type { PullDone } from "./bindings/PullDone.js";
import type { PullProgress } from "./bindings/PullProgress.js";
import type { Refreshed } from "./bindings/Refreshed.js";
import type { RefreshRequest } from "./bindings/RefreshRequest.js";
import type { SolveRequest } from "./bindings/SolveRequest.js";
import type { SolveView } from "./bindings/SolveView.js";
import type { Startup } from "./bindings/Startup.js";
import type { TornadoRequest } from "./bindings/TornadoRequest.js";
import type { TornadoView } from "./bindings/TornadoView.js";
import type { UsageOverview } from "./bindings/UsageOverview.js";
import type { UsagePullRequest } from "./bindings/UsagePullRequest.js";
import type { VarianceRequest } from "./bindings/VarianceRequest.js";
import type { VarianceView } from "./bindings/VarianceView.js";
import type { WaterfallView } from "./bindings/WaterfallView.js";

// Tauri's own API modules, imported rather than read from a global: the app does not
// expose its API on `window` (withGlobalTauri is off), so nothing else in the page can
// reach the commands.
import { invoke } from "./vendor/tauri-api/core.js";
import { listen } from "./vendor/tauri-api/event.js";

declare global {
  interface Window {
    ladderwise: unknown;
  }
}

function call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  return invoke<T>(cmd, args);
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
/** The native Save dialog; null when cancelled. A bare name comes back with `.toml`. */
export const pickSave = (suggested: string): Promise<string | null> => call("pick_save", { suggested });
/** The native Open dialog for a ladder file, then the import into `text`; null when cancelled. */
export const pickLadderImport = (text: string): Promise<LadderImported | null> => call("pick_ladder_import", { text });
export const setTitle = (title: string): Promise<void> => call("set_title", { title });
/** Closes the window; the page calls it once every unsaved tab is saved or discarded. */
export const closeWindow = (): Promise<void> => call("close_window");
/** Tells the shell the page heard its close request (else a second request closes). */
export const closeHeard = (): Promise<void> => call("close_heard");
/** The window's close button (or the window manager) asks to close: the answer is the page's. */
export const onCloseRequested = (handler: () => void): Promise<() => void> =>
  listen("close-requested", () => handler());

// The months ahead.
export const forecast = (request: ForecastRequest): Promise<ForecastView> => call("forecast", { request });

// The what-if tools.
export const compareWaterfall = (request: CompareRequest): Promise<WaterfallView> => call("compare_waterfall", { request });
export const tornado = (request: TornadoRequest): Promise<TornadoView> => call("tornado", { request });
export const solve = (request: SolveRequest): Promise<SolveView> => call("solve", { request });

// Usage & Actuals.
export const usageOverview = (): Promise<UsageOverview> => call("usage_overview");
export const variance = (request: VarianceRequest): Promise<VarianceView> => call("variance", { request });
export const calibrate = (request: CalibrateRequest): Promise<Calibrated> => call("calibrate", { request });
/** The native Open dialog, then the import; null when cancelled. */
export const pickImport = (kind: ImportKind): Promise<Imported | null> => call("pick_import", { kind });

// Pulls from AWS: they run off the UI thread and report progress as events.
export const usagePull = (request: UsagePullRequest): Promise<PullDone> => call("usage_pull", { request });
export const refreshPrices = (request: RefreshRequest): Promise<Refreshed> => call("refresh_prices", { request });
export const cancelPull = (job: "usage" | "prices"): Promise<boolean> => call("cancel_pull", { job });
/** Calls `handler` with each progress message of a running pull. */
export const onPullProgress = (handler: (p: PullProgress) => void): Promise<() => void> => listen<PullProgress>("pull-progress", (e) => handler(e.payload));

/** The scenario problems an error from a command carries (line, column, field), if any. */
export function errorProblems(e: unknown): Diagnostic[] {
  if (e && typeof e === "object" && "diagnostics" in e) return (e as IpcError).diagnostics ?? [];
  return [];
}

/** The message of an error from a command (an `IpcError`), or of anything else thrown. */
export function errorText(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) return String((e as IpcError).message);
  return String(e);
}
