"""The micro-sandbox (cvmlib.sandbox): determinism, plan errors, measurement, side effects, debrief."""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cvmlib.i18n import language
from cvmlib.sandbox import ACTIONS, HOLDOUT_SHARE, ROUND_BUDGET, Game, Plan, World, campaign_test, leaderboard
from cvmlib.sandbox.plan import draw_holdout
from cvmlib.sandbox.response import PAID_ACTIONS, expected_round, simulate_round
from cvmlib.sandbox.results import (
    TABLE_COLUMNS,
    RoundResult,
    best_plan,
    captured_share,
    cuped_diff,
    dashboard,
    debrief,
    expected_gain,
    greedy_allocation,
    measure,
    plan_value,
)
from cvmlib.sandbox.response import play_arrivals
from cvmlib.sandbox.world import NEW_PER_DAY, NEWCOMER_SEGMENTS, PERIOD_WEEKS, TRUE_SEGMENTS, State, new_customers
from cvmlib.validate import InputError


@pytest.fixture(scope="module")
def world() -> World:
    return World.retailer()


@pytest.fixture(scope="module")
def segments(world: World) -> pd.Series:
    facts = world.customers
    return pd.Series(np.where(facts["recency_days"] > 180, "lapsed",
                              np.where(facts["orders"] >= 10, "loyal", "regular")), index=facts.index)


def a_plan(segments: pd.Series) -> Plan:
    return Plan(segments, {"loyal": {"coupon": 20_000, "loyalty_points": 20_000},
                           "regular": {"cross_sell": 10_000}, "lapsed": {"winback_call": 30_000}})


# --- determinism ---------------------------------------------------------------------------------

def test_a_round_is_deterministic_for_a_seed_and_independent_of_the_team(tmp_path, segments):
    plan = a_plan(segments)
    one = Game.new("alpha", seed=11, folder=tmp_path).submit(plan)
    two = Game.new("beta", seed=11, folder=tmp_path).submit(plan)
    other = Game.new("gamma", seed=12, folder=tmp_path).submit(plan)
    pd.testing.assert_frame_equal(one.table, two.table)
    assert one.totals == two.totals
    assert not one.table.equals(other.table)
    assert np.isfinite(one.table.to_numpy(dtype=float)).all()


def test_load_gives_back_the_results_and_the_state(tmp_path, segments):
    game = Game.new("alpha", seed=3, folder=tmp_path)
    game.submit(a_plan(segments))
    game.submit(a_plan(segments))
    again = Game.load(tmp_path, "alpha")
    assert again.round == 2
    for a, b in zip(game.results, again.results):
        pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(game.customers(), again.customers())
    # the sandbox's own orders are observed: recency now counts from 2026-07-02
    assert (again.customers()["orders"] >= game.world.customers["orders"]).all()


# --- plan errors ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("budget", "words"), [
    ({"loyal": {"coupon": ROUND_BUDGET + 1}}, ["budget is", "too much", "'loyal'/'coupon'"]),
    ({"loyall": {"coupon": 10}}, ["'loyall'", "Did you mean 'loyal'"]),
    ({"loyal": {"coupons": 10}}, ["'loyal'", "'coupons'", "Did you mean 'coupon'"]),
    ({"loyal": {"coupon": -5}}, ["'loyal'", "'coupon'", "-5", "negative"]),
    ({"loyal": {"coupon": math.nan}}, ["'loyal'", "'coupon'", "nan", "finite"]),
    ({"loyal": {"coupon": math.inf}}, ["'loyal'", "'coupon'", "inf", "finite"]),
    ({"loyal": {"coupon": "500"}}, ["'loyal'", "'coupon'", "'500'", "number"]),
    ({"loyal": {"coupon": True}}, ["'loyal'", "'coupon'", "True"]),
    ({"loyal": {"nothing": 100}}, ["'loyal'", "'nothing'", "100", "must be 0"]),
    ({"loyal": 100}, ["'loyal'", "mapping"]),
    (["loyal"], ["mapping"]),
])
def test_every_budget_error_names_segment_action_and_amount(segments, budget, words):
    with pytest.raises(InputError) as err:
        Plan(segments, budget)
    for word in words:
        assert word in str(err.value)


