"""The no-code path: answer forms (cvmlib.forms), the answer widget (cvmlib.widgets.answer), no-code workbooks.

What a participant fills in must reach the very check a coder's answer reaches:

* every exercise with a form: the form's right value, turned into an answer, is correct;
* every named mistake with a computed answer can be made in the form and gets its own hint, and every
  mistake recognised by a rule is reached by some value of the form (or is listed below with why not);
* no value of a form gives an answer of another type than the coder's (hypothesis), and a complete value
  is always comparable: only its content can be wrong;
* the Check button of the widget logs the check in the progress log and shows the feedback, worded for a
  form, in English and Chinese; the solution button follows the rules of ``solution()``;
* the no-code workbooks run top to bottom in a real kernel without an error, show no code, leak no
  answer of a form's exercise, and are merged into ``workspace/<lang>/no-code/`` like the other workbooks.
"""

from __future__ import annotations

import functools
import itertools
import json
import shutil
import threading
from pathlib import Path
from typing import Any

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvmlib.exercises import TOPICS, exercise_ids, get_exercise
from cvmlib.feedback import NotComparable, evaluate, to_plain
from cvmlib.forms import (Choice, Form, FormValueError, Grouping, Mapping, MultiChoice, Number, Text, TextFields,
                          form_of)
from cvmlib.i18n import language
from cvmlib.progress import LOG_NAME, read_log
from cvmlib.validate import InputError
from cvmlib.widgets import answer_form
from cvmlib.workbooks import (NO_CODE_INTRO_ID, NO_CODE_WORKBOOKS, build_workbooks, leaked_answers, localized_source,
                              main, no_code_dir, no_code_version)
from tests.conftest import execute_notebook

ROOT = Path(__file__).resolve().parents[1]
ALL_IDS = [exercise_id for topic in TOPICS for exercise_id in exercise_ids(topic)]
FORM_IDS = [exercise_id for exercise_id in ALL_IDS if get_exercise(exercise_id).form is not None]
#: Rule-based mistakes no form value can make, and why (a form always gives every key, a whole letter...).
NOT_BY_FORM: dict[tuple[str, str], str] = {
    ("segment.best_k", "score_not_k"): "a silhouette value (between -1 and 1) is not on the scale of k",
}


@functools.cache
def _expected(exercise_id: str) -> Any:
    return get_exercise(exercise_id).expected()


def _right_value(exercise_id: str) -> Any:
    return form_of(exercise_id).value_for(_expected(exercise_id))  # type: ignore[union-attr]


def _feedback(exercise_id: str, value: Any):
    ex = get_exercise(exercise_id)
    return evaluate(ex, ex.form.answer(value))  # type: ignore[union-attr]


# ----------------------------------------------------------------------------------------------
# Which exercises have a form
# ----------------------------------------------------------------------------------------------


def test_every_interpretation_exercise_has_a_form():
    interpret = [exercise_id for exercise_id in ALL_IDS if get_exercise(exercise_id).kind == "interpret"]
    assert interpret and [exercise_id for exercise_id in interpret if form_of(exercise_id) is None] == []
    assert {"communication.johari", "segment.best_k"} <= set(FORM_IDS)  # done by hand: forms too
    assert form_of("rfm.recency") is None
    with pytest.raises(KeyError, match="communication.nps_reprot"):
        form_of("communication.nps_reprot")


def test_forms_take_their_options_from_the_constants_the_checks_use():
    from cvmlib.communication import QUESTION_BANK, QUESTION_TYPES
    from cvmlib.exercises import complaints, communication

    assert list(form_of("complaints.maslow_levels").options) == list(complaints.MASLOW_LEVELS)
    assert list(form_of("complaints.maslow_levels").items) == list(complaints.BEST_LEVELS)
    assert list(form_of("communication.question_types").options) == list(QUESTION_TYPES)
    assert list(form_of("communication.question_types").items) == list(QUESTION_BANK)
    assert set(form_of("complaints.ethical_line").options) == set().union(*complaints.ETHICAL.values())
    assert list(form_of("communication.nps_report").options) == list(communication.NPS_REPORT_OPTIONS)


