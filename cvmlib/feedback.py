"""Instant feedback for exercises: compare an answer, recognise common mistakes, give a hint.

An :class:`Exercise` knows how to compute its correct answer from the shipped data (never a
hard-coded value) and a list of :class:`Mistake` objects, each computing the answer a participant
with one specific misconception would give ("recency counted from the first purchase", "mean
instead of total"). :func:`evaluate` compares the participant's answer with the correct one first,
then with each mistaken one, and returns a :class:`Feedback`: "correct", or the hint of the
mistake it matched, or a generic hint with a description of *how* the answer differs (shape,
missing customers, how many values differ) -- never the expected values themselves.

The answer is first copied into plain data (:func:`to_plain`): plain numbers and strings, plain
pandas and numpy objects rebuilt from copies of their values, dicts, lists, tuples and sets of
those. Nothing else reaches a comparison, so an object with its own ``__eq__`` or a pandas
subclass can neither pass nor see the expected values.

Help comes in tiers (:func:`evaluate` is told how many failed attempts came before): the first
failed attempt gets the mistake's hint (or the difference and the exercise's hint), the second adds
"More help", the third adds that a worked solution can be asked for.

Answers are normalised before comparing, so reasonable variants pass: a Series or a one-column
DataFrame, ids in the index or in a column, any row or column order, int or float dtypes; option
letters typed the Chinese way (full-width ``Ａ``, ``（B）``, ``A、C``, ``A和C``) count as the same letters.
Nothing in a comparison depends on the language: only the words of the feedback do.

Texts in two languages
----------------------
Every text a participant reads is an English message translated when it is shown
(:mod:`cvmlib.i18n`). The text fields of :class:`Exercise` (``prompt``, ``hint``, ``more_hint``) and
of :class:`Mistake` (``hint``, ``more``) hold either

* a ``str``: the English message, marked with ``N_()`` where it is written; feedback translates it
  with ``_()`` each time it is shown, or
* a zero-argument callable returning the text already translated (for a text composed from parts
  or with values: ``lambda: _("Count the {what}.").format(what=_(WHAT))``); feedback calls it each
  time it is shown.

:func:`shown_text` applies that rule. A comparator's difference and a :class:`NotComparable`
message are built when the check runs, so they are translated there (``_()`` with named
placeholders); feedback passes them through ``_()`` once more, so a constant marked with ``N_()``
works too.

Examples
--------
>>> import pandas as pd
>>> ex = Exercise(
...     id="demo.total",
...     prompt="Total spend per customer",
...     expected=lambda: pd.Series({"a": 30.0, "b": 5.0}),
...     mistakes=(Mistake("mean", "You averaged; the task asks for the total.",
...                       answer=lambda: pd.Series({"a": 15.0, "b": 5.0}),
...                       more="Use .sum() on the grouped amounts."),),
... )
>>> evaluate(ex, pd.Series({"b": 5, "a": 30})).status
'correct'
>>> evaluate(ex, pd.Series({"a": 15.0, "b": 5.0})).mistake
'mean'
>>> print(evaluate(ex, pd.Series({"a": 15.0, "b": 5.0}), failures_before=1).message)
You averaged; the task asks for the total.
More help: Use .sum() on the grouped amounts.
>>> evaluate(ex, ...).status
'not_answered'
"""

from __future__ import annotations

import datetime as _dt
import decimal
import fractions
import html
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import pandas as pd

from cvmlib.i18n import N_, _, ngettext

if TYPE_CHECKING:  # cvmlib.forms uses this module's texts; the field below only names its type
    from cvmlib.forms import Form

Status = Literal["correct", "hint", "not_answered"]
Kind = Literal["compute", "interpret"]
#: A text shown to a participant: an English message (translated when shown), or a zero-argument
#: callable returning the text already translated (see "Texts in two languages" above).
Text = str | Callable[[], str]

#: Relative tolerance for numeric answers: rounding to cents must not fail a correct answer.
RTOL = 1e-6
#: Absolute tolerance: float noise around zero, far below any unit an exercise asks for.
ATOL = 1e-9
#: From this many failed attempts on, the feedback says a worked solution can be asked for.
SOLUTION_TIER = 3


class NotComparable(Exception):
    """Raised by a comparator when an answer has the wrong kind or shape; the message is a hint."""


class NotPlain(TypeError):
    """Raised by :func:`to_plain` for a value it cannot copy into plain data without running its code."""


