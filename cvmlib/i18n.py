"""The course's language: one setting read by messages, plots, widgets and display helpers.

The course has two editions, English (``"en"``) and Simplified Chinese (``"zh"``). Every text that
``cvmlib`` shows to a person (a check's hint, an input error, a figure title, a table header, a segment
name) is written once in English in the source, marked for translation, and translated at the moment it
is shown, through standard Python :mod:`gettext` catalogs kept with ``babel``
(``cvmlib/locale/zh_CN/LC_MESSAGES/*.po``; see CONTRIBUTING.md). The numbers never depend on the
language: only the words do.

The language comes from, in order: :func:`set_language`, the ``CVM_LANG`` environment variable (the zh
book build and ``make lab-zh`` set it), and English.

>>> with language("zh"):
...     _(LANGUAGE_NAMES["zh"])
'中文'
>>> _(LANGUAGE_NAMES["zh"])
'Chinese'
>>> with language("zh"):
...     format_money(1234.5)
'1,234.50 元'
>>> format_money(1234.5)
'CNY 1,234.50'

Marking texts
-------------
- ``_("text")`` translates now; use it where the text is shown.
- ``N_("text")`` only marks a text defined at import time (a hint in an exercise definition, a label
  in a module constant); the code that shows it calls ``_(text)``.
- Texts with values use named placeholders, ``_("{n} customers").format(n=n)``, never f-strings
  (an f-string is already formatted when the catalog is asked, so it can never be found there).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gettext as _gettext
import io
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "N_",
    "_",
    "format_date",
    "format_list",
    "format_money",
    "format_number",
    "get_language",
    "language",
    "ngettext",
    "set_language",
]

#: The editions: code -> gettext locale folder.
LANGUAGES: dict[str, str] = {"en": "en", "zh": "zh_CN"}

#: Where the catalogs live: ``locale/<locale>/LC_MESSAGES/*.po`` (one file per part of the library).
LOCALE_DIR = Path(__file__).with_name("locale")

def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it (translate with ``_`` where it is shown)."""
    return message


#: The name of each edition, as shown to readers (the language switch).
LANGUAGE_NAMES: dict[str, str] = {"en": N_("English"), "zh": N_("Chinese")}

_chosen: str | None = None
_catalogs: dict[str, tuple[tuple[tuple[str, float], ...], _gettext.NullTranslations]] = {}
_checked: dict[str, float] = {}
#: Seconds between two looks at the catalog files (a widget calls ``_()`` hundreds of times per update).
RECHECK_SECONDS = 2.0


def _normalise(lang: str) -> str:
    code = str(lang).strip().replace("-", "_").lower()
    if code in ("zh", "zh_cn", "zh_hans", "cn"):
        return "zh"
    if code in ("en", "en_us", "en_gb", ""):
        return "en"
    raise ValueError(f"language must be one of {sorted(LANGUAGES)}, got {lang!r}")


def set_language(lang: str | None) -> None:
    """Choose the language of everything ``cvmlib`` shows: ``"en"``, ``"zh"``, or None for ``CVM_LANG``.

    >>> set_language("zh"); get_language()
    'zh'
    >>> set_language(None); get_language()
    'en'
    """
    global _chosen
    _chosen = None if lang is None else _normalise(lang)


def get_language() -> str:
    """The language in force: :func:`set_language`, else ``CVM_LANG``, else ``"en"``."""
    if _chosen is not None:
        return _chosen
    try:
        return _normalise(os.environ.get("CVM_LANG", "en"))
    except ValueError:
        return "en"


@contextlib.contextmanager
def language(lang: str) -> Iterator[None]:
    """Use ``lang`` inside a ``with`` block, then restore the previous choice."""
    global _chosen
    before = _chosen
    _chosen = _normalise(lang)
    try:
        yield
    finally:
        _chosen = before


def _catalog_files(lang: str) -> list[Path]:
    folder = LOCALE_DIR / LANGUAGES[lang] / "LC_MESSAGES"
    return sorted(folder.glob("*.po")) if folder.is_dir() else []


def _compile(po_files: list[Path]) -> _gettext.GNUTranslations:
    """Read the ``.po`` files with babel and load them as one standard gettext catalog (fuzzy entries skipped).

    One catalog, not a chain of fallbacks: a lookup is one dict access whichever part a message is in.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    merged: Catalog | None = None
    for po_file in po_files:
        with po_file.open("rb") as handle:
            catalog = read_po(handle)
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            if message.id and message.id not in merged:
                merged[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, merged if merged is not None else Catalog(), use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def translations(lang: str | None = None) -> _gettext.NullTranslations:
    """The gettext catalog of ``lang`` (default: the language in force), re-read when a ``.po`` changes.

    The files are looked at no more than every :data:`RECHECK_SECONDS`, so that ``_()`` costs a dict lookup.
    """
    lang = get_language() if lang is None else _normalise(lang)
    if lang == "en":
        return _gettext.NullTranslations()
    cached = _catalogs.get(lang)
    now = time.monotonic()
    if cached is not None and now - _checked.get(lang, -RECHECK_SECONDS) < RECHECK_SECONDS:
        return cached[1]
    _checked[lang] = now
    files = _catalog_files(lang)
    stamp = tuple((str(path), path.stat().st_mtime) for path in files)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    catalog = _compile(files)
    _catalogs[lang] = (stamp, catalog)
    return catalog


def _(message: str) -> str:
    """``message`` in the language in force (the English itself when there is no translation)."""
    if not message or get_language() == "en":
        return message
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for the count ``n``, translated."""
    return translations().ngettext(singular, plural, n)


def format_list(items: Iterable[str]) -> str:
    """Texts listed in a sentence: ``a, b`` in English, ``a、b`` in Chinese (the texts unchanged).

    >>> format_list(["Home", "Beauty"])
    'Home, Beauty'
    >>> with language("zh"):
    ...     format_list(["家居", "美妆"])
    '家居、美妆'
    """
    return ("、" if get_language() == "zh" else ", ").join(items)


def format_number(value: float, decimals: int = 0) -> str:
    """A number with thousands separators, the same in both editions (``1,234.5``)."""
    return f"{value:,.{decimals}f}"


def format_money(amount: float, decimals: int = 2) -> str:
    """An amount of Chinese yuan: ``CNY 1,234.50`` in English, ``1,234.50 元`` in Chinese."""
    number = format_number(amount, decimals)
    return f"{number} 元" if get_language() == "zh" else f"CNY {number}"


def format_date(day: _dt.date | str) -> str:
    """A calendar date: ``2026-01-05`` in English, ``2026年1月5日`` in Chinese."""
    if isinstance(day, str):
        day = _dt.date.fromisoformat(day[:10])
    if get_language() == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()
