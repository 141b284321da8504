"""Communication skills: Johari panes, question types, NVC observations and requests, 5W2H plans.

The functions here turn classroom exercises into checks a participant gets instant feedback from.
Two kinds live side by side, and the docstrings say which is which:

* **Definitions** (exact): :func:`johari_panes` places traits into the four panes of the Johari
  window (Luft and Ingham 1955) from a person's own selection and their colleagues' selections.
* **Heuristics** (rule-based, fallible): :func:`classify_question`, :func:`question_issues`,
  :func:`evaluative_words`, :func:`is_observation`, :func:`nvc_issues` and :func:`plan_gaps`
  look for words and patterns. Every free-text check starts with :func:`text_issues`, which
  rejects what no good answer contains: placeholders left in (:func:`placeholders`: "tbc",
  "???", "xxx", a lone "..."), a list of the check's own keywords instead of sentences
  (:func:`is_keyword_soup`), threats (:func:`threats`: "or else", "we will sue you"), sarcasm
  (:func:`sarcasm_cues`: "Thanks SO much, genius") and vague times (:func:`vague_times`: "soon",
  "asap", "Monday-ish"), each with a hint that names what it found. Then each check looks for
  its usual mistakes ("always", "never", labels such as "lazy", a message without a request, a
  plan without a date). They read English words, not meaning: a sentence can pass them and
  still be an evaluation, irony without a listed cue passes, and a good sentence can trip them
  (the tests hold a table of realistic good and bad answers they are held to). The workbook says
  so every time it uses them; the authoritative labels of the exercise items are the
  hand-labelled banks (:data:`QUESTION_BANK`, :data:`NVC_STATEMENTS`).

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
    "FEELING_WORDS",
    "FIVE_RULES",
    "FIVE_W_TWO_H",
    "FOUR_C_COMMUNICATION",
    "FRAMEWORK_WORDS",
    "JOHARI_PANES",
    "NVC_STATEMENTS",
    "QUESTION_BANK",
    "QUESTION_TYPES",
    "REPORT_4P",
    "STOPWORDS",
    "classify_question",
    "content_words",
    "evaluative_words",
    "is_keyword_soup",
    "is_observation",
    "is_placeholder",
    "johari_panes",
    "missing_fields",
    "nvc_issues",
    "placeholders",
    "plan_gaps",
    "question_issues",
    "sarcasm_cues",
    "text_issues",
    "threats",
    "vague_times",
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
# What every free-text check looks for first (heuristics)
# --------------------------------------------------------------------------------------------
# Each finder returns the offending phrases as written (in order, without repeats), so a hint can
# quote them; :func:`text_issues` turns them into one hint per kind of problem.

#: A whole answer that is only a stand-in for the real content.
_EMPTY = {"", "...", "…", "?", "-", "--", "—", "tbd", "tba", "tbc", "n/a", "na", "none", "unknown",
          "todo", "fixme", "xxx", "x", "待定", "待确认", "未定"}
# Stand-ins inside a text. "x" alone is left out ("120 x 198 CNY" multiplies); "na" too (a name).
_PLACEHOLDER = re.compile(
    r"(?<![\w/])(tbc|tbd|tba|todo|fixme|xx+|n/a|lorem ipsum|asdf\w*|qwerty|blah(?: blah)*|placeholder|"
    r"insert \w+(?: \w+)? here|(?:your|my) (?:text|answer|message|request|need|feeling|observation) here)(?![\w/])"
    r"|\?{3,}|(?:(?<=\s)|^)\?\?(?=\s|$)"
    r"|(?:(?<=\s)|^)(?:\.{3,}|…)(?=\s|$|[,;:)\]])|[(\[]\s*(?:\.{3,}|…)\s*[)\]]"
    r"|\[[^\]\d]{0,30}\]|<[^>\d]{0,30}>|\{[^}\d]{0,30}\}"
    r"|待定|待确认|未定",
    re.IGNORECASE,
)
# Future times that nobody can plan with. "as soon as <event>" is a trigger, not vague.
_VAGUE_TIME = re.compile(
    r"\b(a\.?s\.?a\.?p\b\.?|as soon as (?:possible|you can|we can|i can|you are able|practical|convenient)"
    r"|soon(?:er|ish)?(?!\s+as\b)|some ?time(?: (?:next|this|later this) (?:week|month))?"
    r"|(?:\d{1,2}(?::\d\d)?|noon|midday|morning|afternoon|evening|tonight|today|tomorrow|weekend|week|month|"
    r"lunch(?:time)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri)[- ]?ish"
    r"|at some point|in due course|shortly|eventually|whenever(?: (?:you|we|i) can)?|one of these days"
    r"|in the (?:near|coming) (?:future|days|weeks)|in a (?:few|couple of) (?:days|weeks)|in a while|before long"
    r"|any (?:day|time) now|when (?:you|we|i) (?:can|get a chance|have (?:a moment|time))"
    r"|at your (?:earliest )?convenience|when(?:ever)? possible|down the line)\b",
    re.IGNORECASE,
)
# "later" is vague on its own, not in "no later than" or "two days later" (a measured gap).
_LATER = re.compile(r"(?<!\bno )(?<!\bnot )(?<!days )(?<!day )(?<!weeks )(?<!week )(?<!hours )(?<!hour )"
                    r"(?<!minutes )(?<!minute )(?<!months )(?<!month )(?<!years )(?<!year )"
                    r"\blater(?: on)?\b(?! than)(?! today)(?! this (?:morning|afternoon|evening))", re.IGNORECASE)
_NEXT_PERIOD = re.compile(r"\b(?:early |late )?next (?:week|month)\b", re.IGNORECASE)
_DAY_OR_DATE = re.compile(r"\d|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|"
                          r"tonight|end of|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.IGNORECASE)
# What a threat promises to do to the reader if they do not comply.
_PUNISH = (r"(?:escalate|report|complain|cancel|sue|fire|make sure|take (?:this|it) (?:further|higher|to)|"
           r"tell (?:your|the) (?:boss|manager|director|supervisor)|go (?:to|over) (?:your|the) "
           r"(?:boss|manager|director|head)|post (?:it|this|a)|leave a (?:bad |negative )?review)\w*")
_THREAT = re.compile(
    r"\b(or else|(?:or|otherwise),? (?:(?:shall|should|will|do) )?(?:i|we)(?:'ll| will| shall| am going to| are going to)? ?"
    + _PUNISH +
    r"|if (?:you|your team|they) (?:don't|do not|can't|cannot|won't|will not|fail to)\b[^.?!]{0,80}?\b"
    r"(?:i|we)(?:'ll| will| shall| am going to| are going to)? ?" + _PUNISH +
    r"|(?:we|i)(?:'ll| will| shall| are going to| am going to)? sue\b|\bsue (?:you|your \w+)|lawyers?|legal action"
    r"|see you in court|you(?:'ll| will)(?: really)? (?:regret|be sorry|pay for)\w*"
    r"|(?:last|final) warning|(?:face the|there will be) consequences|don't make me|you(?:'ve| have) been warned"
    r"|watch yourself|(?:you(?:'ll| will) be|get(?:ting)?|have you) (?:fired|sacked))\b",
    re.IGNORECASE,
)
_SARCASM_PHRASE = re.compile(
    r"\b(genius|einstein|sherlock|smarty[- ]?pants|wise guy|hotshot|rocket scientist"
    r"|thanks for nothing|oh,? (?:great|wonderful|perfect|brilliant|lovely|fantastic|joy)|yeah,? right"
    r"|what a (?:surprise|shock|shocker)|surprise,? surprise|big surprise|how (?:nice|kind|lovely|thoughtful|"
    r"generous|professional) of (?:you|them|your \w+)|must be nice|slow clap|as if(?=[.!?]|$)"
    r"|i(?:'m| am) sure (?:you|your team|they)(?:'re| are)? (?:very |so |really )?busy)\b"
    r"|,\s*(?:champ|buddy|pal|sweetie|honey|darling|sunshine)\b|(?<!\w)/s\b|🙄|🙃|😒",
    re.IGNORECASE,
)
# Praise words that read as irony next to bad news in the same sentence.
_PRAISE = re.compile(r"\b(amazing|wonderful|fantastic|brilliant|excellent|superb|stellar|outstanding|terrific|"
                     r"marvell?ous|impressive|incredible|great (?:job|work|service)|nice (?:job|work|one)|"
                     r"good job|well done|bravo|congratulations|keep (?:it|up the good work) up|keep it up)\b",
                     re.IGNORECASE)
_BAD_NEWS = re.compile(r"\b(late|delay(?:ed|s)?|again|wrong|broken|lost|missing|damaged|never|ignored|waiting|"
                       r"still|failed|complaints?|another)\b", re.IGNORECASE)
# Emphasis in capitals that turns politeness into irony or shouting.
_CAPS_EMPHASIS = re.compile(r"\b(SO|SUCH|VERY|REALLY|TOTALLY|AMAZING|GREAT|WONDERFUL|FANTASTIC|BRILLIANT|"
                            r"PERFECT|THANKS|THANK YOU|LOVE|LOVELY|NICE|AWESOME|CLEARLY|OBVIOUSLY|SURELY)\b")
_SCARE_QUOTES = re.compile(r"[\"“'‘]\s*(express|fast|quick|next-day|premium|priority|customer service|service|"
                           r"support|help|helpful|guaranteed|24/7)\s*[\"”'’]", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
#: Words that carry no content of their own (articles, pronouns, auxiliaries, prepositions).
STOPWORDS: frozenset[str] = frozenset(
    "a an the and or but so of to in on at by for from with about into as is are was were be been am do does "
    "did have has had i me my we us our you your he she it its they them their this that these those there "
    "here not no yes if then than also just very too all any some one's i'm i'd i'll we'll you'll it's "
    "that's can could would will shall should may might must please let".split()
)
#: Feeling words the NVC check recognises (Rosenberg's lists are longer; these are the usual ones).
FEELING_WORDS: tuple[str, ...] = (
    "worried", "concerned", "anxious", "frustrated", "disappointed", "uneasy", "stressed", "upset", "sad",
    "confused", "embarrassed", "nervous", "discouraged", "pleased", "relieved", "grateful", "glad", "happy",
    "hopeful", "overwhelmed",
)
#: The vocabulary of the course's frameworks: a text made only of these (and stopwords) says nothing.
FRAMEWORK_WORDS: frozenset[str] = frozenset(
    "observation observations evaluation evaluations feeling feelings feel need needs value values request "
    "requests want wants because matters important nvc open closed probing question questions what why who "
    "when where how much many which answer message text ok okay fine thanks thank sorry".split()
) | frozenset(FEELING_WORDS)
_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday".split())
_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve twice once".split())


def _found(pattern: re.Pattern[str], text: str) -> list[str]:
    return list(dict.fromkeys(match.group(0).strip() for match in pattern.finditer(text)))


def _quoted(phrases: Sequence[str]) -> str:
    return ", ".join(repr(p) for p in phrases[:3])


def _require_text(text: Any, name: str) -> str:
    if not isinstance(text, str):
        raise InputError(f"{name} must be a string; got {type(text).__name__}.")
    return text


def is_placeholder(text: Any) -> bool:
    """True when the whole of ``text`` is a stand-in ("", "...", "TBC", "???", "xxx", "[date]").

    Examples
    --------
    >>> [is_placeholder(t) for t in ("TBC", " ??? ", "[date]", "Ms Chen", "Li Na")]
    [True, True, True, False, False]
    """
    if text is None or text is Ellipsis:
        return True
    value = str(text).strip()
    if value.casefold() in _EMPTY:
        return True
    rest = _PLACEHOLDER.sub(" ", value)
    return not re.search(r"[^\W_]", rest)


def placeholders(text: str) -> list[str]:
    """Stand-ins left in ``text`` ("tbc", "???", "TODO", "xxx", a lone "...", "[date]"): a heuristic.

    Examples
    --------
    >>> placeholders("On ??? we shipped XXX boxes; owner TBC.")
    ['???', 'XXX', 'TBC']
    >>> placeholders("120 x 198 CNY, delivered by Li Na... on Friday")
    []
    """
    text = _require_text(text, "text")
    if text.strip().casefold() in _EMPTY:
        return [text.strip() or "(empty)"]
    return _found(_PLACEHOLDER, text)


def vague_times(text: str) -> list[str]:
    """Times nobody can plan with: "soon", "asap", "sometime next week", "Monday-ish", "later".

    A day, a date or a deadline is specific; so is a trigger ("as soon as the parcel arrives"),
    "no later than Friday" and a measured gap ("two days later"). "next week" counts as vague
    only when its sentence names no day or date. A **heuristic**: it knows a list of phrases.

    Examples
    --------
    >>> vague_times("Could you fix it asap, or sometime next week? Monday-ish is fine.")
    ['asap', 'sometime next week', 'Monday-ish']
    >>> vague_times("Would you call me as soon as the parcel arrives, no later than Friday 12:00?")
    []
    """
    text = _require_text(text, "text")
    found = _found(_VAGUE_TIME, text) + _found(_LATER, text)
    for sentence in _SENTENCE_END.split(text):
        rest = _NEXT_PERIOD.sub(" ", sentence)
        if _NEXT_PERIOD.search(sentence) and not _DAY_OR_DATE.search(rest) and not _VAGUE_TIME.search(sentence):
            found += _found(_NEXT_PERIOD, sentence)
    return list(dict.fromkeys(found))


def threats(text: str) -> list[str]:
    """Threats in ``text`` ("or else", "we will sue you", "you'll regret it", "or I escalate"): a heuristic.

    Saying what will happen next is not a threat ("I will escalate this to the duty manager so you
    get an answer today"); making it the price of a refusal is.

    Examples
    --------
    >>> threats("Fix it by Friday, or I escalate to the director. You'll regret it.")
    ['or I escalate', "You'll regret"]
    >>> threats("I will escalate this to the duty manager so you get an answer today.")
    []
    """
    return _found(_THREAT, _require_text(text, "text"))


def sarcasm_cues(text: str) -> list[str]:
    """Signs of sarcasm: mock praise next to bad news, "genius", capitals for emphasis, scare quotes.

    A **heuristic** with a short list of cues: irony without a cue passes, and rare sincere uses
    ("a fantastic job on Monday, although two parcels were late") are flagged; read the text aloud.

    Examples
    --------
    >>> sarcasm_cues("Thanks SO much for your amazing patience, genius.")
    ['genius', 'SO']
    >>> sarcasm_cues("Great job shipping it late again!")
    ['Great job']
    >>> sarcasm_cues("Thank you for your quick reply yesterday.")
    []
    """
    text = _require_text(text, "text")
    found = _found(_SARCASM_PHRASE, text)
    found += [f"quotes around {match.group(1)}" for match in _SCARE_QUOTES.finditer(text)]
    for sentence in _SENTENCE_END.split(text):
        if _BAD_NEWS.search(sentence):
            found += _found(_PRAISE, sentence)
    found += _found(_CAPS_EMPHASIS, text)
    found = list(dict.fromkeys(found))
    # "Oh wonderful" and "wonderful" are one cue
    return [cue for cue in found if not any(cue != other and cue.casefold() in other.casefold() for other in found)]


def content_words(text: str, keywords: Iterable[str] = FRAMEWORK_WORDS) -> list[str]:
    """The words of ``text`` that are neither stopwords, framework words, days nor numbers.

    Examples
    --------
    >>> content_words("Observation: 3. Feeling: worried. Need: I need. Request: please.")
    []
    >>> content_words("On Monday 3 orders left late.")
    ['orders', 'left', 'late']
    """
    skip = STOPWORDS | frozenset(keywords) | _DAYS | _NUMBER_WORDS
    return [w for w in (t.casefold() for t in _TOKEN.findall(_require_text(text, "text"))) if w not in skip]


def is_keyword_soup(text: str, keywords: Iterable[str] = FRAMEWORK_WORDS, min_content: int = 4) -> bool:
    """True when ``text`` is a list of the check's keywords rather than sentences (a heuristic).

    Soup = fewer than ``min_content`` content words (see :func:`content_words`; feeling words,
    framework labels, days and numbers do not count), or content words outnumbered two to one by
    keywords.

    Parameters
    ----------
    text : str
        The answer.
    keywords : iterable of str
        The words the check itself looks for (lower case); they do not count as content.
    min_content : int
        The fewest content words a real answer of this kind has (4 for a message, 1 for a question).

    Examples
    --------
    >>> is_keyword_soup("observation feeling need request when I you")
    True
    >>> is_keyword_soup("On Monday 3 orders left late. I am worried, because I need dates we can keep.")
    False
    """
    words = [t.casefold() for t in _TOKEN.findall(_require_text(text, "text"))]
    keys = frozenset(keywords)
    content = content_words(text, keys)
    keyed = [w for w in words if w in keys]
    return len(content) < min_content or len(keyed) > 2 * len(content)


def text_issues(text: str, *, what: str = "message", keywords: Iterable[str] = FRAMEWORK_WORDS,
                min_content: int = 4, times: bool = True) -> list[str]:
    """Placeholders, keyword soup, threats, sarcasm and vague times in ``text``: one hint per kind.

    The first checks of every free-text exercise (a **heuristic**: it finds listed words and
    patterns, it does not understand the text).

    Parameters
    ----------
    text : str
        The answer.
    what : str
        What the text is ("message", "question"), used in the hints.
    keywords, min_content
        Passed to :func:`is_keyword_soup`.
    times : bool
        Whether to look for vague times.

    Returns
    -------
    list of str
        One hint per kind of problem found, each quoting what it found; empty when nothing is.

    Examples
    --------
    >>> for issue in text_issues("Please fix the packing of next-day orders soon, or else."):
    ...     print(issue)
    Threat: 'or else'. A threat makes the reader defend, not act: say what you need and ask for it.
    Vague time: 'soon'. Name a day, a date or a deadline.
    >>> text_issues("Would you send me the list of late orders by Friday 12:00?")
    []
    """
    text = _require_text(text, what)
    issues = []
    left = placeholders(text)
    if left:
        issues.append(f"Placeholder left in your {what}: {_quoted(left)}. Replace "
                      f"{'it' if len(left) == 1 else 'them'} with the real content.")
    if is_keyword_soup(text, keywords, min_content):
        issues.append(f"Your {what} reads as a list of keywords, not sentences: write it the way you would "
                      "send it, with what happened and what you ask for.")
    found = threats(text)
    if found:
        issues.append(f"Threat: {_quoted(found)}. A threat makes the reader defend, not act: say what you "
                      "need and ask for it.")
    found = sarcasm_cues(text)
    if found:
        issues.append(f"Sarcasm: {_quoted(found)}. In writing, irony reads as contempt: say plainly what "
                      "happened.")
    found = vague_times(text) if times else []
    if found:
        issues.append(f"Vague time: {_quoted(found)}. Name a day, a date or a deadline.")
    return issues


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
    context, which decide in real conversations, are invisible to it. It classifies; whether the
    question is fit to ask is :func:`question_issues`' job.

    Raises
    ------
    InputError
        When ``question`` is not a string, is empty or is only a placeholder ("tbc", "???").

    Examples
    --------
    >>> classify_question("Did the parcel arrive?")
    'closed'
    >>> classify_question("How did you use the charger?")
    'open'
    >>> classify_question("You said it was cold. What exactly was cold?")
    'probing'
    >>> classify_question("TBC")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: question is only a placeholder ('TBC'): write the question you would ask.
    """
    if not isinstance(question, str) or not question.strip():
        raise InputError(f"question must be a non-empty string; got {question!r}.")
    text = question.strip()
    if is_placeholder(text):
        raise InputError(f"question is only a placeholder ({text!r}): write the question you would ask.")
    if _PROBING.search(text):
        return "probing"
    if _OPEN_REQUEST.search(text):
        return "open"
    if _CLOSED_START.search(text):
        return "closed"
    if _OPEN_START.search(text):
        return "open"
    return "closed"


#: Words a question about a question type is made of; on their own they ask nothing.
_QUESTION_WORDS = FRAMEWORK_WORDS | frozenset("tell more example exactly else mentioned said say walk "
                                              "through describe explain".split())


def question_issues(question: str, kind: str | None = None) -> list[str]:
    """What a **rule-based heuristic** finds wrong with a question an agent wants to ask a customer.

    Checks, one hint each: a placeholder ("tbc", "???"), a list of keywords instead of a question
    ("open closed probing what how"), a threat, sarcasm, a vague time (a closed question is
    often the one that confirms a time), and, when ``kind`` is given, whether
    :func:`classify_question` reads it as that kind. An empty list means the heuristic found
    nothing; whether the question helps the customer is for the role-play to show.

    Parameters
    ----------
    question : str
        The question as the agent would ask it.
    kind : {"open", "closed", "probing"}, optional
        The type the question is meant to be.

    Returns
    -------
    list of str
        One hint per problem found; empty when nothing is.

    Examples
    --------
    >>> question_issues("What happened when you first filled the water tank?", "open")
    []
    >>> question_issues("Did you even read the manual, genius?", "closed")
    ["Sarcasm: 'genius'. In writing, irony reads as contempt: say plainly what happened."]
    >>> print(*question_issues("Did the machine leak while brewing?", "open"))
    This reads as a closed question (it invites a yes/no or a short fact); an open one invites the customer's story (what, how, walk me through).
    """
    if not isinstance(question, str) or not question.strip():
        raise InputError(f"question must be a non-empty string; got {question!r}.")
    if kind is not None and kind not in QUESTION_TYPES:
        raise InputError(f"kind must be one of {', '.join(QUESTION_TYPES)}; got {kind!r}.")
    if is_placeholder(question):
        return [f"Placeholder left in your question: {question.strip()!r}. Write the question you would ask."]
    issues = text_issues(question, what="question", keywords=_QUESTION_WORDS, min_content=1)
    if kind is not None and not any(issue.startswith(("Placeholder", "Your question reads")) for issue in issues):
        found = classify_question(question)
        if found != kind:
            issues.append(f"This reads as {_QUESTION_READS[found]}; {_QUESTION_WANTS[kind]}.")
    return issues


_QUESTION_READS = {
    "open": "an open question (it invites a story)",
    "closed": "a closed question (it invites a yes/no or a short fact)",
    "probing": "a probing question (it digs into something the customer said)",
}
_QUESTION_WANTS = {
    "open": "an open one invites the customer's story (what, how, walk me through)",
    "closed": "a closed one confirms one fact, a yes/no or a fixed choice",
    "probing": "a probing one picks up what the customer said ('you mentioned ...', 'when you say ...') and "
               "asks for more",
}


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
_FEELINGS = re.compile(r"\b(" + "|".join(FEELING_WORDS) + r")\b", re.IGNORECASE)
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
    """True when the **heuristic** finds nothing in ``statement`` that a camera could not record.

    Not an observation: absolute or judging words (:func:`evaluative_words`), sarcasm, a threat,
    a vague time ("soon") or a placeholder. A statement that passes can still be an evaluation
    ("You seem unhappy with us"); the lists catch the usual ones, not all.

    Examples
    --------
    >>> is_observation("The refund took twelve days.")
    True
    >>> is_observation("You always complain.")
    False
    >>> is_observation("Thanks SO much for the quick refund, genius.")
    False
    """
    if not isinstance(statement, str):
        raise InputError(f"statement must be a string; got {type(statement).__name__}.")
    return not (evaluative_words(statement) or sarcasm_cues(statement) or threats(statement)
                or vague_times(statement) or is_placeholder(statement) or placeholders(statement))


def _has_object(pattern: re.Pattern[str], message: str) -> bool:
    """Some match of ``pattern`` is followed, in its sentence, by a word that says something."""
    for match in pattern.finditer(message):
        rest = _SENTENCE_END.split(message[match.end():], maxsplit=1)[0]
        if content_words(rest, _REQUEST_WORDS):
            return True
    return False


# Words of the request and need phrases themselves: "Would you please?" asks for nothing.
_REQUEST_WORDS = frozenset("would could can will you we please willing possible like need value want "
                           "because important matters".split())
_NUMBER_OR_DAY = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twice|once|monday|tuesday|"
                            r"wednesday|thursday|friday|saturday|sunday|yesterday|today)\b", re.IGNORECASE)


