"""The report's figures, drawn by :mod:`cvmlib.plotting` and inlined as base64 PNG (no file, no URL).

The plots follow the language in force and the course's fonts (Chinese in the Noto Sans CJK SC that
``mplfonts`` ships), so a figure of the Chinese report never shows a box for a character.
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # headless: the report is written from a terminal or a server

import matplotlib.pyplot as plt  # noqa: E402  (after the backend choice)
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from cvmlib.clv import PurchaseModel  # noqa: E402
from cvmlib.i18n import _  # noqa: E402
from cvmlib.plotting import (calibration_holdout_plot, font_families, frequency_recency_matrix_plot, lorenz_plot,  # noqa: E402
                             p_alive_matrix_plot, segment_bars)

__all__ = ["figure_png", "frequency_recency_figure", "holdout_figure", "lorenz_figure", "p_alive_figure",
           "segments_figure"]

#: Resolution of the inlined figures (sharp on a laptop screen, small enough to inline).
DPI = 110


def figure_png(ax: Axes) -> str:
    """The figure of ``ax`` as a base64 PNG (the figure is closed afterwards)."""
    figure = ax.get_figure(root=True)
    assert isinstance(figure, Figure)  # the plotting helpers draw on a figure of their own
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=DPI)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def segments_figure(summary: pd.DataFrame) -> str:
    """Share of customers and of revenue per segment (segments without customers left out)."""
    return figure_png(segment_bars(summary[summary["customers"] > 0]))


def lorenz_figure(spend: pd.Series) -> str:
    """The Lorenz curve of spend with the top 20 % marked."""
    return figure_png(lorenz_plot(spend))


def holdout_figure(table: pd.DataFrame) -> str:
    """Mean holdout purchases by calibration repeat purchases, actual against the model."""
    return figure_png(calibration_holdout_plot(table))


def _weeks(ax: Axes, title: str) -> Axes:
    """The matrix plots in the report's words: recency in weeks, a short title (the caption says the rest)."""
    families = font_families()  # the course's fonts, Chinese included, as the plot's own texts have
    ax.set_title(title, fontfamily=families)
    ax.set_xlabel(_("recency: weeks from the first to the last purchase"), fontfamily=families)
    return ax


def p_alive_figure(model: PurchaseModel, T: float, max_frequency: int) -> str:
    """P(alive) at the end of the data by frequency and recency, for customers observed ``T`` weeks."""
    ax = p_alive_matrix_plot(model, T, max_frequency=max_frequency)
    return figure_png(_weeks(ax, _("P(alive) by frequency and recency (T = {T:g} weeks)").format(T=T)))


def frequency_recency_figure(model: PurchaseModel, T: float, weeks: float, max_frequency: int) -> str:
    """Expected purchases in the next ``weeks`` by frequency and recency, for customers observed ``T`` weeks."""
    ax = frequency_recency_matrix_plot(model, T, t=weeks, max_frequency=max_frequency)
    return figure_png(_weeks(ax, _("Expected purchases in the next {weeks:.1f} weeks by frequency and recency "
                                   "(T = {T:g} weeks)").format(weeks=weeks, T=T)))
