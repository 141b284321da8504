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
  plan without a date). They read words, not meaning: a sentence can pass them and
  still be an evaluation, irony without a listed cue passes, and a good sentence can trip them
  (the tests hold a table of realistic good and bad answers they are held to). The workbook says
  so every time it uses them; the authoritative labels of the exercise items are the
  hand-labelled banks (:data:`QUESTION_BANK`, :data:`NVC_STATEMENTS`).

Two rule sets
-------------
The rules are chosen by the script of the text, not by the edition: a text with Chinese characters
is read with the **Chinese rules** (:func:`is_chinese`), any other text with the English ones, so a
participant of either edition may answer in either language. The Chinese rules read characters and
phrases (Chinese has no spaces between words), the way Chinese participants write: closed questions
end in 吗 or ask 是不是 / 有没有 / 能不能 / 是否, or offer a choice with 还是; open questions ask with
什么 / 怎么 / 为什么 / 哪些 / 哪里 / 多少 / 如何 / 什么时候 (Chinese trainings count every such
question word as open, "您看什么时候方便？" included); probing questions pick up what the customer
said (您刚才提到 / 您说的 / 具体 / 举个例子 / 后来呢). Evaluations use 总是 / 老是 / 从来 / 每次都 or
labels (太不负责, 态度差, 粗心); feelings are 担心 / 着急 / 失望 ...; needs 因为我需要 / 对我们很重要;
requests 能不能请您 / 麻烦您 / 您看能否; vague times 尽快 / 过几天 / 有空的时候 / 周一左右. The tests
(``tests/test_communication_zh.py``) hold a corpus of answers written the way Chinese participants
write them and measure the rules on it. Hints are in the language of the edition, whatever the
language of the answer.

Course-specific frameworks without a standard published definition (4C沟通法, 五化原则,
4P汇报法) are defined in :data:`FOUR_C_COMMUNICATION`, :data:`FIVE_RULES` and
:data:`REPORT_4P` as the course's own definitions. These and the hand-labelled banks are shown in
the language in force when they are read (``from cvmlib.communication import QUESTION_BANK`` in
the Chinese edition gives the Chinese questions, with the same labels).

Bad input (a trait that is not on the list, a selection that is not a list of strings, an
unknown question type, a plan that is not a mapping) raises :class:`~cvmlib.validate.InputError`
naming the argument and the offending values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from cvmlib.i18n import N_, _, get_language
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
    "ZH_ABSOLUTE_WORDS",
    "ZH_FEELING_WORDS",
    "ZH_JUDGEMENT_WORDS",
    "classify_question",
    "content_words",
    "evaluative_words",
    "is_chinese",
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
# Texts shown in the language in force
# --------------------------------------------------------------------------------------------
# The course definitions and the hand-labelled banks are English messages here; reading one of
# the public names (module ``__getattr__`` at the end) gives them in the language in force, with
# the same keys and labels. The rules of this module read the English originals below.

#: 4C沟通法 as this course defines it: four qualities of every message to a customer or colleague.
FOUR_C_COMMUNICATION: dict[str, str]
_FOUR_C_COMMUNICATION: dict[str, str] = {
    N_("Clear (清晰)"): N_("One message, in the customer's words, with no internal jargon or codes."),
    N_("Concise (简洁)"): N_("The answer first, then the reason; no more than the customer needs to act."),
    N_("Correct (准确)"): N_("Facts checked (order number, dates, amounts) before they are said."),
    N_("Courteous (礼貌)"): N_("Respectful in words AND in tone; no blame on the customer or on colleagues."),
}
#: 五化原则 as this course defines it: five rules that make a plan or a report actionable.
FIVE_RULES: dict[str, str]
_FIVE_RULES: dict[str, str] = {
    N_("具体化 (specific)"): N_("Name the item, the order, the person: no 'some', 'soon', 'the usual'."),
    N_("数量化 (quantified)"): N_("Quantities, amounts and targets as numbers."),
    N_("时限化 (time-bound)"): N_("A date or a deadline for every step."),
    N_("责任化 (owned)"): N_("One named owner per step."),
    N_("书面化 (written)"): N_("Written down and confirmed with the customer or the next team."),
}
#: 4P汇报法 as this course defines it: the four parts of an escalation report, in order.
REPORT_4P: dict[str, str]
_REPORT_4P: dict[str, str] = {
    "position": N_("Position (立场/背景): who reports, about which customer and order, and why it reaches you now."),
    "problem": N_("Problem (问题): the facts, as observations with numbers and dates; the impact so far."),
    "possibility": N_("Possibility (可能方案): two or three options, each with its cost and risk."),
    "proposal": N_("Proposal (建议): the option you recommend and the decision you need, by when."),
}

# --------------------------------------------------------------------------------------------
# Johari window
# --------------------------------------------------------------------------------------------
#: The four panes: known to self and others, to others only, to self only, to neither.
JOHARI_PANES: tuple[str, str, str, str] = ("open", "blind", "hidden", "unknown")


def _selection(values: Any, name: str, traits: Sequence[str]) -> set[str]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InputError(_("{name} must be a list of traits (strings); got {type}.").format(
            name=name, type=type(values).__name__))
    chosen = list(values)
    not_text = [v for v in chosen if not isinstance(v, str)]
    if not_text:
        raise InputError(_("{name} must hold trait names (strings); offending values: {values}.").format(
            name=name, values=not_text[:5]))
    unknown = [v for v in chosen if v not in traits]
    if unknown:
        raise InputError(_("{name} has {n} trait(s) not on the list: {values}. Choose from: {traits}.").format(
            name=name, n=len(unknown), values=unknown[:5], traits=_listed(traits)))
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
        raise InputError(_("traits must be a list of distinct trait names; got {traits}.").format(traits=repr(traits)))
    mine = _selection(self_selected, "self_selected", traits)
    if isinstance(others_selected, str) or not isinstance(others_selected, Sequence):
        raise InputError(_("others_selected must be a list with one selection (a list of traits) per colleague."))
    theirs = [_selection(sel, f"others_selected[{i}]", traits) for i, sel in enumerate(others_selected)]
    if isinstance(min_votes, bool) or not isinstance(min_votes, int) or min_votes < 1:
        raise InputError(_("min_votes must be a positive whole number; got {value}.").format(value=repr(min_votes)))
    if theirs and min_votes > len(theirs):
        raise InputError(_("min_votes={min_votes} is more than the {n} colleagues who chose: "
                           "no trait could ever be known to others.").format(min_votes=min_votes, n=len(theirs)))
    panes: dict[str, list[str]] = {pane: [] for pane in JOHARI_PANES}
    for trait in traits:
        known_to_others = sum(trait in sel for sel in theirs) >= min_votes
        known_to_self = trait in mine
        pane = ("open" if known_to_self else "blind") if known_to_others else ("hidden" if known_to_self else "unknown")
        panes[pane].append(trait)
    return panes


# --------------------------------------------------------------------------------------------
# Which rules: the script of the text
# --------------------------------------------------------------------------------------------
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = re.compile(f"[{_HAN}]")


def is_chinese(text: str) -> bool:
    """True when ``text`` holds Chinese characters: the checks then read it with the Chinese rules.

    >>> is_chinese("您看什么时候方便？"), is_chinese("When would suit you?"), is_chinese("订单 O123 on Friday")
    (True, False, True)
    """
    return bool(_CJK.search(text))


def _zh_shown() -> bool:
    return get_language() == "zh"


def _listed(items: Iterable[Any]) -> str:
    """Items joined the way the edition lists them: ``a, b`` or ``a、b``."""
    return ("、" if _zh_shown() else ", ").join(map(str, items))


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

# --- the Chinese rules ------------------------------------------------------------------------
# Chinese has no spaces: the rules match characters and phrases. Latin stand-ins that Chinese
# business writing uses as they are ("TBC", "XXX", "asap") are matched between non-Latin letters.
_ZH_EMPTY = {"无", "暂无", "没有", "不详", "未知", "待补充", "待填", "待填写", "待核实", "待查", "略", "空", "某某",
             "——", "……", "…", "？", "？？", "？？？", "。。。", "××", "xx"}
