"""The 4C audit: survey ratings per segment and channel, NPS, later buying, internal hand-offs.

Definitions used throughout (the glossary pins the same ones):

* **4C ratings** -- the survey's four 1..5 ratings, one per C of Lauterborn's 4C
  (:data:`FOUR_CS`): ``consumer_needs_fit`` (Consumer wants and needs), ``cost`` (Cost to
  satisfy), ``convenience`` (Convenience to buy) and ``communication`` (Communication). Each is
  the customer-side restatement of one of the seller's 4Ps (:data:`FOUR_PS`).
* **NPS** (net promoter score) -- answers 9-10 are promoters, 7-8 passives, 0-6 detractors;
  NPS = % promoters - % detractors, in percentage points from -100 to 100. It is *not* the
  mean score, and passives count in the denominator but on neither side.
* **Weakest C** of a group -- the C with the lowest *mean* rating in that group (ties go to the
  C listed first in :data:`FOUR_CS`).
* **Later buying** -- the number of orders placed in the ``window_days`` calendar days after
  the response day (day 1 = the day after the response; orders on the response day itself are
  left out, because the survey does not say whether they came before or after the answer).
  A window that runs past the snapshot date is *incomplete*: its count is missing (``<NA>``),
  never a misleading 0.
* **Internal service chain** -- :data:`INTERNAL_CHAIN`; every team is the internal customer of
  the team before it. :data:`COMPLAINT_HANDOFFS` maps each complaint category to the team whose
  hand-off most likely broke (the course's own mapping, a starting point for discussion).

Input policy: a table that is not a DataFrame, is empty, lacks a named column, or has missing,
non-integer or out-of-range ratings (or unknown complaint categories) raises
:class:`~cvmlib.validate.InputError` naming the column and showing up to five offending rows,
before anything is computed. Nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.display import register_columns, register_labels
from cvmlib.i18n import N_, _
from cvmlib.validate import (
    InputError,
    as_series,
    parse_dates,
    require_int,
    require_known,
    require_not_empty,
    require_present,
    require_table,
    require_whole_number,
    require_within,
    resolve_snapshot_date,
    validate_transactions,
)

__all__ = [
    "COMPLAINT_HANDOFFS",
    "FOUR_CS",
    "FOUR_C_ACTIONS",
    "FOUR_C_NAMES",
    "FOUR_PS",
    "INTERNAL_CHAIN",
    "INTERNAL_NEEDS",
    "NPS_GROUPS",
    "check_ratings",
    "complaints_by_handoff",
    "four_c_audit",
    "main_channel",
    "nps",
    "nps_by_rating",
    "nps_groups",
    "purchases_after",
    "weakest_c",
]

#: The survey columns holding the four C ratings (1..5), in Lauterborn's order.
FOUR_CS: tuple[str, str, str, str] = ("consumer_needs_fit", "cost", "convenience", "communication")
#: Display name of each C.
FOUR_C_NAMES: dict[str, str] = {
    "consumer_needs_fit": N_("Consumer"),
    "cost": N_("Cost"),
    "convenience": N_("Convenience"),
    "communication": N_("Communication"),
}
#: The seller-side P that each C restates (Lauterborn 1990).
FOUR_PS: dict[str, str] = {
    "consumer_needs_fit": N_("Product"),
    "cost": N_("Price"),
    "convenience": N_("Place"),
    "communication": N_("Promotion"),
}
#: A first action when a C is a segment's weakest (one sentence each; the course's suggestions).
FOUR_C_ACTIONS: dict[str, str] = {
    "consumer_needs_fit": N_("Ask what they came for: review the range and the recommendations for this "
                             "segment with its own purchase and complaint data."),
    "cost": N_("Lower the total cost to the customer, not only the price: delivery fees, vouchers that "
               "are easy to use, fair return costs; show the value clearly."),
    "convenience": N_("Remove friction in the main channel: checkout steps, delivery slots, store "
                      "pick-up, stock availability."),
    "communication": N_("Talk with them, not at them: fewer pushed promotions, answers within the "
                        "promised time, a channel to reply and be heard."),
}
#: NPS answer groups, from low to high.
NPS_GROUPS: tuple[str, str, str] = (N_("detractor"), N_("passive"), N_("promoter"))
#: The internal service chain of the retailer: each team serves the next one.
INTERNAL_CHAIN: tuple[str, ...] = (N_("marketing"), N_("sales"), N_("order desk"), N_("warehouse"),
                                   N_("after-sales"))
#: What each team's internal customer (the next team; after-sales closes the loop to marketing)
#: needs from it.
INTERNAL_NEEDS: dict[str, tuple[str, str]] = {
    "marketing": ("sales", N_("Campaign calendar and promotion terms in advance; promises that the "
                              "rest of the chain can keep.")),
    "sales": ("order desk", N_("Complete, correct orders: item, quantity, price, address, delivery "
                               "date and special terms written down (5W2H).")),
    "order desk": ("warehouse", N_("Correct pick lists, verified addresses and priority flags before "
                                   "the dispatch cut-off.")),
    "warehouse": ("after-sales", N_("Dispatch status, tracking numbers, stock and inspection records, "
                                    "so customer service can answer without guessing.")),
    "after-sales": ("marketing", N_("Complaint reasons and customer feedback, counted, so the next "
                                    "campaign does not repeat the broken promise.")),
}
#: The team whose hand-off most likely broke when a ticket of this category arrives (the
#: course's own mapping; other mappings are defensible, see the chapter).
COMPLAINT_HANDOFFS: dict[str, str] = {
    "delivery_delay": "warehouse",
    "wrong_item": "warehouse",
    "product_quality": "warehouse",
    "billing": "order desk",
    "refund_request": "after-sales",
    "service_attitude": "after-sales",
}

# names, teams, actions and needs are shown translated in tables (cvmlib.display); the four C columns
# of the survey show as the Cs' names
register_labels(FOUR_C_NAMES.values())
register_labels(FOUR_C_NAMES)  # the codes (weakest_c gives them) show as the names
register_labels(FOUR_PS.values())
register_labels(FOUR_C_ACTIONS.values())
register_labels(NPS_GROUPS)
register_labels(INTERNAL_CHAIN)
register_labels(need for _, need in INTERNAL_NEEDS.values())
register_columns(FOUR_C_NAMES)

_RATING_RANGE = (1, 5)
_NPS_RANGE = (0, 10)


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------
def check_ratings(table: pd.DataFrame, columns: Sequence[str], low: int, high: int) -> pd.DataFrame:
    """Check that ``columns`` hold whole numbers from ``low`` to ``high``; return them as int64.

    Parameters
    ----------
    table : pandas.DataFrame
        The survey (or any table of ratings).
    columns : sequence of str (or one column name)
        Rating columns to check.
    low, high : int
        The scale, e.g. 1 and 5 for the 4C ratings, 0 and 10 for the NPS question.

    Returns
    -------
    pandas.DataFrame
        The checked columns as ``int64``, same index as ``table``.

    Raises
    ------
    InputError
        Missing column, missing value, text, fractions or values outside the scale; the message
        names the column and shows up to five offending rows.

    Examples
    --------
    >>> survey = pd.DataFrame({"cost": [1, 5, 6]})
    >>> check_ratings(survey, ["cost"], 1, 5)
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Column 'cost' has 1 value outside [1, 5]. Ratings of this question run from 1 to 5. ...
    """
    low, high = require_int(low, "low"), require_int(high, "high")
    if low >= high:
        raise InputError(_("low={low} must be below high={high} (e.g. low=1, high=5).").format(low=low, high=high))
    columns = [columns] if isinstance(columns, str) else list(columns)  # one column by its name
    require_not_empty(columns, "columns", "rating columns")
    require_table(table, "the survey", columns)
    checked = {}
    for column in columns:
        require_present(table[column], column, what="a rating", frame=table, columns=[column])
        data = require_whole_number(table[column], column, frame=table, columns=[column])
        require_within(data, column, low, high, frame=table, columns=[column],
                       fix=_("Ratings of this question run from {low} to {high}.").format(low=low, high=high))
        checked[column] = data.to_numpy().astype("int64")
    return pd.DataFrame(checked, index=table.index)


def _scores(scores: Any) -> pd.Series:
    """NPS answers as an int64 Series (checked 0..10)."""
    series = require_not_empty(as_series(scores, "scores (the nps answers)"), "scores (the nps answers)",
                               "answers")
    name = series.name if series.name is not None else "nps"
    return check_ratings(series.to_frame(name), [name], *_NPS_RANGE)[name]


# --------------------------------------------------------------------------------------------
# NPS
# --------------------------------------------------------------------------------------------
def nps_groups(scores: pd.Series) -> pd.Series:
    """Promoter (9-10), passive (7-8) or detractor (0-6) for each answer of the NPS question.

    Examples
    --------
    >>> nps_groups(pd.Series([10, 8, 6])).astype(str).tolist()
    ['promoter', 'passive', 'detractor']
    """
    checked = _scores(scores)
    codes = np.select([checked.to_numpy() >= 9, checked.to_numpy() >= 7], [2, 1], default=0)
    return pd.Series(pd.Categorical.from_codes(codes, categories=list(NPS_GROUPS), ordered=True),
                     index=checked.index, name="nps_group")


def nps(scores: pd.Series) -> float:
    """Net promoter score: % promoters (9-10) minus % detractors (0-6), in points (-100..100).

    Passives (7-8) count in the number of respondents but on neither side.

    Examples
    --------
    >>> nps(pd.Series([10, 9, 8, 7, 6, 0]))  # 2 promoters, 2 detractors of 6
    0.0
    >>> nps(pd.Series([10, 10, 10, 8]))
    75.0
    >>> nps(pd.Series([10, 11]))
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Column 'nps' has 1 value outside [0, 10]. Ratings of this question run from 0 to 10. ...
    """
    data = _scores(scores).to_numpy()
    return float(100.0 * ((data >= 9).mean() - (data <= 6).mean()))


def nps_by_rating(survey: pd.DataFrame, ratings: Sequence[str] = FOUR_CS, nps_col: str = "nps") -> pd.DataFrame:
    """NPS of the respondents who gave each rating (1..5), one column per C.

    Shows how recommendation rises with each C; a cell with no respondents is NaN.

    Examples
    --------
    >>> survey = pd.DataFrame({"nps": [10, 9, 3, 6], "cost": [5, 5, 1, 1]})
    >>> nps_by_rating(survey, ratings=["cost"]).loc[[1, 5]]
            cost
    rating
    1     -100.0
    5      100.0
    """
    require_table(survey, "the survey", [*ratings, nps_col])
    checked = check_ratings(survey, list(ratings), *_RATING_RANGE)
    scores = _scores(survey[nps_col])
    levels = pd.Index(range(_RATING_RANGE[0], _RATING_RANGE[1] + 1), name="rating")
    columns = {}
    for column in ratings:
        by_level = scores.groupby(checked[column]).apply(nps)
        columns[column] = by_level.reindex(levels)
    return pd.DataFrame(columns, index=levels)


# --------------------------------------------------------------------------------------------
# The 4C audit
# --------------------------------------------------------------------------------------------
def four_c_audit(
    survey: pd.DataFrame,
    by: str | None = None,
    ratings: Sequence[str] = FOUR_CS,
    nps_col: str = "nps",
) -> pd.DataFrame:
    """Mean rating of each C, the number of respondents and the NPS, per group.

    Parameters
    ----------
    survey : pandas.DataFrame
        One row per response, with the rating columns, ``nps_col`` and (if given) ``by``. Merge
        the segment (membership level, RFM segment, main channel) into it first.
    by : str, optional
        Column that defines the groups; ``None`` gives one row, ``"All"``. Missing group labels
        are an error (say which group they belong to, or drop them explicitly).
    ratings : sequence of str, default :data:`FOUR_CS`
        The 1..5 rating columns.
    nps_col : str, default "nps"
        The 0..10 recommendation answer.

    Returns
    -------
    pandas.DataFrame
        Index = group (in the column's category order), columns ``respondents``, one mean per
        rating column, and ``nps`` (points).

    Examples
    --------
    >>> survey = pd.DataFrame({"level": ["gold", "gold", "basic"], "nps": [10, 6, 8],
    ...                        "cost": [4, 2, 1], "convenience": [5, 5, 3]})
    >>> four_c_audit(survey, by="level", ratings=["cost", "convenience"])
           respondents  cost  convenience    nps
    level
    basic            1   1.0          3.0    0.0
    gold             2   3.0          5.0    0.0
    """
    needed = list(ratings) + [nps_col] + ([by] if by is not None else [])
    require_table(survey, "the survey", needed)
    checked = check_ratings(survey, list(ratings), *_RATING_RANGE)
    checked[nps_col] = _scores(survey[nps_col])
    if by is None:
        groups = pd.Series("All", index=survey.index, name="group")
    else:
        groups = require_present(survey[by], by, what="a group label", frame=survey, columns=[by])
    grouped = checked.groupby(groups, observed=True, sort=True)
    audit = grouped[list(ratings)].mean()
    audit.insert(0, "respondents", grouped.size())
    audit["nps"] = grouped[nps_col].apply(nps)
    return audit


def weakest_c(audit: pd.DataFrame, ratings: Sequence[str] = FOUR_CS) -> pd.Series:
    """The C with the **lowest** mean rating in each row of a :func:`four_c_audit` table.

    Ties go to the C listed first in ``ratings``.

    Examples
    --------
    >>> audit = pd.DataFrame({"cost": [2.9, 3.5], "convenience": [3.4, 3.1]}, index=["basic", "gold"])
    >>> weakest_c(audit, ratings=["cost", "convenience"]).to_dict()
    {'basic': 'cost', 'gold': 'convenience'}
    """
    require_table(audit, "the audit table", list(ratings))
    means = audit[list(ratings)]
    for column in ratings:
        require_within(means[column], column, *_RATING_RANGE, frame=means, columns=[column],
                       fix=_("A mean rating lies on the rating scale: is this a four_c_audit table?"))
    return means.idxmin(axis=1).astype("str").rename("weakest_c")


def main_channel(orders: pd.DataFrame, customer_col: str = "customer_id", channel_col: str = "channel") -> pd.Series:
    """Each customer's main channel: the one with the most **orders** (ties: first channel listed).

    Orders, not spend: the channel question is where customers come to buy, and a single large
    basket should not outweigh many visits. Ties go to the channel that comes first in the
    column's category order (alphabetical for text).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["A", "A", "A", "B"],
    ...                        "channel": ["app", "store", "store", "web"]})
    >>> main_channel(orders).to_dict()
    {'A': 'store', 'B': 'web'}
    """
    require_table(orders, "orders", [customer_col, channel_col])
    for column in (customer_col, channel_col):
        require_present(orders[column], column, what=f"a {column}", frame=orders,
                        columns=[customer_col, channel_col])
    counts = orders.groupby([customer_col, channel_col], observed=True).size().unstack(fill_value=0)
    return counts.idxmax(axis=1).astype("str").rename("main_channel")


def purchases_after(
    survey: pd.DataFrame,
    orders: pd.DataFrame,
    window_days: int = 90,
    snapshot_date: Any = None,
    *,
    date_col: str = "response_date",
    customer_col: str = "customer_id",
) -> pd.Series:
    """Orders each respondent placed in the ``window_days`` days after the response day.

    Day 1 is the day after the response. Orders on the response day are left out (the survey
    does not say whether they came before or after the answer). A window that is not complete
    by ``snapshot_date`` (its last day is on or after the snapshot) gives ``<NA>``: such a
    respondent has not had the full time to buy, and counting them as 0 would bias recent
    responses downwards.

    Parameters
    ----------
    survey : pandas.DataFrame
        One row per response, with ``customer_col`` and ``date_col``.
    orders : pandas.DataFrame
        Orders with ``customer_id`` and ``order_date`` (checked by
        :func:`~cvmlib.validate.validate_transactions`).
    window_days : int, default 90
        Length of the window, in calendar days.
    snapshot_date : str or Timestamp, optional
        First moment *not* covered by the orders (e.g. ``"2026-01-01"`` for data up to the end
        of 2025). ``None`` defaults to midnight after the last order, with a warning.

    Returns
    -------
    pandas.Series
        ``Int64``, same index as ``survey``, name ``orders_next_<window>d``.

    Examples
    --------
    >>> survey = pd.DataFrame({"customer_id": ["A", "B"],
    ...                        "response_date": pd.to_datetime(["2025-01-10", "2025-12-20"])})
    >>> orders = pd.DataFrame({"customer_id": ["A", "A", "A", "B"],
    ...     "order_date": pd.to_datetime(["2025-01-10 18:00", "2025-01-11 09:00", "2025-04-12 10:00", "2025-12-21 08:00"])})
    >>> purchases_after(survey, orders, window_days=90, snapshot_date="2026-01-01").tolist()
    [1, <NA>]
    """
    window_days = require_int(window_days, "window_days", minimum=1)
    require_table(survey, "the survey", [customer_col, date_col])
    shown = [customer_col, date_col]
    require_present(survey[customer_col], customer_col, what=f"a {customer_col}", frame=survey, columns=shown)
    # with order ids, repeated orders at the same second are still distinct orders
    order_col = "order_id" if isinstance(orders, pd.DataFrame) and "order_id" in orders.columns else None
    # orders after the snapshot contradict it ("the first moment not covered"): refused
    valid = validate_transactions(orders, customer_col=customer_col, order_col=order_col, amount_col=None,
                                  snapshot_date=snapshot_date)
    snapshot = resolve_snapshot_date(valid["order_date"], snapshot_date)
    responded = parse_dates(survey[date_col], date_col, frame=survey, columns=shown).dt.normalize()
    last_day = responded + pd.Timedelta(days=int(window_days))
    responses = pd.DataFrame({"customer_id": survey[customer_col].to_numpy(), "row": np.arange(len(survey)),
                              "first": (responded + pd.Timedelta(days=1)).to_numpy(),
                              "last": last_day.to_numpy()})
    paired = responses.merge(valid[[customer_col, "order_date"]].rename(columns={customer_col: "customer_id"}),
                             on="customer_id", how="inner")
    day = paired["order_date"].dt.normalize()
    inside = paired[(day >= paired["first"]) & (day <= paired["last"])]
    counts = np.bincount(inside["row"].to_numpy(), minlength=len(survey))
    result = pd.Series(counts, index=survey.index, dtype="Int64", name=f"orders_next_{int(window_days)}d")
    # the window's last day must lie before the snapshot to be fully observed
    result[(last_day >= snapshot.normalize()).to_numpy()] = pd.NA
    return result


# --------------------------------------------------------------------------------------------
# Internal customers
# --------------------------------------------------------------------------------------------
def complaints_by_handoff(
    complaints: pd.DataFrame,
    mapping: Mapping[str, str] = COMPLAINT_HANDOFFS,
    category_col: str = "category",
) -> pd.DataFrame:
    """Tickets per internal team whose hand-off most likely broke, along :data:`INTERNAL_CHAIN`.

    Parameters
    ----------
    complaints : pandas.DataFrame
        One row per ticket, with ``category_col``.
    mapping : mapping, default :data:`COMPLAINT_HANDOFFS`
        Complaint category -> team. Every category present must be mapped; teams outside the
        chain are listed after it.

    Returns
    -------
    pandas.DataFrame
        Index ``team`` (every team of the chain, in chain order, 0 for teams without tickets),
        columns ``tickets``, ``share`` (of all tickets) and ``categories`` (comma-separated).

    Examples
    --------
    >>> tickets = pd.DataFrame({"category": ["delivery_delay", "billing", "wrong_item"]})
    >>> complaints_by_handoff(tickets).loc[["order desk", "warehouse"], ["tickets", "categories"]]
                tickets                  categories
    team
    order desk        1                     billing
    warehouse         2  delivery_delay, wrong_item
    >>> complaints_by_handoff(pd.DataFrame({"category": ["late"]}))
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Column 'category' has 1 value that the mapping does not know: ['late']. ...
    """
    if not isinstance(mapping, Mapping):
        raise InputError(_("mapping must be a dict of complaint category -> team; got {type}.").format(
            type=type(mapping).__name__))
    require_table(complaints, "complaints", [category_col])
    require_present(complaints[category_col], category_col, what="a category", frame=complaints,
                    columns=[category_col])
    categories = complaints[category_col].astype("str")
    require_known(categories, mapping, category_col, known_name="the mapping", frame=complaints,
                  columns=[category_col], fix=_("Add them to the mapping."))
    teams = list(INTERNAL_CHAIN) + sorted(set(mapping.values()) - set(INTERNAL_CHAIN))
    team = categories.map(dict(mapping))
    tickets = team.value_counts().reindex(teams, fill_value=0)
    used = sorted(set(categories))
    listed = {t: ", ".join(c for c in used if mapping[c] == t) for t in teams}
    table = pd.DataFrame({"tickets": tickets.astype("int64"), "share": tickets / len(categories),
                          "categories": pd.Series(listed)}, index=pd.Index(teams, name="team"))
    return table
