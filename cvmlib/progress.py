"""The participant's progress: an append-only log of checks and solutions shown, and its table.

Every :func:`cvmlib.exercises.check` and every worked solution shown appends one JSON line to
``<dir>/progress.jsonl``, where ``<dir>`` is ``$CVM_PROGRESS_DIR`` if set, else ``.cvm/`` in the
current working directory (the workbook's folder in JupyterLab). ``CVM_PROGRESS=off`` turns the
log off (the book build and the tests do); counts are then kept for the running kernel only.
A record holds no personal data beyond the optional display name (:func:`set_display_name`)::

    {"v": 1, "time": "2026-01-05T09:12:03Z", "event": "check", "exercise": "rfm.recency",
     "status": "hint", "mistake": "snapshot_forgotten", "attempt": 2, "tier": 2,
     "workbook": "rfm.ipynb", "name": null}

The log survives kernel restarts (the attempt count, and so the tier of help, continues where it
stopped) and is written with one ``write`` per record in append mode, so two kernels sharing a
folder do not mix their lines. Classroom tools read it with :func:`read_log` and summarise it with
:func:`progress_table`; a corrupt line is skipped and counted, never fatal. An unwritable folder
gives one warning and the course keeps working.

Examples
--------
>>> import os, tempfile
>>> from unittest import mock
>>> elsewhere = mock.patch.dict(os.environ, {"CVM_PROGRESS_DIR": tempfile.mkdtemp()})  # not in the course
>>> _ = elsewhere.start()
>>> _ = record("check", "rfm.recency", status="hint", mistake="snapshot_forgotten", attempt=1, tier=1)
>>> _ = record("check", "rfm.recency", status="correct", attempt=2)
>>> history("rfm.recency")
History(answered=2, failed=1, solved=True)
>>> progress_table(read_log(log_path())).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
{'exercise': 'rfm.recency', 'attempts': 2, 'solved': True, 'solved_first_try': False,
 'solution_shown': False, 'mistakes': ('snapshot_forgotten',)}
>>> _ = elsewhere.stop()
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from cvmlib.i18n import N_, _

__all__ = [
    "LOG_FOLDER",
    "LOG_NAME",
    "SCHEMA_VERSION",
    "History",
    "LogRecords",
    "ProgressReport",
    "ProgressWarning",
    "clock",
    "display_name",
    "history",
    "log_dir",
    "log_path",
    "progress",
    "progress_table",
    "read_log",
    "record",
    "reset_session",
    "set_display_name",
    "workbook_name",
]

SCHEMA_VERSION = 1
LOG_NAME = "progress.jsonl"
#: The folder of the log beside the workbooks (when ``$CVM_PROGRESS_DIR`` is not set).
LOG_FOLDER = ".cvm"
#: The display name lives beside the log, so it survives kernel restarts too.
SETTINGS_NAME = "settings.json"
#: Statuses of a check that count as an answered attempt ("not_answered" does not).
ANSWERED = ("correct", "hint")
#: A display name longer than this is cut: it is a label, not a place for notes.
MAX_NAME_LENGTH = 80
TABLE_COLUMNS = ["exercise", "attempts", "solved", "solved_first_try", "solution_shown", "mistakes"]


class ProgressWarning(UserWarning):
    """The progress log could not be written or read; the course keeps working without it."""


class History(NamedTuple):
    """What the log says about one exercise so far."""

    answered: int
    failed: int
    solved: bool


# ----------------------------------------------------------------------------------------------
# Where the log lives
# ----------------------------------------------------------------------------------------------


def log_dir() -> Path | None:
    """The folder of the log: ``$CVM_PROGRESS_DIR``, else ``.cvm/`` here; None when ``CVM_PROGRESS=off``."""
    if os.environ.get("CVM_PROGRESS", "").strip().lower() in {"off", "0", "false", "no"}:
        return None
    configured = os.environ.get("CVM_PROGRESS_DIR", "").strip()
    return Path(configured).expanduser() if configured else Path.cwd() / LOG_FOLDER


def log_path() -> Path | None:
    """The log file, or None when the log is off."""
    folder = log_dir()
    return None if folder is None else folder / LOG_NAME


def workbook_name() -> str | None:
    """The file name of the running notebook (from ``JPY_SESSION_NAME``, set by the Jupyter server)."""
    session = os.environ.get("JPY_SESSION_NAME", "").strip()
    return Path(session).name or None if session else None


# ----------------------------------------------------------------------------------------------
# Display name
# ----------------------------------------------------------------------------------------------

_session_name: dict[str, str | None] = {}
_warned: set[str] = set()


def _warn_once(key: str, message: str) -> None:
    if key not in _warned:
        _warned.add(key)
        warnings.warn(message, ProgressWarning, stacklevel=3)


def _clean_name(name: object) -> str | None:
    text = " ".join(str(name).split())[:MAX_NAME_LENGTH] if name is not None else ""
    return text or None


def display_name() -> str | None:
    """The display name recorded with each event, or None."""
    folder = log_dir()
    key = str(folder)
    if key in _session_name:
        return _session_name[key]
    name = None
    if folder is not None:
        try:
            settings = json.loads((folder / SETTINGS_NAME).read_text(encoding="utf-8"))
            name = _clean_name(settings.get("name")) if isinstance(settings, dict) else None
        except (OSError, ValueError):
            name = None
    _session_name[key] = name
    return name


def set_display_name(name: str | None) -> None:
    """Record ``name`` with every later event (e.g. for a classroom report); None removes it.

    The name is the only personal information the log holds; it is stored beside the log
    (``settings.json``) so it survives kernel restarts. Whitespace is collapsed and the name cut
    to :data:`MAX_NAME_LENGTH` characters.
    """
    cleaned = _clean_name(name)
    folder = log_dir()
    _session_name[str(folder)] = cleaned
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / SETTINGS_NAME).write_text(json.dumps({"name": cleaned}) + "\n", encoding="utf-8")
    except OSError as error:
        _warn_once(f"settings:{folder}", _("Could not save the display name in {folder} ({error}); "
                                           "it is used until the kernel restarts.").format(folder=folder, error=error))


# ----------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------


#: Where the time of a record comes from: None is the system clock (see :func:`clock`).
_clock: Callable[[], datetime] | None = None


@contextlib.contextmanager
def clock(now: Callable[[], datetime]) -> Iterator[None]:
    """Inside the ``with`` block, records carry the time ``now()`` returns instead of the system clock's.

    For replays and simulated classes (:mod:`cvmlib.classroom.simulate` replays a training day through
    the real checks, which call :func:`record` themselves). The log format does not change: the time
    is written in UTC, to the second. A naive datetime is taken as local time.

    Examples
    --------
    >>> import os, tempfile
    >>> from unittest import mock
    >>> elsewhere = mock.patch.dict(os.environ, {"CVM_PROGRESS_DIR": tempfile.mkdtemp()})  # not in the course
    >>> _ = elsewhere.start()
    >>> nine = datetime(2026, 3, 2, 9, 0, 5, tzinfo=timezone.utc)
    >>> with clock(lambda: nine):
    ...     record("check", "rfm.recency", status="hint", attempt=1, tier=1)["time"]
    '2026-03-02T09:00:05Z'
    >>> record("check", "rfm.recency", status="correct", attempt=2)["time"] != "2026-03-02T09:00:05Z"  # the system clock again
    True
    >>> _ = elsewhere.stop()
    """
    global _clock
    before = _clock
    _clock = now
    try:
        yield
    finally:
        _clock = before


def _now() -> str:
    moment = datetime.now(timezone.utc) if _clock is None else _clock().astimezone(timezone.utc)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _append(path: Path, line: bytes) -> bool:
    """Append one line with a single ``write`` (O_APPEND), starting a new line after a torn one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            # a line left without its newline (a crash mid-write) must not swallow this record
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line
            os.write(fd, line)
        finally:
            os.close(fd)
    except OSError as error:
        _warn_once(f"log:{path}", _("Your progress cannot be saved in {folder} ({error}). The checks keep "
                                    "working; attempts are counted until the kernel restarts. Set CVM_PROGRESS_DIR "
                                    "to a writable folder to keep them.").format(folder=path.parent, error=error))
        return False
    return True