def test_segment_errors(segments):
    with pytest.raises(InputError, match="pandas Series"):
        Plan({"C00001": "a"}, {})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="at least 20"):
        Plan(pd.Series(["a"] * 5, index=[f"C{i:05d}" for i in range(1, 6)]), {})
    with pytest.raises(InputError, match="not text"):
        Plan(pd.Series([1] * 30, index=[f"C{i:05d}" for i in range(1, 31)]), {})
    with pytest.raises(InputError, match="missing|empty"):
        Plan(pd.Series(["a"] * 29 + [None], index=[f"C{i:05d}" for i in range(1, 31)]), {})
    dup = pd.Series(["a"] * 30, index=["C00001"] * 30)
    with pytest.raises(InputError):
        Plan(dup, {})


def test_customers_not_in_the_world_are_refused_before_any_round(tmp_path, segments):
    bad = pd.concat([segments, pd.Series(["loyal"], index=["X99999"])])
    game = Game.new("alpha", seed=1, folder=tmp_path)
    with pytest.raises(InputError, match="X99999"):
        game.submit(Plan(bad, {"loyal": {"coupon": 100}}))
    assert game.round == 0 and not list(game.path.glob("round-*"))


def test_plan_errors_are_translated(segments):
    with language("zh"), pytest.raises(InputError) as err:
        Plan(segments, {"loyal": {"coupon": -5}})
    assert "'loyal'" in str(err.value) and "-5" in str(err.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))


def test_team_names_are_checked(tmp_path):
    for bad in ["", "../x", "a b", "x" * 41, 3]:
        with pytest.raises(InputError, match="team"):
            Game.new(bad, seed=1, folder=tmp_path)  # type: ignore[arg-type]
    Game.new("红队", seed=1, folder=tmp_path)
    with pytest.raises(InputError, match="already has a game"):
        Game.new("红队", seed=1, folder=tmp_path)


# --- the holdout ---------------------------------------------------------------------------------

def test_holdout_is_stratified_and_balanced(world, segments):
    labels = Plan(segments, {}).labels_for(world)
    revenue = world.customers["revenue"].to_numpy()
    share = np.zeros(len(world))
    seeds = range(200)
    for seed in seeds:
        h = draw_holdout(labels, seed, 1)
        share += h
        for seg in ("loyal", "regular", "lapsed"):
            member = labels == seg
            assert abs(h[member].mean() - HOLDOUT_SHARE) < 0.005
    share /= len(seeds)
    # every customer equally likely: the per-customer share scatters binomially around HOLDOUT_SHARE (20 %)
    assert abs(share.mean() - HOLDOUT_SHARE) < 0.002
    assert np.corrcoef(share, revenue)[0, 1] ** 2 < 0.01
    assert draw_holdout(labels, 5, 2).tolist() == draw_holdout(labels, 5, 2).tolist()


# --- measurement recovers the truth ---------------------------------------------------------------

def _tiled(world: World, times: int) -> World:
    ids = pd.Index([f"{c}-{k}" for k in range(times) for c in world.ids])
    tile = lambda a: np.tile(a, times)  # noqa: E731
    return World(ids, tile(world.true_segment), tile(world.rate), tile(world.dropout), tile(world.spend),
                 tile(world.alive), world.history, world.profile)


def test_measured_incremental_profit_recovers_the_true_effect(world):
    big = _tiled(world, 8)  # 40,000 customers
    small = State.start(world)
    state = State(0, *(np.tile(a, 8) for a in (small.alive, small.habit, small.streak, small.satisfaction,
                                               small.orders, small.revenue, small.last_order, small.first_order)))
    families = big.true_segment == TRUE_SEGMENTS.index("families")
    labels = np.where(families, "families", None).astype(object)
    holdout = draw_holdout(labels, 4, 1, share=0.5)
    spend = np.zeros((len(big), len(PAID_ACTIONS)))
    treated = families & ~holdout
    spend[treated, PAID_ACTIONS.index("cross_sell")] = 10.0
    spend[treated, PAID_ACTIONS.index("loyalty_points")] = 20.0
    outcome = simulate_round(big, state, spend, np.random.default_rng(4))
    result = measure("t", 1, 1, labels, holdout, pd.Series({"families": spend.sum()}), state, outcome)
    row = result.table.loc["families"]
    true_gain = float((expected_round(big, state, spend) - expected_round(big, state, 0 * spend))[treated].sum())
    assert row["ci_low"] <= true_gain <= row["ci_high"]


