"""Keep cvmlib's message catalogs in step with its sources (Python ``gettext`` catalogs, managed with babel).

``python tools/i18n_py.py update``
    extract every ``_()`` / ``N_()`` / ``ngettext()`` message of ``cvmlib`` (and of the code cells of the
    book pages and workbooks: catalog ``book_code``) and bring each catalog
    ``cvmlib/locale/zh_CN/LC_MESSAGES/<part>.po`` in step: new messages are added untranslated to the
    catalog of the part that uses them (``exercises_rfm``, ``validate``, ``plotting``, ...), messages
    no source uses any more are removed. Translations already made are kept.
``python tools/i18n_py.py update --part exercises_rfm``
    the same for one catalog only.
``python tools/i18n_py.py check``
    list the messages that are missing, untranslated, fuzzy or obsolete, and the translations whose
    ``{placeholders}`` differ from the English; exit status 1 if there is any (the drift test runs it).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract as extract_source
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cvmlib"
LOCALES = {"zh_CN": PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES"}
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-zA-Z_][a-zA-Z0-9_]*)?(?:[:!][^{}]*)?\}(?!\})")


def part_of(path: str) -> str:
    """The catalog a source file's messages go to: ``exercises/rfm.py`` -> ``exercises_rfm`` (``classroom/`` likewise)."""
    parts = [part for part in Path(path).with_suffix("").parts if part != "__init__"]
    if not parts:
        return "cvmlib"
    if parts[0] in ("exercises", "classroom") and len(parts) > 1:
        return "_".join(parts[:2])
    return parts[0]


#: The code cells of the book pages and workbooks: their ``_()`` texts (captions, printed sentences, table
#: headers shown to readers) go to the catalog ``book_code`` (read at run time like the library's own).
BOOK_CODE_PART = "book_code"
_CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)


def code_cells() -> list[tuple[str, str]]:
    """(file, Python source) of every code cell of ``book/*.md`` and ``notebooks/*.ipynb``, in order."""
    cells: list[tuple[str, str]] = []
    for path in sorted((ROOT / "book").glob("*.md")):
        for match in _CODE_CELL.finditer(path.read_text(encoding="utf-8")):
            cells.append((f"book/{path.name}", match.group(1)))
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                source = cell["source"]
                cells.append((f"notebooks/{path.name}", "".join(source) if isinstance(source, list) else source))
    # MyST cell options (":tags: [...]") and IPython magics are not Python: blank them, keep line numbers
    return [(name, re.sub(r"(?m)^[:%!].*$", "", source)) for name, source in cells]


def extract() -> dict[str, tuple[str, str | None]]:
    """Every message id of the sources -> (the part of its first use, the plural id if any)."""
    found: dict[str, tuple[str, str | None]] = {}
    for filename, _lineno, message, _comments, _context in sorted(
        extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS),
        key=lambda item: (item[0], item[1]),
    ):
        if filename.startswith("_notebooks") or filename.startswith("locale"):
            continue
        singular, plural = (message, None) if isinstance(message, str) else (message[0], message[1])
        if singular and singular not in found:
            found[singular] = (part_of(filename), plural)
    for _name, source in code_cells():
        for _lineno, message, _comments, _context in extract_source(
                "python", io.BytesIO(source.encode("utf-8")), keywords=KEYWORDS):
            singular, plural = (message, None) if isinstance(message, str) else (message[0], message[1])
            if singular and singular not in found:
                found[singular] = (BOOK_CODE_PART, plural)
    return found


def load(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=path.parent.parent.name)


def save(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=False, ignore_obsolete=True)


def msgid_of(message) -> str:  # noqa: ANN001 - babel's Message
    return message.id if isinstance(message.id, str) else message.id[0]


def translated(message) -> bool:  # noqa: ANN001
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return all(bool(s) for s in strings)


@dataclass
class Report:
    missing: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)

    def problems(self) -> int:
        return sum(len(v) for v in vars(self).values())

    def lines(self) -> list[str]:
        out = []
        for kind, items in vars(self).items():
            for item in items:
                out.append(f"{kind}: {item}")
        return out


def check(locale: str = "zh_CN") -> tuple[Report, int]:
    """Compare the sources with the catalogs of ``locale``; return the report and the number translated."""
    sources = extract()
    report = Report()
    seen: set[str] = set()
    done = 0
    for path in sorted(LOCALES[locale].glob("*.po")):
        for message in load(path):
            if not message.id:
                continue
            key = msgid_of(message)
            where = f"{path.name}: {key!r}"
            if key not in sources:
                report.obsolete.append(where)
                continue
            seen.add(key)
            if message.fuzzy:
                report.fuzzy.append(where)
            elif not translated(message):
                report.untranslated.append(where)
            else:
                done += 1
                strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
                wanted = sorted(PLACEHOLDER.findall(key))
                for text in strings:
                    if sorted(PLACEHOLDER.findall(text)) != wanted:
                        report.placeholders.append(f"{where} -> {text!r}")
    report.missing = [f"{part}: {key!r}" for key, (part, _) in sources.items() if key not in seen]
    return report, done


def update(locale: str = "zh_CN", only: str | None = None) -> None:
    """Add new messages untranslated to their part's catalog and drop messages no source uses.

    With ``only``, touch only the catalog ``<only>.po`` (several people can then work on different parts).
    """
    sources = extract()
    folder = LOCALES[locale]
    catalogs = {path.stem: load(path) for path in sorted(folder.glob("*.po"))}
    present: set[str] = set()
    for name, catalog in catalogs.items():
        for message in list(catalog):
            if message.id and msgid_of(message) not in sources:
                catalog.delete(message.id)
            elif message.id:
                present.add(msgid_of(message))
    for key, (part, plural) in sources.items():
        if key in present or (only is not None and part != only):
            continue
        catalog = catalogs.setdefault(part, Catalog(locale=locale, project="cvmlib", charset="utf-8"))
        catalog.add((key, plural) if plural else key, ("", "") if plural else "")
    for name, catalog in catalogs.items():
        if only is None or name == only:
            save(catalog, folder / f"{name}.po")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["update", "check"])
    parser.add_argument("--part", help="update only this catalog (e.g. exercises_rfm)")
    args = parser.parse_args(argv)
    if args.command == "update":
        update(only=args.part)
        return 0
    report, done = check()
    for line in report.lines():
        print(line)
    print(f"{done} messages translated, {report.problems()} problems")
    return 1 if report.problems() else 0


if __name__ == "__main__":
    sys.exit(main())
