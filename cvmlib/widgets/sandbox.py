"""The micro-sandbox's plan editor: yuan per segment and action, the budget left, Submit, the round's dashboard.

``plan_editor(game, segments)`` shows one box per team segment and paid action (yuan for the round),
the customers and treated customers of each segment, the yuan per treated customer and, live, the
budget used and left. **Submit** checks the plan (:class:`cvmlib.sandbox.Plan`: over budget, negative
amounts, ... are refused with the sandbox's own message, nothing played) and plays the round; the
round's table per segment and the KPI dashboard over the rounds appear under it. A round already
played is shown as it was; submitting a different plan for it replays it (the sandbox keeps every
earlier attempt). Usable without code: the workbook's cells make the editor, the rest is boxes and a
button.

A change of an amount only adds up numbers (well under the 100 ms a widget may take); only Submit
plays a round (a fraction of a second).

Run in notebook view (ipywidgets do not render inside RISE slides: a slide shows a snapshot).
"""

from __future__ import annotations

import html
from collections.abc import Hashable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from cvmlib.display import register_columns, show
from cvmlib.i18n import N_, _, format_money
from cvmlib.sandbox import ACTION_LABELS, ROUND_BUDGET, Game, Plan, RoundResult, dashboard, debrief, leaderboard
from cvmlib.sandbox.plan import draw_holdout
from cvmlib.sandbox.response import PAID_ACTIONS
from cvmlib.validate import InputError
from cvmlib.widgets.views import SNAPSHOT_NOTE, ExplorerBox

__all__ = ["DEBRIEF_COLUMNS", "DASHBOARD_FORMAT", "debrief_views", "EDITOR_COLUMNS", "PlanEditor", "SANDBOX_COLUMNS", "TABLE_FORMAT", "plan_editor",
           "round_views", "show_round", "submit_round"]

#: Step of the yuan boxes (the arrows of a box move by this much; any amount can be typed).
STEP = 1_000.0
MONEY = "{:,.0f}"
#: Formats of the round table's columns (yuan without decimals, shares as percentages).
TABLE_FORMAT: dict[Hashable, str] = {
    "customers": "{:,d}", "treated": "{:,d}", "holdout": "{:,d}", "cost": MONEY, "revenue": MONEY,
    "incremental_profit": MONEY, "ci_low": MONEY, "ci_high": MONEY, "unadjusted_incremental_profit": MONEY,
    "unadjusted_ci_low": MONEY, "unadjusted_ci_high": MONEY, "roi": "{:.2f}", "churn": "{:.1%}",
    "churn_holdout": "{:.1%}", "clv_change": MONEY, "satisfaction": "{:.2f}"}
#: Formats of the KPI dashboard's columns.
DASHBOARD_FORMAT: dict[Hashable, str] = {
    "active_customers": "{:,d}", "buyers": "{:,d}", "orders": "{:,d}", "new_customers": "{:,d}",
    "unassigned": "{:,d}", "revenue": MONEY, "profit": MONEY, "cost": MONEY, "incremental_profit": MONEY,
    "roi": "{:.2f}", "churn": "{:.1%}", "satisfaction": "{:.2f}"}
#: How the columns of the sandbox's tables are headed where they are shown (the data keep their names):
#: the round table, the KPI dashboard, the facts a team sees and the practice round's outcomes.
SANDBOX_COLUMNS = {
    "treated": N_("treated"),
    "holdout": N_("holdout"),
    "cost": N_("cost (CNY)"),
    "incremental_profit": N_("incremental profit (CNY)"),
    "unadjusted_incremental_profit": N_("unadjusted incremental profit (CNY)"),
    "unadjusted_ci_low": N_("unadjusted 95 % lower end"),
    "unadjusted_ci_high": N_("unadjusted 95 % upper end"),
    "roi": N_("ROI"),
    "churn": N_("churn"),
    "churn_holdout": N_("churn of the holdout"),
    "clv_change": N_("CLV change (CNY)"),
    "satisfaction": N_("satisfaction (0-10)"),
    "period": N_("period"),
    "round": N_("round"),
    "active_customers": N_("active customers"),
    "buyers": N_("buyers"),
    "orders": N_("orders"),
    "profit": N_("profit (CNY)"),
    "new_customers": N_("new customers"),
    "unassigned": N_("customers in no segment"),
    "recency_days": N_("recency (days)"),
    "tenure_days": N_("tenure (days)"),
    "last_order": N_("last order"),
    "group": N_("group"),
    "discount": N_("coupon discount (CNY)"),
}
register_columns(SANDBOX_COLUMNS)
SUBMIT = N_("Submit")
SEGMENT = N_("segment")
PER_TREATED = N_("yuan per treated customer")
PLAYED = N_("Round {round} played ({period}): incremental profit {profit} (95 % interval {low} to {high}), ROI "
            "{roi:.2f}.")
