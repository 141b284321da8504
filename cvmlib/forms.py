"""Answer forms: the shape of an exercise's answer, for answering without writing Python.

A participant who does not program answers an interpretation, decision or skills exercise in a
form (choices, menus, a slider, text boxes: :func:`cvmlib.widgets.answer_form`, or a printed sheet);
the form turns what they chose into **exactly the plain Python answer a coder would pass** to
``check`` (a letter ``"B"``, a set of letters, a dict key -> letter, a text, a number), so both
paths meet the same check, the same named mistakes, the same tiers of help and the same progress log.

Each form describes one shape:

=====================  ==========================================  =====================================
form                   what the participant does                   the answer ``check`` receives
=====================  ==========================================  =====================================
:class:`Choice`        picks one option                            the option's letter: ``"B"``
:class:`MultiChoice`   ticks every option that applies             a set of letters: ``{"A", "C"}``
:class:`Number`        sets a number (slider or box)               an ``int`` (whole steps) or ``float``
:class:`Text`          writes a text                               a ``str``
:class:`TextFields`    writes one text per named field             a dict field -> ``str``
:class:`Mapping`       picks one option for each item              a dict item -> letter
:class:`Grouping`      puts each item into one group               a dict group -> list of items
=====================  ==========================================  =====================================

A form's *value* is what its widgets hold (``None`` for nothing picked yet, ``""`` for an empty
box); :meth:`Form.answer` turns it into the answer, and an incomplete value into the placeholder a
coder starts from (``...``, or a dict with ``...`` for the items left open), which ``check`` reports as
"not answered yet" without counting an attempt. :meth:`Form.value_for` goes the other way (from an
answer to the form value that gives it; a set of acceptable letters becomes its first letter), and
:meth:`Form.describe` says an answer in words, as the form shows it (model answers, print sheets).

Texts in two languages
----------------------
The texts of a form (option texts, item texts, field labels, groups, the unit) are
:data:`cvmlib.feedback.Text`: English messages marked with ``N_`` (translated when shown) or
zero-argument callables returning the translated text. Mappings that translate when read (such as
:class:`cvmlib.exercises.wrong_answers.Options`) work as they are. The values (letters, item keys,
group keys) never depend on the language.

Each exercise carries its form (``Exercise.form``), built from the same constants its check compares
against; :func:`form_of` finds it by the exercise id.

Examples
--------
>>> from cvmlib.i18n import N_
>>> form = Choice({"A": N_("English"), "B": N_("Chinese")})
>>> form.answer("B"), form.answer(None)
('B', Ellipsis)
>>> form.value_for(frozenset("B")), form.describe("B")
('B', ['B) Chinese'])
>>> form_of("communication.nps_report").__class__.__name__
'Choice'
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from typing import Any, ClassVar

from cvmlib.feedback import Text as Message
from cvmlib.feedback import shown_text
from cvmlib.i18n import N_, _, format_list
from cvmlib.validate import InputError

__all__ = ["Choice", "Form", "FormValueError", "Grouping", "Mapping", "MultiChoice", "Number", "Text",
           "TextFields", "form_of"]

#: How the widgets and sheets show a letter with its text: ``B) Report the NPS ...``.
OPTION_FORMAT = N_("{letter}) {text}")


class FormValueError(InputError):
    """A value a form cannot hold (an unknown option, a number off the scale); the message names both."""


def _texts(texts: Any, what: str) -> None:
    """Check that ``texts`` is a non-empty mapping key -> text with string keys (kept as it is: a
    mapping that translates when read, such as ``Options``, stays live)."""
    if not isinstance(texts, MappingABC) or not texts:
        raise InputError(_("{what} must be a non-empty mapping key -> text; got {value!r}.").format(
            what=what, value=texts))
    bad = [key for key in texts if not isinstance(key, str) or not key]
    if bad:
        raise InputError(_("{what} must have non-empty string keys; offending keys: {keys!r}.").format(
            what=what, keys=bad))


def _letter(value: Any) -> str:
    """A choice as a participant may write it: ``" b "`` -> ``"B"`` (only strings; anything else unchanged)."""
    return value.strip().upper() if isinstance(value, str) else value


def _pick(value: Any, options: MappingABC[str, Message], what: str) -> str:
    """The option key of ``value`` (a key, or a set of acceptable keys: the first in the options' order)."""
    if isinstance(value, (set, frozenset, list, tuple)):
        wanted = {_letter(v) for v in value}
        for key in options:
            if key.upper() in wanted:
                return key
        raise FormValueError(_("{what}: none of {value!r} is an option ({options}).").format(
            what=what, value=sorted(map(str, value)), options=", ".join(options)))
    for key in options:
        if key.upper() == _letter(value):
            return key
    raise FormValueError(_("{what}: {value!r} is not an option ({options}).").format(
        what=what, value=value, options=", ".join(options)))


def _option_line(key: str, text: Message) -> str:
    return _(OPTION_FORMAT).format(letter=key, text=shown_text(text))


class Form:
    """The shape of one exercise's answer: what a participant fills in, and the answer it gives.

    Subclasses define :meth:`blank`, :meth:`answer`, :meth:`value_for` and :meth:`describe`.
    """

    #: The name of the shape (``"choice"``, ``"mapping"``, ...), for code that lays out a form (print sheets).
    kind: ClassVar[str] = "form"

    def blank(self) -> Any:
        """The value of the form before anything is filled in."""
        raise NotImplementedError

    def answer(self, value: Any) -> Any:
        """The plain Python answer that ``value`` gives, exactly as a coder would pass it to ``check``.

        An incomplete value gives the coder's placeholder (``...``, or ``...`` for each open item of a
        dict), which ``check`` reports as not answered yet.

        Raises
        ------
        FormValueError
            For a value the form cannot hold (an unknown option, a number off the scale).
        """
        raise NotImplementedError

    def value_for(self, answer: Any) -> Any:
        """The form value whose :meth:`answer` is ``answer`` (e.g. the model answer, to show it in the form).

        A set of acceptable options (how an exercise states its right answer) becomes its first option.

        Raises
        ------
        FormValueError
            If the form cannot express ``answer``.
        """
        raise NotImplementedError

    def describe(self, answer: Any) -> list[str]:
        """``answer`` in words, one line per part, as the form shows it (in the language in force)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Choice(Form):
    """One option out of several; the answer is its letter (``"B"``).

    Parameters
    ----------
    options : mapping of str to Text
        Letter -> option text (translated when shown).

    Examples
    --------
    >>> form = Choice({"A": "low", "B": "high"})
    >>> form.answer("A"), form.value_for("b"), form.choices()
    ('A', 'B', [('A', 'A) low'), ('B', 'B) high')])
    >>> form.answer("C")
    Traceback (most recent call last):
    ...
    cvmlib.forms.FormValueError: the choice: 'C' is not an option (A, B).
    """

    options: MappingABC[str, Message]
    kind: ClassVar[str] = "choice"

    def __post_init__(self) -> None:
        _texts(self.options, _("the options of a Choice"))

    def choices(self) -> list[tuple[str, str]]:
        """(letter, ``"A) text"``) for each option, in the language in force."""
        return [(key, _option_line(key, self.options[key])) for key in self.options]

    def blank(self) -> None:
        return None

    def answer(self, value: Any) -> Any:
        if value is None:
            return ...
        return _pick(value, self.options, _("the choice"))

    def value_for(self, answer: Any) -> str:
        return _pick(answer, self.options, _("the choice"))

    def describe(self, answer: Any) -> list[str]:
        key = self.value_for(answer)
        return [_option_line(key, self.options[key])]


def _letters_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part for part in (p.strip() for p in value.replace(";", ",").split(",")) if part]
    if isinstance(value, Iterable):
        return list(value)
    raise FormValueError(_("the selection: expected the chosen letters, got {value!r}.").format(value=value))


@dataclass(frozen=True)
class MultiChoice(Form):
    """Every option that applies; the answer is the set of their letters (``{"A", "C"}``).

    Nothing ticked is not an answer yet (``...``): a participant who has not chosen has not answered.

    Examples
    --------
    >>> form = MultiChoice({"A": "one", "B": "two", "C": "three"})
    >>> sorted(form.answer(("C", "A"))), form.answer(())
    (['A', 'C'], Ellipsis)
    >>> form.value_for(frozenset("CA")), form.value_for("a, c")
    (('A', 'C'), ('A', 'C'))
    """

    options: MappingABC[str, Message]
    kind: ClassVar[str] = "multichoice"

    def __post_init__(self) -> None:
        _texts(self.options, _("the options of a MultiChoice"))

    def choices(self) -> list[tuple[str, str]]:
        """(letter, ``"A) text"``) for each option, in the language in force."""
        return [(key, _option_line(key, self.options[key])) for key in self.options]

    def blank(self) -> tuple[str, ...]:
        return ()

    def answer(self, value: Any) -> Any:
        if value is None:
            return ...
        chosen = {_pick(letter, self.options, _("the selection")) for letter in _letters_of(value)}
        return chosen if chosen else ...

    def value_for(self, answer: Any) -> tuple[str, ...]:
        chosen = {_pick(letter, self.options, _("the selection")) for letter in _letters_of(answer)}
        return tuple(key for key in self.options if key in chosen)

    def describe(self, answer: Any) -> list[str]:
        return [_option_line(key, self.options[key]) for key in self.value_for(answer)]


@dataclass(frozen=True)
class Number(Form):
    """A number on a scale from ``min`` to ``max`` in steps of ``step``; ``unit`` is shown beside it.

    With whole-number bounds and step the answer is an ``int`` (as a coder writes ``k = 4``), else a
    ``float``. A value off the scale or off the steps is refused with a message naming it.

    Examples
    --------
    >>> form = Number(2, 8, 1)
    >>> form.answer(4), type(form.answer(4.0)).__name__, form.blank()
    (4, 'int', 2)
    >>> Number(0, 1, 0.05, unit="share").answer(0.35)
    0.35
    >>> form.answer(9)
    Traceback (most recent call last):
    ...
    cvmlib.forms.FormValueError: the number: 9 is off the scale (2 to 8 in steps of 1).
    """

    min: float
    max: float
    step: float = 1
    unit: Message | None = None
    kind: ClassVar[str] = "number"

    def __post_init__(self) -> None:
        numbers = (self.min, self.max, self.step)
        if not all(isinstance(n, (int, float)) and not isinstance(n, bool) and math.isfinite(n) for n in numbers):
            raise InputError(_("Number needs finite numbers for min, max and step; got {values!r}.").format(
                values=numbers))
        if not self.max > self.min or not self.step > 0:
            raise InputError(_("Number needs min < max and a step > 0; got min={min!r}, max={max!r}, "
                               "step={step!r}.").format(min=self.min, max=self.max, step=self.step))
        steps = (self.max - self.min) / self.step
        if abs(steps - round(steps)) > 1e-9:
            raise InputError(_("Number: the step {step!r} does not divide the scale {min!r} to {max!r}.").format(
                step=self.step, min=self.min, max=self.max))

    @property
    def whole(self) -> bool:
        """Whether the answers are whole numbers (whole bounds and step)."""
        return all(float(n).is_integer() for n in (self.min, self.max, self.step))

    @property
    def steps(self) -> int:
        """How many steps the scale has."""
        return round((self.max - self.min) / self.step)

    def blank(self) -> float:
        return int(self.min) if self.whole else float(self.min)

    def _on_scale(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise FormValueError(_("the number: expected a number, got {value!r}.").format(value=value))
        position = (value - self.min) / self.step
        tolerance = 1e-6
        if not -tolerance <= position <= self.steps + tolerance or abs(position - round(position)) > tolerance:
            raise FormValueError(_("the number: {value!r} is off the scale ({min:g} to {max:g} in steps of "
                                   "{step:g}).").format(value=value, min=self.min, max=self.max, step=self.step))
        # on the grid exactly: 0.35 stays 0.35, not 0.35000000000000003
        return round(self.min + round(position) * self.step, 12)

    def answer(self, value: Any) -> Any:
        if value is None:
            return ...
        number = self._on_scale(value)
        return int(number) if self.whole else float(number)

    def value_for(self, answer: Any) -> float:
        return self.answer(answer)

    def describe(self, answer: Any) -> list[str]:
        number = self.answer(answer)
        unit = shown_text(self.unit)
        return [_("{number} {unit}").format(number=number, unit=unit).strip() if unit else str(number)]


@dataclass(frozen=True)
class Text(Form):
    """A written answer of about ``lines`` lines; the answer is the text (``str``).

    An empty box (or only spaces) is not an answer yet (``...``).

    Examples
    --------
    >>> Text(lines=3).answer("  We will call you on Monday. "), Text().answer("  ")
    ('We will call you on Monday.', Ellipsis)
    """

    lines: int = 4
    placeholder: Message | None = None
    kind: ClassVar[str] = "text"

    def __post_init__(self) -> None:
        if isinstance(self.lines, bool) or not isinstance(self.lines, int) or self.lines < 1:
            raise InputError(_("Text needs lines >= 1; got {lines!r}.").format(lines=self.lines))

    def blank(self) -> str:
        return ""

    def answer(self, value: Any) -> Any:
        if value is None:
            return ...
        if not isinstance(value, str):
            raise FormValueError(_("the text: expected a string, got {value!r}.").format(value=value))
        return value.strip() or ...

    def value_for(self, answer: Any) -> str:
        if not isinstance(answer, str):
            raise FormValueError(_("the text: expected a string, got {value!r}.").format(value=answer))
        return answer

    def describe(self, answer: Any) -> list[str]:
        return [self.value_for(answer)]


@dataclass(frozen=True)
class TextFields(Form):
    """One written text per named field; the answer is a dict field -> text.

    Parameters
    ----------
    fields : mapping of str to Text
        Field key (what the answer's dict uses) -> its label.
    lines : int
        Lines of each box.

    Examples
    --------
    >>> form = TextFields({"open": "open question", "closed": "closed question"})
    >>> form.answer({"open": "What happened?", "closed": " "})
    {'open': 'What happened?', 'closed': Ellipsis}
    """

    fields: MappingABC[str, Message]
    lines: int = 1
    kind: ClassVar[str] = "textfields"

    def __post_init__(self) -> None:
        _texts(self.fields, _("the fields of a TextFields form"))
        if isinstance(self.lines, bool) or not isinstance(self.lines, int) or self.lines < 1:
            raise InputError(_("TextFields needs lines >= 1; got {lines!r}.").format(lines=self.lines))

    def blank(self) -> dict[str, str]:
        return dict.fromkeys(self.fields, "")

    def answer(self, value: Any) -> Any:
        if value is None:
            return ...
        if not isinstance(value, MappingABC):
            raise FormValueError(_("the fields: expected a dict field -> text, got {value!r}.").format(value=value))
        unknown = [key for key in value if key not in self.fields]
        if unknown:
            raise FormValueError(_("the fields: unknown field(s) {keys!r} (the fields are {fields}).").format(
                keys=unknown, fields=", ".join(self.fields)))
        out: dict[str, Any] = {}
        for key in self.fields:
            text = value.get(key)
            if text is not None and not isinstance(text, str):
                raise FormValueError(_("the field {key!r}: expected a string, got {value!r}.").format(
                    key=key, value=text))
            out[key] = (text or "").strip() or ...
        return out

    def value_for(self, answer: Any) -> dict[str, str]:
        if not isinstance(answer, MappingABC):
            raise FormValueError(_("the fields: expected a dict field -> text, got {value!r}.").format(value=answer))
        return {key: str(answer.get(key, "")) for key in self.fields}

    def describe(self, answer: Any) -> list[str]:
        value = self.value_for(answer)
        # a label that is a question ("When: the date or deadline?") loses its end mark before the colon
        return [_("{label}: {text}").format(label=shown_text(self.fields[key]).rstrip("?？:："), text=value[key])
                for key in self.fields]


@dataclass(frozen=True)
class Mapping(Form):
    """One option for each item ("label each statement"); the answer is a dict item -> letter.

    Parameters
    ----------
    items : mapping of str to Text
        Item key (what the answer's dict uses) -> the item's text.
    options : mapping of str to Text
        Letter (or label) -> option text, the same for every item.
    item_options : mapping of str to mapping of str to Text, optional
        Items with options of their own (a quiz of several questions): item -> its options.
    show_keys : bool
        Show each item's key beside its text (hints may name an item by its key, "s2").

    Examples
    --------
    >>> form = Mapping({"s1": "You called three times.", "s2": "You always complain."},
    ...                {"observation": "observation", "evaluation": "evaluation"})
    >>> form.answer({"s1": "observation", "s2": None})
    {'s1': 'observation', 's2': Ellipsis}
    >>> form.value_for({"s1": frozenset({"OBSERVATION"}), "s2": "evaluation"})
    {'s1': 'observation', 's2': 'evaluation'}
    """

    items: MappingABC[str, Message]
    options: MappingABC[str, Message] = field(default_factory=dict)
    item_options: MappingABC[str, MappingABC[str, Message]] = field(default_factory=dict)
    show_keys: bool = True
    kind: ClassVar[str] = "mapping"

    def __post_init__(self) -> None:
        _texts(self.items, _("the items of a Mapping"))
        if not isinstance(self.item_options, MappingABC):
            raise InputError(_("item_options must be a mapping item -> options; got {value!r}.").format(
                value=self.item_options))
        unknown = [key for key in self.item_options if key not in self.items]
        if unknown:
            raise InputError(_("item_options names items that are not in items: {keys!r}.").format(keys=unknown))
        for key in self.items:
            _texts(self.options_for(key), _("the options of item {key!r}").format(key=key))

    def options_for(self, item: str) -> MappingABC[str, Message]:
        """The options of ``item``: its own, else the shared ones."""
        return self.item_options.get(item, self.options)

    def rows(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """(item key, item text, [(option key, shown option)]) per item, in the language in force."""
        return [(key, shown_text(self.items[key]), self.choices(key)) for key in self.items]

    def choices(self, item: str) -> list[tuple[str, str]]:
        """(option key, what a menu shows) for the options of ``item``: ``"A) text"`` for letters, else the text."""
        options = self.options_for(item)
        return [(key, _option_line(key, text) if len(key) == 1 else shown_text(text)) for key, text in options.items()]

    def blank(self) -> dict[str, None]:
        return dict.fromkeys(self.items)

    def _checked(self, value: Any) -> MappingABC[str, Any]:
        if not isinstance(value, MappingABC):
            raise FormValueError(_("the items: expected a dict item -> option, got {value!r}.").format(value=value))
        unknown = [key for key in value if key not in self.items]
        if unknown:
            raise FormValueError(_("the items: unknown item(s) {keys!r} (the items are {items}).").format(
                keys=unknown, items=", ".join(self.items)))
        return value

    def answer(self, value: Any) -> Any:
        if value is None:
            return ...
        value = self._checked(value)
        return {key: ... if value.get(key) is None else _pick(value[key], self.options_for(key), key)
                for key in self.items}

    def value_for(self, answer: Any) -> dict[str, str]:
        answer = self._checked(answer)
        missing = [key for key in self.items if key not in answer]
        if missing:
            raise FormValueError(_("the items: no option for {keys!r}.").format(keys=missing))
        return {key: _pick(answer[key], self.options_for(key), key) for key in self.items}

    def describe(self, answer: Any) -> list[str]:
        value = self.value_for(answer)
        shown = dict(zip(self.items, (dict(self.choices(key)) for key in self.items)))
        return [_("{item} → {option}").format(item=shown_text(self.items[key]), option=shown[key][value[key]])
                for key in self.items]


@dataclass(frozen=True)
class Grouping(Form):
    """Each item into one group ("sort the traits into the panes"); the answer is a dict group -> list of items.

    The form's value is item -> group (one menu per item); the answer lists, for every group, its
    items in the items' order (a group nobody chose gets an empty list). Until every item has a
    group the answer is ``...``.

    Examples
    --------
    >>> form = Grouping({"calm": "calm", "quiet": "quiet"}, {"open": "open", "hidden": "hidden"})
    >>> form.answer({"calm": "open", "quiet": "open"})
    {'open': ['calm', 'quiet'], 'hidden': []}
    >>> form.value_for({"open": {"quiet"}, "hidden": ["calm"]})
    {'calm': 'hidden', 'quiet': 'open'}
    """

    items: MappingABC[str, Message]
    groups: MappingABC[str, Message]
    kind: ClassVar[str] = "grouping"

    def __post_init__(self) -> None:
        _texts(self.items, _("the items of a Grouping"))
        _texts(self.groups, _("the groups of a Grouping"))

    def choices(self) -> list[tuple[str, str]]:
        """(group key, its shown name) for each group, in the language in force."""
        return [(key, shown_text(text)) for key, text in self.groups.items()]

    def blank(self) -> dict[str, None]:
        return dict.fromkeys(self.items)

    def answer(self, value: Any) -> Any:
        if value is None:
            return ...
        if not isinstance(value, MappingABC):
            raise FormValueError(_("the items: expected a dict item -> group, got {value!r}.").format(value=value))
        unknown = [key for key in value if key not in self.items]
        if unknown:
            raise FormValueError(_("the items: unknown item(s) {keys!r} (the items are {items}).").format(
                keys=unknown, items=", ".join(self.items)))
        chosen = {key: value.get(key) for key in self.items}
        if any(group is None for group in chosen.values()):
            return ...
        picked = {key: _pick(group, self.groups, key) for key, group in chosen.items()}
        return {group: [key for key in self.items if picked[key] == group] for group in self.groups}

    def value_for(self, answer: Any) -> dict[str, str]:
        if not isinstance(answer, MappingABC):
            raise FormValueError(_("the groups: expected a dict group -> items, got {value!r}.").format(value=answer))
        value: dict[str, str] = {}
        for group, members in answer.items():
            key = _pick(group, self.groups, _("the groups"))
            for item in ([members] if isinstance(members, str) else members):
                if item not in self.items:
                    raise FormValueError(_("the groups: {item!r} is not an item.").format(item=item))
                if value.get(item, key) != key:
                    raise FormValueError(_("the groups: {item!r} is in two groups.").format(item=item))
                value[item] = key
        missing = [item for item in self.items if item not in value]
        if missing:
            raise FormValueError(_("the groups: no group for {items!r}.").format(items=missing))
        return {item: value[item] for item in self.items}

    def describe(self, answer: Any) -> list[str]:
        value = self.value_for(answer)
        return [_("{group} → {items}").format(
            group=shown_text(text),
            items=format_list(shown_text(self.items[item]) for item in self.items if value[item] == key) or "-")
            for key, text in self.groups.items()]


def form_of(exercise_id: str) -> Form | None:
    """The answer form of an exercise, or None for an exercise answered with code only.

    Raises
    ------
    KeyError
        For an unknown exercise id (the message lists the topic's exercises).

    Examples
    --------
    >>> form_of("complaints.maslow_levels").kind, form_of("rfm.recency") is None
    ('mapping', True)
    """
    from cvmlib.exercises import get_exercise  # the exercises import this module: look up when asked

    return get_exercise(exercise_id).form