_ZH_PLACEHOLDER = re.compile(
    r"(?<![A-Za-z0-9/])(?:tbc|tbd|tba|todo|fixme|xx+|n/a|asdf[a-z]*|qwerty|placeholder|lorem ipsum)(?![A-Za-z0-9/])"
    r"|[×Ｘｘ]{2,}"
    r"|[?？]{3,}|(?:(?<=[\s：:，,、；;（(])|^)[?？]{2}(?=[\s，,。.；;）)]|$)"
    r"|(?:(?<=[\s：:，,、；;（(【\[])|^)(?:\.{3,}|…+|。{3,})"
    r"|(?:\.{3,}|…+)(?=[个张单件盒次天元位号点月日年份套台箱笔人])"
    r"|\[[^\]\d]{0,30}\]|<[^>\d]{0,30}>|\{[^}\d]{0,30}\}|［[^］\d]{0,30}］|｛[^｝\d]{0,30}｝|〈[^〉\d]{0,30}〉"
    r"|【[^】\d]{0,10}(?:日期|时间|数量|金额|姓名|名字|人名|需要|需求|请求|感受|观察|地址|地点|电话|编号|单号|内容|填|待|XX|xx|…)"
    r"[^】\d]{0,10}】"
    r"|_{3,}|＿{2,}|(?<![A-Za-z])[XxＸｘ×](?=[年月日号点时])"
    r"|待定|待确认|未定|待补充|待填写?|待核实|某某|(?:此处|这里|在此)填写?|请填写|填写(?:日期|时间|数量|金额|内容|姓名)",
    re.IGNORECASE,
)
# Times nobody can plan with. "马上" and "立刻" promise no time but are not vague about it; a question
# that asks for a time ("您看什么时候方便？", "您哪天有空？") is not vague either.
_ZH_VAGUE_TIME = re.compile(
    r"尽快|尽早|越快越好|抓紧(?:时间|处理|办|弄|解决)|(?<![A-Za-z])asap(?![A-Za-z])"
    r"|早(?:点|些)(?:给|回|处理|发|安排|解决|联系|答复|回复|搞定|弄)"
    r"|(?<!了)过(?:几|两|一段|些)(?:天|日子|时间)|过段时间|过一阵子?|等一阵子?|抽(?:个)?时间|改天|改日"
    r"|回头(?=我|再|给|让|咱|您|你|把|跟|和|联系|发|打|处理)|等(?:一)?会儿|一会儿再|这两天就|等(?:有空|有时间|忙完)"
    r"|有空(?:的时候|时|再)|有时间(?:的时候|时|再)|方便的时候|方便时|得空|抽空|找(?:个)?时间|找机会"
    r"|近期|近日|随后|稍后|晚(?:点|些)(?:时候|再|给|回|联系|处理|发|打)|晚些时候"
    r"|(?<![一二三四五六日天\d号])(?:以后|之后)再|某天|某个时间|迟早|早晚|看情况|再说(?=[。！!，,；;？?]|$)"
    r"|(?:周|星期|礼拜)[一二三四五六日天](?:左右|前后)|(?:月底|月初|月中|下周|下个?月|本周|这周)(?:左右|前后)"
    r"|\d{1,2}(?:[:：]\d\d)?点?(?:左右|前后)",
    re.IGNORECASE,
)
_ZH_NEXT_PERIOD = re.compile(r"下个?(?:周|星期|礼拜)(?![一二三四五六日天])|下个?月(?![\d一二三四五六七八九十]+[日号])")
_ZH_DAY_OR_DATE = re.compile(r"\d|(?:周|星期|礼拜)[一二三四五六日天]|[一二三四五六七八九十]+[日号]|今天|明天|后天|今晚|明早"
                             r"|月底|月初|月中|上旬|中旬|下旬")
# What a threat promises to do to the reader if they do not comply.
_ZH_PUNISH = (r"(?:投诉|上报|举报|曝光|起诉|(?<![报转忠广警公预通劝])告(?:你|到|她|他)|报警|升级|追究|(?:给(?:你们?)?)?差评"
              r"|发(?:到)?(?:网上|微博|朋友圈|抖音|小红书)|打12315|找(?:你们?的?)?(?:领导|经理|老板|总监|主管|上级|总部|行长|店长|负责人|媒体|记者|消协)"
              r"|向(?:你们?的?)?(?:领导|经理|老板|总监|主管|上级|总部)(?:反映|投诉)|(?:让|叫)你(?:们)?(?:好看|下岗|丢(?:掉)?饭碗|卷铺盖)"
              r"|开除你|炒(?:了)?你|(?:天天)?(?:来|去)闹|闹到|扣(?:你们?的?)?(?:工资|奖金|绩效)"
              r"|(?:去|到|向)?(?:12315|消协|消费者协会|工商|市场监管局?|银保监会?|金融监管局?|媒体|网上)(?:投诉|举报|曝光|反映))")
_ZH_THEN = r"(?:就|会|将|只好|只能|要|马上|立刻|直接|一定|去|只能去|就去|会去|要去)*"
_ZH_THREAT = re.compile(
    r"(?:否则|不然|要不然|要不|再不[^。！？!?]{0,8}?的话)[，,\s]*(?:我|我们)?" + _ZH_THEN + _ZH_PUNISH +
    r"|[^。！？!?，,]{0,20}?(?:还不|再不|还没|不|没)[^。！？!?，,]{0,20}?[，,]\s*(?:我|我们)就" + _ZH_THEN + _ZH_PUNISH
    + r"(?![^。！？!?，,]{0,8}了)" +  # "……没到货，我们就上报给了主管": what was done, not a threat
    r"|(?:如果|要是|假如|万一|如若|倘若)(?:你|你们|您|仓库|对方|他们)?[^。！？!?]{0,30}?(?:不|没|做不到|办不到)[^。！？!?]{0,30}?(?:我|我们)" + _ZH_THEN
    + _ZH_PUNISH +
    r"|走着瞧|后果自负|你(?:们)?等着|给我等着|最后一次警告|最后通牒|别怪我(?:们)?不客气|法庭上见|法院见|律师函|找律师|请律师"
    r"|起诉(?:你|你们)|(?<![报转忠广警公预通劝])告你|(?:我|我们)(?:就|会|要|将)*(?:起诉|告)(?:她|他|你)|你(?:们)?会后悔|有你(?:们)?好看|吃不了兜着走|炒你鱿鱼|法律手段|法律途径"
)
_ZH_SARCASM_PHRASE = re.compile(
    r"(?<![天\d一二三四五六七八九十两几前后当每今明昨半整白这那哪第])天才|大聪明|聪明绝顶|真有你的|你可真行|真行啊|好厉害哦|厉害了我的|佩服佩服|服了你|我服了|呵呵|谢谢你全家|真是谢谢了"
    r"|托你们的福|一如既往地|果然又|不出所料|意料之中|真是惊喜|好大的惊喜|您可真忙|贵人事忙|大忙人|大神|所谓的|🙄|🙃|😒"
)
_ZH_PRAISE = re.compile(r"太棒了|真棒|好棒|干得漂亮|干得好|做得好|真厉害|效率真高|效率太高|真高效|真专业|太专业了|真贴心|好样的"
                        r"|了不起|真给力|太给力|点赞|服务真好|服务太好了|太感谢|多亏了?你们")
_ZH_BAD_NEWS = re.compile(r"又|迟|晚|延误|慢|错|坏|破|丢|少发|漏|没到|没收到|还没|等了|投诉|再次|第[二三四五六七八九十\d]+次|不见")
# Good news that names a failure: "零差错", "没有延误".
_ZH_GOOD_NEWS = re.compile(r"零(?:差错|失误|投诉|延误|错发|漏发)|没有?(?:出错|延误|投诉|晚|迟到|漏发|错发)|一次都没(?:错|晚)")
_ZH_SCARE_QUOTES = re.compile(r"[“\"「『‘']\s*(极速|神速|快速|次日达|当日达|隔日达|专业|优质|贴心|暖心|周到|客服|服务|售后|保证|承诺"
                              r"|24小时|加急|特快|高效|准时|闪电|用心)\s*[”\"」』’']")
_ZH_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
_ZH_NUMBER_OR_DAY = re.compile(
    r"\d|一个(?=月|小时|星期|礼拜|工作日)|(?:[二两三四五六七八九十百千万半]|一(?!个))[一二两三四五六七八九十百千万半]*"
    r"(?:个|次|张|单|件|位|天|周|小时|分钟|个月|年|号|日|笔|盒|箱|元|块|遍|趟|回|份|台|套|名|家|条|批|成|倍)|(?:周|星期|礼拜)[一二三四五六日天]|昨天|今天|前天|上周|本周|这周|上个?月|本月|这个月|今年|去年|上午|下午"
    r"|早上|晚上|中午|凌晨|月初|月底")
_ZH_UNITS = r"个|次|张|单|件|位|天|周|小时|分钟|个月|年|月|日|号|点|时|分|秒|笔|盒|箱|元|块|遍|趟|回|份|台|套|名|家|条|批|成|倍|%"
# A count or a time to take out of a text before its content is measured.
_ZH_COUNT_OR_DAY = re.compile(r"\d+(?:[.,:：/-]\d+)*\s*(?:" + _ZH_UNITS + r")?|[一二两三四五六七八九十百千万半]+(?:" + _ZH_UNITS
                              + r")|(?:周|星期|礼拜)[一二三四五六日天]|昨天|今天|明天|后天|前天|上周|本周|这周|下周|上个?月|本月"
                              r"|下个?月|今年|去年|上午|下午|早上|晚上|中午|凌晨|月初|月底")
#: Characters and phrases that carry no content of their own (pronouns, particles, auxiliaries).
_ZH_STOP_CHARS = frozenset("我你您他她它们的了吗呢吧啊呀哦嗯是在有和与及或就都也很太还又再才把被让给对向从到于为这那个些一之而且但并着过"
                           "地得么嘛啦请不没")
