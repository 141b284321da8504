"""The classroom server: a multi-user JupyterHub on the instructor's computer, started with one command.

``python -m cvmlib.classroom serve [--ip 127.0.0.1] [--port 8000] [--room-dir room]`` (``make classroom``)
starts JupyterHub with its proxy (``configurable-http-proxy``, installed from npm into
``.venv/node/``). Participants open ``http://<address>:<port>/`` on the room's network, sign in with
a name of their choice and the room password (``ROOM_PASSWORD``), and get their own JupyterLab with
the participant workbooks in the language they chose (:mod:`cvmlib.classroom.auth`,
:mod:`cvmlib.classroom.spawner`, :mod:`cvmlib.classroom.homes`). The instructor signs in as
``instructor`` with ``INSTRUCTOR_PASSWORD``: the hub's admin page, and the live class report
(the managed service ``class-report``, :mod:`cvmlib.classroom.service`), which only the instructor
may open.

Only the address the instructor chooses is listened on (``--ip``/``ROOM_IP``; default 127.0.0.1,
this computer only). Everything else binds to 127.0.0.1 on free ports: the hub's own API, the
proxy's API, every participant's server and the class report.

State lives in the room folder (``room/``, or ``--room-dir``/``$CVM_ROOM_DIR``): ``room/hub/``
holds the database (who signed in), the cookie secret (so signed-in browsers stay signed in
across a restart), the log ``jupyterhub.log`` and the workbooks derived for this run;
``room/homes/<slug>/`` holds each participant's work.

Stopping the hub (Ctrl-C) stops every workspace and the proxy (``cleanup_servers`` and
``cleanup_proxy`` left True, JupyterHub's defaults), on purpose: the work is on disk in the homes,
JupyterLab saves the notebooks, and nothing of the classroom keeps running on the instructor's
laptop after the class (no orphan servers still listening on the room's network, no stale process
ids that a later start would mistake for a running server). After a restart a participant signs
in again (or just reloads: the cookie stays valid) and finds every saved file; only the
kernels' variables are gone, which re-running the workbook's cells restores in seconds.

This file is also the hub's configuration file: JupyterHub reads it with ``jupyterhub -f
cvmlib/classroom/hub.py`` and then calls :func:`configure` with the settings of the environment
(:func:`settings_from_env`), which ``serve`` sets.

Examples
--------
>>> settings = settings_from_env({"ROOM_PASSWORD": "cvm2026", "INSTRUCTOR_PASSWORD": "teach-2026"})
>>> settings.ip, settings.port, settings.instructor_name
('127.0.0.1', 8000, 'instructor')
>>> try:
...     settings_from_env({"INSTRUCTOR_PASSWORD": "teach-2026"})
... except ClassroomError as error:
...     print(error)  # doctest: +ELLIPSIS
ROOM_PASSWORD is not set: ... | 没有设置 ROOM_PASSWORD：...
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import importlib.util
import ipaddress
import os
import shutil
import socket
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cvmlib.classroom.pages import bilingual as both
from cvmlib.classroom.singleuser import block_slow_imports
from cvmlib.i18n import N_

#: Environment variables read by the classroom (``make classroom`` passes them on).
ENV_ROOM_DIR, ENV_IP, ENV_PORT, ENV_REPORT = "CVM_ROOM_DIR", "ROOM_IP", "ROOM_PORT", "CVM_CLASS_REPORT"
ENV_ROOM_PASSWORD, ENV_INSTRUCTOR_PASSWORD, ENV_INSTRUCTOR = "ROOM_PASSWORD", "INSTRUCTOR_PASSWORD", "CVM_INSTRUCTOR"
DEFAULT_IP, DEFAULT_PORT, DEFAULT_ROOM = "127.0.0.1", 8000, "room"
#: The live class report, a hub-managed service (H2's :mod:`cvmlib.classroom.service`).
REPORT_SERVICE = "class-report"
REPORT_MODULE = "cvmlib.classroom.service"
#: Where ``make venv`` installs the proxy (npm, into the venv).
PROXY_IN_VENV = Path("node") / "node_modules" / ".bin" / "configurable-http-proxy"
TEMPLATES = Path(__file__).with_name("templates")
#: Seconds a participant's server may take to start: 30 arriving at once share the laptop's cores.
START_TIMEOUT = 180

MISSING_ROOM_PASSWORD = N_("ROOM_PASSWORD is not set: choose the password participants type to sign in, e.g. "
                           "ROOM_PASSWORD=cvm-room INSTRUCTOR_PASSWORD=<yours> make classroom")
MISSING_INSTRUCTOR_PASSWORD = N_("INSTRUCTOR_PASSWORD is not set: choose the password you sign in with as "
                                 "{name}, e.g. ROOM_PASSWORD=cvm-room INSTRUCTOR_PASSWORD=<yours> make classroom")
SAME_PASSWORDS = N_("ROOM_PASSWORD and INSTRUCTOR_PASSWORD are the same: anyone in the room could sign in as the "
                    "instructor. Choose two different passwords.")
BAD_IP = N_("{ip} is not an IP address: use 127.0.0.1 (this computer only), 0.0.0.0 (every network of this "
            "computer) or this computer's Wi-Fi address")
BAD_PORT = N_("{port} is not a port number: use a number from 1 to 65535, e.g. 8000")
BAD_INSTRUCTOR = N_("{name} cannot be the instructor's name (CVM_INSTRUCTOR): use letters, digits, spaces and "
                    "- _ . ' · only, at most 40 characters")
PORT_BUSY = N_("Cannot listen on {ip} port {port} ({error}). Another program (or a classroom already running) uses "
               "it, or the address is not one of this computer's: choose another port with ROOM_PORT, or another "
               "address with ROOM_IP.")
NO_PROXY = N_("configurable-http-proxy is missing (looked in {path}): install it with make venv, or npm install "
              "--prefix .venv/node configurable-http-proxy@5.3.0")
NO_NODE = N_("Node.js is missing (the command node is not found): configurable-http-proxy needs it. Install it "
             "(Debian/Ubuntu: apt-get install nodejs; macOS: brew install node), then start again.")
STARTING = N_("Starting the classroom in {room} ...")
READY = N_("The classroom is open ({seconds:.1f} s). Participants open one of these addresses and sign in with a name "
           "and the room password:")
LOCAL_ONLY = N_("Only this computer can reach it. For the room's network start it with ROOM_IP=0.0.0.0 (or this "
                "computer's Wi-Fi address).")
INSTRUCTOR_LINE = N_("Instructor: sign in as {name} with the instructor password: the admin page and the class "
                     "report are on the start page.")
STOP_LINE = N_("Stop with Ctrl-C: every workspace stops; the participants' work stays in {homes}.")
STOPPED = N_("The classroom stopped with an error: the reason is at the end of {log}. If it is the class report "
             "(class-report), start the classroom without it: --no-report, or CVM_CLASS_REPORT=off.")
REPORT_FAILED = N_("The live class report could not start (the reason is in {log}): the classroom runs without it; "
                   "make class-report writes the report as a file.")
REPORT_OFF = N_("The live class report is off (--no-report); make class-report writes it as a file.")
NO_REPORT = N_("The class report ({module}) is not installed: the classroom runs without it.")


class ClassroomError(Exception):
    """A classroom that cannot start; the message (English | Chinese) says why and what to do."""


@dataclass(frozen=True)
class RoomSettings:
    """What one classroom needs: where its state is, where it listens, its two passwords.

    Attributes
    ----------
    room : Path
        The room folder (``hub/``, ``homes/``, ``instructor/``).
    ip : str
        The address participants connect to (``0.0.0.0``: every network of this computer).
    port : int
        The port participants connect to.
    room_password, instructor_password : str
        The participants' and the instructor's passwords (different, never empty).
    instructor_name : str
        The name the instructor signs in with.
    report : bool
        Whether the live class report runs (``CVM_CLASS_REPORT=off``, ``serve --no-report``: it does not).
    """

    room: Path
    ip: str
    port: int
    room_password: str
    instructor_password: str
    instructor_name: str = "instructor"
    report: bool = True

    @property
    def urls(self) -> list[str]:
        """The addresses participants type (one per network address when listening on every network)."""
        if self.ip in ("0.0.0.0", "::"):
            addresses = local_addresses() or ["127.0.0.1"]
        else:
            addresses = [self.ip]
        return [f"http://{f'[{a}]' if ':' in a else a}:{self.port}/" for a in addresses]


def settings_from_env(environ: Mapping[str, str] | None = None) -> RoomSettings:
    """The classroom's settings from ``environ`` (default: this process's environment); checked.

    Raises :class:`ClassroomError` (with the fix) for a missing or shared password, a bad address,
    port or instructor name; nothing has started by then.
    """
    from cvmlib.classroom.auth import NameRefused, check_name

    env = os.environ if environ is None else environ
    name = env.get(ENV_INSTRUCTOR, "").strip() or "instructor"
    try:
        check_name(name)
    except NameRefused:
        raise ClassroomError(both(BAD_INSTRUCTOR, name=name)) from None
    room_password, instructor_password = env.get(ENV_ROOM_PASSWORD, ""), env.get(ENV_INSTRUCTOR_PASSWORD, "")
    if not room_password:
        raise ClassroomError(both(MISSING_ROOM_PASSWORD))
    if not instructor_password:
        raise ClassroomError(both(MISSING_INSTRUCTOR_PASSWORD, name=name))
    if room_password == instructor_password:
        raise ClassroomError(both(SAME_PASSWORDS))
    ip = env.get(ENV_IP, "").strip() or DEFAULT_IP
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        raise ClassroomError(both(BAD_IP, ip=ip)) from None
    port_text = env.get(ENV_PORT, "").strip() or str(DEFAULT_PORT)
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ClassroomError(both(BAD_PORT, port=port_text))
    room = Path(env.get(ENV_ROOM_DIR, "").strip() or DEFAULT_ROOM).expanduser().resolve()
    report = env.get(ENV_REPORT, "").strip().lower() not in ("off", "0", "no", "false")
    return RoomSettings(room, ip, int(port_text), room_password, instructor_password, name, report)


def local_addresses() -> list[str]:
    """This computer's IPv4 addresses other than loopback (what participants on its networks type)."""
    found: list[str] = []
    try:
        import psutil

        for addresses in psutil.net_if_addrs().values():
            found += [str(a.address) for a in addresses if a.family == socket.AF_INET]
    except ImportError:
        try:
            found = [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
        except OSError:
            found = []
    return sorted({a for a in found if not a.startswith("127.")}, key=lambda a: tuple(map(int, a.split("."))))


def free_port(ip: str = "127.0.0.1") -> int:
    """A port nobody listens on at ``ip`` now (for the hub's internal endpoints)."""
    with socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET) as sock:
        sock.bind((ip, 0))
        return int(sock.getsockname()[1])