def shown_text(text: Text | None) -> str:
    """``text`` as the participant reads it now: a message translated, a callable called.

    >>> from cvmlib.i18n import language
    >>> shown_text(N_("well done.")), shown_text(lambda: "composed"), shown_text(None)
    ('well done.', 'composed', '')
    >>> with language("zh"):
    ...     shown_text(N_("well done."))
    '做得好。'
    """
    if text is None:
        return ""
    if callable(text):
        return str(text())
    return _(str(text))


#: The label of each status, as shown before the message (``[rfm.recency] Correct: well done.``).
STATUS_LABELS: dict[str, str] = {"correct": N_("Correct"), "hint": N_("Not yet"),
                                 "not_answered": N_("Not answered yet")}
#: The message of a check whose answer is still the placeholder.
NOT_ANSWERED = N_("replace the ... with your code, run the cell, then check again.")
#: The message of a correct answer.
WELL_DONE = N_("well done.")
#: The first-tier hint of an exercise that names none.
DEFAULT_HINT = N_("Re-read the task and check your definition against the glossary.")


class Displayable(Protocol):
    """Something a notebook can show: a worked solution attached to a :class:`Feedback`."""

    def _repr_html_(self) -> str: ...


@dataclass(frozen=True)
class Mistake:
    """A common misconception, with the answer it produces and the hint that addresses it.

    Parameters
    ----------
    id : str
        Short identifier, e.g. ``"recency_from_first_purchase"``.
    hint : str or callable
        What to say when the answer matches this mistake. Points at the misconception; never
        contains the correct answer. An English message (translated when shown) or a callable
        returning the translated text (:func:`shown_text`).
    answer : callable, optional
        Computes the answer a participant with this misconception would give.
    applies : callable, optional
        ``applies(answer) -> bool`` for mistakes recognised by a rule rather than by a computed
        wrong answer (e.g. "a deep discount chosen for the best customers"). It receives plain
        data (see :func:`to_plain`).
    variants : callable, optional
        Computes several answers the same misconception produces (e.g. with either of two
        end-of-period conventions); matching any of them gives the hint.
    more : str or callable
        A second, more specific hint for a participant who makes this mistake again; still
        never the answer and never code to type (translated like ``hint``).
    """

    id: str
    hint: Text
    answer: Callable[[], Any] | None = None
    applies: Callable[[Any], bool] | None = None
    variants: Callable[[], Sequence[Any]] | None = None
    more: Text = ""

    def matches(self, given: Any, compare: Callable[[Any, Any], str | None]) -> bool:
        """True if ``given`` (plain data) is what this mistake produces."""
        if self.variants is not None:
            return any(_same(given, variant, compare) for variant in self.variants())
        if self.applies is not None:
            try:
                return bool(self.applies(given))
            except Exception:  # a rule written for sensible answers says "not this mistake" for odd ones
                return False
        return self.answer is not None and _same(given, self.answer(), compare)


def _same(given: Any, produced: Any, compare: Callable[[Any, Any], str | None]) -> bool:
    """``given`` equals ``produced`` under the exercise's comparison (an incomparable answer is not)."""
    try:
        return compare(given, produced) is None
    except Exception:  # an answer the comparison cannot handle is not this mistake
        return False


@dataclass(frozen=True)
class Exercise:
    """One checked exercise.

    Parameters
    ----------
    id : str
        Dotted identifier used in ``check("rfm.recency", answer)``.
    prompt : str or callable
        One sentence saying what to compute. Like every text field here, an English message
        (translated when shown) or a callable returning the translated text (:func:`shown_text`).
    expected : callable
        Computes the correct answer from the shipped data.
    mistakes : tuple of Mistake
        Common mistakes, tried in order after the answer is found not correct.
    compare : callable, optional
        ``compare(answer, expected)`` returns None when they match, or a short description of the
        difference; raises :class:`NotComparable` when the answer has the wrong kind.
        Defaults to :func:`compare_values`. It receives plain data.
    hint : str or callable
        First-tier hint when no known mistake matches: what to look at (a concept, a column, a
        step), never an expression to type, never an expected value.
    more_hint : str or callable
        Second-tier hint after a repeated failure: more specific, still not the answer.
    near_misses : callable, optional
        Computes plausible wrong answers (a total missing the two smallest customers, a share
        missing one customer, an off-by-one day); the exercise contract test asserts that none
        of them is accepted.
    kind : {"compute", "interpret"}
        "interpret" for interpretation, decision and skills questions (multiple choice or short
        answer).
    form : cvmlib.forms.Form, optional
        The shape of the answer for answering without code (choices, menus, text boxes; see
        :mod:`cvmlib.forms`): what a participant fills in becomes the answer a coder would pass.
        None for an exercise answered with code only.
    """

    id: str
    prompt: Text
    expected: Callable[[], Any]
    mistakes: tuple[Mistake, ...] = ()
    compare: Callable[[Any, Any], str | None] = field(default=None)  # type: ignore[assignment]
    hint: Text = DEFAULT_HINT
    more_hint: Text = ""
    near_misses: Callable[[], Sequence[Any]] | None = None
    kind: Kind = "compute"
    form: Form | None = None

    def comparator(self) -> Callable[[Any, Any], str | None]:
        """The comparison of this exercise (:func:`compare_values` unless one was given)."""
        return self.compare if self.compare is not None else compare_values

    def shown_texts(self) -> list[str]:
        """Every text of this exercise as shown now: prompt, hints, and each mistake's hints (non-empty ones).

        >>> ex = Exercise("demo.n", "How many?", expected=lambda: 1, hint="Count.",
        ...               mistakes=(Mistake("m", lambda: "Composed.", more="Again."),))
        >>> ex.shown_texts()
        ['How many?', 'Count.', 'Composed.', 'Again.']
        """
        texts = [self.prompt, self.hint, self.more_hint]
        for mistake in self.mistakes:
            texts += [mistake.hint, mistake.more]
        return [shown for shown in map(shown_text, texts) if shown]


