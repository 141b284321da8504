"""Plots of the CLV chapter: cohort retention, the simple-CLV build-up, the BTYD validation plots and
the BTYD models' frequency x recency matrices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import StepPatch

from cvmlib.display import label
from cvmlib.i18n import _
from cvmlib.plotting._axes import finish, new_axes
from cvmlib.validate import (
    InputError,
    as_series,
    require_bool,
    require_finite,
    require_int,
    require_non_negative,
    require_numeric_table,
    require_positive,
    require_probability,
    require_same_ids,
    require_table,
    require_whole_number,
)

if TYPE_CHECKING:
    from cvmlib.clv import PurchaseModel


def _retention(retention: Any) -> pd.DataFrame:
    """A cohort retention table: non-empty, shares in [0, 1], NaN only for unobserved cells."""
    require_table(retention, "retention (from cohort_retention)")
    for col in retention.columns:  # "column 3 of retention": the column labels are ages
        require_probability(retention[col], f"column {col!r} of retention", allow_missing=True)
    return retention

__all__ = ["cohort_heatmap", "retention_curves_plot", "clv_cumulative_plot", "update_clv_cumulative_plot",
           "period_transactions_plot", "calibration_holdout_plot", "tracking_plot", "frequency_recency_matrix_plot",
           "p_alive_matrix_plot"]


def cohort_heatmap(retention: pd.DataFrame, ax: Axes | None = None, *, sizes: pd.Series | None = None) -> Axes:
    """Heat map of a cohort retention table (cohorts down, periods since the first purchase across).

    Unobserved cells (NaN) stay blank, so the triangle of young cohorts is visible as such.

    Parameters
    ----------
    retention : pandas.DataFrame
        Output of :func:`cvmlib.cohorts.cohort_retention` (shares in [0, 1]).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    sizes : pandas.Series, optional
        Cohort sizes (column ``0`` of :func:`cvmlib.cohorts.cohort_counts`), shown beside each
        cohort's label: a share of 40 % means little for a cohort of five customers.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> table = pd.DataFrame({0: [1.0, 1.0], 1: [0.5, np.nan]}, index=["2024-01", "2024-02"])
    >>> ax = cohort_heatmap(table)
    >>> ax.images[0].get_array().shape, [t.get_text() for t in ax.get_yticklabels()]
    ((2, 2), ['2024-01', '2024-02'])
    >>> ax = cohort_heatmap(table, sizes=pd.Series([120, 8], index=table.index))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['2024-01 (n=120)', '2024-02 (n=8)']
    >>> plt.close("all")
    """
    _retention(retention)
    if sizes is not None:
        sizes = as_series(sizes, "sizes")
        require_same_ids(retention.index, sizes.index, "retention", "sizes", subset=True)
        sizes = require_whole_number(sizes.reindex(retention.index), "sizes", minimum=0)
    ax = new_axes(ax, (8.0, 0.25 * len(retention) + 2.0))
    values = np.ma.masked_invalid(retention.to_numpy(dtype=float) * 100)
    image = ax.imshow(values, aspect="auto", cmap="Blues", vmin=0, vmax=100, interpolation="nearest")
    bar = ax.figure.colorbar(image, ax=ax, label=_("% of the cohort buying"))
    labels = [str(cohort) for cohort in retention.index]
    if sizes is not None:
        labels = [f"{cohort} (n={int(n):,})" for cohort, n in zip(labels, sizes)]
    ax.set_yticks(range(len(retention)), labels)
    step = max(1, len(retention.columns) // 12)
    ax.set_xticks(range(0, len(retention.columns), step), [str(c) for c in retention.columns[::step]])
    ax.set_xlabel(_("periods since the first purchase"))
    ax.set_ylabel(_("cohort (period of the first purchase)"))
    ax.set_title(_("Cohort retention"))
    return finish(ax, bar.ax)


def retention_curves_plot(retention: pd.DataFrame, curve: pd.Series | None = None, ax: Axes | None = None,
                          *, every: int = 3) -> Axes:
    """Retention curves: one thin line per ``every``-th cohort, and the average curve in bold.

    Parameters
    ----------
    retention : pandas.DataFrame
        Output of :func:`cvmlib.cohorts.cohort_retention`.
    curve : pandas.Series, optional
        Output of :func:`cvmlib.cohorts.retention_curve` (size-weighted average), drawn in bold.
    every : int, default 3
        Draw every ``every``-th cohort, to keep the picture readable.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> table = pd.DataFrame({0: [1.0, 1.0], 1: [0.5, np.nan]}, index=["2024-01", "2024-02"])
    >>> len(retention_curves_plot(table, pd.Series([1.0, 0.5]), every=1).lines)
    3
    >>> plt.close("all")
    """
    _retention(retention)
    every = require_int(every, "every", minimum=1)
    if curve is not None:
        curve = require_probability(as_series(curve, "curve"), "curve")
    ax = new_axes(ax, (7.0, 4.5))
    shown = retention.iloc[::max(1, every)]
    colours = plt.get_cmap("viridis")(np.linspace(0, 0.9, len(shown)))
    for colour, (cohort, row) in zip(colours, shown.iterrows()):
        ax.plot(row.index, row.to_numpy(dtype=float) * 100, color=colour, linewidth=1, alpha=0.8,
                label=str(label(cohort)))
    if curve is not None:
        ax.plot(curve.index, curve.to_numpy(dtype=float) * 100, color="black", linewidth=2.5,
                label=_("all cohorts (weighted)"))
    ax.set_ylim(0, 105)
    ax.set_xlabel(_("periods since the first purchase"))
    ax.set_ylabel(_("% of the cohort buying"))
    ax.legend(fontsize=7, ncol=2, loc="upper right")
    ax.set_title(_("Retention curves by cohort"))
    return finish(ax)


def clv_cumulative_plot(margin: float, retention: float, discount: float, horizon: int,
                        ax: Axes | None = None, *, legend: bool = True) -> Axes:
    """Discounted expected margin per period (bars) and its running total (line) for the simple model.

    Period ``t`` contributes ``margin * retention**t / (1 + discount)**t``; the dashed line is the
    value over an unlimited lifetime, ``margin * retention / (1 + discount - retention)``. All
    three rates must be per period (the unit of ``horizon``). ``legend=False`` leaves the legend
    to the caller (a live widget explains the lines once in HTML instead of redrawing the text).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = clv_cumulative_plot(100.0, 0.8, 0.1, 5)
    >>> ax.patches[0].get_data().values.round(2).tolist()  # each period's discounted margin
    [72.73, 52.89, 38.47, 27.98, 20.35]
    >>> round(float(ax.lines[0].get_ydata()[-1]), 2)  # their running total after 5 periods
    212.41
    >>> plt.close("all")
    """
    horizon = require_int(horizon, "horizon", minimum=1)
    require_finite(margin, "margin", scalar=True)
    require_probability(retention, "retention", scalar=True)
    require_finite(discount, "discount", scalar=True)
    require_bool(legend, "legend")
    ax = new_axes(ax, (7.0, 4.0))
    ax.plot([], [], color="C1", marker="o", markersize=3, label=_("cumulative CLV"))
    # one filled step patch instead of one rectangle per period: redraws stay fast at 120 periods
    ax.stairs([0.0], [0.5, 1.5], fill=True, color="C0", alpha=0.6,
              label=_("discounted expected margin of the period"))
    ax.axhline(0.0, color="grey", linestyle="--")
    ax.set_xlabel(_("period t"))
    ax.set_ylabel(_("value"))
    update_clv_cumulative_plot(ax, margin, retention, discount, int(horizon))
    if legend:
        ax.legend(loc="center right", fontsize=8)
    return finish(ax)


def update_clv_cumulative_plot(ax: Axes, margin: float, retention: float, discount: float, horizon: int) -> Axes:
    """Move the marks of a :func:`clv_cumulative_plot` to new inputs, without rebuilding the Axes.

    A live widget calls this on every slider move: moving three artists creates far less garbage
    (and fewer collector pauses) than clearing and redrawing the whole Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = update_clv_cumulative_plot(clv_cumulative_plot(100.0, 0.8, 0.1, 5), 100.0, 0.9, 0.1, 3)
    >>> ax.patches[0].get_data().values.round(2).tolist(), ax.get_title()
    ([81.82, 66.94, 54.77], 'CLV after 3 periods: 204')
    >>> plt.close("all")
    """
    from cvmlib.clv import simple_clv, simple_clv_buildup  # plotting sits on top of the topic module

    buildup = simple_clv_buildup(margin, retention, discount, horizon)
    total = float(simple_clv(margin, retention, discount))
    cumulative, unlimited = ax.lines[0], ax.lines[1]
    cumulative.set_data(buildup.index.to_numpy(), buildup["cumulative"].to_numpy())
    bars = cast(StepPatch, ax.patches[0])
    bars.set_data(values=buildup["discounted_margin"].to_numpy(), edges=np.arange(0.5, horizon + 1))
    unlimited.set_ydata([total, total])
    unlimited.set_label(_("unlimited horizon: {value:,.0f}").format(value=total))
    ax.relim()
    ax.autoscale_view()
    ax.set_title(_("CLV after {n} periods: {value:,.0f}").format(n=horizon, value=buildup["cumulative"].iloc[-1]))
    return ax


def period_transactions_plot(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Customers by number of repeat purchases in the calibration period, observed and model (bars).

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`cvmlib.holdout.period_transactions` (columns ``actual``, ``model``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> table = pd.DataFrame({"actual": [5.0, 3.0], "model": [4.5, 3.5]}, index=["0", "1+"])
    >>> len(period_transactions_plot(table).patches)
    4
    >>> plt.close("all")
    """
    require_numeric_table(table, "table (from period_transactions)", ["actual", "model"])
    require_non_negative(table["actual"], "actual", frame=table)
    require_non_negative(table["model"], "model", frame=table)
    ax = new_axes(ax, (7.0, 4.0))
    x = np.arange(len(table))
    ax.bar(x - 0.2, table["actual"], width=0.4, label=_("actual"), color="C0")
    ax.bar(x + 0.2, table["model"], width=0.4, label=_("model"), color="C1")
    ax.set_xticks(x, [str(group) for group in table.index])
    ax.set_xlabel(_("repeat purchases in the calibration period"))
    ax.set_ylabel(_("customers"))
    ax.legend()
    ax.set_title(_("Frequency of repeat purchases: actual vs model"))
    return finish(ax)


