"""Input validation for transaction tables, with messages a course participant can act on.

Every ``cvmlib`` function that takes transactions calls :func:`validate_transactions` first, so a
problem in the data surfaces as one :class:`InputError` that names the column, says what is wrong
and how to fix it, and shows up to five offending rows -- never as a traceback from deep inside
pandas. Because it runs before every computation it is vectorised throughout (about a second on
five million rows, see ``benchmarks/``); only the error paths look at individual values.

:func:`resolve_snapshot_date` turns an explicit or missing ``snapshot_date`` into a timestamp; a
missing one defaults to the day after the last purchase and says so with a warning.

This module is the one home of input checks: the other modules call its public guards instead of
keeping their own copies. ``require_numeric``, ``require_finite``, ``require_non_negative``,
``require_positive``, ``require_whole_number``, ``require_within``, ``require_probability`` (numbers
in a scalar, a Series, a 1-D array or a table column; a bool is never a number),
``require_int``, ``require_bool``, ``require_choice`` (scalar parameters), ``require_1d`` (no
2-D input flattened), ``require_not_empty``, ``require_present``, ``require_unique``,
``require_same_ids`` and ``require_known`` (nothing dropped in a join or a mapping),
``as_timestamp``, ``parse_dates`` and ``require_not_after`` (no ambiguous ``05/01/2025`` read
month-first, no ``None`` taken as a date, no event after ``as_of`` counted), and
``rows_text`` / ``reject_rows`` for the messages of checks only one module can state.

Every message is an English text translated when it is raised (:mod:`cvmlib.i18n`): in the Chinese
edition a participant reads it in Chinese, with the column names, values and offending rows shown as
they are in the data. A text a caller passes in (``what=``, ``fix=``, a table's name) is translated
the same way when it is a marked message, so callers pass ``N_("...")`` texts or ``_("...")``.

Examples
--------
>>> import pandas as pd
>>> tx = pd.DataFrame({"order_id": ["O1", "O2"], "customer_id": ["C1", "C2"],
...                    "order_date": ["2024-05-01 10:00:00", "2024-05-02"],
...                    "amount": [59.9, 12]})
>>> validate_transactions(tx).dtypes.astype(str).tolist()
['str', 'str', 'datetime64[us]', 'float64']
>>> validate_transactions(tx.drop(columns="customer_id"))
Traceback (most recent call last):
...
cvmlib.validate.InputError: Column 'customer_id' (customer_col) is missing from the table. ...
"""

from __future__ import annotations

import datetime as _dt
import difflib
import operator
import re
import warnings
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd

from cvmlib._ids import EncodedIds, encode_ids
from cvmlib.i18n import N_, _, get_language, ngettext

__all__ = [
    "MAX_ROWS_SHOWN",
    "InputError",
    "as_series",
    "join_sentences",
    "as_timestamp",
    "parse_dates",
    "reject_rows",
    "require_1d",
    "require_bool",
    "require_choice",
    "require_finite",
    "require_finite_sum",
    "require_increasing",
    "require_numeric_table",
    "require_int",
    "require_known",
    "require_non_negative",
    "require_not_after",
    "require_not_empty",
    "require_numeric",
    "require_positive",
    "require_present",
    "require_probability",
    "require_same_ids",
    "require_scalar",
    "require_table",
    "require_unique",
    "require_whole_number",
    "require_within",
    "resolve_observation_end",
    "resolve_snapshot_date",
    "rows_text",
    "suggest_name",
    "validate_transactions",
    "validate_transactions_with_ids",
    "value_text",
    "numeric_text_hint",
]

ReturnsPolicy = Literal["error", "net", "exclude"]
DuplicatesPolicy = Literal["error", "keep"]

#: How many offending rows an error message shows.
MAX_ROWS_SHOWN = 5

_RETURNS_POLICIES = ("error", "net", "exclude")

# A time zone at the end of a timestamp string: "Z", "+08:00", "-0500", "UTC", "GMT".
# Anchored after a clock time so that "01-01-2024" is not read as an offset "-2024".
_TZ_SUFFIX = re.compile(r"\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)\s*$")


class InputError(ValueError):
    """Invalid input data, with a message that names the column, the problem and the fix.

    A subclass of :class:`ValueError`, so ``except ValueError`` still catches it.

    Examples
    --------
    >>> issubclass(InputError, ValueError)
    True
    """


# --------------------------------------------------------------------------------------------
# message helpers


def _rows(k: int) -> str:
    """``"1 row"`` / ``"5 rows"`` in the language in force."""
    return ngettext("{n:,} row", "{n:,} rows", k).format(n=k)


#: Words that callers pass to the guards (``what=``, a table's name, ``known_name=``) and that are
#: shown inside a message, with the message that translates each one. Plain words such as
#: "customers" are also table headers elsewhere ("customers" -> "客户数", a count), so each is marked
#: here with a context before a ``|`` ("noun|customers" -> "客户"); English shows the word itself.
CALLER_WORDS: dict[str, str] = {
    "rows": N_("noun|rows"), "values": N_("noun|values"), "customers": N_("noun|customers"),
    "tickets": N_("noun|tickets"), "citation keys": N_("noun|citation keys"), "a value": N_("noun|a value"),
    "id": N_("noun|id"), "customer id": N_("noun|customer id"), "order id": N_("noun|order id"),
    "ticket id": N_("noun|ticket id"), "a cluster": N_("noun|a cluster"), "a customer id": N_("noun|a customer id"),
    "a ticket id": N_("noun|a ticket id"), "a customer_id": N_("noun|a customer_id"),
    "a order_id": N_("noun|a order_id"), "orders": N_("noun|orders"),
    "an opening time (without it no time can be measured)":
        N_("noun|an opening time (without it no time can be measured)"),
    "the known values": N_("noun|the known values"), "the table": N_("noun|the table"),
    "the mapping": N_("noun|the mapping"), "the severities": N_("noun|the severities"),
    "the RFM metrics": N_("noun|the RFM metrics"),
}


def rows_text(df: pd.DataFrame, mask: Any, columns: Sequence[Hashable] | None = None) -> str:
    """``to_string`` of the first offending rows (with their index), for an error message.

    Parameters
    ----------
    df : pandas.DataFrame
        The table the rows come from.
    mask : array-like of bool
        Row-aligned with ``df``: True marks an offending row.
    columns : sequence, optional
        Only these columns are shown (in the table's own order).

    Returns
    -------
    str
        ``"First offending rows:"`` and up to :data:`MAX_ROWS_SHOWN` rows.

    Examples
    --------
    >>> df = pd.DataFrame({"cost": [3.0, -1.0], "note": ["ok", "refund"]}, index=["a", "b"])
    >>> print(rows_text(df, df["cost"] < 0))
    First offending rows:
       cost    note
    b  -1.0  refund
    """
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))[:MAX_ROWS_SHOWN]
    shown = df.iloc[positions]
    if columns is not None:
        wanted = set(columns)
        shown = shown[[c for c in df.columns if c in wanted]]  # in the table's own order
    return _("First offending rows:") + "\n" + shown.to_string()


#: Where a Chinese sentence ends: the next one follows without a space.
_FULL_STOPS = "。！？；：，）」』”"


def join_sentences(*parts: str) -> str:
    """Sentences of a message one after the other: a space after an English one, none after a Chinese one.

    Empty parts are left out.

    Examples
    --------
    >>> join_sentences("Column 'x' has 1 negative value.", "", "Fix it.")
    "Column 'x' has 1 negative value. Fix it."
    >>> join_sentences("列 'x' 中有 1 个负值。", "请修正。")
    "列 'x' 中有 1 个负值。请修正。"
    """
    text = ""
    for part in parts:
        if not part:
            continue
        text += part if not text or text.endswith(tuple(_FULL_STOPS)) else f" {part}"
    return text


def _fail(message: str, df: pd.DataFrame, mask: Any, columns: Sequence[Hashable] | None) -> InputError:
    return InputError(join_sentences(message, rows_text(df, mask, columns)))


def _shown(text: Any) -> str:
    """A text passed in by a caller as the language in force shows it: one of :data:`CALLER_WORDS`, or a
    marked message, translated; anything else (a parameter or column name) as it is."""
    if not text:
        return ""
    text = str(text)
    if get_language() == "en":
        return text
    return _(CALLER_WORDS[text]) if text in CALLER_WORDS else _(text)


def suggest_name(name: Hashable, candidates: Sequence[Hashable]) -> Hashable | None:
    """The name the user probably meant: same up to case/punctuation, containing, or close.

    Examples
    --------
    >>> suggest_name("OrderDate", ["order_date", "amount"]), suggest_name("date", ["order_date"])
    ('order_date', 'order_date')
    >>> suggest_name("zzz", ["amount"]) is None
    True
    """

    def norm(x: Hashable) -> str:
        return re.sub(r"[^0-9a-z]", "", str(x).casefold())

    target = norm(name)
    by_norm = {norm(c): c for c in candidates}
    if target in by_norm:  # 'OrderDate', 'order-date' -> 'order_date'
        return by_norm[target]
    # 'date' -> 'order_date', 'customer_id' -> 'cust': too far for difflib's ratio, but one
    # name contains the other.
    containing = [c for c in candidates if min(len(target), len(norm(c))) >= 3
                  and (target in norm(c) or norm(c) in target)]
    pool = containing or list(candidates)
    cutoff = 0.0 if containing else 0.6
    close = difflib.get_close_matches(target, [norm(c) for c in pool], n=1, cutoff=cutoff)
    return by_norm[close[0]] if close else None


# --------------------------------------------------------------------------------------------
# vectorised building blocks


def _blank(s: pd.Series, encoded: EncodedIds | None = None) -> np.ndarray:
    """Missing values plus empty or whitespace-only strings.

    With ``encoded`` (:func:`cvmlib._ids.encode_ids` of ``s``) only the rows without a printable
    ASCII character are looked at one by one: usually none.
    """
    if encoded is not None and encoded.visible is not None:  # byte-encoded: str, nothing missing
        unsure = ~encoded.visible
        blank = np.zeros(len(s), dtype=bool)
        if unsure.any():
            blank[unsure] = _blank(s[unsure])
        return blank
    missing = s.isna().to_numpy()
    if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
        return missing
    if not missing.any():
        try:
            # `not value.strip()` per value via map(): the loop runs in C over builtins, several
            # times faster than the .str accessor (strip returns the same object when unchanged).
            values = s.to_numpy(dtype=object)
            blank = np.fromiter(map(operator.not_, map(str.strip, values)), dtype=bool,
                                count=len(values))
            return blank
        except TypeError:  # an object column holding non-strings (e.g. int ids)
            pass
    text = s.astype("str") if s.dtype == object else s
    blank = (text.str.len().eq(0) | text.str.isspace()).fillna(False).to_numpy(dtype=bool)
    return missing | blank


def _hash_column(s: pd.Series) -> np.ndarray:
    """A uint64 hash per value; equal values give equal hashes (collisions are checked later)."""
    values = s.to_numpy()
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.uint64)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert(None)  # compare instants, as UTC
    if s.dtype.kind in "mM":
        return s.to_numpy().view(np.uint64)
    if s.dtype.kind == "f":
        values = values.astype(np.float64, copy=False)  # float32 too: one uint64 per value
        if (values == 0).any():  # + 0.0 turns -0.0 into 0.0 so equal floats hash alike
            return (values + 0.0).view(np.uint64)
        return values.view(np.uint64)  # no zero: the bits themselves, no copy
    if s.dtype.kind in "iub":
        return values.astype(np.uint64)
    if pd.api.types.is_string_dtype(s.dtype) and not s.hasnans:
        # Python's own str hash (cached on the string objects) is several times faster than
        # pandas' object hashtable; the iteration runs in C, not in Python bytecode.
        return np.fromiter(map(hash, values), dtype=np.int64, count=len(values)).view(np.uint64)
    return pd.util.hash_array(np.asarray(values, dtype=object), categorize=True)


