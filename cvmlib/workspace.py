"""Participant workspaces: bring a new course version into a learner's copy without losing their work.

``make workbooks`` derives the participant workbooks (:mod:`cvmlib.workbooks`); this module brings
each one into the learner's workspace, ``workspace/<lang>/NAME.ipynb`` (git-ignored, outside
``_build/`` so ``make clean`` never touches it, opened by ``make lab``). Updating is a three-way
merge of cells, matched by their nbformat cell id:

* *base*: the participant version the copy was last updated to, ``workspace/.cvm/base/<lang>/NAME.ipynb``;
* *local*: the learner's copy;
* *remote*: the new participant version.

The rule is nbgitpuller's: the learner's changes win and nothing of theirs is dropped. Per cell:

======================  =====================  ===============================================
course (base->remote)   learner (base->local)  the learner's copy after the update
======================  =====================  ===============================================
unchanged               unchanged              as it was (outputs kept)
changed                 unchanged              the new course version
unchanged or the same   edited                 the learner's version (an answer, an edit)
changed                 edited differently     the learner's version, then a note and the new
                                               course version (a *conflict*, as nbdime's
                                               ``inline-cells`` marks it with a marker cell)
removed                 unchanged              removed
removed                 edited                 kept, after a note saying the course dropped it
unchanged               deleted                stays deleted
changed                 deleted                the new course version, after a note
added                   --                     inserted where the course puts it
--                      added                  kept, right after the cell it followed
======================  =====================  ===============================================

Course cells follow the course order; a cell the learner added stays after the cell it followed.
When the course has not changed since the last update the copy is not touched at all. Without a
base (a copy made before workspaces existed, or a lost ``.cvm/`` folder) the merge is two-way:
every cell of the learner is kept, course cells their copy lacks are added, an exercise cell keeps
the learner's answer, and any other cell that differs from the course gets the course version after
it with a note. A file without cell ids is matched to the course by content (:mod:`difflib`).

Before a copy changes, the previous file is copied to ``workspace/.cvm/backup/<UTC time>/<lang>/``;
the new file replaces the old one atomically. A copy that is not a readable notebook, or is
read-only, is left untouched with a one-line message, and the other workbooks are still updated.
Edited copies found in the old place (``_build/workbooks/participant/``: ``NAME.ipynb``,
``NAME.updated.ipynb``) are backed up and brought into the workspace once, never deleted.

Each language has its own workspace folder (``workspace/en/``, ``workspace/zh/``) and its own record
of the versions merged (``.cvm/base/<lang>/``): the Chinese copies are merged with the Chinese course
versions only. The notes put into a copy and the lines reported for it are in the workspace's
language (:func:`update_workspace` works in it).

Examples
--------
>>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
>>> def course(prompt):
...     return new_notebook(cells=[new_markdown_cell(prompt, id="prompt"),
...         new_code_cell("x = ...  # YOUR CODE HERE", id="answer", metadata={"tags": ["exercise"]})])
>>> mine = course("Compute x.")
>>> mine.cells[1].source = "x = 42"
>>> merged = merge_notebooks(course("Compute x."), mine, course("Compute x, a whole number."))
>>> [cell.source for cell in merged.notebook.cells]
['Compute x, a whole number.', 'x = 42']
>>> merged.course_cells, merged.kept_cells, merged.conflicts
(1, 1, 0)
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import os
import re
import shutil
import stat
import warnings
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell

from cvmlib.i18n import N_, _, language, ngettext

LANGUAGES = ("en", "zh")
EXERCISE_TAG = "exercise"
STATE_DIR = ".cvm"
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
NOTE_HEADING = N_("Course update")
# a note this module inserted carries metadata.cvm.note; it is the learner's to delete
_NOTES = {
    "conflict": N_("the course changed the cell above, which you had edited too. Your version is kept "
                   "above; the new course version is below. Keep what you need, then delete the other "
                   "cell and this note."),
    "unknown": N_("the cell above differs from the course, and there is no record of the version you "
                  "started from, so it is not known who changed it. Your version is kept above; the course "
                  "version is below. Keep what you need, then delete the other cell and this note."),
    "removed": N_("the course no longer has the cell below. You had edited it, so it is kept; delete it "
                  "and this note when you no longer need it."),
    "deleted": N_("you had deleted the cell below; the course has changed it since, so here is its new "
                  "version. Delete it and this note if you do not need it."),
}
_LEGACY_NAME = re.compile(r"^(?P<stem>.+?)(?:\.updated|\.edited-[0-9TZ-]+)?\.ipynb$")

Status = Literal["new", "up to date", "updated", "kept", "failed"]


@dataclass(frozen=True)
class MergeResult:
    """A merged notebook and what the merge did.

    Attributes
    ----------
    notebook : NotebookNode
        The learner's new copy.
    course_cells : int
        Course cells added, changed or removed in the copy.
    kept_cells : int
        The learner's own cells kept: answers, edited course cells, added cells.
    conflicts : int
        Places marked with a "Course update" note for the learner to look at.
    """

    notebook: NotebookNode
    course_cells: int
    kept_cells: int
    conflicts: int


@dataclass(frozen=True)
class WorkbookUpdate:
    """What updating one workbook of the workspace did; :meth:`summary` is the line shown to the learner.

    Attributes
    ----------
    name : str
        The workbook's file name, e.g. ``rfm.ipynb``.
    status : {"new", "up to date", "updated", "kept", "failed"}
        ``kept``: an old copy with no course workbook of that name, copied into the workspace as it is.
    path : Path
        The learner's copy.
    course_cells, kept_cells, conflicts : int
        As in :class:`MergeResult` (zero unless ``status == "updated"``).
    backup : Path or None
        Where the previous file was copied before it changed.
    notes : tuple of str
        Further sentences for the learner (old copies brought in, a missing base).
    """

    name: str
    status: Status
    path: Path
    course_cells: int = 0
    kept_cells: int = 0
    conflicts: int = 0
    backup: Path | None = None
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the workbook is up to date now."""
        return self.status != "failed"

    def summary(self) -> str:
        """One line for the learner.

        Examples
        --------
        >>> WorkbookUpdate("rfm.ipynb", "updated", Path("workspace/en/rfm.ipynb"), 3, 5, 1).summary()
        'rfm.ipynb: updated: 3 course cells, kept 5 of your cells, 1 conflict (look for "Course update")'
        """
        if self.status == "updated":
            text = _("{name}: updated: {course}, kept {kept} of your cells, {conflicts}").format(
                name=self.name, kept=self.kept_cells,
                course=ngettext("{n} course cell", "{n} course cells", self.course_cells).format(n=self.course_cells),
                conflicts=ngettext("{n} conflict", "{n} conflicts", self.conflicts).format(n=self.conflicts))
            if self.conflicts:
                text += _(' (look for "{heading}")').format(heading=_(NOTE_HEADING))
            if self.backup is not None:
                text += _("; previous file in {path}").format(path=_shown(self.backup))
        elif self.status == "new":
            text = _("{name}: new ({path})").format(name=self.name, path=_shown(self.path))
        elif self.status == "kept":
            text = _("{name}: kept as it is in {path}").format(name=self.name, path=_shown(self.path))
        elif self.status == "up to date":
            text = _("{name}: up to date").format(name=self.name)
        else:
            text = _("{name}:").format(name=self.name)
        return " ".join([text, *self.notes])