def calibration_holdout_plot(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Mean holdout purchases by calibration repeat purchases: actual and model (lines).

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`cvmlib.holdout.calibration_holdout` (``actual``, ``model``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> table = pd.DataFrame({"customers": [9, 3], "actual": [0.2, 1.5], "model": [0.25, 1.4]}, index=["0", "1+"])
    >>> len(calibration_holdout_plot(table).lines)
    2
    >>> plt.close("all")
    """
    require_table(table, "table (from calibration_holdout)", ["actual", "model"])
    for col in ("actual", "model"):  # NaN: a group without customers (drawn as a gap)
        require_non_negative(table[col], col, frame=table, allow_missing=True)
    ax = new_axes(ax, (7.0, 4.0))
    x = np.arange(len(table))
    ax.plot(x, table["actual"], marker="o", label=_("actual"), color="C0")
    ax.plot(x, table["model"], marker="s", linestyle="--", label=_("model"), color="C1")
    ax.set_xticks(x, [str(group) for group in table.index])
    ax.set_xlabel(_("repeat purchases in the calibration period"))
    ax.set_ylabel(_("mean purchases in the holdout period"))
    ax.legend()
    ax.set_title(_("Calibration vs holdout"))
    return finish(ax)


def tracking_plot(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Cumulative repeat purchases over time, actual and model, with the end of calibration marked.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`cvmlib.holdout.cumulative_tracking` (``actual``, ``model``, ``holdout``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> days = pd.date_range("2024-01-07", periods=3, freq="7D")
    >>> table = pd.DataFrame({"actual": [1.0, 3.0, 4.0], "model": [1.2, 2.5, 4.1],
    ...                       "holdout": [False, False, True]}, index=days)
    >>> len(tracking_plot(table).lines)
    3
    >>> plt.close("all")
    """
    require_numeric_table(table, "table (from cumulative_tracking)", ["actual", "model"])
    require_bool(table["holdout"] if "holdout" in table.columns else None, "holdout", frame=table)
    for col in ("actual", "model"):
        require_non_negative(table[col], col, frame=table)
    ax = new_axes(ax, (7.5, 4.0))
    ax.plot(table.index, table["actual"], label=_("actual"), color="C0")
    ax.plot(table.index, table["model"], linestyle="--", label=_("model"), color="C1")
    if table["holdout"].any():
        ax.axvline(table.index[~table["holdout"].to_numpy()][-1], color="grey", linestyle=":",
                   label=_("end of calibration"))
    ax.set_xlabel(_("period end"))
    ax.tick_params(axis="x", labelrotation=30)
    ax.set_ylabel(_("cumulative repeat purchases"))
    ax.legend()
    ax.set_title(_("Tracking cumulative repeat purchases"))
    return finish(ax)


def _fr_grid(model: PurchaseModel, T: Any, max_frequency: Any, recency_steps: Any) -> tuple[float, int, np.ndarray,
                                                                                    np.ndarray, np.ndarray]:
    """Checked inputs of the matrix plots and the valid cells of the frequency x recency grid.

    Rows are frequencies 0..max_frequency, columns recencies ``T * j / recency_steps``; only the
    cells a customer can have are computed: frequency 0 with recency 0, frequency >= 1 with
    recency > 0 (the BTYD summary's rules).
    """
    from cvmlib.clv import PurchaseModel  # plotting sits on top of the topic module

    if not isinstance(model, PurchaseModel):
        raise InputError(_("model must be a fitted BetaGeo or ParetoNBD (from cvmlib.clv), got {kind}.").format(
            kind=type(model).__name__))
    big_t = float(require_positive(T, "T", scalar=True, fix=_(
        "T is the customers' observation time (first purchase to the end of the data), in the fit's time unit.")))
    max_f = require_int(max_frequency, "max_frequency", minimum=1, maximum=10_000)
    steps = require_int(recency_steps, "recency_steps", minimum=1, maximum=2_000)
    recency = big_t * np.arange(steps + 1) / steps
    freq = np.arange(max_f + 1, dtype=float)
    f_grid, r_grid = np.meshgrid(freq, recency, indexing="ij")
    valid = (f_grid == 0) == (r_grid == 0)
    return big_t, steps, f_grid, r_grid, valid


def _matrix(ax: Axes, values: np.ndarray, big_t: float, steps: int, max_f: int, *, cmap: str,
            vmin: float | None, vmax: float | None, bar_label: str) -> Any:
    step = big_t / steps
    image = ax.imshow(np.ma.masked_invalid(values), origin="lower", aspect="auto", cmap=cmap, vmin=vmin,
                      vmax=vmax, interpolation="nearest",
                      extent=(-step / 2, big_t + step / 2, -0.5, max_f + 0.5))
    bar = ax.figure.colorbar(image, ax=ax, label=bar_label)
    ax.set_xlabel(_("recency: time from the first to the last purchase (the fit's time unit)"))
    ax.set_ylabel(_("frequency: repeat purchases"))
    return bar


def frequency_recency_matrix_plot(model: PurchaseModel, T: float, t: float = 1.0, ax: Axes | None = None, *,
                                  max_frequency: int = 20, recency_steps: int = 40) -> Axes:
    """Expected purchases in the next ``t`` by a customer's frequency and recency (heat map).

    Every cell is a customer observed for ``T`` (first purchase to the end of the data) with
    that frequency and recency: ``model.expected_purchases(t, frequency, recency, T)``. Cells a
    customer cannot have (frequency 0 with recency > 0, frequency > 0 with recency 0) stay
    blank. Read it with :func:`p_alive_matrix_plot`: customers who bought often but long ago
    (upper left) are expected to buy little.

    Parameters
    ----------
    model : BetaGeo or ParetoNBD
        A fitted purchase model of :mod:`cvmlib.clv`.
    T : float
        The customers' observation time, in the fit's time unit (e.g. 52 weeks).
    t : float, default 1.0
        The horizon of the prediction, in the fit's time unit.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    max_frequency : int, default 20
        The largest frequency shown (rows 0..max_frequency).
    recency_steps : int, default 40
        Recency columns ``0, T/recency_steps, ..., T``.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes, with one image of ``(max_frequency + 1) x (recency_steps + 1)`` cells
        (frequency up, recency across) and a colour bar.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cvmlib.clv import BetaGeo
    >>> bg = BetaGeo()
    >>> bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # CDNOW, weeks
    >>> ax = frequency_recency_matrix_plot(bg, T=39, t=52, max_frequency=10, recency_steps=13)
    >>> cells = ax.images[0].get_array()
    >>> cells.shape, round(float(cells[10, 13]), 2), bool(cells.mask[0, 5])  # x=10 bought last at T; x=0, recency>0
    ((11, 14), 8.52, True)
    >>> plt.close("all")
    """
    big_t, steps, f_grid, r_grid, valid = _fr_grid(model, T, max_frequency, recency_steps)
    step = float(require_positive(t, "t", scalar=True, fix=_("t is the horizon of the prediction, in the fit's "
                                                             "time unit.")))
    values = np.full(f_grid.shape, np.nan)
    values[valid] = model.expected_purchases(step, f_grid[valid], r_grid[valid], np.full(valid.sum(), big_t))
    ax = new_axes(ax, (7.5, 5.0))
    bar = _matrix(ax, values, big_t, steps, int(f_grid[-1, 0]), cmap="viridis", vmin=0.0, vmax=None,
                  bar_label=_("expected purchases"))
    ax.set_title(_("Expected purchases in the next {t:g} time units, by frequency and recency (T = {T:g})").format(
        t=step, T=big_t))
    return finish(ax, bar.ax)


def p_alive_matrix_plot(model: PurchaseModel, T: float, ax: Axes | None = None, *, future_t: float = 0.0,
                        max_frequency: int = 20, recency_steps: int = 40) -> Axes:
    """Probability that a customer is still alive, by frequency and recency (heat map).

    Every cell is ``model.p_alive(frequency, recency, T, future_t=future_t)`` for a customer
    observed for ``T``; impossible cells stay blank (see
    :func:`frequency_recency_matrix_plot`). The lower right (recent buyers) is alive; frequent
    buyers who have been silent for long (upper left) are the ones most likely gone -- under
    BG/NBD a customer without repeat purchases is alive by construction (P = 1 at ``future_t=0``).

    Parameters
    ----------
    model : BetaGeo or ParetoNBD
        A fitted purchase model of :mod:`cvmlib.clv`.
    T : float
        The customers' observation time, in the fit's time unit.
    future_t : float, default 0.0
        Alive this long after ``T`` (0: now, at the end of the data).
    max_frequency, recency_steps : int
        The grid, as in :func:`frequency_recency_matrix_plot`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cvmlib.clv import BetaGeo
    >>> bg = BetaGeo()
    >>> bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> cells = p_alive_matrix_plot(bg, T=39, max_frequency=10, recency_steps=13).images[0].get_array()
    >>> round(float(cells[0, 0]), 3), round(float(cells[10, 1]), 3), round(float(cells[10, 13]), 3)
    (1.0, 0.0, 0.935)
    >>> plt.close("all")
    """
    big_t, steps, f_grid, r_grid, valid = _fr_grid(model, T, max_frequency, recency_steps)
    later = float(require_non_negative(future_t, "future_t", scalar=True))
    values = np.full(f_grid.shape, np.nan)
    values[valid] = model.p_alive(f_grid[valid], r_grid[valid], np.full(valid.sum(), big_t), future_t=later)
    ax = new_axes(ax, (7.5, 5.0))
    bar = _matrix(ax, values, big_t, steps, int(f_grid[-1, 0]), cmap="RdYlGn", vmin=0.0, vmax=1.0,
                  bar_label=_("P(alive)"))
    if later > 0:
        title = _("Probability of being alive {t:g} time units after the end of the data, by frequency and recency "
                  "(T = {T:g})").format(t=later, T=big_t)
    else:
        title = _("Probability of being alive at the end of the data, by frequency and recency (T = {T:g})").format(
            T=big_t)
    ax.set_title(title)
    return finish(ax, bar.ax)
