"""The printable material made by the build: role-play cards, case handouts, exercise sheets, model answers.

The print pages (``book/print/*.md``) are filled by ``book/_ext/cvm_print.py`` from the chapters. Read from the
built book (the session's ``built_book``, ``built_book_zh`` and ``built_instructor_books`` fixtures) and counted
against the sources:

- the cards page has one card per ``{role}`` of every ``{roleplay}``, in book order, and each card holds its
  own role's information and no other role's (nor any instructor note);
- the case handouts hold every ``case-`` section without its instructor blocks, each linking back to its
  chapter's anchor; the reader edition's model-answers page holds one sentence, and no reader page, copied
  source or search-index term holds anything of a model answer, in English or in Chinese; the instructor
  edition's page holds every model answer;
- the exercise sheets list every non-coding exercise (``kind="interpret"``) with its prompt and a box per
  option of its form, in the edition's language;
- the Chinese cards and sheets are Chinese;
- printed (Chromium's print emulation, A4): no sidebar or header, every card half a page high with all its
  text inside, never split; ``tools/print_pdf.py`` prints the cards page to a PDF of one page per two cards,
  with the Chinese font embedded in the zh edition.

The directives' own errors (a role outside a role-play, no ``:minutes:``, a case without a model answer, a
``case-`` label on something that is not a section) are checked on a small Sphinx project of their own.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import shutil
import subprocess
import sys
import textwrap
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import book_extension
from tests.test_book import PAGES, ROOT, _extension, _main, _probe, _soup, _text
from tests.test_book_zh import HAN, english_elements

PRINT = "book/print"
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed")
A4_PRINTABLE_MM = (186, 273)  # cvm-print.css: A4 less 12 mm margins
PX_PER_MM = 96 / 25.4


def _print_extension():
    return book_extension("cvm_print")


@cache
def _print_tool():
    """tools/print_pdf.py as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("print_pdf", ROOT / "tools" / "print_pdf.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("print_pdf", module)  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------------------------
# The sources: role-plays with their roles, case sections with their model answers
# ---------------------------------------------------------------------------------------------
_ROLEPLAY = re.compile(r"^(?P<fence>`{4,})\{roleplay\}[ \t]*(?P<title>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)
_NESTED = re.compile(r"^(?P<fence>`{3,})\{(?P<kind>role|instructor|on-your-own)\}[ \t]*(?P<title>[^\n]*)\n"
                     r"(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)
_CASE = re.compile(r"^\((?P<label>case-[\w-]+)\)=\n(?P<hashes>#{2,6}) (?P<title>[^\n]+)\n", re.M)
_MODEL_ANSWER = re.compile(r"^(?P<fence>`{3,}|:{3,})\{instructor\}[ \t]*Model answer[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
                           re.M | re.S)
_GLUE_OR_ROLE = re.compile(r"\{[\w:.-]+\}`[^`]*`")


def _sources() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        path = ROOT / f"{page}.md"
        if path.exists():
            found.append((page, path.read_text(encoding="utf-8")))
    return found


@cache
def roleplays() -> list[dict]:
    """Every role-play of the book's sources, in book order: page, title, roles [(name, text)], notes."""
    plays = []
    for page, text in _sources():
        for match in _ROLEPLAY.finditer(text):
            nested = list(_NESTED.finditer(match["body"]))
            plays.append({
                "page": page, "title": match["title"].strip(),
                "roles": [(m["title"].strip(), m["body"]) for m in nested if m["kind"] == "role"],
                "private": [m["body"] for m in nested if m["kind"] in ("instructor", "on-your-own")],
            })
    return plays


@cache
def cases() -> list[dict]:
    """Every case section of the sources, in book order: page, label, title, model answers."""
    found = []
    for page, text in _sources():
        matches = list(_CASE.finditer(text))
        for match in matches:
            level = len(match["hashes"])
            rest = text[match.end():]
            end = re.search(rf"^#{{1,{level}}} |^\((?!case-)[\w-]+\)=\n#", rest, re.M)
            body = rest[:end.start()] if end else rest
            found.append({"page": page, "label": match["label"], "title": match["title"].strip(),
                          "answers": [m["body"] for m in _MODEL_ANSWER.finditer(body)]})
    return found


def probes(text: str, count: int | None = 3, shortest: int = 25) -> list[str]:
    """The longest runs of plain text of a source block (markup, roles and quotes render differently).

    ``count`` runs at most (None: every run of at least ``shortest`` characters).
    """
    # a run never spans two paragraphs or list items (the HTML does not join them as the source does)
    text = re.sub(r"\n\s*\n|\n\s*(?:\d+\.|[-*])\s+|^\s*(?:\d+\.|[-*])\s+", "|", _GLUE_OR_ROLE.sub("|", text))
    runs = re.findall(r"[A-Za-z0-9 ,.;()]+", re.sub(r"\s+", " ", text))
    runs = sorted({run.strip() for run in runs if len(run.strip()) >= shortest}, key=len, reverse=True)
    return (runs if count is None else runs[:count]) or [_probe(text)]


def _page(book: Path, name: str) -> Path:
    return book / PRINT / f"{name}.html"


def _cards(book: Path) -> list[Tag]:
    return _main(_page(book, "roleplay-cards")).select("div.cvm-card")


def _ui(lang: str, key: str) -> str:
    return _print_extension().UI[lang][key]


# ---------------------------------------------------------------------------------------------
# The sources themselves
# ---------------------------------------------------------------------------------------------
def test_sources_have_roleplays_with_hidden_information_and_cases_with_model_answers():
    plays = roleplays()
    assert {play["page"] for play in plays} >= {"book/communication", "book/complaints"}
    assert len([p for p in plays if p["page"] == "book/communication"]) == 4
    assert len([p for p in plays if p["page"] == "book/complaints"]) == 2
    for play in plays:
        assert len(play["roles"]) >= 2, f"{play['title']}: a role-play needs at least two roles"
        assert all(len(text.split()) >= 25 for _, text in play["roles"]), f"{play['title']}: a role without real information"
    found = cases()
    assert len([c for c in found if c["page"] == "book/complaints"]) == 2
    assert len([c for c in found if c["page"] == "book/communication"]) >= 1
    assert [c["label"] for c in found if not c["answers"]] == [], "every case discussion needs a Model answer block"
    assert len({c["label"] for c in found}) == len(found), "case labels must be unique"


# ---------------------------------------------------------------------------------------------
# Role-play cards
# ---------------------------------------------------------------------------------------------
def test_cards_page_has_one_card_per_role_of_every_roleplay(built_book):
    cards = _cards(built_book)
    expected = [(play["title"], role) for play in roleplays() for role, _ in play["roles"]]
    assert len(cards) == len(expected), f"{len(cards)} cards for {len(expected)} roles"
    for card, (title, role) in zip(cards, expected):
        assert _text(card.select_one(".cvm-card-title")) == f"Role-play: {title}"
        assert _text(card.select_one(".cvm-card-role-title")) == f"Your role: {role}"
        assert "minutes" in _text(card.select_one(".cvm-roleplay-meta"))


def test_each_card_holds_only_its_own_hidden_information(built_book):
    cards = [_text(card) for card in _cards(built_book)]
    expected = [(play, role, text) for play in roleplays() for role, text in play["roles"]]
    problems = []
    for index, (play, role, text) in enumerate(expected):
        for probe in probes(text, count=None):
            holders = [i for i, card in enumerate(cards) if probe in card]
            if holders != [index]:
                problems.append(f"{play['title']} / {role}: {probe[:40]!r} on cards {holders}, expected [{index}]")
        for private in play["private"]:
            problems += [f"{play['title']}: instructor or solo text on a card: {p[:40]!r}"
                         for p in probes(private, count=1) if any(p in card for card in cards)]
    assert problems == [], problems[:8]


def test_cards_link_back_to_their_roleplay(built_book):
    page = _page(built_book, "roleplay-cards")
    for card, play in zip(_cards(built_book), [p for p in roleplays() for _ in p["roles"]]):
        link = card.select_one("p.cvm-print-source a")
        target, anchor = _target(page, link["href"])
        assert target == (built_book / f"{play['page']}.html").resolve(), link["href"]
        assert _soup(target).find(id=anchor) is not None, f"no #{anchor} in {play['page']}"


def test_chapter_shows_each_roleplay_as_a_tip_with_headed_roles(built_book):
    for play in roleplays():
        boxes = [box for box in _main(built_book / f"{play['page']}.html").select("div.admonition.tip.cvm-roleplay")
                 if _text(box.select_one(".admonition-title")) == f"Role-play: {play['title']}"]
        assert len(boxes) == 1, play["title"]
        heads = [_text(part.select_one(".cvm-role-title")) for part in boxes[0].select("div.cvm-role")]
        assert heads == [role for role, _ in play["roles"]]


def test_zh_cards_are_chinese(built_book, built_book_zh):
    cards = _cards(built_book_zh)
    assert len(cards) == len(_cards(built_book))
    container = _main(_page(built_book_zh, "roleplay-cards")).select_one("div.cvm-cards")
    assert english_elements(container) == []
    for card in cards:
        text = _text(card)
        assert len(HAN.findall(text)) > 0.5 * len(re.sub(r"[\W\d_]", "", text)), text[:80]
        assert _text(card.select_one(".cvm-card-title")).startswith(_ui("zh", "roleplay"))


# ---------------------------------------------------------------------------------------------
# Case handouts and model answers
# ---------------------------------------------------------------------------------------------
def _plain(text: str) -> str:
    """Quotes as typed in the source (Sphinx's smart quotes turn them into typographic ones)."""
    return text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}))


