// How the form lays out the engine's field table, and how typed text becomes TOML text.
// Which fields exist, their labels, units, rules, choices and help all come from the table
// (`Startup.fields`); here is only how each kind of field is drawn and written. Paths are the
// engine's: `delivery.cache_hit_rate`, `ladder.rungs[1].video_kbps` (items counted from 1).

import type { Choice } from "./bindings/Choice.js";
import type { Diagnostic } from "./bindings/Diagnostic.js";
import type { FieldTable } from "./bindings/FieldTable.js";
import type { FormField } from "./bindings/FormField.js";
import type { FormKind } from "./bindings/FormKind.js";

export type Kind = FormKind["type"];

/** One thing the form draws in a section. */
export type Entry =
  /** A value: a text box, a choice, a check box. */
  | { type: "field"; field: FormField }
  /** A list of tables, one row per item, one column per item field (`ladder.rungs`). */
  | { type: "rows"; field: FormField; columns: FormField[] }
  /** A table of values by key (`audience.geo`): `item` describes each value. */
  | { type: "keyed"; field: FormField; item: FormField | null; keys: Choice[] }
  /** A table of records by key (`forecast.growth`: per driver, its rate and range). */
  | { type: "records"; field: FormField; columns: FormField[] }
  /** A list of words, each on or off (`nlp.apis`). */
  | { type: "words"; field: FormField; words: string[] };

export interface FormSectionLayout {
  name: string;
  title: string;
  entries: Entry[];
}

/** The form's sections in file order. Sections that describe the items of a list or table are
 * drawn inside that list or table, not on their own. */
export function layout(table: FieldTable): FormSectionLayout[] {
  const all = table.sections.flatMap((s) => s.fields);
  const sectionOf = (name: string) => table.sections.find((s) => s.name === name)?.fields ?? [];
  const owned = new Set<string>();
  // The section of a table's records: `forecast.growth.<driver>`.
  const recordsOf = (path: string) => table.sections.find((s) => s.name.startsWith(`${path}.<`));
  for (const f of all) {
    if (f.kind.type === "list") owned.add(`${f.path}[N]`);
    if (f.kind.type === "table") {
      owned.add(f.path);
      const records = recordsOf(f.path);
      if (records) owned.add(records.name);
    }
  }
  return table.sections
    .filter((s) => !owned.has(s.name))
    .map((s) => ({
      name: s.name,
      title: s.title,
      entries: s.fields.map((field): Entry => {
        const kind = field.kind;
        if (kind.type === "list") {
          const columns = sectionOf(`${field.path}[N]`);
          if (columns.length) return { type: "rows", field, columns };
          // A list of free values (`forecast.seasonality`) is typed into one input.
          return kind.items.length ? { type: "words", field, words: kind.items } : { type: "field", field };
        }
        if (kind.type === "table") {
          const records = recordsOf(field.path);
          if (records) return { type: "records", field, columns: records.fields };
          return { type: "keyed", field, item: sectionOf(field.path)[0] ?? null, keys: table.geographies };
        }
        return { type: "field", field };
      }),
    }));
}

/** Every path the layout draws, once each, for checking that nothing of the table is left out. */
export function drawnPaths(sections: FormSectionLayout[]): string[] {
  return sections.flatMap((s) =>
    s.entries.flatMap((e) => {
      if (e.type === "rows") return [e.field.path, ...e.columns.map((c) => c.path)];
      if (e.type === "keyed") return e.item ? [e.field.path, e.item.path] : [e.field.path];
      if (e.type === "records") return [e.field.path, ...e.columns.map((c) => c.path)];
      return [e.field.path];
    }),
  );
}

/** The path of an item's field: `ladder.rungs[N].name` with `index` 1 is `ladder.rungs[1].name`. */
export function itemPath(template: string, index: number): string {
  return template.replace("[N]", `[${index}]`);
}

/** The path of a record's field: `forecast.growth.<driver>.compound` with
 * `audience.watch_minutes_per_month` is `forecast.growth.audience.watch_minutes_per_month.compound`. */
export function recordPath(template: string, key: string): string {
  return template.replace(/<[^>]*>/, key);
}

