"""Value-matrix explorer: move the tier thresholds, see cell sizes, value shares and the budget split.

Run in notebook view (ipywidgets do not render inside RISE slides).
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets
import pandas as pd
from IPython.display import display
from pandas.io.formats.style import Styler

from cvmlib.display import show
from cvmlib.i18n import _
from cvmlib.value import abc_classes, allocate_budget, cell_summary, value_matrix

__all__ = ["value_explorer_tables", "value_explorer_views", "value_matrix_explorer"]


def value_explorer_tables(
    current: pd.Series,
    potential: pd.Series,
    current_threshold: float,
    potential_threshold: float,
    cuts: tuple[float, float],
    budget: float,
    weights: Mapping[str, float],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables of :func:`value_matrix_explorer` for one slider position.

    Returns
    -------
    (matrix, abc) : tuple of pandas.DataFrame
        ``matrix``: per value-matrix cell ``customers``, ``customer_share``, ``value_share``,
        ``budget`` (from :func:`cvmlib.value.allocate_budget`, weight x customers) and
        ``budget_per_customer``. ``abc``: per ABC class of ``current`` with these ``cuts``,
        ``customers``, ``customer_share``, ``value_share``.

    Examples
    --------
    >>> cur = pd.Series({"a": 900.0, "b": 800.0, "c": 100.0, "d": 50.0})
    >>> pot = pd.Series({"a": 500.0, "b": 20.0, "c": 700.0, "d": 0.0})
    >>> matrix, abc = value_explorer_tables(cur, pot, 500, 300, (0.8, 0.95), 1000,
    ...                                     {"Key": 4, "Maintain": 3, "Develop": 2, "Basic": 1})
    >>> matrix["budget"].tolist(), abc["customers"].tolist()
    ([400.0, 300.0, 200.0, 100.0], [2, 1, 1])
    """
    cells = value_matrix(current, potential, current_threshold, potential_threshold)
    matrix = cell_summary(cells, current)[["customers", "customer_share", "value_share"]]
    matrix["budget"] = allocate_budget(cells, budget, weights)
    matrix["budget_per_customer"] = matrix["budget"] / matrix["customers"].where(matrix["customers"] > 0)
    abc = cell_summary(abc_classes(current, cuts=cuts), current)[["customers", "customer_share", "value_share"]]
    return matrix, abc.rename_axis("class")


def value_explorer_views(
    current: pd.Series,
    potential: pd.Series,
    current_threshold: float,
    potential_threshold: float,
    cuts: tuple[float, float],
    budget: float,
    weights: Mapping[str, float],
) -> tuple[Styler, Styler]:
    """The two formatted tables the explorer shows for one slider position.

    A range slider can put both ABC cuts on one value; the B cut is then moved one point up.

    Examples
    --------
    >>> cur = pd.Series({"a": 900.0, "b": 100.0})
    >>> views = value_explorer_views(cur, cur, 500, 500, (0.8, 0.8), 100, {"Key": 1, "Basic": 1})
    >>> "Value matrix" in views[0].to_html(), len(views)
    (True, 2)
    """
    if cuts[0] >= cuts[1]:
        cuts = (cuts[0], min(cuts[0] + 0.01, 1.0))
    matrix, abc = value_explorer_tables(current, potential, current_threshold, potential_threshold,
                                        cuts, budget, weights)
    money, percent = "{:,.0f}", "{:.1%}"
    matrix_view = show(
        matrix, _("Value matrix and the {budget:,.0f} CNY service budget").format(budget=budget),
        format={"customer_share": percent, "value_share": percent, "budget": money, "budget_per_customer": money},
        na_rep="-")
    abc_view = show(abc, _("ABC classes of current value (cuts {a:.0%}, {b:.0%})").format(a=cuts[0], b=cuts[1]),
                    format={"customer_share": percent, "value_share": percent})
    return matrix_view, abc_view


def value_matrix_explorer(
    current: pd.Series,
    potential: pd.Series,
    budget: float,
    weights: Mapping[str, float],
    current_threshold: float | None = None,
    potential_threshold: float | None = None,
) -> widgets.VBox:
    """Sliders for the value-matrix thresholds and the ABC cuts; cells, shares and budget update at once.

    Parameters
    ----------
    current, potential : pandas.Series
        Current and potential value per customer (same customers), in CNY.
    budget : float
        Service budget split across the cells by ``weights`` (service weight per customer).
    current_threshold, potential_threshold : float, optional
        Start positions; default the medians.

    Returns
    -------
    ipywidgets.VBox
        Display it as the last expression of a cell.
    """
    style = {"description_width": "initial"}

    def slider(series: pd.Series, start: float | None, text: str) -> widgets.FloatSlider:
        top = float(series.quantile(0.99))
        return widgets.FloatSlider(
            value=float(series.median()) if start is None else float(start), min=0.0, max=top,
            step=max(round(top / 200, -1), 1.0), description=text, style=style,
            continuous_update=False, readout_format=",.0f", layout=widgets.Layout(width="45%"))

    current_slider = slider(current, current_threshold, _("current value high from (CNY)"))
    potential_slider = slider(potential, potential_threshold, _("potential high from (CNY)"))
    cuts_slider = widgets.FloatRangeSlider(
        value=(0.8, 0.95), min=0.5, max=0.99, step=0.01, description=_("ABC cuts (A, B)"), style=style,
        continuous_update=False, readout_format=".0%", layout=widgets.Layout(width="45%"))
    output = widgets.Output()

    def redraw(current_threshold: float, potential_threshold: float, cuts: tuple[float, float]) -> None:
        views = value_explorer_views(current, potential, current_threshold, potential_threshold, cuts, budget, weights)
        with output:
            output.clear_output(wait=True)
            for view in views:
                display(view)

    controls = {"current_threshold": current_slider, "potential_threshold": potential_slider, "cuts": cuts_slider}
    widgets.interactive_output(redraw, controls)
    return widgets.VBox([widgets.HBox([current_slider, potential_slider]), cuts_slider, output])
