"""Communication skills helpers: Johari panes, question types, NVC heuristics, 5W2H and 4P records."""

from __future__ import annotations

import pytest

from cvmlib.communication import (
    FIVE_W_TWO_H,
    JOHARI_PANES,
    NVC_STATEMENTS,
    QUESTION_BANK,
    REPORT_4P,
    classify_question,
    evaluative_words,
    is_observation,
    johari_panes,
    missing_fields,
    nvc_issues,
    plan_gaps,
)
from cvmlib.validate import InputError

TRAITS = ["calm", "direct", "helpful", "patient", "quiet"]


# --- Johari ------------------------------------------------------------------------------------
def test_johari_every_trait_in_exactly_one_pane():
    panes = johari_panes(TRAITS, ["calm", "patient"], [["calm", "direct"], ["direct", "quiet"]])
    assert list(panes) == list(JOHARI_PANES)
    assert panes == {"open": ["calm"], "blind": ["direct", "quiet"], "hidden": ["patient"], "unknown": ["helpful"]}
    placed = [t for traits in panes.values() for t in traits]
    assert sorted(placed) == sorted(TRAITS)


def test_johari_min_votes_moves_single_votes_out_of_known_to_others():
    panes = johari_panes(TRAITS, ["calm", "quiet"], [["calm", "direct"], ["direct", "quiet"]], min_votes=2)
    assert panes["blind"] == ["direct"]  # two votes
    assert panes["hidden"] == ["calm", "quiet"]  # one vote each is not enough
    assert panes["open"] == []


@pytest.mark.parametrize("call, message", [
    (lambda: johari_panes(TRAITS, ["kind"], []), "self_selected has 1 trait"),
    (lambda: johari_panes(TRAITS, [], [["calm"], ["brave"]]), r"others_selected\[1\]"),
    (lambda: johari_panes(TRAITS, "calm", []), "must be a list"),
    (lambda: johari_panes(TRAITS, [], [["calm"]], min_votes=2), "more than the 1 colleagues"),
    (lambda: johari_panes(["calm", "calm"], [], []), "distinct"),
])
def test_johari_refuses_bad_input(call, message):
    with pytest.raises(InputError, match=message):
        call()


# --- questions ---------------------------------------------------------------------------------
def test_question_heuristic_agrees_with_the_hand_labelled_bank():
    wrong = {key: text for key, (text, label) in QUESTION_BANK.items() if classify_question(text) != label}
    assert wrong == {}
    assert {label for _, label in QUESTION_BANK.values()} == {"open", "closed", "probing"}


@pytest.mark.parametrize("question, kind", [
    ("Was the box damaged?", "closed"),
    ("Why did you choose the express option?", "open"),
    ("Could you describe the noise it makes?", "open"),
    ("Tell me more about the second call.", "probing"),
    ("Order number?", "closed"),
])
def test_question_heuristic_on_new_questions(question, kind):
    assert classify_question(question) == kind


def test_question_refuses_empty_text():
    with pytest.raises(InputError):
        classify_question("   ")


# --- NVC ---------------------------------------------------------------------------------------
def test_observation_heuristic_agrees_with_the_bank():
    for key, (text, label) in NVC_STATEMENTS.items():
        assert is_observation(text) == (label == "observation"), key


def test_evaluative_words_finds_absolutes_and_labels_as_whole_words():
    assert evaluative_words("You ALWAYS send the wrong size; sloppy.") == ["always", "sloppy"]
    assert evaluative_words("However, the parcel arrived on Monday.") == []  # 'ever' inside 'however'


def test_nvc_issues_names_each_missing_part():
    issues = nvc_issues("Three parcels left late this week.")
    assert any(i.startswith("No feeling") for i in issues)
    assert any(i.startswith("No need") for i in issues)
    assert any(i.startswith("No request") for i in issues)
    assert not any(i.startswith("No number") for i in issues)


def test_nvc_issues_catches_pseudo_feelings_and_negative_requests():
    message = ("On Monday two parcels left late. I feel that you ignore us, because we need reliable dates. "
               "Could you stop sending parcels late?")
    issues = nvc_issues(message)
    assert any("thought or a judgement" in i for i in issues)
    assert any("what NOT to do" in i for i in issues)


def test_nvc_issues_passes_a_four_part_message():
    message = ("Last week 14 of 120 orders left the warehouse after the promised date. I am worried, because "
               "I need to give customers dates they can trust. Would you meet me on Thursday to agree "
               "priorities?")
    assert nvc_issues(message) == []


# --- 5W2H and 4P -------------------------------------------------------------------------------
FULL_PLAN = {"What": "120 Spring Festival gift boxes (Food & Grocery)", "Why": "gifts for employees",
             "Who": "Ms Chen, HR; our owner: Li Wei (order desk)", "When": "delivered by 2026-02-06",
             "Where": "Xihu office, Hangzhou, reception desk", "How": "courier, VAT invoice before dispatch",
             "How_much": "120 boxes x 198 CNY = 23,760 CNY"}


def test_complete_plan_has_no_gaps_and_keys_are_forgiving():
    assert plan_gaps(FULL_PLAN) == []


@pytest.mark.parametrize("field", list(FIVE_W_TWO_H))
def test_each_missing_field_is_named(field):
    plan = {k: v for k, v in FULL_PLAN.items() if k.lower().replace("_", " ") != field}
    gaps = plan_gaps(plan)
    assert len(gaps) == 1 and gaps[0].startswith(f"Missing {field!r}")


def test_vague_fields_are_named():
    gaps = plan_gaps({**FULL_PLAN, "When": "as soon as possible", "How_much": "the usual"})
    assert gaps == ["'when' is vague: give a date or a deadline.",
                    "'how much' has no number: give the quantity and the amount (CNY)."]
    assert plan_gaps({**FULL_PLAN, "When": "TBD"})[0].startswith("Missing 'when'")


def test_missing_fields_for_a_4p_report_and_bad_input():
    report = {"position": "Li Wei, order desk, order O0041234", "problem": "...", "possibility": "A or B"}
    assert missing_fields(report, list(REPORT_4P)) == ["problem", "proposal"]
    with pytest.raises(InputError, match="plan must be a dict"):
        plan_gaps(["what", "why"])  # type: ignore[arg-type]


# --- widget ------------------------------------------------------------------------------------
def test_johari_widget_redraws_the_panes_when_a_selection_changes():
    from cvmlib.widgets import johari_window

    box = johari_window(TRAITS, ["calm"], [["calm", "direct"], ["direct"]], min_votes=2)
    pickers, votes, view = box.children
    assert "<b>Blind</b> (1)<br>direct" in view.value and "<b>Hidden</b> (1)<br>calm" in view.value
    votes.value = 1
    assert "<b>Open</b> (1)<br>calm" in view.value
    pickers.children[0].children[1].value = ("calm", "direct")  # the person now sees "direct" too
    assert "<b>Open</b> (2)<br>calm, direct" in view.value