def _target(page: Path, href: str) -> tuple[Path, str]:
    parsed = urlparse(href)
    return (page.parent / unquote(parsed.path)).resolve(), parsed.fragment


def test_case_handouts_hold_every_case_without_instructor_blocks(built_book):
    page = _page(built_book, "case-handouts")
    sections = _main(page).select("section.cvm-handout")
    assert [_plain(_text(s.find(["h2", "h3"])).rstrip("#").strip()) for s in sections] == \
        [_plain(c["title"]) for c in cases()]
    for section, case in zip(sections, cases()):
        target, anchor = _target(page, section.select_one("p.cvm-print-source a")["href"])
        assert target == (built_book / f"{case['page']}.html").resolve() and anchor == case["label"]
        assert _soup(target).find(id=anchor) is not None
        assert not section.select(".cvm-instructor, div.cell"), f"{case['label']}: instructor block or code cell"
        text = _text(section)
        assert [p for answer in case["answers"] for p in probes(answer) if p in text] == []


def _model_answer_probes() -> list[str]:
    return [p for case in cases() for answer in case["answers"] for p in probes(answer)]


def test_reader_edition_holds_nothing_of_the_model_answers(built_book):
    page = _main(_page(built_book, "model-answers"))
    assert _ui("en", "reader_model_answers") in _text(page)
    assert not page.select("section.cvm-model-answer")
    leaks = []
    for html in built_book.rglob("*.html"):
        text = _text(_soup(html))
        leaks += [f"{html.relative_to(built_book)}: {p[:40]}" for p in _model_answer_probes() if p in text]
    for source in (built_book / "_sources").rglob("*"):
        text = re.sub(r"\s+", " ", source.read_text(encoding="utf-8")) if source.is_file() else ""
        leaks += [f"{source.relative_to(built_book)}: {p[:40]}" for p in _model_answer_probes() if p in text]
    assert leaks == [], leaks[:8]