SHOWN = N_("Round {round} was already played with this plan: its result is shown (nothing played again).")
REPLAYED = N_("Round {round} replayed with the new plan; the earlier attempts are kept, and the later rounds are "
              "set aside (kept too): continue with round {next}.")
NOT_YET = N_("Round {round} cannot be played yet: play round {next} first.")
REFUSED = N_("Not played: {message}")

_STYLE = """<style>
.cvm-plan .cvm-plan-head { font-weight: 600; font-size: 0.92em; line-height: 1.2; }
.cvm-plan .cvm-plan-seg { line-height: 1.25; font-size: 0.92em; }
.cvm-plan .cvm-plan-seg small { color: #555; }
.cvm-plan .cvm-over { color: #b00020; font-weight: 600; }
.cvm-plan .cvm-ok { color: #1b7f3b; }
.cvm-plan .cvm-message { line-height: 1.4; }
.cvm-plan .cvm-plan-results { overflow-x: auto; max-width: 100%; }
.cvm-plan .cvm-plan-results table { font-size: 0.88em; border-collapse: collapse; margin: 6px 0 12px 0; }
.cvm-plan .cvm-plan-results caption { text-align: left; font-weight: 600; padding: 4px 0; }
.cvm-plan .cvm-plan-results th, .cvm-plan .cvm-plan-results td { padding: 2px 8px; text-align: right;
  border-bottom: 1px solid #ddd; white-space: nowrap; }
</style>"""


#: The columns of the round table the editor shows (the headline; the plain ``unadjusted_*`` estimates are in
#: ``RoundResult.table`` and in the workbook's summary of all rounds).
EDITOR_COLUMNS = ["customers", "treated", "holdout", "cost", "revenue", "incremental_profit", "ci_low", "ci_high",
                  "roi", "churn", "churn_holdout", "clv_change", "satisfaction"]


def show_round(table: pd.DataFrame, caption: str) -> Styler:
    """A round table (index: team segment, or round and segment) as shown: the team's segment labels as
    they are (they are the team's own names, not words to translate), the rest formatted and localised.

    Examples
    --------
    >>> table = pd.DataFrame({"customers": [30], "roi": [0.5]}, index=pd.Index(["new"], name="segment"))
    >>> show_round(table, "demo").data.columns.tolist()
    ['segment', 'customers', 'roi']
    """
    frame = table.reset_index()
    keep = [name for name in table.index.names if name == "segment"]
    return show(frame, caption, format=TABLE_FORMAT, raw=keep, hide_index=True)


def round_views(game: Game, round_no: int | None = None, *,
                columns: list[str] | None = None) -> tuple[Styler, Styler]:
    """The round's table per team segment and the KPI dashboard of the rounds played, formatted.

    Parameters
    ----------
    game : cvmlib.sandbox.Game
        A game with at least one round played.
    round_no : int, optional
        The round whose table to show (default: the last played).
    columns : list of str, optional
        The columns of the round table to show (default :data:`EDITOR_COLUMNS`, those the table has).

    Examples
    --------
    >>> import tempfile
    >>> from cvmlib.sandbox import World
    >>> facts = World.retailer().customers
    >>> seg = (facts["orders"] >= 3).map({True: "regular", False: "rare"})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     game = Game.new("doc", seed=1, folder=folder)
    ...     _result = game.submit(Plan(seg, {"regular": {"loyalty_points": 30_000}}))
    ...     table, kpis = round_views(game)
    >>> "incremental_profit" in table.data.columns, len(kpis.data)
    (True, 1)
    """
    results = game.results
    if not results:
        raise InputError(_("Team {team!r} has not played a round yet: submit a plan first.").format(team=game.team))
    number = len(results) if round_no is None else int(round_no)
    if not 1 <= number <= len(results):
        raise InputError(_("round_no={round!r}: team {team!r} has played rounds 1 to {last}.").format(
            round=round_no, team=game.team, last=len(results)))
    result = results[number - 1]
    wanted = EDITOR_COLUMNS if columns is None else columns
    table = show_round(result.table[[c for c in wanted if c in result.table.columns]],
                       _("Round {round} ({period}) of team {team}, per segment (yuan)").format(
                           round=number, period=result.period, team=game.team))
    # the rounds up to this one: a round's view shows what the team knew after it, whatever came later
    kpis = show(dashboard(game).loc[:number], _("KPI dashboard of team {team}, per round").format(team=game.team),
                format=DASHBOARD_FORMAT)
    return table, kpis


