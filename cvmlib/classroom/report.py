"""The instructor's class report: who tried what, who solved it, who is stuck, which mistakes to re-teach.

The report is made from the participants' progress logs (:mod:`cvmlib.progress`: one JSON line per
check and per worked solution shown) and nothing else; it reads files, writes one HTML file, and
never asks another host for anything. It shows

- per exercise, in course order (the chapters of :data:`cvmlib.exercises.TOPICS`, each chapter's
  exercises in workbook order): how many participants tried it, solved it, solved it at the first
  attempt, asked for the worked solution, and are stuck on it now;
- the named mistakes (the :class:`~cvmlib.feedback.Mistake` a check recognised) as a heat map,
  exercise by exercise: how many participants made each one, with the mistake's hint shortened as its
  label, so the instructor knows what to re-teach; the most frequent ones across the class as a list;
- per participant a compact row: exercises solved and tried, solutions asked for, the current exercise,
  the last activity and a stuck flag (at least :data:`STUCK_AFTER` failed attempts on the current
  exercise, not solved). Rows are in name order: a ranking is shown only when asked for (``rank=True``).

Where the logs come from
------------------------
:func:`load_class` reads one of these folders (the rule, in this order):

1. **A classroom's homes folder** (``room/homes/``, or the room folder ``room/`` itself, whose
   ``homes/`` is then read): one participant per home ``<folder>/<slug>/``.
2. **A folder of collected logs or workbook folders** (a room without the server): one participant per
   top-level sub-folder, whatever its layout inside, and one participant per ``.jsonl`` file lying
   directly in the folder (logs collected flat, e.g. ``wang-wei.jsonl``).
3. **One home or one log file**: a folder with a ``.cvm/`` folder of its own, or a ``.jsonl`` file, is one
   participant.

Every ``progress.jsonl`` inside a participant's folder is part of that participant (a home holds the
log of its workbooks in ``.cvm/`` and the log of the no-code workbooks in ``no-code/.cvm/``): the logs
are merged, record by record in time order. Hidden folders other than ``.cvm`` (``.ipynb_checkpoints``,
``.local``, ...) are not searched. The name shown is the display name of the participant's
``.cvm/settings.json`` (the outermost one; :func:`cvmlib.progress.set_display_name`), else the last name
its records carry, else the folder or file name. A folder that holds neither a log nor a settings file
is not a participant. A line that is not a record is skipped and counted (shown in the report), never
fatal.

Examples
--------
>>> import json, tempfile
>>> homes = Path(tempfile.mkdtemp())
>>> def log(slug, *records, folder=".cvm"):
...     path = homes / slug / folder / "progress.jsonl"
...     path.parent.mkdir(parents=True, exist_ok=True)
...     with path.open("a") as out:
...         for minute, exercise, status, mistake in records:
...             out.write(json.dumps({"v": 1, "time": f"2026-03-02T09:{minute:02d}:00Z", "event": "check",
...                                   "exercise": exercise, "status": status, "mistake": mistake}) + "\\n")
>>> log("ana", (1, "rfm.recency", "hint", "snapshot_forgotten"), (4, "rfm.recency", "correct", None))
>>> log("bo", (2, "rfm.recency", "correct", None))
>>> log("bo", (9, "communication.mehrabian", "hint", None), folder="no-code/.cvm")
>>> logs = load_class(homes)
>>> [p.key for p in logs.participants], logs.files
(['ana', 'bo'], 3)
>>> class_summary(logs).loc["rfm.recency", ["tried", "solved", "solved_first_try"]].tolist()
[2, 2, 1]
>>> int(mistake_matrix(logs).loc["rfm.recency", "snapshot_forgotten"])
1
>>> participant_rows(logs)[["participant", "solved", "tried", "current"]].values.tolist()
[['ana', 1, 1, 'rfm.recency'], ['bo', 1, 2, 'communication.mehrabian']]
>>> "<h1>课堂报告</h1>" in render_html(logs, lang="zh", embed_font=False)
True
"""

from __future__ import annotations

import argparse
import base64
import functools
import html
import io
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from cvmlib.exercises import TOPICS, exercise_ids, get_exercise
from cvmlib.feedback import Exercise, shown_text
from cvmlib.i18n import N_, _, format_date, get_language, language, ngettext
from cvmlib.progress import ANSWERED, LOG_FOLDER, LOG_NAME, SETTINGS_NAME, LogRecords, read_log

__all__ = [
    "EXPORT_PATH",
    "FRAGMENT_PATH",
    "REFRESH_SECONDS",
    "STUCK_AFTER",
    "ClassLogs",
    "LogCache",
    "Participant",
    "ReportInputError",
    "class_summary",
    "course_exercises",
    "exercise_frame",
    "exercise_title",
    "load_class",
    "main",
    "mistake_counts",
    "mistake_hint",
    "mistake_label",
    "mistake_matrix",
    "participant_rows",
    "port_argument",
    "render_fragment",
    "render_html",
    "short_text",
    "summary_text",
    "top_mistakes",
    "topic_name",
    "write_report",
]

#: A participant is flagged as stuck after this many failed attempts on their current exercise, unsolved.
STUCK_AFTER = 3
#: The live page (``render_html(..., live=True)``) re-fetches its content this often.
REFRESH_SECONDS = 5
#: Paths of the live page's content and of its download, relative to the page (the service serves them).
FRAGMENT_PATH = "fragment"
EXPORT_PATH = "report.html"
#: How many of the class's most frequent named mistakes the "re-teach first" list shows.
TOP_MISTAKES = 10
#: Display widths (a Chinese character counts two) of an exercise's title and of a mistake's label.
TITLE_WIDTH = 64
LABEL_WIDTH = 72

#: Chapter names as shown (the book's chapter titles, shortened).
TOPIC_NAMES: dict[str, str] = {
    "rfm": N_("RFM analysis"),
    "segment": N_("Customer segmentation"),
    "value": N_("The customer value matrix"),
    "clv": N_("Customer lifetime value"),
    "communication": N_("4C and communication"),
    "complaints": N_("Complaint handling"),
    "lifecycle": N_("The customer lifecycle"),
    "sandbox": N_("The micro-sandbox"),
}

#: Colour steps of the heat map: (lowest share of the class, background, text colour, legend text).
HEAT_STEPS: tuple[tuple[float, str, str, str], ...] = (
    (0.0, "#ffffff", "#6b6b6b", N_("nobody")),
    (1e-9, "#fde4cc", "#1a1a1a", N_("under 10 %")),
    (0.10, "#fbbf86", "#1a1a1a", N_("10 to 24 %")),
    (0.25, "#f0883e", "#1a1a1a", N_("25 to 49 %")),
    (0.50, "#b4470a", "#ffffff", N_("50 % or more")),
)


class ReportInputError(ValueError):
    """The folder given to the report cannot be read as a class (the message names it and says why)."""


# ----------------------------------------------------------------------------------------------
# Reading the logs
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    """One participant: their logs merged (records in time order), the lines skipped, the name shown."""

    key: str
    name: str
    records: tuple[dict[str, Any], ...]
    files: tuple[Path, ...] = ()
    skipped: int = 0


