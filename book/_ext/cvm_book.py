"""One book source, two editions: the reader edition and the instructor edition.

The workbooks and chapters are written once. Cells tagged ``solution`` hold the worked solutions;
cells tagged ``instructor`` and ``{instructor}`` blocks in the chapters hold timings, debrief
prompts and facilitation notes. This Sphinx extension decides, at write time, what each edition
shows:

- **Solutions** are collapsed *with their output*: a reader clicks once ("Show solution") and sees
  the code and its result together; before the click neither the code nor the answer is visible.
  (MyST-NB's ``hide-input`` tag, used by the workbooks so that JupyterLab collapses the code, hides
  only the code and prints the answer below it.)
- **Instructor material** (code cells tagged ``instructor``, markdown cells tagged ``instructor``
  and ``{instructor}`` directive blocks) is removed from the reader edition, from its search index
  and from the copies of the sources it offers for download. The instructor edition shows it in a
  styled box and says on every page that it is the instructor edition.

The reader edition is the ordinary ``html`` builder (``jupyter-book build .``); the instructor
edition is the builder ``html-instructor`` registered here
(``jupyter-book build . --builder custom --custom-builder html-instructor``, output in
``_build/html-instructor/``). Both read the same doctrees: the edition is applied by a
post-transform when pages are written, so the instructor edition re-uses the executed notebooks of
the reader build instead of executing every notebook a second time.

The book build never writes participant progress logs: the extension sets ``CVM_PROGRESS=off``
for the kernels that execute the pages and fails the build (with a warning, an error under
``-W``) if a progress log in a source folder changed during the build anyway.

The extension also adds the book's stylesheet (tables, wide equations, print, instructor boxes).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

__all__ = ["InstructorHTMLBuilder", "instructor_note", "setup"]

LOGGER = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
INSTRUCTOR_BUILDER = "html-instructor"
INSTRUCTOR_TAG = "instructor"
SOLUTION_TAG = "solution"
NOTE_TITLE = "For the instructor"
ANNOUNCEMENT = ("Instructor edition: timings, debrief prompts and facilitation notes are shown in "
                "purple boxes. Readers and participants use the reader edition.")


# --------------------------------------------------------------------------------------------
# The {instructor} directive and its node
# --------------------------------------------------------------------------------------------
class instructor_note(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
    """Instructor-only content; the edition post-transform removes it or turns it into a box."""


class InstructorDirective(SphinxDirective):
    """``{instructor}`` block: shown in the instructor edition only. The optional argument is its title."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        note = instructor_note(title=self.arguments[0] if self.arguments else NOTE_TITLE)
        self.set_source_info(note)
        note.extend(self.parse_content_to_nodes())
        return [note]


# --------------------------------------------------------------------------------------------
# Markdown cells tagged "instructor" become {instructor} blocks when the source is read
# --------------------------------------------------------------------------------------------
def _fence_for(text: str) -> str:
    """A backtick fence longer than any fence inside ``text`` (so nested code blocks stay intact)."""
    longest = max((len(m.group(0)) for m in re.finditer(r"^ *(`{3,})", text, flags=re.M)), default=2)
    return "`" * max(3, longest + 1)


def _wrap(text: str) -> str:
    fence = _fence_for(text)
    return f"{fence}{{instructor}}\n{text.strip()}\n{fence}\n"


def _tags(metadata: dict[str, Any]) -> list[str]:
    tags = metadata.get("tags", [])
    return list(tags) if isinstance(tags, (list, tuple)) else []


def wrap_ipynb_instructor_cells(source: str) -> str:
    """Return the notebook JSON with every markdown cell tagged ``instructor`` wrapped in ``{instructor}``.

    Code cells need no change: MyST-NB gives their container the class ``tag_instructor``, which the
    edition post-transform finds. Markdown cells are rendered without a container, hence the wrapping.
    A source that is not notebook JSON is returned unchanged (MyST-NB reports it, not this hook).
    """
    try:
        notebook = json.loads(source)
    except ValueError:
        return source
    changed = False
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown" and INSTRUCTOR_TAG in _tags(cell.get("metadata", {})):
            text = cell.get("source", "")
            text = "".join(text) if isinstance(text, list) else text
            cell["source"] = _wrap(text)
            changed = True
    return json.dumps(notebook, ensure_ascii=False, indent=1) if changed else source


