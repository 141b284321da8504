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

The same plan also makes static decks (``tools/build_slides.py``, ``make slides``): :func:`export_deck`
turns an executed, planned instructor workbook into a reveal.js 5 HTML page through nbconvert's
``SlidesExporter`` with its own template (every script, stylesheet and font from a relative ``vendor/``
folder beside the decks, none from a CDN), the planned 1280 x 720 screen, the notes cells as reveal's
speaker notes (key ``S``: the speaker view, its labels in the deck's language), each explorer as its
snapshot (:func:`static_outputs`) and each solution, with the checks that run it, one key press after
its prompt (:func:`solution_fragments`: the room tries first, the answer comes at the debrief).
:func:`index_page` lists the built decks, each language's part in that language.

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
import html
import math
import re
import struct
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode

from cvmlib.i18n import LANGUAGE_NAMES, N_, _, language

__all__ = ["SCREEN", "SLIDE_HEIGHT", "RISE_SETTINGS", "EXPLORER_NOTE", "INSTRUCTOR_TAG", "cell_height",
           "is_explorer", "slideshow", "slides", "slide_heights", "Slide",
           # export: static reveal.js decks
           "ASSETS", "REVEAL", "FONT_CSS", "MATHJAX", "REVEAL_CONFIG", "DECK_EXPLORER_NOTE", "SPEAKER_VIEW_TEXTS",
           "SPEAKER_VIEW_PAIR", "deck_font_family", "static_outputs",
           "solution_fragments", "presentable", "needs_math", "deck_title", "deck_css", "export_deck", "Deck",
           "deck_of", "index_page"]

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
    """``source`` with RISE slide types: notes, slides and sub-slides that fit ``limit`` pixels.

    Planning a planned notebook again (for instance once it is executed, so that its real outputs
    are measured) changes only what the new heights change; it adds no second note.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## Explorer"),
    ...                                      nbformat.v4.new_code_cell("rfm_explorer(rfm)")])
    >>> once = slideshow(nb)
    >>> [cell.metadata["slideshow"]["slide_type"] for cell in once.cells]
    ['slide', '-', 'notes']
    >>> slideshow(once).cells == once.cells
    True
    """
    nb = copy.deepcopy(source)
    cells: list[NotebookNode] = []
    for position, cell in enumerate(nb.cells):
        if INSTRUCTOR_TAG in _tags(cell):
            cell.metadata["slideshow"] = {"slide_type": "notes"}
            cells.append(cell)
            continue
        cells.extend(_split_markdown(cell, limit) if cell.cell_type == "markdown" else [cell])
        if is_explorer(cell) and not _presenting_note_follows(nb.cells, position):
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


def _presenting_note_follows(cells: list[NotebookNode], position: int) -> bool:
    """Whether the explorer at ``position`` already has its presenting note (a notebook planned before).

    Planning again (the export plans an executed notebook by its actual outputs) must not add a second note.
    """
    if position + 1 >= len(cells):
        return False
    following, explorer = cells[position + 1], cells[position]
    if INSTRUCTOR_TAG not in _tags(following):
        return False
    if explorer.get("id") and following.get("id"):
        return bool(following.id == f"{explorer.id[:50]}-presenting")
    return bool(following.source == _(EXPLORER_NOTE))


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


# ---------------------------------------------------------------------------------------------
# Export: a reveal.js deck of an executed instructor workbook, presented offline
# ---------------------------------------------------------------------------------------------

#: Where a deck finds its assets, relative to the slides' root (``_build/slides/``): reveal.js,
#: the CJK web font and, for a deck with formulas, MathJax (the book's vendored copies).
ASSETS = "vendor"
REVEAL = "reveal.js"
FONT_CSS = "fonts/noto-sans-sc/noto-sans-sc.css"
MATHJAX = "mathjax/tex-chtml.js"
SOLUTION_TAG = "solution"
#: A code cell that runs a check on the answer just above it (shown together with the solution).
_CHECK_CALL = re.compile(r"^\s*check\(")
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# TeX as pandoc reads it: "$" right before a non-space, the closing "$" right after one and not before a digit
_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?=\S)[^$\n]*?(?<=\S)\$(?!\d)|\\\(|\\\[", re.S)

#: The speaker note after an explorer in an exported deck (the snapshot is already on the slide).
DECK_EXPLORER_NOTE = N_("**Presenting the explorer.** The slide shows a snapshot of the explorer in its default "
                        "state. For the live what-if demo, open the workbook in JupyterLab, run this cell and move "
                        "the sliders there, then come back to the slides.")
#: Said in a static deck where a widget without a snapshot was displayed.
WIDGET_ONLY = N_("(An interactive widget: run this cell in the notebook view to use it.)")
#: The labels of reveal.js's speaker view (``plugin/notes/notes.js`` 5.2.1, verbatim), translated in the
#: popup window by the deck itself (the plugin has no language setting).
SPEAKER_VIEW_TEXTS = (N_("reveal.js - Speaker View"), N_("Loading speaker view..."), N_("Upcoming"), N_("Time"),
                      N_("Click to Reset"), N_("Pacing – Time to finish current slide"), N_("Notes"), N_("Layout"),
                      N_("Default"), N_("Wide"), N_("Tall"), N_("Notes only"))
#: How the speaker view writes a label and its value ("Layout: Default").
SPEAKER_VIEW_PAIR = N_("{label}: {value}")
#: The ``<title>`` of a deck.
DECK_TITLE = N_("{title} (slides)")

#: reveal.js settings of an exported deck: the screen the slides were planned for, RISE's choices.
REVEAL_CONFIG: dict[str, object] = {
    "width": SCREEN[0],
    "height": SCREEN[1],
    "margin": 0.0,  # the planned 1280 x 720 is the whole screen; reveal scales it to other screens
    "minScale": 0.2,
    "maxScale": 2.5,
    "center": RISE_SETTINGS["center"],
    "transition": RISE_SETTINGS["transition"],
    "controls": True,
    "progress": True,
    "slideNumber": "c/t",
    "hash": True,  # the address names the slide: a reload (or a second browser) opens the same one
    "showNotes": False,
}

# The slides' look: JupyterLab's own sizes (14 px text, 13 px code, as RISE presents and as the
# heights of the planner were measured), no prompts, RISE's overlay, the vendored CJK font (first in a
# Chinese deck, as in the book; in an English deck right after the theme's Latin web font), a solution
# hidden until the next key press, and a scroll bar as the last resort for an output taller than planned.
_SOURCE_SANS, _SYSTEM = '"Source Sans Pro"', "Helvetica, Arial"
_LATIN = f"{_SOURCE_SANS}, {_SYSTEM}"
_SOURCE_SANS_CSS = "dist/theme/fonts/source-sans-pro/source-sans-pro.css"  # below reveal.js/: the theme's font
_CJK = '"Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC"'
_CSS = """
:root:root {{
  --jp-ui-font-size1: 13px; --jp-content-font-size1: 14px; --jp-code-font-size: 13px;
  --jp-content-font-family: {text}; --jp-ui-font-family: {text};
  --jp-code-font-family: Menlo, Consolas, "DejaVu Sans Mono", {cjk}, monospace;
  --r-main-font: {text}; --r-heading-font: {text}; --r-main-font-size: 14px;
  --r-code-font: var(--jp-code-font-family);
}}
body .reveal .slides {{ text-align: left; }}
body .reveal .slides section {{ padding: 6px 28px 0; box-sizing: border-box; }}
body .reveal .slides > section, body .reveal .slides > section > section {{ max-height: 100%; overflow-y: auto; }}
body .reveal .slides section.stack {{ padding: 0; overflow: visible; }}
body .reveal .jp-RenderedHTMLCommon {{ font-size: var(--jp-content-font-size1); }}
body .reveal .jp-RenderedHTMLCommon h1 {{ font-size: 2.4em; }}
body .reveal .jp-RenderedHTMLCommon h2 {{ font-size: 1.6em; }}
body .reveal .jp-RenderedHTMLCommon h3 {{ font-size: 1.35em; }}
body .reveal pre, body .reveal code, body .reveal .jp-OutputArea-output pre {{ font-family: var(--jp-code-font-family); }}
body .reveal .jp-InputPrompt, body .reveal .jp-OutputPrompt {{ display: none; }}
body .reveal .fragment.cvm-solution {{ display: block; }}
{overlay}
"""

_TEMPLATE_NAME = "cvm_slides.html.j2"
# nbconvert's reveal template (index.html.j2) with its <head> and its script replaced: the original
# loads jQuery, require.js and Mermaid from CDNs and calls MathJax 2's API; here every file comes
# from the deck's own folder and reveal.js starts without a module loader.
_TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block header -%}
<!DOCTYPE html>
<html lang="{{ resources.language_code }}">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{{ resources.cvm.title | escape_html }}</title>
<link rel="stylesheet" href="{{ resources.reveal.url_prefix }}/dist/reveal.css">
{% for css in resources.inlining.css -%}
<style type="text/css">
{{ css }}
</style>
{% endfor %}
{{ resources.include_css("static/index.css") }}
{{ resources.include_css("static/theme-light.css") }}
{{ resources.include_css("static/custom_reveal.css") }}
<link rel="stylesheet" href="{{ resources.reveal.url_prefix }}/dist/theme/{{ resources.reveal.theme }}.css" id="theme">
<link rel="stylesheet" href="{{ resources.cvm.font_css }}">
<style type="text/css" id="cvm-slides">
{{ resources.cvm.css }}
</style>
{%- if resources.cvm.mathjax_url %}
<script>
window.MathJax = {tex: {inlineMath: [["$", "$"], ["\\(", "\\)"]], displayMath: [["$$", "$$"], ["\\[", "\\]"]],
                        processEscapes: true},
                  options: {ignoreHtmlClass: "jp-OutputArea-output"}};
</script>
<script defer src="{{ resources.cvm.mathjax_url }}"></script>
{%- endif %}
</head>
{%- endblock header -%}

{% block codecell %}
{%- if cell.metadata.get('cvm_fragment') in ('start', 'both') -%}
<div class="fragment cvm-solution">
{%- endif -%}
{{ super() }}
{%- if cell.metadata.get('cvm_fragment') in ('end', 'both') -%}
</div>
{%- endif -%}
{% endblock codecell %}

{% block footer_js %}
<script src="{{ resources.reveal.url_prefix }}/dist/reveal.js"></script>
<script src="{{ resources.reveal.url_prefix }}/plugin/notes/notes.js"></script>
<script>
Reveal.initialize(Object.assign({{ resources.cvm.reveal | json_dumps }}, {plugins: [RevealNotes]}));
</script>
<script>
// The speaker view (key S) is a popup the notes plugin writes itself, in English and in Helvetica: give it
// the deck's web fonts (a machine without a CJK font shows the notes' Chinese as boxes otherwise) and
// translate its labels, now and whenever the popup redraws them (layout menu, clock).
(function (view) {
  var texts = view.texts, open = window.open;
  function has(key) { return Object.prototype.hasOwnProperty.call(texts, key) && texts[key] !== key; }
  function translated(text) {
    if (has(text)) return texts[text];
    var parts = text.split(": ");  // "Layout: Default"
    return parts.length === 2 && has(parts[0]) && has(parts[1]) ?
      view.pair.replace("{label}", texts[parts[0]]).replace("{value}", texts[parts[1]]) : text;
  }
  function translate(doc) {
    var walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT), node, key, shown;
    while ((node = walker.nextNode())) {
      key = node.nodeValue.trim();
      shown = key && translated(key);
      if (shown && shown !== key) node.nodeValue = node.nodeValue.replace(key, shown);  // a change wakes the observer
    }
    if (has(doc.title)) doc.title = texts[doc.title];
  }
  function dress(doc) {
    view.fonts.forEach(function (href) {
      var link = doc.createElement("link");
      link.rel = "stylesheet";
      link.href = new URL(href, window.location.href).href;
      doc.head.appendChild(link);
    });
    var style = doc.createElement("style");
    style.textContent = "body, #speaker-controls, .speaker-controls-notes .value { font-family: " + view.family + "; }";
    doc.head.appendChild(style);
  }
  window.open = function (url, name) {
    var popup = open.apply(window, arguments), tries = 0;
    if (!popup || name !== "reveal.js - Notes") return popup;
    var timer = setInterval(function () {
      var doc = popup.closed ? null : popup.document;
      if (doc && doc.body && doc.getElementById("speaker-controls")) {
        clearInterval(timer);
        dress(doc);
        translate(doc);
        new popup.MutationObserver(function () { translate(doc); })
          .observe(doc.body, {subtree: true, childList: true, characterData: true});
      } else if (!doc || ++tries > 200) {
        clearInterval(timer);
      }
    }, 25);
    return popup;
  };
})({{ resources.cvm.speaker_view | json_dumps }});
</script>
{% endblock footer_js %}
"""


def static_outputs(nb: NotebookNode) -> NotebookNode:
    """``nb`` for a page without a kernel: each widget shows its snapshot, widget state is dropped.

    An explorer (:class:`cvmlib.widgets.views.ExplorerBox`) offers a ``text/html`` snapshot beside its
    widget view: the snapshot is kept and the view dropped (without a kernel the view would be an
    empty box). A widget without a snapshot says where to use it (:data:`WIDGET_ONLY`). ``nb`` is
    not changed.

    Examples
    --------
    >>> cell = nbformat.v4.new_code_cell("rfm_explorer(rfm)", outputs=[nbformat.v4.new_output(
    ...     "display_data", data={_WIDGET_VIEW: {"model_id": "1"}, "text/html": "<p>snapshot</p>",
    ...                           "text/plain": "ExplorerBox(...)"})])
    >>> sorted(static_outputs(nbformat.v4.new_notebook(cells=[cell])).cells[0].outputs[0].data)
    ['text/html', 'text/plain']
    """
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if _WIDGET_VIEW not in data:
                continue
            del data[_WIDGET_VIEW]
            if "text/html" not in data:
                output.data = nbformat.from_dict({"text/plain": _(WIDGET_ONLY)})
    return nb


def solution_fragments(nb: NotebookNode) -> list[list[int]]:
    """The runs of cells shown one key press after the rest of their screen: a solution and its checks.

    Each run starts at a solution cell (tag ``solution``) and takes the ``check(...)`` cells right
    after it on the same screen, so the room sees the prompt first and the answer with its "Correct"
    when the instructor moves on.

    Examples
    --------
    >>> nb = slideshow(nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("### Exercise 1"),
    ...     nbformat.v4.new_code_cell("k = 3", metadata={"tags": ["solution"]}),
    ...     nbformat.v4.new_code_cell('check("rfm.k", k)'),
    ...     nbformat.v4.new_code_cell("k + 1")]))
    >>> solution_fragments(nb)
    [[1, 2]]
    """
    runs: list[list[int]] = []
    for i, cell in enumerate(nb.cells):
        if SOLUTION_TAG in _tags(cell) and cell.cell_type == "code":
            runs.append([i])
        elif (runs and runs[-1][-1] == i - 1 and cell.cell_type == "code" and _CHECK_CALL.match(cell.source)
              and _kind(cell) == "-"):
            runs[-1].append(i)
    return runs


def _kind(cell: NotebookNode) -> str:
    return str(cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-"))


def presentable(nb: NotebookNode) -> NotebookNode:
    """A planned (:func:`slideshow`), executed notebook made ready for a static deck (``nb`` is not changed).

    Widgets become their snapshots (:func:`static_outputs`) and each solution with its checks is a
    fragment (:func:`solution_fragments`): the room sees the prompt, the solution comes on the next
    key press. The screens (:func:`slides`) stay those planned.

    Examples
    --------
    >>> nb = slideshow(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("### Exercise 1"),
    ...     nbformat.v4.new_code_cell("k = 3", metadata={"tags": ["solution"]}),
    ...     nbformat.v4.new_code_cell('check("rfm.k", k)')]))
    >>> [cell.metadata.get("cvm_fragment") for cell in presentable(nb).cells]
    [None, 'start', 'end']
    """
    nb = static_outputs(nb)
    live_note = _(EXPLORER_NOTE)
    for cell in nb.cells:
        if _kind(cell) == "notes" and (cell.source == live_note or str(cell.get("id", "")).endswith("-presenting")):
            cell.source = _(DECK_EXPLORER_NOTE)  # the live note says to run the cell: here it has run
    for run in solution_fragments(nb):
        first, last = nb.cells[run[0]], nb.cells[run[-1]]
        first.metadata["cvm_fragment"] = "both" if len(run) == 1 else "start"
        if len(run) > 1:
            last.metadata["cvm_fragment"] = "end"
    return nb


def needs_math(nb: NotebookNode) -> bool:
    """Whether a Markdown cell of ``nb`` holds TeX math (``$...$``, ``$$...$$``, ``\\(...\\)``).

    >>> needs_math(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("CLV $= m r$")]))
    True
    >>> needs_math(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Costs 5 $ or 6 $.")]))
    False
    """
    return any(cell.cell_type == "markdown" and _MATH.search(cell.source.replace("\\$", "")) for cell in nb.cells)


def deck_title(nb: NotebookNode) -> str:
    """The title of the deck: the workbook's ``#`` heading, without Markdown.

    >>> deck_title(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# RFM *workbook*\\n\\nText")]))
    'RFM workbook'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if match:
                return re.sub(r"[*_`]", "", match.group(1)).strip()
    return str(nb.metadata.get("title", ""))


def deck_font_family(lang: str) -> str:
    """The font stack of a deck's text in ``lang``: the vendored web fonts before any system family.

    Chromium on a machine without a CJK font draws boxes for the Chinese of a stack that names a system
    family (Helvetica, Arial) before Noto Sans SC; Chinese decks put Noto Sans SC first, as the book does.

    >>> deck_font_family("zh").split(",")[0], deck_font_family("en").split(",")[:2]
    ('"Noto Sans SC"', ['"Source Sans Pro"', ' "Noto Sans SC"'])
    """
    return f"{_CJK}, {_LATIN}, sans-serif" if lang == "zh" else f"{_SOURCE_SANS}, {_CJK}, {_SYSTEM}, sans-serif"


def deck_css(lang: str) -> str:
    """The stylesheet a deck in ``lang`` adds after reveal's theme (fonts, sizes, RISE's overlay).

    >>> '"Noto Sans SC"' in deck_css("zh").split("--jp-content-font-family:")[1].split(",")[0]
    True
    """
    text = deck_font_family(lang)
    overlay = re.sub(r"</?style>", "", str(RISE_SETTINGS["overlay"]))
    return _CSS.format(text=text, cjk=_CJK, overlay=overlay.replace(".reveal ", "body .reveal "))


def export_deck(nb: NotebookNode, lang: str, assets: str = f"../{ASSETS}") -> str:
    """The reveal.js HTML deck of ``nb`` (planned by :func:`slideshow`, executed), presented offline.

    ``assets`` is the address of the assets folder seen from the deck (relative, so the deck works
    from ``file://`` and from any folder it is copied to with its ``vendor/``). Speaker notes are the
    notes cells (reveal's notes plugin: key ``S`` opens the speaker view); solutions come one key
    press after their prompt (:func:`presentable`); MathJax is loaded only by a deck with formulas.

    Examples
    --------
    >>> nb = slideshow(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"),
    ...     nbformat.v4.new_markdown_cell("Say hello.", metadata={"tags": ["instructor"]})]))
    >>> page = export_deck(nb, "en")
    >>> '<aside class="notes">' in page, '<script src="../vendor/reveal.js/plugin/notes/notes.js">' in page
    (True, True)
    >>> re.findall(r'(?:src|href)="(?:[a-z]+:)?//[^"]*', page)  # nothing from another host
    []
    """
    from nbconvert import SlidesExporter  # here: importing nbconvert takes a second the planner never needs
    from jinja2 import DictLoader

    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    with language(lang):  # the notes it writes, its title and the speaker view's labels
        shown = presentable(nb)
        title = _(DECK_TITLE).format(title=deck_title(shown))
        # only real translations: the popup's observer re-runs on every change it makes
        speaker_texts = {text: _(text) for text in SPEAKER_VIEW_TEXTS if _(text) != text}
        pair = _(SPEAKER_VIEW_PAIR)
    exporter = SlidesExporter(extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})], template_file=_TEMPLATE_NAME,
                              reveal_url_prefix=f"{assets}/{REVEAL}", reveal_theme=str(RISE_SETTINGS["theme"]),
                              language_code=lang, exclude_input_prompt=True, exclude_output_prompt=True,
                              exclude_anchor_links=True)
    resources = {"cvm": {"title": title, "css": deck_css(lang), "font_css": f"{assets}/{FONT_CSS}",
                         "mathjax_url": f"{assets}/{MATHJAX}" if needs_math(shown) else "",
                         "reveal": REVEAL_CONFIG,
                         "speaker_view": {"texts": speaker_texts, "pair": pair, "family": deck_font_family(lang),
                                          "fonts": [f"{assets}/{REVEAL}/{_SOURCE_SANS_CSS}", f"{assets}/{FONT_CSS}"]}},
                 "metadata": {"name": title}}
    page, _resources = exporter.from_notebook_node(shown, resources=resources)
    return str(page)


