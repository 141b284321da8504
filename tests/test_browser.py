"""Open the built book in headless Chromium with the network cut off, as a reader in a closed classroom.

Every request that does not go to the local test server is blocked and recorded; the test fails if a
page asked for any, if MathJax did not typeset, or if the widget explorer did not render. The same
browser then reads every page at desktop width (1280 px) and at phone width (375 px) and measures what
a reader sees: solutions stay hidden, code and result together, until clicked; no table row is hundreds
of pixels tall; at phone width no text in a table overlaps other text and no page scrolls sideways; wide
equations scroll inside their own box, with a visible scrollbar and an edge shadow as a hint.
Both editions (``en``, ``zh``) are checked; the checks only the Chinese edition needs (its font loads, no
missing glyph, Chinese search, the language switch) are in tests/test_browser_zh.py.
Needs Debian's chromium (.ci/run installs it); the playwright pip package drives it.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.test_book import EDITIONS, PAGES, ROOT, WORKBOOKS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (apt-get install chromium)")

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
WIDTHS = (1280, 375)
PHONE = 375
ROW_LIMIT_PX = 160  # about six lines of table text; before issue 9 rows reached 398 px
SHOTS = ROOT / "_build"  # screenshots, beside (not inside) the published site
# The layout checks read a sample of pages in each edition (the pages with the most tables and
# equations, a workbook, the glossary), to keep `make test` short; `make test-full` (CVM_BROWSER_ALL=1)
# reads every page of both. The static checks of tests/test_book.py read every page of both anyway.
SAMPLE = ["book/rfm", "book/lifecycle", "notebooks/rfm", "book/glossary"]
EVERY_PAGE = os.environ.get("CVM_BROWSER_ALL") == "1"
PAGES_READ = {lang: [page for page in PAGES if EVERY_PAGE or page in SAMPLE] for lang in EDITIONS}
# The solution clicks of three workbooks in English and one in Chinese (same template, same code, translated
# text); of every workbook in both editions with make test-full. tests/test_book.py checks every workbook's
# solution markup in the HTML.
SOLUTION_SAMPLE = ("notebooks/rfm", "notebooks/communication_workbook", "notebooks/lifecycle_workbook")
SOLUTION_PAGES = [(edition, workbook) for edition in EDITIONS for workbook in WORKBOOKS
                  if EVERY_PAGE or workbook in (SOLUTION_SAMPLE if edition == "en" else SOLUTION_SAMPLE[:1])]

# What a reader sees, measured in the page: tables (row heights, text boxes), display equations, sideways scroll.
MEASURE = r"""
() => {
  const main = document.querySelector('main') || document.body;
  const visible = (e) => !!(e.offsetParent || e.getClientRects().length);
  const textBox = (e) => { const r = document.createRange(); r.selectNodeContents(e); return r.getBoundingClientRect(); };
  const overlaps = (a, b) => a.width > 0 && b.width > 0 && a.left < b.right - 1 && b.left < a.right - 1
                                && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const tables = Array.from(main.querySelectorAll('table')).filter(visible).map((table) => {
    let tallest = 0, tallText = '';
    const clashes = [];
    table.querySelectorAll('tr').forEach((tr) => {
      const height = tr.getBoundingClientRect().height;
      if (height > tallest) { tallest = height; tallText = tr.innerText.replace(/\s+/g, ' ').slice(0, 60); }
      const cells = Array.from(tr.children).filter((c) => c.innerText.trim());
      const boxes = cells.map(textBox);
      cells.forEach((cell, i) => {
        const box = cell.getBoundingClientRect(), text = boxes[i];
        if (text.left < box.left - 1 || text.right > box.right + 1 || text.top < box.top - 1 || text.bottom > box.bottom + 1) {
          clashes.push('outside its cell: ' + cell.innerText.slice(0, 30));
        }
        for (let j = i + 1; j < cells.length; j++) {
          if (overlaps(text, boxes[j])) clashes.push(cell.innerText.slice(0, 20) + ' / ' + cells[j].innerText.slice(0, 20));
        }
      });
    });
    return {first: table.innerText.replace(/\s+/g, ' ').slice(0, 50), tallest, tallText, clashes: clashes.slice(0, 3)};
  });
  const equations = Array.from(main.querySelectorAll('mjx-container[display="true"]')).filter(visible).map((m) => {
    let scroller = null;
    for (let e = m; e && e !== main; e = e.parentElement) {
      const overflow = getComputedStyle(e).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') { scroller = e; break; }
    }
    const style = scroller ? getComputedStyle(scroller) : null;
    return {wide: m.scrollWidth > m.clientWidth + 1, scrolls: !!scroller,
            scrollbar: scroller ? scroller.offsetHeight - scroller.clientHeight : 0,
            shadow: style ? style.backgroundImage.includes('gradient') : false,
            right: (scroller || m).getBoundingClientRect().right};
  });
  return {tables, equations, typeset: !!document.querySelector('mjx-container') || !document.querySelector('div.math'),
          sideways: document.documentElement.scrollWidth - window.innerWidth, width: window.innerWidth};
}
"""


@pytest.fixture(scope="module")
def server(built_books):
    """The whole site (_build/html: the root page, en/ and zh/) on a local port; URLs are ``{server}/{edition}/...``."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    site = built_books["en"].parent
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Headless Chromium hides scrollbars by default; a reader's browser shows them, so keep them.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS,
                                              ignore_default_args=["--hide-scrollbars"])
        yield chromium
        chromium.close()


