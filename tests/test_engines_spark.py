"""The engine path on Spark (local[2]): same numbers and same errors as pandas.

Inputs reach Spark as Parquet files written by DuckDB (no pyarrow, no pandas UDF); one session for
the module. Skipped only when no Java runtime is installed.
"""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("no Java runtime: Spark cannot start", allow_module_level=True)

from cvmlib import datasets, engines  # noqa: E402
from cvmlib.clv import BetaGeo, GammaGamma, customer_lifetime_value, summarize_purchases  # noqa: E402
from cvmlib.rfm import rfm_table  # noqa: E402
from cvmlib.validate import InputError  # noqa: E402

pytestmark = pytest.mark.xdist_group("spark")

MONEY_RTOL = 1e-12


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("cvmlib-engines-test")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
               .config("spark.sql.shuffle.partitions", "2").config("spark.sql.session.timeZone", "UTC")
               # small data: adaptive re-planning only adds stages
               .config("spark.sql.adaptive.enabled", "false")
               # a test session: one GC thread and the quick JIT only (most of a short job is JVM warm-up),
               # so that the other xdist worker (the book build) keeps its core
               .config("spark.driver.extraJavaOptions", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture()
def to_spark(spark, tmp_path):
    """A pandas frame as a Spark DataFrame, through a Parquet file written by DuckDB."""
    counter = iter(range(1000))

    def convert(frame: pd.DataFrame):
        path = tmp_path / f"t{next(counter)}.parquet"
        # Spark reads microsecond timestamps (DuckDB writes nanoseconds for datetime64[ns])
        frame = frame.astype({c: str(t).replace("[ns", "[us") for c, t in frame.dtypes.items()
                              if str(t).startswith("datetime64[ns")})
        duckdb.from_df(frame).write_parquet(str(path))
        return spark.read.parquet(str(path))

    return convert


def collect(result) -> pd.DataFrame:
    rows = [tuple(r) for r in result.collect()]
    return pd.DataFrame(rows, columns=result.columns)


def assert_same_table(want: pd.DataFrame, result, customer_col: str = "customer_id") -> None:
    got = collect(result)
    assert list(got.columns) == [customer_col, *want.columns]
    got = got.set_index(customer_col)
    assert got.index.tolist() == want.index.tolist()
    for col in want.columns:
        if col in ("monetary", "mean_order_value", "monetary_value"):
            np.testing.assert_allclose(got[col].to_numpy(float), want[col].to_numpy(), rtol=MONEY_RTOL, atol=0)
        else:
            np.testing.assert_array_equal(got[col].to_numpy(), want[col].to_numpy(), err_msg=col)


def simulated(n_rows: int = 100_000, seed: int = 13) -> pd.DataFrame:
    """Seeded transactions: 5,000 customers over two years, some same-day repeats, cents."""
    rng = np.random.default_rng(seed)
    customer = rng.integers(0, 5_000, n_rows)
    start = np.datetime64("2024-01-01T00:00:00", "s")
    seconds = rng.integers(0, 2 * 365 * 86_400, n_rows)
    return pd.DataFrame({
        "customer_id": pd.Series([f"C{c:05d}" for c in customer], dtype="str"),
        "order_id": pd.Series([f"O{i:07d}" for i in range(n_rows)], dtype="str"),
        "order_date": pd.Series(start + seconds.astype("timedelta64[s]")).astype("datetime64[us]"),
        "amount": np.round(rng.lognormal(4.0, 0.8, n_rows), 2),
    })


def test_rfm_and_summary_100k_rows(to_spark):
    tx = simulated()
    sdf = to_spark(tx)
    got = rfm_table(sdf, "2026-01-01")
    from pyspark.sql import DataFrame

    assert isinstance(got, DataFrame)
    assert_same_table(rfm_table(tx, "2026-01-01"), got)
    kw = dict(calibration_end="2025-06-30", observation_end="2025-12-31", unit="W")
    assert_same_table(summarize_purchases(tx, "customer_id", "order_date", "amount", **kw),
                      summarize_purchases(sdf, "customer_id", "order_date", "amount", **kw))


@pytest.mark.full  # make test: the same SQL on these data runs on DuckDB (tests/test_engines.py)
def test_retailer_and_cdnow(to_spark):
    orders = datasets.load_orders()
    assert_same_table(rfm_table(orders, "2026-01-01"), rfm_table(to_spark(orders), "2026-01-01"))
    cdnow = datasets.load_cdnow()
    kw = dict(calibration_end="1997-09-30", observation_end="1998-06-30", returns="net")
    assert_same_table(summarize_purchases(cdnow, "customer_id", "order_date", "amount", **kw),
                      summarize_purchases(to_spark(cdnow), "customer_id", "order_date", "amount", **kw))


def test_time_zone_of_the_session(spark, to_spark):
    wall = pd.to_datetime(["2025-01-01 23:30", "2025-01-02 00:30", "2025-01-05 08:00", "2025-01-05 07:59"])
    orders = pd.DataFrame({"customer_id": ["A", "A", "B", "B"], "order_id": ["1", "2", "3", "4"],
                           "order_date": wall.tz_localize("Asia/Shanghai"), "amount": [1.0, 2.0, 3.0, 4.0]})
    sdf = to_spark(orders)
    assert sdf.schema["order_date"].dataType.simpleString() == "timestamp"  # an instant (TIMESTAMP_LTZ)
    spark.conf.set("spark.sql.session.timeZone", "Asia/Shanghai")
    try:
        snap = pd.Timestamp("2025-01-10", tz="Asia/Shanghai")
        assert_same_table(rfm_table(orders, snap), rfm_table(sdf, snap))
        kw = dict(observation_end="2025-01-09", unit="D")
        assert_same_table(summarize_purchases(orders, "customer_id", "order_date", "amount", **kw),
                          summarize_purchases(sdf, "customer_id", "order_date", "amount", **kw))
    finally:
        spark.conf.set("spark.sql.session.timeZone", "UTC")


@pytest.mark.full  # make test: the same SQL runs on every bad input on DuckDB (tests/test_engines.py)
def test_same_errors_as_pandas(to_spark):
    good = simulated(60, seed=3)
    cases = {}
    frame = good.copy()
    frame.loc[[4, 9], "customer_id"] = [None, "  "]
    cases["blank ids"] = frame
    frame = good.copy()
    frame.loc[[2, 30], "amount"] = [-3.0, 0.0]
    cases["returns"] = frame
    frame = good.copy()
    frame.loc[[7, 21], "order_id"] = good.loc[3, "order_id"]
    cases["order of two customers"] = frame
    cases["duplicates"] = pd.concat([good, good.iloc[[11]]], ignore_index=True)
    cases["missing column"] = good.rename(columns={"amount": "Amount"})
    for name, frame in cases.items():
        with pytest.raises(InputError) as want:
            rfm_table(frame, "2026-06-01")
        with pytest.raises(InputError) as got:
            rfm_table(to_spark(frame), "2026-06-01")
        assert str(got.value) == str(want.value), name


def test_scores_on_spark(to_spark):
    tx = simulated(5_000, seed=5)
    kw = dict(calibration_end="2025-06-30", observation_end="2025-12-31")
    summary = summarize_purchases(tx, "customer_id", "order_date", "amount", **kw)
    # cached: the fits and the scores read the summary four times
    sdf = summarize_purchases(to_spark(tx), "customer_id", "order_date", "amount", **kw).cache()
    x, tx_, big_t, m = (summary[c].to_numpy() for c in ("frequency", "recency", "T", "monetary_value"))
    bg = engines.fit_on_engine(sdf, BetaGeo())
    assert bg.params_ == BetaGeo().fit(x, tx_, big_t).params_
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gg = engines.fit_on_engine(sdf, GammaGamma())
    got = collect(engines.score_customers(sdf, bg, gg, horizon=12, discount_rate=0.01))
    assert got["customer_id"].tolist() == summary.index.tolist()
    np.testing.assert_allclose(got["p_alive"], bg.p_alive(x, tx_, big_t), rtol=1e-12, atol=0)
    want = customer_lifetime_value(bg, gg, x, tx_, big_t, m, horizon=12, discount_rate=0.01)
    np.testing.assert_allclose(got["clv"], want, rtol=1e-12, atol=0)