# ----------------------------------------------------------------------------------------------
# Right values, named mistakes
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", FORM_IDS)
def test_the_right_value_of_the_form_passes_the_check(exercise_id):
    assert _feedback(exercise_id, _right_value(exercise_id)).correct
    form = form_of(exercise_id)
    assert _feedback(exercise_id, form.blank()).status in {"not_answered", "hint"}  # type: ignore[union-attr]
    assert form.describe(_expected(exercise_id))  # type: ignore[union-attr]


def _form_values(exercise_id: str) -> list[Any]:
    """Values a participant could fill in: each one change away from the right value, and every choice set."""
    form, right = form_of(exercise_id), _right_value(exercise_id)
    if isinstance(form, Choice):
        return list(form.options)
    if isinstance(form, MultiChoice):
        letters = list(form.options)
        return [combo for size in range(1, len(letters) + 1) for combo in itertools.combinations(letters, size)]
    if isinstance(form, Number):
        return [form.min + i * form.step for i in range(form.steps + 1)]
    if isinstance(form, Mapping):
        return [{**right, key: option} for key in form.items for option in form.options_for(key)]
    if isinstance(form, Grouping):
        moved = [{**right, item: group} for item in form.items for group in form.groups]
        # a whole group emptied into another (e.g. nothing left in "unknown")
        moved += [{item: (target if group == source else group) for item, group in right.items()}
                  for source in form.groups for target in form.groups if source != target]
        return moved
    values = [form.value_for(text) for text in _typed(exercise_id)]
    for near in get_exercise(exercise_id).near_misses() or ():
        try:
            values.append(form.value_for(near))
        except FormValueError:
            continue
    return values


def _typed(exercise_id: str) -> list[Any]:
    """Texts a participant may type besides the near misses: the message they are asked to rewrite, pasted."""
    if exercise_id == "communication.nvc_rewrite":
        from cvmlib.exercises.communication import ORIGINAL_MESSAGE
        return [ORIGINAL_MESSAGE]
    return []


def _mistake_cases() -> list[Any]:
    cases = []
    for exercise_id in FORM_IDS:
        for mistake in get_exercise(exercise_id).mistakes:
            cases.append(pytest.param(exercise_id, mistake.id, id=f"{exercise_id}:{mistake.id}"))
    return cases


@pytest.mark.parametrize("exercise_id, mistake_id", _mistake_cases())
def test_each_named_mistake_can_be_made_in_the_form_and_gets_its_hint(exercise_id, mistake_id):
    ex = get_exercise(exercise_id)
    form = ex.form
    mistake = next(m for m in ex.mistakes if m.id == mistake_id)
    if (exercise_id, mistake_id) in NOT_BY_FORM:
        assert not any(_feedback(exercise_id, v).mistake == mistake_id for v in _form_values(exercise_id))
        return
    if mistake.answer is not None:  # computed: the form gives exactly that answer, and it gets this hint
        value = form.value_for(mistake.answer())
        assert form.answer(value) == to_plain(form.answer(value))
        assert _feedback(exercise_id, value).mistake == mistake_id
        return
    if mistake.variants is not None:
        produced = []
        for variant in mistake.variants():
            try:
                produced.append(form.value_for(variant))
            except FormValueError:
                continue
        candidates = produced
    else:  # a rule: some value a participant could fill in triggers it
        candidates = _form_values(exercise_id)
    hits = [value for value in candidates if _feedback(exercise_id, value).mistake == mistake_id]
    assert hits, f"no value of the {type(form).__name__} form gets the hint of {mistake_id}"


# ----------------------------------------------------------------------------------------------
# A form never gives an answer of another type than a coder's
# ----------------------------------------------------------------------------------------------


