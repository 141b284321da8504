"""Communication skills helpers: Johari panes, question types, NVC heuristics, 5W2H and 4P records.

The text checks are heuristics; the tables below hold realistic after-sales wording they must
reject (placeholders, keyword soup, vague times, threats, sarcasm) and wording they must accept.
"""

from __future__ import annotations

import pytest

from cvmlib.communication import (
    FIVE_W_TWO_H,
    JOHARI_PANES,
    NVC_STATEMENTS,
    QUESTION_BANK,
    REPORT_4P,
    classify_question,
    content_words,
    evaluative_words,
    is_keyword_soup,
    is_observation,
    is_placeholder,
    johari_panes,
    missing_fields,
    nvc_issues,
    placeholders,
    plan_gaps,
    question_issues,
    sarcasm_cues,
    text_issues,
    threats,
    vague_times,
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
    assert gaps == ["'when' is vague ('as soon as possible'): give a date or a deadline.",
                    "'how much' has no number: give the quantity and the amount (CNY)."]
    assert plan_gaps({**FULL_PLAN, "When": "the usual"}) == ["'when' is vague: give a date or a deadline."]
    for stand_in in ("TBD", "tbc", "???", "xxx", "..."):
        assert plan_gaps({**FULL_PLAN, "When": stand_in})[0].startswith("Missing 'when'"), stand_in


def test_missing_fields_for_a_4p_report_and_bad_input():
    report = {"position": "Li Wei, order desk, order O0041234", "problem": "...", "possibility": "A or B"}
    assert missing_fields(report, list(REPORT_4P)) == ["problem", "proposal"]
    assert missing_fields({**report, "problem": "TBC", "proposal": "???"}, list(REPORT_4P)) == ["problem", "proposal"]
    with pytest.raises(InputError, match="plan must be a dict"):
        plan_gaps(["what", "why"])  # type: ignore[arg-type]


# --- the bad-text table -------------------------------------------------------------------------
#: Realistic after-sales wording that the text checks must reject: (check, answer, what is wrong).
#: check "nvc" = nvc_issues(message), "plan" = plan_gaps(plan), "question" = question_issues(text, kind).
#: The last field is a word the hint must contain, so the hint names what is wrong.
_OBS = "In the last two weeks 9 of our 60 next-day orders left the warehouse one day late."
_FEEL_NEED = "I am worried, because I need to give customers delivery dates we can keep."
_ASK = "Would you meet me on Thursday at 10:00 to agree how next-day orders are flagged at packing?"
PLAN = {"what": "120 Spring Festival gift boxes, food and grocery", "why": "gifts for the company's staff",
        "who": "Ms Chen (HR manager, customer); Li Wei (order desk, our owner)",
        "when": "delivered before 2026-02-06; confirm the delivery day by 2026-01-16",
        "where": "office reception, Xihu district, Hangzhou",
        "how": "one shipment, courier with appointment; VAT invoice sent before dispatch",
        "how much": "120 boxes x about 200 CNY = about 24,000 CNY"}

BAD_TEXTS: list[tuple[str, object, str]] = [
    # placeholders
    ("nvc", f"In the last two weeks XXX of our next-day orders left late. {_FEEL_NEED} {_ASK}", "placeholder"),
    ("nvc", f"On Monday tbc orders left the warehouse late. {_FEEL_NEED} Could you send me the list by Friday?",
     "placeholder"),
    ("nvc", f"In the last two weeks ??? next-day orders left a day late. {_FEEL_NEED} Would you meet me on ??? "
            "to agree how to flag them?", "placeholder"),
    ("nvc", f"TODO: observation. {_FEEL_NEED} Would you call me on Tuesday at 10:00 about the packing queue?",
     "placeholder"),
    ("nvc", f"Last week ... orders left the warehouse late. {_FEEL_NEED} Could we meet on Friday to go through "
            "the list?", "placeholder"),
    ("nvc", "On [date], [number] next-day orders left the warehouse late. I am worried, because I need [need]. "
            "Would you [request] by Friday?", "placeholder"),
    # keyword soup
    ("nvc", "observation feeling need request when I you", "keywords"),
    ("nvc", "Observation: 3. Feeling: worried. Need: I need. Request: please.", "keywords"),
    ("nvc", "Monday two worried frustrated because I need please could you", "keywords"),
    ("nvc", "3 orders late. Worried. I need. Would you?", "keywords"),
    ("nvc", "I feel worried, concerned, frustrated and upset today because I need, I value, it matters to me. "
            "Please, could you, would you?", "keywords"),
    # vague times
    ("nvc", f"{_OBS} {_FEEL_NEED} Could you fix this soon?", "vague"),
    ("nvc", f"{_OBS} {_FEEL_NEED} Would you send me the list of late orders asap?", "vague"),
    ("nvc", f"{_OBS} {_FEEL_NEED} Could we meet sometime next week to agree how to flag next-day orders?", "vague"),
    ("nvc", f"{_OBS} {_FEEL_NEED} Would you call me Monday-ish to talk about the next-day orders?", "vague"),
    ("nvc", f"{_OBS} {_FEEL_NEED} Please look into the packing of next-day orders as soon as possible.", "vague"),
    ("nvc", f"{_OBS} {_FEEL_NEED} Could you check the dispatch times at some point this month?", "vague"),
    ("nvc", f"{_OBS} {_FEEL_NEED} Would you get back to me whenever you can about the flags?", "vague"),
    # threats
    ("nvc", f"On Monday 5 of 40 next-day orders left late. {_FEEL_NEED} Please fix the packing by Friday, or else.",
     "threat"),
    ("nvc", f"{_OBS} {_FEEL_NEED} Would you fix the packing by Friday? If you don't, I will escalate to the "
            "director.", "threat"),
    ("nvc", f"{_OBS} {_FEEL_NEED} Could you answer by Thursday, or I'll report your team to the director?",
     "threat"),
    ("nvc", f"{_OBS} {_FEEL_NEED} Please send me the list by Friday, otherwise we will take it further.", "threat"),
    ("nvc", f"{_OBS} {_FEEL_NEED} Would you ship the missing orders by Friday? Otherwise the customers will sue "
            "us and we will sue you.", "threat"),
    ("nvc", f"{_OBS} {_FEEL_NEED} Would you flag next-day orders from Monday? You'll regret it if they are late "
            "again.", "threat"),
    ("nvc", f"This is your last warning. {_OBS} {_FEEL_NEED} {_ASK}", "threat"),
    # sarcasm
    ("nvc", f"Thanks SO much for your amazing patience, genius. {_OBS} {_FEEL_NEED} {_ASK}", "sarcasm"),
    ("nvc", "Great job, 9 of 60 next-day orders left a day late again. I am just so pleased, because I need "
            "customers to call us all day. Would you keep it up on Monday?", "sarcasm"),
    ("nvc", "Oh wonderful, another 5 late parcels on Tuesday. I am happy, because we need more complaints. "
            "Could you do it again on Friday?", "sarcasm"),
    ("nvc", f"Wow, 3 parcels two days late on Friday, what a surprise. {_FEEL_NEED} Would you explain the delay "
            "to me by Monday?", "sarcasm"),
    ("nvc", f"Thanks for the 'express' shipping: 4 parcels took 6 days last week. {_FEEL_NEED} {_ASK}", "sarcasm"),
    # 5W2H plans
    ("plan", {**PLAN, "when": "Monday-ish"}, "vague"),
    ("plan", {**PLAN, "when": "asap"}, "vague"),
    ("plan", {**PLAN, "when": "sometime next week"}, "vague"),
    ("plan", {**PLAN, "when": "early Feb, tbc"}, "placeholder"),
    ("plan", {**PLAN, "when": "2026-02-06 or whenever the courier can"}, "vague"),
    ("plan", {**PLAN, "how much": "120 boxes x ??? CNY"}, "placeholder"),
    ("plan", {**PLAN, "who": "tbc"}, "missing"),
    ("plan", {**PLAN, "where": "xxx"}, "missing"),
    ("plan", {**PLAN, "what": "120 xxx boxes"}, "placeholder"),
    ("plan", {**PLAN, "why": "why", "how": "how"}, "field names"),
    ("plan", {**PLAN, "how": "courier asap, invoice later"}, "vague"),
    ("plan", {**PLAN, "who": "someone from the order desk"}, "no person"),
    ("plan", {**PLAN, "how": "ship it; if she complains again, tell her we will sue"}, "threat"),
    ("plan", {**PLAN, "why": "because she is SO important, apparently"}, "sarcasm"),
    # questions for the coffee-machine call
    ("question", ("open", "tbc"), "placeholder"),
    ("question", ("probing", "???"), "placeholder"),
    ("question", ("open", "open closed probing what how why"), "keywords"),
    ("question", ("closed", "Is the order number xxx?"), "placeholder"),
    ("question", ("closed", "Can we send a technician sometime next week?"), "vague"),
    ("question", ("open", "What on earth did you do to the machine, genius?"), "sarcasm"),
    ("question", ("closed", "Do you want to pay for the repair yourself, or else?"), "threat"),
    ("question", ("probing", "You mentioned a leak. Did you even read the manual, Sherlock?"), "sarcasm"),
    ("question", ("closed", "Will you stop calling us, or shall we report you for abuse?"), "threat"),
]

#: Good answers, in the same realistic wording: every check must find nothing.
GOOD_TEXTS: list[tuple[str, object]] = [
    ("nvc", f"{_OBS} {_FEEL_NEED} {_ASK}"),
    ("nvc", "Last week 14 of 120 orders left the warehouse after the promised date. I am worried, because I need "
            "to give customers dates they can trust. Would you meet me on Thursday to agree priorities?"),
    ("nvc", "Three of the last ten parcels left the warehouse after the promised day. I am worried, because I "
            "need to give customers dates they can trust. Would you tell me by Friday which orders are at risk "
            "this week?"),
    ("nvc", "In the last two weeks 9 of our 60 next-day orders left the warehouse a day late. I am worried, "
            "because I need to promise customers dates we can keep. Would you meet me on Thursday to agree how we "
            "flag next-day orders?"),
    ("nvc", "Observation: on Monday and Tuesday 7 of our 45 next-day orders left after 18:00. Feeling: I am "
            "worried. Need: I need to give customers delivery dates we can keep. Request: would you meet me on "
            "Wednesday at 9:00 to look at the packing queue?"),
    ("nvc", "Since 3 March, 12 customers have called us about parcels that arrived two days later than promised. "
            "I am concerned, because we value the trust of customers who order for a date. Could we look at the "
            "dispatch log together on Friday at 14:00?"),
    ("nvc", "This week 5 of the 30 express orders left the warehouse a day after the promised date. I feel "
            "frustrated, because I need dispatch dates I can promise to customers. Would you send me by Thursday "
            "noon the list of express orders still waiting?"),
    ("nvc", "On 14 and 15 March, 6 parcels left without the gift note the customers paid for. I am disappointed, "
            "because it matters to me that we deliver what customers ordered. Would you tell me no later than "
            "Friday how the note is added at packing?"),
    ("nvc", "Thank you for answering my mail yesterday. Last week 4 of 50 orders to Shanghai left a day late. I "
            "am worried, because I need to keep the dates we give customers. Could you check with me on Monday "
            "at 10:00 which of them waited for stock?"),
    ("plan", PLAN),
    ("plan", {"What": "120 Spring Festival gift boxes (Food & Grocery)", "Why": "gifts for employees",
              "Who": "Ms Chen, HR; our owner: Li Wei (order desk)", "When": "delivered by 2026-02-06",
              "Where": "Xihu office, Hangzhou, reception desk", "How": "courier, VAT invoice before dispatch",
              "How_much": "120 boxes x 198 CNY = 23,760 CNY"}),
    ("plan", {"what": "120 gift boxes", "why": "staff gifts for the Spring Festival",
              "who": "Ms Chen (HR); owner Li Na", "when": "Friday 6 February 2026, 10:00-12:00",
              "where": "Hangzhou office reception", "how": "courier as soon as the invoice is paid",
              "how much": "120 x 198 CNY"}),
    ("question", ("open", "What happened when you first used the machine?")),
    ("question", ("probing", "You mentioned water on the counter. Where exactly did it come from?")),
    ("question", ("closed", "Did you buy the machine on the app on 2 March?")),
    ("question", ("open", "Could you walk me through how you filled the water tank?")),
    ("question", ("probing", "When you say it leaks, is that while it brews or while it stands?")),
    ("question", ("closed", "Shall I book a technician for Thursday morning?")),
    ("question", ("open", "How would you like us to put this right?")),
    ("question", ("probing", "Can you give me an example of when it leaked?")),
    ("question", ("closed", "Is the order number on your receipt O0041234?")),
]


def _check(check: str, answer: object) -> list[str]:
    if check == "nvc":
        return nvc_issues(answer)  # type: ignore[arg-type]
    if check == "plan":
        return plan_gaps(answer)  # type: ignore[arg-type]
    kind, text = answer  # type: ignore[misc]
    return question_issues(text, kind)


def test_the_tables_are_large_enough():
    assert len(BAD_TEXTS) >= 40 and len(GOOD_TEXTS) >= 15
    assert {what for _, _, what in BAD_TEXTS} >= {"placeholder", "keywords", "vague", "threat", "sarcasm"}


@pytest.mark.parametrize("check, answer, what", BAD_TEXTS, ids=[f"{c}-{w}-{i}" for i, (c, _, w) in enumerate(BAD_TEXTS)])
def test_bad_texts_are_rejected_with_a_hint_naming_what_is_wrong(check, answer, what):
    issues = _check(check, answer)
    assert issues, f"accepted: {answer!r}"
    assert any(what in issue.lower() for issue in issues), issues


@pytest.mark.parametrize("check, answer", GOOD_TEXTS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(GOOD_TEXTS)])
def test_good_texts_pass(check, answer):
    assert _check(check, answer) == []