def record(event: str, exercise: str, *, status: str | None = None, mistake: str | None = None,
           attempt: int = 0, tier: int = 0) -> dict[str, Any]:
    """Append one event to the log (or keep it in memory when the log is off or unwritable).

    Parameters
    ----------
    event : {"check", "solution"}
        What happened.
    exercise : str
        The dotted exercise id.
    status : {"correct", "hint", "not_answered"} or None
        The result of a check (None for a solution shown).
    mistake : str or None
        The id of the named mistake the answer matched.
    attempt, tier : int
        The answered attempt number and the tier of help given.

    Returns
    -------
    dict
        The record, as written.
    """
    entry: dict[str, Any] = {
        "v": SCHEMA_VERSION, "time": _now(), "event": event, "exercise": exercise, "status": status,
        "mistake": mistake, "attempt": int(attempt), "tier": int(tier), "workbook": workbook_name(),
        "name": display_name(),
    }
    path = log_path()
    tracker = _tracker(path)
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    if path is None or not _append(path, line):
        tracker.memory.append(entry)
    return entry


# ----------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------


class LogRecords(list[dict[str, Any]]):
    """The records of a log, in order; ``skipped`` counts the lines that could not be read."""

    skipped: int = 0


def _parse(line: bytes) -> dict[str, Any] | None:
    """One record, or None for a line that is not a record (corrupt, torn, or of another shape)."""
    try:
        entry = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(entry, dict):
        return None
    if not isinstance(entry.get("event"), str) or not isinstance(entry.get("exercise"), str):
        return None
    attempt = entry.get("attempt", 0)
    if not isinstance(attempt, int) or isinstance(attempt, bool):
        return None
    return entry


