"""The feedback engine: answers are compared as plain data, help comes in tiers, messages never leak.

The tricky answers here record every comparison they take part in, so a test fails not only when
such an answer passes but also when it gets to *see* an expected value.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from cvmlib.feedback import (
    Exercise,
    Mistake,
    NotComparable,
    NotPlain,
    compare_choice,
    compare_choice_set,
    compare_mapping,
    compare_scalar,
    compare_series,
    evaluate,
    to_plain,
)
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



@pytest.fixture(autouse=True)
def _clear_seen():
    SEEN.clear()
    yield
    assert SEEN == [], f"a participant object saw: {SEEN[:5]}"


def _share_exercise() -> Exercise:
    return Exercise("demo.share", "A share", expected=lambda: 0.25,
                    mistakes=(Mistake("percent", "Give a fraction, not a percentage.", answer=lambda: 25.0),),
                    hint="Divide the part by the whole.")


def _series_exercise() -> Exercise:
    expected = pd.Series([10.0, 20.0, 30.0], index=pd.Index(["a", "b", "c"], name="customer_id"))
    return Exercise("demo.total", "Totals", expected=lambda: expected, hint="Sum per customer.")


def _choice_exercise() -> Exercise:
    return Exercise("demo.choice", "Pick one", expected=lambda: frozenset("C"), compare=compare_choice,
                    kind="interpret", hint="Think about the margin.")


def _mapping_exercise() -> Exercise:
    return Exercise("demo.map", "Actions", expected=lambda: {"Champions": frozenset("B")}, compare=compare_mapping)


@pytest.mark.parametrize("answer", [AlwaysEqual(), LyingFloat(0.5), FakeSeriesClass(), [AlwaysEqual()],
                                    {"x": AlwaysEqual()}])
def test_a_lying_number_neither_passes_nor_sees_the_expected_value(answer):
    feedback = evaluate(_share_exercise(), answer)
    assert feedback.status == "hint", feedback


def test_a_float_subclass_is_compared_by_its_real_value():
    assert evaluate(_share_exercise(), LyingFloat(0.25)).correct
    assert evaluate(_share_exercise(), LyingFloat(25.0)).mistake == "percent"


@pytest.mark.parametrize("make", [
    lambda e: LyingSeries(np.zeros(len(e)), index=e.index),
    lambda e: LoggingSeries(np.zeros(len(e)), index=e.index),
    lambda e: LyingFrame({"total": np.zeros(len(e))}, index=e.index),
    lambda e: pd.Series([AlwaysEqual()] * len(e), index=e.index),
    lambda e: pd.Series(np.zeros(len(e)), index=pd.Index([AlwaysEqual() for _ in e.index], dtype=object)),
    lambda e: np.zeros(len(e)).view(LyingArray),
])
def test_pandas_and_numpy_tricks_neither_pass_nor_see_the_expected_values(make):
    exercise = _series_exercise()
    feedback = evaluate(exercise, make(exercise.expected()))
    assert feedback.status == "hint", feedback


def test_a_series_subclass_holding_the_right_values_is_still_refused():
    exercise = _series_exercise()
    feedback = evaluate(exercise, LyingSeries(exercise.expected()))
    assert feedback.status == "hint" and "plain pandas Series" in feedback.message


def test_a_weird_series_name_is_dropped_not_consulted():
    exercise = _series_exercise()
    assert evaluate(exercise, exercise.expected().rename(AlwaysEqual())).correct


@pytest.mark.parametrize("answer, correct", [(LyingStr("A"), False), (LyingStr("c"), True)])
def test_a_str_subclass_is_compared_as_the_text_it_holds(answer, correct):
    assert evaluate(_choice_exercise(), answer).correct is correct


def test_a_dict_whose_get_lies_is_read_through_dict_itself():
    exercise = _mapping_exercise()
    liar = LyingDict(Champions="A")
    liar.choice = "B"
    assert not evaluate(exercise, liar).correct
    assert evaluate(exercise, LyingDict(Champions="b")).correct


def test_to_plain_copies_values_and_rebuilds_plain_pandas():
    s = pd.Series([1, 2], index=pd.Index(["a", "b"], name="id"), name="x")
    plain = to_plain(s)
    assert type(plain) is pd.Series and plain.equals(s) and plain.name == "x" and plain.index.name == "id"
    plain.iloc[0] = 99
    assert s.iloc[0] == 1, "to_plain must copy"
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}, index=pd.MultiIndex.from_tuples([(1, "u"), (2, "v")]))
    assert to_plain(frame).equals(frame)
    assert to_plain(pd.Series([1, 2], dtype=object)).dtype == np.int64  # plain numbers in an object column
    assert to_plain(pd.Series(pd.Categorical(["a", "b", "a"]))).equals(pd.Series(pd.Categorical(["a", "b", "a"])))
    assert type(to_plain(np.float64(2.5))) is np.float64
    assert to_plain((np.int64(1), {"k": {1, 2}})) == (1, {"k": {1, 2}})


def test_to_plain_refuses_what_it_cannot_copy_without_running_it():
    nested: list = []
    nested.append(nested)
    for value in (object(), nested, iter([1]), np.ma.masked_array([1, 2], mask=[0, 1]), lambda: 1):
        with pytest.raises(NotPlain):
            to_plain(value)


def test_evaluate_names_the_kind_expected_when_the_answer_is_not_plain():
    message = evaluate(_series_exercise(), AlwaysEqual()).message
    assert "Expected a pandas Series" in message and "AlwaysEqual" in message


def test_mistake_rules_receive_plain_data_only():
    received = []
    exercise = Exercise("demo.rule", "x", expected=lambda: 1.0,
                        mistakes=(Mistake("m", "hint", applies=lambda a: received.append(type(a)) or False),))
    evaluate(exercise, LyingFloat(3.0))
    evaluate(exercise, pd.Series([3.0]).astype(object))
    assert received == [float, pd.Series]


def test_a_rule_that_raises_on_an_odd_answer_is_not_a_match_and_not_a_crash():
    exercise = Exercise("demo.rule", "x", expected=lambda: 1.0,
                        mistakes=(Mistake("m", "hint", applies=lambda a: a["nope"] > 1),))
    assert evaluate(exercise, 3.0).status == "hint"


# --- tiers -----------------------------------------------------------------------------------
def _tiered_exercise() -> Exercise:
    return Exercise("demo.tiers", "x", expected=lambda: 1.0, hint="Look at the units.",
                    more_hint="The task is in months.",
                    mistakes=(Mistake("yearly", "You used years.", answer=lambda: 12.0, more="Divide the rate."),))


@pytest.mark.parametrize("failures_before, tier", [(0, 1), (1, 2), (2, 3), (7, 3)])
def test_the_tier_follows_the_failed_attempts_before(failures_before, tier):
    exercise = _tiered_exercise()
    fallback = evaluate(exercise, 5.0, attempt=failures_before + 1, failures_before=failures_before)
    named = evaluate(exercise, 12.0, failures_before=failures_before)
    assert fallback.tier == named.tier == tier and fallback.attempt == failures_before + 1
    assert ("More help: The task is in months." in fallback.message) is (tier >= 2)
    assert ("More help: Divide the rate." in named.message) is (tier >= 2)
    assert ('solution("demo.tiers")' in fallback.message) is (tier == 3)
    assert named.message.startswith("You used years.")


def test_a_mistake_without_its_own_more_falls_back_to_the_exercise_more_hint():
    exercise = Exercise("demo.m", "x", expected=lambda: 1.0, more_hint="Check the units.",
                        mistakes=(Mistake("m", "Wrong base.", answer=lambda: 2.0),))
    assert "More help: Check the units." in evaluate(exercise, 2.0, failures_before=1).message


def test_correct_and_unanswered_have_tier_zero():
    exercise = _tiered_exercise()
    assert evaluate(exercise, 1.0, failures_before=4).tier == 0
    assert evaluate(exercise, ..., failures_before=4).tier == 0


def test_html_shows_each_tier_on_its_own_line():
    html = evaluate(_tiered_exercise(), 5.0, failures_before=2)._repr_html_()
    assert html.count("<br>") == 2


# --- comparators -----------------------------------------------------------------------------
def test_compare_scalar_precision():
    whole = functools.partial(compare_scalar, rtol=0, atol=0.5)
    assert whole(42.4, 42) is None and whole(41.4, 42) is not None
    assert compare_scalar(1.0001, 1.0, rtol=0, atol=0) is not None
    assert compare_scalar(10**400, 1.0) is not None  # an int too large for a float: a message, no OverflowError
    assert compare_scalar(np.array([0.5]), 0.5) is None and compare_scalar(pd.Series([0.5]), 0.5) is None
    for odd in (True, np.bool_(True), "0.5", None, [0.5], float("inf"), -float("inf"), complex(0.5, 0)):
        assert compare_scalar(odd, 0.5) is not None


def test_compare_series_tolerances_and_shape_messages():
    e = pd.Series([100.0, 200.0], index=pd.Index(["a", "b"], name="customer_id"))
    assert compare_series(e + 0.4, e, rtol=0, atol=0.5) is None
    assert compare_series(e + 0.6, e, rtol=0, atol=0.5) == "2 of 2 values differ from the expected ones."
    assert "repeated" in compare_series(pd.concat([e, e]), e)
    assert "missing" in compare_series(e.iloc[:1], e)
    assert "should not be there" in compare_series(pd.concat([e, pd.Series({"z": 1.0})]), e)
    with pytest.raises(NotComparable, match="columns"):
        compare_series(pd.DataFrame({"x": [1, 2], "y": [3, 4]}), e)


@pytest.mark.parametrize("answer, ok", [("c", True), (" (C) ", True), ("C.", True), ("B", False)])
def test_compare_choice_accepts_the_letter_in_the_usual_spellings(answer, ok):
    assert (compare_choice(answer, frozenset("C")) is None) is ok


@pytest.mark.parametrize("answer", [3, "", "CD", "C, D", ["C"], None])
def test_compare_choice_wants_exactly_one_letter(answer):
    with pytest.raises(NotComparable):
        compare_choice(answer, frozenset("C"))


@pytest.mark.parametrize("answer, ok", [
    ("A, C", True), ("c;a", True), ("A and C", True), ({"a", "c"}, True), (["C", "A"], True), (("A", "C"), True),
    ("A", False), ("A, B, C", False), (["A", "B"], False),
])
def test_compare_choice_set_needs_exactly_the_set(answer, ok):
    assert (compare_choice_set(answer, frozenset("AC")) is None) is ok


@pytest.mark.parametrize("answer", ["", [], "AC", [1, 2], 3, "apples"])
def test_compare_choice_set_refuses_what_is_not_a_set_of_letters(answer):
    with pytest.raises(NotComparable):
        compare_choice_set(answer, frozenset("AC"))


def test_comparator_messages_never_state_the_expected_value():
    e = pd.Series([123.45, 678.9], index=pd.Index(["a", "b"], name="customer_id"))
    texts = [compare_series(e * 2, e), compare_scalar(1.5, 98.765), compare_choice("B", frozenset("D")),
             compare_choice_set("A", frozenset("DE")), compare_mapping({"x": "B"}, {"x": frozenset("D")})]
    for text in texts:
        assert text and not any(shown in text for shown in ("123", "678", "98.7", "D", "E")), text


# --- the whole loop, across a kernel restart ---------------------------------------------------
RESTART = textwrap.dedent("""
    from cvmlib.exercises import check
    feedback = check("rfm.champions_revenue_share", 0.5)
    print(feedback.attempt, feedback.tier)
""")


def test_tiers_survive_a_kernel_restart(progress_dir):
    seen = []
    for _ in range(3):  # three fresh interpreters: three kernel sessions on the same workbook folder
        result = subprocess.run([sys.executable, "-c", RESTART], capture_output=True, text=True, check=True,
                                env={**__import__("os").environ, "CVM_PROGRESS_DIR": str(progress_dir)})
        seen.append(result.stdout.split())
    assert seen == [["1", "1"], ["2", "2"], ["3", "3"]]
