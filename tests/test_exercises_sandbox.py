"""Micro-sandbox exercises: each likely mistake, written the way a participant would, gets its hint.

The practice round the exercises use is the sandbox's own round (the per-customer outcomes rebuilt
from its public pieces give exactly its round table); correct variants pass; the smallest wrong
answers fail. The generic guarantees are in tests/test_exercise_contract.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises.sandbox import (
    NEXT_ROUND_STATEMENTS,
    PRACTICE_BUDGET,
    PRACTICE_SEGMENT,
    SEGMENT_OPTIONS,
    WINBACK_OPTIONS,
    practice_outcomes,
    practice_result,
)
from cvmlib.sandbox import MARGIN


@pytest.fixture(autouse=True)
def _no_progress_log(monkeypatch):
    monkeypatch.setenv("CVM_PROGRESS", "off")


@pytest.fixture(scope="module")
def practice() -> pd.DataFrame:
    return practice_outcomes()


@pytest.fixture(scope="module")
def groups(practice) -> tuple[pd.Series, pd.Series]:
    segment = practice[practice["segment"] == PRACTICE_SEGMENT]
    return (segment.loc[segment["group"] == "treated", "profit"], segment.loc[segment["group"] == "holdout", "profit"])


def _letter(segment: str) -> str:
    return next(letter for letter, text in SEGMENT_OPTIONS.items() if text.endswith(f" {segment}"))


def test_sandbox_workbook_has_checked_and_interpret_exercises():
    ids = exercise_ids("sandbox")
    assert len(ids) >= 6
    assert sum(get_exercise(i).kind == "interpret" for i in ids) >= 3
    assert all(get_exercise(i).form is not None for i in ids if get_exercise(i).kind == "interpret")


def test_practice_outcomes_reproduce_the_sandbox_round_table(practice):
    """The per-customer outcomes are the sandbox's round: every segment's measured numbers agree."""
    table = practice_result().table
    for segment, row in table.iterrows():
        member = practice[practice["segment"] == segment]
        treated, holdout = member[member["group"] == "treated"], member[member["group"] == "holdout"]
        assert len(treated) == row["treated"] and len(holdout) == row["holdout"]
        gain = (treated["profit"].mean() - holdout["profit"].mean()) * len(treated)
        assert gain == pytest.approx(row["unadjusted_incremental_profit"], abs=1e-6)
        assert treated["cost"].sum() == pytest.approx(row["cost"], abs=1e-6)
    assert set(table.index) == set(PRACTICE_BUDGET)
    # profit is margin - discount - cost, per customer
    assert np.allclose(practice["profit"], MARGIN * practice["revenue"] - practice["discount"] - practice["cost"])


def test_incremental_profit_correct_and_mistakes(practice, groups):
    treated, holdout = groups
    gain = (treated.mean() - holdout.mean()) * len(treated)
    assert check("sandbox.incremental_profit", round(gain)).correct
    assert check("sandbox.incremental_profit", np.float64(gain)).correct
    assert check("sandbox.incremental_profit", treated.sum() - holdout.sum()).mistake == "totals_difference"
    assert check("sandbox.incremental_profit", treated.mean() - holdout.mean()).mistake == "per_customer_only"
    assert check("sandbox.incremental_profit",
                 (treated.mean() - holdout.mean()) * (len(treated) + len(holdout))).mistake == "whole_segment"
    segment = practice[practice["segment"] == PRACTICE_SEGMENT]
    revenue = segment.groupby("group")["revenue"].mean()
    assert check("sandbox.incremental_profit",
                 (revenue["treated"] - revenue["holdout"]) * len(treated)).mistake == "revenue_not_profit"
    before = (segment["profit"] + segment["cost"]).groupby(segment["group"]).mean()
    assert check("sandbox.incremental_profit",
                 (before["treated"] - before["holdout"]) * len(treated)).mistake == "cost_left_out"
    assert check("sandbox.incremental_profit", treated.sum()).mistake == "treated_only"
    assert check("sandbox.incremental_profit", round(gain) + 2).status == "hint"


def test_roi_correct_and_mistakes(practice, groups):
    treated, holdout = groups
    gain = (treated.mean() - holdout.mean()) * len(treated)
    cost = practice.loc[(practice["segment"] == PRACTICE_SEGMENT) & (practice["group"] == "treated"), "cost"].sum()
    assert check("sandbox.roi", round(gain / cost, 3)).correct
    assert check("sandbox.roi", (gain + cost) / cost).mistake == "gross_return"
    assert check("sandbox.roi", cost / gain).mistake == "inverted"
    assert check("sandbox.roi", 100 * gain / cost).mistake == "percent_not_ratio"
    assert check("sandbox.roi", gain / 100_000).mistake == "all_the_budget"
    assert check("sandbox.roi", round(gain / cost, 1)).status == "hint"


def test_interval_correct_and_mistakes(groups):
    treated, holdout = groups
    diff = treated.mean() - holdout.mean()
    se = np.sqrt(treated.var() / len(treated) + holdout.var() / len(holdout))
    assert check("sandbox.ci_low", round(diff - 1.96 * se, 2)).correct
    assert check("sandbox.ci_low", diff - 1.959964 * se).correct  # the exact z moves it by 0.0005 only
    assert check("sandbox.ci_low", diff - 1.96 * np.sqrt(treated.var() + holdout.var())).mistake == "sd_not_se"
    assert check("sandbox.ci_low", diff - 1.96 * np.sqrt(treated.var() / len(treated))
                 ).mistake == "holdout_variance_left_out"
    se0 = np.sqrt(np.var(treated.to_numpy()) / len(treated) + np.var(holdout.to_numpy()) / len(holdout))
    assert check("sandbox.ci_low", diff - 1.96 * se0).mistake == "population_sd"
    assert check("sandbox.ci_low", diff - 1.645 * se).mistake == "one_sided_z"
    assert check("sandbox.ci_low", (diff - 1.96 * se) * len(treated)).mistake == "scaled_up"
    # the sandbox's own interval, per treated customer, is the same number
    row = practice_result().table.loc[PRACTICE_SEGMENT]
    assert row["unadjusted_ci_low"] / row["treated"] == pytest.approx(diff - 1.959964 * se, abs=1e-4)


def test_reading_the_table_against_the_intervals():
    table = practice_result().table
    gains = {_letter(s) for s in table.index[table["ci_low"] > 0]} or {"G"}
    losses = {_letter(s) for s in table.index[table["ci_high"] < 0]} or {"G"}
    assert check("sandbox.clear_gain", gains).correct
    assert check("sandbox.clear_loss", ", ".join(sorted(losses))).correct
    right_gain = gains - {"G"}
    # the largest point estimate, read without its interval
    top = table["incremental_profit"].idxmax()
    if table.loc[top, "ci_low"] <= 0:
        assert check("sandbox.clear_gain", right_gain | {_letter(top)}).mistake in {"estimate_without_interval",
                                                                                   "best_roi"}
    right_loss = losses - {"G"}
    for segment in table.index[(table["incremental_profit"] < 0) & (table["ci_high"] >= 0)]:
        assert check("sandbox.clear_loss", right_loss | {_letter(segment)}).mistake == "estimate_without_interval"
    if len(right_loss) > 1:
        assert check("sandbox.clear_loss", set(sorted(right_loss)[1:])).mistake == "loss_left_out"


def test_winback_reading_and_next_round(practice):
    lapsed = practice[practice["segment"] == "lapsed"].groupby("group")["orders"].mean()
    assert lapsed["holdout"] > 0 and lapsed["treated"] > lapsed["holdout"]
    assert set(WINBACK_OPTIONS) == set("ABCD")
    assert check("sandbox.winback_reading", "B").correct
    assert check("sandbox.winback_reading", "A").mistake == "before_after"
    assert check("sandbox.winback_reading", "D").mistake == "no_baseline"
    assert set(NEXT_ROUND_STATEMENTS) == set("ABCDE")
    assert check("sandbox.next_round", "A, B, D").correct
    assert check("sandbox.next_round", {"A", "B"}).mistake == "luck_forgotten"
    assert check("sandbox.next_round", {"D"}).mistake == "side_effects_forgotten"
    assert check("sandbox.next_round", {"A", "B", "C", "D"}).mistake == "rules_change"
