"""The engine path on DuckDB (and Parquet read by DuckDB): same numbers and same errors as pandas."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

duckdb = pytest.importorskip("duckdb")

from cvmlib import datasets, engines  # noqa: E402
from cvmlib.clv import BetaGeo, GammaGamma, ParetoNBD, customer_lifetime_value, summarize_purchases  # noqa: E402
from cvmlib.rfm import rfm_table  # noqa: E402
from cvmlib.validate import InputError  # noqa: E402

MONEY_RTOL = 1e-12


@pytest.fixture()
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def assert_same_table(pandas_table: pd.DataFrame, engine_result, customer_col: str = "customer_id") -> None:
    """Same customers in the same order, integers and days exactly, money to MONEY_RTOL."""
    got = engine_result.df()
    assert got.columns[0] == customer_col
    assert list(got.columns[1:]) == list(pandas_table.columns)
    got = got.set_index(customer_col)
    assert got.index.tolist() == pandas_table.index.tolist()
    for col in pandas_table.columns:
        want, have = pandas_table[col].to_numpy(), got[col].to_numpy()
        if col in ("monetary", "mean_order_value", "monetary_value"):
            np.testing.assert_allclose(have, want, rtol=MONEY_RTOL, atol=0)
        else:
            assert have.dtype.kind == want.dtype.kind, col
            np.testing.assert_array_equal(have, want, err_msg=col)


def same_error(pandas_call, engine_call) -> str:
    with pytest.raises(InputError) as want:
        pandas_call()
    with pytest.raises(InputError) as got:
        engine_call()
    assert str(got.value) == str(want.value)
    return str(got.value)


# --------------------------------------------------------------------------------------------
# numbers

def test_rfm_retailer_relation_and_parquet(con, tmp_path):
    orders = datasets.load_orders()
    want = rfm_table(orders, "2026-01-01")
    rel = con.from_df(orders)
    got = rfm_table(rel, "2026-01-01")  # the hook in cvmlib.rfm
    assert isinstance(got, duckdb.DuckDBPyRelation)
    assert_same_table(want, got)
    path = tmp_path / "orders.parquet"
    rel.write_parquet(str(path))
    assert_same_table(want, rfm_table(path, "2026-01-01"))
    assert_same_table(want, engines.rfm_table(str(tmp_path), "2026-01-01"))  # a folder of Parquet files


def test_summary_cdnow_holdout_and_without_amounts(con):
    cdnow = datasets.load_cdnow()
    kw = dict(calibration_end="1997-09-30", observation_end="1998-06-30", returns="net")
    want = summarize_purchases(cdnow, "customer_id", "order_date", "amount", **kw)
    assert_same_table(want, summarize_purchases(con.from_df(cdnow), "customer_id", "order_date", "amount", **kw))
    want = summarize_purchases(cdnow, "customer_id", "order_date", unit="D", observation_end="1998-06-30")
    assert_same_table(want, summarize_purchases(con.from_df(cdnow), "customer_id", "order_date", unit="D",
                                                observation_end="1998-06-30"))


def _edge_orders() -> pd.DataFrame:
    """Same-day purchases, line items of one order, a return, a customer with only a return."""
    return pd.DataFrame({
        "customer_id": ["A", "A", "A", "A", "B", "B", "C", "D"],
        "order_id": ["o1", "o1", "o2", "r1", "o3", "o4", "o5", "r2"],
        "order_date": pd.to_datetime(["2025-01-01 09:00", "2025-01-01 09:00", "2025-01-01 18:00",
                                      "2025-01-03 10:00", "2025-01-02 00:00", "2025-01-20 23:59", "2025-01-15 00:00",
                                      "2025-01-16 00:00"]),
        "amount": [10.0, 2.5, 7.25, -2.5, 30.0, 12.0, 0.1, -5.0],
    })


@pytest.mark.parametrize("returns", ["net", "exclude"])
def test_rfm_edge_cases_and_return_policies(con, returns):
    orders = _edge_orders()
    with warnings.catch_warnings(record=True) as want_w:
        warnings.simplefilter("always")
        want = rfm_table(orders, "2025-02-01", returns=returns)
    with warnings.catch_warnings(record=True) as got_w:
        warnings.simplefilter("always")
        got = rfm_table(con.from_df(orders), "2025-02-01", returns=returns)
    assert_same_table(want, got)
    assert [str(w.message) for w in got_w] == [str(w.message) for w in want_w]
    assert want_w  # the exclusion, or the customer with only a return, is said
    same_error(lambda: rfm_table(orders, "2025-02-01"), lambda: rfm_table(con.from_df(orders), "2025-02-01"))


def test_summary_same_day_and_returns(con):
    orders = _edge_orders()
    for returns in ("net", "exclude"):
        kw = dict(observation_end="2025-01-31", unit="D", returns=returns)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = summarize_purchases(orders, "customer_id", "order_date", "amount", **kw)
            got = summarize_purchases(con.from_df(orders), "customer_id", "order_date", "amount", **kw)
            assert_same_table(want, got)


def test_default_snapshot_and_observation_end_warn_alike(con):
    orders = _edge_orders()
    orders = orders[orders["amount"] > 0]
    for call in (lambda t: rfm_table(t, None), lambda t: summarize_purchases(t, "customer_id", "order_date", "amount")):
        with pytest.warns(UserWarning) as want_w:
            want = call(orders)
        with pytest.warns(UserWarning) as got_w:
            got = call(con.from_df(orders))
        assert [str(w.message) for w in got_w] == [str(w.message) for w in want_w]
        assert_same_table(want, got)


def test_time_zones_and_iso_text(con):
    """TIMESTAMPTZ: calendar days in the session time zone equal pandas on the same wall times."""
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    wall = pd.to_datetime(["2025-01-01 23:30", "2025-01-02 00:30", "2025-01-05 08:00", "2025-01-05 07:59"])
    orders = pd.DataFrame({"customer_id": ["A", "A", "B", "B"], "order_id": ["1", "2", "3", "4"],
                           "order_date": wall.tz_localize("Asia/Shanghai"), "amount": [1.0, 2.0, 3.0, 4.0]})
    rel = con.from_df(orders)
    assert str(rel.types[2]) == "TIMESTAMP WITH TIME ZONE"
    snap = pd.Timestamp("2025-01-10", tz="Asia/Shanghai")
    assert_same_table(rfm_table(orders, snap), rfm_table(rel, snap))
    kw = dict(observation_end="2025-01-09", unit="D")
    assert_same_table(summarize_purchases(orders, "customer_id", "order_date", "amount", **kw),
                      summarize_purchases(rel, "customer_id", "order_date", "amount", **kw))
    # the days follow the session's zone: in Shanghai A buys on two days and B on one; in UTC the reverse
    shanghai = summarize_purchases(rel, "customer_id", "order_date", "amount", **kw).df()
    con.execute("SET TimeZone = 'UTC'")
    utc = summarize_purchases(rel, "customer_id", "order_date", "amount", **kw).df()
    assert shanghai["frequency"].tolist() == [1, 0] and utc["frequency"].tolist() == [0, 1]
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    same_error(lambda: rfm_table(orders, "2025-01-10"), lambda: rfm_table(rel, "2025-01-10"))
    text = orders.assign(order_date=wall.strftime("%Y-%m-%dT%H:%M:%S"))
    assert_same_table(rfm_table(text, "2025-01-10"), rfm_table(con.from_df(text), "2025-01-10"))


# --------------------------------------------------------------------------------------------
# errors: the same message for the same bad rows

def _bad_inputs() -> dict[str, pd.DataFrame]:
    good = pd.concat([_edge_orders()[lambda d: d["amount"] > 0]] * 3, ignore_index=True)
    good["order_id"] = [f"o{i}" for i in range(len(good))]
    bad: dict[str, pd.DataFrame] = {}
    bad["missing column"] = good.rename(columns={"order_date": "OrderDate"})
    frame = good.copy()
    frame.loc[[2, 7, 9], "customer_id"] = [None, " ", ""]
    bad["blank customer ids"] = frame
    frame = good.copy()
    frame["order_date"] = frame["order_date"].astype("object")
    frame.loc[[1, 4], "order_date"] = None
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    bad["missing dates"] = frame
    frame = good.copy()
    frame["order_date"] = frame["order_date"].dt.strftime("%Y-%m-%d %H:%M")
    frame.loc[[3, 5], "order_date"] = ["not a date", "2025-13-45"]
    bad["unreadable dates"] = frame
    frame = good.copy()
    frame.loc[[0, 6], "amount"] = np.nan
    bad["missing amounts"] = frame
    frame = good.copy()
    frame.loc[[8], "amount"] = np.inf
    bad["infinite amounts"] = frame
    frame = good.copy()
    frame["amount"] = frame["amount"].map(lambda v: f"{v:,.2f}").astype("str")
    frame.loc[[1], "amount"] = "1,234.50"
    bad["text amounts"] = frame
    frame = good.copy()
    frame.loc[[3, 10], "amount"] = [-1.0, 0.0]
    bad["non-positive amounts"] = frame
    frame = good.copy()
    frame.loc[[4, 12], "order_id"] = "o1"  # o1 is A's; rows 4 and 12 are other customers' or days
    bad["order id of two customers"] = frame
    frame = pd.concat([good, good.iloc[[5, 2]]], ignore_index=True)
    frame.loc[len(good):, "order_id"] = good.loc[[5, 2], "order_id"].to_numpy()
    bad["exact duplicates"] = frame
    return bad


@pytest.mark.parametrize("case", list(_bad_inputs()))
def test_same_error_as_pandas(con, case):
    frame = _bad_inputs()[case]
    message = same_error(lambda: rfm_table(frame, "2025-03-01"), lambda: rfm_table(con.from_df(frame), "2025-03-01"))
    assert "First offending rows" in message or "Available columns" in message


def test_same_error_after_snapshot_and_summary_duplicates(con):
    good = _edge_orders()[lambda d: d["amount"] > 0].reset_index(drop=True)
    same_error(lambda: rfm_table(good, "2025-01-10"), lambda: rfm_table(con.from_df(good), "2025-01-10"))
    twice = pd.concat([good, good.iloc[[1, 3]]], ignore_index=True).drop(columns="order_id")
    args = ("customer_id", "order_date", "amount")
    message = same_error(lambda: summarize_purchases(twice, *args, observation_end="2025-02-01"),
                         lambda: summarize_purchases(con.from_df(twice), *args, observation_end="2025-02-01"))
    assert "exact duplicates" in message
    kept = summarize_purchases(con.from_df(twice), *args, observation_end="2025-02-01", duplicates="keep")
    assert_same_table(summarize_purchases(twice, *args, observation_end="2025-02-01", duplicates="keep"), kept)
    same_error(lambda: summarize_purchases(good, *args, observation_end="2024-01-01"),
               lambda: summarize_purchases(con.from_df(good), *args, observation_end="2024-01-01"))
    same_error(lambda: summarize_purchases(good, *args, calibration_end="2025-03-01", observation_end="2025-02-01"),
               lambda: summarize_purchases(con.from_df(good), *args, calibration_end="2025-03-01",
                                           observation_end="2025-02-01"))


def test_exclude_warning_and_nothing_left(con):
    orders = _edge_orders()
    with pytest.warns(UserWarning) as want:
        rfm_table(orders, "2025-02-01", returns="exclude")
    with pytest.warns(UserWarning) as got:
        rfm_table(con.from_df(orders), "2025-02-01", returns="exclude")
    assert [str(w.message) for w in got] == [str(w.message) for w in want]
    refunds = orders.assign(amount=-orders["amount"].abs())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_error(lambda: rfm_table(refunds, "2025-02-01", returns="exclude"),
                   lambda: rfm_table(con.from_df(refunds), "2025-02-01", returns="exclude"))


def test_not_a_parquet_path():
    with pytest.raises(InputError, match="No Parquet file"):
        rfm_table("/nonexistent/orders.parquet", "2025-01-01")


# --------------------------------------------------------------------------------------------
# fits and scores on the distinct rows

def test_fit_and_scores_equal_pandas(con):
    cdnow = datasets.load_cdnow()
    kw = dict(calibration_end="1997-09-30", observation_end="1998-06-30", returns="net")
    summary = summarize_purchases(cdnow, "customer_id", "order_date", "amount", **kw)
    rel = summarize_purchases(con.from_df(cdnow), "customer_id", "order_date", "amount", **kw)
    rows = engines.btyd_rows(rel)
    assert rows["count"].sum() == len(summary) and len(rows) < len(summary) / 2
    x, tx, big_t, m = (summary[c].to_numpy() for c in ("frequency", "recency", "T", "monetary_value"))
    bg = BetaGeo().fit(x, tx, big_t)
    engine_bg = engines.fit_on_engine(rel, BetaGeo())
    assert engine_bg.params_ == bg.params_  # same distinct rows, same order, same weights: the same fit
    repeat = x > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # CDNOW's zero-value repeat days make q small: said by a warning
        gg = GammaGamma().fit(x[repeat], m[repeat] + 1.0)
    scored_with = rel.query("s", "SELECT * REPLACE (monetary_value + CASE WHEN frequency > 0 THEN 1 ELSE 0 END "
                                 "AS monetary_value) FROM s")
    m1 = np.where(repeat, m + 1.0, m)
    for model, spend in ((bg, None), (ParetoNBD().fit(x, tx, big_t), None), (bg, gg)):
        source = rel if spend is None else scored_with
        money = m if spend is None else m1
        got = engines.score_customers(source, model, spend, horizon=6, discount_rate=0.01, margin=0.3).df()
        assert got["customer_id"].tolist() == summary.index.tolist()
        np.testing.assert_allclose(got["p_alive"], model.p_alive(x, tx, big_t), rtol=1e-12, atol=0)
        np.testing.assert_allclose(got["expected_purchases"],
                                   model.expected_purchases(6 * 30.4375 / 7, x, tx, big_t), rtol=1e-12, atol=0)
        want = customer_lifetime_value(model, spend, x, tx, big_t, money, horizon=6, discount_rate=0.01, margin=0.3)
        np.testing.assert_allclose(got["clv"], want, rtol=1e-12, atol=0)


def test_messages_in_chinese_are_the_same(con):
    from cvmlib.i18n import language

    frame = _bad_inputs()["non-positive amounts"]
    with language("zh"):
        message = same_error(lambda: rfm_table(frame, "2025-03-01"),
                             lambda: rfm_table(con.from_df(frame), "2025-03-01"))
    assert "非正" in message or "退" in message, message
