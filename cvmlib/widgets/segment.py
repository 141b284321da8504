"""Segmentation explorer: change k, see the segment profiles and the 2-D projection.

Why it is built this way: the slider offers a handful of k, so the explorer fits, tabulates and
draws every k once when it is built, and a slider move only puts the stored HTML table and PNG
into an ``HTML`` and an ``Image`` widget (about a millisecond). The first version drew with
``plt.subplots`` + ``plt.show()`` inside an ``Output`` widget on every move; in JupyterLab 4.6 with
ipykernel 7 comm messages are handled on two kernel threads, every comm message runs the inline
backend's ``flush_figures`` (show, then close *every* pyplot figure), and the picture sometimes
came out blank. The figures here are never registered with pyplot.
Run in notebook view (ipywidgets do not render inside RISE slides).
"""

from __future__ import annotations

import io

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from cvmlib.display import show
from cvmlib.i18n import _
from cvmlib.plotting import cluster_projection
from cvmlib.segment import kmeans_segments, pca_projection, segment_profile, suggest_segment_names
from cvmlib.widgets.views import ExplorerBox, table_html

__all__ = ["segment_explorer_table", "segment_explorer_html", "segment_explorer_png", "segment_explorer"]

#: Size of the explorer's picture: inches and dots per inch (screen resolution keeps each PNG light).
FIGSIZE, DPI = (6.5, 4.5), 72


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


def segment_explorer_html(table: pd.DataFrame) -> str:
    """The explorer's table (from :func:`segment_explorer_table`) as HTML, shares in percent.

    Examples
    --------
    >>> table = pd.DataFrame({"name": ["Home"], "customers": [3], "customer_share": [1.0],
    ...                       "revenue_share": [1.0], "median_recency": [9.4], "top_category": ["Home"]})
    >>> html = segment_explorer_html(table)
    >>> "100.0%" in html, ">9<" in html
    (True, True)
    """
    return table_html(show(table, format={"customer_share": "{:.1%}", "revenue_share": "{:.1%}",
                                          "median_recency": "{:.0f}"}))


def segment_explorer_png(projection: pd.DataFrame, labels: pd.Series, figsize: tuple[float, float] = FIGSIZE,
                         dpi: float = DPI) -> bytes:
    """The customers on two principal components, coloured by segment, as PNG bytes.

    Drawn on a figure of its own that pyplot never sees, with fixed margins (a tight layout
    would cost a second draw).

    Examples
    --------
    >>> proj = pd.DataFrame({"pc1": [0.0, 1.0, 5.0], "pc2": [0.0, 1.0, 5.0]})
    >>> png = segment_explorer_png(proj, pd.Series([0, 0, 1]))
    >>> png[:4] == b"\\x89PNG"
    True
    """
    fig = Figure(figsize=figsize, dpi=dpi)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.92, bottom=0.08)
    cluster_projection(projection, labels, ax=fig.add_subplot())
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})  # fast to encode, a few kB more
    return buffer.getvalue()


def segment_explorer(
    features: pd.DataFrame, scaled: pd.DataFrame, ks: range = range(2, 9), random_state: int = 0, points: int = 1500
) -> ExplorerBox:
    """A slider for k: segment table and a 2-D picture of the customers update at once.

    Every k in ``ks`` is fitted, tabulated and drawn once when the explorer is built (about
    0.2 s per k for 5,000 customers), so moving the slider only shows what is stored.

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
        How many customers (a fixed random sample) the scatter shows, to keep the pictures light.

    Returns
    -------
    ExplorerBox
        An ``ipywidgets.VBox``; display it as the last expression of a cell (slides show a snapshot).
    """
    projection = pca_projection(scaled)
    shown = projection.sample(min(points, len(projection)), random_state=random_state)
    views = {}
    for k in ks:
        labels = kmeans_segments(scaled, k, random_state=random_state)
        views[k] = (segment_explorer_html(segment_explorer_table(features, labels)),
                    segment_explorer_png(shown, labels))
    k_slider = widgets.IntSlider(value=min(max(5, ks.start), ks.stop - 1), min=ks.start, max=ks.stop - 1,
                                 step=1, description=_("k (segments)"), style={"description_width": "initial"},
                                 continuous_update=False)
    table = widgets.HTML()
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))

    def redraw(*_: object) -> None:
        table.value, image.value = views[k_slider.value]  # the slider's state when the message is handled

    k_slider.observe(redraw, names="value")
    redraw()
    return ExplorerBox([k_slider, table, image])
