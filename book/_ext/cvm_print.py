"""Printable material made by the book build: role-play cards, case handouts, exercise sheets, model answers.

The chapters are the one source. This Sphinx extension adds

- a ``{roleplay}`` directive (options ``:minutes:``, required, the time the role-play takes in the room,
  debrief included, and ``:who:``) whose content is the situation everyone knows, one nested ``{role}``
  block per role with what only that role knows, an optional ``{on-your-own}`` block (what a reader of
  the book does without a group) and the ``{instructor}`` blocks of ``cvm_book`` (facilitation). In the
  chapter page it is a tip box titled "Role-play: <title>", each role a headed part;
- four collectors, one per print page (``book/print/*.md``), filled when a page is written from what
  every chapter contributed (the pattern of ``sphinx.ext.todo``'s ``todolist``: the nodes are collected in
  the environment when a page is read, merged after a parallel read, and copied into the print page):

  ``{roleplay-cards}``
      one card per role of every role-play: its title, minutes, who, the shared situation and that
      role's own information only (an observer is a role whose card holds the observation points);
  ``{case-handouts}``
      every section whose label starts with ``case-``, without its instructor blocks (and without its
      code cells: a handout is read on paper);
  ``{model-answers}``
      the same sections with their ``Model answer`` instructor blocks, in the instructor edition only; the
      reader edition's page holds one sentence saying where the answers are, so nothing of them reaches
      the reader HTML, its search index or its copied sources;
  ``{exercise-sheets}``
      the non-coding exercises (``kind="interpret"``) of every topic, from ``cvmlib``: the prompt, the
      options as tick boxes when ``cvmlib.forms.form_of`` gives a form, and space to write, in the
      edition's language.

  Every collected item links back to the place in the chapter (or workbook) it comes from.

The copies are made by a post-transform that runs before the other write-time transforms (priority 2), so
that a copied figure gets the output format the builder wants, a ``{term}``, ``{numref}`` or ``{doc}`` inside
a copied case resolves from the print page as it did from the chapter, and ``cvm_book``'s edition transform
treats copied instructor blocks like any other.
``book/_ext/static/cvm-print.css`` holds the print styles (A4, cut-friendly cards two per page, page
breaks, no sidebar) and the screen look of cards and sheets; ``tools/print_pdf.py`` prints the pages to PDF.

A case section without a ``Model answer`` block, a ``{role}`` outside a ``{roleplay}``, a role-play without
``:minutes:`` or without roles, and a ``case-`` label that is not on a section are reported as warnings
(errors under ``-W``), naming the page and the offending value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util import docname_join

from cvm_book import INSTRUCTOR_BUILDER, edition_language, instructor_note

__all__ = [
    "CASE_PREFIX",
    "COLLECTORS",
    "MODEL_ANSWER_TITLE",
    "UI",
    "PrintDomain",
    "case_pages",
    "case_sections",
    "doc_order",
    "exercise_sheets",
    "form_nodes",
    "is_model_answer",
    "model_answers",
    "print_collector",
    "roleplay",
    "roleplay_cards",
    "roleplay_role",
    "roleplay_solo",
    "setup",
    "ui",
]

LOGGER = logging.getLogger(__name__)

#: A section whose label starts with this is a case discussion (``(case-rfm-promotion)=``).
CASE_PREFIX = "case-"
#: The title of the ``{instructor}`` block that holds a case's model answer (in the English source).
MODEL_ANSWER_TITLE = "Model answer"
#: Collector directive name -> what the print page shows.
COLLECTORS = ("roleplay-cards", "case-handouts", "model-answers", "exercise-sheets")
#: Ruled lines to write on, per exercise (more when the exercise has no form to tick).
WRITE_LINES = {"form": 3, "grid": 2, "free": 6}

UI = {
    "en": {
        "roleplay": "Role-play: ",
        "who": "Who.",
        "time": "Time.",
        "minutes": "{minutes} minutes",
        "on_your_own": "On your own",
        "card": "Role-play card",
        "your_role": "Your role: ",
        "situation": "The situation (everyone knows this)",
        "from": "From: ",
        "from_workbook": "Workbook: ",
        "answer_space": "Your answer and your reasons:",
        "answer_number": "Your answer: ",
        "scale": "(from {low} to {high})",
        "tick_one": "Tick one box.",
        "tick_all": "Tick every box that applies.",
        "grid_hint": "Tick one box in each row.",
        "grid_caption": "One row per item: tick the option that fits",
        "item": "Item",
        "no_cases": "No case discussion is labelled yet.",
        "reader_model_answers": ("The model answers of the case discussions are for instructors: they are in the "
                                 "instructor edition of the book (make book-instructor), on this page."),
        "instructor_only": "Instructor edition: do not hand this page out.",
        "sheet_name": "Name: ",
    },
    "zh": {
        "roleplay": "角色扮演：",
        "who": "参与者：",
        "time": "时长：",
        "minutes": "{minutes} 分钟",
        "on_your_own": "自己练习",
        "card": "角色卡",
        "your_role": "你的角色：",
        "situation": "情境（所有人都知道）",
        "from": "出处：",
        "from_workbook": "练习册：",
        "answer_space": "你的答案和理由：",
        "answer_number": "你的答案：",
        "scale": "（{low} 到 {high} 之间）",
        "tick_one": "请勾选一项。",
        "tick_all": "请勾选所有符合的选项。",
        "grid_hint": "每行勾选一项。",
        "grid_caption": "每行一项：勾选与之相符的选项",
        "item": "项目",
        "no_cases": "目前还没有标注为案例讨论的小节。",
        "reader_model_answers": "案例讨论的参考答案只供讲师使用，收录在本书讲师版（make book-instructor）的这一页。",
        "instructor_only": "讲师版：本页请勿发给学员。",
        "sheet_name": "姓名：",
    },
}


def ui(config: Any, key: str) -> str:
    """One of the extension's labels in the language of the build (English without a config).

    >>> ui(None, "roleplay"), ui(None, "minutes").format(minutes=15)
    ('Role-play: ', '15 minutes')
    """
    return UI[edition_language(config)][key]


# --------------------------------------------------------------------------------------------
# Nodes
# --------------------------------------------------------------------------------------------
class roleplay(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
    """A role-play: title, who, shared situation, roles, instructor notes. Rendered as a tip box."""


class roleplay_role(nodes.General, nodes.Element):  # noqa: N801
    """One role of a role-play: a rubric with the role's name, then what only this role knows."""


