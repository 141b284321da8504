"""How customers respond to actions: the sandbox's hidden response model.

Participants do not see the sizes here (the workbook never prints them; the instructor's
:func:`cvmlib.sandbox.results.debrief` does). The kinds of effects, for the debrief:

* **Heterogeneous effects.** Each action moves, per *true* segment, up to four things: the purchase
  rate (relative lift), the dropout probability (relative cut), the spend per order (relative lift)
  and, for customers who have left, the chance to win them back.
* **Diminishing returns.** The yuan spent per customer ``b`` reach a share
  ``1 - exp(-b / scale)`` of the action's full effect: the first yuan buy the most.
* **Costs.** Every yuan of the plan is spent on the customers treated; coupon orders also carry a
  discount (:data:`COUPON_DISCOUNT` of the round's average order of a customer who redeems), paid
  on orders that would have come anyway too.
* **Wait for the deal.** A coupon builds a habit (decaying by half each round); the habit lowers the
  customer's baseline rate in later rounds, by segment (bargain hunters learn it fastest).
* **Contact fatigue.** A customer contacted in consecutive rounds responds less
  (:data:`FATIGUE` per earlier consecutive round) and gets less satisfied; lower satisfaction raises
  dropout.
* **Noise.** Orders are Poisson, dropout geometric, spend Gamma draws (the generator's story), plus
  a small market shock per round that is the same for every team.
* **New customers.** Customers who sign up during a round (:func:`cvmlib.sandbox.world.new_customers`)
  buy on their sign-up day and then follow the generator's story until the round ends
  (:func:`simulate_arrivals`); no plan reaches them in that round.

The round's expected values have closed forms (used by the debrief's best plan): with purchase rate
``r`` per week over ``T`` weeks and dropout ``p`` after each purchase, an alive customer places
``(1 - exp(-r p T)) / p`` orders on average and is still alive at the end with probability
``exp(-r p T)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from cvmlib.display import register_columns, register_labels
from cvmlib.i18n import N_
from cvmlib.sandbox.world import (
    BASE_SATISFACTION,
    MARGIN,
    PERIOD_WEEKS,
    TRUE_SEGMENTS,
    Arrivals,
    State,
    World,
    new_customers,
    round_start,
)

__all__ = [
    "ACTIONS",
    "ACTION_LABELS",
    "ArrivalOutcome",
    "COUPON_DISCOUNT",
    "FATIGUE",
    "PAID_ACTIONS",
    "Effect",
    "Outcome",
    "effect_table",
    "expected_round",
    "play_arrivals",
    "simulate_arrivals",
    "simulate_round",
]

ACTIONS: tuple[str, ...] = ("account_manager", "coupon", "winback_call", "cross_sell", "loyalty_points", "nothing")
#: The actions that cost money ("nothing" is free and does nothing).
PAID_ACTIONS: tuple[str, ...] = ACTIONS[:-1]
ACTION_LABELS: dict[str, str] = {
    "account_manager": N_("Personal account manager"),
    "coupon": N_("Coupon"),
    "winback_call": N_("Win-back call"),
    "cross_sell": N_("Cross-sell recommendations"),
    "loyalty_points": N_("Loyalty points"),
    "nothing": N_("Nothing"),
}
# shown by their names wherever a table holds the codes (a plan's columns, a debrief's rows)
register_labels(ACTION_LABELS)
register_columns(ACTION_LABELS)
#: Share of the average order a redeemed coupon takes off.
COUPON_DISCOUNT = 0.15
#: Effects are multiplied by this for every earlier consecutive round the customer was contacted.
FATIGUE = 0.6
#: Satisfaction points lost per earlier consecutive contacted round (0..10 scale).
FATIGUE_SATISFACTION = 0.6
#: Relative change of dropout per satisfaction point below/above the base.
SATISFACTION_DROPOUT = 0.12
#: Standard deviation of the round's market shock on every purchase rate (log scale).
MARKET_NOISE = 0.04
#: Gamma shape of one order's amount around the customer's mean (as in the generator).
ORDER_SPEND_SHAPE = 3.0


@dataclass(frozen=True)
class Effect:
    """The full effect of one action on one true segment (reached as spend per customer grows)."""

    scale: float  # yuan per customer that reach 63 % of the full effect
    rate: float = 0.0  # relative lift of the purchase rate
    dropout: float = 0.0  # relative cut of the dropout probability (log scale)
    spend: float = 0.0  # relative lift of spend per order
    winback: float = 0.0  # chance to win back a customer who left
    wait: float = 0.0  # coupons: how strongly the habit lowers the later baseline rate
    satisfaction: float = 0.0  # satisfaction points gained at full effect


def _effects() -> dict[str, dict[str, Effect]]:
    """True segment -> action -> effect. The story behind each row is in the comments."""
    # Account managers: expensive personal care; worth it only for the big spenders of premium tech.
    manager = {"bargain_hunters": Effect(120, rate=0.02, dropout=0.05, satisfaction=0.3),
               "young_fashion": Effect(120, rate=0.05, dropout=0.10, spend=0.03, satisfaction=0.3),
               "families": Effect(120, rate=0.10, dropout=0.25, spend=0.05, winback=0.05, satisfaction=0.6),
               "premium_tech": Effect(120, rate=0.35, dropout=0.50, spend=0.12, winback=0.12, satisfaction=1.0),
               "occasional_gifters": Effect(120, rate=0.06, dropout=0.05, spend=0.05, satisfaction=0.3)}
    # Coupons: bargain hunters jump, and learn to wait; premium buyers barely care.
    coupon = {"bargain_hunters": Effect(12, rate=0.50, dropout=0.10, spend=-0.05, winback=0.06, wait=0.35),
              "young_fashion": Effect(12, rate=0.25, dropout=0.05, winback=0.03, wait=0.20),
              "families": Effect(12, rate=0.15, dropout=0.05, winback=0.03, wait=0.12),
              "premium_tech": Effect(12, rate=0.03, wait=0.05),
              "occasional_gifters": Effect(12, rate=0.30, winback=0.02, wait=0.10)}
    # Win-back calls: only the lapsed respond (families most); the alive get only the fatigue.
    winback = {"bargain_hunters": Effect(25, winback=0.08),
               "young_fashion": Effect(25, winback=0.06),
               "families": Effect(25, winback=0.18, satisfaction=0.2),
               "premium_tech": Effect(25, winback=0.12),
               "occasional_gifters": Effect(25, winback=0.04)}
    # Cross-selling: families and young fashion add categories to the basket.
    cross = {"bargain_hunters": Effect(8, rate=0.02, spend=0.03),
             "young_fashion": Effect(8, rate=0.06, spend=0.12),
             "families": Effect(8, rate=0.08, spend=0.15),
             "premium_tech": Effect(8, spend=0.08),
             "occasional_gifters": Effect(8, spend=0.04)}
    # Loyalty points: a reason to stay, for the frequent buyers who collect them.
    points = {"bargain_hunters": Effect(30, rate=0.05, dropout=0.25, satisfaction=0.2),
              "young_fashion": Effect(30, rate=0.04, dropout=0.35, satisfaction=0.3),
              "families": Effect(30, rate=0.05, dropout=0.45, satisfaction=0.4),
              "premium_tech": Effect(30, dropout=0.15, satisfaction=0.1),
              "occasional_gifters": Effect(30, dropout=0.05)}
    tables = {"account_manager": manager, "coupon": coupon, "winback_call": winback, "cross_sell": cross,
              "loyalty_points": points}
    return {seg: {action: tables[action][seg] for action in PAID_ACTIONS} for seg in TRUE_SEGMENTS}


EFFECTS: dict[str, dict[str, Effect]] = _effects()
# The same numbers as arrays: [true segment, paid action].
_FIELDS = ("scale", "rate", "dropout", "spend", "winback", "wait", "satisfaction")
_ARRAYS = {name: np.array([[getattr(EFFECTS[s][a], name) for a in PAID_ACTIONS] for s in TRUE_SEGMENTS])
           for name in _FIELDS}


def effect_table() -> dict[str, dict[str, Effect]]:
    """A copy of the true effects (true segment -> action -> :class:`Effect`): for the debrief only."""
    return {seg: dict(actions) for seg, actions in EFFECTS.items()}


@dataclass(frozen=True)
class _Response:
    """Per-customer multipliers for one round, before any random draw."""

    rate: np.ndarray  # purchases per week this round
    dropout: np.ndarray  # dropout probability after each purchase
    spend: np.ndarray  # mean spend per order
    winback: np.ndarray  # chance a lapsed customer comes back at the start of the round
    coupon: np.ndarray  # chance a customer redeems a coupon (share of the coupon's full effect)
    contacted: np.ndarray  # bool
    satisfaction: np.ndarray  # satisfaction after the round's contacts
    habit: np.ndarray  # coupon habit after the round
    cost: np.ndarray  # yuan spent on the customer


def _respond(world: World, state: State, spend: np.ndarray, shock: float = 1.0) -> _Response:
    """Turn yuan per customer and paid action (n x 5) into the round's per-customer parameters."""
    seg = world.true_segment
    reach = 1.0 - np.exp(-spend / _ARRAYS["scale"][seg])  # diminishing returns, 0..1 per action
    contacted = spend.sum(axis=1) > 0
    fatigue = np.where(contacted, FATIGUE ** state.streak, 1.0)
    strength = reach * fatigue[:, None]

    def total(name: str) -> np.ndarray:
        return (strength * _ARRAYS[name][seg]).sum(axis=1)

    coupon_reach = reach[:, PAID_ACTIONS.index("coupon")]
    # The habit built in earlier rounds lowers the baseline now; this round's coupons add to it later.
    baseline = np.exp(-_ARRAYS["wait"][seg, PAID_ACTIONS.index("coupon")] * state.habit)
    satisfaction = state.satisfaction + total("satisfaction")
    satisfaction = satisfaction - np.where(contacted, FATIGUE_SATISFACTION * state.streak, 0.0)
    # Customers left alone drift half-way back to the base score.
    satisfaction = np.where(contacted, satisfaction, (satisfaction + BASE_SATISFACTION) / 2)
    satisfaction = np.clip(satisfaction, 0.0, 10.0)
    unhappy = np.exp(-SATISFACTION_DROPOUT * (satisfaction - BASE_SATISFACTION))
    return _Response(
        rate=world.rate * baseline * np.maximum(1.0 + total("rate"), 0.05) * shock,
        dropout=np.clip(world.dropout * np.exp(-total("dropout")) * unhappy, 1e-6, 1.0),
        spend=world.spend * np.maximum(1.0 + total("spend"), 0.05),
        winback=1.0 - np.prod(1.0 - strength * _ARRAYS["winback"][seg], axis=1),
        coupon=coupon_reach * fatigue,
        contacted=contacted,
        satisfaction=satisfaction,
        habit=0.5 * state.habit + coupon_reach,
        cost=spend.sum(axis=1),
    )