def test_reader_search_index_has_no_model_answer_words(built_book):
    from sphinx.search.en import SearchEnglish

    stem = SearchEnglish({}).stem
    reader = {stem(w.lower()) for html in built_book.rglob("*.html") for w in re.findall(r"\w+", _soup(html).get_text(" "))}
    answers = {stem(w.lower()) for case in cases() for answer in case["answers"]
               for w in re.findall(r"[A-Za-z]{4,}", _GLUE_OR_ROLE.sub(" ", answer))}
    index = json.loads(re.search(r"Search\.setIndex\((.*)\)\s*$", (built_book / "searchindex.js").read_text(encoding="utf-8"),
                                 re.S).group(1))
    only_in_answers = answers - reader
    assert only_in_answers, "some words of the model answers should occur nowhere else (else this test proves nothing)"
    leaked = only_in_answers & {term for term, docs in index["terms"].items() if docs != []}
    assert leaked == set(), f"search index terms found only in model answers: {sorted(leaked)[:10]}"


@cache
def _zh_answer_messages() -> list[str]:
    """The Chinese model answers: the msgstr of each of their paragraphs and list items."""
    from babel.messages.pofile import read_po

    # the paragraphs and list items of the answers: each is one message of the page's catalog
    blocks = {" ".join(re.sub(r"^\s*(?:\d+\.|[-*])\s+", "", block).split())
              for case in cases() for answer in case["answers"]
              for block in re.split(r"\n\s*\n|\n(?=\s*(?:\d+\.|[-*])\s)", answer) if block.strip()}
    found = []
    for page in sorted({case["page"] for case in cases()}):
        with open(ROOT / "locales" / "zh_CN" / "LC_MESSAGES" / f"{page}.po", "rb") as handle:
            catalog = read_po(handle)
        found += [message.string for message in catalog
                  if message.id and message.string and " ".join(message.id.split()) in blocks]
    return found


