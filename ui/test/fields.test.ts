import { test } from "node:test";
import assert from "node:assert/strict";
import { concerns, encode, lifecycleText, rungPath, stringList, tomlString, valueAt } from "../src/fields.js";

test("numbers are written as TOML numbers, anything else as a string the engine can name", () => {
  assert.equal(encode("number", "3000"), "3000");
  assert.equal(encode("number", " 0.95 "), "0.95");
  assert.equal(encode("number", ".5"), "0.5");
  assert.equal(encode("number", "5."), "5.0");
  assert.equal(encode("number", "007"), "7");
  assert.equal(encode("number", "+2e3"), "2e3");
  assert.equal(encode("number", "-0.25"), "-0.25");
  assert.equal(encode("number", "1.e5"), "1.0e5");
  assert.equal(encode("number", "fast"), '"fast"');
  assert.equal(encode("number", ""), '""');
  assert.equal(encode("number", "6 Mbps"), '"6 Mbps"');
});

test("text, choices and booleans", () => {
  assert.equal(encode("text", 'say "hi"\\'), '"say \\"hi\\"\\\\"');
  assert.equal(encode("choice", "hevc"), '"hevc"');
  assert.equal(encode("choice", "2"), "2");
  assert.equal(encode("bool", "true"), "true");
  assert.equal(encode("bool", "yes"), '"yes"');
  assert.equal(tomlString("a\nb\u0001"), '"a\\nb\\u0001"');
});

test("paths count rungs from 1, as the engine's messages do", () => {
  const tree = { ladder: { rungs: [{ name: "720p" }, { name: "360p" }] }, audience: { geo: { us: 1 } } };
  assert.equal(rungPath(0, "name"), "ladder.rungs[1].name");
  assert.equal(valueAt(tree, rungPath(1, "name")), "360p");
  assert.equal(valueAt(tree, "audience.geo.us"), 1);
  assert.equal(valueAt(tree, "ladder.rungs[3].name"), undefined);
  assert.equal(valueAt(tree, "nothing.here"), undefined);
});

test("a problem about every rung concerns each rung's field", () => {
  const d = { field: "ladder.rungs[*].watch_share", message: "", hint: null, line: 1, column: 1 };
  assert.ok(concerns(d, "ladder.rungs[2].watch_share"));
  assert.ok(!concerns(d, "ladder.rungs[2].video_kbps"));
  assert.ok(concerns({ ...d, field: "delivery.cdn" }, "delivery.cdn"));
  assert.ok(!concerns({ ...d, field: "delivery.cdn" }, "delivery.cache_hit_rate"));
});

test("lists are written as TOML arrays", () => {
  assert.equal(lifecycleText([]), "[]");
  assert.equal(lifecycleText([{ after_days: "60", class: "standard-ia" }]), '[{ after_days = 60, class = "standard-ia" }]');
  assert.equal(lifecycleText([{ after_days: "soon", class: "glacier-ir" }]), '[{ after_days = "soon", class = "glacier-ir" }]');
  assert.equal(stringList(["sentiment", "pii"]), '["sentiment", "pii"]');
});