# --- the finders, one by one: what they flag and what they leave alone -------------------------
@pytest.mark.parametrize("text, found", [
    ("On ??? we shipped XXX boxes; owner TBC.", ["???", "XXX", "TBC"]),
    ("TODO: call her back on [date].", ["TODO", "[date]"]),
    ("Last week ... orders were late.", ["..."]),
    ("120 x 198 CNY, by Li Na, delivered 6 Feb.", []),        # x multiplies; Na is a name
    ("I was hoping... that it would arrive on Friday.", []),  # an ellipsis after a word is style
    ("Are you serious?? It is the third time.", []),          # two question marks after a word are emphasis
])
def test_placeholders(text, found):
    assert placeholders(text) == found


def test_is_placeholder_is_about_the_whole_value():
    assert [is_placeholder(v) for v in ("", "  ", "...", "tbc", "???", "[date]", "待定", None)] == [True] * 8
    assert not any(is_placeholder(v) for v in ("Ms Chen", "Li Na", "120 boxes", "x 2"))


@pytest.mark.parametrize("text, found", [
    ("Could you fix it soon?", ["soon"]),
    ("Please reply ASAP.", ["ASAP"]),
    ("Let's meet sometime next week.", ["sometime next week"]),
    ("Monday-ish works for me.", ["Monday-ish"]),
    ("We will get back to you later.", ["later"]),
    ("Would you send it next week?", ["next week"]),
    ("Could you look at it in due course, whenever you can?", ["in due course", "whenever you can"]),
    ("Would you call me as soon as the parcel arrives?", []),   # a trigger, not a vague time
    ("Tell me no later than Friday 12:00.", []),
    ("The parcel arrived two days later.", []),                 # a measured gap
    ("Could we meet next week on Tuesday at 10:00?", []),       # "next week" with a day
    ("Please call me back later today.", []),
])
def test_vague_times(text, found):
    assert vague_times(text) == found


