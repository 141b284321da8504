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

Both exist in each language of the course, from the same English source notebooks:

* English: ``_build/workbooks/participant/NAME.ipynb``, ``_build/workbooks/instructor/NAME.ipynb``,
  merged into ``workspace/en/`` (``make lab``);
* Chinese: ``_build/workbooks/participant/zh/NAME.ipynb``, ``_build/workbooks/instructor/zh/NAME.ipynb``,
  merged into ``workspace/zh/`` (``make lab-zh``).

A Chinese workbook is the English source with the book's own translations applied
(:func:`localized_source`): each Markdown block (paragraph, heading, list item, table cell) whose
text is a message of the Sphinx gettext catalog ``locales/zh_CN/LC_MESSAGES/notebooks/NAME.po``
gets its translation (:func:`cvmlib.myst_text.translate_notebook`); code (but for the language line below), cell ids, tags and
metadata stay those of the source, so the book, the workbooks and the workspace merge all match
cells by the same ids. Blocks without a translation stay English and are reported
(:func:`untranslated_blocks`; ``main`` prints a warning listing them). Its code speaks Chinese: the
first code cell that imports ``cvmlib`` (never a solution cell) starts with
``from cvmlib import set_language`` / ``set_language("zh")`` (:func:`set_workbook_language`), so every
check, table and figure of the workbook is in Chinese from the first cell on, whichever way
JupyterLab was started. The texts the generator itself writes (``# YOUR CODE HERE``, the speaker
notes of the slides, admonition titles) are in the workbook's language too.

No-code workbooks
-----------------
For participants who do not program, the workbooks of :data:`NO_CODE_WORKBOOKS` (the communication and
complaint chapters) also get a **no-code** version (:func:`no_code_version`), derived from the same
source: the Markdown is kept; every code cell is kept with its source hidden
(``metadata.jupyter.source_hidden``: JupyterLab shows only its output, a click on the dots shows the
code); each exercise with an answer form (``Exercise.form``, :mod:`cvmlib.forms`) has its solution
cells replaced by one ``answer_form("<id>")`` cell (:func:`cvmlib.widgets.answer_form`: the form and a
Check button calling the same check) and its check cell removed; every other exercise is shown as a
*worked example*: its solution cells stay (code hidden, result shown, with a one-line note saying
so) and its check cell goes, because later questions read its results and a check the participant
did not make must not appear in their progress. A first Markdown cell says to run all cells and
answer in the forms; the progress table lists the exercises with a form. No solution of an
exercise with a form is left in the file (verified). The no-code workbooks are written to
``_build/workbooks/participant/no-code/`` (Chinese: ``.../participant/zh/no-code/``) and merged, with
the same three-way merge as the others, into ``workspace/<lang>/no-code/``; a form's answers live in
the kernel, not in the file, and the checks are logged in ``workspace/<lang>/no-code/.cvm/progress.jsonl``
(the log is written beside the workbook that runs).

These derived files below ``_build/workbooks/`` are disposable (``make clean`` deletes them) and
never hand-edited; one that was edited anyway is not overwritten but kept beside as
``NAME.edited-<UTC time>.ipynb``. Participants work in their workspace, ``workspace/<lang>/``, which
``main`` (``make workbooks``) updates by merging each new participant version into the learner's copy
(:mod:`cvmlib.workspace`).

Usage: ``python -m cvmlib.workbooks [--src notebooks] [--out _build/workbooks] [--workspace workspace]
[--lang en [zh]] [--locales locales]``

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
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from cvmlib.forms import form_of
from cvmlib.i18n import LANGUAGE_NAMES, N_, _, language
from cvmlib.myst_text import (BookIndex, UntranslatedBlock, notebook_catalog, render_notebook_markdown,
                              translate_notebook)
from cvmlib.slides import slideshow
from cvmlib.solutions import CHECK_CALL
from cvmlib.workspace import LANGUAGES, STAMP_FORMAT, update_workspace

SOLUTION_TAG = "solution"
INSTRUCTOR_TAG = "instructor"
# tags that only make sense in the book rendering
BOOK_ONLY_TAGS = {"hide-input", "hide-output", "hide-cell", "remove-cell", "remove-input"}
#: The comment after a placeholder (in the workbook's language).
YOUR_CODE = N_("YOUR CODE HERE")
#: The id of the setup cell added to a translated workbook whose code never imports cvmlib.
LANGUAGE_CELL_ID = "cvm-language"
#: The lines that make a workbook's code speak its language (start of its first cvmlib code cell).
LANGUAGE_SETUP = 'from cvmlib import set_language\nset_language("{lang}")  # {comment}\n'
LANGUAGE_COMMENT = N_("checks, tables and figures in the language of this workbook")
_IMPORTS_CVMLIB = re.compile(r"^\s*(from\s+cvmlib[\s.]|import\s+cvmlib\b)", re.M)

