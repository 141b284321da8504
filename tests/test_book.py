"""The book builds with zero warnings, reads fully offline, and shows readers what is meant for them.

The reader edition (``make book``, ``_build/html/<lang>/``) collapses every solution together with its
output and carries no instructor material; the instructor edition (``make book-instructor``,
``_build/html-instructor/<lang>/``, written here from the same doctrees as the reader build) shows that
material in marked boxes. Reader pages keep build plumbing out of sight, label every table, format
large numbers with thousands separators and hold no stale "coming soon" text.

The book exists in English and in Chinese (``en``, ``zh``); the tests that take the ``book`` fixture run
on both editions. The checks only the Chinese edition needs are in ``tests/test_book_zh.py``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from tests.conftest import book_extension

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
INSTRUCTOR_HTML = ROOT / "_build" / "html-instructor"
EDITIONS = ("en", "zh")

# Code a reader should never see: it only moves values from the code into the text.
PLUMBING = [r"\bglue\(", r"from myst_nb import", r"\bimport glue\b", r"plt\.close\(",
            r"assert isinstance\(fig"]
# Phrases that promise something the book does not have (yet).
STALE = [r"\(coming\)", r"\bcoming soon\b", r"\bbeing written\b", r"\bnext phase\b", r"\bphase 2\b",
         r"\bnot yet (?:written|available|implemented|ready)\b", r"\bTODO\b", r"\bTBD\b", r"under construction",
         r"work in progress", r"\bto be (?:added|written)\b"]
STALE_ZH = [r"即将推出", r"敬请期待", r"待补充", r"待完善", r"正在编写", r"尚未(?:完成|编写|实现)", r"建设中", r"下一阶段"]
# Six or more digits in a row, not part of an id (C00001, O0000001) or of a number with separators.
RUN_TOGETHER = re.compile(r"(?<![\w.,])\d{6,}(?:\.\d+)?(?![\w,])")
ID_COLUMN = re.compile(r"(?:^|_)(?:id|ids|year|code|zip)$|(?:编号|代码|年份|邮编)$", re.I)


def _toc_pages() -> list[str]:
    """Every page the table of contents lists (so a new chapter is checked without editing this file)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages.extend(chapter["file"] for chapter in part.get("chapters", []))
    return pages


PAGES = _toc_pages()
WORKBOOKS = [page for page in PAGES if page.startswith("notebooks/")]


class _Loads(HTMLParser):
    """Collect every URL a page loads by itself (scripts, styles, fonts, images, frames), not links."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag in {"script", "img", "iframe", "source", "audio", "video", "embed"} and a.get("src"):
            self.loads.append(a["src"])
        elif tag == "link" and a.get("href"):
            rel = a.get("rel", "").lower()
            (self.links if rel in {"canonical", "alternate"} else self.loads).append(a["href"])
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if a.get("style"):
            self.loads.extend(re.findall(r"url\(['\"]?([^)'\"]+)", a["style"]))


def _is_remote(url: str) -> bool:
    parsed = urlparse(url.strip())
    return parsed.scheme in {"http", "https", "ftp"} or url.strip().startswith("//")


def _parse(page: Path) -> _Loads:
    parser = _Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@cache
def _soup(page: Path) -> BeautifulSoup:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _main(page: Path) -> Tag:
    soup = _soup(page)
    main = soup.find("article") or soup.find("main") or soup.body
    assert isinstance(main, Tag), page
    return main


def _text(node: Tag) -> str:
    # Sphinx's smart quotes turn "..." into an ellipsis; the probes below are matched against source text
    return re.sub(r"\s+", " ", node.get_text(" ").replace("\u2026", "...")).strip()


# ---------------------------------------------------------------------------------------------
# Instructor material, read from the sources: markdown and code cells tagged "instructor" in the
# notebooks, {instructor} blocks in the chapters. Each block is found again by a probe: its longest
# run of plain characters (no markup, quotes or dashes, which the HTML renders differently).
# ---------------------------------------------------------------------------------------------
_BLOCK = re.compile(r"^(?P<fence>`{3,}|:{3,})\{instructor\}[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)


def _extension():
    """The book's Sphinx extension (book/_ext/cvm_book.py)."""
    return book_extension("cvm_book")


