// The scenario's fields as the editor shows them, and how a typed value becomes TOML text.
// Paths are the engine's: `delivery.cache_hit_rate`, `ladder.rungs[1].video_kbps` (rungs
// counted from 1, as the engine's error messages count them).

export type Kind = "number" | "text" | "choice" | "bool";

export interface Field {
  key: string;
  label: string;
  kind: Kind;
  unit?: string;
  choices?: string[];
  help?: string;
}

export interface Section {
  id: string;
  title: string;
  fields: Field[];
}

export const GEOGRAPHIES: [string, string][] = [
  ["us", "United States, Mexico, Canada"],
  ["europe", "Europe, Israel"],
  ["south_africa_middle_east", "South Africa, Middle East"],
  ["south_america", "South America"],
  ["japan", "Japan"],
  ["australia", "Australia, New Zealand"],
  ["asia_pacific", "Asia Pacific"],
  ["india", "India"],
];

export const COMPREHEND_APIS = ["sentiment", "entities", "key_phrases", "syntax", "language", "pii"];
export const STORAGE_CLASSES = ["standard", "standard-ia", "glacier-ir"];

export const RUNG_FIELDS: Field[] = [
  { key: "name", label: "Name", kind: "text" },
  { key: "width", label: "Width", kind: "number", unit: "px" },
  { key: "height", label: "Height", kind: "number", unit: "px" },
  { key: "fps", label: "fps", kind: "number" },
  { key: "codec", label: "Codec", kind: "choice", choices: ["avc", "hevc", "av1", "vp9"] },
  { key: "video_kbps", label: "Video kbps", kind: "number", unit: "kbit/s" },
  { key: "audio_kbps", label: "Audio kbps", kind: "number", unit: "kbit/s" },
  { key: "watch_share", label: "Share", kind: "number", help: "share of watch time; the shares sum to 1" },
];

/** The sections of plain fields, in the order of the form. Ladder rungs, geographies, the
 * lifecycle rules and the NLP APIs have editors of their own. */
export const SECTIONS: Section[] = [
  {
    id: "scenario",
    title: "Scenario",
    fields: [
      { key: "name", label: "Name", kind: "text" },
      { key: "region", label: "Region", kind: "text", help: "AWS Region code, e.g. us-east-1" },
    ],
  },
  {
    id: "ladder",
    title: "Ladder",
    fields: [
      { key: "segment_seconds", label: "Segment length", kind: "number", unit: "s" },
      { key: "packaging_overhead", label: "Packaging overhead", kind: "number", unit: "fraction", help: "0.02 for fragmented MP4, 0.05 for MPEG-TS" },
    ],
  },
  {
    id: "content",
    title: "Content",
    fields: [
      { key: "new_minutes_per_month", label: "New minutes / month", kind: "number", unit: "min" },
      { key: "avg_title_minutes", label: "Average title length", kind: "number", unit: "min" },
      { key: "source_kbps", label: "Mezzanine kept at", kind: "number", unit: "kbit/s", help: "0 = the source is not kept" },
      { key: "retention_months", label: "Retention", kind: "number", unit: "months", help: "0 = kept forever" },
      { key: "library_minutes", label: "Library at start", kind: "number", unit: "min" },
    ],
  },
  {
    id: "audience",
    title: "Audience",
    fields: [
      { key: "watch_minutes_per_month", label: "Watch minutes / month", kind: "number", unit: "min" },
      { key: "peak_to_average", label: "Peak ÷ average", kind: "number" },
      { key: "avg_view_minutes", label: "Average view", kind: "number", unit: "min" },
    ],
  },
  {
    id: "delivery",
    title: "Delivery",
    fields: [
      { key: "cdn", label: "CDN", kind: "choice", choices: ["cloudfront", "none"], help: "none = viewers fetch from S3 directly" },
      { key: "cache_hit_rate", label: "Cache hit rate", kind: "number", unit: "fraction" },
      { key: "origin_shield", label: "Origin Shield", kind: "bool" },
      { key: "protocol", label: "Protocol", kind: "choice", choices: ["https", "http"] },
      { key: "free_tier", label: "Free tier", kind: "bool" },
    ],
  },
  {
    id: "transcode",
    title: "Transcode",
    fields: [
      { key: "service", label: "Service", kind: "choice", choices: ["mediaconvert", "elastic-transcoder"] },
      { key: "tier", label: "MediaConvert tier", kind: "choice", choices: ["basic", "professional"] },
      { key: "passes", label: "Passes", kind: "choice", choices: ["1", "2"] },
      { key: "reserved_slots", label: "Reserved slots", kind: "number" },
    ],
  },
  {
    id: "storage",
    title: "Storage",
    fields: [{ key: "class", label: "Written to", kind: "choice", choices: STORAGE_CLASSES }],
  },
  {
    id: "moderation",
    title: "Moderation (Rekognition)",
    fields: [
      { key: "images_per_title", label: "Images per title", kind: "number" },
      { key: "video", label: "Moderate every video minute", kind: "bool" },
    ],
  },
  {
    id: "nlp",
    title: "Text analysis (Comprehend)",
    fields: [
      { key: "documents_per_month", label: "Documents / month", kind: "number" },
      { key: "avg_chars", label: "Average characters", kind: "number" },
    ],
  },
];

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A TOML basic string. */
export function tomlString(text: string): string {
  let out = '"';
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    if (c === '"') out += '\\"';
    else if (c === "\\") out += "\\\\";
    else if (c === "\n") out += "\\n";
    else if (c === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += "\\u" + code.toString(16).toUpperCase().padStart(4, "0");
    else out += c;
  }
  return out + '"';
}