#: The source notebooks that also get a no-code version (most of their exercises have an answer form).
NO_CODE_WORKBOOKS = ("communication_workbook.ipynb", "complaints_workbook.ipynb")
#: The folder of the no-code workbooks, below the participant folder and the workspace folder of a language.
NO_CODE_FOLDER = "no-code"
NO_CODE_INTRO_ID = "cvm-no-code-intro"
#: The first cell of a no-code workbook (in the workbook's language).
NO_CODE_INTRO = N_(
    "**No code needed.** This is the no-code version of the workbook: you answer every question in a form "
    "(choices, menus, text boxes), without writing Python.\n\n"
    "1. First run all cells: menu **{run} > {run_all}**. Wait until the forms appear.\n"
    "2. Read down the page. Under each question, fill in the form and press **{check}**: the feedback says "
    "whether you are right or gives a hint; after the third try a **{show_solution}** button appears.\n"
    "3. The steps marked *worked example* are computed for you: read their results, the questions after "
    "them use them.\n\n"
    "The text below was written for those who code too: where it says to replace `...`, to run `check(...)` or "
    "`solution(...)`, or how to give an answer in Python (a string, a set, a dict), ignore that: the form does "
    "it for you. The grey cells with three dots hold the code; you do not need it. What you fill in is not "
    "saved in the workbook, but every check is recorded in your progress (the table at the end).")
#: The menu and button names the intro cell quotes: JupyterLab's own words in each language.
LAB_MENU = {"en": ("Run", "Run All Cells"), "zh": ("运行", "运行所有单元格")}
#: The note before the result of an exercise shown as a worked example.
WORKED_EXAMPLE = N_("*Worked example:* the result below is computed for you (the code is hidden). Read it: the "
                    "questions that follow use it.")
#: The progress table of a no-code workbook: the exercises it asks, listed even when not tried yet.
NO_CODE_PROGRESS = "from cvmlib.progress import progress as progress_table\n\nprogress_table({ids!r})"
ANSWER_FORM_CELL = 'from cvmlib.widgets import answer_form\n\nanswer_form("{exercise}")'


