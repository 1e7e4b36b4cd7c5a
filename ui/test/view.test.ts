import { test } from "node:test";
import assert from "node:assert/strict";
import type { Evaluation } from "../src/bindings/Evaluation.js";
import type { Estimate } from "../src/bindings/Estimate.js";
import { chartPending, known, merge, withChart } from "../src/view.js";

const estimate = { total_usd: "100" } as Estimate;
const totals = { services: [], change: null, baseline_usd: null, unit_costs_shown: { per_viewer_hour: "$0.08", per_title: "$0.81", per_delivered_gb: "$0.08" } };

function ev(over: Partial<Evaluation>): Evaluation {
  return {
    text: "t1",
    tree: { a: 1 },
    tree_hash: "tree1",
    diagnostics: [],
    shares: { rungs: null, geographies: null },
    estimate,
    estimate_hash: "est1",
    totals,
    chart: { kind: "ladder", svg: "<svg>1</svg>", hash: "c1", error: null },
    compute_ms: 1,
    ...over,
  };
}

test("parts left out as the same as before are taken from what the UI holds", () => {
  const first = merge(undefined, ev({}));
  assert.deepEqual(known(first), { tree: "tree1", estimate: "est1", chart: "c1" });
  const second = merge(first, ev({ text: "t2", tree: null, estimate: null, chart: { kind: "ladder", svg: null, hash: "c1", error: null } }));
  assert.deepEqual(second.tree, { a: 1 });
  assert.equal(second.good?.estimate, estimate);
  assert.equal(second.good?.text, "t2");
  assert.equal(second.chart?.svg, "<svg>1</svg>");
  assert.ok(!chartPending(second, "ladder"));
  // A new chart replaces the old.
  const third = merge(second, ev({ text: "t3", chart: { kind: "ladder", svg: "<svg>3</svg>", hash: "c3", error: null } }));
  assert.equal(third.chart?.svg, "<svg>3</svg>");
});

test("an invalid text keeps the last valid numbers and chart, which are then stale", () => {
  const good = merge(undefined, ev({}));
  const bad = merge(good, ev({ text: "bad", tree: { a: "x" }, tree_hash: "tree2", estimate: null, estimate_hash: null, totals: null, chart: null, diagnostics: [{ field: "a", message: "m", hint: null, line: 1, column: 1 }] }));
  assert.equal(bad.valid, false);
  assert.equal(bad.good?.text, "t1");
  assert.equal(bad.chart?.svg, "<svg>1</svg>");
  assert.equal(known(bad).estimate, "est1");
  // Numbers without their sweep chart: the chart on screen is of older numbers until it comes.
  const numbers = merge(good, ev({ text: "t4", estimate_hash: "est4", chart: null }));
  assert.ok(chartPending(numbers, "ladder"));
  const drawn = withChart(numbers, ev({ text: "t4", estimate_hash: "est4", chart: { kind: "transcode-choice", svg: "<svg>s</svg>", hash: "s1", error: null } }));
  assert.ok(!chartPending(drawn, "transcode-choice"));
  assert.deepEqual(drawn.tree, numbers.tree);
});