#: The debrief's columns as headed on the instructor's screen (the effects under names of their own:
#: "rate" or "spend" alone mean other things elsewhere in the course).
DEBRIEF_COLUMNS = {
    "rank": N_("rank"),
    "rounds": N_("rounds played"),
    "team": N_("team"),
    "measured": N_("measured incremental profit (CNY)"),
    "measured_unadjusted": N_("measured, unadjusted (CNY)"),
    "expected": N_("expected under the true model (CNY)"),
    "best": N_("best plan for the team's segments (CNY)"),
    "oracle": N_("best plan for the true segments (CNY)"),
    "gap": N_("left on the table (CNY)"),
    "captured": N_("share of the best captured"),
    "true_segment": N_("true segment"),
    "action": N_("action"),
    "effect_scale": N_("yuan per customer for 63 % of the effect"),
    "rate_effect": N_("effect on the purchase rate"),
    "dropout_effect": N_("effect on dropout"),
    "spend_effect": N_("effect on spend per order"),
    "winback_chance": N_("win-back chance"),
    "coupon_habit": N_("coupon habit"),
    "satisfaction_effect": N_("effect on satisfaction (points)"),
}
register_columns(DEBRIEF_COLUMNS)
#: The response model's effect fields (cvmlib.sandbox.results.true_effects) under their shown names.
_EFFECT_NAMES = {"scale": "effect_scale", "rate": "rate_effect", "dropout": "dropout_effect", "spend": "spend_effect",
                 "winback": "winback_chance", "wait": "coupon_habit", "satisfaction": "satisfaction_effect"}
_DEBRIEF_FORMAT: dict[Hashable, str] = {
    "measured": MONEY, "measured_unadjusted": MONEY, "expected": MONEY, "best": MONEY, "oracle": MONEY,
    "gap": MONEY, "captured": "{:.0%}", "effect_scale": MONEY, "rate_effect": "{:+.0%}", "dropout_effect": "{:+.0%}",
    "spend_effect": "{:+.0%}", "winback_chance": "{:.0%}", "coupon_habit": "{:.0%}",
    "satisfaction_effect": "{:+.1f}", "rounds": "{:,d}", "roi": "{:.2f}"}


def debrief_views(games: list[Game], *, rank: bool = True) -> list[Styler]:
    """The instructor's debrief of a class, as tables for the screen (never for the teams' workbooks).

    In order: the leaderboard (ranked unless ``rank=False``); per team and round what the plan measured,
    what it was expected to earn under the true response model, the best plan for the team's own
    segments and for the true segments, the yuan left on the table and the share captured; the true
    effects of every action on every true segment; and, per team, the best plan of round 1 for its own
    segments (yuan per segment and action).

    Examples
    --------
    >>> import tempfile
    >>> from cvmlib.sandbox import World
    >>> facts = World.retailer().customers
    >>> seg = (facts["orders"] >= 3).map({True: "regular", False: "rare"})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     game = Game.new("doc", seed=1, folder=folder)
    ...     _result = game.submit(Plan(seg, {"regular": {"loyalty_points": 30_000}}))
    ...     views = debrief_views([game])
    >>> len(views), list(views[1].data.columns[:3])
    (4, ['team', 'round', 'measured'])
    """
    reviews = [(game, debrief(game)) for game in games]
    board = leaderboard(games, rank=rank)
    rounds = pd.concat([review.rounds.assign(team=game.team).reset_index().set_index(["team", "round"])
                        for game, review in reviews]).reset_index()
    effects = reviews[0][1].effects.rename(columns=_EFFECT_NAMES).reset_index() if reviews else pd.DataFrame()
    views = [show(board, _("Leaderboard: incremental profit over the rounds played"), format={**TABLE_FORMAT,
                                                                                               **_DEBRIEF_FORMAT}),
             show(rounds, _("Each round: measured, expected under the true model, and the best plans"),
                  format=_DEBRIEF_FORMAT, hide_index=True, raw=["team"]),
             show(effects, _("The true effects of each action on each true segment (hidden from the teams)"),
                  format=_DEBRIEF_FORMAT, hide_index=True)]
    plans = pd.concat({game.team: review.best_plans[1] for game, review in reviews if 1 in review.best_plans},
                      names=["team", "segment"]) if reviews else pd.DataFrame()
    views.append(show(plans.reset_index(), _("The best plan of round 1 for each team's own segments (yuan)"),
                      format={action: MONEY for action in plans.columns}, hide_index=True, raw=["team", "segment"]))
    return views