def check_listen(ip: str, port: int) -> None:
    """:class:`ClassroomError` if the participants' address and port cannot be listened on."""
    with socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((ip, port))
        except OSError as error:
            raise ClassroomError(both(PORT_BUSY, ip=ip, port=port, error=error.strerror or error)) from None


def find_proxy(prefix: Path | None = None) -> Path:
    """The ``configurable-http-proxy`` of the venv (``<venv>/node/node_modules/.bin/``), checked runnable.

    ``prefix`` is the venv (default: this Python's ``sys.prefix``); ``$PATH`` is the fallback.
    """
    path = Path(prefix or sys.prefix) / PROXY_IN_VENV
    if not path.exists():
        on_path = shutil.which("configurable-http-proxy")
        if on_path is None:
            raise ClassroomError(both(NO_PROXY, path=path))
        path = Path(on_path)
    if shutil.which("node") is None:
        raise ClassroomError(both(NO_NODE))
    return path


def report_available(settings: RoomSettings) -> bool:
    """Whether the live class report runs with this classroom (on, and its module installed)."""
    return settings.report and importlib.util.find_spec(REPORT_MODULE) is not None


def report_service(settings: RoomSettings) -> dict[str, Any] | None:
    """The class report as a hub-managed service on a free 127.0.0.1 port; None if it is off or absent."""
    if not report_available(settings):
        return None
    return {
        "name": REPORT_SERVICE,
        "url": f"http://127.0.0.1:{free_port()}",
        "command": [sys.executable, "-m", REPORT_MODULE, "--logs", str(settings.room / "homes")],
        "cwd": str(settings.room),
        "oauth_no_confirm": True,  # the instructor's own report: no "authorize this service?" page
        "display": True,
    }


