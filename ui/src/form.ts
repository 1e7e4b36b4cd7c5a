// The scenario editor: a form built from the engine's field table. Every input proposes a
// change to the scenario's text; what the engine makes of it comes back as the document's
// tree and problems. When only values change, the inputs are updated in place, so an edit
// reaches the screen within a frame; anything else rebuilds the form.

import type { Change } from "./bindings/Change.js";
import type { Diagnostic } from "./bindings/Diagnostic.js";
import type { FormField } from "./bindings/FormField.js";
import type { ShareSum } from "./bindings/ShareSum.js";
import { $, button, el, setText } from "./dom.js";
import { submit } from "./edits.js";
import { Entry, FormSectionLayout, concerns, display, encode, itemPath, keyPath, layout, recordPath, rowsText, stringList, valueAt } from "./fields.js";
import { percent, quantity } from "./format.js";
import { loadReferenceLadder } from "./importer.js";
import { solveControls } from "./solve.js";
import { activeDoc, startup, state } from "./state.js";
import type { DocView } from "./view.js";

/** The list whose rows are the ladder's rungs: they have actions of their own. */
const RUNGS = "ladder.rungs";

let sections: FormSectionLayout[] | null = null;

function formLayout(): FormSectionLayout[] {
  sections ??= layout(startup().fields);
  return sections;
}

/** What decides the form's shape: the document, whether it is TOML, how many items each list
 * and table has, and the problems. */
function formShape(slot: string, view: DocView | undefined): string {
  const tree = view?.tree ?? null;
  const counts = formLayout().flatMap((s) =>
    s.entries.map((e) => {
      const v = valueAt(tree, e.field.path);
      if (e.type === "rows") return Array.isArray(v) ? v.length : 0;
      if (e.type === "keyed" || e.type === "records") return Object.keys((v as object | undefined) ?? {}).join(",");
      return null;
    }),
  );
  return JSON.stringify([slot, tree === null, counts, view?.diagnostics ?? []]);
}

let renderedShape = "";
let renderedTree: string | null = null;
let renderedSlot = "";

export function renderForm(): void {
  const doc = activeDoc();
  const view = state.views.get(doc.slot);
  const shape = formShape(doc.slot, view);
  if (shape === renderedShape && view?.tree) {
    // The same tree as on screen: nothing to do.
    if (view.treeHash !== renderedTree) updateValues(view.tree);
    renderedTree = view.treeHash;
    showShareSums(view);
    return;
  }
  renderedShape = shape;
  renderedTree = view?.treeHash ?? null;
  // Another document's form keeps nothing of the field typed in before (closing the window
  // switches tabs while a field has the focus).
  const sameDoc = renderedSlot === doc.slot;
  renderedSlot = doc.slot;
  if (!sameDoc) (document.activeElement as HTMLElement | null)?.blur?.();
  buildForm(view);
}

/** Puts the tree's values into the fields, leaving alone the one being typed in. */
function updateValues(tree: unknown): void {
  const focused = document.activeElement;
  const form = $("editor");
  for (const input of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>("[data-path]")) {
    if (input === focused) continue;
    const path = input.dataset.path!;
    if (input.dataset.slider !== undefined) continue;
    const value = valueAt(tree, path);
    if (input instanceof HTMLInputElement && input.type === "checkbox") input.checked = value === true;
    else if (input.value !== display(value)) input.value = display(value);
  }
  for (const box of form.querySelectorAll<HTMLInputElement>("input[data-word]")) {
    const words = ((valueAt(tree, box.dataset.list!) as unknown[] | undefined) ?? []).map(String);
    box.checked = words.includes(box.dataset.word!);
  }
  for (const label of form.querySelectorAll<HTMLElement>(".slider-value")) {
    const input = label.previousElementSibling as HTMLInputElement;
    if (input !== focused) showSlider(input, label, valueAt(tree, label.dataset.for!));
  }
}

/** The share sums the engine computed, flagged when not 1 within its tolerance. */
function showShareSums(view: DocView | undefined): void {
  const sums: Record<string, ShareSum | null> = { [RUNGS]: view?.shares.rungs ?? null, "audience.geo": view?.shares.geographies ?? null };
  for (const label of $("editor").querySelectorAll<HTMLElement>(".share-sum")) {
    const sum = sums[label.dataset.for!] ?? null;
    setText(label, sum ? `shares sum to ${quantity(sum.sum, 4)}` : "");
    label.classList.toggle("bad", sum !== null && !sum.ok);
  }
}

