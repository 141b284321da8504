"""The progress log: what a check records, how the table reads it, and that nothing breaks it."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pandas as pd
import pytest

from cvmlib import progress as log
from cvmlib.exercises import check, progress, set_display_name, solution

RECORD_KEYS = {"v", "time", "event", "exercise", "status", "mistake", "attempt", "tier", "workbook", "name"}


def _lines(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / log.LOG_NAME).read_text().splitlines()]


def test_a_check_appends_one_record_with_exactly_the_agreed_fields(progress_dir, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/learner/workspace/en/rfm.ipynb")
    check("rfm.champions_revenue_share", 0.5)
    check("rfm.champions_revenue_share", ...)
    first, second = _lines(progress_dir)
    assert set(first) == RECORD_KEYS
    assert first["v"] == 1 and first["event"] == "check" and first["exercise"] == "rfm.champions_revenue_share"
    assert first["status"] == "hint" and first["attempt"] == 1 and first["tier"] == 1
    assert first["workbook"] == "rfm.ipynb" and first["name"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["time"])
    assert second["status"] == "not_answered" and second["attempt"] == 1 and second["tier"] == 0


def test_the_log_never_holds_the_answer(progress_dir):
    check("rfm.champions_revenue_share", 0.123456789)
    assert "0.123456" not in (progress_dir / log.LOG_NAME).read_text()


def test_no_workbook_name_outside_a_jupyter_session(progress_dir, monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    check("rfm.champions_revenue_share", 0.5)
    assert _lines(progress_dir)[0]["workbook"] is None


def test_solution_is_shown_and_recorded(progress_dir):
    worked = solution("rfm.recency")
    assert "rfm.recency" in str(worked) and worked.code.strip()
    feedback = check("rfm.monetary", ..., show_solution=True)
    assert feedback.solution is not None and "Worked solution of rfm.monetary" in feedback._repr_html_()
    events = [(r["event"], r["exercise"]) for r in _lines(progress_dir)]
    assert events == [("solution", "rfm.recency"), ("check", "rfm.monetary"), ("solution", "rfm.monetary")]
    table = progress("rfm").table.set_index("exercise")
    assert table.loc["rfm.recency", "solution_shown"] and not table.loc["rfm.frequency_2025", "solution_shown"]


def test_unknown_exercise_for_solution_lists_the_topic(progress_dir):
    with pytest.raises(KeyError, match="rfm.recency"):
        solution("rfm.recencyy")
    assert not (progress_dir / log.LOG_NAME).exists()


def test_display_name_is_recorded_and_survives_a_restart(progress_dir):
    set_display_name("  Li   Wei  ")
    check("rfm.champions_revenue_share", 0.5)
    log.reset_session()  # what a kernel restart forgets
    check("rfm.champions_revenue_share", 0.5)
    assert [r["name"] for r in _lines(progress_dir)] == ["Li Wei", "Li Wei"]
    assert "Progress of Li Wei" in str(progress())
    set_display_name(None)
    check("rfm.champions_revenue_share", 0.5)
    assert _lines(progress_dir)[-1]["name"] is None


def test_progress_off_writes_nothing_but_still_counts_this_kernel(progress_dir, monkeypatch):
    monkeypatch.setenv("CVM_PROGRESS", "off")
    tiers = [check("rfm.champions_revenue_share", 0.5).tier for _ in range(3)]
    assert tiers == [1, 2, 3]
    assert not progress_dir.exists()
    report = progress()
    assert "not being saved" in str(report)
    assert int(report.table.set_index("exercise").loc["rfm.champions_revenue_share", "attempts"]) == 3


def test_an_unwritable_folder_warns_once_and_the_checks_keep_working(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CVM_PROGRESS_DIR", str(blocker / ".cvm"))  # cannot be created, even by root
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tiers = [check("rfm.champions_revenue_share", 0.5).tier for _ in range(3)]
    assert tiers == [1, 2, 3]
    assert [w.category for w in caught] == [log.ProgressWarning]
    assert "CVM_PROGRESS_DIR" in str(caught[0].message)


def test_a_corrupt_line_is_skipped_counted_and_shown(progress_dir):
    check("rfm.champions_revenue_share", 0.5)
    with open(progress_dir / log.LOG_NAME, "ab") as handle:
        handle.write(b'garbage\n[1, 2]\n{"event": "check"}\n\xff\xfe\n{"v": 1, "event": "che')  # torn last line
    feedback = check("rfm.champions_revenue_share", 0.5)
    assert feedback.attempt == 2 and feedback.tier == 2
    records = log.read_log(progress_dir / log.LOG_NAME)
    assert [r["attempt"] for r in records] == [1, 2] and records.skipped == 5
    assert "5 unreadable line(s)" in str(progress())


def test_a_truncated_or_replaced_log_is_counted_from_the_start(progress_dir):
    check("rfm.champions_revenue_share", 0.5)
    check("rfm.champions_revenue_share", 0.5)
    (progress_dir / log.LOG_NAME).write_text("")
    assert check("rfm.champions_revenue_share", 0.5).attempt == 1


def _append_many(folder: str, worker: int) -> None:
    os.environ["CVM_PROGRESS_DIR"] = folder
    for i in range(150):
        log.record("check", f"demo.w{worker}", status="hint", attempt=i + 1, tier=1)


def test_concurrent_kernels_do_not_mix_their_lines(progress_dir):
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_append_many, args=(str(progress_dir), w)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    records = log.read_log(progress_dir / log.LOG_NAME)
    assert records.skipped == 0 and len(records) == 600
    for w in range(4):
        assert [r["attempt"] for r in records if r["exercise"] == f"demo.w{w}"] == list(range(1, 151))


def test_progress_table_reads_any_participants_log():
    records = [
        {"event": "check", "exercise": "x.a", "status": "not_answered", "attempt": 0},
        {"event": "check", "exercise": "x.a", "status": "hint", "mistake": "m1", "attempt": 1},
        {"event": "check", "exercise": "x.a", "status": "hint", "mistake": "m2", "attempt": 2},
        {"event": "check", "exercise": "x.a", "status": "hint", "mistake": "m1", "attempt": 3},
        {"event": "solution", "exercise": "x.a", "status": None, "attempt": 3},
        {"event": "check", "exercise": "x.a", "status": "correct", "attempt": 4},
        {"event": "check", "exercise": "x.b", "status": "correct", "attempt": 1},
        {"event": "check", "exercise": "x.b", "status": "hint", "mistake": "m3", "attempt": 2},
        {"event": "future_event", "exercise": "x.b"},
    ]
    table = log.progress_table(records, exercises=["x.c", "x.a"])
    assert list(table.columns) == log.TABLE_COLUMNS
    assert table["exercise"].tolist() == ["x.c", "x.a", "x.b"]
    by = table.set_index("exercise")
    assert by.loc["x.a"].tolist() == [4, True, False, True, ("m1", "m2")]
    assert by.loc["x.b"].tolist() == [2, True, True, False, ("m3",)]
    assert by.loc["x.c"].tolist() == [0, False, False, False, ()]
    assert table.dtypes["attempts"] == "int64"


def test_progress_displays_as_a_table_in_jupyter_and_as_text(progress_dir, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "rfm.ipynb")
    check("rfm.recency", pd.Series([1.0]))
    report = progress()
    assert report.table["exercise"].iloc[0] == "rfm.recency"  # the workbook's exercises listed, in order
    assert len(report.table) >= 6
    html, text = report._repr_html_(), str(report)
    assert "<table>" in html and "rfm.monetary" in html
    assert "Attempts" in text and "rfm.recency" in text and "0 of" in text


FROM_WHEEL = textwrap.dedent("""
    import cvmlib
    from cvmlib.exercises import check, solution
    assert "site" in cvmlib.__file__, cvmlib.__file__
    worked = solution("rfm.recency")
    print(worked.notebook, "_notebooks" in str(cvmlib.solutions.notebook_dir()), bool(worked.code))