def _default_url(handler: Any) -> str:
    """Where a signed-in person lands: the instructor on the start page (admin, report), a participant in JupyterLab."""
    user = handler.current_user
    return f"{handler.hub.base_url}home" if user is not None and user.admin else ""


def _page_context(user: Any, room_urls: tuple[str, ...] = ()) -> dict[str, Any]:
    """The ``cvm`` of a page for a signed-in user: their language (English for anyone else)."""
    from cvmlib.classroom.pages import ENDONYMS, page_context

    spawner = getattr(user, "spawner", None)
    lang = getattr(spawner, "language", "en")
    name = getattr(spawner, "participant_name", getattr(user, "name", ""))
    context = page_context(lang, name=name, language=ENDONYMS.get(lang, lang))
    context["report_service"] = REPORT_SERVICE
    context["room_urls"] = room_urls
    return context


def configure(c: Any, settings: RoomSettings) -> None:
    """Set JupyterHub's configuration ``c`` for the classroom ``settings`` (see the module's description)."""
    from cvmlib.classroom.auth import ClassroomAuthenticator, account_name
    from cvmlib.classroom.spawner import ClassroomSpawner

    hub_dir = settings.room / "hub"
    hub_dir.mkdir(parents=True, exist_ok=True)
    (settings.room / "homes").mkdir(parents=True, exist_ok=True)
    instructor = account_name(settings.instructor_name)

    c.JupyterHub.bind_url = f"http://{f'[{settings.ip}]' if ':' in settings.ip else settings.ip}:{settings.port}/"
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{free_port()}"
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{free_port()}"
    c.ConfigurableHTTPProxy.command = [str(find_proxy())]
    c.ConfigurableHTTPProxy.pid_file = str(hub_dir / "proxy.pid")
    c.JupyterHub.pid_file = str(hub_dir / "jupyterhub.pid")
    c.JupyterHub.db_url = f"sqlite:///{hub_dir / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(hub_dir / "jupyterhub_cookie_secret")
    c.JupyterHub.cleanup_servers = True  # why: see the module's description
    c.JupyterHub.cleanup_proxy = True
    c.JupyterHub.logging_config = {
        "formatters": {"file": {"format": "[%(levelname)1.1s %(asctime)s %(name)s] %(message)s"}},
        "handlers": {"file": {"class": "logging.FileHandler", "formatter": "file", "level": "INFO",
                              "filename": str(hub_dir / "jupyterhub.log"), "encoding": "utf-8"}},
        "loggers": {"JupyterHub": {"handlers": ["console", "file"]},
                    "ClassroomHub": {"handlers": ["console", "file"]},
                    "cvmlib.classroom": {"level": "INFO", "handlers": ["console", "file"], "propagate": False}},
    }

    c.JupyterHub.authenticator_class = ClassroomAuthenticator
    c.ClassroomAuthenticator.room_password = settings.room_password
    c.ClassroomAuthenticator.instructor_password = settings.instructor_password
    c.ClassroomAuthenticator.instructor_name = settings.instructor_name
    c.Authenticator.admin_users = {instructor}
    c.Authenticator.allow_all = True  # whoever knows the room password is in: there is no list of names

    c.JupyterHub.spawner_class = ClassroomSpawner
    c.ClassroomSpawner.room_dir = str(settings.room)
    c.ClassroomSpawner.instructor_name = instructor
    c.Spawner.start_timeout = START_TIMEOUT
    c.Spawner.http_timeout = START_TIMEOUT
    c.JupyterHub.shutdown_on_logout = False  # signing out (or closing the browser) keeps the kernels
    c.JupyterHub.default_url = _default_url

    c.JupyterHub.template_paths = [str(TEMPLATES)]
    c.JupyterHub.template_vars = {"cvm": functools.partial(_page_context, room_urls=tuple(settings.urls))}

    service = report_service(settings)
    if service is not None:
        c.JupyterHub.services = [service]
        c.JupyterHub.load_roles = [{
            "name": "class-report-viewer",
            "description": "The instructor may open the live class report",
            "scopes": [f"access:services!service={REPORT_SERVICE}"],
            "users": [instructor],
        }]