def _probe(text: str) -> str:
    runs = re.findall(r"[A-Za-z0-9 ,.;()]+", re.sub(r"\s+", " ", text))
    return max((run.strip() for run in runs), key=len)


def _instructor_blocks() -> list[tuple[str, str]]:
    """(page, probe) for every piece of instructor material in the book's sources."""
    blocks = []
    for page in PAGES:
        path = next(p for p in (ROOT / f"{page}.ipynb", ROOT / f"{page}.md") if p.exists())
        if path.suffix == ".ipynb":
            for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
                if "instructor" in cell.get("metadata", {}).get("tags", []):
                    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                    blocks.append((page, _probe(source)))
        else:  # {instructor} blocks, and markdown cells +++ {"tags": ["instructor"]} as the extension wraps them
            text = _extension().wrap_myst_instructor_cells(path.read_text(encoding="utf-8"))
            blocks.extend((page, _probe(match["body"])) for match in _BLOCK.finditer(text))
    return blocks


INSTRUCTOR_BLOCKS = _instructor_blocks()


@pytest.fixture(params=EDITIONS)
def edition(request: pytest.FixtureRequest) -> str:
    """``"en"`` or ``"zh"``: a test taking it (or ``book``) runs once per edition."""
    return request.param


@pytest.fixture
def book(built_books: dict[str, Path], edition: str) -> Path:
    """One edition of the built book (``_build/html/<edition>``)."""
    return built_books[edition]


@pytest.fixture(scope="module")
def instructor_book(built_instructor_books: dict[str, Path]) -> Path:
    """The English instructor edition (``_build/html-instructor/en``), built from the reader's doctrees."""
    return built_instructor_books["en"]


# ---------------------------------------------------------------------------------------------
def test_toc_lists_every_chapter_and_workbook():
    chapters = {"book/rfm", "book/segmentation", "book/value_matrix", "book/clv", "book/communication", "book/complaints",
                "book/lifecycle", "book/sandbox"}
    assert chapters | {"book/glossary", "book/references"} <= set(PAGES)
    assert len(WORKBOOKS) == len(chapters)
    assert sorted(WORKBOOKS) == sorted(f"notebooks/{nb.stem}" for nb in (ROOT / "notebooks").glob("*.ipynb"))


def test_all_chapters_are_built(book):
    for page in PAGES:
        assert (book / f"{page}.html").exists(), page
    assert (book / "index.html").exists()


def test_no_page_loads_anything_from_another_host(book):
    remote = {}
    for page in book.rglob("*.html"):
        found = [url for url in _parse(page).loads if _is_remote(url)]
        if found:
            remote[str(page.relative_to(book))] = found[:3]
    assert remote == {}, f"pages loading from other hosts: {remote}"


def test_no_stylesheet_imports_fonts_or_styles_from_another_host(book):
    remote = {}
    for css in (book / "_static").rglob("*.css"):
        urls = re.findall(r"(?:url\(\s*['\"]?|@import\s+['\"])([^)'\"\s]+)", css.read_text(encoding="utf-8", errors="replace"))
        found = [url for url in urls if _is_remote(url) and "w3.org" not in url]
        if found:
            remote[str(css.relative_to(book))] = found[:3]
    assert remote == {}, f"stylesheets loading from other hosts: {remote}"


def test_math_and_widgets_are_served_locally(book):
    rfm_page = [urlparse(url).path for url in _parse(book / "notebooks" / "rfm.html").loads]
    assert any(url.endswith("cvm-vendor/require.js") for url in rfm_page)
    assert any(url.endswith("cvm-vendor/embed-amd.js") for url in rfm_page)
    assert (book / "_static" / "cvm-vendor" / "mathjax" / "tex-chtml.js").exists()
    html = (book / "notebooks" / "rfm.html").read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" in html, "widget state not embedded: sliders would not render"


