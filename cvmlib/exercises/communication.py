"""The checked exercises of the 4C and communication workbook (``notebooks/communication_workbook.ipynb``).

Data exercises (NPS, the 4C audit, later buying) compute their expected answers from the shipped
survey, customers and orders with :mod:`cvmlib.fourc`; every mistake computes the answer a
participant with that misconception would give. Each comparison accepts the precision its prompt
states (NPS points to 2 decimals, shares to 3) and nothing wider: with 1,500 respondents one
answer moved from promoter to passive changes the NPS by 0.07 points, more than a 2-decimal
rounding. Each exercise computes its *near misses* (one respondent moved, a window one day
longer, a tie broken the other way, one label wrong) and the exercise contract test checks that
none of them is accepted.

Classification exercises (hand-offs, Johari panes, Mehrabian, question types, NVC statements)
take their answer keys from :mod:`cvmlib.communication` and this module. The interpretation
questions (``kind="interpret"``) take the facts their statements rely on from the same
computations as the data exercises, so their answer key follows the data.

The free-text exercises (the NVC rewrite, the 5W2H plan, writing questions) are checked by the
rule-based heuristics of :mod:`cvmlib.communication`: they reject placeholders, keyword soup,
threats, sarcasm and vague times and name what they found, but they read words, not meaning. The
hints say so, and their "expected" answer is a model answer that passes the same checks.

Both editions: every text is an English message translated when it is shown. The items a workbook
prints (the options, the statements, the traits, the message to rewrite, the call) are read in the
language in force (``from cvmlib.exercises.communication import ORIGINAL_MESSAGE`` gives the Chinese
message in the Chinese edition), while what a check compares never depends on the language: option
letters, the keys of the items, the pane and label names (a Chinese pane name or label, such as
盲区 or 开放式, means the same key). A written answer is read with the rules of its own script, so
Chinese answers are judged by the Chinese rules in either edition, and the model answers of the Chinese
edition are Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache, partial
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.communication import (
    JOHARI_PANES,
    NVC_STATEMENTS,
    QUESTION_BANK,
    QUESTION_TYPES,
    is_keyword_soup,
    johari_panes,
    nvc_issues,
    placeholders,
    plan_gaps,
    question_issues,
    sarcasm_cues,
    threats,
)
from cvmlib import communication as communication_texts  # the texts the chapter shows, by bank
from cvmlib.datasets import load_customers, load_orders, load_survey
from cvmlib.display import readable
from cvmlib.feedback import (
    Exercise,
    Mistake,
    NotComparable,
    chosen_option,
    compare_choice,
    compare_choice_set,
    compare_mapping,
    compare_scalar,
    compare_series,
)
from cvmlib.exercises.wrong_answers import (
    Options,
    decimals_tolerance,
    later,
    misjudged,
    one_off,
    other_letters,
    single_deviations,
    statement_variants,
)
from cvmlib.fourc import (
    FOUR_C_NAMES,
    FOUR_CS,
    INTERNAL_CHAIN,
    four_c_audit,
    main_channel,
    nps,
    nps_groups,
    purchases_after,
    weakest_c,
)
from cvmlib.forms import Choice, Grouping, MultiChoice, Text, TextFields
from cvmlib.forms import Mapping as MappingForm
from cvmlib.i18n import N_, _, format_list, get_language, language

#: Later-buying window (days after the response day) and the first day not covered by the orders.
WINDOW_DAYS = 90
SNAPSHOT_DATE = "2026-01-01"

#: The Johari exercise: an after-sales agent's own choice and three colleagues' choices. The public
#: names give the traits as the edition shows them (English keys below; a trait's Chinese name in
#: the Chinese edition); an answer may use either.
JOHARI_TRAITS: tuple[str, ...]
JOHARI_SELF: tuple[str, ...]
JOHARI_OTHERS: tuple[tuple[str, ...], ...]
_TRAITS: tuple[str, ...] = (N_("calm"), N_("careful"), N_("cheerful"), N_("confident"), N_("dependable"),
                            N_("direct"), N_("friendly"), N_("helpful"), N_("organised"), N_("patient"),
                            N_("quiet"), N_("warm"))
_SELF: tuple[str, ...] = ("calm", "careful", "dependable", "organised", "patient")
_OTHERS: tuple[tuple[str, ...], ...] = (
    ("helpful", "dependable", "direct", "calm", "warm"),
    ("dependable", "direct", "cheerful", "helpful"),
    ("calm", "direct", "organised", "quiet"),
)
#: A trait is known to the colleagues when at least this many of the three chose it.
JOHARI_MIN_VOTES = 2


# Precision of each exercise, as its prompt states it.
#: NPS points to 2 decimals: one of 1,500 respondents moved between groups is 0.07 points; in the
#: smallest channel (174 respondents) 0.57 points.
_points = partial(compare_scalar, rtol=0.0, atol=decimals_tolerance(2))
_points_series = partial(compare_series, rtol=0.0, atol=decimals_tolerance(2))
#: Shares to 3 decimals: one respondent in the largest NPS group (427 complete windows) is 0.0023.
_shares = partial(compare_series, rtol=0.0, atol=decimals_tolerance(3))


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------
@cache
def _survey() -> pd.DataFrame:
    return load_survey()


@cache
def _orders() -> pd.DataFrame:
    return load_orders()


@cache
def audit_input() -> pd.DataFrame:
    """The survey with each respondent's membership level and main channel (by orders)."""
    levels = load_customers().set_index("customer_id")["membership_level"]
    survey = _survey().copy()
    survey["membership_level"] = survey["customer_id"].map(levels)
    survey["main_channel"] = survey["customer_id"].map(main_channel(_orders()))
    return survey


def _is_number(answer: Any) -> bool:
    return isinstance(answer, (int, float, np.number)) and not isinstance(answer, bool)


# --------------------------------------------------------------------------------------------
# Near misses: the smallest wrong answers
# --------------------------------------------------------------------------------------------
def _bumped(values: pd.Series, by: float, position: int = 0) -> pd.Series:
    """``values`` with the one value at ``position`` changed by ``by``: one group wrong."""
    out = values.astype("float64").copy()
    out.iloc[position] += by
    return out


# --- 1. NPS -----------------------------------------------------------------------------------
def _share_points(promoter_min: int, detractor_max: int) -> float:
    scores = _survey()["nps"]
    return float(100 * ((scores >= promoter_min).mean() - (scores <= detractor_max).mean()))


def _nps() -> float:
    return nps(_survey()["nps"])


