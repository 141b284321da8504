"""The checked exercises of the 4C and communication workbook (``notebooks/communication_workbook.ipynb``).

Data exercises (NPS, the 4C audit, later buying) compute their expected answers from the shipped
survey, customers and orders with :mod:`cvmlib.fourc`; every mistake computes the answer a
participant with that misconception would give. Classification exercises (questions, NVC
statements, Johari panes, Mehrabian) take their answer keys from :mod:`cvmlib.communication`.
The rewrite and 5W2H exercises are checked by rule-based heuristics, and their hints say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.communication import (
    JOHARI_PANES,
    NVC_STATEMENTS,
    QUESTION_BANK,
    johari_panes,
    nvc_issues,
    plan_gaps,
)
from cvmlib.datasets import load_customers, load_orders, load_survey
from cvmlib.feedback import (
    Exercise,
    Mistake,
    NotComparable,
    chosen_option,
    compare_mapping,
    compare_scalar,
    compare_series,
)
from cvmlib.fourc import (
    FOUR_C_NAMES,
    FOUR_CS,
    NPS_GROUPS,
    four_c_audit,
    main_channel,
    nps,
    nps_groups,
    purchases_after,
    weakest_c,
)

#: Later-buying window (days after the response day) and the first day not covered by the orders.
WINDOW_DAYS = 90
SNAPSHOT_DATE = "2026-01-01"

#: The Johari exercise: an after-sales agent's own choice and three colleagues' choices.
JOHARI_TRAITS: tuple[str, ...] = ("calm", "careful", "cheerful", "confident", "dependable", "direct",
                                  "friendly", "helpful", "organised", "patient", "quiet", "warm")
JOHARI_SELF: tuple[str, ...] = ("calm", "careful", "dependable", "organised", "patient")
JOHARI_OTHERS: tuple[tuple[str, ...], ...] = (
    ("helpful", "dependable", "direct", "calm", "warm"),
    ("dependable", "direct", "cheerful", "helpful"),
    ("calm", "direct", "organised", "quiet"),
)
#: A trait is known to the colleagues when at least this many of the three chose it.
JOHARI_MIN_VOTES = 2


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


def _scalar(answer: Any, expected: float) -> str | None:
    return compare_scalar(answer, expected, rtol=1e-6)


def _is_number(answer: Any) -> bool:
    return isinstance(answer, (int, float, np.number)) and not isinstance(answer, bool)


# --- 1. NPS -----------------------------------------------------------------------------------
def _share_points(promoter_min: int, detractor_max: int) -> float:
    scores = _survey()["nps"]
    return float(100 * ((scores >= promoter_min).mean() - (scores <= detractor_max).mean()))


nps_exercise = Exercise(
    id="communication.nps",
    prompt="The retailer's net promoter score from the survey, in points (-100..100).",
    expected=lambda: nps(_survey()["nps"]),
    compare=_scalar,
    mistakes=(
        Mistake("mean_score",
                "That is the mean answer (0..10). NPS is not an average: it is % promoters (9-10) minus "
                "% detractors (0-6).",
                applies=lambda a: _is_number(a) and any(
                    compare_scalar(a, k * float(_survey()["nps"].mean()), rtol=1e-6) is None for k in (1, 10))),
        Mistake("passives_as_promoters",
                "You counted the passives (7-8) as promoters. Promoters answer 9 or 10 only.",
                answer=lambda: _share_points(7, 6)),
        Mistake("detractors_0_to_5",
                "Detractors are 0 to 6, not 0 to 5: a 6 is a detractor.",
                answer=lambda: _share_points(9, 5)),
        Mistake("fraction_not_points",
                "Right idea, but NPS is given in points: multiply the difference of the two shares by 100.",
                answer=lambda: nps(_survey()["nps"]) / 100),
        Mistake("passives_left_out",
                "You divided by promoters + detractors only. Passives count in the number of respondents "
                "(they are on neither side, but they are there).",
                answer=lambda: float(100 * ((_survey()["nps"] >= 9).sum() - (_survey()["nps"] <= 6).sum())
                                     / ((_survey()["nps"] >= 9) | (_survey()["nps"] <= 6)).sum())),
    ),
    hint="Promoters answer 9-10, detractors 0-6; NPS = 100 x (promoters - detractors) / all respondents.",
)


# --- 2. weakest C per membership level -------------------------------------------------------
_C_ALIASES = {**{c: c for c in FOUR_CS}, **{name.casefold(): c for c, name in FOUR_C_NAMES.items()},
              "consumer needs fit": "consumer_needs_fit"}


def _as_c_columns(answer: Any) -> Any:
    """Accept display names ("Cost") as well as column names ("cost")."""
    if isinstance(answer, pd.Series) and not pd.api.types.is_numeric_dtype(answer):
        return answer.map(lambda v: _C_ALIASES.get(str(v).strip().casefold(), v))
    return answer


def _level_audit() -> pd.DataFrame:
    return four_c_audit(audit_input(), by="membership_level")


def _compare_weakest(answer: Any, expected: pd.Series) -> str | None:
    return compare_series(_as_c_columns(answer), expected)


weakest_exercise = Exercise(
    id="communication.weakest_c",
    prompt="For each membership level, the C with the lowest mean rating (a Series: level -> C column name).",
    expected=lambda: weakest_c(_level_audit()),
    compare=_compare_weakest,
    mistakes=(
        Mistake("strongest_c",
                "You picked each level's BEST C (idxmax). The audit looks for the weakest one: idxmin.",
                answer=lambda: _level_audit()[list(FOUR_CS)].idxmax(axis=1)),
        Mistake("weakest_level_per_c",
                "Your answer has one row per C: that is the weakest LEVEL for each C. Turn it round: one "
                "row per membership level, naming its weakest C (idxmin along axis=1).",
                applies=lambda a: isinstance(a, pd.Series) and set(map(str, a.index)) == set(FOUR_CS)),
        Mistake("nps_column_included",
                "Keep only the four rating columns: 'nps' (0..10) and 'respondents' are on other scales.",
                applies=lambda a: isinstance(a, pd.Series) and a.astype(str).isin(["nps", "respondents"]).any()),
    ),
    hint="Group by membership_level, take the mean of the four rating columns, then idxmin along the columns.",
)


# --- 3. NPS per main channel -----------------------------------------------------------------
def _nps_by(channel: pd.Series, score: Any = nps) -> pd.Series:
    return _survey()["nps"].groupby(channel.to_numpy()).agg(score).rename_axis("main_channel")


def _channel_by_spend() -> pd.Series:
    spend = _orders().groupby(["customer_id", "channel"], observed=True)["amount"].sum().unstack(fill_value=0.0)
    return _survey()["customer_id"].map(spend.idxmax(axis=1).astype("str"))


nps_channel = Exercise(
    id="communication.nps_by_channel",
    prompt="NPS (points) per main channel; a customer's main channel is the one with the most orders.",
    expected=lambda: four_c_audit(audit_input(), by="main_channel")["nps"],
    compare=lambda answer, expected: compare_series(answer, expected, rtol=1e-6),
    mistakes=(
        Mistake("mean_score",
                "Those are mean answers per channel. Compute NPS in each channel: % promoters - % detractors.",
                answer=lambda: _nps_by(audit_input()["main_channel"], "mean")),
        Mistake("main_channel_by_spend",
                "Your main channel is the one with the most SPEND. The task defines it by the number of "
                "ORDERS (where the customer comes to buy).",
                answer=lambda: _nps_by(_channel_by_spend())),
        Mistake("passives_as_promoters",
                "You counted the passives (7-8) as promoters. Promoters answer 9 or 10 only.",
                answer=lambda: _nps_by(audit_input()["main_channel"],
                                       lambda s: float(100 * ((s >= 7).mean() - (s <= 6).mean())))),
    ),
    hint="Count orders per customer and channel, take the channel with the most, map it onto the survey, "
    "then compute NPS within each channel.",
)


# --- 4. later buying by NPS group --------------------------------------------------------------
def _later(window_start_offset: int = 1, keep_incomplete: bool = False) -> pd.Series:
    """Orders in the window per response; variants for the mistakes."""
    survey = _survey()
    if window_start_offset == 1 and not keep_incomplete:
        return purchases_after(survey, _orders(), WINDOW_DAYS, SNAPSHOT_DATE).astype("float64")
    day = _orders()["order_date"].dt.normalize()
    paired = survey[["customer_id", "response_date"]].reset_index().merge(
        _orders()[["customer_id"]].assign(day=day), on="customer_id")
    offset = (paired["day"] - paired["response_date"]).dt.days
    inside = paired[(offset >= window_start_offset) & (offset <= WINDOW_DAYS)]
    counts = inside.groupby("index").size().reindex(survey.index, fill_value=0).astype("float64")
    if not keep_incomplete:
        complete = survey["response_date"] + pd.Timedelta(days=WINDOW_DAYS) < pd.Timestamp(SNAPSHOT_DATE)
        counts[~complete] = np.nan
    return counts


def _share_buying(later: pd.Series, statistic: str = "share") -> pd.Series:
    groups = nps_groups(_survey()["nps"])
    known = later.notna()
    values = (later[known] > 0).astype("float64") if statistic == "share" else later[known]
    shares = values.groupby(groups[known], observed=True).mean()
    return shares.set_axis(shares.index.astype("str")).rename_axis("nps_group")


repeat_exercise = Exercise(
    id="communication.repeat_by_nps_group",
    prompt=f"Per NPS group, the share of respondents who ordered again in the {WINDOW_DAYS} days after "
    "the response day (complete windows only).",
    expected=lambda: _share_buying(_later()),
    compare=lambda answer, expected: compare_series(answer, expected, rtol=1e-6),
    mistakes=(
        Mistake("incomplete_windows_as_zero",
                f"Your shares are too low: respondents who answered less than {WINDOW_DAYS} days before the "
                "end of the data have not had the full window to buy, and count as non-buyers in your "
                "version. Keep only complete windows.",
                answer=lambda: _share_buying(_later(keep_incomplete=True))),
        Mistake("response_day_included",
                "You counted orders on the response day itself; the window starts the day AFTER the response "
                "(an order on the same day may have come before the answer).",
                answer=lambda: _share_buying(_later(window_start_offset=0))),
        Mistake("mean_orders_not_share",
                "That is the mean NUMBER of orders per respondent. The task asks for the SHARE of respondents "
                "with at least one order.",
                answer=lambda: _share_buying(_later(), "mean")),
    ),
    hint="Count each respondent's orders from response day + 1 to response day + 90, drop the windows that "
    "end on or after 2026-01-01, then take the mean of (orders > 0) per NPS group.",
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


def _normalised_teams(answer: Any) -> Any:
    if not isinstance(answer, Mapping):
        return answer
    return {k: str(v).strip().replace("_", " ").replace("after sales", "after-sales").replace(
        "aftersales", "after-sales") for k, v in answer.items()}


def _team(answer: Any, category: str) -> str:
    return str(_normalised_teams(answer).get(category, "")).upper() if isinstance(answer, Mapping) else ""


handoff_exercise = Exercise(
    id="communication.complaint_handoffs",
    prompt="For each complaint category, the internal team whose hand-off most likely broke.",
    expected=lambda: HANDOFF_ANSWERS,
    compare=lambda answer, expected: compare_mapping(_normalised_teams(answer), expected),
    mistakes=(
        Mistake("receiver_not_source",
                "After-sales HEARS every complaint, but a late or wrong parcel was not caused there. Follow the "
                "chain upstream: which team's hand-off to the next one broke?",
                applies=lambda a: _team(a, "delivery_delay") == "AFTER-SALES" or _team(a, "wrong_item") == "AFTER-SALES"),
        Mistake("attitude_upstream",
                "Service attitude is about the conversation with the customer, so it belongs to the team that "
                "talks to them after the sale.",
                applies=lambda a: _team(a, "service_attitude") not in {"", "AFTER-SALES"}),
    ),
    hint="Walk the chain marketing -> sales -> order desk -> warehouse -> after-sales and ask where the "
    "problem was created, not where it was reported.",
)


# --- 6. Johari window --------------------------------------------------------------------------
def _panes(min_votes: int = JOHARI_MIN_VOTES) -> dict[str, list[str]]:
    return johari_panes(JOHARI_TRAITS, JOHARI_SELF, JOHARI_OTHERS, min_votes=min_votes)


def _pane_sets(answer: Any) -> dict[str, set[str]]:
    if not isinstance(answer, Mapping):
        raise NotComparable(f"Expected a dict pane -> list of traits, got {type(answer).__name__}.")
    unknown = [k for k in answer if str(k).strip().lower() not in JOHARI_PANES]
    if unknown:
        raise NotComparable(f"Unknown pane(s) {unknown}; the panes are {', '.join(JOHARI_PANES)}.")
    sets: dict[str, set[str]] = {pane: set() for pane in JOHARI_PANES}
    for key, traits in answer.items():
        if isinstance(traits, str) or not isinstance(traits, Iterable):
            raise NotComparable(f"Pane {key!r} must hold a list of traits, got {type(traits).__name__}.")
        sets[str(key).strip().lower()] |= {str(t).strip().lower() for t in traits}
    return sets


def _compare_panes(answer: Any, expected: Mapping[str, list[str]]) -> str | None:
    got = _pane_sets(answer)
    off = [pane for pane in JOHARI_PANES if got[pane] != set(expected[pane])]
    return None if not off else f"Not right yet: the {', '.join(repr(p) for p in off)} pane(s)."


johari_exercise = Exercise(
    id="communication.johari",
    prompt="Place each of the twelve traits into the open, blind, hidden or unknown pane.",
    expected=_panes,
    compare=_compare_panes,
    mistakes=(
        Mistake("blind_hidden_swapped",
                "Blind and hidden are swapped. BLIND = others see it, the person does not (they did not choose "
                "it); HIDDEN = the person knows it, the others did not choose it.",
                answer=lambda: {**_panes(), "blind": _panes()["hidden"], "hidden": _panes()["blind"]}),
        Mistake("one_vote_enough",
                f"You counted a trait as known to the colleagues when ONE of them chose it. The rule here: "
                f"at least {JOHARI_MIN_VOTES} of the three.",
                answer=lambda: _panes(min_votes=1)),
        Mistake("unknown_left_out",
                "Every trait goes into a pane, including those nobody chose: they are the 'unknown' pane.",
                applies=lambda a: isinstance(a, Mapping) and not a.get("unknown")),
    ),
    hint="Known to self = in JOHARI_SELF; known to others = chosen by at least 2 colleagues. open = both, "
    "blind = others only, hidden = self only, unknown = neither.",
)


# --- 7. Mehrabian ------------------------------------------------------------------------------
#: The multiple-choice questions on Mehrabian's experiments: id -> (question, {letter: option}).
MEHRABIAN_QUESTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "m1": ("What did the two 1967 experiments measure?", {
        "A": "How much of the meaning of everyday conversations is carried by words, voice and face.",
        "B": "How listeners judged a speaker's liking (attitude) from single words said in a positive, "
             "neutral or negative tone, with photographs of faces, when the cues disagreed.",
        "C": "Which parts of a sales pitch persuade customers to buy.",
    }),
    "m2": ("A trainer says: 'Only 7 % of communication is words, so on a complaint call what you say hardly "
           "matters.' This is...", {
        "A": "Correct: the 7-38-55 rule applies to all communication.",
        "B": "Correct for telephone calls only.",
        "C": "A misreading: the weights come from judging feelings or attitudes from inconsistent cues; they say "
             "nothing about how much of a message's content words carry.",
    }),
    "m3": ("What is a fair lesson for a customer-service agent?", {
        "A": "When your tone contradicts your words about how you feel toward the customer, the customer tends to "
             "believe the tone: keep words, voice and face consistent.",
        "B": "Words carry 7 % of the meaning, so scripts are pointless.",
        "C": "Smile on the phone and the customer will accept any solution.",
    }),
}
MEHRABIAN_ANSWERS: dict[str, frozenset[str]] = {"m1": frozenset("B"), "m2": frozenset("C"), "m3": frozenset("A")}



mehrabian_exercise = Exercise(
    id="communication.mehrabian",
    prompt="Answer the three questions on what the 7-38-55 finding does and does not say.",
    expected=lambda: MEHRABIAN_ANSWERS,
    compare=compare_mapping,
    mistakes=(
        Mistake("all_communication",
                "The experiments did not study conversations or message content: listeners judged single words "
                "said in different tones, about the speaker's liking, with inconsistent cues.",
                applies=lambda a: chosen_option(a, "m1") == "A" or chosen_option(a, "m2") in {"A", "B"} or chosen_option(a, "m3") == "B"),
    ),
    hint="Re-read the description of the experimental setting: what did the listeners hear, and what did they "
    "judge?",
)


# --- 8. question types ---------------------------------------------------------------------------
def _labels(bank: Mapping[str, tuple[str, str]]) -> dict[str, frozenset[str]]:
    return {key: frozenset({label.upper()}) for key, (_, label) in bank.items()}


def _wrong_as(answer: Any, bank: Mapping[str, tuple[str, str]], truth: str, given: str) -> bool:
    """Some item labelled ``truth`` in the bank was answered ``given``."""
    return isinstance(answer, Mapping) and any(
        label == truth and str(answer.get(key, "")).strip().lower() == given for key, (_, label) in bank.items())


questions_exercise = Exercise(
    id="communication.question_types",
    prompt="Label each customer-service question open, closed or probing.",
    expected=lambda: _labels(QUESTION_BANK),
    compare=compare_mapping,
    mistakes=(
        Mistake("polite_open_as_closed",
                "'Could you walk me through ...' starts like a yes/no question, but nobody answers it with 'yes': "
                "it invites the customer's story. Judge a question by the answer it invites.",
                applies=lambda a: isinstance(a, Mapping) and str(a.get("q7", "")).strip().lower() == "closed"),
        Mistake("probing_as_open",
                "A probing question is also open-ended, but it digs into something the customer already said "
                "('you mentioned...', 'when you say...', 'an example'). Mark those as probing.",
                applies=lambda a: _wrong_as(a, QUESTION_BANK, "probing", "open")),
        Mistake("choice_as_open",
                "'Would you prefer a refund or a replacement?' offers a fixed choice: a closed question.",
                applies=lambda a: isinstance(a, Mapping) and str(a.get("q8", "")).strip().lower() == "open"),
    ),
    hint="Open: invites a story (what/how/walk me through). Closed: a fact, yes/no or a fixed choice. "
    "Probing: follows up on what the customer said.",
)


# --- 9. observation or evaluation ---------------------------------------------------------------
observations_exercise = Exercise(
    id="communication.nvc_observations",
    prompt="Label each statement 'observation' or 'evaluation'.",
    expected=lambda: _labels(NVC_STATEMENTS),
    compare=compare_mapping,
    mistakes=(
        Mistake("absolute_as_observation",
                "A statement with 'always' or 'never' generalises: it is an evaluation even when it sounds "
                "like a fact. Check s2 and s7 again.",
                applies=lambda a: isinstance(a, Mapping) and any(
                    str(a.get(k, "")).strip().lower() == "observation" for k in ("s2", "s7"))),
        Mistake("label_as_observation",
                "'Lazy', 'aggressive', 'careless' are labels: what did the person DO that you could film?",
                applies=lambda a: _wrong_as(a, NVC_STATEMENTS, "evaluation", "observation")),
        Mistake("number_as_evaluation",
                "A statement with counts and dates that a camera could record is an observation, even when the "
                "news is bad.",
                applies=lambda a: _wrong_as(a, NVC_STATEMENTS, "observation", "evaluation")),
    ),
    hint="Observation = what a camera would record (who did what, how often, when). Evaluation = a judgement "
    "or a generalisation.",
)


# --- 10. NVC rewrite (heuristic) -----------------------------------------------------------------
#: The message to rewrite in the workbook.
ORIGINAL_MESSAGE = "Your warehouse is always late and careless. Fix it, or I escalate to the director."


def _compare_rewrite(answer: Any, expected: Any) -> str | None:
    if not isinstance(answer, str):
        raise NotComparable(f"Expected your message as a string, got {type(answer).__name__}.")
    if answer.strip() == ORIGINAL_MESSAGE:
        return "That is the original message: rewrite it in four parts."
    issues = nvc_issues(answer)
    return None if not issues else " ".join(issues)


nvc_rewrite = Exercise(
    id="communication.nvc_rewrite",
    prompt="Rewrite the after-sales lead's message to the warehouse lead as observation, feeling, need, request.",
    expected=lambda: None,
    compare=_compare_rewrite,
    hint="(This check is a rule-based heuristic: it looks for words, not meaning. Passing it is the start; "
    "read your message aloud to a colleague as well.)",
)


# --- 11. 5W2H plan (heuristic) -------------------------------------------------------------------
def _compare_plan(answer: Any, expected: Any) -> str | None:
    if not isinstance(answer, Mapping):
        raise NotComparable(f"Expected a dict with the seven 5W2H fields, got {type(answer).__name__}.")
    gaps = plan_gaps(answer)
    return None if not gaps else " ".join(gaps)


plan_exercise = Exercise(
    id="communication.five_w_two_h",
    prompt="Turn the customer's request into a 5W2H order plan: what, why, who, when, where, how, how much.",
    expected=lambda: None,
    compare=_compare_plan,
    hint="(Completeness is checked exactly; 'specific' by simple rules: a date in 'when', a number in 'how "
    "much'. Check the content against the call notes yourself.)",
)

EXERCISES: tuple[Exercise, ...] = (
    nps_exercise,
    weakest_exercise,
    nps_channel,
    repeat_exercise,
    handoff_exercise,
    johari_exercise,
    mehrabian_exercise,
    questions_exercise,
    observations_exercise,
    nvc_rewrite,
    plan_exercise,
)
