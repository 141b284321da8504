"""Print the book's print pages to PDF with headless Chromium: ``python tools/print_pdf.py`` (``make print``).

Run after ``make book`` and ``make book-instructor``. Each print page of each edition and language is opened
from a local web server (127.0.0.1, a free port) in Debian's Chromium, driven by playwright, with the
print styles applied (``book/_ext/static/cvm-print.css``: A4, backgrounds, no sidebar), and printed once
its web fonts have loaded (the Chinese edition's Noto Sans SC):

- ``_build/print/<lang>/roleplay-cards.pdf``, ``case-handouts.pdf``, ``exercise-sheets.pdf`` from the reader
  edition (``_build/html/<lang>/book/print/``): material to hand out;
- ``_build/print-instructor/<lang>/model-answers.pdf`` from the instructor edition
  (``_build/html-instructor/<lang>/``): kept in a folder of its own, so that handing out ``_build/print/``
  can never hand out the answers.

Every request to another host is blocked; one is an error (the printed page would differ offline). The
page count of each PDF is printed at the end.

Examples
--------
>>> pdf_page_count(b"%PDF-1.4 1 0 obj <</Type /Pages /Kids [2 0 R 3 0 R] /Count 2>> "
...                b"2 0 obj <</Type /Page>> 3 0 obj <</Type/Page /Parent 1 0 R>>")
2
>>> [job.pdf.name for job in jobs(["en"], ["instructor"])]
['model-answers.pdf']
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
CHROMIUM = Path("/usr/bin/chromium")
LANGS = ("en", "zh")
EDITIONS = ("reader", "instructor")
#: The print pages (book/print/<name>.md) of each edition.
PAGES = {"reader": ("roleplay-cards", "case-handouts", "exercise-sheets"), "instructor": ("model-answers",)}
#: Where each edition's HTML is built (tools/build_book.py) and where its PDFs go, below the build folder.
SITE = {"reader": "html", "instructor": "html-instructor"}
OUT = {"reader": "print", "instructor": "print-instructor"}
#: The command that builds each edition, named in the error when its pages are missing.
MAKE = {"reader": "make book", "instructor": "make book-instructor"}
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
LOAD_TIMEOUT_MS = 60_000
#: The printable area of an A4 page with the 12 mm margins of cvm-print.css, in CSS pixels (96 per inch):
#: the print view is laid out at this width, so that what it measures is what the PDF shows.
PRINTABLE_MM = (210 - 2 * 12, 297 - 2 * 12)
PRINTABLE_PX = tuple(round(mm / 25.4 * 96) for mm in PRINTABLE_MM)

#: The cards whose text does not fit their half page (cvm-print.css clips it on paper), by title and role.
CLIPPED_CARDS = """() => Array.from(document.querySelectorAll('div.cvm-card'))
  .filter((card) => card.scrollHeight > card.clientHeight + 1)
  .map((card) => Array.from(card.querySelectorAll('.cvm-card-title, .cvm-card-role-title'))
    .map((part) => part.innerText.trim()).join(' / '))"""

_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


class PrintError(RuntimeError):
    """A print page is missing, asked for another host, or did not print; the message says which and why."""


@dataclass(frozen=True)
class Job:
    """One print page of one edition and language, and the PDF it becomes."""

    edition: str
    lang: str
    page: str
    site: Path  # the edition's folder holding en/ and zh/
    pdf: Path

    @property
    def html(self) -> Path:
        return self.site / self.lang / "book" / "print" / f"{self.page}.html"


@dataclass(frozen=True)
class Printed:
    """A PDF written, with its number of pages."""

    job: Job
    pages: int


def pdf_page_count(pdf: Path | bytes) -> int:
    """The number of pages of a PDF (its ``/Type /Page`` objects; Chromium writes them uncompressed)."""
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    return len(_PAGE_OBJECT.findall(data))


def jobs(langs: Iterable[str] = LANGS, editions: Iterable[str] = EDITIONS, build: Path = BUILD) -> list[Job]:
    """The print pages to print, for the languages and editions asked.

    Parameters
    ----------
    langs : iterable of str
        ``"en"``, ``"zh"``.
    editions : iterable of str
        ``"reader"`` (cards, handouts, sheets), ``"instructor"`` (model answers).
    build : Path
        The build folder holding ``html/`` and ``html-instructor/``; the PDFs go below it too.

    Raises
    ------
    PrintError
        For an unknown language or edition, naming it, before anything is printed.
    """
    langs, editions = list(langs), list(editions)
    bad = [lang for lang in langs if lang not in LANGS] + [edition for edition in editions if edition not in EDITIONS]
    if bad:
        raise PrintError(f"unknown language or edition {bad}: the languages are {', '.join(LANGS)}, "
                         f"the editions {', '.join(EDITIONS)}")
    return [Job(edition, lang, page, build / SITE[edition], build / OUT[edition] / lang / f"{page}.pdf")
            for edition in editions for lang in langs for page in PAGES[edition]]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:  # the site's own requests are not news
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium through playwright (``playwright install`` cannot download one here)."""
    if not CHROMIUM.exists():
        raise PrintError(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def open_print_view(browser: Any, url: str, base: str, width: int = PRINTABLE_PX[0]) -> tuple[Any, list[str]]:
    """Open ``url`` with print styles applied and its fonts loaded; return the page and the blocked requests.

    The page is laid out ``width`` CSS pixels wide (by default the printable width of A4). Every request
    that does not go to ``base`` (or a ``data:``/``blob:`` URL) is aborted and listed.
    """
    page = browser.new_page(viewport={"width": width, "height": PRINTABLE_PX[1]})
    blocked: list[str] = []

    def route(request_route: Any) -> None:
        request = request_route.request.url
        if request.startswith((base + "/", "data:", "blob:")):
            request_route.continue_()
        else:
            blocked.append(request)
            request_route.abort()

    page.route("**/*", route)
    page.emulate_media(media="print")
    page.goto(url, wait_until="networkidle", timeout=LOAD_TIMEOUT_MS)
    # the print layout may use glyphs the screen layout did not: wait until every font face that loads is in
    page.evaluate("() => document.fonts.ready.then(() => document.fonts.size)")
    page.wait_for_function("() => document.fonts.status === 'loaded'", timeout=LOAD_TIMEOUT_MS)
    return page, blocked


def print_job(browser: Any, base: str, job: Job) -> Printed:
    """Print one page (served under ``base``) to its PDF; refuse a page that asked for another host."""
    if not job.html.exists():
        raise PrintError(f"{job.html} is missing: build the {job.edition} edition first ({MAKE[job.edition]}"
                         f"{' LANG=' + job.lang if job.lang != 'en' else ''})")
    url = f"{base}/{job.html.relative_to(job.site).as_posix()}"
    page, blocked = open_print_view(browser, url, base)
    try:
        if blocked:
            raise PrintError(f"{job.html.relative_to(job.site)} asked for other hosts (blocked): {blocked[:5]}")
        clipped = page.evaluate(CLIPPED_CARDS)
        if clipped:
            raise PrintError(f"{job.html.relative_to(job.site)}: the text of these cards does not fit on half a page "
                             f"and would be cut off: {clipped}; shorten the role's text in its chapter")
        job.pdf.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(job.pdf), format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        page.close()
    count = pdf_page_count(job.pdf)
    if count < 1:
        raise PrintError(f"{job.pdf} has no page")
    return Printed(job, count)


def print_pages(selected: Sequence[Job]) -> list[Printed]:
    """Print every job: one local server per edition folder, one browser for all.

    Parameters
    ----------
    selected : sequence of Job
        From :func:`jobs`.

    Returns
    -------
    list of Printed
        Each PDF written, with its page count.

    Raises
    ------
    PrintError
        Before printing anything, when a print page is not built (naming it and the command that builds it);
        while printing, when a page asks for another host or a card's text does not fit its half page.
    """
    missing = [job for job in selected if not job.html.exists()]
    if missing:
        needed = sorted({f"{MAKE[job.edition]} (for {job.lang})" for job in missing})
        raise PrintError("print pages not built: " + ", ".join(str(job.html.relative_to(ROOT) if job.html.is_relative_to(ROOT)
                                                                      else job.html) for job in missing)
                         + "; run " + "; ".join(needed))
    printed: list[Printed] = []
    with chromium() as browser:
        for site in dict.fromkeys(job.site for job in selected):
            with serve(site) as base:
                printed += [print_job(browser, base, job) for job in selected if job.site == site]
    return printed


def print_page(html: Path, pdf: Path, browser: Any = None) -> int:
    """Print one built page (``.../<edition folder>/<lang>/book/print/<page>.html``) to ``pdf``; return its pages.

    ``browser``: a playwright browser to use (one is started and closed otherwise).
    """
    html = Path(html).resolve()
    site, lang, page = html.parents[3], html.parents[2].name, html.stem
    job = Job("reader" if page in PAGES["reader"] else "instructor", lang, page, site, Path(pdf))
    if browser is None:
        with chromium() as started:
            return print_page(html, pdf, started)
    with serve(site) as base:
        return print_job(browser, base, job).pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", nargs="+", default=list(LANGS), help="languages (default: en zh)")
    parser.add_argument("--edition", nargs="+", default=list(EDITIONS), help="reader, instructor (default: both)")
    parser.add_argument("--build", type=Path, default=BUILD, help="the build folder (default: _build)")
    args = parser.parse_args(argv)
    try:
        printed = print_pages(jobs(args.lang, args.edition, args.build.resolve()))
    except PrintError as error:
        print(f"print_pdf: {error}", file=sys.stderr)
        return 1
    width = max(len(str(item.job.pdf)) for item in printed)
    for item in printed:
        shown = item.job.pdf.relative_to(ROOT) if item.job.pdf.is_relative_to(ROOT) else item.job.pdf
        print(f"{str(shown):<{width}}  {item.pages:>3} page{'s' if item.pages != 1 else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
