"""A participant's browser without the browser: sign in, start the workspace, run a workbook's cells.

What a participant's browser does in the classroom, done over HTTP with :mod:`requests` and the
kernel's websocket (:mod:`websocket`, the client jupyter_server itself depends on), so that the
tests (``tests/test_classroom.py``) and the load benchmark (``benchmarks/bench_classroom.py``) drive a
real hub the way a room does: the sign-in form with its ``_xsrf`` token, the hub's redirects and
OAuth hand-over to the participant's JupyterLab, the Jupyter server's REST API (sessions,
contents) and the kernel protocol (``execute_request`` on the shell channel, outputs on iopub).

Examples
--------
>>> Participant("http://127.0.0.1:8000", "张伟", "pw").server_url("api/status")
'http://127.0.0.1:8000/user/%E5%BC%A0%E4%BC%9F/api/status'
>>> first_check_cells([{"cell_type": "code", "source": "x = 1"}, {"cell_type": "markdown", "source": "?"},
...                    {"cell_type": "code", "source": 'check("a.b", x)'}, {"cell_type": "code", "source": "y"}])
[0, 2]
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import requests

from cvmlib.classroom.auth import account_name

_CHECK = re.compile(r"^\s*check\(", re.M)
_LOGIN_ERROR = re.compile(r'<p class="login_error[^"]*"[^>]*>(.*?)</p>', re.S)


class ClientError(RuntimeError):
    """Something a participant's browser would show as broken (the message says what and where)."""


