"""RISE slides of the instructor workbooks: notes are speaker notes, every screen fits, nothing from elsewhere.

Structural checks run on every workbook: instructor notes become speaker notes, headings start
slides, long slides are split into sub-slides whose estimated height fits a 1280 x 720 screen, and
an explorer gets a note on how to present it. The browser check executes the RFM instructor
workbook, presents it with jupyterlab-rise in headless Chromium at 1280 x 720, steps through every
screen and measures it, and records every request the slideshow makes (fonts included): all must
go to the local server. Needs Debian's chromium (.ci/run installs it).
"""

from __future__ import annotations

import os
import re
import time

import nbformat
import pytest
from nbclient import NotebookClient

from cvmlib.myst_text import myst_to_markdown
from cvmlib.slides import EXPLORER_NOTE, INSTRUCTOR_TAG, RISE_SETTINGS, SCREEN, SLIDE_HEIGHT, is_explorer, slides, \
    slideshow
from cvmlib.workbooks import instructor_version
from tests.conftest import NOTEBOOKS, ROOT
from tests.lab_harness import HAVE_CHROMIUM, LOCAL, NO_CHROMIUM, chromium, lab_server, new_page, png_spread

#: A screen holding one cell may use the whole screen but RISE's margins; several cells stay
#: within SLIDE_HEIGHT (room for an output taller than estimated).
SCREEN_LIMIT = SCREEN[1]
BROWSER_LIMIT_S = 90.0  # executing the workbook, starting JupyterLab, presenting every screen


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda p: p.name)
def workbook(request):
    source = nbformat.read(request.param, as_version=4)
    return source, instructor_version(source)


def _kind(cell) -> str:
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def test_instructor_notes_are_speaker_notes(workbook):
    source, nb = workbook
    notes = [cell.source for cell in nb.cells if _kind(cell) == "notes"]
    for cell in source.cells:
        if INSTRUCTOR_TAG in cell.metadata.get("tags", []):
            assert myst_to_markdown(cell.source) in notes, f"instructor note not a speaker note: {cell.source[:60]!r}"
    for cell in nb.cells:
        if _kind(cell) == "notes":
            assert INSTRUCTOR_TAG in cell.metadata.get("tags", []), f"a course cell hidden as a note: {cell.source[:60]!r}"
        else:
            assert INSTRUCTOR_TAG not in cell.metadata.get("tags", []), f"instructor note on a slide: {cell.source[:60]!r}"


def test_every_screen_fits(workbook):
    _, nb = workbook
    for screen in slides(nb):
        first = nb.cells[screen.cells[0]].source.strip().splitlines()[:1] if screen.cells else []
        assert screen.height <= SCREEN_LIMIT, f"screen starting {first} is {screen.height:.0f} px (limit {SCREEN_LIMIT})"
        if len(screen.cells) > 1:
            assert screen.height <= SLIDE_HEIGHT, f"screen starting {first} is {screen.height:.0f} px: not split"


def test_headings_start_slides_and_nothing_is_lost(workbook):
    source, nb = workbook
    for cell in nb.cells:
        if cell.cell_type == "markdown" and _kind(cell) != "notes":
            first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
            if re.match(r"^#{1,2}\s", first):
                assert _kind(cell) == "slide", f"heading not starting a slide: {first!r}"
            elif re.match(r"^###\s", first):
                assert _kind(cell) == "subslide", f"sub-heading not starting a sub-slide: {first!r}"
    assert [c.source for c in nb.cells if c.cell_type == "code"] == [c.source for c in source.cells
                                                                      if c.cell_type == "code"]
    words = lambda text: re.findall(r"\w+", text)  # noqa: E731
    shown = words(" ".join(c.source for c in nb.cells if c.cell_type == "markdown" and c.source != EXPLORER_NOTE))
    assert shown == words(" ".join(myst_to_markdown(c.source) for c in source.cells if c.cell_type == "markdown"))
    assert nb.metadata["rise"]["theme"] == RISE_SETTINGS["theme"] == "white"  # not "simple": Google fonts


def test_an_explorer_gets_a_presenting_note(workbook):
    _, nb = workbook
    for i, cell in enumerate(nb.cells):
        if is_explorer(cell):
            assert nb.cells[i + 1].source == EXPLORER_NOTE and _kind(nb.cells[i + 1]) == "notes"