@dataclass(frozen=True)
class Feedback:
    """The result of checking one answer; displays as a short coloured message in Jupyter.

    ``attempt`` is the number of this answered check of the exercise (1 for the first), ``tier``
    the level of help given (0 when correct or not answered, else 1 to 3). ``solution`` is the
    worked solution when the participant asked for it.
    """

    exercise: str
    status: Status
    message: str
    mistake: str | None = None
    attempt: int = 1
    tier: int = 0
    solution: Displayable | None = None

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    @property
    def label(self) -> str:
        """The status in words, as shown: "Correct", "Not yet" or "Not answered yet" (translated)."""
        return _(STATUS_LABELS[self.status])

    def __str__(self) -> str:
        text = _("[{exercise}] {label}: {message}").format(exercise=self.exercise, label=self.label,
                                                          message=self.message)
        if self.solution is not None:
            text += f"\n\n{self.solution}"
        return text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {"correct": "#1b7f3b", "hint": "#a35200", "not_answered": "#555555"}[self.status]
        icon = {"correct": "&#10004;", "hint": "&#9888;", "not_answered": "&#8230;"}[self.status]
        message = html.escape(self.message).replace("\n", "<br>")
        separator = html.escape(_(": "))
        shown = (
            f'<div class="cvm-feedback cvm-{self.status}" style="border-left:4px solid {colour};'
            f'padding:4px 10px;color:{colour}"><strong>{icon} {html.escape(self.exercise)}</strong>'
            f"{separator}{message}</div>"
        )
        if self.solution is not None:
            shown += self.solution._repr_html_()
        return shown


def _unanswered(answer: Any) -> bool:
    """The placeholder is still there: ``...``, ``None``, or a dict with ``...`` values left."""
    if answer is Ellipsis or answer is None:
        return True
    # type(), not isinstance(): isinstance would read the answer's own __class__ attribute
    return issubclass(type(answer), dict) and any(value is Ellipsis for value in dict.values(answer))


def _tiered(exercise: Exercise, first: str, mistake: Mistake | None, tier: int) -> str:
    """The hint text of one tier: the first hint, then more help, then where the solution is."""
    lines = [first]
    if tier >= 2:
        more = (shown_text(mistake.more) if mistake is not None else "") or shown_text(exercise.more_hint)
        if more:
            lines.append(_("More help: {more}").format(more=more))
    if tier >= SOLUTION_TIER:
        lines.append(_('Still stuck? solution("{exercise}") shows the worked solution '
                       "(your progress records that you looked).").format(exercise=exercise.id))
    return "\n".join(lines)


def _with_hint(text: str, exercise: Exercise) -> str:
    """A description of the difference followed by the exercise's first hint."""
    return _("{difference} {hint}").format(difference=_(text), hint=shown_text(exercise.hint))


