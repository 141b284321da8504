"""Communication skills: Johari panes, question types, NVC observations and requests, 5W2H plans.

The functions here turn classroom exercises into checks a participant gets instant feedback from.
Two kinds live side by side, and the docstrings say which is which:

* **Definitions** (exact): :func:`johari_panes` places traits into the four panes of the Johari
  window (Luft and Ingham 1955) from a person's own selection and their colleagues' selections.
* **Heuristics** (rule-based, fallible): :func:`classify_question`, :func:`evaluative_words`,
  :func:`nvc_issues` and :func:`plan_gaps` look for words and patterns. They catch the usual
  mistakes ("always", "never", labels such as "lazy", a message without a request, a plan
  without a date) but they do not understand language: a sentence can pass them and still be
  an evaluation, and a good sentence can trip them. The workbook says so every time it uses
  them; the authoritative labels of the exercise items are the hand-labelled banks
  (:data:`QUESTION_BANK`, :data:`NVC_STATEMENTS`).

Course-specific frameworks without a standard published definition (4C沟通法, 五化原则,
4P汇报法) are defined in :data:`FOUR_C_COMMUNICATION`, :data:`FIVE_RULES` and
:data:`REPORT_4P` as the course's own definitions.

Bad input (a trait that is not on the list, a selection that is not a list of strings, an
unknown question type, a plan that is not a mapping) raises :class:`~cvmlib.validate.InputError`
naming the argument and the offending values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cvmlib.validate import InputError

__all__ = [
    "FIVE_RULES",
    "FIVE_W_TWO_H",
    "FOUR_C_COMMUNICATION",
    "JOHARI_PANES",
    "NVC_STATEMENTS",
    "QUESTION_BANK",
    "QUESTION_TYPES",
    "REPORT_4P",
    "classify_question",
    "evaluative_words",
    "is_observation",
    "johari_panes",
    "missing_fields",
    "nvc_issues",
    "plan_gaps",
]

# --------------------------------------------------------------------------------------------
# Course definitions (no standard published source: the course's own)
# --------------------------------------------------------------------------------------------
#: 4C沟通法 as this course defines it: four qualities of every message to a customer or colleague.
FOUR_C_COMMUNICATION: dict[str, str] = {
    "Clear (清晰)": "One message, in the customer's words, with no internal jargon or codes.",
    "Concise (简洁)": "The answer first, then the reason; no more than the customer needs to act.",
    "Correct (准确)": "Facts checked (order number, dates, amounts) before they are said.",
    "Courteous (礼貌)": "Respectful in words AND in tone; no blame on the customer or on colleagues.",
}
#: 五化原则 as this course defines it: five rules that make a plan or a report actionable.
FIVE_RULES: dict[str, str] = {
    "具体化 (specific)": "Name the item, the order, the person: no 'some', 'soon', 'the usual'.",
    "数量化 (quantified)": "Quantities, amounts and targets as numbers.",
    "时限化 (time-bound)": "A date or a deadline for every step.",
    "责任化 (owned)": "One named owner per step.",
    "书面化 (written)": "Written down and confirmed with the customer or the next team.",
}
#: 4P汇报法 as this course defines it: the four parts of an escalation report, in order.
REPORT_4P: dict[str, str] = {
    "position": "Position (立场/背景): who reports, about which customer and order, and why it reaches you now.",
    "problem": "Problem (问题): the facts, as observations with numbers and dates; the impact so far.",
    "possibility": "Possibility (可能方案): two or three options, each with its cost and risk.",
    "proposal": "Proposal (建议): the option you recommend and the decision you need, by when.",
}

# --------------------------------------------------------------------------------------------
# Johari window
# --------------------------------------------------------------------------------------------
#: The four panes: known to self and others, to others only, to self only, to neither.
JOHARI_PANES: tuple[str, str, str, str] = ("open", "blind", "hidden", "unknown")


def _selection(values: Any, name: str, traits: Sequence[str]) -> set[str]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InputError(f"{name} must be a list of traits (strings); got {type(values).__name__}.")
    chosen = list(values)
    not_text = [v for v in chosen if not isinstance(v, str)]
    if not_text:
        raise InputError(f"{name} must hold trait names (strings); offending values: {not_text[:5]}.")
    unknown = [v for v in chosen if v not in traits]
    if unknown:
        raise InputError(f"{name} has {len(unknown)} trait(s) not on the list: {unknown[:5]}. "
                         f"Choose from: {', '.join(traits)}.")
    return set(chosen)


def johari_panes(
    traits: Sequence[str],
    self_selected: Iterable[str],
    others_selected: Sequence[Iterable[str]],
    min_votes: int = 1,
) -> dict[str, list[str]]:
    """Place every trait into a pane of the Johari window.

    A trait is *known to self* when the person chose it, and *known to others* when at least
    ``min_votes`` of the colleagues chose it. Then open = known to both, blind = known to others
    only, hidden = known to self only, unknown = known to neither. Every trait lands in exactly
    one pane.

    Parameters
    ----------
    traits : sequence of str
        The list of traits everybody chose from (no duplicates).
    self_selected : iterable of str
        The traits the person chose for themselves.
    others_selected : sequence of iterables of str
        One selection per colleague.
    min_votes : int, default 1
        How many colleagues must choose a trait for it to count as known to others.

    Returns
    -------
    dict
        Pane -> traits in that pane, in the order of ``traits``; keys in :data:`JOHARI_PANES` order.

    Examples
    --------
    >>> traits = ["calm", "helpful", "patient", "shy"]
    >>> johari_panes(traits, ["calm", "shy"], [["calm", "helpful"], ["helpful"]])
    {'open': ['calm'], 'blind': ['helpful'], 'hidden': ['shy'], 'unknown': ['patient']}
    >>> johari_panes(traits, ["calm"], [["calm"], ["helpful"]], min_votes=2)["hidden"]
    ['calm']
    >>> johari_panes(traits, ["kind"], [])
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: self_selected has 1 trait(s) not on the list: ['kind']. ...
    """
    if isinstance(traits, str) or not all(isinstance(t, str) for t in traits) or len(set(traits)) != len(traits):
        raise InputError(f"traits must be a list of distinct trait names; got {traits!r}.")
    mine = _selection(self_selected, "self_selected", traits)
    if isinstance(others_selected, str) or not isinstance(others_selected, Sequence):
        raise InputError("others_selected must be a list with one selection (a list of traits) per colleague.")
    theirs = [_selection(sel, f"others_selected[{i}]", traits) for i, sel in enumerate(others_selected)]
    if isinstance(min_votes, bool) or not isinstance(min_votes, int) or min_votes < 1:
        raise InputError(f"min_votes must be a positive whole number; got {min_votes!r}.")
    if theirs and min_votes > len(theirs):
        raise InputError(f"min_votes={min_votes} is more than the {len(theirs)} colleagues who chose: "
                         "no trait could ever be known to others.")
    panes: dict[str, list[str]] = {pane: [] for pane in JOHARI_PANES}
    for trait in traits:
        known_to_others = sum(trait in sel for sel in theirs) >= min_votes
        known_to_self = trait in mine
        pane = ("open" if known_to_self else "blind") if known_to_others else ("hidden" if known_to_self else "unknown")
        panes[pane].append(trait)
    return panes


# --------------------------------------------------------------------------------------------
# Question types
# --------------------------------------------------------------------------------------------
#: Open (invites a story), closed (a short fact or yes/no), probing (digs into what was said).
QUESTION_TYPES: tuple[str, str, str] = ("open", "closed", "probing")

#: Hand-labelled customer-service questions: id -> (question, type). The exercise's answer key.
QUESTION_BANK: dict[str, tuple[str, str]] = {
    "q1": ("Is the order number on your receipt O0039215?", "closed"),
    "q2": ("What happened when you opened the parcel?", "open"),
    "q3": ("You mentioned the courier called twice. What exactly did he say?", "probing"),
    "q4": ("Did you receive a confirmation text after paying?", "closed"),
    "q5": ("How would you like us to put this right?", "open"),
    "q6": ("When you say the jacket 'fell apart', which part came loose first?", "probing"),
    "q7": ("Could you walk me through how you set up the coffee machine?", "open"),
    "q8": ("Would you prefer a refund or a replacement?", "closed"),
    "q9": ("Can you give me an example of the reply that upset you in the chat?", "probing"),
    "q10": ("Have you ordered through our mini program before?", "closed"),
    "q11": ("What matters most to you about the delivery time?", "open"),
    "q12": ("What else happened after the agent ended the call?", "probing"),
}

# Phrases that refer back to something the customer said, or ask for more of it.
_PROBING = re.compile(
    r"\b(you (mentioned|said|told)|when you say|what exactly|tell me more|an example|what else|"
    r"what happened next|earlier you|go back to|in what way exactly)\b",
    re.IGNORECASE,
)
# A polite frame around an open request: "could you walk me through / describe / tell me about".
_OPEN_REQUEST = re.compile(r"^(could|can|would) you (please )?(walk me through|describe|explain|tell me about)\b",
                           re.IGNORECASE)
_CLOSED_START = re.compile(
    r"^(is|are|was|were|am|do|does|did|have|has|had|can|could|will|would|shall|should|may|might)\b",
    re.IGNORECASE,
)
_OPEN_START = re.compile(r"^(what|how|why|describe|tell me|explain|walk me through|in what way)\b", re.IGNORECASE)


def classify_question(question: str) -> str:
    """Open, closed or probing: a **rule-based heuristic** for customer-service questions.

    Rules, in order: a question that refers back to what the customer said or asks for more of it
    ("you mentioned", "when you say", "what exactly", "an example", "what else") is *probing*; a
    polite request for a story ("could you walk me through ...") is *open*; a question starting
    with an auxiliary verb ("is", "did", "would", ...) is *closed*; one starting with what / how /
    why / describe / tell me is *open*; anything else is treated as *closed*. Intonation and
    context, which decide in real conversations, are invisible to it.

    Examples
    --------
    >>> classify_question("Did the parcel arrive?")
    'closed'
    >>> classify_question("How did you use the charger?")
    'open'
    >>> classify_question("You said it was cold. What exactly was cold?")
    'probing'
    """
    if not isinstance(question, str) or not question.strip():
        raise InputError(f"question must be a non-empty string; got {question!r}.")
    text = question.strip()
    if _PROBING.search(text):
        return "probing"
    if _OPEN_REQUEST.search(text):
        return "open"
    if _CLOSED_START.search(text):
        return "closed"
    if _OPEN_START.search(text):
        return "open"
    return "closed"


# --------------------------------------------------------------------------------------------
# Nonviolent communication: observation vs evaluation, and a rewrite checker
# --------------------------------------------------------------------------------------------
#: Hand-labelled statements: id -> (statement, "observation" or "evaluation"). The answer key.
NVC_STATEMENTS: dict[str, tuple[str, str]] = {
    "s1": ("You called our hotline three times this week.", "observation"),
    "s2": ("You are always complaining.", "evaluation"),
    "s3": ("The parcel arrived on 14 March, five days after the promised date.", "observation"),
    "s4": ("The warehouse team is lazy.", "evaluation"),
    "s5": ("The customer raised her voice twice during the call.", "observation"),
    "s6": ("The customer was aggressive.", "evaluation"),
    "s7": ("You never read our messages.", "evaluation"),
    "s8": ("The invoice shows 299 CNY; the order page showed 259 CNY.", "observation"),
    "s9": ("The order desk made a careless mistake.", "evaluation"),
    "s10": ("The last two refunds took more than ten days.", "observation"),
}

#: Generalisations that turn an observation into an evaluation (Rosenberg).
ABSOLUTE_WORDS: tuple[str, ...] = ("always", "never", "ever", "constantly", "everyone", "nobody",
                                   "every time", "all the time")
#: Labels and judgements; a short, deliberately incomplete list.
JUDGEMENT_WORDS: tuple[str, ...] = (
    "aggressive", "annoying", "awful", "bad", "careless", "clueless", "difficult", "hopeless",
    "incompetent", "irresponsible", "lazy", "pathetic", "poor", "ridiculous", "rude", "sloppy",
    "stupid", "terrible", "unacceptable", "unprofessional", "unreliable", "useless",
)
_WORDS = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(ABSOLUTE_WORDS + JUDGEMENT_WORDS,
                                                                   key=len, reverse=True)) + r")\b",
                    re.IGNORECASE)
_FEELINGS = re.compile(
    r"\b(worried|concerned|anxious|frustrated|disappointed|uneasy|stressed|upset|sad|confused|"
    r"embarrassed|nervous|discouraged|pleased|relieved|grateful|glad|happy|hopeful|overwhelmed)\b",
    re.IGNORECASE,
)
# "I feel that you ...", "I feel like ...": a thought or a judgement dressed as a feeling.
_PSEUDO_FEELING = re.compile(r"\bfeel (that|like|as if|you|they|he|she|it is|ignored|let down|cheated)\b",
                             re.IGNORECASE)
_NEEDS = re.compile(r"\b(because (i|we) (need|value|want|would like)|(i|we) need|(i|we) value|"
                    r"important (to|for) (me|us)|matters to (me|us)|need for)\b", re.IGNORECASE)
_REQUEST = re.compile(r"\b(would you|could you|can you|will you|are you willing|would it be possible|"
                      r"please|can we|could we|shall we|i would like you to|i'd like you to)\b",
                      re.IGNORECASE)
_NEGATIVE_REQUEST = re.compile(r"\b(don't|do not|stop|never again|no more|quit)\b", re.IGNORECASE)


def evaluative_words(text: str) -> list[str]:
    """Absolute and judging words in ``text`` (lower case, in order of appearance): a heuristic.

    Examples
    --------
    >>> evaluative_words("You NEVER answer and your team is lazy.")
    ['never', 'lazy']
    >>> evaluative_words("The parcel arrived five days late.")
    []
    """
    if not isinstance(text, str):
        raise InputError(f"text must be a string; got {type(text).__name__}.")
    return [match.group(0).lower() for match in _WORDS.finditer(text)]


def is_observation(statement: str) -> bool:
    """True when the **heuristic** finds no absolute or judging word in ``statement``.

    A statement that passes can still be an evaluation ("You seem unhappy with us"); the list
    catches the usual ones, not all.

    Examples
    --------
    >>> is_observation("The refund took twelve days.")
    True
    >>> is_observation("You always complain.")
    False
    """
    return not evaluative_words(statement)


def nvc_issues(message: str) -> list[str]:
    """What a **rule-based heuristic** finds missing or off in a four-part NVC message.

    Checks, one hint each: judging or absolute words (they make the observation an
    evaluation); no number or date in the observation; no feeling word, or a thought dressed
    as a feeling ("I feel that you..."); no need ("because I need / value ..."); no request
    ("would you / could you / please ..."); a request phrased as what *not* to do. An empty list
    means the heuristic found nothing, not that the message is good: read it aloud as well.

    Examples
    --------
    >>> nvc_issues("You never deliver on time and your team is useless.")[0]
    "Evaluative words: 'never', 'useless'. Describe what happened, as a camera would record it."
    >>> nvc_issues("Three of the last ten parcels left the warehouse after the promised day. "
    ...            "I am worried, because I need to give customers dates they can trust. "
    ...            "Would you tell me by Friday which orders are at risk this week?")
    []
    """
    if not isinstance(message, str) or not message.strip():
        raise InputError(f"message must be a non-empty string; got {message!r}.")
    issues = []
    judged = evaluative_words(message)
    if judged:
        issues.append(f"Evaluative words: {', '.join(repr(w) for w in dict.fromkeys(judged))}. "
                      "Describe what happened, as a camera would record it.")
    if not re.search(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twice|once|monday|tuesday|"
                     r"wednesday|thursday|friday|saturday|sunday|yesterday|today)\b", message, re.IGNORECASE):
        issues.append("No number, date or day in the observation: say what happened, how often and when.")
    if _PSEUDO_FEELING.search(message):
        issues.append("'I feel that/like/you...' states a thought or a judgement, not a feeling. "
                      "Name the feeling itself: worried, frustrated, relieved...")
    elif not _FEELINGS.search(message):
        issues.append("No feeling: say how you feel about it (worried, frustrated, concerned...).")
    if not _NEEDS.search(message):
        issues.append("No need: say what matters to you, e.g. 'because I need ...' or 'because I value ...'.")
    if not _REQUEST.search(message):
        issues.append("No request: end with a concrete, doable request, e.g. 'Would you ... by Friday?'.")
    elif _NEGATIVE_REQUEST.search(message):
        issues.append("The request says what NOT to do; ask for what you want done instead.")
    return issues


# --------------------------------------------------------------------------------------------
# Completeness of a structured record: 5W2H plans, 4P escalation reports
# --------------------------------------------------------------------------------------------
#: The seven fields of a 5W2H plan, with the question each answers.
FIVE_W_TWO_H: dict[str, str] = {
    "what": "What exactly is to be delivered or done?",
    "why": "Why does the customer want it (the purpose)?",
    "who": "Who is involved: the customer contact and our owner?",
    "when": "When: the date or deadline?",
    "where": "Where: the delivery address or place?",
    "how": "How will it be done (steps, channel, packing, payment)?",
    "how much": "How much: quantity and money (price, budget)?",
}
_EMPTY = {"", "...", "?", "tbd", "tba", "n/a", "na", "none", "unknown", "-", "todo", "待定"}
_HAS_NUMBER = re.compile(r"\d")
_HAS_DATE = re.compile(r"\d|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|monday|tuesday|wednesday|"
                       r"thursday|friday|saturday|sunday|today|tomorrow)", re.IGNORECASE)


def _key(name: Any) -> str:
    return re.sub(r"[\s_\-]+", " ", str(name)).strip().casefold()


def missing_fields(record: Any, fields: Sequence[str], name: str = "record") -> list[str]:
    """The ``fields`` that ``record`` lacks or leaves empty ("", "...", "TBD", "?").

    Keys are matched ignoring case, spaces, underscores and hyphens ("How_much" = "how much").

    Examples
    --------
    >>> missing_fields({"What": "120 gift boxes", "when": "TBD"}, ["what", "when", "where"])
    ['when', 'where']
    """
    if not isinstance(record, Mapping):
        raise InputError(f"{name} must be a dict (field -> text); got {type(record).__name__}.")
    given = {_key(k): v for k, v in record.items()}
    return [f for f in fields if given.get(_key(f)) is None or str(given[_key(f)]).strip().casefold() in _EMPTY]


def plan_gaps(plan: Mapping[str, Any]) -> list[str]:
    """Gaps in a 5W2H order plan: missing fields first, then vague ones (a **heuristic**).

    Complete means all seven fields (:data:`FIVE_W_TWO_H`) are filled in. Specific (五化原则)
    means, as far as simple rules can tell: "when" holds a date or a day, "how much" holds a
    number, and "what" holds a quantity or a name of more than one word.

    Returns
    -------
    list of str
        One message per gap, each naming its field; empty when nothing is found.

    Examples
    --------
    >>> plan_gaps({"what": "120 gift boxes", "why": "staff gifts", "who": "Ms Chen (HR)",
    ...            "when": "soon", "where": "Hangzhou office", "how": "courier, invoice first"})
    ["Missing 'how much': How much: quantity and money (price, budget)?", "'when' is vague: give a date or a deadline."]
    """
    gaps = [f"Missing {field!r}: {FIVE_W_TWO_H[field]}" for field in missing_fields(plan, list(FIVE_W_TWO_H), "plan")]
    given = {_key(k): str(v) for k, v in plan.items()}
    if "when" in given and "when" not in missing_fields(plan, ["when"]) and not _HAS_DATE.search(given["when"]):
        gaps.append("'when' is vague: give a date or a deadline.")
    if "how much" in given and "how much" not in missing_fields(plan, ["how much"]) \
            and not _HAS_NUMBER.search(given["how much"]):
        gaps.append("'how much' has no number: give the quantity and the amount (CNY).")
    if "what" in given and "what" not in missing_fields(plan, ["what"]) \
            and not (_HAS_NUMBER.search(given["what"]) or len(given["what"].split()) > 1):
        gaps.append("'what' is too short to act on: name the item and the quantity.")
    return gaps
