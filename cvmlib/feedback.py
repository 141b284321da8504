"""Instant feedback for exercises: compare an answer, recognise common mistakes, give a hint.

An :class:`Exercise` knows how to compute its correct answer from the shipped data (never a
hard-coded value) and a list of :class:`Mistake` objects, each computing the answer a participant
with one specific misconception would give ("recency counted from the first purchase", "mean
instead of total"). :func:`evaluate` compares the participant's answer with the correct one first,
then with each mistaken one, and returns a :class:`Feedback`: "correct", or the hint of the
mistake it matched, or a generic hint with a description of *how* the answer differs (shape,
missing customers, how many values differ) -- never the expected values themselves.

Answers are normalised before comparing, so reasonable variants pass: a Series or a one-column
DataFrame, ids in the index or in a column, any row or column order, int or float dtypes.

Examples
--------
>>> import pandas as pd
>>> ex = Exercise(
...     id="demo.total",
...     prompt="Total spend per customer",
...     expected=lambda: pd.Series({"a": 30.0, "b": 5.0}),
...     mistakes=(Mistake("mean", "You averaged; the task asks for the total.",
...                       answer=lambda: pd.Series({"a": 15.0, "b": 5.0})),),
... )
>>> evaluate(ex, pd.Series({"b": 5, "a": 30})).status
'correct'
>>> evaluate(ex, pd.Series({"a": 15.0, "b": 5.0})).mistake
'mean'
>>> evaluate(ex, ...).status
'not_answered'
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

Status = Literal["correct", "hint", "not_answered"]

#: Relative tolerance for numeric answers: rounding to cents must not fail a correct answer.
RTOL = 1e-6


class NotComparable(Exception):
    """Raised by a comparator when an answer has the wrong kind or shape; the message is a hint."""


@dataclass(frozen=True)
class Mistake:
    """A common misconception, with the answer it produces and the hint that addresses it.

    Parameters
    ----------
    id : str
        Short identifier, e.g. ``"recency_from_first_purchase"``.
    hint : str
        What to say when the answer matches this mistake. Points at the misconception; never
        contains the correct answer.
    answer : callable, optional
        Computes the answer a participant with this misconception would give.
    applies : callable, optional
        ``applies(answer) -> bool`` for mistakes recognised by a rule rather than by a computed
        wrong answer (e.g. "a deep discount chosen for the best customers").
    variants : callable, optional
        Computes several answers the same misconception produces (e.g. with either of two
        end-of-period conventions); matching any of them gives the hint.
    """

    id: str
    hint: str
    answer: Callable[[], Any] | None = None
    applies: Callable[[Any], bool] | None = None
    variants: Callable[[], Sequence[Any]] | None = None

    def matches(self, given: Any, compare: Callable[[Any, Any], str | None]) -> bool:
        """True if ``given`` is what this mistake produces."""
        if self.variants is not None:
            return any(_same(given, variant, compare) for variant in self.variants())
        try:
            if self.applies is not None:
                return bool(self.applies(given))
        except (NotComparable, KeyError, TypeError, ValueError):
            return False
        return self.answer is not None and _same(given, self.answer(), compare)


def _same(given: Any, produced: Any, compare: Callable[[Any, Any], str | None]) -> bool:
    """``given`` equals ``produced`` under the exercise's comparison (an incomparable answer is not)."""
    try:
        return compare(given, produced) is None
    except (NotComparable, KeyError, TypeError, ValueError):
        return False


@dataclass(frozen=True)
class Exercise:
    """One checked exercise.

    Parameters
    ----------
    id : str
        Dotted identifier used in ``check("rfm.recency", answer)``.
    prompt : str
        One sentence saying what to compute.
    expected : callable
        Computes the correct answer from the shipped data.
    mistakes : tuple of Mistake
        Common mistakes, tried in order after the answer is found not correct.
    compare : callable, optional
        ``compare(answer, expected)`` returns None when they match, or a short description of the
        difference; raises :class:`NotComparable` when the answer has the wrong kind.
        Defaults to :func:`compare_values`.
    hint : str
        Generic hint when no known mistake matches.
    """

    id: str
    prompt: str
    expected: Callable[[], Any]
    mistakes: tuple[Mistake, ...] = ()
    compare: Callable[[Any, Any], str | None] = field(default=None)  # type: ignore[assignment]
    hint: str = "Re-read the task and check your definition against the glossary."

    def comparator(self) -> Callable[[Any, Any], str | None]:
        return self.compare if self.compare is not None else compare_values


