"""Participant workspaces: a course update never loses a learner's work (cvmlib.workspace, make workbooks/lab/clean)."""

from __future__ import annotations

import copy
import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from cvmlib.workbooks import build_workbooks, main, participant_version, write_generated
from cvmlib.workspace import merge_notebooks, update_workspace
from tests.conftest import NOTEBOOKS, ROOT

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
LATER = datetime(2025, 3, 2, 9, 30, tzinfo=timezone.utc)
NAME, OTHER = "wb.ipynb", "other.ipynb"


# --- a small course, as participant_version leaves it: ids from the source, exercise cells tagged ---------------
def md(cell_id: str, text: str) -> NotebookNode:
    return new_markdown_cell(text, id=cell_id)


def code(cell_id: str, text: str, exercise: bool = False) -> NotebookNode:
    return new_code_cell(text, id=cell_id, metadata={"tags": ["exercise"]} if exercise else {})


def course(*cells: NotebookNode) -> NotebookNode:
    nb = new_notebook(cells=[copy.deepcopy(cell) for cell in cells])
    nb.metadata["cvm"] = {"version": "participant"}
    return nb


TITLE, P1, P2 = md("title", "# Totals"), md("p1", "Compute the total revenue."), md("p2", "Count the customers.")
E1 = code("e1", "total = ...  # YOUR CODE HERE", exercise=True)
E2 = code("e2", "n = ...  # YOUR CODE HERE", exercise=True)
C1, C2 = code("c1", 'check("t.total", total)'), code("c2", 'check("t.count", n)')
ASIDE = md("aside", "An aside the course will drop.")
V1 = course(TITLE, P1, E1, C1, ASIDE, P2, E2, C2)
P1_NEW, P2_NEW = md("p1", "Compute the total revenue, in euros."), md("p2", "Count the distinct customers.")
V2 = course(TITLE, P1_NEW, E1, C1, ASIDE, P2_NEW, E2, C2)  # two prompts reworded
P3, E3, C3 = md("p3", "Average order value."), code("e3", "aov = ...  # YOUR CODE HERE", True), code("c3", 'check("t.aov", aov)')
V2_NEW_EXERCISE = course(TITLE, P1, E1, C1, P3, E3, C3, ASIDE, P2, E2, C2)
V2_DROPS_ASIDE = course(TITLE, P1, E1, C1, P2_NEW, E2, C2)
OTHER_V1 = course(md("o1", "# Other"), md("o2", "Old text."))
OTHER_V2 = course(md("o1", "# Other"), md("o2", "New text."))

ANSWER1, ANSWER2 = "total = orders['amount'].sum()", "n = orders['customer_id'].nunique()"


def with_output(cell: NotebookNode, text: str) -> NotebookNode:
    cell.outputs = [new_output("stream", name="stdout", text=text)]
    cell.execution_count = 1
    return cell


def answer(nb: NotebookNode, cell_id: str, text: str, output: str | None = None) -> None:
    cell = next(c for c in nb.cells if c.id == cell_id)
    cell.source = text
    if output is not None:
        with_output(cell, output)


def add_after(nb: NotebookNode, cell_id: str | None, cell: NotebookNode) -> None:
    position = 0 if cell_id is None else [c.id for c in nb.cells].index(cell_id) + 1
    nb.cells.insert(position, cell)


def view(nb: NotebookNode) -> list[str]:
    """What the learner sees, cell by cell: the text, '=> output' when it has one, NOTE:<kind> for our notes."""
    shown = []
    for cell in nb.cells:
        note = cell.metadata.get("cvm", {}).get("note")
        text = f"NOTE:{note}" if note else cell.source
        outputs = "".join(out.get("text", "") for out in cell.get("outputs", []))
        shown.append(f"{text} => {outputs.strip()}" if outputs else text)
    return shown


# --- the learner's copies of the scenarios --------------------------------------------------------------------
def answered(nb: NotebookNode) -> NotebookNode:
    nb = copy.deepcopy(nb)
    answer(nb, "e1", ANSWER1, output="1043214.5")
    answer(nb, "e2", ANSWER2)
    return nb