def _value_strategy(form: Form) -> st.SearchStrategy[Any]:
    """Any value the widgets of ``form`` can hold, incomplete ones included."""
    text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
    if isinstance(form, Choice):
        return st.none() | st.sampled_from(list(form.options))
    if isinstance(form, MultiChoice):
        return st.lists(st.sampled_from(list(form.options)), unique=True).map(tuple)
    if isinstance(form, Number):
        return st.integers(0, form.steps).map(lambda i: form.min + i * form.step)
    if isinstance(form, Text):
        return text
    if isinstance(form, TextFields):
        return st.fixed_dictionaries({key: text for key in form.fields})
    if isinstance(form, Mapping):
        return st.fixed_dictionaries({key: st.none() | st.sampled_from(list(form.options_for(key)))
                                      for key in form.items})
    if isinstance(form, Grouping):
        return st.fixed_dictionaries({key: st.none() | st.sampled_from(list(form.groups)) for key in form.items})
    raise AssertionError(type(form))


def _shape(answer: Any) -> Any:
    """The type of an answer, container by container (the values of a dict, the items of a set or list)."""
    if isinstance(answer, dict):
        return ("dict", tuple(sorted({_shape(v) for v in answer.values()}, key=repr)))
    if isinstance(answer, (set, list)):
        return (type(answer).__name__, tuple(sorted({_shape(v) for v in answer}, key=repr)))
    return type(answer).__name__


def _complete(answer: Any) -> bool:
    return answer is not Ellipsis and not (isinstance(answer, dict) and Ellipsis in answer.values())


@pytest.mark.parametrize("exercise_id", FORM_IDS)
def test_no_form_value_gives_an_answer_a_coder_would_not(exercise_id):
    ex = get_exercise(exercise_id)
    form = ex.form
    right = form.answer(_right_value(exercise_id))
    compare, expected = ex.comparator(), _expected(exercise_id)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_value_strategy(form))
    def check_value(value: Any) -> None:
        answer = form.answer(value)
        feedback = evaluate(ex, answer)  # never raises
        if not _complete(answer):
            assert feedback.status == "not_answered", "an incomplete form counted as an attempt"
            return
        assert to_plain(answer) == answer, "a form's answer is plain data"
        if isinstance(form, MultiChoice) or isinstance(right, dict) and not right:
            assert _shape(answer)[0] == _shape(right)[0]
        else:
            assert _shape(answer) == _shape(right) or _shape(answer)[0] == _shape(right)[0] == "dict" and \
                set(_shape(answer)[1]) <= {"str", ("list", ()), ("list", ("str",))}
        try:
            compare(to_plain(answer), expected)
        except NotComparable as reason:  # the shape is always the right one: only the content can be wrong
            pytest.fail(f"a complete form value is not comparable: {reason}")

    check_value()


def test_forms_refuse_bad_definitions_and_values_with_a_clear_message():
    with pytest.raises(InputError, match="non-empty mapping"):
        Choice({})
    with pytest.raises(InputError, match=r"min < max.*min=5"):
        Number(5, 1)
    with pytest.raises(InputError, match="does not divide"):
        Number(0, 1, 0.3)
    with pytest.raises(InputError, match="lines >= 1"):
        Text(lines=0)
    with pytest.raises(InputError, match=r"not in items: \['x'\]"):
        Mapping({"a": "A"}, {"Y": "yes"}, item_options={"x": {"Y": "yes"}})
    with pytest.raises(FormValueError, match=r"'E' is not an option \(A, B, C, D\)"):
        form_of("communication.nps_report").answer("E")
    with pytest.raises(FormValueError, match="off the scale"):
        form_of("segment.best_k").answer(99)
    with pytest.raises(FormValueError, match="in two groups"):
        form_of("communication.johari").value_for({"open": ["calm"], "blind": ["calm"]})
    assert Number(0, 1, 0.05).answer(0.35) == 0.35 and type(Number(2, 8).answer(4.0)) is int


# ----------------------------------------------------------------------------------------------
# The widget
# ----------------------------------------------------------------------------------------------


