"""Build one edition of the book: ``python tools/build_book.py --lang zh --builder html``.

Both editions come from the same sources and the same ``_config.yml``: this script calls Jupyter Book 1's
own Sphinx entry point (``jupyter_book.sphinx.build_sphinx``, as ``jupyter-book build`` does) with the
language and the output folders overridden. The zh edition reads its translations from the Sphinx gettext
catalogs in ``locales/zh_CN/LC_MESSAGES/`` and is executed with ``CVM_LANG=zh``, so that figures, tables
and printed sentences computed by ``cvmlib`` are in Chinese too; the numbers are the same in both.

Outputs (each edition keeps its own doctrees, so the two never mix):

- ``html``: ``_build/html/<lang>/``
- ``html-instructor``: ``_build/html-instructor/<lang>/``
- ``gettext``: ``_build/gettext/`` (English message templates, ``*.pot``, for ``sphinx-intl update``),
  extracted from the English sources without executing them
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent

#: Edition code -> Sphinx language code (what ``<html lang>`` and the search language derive from).
SPHINX_LANGUAGE = {"en": "en", "zh": "zh_CN"}

#: The book's title in each edition (``_config.yml`` holds the English one; Sphinx does not translate it).
TITLE = {"en": None, "zh": "客户价值管理：实战课程"}
AUTHOR = {"en": None, "zh": "CVM 课程组"}


def output_dir(builder: str, lang: str) -> Path:
    """Where ``builder`` writes the edition ``lang``."""
    if builder == "gettext":
        return ROOT / "_build" / "gettext"
    return ROOT / "_build" / builder / lang


def build(
    lang: str,
    builder: str,
    *,
    force_all: bool = True,
    strict: bool = True,
    out: Path | None = None,
    quiet: bool = False,
    doctrees: Path | None = None,
) -> int:
    """Build one edition with one builder (into ``out``, default :func:`output_dir`); return Sphinx's status.

    The gettext builder always works on the English sources, without executing them (a few seconds).
    ``doctrees`` is the environment's folder (default ``_build/.doctrees-<lang>``, or ``-gettext``): two builds
    running at the same time need two folders.
    """
    from jupyter_book.sphinx import build_sphinx

    if builder == "gettext":
        # The templates are the English text; they need no executed outputs (book/_ext/cvm_book.py gives
        # each {glue} a stand-in value, so figure captions are extracted too).
        lang, strict = "en", False
    overrides = {
        "external_toc_path": (ROOT / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "nitpicky": strict,
        "language": SPHINX_LANGUAGE[lang],
        "locale_dirs": ["locales/"],
        # One catalog per page (locales/zh_CN/LC_MESSAGES/book/rfm.po ...), not one per folder.
        "gettext_compact": False,
        # A message whose English changed is not shown in its old translation.
        "gettext_allow_fuzzy_translations": False,
    }
    if TITLE[lang]:
        overrides["html_title"] = TITLE[lang]
        overrides["project"] = TITLE[lang]
        overrides["author"] = AUTHOR[lang]
    if builder == "gettext":
        overrides["nb_execution_mode"] = "off"
        overrides["gettext_uuid"] = False
        overrides["gettext_location"] = True
    out = output_dir(builder, lang) if out is None else Path(out)
    if builder == "html-instructor" and not force_all:
        # written whole from the reader's doctrees into an empty folder: a partial write would merge into
        # a search index left by an older build (Sphinx warns), and force_all would recompile every .mo
        # catalog, which makes every translated page outdated and re-read
        shutil.rmtree(out, ignore_errors=True)
    if doctrees is None:
        doctrees = ROOT / "_build" / (".doctrees-gettext" if builder == "gettext" else f".doctrees-{lang}")
    # The kernels inherit the language, and the checks run while notebooks execute never write progress
    # logs; both only for this build (a caller in the same process, e.g. a test, keeps its own settings).
    with mock.patch.dict(os.environ, CVM_LANG=lang, CVM_PROGRESS="off"):
        result = build_sphinx(
            ROOT,
            out,
            noconfig=True,
            path_config=str(ROOT / "_config.yml"),
            confoverrides=overrides,
            builder=builder,
            doctreedir=doctrees,
            # a fresh environment re-reads every page, so every notebook is executed again (as `--all`
            # does for `jupyter-book build`: force_all alone only rewrites the pages)
            freshenv=force_all,
            force_all=force_all,
            warningiserror=strict,
            keep_going=strict,
            quiet=quiet,
            really_quiet=quiet,
        )
    return 0 if not result else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(SPHINX_LANGUAGE), default="en")
    parser.add_argument("--builder", default="html", help="html, html-instructor or gettext")
    parser.add_argument("--no-all", action="store_true", help="re-read only changed pages")
    args = parser.parse_args(argv)
    status = build(args.lang, args.builder, force_all=not args.no_all)
    if status == 0 and args.builder != "gettext":
        print(f"Book ({args.lang}): {output_dir(args.builder, args.lang) / 'index.html'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
