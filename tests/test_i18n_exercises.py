"""Every exercise of every topic in Chinese: its texts, and each mistake's own hint at every tier.

Like tests/test_exercise_contract.py for the English edition, this runs on every exercise for free; the
topic files (tests/test_i18n_ex1.py, test_i18n_ex2.py, test_i18n_val.py) hold what is particular to
their exercises (option lists, Chinese answers, free text). The helpers here are shared by them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

import tests.test_exercise_contract as contract
from cvmlib.exercises import TOPICS, exercise_ids, get_exercise
from cvmlib.feedback import Feedback, evaluate, shown_text
from cvmlib.i18n import language

IDS = [exercise_id for topic in TOPICS for exercise_id in exercise_ids(topic)]

CJK = re.compile(r"[\u4e00-\u9fff]")
CODE_SPAN = re.compile(r"`[^`]*`")
#: Four or more English words in a row (separated by spaces only): an English sentence left over.
ENGLISH_RUN = re.compile(r"(?<![\w'])[A-Za-z]+(?:'[A-Za-z]+)?(?:[ ]+[A-Za-z]+(?:'[A-Za-z]+)?){3,}(?![\w'])")


def english_left(text: str) -> list[str]:
    """The runs of four or more English words in ``text``, code spans aside."""
    return ENGLISH_RUN.findall(CODE_SPAN.sub(" ", text))


def assert_chinese(text: str, where: str) -> None:
    assert CJK.search(text), f"{where}: no Chinese in {text!r}"
    left = english_left(text)
    assert not left, f"{where}: English left {left} in {text!r}"


def zh_evaluate(exercise_id: str, answer: Callable[[], Any], failures_before: int) -> Feedback:
    with language("zh"):
        return evaluate(contract.exercise(exercise_id), answer(), attempt=failures_before + 1,
                        failures_before=failures_before)


def zh_lines(feedback: Feedback) -> list[str]:
    return feedback.message.split("\n")


def assert_all_chinese(feedback: Feedback, where: str) -> None:
    for line in zh_lines(feedback):
        assert_chinese(line, where)


def test_the_english_run_detector_can_fail():
    assert english_left("还不对：you have not counted the orders") == ["you have not counted the orders"]
    assert english_left("请检查 `customer_id` 列（金额单位 CNY）") == []


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_text_of_the_exercise_is_chinese(exercise_id):
    english = get_exercise(exercise_id).shown_texts()
    with language("zh"):
        texts = get_exercise(exercise_id).shown_texts()
    assert len(texts) == len(english) >= 3
    for text, original in zip(texts, english):
        assert_chinese(text, exercise_id)
        assert text != original


MISTAKES = [(exercise_id, case) for exercise_id in IDS for case in contract.mistake_answers(exercise_id)]


@pytest.mark.parametrize("exercise_id, case", MISTAKES, ids=[f"{i}::{c}" for i, c in MISTAKES])
def test_each_mistake_gives_its_own_hint_in_chinese(exercise_id, case):
    ex = contract.exercise(exercise_id)
    recognised = []
    for form in contract._forms(contract.mistake_answers(exercise_id)[case]):
        first, third = zh_evaluate(exercise_id, form, 0), zh_evaluate(exercise_id, form, 2)
        assert not first.correct and not third.correct, f"accepted: {form()!r}"[:300]
        contract._assert_no_leak(exercise_id, first, third)
        if first.mistake is None:
            continue
        recognised.append(first)
        mistake = next(m for m in ex.mistakes if m.id == first.mistake)
        with language("zh"):
            hint, more = shown_text(mistake.hint), shown_text(mistake.more) or shown_text(ex.more_hint)
        assert zh_lines(first) == [hint]
        assert third.mistake == first.mistake and zh_lines(third)[0] == hint
        assert any(more in line for line in zh_lines(third)[1:]), third.message
        assert_all_chinese(third, f"{exercise_id}: {mistake.id}, tier 3")
    assert recognised, "no form of the mistake's answer is recognised as a known mistake"
