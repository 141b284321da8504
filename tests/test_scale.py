"""The pandas path at scale (issue 13): id codes above 2**24 distinct ids, the two-stage exact
duplicate check, the BTYD summary's in-place arithmetic, and the working memory per row.

Everything here is small and fast; the timings at 5M-200M rows live in benchmarks/bench_engines.py.
"""

from __future__ import annotations

import re
import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest

from cvmlib._ids import codes_from_bytes, encode_ids
from cvmlib.clv.summary import summarize_purchases
from cvmlib.datasets import load_cdnow
from cvmlib.rfm import rfm_table
from cvmlib.validate import InputError, validate_transactions


def digit_rows(values: np.ndarray, width: int) -> np.ndarray:
    """The decimal digits of ``values`` as ASCII byte rows, like ids "00000042" (no Python strings)."""
    rows = np.empty((len(values), width), dtype=np.uint8)
    rest = values.astype(np.uint32)  # uint32 division by a constant is several times faster
    for j in range(width - 1, -1, -1):  # column by column: no (n, width) int64 temporary
        rows[:, j] = rest % 10 + ord("0")
        rest //= 10
    return rows


def test_more_than_2_to_the_24_distinct_keys_use_the_lookup_table(monkeypatch: pytest.MonkeyPatch) -> None:
    # 5M distinct 8-digit ids below 2e7: the mixed-radix span is 2 x 10**7 > 2**24, which used to
    # send them to pd.factorize(sort=True) (10x slower at 20M ids). Refuse that path here.
    rng = np.random.default_rng(13)
    n = 5_000_000
    values = np.arange(0, 20_000_000, 4) + rng.integers(0, 4, n)  # one id in each block of 4
    values[[0, -1]] = (0, 19_999_999)  # both ends present: the span is exactly 2 x 10**7
    values = rng.permutation(values)
    monkeypatch.setattr(pd, "factorize", lambda *a, **k: pytest.fail("hash path taken"))
    codes, k = codes_from_bytes(digit_rows(values, 8))
    assert k == n and 2 * 10**7 > 2**24
    np.testing.assert_array_equal(codes, values // 4)  # sorted codes: the rank of the id = its block


def test_sparse_keys_still_get_sorted_codes() -> None:
    # Few rows over a wide span: the hash path, whose distinct keys are sorted afterwards.
    values = np.array([99_999_999, 5, 123_456_78, 5, 0, 99_999_999], dtype=np.int64)
    codes, k = codes_from_bytes(digit_rows(values, 8))
    ref_codes, ref_uniques = pd.factorize(values, sort=True)
    np.testing.assert_array_equal(codes, ref_codes)
    assert k == len(ref_uniques)


def test_encode_ids_on_many_sequential_order_ids_matches_factorize() -> None:
    ids = pd.Series([f"O{k:08d}" for k in np.random.default_rng(1).permutation(100_000) * 210], dtype="str")
    enc = encode_ids(ids)
    ref_codes, ref_uniques = pd.factorize(ids, sort=True)
    assert enc is not None and enc.is_sorted and enc.n_codes == len(ref_uniques)
    np.testing.assert_array_equal(enc.codes, ref_codes)


def duplicate_count(error: InputError) -> int:
    return int(re.search(r"has ([\d,]+) rows? that (?:are|is) exact duplicates", str(error)).group(1).replace(",", ""))


@pytest.mark.parametrize("seed", range(6))
def test_two_stage_duplicate_check_finds_exactly_the_identical_rows(seed: int) -> None:
    # Rows often equal on the used columns (customer, date, amount) but not always on the others.
    rng = np.random.default_rng(seed)
    n = 400
    df = pd.DataFrame({
        "customer_id": pd.array([f"C{c}" for c in rng.integers(0, 8, n)], dtype="str"),
        "order_date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 4, n), unit="D"),
        "amount": rng.integers(1, 4, n).astype(float),
        "sku": pd.array([f"S{s}" for s in rng.integers(0, 3, n)], dtype="str"),
        "note": rng.choice(["", "gift", None], n),
    })
    expected = int(df.duplicated(keep=False).sum())
    assert 0 < expected < int(df[["customer_id", "order_date", "amount"]].duplicated(keep=False).sum())
    with pytest.raises(InputError) as caught:
        validate_transactions(df, order_col=None)
    assert duplicate_count(caught.value) == expected
    unique = df.drop_duplicates()
    assert len(validate_transactions(unique, order_col=None)) == len(unique)


def test_cdnow_line_column_still_separates_identical_purchases() -> None:
    cdnow = load_cdnow()
    # Stage 2 runs: some rows are identical on the used columns and on quantity, not on line.
    assert cdnow.drop(columns="line").duplicated(keep=False).any() and not cdnow.duplicated().any()
    kw = {"observation_end": "1998-06-30", "returns": "net"}
    summary = summarize_purchases(cdnow, "customer_id", "order_date", "amount", **kw)
    assert len(summary) == cdnow["customer_id"].nunique()
    with pytest.raises(InputError) as caught:
        summarize_purchases(cdnow.drop(columns="line"), "customer_id", "order_date", "amount", **kw)
    assert duplicate_count(caught.value) == int(cdnow.drop(columns="line").duplicated(keep=False).sum())


def test_unhashable_extra_column_is_not_a_traceback() -> None:
    df = pd.DataFrame({"customer_id": ["A", "B", "A"], "order_date": ["2024-01-01"] * 3,
                       "amount": [1.0, 2.0, 3.0], "tags": [["x"], ["y"], ["x"]]})
    assert len(validate_transactions(df, order_col=None)) == 3  # no repeat on the used columns
    with pytest.raises(InputError, match="exact duplicates"):
        validate_transactions(df.assign(amount=[1.0, 2.0, 1.0]), order_col=None)


def reference_summary(tx: pd.DataFrame, cal_end: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The BTYD summary by plain pandas group-bys (the definition in cvmlib/clv/summary.py), in days."""
    tx = tx[tx["d"].dt.normalize() <= end].assign(day=lambda t: t["d"].dt.normalize())
    daily = tx.groupby(["c", "day"], as_index=False)["a"].sum()
    rows = []
    for cust, g in daily.groupby("c"):
        first = g["day"].min()
        if first > cal_end:
            continue
        cal = g[g["day"] <= cal_end]
        rows.append({"c": cust, "frequency": len(cal) - 1,
                     "recency": float((cal["day"].max() - first).days), "T": float((cal_end - first).days),
                     "monetary_value": float(cal["a"].iloc[1:].mean()) if len(cal) > 1 else 0.0,
                     "frequency_holdout": len(g) - len(cal), "duration_holdout": float((end - cal_end).days)})
    return pd.DataFrame(rows).set_index("c")


@pytest.mark.parametrize("seed", range(4))
def test_summary_with_holdout_late_rows_and_pre_1970_dates(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 3_000
    start = pd.Timestamp("1969-11-01")  # negative day numbers: the offsets must still be right
    tx = pd.DataFrame({"c": pd.array([f"K{k:03d}" for k in rng.integers(0, 150, n)], dtype="str"),
                       "d": start + pd.to_timedelta(rng.integers(0, 200 * 86_400, n), unit="s"),
                       "a": rng.integers(1, 9000, n) / 100})
    cal_end, end = pd.Timestamp("1970-03-01"), pd.Timestamp("1970-05-01")  # later rows are dropped
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the dropped-rows warning
        got = summarize_purchases(tx, "c", "d", "a", calibration_end=cal_end, observation_end=end, unit="D")
    want = reference_summary(tx, cal_end, end)
    pd.testing.assert_index_equal(got.index, want.index.rename("c"), exact=False)
    for col in ("frequency", "frequency_holdout"):
        np.testing.assert_array_equal(got[col].to_numpy(), want[col].to_numpy())
    for col in ("recency", "T", "duration_holdout", "monetary_value"):
        np.testing.assert_allclose(got[col].to_numpy(), want[col].to_numpy(), rtol=1e-12)


def synthetic_orders(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({
        "customer_id": pd.array([f"C{c:07d}" for c in rng.integers(0, n // 10, n)], dtype="str"),
        "order_id": pd.array([f"O{o:07d}" for o in rng.permutation(n)], dtype="str"),
        "order_date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 731 * 86_400, n), unit="s"),
        "amount": rng.integers(1, 50_000, n) / 100,
    })


@pytest.mark.parametrize(("task", "limit"), [("rfm", 45), ("summary", 45)])
def test_working_memory_per_row(task: str, limit: float) -> None:
    # Peak bytes allocated by the call beyond its input (tracemalloc sees numpy's buffers and the
    # id bytes). Measured 38 / 38 B/row at 200k rows after issue 13 (51 / 88 before): a new
    # row-length temporary (8 B/row) on the peak's path fails this.
    n = 200_000
    orders = synthetic_orders(n)
    run = ((lambda: rfm_table(orders, "2026-01-01")) if task == "rfm" else
           (lambda: summarize_purchases(orders, "customer_id", "order_date", "amount", observation_end="2025-12-31")))
    run()  # imports and caches outside the measurement
    tracemalloc.start()
    try:
        run()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak / n < limit
