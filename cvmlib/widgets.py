"""Interactive explorers for live "what if" demos (ipywidgets).

Widgets sit on top of the topic modules and never compute anything themselves: they turn slider
positions into parameters, call the topic functions, and redraw. Run them in notebook view
(ipywidgets do not render inside RISE slides).
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from pandas.io.formats.style import Styler

from cvmlib.plotting import cluster_projection, segment_bars
from cvmlib.rfm import rfm_scores, rfm_segments, segment_summary
from cvmlib.segment import kmeans_segments, pca_projection, segment_profile, suggest_segment_names
from cvmlib.value import abc_classes, allocate_budget, cell_summary, value_matrix


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
    matrix_view = matrix.style.format(
        {"customer_share": percent, "value_share": percent, "budget": money, "budget_per_customer": money},
        na_rep="-").set_caption(f"Value matrix and the {budget:,.0f} CNY service budget")
    abc_view = abc.style.format({"customer_share": percent, "value_share": percent}).set_caption(
        f"ABC classes of current value (cuts {cuts[0]:.0%}, {cuts[1]:.0%})")
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

    current_slider = slider(current, current_threshold, "current value high from (CNY)")
    potential_slider = slider(potential, potential_threshold, "potential high from (CNY)")
    cuts_slider = widgets.FloatRangeSlider(
        value=(0.8, 0.95), min=0.5, max=0.99, step=0.01, description="ABC cuts (A, B)", style=style,
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


def segment_explorer_table(features: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """The explorer's table: size, value, typical category and a suggested name per cluster.

    Examples
    --------
    >>> f = pd.DataFrame({"recency": [5, 9, 300], "frequency": [10, 6, 1], "monetary": [900.0, 600.0, 50.0],
    ...                   "cat_Home": [0.9, 0.7, 0.0], "cat_Beauty": [0.1, 0.3, 1.0]}, index=list("abc"))
    >>> segment_explorer_table(f, pd.Series([0, 0, 1], index=list("abc")))["name"].tolist()
    ['Home, mid value', 'Beauty, low value, lapsed']
    """
    profile = segment_profile(labels, features)
    profile["name"] = suggest_segment_names(profile)
    return profile[["name", "customers", "customer_share", "revenue_share", "median_recency", "top_category"]]


def segment_explorer(
    features: pd.DataFrame, scaled: pd.DataFrame, ks: range = range(2, 9), random_state: int = 0, points: int = 1500
) -> widgets.VBox:
    """A slider for k: segment table and a 2-D picture of the customers update at once.

    Every k in ``ks`` is fitted once when the explorer is built (about 0.1 s per k for 5,000
    customers), so moving the slider only looks a fit up and redraws.

    Parameters
    ----------
    features : pandas.DataFrame
        Unscaled features (:func:`cvmlib.segment.customer_features`), for the profile.
    scaled : pandas.DataFrame
        Scaled features (:func:`cvmlib.segment.scale_features`), for k-means and the projection.
    ks : range, default 2..8
        The values of k the slider offers.
    random_state : int, default 0
        Seed of every fit.
    points : int, default 1500
        How many customers (a fixed random sample) the scatter shows, to keep redraws fast.

    Returns
    -------
    ipywidgets.VBox
        Display it as the last expression of a cell.
    """
    fits = {k: kmeans_segments(scaled, k, random_state=random_state) for k in ks}
    projection = pca_projection(scaled)
    shown = projection.sample(min(points, len(projection)), random_state=random_state)
    k_slider = widgets.IntSlider(value=min(max(5, ks.start), ks.stop - 1), min=ks.start, max=ks.stop - 1,
                                 step=1, description="k (segments)", style={"description_width": "initial"},
                                 continuous_update=False)
    output = widgets.Output()

    def redraw(k: int) -> None:
        table = segment_explorer_table(features, fits[k])
        with output:
            output.clear_output(wait=True)
            display(table.style.format({"customer_share": "{:.1%}", "revenue_share": "{:.1%}",
                                        "median_recency": "{:.0f}"}))
            fig, ax = plt.subplots(figsize=(6, 4))
            cluster_projection(shown, fits[k], ax=ax)
            plt.show()
            plt.close(fig)

    widgets.interactive_output(redraw, {"k": k_slider})
    return widgets.VBox([k_slider, output])
