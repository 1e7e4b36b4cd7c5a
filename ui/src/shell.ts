// The frame around the views: document tabs, the recent list, the close confirmation, the
// recovery offer, notices and the status bar. Each is redrawn only when what it shows changes.

import { $, button, el, setText } from "./dom.js";
import { docName, isDirty, windowTitle } from "./documents.js";
import { closeDoc, discardDraft, restoreDraft } from "./files.js";
import { ago } from "./format.js";
import * as ipc from "./ipc.js";
import { Notice, activeDoc, docBySlot, hooks, perf, startup, state } from "./state.js";

export function renderTitle(): void {
  const title = windowTitle(activeDoc());
  if (document.title !== title) {
    document.title = title;
    void ipc.setTitle(title).catch(() => undefined);
  }
}

let tabsShown = "";

export function renderTabs(): void {
  const key = JSON.stringify([state.docs.map((d) => [d.slot, docName(d), isDirty(d), d.path]), state.active, state.confirmClose, state.closingWindow?.slot, startup().recent]);
  if (key === tabsShown) return;
  tabsShown = key;
  $("doc-tabs").replaceChildren(
    ...state.docs.map((d, i) => {
      const tab = el("div", { class: i === state.active ? "doc-tab active" : "doc-tab", "data-slot": d.slot });
      const name = button(`${isDirty(d) ? "\u2022 " : ""}${docName(d)}`, () => {
        state.active = i;
        hooks.render();
      }, { class: "doc-name", title: d.path ?? "not saved yet" });
      tab.append(name, button("\u00d7", () => closeDoc(d.slot), { class: "doc-close", title: "Close", "aria-label": `Close ${docName(d)}` }));
      return tab;
    }),
  );
  // With more tabs than fit, the one on screen is scrolled into view.
  $("doc-tabs").querySelector(".doc-tab.active")?.scrollIntoView({ block: "nearest", inline: "nearest" });
  const confirm = $("confirm-close");
  confirm.replaceChildren();
  const closing = state.closingWindow;
  const asked = closing ? docBySlot(closing.slot) : undefined;
  confirm.hidden = state.confirmClose === null && !asked;
  const pending = state.confirmClose ? docBySlot(state.confirmClose) : undefined;
  if (closing && asked) {
    // The window is closing: this tab is asked about, then the next unsaved one.
    confirm.append(
      el("span", {}, `${docName(asked)} has unsaved edits. Save them before Ladderwise closes?`),
      button("Save", () => closing.answer("save"), { class: "primary", "data-close": "save" }),
      button("Discard", () => closing.answer("discard"), { class: "danger", "data-close": "discard" }),
      button("Cancel", () => closing.answer("cancel"), { "data-close": "cancel" }),
    );
  } else if (pending) {
    confirm.append(
      el("span", {}, `${docName(pending)} has unsaved edits.`),
      button("Discard them and close", () => closeDoc(pending.slot, true), { class: "danger" }),
      button("Keep editing", () => {
        state.confirmClose = null;
        hooks.render();
      }),
    );
  }
  const recent = $("recent") as HTMLSelectElement;
  recent.replaceChildren(el("option", { value: "" }, "Recent files\u2026"), ...startup().recent.map((p) => el("option", { value: p }, p)));
  recent.value = "";
}

let recoveryShown: unknown = null;

export function renderRecovery(): void {
  const drafts = startup().drafts;
  if (drafts === recoveryShown) return;
  recoveryShown = drafts;
  const box = $("recovery");
  box.hidden = drafts.length === 0;
  box.replaceChildren();
  for (const d of drafts) {
    const name = d.path ?? "an unsaved scenario";
    box.append(
      el(
        "div",
        { class: "recovery-row" },
        el("span", {}, `Unsaved edits to ${name} from ${ago(d.saved_at, Date.now())} were kept when Ladderwise last stopped.`),
        button("Restore", () => void restoreDraft(d), { class: "primary" }),
        button("Discard", () => discardDraft(d)),
      ),
    );
  }
}

let noticeShown: unknown = undefined;

export function renderNotice(): void {
  if (state.notice === noticeShown) return;
  noticeShown = state.notice;
  const box = $("notice");
  box.replaceChildren();
  box.hidden = state.notice === null;
  if (!state.notice) return;
  box.className = state.notice.error ? "notice error" : "notice";
  box.append(el("pre", {}, state.notice.text));
  const action = state.notice.action;
  if (action) box.append(button(action.label, action.run, { class: "primary", "data-action": "notice" }));
  box.append(button("Dismiss", () => notify(null), { class: "link" }));
}

export function notify(notice: Notice | null): void {
  state.notice = notice;
  renderNotice();
}

let statusParts: HTMLElement[] = [];

export function renderStatus(): void {
  const doc = activeDoc();
  const s = perf.edit.summary();
  const view = state.views.get(doc.slot);
  const timing = s.n
    ? `edit \u2192 screen ${s.last.toFixed(1)} ms (p50 ${s.p50.toFixed(1)}, p95 ${s.p95.toFixed(1)} over ${s.n})`
    : view
      ? `engine ${view.computeMs.toFixed(1)} ms`
      : "";
  const texts = [doc.path ?? `${docName(doc)} (not saved yet)`, isDirty(doc) ? "unsaved edits" : "saved", `prices: ${startup().pricing.id}`, timing];
  if (statusParts.length !== texts.length) {
    statusParts = [el("span", { id: "status-path" }), el("span", { id: "status-dirty" }), el("span", {}), el("span", { id: "status-perf" })];
    $("status").replaceChildren(...statusParts);
  }
  texts.forEach((t, i) => setText(statusParts[i], t));
}
