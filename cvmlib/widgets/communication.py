"""Johari window: tick traits for a person and their colleagues, see the four panes.

Run in notebook view (ipywidgets do not render inside RISE slides).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ipywidgets as widgets

from cvmlib.communication import johari_panes
from cvmlib.display import label
from cvmlib.i18n import N_, _, format_list
from cvmlib.widgets.views import ExplorerBox

__all__ = ["johari_html", "johari_window"]

#: The title of each pane of the window, as shown.
PANE_TITLES: dict[str, str] = {"open": N_("Open"), "blind": N_("Blind"), "hidden": N_("Hidden"),
                               "unknown": N_("Unknown")}


def johari_html(panes: Mapping[str, Sequence[str]]) -> str:
    """The four Johari panes as a 2 x 2 HTML table (known to self across, known to others down).

    Examples
    --------
    >>> html = johari_html({"open": ["calm"], "blind": ["direct"], "hidden": [], "unknown": ["shy"]})
    >>> "Open" in html and "calm" in html and "(none)" in html
    True
    """
    none = _("(none)")

    def cell(pane: str) -> str:
        traits = format_list(str(label(trait)) for trait in panes.get(pane, [])) or f"<i>{none}</i>"
        title = _(PANE_TITLES[pane]) if pane in PANE_TITLES else pane.capitalize()
        return (f'<td style="border:1px solid #888;padding:8px;vertical-align:top;width:45%">'
                f"<b>{title}</b> ({len(panes.get(pane, []))})<br>{traits}</td>")

    # the headers are translated outside the f-strings: babel does not extract a message inside one
    known_self, unknown_self = _("known to self"), _("not known to self")
    known_others, unknown_others = _("known to others"), _("not known to others")
    head = f'<th style="padding:4px"></th><th>{known_self}</th><th>{unknown_self}</th>'
    return (f'<table style="border-collapse:collapse"><tr>{head}</tr>'
            f'<tr><th style="padding:4px">{known_others}</th>{cell("open")}{cell("blind")}</tr>'
            f'<tr><th style="padding:4px">{unknown_others}</th>{cell("hidden")}{cell("unknown")}</tr>'
            "</table>")


def johari_window(
    traits: Sequence[str],
    self_selected: Sequence[str] = (),
    others_selected: Sequence[Sequence[str]] = ((), (), ()),
    min_votes: int = 1,
) -> widgets.VBox:
    """A live Johari window: tick traits for the person and for each colleague, the panes update.

    Parameters
    ----------
    traits : sequence of str
        The traits to choose from.
    self_selected : sequence of str
        Start selection of the person.
    others_selected : sequence of sequences of str
        Start selection of each colleague (one list per colleague; three empty ones by default).
    min_votes : int, default 1
        Start value of "known to others from ... colleagues".

    Returns
    -------
    ipywidgets.VBox
        Display it as the last expression of a cell.
    """
    rows = min(len(traits), 12)

    def picker(chosen: Sequence[str]) -> widgets.SelectMultiple:
        return widgets.SelectMultiple(options=list(traits), value=tuple(chosen), rows=rows,
                                      layout=widgets.Layout(width="130px"))

    mine = picker(self_selected)
    theirs = [picker(chosen) for chosen in others_selected]
    titles = [_("self")] + [_("colleague {n}").format(n=i + 1) for i in range(len(theirs))]
    # label above each list, and wrap onto a new line on narrow pages
    columns = [widgets.VBox([widgets.Label(title), box]) for title, box in zip(titles, [mine, *theirs])]
    votes = widgets.IntSlider(value=min_votes, min=1, max=max(len(theirs), 1),
                              description=_("known to others when chosen by at least"),
                              style={"description_width": "initial"}, layout=widgets.Layout(width="420px"))
    view = widgets.HTML()

    def redraw(*_: object) -> None:
        panes = johari_panes(traits, mine.value, [p.value for p in theirs], min_votes=votes.value)
        view.value = johari_html(panes)

    for control in (mine, votes, *theirs):
        control.observe(redraw, names="value")
    redraw()
    return ExplorerBox([widgets.HBox(columns, layout=widgets.Layout(flex_flow="row wrap")), votes, view])
