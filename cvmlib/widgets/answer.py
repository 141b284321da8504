"""Answer an exercise without code: the exercise's form as widgets, and a Check button.

``answer_form("complaints.maslow_levels")`` shows the prompt, the inputs of the exercise's answer
form (:mod:`cvmlib.forms`: radio buttons, tick boxes, menus, a slider, text boxes) and a **Check**
button. Check turns what is filled in into the answer a coder would pass and calls
:func:`cvmlib.exercises.check` with it, so the participant gets the same feedback (the named
mistakes, the tiers of help) and the same record in the progress log (``.cvm/progress.jsonl``
beside the workbook) as a coder. When the feedback offers the worked solution (from the third
failed attempt on, or straight away when the log already shows that many), a **Show solution**
button appears: it calls :func:`cvmlib.exercises.solution` (recorded as shown, as for a coder) and
shows the model answer in the form's own words, with the worked solution from the notebook under it.

The feedback is written for the form: "not answered yet" asks to fill in the form (not to replace a
``...``), and the offer of the solution names the button instead of ``solution("...")``.

What is filled in lives in the kernel only: the workbook file does not store it (the progress log
records each check).

Examples
--------
>>> import os, tempfile
>>> from unittest import mock
>>> elsewhere = mock.patch.dict(os.environ, {"CVM_PROGRESS_DIR": tempfile.mkdtemp()})  # not in the course
>>> _ = elsewhere.start()
>>> box = answer_form("communication.nps_report")
>>> box.set_value("A")
>>> box.check_button.click()
>>> box.feedback.status, box.feedback.mistake
('hint', 'mean_hides_split')
>>> _ = elsewhere.stop()
"""

from __future__ import annotations

import dataclasses
import html
import unicodedata
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from cvmlib.exercises import check, get_exercise, solution
from cvmlib.feedback import SOLUTION_TIER, Feedback, evaluate, shown_text
from cvmlib.forms import Choice, Form, FormValueError, Grouping, Mapping, MultiChoice, Number, Text, TextFields
from cvmlib.i18n import N_, _
from cvmlib.progress import history

__all__ = ["AnswerForm", "answer_form"]

CHECK = N_("Check")
SHOW_SOLUTION = N_("Show solution")
#: What "not answered yet" says under a form (a coder is told to replace the ``...``).
FILL_IN = N_('fill in the form above (every item), then press "{check}".')
#: The offer of the worked solution, as the feedback under a form words it.
SOLUTION_OFFER = N_('Still stuck? The "{button}" button beside "{check}" shows the worked solution (your progress '
                    "records that you looked).")
#: The same offer as :mod:`cvmlib.feedback` words it for a coder (replaced under a form).
CODER_SOLUTION_OFFER = N_('Still stuck? solution("{exercise}") shows the worked solution '
                          "(your progress records that you looked).")
MODEL_ANSWER = N_("Model answer")
WORKED = N_("How it is worked out (from the workbook)")
NO_FORM = N_("{exercise} is answered with code: it has no answer form. Answer it in a code cell with "
             'check("{exercise}", ...).')
WRITE_HERE = N_("Write your answer here.")
CHOOSE = N_("choose...")

#: Menus whose options are this few and this short are a row of buttons (one click, no menu to open).
BUTTON_OPTIONS = 6
BUTTON_CHARS = 80  # in Latin letters (see _width)
#: An item this short sits on one row with its menu; a longer one (a statement) above it.
ROW_ITEM = 40
#: A number scale with at most this many steps is a slider; a longer one a box to type in.
SLIDER_STEPS = 100

#: Long option texts wrap instead of running off the page (JupyterLab keeps widget labels on one line).
STYLE = """<style>
.cvm-answer { max-width: 900px; }
.cvm-answer .widget-radio-box label, .cvm-answer .widget-checkbox label {
  display: flex; gap: 6px; align-items: flex-start; white-space: normal; height: auto; line-height: 1.35;
  margin: 2px 0 5px 0; }
.cvm-answer .widget-radio-box label input, .cvm-answer .widget-checkbox input { margin: 2px 0 0 0; flex: none;
  order: -1; }
.cvm-answer .widget-checkbox, .cvm-answer .widget-radio, .cvm-answer .widget-radio-box { height: auto; }
.cvm-answer .cvm-item { margin: 6px 0 2px 0; line-height: 1.35; }
.cvm-answer .cvm-key { font-family: monospace; color: #555; margin-right: 6px; }
.cvm-answer .widget-dropdown select { max-width: 860px; }
.cvm-answer .widget-toggle-buttons .widget-toggle-button { width: auto; padding: 0 12px; }
.cvm-answer textarea { font-family: inherit; }
.cvm-answer .cvm-feedback { line-height: 1.4; }
</style>"""


@dataclasses.dataclass
class _Inputs:
    """The widgets of a form and how to read and set the form's value through them."""

    box: widgets.Widget
    read: Callable[[], Any]
    write: Callable[[Any], None]


