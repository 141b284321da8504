"""MyST markup (the book's roles and directives) turned into Markdown that JupyterLab shows as text.

The source notebooks are written for the book: ``{term}`Recency```, ``{cite:t}`fader2005rfm```,
``{ref}`rfm-scores```, ```` ```{note} ```` blocks. Sphinx renders those; JupyterLab's Markdown does
not, and a participant would read the raw markup. The generated workbooks therefore get plain
Markdown instead (:func:`myst_to_markdown`, applied by :mod:`cvmlib.workbooks`):

* a glossary term in bold; a citation as "Author (Year)" (``cite:t``) or "(Author Year)"
  (``cite:p``), from the book's BibTeX file, with the full references listed under the cell;
* a cross-reference as the title of its target (a section, a document, an equation label);
* an admonition (``note``, ``tip``, ``warning``, ``admonition``, ``dropdown``...) as a blockquote
  with a bold title; ``figure``, ``math`` and ``code-block`` as their Markdown equivalents;
* MyST comments (``% ...``) and label lines (``(label)=``) dropped, as the book drops them.

Code (inline spans and fenced blocks) is never touched. Every role and directive the notebooks use
must be one of :data:`ROLES` / :data:`DIRECTIVES` (tests scan the notebooks); anything else keeps
its text and loses only the markup.

Translated Markdown
-------------------
The Chinese workbooks come from the same English notebooks, through the book's own Sphinx gettext
catalogs (``locales/zh_CN/LC_MESSAGES/notebooks/<notebook>.po``, filled by the translators): their
message ids are the Markdown blocks of each cell (a paragraph, a heading, a list item's paragraph, a
table cell) as Sphinx extracts them, the block's source with line breaks turned into spaces.
:func:`translate_markdown` parses a cell with markdown-it and MyST's own plugins (the parser of the
book, :func:`markdown_parser`), finds each block's source lines, and puts the translation there when
the catalog has one; the rest (code, math, label lines, the cell's structure) stays as written.
A block left in English is reported (:func:`translate_notebook`), and then rendered like any other
(:func:`myst_to_markdown`).

>>> catalog = Catalog({"Exercise 1: recency": "练习 1：最近一次消费"})
>>> print(translate_markdown("### Exercise 1: recency\\n\\n`code` stays.", catalog)[0])
### 练习 1：最近一次消费
<BLANKLINE>
`code` stays.

Examples
--------
>>> index = BookIndex(references={"fader2005rfm": Reference("fader2005rfm", ("Fader", "Hardie", "Lee"),
...                   "2005", "Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). RFM and CLV.")})
>>> print(myst_to_markdown("The {term}`recency <Recency>` idea, after {cite:t}`fader2005rfm`.", index))
The **recency** idea, after Fader et al. (2005).
<BLANKLINE>
<small>References: Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). RFM and CLV.</small>
"""

from __future__ import annotations

import functools
import re
import unicodedata
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from cvmlib.i18n import N_, _
from cvmlib.validate import require_known, require_not_empty

__all__ = ["ROLES", "DIRECTIVES", "ADMONITIONS", "Reference", "BookIndex", "read_bibliography", "build_index",
           "book_index", "myst_to_markdown", "render_notebook_markdown", "roles_and_directives", "sources_markdown",
           "Catalog", "UntranslatedBlock", "LOCALE_DIR", "MYST_EXTENSIONS", "markdown_parser", "message_id",
           "needs_translation", "notebook_catalog", "read_catalog", "translate_markdown", "translate_notebook"]

ROOT = Path(__file__).resolve().parents[1]
#: The book's Sphinx gettext catalogs (``<locale>/LC_MESSAGES/notebooks/<notebook>.po``): the source
#: checkout's ``locales/``, else a copy inside the installed package (``cvmlib/_locales``) if a wheel has one.
LOCALE_DIR = ROOT / "locales" if (ROOT / "locales").is_dir() else Path(__file__).resolve().parent / "_locales"
#: The MyST extensions the book parses with (Jupyter Book 1's defaults; ``_config.yml`` adds none).
MYST_EXTENSIONS = frozenset({"colon_fence", "dollarmath", "linkify", "substitution", "tasklist"})

#: Admonition-like directives and their default titles (blockquote with this bold title).
ADMONITIONS: dict[str, str] = {
    "note": N_("Note"), "tip": N_("Tip"), "hint": N_("Hint"), "important": N_("Important"),
    "warning": N_("Warning"), "caution": N_("Caution"), "attention": N_("Attention"), "danger": N_("Danger"),
    "error": N_("Error"), "seealso": N_("See also"), "admonition": "", "dropdown": "", "margin": "", "sidebar": "",
    "topic": "", "exercise": N_("Exercise"), "solution": N_("Solution"), "versionadded": N_("New in version"),
    "versionchanged": N_("Changed in version"), "deprecated": N_("Deprecated"),
}