nps_exercise = Exercise(
    id="communication.nps",
    prompt=N_("The retailer's net promoter score from the survey, in points (-100..100), to 2 decimals."),
    expected=_nps,
    compare=_points,
    mistakes=(
        Mistake("mean_score",
                N_("That is the mean answer (0..10). NPS is not an average: it is % promoters (9-10) minus "
                   "% detractors (0-6)."),
                applies=lambda a: _is_number(a) and any(
                    _points(a, k * float(_survey()["nps"].mean())) is None for k in (1, 10)),
                more=N_("Sort every answer into one of three groups first; the NPS only uses the sizes of two of them.")),
        Mistake("passives_as_promoters",
                N_("You counted the passives (7-8) as promoters. Promoters answer 9 or 10 only."),
                answer=lambda: _share_points(7, 6),
                more=N_("A 7 or an 8 counts on neither side: it is in the total, not in the promoters.")),
        Mistake("eight_as_promoter",
                N_("You counted an 8 as a promoter. Promoters answer 9 or 10; 7 and 8 are passives."),
                answer=lambda: _share_points(8, 6),
                more=N_("Check the lower bound of your promoter condition.")),
        Mistake("detractors_0_to_5",
                N_("Detractors are 0 to 6, not 0 to 5: a 6 is a detractor."),
                answer=lambda: _share_points(9, 5),
                more=N_("Check the upper bound of your detractor condition.")),
        Mistake("fraction_not_points",
                N_("Right idea, but NPS is given in points: the difference of the two shares, times 100."),
                answer=lambda: _nps() / 100,
                more=N_("An NPS lies between -100 and 100.")),
        Mistake("passives_left_out",
                N_("You divided by promoters + detractors only. Passives count in the number of respondents "
                   "(they are on neither side, but they are there)."),
                answer=lambda: float(100 * ((_survey()["nps"] >= 9).sum() - (_survey()["nps"] <= 6).sum())
                                     / ((_survey()["nps"] >= 9) | (_survey()["nps"] <= 6)).sum()),
                more=N_("The denominator is every respondent.")),
    ),
    hint=N_("Sort the answers into promoters, passives and detractors (see the definitions at the top); the NPS "
       "compares the shares of two of these groups among ALL respondents, in points."),
    more_hint=N_("Compute the two shares separately and print them before you combine them; both are shares of all "
       "the answers."),
    near_misses=lambda: [
        round(_nps(), 1),
        _nps() - 100 / len(_survey()),            # one promoter read as a passive
        _share_points(8, 6),
        _share_points(9, 5),
    ],
)


# --- 2. weakest C per membership level -------------------------------------------------------
_C_ALIASES = {**{c: c for c in FOUR_CS}, **{name.casefold(): c for c, name in FOUR_C_NAMES.items()},
              "consumer needs fit": "consumer_needs_fit"}


def _as_c_columns(answer: Any) -> Any:
    """Accept display names ("Cost") as well as column names ("cost")."""
    if isinstance(answer, pd.Series) and not pd.api.types.is_numeric_dtype(answer):
        return answer.map(lambda v: _C_ALIASES.get(str(v).strip().casefold(), v))
    return answer


@cache  # read-only: the audit, the weakest-C exercise and the audit-reading question use it
def _level_audit() -> pd.DataFrame:
    return four_c_audit(audit_input(), by="membership_level")


def _compare_weakest(answer: Any, expected: pd.Series) -> str | None:
    return compare_series(_as_c_columns(answer), expected)


def _second_weakest_once() -> pd.Series:
    """The weakest C of every level, except the level whose two lowest Cs are closest: its runner-up."""
    means = _level_audit()[list(FOUR_CS)]
    ordered = np.sort(means.to_numpy(), axis=1)
    closest = int(np.argmin(ordered[:, 1] - ordered[:, 0]))
    answer = weakest_c(_level_audit()).astype("object")
    answer.iloc[closest] = means.iloc[closest].sort_values().index[1]
    return answer


weakest_exercise = Exercise(
    id="communication.weakest_c",
    prompt=N_("For each membership level, the C with the lowest mean rating (a Series: level -> C column name)."),
    expected=lambda: weakest_c(_level_audit()),
    compare=_compare_weakest,
    mistakes=(
        Mistake("strongest_c",
                N_("You picked each level's BEST C. The audit looks for the weakest one: the lowest mean."),
                answer=lambda: _level_audit()[list(FOUR_CS)].idxmax(axis=1),
                more=N_("For each row of the level-by-C table of means, name the column with the smallest value.")),
        Mistake("weakest_level_per_c",
                N_("Your answer has one row per C: that is the weakest LEVEL for each C. Turn it round: one "
                   "row per membership level, naming its weakest C."),
                applies=lambda a: isinstance(a, pd.Series) and set(map(str, a.index)) == set(FOUR_CS),
                more=N_("Search along each row (across the four C columns), not down each column.")),
        Mistake("nps_column_included",
                N_("Keep only the four rating columns: 'nps' (0..10) and 'respondents' are on other scales."),
                applies=lambda a: isinstance(a, pd.Series) and a.astype(str).isin(["nps", "respondents"]).any(),
                more=N_("Select the four C columns before you look for the lowest mean.")),
        Mistake("median_not_mean",
                N_("You compared MEDIANS; ratings 1..5 have many ties, so medians hide the differences. The task "
                   "asks for the lowest MEAN rating."),
                answer=lambda: audit_input().groupby("membership_level", observed=True)[list(FOUR_CS)]
                .median().idxmin(axis=1),
                more=N_("Use the mean of each C per level.")),
    ),
    hint=N_("Average each of the four rating columns within each membership level; each level's weakest C is the "
       "column with the lowest average in its row."),
    more_hint=N_("Your table of means should have one row per level and four columns; the answer has one entry per "
       "row."),
    near_misses=lambda: [
        _second_weakest_once(),
        audit_input().groupby("membership_level", observed=True)[list(FOUR_CS)].median().idxmin(axis=1),
    ],
)


# --- 3. NPS per main channel -----------------------------------------------------------------
def _nps_by(channel: pd.Series, score: Any = nps) -> pd.Series:
    return _survey()["nps"].groupby(channel.to_numpy()).agg(score).rename_axis("main_channel")


def _channel_by_spend() -> pd.Series:
    spend = _orders().groupby(["customer_id", "channel"], observed=True)["amount"].sum().unstack(fill_value=0.0)
    return _survey()["customer_id"].map(spend.idxmax(axis=1).astype("str"))


def _channel_ties_last() -> pd.Series:
    """Main channel with ties going to the LAST channel in alphabetical order."""
    counts = _orders().groupby(["customer_id", "channel"], observed=True).size().unstack(fill_value=0)
    return _survey()["customer_id"].map(counts.iloc[:, ::-1].idxmax(axis=1).astype("str"))


@cache
def _nps_by_channel() -> pd.Series:
    return four_c_audit(audit_input(), by="main_channel")["nps"]


nps_channel = Exercise(
    id="communication.nps_by_channel",
    prompt=N_("NPS (points, to 2 decimals) per main channel; a customer's main channel is the one with the most "
       "orders (ties: the channel first in alphabetical order)."),
    expected=_nps_by_channel,
    compare=_points_series,
    mistakes=(
        Mistake("mean_score",
                N_("Those are mean answers per channel. Compute the NPS within each channel."),
                answer=lambda: _nps_by(audit_input()["main_channel"], "mean"),
                more=N_("Apply the NPS of exercise 1 to the answers of each channel separately.")),
        Mistake("main_channel_by_spend",
                N_("Your main channel is the one with the most SPEND. The task defines it by the number of "
                   "ORDERS (where the customer comes to buy)."),
                answer=lambda: _nps_by(_channel_by_spend()),
                more=N_("Count each customer's orders per channel; the amounts play no part.")),
        Mistake("passives_as_promoters",
                N_("You counted the passives (7-8) as promoters. Promoters answer 9 or 10 only."),
                answer=lambda: _nps_by(audit_input()["main_channel"],
                                       lambda s: float(100 * ((s >= 7).mean() - (s <= 6).mean()))),
                more=N_("Use the same groups as in exercise 1.")),
        Mistake("ties_broken_differently",
                N_("Almost: customers with as many orders in two channels are given to the other channel. The task "
                   "gives a tie to the channel that comes first in alphabetical order."),
                answer=lambda: _nps_by(_channel_ties_last()),
                more=N_("Many customers have a tie; with the channels as columns in alphabetical order, the first "
                   "maximum of a row is the one the task means.")),
    ),
    hint=N_("Find each customer's main channel from the orders (count orders per customer and channel), attach it "
       "to the survey answers, then compute the NPS within each channel."),
    more_hint=N_("Check the tie rule: a customer with the same number of orders in two channels belongs to the one "
       "first in alphabetical order."),
    near_misses=lambda: [
        _nps_by(_channel_ties_last()),
        _nps_by_channel().round(1),
        _bumped(_nps_by_channel(), -100 / float(four_c_audit(audit_input(), by="main_channel")["respondents"].max()),
                int(four_c_audit(audit_input(), by="main_channel")["respondents"].to_numpy().argmax())),
    ],
)


