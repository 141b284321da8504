"""RFM explorer: move two business cut points (or switch to quantiles), see segments and value share.

Run in notebook view (ipywidgets do not render inside RISE slides).
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from cvmlib.plotting import segment_bars
from cvmlib.rfm import rfm_scores, rfm_segments, segment_summary

__all__ = ["rule_cut_points", "explorer_summary", "rfm_explorer"]


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
    if recency_days < 1 or orders_for_top < 5:
        raise ValueError("recency_days must be >= 1 and orders_for_top >= 5 (four distinct edges).")
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


def rfm_explorer(rfm: pd.DataFrame) -> widgets.VBox:
    """Sliders for the RFM cut points; segment sizes, value shares and a chart update at once.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Output of :func:`cvmlib.rfm.rfm_table`.

    Returns
    -------
    ipywidgets.VBox
        Display it as the last expression of a cell.
    """
    recency_days = widgets.IntSlider(value=30, min=7, max=90, step=1, description="R=5 within (days)",
                                     style={"description_width": "initial"}, continuous_update=False)
    orders_for_top = widgets.IntSlider(value=8, min=5, max=20, step=1, description="F=5 from (orders)",
                                       style={"description_width": "initial"}, continuous_update=False)
    quantiles = widgets.Checkbox(value=False, description="use quantile scores instead of the rule",
                                 indent=False, layout=widgets.Layout(width="auto"))
    output = widgets.Output()

    def redraw(recency_days: int, orders_for_top: int, quantiles: bool) -> None:
        summary = explorer_summary(rfm, recency_days, orders_for_top, quantiles)
        with output:
            output.clear_output(wait=True)
            shown = summary[["customers", "customer_share", "revenue_share"]]
            display(shown.style.format({"customer_share": "{:.1%}", "revenue_share": "{:.1%}"}))
            fig, ax = plt.subplots(figsize=(8, 3.5))
            segment_bars(summary, ax=ax)
            plt.show()
            plt.close(fig)

    controls = {"recency_days": recency_days, "orders_for_top": orders_for_top, "quantiles": quantiles}
    widgets.interactive_output(redraw, controls)
    return widgets.VBox([widgets.HBox([recency_days, orders_for_top]), quantiles, output])
