"""The micro-sandbox: teams run customer-value campaigns on a simulated retailer, round by round.

The sandbox **continues the story of** ``datasets/generate.py``: the synthetic retailer as of
2025-12-31, every customer with their true BG/NBD purchase rate and dropout probability, their
Gamma-Gamma mean spend and their latent segment (``truth.csv``). From 2026-01-01 the world moves on
one **round = one quarter (13 weeks)** at a time: alive customers keep buying as a Poisson process
and may drop out after each repeat purchase; customers who dropped out stay out unless an action
wins them back. The response model lives here in ``cvmlib`` (not in ``datasets/``) because the
classroom's kernels import ``cvmlib``.

What a team does each round: split the customers into its own segments, give each segment a
budget per action (yuan), submit. The sandbox keeps a randomised holdout (:data:`HOLDOUT_SHARE` =
20 % of each team segment, drawn per round) that gets nothing, so every effect is measured against
it, with a regression adjustment for each customer's profit in the previous quarter (CUPED, Deng,
Xu, Kohavi & Walker 2013) that narrows the interval without biasing the estimate.

As in the generator, new customers sign up every day (5,000 / 731 a day on average, the
generator's segment mix and draws, a first order on the sign-up day); they are the same for every
team of a class (drawn from the seed and round), in no plan in the round they arrive, and in the
world from the next round on, with ids continuing ``C05001``, ...

The response model is hidden from participants. The kinds of effects that exist (not their sizes):
effects differ by the customer's true segment and by action (on the purchase rate, on dropout, on
spend per order, a chance to win back a lapsed customer); money spent per customer has diminishing
returns; every yuan spent is a cost; coupons train customers to wait for the next deal (their
baseline rate drops in later rounds) and coupon orders carry a discount; contacting the same
customers round after round weakens the effects and lowers satisfaction (contact fatigue); and the
world is noisy (each customer's purchases are random draws).

API summary
-----------
Constants
    ``ACTIONS`` = ("account_manager", "coupon", "winback_call", "cross_sell", "loyalty_points",
    "nothing"); ``ROUND_BUDGET`` (yuan per round and team); ``ROUNDS`` = 3 (a training day; more
    rounds are allowed for practice); ``HOLDOUT_SHARE`` (0.20); ``PERIOD_WEEKS`` (13); ``MARGIN``
    (gross margin on revenue); ``ACTION_LABELS`` (msgids to show an action: ``_(ACTION_LABELS[a])``).
World (:mod:`cvmlib.sandbox.world`)
    ``World.retailer()`` the shared start world (cached); ``world.customers`` the participant view:
    one row per customer_id with observed facts only (recency_days, orders, revenue,
    mean_order_value, tenure_days, last_order, city_tier, acquisition_channel, membership_level).
    ``World.at(seed, round)`` the world at the start of a round (the retailer and the newcomers of
    the earlier rounds; each world a prefix of the next); ``new_customers(seed, round, world)``.
Plan (:mod:`cvmlib.sandbox.plan`)
    ``Plan(segments, budget)``: ``segments`` a Series customer_id -> team segment label (customers
    left out get nothing), ``budget`` a mapping segment -> mapping action -> yuan. Checked when made
    (labels, actions, amounts) and again against the world on submit (customers, total budget):
    ``plan.check(world)``; ``plan.total``; ``plan.spend_table()`` segment x action yuan.
Game (:mod:`cvmlib.sandbox.game`)
    ``Game.new(team, seed, folder=".")`` / ``Game.load(folder, team)``; ``game.submit(plan) ->
    RoundResult`` plays the next round; ``game.replay(round, plan)`` re-plays round ``round`` with a
    new plan (later rounds are set aside, never deleted: ``game.attempts`` keeps everything);
    ``game.round`` (rounds played), ``game.results`` (the active result of each round),
    ``game.customers()`` the participant view at the start of the next round (observed facts incl.
    the sandbox's own rounds and the newcomers so far); ``game.world`` the world of the next round,
    ``game.world_before(round)``; ``game.outcomes(round)`` per-customer outcomes of a played round
    (segment, group, orders, revenue, discount, cost, profit, previous_profit). Files:
    ``<folder>/.cvm/sandbox/<team>/`` (JSON, written atomically).
Results (:mod:`cvmlib.sandbox.results`)
    ``RoundResult.table`` per team segment: customers, treated, holdout, cost, revenue,
    incremental_profit with ci_low/ci_high (95 %, regression-adjusted: CUPED),
    unadjusted_incremental_profit with unadjusted_ci_low/unadjusted_ci_high (the plain difference),
    roi, churn, churn_holdout, clv_change, satisfaction; ``RoundResult.totals`` the round's figures
    (also new_customers, unassigned: customers in no plan segment); ``round_table(game)`` all
    rounds' tables stacked; ``dashboard(game)`` KPI rows per round (active customers, orders,
    revenue, profit, cost, incremental profit, ROI, churn, satisfaction, new customers,
    unassigned); ``leaderboard(games, rank=False)`` cumulative incremental profit (adjusted and
    unadjusted) and ROI per team; ``debrief(game)`` (instructor only) true effects per true segment x
    action, the best plan for the same budget under the true response model, and how far each
    round's plan was from it (gap in yuan, captured share 0..1).
Chapter helper (:mod:`cvmlib.sandbox.campaign_test`)
    ``campaign_test(seed=2026) -> DataFrame``: one seeded randomised January 2026 coupon test on
    the active customers, 50 % control: customer_id, group ("treatment"/"control"), orders,
    revenue, profit.

Examples
--------
>>> import tempfile
>>> from cvmlib.sandbox import ACTIONS, ROUND_BUDGET, Game, Plan, World
>>> world = World.retailer()
>>> facts = world.customers
>>> segments = (facts["recency_days"] > 180).map({True: "lapsed", False: "active"})
>>> plan = Plan(segments, {"active": {"coupon": 20_000, "cross_sell": 30_000},
...                        "lapsed": {"winback_call": 40_000}})
>>> with tempfile.TemporaryDirectory() as folder:
...     game = Game.new("team_red", seed=7, folder=folder)
...     result = game.submit(plan)
...     Game.load(folder, "team_red").round
1
>>> sorted(result.table.index) == ["active", "lapsed"]
True
>>> Plan(segments, {"active": {"coupon": -5}})
Traceback (most recent call last):
...
cvmlib.validate.InputError: The budget for segment 'active', action 'coupon' is -5 yuan: ...
"""

from __future__ import annotations

from cvmlib.sandbox.campaign_test import campaign_test
from cvmlib.sandbox.game import Game
from cvmlib.sandbox.plan import Plan
from cvmlib.sandbox.response import ACTION_LABELS, ACTIONS
from cvmlib.sandbox.results import RoundResult, dashboard, debrief, leaderboard, round_table
from cvmlib.sandbox.world import (
    HOLDOUT_SHARE,
    MARGIN,
    PERIOD_WEEKS,
    ROUND_BUDGET,
    ROUNDS,
    START_DATE,
    World,
)

__all__ = [
    "ACTIONS",
    "ACTION_LABELS",
    "HOLDOUT_SHARE",
    "MARGIN",
    "PERIOD_WEEKS",
    "ROUNDS",
    "ROUND_BUDGET",
    "START_DATE",
    "Game",
    "Plan",
    "RoundResult",
    "World",
    "campaign_test",
    "dashboard",
    "debrief",
    "leaderboard",
    "round_table",
]