# --- 4. later buying by NPS group --------------------------------------------------------------
@cache  # read-only: each mistake and near miss of the later-buying exercise asks for one variant
def _later(window_start_offset: int = 1, keep_incomplete: bool = False, window: int = WINDOW_DAYS,
           end_inclusive: bool = False) -> pd.Series:
    """Orders in the window per response; variants for the mistakes and near misses."""
    survey = _survey()
    if window_start_offset == 1 and not keep_incomplete and window == WINDOW_DAYS and not end_inclusive:
        return purchases_after(survey, _orders(), WINDOW_DAYS, SNAPSHOT_DATE).astype("float64")
    day = _orders()["order_date"].dt.normalize()
    paired = survey[["customer_id", "response_date"]].reset_index().merge(
        _orders()[["customer_id"]].assign(day=day), on="customer_id")
    offset = (paired["day"] - paired["response_date"]).dt.days
    inside = paired[(offset >= window_start_offset) & (offset <= window)]
    counts = inside.groupby("index").size().reindex(survey.index, fill_value=0).astype("float64")
    if not keep_incomplete:
        last = survey["response_date"] + pd.Timedelta(days=WINDOW_DAYS)
        snapshot = pd.Timestamp(SNAPSHOT_DATE)
        complete = last <= snapshot if end_inclusive else last < snapshot
        counts[~complete] = np.nan
    return counts


def _share_buying(later: pd.Series, statistic: str = "share") -> pd.Series:
    groups = nps_groups(_survey()["nps"])
    known = later.notna()
    values = (later[known] > 0).astype("float64") if statistic == "share" else later[known]
    shares = values.groupby(groups[known], observed=True).mean()
    return shares.set_axis(shares.index.astype("str")).rename_axis("nps_group")


def _repeat_shares() -> pd.Series:
    return _share_buying(_later())


def _one_respondent_less() -> pd.Series:
    """The largest group's share with one buyer fewer."""
    groups = nps_groups(_survey()["nps"])[_later().notna()].astype("str").value_counts()
    shares = _repeat_shares()
    position = list(shares.index).index(groups.idxmax())
    return _bumped(shares, -1.0 / float(groups.max()), position)


repeat_exercise = Exercise(
    id="communication.repeat_by_nps_group",
    prompt=later(N_("Per NPS group, the share of respondents who ordered again in the {days} days after "
                    "the response day (complete windows only), to 3 decimals."), days=WINDOW_DAYS),
    expected=_repeat_shares,
    compare=_shares,
    mistakes=(
        Mistake("incomplete_windows_as_zero",
                N_("Your shares are too low: respondents who answered less than 90 days before the "
                   "end of the data have not had the full window to buy, and count as non-buyers in your "
                   "version. Keep only complete windows."),
                answer=lambda: _share_buying(_later(keep_incomplete=True)),
                more=N_("A window is complete when its last day (response day + 90) is before SNAPSHOT_DATE.")),
        Mistake("response_day_included",
                N_("You counted orders on the response day itself; the window starts the day AFTER the response "
                   "(an order on the same day may have come before the answer)."),
                answer=lambda: _share_buying(_later(window_start_offset=0)),
                more=N_("The first day of the window is response day + 1.")),
        Mistake("mean_orders_not_share",
                N_("That is the mean NUMBER of orders per respondent. The task asks for the SHARE of respondents "
                   "with at least one order."),
                answer=lambda: _share_buying(_later(), "mean"),
                more=N_("Turn each respondent's count into yes/no (at least one order) before averaging.")),
        Mistake("window_too_long",
                N_("Your window is one day too long: it runs from the day after the response to response day + "
                   "90, inclusive, not + 91."),
                answer=lambda: _share_buying(_later(window=WINDOW_DAYS + 1)),
                more=N_("Count the days of your window: there must be exactly 90.")),
        Mistake("window_end_on_snapshot",
                N_("Almost: you kept the windows that end ON SNAPSHOT_DATE, the first day without data. Such a "
                   "window misses its last day."),
                answer=lambda: _share_buying(_later(end_inclusive=True)),
                more=N_("A window is complete only if its last day is a day with data (before SNAPSHOT_DATE).")),
    ),
    hint=N_("Each respondent has a 90-day window starting the day after the answer; keep only the windows that "
       "lie wholly within the data, then ask per NPS group: what share bought at least once in its window?"),
    more_hint=N_("Check the two edges of the window (first day = response day + 1, last day = response day + 90) "
       "and the completeness rule (the last day must be before SNAPSHOT_DATE)."),
    near_misses=lambda: [
        _share_buying(_later(window=WINDOW_DAYS + 1)),
        _share_buying(_later(end_inclusive=True)),
        _one_respondent_less(),
        _repeat_shares().round(2),
    ],
)


# --- 5. complaint categories -> internal team ------------------------------------------------
#: Acceptable teams per complaint category (the course's mapping plus defensible alternatives).
HANDOFF_ANSWERS: dict[str, frozenset[str]] = {
    "delivery_delay": frozenset({"WAREHOUSE"}),
    "wrong_item": frozenset({"WAREHOUSE", "ORDER DESK"}),
    "product_quality": frozenset({"WAREHOUSE", "MARKETING"}),
    "billing": frozenset({"ORDER DESK", "MARKETING"}),
    "refund_request": frozenset({"AFTER-SALES"}),
    "service_attitude": frozenset({"AFTER-SALES"}),
}


#: The Chinese names of the teams a participant may write (the keys are what the checks compare).
_TEAM_NAMES: dict[str, str] = {
    **dict.fromkeys(("市场", "市场部", "营销", "营销部", "市场营销"), "marketing"),
    **dict.fromkeys(("销售", "销售部", "销售团队"), "sales"),
    **dict.fromkeys(("订单组", "订单部", "订单台", "订单处理", "下单组", "订单中心"), "order desk"),
    **dict.fromkeys(("仓库", "仓储", "仓储部", "仓库组", "物流仓"), "warehouse"),
    **dict.fromkeys(("售后", "售后部", "售后服务", "售后团队", "客服售后"), "after-sales"),
}


def _normalised_teams(answer: Any) -> Any:
    if not isinstance(answer, Mapping):
        return answer
    teams = {k: str(v).strip().replace("_", " ").replace("after sales", "after-sales").replace(
        "aftersales", "after-sales") for k, v in answer.items()}
    return {k: _TEAM_NAMES.get(team, team) for k, team in teams.items()}


def _team(answer: Any, category: str) -> str:
    return str(_normalised_teams(answer).get(category, "")).upper() if isinstance(answer, Mapping) else ""