/** TOML text for what the user typed into a field of `kind`. A number field keeps text that
 * is not a number as a string, so the engine names the field and says what to write, and the
 * text the user typed is not lost. */
export function encode(kind: Kind, raw: string): string {
  const t = raw.trim();
  switch (kind) {
    case "bool":
      return t === "true" ? "true" : t === "false" ? "false" : tomlString(raw);
    case "number": {
      if (!NUMBER.test(t)) return tomlString(raw);
      let s = t.replace(/^\+/, "");
      const negative = s.startsWith("-");
      if (negative) s = s.slice(1);
      // TOML wants a digit on both sides of the point and no leading zeros.
      if (s.startsWith(".")) s = "0" + s;
      s = s.replace(/\.(?=$|[eE])/, ".0");
      s = s.replace(/^0+(?=\d)/, "");
      return (negative ? "-" : "") + s;
    }
    case "choice":
      return /^\d+$/.test(t) ? t : tomlString(t);
    case "text":
      return tomlString(raw);
  }
}

/** The path of a rung's field; `index` counts from 0, the path from 1. */
export function rungPath(index: number, key: string): string {
  return `ladder.rungs[${index + 1}].${key}`;
}

/** The value at a path in the document tree, or undefined. */
export function valueAt(tree: unknown, path: string): unknown {
  let node: unknown = tree;
  for (const part of path.split(".")) {
    const m = /^([^[\]]+)(?:\[(\d+)\])?$/.exec(part);
    if (!m || node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[m[1]];
    if (m[2] !== undefined) {
      if (!Array.isArray(node)) return undefined;
      node = node[Number(m[2]) - 1];
    }
  }
  return node;
}

/** What a field shows for a value from the tree. */
export function display(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  return JSON.stringify(value);
}

export interface Diagnostic {
  field: string;
  message: string;
  hint: string | null;
  line: number;
  column: number;
}

/** Which field a problem belongs to. The engine names whole groups with `*`
 * (`ladder.rungs[*].watch_share`); such a problem belongs to each of them. */
export function concerns(d: Diagnostic, path: string): boolean {
  if (d.field === path) return true;
  if (!d.field.includes("*")) return false;
  const pattern = "^" + d.field.replace(/[.[\]]/g, (c) => "\\" + c).replace(/\\\[\*\\\]/g, "\\[\\d+\\]") + "$";
  return new RegExp(pattern).test(path);
}

/** TOML text for the lifecycle rules. */
export function lifecycleText(rules: { after_days: string; class: string }[]): string {
  if (rules.length === 0) return "[]";
  return "[" + rules.map((r) => `{ after_days = ${encode("number", r.after_days)}, class = ${tomlString(r.class)} }`).join(", ") + "]";
}

/** TOML text for a list of strings. */
export function stringList(items: string[]): string {
  return "[" + items.map(tomlString).join(", ") + "]";
}
