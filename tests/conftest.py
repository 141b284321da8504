"""Shared fixtures: executing notebooks the way a participant's JupyterLab kernel would."""

from __future__ import annotations

import atexit
import importlib
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import matplotlib
import nbformat
import pytest
from nbclient import NotebookClient

from cvmlib.progress import reset_session

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# Checks run by the tests record progress (cvmlib.progress) in a temporary folder, never in .cvm/
# of the repo or of notebooks/. Set at import, before any kernel starts: the kernels of nbval and
# of execute_notebook inherit the environment of this process.
PROGRESS_ROOT = Path(tempfile.mkdtemp(prefix="cvm-test-progress-"))
os.environ["CVM_PROGRESS_DIR"] = str(PROGRESS_ROOT / "session")
os.environ.pop("CVM_PROGRESS", None)
atexit.register(shutil.rmtree, PROGRESS_ROOT, ignore_errors=True)
_progress_folders = itertools.count()


@pytest.fixture(autouse=True)
def progress_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets an empty progress log of its own, so attempt counts (and tiers) never leak between tests."""
    folder = PROGRESS_ROOT / f"test-{next(_progress_folders)}"
    monkeypatch.setenv("CVM_PROGRESS_DIR", str(folder))
    yield folder
    reset_session()  # counts kept in memory (log off or unwritable) must not reach the next test


def execute_notebook(nb: nbformat.NotebookNode, cwd: Path, allow_errors: bool = False) -> nbformat.NotebookNode:
    """Execute ``nb`` in a fresh python3 kernel with ``cwd`` as working directory."""
    env_backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "Agg"
    try:
        client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=allow_errors,
                                resources={"metadata": {"path": str(cwd)}})
        client.execute()
    finally:
        if env_backend is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = env_backend
    return nb


def output_text(cell: nbformat.NotebookNode) -> str:
    """All text a code cell showed (stream, plain-text results, errors)."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in {"execute_result", "display_data"}:
            parts.append(output.get("data", {}).get("text/plain", ""))
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
    return "\n".join(parts)


@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site folder with cvmlib installed from a freshly built wheel (built once per session).

    Run code against it with ``PYTHONPATH=<site>`` and a working directory outside the repo.
    """
    root = tmp_path_factory.mktemp("wheel")
    dist, site = root / "dist", root / "site"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)], cwd=ROOT,
                   check=True, capture_output=True)
    wheel = next(dist.glob("cvmlib-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    return site


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


#: The editions of the book (tools/build_book.py --lang ...), each in _build/html/<lang>/.
BOOK_LANGS = ("en", "zh")
BOOK_SITE = ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def built_books() -> dict[str, Path]:
    """Build both editions once per test session, every notebook executed, warnings are errors.

    ``tools/build_book.py`` (as ``make book`` does), the two editions side by side in two processes (each
    mostly waits on its own kernel), then the root page that lets a reader choose. Returns
    ``{"en": _build/html/en, "zh": _build/html/zh}``.
    """
    subprocess.run([sys.executable, "tools/vendor_assets.py", "--dest", "_build/vendor"], cwd=ROOT, check=True)
    # every page re-read and every notebook executed again (the script's default), so a rerun never
    # keeps stale outputs
    _build_editions("html")
    _cvm_book().write_language_chooser(BOOK_SITE)
    return {lang: BOOK_SITE / lang for lang in BOOK_LANGS}


def _build_editions(builder: str, *options: str, parallel: bool = True) -> dict[str, str]:
    """``tools/build_book.py --builder <builder>`` for both languages (side by side, or one after the other);
    fail with the build logs. Returns each language's log."""
    builds, logs, failed = {}, {}, []

    def finish(lang: str) -> None:
        process, log = builds[lang]
        status = process.wait()
        log.seek(0)
        logs[lang] = log.read()
        log.close()
        if status != 0:
            failed.append(f"--- {lang} {builder} (exit {status}):\n{logs[lang][-4000:]}")

    for lang in BOOK_LANGS:
        log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        command = [sys.executable, "tools/build_book.py", "--lang", lang, "--builder", builder, *options]
        builds[lang] = (subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True), log)
        if not parallel:
            finish(lang)
    if parallel:
        for lang in BOOK_LANGS:
            finish(lang)
    assert not failed, "book build failed:\n" + "\n".join(failed)
    return logs


