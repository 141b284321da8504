"""RFM explorer: move two business cut points (or switch to quantiles), see segments and value share.

Why it is built this way: every slider move redraws one persistent figure, kept out of pyplot, and
sends its PNG to an ``Image`` widget; the table goes to an ``HTML`` widget. The first version drew
with ``plt.subplots`` + ``plt.show()`` inside an ``Output`` widget, and in JupyterLab 4.6 with
ipykernel 7 the chart went blank: comm messages are handled on two threads (the main shell and a
kernel subshell), every comm message runs the inline backend's ``flush_figures``, and that shows and
then closes *every* pyplot figure, so the other thread displayed or closed the half-drawn figure
(a white PNG of about 2 kB, or a cropped one). A figure pyplot does not know cannot be shown or
closed by anyone else, and a lock keeps two moves from drawing on it at once.
Run in notebook view (ipywidgets do not render inside RISE slides).
"""

from __future__ import annotations

import threading

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from cvmlib.display import labels, show
from cvmlib.i18n import N_, _
from cvmlib.plotting import segment_bars
from cvmlib.rfm import rfm_scores, rfm_segments, segment_summary
from cvmlib.validate import require_int
from cvmlib.widgets.views import ExplorerBox, LivePicture, table_html

__all__ = ["rule_cut_points", "explorer_summary", "fitted_margins", "rfm_explorer_html", "rfm_explorer_png",
           "rfm_explorer"]

#: Size of the explorer's chart: inches and dots per inch (screen resolution keeps each PNG light).
FIGSIZE, DPI = (8.0, 3.6), 80

#: What the bar colours mean (matplotlib's first two colours), said once under the chart.
KEY_HTML = N_("<small><span style='color:#1f77b4'>&#9632;</span> share of customers &nbsp; "
              "<span style='color:#ff7f0e'>&#9632;</span> share of revenue</small>")


def rule_cut_points(recency_days: int, orders_for_top: int) -> dict[str, list[float]]:
    """Fixed RFM cut points from two business parameters.

    R = 5 for a purchase within ``recency_days``, then 3x, 6x and 12x that many days for R = 4, 3
    and 2 (so 30 gives the common 30/90/180/360-day rule). F = 5 from ``orders_for_top`` orders,
    with geometrically spaced edges below it.

    Examples
    --------
    >>> rule_cut_points(30, 8)
    {'recency': [30.0, 90.0, 180.0, 360.0], 'frequency': [1.0, 2.0, 4.0, 7.0]}
    """
    recency_days = require_int(recency_days, "recency_days", minimum=1)
    orders_for_top = require_int(orders_for_top, "orders_for_top", minimum=5)  # four distinct F edges
    frequency = np.round(np.geomspace(1, orders_for_top - 1, 4))
    for i in range(1, 4):  # rounding may merge edges; keep them strictly increasing
        frequency[i] = max(frequency[i], frequency[i - 1] + 1)
    return {
        "recency": [float(recency_days * k) for k in (1, 3, 6, 12)],
        "frequency": [float(edge) for edge in frequency],
    }


def explorer_summary(rfm: pd.DataFrame, recency_days: int, orders_for_top: int, quantiles: bool) -> pd.DataFrame:
    """Segment sizes and value shares under quantile scores or the business rule of the sliders.

    Examples
    --------
    >>> rfm = pd.DataFrame({"recency": [3, 50, 200, 400], "frequency": [9, 3, 2, 1],
    ...                     "monetary": [900.0, 300.0, 150.0, 50.0]}, index=list("ABCD"))
    >>> table = explorer_summary(rfm, 30, 8, quantiles=False)
    >>> int(table.loc["Champions", "customers"]), float(round(table["revenue_share"].sum(), 6))
    (1, 1.0)
    """
    cut_points = None if quantiles else rule_cut_points(recency_days, orders_for_top)
    segments = rfm_segments(rfm_scores(rfm, cut_points=cut_points))
    return segment_summary(rfm, segments)


def rfm_explorer_html(summary: pd.DataFrame) -> str:
    """The explorer's table for one slider position: customers and the two shares, in percent.

    Examples
    --------
    >>> summary = pd.DataFrame({"customers": [2, 8], "customer_share": [0.2, 0.8], "revenue_share": [0.6, 0.4]},
    ...                        index=pd.Index(["Champions", "Lost"], name="segment"))
    >>> html = rfm_explorer_html(summary)
    >>> "Champions" in html, "60.0%" in html, "<table" in html
    (True, True, True)
    """
    shown = summary[["customers", "customer_share", "revenue_share"]]
    return table_html(show(shown, format={"customer_share": "{:.1%}", "revenue_share": "{:.1%}"}))


