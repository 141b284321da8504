"""A simulated class: a training day replayed through the real checks, participant by participant.

``python -m cvmlib.classroom.simulate --out DIR --participants 30 --seed 11`` makes a room-like tree,
one home per participant as the classroom server makes them::

    DIR/p01/.cvm/settings.json          the display name
    DIR/p01/.cvm/progress.jsonl         the log of the workbooks
    DIR/p07/no-code/.cvm/progress.jsonl the log of a participant who works in the no-code workbooks

Nothing in the logs is written by hand. Each participant's answers go through
:func:`cvmlib.exercises.check` (and :func:`~cvmlib.exercises.solution`) with ``CVM_PROGRESS_DIR``
pointing at their home, so the logs hold exactly what real checks record: the mistake ids the checks
recognised, the attempt numbers, the tiers of help. The answers come from the exercises themselves
(:func:`answer_pool`): the expected answer in the form a participant types it, each named mistake's
answer (:attr:`Mistake.answer <cvmlib.feedback.Mistake>`, its variants, and one-choice changes of the
right answer for mistakes recognised by a rule), and the exercise's near misses (wrong answers no named
mistake matches).

Each participant follows a :class:`Persona` (strong, average, struggling, gives up early, no-code),
through the chapters of a one-day agenda (:data:`AGENDA`): they start a chapter when the instructor
does, take a few minutes per attempt, make the class's typical mistakes (in each exercise some mistakes
are much more common than others, the same for the whole class), get it right with more attempts and
hints, sometimes ask for the worked solution or give up, and move on to the next chapter when the
class does. The records carry the simulated time (:func:`cvmlib.progress.clock`), in UTC; the day runs
in the room's time zone (UTC+08:00 by default). Everything follows from the seed: the same seed makes
the same class.

Examples
--------
>>> import tempfile
>>> room = Path(tempfile.mkdtemp()) / "homes"
>>> made = simulate_class(room, participants=2, seed=3, until=time(9, 40))
>>> [p.slug for p in made.participants], made.checks > 0
(['p01', 'p02'], True)
>>> sorted(path.name for path in (room / "p01" / ".cvm").iterdir())
['progress.jsonl', 'settings.json']
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import math
import os
import random
import string
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any
from unittest import mock

from cvmlib import progress
from cvmlib.exercises import check, exercise_ids, get_exercise, solution
from cvmlib.exercises.wrong_answers import single_deviations
from cvmlib.feedback import Exercise, evaluate
from cvmlib.i18n import N_, _, format_list, language
from cvmlib.solutions import solution_index

__all__ = ["AGENDA", "NAMES", "PERSONAS", "ROOM_TZ", "AnswerPool", "Block", "Persona", "SimulatedClass",
           "SimulatedParticipant", "SimulationError", "answer_pool", "main", "simulate_class"]

#: The room's clock: a training in China (UTC+08:00); the logs are written in UTC as always.
ROOM_TZ = timezone(timedelta(hours=8))
#: The first day of the simulated training (a Monday).
DEFAULT_DATE = date(2026, 3, 2)


@dataclass(frozen=True)
class Block:
    """One chapter of the day: when the instructor starts it and when the class moves on."""

    topic: str
    start: time
    end: time


#: A one-day agenda through every chapter (breaks between the blocks, lunch 12:30-13:30). The first
#: minutes of a block are the instructor's introduction: nobody checks anything then.
AGENDA: tuple[Block, ...] = (
    Block("rfm", time(9, 0), time(10, 15)),
    Block("segment", time(10, 30), time(11, 35)),
    Block("value", time(11, 35), time(12, 30)),
    Block("clv", time(13, 30), time(14, 35)),
    Block("communication", time(14, 50), time(16, 0)),
    Block("complaints", time(16, 10), time(17, 15)),
)
#: Minutes of introduction at the start of each block.
INTRO_MINUTES = 10


@dataclass(frozen=True)
class Persona:
    """How a kind of participant works.

    ``skill`` is the chance that a first attempt at an average exercise is right; each failed attempt
    (and the hint it brings) multiplies the chance of being wrong again by ``learns``. ``named`` is the chance that a wrong answer is one of the named
    mistakes rather than another near miss. After ``patience`` failed attempts they ask for the worked
    solution (chance ``asks_solution``), else they keep trying (``persists``) or give up on the exercise.
    ``speed`` scales their minutes; ``leaves`` is the window (hours into the day) in which they stop
    for good, if they do; ``no_code`` participants do only the no-code exercises.
    """

    id: str
    label: str
    share: float
    skill: float
    learns: float
    named: float
    patience: int
    asks_solution: float
    persists: float
    speed: float
    leaves: tuple[float, float] | None = None
    no_code: bool = False


#: The personas of the simulated class and their shares of it.
PERSONAS: tuple[Persona, ...] = (
    Persona("strong", N_("strong"), 0.20, skill=0.80, learns=0.50, named=0.75, patience=4, asks_solution=0.30,
            persists=0.50, speed=0.75),
    Persona("average", N_("average"), 0.40, skill=0.55, learns=0.62, named=0.70, patience=3, asks_solution=0.50,
            persists=0.30, speed=1.00),
    Persona("struggling", N_("struggling"), 0.20, skill=0.25, learns=0.85, named=0.65, patience=3, asks_solution=0.35,
            persists=0.75, speed=1.35),
    Persona("gives_up", N_("gives up early"), 0.10, skill=0.40, learns=0.75, named=0.60, patience=2,
            asks_solution=0.30, persists=0.10, speed=1.20, leaves=(1.5, 5.0)),
    Persona("no_code", N_("no-code participant"), 0.10, skill=0.55, learns=0.62, named=0.70, patience=3,
            asks_solution=0.40, persists=0.30, speed=1.00, no_code=True),
)

#: Synthetic names (common family and given names put together at random; no real person is meant).
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "zh": (("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
            "罗", "高"),
           ("伟", "芳", "娜", "敏", "静", "磊", "洋", "婷", "杰", "丽", "强", "欣怡", "子涵", "浩然", "雨桐", "思远",
            "佳琪", "晨曦", "嘉怡", "志强")),
    "en": (("Becker", "Martin", "Novak", "Keller", "Moreau", "Jensen", "Rossi", "Weber", "Silva", "Schmidt",
            "Dubois", "Larsen"),
           ("Anna", "Lukas", "Sophie", "Daniel", "Emma", "Jonas", "Laura", "Felix", "Marie", "Tom", "Clara",
            "David")),
}
#: Share of the class with a Chinese name (they also work in the Chinese edition).
CHINESE_SHARE = 0.7


class SimulationError(ValueError):
    """The simulation cannot run as asked (the message says why)."""


# ----------------------------------------------------------------------------------------------
# Answers, from the exercises themselves
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerPool:
    """The answers a simulated participant can give to one exercise, sorted by what the check says.

    ``correct`` passes; ``named[mistake_id]`` are answers the check recognises as that mistake (in the
    order the exercise defines its mistakes); ``other`` are wrong answers no named mistake matches.
    """

    exercise: str
    correct: Any
    named: dict[str, list[Any]]
    other: list[Any]


def _forms(value: Any) -> list[Any]:
    """A value as a participant writes it: a letter for a set of option letters, a dict of letters, ..."""
    if type(value) is frozenset and value and all(type(x) is str and len(x) == 1 for x in value):
        letters = sorted(value)
        return [letters[0]] if len(letters) == 1 else [", ".join(letters), letters[0]]
    if type(value) is frozenset:
        return [sorted(value, key=str)]
    if type(value) is dict and value and all(type(v) is frozenset and v for v in value.values()):
        return [{key: sorted(ok)[0] for key, ok in value.items()}]
    return [value]


def _perturbations(expected: Any) -> list[Any]:
    """One-choice changes of the right answer: how rule-recognised choice mistakes are made."""
    if type(expected) is frozenset and all(type(x) is str and len(x) == 1 for x in expected):
        return [frozenset(letter) for letter in string.ascii_uppercase[:6]]
    if type(expected) is dict and expected and all(type(v) is frozenset and v for v in expected.values()):
        options = sorted(set().union(*expected.values()))
        if all(len(option) == 1 for option in options):
            options = list(string.ascii_uppercase[:6])
        return list(single_deviations(expected, options))
    if isinstance(expected, int) and not isinstance(expected, bool):
        return [n for n in range(1, 13) if n != expected]
    return []


def _memoised(exercise: Exercise) -> Exercise:
    """The same exercise with its answers computed once (sorting many candidates recomputes them otherwise)."""
    def once(compute: Any) -> Any:
        return None if compute is None else functools.cache(compute)

    mistakes = tuple(dataclasses.replace(m, answer=once(m.answer), variants=once(m.variants)) for m in exercise.mistakes)
    return dataclasses.replace(exercise, expected=once(exercise.expected), mistakes=mistakes)


@functools.cache
def answer_pool(exercise_id: str) -> AnswerPool:
    """The answers of one exercise, each sorted by what :func:`cvmlib.feedback.evaluate` (the check) says.

    >>> pool = answer_pool("rfm.monetary")
    >>> sorted(pool.named) == sorted(m.id for m in get_exercise("rfm.monetary").mistakes)
    True
    """
    exercise = _memoised(get_exercise(exercise_id))
    expected = exercise.expected()
    correct = next((form for form in _forms(expected) if evaluate(exercise, form).correct), None)
    if correct is None:
        raise SimulationError(_("No form of the expected answer of {exercise} passes its check.").format(
            exercise=exercise_id))
    candidates: list[Any] = []
    for mistake in exercise.mistakes:
        if mistake.variants is not None:
            candidates.extend(mistake.variants())
        elif mistake.answer is not None:
            candidates.append(mistake.answer())
    candidates.extend(exercise.near_misses() if exercise.near_misses is not None else [])
    candidates.extend(_perturbations(expected))
    named: dict[str, list[Any]] = {m.id: [] for m in exercise.mistakes}
    other: list[Any] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a wrong answer may make pandas complain; the check still answers
        for candidate in candidates:
            for form in _forms(candidate):
                feedback = evaluate(exercise, form)
                if feedback.status != "hint":
                    continue
                if feedback.mistake is None:
                    other.append(form)
                elif len(named[feedback.mistake]) < 3:
                    named[feedback.mistake].append(form)
    return AnswerPool(exercise_id, correct, {k: v for k, v in named.items() if v}, other[:6])


# ----------------------------------------------------------------------------------------------
# The class
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SimulatedParticipant:
    """One simulated participant: home folder name, display name, persona, edition."""

    slug: str
    name: str
    persona: Persona
    lang: str


@dataclass
class SimulatedClass:
    """What :func:`simulate_class` made: the participants and how many checks and solutions were recorded."""

    folder: Path
    participants: list[SimulatedParticipant] = field(default_factory=list)
    checks: int = 0
    solutions: int = 0


def _names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` different synthetic (name, edition) pairs, about 70 % Chinese."""
    chosen: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(chosen) < count:
        edition = "zh" if rng.random() < CHINESE_SHARE else "en"
        family, given = NAMES[edition]
        name = (rng.choice(family) + rng.choice(given) if edition == "zh"
                else f"{rng.choice(given)} {rng.choice(family)}")
        if name not in seen:
            seen.add(name)
            chosen.append((name, edition))
    return chosen