""")


def test_solution_works_from_an_installed_wheel(installed_wheel, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {
        "PYTHONPATH": str(installed_wheel), "CVM_PROGRESS_DIR": str(tmp_path / "log")}
    result = subprocess.run([sys.executable, "-c", FROM_WHEEL], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["rfm.ipynb", "True", "True"]
    assert [r["event"] for r in _lines(tmp_path / "log")] == ["solution"]
    shipped = sorted(p.name for p in (installed_wheel / "cvmlib" / "_notebooks").iterdir())
    assert shipped == sorted(p.name for p in (Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


# --- worked solutions from the source notebooks ------------------------------------------------
def _notebook(tmp_path: Path) -> Path:
    import nbformat

    cells = [
        nbformat.v4.new_markdown_cell("## Exercise 1: recency"),
        nbformat.v4.new_code_cell("last = orders.groupby('customer_id')['order_date'].max()",
                                  metadata={"tags": ["solution", "hide-input"]}),
        nbformat.v4.new_markdown_cell("Then count the days to the snapshot."),
        nbformat.v4.new_markdown_cell("Ask who forgot the snapshot.", metadata={"tags": ["instructor"]}),
        nbformat.v4.new_code_cell("recency = (SNAPSHOT - last).dt.days", metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell('check("demo.one", recency)'),
        nbformat.v4.new_markdown_cell("## Exercise 2"),
        nbformat.v4.new_code_cell("print('not a solution')"),
        nbformat.v4.new_code_cell('check("demo.two", x)'),
        nbformat.v4.new_code_cell("m = 2", metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell('check("demo.three", m)\ncheck("demo.three", m, show_solution=True)'),
    ]
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=cells), folder / "demo.ipynb")
    return folder


def test_a_worked_solution_is_the_solution_cells_and_their_explanation(tmp_path, monkeypatch):
    from cvmlib import solutions

    folder = _notebook(tmp_path)
    monkeypatch.setattr(solutions, "notebook_dir", lambda: folder)
    worked = solutions.worked_solution("demo.one")
    assert [part.kind for part in worked.parts] == ["code", "markdown", "code"]
    assert "Ask who forgot" not in str(worked) and "Exercise 1" not in str(worked)
    assert worked.code == "last = orders.groupby('customer_id')['order_date'].max()\n\nrecency = (SNAPSHOT - last).dt.days"
    assert solutions.worked_solution("demo.three").code == "m = 2"
    assert solutions.notebook_exercises("demo.ipynb") == ["demo.one", "demo.three"]
    with pytest.raises(LookupError, match="demo.two"):
        solutions.worked_solution("demo.two")  # no solution cell before its check


def test_show_solution_without_a_notebook_still_gives_the_feedback(tmp_path, monkeypatch):
    from cvmlib import solutions

    monkeypatch.setattr(solutions, "notebook_dir", lambda: None)
    feedback = check("rfm.champions_revenue_share", 0.5, show_solution=True)
    assert feedback.status == "hint" and "No worked solution" in feedback.message and feedback.solution is None