/** The path of a table value: `audience.geo.<geography>` with `europe` is `audience.geo.europe`. */
export function keyPath(template: string, key: string): string {
  return template.replace(/<[^>]*>$/, key);
}


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
    case "list":
    case "table":
      return encodeValue(kind, t);
    default:
      return tomlString(raw);
  }
}

/** TOML text for a list or table typed into one input: TOML as a file writes it (`[...]`,
 * `{ ... }`, `"..."`) as it is, the editor refusing what is not TOML; values separated by
 * commas as a list of them (`1.1, 1.0, …`); one word alone as that word (`usage`). */
function encodeValue(kind: "list" | "table", t: string): string {
  if (t === "") return kind === "list" ? "[]" : "{}";
  if (/^[[{"']/.test(t)) return t;
  const item = (x: string) => (NUMBER.test(x.trim()) ? encode("number", x) : tomlString(x.trim()));
  if (kind === "list" && (t.includes(",") || NUMBER.test(t))) return "[" + t.split(",").map(item).join(", ") + "]";
  return tomlString(t);
}

/** The value at a path in the document tree (items counted from 1), or undefined. */
export function valueAt(tree: unknown, path: string): unknown {
  let node: unknown = tree;
  const parts = path.split(".");
  for (let i = 0; i < parts.length; i++) {
    if (node === null || typeof node !== "object") return undefined;
    const table = node as Record<string, unknown>;
    // A key may have dots in it (a growth's driver, `"audience.watch_minutes_per_month"`):
    // when a part is not a key, it is joined with the next ones until they make one.
    let part = parts[i];
    let j = i;
    while (!(part.replace(/\[\d+\]$/, "") in table) && j + 1 < parts.length) part = `${part}.${parts[++j]}`;
    if (part.replace(/\[\d+\]$/, "") in table) i = j;
    else part = parts[i];
    const m = /^([^[\]]+)(?:\[(\d+)\])?$/.exec(part);
    if (!m) return undefined;
    node = table[m[1]];
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
  // A list of plain values as the values separated by commas, which `encode` reads back;
  // anything else as the file would write it inline.
  if (Array.isArray(value) && (value.every((v) => typeof v === "number") || (value.length > 1 && value.every((v) => typeof v === "string" && /^[^,"'[{\s][^,]*$/.test(v) && !NUMBER.test(v))))) {
    return value.map(display).join(", ");
  }
  return tomlInline(value);
}

/** A value as TOML writes it inline: `{ "audience.geo.us" = 0.5 }`, `[{ name = "720p" }]`. */
function tomlInline(value: unknown): string {
  if (typeof value === "string") return tomlString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "[" + value.map(tomlInline).join(", ") + "]";
  if (value !== null && typeof value === "object") {
    const pairs = Object.entries(value).map(([k, v]) => `${/^[A-Za-z0-9_-]+$/.test(k) ? k : tomlString(k)} = ${tomlInline(v)}`);
    return pairs.length ? `{ ${pairs.join(", ")} }` : "{}";
  }
  return "";
}

/** Which field a problem belongs to. The engine names whole groups with `*`
 * (`ladder.rungs[*].watch_share`); such a problem belongs to each of them. */
export function concerns(d: Diagnostic, path: string): boolean {
  if (d.field === path) return true;
  if (!d.field.includes("*")) return false;
  const pattern = "^" + d.field.replace(/[.[\]]/g, (c) => "\\" + c).replace(/\\\[\*\\\]/g, "\\[\\d+\\]") + "$";
  return new RegExp(pattern).test(path);
}

/** TOML text for a list of tables (`storage.lifecycle`): each row's typed text by column. */
export function rowsText(columns: FormField[], rows: Record<string, string>[]): string {
  if (rows.length === 0) return "[]";
  const table = (row: Record<string, string>) =>
    "{ " + columns.filter((c) => (row[c.key] ?? "") !== "").map((c) => `${c.key} = ${encode(c.kind.type, row[c.key])}`).join(", ") + " }";
  return "[" + rows.map(table).join(", ") + "]";
}

/** TOML text for a list of strings. */
export function stringList(items: string[]): string {
  return "[" + items.map(tomlString).join(", ") + "]";
}
