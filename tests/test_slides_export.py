"""The exported slides (tools/build_slides.py): reveal.js decks that present offline, with speaker notes.

One deck is built for real, in both languages (the RFM workbook: notes, nine solutions, an explorer),
by the command ``make slides`` runs, and opened from ``file://`` in headless Chromium at 1280 x 720 with
every request recorded and any to another host refused: reveal.js starts, its notes plugin is loaded,
the deck has the screens :func:`cvmlib.slides.slides` planned and the speaker notes of each, no screen
needs a scroll bar, the explorer shows its snapshot, each solution waits for a key press, the Chinese
deck draws its Chinese in the vendored Noto Sans SC, and the speaker view (key S) opens and shows the
notes, in the deck's language. Needs Debian's chromium (.ci/run installs it).
"""

from __future__ import annotations

import doctest
import importlib.util
import io
import subprocess
import sys
import tarfile
from pathlib import Path

import nbformat
import pytest

from cvmlib.i18n import language
from cvmlib.slides import (EXPLORER_NOTE, SCREEN, SPEAKER_VIEW_TEXTS, export_deck, slides, slideshow,
                           solution_fragments)
from tests.conftest import ROOT
from tests.lab_harness import CHROMIUM, FLAGS, HAVE_CHROMIUM, NO_CHROMIUM, png_spread

WORKBOOK = "rfm"  # the model chapter: speaker notes, solutions and an explorer, and one of the fastest to run
LANGS = ("en", "zh")
VENDOR = ROOT / "_build" / "vendor" / "cvm-vendor"
#: Addresses a page on this machine may use (a deck opens from file://; the speaker view is about:blank).
LOCAL = ("file://", "data:", "about:", "blob:")

browser_only = pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)