def evaluate(exercise: Exercise, answer: Any, *, attempt: int = 1, failures_before: int = 0) -> Feedback:
    """Check ``answer`` against ``exercise``; never raises for a bad answer, never shows the solution.

    Parameters
    ----------
    exercise : Exercise
        The exercise.
    answer : object
        The participant's answer; copied into plain data first (:func:`to_plain`).
    attempt : int
        The number of this answered check of the exercise, reported in the feedback.
    failures_before : int
        How many earlier checks of this exercise failed; sets the tier of help of a failure.

    Examples
    --------
    >>> ex = Exercise("demo.n", "How many?", expected=lambda: 12, hint="Count the rows.",
    ...               more_hint="Each row is one order.")
    >>> print(evaluate(ex, 11, failures_before=2).message)
    Your number is not the expected one. Count the rows.
    More help: Each row is one order.
    Still stuck? solution("demo.n") shows the worked solution (your progress records that you looked).
    >>> evaluate(ex, 11, failures_before=5).tier, evaluate(ex, 12).tier
    (3, 0)
    """
    if _unanswered(answer):
        return Feedback(exercise.id, "not_answered", _(NOT_ANSWERED), attempt=attempt)
    tier = min(failures_before + 1, SOLUTION_TIER)
    compare = exercise.comparator()
    expected = exercise.expected()
    try:
        plain = to_plain(answer)
    except NotPlain as reason:
        first = _("Expected {kind}, {reason}. {hint}").format(kind=describe_kind(expected), reason=_(str(reason)),
                                                              hint=shown_text(exercise.hint))
        return Feedback(exercise.id, "hint", _tiered(exercise, first, None, tier), attempt=attempt, tier=tier)
    if _unanswered(plain):
        return Feedback(exercise.id, "not_answered", _(NOT_ANSWERED), attempt=attempt)
    try:
        difference = compare(plain, expected)
    except NotComparable as reason:
        return Feedback(exercise.id, "hint", _tiered(exercise, _(str(reason)), None, tier), attempt=attempt, tier=tier)
    except Exception as error:  # a participant's odd value must give a hint, not a traceback
        first = _("Your answer could not be compared ({error}). {hint}").format(error=type(error).__name__,
                                                                               hint=shown_text(exercise.hint))
        return Feedback(exercise.id, "hint", _tiered(exercise, first, None, tier), attempt=attempt, tier=tier)
    if difference is None:
        return Feedback(exercise.id, "correct", _(WELL_DONE), attempt=attempt)
    for mistake in exercise.mistakes:
        if mistake.matches(plain, compare):
            return Feedback(exercise.id, "hint", _tiered(exercise, shown_text(mistake.hint), mistake, tier),
                            mistake=mistake.id, attempt=attempt, tier=tier)
    return Feedback(exercise.id, "hint", _tiered(exercise, _with_hint(difference, exercise), None, tier),
                    attempt=attempt, tier=tier)


def describe_kind(expected: Any) -> str:
    """What kind of answer is asked for, in words (never the value itself).

    >>> describe_kind(pd.Series([1.0], index=pd.Index(["a"], name="customer_id")))
    'a pandas Series (one value per customer_id)'
    >>> describe_kind(0.25), describe_kind(frozenset("B"))
    ('a number', 'option letters as a string, e.g. "B"')
    """
    if isinstance(expected, pd.Series):
        return _("a pandas Series ({per})").format(per=_per(expected.index.name))
    if isinstance(expected, pd.DataFrame):
        return _("a pandas DataFrame")
    if isinstance(expected, Mapping):
        return _("a dict")
    if isinstance(expected, frozenset):
        if all(isinstance(item, str) and len(item) == 1 for item in expected):
            return _('option letters as a string, e.g. "B"')
        return _("a list of labels")
    if expected is None:
        return _("plain data (a text, a number, a list or a dict)")
    if isinstance(expected, (bool, np.bool_)):
        return _("True or False")
    if isinstance(expected, (int, float, np.number)):
        return _("a number")
    if isinstance(expected, str):
        return _("a text (a string)")
    return _("a {type}").format(type=type_name(expected))


def _per(name: Any) -> str:
    """"one value per customer_id" (the index name is a column name: kept as it is) or "one value per row"."""
    return _("one value per {entity}").format(entity=name) if name else _("one value per row")


# ----------------------------------------------------------------------------------------------
# Plain data: the only kind of value a comparison or a mistake rule ever sees
# ----------------------------------------------------------------------------------------------

#: Immutable scalar types with no participant code in them; kept as they are.
_PLAIN_SCALARS: frozenset[type] = frozenset({
    type(None), type(Ellipsis), bool, int, float, complex, str, bytes,
    _dt.datetime, _dt.date, _dt.time, _dt.timedelta, decimal.Decimal, fractions.Fraction,
    pd.Timestamp, pd.Timedelta, pd.Period, pd.Interval, type(pd.NaT), type(pd.NA),
})
#: numpy's own scalar types (np.float64, np.int32, np.datetime64, ...; not np.void or np.object_).
_NUMPY_SCALARS: frozenset[type] = frozenset(np.dtype(code).type for code in np.typecodes["All"]) - {np.void, np.object_}
#: Python base types whose subclasses are copied through the base type's own C slot.
_BASE_COPIES: tuple[tuple[type, Callable[[Any], Any]], ...] = (
    (int, int.__int__),
    (float, float.__float__),
    (complex, complex.__complex__),
    (str, str.__str__),
    (bytes, bytes.__bytes__),
)
#: How deep nested containers are copied (a dict of lists of tuples is depth 3).
_MAX_DEPTH = 8


