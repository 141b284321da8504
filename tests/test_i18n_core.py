"""The zh edition of the core: check results, progress, solutions, workspace notes and Chinese workbooks.

What a Chinese participant reads comes from the same code as the English edition: the English message
translated when it is shown (cvmlib.i18n), or, in a workbook, the English Markdown with the book's own
gettext translations put in place (cvmlib.myst_text, cvmlib.workbooks). The numbers and the decisions
(correct or not, which mistake, which tier of help) never depend on the language.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from babel.messages.catalog import Catalog as BabelCatalog
from babel.messages.pofile import read_po, write_po
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from cvmlib.exercises import check, exercise_ids, get_exercise, solution
from cvmlib.feedback import (Exercise, Feedback, Mistake, compare_choice, compare_choice_set, compare_scalar,
                             evaluate, shown_text)
from cvmlib.i18n import N_, _, get_language, language
from cvmlib.myst_text import (Catalog, markdown_parser, message_id, myst_to_markdown, read_catalog,
                              translate_markdown, translate_notebook)
from cvmlib.progress import ProgressReport, progress_table
from cvmlib.slides import EXPLORER_NOTE
from cvmlib.workbooks import (LANGUAGE_CELL_ID, build_workbooks, instructor_version, localized_source, main,
                              set_workbook_language, untranslated_blocks, workbook_dirs)
from cvmlib.workspace import update_workspace
from tests.conftest import ROOT

RFM = ROOT / "notebooks" / "rfm.ipynb"
NOTEBOOK_CATALOGS = ROOT / "locales" / "zh_CN" / "LC_MESSAGES" / "notebooks"
#: Words of the English feedback that must never reach a Chinese participant.
ENGLISH_FEEDBACK = re.compile(r"\b(Correct|Not yet|Not answered|well done|replace the|More help|Still stuck|"
                              r"Expected|Your answer|Your number|worked solution)\b")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def english_by_default():
    """Every test starts and ends in English, whatever it switched to."""
    assert get_language() == "en"
    yield
    assert get_language() == "en"


# ------------------------------------------------------------------------------------------------
# check() in Chinese
# ------------------------------------------------------------------------------------------------

def test_a_real_check_answers_in_chinese_at_every_tier():
    ex = get_exercise("rfm.champions_revenue_share")
    with language("zh"):
        unanswered = check("rfm.champions_revenue_share", ...)
        first, second, third = (check("rfm.champions_revenue_share", 0.5) for _ in range(3))
        right = check("rfm.champions_revenue_share", ex.expected())
        shown = [str(f) for f in (unanswered, first, second, third, right)]
        page = right._repr_html_()
    assert shown[0].startswith("[rfm.champions_revenue_share] 还没有作答：请把 ... 换成你的代码")
    assert [f.status for f in (first, second, third)] == ["hint"] * 3 and [f.tier for f in (first, second, third)] == [1, 2, 3]
    assert all(text.startswith("[rfm.champions_revenue_share] 还不对：") for text in shown[1:4])
    assert "进一步提示：" not in first.message and "进一步提示：" in second.message
    assert 'solution("rfm.champions_revenue_share")' in third.message and "参考解答" in third.message
    assert shown[4] == "[rfm.champions_revenue_share] 正确：做得好。"
    for text in shown:
        assert not ENGLISH_FEEDBACK.search(text), text
    # the HTML a notebook shows uses the Chinese colon too
    assert "rfm.champions_revenue_share</strong>：做得好。" in page


def test_the_same_check_in_english_is_unchanged():
    ex = get_exercise("rfm.champions_revenue_share")
    assert str(check("rfm.champions_revenue_share", ex.expected())) == "[rfm.champions_revenue_share] Correct: well done."
    assert str(evaluate(ex, ...)).endswith("Not answered yet: replace the ... with your code, run the cell, then check again.")
    assert evaluate(ex, 0.5).message.startswith("Your number is not the expected one. ")


@pytest.mark.parametrize("exercise_id", exercise_ids("rfm"))
def test_decisions_do_not_depend_on_the_language(exercise_id):
    """Correct or not, which mistake, which tier: identical in both editions, for the right answer and every near miss."""
    ex = get_exercise(exercise_id)
    answers = [ex.expected(), *(ex.near_misses() if ex.near_misses else [])]
    for answer in answers:
        english = evaluate(ex, answer, failures_before=1)
        with language("zh"):
            chinese = evaluate(ex, answer, failures_before=1)
        assert (chinese.status, chinese.mistake, chinese.tier) == (english.status, english.mistake, english.tier)
        if chinese.status == "hint":
            assert HAN.search(chinese.message), chinese.message


def test_letters_typed_with_a_chinese_input_method_are_the_same_letters():
    assert compare_choice("（Ｂ）", frozenset("B")) is None and compare_choice("b。", frozenset("B")) is None
    for typed in ("A、C", "A和C", "Ａ，Ｃ", "A；C", "A 与 C"):
        assert compare_choice_set(typed, frozenset("AC")) is None, typed
    assert compare_choice_set("A、B", frozenset("AC")) is not None
    with pytest.raises(Exception):
        compare_choice("乙", frozenset("B"))  # a Chinese character is not an option letter
    with language("zh"):
        assert compare_scalar(41.0, 42.0) == "你的数字还不对。"


# ------------------------------------------------------------------------------------------------
# The render rule for exercise texts: a str is a message (translated when shown), a callable is called
# ------------------------------------------------------------------------------------------------

def _demo(**texts) -> Exercise:
    return Exercise("demo.share", N_("How many?"), expected=lambda: 12.0, **texts)


def test_a_composed_callable_hint_is_built_when_shown_in_the_language_in_force():
    calls = []

    def composed() -> str:
        calls.append(get_language())
        return _("{difference} {hint}").format(difference=_(N_("Your number is not the expected one.")),
                                              hint=_(N_("Not the best choice yet.")))

    mistake = Mistake("eleven", composed, answer=lambda: 11.0, more=lambda: _(N_("well done.")))
    ex = _demo(mistakes=(mistake,), hint=N_("Re-read the task and check your definition against the glossary."))
    assert calls == []  # defining the exercise froze no language
    with language("zh"):
        chinese = evaluate(ex, 11.0, failures_before=1)
    english = evaluate(ex, 11.0, failures_before=1)
    assert calls == ["zh", "en"]
    assert chinese.mistake == english.mistake == "eleven"
    assert chinese.message.splitlines() == ["你的数字还不对。这还不是最好的选择。", "进一步提示：做得好。"]
    assert english.message.splitlines() == ["Your number is not the expected one. Not the best choice yet.",
                                            "More help: well done."]


def test_string_texts_are_translated_when_shown_not_when_defined():
    with language("zh"):
        ex = _demo(hint=N_("Re-read the task and check your definition against the glossary."),
                   more_hint=N_("Not the best choice yet."))  # defined in zh: still English msgids
    assert ex.hint == "Re-read the task and check your definition against the glossary."
    with language("zh"):
        shown = evaluate(ex, 13.0, failures_before=1).message
        texts = ex.shown_texts()
    assert shown == "你的数字还不对。请重读题目，并对照术语表核对你用的定义。\n进一步提示：这还不是最好的选择。"
    assert texts[1:] == ["请重读题目，并对照术语表核对你用的定义。", "这还不是最好的选择。"]
    assert shown_text(lambda: "已翻译") == "已翻译" and shown_text("") == ""


def test_the_default_hint_and_labels_are_translated():
    ex = Exercise("demo.x", "x", expected=lambda: 1.0)
    with language("zh"):
        assert evaluate(ex, 2.0).message == "你的数字还不对。请重读题目，并对照术语表核对你用的定义。"
        assert [Feedback("d", status, "m").label for status in ("correct", "hint", "not_answered")] == \
            ["正确", "还不对", "还没有作答"]


# ------------------------------------------------------------------------------------------------
# Progress, solutions, slides
# ------------------------------------------------------------------------------------------------

def test_progress_table_in_chinese_keeps_its_data_and_aligns_its_columns():
    rows = [{"event": "check", "exercise": "rfm.recency", "status": "hint", "mistake": "m", "attempt": 1},
            {"event": "check", "exercise": "rfm.recency", "status": "correct", "attempt": 2}]
    report = ProgressReport(progress_table(rows, ["rfm.monetary"]), path=None)
    with language("zh"):
        text, page = str(report), report._repr_html_()
    assert text.splitlines()[0] == "你的学习进度：共 2 道练习，已完成 1 道（其中 0 道一次答对），已尝试 1 道。"
    header, first, second = text.splitlines()[2:5]
    assert header.split() == ["练习", "作答次数", "已完成", "一次答对", "看过解答", "出现过的典型错误"]
    # a Chinese character takes two columns: "作答次数" starts where the attempt counts start
    width = lambda s: sum(2 if HAN.match(c) else 1 for c in s)  # noqa: E731
    assert width(header[:header.index("作答次数")]) == len(second[:second.index(" 2 ")]) + 1
    assert "是" in second and "&#10004;" in page and "<th style='text-align:left'>练习</th>" in page
    assert list(report.table.columns)[:2] == ["exercise", "attempts"]  # the data keep their English names


def test_a_worked_solution_is_introduced_in_chinese_and_its_code_is_unchanged():
    english = solution("rfm.recency")
    with language("zh"):
        text = str(english)
        page = english._repr_html_()
    assert text.startswith("rfm.recency 的参考解答（来自 rfm.ipynb）：")
    assert english.code in text.replace("\n    ", "\n") or all(line.strip() in text for line in english.code.splitlines())
    assert "rfm.recency 的参考解答" in page
    assert str(english).startswith("Worked solution of rfm.recency (from rfm.ipynb):")


def test_slides_speaker_note_is_in_the_workbooks_language():
    nb = new_notebook(cells=[new_markdown_cell("# T", id="t"), new_code_cell("rfm_explorer(rfm)", id="x")])
    with language("zh"):
        shown = instructor_version(nb)
    assert shown.cells[-1].source == _zh(EXPLORER_NOTE) and shown.cells[-1].source.startswith("**如何演示")
    assert instructor_version(nb).cells[-1].source == EXPLORER_NOTE


def _zh(message: str) -> str:
    with language("zh"):
        return _(message)


# ------------------------------------------------------------------------------------------------
# Markdown translated by the book's catalogs
# ------------------------------------------------------------------------------------------------

def test_blocks_of_every_kind_are_translated_in_place():
    source = "\n".join([
        "## Totals ##", "", "A paragraph on", "two lines.", "", "- First item", "  continued.", "- Code `x = 1` item",
        "", "> Quoted", "> text.", "", "| Segment | Share |", "|---|---|", "| Champions | `0.25` |", "",
        ":::{note} Before you start", ":class: dropdown", "Inside the note.", ":::", "", "```python",
        "A paragraph on two lines.", "```", "", "$$", "x = 1", "$$", "(label)=", "% a comment"])
    catalog = Catalog({"Totals": "合计", "A paragraph on two lines.": "分两行的\n一段话。", "First item continued.": "第一项。",
                       "Quoted text.": "引文。", "Segment": "分群", "Champions": "重要价值客户",
                       "Before you start": "开始之前", "Inside the note.": "提示里的话。"},
                      frozenset({"Share"}))
    text, missing = translate_markdown(source, catalog)
    lines = text.splitlines()
    assert lines[:10] == ["## 合计 ##", "", "分两行的一段话。", "", "- 第一项。", "- Code `x = 1` item", "",
                          "> 引文。", "", "| 分群 | Share |"]
    assert "| 重要价值客户 | `0.25` |" in lines
    assert ":::{note} 开始之前" in lines and ":class: dropdown" in lines and "提示里的话。" in lines
    # code, math, labels and comments are never touched, even when their text is a message
    assert lines[lines.index("```python") + 1] == "A paragraph on two lines."
    assert lines[-5:] == ["$$", "x = 1", "$$", "(label)=", "% a comment"]
    assert [(text, known) for _, text, known in missing] == [("Code `x = 1` item", False), ("Share", True)]


def test_a_translated_table_cell_keeps_its_table():
    text, _missing = translate_markdown("| Segment | Share |\n|---|---|\n| At risk | 1 |", Catalog({"At risk": "流失风险|At risk"}))
    assert text.splitlines()[-1] == "| 流失风险\\|At risk | 1 |"


def test_message_ids_are_the_ones_sphinx_extracted_for_every_workbook():
    """Each message of the book's catalogs of the notebooks is a block found by the workbook parser."""
    catalogs = sorted(NOTEBOOK_CATALOGS.glob("*.po"))
    assert catalogs, "the zh catalogs of the notebooks are missing"
    for po in catalogs:
        nb = nbformat.read(ROOT / "notebooks" / f"{po.stem}.ipynb", as_version=4)
        blocks = {message_id(token.content) for cell in nb.cells if cell.cell_type == "markdown"
                  for token in markdown_parser().parse(cell.source) if token.type == "inline"}
        assert read_catalog(po).known - blocks == set(), po.name