def _open(browser, url: str, screenshot: Path | None = None, width: int = 1280,
          wait_until: str = "networkidle") -> tuple[object, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    external: list[str] = []

    def route(request_route):
        if request_route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            request_route.continue_()
        else:
            external.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(url, wait_until=wait_until)
    if screenshot is not None:
        page.screenshot(path=str(screenshot), full_page=False)
    return page, external


@pytest.mark.parametrize("edition", EDITIONS)
def test_workbook_page_renders_widgets_and_math_offline(browser, server, edition):
    page, external = _open(browser, f"{server}/{edition}/notebooks/rfm.html", SHOTS / f"screenshot-rfm-workbook-{edition}.png")
    page.wait_for_selector(".widget-slider, .jupyter-widgets", timeout=15000)
    assert page.locator(".widget-slider").count() >= 1, "explorer sliders did not render"
    assert external == [], f"requests to other hosts: {external[:5]}"
    page.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_chapter_typesets_math_offline(browser, server, edition):
    page, external = _open(browser, f"{server}/{edition}/book/rfm.html", SHOTS / f"screenshot-rfm-chapter-{edition}.png")
    page.wait_for_selector("mjx-container", timeout=15000)
    assert page.locator("mjx-container").count() >= 1
    assert external == [], f"requests to other hosts: {external[:5]}"
    page.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_loads_without_external_requests(browser, server, built_books, edition):
    offenders = {}
    book = built_books[edition]
    site = book.parent
    # the sampled pages (every page with make test-full), search, the index and the root page that chooses
    # the language; tests/test_book.py checks the HTML of every page for URLs of other hosts
    pages = sorted(book.rglob("*.html")) if EVERY_PAGE else [book / f"{name}.html" for name in PAGES_READ[edition]]
    pages += [book / "search.html", book / "genindex.html", site / "index.html"]
    for html in pages:
        relative = html.relative_to(site).as_posix()
        page, external = _open(browser, f"{server}/{relative}")
        if external:
            offenders[relative] = external[:3]
        page.close()
    assert offenders == {}


# ---- What a reader sees -----------------------------------------------------------------------------
@pytest.fixture(scope="module", params=EDITIONS)
def layout(request, browser, server) -> dict[tuple[str, int], dict[str, Any]]:
    """The book pages of one edition (all in English, a sample in Chinese) measured at desktop and at phone
    width, once MathJax has typeset them."""
    measured = {}
    for width in WIDTHS:
        for name in PAGES_READ[request.param]:
            page, _ = _open(browser, f"{server}/{request.param}/{name}.html", width=width, wait_until="load")
            page.wait_for_function("() => !document.querySelector('div.math') || document.querySelector('mjx-container')",
                                   timeout=15000)
            measured[(name, width)] = page.evaluate(MEASURE)
            page.close()
    return measured


@pytest.mark.parametrize("width", WIDTHS)
def test_no_table_row_is_hundreds_of_pixels_tall(layout, width):
    tall = [f"{name}: {table['tallest']:.0f} px ({table['tallText']})"
            for (name, w), seen in layout.items() if w == width for table in seen["tables"]
            if table["tallest"] > ROW_LIMIT_PX]
    assert tall == [], f"table rows taller than {ROW_LIMIT_PX} px at {width} px: {tall[:8]}"
    assert any(seen["tables"] for (_, w), seen in layout.items() if w == width), "no table measured"


def test_table_text_does_not_overlap_at_phone_width(layout):
    clashes = [f"{name}: {table['first']}: {table['clashes']}" for (name, w), seen in layout.items() if w == PHONE
               for table in seen["tables"] if table["clashes"]]
    assert clashes == [], clashes[:8]


def test_no_page_scrolls_sideways_at_phone_width(layout):
    wide = {name: seen["sideways"] for (name, w), seen in layout.items() if w == PHONE and seen["sideways"] > 1}
    assert wide == {}, f"pages wider than the phone (px): {wide}"


def test_wide_equations_scroll_visibly_in_their_own_box(layout):
    equations = [(name, eq) for (name, w), seen in layout.items() if w == PHONE for eq in seen["equations"]]
    assert all(seen["typeset"] for seen in layout.values()), "MathJax did not typeset a page"
    wide = [(name, eq) for name, eq in equations if eq["wide"]]
    assert wide, "no equation is wider than a phone: the check would prove nothing"
    problems = [f"{name}: {eq}" for name, eq in wide
                if not (eq["scrolls"] and eq["scrollbar"] > 0 and eq["shadow"] and eq["right"] <= PHONE + 1)]
    assert problems == [], problems


@pytest.mark.parametrize(("edition", "workbook"), SOLUTION_PAGES)
def test_solution_and_its_output_stay_hidden_until_clicked(browser, server, edition, workbook):
    page, _ = _open(browser, f"{server}/{edition}/{workbook}.html", wait_until="load")
    cells = page.locator("div.cell.tag_solution")
    assert cells.count() >= 6
    with_output = 0
    for index in range(cells.count()):
        cell = cells.nth(index)
        code, output = cell.locator("div.cell_input"), cell.locator("div.cell_output")
        assert not code.is_visible(), f"solution {index} shows its code before a click"
        assert output.count() == 0 or not output.first.is_visible(), f"solution {index} shows its answer before a click"
        cell.locator("summary").first.click()
        assert code.is_visible(), f"solution {index}: one click should show the code"
        if output.count():
            with_output += 1
            assert output.first.is_visible(), f"solution {index}: the same click should show the result"
    assert with_output >= 1
    page.close()