def _personas(rng: random.Random, count: int) -> list[Persona]:
    """The personas of a class of ``count``, in their shares (largest remainders), in random order."""
    exact = [persona.share * count for persona in PERSONAS]
    counts = [math.floor(x) for x in exact]
    for i in sorted(range(len(PERSONAS)), key=lambda i: exact[i] - counts[i], reverse=True)[: count - sum(counts)]:
        counts[i] += 1
    chosen = [persona for persona, n in zip(PERSONAS, counts) for _i in range(n)]
    rng.shuffle(chosen)
    return chosen


@functools.cache
def _popularity(seed: int, exercise_id: str, mistakes: tuple[str, ...]) -> tuple[float, ...]:
    """How common each mistake of an exercise is in this class: a few are made by many (the same seed, the
    same class). Weights fall like 1, 1/2, 1/3, ... over a shuffled order of the mistakes."""
    rng = random.Random(f"{seed}:{exercise_id}")
    ranks = list(range(len(mistakes)))
    rng.shuffle(ranks)
    return tuple(1.0 / (rank + 1) ** 1.3 for rank in ranks)


def _difficulty(exercise: Exercise) -> float:
    """0 (easy) to about 0.6: more named traps, and computing rather than choosing, make it harder."""
    return min(0.6, 0.08 + 0.06 * len(exercise.mistakes) + (0.12 if exercise.kind == "compute" else 0.0))