_ZH_STOP_PHRASES = ("因为", "所以", "但是", "如果", "可以", "能够", "能不能", "可不可以", "是否", "麻烦", "希望", "觉得", "感觉",
                    "感到", "非常", "特别", "比较", "一下", "一些", "这个", "那个", "已经", "然后", "以及", "或者", "并且", "而且",
                    "其实", "真的", "谢谢", "感谢", "好的", "没有", "不是", "一定", "可能", "应该", "需要")
#: Feeling words the Chinese NVC check recognises (the usual ones of Chinese NVC trainings).
ZH_FEELING_WORDS: tuple[str, ...] = (
    "担心", "担忧", "忧虑", "着急", "焦急", "心急", "焦虑", "不安", "忐忑", "紧张", "失望", "沮丧", "灰心", "气馁", "难过",
    "伤心", "委屈", "烦躁", "烦恼", "苦恼", "郁闷", "困惑", "疑惑", "纳闷", "尴尬", "无奈", "无助", "为难", "发愁", "犯愁",
    "揪心", "不踏实", "没底", "有压力", "压力很大", "压力大", "生气", "恼火", "愤怒", "不满", "不开心", "不高兴", "不舒服",
    "难受", "害怕", "吃惊", "惊讶", "震惊", "疲惫", "挫败", "高兴", "开心", "欣慰", "放心", "安心", "踏实", "感激", "庆幸",
    "期待", "兴奋", "满意", "松了一口气", "松口气", "感动", "惭愧", "内疚", "遗憾", "心疼", "头疼", "头痛",
)
#: The vocabulary of the frameworks in Chinese: a text made only of these says nothing.
_ZH_FRAMEWORK_WORDS: tuple[str, ...] = (
    "非暴力沟通", "观察", "评论", "评价", "评判", "感受", "需要", "需求", "请求", "要求", "开放式", "封闭式", "探询式",
    "开放", "封闭", "探询", "追问", "提问", "什么时候", "为什么", "什么", "怎么", "如何", "哪里", "多少", "哪些",
    "谁", "何时", "回答", "消息", "信息", "抱歉", "对不起", "重要", "在意", "看重", "重视", "时间",
) + ZH_FEELING_WORDS
#: The question check's own words (question types and question words): a question made of them asks nothing.
_ZH_QUESTION_WORDS: tuple[str, ...] = (
    "开放式", "封闭式", "探询式", "开放", "封闭", "探询", "追问", "提问", "什么时候", "为什么", "什么", "怎么", "如何",
    "哪里", "多少", "哪些", "谁", "何时", "告诉", "更多", "例子", "具体", "还有", "别的", "提到", "说过", "说说", "讲讲",
    "描述", "解释", "介绍",
)


def _zh_keywords_for(keywords: Iterable[str]) -> tuple[str, ...]:
    """The Chinese keywords of a check given its English ones: the Chinese list of the same check (the
    question words for :func:`question_issues`, the field names for :func:`plan_gaps`, else the
    framework words) plus any Chinese words the caller gave, longest first."""
    keys = frozenset(keywords)
    default = (_ZH_QUESTION_WORDS if keys >= _QUESTION_WORDS else _ZH_FIELD_WORDS if keys >= _FIELD_WORDS
               else _ZH_FRAMEWORK_WORDS)
    given = tuple(word for word in keys if _CJK.search(word))
    return tuple(sorted(set(default + given), key=len, reverse=True))


def _found(pattern: re.Pattern[str], text: str) -> list[str]:
    return list(dict.fromkeys(match.group(0).strip() for match in pattern.finditer(text)))


def _quoted(phrases: Sequence[str], limit: int | None = 3) -> str:
    """Phrases as a hint quotes them: ``'soon', 'asap'`` in English, ``“尽快”、“过几天”`` in Chinese."""
    shown = phrases if limit is None else phrases[:limit]
    if _zh_shown():
        return "、".join(f"“{p}”" for p in shown)
    return ", ".join(repr(p) for p in shown)


def _require_text(text: Any, name: str) -> str:
    if not isinstance(text, str):
        raise InputError(_("{name} must be a string; got {type}.").format(name=name, type=type(text).__name__))
    return text


def is_placeholder(text: Any) -> bool:
    """True when the whole of ``text`` is a stand-in ("", "...", "TBC", "???", "xxx", "[date]", "待定").

    Examples
    --------
    >>> [is_placeholder(t) for t in ("TBC", " ??? ", "[date]", "Ms Chen", "Li Na")]
    [True, True, True, False, False]
    >>> [is_placeholder(t) for t in ("待定", "【日期】", "XX月XX日", "陈女士")]
    [True, True, True, False]
    """
    if text is None or text is Ellipsis:
        return True
    value = str(text).strip()
    if value.casefold() in _EMPTY or value.casefold() in _ZH_EMPTY:
        return True
    rest = (_ZH_PLACEHOLDER if is_chinese(value) else _PLACEHOLDER).sub(" ", value)
    if is_chinese(value):  # "XX月XX日": only the units of a date are left
        rest = re.sub(r"[年月日号点时分]", " ", rest)
    return not re.search(r"[^\W_]", rest)


def placeholders(text: str) -> list[str]:
    """Stand-ins left in ``text`` ("tbc", "???", "TODO", "xxx", a lone "...", "[date]", "待定"): a heuristic.

    Examples
    --------
    >>> placeholders("On ??? we shipped XXX boxes; owner TBC.")
    ['???', 'XXX', 'TBC']
    >>> placeholders("120 x 198 CNY, delivered by Li Na... on Friday")
    []
    >>> placeholders("上周有XXX张订单晚发，负责人待定。")
    ['XXX', '待定']
    """
    text = _require_text(text, "text")
    if text.strip().casefold() in _EMPTY or text.strip().casefold() in _ZH_EMPTY:
        return [text.strip() or "(empty)"]
    return _found(_ZH_PLACEHOLDER if is_chinese(text) else _PLACEHOLDER, text)


def _zh_vague_times(text: str) -> list[str]:
    found = _found(_ZH_VAGUE_TIME, text)
    for sentence in _ZH_SENTENCE_END.split(text):
        rest = _ZH_NEXT_PERIOD.sub(" ", sentence)
        if _ZH_NEXT_PERIOD.search(sentence) and not _ZH_DAY_OR_DATE.search(rest) and not _ZH_VAGUE_TIME.search(sentence):
            found += _found(_ZH_NEXT_PERIOD, sentence)
    return list(dict.fromkeys(found))


def vague_times(text: str) -> list[str]:
    """Times nobody can plan with: "soon", "asap", "sometime next week", "Monday-ish", "later".

    A day, a date or a deadline is specific; so is a trigger ("as soon as the parcel arrives"),
    "no later than Friday" and a measured gap ("two days later"). "next week" counts as vague
    only when its sentence names no day or date. A **heuristic**: it knows a list of phrases.
    In Chinese: 尽快, 过几天, 改天, 回头, 有空的时候, 找个时间, 周一左右, and 下周 without a day.

    Examples
    --------
    >>> vague_times("Could you fix it asap, or sometime next week? Monday-ish is fine.")
    ['asap', 'sometime next week', 'Monday-ish']
    >>> vague_times("Would you call me as soon as the parcel arrives, no later than Friday 12:00?")
    []
    >>> vague_times("请尽快处理，下周找个时间碰一下。")
    ['尽快', '找个时间']
    >>> vague_times("包裹一到请马上通知我，最晚周五12:00。")
    []
    """
    text = _require_text(text, "text")
    if is_chinese(text):
        return _zh_vague_times(text)
    found = _found(_VAGUE_TIME, text) + _found(_LATER, text)
    for sentence in _SENTENCE_END.split(text):
        rest = _NEXT_PERIOD.sub(" ", sentence)
        if _NEXT_PERIOD.search(sentence) and not _DAY_OR_DATE.search(rest) and not _VAGUE_TIME.search(sentence):
            found += _found(_NEXT_PERIOD, sentence)
    return list(dict.fromkeys(found))


def threats(text: str) -> list[str]:
    """Threats in ``text`` ("or else", "we will sue you", "you'll regret it", "or I escalate"): a heuristic.

    Saying what will happen next is not a threat ("I will escalate this to the duty manager so you
    get an answer today"); making it the price of a refusal is. In Chinese: 否则我就投诉, 不然就上报,
    如果你们不处理我就……, 后果自负, 走着瞧.

    Examples
    --------
    >>> threats("Fix it by Friday, or I escalate to the director. You'll regret it.")
    ['or I escalate', "You'll regret"]
    >>> threats("I will escalate this to the duty manager so you get an answer today.")
    []
    >>> threats("周五前必须解决，否则我就找你们领导。")
    ['否则我就找你们领导']
    >>> threats("我会把这件事升级给值班经理，让您今天就能得到答复。")
    []
    """
    text = _require_text(text, "text")
    return _found(_ZH_THREAT if is_chinese(text) else _THREAT, text)