def nvc_issues(message: str) -> list[str]:
    """What a **rule-based heuristic** finds missing or off in a four-part NVC message.

    Checks, one hint each: a placeholder left in ("tbc", "???", "xxx", a lone "..."); a list of
    keywords instead of sentences ("observation feeling need request"); a threat ("or else",
    "or I escalate"); sarcasm ("Thanks SO much, genius"); a vague time ("soon", "asap",
    "Monday-ish"); judging or absolute words (they make the observation an evaluation); no
    number or date in the observation; no feeling word, or a thought dressed as a feeling ("I
    feel that you..."); no need, or a need with nothing after it ("because I need."); no request,
    a request that asks for nothing ("Would you?"), or one phrased as what *not* to do.

    It looks for words and patterns in English, it does not understand the message: an empty list
    means the heuristic found nothing, not that the message is good. Read it aloud as well.

    Examples
    --------
    >>> nvc_issues("You never deliver on time and your team is useless.")[0]
    "Evaluative words: 'never', 'useless'. Describe what happened, as a camera would record it."
    >>> nvc_issues("Three of the last ten parcels left the warehouse after the promised day. "
    ...            "I am worried, because I need to give customers dates they can trust. "
    ...            "Would you tell me by Friday which orders are at risk this week?")
    []
    >>> nvc_issues("observation feeling need request when I you")[0]
    'Your message reads as a list of keywords, not sentences: write it the way you would send it, with what happened and what you ask for.'
    """
    if not isinstance(message, str) or not message.strip():
        raise InputError(f"message must be a non-empty string; got {message!r}.")
    issues = text_issues(message, what="message")
    judged = evaluative_words(message)
    if judged:
        issues.append(f"Evaluative words: {', '.join(repr(w) for w in dict.fromkeys(judged))}. "
                      "Describe what happened, as a camera would record it.")
    if not _NUMBER_OR_DAY.search(message):
        issues.append("No number, date or day in the observation: say what happened, how often and when.")
    if _PSEUDO_FEELING.search(message):
        issues.append("'I feel that/like/you...' states a thought or a judgement, not a feeling. "
                      "Name the feeling itself: worried, frustrated, relieved...")
    elif not _FEELINGS.search(message):
        issues.append("No feeling: say how you feel about it (worried, frustrated, concerned...).")
    if not _NEEDS.search(message):
        issues.append("No need: say what matters to you, e.g. 'because I need ...' or 'because I value ...'.")
    elif not _has_object(_NEEDS, message):
        issues.append("Your need names nothing: say WHAT you need or value (reliable dates, a call back...).")
    if not _REQUEST.search(message):
        issues.append("No request: end with a concrete, doable request, e.g. 'Would you ... by Friday?'.")
    elif not _has_object(_REQUEST, message):
        issues.append("Your request asks for nothing: say what you would like the other person to do, and by when.")
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
_HAS_NUMBER = re.compile(r"\d")
# A date, a day or a deadline: "2026-02-06", "6/2", "6 Feb", "Friday", "tomorrow", "within 3 days", "2月6日".
_HAS_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\b\d{1,2}[./]\d{1,2}\b|\d{1,2}\s*月|\d{1,2}\s*日|"
                       r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
                       r"\b\d{1,2}(st|nd|rd|th)?\s+(of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|"
                       r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|tonight)\b|"
                       r"\b(within|in)\s+\d+\s+(working\s+|business\s+)?(hours?|days?|weeks?)\b", re.IGNORECASE)


