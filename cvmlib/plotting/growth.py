"""Plots of growth: CLV by acquisition channel with the break-even CAC, the loyalty waterfall, offer hit rates.

API summary (one example each):

* :func:`channel_clv_plot` -- mean CLV per channel (bars), the truth and a CAC ceiling (markers)::

      channel_clv_plot(clv_by_channel(orders, customers, snapshot_date="2026-01-01", truth=truth),
                       cac=break_even_cac(table, payback=6))

* :func:`loyalty_waterfall_plot` -- incremental margin minus the costs equals the net value::

      loyalty_waterfall_plot(programme_economics(model))

* :func:`offer_hit_rate_plot` -- hit rate of co-occurrence against the popularity baseline::

      offer_hit_rate_plot(evaluate_offers(orders, "2025-07-01"))
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from cvmlib.display import readable
from cvmlib.i18n import _
from cvmlib.plotting._axes import finish, new_axes
from cvmlib.validate import InputError, require_finite, require_non_negative, require_probability, require_table

__all__ = ["channel_clv_plot", "loyalty_waterfall_plot", "offer_hit_rate_plot"]


def channel_clv_plot(table: pd.DataFrame, ax: Axes | None = None, *, cac: pd.DataFrame | None = None) -> Axes:
    """Mean expected CLV per acquisition channel (bars), the truth's mean (dots) and a CAC ceiling (lines).

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`cvmlib.acquisition.clv_by_channel` (``true_mean_clv`` drawn when present).
    ax : matplotlib.axes.Axes, optional
    cac : pandas.DataFrame, optional
        Output of :func:`cvmlib.acquisition.break_even_cac` (e.g. with a payback period): its
        ``max_cac`` is drawn as a short line over each bar.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> t = pd.DataFrame({"customers": [10, 20], "mean_clv": [300.0, 200.0], "true_mean_clv": [310.0, 190.0]},
    ...                  index=pd.Index(["search", "referral"], name="acquisition_channel"))
    >>> ax = channel_clv_plot(t, cac=pd.DataFrame({"max_cac": [100.0, 70.0], "months": 6}, index=t.index))
    >>> len(ax.patches), len(ax.get_legend().get_texts())
    (2, 3)
    >>> plt.close("all")
    """
    require_table(table, "table (from clv_by_channel)", ["customers", "mean_clv"])
    require_non_negative(table["mean_clv"], "mean_clv", frame=table)
    ax = new_axes(ax, (7.0, 4.2))
    names = [str(readable(n)) for n in table.index]  # channels as a sentence writes them, in both languages
    x = np.arange(len(table))
    horizon = table.attrs.get("settings", {}).get("horizon_months")
    bar_label = (_("model: mean expected CLV, next {months} months").format(months=horizon) if horizon
                 else _("model: mean expected CLV"))
    ax.bar(x, table["mean_clv"], color="C0", alpha=0.85, label=bar_label)
    top = table[["mean_clv"] + (["true_mean_clv"] if "true_mean_clv" in table.columns else [])].max(axis=1)
    for xi, value, mean, n in zip(x, top, table["mean_clv"], table["customers"]):  # above the bar and the truth's dot
        ax.text(float(xi), value * 1.02, _("{value:,.0f}\n({n:,} customers)").format(value=mean, n=int(n)), ha="center",
                va="bottom", fontsize=8)
    if "true_mean_clv" in table.columns:
        require_non_negative(table["true_mean_clv"], "true_mean_clv", frame=table)
        ax.plot(x, table["true_mean_clv"], "o", color="C3", label=_("generator's truth"))
    if cac is not None:
        require_table(cac, "cac (from break_even_cac)", ["max_cac"])
        require_non_negative(cac["max_cac"], "max_cac", frame=cac)
        ceiling = cac["max_cac"].reindex(table.index)
        if ceiling.isna().any():
            raise InputError(_("cac has no row for some channels of table: pass break_even_cac(table) of the same "
                               "table."))
        months = int(cac["months"].iloc[0]) if "months" in cac.columns else None
        ax.hlines(ceiling, x - 0.4, x + 0.4, colors="black", linewidth=2,
                  label=(_("maximum CAC (CLV of the first {months} months)").format(months=months) if months
                         else _("maximum CAC")))
    ax.set_xticks(x, names)
    ax.set_ylabel(_("CNY per acquired customer"))
    ax.set_ylim(0, float(top.max()) * 1.45)  # room for the legend above the bars
    ax.legend(loc="upper center", ncol=2, fontsize=8)
    ax.set_title(_("What a customer of each channel is worth: the most it can cost to acquire"))
    return finish(ax)


#: Steps of the loyalty waterfall: item, sign (+1 adds, -1 subtracts).
WATERFALL_STEPS: tuple[tuple[str, int], ...] = (
    ("incremental_margin", 1), ("rewards_on_baseline", -1), ("rewards_on_incremental", -1), ("fixed_cost", -1))


def loyalty_waterfall_plot(economics: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Waterfall of a loyalty programme's year: incremental margin - rewards - fixed cost = net value.

    Parameters
    ----------
    economics : pandas.DataFrame
        Output of :func:`cvmlib.loyalty.programme_economics`.
    ax : matplotlib.axes.Axes, optional

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cvmlib.loyalty import ProgrammeModel, programme_economics
    >>> m = ProgrammeModel(members=1000, spend_per_member=1000.0, points_per_yuan=1.0, cost_per_point=0.05,
    ...                    breakage_rate=0.2, incremental_purchase_rate=0.2, margin=0.3, fixed_cost=10_000.0)
    >>> ax = loyalty_waterfall_plot(programme_economics(m))
    >>> len(ax.patches)
    5
    >>> plt.close("all")
    """
    require_table(economics, "economics (from programme_economics)", ["figure"])
    needed = [item for item, _sign in WATERFALL_STEPS] + ["net_value"]
    missing = [item for item in needed if item not in economics.index]
    if missing:
        raise InputError(_("economics has no row {items}: pass the table programme_economics returned.").format(
            items=", ".join(missing)))
    values = require_finite(economics.loc[needed, "figure"].astype(float), "figure")
    ax = new_axes(ax, (7.5, 4.2))
    level = 0.0
    for i, (item, sign) in enumerate(WATERFALL_STEPS):
        amount = sign * float(values[item])
        bottom = level if amount >= 0 else level + amount
        ax.bar(i, abs(amount), bottom=bottom, color="C2" if amount >= 0 else "C3")
        ax.text(i, max(level, level + amount), _("{value:+,.0f}").format(value=amount), ha="center", va="bottom",
                fontsize=8)
        level += amount
    net = float(values["net_value"])
    ax.bar(len(WATERFALL_STEPS), abs(net), bottom=min(0.0, net), color="C0" if net >= 0 else "C1")
    ax.text(len(WATERFALL_STEPS), max(0.0, net), _("{value:+,.0f}").format(value=net), ha="center", va="bottom",
            fontsize=9)
    ax.axhline(0, color="black", linewidth=0.8)
    names = [_(label_text) for label_text in _waterfall_labels()]
    ax.set_xticks(range(len(names)), names, fontsize=8, rotation=15, ha="right")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))  # thousands separators
    ax.set_ylabel(_("CNY per year"))
    ax.set_title(_("Loyalty programme (a model with made-up parameters): where the money goes"))
    return finish(ax)


