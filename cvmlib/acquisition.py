"""Acquisition value: expected CLV by acquisition channel and the most a channel can pay per new customer.

API summary (one example each; ``orders = load_orders()``, ``customers = load_customers()``):

* :func:`customer_clv` -- expected CLV per customer (BG/NBD + Gamma-Gamma, fitted on every customer)::

      clv = customer_clv(orders, snapshot_date="2026-01-01")            # DataFrame, column "clv"

* :func:`true_clv` -- the same quantity computed from the generator's truth (a check, never a feature)::

      truth_value = true_clv(load_truth(), snapshot_date="2026-01-01")

* :func:`clv_by_channel` -- customers, mean / median / total CLV and share of total per channel::

      table = clv_by_channel(orders, customers, snapshot_date="2026-01-01", truth=load_truth())

* :func:`break_even_cac` -- the most a channel can pay to acquire one customer and break even::

      cac = break_even_cac(table)                # over the whole horizon
      cac6 = break_even_cac(table, payback=6)    # must be paid back within 6 months

* :func:`cac_sensitivity` -- break-even CAC per channel for several horizons (months)::

      cac_sensitivity(table, horizons=(3, 6, 12))

Definitions used here:

* **Expected CLV** of a customer at ``snapshot_date``: ``margin x E[spend per order] x sum over
  months k = 1..H of E[orders in month k] / (1 + d)^k``, with the BG/NBD model (weeks) for the
  orders, the Gamma-Gamma model for the spend per order, months of 30.4375 days, a monthly
  discount rate ``d``, and each month's margin discounted as if received at its end (the
  conventions of :func:`cvmlib.clv.customer_lifetime_value`, which computes it). Only orders
  placed *before* ``snapshot_date`` are used (what was known then); a customer counts once they
  have placed an order. It is the value of the *future* purchases of customers already acquired:
  the first order (already paid for) is not in it.
* **Break-even CAC** (customer acquisition cost) of a channel: the mean expected CLV of the
  customers it acquired. Paying more per new customer than that loses money on average, for the
  stated margin, discount rate and horizon. With a payback period of ``P`` months only the first
  ``P`` months count (the CAC must be earned back within ``P`` months). The rule "LTV:CAC of 3:1"
  is ``target_ratio=3``.

The CLV is computed for the customers a channel already brought in (their observed histories),
and the break-even CAC treats a *new* customer of the channel as one more of the same kind: that
holds as long as the channel's mix of customers does not change with the spend on it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.clv import BetaGeo, GammaGamma, customer_lifetime_value, summarize_purchases, unit_days
from cvmlib.display import register_columns
from cvmlib.i18n import N_, _
from cvmlib.validate import (
    InputError,
    as_timestamp,
    require_int,
    require_known,
    require_non_negative,
    require_positive,
    require_present,
    require_probability,
    require_table,
    require_unique,
    validate_transactions,
)

__all__ = ["TABLE_COLUMNS", "break_even_cac", "cac_sensitivity", "clv_by_channel", "customer_clv", "true_clv"]

#: Columns of :func:`clv_by_channel` (``true_mean_clv`` only when the truth is given).
TABLE_COLUMNS: tuple[str, ...] = ("customers", "mean_clv", "median_clv", "total_clv", "share_of_total")

#: Days in a CLV month (365.25 / 12) and in a week: the models run in weeks, CLV periods are months.
MONTH_DAYS = unit_days("M")
WEEKS_PER_MONTH = MONTH_DAYS / unit_days("W")

#: Longest horizon accepted (months): 30 years is already far beyond any acquisition decision.
MAX_HORIZON_MONTHS = 360

register_columns({
    "mean_clv": N_("mean CLV (CNY)"), "median_clv": N_("median CLV (CNY)"), "total_clv": N_("total CLV (CNY)"),
    "share_of_total": N_("share of total CLV"), "true_mean_clv": N_("true mean CLV (CNY)"),
    "months": N_("months counted"), "clv": N_("CLV (CNY)"), "max_cac": N_("maximum CAC (CNY)"),
    "p_alive": N_("P(alive)"), "expected_spend": N_("expected spend per order (CNY)")})

_INPUTS = "clv_inputs"  # key in DataFrame.attrs: each customer's BTYD summary and channel


def _horizon_rates(horizon_months: Any, margin: Any, discount_rate: Any) -> tuple[int, float, float]:
    h = require_int(horizon_months, "horizon_months", minimum=1, maximum=MAX_HORIZON_MONTHS)
    m = float(require_probability(margin, "margin", scalar=True))
    d = float(require_probability(discount_rate, "discount_rate", scalar=True))
    return h, m, d


def _history(orders: pd.DataFrame, snapshot: pd.Timestamp, customer_col: Hashable, date_col: Hashable,
             amount_col: Hashable) -> pd.DataFrame:
    """The validated orders placed before ``snapshot`` (an InputError when there is none)."""
    valid = validate_transactions(orders, customer_col=customer_col, order_col=None, date_col=date_col,
                                  amount_col=amount_col, duplicates="keep")
    before = valid[valid[date_col] < snapshot]
    if before.empty:
        raise InputError(_("No order in {column!r} is before snapshot_date {snapshot}: there is no customer to value "
                           "yet. Choose a later snapshot_date.").format(column=date_col,
                                                                        snapshot=f"{snapshot:%Y-%m-%d}"))
    return before


def customer_clv(
    orders: pd.DataFrame,
    *,
    snapshot_date: Any,
    horizon_months: int = 12,
    margin: float = 0.3,
    discount_rate: float = 0.01,
    customer_col: Hashable = "customer_id",
    date_col: Hashable = "order_date",
    amount_col: Hashable = "amount",
) -> pd.DataFrame:
    """Expected CLV of every customer with an order before ``snapshot_date`` (BG/NBD + Gamma-Gamma).

    Both models are fitted on all those customers (BTYD summary in weeks, orders collapsed to one
    per customer per day, see :func:`cvmlib.clv.summarize_purchases`; the observation ends on the
    day before ``snapshot_date``). The CLV is the discounted margin of the next
    ``horizon_months`` months (months of 30.4375 days, ``discount_rate`` per month).

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order (checked with :func:`cvmlib.validate.validate_transactions`); orders on or
        after ``snapshot_date`` are ignored (they had not happened yet).
    snapshot_date : date
        The moment of the valuation (a date string means midnight: ``"2026-01-01"`` uses every order
        of 2025-12-31).
    horizon_months : int, default 12
        Months valued (1..360).
    margin : float, default 0.3
        Share of spend that is profit (30 % is 0.3).
    discount_rate : float, default 0.01
        Discount rate per month (1 % a month is 0.01).
    customer_col, date_col, amount_col : column names

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id: ``frequency``, ``recency``, ``T`` (weeks), ``monetary_value``,
        ``p_alive``, ``expected_spend`` (CNY per order, Gamma-Gamma) and ``clv`` (CNY, >= 0). The
        fitted models are in ``.attrs["models"]``, the settings in ``.attrs["settings"]``.

    Examples
    --------
    >>> from cvmlib.datasets import load_orders
    >>> clv = customer_clv(load_orders(), snapshot_date="2026-01-01")
    >>> len(clv), bool((clv["clv"] >= 0).all())
    (5000, True)
    """
    snapshot = as_timestamp(snapshot_date, "snapshot_date")
    h, m, d = _horizon_rates(horizon_months, margin, discount_rate)
    before = _history(orders, snapshot, customer_col, date_col, amount_col)
    summary = summarize_purchases(before, customer_col, date_col, amount_col,
                                  observation_end=(snapshot - pd.Timedelta(days=1)).normalize(), unit="W",
                                  duplicates="keep")
    x, tx, big_t, mx = (summary[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T", "monetary_value"))
    bg = BetaGeo().fit(x, tx, big_t)
    if not (x > 0).any():
        raise InputError(_("No customer has a repeat order before snapshot_date {snapshot}: the spend model needs "
                           "repeat customers. Choose a later snapshot_date.").format(snapshot=f"{snapshot:%Y-%m-%d}"))
    gg = GammaGamma().fit(x, mx)
    spend = gg.conditional_expected_average_profit(x, mx)
    out = summary[["frequency", "recency", "T", "monetary_value"]].copy()
    out["p_alive"] = bg.p_alive(x, tx, big_t)
    out["expected_spend"] = spend
    out["clv"] = customer_lifetime_value(bg, gg, x, tx, big_t, mx, horizon=h, discount_rate=d, unit="W", period="M",
                                         margin=m)
    out.attrs["models"] = {"purchases": bg, "spend": gg}
    out.attrs["settings"] = {"snapshot_date": snapshot, "horizon_months": h, "margin": m, "discount_rate": d}
    return out


def true_clv(
    truth: pd.DataFrame,
    *,
    snapshot_date: Any,
    customer_ids: Sequence[Hashable] | pd.Index | None = None,
    horizon_months: int = 12,
    margin: float = 0.3,
    discount_rate: float = 0.01,
    customer_col: Hashable = "customer_id",
) -> pd.Series:
    """The CLV the generator's own story expects for each customer at ``snapshot_date``.

    From :func:`cvmlib.datasets.load_truth`: a customer still alive at the snapshot buys at their
    weekly rate ``lambda`` and drops out after each purchase with probability ``p``, so the
    expected number of orders in the next ``t`` weeks is ``(1 - exp(-lambda p t)) / p``; each
    order is worth ``mean_spend`` on average. A customer who has dropped out (``dropout_date``
    before the snapshot) is worth 0. Same margin, monthly discounting and months of 30.4375 days
    as :func:`customer_clv`. The generator's extra dropout after a badly handled complaint is
    left out, so this truth is slightly optimistic.

    Parameters
    ----------
    truth : pandas.DataFrame
        ``customer_id``, ``purchase_rate_per_week``, ``dropout_prob``, ``dropout_date``,
        ``mean_spend`` (the columns of :func:`~cvmlib.datasets.load_truth`).
    snapshot_date, horizon_months, margin, discount_rate
        As in :func:`customer_clv`.
    customer_ids : sequence, optional
        The customers to value (e.g. those acquired before the snapshot: the index of
        :func:`customer_clv`); default every row of ``truth``.

    Returns
    -------
    pandas.Series
        ``true_clv`` (CNY) indexed by customer id.

    Examples
    --------
    >>> from cvmlib.datasets import load_truth
    >>> v = true_clv(load_truth(), snapshot_date="2026-01-01")
    >>> len(v), bool((v >= 0).all())
    (5000, True)
    """
    snapshot = as_timestamp(snapshot_date, "snapshot_date")
    h, m, d = _horizon_rates(horizon_months, margin, discount_rate)
    cols = ["purchase_rate_per_week", "dropout_prob", "dropout_date", "mean_spend"]
    require_table(truth, "truth", [customer_col, *cols])
    # a rate of 0.0000 exists (the file rounds to 4 decimals): such a customer never buys again
    require_non_negative(truth["purchase_rate_per_week"], "purchase_rate_per_week", frame=truth)
    require_non_negative(truth["mean_spend"], "mean_spend", frame=truth)
    require_probability(truth["dropout_prob"], "dropout_prob", frame=truth)
    require_unique(truth[customer_col], customer_col, what="customer id", frame=truth)
    t = truth.set_index(customer_col)
    if customer_ids is not None:
        ids = pd.Index(customer_ids)
        require_known(pd.Series(ids), t.index, "customer_ids", known_name="truth")
        t = t.reindex(ids)
    lam, p = t["purchase_rate_per_week"].to_numpy(float), t["dropout_prob"].to_numpy(float)
    dropped = pd.to_datetime(t["dropout_date"])
    alive = (dropped.isna() | (dropped >= snapshot)).to_numpy()
    weeks = WEEKS_PER_MONTH * np.arange(h + 1)
    hazard = lam[:, None] * p[:, None] * weeks[None, :]
    # E[orders in (0, t]] = (1 - exp(-lambda p t)) / p, and lambda t when p = 0 (never drops out)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(p[:, None] > 0, -np.expm1(-hazard) / np.where(p > 0, p, 1.0)[:, None],
                            lam[:, None] * weeks[None, :])
    per_month = np.diff(expected, axis=1) @ (1 + d) ** -np.arange(1, h + 1)
    value = np.where(alive, m * t["mean_spend"].to_numpy(float) * per_month, 0.0)
    return pd.Series(value, index=t.index, name="true_clv")


def clv_by_channel(
    orders: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    snapshot_date: Any,
    horizon_months: int = 12,
    margin: float = 0.3,
    discount_rate: float = 0.01,
    channel_col: Hashable = "acquisition_channel",
    customer_col: Hashable = "customer_id",
    date_col: Hashable = "order_date",
    amount_col: Hashable = "amount",
    truth: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Expected CLV of the customers each acquisition channel brought in (see :func:`customer_clv`).

    Parameters
    ----------
    orders, snapshot_date, horizon_months, margin, discount_rate, customer_col, date_col, amount_col
        As in :func:`customer_clv` (models fitted on all customers together, not per channel: a
        small channel borrows strength from the others).
    customers : pandas.DataFrame
        One row per customer with ``customer_col`` and ``channel_col``; every customer of
        ``orders`` must be in it.
    channel_col : column name, default "acquisition_channel"
    truth : pandas.DataFrame, optional
        :func:`~cvmlib.datasets.load_truth`: adds ``true_mean_clv`` (:func:`true_clv`), the check.

    Returns
    -------
    pandas.DataFrame
        One row per channel (the channel's categories in order when it is a Categorical):
        ``customers`` (acquired before the snapshot), ``mean_clv``, ``median_clv``, ``total_clv``
        (CNY), ``share_of_total`` (of the total CLV, 0..1) [, ``true_mean_clv``]. Its ``.attrs``
        keep the settings, the fitted models and each customer's summary, which
        :func:`break_even_cac` and :func:`cac_sensitivity` use to value shorter horizons.

    Examples
    --------
    >>> from cvmlib.datasets import load_customers, load_orders
    >>> table = clv_by_channel(load_orders(), load_customers(), snapshot_date="2026-01-01")
    >>> table.index.tolist()
    ['search', 'social_media', 'livestream', 'referral', 'in_store']
    >>> int(table["customers"].sum()), round(float(table["share_of_total"].sum()), 6)
    (5000, 1.0)
    """
    require_table(customers, "customers", [customer_col, channel_col])
    require_unique(customers[customer_col], customer_col, what="customer id", frame=customers)
    require_present(customers[channel_col], channel_col, what="an acquisition channel", frame=customers)
    require_table(orders, "orders", [customer_col])
    require_known(orders[customer_col], customers[customer_col], customer_col, known_name="customers",
                  frame=orders, fix=N_("Every customer with orders needs a row in customers (their channel)."))
    if truth is not None:
        require_table(truth, "truth", [customer_col])
    values = customer_clv(orders, snapshot_date=snapshot_date, horizon_months=horizon_months, margin=margin,
                          discount_rate=discount_rate, customer_col=customer_col, date_col=date_col,
                          amount_col=amount_col)
    channel = customers.set_index(customer_col)[channel_col].reindex(values.index)
    if not isinstance(channel.dtype, pd.CategoricalDtype):
        channel = channel.astype(pd.CategoricalDtype(sorted(channel.unique(), key=str)))
    grouped = values["clv"].groupby(channel, observed=True)
    table = pd.DataFrame({"customers": grouped.size(), "mean_clv": grouped.mean(), "median_clv": grouped.median(),
                          "total_clv": grouped.sum()})
    total = float(table["total_clv"].sum())
    table["share_of_total"] = table["total_clv"] / total if total > 0 else 0.0
    if truth is not None:
        truth_value = true_clv(truth, snapshot_date=snapshot_date, customer_ids=values.index,
                               horizon_months=horizon_months, margin=margin, discount_rate=discount_rate,
                               customer_col=customer_col)
        table["true_mean_clv"] = truth_value.groupby(channel.reindex(truth_value.index), observed=True).mean()
    table.index.name = channel_col
    # what break_even_cac and cac_sensitivity need to value other horizons without a new fit
    table.attrs[_INPUTS] = values[["frequency", "recency", "T", "monetary_value"]].assign(channel=channel)
    table.attrs["models"] = dict(values.attrs["models"])
    table.attrs["settings"] = dict(values.attrs["settings"])
    return table


