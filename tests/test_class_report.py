"""The instructor's class report: counts from hand-written logs, a simulated class, the HTML in a browser, the live view.

Hand-written logs pin every number (tried, solved, first try, solutions, heat-map cells, the stuck flag,
name order against ranking); a small simulated class checks that what the real checks record is read
right; Debian's chromium opens the export (both languages, screen and print) with every request that
does not stay on the file blocked and recorded; the live view runs as its own process on a free port.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import time as clock
import urllib.error
import urllib.request
from datetime import datetime, time, timedelta, timezone
from email.message import Message
from pathlib import Path

import pandas as pd
import pytest

from cvmlib.classroom import report
from cvmlib.classroom.report import (
    ReportInputError,
    class_summary,
    load_class,
    mistake_counts,
    mistake_matrix,
    participant_rows,
    render_html,
    top_mistakes,
)
from cvmlib.classroom.simulate import ROOM_TZ as SIMULATED_TZ
from cvmlib.classroom.simulate import SimulationError, simulate_class
from cvmlib.exercises import TOPICS, get_exercise
from cvmlib.progress import progress_table

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "_build"
ROOM_TZ = timezone(timedelta(hours=8))
#: The time the hand-written class is reported at (its last record is at 09:40 UTC+8).
GENERATED = datetime(2026, 3, 2, 9, 45, tzinfo=ROOM_TZ)


def _record(minute: int, exercise: str, status: str | None, mistake: str | None = None, event: str = "check",
            name: str | None = None) -> dict:
    when = datetime(2026, 3, 2, 9, minute, tzinfo=ROOM_TZ).astimezone(timezone.utc)
    return {"v": 1, "time": when.isoformat().replace("+00:00", "Z"), "event": event, "exercise": exercise,
            "status": status, "mistake": mistake, "attempt": 0, "tier": 0, "workbook": "rfm.ipynb", "name": name}


def _write(path: Path, *records: dict, raw: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        for entry in records:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        out.write(raw)


def _name(home: Path, name: str) -> None:
    (home / ".cvm").mkdir(parents=True, exist_ok=True)
    (home / ".cvm" / "settings.json").write_text(json.dumps({"name": name}), encoding="utf-8")


@pytest.fixture
def room(tmp_path: Path) -> Path:
    """Four participants with known histories, as the classroom server lays them out (room/homes/<slug>/).

    ana  (Ana Lima): rfm.recency wrong (snapshot_forgotten) then right; frequency right at once; monetary wrong
         three times (mean_instead_of_total): stuck there. One corrupt line in her log.
    bo   (Bo Chen, name only in his records): recency right at once; frequency wrong (whole_history), solution,
         right; monetary wrong (no named mistake) then right.
    cai  (蔡敏): two logs merged: recency wrong (snapshot_forgotten) in her workbooks, mehrabian right at once in
         the no-code workbooks (her last activity).
    dan  (Dan): signed in (settings), no check yet.
    """
    homes = tmp_path / "room" / "homes"
    _name(homes / "ana", "Ana Lima")
    _write(homes / "ana" / ".cvm" / "progress.jsonl",
           _record(1, "rfm.recency", "hint", "snapshot_forgotten"), _record(5, "rfm.recency", "correct"),
           _record(10, "rfm.frequency_2025", "correct"),
           raw='{"v": 1, "time": "2026-03-02T01:15:00Z", "event": "che\n')
    _write(homes / "ana" / ".cvm" / "progress.jsonl",
           *(_record(20 + 5 * i, "rfm.monetary", "hint", "mean_instead_of_total") for i in range(3)))
    _write(homes / "bo" / ".cvm" / "progress.jsonl",
           _record(2, "rfm.recency", "correct", name="Bo Chen"),
           _record(12, "rfm.frequency_2025", "hint", "whole_history", name="Bo Chen"),
           _record(15, "rfm.frequency_2025", None, event="solution", name="Bo Chen"),
           _record(16, "rfm.frequency_2025", "correct", name="Bo Chen"),
           _record(25, "rfm.monetary", "hint", name="Bo Chen"), _record(28, "rfm.monetary", "correct", name="Bo Chen"))
    _name(homes / "cai", "蔡敏")
    _write(homes / "cai" / ".cvm" / "progress.jsonl", _record(3, "rfm.recency", "hint", "snapshot_forgotten"))
    _write(homes / "cai" / "no-code" / ".cvm" / "progress.jsonl", _record(40, "communication.mehrabian", "correct"))
    _name(homes / "dan", "Dan")
    (homes / "dan" / "rfm.ipynb").write_text("{}", encoding="utf-8")
    return homes


# ----------------------------------------------------------------------------------------------
# Known counts
# ----------------------------------------------------------------------------------------------


def test_participants_merge_their_logs_and_take_their_display_names(room):
    logs = load_class(room)
    assert [(p.key, p.name, len(p.files)) for p in logs.participants] == [
        ("ana", "Ana Lima", 1), ("bo", "Bo Chen", 1), ("cai", "蔡敏", 2), ("dan", "Dan", 0)]
    cai = logs.participants[2]
    assert [r["exercise"] for r in cai.records] == ["rfm.recency", "communication.mehrabian"]
    assert logs.skipped == 1 and logs.participants[0].skipped == 1
    assert load_class(room.parent).source == room  # the room folder: its homes


def test_per_exercise_counts_are_exact(room):
    summary = class_summary(load_class(room))
    columns = ["tried", "solved", "solved_first_try", "solution_shown", "other_wrong", "stuck"]
    assert summary.loc["rfm.recency", columns].tolist() == [3, 2, 1, 0, 0, 0]
    assert summary.loc["rfm.frequency_2025", columns].tolist() == [2, 2, 1, 1, 0, 0]
    assert summary.loc["rfm.monetary", columns].tolist() == [2, 1, 0, 0, 1, 1]
    assert summary.loc["communication.mehrabian", columns].tolist() == [1, 1, 1, 0, 0, 0]
    assert summary.loc["complaints.ethical_line", columns].tolist() == [0] * 6  # listed, nobody there yet
    # course order: the chapters of TOPICS, each in workbook order
    assert summary.index[0] == "rfm.recency"
    assert list(dict.fromkeys(summary["topic"])) == list(TOPICS)


def _agrees_with_progress_table(logs) -> None:
    """The class's table says what each participant's own progress() table says."""
    shared = ["exercise", "attempts", "solved", "solved_first_try", "solution_shown", "mistakes"]
    for participant in logs.participants:
        own = progress_table(participant.records)[shared].reset_index(drop=True)
        mine = logs.frame[logs.frame["participant"] == participant.key][shared].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, own, check_dtype=False, obj=participant.key)


def test_the_class_table_agrees_with_each_participants_progress_table(room):
    _agrees_with_progress_table(load_class(room))


def test_heat_map_cells_count_participants_not_attempts(room):
    logs = load_class(room)
    matrix = mistake_matrix(logs)
    assert matrix.loc["rfm.recency", "snapshot_forgotten"] == 2
    assert matrix.loc["rfm.monetary", "mean_instead_of_total"] == 1  # three attempts, one participant
    assert matrix.loc["rfm.frequency_2025", "whole_history"] == 1
    assert matrix.loc["rfm.recency", "recency_from_first_purchase"] == 0  # defined, nobody made it
    assert pd.isna(matrix.loc["rfm.recency", "mean_instead_of_total"])  # not a mistake of this exercise
    assert list(matrix.index) == ["rfm.recency", "rfm.frequency_2025", "rfm.monetary", "communication.mehrabian"]
    defined = [m.id for m in get_exercise("rfm.recency").mistakes]
    counts = mistake_counts(logs)
    assert counts[counts["exercise"] == "rfm.recency"]["mistake"].tolist() == defined
    top = top_mistakes(logs)
    assert top.iloc[0][["exercise", "mistake", "participants", "tried"]].tolist() == [
        "rfm.recency", "snapshot_forgotten", 2, 3]
    assert len(top) == 3


def test_participant_rows_flag_the_stuck_and_rank_only_when_asked(room):
    logs = load_class(room)
    rows = participant_rows(logs)
    assert rows["name"].tolist() == ["Ana Lima", "Bo Chen", "Dan", "蔡敏"]  # name order
    ana = rows.set_index("participant").loc["ana"]
    assert (ana["solved"], ana["tried"], ana["solutions"], ana["current"], ana["current_failed"]) == (
        2, 3, 0, "rfm.monetary", 3)
    assert ana["stuck"] and ana["skipped"] == 1
    assert ana["last_activity"] == pd.Timestamp("2026-03-02T09:30:00+08:00")
    bo = rows.set_index("participant").loc["bo"]
    assert (bo["solved"], bo["solutions"], bo["current"], bool(bo["stuck"])) == (3, 1, "rfm.monetary", False)
    cai = rows.set_index("participant").loc["cai"]
    assert cai["current"] == "communication.mehrabian" and cai["tried"] == 2
    dan = rows.set_index("participant").loc["dan"]
    assert dan["tried"] == 0 and dan["current"] is None and not dan["stuck"]
    assert participant_rows(logs, rank=True)["name"].tolist() == ["Bo Chen", "Ana Lima", "蔡敏", "Dan"]


def test_the_html_shows_the_numbers_the_tables_hold(room):
    page = render_html(load_class(room), lang="en", generated=GENERATED, embed_font=False)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "Class report" in text and "Re-teach first" in text
    assert "1 unreadable line was skipped." in text
    assert "Stuck now: Ana Lima (rfm.monetary, 3 failed attempts)" in " ".join(text.split())
    assert "In name order: no ranking is shown." in text and ">Rank<" not in page
    # the heat-map cell of snapshot_forgotten: the number, and the hint's first sentence as its label
    cell = re.search(r"<td class='cell'[^>]*title='([^']*)'><b>2</b>([^<]*)</td>", page)
    assert cell is not None and "(snapshot_forgotten)" in html.unescape(cell.group(1))
    assert cell.group(2).startswith("Your days are counted to the last date in the data")
    # times in the report's own zone, the day's date shown only when it is not the report's day
    assert "09:30" in text and "2026-03-02 09:45 (UTC+08:00)" in text
    ranked = render_html(load_class(room), lang="en", rank=True, generated=GENERATED, embed_font=False)
    table = ranked[ranked.index("id='participants'"):]
    assert table.index("Bo Chen") < table.index("Ana Lima") and ">Rank<" in table


def test_the_html_asks_no_other_host(room):
    logs = load_class(room)
    pages = [render_html(logs, lang=lang, live=live, generated=GENERATED, embed_font=False)
             for lang in ("en", "zh") for live in (False, True)]
    for page in [*pages, render_html(logs, lang="zh", generated=GENERATED)]:  # and one with its font
        assert not re.search(r"(?i)https?:|//[a-z0-9.-]+\.[a-z]{2,}/", page.replace("http-equiv", ""))
        assert not re.search(r"(?i)<(link|img|iframe|object|embed)\b|@import|\bsrc=", page)
        assert re.findall(r"url\(([^)]{0,5})", page) in ([], ["data:"])  # the embedded font only


def _visible_text(page: str) -> str:
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    titles = " ".join(html.unescape(t) for t in re.findall(r"title='([^']*)'", page))
    return html.unescape(re.sub(r"<[^>]+>", "\n", page)) + "\n" + titles


def test_zh_report_has_chinese_headings_and_no_english_sentence(room):
    page = render_html(load_class(room), lang="zh", generated=GENERATED, embed_font=False)
    assert "<html lang='zh-CN'>" in page
    headings = re.findall(r"<h[12]>([^<]+)</h[12]>", page)
    assert headings[:2] == ["课堂报告", "优先重讲"] and len(headings) == 5
    for heading in [*headings, *re.findall(r"<th scope=.?col.?[^>]*>([^<]+)</th>", page),
                    *re.findall(r"<caption>([^<]+)</caption>", page)]:
        assert re.search(r"[\u4e00-\u9fff]", heading), heading
    text = _visible_text(page)
    # names, the time zone, the folder, and data the exercises' own Chinese texts keep in English (the RFM
    # letters' names, segment codes such as 'Cannot lose them')
    for allowed in ("Ana Lima", "Bo Chen", "Dan", "UTC", str(room), "RFM", "Recency", "Frequency", "Monetary",
                    "Cannot lose them", "At risk", "Champions"):
        text = text.replace(allowed, " ")
    text = re.sub(r"\b[a-z_]+\.[a-z_0-9]+\b|\([a-z_0-9]+\)", " ", text)  # exercise and mistake ids
    english = re.findall(r"[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,}){2,}", text)
    assert english == [], english[:5]
    assert "已答错 3 次" in text and "有 1 行记录无法读取，已跳过。" in text


def test_bad_input_is_said_clearly_before_any_work(tmp_path, room, capsys):
    with pytest.raises(ReportInputError, match="does not exist") as missing:
        load_class(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(missing.value)
    (tmp_path / "empty" / "notes").mkdir(parents=True)
    (tmp_path / "empty" / "readme.txt").write_text("nothing here", encoding="utf-8")
    with pytest.raises(ReportInputError, match="No progress log found in"):
        load_class(tmp_path / "empty")
    with pytest.raises(ReportInputError, match="is not a progress log"):
        load_class(tmp_path / "empty" / "readme.txt")
    assert load_class(tmp_path / "empty", require_logs=False).participants == ()
    out = tmp_path / "out"
    out.mkdir()
    assert report.main(["--logs", str(room), "--out", str(out)]) == 2
    assert "--out must name a file" in capsys.readouterr().err
    assert report.main(["--logs", str(tmp_path / "nowhere"), "--lang", "zh"]) == 2
    error = capsys.readouterr().err
    assert "不存在" in error and "Traceback" not in error
    assert report.main(["--logs", str(tmp_path / "nowhere"), "--serve", "--port", "0"]) == 2  # the live view too
    assert "does not exist" in capsys.readouterr().err


def test_an_empty_room_has_a_report(tmp_path):
    """The state of every room when the class starts (the live view renders it at once): zeros, no error."""
    (tmp_path / "homes").mkdir()
    logs = load_class(tmp_path, require_logs=False)
    summary = report.class_summary(logs)
    assert len(summary) > 0 and summary[["tried", "solved", "stuck"]].to_numpy().sum() == 0
    assert report.participant_rows(logs).empty
    page = report.render_html(logs, lang="zh", embed_font=False)
    assert "课堂报告" in page and "Traceback" not in page


def test_collected_logs_flat_or_in_folders(tmp_path):
    collected = tmp_path / "collected"
    _write(collected / "wang-fang.jsonl", _record(1, "rfm.recency", "correct", name="王芳"))
    _write(collected / "tom" / "workbooks" / ".cvm" / "progress.jsonl", _record(2, "rfm.recency", "hint", "snapshot_forgotten"))
    _write(collected / "tom" / "no-code" / ".cvm" / "progress.jsonl", _record(3, "communication.mehrabian", "correct"))
    _write(collected / "tom" / ".ipynb_checkpoints" / ".cvm" / "progress.jsonl", _record(4, "rfm.monetary", "correct"))
    (collected / "slides").mkdir()  # neither a log nor a name: not a participant
    logs = load_class(collected)
    assert [(p.key, p.name, len(p.files)) for p in logs.participants] == [("tom", "tom", 2), ("wang-fang", "王芳", 1)]
    assert class_summary(logs).loc["rfm.monetary", "tried"] == 0  # hidden folders are not read
    single = load_class(collected / "wang-fang.jsonl")
    assert [p.name for p in single.participants] == ["王芳"]


def test_the_command_writes_the_export_and_prints_a_summary(room, tmp_path, capsys):
    target = tmp_path / "out" / "report.html"
    assert report.main(["--logs", str(room), "--out", str(target), "--lang", "zh"]) == 0
    assert "4 位学员" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html><html lang='zh-CN'>")
    assert report.main(["--logs", str(room)]) == 0
    printed = capsys.readouterr().out
    assert "Re-teach first:" in printed and "Ana Lima (rfm.monetary, 3 failed attempts)" in printed


# ----------------------------------------------------------------------------------------------
# A simulated class: what the real checks record
# ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def simulated(tmp_path_factory) -> Path:
    """Six participants through the RFM chapter (the morning's first block), replayed through the real checks."""
    homes = tmp_path_factory.mktemp("simulated") / "homes"
    simulate_class(homes, participants=6, seed=11, until=time(10, 15))
    return homes


def test_a_simulated_class_holds_only_what_the_checks_record(simulated):
    logs = load_class(simulated)
    assert len(logs.participants) == 6 and logs.skipped == 0
    assert all(p.name != p.key for p in logs.participants)  # display names from the settings
    recorded = [r for p in logs.participants for r in p.records]
    assert {r["exercise"].split(".")[0] for r in recorded} <= {"rfm", "communication"}
    for entry in recorded:
        if entry.get("mistake"):
            assert entry["mistake"] in {m.id for m in get_exercise(entry["exercise"]).mistakes}, entry
    mistakes = {r["mistake"] for r in recorded if r.get("mistake")}
    assert len(mistakes) >= 5  # the class makes several different named mistakes
    end = datetime(2026, 3, 2, 10, 15, tzinfo=SIMULATED_TZ).astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    assert max(r["time"] for r in recorded) <= end
    _agrees_with_progress_table(logs)
    summary = class_summary(logs)
    assert summary["tried"].max() <= 6 and summary.loc["rfm.recency", "tried"] >= 4
    assert (summary["solved"] <= summary["tried"] + summary["solution_shown"]).all()
    assert not top_mistakes(logs).empty


def test_the_same_seed_makes_the_same_class(tmp_path):
    for name in ("one", "two"):
        simulate_class(tmp_path / name, participants=2, seed=5, until=time(9, 35))
    logs = sorted((tmp_path / "one").rglob("progress.jsonl"))
    assert logs and all(path.read_bytes() == (tmp_path / "two" / path.relative_to(tmp_path / "one")).read_bytes()
                        for path in logs)
    with pytest.raises(SimulationError, match="already holds progress logs"):
        simulate_class(tmp_path / "one", participants=2)
    with pytest.raises(SimulationError, match="from 1 to 200"):
        simulate_class(tmp_path / "three", participants=0)


# ----------------------------------------------------------------------------------------------
# In a browser: offline, both languages, screen and print
# ----------------------------------------------------------------------------------------------

browser_only = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox", "--disable-gpu", "--no-first-run",
                                                    "--disable-background-networking"])
        yield chromium
        chromium.close()