# ---------------------------------------------------------------------------------------------
# The index page of the built decks
# ---------------------------------------------------------------------------------------------

INDEX_TITLE = N_("Course slides")
INDEX_HEADING = N_("{language}: {title}")
INDEX_INTRO = N_("One deck per chapter workbook, made from the executed instructor workbook. The decks present "
                 "offline from this folder: open one in a browser, no server and no network needed (copy the "
                 "whole folder, with its vendor/ subfolder, to present from another computer).")
INDEX_KEYS = N_("Keys: Space or → next, ← back, S speaker view (notes, next slide, timer), F full screen, "
                "Esc all slides, B black screen.")
INDEX_SOLUTIONS = N_("Instructor material: each solution appears one key press after its prompt. Do not hand these "
                     "files to participants.")
DECK_FACTS = N_("{screens} slides · speaker notes on {noted} · {solutions} solutions")


@dataclass(frozen=True)
class Deck:
    """A built deck as the index page lists it."""

    lang: str
    name: str
    title: str
    href: str
    screens: int
    noted: int
    solutions: int


def deck_of(nb: NotebookNode, lang: str, name: str, href: str) -> Deck:
    """The index entry of the deck exported from the planned notebook ``nb``.

    >>> nb = slideshow(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# RFM"),
    ...     nbformat.v4.new_markdown_cell("Notes.", metadata={"tags": ["instructor"]}),
    ...     nbformat.v4.new_markdown_cell("## Next")]))
    >>> deck_of(nb, "en", "rfm", "en/rfm.slides.html")
    Deck(lang='en', name='rfm', title='RFM', href='en/rfm.slides.html', screens=2, noted=1, solutions=0)
    """
    screens = slides(nb)
    return Deck(lang, name, deck_title(nb), href, len(screens), sum(bool(s.notes) for s in screens),
                len(solution_fragments(nb)))