class SignInRefused(ClientError):
    """The sign-in page refused; ``status`` is the HTTP status and ``message`` the page's error text."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"sign-in refused ({status}): {message}")
        self.status, self.message = status, message


@dataclass
class CellRun:
    """One executed cell: its source, the text it showed, and its error if it raised."""

    source: str
    text: str = ""
    error: str | None = None
    seconds: float = 0.0


@dataclass
class Participant:
    """One participant's browser session in a classroom at ``base`` (``http://host:port``).

    Attributes
    ----------
    base : str
        The classroom's address, as participants type it.
    name : str
        The name typed on the sign-in page.
    password : str
        The room password (or the instructor's, for the instructor).
    lang : str
        The language chosen on the sign-in page for the workbooks.
    """

    base: str
    name: str
    password: str
    lang: str = "en"
    timeout: float = 180.0
    session: requests.Session = field(default_factory=requests.Session, repr=False)

    def __post_init__(self) -> None:
        self.base = self.base.rstrip("/")
        self.account = account_name(self.name)

    # -- the hub --------------------------------------------------------------------------------

    def hub_url(self, path: str = "") -> str:
        """The address of a hub page (``login``, ``home``, ``api/...``)."""
        return f"{self.base}/hub/{path.lstrip('/')}"

    def server_url(self, path: str = "") -> str:
        """The address of a path on this participant's own server (``lab``, ``api/...``)."""
        return f"{self.base}/user/{quote(self.account, safe='')}/{path.lstrip('/')}"

    def sign_in(self, page_lang: str | None = None) -> requests.Response:
        """Fill in and send the sign-in form; the hub's redirect (not followed), or :class:`SignInRefused`."""
        page = self.session.get(self.hub_url("login"), params={"lang": page_lang or self.lang}, timeout=self.timeout)
        page.raise_for_status()
        xsrf = self._cookie("_xsrf", "/hub/")
        form = {"_xsrf": xsrf or "", "username": self.name, "password": self.password, "lang": self.lang,
                "page_lang": page_lang or self.lang}
        answer = self.session.post(self.hub_url("login"), data=form, allow_redirects=False, timeout=self.timeout)
        if answer.status_code not in (301, 302, 303):
            text = answer.content.decode("utf-8", errors="replace")  # the page says <meta charset="utf-8">
            found = _LOGIN_ERROR.search(text)
            raise SignInRefused(answer.status_code, html.unescape(found.group(1).strip()) if found else text[:200])
        return answer

    def get(self, url: str, **options: Any) -> requests.Response:
        """A GET as the browser does it (cookies of this session, redirects followed)."""
        return self.session.get(url, timeout=self.timeout, **options)

    def start_server(self) -> float:
        """Start the workspace as the browser does after sign-in; seconds until it answers."""
        start = time.monotonic()
        self.get(self.hub_url("spawn"))  # starts it, then shows the waiting page (or the server, if quick)
        with self.get(self.hub_url(f"api/users/{quote(self.account, safe='')}/server/progress"), stream=True,
                      headers={"Accept": "text/event-stream"}) as events:
            if events.status_code == 200:
                for raw in events.iter_lines():
                    line = raw.decode("utf-8", errors="replace")
                    if not line.startswith("data:"):
                        continue
                    event = json.loads(line[5:])
                    if event.get("failed"):
                        raise ClientError(f"{self.name}: the workspace did not start: {event.get('message')}")
                    if event.get("ready"):
                        break
        lab = self.get(self.server_url("lab"))
        if lab.status_code != 200 or "/lab" not in lab.url:
            raise ClientError(f"{self.name}: JupyterLab did not open ({lab.status_code} at {lab.url})")
        return time.monotonic() - start

    def hub_api(self, method: str, path: str, **options: Any) -> requests.Response:
        """A request to the hub's REST API with this browser's cookie (and the ``_xsrf`` token the hub's pages use)."""
        if self._cookie("_xsrf", "/hub/") is None or method.upper() != "GET":
            self.get(self.hub_url("home"))  # a hub page sets the _xsrf cookie of the signed-in user
        return self._api_request(method, self.hub_url(f"api/{path.lstrip('/')}"), "/hub/", f"hub/api/{path}", options)

    def stop_server(self) -> None:
        """Stop this participant's workspace (the start page's "Stop my workspace"), waiting until it has stopped."""
        self.hub_api("DELETE", f"users/{quote(self.account, safe='')}/server")
        deadline = time.monotonic() + self.timeout
        while self.hub_api("GET", f"users/{quote(self.account, safe='')}").json().get("servers"):
            if time.monotonic() > deadline:
                raise ClientError(f"{self.name}: the workspace did not stop")
            time.sleep(0.2)

    # -- the participant's server -----------------------------------------------------------------

    def api(self, method: str, path: str, **options: Any) -> requests.Response:
        """A request to the participant's Jupyter server API, with the ``_xsrf`` header JupyterLab sends."""
        return self._api_request(method, self.server_url(f"api/{path.lstrip('/')}"),
                                 f"/user/{quote(self.account, safe='')}/", f"api/{path}", options)

    def _api_request(self, method: str, url: str, cookie_path: str, shown: str,
                     options: dict[str, Any]) -> requests.Response:
        """``method url`` with the ``_xsrf`` token of ``cookie_path`` as header; an error status raises."""
        headers = dict(options.pop("headers", {}))
        xsrf = self._cookie("_xsrf", cookie_path)
        if xsrf:
            headers["X-XSRFToken"] = xsrf
        answer = self.session.request(method, url, headers=headers, timeout=self.timeout, **options)
        if answer.status_code >= 400:
            raise ClientError(f"{self.name}: {method} {shown}: {answer.status_code} {answer.text[:200]}")
        return answer

    def notebook(self, path: str) -> dict[str, Any]:
        """The notebook at ``path`` (relative to the home), as the server has it."""
        return dict(self.api("GET", f"contents/{quote(path)}", params={"type": "notebook"}).json()["content"])

    def save_file(self, path: str, text: str) -> None:
        """Save a text file in the home, as JupyterLab's editor does."""
        self.api("PUT", f"contents/{quote(path)}", json={"type": "file", "format": "text", "content": text})

    def read_file(self, path: str) -> str:
        """A text file of the home."""
        return str(self.api("GET", f"contents/{quote(path)}", params={"type": "file", "format": "text"})
                   .json()["content"])

    def open_kernel(self, path: str) -> Kernel:
        """Open ``path`` with a new kernel session, as JupyterLab does when a notebook is opened."""
        body = {"path": path, "name": path, "type": "notebook", "kernel": {"name": "python3"}}
        session = self.api("POST", "sessions", json=body).json()
        return Kernel(self, session["id"], session["kernel"]["id"])

    def _cookie(self, name: str, path: str) -> str | None:
        for cookie in self.session.cookies:
            if cookie.name == name and path.startswith(cookie.path.rstrip("/") + "/"):
                return cookie.value
        return None


class Kernel:
    """A kernel of a participant's server, spoken to over its websocket (JSON frames, protocol 5.3)."""

    def __init__(self, participant: Participant, session_id: str, kernel_id: str) -> None:
        import websocket

        self.participant, self.session_id, self.kernel_id = participant, session_id, kernel_id
        cookies = "; ".join(f"{c.name}={c.value}" for c in participant.session.cookies)
        xsrf = participant._cookie("_xsrf", f"/user/{quote(participant.account, safe='')}/")
        url = participant.server_url(f"api/kernels/{kernel_id}/channels").replace("http", "ws", 1)
        url += "?" + urlencode({"session_id": session_id, **({"_xsrf": xsrf} if xsrf else {})})
        self.socket = websocket.create_connection(url, cookie=cookies, timeout=participant.timeout)

    def execute(self, code: str) -> CellRun:
        """Run ``code`` like a cell: the text of its outputs, and its error, once the kernel is idle again."""
        msg_id = uuid.uuid4().hex
        start = time.monotonic()
        self.socket.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.participant.account,
                       "session": self.session_id, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        run = CellRun(code)
        parts: list[str] = []
        while True:
            message = json.loads(self.socket.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["header"]["msg_type"], message.get("content", {})
            if kind == "stream":
                parts.append(content.get("text", ""))
            elif kind in ("execute_result", "display_data"):
                parts.append(content.get("data", {}).get("text/plain", ""))
            elif kind == "error":
                run.error = f"{content.get('ename')}: {content.get('evalue')}"
            elif kind == "status" and content.get("execution_state") == "idle":
                break
        run.text, run.seconds = "\n".join(parts), time.monotonic() - start
        return run

    def close(self) -> None:
        """Close the websocket and shut the kernel session down."""
        self.socket.close()
        self.participant.api("DELETE", f"sessions/{self.session_id}")


def first_check_cells(cells: Sequence[Mapping[str, Any]]) -> list[int]:
    """Positions of the code cells from the top up to and including the first check cell."""
    chosen = []
    for position, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        chosen.append(position)
        source = cell.get("source", "")
        if _CHECK.search("".join(source) if isinstance(source, list) else source):
            break
    return chosen


@dataclass
class RunningClassroom:
    """A classroom server started by :func:`classroom_server`: its address, room, process and log.

    Attributes
    ----------
    base : str
        ``http://127.0.0.1:<port>``, the address participants type.
    room : Path
        The room folder.
    process : subprocess.Popen
        ``python -m cvmlib.classroom serve`` (its own process group: the hub, the proxy, the servers).
    log : Path
        Everything the hub printed.
    startup_seconds : float
        From the command to the sign-in page answering.
    """

    base: str
    room: Path
    process: subprocess.Popen[bytes]
    log: Path
    startup_seconds: float = 0.0

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the hub's output (for a failure message)."""
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the hub as Ctrl-C does (it stops every server and the proxy); kill what is left if it hangs.

        The proxy and the participants' servers run in sessions of their own (JupyterHub starts them so),
        so a hub that had to be killed leaves them behind: they are found by the proxy's pid file and by
        working directory (inside this room) and stopped too.
        """
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        for pid in self.leftovers():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)

    def leftovers(self) -> list[int]:
        """Processes of this classroom still running: its proxy, the report, servers and kernels working in its room."""
        found = []
        try:
            proxy = int((self.room / "hub" / "proxy.pid").read_text().strip())
            if b"configurable-http-proxy" in Path(f"/proc/{proxy}/cmdline").read_bytes():
                found.append(proxy)
        except (OSError, ValueError):
            pass
        room = str(self.room.resolve())
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and int(entry.name) != os.getpid():
                with contextlib.suppress(OSError):
                    cwd = os.readlink(entry / "cwd")
                    if cwd == room or cwd.startswith(room + os.sep):  # the class report works in the room
                        found.append(int(entry.name))
        return found


def start_classroom(room: Path, port: int, room_password: str, instructor_password: str,
                    timeout: float = 120.0, log: Path | None = None, report: bool = True) -> RunningClassroom:
    """Start ``python -m cvmlib.classroom serve`` on 127.0.0.1:``port`` for ``room``; return once it answers.

    ``report=False`` starts it without the live class report (``--no-report``).
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CVM_", "JUPYTER"))}
    env.update(ROOM_PASSWORD=room_password, INSTRUCTOR_PASSWORD=instructor_password, PYTHONUNBUFFERED="1")
    log = log or Path(room) / "serve.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "cvmlib.classroom", "serve", "--ip", "127.0.0.1", "--port", str(port),
               "--room-dir", str(room), *([] if report else ["--no-report"])]
    start = time.monotonic()
    with open(log, "ab") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    running = RunningClassroom(f"http://127.0.0.1:{port}", Path(room), process, log)
    while True:
        try:
            if requests.get(f"{running.base}/hub/login", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() - start > timeout:
            running.stop()
            raise ClientError(f"the classroom did not start:\n{running.log_tail()}")
        time.sleep(0.2)
    running.startup_seconds = time.monotonic() - start
    return running


@contextlib.contextmanager
def classroom_server(room: Path, port: int, room_password: str, instructor_password: str,
                     timeout: float = 120.0) -> Iterator[RunningClassroom]:
    """:func:`start_classroom`, stopped (with everything it started) when the block ends."""
    running = start_classroom(room, port, room_password, instructor_password, timeout)
    try:
        yield running
    finally:
        running.stop()