def _checked_table(table: Any) -> tuple[pd.DataFrame, dict[str, Any]]:
    require_table(table, "table", ["customers", "mean_clv"])
    if not all(key in table.attrs for key in (_INPUTS, "models", "settings")):
        raise InputError(_("table has no CLV build-up: pass the table clv_by_channel returned (or a row selection "
                           "of it), not a table built by hand."))
    return table, table.attrs["settings"]


def _mean_clv(table: pd.DataFrame, months: int) -> pd.Series:
    """Mean CLV per channel of ``table`` over the first ``months`` months (same models and settings)."""
    inputs, models, settings = table.attrs[_INPUTS], table.attrs["models"], table.attrs["settings"]
    if months == settings["horizon_months"]:
        return table["mean_clv"]
    value = customer_lifetime_value(models["purchases"], models["spend"], inputs["frequency"], inputs["recency"],
                                    inputs["T"], inputs["monetary_value"], horizon=months,
                                    discount_rate=settings["discount_rate"], unit="W", period="M",
                                    margin=settings["margin"])
    return pd.Series(value, index=inputs.index).groupby(inputs["channel"], observed=True).mean().reindex(table.index)


def break_even_cac(table: pd.DataFrame, *, payback: int | None = None, target_ratio: float = 1.0) -> pd.DataFrame:
    """The most each channel can pay to acquire one customer: its mean expected CLV.

    Parameters
    ----------
    table : pandas.DataFrame
        As returned by :func:`clv_by_channel` (its margin, discount rate and horizon apply).
    payback : int, optional
        Payback period in months (1..the table's horizon): only the CLV of the first ``payback``
        months counts. ``None``: the whole horizon.
    target_ratio : float, default 1.0
        Required CLV : CAC ratio; 1 is break-even, 3 the common "3:1" rule (then the CAC may be at
        most a third of the CLV).

    Returns
    -------
    pandas.DataFrame
        Per channel: ``customers``, ``months`` (months of CLV counted), ``clv`` (mean CLV over those
        months, CNY) and ``max_cac`` (``clv / target_ratio``, CNY).

    Examples
    --------
    >>> from cvmlib.datasets import load_customers, load_orders
    >>> table = clv_by_channel(load_orders(), load_customers(), snapshot_date="2026-01-01")
    >>> cac = break_even_cac(table)
    >>> bool((cac["max_cac"] == table["mean_clv"]).all())
    True
    >>> bool((break_even_cac(table, payback=6)["max_cac"] < cac["max_cac"]).all())
    True
    """
    table, settings = _checked_table(table)
    horizon = int(settings["horizon_months"])
    months = horizon if payback is None else require_int(payback, "payback", minimum=1, maximum=horizon)
    ratio = float(require_positive(target_ratio, "target_ratio", scalar=True))
    clv = _mean_clv(table, months)
    return pd.DataFrame({"customers": table["customers"], "months": months, "clv": clv.to_numpy(),
                         "max_cac": clv.to_numpy() / ratio}, index=table.index)


