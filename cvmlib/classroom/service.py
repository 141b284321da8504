"""The live class report: a small tornado server that keeps the instructor's report up to date.

The page is :func:`cvmlib.classroom.report.render_html` with ``live=True``: a settings bar (English or
Chinese, ranking on or off, a download of the HTML export) and a few lines of inline script that
re-fetch the report's content every :data:`~cvmlib.classroom.report.REFRESH_SECONDS` seconds (without
script, the page reloads itself every 30 seconds). Reading the class again is cheap: a log is parsed
again only when its size or modification time changed (:class:`~cvmlib.classroom.report.LogCache`),
and the content is rendered again only when a log changed or the minute turned.

Routes, relative to the service's prefix (``/`` when it runs on its own)::

    ./             the live page            ?lang=en|zh  &rank=0|1
    ./fragment     the report's content (what the page re-fetches; header X-CVM-Fragment: 1)
    ./report.html  the HTML export of the same view, as a download

Two ways to run it
------------------
**On its own** (a room without the server, or the instructor's own machine)::

    python -m cvmlib.classroom.service --logs room/homes --ip 127.0.0.1 --port 8100

No sign-in: it binds to 127.0.0.1 (this machine only) unless told otherwise, and says so when it is
told to listen on another address. ``--port 0`` takes any free port; the address is printed.

**Under JupyterHub**, as the managed service ``class-report`` (:mod:`cvmlib.classroom.hub` registers
it). The hub starts it with ``JUPYTERHUB_SERVICE_PREFIX``, ``JUPYTERHUB_SERVICE_URL``,
``JUPYTERHUB_API_TOKEN`` and the OAuth settings in the environment; the service then listens where the
hub says, under its prefix, and every request needs a hub sign-in (OAuth through
:class:`jupyterhub.services.auth.HubOAuthenticated`, callback at ``<prefix>oauth_callback``). Only users
the hub grants access to the service may read it: admin users (the instructor), or users given the
scope ``access:services!service=class-report``; a participant signed in to the hub gets 403.

Examples
--------
>>> app = make_app("room/homes", prefix="/services/class-report/")
>>> [rule.matcher.regex.pattern for rule in app.wildcard_router.rules][:2]
['/services/class-report/$', '/services/class-report/fragment$']
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.web

from cvmlib.classroom.report import (
    EXPORT_PATH,
    FRAGMENT_PATH,
    ClassLogs,
    LogCache,
    ReportInputError,
    load_class,
    port_argument,
    render_fragment,
    render_html,
)
from cvmlib.i18n import _, get_language, language

__all__ = ["DEFAULT_PORT", "ReportState", "hub_settings", "main", "make_app", "serve"]

#: The port of the live report when it runs on its own (the classroom's hub uses 8000).
DEFAULT_PORT = 8100
#: The same rules for every answer: nothing may be loaded from anywhere but this page itself.
CONTENT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; font-src data:; "
                  "img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@dataclass
class ReportState:
    """The class as last read, and the content last rendered, shared by the handlers of one server."""

    logs: Path
    lang: str | None = None
    rank: bool = False
    cache: LogCache = field(default_factory=LogCache)
    rendered: dict[tuple[Any, ...], str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self) -> tuple[ClassLogs, tuple[Any, ...]]:
        """The class now, and a key that changes whenever a log or a name changed."""
        with self.lock:
            logs = load_class(self.logs, cache=self.cache, require_logs=False)
            stamp = tuple((p.key, p.name, p.files) for p in logs.participants) + (self.cache.reads,)
            return logs, stamp

    def fragment(self, lang: str, rank: bool) -> str:
        """The report's content, rendered again only when the class changed or the minute turned."""
        logs, stamp = self.read()
        key = (stamp, lang, rank, int(time.time() // 60))
        if key not in self.rendered:
            self.rendered.clear()  # one class, two languages, two orders: a handful of entries at most
            self.rendered[key] = render_fragment(logs, lang=lang, rank=rank)
        return self.rendered[key]


class ReportHandler(tornado.web.RequestHandler):
    """What every page of the live report shares: its settings from the query, safe headers, errors in words."""

    state: ReportState

    def initialize(self, state: ReportState) -> None:
        self.state = state

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", CONTENT_POLICY)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-store")

    def view(self) -> tuple[str, bool]:
        """The language and ranking asked for (``?lang=zh&rank=1``), else the server's defaults."""
        lang = self.get_query_argument("lang", None) or self.state.lang or get_language()
        rank = self.get_query_argument("rank", None)
        return ("zh" if lang == "zh" else "en"), (self.state.rank if rank is None else rank == "1")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        lang, _rank = self.view() if self.request is not None else ("en", False)
        error = kwargs.get("exc_info", (None, None, None))[1]
        with language(lang):
            if isinstance(error, ReportInputError):
                text = _("The class report cannot read the logs: {error}").format(error=error)
            elif status_code == 403:
                text = _("Only the instructor (a hub admin, or a user given access to this service) can read the "
                         "class report.")
            else:
                text = _("The class report failed ({status}). Reload the page; if it keeps failing, look at the "
                         "terminal where the report runs.").format(status=status_code)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(text + "\n")

    def page(self) -> None:
        lang, rank = self.view()
        logs, _stamp = self.state.read()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(render_html(logs, lang=lang, rank=rank, live=True))

    def content(self) -> None:
        lang, rank = self.view()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("X-CVM-Fragment", "1")
        self.finish(self.state.fragment(lang, rank))

    def export(self) -> None:
        lang, rank = self.view()
        logs, _stamp = self.state.read()
        stamp = datetime.now(timezone.utc).astimezone().strftime("%Y%m%d-%H%M")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="class-report-{lang}-{stamp}.html"')
        self.finish(render_html(logs, lang=lang, rank=rank))


class PageHandler(ReportHandler):
    """The live page."""

    def get(self) -> None:
        self.page()


class FragmentHandler(ReportHandler):
    """The content the live page re-fetches."""

    def get(self) -> None:
        self.content()


class ExportHandler(ReportHandler):
    """The HTML export, as a download."""

    def get(self) -> None:
        self.export()


def _hub_handlers() -> tuple[type[ReportHandler], type[ReportHandler], type[ReportHandler],
                             type[tornado.web.RequestHandler]]:
    """The same handlers behind the hub's sign-in, and the OAuth callback (imported only under the hub)."""
    from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated

    class SignedIn(HubOAuthenticated, ReportHandler):
        """Signed in to the hub with access to this service, else to the hub's sign-in (a page) or 403."""

        #: A background fetch gets 403, not a sign-in page: the live page then says it is not live.
        sign_in_page = True

        def prepare(self) -> None:
            if self.current_user is None:
                if not self.sign_in_page:
                    raise tornado.web.HTTPError(403)
                # a user the hub knows but without access: HubAuthenticated turns this redirect into a 403
                self.redirect(self.get_login_url())

    class HubPage(SignedIn, PageHandler):
        pass

    class HubFragment(SignedIn, FragmentHandler):
        sign_in_page = False

    class HubExport(SignedIn, ExportHandler):
        pass

    return HubPage, HubFragment, HubExport, HubOAuthCallbackHandler


def hub_settings(environ: dict[str, str] | None = None) -> tuple[str, str] | None:
    """The service's prefix and URL when JupyterHub runs it (its environment says so), else None.

    >>> hub_settings({"JUPYTERHUB_SERVICE_PREFIX": "/services/class-report/", "JUPYTERHUB_API_TOKEN": "t",
    ...               "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:8101"})
    ('/services/class-report/', 'http://127.0.0.1:8101')
    >>> hub_settings({}) is None
    True
    """
    env = os.environ if environ is None else environ
    prefix, token = env.get("JUPYTERHUB_SERVICE_PREFIX", ""), env.get("JUPYTERHUB_API_TOKEN", "")
    if not prefix or not token:
        return None
    return (prefix if prefix.endswith("/") else prefix + "/"), env.get("JUPYTERHUB_SERVICE_URL", "")


def make_app(logs: str | os.PathLike[str], *, prefix: str = "/", hub: bool = False, lang: str | None = None,
             rank: bool = False) -> tornado.web.Application:
    """The tornado application of the live report.

    Parameters
    ----------
    logs : path-like
        The class's logs (:func:`cvmlib.classroom.report.load_class`).
    prefix : str
        The path the report lives under (``/services/class-report/`` under the hub).
    hub : bool
        Require a JupyterHub sign-in with access to this service (needs the hub's environment).
    lang, rank
        The view shown when the address does not choose one.
    """
    state = ReportState(Path(logs).expanduser(), lang=lang, rank=rank)
    page: type[ReportHandler] = PageHandler
    fragment: type[ReportHandler] = FragmentHandler
    export: type[ReportHandler] = ExportHandler
    routes: list[Any] = []
    if hub:
        page, fragment, export, callback = _hub_handlers()
        routes.append((prefix + "oauth_callback", callback))
    quoted = prefix.replace(".", r"\.")  # routes are regular expressions
    routes += [(quoted, page, {"state": state}), (quoted + FRAGMENT_PATH, fragment, {"state": state}),
               (quoted + EXPORT_PATH.replace(".", r"\."), export, {"state": state})]
    if prefix != "/":  # the prefix without its slash: the page's relative addresses need it
        routes.append((quoted.rstrip("/"), tornado.web.RedirectHandler, {"url": prefix}))
    # the cookie secret signs the hub's OAuth cookies; a new one at each start means signing in again
    return tornado.web.Application(routes, cookie_secret=os.urandom(32))


def _loopback(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return ip == "localhost"


def serve(logs: str | os.PathLike[str], *, ip: str | None = None, port: int | None = None, lang: str | None = None,
          rank: bool = False) -> int:
    """Serve the live report until interrupted; returns the exit status (2 for bad input, with a message).

    Under JupyterHub (see :func:`hub_settings`) it signs users in through the hub and listens where the
    hub says, unless ``ip``/``port`` are given; on its own it listens on ``ip`` (default 127.0.0.1) and
    ``port`` (default :data:`DEFAULT_PORT`; 0 takes a free one).
    """
    with language(lang or get_language()):
        try:
            # a missing folder is said now, not at the first page; and the first page is then quick (the
            # exercises' texts are loaded and the Chinese glyphs cut once, before anyone waits for them)
            render_html(load_class(logs, require_logs=False), lang=lang or get_language(), rank=rank, live=True)
        except ReportInputError as error:
            print(_("Live class report: {error}").format(error=error), file=sys.stderr)
            return 2
        hub = hub_settings()
        prefix = "/"
        if hub is not None:
            prefix, url = hub
            where = urlparse(url) if url else None
            ip = ip or (where.hostname if where is not None and where.hostname else "127.0.0.1")
            port = port if port is not None else (where.port if where is not None and where.port else DEFAULT_PORT)
        ip = ip or "127.0.0.1"
        port = DEFAULT_PORT if port is None else port
        app = make_app(logs, prefix=prefix, hub=hub is not None, lang=lang, rank=rank)
        server = tornado.httpserver.HTTPServer(app)
        try:
            sockets = tornado.netutil.bind_sockets(port, ip)
        except OSError as error:
            print(_("Live class report: cannot listen on {ip}:{port} ({error}).").format(ip=ip, port=port, error=error),
                  file=sys.stderr)
            return 2
        server.add_sockets(sockets)
        bound = sockets[0].getsockname()[1]
        host = f"[{ip}]" if ":" in ip else ip
        print(_("Live class report of {logs}: http://{host}:{port}{prefix} (Ctrl+C stops it)").format(
            logs=logs, host=host, port=bound, prefix=prefix), flush=True)
        if hub is None and not _loopback(ip):
            print(_("Warning: without the classroom server there is no sign-in; anyone who can reach {ip}:{port} can "
                    "read the report.").format(ip=ip, port=bound), file=sys.stderr, flush=True)
        try:
            tornado.ioloop.IOLoop.current().start()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m cvmlib.classroom.service --logs PATH [--ip 127.0.0.1] [--port 8100] [--lang zh] [--rank]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    chosen = next((args[i + 1] for i, a in enumerate(args[:-1]) if a == "--lang"), None)
    with language(chosen if chosen in ("en", "zh") else get_language()):
        cli = argparse.ArgumentParser(prog="python -m cvmlib.classroom.service",
                                      description=_("The live class report, refreshed while the class works."))
        cli.add_argument("--logs", required=True, type=Path,
                         help=_("the classroom's homes folder (room/homes) or a folder of collected logs"))
        cli.add_argument("--ip", help=_("address to listen on (default: 127.0.0.1, this machine only)"))
        cli.add_argument("--port", type=port_argument, help=_("port (default: 8100; 0 takes any free port)"))
        cli.add_argument("--lang", choices=["en", "zh"], help=_("language of the report (default: CVM_LANG, else English)"))
        cli.add_argument("--rank", action="store_true", help=_("rank participants by exercises solved (default: name order)"))
        options = cli.parse_args(args)
    return serve(options.logs, ip=options.ip, port=options.port, lang=options.lang, rank=options.rank)


if __name__ == "__main__":
    sys.exit(main())