def test_fuzzy_and_empty_translations_do_not_count(tmp_path):
    po = tmp_path / "demo.po"
    catalog = BabelCatalog(locale="zh_CN")
    catalog.add("Done.", "完成。")
    catalog.add("Empty.", "")
    catalog.add("Fuzzy.", "模糊。", flags=["fuzzy"])
    with po.open("wb") as handle:
        write_po(handle, catalog)
    read = read_catalog(po)
    assert dict(read.translations) == {"Done.": "完成。"} and read.known == {"Done.", "Empty.", "Fuzzy."}
    text, missing = translate_markdown("Done.\n\nEmpty.\n\nFuzzy.", read)
    assert text == "完成。\n\nEmpty.\n\nFuzzy." and [m[1:] for m in missing] == [("Empty.", True), ("Fuzzy.", True)]


# ------------------------------------------------------------------------------------------------
# Chinese workbooks from the English source
# ------------------------------------------------------------------------------------------------

HEADING, HEADING_ZH = "Exercise 1: recency", "练习 1：最近一次消费（测试译文）"
TITLE = "RFM workbook: from orders to segments and actions"
PARAGRAPH = ("First compute the three measures with plain pandas, so you know exactly what the library does "
             "later.")


@pytest.fixture
def course(tmp_path) -> tuple[Path, Path]:
    """One real source notebook and a small synthetic zh catalog for it (three messages, one left empty)."""
    src = tmp_path / "notebooks"
    src.mkdir()
    shutil.copy(RFM, src / RFM.name)
    folder = tmp_path / "locales" / "zh_CN" / "LC_MESSAGES" / "notebooks"
    folder.mkdir(parents=True)
    catalog = BabelCatalog(locale="zh_CN")
    catalog.add(HEADING, HEADING_ZH)
    catalog.add(PARAGRAPH, "先用纯 pandas 算出这三个指标（测试译文）。")
    catalog.add(TITLE, "")
    with (folder / "rfm.po").open("wb") as handle:
        write_po(handle, catalog)
    return src, tmp_path / "locales"


