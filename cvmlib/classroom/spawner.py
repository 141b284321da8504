"""Starting a participant's workspace: JupyterLab in their own home, in their language.

Every participant's server runs as the instructor's OS user (a training room, not a university:
JupyterHub's ``SimpleLocalProcessSpawner`` model), each in a home of its own,
``room/homes/<slug>/`` (:mod:`cvmlib.classroom.homes`), which is also its ``$HOME``, so JupyterLab's
settings and workspaces, IPython's history and the progress log all stay in the home. Before
each start the home is brought up to date with the course in the participant's language
(:meth:`cvmlib.classroom.homes.Room.prepare`, in a worker thread; the learner's edits are kept).

The server is ``jupyterhub-singleuser`` with JupyterLab, started from this Python (the venv) through
:mod:`cvmlib.classroom.singleuser` (seconds sooner):

* ``CVM_LANG`` is the participant's language (the kernels inherit it; each zh workbook also sets it);
* JupyterLab opens in that language (its user setting in the home, written by ``prepare``);
* no request to another host: LabApp's news and update checks and its PyPI extension manager are off;
* ``--allow-root`` only when the hub runs as root (CI, containers), as ``make lab`` does;
* no terminals and no language-server lookup: participants need neither (a shell would be the
  instructor's own account; jupyter-lsp runs npm at every start).

Examples
--------
>>> "--LabApp.news_url=None" in SINGLEUSER_ARGS
True
"""

from __future__ import annotations

import asyncio
import html
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from jupyterhub.spawner import SimpleLocalProcessSpawner
from traitlets import Unicode, default

from cvmlib.classroom.homes import PreparedHome, Room, room_at
from cvmlib.i18n import N_, translations

#: Options of every participant's server (see the module's description).
SINGLEUSER_ARGS = (
    "--ServerApp.terminals_enabled=False",
    # jupyter-lsp looks for language servers with npm at each start (seconds, for nothing a participant uses)
    "--ServerApp.jpserver_extensions", "jupyter_lsp=False",
    "--ServerApp.jpserver_extensions", "jupyter_server_terminals=False",
    # the "pypi" extension manager asks pypi.org; participants install nothing
    "--LabApp.extension_manager=readonly",
    "--ServerApp.log_level=WARN",
    "--LabApp.log_level=WARN",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
)
#: Variables of the hub's own environment that must not reach a participant's kernel.
NOT_INHERITED = ("CVM_PROGRESS", "CVM_PROGRESS_DIR", "MPLBACKEND", "ROOM_PASSWORD", "INSTRUCTOR_PASSWORD")

PREPARING = N_("Bringing your workbooks up to date")
STARTING = N_("Starting JupyterLab")


class ClassroomSpawner(SimpleLocalProcessSpawner):
    """JupyterLab for one participant, in their home (``room/homes/<slug>/``) and their language."""

    room_dir = Unicode("room", help="The room folder: homes/, hub/, instructor/.").tag(config=True)
    instructor_name = Unicode("instructor", help="The instructor's account (home outside homes/).").tag(config=True)

    @property
    def room(self) -> Room:
        """The room this hub serves (one per process: the workbooks are derived once)."""
        return room_at(str(Path(self.room_dir).resolve()))

    @property
    def is_instructor(self) -> bool:
        """Whether this is the instructor's workspace."""
        return bool(self.user.name == self.instructor_name)

    @default("home_dir")
    def _default_home_dir(self) -> str:
        return str(self.room.home_of(self.user.name, self.is_instructor))

    @default("cmd")
    def _default_cmd(self) -> list[str]:
        return [sys.executable, "-m", "cvmlib.classroom.singleuser"]

    @default("args")
    def _default_args(self) -> list[str]:
        root = hasattr(os, "geteuid") and os.geteuid() == 0
        return [*SINGLEUSER_ARGS, *(["--allow-root"] if root else [])]

    @property
    def language(self) -> str:
        """The participant's language (``"en"`` until they choose)."""
        return self.room.language_of(self.user.name, self.is_instructor) or "en"

    @property
    def participant_name(self) -> str:
        """The name the participant signed in with (as typed, cleaned); the account name before that."""
        home = self.room.home_of(self.user.name, self.is_instructor)
        return str(self.room.record(home).get("display") or self.user.name)

    def remember_choice(self, lang: str, display_name: str) -> bool:
        """Record the language and display name chosen at sign-in; whether the language changed."""
        return self.room.choose(self.user.name, lang, display_name, self.is_instructor)

    def get_env(self) -> dict[str, Any]:
        """The hub's environment for a server, with the participant's language and nothing of the hub's own."""
        env = super().get_env()
        for name in NOT_INHERITED:
            env.pop(name, None)
        env["CVM_LANG"] = self.language
        # matplotlib's font cache is built once for the room, not once per participant (a few seconds each)
        env["MPLCONFIGDIR"] = str(self.room.hub / "matplotlib")
        return env

    async def start(self) -> Any:
        """Prepare the home (workbooks merged in a worker thread), then start JupyterLab in it."""
        self._progress = [PREPARING]
        loop = asyncio.get_running_loop()
        prepared: PreparedHome = await loop.run_in_executor(None, self.room.prepare, self.user.name,
                                                            self.is_instructor)
        self.home_dir = str(prepared.home)
        self.notebook_dir = str(prepared.home)
        self.default_url = f"/lab/tree/{prepared.start_path}" if prepared.start_path else "/lab"
        self._progress.append(STARTING)
        return await super().start()

    async def progress(self) -> AsyncIterator[dict[str, Any]]:
        """The steps of a start, in the participant's language (the waiting page shows ``html_message``)."""
        catalog = translations(self.language)
        shown = 0
        while self.pending == "spawn":
            steps = getattr(self, "_progress", [])
            for step in steps[shown:]:
                message = catalog.gettext(step)
                shown += 1
                yield {"progress": 30 * shown, "message": message, "html_message": html.escape(message)}
            await asyncio.sleep(0.5)
