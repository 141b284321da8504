"""cvmlib.lifecycle: stage rules and their order, facts, mix and transitions, and cross-selling vs the truth."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

from cvmlib.datasets import load_orders, load_truth
from cvmlib.i18n import language
from cvmlib.lifecycle import (
    STAGES,
    BreadthChurn,
    StageRules,
    assign_stages,
    breadth_churn,
    category_breadth,
    lifecycle_stages,
    quarter_snapshots,
    stage_facts,
    stage_mix,
    stage_transitions,
)
from cvmlib.validate import InputError

matplotlib.use("Agg")
SNAPSHOT = "2026-01-01"


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return load_orders()


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    return load_truth()


def _orders(rows):
    """rows: (customer, date[, category]) -> an orders table with ids."""
    frame = pd.DataFrame(rows, columns=["customer_id", "order_date", "category"][:len(rows[0])])
    frame.insert(1, "order_id", [f"O{i}" for i in range(len(frame))])
    return frame


# --- rules -----------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, word", [
    ({"at_risk_days": 180, "lapsed_days": 180}, "at_risk_days"),
    ({"mature_orders": 1}, "mature_orders"),
    ({"new_days": -1}, "new_days"),
    ({"new_days": 30.0}, "new_days"),
    ({"lapsed_p_alive": 0.6, "at_risk_p_alive": 0.5}, "lapsed_p_alive"),
    ({"at_risk_p_alive": 1.5}, "at_risk_p_alive"),
])
def test_bad_rules_are_refused_naming_the_parameter(kwargs, word):
    with pytest.raises(InputError, match=word):
        StageRules(**kwargs)


def test_rules_are_frozen():
    with pytest.raises(AttributeError):
        StageRules().new_days = 5  # type: ignore[misc]


def _facts(**columns):
    base = {"recency_days": 0, "orders": 1, "tenure_days": 0, "gap_days": 0}
    base.update(columns)
    return pd.DataFrame({k: [v] for k, v in base.items()}, index=["x"])


@pytest.mark.parametrize("facts, expected", [
    # boundaries: "more than" is strict, "within" is inclusive
    ({"recency_days": 90, "orders": 9, "tenure_days": 400}, "mature"),
    ({"recency_days": 91, "orders": 9, "tenure_days": 400}, "at_risk"),
    ({"recency_days": 180, "orders": 9, "tenure_days": 400}, "at_risk"),
    ({"recency_days": 181, "orders": 9, "tenure_days": 400}, "lapsed"),
    ({"recency_days": 10, "orders": 1, "tenure_days": 90}, "new"),
    ({"recency_days": 10, "orders": 4, "tenure_days": 91}, "developing"),
    ({"recency_days": 10, "orders": 5, "tenure_days": 91}, "mature"),
    # order of the rules: leaving rules before "new"; "won back" before everything
    ({"recency_days": 95, "orders": 1, "tenure_days": 95}, "at_risk"),
    ({"recency_days": 90, "orders": 2, "tenure_days": 500, "gap_days": 181}, "won_back"),
    ({"recency_days": 91, "orders": 2, "tenure_days": 500, "gap_days": 181}, "at_risk"),
    ({"recency_days": 5, "orders": 2, "tenure_days": 500, "gap_days": 180}, "developing"),
    ({"recency_days": 5, "orders": 2, "tenure_days": 60, "gap_days": 0}, "new"),
])
def test_each_rule_and_its_boundary(facts, expected):
    assert assign_stages(_facts(**facts)).iloc[0] == expected


def test_p_alive_rules_flag_quiet_customers_that_recency_misses():
    facts = pd.concat([_facts(recency_days=30, orders=9, tenure_days=400).rename(index={"x": i}) for i in "abc"])
    alive = pd.Series({"a": 0.9, "b": 0.3, "c": 0.1, "extra": 0.5})
    assert assign_stages(facts, p_alive=alive).astype(str).tolist() == ["mature", "at_risk", "lapsed"]
    with pytest.raises(InputError, match="missing from p_alive"):
        assign_stages(facts, p_alive=alive.drop("c"))
    with pytest.raises(InputError, match="p_alive"):
        assign_stages(facts, p_alive=alive.replace(0.9, 1.2))


# --- facts and stages on data ------------------------------------------------------------------
def test_facts_against_a_plain_loop(orders):
    sample = orders[orders["customer_id"].isin(orders["customer_id"].unique()[:300])]
    facts = stage_facts(sample, "2025-06-01")
    snap = pd.Timestamp("2025-06-01")
    for cid, group in sample[sample["order_date"] < snap].groupby("customer_id"):
        days = sorted(group["order_date"].dt.normalize())
        row = facts.loc[cid]
        assert row["recency_days"] == (snap - days[-1]).days
        assert row["tenure_days"] == (snap - days[0]).days
        assert row["orders"] == len(days)
        assert row["gap_days"] == ((days[-1] - days[-2]).days if len(days) > 1 else 0)
    assert set(facts.index) == set(sample.loc[sample["order_date"] < snap, "customer_id"])


def test_line_items_count_once_and_later_orders_are_ignored():
    frame = pd.DataFrame({"customer_id": ["a", "a", "a"], "order_id": ["1", "1", "2"],
                          "order_date": ["2025-01-01", "2025-01-01", "2026-02-01"]})
    facts = stage_facts(frame, SNAPSHOT)
    assert facts.loc["a", "orders"] == 1


def test_lifecycle_stages_on_the_retailer(orders):
    table = lifecycle_stages(orders, SNAPSHOT)
    assert len(table) == orders["customer_id"].nunique() == 5000
    assert table["stage"].cat.categories.tolist() == list(STAGES) and table["stage"].cat.ordered
    assert table["stage"].notna().all()
    counts = table["stage"].value_counts()
    assert (counts > 0).all()  # every stage occurs on the retailer's last day
    # the rules as written, recomputed plainly
    r = StageRules()
    lapsed = table["recency_days"] > r.lapsed_days
    won = (table["orders"] >= 2) & (table["recency_days"] <= r.won_back_days) & (table["gap_days"] > r.lapsed_days)
    assert (table.loc[won, "stage"] == "won_back").all()
    assert (table.loc[lapsed & ~won, "stage"] == "lapsed").all()


def test_lifecycle_stages_with_p_alive(orders):
    from cvmlib.clv import BetaGeo, summarize_purchases

    summary = summarize_purchases(orders, "customer_id", "order_date", observation_end="2025-12-31")
    bg = BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
    alive = pd.Series(bg.p_alive(summary["frequency"], summary["recency"], summary["T"]), index=summary.index)
    plain = lifecycle_stages(orders, SNAPSHOT)
    with_model = lifecycle_stages(orders, SNAPSHOT, p_alive=alive)
    assert "p_alive" in with_model.columns
    leaving = ["at_risk", "lapsed"]
    # P(alive) can only add reasons to leave
    assert with_model["stage"].isin(leaving).sum() >= plain["stage"].isin(leaving).sum()


@pytest.mark.parametrize("call, word", [
    (lambda o: lifecycle_stages(o, "2023-01-01"), "No order lies before"),
    (lambda o: lifecycle_stages(o.drop(columns="customer_id"), SNAPSHOT), "customer_id"),
    (lambda o: lifecycle_stages(o, "05/01/2025"), "ambiguous|day"),
    (lambda o: lifecycle_stages(o, SNAPSHOT, rules={"new_days": 30}), "StageRules"),
    (lambda o: stage_mix(o, "2025-01-01"), "list of dates"),
    (lambda o: stage_mix(o, ["2025-04-01", "2025-01-01"]), "increasing"),
    (lambda o: stage_transitions(o, ["2025-04-01"]), "two snapshots"),
    (lambda o: category_breadth(o, window_days=0), "window_days"),
    (lambda o: category_breadth(o.drop(columns="category")), "category"),
])
def test_bad_input_is_an_input_error(orders, call, word):
    with pytest.raises(InputError, match=word):
        call(orders)


def test_missing_customer_ids_are_shown_not_dropped():
    frame = _orders([("a", "2025-01-01"), (None, "2025-02-01")])
    with pytest.raises(InputError, match="customer_id"):
        stage_facts(frame, SNAPSHOT)


# --- over time ---------------------------------------------------------------------------------
def test_quarter_snapshots_cover_2024_2025(orders):
    snaps = quarter_snapshots(orders)
    assert [f"{s:%Y-%m-%d}" for s in snaps] == ["2024-04-01", "2024-07-01", "2024-10-01", "2025-01-01",
                                                "2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01"]


def test_mix_rows_add_up_to_customers_acquired(orders):
    snaps = quarter_snapshots(orders)
    mix = stage_mix(orders, snaps)
    first = orders.groupby("customer_id")["order_date"].min()
    assert mix.columns.tolist() == list(STAGES)
    for snap, row in mix.iterrows():
        assert row.sum() == (first < snap).sum()
    last = lifecycle_stages(orders, snaps[-1])["stage"].value_counts().reindex(list(STAGES))
    assert mix.iloc[-1].tolist() == last.tolist()


def test_transitions_against_independent_stage_tables(orders):
    snaps = list(quarter_snapshots(orders))[-3:]
    moves = stage_transitions(orders, snaps)
    expected = pd.DataFrame(0, index=["not_yet", *STAGES], columns=list(STAGES))
    for before, after in zip(snaps, snaps[1:]):
        a = lifecycle_stages(orders, before)["stage"].astype(str)
        b = lifecycle_stages(orders, after)["stage"].astype(str)
        for cid, to in b.items():
            expected.loc[a.get(cid, "not_yet"), to] += 1
    assert (moves.to_numpy() == expected.to_numpy()).all()
    # nobody is lost: each pair's rows add up to the later snapshot's customers
    long = stage_transitions(orders, snaps, by_period=True)
    per_pair = long.groupby("to_snapshot")["customers"].sum()
    assert per_pair.tolist() == [len(lifecycle_stages(orders, s)) for s in snaps[1:]]
    shares = stage_transitions(orders, snaps, normalize=True)
    assert np.allclose(shares.sum(axis=1)[moves.sum(axis=1) > 0], 1.0)
    # a lapsed customer never becomes "new" again; only not_yet customers are new
    assert moves.loc[list(STAGES), "new"].sum() == 0


# --- cross-selling -----------------------------------------------------------------------------
def test_category_breadth_against_a_plain_count(orders):
    breadth = category_breadth(orders, window_days=180)
    first = orders.groupby("customer_id")["order_date"].transform("min").dt.normalize()
    inside = orders[orders["order_date"] < first + pd.Timedelta(days=180)]
    plain = inside.groupby("customer_id").agg(orders=("order_id", "nunique"), categories=("category", "nunique"))
    assert breadth[["orders", "categories"]].equals(plain.astype(np.int64).loc[breadth.index])
    calendar = category_breadth(orders, window_days=90, snapshot_date=SNAPSHOT)
    last90 = orders[orders["order_date"] >= pd.Timestamp(SNAPSHOT) - pd.Timedelta(days=90)]
    assert len(calendar) == last90["customer_id"].nunique()
    assert (calendar["categories"] <= calendar["orders"]).all()


def _plain_strata_difference(customers: pd.DataFrame) -> tuple[float, float]:
    """Cochran-Mantel-Haenszel risk difference written out plainly."""
    numerator = denominator = variance = 0.0
    for _, stratum in customers.groupby("stratum"):
        broad, narrow = stratum[stratum["broad"]], stratum[~stratum["broad"]]
        if len(broad) == 0 or len(narrow) == 0:
            continue
        p1, p0 = broad["churned"].mean(), narrow["churned"].mean()
        w = len(broad) * len(narrow) / (len(broad) + len(narrow))
        numerator += w * (p1 - p0)
        denominator += w
        variance += w**2 * (p1 * (1 - p1) / len(broad) + p0 * (1 - p0) / len(narrow))
    return numerator / denominator, variance**0.5 / denominator


@pytest.mark.parametrize("definition", ["truth", "observed"])
def test_breadth_churn_raw_association_is_selection_and_vanishes_within_order_strata(orders, truth, definition):
    result = breadth_churn(orders, truth, snapshot_date=SNAPSHOT, definition=definition)
    assert isinstance(result, BreadthChurn)
    # the raw gap is real (far beyond its standard error) ...
    assert abs(result.raw_difference) > 4 * result.raw_se
    # ... and, since the generator draws categories independently of dropout given the segment,
    # it is selection: within strata of the number of orders it is within 2.5 standard errors of 0
    assert abs(result.stratified_difference) < 2.5 * result.stratified_se
    assert abs(result.stratified_difference) < abs(result.raw_difference) / 3
    plain = _plain_strata_difference(result.customers)
    assert result.stratified_difference == pytest.approx(plain[0]) and result.stratified_se == pytest.approx(plain[1])
    # raw rows against a plain count
    capped = result.customers["categories"].clip(upper=4)
    assert result.raw["customers"].tolist() == capped.value_counts().sort_index().tolist()
    assert result.raw["churn_rate"].to_numpy() == pytest.approx(
        result.customers.groupby(capped)["churned"].mean().to_numpy())


def test_breadth_churn_directions_on_the_retailer(orders, truth):
    observed = breadth_churn(orders, truth, snapshot_date=SNAPSHOT, definition="observed")
    true = breadth_churn(orders, truth, snapshot_date=SNAPSHOT, definition="truth")
    # observed lapse: broad buyers look more loyal (they are simply the frequent buyers)
    assert observed.raw_difference < 0
    # true dropout: BG/NBD customers drop out after purchases, so frequent (broad) buyers churn more
    assert true.raw_difference > 0


def test_truth_churn_counts_only_customers_alive_after_their_window(orders, truth):
    result = breadth_churn(orders, truth, snapshot_date=SNAPSHOT, definition="truth")
    dropout = truth.set_index("customer_id")["dropout_date"].reindex(result.customers.index)
    assert ((dropout >= result.customers["window_end"]) | dropout.isna()).all()
    follow_end = result.customers["window_end"] + pd.Timedelta(days=180)
    assert (result.customers["churned"] == (dropout < follow_end).fillna(False)).all()
    assert (follow_end <= pd.Timestamp(SNAPSHOT)).all()


def test_observed_churn_against_a_plain_search(orders):
    result = breadth_churn(orders, snapshot_date=SNAPSHOT, definition="observed")
    sample = result.customers.iloc[::25]
    for cid, row in sample.iterrows():
        mine = orders.loc[orders["customer_id"] == cid, "order_date"]
        later = ((mine >= row["window_end"]) & (mine < row["window_end"] + pd.Timedelta(days=180))).any()
        assert row["churned"] == (not later)


def test_breadth_churn_bad_input(orders, truth):
    with pytest.raises(InputError, match="needs truth="):
        breadth_churn(orders, snapshot_date=SNAPSHOT)
    with pytest.raises(InputError, match="definition"):
        breadth_churn(orders, truth, snapshot_date=SNAPSHOT, definition="lapse")
    with pytest.raises(InputError, match="follow-up"):
        breadth_churn(orders, truth, snapshot_date=SNAPSHOT, window_days=400, churn_days=400)
    with pytest.raises(InputError, match="missing from truth"):
        breadth_churn(orders, truth.iloc[10:], snapshot_date=SNAPSHOT)
    with pytest.raises(InputError, match="broad_from"):
        breadth_churn(orders, truth, snapshot_date=SNAPSHOT, broad_from=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        breadth_churn(orders, truth)
    assert any("snapshot_date not given" in str(w.message) for w in caught)


def test_repr_and_plots_in_both_languages(orders, truth):
    import matplotlib.pyplot as plt

    from cvmlib.plotting.lifecycle import breadth_churn_plot, stage_mix_plot, transition_heatmap

    result = breadth_churn(orders, truth, snapshot_date=SNAPSHOT, definition="observed")
    snaps = quarter_snapshots(orders)
    assert "within order strata" in repr(result)
    for lang in ("en", "zh"):
        with language(lang):
            ax = breadth_churn_plot(result)
            assert ax.get_title()
            stage_mix_plot(stage_mix(orders, snaps), shares=False)
            ax = transition_heatmap(stage_transitions(orders, snaps))
            assert len(ax.texts) == 7 * 6
    with language("zh"):
        assert "within" not in repr(result)
    plt.close("all")


def test_stage_rule_explorer_updates_and_explains_impossible_rules(orders):
    from cvmlib.widgets.lifecycle import stage_rule_explorer, stage_rule_table

    box = stage_rule_explorer(orders, SNAPSHOT)
    at_risk, lapsed = box.children[1].children
    output = box.children[-1]
    at_risk.value = 200  # above lapsed_days=180: the rule's own message, not a traceback
    assert "must be smaller than lapsed_days" in output.value
    at_risk.value = 60
    expected = stage_rule_table(stage_facts(orders, SNAPSHOT), StageRules(at_risk_days=60))
    assert "Lifecycle stages of 5,000 customers" in output.value
    assert f"{expected.loc['at_risk', 'customers']:,}" in output.value
    table = stage_rule_table(stage_facts(orders, SNAPSHOT), StageRules(at_risk_days=60))
    assert table["customers"].sum() == 5000
    assert table.index.tolist() == list(STAGES)