handoff_exercise = Exercise(
    id="communication.complaint_handoffs",
    prompt=N_("For each complaint category, the internal team whose hand-off most likely broke."),
    expected=lambda: HANDOFF_ANSWERS,
    compare=lambda answer, expected: compare_mapping(_normalised_teams(answer), expected),
    kind="interpret",
    # the categories and teams as the edition names them; the values are the keys a coder writes
    form=MappingForm({category: partial(readable, category) for category in HANDOFF_ANSWERS},
                     {team: partial(readable, team) for team in INTERNAL_CHAIN}, show_keys=False),
    mistakes=(
        Mistake("receiver_not_source",
                N_("After-sales HEARS every complaint, but a late or wrong parcel was not caused there. Follow the "
                   "chain upstream: which team's hand-off to the next one broke?"),
                applies=lambda a: _team(a, "delivery_delay") == "AFTER-SALES" or _team(a, "wrong_item") == "AFTER-SALES",
                more=N_("Ask where the parcel was when it went wrong: who picked, packed and handed it to the courier?")),
        Mistake("attitude_upstream",
                N_("Service attitude is about the conversation with the customer, so it belongs to the team that "
                   "talks to them after the sale."),
                applies=lambda a: _team(a, "service_attitude") not in {"", "AFTER-SALES"},
                more=N_("Which team is on the phone or in the chat when a customer complains about an agent's tone?")),
        Mistake("refund_elsewhere",
                N_("A refund is processed after the sale, once the customer has asked for it: that step belongs to "
                   "the last team in the chain."),
                applies=lambda a: _team(a, "refund_request") not in {"", "AFTER-SALES"},
                more=N_("Who handles the customer's request once the goods are delivered?")),
    ),
    hint=N_("Walk the chain marketing -> sales -> order desk -> warehouse -> after-sales and ask where the "
       "problem was created, not where it was reported."),
    more_hint=N_("For each category, picture the moment it went wrong (a price shown, an order keyed in, a parcel "
       "packed, a call answered) and name the team at work at that moment."),
    near_misses=lambda: single_deviations(HANDOFF_ANSWERS, [team for team in INTERNAL_CHAIN]),
)


# --- 6. Johari window --------------------------------------------------------------------------
def _panes(min_votes: int = JOHARI_MIN_VOTES) -> dict[str, list[str]]:
    return johari_panes(_TRAITS, _SELF, _OTHERS, min_votes=min_votes)


#: The panes under the names Chinese trainings give them (开放区 / 公开区, 盲区, 隐藏区, 未知区 / 封闭区).
_PANE_NAMES: dict[str, str] = {
    **dict.fromkeys(("开放区", "公开区", "开放", "公开", "开放象限", "开放我"), "open"),
    **dict.fromkeys(("盲区", "盲目区", "盲点区", "盲点", "盲目", "盲目我"), "blind"),
    **dict.fromkeys(("隐藏区", "隐秘区", "隐私区", "秘密区", "隐藏", "隐藏我"), "hidden"),
    **dict.fromkeys(("未知区", "封闭区", "未知", "封闭", "未知我"), "unknown"),
}
#: The pane names as a Chinese hint shows them beside the key.
_PANE_SHOWN: dict[str, str] = {"open": N_("the 'open' pane"), "blind": N_("the 'blind' pane"),
                               "hidden": N_("the 'hidden' pane"), "unknown": N_("the 'unknown' pane")}


def _in_chinese(message: str) -> str:
    """The Chinese translation of ``message`` whatever the edition (a Chinese answer means the same key)."""
    with language("zh"):
        return _(message)


def _pane_key(key: Any) -> str:
    name = str(key).strip()
    return _PANE_NAMES.get(name, name.lower())


def _trait_names() -> dict[str, str]:
    """The traits under their Chinese names -> key."""
    with language("zh"):
        return {_(key): key for key in _TRAITS}


def _pane_sets(answer: Any) -> dict[str, set[str]]:
    if not isinstance(answer, Mapping):
        raise NotComparable(_("Expected a dict pane -> list of traits, got {type}.").format(type=type(answer).__name__))
    unknown = [k for k in answer if _pane_key(k) not in JOHARI_PANES]
    if unknown:
        raise NotComparable(_("Unknown pane(s) {panes}; the panes are {names}.").format(
            panes=unknown, names=format_list(JOHARI_PANES)))
    sets: dict[str, set[str]] = {pane: set() for pane in JOHARI_PANES}
    names = _trait_names()
    for key, traits in answer.items():
        if isinstance(traits, str) or not isinstance(traits, Iterable):
            raise NotComparable(_("Pane {pane} must hold a list of traits, got {type}.").format(
                pane=repr(key), type=type(traits).__name__))
        sets[_pane_key(key)] |= {names.get(str(t).strip(), str(t).strip().lower()) for t in traits}
    return sets


def _pane_shown(pane: str) -> str:
    return _(_PANE_SHOWN[pane]) if get_language() == "zh" else repr(pane)


def _compare_panes(answer: Any, expected: Mapping[str, list[str]]) -> str | None:
    got = _pane_sets(answer)
    off = [pane for pane in JOHARI_PANES if got[pane] != set(expected[pane])]
    return None if not off else _("Not right yet: the {panes} pane(s).").format(
        panes=format_list(_pane_shown(p) for p in off))


def _no_unknown_pane(answer: Any) -> bool:
    """The answer leaves the unknown pane empty (or out), under any of its names."""
    return isinstance(answer, Mapping) and not any(traits for key, traits in answer.items()
                                                   if _pane_key(key) == "unknown")


def _one_trait_moved() -> list[dict[str, list[str]]]:
    """Every answer with exactly one trait in a wrong pane."""
    right = _panes()
    moved = []
    for pane, traits in right.items():
        for trait in traits:
            for other in JOHARI_PANES:
                if other != pane:
                    answer = {p: [t for t in ts if t != trait] for p, ts in right.items()}
                    answer[other] = [*answer[other], trait]
                    moved.append(answer)
    return moved


#: The panes as the answer form offers them (what each pane means, so a participant without code can sort).
_PANE_FORM_NAMES: dict[str, str] = {"open": N_("open: known to self and to others"),
                                    "blind": N_("blind: known to others only"),
                                    "hidden": N_("hidden: known to self only"),
                                    "unknown": N_("unknown: known to neither")}

johari_exercise = Exercise(
    id="communication.johari",
    prompt=N_("Place each of the twelve traits into the open, blind, hidden or unknown pane."),
    expected=_panes,
    compare=_compare_panes,
    # done by hand in a training, so it has a form although it is a rule applied, not an interpretation
    form=Grouping({trait: trait for trait in _TRAITS}, {pane: _PANE_FORM_NAMES[pane] for pane in JOHARI_PANES}),
    mistakes=(
        Mistake("blind_hidden_swapped",
                N_("Blind and hidden are swapped. BLIND = others see it, the person does not (they did not choose "
                   "it); HIDDEN = the person knows it, the others did not choose it."),
                answer=lambda: {**_panes(), "blind": _panes()["hidden"], "hidden": _panes()["blind"]},
                more=N_("Blind spots are what OTHERS know about you and you do not.")),
        Mistake("one_vote_enough",
                N_("You counted a trait as known to the colleagues when ONE of them chose it. The rule here: "
                   "at least 2 of the three."),
                answer=lambda: _panes(min_votes=1),
                more=N_("Count, for each trait, how many of the three colleagues chose it.")),
        Mistake("unknown_left_out",
                N_("Every trait goes into a pane, including those nobody chose: they are the 'unknown' pane."),
                applies=_no_unknown_pane,
                more=N_("The four panes together hold all twelve traits, each exactly once.")),
    ),
    hint=N_("Decide two things per trait: is it known to self (the agent chose it) and known to others (enough "
       "colleagues chose it)? The two answers name the pane."),
    more_hint=N_("open = known to both, blind = known to others only, hidden = known to self only, unknown = "
       "neither; known to others needs at least MIN_VOTES colleagues."),
    near_misses=_one_trait_moved,
)