@cache
def _zh_answers() -> list[str]:
    """Runs of Chinese text of the model answers, to look for in pages."""
    return [run for message in _zh_answer_messages() for run in re.findall(r"[\u4e00-\u9fff，、；：]{16,}", message)[:2]]


def test_zh_reader_edition_holds_nothing_of_the_model_answers(built_book_zh):
    runs = _zh_answers()
    assert len(runs) >= len(cases()), "the Chinese model answers were not found in the catalogs"
    assert _ui("zh", "reader_model_answers") in _text(_main(_page(built_book_zh, "model-answers")))
    leaks = [f"{html.relative_to(built_book_zh)}: {run}" for html in built_book_zh.rglob("*.html")
             for run in runs if run in _soup(html).get_text("")]
    assert leaks == [], leaks[:8]


def test_zh_reader_search_index_has_no_model_answer_words(built_book_zh):
    """The words (jieba, as Sphinx's Chinese search splits them) found only in the model answers are not indexed."""
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(60)
    han_word = re.compile(r"^[\u4e00-\u9fff]{2,}$")
    reader = {word for html in built_book_zh.rglob("*.html")
              for word in jieba.cut_for_search(_soup(html).get_text(" ")) if han_word.match(word)}
    answers = {word for message in _zh_answer_messages() for word in jieba.cut_for_search(message) if han_word.match(word)}
    index = json.loads(re.search(r"Search\.setIndex\((.*)\)\s*$",
                                 (built_book_zh / "searchindex.js").read_text(encoding="utf-8"), re.S).group(1))
    only_in_answers = answers - reader
    assert only_in_answers, "some words of the Chinese model answers should occur nowhere else"
    leaked = only_in_answers & {term for term, docs in index["terms"].items() if docs != []}
    assert leaked == set(), f"zh search index terms found only in model answers: {sorted(leaked)[:10]}"


def test_instructor_model_answers_page_holds_every_model_answer(built_instructor_books):
    book = built_instructor_books["en"]
    page = _page(book, "model-answers")
    sections = _main(page).select("section.cvm-model-answer")
    assert len(sections) == len(cases())
    for section, case in zip(sections, cases()):
        boxes = section.select("div.admonition.cvm-instructor")
        assert [_text(box.select_one(".admonition-title")) for box in boxes] == ["Model answer"] * len(case["answers"])
        text = " ".join(_text(box) for box in boxes)
        missing = [p for answer in case["answers"] for p in probes(answer) if p not in text]
        assert missing == [], f"{case['label']}: {missing[:3]}"
        target, anchor = _target(page, section.select_one("p.cvm-print-source a")["href"])
        assert target == (book / f"{case['page']}.html").resolve() and anchor == case["label"]
    assert _ui("en", "instructor_only") in _text(_main(page))


