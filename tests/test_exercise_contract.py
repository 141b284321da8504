"""The exercise contract, checked for every exercise of every chapter (a new chapter gets it for free).

For each exercise found through ``cvmlib.exercises.TOPICS``:

(a) the expected answer, written as a participant would (a letter for a choice, ...), passes;
(b) odd answers (None-ish, wrong types, empty containers, NaN, inf, booleans, numbers as text,
    objects that claim equality, pandas subclasses, a dict whose ``.get`` lies, ...) never pass,
    never raise, and never get to see an expected value;
(c) generic near misses derived from the expected answer never pass: a number off by 0.1 % or by
    one unit, a Series with one row dropped, one value changed or one id too many, a mapping with
    one choice changed, each other option letter;
(d) the exercise defines its own ``near_misses()``, and none of them passes;
(e) no message, for any answer tried, shows an expected value (as a participant would see it:
    repr, str, rounded to 0-4 decimals, with thousands separators, as a percentage) or a line of
    solution code from the notebooks;
(f) the computed answer of each named mistake is recognised, and its hint is not the generic
    fallback.

Known failures of existing exercises are listed in :data:`KNOWN_CONTRACT_FAILURES` (strict xfail:
the entry must go when the exercise is fixed).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cvmlib.exercises import TOPICS, check, exercise_ids, get_exercise
from cvmlib.feedback import Exercise, Feedback, evaluate, to_plain
from tests.tricky_answers import (
    SEEN,
    AlwaysEqual,
    FakeSeriesClass,
    LoggingSeries,
    LyingArray,
    LyingDict,
    LyingFloat,
    LyingFrame,
    LyingSeries,
    LyingStr,
)

#: (exercise id, case) -> what goes wrong. Found by this test in exercises owned by others; each
#: entry is a strict xfail, so it must be removed in the same change that fixes the exercise.
KNOWN_CONTRACT_FAILURES: dict[tuple[str, str], str] = {
}

ROOT = Path(__file__).resolve().parents[1]
ALL_IDS = [exercise_id for topic in TOPICS for exercise_id in exercise_ids(topic)]
LETTERS = "ABCDEFG"


# ----------------------------------------------------------------------------------------------
# Cached exercises: the expected answer, the mistakes' answers and the near misses computed once
# ----------------------------------------------------------------------------------------------


def _memo(function: Callable[[], Any] | None) -> Callable[[], Any] | None:
    return None if function is None else functools.cache(function)


@functools.cache
def exercise(exercise_id: str) -> Exercise:
    """The exercise with every zero-argument computation cached (evaluate itself is unchanged)."""
    ex = get_exercise(exercise_id)
    mistakes = tuple(dataclasses.replace(m, answer=_memo(m.answer), variants=_memo(m.variants)) for m in ex.mistakes)
    return dataclasses.replace(ex, expected=_memo(ex.expected), mistakes=mistakes, near_misses=_memo(ex.near_misses))


def expected(exercise_id: str) -> Any:
    return exercise(exercise_id).expected()


# type() checks only: isinstance() and a subclass's own methods would run code of the tricky answers
def _is_letters(value: Any) -> bool:
    return type(value) is frozenset and all(type(x) is str and len(x) == 1 for x in value)


def _is_choice_mapping(value: Any) -> bool:
    """key -> frozenset of acceptable choices (option letters or labels such as team names)."""
    return type(value) is dict and bool(value) and all(
        type(v) is frozenset and all(type(x) is str for x in v) for v in value.values())


def _wrong_choice(value: dict, ok: frozenset) -> str:
    """A choice another key could take that is not acceptable here (a letter for lettered choices)."""
    options = sorted(set().union(*value.values()))
    if all(len(option) == 1 for option in options):
        options = list(LETTERS)
    return next((option for option in options if option not in ok), "ZZ_none")


def _candidates(value: Any) -> list[Any]:
    """The expected answer as a participant would write it, most likely form first."""
    if _is_letters(value):
        letters = sorted(value)
        return [letters[0], ", ".join(letters), set(letters)]
    if type(value) is frozenset:
        return [sorted(value, key=str)]
    if _is_choice_mapping(value):
        return [{key: sorted(ok)[0] for key, ok in value.items()}]
    return [value]


@functools.cache
def answer_form(exercise_id: str) -> Any:
    """The first participant-form of the expected answer that passes (None if none does)."""
    ex = exercise(exercise_id)
    for candidate in _candidates(ex.expected()):
        if evaluate(ex, candidate).correct:
            return candidate
    return None


# ----------------------------------------------------------------------------------------------
# What a message must never contain
# ----------------------------------------------------------------------------------------------


def _significant(text: str) -> int:
    return len(text.lstrip("-").replace(",", "").replace(".", "").lstrip("0"))


def number_renderings(x: Any, scalar: bool) -> set[str]:
    """How a participant could see the number ``x`` in a message (scalar answers: even short forms)."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.number)):
        return set()
    value = float(x)
    if not math.isfinite(value):
        return set()
    shown: set[str] = set()
    if value.is_integer():
        n = int(value)
        if scalar or abs(n) >= 100:
            shown |= {str(n), f"{n:,}", f"{n}.0"}
        return shown
    need = 2 if scalar else 3
    shown |= {repr(value), str(value)}
    for decimals in range(1, 5):
        for form in (f"{value:.{decimals}f}", f"{value:,.{decimals}f}"):
            if _significant(form) >= need:
                shown.add(form)
    if abs(value) >= 100:
        shown |= {f"{value:.0f}", f"{value:,.0f}"}
    if abs(value) <= 1.5:
        for decimals in range(0, 3):
            percent = f"{100 * value:.{decimals}f}"
            if _significant(percent) >= need:
                shown.add(percent + "%")
                if decimals:
                    shown.add(percent)
    return shown


