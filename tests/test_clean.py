"""Tests for cvmlib.clean: the raw export cleans to exactly the clean table, every change reported."""

from __future__ import annotations


import pandas as pd
import pytest

from cvmlib.clean import CATEGORIES, CHANNELS, CleaningResult, clean_orders
from cvmlib.validate import InputError



def raw(*rows: tuple[str, ...]) -> pd.DataFrame:
    cols = ["order_id", "customer_id", "order_date", "channel", "category", "amount"]
    return pd.DataFrame(list(rows), columns=cols, dtype="str")


GOOD = ("O0000001", "C00001", "2024-05-01 10:00:00", "app", "Apparel", "59.90")
GOOD2 = ("O0000002", "C00002", "2024-05-02 11:30:00", "web", "Home", "120.00")


def reasons(result: CleaningResult) -> dict:
    return dict(zip(result.report["raw_row"], result.report["reason"]))


def test_clean_rows_pass_unchanged_with_clean_dtypes():
    result = clean_orders(raw(GOOD2, GOOD))
    orders = result.orders
    assert orders["order_id"].tolist() == ["O0000001", "O0000002"]  # sorted by order_id
    assert orders.index.tolist() == [0, 1]
    assert str(orders["order_date"].dtype) == "datetime64[ns]"
    assert list(orders["category"].cat.categories) == list(CATEGORIES)
    assert list(orders["channel"].cat.categories) == list(CHANNELS)
    assert orders["amount"].dtype == "float64" and orders["amount"].tolist() == [59.9, 120.0]
    assert orders["customer_id"].dtype == "str"
    assert result.report.empty and result.returns.empty


def test_exact_duplicate_names_the_first_row():
    result = clean_orders(raw(GOOD, GOOD2, GOOD))
    assert reasons(result) == {2: "exact duplicate of row 0"}
    assert result.report["action"].tolist() == ["removed"]
    assert len(result.orders) == 2


def test_near_duplicate_with_other_format_and_case():
    again = ("O0000001", "C00001", "01.05.2024 10:00", "App", " APPAREL", " 59.90 ")
    result = clean_orders(raw(GOOD, GOOD2, again))
    assert reasons(result) == {2: "near duplicate of order O0000001 (row 0)"}


def test_same_order_id_with_different_contents_is_an_error():
    other = ("O0000001", "C00001", "2024-05-01 10:00:00", "app", "Apparel", "99.00")
    with pytest.raises(InputError, match="Column 'order_id'.*different contents") as info:
        clean_orders(raw(GOOD, other))
    assert "99.00" in str(info.value)


def test_returns_kept_aside_tests_and_guests_removed():
    ret = ("R0000001", "C00001", "2024-05-09 12:00:00", "app", "Apparel", "-59.90")
    guest = ("O0000003", "", "2024-05-03 09:00:00", "web", "Home", "15.00")
    test1 = ("O0000004", "TEST001", "2024-05-03 09:00:00", "web", "Home", "1.00")
    test2 = ("O0000005", "C00009", "2024-05-03 09:00:00", "web", "test", "1.00")
    result = clean_orders(raw(GOOD, ret, guest, test1, test2))
    assert reasons(result) == {
        1: "return (negative amount) -- kept in CleaningResult.returns",
        2: "guest order: no customer_id",
        3: "test order: customer_id 'TEST001'",
        4: "test order: category 'test'",
    }
    assert result.orders["order_id"].tolist() == ["O0000001"]
    assert result.returns[["order_id", "amount", "raw_row"]].values.tolist() == [["R0000001", -59.9, 1]]


def test_changes_are_reported_per_row():
    messy = ("O0000002", "C00002", "2024/05/02 11:30", "Mini_Program", "  food & grocery", "120.00")
    result = clean_orders(raw(GOOD, messy))
    assert reasons(result) == {1: "channel normalised 'Mini_Program' -> 'mini_program'; "
                                  "category normalised '  food & grocery' -> 'Food & Grocery'; "
                                  "date format '%Y/%m/%d %H:%M' parsed"}
    assert result.report["action"].tolist() == ["changed"]
    row = result.orders.iloc[1]
    assert (row["channel"], row["category"], row["order_date"]) == (
        "mini_program", "Food & Grocery", pd.Timestamp("2024-05-02 11:30"))