def merge_notebooks(base: NotebookNode | None, local: NotebookNode, remote: NotebookNode) -> MergeResult:
    """Merge the new course version ``remote`` into the learner's copy ``local``.

    Parameters
    ----------
    base : NotebookNode or None
        The course version ``local`` was made from; None when unknown (two-way merge: every cell of
        the learner is kept).
    local : NotebookNode
        The learner's copy; not modified.
    remote : NotebookNode
        The new course version; not modified.

    Returns
    -------
    MergeResult
        The new copy (cells of the learner keep their outputs) and counts of what changed.

    Examples
    --------
    The learner added a cell and edited a prompt the course changed too: both kept, with a note.

    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> old = new_notebook(cells=[new_markdown_cell("Intro", id="a"), new_markdown_cell("Task", id="b")])
    >>> new = new_notebook(cells=[new_markdown_cell("Intro", id="a"), new_markdown_cell("Task v2", id="b")])
    >>> mine = copy.deepcopy(old)
    >>> mine.cells[1].source = "Task, my notes"
    >>> mine.cells.insert(1, new_markdown_cell("My idea", id="mine"))
    >>> merged = merge_notebooks(old, mine, new)
    >>> [cell.source.split(":")[0] for cell in merged.notebook.cells]
    ['Intro', 'My idea', 'Task, my notes', '**Course update**', 'Task v2']
    >>> merged.conflicts
    1
    """
    base_pairs = _keyed(base.cells if base is not None else [], [])
    remote_pairs = _keyed(remote.cells, base_pairs)
    local_pairs = _keyed(local.cells, base_pairs or remote_pairs)
    base_of, local_of = dict(base_pairs), dict(local_pairs)
    remote_keys = {key for key, _ in remote_pairs}
    taken = remote_keys | set(local_of) | set(base_of)
    course = kept = conflicts = 0

    def note(kind: str, near: str) -> NotebookNode:
        text = _("**{heading}**: {note}").format(heading=_(NOTE_HEADING), note=_(_NOTES[kind]))
        cell = new_markdown_cell(text, metadata={"cvm": {"note": kind}})
        cell.id = _fresh_id(f"{near}-note", taken)
        return cell

    # cells that are not (or no longer) the course's go right after the course cell they followed
    after: dict[str | None, list[NotebookNode]] = defaultdict(list)
    anchor: str | None = None
    for key, cell in local_pairs:
        if key in remote_keys:
            anchor = key
        elif key not in base_of:
            after[anchor].append(_with_id(cell, key))
            kept += not _is_note(cell)
        elif _same_source(cell, base_of[key]):
            course += 1  # the course removed a cell the learner had not touched
        else:
            after[anchor] += [note("removed", key), _with_id(cell, key)]
            kept += 1
            conflicts += 1

    cells = list(after[None])
    for key, new in remote_pairs:
        old, mine = base_of.get(key), local_of.get(key)
        if mine is None:
            if old is None:
                cells.append(_with_id(new, key))
                course += 1
            elif not _same_course(old, new):
                cells += [note("deleted", key), _with_id(new, key)]
                course += 1
                conflicts += 1
            # else: the learner deleted a cell the course did not change: it stays deleted
        elif _same_source(mine, new) or (old is not None and _same_source(old, new)):
            # the text is the course's, or only the learner changed it: theirs, with the course's tags
            cell = _retagged(mine, new, old, key)
            cells.append(cell)
            course += _tags(cell) != _tags(mine)
            kept += not _same_source(mine, new)
        elif old is not None and _same_source(mine, old):
            cells.append(_with_id(new, key))  # only the course changed it
            course += 1
        elif old is None and EXERCISE_TAG in _tags(new):
            cells.append(_with_id(mine, key))  # the learner's answer (base unknown)
            kept += 1
        else:
            copy_id = _fresh_id(f"{key}-course", taken)
            cells += [_with_id(mine, key), note("conflict" if old is not None else "unknown", key),
                      _with_id(new, copy_id)]
            course += 1
            kept += 1
            conflicts += 1
        cells += after[key]

    merged = copy.deepcopy(local)
    merged.cells = cells
    merged.nbformat = 4
    merged.nbformat_minor = max(int(local.get("nbformat_minor", 0)), int(remote.nbformat_minor), 5)
    merged.metadata.setdefault("cvm", {}).update(remote.metadata.get("cvm", {}))
    merged.metadata["cvm"].pop("generated_sha256", None)  # describes a derived file, not the learner's
    for field in ("kernelspec", "language_info"):
        if field not in merged.metadata and field in remote.metadata:
            merged.metadata[field] = copy.deepcopy(remote.metadata[field])
    return MergeResult(merged, course, kept, conflicts)


