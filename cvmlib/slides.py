"""RISE slides for the instructor workbooks: speaker notes, slides that fit, no request to another host.

:func:`slideshow` sets ``metadata.slideshow.slide_type`` on every cell of an instructor workbook:

* a cell tagged ``instructor`` (notes, debrief prompts) becomes a **speaker note** (``notes``): hidden
  on the slides, shown in RISE's speaker view (key ``T``);
* a ``#``/``##`` heading starts a slide, a ``###`` heading a sub-slide;
* a slide whose content would not fit a 1280 x 720 screen is **split** into sub-slides: between a
  prompt and the previous exercise where possible, else between cells, and a Markdown cell too long
  for one screen is cut between paragraphs. The height of every cell is estimated
  (:func:`cell_height`) from its Markdown blocks and code lines, plus what its code will show when
  the instructor runs it live (a table, a figure, a check's message) or, in an executed notebook,
  its actual outputs;
* after each explorer cell (a widget from ``cvmlib.widgets``) a speaker note says how to present it:
  slides show a snapshot of the explorer (:class:`cvmlib.widgets.views.ExplorerBox`), the sliders
  move in the notebook view.

:data:`RISE_SETTINGS` go into the notebook's ``metadata.rise``: reveal's "white" theme, whose font
ships with jupyterlab-rise (the default "simple" theme loads Lato and News Cycle from
fonts.googleapis.com, so presenting offline would ask another host for fonts), and scrolling as a
last resort for an output larger than estimated.

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_markdown_cell("# Title"),
...     nbformat.v4.new_markdown_cell("Say hello first.", metadata={"tags": ["instructor"]}),
...     nbformat.v4.new_code_cell("x = 1")])
>>> shown = slideshow(nb)
>>> [cell.metadata["slideshow"]["slide_type"] for cell in shown.cells]
['slide', 'notes', '-']
>>> shown.metadata["rise"]["theme"]
'white'
"""

from __future__ import annotations

import ast
import base64
import copy
import math
import re
import struct
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode

from cvmlib.i18n import N_, _

__all__ = ["SCREEN", "SLIDE_HEIGHT", "RISE_SETTINGS", "EXPLORER_NOTE", "INSTRUCTOR_TAG", "cell_height",
           "is_explorer", "slideshow", "slides", "slide_heights", "Slide"]

INSTRUCTOR_TAG = "instructor"

#: The screen the slides must fit: a 720p projector (RISE shows slides at the browser's size).
SCREEN = (1280, 720)
#: Pixels of slide content that fit that screen (RISE's margins and controls take the rest).
SLIDE_HEIGHT = 640

#: Presenting settings, written to ``metadata.rise`` (RISE reads them before its own settings).
RISE_SETTINGS: dict[str, object] = {
    "theme": "white",  # its font ships with jupyterlab-rise; "simple" fetches fonts from Google
    "transition": "none",
    "center": False,  # a long slide starts at the top, not centred beyond the screen
    "scroll": True,  # last resort if a live output is taller than estimated
    "start_slideshow_at": "selected",
    # reveal's white theme shouts its headings in capitals: keep the course's own case; a figure
    # never taller than about half the screen, so a cell with its code and figure fits one screen
    "overlay": ("<style>.reveal h1, .reveal h2, .reveal h3, .reveal h4 {text-transform: none;} "
                ".reveal .jp-OutputArea-output img {max-height: 52vh; width: auto; max-width: 100%; margin: 0;} "
                ".reveal .jp-OutputArea:has(> .jp-OutputArea-child + .jp-OutputArea-child) img {max-height: 34vh;} "
                ".reveal .jp-OutputArea:has(> .jp-OutputArea-child + .jp-OutputArea-child + .jp-OutputArea-child) "
                "img {max-height: 26vh;}</style>"),
}

#: Tallest picture on a slide, in pixels of :data:`SCREEN` (the 52vh of the overlay's style), beside
#: one other output of the same cell (34vh), and beside two or more (26vh).
MAX_PICTURE, SHARED_PICTURE, CROWDED_PICTURE = 0.52 * 720, 0.34 * 720, 0.26 * 720


def _picture_cap(outputs: int) -> float:
    return MAX_PICTURE if outputs < 2 else SHARED_PICTURE if outputs == 2 else CROWDED_PICTURE

#: The speaker note put after an explorer cell (in the language in force when the slides are made).
EXPLORER_NOTE = N_("**Presenting the explorer.** Widgets do not run inside slides: run this cell "
                   "(Shift+Enter) and the slide shows a snapshot of the explorer's default state. "
                   "For the live what-if demo, switch to the notebook's tab (notebook view), move "
                   "the sliders there, then come back to the slides.")