#: Every directive with a rendering of its own.
DIRECTIVES: frozenset[str] = frozenset({*ADMONITIONS, "figure", "image", "math", "code-block", "code",
                                        "sourcecode", "glossary", "list-table", "div", "epigraph",
                                        "rubric", "only", "card", "grid", "grid-item", "grid-item-card",
                                        "tab-set", "tab-item", "bibliography", "tableofcontents", "toctree"})

#: Directives whose content has no place in a workbook (navigation, the book's bibliography).
_DROPPED = {"bibliography", "tableofcontents", "toctree"}

_CITE = {"cite", "cite:p", "cite:ps", "cite:t", "cite:ts", "cite:ct", "cite:cts", "cite:alp", "cite:alps",
         "cite:year", "cite:yearpar", "cite:author", "cite:authors", "cite:authorpar", "cite:authorpars",
         "cite:label", "cite:labelpar", "cite:empty", "footcite", "footcite:p", "footcite:t"}

#: Every role with a rendering of its own.
ROLES: frozenset[str] = frozenset({*_CITE, "term", "ref", "doc", "numref", "eq", "prf:ref", "math",
                                   "glue", "glue:", "glue:text", "glue:md", "abbr", "kbd", "sub",
                                   "sup", "subscript", "superscript", "code", "literal", "samp", "file",
                                   "command", "program", "guilabel", "menuselection", "dfn", "index",
                                   "download", "emphasis", "strong", "raw-html", "func", "class", "meth",
                                   "attr", "mod", "obj", "data", "exc", "py:func", "py:class", "py:meth",
                                   "py:attr", "py:mod", "py:obj", "py:data", "py:exc"})


@dataclass(frozen=True)
class Reference:
    """One bibliography entry: the names a citation shows and the full reference line."""

    key: str
    surnames: tuple[str, ...]
    year: str
    text: str

    def authors(self, full: bool = False) -> str:
        """"Fader", "Fader and Hardie", "Fader et al." (or, with ``full``, every surname)."""
        names = list(self.surnames) or [self.key]
        if len(names) > 2 and not full:
            return f"{names[0]} et al."
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class BookIndex:
    """What the roles point to: bibliography entries, section titles by label, document titles."""

    references: Mapping[str, Reference] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    documents: Mapping[str, str] = field(default_factory=dict)

    def reference(self, key: str) -> Reference:
        """The entry of ``key``; a key the bibliography lacks is an error (the book build fails on it too)."""
        if not self.references:  # no book beside the package (a wheel install): show the key itself
            return Reference(key, (), "", f"[{key}]")
        require_known([key], self.references, "the citation key", known_name="the book's bibliography",
                      fix="Add the entry to book/references.bib or correct the key.")
        return self.references[key]

    def document_title(self, target: str) -> str | None:
        name = re.sub(r"^(\.\./|\./|/)+", "", target).removesuffix(".md").removesuffix(".ipynb")
        if name in self.documents:
            return self.documents[name]
        stem = name.rsplit("/", 1)[-1]
        matches = [title for doc, title in self.documents.items() if doc.rsplit("/", 1)[-1] == stem]
        return matches[0] if len(matches) == 1 else None


# ---------------------------------------------------------------------------------------------
# Reading the book: the BibTeX file, labels and titles
# ---------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _latex_text(value: str) -> str:
    from pybtex.backends.plaintext import Backend
    from pybtex.richtext import Text

    # the backend itself: render_as("text") looks it up among every installed entry point, per call
    text = Text.from_latex(value).render(Backend())
    return text.replace("---", "\u2014").replace("--", "\u2013").replace("~", "\u00a0").strip()


