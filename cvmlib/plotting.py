"""Plots for the RFM chapter: the R x F heat map and the segment size/value bars.

matplotlib only. Every function draws on the ``ax`` it is given (or on a new figure) and returns
the Axes; nothing calls ``plt.show()``, so the functions work headless (Agg backend), in notebooks
and in the built book alike.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.lines import Line2D

from cvmlib.validate import InputError

__all__ = ["cluster_profile_heatmap", "cluster_projection", "lorenz_plot", "rfm_heatmap", "segment_bars", "value_matrix_plot"]


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    _, new_ax = plt.subplots(figsize=figsize)
    return new_ax


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
    if not isinstance(scores, pd.DataFrame) or not {"R", "F"} <= set(scores.columns):
        raise InputError("scores must be a DataFrame with columns 'R' and 'F' (from rfm_scores).")
    r = scores["R"].to_numpy(dtype=np.int64)
    f = scores["F"].to_numpy(dtype=np.int64)
    if len(r) and (min(r.min(), f.min()) < 1 or max(r.max(), f.max()) > bins):
        raise InputError(f"R and F must lie in 1..{bins}; pass bins= to match rfm_scores.")
    cell = (r - 1) * bins + (f - 1)
    counts = np.bincount(cell, minlength=bins * bins).reshape(bins, bins)
    if value is None:
        grid = counts.astype(float)
        label, fmt = "customers", "{:,.0f}"
    else:
        values = pd.Series(value).reindex(scores.index).to_numpy(dtype=np.float64)
        if np.isnan(values).any():
            raise InputError("value must have a number for every customer in scores (same index).")
        sums = np.bincount(cell, weights=values, minlength=bins * bins).reshape(bins, bins)
        with np.errstate(invalid="ignore", divide="ignore"):
            grid = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        label = f"mean {value.name}" if getattr(value, "name", None) else "mean value"
        fmt = "{:,.0f}"

    ax = _axes(ax, (6.0, 5.0))
    image = ax.imshow(grid, origin="lower", cmap="YlGnBu", aspect="equal")
    ticks = np.arange(bins)
    ax.set_xticks(ticks, [str(t + 1) for t in ticks])
    ax.set_yticks(ticks, [str(t + 1) for t in ticks])
    ax.set_xlabel("F score (frequency)")
    ax.set_ylabel("R score (recency; high = recent)")
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
    ax.figure.colorbar(image, ax=ax, label=label)
    ax.set_title(f"RFM grid: {label} per cell")
    return ax


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
    needed = {"customer_share", "revenue_share"}
    if not isinstance(summary, pd.DataFrame) or not needed <= set(summary.columns):
        raise InputError(
            "summary must be a DataFrame with columns 'customer_share' and 'revenue_share' "
            "(from segment_summary)."
        )
    names = [str(n) for n in summary.index]
    y = np.arange(len(names))
    height = 0.4
    ax = _axes(ax, (7.0, 0.45 * len(names) + 1.5))
    ax.barh(y - height / 2, summary["customer_share"] * 100, height, label="share of customers")
    ax.barh(y + height / 2, summary["revenue_share"] * 100, height, label="share of revenue")
    ax.set_yticks(y, names)
    ax.invert_yaxis()  # first segment on top, as in the table
    ax.set_xlabel("% of total")
    ax.legend(loc="lower right")
    ax.set_title("Segments: size vs value")
    return ax


# --------------------------------------------------------------------------------------------
# Customer value (chapter "Customer value matrix")
# --------------------------------------------------------------------------------------------
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

    curve = lorenz_curve(values)
    ax = _axes(ax, (5.5, 5.0))
    ax.plot(curve["population_share"] * 100, curve["value_share"] * 100, label=f"Lorenz curve (Gini {gini(values):.2f})")
    ax.plot([0, 100], [0, 100], color="grey", linestyle="--", label="perfect equality")
    share = top_share(values, top)
    ax.plot([(1 - top) * 100], [(1 - share) * 100], "o", color="C3",
            label=f"top {top:.0%} of customers: {share:.0%} of value")
    ax.set_xlabel("% of customers (smallest value first)")
    ax.set_ylabel("% of value")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left")
    ax.set_title("Concentration of customer value")
    return ax


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

    cells = value_matrix(current, potential, current_threshold, potential_threshold)
    if (current <= 0).any():
        raise InputError("value_matrix_plot draws current value on a log axis; all current values must be > 0.")
    ax = _axes(ax, (6.5, 5.0))
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
        ax.text(fx, fy, f"{name}\n{int(counts[name]):,} customers", transform=ax.transAxes,
                ha="right" if fx > 0.5 else "left", va="top" if fy > 0.5 else "bottom", fontsize=9,
                bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel("current value (CNY, log scale)")
    ax.set_ylabel("potential value (CNY)")
    ax.set_title("Customer value matrix")
    return ax


def cluster_profile_heatmap(features: pd.DataFrame, labels: pd.Series, ax: Axes | None = None) -> Axes:
    """Mean of each (scaled) feature per cluster: how each segment differs from the average customer.

    Parameters
    ----------
    features : pandas.DataFrame
        Scaled features (z-scores, from :func:`cvmlib.segment.scale_features`), one row per customer.
    labels : pandas.Series
        Cluster per customer, same index.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        One row per cluster, one column per feature, colour = mean z-score (0 = average customer).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> X = pd.DataFrame({"a": [-1.0, -1.0, 1.0, 1.0], "b": [0.5, -0.5, 0.5, -0.5]})
    >>> ax = cluster_profile_heatmap(X, pd.Series([0, 0, 1, 1]))
    >>> ax.images[0].get_array().shape
    (2, 2)
    >>> plt.close("all")
    """
    if not isinstance(features, pd.DataFrame) or not isinstance(labels, pd.Series) or len(labels) != len(features):
        raise InputError("features must be a DataFrame and labels a Series with one label per row.")
    means = features.groupby(labels.reindex(features.index).to_numpy()).mean()
    limit = float(np.nanmax(np.abs(means.to_numpy()))) or 1.0
    ax = _axes(ax, (0.55 * means.shape[1] + 2.5, 0.5 * means.shape[0] + 1.8))
    image = ax.imshow(means.to_numpy(), cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xticks(np.arange(means.shape[1]), [str(c) for c in means.columns], rotation=60, ha="right")
    ax.set_yticks(np.arange(means.shape[0]), [str(i) for i in means.index])
    ax.set_ylabel("cluster")
    ax.figure.colorbar(image, ax=ax, label="mean z-score")
    ax.set_title("Segment profiles (0 = average customer)")
    return ax


def cluster_projection(projection: pd.DataFrame, labels: pd.Series, ax: Axes | None = None) -> Axes:
    """Customers on the first two principal components, coloured by cluster.

    Parameters
    ----------
    projection : pandas.DataFrame
        Columns ``pc1``, ``pc2`` (from :func:`cvmlib.segment.pca_projection`).
    labels : pandas.Series
        Cluster (or any segment) per customer, same index.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        One scatter of all customers (colour = cluster, at most 10 distinct colours), with a legend.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> proj = pd.DataFrame({"pc1": [0.0, 1.0, 5.0], "pc2": [0.0, 1.0, 5.0]})
    >>> ax = cluster_projection(proj, pd.Series(["a", "a", "b"]))
    >>> len(ax.collections), [t.get_text() for t in ax.get_legend().get_texts()]
    (1, ['a', 'b'])
    >>> plt.close("all")
    """
    if not isinstance(projection, pd.DataFrame) or not {"pc1", "pc2"} <= set(projection.columns):
        raise InputError("projection must be a DataFrame with columns 'pc1' and 'pc2' (from pca_projection).")
    groups = labels.reindex(projection.index)
    names = pd.unique(groups.sort_values())
    codes = pd.Categorical(groups, categories=names).codes
    ax = _axes(ax, (6.5, 5.0))
    # one scatter call with a colour code per point: a live widget redraws this in tens of ms
    points = ax.scatter(projection["pc1"], projection["pc2"], c=codes, cmap="tab10", vmin=0, vmax=9,
                        s=6, alpha=0.6, edgecolors="none")  # no marker edges: half the draw time
    colours = [to_hex(rgba) for rgba in points.to_rgba(np.arange(len(names)))]
    handles = [Line2D([], [], marker="o", linestyle="", color=colour) for colour in colours]
    ratio = projection.attrs.get("explained_variance_ratio")
    suffix = [f" ({r:.0%} of variance)" for r in ratio] if ratio else ["", ""]
    ax.set_xticks([])  # components have no units worth reading, and tick text is most of the draw time
    ax.set_yticks([])
    ax.set_xlabel("first principal component" + suffix[0])
    ax.set_ylabel("second principal component" + suffix[1])
    # a fixed corner: loc="best" tests every point for overlap and doubles the redraw time
    ax.legend(handles, [str(name) for name in names], fontsize=8, loc="upper right")
    ax.set_title("Customers in two dimensions")
    return ax
