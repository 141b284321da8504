"""The RFM, segmentation and value-matrix exercises in the Chinese edition (issue 10).

Under ``language("zh")``, for every exercise of ``cvmlib.exercises.{rfm,segment,value}``:

- every text a participant reads (prompt, hints, each mistake's hints, the options a workbook prints,
  the comparators' own messages) is Chinese: it contains CJK characters and no run of four English
  words outside code spans;
- the expected answer, written as a participant would, still passes, and choice answers typed the
  Chinese way (full-width letters, ``A、C``) too;
- each named mistake is still recognised, with its own hint, in Chinese, at every tier;
- the near misses (the exercise's own and the generic ones of the contract test) still fail with a
  hint, and no message shows an expected value or solution code;
- a menu answer may key the segments by the names the zh edition shows them, never accepting a wrong
  choice; the texts follow the language when it changes (nothing is frozen at import).

The cases and the leak detector are those of ``tests/test_exercise_contract.py`` (reused, not copied).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

import tests.test_exercise_contract as contract
from tests.test_i18n_exercises import CJK, assert_chinese, english_left, zh_evaluate, zh_lines
from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises import rfm as rfm_exercises
from cvmlib.exercises import segment as segment_exercises
from cvmlib.exercises import value as value_exercises
from cvmlib.exercises import wrong_answers
from cvmlib.exercises.wrong_answers import Options, labelled, named_keys
from cvmlib.feedback import NotComparable, evaluate, shown_text
from cvmlib.i18n import _, get_language, language

TOPICS = ("rfm", "segment", "value")
MODULES = (rfm_exercises, segment_exercises, value_exercises)
IDS = [exercise_id for topic in TOPICS for exercise_id in exercise_ids(topic)]

# ----------------------------------------------------------------------------------------------
# The texts
# ----------------------------------------------------------------------------------------------


def _options() -> list[tuple[str, Options]]:
    return [(f"{module.__name__}.{name}", value) for module in MODULES for name, value in vars(module).items()
            if isinstance(value, Options)]


def test_every_option_a_workbook_prints_is_chinese_and_the_letters_do_not_change():
    found = dict(_options())
    assert {"cvmlib.exercises.rfm.SUMMARY_STATEMENTS", "cvmlib.exercises.rfm.ACTIONS",
            "cvmlib.exercises.segment.K_OPTIONS", "cvmlib.exercises.segment.ARI_OPTIONS",
            "cvmlib.exercises.value.BUDGET_OPTIONS", "cvmlib.exercises.value.MIGRATION_OPTIONS",
            "cvmlib.exercises.value.ACTIONS"} <= set(found)
    for where, options in found.items():
        english = dict(options)
        with language("zh"):
            chinese = dict(options)
        assert list(chinese) == list(english), where
        for letter, text in chinese.items():
            if where.endswith("CALL_OPTIONS"):  # segment names: translated by their own catalog (rfm.po)
                assert text == labelled(rfm_exercises.CALL_SEGMENTS[letter]) or text.endswith(
                    f"（{rfm_exercises.CALL_SEGMENTS[letter]}）"), text
                continue
            assert_chinese(text, f"{where}[{letter}]")
            assert text != english[letter]


def test_the_options_print_as_the_workbook_shows_them():
    """The workbook cell ``for letter, statement in SUMMARY_STATEMENTS.items(): print(letter, statement)``."""
    with language("zh"):
        printed = [f"{letter} {text}" for letter, text in rfm_exercises.SUMMARY_STATEMENTS.items()]
    assert [line[0] for line in printed] == list("ABCDE")
    assert all(CJK.search(line) for line in printed)
    assert "An average Champion" in rfm_exercises.SUMMARY_STATEMENTS["A"]  # English as before


def test_texts_follow_the_language_when_it_changes():
    """Nothing is translated at import: the same exercise reads English, Chinese, English again."""
    exercise = get_exercise("rfm.call_priority")
    before = shown_text(exercise.prompt)
    with language("zh"):
        chinese = shown_text(exercise.prompt)
        chinese_options = list(rfm_exercises.ACTIONS.values())
    assert before == shown_text(exercise.prompt) and "300" in before and before.startswith("The call centre")
    assert "300" in chinese and CJK.search(chinese)
    assert list(rfm_exercises.ACTIONS.values()) != chinese_options
    assert get_exercise("rfm.segment_actions").prompt() == (
        "Choose one action letter (A-E) for each segment: Champions, New customers, Cannot lose them, At risk, Lost.")
    with language("zh"):
        listed = get_exercise("rfm.segment_actions").prompt()
    assert "、" in listed and all(key in listed for key in rfm_exercises.BEST_ACTIONS)


def test_the_check_for_english_runs_can_fail():
    assert english_left("Compare the revenue column 和 mean_monetary") == ["Compare the revenue column"]
    assert english_left("看 `Use the amount column here` 和 Cannot lose them（At risk）") == []


# ----------------------------------------------------------------------------------------------
# The answers
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_expected_answer_still_passes(exercise_id):
    form = contract.answer_form(exercise_id)
    assert form is not None
    for failures_before in (0, 2):
        feedback = zh_evaluate(exercise_id, lambda: form, failures_before)
        assert feedback.correct, feedback
        assert CJK.search(str(feedback)), str(feedback)


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "A" <= c <= "Z" else c for c in text)


@pytest.mark.parametrize("exercise_id", [i for i in IDS if contract._is_letters(contract.expected(i))])
def test_option_letters_typed_the_chinese_way_pass(exercise_id):
    letters = sorted(contract.expected(exercise_id))
    forms = [_full_width(letters[0]), f"（{letters[0]}）"] if len(letters) == 1 else \
        ["、".join(letters), "，".join(letters), "、".join(map(_full_width, letters))]
    for form in forms:
        assert zh_evaluate(exercise_id, lambda: form, 0).correct, form




def _near_cases(exercise_id: str) -> dict[str, Callable[[], Any]]:
    value = contract.expected(exercise_id)
    cases = {f"near:{name}": build for name, build in contract.near_misses(value, contract.answer_form(exercise_id)).items()}
    for i, _miss in enumerate(contract.own_near_misses(exercise_id)):
        cases[f"own_near_miss:{i}"] = functools.partial(lambda j: contract.own_near_misses(exercise_id)[j], i)
    return cases


NEAR = [(exercise_id, case) for exercise_id in IDS for case in _near_cases(exercise_id)]


@pytest.mark.parametrize("exercise_id, case", NEAR, ids=[f"{i}::{c}" for i, c in NEAR])
def test_near_misses_still_fail_with_a_chinese_hint(exercise_id, case):
    build = _near_cases(exercise_id)[case]
    for form in contract._forms(build):
        first, third = zh_evaluate(exercise_id, form, 0), zh_evaluate(exercise_id, form, 2)
        assert first.status == "hint" and third.status == "hint", f"{first.status}: {form()!r}"[:300]
        contract._assert_no_leak(exercise_id, first, third)
        for line in zh_lines(third):
            assert_chinese(line, f"{exercise_id}: {case}")


# ----------------------------------------------------------------------------------------------
# Menu answers keyed by the names the zh edition shows
# ----------------------------------------------------------------------------------------------

MENUS = {"rfm.segment_actions": rfm_exercises.BEST_ACTIONS, "value.rk_actions": value_exercises.BEST_ACTIONS}


@pytest.fixture
def names_in_chinese(monkeypatch):
    """Chinese names for the menu keys, whatever the state of the display catalogs (rfm.po, value.po)."""
    fake = {"Champions": "重要价值客户", "New customers": "新客户", "Cannot lose them": "不能失去的客户",
            "At risk": "流失风险客户", "Lost": "已流失客户", "True friends": "真朋友", "Butterflies": "蝴蝶",
            "Barnacles": "藤壶", "Strangers": "陌生人"}
    real = wrong_answers._
    monkeypatch.setattr(wrong_answers, "_",
                        lambda message: (get_language() == "zh" and fake.get(message)) or real(message))
    return fake


def _best(menu: dict[str, frozenset[str]]) -> dict[str, str]:
    return {key: sorted(ok)[0] for key, ok in menu.items()}


@pytest.mark.parametrize("exercise_id", list(MENUS))
def test_a_menu_answer_may_use_the_chinese_names(exercise_id, names_in_chinese):
    menu, best = MENUS[exercise_id], _best(MENUS[exercise_id])
    by_name = {names_in_chinese[key]: letter for key, letter in best.items()}
    mixed = {(names_in_chinese[key] if i % 2 else key): letter for i, (key, letter) in enumerate(best.items())}
    spaced = {f" {key} ": letter for key, letter in by_name.items()}
    for answer in (best, by_name, mixed, spaced):
        assert zh_evaluate(exercise_id, lambda: answer, 0).correct, answer
    # the English participant is unchanged: the Chinese names mean nothing in English
    assert evaluate(contract.exercise(exercise_id), best).correct
    assert evaluate(contract.exercise(exercise_id), by_name).status == "hint"
    # every single wrong choice, under either name, still fails
    for deviation in wrong_answers.single_deviations(menu, "ABCDE"):
        renamed = {names_in_chinese[key]: letter for key, letter in deviation.items()}
        for answer in (deviation, renamed):
            feedback = zh_evaluate(exercise_id, lambda: answer, 0)
            assert feedback.status == "hint", answer
            assert_chinese(feedback.message, exercise_id)


def test_a_mistake_is_recognised_under_the_chinese_name(names_in_chinese):
    answer = {**_best(rfm_exercises.BEST_ACTIONS), "Champions": "E"}
    renamed = {names_in_chinese[key]: letter for key, letter in answer.items()}
    assert zh_evaluate("rfm.segment_actions", lambda: renamed, 0).mistake == "discount_for_champions"
    answer = {**_best(value_exercises.BEST_ACTIONS), "Barnacles": "E"}
    renamed = {names_in_chinese[key]: letter for key, letter in answer.items()}
    assert zh_evaluate("value.rk_actions", lambda: renamed, 0).mistake == "loyalty_programme_for_barnacles"


def test_two_different_choices_for_one_segment_are_refused(names_in_chinese):
    best = _best(rfm_exercises.BEST_ACTIONS)
    twice = {**best, "重要价值客户": "E"}  # Champions as "A" and, under its Chinese name, as "E"
    with language("zh"), pytest.raises(NotComparable):
        named_keys(twice, rfm_exercises.BEST_ACTIONS)
    feedback = zh_evaluate("rfm.segment_actions", lambda: twice, 0)
    assert feedback.status == "hint" and "重要价值客户" in feedback.message
    assert_chinese(feedback.message, "two choices")
    same = {**best, "重要价值客户": best["Champions"]}
    assert zh_evaluate("rfm.segment_actions", lambda: same, 0).correct


@pytest.mark.parametrize("exercise_id", list(MENUS))
def test_a_menu_answer_may_use_the_names_of_the_real_catalogs(exercise_id):
    menu = MENUS[exercise_id]
    with language("zh"):
        names = {key: _(key) for key in menu}
    if all(name == key for key, name in names.items()):
        pytest.skip("the display catalogs do not translate these names yet")
    answer = {names[key]: letter for key, letter in _best(menu).items()}
    assert zh_evaluate(exercise_id, lambda: answer, 0).correct, answer


# ----------------------------------------------------------------------------------------------
# The comparators of the segmentation exercises
# ----------------------------------------------------------------------------------------------


def test_the_partition_and_table_comparators_speak_chinese():
    labels = contract.expected("segment.kmeans_labels")
    moved = labels.copy()
    moved.iloc[0] = (moved.iloc[0] + 1) % segment_exercises.K
    features = contract.expected("segment.scaled_features")
    with language("zh"):
        messages = [
            segment_exercises.compare_partition(moved, labels),
            segment_exercises.compare_partition(labels % 4, labels),
            segment_exercises.compare_frame(features * 2, features),
        ]
        for answer, compare, expected in ((features.drop(columns=features.columns[0]), segment_exercises.compare_frame,
                                           features),
                                          (features.iloc[1:], segment_exercises.compare_frame, features),
                                          ([1.5] * len(labels), segment_exercises.compare_partition, labels),
                                          (3, segment_exercises.compare_frame, features)):
            with pytest.raises(NotComparable) as refused:
                compare(answer, expected)
            messages.append(str(refused.value))
    assert "1 位客户" in messages[0]
    for message in messages:
        assert_chinese(message, "comparator")


def test_the_catalogs_of_these_exercises_are_complete():
    """No message of these modules is missing, untranslated, fuzzy or obsolete, or loses a placeholder."""
    import sys

    sys.path.insert(0, str(contract.ROOT / "tools"))
    import i18n_py

    report, _done = i18n_py.check()
    parts = ("exercises_rfm", "exercises_segment", "exercises_value", "exercises_wrong_answers")
    mine = [line for line in report.lines() if any(part in line for part in parts)]
    assert not mine, "\n".join(mine)
    for part in parts:
        assert (i18n_py.LOCALES["zh_CN"] / f"{part}.po").exists(), part