# --- 7. Mehrabian ------------------------------------------------------------------------------
#: The multiple-choice questions on Mehrabian's experiments: id -> (question, {letter: option}), read in
#: the language in force.
MEHRABIAN_QUESTIONS: dict[str, tuple[str, dict[str, str]]]
_MEHRABIAN_QUESTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "m1": (N_("What did the two 1967 experiments measure?"), {
        "A": N_("How much of the meaning of everyday conversations is carried by words, voice and face."),
        "B": N_("How listeners judged a speaker's liking (attitude) from single words said in a positive, "
                "neutral or negative tone, with photographs of faces, when the cues disagreed."),
        "C": N_("Which parts of a sales pitch persuade customers to buy."),
    }),
    "m2": (N_("A trainer says: 'Only 7 % of communication is words, so on a complaint call what you say hardly "
              "matters.' This is..."), {
        "A": N_("Correct: the 7-38-55 rule applies to all communication."),
        "B": N_("Correct for telephone calls only."),
        "C": N_("A misreading: the weights come from judging feelings or attitudes from inconsistent cues; they say "
                "nothing about how much of a message's content words carry."),
    }),
    "m3": (N_("What is a fair lesson for a customer-service agent?"), {
        "A": N_("When your tone contradicts your words about how you feel toward the customer, the customer tends to "
                "believe the tone: keep words, voice and face consistent."),
        "B": N_("Words carry 7 % of the meaning, so scripts are pointless."),
        "C": N_("Smile on the phone and the customer will accept any solution."),
    }),
}
MEHRABIAN_ANSWERS: dict[str, frozenset[str]] = {"m1": frozenset("B"), "m2": frozenset("C"), "m3": frozenset("A")}


mehrabian_exercise = Exercise(
    id="communication.mehrabian",
    prompt=N_("Answer the three questions on what the 7-38-55 finding does and does not say."),
    expected=lambda: MEHRABIAN_ANSWERS,
    compare=compare_mapping,
    kind="interpret",
    form=MappingForm({key: question for key, (question, _options) in _MEHRABIAN_QUESTIONS.items()},
                     item_options={key: options for key, (_question, options) in _MEHRABIAN_QUESTIONS.items()}),
    mistakes=(
        Mistake("all_communication",
                N_("The experiments did not study conversations or message content: listeners judged single words "
                   "said in different tones, about the speaker's liking, with inconsistent cues."),
                applies=lambda a: chosen_option(a, "m1") == "A" or chosen_option(a, "m2") in {"A", "B"}
                or chosen_option(a, "m3") == "B",
                more=N_("A finding holds for the setting it was measured in; ask what was measured.")),
        Mistake("smile_fixes_all",
                N_("Consistency between words and tone matters, but a friendly voice does not make a poor solution "
                   "acceptable: the content still has to solve the customer's problem."),
                applies=lambda a: chosen_option(a, "m3") == "C",
                more=N_("The experiments were about judging feelings, not about accepting solutions.")),
    ),
    hint=N_("Re-read the description of the experimental setting: what did the listeners hear, and what did they "
       "judge?"),
    more_hint=N_("The listeners heard single words and judged how much the speaker liked someone. Which options "
       "stay within that?"),
    near_misses=lambda: single_deviations(MEHRABIAN_ANSWERS, "ABC"),
)


# --- 8. question types ---------------------------------------------------------------------------
def _labels(bank: Mapping[str, tuple[str, str]]) -> dict[str, frozenset[str]]:
    return {key: frozenset({label.upper()}) for key, (_, label) in bank.items()}


#: Labels as Chinese participants write them (开放式, 封闭式, 探询式; 观察, 评论 / 评价); the keys are what counts.
_LABEL_NAMES: dict[str, str] = {
    **dict.fromkeys(("开放", "开放式", "开放式问题", "开放型", "开放性问题"), "open"),
    **dict.fromkeys(("封闭", "封闭式", "封闭式问题", "封闭型", "封闭性问题"), "closed"),
    **dict.fromkeys(("探询", "探询式", "探询式问题", "探寻式", "追问", "追问式", "探究式"), "probing"),
    **dict.fromkeys(("观察", "事实", "观察（事实）"), "observation"),
    **dict.fromkeys(("评论", "评价", "评判", "评论（评价）"), "evaluation"),
}


def _label_of(value: Any) -> str:
    text = str(value).strip()
    return _LABEL_NAMES.get(text, text.lower())


def _labelled(answer: Any) -> Any:
    """A dict answer with each label under its key name ("开放式" -> "open"); anything else unchanged."""
    if not isinstance(answer, Mapping):
        return answer
    return {key: (_label_of(value) if isinstance(value, str) else value) for key, value in answer.items()}


def _compare_labels(answer: Any, expected: Mapping[str, frozenset[str]]) -> str | None:
    return compare_mapping(_labelled(answer), expected)


def _answered(answer: Any, key: str) -> str:
    return _label_of(answer.get(key, "")) if isinstance(answer, Mapping) else ""


def _wrong_as(answer: Any, bank: Mapping[str, tuple[str, str]], truth: str, given: str) -> bool:
    """Some item labelled ``truth`` in the bank was answered ``given``."""
    return isinstance(answer, Mapping) and any(
        label == truth and _answered(answer, key) == given for key, (_, label) in bank.items())


def _bank_text(bank: str, key: str) -> str:
    """The text of item ``key`` of a hand-labelled bank of :mod:`cvmlib.communication`, in the language in force."""
    text: str = getattr(communication_texts, bank)[key][0]
    return text


def _question_type_shown(kind: str) -> str:
    return _(_KIND_SHOWN[kind])


#: The labels of the statement exercise as its answer form offers them (the keys are what the check compares).
_STATEMENT_KINDS: dict[str, str] = {"observation": N_("observation"), "evaluation": N_("evaluation")}

questions_exercise = Exercise(
    id="communication.question_types",
    prompt=N_("Label each customer-service question open, closed or probing."),
    expected=lambda: _labels(QUESTION_BANK),
    compare=_compare_labels,
    kind="interpret",
    form=MappingForm({key: partial(_bank_text, "QUESTION_BANK", key) for key in QUESTION_BANK},
                     {kind: partial(_question_type_shown, kind) for kind in QUESTION_TYPES}),
    mistakes=(
        Mistake("polite_open_as_closed",
                N_("'Could you walk me through ...' starts like a yes/no question, but nobody answers it with 'yes': "
                   "it invites the customer's story. Judge a question by the answer it invites."),
                applies=lambda a: _answered(a, "q7") == "closed",
                more=N_("Imagine the customer's reply: a story, or one word?")),
        Mistake("probing_as_open",
                N_("A probing question is also open-ended, but it digs into something the customer already said "
                   "('you mentioned...', 'when you say...', 'an example'). Mark those as probing."),
                applies=lambda a: _wrong_as(a, QUESTION_BANK, "probing", "open"),
                more=N_("Does the question refer back to the customer's own words?")),
        Mistake("choice_as_open",
                N_("'Would you prefer a refund or a replacement?' offers a fixed choice: a closed question."),
                applies=lambda a: _answered(a, "q8") == "open",
                more=N_("A question with a fixed list of possible answers is closed, however polite.")),
    ),
    hint=N_("Open: invites a story (what/how/walk me through). Closed: a fact, yes/no or a fixed choice. "
       "Probing: follows up on what the customer said."),
    more_hint=N_("For each question, imagine the shortest honest reply: one word or a choice (closed), a story "
       "(open), or more about something already said (probing)."),
    near_misses=lambda: single_deviations(_labels(QUESTION_BANK), QUESTION_TYPES),
)


