"""Lifecycle explorers: move the stage rules and see the stage counts; size a campaign test.

API summary (one example each)

* :func:`stage_rule_explorer` -- sliders for the rule parameters -> customers and share per stage:
  ``stage_rule_explorer(load_orders(), "2026-01-01")`` (the per-customer facts are computed once).
* :func:`stage_rule_table` -- the explorer's table for one slider position:
  ``stage_rule_table(stage_facts(orders, "2026-01-01"), StageRules(at_risk_days=60))``.
* :func:`stage_rule_view` -- that table formatted (caption, thousands separators), as the explorer shows it:
  ``stage_rule_view(facts, StageRules())``.
* :func:`sample_size_explorer` -- sliders for baseline rate, effect, power, alpha and control share
  -> customers needed: ``sample_size_explorer()``.
* :func:`sample_size_table` -- customers needed for a range of effects:
  ``sample_size_table(0.10, [0.01, 0.02, 0.05])``.

Run in notebook view (ipywidgets do not render inside RISE slides).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from cvmlib.display import show
from cvmlib.experiments import sample_size
from cvmlib.i18n import _
from cvmlib.lifecycle import STAGES, StageRules, assign_stages, stage_facts
from cvmlib.validate import InputError, require_1d, require_probability

__all__ = ["sample_size_explorer", "sample_size_table", "stage_rule_explorer", "stage_rule_table",
           "stage_rule_view"]


def stage_rule_table(facts: pd.DataFrame, rules: StageRules, p_alive: pd.Series | None = None) -> pd.DataFrame:
    """Customers, share, median recency and median orders per stage under ``rules``.

    Parameters
    ----------
    facts : pandas.DataFrame
        Output of :func:`cvmlib.lifecycle.stage_facts` (computed once per snapshot).
    rules : StageRules
    p_alive : pandas.Series, optional
        P(alive) per customer, as in :func:`cvmlib.lifecycle.assign_stages`.

    Returns
    -------
    pandas.DataFrame
        Index ``stage`` (every stage of :data:`~cvmlib.lifecycle.STAGES`); columns ``customers``,
        ``customer_share``, ``median_recency_days``, ``median_orders`` (<NA> for an empty stage).

    Examples
    --------
    >>> facts = pd.DataFrame({"recency_days": [10, 100, 300, 20], "orders": [1, 3, 8, 9],
    ...                       "tenure_days": [10, 400, 600, 500], "gap_days": [0, 30, 40, 5]}, index=list("abcd"))
    >>> stage_rule_table(facts, StageRules())["customers"].tolist()
    [1, 0, 1, 1, 1, 0]
    """
    stages = assign_stages(facts, rules, p_alive)
    grouped = facts.groupby(stages, observed=False)
    table = pd.DataFrame({
        "customers": grouped.size().astype(np.int64),
        "median_recency_days": grouped["recency_days"].median().astype("Float64"),
        "median_orders": grouped["orders"].median().astype("Float64"),
    })
    table.insert(1, "customer_share", table["customers"] / max(len(facts), 1))
    table.index = pd.Index(list(STAGES), name="stage")
    return table


def stage_rule_view(facts: pd.DataFrame, rules: StageRules, p_alive: pd.Series | None = None) -> Styler:
    """:func:`stage_rule_table` formatted for display, with its caption.

    >>> facts = pd.DataFrame({"recency_days": [10], "orders": [1], "tenure_days": [10], "gap_days": [0]},
    ...                      index=["a"])
    >>> "Lifecycle stages" in stage_rule_view(facts, StageRules()).to_html()
    True
    """
    table = stage_rule_table(facts, rules, p_alive)
    return show(table, _("Lifecycle stages of {n:,} customers").format(n=len(facts)),
                format={"customers": "{:,}", "customer_share": "{:.1%}", "median_recency_days": "{:,.0f}",
                        "median_orders": "{:,.0f}"},
                na_rep="-")


def stage_rule_explorer(orders: pd.DataFrame, snapshot_date: Any, p_alive: pd.Series | None = None) -> widgets.VBox:
    """Sliders for the stage rules; the stage counts and mix update at once (< 100 ms per change).

    Parameters
    ----------
    orders : pandas.DataFrame
        ``customer_id``, ``order_date`` (and ``order_id``).
    snapshot_date : date
        The "as of" moment of the stages.
    p_alive : pandas.Series, optional
        P(alive) per customer at the snapshot: adds two sliders for the P(alive) thresholds.

    Returns
    -------
    ipywidgets.VBox
        Display it as the last expression of a cell. The table is an HTML widget updated in
        place; an impossible combination (at risk from more days than lapsed) shows the rule's
        message instead of the table.
    """
    facts = stage_facts(orders, snapshot_date)  # once: each slider move only re-applies the rules
    style = {"description_width": "initial"}
    defaults = StageRules()

    def days(value: int, text: str, top: int = 365) -> widgets.IntSlider:
        return widgets.IntSlider(value=value, min=0, max=top, step=5, description=text, style=style,
                                 continuous_update=False, layout=widgets.Layout(width="48%"))

    controls: dict[str, widgets.Widget] = {
        "new_days": days(defaults.new_days, _("new: first order within (days)")),
        "mature_orders": widgets.IntSlider(value=defaults.mature_orders, min=2, max=20, description=_(
            "mature from (orders)"), style=style, continuous_update=False, layout=widgets.Layout(width="48%")),
        "at_risk_days": days(defaults.at_risk_days, _("at risk: no order for more than (days)")),
        "lapsed_days": days(defaults.lapsed_days, _("lapsed: no order for more than (days)"), 540),
        "won_back_days": days(defaults.won_back_days, _("won back: returned within (days)")),
    }
    if p_alive is not None:
        for name, text in (("at_risk_p_alive", _("at risk: P(alive) below")),
                           ("lapsed_p_alive", _("lapsed: P(alive) below"))):
            controls[name] = widgets.FloatSlider(value=getattr(defaults, name), min=0.0, max=1.0, step=0.05,
                                                 description=text, style=style, continuous_update=False,
                                                 readout_format=".0%", layout=widgets.Layout(width="48%"))
    output = widgets.HTML()  # a plain HTML value: it updates in place and renders in the built book too

    def redraw(**values: Any) -> None:
        try:
            rules = StageRules(**values)
        except InputError as problem:  # an impossible combination: the rule's own message
            output.value = f"<p>{html.escape(str(problem))}</p>"
            return
        output.value = stage_rule_view(facts, rules, p_alive).to_html()

    widgets.interactive_output(redraw, controls)
    boxes = list(controls.values())
    rows = [widgets.HBox(boxes[i:i + 2]) for i in range(0, len(boxes), 2)]
    return widgets.VBox([*rows, output])


def sample_size_table(
    baseline: float,
    effects: Sequence[float],
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    control_share: float = 0.5,
) -> pd.DataFrame:
    """Customers needed per group for each effect on a baseline rate (:func:`cvmlib.experiments.sample_size`).

    Parameters
    ----------
    baseline : float
        Control group's rate, in (0, 1).
    effects : sequence of float
        Effects in points of the rate (0.02 = +2 points), none 0.
    alpha, power : float
    control_share : float, default 0.5
        Share of the tested customers kept as control, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        Index ``effect``; columns ``treated_rate``, ``control``, ``treated``, ``total``.

    Examples
    --------
    >>> sample_size_table(0.10, [0.02, 0.05])["total"].tolist()
    [7682, 1372]
    """
    share = require_probability(control_share, "control_share", inclusive="neither", scalar=True)
    values = np.asarray(require_1d(effects, "effects"), dtype=float)
    rows = []
    for effect in values:
        size = sample_size(baseline, float(effect), alpha=alpha, power=power, ratio=(1 - share) / share)
        rows.append({"effect": effect, "treated_rate": baseline + effect, "control": size.control,
                     "treated": size.treated, "total": size.total})
    return pd.DataFrame(rows).set_index("effect")


def sample_size_explorer(baseline: float = 0.10, effect: float = 0.02) -> widgets.VBox:
    """Sliders for the baseline rate, the effect, alpha, power and the control share -> customers needed.

    Returns
    -------
    ipywidgets.VBox
        Shows the sample size for the slider position and a table for half, the same and twice
        the effect (a smaller effect needs a much larger test: the size grows with 1 / effect^2).
    """
    style = {"description_width": "initial"}
    layout = widgets.Layout(width="48%")
    controls = {
        "baseline": widgets.FloatSlider(value=baseline, min=0.01, max=0.9, step=0.01, readout_format=".0%",
                                        description=_("baseline rate (control)"), style=style,
                                        continuous_update=False, layout=layout),
        "effect": widgets.FloatSlider(value=effect, min=0.002, max=0.2, step=0.002, readout_format=".1%",
                                      description=_("effect to detect (points)"), style=style,
                                      continuous_update=False, layout=layout),
        "alpha": widgets.FloatSlider(value=0.05, min=0.01, max=0.2, step=0.01, readout_format=".0%",
                                     description=_("significance level alpha"), style=style,
                                     continuous_update=False, layout=layout),
        "power": widgets.FloatSlider(value=0.8, min=0.5, max=0.99, step=0.01, readout_format=".0%",
                                     description=_("power"), style=style, continuous_update=False, layout=layout),
        "control_share": widgets.FloatSlider(value=0.5, min=0.05, max=0.95, step=0.05, readout_format=".0%",
                                             description=_("control group share"), style=style,
                                             continuous_update=False, layout=layout),
    }
    output = widgets.HTML()

    def redraw(baseline: float, effect: float, alpha: float, power: float, control_share: float) -> None:
        try:
            table = sample_size_table(baseline, [effect / 2, effect, effect * 2], alpha=alpha, power=power,
                                      control_share=control_share)
        except InputError as problem:  # e.g. baseline + effect above 100 %
            output.value = f"<p>{html.escape(str(problem))}</p>"
            return
        output.value = show(table, _("Customers needed to detect an effect on a {rate:.0%} baseline").format(
            rate=baseline), format={"treated_rate": "{:.1%}", "control": "{:,}", "treated": "{:,}",
                                    "total": "{:,}"}).to_html()

    widgets.interactive_output(redraw, controls)
    boxes = list(controls.values())
    rows = [widgets.HBox(boxes[i:i + 2]) for i in range(0, len(boxes), 2)]
    return widgets.VBox([*rows, output])
