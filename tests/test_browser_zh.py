"""The Chinese edition in headless Chromium, on a machine with no Chinese font (``fc-list :lang=zh`` is empty).

A reader must see characters, never boxes. The book's own Noto Sans SC (vendored woff2 pieces, one per
unicode-range) must load and draw the body text; and for every element that shows non-ASCII text,
Chromium itself reports (DevTools ``CSS.getPlatformFontsForNode``) which fonts drew it: every character
must be in the cmap of one of them (for Noto Sans SC, of the pieces of that weight the page loaded; for a
font of the machine, of its file; cmaps read with fontTools). A character drawn by a font without it is
a box. Collapsed parts (solutions) are opened first, so that their characters count too. A few pages of
each edition are sampled (the English pages carry Chinese terms in brackets, and the switch "中文").

Also: searching 客户 or 价值 on the zh search page lists pages (Sphinx's Chinese search, words split by
jieba), the language switch goes to the same page of the other edition and back, and the root page
chooses an edition from ``file://`` as well as over HTTP.
"""

from __future__ import annotations

import os
import subprocess
import unicodedata
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.test_book_zh import HAN, font_faces, woff2_coverage
from tests.test_browser import CHROMIUM, SHOTS, _open, browser, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (apt-get install chromium)")

FAMILY = "Noto Sans SC"
# (edition, page): a chapter, a workbook, the glossary in Chinese, a chapter in English; with make test-full
# (CVM_BROWSER_ALL=1) also a skills chapter in Chinese and the glossary in English.
SAMPLES = [("zh", "book/rfm"), ("zh", "notebooks/rfm"), ("zh", "book/glossary"), ("en", "book/rfm")]
if os.environ.get("CVM_BROWSER_ALL") == "1":
    SAMPLES += [("zh", "book/communication"), ("en", "book/glossary")]

# Open every collapsed block and wait until the fonts the page now needs have loaded. Mark each rendered
# element whose own text holds a non-ASCII character (data-cvm-glyphs, in document order) and return its
# characters, with the font faces of the page, the woff2 pieces fetched and the family of a Chinese paragraph.
FONT_PROBE = r"""
async () => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const settle = async () => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    document.body.getBoundingClientRect();
    await document.fonts.ready;
  };
  await settle(); await new Promise((r) => setTimeout(r, 300)); await settle();
  const faces = Array.from(document.fonts).map((f) => ({family: f.family.replace(/['"]/g, ''), weight: f.weight,
                                                         status: f.status, ranges: f.unicodeRange}));
  const pieces = performance.getEntriesByType('resource').map((e) => e.name)
    .filter((n) => n.includes('/noto-sans-sc/') && n.endsWith('.woff2'));
  const marked = [];
  document.querySelectorAll('[data-cvm-glyphs]').forEach((e) => e.removeAttribute('data-cvm-glyphs'));
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('script, style, noscript, template, svg')) continue;
    let own = '';
    for (const child of el.childNodes) if (child.nodeType === Node.TEXT_NODE) own += child.textContent;
    if (!/[^\x00-\x7f]/.test(own) || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    el.setAttribute('data-cvm-glyphs', String(marked.length));
    marked.push({chars: Array.from(new Set(own)).join(''), tag: el.tagName.toLowerCase(),
                 text: own.trim().slice(0, 40), family: style.fontFamily});
  }
  const han = /[\u3400-\u9fff]/;
  const probe = Array.from(document.querySelectorAll('article p')).find((p) => han.test(p.textContent));
  if (probe) probe.setAttribute('data-cvm-probe', '1');
  return {faces, pieces, marked, probeFont: probe ? getComputedStyle(probe).fontFamily : null,
          lang: document.documentElement.lang};
}
"""


@cache
def machine_fonts() -> dict[str, frozenset[int]]:
    """PostScript name -> the characters of each font of the machine (fontconfig's list, cmaps by fontTools)."""
    from fontTools.ttLib import TTFont

    listing = subprocess.run(["fc-list", "--format", "%{postscriptname}|%{file}|%{index}\n"], capture_output=True,
                             text=True, check=False).stdout
    fonts: dict[str, frozenset[int]] = {}
    for line in listing.splitlines():
        name, _, rest = line.partition("|")
        file, _, index = rest.partition("|")
        try:
            fonts[name] = frozenset(TTFont(file, fontNumber=int(index or 0), lazy=True).getBestCmap() or {})
        except Exception:  # a font fontTools cannot read: unknown cmap, its characters are not counted as drawn
            fonts.setdefault(name, frozenset())
    return fonts