def update_workspace(generated: Mapping[str, NotebookNode], root: Path, lang: str = "en",
                     legacy: Sequence[Path] = (), now: datetime | None = None) -> list[WorkbookUpdate]:
    """Bring every generated participant workbook into the workspace ``root/lang/``.

    Parameters
    ----------
    generated : mapping of str to NotebookNode
        File name -> the new participant version.
    root : Path
        The workspace, e.g. ``Path("workspace")``; created if missing.
    lang : str
        The language folder, one of :data:`LANGUAGES`; the notes put into the copies and the notes of
        the updates returned are in this language.
    legacy : sequence of Path
        Edited copies from before workspaces existed (``NAME.ipynb``, ``NAME.updated.ipynb``,
        ``NAME.edited-<time>.ipynb``); each is backed up and brought in once (by content), never
        deleted. If the workspace has no copy of NAME yet, the most recently saved one becomes it.
    now : datetime, optional
        The time used for the backup folder (UTC); default: the current time.

    Returns
    -------
    list of WorkbookUpdate
        One per workbook, in name order, then one per old copy of a workbook the course no longer has.

    Examples
    --------
    >>> import tempfile
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> course = {"intro.ipynb": new_notebook(cells=[new_markdown_cell("Hello", id="hello")])}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     first = update_workspace(course, Path(folder))
    ...     again = update_workspace(course, Path(folder))
    ...     sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*.ipynb"))
    ['.cvm/base/en/intro.ipynb', 'en/intro.ipynb']
    >>> [update.status for update in first + again]
    ['new', 'up to date']
    """
    with language(lang):
        state = _State(Path(root), lang, now or datetime.now(timezone.utc))
        by_owner: dict[str, list[Path]] = defaultdict(list)
        for path in legacy:
            if _sha256(path) not in state.imported:
                match = _LEGACY_NAME.match(path.name)
                by_owner[match.group("stem") + ".ipynb" if match else path.name].append(path)
        updates = [state.update(name, remote, by_owner.pop(name, [])) for name, remote in sorted(generated.items())]
        for name, paths in sorted(by_owner.items()):
            updates += state.keep_as_is(name, paths)
    return updates


