"""Plots of the complaint-handling chapter: cause Pareto, one ticket against its SLA, later buying."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from cvmlib.display import label, labels
from cvmlib.i18n import _
from cvmlib.plotting._axes import finish, new_axes
from cvmlib.validate import (
    InputError,
    as_timestamp,
    require_bool,
    require_non_negative,
    require_not_after,
    require_positive,
    require_probability,
    require_table,
)

__all__ = ["cause_pareto_plot", "ticket_timeline_plot", "recovery_plot"]


def cause_pareto_plot(table: pd.DataFrame, ax: Axes | None = None, *, cut: float = 0.8) -> Axes:
    """Pareto chart: tickets per cause (bars, vital few highlighted) and the cumulative share (line).

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`cvmlib.complaints.cause_pareto`.
    ax : matplotlib.axes.Axes, optional
    cut : float
        The cumulative share drawn as a dashed line.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> t = pd.DataFrame({"tickets": [6, 3, 1], "cumulative_share": [0.6, 0.9, 1.0],
    ...                   "vital_few": [True, True, False]}, index=["a", "b", "c"])
    >>> ax = cause_pareto_plot(t)
    >>> len(ax.patches)
    3
    >>> plt.close("all")
    """
    require_table(table, "table (from cause_pareto)", ["tickets", "cumulative_share", "vital_few"])
    require_non_negative(table["tickets"], "tickets", frame=table)
    require_probability(table["cumulative_share"], "cumulative_share", frame=table)
    require_bool(table["vital_few"], "vital_few", frame=table)
    cut = require_probability(cut, "cut", scalar=True)
    ax = new_axes(ax, (7.0, 4.0))
    names = [str(i) for i in labels(table.index)]  # causes as readers see them
    colours = ["C3" if vital else "C7" for vital in table["vital_few"]]
    ax.bar(names, table["tickets"], color=colours)
    ax.set_ylabel(_("tickets"))
    ax.tick_params(axis="x", labelrotation=30)
    share = ax.twinx()
    share.plot(names, table["cumulative_share"] * 100, "o-", color="black")
    share.axhline(cut * 100, color="grey", linestyle="--", linewidth=1)
    share.set_ylim(0, 105)
    share.set_ylabel(_("cumulative % of tickets"))
    ax.set_title(_("Complaint causes: the vital few (red) and the useful many"))
    return finish(ax, share)


def ticket_timeline_plot(ticket: pd.Series, targets: dict[str, float], ax: Axes | None = None,
                         *, as_of: object = None) -> Axes:
    """One ticket on a clock-hour axis: opened, first response, resolved, against its targets.

    Parameters
    ----------
    ticket : pandas.Series
        One row of a validated ticket table (``opened_at``, ``first_response_at``,
        ``resolved_at``, ``severity``).
    targets : dict
        ``{"first_response": hours, "resolution": hours}`` for this ticket's severity.
    as_of : optional
        Export time; an unresolved ticket's bar runs up to it.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> t = pd.Series({"ticket_id": "T1", "severity": "high",
    ...     "opened_at": pd.Timestamp("2025-03-01 09:00"),
    ...     "first_response_at": pd.Timestamp("2025-03-01 12:00"),
    ...     "resolved_at": pd.Timestamp("2025-03-03 09:00")})
    >>> ax = ticket_timeline_plot(t, {"first_response": 1, "resolution": 24})
    >>> [round(x) for x in ax.get_xlim()][0] <= 0
    True
    >>> plt.close("all")
    """
    if not isinstance(ticket, pd.Series) or "opened_at" not in ticket.index:
        raise InputError(_("ticket must be one row of a validated ticket table (a Series with opened_at, "
                           "first_response_at, resolved_at), e.g. validate_tickets(t).iloc[0]."))
    if not isinstance(targets, Mapping):
        raise InputError(_("targets must be a dict {{'first_response': hours, 'resolution': hours}}; got "
                           "{type}.").format(type=type(targets).__name__))
    missing = [k for k in ("first_response", "resolution") if k not in targets]
    if missing:
        raise InputError(_("targets has no {missing}: give {{'first_response': hours, 'resolution': hours}}.").format(
            missing=missing))
    for key in ("first_response", "resolution"):
        require_positive(targets[key], f"targets[{key!r}]", scalar=True)
    start = as_timestamp(ticket["opened_at"], "opened_at")
    end_marks = {"first response": ticket.get("first_response_at"), "resolved": ticket.get("resolved_at")}
    marks = {k: as_timestamp(v, k) for k, v in end_marks.items() if v is not None and pd.notna(v)}
    if as_of is not None:
        export = as_timestamp(as_of, "as_of")
        stamps = pd.Series([start, *marks.values()], index=["opened_at", *marks])
        require_not_after(stamps, export, "the ticket's times", "as_of",
                          fix=_("An export cannot hold later events: choose the real export time as as_of."))
    hours = {k: (v - start) / pd.Timedelta(hours=1) for k, v in marks.items()}
    if as_of is not None and "resolved" not in hours:
        hours["still open at export"] = (export - start) / pd.Timedelta(hours=1)
    ax = new_axes(ax, (7.0, 2.6))
    rows = {"first_response": ("first response", 1), "resolution": ("resolved", 0)}
    for key, (event, y) in rows.items():
        reached = hours.get(event, hours.get("still open at export") if key == "resolution" else None)
        target = float(targets[key])
        if reached is not None:
            late = reached > target
            ax.barh(y, reached, color="C3" if late else "C2", height=0.5)
            ax.text(reached, y, _(" {hours:,.1f} h").format(hours=reached), va="center", fontsize=9)
        ax.plot([target, target], [y - 0.35, y + 0.35], color="black", linewidth=2)
        ax.text(target, y + 0.38, _("target {hours:g} h").format(hours=target), ha="center", fontsize=8)
    ax.set_yticks([0, 1], [_("resolution"), _("first response")])
    top = max([*hours.values(), *map(float, targets.values())], default=1.0)
    ax.set_xlim(0, top * 1.25)
    ax.set_ylim(-0.6, 1.8)
    ax.set_xlabel(_("clock hours since the ticket was opened"))
    ax.set_title(_("Ticket {ticket} ({severity} severity) against its SLA").format(
        ticket=ticket.get("ticket_id", ""), severity=label(str(ticket.get("severity", "")))))
    return finish(ax)


def recovery_plot(summary: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Share who bought again per handling group: raw rate with its 95 % interval and the adjusted rate.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``RecoveryOutcomes.summary`` of :func:`cvmlib.complaints.recovery_outcomes`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> s = pd.DataFrame({"rate": [0.8, 0.5], "ci_low": [0.7, 0.4], "ci_high": [0.9, 0.6],
    ...                   "adjusted_rate": [0.78, 0.5]}, index=["well resolved", "no complaint"])
    >>> len(recovery_plot(s).lines) >= 2
    True
    >>> plt.close("all")
    """
    require_table(summary, "summary (RecoveryOutcomes.summary)", ["rate", "ci_low", "ci_high", "adjusted_rate"])
    require_probability(summary["rate"], "rate", frame=summary)
    for col in ("ci_low", "ci_high", "adjusted_rate"):
        require_probability(summary[col], col, frame=summary, allow_missing=True)
    ax = new_axes(ax, (7.0, 3.6))
    y = np.arange(len(summary))
    rate = summary["rate"].to_numpy(dtype=float) * 100
    low = summary["ci_low"].to_numpy(dtype=float) * 100
    high = summary["ci_high"].to_numpy(dtype=float) * 100
    ax.errorbar(rate, y, xerr=[rate - low, high - rate], fmt="o", color="C0", capsize=3,
                label=_("raw rate (95 % interval)"))
    ax.plot(summary["adjusted_rate"].to_numpy(dtype=float) * 100, y, "D", color="C1",
            label=_("adjusted for recent purchases"))
    if "no complaint" in summary.index:
        ax.axvline(float(summary.loc["no complaint", "rate"]) * 100, color="grey", linestyle=":", linewidth=1)
    ax.set_yticks(y, [str(i) for i in labels(summary.index)])
    ax.invert_yaxis()
    ax.set_xlabel(_("% who ordered again within the window"))
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title(_("Later buying by how the first complaint was handled"))
    return finish(ax)