class _Day:
    """One participant's clock through the day (local times of the room)."""

    def __init__(self, day: date, tz: timezone, until: time | None) -> None:
        self.day, self.tz = day, tz
        self.now = self.at(AGENDA[0].start)
        self.until = self.at(until) if until is not None else self.at(AGENDA[-1].end)

    def at(self, moment: time) -> datetime:
        return datetime.combine(self.day, moment, tzinfo=self.tz)

    def wait(self, minutes: float) -> None:
        self.now += timedelta(seconds=round(minutes * 60))


def _workbook(exercise_id: str) -> str:
    worked = solution_index().get(exercise_id)
    return worked.notebook if worked is not None else f"{exercise_id.split('.', 1)[0]}.ipynb"


@contextlib.contextmanager
def _participant_env(folder: Path, workbook: str) -> Iterator[None]:
    """The environment a participant's kernel has: their log folder, the running workbook."""
    with mock.patch.dict(os.environ, {"CVM_PROGRESS_DIR": str(folder), "JPY_SESSION_NAME": workbook,
                                      "CVM_PROGRESS": "on"}):
        yield


class _Replay:
    """Replays one participant's day through the checks."""

    def __init__(self, who: SimulatedParticipant, home: Path, seed: int, day: _Day, index: int) -> None:
        self.who, self.home, self.seed, self.day = who, home, seed, day
        self.rng = random.Random(f"{seed}:participant:{index}")
        self.persona = who.persona
        self.checks = self.solutions = 0
        self.leaves_at: datetime | None = None
        if self.persona.leaves is not None:
            low, high = self.persona.leaves
            self.leaves_at = day.at(AGENDA[0].start) + timedelta(hours=self.rng.uniform(low, high))
        self.folder = home / "no-code" / ".cvm" if self.persona.no_code else home / ".cvm"

    def minutes(self, mean: float) -> float:
        return self.rng.lognormvariate(math.log(mean * self.persona.speed), 0.45)

    def over(self, end: datetime) -> bool:
        return self.day.now >= min(end, self.day.until) or (self.leaves_at is not None and self.day.now >= self.leaves_at)

    def check(self, exercise_id: str, answer: Any) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            feedback = check(exercise_id, answer)
        self.checks += 1
        return feedback.status

    def exercises(self, topic: str) -> list[str]:
        ids = exercise_ids(topic)
        if self.persona.no_code:
            return [i for i in ids if get_exercise(i).kind == "interpret"]
        return ids

    def run(self) -> None:
        for block in AGENDA:
            if self.persona.no_code and block.topic not in ("communication", "complaints"):
                continue
            start, end = self.day.at(block.start), self.day.at(block.end)
            self.day.now = max(self.day.now, start + timedelta(minutes=INTRO_MINUTES + self.rng.uniform(0, 4)))
            for exercise_id in self.exercises(block.topic):
                if self.over(end):
                    break
                if self.persona.id != "strong" and self.rng.random() < 0.05:
                    continue  # skipped (read the task, went on)
                workbook = ("no-code/" if self.persona.no_code else "") + _workbook(exercise_id)
                with _participant_env(self.folder, workbook), progress.clock(lambda: self.day.now):
                    self.exercise(exercise_id, end)
            if self.leaves_at is not None and self.day.now >= self.leaves_at:
                return

    def exercise(self, exercise_id: str, end: datetime) -> None:
        exercise = get_exercise(exercise_id)
        pool = answer_pool(exercise_id)
        persona, rng = self.persona, self.rng
        think = 4.5 if exercise.kind == "compute" else 2.5
        if rng.random() < 0.08:  # ran the check cell before writing anything
            self.day.wait(self.minutes(0.4))
            self.check(exercise_id, ...)
        base = persona.skill * (1 - _difficulty(exercise))
        ids = list(pool.named)
        weights = _popularity(self.seed, exercise_id, tuple(ids))
        patience, failed, previous = persona.patience, 0, None
        self.day.wait(self.minutes(think))
        while not self.over(end):
            if rng.random() < 1 - (1 - base) * persona.learns ** failed:
                self.check(exercise_id, pool.correct)
                return
            if previous is not None and rng.random() < 0.3:
                answer = previous  # ran the same cell again
            elif ids and (rng.random() < persona.named or not pool.other):
                answer = rng.choice(pool.named[rng.choices(ids, weights=weights)[0]])
            elif pool.other:
                answer = rng.choice(pool.other)
            else:
                answer = pool.correct
            self.check(exercise_id, answer)
            previous, failed = answer, failed + 1
            if failed >= patience:
                if rng.random() < persona.asks_solution:
                    with contextlib.suppress(LookupError):
                        solution(exercise_id)
                        self.solutions += 1
                    self.day.wait(self.minutes(2.0))
                    if rng.random() < 0.92:  # copied what they read
                        self.check(exercise_id, pool.correct)
                    return
                if rng.random() >= persona.persists:
                    return  # gave up on this one
                patience += 2
            self.day.wait(self.minutes(1.6))