def book_extension(name: str) -> ModuleType:
    """One of the book's Sphinx extensions (``book/_ext/<name>.py``), imported the way Jupyter Book loads it."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.pop(0)


def _cvm_book() -> ModuleType:
    return book_extension("cvm_book")


INSTRUCTOR_SITE = ROOT / "_build" / "html-instructor"


@pytest.fixture(scope="session")
def built_instructor_books(built_books: dict[str, Path]) -> dict[str, Path]:
    """The instructor editions (``_build/html-instructor/<lang>``), as ``make book-instructor`` builds them.

    They re-use the executed pages of the reader editions (same doctrees, ``--no-all``), so they cost a
    fraction of a build.
    """
    # one language after the other: both builders share the extension's catalogs and caches on disk
    logs = _build_editions("html-instructor", "--no-all", parallel=False)
    for lang, log in logs.items():
        assert "0 changed" in log, f"the {lang} instructor edition re-read the sources instead of reusing the doctrees"
    _cvm_book().write_language_chooser(INSTRUCTOR_SITE)
    return {lang: INSTRUCTOR_SITE / lang for lang in BOOK_LANGS}


@pytest.fixture(scope="session")
def built_instructor_book(built_instructor_books: dict[str, Path]) -> Path:
    """The English instructor edition (``_build/html-instructor/en``)."""
    return built_instructor_books["en"]


#: Tests that use a built book share one build: pytest-xdist (make test runs two workers) must send
#: them all to the same worker, or each worker would build both editions again.
BOOK_FIXTURES = {"built_books", "built_book", "built_book_zh", "built_instructor_books", "built_instructor_book"}


#: ``make test-full`` sets it: the tests marked ``full`` (long browser sessions) run only then.
FULL_RUN = os.environ.get("CVM_TEST_FULL") == "1"


@pytest.hookimpl(trylast=True)  # after xdist's own hook (see _join_xdist_group)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if not FULL_RUN and item.get_closest_marker("full"):
            item.add_marker(pytest.mark.skip(reason="a long check of make test-full (CVM_TEST_FULL=1)"))
        if BOOK_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("book"))
    if config.getoption("loadgroup", False):  # xdist sets it on its workers, where the ids are made
        for item in items:
            _join_xdist_group(item)


def _join_xdist_group(item: pytest.Item) -> None:
    """Put a test into its ``xdist_group``: ``--dist loadgroup`` sends the tests whose ids end in the same
    ``@<group>`` to one worker.

    pytest-xdist 3.8 writes that suffix into ``item._nodeid``, which pytest 9 no longer reads (the id is
    ``item._id``, a structured NodeId): its groups silently became one test each, both workers built the
    books, and one worker's fresh instructor build emptied the folder the other was writing. So the suffix
    is written here, through whichever attribute this pytest reads; a suffix already present is kept.
    """
    groups = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                     for mark in item.iter_markers("xdist_group")})
    if not groups or item.nodeid.rpartition("@")[2] == "_".join(groups):
        return
    grouped = f"{item.nodeid}@{'_'.join(groups)}"
    if hasattr(item, "_id"):
        item._id = type(item._id).parse(grouped)  # pytest >= 9
    else:
        item._nodeid = grouped


@pytest.fixture(scope="session")
def built_book(built_books: dict[str, Path]) -> Path:
    """The English edition (``_build/html/en``), built with the Chinese one."""
    return built_books["en"]


@pytest.fixture(scope="session")
def built_book_zh(built_books: dict[str, Path]) -> Path:
    """The Chinese edition (``_build/html/zh``), built with the English one."""
    return built_books["zh"]