def first_try(nb: NotebookNode) -> NotebookNode:
    nb = copy.deepcopy(nb)
    answer(nb, "e1", "total = 0  # first try")
    return nb


def ran_the_checks(nb: NotebookNode) -> NotebookNode:
    nb = copy.deepcopy(nb)
    with_output(nb.cells[3], "Not answered yet")
    return nb


def added_cells(nb: NotebookNode) -> NotebookNode:
    nb = answered(nb)
    add_after(nb, None, md("mine-top", "My plan for today."))
    add_after(nb, "e1", with_output(code("mine-mid", "orders.head()"), "a table"))
    add_after(nb, "c2", md("mine-end", "What I learned."))
    return nb


def edited_prompt(nb: NotebookNode) -> NotebookNode:
    nb = answered(nb)
    answer(nb, "p1", "Compute the total revenue. (Teacher: use net amounts!)")
    return nb


def edited_aside(nb: NotebookNode) -> NotebookNode:
    nb = copy.deepcopy(nb)
    answer(nb, "aside", "An aside the course will drop. My note: this matters for Q3.")
    return nb


def notes_after_c1(nb: NotebookNode) -> NotebookNode:
    nb = answered(nb)
    add_after(nb, "c1", md("mine", "My notes on the total."))
    return nb


def deleted_aside_and_p2(nb: NotebookNode) -> NotebookNode:
    nb = copy.deepcopy(nb)
    nb.cells = [cell for cell in nb.cells if cell.id not in {"aside", "p2"}]
    return nb


def moved_a_cell(nb: NotebookNode) -> NotebookNode:
    nb = answered(nb)
    nb.cells.insert(1, nb.cells.pop(4))  # the aside moved up under the title
    return nb


def without_ids(nb: NotebookNode) -> NotebookNode:
    nb = added_cells(nb)
    for cell in nb.cells:
        del cell["id"]
    nb.nbformat_minor = 4
    return nb


@dataclass
class Scenario:
    name: str
    local: Callable[[NotebookNode], NotebookNode] | str | None  # from the base; str: raw file content
    remote: NotebookNode
    after: list[str] | None  # what the learner has after; None: the file is left as it was
    status: str
    counts: tuple[int, int, int] = (0, 0, 0)  # course cells, kept cells, conflicts
    base: NotebookNode | None = field(default_factory=lambda: V1)
    read_only: bool = False
    message: str = ""  # the one-line message must contain this
    legacy: dict[str, Callable[[NotebookNode], NotebookNode]] = field(default_factory=dict)
    beside: dict[str, list[str]] = field(default_factory=dict)  # further copies in workspace/en/


