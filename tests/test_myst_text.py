"""MyST in the generated workbooks: every role and directive the notebooks use is shown as readable text.

The source notebooks stay MyST (the book renders them); JupyterLab would show ``{term}`...``` and
```` ```{note} ```` as raw text, so the participant and instructor workbooks get plain Markdown. The
notebooks are scanned: a role or directive no rendering knows fails here until it gets one.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from pybtex.database import parse_file

from cvmlib.myst_text import (
    DIRECTIVES,
    ROLES,
    BookIndex,
    Reference,
    book_index,
    myst_to_markdown,
    roles_and_directives,
    sources_markdown,
)
from cvmlib.validate import InputError
from cvmlib.workbooks import instructor_version, participant_version
from tests.conftest import NOTEBOOKS, ROOT

ROLE_TEXT = re.compile(r"\{[A-Za-z][\w:+.-]*\}`")
DIRECTIVE_FENCE = re.compile(r"^\s*(`{3,}|:{3,})\s*\{", re.M)

INDEX = BookIndex(
    references={
        "a2001": Reference("a2001", ("Alpha",), "2001", "Alpha, A. (2001). One. *J*."),
        "ab2002": Reference("ab2002", ("Alpha", "Beta"), "2002", "Alpha, A. and Beta, B. (2002). Two. *J*."),
        "abc2003": Reference("abc2003", ("Alpha", "Beta", "Gamma"), "2003", "Alpha, A., Beta, B. and Gamma, G. (2003)."),
    },
    labels={"rfm-scores": "Scoring R, F and M", "eq-clv": "Simple CLV"},
    documents={"book/rfm": "RFM: who are my best customers?"},
)


def _without_code(text: str) -> str:
    """``text`` without fenced code blocks and code spans (where MyST-looking text may stay)."""
    text = re.sub(r"^(\s*)(```|~~~)(?!\s*\{).*?^\1\2\s*$", "", text, flags=re.S | re.M)
    return re.sub(r"(`+)(?!`).+?(?<!`)\1(?!`)", "", text, flags=re.S)


def test_every_role_and_directive_used_in_the_notebooks_has_a_rendering():
    roles, directives = roles_and_directives(sources_markdown(NOTEBOOKS))
    assert roles, "the scan found no MyST role in notebooks/: the scanner is broken"
    assert roles <= ROLES, f"roles without a rendering for JupyterLab: {sorted(roles - ROLES)}"
    assert directives <= DIRECTIVES, f"directives without a rendering for JupyterLab: {sorted(directives - DIRECTIVES)}"


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda p: p.name)
def versions(request):
    source = nbformat.read(request.param, as_version=4)
    return source, {"participant": participant_version(source), "instructor": instructor_version(source)}


def test_generated_workbooks_show_no_myst_markup(versions):
    _, generated = versions
    for name, nb in generated.items():
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            text = _without_code(cell.source)
            assert not ROLE_TEXT.search(text), f"{name}: raw MyST role left: {ROLE_TEXT.search(text).group(0)!r}"
            assert not DIRECTIVE_FENCE.search(text), f"{name}: raw MyST directive left in {cell.source[:80]!r}"
            assert not re.search(r"^\([\w:.-]+\)=\s*$", text, re.M), f"{name}: a MyST label line is shown"


def test_terms_and_citations_read_as_the_book_prints_them(versions):
    """Each {term} becomes its words in bold; each {cite:t} "Surname (Year)", from book/references.bib itself."""
    source, generated = versions
    bib = parse_file(str(ROOT / "book" / "references.bib")).entries
    for cell, rendered in zip([c for c in source.cells if c.cell_type == "markdown" and "instructor" not in
                               c.metadata.get("tags", [])],
                              [c for c in generated["participant"].cells if c.cell_type == "markdown"]):
        for match in re.finditer(r"\{term\}`([^`<]+?)\s*(?:<[^>]+>)?`", cell.source):
            assert f"**{match.group(1).strip()}**" in rendered.source
        for match in re.finditer(r"\{cite:t\}`([^`]+)`", cell.source):
            for key in match.group(1).split(","):
                entry = bib[key.strip()]
                first = entry.persons["author"][0]
                surname = " ".join([*first.prelast_names, *first.last_names])
                assert re.search(rf"{re.escape(surname)}[^()]*\({entry.fields['year']}\)", rendered.source), \
                    f"{key}: not shown as '{surname} ... ({entry.fields['year']})' in {rendered.source[:200]!r}"
                assert entry.fields["title"].split()[-1].strip("{}.") in rendered.source  # the full reference below


def test_citation_forms():
    assert myst_to_markdown("{cite:t}`a2001`", INDEX).startswith("Alpha (2001)")
    assert myst_to_markdown("{cite:t}`ab2002`", INDEX).startswith("Alpha and Beta (2002)")
    assert myst_to_markdown("{cite:t}`abc2003`", INDEX).startswith("Alpha et al. (2003)")
    assert myst_to_markdown("{cite:ts}`abc2003`", INDEX).startswith("Alpha, Beta and Gamma (2003)")
    assert myst_to_markdown("as shown {cite:p}`a2001,ab2002`.", INDEX).startswith(
        "as shown (Alpha 2001; Alpha and Beta 2002).")
    assert myst_to_markdown("{cite}`a2001`", INDEX).startswith("(Alpha 2001)")
    assert myst_to_markdown("{cite:p}`{see}a2001{p. 4}`", INDEX).startswith("(see Alpha 2001, p. 4)")
    assert myst_to_markdown("{cite:year}`ab2002`", INDEX).startswith("2002")


def test_cited_references_are_listed_once_under_the_text():
    text = myst_to_markdown("{cite:t}`a2001` and again {cite:p}`a2001`; then {cite:t}`ab2002`.", INDEX)
    listed = text.rsplit("References:", 1)[1]
    assert listed.count("Alpha, A. (2001)") == 1 and "Beta, B. (2002)" in listed
    assert listed.index("(2001)") < listed.index("(2002)")  # in the order cited


def test_an_unknown_citation_key_is_an_error_naming_it():
    with pytest.raises(InputError, match="nosuch1999"):
        myst_to_markdown("{cite:t}`nosuch1999`", INDEX)


def test_real_bibliography_entries_read_cleanly():
    references = book_index().references
    assert len(references) >= 10
    for key, ref in references.items():
        assert ref.surnames and (ref.year.isdigit() or ref.year == "n.d."), key  # an undated data set: n.d.
        assert not re.search(r"[{}\\]", ref.text), f"{key}: LaTeX left in {ref.text!r}"
    assert references["fader2005counting"].authors() == "Fader et al."
    assert "\u201cCounting Your Customers\u201d" in references["fader2005counting"].text


def test_terms_refs_and_other_roles():
    assert myst_to_markdown("{term}`recency <Recency>` and {term}`RFM`", INDEX) == "**recency** and **RFM**"
    assert myst_to_markdown("see {ref}`rfm-scores`", INDEX) == "see Scoring R, F and M"
    assert myst_to_markdown("see {ref}`the scores <rfm-scores>`", INDEX) == "see the scores"
    assert myst_to_markdown("{doc}`../book/rfm`", INDEX) == "RFM: who are my best customers?"
    assert myst_to_markdown("{numref}`Figure %s <rfm-scores>`", INDEX) == "Figure"
    assert myst_to_markdown("{eq}`eq-clv`", INDEX) == "equation (eq-clv)"
    assert myst_to_markdown("{math}`m r / (1 + d - r)`", INDEX) == "$m r / (1 + d - r)$"
    assert myst_to_markdown("{glue:text}`share:.1%`", INDEX) == "`share` (computed by the code above)"
    assert myst_to_markdown("{kbd}`Shift` and {sub}`2`", INDEX) == "<kbd>Shift</kbd> and <sub>2</sub>"
    assert myst_to_markdown("{py:func}`cvmlib.rfm.rfm_table`", INDEX) == "`cvmlib.rfm.rfm_table`"
    assert myst_to_markdown("{unknownrole}`its words`", INDEX) == "its words"  # markup gone, words kept


def test_admonitions_become_blockquotes_with_a_bold_title():
    assert myst_to_markdown("```{note}\nRead this.\n```", INDEX) == "> **Note**\n>\n> Read this."
    assert myst_to_markdown(":::{tip}\nTry {term}`RFM`.\n:::", INDEX) == "> **Tip**\n>\n> Try **RFM**."
    assert myst_to_markdown("```{admonition} Why snapshot dates\n:class: dropdown\nBecause.\n```", INDEX) == \
        "> **Why snapshot dates**\n>\n> Because."
    nested = myst_to_markdown("::::{important}\nOuter.\n:::{warning}\nInner.\n:::\n::::", INDEX)
    assert nested == "> **Important**\n>\n> Outer.\n> > **Warning**\n> >\n> > Inner."


def test_other_directives():
    assert myst_to_markdown("```{math}\nx^2\n```", INDEX) == "$$\nx^2\n$$"
    assert myst_to_markdown("```{code-block} python\nx = {term}`no`\n```", INDEX) == "```python\nx = {term}`no`\n```"
    assert myst_to_markdown("```{figure} img/a.png\n:alt: a chart\nThe caption.\n```", INDEX) == \
        "![a chart](img/a.png)\n\n*The caption.*"
    table = myst_to_markdown("```{list-table}\n:header-rows: 1\n* - a\n  - b\n* - 1\n  - 2\n```", INDEX)
    assert table == "| a | b |\n|---|---|\n| 1 | 2 |"
    assert myst_to_markdown("```{glossary}\nRFM\n  Recency, frequency, monetary.\n```", INDEX) == \
        "**RFM**: Recency, frequency, monetary."


def test_code_comments_and_labels():
    assert myst_to_markdown("Use `{term}`x`` literally.", INDEX) == "Use `{term}`x`` literally."
    assert myst_to_markdown("```python\nprint('{term}`x`')\n```", INDEX) == "```python\nprint('{term}`x`')\n```"
    assert myst_to_markdown("(rfm-scores)=\n## Scores\n% a note to authors\nText.", INDEX) == "## Scores\nText."
    assert myst_to_markdown("$$\nx\n$$ (eq-clv)", INDEX) == "$$\nx\n$$"