def _key(name: Any) -> str:
    return re.sub(r"[\s_\-]+", " ", str(name)).strip().casefold()


def missing_fields(record: Any, fields: Sequence[str], name: str = "record") -> list[str]:
    """The ``fields`` that ``record`` lacks or leaves empty ("", "...", "TBD", "tbc", "???", "xxx").

    Keys are matched ignoring case, spaces, underscores and hyphens ("How_much" = "how much").

    Examples
    --------
    >>> missing_fields({"What": "120 gift boxes", "when": "TBD"}, ["what", "when", "where"])
    ['when', 'where']
    >>> missing_fields({"position": "Li Wei, order desk", "problem": "???"}, ["position", "problem"])
    ['problem']
    """
    if not isinstance(record, Mapping):
        raise InputError(f"{name} must be a dict (field -> text); got {type(record).__name__}.")
    given = {_key(k): v for k, v in record.items()}
    return [f for f in fields if _key(f) not in given or is_placeholder(given[_key(f)])]


#: Owners nobody can call: 责任化 asks for one named person.
_VAGUE_OWNER = re.compile(r"\b(someone|somebody|anyone|anybody|whoever|whoever is free|a colleague|"
                          r"the team|staff)\b", re.IGNORECASE)
_FIELD_WORDS = frozenset(" ".join(FIVE_W_TWO_H).split()) | frozenset("field fields 5w2h plan".split())