def test_book_stylesheet_and_cjk_font_are_served(book):
    """The book's CSS and the Noto Sans SC stylesheet (tools/vendor_assets.py) on every page of both editions."""
    font_css = _extension().FONT_CSS
    assert (book / "_static" / "cvm_book.css").exists()
    assert (book / "_static" / font_css).exists(), "CJK web font not vendored: run tools/vendor_assets.py"
    missing = [page for page in PAGES
               if not {"cvm_book.css", font_css} <= {urlparse(url).path.split("_static/")[-1]
                                                      for url in _parse(book / f"{page}.html").loads}]
    assert missing == [], f"pages without the book's stylesheet or the font: {missing}"


def test_internal_links_resolve(book):
    broken = []
    for page in book.rglob("*.html"):
        for href in _parse(page).links:
            parsed = urlparse(href)
            if parsed.scheme or href.startswith(("#", "mailto:", "//")) or not parsed.path:
                continue
            target = (page.parent / unquote(parsed.path)).resolve()
            if not target.exists():
                broken.append(f"{page.relative_to(book)} -> {href}")
    assert broken == [], broken[:10]


def test_glossary_gives_chinese_terms(built_book):
    glossary = (built_book / "book" / "glossary.html").read_text(encoding="utf-8")
    for term in ["客户细分", "RFM模型", "客户价值矩阵", "客户终身价值", "快照日期", "客诉处理", "服务补救",
                 "非暴力沟通", "约哈里之窗", "内部客户"]:
        assert term in glossary, term


# ---- Solutions --------------------------------------------------------------------------------
@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_solutions_are_collapsed_and_checks_say_correct(book, workbook):
    """Every check cell of the executed workbook says Correct (the build ran every cell with its solution)."""
    html = (book / f"{workbook}.html").read_text(encoding="utf-8")
    source = (ROOT / f"{workbook}.ipynb").read_text(encoding="utf-8")
    checks = len(re.findall(r"""check\(\s*\\?["']\w+\.\w+\\?["']""", source))
    assert html.count("tag_solution") >= 6, "every exercise should have a solution cell"
    assert checks >= 6 and html.count("cvm-correct") == checks, (
        f"{html.count('cvm-correct')} of {checks} checks show as correct in the book")
    assert "cvm-hint" not in html and "Traceback" not in html


@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_solution_outputs_are_collapsed_with_their_code(book, edition, workbook):
    """The answer a solution prints is inside the same collapsed block as its code, nowhere else."""
    show = _extension().UI[edition]["show_solution"]
    cells = _main(book / f"{workbook}.html").select("div.cell.tag_solution")
    assert cells, "no solution cells"
    for cell in cells:
        details = cell.find("details", recursive=False)
        assert details is not None, f"solution not collapsed: {_text(cell)[:80]}"
        assert details.find("summary") is not None and show in _text(details.find("summary"))
        outside = [child for child in cell.find_all(recursive=False) if child is not details]
        assert outside == [], f"part of a solution outside its collapsed block: {_text(cell)[:80]}"
        assert details.select_one("div.cell_input"), "the collapsed block holds the code"
    assert any(cell.select_one("details div.cell_output") for cell in cells), "no solution output inside its block"


# ---- Instructor material ------------------------------------------------------------------------
def test_sources_have_instructor_material():
    pages = {page for page, _ in INSTRUCTOR_BLOCKS}
    assert set(WORKBOOKS) <= pages, f"workbooks without instructor notes: {set(WORKBOOKS) - pages}"
    assert {"book/communication", "book/complaints"} <= pages
    assert all(len(probe) >= 20 for _, probe in INSTRUCTOR_BLOCKS), [p for _, p in INSTRUCTOR_BLOCKS if len(p) < 20]


def test_reader_edition_has_no_instructor_material(book):
    leaks = []
    for page in PAGES:
        main = _main(book / f"{page}.html")
        if main.select(".cvm-instructor, .cvm-instructor-cell, .tag_instructor"):
            leaks.append(f"{page}: instructor element")
        if _soup(book / f"{page}.html").select_one(".bd-header-announcement"):
            leaks.append(f"{page}: instructor-edition banner")
        text = _text(main)
        leaks += [f"{page}: {probe[:50]}" for other, probe in INSTRUCTOR_BLOCKS if probe in text]
    for path in (book / "_sources").rglob("*"):
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if path.suffix == ".ipynb":  # the cells' text, not the JSON around it
            text = " ".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                            for c in json.loads(text)["cells"])
        text = re.sub(r"\s+", " ", text)
        leaks += [f"{path.relative_to(book)} (download): {probe[:50]}" for _, probe in INSTRUCTOR_BLOCKS
                  if probe in text]
    assert leaks == [], leaks[:10]


