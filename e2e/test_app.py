"""End-to-end tests of the real desktop app: its window under Xvfb, driven over WebDriver
(tauri-driver + WebKitWebDriver). Run by e2e/run, which starts the display and the drivers.

Usage: test_app.py APP_BINARY   (env: LADDERWISE_E2E_DATA, LADDERWISE_E2E_OUT)"""

import os
import re
import shutil
import sys
import time
import traceback

from webdriver import Session

APP = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ["LADDERWISE_E2E_DATA"]  # the app's XDG_DATA_HOME, set by e2e/run
OUT = os.environ.get("LADDERWISE_E2E_OUT", "e2e-out")
os.makedirs(OUT, exist_ok=True)

VIDEO_720 = 'input[data-path="ladder.rungs[1].video_kbps"]'
VIDEO_360 = 'input[data-path="ladder.rungs[2].video_kbps"]'


# The port e2e/run gave tauri-driver.
PORT = int(os.environ.get("LADDERWISE_E2E_PORT", "4444"))


def start():
    s = Session(APP, port=PORT)
    s.wait_for("the app to start", lambda: s.js("return document.body.dataset.ready === 'true'"))
    settle(s)
    return s


def settle(s):
    s.wait_for("the edit queue to drain", lambda: s.js("return !!window.ladderwise && window.ladderwise.idle()"))


def total(s):
    return s.text("#total")


def chart(s):
    return s.js("const svg = document.querySelector('#charts svg'); return svg ? svg.outerHTML : ''")


def drafts_dir():
    return os.path.join(DATA, "ladderwise", "drafts")


def shot(s, name):
    s.screenshot(os.path.join(OUT, f"{name}.png"))


# ----- the tests ------------------------------------------------------------------------------


def test_edit_a_rung_and_see_the_total_and_chart_follow():
    s = start()
    try:
        assert s.value('input[data-path="scenario.name"]') == "UGC short-form platform"
        before_total, before_chart = total(s), chart(s)
        assert before_total.startswith("$"), before_total
        assert "<svg" in before_chart
        shot(s, "01-default-scenario")
        s.type_into(VIDEO_720, "4500")
        s.wait_for("the total to change", lambda: total(s) != before_total)
        settle(s)
        assert s.value(VIDEO_720) == "4500"
        assert chart(s) != before_chart, "the ladder chart was not redrawn"
        assert s.js("return window.ladderwise.chartMatches()"), "the chart changed in place differs from the one drawn"
        delta = s.text("#total-delta")
        assert delta.startswith("+$") and "since this scenario was created" in delta, delta
        assert s.js("return document.title").startswith("\u2022 "), "no unsaved-edits marker"
        assert "video_kbps = 4500" in s.js("return window.ladderwise.activeText()")
        assert s.js("return window.ladderwise.cspViolations()") == [], "the CSP refused something"
        # Every other chart draws for the edited scenario too.
        for kind in ["cache-hit-rate", "transcode-choice", "delivery-choice", "breakdown"]:
            s.click(f'button[data-chart-tab="{kind}"]')
            s.wait_for(f"the {kind} chart", lambda: s.js("return document.querySelector('#charts figure')?.dataset.chart") == kind)
            assert "<svg" in chart(s), kind
            s.type_into(VIDEO_720, "4600")
            settle(s)
            assert s.js("return window.ladderwise.chartMatches()"), f"the {kind} chart changed in place differs from the one drawn"
            shot(s, f"02-chart-{kind}")
        assert s.js("return window.ladderwise.cspViolations()") == [], "the CSP refused something"
    finally:
        s.close()