def read_log(path: str | os.PathLike[str]) -> LogRecords:
    """Read a progress log; a missing file is an empty log, a corrupt line is skipped and counted.

    Examples
    --------
    >>> import tempfile
    >>> log = Path(tempfile.mkdtemp()) / "progress.jsonl"
    >>> _ = log.write_text('{"v": 1, "event": "check", "exercise": "rfm.recency", "status": "correct", '
    ...                    '"attempt": 1}\\n{"v": 1, "event": "ch')
    >>> records = read_log(log)
    >>> len(records), records.skipped
    (1, 1)
    """
    records = LogRecords()
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return records
    except OSError as error:
        _warn_once(f"read:{path}", _("Could not read the progress log {path} ({error}).").format(path=path, error=error))
        return records
    for line in data.splitlines():
        if not line.strip():
            continue
        entry = _parse(line)
        if entry is None:
            records.skipped += 1
        else:
            records.append(entry)
    return records


@dataclass
class _Tracker:
    """Per-exercise counts of one log, read incrementally so a check does not re-read the whole file."""

    path: Path | None
    offset: int = 0
    identity: tuple[int, int] | None = None
    counts: dict[str, list[int]] = field(default_factory=dict)
    memory: list[dict[str, Any]] = field(default_factory=list)

    def add(self, entry: dict[str, Any]) -> None:
        if entry.get("event") != "check" or entry.get("status") not in ANSWERED:
            return
        answered, failed, solved = self.counts.setdefault(entry["exercise"], [0, 0, 0])
        self.counts[entry["exercise"]] = [answered + 1, failed + (entry["status"] == "hint"),
                                          solved or entry["status"] == "correct"]

    def refresh(self) -> None:
        if self.path is None:
            return
        try:
            stat = self.path.stat()
        except OSError:
            return
        identity = (stat.st_dev, stat.st_ino)
        if identity != self.identity or stat.st_size < self.offset:
            # another file took its place (or it was truncated): count from the start again
            self.identity, self.offset = identity, 0
            self.counts = {}
        if stat.st_size == self.offset:
            return
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self.offset)
                chunk = handle.read()
        except OSError:
            return
        # only complete lines; a line being written now is read at the next refresh
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self.offset += len(complete)
        for line in complete.splitlines():
            entry = _parse(line) if line.strip() else None
            if entry is not None:
                self.add(entry)

    def history(self, exercise: str) -> History:
        """Counts from the file plus the records this kernel could not write."""
        self.refresh()
        answered, failed, solved = self.counts.get(exercise, [0, 0, 0])
        for entry in self.memory:
            if entry["exercise"] == exercise and entry["event"] == "check" and entry["status"] in ANSWERED:
                answered, failed = answered + 1, failed + (entry["status"] == "hint")
                solved = solved or entry["status"] == "correct"
        return History(answered, failed, bool(solved))