def test_iso_t_format_and_whitespace_in_ids():
    messy = (" O0000002", "C00002 ", "2024-05-02T11:30:05", "web", "Home", "120.00")
    result = clean_orders(raw(GOOD, messy))
    assert reasons(result)[1] == ("whitespace stripped from order_id; whitespace stripped from "
                                  "customer_id; date format '%Y-%m-%dT%H:%M:%S' parsed")
    assert result.orders["order_id"].tolist() == ["O0000001", "O0000002"]


def test_unknown_category_is_named_never_guessed():
    bad = ("O0000002", "C00002", "2024-05-02 11:30:00", "web", "Garden", "1.00")
    with pytest.raises(InputError, match="Column 'category' has 1 unknown value.*'Garden'") as info:
        clean_orders(raw(GOOD, bad))
    assert "O0000002" in str(info.value)


def test_unknown_channel():
    bad = ("O0000002", "C00002", "2024-05-02 11:30:00", "fax", "Home", "1.00")
    with pytest.raises(InputError, match="Column 'channel'") as info:
        clean_orders(raw(GOOD, bad))
    assert "fax" in str(info.value)


def test_unlisted_date_format_is_an_error_with_rows():
    bad = ("O0000002", "C00002", "May 2, 2024", "web", "Home", "1.00")
    with pytest.raises(InputError, match="Column 'order_date'") as info:
        clean_orders(raw(GOOD, bad))
    assert "May 2, 2024" in str(info.value)


def test_bad_rows_that_are_removed_anyway_do_not_raise():
    guest = ("O0000003", "", "garbage", "web", "Garden", "x")
    assert reasons(clean_orders(raw(GOOD, guest))) == {1: "guest order: no customer_id"}


def test_missing_column():
    with pytest.raises(InputError, match="Column 'amount' is missing.*Did you mean 'amt'"):
        clean_orders(raw(GOOD).rename(columns={"amount": "amt"}))


def test_raw_index_labels_are_reported():
    frame = raw(GOOD, GOOD)
    frame.index = [10, 20]
    assert reasons(clean_orders(frame)) == {20: "exact duplicate of row 10"}


def test_summary_and_displays():
    ret = ("R0000001", "C00001", "2024-05-09 12:00:00", "app", "Apparel", "-59.90")
    messy = ("O0000002", "C00002", "2024/05/02 11:30", "WEB", "Home", "120.00")
    result = clean_orders(raw(GOOD, GOOD, ret, messy))
    summary = result.summary()
    assert summary.to_dict("records") == [
        {"action": "removed", "kind": "exact duplicate", "rows": 1},
        {"action": "removed", "kind": "return", "rows": 1},
        {"action": "changed", "kind": "channel normalised", "rows": 1},
        {"action": "changed", "kind": "date format '%Y/%m/%d %H:%M' parsed", "rows": 1},
    ]
    assert "4 raw rows -> 2 orders + 1 returns" in repr(result)
    assert "<table" in result._repr_html_() and "exact duplicate" in result._repr_html_()


# ------------------------------------------------------------------ the contract with the data


def test_raw_export_cleans_to_exactly_the_clean_orders():
    from cvmlib.datasets import load_orders, load_orders_raw

    raw_orders = load_orders_raw()
    result = clean_orders(raw_orders)
    pd.testing.assert_frame_equal(result.orders, load_orders())
    # Every raw row is kept or reported (removed rows exactly once).
    removed = result.report.loc[result.report["action"] == "removed", "raw_row"]
    assert removed.is_unique
    assert len(result.orders) + len(removed) == len(raw_orders)
    assert result.report["raw_row"].isin(raw_orders.index).all()
    assert (result.returns["amount"] < 0).all()
