"""Plots of the segmentation chapter: cluster profiles and a 2-D projection."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.lines import Line2D

from cvmlib.display import header
from cvmlib.display import labels as shown_labels
from cvmlib.i18n import _
from cvmlib.plotting._axes import finish, new_axes
from cvmlib.validate import as_series, require_numeric_table, require_present, require_same_ids, require_unique

__all__ = ["cluster_profile_heatmap", "cluster_projection"]


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
    require_numeric_table(features, "features")
    labels = require_present(as_series(labels, "labels"), "labels", what="a cluster")
    require_unique(labels.index, "the index of labels", what="customer id")
    require_same_ids(features.index, labels.index, "features", "labels")
    means = features.groupby(labels.reindex(features.index).to_numpy()).mean()
    limit = float(np.nanmax(np.abs(means.to_numpy()))) or 1.0
    ax = new_axes(ax, (0.55 * means.shape[1] + 2.5, 0.5 * means.shape[0] + 1.8))
    image = ax.imshow(means.to_numpy(), cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xticks(np.arange(means.shape[1]), [str(header(c)) for c in means.columns], rotation=60, ha="right")
    ax.set_yticks(np.arange(means.shape[0]), [str(i) for i in shown_labels(means.index)])
    ax.set_ylabel(_("cluster"))
    bar = ax.figure.colorbar(image, ax=ax, label=_("mean z-score"))
    ax.set_title(_("Segment profiles (0 = average customer)"))
    return finish(ax, bar.ax)


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
    require_numeric_table(projection, "projection (from pca_projection)", ["pc1", "pc2"])
    labels = require_present(as_series(labels, "labels"), "labels", what="a cluster")
    require_unique(labels.index, "the index of labels", what="customer id")
    # every customer of the projection needs a label (labels may cover more customers)
    require_same_ids(projection.index, labels.index, "projection", "labels", subset=True)
    groups = labels.reindex(projection.index)
    names = pd.unique(groups.sort_values())
    codes = pd.Categorical(groups, categories=names).codes
    ax = new_axes(ax, (6.5, 5.0))
    # one scatter call with a colour code per point: a live widget redraws this in tens of ms
    points = ax.scatter(projection["pc1"], projection["pc2"], c=codes, cmap="tab10", vmin=0, vmax=9,
                        s=6, alpha=0.6, edgecolors="none")  # no marker edges: half the draw time
    colours = [to_hex(rgba) for rgba in points.to_rgba(np.arange(len(names)))]
    handles = [Line2D([], [], marker="o", linestyle="", color=colour) for colour in colours]
    ratio = projection.attrs.get("explained_variance_ratio")
    ax.set_xticks([])  # components have no units worth reading, and tick text is most of the draw time
    ax.set_yticks([])
    if ratio:
        ax.set_xlabel(_("first principal component ({share:.0%} of variance)").format(share=ratio[0]))
        ax.set_ylabel(_("second principal component ({share:.0%} of variance)").format(share=ratio[1]))
    else:
        ax.set_xlabel(_("first principal component"))
        ax.set_ylabel(_("second principal component"))
    # a fixed corner: loc="best" tests every point for overlap and doubles the redraw time
    ax.legend(handles, [str(name) for name in shown_labels(names)], fontsize=8, loc="upper right")
    ax.set_title(_("Customers in two dimensions"))
    return finish(ax)