def _repeated(h: np.ndarray) -> np.ndarray:
    """Mask of positions whose hash occurs more than once (sort-based; cheap when none do)."""
    ordered = np.sort(h)
    if not (ordered[1:] == ordered[:-1]).any():  # (np.diff would add a row-length array)
        return np.zeros(len(h), dtype=bool)  # the common case: one cheap sort, no argsort
    order = np.argsort(h, kind="stable")
    same = h[order][1:] == h[order][:-1]
    in_sorted = np.zeros(len(h), dtype=bool)
    in_sorted[1:] |= same
    in_sorted[:-1] |= same
    mask = np.empty(len(h), dtype=bool)
    mask[order] = in_sorted
    return mask


def _row_hashes(df: pd.DataFrame, known: dict[Hashable, np.ndarray] | None = None,
                columns: Sequence[Hashable] | None = None) -> np.ndarray:
    """One uint64 per row combining ``columns`` (default: all; ``known`` holds hashes already computed)."""
    known = known or {}
    combined = np.zeros(len(df), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in df.columns if columns is None else columns:
            h = known[col] if col in known else _hash_column(df[col])
            combined *= np.uint64(1_000_003)  # in place: no new row-length array per column
            combined ^= h
    return combined


def _duplicate_candidates(df: pd.DataFrame, used: Sequence[Hashable],
                          known: dict[Hashable, np.ndarray] | None = None) -> np.ndarray:
    """Rows that may be identical in every column: a superset (hash collisions), checked exactly later.

    Why two stages: the ``used`` columns (the roles: ids, date, amount) hash cheaply -- integer
    codes in ``known``, dates and floats as their bits -- while the other columns (an order id
    nobody groups by, free text) cost most of the time. Rows identical in every column are
    identical on ``used``, so only rows repeated there need the other columns hashed.
    """
    used = list(dict.fromkeys(used))
    hashes = dict(known or {})
    for col in used:
        if col not in hashes:
            hashes[col] = _hash_column(df[col])
    candidates = _repeated(_row_hashes(df, hashes, used))
    if not candidates.any() or all(col in hashes for col in df.columns):
        return candidates
    rows = df[candidates]
    try:
        again = _repeated(_row_hashes(rows, {col: hashes[col][candidates] for col in used}))
    except TypeError:  # unhashable values (lists) in another column: the exact check copes with them
        return candidates
    found = np.zeros(len(df), dtype=bool)
    found[candidates] = again
    return found


def _tz_label(value: Any) -> str | None:
    """'naive', a time-zone name, or None when ``value`` is not a timestamp (error path only)."""
    if isinstance(value, _dt.datetime):
        return "naive" if value.tzinfo is None else str(value.tzinfo)
    if isinstance(value, str):
        match = _TZ_SUFFIX.search(value)
        return match.group(1) if match else "naive"
    return None


# The year first: "2024-01-02", "2024/5/2 11:30", "2024.05.02" (always year, month, day).
_YEAR_FIRST = re.compile(r"^\s*\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}(?!\d)")

# Day and month as two 1-2 digit numbers before the year: "05/01/2025", "5.1.25", "05-01-2025 10:00".
# Whether the first is the day or the month is a convention of the source, not of the text.
_DAY_MONTH = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?!\d)")


def _day_month_order(text: pd.Series, dayfirst: bool | None) -> tuple[bool | None, np.ndarray, str]:
    """Which convention ``d/m/y`` or ``m/d/y`` text follows: (dayfirst, offending rows, problem).

    Decided by ``dayfirst`` when given, else by the values themselves: a first number above 12
    can only be a day, a second above 12 only a day in month-first text. Values such as
    ``05/01/2025`` with nothing in the column to decide are ambiguous: never guessed. The problem
    is a key: ``"not_day_first"``, ``"not_month_first"``, ``"mixed"``, ``"ambiguous"`` (or ``""``);
    :func:`_dates_problem` and :func:`_date_problem` say it in words.
    """
    parts = text.astype("str").str.extract(_DAY_MONTH)
    matched = parts[0].notna().to_numpy()
    none = np.zeros(len(text), dtype=bool)
    if not matched.any():
        return dayfirst, none, ""
    first = pd.to_numeric(parts[0]).to_numpy(dtype=float)
    second = pd.to_numeric(parts[1]).to_numpy(dtype=float)
    day_first = matched & (first > 12) & (second <= 12)
    month_first = matched & (second > 12) & (first <= 12)
    if dayfirst is True:
        return True, month_first, "not_day_first"
    if dayfirst is False:
        return False, day_first, "not_month_first"
    if day_first.any() and month_first.any():
        bad = month_first if month_first.sum() <= day_first.sum() else day_first  # the minority
        return None, bad, "mixed"
    if day_first.any() or month_first.any():
        return bool(day_first.any()), none, ""
    ambiguous = matched & (first != second)  # 03/03/2025 reads the same either way
    if ambiguous.any():
        return None, ambiguous, "ambiguous"
    return None, none, ""


def _dates_problem(problem: str, column: Hashable, n: int) -> str:
    """The first sentence of the message about ``n`` day/month dates of ``column`` (see :func:`_day_month_order`)."""
    if problem == "not_day_first":
        text = ngettext("Column {column!r} has {n:,} date that cannot be day/month/year (dayfirst=True): the "
                        "month would be above 12.",
                        "Column {column!r} has {n:,} dates that cannot be day/month/year (dayfirst=True): the "
                        "month would be above 12.", n)
    elif problem == "not_month_first":
        text = ngettext("Column {column!r} has {n:,} date that cannot be month/day/year (dayfirst=False): the "
                        "month would be above 12.",
                        "Column {column!r} has {n:,} dates that cannot be month/day/year (dayfirst=False): the "
                        "month would be above 12.", n)
    elif problem == "mixed":
        text = ngettext("Column {column!r} has {n:,} date that mix day/month/year with month/day/year dates "
                        "(the first or the second number is above 12).",
                        "Column {column!r} has {n:,} dates that mix day/month/year with month/day/year dates "
                        "(the first or the second number is above 12).", n)
    else:
        text = ngettext("Column {column!r} has {n:,} date that are ambiguous: day/month/year or month/day/year, "
                        "and nothing in the column decides it.",
                        "Column {column!r} has {n:,} dates that are ambiguous: day/month/year or month/day/year, "
                        "and nothing in the column decides it.", n)
    return text.format(column=column, n=n)


def _date_problem(problem: str, name: Hashable, value: Any) -> str:
    """The first sentence of the message about one day/month date (see :func:`_day_month_order`)."""
    if problem == "not_day_first":
        text = _("{name}={value!r} cannot be day/month/year (dayfirst=True): the month would be above 12?")
    elif problem == "not_month_first":
        text = _("{name}={value!r} cannot be month/day/year (dayfirst=False): the month would be above 12?")
    else:
        text = _("{name}={value!r} is ambiguous: day/month/year or month/day/year?")
    return text.format(name=name, value=value)


#: How a day of each month is read out in the fix of an ambiguous date ("day 5 of January").
_DAY_OF_MONTH = (N_("day {day} of January"), N_("day {day} of February"), N_("day {day} of March"),
                 N_("day {day} of April"), N_("day {day} of May"), N_("day {day} of June"),
                 N_("day {day} of July"), N_("day {day} of August"), N_("day {day} of September"),
                 N_("day {day} of October"), N_("day {day} of November"), N_("day {day} of December"))


def _ambiguity_fix(example: str, expr: str, name: str) -> str:
    found = _DAY_MONTH.match(example)
    first, second = (int(found.group(1)), int(found.group(2))) if found else (5, 1)
    readings = [_(_DAY_OF_MONTH[month - 1]).format(day=day)
                for day, month in ((first, second), (second, first)) if 1 <= month <= 12]
    read = (_("{first} or {second}").format(first=readings[0], second=readings[1]) if len(readings) == 2
            else readings[0] if readings else repr(example))
    return _("{example!r} could be {readings}. Parse it with the convention of the source, e.g. "
             "pd.to_datetime({expr}, format='%d/%m/%Y') (day first) or format='%m/%d/%Y' (month first), or "
             "cvmlib.validate.parse_dates({expr}, {name!r}, dayfirst=True).").format(
                 example=example, readings=read, expr=expr, name=name)


def as_timestamp(value: Any, name: str = "snapshot_date", *, dayfirst: bool | None = None,
                 format: str | None = None) -> pd.Timestamp:
    """``value`` as a :class:`pandas.Timestamp`, or an :class:`InputError` naming ``name``.

    A date string means midnight. Refused: ``None`` and NaT (a missing date is not a period),
    numbers and bools (``pd.Timestamp(5)`` would be 5 nanoseconds after 1970), and text such as
    ``"05/01/2025"`` whose day and month can be swapped, unless ``dayfirst`` or ``format`` says
    which convention it follows.

    Parameters
    ----------
    value : str, date, datetime, numpy.datetime64 or pandas.Timestamp
    name : str
        The parameter name shown in the message.
    dayfirst : bool, optional
        For ``d/m/y`` versus ``m/d/y`` text: True reads the first number as the day.
    format : str, optional
        An explicit :func:`datetime.datetime.strptime` format, e.g. ``"%d/%m/%Y"``.

    Examples
    --------
    >>> as_timestamp("2025-12-31")
    Timestamp('2025-12-31 00:00:00')
    >>> as_timestamp("05/01/2025", "as_of", dayfirst=True)
    Timestamp('2025-01-05 00:00:00')
    >>> as_timestamp("05/01/2025", "as_of")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: as_of='05/01/2025' is ambiguous: day/month/year or month/day/year? ...
    >>> as_timestamp(None, "as_of")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: as_of is missing (None). Pass a date such as as_of='2026-01-01'. ...
    """
    if value is None:
        raise InputError(_("{name} is missing (None). Pass a date such as {name}='2026-01-01'. None is not a "
                           "date, and not an empty or open period either.").format(name=name))
    if isinstance(value, (bool, np.bool_, int, float, np.number)):
        raise InputError(_("{name}={value!r} is a number, not a date. Pass a date such as {name}='2026-01-01' "
                           "(a date without time means midnight) or a pd.Timestamp; for Unix seconds use "
                           "pd.Timestamp({value!r}, unit='s').").format(name=name, value=value))
    if isinstance(value, str) and not value.strip():
        raise InputError(_("{name}={value!r} is empty. Pass a date such as {name}='2026-01-01'.").format(
            name=name, value=value))
    try:
        if format is not None:
            ts = pd.to_datetime(value, format=format)
        elif isinstance(value, str) and _DAY_MONTH.match(value):
            order, bad, problem = _day_month_order(pd.Series([value]), dayfirst)
            if bad.any():
                raise InputError(
                    join_sentences(_date_problem(problem, name, value), _("Say which: pass an ISO date ('2025-01-05'), a pd.Timestamp, or parse it with the "
                        "convention of the source, e.g. pd.to_datetime({value!r}, format='%d/%m/%Y') (day "
                        "first) or format='%m/%d/%Y' (month first).").format(value=value))
                )
            ts = pd.to_datetime(value, dayfirst=bool(order))
        else:
            ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(
            _("{name}={value!r} is not a date. Pass a date such as {name}='2026-01-01' (a date without time "
              "means midnight) or a pd.Timestamp.").format(name=name, value=value)
        ) from exc
    if pd.isna(ts):
        raise InputError(_("{name} is missing (NaT). Pass a date such as {name}='2026-01-01'.").format(name=name))
    return pd.Timestamp(ts)


# --------------------------------------------------------------------------------------------
# the individual checks (each raises InputError or returns a converted column)


