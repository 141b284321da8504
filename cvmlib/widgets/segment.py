"""Segmentation explorer: change k, see the segment profiles and the 2-D projection.

Run in notebook view (ipywidgets do not render inside RISE slides).
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from cvmlib.plotting import cluster_projection
from cvmlib.segment import kmeans_segments, pca_projection, segment_profile, suggest_segment_names

__all__ = ["segment_explorer_table", "segment_explorer"]


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
