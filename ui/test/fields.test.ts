import { test } from "node:test";
import assert from "node:assert/strict";
import type { FieldTable } from "../src/bindings/FieldTable.js";
import type { FormField } from "../src/bindings/FormField.js";
import { concerns, display, drawnPaths, encode, itemPath, keyPath, layout, recordPath, rowsText, stringList, tomlString, valueAt } from "../src/fields.js";

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
  assert.equal(itemPath("ladder.rungs[N].name", 1), "ladder.rungs[1].name");
  assert.equal(valueAt(tree, itemPath("ladder.rungs[N].name", 2)), "360p");
  assert.equal(keyPath("audience.geo.<geography>", "us"), "audience.geo.us");
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
  const columns = [field("storage.lifecycle[N].after_days", { type: "number", rule: "", min: "0", min_exclusive: false, max: "36500", integer: false, rate: false }), field("storage.lifecycle[N].class", { type: "choice", choices: ["standard", "standard-ia"] })];
  assert.equal(rowsText(columns, []), "[]");
  assert.equal(rowsText(columns, [{ after_days: "60", class: "standard-ia" }]), '[{ after_days = 60, class = "standard-ia" }]');
  assert.equal(rowsText(columns, [{ after_days: "soon", class: "standard-ia" }]), '[{ after_days = "soon", class = "standard-ia" }]');
  assert.equal(stringList(["sentiment", "pii"]), '["sentiment", "pii"]');
});

test("a list or table typed into one input reads back as it is shown", () => {
  // Seasonality: twelve factors separated by commas, or one word.
  const factors = [1.1, 1, 0.95, 0.9, 0.9, 0.85, 0.85, 0.9, 1, 1.05, 1.15, 1.35];
  assert.equal(display(factors), "1.1, 1, 0.95, 0.9, 0.9, 0.85, 0.85, 0.9, 1, 1.05, 1.15, 1.35");
  assert.equal(encode("list", display(factors)), "[1.1, 1, 0.95, 0.9, 0.9, 0.85, 0.85, 0.9, 1, 1.05, 1.15, 1.35]");
  assert.equal(encode("list", " usage "), '"usage"');
  assert.equal(display("usage"), "usage");
  assert.equal(encode("list", "1.1, fast"), '[1.1, "fast"]');
  assert.equal(encode("list", "2"), "[2]");
  assert.equal(encode("list", ""), "[]");
  assert.equal(encode("table", ""), "{}");
  // What a file writes inline is shown so, and taken as typed (the editor refuses what is not TOML).
  const set = { "audience.geo.south_america": 0.08, fps: 30 };
  assert.equal(display(set), '{ "audience.geo.south_america" = 0.08, fps = 30 }');
  assert.equal(encode("table", display(set)), display(set));
  const rungs = [{ name: "720p", video_kbps: 3000 }];
  assert.equal(display(rungs), '[{ name = "720p", video_kbps = 3000 }]');
  assert.equal(encode("list", display(rungs)), display(rungs));
  assert.equal(display(["720p"]), '["720p"]');
  assert.equal(display(["720p", "360p"]), "720p, 360p");
  assert.equal(encode("list", "720p, 360p"), '["720p", "360p"]');
  assert.equal(display(["a, b", "c"]), '["a, b", "c"]');
  assert.equal(display({}), "{}");
});

test("a list of free values is drawn as one input, a list of words as checks", () => {
  const sections = layout(table([{ section: "forecast", field: field("forecast.seasonality", { type: "list", items: [] }) }]));
  const entry = sections.find((s) => s.name === "forecast")?.entries[0];
  assert.ok(entry?.type === "field" && entry.field.path === "forecast.seasonality", JSON.stringify(entry));
});

// A field table as the engine would send it, small enough to read.
function field(path: string, kind: FormField["kind"]): FormField {
  const key = path.split(".").pop()!;
  return { path, key, label: key, kind, unit: "", default: null, help: "", sweep: false };
}