SCENARIOS = [
    Scenario("fresh workspace", None, V1, view(V1), "new", base=None),
    Scenario("no learner change, course update", ran_the_checks, V2,
             ["# Totals", P1_NEW.source, E1.source, 'check("t.total", total) => Not answered yet', ASIDE.source,
              P2_NEW.source, E2.source, C2.source], "updated", (2, 0, 0)),
    Scenario("answered exercises, course rewords the prompts", answered, V2,
             ["# Totals", P1_NEW.source, f"{ANSWER1} => 1043214.5", C1.source, ASIDE.source, P2_NEW.source,
              ANSWER2, C2.source], "updated", (2, 2, 0)),
    Scenario("cells added at the top, in the middle and at the end", added_cells, V2,
             ["My plan for today.", "# Totals", P1_NEW.source, f"{ANSWER1} => 1043214.5", "orders.head() => a table",
              C1.source, ASIDE.source, P2_NEW.source, ANSWER2, C2.source, "What I learned."], "updated", (2, 5, 0)),
    Scenario("learner and course both changed a prompt", edited_prompt, V2,
             ["# Totals", "Compute the total revenue. (Teacher: use net amounts!)", "NOTE:conflict", P1_NEW.source,
              f"{ANSWER1} => 1043214.5", C1.source, ASIDE.source, P2_NEW.source, ANSWER2, C2.source],
             "updated", (2, 3, 1)),
    Scenario("course removed a cell the learner edited", edited_aside, V2_DROPS_ASIDE,
             ["# Totals", P1.source, E1.source, C1.source, "NOTE:removed",
              "An aside the course will drop. My note: this matters for Q3.", P2_NEW.source, E2.source, C2.source],
             "updated", (1, 1, 1)),
    Scenario("course removed a cell nobody edited", answered, V2_DROPS_ASIDE,
             ["# Totals", P1.source, f"{ANSWER1} => 1043214.5", C1.source, P2_NEW.source, ANSWER2, C2.source],
             "updated", (2, 2, 0)),
    Scenario("course added a new exercise", notes_after_c1, V2_NEW_EXERCISE,
             ["# Totals", P1.source, f"{ANSWER1} => 1043214.5", C1.source, "My notes on the total.", P3.source,
              E3.source, C3.source, ASIDE.source, P2.source, ANSWER2, C2.source], "updated", (3, 3, 0)),
    Scenario("learner deleted cells; the course changed one of them", deleted_aside_and_p2, V2,
             ["# Totals", P1_NEW.source, E1.source, C1.source, "NOTE:deleted", P2_NEW.source, E2.source, C2.source],
             "updated", (2, 0, 1)),
    Scenario("file without cell ids (nbformat 4.4)", without_ids, V2,
             ["My plan for today.", "# Totals", P1_NEW.source, f"{ANSWER1} => 1043214.5", "orders.head() => a table",
              C1.source, ASIDE.source, P2_NEW.source, ANSWER2, C2.source, "What I learned."], "updated", (2, 5, 0)),
    Scenario("base missing: two-way, every learner cell kept", edited_prompt, V2,
             ["# Totals", "Compute the total revenue. (Teacher: use net amounts!)", "NOTE:unknown", P1_NEW.source,
              f"{ANSWER1} => 1043214.5", C1.source, ASIDE.source, P2.source, "NOTE:unknown", P2_NEW.source,
              ANSWER2, C2.source], "updated", (2, 4, 2), base=None),
    Scenario("learner moved a cell, the course did not change", moved_a_cell, V1, None, "up to date"),
    Scenario("corrupted file", '{"cells": [{"cell_type": "code", "sour', V2, None, "failed",
             message="workspace/en/wb.ipynb is not a readable notebook"),
    Scenario("not a notebook (valid JSON)", '["a", "list"]', V2, None, "failed",
             message="workspace/en/wb.ipynb is not a readable notebook"),
    Scenario("a notebook whose cell has no source", '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, '
             '"cells": [{"cell_type": "code", "id": "x", "metadata": {}}]}', V2, None, "failed",
             message="workspace/en/wb.ipynb is not a readable notebook (its cells are missing or malformed)"),
    Scenario("read-only file", answered, V2, None, "failed", read_only=True,
             message="workspace/en/wb.ipynb is read-only. It was left as it is; make it writable"),
    Scenario("old NAME.ipynb and NAME.updated.ipynb in _build, no workspace copy yet", None, V2,
             ["# Totals", P1.source, "NOTE:unknown", P1_NEW.source, f"{ANSWER1} => 1043214.5", C1.source,
              ASIDE.source, P2.source, "NOTE:unknown", P2_NEW.source, ANSWER2, C2.source],
             "updated", (2, 4, 2), base=None,
             legacy={"wb.ipynb": first_try, "wb.updated.ipynb": answered},
             beside={"wb.from-build.ipynb": view(first_try(V1))}),
    Scenario("old NAME.updated.ipynb in _build beside an up-to-date workspace copy", answered, V1,
             None, "up to date", legacy={"wb.updated.ipynb": added_cells},
             beside={"wb.updated.ipynb": view(added_cells(V1))}),
]


