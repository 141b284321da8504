"""Building blocks for exercises' near misses: the smallest wrong answers a participant could give.

Every :class:`~cvmlib.feedback.Exercise` lists its ``near_misses``; the choice and precision helpers
here are shared by the chapters' exercise modules, so a new chapter does not copy them.

Examples
--------
>>> other_letters("ABCD", frozenset("B"))
['A', 'C', 'D']
>>> sorted(map(sorted, one_off("ABC", frozenset("AB"))))
[['A'], ['A', 'B', 'C'], ['B']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from itertools import combinations

__all__ = ["all_selections", "decimals_tolerance", "misjudged", "one_off", "other_letters",
           "rounded", "single_deviations", "statement_variants"]


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
