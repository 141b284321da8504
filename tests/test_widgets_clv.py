"""The CLV calculator: its numbers come from simple_clv, its sliders start where they are told,
and moving a slider redraws the numbers and the picture."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from cvmlib.clv import simple_clv  # noqa: E402
from cvmlib.widgets import clv_calculator, clv_calculator_html, clv_calculator_png, clv_calculator_table  # noqa: E402


def test_table_matches_the_formula_and_the_finite_sum():
    table = clv_calculator_table(30.0, 0.92, 0.0095, 24)
    unlimited, limited, share = table["value"].tolist()
    assert unlimited == pytest.approx(30.0 * 0.92 / (1 + 0.0095 - 0.92))
    assert limited == pytest.approx(sum(30.0 * 0.92**t / 1.0095**t for t in range(1, 25)))
    assert share == pytest.approx(limited / unlimited) and 0 < share < 1


def test_views_show_the_numbers_and_one_bar_per_period():
    assert f"{simple_clv(30.0, 0.92, 0.0095):,.2f}" in clv_calculator_html(30.0, 0.92, 0.0095, 36)
    fig = Figure(figsize=(7.0, 3.5), dpi=72)
    png = clv_calculator_png(fig, 30.0, 0.92, 0.0095, 36)
    assert png.startswith(b"\x89PNG")
    bars = fig.axes[0].patches[0].get_data().values
    assert len(bars) == 36 and bars[0] > bars[-1] > 0  # discounted margins shrink month by month
    clv_calculator_png(fig, 30.0, 0.92, 0.0095, 12)  # the same figure is redrawn, not stacked
    assert len(fig.axes) == 1 and len(fig.axes[0].patches[0].get_data().values) == 12


def _parts(box: widgets.VBox) -> tuple[list[widgets.Widget], widgets.HTML, widgets.Image]:
    sliders = [child for row in box.children[:2] for child in row.children]
    numbers, picture = box.children[2], box.children[3]
    assert isinstance(numbers, widgets.HTML) and isinstance(picture, widgets.Image)
    return sliders, numbers, picture


def test_calculator_starts_at_the_given_inputs_and_follows_the_sliders():
    box = clv_calculator(margin=45.0, retention=0.8, discount=0.01, horizon=12)
    sliders, numbers, picture = _parts(box)
    assert [s.value for s in sliders] == [45.0, 0.8, 0.01, 12]
    assert f"{simple_clv(45.0, 0.8, 0.01):,.2f}" in numbers.value
    before = picture.value
    sliders[1].value = 0.9  # retention up: more value, a new picture
    assert f"{simple_clv(45.0, 0.9, 0.01):,.2f}" in numbers.value
    assert picture.value != before and bytes(picture.value).startswith(b"\x89PNG")
    assert plt.get_fignums() == []  # the widget's figure is not left in pyplot to be shown again
