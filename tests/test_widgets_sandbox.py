"""The micro-sandbox plan editor in the kernel: live budget, refused plans, Submit, replays (speed: benchmarks/bench_sandbox.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from cvmlib.i18n import language
from cvmlib.sandbox import ROUND_BUDGET, Game, Plan, World
from cvmlib.widgets import plan_editor, round_views, submit_round


@pytest.fixture(scope="module")
def segments() -> pd.Series:
    facts = World.retailer().customers
    return (facts["recency_days"] > 365).map({True: "lapsed", False: "active"})


@pytest.fixture()
def game(tmp_path) -> Game:
    return Game.new("widget_test", seed=3, folder=tmp_path)


def test_budget_left_updates_live(game, segments):
    """(How fast: benchmarks/bench_sandbox.py times one change against 100 ms.)"""
    editor = plan_editor(game, segments, {"active": {"coupon": 30_000}})
    assert "70,000" in editor.left.value  # left of 100,000
    box = editor.boxes["lapsed", "winback_call"]
    for amount in range(1_000, 51_000, 1_000):
        box.value = amount
    assert "20,000" in editor.left.value and editor.total() == 80_000
    per = editor._per_customer["lapsed"].value
    assert per != "-"
    box.value = 80_000
    assert "cvm-over" in editor.left.value  # over the budget, shown before Submit


def test_refused_plan_plays_nothing_and_says_why(game, segments):
    editor = plan_editor(game, segments, {"active": {"coupon": 60_000}, "lapsed": {"winback_call": 60_000}})
    assert editor.submit() is None
    assert "Not played" in editor.message.value and "budget" in editor.message.value
    assert game.round == 0 and editor.results.value == ""


def test_submit_plays_shows_the_dashboard_and_a_second_submit_replays_nothing(game, segments):
    editor = plan_editor(game, segments, {"active": {"cross_sell": 30_000}})
    editor.submit_button.click()
    assert game.round == 1 and editor.result is not None
    assert "incremental" in editor.results.value.lower() and "KPI" in editor.results.value
    again = plan_editor(Game.load(game.path.parents[2], game.team), segments, {"active": {"coupon": 1}},
                        round_no=1)
    assert again.budget() == {"active": {"cross_sell": 30_000.0}}  # a played round shows its own plan
    assert again.submit().attempt == 1 and "already played" in again.message.value
    again.boxes["active", "cross_sell"].value = 10_000
    replayed = again.submit()
    assert replayed.attempt == 2 and "replayed" in again.message.value
    assert len(Game.load(game.path.parents[2], game.team).attempts) == 2  # nothing lost


def test_submit_round_refuses_a_round_too_far_and_round_views(game, segments):
    plan = Plan(segments, {"lapsed": {"winback_call": 10_000}})
    with pytest.raises(ValueError, match="round 1 first"):
        submit_round(game, plan, 2)
    result, note = submit_round(game, plan)
    assert result.round == 1 and "Round 1 played" in note
    table, kpis = round_views(game)
    assert "lapsed" in table.data["segment"].tolist() and len(kpis.data) == 1
    assert "unadjusted_incremental_profit" not in table.data.columns  # the editor shows the headline
    submit_round(game, Plan(segments, {"lapsed": {"winback_call": 5_000}}))
    assert len(round_views(game, 1)[1].data) == 1, "round 1's view shows what the team knew after round 1"
    assert len(round_views(game)[1].data) == 2
    editor = plan_editor(game, segments, round_no=1)  # a played round: its plan and its results
    assert editor.budget() == {"lapsed": {"winback_call": 10_000.0}} and "KPI" in editor.results.value
    assert "cvm-plan-snapshot" in editor._repr_mimebundle_()["text/html"]


def test_editor_speaks_chinese(game, segments):
    with language("zh"):
        editor = plan_editor(game, segments)
        assert "元" in editor.left.value
        assert editor.submit_button.description != "Submit"
    assert ROUND_BUDGET == 100_000


def test_team_segment_labels_are_shown_as_the_team_named_them(game, segments):
    """A team segment called "new" is the team's label, not the lifecycle word: shown as it is in Chinese too."""
    plan = Plan(segments.map({"active": "new", "lapsed": "lapsed"}), {"new": {"cross_sell": 10_000}})
    submit_round(game, plan)
    with language("zh"):
        table, _kpis = round_views(game)
        assert "new" in table.data.iloc[:, 0].tolist()


def test_debrief_views_show_the_class_against_the_true_model_in_both_languages(tmp_path, segments):
    from bs4 import BeautifulSoup

    from cvmlib.sandbox import debrief, leaderboard
    from cvmlib.sandbox.game import find_games
    from cvmlib.widgets import debrief_views

    for team, action in (("red", "loyalty_points"), ("blue", "coupon")):
        Game.new(team, seed=3, folder=tmp_path / team).submit(Plan(segments, {"active": {action: 30_000}}))
    games = find_games(tmp_path)
    assert [game.team for game in games] == ["blue", "red"]
    views = debrief_views(games)
    assert len(views) == 4
    board, rounds, effects, plans = (view.data for view in views)
    pd.testing.assert_frame_equal(board, leaderboard(games, rank=True))
    red = debrief(games[1])
    row = rounds[(rounds["team"] == "red") & (rounds["round"] == 1)].iloc[0]
    assert row["expected"] == red.rounds.loc[1, "expected"] and row["best"] == red.rounds.loc[1, "best"]
    assert len(effects) == len(red.effects) and "coupon_habit" in effects.columns
    assert set(plans["team"]) == {"red", "blue"}
    with language("zh"):
        for view in debrief_views(games):
            soup = BeautifulSoup(view.to_html(), "html.parser")
            english = [th.get_text() for th in soup.select("thead th")
                       if th.get_text().strip() and not any("\u4e00" <= c <= "\u9fff" for c in th.get_text())
                       and th.get_text() not in {"ROI"}]
            assert english == [], english