def simulate_class(out: str | os.PathLike[str], participants: int = 30, seed: int = 11, *,
                   day: date = DEFAULT_DATE, until: time | None = None, tz: timezone = ROOM_TZ) -> SimulatedClass:
    """Replay a training day of ``participants`` simulated participants through the real checks.

    Parameters
    ----------
    out : path-like
        The room-like folder to make: one home ``<out>/pNN/`` per participant. It must not hold
        progress logs yet (a simulation never adds to a real class).
    participants : int
        Class size, 1 to 200.
    seed : int
        Everything random follows from it: the same seed, the same class.
    day : date
        The training day.
    until : time, optional
        Stop the day at this local time (a snapshot of a class in progress); default: the end of the day.
    tz : timezone
        The room's time zone.

    Returns
    -------
    SimulatedClass

    Raises
    ------
    SimulationError
        For a class size out of range or an ``out`` folder that already holds progress logs.
    """
    if not isinstance(participants, int) or isinstance(participants, bool) or not 1 <= participants <= 200:
        raise SimulationError(_("The class size must be a whole number from 1 to 200, got {value!r}.").format(
            value=participants))
    folder = Path(out).expanduser()
    if folder.exists() and any(folder.rglob(progress.LOG_NAME)):
        raise SimulationError(_("{path} already holds progress logs: give an empty or new folder (a simulation "
                                "never adds to a real class).").format(path=folder))
    rng = random.Random(f"{seed}:class")
    made = SimulatedClass(folder)
    for index, ((name, lang), persona) in enumerate(zip(_names(rng, participants), _personas(rng, participants)),
                                                    start=1):
        who = SimulatedParticipant(f"p{index:02d}", name, persona, lang)
        home = folder / who.slug
        replay = _Replay(who, home, seed, _Day(day, tz, until), index)
        for settings in {home / ".cvm", replay.folder}:  # the home's name, and the log folder's for its records
            with _participant_env(settings, ""):
                progress.set_display_name(name)
        with language(lang):
            replay.run()
        made.participants.append(who)
        made.checks += replay.checks
        made.solutions += replay.solutions
    progress.reset_session()  # the simulated participants' counts must not stay in this process
    return made