def test_reader_search_index_has_no_instructor_words(built_book):
    from sphinx.search.en import SearchEnglish

    stem = SearchEnglish({}).stem
    reader_words = set()
    for page in built_book.rglob("*.html"):
        reader_words |= {stem(word.lower()) for word in re.findall(r"\w+", _soup(page).get_text(" "))}
    instructor_words = {stem(word.lower()) for _, probe in INSTRUCTOR_BLOCKS for word in re.findall(r"[A-Za-z]{4,}", probe)}
    index = json.loads(re.search(r"Search\.setIndex\((.*)\)\s*$", (built_book / "searchindex.js").read_text(encoding="utf-8"),
                                 re.S).group(1))
    # an incremental build keeps terms of pruned text with an empty document list: those point nowhere
    indexed = {term for term, docs in index["terms"].items() if docs != []}
    leaked = (instructor_words - reader_words) & indexed
    assert leaked == set(), f"search index holds words found only in instructor notes: {sorted(leaked)[:10]}"
    assert instructor_words - reader_words, "the probe words of the instructor notes should not all occur in reader text"


def test_instructor_edition_shows_instructor_material(instructor_book):
    missing = []
    for page, probe in INSTRUCTOR_BLOCKS:
        boxes = _main(instructor_book / f"{page}.html").select(".cvm-instructor, .cvm-instructor-cell")
        if not any(probe in _text(box) for box in boxes):
            missing.append(f"{page}: {probe[:50]}")
    assert missing == [], missing[:10]
    rfm = _soup(instructor_book / "notebooks" / "rfm.html")
    assert "Instructor edition" in _text(rfm.select_one(".bd-header-announcement")), "no instructor-edition banner"
    assert _soup(instructor_book / "notebooks" / "rfm.html").select("div.cell.tag_solution > details"), \
        "solutions stay collapsed in the instructor edition too"


def test_extension_wraps_instructor_markdown_cells_of_both_notebook_formats():
    cvm_book = _extension()
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {"tags": ["instructor"]},
                           "source": ["Timing ```x``` and\n", "```python\ncode\n```\n"]},
                          {"cell_type": "markdown", "metadata": {}, "source": "For everyone."}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    wrapped = json.loads(cvm_book.wrap_ipynb_instructor_cells(json.dumps(notebook)))
    first = wrapped["cells"][0]["source"]
    assert first.startswith("````{instructor}\n") and first.rstrip().endswith("````"), first
    assert wrapped["cells"][1]["source"] == "For everyone."
    myst = "+++ {\"tags\": [\"instructor\"]}\n\nDebrief: ask why.\n\n```{code-cell} ipython3\nx = 1\n```\n"
    out = cvm_book.wrap_myst_instructor_cells(myst)
    assert "```{instructor}\nDebrief: ask why.\n```" in out and out.endswith("```{code-cell} ipython3\nx = 1\n```\n")
    assert "Debrief" not in cvm_book.strip_instructor_from_myst(myst)
    stripped = json.loads(cvm_book.strip_instructor_from_ipynb(json.dumps(notebook)))
    assert [cell["source"] for cell in stripped["cells"]] == ["For everyone."]


# ---- Reader pages: plumbing, stale text, tables ----------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_reader_pages_show_no_build_plumbing(book, page):
    shown = [_text(cell) for cell in _main(book / f"{page}.html").select("div.cell_input")]
    found = [f"{pattern}: {code[:70]}" for code in shown for pattern in PLUMBING if re.search(pattern, code)]
    assert found == [], found


@pytest.mark.parametrize("page", PAGES)
def test_reader_pages_have_no_stale_text(book, edition, page):
    text = _text(_main(book / f"{page}.html"))
    patterns = STALE + (STALE_ZH if edition == "zh" else [])
    found = [match.group(0) for pattern in patterns for match in re.finditer(pattern, text, flags=re.I)]
    assert found == [], found


