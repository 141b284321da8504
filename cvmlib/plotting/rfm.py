"""Plots of the RFM chapter: the R x F score grid and the segment size/value bars."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from cvmlib.display import header, labels
from cvmlib.i18n import _
from cvmlib.plotting._axes import finish, new_axes
from cvmlib.validate import (
    as_series,
    require_finite,
    require_int,
    require_probability,
    require_same_ids,
    require_table,
    require_whole_number,
    require_within,
)

__all__ = ["rfm_heatmap", "segment_bars"]


def rfm_heatmap(
    scores: pd.DataFrame,
    value: pd.Series | None = None,
    ax: Axes | None = None,
    *,
    bins: int = 5,
) -> Axes:
    """Heat map of the R x F score grid, each cell annotated.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`cvmlib.rfm.rfm_scores` (integer columns ``R`` and ``F``).
    value : pandas.Series, optional
        A number per customer, aligned on the index of ``scores`` (e.g. ``rfm["monetary"]``).
        Given: each cell shows the mean value of its customers; ``None``: the number of customers.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    bins : int, default 5
        The number of score levels used for the scores.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes, with one image of ``bins x bins`` cells (rows R, columns F, R = bins at the
        top) and one text label per cell (empty cells show "-").

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> scores = pd.DataFrame({"R": [5, 5, 1], "F": [4, 4, 1]})
    >>> ax = rfm_heatmap(scores)
    >>> ax.images[0].get_array().shape, len(ax.texts)
    ((5, 5), 25)
    >>> [t.get_text() for t in ax.texts if t.get_text() != "-"]
    ['1', '2']
    >>> plt.close("all")
    """
    bins = require_int(bins, "bins", minimum=2)
    require_table(scores, "scores (from rfm_scores)", ["R", "F"])
    for col in ("R", "F"):
        require_whole_number(scores[col], col, frame=scores, columns=["R", "F"])
        require_within(scores[col], col, 1, bins, frame=scores, columns=["R", "F"],
                       fix="Pass bins= to match rfm_scores.")
    r = scores["R"].to_numpy(dtype=np.int64)
    f = scores["F"].to_numpy(dtype=np.int64)
    cell = (r - 1) * bins + (f - 1)
    counts = np.bincount(cell, minlength=bins * bins).reshape(bins, bins)
    if value is None:
        grid = counts.astype(float)
        what, fmt = _("customers"), "{:,.0f}"
    else:
        value = as_series(value, "value")
        # a number for every customer of scores (value may cover more customers)
        require_same_ids(scores.index, value.index, "scores", "value", subset=True)
        values = require_finite(value.reindex(scores.index), "value").to_numpy()
        sums = np.bincount(cell, weights=values, minlength=bins * bins).reshape(bins, bins)
        with np.errstate(invalid="ignore", divide="ignore"):
            grid = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        name = getattr(value, "name", None)
        what = _("mean {name}").format(name=header(name)) if name else _("mean value")
        fmt = "{:,.0f}"

    ax = new_axes(ax, (6.0, 5.0))
    image = ax.imshow(grid, origin="lower", cmap="YlGnBu", aspect="equal")
    ticks = np.arange(bins)
    ax.set_xticks(ticks, [str(t + 1) for t in ticks])
    ax.set_yticks(ticks, [str(t + 1) for t in ticks])
    ax.set_xlabel(_("F score (frequency)"))
    ax.set_ylabel(_("R score (recency; high = recent)"))
    finite = grid[np.isfinite(grid)]
    middle = (finite.min() + finite.max()) / 2 if finite.size else 0.0
    for i in range(bins):  # row: R - 1
        for j in range(bins):  # column: F - 1
            v = grid[i, j]
            empty = counts[i, j] == 0
            ax.text(
                j, i, "-" if empty else fmt.format(v), ha="center", va="center",
                color="white" if not empty and v > middle else "black", fontsize=9,
            )
    bar = ax.figure.colorbar(image, ax=ax, label=what)
    ax.set_title(_("RFM grid: {what} per cell").format(what=what))
    return finish(ax, bar.ax)


def segment_bars(summary: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Segment sizes next to their share of revenue, as paired horizontal bars.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`cvmlib.rfm.segment_summary` (needs ``customer_share`` and
        ``revenue_share``; one row per segment).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        Two bars per segment (share of customers, share of revenue, in percent), first segment
        at the top.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> summary = pd.DataFrame({"customer_share": [0.2, 0.8], "revenue_share": [0.6, 0.4]},
    ...                        index=pd.Index(["Champions", "Lost"], name="segment"))
    >>> ax = segment_bars(summary)
    >>> len(ax.patches), [t.get_text() for t in ax.get_yticklabels()]
    (4, ['Champions', 'Lost'])
    >>> plt.close("all")
    """
    require_table(summary, "summary (from segment_summary)", ["customer_share", "revenue_share"])
    for col in ("customer_share", "revenue_share"):
        require_probability(summary[col], col, frame=summary)
    names = [str(n) for n in labels(summary.index)]  # segment names as readers see them
    y = np.arange(len(names))
    height = 0.4
    ax = new_axes(ax, (7.0, 0.45 * len(names) + 1.5))
    ax.barh(y - height / 2, summary["customer_share"] * 100, height, label=_("share of customers"))
    ax.barh(y + height / 2, summary["revenue_share"] * 100, height, label=_("share of revenue"))
    ax.set_yticks(y, names)
    ax.invert_yaxis()  # first segment on top, as in the table
    ax.set_xlabel(_("% of total"))
    ax.legend(loc="lower right")
    ax.set_title(_("Segments: size vs value"))
    return finish(ax)