class roleplay_solo(nodes.General, nodes.Element):  # noqa: N801
    """What a reader of the book does with the role-play alone (not on any card)."""


class print_collector(nodes.General, nodes.Element):  # noqa: N801
    """Where a print page wants its collected items (``kind`` is one of :data:`COLLECTORS`)."""


# --------------------------------------------------------------------------------------------
# Directives
# --------------------------------------------------------------------------------------------
_ROLEPLAY_OPEN = "cvm_print_roleplay"


def _clean_id(text: str) -> str:
    return nodes.make_id(text) or "item"


class RoleplayDirective(SphinxDirective):
    """``{roleplay} Title`` with ``:minutes:`` (required) and ``:who:``; roles in nested ``{role}`` blocks."""

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"minutes": directives.unchanged, "who": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        title_text = self.arguments[0].strip()
        raw_minutes = self.options.get("minutes")
        if raw_minutes is None:
            raise self.error(f'{{roleplay}} "{title_text}" needs a :minutes: option: the time it takes in the '
                             "room, debrief included (e.g. :minutes: 15)")
        try:
            minutes = int(str(raw_minutes).strip())
        except ValueError:
            minutes = 0
        if minutes <= 0:
            raise self.error(f'{{roleplay}} "{title_text}": :minutes: must be a whole number of minutes above 0, '
                             f"not {raw_minutes!r}")
        node = roleplay(minutes=minutes, rp_title=title_text, ids=[_clean_id(f"roleplay-{title_text}")])
        self.set_source_info(node)
        inline, messages = self.parse_inline(title_text, lineno=self.lineno)
        title = nodes.title(title_text, "", *inline)
        self.set_source_info(title)
        node += title
        node += messages
        who = self.options.get("who", "").strip()
        if who:
            inline, messages = self.parse_inline(who, lineno=self.lineno)
            paragraph = nodes.paragraph(who, "", *inline, classes=["cvm-roleplay-who"])
            self.set_source_info(paragraph)
            node += paragraph
            node += messages
        outer = self.env.temp_data.get(_ROLEPLAY_OPEN)
        if outer is not None:
            raise self.error(f'{{roleplay}} "{title_text}" is inside the role-play "{outer}": role-plays do not nest')
        self.env.temp_data[_ROLEPLAY_OPEN] = title_text
        try:
            node.extend(self.parse_content_to_nodes())
        finally:
            self.env.temp_data.pop(_ROLEPLAY_OPEN, None)
        if not any(isinstance(child, roleplay_role) for child in node.children):
            raise self.error(f'{{roleplay}} "{title_text}" has no {{role}} block: give each role its own '
                             "{role} Name block with what only that role knows")
        return [node]


class RoleDirective(SphinxDirective):
    """``{role} Name`` inside a ``{roleplay}``: what only this role knows and wants."""

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip()
        if self.env.temp_data.get(_ROLEPLAY_OPEN) is None:
            raise self.error(f'{{role}} "{name}" is outside any {{roleplay}}: put it inside the role-play it belongs to')
        if not self.content:
            raise self.error(f'{{role}} "{name}" is empty: write what only this role knows')
        node = roleplay_role(role=name)
        self.set_source_info(node)
        inline, messages = self.parse_inline(name, lineno=self.lineno)
        rubric = nodes.rubric(name, "", *inline, classes=["cvm-role-title"])
        self.set_source_info(rubric)
        node += rubric
        node += messages
        node.extend(self.parse_content_to_nodes())
        return [node]