@pytest.fixture()
def in_tmp(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)  # messages show paths relative to where make runs
    return tmp_path


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_update_keeps_the_learners_work(scenario: Scenario, in_tmp: Path, capsys) -> None:
    root, target = in_tmp / "workspace", in_tmp / "workspace" / "en" / NAME
    for name, nb in ((NAME, scenario.base), (OTHER, OTHER_V1)):  # a previous update left these
        if nb is not None:
            (root / ".cvm" / "base" / "en").mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, root / ".cvm" / "base" / "en" / name)
    target.parent.mkdir(parents=True)
    nbformat.write(OTHER_V1, target.with_name(OTHER))
    if isinstance(scenario.local, str):
        target.write_text(scenario.local)
    elif scenario.local is not None:
        nbformat.write(scenario.local(V1), target)
    legacy = []
    for offset, (name, make) in enumerate(scenario.legacy.items()):  # the old scheme's copies in _build
        path = in_tmp / "_build" / "workbooks" / "participant" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(make(V1), path)
        os.utime(path, (1_700_000_000 + offset, 1_700_000_000 + offset))  # the later one was saved last
        legacy.append(path)
    if scenario.read_only:
        target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = target.read_bytes() if target.exists() else None
    legacy_before = {path: path.read_bytes() for path in legacy}

    updates = {u.name: u for u in update_workspace({NAME: scenario.remote, OTHER: OTHER_V2}, root, "en", legacy, NOW)}

    mine, other = updates[NAME], updates[OTHER]
    assert mine.status == scenario.status, mine.summary()
    assert (mine.course_cells, mine.kept_cells, mine.conflicts) == scenario.counts, mine.summary()
    assert scenario.message in mine.summary() and "\n" not in mine.summary()
    assert other.status == "updated" and view(nbformat.read(target.with_name(OTHER), 4)) == view(OTHER_V2)
    backups = root / ".cvm" / "backup" / "20250301T093000Z" / "en"
    if scenario.after is None:
        assert target.read_bytes() == before  # left exactly as it was
        assert not (backups / NAME).exists()
    else:
        assert view(nbformat.read(target, as_version=4)) == scenario.after
        if before is not None:  # the previous file, byte for byte, before any change
            assert (backups / NAME).read_bytes() == before and mine.backup == backups / NAME
        assert nbformat.validate(nbformat.read(target, as_version=4)) is None
    for path, content in legacy_before.items():  # old copies: never deleted, backed up
        assert path.read_bytes() == content and (backups / path.name).read_bytes() == content
    for name, expected in scenario.beside.items():
        assert view(nbformat.read(target.with_name(name), as_version=4)) == expected

    # idempotence: a second update changes nothing, writes no second backup, brings nothing in twice
    snapshot = _snapshot(in_tmp)
    again = {u.name: u.status for u in update_workspace({NAME: scenario.remote, OTHER: OTHER_V2}, root, "en",
                                                          legacy, LATER)}
    assert again == {NAME: "failed" if scenario.status == "failed" else "up to date", OTHER: "up to date"}
    assert _snapshot(in_tmp) == snapshot
    assert not (root / ".cvm" / "backup" / "20250302T093000Z").exists()


def test_the_merge_keeps_metadata_outputs_and_unique_ids() -> None:
    local = edited_prompt(added_cells(V1))
    local.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    next(c for c in local.cells if c.id == "e1").metadata["collapsed"] = True  # the learner folded their answer
    merged = merge_notebooks(V1, local, V2).notebook
    ids = [cell.id for cell in merged.cells]
    assert len(ids) == len(set(ids))
    assert merged.metadata["kernelspec"]["name"] == "python3" and merged.metadata["cvm"] == {"version": "participant"}
    assert next(c for c in merged.cells if c.id == "e1").metadata == {"tags": ["exercise"], "collapsed": True}


def test_a_tag_only_course_change_is_not_a_conflict() -> None:
    retagged = course(TITLE, P1, E1, new_code_cell(C1.source, id="c1", metadata={"tags": ["remove-input"]}),
                      ASIDE, P2, E2, C2)
    mine = answered(V1)
    answer(mine, "c1", 'check("t.total", total)  # my comment')
    merged = merge_notebooks(V1, mine, retagged)
    cell = next(c for c in merged.notebook.cells if c.id == "c1")
    assert cell.source.endswith("# my comment") and cell.metadata["tags"] == ["remove-input"]
    assert merged.conflicts == 0


def test_the_generated_participant_versions_keep_the_source_cell_ids() -> None:
    for path in NOTEBOOKS:
        source = nbformat.read(path, as_version=4)
        ids = [cell.get("id") for cell in source.cells]
        assert all(ids) and len(set(ids)) == len(ids), f"{path.name}: cells without a unique id"
        kept = [cell.id for cell in source.cells if "instructor" not in cell.metadata.get("tags", [])]
        assert [cell.id for cell in participant_version(source).cells] == kept, path.name