@dataclass(frozen=True)
class Feedback:
    """The result of checking one answer; displays as a short coloured message in Jupyter."""

    exercise: str
    status: Status
    message: str
    mistake: str | None = None

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __str__(self) -> str:
        label = {"correct": "Correct", "hint": "Not yet", "not_answered": "Not answered yet"}[self.status]
        return f"[{self.exercise}] {label}: {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {"correct": "#1b7f3b", "hint": "#a35200", "not_answered": "#555555"}[self.status]
        icon = {"correct": "&#10004;", "hint": "&#9888;", "not_answered": "&#8230;"}[self.status]
        return (
            f'<div class="cvm-feedback cvm-{self.status}" style="border-left:4px solid {colour};'
            f'padding:4px 10px;color:{colour}"><strong>{icon} {html.escape(self.exercise)}</strong>: '
            f"{html.escape(self.message)}</div>"
        )


def _unanswered(answer: Any) -> bool:
    """The placeholder is still there: ``...``, ``None``, or a dict with ``...`` values left."""
    if answer is Ellipsis or answer is None:
        return True
    return isinstance(answer, Mapping) and any(value is Ellipsis for value in answer.values())


def evaluate(exercise: Exercise, answer: Any) -> Feedback:
    """Check ``answer`` against ``exercise``; never raises for a bad answer, never shows the solution."""
    if _unanswered(answer):
        return Feedback(exercise.id, "not_answered", "replace the ... with your code, run the cell, then check again.")
    compare = exercise.comparator()
    expected = exercise.expected()
    try:
        difference = compare(answer, expected)
    except NotComparable as reason:
        return Feedback(exercise.id, "hint", str(reason))
    except Exception as error:  # a participant's odd object must give a hint, not a traceback
        return Feedback(exercise.id, "hint", f"Your answer could not be compared ({type(error).__name__}). {exercise.hint}")
    if difference is None:
        return Feedback(exercise.id, "correct", "well done.")
    for mistake in exercise.mistakes:
        if mistake.matches(answer, compare):
            return Feedback(exercise.id, "hint", mistake.hint, mistake=mistake.id)
    return Feedback(exercise.id, "hint", f"{difference} {exercise.hint}")


# ----------------------------------------------------------------------------------------------
# Normalising and comparing answers
# ----------------------------------------------------------------------------------------------


def as_series(answer: Any, index_name: str | None = None) -> pd.Series:
    """Turn a Series, a one-value-column DataFrame or a mapping into a Series sorted by its index.

    A DataFrame whose ``index_name`` is a column (ids as a column instead of the index) is accepted.

    >>> as_series(pd.DataFrame({"customer_id": ["b", "a"], "x": [2, 1]}), "customer_id").tolist()
    [1, 2]
    """
    if isinstance(answer, Mapping) and not isinstance(answer, pd.Series):
        answer = pd.Series(answer)
    if isinstance(answer, pd.DataFrame):
        frame = answer
        if index_name is not None and index_name in frame.columns:
            frame = frame.set_index(index_name)
        if frame.shape[1] != 1:
            raise NotComparable(
                f"Expected one value per row, but your DataFrame has {frame.shape[1]} columns "
                f"({', '.join(map(str, frame.columns[:6]))}). Select the one column the task asks for."
            )
        answer = frame.iloc[:, 0]
    if not isinstance(answer, pd.Series):
        raise NotComparable(
            f"Expected a pandas Series (one value per {index_name or 'row'}), got {type(answer).__name__}."
        )
    return answer.sort_index()


def _numeric(values: pd.Series, what: str) -> np.ndarray:
    if pd.api.types.is_timedelta64_dtype(values):
        raise NotComparable(
            f"Your {what} are time differences (Timedelta); convert them to whole days with .dt.days."
        )
    if pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype=float)
    if not pd.api.types.is_numeric_dtype(values):
        raise NotComparable(f"Your {what} are not numbers (dtype {values.dtype}).")
    return values.to_numpy(dtype=float, na_value=np.nan)