def fitted_margins(figsize: tuple[float, float], dpi: float, summary: pd.DataFrame) -> dict[str, float]:
    """Subplot margins that fit the segment bars of ``summary`` on a figure of this size.

    Fitted on a scratch figure: a layout engine left on the explorer's figure would cost a second
    draw on every slider move.

    Examples
    --------
    >>> summary = pd.DataFrame({"customer_share": [0.2, 0.8], "revenue_share": [0.6, 0.4]},
    ...                        index=pd.Index(["A rather long segment name", "Lost"], name="segment"))
    >>> margins = fitted_margins(FIGSIZE, DPI, summary)
    >>> 0.2 < margins["left"] < 0.5 < margins["right"] <= 1.0
    True
    """
    scratch = Figure(figsize=figsize, dpi=dpi)
    segment_bars(summary, ax=scratch.add_subplot())
    scratch.tight_layout()
    params = scratch.subplotpars
    return {side: float(getattr(params, side)) for side in ("left", "right", "top", "bottom")}


def rfm_explorer_png(picture: LivePicture, summary: pd.DataFrame) -> bytes:
    """Redraw the explorer's chart for one slider position; its PNG bytes.

    The first call (or one with other segments) draws the whole chart and keeps its fixed parts
    (segment names, title, frame); later calls move the bar ends and the x axis only. The key
    (which colour is which share) is :data:`KEY_HTML`, shown under the picture.

    Examples
    --------
    >>> summary = pd.DataFrame({"customer_share": [0.2, 0.8], "revenue_share": [0.6, 0.4]},
    ...                        index=pd.Index(["Champions", "Lost"], name="segment"))
    >>> picture = LivePicture(FIGSIZE, DPI)
    >>> png = rfm_explorer_png(picture, summary)
    >>> ax = picture.figure.axes[0]
    >>> png[:4] == b"\\x89PNG", [round(bar.get_width()) for bar in ax.containers[1]]
    (True, [60, 40])
    >>> _ = rfm_explorer_png(picture, summary.assign(revenue_share=[0.9, 0.1]))  # the same Axes, moved
    >>> len(picture.figure.axes), [round(bar.get_width()) for bar in ax.containers[1]]
    (1, [90, 10])
    """
    names = [str(name) for name in labels(summary.index)]  # as segment_bars writes them
    shares = (summary["customer_share"].to_numpy(dtype=float) * 100,
              summary["revenue_share"].to_numpy(dtype=float) * 100)
    fig = picture.figure
    ax = fig.axes[0] if fig.axes else None
    if ax is None or [t.get_text() for t in ax.get_yticklabels()] != names or len(ax.containers) != 2:
        fig.clear()
        fig.subplots_adjust(**fitted_margins(tuple(fig.get_size_inches()), fig.dpi, summary))
        ax = fig.add_subplot()
        segment_bars(summary, ax=ax)
        legend = ax.get_legend()
        if legend is not None:  # said once in KEY_HTML: a legend over the bars would be redrawn per move
            legend.remove()
        picture.rebuild([*ax.containers[0], *ax.containers[1], ax.xaxis])
    else:
        for bars, values in zip(ax.containers, shares):
            for bar, value in zip(bars, values):
                bar.set_width(float(value))
    ax.set_xlim(0, 1.05 * max(float(values.max()) for values in shares) or 1.0)
    return picture.png()


def rfm_explorer(rfm: pd.DataFrame) -> ExplorerBox:
    """Sliders for the RFM cut points; segment sizes, value shares and a chart update at once.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`cvmlib.rfm.rfm_table`.

    Returns
    -------
    ExplorerBox
        An ``ipywidgets.VBox``; display it as the last expression of a cell (slides show a snapshot).
    """
    recency_days = widgets.IntSlider(value=30, min=7, max=90, step=1, description=_("R=5 within (days)"),
                                     style={"description_width": "initial"}, continuous_update=False)
    orders_for_top = widgets.IntSlider(value=8, min=5, max=20, step=1, description=_("F=5 from (orders)"),
                                       style={"description_width": "initial"}, continuous_update=False)
    quantiles = widgets.Checkbox(value=False, description=_("use quantile scores instead of the rule"),
                                 indent=False, layout=widgets.Layout(width="auto"))
    table = widgets.HTML()
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
    chart = LivePicture(FIGSIZE, DPI)  # outside pyplot's registry: nothing else shows or closes it
    lock = threading.Lock()  # comm messages may arrive on two kernel threads at once

    def redraw(*_: object) -> None:
        with lock:  # the values are read inside: whichever move draws last shows the sliders' state
            summary = explorer_summary(rfm, recency_days.value, orders_for_top.value, quantiles.value)
            table.value = rfm_explorer_html(summary)
            image.value = rfm_explorer_png(chart, summary)

    for control in (recency_days, orders_for_top, quantiles):
        control.observe(redraw, names="value")
    redraw()
    return ExplorerBox([widgets.HBox([recency_days, orders_for_top]), quantiles, table, image,
                         widgets.HTML(_(KEY_HTML))])