def _waterfall_labels() -> list[str]:
    from cvmlib.loyalty import ECONOMICS_ITEMS  # plots import topic constants, never the other way round

    return [ECONOMICS_ITEMS[item] for item, _sign in WATERFALL_STEPS] + [ECONOMICS_ITEMS["net_value"]]


def offer_hit_rate_plot(evaluation: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Hit rate of each recommendation method, among all recommended customers and among the active ones.

    Parameters
    ----------
    evaluation : pandas.DataFrame
        Output of :func:`cvmlib.offers.evaluate_offers` (one row per method).
    ax : matplotlib.axes.Axes, optional

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> e = pd.DataFrame({"hit_rate": [0.14, 0.12], "hit_rate_active": [0.29, 0.24], "customers": [100, 100]},
    ...                  index=pd.Index(["cooccurrence", "popularity"], name="method"))
    >>> ax = offer_hit_rate_plot(e)
    >>> len(ax.patches)
    4
    >>> plt.close("all")
    """
    require_table(evaluation, "evaluation (from evaluate_offers)", ["hit_rate", "hit_rate_active"])
    for col in ("hit_rate", "hit_rate_active"):
        require_probability(evaluation[col], col, frame=evaluation)
    ax = new_axes(ax, (6.5, 4.0))
    groups = [_("all recommended customers"), _("customers who bought again")]
    width = 0.8 / len(evaluation)
    x = np.arange(len(groups))
    for i, (method, row) in enumerate(evaluation.iterrows()):
        rates = [row["hit_rate"], row["hit_rate_active"]]
        pos = x - 0.4 + width * (i + 0.5)
        ax.bar(pos, np.array(rates) * 100, width, color=f"C{i}", label=str(readable(method)))
        for p, r in zip(pos, rates):
            ax.text(p, r * 100, _("{rate:.1%}").format(rate=r), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, groups)
    ax.set_ylabel(_("% who bought a recommended category"))
    ax.set_ylim(0, float(evaluation[["hit_rate", "hit_rate_active"]].to_numpy().max()) * 100 * 1.25)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(_("Next best offer in the holdout: hit rate against the popularity baseline"))
    return finish(ax)