def _clock_time(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("expected a time of day such as 14:30, got {value!r}").format(
            value=text)) from None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("expected a date such as 2026-03-02, got {value!r}").format(
            value=text)) from None


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m cvmlib.classroom.simulate --out DIR [--participants 30] [--seed 11] [--until 14:30]``."""
    cli = argparse.ArgumentParser(prog="python -m cvmlib.classroom.simulate",
                                  description=_("A simulated class: a training day replayed through the real checks."))
    cli.add_argument("--out", required=True, type=Path, help=_("the folder to make, one home per participant"))
    cli.add_argument("--participants", type=int, default=30, help=_("class size (default: 30)"))
    cli.add_argument("--seed", type=int, default=11, help=_("the same seed makes the same class (default: 11)"))
    cli.add_argument("--date", type=_day, default=DEFAULT_DATE, help=_("the training day (default: 2026-03-02)"))
    cli.add_argument("--until", type=_clock_time,
                     help=_("stop at this time of the day, e.g. 14:30 (default: the end of the day)"))
    options = cli.parse_args(argv)
    try:
        made = simulate_class(options.out, options.participants, options.seed, day=options.date,
                              until=options.until)
    except SimulationError as error:
        print(_("Simulation: {error}").format(error=error), file=sys.stderr)
        return 2
    kinds = {persona.id: sum(p.persona.id == persona.id for p in made.participants) for persona in PERSONAS}
    mix = format_list(_("{n} {persona}").format(n=n, persona=_(persona.label)) for persona in PERSONAS
                      if (n := kinds[persona.id]))
    print(_("Simulated {n} participants ({mix}) in {path}: {checks:,} checks and {solutions} worked "
            "solutions recorded.").format(n=len(made.participants), mix=mix, path=made.folder,
                                          checks=made.checks, solutions=made.solutions))
    print(_("Class report: python -m cvmlib.classroom.report --logs {path} --out report.html").format(
        path=made.folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