# --- 9. observation or evaluation ---------------------------------------------------------------
observations_exercise = Exercise(
    id="communication.nvc_observations",
    prompt=N_("Label each statement 'observation' or 'evaluation'."),
    expected=lambda: _labels(NVC_STATEMENTS),
    compare=_compare_labels,
    kind="interpret",
    form=MappingForm({key: partial(_bank_text, "NVC_STATEMENTS", key) for key in NVC_STATEMENTS},
                     {label: _STATEMENT_KINDS[label] for label in dict.fromkeys(
                         label for _statement, label in NVC_STATEMENTS.values())}),
    mistakes=(
        Mistake("absolute_as_observation",
                N_("A statement with 'always' or 'never' generalises: it is an evaluation even when it sounds "
                   "like a fact. Check s2 and s7 again."),
                applies=lambda a: any(_answered(a, k) == "observation" for k in ("s2", "s7")),
                more=N_("Could a camera record 'always'? It can record how many times, and when.")),
        Mistake("label_as_observation",
                N_("'Lazy', 'aggressive', 'careless' are labels: what did the person DO that you could film?"),
                applies=lambda a: _wrong_as(a, NVC_STATEMENTS, "evaluation", "observation"),
                more=N_("A label is a conclusion about a person; an observation describes an action.")),
        Mistake("number_as_evaluation",
                N_("A statement with counts and dates that a camera could record is an observation, even when the "
                   "news is bad."),
                applies=lambda a: _wrong_as(a, NVC_STATEMENTS, "observation", "evaluation"),
                more=N_("Bad news is not a judgement: 'the refund took twelve days' is a fact.")),
    ),
    hint=N_("Observation = what a camera would record (who did what, how often, when). Evaluation = a judgement "
       "or a generalisation."),
    more_hint=N_("Look for the words that a camera could not record: labels of people and words such as always or "
       "never."),
    near_misses=lambda: single_deviations(_labels(NVC_STATEMENTS), ("observation", "evaluation")),
)


# --- 10. NVC rewrite (heuristic) -----------------------------------------------------------------
#: The message to rewrite in the workbook (read in the language in force, like the model answers below).
ORIGINAL_MESSAGE: str
_ORIGINAL_MESSAGE = N_("Your warehouse is always late and careless. Fix it, or I escalate to the director.")
#: A model rewrite: it passes the same heuristic the participant's answer is checked by.
MODEL_REWRITE: str
_MODEL_REWRITE = N_(
    "In the last two weeks, 9 of our 60 next-day orders left the warehouse one day late, and 4 of those "
    "customers called us. I am worried, because I need to give customers delivery dates we can keep. "
    "Would you meet me on Thursday at 10:00 to agree how next-day orders are flagged at packing?"
)
_HEURISTIC_NOTE = N_("(This check is a rule-based heuristic: it looks for words and patterns, not meaning. Passing "
                     "it is the start; read your message aloud to a colleague as well.)")
# Pieces of the model rewrite that its near misses replace: each is a piece of the model in either language.
_MEETING = N_("on Thursday at 10:00")
_REQUEST = N_("Would you meet me on Thursday at 10:00 to agree how next-day orders are flagged at packing?")
_COUNT = N_("9 of our 60")


def _joined(parts: Iterable[str]) -> str:
    """Sentences joined: with a space in English, directly after one another in Chinese."""
    return ("" if get_language() == "zh" else " ").join(parts)


def _both_editions(message: str) -> set[str]:
    """A text as either edition shows it: a participant may paste either."""
    return {message, _(message), _in_chinese(message)}


#: How a hint names the text it asks for: (in a sentence, at its start).
_YOUR: dict[str, tuple[str, str]] = {
    "message": (N_("your message"), N_("Your message")),
    "open": (N_("your open question"), N_("Your open question")),
    "probing": (N_("your probing question"), N_("Your probing question")),
    "closed": (N_("your closed question"), N_("Your closed question")),
}


def _as_text(answer: Any, what: str) -> str:
    your, Your = (_(name) for name in _YOUR[what])
    if not isinstance(answer, str):
        raise NotComparable(_("Expected {your} as a string, got {type}.").format(your=your, type=type(answer).__name__))
    if not answer.strip():
        raise NotComparable(_("{Your} is empty: write it out, then check again.").format(Your=Your))
    return answer


def _compare_rewrite(answer: Any, expected: Any) -> str | None:
    text = _as_text(answer, "message")
    if text.strip() in _both_editions(_ORIGINAL_MESSAGE):
        return _("That is the original message: rewrite it in four parts.")
    issues = nvc_issues(text)
    return None if not issues else _joined(issues)


def _is_text(answer: Any) -> bool:
    return isinstance(answer, str) and bool(answer.strip())


nvc_rewrite = Exercise(
    id="communication.nvc_rewrite",
    prompt=N_("Rewrite the after-sales lead's message to the warehouse lead as observation, feeling, need, request."),
    expected=lambda: _(_MODEL_REWRITE),
    compare=_compare_rewrite,
    kind="interpret",
    form=Text(lines=5),
    mistakes=(
        Mistake("original_message",
                N_("That is the original message: rewrite it in four parts (observation, feeling, need, request)."),
                applies=lambda a: _is_text(a) and a.strip() in _both_editions(_ORIGINAL_MESSAGE),
                more=N_("Start with what a camera would have recorded in the last weeks: how many orders, how late.")),
        Mistake("threat",
                N_("Your message contains a threat (like the original's 'or I escalate'): a threat makes the "
                   "warehouse lead defend, not solve. An NVC request leaves the other person free to say no."),
                applies=lambda a: _is_text(a) and bool(threats(a)),
                more=N_("Replace the threat by a request the warehouse lead can say yes to: a meeting, a list, a change "
                   "by a named day.")),
        Mistake("keyword_soup",
                N_("Your message is a list of the four labels and keywords, not sentences. Write the message you would "
                   "really send: what happened, how you feel, what you need, what you ask."),
                applies=lambda a: _is_text(a) and is_keyword_soup(a),
                more=N_("Each of the four parts is a full sentence with its own content: numbers and dates, a feeling "
                   "word, the thing you need, the action you ask for.")),
        Mistake("placeholder_left",
                N_("There is a placeholder left in your message (such as tbc, ???, xxx, TODO, a lone ...): fill in the "
                   "real content before you check."),
                applies=lambda a: _is_text(a) and bool(placeholders(a)),
                more=N_("Search your message for the stand-ins you meant to replace.")),
        Mistake("sarcasm",
                N_("Your message sounds sarcastic (mock praise, 'genius', words in capitals, quotes around a promise): "
                   "in writing, irony reads as contempt and gets a defensive answer."),
                applies=lambda a: _is_text(a) and bool(sarcasm_cues(a)),
                more=N_("Say plainly what happened; the numbers make the point without irony.")),
    ),
    hint=_HEURISTIC_NOTE,
    more_hint=N_("Check the four parts one by one: an observation with numbers and dates, a feeling word, a need "
       "('because I need ...'), and a request for something doable by a named day."),
    near_misses=lambda: [
        _(_MODEL_REWRITE).replace(_(_MEETING), _(N_("sometime next week"))),
        _(_MODEL_REWRITE).replace(_(_MEETING), _(N_("asap"))),
        _(_MODEL_REWRITE).replace(_(_COUNT), _(N_("XXX of our"))),
        _joined([_(_MODEL_REWRITE), _(N_("Otherwise I escalate to the director."))]),
        _joined([_(N_("Thanks SO much for the amazing service, genius.")), _(_MODEL_REWRITE)]),
        _(N_("observation feeling need request when I you")),
        _(_MODEL_REWRITE).replace(_(_REQUEST), _(N_("Would you?"))),
    ],
)


