"""Input checks, cleaning reports, CLV models and the CLV exercises in the Chinese edition (issue 10).

Under ``language("zh")``:

- a real bad input to the public functions (``validate_transactions``, the shared guards, ``clean_orders``,
  ``summarize_purchases``, the BTYD and Gamma-Gamma models, ``customer_lifetime_value``, the holdout
  diagnostics, the loaders) raises an :class:`InputError` whose message is Chinese, names the column (or
  parameter) as the data spell it and shows the offending rows as they are; the English message of the
  same input is unchanged English;
- the warnings the data checks give (defaulted snapshot, dropped rows) are Chinese;
- the cleaning report reads in Chinese with exactly the counts of the English one, while the report
  itself (data) is the same in both editions;
- every exercise of ``cvmlib.exercises.clv`` renders its texts and options in Chinese, accepts the right
  answer, recognises each mistake with its Chinese hint, and rejects the near misses;
- the catalogs of these modules are complete and use the course's preferred terms.

The exercise cases, the leak detector and the Chinese-text checks are those of
``tests/test_exercise_contract.py`` and ``tests/test_i18n_ex1.py`` (imported, not copied).
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

import tests.test_exercise_contract as contract
from cvmlib.clean import CleaningResult, clean_orders, shown_reason
from cvmlib.clv import BetaGeo, GammaGamma, customer_lifetime_value, simple_clv, summarize_purchases, unit_days
from cvmlib.datasets import data_path, load_cdnow, load_orders_raw
from cvmlib.exercises import clv as clv_exercises
from cvmlib.exercises import exercise_ids, get_exercise
from cvmlib.exercises.wrong_answers import Options
from cvmlib.feedback import shown_text
from cvmlib.holdout import calibration_holdout
from cvmlib.i18n import language
from cvmlib.validate import (
    InputError,
    as_timestamp,
    join_sentences,
    parse_dates,
    require_known,
    require_non_negative,
    require_not_empty,
    require_present,
    require_probability,
    require_same_ids,
    resolve_snapshot_date,
    validate_transactions,
)
from tests.test_i18n_ex1 import _near_cases
from tests.test_i18n_exercises import CJK, assert_chinese, english_left, zh_evaluate, zh_lines

ROWS_HEADING = "前几行有问题的数据："
PARTS = ("validate", "clean", "datasets", "holdout", "clv", "exercises_clv")


# ----------------------------------------------------------------------------------------------
# Bad input: one InputError, in Chinese, naming the column and showing the rows
# ----------------------------------------------------------------------------------------------


def orders() -> pd.DataFrame:
    return pd.DataFrame({
        "order_id": ["O1", "O2", "O3", "O4"],
        "customer_id": ["C1", "C2", "C1", "C3"],
        "order_date": ["2025-01-05 10:00", "2025-02-01", "2025-03-14", "2025-04-02"],
        "amount": [120.0, 35.5, 60.0, 88.0],
    })


def summary() -> pd.DataFrame:
    return pd.DataFrame({"frequency": [2.0, 0.0, 1.0], "recency": [10.0, 0.0, 4.0], "T": [20.0, 15.0, 12.0],
                         "monetary_value": [30.0, 0.0, 25.0]}, index=pd.Index(["A", "B", "C"], name="customer_id"))


def _with(frame: pd.DataFrame, column: str, row: int, value: Any) -> pd.DataFrame:
    out = frame.copy()
    out[column] = out[column].astype(object)
    out.loc[out.index[row], column] = value
    return out


def _fitted_bg() -> BetaGeo:
    model = BetaGeo()
    model.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # CDNOW, weeks
    return model


def _holdout_summary() -> pd.DataFrame:
    s = summary().assign(frequency_holdout=[1.0, 0.0, 2.0], duration_holdout=[39.0, 39.0, 40.0])
    return s


#: (name, call, what the message must name, a value of an offending row it must show)
ROW_CASES: list[tuple[str, Callable[[], Any], str, str]] = [
    ("missing customer id", lambda: validate_transactions(_with(orders(), "customer_id", 2, None)),
     "'customer_id'", "O3"),
    ("amount as '1,234.50' text", lambda: validate_transactions(_with(orders(), "amount", 1, "1,234.50")),
     "'amount'", "1,234.50"),
    ("return without a policy", lambda: validate_transactions(_with(orders(), "amount", 3, -88.0)),
     "'amount'", "-88"),
    ("ambiguous day/month date", lambda: validate_transactions(_with(orders(), "order_date", 1, "05/01/2025")),
     "'order_date'", "05/01/2025"),
    ("unreadable date", lambda: validate_transactions(_with(orders(), "order_date", 0, "next tuesday")),
     "'order_date'", "next tuesday"),
    ("purchase after the snapshot", lambda: validate_transactions(orders(), snapshot_date="2025-03-01"),
     "'order_date'", "O4"),
    ("order id with two customers", lambda: validate_transactions(_with(orders(), "order_id", 1, "O1")),
     "'order_id'", "C2"),
    ("exact duplicate rows", lambda: validate_transactions(pd.concat([orders(), orders().iloc[[2]]])),
     "'order_id'", "O3"),
    ("negative cost in a table column", lambda: require_non_negative(
        pd.DataFrame({"cost": [3.0, -1.0]}, index=["a", "b"])["cost"], "cost",
        frame=pd.DataFrame({"cost": [3.0, -1.0]}, index=["a", "b"])), "'cost'", "-1.0"),
    ("blank id", lambda: require_present(_with(orders(), "customer_id", 1, " ")["customer_id"], "customer_id",
                                         what="a customer id", frame=_with(orders(), "customer_id", 1, " "),
                                         columns=["order_id", "customer_id"]), "'customer_id'", "O2"),
    ("category the mapping does not know", lambda: require_known(
        pd.Series(["x", "z"]), {"x": 0.5}, "category", known_name="margin_rates"), "category", "z"),
    ("unknown category in the raw export", lambda: clean_orders(pd.DataFrame({
        "order_id": ["O1"], "customer_id": ["C1"], "order_date": ["2024-05-01 10:00:00"], "channel": ["web"],
        "category": ["Garden"], "amount": ["10.00"]})), "'category'", "Garden"),
    ("zero amount in the raw export", lambda: clean_orders(pd.DataFrame({
        "order_id": ["O1"], "customer_id": ["C1"], "order_date": ["2024-05-01 10:00:00"], "channel": ["web"],
        "category": ["Home"], "amount": ["0.00"]})), "'amount'", "0.00"),
    ("summary of purchases with a missing date", lambda: summarize_purchases(
        _with(orders(), "order_date", 2, None), "customer_id", "order_date"), "'order_date'", "None"),
    ("recency larger than T", lambda: BetaGeo().fit([1, 2], [5.0, 30.0], [10.0, 20.0]), "'recency'", "30.0"),
    ("negative frequency", lambda: _fitted_bg().p_alive([1, -2], [5.0, 3.0], [10.0, 20.0]), "'frequency'", "-2"),
    ("repeat customer without positive spend", lambda: GammaGamma().fit([2, 1], [30.0, -5.0]),
     "'monetary_value'", "-5.0"),
    ("spend given as NaN without a spend model", lambda: customer_lifetime_value(
        _fitted_bg(), None, [1, 0], [4.0, 0.0], [20.0, 20.0], [np.nan, 0.0], horizon=12, discount_rate=0.01),
     "'monetary_value'", "NaN"),
    ("holdout summary with a fractional count", lambda: calibration_holdout(
        _fitted_bg(), _with(_holdout_summary(), "frequency_holdout", 1, 0.5)), "'frequency_holdout'", "0.5"),
]


def _raised(call: Callable[[], Any]) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InputError) as info:
            call()
    return str(info.value)


def assert_chinese_message(message: str, where: str) -> None:
    """Chinese, and no English sentence left in the words (the rows shown after the heading are data)."""
    words = message.split(ROWS_HEADING)[0].split("现有的列：")[0]
    assert CJK.search(words), f"{where}: no Chinese in {message!r}"
    left = english_left(words)
    assert not left, f"{where}: English left {left} in {message!r}"


@pytest.mark.parametrize("name, call, column, value", ROW_CASES, ids=[case[0] for case in ROW_CASES])
def test_a_bad_input_is_explained_in_chinese_with_its_column_and_rows(name, call, column, value):
    with language("zh"):
        message = _raised(call)
    assert_chinese_message(message, name)
    assert column in message, f"{name}: {column} not named in {message!r}"
    words, rows = message.split(ROWS_HEADING)
    assert column.strip("'") in words
    assert value in rows, f"{name}: the offending row ({value}) is not shown:\n{message}"
    assert "请" in words, f"{name}: the message does not say what to do: {words!r}"


@pytest.mark.parametrize("name, call, column, value", ROW_CASES, ids=[case[0] for case in ROW_CASES])
def test_the_english_message_of_the_same_input_stays_english(name, call, column, value):
    english = _raised(call)
    with language("zh"):
        chinese = _raised(call)
    assert not CJK.search(english.split("First offending rows:")[0]), english
    assert "First offending rows:" in english and ROWS_HEADING not in english
    # the rows shown are the same data in both editions
    assert english.split("First offending rows:")[1] == chinese.split(ROWS_HEADING)[1]


#: Refusals without rows to show: (name, call, what the message must name)
SCALAR_CASES: list[tuple[str, Callable[[], Any], str]] = [
    ("missing column, with its suggestion", lambda: validate_transactions(orders().rename(columns={"amount": "amt"})),
     "'amt'"),
    ("ambiguous as_of", lambda: as_timestamp("05/01/2025", "as_of"), "as_of"),
    ("None as a date", lambda: as_timestamp(None, "calibration_end"), "calibration_end"),
    ("a percentage as a rate", lambda: simple_clv(100, 80, 0.1), "retention"),
    ("ids missing in the other table", lambda: require_same_ids(pd.Index(["a", "b", "c"]), pd.Index(["a"]),
                                                                "current", "potential"), "'b'"),
    ("an empty selection", lambda: require_not_empty(pd.Series([], dtype=float), "values", "customers"), "values"),
    ("unknown time unit", lambda: unit_days("Y", "period"), "period"),
    ("text as a bool", lambda: load_cdnow(sample="False"), "sample"),
    ("a folder in a data file name", lambda: data_path("retailer", "../orders.csv"), "name"),
    ("no repeat buyer at all", lambda: BetaGeo().fit([0, 0], [0.0, 0.0], [5.0, 8.0]), "'frequency'"),
    ("calibration after the end", lambda: summarize_purchases(
        orders(), "customer_id", "order_date", calibration_end="2025-06-01", observation_end="2025-05-01"),
     "calibration_end"),
    ("an infinite horizon where it diverges", lambda: _fitted_bg().expected_purchases(np.inf, [1], [4.0], [10.0]),
     "t=inf"),
    ("holdout periods of different lengths", lambda: calibration_holdout(_fitted_bg(), _holdout_summary()),
     "duration_holdout"),
]


@pytest.mark.parametrize("name, call, named", SCALAR_CASES, ids=[case[0] for case in SCALAR_CASES])
def test_a_refused_parameter_is_explained_in_chinese(name, call, named):
    with language("zh"):
        message = _raised(call)
    assert_chinese_message(message, name)
    assert named in message, f"{name}: {named} not named in {message!r}"


def test_plural_and_counts_read_naturally_in_chinese():
    two_missing = _with(_with(orders(), "customer_id", 0, None), "customer_id", 2, "")
    with language("zh"):
        message = _raised(lambda: validate_transactions(two_missing))
        one = _raised(lambda: validate_transactions(_with(orders(), "customer_id", 0, None)))
    assert "2 个缺失的客户 ID" in message and "1 个缺失的客户 ID" in one
    assert "2 missing customer ids" in _raised(lambda: validate_transactions(two_missing))
    assert "1 missing customer id " in _raised(lambda: validate_transactions(_with(orders(), "customer_id", 0, None)))


def test_the_words_a_caller_passes_are_shown_in_chinese_and_not_as_table_headers():
    """"customers" is also a table header ("客户数", a count); inside a guard's message it is the noun."""
    with language("zh"):
        message = _raised(lambda: require_not_empty(pd.Series([], dtype=float), "values", "customers"))
    assert "没有可处理的客户。" in message and "客户数" not in message