def test_zh_instructor_model_answers_are_chinese(built_instructor_books):
    page = _main(_page(built_instructor_books["zh"], "model-answers"))
    answers = page.select("section.cvm-model-answer div.admonition.cvm-instructor")
    assert len(answers) == sum(len(case["answers"]) for case in cases())
    assert english_elements(page) == []
    text = page.get_text("")
    assert [run for run in _zh_answers() if run not in text] == []


# ---------------------------------------------------------------------------------------------
# Exercise sheets
# ---------------------------------------------------------------------------------------------
def _interpret_exercises(lang: str) -> list[tuple[str, str, object]]:
    from cvmlib.exercises import TOPICS, exercise_ids, get_exercise
    from cvmlib.feedback import shown_text
    from cvmlib.forms import form_of
    from cvmlib.i18n import language

    with language(lang):
        return [(i, shown_text(get_exercise(i).prompt), form_of(i)) for topic in TOPICS for i in exercise_ids(topic)
                if get_exercise(i).kind == "interpret"]


def _boxes_expected(form: object) -> int:
    kind = getattr(form, "kind", None)
    if kind in ("choice", "multichoice"):
        return len(form.options)
    if kind == "mapping":
        if form.item_options:
            return sum(len(form.options_for(item)) for item in form.items)
        return len(form.items) * len(form.options)
    if kind == "grouping":
        return len(form.items) * len(form.groups)
    return 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_exercise_sheets_list_every_non_coding_exercise_with_its_options(built_book, built_book_zh, lang):
    book = {"en": built_book, "zh": built_book_zh}[lang]
    page = _page(book, "exercise-sheets")
    boxes = _main(page).select("div.cvm-sheet-exercise")
    expected = _interpret_exercises(lang)
    assert len(boxes) == len(expected)
    for box, (exercise_id, prompt, form) in zip(boxes, expected):
        assert _text(box.select_one("p.cvm-sheet-prompt")) == re.sub(r"\s+", " ", prompt).strip(), exercise_id
        assert len(box.select("span.cvm-tick")) - len(box.select("ul.cvm-option-legend span.cvm-tick")) \
            == _boxes_expected(form), exercise_id
        assert box.select("div.cvm-write-line") or getattr(form, "kind", None) == "number", exercise_id
        target, anchor = _target(page, box.select_one("p.cvm-print-source a")["href"])
        assert target.exists() and _soup(target).find(id=anchor) is not None, exercise_id
        assert f'check("{exercise_id}"' in _soup(target).find(id=anchor).get_text(), f"{exercise_id}: not its exercise"
    if lang == "zh":
        assert english_elements(_main(page)) == []


# ---------------------------------------------------------------------------------------------
# Printed: Chromium's print emulation and the PDF
# ---------------------------------------------------------------------------------------------
PRINT_VIEW = r"""
() => {
  const shown = (e) => !!e && getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden'
                       && e.getClientRects().length > 0;
  const chrome = ['.bd-sidebar-primary', '.bd-sidebar-secondary', '.bd-header', '.bd-header-article',
                  '.prev-next-area', '.bd-footer', '.cvm-language-switch'];
  return {
    chrome: chrome.filter((s) => Array.from(document.querySelectorAll(s)).some(shown)),
    cards: Array.from(document.querySelectorAll('div.cvm-card')).map((c) => ({
      height: c.getBoundingClientRect().height, scroll: c.scrollHeight, client: c.clientHeight,
      inside: getComputedStyle(c).breakInside})),
  };
}
"""


@pytest.fixture(scope="module")
def printer():
    tool = _print_tool()
    with tool.chromium() as browser:
        yield tool, browser