def type_name(value: Any) -> str:
    """The class name of ``value``, read without running any code of the value or its class.

    >>> type_name(3.5), type_name(pd.Series(dtype=float))
    ('float', 'Series')
    """
    name: str = type.__dict__["__name__"].__get__(type(value))
    return name


def _is_pandas_own(cls: type) -> bool:
    """``cls`` is a class pandas defines (not a look-alike that sets ``__module__`` to a pandas module)."""
    module = type.__dict__["__module__"].__get__(cls)
    qualname = type.__dict__["__qualname__"].__get__(cls)
    if not isinstance(module, str) or not module.startswith("pandas.") and module != "pandas":
        return False
    owner = sys.modules.get(module)
    return owner is not None and "." not in qualname and owner.__dict__.get(qualname) is cls


def _plain_scalar(value: Any) -> Any:
    cls = type(value)
    if cls in _PLAIN_SCALARS:
        return value
    if cls in _NUMPY_SCALARS:
        return value
    for base, copy in _BASE_COPIES:
        if issubclass(cls, base):
            return copy(value)
    raise NotPlain(_("got {type}").format(type=type_name(value)))


def _plain_label(label: Any) -> Hashable:
    """A Series name, index name or column label; one that is not plain data becomes None."""
    try:
        plain = to_plain(label)
    except NotPlain:
        return None
    return plain if isinstance(plain, Hashable) and not isinstance(plain, (list, dict, set)) else None


def _plain_objects(values: np.ndarray, depth: int) -> np.ndarray:
    flat = np.ndarray.tolist(np.ndarray.ravel(values))
    # fast path: elements that are all plain scalars already (the usual text column) need no copying
    if not set(map(type, flat)) <= _PLAIN_SCALARS:
        flat = [to_plain(item, depth + 1) for item in flat]
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out.reshape(values.shape)


def _plain_ndarray(value: np.ndarray, depth: int) -> np.ndarray:
    if issubclass(type(value), np.ma.MaskedArray):
        raise NotPlain(_("got a masked array (fill or drop the masked values first)"))
    base = np.ndarray.view(value, np.ndarray)
    if base.dtype.kind == "V" and base.dtype.names is not None:
        raise NotPlain(_("got a structured array"))
    if base.dtype == object:
        return _plain_objects(base, depth)
    return np.ndarray.copy(base)


def _plain_array(values: Any, depth: int) -> Any:
    """The values of a pandas object: a numpy copy, or a copy of pandas' own extension array."""
    cls = type(values)
    if issubclass(cls, np.ndarray):
        return _plain_ndarray(values, depth)
    if not _is_pandas_own(cls):
        raise NotPlain(_("got values stored in a {type}").format(type=type_name(values)))
    if isinstance(values, pd.Categorical):
        categories = _plain_index(values.categories, depth)
        return pd.Categorical.from_codes(np.array(values.codes, copy=True), categories=categories,
                                         ordered=bool(values.ordered))
    if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
        objects = _plain_objects(np.asarray(values, dtype=object), depth)
        return pd.array(objects, dtype=values.dtype)
    return values.copy()


def _plain_index(index: Any, depth: int) -> pd.Index:
    if not _is_pandas_own(type(index)):
        raise NotPlain(_("got an index of type {type}").format(type=type_name(index)))
    if isinstance(index, pd.MultiIndex):
        levels = [_plain_index(index.get_level_values(i), depth) for i in range(index.nlevels)]
        return pd.MultiIndex.from_arrays(levels, names=[_plain_label(name) for name in index.names])
    if isinstance(index, pd.RangeIndex):
        return pd.RangeIndex(index.start, index.stop, index.step, name=_plain_label(index.name))
    return pd.Index(_plain_array(index.array, depth), name=_plain_label(index.name), copy=False)


def _manager(value: Any) -> Any:
    manager = object.__getattribute__(value, "_mgr")
    if not _is_pandas_own(type(manager)):
        raise NotPlain(_("got a {type} with unusual internals").format(type=type_name(value)))
    return manager


def _plain_series(value: pd.Series, depth: int) -> pd.Series:
    manager = _manager(value)
    values = _plain_array(manager.array, depth)
    index = _plain_index(manager.index, depth)
    # the type is exactly pd.Series, so reading a property runs pandas' code only
    name = _plain_label(value.name)
    series = pd.Series(values, index=index, name=name, copy=False)
    if series.dtype == object:
        # object columns of plain numbers (e.g. built from a list of Python ints) compare as numbers
        series = series.infer_objects()
    return series