_trackers: dict[str, _Tracker] = {}


def _tracker(path: Path | None) -> _Tracker:
    key = str(path.resolve()) if path is not None else ""
    if key not in _trackers:
        _trackers[key] = _Tracker(path)
    return _trackers[key]


def reset_session() -> None:
    """Forget what this kernel holds in memory (counts not written, the cached display name).

    A kernel restart does the same; the log itself is untouched.
    """
    _trackers.clear()
    _session_name.clear()


def history(exercise: str) -> History:
    """Answered attempts, failed attempts and whether the exercise was solved, from the log.

    Checks recorded in this kernel but not written (log off or unwritable) count too.
    """
    return _tracker(log_path()).history(exercise)


# ----------------------------------------------------------------------------------------------
# The table
# ----------------------------------------------------------------------------------------------


def progress_table(records: Iterable[dict[str, Any]], exercises: Sequence[str] = ()) -> pd.DataFrame:
    """One row per exercise: attempts, solved, solved first try, solution shown, named mistakes made.

    Parameters
    ----------
    records : iterable of dict
        Log records of one participant (:func:`read_log`).
    exercises : sequence of str
        Exercises to list even when not tried yet (first, in this order); the others follow in
        the order they first appear in the records.

    Returns
    -------
    pandas.DataFrame
        Columns ``exercise, attempts, solved, solved_first_try, solution_shown, mistakes``
        (``mistakes``: a tuple of mistake ids, first made first).

    Examples
    --------
    >>> rows = [{"event": "check", "exercise": "a.x", "status": "correct", "attempt": 1},
    ...         {"event": "check", "exercise": "a.y", "status": "hint", "mistake": "m", "attempt": 1},
    ...         {"event": "solution", "exercise": "a.y", "status": None, "attempt": 1}]
    >>> progress_table(rows, exercises=["a.z"])[["exercise", "attempts", "solved_first_try", "solution_shown"]]
      exercise  attempts  solved_first_try  solution_shown
    0      a.z         0             False           False
    1      a.x         1              True           False
    2      a.y         1             False            True
    """
    rows: dict[str, dict[str, Any]] = {}

    def row(exercise: str) -> dict[str, Any]:
        if exercise not in rows:
            rows[exercise] = {"exercise": exercise, "attempts": 0, "solved": False, "solved_first_try": False,
                              "solution_shown": False, "mistakes": ()}
        return rows[exercise]

    for listed in exercises:
        row(listed)
    for entry in records:
        exercise = entry.get("exercise")
        if not isinstance(exercise, str):
            continue
        current = row(exercise)
        if entry.get("event") == "solution":
            current["solution_shown"] = True
            continue
        if entry.get("event") != "check" or entry.get("status") not in ANSWERED:
            continue
        current["attempts"] += 1
        if entry["status"] == "correct":
            current["solved_first_try"] = current["solved_first_try"] or (
                current["attempts"] == 1 and not current["solved"])
            current["solved"] = True
        mistake = entry.get("mistake")
        if isinstance(mistake, str) and mistake not in current["mistakes"]:
            current["mistakes"] = (*current["mistakes"], mistake)
    table = pd.DataFrame(list(rows.values()), columns=TABLE_COLUMNS)
    return table.astype({"attempts": int, "solved": bool, "solved_first_try": bool, "solution_shown": bool})