def _zh_sarcasm_cues(text: str) -> list[str]:
    found = _found(_ZH_SARCASM_PHRASE, text)
    found += [_("quotes around {word}").format(word=match.group(1)) for match in _ZH_SCARE_QUOTES.finditer(text)]
    for sentence in _ZH_SENTENCE_END.split(text):
        if _ZH_BAD_NEWS.search(_ZH_GOOD_NEWS.sub(" ", sentence)):
            found += _found(_ZH_PRAISE, sentence)
    found += _found(_CAPS_EMPHASIS, text)
    return list(dict.fromkeys(found))


def sarcasm_cues(text: str) -> list[str]:
    """Signs of sarcasm: mock praise next to bad news, "genius", capitals for emphasis, scare quotes.

    A **heuristic** with a short list of cues: irony without a cue passes, and rare sincere uses
    ("a fantastic job on Monday, although two parcels were late") are flagged; read the text aloud.
    In Chinese: 天才, 呵呵, 真有你的, 所谓的, quotes around a promise (“极速”达), praise next to bad
    news in the same sentence (干得漂亮，又晚了两天).

    Examples
    --------
    >>> sarcasm_cues("Thanks SO much for your amazing patience, genius.")
    ['genius', 'SO']
    >>> sarcasm_cues("Great job shipping it late again!")
    ['Great job']
    >>> sarcasm_cues("Thank you for your quick reply yesterday.")
    []
    >>> sarcasm_cues("干得漂亮，包裹又晚了三天！")
    ['干得漂亮']
    """
    text = _require_text(text, "text")
    if is_chinese(text):
        found = _zh_sarcasm_cues(text)
    else:
        found = _found(_SARCASM_PHRASE, text)
        found += [_("quotes around {word}").format(word=match.group(1)) for match in _SCARE_QUOTES.finditer(text)]
        for sentence in _SENTENCE_END.split(text):
            if _BAD_NEWS.search(sentence):
                found += _found(_PRAISE, sentence)
        found += _found(_CAPS_EMPHASIS, text)
        found = list(dict.fromkeys(found))
    # "Oh wonderful" and "wonderful" are one cue
    return [cue for cue in found if not any(cue != other and cue.casefold() in other.casefold() for other in found)]


def _zh_content(text: str, keywords: Sequence[str]) -> tuple[list[str], int]:
    """The content pieces of a Chinese text (runs of two characters at most) and how many keywords it holds.

    Keywords, numbers and days, stop characters and punctuation are taken out; what is left is cut
    into pieces of at most two characters (the length of most Chinese words), and Latin words that
    are neither stopwords nor keywords count as one piece each.
    """
    keyed = 0
    rest = text
    for word in keywords:
        keyed += rest.count(word)
        rest = rest.replace(word, " ")
    latin = [w for w in (t.casefold() for t in re.findall(r"[A-Za-z]{2,}(?:'[A-Za-z]+)?", rest))
             if w not in STOPWORDS | FRAMEWORK_WORDS | _DAYS | _NUMBER_WORDS]
    keyed += len([w for w in re.findall(r"[A-Za-z]+", rest) if w.casefold() in FRAMEWORK_WORDS])
    rest = _ZH_COUNT_OR_DAY.sub(" ", rest)
    for phrase in _ZH_STOP_PHRASES:
        rest = rest.replace(phrase, " ")
    runs = "".join(ch if _CJK.match(ch) and ch not in _ZH_STOP_CHARS else " " for ch in rest).split()
    pieces = [run[i:i + 2] for run in runs for i in range(0, len(run), 2)]
    return pieces + latin, keyed


