"""The book builds with zero warnings and reads fully offline (no script, style or font from another host)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


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


def test_toc_lists_every_chapter_and_workbook():
    chapters = {"book/rfm", "book/segmentation", "book/value_matrix", "book/clv", "book/communication", "book/complaints"}
    assert chapters | {"book/glossary", "book/references"} <= set(PAGES)
    assert len(WORKBOOKS) == len(chapters)
    assert sorted(WORKBOOKS) == sorted(f"notebooks/{nb.stem}" for nb in (ROOT / "notebooks").glob("*.ipynb"))


def test_all_chapters_are_built(built_book):
    for page in PAGES:
        assert (built_book / f"{page}.html").exists(), page
    assert (built_book / "index.html").exists()


def test_no_page_loads_anything_from_another_host(built_book):
    remote = {}
    for page in built_book.rglob("*.html"):
        found = [url for url in _parse(page).loads if _is_remote(url)]
        if found:
            remote[str(page.relative_to(built_book))] = found[:3]
    assert remote == {}, f"pages loading from other hosts: {remote}"


def test_no_stylesheet_imports_fonts_or_styles_from_another_host(built_book):
    remote = {}
    for css in (built_book / "_static").rglob("*.css"):
        urls = re.findall(r"(?:url\(\s*['\"]?|@import\s+['\"])([^)'\"\s]+)", css.read_text(encoding="utf-8", errors="replace"))
        found = [url for url in urls if _is_remote(url) and "w3.org" not in url]
        if found:
            remote[str(css.relative_to(built_book))] = found[:3]
    assert remote == {}, f"stylesheets loading from other hosts: {remote}"


def test_math_and_widgets_are_served_locally(built_book):
    rfm_page = [urlparse(url).path for url in _parse(built_book / "notebooks" / "rfm.html").loads]
    assert any(url.endswith("cvm-vendor/require.js") for url in rfm_page)
    assert any(url.endswith("cvm-vendor/embed-amd.js") for url in rfm_page)
    assert (built_book / "_static" / "cvm-vendor" / "mathjax" / "tex-chtml.js").exists()
    html = (built_book / "notebooks" / "rfm.html").read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" in html, "widget state not embedded: sliders would not render"


def test_internal_links_resolve(built_book):
    broken = []
    for page in built_book.rglob("*.html"):
        for href in _parse(page).links:
            parsed = urlparse(href)
            if parsed.scheme or href.startswith(("#", "mailto:", "//")) or not parsed.path:
                continue
            target = (page.parent / unquote(parsed.path)).resolve()
            if not target.exists():
                broken.append(f"{page.relative_to(built_book)} -> {href}")
    assert broken == [], broken[:10]


def test_glossary_gives_chinese_terms(built_book):
    glossary = (built_book / "book" / "glossary.html").read_text(encoding="utf-8")
    for term in ["客户细分", "RFM模型", "客户价值矩阵", "客户终身价值", "快照日期", "客诉处理", "服务补救",
                 "非暴力沟通", "约哈里之窗", "内部客户"]:
        assert term in glossary, term


@pytest.mark.parametrize("workbook", WORKBOOKS)
def test_solutions_are_collapsed_and_checks_say_correct(built_book, workbook):
    html = (built_book / f"{workbook}.html").read_text(encoding="utf-8")
    assert html.count("tag_hide-input") >= 6, "solution cells should be collapsed (hide-input)"
    assert html.count("cvm-correct") >= 6, "every solution's check should show as correct in the book"
    assert "cvm-hint" not in html and "Traceback" not in html
