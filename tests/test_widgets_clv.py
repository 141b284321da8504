"""The CLV calculator: its numbers come from simple_clv, its sliders start where they are told."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from cvmlib.clv import simple_clv  # noqa: E402
from cvmlib.widgets import clv_calculator, clv_calculator_table, clv_calculator_views  # noqa: E402


def test_table_matches_the_formula_and_the_finite_sum():
    table = clv_calculator_table(30.0, 0.92, 0.0095, 24)
    unlimited, limited, share = table["value"].tolist()
    assert unlimited == pytest.approx(30.0 * 0.92 / (1 + 0.0095 - 0.92))
    assert limited == pytest.approx(sum(30.0 * 0.92**t / 1.0095**t for t in range(1, 25)))
    assert share == pytest.approx(limited / unlimited) and 0 < share < 1


def test_views_show_the_numbers_and_one_bar_per_period():
    view, fig = clv_calculator_views(30.0, 0.92, 0.0095, 36)
    html = view.to_html()
    assert f"{simple_clv(30.0, 0.92, 0.0095):,.2f}" in html
    bars = fig.axes[0].patches[0].get_data().values
    assert len(bars) == 36 and bars[0] > bars[-1] > 0  # discounted margins shrink month by month
    plt.close(fig)


def test_calculator_starts_at_the_given_inputs():
    box = clv_calculator(margin=45.0, retention=0.8, discount=0.01, horizon=12)
    sliders = [child for row in box.children[:2] for child in row.children]
    assert [s.value for s in sliders] == [45.0, 0.8, 0.01, 12]
    assert isinstance(box.children[2], widgets.Output)
    plt.close("all")