def _tool(name: str):  # noqa: ANN202 - a script of tools/, loaded as a module
    spec = importlib.util.spec_from_file_location(f"cvm_tool_{name}", ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``tools/build_slides.py --only rfm`` (both languages) into a temporary folder; its output folder."""
    subprocess.run([sys.executable, "tools/vendor_assets.py", "--dest", "_build/vendor"], cwd=ROOT, check=True,
                   capture_output=True)
    out = tmp_path_factory.mktemp("slides")
    run = subprocess.run([sys.executable, "tools/build_slides.py", "--only", WORKBOOK, "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, f"build_slides failed:\n{run.stdout}\n{run.stderr[-3000:]}"
    assert "slides |" in run.stdout and "execute" in run.stdout, f"no timings printed:\n{run.stdout}"
    return out


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    pytest.importorskip("playwright.sync_api", reason="the playwright package drives chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # no host name resolves: a request to another host fails even where no route refuses it (the
        # speaker view: playwright's routing of its opener stalls the popup's file loads, fonts included)
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=[*FLAGS, "--host-resolver-rules=MAP * ~NOTFOUND"])
        try:
            yield chromium
        finally:
            chromium.close()


class Visit:
    """A browser context that records every request (popups included), refuses those to other hosts, and
    collects failures and script errors."""

    def __init__(self, browser, root: Path, route: bool = True) -> None:  # noqa: ANN001
        self.root, self.route = root, route
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": SCREEN[0], "height": SCREEN[1]})
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.on("requestfailed", lambda request: self.failed.append(f"{request.url}: {request.failure}"))

    def page(self):  # noqa: ANN201
        page = self.context.new_page()
        if self.route:
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL) else route.abort())
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("websocket", lambda socket: self.requests.append(socket.url))
        return page

    def check_offline(self) -> None:
        elsewhere = sorted({url for url in self.requests if not url.startswith(LOCAL)})
        assert elsewhere == [], f"the deck asked other hosts: {elsewhere[:5]}"
        outside = sorted({url for url in self.requests if url.startswith("file://")
                          and not url.split("?")[0].startswith(self.root.as_uri())})
        assert outside == [], f"the deck read files outside its folder (not self-contained): {outside[:5]}"
        assert self.failed == [], f"requests failed (a missing file?): {self.failed[:5]}"
        assert self.errors == [], f"script errors: {self.errors[:3]}"

    def close(self) -> None:
        self.context.close()


def _planned(built: Path, lang: str) -> nbformat.NotebookNode:
    return nbformat.read(built / lang / f"{WORKBOOK}.ipynb", as_version=4)


def _open_deck(page, deck: Path) -> None:  # noqa: ANN001
    page.goto(deck.as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=20000)
    page.evaluate("() => document.fonts.ready.then(() => true)")


LEAVES = "[...document.querySelectorAll('.reveal .slides section')].filter(s => !s.querySelector('section'))"
SCREEN_STATE = f"""(i) => {{
  const leaf = {LEAVES}[i];
  const at = Reveal.getIndices(leaf);
  Reveal.slide(at.h, at.v, -1);
  const shown = Reveal.getCurrentSlide();
  const parts = [...shown.children].filter(c => c.tagName !== 'ASIDE');
  return {{same: shown === leaf, scroll: shown.scrollHeight - shown.clientHeight,
           bottom: Math.max(0, ...parts.map(c => c.getBoundingClientRect().bottom)),
           notes: shown.querySelectorAll('aside.notes').length,
           notesShown: [...shown.querySelectorAll('aside.notes')].some(n => n.getBoundingClientRect().height > 0),
           text: shown.innerText.slice(0, 60)}};
}}"""


# ---------------------------------------------------------------------------------------------
# Without a browser: bad input, the vendored theme, the tools' doctests
# ---------------------------------------------------------------------------------------------

def test_an_unknown_workbook_is_refused_before_any_work(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    build_slides = _tool("build_slides")
    with pytest.raises(SystemExit) as stopped:
        build_slides.main(["--only", "rfm_workbook", "--out", str(tmp_path)])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "'rfm_workbook'" in error and "rfm" in error.split("there are:")[1], error
    assert list(tmp_path.iterdir()) == [], "something was written before the options were checked"


def test_missing_assets_say_how_to_vendor_them(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    build_slides = _tool("build_slides")
    status = build_slides.main(["--only", WORKBOOK, "--out", str(tmp_path / "out"), "--vendor", str(tmp_path)])
    error = capsys.readouterr().err
    assert status == 2 and "reveal.js/dist/reveal.js" in error and "make vendor" in error, error
    assert not (tmp_path / "out").exists()


def test_no_reveal_theme_asks_another_host_for_fonts():
    """Every theme of the pinned reveal.js passes offline_stylesheet (several @import Google Fonts as published)."""
    vendor_assets = _tool("vendor_assets")
    data = vendor_assets.fetch("reveal.js", ROOT / "_build" / "vendor-cache")
    remote_before = 0
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.name.startswith("package/dist/theme/") and member.name.endswith(".css") \
                    and "/fonts/" not in member.name:
                css = tar.extractfile(member).read().decode("utf-8")
                remote_before += "fonts.googleapis.com" in css
                cleaned = vendor_assets.offline_stylesheet(css, member.name)
                assert "googleapis" not in cleaned and "//" not in "".join(vendor_assets._URL.findall(cleaned))
    assert remote_before >= 5, "the published themes no longer import Google Fonts: is the check still needed?"
    theme = (VENDOR / "reveal.js" / "dist" / "theme" / "white.css").read_text(encoding="utf-8")
    assert "@import url(./fonts/source-sans-pro/source-sans-pro.css)" in theme
    assert [url for url in vendor_assets._URL.findall(theme) if "//" in url] == []


@pytest.mark.parametrize("name", ["vendor_assets", "build_slides"])
def test_the_tools_doctests(name: str):
    failures, _tried = doctest.testmod(_tool(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_planning_an_executed_workbook_again_adds_no_second_note(built: Path):
    planned = _planned(built, "en")
    notes = [cell for cell in planned.cells if cell.source == EXPLORER_NOTE]
    assert len(notes) == 1, "the explorer should have exactly one presenting note"
    assert slideshow(planned).cells == planned.cells


# ---------------------------------------------------------------------------------------------
# In the browser, from file://
# ---------------------------------------------------------------------------------------------

@browser_only
@pytest.mark.parametrize("lang", LANGS)
def test_the_deck_presents_offline_with_notes_and_fits_the_screen(built: Path, browser, lang: str):  # noqa: ANN001
    planned = _planned(built, lang)
    expected = slides(planned)
    visit = Visit(browser, built)
    page = visit.page()
    _open_deck(page, built / lang / f"{WORKBOOK}.slides.html")

    facts = page.evaluate(f"""() => ({{total: Reveal.getTotalSlides(), leaves: {LEAVES}.length,
        notesPlugin: Reveal.hasPlugin('notes'), asides: document.querySelectorAll('aside.notes').length,
        solutions: document.querySelectorAll('.fragment.cvm-solution').length,
        widgetViews: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
        lang: document.documentElement.lang, title: document.title}})""")
    assert facts["total"] == facts["leaves"] == len(expected), \
        f"reveal shows {facts['total']} screens, slideshow() planned {len(expected)}"
    assert facts["notesPlugin"], "reveal's notes plugin (speaker view) is not loaded"
    assert facts["asides"] == sum(len(screen.notes) for screen in expected) > 0
    assert facts["solutions"] == len(solution_fragments(planned)) > 0
    assert facts["widgetViews"] == 0, "a widget view without a kernel would show an empty box"
    assert facts["lang"] == lang and facts["title"].startswith(planned.cells[0].source[2:12])

    for i, screen in enumerate(expected):
        state = page.evaluate(SCREEN_STATE, i)
        assert state["same"], f"screen {i + 1} could not be shown"
        assert state["scroll"] <= 1 and state["bottom"] <= SCREEN[1], \
            f"screen {i + 1} ({state['text']!r}) needs {state['scroll']} px of scrolling, ends at {state['bottom']:.0f}"
        assert state["notes"] == len(screen.notes), f"screen {i + 1}: speaker notes"
        assert not state["notesShown"], f"screen {i + 1}: speaker notes visible on the slide"

    # the explorer's screen shows its snapshot: settings, a table and a drawn chart
    explorer = next(i for i, screen in enumerate(expected) if any("_explorer(" in planned.cells[c].source
                                                                    for c in screen.cells))
    page.evaluate(SCREEN_STATE, explorer)
    snapshot = page.locator(".reveal .slides section.present:not(.stack) .cvm-explorer-snapshot")
    assert snapshot.count() == 1 and snapshot.locator("table").count() >= 1
    picture = snapshot.locator("img").first
    assert picture.bounding_box()["height"] > 100 and png_spread(picture.screenshot()) > 15, "blank explorer chart"

    # a solution waits for the next key press, then shows with its check's answer
    first = next(i for i, screen in enumerate(expected) if any(c in screen.cells for c in solution_fragments(planned)[0]))
    page.evaluate(SCREEN_STATE, first)
    solution = page.locator(".reveal .slides section.present:not(.stack) .fragment.cvm-solution").first
    assert "visible" not in solution.get_attribute("class"), "the solution shows before the key press"
    page.wait_for_function("e => getComputedStyle(e).opacity === '0'", arg=solution.element_handle(), timeout=3000)
    page.keyboard.press("Space")  # reveal's "next": the fragment first
    page.wait_for_function("e => getComputedStyle(e).opacity === '1'", arg=solution.element_handle(), timeout=3000)
    assert "✔" in solution.inner_text(), "the solution's check does not say it is correct"

    if lang == "zh":
        _assert_chinese_in_noto(page)
    visit.check_offline()
    visit.close()


def _assert_chinese_in_noto(page) -> None:  # noqa: ANN001
    page.evaluate(SCREEN_STATE, 0)
    fonts = page.evaluate("""async () => {
        await document.fonts.ready;
        const text = document.querySelector('.reveal .slides section.present:not(.stack) .jp-RenderedHTMLCommon p');
        const chinese = [...text.innerText].filter(c => /[\\u4e00-\\u9fff]/.test(c)).join('');
        return {chinese, family: getComputedStyle(text).fontFamily,
                ready: document.fonts.check('14px "Noto Sans SC"', chinese),
                loaded: [...document.fonts].filter(f => f.family.replace(/"/g, '') === 'Noto Sans SC'
                                                     && f.status === 'loaded').length};
    }""")
    assert len(fonts["chinese"]) > 20, f"the zh deck's first paragraph is not Chinese: {fonts}"
    assert fonts["family"].startswith('"Noto Sans SC"'), fonts["family"]
    assert fonts["loaded"] > 0 and fonts["ready"], f"Noto Sans SC not loaded for the slide's Chinese: {fonts}"


@browser_only
def test_the_speaker_view_opens_offline_in_the_decks_language(built: Path, browser):  # noqa: ANN001
    visit = Visit(browser, built, route=False)  # recorded, and refused by the browser's host rules
    page = visit.page()
    _open_deck(page, built / "zh" / f"{WORKBOOK}.slides.html")
    notes = page.evaluate("() => Reveal.getSlide(0, 0).querySelector('aside.notes').innerText")
    assert notes.strip(), "the first slide has no speaker notes"
    with page.expect_popup(timeout=10000) as opened:
        page.keyboard.press("s")
    view = opened.value
    view.on("pageerror", lambda error: visit.errors.append(f"speaker view: {error}"))
    view.wait_for_function("() => { const n = document.querySelector('.speaker-controls-notes .value');"
                           " return n && n.innerText.trim().length > 0 && document.querySelectorAll('iframe').length == 2; }",
                           timeout=15000)
    view.wait_for_function("() => [...document.fonts].some(f => f.family.replace(/\"/g, '') === 'Noto Sans SC'"
                           " && f.status === 'loaded')", timeout=10000)  # the font the deck gave the popup
    shown = view.evaluate("""async () => { await document.fonts.ready; return {
        notes: document.querySelector('.speaker-controls-notes .value').innerText, title: document.title,
        text: document.body.innerText,
        noto: [...document.fonts].some(f => f.family.replace(/"/g, '') === 'Noto Sans SC' && f.status === 'loaded'),
        family: getComputedStyle(document.querySelector('.speaker-controls-notes .value')).fontFamily}; }""")
    assert " ".join(notes.split())[:40] in " ".join(shown["notes"].split()), "the speaker view shows other notes"
    with language("zh"):
        from cvmlib.i18n import _
        translations = {text: _(text) for text in SPEAKER_VIEW_TEXTS}
    assert shown["title"] == translations["reveal.js - Speaker View"]
    for english in ("Upcoming", "Click to Reset", "Notes", "Layout"):
        assert translations[english] in shown["text"] and english not in shown["text"], english
    assert shown["noto"] and shown["family"].startswith('"Noto Sans SC"'), shown["family"]
    visit.check_offline()
    visit.close()


@browser_only
def test_the_index_lists_each_deck_in_its_language(built: Path, browser):  # noqa: ANN001
    visit = Visit(browser, built)
    page = visit.page()
    page.goto((built / "index.html").as_uri())
    # its font pieces loaded before the page is left (leaving aborts loads under way: a "failed" request)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    sections = page.evaluate("""() => [...document.querySelectorAll('section')].map(s => ({lang: s.lang,
        text: s.innerText, links: [...s.querySelectorAll('a')].map(a => a.getAttribute('href'))}))""")
    assert [section["lang"] for section in sections] == ["en", "zh-CN"]
    for section, lang in zip(sections, LANGS):
        assert section["links"] == [f"{lang}/{WORKBOOK}.slides.html"]
        assert (built / section["links"][0]).is_file()
        assert f"{len(slides(_planned(built, lang)))} " in section["text"]
    assert "Course slides" in sections[0]["text"] and "课程幻灯片" in sections[1]["text"]
    assert "幻灯片" not in sections[0]["text"] and "slides" not in sections[1]["text"].replace(".slides.html", "")
    page.goto((built / sections[1]["links"][0]).as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=20000)
    visit.check_offline()
    visit.close()


@browser_only
def test_a_deck_with_formulas_typesets_them_with_the_vendored_mathjax(tmp_path: Path, browser):  # noqa: ANN001
    nb = slideshow(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# CLV\n\nThe value is $CLV = \\sum_t m \\, r^t / (1 + d)^t$."),
        nbformat.v4.new_markdown_cell("## Next\n\nNo formula on this slide.")]))
    deck = tmp_path / "deck" / "clv.slides.html"
    deck.parent.mkdir()
    _tool("build_slides").copy_assets(VENDOR, tmp_path, math=True)
    deck.write_text(export_deck(nb, "en"), encoding="utf-8")
    visit = Visit(browser, tmp_path)
    page = visit.page()
    _open_deck(page, deck)
    page.wait_for_selector(".reveal .slides mjx-container", timeout=20000)
    assert page.locator(".reveal .slides mjx-container").count() == 1  # (reveal's aria-status copies the slide)
    assert "∑" in page.locator(".reveal .slides mjx-container").inner_text()
    visit.check_offline()
    visit.close()