class _Refused(Exception):
    """A workbook that cannot be updated; the message says which file and what to do."""


class _State:
    """The folders of one workspace language and the backup folder of this run."""

    def __init__(self, root: Path, lang: str, now: datetime) -> None:
        self.root, self.lang = root, lang
        self.folder = root / lang
        self.base_folder = root / STATE_DIR / "base" / lang
        self.stamp = now.astimezone(timezone.utc).strftime(STAMP_FORMAT)
        self.backup_root: Path | None = None
        self.record = root / STATE_DIR / "imported.json"
        self.imported = _read_record(self.record)

    def backup(self, path: Path) -> Path:
        """Copy ``path`` into this run's backup folder (one folder per run, never reused)."""
        if self.backup_root is None:
            candidate, n = self.root / STATE_DIR / "backup" / self.stamp, 1
            while candidate.exists():  # an earlier run in the same second: never mix two runs
                n += 1
                candidate = candidate.with_name(f"{self.stamp}-{n}")
            self.backup_root = candidate
        # keep the sub-folder: a coder's and a no-code copy of the same workbook stay apart in the backup
        inside = path.relative_to(self.folder) if path.is_relative_to(self.folder) else Path(path.name)
        target = _free(self.backup_root / self.lang / inside)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        except OSError as exc:
            raise _Refused(_("could not back up {path} ({error}), so it was not changed; free some space or fix "
                             "the permissions of {folder}").format(path=_shown(path), error=exc.strerror or exc,
                                                                   folder=_shown(self.root / STATE_DIR))) from exc
        return target

    def remember(self, paths: Sequence[Path]) -> None:
        """Record old copies as brought in, so that a later run does not bring them in again."""
        for path in paths:
            self.imported[_sha256(path)] = str(path)
        try:
            self.record.parent.mkdir(parents=True, exist_ok=True)
            self.record.write_text(json.dumps({"imported": self.imported}, indent=1, sort_keys=True))
        except OSError:
            pass  # the copies are safe; at worst the next run brings them in once more

    def update(self, name: str, remote: NotebookNode, legacy: list[Path]) -> WorkbookUpdate:
        target = self.folder / name
        try:
            return self._update(name, _learner_metadata(remote), target, legacy)
        except _Refused as exc:
            return WorkbookUpdate(name, "failed", target, notes=(_("NOT updated: {reason}.").format(reason=exc),))

    def _update(self, name: str, remote: NotebookNode, target: Path, legacy: list[Path]) -> WorkbookUpdate:
        base_path = self.base_folder / name
        backups = self.root / STATE_DIR / "backup"
        notes: list[str] = []
        base: NotebookNode | None = None
        if base_path.exists():
            try:
                base = _read(base_path)
            except _Refused:
                notes.append(_("(No readable record of the version you started from: all your cells were kept.)"))
        origin, primary = target, None
        if legacy:
            for path in legacy:
                self.backup(path)
            primary = None if target.exists() else _newest_readable(legacy)
            for path in legacy:
                if path != primary:
                    beside = _free(self.folder / (f"{path.stem}.from-build.ipynb" if path.name == name else path.name))
                    _copy(path, beside)
                    self.remember([path])
                    notes.append(_("Your old copy {old} is kept as {new}.").format(old=_shown(path), new=_shown(beside)))
            if primary is not None:
                origin, base = primary, None  # the version it started from was never recorded: two-way
                notes.append(_("Your work in {path} was brought in (a backup is in {backups}).").format(
                    path=_shown(primary), backups=_shown(backups)))
        if not origin.exists():
            _write(target, remote)
            _write(base_path, remote)
            return WorkbookUpdate(name, "new", target, notes=tuple(notes))
        local = _read(origin, backups)
        if origin == target and base is not None and _same_notebook(base, remote):
            return WorkbookUpdate(name, "up to date", target, notes=tuple(notes))
        merged = merge_notebooks(base, local, remote)
        if origin == target and _dump(merged.notebook) == _dump(local):
            _write(base_path, remote)
            return WorkbookUpdate(name, "up to date", target, notes=tuple(notes))
        if origin == target and _read_only(target):
            raise _Refused(_("{path} is read-only. It was left as it is; make it writable (chmod u+w {path}) and "
                             "run make workbooks again").format(path=_shown(target)))
        backup = self.backup(target) if origin == target else None
        _write(target, merged.notebook)
        _write(base_path, remote)
        if primary is not None:
            self.remember([primary])
        return WorkbookUpdate(name, "updated", target, merged.course_cells, merged.kept_cells,
                              merged.conflicts, backup, tuple(notes))

    def keep_as_is(self, name: str, paths: list[Path]) -> list[WorkbookUpdate]:
        """Old copies of a workbook the course does not have (any more): copied into the workspace."""
        updates = []
        for path in paths:
            try:
                self.backup(path)
                beside = _free(self.folder / path.name)
                _copy(path, beside)
            except _Refused as exc:
                updates.append(WorkbookUpdate(name, "failed", path,
                                              notes=(_("NOT brought in: {reason}.").format(reason=exc),)))
                continue
            self.remember([path])
            updates.append(WorkbookUpdate(name, "kept", beside, notes=(_("(from {path})").format(path=_shown(path)),)))
        return updates