def _log(progress_dir: Path) -> list[dict[str, Any]]:
    return list(read_log(progress_dir / LOG_NAME))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_check_button_logs_the_check_and_shows_feedback_worded_for_a_form(progress_dir, lang):
    with language(lang):
        box = answer_form("complaints.maslow_levels")
        box.check_button.click()  # nothing filled in
        assert box.feedback.status == "not_answered" and "..." not in box.feedback.message
        wrong = {**_right_value("complaints.maslow_levels"), "double_charge": "D"}
        box.set_value(wrong)
        assert box.answer() == {**box.answer(), "double_charge": "D"}
        for attempt in (1, 2, 3):
            box.check_button.click()
            assert box.feedback.mistake == "money_as_esteem" and box.feedback.tier == attempt
        html = box.message.value
        assert ("SAFETY" in html) if lang == "en" else ("安全" in html and "SAFETY" not in html)
        assert 'solution("' not in html and box.solution_button.description in html  # the button, not the call
        assert box.solution_button.layout.display is None  # offered now
        box.set_value(_right_value("complaints.maslow_levels"))
        box.check_button.click()
        assert box.feedback.correct
        box.solution_button.click()
        assert "formula" in box.message.value or "奶粉" in box.message.value
        assert ("Model answer" if lang == "en" else "参考答案") in box.message.value
    log = _log(progress_dir)
    assert [(r["event"], r.get("status"), r.get("mistake")) for r in log] == [
        ("check", "not_answered", None), *[("check", "hint", "money_as_esteem")] * 3, ("check", "correct", None),
        ("solution", None, None)]
    assert [r["attempt"] for r in log if r["event"] == "check"] == [0, 1, 2, 3, 4]


def test_the_solution_button_appears_only_once_the_feedback_offers_it(progress_dir):
    box = answer_form("communication.nps_report")
    assert box.solution_button.layout.display == "none"
    box.set_value("A")
    box.check_button.click()
    box.check_button.click()
    assert box.solution_button.layout.display == "none"
    box.check_button.click()
    assert box.solution_button.layout.display is None
    again = answer_form("communication.nps_report")  # a restarted kernel: the log says it was offered
    assert again.solution_button.layout.display is None
    with pytest.raises(ValueError, match='answered with code.*check\\("rfm.recency"'):
        answer_form("rfm.recency")


@pytest.mark.parametrize("exercise_id", [i for i in FORM_IDS if i.split(".")[0] in ("communication", "complaints")])
def test_every_form_of_the_no_code_chapters_builds_and_checks(progress_dir, exercise_id):
    box = answer_form(exercise_id)
    box.set_value(_right_value(exercise_id))
    box.check_button.click()
    assert box.feedback.correct, box.feedback.message
    assert _log(progress_dir)[-1]["exercise"] == exercise_id


# ----------------------------------------------------------------------------------------------
# The no-code workbooks
# ----------------------------------------------------------------------------------------------


@functools.cache
def _no_code(name: str, lang: str) -> nbformat.NotebookNode:
    with language(lang):
        source, _missing = localized_source(nbformat.read(ROOT / "notebooks" / name, as_version=4), lang, name)
        return no_code_version(source)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", NO_CODE_WORKBOOKS)
def test_no_code_workbooks_show_no_code_and_ask_every_form(name, lang):
    nb = _no_code(name, lang)
    source = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code and all(cell.metadata.get("jupyter", {}).get("source_hidden") for cell in code)
    asked = [cell.source.split('"')[1] for cell in code if "answer_form(" in cell.source]
    checked = [i for i in (c.source.split('"')[1] for c in source.cells if c.source.startswith("check(")) if i]
    assert asked == [i for i in checked if form_of(i) is not None] and asked
    assert not any("check(" in cell.source for cell in code), "a check cell was left in"
    assert leaked_answers(source, nb) == []
    assert not any("instructor" in cell.metadata.get("tags", []) for cell in nb.cells)
    intro = next(cell for cell in nb.cells if cell.id == NO_CODE_INTRO_ID)
    assert nb.cells.index(intro) == 1 and nb.cells[0].source.startswith("# ")
    assert ("Run All Cells" in intro.source) if lang == "en" else ("运行所有单元格" in intro.source and "检查" in intro.source)
    worked = [cell for cell in nb.cells if cell.id.endswith("-example")]
    assert len(worked) == len(checked) - len(asked)
    assert len({cell.id for cell in nb.cells}) == len(nb.cells)
    assert nb.metadata["cvm"]["version"] == "no-code"


