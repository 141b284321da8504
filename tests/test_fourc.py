"""The 4C audit: NPS, audit tables, weakest C, main channel, later buying, internal hand-offs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cvmlib.datasets import load_complaints, load_orders, load_survey
from cvmlib.fourc import (
    COMPLAINT_HANDOFFS,
    FOUR_CS,
    INTERNAL_CHAIN,
    INTERNAL_NEEDS,
    check_ratings,
    complaints_by_handoff,
    four_c_audit,
    main_channel,
    nps,
    nps_by_rating,
    nps_groups,
    purchases_after,
    weakest_c,
)
from cvmlib.validate import InputError


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return load_survey()


# --- NPS ---------------------------------------------------------------------------------------
def test_nps_is_promoters_minus_detractors_not_the_mean():
    scores = pd.Series([10, 9, 8, 7, 7, 6, 0, 3])  # 2 promoters, 3 detractors, 3 passives
    assert nps(scores) == pytest.approx(100 * (2 - 3) / 8)
    assert nps(pd.Series([7, 8, 7])) == 0.0  # only passives
    assert nps(pd.Series([10] * 4)) == 100.0 and nps(pd.Series([0, 6])) == -100.0


def test_nps_groups_boundaries():
    groups = nps_groups(pd.Series(list(range(11)))).astype(str).tolist()
    assert groups == ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2


@pytest.mark.parametrize("bad, message", [
    (pd.Series([5, 11]), r"outside \[0, 10\]"),
    (pd.Series([5, -1]), r"outside \[0, 10\]"),
    (pd.Series([5.5, 7]), "not a whole number"),
    (pd.Series([5, None]), "missing"),
    (pd.Series(["9", "10"]), "written as text"),
])
def test_nps_refuses_bad_scores_with_the_rows(bad, message):
    with pytest.raises(InputError, match=message):
        nps(bad)


def test_rating_error_names_the_column_and_shows_offending_rows():
    table = pd.DataFrame({"cost": [1, 2, 9, 3, 0]}, index=list("abcde"))
    with pytest.raises(InputError) as error:
        check_ratings(table, ["cost"], 1, 5)
    text = str(error.value)
    assert "'cost'" in text and "2 values outside [1, 5]" in text
    assert "c" in text.split("First offending rows:")[1] and "e" in text.split("First offending rows:")[1]


def test_missing_column_suggests_the_close_name(survey):
    with pytest.raises(InputError, match="'convenience' is missing.*Did you mean 'Convenience'"):
        four_c_audit(survey.rename(columns={"convenience": "Convenience"}))


def test_nps_of_the_shipped_survey_matches_a_direct_count(survey):
    promoters = int((survey["nps"] >= 9).sum())
    detractors = int((survey["nps"] <= 6).sum())
    assert nps(survey["nps"]) == pytest.approx(100 * (promoters - detractors) / len(survey))


# --- audit -------------------------------------------------------------------------------------
def test_four_c_audit_means_counts_and_nps():
    survey = pd.DataFrame({"seg": ["a", "a", "b"], "nps": [10, 0, 9], "consumer_needs_fit": [5, 1, 3],
                           "cost": [2, 2, 5], "convenience": [4, 4, 4], "communication": [3, 1, 1]})
    audit = four_c_audit(survey, by="seg")
    assert audit.loc["a", "respondents"] == 2 and audit.loc["b", "respondents"] == 1
    assert audit.loc["a", "consumer_needs_fit"] == 3.0 and audit.loc["a", "nps"] == 0.0
    assert audit.loc["b", "nps"] == 100.0
    assert weakest_c(audit).to_dict() == {"a": "cost", "b": "communication"}  # a: cost ties communication
    overall = four_c_audit(survey)
    assert overall.index.tolist() == ["All"] and overall.loc["All", "respondents"] == 3


def test_weakest_c_takes_the_minimum_and_first_on_ties():
    audit = pd.DataFrame({c: [3.0, 4.0] for c in FOUR_CS}, index=["x", "y"])
    audit.loc["x", "convenience"] = 2.0
    assert weakest_c(audit).to_dict() == {"x": "convenience", "y": "consumer_needs_fit"}


def test_audit_refuses_missing_group_labels_and_out_of_range_ratings(survey):
    labelled = survey.assign(level=["gold"] * (len(survey) - 1) + [None])
    with pytest.raises(InputError, match="'level' has 1 missing"):
        four_c_audit(labelled, by="level")
    broken = survey.copy()
    broken.loc[3, "cost"] = 6
    with pytest.raises(InputError, match=r"'cost' has 1 value outside \[1, 5\]"):
        four_c_audit(broken)


def test_nps_by_rating_rises_with_every_c_in_the_survey(survey):
    table = nps_by_rating(survey)
    assert list(table.index) == [1, 2, 3, 4, 5]
    for column in FOUR_CS:
        assert table[column].is_monotonic_increasing, column


# --- channel and later buying -----------------------------------------------------------------
def test_main_channel_counts_orders_not_spend():
    orders = pd.DataFrame({"customer_id": ["A", "A", "A"], "channel": ["web", "app", "app"],
                           "amount": [999.0, 1.0, 1.0]})
    assert main_channel(orders).to_dict() == {"A": "app"}


def test_purchases_after_window_edges_and_censoring():
    survey = pd.DataFrame({"customer_id": ["A", "B", "C"],
                           "response_date": pd.to_datetime(["2025-01-10", "2025-01-10", "2025-12-01"])})
    orders = pd.DataFrame({
        "customer_id": ["A", "A", "A", "A", "B", "C"],
        "order_date": pd.to_datetime(["2025-01-10 23:00", "2025-01-11 00:00", "2025-04-10 12:00",
                                      "2025-04-11 08:00", "2024-12-30 10:00", "2025-12-02 10:00"]),
    })
    counts = purchases_after(survey, orders, window_days=90, snapshot_date="2026-01-01")
    # A: day 1 and day 90 count, day 0 and day 91 do not; B: nothing after; C: window not complete
    assert counts.iloc[0] == 2 and counts.iloc[1] == 0 and pd.isna(counts.iloc[2])
    assert counts.dtype == "Int64" and counts.name == "orders_next_90d"


def test_purchases_after_defaults_the_snapshot_with_a_warning(survey):
    with pytest.warns(UserWarning, match="snapshot_date not given"):
        counts = purchases_after(survey.head(20), load_orders())
    assert len(counts) == 20


def test_purchases_after_refuses_bad_windows_and_dates(survey):
    with pytest.raises(InputError, match="window_days"):
        purchases_after(survey, load_orders(), window_days=0, snapshot_date="2026-01-01")
    bad = survey.head(3).assign(response_date=["2025-01-01", "soon", "2025-02-01"])
    with pytest.raises(InputError, match="'response_date' has 1 value"):
        purchases_after(bad, load_orders(), snapshot_date="2026-01-01")


def test_promoters_buy_again_more_often_than_detractors(survey):
    """The data story: NPS predicts later buying (datasets/README.md, point 6)."""
    later = purchases_after(survey, load_orders(), 90, "2026-01-01")
    known = later.notna()
    groups = nps_groups(survey["nps"])[known]
    share = (later[known] > 0).groupby(groups, observed=True).mean()
    assert share["promoter"] > share["passive"] > share["detractor"]


# --- internal chain ---------------------------------------------------------------------------
def test_handoff_mapping_covers_every_shipped_category_and_the_chain():
    complaints = load_complaints()
    table = complaints_by_handoff(complaints)
    assert table.index.tolist() == list(INTERNAL_CHAIN)
    assert int(table["tickets"].sum()) == len(complaints)
    expected_warehouse = complaints["category"].astype(str).map(COMPLAINT_HANDOFFS).eq("warehouse").sum()
    assert table.loc["warehouse", "tickets"] == expected_warehouse
    assert np.isclose(table["share"].sum(), 1.0)
    assert set(INTERNAL_NEEDS) == set(INTERNAL_CHAIN)


def test_handoff_refuses_unknown_categories_naming_them():
    tickets = pd.DataFrame({"category": ["billing", "late_delivery", "billing"]})
    with pytest.raises(InputError, match=r"'category' has 1 value that the mapping does not know: \['late_delivery'\]"):
        complaints_by_handoff(tickets)
    with pytest.raises(InputError, match="'category' is missing"):
        complaints_by_handoff(pd.DataFrame({"type": ["billing"]}))