def test_save_to_a_new_file_and_reopen_it():
    path = os.path.join(OUT, "saved-scenario.toml")
    if os.path.exists(path):
        os.remove(path)
    s = start()
    try:
        s.type_into(VIDEO_360, "950")
        s.wait_for("the edit", lambda: "video_kbps = 950" in s.js("return window.ladderwise.activeText()"))
        settle(s)
        saved_total = total(s)
        s.js_async("const done = arguments[arguments.length - 1]; window.ladderwise.saveTo(arguments[0]).then(done)", path)
        text = open(path).read()
        assert "video_kbps = 950" in text
        assert "# share of watch time; shares sum to 1" in text, "comments were lost on save"
        assert not s.js("return document.title").startswith("\u2022"), "still marked unsaved after saving"
        assert s.text("#status-dirty") == "saved"
        assert not [f for f in os.listdir(os.path.dirname(path)) if f.endswith(".tmp")], "a temporary file was left"
        shot(s, "03-saved")
    finally:
        s.close()
    s = start()
    try:
        s.js_async("const done = arguments[arguments.length - 1]; window.ladderwise.openPath(arguments[0]).then(done)", path)
        settle(s)
        assert s.value(VIDEO_360) == "950"
        assert total(s) == saved_total
        assert "saved-scenario.toml" in s.js("return document.title")
        recent = s.js("return [...document.querySelectorAll('#recent option')].map(o => o.value)")
        assert os.path.abspath(path) in recent or path in recent, recent
    finally:
        s.close()


def test_a_bad_value_shows_an_error_and_loses_nothing():
    s = start()
    try:
        good_total = total(s)
        s.type_into(VIDEO_720, "fast")
        s.wait_for("the problem to be listed", lambda: s.js("return !document.getElementById('problems').hidden"))
        settle(s)
        problems = s.text("#problems")
        assert "ladder.rungs[1].video_kbps" in problems, problems
        assert "hint:" in problems, problems
        assert s.value(VIDEO_720) == "fast", "the typed text was lost"
        assert s.js(f"return document.querySelector('{VIDEO_720}').classList.contains('invalid')")
        assert total(s) == good_total, "the last valid total should stay on screen"
        assert not s.js("return document.getElementById('stale-banner').hidden")
        assert 'video_kbps = "fast"' in s.js("return window.ladderwise.activeText()")
        shot(s, "04-bad-value")
        # Other fields stay editable while one is wrong, and the fix brings the results back.
        s.type_into(VIDEO_720, "3200")
        s.wait_for("the problem to clear", lambda: s.js("return document.getElementById('problems').hidden"))
        settle(s)
        assert total(s) != good_total
    finally:
        s.close()


def test_unsaved_edits_survive_a_crash():
    s = start()
    try:
        s.type_into(VIDEO_720, "5100")
        s.wait_for("the edit", lambda: "video_kbps = 5100" in s.js("return window.ladderwise.activeText()"))
        s.wait_for("the draft on disk", lambda: os.path.isdir(drafts_dir()) and any(
            "5100" in open(os.path.join(drafts_dir(), f)).read() for f in os.listdir(drafts_dir())))
    finally:
        # Ending the session kills the app: it never gets to close cleanly.
        s.close()
    s = start()
    try:
        s.wait_for("the recovery offer", lambda: s.js("return !document.getElementById('recovery').hidden"))
        shot(s, "05-recovery")
        s.click("#recovery button.primary")
        s.wait_for("the restored edit", lambda: s.js(f"return document.querySelector('{VIDEO_720}')?.value") == "5100")
        assert s.js("return document.title").startswith("\u2022 "), "restored edits must show as unsaved"
    finally:
        s.close()


def test_rungs_are_added_moved_and_removed():
    s = start()
    try:
        # Rungs count from 1 in the page as in every field path.
        s.click('#rungs tr[data-rung="1"] button[title="Duplicate (share 0)"]')
        s.wait_for("a third rung", lambda: s.count("#rungs tbody tr") == 3)
        assert s.value('input[data-path="ladder.rungs[2].name"]') == "720p copy"
        s.click('#rungs tr[data-rung="3"] button[title="Move up"]')
        s.wait_for("the move", lambda: s.value('input[data-path="ladder.rungs[2].name"]') == "360p")
        s.click('#rungs tr[data-rung="1"] button[title="Remove"]')
        s.wait_for("the removal", lambda: s.count("#rungs tbody tr") == 2)
        settle(s)
        # The removed rung's share is missing now: the engine says so, and scaling fixes it.
        assert "sum" in s.text("#problems")
        s.click("#normalize-shares")
        s.wait_for("valid shares", lambda: s.js("return document.getElementById('problems').hidden"))
        s.js("const l = document.getElementById('reference-ladder'); l.value = 'Apple HLS H.264'; l.dispatchEvent(new Event('change'))")
        s.wait_for("the reference ladder", lambda: s.count("#rungs tbody tr") == 9)
        settle(s)
        assert s.js("return document.getElementById('problems').hidden")
        shot(s, "06-reference-ladder")
    finally:
        s.close()


