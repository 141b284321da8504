"""cvmlib.complaints: validation of every bad input, handling times, SLA, Pareto, repeats, recovery."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cvmlib.complaints import (
    HANDLING_GROUPS,
    cause_pareto,
    handling_groups,
    handling_times,
    recovery_outcomes,
    repeat_complaints,
    sla_report,
    split_the_difference,
    validate_tickets,
)
from cvmlib.datasets import load_complaints, load_orders
from cvmlib.validate import InputError

END = "2025-12-31 23:59:59"


def _tickets(**changes) -> pd.DataFrame:
    base = pd.DataFrame({
        "ticket_id": ["T1", "T2", "T3"],
        "customer_id": ["C1", "C2", "C1"],
        "opened_at": ["2025-03-01 09:00", "2025-03-02 10:00", "2025-03-10 08:00"],
        "first_response_at": ["2025-03-01 10:00", "2025-03-02 10:30", None],
        "resolved_at": ["2025-03-02 09:00", None, None],
        "category": ["billing", "wrong_item", "billing"],
        "severity": ["low", "high", "medium"],
    })
    for col, values in changes.items():
        base[col] = values
    return base


@pytest.fixture(scope="module")
def complaints() -> pd.DataFrame:
    return load_complaints()


# --- validation: every bad input names its column and shows the rows ---------------------------
@pytest.mark.parametrize(
    ("changes", "column", "shown"),
    [
        ({"category": ["billing", "shipping", "billing"]}, "category", "shipping"),
        ({"severity": ["low", "urgent", "medium"]}, "severity", "urgent"),
        ({"opened_at": ["2025-03-01 09:00", None, "2025-03-10 08:00"]}, "opened_at", "T2"),
        ({"resolved_at": ["2025-02-28 09:00", None, None]}, "resolved_at", "T1"),
        ({"first_response_at": ["2025-03-01 10:00", "2025-03-02 09:59", None]}, "first_response_at", "T2"),
        ({"ticket_id": ["T1", "T1", "T3"]}, "ticket_id", "T1"),
        ({"customer_id": ["C1", None, "C1"]}, "customer_id", "T2"),
        ({"opened_at": ["2025-03-01 09:00", "yesterday", "2025-03-10 08:00"]}, "opened_at", "yesterday"),
        ({"resolved_at": ["2025-03-02 09:00", "soon", None]}, "resolved_at", "soon"),
        ({"satisfaction_after": [5, 7, None]}, "satisfaction_after", "T2"),
    ],
)
def test_bad_tickets_raise_input_error_naming_column_and_rows(changes, column, shown):
    with pytest.raises(InputError) as info:
        validate_tickets(_tickets(**changes))
    message = str(info.value)
    assert f"'{column}'" in message
    assert shown in message
    assert "First offending rows" in message


def test_missing_column_and_non_frames_and_empty():
    with pytest.raises(InputError, match="'severity'"):
        validate_tickets(_tickets().drop(columns="severity"))
    with pytest.raises(InputError, match="DataFrame"):
        validate_tickets([1, 2])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="empty"):
        validate_tickets(_tickets().iloc[0:0])


def test_validate_keeps_open_tickets_and_orders_severity():
    df = validate_tickets(_tickets())
    assert df["resolved_at"].isna().sum() == 2
    assert list(df["severity"].cat.categories) == ["low", "medium", "high"]
    assert df["opened_at"].dtype.kind == "M"


def test_shipped_complaints_are_valid(complaints):
    assert len(validate_tickets(complaints)) == len(complaints)


# --- handling times and SLA ---------------------------------------------------------------------
def test_handling_times_are_clock_hours_and_open_hours_with_as_of():
    times = handling_times(_tickets(), as_of="2025-03-11 08:00")
    assert times.loc[0, "first_response_hours"] == 1.0
    assert times.loc[0, "resolution_hours"] == 24.0
    assert np.isnan(times.loc[1, "resolution_hours"])
    assert times.loc[2, "open_hours"] == 24.0
    assert np.isnan(times.loc[0, "open_hours"])  # resolved tickets are not open
    with pytest.raises(InputError, match="as_of"):
        handling_times(_tickets(), as_of="2025-03-05")


def test_sla_counts_open_tickets_past_target_as_breaches():
    report = sla_report(_tickets(), {"low": 48, "medium": 48, "high": 24}, as_of="2025-03-11 08:00")
    # T2 (high, open for 8.9 days) breached although it has no resolution time
    assert report.loc["high", "breached"] == 1 and report.loc["high", "open_breached"] == 1
    assert report.loc["low", "met"] == 1
    assert report.loc["medium", "pending"] == 1  # open 24 h of a 48 h target
    assert report.loc["total", "tickets"] == 3
    assert report.loc["total", "met_rate"] == pytest.approx(0.5)


def test_sla_rejects_missing_or_bad_targets_and_measure():
    with pytest.raises(InputError, match="medium"):
        sla_report(_tickets(), {"low": 48, "high": 24}, as_of=END)
    with pytest.raises(InputError, match="positive"):
        sla_report(_tickets(), {"low": 48, "medium": -1, "high": 24}, as_of=END)
    with pytest.raises(InputError, match="measure"):
        sla_report(_tickets(), {"low": 1, "medium": 1, "high": 1}, as_of=END, measure="close")  # type: ignore[arg-type]


def test_sla_on_shipped_data_matches_a_direct_count(complaints):
    targets = {"low": 72, "medium": 48, "high": 24}
    report = sla_report(complaints, targets, as_of=END)
    hours = (complaints["resolved_at"] - complaints["opened_at"]).dt.total_seconds() / 3600
    limit = complaints["severity"].astype("str").map(targets)
    waited = (pd.Timestamp(END) - complaints["opened_at"]).dt.total_seconds() / 3600
    met = int((hours <= limit).sum())
    breached = int((hours > limit).sum() + (hours.isna() & (waited > limit)).sum())
    assert report.loc["total", "met"] == met
    assert report.loc["total", "breached"] == breached
    resolved_only = met / int(hours.notna().sum())
    assert report.loc["total", "met_rate"] < resolved_only  # open breaches lower the rate


# --- Pareto and repeats -------------------------------------------------------------------------
def test_cause_pareto_on_shipped_data(complaints):
    table = cause_pareto(complaints)
    assert table["tickets"].sum() == len(complaints)
    assert table["tickets"].is_monotonic_decreasing
    assert table["cumulative_share"].iloc[-1] == pytest.approx(1.0)
    first_out = table.index[~table["vital_few"]][0]
    before = table["cumulative_share"].shift(fill_value=0)[first_out]
    assert before >= 0.8  # the cause after the vital few starts at or past 80 %


def test_repeat_complaints_never_flags_a_first_ticket(complaints):
    repeat = repeat_complaints(complaints)
    counts = complaints["customer_id"].value_counts()
    assert int(repeat.sum()) == int((counts - 1).sum())
    first = complaints.sort_values(["opened_at", "ticket_id"]).drop_duplicates("customer_id").index
    assert not repeat[first].any()
    assert repeat_complaints(complaints, within_days=30).sum() < repeat.sum()
    with pytest.raises(InputError, match="within_days"):
        repeat_complaints(complaints, within_days=0)


def test_handling_groups_thresholds():
    groups = handling_groups(pd.Series([1, 2, 3, 4, 5, None], dtype="Int64"))
    assert groups.astype(str).tolist() == ["badly resolved"] * 2 + ["middling"] + ["well resolved"] * 2 + ["unresolved"]
    with pytest.raises(InputError):
        handling_groups(pd.Series([1]), good_from=2, bad_to=3)


# --- recovery outcomes --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def outcomes(complaints):
    return recovery_outcomes(complaints, load_orders(), end=END, window_days=180)


def test_recovery_outcomes_structure(outcomes, complaints):
    summary = outcomes.summary
    assert list(summary.index) == list(HANDLING_GROUPS)
    assert (summary["ci_low"] <= summary["rate"]).all() and (summary["rate"] <= summary["ci_high"]).all()
    complainers = summary.drop("no complaint")
    assert int((complainers["customers"] + complainers["left_out"]).sum()) == complaints["customer_id"].nunique()
    units = outcomes.units
    assert units.loc[units["group"] != "no complaint", "customer_id"].is_unique


def test_recovery_outcomes_badly_handled_buy_less(outcomes):
    s = outcomes.summary
    assert s.loc["badly resolved", "rate"] < s.loc["no complaint", "rate"]
    assert s.loc["badly resolved", "adj_ci_high"] < 0
    assert s.loc["badly resolved", "p_value"] < 0.001


def test_recovery_outcomes_windows_and_reference_orders(complaints):
    orders = load_orders()
    out = recovery_outcomes(complaints, orders, end=END, window_days=90, n_boot=50)
    units = out.units
    assert (units["reference_date"] + pd.Timedelta(days=90) <= pd.Timestamp(END)).all()
    ref = units[units["group"] == "no complaint"]
    matched = ref.merge(orders, left_on=["customer_id", "reference_date"], right_on=["customer_id", "order_date"])
    assert len(ref) > 0 and matched["customer_id"].nunique() == len(ref)
    assert not matched["order_id"].isin(complaints["order_id"]).any()  # reference orders drew no ticket
    first_open = complaints.groupby("customer_id")["opened_at"].min()
    later = ref["customer_id"].map(first_open)
    assert (later.isna() | (ref["reference_date"] < later)).all()  # before the first ticket
    with pytest.raises(InputError, match="window_days"):
        recovery_outcomes(complaints, orders, end=END, window_days=0)
    with pytest.raises(InputError, match="order_id"):
        recovery_outcomes(complaints.drop(columns="order_id"), orders, end=END)


def test_recovery_outcomes_unknown_order_is_an_error(complaints):
    orders = load_orders()
    with pytest.raises(InputError, match="1 id of the order_id of tickets is missing from orders"):
        recovery_outcomes(complaints, orders[orders["order_id"] != complaints["order_id"].iloc[0]], end=END)


# --- split the difference -----------------------------------------------------------------------
def test_split_the_difference_moves_half_of_the_opening():
    assert split_the_difference(100, 300) == [200.0]
    assert split_the_difference(50, 300)[0] - split_the_difference(100, 300)[0] == -25.0
    assert split_the_difference(0, 400, rounds=2) == [200.0, 300.0]
    with pytest.raises(InputError):
        split_the_difference(0, 1, rounds=0)
