"""Building blocks shared by the exercise modules: near misses, and choice questions in either language.

Every :class:`~cvmlib.feedback.Exercise` lists its ``near_misses``; the choice and precision helpers
here are shared by the chapters' exercise modules, so a new chapter does not copy them.

Choice questions work the same in both editions: a participant answers with option letters (or, for
a menu question, a dict keyed by segment names), which never depend on the language. The texts are
translated when they are shown: :class:`Options` holds the options a workbook prints, :func:`later`
composes a text with values, and :func:`named_keys` lets a dict answer use the names as the
participant's edition shows them (a translated segment name means the segment).

Examples
--------
>>> other_letters("ABCD", frozenset("B"))
['A', 'C', 'D']
>>> sorted(map(sorted, one_off("ABC", frozenset("AB"))))
[['A'], ['A', 'B', 'C'], ['B']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import combinations
from typing import Any

from cvmlib.feedback import NotComparable, Text, compare_mapping, shown_text
from cvmlib.i18n import _

__all__ = ["Options", "all_selections", "compare_named_mapping", "decimals_tolerance", "labelled",
           "later", "misjudged", "named_keys", "one_off", "other_letters", "rounded", "single_deviations",
           "statement_variants"]


def later(message: str, **values: Any) -> Callable[[], str]:
    """A text composed when it is shown: ``message`` translated then, its ``{placeholders}`` filled.

    A value that is itself a text (a zero-argument callable) is shown then too, so nothing freezes the
    language at import. Mark ``message`` with ``N_`` where it is written.

    >>> from cvmlib.i18n import N_, language
    >>> prompt = later(N_("{language} edition"), language=lambda: _("Chinese"))
    >>> prompt()
    'Chinese edition'
    """
    def text() -> str:
        return _(message).format(**{name: value() if callable(value) else value for name, value in values.items()})

    return text


def labelled(key: str) -> str:
    """A name the data hold (a segment, a quadrant), as the language in force shows it, with the key if it differs.

    ``"Champions"`` in English; its Chinese name followed by ``（Champions）`` in Chinese, so a participant
    sees both the word of the edition and the value the data (and a dict answer) use.

    >>> from cvmlib.i18n import language
    >>> labelled("Chinese")
    'Chinese'
    >>> with language("zh"):
    ...     labelled("Chinese")
    '中文（Chinese）'
    """
    name = _(key)
    return key if name == key else _("{name} ({key})").format(name=name, key=key)


class Options(Mapping[str, str]):
    """The options of a choice question, letter -> text, each text shown in the language in force.

    A workbook prints them with ``for letter, text in OPTIONS.items(): print(letter, text)``; each text
    is translated when it is read, while the letters (what a participant answers and a check compares)
    never change. Texts are English messages marked with ``N_``, or zero-argument callables.

    >>> from cvmlib.i18n import N_, language
    >>> options = Options({"A": N_("English"), "B": N_("Chinese")})
    >>> "".join(options), options["B"]
    ('AB', 'Chinese')
    >>> with language("zh"):
    ...     options
    {'A': 'English', 'B': '中文'}
    """

    def __init__(self, texts: Mapping[str, Text]) -> None:
        self._texts = dict(texts)

    def __getitem__(self, letter: str) -> str:
        return shown_text(self._texts[letter])

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def __repr__(self) -> str:
        return repr(dict(self.items()))


def named_keys(answer: Any, keys: Iterable[str]) -> Any:
    """A dict answer with each key accepted under its name as the language in force shows it.

    In the Chinese edition a participant may key a menu answer by a segment's Chinese name (as the
    workbook shows it) or by the name the data hold (the key): both mean the key. Any other key and
    any other kind of answer stay as they are, so the comparison then says what is missing. Two
    different choices for the same key raise :class:`~cvmlib.feedback.NotComparable`.

    >>> from cvmlib.i18n import language
    >>> with language("zh"):
    ...     named_keys({"中文": "a", "English": "b"}, ["Chinese", "English"])
    {'Chinese': 'a', 'English': 'b'}
    >>> named_keys({"中文": "a"}, ["Chinese"])
    {'中文': 'a'}
    """
    if not isinstance(answer, Mapping):
        return answer
    by_name = {}
    for key in keys:
        name = _(key).strip()
        if name != key:
            by_name[name.casefold()] = key
    out: dict[Any, Any] = {}
    given_as: dict[Any, Any] = {}
    for given, choice in answer.items():
        key = by_name.get(given.strip().casefold(), given) if isinstance(given, str) else given
        if key in out and out[key] != choice:
            raise NotComparable(
                _("Your dict gives two different choices for {key} (as {first} and as {second}): keep one.").format(
                    key=_(key), first=given_as[key], second=given))
        out.setdefault(key, choice)
        given_as.setdefault(key, given)
    return out


def compare_named_mapping(answer: Any, expected: Mapping[str, frozenset[str]]) -> str | None:
    """:func:`~cvmlib.feedback.compare_mapping` for a dict answer keyed by names or by :func:`named_keys`.

    >>> compare_named_mapping({"Champions": "a"}, {"Champions": frozenset("A")}) is None
    True
    """
    return compare_mapping(named_keys(answer, expected), expected)


def decimals_tolerance(decimals: int) -> float:
    """The absolute tolerance that accepts an answer rounded to ``decimals`` places, and no more.

    Half a unit of the last place, plus float noise: ``round(x, 2)`` passes, ``round(x, 1)``
    does not (unless it happens to be equally close).

    >>> decimals_tolerance(2), decimals_tolerance(4)
    (0.005000001, 5.01e-05)
    """
    return 0.5 * 10.0 ** -decimals + 1e-9


def rounded(value: float, places: Iterable[int]) -> list[float]:
    """``value`` rounded to each number of decimals coarser than the task asks for.

    >>> rounded(0.23456, (2, 1))
    [0.23, 0.2]
    """
    return [round(value, digits) for digits in places]


def other_letters(letters: str, right: frozenset[str]) -> list[str]:
    """Every single option letter that is not a right one: the near misses of a one-letter question."""
    return [letter for letter in letters if letter not in right]


def all_selections(letters: str) -> list[frozenset[str]]:
    """Every non-empty selection of the option ``letters`` (for "select all that apply" questions).

    >>> len(all_selections("ABCD"))
    15
    """
    return [frozenset(chosen) for size in range(1, len(letters) + 1) for chosen in combinations(letters, size)]


def misjudged(letter: str, letters: str, truth: frozenset[str]) -> list[frozenset[str]]:
    """The selections that get statement ``letter`` wrong: chosen though false, or left out though true.

    >>> sorted(map(sorted, misjudged("C", "ABC", frozenset("A"))))
    [['A', 'B', 'C'], ['A', 'C'], ['B', 'C'], ['C']]
    """
    return [chosen for chosen in all_selections(letters) if (letter in chosen) != (letter in truth)]


def statement_variants(letter: str, letters: Iterable[str],
                       truth: Callable[[], frozenset[str]]) -> Callable[[], list[frozenset[str]]]:
    """``Mistake(variants=...)`` for a "select all that apply" question: every selection that misjudges ``letter``.

    ``truth`` computes the right selection from the data (called only when a check needs it).

    >>> sorted(map(sorted, statement_variants("B", "AB", lambda: frozenset("A"))()))
    [['A', 'B'], ['B']]
    """
    options = "".join(letters)
    return lambda: misjudged(letter, options, truth())


def one_off(letters: str, truth: frozenset[str]) -> list[frozenset[str]]:
    """Every non-empty selection that gets exactly one statement wrong (one too many, or one left out)."""
    return [selection for selection in (truth ^ {letter} for letter in letters) if selection]


def single_deviations(best: Mapping[str, frozenset[str]], letters: Iterable[str]) -> list[dict[str, str]]:
    """Every answer that is right for all keys but one: the smallest wrong answers of a menu question.

    Letters are compared case-insensitively with the acceptable ones.

    >>> single_deviations({"Champions": frozenset("A"), "Lost": frozenset("D")}, "AD")
    [{'Champions': 'D', 'Lost': 'D'}, {'Champions': 'A', 'Lost': 'A'}]
    """
    options = list(letters)
    right = {key: sorted(ok)[0] for key, ok in best.items()}
    return [{**right, key: option} for key, ok in best.items() for option in options
            if option.upper() not in {o.upper() for o in ok}]