// The field being typed in keeps its text and caret when the form is rebuilt.
function buildForm(view: DocView | undefined): void {
  const form = $("editor");
  const focused = document.activeElement as HTMLInputElement | null;
  const focusPath = focused?.dataset?.path;
  const focusValue = focused && "value" in focused ? focused.value : null;
  const selection = focused && typeof focused.selectionStart === "number" ? [focused.selectionStart, focused.selectionEnd] : null;
  const scroll = form.scrollTop;

  const tree = view?.tree ?? null;
  const diagnostics = view?.diagnostics ?? [];
  const parts: Node[] = [problemsList(diagnostics)];
  if (tree === null) {
    parts.push(el("p", { class: "syntax" }, "The file is not valid TOML, so its fields cannot be shown. Fix the line named above in a text editor, then open it again."));
  } else {
    for (const section of formLayout()) {
      const box = el("section", { class: "form-section", id: `section-${section.name}` }, el("h2", {}, section.title));
      for (const entry of section.entries) box.append(...drawEntry(entry, tree, diagnostics));
      parts.push(box);
    }
  }
  form.replaceChildren(...parts);
  showShareSums(view);
  form.scrollTop = scroll;
  if (focusPath) {
    const again = form.querySelector<HTMLInputElement>(`[data-path="${CSS.escape(focusPath)}"]:not([data-slider])`);
    if (again) {
      if (focusValue !== null && again.type !== "checkbox" && again.type !== "range" && again.tagName !== "SELECT") again.value = focusValue;
      again.focus();
      if (selection && typeof again.setSelectionRange === "function" && again.type === "text") {
        again.setSelectionRange(selection[0] ?? 0, selection[1] ?? 0);
      }
    }
  }
}

function drawEntry(entry: Entry, tree: unknown, diagnostics: Diagnostic[]): Node[] {
  switch (entry.type) {
    case "field": {
      const f = entry.field;
      const row = fieldRow(f.path, f, f.label, tree, diagnostics);
      const rate = f.kind.type === "number" && f.kind.rate;
      return rate ? [row, slider(f, tree)] : [row];
    }
    case "rows":
      return [entry.field.path === RUNGS ? ladderTable(entry.columns, tree, diagnostics) : rowsTable(entry.field, entry.columns, tree, diagnostics)];
    case "keyed":
      return [keyedTable(entry, tree, diagnostics)];
    case "records":
      return [recordsTable(entry, tree, diagnostics)];
    case "words":
      return [wordChecks(entry.field, entry.words, tree, diagnostics)];
  }
}

/** The problems of a scenario, each at its line and column; a click goes to its field. */
export function problemsList(diagnostics: Diagnostic[], id = "problems"): HTMLElement {
  const box = el("div", { class: "problems", id });
  box.hidden = diagnostics.length === 0;
  if (diagnostics.length === 0) return box;
  box.append(el("h2", {}, diagnostics.length === 1 ? "1 problem" : `${diagnostics.length} problems`));
  const list = el("ul");
  for (const d of diagnostics) {
    const where = `line ${d.line}, column ${d.column}` + (d.field ? ` \u00b7 ${d.field}` : "");
    const item = el("li", {}, el("span", { class: "where" }, where), el("span", {}, d.message), d.hint ? el("span", { class: "hint" }, `hint: ${d.hint}`) : null);
    item.addEventListener("click", () => {
      const target = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(d.field)}"]`);
      target?.focus();
    });
    list.append(item);
  }
  box.append(list);
  return box;
}

function fieldErrors(path: string, diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => concerns(d, path));
}

function placeholder(f: FormField): string {
  return f.default?.type === "value" ? f.default.text.replace(/^"(.*)"$/, "$1") : "";
}

