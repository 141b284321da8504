"""What the live explorers show: HTML tables and a chart redrawn as a PNG per update.

Tables: :func:`table_html` gives a pandas Styler the spacing and lines the notebook gives a
DataFrame (an ``HTML`` widget is outside the notebook's table CSS, so columns would run together).

Slides: :class:`ExplorerBox` is an ``ipywidgets.VBox`` that also offers a static HTML snapshot of
itself. Where widgets render (JupyterLab's notebook view, the book) the live explorer wins; where
they do not (RISE slides: jupyterlab-contrib/rise#119) the slide shows the snapshot of the state
the explorer was displayed in, with a note to switch to the notebook view for the live sliders.

Chart: a slider move must answer in well under 100 ms, and most of a matplotlib draw is text (tick
labels, segment names, titles) that does not change between moves. :class:`LivePicture` draws the
whole figure once, keeps that picture without the moving artists (matplotlib's "blitting"), and
on every update paints only the moving artists on top of it. The figure is never registered
with pyplot: the inline backend (which shows and closes every pyplot figure whenever a cell or a
comm message ends, on whichever kernel thread that happens) can neither show nor close it.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pandas.io.formats.style import Styler
from PIL import Image

from cvmlib.i18n import N_, _, format_list

__all__ = ["TABLE_STYLES", "table_html", "LivePicture", "ExplorerBox", "snapshot_html"]

#: Said under every snapshot: where the live explorer is.
SNAPSHOT_NOTE = N_("Snapshot of the explorer as it was displayed: widgets do not run inside slides. "
                   "Open the notebook view (the notebook's own tab) to move the sliders.")

#: Cell spacing, right-aligned numbers and thin rules, as JupyterLab shows a DataFrame.
TABLE_STYLES = [
    {"selector": "", "props": "border-collapse: collapse; font-size: 12px; margin: 4px 0"},
    {"selector": "th, td", "props": "padding: 3px 10px; text-align: right; border: none"},
    {"selector": "thead th", "props": "border-bottom: 1px solid #888; vertical-align: bottom"},
    {"selector": "tbody tr:nth-child(odd)", "props": "background: #f5f5f5"},
    {"selector": "tbody th", "props": "font-weight: bold"},
]


def table_html(styler: Styler) -> str:
    """``styler`` as HTML with :data:`TABLE_STYLES` (scoped to this table by the Styler's id).

    Examples
    --------
    >>> import pandas as pd
    >>> html = table_html(pd.DataFrame({"share": [0.25]}).style.format("{:.0%}"))
    >>> "25%" in html, "padding: 3px 10px" in html
    (True, True)
    """
    return styler.set_table_styles(TABLE_STYLES, overwrite=False).to_html()


class LivePicture:
    """A figure whose fixed parts are drawn once; :meth:`png` paints the moving artists on them.

    Parameters
    ----------
    figsize : (float, float)
        Size in inches.
    dpi : float
        Dots per inch (screen resolution keeps each PNG light).

    Examples
    --------
    >>> picture = LivePicture((3.0, 2.0), dpi=50)
    >>> ax = picture.figure.add_subplot()
    >>> line, = ax.plot([0, 1], [0, 1])
    >>> picture.rebuild([line])
    >>> first = picture.png()
    >>> line.set_ydata([1, 0])
    >>> second = picture.png()
    >>> first[:4] == b"\\x89PNG", first != second, picture.built
    (True, True, True)
    """

    def __init__(self, figsize: tuple[float, float], dpi: float) -> None:
        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self._moving: list[Artist] = []
        self._background: object | None = None

    @property
    def built(self) -> bool:
        """True once :meth:`rebuild` has drawn the fixed parts."""
        return self._background is not None

    def rebuild(self, moving: Sequence[Artist]) -> None:
        """Draw everything except ``moving`` and keep that picture as the background of later updates."""
        for artist in self._moving:
            artist.set_animated(False)
        self._moving = list(moving)
        for artist in self._moving:
            artist.set_animated(True)  # a canvas draw leaves animated artists out
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)

    def png(self) -> bytes:
        """The background with the moving artists in their current state, as PNG bytes."""
        if self._background is None:
            raise RuntimeError("LivePicture.png() before rebuild(): draw the fixed parts first.")
        self.canvas.restore_region(self._background)
        for artist in self._moving:
            self.figure.draw_artist(artist)
        pixels = np.asarray(self.canvas.buffer_rgba())
        buffer = io.BytesIO()
        # level 1: a fifth of the encoding time of the default for a few more kB on a local socket
        Image.fromarray(pixels[..., :3]).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def _control_text(widget: widgets.Widget) -> str | None:
    """``description: value`` of a slider, checkbox or other value control (None for other widgets)."""
    if not isinstance(widget, widgets.ValueWidget) or isinstance(widget, (widgets.HTML, widgets.Image,
                                                                            widgets.Label)):
        return None
    value = widget.value
    if isinstance(widget, (widgets.IntRangeSlider, widgets.FloatRangeSlider)):
        shown = _("{low} to {high}").format(low=value[0], high=value[1])
    elif isinstance(value, tuple):  # a multiple choice
        shown = format_list(map(str, value)) or _("(none)")
    elif isinstance(widget, widgets.Checkbox):
        shown = _("yes") if value else _("no")
    elif isinstance(value, float):
        shown = f"{value:g}"
    else:
        shown = str(value)
    description = getattr(widget, "description", "")
    if not description:  # the label is beside the control (an HTML above it), not in it: the value alone
        return f"<b>{html.escape(shown)}</b>"
    return f"{html.escape(description)}: <b>{html.escape(shown)}</b>"


def _parts(widget: widgets.Widget, controls: list[str], views: list[str]) -> None:
    if isinstance(widget, widgets.Box):
        for child in widget.children:
            _parts(child, controls, views)
    elif isinstance(widget, widgets.Image) and widget.value:
        data = base64.b64encode(bytes(widget.value)).decode("ascii")
        views.append(f'<img src="data:image/{widget.format};base64,{data}" style="max-width:100%">')
    elif isinstance(widget, widgets.HTML) and widget.value:
        if views and views[-1].startswith("<img") and "<table" not in widget.value:
            views[-1] += f"<br>{widget.value}"  # a caption under its picture (a chart's key)
        else:
            views.append(widget.value)
    else:
        text = _control_text(widget)
        if text is not None:
            controls.append(text)


def snapshot_html(box: widgets.Box) -> str:
    """A static picture of ``box`` as HTML: its settings, its tables and images, and where the live one is.

    Examples
    --------
    >>> box = ExplorerBox([widgets.IntSlider(value=30, description="days"), widgets.HTML("<p>table</p>")])
    >>> page = snapshot_html(box)
    >>> "days: <b>30</b>" in page, "<p>table</p>" in page, "notebook view" in page
    (True, True, True)
    """
    controls: list[str] = []
    views: list[str] = []
    _parts(box, controls, views)
    settings = f"<p>{' &nbsp;&middot;&nbsp; '.join(controls)}</p>" if controls else ""
    # side by side where the screen is wide enough (a slide), one under the other where not
    shown = "".join(f'<div style="flex: 0 1 auto; max-width: 100%">{view}</div>' for view in views)
    return (f'<div class="cvm-explorer-snapshot">{settings}'
            f'<div style="display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: flex-start">{shown}</div>'
            f"<p><small><i>{html.escape(_(SNAPSHOT_NOTE))}</i></small></p></div>")


class ExplorerBox(widgets.VBox):
    """An explorer's ``VBox`` that also offers a static snapshot (``text/html``) for places without widgets.

    JupyterLab and the book render the widget; RISE slides, which cannot, fall back on the snapshot.

    Examples
    --------
    >>> bundle = ExplorerBox([widgets.HTML("<p>42</p>")])._repr_mimebundle_()
    >>> sorted(bundle), "<p>42</p>" in bundle["text/html"]
    (['application/vnd.jupyter.widget-view+json', 'text/html', 'text/plain'], True)
    """

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(super()._repr_mimebundle_(**kwargs) or {})
        bundle["text/html"] = snapshot_html(self)
        return bundle