class OnYourOwnDirective(SphinxDirective):
    """``{on-your-own}`` inside a ``{roleplay}``: the exercise for a reader without a group (not on the cards)."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        if self.env.temp_data.get(_ROLEPLAY_OPEN) is None:
            raise self.error("{on-your-own} is outside any {roleplay}: put it inside the role-play it belongs to")
        node = roleplay_solo()
        self.set_source_info(node)
        node.extend(self.parse_content_to_nodes())
        return [node]


class CollectorDirective(SphinxDirective):
    """``{roleplay-cards}``, ``{case-handouts}``, ``{model-answers}``, ``{exercise-sheets}``: no content."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        node = print_collector(kind=self.name)
        self.set_source_info(node)
        return [node]


# --------------------------------------------------------------------------------------------
# Read time: mark model answers (before translation), collect into the domain
# --------------------------------------------------------------------------------------------
def is_model_answer(note: nodes.Element) -> bool:
    """Whether an instructor block is a model answer (marked while its title was still the English source).

    >>> is_model_answer(instructor_note(cvm_model_answer=True)), is_model_answer(instructor_note())
    (True, False)
    """
    return bool(note.get("cvm_model_answer"))


class MarkModelAnswers(SphinxTransform):
    """Mark ``{instructor} Model answer`` blocks before the zh edition translates their title (priority 20)."""

    default_priority = 15

    def apply(self, **kwargs: Any) -> None:
        for note in self.document.findall(instructor_note):
            title = note.children[0] if note.children and isinstance(note.children[0], nodes.title) else None
            if title is not None and title.astext().strip() == MODEL_ANSWER_TITLE:
                note["cvm_model_answer"] = True


def _detached(node: nodes.Element) -> nodes.Element:
    """A deep copy that keeps no reference to its document (the environment pickles it)."""
    copy = node.deepcopy()
    for element in copy.findall(nodes.Element):
        element._document = None  # noqa: SLF001 (docutils keeps the owner here; pickling it would copy the page)
    return copy


def _case_labels(document: nodes.document, element: nodes.Element) -> list[str]:
    """The explicit labels (``(case-...)=``) on ``element`` that start with :data:`CASE_PREFIX`.

    Only explicit targets count: a heading "Case 1: ..." gets the implicit id ``case-1-...`` from its title.
    """
    return [name for name in element.get("names", [])
            if name.startswith(CASE_PREFIX) and document.nametypes.get(name) and name in document.nameids]


def case_sections(document: nodes.document) -> Iterator[tuple[str, nodes.section]]:
    """(anchor, section) for every section of ``document`` whose label starts with :data:`CASE_PREFIX`.

    Parameters
    ----------
    document : docutils.nodes.document
        A page as read (its explicit targets noted).

    Yields
    ------
    tuple of (str, docutils.nodes.section)
        The label's id (the anchor a link to the case uses) and the section, in page order.

    Examples
    --------
    >>> from docutils.core import publish_doctree
    >>> page = publish_doctree(".. _case-demo:\\n\\nCase 1: demo\\n============\\n\\nText.\\n\\n"
    ...                        "Case 2: unlabelled\\n==================\\n\\nMore.\\n")
    >>> [(anchor, section[0].astext()) for anchor, section in case_sections(page)]
    [('case-demo', 'Case 1: demo')]
    """
    for section in document.findall(nodes.section):
        labels = _case_labels(document, section)
        if labels:
            yield document.nameids[labels[0]], section


_CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([A-Za-z_]\w*\.\w+)["']""")


