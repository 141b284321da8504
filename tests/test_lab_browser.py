"""The explorers in a real JupyterLab: after every slider move the chart is there, drawn, and new.

A private ``jupyter lab`` (127.0.0.1, a random token, a temporary folder and settings) serves a small
notebook that builds the RFM and the segmentation explorers on the shipped data; headless Chromium
runs it, moves each explorer's slider with the keyboard as a participant would, and looks at the
picture. The RFM chart used to go blank (a white PNG) or come out cropped after the first move: the
kernel handled comm messages on two threads and the inline backend showed and closed the explorer's
pyplot figure from the other one. Each move must leave exactly one picture, not blank, of the same
size, different from the one before, with the table updated beside it.
The whole module is bounded in time (:data:`LIMIT_S`). Needs Debian's chromium (.ci/run installs it).
"""

from __future__ import annotations

import time

import nbformat
import pytest

from tests.lab_harness import HAVE_CHROMIUM, NO_CHROMIUM, chromium, lab_server, new_page, open_notebook, \
    png_spread, run_all_cells

pytest.importorskip("playwright.sync_api", reason="the playwright package drives chromium (pip install playwright)")
pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)

LIMIT_S = 60.0  # the module, server start to stop included
NAME = "explorers.ipynb"
CELLS = [
    "import pandas as pd\n"
    "from cvmlib.datasets import load_orders\n"
    "from cvmlib.rfm import rfm_table\n"
    "from cvmlib.segment import customer_features, scale_features\n"
    "from cvmlib.widgets import rfm_explorer, segment_explorer\n"
    "orders = load_orders()\n"
    "rfm = rfm_table(orders, pd.Timestamp('2026-01-05'))\n"
    "features = customer_features(orders, '2026-01-01')\n"
    "X = scale_features(features)",
    "rfm_explorer(rfm)",
    "segment_explorer(features, X)",
]
#: Grey-level spread below which a picture counts as blank (a white PNG has 0; the charts have 40+).
BLANK_SPREAD = 15.0


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    started = time.monotonic()
    root = tmp_path_factory.mktemp("lab")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS],
                                  metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nbformat.write(nb, root / NAME)
    with lab_server(root) as server, chromium() as browser:
        page = new_page(browser, server, 1280, 1000)
        open_notebook(page, server, NAME)
        run_all_cells(page, timeout_ms=45000)
        yield page, server, started
    assert time.monotonic() - started < LIMIT_S, f"the JupyterLab browser tests took over {LIMIT_S:.0f} s"


def _explorer(page, index: int):
    """The output area of the notebook's code cell ``index`` (0-based), scrolled into view."""
    output = page.locator(".jp-CodeCell").nth(index).locator(".jp-OutputArea").first  # the cell's own
    output.scroll_into_view_if_needed()
    return output


def _picture(output) -> dict:
    """What the explorer's picture shows: how many there are, their size, bytes and grey spread."""
    images = output.locator("img")
    count = images.count()
    if count != 1:
        return {"count": count}
    image = images.first
    image.scroll_into_view_if_needed()
    state = image.evaluate("""async img => { await img.decode().catch(() => null);
        const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
        let hash = 0; for (const b of bytes) hash = (hash * 31 + b) >>> 0;
        return {width: img.naturalWidth, height: img.naturalHeight, src: img.src, hash, size: bytes.length}; }""")
    return {"count": 1, **state, "spread": png_spread(image.screenshot())}


def _move(page, output, before: dict, text_before: str, presses: int = 1) -> tuple[dict, str]:
    """Focus the first slider's handle, press the right arrow, wait for a new picture; what it shows."""
    handle = output.locator(".noUi-handle").first
    handle.focus()
    for _ in range(presses):
        page.keyboard.press("ArrowRight")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("([node, src]) => [...node.querySelectorAll('img')].some(img => img.src !== src)",
                               arg=[output.element_handle(), before["src"]], timeout=15000)
    except PlaywrightTimeout:
        pass  # no new picture within 15 s: the checks below say what the explorer shows instead
    page.wait_for_timeout(300)  # let the table and the picture settle, as the eye would
    return _picture(output), output.inner_text()


def _assert_chart(after: dict, before: dict, what: str) -> None:
    assert after["count"] == 1, f"{what}: {after['count']} pictures in the explorer instead of one"
    assert after["src"] != before["src"], f"{what}: no new picture within 15 s of the move"
    assert after["spread"] > BLANK_SPREAD, f"{what}: the chart is blank (grey spread {after['spread']:.1f})"
    assert (after["width"], after["height"]) == (before["width"], before["height"]), \
        f"{what}: the chart changed size ({before['width']}x{before['height']} -> {after['width']}x{after['height']})"
    assert after["hash"] != before["hash"], f"{what}: the chart did not change"


def test_rfm_chart_is_drawn_after_every_slider_move(lab):
    page, _, _ = lab
    output = _explorer(page, 1)
    before, text = _picture(output), output.inner_text()
    assert before["count"] == 1 and before["spread"] > BLANK_SPREAD, f"first picture: {before}"
    for move in range(1, 4):
        after, text_after = _move(page, output, before, text)
        _assert_chart(after, before, f"RFM explorer, move {move}")
        assert text_after != text, f"RFM explorer, move {move}: the table did not update"
        before, text = after, text_after


def test_segment_chart_is_drawn_after_every_slider_move(lab):
    page, _, _ = lab
    output = _explorer(page, 2)
    before, text = _picture(output), output.inner_text()
    assert before["count"] == 1 and before["spread"] > BLANK_SPREAD, f"first picture: {before}"
    rows_before = output.locator("table tbody tr").count()
    for move in range(1, 3):  # k 5 -> 6 -> 7: one more segment each time
        after, text_after = _move(page, output, before, text)
        _assert_chart(after, before, f"segmentation explorer, move {move}")
        rows = output.locator("table tbody tr").count()
        assert rows == rows_before + 1, f"segmentation explorer, move {move}: {rows} table rows, expected {rows_before + 1}"
        before, text, rows_before = after, text_after, rows


def test_lab_asked_no_other_host(lab):
    _, server, _ = lab
    elsewhere = sorted({url for url in server.requests if not url.startswith(("http://127.0.0.1", "ws://127.0.0.1",
                                                                               "data:", "blob:", "about:"))})
    assert elsewhere == [], f"requests to other hosts: {elsewhere[:5]}"
