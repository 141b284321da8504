"""One simulated class in the micro-sandbox: three teams, three strategies, three rounds, then the debrief.

Usage (from the repository root)::

    .venv/bin/python tools/sandbox_class.py [--seed 2026]

The teams re-segment every round on the facts at its start (so the newcomers are covered):

* ``targeted``: account managers and cross-selling for big baskets, loyalty points and cross-selling for
  frequent buyers, win-back calls for the lapsed (75,000 yuan a round);
* ``frugal``: a little cross-selling for big baskets and frequent buyers (12,000 yuan a round);
* ``coupon_blast``: the whole budget in coupons, for everyone (100,000 yuan a round).

It prints, per team and round, the measured incremental profit (regression-adjusted, and the plain
difference) with its 95 % interval and what the round was expected to earn under the true response model,
the cumulative leaderboard, and the debrief: the best plan for each team's own segments and the oracle plan
for the true segments. Everything is computed; nothing is kept (the games live in a temporary folder).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cvmlib.sandbox import Game, Plan, debrief, leaderboard  # noqa: E402

TEAMS = ("targeted", "frugal", "coupon_blast")


def plan_for(team: str, facts: pd.DataFrame) -> Plan:
    """The team's plan on the facts at the start of a round."""
    lapsed = facts["recency_days"] > 180
    big = facts["mean_order_value"] > 500
    frequent = facts["orders"] >= 10
    three = pd.Series(np.select([lapsed, big, frequent], ["lapsed", "big_basket", "frequent"], "other"),
                      index=facts.index)
    two = pd.Series(np.where(lapsed, "lapsed", "active"), index=facts.index)
    if team == "coupon_blast":
        return Plan(two, {"active": {"coupon": 70_000}, "lapsed": {"coupon": 30_000}})
    if team == "targeted":
        return Plan(three, {"big_basket": {"account_manager": 25_000, "cross_sell": 5_000},
                            "frequent": {"loyalty_points": 15_000, "cross_sell": 5_000},
                            "lapsed": {"winback_call": 15_000}})
    return Plan(three, {"big_basket": {"cross_sell": 6_000}, "frequent": {"cross_sell": 6_000}})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026, help="the class seed (default 2026)")
    args = parser.parse_args(argv)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    with tempfile.TemporaryDirectory(prefix="cvm-sandbox-class-") as folder:
        games, started = [], time.perf_counter()
        for team in TEAMS:
            game = Game.new(team, seed=args.seed, folder=folder)
            for _ in range(3):
                game.submit(plan_for(team, game.customers()))
            games.append(game)
        print(f"3 teams x 3 rounds played in {time.perf_counter() - started:.1f} s\n")
        rows, reviews = [], {}
        for game in games:
            review = reviews[game.team] = debrief(game)  # 1-3 s each: made once, read below too
            for result in game.results:
                totals, expected = result.totals, review.rounds.loc[result.round]
                rows.append({"team": game.team, "round": result.round, "cost": totals["cost"],
                             "measured": totals["incremental_profit"], "low": totals["ci_low"],
                             "high": totals["ci_high"], "plain": totals["unadjusted_incremental_profit"],
                             "expected": expected["expected"], "best": expected["best"],
                             "oracle": expected["oracle"], "captured": expected["captured"],
                             "revenue": totals["revenue"], "new_customers": totals["new_customers"]})
        table = pd.DataFrame(rows).set_index(["team", "round"])
        print("Per round (yuan): measured = regression-adjusted incremental profit [95 % interval], plain = the "
              "plain difference, expected = under the true response model")
        print(table[["cost", "measured", "low", "high", "plain", "expected", "revenue", "new_customers"]]
              .round(0).to_string(), "\n")
        print("Leaderboard (cumulative)")
        board = leaderboard(games, rank=True)
        print(board.round(0).assign(roi=board["roi"].round(2)).to_string(), "\n")
        print("Debrief: best plan for the team's own segments, oracle for the true segments, share captured")
        print(table[["expected", "best", "oracle", "captured"]].round(2).to_string(), "\n")
        print("Best plan of round 1 for the targeted team's segments (yuan)")
        print(reviews["targeted"].best_plans[1].round(0).to_string(), "\n")
        print("Oracle plan of round 1 (true segments, yuan)")
        print(reviews["targeted"].oracle_plans[1].round(0).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