_MD_CELL_BREAK = re.compile(r"^(\+\+\+|`{3,}\s*\{code-cell\}|~{3,}\s*\{code-cell\})")


def wrap_myst_instructor_cells(source: str) -> str:
    """The same for MyST markdown notebooks: a ``+++ {"tags": ["instructor"]}`` cell is wrapped up to the next cell."""
    if "+++" not in source:
        return source
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        if not line.startswith("+++"):
            continue
        try:
            metadata = json.loads(line[3:].strip() or "{}")
        except ValueError:
            continue
        if not isinstance(metadata, dict) or INSTRUCTOR_TAG not in _tags(metadata):
            continue
        body: list[str] = []
        while i < len(lines) and not _MD_CELL_BREAK.match(lines[i]):
            body.append(lines[i])
            i += 1
        out.append(_wrap("".join(body)) + "\n")
    return "".join(out)


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    """Wrap the instructor markdown cells of a notebook (``.ipynb`` or MyST ``.md``) before MyST-NB parses it."""
    path = str(app.env.doc2path(docname))
    if path.endswith(".ipynb"):
        source[0] = wrap_ipynb_instructor_cells(source[0])
    elif path.endswith(".md"):
        source[0] = wrap_myst_instructor_cells(source[0])


# --------------------------------------------------------------------------------------------
# The edition, applied when a page is written
# --------------------------------------------------------------------------------------------
def edition(app: Sphinx) -> str:
    """``"instructor"`` for the instructor builder, ``"reader"`` for every other builder."""
    return "instructor" if app.builder is not None and app.builder.name == INSTRUCTOR_BUILDER else "reader"


