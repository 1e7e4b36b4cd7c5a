// The Forecast view: the months ahead of the current tab, as `ladderwise forecast` gives them.
// The fan chart and every figure come from the engine; this lays them out, and asks again
// when the tab's text changes (an edit of a growth rate redraws the fan).

import type { Diagnostic } from "./bindings/Diagnostic.js";
import type { ForecastView } from "./bindings/ForecastView.js";
import { $, el } from "./dom.js";
import { docName } from "./documents.js";
import { problemsList } from "./form.js";
import * as ipc from "./ipc.js";
import { showSvg } from "./patch.js";
import { activeDoc, labelOf, perf, state } from "./state.js";

const view = {
  /** The text the forecast on screen is of. */
  text: null as string | null,
  forecast: null as ForecastView | null,
  error: "",
  /** The scenario problems behind the error (a `seasonality = "usage"` with no usage). */
  problems: [] as Diagnostic[],
};

// Answers that arrive after a newer request was sent are dropped.
let generation = 0;
// The request in flight, if any: what `forecastIdle` waits for.
let inflight: Promise<void> | null = null;

/** Resolves once no forecast is being asked for (for measuring the view's redraw). */
export async function forecastIdle(): Promise<void> {
  while (inflight) await inflight;
}

/** Asks for the forecast when the tab's text is not the one on screen. */
export function forecastFollows(): void {
  if (activeDoc().text !== view.text) void refreshForecast();
}

export function refreshForecast(): Promise<void> {
  const asked = ask();
  inflight = asked;
  void asked.finally(() => {
    if (inflight === asked) inflight = null;
  });
  return asked;
}

async function ask(): Promise<void> {
  const doc = activeDoc();
  const mine = ++generation;
  // The edit this redraw follows, if one brought it (read before the first await: the
  // edit queue clears it once the views it drew have started).
  const started = state.editStarted;
  view.text = doc.text;
  $("view-forecast").classList.add("stale");
  // A preview with few paths first, so the fan follows typing; then every path the
  // scenario asks for, unless another edit came meanwhile.
  for (const preview of [true, false]) {
    try {
      const f = await ipc.forecast({ label: labelOf(doc), text: doc.text, months: null, preview });
      if (mine !== generation) return;
      view.forecast = f;
      view.error = "";
      view.problems = [];
    } catch (e) {
      if (mine !== generation) return;
      // The last good forecast stays on screen under the error, dimmed.
      view.error = ipc.errorText(e);
      view.problems = ipc.errorProblems(e);
    }
    renderForecast();
    if (started !== null) (preview ? perf.forecast : perf.forecastFull).add(performance.now() - started);
    if (!view.forecast?.preview || view.error) {
      if (preview && started !== null) perf.forecastFull.add(performance.now() - started);
      return;
    }
  }
}

export function renderForecast(): void {
  const out = $("view-forecast");
  out.classList.toggle("stale", view.error !== "");
  const title = el("h2", {}, `Forecast of ${docName(activeDoc())}`);
  // A problem in the scenario is shown as the form shows it, at its line and column.
  const error = view.problems.length > 0 ? problemsList(view.problems, "forecast-problems") : view.error ? el("p", { class: "bad", id: "forecast-error" }, view.error) : "";
  const v = view.forecast;
  if (!v) {
    out.replaceChildren(title, error || el("p", { class: "muted" }, "Pricing the months ahead\u2026"));
    return;
  }
  const f = v.forecast;
  const months = f.months;
  const last = months[months.length - 1]?.month ?? f.start;
  const how =
    f.paths > 0
      ? `P10, P50 and P90 over ${f.paths.toLocaleString("en-US")} Monte Carlo paths (seed ${f.seed})${v.preview ? ", a first look: every path follows" : ""}; \u201cdeterministic\u201d has every growth rate at its central value.`
      : "No Monte Carlo paths (the notes say why): P10, P50 and P90 are the deterministic path.";
  const summary = el(
    "ul",
    { class: "facts", id: "forecast-summary" },
    el("li", {}, `${f.start} to ${last}, ${months.length} months: ${v.shown.total} deterministic, ${v.shown.total_p50} as the sum of the monthly P50s.`),
    f.budget_summary !== null ? el("li", {}, f.budget_summary) : null,
    f.currency !== null ? el("li", {}, `${f.currency.code} at ${f.currency.per_usd} per US dollar (${f.currency.rate_date}, ${f.currency.source}), as the scenario states it.`) : null,
    el("li", { class: "muted" }, how),
  );
  const code = f.currency?.code;
  const table = el(
    "table",
    { class: "compare", id: "forecast-months" },
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", {}, "Month"),
        el("th", { class: "money" }, "P10"),
        el("th", { class: "money" }, "P50"),
        el("th", { class: "money" }, "P90"),
        el("th", { class: "money" }, "Deterministic"),
        code ? el("th", { class: "money" }, `P50 (${code})`) : null,
        el("th", {}, "Events"),
      ),
    ),
    el(
      "tbody",
      {},
      ...months.map((m, i) => {
        // In the engine's words: a month with unpriced lines is a lower bound in any column.
        const shown = v.shown.months[i];
        return el(
          "tr",
          { class: m.over_budget ? "over-budget" : "" },
          el("td", {}, m.month),
          el("td", { class: "money" }, shown?.p10 ?? ""),
          el("td", { class: "money" }, shown?.p50 ?? ""),
          el("td", { class: "money" }, shown?.p90 ?? ""),
          el("td", { class: "money" }, shown?.deterministic ?? ""),
          code ? el("td", { class: "money" }, shown?.p50_in_currency ?? "") : null,
          el("td", {}, m.events.join("; ")),
        );
      }),
    ),
  );
  const chart = el("div", { class: "chart-body" });
  showSvg(chart, v.svg);
  out.replaceChildren(
    title,
    error,
    summary,
    el("figure", { class: "chart", id: "forecast-fan", "data-chart": "forecast" }, chart),
    table,
    f.notes.length ? el("ul", { class: "muted" }, ...f.notes.map((n) => el("li", {}, n))) : "",
  );
}