def _plain_frame(value: pd.DataFrame, depth: int) -> pd.DataFrame:
    manager = _manager(value)
    columns = _plain_index(manager.items, depth)
    index = _plain_index(manager.axes[1], depth)
    data = {position: _plain_array(manager.iget_values(position), depth) for position in range(len(columns))}
    frame = pd.DataFrame(data, index=index, copy=False)
    frame.columns = columns
    # object columns of plain numbers (e.g. built from lists of Python ints) compare as numbers
    return frame.infer_objects() if (frame.dtypes == object).any() else frame


def to_plain(value: Any, _depth: int = 0) -> Any:
    """Copy ``value`` into plain data without running any code of its own.

    Plain data are: Python and numpy scalars (a subclass of ``int``, ``float``, ``str``, ... becomes
    the base type), dates and pandas scalars, plain pandas Series, DataFrames and Indexes rebuilt
    from copies of their values, numpy arrays (a subclass becomes a plain array), and dicts, lists,
    tuples, sets and frozensets of plain data. The values are read through the base types' own
    methods, so an override in a subclass never runs.

    Raises
    ------
    NotPlain
        For anything else (an object with its own ``__eq__``, a pandas subclass, a generator, ...);
        the message names its type.

    Examples
    --------
    >>> class Sneaky(str):
    ...     def __eq__(self, other):
    ...         return True
    >>> type(to_plain(Sneaky("B"))), to_plain(Sneaky("B")) == "A"
    (<class 'str'>, False)
    >>> to_plain({"a": [1, (2.5, "x")]})
    {'a': [1, (2.5, 'x')]}
    >>> to_plain(object())
    Traceback (most recent call last):
    ...
    cvmlib.feedback.NotPlain: got object
    """
    if _depth > _MAX_DEPTH:
        raise NotPlain(_("got data nested too deeply"))
    cls = type(value)
    if cls is pd.Series:
        return _plain_series(value, _depth)
    if cls is pd.DataFrame:
        return _plain_frame(value, _depth)
    if issubclass(cls, pd.Index):
        return _plain_index(value, _depth)
    if issubclass(cls, (pd.Series, pd.DataFrame)):
        base = "Series" if issubclass(cls, pd.Series) else "DataFrame"
        raise NotPlain(_("got a {type} (a subclass of {base}); give a plain pandas {base}").format(
            type=type_name(value), base=base))
    if issubclass(cls, np.ndarray):
        return _plain_ndarray(value, _depth)
    if issubclass(cls, dict):
        return {_plain_key(k, _depth): to_plain(v, _depth + 1) for k, v in dict.items(value)}
    if issubclass(cls, list):
        return [to_plain(item, _depth + 1) for item in list.__iter__(value)]
    if issubclass(cls, tuple):
        return tuple(to_plain(item, _depth + 1) for item in tuple.__iter__(value))
    if issubclass(cls, frozenset):
        return frozenset(_plain_key(item, _depth) for item in frozenset.__iter__(value))
    if issubclass(cls, set):
        return {_plain_key(item, _depth) for item in set.__iter__(value)}
    return _plain_scalar(value)


def _plain_key(key: Any, depth: int) -> Any:
    plain = to_plain(key, depth + 1)
    if isinstance(plain, (list, dict, set, pd.Series, pd.DataFrame, np.ndarray)):
        raise NotPlain(_("got an unhashable key"))
    return plain


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
                _("Expected one value per row, but your DataFrame has {n} columns ({columns}). "
                  "Select the one column the task asks for.").format(
                    n=frame.shape[1], columns=", ".join(map(str, frame.columns[:6])))
            )
        answer = frame.iloc[:, 0]
    if not isinstance(answer, pd.Series):
        raise NotComparable(
            _("Expected a pandas Series ({per}), got {type}.").format(per=_per(index_name), type=type_name(answer))
        )
    return answer.sort_index()


def _numeric(values: pd.Series, what: str) -> np.ndarray:
    """The numbers of ``values``; ``what`` names them in the message (an English message, translated here)."""
    if pd.api.types.is_timedelta64_dtype(values):
        raise NotComparable(
            _("Your {what} are time differences (Timedelta); convert them to whole days with .dt.days.").format(
                what=_(what))
        )
    if pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype=float)
    if not pd.api.types.is_numeric_dtype(values):
        raise NotComparable(_("Your {what} are not numbers (dtype {dtype}).").format(what=_(what), dtype=values.dtype))
    return values.to_numpy(dtype=float, na_value=np.nan)


