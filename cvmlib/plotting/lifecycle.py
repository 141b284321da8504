"""Plots of the lifecycle chapter: stage mix over time, transition heat map, breadth vs churn, KPI panels.

API summary (one example each; see :mod:`cvmlib.lifecycle` and :mod:`cvmlib.kpi` for the inputs)

* :func:`stage_mix_plot` -- stacked bars of the stages per snapshot: ``stage_mix_plot(stage_mix(orders, snaps))``.
* :func:`transition_heatmap` -- where each stage's customers went:
  ``transition_heatmap(stage_transitions(orders, snaps))``.
* :func:`breadth_churn_plot` -- churn by categories bought, raw and within order strata:
  ``breadth_churn_plot(breadth_churn(orders, truth, snapshot_date="2026-01-01"))``.
* :func:`kpi_plot` -- one small panel per KPI: ``kpi_plot(kpi_dashboard(orders, complaints, survey))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from cvmlib.display import header
from cvmlib.i18n import _
from cvmlib.plotting._axes import finish, new_axes
from cvmlib.plotting._fonts import font_families, register_fonts
from cvmlib.validate import InputError, require_bool, require_int, require_table

__all__ = ["STAGE_COLOURS", "breadth_churn_plot", "kpi_plot", "stage_mix_plot", "transition_heatmap"]

#: One colour per stage code: greens for growing customers, warm colours for leaving ones.
STAGE_COLOURS: dict[str, str] = {"new": "#9ecae1", "developing": "#74c476", "mature": "#238b45",
                                 "at_risk": "#fdae6b", "lapsed": "#d94801", "won_back": "#756bb1"}


def _stage_names(codes: Any) -> list[str]:
    """Display names of stage codes (and of "not_yet") in the language in force; other labels as they are."""
    from cvmlib.lifecycle import STAGE_LABELS

    return [_(STAGE_LABELS[str(c)]) if str(c) in STAGE_LABELS else str(c) for c in codes]


def _as_of(stamp: pd.Timestamp) -> str:
    """A snapshot as the last day it covers (a snapshot is the midnight after it)."""
    return f"{stamp - pd.Timedelta(days=1):%Y-%m-%d}" if stamp == stamp.normalize() else f"{stamp:%Y-%m-%d %H:%M}"


def stage_mix_plot(mix: pd.DataFrame, ax: Axes | None = None, *, shares: bool = True) -> Axes:
    """Stacked bars of the customers per stage on every snapshot.

    Parameters
    ----------
    mix : pandas.DataFrame
        Output of :func:`cvmlib.lifecycle.stage_mix` (snapshots x stage counts).
    ax : matplotlib.axes.Axes, optional
    shares : bool, default True
        True: each bar is 100 % (the mix); False: customer counts (the book grows too).

    Returns
    -------
    matplotlib.axes.Axes
        One bar container per stage; x labels are the last day each snapshot covers.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> mix = pd.DataFrame({"new": [3, 1], "mature": [0, 2]},
    ...                    index=pd.DatetimeIndex(["2025-07-01", "2026-01-01"], name="snapshot_date"))
    >>> ax = stage_mix_plot(mix)
    >>> len(ax.containers), [t.get_text() for t in ax.get_xticklabels()]
    (2, ['2025-06-30', '2025-12-31'])
    >>> plt.close("all")
    """
    from cvmlib.lifecycle import STAGES  # plotting sits on top of the topic module

    require_table(mix, "mix (from stage_mix)")
    require_bool(shares, "shares")
    unknown = [c for c in mix.columns if c not in STAGES]
    if unknown:
        raise InputError(_("mix has columns that are not stages: {unknown}; stages: {stages}.").format(
            unknown=unknown, stages=list(STAGES)))
    counts = mix[[s for s in STAGES if s in mix.columns]].astype(float)
    totals = counts.sum(axis=1)
    values = counts.div(totals.where(totals > 0, 1), axis=0) * 100 if shares else counts
    ax = new_axes(ax, (8.0, 4.5))
    x = np.arange(len(values))
    bottom = np.zeros(len(values))
    for stage, name in zip(values.columns, _stage_names(values.columns)):
        ax.bar(x, values[stage].to_numpy(), bottom=bottom, color=STAGE_COLOURS[stage], label=name, width=0.75)
        bottom += values[stage].to_numpy()
    ax.set_xticks(x, [_as_of(pd.Timestamp(s)) for s in values.index], rotation=30, ha="right")
    ax.set_xlabel(_("as of"))
    ax.set_ylabel(_("% of customers") if shares else _("customers"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title=_("stage"))
    ax.set_title(_("Lifecycle stage mix over time") if shares else _("Customers per lifecycle stage over time"))
    return finish(ax)


def transition_heatmap(transitions: pd.DataFrame, ax: Axes | None = None, *, shares: bool = True) -> Axes:
    """Heat map of the stage transitions: rows where customers were, columns where they went.

    Parameters
    ----------
    transitions : pandas.DataFrame
        The matrix of :func:`cvmlib.lifecycle.stage_transitions` (counts).
    ax : matplotlib.axes.Axes, optional
    shares : bool, default True
        Colour and annotate each row's shares (where each stage's customers went, %); False:
        the counts.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> moves = pd.DataFrame([[2, 0], [1, 3]], index=pd.Index(["new", "mature"], name="from_stage"),
    ...                      columns=pd.Index(["new", "mature"], name="to_stage"))
    >>> ax = transition_heatmap(moves)
    >>> [t.get_text() for t in ax.texts]
    ['100%', '0%', '25%', '75%']
    >>> plt.close("all")
    """
    require_table(transitions, "transitions (from stage_transitions)")
    require_bool(shares, "shares")
    counts = transitions.astype(float)
    sums = counts.sum(axis=1)
    grid = counts.div(sums.where(sums > 0, 1), axis=0).to_numpy() * 100 if shares else counts.to_numpy()
    ax = new_axes(ax, (7.0, 5.5))
    image = ax.imshow(grid, cmap="Blues", aspect="auto")
    ax.set_xticks(np.arange(grid.shape[1]), _stage_names(counts.columns), rotation=30, ha="right")
    ax.set_yticks(np.arange(grid.shape[0]), _stage_names(counts.index))
    top = float(np.nanmax(grid)) if grid.size else 0.0
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            text = f"{grid[i, j]:.0f}%" if shares else f"{grid[i, j]:,.0f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=8,
                    color="white" if grid[i, j] > top * 0.6 else "black")
    ax.set_xlabel(_("stage at the next snapshot"))
    ax.set_ylabel(_("stage at the snapshot before"))
    bar = ax.figure.colorbar(image, ax=ax, label=_("% of the row") if shares else _("customers"))
    ax.set_title(_("Stage transitions between snapshots"))
    return finish(ax, bar.ax)


def breadth_churn_plot(result: Any, ax: Axes | None = None, *, min_customers: int = 20) -> Axes:
    """Churn by number of categories bought: the raw line, and broad vs narrow within order strata.

    Left of the plot the raw churn rate per number of categories (with 95 % bars); the second
    series shows, per stratum of orders in the window, the churn of narrow (1 category) and
    broad buyers side by side, so the reader sees whether the raw gap survives.

    Parameters
    ----------
    result : cvmlib.lifecycle.BreadthChurn
        Output of :func:`cvmlib.lifecycle.breadth_churn`.
    ax : matplotlib.axes.Axes, optional
    min_customers : int, default 20
        A stratum's narrow or broad point is drawn only with at least this many customers (a
        rate of 3 customers is noise); the stratified difference still uses every stratum.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cvmlib.lifecycle import breadth_churn
    >>> orders = pd.DataFrame({"customer_id": list("aabbcc"), "order_id": list("123456"),
    ...                        "order_date": ["2024-01-05", "2024-02-01", "2024-01-10", "2024-03-01",
    ...                                       "2024-01-20", "2024-06-01"],
    ...                        "category": ["Home", "Beauty", "Home", "Home", "Home", "Sports"]})
    >>> r = breadth_churn(orders, definition="observed", snapshot_date="2025-01-01", window_days=90, churn_days=90)
    >>> ax = breadth_churn_plot(r)
    >>> len(ax.lines) >= 1
    True
    >>> plt.close("all")
    """
    from cvmlib.lifecycle import BreadthChurn

    if not isinstance(result, BreadthChurn):
        raise InputError(_("result must be the output of breadth_churn(...); got {type}.").format(
            type=type(result).__name__))
    ax = new_axes(ax, (8.0, 4.5))
    raw = result.raw
    positions = np.arange(len(raw))
    names = [str(k) if k < raw.index.max() or len(raw) == 1 else _("{k}+").format(k=k) for k in raw.index]
    ax.errorbar(positions, raw["churn_rate"] * 100, yerr=1.96 * raw["se"] * 100, marker="o", color="C3",
                linewidth=2, capsize=3,
                label=_("raw: difference {d:+.1f} points").format(d=100 * result.raw_difference))
    least = require_int(min_customers, "min_customers", minimum=1)
    strata = result.stratified["churn_rate"].where(result.stratified["customers"] >= least).unstack("broad")
    top_stratum = int(result.customers["stratum"].max())
    offset = len(raw) + 1
    xs = np.arange(len(strata)) + offset
    for column, colour, text in ((False, "C0", _("within strata: narrow")), (True, "C2", _("within strata: broad"))):
        if column in strata.columns:
            ax.plot(xs, strata[column].to_numpy() * 100, "s", color=colour, label=text)
    ax.plot([], [], " ", label=_("within strata: difference {d:+.1f} points (se {se:.1f})").format(
        d=100 * result.stratified_difference, se=100 * result.stratified_se))
    ax.set_xticks([*positions, *xs], [*names, *[(_("{n}+ orders") if n == top_stratum else _("{n} orders")).format(n=n)
                                         for n in strata.index]],
                  rotation=45, ha="right")
    ax.axvline(offset - 1, color="grey", linewidth=0.8)
    ax.set_ylabel(_("churn rate (%)"))
    ax.set_xlabel(_("categories bought in the first {days} days | orders in that window").format(
        days=result.window_days))
    ax.legend(loc="best", fontsize=8)
    ax.set_title(_("Churn by category breadth ({definition} churn)").format(
        definition=_("true") if result.definition == "truth" else _("observed")))
    return finish(ax)


def kpi_plot(dashboard: pd.DataFrame, columns: Sequence[str] | None = None, axes: Any = None) -> np.ndarray:
    """Small multiples: one line panel per KPI of :func:`cvmlib.kpi.kpi_dashboard`.

    Parameters
    ----------
    dashboard : pandas.DataFrame
        Output of :func:`cvmlib.kpi.kpi_dashboard`.
    columns : sequence of str, optional
        The KPIs to draw; default every KPI column present except ``orders`` and
        ``nps_responses``.
    axes : array of Axes, optional
        As many as ``columns``; default a new figure with three panels per row.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        One per KPI (unused panels of the grid are hidden).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> board = pd.DataFrame({"active_customers": [2, 3], "nps": pd.array([10.0, None], dtype="Float64")},
    ...                      index=pd.period_range("2025Q1", periods=2, freq="Q", name="period"))
    >>> len(kpi_plot(board))
    2
    >>> plt.close("all")
    """
    from cvmlib.kpi import KPI_COLUMNS

    require_table(dashboard, "dashboard (from kpi_dashboard)")
    chosen = (list(columns) if columns is not None else
              [c for c in KPI_COLUMNS if c in dashboard.columns and c not in ("orders", "nps_responses")])
    require_table(dashboard, "dashboard (from kpi_dashboard)", chosen)
    if not chosen:
        raise InputError(_("No KPI column to draw; columns: {columns}.").format(columns=list(dashboard.columns)))
    if axes is None:
        ncols = min(3, len(chosen))
        nrows = -(-len(chosen) // ncols)
        register_fonts()
        fig, grid = plt.subplots(nrows, ncols, figsize=(4.0 * ncols, 2.8 * nrows), squeeze=False)
        flat = grid.ravel()
        for spare in flat[len(chosen):]:
            spare.set_visible(False)
        panels = flat[:len(chosen)]
    else:
        panels = np.asarray(axes, dtype=object).ravel()
        if len(panels) != len(chosen):
            raise InputError(_("axes has {n} panels for {k} KPIs.").format(n=len(panels), k=len(chosen)))
        fig = panels[0].figure
    names = [str(p) for p in dashboard.index]
    x = np.arange(len(names))
    for panel, column in zip(panels, chosen):
        values = pd.to_numeric(dashboard[column], errors="coerce").astype("float64").to_numpy()
        panel.plot(x, values, marker="o", color="C0")
        panel.set_title(_(KPI_COLUMNS[column]) if column in KPI_COLUMNS else header(column), fontsize=10)
        panel.set_xticks(x, names, rotation=45, ha="right", fontsize=8)
        if column == "retention_rate":
            panel.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _pos: f"{v:.0%}"))
        elif column in ("revenue", "active_customers", "new_customers", "orders", "clv_12m"):
            panel.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _pos: f"{v:,.0f}"))  # no "1e6" offset
        panel.grid(alpha=0.3)
        finish(panel)
    fig.suptitle(_("Customer KPIs per period"), fontfamily=font_families())
    fig.tight_layout()
    return np.asarray(panels, dtype=object)