@pytest.mark.parametrize("text, threat", [
    ("Fix it by Friday, or else.", True),
    ("Fix it, or I escalate to the director.", True),
    ("If you don't reply by Monday, I will report your team.", True),
    ("We will sue you.", True),
    ("You'll regret this.", True),
    ("This is your last warning.", True),
    ("I will escalate this to the duty manager so you get an answer today.", False),
    ("If you can't make Thursday, I will send you two other times.", False),
    ("Could we meet on Monday, or I call you on Tuesday?", False),
])
def test_threats(text, threat):
    assert bool(threats(text)) == threat


@pytest.mark.parametrize("text, sarcastic", [
    ("Thanks SO much for your amazing patience, genius.", True),
    ("Great job shipping it late again!", True),
    ("Oh wonderful, another broken box.", True),
    ("Thanks for the 'express' delivery.", True),
    ("What a surprise, the refund is late.", True),
    ("Thank you for your quick reply yesterday.", False),
    ("Thank you for the wonderful help last month; this week 3 orders were late.", False),
    ("The VAT invoice for order O123 is attached.", False),  # capitals of an acronym are not emphasis
])
def test_sarcasm(text, sarcastic):
    assert bool(sarcasm_cues(text)) == sarcastic


def test_keyword_soup_counts_content_words():
    assert content_words("Observation: 3. Feeling: worried. Need: I need. Request: please.") == []
    assert is_keyword_soup("observation feeling need request when I you")
    assert not is_keyword_soup("On Monday 3 orders were late. I am worried because I need dates. Would you please help?")


