"""Plots of the 4C chapter: the 4C audit heat map and the NPS distribution."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from cvmlib.fourc import FOUR_C_NAMES, FOUR_CS, NPS_GROUPS, nps, nps_groups
from cvmlib.display import header, labels
from cvmlib.i18n import _
from cvmlib.plotting._axes import finish, new_axes
from cvmlib.validate import require_table, require_within

__all__ = ["four_c_heatmap", "nps_distribution_plot"]


def four_c_heatmap(audit: pd.DataFrame, ratings: Sequence[str] = FOUR_CS, ax: Axes | None = None) -> Axes:
    """Mean 4C rating per group as a heat map, each group's weakest C boxed.

    Parameters
    ----------
    audit : pandas.DataFrame
        Output of :func:`cvmlib.fourc.four_c_audit` (one row per group, one mean per C).
    ratings : sequence of str, default :data:`cvmlib.fourc.FOUR_CS`
        The rating columns to show, in order.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        One row per group, one column per C, the mean written in each cell; colour scale 1..5
        centred on the middle of the scale (3).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> audit = pd.DataFrame({"cost": [2.9, 3.6], "convenience": [3.4, 3.1]}, index=["basic", "gold"])
    >>> ax = four_c_heatmap(audit, ratings=["cost", "convenience"])
    >>> ax.images[0].get_array().shape, len(ax.patches)
    ((2, 2), 2)
    >>> plt.close("all")
    """
    require_table(audit, "audit (from four_c_audit)", list(ratings))
    for rating in ratings:
        require_within(audit[rating], rating, 1, 5, frame=audit, columns=[rating],
                       fix=_("A mean rating lies on the 1..5 scale: is this a four_c_audit table?"))
    means = audit[list(ratings)].astype("float64")
    ax = new_axes(ax, (1.5 * len(ratings) + 2.5, 0.55 * len(means) + 1.6))
    image = ax.imshow(means.to_numpy(), cmap="RdYlGn", vmin=1.0, vmax=5.0, aspect="auto")
    for row, values in enumerate(means.to_numpy()):
        for col, value in enumerate(values):
            ax.text(col, row, f"{value:.2f}", ha="center", va="center", fontsize=9)
        weakest = int(np.argmin(values))  # first minimum, as weakest_c
        ax.add_patch(Rectangle((weakest - 0.48, row - 0.48), 0.96, 0.96, fill=False, edgecolor="black", linewidth=2))
    ax.set_xticks(np.arange(len(ratings)), [_(FOUR_C_NAMES[c]) if c in FOUR_C_NAMES else str(header(c))
                                            for c in ratings])
    ax.set_yticks(np.arange(len(means)), [str(i) for i in labels(means.index)])
    ax.set_ylabel(str(header(means.index.name)) if means.index.name else _("group"))
    bar = ax.figure.colorbar(image, ax=ax, label=_("mean rating (1-5)"))
    ax.set_title(_("4C audit: mean rating per group (box = weakest C)"))
    return finish(ax, bar.ax)


def nps_distribution_plot(scores: pd.Series, ax: Axes | None = None) -> Axes:
    """Answers to the recommendation question (0..10), coloured by detractor, passive, promoter.

    The title gives the NPS (% promoters - % detractors), so the chart shows why it is not the mean.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = nps_distribution_plot(pd.Series([10, 9, 7, 3]))
    >>> len(ax.patches), ax.get_title()
    (11, 'NPS = +25 (mean answer 7.2)')
    >>> plt.close("all")
    """
    groups = nps_groups(scores)
    counts = pd.Series(np.asarray(scores), dtype="int64").value_counts().reindex(range(11), fill_value=0)
    colours = {"detractor": "#c0392b", "passive": "#95a5a6", "promoter": "#1e8449"}
    ax = new_axes(ax, (7.0, 3.6))
    level = np.select([counts.index >= 9, counts.index >= 7], ["promoter", "passive"], default="detractor")
    ax.bar(counts.index, counts.to_numpy(), color=[colours[g] for g in level])
    handles = [Rectangle((0, 0), 1, 1, color=colours[g]) for g in NPS_GROUPS]
    plural = {"detractor": _("detractors ({share:.0%})"), "passive": _("passives ({share:.0%})"),
              "promoter": _("promoters ({share:.0%})")}
    ax.legend(handles, [plural[g].format(share=(groups == g).mean()) for g in NPS_GROUPS], loc="upper left")
    ax.set_xticks(range(11))
    ax.set_xlabel(_("How likely are you to recommend us? (0-10)"))
    ax.set_ylabel(_("respondents"))
    ax.set_title(_("NPS = {nps:+.0f} (mean answer {mean:.1f})").format(nps=nps(scores), mean=float(np.mean(scores))))
    return finish(ax)
