"""The library under bad input: a fast, representative part of tools/bad_input_campaign.py.

Every bad input must give an :class:`~cvmlib.validate.InputError` that names the parameter or
column (and, where it matters, says the right fix), raised before any computation; every
legitimate input a correct result. The last test runs the campaign itself in its quick mode on
the modules outside ``cvmlib.clv`` and requires zero defects (no raw traceback, no silently
wrong result, no vague error, no legitimate input refused).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from cvmlib import cohorts, complaints, datasets, fourc, holdout, rfm, segment, value  # noqa: E402
from cvmlib import plotting as pl  # noqa: E402
from cvmlib.validate import InputError, as_timestamp, parse_dates, validate_transactions  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import bad_input_campaign as campaign  # noqa: E402

ORDERS = campaign.orders()
VALUES = campaign.values()
SURVEY = campaign.survey()
TICKETS = campaign.tickets()
FEATURES = campaign.features()
SNAPSHOT = campaign.SNAPSHOT


def _with(df: pd.DataFrame, column: Any, position: int, new: Any) -> pd.DataFrame:
    out = df.copy()
    out[column] = out[column].astype(object)
    out.iloc[position, out.columns.get_loc(column)] = new
    return out


# (class, call, fragments every message must contain)
BAD: list[tuple[str, Callable[[], Any], tuple[str, ...]]] = [
    ("nan_inf", lambda: value.gini(VALUES.replace(40.0, np.nan)), ("values", "missing values (NaN)", "C4")),
    ("nan_inf", lambda: value.lorenz_curve(VALUES.replace(40.0, np.inf)), ("values", "infinite", "C4")),
    ("nan_inf", lambda: value.gini(pd.Series([1e308, 1e308])), ("values", "too large to add up")),
    ("nan_inf", lambda: rfm.rfm_scores(campaign.rfm_frame().assign(monetary=[1.0, np.nan, 2.0, 3.0, 4.0])),
     ("'monetary'", "B")),
    ("nan_inf", lambda: segment.kmeans_segments(_with(FEATURES, "monetary", 3, np.inf).astype(float), 2),
     ("'monetary'", "K03")),
    ("domain", lambda: value.pareto_share(VALUES, 80), ("value_share=80", "0.8")),
    ("domain", lambda: fourc.check_ratings(SURVEY.assign(cost=[4, 4, 6, 2, 2, 5]), ["cost"], 1, 5),
     ("'cost'", "outside [1, 5]")),
    ("domain", lambda: value.gross_profit(ORDERS, {c: 0.4 for c in ORDERS["category"]}, -5.0),
     ("cost_per_order=-5.0", "negative")),
    ("domain", lambda: value.gross_profit(ORDERS, {**{c: 0.4 for c in ORDERS["category"]}, "Home": 40}),
     ("margin_rates['Home']=40", "0.8")),
    ("domain", lambda: complaints.handling_groups(pd.Series([5, 7])), ("satisfaction", "outside [1, 5]")),
    ("bool_text", lambda: value.top_share(VALUES, True), ("customer_share=True", "bool")),
    ("bool_text", lambda: datasets.load_cdnow("False"), ("sample", "True or False")),
    ("bool_text", lambda: segment.kmeans_segments(FEATURES, True), ("k must be a whole number", "bool")),
    ("bool_text", lambda: value.gini(pd.Series([True, False, True])), ("values", "True/False")),
    ("join_ids", lambda: value.value_matrix(pd.Series({"a": 1.0, "b": 2.0}), pd.Series({"a": 1.0, "c": 2.0}), 1, 1),
     ("potential", "['b']", "['c']")),
    ("join_ids", lambda: segment.demographic_table(campaign.customers().iloc[:-1], ORDERS),
     ("customer_id of orders", "missing from customers", "C5")),
    ("join_ids", lambda: complaints.recovery_outcomes(TICKETS.assign(order_id=["O001", "O003", "O004", "O006", "O999"]),
                                                      ORDERS, end="2025-12-31", n_boot=10), ("order_id", "O999")),
    ("unmapped", lambda: value.gross_profit(ORDERS, {"Apparel": 0.5}), ("'category'", "margin_rates", "Beauty")),
    ("unmapped", lambda: complaints.sla_report(TICKETS, {"low": 72, "medium": 48, "high": 24, "urgent": 4},
                                               as_of=campaign.AS_OF), ("targets", "urgent")),
    ("ambiguous_date", lambda: validate_transactions(ORDERS.assign(order_date=campaign.ambiguous_dates(12))),
     ("'order_date'", "ambiguous", "dayfirst")),
    ("ambiguous_date", lambda: rfm.rfm_table(ORDERS, "05/01/2026"), ("snapshot_date='05/01/2026'", "ambiguous")),
    ("ambiguous_date", lambda: complaints.sla_report(TICKETS, campaign.TARGETS, as_of="12/11/2025 10:00"),
     ("as_of", "ambiguous")),
    ("two_d", lambda: value.gini(np.ones((6, 1))), ("values", "shape (6, 1)")),
    ("two_d", lambda: fourc.nps(np.ones((3, 2))), ("scores", "shape (3, 2)")),
    ("two_d", lambda: value.abc_classes(VALUES, [[0.8, 0.95]]), ("cuts", "one-dimensional")),
    ("empty", lambda: rfm.rfm_segments(campaign.scores_table().iloc[:0]), ("scores", "empty")),
    ("empty", lambda: segment.age_bands(pd.Series([], dtype=float)), ("age", "empty")),
    ("empty", lambda: segment.choose_k(FEATURES, ks=[]), ("ks", "empty")),
    ("after_as_of", lambda: complaints.handling_times(TICKETS, as_of="2025-11-21 12:00"),
     ("'first_response_at'", "after as_of", "T2")),
    ("after_as_of", lambda: fourc.purchases_after(SURVEY, ORDERS, 30, "2025-06-01"), ("'order_date'", "snapshot_date")),
    ("after_as_of", lambda: complaints.recovery_outcomes(TICKETS, ORDERS, end="2025-06-30", n_boot=10),
     ("'order_date'", "after end")),
    ("none_period", lambda: complaints.sla_report(TICKETS, campaign.TARGETS, as_of=None), ("as_of is missing (None)",)),
    ("none_period", lambda: cohorts.cohort_counts(ORDERS, period=None), ("period=None",)),
    ("thousands", lambda: validate_transactions(ORDERS.assign(amount=["1,234.50"] + ["10.00"] * 11)),
     ("'amount'", "thousands separators", "str.replace(',', '')")),
    ("thousands", lambda: value.gini(pd.Series(["1,234.50", "99.00"])), ("values", "thousands separators")),
    ("duplicates", lambda: rfm.rfm_table(pd.concat([ORDERS, ORDERS.iloc[[0]]]).drop(columns="order_id"), SNAPSHOT,
                                         order_col=None), ("exact duplicates",)),
    ("nan_inf", lambda: pl.segment_bars(pd.DataFrame({"customer_share": [0.5, np.nan], "revenue_share": [0.5, 0.5]})),
     ("'customer_share'", "missing")),
    ("domain", lambda: pl.cohort_heatmap(pd.DataFrame({0: [100.0, 100.0], 1: [50.0, np.nan]})),
     ("retention", "0.8")),
]


@pytest.mark.parametrize(("klass", "call", "fragments"), BAD, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(BAD)])
def test_bad_input_is_a_clear_input_error(klass: str, call: Callable[[], Any], fragments: tuple[str, ...]) -> None:
    with pytest.raises(InputError) as info:
        call()
    plt.close("all")
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"


# (call, check of the result)
LEGIT: list[tuple[str, Callable[[], Any], Callable[[Any], bool]]] = [
    ("gini equals the mean absolute difference",
     lambda: value.gini(VALUES),
     lambda r: r == pytest.approx(np.abs(VALUES.to_numpy()[:, None] - VALUES.to_numpy()).mean() / (2 * VALUES.mean()))),
    ("gini is scale free even near the float limit",
     lambda: value.gini(VALUES / VALUES.sum() * 1e307),
     lambda r: r == pytest.approx(value.gini(VALUES))),
    ("values as a list", lambda: value.pareto_share(VALUES.tolist()), lambda r: r == value.pareto_share(VALUES)),
    ("day-first text decided by a day above 12",
     lambda: parse_dates(pd.Series(["13/01/2025", "05/01/2025"]), "d"),
     lambda r: r.tolist() == [pd.Timestamp("2025-01-13"), pd.Timestamp("2025-01-05")]),
    ("ambiguous text with dayfirst", lambda: parse_dates(pd.Series(["05/01/2025"]), "d", dayfirst=False),
     lambda r: r.iloc[0] == pd.Timestamp("2025-05-01")),
    ("ISO date", lambda: as_timestamp("2025-05-01"), lambda r: r == pd.Timestamp("2025-05-01")),
    ("duplicates cannot change cohort counts",
     lambda: cohorts.cohort_counts(pd.concat([ORDERS, ORDERS.iloc[[0]]], ignore_index=True), observation_end="2025-12-31"),
     lambda r: r.equals(cohorts.cohort_counts(ORDERS, observation_end="2025-12-31"))),
    ("the CDNOW sample as loaded",
     lambda: validate_transactions(datasets.load_cdnow(), order_col=None, returns="net"),
     lambda r: len(r) == 6919),
    ("responses whose window is not over give <NA>, never 0",
     lambda: fourc.purchases_after(SURVEY, ORDERS, 90, SNAPSHOT),
     lambda r: r.iloc[:5].tolist() == [1, 0, 1, 1, 0] and r.isna().iloc[5]),
    ("rfm_table against a groupby",
     lambda: rfm.rfm_table(ORDERS, SNAPSHOT),
     lambda r: r["monetary"].to_dict() == ORDERS.groupby("customer_id")["amount"].sum().to_dict()),
    ("silhouette stays defined when a sample holds one cluster",
     lambda: segment.choose_k(FEATURES, ks=[2, 3], sample_size=5),
     lambda r: r["inertia"].notna().all()),
]


@pytest.mark.parametrize(("label", "call", "check"), LEGIT, ids=[label for label, _, _ in LEGIT])
def test_legitimate_input_gives_the_right_result(label: str, call: Callable[[], Any], check: Callable[[Any], bool]) -> None:
    assert check(call())


class Boom(AssertionError):
    """Raised by a patched computation: bad input reached it."""


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise Boom("the computation ran on bad input")


@pytest.mark.parametrize(("target", "call"), [
    ("cvmlib.rfm._quantile_score", lambda: rfm.rfm_scores(campaign.rfm_frame().assign(recency=[1, -2, 3, 4, 5]))),
    ("cvmlib.segment.KMeans", lambda: segment.kmeans_segments(FEATURES, 0)),
    ("cvmlib.segment.KMeans", lambda: segment.kmeans_segments(_with(FEATURES, "cat_Home", 0, "1,234.50"), 2)),
    ("cvmlib.value._share_before", lambda: value.abc_classes(VALUES, (0.8, 1.5))),
    ("cvmlib.complaints._handling_times", lambda: complaints.sla_report(TICKETS, {"low": 1, "medium": 1}, as_of=campaign.AS_OF)),
    ("cvmlib.fourc.nps", lambda: fourc.four_c_audit(SURVEY.assign(cost=[1, 2, 3, 4, 5, 9]), "level")),
    ("cvmlib.cohorts.resolve_observation_end", lambda: cohorts.cohort_counts(ORDERS.assign(order_date=campaign.ambiguous_dates(12)))),
    ("cvmlib.holdout.summarize_purchases", lambda: holdout.cumulative_tracking(
        object(), ORDERS, "customer_id", "order_date", "2025-06-30", "2025-12-31")),
])
def test_raised_before_any_computation(target: str, call: Callable[[], Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(target, _boom)
    with pytest.raises(InputError):
        call()


def test_quick_campaign_has_no_defect_in_the_modules_outside_clv() -> None:
    results = campaign.run(part="owned", quick=True)
    assert len(results) > 250
    classes = {r.case.klass for r in results}
    assert classes >= set(campaign.CLASSES)  # every class of the issue is exercised
    defects = [f"[{r.outcome}] {r.case.module}.{r.case.function} / {r.case.label}: {r.detail}"
               for r in results if r.outcome in campaign.DEFECTS]
    assert not defects, "\n".join(defects)


def test_the_campaign_classifies_each_outcome() -> None:
    """The classifier itself: a raw traceback, a silent result and a vague error are defects."""
    def raw() -> None:
        raise KeyError("x")

    cases = {
        "raw": campaign.Case("t", "f", "domain", "raw", raw),
        "wrong": campaign.Case("t", "f", "domain", "accepted", lambda: 1.0),
        "vague": campaign.Case("t", "f", "domain", "vague", lambda: value.gini([]), names=("nonexistent",)),
        "clear": campaign.Case("t", "f", "empty", "clear", lambda: value.gini([]), names=("values",)),
        "refused": campaign.Case("t", "f", "legit", "refused", lambda: value.gini([]), "ok"),
        "ok": campaign.Case("t", "f", "legit", "ok", lambda: 2.0, "ok", check=campaign.close_to(2.0)),
    }
    for outcome, case in cases.items():
        assert campaign.run_case(case).outcome == outcome, outcome
    wrong_result = campaign.Case("t", "f", "legit", "nan", lambda: np.nan, "ok", check=campaign.finite_numbers)
    assert campaign.run_case(wrong_result).outcome == "wrong"