def test_measured_incremental_profit_is_unbiased_over_seeds(world):
    state = State.start(world)
    premium = world.true_segment == TRUE_SEGMENTS.index("premium_tech")
    labels = np.where(premium, "premium", None).astype(object)
    estimates, truths = [], []
    for seed in range(30):
        holdout = draw_holdout(labels, seed, 1, share=0.5)
        treated = premium & ~holdout
        spend = np.zeros((len(world), len(PAID_ACTIONS)))
        spend[treated, PAID_ACTIONS.index("account_manager")] = 150.0
        outcome = simulate_round(world, state, spend, np.random.default_rng(seed))
        row = measure("t", 1, 1, labels, holdout, pd.Series({"premium": spend.sum()}), state, outcome).table.iloc[0]
        estimates.append(row["incremental_profit"])
        truths.append(float((expected_round(world, state, spend) - expected_round(world, state, 0 * spend))[treated]
                            .sum()))
    error = np.array(estimates) - np.array(truths)
    assert abs(error.mean()) < 3 * error.std(ddof=1) / np.sqrt(len(error))


# --- the regression adjustment (CUPED) -------------------------------------------------------------

def test_cuped_diff_against_a_plain_computation():
    rng = np.random.default_rng(3)
    x_t, x_h = rng.gamma(2, 50, 400), rng.gamma(2, 50, 100)
    y_t, y_h = 0.8 * x_t + rng.normal(5, 20, 400), 0.8 * x_h + rng.normal(0, 20, 100)
    diff, se, theta = cuped_diff(y_t, y_h, x_t, x_h)
    x, y = np.r_[x_t, x_h], np.r_[y_t, y_h]
    plain_theta = np.cov(x, y)[0, 1] / np.var(x, ddof=1)
    a_t, a_h = y_t - plain_theta * (x_t - x.mean()), y_h - plain_theta * (x_h - x.mean())
    assert theta == pytest.approx(plain_theta)
    assert diff == pytest.approx(a_t.mean() - a_h.mean())
    assert se == pytest.approx(math.sqrt(a_t.var(ddof=1) / 400 + a_h.var(ddof=1) / 100))
    # a constant covariate adjusts nothing; tiny groups give zeros
    assert cuped_diff(y_t, y_h, 0 * x_t, 0 * x_h)[:2] == pytest.approx((y_t.mean() - y_h.mean(),
                                                                        math.sqrt(y_t.var(ddof=1) / 400
                                                                                  + y_h.var(ddof=1) / 100)))
    assert cuped_diff(y_t[:1], y_h, x_t[:1], x_h) == (0.0, 0.0, 0.0)


def test_adjusted_estimate_is_unbiased_narrower_and_covers_the_truth(world):
    """40 seeded rounds of one mixed segment (20 % holdout): the regression-adjusted estimate."""
    state = State.start(world)
    facts = world.customers
    name = "regular"
    labels = np.where(((facts["recency_days"] <= 180) & (facts["orders"] < 10)).to_numpy(), name, None).astype(object)
    errors, covered, width, width_raw = [], 0, [], []
    runs = 40
    for seed in range(runs):
        holdout = draw_holdout(labels, seed, 1)
        treated = (labels == name) & ~holdout
        spend = np.zeros((len(world), len(PAID_ACTIONS)))
        spend[treated, PAID_ACTIONS.index("loyalty_points")] = 8.0
        spend[treated, PAID_ACTIONS.index("cross_sell")] = 5.0
        outcome = simulate_round(world, state, spend, np.random.default_rng(seed))
        row = measure("t", 1, 1, labels, holdout, pd.Series({name: spend.sum()}), state, outcome).table.iloc[0]
        truth = float((expected_round(world, state, spend) - expected_round(world, state, 0 * spend))[treated].sum())
        errors.append(row["incremental_profit"] - truth)
        covered += bool(row["ci_low"] <= truth <= row["ci_high"])
        width.append(row["ci_high"] - row["ci_low"])
        width_raw.append(row["unadjusted_ci_high"] - row["unadjusted_ci_low"])
    errors = np.array(errors)
    assert abs(errors.mean()) < 3 * errors.std(ddof=1) / math.sqrt(runs)  # unbiased
    assert np.mean(width) < 0.95 * np.mean(width_raw)  # the covariate explains part of the noise
    # nominal 95 %: 34 or more of 40 (fewer has probability 0.3 % when the interval is right)
    assert covered >= 34
    # the interval is not padded either: its width matches the estimate's scatter
    assert np.mean(width) / (2 * 1.96) == pytest.approx(errors.std(ddof=1), rel=0.35)