def read_bibliography(path: Path) -> dict[str, Reference]:
    """Every entry of the BibTeX file at ``path`` (parsed by pybtex, LaTeX turned into text)."""
    from pybtex.database import parse_file

    references = {}
    for key, entry in parse_file(str(path), bib_format="bibtex").entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        surnames = tuple(_latex_text(" ".join([*person.prelast_names, *person.last_names])) for person in people)
        listed = [", ".join(filter(None, [_latex_text(" ".join([*p.prelast_names, *p.last_names])),
                                          " ".join(_latex_text(n)[0] + "." for n in [*p.first_names, *p.middle_names]
                                                   if _latex_text(n))]))
                  for p in people]
        fields = {name.lower(): _latex_text(value) for name, value in entry.fields.items()}
        year = fields.get("year", "n.d.")
        title = fields.get("title", "").rstrip(".")
        parts = [f"{', '.join(listed[:-1])} and {listed[-1]}" if len(listed) > 1 else "".join(listed),
                 f"({year}).", f"*{title}*." if entry.type.lower() == "book" else f"{title}."]
        container = fields.get("journal") or fields.get("booktitle") or fields.get("howpublished") \
            or fields.get("institution") or fields.get("school")
        if entry.type.lower() == "book" or not container:
            publisher = fields.get("publisher")
            if publisher or fields.get("edition"):
                parts.append(", ".join(filter(None, [f"{fields['edition']} ed." if "edition" in fields else "",
                                                     publisher])) + ".")
        else:
            volume = fields.get("volume", "") + (f"({fields['number']})" if "number" in fields else "")
            parts.append(", ".join(filter(None, [f"*{container}*", volume, fields.get("pages", "")])) + ".")
        if "doi" in fields:
            parts.append(f"https://doi.org/{fields['doi']}")
        elif "url" in fields:
            parts.append(fields["url"])
        references[key] = Reference(key, surnames, year, " ".join(part for part in parts if part.strip(". ")))
    return references


_LABEL_LINE = re.compile(r"^\((?P<label>[^()\s]+)\)=\s*$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")


def _titles(text: str) -> tuple[str | None, dict[str, str]]:
    """The first heading of a document and the title of every ``(label)=`` heading in it."""
    first, labels, pending = None, {}, None
    for line in text.splitlines():
        label, heading = _LABEL_LINE.match(line), _HEADING.match(line)
        if label:
            pending = label.group("label")
        elif heading:
            title = _plain(heading.group("title"))
            first = first or title
            if pending:
                labels[pending] = title
                pending = None
        elif line.strip():
            pending = None
    return first, labels


def _plain(text: str) -> str:
    """Text of a heading with its roles reduced to their words (no bold, no links)."""
    return _ROLE_OR_CODE.sub(lambda m: _role_words(m.group("content")) if m.group("role") else m.group(0),
                             text).strip()


def _bib_files(config: str) -> list[str]:
    """The ``bibtex_bibfiles`` list of a ``_config.yml`` text (a YAML block list of paths)."""
    match = re.search(r"^bibtex_bibfiles:\s*\n((?:[ \t]+-[ \t]*\S.*\n?)+)", config, re.M)
    if not match:
        return []
    return [line.strip()[1:].strip().strip("'\"") for line in match.group(1).splitlines() if line.strip()]


def build_index(root: Path = ROOT) -> BookIndex:
    """The bibliography of ``_config.yml`` and the labels and titles of ``book/`` and ``notebooks/``.

    Examples
    --------
    >>> index = build_index()
    >>> index.references["fader2005rfm"].authors(), index.references["fader2005rfm"].year
    ('Fader et al.', '2005')
    """
    config = root / "_config.yml"
    references: dict[str, Reference] = {}
    for bib in _bib_files(config.read_text(encoding="utf-8")) if config.exists() else []:
        references.update(read_bibliography(root / bib))
    labels: dict[str, str] = {}
    documents: dict[str, str] = {}
    for path in sorted([*root.glob("book/*.md"), *root.glob("notebooks/*.ipynb")]):
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            text = "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
        else:
            text = path.read_text(encoding="utf-8")
        first, found = _titles(text)
        labels.update(found)
        if first:
            documents[path.relative_to(root).with_suffix("").as_posix()] = first
    return BookIndex(references, labels, documents)


@functools.lru_cache(maxsize=1)
def book_index() -> BookIndex:
    """:func:`build_index` of this repository, read once per process."""
    return build_index(ROOT)


# ---------------------------------------------------------------------------------------------
# Inline roles
# ---------------------------------------------------------------------------------------------

_ROLE_OR_CODE = re.compile(
    r"\{(?P<role>[A-Za-z][\w+.-]*(?::[\w+.-]*)?)\}(?P<ticks>`+)(?P<content>.+?)(?<!`)(?P=ticks)(?!`)"
    r"|(?P<code>(?P<cticks>`+)(?!`).+?(?<!`)(?P=cticks)(?!`))", re.S)
_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


def _split_target(content: str) -> tuple[str | None, str]:
    """``Text <target>`` -> (Text, target); ``target`` -> (None, target)."""
    match = _TARGET.match(content.strip())
    if match and match.group("text"):
        return match.group("text").strip(), match.group("target").strip()
    return None, content.strip()


def _role_words(content: str) -> str:
    text, target = _split_target(content)
    return text if text is not None else target