def _open(browser, url: str, allowed: tuple[str, ...] = ("file:", "data:")):
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    other: list[str] = []

    def route(request_route):
        if request_route.request.url.startswith(allowed):
            request_route.continue_()
        else:
            other.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, other


@browser_only
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_export_reads_offline_on_screen_and_printed(browser, simulated, tmp_path, lang):
    target = tmp_path / f"report-{lang}.html"
    target.write_text(render_html(load_class(simulated), lang=lang), encoding="utf-8")
    page, other = _open(browser, target.as_uri())
    assert other == []
    cells = page.eval_on_selector_all("table.heat td.cell", "cells => cells.map(c => [c.innerText, c.title])")
    assert cells and all(re.match(r"\d+", text) and title for text, title in cells)  # numbers, not colour only
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scroll
    if lang == "zh":  # the embedded font has every Chinese glyph of the page
        assert page.evaluate("document.fonts.check('16px \"CVM Noto Sans SC\"', '课堂报告')")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"screenshot-class-report-{lang}.png"))
    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / f"screenshot-class-report-print-{lang}.png"))
    pdf = page.pdf(path=str(SHOTS / f"class-report-print-{lang}.pdf"), prefer_css_page_size=True,
                   print_background=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
    page.close()


# ----------------------------------------------------------------------------------------------
# The live view, as its own process
# ----------------------------------------------------------------------------------------------


def _start_service(logs: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "cvmlib.classroom.service", "--logs", str(logs),
                                "--ip", "127.0.0.1", "--port", "0", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                               env={**os.environ, **(env or {})})
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+\S*", line)
    if match is None:
        process.kill()
        raise AssertionError(f"the service did not start: {line!r} {process.stderr.read()!r}")
    return process, match.group(0)


def _get(url: str) -> tuple[int, Message, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.headers, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8")


@browser_only
def test_the_live_view_serves_refreshes_and_downloads(room, browser):
    process, url = _start_service(room)
    try:
        status, headers, page = _get(url)
        assert status == 200 and "Class report" in page and "setInterval" in page
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        status, headers, fragment = _get(url + "fragment?lang=zh&rank=1")
        assert status == 200 and headers.get("X-CVM-Fragment") == "1" and fragment.startswith("<div")
        assert "课堂报告" in fragment and "名次" in fragment
        ranked = fragment[fragment.index("id='participants'"):]
        assert ranked.index("Bo Chen") < ranked.index("Ana Lima")  # ranked, as asked
        status, headers, export = _get(url + "report.html?lang=en")
        assert status == 200 and "attachment" in headers["Content-Disposition"] and "setInterval" not in export
        assert _get(url + "elsewhere")[0] == 404
        # the page re-fetches its content: a check made now shows within a refresh
        live, other = _open(browser, url + "?lang=en", allowed=(url.rstrip("/"), "data:"))
        assert "Dan" in live.inner_text("#participants")
        _write(room / "dan" / ".cvm" / "progress.jsonl", _record(44, "rfm.recency", "correct"))
        deadline = clock.monotonic() + report.REFRESH_SECONDS + 10
        while "1 / 1" not in live.inner_text("#participants") and clock.monotonic() < deadline:
            live.wait_for_timeout(250)  # polled from here: the page's policy forbids evaluating strings
        assert "1 / 1" in live.inner_text("#participants")
        assert other == []
        live.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def in_thread():
    """Serve a tornado application on a free port of 127.0.0.1 from a thread of this process; yields a starter."""
    import asyncio
    import threading

    import tornado.httpserver
    import tornado.ioloop
    import tornado.netutil

    running: list[tornado.ioloop.IOLoop] = []

    def start(app) -> int:
        ready, port = threading.Event(), []

        def run() -> None:
            asyncio.set_event_loop(asyncio.new_event_loop())
            sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
            tornado.httpserver.HTTPServer(app).add_sockets(sockets)
            port.append(sockets[0].getsockname()[1])
            running.append(tornado.ioloop.IOLoop.current())
            ready.set()
            running[-1].start()

        threading.Thread(target=run, daemon=True).start()
        assert ready.wait(10)
        return port[0]

    yield start
    for loop in running:
        loop.add_callback(loop.stop)


def test_under_the_hub_the_live_view_needs_a_hub_sign_in(room, monkeypatch, in_thread):
    from cvmlib.classroom.service import hub_settings, make_app

    hub = {"JUPYTERHUB_SERVICE_PREFIX": "/services/class-report/", "JUPYTERHUB_API_TOKEN": "not-a-real-token",
           "JUPYTERHUB_API_URL": "http://127.0.0.1:9/hub/api", "JUPYTERHUB_CLIENT_ID": "service-class-report",
           "JUPYTERHUB_SERVICE_NAME": "class-report", "JUPYTERHUB_BASE_URL": "/", "JUPYTERHUB_HOST": ""}
    for name, value in hub.items():
        monkeypatch.setenv(name, value)
    prefix, _url = hub_settings()
    port = in_thread(make_app(room, prefix=prefix, hub=True))
    url = f"http://127.0.0.1:{port}{prefix}"
    opener = urllib.request.build_opener(NoRedirect)
    for path in ("", "report.html?lang=zh"):
        with pytest.raises(urllib.error.HTTPError) as page:
            opener.open(url + path, timeout=30)
        # the browser is sent to the hub's sign-in (OAuth); nothing of the report is shown
        assert page.value.code == 302 and "/hub/api/oauth2/authorize" in page.value.headers["Location"]
        assert "Ana" not in page.value.read().decode("utf-8")
    status, _headers, body = _get(url + "fragment")
    assert status == 403 and "instructor" in body  # a background fetch is refused, not redirected
    assert _get(f"http://127.0.0.1:{port}/fragment")[0] == 404  # nothing outside the service's prefix


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003 - the signature urllib calls
        return None


def test_the_service_says_when_the_logs_folder_is_missing(tmp_path, capsys):
    from cvmlib.classroom import service

    assert service.main(["--logs", str(tmp_path / "none"), "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert "does not exist" in error and str(tmp_path / "none") in error and "Traceback" not in error


# --- sandbox leaderboard (issue 12) -------------------------------------------------------------------

def test_the_report_shows_the_sandbox_leaderboard_ranked_only_when_asked(tmp_path):
    import numpy as np

    from cvmlib.sandbox import Game, Plan, World

    facts = World.retailer().customers
    segments = pd.Series(np.where(facts["orders"] >= 10, "loyal", "other"), index=facts.index)
    for home, team, budget in (("ana", "red", {"loyal": {"loyalty_points": 30_000}}),
                               ("bo", "blue", {"other": {"coupon": 60_000}})):
        log = tmp_path / home / ".cvm" / "progress.jsonl"
        log.parent.mkdir(parents=True)
        log.write_text(json.dumps({"v": 1, "time": "2026-03-02T09:00:00Z", "event": "check",
                                   "exercise": "rfm.recency", "status": "correct", "mistake": None}) + "\n")
        game = Game.new(team, seed=1, folder=tmp_path / home / "notebooks")
        game.submit(Plan(segments, budget))
    logs = load_class(tmp_path)
    assert [(key, game.team) for key, game in report.sandbox_games(logs)] == [("bo", "blue"), ("ana", "red")]
    page = report.render_fragment(logs, lang="en")
    assert "Micro-sandbox leaderboard" in page and "no ranking is shown" in page
    assert page.index(">blue<") < page.index(">red<")  # team order
    ranked = report.render_fragment(logs, lang="en", rank=True)
    assert "Ranked by cumulative incremental profit" in ranked
    zh = report.render_fragment(logs, lang="zh")
    assert "Micro-sandbox leaderboard" not in zh
    # a class without games shows no sandbox section
    empty = tmp_path / "empty" / "cy" / ".cvm" / "progress.jsonl"
    empty.parent.mkdir(parents=True)
    empty.write_text((tmp_path / "ana" / ".cvm" / "progress.jsonl").read_text())
    assert "id='sandbox'" not in report.render_fragment(load_class(tmp_path / "empty"), lang="en")