def _check_columns(df: pd.DataFrame, roles: Mapping[str, Hashable], table_name: str = "the table") -> None:
    """Named columns exist (with a 'did you mean' suggestion) and are not duplicated.

    ``roles`` maps a parameter name (``"date_col"``) to the column it names; a column required
    under its own name (no parameter to pass) maps to itself.
    """
    bound = set(roles.values())
    table = _shown(table_name)
    for role, col in roles.items():
        own = role == str(col)  # required under its own name: no parameter to point at
        if col in df.columns:
            if isinstance(df[col], pd.DataFrame):
                times = int((df.columns == col).sum())
                text = (_("Column {column!r} appears {times} times in {table}. Column names must be unique: "
                          "rename or drop the extra copies.") if own else
                        _("Column {column!r} ({role}) appears {times} times in {table}. Column names must be "
                          "unique: rename or drop the extra copies."))
                raise InputError(text.format(column=col, role=role, times=times, table=table))
            continue
        guess = suggest_name(col, [c for c in df.columns if c not in bound])
        rename = f"df = df.rename(columns={{{guess!r}: {col!r}}})"
        if guess is None:
            text = (_("Column {column!r} is missing from {table}.") if own else
                    _("Column {column!r} ({role}) is missing from {table}. Pass {role}=<the column that holds it>."))
        elif own:
            text = _("Column {column!r} is missing from {table}. Did you mean {guess!r}? Rename it: {rename}.")
        else:
            text = _("Column {column!r} ({role}) is missing from {table}. Did you mean {guess!r}? Pass "
                     "{role}={guess!r}, or rename the column: {rename}.")
        raise InputError(
            join_sentences(text.format(column=col, role=role, table=table, guess=guess, rename=rename),
                           _("Available columns: {columns}. First rows:").format(columns=list(df.columns)))
            + f"\n{df.head(MAX_ROWS_SHOWN).to_string()}"
        )


def require_table(table: Any, name: str, columns: Sequence[Hashable] = ()) -> pd.DataFrame:
    """``table`` itself, once it is known to be a non-empty DataFrame with ``columns``.

    The first check of every cvmlib function that takes a table: a clear InputError (with a
    "did you mean" for a misspelt column) instead of a KeyError from pandas internals.

    Examples
    --------
    >>> require_table(pd.DataFrame({"Cost": [3]}), "the survey", ["cost"])
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Column 'cost' is missing from the survey. Did you mean 'Cost'? ...
    """
    if not isinstance(table, pd.DataFrame):
        raise InputError(_("{name} must be a pandas DataFrame; got {type}.").format(
            name=_shown(name), type=type(table).__name__))
    if table.empty:
        raise InputError(_("{name} is empty: there are no rows to analyse.").format(name=_shown(name)))
    _check_columns(table, {str(c): c for c in columns}, name)
    return table


def _check_ids(
    df: pd.DataFrame, col: Hashable, what: str, show: list[Hashable], encoded: EncodedIds | None
) -> None:
    """No missing id in ``col``; ``what`` is ``"customer"`` or ``"order"``."""
    bad = _blank(df[col], encoded)
    if bad.any():
        problem = "missing_customer_id" if what == "customer" else "missing_order_id"
        raise _fail(transaction_problem_text(problem, int(bad.sum()), column=col), df, bad, show)


def _mixed_tz_error(df: pd.DataFrame, col: Hashable, show: list[Hashable]) -> InputError:
    labels = df[col].map(_tz_label)
    naive = (labels == "naive").to_numpy()
    aware = (labels.notna() & ~labels.eq("naive")).to_numpy()
    if naive.any() and aware.any():
        bad = aware if aware.sum() <= naive.sum() else naive  # show the minority
        return _fail(
            _("Column {column!r} mixes time-zone-aware timestamps ({aware}) with naive ones ({naive}); they "
              "cannot be compared. Decide which zone the naive ones are in and convert all to one convention, "
              "e.g. naive local time: pd.to_datetime(df[{column!r}], utc=True).dt.tz_convert('Asia/Shanghai')"
              ".dt.tz_localize(None) (this reads naive values as UTC -- adjust if they are not).").format(
                  column=col, aware=_rows(int(aware.sum())), naive=_rows(int(naive.sum()))),
            df, bad, show,
        )
    zones = labels[aware]
    bad = aware & ~labels.eq(zones.mode().iloc[0]).to_numpy() if len(zones) else aware
    return _fail(
        _("Column {column!r} mixes time zones ({zones}). Convert to one zone, e.g. "
          "pd.to_datetime(df[{column!r}], utc=True).dt.tz_convert('Asia/Shanghai').").format(
              column=col, zones=", ".join(map(str, zones.unique()[:5]))),
        df, bad, show,
    )


def _parse_dates(
    df: pd.DataFrame, col: Hashable, show: list[Hashable], *, format: str | None = None,
    dayfirst: bool | None = None, allow_missing: bool = False,
) -> pd.Series:
    s = df[col]
    if s.dtype.kind == "M" or isinstance(s.dtype, pd.DatetimeTZDtype):
        parsed = s  # already datetime64: nothing to parse (the fast path)
        missing = s.isna().to_numpy()
    elif pd.api.types.is_numeric_dtype(s.dtype) or s.dtype == bool:
        raise _fail(
            _("Column {column!r} holds numbers, not dates. Convert it first, e.g. "
              "pd.to_datetime(df[{column!r}], unit='s') for Unix seconds, or parse the text form.").format(column=col),
            df, np.ones(len(s), dtype=bool), show,
        )
    else:
        missing = _blank(s)
        parsed = None
        if format is not None:
            parsed = pd.to_datetime(s.where(~missing), format=format, errors="coerce")
            bad = parsed.isna().to_numpy() & ~missing
            if bad.any():
                n = int(bad.sum())
                raise _fail(ngettext("Column {column!r} has {n:,} value that do not match format={format!r}.",
                                     "Column {column!r} has {n:,} values that do not match format={format!r}.",
                                     n).format(column=col, n=n, format=format), df, bad, show)
        else:
            try:  # ISO strings (the usual export) parse fast; fall back to per-value inference.
                iso = pd.to_datetime(s, format="ISO8601", errors="coerce")
                if not (iso.isna().to_numpy() & ~missing).any():
                    parsed = iso
            except (ValueError, TypeError, OverflowError):
                pass
        if parsed is None:
            present = ~missing
            order, unclear, problem = _day_month_order(s[present], dayfirst)
            if unclear.any():
                bad = np.zeros(len(s), dtype=bool)
                bad[np.flatnonzero(present)[unclear]] = True
                example = str(s[bad].iloc[0])
                raise _fail(
                    join_sentences(_dates_problem(problem, col, int(bad.sum())),
                                   _ambiguity_fix(example, f"df[{col!r}]", str(col)),
                                   _("(A datetime64 column is taken as it is.)")),
                    df, bad, show,
                )
            # dayfirst=True also swaps day and month of year-first text ("2024-01-02" -> 1 February), so
            # year-first values are read on their own, year-month-day, whatever the other values say.
            year_first = present & s.astype("str").str.match(_YEAR_FIRST).to_numpy(dtype=bool, na_value=False)
            try:
                parsed = pd.to_datetime(s.where(present & ~year_first), format="mixed", errors="coerce",
                                        dayfirst=bool(order))
                if year_first.any():
                    ymd = pd.to_datetime(s.where(year_first), format="mixed", errors="coerce", dayfirst=False)
                    parsed = ymd if year_first[present].all() else parsed.where(~year_first, ymd)
            except (ValueError, TypeError) as exc:
                raise _mixed_tz_error(df, col, show) from exc
            bad = parsed.isna().to_numpy() & ~missing
            if bad.any():
                # Timestamps that failed to convert are time-zone conflicts, not bad text.
                if s[bad].map(lambda v: isinstance(v, _dt.datetime)).any():
                    raise _mixed_tz_error(df, col, show)
                raise _fail(transaction_problem_text("unreadable_dates", int(bad.sum()), column=col), df, bad, show)
    if missing.any() and not allow_missing:
        raise _fail(transaction_problem_text("missing_dates", int(missing.sum()), column=col), df, missing, show)
    return parsed


def _parse_amounts(df: pd.DataFrame, col: Hashable, show: list[Hashable]) -> pd.Series:
    s = df[col]
    if s.dtype == bool or s.dtype.kind == "b":
        raise _fail(_("Column {column!r} holds True/False, not amounts.").format(column=col),
                    df, np.ones(len(s), bool), show)
    if pd.api.types.is_numeric_dtype(s.dtype):
        amounts = s.astype("float64")
        missing = amounts.isna().to_numpy()
    else:
        missing = _blank(s)
        amounts = pd.to_numeric(s.astype(object), errors="coerce").astype("float64")
        bad = amounts.isna().to_numpy() & ~missing
        if bad.any():
            raise _fail(transaction_problem_text("text_amounts", int(bad.sum()), column=col,
                                                 texts=s[bad].astype("str").tolist()), df, bad, show)
    if missing.any():
        raise _fail(transaction_problem_text("missing_amounts", int(missing.sum()), column=col), df, missing, show)
    infinite = np.isinf(amounts.to_numpy())
    if infinite.any():
        raise _fail(transaction_problem_text("infinite_amounts", int(infinite.sum()), column=col),
                    df, infinite, show)
    return amounts


def _check_orders(
    df: pd.DataFrame, order_col: Hashable, customer_col: Hashable, date_col: Hashable,
    purchases: np.ndarray, show: list[Hashable], ids: dict[Hashable, EncodedIds], exact: bool = True,
) -> None:
    """One order id = one customer and one date; no row repeated exactly. Line items are fine.

    Hash-based so that millions of line items stay fast: rows are sorted by the order id's
    hash and neighbours compared; only the suspects are then checked exactly with pandas.
    Integer codes of the ids (``ids``, from :func:`cvmlib._ids.encode_ids`) serve as exact hashes.
    """
    if order_col in ids:
        codes = ids[order_col].codes
        repeated = np.bincount(codes, minlength=ids[order_col].n_codes)[codes] > 1
        h_order = codes.view(np.uint64)  # intp codes >= 0: exact hashes, no copy
    else:
        h_order = _hash_column(df[order_col])
        repeated = _repeated(h_order)
    if not repeated.any():
        return  # every order id unique: nothing can conflict or be duplicated
    rows = df[repeated]
    h_customer = (ids[customer_col].codes[repeated].astype(np.uint64) if customer_col in ids
                  else _hash_column(rows[customer_col]))
    hashes = {order_col: h_order[repeated], customer_col: h_customer,
              date_col: _hash_column(rows[date_col])}
    subset = purchases[repeated]
    h_sub = hashes[order_col][subset]
    with np.errstate(over="ignore"):
        key = (hashes[customer_col] * np.uint64(1_000_003) ^ hashes[date_col])[subset]
    order = np.argsort(h_sub, kind="stable")
    h_sorted, key_sorted = h_sub[order], key[order]
    same_order = h_sorted[1:] == h_sorted[:-1]
    differs = same_order & (key_sorted[1:] != key_sorted[:-1])
    if differs.any():
        run = np.concatenate([[0], np.cumsum(~same_order)])  # run number of each sorted row
        flagged = np.zeros(run[-1] + 1, dtype=bool)
        flagged[run[1:][differs]] = True
        suspect = np.empty(len(h_sub), dtype=bool)
        suspect[order] = flagged[run]
        suspects = rows[subset][suspect]
        grouped = suspects.groupby(order_col, sort=False, observed=True)
        conflict = (
            grouped[customer_col].transform("nunique").gt(1)
            | grouped[date_col].transform("nunique").gt(1)
        ).to_numpy()
        if conflict.any():
            bad = suspects[conflict].sort_values(order_col, kind="stable")  # each order together
            text = transaction_problem_text("order_conflict", int(bad[order_col].nunique()), column=order_col,
                                            rows_count=len(bad))
            raise _fail(text, bad, np.ones(len(bad), dtype=bool), show)
    candidates = _duplicate_candidates(rows, show, hashes) if exact else np.zeros(len(rows), dtype=bool)
    if candidates.any():
        _check_exact_duplicates(rows[candidates], show, order_col)


def _check_exact_duplicates(df: pd.DataFrame, show: list[Hashable], order_col: Hashable | None = None) -> None:
    try:
        dup = df.duplicated(keep=False).to_numpy()
    except TypeError:  # unhashable values in an extra column: compare the named columns only
        dup = df[show].duplicated(keep=False).to_numpy()
    if dup.any():
        text = transaction_problem_text("exact_duplicates", int(dup.sum()), all_columns=list(df.columns),
                                        order_col=order_col)
        raise _fail(text, df, dup, show)