@dataclass(frozen=True)
class Outcome:
    """One round's per-customer results (aligned with the world's ids) and the state after it."""

    alive_start: np.ndarray  # alive at the start (after win-backs)
    won_back: np.ndarray
    orders: np.ndarray
    revenue: np.ndarray  # gross, yuan
    discount: np.ndarray  # coupon discounts, yuan
    cost: np.ndarray  # campaign spend, yuan
    profit: np.ndarray  # MARGIN x revenue - discount - cost
    alive_end: np.ndarray
    clv: np.ndarray  # expected margin of the next 12 months (52 weeks) at the round's end, true model
    satisfaction: np.ndarray
    state: State


def _clv(world: World, alive: np.ndarray, habit: np.ndarray) -> np.ndarray:
    """Expected margin over the next 52 weeks under the true model (no further actions)."""
    rate = world.rate * np.exp(-_ARRAYS["wait"][world.true_segment, PAID_ACTIONS.index("coupon")] * habit)
    p = np.maximum(world.dropout, 1e-6)
    return alive * MARGIN * world.spend * (1.0 - np.exp(-rate * p * 52.0)) / p


def simulate_round(world: World, state: State, spend: np.ndarray, rng: np.random.Generator,
                   *, weeks: float = PERIOD_WEEKS) -> Outcome:
    """Play one round: draw every customer's orders, spend and dropout given yuan per paid action.

    The random numbers are drawn from ``rng`` in a fixed order, one uniform per customer and
    purpose, and turned into Poisson, geometric and Gamma draws by their inverse CDFs: two plans
    played with the same seed face the same luck (common random numbers), so a difference between
    them is the plans' doing.
    """
    n = len(world)
    shock = float(np.exp(rng.normal(0.0, MARKET_NOISE)))
    u_back, u_orders, u_drop, u_spend, u_redeem, u_day = rng.random((6, n))
    r = _respond(world, state, spend, shock)
    won_back = ~state.alive & (u_back < r.winback)
    alive = state.alive | won_back
    potential = stats.poisson.ppf(u_orders, r.rate * weeks)  # purchases if nobody dropped out
    # The purchase after which the customer would drop out (1, 2, ...): geometric by inversion.
    drop_at = np.ceil(np.log1p(-u_drop) / np.log1p(-np.minimum(r.dropout, 1 - 1e-12)))
    orders = np.where(alive, np.minimum(potential, np.maximum(drop_at, 1)), 0.0)
    alive_end = alive & (drop_at > potential)
    # The sum of k Gamma(shape, mean/shape) amounts is Gamma(k * shape, mean/shape).
    revenue = np.where(orders > 0, special.gammaincinv(np.maximum(orders, 1) * ORDER_SPEND_SHAPE, u_spend)
                       * r.spend / ORDER_SPEND_SHAPE, 0.0)
    redeemed = (orders > 0) & (u_redeem < r.coupon)
    discount = np.where(redeemed, COUPON_DISCOUNT * revenue / np.maximum(orders, 1), 0.0)
    profit = MARGIN * revenue - discount - r.cost
    # The last order's day: uniform within the round (enough for recency at the next round).
    start = np.datetime64(round_start(state.round + 1).strftime("%Y-%m-%d"), "ns")
    offset = (u_day * weeks * 7).astype("int64").astype("timedelta64[D]")
    last = np.where(orders > 0, start + offset, state.last_order)
    new = State(round=state.round + 1, alive=alive_end, habit=r.habit,
                streak=np.where(r.contacted, state.streak + 1, 0).astype(np.int64), satisfaction=r.satisfaction,
                orders=state.orders + orders, revenue=state.revenue + revenue,
                last_order=last.astype("datetime64[ns]"), first_order=state.first_order, previous_profit=profit)
    return Outcome(alive_start=alive, won_back=won_back, orders=orders, revenue=revenue, discount=discount,
                   cost=r.cost, profit=profit, alive_end=alive_end, clv=_clv(world, alive_end, r.habit),
                   satisfaction=r.satisfaction, state=new)


