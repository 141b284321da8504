"""Complaint tickets: validation, handling times, SLA, causes, repeats and later buying.

Definitions used throughout (the glossary pins the same ones):

* **Times are clock hours** (24 hours a day, weekends included), measured from ``opened_at``:
  the first-response time runs to ``first_response_at``, the resolution time to
  ``resolved_at``. Business hours are not modelled; say so when you quote an SLA.
* **Service-level targets** are parameters (hours per severity), never constants in the code.
  A ticket *meets* a target when the event happened within it; it *breaches* when the event
  happened later **or has not happened and the target has already passed at** ``as_of``; it is
  *pending* when it has not happened and the target has not passed yet. The met rate is
  met / (met + breached): open tickets past their target count as breaches, not as missing.
* A **repeat complaint** is a ticket from a customer who had opened an earlier ticket (within
  ``within_days`` days, when given). A customer's first ticket is never a repeat.
* **Handling quality** of a resolved ticket comes from ``satisfaction_after`` (1..5): well
  resolved from ``good_from`` up, badly resolved up to ``bad_to``, middling in between;
  unresolved tickets form their own group.

Bad input (see :func:`validate_tickets`) raises :class:`~cvmlib.validate.InputError` naming the
column and showing up to five offending rows, before any computation.

Examples
--------
>>> tickets = pd.DataFrame({
...     "ticket_id": ["T1", "T2"], "customer_id": ["C1", "C1"],
...     "opened_at": ["2025-03-01 09:00", "2025-03-05 10:00"],
...     "first_response_at": ["2025-03-01 11:00", None],
...     "resolved_at": ["2025-03-02 09:00", None],
...     "category": ["billing", "wrong_item"], "severity": ["low", "high"]})
>>> handling_times(tickets)
   first_response_hours  resolution_hours
0                   2.0              24.0
1                   NaN               NaN
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from cvmlib.i18n import N_, _
from cvmlib.validate import (
    InputError,
    as_series,
    as_timestamp,
    parse_dates,
    reject_rows,
    require_1d,
    require_choice,
    require_finite,
    require_int,
    require_known,
    require_not_after,
    require_not_empty,
    require_positive,
    require_present,
    require_probability,
    require_same_ids,
    require_table,
    require_unique,
    require_whole_number,
    require_within,
)
from cvmlib.value import abc_classes

__all__ = [
    "CATEGORIES",
    "HANDLING_GROUPS",
    "SEVERITIES",
    "RecoveryOutcomes",
    "cause_pareto",
    "handling_groups",
    "handling_times",
    "recovery_outcomes",
    "repeat_complaints",
    "sla_report",
    "split_the_difference",
    "validate_tickets",
]

#: Complaint categories of the course data (``load_complaints``).
CATEGORIES: tuple[str, ...] = (
    "delivery_delay", "product_quality", "wrong_item", "refund_request", "billing", "service_attitude",
)  # data codes: shown as "delivery delay", ... by cvmlib.display (DATA_LABELS)
#: Severity levels, least severe first.
SEVERITIES: tuple[str, ...] = ("low", "medium", "high")
#: Handling-quality groups of :func:`handling_groups`, plus the reference group of
#: :func:`recovery_outcomes` (customers without a complaint at the reference date).
HANDLING_GROUPS: tuple[str, ...] = (N_("well resolved"), N_("middling"), N_("badly resolved"), N_("unresolved"),
                                    N_("no complaint"))

_TIME_COLUMNS = ("opened_at", "first_response_at", "resolved_at")
_HOUR = pd.Timedelta(hours=1)


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------
def validate_tickets(
    tickets: pd.DataFrame,
    *,
    categories: Sequence[str] = CATEGORIES,
    severities: Sequence[str] = SEVERITIES,
) -> pd.DataFrame:
    """A validated copy of a ticket table: timestamps parsed, labels checked, order of events checked.

    Parameters
    ----------
    tickets : pandas.DataFrame
        Columns ``ticket_id``, ``customer_id``, ``opened_at``, ``first_response_at``,
        ``resolved_at``, ``category``, ``severity`` (others are kept). ``first_response_at`` and
        ``resolved_at`` may be missing (the event has not happened yet); ``opened_at`` may not.
    categories, severities : sequence of str
        The allowed labels (default: those of the course data).

    Returns
    -------
    pandas.DataFrame
        A copy with the three timestamp columns as ``datetime64[ns]`` and ``severity`` as an
        ordered Categorical in the order of ``severities``.

    Raises
    ------
    InputError
        In this order: not a DataFrame or empty; a missing column; missing or duplicated
        ``ticket_id``; missing ``customer_id``; missing or unreadable ``opened_at``; unreadable
        ``first_response_at`` / ``resolved_at``; unknown ``category`` or ``severity``;
        ``first_response_at`` or ``resolved_at`` before ``opened_at``; ``satisfaction_after``
        outside 1..5 (when that column is present).

    Examples
    --------
    >>> bad = pd.DataFrame({"ticket_id": ["T1"], "customer_id": ["C1"],
    ...     "opened_at": ["2025-03-02 09:00"], "first_response_at": [None],
    ...     "resolved_at": ["2025-03-01 09:00"], "category": ["billing"], "severity": ["low"]})
    >>> validate_tickets(bad)
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Column 'resolved_at' has 1 ticket(s) resolved before it was opened ...
    """
    require_table(tickets, "tickets", ("ticket_id", "customer_id", *_TIME_COLUMNS, "category", "severity"))
    categories, severities = list(require_1d(categories, "categories")), list(require_1d(severities, "severities"))
    df = tickets.copy()
    show: list[Hashable] = [c for c in ("ticket_id", "customer_id", *_TIME_COLUMNS, "category", "severity") if c in df.columns]
    for col, what in (("ticket_id", "a ticket id"), ("customer_id", "a customer id")):
        require_present(df[col], col, what=what, frame=df, columns=show)
    require_unique(df["ticket_id"], "ticket_id", what="ticket id", frame=df, columns=show)
    require_present(df["opened_at"], "opened_at", frame=df, columns=show,
                    what="an opening time (without it no time can be measured)")
    for col in _TIME_COLUMNS:  # a missing first_response_at / resolved_at: not happened yet
        df[col] = parse_dates(df[col], col, allow_missing=True, frame=df, columns=show).astype("datetime64[ns]")
    for col, allowed, option in (("category", categories, "categories"), ("severity", severities, "severities")):
        require_known(df[col].astype("object"), allowed, col, known_name=f"{option}=", frame=df, columns=show,
                      fix=_("Fix the spelling (e.g. .str.strip().str.lower()) or pass the full list with "
                            "{option}=...").format(option=option))
    before_opened = {
        "first_response_at": N_("Column {column!r} has {n:,} ticket(s) answered before it was opened (opened_at). "
                                "Check the time zones and the export of both columns."),
        "resolved_at": N_("Column {column!r} has {n:,} ticket(s) resolved before it was opened (opened_at). "
                          "Check the time zones and the export of both columns."),
    }
    for col, message in before_opened.items():
        reject_rows(df, (df[col] < df["opened_at"]).to_numpy(),
                    lambda n, col=col, message=message: _(message).format(column=col, n=n),
                    show)
    if "satisfaction_after" in df.columns:  # missing = not resolved (yet)
        score = require_whole_number(df["satisfaction_after"], "satisfaction_after", allow_missing=True,
                                     frame=df, columns=[*show, "satisfaction_after"])
        require_within(score, "satisfaction_after", 1, 5, allow_missing=True, frame=df,
                       columns=[*show, "satisfaction_after"], fix=_("The scale runs from 1 to 5."))
    df["severity"] = pd.Categorical(df["severity"].astype("object"), categories=list(severities), ordered=True)
    return df


# --------------------------------------------------------------------------------------------
# Handling times and the service level
# --------------------------------------------------------------------------------------------
def handling_times(tickets: pd.DataFrame, *, as_of: Any = None) -> pd.DataFrame:
    """First-response and resolution time of every ticket, in clock hours.

    Parameters
    ----------
    tickets : pandas.DataFrame
        A ticket table (validated here with :func:`validate_tickets`).
    as_of : str or Timestamp, optional
        The export time. When given, a ticket opened, answered or resolved after it is an
        error (an export cannot hold later events), and the column
        ``open_hours`` is added: hours from opening to ``as_of`` for the tickets not yet resolved.

    Returns
    -------
    pandas.DataFrame
        Same index as ``tickets``; ``first_response_hours`` and ``resolution_hours`` (float,
        NaN while the event has not happened), plus ``open_hours`` with ``as_of``.

    Examples
    --------
    >>> t = pd.DataFrame({"ticket_id": ["T1"], "customer_id": ["C1"],
    ...     "opened_at": ["2025-03-01 09:00"], "first_response_at": ["2025-03-01 09:30"],
    ...     "resolved_at": ["2025-03-03 09:00"], "category": ["billing"], "severity": ["low"]})
    >>> handling_times(t).round(1).to_dict("records")
    [{'first_response_hours': 0.5, 'resolution_hours': 48.0}]
    """
    return _handling_times(validate_tickets(tickets), None if as_of is None else as_timestamp(as_of, "as_of"))


def _handling_times(df: pd.DataFrame, end: pd.Timestamp | None) -> pd.DataFrame:
    """:func:`handling_times` of an already validated ticket table (``end`` = parsed ``as_of``)."""
    times = pd.DataFrame({
        "first_response_hours": (df["first_response_at"] - df["opened_at"]) / _HOUR,
        "resolution_hours": (df["resolved_at"] - df["opened_at"]) / _HOUR,
    }, index=df.index)
    if end is not None:  # the export time: nothing in it can have happened later
        for col in _TIME_COLUMNS:
            require_not_after(df[col], end, col, "as_of", frame=df, columns=["ticket_id", col],
                              fix=_("An export cannot hold later events: choose the real export time as as_of."))
        times["open_hours"] = ((end - df["opened_at"]) / _HOUR).where(df["resolved_at"].isna())
    return times


def _targets(targets: Mapping[str, float], severities: Sequence[str]) -> pd.Series:
    if not isinstance(targets, Mapping):
        raise InputError(_("targets must be a dict of severity -> hours, e.g. {{'low': 48, 'medium': 24, "
                           "'high': 8}}; got {type}.").format(type=type(targets).__name__))
    missing = [s for s in severities if s not in targets]
    if missing:
        raise InputError(_("targets has no target for severity {missing}; give hours for every severity, e.g. "
                           "{{'low': 48, 'medium': 24, 'high': 8}}.").format(missing=missing))
    require_known(list(targets), severities, "the keys of targets", known_name="the severities")
    return pd.Series({s: require_positive(targets[s], f"targets[{s!r}]", scalar=True) for s in severities}, dtype="float64")


def sla_report(
    tickets: pd.DataFrame,
    targets: Mapping[str, float],
    *,
    as_of: Any,
    measure: Literal["first_response", "resolution"] = "resolution",
) -> pd.DataFrame:
    """Service-level report per severity: tickets within target, breached and still pending.

    Parameters
    ----------
    tickets : pandas.DataFrame
        A ticket table (validated here).
    targets : mapping severity -> hours
        The target per severity in clock hours, e.g. ``{"low": 72, "medium": 48, "high": 24}``.
    as_of : str or Timestamp
        The export time: an open ticket whose target passed before it is a breach.
    measure : {"first_response", "resolution"}
        Which event the target is for.

    Returns
    -------
    pandas.DataFrame
        Index ``severity`` (the validated severity order) plus a ``total`` row; columns
        ``target_hours``, ``tickets``, ``met``, ``breached`` (of which ``open_breached``: not
        happened yet and already late), ``pending`` (not happened, target not passed yet),
        ``met_rate`` = met / (met + breached) and ``median_hours`` (of the tickets where the
        event happened).

    Examples
    --------
    >>> t = pd.DataFrame({"ticket_id": ["T1", "T2", "T3"], "customer_id": ["C1", "C2", "C3"],
    ...     "opened_at": ["2025-03-01 09:00", "2025-03-01 09:00", "2025-03-04 09:00"],
    ...     "first_response_at": [None, None, None],
    ...     "resolved_at": ["2025-03-01 19:00", None, None],
    ...     "category": ["billing"] * 3, "severity": ["low"] * 3})
    >>> report = sla_report(t, {"low": 24, "medium": 24, "high": 8}, as_of="2025-03-04 12:00")
    >>> report.loc["low", ["tickets", "met", "breached", "open_breached", "pending"]].tolist()
    [3, 1, 1, 1, 1]
    >>> float(report.loc["low", "met_rate"])
    0.5
    """
    require_choice(measure, "measure", ["first_response", "resolution"])
    df = validate_tickets(tickets)
    severities = list(df["severity"].cat.categories)
    hours = _targets(targets, severities)
    end = as_timestamp(as_of, "as_of")
    times = _handling_times(df, end)
    taken = times[f"{measure}_hours"]
    elapsed = (end - df["opened_at"]) / _HOUR  # how long an open ticket has waited so far
    target = df["severity"].map(hours).astype("float64")
    happened = taken.notna()
    met = happened & (taken <= target)
    open_late = ~happened & (elapsed > target)
    frame = pd.DataFrame({
        "tickets": 1, "met": met, "breached": (happened & ~met) | open_late, "open_breached": open_late,
        "pending": ~happened & ~open_late,
    }).astype("int64")
    by = df["severity"].rename("severity")
    report = frame.groupby(by, observed=False).sum()
    report.loc["total"] = report.sum()
    report.insert(0, "target_hours", hours.reindex(report.index))
    decided = report["met"] + report["breached"]
    report["met_rate"] = (report["met"] / decided.replace(0, np.nan)).astype("float64")
    medians = taken.groupby(by, observed=False).median()
    medians.loc["total"] = taken.median()
    report["median_hours"] = medians
    report.index = pd.Index([str(i) for i in report.index], name="severity")
    return report


# --------------------------------------------------------------------------------------------
# Causes and repeats
# --------------------------------------------------------------------------------------------
def cause_pareto(tickets: pd.DataFrame, by: str = "category", cut: float = 0.8) -> pd.DataFrame:
    """Pareto table of complaint causes: count, share, cumulative share, the vital few.

    Parameters
    ----------
    tickets : pandas.DataFrame
        A ticket table (validated here).
    by : str, default "category"
        The column holding the cause.
    cut : float, default 0.8
        The cumulative share that defines the "vital few" (same boundary rule as
        :func:`cvmlib.value.abc_classes`: the cause that takes the share past ``cut`` is included).

    Returns
    -------
    pandas.DataFrame
        One row per cause (categories without tickets included, at the end), largest first:
        ``tickets``, ``share``, ``cumulative_share``, ``vital_few`` (bool).

    Examples
    --------
    >>> t = pd.DataFrame({"ticket_id": list("abcdef"), "customer_id": list("uvwxyz"),
    ...     "opened_at": ["2025-01-01"] * 6, "first_response_at": [None] * 6, "resolved_at": [None] * 6,
    ...     "category": ["billing", "billing", "billing", "wrong_item", "wrong_item", "service_attitude"],
    ...     "severity": ["low"] * 6})
    >>> cause_pareto(t).loc[["billing", "wrong_item", "service_attitude"], "vital_few"].tolist()
    [True, True, False]
    """
    df = validate_tickets(tickets)
    require_table(df, "tickets", [by])
    cut = require_probability(cut, "cut", inclusive="right", scalar=True)
    counts = df[by].value_counts(dropna=False).sort_values(ascending=False, kind="stable")
    counts.index = pd.Index([str(i) for i in counts.index], name=by)
    table = pd.DataFrame({"tickets": counts.astype("int64")})
    table["share"] = table["tickets"] / table["tickets"].sum()
    table["cumulative_share"] = table["share"].cumsum()
    table["vital_few"] = (abc_classes(table["tickets"].astype("float64"), cuts=(cut,)) == "A").to_numpy()
    return table


def repeat_complaints(tickets: pd.DataFrame, within_days: float | None = None) -> pd.Series:
    """Whether each ticket is a repeat: its customer opened an earlier ticket (within ``within_days``).

    Tickets are ordered by ``opened_at`` (then ``ticket_id`` for ties); each customer's first
    ticket is never a repeat.

    Returns
    -------
    pandas.Series
        Boolean, same index as ``tickets``, name ``"is_repeat"``.

    Examples
    --------
    >>> t = pd.DataFrame({"ticket_id": ["T1", "T2", "T3", "T4"], "customer_id": ["C1", "C1", "C1", "C2"],
    ...     "opened_at": ["2025-01-01", "2025-01-10", "2025-06-01", "2025-01-05"],
    ...     "first_response_at": [None] * 4, "resolved_at": [None] * 4,
    ...     "category": ["billing"] * 4, "severity": ["low"] * 4})
    >>> repeat_complaints(t).tolist()
    [False, True, True, False]
    >>> repeat_complaints(t, within_days=30).tolist()
    [False, True, False, False]
    """
    df = validate_tickets(tickets)
    if within_days is not None:  # a timedelta of more than 100,000 days overflows
        within_days = require_within(within_days, "within_days", 0, 100_000, inclusive="right", scalar=True)
    ordered = df.sort_values(["customer_id", "opened_at", "ticket_id"])
    previous = ordered.groupby("customer_id")["opened_at"].shift()
    repeat = previous.notna()
    if within_days is not None:
        repeat &= (ordered["opened_at"] - previous) <= pd.Timedelta(days=within_days)
    return repeat.reindex(df.index).rename("is_repeat")


# --------------------------------------------------------------------------------------------
# Handling quality and later buying (the service recovery paradox)
# --------------------------------------------------------------------------------------------
def handling_groups(satisfaction: pd.Series, good_from: int = 4, bad_to: int = 2) -> pd.Series:
    """Handling-quality group of each ticket from its satisfaction score (missing = unresolved).

    Examples
    --------
    >>> handling_groups(pd.Series([5, 3, 1, None], dtype="Int64")).astype(str).tolist()
    ['well resolved', 'middling', 'badly resolved', 'unresolved']
    """
    good_from, bad_to = require_int(good_from, "good_from"), require_int(bad_to, "bad_to")
    if not 1 <= bad_to < good_from <= 5:
        raise InputError(_("Need 1 <= bad_to < good_from <= 5; got bad_to={bad_to}, good_from={good_from}.").format(
            bad_to=bad_to, good_from=good_from))
    satisfaction = require_not_empty(as_series(satisfaction, "satisfaction"), "satisfaction", "tickets")
    score = require_within(require_whole_number(satisfaction, "satisfaction", allow_missing=True),
                           "satisfaction", 1, 5, allow_missing=True, fix=_("The scale runs from 1 to 5."))
    labels = np.select([score >= good_from, score <= bad_to, score.notna()],
                       ["well resolved", "badly resolved", "middling"], "unresolved")
    return pd.Series(pd.Categorical(labels, categories=list(HANDLING_GROUPS)), index=satisfaction.index,
                     name="handling")


@dataclass(frozen=True)
class RecoveryOutcomes:
    """Later buying by handling quality (see :func:`recovery_outcomes`).

    Attributes
    ----------
    units : pandas.DataFrame
        One row per observation: ``customer_id``, ``reference_date``, ``group``, ``recent_orders``
        (orders in the ``window_days`` before the reference date), ``bought_again`` (bool).
    summary : pandas.DataFrame
        Per group: ``customers``, ``bought_again``, ``rate`` with a 95 % Wilson interval
        (``ci_low``, ``ci_high``), ``difference`` to the "no complaint" rate and its two-sided
        Fisher exact ``p_value``; ``adjusted_rate``: the rate standardised to the recent-order
        mix of all complainers (direct standardisation), and ``adjusted_difference`` with a
        95 % parametric-bootstrap interval (``adj_ci_low``, ``adj_ci_high``).
    """

    units: pd.DataFrame
    summary: pd.DataFrame


#: Bands of recent orders used to adjust for purchase history (left-closed edges).
HISTORY_BANDS: tuple[int, ...] = (0, 1, 2, 4, 8)


def _reference_units(tickets: pd.DataFrame, orders: pd.DataFrame, seed: int,
                     good_from: int, bad_to: int) -> pd.DataFrame:
    """First complaint per customer, plus one random clean order per customer as the reference."""
    dated = tickets.merge(orders[["order_id", "order_date"]], on="order_id", how="left", validate="m:1")
    first = dated.sort_values(["opened_at", "ticket_id"]).drop_duplicates("customer_id")
    complained = pd.DataFrame({
        "customer_id": first["customer_id"].to_numpy(), "reference_date": first["order_date"].to_numpy(),
        "group": handling_groups(first["satisfaction_after"], good_from, bad_to).astype("str").to_numpy(),
    })
    # reference: orders that drew no ticket, placed before the customer's first ticket (a clean
    # history), so heavy buyers who complain later still count -- who complains is not random
    first_open = first.set_index("customer_id")["opened_at"]
    clean = orders[~orders["order_id"].isin(tickets["order_id"])]
    opened = clean["customer_id"].map(first_open)
    clean = clean[opened.isna().to_numpy() | (clean["order_date"] < opened).to_numpy()]
    picked = clean.groupby("customer_id").sample(n=1, random_state=seed)
    reference = pd.DataFrame({"customer_id": picked["customer_id"].to_numpy(),
                              "reference_date": picked["order_date"].to_numpy(), "group": "no complaint"})
    return pd.concat([complained, reference], ignore_index=True)


def _wilson(k: int, n: int) -> tuple[float, float]:
    if n == 0:
        return (np.nan, np.nan)
    interval = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return float(interval.low), float(interval.high)


def _standardised(units: pd.DataFrame, weights: pd.Series, group: str) -> tuple[float, pd.Series, pd.Series]:
    mine = units[units["group"] == group].groupby("band", observed=False)["bought_again"]
    rate, size = mine.mean(), mine.size()
    usable = weights[size > 0] / weights[size > 0].sum()
    return float((rate[usable.index] * usable).sum()), rate[usable.index], size[usable.index]


def recovery_outcomes(
    tickets: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    end: Any,
    window_days: int = 180,
    good_from: int = 4,
    bad_to: int = 2,
    seed: int = 0,
    n_boot: int = 2000,
) -> RecoveryOutcomes:
    """Did customers buy again after a complaint, by how well it was handled?

    Each complaining customer is observed once, at their **first** ticket; the reference date
    is the date of the complained-about order. Customers without a complaint at that point form
    the "no complaint" group: for each customer, one random order that drew no ticket and came
    before their first ticket (if any), so customers who complain later still count. The outcome
    is any order in the ``window_days`` after the reference date; observations whose window ends
    after ``end`` are left out (and counted in the summary's ``left_out`` column).

    Complainers are not a random sample: they buy more (more orders, more chances to complain).
    ``adjusted_rate`` therefore standardises every group to the complainers' mix of recent
    orders (bands :data:`HISTORY_BANDS` of the orders in the ``window_days`` before the
    reference date).

    Parameters
    ----------
    tickets, orders : pandas.DataFrame
        The ticket table (with ``order_id`` and ``satisfaction_after``) and the clean orders
        (``order_id``, ``customer_id``, ``order_date``).
    end : str or Timestamp
        The end of the data: every outcome window must end by then.
    window_days : int, default 180
    good_from, bad_to : int
        Satisfaction thresholds of :func:`handling_groups`.
    seed : int
        Seed of the reference-order draw and of the bootstrap.
    n_boot : int
        Bootstrap replicates of the adjusted difference.

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": ["O1", "O2", "O3", "O4"], "customer_id": ["A", "A", "B", "B"],
    ...     "order_date": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-01-01", "2025-09-01"])})
    >>> tickets = pd.DataFrame({"ticket_id": ["T1"], "customer_id": ["A"], "order_id": ["O1"],
    ...     "opened_at": ["2025-01-03"], "first_response_at": ["2025-01-03"],
    ...     "resolved_at": ["2025-01-04"], "category": ["billing"], "severity": ["low"],
    ...     "satisfaction_after": [5]})
    >>> out = recovery_outcomes(tickets, orders, end="2025-12-31", window_days=90, n_boot=10)
    >>> out.summary.loc[["well resolved", "no complaint"], ["customers", "bought_again"]].to_dict("index")
    {'well resolved': {'customers': 1, 'bought_again': 1}, 'no complaint': {'customers': 1, 'bought_again': 0}}
    """
    df = validate_tickets(tickets)
    require_table(df, "tickets", ("order_id", "satisfaction_after"))
    require_table(orders, "orders", ("order_id", "customer_id", "order_date"))
    window_days = require_int(window_days, "window_days", minimum=1, maximum=100_000)
    n_boot = require_int(n_boot, "n_boot", minimum=1)
    seed = require_int(seed, "seed", minimum=0)
    stop = as_timestamp(end, "end")
    orders = orders[["order_id", "customer_id", "order_date"]].copy()
    shown = ["order_id", "customer_id", "order_date"]
    for col in ("order_id", "customer_id"):
        require_present(orders[col], col, what=f"a {col}", frame=orders, columns=shown)
    require_unique(orders["order_id"], "order_id", what="order id", frame=orders, columns=shown)
    orders["order_date"] = parse_dates(orders["order_date"], "order_date", frame=orders, columns=shown)
    require_not_after(orders["order_date"], stop, "order_date", "end", frame=orders, columns=shown,
                      fix=_("end is the end of the data: choose the date of the last order or later."))
    # the reference date of a complaint is its order's date: every ticket's order must be there
    require_same_ids(df["order_id"], orders["order_id"], "the order_id of tickets", "orders", subset=True,
                     frame=df, columns=["ticket_id", "customer_id", "order_id"])
    window = pd.Timedelta(days=window_days)

    units = _reference_units(df, orders, seed, good_from, bad_to)
    complete = (units["reference_date"] + window <= stop).to_numpy()
    if not complete.any():
        raise InputError(_("No observation has a complete {days}-day window by end={end}: choose a later end or a "
                           "shorter window_days.").format(days=window_days, end=f"{stop:%Y-%m-%d}"))
    left_out = units.loc[~complete, "group"].value_counts()
    units = units[complete].reset_index(drop=True)
    pairs = units.reset_index().merge(orders[["customer_id", "order_date"]], on="customer_id")
    gap = pairs["order_date"] - pairs["reference_date"]
    pairs["after"] = (gap > pd.Timedelta(0)) & (gap <= window)
    pairs["recent"] = (gap < pd.Timedelta(0)) & (gap >= -window)
    per_unit = pairs.groupby("index")[["after", "recent"]].agg({"after": "any", "recent": "sum"})
    units["recent_orders"] = per_unit["recent"].reindex(units.index).fillna(0).astype("int64")
    units["bought_again"] = per_unit["after"].reindex(units.index).fillna(False).astype(bool)
    edges = [*HISTORY_BANDS, np.inf]
    units["band"] = pd.cut(units["recent_orders"], edges, right=False)

    groups = [g for g in HANDLING_GROUPS if (units["group"] == g).any()]
    weights = units[units["group"] != "no complaint"]["band"].value_counts().sort_index().astype("float64")
    rng = np.random.default_rng(seed)
    reference = "no complaint"
    ref_units = units[units["group"] == reference]
    ref_adj, ref_rates, ref_sizes = _standardised(units, weights, reference)
    rows = []
    for group in groups:
        outcome = units.loc[units["group"] == group, "bought_again"]
        k, n = int(outcome.sum()), int(len(outcome))
        low, high = _wilson(k, n)
        row: dict[str, Any] = {"group": group, "customers": n, "bought_again": k, "rate": k / n,
                               "ci_low": low, "ci_high": high, "left_out": int(left_out.get(group, 0))}
        adjusted, rates, sizes = _standardised(units, weights, group)
        row["adjusted_rate"] = adjusted
        if group != reference and len(ref_units):
            ref_k = int(ref_units["bought_again"].sum())
            table = [[k, n - k], [ref_k, len(ref_units) - ref_k]]
            row["difference"] = k / n - ref_k / len(ref_units)
            row["p_value"] = float(stats.fisher_exact(table).pvalue)
            row["adjusted_difference"] = adjusted - ref_adj
            # parametric bootstrap: redraw every band's rate of both groups from its binomial
            bands = rates.index.intersection(ref_rates.index)
            w = (weights[bands] / weights[bands].sum()).to_numpy()
            draw = rng.binomial(sizes[bands].to_numpy(), rates[bands].to_numpy(), (n_boot, len(bands)))
            ref_draw = rng.binomial(ref_sizes[bands].to_numpy(), ref_rates[bands].to_numpy(), (n_boot, len(bands)))
            diffs = (draw / sizes[bands].to_numpy() - ref_draw / ref_sizes[bands].to_numpy()) @ w
            row["adj_ci_low"], row["adj_ci_high"] = (float(q) for q in np.quantile(diffs, [0.025, 0.975]))
        rows.append(row)
    summary = pd.DataFrame(rows).set_index("group")
    columns = ["customers", "bought_again", "rate", "ci_low", "ci_high", "difference", "p_value",
               "adjusted_rate", "adjusted_difference", "adj_ci_low", "adj_ci_high", "left_out"]
    summary = summary.reindex(columns=columns)
    return RecoveryOutcomes(units=units, summary=summary)


# --------------------------------------------------------------------------------------------
# The conversation: split-the-difference
# --------------------------------------------------------------------------------------------
def split_the_difference(offer: float, ask: float, rounds: int = 1) -> list[float]:
    """Successive settlement points when both sides repeatedly meet halfway.

    After each round, the company's offer moves to the midpoint; the customer's ask stays.
    With one round the settlement is the midpoint ``(offer + ask) / 2``: every yuan less in the
    opening offer lowers it by half a yuan. That is why the opening number anchors the outcome.

    Examples
    --------
    >>> split_the_difference(100, 300)
    [200.0]
    >>> split_the_difference(100, 300, rounds=3)
    [200.0, 250.0, 275.0]
    """
    rounds = require_int(rounds, "rounds", minimum=1, maximum=10_000)
    current, target = require_finite(offer, "offer", scalar=True), require_finite(ask, "ask", scalar=True)
    points = []
    for _ in range(rounds):
        current = (current + target) / 2
        points.append(current)
    return points
