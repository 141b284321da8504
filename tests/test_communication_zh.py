"""The Chinese rules of cvmlib.communication, held to answers written the way Chinese participants write them.

Every table below is a family of the rules: question types, observation or evaluation, feelings,
needs, requests, placeholders, vague times, threats, sarcasm, keyword soup, 5W2H plans and whole
NVC messages. The items are what bank branch staff, e-commerce operators and hotline agents write in
Chinese training rooms (not translations of the English tables), tricky ones included: "您看什么时候
方便？" is open, "您是不是对服务不满意？" is closed, "你每次都迟到" is an evaluation, "这周你有三次晚于
九点到岗" an observation. :data:`KNOWN_MISSES` lists what the rules get wrong on purpose-built hard
cases (strict xfail: an improvement of the rules must move the item into its table).

Measured on items written after the rules (and only then added here): a first held-out set of 54
items was judged right for 47 (87 %), a second of 50 for 41 (82 %) before the rules were extended with
what they missed; the misses were single words (哪家, 抽时间, 等会儿, 大吵大闹, 回头看 read as "later").

The English rules are untouched: ``tests/test_communication.py`` holds them to their own tables.
"""

from __future__ import annotations

import pytest

from cvmlib.communication import (
    classify_question,
    content_words,
    evaluative_words,
    is_chinese,
    is_keyword_soup,
    is_observation,
    is_placeholder,
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
from cvmlib.i18n import language

# --------------------------------------------------------------------------------------------
# Question types: open / closed / probing
# --------------------------------------------------------------------------------------------
OPEN_QUESTIONS = [
    "您看什么时候方便？",                               # a question word, not a vague time
    "您打开包裹的时候，看到了什么情况？",
    "您希望我们怎么帮您处理？",
    "这张信用卡您平时主要用在哪些地方？",
    "您为什么想提前还款呢？",
    "您对这款理财产品的收益有什么看法？",
    "请问您遇到了什么问题？",
    "您是怎么发现账户被扣了两次款的？",
    "您觉得我们的配送服务哪里还需要改进？",
    "您理想中的退换货流程是怎样的？",
    "能不能请您跟我讲讲当时的经过？",                   # starts like a yes/no question
    "麻烦您描述一下机器漏水时的情况。",
    "您平时一个月大概在网上花多少钱？",
    "您这次来网点，最想解决的是什么事情？",
    "如果换成自提，您会怎么安排取货？",
    "您能说说为什么对这次服务不满意吗？",               # ends in 吗, but asks for the story
    "您是什么时候发现包裹破损的？",
    "关于这次投诉，您最在意的是哪一点？",
    "抱歉让您久等了。请问发生了什么？",
    "这笔转账您是转给谁的？",
    "您能跟我说说那天的情况吗？",
    "您希望什么时候收到退款？",
    "请问这台空调是在哪家门店买的？",
    "您觉得我们怎么做，您才会满意？",
    "这个问题出现多久了？",
    "我理解您的心情。您能描述一下当时柜员是怎么跟您说的吗？",   # 跟您说的: the clerk's words, not a probe
    "您是从什么渠道知道这个活动的？", "您觉得这款耳机的音质怎么样？", "麻烦您跟我说一下，当时ATM屏幕上显示了什么？",
    "那您现在最希望我们先解决哪一件事？", "您一般几点方便接电话？", "关于积分规则，您有哪些疑问？",
    "上次给您换的那台机器，用下来怎么样？",
]
CLOSED_QUESTIONS = [
    "您是不是对服务不满意？",                           # A-not-A: closed (and leading)
    "您收到确认短信了吗？",
    "您的订单号是多少？",                               # one identifier: a short fact
    "您是想退款，还是换一台新的？",
    "请问是您本人办理吗？",
    "这张卡是不是您本人的？",
    "您有没有在别的平台买过同款？",
    "您方便周四上午十点接电话吗？",
    "我给您安排明天下午上门维修，可以吗？",
    "您是否已经把商品寄回了？",
    "包裹外箱有破损，对吧？",
    "您收到货了没有？",
    "您需不需要我帮您改一下收货地址？",
    "退款退回原支付账户就可以，对吗？",
    "您今天是想办理挂失还是补卡？",
    "您之前来过我们网点吗？",
    "您知道是什么原因导致扣款失败吗？",                 # a question word inside a yes/no question
    "能不能麻烦您提供一下订单号？",                     # 能不能 asking for one fact
    "您的会员卡号是多少？",
    "还有什么需要我帮您的吗？",                         # the closing question, not a probe
    "您平常是在APP上买还是在门店买？",
    "您的快递单号是多少？",
    "您对我们的处理方案满意吗？",
    "您要不要先试用一下新的？",
    "您还记得当时和您联系的是哪位工作人员吗？",
    "您是第一次遇到这种情况吗？",
    "账单上的这笔消费是您本人操作的吧？",
    "请问您这次来是办理存款还是取款？", "订单上的收货人是您吗？", "您之前用过我们的手机银行吗？", "您的身份证带了没有？",
    "这个价格您能接受吗？", "请问您贵姓？", "您是要今天办，还是明天上午再来？", "您确认收货地址没有变吧？",
]
PROBING_QUESTIONS = [
    "您刚才提到快递员打过两次电话，他当时是怎么说的？",
    "您说外套“散架了”，具体是哪个部位开线的？",
    "您能举个例子吗？客服的哪句话让您不舒服？",
    "客服挂断电话以后，还发生了什么？",
    "您刚才说转账没到账，具体是哪一笔？",
    "您提到之前也投诉过，那次是怎么处理的？",
    "您说的“一直打不通”，是指哪个号码？",
    "后来呢？快递员有没有再联系您？",
    "您刚刚讲到柜台上有水，水是从哪里流出来的？",
    "您说理财经理没讲清楚风险，具体是哪一部分没讲清楚？",
    "能再详细说说当时网点排队的情况吗？",
    "您的意思是，退款到现在还没到账？",
    "当您说“被乱扣费”的时候，指的是哪几笔？",
    "除了这件事，还有别的让您不满意的地方吗？",
    "您之前提过孩子急着用奶粉，现在家里还剩多少？",
    "您提到APP一直闪退，具体是在哪一步？",
    "您刚才说客服挂了您电话，是哪一天的事？",
    "您说包装破了，是外箱破了还是里面的盒子破了？",
    "能不能具体说说是哪个按键失灵？",
    "您提到的那笔手续费，是在哪一天扣的？",
    "您还有其他想了解的吗？",
    "您刚才讲客服让您等通知，等了多久？", "您说卡被吞了，是在哪台机器上？", "您能不能再具体讲讲那个异响是什么样的声音？",
    "除了退款，您还有别的诉求吗？", "您提到孩子过敏，具体是哪些症状？",
]
QUESTIONS = ([(q, "open") for q in OPEN_QUESTIONS] + [(q, "closed") for q in CLOSED_QUESTIONS]
             + [(q, "probing") for q in PROBING_QUESTIONS])


@pytest.mark.parametrize("question, kind", QUESTIONS, ids=[f"{k}-{i}" for i, (_, k) in enumerate(QUESTIONS)])
def test_classify_question_on_chinese_questions(question, kind):
    assert classify_question(question) == kind


@pytest.mark.parametrize("question, kind", QUESTIONS, ids=[f"{k}-{i}" for i, (_, k) in enumerate(QUESTIONS)])
def test_a_good_chinese_question_of_its_kind_has_no_issue(question, kind):
    assert question_issues(question, kind) == []


# --------------------------------------------------------------------------------------------
# Observation or evaluation
# --------------------------------------------------------------------------------------------
OBSERVATIONS = [
    "这周你有三次晚于九点到岗。",
    "您这周给我们的热线打了三次电话。",
    "包裹于3月14日送达，比承诺的日期晚了五天。",
    "通话过程中，客户两次提高了音量。",
    "发票上写的是299元，订单页面上显示的是259元。",
    "最近两笔退款都用了十天以上。",
    "上个月有12位客户反映收到的商品少了配件。",
    "这张订单从下单到发货用了72小时。",
    "今天上午10点到11点，网点只开了两个柜台，有18位客户在排队。",
    "周一、周二各有一张次日达订单在18:00以后才出库。",
    "客户在电话里说了三遍“我要找你们领导”。",
    "本周仓库发错了4件货，其中3件是同一款T恤的尺码。",
    "李女士的退款申请是5月6日提交的，到今天还没有到账。",
    "第二次来电时，客户说她已经等了40分钟。",
    "你在周一的例会上打断了王经理两次。",
    "这个月你提交的日报中，有5份是第二天才交的。",
    "昨天的在线咨询里，有7条消息超过10分钟才回复。",
    "这台笨重的沙发送到时，外包装破了一个洞。",          # 笨重 is a size, not a label
    "客户收到了三条垃圾短信后才来网点问。",              # spam, not a judgement
    "这批货从仓库出来时，有两箱外包装已经破损。",
    "张经理昨天下午3点的会迟到了20分钟。",
    "客户今天上午打了两次电话，每次都要求找主管。",      # each of the two calls: counted, not "always"
    "这个月退货率是8%，上个月是5%。",
    "他在电话里对客户说了“这不归我们管”。",
    "系统显示这笔款于6月3日退回。",
    "最近三天有14位客户反映APP无法登录。",
    "这个月你提交的日报中，有5份是第二天才交的。",      # 第二天才交 holds 天才, not sarcasm
    "客户进门后，声音一直很大，引得两位客户回头看。",    # 回头看: turning round, not "later"
    "APP在我点“确认支付”后闪退了三次。", "柜员小周今天上午办理了46笔业务。", "退货的包裹里少了一个充电器。",
    "周三的培训有6个人没有签到。", "该客户在3月内共来电9次。", "客户说她打了四次电话都没人接。",
]
EVALUATIONS = [
    "你每次都迟到。",
    "您总是在抱怨。",
    "仓库团队很懒。",
    "这位客户咄咄逼人。",
    "你们从来不看我们发的消息。",
    "订单组犯了一个粗心的错误。",
    "你们客服态度太差了。",
    "这个柜员太不负责了。",
    "物流老是出问题。",
    "你们的服务简直一塌糊涂。",
    "小王做事马虎。",
    "这位客户就是无理取闹。",
    "快递员根本不看备注。",
    "你们售后互相踢皮球。",
    "这家供应商一点都不靠谱。",
    "他工作很不认真。",
    "你们的退款流程太慢了。",
    "没有人愿意帮我解决问题。",
    "你总迟到，还找借口。",
    "你们的快递员态度恶劣。",
    "你们永远只会说抱歉。",
    "你们网点的服务效率低得离谱。",
    "你根本没认真听客户说话。",
    "你们的客服就是在敷衍我。",
    "小李做事太随意了。",
    "你们仓库老发错货。",
    "这位客户一进门就大吵大闹。", "你们的APP烂透了。", "他这个人就是爱推卸责任。", "这位大爷太难伺候了。",
    "你们从来不把客户当回事。", "这个供应商交货拖拖拉拉。",
]
STATEMENTS = [(s, True) for s in OBSERVATIONS] + [(s, False) for s in EVALUATIONS]


@pytest.mark.parametrize("statement, observation", STATEMENTS,
                         ids=[f"{'obs' if o else 'eval'}-{i}" for i, (_, o) in enumerate(STATEMENTS)])
def test_observation_or_evaluation_in_chinese(statement, observation):
    assert is_observation(statement) == observation
    assert bool(evaluative_words(statement)) == (not observation)


def test_evaluative_words_quote_what_they_found():
    assert evaluative_words("你每次都迟到，做事太马虎，态度也差劲。") == ["每次都", "马虎", "差劲"]
    assert evaluative_words("这周你有三次晚于九点到岗。") == []


# --------------------------------------------------------------------------------------------
# Whole NVC messages: each part judged by the Chinese rules
# --------------------------------------------------------------------------------------------
OBS = "最近两周，我们60张次日达订单中有9张晚了一天出库。"
FEEL = "我很担心，"
NEED = "因为我需要给客户一个能兑现的送达日期。"
ASK = "您能不能在周四上午10:00和我碰一下，商量打包时怎么标记次日达订单？"

#: The English hint each kind of finding starts with (the check runs in the English edition here;
#: the Chinese hints are tested in tests/test_i18n_ex2.py).
KIND_OF_HINT = {
    "Placeholder": "placeholder", "Your message reads": "keywords", "Threat": "threat", "Sarcasm": "sarcasm",
    "Vague time": "vague", "Evaluative": "evaluation", "No number": "number", "'I feel": "pseudo",
    "No feeling": "feeling", "No need": "need", "Your need names nothing": "empty_need", "No request": "request",
    "Your request asks": "empty_request", "The request says what NOT": "negative",
}


def kinds(message: str) -> set[str]:
    """The kinds of problem the NVC check finds in ``message``."""
    with language("en"):
        issues = nvc_issues(message)
    found = {kind for issue in issues for start, kind in KIND_OF_HINT.items() if issue.startswith(start)}
    assert len(found) == len(issues), issues
    return found


FEELINGS = ["我很担心，", "我有点着急，", "说实话我挺失望的，", "我心里没底，", "我压力很大，", "我很焦虑，",
            "我感到很不安，", "我有些沮丧，", "我很为难，", "我真的很头疼，", "我很无奈，", "我很困惑，",
            "我挺委屈的，", "我非常着急，", "我很怕客户流失，", "我有点烦，", "我很生气，"]
PSEUDO_FEELINGS = ["我觉得你们不重视次日达订单，", "我感觉被仓库忽视了，", "我觉得这样对客户不公平，",
                   "我感觉你们在应付我，", "我觉得被冷落了，", "我觉得仓库没把我们的事当回事，",
                   "我感觉好像没人管这件事，", "我感到自己被推来推去，", "我觉得他们还可以做得更好，",
                   "我觉得您应该更重视一点，"]
NEEDS = ["因为我需要给客户一个能兑现的送达日期。", "因为我们很看重客户对送达时间的信任。", "按时送达对我们来说非常重要。",
         "因为我希望客户下单时就能知道准确的到货时间。", "因为我需要在每天下午4点前答复客户。",
         "我们需要仓库和客服用同一份发货时间表。", "因为我们在意客户会不会再来买。",
         "对我们来说，客户的收货日期能提前确定很关键。", "因为我们要对给客户的承诺负责。",
         "我最关心的是客户能不能按时收到礼盒。", "我很看重团队之间的配合。", "因为我们必须保证客户的体验。",
         "守住对客户的承诺对我很重要。", "因为我想让客户少跑一趟。", "因为我需要知道哪些订单有风险。"]
EMPTY_NEEDS = ["因为我需要。", "因为我们很看重。", "这对我们很重要。", "因为我们需要。", "因为我在意。"]
REQUESTS = [
    "您能不能在周四上午10:00和我碰一下，商量打包时怎么标记次日达订单？",
    "麻烦您周五下班前把有风险的订单清单发给我。",
    "能不能请您明天上午给客户回个电话？",
    "您看能否在本周三之前安排补发？",
    "可以请您下周一上午十点来网点一趟吗？",
    "我们能不能周四下午一起过一遍发货记录？",
    "希望您能在3个工作日内给我一个答复。",
    "辛苦您周五12:00前确认一下库存。",
    "请在今天17:00前把这笔退款办结。",
    "您方便的话，周四上午10点我们通个电话？",
    "想请您下周二之前把新的排班表发我一份。",
    "咱们约周四上午10点开个短会，好吗？",
    "您可以在周五前告诉我哪几张订单有风险吗？",
    "拜托您今天下班前回复客户。",
    "能否请您把这9张订单的出库时间发我？",
]
EMPTY_REQUESTS = ["您能不能？", "麻烦您。", "请。", "能否请您？", "拜托了。"]
NEGATIVE_REQUESTS = ["请不要再把次日达订单压到第二天发。", "麻烦你们周五以后别再发错货了。",
                     "您能不能以后不要在下班前半小时才通知我们？", "请停止在周末临时加单，从本周六开始。",
                     "请你们周一开始不要再漏扫单号。"]

GOOD_MESSAGES = [OBS + FEEL + NEED + ASK]
GOOD_MESSAGES += [OBS + feeling + NEED + ASK for feeling in FEELINGS]
GOOD_MESSAGES += [OBS + FEEL + need + ASK for need in NEEDS]
GOOD_MESSAGES += [OBS + FEEL + NEED + request for request in REQUESTS]
GOOD_MESSAGES += [
    "上周五，网点有3位客户排队超过40分钟才办上业务。我很着急，因为我们承诺过等候不超过20分钟，"
    "这对我们网点的口碑很重要。您能不能在周三例会前，把周五下午的排班再调整一下？",
    "这个月你提交的日报中，有5份是第二天才交的。我有点担心，因为我需要每天早上9点前把数据汇总给总部。"
    "以后每天下班前把日报发我，可以吗？",
    "本周仓库发错了4件货，其中3件是同一款T恤的尺码。我挺失望的，因为客户需要一次就收到对的尺码。"
    "能不能请你们从下周一开始，打包前再核对一次尺码标签？",
    "客户李女士5月6日提交的退款申请，到今天还没到账，她已经打了三次电话。我很为难，因为我需要给她一个确定的日期。"
    "麻烦您今天17:00前告诉我退款卡在哪个环节？",
    "上周你有两天没在18:00前提交日报。我有点着急，因为我需要每天晚上把数据报给区域经理。你能不能从明天开始在17:30前发给我？",
    "客户王先生6月1日申请的退款，到今天已经10天了还没到账。我很担心，因为我们承诺过7个工作日内到账，守信对我们很重要。"
    "麻烦您今天下班前查一下卡在哪一步？",
    "本周二和周四，各有一位客户在柜台前等了超过30分钟。我挺着急的，因为客户的时间对我们很重要。"
    "我们能不能周五上午9点一起看看排班？",
    "上个月你负责的客户里，有4位提出了投诉。我有些担心，因为我很看重客户对我们的信任。周三下午两点我们聊聊这4个案例，好吗？",
    "这周一到周三，有11位客户在热线排队超过5分钟。我很着急，因为接通速度对客户体验很重要。"
    "您能不能在周五前安排两位同事在午高峰支援热线？",
    "3号、5号两天，仓库在17:00以后才开始打包当日订单。我有些担心，因为我需要保证当日达的承诺。"
    "能否请您本周四下午和我一起看看打包流程？",
    "客户说她打了四次电话都没人接。我很难过，因为我们很在意每一位客户的感受。明天上午10点前，请你把这四次来电的记录发给我。",
]


@pytest.mark.parametrize("message", GOOD_MESSAGES, ids=[f"good-{i}" for i in range(len(GOOD_MESSAGES))])
def test_a_good_chinese_nvc_message_passes(message):
    assert kinds(message) == set()


BAD_MESSAGES: list[tuple[str, str]] = (
    [(OBS + feeling + NEED + ASK, "pseudo") for feeling in PSEUDO_FEELINGS]
    + [(OBS + need + ASK, "feeling") for need in NEEDS[:5]]
    + [(OBS + FEEL.rstrip("，") + "。" + ASK, "need"), (OBS + "我很着急。" + ASK, "need")]
    + [(OBS + FEEL + need + ASK, "empty_need") for need in EMPTY_NEEDS]
    + [(OBS + FEEL + NEED, "request"), (OBS + FEEL + NEED + "这件事你们自己看着办吧。", "request")]
    + [(OBS + FEEL + NEED + request, "empty_request") for request in EMPTY_REQUESTS]
    + [(OBS + FEEL + NEED + request, "negative") for request in NEGATIVE_REQUESTS]
    + [("最近仓库发货很慢。" + FEEL + NEED + ASK, "evaluation"), ("你们仓库总是拖拖拉拉。" + FEEL + NEED + ASK, "evaluation"),
       ("仓库发货慢了。" + FEEL + NEED + "能不能请您把原因告诉我？", "number")]
    + [("你们仓库总是拖拖拉拉、粗心大意。赶紧改，不然我就直接上报总监。", "threat"),
       (OBS + FEEL + NEED + ASK + "否则我就找你们领导。", "threat"),
       ("干得漂亮，60张次日达订单又有9张晚发。" + FEEL + NEED + ASK, "sarcasm"),
       (OBS + FEEL + NEED + "您能不能尽快处理一下？", "vague"),
       (OBS + FEEL + NEED + "您下周找个时间和我碰一下，好吗？", "vague"),
       ("最近两周有XXX张次日达订单晚发。" + FEEL + NEED + ASK, "placeholder"),
       ("观察：3。感受：担心。需要：我需要。请求：请。", "keywords")]
)


@pytest.mark.parametrize("message, kind", BAD_MESSAGES, ids=[f"{k}-{i}" for i, (_, k) in enumerate(BAD_MESSAGES)])
def test_a_bad_chinese_nvc_message_is_caught_by_name(message, kind):
    assert kind in kinds(message)


# --------------------------------------------------------------------------------------------
# What every free-text check looks for first
# --------------------------------------------------------------------------------------------
WITH_PLACEHOLDER = [
    ("上周有XXX张订单晚发。", "XXX"), ("负责人：待定", "待定"), ("周一有tbc张订单晚发。", "tbc"),
    ("最近两周有???张次日达订单晚了一天。", "???"), ("您能不能在【日期】前把清单发我？", "【日期】"),
    ("送货时间：XX月XX日", "XX"), ("金额：……元", "……"), ("我们约在[时间]碰一下。", "[时间]"),
    ("联系人：某某", "某某"), ("需要：（待补充）", "待补充"), ("订单号：？？？", "？？？"),
    ("请在____前回复。", "____"), ("请您于X月X日前确认。", "X"), ("TODO：观察部分还没写。", "TODO"),
    ("共…张订单没发。", "…"), ("送货地址待确认。", "待确认"),
]
WITHOUT_PLACEHOLDER = [
    "我本来以为……结果又晚了。", "120盒 × 约200元", "您说的“散架”是指哪里？", "订单O0039215已经发货。",
    "请在周五12:00前回复。", "大概20件左右。", "尺码选了XXL，但收到的是M码。", "【紧急】今天有3张订单超时未发。",
    "X光片的报告已经寄出。", "客户说：“我等了……整整一个下午！”", "陈女士（人事经理）", "2026年2月6日前送达",
    "退款金额为1,299.00元。", "您好，请问有什么可以帮您？", "这款手机是Xbox的配件吗？",
]


@pytest.mark.parametrize("text, found", WITH_PLACEHOLDER, ids=[f"ph-{i}" for i in range(len(WITH_PLACEHOLDER))])
def test_chinese_placeholders_are_found(text, found):
    assert found in placeholders(text) or is_placeholder(text)


@pytest.mark.parametrize("text", WITHOUT_PLACEHOLDER, ids=[f"no-ph-{i}" for i in range(len(WITHOUT_PLACEHOLDER))])
def test_chinese_text_without_placeholder_passes(text):
    assert placeholders(text) == [] and not is_placeholder(text)


def test_a_whole_chinese_stand_in_is_a_placeholder():
    assert all(is_placeholder(v) for v in ("待定", "无", "暂无", "不详", "？？？", "……", "【姓名】", "XX月XX日", "某某"))
    assert not any(is_placeholder(v) for v in ("陈女士", "李伟", "120盒", "周五"))


VAGUE = [
    ("请尽快处理。", "尽快"), ("我过几天再联系您。", "过几天"), ("我们改天再约。", "改天"),
    ("回头我让同事给您打电话。", "回头"), ("您有空的时候给我回个电话。", "有空的时候"),
    ("下周找个时间碰一下。", "找个时间"), ("周一左右给您答复。", "周一左右"), ("这事我们近期会处理。", "近期"),
    ("稍后给您回电。", "稍后"), ("等忙完这阵子再说。", "等忙完"), ("下周给您寄过去。", "下周"),
    ("晚点给您回复。", "晚点给"), ("下个月安排退款。", "下个月"), ("我们抽空过去看看。", "抽空"),
    ("10点左右到。", "10点左右"), ("请抓紧处理。", "抓紧处理"), ("月底前后能发货。", "月底前后"),
    ("asap回复我。", "asap"),
    ("我这两天抽时间给您弄。", "抽时间"), ("过一阵子再给您安排。", "过一阵子"),
    ("等会儿给您回电话。", "等会儿"), ("这两天就给您发。", "这两天就"),
]
SPECIFIC = [
    "请在周五12:00前回复。", "我明天上午10点给您回电。", "下周二下午3点送到。", "包裹一到请马上通知我。",
    "3个工作日内退款到账。", "2026年2月6日前送达。", "今天17:00前给您答复。", "下个月5号前发货。",
    "您看什么时候方便？", "您哪天有空？", "过了两天，客户又打来电话。", "三天以后，包裹才送到。",
    "周四之后再发货。", "我马上帮您查。", "本周五之前给您回复。", "回头客占了六成。", "航班晚点了两个小时。",
    "您能再说一遍吗？",
    "有消息了第一时间通知您。", "等我问完仓库再回您。", "明早9点前发货。",
    "下周五前寄出。", "今天下午5点前回复您。", "收到货后7天内可以申请退换。",
]


@pytest.mark.parametrize("text, found", VAGUE, ids=[f"vague-{i}" for i in range(len(VAGUE))])
def test_chinese_vague_times_are_found(text, found):
    assert found in vague_times(text)


@pytest.mark.parametrize("text", SPECIFIC, ids=[f"specific-{i}" for i in range(len(SPECIFIC))])
def test_chinese_specific_times_pass(text):
    assert vague_times(text) == []


THREATS = [
    "周五前必须解决，否则我就找你们领导。", "再不退款的话，我就去12315投诉。", "不然我就上报总监。",
    "如果你们今天不处理，我就发到网上。", "要是明天还不到，我们就起诉你们。", "你们等着瞧。", "后果自负。",
    "这是最后一次警告。", "别怪我不客气。", "我们会请律师处理。", "否则后果自负。", "不然我就给差评。",
    "如果周五前没有答复，我们就向你们领导投诉。", "你会后悔的。", "法庭上见。", "要不然我就找媒体曝光你们。",
    "要是这周还修不好，我就去消协投诉你们。", "明天还不给我答复，我就找你们行长。", "不处理是吧？那我们法院见。",
    "否则我只能向银保监会反映了。", "今天不处理，我就投诉你们。",
    "你们要是敢不退，我就天天来闹。", "这件事不解决，我就找媒体曝光。", "不给个说法，我就去银保监会投诉。",
]
NOT_THREATS = [
    "我会把这件事升级给值班经理，让您今天就能得到答复。", "如果周四您不方便，我再给您约两个时间。",
    "请周五前把名单发给我，不然客户那边我没法答复。", "客户说如果今天不到货，他会投诉。",
    "如果您对处理结果不满意，可以拨打我们的监督电话。", "我已经把您的投诉上报给主管了。", "这个问题我会跟进到底。",
    "我们已经报告你们部门经理了。", "我们要是周四前没发货，就给您补偿20元。", "我会告诉你们主管这件事处理得很好。",
    "客户要求我们今天给答复，不然他只能退货。", "如果周五还没修好，我们就给您换新机。",
    "您放心，如果周五前还没到，我会亲自给您打电话。", "如果您需要，我可以帮您转接主管。",
    "客户一直没收到货，我们就上报给了主管。", "您没收到短信的话，我就再给您发一次。",
    "请放心，问题不解决我们不会结案。", "如果今天处理不了，我就请主管亲自给您回电。", "您再不满意的话，我们可以再给您换一次。",
]


@pytest.mark.parametrize("text", THREATS, ids=[f"threat-{i}" for i in range(len(THREATS))])
def test_chinese_threats_are_found(text):
    assert threats(text)


@pytest.mark.parametrize("text", NOT_THREATS, ids=[f"not-threat-{i}" for i in range(len(NOT_THREATS))])
def test_saying_what_happens_next_is_not_a_threat(text):
    assert threats(text) == []


SARCASTIC = [
    "干得漂亮，包裹又晚了三天！", "你们的“极速”发货真是让我大开眼界。", "真有你的，又发错货了。",
    "天才，你把地址都填错了。", "呵呵，退款还没到。", "效率真高啊，等了半个月才回复。", "托你们的福，客户又投诉了。",
    "谢谢你们的“专业”服务。", "所谓的次日达，第四天才到。", "一如既往地慢。", "您可真忙啊，电话一直打不通。",
    "太感谢了，第三次发错货。", "好样的，又漏发了两件。", "不出所料，包裹又丢了。", "你可真行，客户地址都能写错。",
]
SINCERE = [
    "感谢您的耐心，包裹晚到了两天，非常抱歉。", "谢谢您昨天及时回复。", "上个月大家干得很好，本周有3张订单晚发，我们一起看看原因。",
    "王经理做得好，上周零差错。", "新来的客服小刘真贴心，客户专门打电话来表扬。", "这次售后处理得很专业，谢谢。",
    "客服：“请问还有什么可以帮您？”", "订单号“O0039215”已发货。", "太感谢您了，问题已经解决了。",
    "这周没有延误，干得好！", "您提的建议很好，我们下周一开始试行。",
]


@pytest.mark.parametrize("text", SARCASTIC, ids=[f"sarcasm-{i}" for i in range(len(SARCASTIC))])
def test_chinese_sarcasm_is_found(text):
    assert sarcasm_cues(text)


@pytest.mark.parametrize("text", SINCERE, ids=[f"sincere-{i}" for i in range(len(SINCERE))])
def test_sincere_chinese_praise_and_thanks_pass(text):
    assert sarcasm_cues(text) == []


SOUP = [
    "观察 感受 需要 请求 什么时候 我 你", "观察：3。感受：担心。需要：我需要。请求：请。",
    "周一 两张 担心 着急 因为我需要 请 能不能 你", "3张订单晚了。担心。我需要。您能不能？",
    "我很担心、着急、失望、焦虑，因为我需要，我看重，对我很重要。请您，能不能，可不可以？",
    "感受：着急。需要：尊重。请求：回电。", "观察、感受、需要、请求", "非暴力沟通四要素：观察感受需要请求",
    "担心 需要 请求 周四", "观察：有。感受：有。需要：有。请求：有。", "我担心。我需要。请您。谢谢。",
    "开放 封闭 探询 什么 怎么", "观察感受需要请求观察感受需要请求", "时间：周四。感受：担心。",
    "需要 请求 因为 所以 但是 如果",
]


@pytest.mark.parametrize("text", SOUP, ids=[f"soup-{i}" for i in range(len(SOUP))])
def test_chinese_keyword_soup_is_found(text):
    assert is_keyword_soup(text)


@pytest.mark.parametrize("text", GOOD_MESSAGES[:16], ids=[f"not-soup-{i}" for i in range(16)])
def test_real_chinese_messages_are_not_soup(text):
    assert not is_keyword_soup(text)


def test_chinese_question_soup_and_real_questions():
    assert is_keyword_soup("开放式 封闭式 探询式 什么 怎么 为什么", min_content=1,
                           keywords=["what", "how", "why", "open", "closed", "probing"])
    with language("en"):
        assert question_issues("开放式 封闭式 探询式 什么 怎么 为什么", "open")[0].startswith("Your question reads")
    assert all(not is_keyword_soup(q, min_content=1) for q, _ in QUESTIONS)


def test_content_words_of_a_chinese_text():
    assert content_words("观察：3。感受：担心。需要：我需要。请求：请。") == []
    assert content_words("周一有3张订单晚发。") == ["订单", "晚发"]


def test_text_issues_names_every_kind_in_chinese_text():
    with language("en"):
        issues = text_issues("天才，下周找个时间把XXX张订单处理了，否则我就投诉。")
    assert [issue.split(":")[0] for issue in issues] == ["Placeholder left in your message", "Threat", "Sarcasm",
                                                         "Vague time"]


# --------------------------------------------------------------------------------------------
# 5W2H plans written in Chinese
# --------------------------------------------------------------------------------------------
PLAN = {
    "what": "120盒春节食品礼盒",
    "why": "公司发给员工的春节福利",
    "who": "陈女士（客户方人事经理）；李伟（订单组，我方负责人）",
    "when": "2026年2月6日前送达；1月16日前确认送货日期",
    "where": "杭州市西湖区，客户公司前台",
    "how": "一次拣货打包、整单发出，快递预约送货；发货前开具增值税专用发票",
    "how much": "120盒 × 约200元 = 约24,000元",
}
GOOD_PLANS = [
    PLAN,
    {"做什么": PLAN["what"], "为什么": PLAN["why"], "谁": PLAN["who"], "何时": PLAN["when"], "何地": PLAN["where"],
     "怎么做": PLAN["how"], "多少": PLAN["how much"]},
    {**PLAN, "when": "2月6日（周五）上午10点至12点", "who": "人事部陈经理；我方小王"},
    {**PLAN, "how much": "一百二十盒，每盒一百九十八元", "what": "春节礼盒一百二十盒"},
    {"What（做什么）": PLAN["what"], "Why（为什么）": PLAN["why"], "Who（谁）": PLAN["who"], "When（何时）": PLAN["when"],
     "Where（何地）": PLAN["where"], "How（怎么做）": PLAN["how"], "How much（多少）": PLAN["how much"]},
    {**PLAN, "when": "收到付款后3个工作日内发货，2月6日前送达"},
    {**PLAN, "who": "客户方：陈女士；我方：订单组李伟"},
]


@pytest.mark.parametrize("plan", GOOD_PLANS, ids=[f"plan-{i}" for i in range(len(GOOD_PLANS))])
def test_a_complete_chinese_plan_has_no_gaps(plan):
    assert plan_gaps(plan) == []


BAD_PLANS: list[tuple[dict, str]] = [
    ({**PLAN, "when": "周一左右"}, "vague ('周一左右')"),
    ({**PLAN, "when": "尽快"}, "vague ('尽快')"),
    ({**PLAN, "when": "下周找个时间"}, "vague ('找个时间')"),
    ({**PLAN, "when": "二月初，待定"}, "placeholder ('待定')"),
    ({**PLAN, "when": "2月6日或者快递有空的时候"}, "vague ('有空的时候')"),
    ({**PLAN, "when": "春节前"}, "'when' is vague: give a date"),
    ({**PLAN, "how much": "120盒 × ??? 元"}, "placeholder ('???')"),
    ({**PLAN, "who": "待定"}, "Missing 'who'"),
    ({**PLAN, "where": "xxx"}, "Missing 'where'"),
    ({**PLAN, "what": "120盒XXX礼盒"}, "placeholder ('XXX')"),
    ({**PLAN, "why": "为什么", "how": "怎么做"}, "only repeats field names"),
    ({**PLAN, "how": "快递尽快发，发票以后再开"}, "vague ('尽快', '以后再')"),
    ({**PLAN, "who": "订单组随便找个人"}, "names no person"),
    ({**PLAN, "who": "订单组的同事"}, "names no person"),
    ({**PLAN, "how": "先发了再说，她要是再投诉，我们就告她"}, "threat or sarcasm"),
    ({**PLAN, "why": "因为她是所谓的大客户"}, "threat or sarcasm"),
    ({**PLAN, "how much": "按老规矩"}, "'how much' has no number"),
    ({**PLAN, "what": "礼盒"}, "'what' is too short"),
    ({k: v for k, v in PLAN.items() if k != "where"}, "Missing 'where'"),
    ({**PLAN, "where": "无"}, "Missing 'where'"),
]


@pytest.mark.parametrize("plan, named", BAD_PLANS, ids=[f"gap-{i}" for i in range(len(BAD_PLANS))])
def test_gaps_in_a_chinese_plan_are_named(plan, named):
    with language("en"):
        gaps = plan_gaps(plan)
    assert any(named in gap for gap in gaps), gaps


def test_missing_fields_reads_chinese_field_names():
    assert missing_fields({"做什么": "120盒礼盒", "何时": "待定"}, ["what", "when", "where"]) == ["when", "where"]
    report = {"立场/背景": "订单组李伟：陈女士的120盒礼盒订单", "问题": "供应商只确认了80盒", "可能方案": "A）换品牌；B）分批送"}
    assert missing_fields(report, ["position", "problem", "possibility", "proposal"]) == ["proposal"]


# --------------------------------------------------------------------------------------------
# Which rules: the script of the answer decides, not the edition
# --------------------------------------------------------------------------------------------
def test_the_script_of_the_answer_chooses_the_rules_in_either_edition():
    for edition in ("en", "zh"):
        with language(edition):
            assert classify_question("您看什么时候方便？") == "open"
            assert classify_question("When would suit you?") == "closed"
            assert evaluative_words("你每次都迟到。") == ["每次都"]
            assert evaluative_words("You are always late.") == ["always"]
    assert is_chinese("订单 O123") and not is_chinese("Order O123")


# --------------------------------------------------------------------------------------------
# What the rules get wrong: hard cases, kept visible (strict xfail)
# --------------------------------------------------------------------------------------------
KNOWN_MISSES = [
    pytest.param(lambda: not is_observation("你又迟到了。"), id="again-implies-a-pattern"),
    pytest.param(lambda: not is_observation("你好像不太在乎客户。"), id="hedged-judgement"),
    pytest.param(lambda: classify_question("您是几号收到的呢？") == "closed", id="date-question-counted-open"),
    pytest.param(lambda: bool(sarcasm_cues("哇，包裹居然只用了六天就到了呢。")), id="irony-without-a-cue"),
    pytest.param(lambda: bool(threats("我看你们是不想干了。")), id="veiled-threat"),
    pytest.param(lambda: question_issues("您是要今天办，还是改天再来？", "closed") == [], id="vague-option-offered"),
]


@pytest.mark.xfail(strict=True, reason="a limit of word rules: the workbook says they read words, not meaning")
@pytest.mark.parametrize("holds", KNOWN_MISSES)
def test_known_misses_of_the_chinese_rules(holds):
    assert holds()


def test_the_tables_are_large_enough():
    families = {"open": OPEN_QUESTIONS, "closed": CLOSED_QUESTIONS, "probing": PROBING_QUESTIONS,
                "observation": OBSERVATIONS, "evaluation": EVALUATIONS, "feeling": FEELINGS,
                "pseudo feeling": PSEUDO_FEELINGS, "need": NEEDS, "request": REQUESTS, "placeholder": WITH_PLACEHOLDER,
                "no placeholder": WITHOUT_PLACEHOLDER, "vague": VAGUE, "specific": SPECIFIC, "threat": THREATS,
                "not a threat": NOT_THREATS, "sarcasm": SARCASTIC, "sincere": SINCERE, "soup": SOUP,
                "good message": GOOD_MESSAGES, "bad message": BAD_MESSAGES, "plan gap": BAD_PLANS}
    small = {name: len(items) for name, items in families.items() if len(items) < 10}
    assert small == {}
    assert sum(map(len, (OPEN_QUESTIONS, CLOSED_QUESTIONS, PROBING_QUESTIONS))) >= 45
