"""The sandbox's world: the synthetic retailer on 2025-12-31, continued one quarter at a time.

The world continues the generator's story (``datasets/generate.py``): every customer keeps their
true BG/NBD purchase rate per week, their dropout probability (tossed after every repeat purchase)
and their Gamma-Gamma mean spend per order from ``truth.csv``; a customer whose ``dropout_date`` is
set has left and stays out unless an action wins them back. The team-visible side is
:attr:`World.customers`: observed facts only, never the truth.

:class:`State` is what changes from round to round (who is alive, the coupon habit, the contact
streak, satisfaction, the observed order history of the sandbox's own rounds). Each
:class:`~cvmlib.sandbox.game.Game` owns its own state; the world itself never changes.

**New customers.** As in the generator, customers keep signing up: during every round new customers
arrive at the generator's average pace (:data:`NEW_PER_DAY` = N_CUSTOMERS / N_DAYS = 5,000 / 731 per
day, a Poisson count per day), each in one true segment drawn with the generator's segment shares,
with a purchase rate, dropout probability and mean spend drawn from the generator's segment
distributions (:data:`NEWCOMER_SEGMENTS`: the generator's own ``SEGMENTS``, from :mod:`cvmlib.retailer`),
a city tier and acquisition channel drawn the generator's way, membership ``basic``, and
a first order on the sign-up day. They are drawn from (seed, round) only: every team of a class gets
the same newcomers. Their ids continue the ``C00001`` pattern after the last customer. A newcomer
is in no team's plan in the round they arrive (they did not exist when it was made) and in the
world from the next round on (:meth:`World.at`), so a team's next segmentation covers them.

Definitions: a round is one quarter of :data:`PERIOD_WEEKS` = 13 weeks starting on
:data:`START_DATE` (2026-01-01); recency is days from the last order's day to the round's first day.
The previous quarter of round 1 is the last 13 weeks (91 days) of 2025, 2025-10-02 .. 2025-12-31.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cvmlib.datasets import load_customers, load_orders, load_truth
from cvmlib.i18n import _
from cvmlib.retailer import ACQUISITION, N_CUSTOMERS, N_DAYS, SEGMENTS, Segment
from cvmlib.validate import InputError

__all__ = [
    "Arrivals",
    "HOLDOUT_SHARE",
    "MARGIN",
    "NEWCOMER_SEGMENTS",
    "NEW_PER_DAY",
    "PERIOD_WEEKS",
    "ROUNDS",
    "ROUND_BUDGET",
    "START_DATE",
    "State",
    "TRUE_SEGMENTS",
    "World",
    "new_customers",
    "round_start",
]

#: The first day of the sandbox's first round (the day after the shipped data end).
START_DATE = pd.Timestamp("2026-01-01")
#: One round is one quarter of 13 weeks (91 days).
PERIOD_WEEKS = 13
#: Yuan a team may spend per round (all segments and actions together).
ROUND_BUDGET = 100_000.0
#: Rounds of a training day; more are allowed for practice.
ROUNDS = 3
#: Share of every team segment kept as a randomised holdout that gets nothing (drawn per round).
#: 20 %: with 10 % the holdout's own noise was larger than the differences between the teams' plans.
HOLDOUT_SHARE = 0.20
#: Gross margin on revenue (before discounts and campaign costs), the same for every category.
MARGIN = 0.30
#: The generator's latent segments, in its order (the codes in :attr:`World.true_segment`).
TRUE_SEGMENTS: tuple[str, ...] = tuple(segment.name for segment in SEGMENTS)
#: Satisfaction score (0..10) every customer starts from; contact fatigue lowers it.
BASE_SATISFACTION = 7.0
#: New customers per day, on average: the generator's pace (5,000 sign-ups over 731 days).
NEW_PER_DAY = N_CUSTOMERS / N_DAYS
#: The generator's acquisition channels, in its order.
ACQUISITION_CHANNELS: tuple[str, ...] = ACQUISITION
#: The segments a new customer's draws come from: the generator's own (one home, :mod:`cvmlib.retailer`).
NEWCOMER_SEGMENTS: tuple[Segment, ...] = SEGMENTS


def round_start(round_no: int) -> pd.Timestamp:
    """First day of round ``round_no`` (1 = 2026-01-01; each round 13 weeks later).

    Examples
    --------
    >>> round_start(2).date()
    datetime.date(2026, 4, 2)
    """
    return START_DATE + pd.Timedelta(weeks=PERIOD_WEEKS * (round_no - 1))


@dataclass(frozen=True, eq=False)
class World:
    """The start of the sandbox: the true parameters and the observed history of every customer.

    Arrays are aligned with :attr:`ids` (customer_id order of ``truth.csv``). Build it with
    :meth:`retailer` (cached: every game shares the one world).
    """

    ids: pd.Index
    true_segment: np.ndarray  # int codes into TRUE_SEGMENTS
    rate: np.ndarray  # purchases per week while alive (BG/NBD lambda)
    dropout: np.ndarray  # chance to drop out after each repeat purchase (BG/NBD p)
    spend: np.ndarray  # mean spend per order, yuan (Gamma-Gamma)
    alive: np.ndarray  # bool: still a customer on 2025-12-31
    history: pd.DataFrame  # observed facts on 2025-12-31, index customer_id
    profile: pd.DataFrame  # public attributes: city_tier, acquisition_channel, membership_level

    @staticmethod
    @functools.lru_cache(maxsize=1)
    def retailer() -> World:
        """The shipped retailer as the sandbox's world (read once per session).

        Examples
        --------
        >>> world = World.retailer()
        >>> len(world.ids), int(world.alive.sum()) < len(world.ids)
        (5000, True)
        """
        truth = load_truth().set_index("customer_id")
        orders = load_orders()
        days = orders["order_date"].dt.normalize()
        per = orders.assign(day=days).groupby("customer_id")
        # the previous quarter of round 1 (the CUPED covariate): the last 91 days of 2025
        recent = orders[days >= START_DATE - pd.Timedelta(weeks=PERIOD_WEEKS)].groupby("customer_id")["amount"]
        history = pd.DataFrame({
            "orders": per.size(),
            "revenue": per["amount"].sum(),
            "first_order": per["day"].min(),
            "last_order": per["day"].max(),
            "last_quarter_revenue": recent.sum(),
        }).reindex(truth.index)
        history["last_quarter_revenue"] = history["last_quarter_revenue"].fillna(0.0)
        customers = load_customers().set_index("customer_id").reindex(truth.index)
        return World(
            ids=truth.index.copy(),
            true_segment=truth["segment"].cat.codes.to_numpy(dtype=np.int64),
            rate=truth["purchase_rate_per_week"].to_numpy(dtype=float),
            dropout=truth["dropout_prob"].to_numpy(dtype=float),
            spend=truth["mean_spend"].to_numpy(dtype=float),
            alive=truth["dropout_date"].isna().to_numpy(),
            history=history,
            profile=customers[["city_tier", "acquisition_channel", "membership_level"]].copy(),
        )

    @staticmethod
    @functools.lru_cache(maxsize=32)
    def at(seed: int, round_no: int) -> World:
        """The world at the start of round ``round_no`` of games with ``seed``: the retailer and every newcomer so far.

        Round 1 is :meth:`retailer`; round r adds the customers who signed up during rounds 1 .. r-1
        (:func:`new_customers`, from (seed, round) only, the same for every team). Each world is a
        prefix of the next one (newcomers are appended), so arrays of an earlier round line up with
        the first customers of a later world.

        Examples
        --------
        >>> one, two = World.at(7, 1), World.at(7, 2)
        >>> one is World.retailer(), len(two) > len(one), bool((two.ids[:len(one)] == one.ids).all())
        (True, True, True)
        >>> two.ids[len(one)]
        'C05001'
        """
        if round_no <= 1:
            return World.retailer()
        before = World.at(seed, round_no - 1)
        return before.extend(new_customers(seed, round_no - 1, before).world)

    def extend(self, other: World) -> World:
        """This world with ``other``'s customers appended (ids must be new)."""
        history = pd.concat([self.history, other.history])
        profile = pd.concat([self.profile, other.profile])
        def both(name: str) -> np.ndarray:
            return np.concatenate([getattr(self, name), getattr(other, name)])

        return World(ids=self.ids.append(other.ids), true_segment=both("true_segment"), rate=both("rate"),
                     dropout=both("dropout"), spend=both("spend"), alive=both("alive"),
                     history=history, profile=profile)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def customers(self) -> pd.DataFrame:
        """The participant view on 2026-01-01: observed facts only (see :meth:`State.customers`).

        Meant for the start world (:meth:`retailer`); a later round's view is
        :meth:`cvmlib.sandbox.game.Game.customers`.
        """
        return State.start(self).customers(self)