# --- 11. 5W2H plan (heuristic) -------------------------------------------------------------------
#: A model plan for the workbook's call notes: it passes the same heuristic (keys stay the field names).
MODEL_PLAN: dict[str, str]
_MODEL_PLAN: dict[str, str] = {
    "what": N_("120 Spring Festival gift boxes, food and grocery"),
    "why": N_("gifts for the company's staff"),
    "who": N_("Ms Chen (HR manager, customer); Li Wei (order desk, our owner)"),
    "when": N_("delivered before 2026-02-06; confirm the delivery day by 2026-01-16"),
    "where": N_("office reception, Xihu district, Hangzhou"),
    "how": N_("pick and pack as one shipment, courier with appointment; VAT invoice sent before dispatch"),
    "how much": N_("120 boxes x about 200 CNY = about 24,000 CNY"),
}


def _five_w_two_h_question(key: str) -> str:
    """The question of one 5W2H field, in the language in force (the label of its box in the answer form)."""
    question: str = communication_texts.FIVE_W_TWO_H[key]
    return question


def _model_plan() -> dict[str, str]:
    return {field: _(text) for field, text in _MODEL_PLAN.items()}


def _compare_plan(answer: Any, expected: Any) -> str | None:
    if not isinstance(answer, Mapping):
        raise NotComparable(_("Expected a dict with the seven 5W2H fields, got {type}.").format(
            type=type(answer).__name__))
    gaps = plan_gaps(answer)
    return None if not gaps else _joined(gaps)


plan_exercise = Exercise(
    id="communication.five_w_two_h",
    prompt=N_("Turn the customer's request into a 5W2H order plan: what, why, who, when, where, how, how much."),
    expected=_model_plan,
    compare=_compare_plan,
    kind="interpret",
    form=TextFields({key: partial(_five_w_two_h_question, key) for key in _MODEL_PLAN}, lines=2),
    hint=N_("(Completeness is checked exactly; 'specific' by simple rules: no placeholder, threat, sarcasm or vague "
       "time, a date in 'when', a named person in 'who', a number in 'how much'. Check the content against the call "
       "notes yourself.)"),
    more_hint=N_("Read each field as the colleague who must act on it: could they pick, pack, ship and invoice "
       "without calling you back?"),
    near_misses=lambda: [
        {**_model_plan(), "when": _(N_("Monday-ish"))},
        {**_model_plan(), "when": _(N_("sometime next week"))},
        {**_model_plan(), "who": _(N_("tbc"))},
        {**_model_plan(), "who": _(N_("someone from the order desk"))},
        {**_model_plan(), "how much": _(N_("120 x ??? CNY"))},
        {key: value for key, value in _model_plan().items() if key != "where"},
        {**_model_plan(), "why": _(N_("why"))},
    ],
)


# --- 12. writing questions (heuristic) ------------------------------------------------------------
#: The situation of the question-writing exercise (the funnel role-play's card).
COFFEE_CALL: str
_COFFEE_CALL = N_("A customer calls: her new coffee machine leaks. She bought it on the app ten days ago and is "
                  "annoyed because she had guests.")
#: Model questions: they pass the same heuristic.
MODEL_QUESTIONS: dict[str, str]
_MODEL_QUESTIONS: dict[str, str] = {
    "open": N_("What happened when you first used the machine?"),
    "probing": N_("You mentioned water on the counter. Where exactly did it come from?"),
    "closed": N_("Did you buy the machine on the app on 2 March?"),
}
#: What each question is called in a hint: ``open`` in English, ``开放式问题`` in Chinese.
_KIND_SHOWN = {"open": N_("open question"), "probing": N_("probing question"), "closed": N_("closed question")}


def _model_questions() -> dict[str, str]:
    return {kind: _(text) for kind, text in _MODEL_QUESTIONS.items()}


def _kind_shown(kind: str) -> str:
    return _(_KIND_SHOWN[kind]) if get_language() == "zh" else kind


def _compare_questions(answer: Any, expected: Any) -> str | None:
    if not isinstance(answer, Mapping):
        raise NotComparable(_('Expected a dict {{"open": ..., "probing": ..., "closed": ...}}, got {type}.').format(
            type=type(answer).__name__))
    missing = [kind for kind in QUESTION_TYPES if kind not in answer]
    if missing:
        raise NotComparable(_("Your dict has no question for: {kinds}.").format(kinds=format_list(missing)))
    problems = []
    for kind in ("open", "probing", "closed"):
        text = _as_text(answer[kind], kind)
        problems += [_("{kind}: {issue}").format(kind=_kind_shown(kind), issue=issue)
                     for issue in question_issues(text, kind)]
    return None if not problems else _joined(problems)


question_writing = Exercise(
    id="communication.write_questions",
    prompt=N_("For the coffee-machine call, write one open, one probing and one closed question."),
    expected=_model_questions,
    compare=_compare_questions,
    kind="interpret",
    form=TextFields({kind: _KIND_SHOWN[kind] for kind in _MODEL_QUESTIONS}, lines=2),
    mistakes=(
        Mistake("blame_or_sarcasm",
                N_("One of your questions blames or mocks the customer. A question that puts the customer on trial "
                   "gets a defence, not the facts you need."),
                applies=lambda a: isinstance(a, Mapping) and any(
                    _is_text(q) and (threats(q) or sarcasm_cues(q)) for q in a.values()),
                more=N_("Ask about the machine and what happened, not about what the customer did wrong.")),
    ),
    hint=N_("(This check is a rule-based heuristic: it reads the first words and phrases such as 'you mentioned', "
       "and rejects placeholders, lists of keywords, threats, sarcasm and vague times.)"),
    more_hint=N_("Open starts with what/how or 'could you walk me through'; probing picks up the customer's own words "
       "('you mentioned ...', 'when you say ...'); closed asks for one fact or confirms a day."),
    near_misses=lambda: [
        {**_model_questions(), "open": _(N_("tbc"))},
        {**_model_questions(), "probing": _model_questions()["open"]},
        {**_model_questions(), "closed": _(N_("Can we send a technician sometime next week?"))},
        {**_model_questions(), "open": _(N_("What on earth did you do to the machine, genius?"))},
        {**_model_questions(), "open": _(N_("open closed probing what how why"))},
        {**_model_questions(), "closed": _(N_("Do you want to pay for the repair yourself, or else?"))},
    ],
)


