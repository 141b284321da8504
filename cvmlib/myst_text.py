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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from cvmlib.validate import require_known, require_not_empty

__all__ = ["ROLES", "DIRECTIVES", "ADMONITIONS", "Reference", "BookIndex", "read_bibliography", "build_index",
           "book_index", "myst_to_markdown", "render_notebook_markdown", "roles_and_directives", "sources_markdown"]

ROOT = Path(__file__).resolve().parents[1]

#: Admonition-like directives and their default titles (blockquote with this bold title).
ADMONITIONS: dict[str, str] = {
    "note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important", "warning": "Warning",
    "caution": "Caution", "attention": "Attention", "danger": "Danger", "error": "Error",
    "seealso": "See also", "admonition": "", "dropdown": "", "margin": "", "sidebar": "", "topic": "",
    "exercise": "Exercise", "solution": "Solution", "versionadded": "New in version",
    "versionchanged": "Changed in version", "deprecated": "Deprecated",
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
        return f"equation ({text or target})"
    if role == "math":
        return f"${content}$"
    if role.startswith("glue"):
        name = target.split(":", 1)[0]  # {glue:text}`name:.2f`: the value is computed by the notebook
        return f"`{name}` (computed by the code above)"
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
        default = ADMONITIONS[name]
        heading = _inline(args.strip(), index, cited)
        if name in {"exercise", "solution"}:
            heading = f"{default}: {heading}" if heading and name == "exercise" else default
        title = heading if heading and not default else (f"{default}: {heading}" if heading else default)
        return _quote(title, content)
    if name == "epigraph":
        return _quote("", content)
    return content  # div, card, grid, tab-set, only, ...: the content, without the box


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
        rendered = f"{rendered.rstrip()}\n\n<small>References: {listed}</small>"
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
