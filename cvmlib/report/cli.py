"""``cvm report ORDERS``: the customer value report of a company's order export, from the command line.

Reads the file (:mod:`~cvmlib.report.reader`), maps its columns (:mod:`~cvmlib.report.mapping`),
cleans it with stated rules (:mod:`~cvmlib.report.cleaning`), computes everything
(:mod:`~cvmlib.report.analysis`) and only then writes ``report.html``, ``customers.csv`` and
``customers.xlsx`` into ``--out``: first into a temporary folder beside it, moved into place at the end,
so an error never leaves a half-written report. Progress goes to stderr (``--quiet`` silences it), the
folder written to stdout. Exit status 0 on success, 1 for a problem with the input or the options (a
message, no traceback; ``--debug`` shows one), 2 for a wrong command line.

>>> main(["report", "no-such-file.csv", "--quiet"])
1
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TextIO

from cvmlib.i18n import _, language

__all__ = ["main", "build_parser"]

#: The files of a report folder.
REPORT_FILE, CSV_FILE, XLSX_FILE = "report.html", "customers.csv", "customers.xlsx"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # noqa: D102 - argparse's hook: a translated usage error
        self.print_usage(sys.stderr)
        self.exit(2, _("cvm report: error: {message}").format(message=message) + "\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``cvm report`` (help texts in the language in force)."""
    parser = _Parser(prog="cvm", description=_("Customer value tools of the CVM course."))
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("report", help=_("write the customer value report of an order export"),
                       description=_("Write a self-contained HTML report (data check, RFM segments, value tiers, "
                                     "CLV with a trust verdict, early warnings, tier migration) and a "
                                     "per-customer CSV and Excel file."))
    p.add_argument("orders", metavar="ORDERS", help=_("the order export: .csv (any common encoding), .xlsx or "
                                                      ".parquet; one row per order or order line"))
    p.add_argument("--customer-col", help=_("the column of the customer id (default: guessed from the names)"))
    p.add_argument("--date-col", help=_("the column of the order date or time (default: guessed)"))
    p.add_argument("--amount-col", help=_("the column of the amount paid (default: guessed)"))
    p.add_argument("--order-col", help=_("the column of the order id (default: guessed; none: each row is one "
                                         "order)"))
    p.add_argument("--no-order-col", action="store_true", help=_("do not look for an order id: each row is one "
                                                                 "order"))
    p.add_argument("--snapshot", help=_("the 'as of' day, YYYY-MM-DD (default: the day after the last purchase)"))
    p.add_argument("--returns", choices=["error", "net", "exclude"], default="error",
                   help=_("rows with an amount <= 0: stop (error, the default), subtract them from spend (net) or "
                          "leave them out (exclude)"))
    p.add_argument("--lang", choices=["en", "zh"], default=None, help=_("language of the report: en or zh"))
    p.add_argument("--out", default="cvm-report", help=_("the folder to write (default: cvm-report)"))
    p.add_argument("--force", action="store_true", help=_("replace the folder if it exists"))
    p.add_argument("--horizon", type=int, default=12, help=_("CLV horizon in months (default 12)"))
    p.add_argument("--discount-rate", type=float, default=0.01, help=_("monthly discount rate (default 0.01)"))
    p.add_argument("--margin", type=float, default=1.0, help=_("share of spend that is profit, 0-1 (default 1: "
                                                               "CLV in revenue)"))
    p.add_argument("--test-prefix", default="TEST", help=_("customer ids starting with this are test orders "
                                                           "(default TEST; '' turns it off)"))
    p.add_argument("--keep-duplicates", action="store_true", help=_("keep exact duplicate rows as separate "
                                                                    "purchases"))
    p.add_argument("--date-format", help=_("the format of the dates, e.g. %%d/%%m/%%Y (when they are "
                                           "ambiguous)"))
    p.add_argument("--dayfirst", action="store_true", default=None, help=_("read 05/01/2025 as 5 January"))
    p.add_argument("--quiet", action="store_true", help=_("no progress messages"))
    p.add_argument("--debug", action="store_true", help=_("show the traceback of an error"))
    return parser


class _Progress:
    """Step names and seconds on stderr."""

    def __init__(self, quiet: bool, stream: TextIO) -> None:
        self.quiet, self.stream = quiet, stream
        self.timings: dict[str, float] = {}

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self.timings[name] = seconds
        self.say(_("  {step}: {seconds:.1f} s").format(step=_(name), seconds=seconds))