def test_a_long_slide_is_split_between_cells_and_between_paragraphs():
    paragraphs = [f"Paragraph {i}: " + "words " * 60 for i in range(30)]  # about 1,300 px of text
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## A long section\n\n" + "\n\n".join(paragraphs)),
        *[nbformat.v4.new_code_cell(f"table_{i}.head()") for i in range(4)]])
    shown = slideshow(nb)
    screens = slides(shown)
    assert len(screens) >= 4
    assert all(screen.height <= SLIDE_HEIGHT for screen in screens)
    assert _kind(shown.cells[0]) == "slide" and all(_kind(c) in ("-", "subslide") for c in shown.cells[1:])
    text = "\n\n".join(c.source for c in shown.cells if c.cell_type == "markdown")
    assert text == nb.cells[0].source  # cut between paragraphs, nothing lost or repeated


# ---------------------------------------------------------------------------------------------
# In the browser: jupyterlab-rise presenting the executed RFM instructor workbook
# ---------------------------------------------------------------------------------------------

SCREEN_STATE = """() => {
  const leaves = [...document.querySelectorAll('.reveal .slides section')].filter(s => !s.querySelector('section'));
  const s = leaves.find(x => x.classList.contains('present'));
  if (!s) return null;
  const cells = [...s.querySelectorAll('.jp-Cell')].filter(c => !c.closest('aside') && c.offsetParent !== null);
  const rects = cells.map(c => c.getBoundingClientRect());
  const notes = [...s.querySelectorAll('aside.notes')];
  return {index: leaves.indexOf(s), total: leaves.length, cells: cells.length,
          top: Math.min(...rects.map(r => r.top)), bottom: Math.max(...rects.map(r => r.bottom)),
          notes: notes.length, notesShown: notes.some(n => n.offsetParent !== null && n.getBoundingClientRect().height > 0),
          text: cells.length ? cells[0].innerText.slice(0, 60) : ''};
}"""


@pytest.mark.full  # 30 s of JupyterLab and chromium: make test-full (make test checks the slide sizes without a browser)
@pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)
def test_rise_presents_every_screen_within_the_screen_and_offline(tmp_path):
    pytest.importorskip("playwright.sync_api", reason="the playwright package drives chromium")
    started = time.monotonic()
    nb = instructor_version(nbformat.read(ROOT / "notebooks" / "rfm.ipynb", as_version=4))
    expected = slides(nb)
    saved = {name: os.environ.pop(name, None) for name in ("MPLBACKEND",)}  # the kernel draws inline, as in class
    os.environ["CVM_PROGRESS_DIR"], previous_progress = str(tmp_path / "progress"), os.environ.get("CVM_PROGRESS_DIR")
    try:
        NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        for name, value in saved.items():
            if value is not None:
                os.environ[name] = value
        if previous_progress is None:
            os.environ.pop("CVM_PROGRESS_DIR", None)
        else:
            os.environ["CVM_PROGRESS_DIR"] = previous_progress
    nbformat.write(nb, tmp_path / "rfm.ipynb")

    width, height = SCREEN
    with lab_server(tmp_path) as server, chromium() as browser:
        page = new_page(browser, server, width, height)
        page.goto(server.url("rise/rfm.ipynb"))
        page.wait_for_selector(".reveal .slides section.present .jp-Cell", timeout=45000)
        page.wait_for_timeout(1000)
        seen, explorer_images = [], []
        state = page.evaluate(SCREEN_STATE)
        assert state["total"] == len(expected), f"RISE shows {state['total']} screens, the workbook defines {len(expected)}"
        while True:
            assert state["bottom"] <= height and state["top"] >= 0, \
                f"screen {state['index'] + 1} ({state['text']!r}) runs to {state['bottom']:.0f} px of {height}"
            assert not state["notesShown"], f"screen {state['index'] + 1}: speaker notes visible on the slide"
            assert (state["notes"] > 0) == bool(expected[state["index"]].notes), f"screen {state['index'] + 1}: notes"
            images = page.locator(".reveal .slides section.present:not(.stack) .cvm-explorer-snapshot img")
            explorer_images += [png_spread(images.nth(i).screenshot()) for i in range(images.count())]
            seen.append(state["index"])
            if state["index"] == state["total"] - 1:
                break
            page.keyboard.press("PageDown")
            page.wait_for_function(f"() => ({SCREEN_STATE})().index !== {state['index']}", timeout=5000)
            page.wait_for_timeout(150)
            state = page.evaluate(SCREEN_STATE)
        assert seen == list(range(len(expected))), f"screens visited: {seen}"
        assert explorer_images and min(explorer_images) > 15, "the explorer's slide shows no (or a blank) snapshot"
    elsewhere = sorted({url for url in server.requests if not url.startswith(LOCAL)})
    assert elsewhere == [], f"presenting asked other hosts: {elsewhere[:5]}"
    assert time.monotonic() - started < BROWSER_LIMIT_S