def test_real_workbooks_answers_survive_a_course_update(in_tmp: Path) -> None:
    path = next(p for p in NOTEBOOKS if p.name == "rfm.ipynb")
    source = nbformat.read(path, as_version=4)
    root = in_tmp / "workspace"
    update_workspace({path.name: participant_version(source)}, root, now=NOW)
    target = root / "en" / path.name
    mine = nbformat.read(target, as_version=4)
    exercises = [cell.id for cell in mine.cells if "exercise" in cell.metadata.get("tags", [])]
    assert len(exercises) >= 6
    for n, cell in enumerate(c for c in mine.cells if c.id in exercises):
        cell.source = f"answer_{n} = {n}  # my answer"
    nbformat.write(mine, target)
    prompt = next(cell for cell in source.cells if cell.cell_type == "markdown" and "instructor" not in
                  cell.metadata.get("tags", []))
    prompt.source += "\n\nA sentence the course added."
    [update] = update_workspace({path.name: participant_version(source)}, root, now=LATER)
    after = nbformat.read(target, as_version=4)
    assert update.status == "updated" and (update.course_cells, update.conflicts) == (1, 0)
    assert [c.source for c in after.cells if c.id in exercises] == [f"answer_{n} = {n}  # my answer"
                                                                    for n in range(len(exercises))]
    assert next(c for c in after.cells if c.id == prompt.id).source.endswith("A sentence the course added.")


def _source_notebook(title: str, solution: str) -> NotebookNode:
    return new_notebook(cells=[
        new_markdown_cell(f"# {title}", id="t"),
        new_code_cell(solution, id="s", metadata={"tags": ["solution", "hide-input"], "cvm": {"placeholder": "x = ..."}}),
        new_code_cell('print("check")', id="c")])


def test_make_workbooks_reports_a_broken_copy_updates_the_rest_and_exits_non_zero(in_tmp: Path, capsys) -> None:
    src = in_tmp / "notebooks"
    src.mkdir()
    for name in ("a.ipynb", "b.ipynb"):
        nbformat.write(_source_notebook(name, "x = compute_the_answer()"), src / name)
    args = ["--src", "notebooks", "--out", "_build/workbooks", "--workspace", "workspace"]
    assert main(args) == 0
    (in_tmp / "workspace/en/a.ipynb").write_text("not json")
    for name in ("a.ipynb", "b.ipynb"):
        nbformat.write(_source_notebook(name + " v2", "x = compute_the_answer()"), src / name)
    capsys.readouterr()
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "a.ipynb: NOT updated: workspace/en/a.ipynb is not a readable notebook" in out
    assert "b.ipynb: updated: 1 course cell, kept 0 of your cells, 0 conflicts" in out
    assert (in_tmp / "workspace/en/a.ipynb").read_text() == "not json"
    assert nbformat.read(in_tmp / "workspace/en/b.ipynb", as_version=4).cells[0].source == "# b.ipynb v2"


def test_make_workbooks_brings_old_scheme_copies_into_the_workspace_once(in_tmp: Path, capsys) -> None:
    src, participant = in_tmp / "notebooks", in_tmp / "_build/workbooks/participant"
    src.mkdir()
    nbformat.write(_source_notebook("a", "x = compute_the_answer()"), src / "a.ipynb")
    # the old scheme: a.ipynb generated, edited, regenerated beside as a.updated.ipynb, edited too
    build_workbooks(src, in_tmp / "_build/workbooks")
    for name, text in (("a.ipynb", "x = 1  # my first try"), ("a.updated.ipynb", "x = 2  # my second try")):
        nb = nbformat.read(participant / "a.ipynb", as_version=4)
        nb.metadata["cvm"]["generated_sha256"] = "an old fingerprint"
        nb.cells[1].source = text
        nbformat.write(nb, participant / name)
    os.utime(participant / "a.ipynb", (1_700_000_000, 1_700_000_000))
    args = ["--src", "notebooks", "--out", "_build/workbooks", "--workspace", "workspace"]
    assert main(args) == 0
    workspace = in_tmp / "workspace/en"
    assert nbformat.read(workspace / "a.ipynb", as_version=4).cells[1].source == "x = 2  # my second try"
    [first] = workspace.glob("a.edited-*.ipynb")  # the edited a.ipynb, kept aside in _build, then brought in
    assert nbformat.read(first, as_version=4).cells[1].source == "x = 1  # my first try"
    assert (participant / "a.updated.ipynb").exists()  # never deleted
    assert [p.name for p in participant.glob("a.edited-*.ipynb")]  # the edited a.ipynb, kept aside
    assert "a.ipynb: updated" in capsys.readouterr().out
    snapshot = _snapshot(in_tmp / "workspace")
    assert main(args) == 0  # nothing brought in twice, no second backup
    assert _snapshot(in_tmp / "workspace") == snapshot