def _citation(role: str, content: str, index: BookIndex, cited: list[Reference]) -> str:
    pre, post = "", ""
    body = content.strip()
    match = re.match(r"^\{(?P<pre>[^{}]*)\}", body)
    if match:
        pre, body = match.group("pre").strip(), body[match.end():]
    match = re.search(r"\{(?P<post>[^{}]*)\}$", body)
    if match:
        post, body = match.group("post").strip(), body[:match.start()]
    keys = require_not_empty([key.strip() for key in body.split(",") if key.strip()], f"{{{role}}}`{content}`",
                             what="citation keys")
    refs = [index.reference(key) for key in keys]
    for ref in refs:
        if ref not in cited:
            cited.append(ref)
    kind = role.split(":", 1)[1] if ":" in role else "p"
    full = kind.endswith("s") and kind not in {"authors"}  # ps, ts, cts, alps: every author
    if kind in {"authors", "authorpars"}:
        full = True
    if kind in {"t", "ts", "ct", "cts"}:
        items = [f"{ref.authors(full)} ({ref.year})" for ref in refs]
        text = "; ".join(items)
        if pre or post:
            text = " ".join(filter(None, [pre, text])) + (f", {post}" if post else "")
        return text
    if kind in {"year"}:
        return ", ".join(ref.year for ref in refs)
    if kind in {"yearpar"}:
        return f"({', '.join(ref.year for ref in refs)})"
    if kind in {"author", "authors"}:
        return "; ".join(ref.authors(full) for ref in refs)
    if kind in {"authorpar", "authorpars"}:
        return f"({'; '.join(ref.authors(full) for ref in refs)})"
    if kind in {"label"}:
        return "; ".join(f"{ref.authors()} {ref.year}" for ref in refs)
    if kind in {"labelpar"}:
        return f"({'; '.join(f'{ref.authors()} {ref.year}' for ref in refs)})"
    if kind == "empty":
        return ""
    listed = "; ".join(f"{ref.authors(full)} {ref.year}" for ref in refs)  # p, ps, alp, alps, footcite
    inner = " ".join(filter(None, [pre, listed])) + (f", {post}" if post else "")
    return inner if kind.startswith("alp") else f"({inner})"


def _inline_role(role: str, content: str, index: BookIndex, cited: list[Reference]) -> str:
    text, target = _split_target(content)
    if role in _CITE:
        return _citation(role, content, index, cited)
    if role == "term":
        return f"**{text or target}**"
    if role in {"ref", "numref", "prf:ref"}:
        if text is not None:
            return text.replace("%s", "").replace("{number}", "").replace("{name}", index.labels.get(target, ""))\
                .strip()
        return index.labels.get(target) or target.replace("-", " ")
    if role == "doc":
        return text if text is not None else (index.document_title(target) or target.rsplit("/", 1)[-1])
    if role == "eq":
        return _("equation ({label})").format(label=text or target)
    if role == "math":
        return f"${content}$"
    if role.startswith("glue"):
        name = target.split(":", 1)[0]  # {glue:text}`name:.2f`: the value is computed by the notebook
        return _("`{name}` (computed by the code above)").format(name=name)
    if role in {"kbd"}:
        return f"<kbd>{content}</kbd>"
    if role in {"sub", "subscript"}:
        return f"<sub>{content}</sub>"
    if role in {"sup", "superscript"}:
        return f"<sup>{content}</sup>"
    if role in {"strong", "guilabel"}:
        return f"**{content}**"
    if role in {"emphasis", "dfn"}:
        return f"*{content}*"
    if role == "menuselection":
        return f"**{content.replace('-->', '→')}**"
    if role in {"abbr"}:
        return content
    if role in {"download", "index"}:
        return text or target
    if role == "raw-html":
        return content
    if role in ROLES:  # code-like roles: code, literal, samp, file, command, program, func, class, ...
        shown = (text or target).lstrip("~!.")
        return f"`{shown}`"
    return text or target  # a role we do not know: keep its words, drop the markup


def _inline(text: str, index: BookIndex, cited: list[Reference]) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group("code"):
            return match.group("code")  # code spans stay exactly as written
        return _inline_role(match.group("role"), match.group("content"), index, cited)

    return _ROLE_OR_CODE.sub(replace, text)


# ---------------------------------------------------------------------------------------------
# Blocks: fences, directives, comments, labels
# ---------------------------------------------------------------------------------------------