def index_page(decks: list[Deck], assets: str = ASSETS) -> str:
    """The page listing ``decks`` per language, each language's part in that language.

    A static page (no script), relative links (it works from ``file://``), the vendored CJK font for
    its Chinese.

    Examples
    --------
    >>> page = index_page([Deck("zh", "rfm", "RFM 练习册", "zh/rfm.slides.html", 30, 4, 9)])
    >>> '<a href="zh/rfm.slides.html">RFM 练习册</a>' in page, "30 张幻灯片" in page
    (True, True)
    """
    parts = []
    for lang in ("en", "zh"):
        mine = [deck for deck in decks if deck.lang == lang]
        if not mine:
            continue
        with language(lang):
            items = "\n".join(
                f'<li><a href="{html.escape(deck.href)}">{html.escape(deck.title)}</a>'
                f'<span class="facts">{html.escape(_(DECK_FACTS).format(screens=deck.screens, noted=deck.noted, solutions=deck.solutions))}</span></li>'
                for deck in mine)
            parts.append(
                f'<section lang="{_HTML_LANG[lang]}">\n<h2>'
                f'{html.escape(_(INDEX_HEADING).format(language=_(LANGUAGE_NAMES[lang]), title=_(INDEX_TITLE)))}'
                f'</h2>\n<p>{html.escape(_(INDEX_INTRO))}</p>\n'
                f'<p class="keys">{html.escape(_(INDEX_KEYS))}</p>\n'
                f'<p class="warning">{html.escape(_(INDEX_SOLUTIONS))}</p>\n<ul>\n{items}\n</ul>\n</section>')
    titles = []
    for lang in ("en", "zh"):
        with language(lang):
            titles.append(_(INDEX_TITLE))
    return f"""<!DOCTYPE html>
<html lang="{_HTML_LANG['en' if decks and all(d.lang == 'en' for d in decks) else 'zh']}">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{html.escape(" · ".join(dict.fromkeys(titles)))}</title>
<link rel="stylesheet" href="{html.escape(assets)}/{FONT_CSS}" />
<style>
  body {{ margin: 0; background: #f6f7f9; color: #222; }}
  [lang|="zh"] {{ font-family: {_CJK}, system-ui, sans-serif; }}
  [lang="en"] {{ font-family: system-ui, -apple-system, "Segoe UI", Arial, {_CJK}, sans-serif; }}
  main {{ max-width: 50rem; margin: 0 auto; padding: 2rem 1.25rem; }}
  section {{ margin-bottom: 2.5rem; }}
  h2 {{ font-size: 1.35rem; margin: 0 0 0.75rem; }}
  ul {{ list-style: none; margin: 1rem 0 0; padding: 0; display: grid; gap: 0.6rem; }}
  li {{ padding: 0.7rem 1rem; border: 1px solid #d0d4da; border-radius: 0.5rem; background: #fff; }}
  li a {{ font-size: 1.1rem; font-weight: 600; color: #0a7d91; text-decoration: none; }}
  .facts {{ display: block; font-size: 0.85rem; color: #555; margin-top: 0.2rem; }}
  .keys {{ font-size: 0.9rem; color: #444; }}
  .warning {{ font-size: 0.9rem; color: #8a4b00; }}
</style>
</head>
<body>
<main>
{chr(10).join(parts)}
</main>
</body>
</html>
"""


_HTML_LANG = {"en": "en", "zh": "zh-CN"}
