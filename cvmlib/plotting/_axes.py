"""The rules every plot of the course follows: draw on the Axes given (or a new figure), in the course's fonts.

Every plotting function starts with :func:`new_axes` and ends with :func:`finish`, which gives all
the texts it drew (title, labels, ticks, legend, annotations, colour bar) the font list of
:mod:`cvmlib.plotting._fonts`: Latin in DejaVu Sans, Chinese in Noto Sans CJK SC (shipped), so a
figure of the Chinese edition never shows a box for a character. Texts follow the language in force
(:mod:`cvmlib.i18n`).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from cvmlib.plotting._fonts import apply_fonts, register_fonts


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """``ax`` itself, or the Axes of a new figure of ``figsize`` inches when ``ax`` is None.

    Examples
    --------
    >>> ax = new_axes(None, (4.0, 3.0))
    >>> ax.figure.get_size_inches().tolist(), new_axes(ax, (9.0, 9.0)) is ax
    ([4.0, 3.0], True)
    >>> plt.close(ax.figure)
    """
    register_fonts()
    if ax is not None:
        return ax
    _, new_ax = plt.subplots(figsize=figsize)
    return new_ax


def finish(ax: Axes, *others: Axes) -> Axes:
    """Give the texts of ``ax`` (and of ``others``: a colour bar, a twin axis) the course's fonts; ``ax``.

    Examples
    --------
    >>> ax = new_axes(None, (4.0, 3.0))
    >>> _ = ax.set_title("客户价值")
    >>> finish(ax).title.get_fontfamily()[:2]
    ['DejaVu Sans', 'Noto Sans CJK SC']
    >>> plt.close(ax.figure)
    """
    apply_fonts(ax, *others)
    return ax
