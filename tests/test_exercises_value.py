"""Value-matrix exercises: each likely mistake, written the way a participant would, gets its hint."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cvmlib.datasets import load_orders
from cvmlib.exercises import check, exercise_ids, get_exercise
from cvmlib.exercises.value import (
    BUDGET,
    CURRENT_THRESHOLD,
    POTENTIAL_THRESHOLD,
    SERVICE_WEIGHTS,
    matrix_inputs,
)


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


@pytest.fixture(scope="module")
def revenue(orders) -> pd.Series:
    return orders.groupby("customer_id")["amount"].sum()


def _cum(revenue, ascending=False):
    ordered = revenue.sort_values(ascending=ascending)
    return ordered.cumsum() / ordered.sum()


def test_value_workbook_has_at_least_six_exercises():
    assert len(exercise_ids("value")) >= 6


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


# --- actions -----------------------------------------------------------------------------------
def test_rk_actions():
    best = {"True friends": "A", "Butterflies": "b", "Barnacles": "C", "Strangers": "D"}
    assert check("value.rk_actions", best).correct
    assert check("value.rk_actions", {**best, "Barnacles": "E"}).mistake == "loyalty_programme_for_barnacles"
    assert check("value.rk_actions", {**best, "Butterflies": "A"}).mistake == "relationship_for_butterflies"
    assert check("value.rk_actions", {**best, "Strangers": "C"}).mistake == "investment_in_strangers"


# --- never reveal, never crash -----------------------------------------------------------------
@pytest.mark.parametrize("exercise_id", exercise_ids("value"))
def test_feedback_never_prints_the_expected_answer(exercise_id):
    expected = get_exercise(exercise_id).expected()
    for answer in [..., 0, pd.Series([1, 2, 3]), "nonsense", {"x": 1}, pd.DataFrame({"a": [1], "b": [2]})]:
        feedback = check(exercise_id, answer)
        assert not feedback.correct
        text = str(feedback)
        if isinstance(expected, float):
            for shown in (f"{expected:.3f}", f"{expected:.2f}", f"{100 * expected:.1f}"):
                assert shown not in text
        if isinstance(expected, pd.Series) and pd.api.types.is_numeric_dtype(expected):
            for value in expected:
                assert f"{value:,.0f}" not in text and f"{value:.0f}" not in text.replace(",", "")
        assert "Traceback" not in text and "Traceback" not in feedback._repr_html_()