def _ranges(text: str) -> frozenset[tuple[int, int]]:
    """``U+4e00-4e01, U+4e03`` (a stylesheet's or a FontFace's unicode-range) as a set of (low, high)."""
    ranges = set()
    for part in text.split(","):
        low, _, high = part.strip().upper().removeprefix("U+").partition("-")
        if low:
            ranges.add((int(low, 16), int(high or low, 16)))
    return frozenset(ranges)


@cache
def _faces_by_range(site: Path) -> dict[tuple[int, frozenset[tuple[int, int]]], dict]:
    """The vendored pieces by (weight, unicode-range): how a FontFace of the page is found on disk."""
    css = site / "zh" / "_static" / "cvm-vendor" / "fonts" / "noto-sans-sc" / "noto-sans-sc.css"
    return {(face["weight"], frozenset(face["ranges"])): face for face in font_faces(css)}


def _cdp(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    return cdp


def _platform_fonts(cdp, selector: str) -> list[list[dict]]:
    """The fonts Chromium used to draw the text of each element matching ``selector`` (document order)."""
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node_ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
    return [cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"] for node_id in node_ids]


def _probe(browser, server, edition: str, name: str, shot: Path | None = None) -> tuple[dict, object]:
    page, external = _open(browser, f"{server}/{edition}/{name}.html", wait_until="load")
    result = page.evaluate(FONT_PROBE)
    assert external == [], f"requests to other hosts: {external[:5]}"
    if shot is not None:
        page.screenshot(path=str(shot), full_page=False)
    return result, page


def missing_glyphs(page, result: dict, site: Path) -> list[str]:
    """Characters drawn by a font that has no glyph for them (boxes), as ``<tag> text: chars (fonts)``."""
    # the pieces of Noto Sans SC that the page loaded (document.fonts), found on disk by weight and range
    pieces = _faces_by_range(site)
    loaded: dict[int, set[int]] = {400: set(), 700: set()}
    for face in result["faces"]:
        if face["family"] != FAMILY or face["status"] != "loaded":
            continue
        piece = pieces.get((int(face["weight"]), _ranges(face["ranges"])))
        assert piece is not None, f"a face of {FAMILY} that the vendored stylesheet does not declare: {face}"
        loaded[piece["weight"]] |= woff2_coverage(piece["file"], tuple(piece["ranges"]))
    machine = machine_fonts()
    drawn_by = _platform_fonts(_cdp(page), "[data-cvm-glyphs]")
    assert len(drawn_by) == len(result["marked"])
    missing = []
    for element, fonts in zip(result["marked"], drawn_by):
        covered: set[int] = set()
        for font in fonts:
            if FAMILY in font["familyName"] or font["postScriptName"].startswith("NotoSansSC"):
                covered |= loaded[700 if "Bold" in font["postScriptName"] else 400]
            elif font["isCustomFont"]:  # another web font of the page (MathJax): drawn as it planned
                covered |= {ord(char) for char in element["chars"]}
            else:
                covered |= machine.get(font["postScriptName"], frozenset())
        lost = [char for char in element["chars"] if ord(char) not in covered and not char.isspace()
                and unicodedata.category(char) not in {"Cc", "Cf", "Zs", "Zl", "Zp"}]
        if lost:
            used = ", ".join(font["postScriptName"] for font in fonts)
            missing.append(f"<{element['tag']}> {element['text']}: "
                           + " ".join(f"{char} U+{ord(char):04X}" for char in sorted(set(lost))[:8]) + f" ({used})")
    return missing


# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("edition", "name"), SAMPLES)
def test_cjk_font_loads_and_no_character_falls_back_to_a_missing_glyph(browser, server, built_books, edition, name):
    site = built_books["en"].parent
    shot = SHOTS / f"screenshot-zh-{name.replace('/', '-')}.png" if edition == "zh" else None
    result, page = _probe(browser, server, edition, name, shot)
    try:
        loaded = [face for face in result["faces"] if face["family"] == FAMILY and face["status"] == "loaded"]
        assert loaded, f"no face of {FAMILY} loaded: {result['faces'][:5]}"
        assert result["pieces"], "no woff2 piece of the font was fetched"
        assert all(f"/{edition}/_static/cvm-vendor/fonts/noto-sans-sc/files/" in url for url in result["pieces"])
        if edition == "zh":
            assert result["lang"] == "zh-CN"
            assert result["probeFont"] and result["probeFont"].replace('"', "").startswith(FAMILY), result["probeFont"]
            # the font that actually draws a Chinese paragraph, as Chromium reports it
            fonts = _platform_fonts(_cdp(page), "[data-cvm-probe]")[0]
            assert fonts and fonts[0]["isCustomFont"] and fonts[0]["postScriptName"].startswith("NotoSansSC"), fonts
        missing = missing_glyphs(page, result, site)
        assert missing == [], f"{len(missing)} elements with characters drawn as boxes: {missing[:8]}"
    finally:
        page.close()


def test_missing_glyph_check_would_see_a_box(browser, server, built_books):
    """The check is not blind: a character no font here has (a CJK Extension B ideograph) is reported."""
    site = built_books["en"].parent
    page, _ = _open(browser, f"{server}/zh/book/intro.html", wait_until="load")
    page.evaluate("() => { const p = document.createElement('p'); p.textContent = '見\U00020001'; "
                  "document.querySelector('article').appendChild(p); }")
    result = page.evaluate(FONT_PROBE)
    try:
        missing = missing_glyphs(page, result, site)
    finally:
        page.close()
    assert any("U+20001" in line for line in missing), missing


@pytest.mark.parametrize("term", ["客户", "价值"])
def test_searching_a_partial_chinese_term_lists_pages(browser, server, term):
    page, external = _open(browser, f"{server}/zh/search.html?q={quote(term)}", wait_until="load")
    page.wait_for_function("() => document.querySelector('#search-results .search-summary, #search-results p')"
                           " && document.querySelectorAll('#search-results ul.search li').length > 0", timeout=30000)
    results = page.locator("#search-results ul.search li")
    titles = [results.nth(i).locator("a").first.inner_text() for i in range(results.count())]
    page.close()
    assert external == []
    assert len(titles) >= 3, f"searching {term} found {titles}"
    assert sum(bool(HAN.search(title)) for title in titles) >= len(titles) // 2, f"result titles not Chinese: {titles}"


@pytest.mark.parametrize("width", [1280, 375])
def test_language_switch_goes_to_the_same_page_and_back(browser, server, width):
    page, external = _open(browser, f"{server}/zh/notebooks/rfm.html", width=width, wait_until="load")
    switch = page.locator("a.cvm-language-switch")
    assert switch.count() == 1 and switch.is_visible(), "the language switch should be visible at this width"
    assert switch.inner_text().strip() == "English"
    switch.click()
    page.wait_for_url("**/en/notebooks/rfm.html")
    assert page.evaluate("document.documentElement.lang") == "en"
    back = page.locator("a.cvm-language-switch")
    assert back.inner_text().strip() == "中文"
    back.click()
    page.wait_for_url("**/zh/notebooks/rfm.html")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.close()
    assert external == []


@pytest.mark.parametrize("via", ["http", "file"])
def test_root_page_opens_either_edition(browser, server, built_books, via):
    """From the local server and from the files themselves (a copy of the book on a USB stick)."""
    site = built_books["en"].parent
    base = f"{server}/" if via == "http" else site.as_uri() + "/"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    external: list[str] = []

    def route(request_route):
        if request_route.request.url.startswith((base, "data:", "blob:")):
            request_route.continue_()
        else:
            external.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(base + "index.html", wait_until="load")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    result = page.evaluate(FONT_PROBE)
    assert any(face["family"] == FAMILY and face["status"] == "loaded" for face in result["faces"]), \
        f"the root page's Chinese is not in the vendored font: {result['faces']}"
    assert missing_glyphs(page, result, site) == []
    for tag, expected in (("zh-CN", "zh/book/intro.html"), ("en", "en/book/intro.html")):
        page.locator(f'a[hreflang="{tag}"]').click()
        page.wait_for_url(f"**/{expected}")
        assert page.evaluate("document.documentElement.lang") == tag
        page.go_back()
        page.wait_for_url("**/index.html")
    page.close()
    assert external == [], external[:5]