def content_words(text: str, keywords: Iterable[str] = FRAMEWORK_WORDS) -> list[str]:
    """The words of ``text`` that are neither stopwords, framework words, days nor numbers.

    A Chinese text has no spaces to tell words apart: its content is what is left once the
    keywords, numbers, days and function characters are taken out, cut into pieces of at most
    two characters (about one word each).

    Examples
    --------
    >>> content_words("Observation: 3. Feeling: worried. Need: I need. Request: please.")
    []
    >>> content_words("On Monday 3 orders left late.")
    ['orders', 'left', 'late']
    >>> content_words("观察：3。感受：担心。需要：我需要。请求：请。")
    []
    >>> content_words("周一有3张订单晚发。")
    ['订单', '晚发']
    """
    text = _require_text(text, "text")
    if is_chinese(text):
        return _zh_content(text, _zh_keywords_for(keywords))[0]
    skip = STOPWORDS | frozenset(keywords) | _DAYS | _NUMBER_WORDS
    return [w for w in (t.casefold() for t in _TOKEN.findall(text)) if w not in skip]


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
        The words the check itself looks for (lower case); they do not count as content. A
        Chinese text is read with the Chinese framework words plus any Chinese words given here.
    min_content : int
        The fewest content words a real answer of this kind has (4 for a message, 1 for a question).

    Examples
    --------
    >>> is_keyword_soup("observation feeling need request when I you")
    True
    >>> is_keyword_soup("On Monday 3 orders left late. I am worried, because I need dates we can keep.")
    False
    >>> is_keyword_soup("观察 感受 需要 请求 什么时候 我 你")
    True
    """
    text = _require_text(text, "text")
    keys = frozenset(keywords)
    if is_chinese(text):
        pieces, keyed_count = _zh_content(text, _zh_keywords_for(keys))
        return len(pieces) < min_content or keyed_count > 2 * len(pieces)
    words = [t.casefold() for t in _TOKEN.findall(text)]
    content = content_words(text, keys)
    keyed = [w for w in words if w in keys]
    return len(content) < min_content or len(keyed) > 2 * len(content)


#: How the hints name the text they are about (``what`` of :func:`text_issues`).
_WHAT: dict[str, tuple[str, str]] = {
    "message": (N_("your message"), N_("Your message")),
    "question": (N_("your question"), N_("Your question")),
}


def _text_findings(text: str, what: str, keywords: Iterable[str], min_content: int,
                   times: bool) -> list[tuple[str, str]]:
    """(kind, hint) for each kind of problem :func:`text_issues` finds."""
    where, subject = (_(name) for name in _WHAT[what]) if what in _WHAT else (f"your {what}", f"Your {what}")
    findings = []
    left = placeholders(text)
    if left:
        template = (N_("Placeholder left in {where}: {found}. Replace it with the real content.") if len(left) == 1
                    else N_("Placeholder left in {where}: {found}. Replace them with the real content."))
        findings.append(("placeholder", _(template).format(where=where, found=_quoted(left))))
    if is_keyword_soup(text, keywords, min_content):
        findings.append(("keywords", _("{subject} reads as a list of keywords, not sentences: write it the way you "
                                       "would send it, with what happened and what you ask for.").format(subject=subject)))
    found = threats(text)
    if found:
        findings.append(("threat", _("Threat: {found}. A threat makes the reader defend, not act: say what you "
                                     "need and ask for it.").format(found=_quoted(found))))
    found = sarcasm_cues(text)
    if found:
        findings.append(("sarcasm", _("Sarcasm: {found}. In writing, irony reads as contempt: say plainly what "
                                      "happened.").format(found=_quoted(found))))
    found = vague_times(text) if times else []
    if found:
        findings.append(("vague", _("Vague time: {found}. Name a day, a date or a deadline.").format(
            found=_quoted(found))))
    return findings


def text_issues(text: str, *, what: str = "message", keywords: Iterable[str] = FRAMEWORK_WORDS,
                min_content: int = 4, times: bool = True) -> list[str]:
    """Placeholders, keyword soup, threats, sarcasm and vague times in ``text``: one hint per kind.

    The first checks of every free-text exercise (a **heuristic**: it finds listed words and
    patterns, it does not understand the text). A text with Chinese characters is read with the
    Chinese rules; the hints are in the language of the edition.

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
    >>> text_issues("您能不能在周五12:00前把晚发订单的清单发给我？")
    []
    """
    text = _require_text(text, what)
    return [hint for _kind, hint in _text_findings(text, what, keywords, min_content, times)]


# --------------------------------------------------------------------------------------------
# Question types
# --------------------------------------------------------------------------------------------
#: Open (invites a story), closed (a short fact or yes/no), probing (digs into what was said).
QUESTION_TYPES: tuple[str, str, str] = ("open", "closed", "probing")

#: Hand-labelled customer-service questions: id -> (question, type). The exercise's answer key.
QUESTION_BANK: dict[str, tuple[str, str]]
_QUESTION_BANK: dict[str, tuple[str, str]] = {
    "q1": (N_("Is the order number on your receipt O0039215?"), "closed"),
    "q2": (N_("What happened when you opened the parcel?"), "open"),
    "q3": (N_("You mentioned the courier called twice. What exactly did he say?"), "probing"),
    "q4": (N_("Did you receive a confirmation text after paying?"), "closed"),
    "q5": (N_("How would you like us to put this right?"), "open"),
    "q6": (N_("When you say the jacket 'fell apart', which part came loose first?"), "probing"),
    "q7": (N_("Could you walk me through how you set up the coffee machine?"), "open"),
    "q8": (N_("Would you prefer a refund or a replacement?"), "closed"),
    "q9": (N_("Can you give me an example of the reply that upset you in the chat?"), "probing"),
    "q10": (N_("Have you ordered through our mini program before?"), "closed"),
    "q11": (N_("What matters most to you about the delivery time?"), "open"),
    "q12": (N_("What else happened after the agent ended the call?"), "probing"),
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

# The Chinese rules. Probing: picks up the customer's words (您刚才提到 / 您说的 / 具体 / 举个例子 / 后来呢).
_ZH_PROBING = re.compile(
    r"(?<![跟和对给向同])(?:您|你)(?:刚才|刚刚|之前|前面|上次|方才)?(?:提到|说到|讲到|提过|说过|讲过|所说|所讲|说的|讲的|提的)"
    r"|(?<![跟和对给向同])(?:您|你)说(?![呢吧]|怎么办|是不是|对不对|行不行|好不好|[，,]?(?:我们|咱们))"
    r"|(?:您|你)(?:刚才|刚刚|方才)(?:说|讲)|当(?:您|你)说|(?:您|你)(?:的意思是|指的是|是说)"
    r"|具体(?:是|来说|指|说说|讲讲|怎么|哪|什么|发生|情况|一点|些)"
    r"|举(?:个|一个|些|几个)?例子|比如说?(?:呢|一下)"
    r"|还(?:有|发生了|出现了)(?:什么|别的|其他|哪些)(?!时候|需要我|可以帮|能帮|要帮|我能|我可以)"
    r"|(?:后来|然后|接着|之后)(?:呢|怎么样了?|又怎么|又发生了什么|发生了什么)"
    r"|再(?:多)?(?:说说|讲讲|多说|详细)|多说一些|多讲一些|详细(?:说说|讲讲|说一下|讲一下|描述|介绍)"
)
# A polite frame around an open request: 能不能请您跟我讲讲 / 麻烦您描述一下 / 告诉我发生了什么.
_ZH_OPEN_REQUEST = re.compile(
    r"(?:能不能|能否|可不可以|可否|可以|能|麻烦|请|方便)[^，,。？?]{0,8}?(?:说说|讲讲|谈谈|聊聊|说一说|讲一讲|说一下|讲一下|描述"
    r"|介绍|回顾|还原|讲述|叙述|展开说)"
    r"|(?:告诉我|跟我说|和我说|给我讲)[^。？?]{0,20}(?:什么|怎么|如何|为什么|哪些|经过|情况|过程|来龙去脉)"
)
# Closed: a yes/no particle at the end (吗, 对吧, 好吗 ...), an A-not-A question (是不是, 有没有 ...) or 是否.
_ZH_YES_NO_END = re.compile(r"(?:吗|嘛|对吧|是吧|好吧|对吗|好吗|行吗|可以吗|对不对|是不是|好不好|行不行|可不可以|有没有)"
                            r"\s*[？?！!。.…~～]*\s*$")
_ZH_A_NOT_A = re.compile(r"是不是|有没有|能不能|可不可以|会不会|要不要|需不需要|对不对|好不好|行不行|是否|可否|能否|愿不愿意"
                         r"|想不想|知不知道|记不记得|方不方便|满不满意|有无|[收用到看买来]没[收用到看买来]")
_ZH_WH = re.compile(r"什么|啥|怎么|怎样|为什么|为何|哪(?!怕)|多少|多久|多长|如何|谁|何时|何地|何处"
                    r"|几[点号天次个件位年月周岁台盒单]")
# Asking for an identifier is asking for one short fact: 您的订单号是多少？
_ZH_FACT_LOOKUP = re.compile(r"(?:订单号|单号|订单编号|手机号|电话号码|电话|号码|姓名|名字|地址|型号|编号|会员号|卡号|账号|邮箱|身份证号)"
                             r"(?:码)?(?:是|为)?(?:多少|什么|几号|哪个)")
_ZH_QUESTION = re.compile(r"[^。！？!?\n]*[？?]")


def _zh_classify(text: str) -> str:
    if _ZH_PROBING.search(text):
        return "probing"
    if _ZH_OPEN_REQUEST.search(text):
        return "open"
    asked = _ZH_QUESTION.findall(text)
    last = asked[-1].strip() if asked else text
    if _ZH_YES_NO_END.search(last) or _ZH_A_NOT_A.search(last):
        return "closed"
    if _ZH_WH.search(last):
        return "closed" if _ZH_FACT_LOOKUP.search(last) else "open"
    return "closed"


def classify_question(question: str) -> str:
    """Open, closed or probing: a **rule-based heuristic** for customer-service questions.

    Rules, in order: a question that refers back to what the customer said or asks for more of it
    ("you mentioned", "when you say", "what exactly", "an example", "what else") is *probing*; a
    polite request for a story ("could you walk me through ...") is *open*; a question starting
    with an auxiliary verb ("is", "did", "would", ...) is *closed*; one starting with what / how /
    why / describe / tell me is *open*; anything else is treated as *closed*. Intonation and
    context, which decide in real conversations, are invisible to it. It classifies; whether the
    question is fit to ask is :func:`question_issues`' job.

    A question in Chinese is read with the Chinese rules, on its last question sentence: *probing*
    when it picks up the customer's words (您刚才提到, 您说的, 具体, 举个例子, 后来呢); *open* for a
    request for the story (能不能请您跟我讲讲, 麻烦您描述一下); *closed* when it ends in 吗 (or 对吧,
    好吗 ...) or asks A-not-A (是不是, 有没有, 能不能, 是否), however it starts; *open* when it asks with
    a question word (什么, 怎么, 为什么, 哪些, 哪里, 多少, 如何, 什么时候: "您看什么时候方便？"), except
    a request for an identifier ("您的订单号是多少？", closed); *closed* otherwise (a choice with 还是,
    "收到了没有？").

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
    >>> [classify_question(q) for q in ("您看什么时候方便？", "您是不是对服务不满意？", "您刚才提到漏水，具体是哪里漏？")]
    ['open', 'closed', 'probing']
    >>> classify_question("TBC")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: question is only a placeholder ('TBC'): write the question you would ask.
    """
    if not isinstance(question, str) or not question.strip():
        raise InputError(_("question must be a non-empty string; got {value}.").format(value=repr(question)))
    text = question.strip()
    if is_placeholder(text):
        raise InputError(_("question is only a placeholder ({value}): write the question you would ask.").format(
            value=repr(text)))
    if is_chinese(text):
        return _zh_classify(text)
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
        The question as the agent would ask it (in English or in Chinese).
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
    >>> question_issues("您第一次加水的时候，发生了什么情况？", "open")
    []
    """
    if not isinstance(question, str) or not question.strip():
        raise InputError(_("question must be a non-empty string; got {value}.").format(value=repr(question)))
    if kind is not None and kind not in QUESTION_TYPES:
        raise InputError(_("kind must be one of {kinds}; got {value}.").format(kinds=", ".join(QUESTION_TYPES),
                                                                              value=repr(kind)))
    if is_placeholder(question):
        return [_("Placeholder left in your question: {found}. Write the question you would ask.").format(
            found=_quoted([question.strip()]))]
    findings = _text_findings(question, "question", _QUESTION_WORDS, 1, True)
    issues = [hint for _kind, hint in findings]
    if kind is not None and not any(found in ("placeholder", "keywords") for found, _hint in findings):
        found = classify_question(question)
        if found != kind:
            issues.append(_("This reads as {reads}; {wants}.").format(reads=_(_QUESTION_READS[found]),
                                                                    wants=_(_QUESTION_WANTS[kind])))
    return issues


_QUESTION_READS = {
    "open": N_("an open question (it invites a story)"),
    "closed": N_("a closed question (it invites a yes/no or a short fact)"),
    "probing": N_("a probing question (it digs into something the customer said)"),
}
_QUESTION_WANTS = {
    "open": N_("an open one invites the customer's story (what, how, walk me through)"),
    "closed": N_("a closed one confirms one fact, a yes/no or a fixed choice"),
    "probing": N_("a probing one picks up what the customer said ('you mentioned ...', 'when you say ...') and "
                  "asks for more"),
}


