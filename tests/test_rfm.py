"""Tests for cvmlib.rfm and the RFM plots in cvmlib.plotting.

The RFM numbers are checked against independent computations: a plain-Python loop on small
random data, a hand-worked example, DuckDB SQL on the course data set, and properties that must
hold for any input (hypothesis).
"""

from __future__ import annotations

import datetime as dt
import string
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cvmlib._ids import factorize_ids  # noqa: E402
from cvmlib.plotting import rfm_heatmap, segment_bars  # noqa: E402
from cvmlib.rfm import (  # noqa: E402
    DEFAULT_SEGMENT_RULES,
    SEGMENT_STRATEGIES,
    SegmentRule,
    check_segment_rules,
    rfm_scores,
    rfm_segments,
    rfm_table,
    segment_summary,
)
from cvmlib.validate import InputError  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEGMENT_NAMES = [
    "Champions", "Loyal", "Potential loyalists", "New customers", "Promising", "Need attention",
    "About to sleep", "At risk", "Cannot lose them", "Hibernating", "Lost",
]
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------------------------
# helpers: random transactions and an independent loop implementation


def random_orders(seed: int, n_orders: int = 60, n_customers: int = 12, returns: bool = False,
                  id_style: str = "fixed") -> pd.DataFrame:
    """Valid transactions with line items (1-3 rows per order) and optional return rows."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-01-01")
    rows = []
    for k in range(n_orders):
        c = int(rng.integers(n_customers))
        customer = {"fixed": f"C{c:05d}", "long": f"customer-number-{c}", "mixed": f"c{c}" * (1 + c % 3),
                    "unicode": f"客户{c}"}[id_style]
        when = start + pd.Timedelta(seconds=int(rng.integers(0, 300 * 86_400)))
        for line in range(int(rng.integers(1, 4))):
            amount = round(float(rng.uniform(1, 200)), 2) + line * 0.001  # lines differ
            rows.append((f"O{k:05d}", customer, when, amount))
        if returns and rng.random() < 0.2:
            later = when + pd.Timedelta(days=int(rng.integers(0, 20)))
            rows.append((f"R{k:05d}", customer, later, -round(float(rng.uniform(1, 50)), 2)))
    frame = pd.DataFrame(rows, columns=["order_id", "customer_id", "order_date", "amount"])
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def loop_rfm(orders: pd.DataFrame, snapshot: str, net: bool = False) -> dict[str, tuple[int, int, float]]:
    """Recency, frequency, monetary per customer, the slow obvious way (no pandas grouping)."""
    snap_day = pd.Timestamp(snapshot).date()
    last: dict[str, dt.date] = {}
    seen_orders: dict[str, set[str]] = defaultdict(set)
    money: dict[str, float] = defaultdict(float)
    for order, customer, when, amount in orders[["order_id", "customer_id", "order_date", "amount"]].itertuples(index=False):
        if amount > 0:
            day = when.date()
            last[customer] = max(last.get(customer, day), day)
            seen_orders[customer].add(order)
            money[customer] += amount
        elif net:
            money[customer] += amount
    return {c: ((snap_day - last[c]).days, len(seen_orders[c]), money[c]) for c in last}


def assert_matches_loop(table: pd.DataFrame, expected: dict[str, tuple[int, int, float]]) -> None:
    assert sorted(table.index) == sorted(expected)
    for customer, (recency, frequency, monetary) in expected.items():
        row = table.loc[customer]
        assert row["recency"] == recency, customer
        assert row["frequency"] == frequency, customer
        assert row["monetary"] == pytest.approx(monetary, rel=1e-12), customer
        assert row["mean_order_value"] == pytest.approx(monetary / frequency, rel=1e-12)


# --------------------------------------------------------------------------------------------
# rfm_table


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("id_style", ["fixed", "long", "mixed", "unicode"])
def test_rfm_table_matches_python_loop(seed: int, id_style: str) -> None:
    orders = random_orders(seed, id_style=id_style)
    table = rfm_table(orders, "2025-12-01")
    assert_matches_loop(table, loop_rfm(orders, "2025-12-01"))
    assert table.index.is_monotonic_increasing and table.index.name == "customer_id"
    assert table.dtypes.astype(str).tolist() == ["int64", "int64", "float64", "float64"]


@pytest.mark.parametrize("seed", range(3))
def test_rfm_table_net_returns_match_python_loop(seed: int) -> None:
    orders = random_orders(seed, returns=True)
    assert (orders["amount"] < 0).any()
    table = rfm_table(orders, "2026-01-01", returns="net")
    assert_matches_loop(table, loop_rfm(orders, "2026-01-01", net=True))


def test_hand_worked_example() -> None:
    orders = pd.DataFrame({
        "customer_id": ["A", "A", "A", "B", "C", "C"],
        "order_id": ["1", "1", "2", "3", "4", "5"],  # order 1 has two lines
        "order_date": pd.to_datetime(["2025-03-01 23:59", "2025-03-01 23:59", "2025-03-10 08:00",
                                      "2025-01-01 00:00", "2025-02-28 12:00", "2025-03-14 22:00"]),
        "amount": [10.0, 15.0, 25.0, 99.9, 5.0, 7.5],
    })
    table = rfm_table(orders, "2025-03-15")
    # A: last 03-10 -> 5 days, orders {1, 2}, 10 + 15 + 25 = 50
    # B: last 01-01 -> 73 days (31 + 28 + 14), 1 order, 99.9
    # C: last 03-14 22:00 -> 1 day (calendar days, the hour is ignored), 2 orders, 12.5
    expected = pd.DataFrame(
        {"recency": [5, 73, 1], "frequency": [2, 1, 2], "monetary": [50.0, 99.9, 12.5],
         "mean_order_value": [25.0, 99.9, 6.25]},
        index=pd.Index(["A", "B", "C"], name="customer_id", dtype="str"),
    )
    pd.testing.assert_frame_equal(table, expected)


def test_line_items_count_once_and_same_day_is_recency_zero() -> None:
    orders = pd.DataFrame({
        "customer_id": ["A"] * 4,
        "order_id": ["O1", "O1", "O1", "O2"],
        "order_date": pd.to_datetime(["2025-06-01 10:00"] * 3 + ["2025-06-30 23:00"]),
        "amount": [1.0, 2.0, 3.0, 4.0],
    })
    row = rfm_table(orders, pd.Timestamp("2025-06-30 23:30")).loc["A"]
    assert (row["recency"], row["frequency"], row["monetary"]) == (0, 2, 10.0)


def test_order_col_none_counts_rows() -> None:
    orders = pd.DataFrame({"customer_id": ["A", "A", "B"],
                           "order_date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03"]),
                           "amount": [1.0, 2.0, 3.0]})
    table = rfm_table(orders, "2025-02-01", order_col=None)
    assert table["frequency"].tolist() == [2, 1]


def test_snapshot_before_last_purchase_is_an_error() -> None:
    orders = random_orders(1)
    last = orders["order_date"].max()
    with pytest.raises(InputError, match="after snapshot_date"):
        rfm_table(orders, last - pd.Timedelta(seconds=1))
    # The same calendar day but before the purchase is still "before": an error, not recency -1.
    with pytest.raises(InputError):
        rfm_table(orders, last.normalize())


def test_snapshot_none_defaults_with_a_warning() -> None:
    orders = random_orders(2)
    with pytest.warns(UserWarning, match="snapshot_date"):
        table = rfm_table(orders, None)
    assert table["recency"].min() == 1  # midnight after the last purchase day


def test_returns_policies() -> None:
    orders = pd.DataFrame({
        "customer_id": ["A", "A", "B", "B"],
        "order_id": ["O1", "R1", "O2", "O3"],
        "order_date": pd.to_datetime(["2025-01-01", "2025-01-05", "2025-01-02", "2025-01-03"]),
        "amount": [100.0, -40.0, 10.0, 20.0],
    })
    with pytest.raises(InputError, match="returns"):
        rfm_table(orders, "2025-02-01")
    net = rfm_table(orders, "2025-02-01", returns="net")
    # The return lowers monetary but is no purchase: recency still from 01-01, one order.
    assert net.loc["A"].tolist() == [31, 1, 60.0, 60.0]
    with pytest.warns(UserWarning, match="1 row"):
        excluded = rfm_table(orders, "2025-02-01", returns="exclude")
    assert excluded.loc["A"].tolist() == [31, 1, 100.0, 100.0]
    pd.testing.assert_series_equal(net.loc["B"], excluded.loc["B"])


def test_customer_with_only_returns_is_reported_and_left_out() -> None:
    orders = pd.DataFrame({
        "customer_id": ["A", "B"], "order_id": ["O1", "R9"],
        "order_date": pd.to_datetime(["2025-01-01", "2025-01-05"]), "amount": [100.0, -40.0],
    })
    with pytest.warns(UserWarning, match="1 customer"):
        table = rfm_table(orders, "2025-02-01", returns="net")
    assert table.index.tolist() == ["A"]


def test_validation_runs_first() -> None:
    orders = random_orders(3).rename(columns={"order_date": "date"})
    with pytest.raises(InputError, match="order_date"):
        rfm_table(orders, "2026-01-01")
    pd.testing.assert_frame_equal(
        rfm_table(orders, "2026-01-01", date_col="date"),
        rfm_table(orders.rename(columns={"date": "order_date"}), "2026-01-01"),
    )


def test_integer_and_categorical_ids_give_the_same_numbers() -> None:
    orders = random_orders(4)
    expected = rfm_table(orders, "2026-01-01")
    as_int = orders.assign(customer_id=orders["customer_id"].str[1:].astype(int),
                           order_id=orders["order_id"].str[1:].astype(int))
    got = rfm_table(as_int, "2026-01-01")
    assert got.index.tolist() == [int(c[1:]) for c in expected.index]
    np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy())
    # Categorical ids, with unused and unsorted categories, use their codes directly.
    cats = ["ZZ-unused", *sorted(set(orders["customer_id"]), reverse=True)]
    as_cat = orders.assign(customer_id=pd.Categorical(orders["customer_id"], categories=cats),
                           order_id=pd.Categorical(orders["order_id"], categories=["none", *set(orders["order_id"])]))
    got_cat = rfm_table(as_cat, "2026-01-01")
    assert got_cat.index.astype(str).tolist() == expected.index.tolist()
    np.testing.assert_array_equal(got_cat.to_numpy(), expected.to_numpy())


def test_timezone_aware_dates_use_the_local_calendar_day() -> None:
    orders = pd.DataFrame({
        "customer_id": ["A"], "order_id": ["O1"],
        # 2025-01-01 01:00 in Shanghai is still 2024-12-31 in UTC: the local day must count.
        "order_date": pd.to_datetime(["2025-01-01 01:00"]).tz_localize("Asia/Shanghai"),
        "amount": [1.0],
    })
    table = rfm_table(orders, pd.Timestamp("2025-01-11", tz="Asia/Shanghai"))
    assert table.loc["A", "recency"] == 10


ids = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + "é客-", min_size=1, max_size=20),
    st.integers(0, 10**6).map(lambda k: f"C{k:07d}"),  # the dense lookup-table path
    st.integers(0, 10**12).map(lambda k: f"X{k}"),  # variable width, hashed keys
)


@PROPERTY
@given(st.lists(ids, min_size=1, max_size=40))
def test_fast_id_factorization_equals_pandas(values: list[str]) -> None:
    series = pd.Series(values, dtype="str")
    codes, uniques = factorize_ids(series)
    ref_codes, ref_uniques = pd.factorize(series, sort=True)
    np.testing.assert_array_equal(codes, ref_codes)
    assert uniques.tolist() == ref_uniques.tolist()


@st.composite
def transactions(draw: st.DrawFn) -> pd.DataFrame:
    n_orders = draw(st.integers(1, 25))
    customers = draw(st.lists(st.integers(0, 6), min_size=n_orders, max_size=n_orders))
    days = draw(st.lists(st.integers(0, 400), min_size=n_orders, max_size=n_orders))
    lines = draw(st.lists(st.integers(1, 3), min_size=n_orders, max_size=n_orders))
    cents = draw(st.lists(st.integers(1, 10**6), min_size=sum(lines), max_size=sum(lines)))
    rows, k = [], 0
    for o, (c, d, m) in enumerate(zip(customers, days, lines)):
        for line in range(m):
            rows.append((f"O{o}", f"C{c}", pd.Timestamp("2024-01-01") + pd.Timedelta(days=d, minutes=line),
                         cents[k] / 100 + line * 1e-4))
            k += 1
    # Line items share their order's date: keep the first line's time for all of them.
    frame = pd.DataFrame(rows, columns=["order_id", "customer_id", "order_date", "amount"])
    frame["order_date"] = frame.groupby("order_id")["order_date"].transform("first")
    return frame


@PROPERTY
@given(transactions(), st.randoms(use_true_random=False))
def test_table_does_not_depend_on_row_order(orders: pd.DataFrame, rnd) -> None:
    perm = list(range(len(orders)))
    rnd.shuffle(perm)
    a = rfm_table(orders, "2025-03-01")
    b = rfm_table(orders.iloc[perm], "2025-03-01")
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)
    assert_matches_loop(a, loop_rfm(orders, "2025-03-01"))


# --------------------------------------------------------------------------------------------
# rfm_scores


def test_scores_tie_rule_hand_worked() -> None:
    rfm = pd.DataFrame({"recency": np.arange(10), "frequency": [1, 1, 1, 1, 1, 1, 2, 2, 3, 5],
                        "monetary": np.arange(10.0)})
    s = rfm_scores(rfm)
    # 6 customers below frequency 2 -> 1 + floor(5 * 6 / 10) = 4; 8 below 3 -> 5; 9 below 5 -> 5.
    assert s["F"].tolist() == [1] * 6 + [4, 4, 5, 5]
    assert s["M"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert s["R"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert s["rfm_code"].tolist()[:2] == ["511", "511"]
    assert s.dtypes.astype(str).tolist() == ["int64", "int64", "int64", "str"]


rfm_frames = st.integers(1, 40).flatmap(
    lambda n: st.builds(
        lambda r, f, m: pd.DataFrame({"recency": r, "frequency": f, "monetary": m}),
        st.lists(st.integers(0, 30), min_size=n, max_size=n),
        st.lists(st.integers(1, 6), min_size=n, max_size=n),
        st.lists(st.floats(-50, 1e4, allow_nan=False), min_size=n, max_size=n),
    )
)


@PROPERTY
@given(rfm_frames, st.integers(2, 12), st.randoms(use_true_random=False))
def test_score_properties(rfm: pd.DataFrame, bins: int, rnd) -> None:
    s = rfm_scores(rfm, bins=bins)
    for letter in "RFM":
        assert s[letter].between(1, bins).all()
    # Row order does not matter.
    perm = list(range(len(rfm)))
    rnd.shuffle(perm)
    pd.testing.assert_frame_equal(rfm_scores(rfm.iloc[perm], bins=bins).sort_index(), s)
    # Higher value never scores lower; equal values score the same; the lowest scores 1.
    for letter, col, sign in (("F", "frequency", 1), ("M", "monetary", 1), ("R", "recency", -1)):
        x = sign * rfm[col].to_numpy()
        sc = s[letter].to_numpy()
        higher = x[:, None] > x[None, :]
        assert (sc[:, None] >= sc[None, :])[higher].all()
        assert (sc[:, None] == sc[None, :])[x[:, None] == x[None, :]].all()
        assert (sc[x == x.min()] == 1).all()
    # Recency reversal: R is the monetary-style score of -recency.
    flipped = rfm.assign(monetary=-rfm["recency"].astype(float))
    assert (rfm_scores(flipped, bins=bins)["M"] == s["R"]).all()


def test_cut_points_override() -> None:
    rfm = pd.DataFrame({"recency": [0, 30, 31, 400], "frequency": [1, 2, 6, 3],
                        "monetary": [10.0, 20.0, 30.0, 40.0]})
    s = rfm_scores(rfm, cut_points={"recency": [30, 90, 180, 365], "frequency": [1, 2, 3, 5]})
    assert s["R"].tolist() == [5, 5, 4, 1]  # right-closed: 30 days is still the best bin
    assert s["F"].tolist() == [1, 2, 5, 3]
    assert s["M"].tolist() == rfm_scores(rfm)["M"].tolist()  # not listed: quantiles


def test_rfm_code_for_many_bins() -> None:
    rfm = pd.DataFrame({"recency": range(20), "frequency": range(20), "monetary": range(20)})
    code = rfm_scores(rfm, bins=10)["rfm_code"]
    assert code.iloc[0] == "10-1-1" and code.iloc[-1] == "1-10-10"


@pytest.mark.parametrize(
    ("kwargs", "frame_change", "message"),
    [
        ({"bins": 1}, None, "bins"),
        ({"bins": True}, None, "bins"),
        ({"bins": 2.5}, None, "bins"),
        ({}, lambda f: f.drop(columns="monetary"), "monetary"),
        ({}, lambda f: f.rename(columns={"recency": "Recency"}), "Did you mean 'Recency'"),
        ({}, lambda f: f.assign(frequency=[1.0, np.nan, 2.0]), "'frequency' has 1 row with missing values"),
        ({}, lambda f: f.assign(monetary=["a", "b", "c"]), "'monetary' has 3 values written as text"),
        ({}, lambda f: f.iloc[:0], "empty"),
        ({"cut_points": {"recency": [1, 2]}}, None, "4 inner edges"),
        ({"cut_points": {"recency": [1, 3, 2, 4]}}, None, "increasing"),
        ({"cut_points": {"value": [1, 2, 3, 4]}}, None, r"the RFM metrics does not know: \['value'\]"),
    ],
)
def test_scores_input_errors(kwargs, frame_change, message) -> None:
    rfm = pd.DataFrame({"recency": [1, 2, 3], "frequency": [1, 2, 3], "monetary": [1.0, 2.0, 3.0]})
    if frame_change is not None:
        rfm = frame_change(rfm)
    with pytest.raises(InputError, match=message):
        rfm_scores(rfm, **kwargs)


# --------------------------------------------------------------------------------------------
# segments


def test_default_rules_cover_grid_once_and_name_all_segments() -> None:
    check_segment_rules(DEFAULT_SEGMENT_RULES)
    grid = pd.DataFrame([(r, f) for r in range(1, 6) for f in range(1, 6)], columns=["R", "F"])
    seg = rfm_segments(grid)
    assert list(seg.cat.categories) == SEGMENT_NAMES
    assert set(seg) == set(SEGMENT_NAMES)  # every segment reachable
    assert set(SEGMENT_STRATEGIES) == set(SEGMENT_NAMES)
    assert all(s.endswith(".") and s.count(".") == 1 for s in SEGMENT_STRATEGIES.values())
    named = dict(zip(zip(grid["R"], grid["F"]), seg))
    assert named[(5, 5)] == "Champions" and named[(1, 1)] == "Lost"
    assert named[(5, 1)] == "New customers" and named[(1, 5)] == "Cannot lose them"
    assert named[(3, 3)] == "Need attention" and named[(2, 4)] == "At risk"


def test_rule_gaps_and_overlaps_are_listed() -> None:
    rules: list[SegmentRule | tuple[str, tuple[int, int], tuple[int, int]]] = list(DEFAULT_SEGMENT_RULES)
    rules[0] = SegmentRule("Champions", r=(5, 5), f=(5, 5))  # leaves (R=5, F=4) uncovered
    rules.append(("Extra", (1, 1), (1, 1)))  # doubles (R=1, F=1) with Lost
    with pytest.raises(InputError) as err:
        check_segment_rules(rules)
    text = str(err.value)
    assert "1 cell(s) not covered by any rule: (R=5, F=4)" in text
    assert "1 cell(s) covered more than once: (R=1, F=1): Lost & Extra" in text
    with pytest.raises(InputError, match="not covered"):
        rfm_segments(pd.DataFrame({"R": [1], "F": [1]}), rules=rules)


def test_rules_out_of_range_or_malformed() -> None:
    with pytest.raises(InputError, match=r"R range \(0, 5\)"):
        check_segment_rules([("All", (0, 5), (1, 5))])
    with pytest.raises(InputError, match="must look like"):
        check_segment_rules([("All", 5)])  # type: ignore[list-item]


def test_custom_rules_with_split_segment() -> None:
    rules = [("Top", (4, 5), (1, 5)), ("Rest", (1, 3), (1, 4)), ("Top", (1, 3), (5, 5))]
    seg = rfm_segments(pd.DataFrame({"R": [5, 1, 2], "F": [1, 1, 5]}), rules=rules)
    assert seg.tolist() == ["Top", "Rest", "Top"]
    assert list(seg.cat.categories) == ["Top", "Rest"]


def test_segments_need_five_level_scores() -> None:
    with pytest.raises(InputError, match="bins=5"):
        rfm_segments(pd.DataFrame({"R": [6], "F": [1]}))
    with pytest.raises(InputError, match="'F'"):
        rfm_segments(pd.DataFrame({"R": [1]}))


def test_segment_summary_against_groupby() -> None:
    orders = random_orders(7, n_orders=300, n_customers=60)
    table = rfm_table(orders, "2026-01-01")
    seg = rfm_segments(rfm_scores(table))
    summary = segment_summary(table, seg)
    assert summary.index.tolist() == SEGMENT_NAMES and summary.index.name == "segment"
    assert summary["revenue_share"].sum() == pytest.approx(1.0)
    assert summary["customer_share"].sum() == pytest.approx(1.0)
    assert summary["customers"].sum() == len(table)
    for name, part in table.groupby(seg.astype(str)):
        row = summary.loc[name]
        assert row["customers"] == len(part)
        assert row["revenue"] == pytest.approx(part["monetary"].sum())
        assert row["mean_recency"] == pytest.approx(part["recency"].mean())
        assert row["mean_frequency"] == pytest.approx(part["frequency"].mean())
        assert row["mean_monetary"] == pytest.approx(part["monetary"].mean())
    # Order of the customers in `segments` does not matter (aligned on the index).
    pd.testing.assert_frame_equal(segment_summary(table, seg.iloc[::-1]), summary)
    with pytest.raises(InputError, match=r"1 id of rfm is not in segments: \[.C00000.\]"):
        segment_summary(table, seg.iloc[1:])


# --------------------------------------------------------------------------------------------
# plots


def test_heatmap_counts_and_means() -> None:
    scores = pd.DataFrame({"R": [5, 5, 1, 3], "F": [4, 4, 1, 2]}, index=list("abcd"))
    ax = rfm_heatmap(scores)
    grid = np.asarray(ax.images[0].get_array())
    assert grid.shape == (5, 5) and len(ax.texts) == 25
    assert grid[4, 3] == 2 and grid[0, 0] == 1 and grid[2, 1] == 1 and np.nansum(grid) == 4
    money = pd.Series([100.0, 300.0, 7.0, 1.0], index=list("abcd"), name="monetary")
    fig, given_ax = plt.subplots()
    ax2 = rfm_heatmap(scores, value=money, ax=given_ax)
    assert ax2 is given_ax
    means: np.ndarray = np.ma.filled(np.ma.asarray(ax2.images[0].get_array()), np.nan)
    assert means[4, 3] == 200.0 and means[0, 0] == 7.0 and np.isnan(means[2, 2])
    assert sorted(t.get_text() for t in ax2.texts if t.get_text() != "-") == ["1", "200", "7"]


def test_segment_bars_two_per_segment() -> None:
    orders = random_orders(8, n_orders=200, n_customers=40)
    table = rfm_table(orders, "2026-01-01")
    summary = segment_summary(table, rfm_segments(rfm_scores(table)))
    ax = segment_bars(summary)
    assert len(ax.patches) == 2 * len(summary)
    widths = sorted(p.get_width() for p in ax.patches if isinstance(p, Rectangle))
    expected = sorted((summary[["customer_share", "revenue_share"]] * 100).to_numpy().ravel())
    np.testing.assert_allclose(widths, expected)
    assert [t.get_text() for t in ax.get_yticklabels()] == summary.index.tolist()


# --------------------------------------------------------------------------------------------
# the course data: DuckDB SQL must give the same table


def test_course_data_against_duckdb_sql() -> None:
    datasets = pytest.importorskip("cvmlib.datasets", reason="cvmlib.datasets not written yet")
    if not (ROOT / "datasets" / "retailer" / "orders.csv").exists():
        pytest.skip("datasets/retailer/orders.csv not generated yet")
    duckdb = pytest.importorskip("duckdb")
    orders = datasets.load_orders()
    table = rfm_table(orders, "2026-01-01")
    sql = duckdb.sql(
        """
        SELECT customer_id,
               date_diff('day', max(order_date)::DATE, DATE '2026-01-01') AS recency,
               count(DISTINCT order_id) FILTER (WHERE amount > 0) AS frequency,
               sum(amount) AS monetary
        FROM orders GROUP BY customer_id ORDER BY customer_id
        """
    ).df().set_index("customer_id")
    assert table.index.tolist() == sql.index.tolist()
    np.testing.assert_array_equal(table["recency"].to_numpy(), sql["recency"].to_numpy())
    np.testing.assert_array_equal(table["frequency"].to_numpy(), sql["frequency"].to_numpy())
    np.testing.assert_allclose(table["monetary"].to_numpy(), sql["monetary"].to_numpy(), rtol=1e-9)
    assert len(table) > 1000 and table["frequency"].sum() == orders["order_id"].nunique()


def test_exclude_and_net_use_the_right_rows_for_frequency() -> None:
    # Codes from the validation are re-aligned after rows are dropped: the counts must follow.
    orders = pd.DataFrame({
        "customer_id": ["A", "A", "B", "B", "B"],
        "order_id": ["o1", "r1", "o2", "o2", "o3"],
        "order_date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-03", "2025-01-04"]),
        "amount": [10.0, -4.0, 5.0, 6.0, 7.0],
    })
    with pytest.warns(UserWarning, match="dropped 1 row"):
        excluded = rfm_table(orders, "2025-02-01", returns="exclude")
    net = rfm_table(orders, "2025-02-01", returns="net")
    assert excluded["frequency"].tolist() == [1, 2] == net["frequency"].tolist()
    assert excluded["monetary"].tolist() == [10.0, 18.0]
    assert net["monetary"].tolist() == [6.0, 18.0]


def test_categorical_ids_with_unused_categories() -> None:
    orders = pd.DataFrame({
        "customer_id": pd.Categorical(["B", "A", "B"], categories=["Z", "B", "A"]),
        "order_id": pd.Categorical(["o1", "o2", "o3"], categories=["o3", "o2", "o1", "o9"]),
        "order_date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03"]),
        "amount": [1.0, 2.0, 3.0],
    })
    table = rfm_table(orders, "2025-02-01")
    assert table.index.tolist() == ["A", "B"] and table["frequency"].tolist() == [1, 2]