def _item(key: str, text: str, show_key: bool) -> widgets.HTML:
    shown = f'<span class="cvm-key">{html.escape(key)}</span>' if show_key else ""
    return widgets.HTML(f'<div class="cvm-item">{shown}{html.escape(text)}</div>',
                        layout=widgets.Layout(width="100%"))


def _width(text: str) -> int:
    """How wide ``text`` is on screen, in Latin letters (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _labelled(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(value, label) pairs as ipywidgets takes them: (label, value)."""
    return [(label, value) for value, label in choices]


def _menu(choices: list[tuple[str, str]], width: str) -> widgets.ValueWidget:
    """One pick out of ``choices`` (value, label): a row of buttons for a few short labels, else a menu."""
    if len(choices) <= BUTTON_OPTIONS and sum(_width(label) for _value, label in choices) <= BUTTON_CHARS:
        return widgets.ToggleButtons(options=_labelled(choices), value=None, style={"button_width": "auto"})
    # index 0: the menu shows "choose..." (its value is None: not answered yet)
    return widgets.Dropdown(options=[(_(CHOOSE), None), *_labelled(choices)], index=0,
                            layout=widgets.Layout(width=width))


def _menus(form: Mapping | Grouping) -> _Inputs:
    if isinstance(form, Mapping):
        rows = [(key, text, choices) for key, text, choices in form.rows()]
        show_keys = form.show_keys
    else:
        groups = form.choices()
        rows = [(key, shown_text(text), groups) for key, text in form.items.items()]
        show_keys = False
    in_rows = all(_width(text) <= ROW_ITEM for _key, text, _choices in rows)
    menus = {key: _menu(choices, "auto" if in_rows else "100%") for key, _text, choices in rows}
    parts: list[widgets.Widget] = []
    for key, text, _choices in rows:
        item = _item(key, text, show_keys)
        if in_rows:  # a short item and its menu side by side
            item.layout = widgets.Layout(width="220px", flex="none")
            parts.append(widgets.HBox([item, menus[key]], layout=widgets.Layout(align_items="center")))
        else:
            parts += [item, menus[key]]

    def write(value: Any) -> None:
        for key, menu in menus.items():
            menu.value = (value or {}).get(key)

    return _Inputs(widgets.VBox(parts), lambda: {key: menu.value for key, menu in menus.items()}, write)


def _inputs(form: Form) -> _Inputs:
    """The widgets that fill in ``form``."""
    if isinstance(form, Choice):
        radio = widgets.RadioButtons(options=_labelled(form.choices()), value=None, layout=widgets.Layout(width="100%"))

        def write_choice(value: Any) -> None:
            radio.value = value

        return _Inputs(radio, lambda: radio.value, write_choice)
    if isinstance(form, MultiChoice):
        ticks = {key: widgets.Checkbox(value=False, description=label, indent=False,
                                       layout=widgets.Layout(width="100%"))
                 for key, label in form.choices()}

        def write_ticks(value: Any) -> None:
            for key, tick in ticks.items():
                tick.value = key in (value or ())

        return _Inputs(widgets.VBox(list(ticks.values())),
                       lambda: tuple(key for key, tick in ticks.items() if tick.value), write_ticks)
    if isinstance(form, Number):
        number: widgets.ValueWidget
        if form.steps <= SLIDER_STEPS:
            slider = widgets.IntSlider if form.whole else widgets.FloatSlider
            number = slider(value=form.blank(), min=form.min, max=form.max, step=form.step,
                            continuous_update=False)
        else:
            box = widgets.BoundedIntText if form.whole else widgets.BoundedFloatText
            number = box(value=form.blank(), min=form.min, max=form.max, step=form.step)
        unit = shown_text(form.unit)
        shown = widgets.HBox([number, widgets.Label(unit)]) if unit else number

        def write_number(value: Any) -> None:
            number.value = value

        return _Inputs(shown, lambda: number.value, write_number)
    if isinstance(form, Text):
        area = widgets.Textarea(value="", rows=form.lines, placeholder=shown_text(form.placeholder) or _(WRITE_HERE),
                                layout=widgets.Layout(width="100%"))

        def write_text(value: Any) -> None:
            area.value = value or ""

        return _Inputs(area, lambda: area.value, write_text)
    if isinstance(form, TextFields):
        areas = {key: widgets.Textarea(value="", rows=form.lines, layout=widgets.Layout(width="100%"))
                 for key in form.fields}
        parts: list[widgets.Widget] = []
        for key, area in areas.items():
            parts += [_item(key, shown_text(form.fields[key]), False), area]

        def write_fields(value: Any) -> None:
            for key, area in areas.items():
                area.value = (value or {}).get(key, "")

        return _Inputs(widgets.VBox(parts), lambda: {key: area.value for key, area in areas.items()}, write_fields)
    if isinstance(form, (Mapping, Grouping)):
        return _menus(form)
    raise TypeError(f"no widgets for the form {type(form).__name__}")  # a new Form subclass needs its widgets here


