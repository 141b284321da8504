"""One seeded randomised campaign for the chapter's "measuring an action" section.

A January 2026 coupon test: the retailer's **active customers** (at least one order in the 180 days
before 2026-01-01, an observed definition) are split at random, half get a coupon worth
:data:`COUPON_YUAN` yuan of campaign spend, half are the control; the month (31 days) is simulated
with the sandbox's response model (:mod:`cvmlib.sandbox.response`), continuing the generator's story.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cvmlib.sandbox.response import PAID_ACTIONS, simulate_round
from cvmlib.sandbox.world import START_DATE, State, World
from cvmlib.validate import require_int

__all__ = ["ACTIVE_DAYS", "COUPON_YUAN", "campaign_test"]

#: Observed definition of an active customer: an order within this many days before 2026-01-01.
ACTIVE_DAYS = 180
#: Campaign spend per treated customer (coupon value and its delivery), yuan.
COUPON_YUAN = 15.0
_JANUARY_WEEKS = 31 / 7


def campaign_test(seed: int = 2026) -> pd.DataFrame:
    """A seeded January 2026 coupon test on the active customers with a 50 % control group.

    Parameters
    ----------
    seed : int, default 2026
        Seeds both the random split and the month's purchases.

    Returns
    -------
    pandas.DataFrame
        One row per active customer: ``customer_id``, ``group`` ("treatment"/"control"),
        ``recency_days`` and ``orders_before`` (observed before the test), ``orders``, ``revenue``,
        ``discount`` (coupon discounts), ``cost`` (campaign spend) and ``profit`` (margin - discount -
        cost), all yuan, for January 2026.

    Examples
    --------
    >>> test = campaign_test(seed=1)
    >>> sorted(test["group"].unique())
    ['control', 'treatment']
    >>> bool(abs((test["group"] == "treatment").mean() - 0.5) < 0.01)
    True
    """
    seed = require_int(seed, "seed", minimum=0)
    world = World.retailer()
    state = State.start(world)
    facts = state.customers(world)
    recency = facts["recency_days"].to_numpy()
    active = recency <= ACTIVE_DAYS
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0, 2]))
    idx = np.flatnonzero(active)
    treated_idx = rng.permutation(idx)[: len(idx) // 2]
    treated = np.zeros(len(world), dtype=bool)
    treated[treated_idx] = True
    spend = np.zeros((len(world), len(PAID_ACTIONS)))
    spend[treated, PAID_ACTIONS.index("coupon")] = COUPON_YUAN
    outcome = simulate_round(world, state, spend, np.random.default_rng(np.random.SeedSequence([seed, 0, 3])),
                             weeks=_JANUARY_WEEKS)
    frame = pd.DataFrame({
        "customer_id": world.ids.to_numpy(),
        "group": np.where(treated, "treatment", "control"),
        "recency_days": recency,
        "orders_before": facts["orders"].to_numpy(),
        "orders": outcome.orders.astype(np.int64),
        "revenue": np.round(outcome.revenue, 2),
        "discount": np.round(outcome.discount, 2),
        "cost": outcome.cost,
        "profit": np.round(outcome.profit, 2),
    })[active].reset_index(drop=True)
    frame.attrs["period"] = (START_DATE.strftime("%Y-%m-%d"), "2026-01-31")
    return frame