/** The input for one value, drawn by the field's kind. */
function inputFor(path: string, f: FormField, label: string, value: unknown, invalid: boolean): HTMLElement {
  let input: HTMLInputElement | HTMLSelectElement;
  const kind = f.kind;
  if (kind.type === "bool") {
    const box = el("input", { type: "checkbox", "data-path": path });
    box.checked = value === true;
    box.addEventListener("change", () => submit({ kind: "set", path, value: box.checked ? "true" : "false" }));
    input = box;
  } else if (kind.type === "choice") {
    const select = el("select", { "data-path": path });
    const current = display(value);
    const choices = kind.choices;
    // A value the table does not know stays shown, so the engine's problem can name it.
    // A field the file leaves out shows what it then is, and cannot be chosen back.
    if (current === "") select.append(el("option", { value: "", disabled: "" }, f.default ? `(${f.default.type === "value" ? placeholder(f) : f.default.text})` : "(not set)"));
    for (const c of choices.includes(current) || current === "" ? choices : [current, ...choices]) select.append(el("option", { value: c }, c));
    select.value = current;
    select.addEventListener("change", () => submit({ kind: "set", path, value: encode("choice", select.value) }));
    input = select;
  } else {
    const text = el("input", { type: "text", "data-path": path, spellcheck: "false", autocomplete: "off", placeholder: placeholder(f) });
    if (kind.type === "number") text.inputMode = "decimal";
    text.value = display(value);
    text.addEventListener("input", () => submit({ kind: "set", path, value: encode(kind.type, text.value) }));
    input = text;
  }
  if (invalid) input.classList.add("invalid");
  input.setAttribute("aria-label", label);
  input.title = kind.type === "number" ? `${f.help} (${kind.rule})` : f.help;
  return input;
}

function errorNotes(errors: Diagnostic[]): HTMLElement | null {
  if (errors.length === 0) return null;
  return el(
    "div",
    { class: "field-error" },
    ...errors.map((d) => el("div", {}, d.message, d.hint ? el("div", { class: "hint" }, `hint: ${d.hint}`) : null)),
  );
}

function fieldRow(path: string, f: FormField, label: string, tree: unknown, diagnostics: Diagnostic[]): HTMLElement {
  const errors = fieldErrors(path, diagnostics);
  const input = inputFor(path, f, label, valueAt(tree, path), errors.length > 0);
  // A number a sweep may vary can be solved for (the field table says which).
  const solvable = f.kind.type === "number" && f.sweep;
  const solve = solvable ? solveControls(path, label) : null;
  return el(
    "div",
    { class: "field", "data-field": f.path },
    el("label", {}, label, f.unit ? el("span", { class: "unit" }, ` ${f.unit}`) : null),
    solve ? el("div", { class: "with-solve" }, input, solve.toggle) : input,
    errorNotes(errors),
    solve ? solve.box : null,
  );
}

/** A slider beside a rate (a fraction people think of in percent). */
function slider(f: FormField, tree: unknown): HTMLElement {
  const path = f.path;
  const input = el("input", { type: "range", min: "0", max: "1", step: "0.005", "data-path": path, "data-slider": "", "aria-label": f.label });
  const label = el("span", { class: "slider-value", "data-for": path, "data-default": placeholder(f) });
  showSlider(input, label, valueAt(tree, path));
  input.addEventListener("input", () => {
    label.textContent = percent(Number(input.value));
    submit({ kind: "set", path, value: encode("number", input.value) });
  });
  return el("div", { class: "field slider" }, el("label", {}, f.label), input, label);
}

/** A slider and its label at a rate's value, or at its default when the file leaves it out. */
function showSlider(input: HTMLInputElement, label: HTMLElement, value: unknown): void {
  const given = typeof value === "number";
  const fallback = Number(label.dataset.default);
  const v = given ? value : fallback;
  if (Number.isFinite(v) && input.value !== String(v)) input.value = String(v);
  setText(label, !Number.isFinite(v) ? "\u2014" : given ? percent(v) : `${percent(v)} (the default)`);
}

function items(tree: unknown, path: string): Record<string, unknown>[] {
  const v = valueAt(tree, path);
  return Array.isArray(v) ? (v as Record<string, unknown>[]) : [];
}