def expected_round(world: World, state: State, spend: np.ndarray, *, weeks: float = PERIOD_WEEKS) -> np.ndarray:
    """Expected round profit per customer (yuan) under the true model, without noise.

    Closed forms of the story: win-back first, then ``(1 - exp(-r p T)) / p`` orders while alive,
    each of the adjusted mean spend; a coupon discount when the customer orders at all
    (probability ``1 - exp(-r T)``) and redeems.
    """
    r = _respond(world, state, spend)
    alive = np.where(state.alive, 1.0, r.winback)
    orders = alive * -np.expm1(-r.rate * r.dropout * weeks) / r.dropout
    any_order = alive * -np.expm1(-r.rate * weeks)
    discount = COUPON_DISCOUNT * r.coupon * any_order * r.spend
    return MARGIN * orders * r.spend - discount - r.cost


@dataclass(frozen=True)
class ArrivalOutcome:
    """The sign-up round of the customers who arrived during it (aligned with ``arrivals.world.ids``)."""

    arrivals: Arrivals
    orders: np.ndarray  # 1 (the sign-up order) + repeat orders until the round ends
    revenue: np.ndarray  # yuan
    profit: np.ndarray  # MARGIN x revenue (no discount, no campaign cost: no plan reached them)
    alive_end: np.ndarray
    first_order: np.ndarray  # datetime64[ns], the sign-up day
    last_order: np.ndarray  # datetime64[ns]

    def __len__(self) -> int:
        return len(self.orders)

    def extend(self, state: State) -> State:
        """``state`` (after the round) with these customers appended."""
        return state.extend(orders=self.orders, revenue=self.revenue, alive=self.alive_end,
                            first_order=self.first_order, last_order=self.last_order, profit=self.profit)


