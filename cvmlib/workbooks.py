"""Derive the participant and instructor workbooks from the single-source notebooks.

A source notebook in ``notebooks/`` holds everything: prompts, solution cells (tag ``solution``),
check cells, and instructor notes (tag ``instructor``). From it come

* the book page (the source itself; solution code is collapsed by its ``hide-input`` tag),
* the **participant** workbook: every solution cell replaced by its placeholder
  (``metadata.cvm.placeholder``, default ``...``), instructor notes removed, outputs cleared, and
  no solution text anywhere in the file (verified),
* the **instructor** workbook: everything kept, outputs cleared, RISE slide metadata added
  (headings start slides, exercises start sub-slides, long slides split, instructor notes as
  speaker notes: :mod:`cvmlib.slides`).

Both show the MyST of the book (``{term}``, ``{cite:t}``, admonitions...) as plain Markdown
(:mod:`cvmlib.myst_text`): JupyterLab does not render MyST.

These derived files below ``_build/workbooks/`` are disposable (``make clean`` deletes them) and
never hand-edited; one that was edited anyway is not overwritten but kept beside as
``NAME.edited-<UTC time>.ipynb``. Participants work in their workspace, ``workspace/<lang>/``, which
``main`` (``make workbooks``) updates by merging each new participant version into the learner's copy
(:mod:`cvmlib.workspace`).

Usage: ``python -m cvmlib.workbooks [--src notebooks] [--out _build/workbooks] [--workspace workspace]
[--lang en]``

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
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from cvmlib.myst_text import BookIndex, render_notebook_markdown
from cvmlib.slides import slideshow
from cvmlib.workspace import LANGUAGES, STAMP_FORMAT, update_workspace

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


def participant_version(source: NotebookNode, index: BookIndex | None = None) -> NotebookNode:
    """The participant workbook: solutions replaced by placeholders, instructor notes removed.

    MyST roles and directives of the Markdown cells become Markdown JupyterLab shows as text
    (:mod:`cvmlib.myst_text`; ``index`` defaults to this repository's book).
    """
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
    render_notebook_markdown(nb, index)
    nb.metadata.setdefault("cvm", {})["version"] = "participant"
    return nb


def instructor_version(source: NotebookNode, index: BookIndex | None = None) -> NotebookNode:
    """The instructor workbook: everything kept, outputs cleared, MyST rendered, RISE slides set.

    Slides (:func:`cvmlib.slides.slideshow`): headings start slides, instructor notes become speaker
    notes, a slide too long for the screen is split into sub-slides, presenting needs no other host.
    """
    nb = copy.deepcopy(source)
    for cell in nb.cells:
        _clear(cell)
    nb = slideshow(render_notebook_markdown(nb, index))
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


def _edited(path: Path) -> bool:
    """Whether the file at ``path`` differs from what was generated there (an unreadable one counts)."""
    try:
        existing = nbformat.read(path, as_version=4)
    except Exception:  # whatever is wrong with it, it may hold someone's work
        return True
    return bool(existing.metadata.get("cvm", {}).get("generated_sha256") != _content_hash(existing))


def keep_edited_copy(target: Path) -> Path | None:
    """Move an edited ``target`` aside to ``NAME.edited-<UTC time>.ipynb``; return where, or None.

    nbgitpuller's rule for a learner's file in the way of a new course file: rename theirs with a
    time stamp, never overwrite it.
    """
    if not target.exists() or not _edited(target):
        return None
    stamp = datetime.now(timezone.utc).strftime(STAMP_FORMAT)
    kept, n = target.with_name(f"{target.stem}.edited-{stamp}.ipynb"), 1
    while kept.exists():
        n += 1
        kept = target.with_name(f"{target.stem}.edited-{stamp}-{n}.ipynb")
    target.rename(kept)
    return kept


def write_generated(nb: NotebookNode, target: Path) -> Path:
    """Write the derived workbook ``nb`` to ``target``; an edited file there is first kept aside."""
    nb.metadata.setdefault("cvm", {})["generated_sha256"] = _content_hash(nb)
    keep_edited_copy(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return target


def build_workbooks(src: Path, out: Path) -> list[Path]:
    """Write the participant and instructor versions of every notebook in ``src`` below ``out``.

    Returns the files written and, after each, any edited copy kept aside (``*.edited-*.ipynb``).
    """
    written = []
    for path in sorted(src.glob("*.ipynb")):
        source = nbformat.read(path, as_version=4)
        participant = participant_version(source)
        leaked = leaked_solution_lines(source, participant)
        if leaked:
            raise RuntimeError(f"{path.name}: solution text left in the participant version: {leaked[:3]}")
        for version, target in ((participant, out / "participant" / path.name),
                                (instructor_version(source), out / "instructor" / path.name)):
            kept = keep_edited_copy(target)
            written.append(write_generated(version, target))
            if kept is not None:
                written.append(kept)
    return written


def main(argv: list[str] | None = None) -> int:
    """Write the derived workbooks, then update the participant workspace; 1 if a workbook was not updated."""
    parser = argparse.ArgumentParser(description="Write participant and instructor workbooks, then merge the "
                                                 "participant versions into the participants' workspace.")
    parser.add_argument("--src", type=Path, default=Path("notebooks"))
    parser.add_argument("--out", type=Path, default=Path("_build/workbooks"))
    parser.add_argument("--workspace", type=Path, default=Path("workspace"),
                        help="the participants' workspace (default: workspace)")
    parser.add_argument("--no-workspace", action="store_true", help="only write the derived files")
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="the workspace language folder the workbooks of --src belong to (default: en)")
    args = parser.parse_args(argv)
    written = build_workbooks(args.src, args.out)
    kept = [path for path in written if ".edited-" in path.name]
    generated = [path for path in written if path not in kept]
    print(f"wrote {len(generated)} derived workbooks below {args.out}/ (participant/, instructor/; "
          "disposable: make clean deletes them)")
    for path in kept:
        print(f"kept an edited copy found there as {path}")
    if args.no_workspace:
        return 0
    participant_dir = args.out / "participant"
    versions = {path.name: nbformat.read(path, as_version=4) for path in generated if path.parent == participant_dir}
    legacy = [path for path in sorted(participant_dir.glob("*.ipynb")) if path.name not in versions and _edited(path)]
    print(f"workspace {args.workspace / args.lang}/ (your copies; open them with make lab):")
    updates = update_workspace(versions, args.workspace, args.lang, legacy)
    for update in updates:
        print(f"  {update.summary()}")
    failed = [update.name for update in updates if not update.ok]
    if failed:
        print(f"{len(failed)} workbook(s) not updated: {', '.join(failed)} (see above); the others are up to date.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