# --------------------------------------------------------------------------------------------
# public API


def validate_transactions(
    transactions: pd.DataFrame,
    *,
    customer_col: Hashable = "customer_id",
    order_col: Hashable | None = "order_id",
    date_col: Hashable = "order_date",
    amount_col: Hashable | None = "amount",
    snapshot_date: Any = None,
    returns: ReturnsPolicy = "error",
    duplicates: DuplicatesPolicy = "error",
) -> pd.DataFrame:
    """Check a transaction table and return a validated copy.

    Checks, in this order (the first failure raises :class:`InputError`): a DataFrame; not empty;
    the named columns exist (with a "did you mean" suggestion); no missing customer (or order)
    ids; dates parse (text is parsed, ``datetime64`` columns are taken as they are) and do not mix
    time-zone-aware with naive values; amounts are numeric and finite; non-positive amounts
    follow the ``returns`` policy; one order id means one customer and one date (line items --
    several rows of one order with different amounts -- are allowed) and no row is an exact
    duplicate; no date lies after ``snapshot_date``.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per transaction (order or order line).
    customer_col, order_col, date_col, amount_col : column names
        Where the customer id, order id, purchase time and amount are. ``order_col=None`` for
        data without order ids (then exact duplicates are checked over all columns);
        ``amount_col=None`` for data without amounts.
    snapshot_date : str, date or Timestamp, optional
        The "as of" moment of the analysis; purchases after it are an error. A date string
        means midnight. ``None`` skips this check (see :func:`resolve_snapshot_date`).
    returns : {"error", "net", "exclude"}
        What to do with non-positive amounts (returns, refunds, zero-value rows): ``"error"``
        raises, ``"net"`` keeps them (the caller treats them as returns), ``"exclude"`` drops
        them with a :class:`UserWarning` giving the count.
    duplicates : {"error", "keep"}
        ``"error"`` refuses exact duplicate rows (usually the same export twice); ``"keep"`` is
        for callers whose result cannot change with them (e.g. counting distinct customers per
        day or period, without amounts). Conflicting order ids are refused either way.

    Returns
    -------
    pandas.DataFrame
        A copy with every original column and the original index; ``date_col`` as
        ``datetime64``, ``amount_col`` as ``float64``; other columns untouched. Under
        ``returns="exclude"`` without the non-positive rows.

    Raises
    ------
    InputError
        With a message naming the column, the problem and the fix, plus up to five offending
        rows.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"order_id": ["O1", "O1", "R1"], "customer_id": ["C1", "C1", "C1"],
    ...                    "order_date": pd.to_datetime(["2024-05-01", "2024-05-01", "2024-05-03"]),
    ...                    "amount": [10, 20, -10]})
    >>> validate_transactions(tx, returns="net")["amount"].tolist()
    [10.0, 20.0, -10.0]
    >>> validate_transactions(tx)
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Column 'amount' has 1 non-positive value (returns or zero amounts). ...
    >>> validate_transactions(tx, returns="net", snapshot_date="2024-05-02")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Column 'order_date' has 1 date after snapshot_date 2024-05-02 00:00:00. ...
    """
    valid, _ = validate_transactions_with_ids(
        transactions, customer_col=customer_col, order_col=order_col, date_col=date_col,
        amount_col=amount_col, snapshot_date=snapshot_date, returns=returns, duplicates=duplicates,
    )
    return valid


def validate_transactions_with_ids(
    transactions: pd.DataFrame,
    *,
    customer_col: Hashable = "customer_id",
    order_col: Hashable | None = "order_id",
    date_col: Hashable = "order_date",
    amount_col: Hashable | None = "amount",
    snapshot_date: Any = None,
    returns: ReturnsPolicy = "error",
    duplicates: DuplicatesPolicy = "error",
) -> tuple[pd.DataFrame, dict[Hashable, EncodedIds]]:
    """:func:`validate_transactions`, plus the integer codes of the id columns it computed.

    Returns the validated frame and ``{column: EncodedIds}`` for the customer and order id
    columns (a column is left out when its ids cannot be encoded), row-aligned with the frame.
    Why: encoding string ids is the costliest step on large tables, and callers that group by
    the ids (:func:`cvmlib.rfm.rfm_table`) would otherwise do it a second time.
    """
    if not isinstance(transactions, pd.DataFrame):
        raise InputError(
            _("Expected a pandas DataFrame of transactions, got {type}. Load or convert it first, e.g. "
              "pd.read_csv(path) or pd.DataFrame(records).").format(type=type(transactions).__name__)
        )
    if returns not in _RETURNS_POLICIES:
        raise InputError(_("returns={returns!r} is not a policy; choose one of {policies}.").format(
            returns=returns, policies=_RETURNS_POLICIES))
    require_choice(duplicates, "duplicates", ["error", "keep"])
    df = transactions
    if len(df) == 0:
        raise InputError(
            _("The transaction table is empty (0 rows; columns {columns}). Check the file you loaded or the "
              "filter you applied before this call.").format(columns=list(df.columns))
        )
    roles = {"customer_col": customer_col, "order_col": order_col, "date_col": date_col,
             "amount_col": amount_col}
    roles = {role: col for role, col in roles.items() if col is not None}
    _check_columns(df, roles)
    show = list(roles.values())

    ids: dict[Hashable, EncodedIds] = {}
    for col, what in ((customer_col, "customer"), (order_col, "order")):
        if col is None:
            continue
        encoded = encode_ids(df[col])
        _check_ids(df, col, what, show, encoded)
        if encoded is not None:
            ids[col] = encoded
    dates = _parse_dates(df, date_col, show)

    out = df.copy(deep=False)  # copy-on-write: cheap, and the caller's frame is never modified
    out[date_col] = dates
    if amount_col is not None:
        out[amount_col] = _parse_amounts(df, amount_col, show)
        non_positive = (out[amount_col] <= 0).to_numpy()
        if non_positive.any():
            k = int(non_positive.sum())
            if returns == "error":
                raise _fail(transaction_problem_text("non_positive_amounts", k, column=amount_col),
                            df, non_positive, show)
            if returns == "exclude":
                warnings.warn(excluded_returns_text(k, amount_col, len(out)),
                              UserWarning, stacklevel=3)  # the caller of the public function
                out = out[~non_positive]
                ids = {col: encoded.take(~non_positive) for col, encoded in ids.items()}
                non_positive = np.zeros(len(out), dtype=bool)
                if len(out) == 0:
                    raise InputError(transaction_problem_text("all_excluded", column=amount_col))
    else:
        non_positive = np.zeros(len(out), dtype=bool)

    if order_col is not None:
        # A return may carry its order's id and a later date: compare purchases only.
        _check_orders(out, order_col, customer_col, date_col, ~non_positive, show, ids,
                      exact=duplicates == "error")
    elif duplicates == "error":
        # The validation's integer codes are exact hashes of the customer ids.
        known = {col: encoded.codes.view(np.uint64) for col, encoded in ids.items()}  # intp codes >= 0
        candidates = _duplicate_candidates(out, show, known)
        if candidates.any():
            _check_exact_duplicates(out[candidates], show)

    if snapshot_date is not None:
        snapshot = as_timestamp(snapshot_date)
        if (snapshot.tzinfo is None) != (getattr(out[date_col].dtype, "tz", None) is None):
            raise InputError(transaction_problem_text("snapshot_zone", column=date_col, snapshot=snapshot,
                                                      dtype=out[date_col].dtype))
        after = (out[date_col] > snapshot).to_numpy()
        if after.any():
            last = out[date_col].max()
            later = f"{(last.normalize() + pd.Timedelta(days=1)):%Y-%m-%d}"
            raise _fail(transaction_problem_text("after_snapshot", int(after.sum()), column=date_col,
                                                 snapshot=snapshot, later=later), out, after, show)
    return out, ids


def resolve_snapshot_date(dates: pd.Series, snapshot_date: Any = None) -> pd.Timestamp:
    """The snapshot ("as of") timestamp: the explicit value, or the day after the last purchase.

    Parameters
    ----------
    dates : pandas.Series
        Purchase dates (``datetime64`` or text).
    snapshot_date : str, date or Timestamp, optional
        Returned as a :class:`pandas.Timestamp` as given; a date string means midnight.

    Returns
    -------
    pandas.Timestamp
        With ``snapshot_date=None``: midnight after the last purchase date, announced with a
        :class:`UserWarning` so the default is never silent.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.Series(pd.to_datetime(["2025-12-30 09:00", "2025-12-31 18:30"]))
    >>> resolve_snapshot_date(d, "2026-01-15")
    Timestamp('2026-01-15 00:00:00')
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     resolve_snapshot_date(d)
    Timestamp('2026-01-01 00:00:00')
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    snapshot_date not given: using 2026-01-01 (midnight after the last purchase, 2025-12-31 18:30:00). ...
    """
    if snapshot_date is not None:
        return as_timestamp(snapshot_date)
    if not isinstance(dates, pd.Series):
        dates = pd.Series(dates)
    frame = dates.to_frame(name=dates.name if dates.name is not None else "date")
    col = frame.columns[0]
    if len(frame) == 0:
        raise InputError(_("Column {column!r} is empty: cannot default snapshot_date to the last purchase. "
                           "Pass snapshot_date explicitly.").format(column=col))
    last = _parse_dates(frame, col, [col]).max()
    snapshot = last.normalize() + pd.Timedelta(days=1)
    warnings.warn(
        _("snapshot_date not given: using {snapshot} (midnight after the last purchase, {last}). Pass "
          "snapshot_date='{snapshot}' to make it explicit.").format(snapshot=f"{snapshot:%Y-%m-%d}", last=last),
        UserWarning, stacklevel=2,
    )
    return snapshot


def resolve_observation_end(days: pd.Series, observation_end: Any = None) -> pd.Timestamp:
    """The last day observed (inclusive, at midnight): the explicit value, or the last purchase day.

    The BTYD summary and cohort tables count whole days up to and including this day; RFM's
    :func:`resolve_snapshot_date` is instead the first moment *not* observed.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.Series(pd.to_datetime(["2025-12-30 09:00", "2025-12-31 18:30"]))
    >>> resolve_observation_end(d, "2025-12-31 23:59")
    Timestamp('2025-12-31 00:00:00')
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     resolve_observation_end(d)
    Timestamp('2025-12-31 00:00:00')
    >>> print(caught[0].message)
    observation_end not given: using the last purchase day, 2025-12-31.
    """
    if observation_end is not None:
        return as_timestamp(observation_end, "observation_end").normalize()
    end = pd.Timestamp(days.max()).normalize()
    warnings.warn(_("observation_end not given: using the last purchase day, {end}.").format(
        end=f"{end:%Y-%m-%d}"), UserWarning, stacklevel=3)
    return end


# --------------------------------------------------------------------------------------------
# Shared guards: the one home of the input checks of every cvmlib module
#
# Each guard takes the values and the name to show (a parameter or a column), returns the
# values converted (float for numbers) and raises InputError naming them and showing the
# offending rows (or the value, for a scalar). They accept a scalar, a Series, a 1-D array or
# list, or a DataFrame column (pass ``frame=`` to show the other columns of the offending
# rows). A DataFrame or a 2-D array where one value per row is meant is an error, never
# flattened; a bool is not a number; a string is not a bool.


Inclusive = Literal["both", "neither", "left", "right"]
#: What a numeric guard returns: a float for a scalar, else a float Series or array like the input.
NumbersT = TypeVar("NumbersT", float, pd.Series, np.ndarray)

# "1,234.50" (thousands separators), "1.234,50" (European), "12,50" (decimal comma), "¥12".
_THOUSANDS = re.compile(r"^\s*[+-]?\d{1,3}(,\d{3})+(\.\d*)?\s*$")
_EUROPEAN = re.compile(r"^\s*[+-]?\d{1,3}(\.\d{3})+(,\d*)?\s*$")
_DECIMAL_COMMA = re.compile(r"^\s*[+-]?\d+,\d+\s*$")
_CURRENCY = re.compile(r"[¥$€£]|\b(CNY|RMB|USD|EUR)\b", re.IGNORECASE)


