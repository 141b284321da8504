"""The RFM and segmentation explorers in the kernel: every move gives one drawn picture and the right table.

The browser side is tests/test_lab_browser.py. Here: the explorers keep their figures out of pyplot
(the inline backend shows and closes every pyplot figure, from whichever kernel thread ends a comm
message: that blanked the RFM chart), moves from two threads at once end with the picture and the
table of the sliders' final state, and a slide shows a snapshot where widgets cannot render.
"""

from __future__ import annotations

import io
import re
import sys
import threading

import ipywidgets as widgets
import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402

from cvmlib.datasets import load_orders  # noqa: E402
from cvmlib.rfm import rfm_table  # noqa: E402
from cvmlib.segment import customer_features, kmeans_segments, pca_projection, scale_features  # noqa: E402
from cvmlib.widgets import rfm_explorer, segment_explorer, segment_explorer_table  # noqa: E402
from cvmlib.widgets.rfm import explorer_summary, rfm_explorer_html  # noqa: E402
from cvmlib.widgets.segment import segment_explorer_html, segment_explorer_png  # noqa: E402
from cvmlib.widgets.views import ExplorerBox, snapshot_html  # noqa: E402


def _same_table(a: str, b: str) -> bool:
    """The same table HTML up to the random id pandas gives each Styler."""
    return re.sub(r"T_[0-9a-f]+", "T_", a) == re.sub(r"T_[0-9a-f]+", "T_", b)


def _picture(png: bytes) -> tuple[tuple[int, int], float]:
    image = Image.open(io.BytesIO(png))
    return image.size, float(np.asarray(image.convert("L"), dtype=float).std())


@pytest.fixture(scope="module")
def rfm() -> pd.DataFrame:
    return rfm_table(load_orders(), pd.Timestamp("2026-01-05"))


def test_rfm_explorer_draws_every_move_outside_pyplot(rfm):
    plt.close("all")
    box = rfm_explorer(rfm)
    recency, orders = box.children[0].children
    table, image = box.children[2], box.children[3]
    size, spread = _picture(bytes(image.value))
    assert spread > 15, "the first chart is blank"
    seen = {bytes(image.value)}
    for days, top in [(31, 8), (45, 8), (45, 12), (7, 20)]:
        recency.value, orders.value = days, top
        assert _picture(bytes(image.value))[0] == size, "the chart changed size"
        assert _picture(bytes(image.value))[1] > 15, f"blank chart at {days} days, {top} orders"
        assert _same_table(table.value, rfm_explorer_html(explorer_summary(rfm, days, top, False)))
        seen.add(bytes(image.value))
    assert len(seen) == 5, "a move left the previous chart"
    assert plt.get_fignums() == [], "the explorer left a figure in pyplot, where the inline backend shows it"


def test_moves_from_two_threads_end_in_the_final_state(rfm):
    box = rfm_explorer(rfm)
    recency, orders = box.children[0].children
    table, image = box.children[2], box.children[3]
    pictures: list[bytes] = []
    image.observe(lambda change: pictures.append(bytes(change["new"])), names="value")

    def move(slider: widgets.IntSlider, values: range) -> None:
        for value in values:
            slider.value = value

    threads = [threading.Thread(target=move, args=(recency, range(20, 60, 3))),
               threading.Thread(target=move, args=(orders, range(5, 15))),
               threading.Thread(target=lambda: [plt.close(plt.figure()) for _ in range(30)])]  # pyplot busy too
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show up
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert pictures and all(_picture(png)[1] > 15 for png in pictures), "a blank chart while moving"
    assert len({_picture(png)[0] for png in pictures}) == 1, "charts of different sizes"
    assert _same_table(table.value, rfm_explorer_html(explorer_summary(rfm, recency.value, orders.value, False)))
    final = rfm_explorer(rfm)
    final.children[0].children[0].value, final.children[0].children[1].value = recency.value, orders.value
    assert bytes(image.value) == bytes(final.children[3].value), "the last chart is not the sliders' state"


def test_segment_explorer_shows_what_each_k_looks_like():
    features = customer_features(load_orders(), "2026-01-01")
    X = scale_features(features)
    box = segment_explorer(features, X, ks=range(3, 6))
    slider, table, image = box.children
    shown = pca_projection(X).sample(1500, random_state=0)
    for k in (4, 5, 3):
        slider.value = k
        labels = kmeans_segments(X, k, random_state=0)
        assert _same_table(table.value, segment_explorer_html(segment_explorer_table(features, labels)))
        assert bytes(image.value) == segment_explorer_png(shown, labels)
        assert table.value.split("<tbody>")[1].count("<tr") == k  # one row per segment
        assert _picture(bytes(image.value))[1] > 15
    assert plt.get_fignums() == []


def test_slides_get_a_snapshot_and_notebooks_the_live_explorer(rfm):
    box = rfm_explorer(rfm)
    assert isinstance(box, ExplorerBox)
    bundle = box._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # notebook view and the book: live
    snapshot = bundle["text/html"]  # RISE, which has no widget manager, falls back on it
    assert snapshot == snapshot_html(box)
    assert "R=5 within (days): <b>30</b>" in snapshot and "Champions" in snapshot
    assert snapshot.count('<img src="data:image/png;base64,') == 1 and "notebook view" in snapshot
