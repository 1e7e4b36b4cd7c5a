// What the UI holds of each document's last evaluation. The Rust side leaves out parts the
// UI already holds (by hash); merging an answer into the held view puts them back.

import type { Diagnostic } from "./bindings/Diagnostic.js";
import type { Estimate } from "./bindings/Estimate.js";
import type { Evaluation } from "./bindings/Evaluation.js";
import type { Known } from "./bindings/Known.js";
import type { Shares } from "./bindings/Shares.js";
import type { Totals } from "./bindings/Totals.js";

/** The last valid pricing of a document. */
export interface Priced {
  /** The text priced. */
  text: string;
  estimate: Estimate;
  hash: string;
  totals: Totals;
}

/** The chart last drawn for a document. */
export interface Drawn {
  kind: string;
  svg: string | null;
  hash: string | null;
  error: string | null;
  /** The text it was drawn for. */
  text: string;
}

export interface DocView {
  /** The text evaluated last. */
  text: string;
  tree: unknown;
  treeHash: string | null;
  diagnostics: Diagnostic[];
  shares: Shares;
  /** Whether the text evaluated last is a valid scenario. */
  valid: boolean;
  /** The last valid pricing, which stays on screen while the text is invalid. */
  good: Priced | null;
  chart: Drawn | null;
  computeMs: number;
}

/** The hashes of what the UI holds, for the next request. */
export function known(view: DocView | undefined): Known {
  return { tree: view?.treeHash ?? null, estimate: view?.good?.hash ?? null, chart: view?.chart?.hash ?? null };
}

function pricedOf(prev: DocView | undefined, ev: Evaluation): Priced | null {
  if (ev.estimate_hash === null || ev.totals === null) return prev?.good ?? null;
  const estimate = ev.estimate ?? (prev?.good?.hash === ev.estimate_hash ? prev.good.estimate : null);
  // An estimate left out that the UI does not hold cannot happen; keep what there was.
  if (estimate === null) return prev?.good ?? null;
  return { text: ev.text, estimate, hash: ev.estimate_hash, totals: ev.totals };
}

function chartOf(prev: DocView | undefined, ev: Evaluation): Drawn | null {
  const c = ev.chart;
  if (c === null) return prev?.chart ?? null;
  const same = c.hash !== null && prev?.chart?.hash === c.hash;
  const svg = c.svg ?? (same ? prev!.chart!.svg : null);
  return { kind: c.kind, svg, hash: c.hash, error: c.error, text: ev.text };
}

/** The view after an evaluation of the document's current text. */
export function merge(prev: DocView | undefined, ev: Evaluation): DocView {
  const tree = ev.tree !== null ? ev.tree : ev.tree_hash !== null && prev?.treeHash === ev.tree_hash ? prev.tree : null;
  return {
    text: ev.text,
    tree,
    treeHash: ev.tree_hash,
    diagnostics: ev.diagnostics,
    shares: ev.shares,
    valid: ev.estimate_hash !== null,
    good: pricedOf(prev, ev),
    chart: chartOf(prev, ev),
    computeMs: ev.compute_ms,
  };
}

/** The view after an evaluation made for a chart alone, of the current or the last valid
 * text: the chart (and the pricing, when valid) change; the fields stay as they are. */
export function withChart(prev: DocView, ev: Evaluation): DocView {
  return { ...prev, good: pricedOf(prev, ev), chart: chartOf(prev, ev) };
}

/** Whether the chart on screen is not (yet) the one asked for, of the numbers shown. */
export function chartPending(view: DocView | undefined, kind: string): boolean {
  const c = view?.chart;
  return !c || c.kind !== kind || c.text !== view?.good?.text;
}
