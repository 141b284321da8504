"""Single-source workbooks: solutions pass their checks; participant versions run up to the blanks."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from cvmlib.workbooks import (
    SOLUTION_TAG,
    build_workbooks,
    instructor_version,
    leaked_solution_lines,
    participant_version,
    write_generated,
)
from tests.conftest import NOTEBOOKS, execute_notebook, output_text

CHECK_CALL = re.compile(r"""check\(\s*["']([\w.]+)["']""")


def _check_cells(nb: nbformat.NotebookNode) -> list[tuple[str, nbformat.NotebookNode]]:
    found = []
    for cell in nb.cells:
        match = CHECK_CALL.search(cell.source) if cell.cell_type == "code" else None
        if match:
            found.append((match.group(1), cell))
    return found


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda p: p.name)
def source(request) -> tuple[Path, nbformat.NotebookNode]:
    return request.param, nbformat.read(request.param, as_version=4)


def test_each_workbook_has_at_least_six_checked_exercises(source):
    _, nb = source
    exercises = {exercise_id for exercise_id, _ in _check_cells(nb)}
    solutions = [cell for cell in nb.cells if SOLUTION_TAG in cell.metadata.get("tags", [])]
    assert len(exercises) >= 6
    assert len(solutions) >= len(exercises)


@pytest.mark.full  # the book build runs every workbook with its solutions: tests/test_book.py counts its Corrects
def test_every_solution_passes_its_check(source):
    path, nb = source
    executed = execute_notebook(nb, cwd=path.parent)
    for exercise_id, cell in _check_cells(executed):
        text = output_text(cell)
        assert "Correct" in text, f"{path.name} {exercise_id}: solution does not pass: {text!r}"


def test_participant_version_has_no_solution_text_and_runs_to_its_blanks(source, tmp_path):
    path, nb = source
    participant = participant_version(nb)
    assert leaked_solution_lines(nb, participant) == []
    assert not any("instructor" in cell.metadata.get("tags", []) for cell in participant.cells)
    executed = execute_notebook(participant, cwd=path.parent, allow_errors=True)
    errors = [output_text(cell) for cell in executed.cells
              if any(out.output_type == "error" for out in cell.get("outputs", []))]
    assert errors == [], f"{path.name}: participant version raised: {errors[:2]}"
    for exercise_id, cell in _check_cells(executed):
        assert "Not answered yet" in output_text(cell), f"{exercise_id}: blank not reported as unanswered"


def test_instructor_version_keeps_solutions_and_adds_slides(source):
    _, nb = source
    instructor = instructor_version(nb)
    # markdown is rendered for JupyterLab and long slides are split (tests/test_slides.py checks no
    # words are lost); the code is exactly the source's
    def code(book: nbformat.NotebookNode) -> list[str]:
        return [cell.source for cell in book.cells if cell.cell_type == "code"]

    assert code(instructor) == code(nb)
    assert all("slideshow" in cell.metadata for cell in instructor.cells)
    assert any(cell.metadata["slideshow"]["slide_type"] == "slide" for cell in instructor.cells)


def test_leak_detector_catches_a_leaked_solution():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "total = orders.groupby('customer_id')['amount'].sum()", metadata={"tags": [SOLUTION_TAG]})])
    leaky = participant_version(nb)
    leaky.cells.append(nbformat.v4.new_markdown_cell("Hint: total = orders.groupby('customer_id')['amount'].sum()"))
    assert leaked_solution_lines(nb, leaky)


def test_build_workbooks_keeps_an_edited_derived_copy_aside(tmp_path):
    written = build_workbooks(NOTEBOOKS[0].parent, tmp_path)
    participant = tmp_path / "participant" / NOTEBOOKS[0].name
    assert participant in written and (tmp_path / "instructor" / NOTEBOOKS[0].name) in written
    edited = nbformat.read(participant, as_version=4)
    edited.cells[0].source += "\nMy own notes."
    nbformat.write(edited, participant)
    again = write_generated(participant_version(nbformat.read(NOTEBOOKS[0], as_version=4)), participant)
    assert again == participant
    [kept] = participant.parent.glob(f"{participant.stem}.edited-*.ipynb")
    assert "My own notes." in nbformat.read(kept, as_version=4).cells[0].source
