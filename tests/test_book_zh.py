"""The Chinese edition, read from its HTML: Chinese everywhere, a switch to the same page in English, its own font.

``_build/html/zh/`` is built with the English edition by the ``built_books`` fixture (tests/conftest.py,
``tools/build_book.py --lang zh``). The checks shared by both editions (no request to another host, links,
solutions, instructor material, tables) run on it from tests/test_book.py; here are the ones about the
language:

- every page says ``<html lang="zh-CN">`` (``en`` in the English edition), and every page of both editions
  has one language switch that leads to the same page in the other edition; the root page
  ``_build/html/index.html`` lets a reader choose, offline;
- the sidebar captions, the book's title, the search box and the extension's own labels are Chinese;
- no paragraph, list item, heading, table cell or caption is left in English: its text, once code,
  math, citations and identifiers are taken out, must hold Chinese characters (offenders listed by page);
- the vendored Noto Sans SC (tools/vendor_assets.py) is served with its stylesheet, every piece it names
  exists, and it has a glyph for every character of every page's text;
- the search index, split into words by jieba, holds partial terms such as 客户 and 价值;
- the instructor edition in Chinese shows Chinese instructor notes and banner.

The browser checks of the same edition (the font actually loads, no missing glyph, search) are in
tests/test_browser_zh.py.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from tests.test_book import (
    EDITIONS,
    PAGES,
    ROOT,
    WORKBOOKS,
    _extension,
    _is_remote,
    _main,
    _parse,
    _soup,
)

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
CJK_MARKS = re.compile(r"[\u3000-\u303f\uff00-\uffef]")  # 。，、：；“” full-width forms
LANG_TAG = {"en": "en", "zh": "zh-CN"}

# ---- What counts as an untranslated element -------------------------------------------------------
# The elements whose text a reader reads as sentences (list items and cells: their own text, without the
# paragraphs and lists inside them, which are checked by themselves).
CHECKED = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption", "caption", "dt", "dd", "summary"]
NESTED_BLOCKS = ["p", "ul", "ol", "dl", "table", "div", "pre", "blockquote", "figure"]
# Taken out before reading: code, math, citations, links to other sites, the permalink signs, widgets' data.
REMOVED = ("pre, code, kbd, samp, tt, script, style, .math, span.math, div.math, mjx-container, .MathJax, "
           ".bibtex-citation, a.reference.external, a.headerlink, div.cell_input, div.highlight, svg, "
           "[translate=no]")  # HTML's own "do not translate" (e.g. a table of raw data values)
# Elements not checked at all: the bibliography (titles of published works stay in their language).
EXEMPT = ".citation, [role=doc-biblioentry], .bibliography, .footnote, .docutils.container.citation-list"
# Identifiers, names and symbols that stay as they are in Chinese text.
IDENTIFIER = re.compile(
    r"""https?://\S+                                  # addresses
      | \b[\w-]*[_.][\w.-]*\w\b                       # snake_case, dotted names, file names
      | \b\w+\(\)                                     # calls
      | \b\d*[A-Z][A-Z0-9]*(?:[/&+-][A-Z0-9]+)*s?\b   # acronyms: RFM, BG/NBD, CLV, 5W2H, 4C, KPIs
      | \b[A-Z][a-z]+[A-Z]\w*                         # CamelCase names: JupyterLab, DataFrame, DuckDB
      | \b[A-Za-z]\b                                  # single letters: R, F, M, x
    """, re.X)
# Product, library and data-set names written in Latin letters in Chinese text too.
NAMES = re.compile(r"\b(?:Jupyter|Python|pandas|NumPy|numpy|matplotlib|Excel|Sphinx|MathJax|Chromium|Chrome|"
                   r"Firefox|Windows|macOS|Linux|Polars|Spark|lifetimes|ipywidgets|scikit-learn|sklearn|"
                   r"seaborn|Gamma-Gamma|Gamma|Pareto|Noto Sans SC|GitHub|Markdown|k-means|cvmlib)\b")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def _pages(book: Path) -> list[Path]:
    """Every HTML page of an edition (not the redirect index.html, not the theme's files in _static)."""
    return sorted(page for page in book.rglob("*.html")
                  if page.name != "index.html" or page.parent != book
                  if "_static" not in page.relative_to(book).parts)


def _own_text(element: Tag) -> str:
    """What a reader reads in ``element``, minus code, math, citations and identifiers (on a copy)."""
    copy = BeautifulSoup(str(element), "html.parser")
    root = copy.find(element.name)
    assert isinstance(root, Tag)
    for removed in root.select(REMOVED):
        removed.decompose()
    if element.name in {"li", "td", "th", "dd", "dt", "summary", "caption"}:
        for nested in root.find_all(NESTED_BLOCKS):
            nested.decompose()
    return re.sub(r"\s+", " ", root.get_text(" ")).strip()


def untranslated(element: Tag) -> str | None:
    """The element's text if it is English (Latin words, no Chinese character), else None."""
    text = _own_text(element)
    if HAN.search(text):
        return None
    words = NAMES.sub(" ", IDENTIFIER.sub(" ", text))
    return text if ENGLISH_WORD.search(words) else None


def english_elements(container: Tag) -> list[str]:
    """The English elements of ``container`` (bibliography entries aside), as ``<tag> text``."""
    copy = BeautifulSoup(str(container), "html.parser")
    for exempt in copy.select(EXEMPT):
        exempt.decompose()
    return [f"<{element.name}> {text[:90]}" for element in copy.find_all(CHECKED)
            if (text := untranslated(element)) is not None]


def _search_index(book: Path) -> dict:
    text = (book / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"Search\.setIndex\((.*)\)\s*$", text, re.S).group(1))