def compare_series(answer: Any, expected: pd.Series, rtol: float = RTOL) -> str | None:
    """Compare per-entity values; return None if equal, else how they differ (no expected values).

    >>> e = pd.Series([1.0, 2.0], index=pd.Index(["a", "b"], name="customer_id"))
    >>> compare_series(pd.Series([1, 2], index=["a", "b"]), e) is None
    True
    >>> compare_series(pd.Series([1, 3], index=["a", "b"]), e)
    '1 of 2 values differ from the expected ones.'
    """
    got = as_series(answer, expected.index.name)
    missing = expected.index.difference(got.index)
    extra = got.index.difference(expected.index)
    if len(missing) or len(extra):
        parts = []
        if len(missing):
            parts.append(f"{len(missing)} expected ids are missing (e.g. {list(missing[:3])})")
        if len(extra):
            parts.append(f"{len(extra)} ids should not be there (e.g. {list(extra[:3])})")
        return "Your answer covers the wrong rows: " + "; ".join(parts) + "."
    got = got.reindex(expected.index)
    if pd.api.types.is_numeric_dtype(expected) and not pd.api.types.is_bool_dtype(expected):
        a, b = _numeric(got, "values"), expected.to_numpy(dtype=float)
        same = np.isclose(a, b, rtol=rtol, atol=1e-9) | (np.isnan(a) & np.isnan(b))
    else:
        same = (got.astype(str).str.strip().str.casefold() == expected.astype(str).str.strip().str.casefold()).to_numpy()
    wrong = int((~same).sum())
    if wrong:
        return f"{wrong} of {len(expected)} values differ from the expected ones."
    return None


def compare_scalar(answer: Any, expected: float, rtol: float = 1e-4) -> str | None:
    """Compare one number.

    >>> compare_scalar(0.5, 0.5) is None
    True
    >>> compare_scalar("0.5", 0.5)
    'Expected a number, got str.'
    """
    if isinstance(answer, (pd.Series, pd.DataFrame)) and answer.size == 1:
        answer = answer.to_numpy().ravel()[0]
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.number)):
        return f"Expected a number, got {type(answer).__name__}."
    if np.isclose(float(answer), float(expected), rtol=rtol, atol=1e-9):
        return None
    return "Your number is not the expected one."


def compare_mapping(answer: Any, expected: Mapping[str, frozenset[str]]) -> str | None:
    """Compare a mapping key -> choice with a mapping key -> set of acceptable choices.

    Choices are compared case-insensitively (as upper-case letters).

    >>> best = {"Champions": frozenset("A"), "Lost": frozenset("DE")}
    >>> compare_mapping({"Champions": "a", "Lost": "D"}, best) is None
    True
    >>> compare_mapping({"Champions": "B", "Lost": "D"}, best)
    'Not the best choice for: Champions.'
    """
    if not isinstance(answer, Mapping):
        raise NotComparable(f"Expected a dict (key -> choice), got {type(answer).__name__}.")
    missing = [key for key in expected if key not in answer]
    if missing:
        raise NotComparable(f"Your dict has no entry for: {', '.join(missing)}.")
    wrong = [key for key, ok in expected.items() if chosen_option(answer, key) not in ok]
    return None if not wrong else f"Not the best choice for: {', '.join(wrong)}."


def chosen_option(answer: Any, key: str) -> str:
    """The choice a dict answer makes for ``key``, normalised to upper case ("" when there is none).

    Mistake rules use it to spot a specific wrong choice in a half-right answer.

    >>> chosen_option({"Champions": " e"}, "Champions"), chosen_option({}, "Lost"), chosen_option(3, "x")
    ('E', '', '')
    """
    return str(answer.get(key, "")).strip().upper() if isinstance(answer, Mapping) else ""


def compare_values(answer: Any, expected: Any) -> str | None:
    """Dispatch on the kind of the expected answer (Series, number or mapping of choices)."""
    if isinstance(expected, pd.Series):
        return compare_series(answer, expected)
    if isinstance(expected, Mapping):
        return compare_mapping(answer, expected)
    return compare_scalar(answer, expected)
