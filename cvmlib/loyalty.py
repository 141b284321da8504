"""Loyalty-programme economics: a points ("stars") model, its net value, and a seeded pilot that measures the uplift.

**A model with made-up parameters.** Nothing here describes a real company's programme: the
numbers are a "Starbucks-style" stars programme invented for the course (members earn points per
yuan, redeem them for rewards, some points are never redeemed), applied to the synthetic
retailer. Only the members and their spend can come from the retailer's data
(:func:`retailer_programme`); the uplift must be *measured* (:func:`pilot_uplift`).

API summary (one example each):

* :class:`ProgrammeModel` -- the programme's parameters, checked when it is made::

      model = ProgrammeModel(members=3000, spend_per_member=2000.0, points_per_yuan=1.0,
                             cost_per_point=0.03, breakage_rate=0.3, incremental_purchase_rate=0.05,
                             margin=0.3, fixed_cost=200_000.0)

* :func:`programme_economics` -- the yearly profit and loss of the programme, line by line::

      programme_economics(model)                 # DataFrame: item -> figure, unit

* :func:`break_even_uplift` -- the uplift at which the net value is 0 (None if none can)::

      break_even_uplift(model)

* :func:`retailer_programme` -- a model whose members and spend are the retailer's active customers::

      model = retailer_programme(load_orders(), start="2025-01-01", end="2026-01-01",
                                 incremental_purchase_rate=0.05)

* :func:`pilot_uplift` -- a seeded randomised pilot (members vs control) on the retailer's customers::

      pilot = pilot_uplift(load_orders(), snapshot_date="2026-01-01", true_uplift=0.08, seed=7)
      pilot.relative_uplift, pilot.relative_ci      # the measured uplift and its interval

Definitions (per year; money in CNY):

* ``baseline_spend`` = members x spend per member (what members spend without the programme);
* ``incremental_revenue`` = baseline spend x incremental purchase rate (the *measured* relative
  increase of member spend against a randomised control group -- never members vs non-members,
  who chose to join and would spend more anyway);
* ``points_issued`` = (baseline spend + incremental revenue) x points per yuan (points are earned
  on *all* member spend, including what they would have spent anyway);
* ``points_redeemed`` = points issued x (1 - breakage rate); ``redemption_cost`` = points redeemed
  x cost per point, split into the rewards on the baseline spend (a subsidy to purchases that
  would have happened anyway) and on the incremental spend;
* ``incremental_margin`` = incremental revenue x margin;
* ``net_value`` = incremental margin - redemption cost - fixed cost;
* ``break_even_uplift`` = the incremental purchase rate at which the net value is 0:
  ``(R + F) / (S (m - r))`` with ``S`` the baseline spend, ``r`` = points per yuan x (1 -
  breakage) x cost per point (the reward cost per yuan of spend), ``R = S r``, ``F`` the fixed
  cost and ``m`` the margin. When ``r >= m`` every extra yuan costs more in rewards than it earns,
  and no uplift breaks even.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from cvmlib.display import register_columns, register_labels
from cvmlib.i18n import N_, _
from cvmlib.validate import (
    InputError,
    as_timestamp,
    require_choice,
    require_int,
    require_non_negative,
    require_probability,
    require_within,
    validate_transactions,
)

__all__ = ["ECONOMICS_ITEMS", "PilotResult", "ProgrammeModel", "break_even_uplift", "pilot_uplift",
           "programme_economics", "retailer_programme"]

#: Rows of :func:`programme_economics`, in order, with their display text.
ECONOMICS_ITEMS: dict[str, str] = {
    "baseline_spend": N_("member spend without the programme"),
    "incremental_revenue": N_("incremental revenue"),
    "points_issued": N_("points issued"),
    "points_redeemed": N_("points redeemed"),
    "reward_cost_per_yuan": N_("reward cost per yuan of member spend"),
    "rewards_on_baseline": N_("rewards on spend that would have happened anyway"),
    "rewards_on_incremental": N_("rewards on incremental spend"),
    "redemption_cost": N_("cost of redemptions"),
    "incremental_margin": N_("incremental margin"),
    "fixed_cost": N_("fixed cost"),
    "net_value": N_("net value"),
    "break_even_uplift": N_("break-even uplift"),
}
#: Units of those rows.
UNITS: dict[str, str] = {"CNY": N_("CNY"), "points": N_("points"), "share": N_("share")}

register_labels(ECONOMICS_ITEMS)
register_labels(UNITS)
register_columns({"item": N_("item"), "figure": N_("figure"), "unit": N_("unit"), "member": N_("member"),
                  "weekly_rate": N_("orders per week"), "mean_order": N_("mean order value (CNY)"),
                  "orders": N_("orders"), "spend": N_("spend (CNY)")})

#: How a pilot's outcome is named in its summary sentence.
OUTCOME_NAMES: dict[str, str] = {"spend": N_("spend"), "orders": N_("orders")}

#: Shape of one simulated order's amount around the customer's mean (the generator's ORDER_SPEND_SHAPE).
ORDER_SPEND_SHAPE = 3.0


@dataclass(frozen=True)
class ProgrammeModel:
    """A points programme's yearly parameters (a model with made-up values; see the module docstring).

    Attributes
    ----------
    members : int
        Members in the year (>= 1).
    spend_per_member : float
        Yearly spend of a member without the programme (CNY, >= 0).
    points_per_yuan : float
        Points earned per yuan spent (>= 0).
    cost_per_point : float
        What one redeemed point costs the company (CNY, >= 0: the cost of the reward, not its price).
    breakage_rate : float
        Share of issued points never redeemed (0..1).
    incremental_purchase_rate : float
        Measured relative increase of member spend against a randomised control group (0.05 = +5 %;
        may be negative, above -1).
    margin : float
        Share of spend that is profit (0..1).
    fixed_cost : float
        Yearly fixed cost of running the programme (app, staff, marketing; CNY, >= 0).

    Examples
    --------
    >>> ProgrammeModel(members=1000, spend_per_member=1500.0, points_per_yuan=1.0, cost_per_point=0.03,
    ...                breakage_rate=30, incremental_purchase_rate=0.05, margin=0.3, fixed_cost=0.0)
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: breakage_rate=30 is outside [0, 1]. Rates are shares of 1: write 80 % as 0.8.
    """

    members: int
    spend_per_member: float
    points_per_yuan: float
    cost_per_point: float
    breakage_rate: float
    incremental_purchase_rate: float
    margin: float
    fixed_cost: float

    def __post_init__(self) -> None:
        # checked before any computation, each named; stored as plain Python numbers
        object.__setattr__(self, "members", require_int(self.members, "members", minimum=1))
        for name in ("spend_per_member", "points_per_yuan", "cost_per_point", "fixed_cost"):
            object.__setattr__(self, name, float(require_non_negative(getattr(self, name), name, scalar=True)))
        for name in ("breakage_rate", "margin"):
            object.__setattr__(self, name, float(require_probability(getattr(self, name), name, scalar=True)))
        object.__setattr__(self, "incremental_purchase_rate", float(require_within(
            self.incremental_purchase_rate, "incremental_purchase_rate", -1.0, 10.0, inclusive="right", scalar=True,
            fix=N_("A relative increase: +5 % is 0.05."))))

    @property
    def reward_cost_per_yuan(self) -> float:
        """Cost of the rewards per yuan of member spend: points per yuan x (1 - breakage) x cost per point."""
        return self.points_per_yuan * (1 - self.breakage_rate) * self.cost_per_point


def _require_model(model: Any) -> ProgrammeModel:
    if not isinstance(model, ProgrammeModel):
        raise InputError(_("model must be a ProgrammeModel; got {type}.").format(type=type(model).__name__))
    return model


def break_even_uplift(model: ProgrammeModel) -> float | None:
    """The incremental purchase rate at which the programme's net value is 0 (None when no rate can).

    Examples
    --------
    >>> m = ProgrammeModel(members=1000, spend_per_member=1000.0, points_per_yuan=1.0, cost_per_point=0.05,
    ...                    breakage_rate=0.2, incremental_purchase_rate=0.05, margin=0.3, fixed_cost=0.0)
    >>> round(break_even_uplift(m), 4)                # 0.04 / (0.3 - 0.04): rewards cost 4 fen per yuan
    0.1538
    """
    m = _require_model(model)
    spend = m.members * m.spend_per_member
    r = m.reward_cost_per_yuan
    if spend == 0 or r >= m.margin:
        return None
    return (spend * r + m.fixed_cost) / (spend * (m.margin - r))


def programme_economics(model: ProgrammeModel) -> pd.DataFrame:
    """The programme's yearly profit and loss, line by line (definitions in the module docstring).

    Returns
    -------
    pandas.DataFrame
        Index: the item codes of :data:`ECONOMICS_ITEMS` (``break_even_uplift`` left out when no
        uplift breaks even: see :func:`break_even_uplift`); columns ``figure`` (float) and ``unit``
        (``"CNY"``, ``"points"`` or ``"share"``). Costs are positive numbers; ``net_value`` =
        ``incremental_margin - redemption_cost - fixed_cost``.

    Examples
    --------
    >>> m = ProgrammeModel(members=1000, spend_per_member=1000.0, points_per_yuan=1.0, cost_per_point=0.05,
    ...                    breakage_rate=0.2, incremental_purchase_rate=0.05, margin=0.3, fixed_cost=10_000.0)
    >>> econ = programme_economics(m)
    >>> econ.loc[["incremental_margin", "redemption_cost", "fixed_cost", "net_value"], "figure"].tolist()
    [15000.0, 42000.0, 10000.0, -37000.0]
    """
    m = _require_model(model)
    baseline = m.members * m.spend_per_member
    incremental = baseline * m.incremental_purchase_rate
    issued = (baseline + incremental) * m.points_per_yuan
    redeemed = issued * (1 - m.breakage_rate)
    on_baseline = baseline * m.reward_cost_per_yuan
    on_incremental = incremental * m.reward_cost_per_yuan
    redemption = redeemed * m.cost_per_point
    margin = incremental * m.margin
    rows: dict[str, tuple[float, str]] = {
        "baseline_spend": (baseline, "CNY"), "incremental_revenue": (incremental, "CNY"),
        "points_issued": (issued, "points"), "points_redeemed": (redeemed, "points"),
        "reward_cost_per_yuan": (m.reward_cost_per_yuan, "share"),
        "rewards_on_baseline": (on_baseline, "CNY"), "rewards_on_incremental": (on_incremental, "CNY"),
        "redemption_cost": (redemption, "CNY"), "incremental_margin": (margin, "CNY"),
        "fixed_cost": (m.fixed_cost, "CNY"), "net_value": (margin - redemption - m.fixed_cost, "CNY"),
    }
    uplift = break_even_uplift(m)
    if uplift is not None:
        rows["break_even_uplift"] = (uplift, "share")
    if not all(math.isfinite(v) for v, _unit in rows.values()):
        raise InputError(_("The programme's numbers overflow (above 1.8e308): use a larger unit of money "
                           "(e.g. thousands)."))
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["figure", "unit"])
    table.index.name = "item"
    return table


def retailer_programme(
    orders: pd.DataFrame,
    *,
    start: Any,
    end: Any,
    incremental_purchase_rate: float,
    points_per_yuan: float = 1.0,
    cost_per_point: float = 0.03,
    breakage_rate: float = 0.3,
    margin: float = 0.3,
    fixed_cost: float = 200_000.0,
    customer_col: Hashable = "customer_id",
    date_col: Hashable = "order_date",
    amount_col: Hashable = "amount",
) -> ProgrammeModel:
    """A :class:`ProgrammeModel` whose members are the customers active in ``[start, end)``.

    Every customer with an order in the window is a member; ``spend_per_member`` is their total
    spend in the window divided by their number, scaled to a year (365.25 days) when the window
    is not one. The other parameters are the model's made-up defaults (1 point per yuan, a point
    costs 3 fen when redeemed, 30 % breakage, 30 % margin, 200,000 CNY fixed cost a year) or
    yours; ``incremental_purchase_rate`` has no default: measure it (:func:`pilot_uplift`).

    Examples
    --------
    >>> from cvmlib.datasets import load_orders
    >>> m = retailer_programme(load_orders(), start="2025-01-01", end="2026-01-01", incremental_purchase_rate=0.05)
    >>> m.members > 1000, m.spend_per_member > 0
    (True, True)
    """
    lo, hi = as_timestamp(start, "start"), as_timestamp(end, "end")
    if hi <= lo:
        raise InputError(_("end {end} is not after start {start}: the window is empty.").format(
            end=f"{hi:%Y-%m-%d}", start=f"{lo:%Y-%m-%d}"))
    valid = validate_transactions(orders, customer_col=customer_col, order_col=None, date_col=date_col,
                                  amount_col=amount_col, duplicates="keep")
    window = valid[(valid[date_col] >= lo) & (valid[date_col] < hi)]
    if window.empty:
        raise InputError(_("No order is between start {start} and end {end}: the programme would have no member.")
                         .format(start=f"{lo:%Y-%m-%d}", end=f"{hi:%Y-%m-%d}"))
    members = int(window[customer_col].nunique())
    years = (hi - lo) / pd.Timedelta(days=365.25)
    return ProgrammeModel(members=members, spend_per_member=float(window[amount_col].sum()) / members / years,
                          points_per_yuan=points_per_yuan, cost_per_point=cost_per_point, breakage_rate=breakage_rate,
                          incremental_purchase_rate=incremental_purchase_rate, margin=margin, fixed_cost=fixed_cost)


@dataclass(frozen=True)
class PilotResult:
    """A simulated loyalty pilot and what it measured (see :func:`pilot_uplift`).

    Attributes
    ----------
    true_uplift : float
        The effect put into the simulation (known only because it is a simulation).
    relative_uplift : float
        Measured: (members' mean - control mean) / control mean of the outcome.
    relative_ci : tuple of float
        Its interval: the difference's interval divided by the control mean (the control mean's
        own noise is ignored: slightly too narrow).
    measured : cvmlib.experiments.Lift
        The difference in means with its interval, Welch (:func:`cvmlib.experiments.lift`).
    outcome : str
        ``"spend"`` (CNY per customer in the pilot) or ``"orders"``.
    weeks : int
    customers : pandas.DataFrame
        Per customer: ``member`` (bool, the random assignment), ``weekly_rate``, ``mean_order``,
        ``orders``, ``spend``.
    """

    true_uplift: float
    relative_uplift: float
    relative_ci: tuple[float, float]
    measured: Any
    outcome: str
    weeks: int
    customers: pd.DataFrame = field(repr=False)

    def __repr__(self) -> str:
        return _("Pilot of {weeks} weeks, {members:,} members vs {control:,} controls ({outcome}): measured uplift "
                 "{uplift:+.1%} [{lo:+.1%}, {hi:+.1%}], true uplift {true:+.1%}.").format(
                     weeks=self.weeks, members=int(self.customers["member"].sum()),
                     control=int((~self.customers["member"]).sum()), outcome=_(OUTCOME_NAMES[self.outcome]),
                     uplift=self.relative_uplift, lo=self.relative_ci[0], hi=self.relative_ci[1],
                     true=self.true_uplift)


def pilot_uplift(
    orders: pd.DataFrame,
    *,
    snapshot_date: Any,
    weeks: int = 13,
    member_share: float = 0.5,
    true_uplift: float = 0.08,
    outcome: Literal["spend", "orders"] = "spend",
    seed: int = 2026,
    confidence: float = 0.95,
    customer_col: Hashable = "customer_id",
    date_col: Hashable = "order_date",
    amount_col: Hashable = "amount",
) -> PilotResult:
    """Simulate a randomised loyalty pilot on the retailer's active customers and measure its uplift.

    The customers with an order in the 52 weeks before ``snapshot_date`` take part; a random
    ``member_share`` of them (exactly rounded, drawn with ``seed``) join the pilot programme, the
    others are the control group. In the ``weeks`` after the snapshot each customer places
    ``Poisson(rate x weeks x (1 + true_uplift if member))`` orders, where ``rate`` is their own
    orders in those 52 weeks / 52, and each order is worth a Gamma draw around their own mean
    order value (shape 3, as in the generator). It is a model: dropout and seasonality are left
    out, the effect is the same for everyone, and it is known -- so one can see how well a pilot
    of this size measures it.

    Parameters
    ----------
    orders : pandas.DataFrame
        The retailer's orders (only those before ``snapshot_date`` are used).
    snapshot_date : date
        Start of the pilot.
    weeks : int, default 13
        Length of the pilot (1..104).
    member_share : float, default 0.5
        Share of the customers randomised into the programme (strictly between 0 and 1).
    true_uplift : float, default 0.08
        The simulated relative increase of members' purchase rate (above -1).
    outcome : {"spend", "orders"}
        What is compared per customer: spend (CNY) or number of orders in the pilot.
    seed : int, default 2026
    confidence : float, default 0.95

    Returns
    -------
    PilotResult

    Examples
    --------
    >>> from cvmlib.datasets import load_orders
    >>> pilot = pilot_uplift(load_orders(), snapshot_date="2026-01-01", seed=1)
    >>> pilot.relative_ci[0] < pilot.true_uplift < pilot.relative_ci[1]
    True
    """
    from cvmlib.experiments import lift  # part A's measurement: Welch interval of a difference in means

    snapshot = as_timestamp(snapshot_date, "snapshot_date")
    w = require_int(weeks, "weeks", minimum=1, maximum=104)
    share = float(require_probability(member_share, "member_share", inclusive="neither", scalar=True))
    effect = float(require_within(true_uplift, "true_uplift", -1.0, 10.0, inclusive="right", scalar=True,
                                  fix=N_("A relative increase: +8 % is 0.08.")))
    require_choice(outcome, "outcome", ["spend", "orders"])
    rng_seed = require_int(seed, "seed", minimum=0)
    valid = validate_transactions(orders, customer_col=customer_col, order_col=None, date_col=date_col,
                                  amount_col=amount_col, duplicates="keep")
    window = valid[(valid[date_col] < snapshot) & (valid[date_col] >= snapshot - pd.Timedelta(weeks=52))]
    per = window.groupby(customer_col, observed=True)[amount_col].agg(["size", "mean"])
    if len(per) < 4:
        raise InputError(_("Only {n} customer(s) ordered in the 52 weeks before snapshot_date {snapshot}: too few "
                           "for a pilot with a control group. Choose another snapshot_date.").format(
                               n=len(per), snapshot=f"{snapshot:%Y-%m-%d}"))
    n = len(per)
    n_members = min(n - 1, max(1, round(share * n)))
    rng = np.random.default_rng(rng_seed)
    member = np.zeros(n, dtype=bool)
    member[rng.permutation(n)[:n_members]] = True
    rate = per["size"].to_numpy(float) / 52.0
    mean_order = per["mean"].to_numpy(float)
    n_orders = rng.poisson(rate * w * np.where(member, 1.0 + effect, 1.0))
    # a sum of k Gamma(shape, mean / shape) order amounts is Gamma(k * shape, mean / shape)
    spend = np.where(n_orders > 0, rng.gamma(np.maximum(n_orders, 1) * ORDER_SPEND_SHAPE,
                                             mean_order / ORDER_SPEND_SHAPE), 0.0)
    frame = pd.DataFrame({"member": member, "weekly_rate": rate, "mean_order": mean_order, "orders": n_orders,
                          "spend": spend}, index=per.index)
    values = frame["spend"] if outcome == "spend" else frame["orders"].astype(float)
    measured = lift(values, frame["member"], confidence=confidence, kind="mean")
    if measured.mean_control <= 0:
        raise InputError(_("The control group bought nothing in the simulated pilot: the relative uplift has no "
                           "base. Choose a longer pilot (weeks) or another seed."))
    base = measured.mean_control
    return PilotResult(true_uplift=effect, relative_uplift=measured.difference / base,
                       relative_ci=(measured.ci_low / base, measured.ci_high / base), measured=measured,
                       outcome=outcome, weeks=w, customers=frame)