def compare_series(answer: Any, expected: pd.Series, rtol: float = RTOL, atol: float = ATOL) -> str | None:
    """Compare per-entity values; return None if equal, else how they differ (no expected values).

    Values match when ``|answer - expected| <= atol + rtol * |expected|``.

    >>> e = pd.Series([1.0, 2.0], index=pd.Index(["a", "b"], name="customer_id"))
    >>> compare_series(pd.Series([1, 2], index=["a", "b"]), e) is None
    True
    >>> compare_series(pd.Series([1, 3], index=["a", "b"]), e)
    '1 of 2 values differ from the expected ones.'
    >>> compare_series(pd.Series([1, 2, 2], index=["a", "b", "b"]), e)
    "Your answer has 1 repeated id (e.g. ['b']); give one value per customer_id."
    """
    got = as_series(answer, expected.index.name)
    repeated = got.index[got.index.duplicated()].unique()
    if len(repeated):
        return ngettext("Your answer has {n} repeated id (e.g. {examples}); give {per}.",
                        "Your answer has {n} repeated ids (e.g. {examples}); give {per}.",
                        len(repeated)).format(n=len(repeated), examples=list(repeated[:3]),
                                              per=_per(expected.index.name))
    missing = expected.index.difference(got.index)
    extra = got.index.difference(expected.index)
    if len(missing) or len(extra):
        parts = []
        if len(missing):
            parts.append(_("{n} expected ids are missing (e.g. {examples})").format(
                n=len(missing), examples=list(missing[:3])))
        if len(extra):
            parts.append(_("{n} ids should not be there (e.g. {examples})").format(
                n=len(extra), examples=list(extra[:3])))
        return _("Your answer covers the wrong rows: {problems}.").format(problems=_("; ").join(parts))
    got = got.reindex(expected.index)
    if pd.api.types.is_numeric_dtype(expected) and not pd.api.types.is_bool_dtype(expected):
        a, b = _numeric(got, N_("values")), expected.to_numpy(dtype=float)
        with np.errstate(invalid="ignore", over="ignore"):
            same = np.isclose(a, b, rtol=rtol, atol=atol) | (np.isnan(a) & np.isnan(b))
    else:
        same = (got.astype(str).str.strip().str.casefold() == expected.astype(str).str.strip().str.casefold()).to_numpy()
    wrong = int((~same).sum())
    if wrong:
        return _("{wrong} of {n} values differ from the expected ones.").format(wrong=wrong, n=len(expected))
    return None


def compare_scalar(answer: Any, expected: float, rtol: float = 1e-4, atol: float = ATOL) -> str | None:
    """Compare one number: equal when ``|answer - expected| <= atol + rtol * |expected|``.

    Set the precision the exercise asks for, e.g. whole units with
    ``functools.partial(compare_scalar, rtol=0, atol=0.5)``.

    >>> compare_scalar(0.5, 0.5) is None
    True
    >>> compare_scalar("0.5", 0.5)
    'Expected a number, got str.'
    >>> compare_scalar(float("nan"), 0.5)
    'Your answer is NaN (not a number): look for missing values or a division by zero.'
    >>> compare_scalar(41.4, 42, rtol=0, atol=0.5)
    'Your number is not the expected one.'
    """
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray)) and answer.size == 1:
        answer = np.asarray(answer).ravel()[0]
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.number)):
        return _("Expected a number, got {type}.").format(type=type_name(answer))
    if isinstance(answer, (complex, np.complexfloating)):
        return _("Expected a real number, got {type}.").format(type=type_name(answer))
    try:
        value = float(answer)
    except OverflowError:
        return _("Your number is far too large to be the answer.")
    if math.isnan(value):
        return _("Your answer is NaN (not a number): look for missing values or a division by zero.")
    if math.isinf(value):
        return _("Your answer is infinite: look for a division by zero.")
    if abs(value - float(expected)) <= atol + rtol * abs(float(expected)):
        return None
    return _("Your number is not the expected one.")


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
        raise NotComparable(_("Expected a dict (key -> choice), got {type}.").format(type=type_name(answer)))
    missing = [key for key in expected if key not in answer]
    if missing:
        raise NotComparable(_("Your dict has no entry for: {keys}.").format(keys=", ".join(missing)))
    wrong = [key for key, ok in expected.items() if chosen_option(answer, key) not in ok]
    return None if not wrong else _("Not the best choice for: {keys}.").format(keys=", ".join(wrong))