function ladderTable(columns: FormField[], tree: unknown, diagnostics: Diagnostic[]): HTMLElement {
  const rungs = items(tree, RUNGS);
  const table = el("table", { class: "rungs", id: "rungs" });
  table.append(el("thead", {}, el("tr", {}, el("th", {}, "#"), ...columns.map((f) => el("th", { title: f.help, "data-field": f.path }, f.label)), el("th", {}, ""))));
  const body = el("tbody");
  const errors: Diagnostic[] = [];
  rungs.forEach((_, i) => {
    // Rungs count from 1 here as in every path.
    const n = i + 1;
    const row = el("tr", { "data-rung": String(n) }, el("td", { class: "num" }, String(n)));
    for (const f of columns) {
      const path = itemPath(f.path, n);
      const mine = fieldErrors(path, diagnostics);
      errors.push(...mine.filter((d) => !errors.includes(d)));
      row.append(el("td", {}, inputFor(path, f, `${f.label}, rung ${n}`, valueAt(tree, path), mine.length > 0)));
    }
    const action = (label: string, title: string, change: Change, enabled: boolean) => {
      const b = button(label, () => submit(change), { title, "aria-label": `${title}: rung ${n}` });
      b.disabled = !enabled;
      return b;
    };
    row.append(
      el(
        "td",
        { class: "row-actions" },
        action("\u2191", "Move up", { kind: "move_rung", from: n, to: n - 1 }, n > 1),
        action("\u2193", "Move down", { kind: "move_rung", from: n, to: n + 1 }, n < rungs.length),
        action("\u2295", "Duplicate (share 0)", { kind: "duplicate_rung", rung: n }, true),
        action("\u2715", "Remove", { kind: "remove_rung", rung: n }, rungs.length > 1),
      ),
    );
    body.append(row);
  });
  table.append(body);

  const ladders = el("select", { id: "reference-ladder", "aria-label": "Load a reference ladder" }, el("option", { value: "" }, "Load a reference ladder\u2026"));
  for (const l of startup().ladders) ladders.append(el("option", { value: l.name, title: l.source }, `${l.name} (${l.rungs} rungs)`));
  ladders.addEventListener("change", () => {
    const chosen = startup().ladders.find((l) => l.name === ladders.value);
    if (chosen) void loadReferenceLadder(chosen.name, chosen.rungs);
  });
  const tools = el(
    "div",
    { class: "ladder-tools" },
    ladders,
    button("Scale shares to 1", () => submit({ kind: "normalize_shares" }), { id: "normalize-shares" }),
    el("span", { class: "share-sum", "data-for": RUNGS }),
  );
  return el("div", { class: "ladder", "data-field": RUNGS }, el("div", { class: "table-scroll" }, table), errorNotes(errors), tools);
}

/** A list of tables other than the rungs (`storage.lifecycle`): each value is set in place;
 * adding or removing an item writes the list back whole. */