# --------------------------------------------------------------------------------------------
# Nonviolent communication: observation vs evaluation, and a rewrite checker
# --------------------------------------------------------------------------------------------
#: Hand-labelled statements: id -> (statement, "observation" or "evaluation"). The answer key.
NVC_STATEMENTS: dict[str, tuple[str, str]]
_NVC_STATEMENTS: dict[str, tuple[str, str]] = {
    "s1": (N_("You called our hotline three times this week."), "observation"),
    "s2": (N_("You are always complaining."), "evaluation"),
    "s3": (N_("The parcel arrived on 14 March, five days after the promised date."), "observation"),
    "s4": (N_("The warehouse team is lazy."), "evaluation"),
    "s5": (N_("The customer raised her voice twice during the call."), "observation"),
    "s6": (N_("The customer was aggressive."), "evaluation"),
    "s7": (N_("You never read our messages."), "evaluation"),
    "s8": (N_("The invoice shows 299 CNY; the order page showed 259 CNY."), "observation"),
    "s9": (N_("The order desk made a careless mistake."), "evaluation"),
    "s10": (N_("The last two refunds took more than ten days."), "observation"),
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

#: Chinese generalisations (绝对化的词): they turn an observation into an evaluation.
ZH_ABSOLUTE_WORDS: tuple[str, ...] = (
    "总是", "老是", "每次都", "每回都", "次次都", "回回都", "天天都", "从来", "从不", "从没", "从未", "永远", "一向", "向来",
    "一贯", "根本不", "根本没", "动不动就", "一直都", "一直这样", "所有人", "谁都", "没人", "没有人", "任何人都", "每个人都",
    "一点都不", "一点也不", "一次都没", "一次也没", "屡教不改",
)
#: Chinese labels and judgements (贴标签、下评判); a short, deliberately incomplete list.
ZH_JUDGEMENT_WORDS: tuple[str, ...] = (
    "懒", "粗心", "马虎", "不负责", "没有责任心", "没责任心", "不专业", "不靠谱", "不可靠", "靠不住", "无能", "差劲",
    "态度差", "态度很差", "态度不好", "恶劣", "服务差", "蛮横", "无理取闹", "难缠", "胡搅蛮缠", "素质低", "没素质", "糟糕",
    "离谱", "荒唐", "可笑", "不可理喻", "不像话", "敷衍", "推卸", "推诿", "踢皮球", "拖拉", "拖沓", "磨蹭", "效率低", "低效",
    "蠢", "白痴", "废物", "粗鲁", "无礼", "没礼貌", "不礼貌", "咄咄逼人", "攻击性", "暴躁", "脾气大", "过分", "不可接受",
    "乱来", "瞎搞", "一塌糊涂", "乱七八糟", "搞砸", "失职", "磨洋工", "不上心", "不用心", "漫不经心", "不认真", "吊儿郎当",
    "霸道", "很凶", "太凶", "凶巴巴", "故意", "大吵大闹", "无理", "难伺候", "烂透", "太烂", "真烂", "奇葩",
)
_ZH_WORDS = re.compile(
    "|".join(re.escape(w) for w in sorted(ZH_ABSOLUTE_WORDS + ZH_JUDGEMENT_WORDS, key=len, reverse=True))
    + r"|(?<![总])总(?=迟到|晚|不|没|拖|出错|忘|搞错|发错|少发|这样|那样|找借口|是|在|要|会)"
    + r"|(?<![古])老(?=迟到|晚|不|没|拖|出错|忘|搞错|发错|少发|这样|找借口)"
    + r"|太(?:慢|晚|久|差|乱|随意|不认真)|(?:很|真|非常|特别|超级|巨)(?:慢|差|烂|糟|乱|烦)"
    + r"|垃圾(?!短信|邮件|袋|桶|分类|箱|电话)|没用(?![过完上到掉])|笨(?!重)"
)
_ZH_FEELINGS = re.compile("|".join(re.escape(w) for w in sorted(ZH_FEELING_WORDS, key=len, reverse=True))
                          + r"|(?:很|有点|有些|真|挺|最|特别|非常|十分)(?:怕|烦|急|慌|累)")
# "我觉得你……", "我感觉被……": a thought or a judgement dressed as a feeling.
_ZH_PSEUDO_FEELING = re.compile(r"(?:觉得|感觉|感到)(?=你|您|你们|他|她|仓库|对方|好像|像是|似乎|被|自己被|这|那|没人|有人)")
# A need whose content follows (因为我需要……) and one whose content comes first (……对我们很重要).
_ZH_NEEDS_BEFORE = re.compile(r"因为(?:我|我们|咱们|客户|团队|大家)(?:很|非常|特别|真的)?(?:需要|希望|看重|重视|在意|在乎|想要|想|要|得|必须)"
                              r"|(?:我|我们)(?:很|非常|特别|真的)?(?:需要|看重|重视|在意|在乎|珍惜)"
                              r"|(?:我|我们)(?:最|更)?(?:关心|关注)的是|需要的是|对(?:我|我们)来说[，,]")
_ZH_NEEDS_AFTER = re.compile(r"对(?:我|我们|客户|团队|咱们)[^。！？!?，,；;]{0,12}?(?:很|非常|特别|十分|最)?(?:重要|关键)")
_ZH_REQUEST = re.compile(
    r"(?:能不能|能否|可不可以|可否|是否可以|是否能)(?:请|麻烦)?(?:您|你|你们)?"
    r"|(?:您|你|你们)(?:能|可以|方便|看能否|看能不能|看可不可以|看是否)"
    r"|(?<![申邀聘宴])请(?![问求])(?:您|你|你们)?|麻烦(?:您|你|你们)?|劳驾|拜托|辛苦(?:您|你)"
    r"|希望(?:您|你|你们)(?:能|可以)?|想请(?:您|你|你们)|(?:我们|咱们)(?:能不能|可不可以|要不要|一起|约)"
    r"|您看(?:能不能|可不可以|行不行|是否|怎么样)"
)
# A request put as a tag question after what is asked: "以后每天下班前把日报发我，可以吗？"
_ZH_TAG_REQUEST = re.compile(r"[，,]?\s*(?:可以吗|好吗|行吗|好不好|可不可以|行不行|成吗|能不能)\s*[？?]")
_ZH_NEGATIVE_REQUEST = re.compile(r"(?<!要)不要|别(?=再|让|把|总|老|又|拖|忘|发错|敷衍|推)|不许|不准|不可以再|(?<!能)不能再"
                                  r"|停止|再也不要|以后不要|禁止")


_ZH_COUNT = re.compile(r"(?:\d+|[一两二三四五六七八九十]+)\s*(?:次|回|遍|趟)")


def _distributive(match: re.Match[str], text: str) -> bool:
    """"每次都" after a count in its sentence reports each of the times counted, not "always"."""
    sentence = _ZH_SENTENCE_END.split(text[:match.start()])[-1]
    if match.group(0) in ("没人", "没有人") and re.match(r"(?:接|回|应|在)", text[match.end():]):
        return bool(_ZH_COUNT.search(sentence))  # "打了四次电话都没人接": nobody answered, counted
    return match.group(0) in ("每次都", "每回都", "次次都", "回回都") and bool(_ZH_COUNT.search(sentence))


def evaluative_words(text: str) -> list[str]:
    """Absolute and judging words in ``text`` (lower case, in order of appearance): a heuristic.

    Examples
    --------
    >>> evaluative_words("You NEVER answer and your team is lazy.")
    ['never', 'lazy']
    >>> evaluative_words("The parcel arrived five days late.")
    []
    >>> evaluative_words("你每次都迟到，太不负责了。"), evaluative_words("这周你有三次晚于九点到岗。")
    (['每次都', '不负责'], [])
    """
    text = _require_text(text, "text")
    if is_chinese(text):
        return [match.group(0) for match in _ZH_WORDS.finditer(text) if not _distributive(match, text)]
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
    >>> is_observation("这周你有三次晚于九点到岗。"), is_observation("你每次都迟到。")
    (True, False)
    """
    statement = _require_text(statement, "statement")
    return not (evaluative_words(statement) or sarcasm_cues(statement) or threats(statement)
                or vague_times(statement) or is_placeholder(statement) or placeholders(statement))


def _has_object(pattern: re.Pattern[str], message: str) -> bool:
    """Some match of ``pattern`` is followed, in its sentence, by a word that says something."""
    if is_chinese(message):
        for match in pattern.finditer(message):
            rest = _ZH_SENTENCE_END.split(message[match.end():], maxsplit=1)[0]
            if _zh_content(rest, _ZH_REQUEST_WORDS)[0]:
                return True
        return False
    for match in pattern.finditer(message):
        rest = _SENTENCE_END.split(message[match.end():], maxsplit=1)[0]
        if content_words(rest, _REQUEST_WORDS):
            return True
    return False


def _in_clause(pattern: re.Pattern[str], message: str) -> bool:
    """Some match of ``pattern`` has, in its clause, a word that says something (Chinese: "……对我们很重要")."""
    for match in pattern.finditer(message):
        before = re.split(r"[。！？!?；;\n，,]", message[:match.start()])[-1]
        if _zh_content(before + match.group(0), _ZH_REQUEST_WORDS)[0]:
            return True
    return False


# Words of the request and need phrases themselves: "Would you please?" asks for nothing.
_REQUEST_WORDS = frozenset("would could can will you we please willing possible like need value want "
                           "because important matters".split())
_ZH_REQUEST_WORDS: tuple[str, ...] = tuple(sorted(
    ("能不能", "能否", "可不可以", "可否", "是否", "可以", "能", "麻烦", "劳驾", "拜托", "辛苦", "希望", "想请", "方便",
     "您看", "行不行", "怎么样", "需要", "看重", "重视", "在意", "在乎", "珍惜", "关心", "关注", "重要", "关键", "来说",
     "因为", "想要", "必须", "咱们", "一起", "好吗", "行吗", "可以吗", "帮忙", "帮"), key=len, reverse=True))
_NUMBER_OR_DAY = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twice|once|monday|tuesday|"
                            r"wednesday|thursday|friday|saturday|sunday|yesterday|today)\b", re.IGNORECASE)


def _zh_nvc_parts(message: str) -> list[str]:
    """What the Chinese rules find missing or off in the four parts (after :func:`text_issues`)."""
    issues = []
    if not _ZH_NUMBER_OR_DAY.search(message):
        issues.append(_(_NO_NUMBER))
    if _ZH_PSEUDO_FEELING.search(message):
        issues.append(_(_PSEUDO))
    elif not _ZH_FEELINGS.search(message):
        issues.append(_(_NO_FEELING))
    if not (_ZH_NEEDS_BEFORE.search(message) or _ZH_NEEDS_AFTER.search(message)):
        issues.append(_(_NO_NEED))
    elif not (_has_object(_ZH_NEEDS_BEFORE, message) or _in_clause(_ZH_NEEDS_AFTER, message)):
        issues.append(_(_EMPTY_NEED))
    if not (_ZH_REQUEST.search(message) or _ZH_TAG_REQUEST.search(message)):
        issues.append(_(_NO_REQUEST))
    elif not (_has_object(_ZH_REQUEST, message) or _in_clause(_ZH_TAG_REQUEST, message)):
        issues.append(_(_EMPTY_REQUEST))
    elif any(_ZH_NEGATIVE_REQUEST.search(s) for s in re.split(r"[。！？!?；;\n]", message)
             if _ZH_REQUEST.search(s) or _ZH_TAG_REQUEST.search(s + "？")):
        issues.append(_(_NEGATIVE))  # only the sentences that ask: "客户说不要了" is an observation
    return issues


_NO_NUMBER = N_("No number, date or day in the observation: say what happened, how often and when.")
_PSEUDO = N_("'I feel that/like/you...' states a thought or a judgement, not a feeling. "
             "Name the feeling itself: worried, frustrated, relieved...")
_NO_FEELING = N_("No feeling: say how you feel about it (worried, frustrated, concerned...).")
_NO_NEED = N_("No need: say what matters to you, e.g. 'because I need ...' or 'because I value ...'.")
_EMPTY_NEED = N_("Your need names nothing: say WHAT you need or value (reliable dates, a call back...).")
_NO_REQUEST = N_("No request: end with a concrete, doable request, e.g. 'Would you ... by Friday?'.")
_EMPTY_REQUEST = N_("Your request asks for nothing: say what you would like the other person to do, and by when.")
_NEGATIVE = N_("The request says what NOT to do; ask for what you want done instead.")


def nvc_issues(message: str) -> list[str]:
    """What a **rule-based heuristic** finds missing or off in a four-part NVC message.

    Checks, one hint each: a placeholder left in ("tbc", "???", "xxx", a lone "..."); a list of
    keywords instead of sentences ("observation feeling need request"); a threat ("or else",
    "or I escalate"); sarcasm ("Thanks SO much, genius"); a vague time ("soon", "asap",
    "Monday-ish"); judging or absolute words (they make the observation an evaluation); no
    number or date in the observation; no feeling word, or a thought dressed as a feeling ("I
    feel that you..."); no need, or a need with nothing after it ("because I need."); no request,
    a request that asks for nothing ("Would you?"), or one phrased as what *not* to do.

    A message in Chinese is read with the Chinese rules: 总是 / 从来 / 每次都 and labels such as
    粗心 or 态度差; a count or a date (三次, 周四, 9张); a feeling (担心, 着急, 失望; "我觉得你……" is a
    thought); a need (因为我需要……, ……对我们很重要); a request (能不能请您……, 麻烦您……) that asks for
    something, and not for what not to do (不要再……).

    It looks for words and patterns, it does not understand the message: an empty list
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
    >>> nvc_issues("最近两周，60张次日达订单中有9张晚了一天出库。我很担心，因为我需要给客户一个能兑现的送达日期。"
    ...            "您能不能在周四上午10:00和我碰一下，商量打包时怎么标记次日达订单？")
    []
    """
    if not isinstance(message, str) or not message.strip():
        raise InputError(_("message must be a non-empty string; got {value}.").format(value=repr(message)))
    issues = text_issues(message, what="message")
    judged = evaluative_words(message)
    if judged:
        issues.append(_("Evaluative words: {words}. Describe what happened, as a camera would record it.").format(
            words=_quoted(list(dict.fromkeys(judged)), limit=None)))
    if is_chinese(message):
        return issues + _zh_nvc_parts(message)
    if not _NUMBER_OR_DAY.search(message):
        issues.append(_(_NO_NUMBER))
    if _PSEUDO_FEELING.search(message):
        issues.append(_(_PSEUDO))
    elif not _FEELINGS.search(message):
        issues.append(_(_NO_FEELING))
    if not _NEEDS.search(message):
        issues.append(_(_NO_NEED))
    elif not _has_object(_NEEDS, message):
        issues.append(_(_EMPTY_NEED))
    if not _REQUEST.search(message):
        issues.append(_(_NO_REQUEST))
    elif not _has_object(_REQUEST, message):
        issues.append(_(_EMPTY_REQUEST))
    elif _NEGATIVE_REQUEST.search(message):
        issues.append(_(_NEGATIVE))
    return issues


# --------------------------------------------------------------------------------------------
# Completeness of a structured record: 5W2H plans, 4P escalation reports
# --------------------------------------------------------------------------------------------
#: The seven fields of a 5W2H plan, with the question each answers.
FIVE_W_TWO_H: dict[str, str]
_FIVE_W_TWO_H: dict[str, str] = {
    "what": N_("What exactly is to be delivered or done?"),
    "why": N_("Why does the customer want it (the purpose)?"),
    "who": N_("Who is involved: the customer contact and our owner?"),
    "when": N_("When: the date or deadline?"),
    "where": N_("Where: the delivery address or place?"),
    "how": N_("How will it be done (steps, channel, packing, payment)?"),
    "how much": N_("How much: quantity and money (price, budget)?"),
}
#: How the Chinese edition names each field beside its key: “when”（何时）.
_FIELD_NAMES: dict[str, str] = {
    "what": N_("the 'what' field"), "why": N_("the 'why' field"), "who": N_("the 'who' field"),
    "when": N_("the 'when' field"), "where": N_("the 'where' field"), "how": N_("the 'how' field"),
    "how much": N_("the 'how much' field"),
}
#: Chinese keys a participant may give a field (何时 = when); brackets after a key are ignored (何时（when）).
_FIELD_ALIASES: dict[str, str] = {
    **dict.fromkeys(("什么", "何事", "做什么", "事项", "内容", "事情", "项目"), "what"),
    **dict.fromkeys(("为什么", "为何", "原因", "目的"), "why"),
    **dict.fromkeys(("谁", "何人", "哪位", "人员", "负责人", "联系人"), "who"),
    **dict.fromkeys(("何时", "什么时候", "时间", "日期", "几点", "期限"), "when"),
    **dict.fromkeys(("何地", "哪里", "在哪", "在哪里", "地点", "地址"), "where"),
    **dict.fromkeys(("怎么", "如何", "怎么做", "怎样", "方式", "方法", "做法"), "how"),
    **dict.fromkeys(("多少", "金额", "数量", "费用", "预算", "价格", "多少钱", "几件"), "how much"),
    **dict.fromkeys(("立场", "背景", "立场/背景"), "position"),
    **dict.fromkeys(("问题",), "problem"),
    **dict.fromkeys(("可能方案", "方案", "可能性"), "possibility"),
    **dict.fromkeys(("建议",), "proposal"),
}
_HAS_NUMBER = re.compile(r"\d")
# A date, a day or a deadline: "2026-02-06", "6/2", "6 Feb", "Friday", "tomorrow", "within 3 days", "2月6日".
_HAS_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\b\d{1,2}[./]\d{1,2}\b|\d{1,2}\s*月|\d{1,2}\s*日|"
                       r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
                       r"\b\d{1,2}(st|nd|rd|th)?\s+(of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|"
                       r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|tonight)\b|"
                       r"\b(within|in)\s+\d+\s+(working\s+|business\s+)?(hours?|days?|weeks?)\b", re.IGNORECASE)
# The same in Chinese: "2026年2月6日", "2/6", "6号", "二月六日", "周五", "明天", "3个工作日内".
_ZH_HAS_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}\s*[月/]\s*\d{1,2}|\d{1,2}\s*[日号]"
                          r"|[一二三四五六七八九十]{1,3}月(?:[一二三四五六七八九十]{1,3}[日号])?|[一二三四五六七八九十]{1,3}[日号]"
                          r"|(?:周|星期|礼拜)[一二三四五六日天]|今天|明天|后天|今晚|明晚|明早|今早|大后天"
                          r"|(?:\d+|[一两二三四五六七八九十]+)\s*个?(?:工作日|小时|天|周|星期)(?:之?内|以内)")
_ZH_HAS_NUMBER = re.compile(r"\d|[一两二三四五六七八九十百千万]+(?:元|块|盒|件|个|箱|份|套|台|张|单|位|人|万|千|百)")


def _has_date(text: str) -> bool:
    return bool(_HAS_DATE.search(text) or (is_chinese(text) and _ZH_HAS_DATE.search(text)))


def _has_number(text: str) -> bool:
    return bool(_HAS_NUMBER.search(text) or (is_chinese(text) and _ZH_HAS_NUMBER.search(text)))


def _key(name: Any) -> str:
    key = re.sub(r"[\s_\-]+", " ", str(name)).strip().casefold()
    if is_chinese(key):
        key = re.sub(r"[（(][^）)]*[）)]", "", key).strip() or key  # 何时（when） -> 何时
    return _FIELD_ALIASES.get(key, key)


def missing_fields(record: Any, fields: Sequence[str], name: str = "record") -> list[str]:
    """The ``fields`` that ``record`` lacks or leaves empty ("", "...", "TBD", "tbc", "???", "xxx", "待定").

    Keys are matched ignoring case, spaces, underscores and hyphens ("How_much" = "how much"); the
    Chinese names of the 5W2H and 4P fields count as their keys (何时 = "when", 多少 = "how much",
    建议 = "proposal").

    Examples
    --------
    >>> missing_fields({"What": "120 gift boxes", "when": "TBD"}, ["what", "when", "where"])
    ['when', 'where']
    >>> missing_fields({"position": "Li Wei, order desk", "problem": "???"}, ["position", "problem"])
    ['problem']
    >>> missing_fields({"做什么": "120盒春节礼盒", "何时": "待定"}, ["what", "when", "where"])
    ['when', 'where']
    """
    if not isinstance(record, Mapping):
        raise InputError(_("{name} must be a dict (field -> text); got {type}.").format(
            name=name, type=type(record).__name__))
    given = {_key(k): v for k, v in record.items()}
    return [f for f in fields if _key(f) not in given or is_placeholder(given[_key(f)])]


#: Owners nobody can call: 责任化 asks for one named person.
_VAGUE_OWNER = re.compile(r"\b(someone|somebody|anyone|anybody|whoever|whoever is free|a colleague|"
                          r"the team|staff)\b", re.IGNORECASE)
_ZH_VAGUE_OWNER = re.compile(r"某人|某位|有人|随便(?:谁|找个?人|一个人)|谁有空|谁有时间|谁都行|相关(?:人员|同事|部门|负责人)"
                             r"|工作人员|(?:找|安排|派)(?:个|一个)?(?:人|同事)|(?:仓库|订单组|订单部|客服|售后|物流|销售|市场)"
                             r"(?:那边|部门)?的?(?:同事|人|员工|小伙伴)|团队|大家")
# A person named: a title (陈女士, 王经理), 小王 / 老李, or a common surname with a given name after a role.
_ZH_SURNAMES = "李王张刘陈杨黄赵吴周徐孙朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖贾夏韦邹孟熊秦邱尹薛闫雷侯郝龚邵钱覃戴莫孔汤"
_ZH_NAMED = re.compile(rf"[{_HAN}](?:女士|先生|小姐|经理|主管|总监|老师|师傅)|[小老][{_ZH_SURNAMES}](?![{_HAN}])"
                       rf"|(?:^|[\s，,；;（(：:、和与及由])[{_ZH_SURNAMES}][{_HAN}]{{1,2}}(?=$|[\s，,；;）)、和与及（(负])"
                       rf"|(?:同事|负责人|联系人|对接人|我方|客户)[{_ZH_SURNAMES}][{_HAN}]{{1,2}}")
_FIELD_WORDS = frozenset(" ".join(_FIVE_W_TWO_H).split()) | frozenset("field fields 5w2h plan".split())
_ZH_FIELD_WORDS: tuple[str, ...] = tuple(sorted(set(_FIELD_ALIASES) | {"字段", "计划", "做什么", "多少钱"}, key=len, reverse=True))


def _field(field: str) -> str:
    """A field as the hints name it: ``'when'`` in English, ``“when”（何时）`` in Chinese."""
    if not _zh_shown():
        return repr(field)
    return _(_FIELD_NAMES[field]) if field in _FIELD_NAMES else f"“{field}”"


def _question_of(field: str) -> str:
    question = _(_FIVE_W_TWO_H[field])
    return f"“{question}”" if _zh_shown() else repr(question)


def _only_field_words(text: str) -> bool:
    return not content_words(text, _FIELD_WORDS)


def _too_short(text: str) -> bool:
    if is_chinese(text):
        return len(_CJK.findall(text)) <= 2
    return len(text.split()) <= 1


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

    Fields written in Chinese are read with the Chinese rules (尽快 and 周一左右 are vague,
    2026年2月6日 and 周五 are dates, 订单组的同事 names no person, 陈女士 does), and the keys may be the
    Chinese names of the fields (何时, 多少, ...).

    Returns
    -------
    list of str
        One message per gap, each naming its field; empty when nothing is found.

    Examples
    --------
    >>> plan_gaps({"what": "120 gift boxes", "why": "staff gifts", "who": "Ms Chen (HR)",
    ...            "when": "soon", "where": "Hangzhou office", "how": "courier, invoice first"})
    ["Missing 'how much': How much: quantity and money (price, budget)?", "'when' is vague ('soon'): give a date or a deadline."]
    >>> plan_gaps({"what": "120盒春节礼盒", "why": "员工春节福利", "who": "陈女士（人事经理）；我方李伟",
    ...            "when": "2026年2月6日前送达", "where": "杭州西湖区公司前台", "how": "快递预约送货，发货前开票",
    ...            "how much": "120盒 × 约200元"})
    []
    """
    missing = missing_fields(plan, list(_FIVE_W_TWO_H), "plan")
    gaps = [_("Missing {field}: {question}").format(field=_field(field), question=_(_FIVE_W_TWO_H[field]))
            for field in missing]
    given = {_key(k): str(v) for k, v in plan.items() if _key(k) in _FIVE_W_TWO_H and _key(k) not in missing}
    for field, text in given.items():
        left = placeholders(text)
        if left:
            gaps.append(_("{field} still has a placeholder ({found}): fill in the real value.").format(
                field=_field(field), found=_quoted(left)))
        elif _only_field_words(text) and not (field == "when" and _has_date(text)):
            template = (N_("{field} is only a number: answer the question {question}") if _has_number(text)
                        else N_("{field} only repeats field names: answer the question {question}"))
            gaps.append(_(template).format(field=_field(field), question=_question_of(field)))
        found = threats(text) + sarcasm_cues(text)
        if found:
            gaps.append(_("{field} has a threat or sarcasm ({found}): a plan states facts the next team can act "
                          "on.").format(field=_field(field), found=_quoted(found)))
        vague = vague_times(text)
        if vague:
            gaps.append(_("{field} is vague ({found}): give a date or a deadline.").format(
                field=_field(field), found=_quoted(vague)))
        elif field == "when" and not _has_date(text):
            gaps.append(_("{field} is vague: give a date or a deadline.").format(field=_field(field)))
    who = given.get("who", "")
    owner = (_ZH_VAGUE_OWNER.search(who) if not _ZH_NAMED.search(who) else None) if is_chinese(who) \
        else _VAGUE_OWNER.search(who)
    if owner:
        gaps.append(_("{field} names no person ({found}): give the customer contact and our owner by name.").format(
            field=_field("who"), found=_quoted([owner.group(0)])))
    if "how much" in given and not _has_number(given["how much"]):
        gaps.append(_("{field} has no number: give the quantity and the amount (CNY).").format(
            field=_field("how much")))
    if "what" in given and not (_has_number(given["what"]) or not _too_short(given["what"])):
        gaps.append(_("{field} is too short to act on: name the item and the quantity.").format(field=_field("what")))
    return gaps


# --------------------------------------------------------------------------------------------
# The definitions and banks, in the language in force
# --------------------------------------------------------------------------------------------
def _shown_bank(bank: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    return {key: (_(text), label) for key, (text, label) in bank.items()}


_SHOWN: dict[str, Callable[[], Any]] = {
    "FOUR_C_COMMUNICATION": lambda: {_(k): _(v) for k, v in _FOUR_C_COMMUNICATION.items()},
    "FIVE_RULES": lambda: {_(k): _(v) for k, v in _FIVE_RULES.items()},
    "REPORT_4P": lambda: {k: _(v) for k, v in _REPORT_4P.items()},
    "FIVE_W_TWO_H": lambda: {k: _(v) for k, v in _FIVE_W_TWO_H.items()},
    "QUESTION_BANK": lambda: _shown_bank(_QUESTION_BANK),
    "NVC_STATEMENTS": lambda: _shown_bank(_NVC_STATEMENTS),
}


def __getattr__(name: str) -> Any:
    """The course definitions and hand-labelled banks, each read in the language in force.

    >>> from cvmlib.i18n import language
    >>> with language("zh"):
    ...     from cvmlib.communication import QUESTION_BANK
    >>> QUESTION_BANK["q1"]
    ('您小票上的订单号是O0039215吗？', 'closed')
    """
    if name in _SHOWN:
        return _SHOWN[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