def simulate_arrivals(arrivals: Arrivals, rng: np.random.Generator) -> ArrivalOutcome:
    """New customers' first round: an order on the sign-up day, then the generator's story to the round's end.

    As in ``datasets/generate.py``: the first purchase happens on the sign-up day; while alive the
    customer buys as a Poisson process at their rate; the dropout coin is tossed after every repeat
    purchase, never after the first. Draws by inversion, as :func:`simulate_round`.
    """
    world = arrivals.world
    n = len(world)
    u_orders, u_drop, u_spend, u_day = rng.random((4, n))
    days = PERIOD_WEEKS * 7
    days_left = days - arrivals.signup_day  # the sign-up day included
    potential = stats.poisson.ppf(u_orders, world.rate * days_left / 7.0)  # repeats if nobody dropped out
    drop_at = np.ceil(np.log1p(-u_drop) / np.log1p(-np.minimum(world.dropout, 1 - 1e-12)))
    repeats = np.minimum(potential, np.maximum(drop_at, 1))
    orders = 1.0 + repeats
    revenue = special.gammaincinv(orders * ORDER_SPEND_SHAPE, u_spend) * world.spend / ORDER_SPEND_SHAPE
    start = np.datetime64(round_start(arrivals.round).strftime("%Y-%m-%d"), "ns")
    first = start + arrivals.signup_day.astype("timedelta64[D]")
    later = (u_day * days_left).astype("int64").astype("timedelta64[D]")
    last = np.where(repeats > 0, first + later, first)
    return ArrivalOutcome(arrivals, orders, revenue, MARGIN * revenue, drop_at > potential,
                          first.astype("datetime64[ns]"), last.astype("datetime64[ns]"))


def play_arrivals(seed: int, round_no: int, world: World) -> ArrivalOutcome:
    """The customers who sign up during round ``round_no`` (``world``: the world at its start) and their round.

    Drawn from (seed, round) only, never from a team's plan: every team of a class sees the same
    newcomers buy the same orders.

    Examples
    --------
    >>> new = play_arrivals(7, 1, World.retailer())
    >>> bool((new.orders >= 1).all()), new.arrivals.world.ids[0]
    (True, 'C05001')
    """
    arrivals = new_customers(seed, round_no, world)
    return simulate_arrivals(arrivals, np.random.default_rng(np.random.SeedSequence([seed, round_no, 4])))