_FENCE = re.compile(r"^(?P<indent>\s{0,3})(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
_DIRECTIVE_INFO = re.compile(r"^\{(?P<name>[\w:.+-]+)\}\s*(?P<args>.*)$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def _directive_parts(body: list[str]) -> tuple[dict[str, str], list[str]]:
    """Options (``:key: value`` lines or a ``---`` YAML block at the top) and the content lines."""
    options: dict[str, str] = {}
    lines = list(body)
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            for line in lines[1:end]:
                key, _, value = line.partition(":")
                options[key.strip()] = value.strip()
            lines = lines[end + 1:]
    else:
        while lines and _OPTION.match(lines[0].strip()):
            match = _OPTION.match(lines[0].strip())
            assert match is not None
            options[match.group("key")] = match.group("value")
            lines = lines[1:]
    while lines and not lines[0].strip():
        lines = lines[1:]
    return options, lines


def _quote(title: str, content: str) -> str:
    lines = [f"> **{title}**" if title else None, ">" if title and content.strip() else None]
    lines += [f"> {line}".rstrip() for line in content.strip("\n").splitlines()]
    return "\n".join(line for line in lines if line is not None)


def _glossary(content: str) -> str:
    entries, current = [], None
    for line in content.splitlines():
        if line.strip() and not line.startswith((" ", "\t")):
            if current is None or current[1]:
                current = [[line.strip()], []]
                entries.append(current)
            else:
                current[0].append(line.strip())  # several terms for one definition
        elif line.strip() and current is not None:
            current[1].append(line.strip())
    return "\n\n".join(f"**{' / '.join(terms)}**: {' '.join(definition)}" for terms, definition in entries)


def _list_table(content: str, options: Mapping[str, str]) -> str:
    rows: list[list[str]] = []
    for line in content.splitlines():
        match = re.match(r"^(\s*)\*\s+-\s+(.*)$", line)
        cell = re.match(r"^\s+-\s+(.*)$", line)
        if match:
            rows.append([match.group(2).strip()])
        elif cell and rows:
            rows[-1].append(cell.group(1).strip())
        elif line.strip() and rows:
            rows[-1][-1] += " " + line.strip()
    if not rows:
        return content
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    head = int(options.get("header-rows", "0") or 0)
    header = rows[0] if head else [""] * width
    body = rows[1:] if head else rows
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def _directive(name: str, args: str, body: list[str], index: BookIndex, cited: list[Reference]) -> str:
    options, lines = _directive_parts(body)
    raw = "\n".join(lines)
    if name in {"code-block", "code", "sourcecode"}:
        return f"```{args.strip()}\n{raw}\n```"
    if name == "math":
        return f"$$\n{raw.strip()}\n$$"
    if name in _DROPPED:
        return ""
    content = _blocks(raw, index, cited)
    if name in {"figure", "image"}:
        alt = options.get("alt") or (content.strip().splitlines()[0] if content.strip() else "")
        picture = f"![{alt}]({args.strip()})"
        return picture + (f"\n\n*{content.strip()}*" if name == "figure" and content.strip() else "")
    if name == "glossary":
        return _glossary(raw)
    if name == "list-table":
        table = _list_table(raw, options)
        return (f"**{_inline(args, index, cited)}**\n\n" if args.strip() else "") + table
    if name == "rubric":
        return f"**{_inline(args, index, cited)}**"
    if name in ADMONITIONS:
        default = _(ADMONITIONS[name]) if ADMONITIONS[name] else ""
        heading = _inline(args.strip(), index, cited)
        if name in {"exercise", "solution"}:
            heading = _titled(default, heading) if heading and name == "exercise" else default
        title = heading if heading and not default else (_titled(default, heading) if heading else default)
        return _quote(title, content)
    if name == "epigraph":
        return _quote("", content)
    return content  # div, card, grid, tab-set, only, ...: the content, without the box


def _titled(kind: str, title: str) -> str:
    """"Tip: Before you start": an admonition's kind and its own title."""
    return _("{kind}: {title}").format(kind=kind, title=title)


def _blocks(text: str, index: BookIndex, cited: list[Reference]) -> str:
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            marker, info = fence.group("fence"), fence.group("info").strip()
            end = next((j for j in range(i + 1, len(lines)) if _closes(lines[j], marker)), len(lines))
            body = lines[i + 1:end]
            directive = _DIRECTIVE_INFO.match(info)
            if directive:
                rendered = _directive(directive.group("name"), directive.group("args"), body, index, cited)
                if rendered:
                    out.extend(rendered.splitlines())
            elif marker[0] == ":":
                out.extend(_blocks("\n".join(body), index, cited).splitlines())  # a bare ::: block
            else:
                out.extend(lines[i:end + 1])  # a code block, exactly as written
            i = end + 1
            continue
        if _LABEL_LINE.match(line.strip()) or re.match(r"^\s*%", line) or line.strip() == "+++":
            i += 1  # label lines, MyST comments and block breaks: not shown by the book either
            continue
        line = re.sub(r"^(\s*\$\$)\s*\([\w:.-]+\)\s*$", r"\1", line)  # $$ (eq-label): the label goes
        out.append(_inline(line, index, cited))
        i += 1
    return "\n".join(out)


def myst_to_markdown(text: str, index: BookIndex | None = None) -> str:
    """``text`` (one Markdown cell of a source notebook) with its MyST roles and directives rendered.

    Citations are listed in full under the text, once each, in the order cited.

    Examples
    --------
    >>> index = BookIndex(labels={"rfm-scores": "Scoring R, F and M"})
    >>> print(myst_to_markdown(":::{tip} Before you start\\nSee {ref}`rfm-scores`.\\n:::\\n% a comment", index))
    > **Tip: Before you start**
    >
    > See Scoring R, F and M.
    >>> myst_to_markdown("Code stays: `{term}`x``", index)
    'Code stays: `{term}`x``'
    """
    index = book_index() if index is None else index
    cited: list[Reference] = []
    rendered = _blocks(text, index, cited)
    if cited:
        listed = "; ".join(ref.text for ref in cited)
        references = _("References: {listed}").format(listed=listed)
        rendered = f"{rendered.rstrip()}\n\n<small>{references}</small>"
    return rendered


def roles_and_directives(text: str) -> tuple[set[str], set[str]]:
    """The role names and directive names used in a Markdown text (outside code)."""
    roles, directives = set(), set()
    for line in text.splitlines():
        fence = _FENCE.match(line)
        if fence:
            directive = _DIRECTIVE_INFO.match(fence.group("info").strip())
            if directive:
                directives.add(directive.group("name"))
    for match in _ROLE_OR_CODE.finditer(text):
        if match.group("role"):
            roles.add(match.group("role"))
    return roles, directives


def render_notebook_markdown(nb: NotebookNode, index: BookIndex | None = None,
                             keep: Callable[[NotebookNode], bool] | None = None) -> NotebookNode:
    """``nb`` with the MyST of every Markdown cell rendered in place (cells ``keep`` selects are left)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not (keep and keep(cell)):
            cell.source = myst_to_markdown(cell.source, index)
    return nb


def sources_markdown(paths: Sequence[Path]) -> str:
    """All Markdown cells of the notebooks at ``paths``, joined (for scanning what they use)."""
    parts = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        parts += [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    return "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Translated Markdown: the book's gettext catalogs applied to the notebooks' Markdown cells
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Catalog:
    """The translations of one notebook: message id -> translation (only translated, non-fuzzy entries).

    ``known`` holds every message id of the catalog, translated or not; ``path`` the file read.
    """

    translations: Mapping[str, str] = field(default_factory=dict)
    known: frozenset[str] = frozenset()
    path: Path | None = None

    def get(self, message: str) -> str | None:
        """The translation of ``message``, or None."""
        return self.translations.get(message) or None


@dataclass(frozen=True)
class UntranslatedBlock:
    """A Markdown block of a notebook with no translation: where it is and its text (the message id).

    ``instructor`` is True for a block of an instructor note (only in the instructor workbook);
    ``in_catalog`` says whether the catalog has the message (waiting for its translation) or not at
    all (the templates are older than the notebook, or the block is not extracted by the book).
    """

    notebook: str
    cell: str | None
    line: int
    text: str
    instructor: bool = False
    in_catalog: bool = False

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 90 else self.text[:90] + "..."
        return _("{notebook} cell {cell} line {line}: {text}").format(notebook=self.notebook, cell=self.cell,
                                                                     line=self.line, text=text)


def read_catalog(path: Path) -> Catalog:
    """Read a Sphinx gettext catalog (``.po``) with babel; fuzzy and empty translations do not count.

    A file that cannot be read (being saved right now, a syntax error) gives a warning and an empty
    catalog: every block then stays English and is reported.
    """
    from babel.messages.pofile import read_po

    try:
        with Path(path).open("rb") as handle:
            catalog = read_po(handle)
    except FileNotFoundError:
        return Catalog(path=Path(path))
    except Exception as error:  # a broken file must not stop the workbooks: they stay English, reported
        warnings.warn(f"could not read the catalog {path} ({error}); its notebook stays in English",
                      stacklevel=2)
        return Catalog(path=Path(path))
    translations: dict[str, str] = {}
    known: set[str] = set()
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        known.add(message.id)
        if message.string and not message.fuzzy and isinstance(message.string, str):
            translations[message.id] = message.string
    return Catalog(translations, frozenset(known), Path(path))


_catalog_cache: dict[Path, tuple[float, Catalog]] = {}


def notebook_catalog(notebook: str, lang: str, locale_dir: Path | None = None) -> Catalog:
    """The catalog of the notebook named ``notebook`` (``rfm.ipynb`` or ``rfm``) for ``lang`` (``"zh"``).

    Read again when the file changes (translators may be saving it); empty when there is none
    (English, or a wheel installed without the book).
    """
    from cvmlib.i18n import LANGUAGES

    code = lang if lang in LANGUAGES else lang.split("_")[0]
    if LANGUAGES.get(code, "en") == "en":
        return Catalog()
    folder = LOCALE_DIR if locale_dir is None else Path(locale_dir)
    path = folder / LANGUAGES[code] / "LC_MESSAGES" / "notebooks" / f"{Path(notebook).stem}.po"
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return Catalog(path=path)
    cached = _catalog_cache.get(path)
    if cached is None or cached[0] != stamp:
        cached = (stamp, read_catalog(path))
        _catalog_cache[path] = cached
    return cached[1]


@functools.lru_cache(maxsize=1)
def markdown_parser() -> Any:
    """The markdown-it parser of the book: MyST's syntax with :data:`MYST_EXTENSIONS` (as myst-parser builds it)."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(enable_extensions=set(MYST_EXTENSIONS), dmath_double_inline=True)
    return create_md_parser(config, RendererHTML)


def message_id(text: str) -> str:
    """A block's text as Sphinx makes it a message id: line breaks become spaces, the ends are stripped.

    >>> message_id("  Two\\nlines ")
    'Two lines'
    """
    return text.replace("\n", " ").strip()


_NOT_WORDS = re.compile(
    r"`+[^`]*`+"  # code spans (and the content of roles: citation keys, term targets are read below)
    r"|\$\$?[^$]*\$\$?"  # math
    r"|<[^<>]*>"  # HTML tags, URLs in angle brackets
    r"|\]\([^)]*\)"  # link targets
    r"|https?://\S+")


def needs_translation(text: str) -> bool:
    """Whether a block has words to translate (outside code, math, citation keys and link targets).

    >>> needs_translation("`load_orders()`"), needs_translation("$x^2$, 0.25"), needs_translation("Recency")
    (False, False, True)
    >>> needs_translation("{cite:t}`fader2005rfm`"), needs_translation("{term}`Recency`")
    (False, True)
    """
    # a role's visible words are its content (a term, a reference title), except citations: keys only
    shown = re.sub(r"\{cite[^}]*\}`[^`]*`", "", text)
    shown = re.sub(r"\{[\w:.+-]+\}`([^`]*)`", lambda m: f" {_split_target(m.group(1))[0] or m.group(1)} ", shown)
    shown = _NOT_WORDS.sub(" ", shown)
    return re.search(r"[A-Za-z]{2,}", shown) is not None


def _one_line(text: str) -> str:
    """A translation on one line: a line break between two Chinese characters is dropped, else a space."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    joined = lines[0]
    for line in lines[1:]:
        wide = _wide(joined[-1]) and _wide(line[0])
        joined += ("" if wide else " ") + line
    return joined


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


@dataclass
class _Edit:
    first: int  # first source line (0-based)
    last: int  # last source line
    start: int  # column of the block's text on the first line
    end: int  # column after the block's text on the last line
    text: str


def _locate(lines: list[str], start: int, content: str, cursor: dict[int, int]) -> tuple[int, int, int, int] | None:
    """Where the text of a block (``content``, from line ``start``) sits in ``lines``: lines and columns."""
    parts = content.split("\n")
    first, last = start, start + len(parts) - 1
    if last >= len(lines):
        return None
    column = lines[first].find(parts[0], cursor.get(first, 0))
    if column < 0:
        return None
    if first == last:
        end = column + len(parts[0])
    else:
        found = lines[last].find(parts[-1])
        if found < 0:
            return None
        end = found + len(parts[-1])
    cursor[last] = end
    return first, last, column, end


_CODE_DIRECTIVES = {"code-block", "code", "sourcecode", "math", "eval-rst", "raw", "glossary", "list-table"}


def _directive_body(lines: list[str]) -> int:
    """How many lines at the top of a directive's body are its options (``:key: value`` or a ``---`` block)."""
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        return 0 if end is None else end + 1
    count = 0
    while count < len(lines) and _OPTION.match(lines[count].strip()):
        count += 1
    return count


def translate_markdown(source: str, catalog: Catalog | Mapping[str, str]) -> tuple[str, list[tuple[int, str, bool]]]:
    """``source`` (one Markdown cell) with each block whose message id has a translation replaced by it.

    Returns the new source and the blocks that have words but no translation, as
    ``(line number in the cell, message id, whether the catalog knows the message)``. A translation
    spanning several lines is put on one line (a line break inside a paragraph is only a space).
    Blocks inside directives (``:::{note}``) are translated too; code and math blocks never.

    >>> catalog = Catalog({"Two lines here.": "两行。", "a": "甲"})
    >>> text, missing = translate_markdown("- Two lines\\n  here.\\n- Not known\\n\\n| a | b |\\n|---|---|\\n", catalog)
    >>> print(text)
    - 两行。
    - Not known
    <BLANKLINE>
    | 甲 | b |
    |---|---|
    >>> missing
    [(3, 'Not known', False)]
    """
    if not isinstance(catalog, Catalog):
        catalog = Catalog(dict(catalog), frozenset(catalog))
    lines = source.split("\n")
    edits: list[_Edit] = []
    missing: list[tuple[int, str, bool]] = []
    _collect(lines, 0, len(lines), catalog, edits, missing)
    for edit in sorted(edits, key=lambda e: (e.first, e.start), reverse=True):
        head, tail = lines[edit.first][:edit.start], lines[edit.last][edit.end:]
        lines[edit.first:edit.last + 1] = [head + edit.text + tail]
    return "\n".join(lines), sorted(missing)


def _collect(lines: list[str], begin: int, end: int, catalog: Catalog, edits: list[_Edit],
             missing: list[tuple[int, str, bool]]) -> None:
    """The edits (and the untranslated blocks) of ``lines[begin:end]``, parsed as one Markdown text."""
    text = "\n".join(lines[begin:end])
    cursor: dict[int, int] = {}
    in_cell = False
    for token in markdown_parser().parse(text):
        if token.type in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = token.type.endswith("_open")
        if token.map is None:
            continue
        if token.type in ("fence", "colon_fence"):
            directive = _DIRECTIVE_INFO.match(token.info.strip())
            if directive is None or directive.group("name") in _CODE_DIRECTIVES:
                continue
            inner_start = begin + token.map[0] + 1
            inner_end = begin + token.map[1] - 1
            if inner_end >= inner_start and inner_end < len(lines) and not _closes(lines[inner_end], token.markup):
                inner_end += 1  # a directive left open at the end of the cell
            body = lines[inner_start:inner_end]
            _title(lines, begin + token.map[0], directive.group("args"), catalog, edits, missing)
            _collect(lines, inner_start + _directive_body(body), inner_end, catalog, edits, missing)
            continue
        if token.type != "inline":
            continue
        key = message_id(token.content)
        if not key:
            continue
        place = _locate(lines, begin + token.map[0], token.content, cursor)
        translation = catalog.get(key)
        if translation is not None and place is not None:
            shown = _one_line(translation)
            if in_cell:  # a | in a table cell would end the cell
                shown = re.sub(r"(?<!\\)\|", r"\\|", shown)
            edits.append(_Edit(*place, shown))
        elif needs_translation(key):
            missing.append((begin + token.map[0] + 1, key, key in catalog.known))


def _title(lines: list[str], row: int, args: str, catalog: Catalog, edits: list[_Edit],
           missing: list[tuple[int, str, bool]]) -> None:
    """A directive's argument (an admonition's title) is a message too."""
    key = message_id(args)
    if not key:
        return
    translation = catalog.get(key)
    column = lines[row].rfind(args.strip())
    if translation is not None and column >= 0:
        edits.append(_Edit(row, row, column, column + len(args.strip()), _one_line(translation)))
    elif needs_translation(key) and not re.match(r"^[\w./-]+\.(png|jpe?g|svg|gif)$", key):
        missing.append((row + 1, key, key in catalog.known))


def translate_notebook(nb: NotebookNode, catalog: Catalog, name: str = "",
                       instructor: Callable[[NotebookNode], bool] | None = None,
                       ) -> tuple[NotebookNode, list[UntranslatedBlock]]:
    """``nb`` with every Markdown cell translated by ``catalog`` (in place), and the blocks left untranslated.

    Only the Markdown text changes: code cells, cell ids, tags and metadata stay exactly as they are.
    ``instructor`` tells which cells are instructor notes (default: tagged ``instructor``).
    """
    def is_instructor(cell: NotebookNode) -> bool:
        return "instructor" in cell.get("metadata", {}).get("tags", [])

    instructor = is_instructor if instructor is None else instructor
    untranslated = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        cell.source, missing = translate_markdown(cell.source, catalog)
        untranslated += [UntranslatedBlock(name, cell.get("id"), line, text, instructor(cell), known)
                         for line, text, known in missing]
    return nb, untranslated