def test_the_round_table_has_both_estimates_and_old_files_still_load(tmp_path, segments):
    result = Game.new("alpha", seed=4, folder=tmp_path).submit(a_plan(segments))
    assert list(result.table.columns) == TABLE_COLUMNS
    loyal = result.table.loc["loyal"]
    assert loyal["incremental_profit"] != loyal["unadjusted_incremental_profit"]
    assert loyal["ci_high"] - loyal["ci_low"] < loyal["unadjusted_ci_high"] - loyal["unadjusted_ci_low"]
    old = result.to_dict()
    for row in old["table"].values():
        for col in ("unadjusted_incremental_profit", "unadjusted_ci_low", "unadjusted_ci_high"):
            del row[col]
    back = RoundResult.from_dict(old)
    assert np.isfinite(back.table.to_numpy(dtype=float)).all()
    assert (back.table["unadjusted_incremental_profit"] == back.table["incremental_profit"]).all()


def test_outcomes_reproduce_the_round_table(tmp_path, segments):
    game = Game.new("alpha", seed=8, folder=tmp_path)
    with pytest.raises(InputError, match="No round"):
        game.outcomes(1)
    game.submit(a_plan(segments))
    result = game.submit(Plan(segments, {"loyal": {"coupon": 30_000}, "regular": {"nothing": 0}}))
    frame = game.outcomes(2)
    assert set(frame["group"]) == {"treated", "holdout", "untreated", "unassigned", "new"}
    assert (frame["group"] == "new").sum() == result.totals["new_customers"]
    assert (frame["group"] == "unassigned").sum() == result.totals["unassigned"]
    assert frame["revenue"].sum() == pytest.approx(result.totals["revenue"])
    loyal = frame[frame["segment"] == "loyal"]
    t, h = loyal[loyal["group"] == "treated"], loyal[loyal["group"] == "holdout"]
    row = result.table.loc["loyal"]
    assert len(t) == row["treated"] and len(h) == row["holdout"]
    assert (t["profit"].mean() - h["profit"].mean()) * len(t) == pytest.approx(row["unadjusted_incremental_profit"])
    diff, _se, _theta = cuped_diff(t["profit"].to_numpy(), h["profit"].to_numpy(), t["previous_profit"].to_numpy(),
                                   h["previous_profit"].to_numpy())
    assert diff * len(t) == pytest.approx(row["incremental_profit"])
    with pytest.raises(InputError, match="round"):
        game.outcomes(3)


# --- new customers ---------------------------------------------------------------------------------------

