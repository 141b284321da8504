"""Value-matrix exercises: each likely mistake, written the way a participant would, gets its hint.

Correct variants (rounded to the precision the prompt asks for, int or float, ids as a column)
pass; the smallest plausible wrong answers fail. The generic guarantees (the expected answer
passes, odd answers and the exercises' own near misses fail, nothing leaks) are in
tests/test_exercise_contract.py, for every chapter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cvmlib.datasets import load_orders
from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises.value import (
    BUDGET,
    BUDGET_OPTIONS,
    CURRENT_THRESHOLD,
    MIGRATION_OPTIONS,
    POTENTIAL_THRESHOLD,
    SERVICE_WEIGHTS,
    matrix_inputs,
)
from cvmlib.value import gini


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


@pytest.fixture(scope="module")
def revenue(orders) -> pd.Series:
    return orders.groupby("customer_id")["amount"].sum()


def _cum(revenue, ascending=False):
    ordered = revenue.sort_values(ascending=ascending)
    return ordered.cumsum() / ordered.sum()


def _letter(options: dict[str, str], start: str) -> str:
    return next(key for key, text in options.items() if text.startswith(start))


def test_value_workbook_has_at_least_six_exercises_and_interpretation_questions():
    assert len(exercise_ids("value")) >= 6
    interpret = [i for i in exercise_ids("value") if get_exercise(i).kind == "interpret"]
    assert len(interpret) >= 2, interpret


# --- ABC ---------------------------------------------------------------------------------------
def test_abc_correct_participant_solution_and_mistakes(revenue):
    cum = _cum(revenue)
    before = cum - revenue.sort_values(ascending=False) / revenue.sum()
    right = pd.cut(before, [-1, 0.8, 0.95, 2], right=False, labels=["A", "B", "C"])
    assert check("value.abc_classes", right).correct
    typical = pd.cut(cum, [0, 0.8, 0.95, 1.0001], labels=["A", "B", "C"])
    assert check("value.abc_classes", typical).mistake == "boundary_customer_in_b"
    ascending = pd.cut(_cum(revenue, ascending=True), [0, 0.8, 0.95, 1.0001], labels=["A", "B", "C"])
    assert check("value.abc_classes", ascending).mistake == "ascending_sort"
    rank_share = revenue.rank(ascending=False, method="first") / len(revenue)
    by_customers = pd.cut(rank_share, [0, 0.8, 0.95, 1], labels=["A", "B", "C"])
    assert check("value.abc_classes", by_customers).mistake == "customer_share_cut"


def test_abc_only_the_95_percent_boundary_customer_wrong_fails(revenue):
    cum = _cum(revenue)
    before = cum - revenue.sort_values(ascending=False) / revenue.sum()
    half_right = pd.Series(np.where(before < 0.8, "A", np.where(cum <= 0.95, "B", "C")), index=before.index)
    assert check("value.abc_classes", half_right.rename("abc").reset_index()).status == "hint"


# --- 80/20 -------------------------------------------------------------------------------------
def test_pareto_share_correct_and_mistakes(revenue):
    cum = _cum(revenue)
    right = ((cum < 0.8).sum() + 1) / len(cum)
    assert check("value.pareto_share", right).correct
    assert check("value.pareto_share", (cum <= 0.8).mean()).mistake == "boundary_customer_left_out"
    top20 = revenue.sort_values(ascending=False).head(len(revenue) // 5).sum() / revenue.sum()
    assert check("value.pareto_share", top20).mistake == "top20_revenue_share"
    asc = _cum(revenue, ascending=True)
    assert check("value.pareto_share", (asc <= 0.8).mean()).mistake == "ascending_sort"
    assert check("value.pareto_share", int((cum < 0.8).sum() + 1)).mistake == "count_not_share"
    assert check("value.pareto_share", 100 * right).mistake == "percent_not_fraction"


def test_pareto_share_precision(revenue):
    cum = _cum(revenue)
    needed = (cum < 0.8).sum() + 1
    assert check("value.pareto_share", round(needed / len(cum), 4)).correct  # 4 decimals, as the prompt asks
    assert not check("value.pareto_share", (needed + 1) / len(cum)).correct  # one customer more
    assert not check("value.pareto_share", needed / (len(cum) - 1)).correct


# --- Gini --------------------------------------------------------------------------------------
def test_gini_correct_and_mistakes(revenue):
    x = np.sort(revenue.to_numpy())
    n = len(x)
    lorenz = np.concatenate([[0.0], np.cumsum(x) / x.sum()])
    area = np.trapezoid(lorenz, dx=1 / n)
    assert check("value.gini", 1 - 2 * area).correct
    assert check("value.gini", 1 - 2 * lorenz[1:].mean()).mistake == "right_endpoints"
    desc = np.concatenate([[0.0], np.cumsum(x[::-1]) / x.sum()])
    assert check("value.gini", 1 - 2 * np.trapezoid(desc, dx=1 / n)).mistake == "descending_lorenz"
    assert check("value.gini", (1 - 2 * area) * n / (n - 1)).mistake == "sample_correction"
    assert check("value.gini", round(1 - 2 * area, 4)).correct  # 4 decimals, as the prompt asks


def test_gini_of_one_customer_too_few_fails(revenue, orders):
    assert not check("value.gini", gini(revenue.drop(revenue.idxmin()))).correct
    in_2025 = orders[orders["order_date"].dt.year == 2025].groupby("customer_id")["amount"].sum()
    assert check("value.gini", gini(in_2025)).mistake == "one_year_only"


# --- matrix ------------------------------------------------------------------------------------
def _by_hand(current, potential, t_current, t_potential):
    high_c, high_p = current >= t_current, potential >= t_potential
    cell = np.select([high_c & high_p, high_c & ~high_p, ~high_c & high_p], ["Key", "Maintain", "Develop"], "Basic")
    return pd.Series(cell, index=current.index).value_counts()


def test_matrix_cells_correct_and_mistakes():
    current, potential = matrix_inputs()
    assert check("value.matrix_cells", _by_hand(current, potential, CURRENT_THRESHOLD, POTENTIAL_THRESHOLD)).correct
    swapped = _by_hand(current, potential, POTENTIAL_THRESHOLD, CURRENT_THRESHOLD)
    assert check("value.matrix_cells", swapped).mistake == "thresholds_swapped"
    # a participant mixing up which off-diagonal cell is which
    feedback = check("value.matrix_cells", _by_hand(current, potential, CURRENT_THRESHOLD, POTENTIAL_THRESHOLD)
                     .rename({"Maintain": "Develop", "Develop": "Maintain"}))
    assert feedback.mistake == "axes_swapped"


def test_matrix_cells_exact_counts():
    current, potential = matrix_inputs()
    counts = _by_hand(current, potential, CURRENT_THRESHOLD, POTENTIAL_THRESHOLD)
    assert check("value.matrix_cells", counts.astype(float).rename("n").rename_axis("cell").reset_index()).correct
    one_moved = counts.copy()
    one_moved["Basic"] -= 1
    one_moved["Develop"] += 1
    assert not check("value.matrix_cells", one_moved).correct


# --- budget ------------------------------------------------------------------------------------
def test_budget_split_correct_and_mistakes():
    current, potential = matrix_inputs()
    sizes = _by_hand(current, potential, CURRENT_THRESHOLD, POTENTIAL_THRESHOLD)
    weights = pd.Series(SERVICE_WEIGHTS)
    units = sizes * weights
    assert check("value.budget_split", BUDGET * units / units.sum()).correct
    assert check("value.budget_split", BUDGET * weights / weights.sum()).mistake == "weights_ignore_cell_size"
    assert check("value.budget_split", BUDGET * sizes / sizes.sum()).mistake == "customers_only"
    assert check("value.budget_split", units * (BUDGET / len(current))).mistake == "does_not_add_up"


def test_budget_split_to_the_nearest_yuan():
    current, potential = matrix_inputs()
    sizes = _by_hand(current, potential, CURRENT_THRESHOLD, POTENTIAL_THRESHOLD)
    units = sizes * pd.Series(SERVICE_WEIGHTS)
    split = BUDGET * units / units.sum()
    assert check("value.budget_split", split.round(0)).correct  # the precision the prompt asks for
    assert check("value.budget_split", split.round(2).astype(object).astype(float)).correct
    moved = sizes.copy()  # one Basic customer counted as Develop
    moved["Basic"] -= 1
    moved["Develop"] += 1
    units_moved = moved * pd.Series(SERVICE_WEIGHTS)
    assert not check("value.budget_split", BUDGET * units_moved / units_moved.sum()).correct
    assert not check("value.budget_split", split.round(-2)).correct  # hundreds of yuan


# --- interpretation: the budget split -----------------------------------------------------------
def test_budget_reading_follows_from_the_split():
    current, potential = matrix_inputs()
    sizes = _by_hand(current, potential, CURRENT_THRESHOLD, POTENTIAL_THRESHOLD)
    units = sizes * pd.Series(SERVICE_WEIGHTS)
    split = BUDGET * units / units.sum()
    assert split.idxmax() == sizes.idxmax() != "Key" and (split / sizes).idxmax() == "Key"
    assert check("value.budget_reading", _letter(BUDGET_OPTIONS, "The cell with the largest amount has it")).correct


@pytest.mark.parametrize("start, mistake", [("The cell with the largest amount is also", "total_as_per_customer"),
                                            ("Key gets the largest amount", "key_gets_most"),
                                            ("Basic customers get no service", "lowest_weight_nothing")])
def test_budget_reading_mistakes(start, mistake):
    assert check("value.budget_reading", _letter(BUDGET_OPTIONS, start)).mistake == mistake


# --- migration ---------------------------------------------------------------------------------
def _abc(values):
    ordered = values.sort_values(ascending=False)
    before = (ordered.cumsum() - ordered) / ordered.sum()
    return pd.Series(np.where(before < 0.8, "A", np.where(before < 0.95, "B", "C")), index=ordered.index)


def test_slipped_share_correct_and_mistakes(orders):
    year = orders["order_date"].dt.year
    t24 = _abc(orders[year == 2024].groupby("customer_id")["amount"].sum()).rename("t2024")
    t25 = _abc(orders[year == 2025].groupby("customer_id")["amount"].sum()).rename("t2025")
    both = pd.concat([t24, t25], axis=1)
    both["t2025"] = both["t2025"].fillna("gone")
    table = pd.crosstab(both["t2024"], both["t2025"])
    assert check("value.slipped_share", table.loc["A", "C"] / table.loc["A"].sum()).correct
    assert check("value.slipped_share", table.loc["A", "C"] / table["C"].sum()).mistake == "column_share"
    inner = pd.concat([t24, t25], axis=1, join="inner")  # an inner merge drops the gone customers
    by_rows = pd.crosstab(inner["t2024"], inner["t2025"], normalize="index")
    assert check("value.slipped_share", by_rows.loc["A", "C"]).mistake == "gone_dropped"
    assert check("value.slipped_share", (table.loc["A", "C"] + table.loc["A", "gone"]) / table.loc["A"].sum()) \
        .mistake == "gone_counted_as_c"
    assert check("value.slipped_share", int(table.loc["A", "C"])).mistake == "count_not_share"
    assert check("value.slipped_share", round(table.loc["A", "C"] / table.loc["A"].sum(), 4)).correct
    assert not check("value.slipped_share", (table.loc["A", "C"] + 1) / table.loc["A"].sum()).correct


# --- interpretation: where to look first ----------------------------------------------------------
def test_migration_priority_follows_from_the_a_row(orders):
    year = orders["order_date"].dt.year
    t24 = _abc(orders[year == 2024].groupby("customer_id")["amount"].sum())
    t25 = _abc(orders[year == 2025].groupby("customer_id")["amount"].sum())
    now = t25.reindex(t24.index[t24 == "A"]).fillna("gone").value_counts(normalize=True)
    assert now[["B", "C", "gone"]].idxmax() == "gone" and now["A"] < 0.5
    assert check("value.migration_priority", _letter(MIGRATION_OPTIONS, "The 2024 A customers who did not")).correct


@pytest.mark.parametrize("start, mistake", [("The slide from A to C", "slipped_only"),
                                            ("Nothing urgent", "most_stayed"),
                                            ("The slide from A to B", "slipped_to_b")])
def test_migration_priority_mistakes(start, mistake):
    assert check("value.migration_priority", _letter(MIGRATION_OPTIONS, start)).mistake == mistake


# --- actions -----------------------------------------------------------------------------------
def test_rk_actions():
    best = {"True friends": "A", "Butterflies": "b", "Barnacles": "C", "Strangers": "D"}
    assert check("value.rk_actions", best).correct
    assert check("value.rk_actions", {**best, "Barnacles": "E"}).mistake == "loyalty_programme_for_barnacles"
    assert check("value.rk_actions", {**best, "Butterflies": "A"}).mistake == "relationship_for_butterflies"
    assert check("value.rk_actions", {**best, "Strangers": "C"}).mistake == "investment_in_strangers"
    assert check("value.rk_actions", {**best, "True friends": "B"}).mistake == "true_friends_neglected"
