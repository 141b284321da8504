"""cvmlib.kpi: every KPI of the dashboard against a plain recount on the retailer, bad input, the plot."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from cvmlib.datasets import load_complaints, load_orders, load_survey
from cvmlib.i18n import language
from cvmlib.kpi import KPI_COLUMNS, kpi_dashboard
from cvmlib.validate import InputError

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def data():
    return load_orders(), load_complaints(), load_survey()


@pytest.fixture(scope="module")
def board(data):
    return kpi_dashboard(*data, periods="Q")


def test_shape_and_types(board):
    assert [str(p) for p in board.index] == [f"{y}Q{q}" for y in (2024, 2025) for q in (1, 2, 3, 4)]
    assert board.columns.tolist() == [c for c in KPI_COLUMNS if c != "clv_12m"]
    for col in ("active_customers", "new_customers", "orders", "nps_responses"):
        assert board[col].dtype == np.int64
    # no NaN or inf anywhere: undefined values are <NA> (only the first retention rate)
    numbers = board.drop(columns="retention_rate").astype("float64")
    assert np.isfinite(numbers.to_numpy()).all()
    assert board["retention_rate"].isna().tolist() == [True] + [False] * 7


def test_counts_against_a_plain_recount(data, board):
    orders, complaints, survey = data
    quarter = orders["order_date"].dt.to_period("Q")
    first = orders.groupby("customer_id")["order_date"].min().dt.to_period("Q")
    for when in board.index:
        row = board.loc[when]
        now = set(orders.loc[quarter == when, "customer_id"])
        assert row["active_customers"] == len(now)
        assert row["new_customers"] == (first == when).sum()
        assert row["orders"] == (quarter == when).sum()
        assert row["revenue"] == pytest.approx(orders.loc[quarter == when, "amount"].sum())
        assert row["revenue_per_active"] == pytest.approx(row["revenue"] / len(now))
        tickets = (complaints["opened_at"].dt.to_period("Q") == when).sum()
        assert row["complaint_rate"] == pytest.approx(100 * tickets / row["orders"])
        answers = survey.loc[survey["response_date"].dt.to_period("Q") == when, "nps"]
        assert row["nps_responses"] == len(answers)
        assert row["nps"] == pytest.approx(100 * ((answers >= 9).mean() - (answers <= 6).mean()))
        if when != board.index[0]:
            before = set(orders.loc[quarter == when - 1, "customer_id"])
            assert row["retention_rate"] == pytest.approx(len(before & now) / len(before))


def test_monthly_and_yearly_periods_and_without_optional_tables(data):
    orders, _complaints, _survey = data
    monthly = kpi_dashboard(orders, periods="M")
    assert len(monthly) == 24 and monthly["complaint_rate"].isna().all() and monthly["nps"].isna().all()
    yearly = kpi_dashboard(orders, periods="Y")
    assert yearly["orders"].sum() == len(orders)
    assert yearly["new_customers"].sum() == orders["customer_id"].nunique()


def test_a_period_without_orders_is_zero_and_na_not_nan():
    orders = pd.DataFrame({"customer_id": ["a", "a"], "order_id": ["1", "2"],
                           "order_date": ["2025-01-05", "2025-07-01"], "amount": [10.0, 20.0]})
    board = kpi_dashboard(orders, pd.DataFrame({"opened_at": ["2025-01-09"]}))
    assert board.loc[pd.Period("2025Q2"), "active_customers"] == 0
    assert pd.isna(board.loc[pd.Period("2025Q2"), "revenue_per_active"])
    assert pd.isna(board.loc[pd.Period("2025Q3"), "retention_rate"])  # nobody was active before
    assert pd.isna(board.loc[pd.Period("2025Q2"), "complaint_rate"])


def test_clv_is_fitted_per_period_end_without_look_ahead(data):
    orders, _complaints, _survey = data
    board = kpi_dashboard(orders, periods="Y", clv=True, margin=0.3)
    values = board["clv_12m"].astype("float64")
    assert np.isfinite(values).all() and (values > 0).all()
    # the 2024 value uses only 2024 orders: the same as the dashboard of the 2024 orders alone
    only_2024 = kpi_dashboard(orders[orders["order_date"] < "2025-01-01"], periods="Y", clv=True, margin=0.3)
    assert only_2024["clv_12m"].iloc[0] == pytest.approx(board["clv_12m"].iloc[0])


@pytest.mark.parametrize("call, word", [
    (lambda o, c, s: kpi_dashboard(o, periods="W"), "periods"),
    (lambda o, c, s: kpi_dashboard(o.drop(columns="amount")), "amount"),
    (lambda o, c, s: kpi_dashboard(o, c.rename(columns={"opened_at": "opened"})), "opened_at"),
    (lambda o, c, s: kpi_dashboard(o, survey=s.assign(nps=s["nps"] + 1)), "outside"),
    (lambda o, c, s: kpi_dashboard(o, clv="yes"), "clv"),
    (lambda o, c, s: kpi_dashboard(o, margin=30), "margin"),
    (lambda o, c, s: kpi_dashboard(o.assign(amount=-o["amount"])), "non-positive"),
])
def test_bad_input(data, call, word):
    with pytest.raises(InputError, match=word):
        call(*data)


def test_kpi_plot_in_both_languages(board):
    import matplotlib.pyplot as plt

    from cvmlib.plotting.lifecycle import kpi_plot

    for lang in ("en", "zh"):
        with language(lang):
            panels = kpi_plot(board)
            assert len(panels) == 7
            titles = [p.get_title() for p in panels]
            assert ("retention rate" in titles) == (lang == "en")
    with pytest.raises(InputError, match="nps_score"):
        kpi_plot(board, columns=["nps_score"])
    plt.close("all")