# Estimated heights in pixels on the SCREEN, measured in headless Chromium with the white theme
# (body text 14 px on 18 px lines, about 160 characters per line across 1280 px).
_LINE, _CHARS = 18.0, 160
_HEADINGS = {1: (48.0, 60, 20.0), 2: (30.0, 100, 20.0), 3: (26.0, 120, 17.0)}  # px per line, chars, margin
_CELL_MARGIN = 16.0
_CODE_PADDING = 24.0
_CODE_CHARS = 150

_WIDGET_CALL = re.compile(r"\b(\w+_explorer|clv_calculator|johari_window)\s*\(")
_PLOT_CALL = re.compile(r"\b(\w*_plot|\w*heatmap|\w*_bars|cluster_projection|plot|hist)\s*\(|\bplt\.\w+\(")
_PLOT_NAME = re.compile(r"(_plot|heatmap|_bars|^cluster_projection|^plot|^hist|^bar|^barh|^scatter|^imshow)$")


def _tags(cell: NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _columns(text: str) -> int:
    """Width of ``text`` in Latin characters: a Chinese character (and a full-width sign) is as wide as two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _wrapped(text: str, chars: int) -> int:
    return max(1, math.ceil(_columns(text.rstrip()) / chars))


def markdown_height(source: str) -> float:
    """Estimated height in pixels of a Markdown cell on :data:`SCREEN`.

    Examples
    --------
    >>> markdown_height("# A title") > markdown_height("A sentence.")
    True
    """
    height, in_code, previous_blank = _CELL_MARGIN, False, True
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
            height += 10.0
            continue
        if in_code:
            height += _LINE
            continue
        if not stripped:
            previous_blank = True
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        if heading:
            per_line, chars, margin = _HEADINGS.get(len(heading.group(1)), (24.0, 130, 14.0))
            height += per_line * _wrapped(heading.group(2), chars) + margin
        elif stripped.startswith("|"):
            height += 27.0 if not re.match(r"^\|[\s:|-]+\|$", stripped) else 0.0  # the rule row takes no room
        elif stripped.startswith(("<img", "![")):
            height += 300.0
        else:
            list_item = re.match(r"^([*+-]|\d+[.)])\s+", stripped)
            quoted = stripped.startswith(">")
            height += (22.0 if list_item else _LINE) * _wrapped(stripped, _CHARS - (6 if list_item else 0))
            if previous_blank:  # a new paragraph, list or quote: its top margin
                height += 28.0 if quoted else 16.0
        previous_blank = False
    return height


def _png_height(data: str, tallest: float = MAX_PICTURE) -> float:
    """Displayed height of a base64 PNG (its IHDR size, scaled to the slide width if wider)."""
    try:
        head = base64.b64decode(data[:64] + "=" * (-len(data[:64]) % 4))
        width, height = struct.unpack(">II", head[16:24])
    except (ValueError, struct.error):
        return tallest
    return min(tallest, float(height) * min(1.0, (SCREEN[0] - 100) / max(width, 1)))


def _html_height(html: str) -> float:
    rows = len(re.findall(r"<tr\b", html))
    pictures = len(re.findall(r"<img\b", html))
    if "cvm-explorer-snapshot" in html:  # its table and picture side by side
        return 20.0 + max(27.0 * rows, MAX_PICTURE * min(pictures, 1)) + 2 * _LINE * len(re.findall(r"<p\b", html))
    return 20.0 + 27.0 * rows + MAX_PICTURE * pictures + _LINE * len(re.findall(r"<p\b", html))


def outputs_height(outputs: list[NotebookNode]) -> float:
    """Height in pixels of a code cell's actual outputs, as JupyterLab lays them out (the richest view)."""
    height = 0.0
    tallest = _picture_cap(len(outputs))
    for output in outputs:
        if output.get("output_type") == "stream":
            height += _LINE * sum(_wrapped(line, _CODE_CHARS) for line in output.get("text", "").splitlines()) + 8
        elif output.get("output_type") == "error":
            height += _LINE * 12
        else:
            data = output.get("data", {})
            if "image/png" in data:
                height += _png_height(data["image/png"], tallest) + 10
            elif "text/html" in data:
                text = data["text/html"]
                height += _html_height(text if isinstance(text, str) else "".join(text))
            elif "text/plain" in data:
                height += _LINE * len(str(data["text/plain"]).splitlines()) + 8
    return height


def _last_expression(source: str) -> str | None:
    """The source of the cell's last statement if it is an expression Jupyter shows, else None."""
    try:
        body = ast.parse(source).body
    except SyntaxError:  # magics or a placeholder: judge by the last line
        last = source.strip().splitlines()[-1].strip() if source.strip() else ""
        assignment = re.match(r"^[\w.\[\]'\", ]+\s*[-+*/]?=[^=]", last)
        return None if not last or assignment or last.endswith((";", ":")) else last
    if not body or not isinstance(body[-1], ast.Expr) or source.rstrip().endswith(";"):
        return None
    return ast.get_source_segment(source, body[-1]) or ""


def _pictures(source: str) -> int:
    """How many figures a cell draws: one per plotting call, or one for a ``plt.subplots`` grid."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return len(_PLOT_CALL.findall(source))
    names = [node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
             for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, (ast.Attribute, ast.Name))]
    if any(name in {"subplots", "figure"} for name in names):
        return 1
    return sum(1 for name in names if _PLOT_NAME.search(name))


def expected_output_height(source: str) -> float:
    """What a code cell will show when run live, estimated from its code (the workbooks have no outputs).

    Examples
    --------
    >>> expected_output_height("x = 1"), expected_output_height("round(x, 2)")
    (0.0, 40.0)
    >>> expected_output_height('summary.style.format(\\n    precision=1).set_caption("Per segment")')
    300.0
    >>> expected_output_height("rfm_heatmap(scores);") > expected_output_height("rfm_heatmap(a)\\nlorenz_plot(b)") / 2
    True
    """
    if not source.strip():
        return 0.0
    if _WIDGET_CALL.search(source):
        return 460.0  # the explorer's snapshot: settings, then its table beside its chart
    looped = re.search(r"^\s*(for|while)\b", source, re.M) is not None
    prints = len(re.findall(r"\bprint\(", source))
    displays = len(re.findall(r"\bdisplay\(", source))
    pictures = _pictures(source)
    shown = _last_expression(source)
    if shown is not None and (_PLOT_CALL.search(shown) or re.match(r"^(print|display)\(", shown)):
        shown = None  # already counted as a figure or a printed line
    outputs = (1 if prints else 0) + displays + pictures + (shown is not None)
    height = prints * (_LINE * 6 if looped else _LINE) + displays * (240.0 if looped else 150.0)
    height += pictures * (_picture_cap(outputs) + 10)
    if shown is None:
        return height
    if shown.startswith("check("):
        return height + 50.0  # a line of feedback (a second line on a repeated attempt)
    if shown.startswith("progress("):
        return height + 330.0  # this workbook's exercises (and any other checked in the folder)
    if re.search(r"\.style\b|summary|profile|crosstab", shown):
        return height + 300.0  # a styled or summary table: often a row per segment
    if re.search(r"\.(describe|value_counts|head|tail|to_frame|round|sort_values|T)\b|DataFrame|_table\(|\[\[",
                 shown):
        return height + 240.0  # a table
    return height + 40.0  # a number or a short value


def cell_height(cell: NotebookNode) -> float:
    """Estimated height in pixels of ``cell`` on a slide, outputs included (actual, or expected when run).

    Examples
    --------
    >>> code = nbformat.v4.new_code_cell("rfm_heatmap(scores);")
    >>> cell_height(code) > 400  # the figure it will draw when the instructor runs it
    True
    """
    if cell.cell_type == "markdown":
        return markdown_height(cell.source)
    if cell.cell_type != "code":
        return _LINE * len(cell.source.splitlines())
    code = sum(_wrapped(line, _CODE_CHARS) for line in cell.source.splitlines()) or 1
    shown = outputs_height(cell.outputs) if cell.get("outputs") else expected_output_height(cell.source)
    return _CELL_MARGIN + _CODE_PADDING + _LINE * code + shown


def is_explorer(cell: NotebookNode) -> bool:
    """Whether a code cell displays an interactive explorer (a widget of :mod:`cvmlib.widgets`)."""
    return cell.cell_type == "code" and _WIDGET_CALL.search(cell.source) is not None


def _heading_level(cell: NotebookNode) -> int:
    if cell.cell_type != "markdown" or not cell.source.strip():
        return 0
    match = re.match(r"^(#{1,6})\s", cell.source.lstrip().splitlines()[0])
    return len(match.group(1)) if match else 0


def _paragraphs(source: str) -> list[str]:
    """``source`` cut at blank lines outside code fences (the places a long text may be split)."""
    parts: list[str] = []
    current: list[str] = []
    in_code = False
    for line in source.splitlines():
        if line.strip().startswith(("```", "~~~", ":::")):
            in_code = not in_code
        if not line.strip() and not in_code and current:
            parts.append("\n".join(current))
            current = []
        elif line.strip() or current:
            current.append(line)
    if current:
        parts.append("\n".join(current))
    return parts


def _split_markdown(cell: NotebookNode, limit: float) -> list[NotebookNode]:
    """A Markdown cell taller than ``limit`` as several cells, each cut between paragraphs."""
    if markdown_height(cell.source) <= limit:
        return [cell]
    pieces: list[list[str]] = [[]]
    for paragraph in _paragraphs(cell.source):
        if pieces[-1] and markdown_height("\n\n".join([*pieces[-1], paragraph])) > limit:
            pieces.append([])
        pieces[-1].append(paragraph)
    cells = []
    for i, piece in enumerate(pieces):
        part = copy.deepcopy(cell)
        part.source = "\n\n".join(piece)
        if i:  # the rest of the cell: a new cell, with an id derived from the cell's (the same at every build)
            part = nbformat.v4.new_markdown_cell(part.source, metadata=copy.deepcopy(cell.metadata))
            if cell.get("id"):
                part.id = f"{cell.id[:50]}-part{i + 1}"
        cells.append(part)
    return cells


def _groups(cells: list[NotebookNode]) -> Iterator[list[NotebookNode]]:
    """Cells grouped as a prompt and the code that answers it: a group starts at each Markdown cell."""
    group: list[NotebookNode] = []
    for cell in cells:
        if cell.cell_type == "markdown" and group:
            yield group
            group = []
        group.append(cell)
    if group:
        yield group


def slideshow(source: NotebookNode, limit: float = SLIDE_HEIGHT) -> NotebookNode:
    """``source`` with RISE slide types: notes, slides and sub-slides that fit ``limit`` pixels."""
    nb = copy.deepcopy(source)
    cells: list[NotebookNode] = []
    for cell in nb.cells:
        if INSTRUCTOR_TAG in _tags(cell):
            cell.metadata["slideshow"] = {"slide_type": "notes"}
            cells.append(cell)
            continue
        cells.extend(_split_markdown(cell, limit) if cell.cell_type == "markdown" else [cell])
        if is_explorer(cell):
            note = nbformat.v4.new_markdown_cell(_(EXPLORER_NOTE), metadata={
                "tags": [INSTRUCTOR_TAG], "slideshow": {"slide_type": "notes"}})
            if cell.get("id"):
                note.id = f"{cell.id[:50]}-presenting"  # the same at every build
            cells.append(note)
    # one slide per heading; inside it, sub-slides that fit
    slide_cells: list[list[NotebookNode]] = []
    for cell in cells:
        if cell.metadata.get("slideshow", {}).get("slide_type") == "notes":
            if slide_cells:
                slide_cells[-1].append(cell)
            else:
                slide_cells.append([cell])
            continue
        level = _heading_level(cell)
        cell.metadata["slideshow"] = {"slide_type": "slide" if level in (1, 2) else
                                      "subslide" if level == 3 else "-"}
        if level in (1, 2, 3) or not slide_cells:
            slide_cells.append([cell])
        else:
            slide_cells[-1].append(cell)
    for chunk in slide_cells:
        shown = [cell for cell in chunk if cell.metadata["slideshow"]["slide_type"] != "notes"]
        used = 0.0
        for group in _groups(shown):
            group_height = sum(cell_height(cell) for cell in group)
            if used and used + group_height > limit:
                _start_subslide(group[0])  # the whole prompt with its code on the next screen
                used = 0.0
            for i, cell in enumerate(group):
                height = cell_height(cell)
                if used and used + height > limit:
                    _start_subslide(cell)
                    used = 0.0
                used += height
    nb.cells = cells
    nb.metadata["rise"] = {**nb.metadata.get("rise", {}), **RISE_SETTINGS}
    return nb


def _start_subslide(cell: NotebookNode) -> None:
    if cell.metadata["slideshow"]["slide_type"] == "-":
        cell.metadata["slideshow"]["slide_type"] = "subslide"


@dataclass(frozen=True)
class Slide:
    """One screen of the slideshow: its cells (indices into the notebook) and its speaker notes."""

    cells: tuple[int, ...]
    notes: tuple[int, ...]
    height: float


def slides(nb: NotebookNode) -> list[Slide]:
    """The screens RISE shows for ``nb`` (every slide and sub-slide), with their estimated heights.

    Examples
    --------
    >>> nb = slideshow(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## A"),
    ...                                                nbformat.v4.new_markdown_cell("## B")]))
    >>> [s.cells for s in slides(nb)]
    [(0,), (1,)]
    """
    screens: list[tuple[list[int], list[int]]] = []
    for i, cell in enumerate(nb.cells):
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")
        if kind in ("slide", "subslide") or not screens:
            screens.append(([], []))
        if kind == "notes":
            screens[-1][1].append(i)
        elif kind != "skip":
            screens[-1][0].append(i)
    return [Slide(tuple(cells), tuple(notes), sum(cell_height(nb.cells[i]) for i in cells))
            for cells, notes in screens]


def slide_heights(nb: NotebookNode) -> list[float]:
    """The estimated height of every screen of ``nb``, in pixels."""
    return [slide.height for slide in slides(nb)]