def _same(plan: Plan, other: Plan) -> bool:
    return plan.to_dict() == other.to_dict()


def submit_round(game: Game, plan: Plan, round_no: int | None = None) -> tuple[RoundResult, str]:
    """Play round ``round_no`` (default the next) with ``plan``, as the editor's Submit does; return result and note.

    The next round is played; a round already played with the same plan is returned as it is (so
    running a workbook again replays nothing); a round already played with another plan is replayed
    (:meth:`cvmlib.sandbox.Game.replay`: the earlier attempts are kept). The note says which.

    Raises
    ------
    cvmlib.validate.InputError
        For an impossible plan (the sandbox's message), or a round after the next one.
    """
    number = game.round + 1 if round_no is None else int(round_no)
    if number > game.round + 1 or number < 1:
        raise InputError(_(NOT_YET).format(round=number, next=game.round + 1))
    if number == game.round + 1:
        result = game.submit(plan)
        note = _(PLAYED).format(round=number, period=result.period, profit=format_money(result.totals[
            "incremental_profit"], 0), low=format_money(result.totals["ci_low"], 0),
            high=format_money(result.totals["ci_high"], 0), roi=result.totals["roi"])
        return result, note
    if _same(plan, game.plans[number - 1]):
        return game.results[number - 1], _(SHOWN).format(round=number)
    result = game.replay(number, plan)
    return result, _(REPLAYED).format(round=number, next=number + 1)


