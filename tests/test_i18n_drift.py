"""Both editions stay in step: no English message without its current zh translation.

Two kinds of catalog, both in the standard gettext format:

- the book's (Sphinx gettext, ``locales/zh_CN/LC_MESSAGES/<page>.po``): compared with templates extracted
  from the English sources in this run (``tools/build_book.py --builder gettext``), so a changed English
  sentence shows up as a missing translation (and its old entry as obsolete);
- cvmlib's (Python gettext + babel, ``cvmlib/locale/zh_CN/LC_MESSAGES/<part>.po``): compared with the
  messages extracted from the Python sources (``tools/i18n_py.py check``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import build_book  # noqa: E402
import i18n_py  # noqa: E402

BOOK_CATALOGS = ROOT / "locales" / "zh_CN" / "LC_MESSAGES"


def _read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def _ids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    """Message templates of the English sources, extracted now (no execution: a few seconds)."""
    out = tmp_path_factory.mktemp("gettext") / "gettext"
    assert build_book.build("en", "gettext", out=out, quiet=True) == 0
    return out


def _pages() -> list[str]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc["parts"]:
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


@pytest.mark.parametrize("page", _pages())
def test_every_page_has_a_complete_current_translation(templates: Path, page: str) -> None:
    pot = templates / f"{page}.pot"
    po = BOOK_CATALOGS / f"{page}.po"
    assert pot.exists(), f"no message template for {page}"
    assert po.exists(), f"{page} has no zh catalog: run sphinx-intl update (CONTRIBUTING.md)"
    english, catalog = _ids(_read(pot)), _read(po)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(english - _ids(catalog))
    untranslated = sorted(m.id for m in catalog if m.id and m.id in english and not m.string)
    fuzzy = sorted(m.id for m in catalog if m.id and m.fuzzy)
    obsolete = sorted(_ids(catalog) - english)
    problems = (
        [f"new English, no zh entry: {m!r}" for m in missing]
        + [f"untranslated: {m!r}" for m in untranslated]
        + [f"fuzzy (English changed since it was translated): {m!r}" for m in fuzzy]
        + [f"obsolete (no longer in the English): {m!r}" for m in obsolete]
    )
    assert not problems, f"{po.relative_to(ROOT)}:\n" + "\n".join(problems[:40])
    assert english <= translated


def test_cvmlib_messages_are_all_translated() -> None:
    report, done = i18n_py.check()
    assert not report.problems(), "\n".join(report.lines()[:60])
    assert done > 0


def test_the_python_check_finds_new_changed_and_broken_messages(monkeypatch) -> None:
    """The check can fail: a new message, a message whose English changed, a placeholder lost in translation."""
    real = i18n_py.extract()
    changed = dict(real)
    changed["A sentence added to the sources without its translation."] = ("feedback", None)
    # "Chinese" (cvmlib.i18n.LANGUAGE_NAMES) as if its English had been reworded: its entry is obsolete
    changed.pop("Chinese")
    monkeypatch.setattr(i18n_py, "extract", lambda: changed)
    report, _ = i18n_py.check()
    assert any("A sentence added" in line for line in report.missing)
    assert any("'Chinese'" in line for line in report.obsolete)


def test_placeholders_must_survive_translation() -> None:
    assert i18n_py.PLACEHOLDER.findall("{n:,} customers, {share:.1%}") == ["n", "share"]
    assert i18n_py.PLACEHOLDER.findall("{{literal}} braces") == []