def _added(cell) -> bool:
    """A cell the slides added: the rest of a split Markdown cell, or a speaker note after an explorer."""
    return re.search(r"-(part\d+|presenting)$", cell.id) is not None


def _markdown(nb) -> str:
    return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def test_zh_workbooks_translate_the_markdown_and_keep_code_and_ids(course, tmp_path):
    src, locales = course
    out = tmp_path / "_build" / "workbooks"
    missing = []
    build_workbooks(src, out, "en")
    written = build_workbooks(src, out, "zh", locales, missing)
    assert workbook_dirs(out, "zh") == (out / "participant" / "zh", out / "instructor" / "zh")
    assert sorted(p.relative_to(out).as_posix() for p in written) == ["instructor/zh/rfm.ipynb", "participant/zh/rfm.ipynb"]
    for version in ("participant", "instructor"):
        en = nbformat.read(out / version / "rfm.ipynb", as_version=4)
        zh = nbformat.read(out / version / "zh" / "rfm.ipynb", as_version=4)
        assert f"### {HEADING_ZH}" in _markdown(zh) and HEADING not in _markdown(zh)
        assert f"### {HEADING}" in _markdown(en) and HEADING_ZH not in _markdown(en)
        assert TITLE in _markdown(zh)  # no translation yet: stays English (and is reported)
        if version == "participant":
            assert [c.id for c in zh.cells] == [c.id for c in en.cells]
        else:  # slides split long Markdown cells where they no longer fit, so cells may be cut differently
            assert [c.id for c in zh.cells if not _added(c)] == [c.id for c in en.cells if not _added(c)]
        zh_code = [c for c in zh.cells if c.cell_type == "code"]
        en_code = [c for c in en.cells if c.cell_type == "code"]
        setup = next(i for i, c in enumerate(en_code) if "cvmlib" in c.source)
        assert zh_code[setup].source.startswith('from cvmlib import set_language\nset_language("zh")')
        assert zh_code[setup].source.endswith(en_code[setup].source)
        placeholders = [(z.source, e.source) for z, e in zip(zh_code, en_code) if "exercise" in e.metadata.get("tags", [])]
        assert all(z == e.replace("# YOUR CODE HERE", "# 在这里写你的代码") for z, e in placeholders)
        others = [(z.source, e.source) for i, (z, e) in enumerate(zip(zh_code, en_code))
                  if i != setup and "exercise" not in e.metadata.get("tags", [])]
        assert others and all(z == e for z, e in others)
        assert [c.metadata.get("tags") for c in zh_code] == [c.metadata.get("tags") for c in en_code]
        assert zh.metadata["cvm"]["lang"] == "zh" and "lang" not in en.metadata["cvm"]
    assert TITLE in {block.text for block in missing} and HEADING not in {block.text for block in missing}