def cac_sensitivity(table: pd.DataFrame, *, horizons: Sequence[int] | None = None) -> pd.DataFrame:
    """Break-even CAC per channel (rows) for each horizon in months (columns): how much the answer
    depends on how far ahead one is willing to count.

    Parameters
    ----------
    table : pandas.DataFrame
        As returned by :func:`clv_by_channel`; horizons up to its ``horizon_months`` (ask
        ``clv_by_channel`` for a longer horizon, e.g. 36, to see further).
    horizons : sequence of int, optional
        Months; default 3, 6, 12, 24, 36 as far as the table reaches, always with its own horizon.

    Examples
    --------
    >>> from cvmlib.datasets import load_customers, load_orders
    >>> table = clv_by_channel(load_orders(), load_customers(), snapshot_date="2026-01-01", horizon_months=24)
    >>> cac_sensitivity(table).columns.tolist()
    [3, 6, 12, 24]
    """
    table, settings = _checked_table(table)
    horizon = int(settings["horizon_months"])
    if horizons is None:
        chosen = sorted({h for h in (3, 6, 12, 24, 36) if h <= horizon} | {horizon})
    else:
        if isinstance(horizons, (str, bytes)) or not isinstance(horizons, Sequence) or not horizons:
            raise InputError(_("horizons must be a non-empty list of months, e.g. [3, 6, 12]; got {value!r}.").format(
                value=horizons))
        chosen = [require_int(h, "horizons", minimum=1, maximum=horizon) for h in horizons]
    out = pd.DataFrame({months: _mean_clv(table, months).to_numpy() for months in chosen}, index=table.index)
    out.columns = pd.Index(chosen, name="months")
    return out
