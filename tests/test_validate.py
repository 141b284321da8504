"""Tests for cvmlib.validate: every error names its column and shows an offending row."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvmlib.validate import InputError, resolve_snapshot_date, validate_transactions


def orders(**changes: list) -> pd.DataFrame:
    """A small valid order table; keyword arguments replace whole columns."""
    base = {
        "order_id": ["O000001", "O000002", "O000003", "O000004"],
        "customer_id": ["C00001", "C00002", "C00001", "C00003"],
        "order_date": ["2024-05-01 10:00:00", "2024-05-02 11:30:00", "2024-06-01 09:00:00",
                       "2024-06-03 18:45:00"],
        "amount": [59.9, 120.0, 15.5, 88.0],
    }
    base.update(changes)
    return pd.DataFrame(base)


def raises(df: pd.DataFrame, *fragments: str, **kwargs) -> str:
    """Assert validate_transactions raises InputError whose message contains every fragment."""
    with pytest.raises(InputError) as info:
        validate_transactions(df, **kwargs)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    return message


# ------------------------------------------------------------------------------------------ valid


def test_valid_frame_is_parsed_and_not_modified():
    df = orders()
    before = df.copy()
    out = validate_transactions(df)
    pd.testing.assert_frame_equal(df, before)  # caller's frame untouched
    assert out["order_date"].dtype.kind == "M"
    assert out["amount"].dtype == "float64"
    assert out["order_date"].iloc[3] == pd.Timestamp("2024-06-03 18:45:00")
    assert out.index.equals(df.index)


def test_extras_are_kept_untouched_and_int_amounts_become_float():
    df = orders(amount=[1, 2, 3, 4]).assign(note=["a", None, "c", "d"])
    out = validate_transactions(df)
    assert list(out.columns) == list(df.columns)
    pd.testing.assert_series_equal(out["note"], df["note"])
    assert out["amount"].tolist() == [1.0, 2.0, 3.0, 4.0]


def test_datetime_column_is_taken_as_is():
    df = orders()
    df["order_date"] = pd.to_datetime(df["order_date"]).astype("datetime64[ns]")
    out = validate_transactions(df)
    assert out["order_date"].dtype == "datetime64[ns]"
    pd.testing.assert_series_equal(out["order_date"], df["order_date"])


def test_mixed_but_readable_date_strings_parse():
    df = orders(order_date=["2024-05-01 10:00:00", "2024/05/02 11:30", "May 3, 2024", "2024-06-03"])
    out = validate_transactions(df)
    assert out["order_date"].tolist()[1:3] == [pd.Timestamp("2024-05-02 11:30"),
                                               pd.Timestamp("2024-05-03")]


def test_line_items_are_allowed():
    df = orders(order_id=["O1", "O1", "O2", "O3"], customer_id=["C1", "C1", "C2", "C3"],
                order_date=["2024-05-01 10:00"] * 2 + ["2024-05-02", "2024-05-03"])
    assert len(validate_transactions(df)) == 4


def test_tz_aware_column_is_fine():
    df = orders()
    df["order_date"] = pd.to_datetime(df["order_date"]).dt.tz_localize("Asia/Shanghai")
    out = validate_transactions(df, snapshot_date=pd.Timestamp("2025-01-01", tz="Asia/Shanghai"))
    assert str(out["order_date"].dt.tz) == "Asia/Shanghai"


def test_optional_order_and_amount_columns():
    df = orders().drop(columns=["order_id", "amount"])
    assert list(validate_transactions(df, order_col=None, amount_col=None).columns) == [
        "customer_id", "order_date"]


# ----------------------------------------------------------------------------------- the errors


def test_not_a_dataframe():
    with pytest.raises(InputError, match="Expected a pandas DataFrame.*got list"):
        validate_transactions([{"customer_id": "C1"}])


def test_input_error_is_a_value_error():
    with pytest.raises(ValueError):
        validate_transactions("orders.csv")


def test_empty_table():
    raises(orders().iloc[:0], "empty", "0 rows", "'order_date'")


def test_missing_column_suggests_close_name():
    df = orders().rename(columns={"order_date": "orderdate"})
    msg = raises(df, "Column 'order_date' (date_col) is missing", "Did you mean 'orderdate'?",
                 "date_col='orderdate'", "C00001")


def test_missing_column_suggests_contained_name():
    # 'date' vs 'order_date' is too far for difflib's ratio; containment finds it.
    raises(orders(), "Column 'date'", "Did you mean 'order_date'?", "O000001", date_col="date")


def test_missing_column_without_any_close_name():
    msg = raises(orders(), "Column 'xyz'", "Pass amount_col=", amount_col="xyz")
    assert "Did you mean" not in msg


def test_suggestion_ignores_columns_already_used():
    df = orders().rename(columns={"customer_id": "cust"})
    msg = raises(df, "Column 'customer_id'", "Did you mean 'cust'?")
    assert "Did you mean 'order_id'" not in msg


def test_duplicate_column_names():
    df = pd.concat([orders(), orders()[["amount"]]], axis=1)
    raises(df, "Column 'amount' (amount_col) appears 2 times")


@pytest.mark.parametrize("bad", [None, np.nan, "", "   "])
def test_missing_customer_ids(bad):
    df = orders(customer_id=["C00001", bad, "C00001", "C00003"])
    raises(df, "Column 'customer_id' has 1 missing customer id", "O000002", "2024-05-02 11:30:00")


def test_missing_order_ids():
    raises(orders(order_id=["O1", "O2", None, "O4"]), "Column 'order_id' has 1 missing order id",
           "2024-06-01 09:00:00")


def test_unparseable_dates_are_shown():
    df = orders(order_date=["2024-05-01 10:00:00", "yesterday", "2024-13-45", "2024-06-03"])
    msg = raises(df, "Column 'order_date' has 2 values that cannot be read as a date",
                 "yesterday", "2024-13-45", "O000002")


def test_missing_dates():
    df = orders(order_date=["2024-05-01", None, "2024-05-03", "2024-06-03"])
    raises(df, "Column 'order_date' has 1 missing date", "O000002")


def test_numbers_are_not_dates():
    raises(orders(order_date=[1, 2, 3, 4]), "Column 'order_date' holds numbers", "O000001")


def test_tz_aware_and_naive_timestamps_mixed():
    dates = pd.Series([pd.Timestamp("2024-05-01 10:00"), pd.Timestamp("2024-05-02 11:30", tz="UTC"),
                       pd.Timestamp("2024-06-01 09:00"), dt.datetime(2024, 6, 3, 18, 45)],
                      dtype=object)
    msg = raises(orders(order_date=dates), "Column 'order_date' mixes time-zone-aware",
                 "naive", "O000002", "2024-05-02 11:30:00+00:00")
    assert "O000001" not in msg  # only the minority (the aware row) is shown


def test_tz_offset_strings_mixed_with_naive_strings():
    df = orders(order_date=["2024-05-01 10:00:00", "2024-05-02 11:30:00+08:00",
                            "2024-06-01 09:00:00", "2024-06-03 18:45:00"])
    raises(df, "Column 'order_date' mixes time-zone-aware", "+08:00", "O000002")


def test_different_time_zones_mixed():
    dates = pd.Series([pd.Timestamp("2024-05-01 10:00", tz="UTC"),
                       pd.Timestamp("2024-05-02 11:30", tz="Asia/Shanghai"),
                       pd.Timestamp("2024-06-01 09:00", tz="UTC"),
                       pd.Timestamp("2024-06-03 18:45", tz="UTC")], dtype=object)
    raises(orders(order_date=dates), "Column 'order_date' mixes time zones", "O000002")


def test_non_numeric_amounts_with_decimal_comma_hint():
    df = orders(amount=["59.90", "12,50", "15.5", "88"])
    raises(df, "Column 'amount' has 1 non-numeric value", "decimal=','", "12,50", "O000002")


def test_non_numeric_amounts_text():
    msg = raises(orders(amount=["abc", "12.5", "15.5", "88"]), "Column 'amount'", "abc", "O000001")
    assert "decimal" not in msg


def test_missing_amounts():
    raises(orders(amount=[1.0, np.nan, 2.0, 3.0]), "Column 'amount' has 1 missing amount", "O000002")


def test_infinite_amounts():
    raises(orders(amount=[1.0, np.inf, 2.0, 3.0]), "Column 'amount' has 1 infinite value",
           "O000002", "inf")


def test_boolean_amounts():
    raises(orders(amount=[True, False, True, True]), "Column 'amount' holds True/False")


def test_non_positive_amounts_error_explains_policies():
    df = orders(order_id=["O000001", "R000017", "O000003", "O000004"], amount=[59.9, -59.9, 0.0, 8])
    msg = raises(df, "Column 'amount' has 2 non-positive values (returns or zero amounts)",
                 'returns="net"', 'returns="exclude"', "clean_orders", "R000017", "-59.9")
    assert "First offending rows:\n" in msg
    header = msg.split("First offending rows:\n")[1].splitlines()[0]
    assert header.split() == ["order_id", "customer_id", "order_date", "amount"]


def test_non_positive_amounts_net_keeps_them():
    df = orders(amount=[59.9, -59.9, 15.5, 8])
    out = validate_transactions(df, returns="net")
    assert out["amount"].tolist() == [59.9, -59.9, 15.5, 8.0]


def test_non_positive_amounts_exclude_drops_with_warning():
    df = orders(amount=[59.9, -59.9, 0.0, 8])
    with pytest.warns(UserWarning, match="dropped 2 rows with a non-positive 'amount'"):
        out = validate_transactions(df, returns="exclude")
    assert out.index.tolist() == [0, 3]


def test_exclude_everything_is_an_error():
    with pytest.warns(UserWarning), pytest.raises(InputError, match="No rows left"):
        validate_transactions(orders(amount=[-1, -2, -3, -4]), returns="exclude")


def test_unknown_returns_policy():
    with pytest.raises(InputError, match="returns='drop' is not a policy"):
        validate_transactions(orders(), returns="drop")  # type: ignore[arg-type]


def test_return_sharing_its_order_id_is_fine_under_net():
    df = orders(order_id=["O1", "O1", "O3", "O4"], customer_id=["C1", "C1", "C3", "C4"],
                amount=[59.9, -59.9, 1, 2])
    assert len(validate_transactions(df, returns="net")) == 4


def test_conflicting_order_ids_customer():
    df = orders(order_id=["O1", "O2", "O2", "O4"],
                order_date=["2024-05-01 10:00"] * 3 + ["2024-05-03"])
    msg = raises(df, "Column 'order_id' has 1 order id that appear with different customers",
                 "C00002", "C00001")
    table = msg.split("First offending rows:\n")[1]
    assert len(table.splitlines()) == 3 and "O1" not in table and "O4" not in table


def test_conflicting_order_ids_date():
    df = orders(order_id=["O1", "O1", "O3", "O4"], customer_id=["C1", "C1", "C3", "C4"])
    raises(df, "Column 'order_id'", "different customers or dates", "2024-05-02 11:30:00")


def test_exact_duplicate_rows():
    df = pd.concat([orders(), orders().iloc[[2]]], ignore_index=True)
    msg = raises(df, "2 rows that are exact duplicates", "drop_duplicates", "clean_orders",
                 "O000003")
    assert "\n4 " in msg and "\n2 " in msg  # both copies, with their index


def test_exact_duplicates_without_order_ids():
    df = pd.concat([orders(), orders().iloc[[1]]], ignore_index=True).drop(columns="order_id")
    raises(df, "exact duplicates", "C00002", order_col=None)


def test_line_items_differing_in_an_extra_column_are_not_duplicates():
    df = orders(order_id=["O1", "O1", "O3", "O4"], customer_id=["C1", "C1", "C3", "C4"],
                order_date=["2024-05-01"] * 2 + ["2024-05-03", "2024-05-04"],
                amount=[10.0, 10.0, 1, 2]).assign(sku=["A", "B", "C", "D"])
    assert len(validate_transactions(df)) == 4
    raises(df.drop(columns="sku"), "exact duplicates")


def test_dates_after_snapshot():
    msg = raises(orders(), "Column 'order_date' has 2 dates after snapshot_date 2024-06-01 00:00:00",
                 "2024-06-04", "O000003", snapshot_date="2024-06-01")
    assert "O000001" not in msg.split("First offending rows:")[1]


def test_snapshot_timezone_mismatch():
    raises(orders(), "time zones", snapshot_date=pd.Timestamp("2025-01-01", tz="UTC"))


def test_bad_snapshot_date():
    raises(orders(), "snapshot_date='someday' is not a date", snapshot_date="someday")


def test_checks_run_in_contract_order():
    # Missing customer AND bad amount AND duplicate: the customer problem is reported first.
    df = orders(customer_id=["C1", None, "C1", "C3"], amount=["1", "x", "2", "3"])
    raises(df, "Column 'customer_id'")


def test_message_shows_at_most_five_rows():
    df = pd.DataFrame({"order_id": [f"O{i}" for i in range(20)], "customer_id": [None] * 20,
                       "order_date": ["2024-01-01"] * 20, "amount": [1.0] * 20})
    msg = raises(df, "20 missing customer ids")
    assert len(msg.split("First offending rows:\n")[1].splitlines()) == 1 + 5


# ------------------------------------------------------------------------- resolve_snapshot_date


def test_resolve_snapshot_explicit_string_means_midnight():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # explicit: no warning
        assert resolve_snapshot_date(pd.Series(dtype="datetime64[ns]"), "2025-12-31") == \
            pd.Timestamp("2025-12-31 00:00:00")
    assert resolve_snapshot_date(pd.Series([], dtype=object), dt.date(2025, 1, 2)) == \
        pd.Timestamp("2025-01-02")


def test_resolve_snapshot_default_is_day_after_last_purchase_with_warning():
    dates = pd.Series(pd.to_datetime(["2025-03-01 08:00:00", "2025-12-31 23:59:59"]))
    with pytest.warns(UserWarning, match="snapshot_date not given: using 2026-01-01"):
        assert resolve_snapshot_date(dates) == pd.Timestamp("2026-01-01")


def test_resolve_snapshot_parses_text_dates():
    with pytest.warns(UserWarning):
        assert resolve_snapshot_date(pd.Series(["2025-03-01", "2025-02-01 10:00"])) == \
            pd.Timestamp("2025-03-02")


def test_resolve_snapshot_errors():
    with pytest.raises(InputError, match="empty"):
        resolve_snapshot_date(pd.Series([], dtype="datetime64[ns]"))
    with pytest.raises(InputError, match="not a date"):
        resolve_snapshot_date(pd.Series([pd.Timestamp("2025-01-01")]), "31/31/2025")


# ------------------------------------------------------------------------------------ properties


@st.composite
def valid_orders(draw) -> pd.DataFrame:
    """Random valid tables: unique orders, some with line items of distinct amounts."""
    n_orders = draw(st.integers(1, 12))
    rows = []
    for i in range(n_orders):
        customer = f"C{draw(st.integers(1, 5)):05d}"
        when = pd.Timestamp("2024-01-01") + pd.Timedelta(seconds=draw(st.integers(0, 700 * 86400)))
        amounts = draw(st.lists(st.integers(1, 100_000), min_size=1, max_size=3, unique=True))
        rows += [(f"O{i:07d}", customer, when, a / 100) for a in amounts]
    df = pd.DataFrame(rows, columns=["order_id", "customer_id", "order_date", "amount"])
    df["order_id"] = df["order_id"].astype("str")
    df["customer_id"] = df["customer_id"].astype("str")
    df["order_date"] = df["order_date"].astype("datetime64[ns]")
    return df.sample(frac=1, random_state=draw(st.integers(0, 2**16))).reset_index(drop=True)


@settings(max_examples=60, deadline=None)
@given(valid_orders())
def test_property_valid_frames_pass_unchanged(df):
    out = validate_transactions(df, snapshot_date="2026-01-01")
    pd.testing.assert_frame_equal(out, df)


def _inject(df: pd.DataFrame, kind: str, pos: int) -> tuple[pd.DataFrame, str]:
    """Insert one bad row of ``kind`` at ``pos``; return the frame and the column to be named."""
    bad = df.iloc[[pos % len(df)]].copy()
    column = {"missing_customer": "customer_id", "bad_date": "order_date",
              "text_amount": "amount", "non_positive": "amount", "infinite": "amount",
              "conflict": "order_id", "duplicate": "order_id", "after_snapshot": "order_date"}[kind]
    if kind in ("bad_date", "text_amount"):
        df = df.astype({column: object})
        bad = bad.astype({column: object})
    if kind == "missing_customer":
        bad["customer_id"] = None
        bad["order_id"] = "ONEW"
    elif kind == "bad_date":
        bad["order_date"] = "not a date"
    elif kind == "text_amount":
        bad["amount"] = "12,50"
    elif kind == "non_positive":
        bad["amount"] = -bad["amount"]
        bad["order_id"] = "RNEW"
    elif kind == "infinite":
        bad["amount"] = np.inf
    elif kind == "conflict":
        bad["customer_id"] = "C99999"
    elif kind == "after_snapshot":
        bad["order_date"] = pd.Timestamp("2027-01-01")
        bad["order_id"] = "ONEW"
    out = pd.concat([df.iloc[:pos], bad, df.iloc[pos:]], ignore_index=True)
    return out, column


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_orders(), st.sampled_from(["missing_customer", "bad_date", "text_amount",
                                        "non_positive", "infinite", "conflict", "duplicate",
                                        "after_snapshot"]), st.integers(0, 40))
def test_property_one_bad_row_is_always_caught(df, kind, pos):
    pos = pos % (len(df) + 1)
    bad_df, column = _inject(df, kind, pos)
    with pytest.raises(InputError) as info:
        validate_transactions(bad_df, snapshot_date="2026-01-01")
    message = str(info.value)
    assert repr(column) in message or column in message.split("First offending rows:")[-1]
    assert f"\n{pos} " in message.split("First offending rows:")[1]  # the injected row is shown


@pytest.mark.parametrize("blank", ["", " ", "\t", "\u3000", "\xa0"])
def test_blank_ids_found_whatever_whitespace(blank: str) -> None:
    # The fast path only looks closely at ids without a printable ASCII character: these.
    tx = pd.DataFrame({"order_id": ["O1", "O2", "O3"], "customer_id": ["C1", blank, "é"],
                       "order_date": pd.to_datetime(["2024-01-01"] * 3), "amount": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError, match="1 missing customer id"):
        validate_transactions(tx)
    tx["customer_id"] = ["C1", "客", "é"]  # non-ASCII but not blank
    assert len(validate_transactions(tx)) == 3


def test_conflicting_order_found_after_excluding_returns() -> None:
    tx = pd.DataFrame({"order_id": ["O1", "R9", "O1"], "customer_id": ["C1", "C1", "C2"],
                       "order_date": pd.to_datetime(["2024-01-01"] * 3), "amount": [1.0, -2.0, 3.0]})
    with pytest.warns(UserWarning, match="dropped 1 row"), pytest.raises(InputError, match="different customers"):
        validate_transactions(tx, returns="exclude")


# ----------------------------------------------------------------------------------- shared guards

from cvmlib import validate as v  # noqa: E402


@pytest.mark.parametrize("text", [["05/01/2025", "06/02/2025"], ["5.1.2025", "6.2.2025"], ["05-01-2025 10:00", "02-03-2025"]])
def test_ambiguous_text_dates_are_refused_with_the_fix(text: list[str]) -> None:
    df = orders(order_date=text * 2)
    message = raises(df, "Column 'order_date'", "ambiguous", "dayfirst=True", "format='%d/%m/%Y'")
    assert "First offending rows" in message


def test_text_dates_decided_by_the_column_are_read_that_way() -> None:
    day_first = validate_transactions(orders(order_date=["13/01/2025", "05/01/2025", "20/02/2025", "01/03/2025"]))
    assert day_first["order_date"].dt.month.tolist() == [1, 1, 2, 3]
    month_first = validate_transactions(orders(order_date=["01/13/2025", "05/01/2025", "02/20/2025", "03/01/2025"]))
    assert month_first["order_date"].dt.month.tolist() == [1, 5, 2, 3]
    raises(orders(order_date=["13/01/2025", "01/13/2025", "03/03/2025", "04/04/2025"]), "mix day/month/year")


def test_parse_dates_with_dayfirst_or_format() -> None:
    s = pd.Series(["05/01/2025", "06/02/2025"])
    assert v.parse_dates(s, "d", dayfirst=True).dt.month.tolist() == [1, 2]
    assert v.parse_dates(s, "d", format="%m/%d/%Y").dt.month.tolist() == [5, 6]
    with pytest.raises(InputError, match="month would be above 12"):
        v.parse_dates(pd.Series(["05/13/2025"]), "d", dayfirst=True)
    assert v.parse_dates(pd.Series(["2025-01-05", None]), "d", allow_missing=True).isna().tolist() == [False, True]


@pytest.mark.parametrize(("value", "message"), [
    (None, r"snapshot_date is missing \(None\)"), (20250105, "is a number, not a date"), (True, "is a number"),
    ("05/01/2025", "ambiguous"), ("", "is empty"), (pd.NaT, r"missing \(NaT\)"), ("soon", "is not a date"),
])
def test_as_timestamp_refuses_what_is_not_a_date(value, message) -> None:
    with pytest.raises(InputError, match=message):
        v.as_timestamp(value)


def test_as_timestamp_reads_dates() -> None:
    assert v.as_timestamp("2025-01-05") == pd.Timestamp("2025-01-05")
    assert v.as_timestamp(dt.date(2025, 1, 5)) == pd.Timestamp("2025-01-05")
    assert v.as_timestamp("05/01/2025", dayfirst=True) == pd.Timestamp("2025-01-05")
    assert v.as_timestamp("13/01/2025") == pd.Timestamp("2025-01-13")  # unambiguous


def test_thousands_separators_get_the_right_fix() -> None:
    message = raises(orders(amount=["1,234.50", "12.00", "3.00", "4.00"]), "thousands separators",
                     "str.replace(',', '')")
    assert "decimal comma" not in message
    raises(orders(amount=["12,50", "12.00", "3.00", "4.00"]), "decimal commas")
    raises(orders(amount=["1.234,50", "12.00", "3.00", "4.00"]), "thousands='.', decimal=','")


def test_duplicates_keep_allows_exact_duplicates_only() -> None:
    df = pd.concat([orders(), orders().iloc[[0]]], ignore_index=True)
    raises(df, "exact duplicates")
    assert len(validate_transactions(df, duplicates="keep")) == 5
    conflict = orders(order_id=["O1", "O1", "O3", "O4"])
    raises(conflict, "different customers or dates", duplicates="keep")
    raises(orders(), "duplicates='drop' is not one of", duplicates="drop")


@pytest.mark.parametrize(("guard", "args", "message"), [
    (v.require_finite, (pd.Series([1.0, np.inf]), "x"), "1 row with infinite values"),
    (v.require_finite, (pd.Series([True, False]), "x"), "True/False, not numbers"),
    (v.require_finite, (np.ones((3, 1)), "x"), r"shape \(3, 1\)"),
    (v.require_finite, (pd.DataFrame({"a": [1]}), "x"), "got a DataFrame"),
    (v.require_finite, ([0.5], "rate"), None),
    (v.require_non_negative, (-1, "cost"), "cost=-1 is negative"),
    (v.require_positive, (0.0, "budget"), "budget=0.0 is not positive"),
    (v.require_whole_number, (pd.Series([1, 2.5]), "n"), "1 value that is not a whole number"),
    (v.require_whole_number, (pd.Series([1, -2]), "n"), None),
    (v.require_within, (pd.Series([1, 9]), "cost", 1, 5), r"1 value outside \[1, 5\]"),
    (v.require_probability, (80, "retention"), "write 80 % as 0.8"),
    (v.require_int, (2.0, "k"), "k must be a whole number"),
    (v.require_bool, ("False", "sample"), "must be True or False"),
    (v.require_bool, (0, "sample"), "must be True or False"),
    (v.require_choice, ("Q ", "freq", ["M", "Q"]), "Did you mean 'Q'"),
    (v.require_not_empty, ([], "ks"), "ks is empty"),
    (v.require_present, (pd.Series(["a", "  "]), "customer_id"), "1 missing value"),
    (v.require_unique, (pd.Index(["a", "a"]), "ids"), "repeated id"),
    (v.require_known, (pd.Series(["x", "z"]), {"x": 1}, "category"), r"does not know: \['z'\]"),
    (v.require_same_ids, (pd.Index(["a", "b"]), pd.Index(["a"]), "left", "right"), r"1 id of left is missing from right: \['b'\]"),
    (v.require_increasing, ([1, 3, 2], "edges"), "strictly increasing"),
    (v.require_scalar, ([1.0], "t"), "t must be a single value"),
    (v.require_finite_sum, (np.array([1e308, 1e308]), "values"), "too large to add up"),
])
def test_guards_refuse_bad_values_naming_them(guard, args, message) -> None:
    if message is None:  # these are fine
        guard(*args)
        return
    with pytest.raises(InputError, match=message):
        guard(*args)


def test_scalar_flag_refuses_lists_and_numeric_guards_keep_the_kind() -> None:
    with pytest.raises(InputError, match="rate must be a single value"):
        v.require_probability([0.5], "rate", scalar=True)
    s = pd.Series([1, 2], index=["a", "b"])
    out = v.require_finite(s, "x")
    assert isinstance(out, pd.Series) and out.index.tolist() == ["a", "b"] and out.dtype == "float64"
    assert isinstance(v.require_finite([1, 2], "x"), np.ndarray)
    assert v.require_finite(3, "x") == 3.0


def test_guard_messages_show_the_rows_of_the_table() -> None:
    table = pd.DataFrame({"cost": [3.0, -1.0], "note": ["ok", "refund"]}, index=["a", "b"])
    with pytest.raises(InputError) as info:
        v.require_non_negative(table["cost"], "cost", frame=table, columns=["cost", "note"])
    message = str(info.value)
    assert message.startswith("Column 'cost' has 1 negative value.") and "refund" in message and "\nb " in message


def test_require_same_ids_subset_allows_extra_ids_on_the_right() -> None:
    v.require_same_ids(pd.Index(["a"]), pd.Index(["a", "b"]), "left", "right", subset=True)
    with pytest.raises(InputError, match="1 id of right is not in left"):
        v.require_same_ids(pd.Index(["a"]), pd.Index(["a", "b"]), "left", "right")


def test_parse_dates_reads_year_first_text_year_month_day_beside_day_first_text():
    """Day-first values ("13.01.2024") once made every value day-first, "2024-01-02" included (1 February)."""
    mixed = pd.Series(["2024-01-02 05:00:00", "13.01.2024 10:00", "2024/5/2 11:30", "03.02.2024"])
    got = v.parse_dates(mixed, "order_date")
    assert got.tolist() == [pd.Timestamp(text) for text in ("2024-01-02 05:00", "2024-01-13 10:00",
                                                             "2024-05-02 11:30", "2024-02-03")]