@dataclass
class LogCache:
    """Parsed logs kept by path, re-read only when a file's size or modification time changes.

    The live view reads the class every few seconds; with this cache only the logs written since are
    parsed again.
    """

    entries: dict[Path, tuple[tuple[int, int], LogRecords]] = field(default_factory=dict)
    #: How many times a log was parsed: it changes exactly when some log changed (or first appeared).
    reads: int = 0

    def read(self, path: Path) -> LogRecords:
        """The records of ``path`` (:func:`cvmlib.progress.read_log`), from the cache when unchanged."""
        try:
            stat = path.stat()
        except OSError:
            return read_log(path)
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self.entries.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        records = read_log(path)
        self.entries[path] = (stamp, records)
        self.reads += 1
        return records


@dataclass(frozen=True)
class ClassLogs:
    """The logs of a class, one :class:`Participant` each, as read from ``source``."""

    source: Path
    participants: tuple[Participant, ...]

    @property
    def files(self) -> int:
        """How many log files were read."""
        return sum(len(p.files) for p in self.participants)

    @property
    def skipped(self) -> int:
        """Lines of the logs that were not records (corrupt, torn or of another shape), all participants."""
        return sum(p.skipped for p in self.participants)

    @property
    def records(self) -> int:
        """Records read, all participants."""
        return sum(len(p.records) for p in self.participants)

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """One row per participant and exercise they touched (see :func:`exercise_frame`)."""
        return exercise_frame(self.participants)