def _language_of(argv: Sequence[str]) -> str:
    """``--lang`` read before the parser is built, so that its help and errors are in that language."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in ("en", "zh") else "en"
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in ("en", "zh") else "en"
    from cvmlib.i18n import get_language

    return get_language()


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``cvm ...``; the exit status (0 success, 1 input problem, 2 command-line error)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    with language(_language_of(args_list)):
        try:
            args = build_parser().parse_args(args_list)
        except SystemExit as exit_:
            return int(exit_.code or 0)
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from cvmlib.validate import InputError

    progress = _Progress(args.quiet, sys.stderr)
    out = Path(args.out)
    temp: Path | None = None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            temp = _build(args, out, progress)
        for warning in caught:
            progress.say(_("note: {message}").format(message=warning.message))
        _move_into_place(temp, out, args.force)
        temp = None
    except InputError as err:
        print(_("cvm report: {message}").format(message=err), file=sys.stderr)
        if args.debug:
            raise
        return 1
    except KeyboardInterrupt:
        print(_("cvm report: interrupted; nothing was written."), file=sys.stderr)
        return 130
    except Exception as err:  # anything else is a bug: say so plainly, the traceback with --debug
        if args.debug:
            raise
        print(_("cvm report: unexpected error ({kind}: {message}). Nothing was written. Run again with --debug "
                "to see where it happened, and report it.").format(kind=type(err).__name__, message=err),
              file=sys.stderr)
        return 1
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    print(out)
    return 0


def _check_out(out: Path, force: bool) -> Path:
    from cvmlib.validate import InputError

    parent = out.resolve().parent
    if not parent.is_dir():
        raise InputError(_("--out {out}: the folder {parent} does not exist.").format(out=out, parent=parent))
    if out.exists() and not out.is_dir():
        raise InputError(_("--out {out} is a file, not a folder.").format(out=out))
    if out.exists() and any(out.iterdir()) and not force:
        raise InputError(_("--out {out} exists and is not empty: choose another folder, or pass --force to "
                           "replace it.").format(out=out))
    return parent


def _build(args: argparse.Namespace, out: Path, progress: _Progress) -> Path:
    """Everything computed and written into a temporary folder next to ``out``; its path."""
    from cvmlib.report.analysis import analyse
    from cvmlib.report.cleaning import clean_export
    from cvmlib.report.exports import customer_table, write_csv, write_xlsx
    from cvmlib.report.html import render_report
    from cvmlib.report.mapping import ROLE_NAMES, guess_mapping
    from cvmlib.report.reader import read_orders
    from cvmlib.validate import InputError

    parent = _check_out(out, args.force)
    lang = args.lang or ("zh" if _language_of([]) == "zh" else "en")
    started = time.perf_counter()
    with language(lang):
        progress.say(_("cvm report: {file}").format(file=args.orders))
        with progress.step(_("reading the file")):
            read = read_orders(args.orders)
        if read.kind == "csv":
            progress.say(_("  read {rows:,} rows; encoding {encoding}, delimiter {delimiter!r}").format(
                rows=len(read.table), encoding=read.encoding, delimiter=read.delimiter))
        else:
            progress.say(_("  read {rows:,} rows").format(rows=len(read.table)))
        if args.no_order_col and args.order_col:
            raise InputError(_("--order-col and --no-order-col contradict each other: pass one of them."))
        mapping = guess_mapping(read.table.columns, customer=args.customer_col, date=args.date_col,
                                amount=args.amount_col, order=args.order_col, no_order=args.no_order_col)
        for role in ("customer", "date", "amount", "order"):
            column = getattr(mapping, role)
            how = {"given": _("given"), "guessed": _("guessed"), "none": _("none")}[mapping.how[role]]
            progress.say(_("  {role}: {column} ({how})").format(
                role=_(ROLE_NAMES[role]), column=repr(column) if column is not None else "–", how=how))
        with progress.step(_("cleaning")):
            cleaning = clean_export(read.table, mapping, returns=args.returns, test_prefix=args.test_prefix,
                                    keep_duplicates=args.keep_duplicates, date_format=args.date_format,
                                    dayfirst=args.dayfirst)
        del read.table[read.table.columns[0]]  # the raw rows are not needed any more (memory)
        analysis = analyse(cleaning.orders, snapshot=args.snapshot, has_order_id=mapping.order is not None,
                           returns=args.returns, horizon=args.horizon, discount_rate=args.discount_rate,
                           margin=args.margin, step=progress.step)
        with progress.step(_("customer file")):
            table = customer_table(analysis)
        with progress.step(_("report page")):
            generated = _("Written {when}.").format(when=_dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
            page = render_report(read, mapping, cleaning, analysis, returns=args.returns,
                                 files=(CSV_FILE, XLSX_FILE), generated=generated)
        temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=parent))
        umask = os.umask(0)
        os.umask(umask)
        temp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the report folder is an ordinary one
        try:
            with progress.step(_("writing the files")):
                (temp / REPORT_FILE).write_text(page, encoding="utf-8")
                write_csv(table, temp / CSV_FILE)
                write_xlsx(table, temp / XLSX_FILE, _("customers"))
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
        progress.say(_("  done in {seconds:.1f} s").format(seconds=time.perf_counter() - started))
    return temp


def _move_into_place(temp: Path, out: Path, force: bool) -> None:
    """``temp`` becomes ``out``; an existing ``out`` (with ``force``) is replaced only once all is written."""
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        try:
            temp.rename(out)
        except BaseException:
            old.rename(out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        temp.rename(out)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
