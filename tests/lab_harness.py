"""A real JupyterLab for browser tests: a private server on 127.0.0.1, driven by headless Chromium.

Used by ``tests/test_lab_browser.py`` (the explorers in notebook view) and ``tests/test_slides.py``
(RISE slides). The server runs in a temporary folder with its own settings, workspaces and runtime
directory, so a test never sees (or changes) the user's JupyterLab state; every request the page
makes is recorded, and everything not addressed to the server is refused.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
NO_CHROMIUM = "Debian chromium not installed (apt-get install chromium; .ci/run installs it)"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")

# Settings a classroom machine would want too: no news or update checks (requests to other hosts),
# and the notebook's own kernel started without a "Select Kernel" dialog.
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"autoStartDefaultKernel": True},
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LabServer:
    """A running ``jupyter lab`` serving ``root``; ``url(path)`` gives an address with the token."""

    root: Path
    port: int
    token: str
    process: subprocess.Popen[bytes]
    log: Path
    requests: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}?token={self.token}"

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


@contextlib.contextmanager
def lab_server(root: Path, timeout: float = 40.0) -> Iterator[LabServer]:
    """Start JupyterLab on a free 127.0.0.1 port with a random token; stop it (and its kernels) after."""
    state = Path(tempfile.mkdtemp(prefix="cvm-lab-state-"))
    for name, value in SETTINGS.items():
        target = state / "settings" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(state / "runtime"), JUPYTER_CONFIG_DIR=str(state / "config"),
               CVM_PROGRESS_DIR=str(state / "progress"), PYTHONUNBUFFERED="1")
    env.pop("MPLBACKEND", None)  # the kernel must use the inline backend, as a participant's does
    lab = Path(sys.executable).with_name("jupyter-lab")
    command = [str(lab), "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--LabApp.expose_app_in_browser=True", f"--LabApp.user_settings_dir={state / 'settings'}",
               f"--LabApp.workspaces_dir={state / 'workspaces'}", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI and containers run as root
    log = state / "server.log"
    with open(log, "wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    server = LabServer(root, port, token, process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(server.url("api/status"), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"jupyter lab did not start:\n{server.log_tail()}") from None
                time.sleep(0.25)
        yield server
    finally:
        # the server's own process group: the server and the kernels it started, nothing else
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        shutil.rmtree(state, ignore_errors=True)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Headless Debian chromium through the playwright package."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: object, server: LabServer, width: int = 1280, height: int = 900) -> object:
    """A page that records every request in ``server.requests`` and refuses those to other hosts."""
    page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]

    def route(request_route: object) -> None:
        url = request_route.request.url  # type: ignore[attr-defined]
        server.requests.append(url)
        if url.startswith(LOCAL):
            request_route.continue_()  # type: ignore[attr-defined]
        else:
            request_route.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.on("websocket", lambda ws: server.requests.append(ws.url))
    return page


KERNEL_IDLE = """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
    return !!k && k.status === 'idle' && !w.sessionContext.pendingInput; }"""


def open_notebook(page: object, server: LabServer, name: str, timeout_ms: int = 40000) -> None:
    """Open ``name`` in JupyterLab and wait until its kernel is idle."""
    page.goto(server.url(f"lab/tree/{name}"))  # type: ignore[attr-defined]
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)  # type: ignore[attr-defined]


def run_all_cells(page: object, timeout_ms: int = 60000) -> None:
    """Run every cell and wait until the kernel has answered all of them."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        """() => { const w = window.jupyterapp.shell.currentWidget;
                   return [...w.content.widgets].every(c => c.model.type !== 'code' ||
                       (c.model.executionCount !== null && !c.node.querySelector('.jp-mod-running')))
                       && w.sessionContext.session.kernel.status === 'idle'; }""", timeout=timeout_ms)


def png_spread(png: bytes) -> float:
    """Standard deviation of the grey levels of a PNG: about 0 for a blank (all white) picture."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)
    return float(grey.std())


def data_uri_png(src: str) -> bytes:
    """The PNG bytes of a ``data:image/png;base64,...`` address (what an ``img`` shows)."""
    if not src.startswith("data:image/png;base64,"):
        raise ValueError(f"not an inline PNG: {src[:40]!r}")
    return base64.b64decode(src.split(",", 1)[1])