def _generator():
    """datasets/generate.py as a module (a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("cvm_generate_sb", Path(__file__).resolve().parents[1]
                                                  / "datasets" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_newcomers_follow_the_generator(world):
    gen = _generator()
    assert NEW_PER_DAY == gen.N_CUSTOMERS / gen.N_DAYS
    for mine, theirs in zip(NEWCOMER_SEGMENTS, gen.SEGMENTS, strict=True):
        for name in ("name", "share", "rate_mean", "rate_shape", "dropout_ab", "spend_mean", "spend_shape", "tiers",
                     "acquisition"):
            assert getattr(mine, name) == getattr(theirs, name), (mine.name, name)
    assert tuple(s.name for s in NEWCOMER_SEGMENTS) == TRUE_SEGMENTS
    # pooled over rounds: counts, segment mix and draws as the generator's
    parts = [new_customers(11, r, world) for r in range(1, 7)]
    counts = np.array([len(p) for p in parts])
    expected = NEW_PER_DAY * PERIOD_WEEKS * 7
    assert abs(counts.mean() - expected) < 4 * math.sqrt(expected / len(parts))
    seg = np.concatenate([p.world.true_segment for p in parts])
    rate = np.concatenate([p.world.rate for p in parts])
    shares = np.bincount(seg, minlength=5) / len(seg)
    for k, s in enumerate(NEWCOMER_SEGMENTS):
        assert abs(shares[k] - s.share) < 4 * math.sqrt(s.share * (1 - s.share) / len(seg))
        sd_mean = s.rate_mean / math.sqrt(s.rate_shape * (seg == k).sum())
        assert abs(rate[seg == k].mean() - s.rate_mean) < 4 * sd_mean
    assert parts[0].world.ids[0] == "C05001" and (np.diff(parts[0].signup_day) >= 0).all()
    first = play_arrivals(11, 1, world)
    assert (first.orders >= 1).all() and (first.first_order >= np.datetime64("2026-01-01")).all()
    assert (first.last_order >= first.first_order).all() and (first.last_order < np.datetime64("2026-04-02")).all()


def test_newcomers_join_every_team_the_same_and_plans_may_leave_them_out(tmp_path, segments):
    plan = a_plan(segments)
    red, blue = Game.new("red", seed=6, folder=tmp_path), Game.new("blue", seed=6, folder=tmp_path)
    first = red.submit(plan)
    blue.submit(Plan(segments, {"regular": {"coupon": 5_000}}))
    assert first.totals["new_customers"] > 400 and first.totals["unassigned"] == 0
    # the same newcomers for both teams, in the world of round 2 and in the participants' view
    assert red.world.ids.equals(blue.world.ids) and len(red.world) == 5000 + first.totals["new_customers"]
    view = red.customers()
    assert len(view) == len(red.world) and view.index[5000] == "C05001"
    assert np.isfinite(view[["recency_days", "orders", "revenue", "tenure_days"]].to_numpy(dtype=float)).all()
    newcomers = view.index[5000:]
    assert (view.loc[newcomers, "orders"] >= 1).all() and (view.loc[newcomers, "membership_level"] == "basic").all()
    # a plan on round 1's segments leaves the newcomers out, and the results say so
    second = red.submit(plan)
    assert second.totals["unassigned"] == len(newcomers)
    assert int(dashboard(red).loc[2, "unassigned"]) == len(newcomers)
    # a new segmentation covers them (and round 2's newcomers)
    now = red.customers()
    assert len(now) == len(view) + second.totals["new_customers"]
    covering = pd.concat([segments, pd.Series("new", index=now.index[5000:])])
    third = red.submit(Plan(covering, {"new": {"cross_sell": 3_000}}))
    assert third.totals["unassigned"] == 0 and third.table.loc["new", "customers"] == len(now) - 5000
    # the retailer's revenue includes them; loading rebuilds the same world and state
    assert first.totals["revenue"] > first.totals["new_customers_revenue"] > 0
    again = Game.load(tmp_path, "red")
    pd.testing.assert_frame_equal(again.customers(), red.customers())
    assert again.state_before(2).customers(again.world).index.equals(view.index)
    # a round-1 plan naming a customer who only arrives later is refused on replay
    with pytest.raises(InputError, match="C05001"):
        red.replay(1, Plan(covering, {"new": {"cross_sell": 3_000}}))


# --- side effects ------------------------------------------------------------------------------------

def test_coupons_lower_the_later_baseline(world):
    state = State.start(world)
    rng = lambda: np.random.default_rng(9)  # noqa: E731
    coupons = np.zeros((len(world), len(PAID_ACTIONS)))
    coupons[:, PAID_ACTIONS.index("coupon")] = 15.0
    after_coupon = simulate_round(world, state, coupons, rng()).state
    after_nothing = simulate_round(world, state, 0 * coupons, rng()).state
    # the same customers, made alive in both, with no contact streak: only the habit differs
    for s in (after_coupon, after_nothing):
        s.alive = world.alive.copy()
        s.streak[:] = 0
        s.satisfaction[:] = 7.0
    zero = 0 * coupons
    bargain = world.true_segment == TRUE_SEGMENTS.index("bargain_hunters")
    base_coupon = expected_round(world, after_coupon, zero)[bargain & world.alive].sum()
    base_nothing = expected_round(world, after_nothing, zero)[bargain & world.alive].sum()
    assert base_coupon < 0.95 * base_nothing
    assert (after_coupon.habit > 0).all() and (after_nothing.habit == 0).all()


def test_repeated_contacts_weaken_effects_and_satisfaction(world):
    fresh = State.start(world)
    tired = fresh.copy()
    tired.streak[:] = 2
    treated = world.alive & (world.true_segment == TRUE_SEGMENTS.index("families"))
    yuan = np.zeros(len(PAID_ACTIONS))
    yuan[PAID_ACTIONS.index("loyalty_points")] = 20_000
    assert expected_gain(world, tired, treated, yuan) < 0.6 * expected_gain(world, fresh, treated, yuan)
    spend = np.zeros((len(world), len(PAID_ACTIONS)))
    spend[treated, PAID_ACTIONS.index("cross_sell")] = 5.0
    sat_fresh = simulate_round(world, fresh, spend, np.random.default_rng(1)).satisfaction[treated].mean()
    sat_tired = simulate_round(world, tired, spend, np.random.default_rng(1)).satisfaction[treated].mean()
    assert sat_tired < sat_fresh - 1.0


# --- replay ------------------------------------------------------------------------------------------

def test_replay_keeps_every_old_plan_and_result(tmp_path, segments):
    game = Game.new("alpha", seed=5, folder=tmp_path)
    first = game.submit(a_plan(segments))
    second = game.submit(a_plan(segments))
    cheaper = Plan(segments, {"loyal": {"cross_sell": 5_000}})
    replayed = game.replay(1, cheaper)
    assert game.round == 1 and replayed.attempt == 2
    files = sorted(p.name for p in game.path.glob("round-*.json"))
    assert files == ["round-01-attempt-01.json", "round-01-attempt-02.json", "round-02-attempt-01.json"]
    kept = json.loads((game.path / "round-02-attempt-01.json").read_text(encoding="utf-8"))
    assert kept["active"] is False and kept["result"]["totals"] == second.totals
    loaded = Game.load(tmp_path, "alpha")
    assert [(a.round, a.attempt, a.active) for a in loaded.attempts] == [(1, 1, False), (1, 2, True), (2, 1, False)]
    assert loaded.attempts[0].result.totals == first.totals
    # replaying with the old plan gives the old result back (deterministic)
    again = game.replay(1, a_plan(segments))
    pd.testing.assert_frame_equal(again.table, first.table)
    with pytest.raises(InputError, match="round"):
        game.replay(3, cheaper)


# --- debrief -----------------------------------------------------------------------------------------

def test_greedy_is_optimal_for_concave_gains_by_brute_force():
    rng = np.random.default_rng(0)
    caps = rng.uniform(1, 5, (3, 2))
    scales = rng.uniform(1, 4, (3, 2))

    def gain(g: int, y: np.ndarray) -> float:
        return float((caps[g] * (1 - np.exp(-y / scales[g]))).sum() - 0.4 * y.sum())

    step, steps = 1.0, 8
    greedy = greedy_allocation(gain, [0, 1, 2], 2, steps * step, step)
    best = -np.inf
    for cells in itertools.product(range(steps + 1), repeat=6):
        if sum(cells) <= steps:
            y = np.array(cells, dtype=float).reshape(3, 2) * step
            best = max(best, sum(gain(g, y[g]) for g in range(3)))
    assert sum(gain(g, greedy[g]) for g in range(3)) == pytest.approx(best, abs=1e-9)


def test_greedy_matches_brute_force_on_the_true_model(world, segments):
    state = State.start(world)
    labels = Plan(segments, {}).labels_for(world)
    holdout = draw_holdout(labels, 1, 1)
    groups = ["loyal", "lapsed"]
    use = [PAID_ACTIONS.index("loyalty_points"), PAID_ACTIONS.index("winback_call")]
    step, steps = 5_000.0, 6

    def gain(g: str, y: np.ndarray) -> float:
        full = np.zeros(len(PAID_ACTIONS))
        full[use] = y
        return expected_gain(world, state, (labels == g) & ~holdout, full)

    greedy = greedy_allocation(gain, groups, 2, steps * step, step)
    best = max(sum(gain(g, np.array(cells[2 * i:2 * i + 2], dtype=float) * step) for i, g in enumerate(groups))
               for cells in itertools.product(range(steps + 1), repeat=4) if sum(cells) <= steps)
    assert sum(gain(g, greedy[g]) for g in groups) >= best - 1e-6 * abs(best)


def test_debrief_best_plan_beats_every_plan_tried(tmp_path, world, segments):
    game = Game.new("alpha", seed=2, folder=tmp_path)
    game.submit(a_plan(segments))
    report = debrief(game, steps=50)
    assert set(report.effects.index.get_level_values("true_segment")) == set(TRUE_SEGMENTS)
    row = report.rounds.loc[1]
    assert row["best"] >= row["expected"] and row["gap"] >= 0 and np.isfinite(row.to_numpy(dtype=float)).all()
    assert 0.0 <= row["captured"] <= 1.0
    state = game.state_before(1)
    labels = game.plans[0].labels_for(world)
    holdout = draw_holdout(labels, game.seed, 1)
    rng = np.random.default_rng(0)
    for _ in range(12):  # random plans of the same budget, spent fully or partly
        weights = rng.dirichlet(np.ones(3 * len(PAID_ACTIONS))) * ROUND_BUDGET * rng.uniform(0.2, 1.0)
        table = pd.DataFrame(weights.reshape(3, -1), index=sorted(set(labels) - {None}), columns=list(PAID_ACTIONS))
        assert plan_value(world, state, labels, holdout, table) <= row["best"] + 1e-6
    assert row["oracle"] >= row["best"] - 1.0  # knowing the true segments never hurts (here)
    assert best_plan(world, state, labels, holdout, steps=20).to_numpy().sum() <= ROUND_BUDGET + 1e-6


def test_captured_is_a_finite_share_and_the_gap_keeps_the_yuan():
    assert captured_share(30.0, 40.0) == 0.75
    assert captured_share(-10.0, 40.0) == 0.0  # lost money: nothing captured; the gap (50) says how much
    assert captured_share(45.0, 40.0) == 1.0  # off the greedy's grid a plan may beat it a little
    assert captured_share(0.0, 0.0) == 1.0 and captured_share(-5.0, 0.0) == 0.0  # nothing to gain
    values = [captured_share(e, b) for e in (-1e6, -1.0, 0.0, 1.0, 1e6) for b in (0.0, 1e-9, 1.0, 1e6)]
    assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in values)


# --- leaderboard and the chapter's campaign ---------------------------------------------------------------

def test_leaderboard_sums_rounds_and_ranks_only_when_asked(tmp_path, segments):
    games = []
    for team, budget in (("zeta", {"loyal": {"coupon": 50_000}}), ("eta", {"regular": {"cross_sell": 8_000}})):
        game = Game.new(team, seed=3, folder=tmp_path)
        game.submit(Plan(segments, budget))
        game.submit(Plan(segments, budget))
        games.append(game)
    board = leaderboard(games)
    assert board.index.tolist() == ["eta", "zeta"] and "rank" not in board
    zeta = games[0]
    assert board.loc["zeta", "incremental_profit"] == pytest.approx(
        sum(r.totals["incremental_profit"] for r in zeta.results))
    ranked = leaderboard(games, rank=True)
    assert ranked["rank"].tolist() == [1, 2]
    assert ranked["incremental_profit"].is_monotonic_decreasing


def test_campaign_test_is_seeded_and_shows_the_coupon_effect():
    one, two = campaign_test(seed=8), campaign_test(seed=8)
    pd.testing.assert_frame_equal(one, two)
    means = one.groupby("group")[["orders", "discount", "cost"]].mean()
    assert means.loc["treatment", "orders"] > means.loc["control", "orders"]
    assert means.loc["control", "discount"] == 0 and means.loc["control", "cost"] == 0
    assert (one["recency_days"] <= 180).all()
    with pytest.raises(InputError, match="seed"):
        campaign_test(seed=-1)


def test_actions_are_the_contracts():
    assert ACTIONS == ("account_manager", "coupon", "winback_call", "cross_sell", "loyalty_points", "nothing")