def _settings_name(folder: Path) -> str | None:
    try:
        settings = json.loads((folder / SETTINGS_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = settings.get("name") if isinstance(settings, dict) else None
    return " ".join(name.split()) or None if isinstance(name, str) else None


def _walk(folder: Path) -> Iterator[Path]:
    """Every folder under ``folder`` (itself included) that may hold logs: hidden ones only if ``.cvm``."""
    yield folder
    try:
        children = sorted(folder.iterdir())
    except OSError:
        return
    for child in children:
        if child.is_symlink() or not child.is_dir():
            continue
        if child.name.startswith(".") and child.name != LOG_FOLDER:
            continue
        yield from _walk(child)


def _participant(key: str, folder: Path | None, logs: Sequence[Path], cache: LogCache) -> Participant:
    records: list[dict[str, Any]] = []
    skipped = 0
    for path in logs:
        read = cache.read(path)
        records.extend(read)
        skipped += read.skipped
    # one participant, several logs: one history, in time order (a stable sort keeps each log's own order)
    records.sort(key=lambda entry: entry["time"] if isinstance(entry.get("time"), str) else "")
    name = None
    if folder is not None:
        settings = sorted((d for d in _walk(folder) if (d / SETTINGS_NAME).is_file() and d.name == LOG_FOLDER),
                          key=lambda d: len(d.parts))
        name = next((found for found in map(_settings_name, settings) if found), None)
    if name is None:
        named = [entry["name"] for entry in records if isinstance(entry.get("name"), str) and entry["name"].strip()]
        name = " ".join(named[-1].split()) if named else key
    return Participant(key, name, tuple(records), tuple(logs), skipped)


def _logs_in(folder: Path) -> list[Path]:
    return [d / LOG_NAME for d in _walk(folder) if (d / LOG_NAME).is_file()]


def _has_settings(folder: Path) -> bool:
    return any((d / SETTINGS_NAME).is_file() for d in _walk(folder) if d.name == LOG_FOLDER)


def load_class(path: str | os.PathLike[str], *, cache: LogCache | None = None, require_logs: bool = True) -> ClassLogs:
    """Read the progress logs of a class (the folder layouts are described in the module's docstring).

    Parameters
    ----------
    path : path-like
        A classroom's homes folder (or its room folder), a folder of collected logs, one home or one log.
    cache : LogCache, optional
        Keeps parsed logs between calls (the live view); unchanged files are not parsed again.
    require_logs : bool
        Raise when no log is found (the export); the live view shows an empty class instead.

    Returns
    -------
    ClassLogs
        The participants, in the order of their folder or file names.

    Raises
    ------
    ReportInputError
        If ``path`` does not exist, is neither a folder nor a ``.jsonl`` file, or (with ``require_logs``)
        holds no progress log.
    """
    source = Path(path).expanduser()
    cache = LogCache() if cache is None else cache
    if not source.exists():
        raise ReportInputError(_("The logs folder {path} does not exist. Give the classroom's homes folder "
                                 "(room/homes) or a folder of collected logs.").format(path=source))
    if source.is_file():
        if source.suffix != ".jsonl":
            raise ReportInputError(_("{path} is not a progress log (a .jsonl file) nor a folder of logs.").format(
                path=source))
        participants = [_participant(source.stem, None, [source], cache)]
    else:
        if (source / "homes").is_dir() and not (source / LOG_FOLDER).is_dir():
            source = source / "homes"  # the room folder: its homes
        participants = []
        if (source / LOG_FOLDER).is_dir():
            participants.append(_participant(source.name, source, _logs_in(source), cache))
        else:
            try:
                entries = sorted(source.iterdir())
            except OSError as error:
                raise ReportInputError(_("The logs folder {path} cannot be read ({error}).").format(
                    path=source, error=error)) from None
            for entry in entries:
                if entry.name.startswith(".") or entry.is_symlink():
                    continue
                if entry.is_file() and entry.suffix == ".jsonl":
                    participants.append(_participant(entry.stem, None, [entry], cache))
                elif entry.is_dir():
                    logs = _logs_in(entry)
                    if logs or _has_settings(entry):
                        participants.append(_participant(entry.name, entry, logs, cache))
    if require_logs and not any(p.files for p in participants):
        raise ReportInputError(_("No progress log found in {path}. Expected a classroom's homes folder "
                                 "(<home>/.cvm/progress.jsonl) or collected logs: one folder or one .jsonl file "
                                 "per participant.").format(path=source))
    return ClassLogs(source, tuple(participants))


# ----------------------------------------------------------------------------------------------
# The course: exercises in order, their texts as shown
# ----------------------------------------------------------------------------------------------


@functools.cache
def course_exercises() -> tuple[tuple[str, str], ...]:
    """(topic, exercise id) of every exercise of the course, in course order.

    >>> course_exercises()[0]
    ('rfm', 'rfm.recency')
    """
    return tuple((topic, exercise_id) for topic in TOPICS for exercise_id in exercise_ids(topic))


@functools.cache
def _known(exercise_id: str) -> Exercise | None:
    try:
        return get_exercise(exercise_id)
    except KeyError:  # an exercise of another version of the course: shown by its id
        return None


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def short_text(text: str, width: int = LABEL_WIDTH) -> str:
    """The first sentence of ``text``, cut to ``width`` display columns (a Chinese character takes two).

    >>> short_text("You averaged. The task asks for the total.")
    'You averaged.'
    >>> short_text("Check the customers exactly on an edge: pd.cut closes the right edge", width=30)
    'Check the customers exactly…'
    >>> short_text("你算的是平均值。题目要的是总额。")
    '你算的是平均值。'
    """
    first = re.split(r"(?<=[.!?])\s+|(?<=[。！？])", " ".join(text.split()), maxsplit=1)[0]
    if _width(first) <= width:
        return first
    cut, used = [], 0
    for char in first:
        used += _width(char)
        if used > width - 1:
            break
        cut.append(char)
    kept = "".join(cut)
    latin = not _CJK.search(kept)
    if latin and " " in kept and not first[len(kept)].isspace() and _width(kept) > width // 2:
        kept = kept[: kept.rindex(" ")]  # whole words in a Latin text (Chinese is cut anywhere)
    return kept.rstrip(" ,;:，；：、") + "…"


def exercise_title(exercise_id: str) -> str:
    """A short title for an exercise: the start of its prompt, in the language in force.

    >>> exercise_title("rfm.recency")
    'Recency per customer'
    >>> exercise_title("rfm.not_in_the_course")
    'rfm.not_in_the_course'
    """
    exercise = _known(exercise_id)
    if exercise is None:
        return exercise_id
    prompt = " ".join(shown_text(exercise.prompt).split())
    head = re.split(r"[:：]", prompt, maxsplit=1)[0]
    return short_text(head if 6 <= _width(head) < _width(prompt) else prompt, TITLE_WIDTH)


def mistake_hint(exercise_id: str, mistake_id: str) -> str:
    """The full first hint of a named mistake, in the language in force (its id if the course has no such mistake)."""
    exercise = _known(exercise_id)
    for mistake in exercise.mistakes if exercise is not None else ():
        if mistake.id == mistake_id:
            return shown_text(mistake.hint)
    return mistake_id


def mistake_label(exercise_id: str, mistake_id: str) -> str:
    """The hint of a named mistake shortened to a label (what the participants got wrong).

    >>> mistake_label("rfm.monetary", "mean_instead_of_total")
    'You computed the mean order value.'
    """
    return short_text(mistake_hint(exercise_id, mistake_id))


def topic_name(topic: str) -> str:
    """A chapter's name as shown (the topic itself for a topic the course does not know)."""
    return _(TOPIC_NAMES[topic]) if topic in TOPIC_NAMES else topic


# ----------------------------------------------------------------------------------------------
# The tables
# ----------------------------------------------------------------------------------------------

FRAME_COLUMNS = ["participant", "exercise", "attempts", "failed", "solved", "solved_first_try", "solution_shown",
                 "mistakes", "other_wrong", "last"]


def exercise_frame(participants: Iterable[Participant]) -> pd.DataFrame:
    """One row per participant and exercise they touched, for the whole class at once.

    Columns: ``participant`` (key), ``exercise``, ``attempts`` (answered checks), ``failed`` (answered
    checks that were not correct), ``solved``, ``solved_first_try``, ``solution_shown``, ``mistakes``
    (tuple of the named mistake ids, first made first), ``other_wrong`` (a wrong answer no named mistake
    matched), ``last`` (time of the last record, UTC). The columns :func:`cvmlib.progress.progress_table`
    also has mean the same there (tests/test_class_report.py holds both to it), computed here in one pass
    over the class instead of one table per participant.

    Examples
    --------
    >>> records = ({"event": "check", "exercise": "a.x", "status": "hint", "mistake": "m", "time": "2026-03-02T01:00:00Z"},
    ...            {"event": "check", "exercise": "a.x", "status": "correct", "time": "2026-03-02T01:03:00Z"})
    >>> frame = exercise_frame([Participant("ana", "Ana", records)])
    >>> frame[["attempts", "failed", "solved", "solved_first_try", "mistakes"]].to_dict("records")
    [{'attempts': 2, 'failed': 1, 'solved': True, 'solved_first_try': False, 'mistakes': ('m',)}]
    """
    rows = [(participant.key, entry.get("time"), entry.get("event"), entry.get("exercise"), entry.get("status"),
             entry.get("mistake")) for participant in participants for entry in participant.records]
    records = pd.DataFrame(rows, columns=["participant", "time", "event", "exercise", "status", "mistake"])
    records = records[records["exercise"].map(lambda value: isinstance(value, str))]
    if records.empty:
        empty = pd.DataFrame({column: pd.Series(dtype=object) for column in FRAME_COLUMNS})
        return empty.astype({"attempts": int, "failed": int, "solved": bool, "solved_first_try": bool,
                             "solution_shown": bool, "other_wrong": bool, "last": "datetime64[s, UTC]"})
    is_text = records["time"].map(lambda value: isinstance(value, str))
    named = records["mistake"].map(lambda value: isinstance(value, str))
    # an answered check: "correct" or "hint" (a check of the placeholder is not an attempt)
    answered = records["event"].eq("check") & records["status"].isin(ANSWERED)
    wrong = answered & records["status"].eq("hint")
    records = records.assign(
        time=pd.to_datetime(records["time"].where(is_text), utc=True, errors="coerce", format="ISO8601"),
        answered=answered, wrong=wrong, right=answered & records["status"].eq("correct"),
        shown=records["event"].eq("solution"), other=wrong & ~named)
    keys = ["participant", "exercise"]
    # the records are in each participant's own order, so "first" is the first answered check
    frame = records.groupby(keys, sort=False).agg(
        attempts=("answered", "sum"), failed=("wrong", "sum"), solved=("right", "any"),
        solution_shown=("shown", "any"), other_wrong=("other", "any"), last=("time", "max"))
    first = records[records["answered"]].groupby(keys, sort=False)["status"].first().eq("correct")
    frame["solved_first_try"] = first.reindex(frame.index, fill_value=False).astype(bool)
    made = records[records["answered"] & named].drop_duplicates(keys + ["mistake"])
    mistakes = made.groupby(keys, sort=False)["mistake"].agg(tuple).to_dict()
    frame["mistakes"] = [mistakes.get(key, ()) for key in frame.index]
    frame = frame.reset_index().astype({"attempts": int, "failed": int})
    return frame[FRAME_COLUMNS]


def _order(ids: Iterable[str]) -> list[str]:
    """The course's exercises in course order, then the other ids, in the order given."""
    course = [exercise_id for _topic, exercise_id in course_exercises()]
    known = set(course)
    return course + list(dict.fromkeys(i for i in ids if i not in known))


def _topic_of(exercise_id: str) -> str:
    return exercise_id.split(".", 1)[0]


def participant_rows(logs: ClassLogs, rank: bool = False) -> pd.DataFrame:
    """One row per participant: exercises solved and tried, solutions asked for, where they are now.

    Parameters
    ----------
    logs : ClassLogs
        The class (:func:`load_class`).
    rank : bool
        False (the default): rows in name order, no ranking. True: most exercises solved first (then
        most solved at the first attempt, then name).

    Returns
    -------
    pandas.DataFrame
        Columns ``participant`` (key), ``name``, ``tried``, ``solved``, ``solved_first_try``,
        ``solutions``, ``current`` (the exercise of the last record, or None), ``current_solved``,
        ``current_failed``, ``last_activity`` (UTC timestamp), ``stuck`` (at least :data:`STUCK_AFTER`
        failed attempts on the current exercise, not solved) and ``skipped`` (unreadable lines).
    """
    frame = logs.frame
    per = frame.assign(tried=frame["attempts"] > 0).groupby("participant").agg(
        tried=("tried", "sum"), solved=("solved", "sum"), solved_first_try=("solved_first_try", "sum"),
        solutions=("solution_shown", "sum"), last_activity=("last", "max"))
    by_exercise = frame.set_index(["participant", "exercise"])[["solved", "failed"]]
    rows = []
    for participant in logs.participants:
        dated = [entry for entry in participant.records if entry.get("event") in ("check", "solution")]
        current = dated[-1]["exercise"] if dated else None
        here = (participant.key, current)
        solved_here = bool(by_exercise.at[here, "solved"]) if here in by_exercise.index else False
        failed_here = int(by_exercise.at[here, "failed"]) if here in by_exercise.index else 0
        rows.append({"participant": participant.key, "name": participant.name, "current": current,
                     "current_solved": solved_here, "current_failed": failed_here,
                     "stuck": current is not None and not solved_here and failed_here >= STUCK_AFTER,
                     "skipped": participant.skipped})
    table = pd.DataFrame(rows, columns=["participant", "name", "current", "current_solved", "current_failed", "stuck",
                                        "skipped"])
    table = table.join(per, on="participant")
    for column in ("tried", "solved", "solved_first_try", "solutions"):
        table[column] = table[column].fillna(0).astype(int)
    table = table[["participant", "name", "tried", "solved", "solved_first_try", "solutions", "current",
                   "current_solved", "current_failed", "last_activity", "stuck", "skipped"]]
    table["last_activity"] = pd.to_datetime(table["last_activity"], utc=True)
    # None, not NaN, for a participant who has not checked anything yet (pandas would infer a string column)
    table["current"] = pd.Series([row["current"] for row in rows], dtype=object)
    table["_name"] = table["name"].str.casefold()
    by = ["solved", "solved_first_try", "_name", "participant"] if rank else ["_name", "participant"]
    table = table.sort_values(by, ascending=[False, False, True, True] if rank else True, kind="stable")
    return table.drop(columns="_name").reset_index(drop=True)


def class_summary(logs: ClassLogs) -> pd.DataFrame:
    """Per exercise, in course order: participants who tried, solved, solved at the first try, asked for
    the solution, gave a wrong answer no named mistake matched, and are stuck on it now.

    Every exercise of the course is listed (zeros for one nobody tried yet), then exercises of the logs
    the installed course does not know.

    Returns
    -------
    pandas.DataFrame
        Index ``exercise``; columns ``topic``, ``tried``, ``solved``, ``solved_first_try``,
        ``solution_shown``, ``other_wrong``, ``stuck``.
    """
    frame = logs.frame
    tried = frame[frame["attempts"] > 0]
    counts = pd.DataFrame({
        "tried": tried.groupby("exercise").size(),
        "solved": frame[frame["solved"]].groupby("exercise").size(),
        "solved_first_try": frame[frame["solved_first_try"]].groupby("exercise").size(),
        "solution_shown": frame[frame["solution_shown"]].groupby("exercise").size(),
        "other_wrong": frame[frame["other_wrong"]].groupby("exercise").size(),
    })
    rows = participant_rows(logs)
    # .loc with a bool mask: an empty room's "stuck" column is an empty object column, which plain
    # [] would take for a list of column labels
    counts["stuck"] = rows.loc[rows["stuck"].astype(bool)].groupby("current").size()
    order = _order(frame["exercise"])
    counts = counts.reindex(order).fillna(0).astype(int)
    counts.index.name = "exercise"
    counts.insert(0, "topic", [_topic_of(i) for i in order])
    return counts


def mistake_counts(logs: ClassLogs) -> pd.DataFrame:
    """Per exercise and named mistake: how many participants made it (at least once).

    Every named mistake of every exercise someone tried is listed, in the order the check tries them
    (zeros included), then mistake ids the logs hold that the installed course does not define.

    Returns
    -------
    pandas.DataFrame
        Columns ``exercise``, ``mistake``, ``participants``, ``tried`` (participants who tried the
        exercise), ``share`` (of all participants of the class).
    """
    frame = logs.frame
    made = frame[["participant", "exercise", "mistakes"]].explode("mistakes").dropna(subset=["mistakes"])
    made = made.drop_duplicates()
    counted = made.groupby(["exercise", "mistakes"]).size()
    tried = frame[frame["attempts"] > 0].groupby("exercise").size()
    rows = []
    for exercise_id in _order(frame["exercise"]):
        if tried.get(exercise_id, 0) == 0:
            continue
        exercise = _known(exercise_id)
        defined = [m.id for m in exercise.mistakes] if exercise is not None else []
        recorded = counted[exercise_id].index.tolist() if exercise_id in counted.index.get_level_values(0) else []
        for mistake_id in dict.fromkeys([*defined, *recorded]):
            rows.append({"exercise": exercise_id, "mistake": mistake_id,
                         "participants": int(counted.get((exercise_id, mistake_id), 0)),
                         "tried": int(tried[exercise_id])})
    table = pd.DataFrame(rows, columns=["exercise", "mistake", "participants", "tried"])
    table["share"] = table["participants"] / max(len(logs.participants), 1)
    return table.astype({"participants": int, "tried": int, "share": float})


def mistake_matrix(logs: ClassLogs) -> pd.DataFrame:
    """The heat map's numbers: exercise x named mistake, participants who made it.

    Rows are the exercises someone tried (course order), columns every mistake id of those exercises;
    a cell is missing (``<NA>``) where the exercise has no such mistake.
    """
    counts = mistake_counts(logs)
    matrix = counts.pivot(index="exercise", columns="mistake", values="participants")
    matrix = matrix.reindex(index=list(dict.fromkeys(counts["exercise"])),
                            columns=list(dict.fromkeys(counts["mistake"])))
    return matrix.astype("Int64")


def top_mistakes(logs: ClassLogs, n: int = TOP_MISTAKES) -> pd.DataFrame:
    """The ``n`` named mistakes made by the most participants (ties in course order): re-teach these first."""
    counts = mistake_counts(logs)
    counts = counts[counts["participants"] > 0].reset_index(drop=True)
    counts["_order"] = range(len(counts))
    ranked = counts.sort_values(["participants", "_order"], ascending=[False, True], kind="stable")
    return ranked.drop(columns="_order").head(n).reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# HTML
# ----------------------------------------------------------------------------------------------

#: Chinese characters and punctuation (the unicode-range of the embedded font).
_CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_CJK_RANGE = "U+2E80-30FF,U+3400-4DBF,U+4E00-9FFF,U+F900-FAFF,U+FE30-FE4F,U+FF00-FFEF"
#: The embedded font's family name (its own, so it never shadows an installed font of another cut).
EMBEDDED_FONT = "CVM Noto Sans SC"
#: Noto Sans CJK SC (OFL) as the ``mplfonts`` package on PyPI ships it (a requirement of the course).
_FONT_FILE = ("fonts", "NotoSansCJKsc-Regular.otf")

CSS = """
:root { --ink: #1a1a1a; --muted: #5c5c5c; --line: #d0d0d0; --stuck: #b00020; --band: #f4f4f4; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.45 "CVM Noto Sans SC", system-ui, -apple-system,
  "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
main { max-width: 1400px; margin: 0 auto; padding: 12px 20px 32px; }
section { scroll-margin-top: 3em; }
h1 { font-size: 1.6em; margin: 0.2em 0; } h2 { font-size: 1.25em; margin: 1.4em 0 0.4em; }
code { font: 0.85em ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; color: var(--muted); }
.meta, .note, caption { color: var(--muted); }
caption { text-align: left; caption-side: top; padding: 2px 0 6px; }
.counts { display: flex; flex-wrap: wrap; gap: 8px 22px; list-style: none; padding: 0; margin: 10px 0; }
.counts strong { font-size: 1.35em; display: block; }
table { border-collapse: collapse; margin: 4px 0 10px; }
th, td { border: 1px solid var(--line); padding: 4px 7px; vertical-align: top; text-align: left; }
thead th { background: var(--band); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; } thead th.n { white-space: nowrap; }
tr.chapter th { background: #e8eef6; font-weight: 600; }
tbody th[scope=row] { font-weight: 400; } tbody th.name { font-weight: 600; white-space: nowrap; }
td.when { white-space: nowrap; }
tr.idle td, tr.idle th { color: #8a8a8a; }
.stuck { color: var(--stuck); font-weight: 600; }
tr.is-stuck td, tr.is-stuck th { background: #fdf0f2; }
.heat td.cell { width: 9.5em; min-width: 7em; font-size: 0.82em; line-height: 1.25; }
.heat td.cell b { display: block; font-size: 1.3em; }
.heat td.zero b { font-weight: 400; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; list-style: none; padding: 0; margin: 6px 0; font-size: 0.9em; }
.legend span { display: inline-block; width: 1.6em; height: 1em; border: 1px solid var(--line); vertical-align: -2px;
  margin-right: 4px; }
ol.reteach li { margin: 0 0 6px; } ol.reteach .who { font-weight: 600; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
nav.live { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line); padding: 6px 20px;
  display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center; z-index: 1; }
nav.live a { color: #0b57d0; } nav.live a[aria-current] { color: var(--ink); font-weight: 600; text-decoration: none; }
.stale-note { display: none; color: var(--stuck); } html[data-stale="1"] .stale-note { display: inline; }
@media print {
  @page { size: A4 landscape; margin: 11mm; }
  body { font-size: 9.5pt; } main { max-width: none; padding: 0; }
  nav.live { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr, li { break-inside: avoid; } h2 { break-after: avoid; }
  #heatmap, #exercises, #participants { break-before: page; }
  thead { display: table-header-group; }
}
"""

#: The live page's few lines of script: re-fetch the content, keep the page, say when the server is gone.
LIVE_SCRIPT = """
(function () {
  var box = document.getElementById('cvm-report');
  function refresh() {
    fetch('%(fragment)s' + location.search, {credentials: 'same-origin', cache: 'no-store'})
      .then(function (r) { if (r.ok && r.headers.get('X-CVM-Fragment')) { return r.text(); } throw r.status; })
      .then(function (text) { box.innerHTML = text; document.documentElement.dataset.stale = '0'; })
      .catch(function () { document.documentElement.dataset.stale = '1'; });
  }
  setInterval(refresh, %(ms)d);
})();
"""


def _font_file() -> Path | None:
    """The Noto Sans CJK SC file of the ``mplfonts`` package, found without importing it."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("mplfonts")
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        candidate = Path(folder).joinpath(*_FONT_FILE)
        if candidate.is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=16)
def _font_face(characters: str) -> str:
    """An ``@font-face`` rule embedding the glyphs of ``characters`` only (about 250 bytes a character).

    Without it the Chinese text would depend on a font of the reader's machine (a printed report, or a
    Linux laptop without CJK fonts, would show boxes); the file stays self-contained (a data: URL).
    """
    path = _font_file()
    if path is None or not characters:
        return ""
    try:
        from fontTools import subset
    except ImportError:  # the system's fonts then
        return ""
    options = subset.Options()
    # plain OpenType, not woff2: brotli at woff2's level takes seconds for a few dozen kB less; and no
    # layout tables (vertical forms and the like are not needed for a table of horizontal text)
    options.flavor = None
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
    options.name_IDs = ["*"]  # the licence (OFL) travels with the glyphs
    try:
        font = subset.load_font(str(path), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
    except Exception:  # noqa: BLE001 - a font it cannot cut: the report is still right, in the system's font
        return ""
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"@font-face {{ font-family: '{EMBEDDED_FONT}'; font-display: swap; "
            f"src: url(data:font/otf;base64,{data}) format('opentype'); unicode-range: {_CJK_RANGE}; }}")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _heat_step(share: float) -> tuple[str, str]:
    background, ink = HEAT_STEPS[0][1], HEAT_STEPS[0][2]
    for lowest, bg, fg, _legend in HEAT_STEPS:
        if share >= lowest:
            background, ink = bg, fg
    return background, ink


def _time_text(moment: pd.Timestamp, generated: datetime) -> str:
    if pd.isna(moment):
        return "–"
    local = moment.tz_convert(generated.tzinfo).to_pydatetime()
    clock = local.strftime("%H:%M")
    return clock if local.date() == generated.date() else f"{format_date(local.date())} {clock}"


def _exercise_cell(exercise_id: str | None) -> str:
    if exercise_id is None:
        return "–"
    return f"<code>{_e(exercise_id)}</code><br>{_e(exercise_title(exercise_id))}"


def _header(logs: ClassLogs, rows: pd.DataFrame, generated: datetime) -> str:
    offset = generated.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    when = f"{format_date(generated.date())} {generated.strftime('%H:%M')} ({zone})"
    active = int((rows["tried"] > 0).sum()) if len(rows) else 0
    stuck = rows.loc[rows["stuck"].astype(bool)]
    checks = int(logs.frame["attempts"].sum()) if len(logs.frame) else 0
    meta = [_("Generated {when} from the progress logs in {source}.").format(when=when, source=logs.source)]
    if logs.skipped:
        meta.append(ngettext("{n} unreadable line was skipped.", "{n} unreadable lines were skipped.",
                             logs.skipped).format(n=logs.skipped))
    items = [(len(logs.participants), _("participants")), (active, _("have answered a check")),
             (checks, _("answers checked")), (len(stuck), _("stuck now")), (logs.files, _("log files read"))]
    if logs.skipped:
        items.append((logs.skipped, _("unreadable lines skipped")))
    counts = "".join(f"<li><strong>{n:,}</strong>{_e(label)}</li>" for n, label in items)
    title = _("Class report")
    out = [f"<h1>{_e(title)}</h1>", f"<p class='meta'>{_e(' '.join(meta))}</p>",
           f"<ul class='counts'>{counts}</ul>"]
    if len(stuck):
        names = [_("{name} ({exercise}, {n} failed attempts)").format(name=row.name, exercise=row.current,
                                                                      n=row.current_failed)
                 for row in stuck.itertuples()]
        label = _("Stuck now:")
        listed = _("; ").join(names)
        out.append(f"<p><span class='stuck'>{_e(label)}</span> {_e(listed)}</p>")
    return "".join(out)


def _reteach(logs: ClassLogs) -> str:
    top = top_mistakes(logs)
    heading = _("Re-teach first")
    out = [f"<section id='reteach'><h2>{_e(heading)}</h2>"]
    if top.empty:
        none = _("No named mistake recorded yet.")
        out.append(f"<p class='note'>{_e(none)}</p></section>")
        return "".join(out)
    intro = _("The named mistakes made by the most participants, with the hint the check gave them.")
    out.append(f"<p class='note'>{_e(intro)}</p><ol class='reteach'>")
    for row in top.itertuples():
        who = ngettext("{n} participant", "{n} participants", row.participants).format(n=row.participants)
        of = _("(of {tried} who tried)").format(tried=row.tried)
        out.append(f"<li><span class='who'>{_e(who)}</span> <span class='note'>{_e(of)}</span> · "
                   f"<code>{_e(row.exercise)}</code> {_e(exercise_title(row.exercise))}<br>"
                   f"{_e(mistake_hint(row.exercise, row.mistake))}</li>")
    out.append("</ol></section>")
    return "".join(out)


def _legend() -> str:
    items = "".join(f"<li><span style='background:{bg}'></span>{_e(_(text))}</li>" for _low, bg, _fg, text in HEAT_STEPS)
    intro = _("Each cell: how many participants made the mistake at least once, and the start of the hint they got "
              "(the whole hint on hover). The colour shows the share of the class:")
    return f"<p class='note'>{_e(intro)}</p><ul class='legend'>{items}</ul>"


def _heat_cell(n: int, size: int, label: str, title: str, show_label: bool = True) -> str:
    background, ink = _heat_step(n / size)
    shown = _e(label) if show_label and n else f"<span class='sr-only'>{_e(label)}</span>"
    return (f"<td class='cell{' zero' if n == 0 else ''}' style='background:{background};color:{ink}' "
            f"title='{_e(title)}'><b>{n}</b>{shown}</td>")


def _head_row(cells: Sequence[tuple[str, str]]) -> str:
    """A table's header row from (text, extra attributes) pairs."""
    return "<thead><tr>" + "".join(f"<th{attrs}>{_e(text)}</th>" for text, attrs in cells) + "</tr></thead>"


def _heat_map(logs: ClassLogs, summary: pd.DataFrame) -> str:
    counts = mistake_counts(logs)
    heading = _("Named mistakes, exercise by exercise")
    out = [f"<section id='heatmap'><h2>{_e(heading)}</h2>"]
    tried_ids = [i for i in summary.index if summary.at[i, "tried"] > 0]
    if not tried_ids:
        nobody = _("Nobody has answered a check yet.")
        out.append(f"<p class='note'>{_e(nobody)}</p></section>")
        return "".join(out)
    out.append(_legend())
    size = max(len(logs.participants), 1)
    by_exercise = {key: group for key, group in counts.groupby("exercise", sort=False)}
    widest = max([len(group) for group in by_exercise.values()] + [1])
    other, other_title = _("Other wrong answers"), _("Wrong answers that no named mistake of the check matched.")
    caption = _("Participants who made each named mistake (rows: exercises someone tried, in course order)")
    head = _head_row([(_("Exercise"), " scope='col'"), (_("Tried"), " scope='col' class='n'"),
                      (other, f" scope='col' title='{_e(other_title)}'"),
                      (_("Named mistakes, in the order the check tries them"), f" scope='colgroup' colspan='{widest}'")])
    out.append(f"<table class='heat'><caption>{_e(caption)}</caption>{head}<tbody>")
    topic = None
    for exercise_id in tried_ids:
        if summary.at[exercise_id, "topic"] != topic:
            topic = summary.at[exercise_id, "topic"]
            out.append(f"<tr class='chapter'><th scope='colgroup' colspan='{widest + 3}'>"
                       f"{_e(topic_name(str(topic)))}</th></tr>")
        tds = [_heat_cell(int(summary.at[exercise_id, "other_wrong"]), size, other, other_title, show_label=False)]
        group = by_exercise.get(exercise_id)
        for row in group.itertuples() if group is not None else ():
            tds.append(_heat_cell(row.participants, size, mistake_label(row.exercise, row.mistake),
                                  f"{mistake_hint(row.exercise, row.mistake)} ({row.mistake})"))
        tds.extend("<td></td>" for _pad in range(widest + 1 - len(tds)))
        out.append(f"<tr><th scope='row'>{_exercise_cell(exercise_id)}</th>"
                   f"<td class='n'>{int(summary.at[exercise_id, 'tried'])}</td>{''.join(tds)}</tr>")
    out.append("</tbody></table></section>")
    return "".join(out)


def _exercises(summary: pd.DataFrame, size: int) -> str:
    heads = [_("Exercise"), _("Tried"), _("Solved"), _("Solved at the first try"), _("Asked for the solution"),
             _("Stuck now")]
    heading, caption = _("Exercises"), _("Participants per exercise, out of {n}").format(n=size)
    head = _head_row([(text, " scope='col'" + ("" if i == 0 else " class='n'")) for i, text in enumerate(heads)])
    out = [f"<section id='exercises'><h2>{_e(heading)}</h2>",
           f"<table class='exercises'><caption>{_e(caption)}</caption>{head}<tbody>"]
    topic = None
    for exercise_id, row in summary.iterrows():
        if row["topic"] != topic:
            topic = row["topic"]
            out.append(f"<tr class='chapter'><th scope='colgroup' colspan='{len(heads)}'>"
                       f"{_e(topic_name(str(topic)))}</th></tr>")
        idle = " class='idle'" if row["tried"] == 0 and row["solution_shown"] == 0 else ""
        stuck = f"<span class='stuck'>{row['stuck']}</span>" if row["stuck"] else "0"
        numbers = "".join(f"<td class='n'>{int(row[c])}</td>" for c in
                          ("tried", "solved", "solved_first_try", "solution_shown"))
        out.append(f"<tr{idle}><th scope='row'>{_exercise_cell(str(exercise_id))}</th>{numbers}"
                   f"<td class='n'>{stuck}</td></tr>")
    out.append("</tbody></table></section>")
    return "".join(out)


def _participants(rows: pd.DataFrame, rank: bool, generated: datetime) -> str:
    heads = ([_("Rank")] if rank else []) + [_("Participant"), _("Solved / tried"), _("Solved at the first try"),
                                             _("Solutions asked for"), _("Current exercise"), _("Last activity"),
                                             _("Stuck")]
    order = (_("Ranked by exercises solved (then solved at the first try), as the instructor chose.") if rank
             else _("In name order: no ranking is shown."))
    heading, solved = _("Participants"), _("(solved)")
    out = [f"<section id='participants'><h2>{_e(heading)}</h2>",
           f"<table class='participants'><caption>{_e(order)}</caption>"
           f"{_head_row([(text, ' scope=col') for text in heads])}<tbody>"]
    for place, row in enumerate(rows.itertuples(), start=1):
        flag = ""
        if row.stuck:
            stuck = _("stuck: {n} failed attempts").format(n=row.current_failed)
            flag = f"<span class='stuck'>{_e(stuck)}</span>"
        if row.skipped:
            unreadable = ngettext("{n} unreadable line", "{n} unreadable lines", row.skipped).format(n=row.skipped)
            flag += ("<br>" if flag else "") + f"<span class='note'>{_e(unreadable)}</span>"
        current = _exercise_cell(row.current)
        if row.current is not None and row.current_solved:
            current += f" <span class='note'>{_e(solved)}</span>"
        classes = " class='is-stuck'" if row.stuck else (" class='idle'" if row.tried == 0 else "")
        name = _e(row.name) + (f" <span class='note'>({_e(row.participant)})</span>"
                               if (rows["name"] == row.name).sum() > 1 else "")
        cells = ([f"<td class='n'>{place}</td>"] if rank else []) + [
            f"<th scope='row' class='name'>{name}</th>", f"<td class='n'>{row.solved} / {row.tried}</td>",
            f"<td class='n'>{row.solved_first_try}</td>", f"<td class='n'>{row.solutions}</td>",
            f"<td>{current}</td>", f"<td class='when'>{_e(_time_text(row.last_activity, generated))}</td>",
            f"<td>{flag}</td>"]
        out.append(f"<tr{classes}>{''.join(cells)}</tr>")
    if rows.empty:
        nobody = _("No participant yet.")
        out.append(f"<tr><td colspan='{len(heads)}'>{_e(nobody)}</td></tr>")
    rule = _("Stuck: at least {n} failed attempts on the current exercise, not solved yet.").format(n=STUCK_AFTER)
    out.append(f"</tbody></table><p class='note'>{_e(rule)}</p></section>")
    return "".join(out)


# --- sandbox leaderboard (issue 12) --------------------------------------------------------------

def sandbox_games(logs: ClassLogs) -> list[tuple[str, Any]]:
    """(participant key, game) of every micro-sandbox game in the class's homes (``<home>/**/.cvm/sandbox/<team>``).

    Only the stored results are read (no simulation, no data set loaded); a broken game folder is skipped.
    """
    from cvmlib.sandbox.game import find_games  # the sandbox (scipy) only when a report is made

    source = logs.source
    if not source.is_dir():
        return []
    found = []
    for game in find_games(source):
        try:
            key = game.path.relative_to(source).parts[0]
        except (ValueError, IndexError):
            key = source.name
        found.append((source.name if key == LOG_FOLDER else key, game))
    return found


def _sandbox_board(logs: ClassLogs, rank: bool) -> str:
    """The micro-sandbox leaderboard: cumulative incremental profit per team (ranked only when asked)."""
    games = sandbox_games(logs)
    if not games:
        return ""
    from cvmlib.i18n import format_money
    from cvmlib.sandbox.results import leaderboard

    names = {p.key: p.name for p in logs.participants}
    board = leaderboard([game for _key, game in games], rank=rank)
    where = {game.team: names.get(key, key) for key, game in games}
    heads = ([_("Rank")] if rank else []) + [_("Team"), _("Played by"), _("Rounds"), _("Cost"),
                                             _("Incremental profit"), _("95% interval"), _("ROI"), _("CLV change")]
    order = (_("Ranked by cumulative incremental profit against the holdout, as the instructor chose.") if rank
             else _("In team order: no ranking is shown."))
    heading = _("Micro-sandbox leaderboard")
    out = [f"<section id='sandbox'><h2>{_e(heading)}</h2>",
           f"<table class='participants'><caption>{_e(order)}</caption>"
           f"{_head_row([(text, ' scope=col') for text in heads])}<tbody>"]
    for team, row in board.iterrows():
        interval = "{low} .. {high}".format(low=format_money(row["ci_low"]), high=format_money(row["ci_high"]))
        cells = ([f"<td class='n'>{int(row['rank'])}</td>"] if rank else []) + [
            f"<th scope='row' class='name'>{_e(team)}</th>", f"<td>{_e(where.get(str(team), ''))}</td>",
            f"<td class='n'>{int(row['rounds'])}</td>", f"<td class='n'>{_e(format_money(row['cost']))}</td>",
            f"<td class='n'>{_e(format_money(row['incremental_profit']))}</td>", f"<td class='n'>{_e(interval)}</td>",
            f"<td class='n'>{row['roi']:.2f}</td>", f"<td class='n'>{_e(format_money(row['clv_change']))}</td>"]
        out.append(f"<tr>{''.join(cells)}</tr>")
    rule = _("Incremental profit: the treated customers' profit minus the holdout's, per customer, adjusted for "
             "each customer's profit in the previous quarter (CUPED), times the treated, summed over the rounds "
             "played; ROI = incremental profit / cost.")
    out.append(f"</tbody></table><p class='note'>{_e(rule)}</p></section>")
    return "".join(out)


def _now(generated: datetime | None) -> datetime:
    """The report's time, in its own time zone if it has one, else in this machine's."""
    if generated is None:
        return datetime.now(timezone.utc).astimezone()
    return generated if generated.tzinfo is not None else generated.astimezone()


def render_fragment(logs: ClassLogs, *, lang: str | None = None, rank: bool = False,
                    generated: datetime | None = None) -> str:
    """The report's content (what the live page re-fetches), in ``lang`` (default: the language in force).

    Parameters
    ----------
    logs : ClassLogs
        The class (:func:`load_class`).
    lang : {"en", "zh"} or None
        The language of every word; numbers and ids are the same in both.
    rank : bool
        Show the participants ranked by exercises solved (default: name order, no ranking).
    generated : datetime, optional
        The time the report says it was made (default: now); times are shown in its time zone.
    """
    with language(lang or get_language()):
        moment = _now(generated)
        summary = class_summary(logs)
        rows = participant_rows(logs, rank=rank)
        parts = [_header(logs, rows, moment), _reteach(logs), _heat_map(logs, summary),
                 _exercises(summary, len(logs.participants)), _participants(rows, rank, moment),
                 _sandbox_board(logs, rank)]
        return f"<div class='cvm-class-report' data-cvm-fragment='1'>{''.join(parts)}</div>"


def _toolbar(lang: str, rank: bool) -> str:
    def query(**changes: object) -> str:
        values = {"lang": lang, "rank": "1" if rank else "0"} | {k: str(v) for k, v in changes.items()}
        return "?" + "&amp;".join(f"{k}={_e(v)}" for k, v in values.items())

    # each language is named in itself, as language switches do
    languages = " · ".join(
        f"<a href='{query(lang=code)}'{' aria-current=page' if code == lang else ''} "
        f"lang='{'zh-CN' if code == 'zh' else 'en'}'>{name}</a>" for code, name in (("en", "English"), ("zh", "中文")))
    toggle = _("Show in name order (no ranking)") if rank else _("Rank by exercises solved")
    settings, download = _("Report settings"), _("Download this report (HTML)")
    every = _("Refreshes every {n} seconds.").format(n=REFRESH_SECONDS)
    stale = _("The report server does not answer: the figures are not live.")
    return (f"<nav class='live' aria-label='{_e(settings)}'><span>{languages}</span>"
            f"<a href='{query(rank='0' if rank else '1')}'>{_e(toggle)}</a>"
            f"<a href='{EXPORT_PATH}{query()}' download='class-report-{lang}.html'>{_e(download)}</a>"
            f"<span class='note'>{_e(every)}</span><span class='stale-note' role='status'>{_e(stale)}</span></nav>")


def render_html(logs: ClassLogs, *, lang: str | None = None, rank: bool = False, live: bool = False,
                generated: datetime | None = None, embed_font: bool = True) -> str:
    """The class report as one self-contained HTML page (inline CSS, no request to any host).

    Parameters
    ----------
    logs : ClassLogs
        The class (:func:`load_class`).
    lang : {"en", "zh"} or None
        The language of every word (default: the language in force).
    rank : bool
        Rank the participants by exercises solved (default: name order, no ranking).
    live : bool
        The live page of :mod:`cvmlib.classroom.service`: adds the settings bar (language, ranking,
        download) and a few lines of script that re-fetch the content every :data:`REFRESH_SECONDS`
        from ``fragment`` beside the page (a 30-second page refresh without script).
    generated : datetime, optional
        The time the report says it was made (default: now).
    embed_font : bool
        Embed the glyphs of the Chinese characters used (from Noto Sans CJK SC), so the page reads and
        prints the same on a machine without a Chinese font.

    Returns
    -------
    str
        The HTML document.
    """
    code = lang or get_language()
    with language(code):
        body = render_fragment(logs, lang=code, rank=rank, generated=generated)
        title = _("Class report")
        toolbar = _toolbar(code, rank) if live else ""
    characters = "".join(sorted(set(_CJK.findall(body + toolbar + title))))
    font = _font_face(characters) if embed_font else ""
    head = [f"<meta charset='utf-8'><meta name='viewport' content='width=device-width, initial-scale=1'>",
            f"<title>{_e(title)}</title>", f"<style>{font}{CSS}</style>"]
    script = ""
    if live:
        head.append("<noscript><meta http-equiv='refresh' content='30'></noscript>")
        script = f"<script>{LIVE_SCRIPT % {'fragment': FRAGMENT_PATH, 'ms': REFRESH_SECONDS * 1000}}</script>"
    return (f"<!DOCTYPE html><html lang='{'zh-CN' if code == 'zh' else 'en'}'><head>{''.join(head)}</head>"
            f"<body>{toolbar}<main id='cvm-report'>{body}</main>{script}</body></html>")


def write_report(path: str | os.PathLike[str], out: str | os.PathLike[str], *, lang: str | None = None,
                 rank: bool = False) -> Path:
    """Read the class at ``path`` and write its HTML report to ``out`` (folders made as needed).

    Raises
    ------
    ReportInputError
        For a folder that cannot be read as a class (see :func:`load_class`) or an ``out`` that is a folder.
    """
    target = _target(out)
    _write(render_html(load_class(path), lang=lang, rank=rank), target)
    return target


def _target(out: str | os.PathLike[str]) -> Path:
    target = Path(out).expanduser()
    if target.is_dir():
        raise ReportInputError(_("--out must name a file, but {path} is a folder.").format(path=target))
    return target


def _write(page: str, target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    except OSError as error:
        raise ReportInputError(_("The report cannot be written to {path} ({error}).").format(
            path=target, error=error)) from None


# ----------------------------------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------------------------------


def summary_text(logs: ClassLogs, rank: bool = False) -> str:
    """The report's essentials as plain text (what the command prints without ``--out``)."""
    rows = participant_rows(logs, rank=rank)
    lines = [_("Class report: {n} participants, {active} have answered a check; {files} log files read.").format(
        n=len(logs.participants), active=int((rows["tried"] > 0).sum()), files=logs.files)]
    if logs.skipped:
        lines.append(ngettext("{n} unreadable line was skipped.", "{n} unreadable lines were skipped.",
                              logs.skipped).format(n=logs.skipped))
    top = top_mistakes(logs)
    if not top.empty:
        lines.append(_("Re-teach first:"))
        for place, row in enumerate(top.itertuples(), start=1):
            who = ngettext("{n} participant", "{n} participants", row.participants).format(n=row.participants)
            lines.append(f"  {place:>2}. {who:<16} {row.exercise:<36} {mistake_label(row.exercise, row.mistake)}")
    stuck = rows.loc[rows["stuck"].astype(bool)]
    if len(stuck):
        lines.append(_("Stuck now:"))
        lines.extend("  " + _("{name} ({exercise}, {n} failed attempts)").format(
            name=row.name, exercise=row.current, n=row.current_failed) for row in stuck.itertuples())
    return "\n".join(lines)


def port_argument(text: str) -> int:
    """A port number from the command line (0: any free port), for ``argparse`` (``type=port_argument``).

    Examples
    --------
    >>> port_argument("8100")
    8100
    >>> port_argument("http")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    argparse.ArgumentTypeError: a port is a whole number from 0 to 65535 (0: any free port), got 'http'
    """
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(_("a port is a whole number from 0 to 65535 (0: any free port), got {value!r}").format(value=text))
    return port


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m cvmlib.classroom.report`` (texts in the language in force)."""
    cli = argparse.ArgumentParser(prog="python -m cvmlib.classroom.report",
                                  description=_("The instructor's class report, from the participants' progress logs."))
    cli.add_argument("--logs", required=True, type=Path,
                     help=_("the classroom's homes folder (room/homes) or a folder of collected logs"))
    cli.add_argument("--out", type=Path, help=_("write the report to this HTML file (else print a summary)"))
    cli.add_argument("--lang", choices=["en", "zh"], help=_("language of the report (default: CVM_LANG, else English)"))
    cli.add_argument("--rank", action="store_true", help=_("rank participants by exercises solved (default: name order)"))
    cli.add_argument("--serve", action="store_true", help=_("serve the live report instead (see cvmlib.classroom.service)"))
    # no defaults here: the service takes its own (127.0.0.1:8100), or the hub's address when the hub runs it
    cli.add_argument("--ip", help=_("address of the live report (default: 127.0.0.1, this machine only)"))
    cli.add_argument("--port", type=port_argument, help=_("port of the live report (default: 8100)"))
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input, with a message and no traceback)."""
    args = list(sys.argv[1:] if argv is None else argv)
    # the language of the messages too: an explicit --lang, read before the rest is parsed
    chosen = next((args[i + 1] for i, a in enumerate(args[:-1]) if a == "--lang"), None)
    with language(chosen if chosen in ("en", "zh") else get_language()):
        options = parser().parse_args(args)
        if options.serve:
            from cvmlib.classroom.service import serve

            return serve(options.logs, ip=options.ip, port=options.port, lang=options.lang, rank=options.rank)
        try:
            if options.out is not None:
                target = _target(options.out)  # before any work
                logs = load_class(options.logs)
                _write(render_html(logs, lang=options.lang, rank=options.rank), target)
                print(_("Class report of {n} participants written to {path}.").format(n=len(logs.participants),
                                                                                   path=target))
            else:
                print(summary_text(load_class(options.logs), rank=options.rank))
        except ReportInputError as error:
            print(_("Class report: {error}").format(error=error), file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
