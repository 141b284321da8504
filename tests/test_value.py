"""cvmlib.value: the ABC boundary rule, Gini against independent formulas, matrices, budgets, migration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvmlib.datasets import load_orders
from cvmlib.validate import InputError
from cvmlib.value import (
    RK_QUADRANTS,
    VALUE_CELLS,
    abc_classes,
    active_periods,
    allocate_budget,
    cell_summary,
    gini,
    gross_profit,
    lorenz_curve,
    loyalty_profitability,
    pareto_share,
    tier_transitions,
    top_share,
    value_matrix,
    wallet_headroom,
)

amounts = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=60).filter(lambda v: sum(v) > 0)


def _series(values, prefix="c"):
    return pd.Series([float(v) for v in values], index=[f"{prefix}{i}" for i in range(len(values))])


# --- ABC classes -------------------------------------------------------------------------------
def test_abc_boundary_customer_reaching_the_cut_is_in_the_better_class():
    # sorted descending: 50 (50 %), 30 (80 %), 10 (90 %), 6 (96 %), 4 (100 %)
    classes = abc_classes(pd.Series({"a": 10.0, "b": 50.0, "c": 30.0, "d": 6.0, "e": 4.0}))
    assert classes.astype(str).to_dict() == {"a": "B", "b": "A", "c": "A", "d": "B", "e": "C"}
    # the first customer always is A, even when alone above the cut
    assert abc_classes(pd.Series({"big": 99.0, "small": 1.0})).astype(str).tolist() == ["A", "C"]


def test_abc_is_an_ordered_categorical_with_every_class():
    classes = abc_classes(_series([5, 5, 5, 5]))
    assert list(classes.cat.categories) == ["A", "B", "C"] and classes.cat.ordered
    assert classes.name == "abc_class"


def test_abc_ties_share_a_class():
    # 4 equal customers: the ones before any of them make 0 % < 80 %: all A
    assert (abc_classes(_series([5, 5, 5, 5])) == "A").all()
    classes = abc_classes(_series([60, 10, 10, 10, 10]))  # 60 %, then the tie block 60..100 %
    assert classes.astype(str).tolist() == ["A", "A", "A", "A", "A"]


@settings(max_examples=60, deadline=None)
@given(amounts, st.randoms(use_true_random=False))
def test_abc_does_not_depend_on_row_order(values, rnd):
    s = _series(values)
    shuffled = s.sample(frac=1, random_state=rnd.randint(0, 10_000))
    assert abc_classes(shuffled).reindex(s.index).astype(str).equals(abc_classes(s).astype(str))


@settings(max_examples=60, deadline=None)
@given(amounts)
def test_abc_classes_are_monotone_in_value_and_a_reaches_the_cut(values):
    s = _series(values)
    classes = abc_classes(s)
    codes = classes.cat.codes
    order = s.sort_values(ascending=False).index
    assert (np.diff(codes[order].to_numpy()) >= 0).all()  # larger value never in a worse class
    assert s[classes == "A"].sum() >= 0.8 * s.sum() - 1e-9  # A always covers the first 80 %
    assert pareto_share(s) == pytest.approx((classes == "A").mean())


def test_abc_zero_values_are_c_and_custom_labels():
    classes = abc_classes(_series([100, 0, 0]), labels=("high", "medium", "low"))
    assert classes.astype(str).tolist() == ["high", "low", "low"]
    assert abc_classes(_series([3, 1]), cuts=(0.5,)).astype(str).tolist() == ["A", "B"]


def test_abc_single_customer_is_a():
    assert abc_classes(pd.Series({"only": 12.0})).astype(str).tolist() == ["A"]


@pytest.mark.parametrize("cuts", [(0.95, 0.8), (0, 0.9), (0.8, 1.2), (), (0.8, 0.8)])
def test_abc_rejects_bad_cuts(cuts):
    with pytest.raises(InputError, match="cuts"):
        abc_classes(_series([1, 2, 3]), cuts=cuts)


def test_abc_rejects_wrong_number_of_labels():
    with pytest.raises(InputError, match="labels"):
        abc_classes(_series([1, 2, 3]), labels=("A", "B"))


# --- bad value input ---------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [abc_classes, lorenz_curve, gini, pareto_share, top_share])
def test_bad_values_raise_input_errors_that_name_the_problem(fn):
    with pytest.raises(InputError, match="empty"):
        fn(pd.Series([], dtype="float64"))
    with pytest.raises(InputError, match="all zero"):
        fn(_series([0, 0, 0]))
    with pytest.raises(InputError, match=r"negative value.*\n.*\n.*C2"):
        fn(pd.Series({"C1": 5.0, "C2": -3.0}))
    with pytest.raises(InputError, match=r"row with (missing|infinite) values.*\n.*\n.*C9"):
        fn(pd.Series({"C1": 5.0, "C9": np.nan}))
    with pytest.raises(InputError, match="numeric"):
        fn(pd.Series(["10", "20"]))
    with pytest.raises(InputError, match="DataFrame"):
        fn(pd.DataFrame({"a": [1.0], "b": [2.0]}))


def test_plain_lists_are_accepted():
    assert gini([1, 1, 1]) == 0.0


# --- Lorenz and Gini ---------------------------------------------------------------------------
def _gini_mean_difference(values):
    x = np.asarray(values, dtype=float)
    return np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())


@settings(max_examples=80, deadline=None)
@given(amounts)
def test_gini_matches_the_mean_absolute_difference_and_the_lorenz_area(values):
    g = gini(_series(values))
    assert g == pytest.approx(_gini_mean_difference(values), abs=1e-12)
    curve = lorenz_curve(_series(values))
    y = curve["value_share"].to_numpy()
    area = float(np.sum((y[1:] + y[:-1]) / 2) / (len(y) - 1))
    assert g == pytest.approx(1 - 2 * area, abs=1e-12)
    assert 0 <= g <= (len(values) - 1) / len(values) + 1e-12


@pytest.mark.parametrize("n", [1, 2, 5, 100])
def test_gini_known_cases(n):
    assert gini(_series([7] * n)) == 0.0
    assert gini(_series([0] * (n - 1) + [42])) == pytest.approx((n - 1) / n)


def test_gini_is_scale_invariant():
    s = _series([1, 4, 9, 20])
    assert gini(s * 1000) == pytest.approx(gini(s))


def test_lorenz_curve_runs_from_origin_to_one_and_is_convex():
    curve = lorenz_curve(_series([9, 1, 5, 5]))
    assert curve.iloc[0].tolist() == [0.0, 0.0] and curve.iloc[-1].tolist() == [1.0, 1.0]
    assert curve["value_share"].tolist() == [0.0, 0.05, 0.3, 0.55, 1.0]
    assert (np.diff(curve["value_share"], 2) >= -1e-12).all()


def test_top_share_and_pareto_share_on_a_known_case():
    s = _series([50, 30, 10, 6, 4])
    assert top_share(s, 0.2) == pytest.approx(0.5)
    assert top_share(s, 0.4) == pytest.approx(0.8)
    assert pareto_share(s, 0.8) == pytest.approx(0.4)
    assert pareto_share(s, 0.81) == pytest.approx(0.6)
    with pytest.raises(InputError, match="value_share"):
        pareto_share(s, 1.5)


# --- matrices ----------------------------------------------------------------------------------
def test_value_matrix_threshold_is_inclusive_and_per_axis():
    current = pd.Series({"a": 500.0, "b": 499.0, "c": 10.0})
    potential = pd.Series({"a": 300.0, "b": 300.0, "c": 299.0})
    cells = value_matrix(current, potential, current_threshold=500, potential_threshold=300)
    assert cells.astype(str).tolist() == ["Key", "Develop", "Basic"]
    assert list(cells.cat.categories) == list(VALUE_CELLS)
    swapped = value_matrix(current, potential, current_threshold=300, potential_threshold=500)
    assert swapped.astype(str).tolist() == ["Maintain", "Maintain", "Basic"]


def test_value_matrix_aligns_on_customer_ids_not_positions():
    current = pd.Series({"a": 900.0, "b": 10.0})
    potential = pd.Series({"b": 900.0, "a": 10.0})
    assert value_matrix(current, potential, 100, 100).astype(str).to_dict() == {"a": "Maintain", "b": "Develop"}


def test_value_matrix_bad_input():
    current = pd.Series({"a": 1.0, "b": 2.0})
    with pytest.raises(InputError, match=r"1 id of current is missing from potential: \['b'\]"):
        value_matrix(current, pd.Series({"a": 1.0, "z": 2.0}), 1, 1)
    with pytest.raises(InputError, match=r"potential has 1 row with missing values.*\n.*\n.*b"):
        value_matrix(current, pd.Series({"a": 1.0, "b": np.nan}), 1, 1)
    with pytest.raises(InputError, match="current_threshold"):
        value_matrix(current, current, np.nan, 1)
    with pytest.raises(InputError, match="potential_threshold"):
        value_matrix(current, current, 1, "high")
    with pytest.raises(InputError, match="repeated customer id"):
        value_matrix(pd.Series([1.0, 2.0], index=["a", "a"]), pd.Series([1.0, 2.0], index=["a", "a"]), 1, 1)
    # negative current values are allowed: they are simply low
    assert value_matrix(pd.Series({"a": -5.0}), pd.Series({"a": 5.0}), 0, 0).astype(str).tolist() == ["Develop"]


def test_loyalty_profitability_quadrants():
    loyalty = pd.Series({"a": 6, "b": 1, "c": 7, "d": 1})
    profit = pd.Series({"a": 400.0, "b": 380.0, "c": 20.0, "d": -5.0})
    quadrants = loyalty_profitability(loyalty, profit, loyalty_threshold=4, profit_threshold=100)
    assert quadrants.astype(str).tolist() == ["True friends", "Butterflies", "Barnacles", "Strangers"]
    assert list(quadrants.cat.categories) == list(RK_QUADRANTS)


def test_cell_summary_keeps_empty_cells_and_shares_sum_to_one():
    cells = value_matrix(pd.Series({"a": 9.0, "b": 1.0}), pd.Series({"a": 9.0, "b": 1.0}), 5, 5)
    summary = cell_summary(cells, pd.Series({"a": 9.0, "b": 1.0}))
    assert summary.index.tolist() == list(VALUE_CELLS)
    assert summary["customers"].tolist() == [1, 0, 0, 1]
    assert summary["value_share"].sum() == pytest.approx(1.0)


# --- budget ------------------------------------------------------------------------------------
@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(VALUE_CELLS), min_size=1, max_size=40),
       st.floats(min_value=0.01, max_value=1e7),
       st.lists(st.integers(min_value=1, max_value=20), min_size=4, max_size=4))
def test_budget_always_adds_up_to_the_cent(cells, budget, weights):
    amounts = allocate_budget(pd.Series(cells), round(budget, 2), dict(zip(VALUE_CELLS, weights)))
    assert round(amounts.sum(), 2) == round(budget, 2)
    assert (amounts >= 0).all()


def test_budget_follows_weight_times_customers_or_value():
    cells = pd.Series(["Key", "Basic", "Basic", "Basic"], index=list("abcd"))
    assert allocate_budget(cells, 900, {"Key": 6, "Basic": 1}).to_dict() == {"Basic": 300.0, "Key": 600.0}
    values = pd.Series({"a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0})
    by_value = allocate_budget(cells, 900, {"Key": 6, "Basic": 1}, basis="value", values=values)
    assert by_value.to_dict() == {"Basic": 300.0, "Key": 600.0}
    categorical = value_matrix(values, values, 5, 5)  # everybody "Basic"; the other cells get 0
    assert allocate_budget(categorical, 100).to_dict() == {"Key": 0.0, "Maintain": 0.0, "Develop": 0.0, "Basic": 100.0}


def test_budget_bad_input():
    cells = pd.Series(["Key", "Basic"])
    with pytest.raises(InputError, match="no weight for cell"):
        allocate_budget(cells, 100, {"Key": 1})
    with pytest.raises(InputError, match=r"budget=.* is not positive"):
        allocate_budget(cells, 0)
    with pytest.raises(InputError, match="values="):
        allocate_budget(cells, 100, basis="value")
    with pytest.raises(InputError, match=r"weights\['Key'\]=-1 is negative"):
        allocate_budget(cells, 100, {"Key": -1, "Basic": 1})
    with pytest.raises(InputError, match="nothing to allocate"):
        allocate_budget(cells, 100, {"Key": 0, "Basic": 0})
    with pytest.raises(InputError, match="empty"):
        allocate_budget(pd.Series([], dtype="str"), 100)


# --- migration ---------------------------------------------------------------------------------
def test_transitions_count_new_and_gone_explicitly():
    before = pd.Series({"a": "A", "b": "A", "c": "B", "d": "C"})
    after = pd.Series({"a": "A", "b": "C", "c": "A", "e": "B"})
    moves = tier_transitions(before, after)
    assert moves.counts.loc["A"].tolist() == [1, 0, 1, 0]
    assert moves.counts.loc["C", "gone"] == 1 and moves.counts.loc["new", "B"] == 1
    assert int(moves.counts.to_numpy().sum()) == 5  # every customer of either period once
    assert moves.shares.loc["A", "C"] == 0.5
    assert moves.shares.loc[["A", "B", "C", "new"]].sum(axis=1).tolist() == [1.0, 1.0, 1.0, 1.0]


def test_transitions_use_the_categorical_tier_order_and_mark_empty_rows():
    tiers = pd.CategoricalDtype(["high", "medium", "low"], ordered=True)
    before = pd.Series(["high", "low"], index=["a", "b"], dtype=tiers)
    after = pd.Series(["low", "low"], index=["a", "b"], dtype=tiers)
    moves = tier_transitions(before, after)
    assert moves.counts.index.tolist() == ["high", "medium", "low", "new"]
    assert moves.counts.columns.tolist() == ["high", "medium", "low", "gone"]
    assert moves.shares.loc["medium"].isna().all()  # nobody was medium: no shares


def test_transitions_bad_input():
    with pytest.raises(InputError, match=r"tiers_before has 1 missing value.*needs a tier.*\n.*\n.*b"):
        tier_transitions(pd.Series({"a": "A", "b": None}), pd.Series({"a": "A"}))
    with pytest.raises(InputError, match="repeated customer id"):
        tier_transitions(pd.Series(["A", "B"], index=["a", "a"]), pd.Series({"a": "A"}))
    with pytest.raises(InputError, match="reserved"):
        tier_transitions(pd.Series({"a": "new"}), pd.Series({"a": "A"}))
    with pytest.raises(InputError, match=r"tiers_after has 1 value that tiers does not know: \['Z'\]"):
        tier_transitions(pd.Series({"a": "A"}), pd.Series({"a": "Z"}), tiers=["A", "B"])
    with pytest.raises(InputError, match="both empty"):
        tier_transitions(pd.Series([], dtype="str"), pd.Series([], dtype="str"))


# --- measures from orders ----------------------------------------------------------------------
def _tiny_orders():
    return pd.DataFrame({
        "customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
        "order_date": ["2025-01-01", "2025-05-01", "2025-03-01"],
        "amount": [100.0, 200.0, 50.0], "category": ["x", "y", "x"],
    })


def test_gross_profit_and_active_periods():
    orders = _tiny_orders()
    assert gross_profit(orders, {"x": 0.5, "y": 0.1}, 10).to_dict() == {"a": 50.0, "b": 15.0}
    with pytest.raises(InputError, match=r"'category' has 1 value that margin_rates does not know: \['y'\]"):
        gross_profit(orders, {"x": 0.5})
    assert active_periods(orders, "Q").to_dict() == {"a": 2, "b": 1}
    assert active_periods(orders, "Y").to_dict() == {"a": 1, "b": 1}
    with pytest.raises(InputError, match="freq"):
        active_periods(orders, "W")  # type: ignore[arg-type]


def test_wallet_headroom_is_peer_benchmark_minus_own_value():
    current = pd.Series({"a": 100.0, "b": 300.0, "c": 50.0})
    peers = pd.Series({"a": "x", "b": "x", "c": "y"})
    assert wallet_headroom(current, peers, quantile=1.0).to_dict() == {"a": 200.0, "b": 0.0, "c": 0.0}
    with pytest.raises(InputError, match="peer_groups has 1 missing value"):
        wallet_headroom(current, pd.Series({"a": "x", "b": None, "c": "y"}))


# --- the retailer ------------------------------------------------------------------------------
def test_retailer_concentration_is_consistent():
    revenue = load_orders().groupby("customer_id")["amount"].sum()
    classes = abc_classes(revenue)
    share_a = revenue[classes == "A"].sum() / revenue.sum()
    assert 0.8 <= share_a < 0.8 + revenue.max() / revenue.sum() + 1e-12
    assert pareto_share(revenue) == pytest.approx((classes == "A").mean())
    assert 0 < gini(revenue) < 1
    assert top_share(revenue, 0.2) < 0.8  # this retailer is less concentrated than 80/20
