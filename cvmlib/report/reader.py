"""Reading a company's order export: CSV in any common encoding, Excel ``.xlsx`` or Parquet.

Why each choice:

* **Encodings** are tried strictly, in a fixed order, and the one used is reported: a byte-order mark
  (UTF-8, UTF-16), then UTF-8, then GB18030 (a superset of GBK and GB2312: what Excel on a Chinese Windows
  saves as "CSV"), then Big5, then UTF-16 without a mark. "Strictly" means a decoder that meets one
  invalid byte fails, so a GBK file is never read as mojibake UTF-8. A file with NUL bytes and no mark is
  taken as UTF-16 first (UTF-8 would accept the NULs). When nothing fits, the error names the byte offset
  and the line of the first byte UTF-8 could not read.
* **Delimiters** ``,`` ``;`` tab and ``|`` are sniffed from the first lines: the one that splits every
  line into the same number (> 1) of fields, the most fields winning.
* **Every CSV column is read as text**: customer ids such as ``00042`` keep their zeros; dates and
  amounts are parsed later by the library's guards, which name the offending rows.
* **Parquet** goes through DuckDB (``.df()`` gives pandas without pyarrow, which this project must not
  install: it would change pandas' default string storage for the whole course).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "orders.csv"
>>> _ = path.write_bytes("客户编号;金额\\nC01;12.5\\n".encode("gb18030"))
>>> result = read_orders(path)
>>> result.encoding, result.delimiter, result.table.columns.tolist()
('gb18030', ';', ['客户编号', '金额'])
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cvmlib.i18n import _
from cvmlib.validate import InputError

__all__ = ["ENCODINGS", "DELIMITERS", "ReadResult", "detect_encoding", "read_orders", "sniff_delimiter"]

#: The encodings tried (after the byte-order marks), in this order.
ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030", "big5", "utf-16")

#: The delimiters sniffed.
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)


@dataclass(frozen=True)
class ReadResult:
    """What :func:`read_orders` read.

    Attributes
    ----------
    table : pandas.DataFrame
        The rows as read (CSV: every column text; empty cells missing).
    path : pathlib.Path
    kind : str
        ``"csv"``, ``"xlsx"`` or ``"parquet"``.
    encoding, delimiter : str or None
        For a CSV: the encoding used and the delimiter found.
    sheet : str or None
        For an Excel file: the sheet read (the first).
    """

    table: pd.DataFrame
    path: Path
    kind: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def detect_encoding(data: bytes) -> str:
    """The first encoding of the fixed order (see the module notes) that decodes ``data`` without error.

    Examples
    --------
    >>> detect_encoding("金额".encode("utf-8")), detect_encoding("金额".encode("gbk"))
    ('utf-8', 'gb18030')
    >>> detect_encoding(b"\\xef\\xbb\\xbfid")
    'utf-8-sig'
    """
    for mark, name in _BOMS:
        if data.startswith(mark):
            try:
                data.decode(name)
            except UnicodeDecodeError as err:
                raise InputError(_("The file starts with a {encoding} byte-order mark but byte {position:,} (line "
                                   "{line:,}) is not valid {encoding}. Save it again as UTF-8 (Excel: \"CSV UTF-8\")."
                                   ).format(encoding=name, position=err.start, line=_line_of(data, err.start))) from None
            return name
    order = list(ENCODINGS)
    if b"\x00" in data[:4096]:  # UTF-16 without a mark: UTF-8 would take its NUL bytes as text
        order.remove("utf-16")
        order.insert(0, "utf-16")
    first_error: UnicodeDecodeError | None = None
    for name in order:
        if name == "utf-16" and len(data) % 2:
            continue
        try:
            data.decode(name)
        except UnicodeDecodeError as err:
            if name == "utf-8":
                first_error = err
            continue
        return name
    position = first_error.start if first_error is not None else 0
    raise InputError(_("Cannot decode the file: byte {position:,} (line {line:,}) is not valid in any of the "
                       "encodings tried ({encodings}). Open it in a spreadsheet and save it as \"CSV UTF-8\", or "
                       "as .xlsx.").format(position=position, line=_line_of(data, position),
                                            encodings=", ".join(["UTF-8", "GB18030", "Big5", "UTF-16"])))


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines of ``sample`` into equally many fields (the most wins).

    Examples
    --------
    >>> sniff_delimiter("a;b;c\\n1;2,5;3\\n"), sniff_delimiter("a\\tb\\n1\\t2\\n"), sniff_delimiter("a\\n1\\n")
    (';', '\\t', ',')
    """
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a sample may be cut
    best, best_fields = ",", 1
    for delimiter in DELIMITERS:
        try:
            counts = {len(row) for row in csv.reader(lines, delimiter=delimiter)}
        except csv.Error:
            continue
        if len(counts) == 1:
            fields = counts.pop()
            if fields > best_fields:
                best, best_fields = delimiter, fields
    return best


def _read_csv(path: Path) -> ReadResult:
    data = path.read_bytes()
    if not data.strip():
        raise InputError(_("The file {path} is empty.").format(path=path.name))
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = sniff_delimiter(text[:65536])
    try:
        table = pd.read_csv(io.StringIO(text), sep=delimiter, dtype="str", keep_default_na=False,
                            na_values=[""], skipinitialspace=False)
    except (pd.errors.ParserError, csv.Error) as err:
        raise InputError(_("Cannot read {path} as a table with the delimiter {delimiter!r}: {problem}. Check that "
                           "every line has the same number of fields.").format(
                               path=path.name, delimiter=delimiter, problem=str(err).strip())) from None
    return ReadResult(table, path, "csv", encoding=encoding, delimiter=delimiter)


def _read_xlsx(path: Path) -> ReadResult:
    try:
        sheets = pd.ExcelFile(path, engine="openpyxl")
    except Exception as err:  # openpyxl raises many types for a broken file
        raise InputError(_("Cannot open {path} as an Excel workbook ({problem}). Save it again as .xlsx or "
                           "CSV.").format(path=path.name, problem=type(err).__name__)) from None
    sheet = str(sheets.sheet_names[0])
    table = pd.read_excel(sheets, sheet_name=sheet)
    return ReadResult(table, path, "xlsx", sheet=sheet)


def _read_parquet(path: Path) -> ReadResult:
    import duckdb  # lazily: only Parquet needs it

    try:
        connection = duckdb.connect()
        table = connection.read_parquet(str(path)).df()
    except duckdb.Error as err:
        raise InputError(_("Cannot read {path} as Parquet: {problem}").format(
            path=path.name, problem=str(err).splitlines()[0])) from None
    return ReadResult(table, path, "parquet")


def read_orders(path: str | Path) -> ReadResult:
    """Read an order export: ``.csv``/``.txt``/``.tsv`` (encoding and delimiter detected), ``.xlsx``, ``.parquet``.

    Raises
    ------
    cvmlib.validate.InputError
        A missing file, an unknown file type, bytes no encoding can read, a malformed table.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(_("File not found: {path}").format(path=path))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        result = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        result = _read_xlsx(path)
    elif suffix in (".parquet", ".pq"):
        result = _read_parquet(path)
    elif suffix == ".xls":
        raise InputError(_("{path} is an old-style Excel file (.xls): save it as .xlsx or CSV first.").format(
            path=path.name))
    else:
        raise InputError(_("{path}: unknown file type {suffix!r}; give a .csv, .xlsx or .parquet file.").format(
            path=path.name, suffix=suffix))
    if len(result.table) == 0:
        raise InputError(_("{path} has a header but no rows.").format(path=path.name))
    result.table.columns = [str(c).strip() for c in result.table.columns]
    return result
