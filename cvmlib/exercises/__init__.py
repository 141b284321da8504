"""Checked exercises of the workbooks: ``check("rfm.recency", answer)``.

Each topic module (``cvmlib.exercises.rfm``, ...) defines its :class:`~cvmlib.feedback.Exercise`
objects in a module-level ``EXERCISES`` tuple; :func:`check` finds the exercise by its dotted id,
loading the topic module on first use so a workbook only pays for its own chapter.

Examples
--------
>>> check("rfm.recency", ...).status
'not_answered'
>>> sorted(exercise_ids("rfm"))[:2]
['rfm.at_risk_revenue', 'rfm.champions_revenue_share']
"""

from __future__ import annotations

import importlib
from typing import Any

from cvmlib.feedback import Exercise, Feedback, evaluate

__all__ = ["check", "exercise_ids", "get_exercise"]

TOPICS = ("rfm", "segment", "value", "clv", "communication", "complaints")


def _topic_exercises(topic: str) -> dict[str, Exercise]:
    if topic not in TOPICS:
        raise KeyError(f"Unknown topic {topic!r}; known topics: {', '.join(TOPICS)}.")
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
        raise KeyError(f"No exercise {exercise_id!r}; this topic has: {', '.join(exercises)}.")
    return exercises[exercise_id]


def check(exercise_id: str, answer: Any) -> Feedback:
    """Check a participant's answer and return feedback that displays in the notebook.

    The feedback says "correct" or gives a specific hint; it never shows the expected answer.
    """
    return evaluate(get_exercise(exercise_id), answer)