@cache
def _catalog(domain: str) -> dict[str, str]:
    """msgid -> msgstr of one book catalog (locales/zh_CN/LC_MESSAGES/<domain>.po)."""
    from babel.messages.pofile import read_po

    with open(ROOT / "locales" / "zh_CN" / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
        catalog = read_po(handle)
    return {message.id: message.string for message in catalog if message.id and isinstance(message.id, str)}


def _toc_captions() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [part["caption"] for part in toc.get("parts", []) if part.get("caption")]


# ---- The detector itself (no build needed) -----------------------------------------------------------
@pytest.mark.parametrize(("html", "english"), [
    ("<p>The snapshot date is explicit.</p>", True),
    ("<p>快照日期必须明确给出，<code>snapshot_date</code> 默认为最后一笔订单的次日。</p>", False),
    ("<li>Champions</li>", True),
    ("<td>RFM</td>", False),
    ("<td>12,345.60</td>", False),
    ("<p><code>rfm_table(orders)</code> <span class='math'>R = 5</span></p>", False),
    ("<p><span class='bibtex-citation'>Fader et al. [2005]</span></p>", False),
    ("<h2>Exercise 1: recency<a class='headerlink' href='#x'>#</a></h2>", True),
    ("<h2>练习 1：最近一次消费 (Recency)<a class='headerlink' href='#x'>#</a></h2>", False),
    ("<li><p>在 JupyterLab 中打开练习册。</p></li>", False),
    ("<td>BG/NBD</td>", False),
    ("<li>JupyterLab, pandas</li>", False),
])
def test_untranslated_detector(html, english):
    element = BeautifulSoup(html, "html.parser").find(True)
    assert (untranslated(element) is not None) == english, _own_text(element)


# ---- Language of every page, and the switch between editions ------------------------------------------
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_declares_its_language(built_books, edition):
    book = built_books[edition]
    wrong = {}
    for page in _pages(book):
        html = _soup(page).find("html")
        if html is None or html.get("lang") != LANG_TAG[edition]:
            wrong[str(page.relative_to(book))] = html.get("lang") if html else None
    assert wrong == {}, f'pages without <html lang="{LANG_TAG[edition]}">: {dict(list(wrong.items())[:10])}'


@pytest.mark.parametrize("edition", EDITIONS)
def test_language_switch_leads_to_the_same_page_in_the_other_edition(built_books, edition):
    book = built_books[edition]
    other = "zh" if edition == "en" else "en"
    label = _extension().LANGUAGES[other][0]
    problems = []
    for page in _pages(book):
        relative = page.relative_to(book)
        switches = _soup(page).select("a.cvm-language-switch")
        if len(switches) != 1:
            problems.append(f"{relative}: {len(switches)} language switches")
            continue
        switch = switches[0]
        href = switch.get("href", "")
        target = (page.parent / unquote(urlparse(href).path)).resolve()
        if urlparse(href).scheme or href.startswith("/") or target != (built_books[other] / relative).resolve():
            problems.append(f"{relative}: switch -> {href} (not the same page of the {other} edition)")
        elif not target.exists():
            problems.append(f"{relative}: switch -> {href} (missing)")
        if switch.get_text(" ", strip=True) != label or switch.get("lang") != LANG_TAG[other] \
                or switch.get("hreflang") != LANG_TAG[other]:
            problems.append(f"{relative}: switch says {switch.get_text(' ', strip=True)!r} lang={switch.get('lang')}")
        alternate = _soup(page).select_one(f'link[rel="alternate"][hreflang="{LANG_TAG[other]}"]')
        if alternate is None or alternate.get("href") != href:
            problems.append(f"{relative}: no <link rel=alternate hreflang={LANG_TAG[other]}> to the same page")
    assert problems == [], problems[:10]


def test_root_page_lets_the_reader_choose_a_language(built_books):
    site = built_books["en"].parent
    root = site / "index.html"
    assert root.exists(), "no _build/html/index.html (cvm_book.write_language_chooser, run after both builds)"
    soup = BeautifulSoup(root.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("html").get("lang") == "zh-CN"
    links = {a.get("hreflang"): a for a in soup.select("a[href]")}
    assert set(links) == {"zh-CN", "en"}, links
    for lang, tag in LANG_TAG.items():
        link = links[tag]
        assert link.get("lang") == tag
        target = (site / unquote(link["href"])).resolve()
        assert target.is_relative_to(built_books[lang].resolve()) and target.exists(), link["href"]
        assert target == (built_books[lang] / f"{PAGES[0]}.html").resolve(), "should open the edition's first page"
    assert "中文" in links["zh-CN"].get_text() and "English" in links["en"].get_text()
    loads = _parse(root).loads
    assert [url for url in loads if _is_remote(url)] == []
    assert all((site / unquote(url)).exists() for url in loads), loads
    assert any(url.endswith("noto-sans-sc.css") for url in loads), "the chooser's Chinese needs the vendored font"


def test_language_chooser_for_any_output_folder(tmp_path):
    """write_language_chooser links to the editions found (reader or instructor output), from file:// too."""
    cvm_book = _extension()
    with pytest.raises(FileNotFoundError):
        cvm_book.write_language_chooser(tmp_path)
    for lang, title in (("en", "A course"), ("zh", "一门课程")):
        (tmp_path / lang / "book").mkdir(parents=True)
        (tmp_path / lang / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=book/intro.html" />')
        (tmp_path / lang / "book" / "intro.html").write_text(f'<p class="title logo__title">{title}</p>')
    page = cvm_book.write_language_chooser(tmp_path).read_text(encoding="utf-8")
    assert 'href="zh/book/intro.html" lang="zh-CN" hreflang="zh-CN"' in page
    assert 'href="en/book/intro.html" lang="en" hreflang="en"' in page
    assert "一门课程" in page and "A course" in page
    assert page.index("zh/book/intro.html") < page.index("en/book/intro.html"), "Chinese first"
    assert "<script" not in page and "http" not in page.replace('http-equiv', '')


def test_language_switch_link_is_right_at_any_depth():
    switch = _extension().language_switch
    assert switch("book/rfm", "en")["href"] == "../../zh/book/rfm.html"
    assert switch("search", "zh")["href"] == "../en/search.html"
    assert switch("notebooks/rfm", "zh") == {"href": "../../en/notebooks/rfm.html", "label": "English", "lang": "en",
                                             "title": "Read this page in English", "edition": "en"}


# ---- Navigation and the extension's own words in Chinese -----------------------------------------------
def test_sidebar_captions_title_and_search_box_are_chinese(built_book_zh):
    captions = _catalog("book/intro")
    expected = [captions.get(caption, "") for caption in _toc_captions()]
    assert all(HAN.search(caption) for caption in expected), f"untranslated toc captions in book/intro.po: {expected}"
    search = _extension().UI["zh"]["search"]
    problems = []
    for page in _pages(built_book_zh):
        soup, relative = _soup(page), page.relative_to(built_book_zh)
        shown = [caption.get_text(strip=True) for caption in soup.select("nav.bd-links p.caption span.caption-text")]
        if shown != expected:
            problems.append(f"{relative}: sidebar captions {shown}, catalog says {expected}")
        brand = soup.select_one(".logo__title")
        if brand is None or not HAN.search(brand.get_text()):
            problems.append(f"{relative}: book title {brand.get_text(strip=True) if brand else None!r}")
        if not HAN.search(soup.title.get_text() if soup.title else ""):
            problems.append(f"{relative}: <title> {soup.title}")
        placeholders = {field.get("placeholder") for field in soup.select("input[placeholder]")}
        if placeholders - {search}:
            problems.append(f"{relative}: search box says {placeholders}")
        sidebar = [text for link in soup.select("nav.bd-links a") if (text := untranslated(link)) is not None]
        if sidebar:
            problems.append(f"{relative}: English page titles in the sidebar: {sidebar[:3]}")
        author = soup.select_one(".component-author")
        if author is not None and not HAN.search(author.get_text().replace("作者", "")):
            problems.append(f"{relative}: the author is {author.get_text(' ', strip=True)!r} "
                            "(the zh build's `author`, tools/build_book.py)")
    assert problems == [], problems[:12]


@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_extension_labels_are_chinese(built_book_zh, workbook):
    ui = _extension().UI["zh"]
    page = built_book_zh / f"{workbook}.html"
    summaries = {summary.get_text(" ", strip=True) for summary in _main(page).select("div.cell.tag_solution summary")}
    assert summaries and all(ui["show_solution"] in text for text in summaries), summaries
    html = page.read_text(encoding="utf-8")
    assert "Show solution" not in html and "Hide solution" not in html
    assert f"let toggleHintShow = '{ui['toggle_show']}';" in html, "sphinx-togglebutton's hint should be Chinese"


# ---- No English paragraph left -----------------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_no_untranslated_english_paragraph(built_book_zh, page):
    """Text of paragraphs, list items, headings, table cells and captions, minus code, math, citations and
    identifiers, must hold Chinese characters."""
    found = english_elements(_main(built_book_zh / f"{page}.html"))
    assert found == [], f"{page}: {len(found)} English elements, e.g. " + " | ".join(found[:8])


# ---- The CJK font --------------------------------------------------------------------------------------
_FACE = re.compile(r"@font-face\s*{(.*?)}", re.S)


def font_faces(css_path: Path) -> list[dict[str, object]]:
    """The ``@font-face`` rules of the vendored stylesheet: family, weight, woff2 file and unicode ranges."""
    faces = []
    for body in _FACE.findall(css_path.read_text(encoding="utf-8")):
        url = re.search(r"url\(['\"]?([^)'\"]+)", body).group(1)
        ranges = []
        for part in re.search(r"unicode-range:\s*([^;]+)", body).group(1).split(","):
            low, _, high = part.strip()[2:].partition("-")
            ranges.append((int(low, 16), int(high or low, 16)))
        faces.append({"family": re.search(r"font-family:\s*['\"]?([^;'\"]+)", body).group(1),
                      "weight": int(re.search(r"font-weight:\s*(\d+)", body).group(1)),
                      "file": (css_path.parent / url).resolve(), "url": url, "ranges": ranges})
    return faces


@cache
def woff2_coverage(path: Path, ranges: tuple[tuple[int, int], ...]) -> frozenset[int]:
    """The characters a woff2 piece draws for the browser: its cmap within its unicode-range."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(path)).getBestCmap()
    return frozenset(code for code in cmap if any(low <= code <= high for low, high in ranges))


def test_cjk_font_is_vendored_with_every_piece_its_stylesheet_names(built_book_zh):
    css = built_book_zh / "_static" / _extension().FONT_CSS
    faces = font_faces(css)
    assert {face["family"] for face in faces} == {"Noto Sans SC"}
    by_weight = {weight: [face for face in faces if face["weight"] == weight] for weight in (400, 700)}
    assert all(len(pieces) >= 90 for pieces in by_weight.values()), {w: len(p) for w, p in by_weight.items()}
    missing = [face["url"] for face in faces if not face["file"].exists()]
    assert missing == [], f"woff2 pieces named by the stylesheet but not served: {missing[:5]}"
    assert all(str(face["url"]).endswith(".woff2") for face in faces), "woff2 only"
    assert (css.parent / "LICENSE").exists(), "the OFL licence travels with the font"
    size = sum(face["file"].stat().st_size for face in faces)
    assert size < 8_000_000, f"the font adds {size / 1e6:.1f} MB to each edition"


def test_book_css_puts_the_cjk_font_first_in_chinese_and_as_fallback_in_english(built_book_zh):
    css = (built_book_zh / "_static" / "cvm_book.css").read_text(encoding="utf-8")
    stack = re.search(r"--cvm-font-cjk:\s*([^;]+);", css).group(1)
    assert [name.strip().strip('"') for name in stack.split(",")] == [
        "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC"]
    zh_rule = re.search(r":root:lang\(zh\)\s*{([^}]*)}", css).group(1)
    assert re.search(r"--pst-font-family-base:\s*var\(--cvm-font-cjk\)", zh_rule), zh_rule
    assert re.search(r"--pst-font-family-base:\s*system-ui,\s*var\(--cvm-font-cjk\),\s*sans-serif", css)
    assert re.search(r"--pst-font-family-monospace:[^;]*var\(--cvm-font-cjk\),\s*monospace", css)


def test_vendored_font_draws_every_character_of_every_page(built_books):
    """Every Chinese character and CJK punctuation mark of every page (both editions) has a glyph in the
    pieces of Noto Sans SC whose unicode-range holds it (other characters are drawn by the Latin fonts:
    tests/test_browser_zh.py checks them in the browser)."""
    faces = font_faces(built_books["zh"] / "_static" / _extension().FONT_CSS)
    regular = set().union(*(woff2_coverage(face["file"], tuple(face["ranges"])) for face in faces
                            if face["weight"] == 400))
    missing: dict[str, set[str]] = {}
    for edition, book in built_books.items():
        for page in PAGES:
            text = _soup(book / f"{page}.html").get_text()
            chars = {char for char in text if HAN.match(char) or CJK_MARKS.match(char)}
            lost = {char for char in chars if ord(char) not in regular}
            if lost:
                missing[f"{edition}/{page}"] = lost
    assert missing == {}, {page: " ".join(f"{c} U+{ord(c):04X}" for c in sorted(chars)[:10])
                           for page, chars in missing.items()}


# ---- Search --------------------------------------------------------------------------------------------
def test_search_index_holds_partial_chinese_terms(built_book_zh):
    index = _search_index(built_book_zh)
    assert index.get("envversion") and "zh" in (built_book_zh / "_static" / "documentation_options.js").read_text(
        encoding="utf-8")
    terms = index["terms"]
    for term in ("客户", "价值"):
        documents = terms.get(term, [])
        documents = [documents] if isinstance(documents, int) else documents
        assert len(documents) >= 3, f"{term}: in {len(documents)} pages of the search index"


# ---- The instructor edition in Chinese ---------------------------------------------------------------
@pytest.fixture(scope="module")
def instructor_book_zh(built_instructor_books: dict[str, Path]) -> Path:
    return built_instructor_books["zh"]


def test_instructor_edition_in_chinese(instructor_book_zh, built_books):
    ui = _extension().UI["zh"]
    problems = []
    boxes = 0
    for page in PAGES:
        soup = _soup(instructor_book_zh / f"{page}.html")
        banner = soup.select_one(".bd-header-announcement")
        if banner is None or ui["announcement"] not in banner.get_text(" ", strip=True):
            problems.append(f"{page}: no Chinese instructor-edition banner")
        for box in _main(instructor_book_zh / f"{page}.html").select(".cvm-instructor"):
            boxes += 1
            title = box.select_one(".admonition-title")
            if title is None or not HAN.search(title.get_text()):
                problems.append(f"{page}: instructor box titled {title.get_text(strip=True) if title else None!r}")
            problems += [f"{page}: {text}" for text in english_elements(box)]
        switch = soup.select_one("a.cvm-language-switch")
        if switch is None or switch.get("href") != f"{'../' * (page.count('/') + 1)}en/{page}.html":
            problems.append(f"{page}: language switch {switch.get('href') if switch else None}")
    assert boxes >= len(WORKBOOKS), "the instructor notes should be there"
    assert problems == [], problems[:12]
    if (instructor_book_zh.parent / "en" / "index.html").exists():
        _extension().write_language_chooser(instructor_book_zh.parent)
        assert 'href="zh/' in (instructor_book_zh.parent / "index.html").read_text(encoding="utf-8")