def chosen_option(answer: Any, key: str) -> str:
    """The choice a dict answer makes for ``key``, normalised to upper case ("" when there is none).

    Mistake rules use it to spot a specific wrong choice in a half-right answer.

    >>> chosen_option({"Champions": " e"}, "Champions"), chosen_option({}, "Lost"), chosen_option(3, "x")
    ('E', '', '')
    """
    if not isinstance(answer, Mapping) or key not in answer:
        return ""
    value = answer[key]
    return "" if value is None else _letter_text(str(value))


def _letter_text(text: str) -> str:
    """ " (b) " -> "B": the letter of an option, with the brackets and dots people type removed.

    Full-width forms typed with a Chinese input method count as the same: ``"（Ｂ）。"`` -> ``"B"``.

    >>> _letter_text(" (b) "), _letter_text("（Ｂ）。"), _letter_text("c、")
    ('B', 'B', 'C')
    """
    return unicodedata.normalize("NFKC", text).strip().strip("().:。、").strip().upper()


#: What separates option letters: commas, semicolons, slashes, spaces, "and", and their Chinese forms
#: (``、``, ``，``, ``；``, ``和``, ``与``, ``及``; full-width forms are normalised before splitting).
_SEPARATORS = re.compile(r"[,;/\s、]+|\band\b|[和与及]", flags=re.IGNORECASE)


def compare_choice(answer: Any, expected: frozenset[str]) -> str | None:
    """Compare one option letter (e.g. ``"B"``) with the set of acceptable letters.

    >>> compare_choice(" b ", frozenset("B")) is None
    True
    >>> compare_choice("C", frozenset("B"))
    'Not the best choice yet.'
    >>> compare_choice(2, frozenset("B"))
    Traceback (most recent call last):
    ...
    cvmlib.feedback.NotComparable: Expected one option letter as a string, e.g. "A", got int.
    """
    if not isinstance(answer, str):
        raise NotComparable(_('Expected one option letter as a string, e.g. "A", got {type}.').format(
            type=type_name(answer)))
    letter = _letter_text(answer)
    if not letter:
        raise NotComparable(_('Your answer is empty: give one option letter, e.g. "A".'))
    if len(letter) != 1 or not letter.isascii() or not letter.isalpha():
        raise NotComparable(_('Give exactly one option letter, e.g. "A" (this question has one best answer).'))
    return None if letter in {choice.upper() for choice in expected} else _("Not the best choice yet.")


def _letters(answer: Any) -> set[str]:
    if isinstance(answer, str):
        parts = [part for part in _SEPARATORS.split(unicodedata.normalize("NFKC", answer)) if part]
    elif isinstance(answer, (set, frozenset, list, tuple)):
        parts = list(answer)
        if not all(isinstance(part, str) for part in parts):
            raise NotComparable(_('Give the option letters as strings, e.g. {"A", "C"} or "A, C".'))
    else:
        raise NotComparable(_('Expected the option letters as a set or a string such as "A, C", got {type}.').format(
            type=type_name(answer)))
    letters = {_letter_text(part) for part in parts} - {""}
    if any(len(letter) != 1 or not letter.isascii() or not letter.isalpha() for letter in letters):
        raise NotComparable(_('Give single option letters separated by commas, e.g. "A, C".'))
    return letters


def compare_choice_set(answer: Any, expected: frozenset[str]) -> str | None:
    """Compare a "select all that apply" answer: exactly the set of letters that apply.

    The answer may be a set, list or tuple of letters, or a string such as ``"A, C"``.

    >>> compare_choice_set("a, c", frozenset("AC")) is None
    True
    >>> compare_choice_set(["A"], frozenset("AC"))
    'Not the right selection yet: at least one option that applies is missing.'
    >>> compare_choice_set({"A", "B", "C"}, frozenset("AC"))
    'Not the right selection yet: at least one option you chose does not apply.'
    """
    letters = _letters(answer)
    if not letters:
        raise NotComparable(_('You selected nothing: give the letters of all options that apply, e.g. "A, C".'))
    want = {choice.upper() for choice in expected}
    if letters == want:
        return None
    problems = []
    if letters - want:
        problems.append(_("at least one option you chose does not apply"))
    if want - letters:
        problems.append(_("at least one option that applies is missing"))
    return _("Not the right selection yet: {problems}.").format(problems=_("; ").join(problems))


def compare_values(answer: Any, expected: Any) -> str | None:
    """Dispatch on the kind of the expected answer (Series, mapping of choices, option letters or number)."""
    if isinstance(expected, pd.Series):
        return compare_series(answer, expected)
    if isinstance(expected, Mapping):
        return compare_mapping(answer, expected)
    if isinstance(expected, frozenset):
        return compare_choice(answer, expected)
    return compare_scalar(answer, expected)