def test_the_form_shows_every_field_of_the_table():
    """The form is built from the engine's field table: every field of it is on screen, with
    the table's label, and the share sums are the engine's."""
    s = start()
    try:
        paths = s.js("return window.ladderwise.fieldPaths()")
        assert "ladder.rungs[N].video_kbps" in paths and "delivery.cache_hit_rate" in paths, paths
        missing = s.js("return arguments[0].filter(p => !document.querySelector(`#editor [data-field=\"${CSS.escape(p)}\"]`))", paths)
        assert missing == [], f"not in the form: {missing}"
        assert s.js("return document.querySelector('[data-field=\"delivery.origin_shield_hit_rate\"] label').textContent").startswith("Origin Shield hit rate")
        share_sum = lambda: s.js("return document.querySelector('.share-sum[data-for=\"ladder.rungs\"]')?.textContent")
        assert share_sum() == "shares sum to 1"
        s.type_into('input[data-path="ladder.rungs[2].watch_share"]', "0.3")
        # The form is rebuilt when the problem appears, so the sum is read afresh each time.
        s.wait_for("the share sum to follow", lambda: share_sum() == "shares sum to 0.9")
        assert s.js("return document.querySelector('.share-sum[data-for=\"ladder.rungs\"]').classList.contains('bad')")
        settle(s)
        shot(s, "09-form-from-the-field-table")
    finally:
        s.close()


def test_import_a_ladder_and_undo_it():
    """Import ladder… with a DASH manifest: the tab's ladder becomes the manifest's (the rest of
    the scenario stays), the ladder chart changes, the tab is unsaved; Undo import brings the
    previous ladder back. The native dialog is bypassed as for open and save."""
    manifest = os.path.join(ROOT, "tests", "fixtures", "imports", "dash-template.mpd")
    s = start()
    try:
        before_text = s.js("return window.ladderwise.activeText()")
        before_chart, before_total = chart(s), total(s)
        assert s.count("#rungs tbody tr") == 2
        s.js_async("const done = arguments[arguments.length - 1]; window.ladderwise.importPath(arguments[0]).then(done)", manifest)
        s.wait_for("the imported rungs", lambda: s.count("#rungs tbody tr") == 3)
        settle(s)
        assert s.value('input[data-path="ladder.rungs[3].name"]') == "1080p_5000"
        text = s.js("return window.ladderwise.activeText()")
        assert "# Imported from dash-template.mpd (DASH manifest)." in text
        assert 'audio = "separate"' in text
        assert text.startswith(before_text[:before_text.index("[ladder]")]), "the rest of the scenario changed"
        assert chart(s) != before_chart, "the ladder chart was not redrawn"
        assert "1080p_5000" in chart(s)
        assert total(s) != before_total
        assert s.js("return document.getElementById('problems').hidden"), s.text("#problems")
        assert s.js("return document.title").startswith("\u2022 "), "an import must leave the tab unsaved"
        notice = s.text("#notice")
        assert "Imported the 3 rung(s) of dash-template.mpd (DASH manifest)" in notice, notice
        assert "watch shares are assumed" in notice, notice
        shot(s, "10-imported-ladder")
        s.click('#notice button[data-action="notice"]')
        s.wait_for("the previous ladder", lambda: s.count("#rungs tbody tr") == 2)
        settle(s)
        assert s.js("return window.ladderwise.activeText()") == before_text
        assert total(s) == before_total
        assert not s.js("return document.title").startswith("\u2022"), "undone: nothing unsaved"
        assert "the previous ladder is back" in s.text("#notice")
    finally:
        s.close()