def test_the_leak_detector_finds_a_form_exercise_solution_left_in():
    source = nbformat.read(ROOT / "notebooks" / "complaints_workbook.ipynb", as_version=4)
    leaky = _no_code("complaints_workbook.ipynb", "en")
    leaky = nbformat.from_dict(json.loads(json.dumps(leaky)))
    solution = next(c for c in source.cells if "solution" in c.metadata.get("tags", []) and "levels = {" in c.source)
    leaky.cells.append(nbformat.v4.new_code_cell(solution.source))
    assert leaked_answers(source, leaky)


def test_no_code_workbooks_run_top_to_bottom_in_a_real_kernel(tmp_path, progress_dir):
    runs = {("communication_workbook.ipynb", "en"): None, ("complaints_workbook.ipynb", "zh"): None}
    errors: list[BaseException] = []

    def run(key: tuple[str, str]) -> None:
        try:
            runs[key] = execute_notebook(nbformat.from_dict(json.loads(json.dumps(_no_code(*key)))), tmp_path)
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(key,)) for key in runs]  # two kernels side by side
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    for (name, lang), nb in runs.items():
        forms = [cell for cell in nb.cells if "answer_form(" in cell.source]
        for cell in nb.cells:
            assert not any(out.output_type == "error" for out in cell.get("outputs", [])), (name, cell.source)
        assert forms and all(any("application/vnd.jupyter.widget-view+json" in out.get("data", {})
                                 for out in cell.outputs) for cell in forms), "a form did not display"
        printed = "".join(out.get("text", "") for cell in nb.cells for out in cell.get("outputs", []))
        from cvmlib.exercises.complaints import TACTICS
        from cvmlib.exercises.communication import AUDIT_STATEMENTS

        with language(lang):  # the hidden setup cell set the kernel's language: the options print in it
            assert (TACTICS["fair_first_offer"] if name.startswith("complaints") else AUDIT_STATEMENTS["A"]) in printed
    assert not (progress_dir / LOG_NAME).exists() or not _log(progress_dir), "running the workbook made a check"


def test_make_workbooks_merges_the_no_code_workbooks_into_the_workspace(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "notebooks"
    src.mkdir()
    shutil.copy(ROOT / "notebooks" / "complaints_workbook.ipynb", src)
    args = ["--src", "notebooks", "--out", "_build/workbooks", "--workspace", "workspace"]
    assert main(args) == 0
    mine = tmp_path / "workspace" / "en" / "no-code" / "complaints_workbook.ipynb"
    assert no_code_dir(Path("_build/workbooks")) / "complaints_workbook.ipynb" in (
        Path("_build/workbooks/participant/no-code").glob("*.ipynb"))
    assert "no-code/complaints_workbook.ipynb: new" in capsys.readouterr().out
    nb = nbformat.read(mine, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_markdown_cell("My notes: ask about the SLA.", id="my-notes"))
    nbformat.write(nb, mine)
    course = nbformat.read(src / "complaints_workbook.ipynb", as_version=4)
    course.cells[-2].source += "\n\nA new course sentence."
    nbformat.write(course, src / "complaints_workbook.ipynb")
    assert main(args) == 0
    assert "no-code/complaints_workbook.ipynb: updated" in capsys.readouterr().out
    merged = nbformat.read(mine, as_version=4)
    sources = [cell.source for cell in merged.cells]
    assert "My notes: ask about the SLA." in sources  # the learner's cell is kept
    assert any("A new course sentence." in text for text in sources)  # and the course change arrives
    assert (tmp_path / "workspace" / ".cvm" / "base" / "en" / "no-code" / "complaints_workbook.ipynb").exists()


def test_build_workbooks_writes_no_code_versions_in_both_languages(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "notebooks" / "communication_workbook.ipynb", src)
    written = build_workbooks(src, tmp_path / "out", "zh")
    assert tmp_path / "out" / "participant" / "zh" / "no-code" / "communication_workbook.ipynb" in written
    zh = nbformat.read(tmp_path / "out/participant/zh/no-code/communication_workbook.ipynb", as_version=4)
    assert "免代码" in zh.cells[1].source and 'set_language("zh")' in "".join(c.source for c in zh.cells)