def test_an_ambiguous_date_is_read_out_both_ways_in_chinese():
    with language("zh"):
        message = _raised(lambda: parse_dates(pd.Series(["05/01/2025", "06/01/2025"]), "order_date"))
    assert "1月5日，也可能是5月1日" in message
    assert "format='%d/%m/%Y'" in message  # the code of the fix is unchanged


def test_sentences_join_without_a_space_after_chinese_punctuation():
    assert join_sentences("列 'x' 中有 1 个负值。", "请修正。") == "列 'x' 中有 1 个负值。请修正。"
    assert join_sentences("One.", "", "Two.") == "One. Two."
    with language("zh"):
        message = _raised(lambda: require_probability(80, "retention"))
    assert "。 " not in message and message.endswith("0.8。")


def test_the_warnings_of_the_data_checks_are_chinese():
    dates = pd.Series(pd.to_datetime(["2025-12-30 09:00", "2025-12-31 18:30"]))
    late = orders().assign(order_date=["2025-01-05", "2025-02-01", "2025-03-14", "2025-09-02"])
    with language("zh"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        resolve_snapshot_date(dates)
        validate_transactions(_with(orders(), "amount", 1, -35.5), returns="exclude")
        summarize_purchases(late, "customer_id", "order_date", observation_end="2025-06-30")
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert len(messages) == 3, messages
    for message in messages:
        assert_chinese_message(message, "warning")
    assert "2026-01-01" in messages[0] and "在 4 行中删除了 1 行" in messages[1] and "1 笔交易" in messages[2]


def test_the_checks_for_chinese_can_fail():
    english = _raised(lambda: validate_transactions(_with(orders(), "customer_id", 2, None)))
    with pytest.raises(AssertionError):
        assert_chinese_message(english, "an English message")
    with pytest.raises(AssertionError):
        assert_chinese_message("列 'amount' 有问题。 Fix or drop these rows first.", "half translated")


# ----------------------------------------------------------------------------------------------
# The cleaning report
# ----------------------------------------------------------------------------------------------


def _messy() -> pd.DataFrame:
    return pd.DataFrame({
        "order_id": ["O0000001", "O0000002", "O0000002", "R0000001", "O0000003", "O0000004", "O0000005"],
        "customer_id": ["C00001", "C00002", "C00002", "C00001", "", "TEST01", " C00003"],
        "order_date": ["2024-05-01 10:00:00", "2024/05/02 11:30", "02.05.2024 11:30", "2024-05-09 12:00:00",
                       "2024-05-03 09:00:00", "2024-05-04 09:00:00", "2024-05-05 09:00:00"],
        "channel": ["app", "Mini_Program", "mini_program", "app", "web", "web", "WEB"],
        "category": ["  apparel", "Beauty", "BEAUTY ", "Apparel", "Home", "Home", "Home"],
        "amount": ["59.90", "120.00", "120.00", "-59.90", "15.00", "1.00", "20.00"],
    })


def test_the_cleaning_report_reads_in_chinese_with_the_same_counts():
    result = clean_orders(_messy())
    with language("zh"):
        same = clean_orders(_messy())
        text, report, summary = repr(result), result.shown_report(), result.shown_summary()
    # the data do not depend on the language
    pd.testing.assert_frame_equal(same.report, result.report)
    pd.testing.assert_frame_equal(same.summary(), result.summary())
    assert text.startswith("清洗结果：原始数据 7 行 → 3 笔订单 + 1 笔退货；删除 4 行，修改 3 行"), text
    assert list(report.columns) == ["原始行", "订单", "处理", "原因"]
    assert report["原始行"].tolist() == result.report["raw_row"].tolist()
    assert set(report["处理"]) == {"已删除", "已修改"}
    assert summary["行数"].tolist() == result.summary()["rows"].tolist()
    assert report["原因"].str.contains("游客订单").sum() == 1 and report["原因"].str.contains("测试订单").sum() == 1
    for reason in report["原因"]:
        assert_chinese(reason, "reason")
    for kind in summary["类型"]:
        assert CJK.search(kind), kind
    assert "'Mini_Program' → 'mini_program'" in report["原因"].str.cat()  # the values stay as they are
    assert "<table" in result._repr_html_()
    with language("zh"):
        assert "清洗结果" in result._repr_html_() and "类型" in result._repr_html_()


def test_the_english_report_is_unchanged():
    result = clean_orders(_messy())
    assert repr(result).startswith("CleaningResult: 7 raw rows -> 3 orders + 1 returns; 4 rows removed, 3 changed")
    pd.testing.assert_frame_equal(result.shown_report(), result.report)
    pd.testing.assert_frame_equal(result.shown_summary(), result.summary())
    assert shown_reason("guest order: no customer_id") == "guest order: no customer_id"


def test_every_reason_of_the_shipped_export_reads_in_chinese():
    result: CleaningResult = clean_orders(load_orders_raw())
    with language("zh"):
        reasons = result.shown_report()["原因"].unique()
        summary = result.shown_summary()
    assert summary["行数"].sum() == result.summary()["rows"].sum()
    assert len(summary) == len(result.summary())
    for reason in reasons:
        assert CJK.search(reason), reason
        assert not english_left(reason), reason
    # a reason written some other way would stay as it is: shown, never lost
    with language("zh"):
        assert shown_reason("something else entirely; guest order: no customer_id") == (
            "something else entirely；游客订单：没有 customer_id")


# ----------------------------------------------------------------------------------------------
# The CLV exercises
# ----------------------------------------------------------------------------------------------

IDS = exercise_ids("clv")


def test_every_exercise_of_the_module_is_covered():
    assert set(IDS) == {exercise.id for exercise in clv_exercises.EXERCISES}
    assert len(IDS) == 12


def test_the_options_the_workbook_prints_are_chinese_and_keep_their_letters():
    options = {name: value for name, value in vars(clv_exercises).items() if isinstance(value, Options)}
    assert set(options) == {"LEVER_OPTIONS", "HOLDOUT_OPTIONS", "ACQUISITION_STATEMENTS"}
    for name, texts in options.items():
        english = dict(texts)
        with language("zh"):
            chinese = dict(texts)
            printed = [f"{letter} {text}" for letter, text in texts.items()]  # as the workbook cell prints them
        assert list(chinese) == list(english), name
        assert [line[0] for line in printed] == list(english)
        for letter, text in chinese.items():
            assert_chinese(text, f"{name}[{letter}]")
            assert text != english[letter]
    with language("zh"):
        assert "33 元" in clv_exercises.LEVER_OPTIONS["B"]
        assert "200 元" in clv_exercises.ACQUISITION_STATEMENTS["A"]
        assert "200 元" in shown_text(get_exercise("clv.acquisition_decision").prompt)
    assert clv_exercises.LEVER_OPTIONS["B"] == "Raise the monthly margin by 10 % (30 -> 33 CNY)."


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_right_answer_passes_in_chinese_and_is_the_same_data(exercise_id):
    form = contract.answer_form(exercise_id)
    assert form is not None
    with language("zh"):
        expected_zh = get_exercise(exercise_id).expected()
    expected_en = get_exercise(exercise_id).expected()
    # the answer key is plain data, computed the same way in both editions
    if isinstance(expected_en, (pd.Series, pd.DataFrame)):
        assert expected_zh.equals(expected_en)
    else:
        assert expected_zh == expected_en
    for failures_before in (0, 2):
        feedback = zh_evaluate(exercise_id, lambda: form, failures_before)
        assert feedback.correct, feedback
        assert CJK.search(str(feedback)), str(feedback)


NEAR = [(exercise_id, case) for exercise_id in IDS for case in _near_cases(exercise_id)]


@pytest.mark.parametrize("exercise_id, case", NEAR, ids=[f"{i}::{c}" for i, c in NEAR])
def test_clv_near_misses_fail_with_a_chinese_hint(exercise_id, case):
    build = _near_cases(exercise_id)[case]
    for form in contract._forms(build):
        first, third = zh_evaluate(exercise_id, form, 0), zh_evaluate(exercise_id, form, 2)
        assert first.status == "hint" and third.status == "hint", f"{first.status}: {form()!r}"[:300]
        contract._assert_no_leak(exercise_id, first, third)
        for line in zh_lines(third):
            assert_chinese(line, f"{exercise_id}: {case}")


def test_a_cohort_answer_without_month_labels_is_refused_in_chinese():
    answer = pd.Series([0.5, 0.4], index=["first", "second"])
    feedback = zh_evaluate("clv.cohort_retention", lambda: answer, 0)
    assert feedback.status == "hint"
    assert "同期群" in feedback.message and "'2024-01'" in feedback.message
    assert_chinese(feedback.message, "cohort index")


def test_the_texts_follow_the_language_when_it_changes():
    exercise = get_exercise("clv.acquisition_decision")
    before = shown_text(exercise.prompt)
    with language("zh"):
        chinese = shown_text(exercise.prompt)
    assert before == shown_text(exercise.prompt) == (
        "Marketing wants to pay 200 CNY per new customer for livestream ads. Which statements are right? "
        "Give all letters that apply.")
    assert CJK.search(chinese) and not CJK.search(before)


# ----------------------------------------------------------------------------------------------
# The catalogs
# ----------------------------------------------------------------------------------------------


def _i18n_py():
    sys.path.insert(0, str(contract.ROOT / "tools"))
    import i18n_py

    return i18n_py


def test_the_catalogs_of_these_modules_are_complete():
    i18n_py = _i18n_py()
    report, _done = i18n_py.check()
    mine = [line for line in report.lines() if any(re.search(rf"\b{part}\.po:", line) for part in PARTS)]
    assert not mine, "\n".join(mine)
    for part in PARTS:
        assert (i18n_py.LOCALES["zh_CN"] / f"{part}.po").exists(), part


def test_the_catalogs_use_the_preferred_terms():
    """A variant of a glossary term (terminology.yml) belongs in the glossary only, not in a message."""
    i18n_py = _i18n_py()
    concepts = yaml.safe_load((contract.ROOT / "locales" / "zh_CN" / "terminology.yml").read_text(encoding="utf-8"))
    variants = {variant: concept["zh"] for concept in concepts for variant in concept.get("variants") or ()}
    assert variants
    found = []
    for part in PARTS:
        for message in i18n_py.load(i18n_py.LOCALES["zh_CN"] / f"{part}.po"):
            strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
            for text in strings:
                found += [f"{part}: {variant} (use {preferred}) in {text!r}"
                          for variant, preferred in variants.items() if variant in (text or "")]
    assert not found, "\n".join(found)