# --- 13-14. interpretation and decisions -------------------------------------------------------
def _promoter_detractor_shares() -> tuple[float, float]:
    scores = _survey()["nps"]
    return float((scores >= 9).mean()), float((scores <= 6).mean())


#: The options of the board-report question (the workbook prints them).
NPS_REPORT_OPTIONS: Options = Options({
    "A": N_("Report the mean answer: it is well above the middle of the 0-10 scale, so most customers are satisfied."),
    "B": N_("Report the NPS with the shares of promoters and detractors beside it: detractors outnumber promoters, "
            "although the mean answer looks comfortable."),
    "C": N_("Report the NPS with the shares of promoters and detractors beside it: promoters outnumber detractors, "
            "so word of mouth works for the retailer."),
    "D": N_("Report neither: the NPS and the mean answer disagree, so the survey is unreliable."),
})


def _nps_report() -> frozenset[str]:
    promoters, detractors = _promoter_detractor_shares()
    return frozenset("B" if detractors > promoters else "C")


nps_report = Exercise(
    id="communication.nps_report",
    prompt=N_("Which sentence should go into the board report on the survey? One letter."),
    expected=_nps_report,
    compare=compare_choice,
    kind="interpret",
    form=Choice(NPS_REPORT_OPTIONS),
    mistakes=(
        Mistake("mean_hides_split",
                N_("The mean answer hides how the answers split: many 7s and 8s lift it, but they count on neither "
                   "side. The board needs to know who would recommend the retailer and who would warn others."),
                answer=lambda: frozenset("A"),
                more=N_("Compare the mean answer with the shares of 9-10 and of 0-6 answers.")),
        Mistake("disagreement_is_information",
                N_("The two numbers measure different things; that they tell different stories is the finding, not a "
                   "flaw of the survey."),
                answer=lambda: frozenset("D"),
                more=N_("What would make a mean of about 7 and a negative NPS possible at the same time?")),
        Mistake("wrong_side",
                N_("Look at which group is larger: the share of promoters (9-10) or the share of detractors (0-6)?"),
                variants=lambda: [frozenset(letter) for letter in "BC" if letter not in _nps_report()],
                more=N_("The sign of the NPS of exercise 1 tells you which group is larger.")),
    ),
    hint=N_("A board sentence must be true and must not hide the split of the answers: check each option against the "
       "NPS of exercise 1 and the shares behind it."),
    more_hint=N_("Compute the share of promoters and the share of detractors: which is larger decides between two of "
       "the options; the other two misread what the numbers are."),
    near_misses=lambda: other_letters("".join(NPS_REPORT_OPTIONS), _nps_report()),
)


#: The statements of the audit-reading question (the workbook prints them).
AUDIT_STATEMENTS: Options = Options({
    "A": N_("Customers whose main channel is the store have the lowest NPS of the four channels."),
    "B": N_("For basic members, cost is the weakest of the four Cs."),
    "C": later(N_("Promoters ordered again within {days} days more often than detractors did."), days=WINDOW_DAYS),
    "D": later(N_("So raising a customer's answer to 9 or 10 makes them order again within {days} days: the survey "
                  "proves it."), days=WINDOW_DAYS),
    "E": N_("Gold members have a higher NPS than silver members."),
})


@cache  # from cached tables: each mistake's variants ask for it again
def _audit_truth() -> frozenset[str]:
    by_channel = _nps_by_channel()
    by_level = _level_audit()
    shares = _repeat_shares()
    facts = {
        "A": by_channel.idxmin() == "store",
        "B": weakest_c(by_level)["basic"] == "cost",
        "C": shares["promoter"] > shares["detractor"],
        "D": False,  # an association in survey data never proves the effect of changing an answer
        "E": by_level.loc["gold", "nps"] > by_level.loc["silver", "nps"],
    }
    return frozenset(letter for letter, true in facts.items() if true)


audit_reading = Exercise(
    id="communication.audit_reading",
    prompt=N_("Which statements does the 4C audit support? Give all letters that apply."),
    expected=_audit_truth,
    compare=compare_choice_set,
    kind="interpret",
    form=MultiChoice(AUDIT_STATEMENTS),
    mistakes=(
        Mistake("correlation_as_cause",
                N_("Promoters buying again more often is an ASSOCIATION. It does not show that changing an answer "
                   "changes buying: loyal customers may simply answer 9-10 AND buy again. Only an experiment could "
                   "show an effect."),
                variants=statement_variants("D", AUDIT_STATEMENTS, _audit_truth),
                more=N_("Ask what else differs between promoters and detractors (membership level, how often they "
                   "bought before).")),
        Mistake("tables_misread",
                N_("At least one statement about the numbers does not match the tables: check each against the "
                   "audit per channel, per membership level and the later-buying shares."),
                variants=lambda: [chosen for letter in "ABCE" for chosen in
                                  misjudged(letter, "".join(AUDIT_STATEMENTS), _audit_truth())
                                  if "D" not in chosen],
                more=N_("Statements A, B, C and E are each a comparison of two or more numbers you have already "
                   "computed; D is about what the numbers can prove.")),
    ),
    hint=N_("Check each statement against a table you computed: the NPS per channel, the weakest C per "
       "level (and the audit table), the later-buying shares by NPS group. One statement is about proof, not "
       "numbers."),
    more_hint=N_("For the proof statement, ask whether the survey changed anybody's answer, or only recorded it."),
    near_misses=lambda: one_off("".join(AUDIT_STATEMENTS), _audit_truth()),
)

EXERCISES: tuple[Exercise, ...] = (
    nps_exercise,
    nps_report,
    weakest_exercise,
    nps_channel,
    repeat_exercise,
    audit_reading,
    handoff_exercise,
    johari_exercise,
    mehrabian_exercise,
    questions_exercise,
    question_writing,
    observations_exercise,
    nvc_rewrite,
    plan_exercise,
)


# --------------------------------------------------------------------------------------------
# What the workbook prints, in the language in force
# --------------------------------------------------------------------------------------------
_SHOWN: dict[str, Callable[[], Any]] = {
    "JOHARI_TRAITS": lambda: tuple(_(trait) for trait in _TRAITS),
    "JOHARI_SELF": lambda: tuple(_(trait) for trait in _SELF),
    "JOHARI_OTHERS": lambda: tuple(tuple(_(trait) for trait in chosen) for chosen in _OTHERS),
    "MEHRABIAN_QUESTIONS": lambda: {key: (_(question), {letter: _(option) for letter, option in options.items()})
                                    for key, (question, options) in _MEHRABIAN_QUESTIONS.items()},
    "ORIGINAL_MESSAGE": lambda: _(_ORIGINAL_MESSAGE),
    "MODEL_REWRITE": lambda: _(_MODEL_REWRITE),
    "MODEL_PLAN": _model_plan,
    "COFFEE_CALL": lambda: _(_COFFEE_CALL),
    "MODEL_QUESTIONS": _model_questions,
}


def __getattr__(name: str) -> Any:
    """The items the workbook prints, read in the language in force (the keys the checks compare stay).

    >>> with language("zh"):
    ...     from cvmlib.exercises.communication import JOHARI_SELF
    >>> JOHARI_SELF[:2]
    ('沉稳', '细心')
    """
    if name in _SHOWN:
        return _SHOWN[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
