"""Plots of the value-matrix chapter: the Lorenz curve and the value matrix."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from cvmlib.display import label
from cvmlib.i18n import _
from cvmlib.plotting._axes import finish, new_axes
from cvmlib.validate import require_positive, require_probability

__all__ = ["lorenz_plot", "value_matrix_plot"]


def lorenz_plot(values: pd.Series, ax: Axes | None = None, *, top: float = 0.2) -> Axes:
    """Lorenz curve of the value with the line of equality and the top-``top`` share marked.

    Parameters
    ----------
    values : pandas.Series
        Non-negative value per customer (see :func:`cvmlib.value.lorenz_curve`).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    top : float, default 0.2
        Customer share whose value share is marked (the "20" of 80/20).

    Returns
    -------
    matplotlib.axes.Axes
        Two lines (Lorenz curve, equality) and one marker, axes in percent.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = lorenz_plot(pd.Series([1.0, 2.0, 7.0]))
    >>> len(ax.lines)
    3
    >>> plt.close("all")
    """
    from cvmlib.value import gini, lorenz_curve, top_share  # plotting sits on top of the topic module

    top = require_probability(top, "top", scalar=True)
    curve = lorenz_curve(values)
    ax = new_axes(ax, (5.5, 5.0))
    ax.plot(curve["population_share"] * 100, curve["value_share"] * 100,
            label=_("Lorenz curve (Gini {gini:.2f})").format(gini=gini(values)))
    ax.plot([0, 100], [0, 100], color="grey", linestyle="--", label=_("perfect equality"))
    share = top_share(values, top)
    ax.plot([(1 - top) * 100], [(1 - share) * 100], "o", color="C3",
            label=_("top {top:.0%} of customers: {share:.0%} of value").format(top=top, share=share))
    ax.set_xlabel(_("% of customers (smallest value first)"))
    ax.set_ylabel(_("% of value"))
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left")
    ax.set_title(_("Concentration of customer value"))
    return finish(ax)


def value_matrix_plot(
    current: pd.Series,
    potential: pd.Series,
    current_threshold: float,
    potential_threshold: float,
    ax: Axes | None = None,
) -> Axes:
    """Scatter of current x potential value, threshold lines, and each cell's name and size.

    The current-value axis is logarithmic (values must be positive there); thresholds are drawn
    where the :func:`cvmlib.value.value_matrix` rule puts them (``>=`` is high).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> cur = pd.Series({"a": 900.0, "b": 800.0, "c": 100.0, "d": 50.0})
    >>> pot = pd.Series({"a": 500.0, "b": 20.0, "c": 700.0, "d": 0.0})
    >>> ax = value_matrix_plot(cur, pot, 500, 300)
    >>> sorted(t.get_text().split("\\n")[0] for t in ax.texts)
    ['Basic', 'Develop', 'Key', 'Maintain']
    >>> plt.close("all")
    """
    from cvmlib.value import value_matrix

    cells = value_matrix(current, potential, current_threshold, potential_threshold)  # checks both first
    require_positive(current, "current", fix=_("value_matrix_plot draws current value on a log axis."))
    require_positive(current_threshold, "current_threshold", fix=_("It is drawn on a log axis."), scalar=True)
    ax = new_axes(ax, (6.5, 5.0))
    for code, name in enumerate(cells.cat.categories):
        chosen = (cells == name).to_numpy()
        ax.scatter(current[chosen], potential.reindex(current.index)[chosen], s=6, alpha=0.4, color=f"C{code}")
    ax.set_xscale("log")
    ax.axvline(current_threshold, color="black", linewidth=1)
    ax.axhline(potential_threshold, color="black", linewidth=1)
    counts = cells.value_counts()
    x_lo, x_hi = ax.get_xlim()
    y_lo, y_hi = ax.get_ylim()
    spots = {  # label position of each cell, in axes fractions along each axis
        "Key": (0.97, 0.97), "Maintain": (0.97, 0.03), "Develop": (0.03, 0.97), "Basic": (0.03, 0.03)}
    for name, (fx, fy) in zip(cells.cat.categories, spots.values()):
        ax.text(fx, fy, _("{cell}\n{n:,} customers").format(cell=label(name), n=int(counts[name])),
                transform=ax.transAxes,
                ha="right" if fx > 0.5 else "left", va="top" if fy > 0.5 else "bottom", fontsize=9,
                bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel(_("current value (CNY, log scale)"))
    ax.set_ylabel(_("potential value (CNY)"))
    ax.set_title(_("Customer value matrix"))
    return finish(ax)
