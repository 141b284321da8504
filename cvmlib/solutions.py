"""Worked solutions, taken from the source notebooks: what ``solution("rfm.recency")`` shows.

The source notebooks (``notebooks/*.ipynb``) hold every exercise's solution in cells tagged
``solution``, followed by the ``check("<id>", ...)`` cell of that exercise. The worked solution of
an exercise is therefore the solution cells between the previous check cell and its own, with the
markdown explanation between them (instructor notes excluded). The notebooks are found in the
installed package (``cvmlib/_notebooks``, where a wheel puts them) or in the source checkout
(``notebooks/``), and scanned once (again only when a notebook changes).

A worked solution is shown in the language in force (:mod:`cvmlib.i18n`): its explanation (the
Markdown cells) through the book's catalog of its notebook (``locales/zh_CN/LC_MESSAGES/notebooks/``,
:func:`cvmlib.myst_text.translate_markdown`), its code as written.

Examples
--------
>>> worked = worked_solution("rfm.recency")
>>> worked.notebook, worked.exercise
('rfm.ipynb', 'rfm.recency')
>>> any(part.kind == "code" for part in worked.parts)
True
"""

from __future__ import annotations

import html
import importlib.resources
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cvmlib.i18n import _, get_language

__all__ = ["SolutionPart", "WorkedSolution", "notebook_dir", "notebook_exercises", "solution_index",
           "worked_solution"]

SOLUTION_TAG = "solution"
INSTRUCTOR_TAG = "instructor"
#: A code cell that checks an exercise: ``check("rfm.recency", ...)`` (the first one names the exercise).
CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([\w.]+)["']""")


@dataclass(frozen=True)
class SolutionPart:
    """One cell of a worked solution: ``kind`` is "code" or "markdown"."""

    kind: Literal["code", "markdown"]
    text: str


@dataclass(frozen=True)
class WorkedSolution:
    """The worked solution of one exercise; displays as code (and its explanation) in Jupyter."""

    exercise: str
    notebook: str
    parts: tuple[SolutionPart, ...]

    @property
    def code(self) -> str:
        """The solution code alone, cell after cell."""
        return "\n\n".join(part.text for part in self.parts if part.kind == "code")

    def shown_parts(self) -> tuple[SolutionPart, ...]:
        """The parts as shown in the language in force: explanations translated, code as written."""
        lang = get_language()
        if lang == "en" or not any(part.kind == "markdown" for part in self.parts):
            return self.parts
        from cvmlib.myst_text import notebook_catalog, translate_markdown

        catalog = notebook_catalog(self.notebook, lang)
        if not catalog.translations:  # no catalog here (a wheel without the book's): the English explanation
            return self.parts
        return tuple(SolutionPart("markdown", translate_markdown(part.text, catalog)[0])
                     if part.kind == "markdown" else part for part in self.parts)

    def __str__(self) -> str:
        blocks = [_("Worked solution of {exercise} (from {notebook}):").format(exercise=self.exercise,
                                                                                notebook=self.notebook)]
        for part in self.shown_parts():
            blocks.append(part.text if part.kind == "markdown" else "\n".join(
                "    " + line if line else "" for line in part.text.splitlines()))
        return "\n\n".join(blocks)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        body = []
        for part in self.shown_parts():
            if part.kind == "code":
                body.append("<pre style='background:#f6f8fa;padding:6px 10px;border-radius:4px'>"
                            f"<code class='language-python'>{html.escape(part.text)}</code></pre>")
            else:
                body.append(f"<div style='white-space:pre-wrap'>{html.escape(part.text)}</div>")
        title = _("Worked solution of {exercise}").format(exercise=html.escape(self.exercise))
        source = _("(from {notebook})").format(notebook=html.escape(self.notebook))
        return (f"<div class='cvm-solution' style='border-left:4px solid #2b5797;padding:4px 10px'>"
                f"<strong>{title}</strong> "
                f"<span style='color:#555'>{source}</span>{''.join(body)}</div>")


def notebook_dir() -> Path | None:
    """The folder of the source notebooks: inside the installed package, else the source checkout."""
    installed = importlib.resources.files("cvmlib") / "_notebooks"
    candidates = [Path(str(installed)), Path(__file__).resolve().parent.parent / "notebooks"]
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob("*.ipynb")):
            return candidate
    return None


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _tags(cell: dict[str, Any]) -> list[str]:
    metadata = cell.get("metadata", {})
    tags = metadata.get("tags", []) if isinstance(metadata, dict) else []
    return [tag for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else []


def _solutions_of(name: str, cells: list[dict[str, Any]]) -> dict[str, WorkedSolution]:
    found: dict[str, WorkedSolution] = {}
    segment: list[dict[str, Any]] = []
    for cell in cells:
        match = CHECK_CALL.search(_source(cell)) if cell.get("cell_type") == "code" else None
        if match is None:
            segment.append(cell)
            continue
        exercise = match.group(1)
        # the worked solution runs from the first solution cell of the segment to the check cell
        start = next((i for i, c in enumerate(segment) if SOLUTION_TAG in _tags(c)), None)
        if exercise not in found and start is not None:
            parts = []
            for c in segment[start:]:
                tags = _tags(c)
                if c.get("cell_type") == "code" and SOLUTION_TAG in tags:
                    parts.append(SolutionPart("code", _source(c).strip()))
                elif c.get("cell_type") == "markdown" and INSTRUCTOR_TAG not in tags and _source(c).strip():
                    parts.append(SolutionPart("markdown", _source(c).strip()))
            found[exercise] = WorkedSolution(exercise, name, tuple(parts))
        segment = []
    return found


_cache: dict[tuple[Any, ...], dict[str, WorkedSolution]] = {}


def solution_index() -> dict[str, WorkedSolution]:
    """Every exercise id with a worked solution in the source notebooks -> its solution.

    Scanned once; scanned again when a notebook is added, removed or changed. A notebook that
    cannot be read (e.g. being saved right now) is left out of this scan.
    """
    folder = notebook_dir()
    if folder is None:
        return {}
    paths = sorted(folder.glob("*.ipynb"))
    key = (str(folder), *((p.name, p.stat().st_mtime_ns) for p in paths))
    if key not in _cache:
        index: dict[str, WorkedSolution] = {}
        for path in paths:
            try:
                cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            except (OSError, ValueError, AttributeError):
                continue
            for exercise, worked in _solutions_of(path.name, cells).items():
                index.setdefault(exercise, worked)
        _cache.clear()
        _cache[key] = index
    return _cache[key]


def worked_solution(exercise_id: str) -> WorkedSolution:
    """The worked solution of ``exercise_id`` from the source notebook that checks it.

    Raises
    ------
    LookupError
        If no source notebook has solution cells before a ``check("<exercise_id>", ...)`` cell.
    """
    index = solution_index()
    if exercise_id not in index:
        where = notebook_dir()
        if where is None:
            message = _("No worked solution of {exercise!r} was found: the source notebooks (notebooks/) were not "
                        'found, so no notebook has solution cells before check("{exercise}", ...). Ask your instructor.')
        else:
            message = _("No worked solution of {exercise!r} was found: no notebook in {folder} has solution cells "
                        'before check("{exercise}", ...). Ask your instructor.')
        raise LookupError(message.format(exercise=exercise_id, folder=where))
    return index[exercise_id]


def notebook_exercises(notebook: str) -> list[str]:
    """The exercise ids a source notebook checks, in order (e.g. for the progress table of a workbook).

    >>> notebook_exercises("rfm.ipynb")[0]
    'rfm.recency'
    """
    return [exercise for exercise, worked in solution_index().items() if worked.notebook == notebook]