class AnswerForm(widgets.VBox):
    """The prompt, the inputs of an exercise's form, a Check button and the feedback under it.

    Attributes
    ----------
    exercise_id : str
        The exercise checked.
    form : Form
        Its answer form.
    check_button, solution_button : ipywidgets.Button
        Check the answer; show the worked solution (visible once the feedback offers it).
    message : ipywidgets.HTML
        Where the feedback (and the solution) is shown.
    feedback : Feedback or None
        The feedback of the last check, as shown.
    """

    def __init__(self, exercise_id: str) -> None:
        exercise = get_exercise(exercise_id)
        if exercise.form is None:
            raise ValueError(_(NO_FORM).format(exercise=exercise_id))
        self.exercise_id = exercise_id
        self.form: Form = exercise.form
        self._exercise = exercise
        self._inputs = _inputs(self.form)
        self.check_button = widgets.Button(description=_(CHECK), button_style="primary", icon="check")
        self.solution_button = widgets.Button(description=_(SHOW_SOLUTION), icon="book",
                                              layout=widgets.Layout(display="none"))
        self.message = widgets.HTML()
        self.feedback: Feedback | None = None
        self.check_button.on_click(self._on_check)
        self.solution_button.on_click(self._on_solution)
        if history(exercise_id).failed >= SOLUTION_TIER:
            self._offer_solution()
        prompt = widgets.HTML(f"<p><b>{html.escape(shown_text(exercise.prompt))}</b></p>")
        super().__init__([widgets.HTML(STYLE), prompt, self._inputs.box,
                          widgets.HBox([self.check_button, self.solution_button]), self.message],
                         layout=widgets.Layout(width="100%"))
        self.add_class("cvm-answer")
        self._warm()

    @property
    def value(self) -> Any:
        """The form's value as filled in now."""
        return self._inputs.read()

    def set_value(self, value: Any) -> None:
        """Fill in the form with ``value`` (a value of :attr:`form`), as a participant would."""
        self._inputs.write(value)

    def answer(self) -> Any:
        """The answer the form gives now: what :meth:`check` passes to :func:`cvmlib.exercises.check`."""
        return self.form.answer(self.value)

    def check(self) -> Feedback:
        """Check what is filled in (as the Check button does) and show the feedback."""
        feedback = self._worded(check(self.exercise_id, self.answer()))
        self.feedback = feedback
        self.message.value = feedback._repr_html_()
        if feedback.tier >= SOLUTION_TIER:
            self._offer_solution()
        return feedback

    def show_solution(self) -> None:
        """Show the model answer and the worked solution (as the Show solution button does); recorded as shown."""
        try:
            worked = solution(self.exercise_id)
        except LookupError as missing:
            self.message.value += f"<p>{html.escape(str(missing))}</p>"
            return
        lines = "".join(f"<li>{html.escape(line)}</li>" for line in self.form.describe(self._exercise.expected()))
        self.message.value = (
            (self.feedback._repr_html_() if self.feedback is not None else "")
            + f'<div class="cvm-model-answer" style="border-left:4px solid #2b5797;padding:4px 10px;margin-top:6px">'
            f"<b>{html.escape(_(MODEL_ANSWER))}</b><ul style='margin:4px 0'>{lines}</ul>"
            f"<details><summary>{html.escape(_(WORKED))}</summary>{worked._repr_html_()}</details></div>")

    def _warm(self) -> None:
        """Compute now, while the cell runs, what the first click would: the expected answer from the
        data and the answers of the named mistakes (a wrong answer is compared with each of them)."""
        exercise = self._exercise
        wrong = []
        for near in exercise.near_misses() if exercise.near_misses is not None else ():
            try:
                wrong = [self.form.answer(self.form.value_for(near))]
            except FormValueError:
                continue  # a near miss only code can give (a key left out): not one this form makes
            break
        for answer in wrong or [...]:
            evaluate(exercise, answer)  # not check(): nothing is recorded

    def _offer_solution(self) -> None:
        self.solution_button.layout.display = None

    def _worded(self, feedback: Feedback) -> Feedback:
        """The feedback in the words of a form: fill in the form, press the button."""
        if feedback.status == "not_answered":
            return dataclasses.replace(feedback, message=_(FILL_IN).format(check=_(CHECK)))
        offer = _(CODER_SOLUTION_OFFER).format(exercise=self.exercise_id)
        if offer in feedback.message:
            return dataclasses.replace(feedback, message=feedback.message.replace(
                offer, _(SOLUTION_OFFER).format(button=_(SHOW_SOLUTION), check=_(CHECK))))
        return feedback

    def _on_check(self, _button: widgets.Button) -> None:
        self.check()

    def _on_solution(self, _button: widgets.Button) -> None:
        self.show_solution()


def answer_form(exercise_id: str) -> AnswerForm:
    """The exercise ``exercise_id`` as a form to fill in, with a Check button: no code needed.

    Parameters
    ----------
    exercise_id : str
        A dotted exercise id whose exercise has an answer form (``Exercise.form``), e.g.
        ``"complaints.maslow_levels"``.

    Returns
    -------
    AnswerForm
        An ``ipywidgets.VBox``; display it as the last expression of a cell.

    Raises
    ------
    KeyError
        For an unknown exercise id (the message lists the topic's exercises).
    ValueError
        For an exercise answered with code only (no form).
    """
    return AnswerForm(exercise_id)