def test_text_issues_one_hint_per_kind_and_bad_input():
    issues = text_issues("Thanks SO much, genius: fix the next-day packing soon, or else. TBC.")
    assert [issue.split(":")[0] for issue in issues] == ["Placeholder left in your message", "Threat", "Sarcasm",
                                                         "Vague time"]
    with pytest.raises(InputError, match="must be a string"):
        text_issues(42)  # type: ignore[arg-type]


def test_nvc_issues_catch_empty_needs_and_requests():
    issues = nvc_issues("On Monday 3 of 40 orders left the warehouse late. I am worried, because I need. "
                        "Would you?")
    assert any("need names nothing" in i for i in issues)
    assert any("asks for nothing" in i for i in issues)


def test_the_original_message_is_flagged_as_a_threat():
    assert any(i.startswith("Threat") for i in nvc_issues("Your warehouse is always late and careless. "
                                                          "Fix it, or I escalate to the director."))


def test_classify_question_refuses_a_placeholder():
    for stand_in in ("tbc", "???", "TODO", "..."):
        with pytest.raises(InputError, match="placeholder"):
            classify_question(stand_in)


def test_question_issues_name_the_type_the_heuristic_reads():
    assert question_issues("Did the machine leak while brewing?", "closed") == []
    assert "reads as a closed question" in question_issues("Did the machine leak while brewing?", "open")[0]
    assert "probing one picks up" in question_issues("What happened then?", "probing")[0]
    with pytest.raises(InputError, match="kind must be one of"):
        question_issues("What happened?", "rhetorical")


def test_observations_exclude_sarcasm_threats_and_vague_times():
    assert not is_observation("Thanks SO much for the quick refund, genius.")
    assert not is_observation("The parcel will arrive soon.")
    assert not is_observation("We will sue you.")
    assert is_observation("The parcel arrived two days later than promised.")


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
