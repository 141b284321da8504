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

**Two languages.** Each edition exists in English and in Simplified Chinese, built from the same sources
(``python tools/build_book.py --lang en|zh``, output ``_build/html/en/`` and ``_build/html/zh/``; the
zh edition reads the Sphinx gettext catalogs in ``locales/zh_CN/LC_MESSAGES/``). The extension

- puts a language switch on every page ("中文" / "English") that links to the same page in the other
  edition (a relative link, so it works from any folder and from ``file://``), plus a
  ``<link rel="alternate" hreflang>`` in the page head;
- writes the root page that lets a reader choose (:func:`write_language_chooser`, run after both
  builds: ``python book/_ext/cvm_book.py chooser _build/html``);
- translates the sidebar captions of ``_toc.yml`` (sphinx-external-toc inserts its toctrees after
  Sphinx has translated the page, so Sphinx never translates their captions) from the root page's
  catalog, where the gettext builder puts them;
- writes its own labels (solutions, instructor boxes and banner, search box, toggle hints) in the
  edition's language, and keeps the instructor notes in the gettext templates so that they are
  translated too;
- serves the CJK web font vendored by ``tools/vendor_assets.py`` (Noto Sans SC, split by
  unicode-range) on every page; ``cvm_book.css`` puts it in the font stacks.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.config import Config
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.i18n import docname_to_domain

__all__ = ["InstructorHTMLBuilder", "instructor_note", "language_switch", "setup", "write_language_chooser"]

LOGGER = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
SWITCH_TEMPLATE = "cvm-language-switch.html"
INSTRUCTOR_BUILDER = "html-instructor"
INSTRUCTOR_TAG = "instructor"
SOLUTION_TAG = "solution"

#: The CJK web font's stylesheet, below ``_static/`` (vendored by tools/vendor_assets.py).
FONT_CSS = "cvm-vendor/fonts/noto-sans-sc/noto-sans-sc.css"

# --------------------------------------------------------------------------------------------
# The two languages: edition code (folder name) -> what the extension writes on its pages
# --------------------------------------------------------------------------------------------
#: Edition code -> (name of the language in that language, BCP 47 tag for lang/hreflang).
LANGUAGES = {"en": ("English", "en"), "zh": ("中文", "zh-CN")}
#: The edition a language switch leads to.
OTHER = {"en": "zh", "zh": "en"}
UI = {
    "en": {
        "show_solution": "Show solution",
        "hide_solution": "Hide solution",
        "note_title": "For the instructor",
        "announcement": ("Instructor edition: timings, debrief prompts and facilitation notes are shown in "
                         "purple boxes. Readers and participants use the reader edition."),
        # the tooltip of the switch, written in the language it leads to
        "switch_title": "Read this page in English",
        "search": None,  # Jupyter Book's own "Search this book..."
        "toggle_show": None,
        "toggle_hide": None,
        "chooser_blurb": "A hands-on course: segmentation, RFM, the customer value matrix, CLV, "
                         "communication and complaint handling.",
    },
    "zh": {
        "show_solution": "查看参考答案",
        "hide_solution": "收起参考答案",
        "note_title": "讲师提示",
        "announcement": "讲师版：紫色框中是课时安排、复盘提问和带课要点。学员和读者请使用读者版。",
        "switch_title": "阅读本页的中文版",
        "search": "搜索本书…",
        "toggle_show": "点击展开",
        "toggle_hide": "点击收起",
        "chooser_blurb": "实战课程：客户细分、RFM、客户价值矩阵、客户终身价值、沟通与投诉处理。",
    },
}
NOTE_TITLE = UI["en"]["note_title"]
ANNOUNCEMENT = UI["en"]["announcement"]


def edition_language(config: Config | None) -> str:
    """The edition code (``"en"``, ``"zh"``) of a build, from Sphinx's ``language`` (``zh_CN`` -> ``zh``)."""
    language = (getattr(config, "language", None) or "en") if config is not None else "en"
    code = re.split(r"[_-]", str(language))[0].lower()
    return code if code in UI else "en"


def ui(app_or_config: Any, key: str) -> Any:
    """One of the extension's labels in the language of the build."""
    config = getattr(app_or_config, "config", app_or_config)
    return UI[edition_language(config)][key]


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
        note = instructor_note()
        self.set_source_info(note)
        if self.arguments:
            # A title node (not an attribute), so that the gettext builder extracts it and the zh
            # edition shows its translation.
            text = self.arguments[0]
            inline, messages = self.parse_inline(text, lineno=self.lineno)
            title = nodes.title(text, "", *inline)
            self.set_source_info(title)
            note += title
            note += messages
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
        if self.app.builder.name == "gettext":
            # The message templates hold every text of both editions: the instructor notes are
            # translated like the rest (the reader edition removes them only when it writes pages).
            return
        instructor = edition(self.app) == "instructor"
        show, hide, default_title = (ui(self.app, key) for key in ("show_solution", "hide_solution", "note_title"))
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
                cell["prompt_show"] = show
                cell["prompt_hide"] = hide
                cell["classes"].append("cvm-solution")
        for note in list(self.document.findall(instructor_note)):
            if not instructor:
                note.parent.remove(note)
                continue
            box = nodes.admonition("", classes=["cvm-instructor"])
            box.source, box.line = note.source, note.line
            children = list(note.children)
            if children and isinstance(children[0], nodes.title):
                box += children.pop(0)
            else:
                box += nodes.title("", note.get("title", default_title))
            box.extend(children)
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
        return theme, {**options, "announcement": ui(self.config, "announcement")}


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
# Two languages: the switch on every page, the captions of the sidebar, the labels, the font
# --------------------------------------------------------------------------------------------
def language_switch(pagename: str, lang: str, suffix: str = ".html") -> dict[str, str]:
    """The link from page ``pagename`` of edition ``lang`` to the same page of the other edition.

    The editions are sibling folders (``_build/html/en/``, ``_build/html/zh/``): the link climbs out of
    the page's folder and out of its edition, so it is right at any depth and from ``file://``.

    >>> language_switch("book/rfm", "en")["href"]
    '../../zh/book/rfm.html'
    >>> language_switch("search", "zh")["label"]
    'English'
    """
    other = OTHER[lang]
    label, tag = LANGUAGES[other]
    href = "../" * (pagename.count("/") + 1) + f"{other}/{pagename}{suffix}"
    return {"href": href, "label": label, "lang": tag, "title": UI[other]["switch_title"], "edition": other}


def add_language_switch(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                        doctree: nodes.document | None) -> None:
    """Give the page template the switch (``cvm-language-switch.html`` renders it in the article header).

    Only when the output folder is named after the edition (``.../en``, ``.../zh``, as
    ``tools/build_book.py`` writes them): a one-language build elsewhere gets no switch that would
    point at a missing edition.
    """
    lang = edition_language(app.config)
    if Path(app.outdir).name != lang or app.builder.format != "html":
        context["cvm_language_switch"] = None
        return
    switch = language_switch(pagename, lang, getattr(app.builder, "out_suffix", ".html"))
    context["cvm_language_switch"] = switch
    context["metatags"] = (context.get("metatags") or "") + (
        f'\n<link rel="alternate" hreflang="{switch["lang"]}" href="{html.escape(switch["href"])}" />')


def configure_edition(app: Sphinx, config: Config) -> None:
    """The language switch in the article header, the search box and toggle hints in the edition's language."""
    templates = str(TEMPLATES)
    if templates not in config.templates_path:
        config.templates_path = [*config.templates_path, templates]
    options = dict(config.html_theme_options or {})
    end = options.get("article_header_end", "article-header-buttons.html")
    end = [item.strip() for item in end.split(",") if item.strip()] if isinstance(end, str) else list(end)
    if SWITCH_TEMPLATE not in end:
        end = [SWITCH_TEMPLATE, *end]
    options["article_header_end"] = end
    lang = edition_language(config)
    if UI[lang]["search"]:
        options["search_bar_text"] = UI[lang]["search"]
    config.html_theme_options = options
    for key, name in (("toggle_show", "togglebutton_hint"), ("toggle_hide", "togglebutton_hint_hide")):
        if UI[lang][key] and name in config:
            config[name] = UI[lang][key]


class TranslateTocCaptions(SphinxTransform):
    """Translate the captions of the toctrees that sphinx-external-toc inserts ("Start here", "Chapters").

    Sphinx translates a page at priority 20 (``Locale``), and translates a toctree's caption there as it
    does any message; sphinx-external-toc adds the toctrees of ``_toc.yml`` later (priority 100), so
    their captions stay in English although the gettext builder puts them into the root page's
    catalog (``book/intro.po``). This transform, right after the insertion, applies that catalog.
    """

    default_priority = 101

    def apply(self, **kwargs: Any) -> None:
        if self.app.builder.name == "gettext" or edition_language(self.config) == "en":
            return
        toctrees = [node for node in self.document.findall(addnodes.toctree) if node.get("caption")]
        if not toctrees:
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [os.path.join(self.env.srcdir, folder) for folder in self.config.locale_dirs]
        catalog, has_catalog = init_locale(dirs, self.config.language, domain)
        if not has_catalog:
            return
        for toctree in toctrees:
            original = toctree.get("rawcaption") or toctree["caption"]
            translated = catalog.gettext(original)
            if translated and translated != original:
                toctree["rawcaption"] = original
                toctree.apply_translated_message(original, translated)


class TableCellSource(SphinxTransform):
    """Give the cells of MyST tables a source, so that Sphinx extracts and translates them.

    myst-parser 3.0 builds the paragraphs of a table's cells without ``source``/``line``; Sphinx's
    gettext builder and its ``Locale`` transform skip text nodes without a source (sphinx-doc/sphinx
    #10959), so every table cell stayed English in the zh edition. They get their table's position,
    before ``Locale`` runs (priority 20).
    """

    default_priority = 5

    def apply(self, **kwargs: Any) -> None:
        for table in self.document.findall(nodes.table):
            holder: nodes.Node | None = table
            while holder is not None and not holder.source:
                holder = holder.parent
            source = holder.source if holder is not None else self.document.get("source")
            line = holder.line if holder is not None else 0
            for node in table.findall(nodes.TextElement):
                if node.source is None:
                    node.source, node.line = source, line


# --------------------------------------------------------------------------------------------
# {glue} roles inside translated messages
# --------------------------------------------------------------------------------------------
# Sphinx translates a paragraph by parsing its msgstr as a small document of its own
# (sphinx.transforms.i18n.publish_msgstr; MyST-NB parses such "<translated>" sources as plain
# MyST). That document has no access to the notebook's glue data, which MyST-NB keeps on the page's
# document only while it parses the page, so every {glue} role in a translated paragraph failed
# ("No key ... found in glue data for this document"). The renderer that holds the page's glue data is
# remembered here when MyST-NB creates it, and lent to the translated messages of the same page.
_PAGE_RENDERER: dict[str, Any] = {}


def _page_renderer(message_source: str) -> Any:
    """The renderer of the notebook page a translated message (``<page path>:<line>:<translated>``) belongs to."""
    renderer = _PAGE_RENDERER.get("last")
    page = getattr(getattr(renderer, "renderer", None), "document", None)
    page_source = str(page.get("source", "")) if page is not None else ""
    return renderer if page_source and message_source.startswith(page_source + ":") else None


def install_translated_glue() -> None:
    """Let {glue} roles and directives in translated messages read the glue data of their page."""
    from myst_nb import sphinx_ as nb_sphinx
    from myst_nb.ext.glue import directives as glue_directives
    from myst_nb.ext.glue import roles as glue_roles
    from myst_nb.ext.glue import utils as glue_utils

    if getattr(glue_utils.retrieve_glue_data, "_cvm_translated", False):
        return
    load_renderer, retrieve = nb_sphinx.load_renderer, glue_utils.retrieve_glue_data

    def load_remembering_renderer(name: str) -> Any:
        renderer_class = load_renderer(name)

        def create(*args: Any, **kwargs: Any) -> Any:
            renderer = renderer_class(*args, **kwargs)
            _PAGE_RENDERER["last"] = renderer
            return renderer

        return create

    def retrieve_glue_data(document: nodes.document, key: str) -> Any:
        source = str(document.get("source", ""))
        if "nb_renderer" not in document and source.endswith("<translated>"):
            renderer = _page_renderer(source)
            glue = getattr(getattr(renderer, "renderer", None), "nb_client", None)
            glue_data = getattr(glue, "glue_data", None) or {}
            if key in glue_data:
                return glue_utils.VariableOutput(data=glue_data[key]["data"], metadata=glue_data[key].get("metadata", {}),
                                                 nb_renderer=renderer, vtype="glue")
        try:
            return retrieve(document, key)
        except glue_utils.RetrievalError:
            # The message templates are extracted without executing the notebooks (tools/build_book.py
            # --builder gettext): a stand-in value keeps each {glue:figure}'s caption, a message like any.
            env = getattr(document.settings, "env", None)
            if env is None or env.app.builder.name != "gettext" or "nb_renderer" not in document:
                raise
            return glue_utils.VariableOutput(data={"text/plain": "0"}, metadata={},
                                             nb_renderer=document["nb_renderer"], vtype="glue")

    retrieve_glue_data._cvm_translated = True  # type: ignore[attr-defined]
    nb_sphinx.load_renderer = load_remembering_renderer
    for module in (glue_utils, glue_roles, glue_directives):
        module.retrieve_glue_data = retrieve_glue_data


def add_static_path(app: Sphinx, config: Config) -> None:
    if str(STATIC) not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def check_font_is_vendored(app: Sphinx) -> None:
    """Warn (an error under ``-W``) when the CJK web font is missing: Chinese would render as boxes."""
    if app.builder.format != "html":
        return
    base = Path(app.confdir or app.srcdir)
    if not any((base / folder / FONT_CSS).exists() for folder in app.config.html_static_path):
        LOGGER.warning("the CJK web font %s is not in html_static_path: run tools/vendor_assets.py", FONT_CSS,
                       type="cvm", subtype="font")


# --------------------------------------------------------------------------------------------
# The root page: choose a language
# --------------------------------------------------------------------------------------------
_REFRESH = re.compile(r"""http-equiv=["']refresh["'][^>]*content=["'][^"']*url=([^"'>\s]+)""", re.I)
_BRAND = re.compile(r"""<p class="title logo__title">\s*(.*?)\s*</p>""", re.S)


def _edition_entry(out_dir: Path, lang: str) -> tuple[str, str] | None:
    """(link to the edition's first page, the edition's title) or None when the edition is not built."""
    index = out_dir / lang / "index.html"
    if not index.exists():
        return None
    text = index.read_text(encoding="utf-8")
    # index.html of an edition is a redirect to the root page (book/intro.html): link to that page directly
    target = _REFRESH.search(text)
    first = f"{lang}/{target.group(1)}" if target else f"{lang}/index.html"
    page = out_dir / first
    brand = _BRAND.search(page.read_text(encoding="utf-8")) if page.exists() else None
    title = html.unescape(re.sub(r"<[^>]+>", "", brand.group(1))).strip() if brand else ""
    return first, title


def write_language_chooser(out_dir: Path | str) -> Path:
    """Write ``out_dir/index.html``: a page that links to each edition built below ``out_dir``.

    Run after both builds (``_build/html`` and, for the instructor edition, ``_build/html-instructor``).
    A static page: no script, no request to another host, relative links (it works from ``file://``);
    it uses the zh edition's vendored font for its Chinese. Returns the path written.
    """
    out_dir = Path(out_dir)
    entries = {lang: entry for lang in ("zh", "en") if (entry := _edition_entry(out_dir, lang))}
    if not entries:
        raise FileNotFoundError(f"no edition built below {out_dir} (expected {out_dir}/en/ or {out_dir}/zh/)")
    font = f"zh/_static/{FONT_CSS}"
    head_font = (f'<link rel="stylesheet" href="{font}" />' if (out_dir / font).exists() else "")
    links = []
    for lang, (href, title) in entries.items():
        name, tag = LANGUAGES[lang]
        links.append(
            f'<li><a href="{html.escape(href)}" lang="{tag}" hreflang="{tag}">'
            f'<span class="name">{html.escape(name)}</span>'
            f'<span class="title">{html.escape(title)}</span>'
            f'<span class="blurb">{html.escape(UI[lang]["chooser_blurb"])}</span></a></li>')
    titles = " · ".join(title for _, title in entries.values() if title) or "CVM"
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{html.escape(titles)}</title>
{head_font}
<style>
  body {{ margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
         background: #f6f7f9; color: #222; }}
  /* Chinese: the vendored Noto Sans SC first (Chromium draws lang="zh" text in the locale's system font
     even when that font has no Chinese glyph); English: the system font, then the CJK fonts. */
  [lang|="zh"] {{ font-family: "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC",
                  "Source Han Sans SC", system-ui, sans-serif; }}
  [lang="en"] {{ font-family: system-ui, -apple-system, "Segoe UI", "Helvetica Neue", Arial, "Noto Sans SC",
                 "PingFang SC", "Microsoft YaHei", sans-serif; }}
  main {{ max-width: 44rem; padding: 2rem 1.25rem; }}
  h1 {{ font-size: 1.35rem; font-weight: 600; margin: 0 0 1.25rem; }}
  ul {{ list-style: none; margin: 0; padding: 0; display: grid; gap: 1rem; }}
  a {{ display: block; padding: 1.1rem 1.25rem; border: 1px solid #d0d4da; border-radius: 0.5rem;
       background: #fff; color: inherit; text-decoration: none; }}
  a:hover, a:focus {{ border-color: #0a7d91; box-shadow: 0 0 0 3px rgba(10, 125, 145, 0.15); }}
  .name {{ display: block; font-size: 1.5rem; font-weight: 700; color: #0a7d91; }}
  .title {{ display: block; font-size: 1.05rem; margin-top: 0.2rem; }}
  .blurb {{ display: block; font-size: 0.9rem; color: #555; margin-top: 0.35rem; }}
  @media (prefers-color-scheme: dark) {{
    body {{ background: #14181e; color: #e6e6e6; }} a {{ background: #1d232b; border-color: #3a424d; }}
    .blurb {{ color: #aab; }} .name {{ color: #4fc3d6; }} }}
</style>
</head>
<body>
<main>
<h1><span lang="zh-CN">选择语言</span> · <span lang="en">Choose a language</span></h1>
<ul>
{chr(10).join(links)}
</ul>
</main>
</body>
</html>
"""
    target = out_dir / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


def separate_executed_outputs(app: Sphinx) -> None:
    """Each edition writes its executed notebooks and their images to a folder of its own.

    MyST-NB puts them beside the output folder (``_build/html/jupyter_execute``), which the two editions
    share, so a zh page could show a figure drawn by the en build (both editions build at the same time
    in the tests), and the folder landed in the published site. ``_build/.jupyter_execute/<lang>/`` is
    shared only by the reader and instructor builds of one edition, which use the same doctrees.
    """
    config = getattr(app.env, "mystnb_config", None)
    if config is None:
        return
    folder = Path(app.srcdir) / "_build" / ".jupyter_execute" / edition_language(app.config)
    app.env.mystnb_config = config.copy(output_folder=str(folder.resolve()))


def setup(app: Sphinx) -> dict[str, Any]:
    # The kernels that execute the pages inherit this: checks in the book never write a progress log.
    os.environ["CVM_PROGRESS"] = "off"

    app.add_node(instructor_note)
    app.add_directive("instructor", InstructorDirective)
    app.add_builder(InstructorHTMLBuilder)
    app.add_post_transform(EditionTransform)
    app.add_transform(TranslateTocCaptions)
    app.add_transform(TableCellSource)
    install_translated_glue()
    app.connect("source-read", on_source_read)
    app.connect("config-inited", add_instructor_mime_priority, priority=900)
    app.connect("config-inited", add_static_path)
    # before sphinx-togglebutton writes its hints into the page script (config-inited, priority 500)
    app.connect("config-inited", configure_edition, priority=400)
    app.connect("builder-inited", remember_progress_logs)
    # after MyST-NB's own builder-inited hook (priority 500), which sets the folder
    app.connect("builder-inited", separate_executed_outputs, priority=600)
    app.connect("builder-inited", check_font_is_vendored)
    app.connect("html-page-context", add_language_switch)
    app.connect("build-finished", scrub_copied_sources)
    app.connect("build-finished", check_progress_logs)
    app.add_css_file(FONT_CSS)
    app.add_css_file("cvm_book.css")
    return {"version": "1.1", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str] | None = None) -> int:
    """``python book/_ext/cvm_book.py chooser _build/html``: write the root page that lets a reader choose."""
    parser = argparse.ArgumentParser(description="Tools of the CVM book extension.")
    commands = parser.add_subparsers(dest="command", required=True)
    chooser = commands.add_parser("chooser", help="write OUT/index.html linking to OUT/en/ and OUT/zh/")
    chooser.add_argument("out", nargs="+", type=Path, help="_build/html, _build/html-instructor")
    args = parser.parse_args(argv)
    for out in args.out:
        print(f"Language chooser: {write_language_chooser(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