def numeric_text_hint(texts: Sequence[str], expr: str) -> str:
    """The fix for numbers written as text, from what the text looks like (for error messages).

    ``expr`` is the expression the fix applies to, e.g. ``"df['amount']"``.

    Examples
    --------
    >>> numeric_text_hint(["1,234.50"], "df['amount']")
    "They contain thousands separators (e.g. '1,234.50'): remove them, e.g. pd.to_numeric(df['amount'].str.replace(',', '')), or read the file with pd.read_csv(..., thousands=',')."
    >>> numeric_text_hint(["12,50"], "df['amount']")[:40]
    "They look like decimal commas ('12,50'):"
    """
    sample = [t for t in texts if t.strip()][:200]

    def share(pattern: re.Pattern[str]) -> bool:
        return any(pattern.match(t) for t in sample)

    if any(_CURRENCY.search(t) for t in sample):
        return _("They carry a currency sign or code (e.g. {example!r}): remove it, e.g. "
                 "pd.to_numeric({expr}.str.replace(r'[^0-9.,+-]', '', regex=True)), and record the currency in "
                 "the column name.").format(example=sample[0], expr=expr)
    thousands = [t for t in sample if _THOUSANDS.match(t)]
    if any("." in t for t in thousands) or (thousands and not share(_DECIMAL_COMMA)):
        return _("They contain thousands separators (e.g. {example!r}): remove them, e.g. "
                 "pd.to_numeric({expr}.str.replace(',', '')), or read the file with "
                 "pd.read_csv(..., thousands=',').").format(example=thousands[0], expr=expr)
    if share(_EUROPEAN) and any("," in t for t in sample):
        example = next(t for t in sample if _EUROPEAN.match(t))
        return _("They use '.' for thousands and ',' for decimals (e.g. {example!r}): read the file with "
                 "pd.read_csv(..., thousands='.', decimal=','), or convert with "
                 "pd.to_numeric({expr}.str.replace('.', '').str.replace(',', '.')).").format(example=example, expr=expr)
    if thousands:  # "1,234" alone: a thousands separator or a decimal comma
        return _("{example!r} is either 1234 (thousands separator) or 1.234 (decimal comma): check the source, "
                 "then remove the separators with {expr}.str.replace(',', '') or read the file with "
                 "pd.read_csv(..., decimal=',').").format(example=thousands[0], expr=expr)
    if share(_DECIMAL_COMMA):
        return _("They look like decimal commas ('12,50'): read the file with pd.read_csv(..., decimal=',') or "
                 "convert with pd.to_numeric({expr}.str.replace(',', '.')).").format(expr=expr)
    return _("Fix or remove them, then convert with pd.to_numeric({expr}).").format(expr=expr)


def _label(name: Hashable, frame: pd.DataFrame | None) -> str:
    return _("Column {column!r}").format(column=name) if frame is not None else str(name)


def _two_d_error(values: Any, name: Hashable) -> InputError:
    if isinstance(values, pd.DataFrame):
        return InputError(
            _("{name} must hold one value per row (a Series or a 1-D array); got a DataFrame with columns "
              "{columns}. Select one column, e.g. table[{first!r}].").format(
                  name=name, columns=list(values.columns)[:6], first=str(values.columns[0]))
            if len(values.columns) else
            _("{name} must be one value per row; got an empty DataFrame.").format(name=name)
        )
    shape = getattr(values, "shape", None) or np.shape(values)
    return InputError(
        _("{name} must be one-dimensional (one value per row); got an array of shape {shape}. Nothing is "
          "flattened silently: select the column you mean (e.g. values[:, 0]) or flatten it yourself if that "
          "is what you mean (values.ravel()).").format(name=name, shape=tuple(shape))
    )


def require_1d(values: Any, name: Hashable) -> pd.Series | np.ndarray:
    """``values`` as a Series (kept) or a 1-D array; a DataFrame, a 2-D array or a scalar is an error.

    A ``(n, 1)`` array is 2-D too: flattening it silently could hide a transposed or wrong
    selection.

    Examples
    --------
    >>> require_1d([1, 2], "values").tolist()
    [1, 2]
    >>> require_1d(np.ones((2, 2)), "values")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: values must be one-dimensional (one value per row); got an array of shape (2, 2). ...
    """
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, pd.DataFrame):
        raise _two_d_error(values, name)
    if isinstance(values, pd.Index):
        return values.to_numpy()
    if isinstance(values, (str, bytes)) or values is None or np.ndim(values) == 0:
        raise InputError(_("{name} must be one value per row (a Series, a list or a 1-D array); got a single "
                           "{type}: {value!r}.").format(name=name, type=type(values).__name__, value=values))
    try:
        arr = np.asarray(values)
    except (TypeError, ValueError):  # ragged nested lists
        arr = np.asarray(values, dtype=object)
    if arr.ndim != 1:
        raise _two_d_error(arr, name)
    return arr


def as_series(values: Any, name: Hashable) -> pd.Series:
    """``values`` as a Series (a Series is returned as it is), after :func:`require_1d`.

    Examples
    --------
    >>> as_series([3, 4], "values").tolist()
    [3, 4]
    """
    checked = require_1d(values, name)
    return checked if isinstance(checked, pd.Series) else pd.Series(checked)


def require_not_empty(values: Any, name: Hashable, what: str = "rows") -> Any:
    """``values`` itself if it has at least one element (row); an empty selection is an error.

    Examples
    --------
    >>> require_not_empty(pd.Series([], dtype=float), "values", "customers")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: values is empty: there are no customers to work with. ...
    """
    size = len(values) if hasattr(values, "__len__") else np.size(values)
    if size == 0:
        raise InputError(_("{name} is empty: there are no {what} to work with. An empty selection has no "
                           "result: check the filter or the file that produced it.").format(
                               name=name, what=_shown(what)))
    return values


def _display(series: pd.Series, name: Hashable, frame: pd.DataFrame | None,
             columns: Sequence[Hashable] | None) -> tuple[pd.DataFrame, Sequence[Hashable] | None]:
    if frame is not None and len(frame) == len(series):
        return frame, columns if columns is not None else ([name] if name in frame.columns else None)
    return series.rename(name).to_frame(), None


def _float_data(series: pd.Series, name: Hashable, frame: pd.DataFrame | None,
                columns: Sequence[Hashable] | None) -> np.ndarray:
    """The values of a 1-D Series as float64 (NaN for missing); text, bools, dates are errors."""
    label = _label(name, frame)
    dtype = series.dtype
    shown, cols = _display(series, name, frame, columns)
    if pd.api.types.is_bool_dtype(dtype):
        raise _fail(_("{label} holds True/False, not numbers (a bool is not a number here). Convert deliberately "
                      "if you mean 0/1: .astype(int).").format(label=label), shown, np.ones(len(series), bool), cols)
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    if dtype == object or pd.api.types.is_string_dtype(dtype):
        values = series.to_numpy(dtype=object)
        is_text = np.fromiter((isinstance(v, str) for v in values), bool, len(values))
        is_bool = np.fromiter((isinstance(v, (bool, np.bool_)) for v in values), bool, len(values))
        if is_text.any():
            n = int(is_text.sum())
            fix = numeric_text_hint([str(v) for v in values[is_text]], f"df[{name!r}]" if frame is not None else str(name))
            raise _fail(join_sentences(ngettext("{label} has {n:,} value written as text, not numbers.",
                                                "{label} has {n:,} values written as text, not numbers.",
                                                n).format(label=label, n=n), fix), shown, is_text, cols)
        if is_bool.any():
            n = int(is_bool.sum())
            raise _fail(ngettext("{label} has {n:,} True/False value, not numbers.",
                                 "{label} has {n:,} True/False values, not numbers.", n).format(label=label, n=n),
                        shown, is_bool, cols)
        numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        bad = np.isnan(numbers) & ~pd.isna(series).to_numpy()
        if bad.any():
            n = int(bad.sum())
            raise _fail(ngettext("{label} has {n:,} value that are not numbers.",
                                 "{label} has {n:,} values that are not numbers.", n).format(label=label, n=n),
                        shown, bad, cols)
        return numbers
    raise InputError(_("{label} must be numeric; got dtype {dtype}. Convert it first (e.g. pd.to_numeric, or "
                       ".astype(int) for numeric categories).").format(label=label, dtype=dtype))


def _scalar_float(value: Any, name: Hashable) -> float:
    if value is None:
        raise InputError(_("{name} is missing (None); pass a number.").format(name=name))
    if isinstance(value, (bool, np.bool_)):
        raise InputError(_("{name}={value!r} is a bool, not a number. Pass a number.").format(name=name, value=value))
    if isinstance(value, str):
        # the hint speaks of "them" (values of a column); of one value, in English, "It"
        fix = numeric_text_hint([value], repr(value)).replace("They ", "It ")
        raise InputError(join_sentences(_("{name}={value!r} is text, not a number.").format(name=name, value=value), fix))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    raise InputError(_("{name} must be a number; got {type}: {value!r}.").format(
        name=name, type=type(value).__name__, value=value))


#: How a guard says what is wrong: for one value (a message with ``{name}`` and ``{value}``), and
#: for ``n`` rows of a column or Series (a function of ``n`` giving a message with ``{label}`` and
#: ``{n}``); both may use the extra values the guard passes (``{interval}``, ``{minimum}``).
Problem = tuple[str, Any]


def _checked(
    values: Any, name: Hashable, frame: pd.DataFrame | None, columns: Sequence[Hashable] | None,
    allow_missing: bool, test: Any = None, problem: Problem | None = None, fix: str = "",
    scalar: bool = False, **extra: Any,
) -> Any:
    """The shared path of the numeric guards: convert, check finiteness and ``test``, return.

    ``problem`` is how a failing value is described (see :data:`Problem`); ``extra`` fills its
    other placeholders.
    """
    tail = _shown(fix)
    if scalar:
        require_scalar(values, name)
    if not isinstance(values, (pd.Series, pd.DataFrame, pd.Index, np.ndarray, list, tuple, range)):
        number = _scalar_float(values, name)
        if np.isnan(number) and allow_missing:
            return number
        if not np.isfinite(number):
            text = (_("{name}={value} is not a finite number. Pass a finite number (missing values are not "
                      "allowed here).") if np.isnan(number) else
                    _("{name}={value} is not a finite number. Pass a finite number."))
            raise InputError(text.format(name=name, value=value_text(values)))
        if test is not None and problem is not None and test(np.array([number]))[0]:
            raise InputError(join_sentences(_(problem[0]).format(name=name, value=value_text(values), **extra), tail))
        return number
    checked = require_1d(values, name)
    series = checked if isinstance(checked, pd.Series) else pd.Series(checked)
    data = _float_data(series, name, frame, columns)
    shown, cols = _display(series, name, frame, columns)
    label = _label(name, frame)
    missing = np.isnan(data)
    bad = ~np.isfinite(data) & ~(missing if allow_missing else False)
    if bad.any():
        n_inf = int((bad & ~missing).sum())
        n = int(bad.sum())
        if n_inf and missing[bad].any():
            text = ngettext("{label} has {n:,} row with missing or infinite values; every row needs a finite "
                            "number. Fill or drop them first, and say which.",
                            "{label} has {n:,} rows with missing or infinite values; every row needs a finite "
                            "number. Fill or drop them first, and say which.", n)
        elif n_inf:
            text = ngettext("{label} has {n:,} row with infinite values (inf); every row needs a finite number. "
                            "Fill or drop them first, and say which.",
                            "{label} has {n:,} rows with infinite values (inf); every row needs a finite number. "
                            "Fill or drop them first, and say which.", n)
        else:
            text = ngettext("{label} has {n:,} row with missing values (NaN); every row needs a finite number. "
                            "Fill or drop them first, and say which.",
                            "{label} has {n:,} rows with missing values (NaN); every row needs a finite number. "
                            "Fill or drop them first, and say which.", n)
        raise _fail(text.format(label=label, n=n), shown, bad, cols)
    if test is not None and problem is not None:
        with np.errstate(invalid="ignore"):
            bad = test(data) & ~missing
        if bad.any():
            k = int(bad.sum())
            raise _fail(join_sentences(problem[1](k).format(label=label, n=k, **extra), tail), shown, bad, cols)
    if isinstance(checked, pd.Series):
        return pd.Series(data, index=checked.index, name=checked.name)
    return data