class PlanEditor(ExplorerBox):
    """The plan editor of one round (make it with :func:`plan_editor`).

    Attributes
    ----------
    boxes : dict
        (segment, action) -> the yuan box.
    left : ipywidgets.HTML
        The budget used and left (updated on every change).
    submit_button : ipywidgets.Button
    message : ipywidgets.HTML
        What Submit did, or why the plan was refused.
    results : ipywidgets.HTML
        The round's table and the KPI dashboard once the round is played.
    result : RoundResult or None
        The round's result once played.
    """

    def __init__(self, game: Game, segments: pd.Series, budget: Mapping[str, Mapping[str, float]] | None,
                 round_no: int | None) -> None:
        self.game = game
        self.round_no = game.round + 1 if round_no is None else int(round_no)
        if not 1 <= self.round_no <= game.round + 1:
            raise InputError(_(NOT_YET).format(round=self.round_no, next=game.round + 1))
        if not isinstance(segments, pd.Series):
            raise InputError(_("segments must be a pandas Series customer_id -> segment label; got {type}.").format(
                type=type(segments).__name__))
        self.segments = segments
        played = self.round_no <= game.round
        start = game.plans[self.round_no - 1].budget if played else (budget or {})
        world = game.world_before(self.round_no)  # the round's customers, newcomers of earlier rounds included
        labels = segments.reindex(world.ids).astype(object).where(lambda s: s.notna(), None).to_numpy()
        # the treated customers of each segment: the sandbox's own holdout of this round (it depends on the
        # segments and the seed only, not on the money)
        holdout = draw_holdout(labels, game.seed, self.round_no)
        names = sorted({str(v) for v in segments.dropna().astype(str)})
        self._customers = {name: int((labels == name).sum()) for name in names}
        self._treated = {name: int(((labels == name) & ~holdout).sum()) for name in names}
        box_layout = widgets.Layout(width="110px")
        self.boxes: dict[tuple[str, str], widgets.BoundedFloatText] = {}
        for name in names:
            for action in PAID_ACTIONS:
                amount = float((start.get(name) or {}).get(action, 0.0))
                self.boxes[name, action] = widgets.BoundedFloatText(
                    value=amount, min=0.0, max=ROUND_BUDGET, step=STEP, layout=box_layout)
        self._per_customer = {name: widgets.HTML() for name in names}
        self.left = widgets.HTML()
        self.submit_button = widgets.Button(description=_(SUBMIT), button_style="primary", icon="play")
        self.message = widgets.HTML()
        self.results = widgets.HTML()
        self.result: RoundResult | None = None
        for box in self.boxes.values():
            box.observe(self._on_change, names="value")
        self.submit_button.on_click(self._on_submit)
        title = widgets.HTML("<p><b>{}</b></p>".format(html.escape(
            _("Plan of team {team} for round {round}: yuan per segment and action (budget {budget})").format(
                team=game.team, round=self.round_no, budget=format_money(ROUND_BUDGET, 0)))))
        grid = widgets.GridBox(self._cells(names), layout=widgets.Layout(
            grid_template_columns=f"210px repeat({len(PAID_ACTIONS)}, 114px) 140px", grid_gap="4px 4px",
            align_items="center", width="100%", overflow="auto"))
        super().__init__([widgets.HTML(_STYLE), title, grid, self.left,
                          widgets.HBox([self.submit_button]), self.message, self.results],
                         layout=widgets.Layout(width="100%"))
        self.add_class("cvm-plan")
        self._update()
        if played:
            self.result = game.results[self.round_no - 1]
            self._show_results()

    def _cells(self, names: list[str]) -> list[widgets.Widget]:
        texts = [_(SEGMENT), *(_(ACTION_LABELS[a]) for a in PAID_ACTIONS), _(PER_TREATED)]
        head = [widgets.HTML(f'<div class="cvm-plan-head">{html.escape(text)}</div>') for text in texts]
        cells = head
        for name in names:
            text = _("{customers:,} customers, {treated:,} treated").format(customers=self._customers[name],
                                                                            treated=self._treated[name])
            cells.append(widgets.HTML(f'<div class="cvm-plan-seg"><b>{html.escape(name)}</b><br>'
                                      f"<small>{html.escape(text)}</small></div>"))
            cells += [self.boxes[name, action] for action in PAID_ACTIONS]
            cells.append(self._per_customer[name])
        return cells

    # --- reading ----------------------------------------------------------------------------------
    def budget(self) -> dict[str, dict[str, float]]:
        """The amounts as filled in: segment -> action -> yuan (zeros left out)."""
        out: dict[str, dict[str, float]] = {}
        for (name, action), box in self.boxes.items():
            if box.value:
                out.setdefault(name, {})[action] = float(box.value)
        return out

    def set_budget(self, budget: Mapping[str, Mapping[str, float]]) -> None:
        """Fill in the boxes (amounts not named become 0), as a participant would type them."""
        for (name, action), box in self.boxes.items():
            box.value = float((budget.get(name) or {}).get(action, 0.0))

    def total(self) -> float:
        """Yuan planned in all boxes."""
        return float(sum(box.value for box in self.boxes.values()))

    def plan(self) -> Plan:
        """The plan as filled in (checked by :class:`cvmlib.sandbox.Plan`)."""
        return Plan(self.segments, self.budget())

    def plan_table(self) -> pd.DataFrame:
        """The amounts as filled in, segment x paid action (yuan), with customers, treated and yuan per treated."""
        names = list(self._customers)
        table = pd.DataFrame({action: [float(self.boxes[name, action].value) for name in names]
                              for action in PAID_ACTIONS}, index=pd.Index(names, name="segment"))
        treated = pd.Series(self._treated).reindex(names)
        table.insert(0, "treated", treated.astype(np.int64))
        table.insert(0, "customers", pd.Series(self._customers).reindex(names).astype(np.int64))
        table["per_treated"] = table[list(PAID_ACTIONS)].sum(axis=1) / treated.where(treated > 0)
        return table

    def snapshot(self) -> str:
        """The editor as static HTML (the book and slides, where widgets cannot run): plan, budget, results."""
        table = self.plan_table().rename(columns={a: _(ACTION_LABELS[a]) for a in PAID_ACTIONS}
                                         | {"per_treated": _(PER_TREATED)})
        plan = show(table.reset_index(), _("Plan of team {team} for round {round}: yuan per segment and action "
                                           "(budget {budget})").format(team=self.game.team, round=self.round_no,
                                                                       budget=format_money(ROUND_BUDGET, 0)),
                    format=dict.fromkeys(table.columns, MONEY), na_rep="-", raw=["segment"],
                    hide_index=True).to_html()
        return (f'<div class="cvm-plan-snapshot">{plan}{self.left.value}{self.message.value}{self.results.value}'
                f"<p><small><i>{html.escape(_(SNAPSHOT_NOTE))}</i></small></p></div>")

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(widgets.VBox._repr_mimebundle_(self, **kwargs) or {})
        bundle["text/html"] = self.snapshot()
        return bundle

    # --- acting -----------------------------------------------------------------------------------
    def submit(self) -> RoundResult | None:
        """Check the plan and play the round (as the Submit button does); the result, or None if refused."""
        try:
            result, note = submit_round(self.game, self.plan(), self.round_no)
        except InputError as error:
            self.message.value = '<div class="cvm-message cvm-over">{}</div>'.format(
                html.escape(_(REFUSED).format(message=str(error))))
            return None
        self.result = result
        self.message.value = f'<div class="cvm-message cvm-ok">{html.escape(note)}</div>'
        self._show_results()
        return result

    def _show_results(self) -> None:
        table, kpis = round_views(self.game, self.round_no)
        self.results.value = f'<div class="cvm-plan-results">{table.to_html()}{kpis.to_html()}</div>'

    def _update(self) -> None:
        total = self.total()
        left = ROUND_BUDGET - total
        css = "cvm-over" if left < -1e-6 else "cvm-ok"
        text = _("Planned {total} of {budget}; left {left}.").format(
            total=format_money(total, 0), budget=format_money(ROUND_BUDGET, 0), left=format_money(left, 0))
        if left < -1e-6:
            text += " " + _("Over the budget: Submit will refuse the plan.")
        self.left.value = f'<div class="{css}">{html.escape(text)}</div>'
        for name, label in self._per_customer.items():
            spent = sum(self.boxes[name, action].value for action in PAID_ACTIONS)
            treated = self._treated[name]
            per = spent / treated if treated else np.nan
            label.value = "-" if not spent or not np.isfinite(per) else html.escape(format_money(per, 2))

    def _on_change(self, _change: object) -> None:
        self._update()

    def _on_submit(self, _button: widgets.Button) -> None:
        self.submit()