def test_an_edited_derived_file_is_kept_aside_not_overwritten(tmp_path: Path) -> None:
    written = build_workbooks(NOTEBOOKS[0].parent, tmp_path)
    participant = tmp_path / "participant" / NOTEBOOKS[0].name
    assert participant in written and (tmp_path / "instructor" / NOTEBOOKS[0].name) in written
    edited = nbformat.read(participant, as_version=4)
    edited.cells[0].source += "\nMy own notes."
    nbformat.write(edited, participant)
    again = write_generated(participant_version(nbformat.read(NOTEBOOKS[0], as_version=4)), participant)
    assert again == participant and "My own notes." not in nbformat.read(participant, as_version=4).cells[0].source
    [kept] = participant.parent.glob(f"{participant.stem}.edited-*.ipynb")
    assert "My own notes." in nbformat.read(kept, as_version=4).cells[0].source
    assert not list(participant.parent.glob("*.updated.ipynb"))


needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@needs_make
def test_make_clean_deletes_build_but_never_the_workspace(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "_build/workbooks/participant").mkdir(parents=True)
    (tmp_path / "_build/workbooks/participant/rfm.ipynb").write_text("{}")
    (tmp_path / "workspace/en").mkdir(parents=True)
    (tmp_path / "workspace/en/rfm.ipynb").write_text("my work")
    (tmp_path / "workspace/.cvm/base/en").mkdir(parents=True)
    subprocess.run(["make", "clean"], cwd=tmp_path, check=True, capture_output=True)
    assert not (tmp_path / "_build").exists()
    assert (tmp_path / "workspace/en/rfm.ipynb").read_text() == "my work"
    assert (tmp_path / "workspace/.cvm/base/en").is_dir()


@needs_make
def test_make_lab_updates_the_workspace_then_serves_it_locally() -> None:
    recipe = subprocess.run(["make", "-n", "lab"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    update, lab = [line for line in recipe.splitlines() if "cvmlib.workbooks" in line or "jupyter lab" in line]
    assert "--workspace workspace" in update and "jupyter lab" in lab
    assert "--ServerApp.root_dir=workspace " in lab and "notebooks" not in lab
    assert "--ServerApp.ip=127.0.0.1" in lab
    assert ("--allow-root" in lab) == (os.getuid() == 0)


def test_workspace_is_git_ignored() -> None:
    ignored = subprocess.run(["git", "check-ignore", "-q", "workspace/en/rfm.ipynb"], cwd=ROOT)
    assert ignored.returncode == 0, "add workspace/ to .gitignore"


def test_backup_folders_of_two_runs_in_the_same_second_never_mix(in_tmp: Path) -> None:
    root = in_tmp / "workspace"
    update_workspace({NAME: V1}, root, now=NOW)
    target = root / "en" / NAME
    for version in (V2, V2_DROPS_ASIDE):
        nbformat.write(answered(nbformat.read(target, as_version=4)), target)
        update_workspace({NAME: version}, root, now=NOW)
    folders = sorted(p.name for p in (root / ".cvm" / "backup").iterdir())
    assert folders == ["20250301T093000Z", "20250301T093000Z-2"]
    first = nbformat.read(root / ".cvm/backup/20250301T093000Z/en" / NAME, as_version=4)
    assert view(first) == view(answered(V1))