def _width(text: str) -> int:
    """Columns ``text`` takes in a monospaced terminal (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _ljust(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


@dataclass(frozen=True)
class ProgressReport:
    """The participant's progress table; shows as an HTML table in Jupyter and as text elsewhere.

    Its words (headers, summary, notes) are in the language in force when it is shown; the table's
    data (exercise ids, mistake ids, counts) are the same in every language.
    """

    table: pd.DataFrame
    name: str | None = None
    path: Path | None = None
    skipped: int = 0

    def _summary(self) -> str:
        tried = int((self.table["attempts"] > 0).sum())
        solved = int(self.table["solved"].sum())
        first = int(self.table["solved_first_try"].sum())
        counts = {"solved": solved, "total": len(self.table), "first": first, "tried": tried}
        if self.name:
            return _("Progress of {name}: {solved} of {total} exercises solved ({first} at the first try), "
                     "{tried} tried.").format(name=self.name, **counts)
        return _("Your progress: {solved} of {total} exercises solved ({first} at the first try), "
                 "{tried} tried.").format(**counts)

    def _notes(self) -> list[str]:
        notes = []
        if self.path is None:
            notes.append(_("Progress is not being saved (CVM_PROGRESS=off): this table covers this kernel only."))
        else:
            notes.append(_("Saved in {path}.").format(path=self.path))
        if self.skipped:
            notes.append(_("{n} unreadable line(s) of the log were skipped.").format(n=self.skipped))
        return notes

    #: Columns of the three yes/no flags in :meth:`_rows`.
    _FLAGS = (2, 3, 4)

    def _rows(self, yes: str | None = None) -> list[list[str]]:
        mark = _("yes") if yes is None else yes

        return [[str(r.exercise), str(r.attempts), *(mark if flag else "" for flag in
                                                     (r.solved, r.solved_first_try, r.solution_shown)),
                 ", ".join(r.mistakes)] for r in self.table.itertuples(index=False)]

    HEADER = (N_("Exercise"), N_("Attempts"), N_("Solved"), N_("First try"), N_("Solution shown"),
              N_("Known mistakes made"))

    def header(self) -> list[str]:
        """The column headers as shown (translated)."""
        return [_(title) for title in self.HEADER]

    def __str__(self) -> str:
        rows = [self.header(), *self._rows()]
        widths = [max(_width(row[i]) for row in rows) for i in range(len(self.HEADER))]
        lines = ["  ".join(_ljust(cell, width) for cell, width in zip(row, widths)).rstrip() for row in rows]
        return "\n".join([self._summary(), "", *lines, "", *self._notes()])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in self.header())
        tick = "\u2714"
        body = "".join(
            "<tr>" + "".join(f"<td>{'&#10004;' if i in self._FLAGS and cell == tick else html.escape(cell)}</td>"
                             for i, cell in enumerate(row)) + "</tr>"
            for row in self._rows(yes=tick)
        )
        notes = "".join(f"<div style='color:#555'>{html.escape(note)}</div>" for note in self._notes())
        if self.name:
            caption = _("Progress of {name}, exercise by exercise").format(name=self.name)
        else:
            caption = _("Your progress, exercise by exercise")
        return (f"<div class='cvm-progress'><strong>{html.escape(self._summary())}</strong>"
                f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>{notes}</div>")


def progress(exercises: Sequence[str] = ()) -> ProgressReport:
    """The participant's own progress: the log of this folder plus what this kernel could not save.

    Parameters
    ----------
    exercises : sequence of str
        Exercises to list even when not tried yet (e.g. all exercises of the workbook).
    """
    path = log_path()
    records = read_log(path) if path is not None else LogRecords()
    tracker = _tracker(path)
    combined = [*records, *tracker.memory]
    return ProgressReport(progress_table(combined, exercises), name=display_name(), path=path,
                          skipped=records.skipped)