def plan_editor(game: Game, segments: pd.Series, budget: Mapping[str, Mapping[str, float]] | None = None, *,
                round_no: int | None = None) -> PlanEditor:
    """The plan editor of a round: yuan per segment and action, the budget left, Submit, the round's dashboard.

    Parameters
    ----------
    game : cvmlib.sandbox.Game
        The team's game.
    segments : pandas.Series
        customer_id -> the team's segment label for this round.
    budget : mapping, optional
        segment -> action -> yuan to start from (ignored for a round already played: the editor then
        shows the plan it was played with, and its results).
    round_no : int, optional
        The round to plan (default the next one); a played round can be planned again (a replay).

    Returns
    -------
    PlanEditor
        An ``ipywidgets.VBox``; display it as the last expression of a cell.

    Examples
    --------
    >>> import tempfile
    >>> from cvmlib.sandbox import World
    >>> facts = World.retailer().customers
    >>> seg = (facts["orders"] >= 3).map({True: "regular", False: "rare"})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     editor = plan_editor(Game.new("doc", seed=1, folder=folder), seg, {"rare": {"coupon": 20_000}})
    ...     editor.boxes["regular", "loyalty_points"].value = 90_000
    ...     over = editor.submit()
    ...     editor.boxes["regular", "loyalty_points"].value = 30_000
    ...     played = editor.submit()
    >>> over is None, "budget" in editor.left.value or "CNY" in editor.left.value, played.round
    (True, True, 1)
    """
    return PlanEditor(game, segments, budget, round_no)