function rowsTable(field: FormField, columns: FormField[], tree: unknown, diagnostics: Diagnostic[]): HTMLElement {
  const rowsOf = (t: unknown) => items(t, field.path).map((r) => Object.fromEntries(columns.map((c) => [c.key, display(r[c.key])])));
  const rows = rowsOf(tree);
  // Adding or removing writes the list as the fields show it now: a value typed since the
  // form was drawn (fields are updated in place), even one whose edit is still on its way,
  // is not undone.
  const current = () =>
    rowsOf(state.views.get(activeDoc().slot)?.tree ?? tree).map((row, i) =>
      Object.fromEntries(
        columns.map((c) => {
          const input = box.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-path="${CSS.escape(itemPath(c.path, i + 1))}"]`);
          if (!input) return [c.key, row[c.key]];
          return [c.key, input instanceof HTMLInputElement && input.type === "checkbox" ? String(input.checked) : input.value];
        }),
      ),
    );
  const write = (next: Record<string, string>[]) => submit({ kind: "set", path: field.path, value: rowsText(columns, next) });
  const box = el("div", { class: "rows", "data-field": field.path }, el("h3", { title: field.help }, field.label));
  rows.forEach((_, i) => {
    const line = el("div", { class: "rule", "data-item": String(i + 1) });
    for (const c of columns) {
      const path = itemPath(c.path, i + 1);
      // A label and its input stay together when a row wraps.
      line.append(el("div", { class: "cell" }, el("span", { "data-field": c.path }, c.label), inputFor(path, c, `${c.label}, ${i + 1}`, valueAt(tree, path), fieldErrors(path, diagnostics).length > 0)));
    }
    line.append(button("\u2715", () => write(current().filter((_, j) => j !== i)), { title: "Remove" }));
    box.append(line);
  });
  // A new item starts as a copy of the last one, or each column's first choice or least value.
  const fresh = (now: Record<string, string>[]): Record<string, string> =>
    now.length
      ? { ...now[now.length - 1] }
      : Object.fromEntries(columns.map((c) => [c.key, c.kind.type === "number" ? c.kind.min : c.kind.type === "choice" ? c.kind.choices[c.kind.choices.length - 1] : ""]));
  box.append(
    button(
      "Add",
      () => {
        const now = current();
        write([...now, fresh(now)]);
      },
      { class: "link", title: `Add to ${field.label.toLowerCase()}` },
    ),
  );
  box.append(errorNotes(diagnostics.filter((d) => d.field.startsWith(field.path))) ?? "");
  return box;
}

/** A table of values by key (`audience.geo`): the keys present, and a way to add the others. */
function keyedTable(entry: Extract<Entry, { type: "keyed" }>, tree: unknown, diagnostics: Diagnostic[]): HTMLElement {
  const { field, item, keys } = entry;
  const present = (valueAt(tree, field.path) as Record<string, unknown> | undefined) ?? {};
  const box = el("div", { class: "geo", "data-field": field.path }, el("h3", { title: field.help }, field.label));
  const itemField = item ?? field;
  const known = keys.filter((k) => k.value in present);
  const unknown = Object.keys(present).filter((k) => !keys.some((c) => c.value === k));
  for (const k of [...known, ...unknown.map((value) => ({ value, label: value }))]) {
    box.append(fieldRow(keyPath(itemField.path, k.value), itemField, k.label, tree, diagnostics));
  }
  const missing = keys.filter((k) => !(k.value in present));
  if (missing.length) {
    const add = el("select", { "aria-label": `Add to ${field.label.toLowerCase()}` }, el("option", { value: "" }, "Add\u2026"), ...missing.map((k) => el("option", { value: k.value }, k.label)));
    add.addEventListener("change", () => {
      if (add.value) submit({ kind: "set", path: keyPath(itemField.path, add.value), value: "0" });
    });
    box.append(add);
  }
  box.append(el("span", { class: "share-sum", "data-for": field.path }));
  box.append(errorNotes(fieldErrors(field.path, diagnostics)) ?? "");
  return box;
}

/** A table of records by key (`forecast.growth`): for each key the file has, a row of its
 * fields. A driver's key has dots in it, so values are read from the table, not by path. */
function recordsTable(entry: Extract<Entry, { type: "records" }>, tree: unknown, diagnostics: Diagnostic[]): HTMLElement {
  const { field, columns } = entry;
  const present = (valueAt(tree, field.path) as Record<string, Record<string, unknown>> | undefined) ?? {};
  const box = el("div", { class: "records", "data-field": field.path }, el("h3", { title: field.help }, field.label));
  // The engine names a driver's key quoted, as the file writes it.
  const errorsAt = (path: string) => diagnostics.filter((d) => d.field.replace(/"/g, "") === path);
  for (const [key, record] of Object.entries(present)) {
    const row = el("div", { class: "record", "data-key": key }, el("div", { class: "record-key" }, key));
    for (const c of columns) {
      const name = c.path.slice(c.path.lastIndexOf(".") + 1);
      const path = recordPath(c.path, key);
      const errors = errorsAt(path);
      row.append(
        el("div", { class: "field", "data-field": c.path }, el("label", {}, c.label), inputFor(path, c, `${key} ${c.label}`, record?.[name], errors.length > 0), errorNotes(errors)),
      );
    }
    box.append(row);
  }
  if (Object.keys(present).length === 0) box.append(el("p", { class: "muted" }, "Every driver stays as it is: write a growth in the file to add one."));
  box.append(errorNotes(diagnostics.filter((d) => d.field.startsWith(field.path) && !Object.keys(present).some((k) => d.field.replace(/"/g, "").startsWith(`${field.path}.${k}.`)))) ?? "");
  return box;
}

/** A list of words (`nlp.apis`), each a check box. */
function wordChecks(field: FormField, words: string[], tree: unknown, diagnostics: Diagnostic[]): HTMLElement {
  const on = () => ((valueAt(tree, field.path) as unknown[] | undefined) ?? []).map(String);
  const box = el("div", { class: "apis", "data-field": field.path }, el("h3", { title: field.help }, field.label));
  for (const word of words) {
    const check = el("input", { type: "checkbox", "data-list": field.path, "data-word": word });
    check.checked = on().includes(word);
    check.addEventListener("change", () => {
      const current = [...$("editor").querySelectorAll<HTMLInputElement>(`input[data-list="${CSS.escape(field.path)}"]`)].filter((c) => c.checked).map((c) => c.dataset.word!);
      submit({ kind: "set", path: field.path, value: stringList(current) });
    });
    box.append(el("label", { class: "check" }, check, ` ${word.replace("_", " ")}`));
  }
  box.append(errorNotes(diagnostics.filter((d) => d.field.startsWith(field.path))) ?? "");
  return box;
}
