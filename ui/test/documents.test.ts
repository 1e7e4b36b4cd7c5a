import { test } from "node:test";
import assert from "node:assert/strict";
import { Doc, docName, isDirty, nextUntitled, suggestedFileName, windowTitle } from "../src/documents.js";

const doc = (over: Partial<Doc> = {}): Doc => ({ slot: "s", path: null, text: "a", baseline: "a", untitled: "Untitled", ...over });

test("a document is dirty when its text differs from what was opened or saved", () => {
  assert.ok(!isDirty(doc()));
  assert.ok(isDirty(doc({ text: "b" })));
  assert.equal(windowTitle(doc({ text: "b", path: "/x/plan.toml" })), "\u2022 plan.toml \u2014 Ladderwise");
  assert.equal(windowTitle(doc()), "Untitled \u2014 Ladderwise");
  assert.equal(windowTitle(undefined), "Ladderwise");
});

test("names for files", () => {
  assert.equal(docName(doc({ path: "C:\\plans\\b.toml" })), "b.toml");
  assert.equal(suggestedFileName(doc(), "UGC short-form platform"), "ugc-short-form-platform.toml");
  assert.equal(suggestedFileName(doc(), "  "), "scenario.toml");
  assert.equal(suggestedFileName(doc({ path: "/p/keep.toml" }), "other"), "keep.toml");
  assert.equal(nextUntitled([doc(), doc({ untitled: "Untitled 2" })]), "Untitled 3");
  assert.equal(nextUntitled([]), "Untitled");
});