def _hub_class() -> Any:
    """JupyterHub, saying once it is up which addresses participants type (and how long it took)."""
    from jupyterhub.app import JupyterHub

    from cvmlib.classroom.homes import LANGUAGES, room_at

    class ClassroomHub(JupyterHub):
        started = time.monotonic()
        settings: RoomSettings | None = None
        report_failed = False

        async def start_service(self, service_name: str, service: Any, ssl_context: Any = None) -> bool:
            """The class report failing to start does not stop the class (JupyterHub would hang on it)."""
            ready = bool(await super().start_service(service_name, service, ssl_context))
            if ready or service_name != REPORT_SERVICE:
                return ready
            type(self).report_failed = True
            service.display = False  # no link to it on the pages: the start page says it is not available
            try:
                await service.stop()  # no restarts every poll, no route to a dead port
            except Exception:  # already gone: nothing left to stop
                self.log.debug("class-report was not running", exc_info=True)
            return True

        async def start(self) -> None:
            settings = type(self).settings
            if settings is not None:
                # the workbooks of both languages before the doors open: the first participant does not wait
                room, loop = room_at(str(settings.room)), asyncio.get_running_loop()
                for lang in LANGUAGES:
                    try:
                        await loop.run_in_executor(None, room.workbooks, lang)
                    except Exception as error:  # said once here; each start then says it to its participant
                        self.log.error("%s", error)
            await super().start()
            if settings is None:
                return
            lines = [both(READY, seconds=time.monotonic() - type(self).started)]
            lines += [f"    {url}" for url in settings.urls]
            if settings.ip.startswith("127."):
                lines.append(both(LOCAL_ONLY))
            lines.append(both(INSTRUCTOR_LINE, name=settings.instructor_name))
            if type(self).report_failed:
                lines.append(both(REPORT_FAILED, log=settings.room / "hub" / "jupyterhub.log"))
            elif not settings.report:
                lines.append(both(REPORT_OFF))
            elif not report_available(settings):
                lines.append(both(NO_REPORT, module=REPORT_MODULE))
            lines.append(both(STOP_LINE, homes=settings.room / "homes"))
            print("\n".join(lines), flush=True)

    return ClassroomHub


