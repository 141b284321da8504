"""The participants' homes in a classroom: one folder each, filled with the workbooks in their language.

A room (``room/`` at the repository root, or ``$CVM_ROOM_DIR``) holds::

    room/hub/                 the hub's database, cookie secret, logs, the workbooks of this run
    room/homes/<slug>/        one home per participant (the class report reads these)
    room/instructor/          the instructor's own workspace (not a participant: not in the report)

A home has the participant workbooks at its top, in the language the participant chose when they
first signed in; their progress log is ``<home>/.cvm/progress.jsonl`` and ``<home>/.cvm/settings.json``
holds their display name (:mod:`cvmlib.progress`: the name they signed in with), so every check
they run is recorded under that name. A participant who later chooses the other language gets the
workbooks of that language in ``<home>/<lang>/``: nothing already in the home is moved or replaced.

Each start of a participant's workspace brings the current course into the home with the
workspace's three-way merge (:func:`cvmlib.workspace.update_workspace`: the learner's edits always
win, conflicts are kept side by side, the previous file is backed up first). The workbooks are
derived from the course notebooks once per hub process and language (:class:`Room`).

The folder name of a home, its *slug*, is ASCII, readable where the name allows, and stable: the
account name with everything but ``a-z0-9`` turned into ``-``, then a hash of the name, e.g.
``zhang-wei-c234c5ed``; a name with no ASCII letters gets ``u-`` and the hash. Each home records
its owner (``.cvm/classroom.json``); in the (astronomically unlikely) case of two names with the
same hash the second gets a longer one, so two participants never share a home.

Examples
--------
>>> slug_of("zhang wei")
'zhang-wei-c234c5ed'
>>> slug_of("张伟")
'u-a3a0bafd'
>>> import tempfile
>>> room = Room(Path(tempfile.mkdtemp()))
>>> home = room.home_of("张伟")
>>> home.relative_to(room.root).as_posix()
'homes/u-a3a0bafd'
>>> room.choose("张伟", "zh", "张伟"), room.language_of("张伟")  # a first choice is no change
(False, 'zh')
>>> room.choose("张伟", "en", "张伟")
True
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cvmlib.classroom.pages import bilingual
from cvmlib.i18n import N_

#: Where in a room the participants' homes are.
HOMES = "homes"
#: The hub's state (database, cookie secret, logs, the derived workbooks of a run).
HUB = "hub"
#: The instructor's own workspace: outside ``homes/``, so the class report never counts it.
INSTRUCTOR_HOME = "instructor"
#: The folder of every home (and workbook folder) where the course keeps its records.
STATE = ".cvm"
#: A home's owner, language and what was last applied to it.
RECORD = "classroom.json"
#: The languages a participant can choose.
LANGUAGES = ("en", "zh")
#: JupyterLab's locale for each language (the zh language pack is ``jupyterlab-language-pack-zh-cn``).
LAB_LOCALES = {"en": "en", "zh": "zh_CN"}
#: The user settings of JupyterLab in a home (``$HOME/.jupyter/lab/user-settings``: HOME is the home).
LAB_SETTINGS = Path(".jupyter") / "lab" / "user-settings"
LAB_LOCALE_FILE = Path("@jupyterlab") / "translation-extension" / "plugin.jupyterlab-settings"
#: JupyterLab settings every home starts with: no news or update checks (requests to other hosts).
LAB_DEFAULTS = {
    Path("@jupyterlab") / "apputils-extension" / "notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}
#: Sub-folders of a workbook folder that the course fills too (the no-code workbooks), when it has them.
NO_CODE = "no-code"

NO_NOTEBOOKS = N_("The course notebooks were not found (no notebooks/ folder, no cvmlib/_notebooks): the workbooks "
                  "cannot be prepared. Start the classroom from the course's folder.")
NO_HOME = N_("No free home folder for {name} in {folder}.")

_ASCII = re.compile(r"[^a-z0-9]+")
log = logging.getLogger("cvmlib.classroom")


def slug_of(account: str, length: int = 8) -> str:
    """The folder name of ``account``'s home: a readable ASCII part and ``length`` hex digits of its hash."""
    digest = hashlib.sha256(account.encode("utf-8")).hexdigest()[:length]
    readable = _ASCII.sub("-", account.lower()).strip("-")[:24].strip("-")
    return f"{readable}-{digest}" if readable else f"u-{digest}"


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; an empty dict if it is missing, unreadable or not an object."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def write_json(path: Path, value: Mapping[str, Any]) -> None:
    """Write ``value`` to ``path`` atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, path)


@dataclass(frozen=True)
class PreparedHome:
    """A home made ready for its participant's workspace.

    Attributes
    ----------
    home : Path
        The home (the workspace's root folder and ``$HOME``).
    folder : Path
        Where the workbooks of ``lang`` are: ``home`` itself, or ``home/<lang>`` for a second language.
    lang : str
        The participant's language, ``"en"`` or ``"zh"``.
    display_name : str
        The name they signed in with (recorded in every ``.cvm/settings.json`` of the home).
    summaries : tuple of str
        One line per workbook: what the merge did (in ``lang``).
    """

    home: Path
    folder: Path
    lang: str
    display_name: str
    summaries: tuple[str, ...]

    @property
    def start_path(self) -> str:
        """The folder JupyterLab opens, relative to the home (``""`` for the home itself)."""
        return self.folder.relative_to(self.home).as_posix() if self.folder != self.home else ""


class Room:
    """A classroom's folders, and the participant workbooks of this hub process.

    Parameters
    ----------
    root : Path
        The room folder (``room/``); created when needed.
    source : Path, optional
        The course notebooks (default: :func:`cvmlib.solutions.notebook_dir`).
    locale_dir : Path, optional
        The book's gettext catalogs for the Chinese workbooks (default: the repository's ``locales/``).

    Notes
    -----
    :meth:`prepare` and :meth:`workbooks` hold one lock: cvmlib's language is a process-wide
    setting that the workbook code switches while it writes, so two homes are never prepared at
    the same moment (one takes a fraction of a second; the hub calls it in a worker thread).
    The home records have a lock of their own, held only for a read and a write: a sign-in
    (:meth:`choose`, on the hub's event loop) never waits for a home being prepared.
    """

    def __init__(self, root: Path, source: Path | None = None, locale_dir: Path | None = None) -> None:
        self.root = Path(root).resolve()
        self.homes = self.root / HOMES
        self.hub = self.root / HUB
        self.source = source
        self.locale_dir = locale_dir
        self._lock = threading.RLock()  # the course: deriving and merging workbooks
        self._records = threading.Lock()  # the home records (short)
        self._derived: dict[str, dict[str, dict[str, Any]]] = {}

    # -- whose home is where -------------------------------------------------------------------

    def home_of(self, account: str, instructor: bool = False) -> Path:
        """The home of ``account`` (created, with its owner recorded, if it does not exist yet)."""
        if instructor:
            home = self.root / INSTRUCTOR_HOME
            self._claim(home, account)
            return home
        for length in (8, 16, 32, 64):
            home = self.homes / slug_of(account, length)
            owner = read_json(home / STATE / RECORD).get("account")
            if owner == account or (owner is None and self._claim(home, account)):
                return home
        raise RuntimeError(bilingual(NO_HOME, name=account, folder=self.homes))  # needs a SHA-256 collision

    def _claim(self, home: Path, account: str) -> bool:
        """Record ``account`` as the owner of ``home`` unless someone else owns it; whether it is theirs."""
        record = home / STATE / RECORD
        with self._records:
            owner = read_json(record).get("account")
            if owner not in (None, account):
                return False
            if owner is None:
                write_json(record, {**read_json(record), "account": account})
        return True

    def record(self, home: Path) -> dict[str, Any]:
        """What the home's record says (owner, language, display name, what was applied)."""
        return read_json(home / STATE / RECORD)

    def _update_record(self, home: Path, **fields: Any) -> None:
        with self._records:
            write_json(home / STATE / RECORD, {**self.record(home), **fields})

    def choose(self, account: str, lang: str, display_name: str, instructor: bool = False) -> bool:
        """Remember ``account``'s language and display name; whether the language changed.

        Called at each sign-in with the choice made on the sign-in page.
        """
        if lang not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
        home = self.home_of(account, instructor)
        before = self.record(home).get("lang")
        self._update_record(home, lang=lang, display=display_name)
        return before is not None and before != lang

    def language_of(self, account: str, instructor: bool = False) -> str | None:
        """The language ``account`` chose, or None if they never signed in."""
        lang = self.record(self.home_of(account, instructor)).get("lang")
        return lang if lang in LANGUAGES else None

    # -- the course -----------------------------------------------------------------------------

    def workbooks(self, lang: str) -> dict[str, dict[str, Any]]:
        """The participant workbooks in ``lang``, by sub-folder (``""``, and ``"no-code"`` if the course has them).

        Derived from the course notebooks the first time a language is asked for in this process
        (a hub start), into ``room/hub/workbooks/``; later calls return the same notebooks.
        """
        with self._lock:
            if lang not in self._derived:
                self._derived[lang] = self._derive(lang)
            return self._derived[lang]

    def _derive(self, lang: str) -> dict[str, dict[str, Any]]:
        import nbformat

        from cvmlib.solutions import notebook_dir
        from cvmlib.workbooks import build_workbooks, workbook_dirs

        source = self.source or notebook_dir()
        if source is None:
            raise RuntimeError(bilingual(NO_NOTEBOOKS))
        out = self.hub / "workbooks"
        written = build_workbooks(source, out, lang, self.locale_dir)
        participant, _instructor = workbook_dirs(out, lang)
        found: dict[str, dict[str, Any]] = {}
        for path in written:
            if ".edited-" in path.name:
                continue
            try:
                sub = path.parent.relative_to(participant).as_posix()
            except ValueError:
                continue  # an instructor version
            if sub in ("", ".", NO_CODE):
                found.setdefault("" if sub == "." else sub, {})[path.name] = nbformat.read(path, as_version=4)
        log.info("derived %d participant workbooks in %s from %s", sum(map(len, found.values())), lang, source)
        return found

    # -- a workspace start ----------------------------------------------------------------------

    def prepare(self, account: str, instructor: bool = False) -> PreparedHome:
        """Bring the course, in the participant's language, into their home; write their settings.

        Every workbook folder of the home gets the current participant workbooks merged in
        (:func:`merge_into`) and the display name in its ``.cvm/settings.json``; JupyterLab is set
        to the language when the participant chose a new one (a language picked later in
        JupyterLab's own menu is left alone until then). Blocking: the hub runs it in a thread.
        """
        from cvmlib.workspace import STATE_DIR

        with self._lock:
            home = self.home_of(account, instructor)
            record = self.record(home)
            lang = str(record["lang"]) if record.get("lang") in LANGUAGES else "en"
            display = str(record.get("display") or account)
            root_lang = str(record["root_lang"]) if record.get("root_lang") in LANGUAGES else lang
            folder = home if lang == root_lang else home / lang
            summaries: list[str] = []
            for sub, versions in self.workbooks(lang).items():
                target = folder / sub if sub else folder
                summaries += merge_into(target, versions, target / STATE_DIR / "workbooks", lang)
                write_display_name(target / STATE, display)
            write_display_name(folder / STATE, display)
            if record.get("lab_locale") != lang or not (home / LAB_SETTINGS / LAB_LOCALE_FILE).exists():
                set_lab_locale(home, lang)
            for name, value in LAB_DEFAULTS.items():
                path = home / LAB_SETTINGS / name
                if not path.exists():
                    write_json(path, value)
            self._update_record(home, root_lang=root_lang, lab_locale=lang)
        return PreparedHome(home, folder, lang, display, tuple(summaries))


def merge_into(folder: Path, versions: Mapping[str, Any], state: Path, lang: str) -> list[str]:
    """Merge the course ``versions`` (name -> participant notebook) into ``folder``; one summary line each.

    :func:`cvmlib.workspace.update_workspace` keeps a learner's copies in ``<root>/<lang>/`` and
    its records (the versions merged last, backups) in ``<root>/.cvm/``. A home keeps its
    workbooks at its top instead, so the merge is given a temporary root of two links,
    ``<lang>`` -> ``folder`` and ``.cvm`` -> ``state``: the same merge, with every safety of it
    (backups before a change, atomic writes, unreadable or read-only copies left alone), writes
    straight into the home. The links are removed afterwards; nothing in the home links anywhere.
    """
    from cvmlib.i18n import language
    from cvmlib.workspace import STATE_DIR, update_workspace

    folder.mkdir(parents=True, exist_ok=True)
    state.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cvm-merge-") as temporary:
        root = Path(temporary)
        (root / lang).symlink_to(folder.resolve(), target_is_directory=True)
        (root / STATE_DIR).symlink_to(state.resolve(), target_is_directory=True)
        updates = update_workspace({name: copy.deepcopy(nb) for name, nb in versions.items()}, root, lang)
        with language(lang):  # the summaries name files through the links: resolve them while they exist
            lines = [update.summary() for update in updates]
    for update, line in zip(updates, lines):
        (log.warning if not update.ok else log.info)("%s: %s", folder, line)
    return lines


def write_display_name(folder: Path, name: str) -> None:
    """Record ``name`` in ``folder/settings.json``, the file :func:`cvmlib.progress.display_name` reads.

    Other keys of the file are kept. Written directly rather than with
    :func:`cvmlib.progress.set_display_name`, which finds its folder through the process's
    environment and working directory: the hub prepares many homes from one process.
    """
    from cvmlib.progress import SETTINGS_NAME  # (pandas: imported when a home is prepared, not when the hub starts)

    path = folder / SETTINGS_NAME
    settings = read_json(path)
    if settings.get("name") != name:
        write_json(path, {**settings, "name": name})


def set_lab_locale(home: Path, lang: str) -> None:
    """Set JupyterLab's interface language in ``home`` (its user setting), keeping the file's other keys."""
    path = home / LAB_SETTINGS / LAB_LOCALE_FILE
    write_json(path, {**read_json(path), "locale": LAB_LOCALES[lang]})


@functools.lru_cache(maxsize=None)
def room_at(root: str) -> Room:
    """The one :class:`Room` of this process for the folder ``root`` (so its workbooks are derived once)."""
    return Room(Path(root))


def progress_logs(home: Path) -> list[Path]:
    """Every progress log in ``home`` (a log is written beside each folder of workbooks)."""
    from cvmlib.progress import LOG_NAME

    return sorted(path for path in home.rglob(LOG_NAME) if path.parent.name == STATE)
