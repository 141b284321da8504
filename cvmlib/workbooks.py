"""Derive the participant and instructor workbooks from the single-source notebooks.

A source notebook in ``notebooks/`` holds everything: prompts, solution cells (tag ``solution``),
check cells, and instructor notes (tag ``instructor``). From it come

* the book page (the source itself; solution code is collapsed by its ``hide-input`` tag),
* the **participant** workbook: every solution cell replaced by its placeholder
  (``metadata.cvm.placeholder``, default ``...``), instructor notes removed, outputs cleared, and
  no solution text anywhere in the file (verified),
* the **instructor** workbook: everything kept, outputs cleared, RISE slide metadata added
  (headings start slides, exercises start sub-slides).

Generated files are never hand-edited; a participant's edited copy is never overwritten: if the
target was changed since it was generated, the new version is written beside it as
``NAME.updated.ipynb``.

Usage: ``python -m cvmlib.workbooks [--src notebooks] [--out _build/workbooks]``

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_code_cell("answer = df.groupby('c')['x'].sum()",
...         metadata={"tags": ["solution", "hide-input"], "cvm": {"placeholder": "answer = ..."}}),
...     nbformat.v4.new_markdown_cell("Teach slowly.", metadata={"tags": ["instructor"]})])
>>> participant = participant_version(nb)
>>> [cell.source for cell in participant.cells]
['answer = ...  # YOUR CODE HERE']
>>> leaked_solution_lines(nb, participant)
[]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode

SOLUTION_TAG = "solution"
INSTRUCTOR_TAG = "instructor"
# tags that only make sense in the book rendering
BOOK_ONLY_TAGS = {"hide-input", "hide-output", "hide-cell", "remove-cell", "remove-input"}


def _tags(cell: NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _clear(cell: NotebookNode) -> NotebookNode:
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    return cell


def _placeholder(cell: NotebookNode) -> str:
    text = cell.get("metadata", {}).get("cvm", {}).get("placeholder", "...")
    return f"{text.rstrip()}  # YOUR CODE HERE"


def participant_version(source: NotebookNode) -> NotebookNode:
    """The participant workbook: solutions replaced by placeholders, instructor notes removed."""
    nb = copy.deepcopy(source)
    cells = []
    for cell in nb.cells:
        tags = _tags(cell)
        if INSTRUCTOR_TAG in tags:
            continue
        if SOLUTION_TAG in tags:
            cell.source = _placeholder(cell)
            cell.metadata = {"tags": ["exercise"]}
        else:
            cell.metadata.pop("tags", None)
            remaining = [tag for tag in tags if tag not in BOOK_ONLY_TAGS]
            if remaining:
                cell.metadata["tags"] = remaining
        cells.append(_clear(cell))
    nb.cells = cells
    nb.metadata.setdefault("cvm", {})["version"] = "participant"
    return nb


def instructor_version(source: NotebookNode) -> NotebookNode:
    """The instructor workbook: everything kept, outputs cleared, RISE slide types set."""
    nb = copy.deepcopy(source)
    for cell in nb.cells:
        _clear(cell)
        first_line = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "markdown" and first_line.startswith(("# ", "## ")):
            slide_type = "slide"
        elif cell.cell_type == "markdown" and first_line.startswith("### "):
            slide_type = "subslide"
        else:
            slide_type = "-"
        cell.metadata["slideshow"] = {"slide_type": slide_type}
    nb.metadata.setdefault("cvm", {})["version"] = "instructor"
    return nb


def leaked_solution_lines(source: NotebookNode, participant: NotebookNode) -> list[str]:
    """Solution lines (code, not comments or trivial lines) that still appear in the participant file."""
    text = json.dumps(participant.cells)
    leaked = []
    for cell in source.cells:
        if SOLUTION_TAG not in _tags(cell):
            continue
        given = _placeholder(cell)  # lines the placeholder itself shows are not a leak
        for line in cell.source.splitlines():
            code = line.strip()
            if len(code) < 8 or code.startswith("#") or code in given:
                continue
            if json.dumps(code)[1:-1] in text:
                leaked.append(code)
    return leaked


def _content_hash(nb: NotebookNode) -> str:
    cells = [(cell.cell_type, cell.source) for cell in nb.cells]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def write_generated(nb: NotebookNode, target: Path) -> Path:
    """Write ``nb``; if an existing target was edited since generation, write beside it instead."""
    nb.metadata.setdefault("cvm", {})["generated_sha256"] = _content_hash(nb)
    if target.exists():
        existing = nbformat.read(target, as_version=4)
        recorded = existing.metadata.get("cvm", {}).get("generated_sha256")
        if recorded != _content_hash(existing):
            target = target.with_suffix(".updated.ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return target


def build_workbooks(src: Path, out: Path) -> list[Path]:
    """Write the participant and instructor versions of every notebook in ``src`` below ``out``."""
    written = []
    for path in sorted(src.glob("*.ipynb")):
        source = nbformat.read(path, as_version=4)
        participant = participant_version(source)
        leaked = leaked_solution_lines(source, participant)
        if leaked:
            raise RuntimeError(f"{path.name}: solution text left in the participant version: {leaked[:3]}")
        written.append(write_generated(participant, out / "participant" / path.name))
        written.append(write_generated(instructor_version(source), out / "instructor" / path.name))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write participant and instructor workbooks.")
    parser.add_argument("--src", type=Path, default=Path("notebooks"))
    parser.add_argument("--out", type=Path, default=Path("_build/workbooks"))
    args = parser.parse_args(argv)
    for path in build_workbooks(args.src, args.out):
        note = "  (your edited copy was kept; this is the new version)" if ".updated." in path.name else ""
        print(f"wrote {path}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
