"""Slides of every chapter workbook in each language: reveal.js decks that present offline, with speaker notes.

``python tools/build_slides.py [--lang en zh] [--only rfm ...] [--out _build/slides] [--jobs 2]``

For each workbook of ``notebooks/`` and each language, the same steps as ``make workbooks`` derive the
instructor workbook (:func:`cvmlib.workbooks.localized_source`, :func:`cvmlib.workbooks.instructor_version`:
solutions kept, instructor notes as speaker notes); it is executed in a fresh kernel (``CVM_LANG`` set
to the language, the inline figure backend, checks logged to a throw-away progress folder so the
"Your progress" slide shows a real table), planned again by its real outputs
(:func:`cvmlib.slides.slideshow`) and exported (:func:`cvmlib.slides.export_deck`). The workbooks are
derived here from the sources rather than read from ``_build/workbooks/``, so a deck never shows an
older version of a chapter than its sources.

Written below ``--out``:

- ``<lang>/<workbook>.slides.html``: the deck (instructor material: each solution comes one key press
  after its prompt);
- ``<lang>/<workbook>.ipynb``: the executed, planned workbook the deck was made from (a test reads its
  plan; the instructor can open it in JupyterLab, outputs included);
- ``vendor/``: reveal.js with its notes plugin and theme, the Noto Sans SC web font and, if a deck has
  formulas, MathJax, copied from the book's vendored assets (``tools/vendor_assets.py``): the folder is
  self-contained, it can be copied to the presenting laptop as it is;
- ``index.html``: the decks per language, each language's part in that language.

The timings of each step are printed. Exit status 1 if a workbook failed (the others are still built), 2
for bad options.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import nbformat

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "zh")
DEFAULT_VENDOR = ROOT / "_build" / "vendor" / "cvm-vendor"
#: What a deck needs from the vendored assets (relative to cvm-vendor/), checked before any work.
REQUIRED = ("reveal.js/dist/reveal.js", "reveal.js/dist/reveal.css", "reveal.js/plugin/notes/notes.js",
            "fonts/noto-sans-sc/noto-sans-sc.css")
EXECUTION_TIMEOUT = 180  # seconds per cell: a workbook runs in under 10 s (benchmarks/time_workbooks.py)


@dataclass(frozen=True)
class Built:
    """One deck: where it went and how long each step took (seconds)."""

    lang: str
    name: str
    deck: Path
    derive: float
    execute: float
    export: float
    screens: int
    untranslated: int = 0
    in_notes: int = 0
    error: str = ""


def workbook_names(src: Path) -> list[str]:
    """The chapter workbooks of ``src``, by name without ``.ipynb``.

    >>> "rfm" in workbook_names(ROOT / "notebooks")
    True
    """
    return sorted(path.stem for path in Path(src).glob("*.ipynb"))


def check_vendor(vendor: Path, theme: str) -> list[str]:
    """The vendored files a deck needs that are missing below ``vendor`` (empty when ready).

    >>> check_vendor(Path("/nowhere"), "white")[0], check_vendor(Path("/nowhere"), "white")[-1]
    ('reveal.js/dist/reveal.js', 'reveal.js/dist/theme/white.css')
    """
    wanted = [*REQUIRED, f"reveal.js/dist/theme/{theme}.css"]
    return [name for name in wanted if not (vendor / name).is_file()]


def build_one(src: Path, out: Path, name: str, lang: str) -> Built:
    """Derive, execute, plan and export the deck of workbook ``name`` in ``lang``; never raises."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from cvmlib.i18n import language
    from cvmlib.slides import export_deck, slideshow, slides
    from cvmlib.workbooks import instructor_version, localized_source

    target = out / lang / f"{name}.slides.html"
    started = time.perf_counter()
    with language(lang):
        source, missing = localized_source(nbformat.read(src / f"{name}.ipynb", as_version=4), lang, f"{name}.ipynb")
        nb = instructor_version(source)
    derived = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cvm-slides-") as scratch:
        # the kernel inherits this environment: its language, inline figures, and a progress log in the
        # scratch folder it runs in (the relative name is what the "Your progress" slide then shows)
        env = {"CVM_LANG": lang, "CVM_PROGRESS_DIR": ".cvm"}
        with mock.patch.dict(os.environ, env):
            os.environ.pop("CVM_PROGRESS", None)
            os.environ.pop("MPLBACKEND", None)
            try:
                NotebookClient(nb, timeout=EXECUTION_TIMEOUT, kernel_name="python3",
                               resources={"metadata": {"path": scratch}}).execute()
            except CellExecutionError as error:
                # no deck rather than an outdated one: the index lists only what was built from these sources
                target.unlink(missing_ok=True)
                target.with_name(f"{name}.ipynb").unlink(missing_ok=True)
                return Built(lang, name, target, derived - started, time.perf_counter() - derived, 0.0, 0,
                             error=_failure(nb, error))
    executed = time.perf_counter()
    with language(lang):
        planned = slideshow(nb)  # planned again by the outputs it now has
        page = export_deck(planned, lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(planned, target.with_name(f"{name}.ipynb"))
    target.write_text(page, encoding="utf-8")
    return Built(lang, name, target, derived - started, executed - derived, time.perf_counter() - executed,
                 len(slides(planned)), len(missing), sum(block.instructor for block in missing))


def _failure(nb: nbformat.NotebookNode, error: Exception) -> str:
    """Which cell failed and how, in one line (without the terminal colours of the traceback)."""
    where = next((f"cell {i + 1} ({cell.source.strip().splitlines()[0][:50]!r})"
                  for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and cell.source.strip()
                  and any(output.output_type == "error" for output in cell.get("outputs", []))), "a cell")
    what = f"{getattr(error, 'ename', type(error).__name__)}: {getattr(error, 'evalue', error)}"
    return re.sub(r"\x1b\[[0-9;]*m", "", f"{where} failed: {what}")


def copy_assets(vendor: Path, out: Path, math: bool) -> float:
    """Copy the decks' assets to ``out/vendor/``; return the seconds it took."""
    from cvmlib.slides import ASSETS, FONT_CSS, MATHJAX, REVEAL

    started = time.perf_counter()
    target = out / ASSETS
    folders = [REVEAL, str(Path(FONT_CSS).parent)] + ([str(Path(MATHJAX).parent)] if math else [])
    for folder in folders:
        shutil.copytree(vendor / folder, target / folder, dirs_exist_ok=True)
    return time.perf_counter() - started


def write_index(out: Path, names: list[str]) -> Path:
    """Write ``out/index.html`` listing every deck built below ``out`` for the workbooks ``names``."""
    from cvmlib.slides import deck_of, index_page

    decks = []
    for lang in LANGS:
        for name in names:
            deck, planned = out / lang / f"{name}.slides.html", out / lang / f"{name}.ipynb"
            if deck.is_file() and planned.is_file():
                decks.append(deck_of(nbformat.read(planned, as_version=4), lang, name, f"{lang}/{deck.name}"))
    target = out / "index.html"
    target.write_text(index_page(decks), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT / "notebooks", help="the source workbooks")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "slides", help="default: _build/slides")
    parser.add_argument("--vendor", type=Path, default=DEFAULT_VENDOR,
                        help="the vendored assets (tools/vendor_assets.py; default: _build/vendor/cvm-vendor)")
    parser.add_argument("--lang", nargs="+", choices=LANGS, default=list(LANGS), help="default: en zh")
    parser.add_argument("--only", nargs="+", metavar="WORKBOOK",
                        help="only these workbooks (name with or without .ipynb, e.g. rfm)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="workbooks executed side by side (default: 2, or 1 on a one-core machine)")
    args = parser.parse_args(argv)

    from cvmlib.slides import RISE_SETTINGS, needs_math

    available = workbook_names(args.src)
    if not available:
        parser.error(f"no workbook (*.ipynb) in --src {args.src}")
    names = available
    if args.only:
        wanted = [name.removesuffix(".ipynb") for name in args.only]
        unknown = [name for name in wanted if name not in available]
        if unknown:
            parser.error(f"--only: no workbook named {', '.join(map(repr, unknown))} in {args.src} "
                         f"(there are: {', '.join(available)})")
        names = list(dict.fromkeys(wanted))
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, not {args.jobs}")
    missing = check_vendor(args.vendor, str(RISE_SETTINGS["theme"]))
    if missing:
        print(f"error: the slides' assets are not vendored in {args.vendor}: missing {', '.join(missing)}.\n"
              f"Run `make vendor` (or: {sys.executable} tools/vendor_assets.py --dest {args.vendor.parent}).",
              file=sys.stderr)
        return 2

    started = time.perf_counter()
    jobs = [(name, lang) for lang in dict.fromkeys(args.lang) for name in names]
    print(f"slides: {len(jobs)} deck(s) -> {args.out} ({args.jobs} at a time)")
    if args.jobs == 1 or len(jobs) == 1:
        results = [build_one(args.src, args.out, name, lang) for name, lang in jobs]
    else:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(build_one, *zip(*[(args.src, args.out, n, lang) for n, lang in jobs])))
    for built in results:
        if built.error:
            print(f"  FAILED {built.lang}/{built.name}: {built.error}")
        else:
            print(f"  {built.lang}/{built.name + '.slides.html':38s} {built.screens:3d} slides | derive {built.derive:5.2f} s"
                  f" | execute {built.execute:5.2f} s | export {built.export:5.2f} s")
            if built.untranslated:
                print(f"    warning: {built.untranslated} Markdown block(s) have no {built.lang} translation yet and stay "
                      f"English ({built.in_notes} in speaker notes); `python -m cvmlib.workbooks --lang {built.lang}` "
                      "lists them")
    math = any(needs_math(nbformat.read(built.deck.with_name(f"{built.name}.ipynb"), as_version=4))
               for built in results if not built.error)
    assets = copy_assets(args.vendor, args.out, math)
    index = write_index(args.out, available)
    failed = [built for built in results if built.error]
    total = time.perf_counter() - started
    print(f"assets copied in {assets:.2f} s{' (MathJax included: a deck has formulas)' if math else ''}; "
          f"index: {index}")
    print(f"total {total:.1f} s (execution {sum(b.execute for b in results):.1f} s, export "
          f"{sum(b.export for b in results):.1f} s, summed over decks)")
    if failed:
        print(f"{len(failed)} deck(s) failed: {', '.join(f'{b.lang}/{b.name}' for b in failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