@needs_chromium
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_print_view_hides_the_book_and_keeps_cards_whole(built_book, built_book_zh, printer, lang):
    tool, browser = printer
    book = {"en": built_book, "zh": built_book_zh}[lang]
    with tool.serve(book.parent) as base:
        url = f"{base}/{lang}/{PRINT}/roleplay-cards.html"
        wide, blocked = tool.open_print_view(browser, url, base, width=1280)  # wide enough for the sidebar
        chrome = wide.evaluate(PRINT_VIEW)["chrome"]
        wide.close()
        page, blocked_too = tool.open_print_view(browser, url, base)  # the printable width of A4
        cards = page.evaluate(PRINT_VIEW)["cards"]
        page.close()
    assert blocked == blocked_too == [], f"requests to other hosts: {blocked[:3]}"
    assert chrome == [], f"printed page shows the book around it: {chrome}"
    assert len(cards) == len(_cards(book))
    half_page = A4_PRINTABLE_MM[1] / 2 * PX_PER_MM
    assert [c for c in cards if c["inside"] != "avoid" or c["height"] > half_page] == [], "a card could be split"
    assert [c for c in cards if c["scroll"] > c["client"] + 1] == [], "a card's text does not fit its card"


@needs_chromium
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_cards_pdf_has_one_page_per_two_cards(built_book, built_book_zh, printer, tmp_path, lang):
    tool, browser = printer
    book = {"en": built_book, "zh": built_book_zh}[lang]
    pdf = tmp_path / f"cards-{lang}.pdf"
    pages = tool.print_page(_page(book, "roleplay-cards"), pdf, browser)
    assert pages == math.ceil(len(_cards(book)) / 2) == tool.pdf_page_count(pdf)
    if lang == "zh":
        assert b"NotoSansSC" in pdf.read_bytes(), "the Chinese font is not embedded: Chinese would print as boxes"


def test_print_tool_refuses_a_missing_edition(tmp_path):
    tool = _print_tool()
    with pytest.raises(tool.PrintError, match="make book-instructor"):
        tool.print_pages(tool.jobs(["en"], ["instructor"], build=tmp_path))
    with pytest.raises(tool.PrintError, match="unknown language or edition"):
        tool.jobs(["fr"])


# ---------------------------------------------------------------------------------------------
# The directives' errors, on a small project of their own
# ---------------------------------------------------------------------------------------------
BROKEN = {
    "index.md": """
        # Broken

        ```{toctree}
        roles
        cases
        ```
        """,
    "roles.md": """
        # Roles

        ````{roleplay} No minutes
        :who: Pairs.

        Shared.

        ```{role} Customer
        Wants a refund.
        ```
        ````

        ````{roleplay} No roles
        :minutes: 5

        Only a situation.
        ````

        ```{role} Stray
        A role outside any role-play.
        ```

        ````{roleplay} Fine
        :minutes: 12
        :who: Pairs.

        Shared situation.

        ```{role} Customer
        Wants a replacement.
        ```

        ```{role} Agent
        May offer a voucher.
        ```
        ````
        """,
    "cases.md": """
        # Cases

        (case-no-answer)=
        ## Case: no answer

        A question.

        (case-answered)=
        ## Case: answered

        Another question.

        ```{instructor} Model answer
        The answer.
        ```

        (case-not-a-section)=
        ```{note}
        A label on a note.
        ```
        """,
}


def test_directives_report_misuse_naming_the_thing(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name, text in BROKEN.items():
        (source / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (source / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\n"
        "extensions = ['myst_nb', 'cvm_book', 'cvm_print']\nhtml_static_path = []\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(source), str(tmp_path / "out")],
                            capture_output=True, text=True, cwd=tmp_path)
    log = result.stderr
    assert 'roleplay} "No minutes" needs a :minutes: option' in log
    assert 'roleplay} "No roles" has no {role} block' in log
    assert '{role} "Stray" is outside any {roleplay}' in log
    assert 'case discussion "case-no-answer" has no {instructor} Model answer block' in log
    assert "case-answered" not in log
    assert 'the label "case-not-a-section" starts with "case-" but is not on a section heading' in log
    assert "Fine" not in log, "a correct role-play should not be reported"
    shutil.rmtree(tmp_path / "out", ignore_errors=True)


def test_doctests_of_the_extension_and_the_print_tool():
    """book/_ext and tools/ are outside the doctest paths of make test: their examples run here."""
    import doctest

    for module in (_print_extension(), _print_tool()):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_extension_is_registered_next_to_cvm_book():
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s+cvm_print: book/_ext\s*$", config, re.M), "_config.yml: local_extensions lacks cvm_print"
    assert _extension().INSTRUCTOR_BUILDER == "html-instructor"
