"""The one rule every plot of the course follows: draw on the Axes given, or on a new figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """``ax`` itself, or the Axes of a new figure of ``figsize`` inches when ``ax`` is None.

    Examples
    --------
    >>> ax = new_axes(None, (4.0, 3.0))
    >>> ax.figure.get_size_inches().tolist(), new_axes(ax, (9.0, 9.0)) is ax
    ([4.0, 3.0], True)
    >>> plt.close(ax.figure)
    """
    if ax is not None:
        return ax
    _, new_ax = plt.subplots(figsize=figsize)
    return new_ax