def main(argv: list[str] | None = None) -> int:
    """``python -m cvmlib.classroom serve``: check everything, then run the hub until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m cvmlib.classroom",
                                     description="The CVM classroom: JupyterHub for a training room.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="start the classroom (ROOM_PASSWORD and INSTRUCTOR_PASSWORD "
                                              "must be set)")
    serve.add_argument("--ip", default=os.environ.get(ENV_IP) or DEFAULT_IP,
                       help="the address participants connect to: 127.0.0.1 (default, this computer only), "
                            "0.0.0.0 (every network) or the Wi-Fi address")
    serve.add_argument("--port", default=os.environ.get(ENV_PORT) or str(DEFAULT_PORT), help="default 8000")
    serve.add_argument("--room-dir", default=os.environ.get(ENV_ROOM_DIR) or DEFAULT_ROOM,
                       help="the room's state: hub/ and the participants' homes/ (default: room)")
    serve.add_argument("--no-report", action="store_true",
                       help="without the live class report (also CVM_CLASS_REPORT=off)")
    args = parser.parse_args(argv)
    os.environ.update({ENV_IP: str(args.ip), ENV_PORT: str(args.port), ENV_ROOM_DIR: str(args.room_dir)})
    if args.no_report:
        os.environ[ENV_REPORT] = "off"
    started = time.monotonic()
    try:
        settings = settings_from_env()
        find_proxy()
        check_listen(settings.ip, settings.port)
    except ClassroomError as error:
        print(error, file=sys.stderr)
        return 2
    print(both(STARTING, room=settings.room), flush=True)
    block_slow_imports()
    hub = _hub_class()
    hub.started, hub.settings = started, settings
    try:
        hub.launch_instance(["-f", str(Path(__file__).resolve())])
    except SystemExit as stop:
        if stop.code not in (None, 0):
            print(both(STOPPED, log=settings.room / "hub" / "jupyterhub.log"), file=sys.stderr)
            return stop.code if isinstance(stop.code, int) else 1
    return 0


if "get_config" in globals():  # JupyterHub reads this file as its configuration
    try:
        configure(globals()["get_config"](), settings_from_env())
    except ClassroomError as _error:
        raise SystemExit(str(_error)) from None
