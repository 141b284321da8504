"""The communication and complaint-handling exercises in the Chinese edition (issue 10).

Under ``language("zh")``, for every exercise of ``cvmlib.exercises.{communication,complaints}``:

- every text a participant reads (prompt, hints, each mistake's hints, the items and options a workbook
  prints, the comparators' own messages) is Chinese: CJK characters and no run of four English words
  outside code spans;
- the expected answer, written as a participant would, still passes; for the written answers (the NVC
  rewrite, the 5W2H plan, the questions) the expected answer is the Chinese model answer, and the English
  model passes too (an answer is read with the rules of its own script);
- each named mistake is still recognised, with its own Chinese hint, at every tier; the near misses and
  the odd answers of the contract test still fail, with a Chinese hint, and no message leaks a value;
- Chinese written answers are judged right: good ones pass, bad ones fail with a hint that names the
  problem; answers may use the Chinese names of panes, traits, labels, teams and categories, and a wrong
  choice is never accepted under any name.

The cases, the leak detector (``tests/test_exercise_contract.py``) and the check for English left in a
text (``tests/test_i18n_ex1.py``) are reused, not copied; the Chinese answer corpus is the one of
``tests/test_communication_zh.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

import tests.test_communication_zh as corpus
import tests.test_exercise_contract as contract
from cvmlib import communication
from cvmlib.exercises import communication as com
from cvmlib.exercises import complaints as cmp
from cvmlib.exercises import exercise_ids, get_exercise
from cvmlib.exercises.wrong_answers import Options, single_deviations
from cvmlib.feedback import evaluate, shown_text
from cvmlib.i18n import language
from cvmlib.validate import InputError
from tests.test_i18n_exercises import CJK, assert_all_chinese, assert_chinese, english_left, zh_evaluate

TOPICS = ("communication", "complaints")
MODULES = (com, cmp)
IDS = [exercise_id for topic in TOPICS for exercise_id in exercise_ids(topic)]
#: The exercises whose answer is written text, judged by the rules of cvmlib.communication.
WRITTEN = ("communication.nvc_rewrite", "communication.five_w_two_h", "communication.write_questions")


def zh_check(exercise_id: str, answer: Any, failures_before: int = 0):
    return zh_evaluate(exercise_id, lambda: answer, failures_before)


# ----------------------------------------------------------------------------------------------
# The texts
# ----------------------------------------------------------------------------------------------


def _options() -> dict[str, Options]:
    return {f"{module.__name__}.{name}": value for module in MODULES for name, value in vars(module).items()
            if isinstance(value, Options)}


def test_every_option_and_statement_a_workbook_prints_is_chinese_with_the_same_letters():
    found = _options()
    assert {f"cvmlib.exercises.communication.{n}" for n in ("NPS_REPORT_OPTIONS", "AUDIT_STATEMENTS")} | {
        f"cvmlib.exercises.complaints.{n}" for n in ("MASLOW_LEVELS", "DEMANDS", "STEPS", "SYMPTOMS", "TACTICS",
                                                     "RECOVERY_STATEMENTS")} <= set(found)
    for where, options in found.items():
        english = dict(options)
        with language("zh"):
            chinese = dict(options)
        assert list(chinese) == list(english), where
        for key, text in chinese.items():
            assert_chinese(text, f"{where}[{key}]")
            assert text != english[key]


def _shown(module: Any, name: str) -> tuple[Any, Any]:
    english = getattr(module, name)
    with language("zh"):
        chinese = getattr(module, name)
    return english, chinese


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in _texts(v)]
    return []


BANKS = [(communication, "QUESTION_BANK"), (communication, "NVC_STATEMENTS")]
SHOWN = [(communication, "FOUR_C_COMMUNICATION"), (communication, "FIVE_RULES"), (communication, "REPORT_4P"),
         (communication, "FIVE_W_TWO_H"), (com, "MEHRABIAN_QUESTIONS"), (com, "ORIGINAL_MESSAGE"),
         (com, "COFFEE_CALL"), (com, "MODEL_REWRITE"), (com, "MODEL_PLAN"), (com, "MODEL_QUESTIONS")]


@pytest.mark.parametrize("module, name", BANKS + SHOWN, ids=[n for _, n in BANKS + SHOWN])
def test_the_items_a_workbook_prints_are_chinese_and_keep_their_keys(module, name):
    english, chinese = _shown(module, name)
    assert type(english) is type(chinese)
    if isinstance(english, dict) and name in ("FOUR_C_COMMUNICATION", "FIVE_RULES"):  # keyed by display names
        assert len(chinese) == len(english) and all(CJK.search(key) for key in chinese)
    elif isinstance(english, dict):
        assert list(chinese) == list(english)
    for text in _texts(chinese):
        if text in communication.QUESTION_TYPES or text in ("observation", "evaluation"):
            continue  # the labels of the banks are the answer keys, the same in both editions
        assert_chinese(text, name)
    assert english == getattr(module, name)  # reading the Chinese did not change the English


@pytest.mark.parametrize("module, name", BANKS, ids=[n for _, n in BANKS])
def test_the_banks_keep_their_labels_and_the_chinese_rules_agree_with_them(module, name):
    english, chinese = _shown(module, name)
    assert {k: label for k, (_, label) in chinese.items()} == {k: label for k, (_, label) in english.items()}
    for key, (text, label) in chinese.items():
        if name == "QUESTION_BANK":
            assert communication.classify_question(text) == label, (key, text)
        else:
            assert communication.is_observation(text) == (label == "observation"), (key, text)


def test_the_johari_traits_are_shown_in_chinese_and_mean_the_same_traits():
    english = (com.JOHARI_TRAITS, com.JOHARI_SELF, com.JOHARI_OTHERS)
    with language("zh"):
        chinese = (com.JOHARI_TRAITS, com.JOHARI_SELF, com.JOHARI_OTHERS)
    assert len(chinese[0]) == len(set(chinese[0])) == 12 and all(CJK.search(t) for t in chinese[0])
    as_key = dict(zip(chinese[0], english[0]))
    assert tuple(as_key[t] for t in chinese[1]) == english[1]
    assert tuple(tuple(as_key[t] for t in chosen) for chosen in chinese[2]) == english[2]


def test_the_prompts_follow_the_language_when_it_changes():
    prompt = get_exercise("communication.repeat_by_nps_group").prompt
    before = shown_text(prompt)
    with language("zh"):
        chinese = shown_text(prompt)
    assert before == shown_text(prompt) and before.startswith("Per NPS group") and str(com.WINDOW_DAYS) in before
    assert str(com.WINDOW_DAYS) in chinese and CJK.search(chinese)
    with language("zh"):
        statement = com.AUDIT_STATEMENTS["C"]
    assert f"{com.WINDOW_DAYS}天" in statement


def test_the_numbers_written_into_the_hints_follow_the_exercise_parameters():
    """Three hints write a parameter as a number (the hint checks of the exercise tests read them as text)."""
    mistakes = {m.id: m for ex in com.EXERCISES for m in ex.mistakes}
    assert f"less than {com.WINDOW_DAYS} days" in mistakes["incomplete_windows_as_zero"].hint
    assert f"+ {com.WINDOW_DAYS}, inclusive, not + {com.WINDOW_DAYS + 1}." in mistakes["window_too_long"].hint
    assert f"at least {com.JOHARI_MIN_VOTES} of the three" in mistakes["one_vote_enough"].hint
    assert len(com.JOHARI_OTHERS) == 3
    with language("zh"):
        assert f"至少有{com.JOHARI_MIN_VOTES}位" in shown_text(mistakes["one_vote_enough"].hint)


def test_the_catalogs_of_these_modules_are_complete():
    import sys

    sys.path.insert(0, str(contract.ROOT / "tools"))
    import i18n_py

    report, _done = i18n_py.check()
    parts = ("/communication.po", " communication.po", "exercises_communication.po", "exercises_complaints.po")
    mine = [line for line in report.lines() if any(part in f" {line.split(': ', 1)[1]}" for part in parts)]
    assert not mine, "\n".join(mine)


# ----------------------------------------------------------------------------------------------
# The answers of the contract, in the Chinese edition
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_expected_answer_still_passes(exercise_id):
    with language("zh"):
        expected = contract.exercise(exercise_id).expected()
    form = expected if exercise_id in WRITTEN else contract.answer_form(exercise_id)
    assert form is not None
    for failures_before in (0, 2):
        feedback = zh_check(exercise_id, form, failures_before)
        assert feedback.correct, feedback
        assert CJK.search(str(feedback)), str(feedback)


@pytest.mark.parametrize("exercise_id", WRITTEN)
def test_the_chinese_model_answer_is_chinese_and_the_english_one_passes_in_either_edition(exercise_id):
    english = get_exercise(exercise_id).expected()
    with language("zh"):
        chinese = get_exercise(exercise_id).expected()
    for text in _texts(chinese):
        assert_chinese(text, exercise_id)
    assert zh_check(exercise_id, english).correct
    assert evaluate(get_exercise(exercise_id), chinese).correct  # English edition, Chinese answer




def _zh_own_near_misses(exercise_id: str) -> list[Any]:
    with language("zh"):
        return list(get_exercise(exercise_id).near_misses())


def _wrong_cases(exercise_id: str) -> dict[str, Callable[[], Any]]:
    value = contract.expected(exercise_id)
    cases = {f"near:{name}": build for name, build in contract.near_misses(value, contract.answer_form(exercise_id)).items()}
    cases |= {f"odd:{name}": build for name, build in contract.odd_answers(value).items()
              if name not in ("fake_class", "lying_series", "logging_series")}  # those need the SEEN fixture
    for i, _miss in enumerate(contract.own_near_misses(exercise_id)):
        cases[f"own_near_miss:{i}"] = functools.partial(lambda j: contract.own_near_misses(exercise_id)[j], i)
        cases[f"own_near_miss_zh:{i}"] = functools.partial(lambda j: _zh_own_near_misses(exercise_id)[j], i)
    return cases


WRONG = [(exercise_id, case) for exercise_id in IDS for case in _wrong_cases(exercise_id)]


@pytest.mark.parametrize("exercise_id, case", WRONG, ids=[f"{i}::{c}" for i, c in WRONG])
def test_wrong_answers_still_fail_with_a_chinese_hint(exercise_id, case):
    build = _wrong_cases(exercise_id)[case]
    for form in contract._forms(build):
        first, third = zh_evaluate(exercise_id, form, 0), zh_evaluate(exercise_id, form, 2)
        assert not first.correct and not third.correct, f"{first.status}: {form()!r}"[:300]
        contract._assert_no_leak(exercise_id, first, third)
        if first.status == "hint":
            assert_all_chinese(third, f"{exercise_id}: {case}")


@pytest.mark.parametrize("exercise_id", WRITTEN)
def test_the_chinese_near_misses_are_near_the_chinese_model(exercise_id):
    """Each near miss of the Chinese edition changes the Chinese model (its pieces are pieces of the model)."""
    with language("zh"):
        model = get_exercise(exercise_id).expected()
    misses = _zh_own_near_misses(exercise_id)
    assert len(misses) == len(contract.own_near_misses(exercise_id))
    for miss in misses:
        assert miss != model
        for text in _texts(miss):
            assert not english_left(text), text


# ----------------------------------------------------------------------------------------------
# Chinese written answers, judged by the Chinese rules
# ----------------------------------------------------------------------------------------------
OBS = "最近两周，我们60张次日达订单中有9张晚了一天出库，其中4位客户打电话来问。"
GOOD_REWRITES = [
    corpus.OBS + corpus.FEEL + corpus.NEED + corpus.ASK,
    OBS + "我很着急，因为我们承诺的是次日达，守住这个承诺对我们很重要。能不能请您在本周五之前，把这9张订单晚出库的原因发给我？",
    "上周一到周五，有9张次日达订单在18:00以后才打包，第二天才出库。我有点担心，因为我需要在客户下单时告诉他们准确的到货日期。"
    "我们周四上午10点碰一下，一起看看打包顺序怎么排，好吗？",
    "最近两周，有4位客户因为次日达订单晚到一天打电话来投诉。我压力很大，因为我们很看重客户对次日达的信任。"
    "麻烦您下周一下班前告诉我，仓库那边能不能在打包时给次日达订单单独贴标？",
    "3月4日到3月15日，次日达订单里有9张是晚了一天才出库的。我很担心客户流失，因为我需要给客户一个靠得住的送达日期。"
    "您看能否在周三下午两点和我一起过一遍这9张订单？",
]
BAD_REWRITES = [
    ("你们仓库总是拖拖拉拉、粗心大意。赶紧改，不然我直接上报总监。", "original_message", "这是原来那条消息"),
    (corpus.OBS + corpus.FEEL + corpus.NEED + corpus.ASK + "否则我就找你们领导。", "threat", "威胁"),
    ("观察：9张。感受：担心。需要：我需要。请求：请。", "keyword_soup", "关键词"),
    ("最近两周有XXX张次日达订单晚发。" + corpus.FEEL + corpus.NEED + corpus.ASK, "placeholder_left", "占位符"),
    ("干得漂亮，60张次日达订单又有9张晚发。" + corpus.FEEL + corpus.NEED + corpus.ASK, "sarcasm", "讽刺"),
    (corpus.OBS + corpus.FEEL + corpus.NEED + "您能不能尽快处理一下？", None, "时间含糊"),
    ("你们仓库发货太慢了。" + corpus.FEEL + corpus.NEED + corpus.ASK, None, "评判性的词"),
    (corpus.OBS + "我觉得你们根本不重视次日达订单。" + corpus.NEED + corpus.ASK, None, "想法或评判"),
    (corpus.OBS + corpus.FEEL + "因为我需要。" + corpus.ASK, None, "你的需要没有内容"),
    (corpus.OBS + corpus.FEEL + corpus.NEED + "请不要再把次日达订单压到第二天发。", None, "不要做什么"),
    (corpus.OBS + corpus.FEEL + corpus.NEED, None, "没有请求"),
]


@pytest.mark.parametrize("message", GOOD_REWRITES, ids=[f"good-{i}" for i in range(len(GOOD_REWRITES))])
def test_a_good_chinese_rewrite_passes_in_either_edition(message):
    assert zh_check("communication.nvc_rewrite", message).correct
    assert evaluate(get_exercise("communication.nvc_rewrite"), message).correct


@pytest.mark.parametrize("message, mistake, named", BAD_REWRITES, ids=[n for _, _, n in BAD_REWRITES])
def test_a_bad_chinese_rewrite_fails_with_a_chinese_hint_that_names_the_problem(message, mistake, named):
    feedback = zh_check("communication.nvc_rewrite", message, 1)
    assert feedback.status == "hint" and feedback.mistake == mistake
    assert named in feedback.message, feedback.message
    assert_all_chinese(feedback, named)
    english = evaluate(get_exercise("communication.nvc_rewrite"), message)
    assert english.status == "hint" and english.mistake == mistake  # the same verdict in English


@pytest.mark.parametrize("plan", corpus.GOOD_PLANS, ids=[f"plan-{i}" for i in range(len(corpus.GOOD_PLANS))])
def test_a_good_chinese_plan_passes(plan):
    assert zh_check("communication.five_w_two_h", plan).correct


@pytest.mark.parametrize("plan, named", corpus.BAD_PLANS, ids=[f"gap-{i}" for i in range(len(corpus.BAD_PLANS))])
def test_a_chinese_plan_with_a_gap_fails_with_a_chinese_hint(plan, named):
    feedback = zh_check("communication.five_w_two_h", plan, 1)
    assert feedback.status == "hint"
    assert_all_chinese(feedback, named)
    assert "“" in feedback.message and "（" in feedback.message  # the field is named: “when”（何时）


QUESTION_SETS = [
    {"open": "您第一次用这台咖啡机的时候，发生了什么情况？", "probing": "您刚才提到台面上有水，水具体是从哪里漏出来的？",
     "closed": "您是3月2日在APP上买的这台咖啡机吗？"},
    {"open": "能不能请您跟我讲讲，当时机器漏水是什么样的情况？", "probing": "您说家里正好来了客人，当时具体是在做什么的时候漏的？",
     "closed": "我给您安排明天下午上门检修，可以吗？"},
    {"open": "您平时是怎么给咖啡机加水的？", "probing": "您提到水是从底部流出来的，能举个例子说说一次漏多少吗？",
     "closed": "漏水的时候机器是不是正在煮咖啡？"},
]
BAD_QUESTION_SETS = [
    ({**QUESTION_SETS[0], "open": QUESTION_SETS[0]["closed"]}, None, "封闭式问题（"),
    ({**QUESTION_SETS[0], "probing": QUESTION_SETS[0]["open"]}, None, "探询式问题要接住"),
    ({**QUESTION_SETS[0], "open": "天才，你到底把机器怎么了？"}, "blame_or_sarcasm", "嘲讽"),
    ({**QUESTION_SETS[0], "closed": "维修费您是不是想自己出？不然后果自负。"}, "blame_or_sarcasm", "指责"),
    ({**QUESTION_SETS[0], "closed": "我们下周找个时间派师傅上门，可以吗？"}, None, "时间含糊"),
    ({**QUESTION_SETS[0], "probing": "待定"}, None, "占位符"),
    ({**QUESTION_SETS[0], "open": "开放式 封闭式 探询式 什么 怎么 为什么"}, None, "关键词"),
]


@pytest.mark.parametrize("answer", QUESTION_SETS, ids=[f"set-{i}" for i in range(len(QUESTION_SETS))])
def test_good_chinese_questions_pass(answer):
    assert zh_check("communication.write_questions", answer).correct
    assert evaluate(get_exercise("communication.write_questions"), answer).correct


@pytest.mark.parametrize("answer, mistake, named", BAD_QUESTION_SETS, ids=[n for _, _, n in BAD_QUESTION_SETS])
def test_bad_chinese_questions_fail_with_a_chinese_hint(answer, mistake, named):
    feedback = zh_check("communication.write_questions", answer, 1)
    assert feedback.status == "hint" and feedback.mistake == mistake
    assert named in feedback.message, feedback.message
    assert_all_chinese(feedback, named)


def test_each_question_kind_of_the_chinese_corpus_passes_in_its_slot():
    """Every open, probing and closed question of the corpus is accepted in its own slot, and refused in another."""
    base = QUESTION_SETS[0]
    for kind, questions in (("open", corpus.OPEN_QUESTIONS), ("probing", corpus.PROBING_QUESTIONS),
                            ("closed", corpus.CLOSED_QUESTIONS)):
        for question in questions:
            assert zh_check("communication.write_questions", {**base, kind: question}).correct, question
            other = "closed" if kind != "closed" else "open"
            assert not zh_check("communication.write_questions", {**base, other: question}).correct, question


# ----------------------------------------------------------------------------------------------
# Answers that use the Chinese names (never accepting a wrong choice)
# ----------------------------------------------------------------------------------------------


def _right_labels(bank: dict) -> dict[str, str]:
    return {key: label for key, (_, label) in bank.items()}


LABELS_ZH = {"open": "开放式", "closed": "封闭式", "probing": "探询式", "observation": "观察", "evaluation": "评论"}
LABELLED = {"communication.question_types": communication.QUESTION_BANK,
            "communication.nvc_observations": communication.NVC_STATEMENTS}


@pytest.mark.parametrize("exercise_id", list(LABELLED))
def test_labels_may_be_written_in_chinese_and_a_wrong_one_never_passes(exercise_id):
    right = _right_labels(LABELLED[exercise_id])
    chinese = {key: LABELS_ZH[label] for key, label in right.items()}
    assert zh_check(exercise_id, chinese).correct
    assert evaluate(get_exercise(exercise_id), chinese).correct  # a Chinese label means its key in English too
    labels = sorted(set(right.values()))
    for key, label in right.items():
        for other in labels:
            if other != label:
                wrong = {**chinese, key: LABELS_ZH[other]}
                assert zh_check(exercise_id, wrong).status == "hint", (key, other)


def test_the_label_mistakes_are_recognised_under_chinese_labels():
    right = {key: LABELS_ZH[label] for key, label in _right_labels(communication.QUESTION_BANK).items()}
    assert zh_check("communication.question_types", {**right, "q7": "封闭式"}).mistake == "polite_open_as_closed"
    assert zh_check("communication.question_types", {**right, "q3": "开放式"}).mistake == "probing_as_open"
    right = {key: LABELS_ZH[label] for key, label in _right_labels(communication.NVC_STATEMENTS).items()}
    assert zh_check("communication.nvc_observations", {**right, "s7": "观察"}).mistake == "absolute_as_observation"
    assert zh_check("communication.nvc_observations", {**right, "s10": "评论"}).mistake == "number_as_evaluation"


PANES_ZH = {"open": "开放区", "blind": "盲区", "hidden": "隐藏区", "unknown": "未知区"}


def test_the_johari_panes_may_use_chinese_pane_names_and_the_chinese_traits():
    right = contract.expected("communication.johari")
    with language("zh"):
        trait = dict(zip(com._TRAITS, com.JOHARI_TRAITS))
    chinese = {PANES_ZH[pane]: [trait[t] for t in traits] for pane, traits in right.items()}
    assert zh_check("communication.johari", chinese).correct
    assert zh_check("communication.johari", {pane: [trait[t] for t in traits] for pane, traits in right.items()}).correct
    swapped = {**chinese, "盲区": chinese["隐藏区"], "隐藏区": chinese["盲区"]}
    assert zh_check("communication.johari", swapped).mistake == "blind_hidden_swapped"
    no_unknown = {k: v for k, v in chinese.items() if k != "未知区"}
    assert zh_check("communication.johari", no_unknown).mistake == "unknown_left_out"
    for moved in com._one_trait_moved():
        renamed = {PANES_ZH[pane]: [trait[t] for t in traits] for pane, traits in moved.items()}
        feedback = zh_check("communication.johari", renamed)
        assert feedback.status == "hint"
        assert_all_chinese(feedback, "one trait moved")
    feedback = zh_check("communication.johari", {"前台": ["沉稳"]})
    assert feedback.status == "hint" and "前台" in feedback.message
    assert_all_chinese(feedback, "unknown pane")


#: The team names as the zh tables show them (display.po), and the everyday names of the trainings.
TEAMS_ZH = {"warehouse": "仓储部", "order desk": "订单部", "after-sales": "售后部", "marketing": "市场部", "sales": "销售部"}
EVERYDAY_ZH = {"warehouse": "仓库", "order desk": "订单组", "after-sales": "售后", "marketing": "市场", "sales": "销售"}


def test_the_hand_offs_may_name_the_teams_in_chinese_and_a_wrong_team_never_passes():
    best = {category: sorted(ok)[0].lower() for category, ok in com.HANDOFF_ANSWERS.items()}
    chinese = {category: TEAMS_ZH[team] for category, team in best.items()}
    assert zh_check("communication.complaint_handoffs", chinese).correct
    assert zh_check("communication.complaint_handoffs",
                    {category: EVERYDAY_ZH[team] for category, team in best.items()}).correct
    with language("zh"):
        from cvmlib.display import label
        assert all(label(team) == TEAMS_ZH[team] for team in TEAMS_ZH), "the team names of display.po changed"
    for deviation in single_deviations(com.HANDOFF_ANSWERS, [team.upper() for team in TEAMS_ZH]):
        renamed = {category: TEAMS_ZH[team.lower()] for category, team in deviation.items()}
        assert zh_check("communication.complaint_handoffs", renamed).status == "hint", renamed
    assert zh_check("communication.complaint_handoffs",
                    {**chinese, "delivery_delay": "售后"}).mistake == "receiver_not_source"


def test_the_vital_few_may_be_named_as_either_edition_shows_the_categories():
    from cvmlib.display import readable

    right = sorted(contract.expected("complaints.vital_few"))
    with language("zh"):
        names = [readable(code) for code in right]
    assert all(CJK.search(name) for name in names)
    assert zh_check("complaints.vital_few", names).correct
    assert zh_check("complaints.vital_few", [readable(code) for code in right]).correct  # "delivery delay"
    assert not zh_check("complaints.vital_few", names[:-1]).correct
    with language("zh"):
        extra = readable(next(code for code in cmp.CATEGORIES if code not in right))
    feedback = zh_check("complaints.vital_few", [*names, extra])
    assert feedback.status == "hint"
    assert_all_chinese(feedback, "vital few")


# ----------------------------------------------------------------------------------------------
# The hints of the text checks themselves
# ----------------------------------------------------------------------------------------------


def test_the_text_check_hints_are_chinese_and_quote_what_they_found():
    with language("zh"):
        issues = communication.nvc_issues("天才，你们仓库总是发错货，下周找个时间把XXX张订单处理了，否则我就投诉。")
        gaps = communication.plan_gaps({**corpus.PLAN, "when": "周一左右", "who": "订单组的同事"})
        questions = communication.question_issues("您收到确认短信了吗？", "open")
        english_answer = communication.nvc_issues("You never deliver on time and your team is useless.")
    for text in issues + gaps + questions + english_answer:
        assert_chinese(text, "text check")
    assert any("“XXX”" in i for i in issues) and any("“否则我就投诉”" in i for i in issues)
    assert any("“天才”" in i for i in issues) and any("“总是”" in i for i in issues)
    assert gaps == ["“when”（何时）里的时间含糊（“周一左右”）：请给出日期或截止时间。",
                    "“who”（谁）没有落实到具体的人（“订单组的同事”）：请写出客户方联系人和我方负责人的名字。"]
    assert questions == ["这读起来是封闭式问题（得到“是/不是”或一个简短的事实）；开放式问题要让客户讲出经过"
                         "（用“什么”“怎么”“为什么”，或“能不能跟我讲讲……”）。"]
    assert "“never”、“useless”" in english_answer[0]


def test_input_errors_of_the_communication_helpers_are_chinese():
    calls = [lambda: communication.johari_panes(["沉稳"], ["细心"], []),
             lambda: communication.classify_question("待定"),
             lambda: communication.question_issues("您好？", "rhetorical"),
             lambda: communication.plan_gaps(["what"]),  # type: ignore[arg-type]
             lambda: communication.nvc_issues("  ")]
    for call in calls:
        with language("zh"), pytest.raises(InputError) as error:
            call()
        assert_chinese(str(error.value), "input error")


def test_the_catalogs_of_these_modules_use_the_course_terms():
    """One term per concept (locales/zh_CN/terminology.yml) in the hints and items too, not only in the book."""
    from tests.test_terminology import _read_po, load_terminology, variant_uses

    concepts, errors = load_terminology()
    assert not errors
    folder = contract.ROOT / "cvmlib" / "locale" / "zh_CN" / "LC_MESSAGES"
    mine = {name: _read_po(folder / f"{name}.po")
            for name in ("communication", "exercises_communication", "exercises_complaints")}
    assert variant_uses(mine, concepts) == []
