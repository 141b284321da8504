"""What a round did: measured against the holdout, summed over rounds, compared across teams.

Definitions used throughout:

* **profit** of a customer in a round = ``MARGIN`` x revenue - coupon discounts - campaign cost;
* **incremental profit** (the headline ``incremental_profit``, ``ci_low``, ``ci_high``) of a team segment
  is the **regression-adjusted (CUPED) estimate** of Deng, Xu, Kohavi & Walker (2013, "Improving the
  sensitivity of online controlled experiments by utilizing pre-experiment data", WSDM): with each
  customer's profit ``Y`` this round and their profit ``X`` in the previous quarter (the previous
  round; for round 1 the margin of the last 13 weeks of 2025), ``theta = cov(X, Y) / var(X)``
  pooled over the segment's treated and holdout customers, the adjusted profit
  ``Y - theta (X - mean X)``; incremental profit = (mean adjusted profit of the treated - of the
  holdout) x treated customers, with the normal (Welch) 95 % interval of that difference of means,
  times the treated customers. ``X`` was fixed before the round's holdout was drawn at random, so
  the adjustment removes the part of the noise that last quarter already explains without biasing
  the estimate; the interval is narrower whenever X and Y are correlated;
* **unadjusted incremental profit** (``unadjusted_incremental_profit``, ``unadjusted_ci_low``,
  ``unadjusted_ci_high``) = (mean profit of the treated - mean profit of the holdout) x treated
  customers, with Welch's normal 95 % interval times the treated customers: the plain difference,
  kept beside the adjusted one to show what the adjustment buys;
* **ROI** = incremental profit / cost (0 when nothing was spent); incremental profit is already net
  of the cost, so ROI > 0 means the money came back with a gain;
* **churn** = share of the customers alive at the round's start who dropped out during it;
* **CLV change** = (mean 12-month CLV at the round's end of the treated - of the holdout) x treated,
  the CLV being the true model's expected margin of the next 52 weeks (so the coupon habit and the
  customers kept show here even when the round's profit does not);
* **satisfaction** = mean 0..10 score of the treated after the round.

Round totals (:attr:`RoundResult.totals`) are the whole retailer's: ``revenue``, ``orders``,
``buyers``, ``profit`` and ``active_customers`` include the customers who signed up during the round
(``new_customers`` of them, ``new_customers_revenue`` yuan); ``unassigned`` counts the customers
at the round's start whom the plan put in no segment (untreated, and measured nowhere).

:func:`debrief` is for the instructor: it shows the hidden response model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cvmlib.sandbox.response import PAID_ACTIONS, ArrivalOutcome, Outcome, effect_table, expected_round
from cvmlib.sandbox.world import ROUND_BUDGET, TRUE_SEGMENTS, State, World, round_start

if TYPE_CHECKING:
    from cvmlib.sandbox.game import Game
    from cvmlib.sandbox.plan import Plan

__all__ = [
    "Debrief",
    "RoundResult",
    "TABLE_COLUMNS",
    "best_plan",
    "captured_share",
    "cuped_diff",
    "dashboard",
    "debrief",
    "greedy_allocation",
    "leaderboard",
    "measure",
    "round_table",
]

#: z of a two-sided 95 % normal interval.
Z95 = 1.959963984540054
TABLE_COLUMNS = ["customers", "treated", "holdout", "cost", "revenue", "incremental_profit", "ci_low", "ci_high",
                 "unadjusted_incremental_profit", "unadjusted_ci_low", "unadjusted_ci_high",
                 "roi", "churn", "churn_holdout", "clv_change", "satisfaction"]
#: The columns added after the first version (older files lack them; see RoundResult.from_dict).
_UNADJUSTED = {"unadjusted_incremental_profit": "incremental_profit", "unadjusted_ci_low": "ci_low",
               "unadjusted_ci_high": "ci_high"}


@dataclass(frozen=True)
class RoundResult:
    """One played round of one team: the table per team segment and the round's totals."""

    team: str
    round: int
    attempt: int
    table: pd.DataFrame  # index: team segment; TABLE_COLUMNS
    totals: dict[str, float] = field(default_factory=dict)

    @property
    def period(self) -> str:
        """The quarter played, e.g. ``"2026 Q1"``."""
        start = round_start(self.round)
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"

    def to_dict(self) -> dict[str, Any]:
        return {"team": self.team, "round": self.round, "attempt": self.attempt,
                "table": {str(k): {c: float(v) for c, v in row.items()} for k, row in self.table.iterrows()},
                "totals": {k: float(v) for k, v in self.totals.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RoundResult:
        table = pd.DataFrame.from_dict(data["table"], orient="index")
        for new, old in _UNADJUSTED.items():  # a file from before the adjustment: its figures were unadjusted
            if new not in table and old in table:
                table[new] = table[old]
        table = table.reindex(columns=TABLE_COLUMNS)
        table.index.name = "segment"
        for col in ("customers", "treated", "holdout"):
            table[col] = table[col].astype(np.int64)
        return cls(str(data["team"]), int(data["round"]), int(data["attempt"]), table, dict(data["totals"]))

    def __repr__(self) -> str:
        t = self.totals
        return (f"RoundResult(team={self.team!r}, round={self.round}, cost={t.get('cost', 0):,.0f}, "
                f"incremental_profit={t.get('incremental_profit', 0):,.0f} "
                f"[{t.get('ci_low', 0):,.0f}, {t.get('ci_high', 0):,.0f}], roi={t.get('roi', 0):.2f})")


def _diff(treated: np.ndarray, control: np.ndarray) -> tuple[float, float]:
    """Difference of means and its standard error (Welch); 0 when a group is too small."""
    if len(treated) < 2 or len(control) < 2:
        return 0.0, 0.0
    diff = float(treated.mean() - control.mean())
    se = float(np.sqrt(treated.var(ddof=1) / len(treated) + control.var(ddof=1) / len(control)))
    return diff, se


def cuped_diff(y_treated: np.ndarray, y_control: np.ndarray, x_treated: np.ndarray,
               x_control: np.ndarray) -> tuple[float, float, float]:
    """Regression-adjusted (CUPED) difference of means, its standard error and theta.

    CUPED (Deng, Xu, Kohavi & Walker 2013): ``theta = cov(X, Y) / var(X)`` over both groups pooled,
    ``Y_adj = Y - theta (X - mean X)``, then the difference of the groups' mean ``Y_adj`` with its
    Welch standard error (theta taken as known, the usual large-sample approximation). ``theta`` is
    0 when X does not vary; (0, 0, 0) when a group has fewer than 2 customers.

    Examples
    --------
    >>> y_t, y_h = np.array([3.0, 5.0, 7.0]), np.array([1.0, 3.0, 5.0])
    >>> diff, se, theta = cuped_diff(y_t, y_h, y_t - 2.0, y_h)  # X explains Y exactly, up to the effect
    >>> round(diff, 6), round(theta, 6)
    (2.0, 1.0)
    """
    if len(y_treated) < 2 or len(y_control) < 2:
        return 0.0, 0.0, 0.0
    x = np.concatenate([x_treated, x_control])
    y = np.concatenate([y_treated, y_control])
    centred = x - x.mean()
    var_x = float(centred @ centred)
    theta = float(centred @ (y - y.mean()) / var_x) if var_x > 1e-12 * max(1.0, len(x)) else 0.0
    diff, se = _diff(y_treated - theta * (x_treated - x.mean()), y_control - theta * (x_control - x.mean()))
    return diff, se, theta


def measure(team: str, round_no: int, attempt: int, labels: np.ndarray, holdout: np.ndarray, cost_by_segment:
            pd.Series, before: State, outcome: Outcome, *, covariate: np.ndarray | None = None,
            arrivals: ArrivalOutcome | None = None) -> RoundResult:
    """The round's table per team segment, measured against the holdout (see the module's definitions).

    ``covariate`` is the pre-round value X of the regression adjustment, one per customer (default:
    ``before.previous_profit``, each customer's profit in the previous quarter; without one the
    adjusted figures equal the unadjusted ones). ``arrivals`` are the customers who signed up during
    the round: they count in the round's totals, never in a segment.
    """
    if covariate is None:
        covariate = before.previous_profit if before.previous_profit is not None else np.zeros(len(labels))
    rows: dict[str, dict[str, float]] = {}
    total_var = total_var_raw = 0.0
    for segment in sorted({str(v) for v in labels if v is not None}):
        member = labels == segment
        spent = float(cost_by_segment.get(segment, 0.0))
        treated = member & ~holdout if spent > 0 else np.zeros_like(member)
        control = member & holdout
        n_t = int(treated.sum())
        raw, se_raw = _diff(outcome.profit[treated], outcome.profit[control]) if n_t else (0.0, 0.0)
        diff, se, _theta = (cuped_diff(outcome.profit[treated], outcome.profit[control], covariate[treated],
                                       covariate[control]) if n_t else (0.0, 0.0, 0.0))
        clv_diff, _se = _diff(outcome.clv[treated], outcome.clv[control]) if n_t else (0.0, 0.0)
        total_var += (se * n_t) ** 2
        total_var_raw += (se_raw * n_t) ** 2

        def churn(mask: np.ndarray) -> float:
            start = mask & before.alive
            return float((start & ~outcome.alive_end).sum() / start.sum()) if start.any() else 0.0

        rows[segment] = {
            "customers": int(member.sum()), "treated": n_t, "holdout": int(control.sum()), "cost": spent,
            "revenue": float(outcome.revenue[member & ~holdout].sum()),
            "incremental_profit": diff * n_t, "ci_low": (diff - Z95 * se) * n_t, "ci_high": (diff + Z95 * se) * n_t,
            "unadjusted_incremental_profit": raw * n_t, "unadjusted_ci_low": (raw - Z95 * se_raw) * n_t,
            "unadjusted_ci_high": (raw + Z95 * se_raw) * n_t,
            "roi": diff * n_t / spent if spent > 0 else 0.0,
            "churn": churn(member & ~holdout), "churn_holdout": churn(control),
            "clv_change": clv_diff * n_t,
            "satisfaction": float(outcome.satisfaction[treated if n_t else member].mean()),
        }
    table = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=TABLE_COLUMNS)
    table.index.name = "segment"
    for col in ("customers", "treated", "holdout"):
        table[col] = table[col].astype(np.int64)
    incremental = float(table["incremental_profit"].sum())
    raw_total = float(table["unadjusted_incremental_profit"].sum())
    cost = float(table["cost"].sum())
    half = Z95 * float(np.sqrt(total_var))
    half_raw = Z95 * float(np.sqrt(total_var_raw))
    alive_start = before.alive
    new = arrivals
    new_alive = float(new.alive_end.sum()) if new is not None else 0.0
    new_orders = float(new.orders.sum()) if new is not None else 0.0
    new_revenue = float(new.revenue.sum()) if new is not None else 0.0
    new_profit = float(new.profit.sum()) if new is not None else 0.0
    totals = {
        "cost": cost, "incremental_profit": incremental, "ci_low": incremental - half, "ci_high": incremental + half,
        "unadjusted_incremental_profit": raw_total, "unadjusted_ci_low": raw_total - half_raw,
        "unadjusted_ci_high": raw_total + half_raw,
        "roi": incremental / cost if cost > 0 else 0.0, "clv_change": float(table["clv_change"].sum()),
        "active_customers": float(outcome.alive_end.sum()) + new_alive,
        "buyers": float((outcome.orders > 0).sum()) + (len(new) if new is not None else 0),
        "orders": float(outcome.orders.sum()) + new_orders, "revenue": float(outcome.revenue.sum()) + new_revenue,
        "discount": float(outcome.discount.sum()), "profit": float(outcome.profit.sum()) + new_profit,
        "won_back": float(outcome.won_back.sum()),
        "churn": float((alive_start & ~outcome.alive_end).sum() / max(int(alive_start.sum()), 1)),
        "satisfaction": float(outcome.satisfaction.mean()),
        "new_customers": float(len(new)) if new is not None else 0.0, "new_customers_revenue": new_revenue,
        "unassigned": float(sum(1 for v in labels if v is None)),
    }
    return RoundResult(team, round_no, attempt, table, totals)


def round_table(game: Game) -> pd.DataFrame:
    """Every active round's table stacked: index (round, segment)."""
    if not game.results:
        return pd.DataFrame(columns=TABLE_COLUMNS, index=pd.MultiIndex.from_tuples([], names=["round", "segment"]))
    return pd.concat({r.round: r.table for r in game.results}, names=["round", "segment"])


DASHBOARD_COLUMNS = ["period", "active_customers", "buyers", "orders", "revenue", "profit", "cost",
                     "incremental_profit", "roi", "churn", "satisfaction", "new_customers", "unassigned"]


def _total(result: RoundResult, key: str) -> float:
    """A round total; the figures added later fall back for older files (unadjusted = adjusted, counts 0)."""
    if key in result.totals:
        return float(result.totals[key])
    return float(result.totals.get(_UNADJUSTED.get(key, ""), 0.0))


def dashboard(game: Game) -> pd.DataFrame:
    """The KPI rows per played round (index ``round``): the whole world's figures and the team's measured gain.

    ``active_customers`` are alive at the round's end; ``buyers`` placed at least one order; ``profit``
    is the whole retailer's (margin - discounts - campaign cost); these and ``revenue`` and ``orders``
    include the customers who signed up during the round (``new_customers``); ``churn`` of all
    customers alive at the start; ``satisfaction`` the mean over the customers at the start;
    ``unassigned`` the customers at the start in no segment of the plan; ``incremental_profit`` the
    regression-adjusted estimate (see the module's definitions).
    """
    rows = [{"round": r.round, "period": r.period, **{k: _total(r, k) for k in DASHBOARD_COLUMNS[1:]}}
            for r in game.results]
    frame = pd.DataFrame(rows, columns=["round", *DASHBOARD_COLUMNS]).set_index("round")
    for col in ("active_customers", "buyers", "orders", "new_customers", "unassigned"):
        frame[col] = frame[col].astype(np.int64)
    return frame


def leaderboard(games: Iterable[Game], *, rank: bool = False) -> pd.DataFrame:
    """Cumulative incremental profit (with its 95 % interval), cost, ROI and CLV change per team.

    ``incremental_profit`` is the regression-adjusted (CUPED) estimate summed over the rounds played;
    ``unadjusted_incremental_profit`` (with ``unadjusted_ci_low``/``unadjusted_ci_high``) the plain
    difference, for comparison. Sorted by team name unless ``rank=True`` (then by incremental profit,
    with a ``rank`` column): no ranking is shown unless asked. Each round draws a fresh holdout and
    fresh luck, so the rounds' errors are treated as independent: the interval of the sum adds the
    rounds' variances.
    """
    rows = []
    for game in games:
        results = game.results
        cost = sum(r.totals["cost"] for r in results)
        row: dict[str, Any] = {"team": game.team, "rounds": len(results), "cost": cost}
        for prefix in ("", "unadjusted_"):
            inc = sum(_total(r, f"{prefix}incremental_profit") for r in results)
            var = sum(((_total(r, f"{prefix}ci_high") - _total(r, f"{prefix}ci_low")) / (2 * Z95)) ** 2
                      for r in results)
            row |= {f"{prefix}incremental_profit": inc, f"{prefix}ci_low": inc - Z95 * np.sqrt(var),
                    f"{prefix}ci_high": inc + Z95 * np.sqrt(var)}
        row |= {"roi": row["incremental_profit"] / cost if cost > 0 else 0.0,
                "clv_change": sum(r.totals["clv_change"] for r in results)}
        rows.append(row)
    columns = ["team", "rounds", "cost", "incremental_profit", "ci_low", "ci_high", "roi", "clv_change",
               "unadjusted_incremental_profit", "unadjusted_ci_low", "unadjusted_ci_high"]
    frame = pd.DataFrame(rows, columns=columns)
    if rank:
        frame = frame.sort_values(["incremental_profit", "team"], ascending=[False, True], kind="stable")
        frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    else:
        frame = frame.sort_values("team", kind="stable")
    return frame.set_index("team")


# ---------------------------------------------------------------------------------------------
# The instructor's debrief: the true model and the best plan
# ---------------------------------------------------------------------------------------------

def greedy_allocation(gain: Callable[[Any, np.ndarray], float], groups: Sequence[Any], n_actions: int,
                      budget: float, step: float) -> dict[Any, np.ndarray]:
    """Spend ``budget`` in steps of ``step`` where the next step adds the most, while it adds anything.

    ``gain(group, yuan_per_action)`` is a group's value of an allocation (0 for nothing) and groups
    are independent. When every gain is concave in each action's yuan and the actions of a group do
    not interact badly, taking the best marginal step every time is optimal on the grid of steps
    (the classic greedy argument; tests/test_sandbox.py checks it by brute force).
    """
    alloc = {g: np.zeros(n_actions) for g in groups}
    value = {g: gain(g, alloc[g]) for g in groups}

    def marginals(g: Any) -> np.ndarray:
        out = np.empty(n_actions)
        for a in range(n_actions):
            trial = alloc[g].copy()
            trial[a] += step
            out[a] = gain(g, trial) - value[g]
        return out

    best = {g: marginals(g) for g in groups}
    left = budget
    while left >= step - 1e-9 and groups:
        g = max(groups, key=lambda k: float(best[k].max()))
        a = int(np.argmax(best[g]))
        if best[g][a] <= 0:
            break
        alloc[g][a] += step
        value[g] += best[g][a]
        left -= step
        best[g] = marginals(g)
    return alloc


def _subset(world: World, state: State, idx: np.ndarray) -> tuple[World, State]:
    sub_world = World(world.ids[idx], world.true_segment[idx], world.rate[idx], world.dropout[idx],
                      world.spend[idx], world.alive[idx], world.history, world.profile)
    sub_state = State(state.round, state.alive[idx], state.habit[idx], state.streak[idx], state.satisfaction[idx],
                      state.orders[idx], state.revenue[idx], state.last_order[idx], state.first_order[idx],
                      None if state.previous_profit is None else state.previous_profit[idx])
    return sub_world, sub_state


def expected_gain(world: World, state: State, treated: np.ndarray, yuan: np.ndarray) -> float:
    """Expected incremental profit of giving ``treated`` customers ``yuan`` per paid action, in total."""
    n = int(treated.sum())
    if n == 0:
        return 0.0
    sub_world, sub_state = _subset(world, state, np.flatnonzero(treated))
    spend = np.broadcast_to(yuan / n, (n, len(PAID_ACTIONS)))
    base = expected_round(sub_world, sub_state, np.zeros((n, len(PAID_ACTIONS))))
    return float((expected_round(sub_world, sub_state, np.asarray(spend)) - base).sum())


def best_plan(world: World, state: State, labels: np.ndarray, holdout: np.ndarray, *,
              budget: float = ROUND_BUDGET, steps: int = 100) -> pd.DataFrame:
    """The best segment x action yuan under the true model for these segments and this holdout (greedy)."""
    groups = sorted({str(v) for v in labels if v is not None})
    treated = {g: (labels == g) & ~holdout for g in groups}
    alloc = greedy_allocation(lambda g, y: expected_gain(world, state, treated[g], y), groups, len(PAID_ACTIONS),
                              budget, budget / steps)
    table = pd.DataFrame([alloc[g] for g in groups], index=pd.Index(groups, name="segment"),
                         columns=list(PAID_ACTIONS))
    return table


def plan_value(world: World, state: State, labels: np.ndarray, holdout: np.ndarray, table: pd.DataFrame) -> float:
    """Expected incremental profit of a segment x action yuan table under the true model."""
    return sum(expected_gain(world, state, (labels == g) & ~holdout, table.loc[g].to_numpy(dtype=float))
               for g in table.index)


@dataclass(frozen=True)
class Debrief:
    """The instructor's view of one game."""

    effects: pd.DataFrame  # index (true segment, action): scale, rate, dropout, spend, winback, wait, satisfaction
    rounds: pd.DataFrame  # per round: measured (adjusted, unadjusted) and expected gain, best, oracle, gap, captured
    best_plans: dict[int, pd.DataFrame]  # round -> best yuan per team segment x action
    oracle_plans: dict[int, pd.DataFrame]  # round -> best yuan per TRUE segment x action


def true_effects() -> pd.DataFrame:
    """The hidden response model as a table: (true segment, action) -> full effects and scale."""
    rows = {(s, a): vars(e) for s, actions in effect_table().items() for a, e in actions.items()}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.names = ["true_segment", "action"]
    return frame


def captured_share(expected: float, best: float) -> float:
    """The share of the best plan's expected gain a plan captured, always between 0 and 1.

    ``expected / best`` clipped to 0..1 when ``best`` > 0: 0 when the plan loses money in
    expectation, 1 when it matches (or, off the greedy's grid, beats) the best. When ``best`` is 0
    (no plan gains anything: doing nothing is best) the share is 1 if the plan lost nothing and 0
    otherwise. How much was left on the table, losses included, is the gap in yuan (best - expected).

    Examples
    --------
    >>> captured_share(30_000.0, 40_000.0), captured_share(-5_000.0, 40_000.0), captured_share(0.0, 0.0)
    (0.75, 0.0, 1.0)
    >>> captured_share(-2_000.0, 0.0)
    0.0
    """
    if best > 0:
        return float(min(max(expected / best, 0.0), 1.0))
    return 1.0 if expected >= -1e-9 else 0.0


DEBRIEF_COLUMNS = ["measured", "measured_unadjusted", "expected", "best", "oracle", "gap", "captured"]


def debrief(game: Game, *, steps: int = 100) -> Debrief:
    """Instructor only: the true effects, and per round the best plan under the true model and the gap.

    Per round: ``measured`` (the team's regression-adjusted incremental profit against its holdout),
    ``measured_unadjusted`` (the plain difference), ``expected`` (the team's plan under the true
    model, no noise), ``best`` (greedy best for the team's own segments and the same
    :data:`ROUND_BUDGET`; never below 0, since doing nothing is allowed), ``oracle`` (greedy best for
    the true segments), ``gap`` = best - expected in yuan (always finite; it includes what a plan
    lost; slightly below 0 only when a plan off the greedy's grid of ``ROUND_BUDGET / steps`` beats
    it), ``captured`` = :func:`captured_share` (0..1, always finite). The best plans are myopic: they
    maximise the round's profit, not the customers' future (see ``clv_change`` in the results).
    """
    from cvmlib.sandbox.plan import draw_holdout

    rows, best_plans, oracle_plans = [], {}, {}
    for result, plan in zip(game.results, game.plans):
        world = game.world_before(result.round)
        true_labels = np.array([TRUE_SEGMENTS[k] for k in world.true_segment], dtype=object)
        state = game.state_before(result.round)
        labels = plan.labels_for(world)
        holdout = draw_holdout(labels, game.seed, result.round)
        team_value = plan_value(world, state, labels, holdout, plan.spend_table())
        best = best_plan(world, state, labels, holdout, steps=steps)
        best_value = plan_value(world, state, labels, holdout, best)
        oracle_holdout = draw_holdout(true_labels, game.seed, result.round)
        oracle = best_plan(world, state, true_labels, oracle_holdout, steps=steps)
        oracle_value = plan_value(world, state, true_labels, oracle_holdout, oracle)
        best_plans[result.round], oracle_plans[result.round] = best, oracle
        rows.append({"round": result.round, "measured": _total(result, "incremental_profit"),
                     "measured_unadjusted": _total(result, "unadjusted_incremental_profit"),
                     "expected": team_value, "best": best_value, "oracle": oracle_value,
                     "gap": best_value - team_value, "captured": captured_share(team_value, best_value)})
    frame = pd.DataFrame(rows, columns=["round", *DEBRIEF_COLUMNS])
    return Debrief(true_effects(), frame.set_index("round"), best_plans, oracle_plans)