def _sample(values: np.ndarray, k: int = 25) -> np.ndarray:
    if len(values) <= 50:
        return values
    return np.sort(values)[np.linspace(0, len(values) - 1, k).astype(int)]


@functools.cache
def expected_renderings(exercise_id: str) -> tuple[str, ...]:
    value = expected(exercise_id)
    shown: set[str] = set()
    if isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_)):
        shown = number_renderings(value, scalar=True)
    elif isinstance(value, (pd.Series, pd.DataFrame)):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        for column in frame.columns:
            if pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
                numbers = frame[column].to_numpy(dtype=float, na_value=np.nan)
                for number in _sample(numbers[np.isfinite(numbers)]):
                    shown |= number_renderings(number, scalar=False)
    return tuple(sorted(shown, key=len, reverse=True))


@functools.cache
def solution_lines() -> tuple[str, ...]:
    """Lines of solution code (>= 8 characters, not comments) of every source notebook."""
    lines: set[str] = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code" and "solution" in cell.get("metadata", {}).get("tags", []):
                source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                for line in source.splitlines():
                    line = line.strip()
                    # a bare name (a cell showing a variable) is not code anyone could copy
                    if len(line) >= 8 and not line.startswith("#") and not re.fullmatch(r"[\w.]+", line):
                        lines.add(line)
    return tuple(sorted(lines))


@functools.cache
def _renderings_pattern(exercise_id: str) -> re.Pattern[str] | None:
    """One regex for all renderings, each standing alone (0.23 must not match inside 10.234)."""
    shown = expected_renderings(exercise_id)
    if not shown:
        return None
    return re.compile(r"(?<![\d.])(?:" + "|".join(map(re.escape, shown)) + r")(?![\d])")


def leaks(exercise_id: str, text: str) -> list[str]:
    """The expected values and solution code lines that ``text`` shows."""
    found = [line for line in solution_lines() if line in text]
    pattern = _renderings_pattern(exercise_id)
    if pattern is not None:
        found += pattern.findall(text)
    return found


# ----------------------------------------------------------------------------------------------
# The answers tried
# ----------------------------------------------------------------------------------------------


def _self_list() -> list:
    nested: list = []
    nested.append(nested)
    return nested


