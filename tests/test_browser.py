"""Open the built book in headless Chromium with the network cut off, as a reader in a closed classroom.

Every request that does not go to the local test server is blocked and recorded; the test fails if a
page asked for any, if MathJax did not typeset, or if the widget explorer did not render.
Needs Debian's chromium (.ci/run installs it); the playwright pip package drives it.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (apt-get install chromium)")

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(built_book):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built_book))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


def _open(browser, url: str, screenshot: Path | None = None) -> tuple[object, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    external: list[str] = []

    def route(request_route):
        if request_route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            request_route.continue_()
        else:
            external.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="networkidle")
    if screenshot is not None:
        page.screenshot(path=str(screenshot), full_page=False)
    return page, external


def test_workbook_page_renders_widgets_and_math_offline(browser, server, built_book):
    page, external = _open(browser, f"{server}/notebooks/rfm.html", built_book.parent / "screenshot-rfm-workbook.png")
    page.wait_for_selector(".widget-slider, .jupyter-widgets", timeout=15000)
    assert page.locator(".widget-slider").count() >= 1, "explorer sliders did not render"
    assert external == [], f"requests to other hosts: {external[:5]}"
    page.close()


def test_chapter_typesets_math_offline(browser, server, built_book):
    page, external = _open(browser, f"{server}/book/rfm.html", built_book.parent / "screenshot-rfm-chapter.png")
    page.wait_for_selector("mjx-container", timeout=15000)
    assert page.locator("mjx-container").count() >= 1
    assert external == [], f"requests to other hosts: {external[:5]}"
    page.close()


def test_every_page_loads_without_external_requests(browser, server, built_book):
    offenders = {}
    for html in sorted(built_book.rglob("*.html")):
        relative = html.relative_to(built_book).as_posix()
        page, external = _open(browser, f"{server}/{relative}")
        if external:
            offenders[relative] = external[:3]
        page.close()
    assert offenders == {}