const NUMBER: FormField["kind"] = { type: "number", rule: "number \u2265 0", min: "0", min_exclusive: false, max: "1000000000000", integer: false, rate: false };

function table(extra: { section: string; field: FormField }[] = []): FieldTable {
  const sections = [
    { name: "scenario", title: "Scenario", required: true, fields: [field("scenario.name", { type: "text" })] },
    { name: "ladder", title: "Ladder", required: true, fields: [field("ladder.segment_seconds", NUMBER), field("ladder.rungs", { type: "list", items: [] })] },
    { name: "ladder.rungs[N]", title: "Rungs", required: true, fields: [field("ladder.rungs[N].name", { type: "text" }), field("ladder.rungs[N].video_kbps", NUMBER)] },
    { name: "audience", title: "Audience", required: true, fields: [field("audience.geo", { type: "table" })] },
    { name: "nlp", title: "NLP", required: false, fields: [field("nlp.apis", { type: "list", items: ["sentiment", "pii"] })] },
    { name: "audience.geo", title: "Share", required: false, fields: [field("audience.geo.<geography>", NUMBER)] },
  ];
  for (const x of extra) {
    const s = sections.find((s) => s.name === x.section);
    if (s) s.fields.push(x.field);
    else sections.push({ name: x.section, title: x.section, required: false, fields: [x.field] });
  }
  return { sections, geographies: [{ value: "us", label: "United States" }] };
}

test("the form draws every field of the table once, each by its kind", () => {
  const t = table();
  const sections = layout(t);
  assert.deepEqual(sections.map((s) => s.name), ["scenario", "ladder", "audience", "nlp"]);
  const paths = drawnPaths(sections);
  assert.deepEqual([...paths].sort(), t.sections.flatMap((s) => s.fields.map((f) => f.path)).sort());
  const ladder = sections[1].entries;
  assert.equal(ladder[1].type, "rows");
  assert.deepEqual(ladder[1].type === "rows" && ladder[1].columns.map((c) => c.key), ["name", "video_kbps"]);
  const geo = sections[2].entries[0];
  assert.ok(geo.type === "keyed" && geo.item?.path === "audience.geo.<geography>" && geo.keys[0].value === "us");
  const apis = sections[3].entries[0];
  assert.ok(apis.type === "words" && apis.words.join() === "sentiment,pii");
});

test("a field added to the table appears in the form", () => {
  const added = [
    { section: "ladder", field: field("ladder.keyframe_seconds", NUMBER) },
    { section: "ladder.rungs[N]", field: field("ladder.rungs[N].profile", { type: "choice", choices: ["main", "high"] }) },
    { section: "drm", field: field("drm.enabled", { type: "bool" }) },
  ];
  const sections = layout(table(added));
  const paths = drawnPaths(sections);
  for (const a of added) assert.ok(paths.includes(a.field.path), a.field.path);
  const rows = sections[1].entries.find((e) => e.type === "rows");
  assert.ok(rows?.type === "rows" && rows.columns.some((c) => c.key === "profile"));
  assert.equal(sections[sections.length - 1].name, "drm");
});

test("a growth's driver is one key with dots in it, read and written whole", () => {
  const tree = { forecast: { growth: { "audience.watch_minutes_per_month": { compound: 0.04, sd: 0.01 } } }, ladder: { rungs: [{ fps: 30 }] } };
  assert.equal(valueAt(tree, "forecast.growth.audience.watch_minutes_per_month.compound"), 0.04);
  assert.equal(valueAt(tree, "forecast.growth.audience.watch_minutes_per_month.sd"), 0.01);
  assert.equal(valueAt(tree, "forecast.growth.audience.watch_minutes_per_month.p10"), undefined);
  assert.equal(valueAt(tree, "forecast.growth.content.new_minutes_per_month.compound"), undefined);
  assert.equal(valueAt(tree, "ladder.rungs[1].fps"), 30);
  assert.equal(recordPath("forecast.growth.<driver>.compound", "audience.watch_minutes_per_month"), "forecast.growth.audience.watch_minutes_per_month.compound");
});
