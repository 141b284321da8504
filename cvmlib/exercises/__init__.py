"""Checked exercises of the workbooks: ``check("rfm.recency", answer)``, ``solution(...)``, ``progress()``.

Each topic module (``cvmlib.exercises.rfm``, ...) defines its :class:`~cvmlib.feedback.Exercise`
objects in a module-level ``EXERCISES`` tuple; :func:`check` finds the exercise by its dotted id,
loading the topic module on first use so a workbook only pays for its own chapter.

Every check is recorded in the participant's progress log (:mod:`cvmlib.progress`), and the
number of earlier failed attempts sets the help given: a first hint, then more help, then the
offer of the worked solution, which :func:`solution` (or ``check(..., show_solution=True)``) shows
and records.

Examples
--------
>>> import os, tempfile
>>> from unittest import mock
>>> elsewhere = mock.patch.dict(os.environ, {"CVM_PROGRESS_DIR": tempfile.mkdtemp()})  # not in the course
>>> _ = elsewhere.start()
>>> check("rfm.recency", ...).status
'not_answered'
>>> exercise_ids("rfm")[0]
'rfm.recency'
>>> [check("rfm.champions_revenue_share", 0.5).tier for _ in range(3)]
[1, 2, 3]
>>> solution("rfm.recency").exercise
'rfm.recency'
>>> int(progress().table.set_index("exercise").loc["rfm.champions_revenue_share", "attempts"])
3
>>> _ = elsewhere.stop()
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

from cvmlib import progress as progress_log
from cvmlib.feedback import Exercise, Feedback, evaluate
from cvmlib.i18n import _
from cvmlib.progress import ProgressReport, set_display_name
from cvmlib.solutions import WorkedSolution, notebook_exercises, worked_solution

__all__ = ["TOPICS", "check", "exercise_ids", "get_exercise", "progress", "set_display_name", "solution"]

TOPICS = ("rfm", "segment", "value", "clv", "communication", "complaints", "lifecycle", "sandbox")


def _topic_exercises(topic: str) -> dict[str, Exercise]:
    if topic not in TOPICS:
        raise KeyError(_("Unknown topic {topic!r}; known topics: {topics}.").format(topic=topic, topics=", ".join(TOPICS)))
    module = importlib.import_module(f"cvmlib.exercises.{topic}")
    return {exercise.id: exercise for exercise in module.EXERCISES}


def exercise_ids(topic: str) -> list[str]:
    """The ids of all exercises of one topic."""
    return list(_topic_exercises(topic))


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise with this dotted id, e.g. ``"rfm.recency"``."""
    topic = exercise_id.split(".", 1)[0]
    exercises = _topic_exercises(topic)
    if exercise_id not in exercises:
        raise KeyError(
            _("No exercise {exercise!r}; this topic has: {exercises}.").format(
                exercise=exercise_id, exercises=", ".join(exercises)
            )
        )
    return exercises[exercise_id]


def _show_solution(exercise_id: str) -> WorkedSolution:
    worked = worked_solution(exercise_id)
    history = progress_log.history(exercise_id)
    progress_log.record("solution", exercise_id, attempt=history.answered, tier=min(history.failed, 3))
    return worked


def check(exercise_id: str, answer: Any, show_solution: bool = False) -> Feedback:
    """Check a participant's answer and return feedback that displays in the notebook.

    The feedback says "correct" or gives a specific hint; it never shows the expected answer.
    Repeated failures get more help (see :mod:`cvmlib.feedback`). With ``show_solution=True``
    the worked solution is shown below the feedback, and recorded as shown.
    """
    exercise = get_exercise(exercise_id)
    before = progress_log.history(exercise_id)
    feedback = evaluate(exercise, answer, attempt=before.answered + 1, failures_before=before.failed)
    answered = feedback.status != "not_answered"
    if not answered:
        feedback = dataclasses.replace(feedback, attempt=before.answered)
    progress_log.record("check", exercise_id, status=feedback.status, mistake=feedback.mistake,
                        attempt=feedback.attempt, tier=feedback.tier)
    if show_solution:
        try:
            feedback = dataclasses.replace(feedback, solution=_show_solution(exercise_id))
        except LookupError as missing:  # the feedback itself is still worth showing
            feedback = dataclasses.replace(feedback, message=f"{feedback.message}\n{missing}")
    return feedback


def solution(exercise_id: str) -> WorkedSolution:
    """Show the worked solution of an exercise (recorded in your progress as shown).

    Raises
    ------
    KeyError
        For an unknown exercise id (the message lists the topic's exercises).
    LookupError
        If the source notebooks hold no worked solution for it.
    """
    get_exercise(exercise_id)
    return _show_solution(exercise_id)


def progress(topic: str | None = None) -> ProgressReport:
    """Your progress table: exercise, attempts, solved, solved at the first try, solution shown, mistakes.

    Lists the exercises of ``topic`` (or, by default, of the running workbook) even when not tried
    yet, then every other exercise you checked in this folder.
    """
    if topic is not None:
        listed = exercise_ids(topic)
    else:
        workbook = progress_log.workbook_name()
        listed = notebook_exercises(workbook) if workbook else []
    return progress_log.progress(listed)