def require_scalar(value: Any, name: Hashable) -> Any:
    """``value`` if it is a single value, not a list, array, Series or table.

    The numeric guards take ``scalar=True`` for a parameter that is one number: ``[0.8]`` is then
    an error instead of an array that spreads through the computation.

    Examples
    --------
    >>> require_scalar(0.8, "value_share")
    0.8
    >>> require_scalar([0.8], "value_share")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: value_share must be a single value; got a list: [0.8].
    """
    many = isinstance(value, (pd.Series, pd.DataFrame, pd.Index, list, tuple, set, dict, range))
    if many or (isinstance(value, np.ndarray) and value.ndim != 0):
        raise InputError(_("{name} must be a single value; got a {type}: {value}.").format(
            name=name, type=type(value).__name__, value=repr(value)[:160]))
    return value


def value_text(value: Any) -> str:
    """``repr`` of a scalar for a message (``inf`` and ``nan`` as such).

    Examples
    --------
    >>> value_text(float("inf")), value_text(np.float64(2.5))
    ('inf', '2.5')
    """
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return repr(value)


_NEGATIVE: Problem = (N_("{name}={value} is negative."), lambda n: ngettext(
    "{label} has {n:,} negative value.", "{label} has {n:,} negative values.", n))
_NOT_POSITIVE: Problem = (N_("{name}={value} is not positive (> 0)."), lambda n: ngettext(
    "{label} has {n:,} value that is not positive (> 0).", "{label} has {n:,} values that are not positive (> 0).", n))
_NOT_WHOLE: Problem = (N_("{name}={value} is not a whole number."), lambda n: ngettext(
    "{label} has {n:,} value that is not a whole number.", "{label} has {n:,} values that are not whole numbers.", n))
_BELOW: Problem = (N_("{name}={value} is below {minimum}."), lambda n: ngettext(
    "{label} has {n:,} value below {minimum}.", "{label} has {n:,} values below {minimum}.", n))
_OUTSIDE: Problem = (N_("{name}={value} is outside {interval}."), lambda n: ngettext(
    "{label} has {n:,} value outside {interval}.", "{label} has {n:,} values outside {interval}.", n))


def require_numeric(values: NumbersT, name: Hashable, *, frame: pd.DataFrame | None = None,
                    columns: Sequence[Hashable] | None = None, allow_missing: bool = True, scalar: bool = False) -> NumbersT:
    """``values`` as float numbers: text, bools, dates and None are errors (NaN allowed by default).

    Parameters
    ----------
    values : scalar, pandas.Series, 1-D array or list
    name : str
        The parameter or column shown in the message.
    frame : pandas.DataFrame, optional
        The table ``values`` is a column of (row-aligned): the message then says "Column ..."
        and shows the offending rows with ``columns`` (default: the column itself).
    columns : sequence, optional
        Columns of ``frame`` to show.
    allow_missing : bool, default True
        Whether NaN may stay (inf never may).

    Returns
    -------
    float, pandas.Series or numpy.ndarray
        Float64, the same kind as the input (a list becomes an array).

    Examples
    --------
    >>> require_numeric(pd.Series([1, 2]), "values").tolist()
    [1.0, 2.0]
    >>> require_numeric(pd.Series(["1,234.50"]), "amount")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: amount has 1 value written as text, not numbers. They contain thousands separators ...
    >>> require_numeric(True, "margin")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: margin=True is a bool, not a number. Pass a number.
    """
    return _checked(values, name, frame, columns, allow_missing, scalar=scalar)


def require_finite(values: NumbersT, name: Hashable, *, frame: pd.DataFrame | None = None,
                   columns: Sequence[Hashable] | None = None, allow_missing: bool = False, scalar: bool = False) -> NumbersT:
    """Numbers without NaN (unless ``allow_missing``) or inf; see :func:`require_numeric`.

    Examples
    --------
    >>> require_finite(2, "t")
    2.0
    >>> require_finite(float("inf"), "t")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: t=inf is not a finite number. Pass a finite number.
    >>> require_finite(pd.Series([1.0, np.nan], index=["a", "b"]), "values")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: values has 1 row with missing values (NaN); every row needs a finite number. ...
    """
    return _checked(values, name, frame, columns, allow_missing, scalar=scalar)


def require_non_negative(values: NumbersT, name: Hashable, *, frame: pd.DataFrame | None = None,
                         columns: Sequence[Hashable] | None = None, allow_missing: bool = False,
                         fix: str = "", scalar: bool = False) -> NumbersT:
    """Finite numbers ``>= 0`` (costs, margins, counts, amounts of value); see :func:`require_numeric`.

    Examples
    --------
    >>> require_non_negative(pd.Series([3.0, -1.0], index=["a", "b"]), "cost")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: cost has 1 negative value. First offending rows:
       cost
    b  -1.0
    >>> require_non_negative(-2, "cost_per_order")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: cost_per_order=-2 is negative.
    """
    return _checked(values, name, frame, columns, allow_missing, lambda x: x < 0, _NEGATIVE, fix, scalar)


def require_positive(values: NumbersT, name: Hashable, *, frame: pd.DataFrame | None = None,
                     columns: Sequence[Hashable] | None = None, allow_missing: bool = False,
                     fix: str = "", scalar: bool = False) -> NumbersT:
    """Finite numbers ``> 0`` (a budget, a time unit, a scale parameter).

    Examples
    --------
    >>> require_positive(0, "budget")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: budget=0 is not positive (> 0).
    """
    return _checked(values, name, frame, columns, allow_missing, lambda x: x <= 0, _NOT_POSITIVE, fix, scalar)


def require_whole_number(values: NumbersT, name: Hashable, *, frame: pd.DataFrame | None = None,
                         columns: Sequence[Hashable] | None = None, allow_missing: bool = False,
                         minimum: float | None = None, scalar: bool = False) -> NumbersT:
    """Finite whole numbers (counts, ratings), optionally ``>= minimum``; returned as float.

    Examples
    --------
    >>> require_whole_number(pd.Series([1, 2.5]), "frequency")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: frequency has 1 value that is not a whole number. ...
    """
    out = _checked(values, name, frame, columns, allow_missing, lambda x: x != np.round(x), _NOT_WHOLE,
                   scalar=scalar)
    if minimum is not None:
        out = _checked(out, name, frame, columns, allow_missing, lambda x: x < minimum, _BELOW,
                       minimum=f"{minimum:g}")
    return out


def _outside(lo: float, hi: float, inclusive: Inclusive) -> Any:
    if inclusive not in ("both", "neither", "left", "right"):
        raise InputError(_("inclusive={inclusive!r} must be 'both', 'neither', 'left' or 'right'.").format(
            inclusive=inclusive))
    low_ok = (lambda x: x >= lo) if inclusive in ("both", "left") else (lambda x: x > lo)
    high_ok = (lambda x: x <= hi) if inclusive in ("both", "right") else (lambda x: x < hi)
    return lambda x: ~(low_ok(x) & high_ok(x))


def _interval(lo: float, hi: float, inclusive: Inclusive) -> str:
    left = "[" if inclusive in ("both", "left") else "("
    right = "]" if inclusive in ("both", "right") else ")"
    return f"{left}{lo:g}, {hi:g}{right}"


def require_within(values: NumbersT, name: Hashable, lo: float, hi: float, *, inclusive: Inclusive = "both",
                   frame: pd.DataFrame | None = None, columns: Sequence[Hashable] | None = None,
                   allow_missing: bool = False, fix: str = "", scalar: bool = False) -> NumbersT:
    """Finite numbers between ``lo`` and ``hi`` (``inclusive`` as in :meth:`pandas.Series.between`).

    Examples
    --------
    >>> require_within(0.5, "quantile", 0, 1, inclusive="right")
    0.5
    >>> require_within(pd.Series([4, 6]), "cost", 1, 5)
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: cost has 1 value outside [1, 5]. ...
    """
    return _checked(values, name, frame, columns, allow_missing, _outside(lo, hi, inclusive), _OUTSIDE, fix, scalar,
                    interval=_interval(lo, hi, inclusive))


def require_probability(values: NumbersT, name: Hashable, *, inclusive: Inclusive = "both",
                        frame: pd.DataFrame | None = None, columns: Sequence[Hashable] | None = None,
                        allow_missing: bool = False, scalar: bool = False) -> NumbersT:
    """Rates and shares in 0..1: ``80`` (a percentage) is an error with the fix ``0.8``.

    Examples
    --------
    >>> require_probability(0.25, "retention")
    0.25
    >>> require_probability(80, "retention")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: retention=80 is outside [0, 1]. Rates are shares of 1: write 80 % as 0.8.
    """
    return require_within(values, name, 0.0, 1.0, inclusive=inclusive, frame=frame, columns=columns,
                          allow_missing=allow_missing, scalar=scalar,
                          fix=N_("Rates are shares of 1: write 80 % as 0.8."))


def require_increasing(values: Any, name: Hashable, *, strict: bool = True) -> np.ndarray:
    """A 1-D sequence of finite numbers in increasing order (bin edges, cut points).

    Examples
    --------
    >>> require_increasing([18, 25, 35], "edges").tolist()
    [18.0, 25.0, 35.0]
    >>> require_increasing([30, 90, 60], "cut_points")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: cut_points must be strictly increasing; got [30.0, 90.0, 60.0].
    """
    data = np.asarray(require_finite(np.asarray(require_1d(values, name)), name), dtype=np.float64)
    steps = np.diff(data)
    if (steps <= 0).any() if strict else (steps < 0).any():
        text = _("{name} must be strictly increasing; got {values}.") if strict else \
            _("{name} must be increasing; got {values}.")
        raise InputError(text.format(name=name, values=data.tolist()))
    return data


def require_finite_sum(values: Any, name: Hashable) -> float:
    """The sum of finite ``values`` when it is itself finite (1e308 + 1e308 overflows to inf).

    Examples
    --------
    >>> require_finite_sum(np.array([1.0, 2.0]), "values")
    3.0
    >>> require_finite_sum(np.array([1e308, 1e308]), "values")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: values are too large to add up: their total overflows (above 1.8e308). ...
    """
    with np.errstate(over="ignore"):
        total = float(np.sum(np.asarray(values, dtype=np.float64)))
    if not np.isfinite(total):
        raise InputError(_("{name} are too large to add up: their total overflows (above 1.8e308). Use a larger "
                           "unit (e.g. thousands) so that totals and shares stay finite.").format(name=name))
    return total


