"""Simple-CLV calculator: margin, retention, discount rate and horizon, with the value's build-up.

Run in notebook view (ipywidgets do not render inside RISE slides).
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler

from cvmlib.clv import simple_clv
from cvmlib.plotting import clv_cumulative_plot

__all__ = ["clv_calculator_table", "clv_calculator_views", "clv_calculator"]


def clv_calculator_table(margin: float, retention: float, discount: float, horizon: int) -> pd.DataFrame:
    """The numbers of :func:`clv_calculator` for one slider position (all rates per period).

    Examples
    --------
    >>> clv_calculator_table(100.0, 0.8, 0.1, 5)["value"].round(2).tolist()
    [266.67, 212.41, 0.8]
    """
    unlimited = float(simple_clv(margin, retention, discount))
    limited = float(simple_clv(margin, retention, discount, horizon=int(horizon)))
    return pd.DataFrame({"value": [unlimited, limited, limited / unlimited if unlimited else np.nan]},
                        index=pd.Index(["CLV, unlimited horizon: m r / (1 + d - r)",
                                        f"CLV over {int(horizon)} periods",
                                        f"share of the unlimited value reached in {int(horizon)} periods"],
                                       name="simple CLV"))


def clv_calculator_views(margin: float, retention: float, discount: float, horizon: int,
                         period: str = "month") -> tuple[Styler, Figure]:
    """The formatted table and the figure :func:`clv_calculator` shows for one slider position.

    Examples
    --------
    >>> view, fig = clv_calculator_views(100.0, 0.8, 0.1, 5)
    >>> "212.41" in view.to_html(), len(fig.axes[0].lines)
    (True, 2)
    >>> plt.close(fig)
    """
    table = clv_calculator_table(margin, retention, discount, horizon)
    money, share = table.index[:2], table.index[2:]
    view = (table.style.format("{:,.2f}", subset=pd.IndexSlice[money, :])
            .format("{:.1%}", subset=pd.IndexSlice[share, :], na_rep="-"))
    fig, ax = plt.subplots(figsize=(7.0, 3.5), dpi=72)  # screen resolution: a lighter PNG per slider move
    clv_cumulative_plot(margin, retention, discount, horizon, ax=ax)
    ax.set_xlabel(f"{period} t")
    return view, fig


def clv_calculator(margin: float = 30.0, retention: float = 0.9, discount: float = 0.01, horizon: int = 24,
                   period: str = "month") -> widgets.VBox:
    """Sliders for margin, retention, discount rate and horizon; CLV and its build-up update at once.

    Every rate is per ``period`` (a month by default): convert an annual discount rate first,
    ``(1 + annual) ** (1 / 12) - 1`` per month.

    Returns
    -------
    ipywidgets.VBox
        Display it as the last expression of a cell.
    """
    style = {"description_width": "initial"}
    layout = widgets.Layout(width="48%")
    margin_slider = widgets.FloatSlider(value=margin, min=0.0, max=max(500.0, margin), step=5.0, style=style,
                                        description=f"margin per {period}", continuous_update=False, layout=layout)
    retention_slider = widgets.FloatSlider(value=retention, min=0.0, max=0.99, step=0.01, style=style,
                                           description=f"retention per {period}", continuous_update=False,
                                           readout_format=".2f", layout=layout)
    # a fine step: a monthly rate converted from a yearly one (0.0095) must not be rounded away
    discount_slider = widgets.FloatSlider(value=discount, min=0.0, max=0.2, step=0.0001, style=style,
                                          description=f"discount rate per {period}", continuous_update=False,
                                          readout_format=".4f", layout=layout)
    horizon_slider = widgets.IntSlider(value=horizon, min=1, max=120, step=1, style=style,
                                       description=f"horizon ({period}s)", continuous_update=False, layout=layout)
    output = widgets.Output()

    def redraw(margin: float, retention: float, discount: float, horizon: int) -> None:
        with output:
            output.clear_output(wait=True)
            view, fig = clv_calculator_views(margin, retention, discount, horizon, period)
            display(view)
            plt.show()
            plt.close(fig)

    controls = {"margin": margin_slider, "retention": retention_slider, "discount": discount_slider,
                "horizon": horizon_slider}
    widgets.interactive_output(redraw, controls)
    return widgets.VBox([widgets.HBox([margin_slider, retention_slider]),
                         widgets.HBox([discount_slider, horizon_slider]), output])