def _rows(value: Any) -> pd.Index:
    return value.index if isinstance(value, (pd.Series, pd.DataFrame)) else pd.RangeIndex(3)


def _keys(value: Any) -> list[Any]:
    return list(value) if isinstance(value, dict) else ["a", "b"]


def odd_answers(value: Any) -> dict[str, Callable[[], Any]]:
    """Answers that are never right, whatever the exercise."""
    def lying_dict() -> LyingDict:
        liar = LyingDict({key: "Z" for key in _keys(value)})
        if _is_choice_mapping(value):
            liar.choice = next(iter(next(iter(value.values()))))  # .get would answer a right choice
        return liar

    cases: dict[str, Callable[[], Any]] = {
        "none": lambda: None, "ellipsis": lambda: ..., "object": object, "empty_list": list, "empty_tuple": tuple,
        "empty_dict": dict, "empty_set": set, "empty_str": str, "blank_str": lambda: "   ",
        "empty_series": lambda: pd.Series(dtype=float), "empty_frame": pd.DataFrame,
        "empty_array": lambda: np.array([]), "nan": lambda: float("nan"), "inf": lambda: float("inf"),
        "neg_inf": lambda: -float("inf"), "huge": lambda: 1e308, "neg_huge": lambda: -1e308,
        "huge_int": lambda: 10**400, "minus_one": lambda: -1, "negative": lambda: -12345.678, "zero": lambda: 0,
        "true": lambda: True, "false": lambda: False, "np_true": lambda: np.bool_(True),
        "str_number": lambda: "0.5", "str_nan": lambda: "nan", "placeholder_text": lambda: "tbc",
        "always_equal": AlwaysEqual, "lying_float": lambda: LyingFloat(-7.0), "lying_str": lambda: LyingStr("Z"),
        "lying_dict": lying_dict, "fake_class": FakeSeriesClass, "generator": lambda: (x for x in ()),
        "function": lambda: (lambda: None), "self_list": _self_list, "list_of_always_equal": lambda: [AlwaysEqual()],
        "lying_series": lambda: LyingSeries(np.zeros(len(_rows(value))), index=_rows(value)),
        "logging_series": lambda: LoggingSeries(np.zeros(len(_rows(value))), index=_rows(value)),
        "lying_frame": lambda: LyingFrame({"x": np.zeros(len(_rows(value)))}, index=_rows(value)),
        "lying_array": lambda: np.zeros(len(_rows(value))).view(LyingArray),
        "series_of_always_equal": lambda: pd.Series([AlwaysEqual() for _ in _rows(value)], index=_rows(value),
                                                    dtype=object),
        "series_nan": lambda: pd.Series(np.nan, index=_rows(value)),
        "series_inf": lambda: pd.Series(np.inf, index=_rows(value)),
        "series_true": lambda: pd.Series(True, index=_rows(value)),
        "dict_of_always_equal": lambda: {key: AlwaysEqual() for key in _keys(value)},
        "dict_of_lying_str": lambda: {key: LyingStr("Z") for key in _keys(value)},
        "dict_of_numbers": lambda: {key: 1 for key in _keys(value)},
        "dict_of_none": lambda: {key: None for key in _keys(value)},
        "dict_of_lists": lambda: {key: ["Z"] for key in _keys(value)},
    }
    if isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_)):
        cases["str_expected"] = lambda: str(value)
        cases["str_expected_rounded"] = lambda: f"{float(value):.2f}"
        cases["list_of_expected"] = lambda: [value, value]
    if isinstance(value, pd.Series) and pd.api.types.is_numeric_dtype(value) and not pd.api.types.is_bool_dtype(value):
        cases["series_as_text"] = lambda: value.astype(str)
        cases["series_dict_of_text"] = lambda: {key: str(v) for key, v in value.items()}
    if isinstance(value, pd.Series):
        cases["series_two_columns"] = lambda: pd.DataFrame({"a": value, "b": value})
        if not value.index.equals(pd.RangeIndex(len(value))):  # ids 0..n-1: the values alone are the answer
            cases["series_ids_lost"] = lambda: pd.Series(value.to_numpy())
    return cases