def _pick(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """Categorical draws from (unnormalised) weights, one uniform per draw (as the generator's ``_pick``)."""
    cum = np.cumsum(weights, dtype=float)
    return np.minimum(np.searchsorted(cum, rng.random(size) * cum[-1], side="right"), len(cum) - 1)


@dataclass(frozen=True, eq=False)
class Arrivals:
    """The customers who sign up during one round: their part of the world and their sign-up day.

    ``world`` holds their true parameters and public profile (its ``history`` is empty: they had
    no order by 2025-12-31); ``signup_day`` is the day within the round (0 = its first day).
    """

    round: int
    world: World
    signup_day: np.ndarray  # int days from round_start(round)

    def __len__(self) -> int:
        return len(self.world)


def new_customers(seed: int, round_no: int, before: World) -> Arrivals:
    """The customers who sign up during round ``round_no`` (deterministic for seed and round).

    A Poisson number per day of the round with mean :data:`NEW_PER_DAY`; the true segment drawn
    with the generator's shares; within the segment, the purchase rate ~ Gamma, the dropout
    probability ~ Beta and the mean spend ~ Gamma exactly as ``datasets/generate.py`` draws them;
    city tier and acquisition channel by the segment's weights; membership ``basic``. Ids continue
    after the last customer of ``before`` (the world at the start of the round): ``C05001``, ...

    Examples
    --------
    >>> new = new_customers(7, 1, World.retailer())
    >>> 450 < len(new) < 800, new.world.ids[0], int(new.signup_day.max()) < 91
    (True, 'C05001', True)
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, round_no, 3]))
    days = PERIOD_WEEKS * 7
    per_day = rng.poisson(NEW_PER_DAY, days)
    signup = np.repeat(np.arange(days), per_day)
    n = len(signup)
    seg = _pick(rng, np.array([s.share for s in NEWCOMER_SEGMENTS]), n)
    rate, dropout, spend = np.empty(n), np.empty(n), np.empty(n)
    tier, channel = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    for k, s in enumerate(NEWCOMER_SEGMENTS):
        idx = np.flatnonzero(seg == k)
        m = len(idx)
        rate[idx] = rng.gamma(s.rate_shape, s.rate_mean / s.rate_shape, m)
        dropout[idx] = rng.beta(*s.dropout_ab, m)
        spend[idx] = s.spend_mean * rng.gamma(s.spend_shape, 1 / s.spend_shape, m)
        tier[idx] = 1 + _pick(rng, np.array(s.tiers), m)
        channel[idx] = _pick(rng, np.array(s.acquisition), m)
    first = _last_number(before) + 1
    ids = pd.Index([f"C{i:05d}" for i in range(first, first + n)], name=before.ids.name)
    history = pd.DataFrame({"orders": np.zeros(n), "revenue": np.zeros(n),
                            "first_order": pd.NaT, "last_order": pd.NaT, "last_quarter_revenue": np.zeros(n)},
                           index=ids).astype({"first_order": "datetime64[ns]", "last_order": "datetime64[ns]"})
    profile = pd.DataFrame({"city_tier": tier, "acquisition_channel": [ACQUISITION_CHANNELS[c] for c in channel],
                            "membership_level": "basic"}, index=ids)
    profile = profile.astype({col: before.profile[col].dtype for col in profile.columns
                              if col in before.profile and before.profile[col].dtype != object}, errors="ignore")
    part = World(ids=ids, true_segment=seg.astype(np.int64), rate=rate, dropout=dropout, spend=spend,
                 alive=np.ones(n, dtype=bool), history=history, profile=profile)
    return Arrivals(round_no, part, signup.astype(np.int64))


def _last_number(world: World) -> int:
    """The largest number of the ``C00001``-style ids (new ids continue after it)."""
    numbers = pd.to_numeric(pd.Series(world.ids, dtype=object).str.extract(r"^C(\d+)$")[0], errors="coerce")
    return int(numbers.max()) if numbers.notna().any() else len(world)


@dataclass(eq=False)
class State:
    """What a game changes in the world; one per game, rebuilt by replaying its plans.

    ``habit`` is the coupon habit (customers who learnt to wait for a deal), ``streak`` the number of
    consecutive rounds a customer was contacted, ``satisfaction`` a 0..10 score; ``orders``,
    ``revenue`` and ``last_order`` hold the sandbox's own rounds (observed by the team);
    ``previous_profit`` is each customer's profit in the quarter before the next round (margin x
    revenue - coupon discounts - campaign cost; before round 1 the margin of the last 13 weeks of
    2025), the covariate of the regression-adjusted measurement (:mod:`cvmlib.sandbox.results`).
    ``None`` (a state built by hand) means no covariate: the measurement is then unadjusted.

    After a round the state also holds the customers who signed up during it (appended, in the
    order of :meth:`World.at`), so it lines up with the world of the next round.
    """

    round: int
    alive: np.ndarray
    habit: np.ndarray
    streak: np.ndarray
    satisfaction: np.ndarray
    orders: np.ndarray
    revenue: np.ndarray
    last_order: np.ndarray  # datetime64[ns]; NaT for no order
    first_order: np.ndarray = field(repr=False)
    previous_profit: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def start(cls, world: World) -> State:
        """The state on 2026-01-01, before any round."""
        n = len(world)
        recent = world.history["last_quarter_revenue"] if "last_quarter_revenue" in world.history else None
        return cls(round=0, alive=world.alive.copy(), habit=np.zeros(n), streak=np.zeros(n, dtype=np.int64),
                   satisfaction=np.full(n, BASE_SATISFACTION),
                   orders=world.history["orders"].fillna(0).to_numpy(dtype=float),
                   revenue=world.history["revenue"].fillna(0.0).to_numpy(dtype=float),
                   last_order=world.history["last_order"].to_numpy(dtype="datetime64[ns]"),
                   first_order=world.history["first_order"].to_numpy(dtype="datetime64[ns]"),
                   previous_profit=None if recent is None else MARGIN * recent.fillna(0.0).to_numpy(dtype=float))

    def __len__(self) -> int:
        return len(self.alive)

    def copy(self) -> State:
        return State(self.round, self.alive.copy(), self.habit.copy(), self.streak.copy(),
                     self.satisfaction.copy(), self.orders.copy(), self.revenue.copy(), self.last_order.copy(),
                     self.first_order, None if self.previous_profit is None else self.previous_profit.copy())

    def extend(self, *, orders: np.ndarray, revenue: np.ndarray, alive: np.ndarray, first_order: np.ndarray,
               last_order: np.ndarray, profit: np.ndarray) -> State:
        """This state with new customers appended (no habit, no contact streak, base satisfaction)."""
        n = len(orders)
        previous = self.previous_profit if self.previous_profit is not None else np.zeros(len(self))
        return State(self.round, np.concatenate([self.alive, alive]), np.concatenate([self.habit, np.zeros(n)]),
                     np.concatenate([self.streak, np.zeros(n, dtype=np.int64)]),
                     np.concatenate([self.satisfaction, np.full(n, BASE_SATISFACTION)]),
                     np.concatenate([self.orders, orders]), np.concatenate([self.revenue, revenue]),
                     np.concatenate([self.last_order, last_order.astype("datetime64[ns]")]),
                     np.concatenate([self.first_order, first_order.astype("datetime64[ns]")]),
                     np.concatenate([previous, profit]))

    def customers(self, world: World) -> pd.DataFrame:
        """Observed facts at the start of the next round, one row per customer_id.

        ``recency_days`` (days from the last order's day to the round's first day), ``orders``,
        ``revenue`` (yuan, since 2024), ``mean_order_value``, ``tenure_days`` (since the first order),
        ``last_order`` and the public profile. Nothing from the truth. ``world`` may be a later
        round's world (worlds only grow): its first ``len(state)`` customers are this state's.
        """
        n = len(self)
        if len(world) < n:
            raise InputError(_("This state holds {n:,} customers but the world only {m:,}: pass the world of the "
                               "game (game.world), which includes the new customers.").format(n=n, m=len(world)))
        start = round_start(self.round + 1)
        last = pd.DatetimeIndex(self.last_order)
        first = pd.DatetimeIndex(self.first_order)
        frame = pd.DataFrame({
            "recency_days": (start - last).days.to_numpy(dtype=float),
            "orders": self.orders.astype(np.int64),
            "revenue": np.round(self.revenue, 2),
            "mean_order_value": np.round(self.revenue / np.maximum(self.orders, 1), 2),
            "tenure_days": (start - first).days.to_numpy(dtype=float),
            "last_order": last,
        }, index=world.ids[:n])
        frame.index.name = "customer_id"
        return frame.join(world.profile.iloc[:n])