def _tags(cell: NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _same_source(a: NotebookNode, b: NotebookNode) -> bool:
    """What a learner edits: the cell type and its text (outputs and execution counts do not count)."""
    return bool(a.get("cell_type") == b.get("cell_type") and a.get("source", "") == b.get("source", ""))


def _same_course(a: NotebookNode, b: NotebookNode) -> bool:
    """What the course defines: type, text and tags (``exercise``, ``remove-cell``, ...)."""
    return _same_source(a, b) and _tags(a) == _tags(b)


def _same_notebook(a: NotebookNode, b: NotebookNode) -> bool:
    return [(c.get("id"), c.cell_type, c.source, _tags(c)) for c in a.cells] == \
           [(c.get("id"), c.cell_type, c.source, _tags(c)) for c in b.cells]


def _is_note(cell: NotebookNode) -> bool:
    return "note" in cell.get("metadata", {}).get("cvm", {})


def _with_id(cell: NotebookNode, key: str) -> NotebookNode:
    cell = copy.deepcopy(cell)
    cell["id"] = key
    return cell


def _retagged(mine: NotebookNode, new: NotebookNode, old: NotebookNode | None, key: str) -> NotebookNode:
    """The learner's cell (text, outputs, metadata), with the course's tags if the course changed them."""
    cell = _with_id(mine, key)
    if old is None or _tags(old) != _tags(new):
        cell.metadata.pop("tags", None)
        if _tags(new):
            cell.metadata["tags"] = _tags(new)
    return cell


def _fresh_id(wanted: str, taken: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]", "-", wanted)[:56]
    candidate, n = stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}"
    taken.add(candidate)
    return candidate


def _content_id(cell: NotebookNode, position: int, taken: set[str]) -> str:
    digest = hashlib.sha1(f"{cell.get('cell_type')}\0{cell.get('source', '')}\0{position}".encode()).hexdigest()
    return _fresh_id(f"cvm-{digest[:12]}", taken)


