"""Simple-CLV calculator: margin, retention, discount rate and horizon, with the value's build-up.

Why it is built this way: every slider move redraws one persistent figure and sends its PNG to an
``Image`` widget (one draw, no ``Output`` flicker). Showing a figure through ``plt.show()`` would
create a new figure and draw it twice (the inline backend's tight bounding box) on every move.
Run in notebook view (ipywidgets do not render inside RISE slides).
"""

from __future__ import annotations

import io

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from cvmlib.clv import simple_clv
from cvmlib.display import header
from cvmlib.i18n import N_, _
from cvmlib.plotting import clv_cumulative_plot, update_clv_cumulative_plot
from cvmlib.widgets.views import ExplorerBox

__all__ = ["clv_calculator_table", "clv_calculator_html", "clv_calculator_png", "clv_calculator"]

#: What the figure's marks mean: said once under the figure instead of a legend redrawn per move.
KEY_HTML = N_("<small><span style='color:#1f77b4'>&#9632;</span> discounted expected margin of the period "
              "&nbsp; <span style='color:#ff7f0e'>&#9679;&#8212;</span> cumulative CLV &nbsp; "
              "<span style='color:grey'>- - -</span> CLV over an unlimited horizon</small>")

#: The period names the calculator knows: singular and plural, as shown in its labels.
PERIOD_NAMES: dict[str, tuple[str, str]] = {
    "day": (N_("day"), N_("days")),
    "week": (N_("week"), N_("weeks")),
    "month": (N_("month"), N_("months")),
    "quarter": (N_("quarter"), N_("quarters")),
    "year": (N_("year"), N_("years")),
}


def _period(period: str, plural: bool = False) -> str:
    """``period`` as shown in a label (translated when it is one of :data:`PERIOD_NAMES`)."""
    if period in PERIOD_NAMES:
        return _(PERIOD_NAMES[period][1 if plural else 0])
    return f"{period}s" if plural else period


def clv_calculator_table(margin: float, retention: float, discount: float, horizon: int) -> pd.DataFrame:
    """The numbers of :func:`clv_calculator` for one slider position (all rates per period).

    Examples
    --------
    >>> clv_calculator_table(100.0, 0.8, 0.1, 5)["value"].round(2).tolist()
    [266.67, 212.41, 0.8]
    """
    unlimited = float(simple_clv(margin, retention, discount))
    limited = float(simple_clv(margin, retention, discount, horizon=int(horizon)))
    rows = [text.format(n=int(horizon)) for text in _ROWS]  # the data stay English (shown by clv_calculator_html)
    return pd.DataFrame({"value": [unlimited, limited, limited / unlimited if unlimited else np.nan]},
                        index=pd.Index(rows, name="simple CLV"))


#: The rows of :func:`clv_calculator_table` (``{n}``: the horizon).
_ROWS = (N_("CLV, unlimited horizon: m r / (1 + d - r)"), N_("CLV over {n} periods"),
         N_("share of the unlimited value reached in {n} periods"))


def clv_calculator_html(margin: float, retention: float, discount: float, horizon: int) -> str:
    """The calculator's numbers as an HTML table (money to the cent, the share in percent).

    Examples
    --------
    >>> html = clv_calculator_html(100.0, 0.8, 0.1, 5)
    >>> "266.67" in html, "212.41" in html, "79.7%" in html
    (True, True, True)
    """
    table = clv_calculator_table(margin, retention, discount, horizon)
    table.index = pd.Index([_(text).format(n=int(horizon)) for text in _ROWS], name=header(table.index.name))
    table.columns = [_("value")]  # money and a share: no unit in the header
    money, share = table.index[:2], table.index[2:]
    return (table.style.format("{:,.2f}", subset=pd.IndexSlice[money, :])
            .format("{:.1%}", subset=pd.IndexSlice[share, :], na_rep="-").to_html())


def clv_calculator_png(fig: Figure, margin: float, retention: float, discount: float, horizon: int,
                       period: str = "month") -> bytes:
    """Redraw ``fig`` (one Axes, reused between slider moves) for one position; its PNG bytes.

    Examples
    --------
    >>> fig = plt.figure(figsize=(7.0, 3.5), dpi=72)
    >>> png = clv_calculator_png(fig, 100.0, 0.8, 0.1, 5)
    >>> png[:4] == b"\\x89PNG", len(fig.axes[0].patches[0].get_data().values)  # one bar per period
    (True, 5)
    >>> _ = clv_calculator_png(fig, 100.0, 0.8, 0.1, 8)  # the next move redraws the same Axes
    >>> len(fig.axes), len(fig.axes[0].patches[0].get_data().values)
    (1, 8)
    >>> plt.close(fig)
    """
    if fig.axes:  # later moves: shift the marks, keep the Axes
        update_clv_cumulative_plot(fig.axes[0], margin, retention, discount, int(horizon))
    else:
        clv_cumulative_plot(margin, retention, discount, int(horizon), ax=fig.add_subplot(), legend=False)
        fig.axes[0].set_xlabel(_("{period} t").format(period=_period(period)))
        # fixed margins, set once: a tight layout per move would cost a second draw
        fig.subplots_adjust(left=0.1, right=0.97, top=0.9, bottom=0.16)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


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
    unit, units = _period(period), _period(period, plural=True)
    margin_slider = widgets.FloatSlider(value=margin, min=0.0, max=max(500.0, margin), step=5.0, style=style,
                                        description=_("margin per {period}").format(period=unit),
                                        continuous_update=False, layout=layout)
    retention_slider = widgets.FloatSlider(value=retention, min=0.0, max=0.99, step=0.01, style=style,
                                           description=_("retention per {period}").format(period=unit),
                                           continuous_update=False, readout_format=".2f", layout=layout)
    # a fine step: a monthly rate converted from a yearly one (0.0095) must not be rounded away
    discount_slider = widgets.FloatSlider(value=discount, min=0.0, max=0.2, step=0.0001, style=style,
                                          description=_("discount rate per {period}").format(period=unit),
                                          continuous_update=False, readout_format=".4f", layout=layout)
    horizon_slider = widgets.IntSlider(value=horizon, min=1, max=120, step=1, style=style,
                                       description=_("horizon ({periods})").format(periods=units),
                                       continuous_update=False, layout=layout)
    numbers = widgets.HTML()
    picture = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
    # A figure outside pyplot's registry: the inline backend never shows it a second time.
    fig = Figure(figsize=(7.0, 3.5), dpi=72)  # screen resolution: a light PNG per slider move
    controls = (margin_slider, retention_slider, discount_slider, horizon_slider)

    def redraw(*_: object) -> None:
        m, r, d, h = (control.value for control in controls)
        numbers.value = clv_calculator_html(m, r, d, h)
        picture.value = clv_calculator_png(fig, m, r, d, h, period)

    for control in controls:
        control.observe(redraw, names="value")
    redraw()
    return ExplorerBox([widgets.HBox([margin_slider, retention_slider]),
                         widgets.HBox([discount_slider, horizon_slider]), numbers, picture,
                         widgets.HTML(_(KEY_HTML))])
