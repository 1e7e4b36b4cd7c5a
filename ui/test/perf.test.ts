import { test } from "node:test";
import assert from "node:assert/strict";
import { PerfLog, percentile } from "../src/perf.js";
import { enqueue, push } from "../src/queue.js";

test("percentiles by nearest rank", () => {
  const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 95), 95);
  assert.equal(percentile([7], 95), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
  const log = new PerfLog(3);
  for (const x of [1, 2, 3, 40]) log.add(x);
  assert.deepEqual(log.summary(), { n: 3, p50: 3, p95: 40, last: 40 });
});

test("a burst of settings of one field collapses to the last", () => {
  const set = (path: string, value: string) => ({ kind: "set" as const, path, value });
  let q = enqueue([], set("a", "1"));
  q = enqueue(q, set("a", "12"));
  assert.deepEqual(q, [set("a", "12")]);
  q = enqueue(q, set("b", "1"));
  q = enqueue(q, { kind: "remove_rung", rung: 1 });
  q = enqueue(q, set("b", "2"));
  assert.equal(q.length, 4);
});

test("an edit queued behind one of the same field replaces it, keeping when the first was made", () => {
  const set = (path: string, value: string) => ({ kind: "set" as const, path, value });
  let q = push([], { slot: "a", change: set("x", "1"), started: 10 });
  q = push(q, { slot: "a", change: set("x", "12"), started: 20 });
  assert.deepEqual(q, [{ slot: "a", change: set("x", "12"), started: 10 }]);
  q = push(q, { slot: "b", change: set("x", "3"), started: 30 });
  assert.equal(q.length, 2, "another document's edit is its own");
});