def test_untranslated_blocks_are_listed_and_reported(course, tmp_path, capsys):
    src, locales = course
    blocks = untranslated_blocks(src, "zh", locales)
    texts = [block.text for block in blocks]
    assert TITLE in texts and HEADING not in texts and PARAGRAPH not in texts
    assert [b.in_catalog for b in blocks if b.text == TITLE] == [True]
    assert any(b.instructor for b in blocks) and not any(b.instructor for b in untranslated_blocks(src, "zh", locales, False))
    assert not any(text.startswith("`") and text.endswith("`") and text.count("`") == 2 for text in texts)
    assert untranslated_blocks(src, "en", locales) == []
    args = ["--src", str(src), "--out", str(tmp_path / "out"), "--workspace", str(tmp_path / "ws"), "--lang", "en", "zh",
            "--locales", str(locales)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"警告：rfm.ipynb 中有 {len(blocks)} 个 Markdown 段落还没有中文译文" in out
    assert f"rfm.ipynb 单元格 {blocks[0].cell} 第 {blocks[0].line} 行：" in out
    assert "workspace" in out and "rfm.ipynb: new" in out and "rfm.ipynb：新练习册" in out
    assert (tmp_path / "ws" / "en" / "rfm.ipynb").exists() and (tmp_path / "ws" / "zh" / "rfm.ipynb").exists()


def test_a_workbook_whose_code_never_imports_cvmlib_gets_a_language_cell_with_a_stable_id():
    nb = new_notebook(cells=[new_markdown_cell("# T", id="t"), new_code_cell("x = 1", id="a")])
    set_workbook_language(nb, "zh")
    set_workbook_language(nb, "zh")  # twice: still one
    assert [c.id for c in nb.cells] == ["t", LANGUAGE_CELL_ID, "a"]
    assert nb.cells[1].source.startswith('from cvmlib import set_language\nset_language("zh")')
    assert set_workbook_language(new_notebook(cells=[new_code_cell("import cvmlib", id="a")]), "en").cells[0].source == \
        "import cvmlib"


def test_a_solution_cell_never_carries_the_language_line():
    nb = new_notebook(cells=[new_code_cell("from cvmlib.rfm import rfm_table\nx = 1", id="s",
                                           metadata={"tags": ["solution"]}),
                             new_code_cell("from cvmlib.exercises import check", id="c")])
    set_workbook_language(nb, "zh")
    assert nb.cells[0].source.startswith("from cvmlib.rfm") and nb.cells[1].source.startswith("from cvmlib import set_")


def test_a_zh_participant_workbook_runs_to_its_blanks_and_answers_in_chinese(tmp_path):
    """Run like a participant's kernel (no CVM_LANG): the workbook's own first cell switches cvmlib to Chinese."""
    from tests.conftest import execute_notebook, output_text

    out = tmp_path / "out"
    build_workbooks(RFM.parent, out, "zh")
    nb = nbformat.read(out / "participant" / "zh" / RFM.name, as_version=4)
    executed = execute_notebook(nb, cwd=RFM.parent, allow_errors=True)
    errors = [output_text(c) for c in executed.cells if any(o.output_type == "error" for o in c.get("outputs", []))]
    assert errors == []
    checks = [output_text(c) for c in executed.cells if c.cell_type == "code" and c.source.startswith("check(")]
    assert len(checks) >= 6 and all("还没有作答" in text for text in checks), checks[:2]
    assert "你的学习进度" in output_text(executed.cells[-1])


def test_the_real_zh_catalog_translates_the_rfm_workbook():
    nb, missing = localized_source(nbformat.read(RFM, as_version=4), "zh", RFM.name)
    shown = myst_to_markdown(nb.cells[0].source)
    assert shown.startswith("# ") and HAN.search(shown.splitlines()[0]), shown[:80]
    assert len([b for b in missing if not b.instructor]) <= 2, [str(b) for b in missing][:5]


def test_every_markdown_block_of_the_notebooks_has_a_zh_translation():
    """The translators' work is complete: no workbook block (instructor notes included) stays English."""
    missing = untranslated_blocks(ROOT / "notebooks", "zh")
    assert missing == [], f"{len(missing)} blocks without a translation, e.g. " + "; ".join(map(str, missing[:5]))


# ------------------------------------------------------------------------------------------------
# The workspace merge under zh
# ------------------------------------------------------------------------------------------------

def _participant(title: str, prompt: str) -> nbformat.NotebookNode:
    nb = new_notebook(cells=[new_markdown_cell(title, id="title"), new_markdown_cell(prompt, id="p1"),
                             new_code_cell("total = ...  # 在这里写你的代码", id="e1", metadata={"tags": ["exercise"]}),
                             new_code_cell('check("t.total", total)', id="c1")])
    nb.metadata["cvm"] = {"version": "participant", "lang": "zh"}
    return nb


def test_workspace_merge_in_chinese_keeps_answers_and_notes_conflicts_in_chinese(tmp_path):
    root = tmp_path / "workspace"
    v1 = {"wb.ipynb": _participant("# 合计", "计算总收入。")}
    [first] = update_workspace(v1, root, "zh")
    assert first.status == "new" and (root / "zh" / "wb.ipynb").exists() and (root / ".cvm" / "base" / "zh" / "wb.ipynb").exists()
    assert not (root / "en").exists()
    mine = nbformat.read(root / "zh" / "wb.ipynb", as_version=4)
    mine.cells[1].source = "计算总收入。我的笔记：按订单金额加总。"
    mine.cells[2].source = "total = orders['amount'].sum()"
    nbformat.write(mine, root / "zh" / "wb.ipynb")
    v2 = {"wb.ipynb": _participant("# 合计", "计算总收入（元）。")}
    [update] = update_workspace(v2, root, "zh")  # called in English: the zh workspace still gets Chinese notes
    merged = nbformat.read(root / "zh" / "wb.ipynb", as_version=4)
    sources = [cell.source for cell in merged.cells]
    assert "total = orders['amount'].sum()" in sources
    assert "计算总收入。我的笔记：按订单金额加总。" in sources and "计算总收入（元）。" in sources
    [note] = [cell for cell in merged.cells if cell.metadata.get("cvm", {}).get("note")]
    assert note.source.startswith("**课程更新**：课程修改了上面这个单元格")
    assert (update.status, update.conflicts) == ("updated", 1)
    with language("zh"):
        line = update.summary()
    assert line.startswith("wb.ipynb：已更新：") and "1 处冲突（请查找“课程更新”）" in line
    assert "1 conflict" in update.summary() and not ENGLISH_FEEDBACK.search(line)
    # the English workspace of the same name is a separate copy, merged with English notes
    [english] = update_workspace({"wb.ipynb": _participant("# Totals", "Compute the total.")}, root, "en")
    assert english.status == "new" and nbformat.read(root / "zh" / "wb.ipynb", as_version=4).cells[0].source == "# 合计"


def test_zh_workbooks_merge_into_workspace_zh_by_the_source_cell_ids(course, tmp_path):
    src, locales = course
    out, root = tmp_path / "out", tmp_path / "ws"
    args = ["--src", str(src), "--out", str(out), "--workspace", str(root), "--lang", "zh", "--locales", str(locales)]
    assert main(args) == 0
    mine = nbformat.read(root / "zh" / "rfm.ipynb", as_version=4)
    answer = next(i for i, c in enumerate(mine.cells) if "exercise" in c.metadata.get("tags", []))
    mine.cells[answer].source = "recency = 1  # 我的答案"
    nbformat.write(mine, root / "zh" / "rfm.ipynb")
    # the translators translate the title: the course changes that cell only
    po = locales / "zh_CN" / "LC_MESSAGES" / "notebooks" / "rfm.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    catalog[TITLE].string = "RFM 练习册（测试译文）"
    with po.open("wb") as handle:
        write_po(handle, catalog)
    assert main(args) == 0
    merged = nbformat.read(root / "zh" / "rfm.ipynb", as_version=4)
    assert merged.cells[answer].source == "recency = 1  # 我的答案"
    assert merged.cells[0].source.startswith("# RFM 练习册（测试译文）")
    assert not [c for c in merged.cells if c.metadata.get("cvm", {}).get("note")]


def test_translate_notebook_never_touches_code_or_metadata():
    source = nbformat.read(RFM, as_version=4)
    catalog = Catalog({TITLE: "标题", "orders": "订单"})
    translated, _missing = translate_notebook(nbformat.reads(nbformat.writes(source), as_version=4), catalog, "rfm.ipynb")
    for before, after in zip(source.cells, translated.cells):
        assert (after.id, after.cell_type, after.metadata) == (before.id, before.cell_type, before.metadata)
        if before.cell_type == "code":
            assert after.source == before.source
    assert translated.cells[0].source.startswith("# 标题\n")