def plan_gaps(plan: Mapping[str, Any]) -> list[str]:
    """Gaps in a 5W2H order plan: missing fields first, then vague ones (a **heuristic**).

    Complete means all seven fields (:data:`FIVE_W_TWO_H`) are filled in; a field that is only a
    placeholder ("TBC", "???", "...") is missing. Specific (五化原则) means, as far as simple rules
    can tell: no placeholder left inside a field ("120 x ??? CNY"); no field that only repeats
    field names ("why": "why"); no threat or sarcasm anywhere; no vague time anywhere ("soon",
    "asap", "Monday-ish", "sometime next week"); "when" holds a date or a day; "who" names a
    person, not "someone"; "how much" holds a number; and "what" holds a quantity or a name of
    more than one word. Whether the content is TRUE (the right date, the right price) no rule can
    tell: compare it with the call notes.

    Returns
    -------
    list of str
        One message per gap, each naming its field; empty when nothing is found.

    Examples
    --------
    >>> plan_gaps({"what": "120 gift boxes", "why": "staff gifts", "who": "Ms Chen (HR)",
    ...            "when": "soon", "where": "Hangzhou office", "how": "courier, invoice first"})
    ["Missing 'how much': How much: quantity and money (price, budget)?", "'when' is vague ('soon'): give a date or a deadline."]
    """
    missing = missing_fields(plan, list(FIVE_W_TWO_H), "plan")
    gaps = [f"Missing {field!r}: {FIVE_W_TWO_H[field]}" for field in missing]
    given = {_key(k): str(v) for k, v in plan.items() if _key(k) in FIVE_W_TWO_H and _key(k) not in missing}
    for field, text in given.items():
        left = placeholders(text)
        if left:
            gaps.append(f"{field!r} still has a placeholder ({_quoted(left)}): fill in the real value.")
        elif not content_words(text, _FIELD_WORDS) and not (field == "when" and _HAS_DATE.search(text)):
            kind = "is only a number" if _HAS_NUMBER.search(text) else "only repeats field names"
            gaps.append(f"{field!r} {kind}: answer the question {FIVE_W_TWO_H[field]!r}")
        found = threats(text) + sarcasm_cues(text)
        if found:
            gaps.append(f"{field!r} has a threat or sarcasm ({_quoted(found)}): a plan states facts the next "
                        "team can act on.")
        vague = vague_times(text)
        if vague:
            gaps.append(f"{field!r} is vague ({_quoted(vague)}): give a date or a deadline.")
        elif field == "when" and not _HAS_DATE.search(text):
            gaps.append("'when' is vague: give a date or a deadline.")
    owner = _VAGUE_OWNER.search(given.get("who", ""))
    if owner:
        gaps.append(f"'who' names no person ({owner.group(0)!r}): give the customer contact and our owner by name.")
    if "how much" in given and not _HAS_NUMBER.search(given["how much"]):
        gaps.append("'how much' has no number: give the quantity and the amount (CNY).")
    if "what" in given and not (_HAS_NUMBER.search(given["what"]) or len(given["what"].split()) > 1):
        gaps.append("'what' is too short to act on: name the item and the quantity.")
    return gaps