def _is_code_cell(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "cell_code"


class EditionTransform(SphinxPostTransform):
    """Collapse solutions with their outputs; remove or show instructor material.

    Runs after references are resolved and before MyST-NB wraps hidden cells in ``<details>``
    (``HideInputCells``, priority 199), so that changing ``hide_mode`` here takes effect.
    """

    default_priority = 150

    def run(self, **kwargs: Any) -> None:
        instructor = edition(self.app) == "instructor"
        for cell in list(self.document.findall(_is_code_cell)):
            classes = cell.get("classes", [])
            if f"tag_{INSTRUCTOR_TAG}" in classes:
                if instructor:
                    cell["classes"].append("cvm-instructor-cell")
                else:
                    cell.parent.remove(cell)
                    continue
            if f"tag_{SOLUTION_TAG}" in classes:
                # One click shows the code and its result; before it, neither is visible.
                cell["hide_mode"] = "all"
                cell["prompt_show"] = "Show solution"
                cell["prompt_hide"] = "Hide solution"
                cell["classes"].append("cvm-solution")
        for note in list(self.document.findall(instructor_note)):
            if not instructor:
                note.parent.remove(note)
                continue
            box = nodes.admonition("", classes=["cvm-instructor"])
            box.source, box.line = note.source, note.line
            box += nodes.title("", note.get("title", NOTE_TITLE))
            box.extend(note.children)
            note.replace_self(box)


# --------------------------------------------------------------------------------------------
# The instructor builder
# --------------------------------------------------------------------------------------------
class InstructorHTMLBuilder(StandaloneHTMLBuilder):
    """The HTML book with the instructor material shown, and a banner saying so on every page."""

    name = INSTRUCTOR_BUILDER
    epilog = "The instructor edition of the book is in %(outdir)s."

    def get_theme_config(self) -> tuple[str, dict[str, Any]]:
        theme, options = super().get_theme_config()
        return theme, {**options, "announcement": ANNOUNCEMENT}


def add_instructor_mime_priority(app: Sphinx, config: Config) -> None:
    """MyST-NB picks output mime types per builder name: give the instructor builder the ``html`` list.

    Done for every build (not only instructor builds) so that the value, which Sphinx compares to
    decide whether the pickled environment is still valid, is the same in both editions.
    """
    from myst_nb.core.render import base_render_priority

    extra = [(INSTRUCTOR_BUILDER, mime, priority) for mime, priority in base_render_priority()["html"].items()]
    current = list(config["nb_mime_priority_overrides"] or [])
    config["nb_mime_priority_overrides"] = current + [item for item in extra if item not in current]


# --------------------------------------------------------------------------------------------
# Reader edition: the downloadable sources must not carry instructor material either
# --------------------------------------------------------------------------------------------
_MYST_BLOCK = re.compile(r"^(?P<fence>`{3,}|:{3,})\{instructor\}[^\n]*\n.*?^(?P=fence)[ \t]*$\n?", re.M | re.S)


def strip_instructor_from_ipynb(text: str) -> str:
    """Drop every cell tagged ``instructor`` from notebook JSON."""
    notebook = json.loads(text)
    cells = notebook.get("cells", [])
    kept = [cell for cell in cells if INSTRUCTOR_TAG not in _tags(cell.get("metadata", {}))]
    if len(kept) == len(cells):
        return text
    notebook["cells"] = kept
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


def strip_instructor_from_myst(text: str) -> str:
    """Drop ``{instructor}`` blocks and ``+++ {"tags": ["instructor"]}`` cells from MyST markdown."""
    return _MYST_BLOCK.sub("", wrap_myst_instructor_cells(text))


def scrub_copied_sources(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or edition(app) == "instructor":
        return
    sources = Path(app.outdir) / "_sources"
    for path in sources.rglob("*") if sources.is_dir() else []:
        if path.suffix == ".ipynb":
            path.write_text(strip_instructor_from_ipynb(path.read_text(encoding="utf-8")), encoding="utf-8")
        elif path.suffix == ".md":
            path.write_text(strip_instructor_from_myst(path.read_text(encoding="utf-8")), encoding="utf-8")


# --------------------------------------------------------------------------------------------
# No progress logs from the book build
# --------------------------------------------------------------------------------------------
def _progress_logs(app: Sphinx) -> dict[Path, float]:
    """The progress logs a kernel executing a page could write: ``.cvm/`` beside the pages, or the configured folder."""
    root = Path(app.srcdir)
    logs = [root / ".cvm" / "progress.jsonl", *root.glob("*/.cvm/progress.jsonl")]
    if os.environ.get("CVM_PROGRESS_DIR"):
        logs.append(Path(os.environ["CVM_PROGRESS_DIR"]) / "progress.jsonl")
    return {log: log.stat().st_mtime for log in logs if log.exists()}


def remember_progress_logs(app: Sphinx) -> None:
    app._cvm_progress_logs = _progress_logs(app)  # type: ignore[attr-defined]


def check_progress_logs(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None:
        return
    before = getattr(app, "_cvm_progress_logs", {})
    changed = [str(log) for log, mtime in _progress_logs(app).items() if before.get(log) != mtime]
    if changed:
        LOGGER.warning("the book build wrote participant progress logs (CVM_PROGRESS should be off): %s",
                       ", ".join(sorted(changed)), type="cvm", subtype="progress")


# --------------------------------------------------------------------------------------------
def add_static_path(app: Sphinx, config: Config) -> None:
    if str(STATIC) not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app: Sphinx) -> dict[str, Any]:
    # The kernels that execute the pages inherit this: checks in the book never write a progress log.
    os.environ["CVM_PROGRESS"] = "off"

    app.add_node(instructor_note)
    app.add_directive("instructor", InstructorDirective)
    app.add_builder(InstructorHTMLBuilder)
    app.add_post_transform(EditionTransform)
    app.connect("source-read", on_source_read)
    app.connect("config-inited", add_instructor_mime_priority, priority=900)
    app.connect("config-inited", add_static_path)
    app.connect("builder-inited", remember_progress_logs)
    app.connect("build-finished", scrub_copied_sources)
    app.connect("build-finished", check_progress_logs)
    app.add_css_file("cvm_book.css")
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