def _unit(x: float, integral: bool) -> float:
    return 1.0 if integral or abs(x) >= 1 else 1e-4


def _middle(series: pd.Series) -> Any:
    """The label of a row in the middle of the values (neither an extreme nor the first row)."""
    order = np.argsort(series.to_numpy(), kind="stable") if pd.api.types.is_numeric_dtype(series) else \
        np.arange(len(series))
    return series.index[order[len(order) // 2]]


def _extra_label(index: pd.Index) -> Any:
    if pd.api.types.is_integer_dtype(index):
        return int(index.max()) + 1
    if pd.api.types.is_string_dtype(index) or index.dtype == object:
        return "ZZ_not_a_customer"
    return "extra"


def _changed_series(value: pd.Series) -> pd.Series:
    out = value.copy()
    label = _middle(out)
    if pd.api.types.is_bool_dtype(out):
        out = out.astype(object)
        out[label] = not value[label]
        return out
    if pd.api.types.is_numeric_dtype(out):
        numbers = out.to_numpy(dtype=float)
        integral = bool(np.all(np.isfinite(numbers)) and np.all(numbers == np.round(numbers)))
        out = out.astype(float)
        old = float(value[label])
        out[label] = old + 1 if integral else (old * 1.01 if old else old + _unit(old, False))
        return out
    others = [v for v in pd.unique(value.dropna().astype(str)) if v != str(value[label])]
    out = out.astype(object)
    out[label] = others[0] if others else "ZZ_other"
    return out


def _changed_frame(value: pd.DataFrame) -> pd.DataFrame:
    out = value.copy()
    column = next((c for c in value.columns if pd.api.types.is_numeric_dtype(value[c])), value.columns[0])
    out[column] = _changed_series(value[column])
    return out


def near_misses(value: Any, form: Any) -> dict[str, Callable[[], Any]]:
    """Small, plausible wrong answers derived from the expected answer."""
    cases: dict[str, Callable[[], Any]] = {}
    if isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_)):
        x = float(value)
        unit = _unit(x, isinstance(value, (int, np.integer)) or x.is_integer())
        cases |= {"scaled_up_0.1%": lambda: x * (1 + 1e-3), "scaled_down_0.1%": lambda: x * (1 - 1e-3),
                  "plus_one_unit": lambda: x + unit, "minus_one_unit": lambda: x - unit}
    elif isinstance(value, pd.Series) and len(value):
        label = _middle(value)
        cases |= {"one_row_dropped": lambda: value.drop(index=label),
                  "one_value_changed": lambda: _changed_series(value),
                  "one_extra_id": lambda: pd.concat([value, pd.Series([value.iloc[0]], index=[_extra_label(value.index)])])}
    elif isinstance(value, pd.DataFrame) and len(value):
        cases |= {"one_row_dropped": lambda: value.drop(index=value.index[len(value) // 2]),
                  "one_value_changed": lambda: _changed_frame(value),
                  "one_extra_row": lambda: pd.concat([value, value.iloc[[0]].set_axis([_extra_label(value.index)])])}
    elif _is_choice_mapping(value) and isinstance(form, dict):
        for key, ok in value.items():
            wrong = _wrong_choice(value, ok)
            cases[f"choice_changed:{key}"] = functools.partial(lambda k, w: {**form, k: w}, key, wrong)
        first = next(iter(value))
        cases["one_key_missing"] = lambda: {k: v for k, v in form.items() if k != first}
    elif _is_letters(value) and isinstance(form, str) and len(form) == 1:
        for letter in LETTERS:
            if letter not in value:
                cases[f"other_letter:{letter}"] = functools.partial(lambda l: l, letter)
                cases[f"other_letter_lower:{letter}"] = functools.partial(lambda l: f" {l.lower()} ", letter)
        cases["two_letters"] = lambda: ", ".join(sorted(set(value) | {next(l for l in LETTERS if l not in value)}))
    elif _is_letters(value):
        letters = set(value)
        for letter in LETTERS:
            if letter in letters and len(letters) > 1:
                cases[f"without:{letter}"] = functools.partial(lambda l: ", ".join(sorted(letters - {l})), letter)
            elif letter not in letters:
                cases[f"with_extra:{letter}"] = functools.partial(lambda l: ", ".join(sorted(letters | {l})), letter)
    elif isinstance(value, frozenset) and value:
        labels = sorted(value)
        for label in labels:
            cases[f"without:{label}"] = functools.partial(lambda l: [x for x in labels if x != l], label)
        cases["with_extra_label"] = lambda: [*labels, "zz_not_a_label"]
    elif isinstance(value, dict) and value and all(isinstance(v, (list, tuple)) for v in value.values()):
        keys = list(value)
        source = next((k for k in keys if value[k]), None)
        if source is not None and len(keys) > 1:
            target = keys[(keys.index(source) + 1) % len(keys)]

            def moved() -> dict:
                out = {k: list(v) for k, v in value.items()}
                out[target].append(out[source].pop(0))
                return out

            def dropped() -> dict:
                out = {k: list(v) for k, v in value.items()}
                out[source].pop(0)
                return out

            cases |= {"one_item_moved": moved, "one_item_dropped": dropped}
    return cases


def own_near_misses(exercise_id: str) -> list[Any]:
    ex = exercise(exercise_id)
    return list(ex.near_misses()) if ex.near_misses is not None else []


def mistake_answers(exercise_id: str) -> dict[str, Callable[[], Any]]:
    cases: dict[str, Callable[[], Any]] = {}
    for mistake in exercise(exercise_id).mistakes:
        if mistake.variants is not None:
            for i in range(len(mistake.variants())):
                cases[f"mistake:{mistake.id}#{i}"] = functools.partial(lambda m, j: m.variants()[j], mistake, i)
        elif mistake.answer is not None:
            cases[f"mistake:{mistake.id}"] = mistake.answer
    return cases


# ----------------------------------------------------------------------------------------------
# Parametrisation: one test item per (exercise, case)
# ----------------------------------------------------------------------------------------------


def _param(exercise_id: str, case: str) -> Any:
    reason = KNOWN_CONTRACT_FAILURES.get((exercise_id, case))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(exercise_id, case, id=f"{exercise_id}::{case}", marks=marks)


def _wrong_cases(exercise_id: str) -> dict[str, Callable[[], Any]]:
    value = expected(exercise_id)
    cases = {f"odd:{name}": build for name, build in odd_answers(value).items()}
    cases |= {f"near:{name}": build for name, build in near_misses(value, answer_form(exercise_id)).items()}
    for i, _ in enumerate(own_near_misses(exercise_id)):
        cases[f"own_near_miss:{i}"] = functools.partial(lambda j: own_near_misses(exercise_id)[j], i)
    return cases


@functools.cache
def wrong_cases(exercise_id: str) -> dict[str, Callable[[], Any]]:
    return _wrong_cases(exercise_id)


EXPECTED = [_param(exercise_id, "expected_passes") for exercise_id in ALL_IDS]
WRONG = [_param(exercise_id, case) for exercise_id in ALL_IDS for case in wrong_cases(exercise_id)]
MISTAKES = [_param(exercise_id, case) for exercise_id in ALL_IDS for case in mistake_answers(exercise_id)]


@pytest.fixture(autouse=True)
def _nothing_seen():
    SEEN.clear()
    yield
    assert SEEN == [], f"a participant's object ran code or saw: {SEEN[:3]!r}"


def _messages(exercise_id: str, answer_builder: Callable[[], Any]) -> tuple[Feedback, Feedback]:
    """Tier 1 and tier 3 feedback for the answer (tier 3 holds every hint text).

    One evaluation: the verdict does not depend on the tier, and the tier-1 message is the
    first line of the tier-3 one (tested in test_feedback), so tier 1 is derived from tier 3.
    """
    third = evaluate(exercise(exercise_id), answer_builder(), attempt=3, failures_before=2)
    first_text = third.message.split("\nMore help: ")[0].split("\nStill stuck? ")[0]
    return dataclasses.replace(third, message=first_text, tier=min(third.tier, 1), attempt=1), third


def _assert_no_leak(exercise_id: str, *feedbacks: Feedback) -> None:
    for feedback in feedbacks:
        shown = leaks(exercise_id, str(feedback))
        assert not shown, f"the message shows {shown[:3]}: {feedback.message!r}"


# ----------------------------------------------------------------------------------------------
# The tests
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id, case", EXPECTED)
def test_the_expected_answer_passes(exercise_id, case):
    if expected(exercise_id) is None:
        pytest.skip("the answer is judged by reading the text; the exercise has no reference answer")
    form = answer_form(exercise_id)
    assert form is not None, f"no participant form of the expected answer passes: {_candidates(expected(exercise_id))!r}"
    feedback = check(exercise_id, form)  # the public path, with the progress log of this test
    assert feedback.correct and feedback.attempt == 1, feedback


def _forms(build: Callable[[], Any]) -> list[Callable[[], Any]]:
    """Builders of each participant form of an answer written like the expected one (a set of letters, ...)."""
    count = len(_candidates(build()))
    return [functools.partial(lambda i: _candidates(build())[i], i) for i in range(count)]


@pytest.mark.parametrize("exercise_id, case", WRONG)
def test_a_wrong_answer_never_passes_never_raises_never_leaks(exercise_id, case):
    for form in _forms(wrong_cases(exercise_id)[case]):
        first, third = _messages(exercise_id, form)
        assert first.status != "correct" and third.status != "correct", f"accepted: {form()!r}"[:300]
        _assert_no_leak(exercise_id, first, third)


@pytest.mark.parametrize("exercise_id, case", MISTAKES)
def test_each_mistake_is_recognised_with_its_own_hint(exercise_id, case):
    ex = exercise(exercise_id)
    recognised = []
    for form in _forms(mistake_answers(exercise_id)[case]):
        first, third = _messages(exercise_id, form)
        assert not first.correct, f"the mistake's answer {form()!r} is accepted as correct"[:300]
        _assert_no_leak(exercise_id, first, third)
        if first.mistake is not None:
            recognised.append(first)
            difference = ex.comparator()(to_plain(form()), ex.expected())
            shown = first.message.splitlines()[0]
            assert shown not in (f"{difference} {ex.hint}", ex.hint), "the named mistake shows the generic fallback"
    assert recognised, "no form of the mistake's answer is recognised as a known mistake"


@pytest.mark.parametrize("exercise_id", ALL_IDS)
def test_the_exercise_defines_its_own_near_misses(exercise_id):
    """Every exercise names its plausible wrong answers (all do since issue 9, so a missing one fails)."""
    assert exercise(exercise_id).near_misses is not None, "define near_misses(): the smallest plausible wrong answers"
    assert own_near_misses(exercise_id), "near_misses() returns no answer"


def test_known_failures_name_real_cases():
    """An entry for a case that no longer exists would hide nothing and mislead: it must go."""
    cases = {(p.values[0], p.values[1]) for p in [*EXPECTED, *WRONG, *MISTAKES]}
    stale = [key for key in KNOWN_CONTRACT_FAILURES if key not in cases]
    assert stale == []


def test_the_leak_detector_catches_a_leak():
    """The check of (e) can fail: an exercise whose hint shows its value or its code is caught."""
    value = 0.23291192013530596
    for shown in ("0.2329", "23.3%", "23.29", "0.23"):
        assert number_renderings(value, scalar=True) & {shown}, shown
    line = next(iter(solution_lines()))
    assert line
    leaky = Exercise("rfm.champions_revenue_share", "x", expected=lambda: value, hint=f"Try {line}")
    assert leaks("rfm.champions_revenue_share", str(evaluate(leaky, 0.5)))
    assert not re.search(r"(?<![\d.])0\.23(?![\d])", "0.234 and 10.23")