def _is_code_cell(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "cell_code"


class PrintDomain(Domain):
    """Holds, per page, what the print pages collect: role-plays, cases, checked exercises, collectors."""

    name = "cvmprint"
    label = "CVM printable material"
    initial_data: dict[str, Any] = {"roleplays": {}, "cases": {}, "checks": {}, "collectors": {}}
    data_version = 1

    @property
    def roleplays(self) -> dict[str, list[nodes.Element]]:
        return self.data.setdefault("roleplays", {})

    @property
    def cases(self) -> dict[str, list[tuple[str, nodes.Element]]]:
        return self.data.setdefault("cases", {})

    @property
    def checks(self) -> dict[str, list[tuple[str, str, nodes.Element]]]:
        return self.data.setdefault("checks", {})

    @property
    def collectors(self) -> dict[str, list[str]]:
        return self.data.setdefault("collectors", {})

    def clear_doc(self, docname: str) -> None:
        for key in ("roleplays", "cases", "checks", "collectors"):
            self.data.setdefault(key, {}).pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for key in ("roleplays", "cases", "checks", "collectors"):
            mine = self.data.setdefault(key, {})
            for docname in docnames:
                if docname in otherdata.get(key, {}):
                    mine[docname] = otherdata[key][docname]

    def collect(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """Store what the print pages need from one page (at ``doctree-read``, after Sphinx's collectors)."""
        plays = [_detached(node) for node in document.findall(roleplay)]
        if plays:
            self.roleplays[docname] = plays
        cases = []
        for label, section in case_sections(document):
            if not any(is_model_answer(note) for note in section.findall(instructor_note)):
                LOGGER.warning('case discussion "%s" has no {instructor} %s block at the end of its section',
                               label, MODEL_ANSWER_TITLE, location=section, type="cvm", subtype="print")
            cases.append((label, _detached(section)))
        if cases:
            self.cases[docname] = cases
        for element in document.findall(nodes.Element):
            if isinstance(element, nodes.section):
                continue
            misplaced = _case_labels(document, element)
            if misplaced and not isinstance(element, nodes.target):
                LOGGER.warning('the label "%s" starts with "%s" but is not on a section heading: a case '
                               "discussion is a section", misplaced[0], CASE_PREFIX, location=element,
                               type="cvm", subtype="print")
        checks = []
        for cell in document.findall(_is_code_cell):
            source = "\n".join(block.astext() for block in cell.findall(nodes.literal_block)
                               if block.parent is not None and block.parent.get("nb_element") == "cell_code_source")
            section = cell.parent
            while section is not None and not isinstance(section, nodes.section):
                section = section.parent
            if section is None or not section.children or not isinstance(section[0], nodes.title):
                continue
            for exercise_id in _CHECK_CALL.findall(source):
                checks.append((exercise_id, section["ids"][0], _detached(section[0])))
        if checks:
            self.checks[docname] = checks
        kinds = [node["kind"] for node in document.findall(print_collector)]
        if kinds:
            self.collectors[docname] = kinds

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Any, target: str,
                         node: addnodes.pending_xref, contnode: nodes.Element) -> list[tuple[str, nodes.Element]]:
        return []


def collect_printable(app: Sphinx, document: nodes.document) -> None:
    """``doctree-read``: the page is translated and its images known; copy what the print pages need."""
    domain = app.env.get_domain(PrintDomain.name)
    assert isinstance(domain, PrintDomain)
    domain.clear_doc(app.env.docname)
    domain.collect(app.env, app.env.docname, document)


def reread_print_pages(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                       removed: set[str]) -> list[str]:
    """When any page changed, the print pages (which copy from every page) are read and written again."""
    if not (added or changed or removed):
        return []
    domain = env.get_domain(PrintDomain.name)
    return sorted(set(domain.data.get("collectors", {})) - added - changed - removed)


# --------------------------------------------------------------------------------------------
# Write time: helpers
# --------------------------------------------------------------------------------------------
def doc_order(env: BuildEnvironment) -> list[str]:
    """Every page in the order of the table of contents (pages outside it last, sorted).

    The print pages list their items in this order: the order in which a course meets them.
    """
    order: list[str] = []
    seen: set[str] = set()

    def visit(docname: str) -> None:
        if docname in seen:
            return
        seen.add(docname)
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(env.config.root_doc)
    return order + sorted(set(env.found_docs) - seen)


def _title_of(env: BuildEnvironment, docname: str) -> nodes.Element:
    title = env.titles.get(docname)
    return title.deepcopy() if title is not None else nodes.title(docname, docname)


def _backlink(builder: Any, fromdoc: str, todoc: str, anchor: str | None, label: str,
              title: nodes.Element, classes: Sequence[str] = ("cvm-print-source",)) -> nodes.paragraph:
    """``From: <chapter title>`` linking to the chapter (and the anchor in it)."""
    paragraph = nodes.paragraph(classes=list(classes))
    paragraph += nodes.Text(label)
    reference = nodes.reference("", "", *[child.deepcopy() for child in title.children], internal=True)
    try:
        uri = builder.get_relative_uri(fromdoc, todoc)
        reference["refuri"] = uri + (f"#{anchor}" if anchor else "")
    except NoUri:
        reference = nodes.inline("", "", *[child.deepcopy() for child in title.children])
    paragraph += reference
    return paragraph


def _strip_ids(node: nodes.Element, prefix: str) -> None:
    """Give the copy's ids a prefix: a copied section must not claim the chapter's anchors."""
    for element in node.findall(nodes.Element):
        if element.get("ids"):
            element["ids"] = [f"{prefix}{name}" for name in element["ids"]]
        if element.get("names"):
            element["names"] = []


def _prepare_references(copy: nodes.Element, source_doc: str, current_doc: str) -> None:
    """Let the references of a copy resolve from the print page.

    Sphinx makes a reference's URI relative to its ``refdoc``; a ``{doc}`` target written relative to the
    chapter becomes absolute first.
    """
    for xref in copy.findall(addnodes.pending_xref):
        refdoc = xref.get("refdoc", source_doc)
        if xref.get("reftype") == "doc" and xref.get("refdomain") == "std":
            xref["reftarget"] = "/" + docname_join(refdoc, xref["reftarget"])
        xref["refdoc"] = current_doc


def _number_figures(env: BuildEnvironment, config: Any, copy: nodes.Element, source_doc: str) -> None:
    """Copied figures keep the number they have in the chapter, written into the caption (the text cites it)."""
    numbers = env.toc_fignumbers.get(source_doc, {}).get("figure", {})
    fmt = (config.numfig_format or {}).get("figure", "Fig. %s")
    for figure in copy.findall(nodes.figure):
        number = next((numbers[name] for name in figure.get("ids", []) if name in numbers), None)
        caption = next(iter(figure.findall(nodes.caption)), None)
        if number is not None and caption is not None:
            caption.insert(0, nodes.Text(fmt % ".".join(map(str, number)) + " "))


def _drop(copy: nodes.Element, predicate: Any) -> None:
    for node in list(copy.findall(predicate)):
        if node.parent is not None:
            node.parent.remove(node)


# --------------------------------------------------------------------------------------------
# Write time: the four collectors
# --------------------------------------------------------------------------------------------
def _parts(play: nodes.Element) -> tuple[nodes.Element | None, nodes.Element | None, list[nodes.Node],
                                          list[nodes.Element]]:
    """(title, who, shared situation, roles) of a stored role-play."""
    title = who = None
    shared: list[nodes.Node] = []
    roles: list[nodes.Element] = []
    for child in play.children:
        if isinstance(child, nodes.title) and title is None:
            title = child
        elif isinstance(child, nodes.paragraph) and "cvm-roleplay-who" in child["classes"] and who is None:
            who = child
        elif isinstance(child, roleplay_role):
            roles.append(child)
        elif isinstance(child, (roleplay_solo, instructor_note, nodes.system_message)):
            continue
        else:
            shared.append(child)
    return title, who, shared, roles


def _meta(config: Any, play: nodes.Element, who: nodes.Element | None) -> nodes.paragraph:
    meta = nodes.paragraph(classes=["cvm-roleplay-meta"])
    meta += nodes.strong("", ui(config, "time"))
    meta += nodes.Text(" " + ui(config, "minutes").format(minutes=play["minutes"]))
    if who is not None:
        meta += nodes.Text("  ")
        meta += nodes.strong("", ui(config, "who"))
        meta += nodes.Text(" ")
        meta.extend(child.deepcopy() for child in who.children)
    return meta


def roleplay_cards(env: BuildEnvironment, builder: Any, config: Any, docname: str) -> list[nodes.Node]:
    """One card per role of every role-play, in the order of the book.

    Parameters
    ----------
    env, builder, config
        The build's environment (holding the collected role-plays), builder and configuration.
    docname : str
        The print page the cards go to (links back to the chapters are made relative to it).

    Returns
    -------
    list of docutils.nodes.Node
        One container of cards (none when the book has no role-play). A card holds the role-play's title,
        minutes and who, the shared situation and that role's own information: never another role's, an
        ``{on-your-own}`` block or an instructor note.
    """
    domain = env.get_domain(PrintDomain.name)
    cards = nodes.container(classes=["cvm-cards"])
    number = 0
    for source in doc_order(env):
        for play in domain.data["roleplays"].get(source, []):
            title, who, shared, roles = _parts(play)
            for role in roles:
                number += 1
                card = nodes.container(classes=["cvm-card"], ids=[f"card-{number}"])
                kicker = nodes.paragraph(classes=["cvm-card-kicker"])
                kicker += nodes.Text(ui(config, "card"))
                card += kicker
                heading = nodes.rubric(classes=["cvm-card-title"])
                heading += nodes.Text(ui(config, "roleplay"))
                if title is not None:
                    heading.extend(child.deepcopy() for child in title.children)
                card += heading
                card += _meta(config, play, who)
                situation = nodes.container(classes=["cvm-card-situation"])
                situation += nodes.rubric("", ui(config, "situation"), classes=["cvm-card-part"])
                situation.extend(child.deepcopy() for child in shared)
                card += situation
                own = nodes.container(classes=["cvm-card-role"])
                role_title = role.children[0]
                label = nodes.rubric(classes=["cvm-card-part", "cvm-card-role-title"])
                label += nodes.Text(ui(config, "your_role"))
                label.extend(child.deepcopy() for child in role_title.children)
                own += label
                own.extend(child.deepcopy() for child in role.children[1:])
                card += own
                card += _backlink(builder, docname, source, play["ids"][0] if play["ids"] else None,
                                  ui(config, "from"), _title_of(env, source))
                _prepare_references(card, source, docname)
                cards += card
    return [cards] if number else []


def _case_copy(env: BuildEnvironment, builder: Any, config: Any, docname: str, source: str, label: str,
               section: nodes.Element, *, answers: bool) -> nodes.section:
    copy = section.deepcopy()
    # code cells are the chapter's computation; on paper the case reads from its text and figures
    _drop(copy, _is_code_cell)
    if answers:
        _drop(copy, lambda node: isinstance(node, instructor_note) and not is_model_answer(node))
    else:
        _drop(copy, instructor_note)
    _number_figures(env, config, copy, source)
    _strip_ids(copy, "print-" if not answers else "answer-")
    copy["classes"] = [*copy.get("classes", []), "cvm-handout" if not answers else "cvm-model-answer"]
    position = 1 if copy.children and isinstance(copy[0], nodes.title) else 0
    copy.insert(position, _backlink(builder, docname, source, label, ui(config, "from"), _title_of(env, source)))
    _prepare_references(copy, source, docname)
    return copy


def case_pages(env: BuildEnvironment, builder: Any, config: Any, docname: str, *, answers: bool) -> list[nodes.Node]:
    """Every case section in book order, as a handout or with its model answer.

    Parameters
    ----------
    env, builder, config, docname
        As for :func:`roleplay_cards`.
    answers : bool
        False: a handout, without any instructor block. True: with the ``Model answer`` blocks (and no other
        instructor block); only :func:`model_answers` asks for them, in the instructor edition.

    Returns
    -------
    list of docutils.nodes.Node
        One section per case, its code cells left out, its figures numbered as in the chapter, with a link
        back to the case in its chapter.
    """
    domain = env.get_domain(PrintDomain.name)
    out: list[nodes.Node] = []
    for source in doc_order(env):
        for label, section in domain.data["cases"].get(source, []):
            out.append(_case_copy(env, builder, config, docname, source, label, section, answers=answers))
    if not out:
        out.append(nodes.paragraph("", ui(config, "no_cases")))
    return out


def model_answers(env: BuildEnvironment, builder: Any, config: Any, docname: str) -> list[nodes.Node]:
    """The instructor edition: every case with its model answer; any other edition: one sentence, nothing else.

    The reader edition's page is written from this one sentence only, so its HTML, its search index and its
    copied source hold nothing of the answers.
    """
    if builder.name != INSTRUCTOR_BUILDER:
        return [nodes.paragraph("", ui(config, "reader_model_answers"), classes=["cvm-print-reader-note"])]
    warning = nodes.paragraph("", ui(config, "instructor_only"), classes=["cvm-print-instructor-only"])
    return [warning, *case_pages(env, builder, config, docname, answers=True)]


# ---- exercise sheets ------------------------------------------------------------------------
def _tick_list(options: Iterable[str], classes: Sequence[str] = ()) -> nodes.bullet_list:
    """A list of options, each with a box to tick (the options come as shown: ``"A) text"``)."""
    items = nodes.bullet_list(classes=["cvm-tickboxes", *classes])
    for text in options:
        paragraph = nodes.paragraph()
        paragraph += nodes.inline("", "", classes=["cvm-tick"])
        paragraph += nodes.Text(text)
        items += nodes.list_item("", paragraph)
    return items


def _lines(count: int) -> nodes.container:
    """Ruled lines to write on."""
    space = nodes.container(classes=["cvm-write-lines"])
    for _ in range(count):
        space += nodes.container(classes=["cvm-write-line"])
    return space


def _entry(*children: nodes.Node, classes: Sequence[str] = ()) -> nodes.entry:
    return nodes.entry("", nodes.paragraph("", "", *children), classes=list(classes))


def _tick_grid(config: Any, caption: str, rows: list[str], columns: list[str], anchor: str) -> nodes.table:
    """A table with one row per item and a box to tick under each option (``anchor``: its id, numbered tables need one)."""
    table = nodes.table(classes=["cvm-sheet-grid"], ids=[anchor])
    table += nodes.title("", caption)
    group = nodes.tgroup(cols=1 + len(columns))
    table += group
    group += nodes.colspec(colwidth=max(3, 2 * len(columns)))
    for _ in columns:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    header = nodes.row()
    header += _entry(nodes.Text(ui(config, "item")))
    for column in columns:
        header += _entry(nodes.Text(column))
    head += header
    group += head
    body = nodes.tbody()
    for text in rows:
        row = nodes.row()
        row += _entry(nodes.Text(text))
        for _ in columns:
            row += _entry(nodes.inline("", "", classes=["cvm-tick"]), classes=["cvm-tick-cell"])
        body += row
    group += body
    return table


def _item_text(form: Any, key: str, text: str) -> str:
    return f"{key}: {text}" if getattr(form, "show_keys", False) else text


def form_nodes(config: Any, form: Any, anchor: str = "form") -> list[nodes.Node]:
    """The answer form of an exercise on paper (``cvmlib.forms``): tick boxes, a grid, a blank, ruled lines.

    Parameters
    ----------
    config : sphinx.config.Config or None
        The build's configuration (its language chooses the labels); None for English.
    form : cvmlib.forms.Form or None
        The exercise's form (``cvmlib.forms.form_of``); None gives lines to write on.
    anchor : str
        The exercise's id on the sheet (a grid table is given ``<anchor>-grid``).

    Returns
    -------
    list of docutils.nodes.Node
        Options and items in the language in force, as the answer widgets show them.

    Examples
    --------
    >>> from cvmlib.forms import Choice
    >>> [node.astext() for node in form_nodes(None, Choice({"A": "low", "B": "high"}))[:2]]
    ['Tick one box.', 'A) low\\n\\nB) high']
    >>> form_nodes(None, None)[0].astext()
    'Your answer and your reasons:'
    """
    from cvmlib.feedback import shown_text

    label = nodes.paragraph("", ui(config, "answer_space"), classes=["cvm-write-label"])
    kind = getattr(form, "kind", None)
    if form is None:
        return [label, _lines(WRITE_LINES["free"])]
    if kind in ("choice", "multichoice"):
        hint = ui(config, "tick_one" if kind == "choice" else "tick_all")
        return [nodes.paragraph("", hint, classes=["cvm-tick-hint"]),
                _tick_list([shown for _key, shown in form.choices()]), label, _lines(WRITE_LINES["form"])]
    if kind == "number":
        unit = shown_text(form.unit) if form.unit else ""
        blank = nodes.paragraph(classes=["cvm-write-number"])
        blank += nodes.Text(ui(config, "answer_number"))
        blank += nodes.inline("", "", classes=["cvm-blank"])
        scale = ui(config, "scale").format(low=_number(form.min), high=_number(form.max))
        blank += nodes.Text(f" {unit} {scale}" if unit else f" {scale}")
        return [blank, label, _lines(WRITE_LINES["form"])]
    if kind == "text":
        return [label, _lines(max(int(form.lines), WRITE_LINES["form"]))]
    if kind == "textfields":
        out: list[nodes.Node] = []
        for key in form.fields:
            out.append(nodes.paragraph("", shown_text(form.fields[key]), classes=["cvm-write-label", "cvm-field"]))
            out.append(_lines(max(int(form.lines), 1)))
        return out
    if kind == "mapping":
        if form.item_options:
            out = []
            for key, text, choices in form.rows():
                out.append(nodes.paragraph("", _item_text(form, key, text), classes=["cvm-sheet-item"]))
                out.append(_tick_list([shown for _key, shown in choices]))
            return [*out, label, _lines(WRITE_LINES["grid"])]
        letters = all(len(key) == 1 for key in form.options)
        columns = list(form.options) if letters else [shown for _key, shown in form.choices(next(iter(form.items)))]
        out = [nodes.paragraph("", ui(config, "grid_hint"), classes=["cvm-tick-hint"])]
        if letters:
            out.append(_tick_list([shown for _key, shown in form.choices(next(iter(form.items)))],
                                  classes=["cvm-option-legend"]))
        rows = [_item_text(form, key, text) for key, text, _choices in form.rows()]
        out.append(_tick_grid(config, ui(config, "grid_caption"), rows, columns, f"{anchor}-grid"))
        return [*out, label, _lines(WRITE_LINES["grid"])]
    if kind == "grouping":
        columns = [shown for _key, shown in form.choices()]
        rows = [shown_text(text) for text in form.items.values()]
        return [nodes.paragraph("", ui(config, "grid_hint"), classes=["cvm-tick-hint"]),
                _tick_grid(config, ui(config, "grid_caption"), rows, columns, f"{anchor}-grid"),
                label, _lines(WRITE_LINES["grid"])]
    LOGGER.warning("the exercise sheets cannot lay out a form of kind %r (%s): add it to cvm_print.form_nodes",
                   kind, type(form).__name__, type="cvm", subtype="print")
    return [label, _lines(WRITE_LINES["free"])]


def _number(value: float) -> str:
    return f"{value:g}"


def exercise_sheets(env: BuildEnvironment, builder: Any, config: Any, docname: str) -> list[nodes.Node]:
    """The interpretation, decision and skills exercises of every topic, one sheet per chapter.

    Every exercise of kind ``"interpret"`` of every topic of ``cvmlib.exercises``, in the edition's language:
    its title in the workbook that checks it (linked), its prompt, its form (:func:`form_nodes`). An
    exercise that no page checks is reported (a warning) and listed under its id.
    """
    from cvmlib.exercises import TOPICS, exercise_ids, get_exercise
    from cvmlib.feedback import shown_text
    from cvmlib.forms import form_of
    from cvmlib.i18n import language

    domain = env.get_domain(PrintDomain.name)
    where: dict[str, tuple[str, str, nodes.Element]] = {}
    for source in doc_order(env):
        for exercise_id, anchor, title in domain.data["checks"].get(source, []):
            where.setdefault(exercise_id, (source, anchor, title))
    out: list[nodes.Node] = []
    with language(edition_language(config)):
        for topic in TOPICS:
            exercises = [get_exercise(i) for i in exercise_ids(topic)]
            exercises = [exercise for exercise in exercises if exercise.kind == "interpret"]
            if not exercises:
                continue
            sources = [where[exercise.id][0] for exercise in exercises if exercise.id in where]
            sheet = nodes.section(ids=[f"sheet-{topic}"], classes=["cvm-sheet"])
            sheet += _title_of(env, sources[0]) if sources else nodes.title(topic, topic)
            name = nodes.paragraph(classes=["cvm-sheet-name"])
            name += nodes.Text(ui(config, "sheet_name"))
            name += nodes.inline("", "", classes=["cvm-blank", "cvm-blank-wide"])
            sheet += name
            for exercise in exercises:
                box = nodes.container(classes=["cvm-sheet-exercise"], ids=[f"sheet-{_clean_id(exercise.id)}"])
                prompt = shown_text(exercise.prompt)
                found = where.get(exercise.id)
                if found is None:
                    LOGGER.warning('exercise "%s" (kind "interpret") is checked on no page of the book: the exercise '
                                   "sheet cannot link to it", exercise.id, location=docname, type="cvm", subtype="print")
                    heading = nodes.rubric("", exercise.id, classes=["cvm-sheet-title"])
                else:
                    source, anchor, title = found
                    heading = nodes.rubric(classes=["cvm-sheet-title"])
                    heading.extend(child.deepcopy() for child in title.children)
                box += heading
                box += nodes.paragraph("", prompt, classes=["cvm-sheet-prompt"])
                box.extend(form_nodes(config, form_of(exercise.id), box["ids"][0]))
                if found is not None:
                    box += _backlink(builder, docname, found[0], found[1], ui(config, "from_workbook"),
                                     _title_of(env, found[0]))
                sheet += box
            out.append(sheet)
    return out


class FillPrintPages(SphinxPostTransform):
    """Replace each collector of a print page by its items.

    Early (priority 2): the copies must go through the same write-time transforms as their chapter, MyST-NB's
    choice of output format per builder (priority 4), glue references (5), references (9, 10) and the
    editions (cvm_book, 150).
    """

    default_priority = 2

    def run(self, **kwargs: Any) -> None:
        collectors = list(self.document.findall(print_collector))
        if not collectors:
            return
        docname = self.env.docname
        builder, config = self.app.builder, self.config
        for node in collectors:
            if builder.name == "gettext":
                node.parent.remove(node)
                continue
            kind = node["kind"]
            if kind == "roleplay-cards":
                content = roleplay_cards(self.env, builder, config, docname)
            elif kind == "case-handouts":
                content = case_pages(self.env, builder, config, docname, answers=False)
            elif kind == "model-answers":
                content = model_answers(self.env, builder, config, docname)
            else:
                content = exercise_sheets(self.env, builder, config, docname)
            wrapper = nodes.container(classes=["cvm-print", f"cvm-print-{kind}"])
            wrapper.extend(content)
            node.replace_self(wrapper)


class RenderRoleplays(SphinxPostTransform):
    """A role-play in a chapter: a tip box "Role-play: <title>", who and time, the roles as headed parts."""

    default_priority = 140

    def run(self, **kwargs: Any) -> None:
        if self.app.builder.name == "gettext":
            return
        for play in list(self.document.findall(roleplay)):
            box = nodes.admonition("", classes=["tip", "cvm-roleplay"], ids=list(play["ids"]))
            box.source, box.line = play.source, play.line
            title, who, _shared, _roles = _parts(play)
            heading = nodes.title("", ui(self.config, "roleplay"))
            if title is not None:
                heading.extend(child.deepcopy() for child in title.children)
            box += heading
            box += _meta(self.config, play, who)
            for child in list(play.children):
                if child is title or child is who:
                    continue
                if isinstance(child, roleplay_role):
                    part = nodes.container(classes=["cvm-role"])
                    part.extend(list(child.children))
                    box += part
                elif isinstance(child, roleplay_solo):
                    part = nodes.container(classes=["cvm-roleplay-solo"])
                    part += nodes.rubric("", ui(self.config, "on_your_own"), classes=["cvm-role-title"])
                    part.extend(list(child.children))
                    box += part
                else:
                    box += child
            play.replace_self(box)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("cvm_book")
    for node in (roleplay, roleplay_role, roleplay_solo, print_collector):
        app.add_node(node)
    app.add_directive("roleplay", RoleplayDirective)
    # overrides docutils' reST-only ``.. role::`` directive, unused in this MyST book
    app.add_directive("role", RoleDirective, override=True)
    app.add_directive("on-your-own", OnYourOwnDirective)
    for name in COLLECTORS:
        app.add_directive(name, CollectorDirective)
    app.add_domain(PrintDomain)
    app.add_transform(MarkModelAnswers)
    app.add_post_transform(FillPrintPages)
    app.add_post_transform(RenderRoleplays)
    # after the environment's collectors (images, titles: priority 500)
    app.connect("doctree-read", collect_printable, priority=600)
    app.connect("env-get-outdated", reread_print_pages)
    app.add_css_file("cvm-print.css")
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