def _where(table: Tag) -> str:
    """The code line that displayed a table (or its first row), to find it in the source."""
    cell = table.find_parent("div", class_="cell")
    code = cell.select_one("div.cell_input") if cell is not None else None
    lines = [line.strip() for line in code.get_text().splitlines() if line.strip()] if code is not None else []
    first_row = table.find("tr")
    return f"`{lines[-1][:80]}`" if lines else _text(first_row)[:70] if first_row else "?"


def _table_is_labelled(table: Tag) -> bool:
    """A caption, or (for a table that is not the output of a code cell shown above it) a heading or a
    sentence right before it."""
    caption = table.find("caption")
    if caption is not None and _text(caption):
        return True
    if table.get("aria-label"):
        return True
    cell = table.find_parent("div", class_="cell")
    if cell is not None:
        if cell.select_one("div.cell_input"):
            return False  # the code is right above the table: only a caption labels it
        block = cell
    else:
        block = table.find_parent("div", class_="pst-scrollable-table-container") or table
    previous = block.find_previous_sibling()
    return previous is not None and previous.name in {"p", "h1", "h2", "h3", "h4", "h5", "h6"} and bool(_text(previous))


@pytest.mark.parametrize("page", PAGES)
def test_every_table_has_a_caption_or_label(book, page):
    tables = [t for t in _main(book / f"{page}.html").find_all("table") if not t.find_parent("table")]
    unlabelled = [_where(t) for t in tables if not _table_is_labelled(t)]
    assert unlabelled == [], f"tables without a caption (Styler.set_caption) or a heading sentence before them: {unlabelled}"


def _column_headers(table: Tag) -> list[str]:
    head = table.find("thead")
    row = head.find("tr") if head else None
    row = row or table.find("tr")
    headers = []
    for th in row.find_all(["th", "td"]) if row else []:
        headers += [_text(th)] * int(th.get("colspan", 1) or 1)
    return headers


@pytest.mark.parametrize("page", PAGES)
def test_numbers_in_tables_are_not_run_together(book, page):
    """Six or more digits in a row (1043214) are unreadable: tables format them as 1,043,214."""
    found = []
    for table in _main(book / f"{page}.html").find_all("table"):
        headers, where = _column_headers(table), _where(table)
        for row in table.find_all("tr"):
            for position, cell in enumerate(row.find_all(["td", "th"])):
                header = headers[position] if position < len(headers) else ""
                if ID_COLUMN.search(header):
                    continue  # identifiers and years are written without separators
                found += [f"{where} {header}: {m.group(0)}" for m in RUN_TOGETHER.finditer(_text(cell))]
    assert found == [], f"numbers without thousands separators: {found[:8]}"


def test_book_build_turns_progress_logging_off_and_fails_if_a_log_is_written(tmp_path, monkeypatch):
    """The checks executed by the build never log progress into the sources; a log written anyway fails it."""
    cvm_book = _extension()

    class App:
        srcdir = tmp_path
        config = None

        def connect(self, *args, **kwargs):
            pass

        def __getattr__(self, name):  # add_node, add_directive, ...: not needed here
            return lambda *args, **kwargs: None

    monkeypatch.setenv("CVM_PROGRESS", "on")
    monkeypatch.delenv("CVM_PROGRESS_DIR", raising=False)
    cvm_book.setup(App())
    assert os.environ["CVM_PROGRESS"] == "off", "kernels started by the build must inherit CVM_PROGRESS=off"
    warnings = []
    monkeypatch.setattr(cvm_book.LOGGER, "warning", lambda message, *args, **kwargs: warnings.append(message % args))
    app = App()
    cvm_book.remember_progress_logs(app)
    cvm_book.check_progress_logs(app, None)
    assert warnings == []
    log = tmp_path / "notebooks" / ".cvm" / "progress.jsonl"
    log.parent.mkdir(parents=True)
    log.write_text('{"v": 1}\n', encoding="utf-8")
    cvm_book.check_progress_logs(app, None)
    assert len(warnings) == 1 and "progress.jsonl" in warnings[0]