def require_int(value: Any, name: Hashable, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number of a Python or numpy integer type (not a bool, not 2.0, not inf).

    Examples
    --------
    >>> require_int(np.int64(3), "k", minimum=1)
    3
    >>> require_int(True, "k")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: k must be a whole number; got True (bool).
    >>> require_int(0, "k", minimum=1)
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: k must be at least 1; got 0.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise InputError(_("{name} must be a whole number; got {value} ({type}).").format(
            name=name, value=value_text(value), type=type(value).__name__))
    if minimum is not None and value < minimum:
        raise InputError(_("{name} must be at least {minimum}; got {value!r}.").format(
            name=name, minimum=minimum, value=value))
    if maximum is not None and value > maximum:
        raise InputError(_("{name} must be at most {maximum}; got {value!r}.").format(
            name=name, maximum=maximum, value=value))
    return int(value)


def require_bool(value: Any, name: Hashable, *, frame: pd.DataFrame | None = None) -> Any:
    """``value`` if it is True or False (or, for a column, a bool column); anything else is an error.

    ``"False"`` is a non-empty string and would count as True in an ``if``: never accepted.
    A Series must have a bool dtype (no missing values, no text).

    Examples
    --------
    >>> require_bool(np.True_, "sample")
    True
    >>> require_bool("False", "sample")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: sample must be True or False; got 'False' (str). ...
    >>> require_bool(pd.Series(["True", "False"]), "holdout")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: holdout must hold True/False values; got dtype str. ...
    """
    if isinstance(value, (pd.Series, np.ndarray, list, tuple)):
        series = as_series(value, name)
        if not pd.api.types.is_bool_dtype(series.dtype) or series.isna().any():
            raise InputError(_("{label} must hold True/False values; got dtype {dtype}. Text such as 'False' or "
                               "numbers are not bools: convert deliberately, e.g. .eq('True').").format(
                                   label=_label(name, frame), dtype=series.dtype))
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise InputError(_("{name} must be True or False; got {value!r} ({type}). A string or a number is not a bool "
                       "(the text 'False' would count as True).").format(
                           name=name, value=value, type=type(value).__name__))


def require_numeric_table(table: Any, name: str, columns: Sequence[Hashable] | None = None, *,
                          allow_missing: bool = False) -> pd.DataFrame:
    """A non-empty DataFrame whose ``columns`` (default: all) hold finite numbers.

    Examples
    --------
    >>> require_numeric_table(pd.DataFrame({"x": [1.0, np.inf]}), "features")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Column 'x' has 1 row with infinite values (inf); every row needs a finite number. ...
    """
    require_table(table, name, columns or ())
    chosen = list(table.columns) if columns is None else list(columns)
    if not chosen:
        raise InputError(_("{name} has no columns: it needs at least one numeric column.").format(name=_shown(name)))
    for col in chosen:
        require_finite(table[col], col, frame=table, columns=[col], allow_missing=allow_missing)
    return table


def require_choice(value: Any, name: Hashable, choices: Sequence[Any]) -> Any:
    """``value`` if it is one of ``choices`` (with a "did you mean" for a near miss).

    Examples
    --------
    >>> require_choice("Q", "freq", ["M", "Q", "Y"])
    'Q'
    >>> require_choice("net ", "returns", ["error", "net", "exclude"])
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: returns='net ' is not one of ['error', 'net', 'exclude']. Did you mean 'net'?
    """
    try:
        if any(value == c and type(value) is type(c) for c in choices):
            return value
    except (TypeError, ValueError):  # an array compared with a string
        pass
    guess = suggest_name(value, list(choices)) if isinstance(value, str) else None
    text = (_("{name}={value!r} is not one of {choices}. Did you mean {guess!r}?") if guess is not None
            else _("{name}={value!r} is not one of {choices}."))
    raise InputError(text.format(name=name, value=value, choices=list(choices), guess=guess))


def require_present(values: Any, name: Hashable, *, what: str = "a value", frame: pd.DataFrame | None = None,
                    columns: Sequence[Hashable] | None = None) -> pd.Series:
    """``values`` as a Series with no missing, empty or whitespace-only entries.

    Examples
    --------
    >>> require_present(pd.Series(["C1", " "]), "customer_id", what="a customer id")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: customer_id has 1 missing value (empty, blank or NaN); every row needs a customer id. ...
    """
    series = as_series(values, name)
    blank = _blank(series)
    if blank.any():
        shown, cols = _display(series, name, frame, columns)
        n = int(blank.sum())
        raise _fail(ngettext("{label} has {n:,} missing value (empty, blank or NaN); every row needs {what}. Fill "
                             "them or drop those rows first, and say which.",
                             "{label} has {n:,} missing values (empty, blank or NaN); every row needs {what}. Fill "
                             "them or drop those rows first, and say which.", n).format(
                                 label=_label(name, frame), n=n, what=_shown(what)), shown, blank, cols)
    return series


def require_unique(values: Any, name: Hashable, *, what: str = "id", frame: pd.DataFrame | None = None,
                   columns: Sequence[Hashable] | None = None) -> None:
    """Every value (e.g. a customer id of an index) occurs once.

    Examples
    --------
    >>> require_unique(pd.Index(["a", "b", "a"]), "the index of values", what="customer id")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: the index of values has 2 rows with a repeated customer id ('a'); one row per customer id. ...
    """
    series = as_series(values, name)
    dup = series.duplicated(keep=False).to_numpy()
    if dup.any():
        shown, cols = _display(series, name, frame, columns)
        first = ", ".join(map(repr, pd.unique(series[dup])[:3]))
        n = int(dup.sum())
        raise _fail(ngettext("{label} has {n:,} row with a repeated {what} ({first}); one row per {what}. Aggregate "
                             "or drop the repeats first.",
                             "{label} has {n:,} rows with a repeated {what} ({first}); one row per {what}. Aggregate "
                             "or drop the repeats first.", n).format(
                                 label=_label(name, frame), n=n, what=_shown(what), first=first), shown, dup, cols)


def _id_values(ids: Any, name: Hashable) -> pd.Index:
    if isinstance(ids, pd.Index):
        return ids
    return pd.Index(require_1d(ids, name))


def _ids_text(ids: list[Any]) -> str:
    shown = ", ".join(map(repr, ids[:MAX_ROWS_SHOWN]))
    return f"[{shown}{', ...' if len(ids) > MAX_ROWS_SHOWN else ''}]"


def require_same_ids(left: Any, right: Any, left_name: Hashable, right_name: Hashable, *, subset: bool = False,
                     frame: pd.DataFrame | None = None, columns: Sequence[Hashable] | None = None) -> None:
    """The ids of ``left`` are all in ``right`` (and, unless ``subset``, the other way round).

    Where two tables are joined, an id missing from the other one would silently lose its
    row: it is named and shown instead. ``left`` and ``right`` are ids (an Index, e.g.
    ``values.index``, a column or a list).

    Parameters
    ----------
    left, right : pandas.Index, Series, array or list of ids
    left_name, right_name : str
        What they are, for the message (e.g. ``"current"``, ``"the index of potential"``).
    subset : bool, default False
        True: ``right`` may hold more ids than ``left`` (a lookup table).
    frame : pandas.DataFrame, optional
        The table ``left`` is a column of (row-aligned), to show the offending rows.
    columns : sequence, optional
        Columns of ``frame`` to show.

    Examples
    --------
    >>> current = pd.Series({"a": 1.0, "b": 2.0, "c": 3.0})
    >>> potential = pd.Series({"a": 5.0, "b": 1.0})
    >>> require_same_ids(current.index, potential.index, "current", "potential")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: 1 id of current is missing from potential: ['c']. ...
    """
    lids, rids = _id_values(left, left_name), _id_values(right, right_name)
    missing = ~lids.isin(rids)
    extra = np.zeros(len(rids), dtype=bool) if subset else ~rids.isin(lids)
    if not (missing.any() or extra.any()):
        return
    parts = []
    left_shown, right_shown = _shown(left_name), _shown(right_name)
    if missing.any():
        ids = list(pd.unique(lids[missing]))
        parts.append(ngettext("{n:,} id of {left} is missing from {right}: {ids}.",
                              "{n:,} ids of {left} are missing from {right}: {ids}.", len(ids)).format(
                                  n=len(ids), left=left_shown, right=right_shown, ids=_ids_text(ids)))
    if extra.any():
        ids = list(pd.unique(rids[extra]))
        parts.append(ngettext("{n:,} id of {right} is not in {left}: {ids}.",
                              "{n:,} ids of {right} are not in {left}: {ids}.", len(ids)).format(
                                  n=len(ids), left=left_shown, right=right_shown, ids=_ids_text(ids)))
    message = join_sentences(*parts, _("Nothing is dropped silently in a join: give both the same ids (select the "
                                       "common ones explicitly if that is what you mean, and say so)."))
    if missing.any() and frame is not None and len(frame) == len(lids):
        raise _fail(message, frame, missing, columns)
    raise InputError(message)


def require_known(values: Any, known: Any, name: Hashable, *, known_name: Hashable = "the known values",
                  frame: pd.DataFrame | None = None, columns: Sequence[Hashable] | None = None,
                  fix: str = "") -> pd.Series:
    """Every value is one of ``known`` (e.g. a key of a mapping): nothing maps to nothing.

    Missing values count as unknown. Returns the values as a Series.

    Examples
    --------
    >>> require_known(pd.Series(["x", "z"]), {"x": 0.5, "y": 0.2}, "category", known_name="margin_rates")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: category has 1 value that margin_rates does not know: ['z']. Known: ['x', 'y']. ...
    """
    series = as_series(values, name)
    allowed = list(known)
    bad = ~series.isin(allowed).to_numpy()
    if bad.any():
        shown, cols = _display(series, name, frame, columns)
        unknown = sorted({"<missing>" if pd.isna(v) else str(v) for v in series[bad]})
        n = int(bad.sum())
        text = ngettext("{label} has {n:,} value that {known} does not know: {unknown}. Known: {allowed}. Nothing is "
                        "dropped or guessed.",
                        "{label} has {n:,} values that {known} does not know: {unknown}. Known: {allowed}. Nothing "
                        "is dropped or guessed.", n).format(
                            label=_label(name, frame), n=n, known=_shown(known_name), unknown=unknown[:6],
                            allowed=sorted(map(str, allowed))[:12])
        raise _fail(join_sentences(text, _shown(fix)), shown, bad, cols)
    return series


def reject_rows(frame: pd.DataFrame, mask: Any, message: str | Any,
                columns: Sequence[Hashable] | None = None) -> None:
    """Raise an InputError with ``message`` and the offending rows when ``mask`` marks any.

    For a check that only its module can state (e.g. a ticket resolved before it was opened):
    the message and the rows shown follow the same rules as every guard. ``message`` may be a
    callable taking the number of offending rows.

    Examples
    --------
    >>> t = pd.DataFrame({"opened": [1, 5], "closed": [2, 3]})
    >>> reject_rows(t, t["closed"] < t["opened"], lambda n: f"Column 'closed' has {n} row(s) before 'opened'.")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Column 'closed' has 1 row(s) before 'opened'. First offending rows:
    ...
    """
    bad = np.asarray(mask, dtype=bool)
    if bad.any():
        text = message(int(bad.sum())) if callable(message) else str(message)
        raise _fail(text, frame, bad, columns)


def parse_dates(values: Any, name: Hashable, *, format: str | None = None, dayfirst: bool | None = None,
                allow_missing: bool = False, frame: pd.DataFrame | None = None,
                columns: Sequence[Hashable] | None = None) -> pd.Series:
    """Dates from text or datetime values; ambiguous text such as ``05/01/2025`` is refused.

    ISO text and ``datetime64`` values are read as they are. For ``d/m/y`` versus ``m/d/y``
    text, a first number above 12 shows the column is day-first (a second above 12:
    month-first); when nothing in the column decides it, an :class:`InputError` asks for
    ``dayfirst`` or ``format`` instead of a silent month-first reading.

    Parameters
    ----------
    values : pandas.Series, list or array
    name : str
        The column shown in the message.
    format : str, optional
        Explicit format, e.g. ``"%d/%m/%Y"``; values that do not match are an error.
    dayfirst : bool, optional
        True reads ``05/01/2025`` as 5 January, False as 1 May.
    allow_missing : bool, default False
        True keeps missing, empty or blank values as NaT ("has not happened yet").
    frame, columns : optional
        The table ``values`` is a column of (row-aligned) and the columns to show.

    Returns
    -------
    pandas.Series
        ``datetime64``, same index as ``values``.

    Examples
    --------
    >>> parse_dates(pd.Series(["13/01/2025", "05/01/2025"]), "order_date").dt.day.tolist()
    [13, 5]
    >>> parse_dates(pd.Series(["05/01/2025"]), "order_date", dayfirst=True).dt.month.tolist()
    [1]
    >>> parse_dates(pd.Series(["05/01/2025", "06/01/2025"]), "order_date")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Column 'order_date' has 2 dates that are ambiguous: day/month/year or month/day/year, ...
    """
    series = as_series(values, name)
    if frame is not None and len(frame) == len(series):
        df = frame.copy(deep=False)
        df[name] = series.to_numpy()
        show: list[Hashable] = list(columns) if columns is not None else [name]
    else:
        df, show = series.rename(name).to_frame(), [name]
    if dayfirst is not None:
        require_bool(dayfirst, "dayfirst")
    parsed = _parse_dates(df, name, show, format=format, dayfirst=dayfirst, allow_missing=allow_missing)
    return pd.Series(parsed.to_numpy(), index=series.index, name=series.name)


def require_not_after(dates: pd.Series, limit: pd.Timestamp, name: Hashable, limit_name: Hashable, *,
                      frame: pd.DataFrame | None = None, columns: Sequence[Hashable] | None = None,
                      fix: str = "") -> None:
    """No date after ``limit`` (an ``as_of``/snapshot): an event after it cannot be counted.

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2025-01-01", "2025-03-01"]))
    >>> require_not_after(d, pd.Timestamp("2025-02-01"), "resolved_at", "as_of")
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: resolved_at has 1 date after as_of 2025-02-01: ...
    """
    after = (dates > limit).to_numpy(dtype=bool, na_value=False)
    if after.any():
        shown, cols = _display(dates, name, frame, columns)
        when = f"{limit:%Y-%m-%d}" if limit == limit.normalize() else str(limit)
        n = int(after.sum())
        text = ngettext("{label} has {n:,} date after {limit} {when}: as of then these events had not happened, and "
                        "counting them would use the future.",
                        "{label} has {n:,} dates after {limit} {when}: as of then these events had not happened, "
                        "and counting them would use the future.", n).format(
                            label=_label(name, frame), n=n, limit=limit_name, when=when)
        advice = _shown(fix) if fix else _("Choose a later {limit}, or keep only the rows up to it.").format(
            limit=limit_name)
        raise _fail(join_sentences(text, advice), shown, after, cols)



# --- the words of the transaction checks (issue 13)
# One home for them, shared by two paths: validate_transactions above shows the offending rows of its
# frame; the engine path (cvmlib.engines: DuckDB, Spark) finds the offending rows in SQL and fetches
# only their number and the first few of them (with their row positions as the index), and
# transactions_error words the same error from those, so a participant reads the same message whichever
# engine holds the data (tests/test_engines.py compares both paths' messages).

#: The problems :func:`transactions_error` states, in the order :func:`validate_transactions` checks them.
TRANSACTION_PROBLEMS: tuple[str, ...] = (
    "missing_customer_id", "missing_order_id", "unreadable_dates", "missing_dates", "text_amounts",
    "missing_amounts", "infinite_amounts", "non_positive_amounts", "all_excluded", "order_conflict",
    "exact_duplicates", "snapshot_zone", "after_snapshot",
)


def transaction_problem_text(problem: str, n: int = 0, *, column: Hashable = None, **fields: Any) -> str:
    """The words of :func:`validate_transactions`' error for ``problem`` (``n`` offending rows in ``column``).

    The one home of these messages: the pandas path adds the offending rows of its frame
    (``_fail``), the engine path those it fetched (:func:`transactions_error`). ``fields`` as
    there.

    Examples
    --------
    >>> transaction_problem_text("missing_dates", 2, column="order_date")
    "Column 'order_date' has 2 missing dates. Every transaction needs a date: drop or fill these rows."
    """
    require_choice(problem, "problem", list(TRANSACTION_PROBLEMS))
    col = column
    if problem in ("missing_customer_id", "missing_order_id"):
        ids = (ngettext("{n:,} missing customer id", "{n:,} missing customer ids", n) if problem == "missing_customer_id"
               else ngettext("{n:,} missing order id", "{n:,} missing order ids", n)).format(n=n)
        text = _("Column {column!r} has {missing} (empty, blank or NaN). Every row needs one: drop these rows "
                 "(e.g. guest orders) with df = df[df[{column!r}].notna()], fill them in, or clean the raw export "
                 "first (cvmlib.clean.clean_orders).").format(column=col, missing=ids)
    elif problem == "unreadable_dates":
        text = ngettext("Column {column!r} has {n:,} value that cannot be read as a date. Fix or remove them "
                        "(e.g. parse with an explicit format: pd.to_datetime(df[{column!r}], "
                        "format='%d.%m.%Y %H:%M')), or clean the raw export with cvmlib.clean.clean_orders.",
                        "Column {column!r} has {n:,} values that cannot be read as a date. Fix or remove them "
                        "(e.g. parse with an explicit format: pd.to_datetime(df[{column!r}], "
                        "format='%d.%m.%Y %H:%M')), or clean the raw export with cvmlib.clean.clean_orders.",
                        n).format(column=col, n=n)
    elif problem == "missing_dates":
        text = ngettext("Column {column!r} has {n:,} missing date. Every transaction needs a date: drop or fill "
                        "these rows.",
                        "Column {column!r} has {n:,} missing dates. Every transaction needs a date: drop or fill "
                        "these rows.", n).format(column=col, n=n)
    elif problem == "text_amounts":
        text = join_sentences(ngettext("Column {column!r} has {n:,} non-numeric value.",
                                       "Column {column!r} has {n:,} non-numeric values.", n).format(column=col, n=n),
                              numeric_text_hint([str(t) for t in fields.get("texts", [])], f"df[{col!r}]"))
    elif problem == "missing_amounts":
        text = ngettext("Column {column!r} has {n:,} missing amount (NaN). Drop or fill these rows first.",
                        "Column {column!r} has {n:,} missing amounts (NaN). Drop or fill these rows first.",
                        n).format(column=col, n=n)
    elif problem == "infinite_amounts":
        text = ngettext("Column {column!r} has {n:,} infinite value (inf), usually from a division by zero "
                        "upstream. Fix or drop these rows.",
                        "Column {column!r} has {n:,} infinite values (inf), usually from a division by zero "
                        "upstream. Fix or drop these rows.", n).format(column=col, n=n)
    elif problem == "non_positive_amounts":
        text = ngettext("Column {column!r} has {n:,} non-positive value (returns or zero amounts). Choose a "
                        "policy: returns=\"net\" keeps them as returns, returns=\"exclude\" drops them "
                        "with a warning, or clean the data first (cvmlib.clean.clean_orders).",
                        "Column {column!r} has {n:,} non-positive values (returns or zero amounts). Choose a "
                        "policy: returns=\"net\" keeps them as returns, returns=\"exclude\" drops them "
                        "with a warning, or clean the data first (cvmlib.clean.clean_orders).",
                        n).format(column=col, n=n)
    elif problem == "all_excluded":
        text = _("No rows left: every {column!r} is non-positive, and returns='exclude' dropped them "
                 "all. Check the sign of the amounts.").format(column=col)
    elif problem == "order_conflict":
        text = ngettext("Column {column!r} has {n:,} order id that appear with different customers or dates "
                        "({rows}). One order id must mean one purchase: fix the ids, or give different orders "
                        "distinct ids. (Several rows of the same order with the same customer and date are "
                        "fine: they are line items.)",
                        "Column {column!r} has {n:,} order ids that appear with different customers or dates "
                        "({rows}). One order id must mean one purchase: fix the ids, or give different orders "
                        "distinct ids. (Several rows of the same order with the same customer and date are "
                        "fine: they are line items.)", n).format(column=col, n=n,
                                                                  rows=_rows(int(fields.get("rows_count", n))))
    elif problem == "exact_duplicates":
        order_col = fields.get("order_col")
        listed = ", ".join(map(repr, fields.get("all_columns", [])))
        if order_col is None:
            text = ngettext("The table has {n:,} row that are exact duplicates (identical values in every "
                            "column: {columns}), usually from exporting the same data twice.",
                            "The table has {n:,} rows that are exact duplicates (identical values in every "
                            "column: {columns}), usually from exporting the same data twice.", n)
        else:
            text = ngettext("The table has {n:,} row that are exact duplicates (the same {order_col!r} and "
                            "identical values in every column: {columns}), usually from exporting the same "
                            "data twice.",
                            "The table has {n:,} rows that are exact duplicates (the same {order_col!r} and "
                            "identical values in every column: {columns}), usually from exporting the same "
                            "data twice.", n)
        text = join_sentences(text.format(n=n, columns=listed, order_col=order_col), _(
            "Remove them with df = df.drop_duplicates(), or clean the raw export with "
            "cvmlib.clean.clean_orders. If they are genuine separate purchases, add a column that tells "
            "them apart (e.g. a line number)."))
    elif problem == "snapshot_zone":
        text = _("snapshot_date {snapshot} and column {column!r} ({dtype}) do not agree on time zones: "
                 "make both naive or both time-zone-aware.").format(
                     snapshot=fields.get("snapshot"), column=col, dtype=fields.get("dtype"))
    else:  # after_snapshot
        text = ngettext("Column {column!r} has {n:,} date after snapshot_date {snapshot}. The snapshot is the "
                        "'as of' moment of the analysis, so no purchase can come after it: choose a later "
                        "snapshot_date (e.g. '{later}', the day after the last purchase) or keep only earlier "
                        "rows: df[df[{column!r}] <= snapshot_date].",
                        "Column {column!r} has {n:,} dates after snapshot_date {snapshot}. The snapshot is the "
                        "'as of' moment of the analysis, so no purchase can come after it: choose a later "
                        "snapshot_date (e.g. '{later}', the day after the last purchase) or keep only earlier "
                        "rows: df[df[{column!r}] <= snapshot_date].", n).format(
                            column=col, n=n, snapshot=fields.get("snapshot"), later=fields.get("later"))
    return text


def transactions_error(problem: str, n: int = 0, rows: pd.DataFrame | None = None,
                       columns: Sequence[Hashable] | None = None, *, column: Hashable = None,
                       **fields: Any) -> InputError:
    """The :class:`InputError` :func:`validate_transactions` raises for ``problem``, from a count and the first rows.

    For checks run where the table is not a pandas DataFrame (a DuckDB relation, a Spark
    DataFrame): the caller counts the offending rows and passes the first
    :data:`MAX_ROWS_SHOWN` of them (index = their row positions), in the order the pandas path
    shows them.

    Parameters
    ----------
    problem : str
        One of :data:`TRANSACTION_PROBLEMS`.
    n : int
        Number of offending rows (for ``"order_conflict"``: of offending order ids, with
        ``rows_count=`` the number of their rows).
    rows : pandas.DataFrame, optional
        The first offending rows (all of them are shown, up to :data:`MAX_ROWS_SHOWN`).
    columns : sequence, optional
        The columns of ``rows`` to show.
    column : column name
        The column the problem is in.
    **fields
        ``texts=`` (non-numeric amounts: up to 200 of them, for the fix), ``rows_count=``,
        ``all_columns=`` and ``order_col=`` (exact duplicates), ``snapshot=``, ``later=``,
        ``dtype=`` (snapshot checks).

    Examples
    --------
    >>> rows = pd.DataFrame({"customer_id": [None], "amount": [5.0]}, index=[7])
    >>> print(transactions_error("missing_customer_id", 3, rows, column="customer_id"))  # doctest: +ELLIPSIS
    Column 'customer_id' has 3 missing customer ids (empty, blank or NaN). ... First offending rows:
      customer_id  amount
    7        None     5.0
    """
    text = transaction_problem_text(problem, n, column=column, **fields)
    if rows is None or problem in ("all_excluded", "snapshot_zone"):
        return InputError(text)
    return _fail(text, rows, np.ones(len(rows), dtype=bool), columns)


def excluded_returns_text(n: int, column: Hashable, total: int) -> str:
    """The warning of ``returns="exclude"`` (:func:`validate_transactions`): ``n`` of ``total`` rows dropped.

    Examples
    --------
    >>> excluded_returns_text(2, "amount", 10)
    "returns='exclude': dropped 2 rows with a non-positive 'amount' (returns or zero amounts) of 10."
    """
    return ngettext("returns='exclude': dropped {n:,} row with a non-positive {column!r} (returns or "
                    "zero amounts) of {total:,}.",
                    "returns='exclude': dropped {n:,} rows with a non-positive {column!r} (returns or "
                    "zero amounts) of {total:,}.", n).format(n=n, column=column, total=total)


__all__ += ["TRANSACTION_PROBLEMS", "excluded_returns_text", "transaction_problem_text", "transactions_error"]