def _tags(cell: NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _clear(cell: NotebookNode) -> NotebookNode:
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    return cell


def _placeholder(cell: NotebookNode) -> str:
    text = cell.get("metadata", {}).get("cvm", {}).get("placeholder", "...")
    return f"{text.rstrip()}  # {_(YOUR_CODE)}"


def set_workbook_language(nb: NotebookNode, lang: str) -> NotebookNode:
    """Make the code of ``nb`` speak ``lang``: ``set_language`` at the top of its first cvmlib code cell.

    The cell chosen is the first code cell that imports ``cvmlib`` and is not a solution (solutions
    become placeholders); without one, a code cell with the id :data:`LANGUAGE_CELL_ID` is put
    before the first code cell. English workbooks are left as they are (English is the default).

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"),
    ...     nbformat.v4.new_code_cell("from cvmlib.exercises import check", id="setup")])
    >>> print(set_workbook_language(nb, "zh").cells[1].source)  # doctest: +ELLIPSIS
    from cvmlib import set_language
    set_language("zh")  # ...
    from cvmlib.exercises import check
    """
    if lang == "en":
        return nb
    with language(lang):
        setup = LANGUAGE_SETUP.format(lang=lang, comment=_(LANGUAGE_COMMENT))
    for cell in nb.cells:
        if cell.cell_type == "code" and SOLUTION_TAG not in _tags(cell) and _IMPORTS_CVMLIB.search(cell.source):
            if not cell.source.startswith(setup):
                cell.source = setup + cell.source
            return nb
    first = next((i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"), len(nb.cells))
    nb.cells.insert(first, nbformat.v4.new_code_cell(setup.rstrip("\n"), id=LANGUAGE_CELL_ID))
    return nb


def localized_source(source: NotebookNode, lang: str, name: str,
                     locale_dir: Path | None = None) -> tuple[NotebookNode, list[UntranslatedBlock]]:
    """The source notebook in ``lang``: Markdown translated by the book's catalog of ``name``, code set to ``lang``.

    Returns the new notebook (``source`` is not changed) and the Markdown blocks that stay English
    for want of a translation (none for ``"en"``). ``locale_dir`` defaults to the book's ``locales/``.
    """
    nb = copy.deepcopy(source)
    if lang == "en":
        return nb, []
    nb, missing = translate_notebook(nb, notebook_catalog(name, lang, locale_dir), name)
    set_workbook_language(nb, lang)
    nb.metadata.setdefault("cvm", {})["lang"] = lang
    return nb, missing


def untranslated_blocks(src: Path = Path("notebooks"), lang: str = "zh", locale_dir: Path | None = None,
                        instructor: bool = True) -> list[UntranslatedBlock]:
    """Every Markdown block of the notebooks in ``src`` that has no ``lang`` translation yet.

    ``instructor=False`` leaves out the instructor notes (which only the instructor workbooks show).
    Once the translators are done this is empty: a test can assert it.
    """
    found: list[UntranslatedBlock] = []
    for path in sorted(Path(src).glob("*.ipynb")):
        _, missing = localized_source(nbformat.read(path, as_version=4), lang, path.name, locale_dir)
        found += [block for block in missing if instructor or not block.instructor]
    return found


def workbook_dirs(out: Path, lang: str = "en") -> tuple[Path, Path]:
    """The participant and instructor folders of ``lang`` below ``out`` (English directly, others in ``<lang>/``)."""
    participant, instructor = Path(out) / "participant", Path(out) / "instructor"
    return (participant, instructor) if lang == "en" else (participant / lang, instructor / lang)


def no_code_dir(out: Path, lang: str = "en") -> Path:
    """The folder of the no-code workbooks of ``lang`` below ``out``: ``participant[/<lang>]/no-code``.

    >>> no_code_dir(Path("_build/workbooks"), "zh").as_posix()
    '_build/workbooks/participant/zh/no-code'
    """
    return workbook_dirs(out, lang)[0] / NO_CODE_FOLDER


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


def _exercise_of(cell: NotebookNode) -> str | None:
    """The exercise a check cell checks (``check("rfm.recency", ...)``), or None for any other cell."""
    if cell.cell_type != "code" or SOLUTION_TAG in _tags(cell):
        return None
    match = CHECK_CALL.search(cell.source)
    return match.group(1) if match else None


def _hidden(cell: NotebookNode) -> NotebookNode:
    """A code cell shown by its output only (JupyterLab's collapsed input: a click on the dots shows it)."""
    cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    return cell


def _segments(cells: list[NotebookNode]) -> list[tuple[list[NotebookNode], str | None]]:
    """The cells cut after each check cell: (cells up to and with the check, its exercise); the rest last."""
    segments: list[tuple[list[NotebookNode], str | None]] = []
    current: list[NotebookNode] = []
    for cell in cells:
        current.append(cell)
        exercise = _exercise_of(cell)
        if exercise is not None:
            segments.append((current, exercise))
            current = []
    segments.append((current, None))
    return segments


def no_code_version(source: NotebookNode, index: BookIndex | None = None) -> NotebookNode:
    """The no-code workbook: answers in forms, other exercises as worked examples, all code hidden.

    ``source`` is the source notebook in the workbook's language (:func:`localized_source`); the
    texts this function adds are in the language in force. See "No-code workbooks" above.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("# Title", id="title"),
    ...     nbformat.v4.new_code_cell("letter = 'B'", id="sol", metadata={"tags": ["solution"]}),
    ...     nbformat.v4.new_code_cell('check("communication.nps_report", letter)', id="chk")])
    >>> [(cell.id, cell.source.splitlines()[-1][:30]) for cell in no_code_version(nb).cells]
    [('title', '# Title'), ('cvm-no-code-intro', '> The text below was written f'), ('sol-form', 'answer_form("communication.nps')]
    """
    nb = copy.deepcopy(source)
    cells: list[NotebookNode] = []
    asked: list[str] = []
    for segment, exercise in _segments([cell for cell in nb.cells if INSTRUCTOR_TAG not in _tags(cell)]):
        form = form_of(exercise) if exercise is not None else None
        if form is not None and exercise is not None:
            asked.append(exercise)
        placed = False
        for cell in segment:
            tags = _tags(cell)
            if exercise is not None and _exercise_of(cell) == exercise:
                continue  # the check cell: a form checks itself; a worked example is not the participant's check
            if SOLUTION_TAG in tags and form is not None:
                if not placed:
                    answer = nbformat.v4.new_code_cell(ANSWER_FORM_CELL.format(exercise=exercise), id=f"{cell.id}-form")
                    cells.append(_hidden(answer))
                    placed = True
                continue
            if SOLUTION_TAG in tags and not placed:
                cells.append(nbformat.v4.new_markdown_cell(_(WORKED_EXAMPLE), id=f"{cell.id}-example"))
                placed = True
            cell.metadata.pop("tags", None)
            if SOLUTION_TAG in tags:
                cell.metadata.pop("cvm", None)  # the placeholder of a solution kept as a worked example
            remaining = [tag for tag in tags if tag not in BOOK_ONLY_TAGS | {SOLUTION_TAG}]
            if remaining:
                cell.metadata["tags"] = remaining
            if cell.cell_type == "code":
                if cell.source.strip() == "progress()":
                    cell.source = NO_CODE_PROGRESS.format(ids=asked)
                _hidden(_clear(cell))
            cells.append(cell)
        if form is not None and not placed:  # a check without solution cells: the form where the check was
            cells.append(_hidden(nbformat.v4.new_code_cell(ANSWER_FORM_CELL.format(exercise=exercise),
                                                           id=f"{segment[-1].id}-form")))
    lang = str(nb.metadata.get("cvm", {}).get("lang", "en"))
    run, run_all = LAB_MENU.get(lang, LAB_MENU["en"])
    from cvmlib.widgets.answer import CHECK, SHOW_SOLUTION  # the button names, as the form shows them

    text = _(NO_CODE_INTRO).format(run=run, run_all=run_all, check=_(CHECK), show_solution=_(SHOW_SOLUTION))
    # a quote, so it stands apart from the chapter's own text
    intro = nbformat.v4.new_markdown_cell("\n".join(f"> {line}".rstrip() for line in text.splitlines()),
                                          id=NO_CODE_INTRO_ID)
    first = cells[0] if cells and cells[0].cell_type == "markdown" else None
    if first is not None and first.source.lstrip().startswith("# "):
        # right under the title, before the chapter's introduction (which speaks to coders too)
        heading, _newline, rest = first.source.lstrip().partition("\n")
        first.source = heading
        cells[1:1] = [intro] + ([nbformat.v4.new_markdown_cell(rest.strip(), id=f"{first.id}-intro")]
                                if rest.strip() else [])
    else:
        cells.insert(0, intro)
    nb.cells = cells
    render_notebook_markdown(nb, index)
    nb.metadata.setdefault("cvm", {})["version"] = "no-code"
    return nb


def leaked_answers(source: NotebookNode, no_code: NotebookNode) -> list[str]:
    """Solution lines of the exercises with an answer form that appear in the no-code workbook ``no_code``.

    (The worked examples keep their solutions on purpose; a form's exercise must not show its own.)
    """
    asked = {exercise for cells, exercise in _segments(list(source.cells))
             if exercise is not None and form_of(exercise) is not None}
    kept = copy.deepcopy(source)
    kept.cells = [cell for cells, exercise in _segments(list(source.cells)) if exercise in asked for cell in cells]
    return leaked_solution_lines(kept, no_code)


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


def build_workbooks(src: Path, out: Path, lang: str = "en", locale_dir: Path | None = None,
                    untranslated: list[UntranslatedBlock] | None = None) -> list[Path]:
    """Write the participant and instructor versions of every notebook in ``src`` below ``out``, in ``lang``.

    English goes to ``out/participant/`` and ``out/instructor/``, another language to
    ``out/participant/<lang>/`` and ``out/instructor/<lang>/`` (:func:`workbook_dirs`), translated by
    the catalogs of ``locale_dir`` (:func:`localized_source`); the blocks left English are appended
    to ``untranslated`` when a list is given. Returns the files written and, after each, any edited
    copy kept aside (``*.edited-*.ipynb``).
    """
    written = []
    participant_dir, instructor_dir = workbook_dirs(out, lang)
    with language(lang):
        for path in sorted(Path(src).glob("*.ipynb")):
            source, missing = localized_source(nbformat.read(path, as_version=4), lang, path.name, locale_dir)
            if untranslated is not None:
                untranslated.extend(missing)
            participant = participant_version(source)
            leaked = leaked_solution_lines(source, participant)
            if leaked:
                raise RuntimeError(_("{name}: solution text left in the participant version: {lines}").format(
                    name=path.name, lines=leaked[:3]))
            versions = [(participant, participant_dir / path.name), (instructor_version(source), instructor_dir / path.name)]
            if path.name in NO_CODE_WORKBOOKS:
                no_code = no_code_version(source)
                leaked = leaked_answers(source, no_code)
                if leaked:
                    raise RuntimeError(_("{name}: solution text of a form's exercise left in the no-code version: "
                                         "{lines}").format(name=path.name, lines=leaked[:3]))
                versions.append((no_code, no_code_dir(out, lang) / path.name))
            for version, target in versions:
                kept = keep_edited_copy(target)
                written.append(write_generated(version, target))
                if kept is not None:
                    written.append(kept)
    return written


def _report_untranslated(blocks: list[UntranslatedBlock], lang: str, shown: int = 5) -> None:
    """The warning printed for blocks that stay English: how many per workbook, and the first few."""
    by_notebook: dict[str, list[UntranslatedBlock]] = {}
    for block in blocks:
        by_notebook.setdefault(block.notebook, []).append(block)
    for name, missing in by_notebook.items():
        notes = sum(block.instructor for block in missing)
        print(_("warning: {n} Markdown block(s) of {name} have no {language} translation yet and stay in English "
                "({notes} of them in instructor notes):").format(n=len(missing), name=name, notes=notes,
                                                                   language=_(LANGUAGE_NAMES[lang])))
        for block in missing[:shown]:
            print(f"  {block}")
        if len(missing) > shown:
            print(_("  ... and {n} more").format(n=len(missing) - shown))


def main(argv: list[str] | None = None) -> int:
    """Write the derived workbooks, then update the participant workspace; 1 if a workbook was not updated.

    With several ``--lang`` (``--lang en zh``), each language in turn; what is printed for a language
    is in that language (it is meant for the participants of that workspace).
    """
    parser = argparse.ArgumentParser(description="Write participant and instructor workbooks, then merge the "
                                                 "participant versions into the participants' workspace.")
    parser.add_argument("--src", type=Path, default=Path("notebooks"))
    parser.add_argument("--out", type=Path, default=Path("_build/workbooks"))
    parser.add_argument("--workspace", type=Path, default=Path("workspace"),
                        help="the participants' workspace (default: workspace)")
    parser.add_argument("--no-workspace", action="store_true", help="only write the derived files")
    parser.add_argument("--lang", choices=LANGUAGES, nargs="+", default=["en"],
                        help="the languages to write (default: en); zh translates the English sources with the "
                             "book's catalogs and merges into workspace/zh/")
    parser.add_argument("--locales", type=Path, default=None,
                        help="the book's gettext catalogs (default: locales/ of this repository)")
    args = parser.parse_args(argv)
    status = 0
    for lang in dict.fromkeys(args.lang):
        with language(lang):
            status = max(status, _main_one(args, lang))
    return status


def _main_one(args: argparse.Namespace, lang: str) -> int:
    untranslated: list[UntranslatedBlock] = []
    written = build_workbooks(args.src, args.out, lang, args.locales, untranslated)
    kept = [path for path in written if ".edited-" in path.name]
    generated = [path for path in written if path not in kept]
    participant_dir, instructor_dir = workbook_dirs(args.out, lang)
    print(_("wrote {n} derived workbooks to {participant}/ and {instructor}/ (disposable: make clean deletes "
            "them)").format(n=len(generated), participant=participant_dir.as_posix(),
                            instructor=instructor_dir.as_posix()))
    for path in kept:
        print(_("kept an edited copy found there as {path}").format(path=path))
    _report_untranslated(untranslated, lang)
    if args.no_workspace:
        return 0
    versions = {path.name: nbformat.read(path, as_version=4) for path in generated if path.parent == participant_dir}
    # the no-code workbooks go to <workspace>/<lang>/no-code/, through the same merge (their names are paths there)
    no_code = no_code_dir(args.out, lang)
    versions |= {f"{NO_CODE_FOLDER}/{path.name}": nbformat.read(path, as_version=4) for path in generated
                 if path.parent == no_code}
    legacy = [path for path in sorted(participant_dir.glob("*.ipynb")) if path.name not in versions and _edited(path)]
    print(_("workspace {folder}/ (your copies; open them with {command}):").format(
        folder=(args.workspace / lang).as_posix(), command="make lab" if lang == "en" else f"make lab-{lang}"))
    updates = update_workspace(versions, args.workspace, lang, legacy)
    for update in updates:
        print(f"  {update.summary()}")
    failed = [update.name for update in updates if not update.ok]
    if failed:
        print(_("{n} workbook(s) not updated: {names} (see above); the others are up to date.").format(
            n=len(failed), names=", ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