def test_compare_a_copy_with_a_lower_hit_rate():
    s = start()
    try:
        s.click("#duplicate")
        s.wait_for("the copy", lambda: s.count(".doc-tab") == 2)
        s.type_into('input[data-path="delivery.cache_hit_rate"]', "0.7")
        settle(s)
        s.wait_for("the comparison", lambda: "Total per month" in (s.js("return document.getElementById('comparison')?.innerText || ''")))
        table = s.text("#comparison")
        assert "Amazon CloudFront" in table or "Amazon Simple Storage Service" in table, table
        assert re.search(r"[+\u2212]\$\d", table), table
        shot(s, "07-compare")
        s.click("#tab-pricing")
        s.wait_for("the pricing panel", lambda: s.js("return !!document.getElementById('snapshot-id')"))
        assert s.text("#snapshot-id").startswith("shipped")
        assert "unverified prices" in s.text("#view-pricing").lower()
        shot(s, "08-pricing")
    finally:
        s.close()


def test_edit_latency():
    """Not a pass/fail speed test: it measures, in the app, the time from one input event to the
    recomputed screen over many edits made one after another by the page itself (so no test
    driver polls it meanwhile), and prints p50/p95 for the README: with the ladder chart on
    screen, and with the transcode-choice chart, whose sweep is drawn after the numbers."""
    s = start()
    try:
        fields = [("ladder.rungs[1].video_kbps", [str(2000 + 37 * i) for i in range(40)]),
                  ("delivery.cache_hit_rate", [f"0.{80 + i}" for i in range(19)]),
                  ("audience.watch_minutes_per_month", [str(8_000_000 + 250_000 * i) for i in range(40)])]
        for chart_kind in ["ladder", "transcode-choice"]:
            s.click(f'button[data-chart-tab="{chart_kind}"]')
            s.wait_for(f"the {chart_kind} chart", lambda: s.js("return document.querySelector('#charts figure')?.dataset.chart") == chart_kind)
            settle(s)
            s.js("window.ladderwise.resetPerf()")
            for path, values in fields:
                s.js_async("const done = arguments[arguments.length - 1];"
                           "window.ladderwise.measure(arguments[0], arguments[1]).then(() => done(null), (e) => done(String(e)))",
                           path, values)
            perf = s.js("return window.ladderwise.perf()")
            assert perf["edit"]["n"] == 99, perf
            assert "<svg" in chart(s) and s.js("return !document.getElementById('charts').classList.contains('pending')")
            assert s.js("return window.ladderwise.chartMatches()"), "the chart changed in place differs from the one drawn"
            print(f"    {chart_kind} chart on screen: "
                  + ", ".join(f"{k} p50 {v['p50']:.1f} ms p95 {v['p95']:.1f} ms" for k, v in perf.items() if v["n"])
                  + f" over {perf['edit']['n']} edits")
            parts = s.js("return window.ladderwise.renderParts ? window.ladderwise.renderParts() : {}")
            if parts:
                print("      of the DOM update: " + ", ".join(f"{k} p50 {v['p50']:.1f} p95 {v['p95']:.1f}" for k, v in parts.items() if v["n"])
                      + f"; charts changed line by line / drawn whole so far: {s.js('return window.ladderwise.chartRedraws()')}")
    finally:
        s.close()


def main():
    tests = [(name, fn) for name, fn in globals().items() if name.startswith("test_")]
    only = os.environ.get("LADDERWISE_E2E_ONLY")
    failed = 0
    for name, fn in tests:
        if only and only not in name:
            continue
        # Each test starts from an empty data directory: no drafts, no recent files.
        shutil.rmtree(os.path.join(DATA, "ladderwise"), ignore_errors=True)
        started = time.monotonic()
        try:
            fn()
            print(f"ok   {name} ({time.monotonic() - started:.1f} s)")
        except Exception:
            failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()
    print(f"{len(tests) - failed if not only else 'some'} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