def _keyed(cells: Sequence[NotebookNode],
           reference: Sequence[tuple[str, NotebookNode]]) -> list[tuple[str, NotebookNode]]:
    """A unique key per cell: its id; without usable ids, the id of the reference cell it matches by content."""
    reference_ids = {key for key, _ in reference}
    own = [cell.get("id") for cell in cells]
    usable = any(i for i in own) and (not reference_ids or any(i in reference_ids for i in own))
    taken: set[str] = set()
    keys: list[str | None] = [None] * len(cells)
    if usable:
        for position, cell_id in enumerate(own):
            if cell_id and cell_id not in taken:  # a duplicated id: the second cell counts as new
                keys[position] = cell_id
                taken.add(cell_id)
    else:
        for position, key in _align(cells, reference).items():
            keys[position] = key
            taken.add(key)
    return [(key if key is not None else _content_id(cell, position, taken), cell)
            for position, (key, cell) in enumerate(zip(keys, cells))]


def _align(cells: Sequence[NotebookNode], reference: Sequence[tuple[str, NotebookNode]]) -> dict[int, str]:
    """Match cells without ids to reference cells: equal runs by content, edited cells by type in order."""
    def text(cell: NotebookNode) -> tuple[str, str]:
        return cell.get("cell_type", ""), cell.get("source", "").strip()

    matcher = difflib.SequenceMatcher(None, [text(c) for _, c in reference], [text(c) for c in cells],
                                      autojunk=False)
    found: dict[int, str] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            found.update({j1 + k: reference[i1 + k][0] for k in range(j2 - j1)})
        elif tag == "replace":
            i = i1
            for j in range(j1, j2):  # an answered exercise: the same kind of cell in the same place
                if i < i2 and reference[i][1].get("cell_type") == cells[j].get("cell_type"):
                    found[j] = reference[i][0]
                    i += 1
    return found


def _learner_metadata(nb: NotebookNode) -> NotebookNode:
    """A copy without the generated-file fingerprint (it describes the derived file, not the learner's)."""
    nb = copy.deepcopy(nb)
    nb.metadata.get("cvm", {}).pop("generated_sha256", None)
    return nb


def _read(path: Path, backups: Path | None = None) -> NotebookNode:
    try:
        with warnings.catch_warnings():  # nbformat's advice on missing ids is for developers, not learners
            warnings.simplefilter("ignore")
            nb = nbformat.read(path, as_version=4)
        cells = nb.get("cells")
        if not isinstance(cells, list) or not all(isinstance(c, dict) and c.get("cell_type") in
                                                  {"code", "markdown", "raw"} and "source" in c for c in cells):
            raise ValueError("its cells are missing or malformed")
    except Exception as exc:  # JSON, schema or type errors: the message names the file either way
        reason = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
        if backups is not None:
            message = _("{path} is not a readable notebook ({reason}). It was left as it is; repair it (an earlier "
                        "version may be in {backups}), or rename it to get a fresh copy next time").format(
                path=_shown(path), reason=reason, backups=_shown(backups))
        else:
            message = _("{path} is not a readable notebook ({reason}). It was left as it is; repair it, or rename "
                        "it to get a fresh copy next time").format(path=_shown(path), reason=reason)
        raise _Refused(message) from exc
    return nb


def _dump(nb: NotebookNode) -> str:
    return json.dumps(nb, sort_keys=True)


def _write(path: Path, nb: NotebookNode) -> None:
    """Replace ``path`` atomically: a failed write leaves the old file as it was."""
    temporary = path.with_name(f".{path.name}.cvm-tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, temporary)
        if path.exists():
            shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _Refused(_("could not write {path} ({error}). It was left as it is; check the permissions of "
                         "{folder} and the free disk space").format(path=_shown(path), error=exc.strerror or exc,
                                                                     folder=_shown(path.parent))) from exc


def _copy(source: Path, target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    except OSError as exc:
        raise _Refused(_("could not copy {source} to {target} ({error})").format(
            source=_shown(source), target=_shown(target), error=exc.strerror or exc)) from exc


def _read_only(path: Path) -> bool:
    # root may write anything, so the owner's write bit is what says "do not change this file"
    return not os.access(path, os.W_OK) or not path.stat().st_mode & stat.S_IWUSR


def _newest_readable(paths: Sequence[Path]) -> Path | None:
    for path in sorted(paths, key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            _read(path)
        except _Refused:
            continue
        return path
    return None


def _free(path: Path) -> Path:
    """``path``, or ``NAME-2.ipynb``, ``NAME-3.ipynb``, ... if it is taken: a copy never replaces a file."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _read_record(path: Path) -> dict[str, str]:
    try:
        record: Any = json.loads(path.read_text())
        return {str(k): str(v) for k, v in record["imported"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _shown(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()
