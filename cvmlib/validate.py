"""Input validation for transaction tables, with messages a course participant can act on.

Every ``cvmlib`` function that takes transactions calls :func:`validate_transactions` first, so a
problem in the data surfaces as one :class:`InputError` that names the column, says what is wrong
and how to fix it, and shows up to five offending rows -- never as a traceback from deep inside
pandas. Because it runs before every computation it is vectorised throughout (about a second on
five million rows, see ``benchmarks/``); only the error paths look at individual values.

:func:`resolve_snapshot_date` turns an explicit or missing ``snapshot_date`` into a timestamp; a
missing one defaults to the day after the last purchase and says so with a warning.

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
from typing import Any, Literal

import numpy as np
import pandas as pd

from cvmlib._ids import EncodedIds, encode_ids

__all__ = ["InputError", "require_table", "resolve_observation_end", "resolve_snapshot_date", "validate_transactions"]

ReturnsPolicy = Literal["error", "net", "exclude"]

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


def _plural(k: int, noun: str, plural: str | None = None) -> str:
    return f"{k:,} {noun if k == 1 else (plural or noun + 's')}"


def _rows_text(df: pd.DataFrame, mask: Any, columns: Sequence[Hashable] | None = None) -> str:
    """``to_string`` of the first offending rows (with their index) for an error message."""
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))[:MAX_ROWS_SHOWN]
    shown = df.iloc[positions]
    if columns is not None:
        wanted = set(columns)
        shown = shown[[c for c in df.columns if c in wanted]]  # in the table's own order
    return "First offending rows:\n" + shown.to_string()


def _fail(message: str, df: pd.DataFrame, mask: Any, columns: Sequence[Hashable] | None) -> InputError:
    return InputError(f"{message} {_rows_text(df, mask, columns)}")


def _suggest(name: Hashable, candidates: Sequence[Hashable]) -> Hashable | None:
    """The column the user probably meant: same up to case/punctuation, containing, or close."""

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
        return (values + 0.0).view(np.uint64)  # + 0.0 turns -0.0 into 0.0 so equal floats hash alike
    if s.dtype.kind in "iub":
        return values.astype(np.uint64)
    if pd.api.types.is_string_dtype(s.dtype) and not s.hasnans:
        # Python's own str hash (cached on the string objects) is several times faster than
        # pandas' object hashtable; the iteration runs in C, not in Python bytecode.
        return np.fromiter(map(hash, values), dtype=np.int64, count=len(values)).view(np.uint64)
    return pd.util.hash_array(np.asarray(values, dtype=object), categorize=True)


def _repeated(h: np.ndarray) -> np.ndarray:
    """Mask of positions whose hash occurs more than once (sort-based; cheap when none do)."""
    if not (np.diff(np.sort(h)) == 0).any():
        return np.zeros(len(h), dtype=bool)  # the common case: one cheap sort, no argsort
    order = np.argsort(h, kind="stable")
    same = h[order][1:] == h[order][:-1]
    in_sorted = np.zeros(len(h), dtype=bool)
    in_sorted[1:] |= same
    in_sorted[:-1] |= same
    mask = np.empty(len(h), dtype=bool)
    mask[order] = in_sorted
    return mask


def _row_hashes(df: pd.DataFrame, known: dict[Hashable, np.ndarray] | None = None) -> np.ndarray:
    """One uint64 per row combining all columns (``known`` holds hashes already computed)."""
    known = known or {}
    combined = np.zeros(len(df), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in df.columns:
            h = known[col] if col in known else _hash_column(df[col])
            combined = combined * np.uint64(1_000_003) ^ h
    return combined


def _tz_label(value: Any) -> str | None:
    """'naive', a time-zone name, or None when ``value`` is not a timestamp (error path only)."""
    if isinstance(value, _dt.datetime):
        return "naive" if value.tzinfo is None else str(value.tzinfo)
    if isinstance(value, str):
        match = _TZ_SUFFIX.search(value)
        return match.group(1) if match else "naive"
    return None


def _to_timestamp(value: Any, name: str = "snapshot_date") -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"{name}={value!r} is not a date. Pass a date such as {name}='2026-01-01' "
            f"(a date without time means midnight) or a pd.Timestamp."
        ) from exc
    if pd.isna(ts):
        raise InputError(f"{name} is missing (NaT). Pass a date such as {name}='2026-01-01'.")
    return ts


# --------------------------------------------------------------------------------------------
# the individual checks (each raises InputError or returns a converted column)


def _check_columns(df: pd.DataFrame, roles: Mapping[str, Hashable], table_name: str = "the table") -> None:
    """Named columns exist (with a 'did you mean' suggestion) and are not duplicated.

    ``roles`` maps a parameter name (``"date_col"``) to the column it names; a column required
    under its own name (no parameter to pass) maps to itself.
    """
    bound = set(roles.values())
    for role, col in roles.items():
        own = role == str(col)  # required under its own name: no parameter to point at
        label = "" if own else f" ({role})"
        if col in df.columns:
            if isinstance(df[col], pd.DataFrame):
                raise InputError(
                    f"Column {col!r}{label} appears {int((df.columns == col).sum())} times in "
                    f"{table_name}. Column names must be unique: rename or drop the extra copies."
                )
            continue
        guess = _suggest(col, [c for c in df.columns if c not in bound])
        rename = f"df = df.rename(columns={{{guess!r}: {col!r}}})"
        if guess is None:
            hint = "" if own else f" Pass {role}=<the column that holds it>."
        elif own:
            hint = f" Did you mean {guess!r}? Rename it: {rename}."
        else:
            hint = f" Did you mean {guess!r}? Pass {role}={guess!r}, or rename the column: {rename}."
        raise InputError(
            f"Column {col!r}{label} is missing from {table_name}.{hint} "
            f"Available columns: {list(df.columns)}. First rows:\n{df.head(MAX_ROWS_SHOWN).to_string()}"
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
        raise InputError(f"{name} must be a pandas DataFrame; got {type(table).__name__}.")
    if table.empty:
        raise InputError(f"{name} is empty: there are no rows to analyse.")
    _check_columns(table, {str(c): c for c in columns}, name)
    return table


def _check_ids(
    df: pd.DataFrame, col: Hashable, what: str, show: list[Hashable], encoded: EncodedIds | None
) -> None:
    bad = _blank(df[col], encoded)
    if bad.any():
        raise _fail(
            f"Column {col!r} has {_plural(int(bad.sum()), f'missing {what}')} (empty, blank or NaN). "
            f"Every row needs one: drop these rows (e.g. guest orders) with "
            f"df = df[df[{col!r}].notna()], fill them in, or clean the raw export first "
            f"(cvmlib.clean.clean_orders).",
            df, bad, show,
        )


def _mixed_tz_error(df: pd.DataFrame, col: Hashable, show: list[Hashable]) -> InputError:
    labels = df[col].map(_tz_label)
    naive = (labels == "naive").to_numpy()
    aware = (labels.notna() & ~labels.eq("naive")).to_numpy()
    if naive.any() and aware.any():
        bad = aware if aware.sum() <= naive.sum() else naive  # show the minority
        return _fail(
            f"Column {col!r} mixes time-zone-aware timestamps ({_plural(int(aware.sum()), 'row')}) "
            f"with naive ones ({_plural(int(naive.sum()), 'row')}); they cannot be compared. Decide "
            f"which zone the naive ones are in and convert all to one convention, e.g. naive local "
            f"time: pd.to_datetime(df[{col!r}], utc=True).dt.tz_convert('Asia/Shanghai')"
            f".dt.tz_localize(None) (this reads naive values as UTC -- adjust if they are not).",
            df, bad, show,
        )
    zones = labels[aware]
    bad = aware & ~labels.eq(zones.mode().iloc[0]).to_numpy() if len(zones) else aware
    return _fail(
        f"Column {col!r} mixes time zones ({', '.join(map(str, zones.unique()[:5]))}). Convert to one "
        f"zone, e.g. pd.to_datetime(df[{col!r}], utc=True).dt.tz_convert('Asia/Shanghai').",
        df, bad, show,
    )


def _parse_dates(df: pd.DataFrame, col: Hashable, show: list[Hashable]) -> pd.Series:
    s = df[col]
    if s.dtype.kind == "M" or isinstance(s.dtype, pd.DatetimeTZDtype):
        parsed = s  # already datetime64: nothing to parse (the fast path)
        missing = s.isna().to_numpy()
    elif pd.api.types.is_numeric_dtype(s.dtype) or s.dtype == bool:
        raise _fail(
            f"Column {col!r} holds numbers, not dates. Convert it first, e.g. "
            f"pd.to_datetime(df[{col!r}], unit='s') for Unix seconds, or parse the text form.",
            df, np.ones(len(s), dtype=bool), show,
        )
    else:
        missing = _blank(s)
        parsed = None
        try:  # ISO strings (the usual export) parse fast; fall back to per-value inference.
            iso = pd.to_datetime(s, format="ISO8601", errors="coerce")
            if not (iso.isna().to_numpy() & ~missing).any():
                parsed = iso
        except (ValueError, TypeError, OverflowError):
            pass
        if parsed is None:
            try:
                parsed = pd.to_datetime(s, format="mixed", errors="coerce")
            except (ValueError, TypeError) as exc:
                raise _mixed_tz_error(df, col, show) from exc
            bad = parsed.isna().to_numpy() & ~missing
            if bad.any():
                # Timestamps that failed to convert are time-zone conflicts, not bad text.
                if s[bad].map(lambda v: isinstance(v, _dt.datetime)).any():
                    raise _mixed_tz_error(df, col, show)
                raise _fail(
                    f"Column {col!r} has {_plural(int(bad.sum()), 'value')} that cannot be read "
                    f"as a date. Fix or remove them (e.g. parse with an explicit format: "
                    f"pd.to_datetime(df[{col!r}], format='%d.%m.%Y %H:%M')), or clean the raw export "
                    f"with cvmlib.clean.clean_orders.",
                    df, bad, show,
                )
    if missing.any():
        raise _fail(
            f"Column {col!r} has {_plural(int(missing.sum()), 'missing date')}. Every transaction "
            f"needs a date: drop or fill these rows.",
            df, missing, show,
        )
    return parsed


def _parse_amounts(df: pd.DataFrame, col: Hashable, show: list[Hashable]) -> pd.Series:
    s = df[col]
    if s.dtype == bool or s.dtype.kind == "b":
        raise _fail(f"Column {col!r} holds True/False, not amounts.", df, np.ones(len(s), bool), show)
    if pd.api.types.is_numeric_dtype(s.dtype):
        amounts = s.astype("float64")
        missing = amounts.isna().to_numpy()
    else:
        missing = _blank(s)
        amounts = pd.to_numeric(s.astype(object), errors="coerce").astype("float64")
        bad = amounts.isna().to_numpy() & ~missing
        if bad.any():
            comma = s[bad].astype("str").str.contains(",", regex=False).any()
            fix = (
                "They look like decimal commas ('12,50'): read the file with "
                "pd.read_csv(..., decimal=',') or convert with "
                f"df[{col!r}].str.replace(',', '.').astype(float)."
                if comma
                else f"Fix or remove them, then convert with pd.to_numeric(df[{col!r}])."
            )
            raise _fail(
                f"Column {col!r} has {_plural(int(bad.sum()), 'non-numeric value')}. {fix}",
                df, bad, show,
            )
    if missing.any():
        raise _fail(
            f"Column {col!r} has {_plural(int(missing.sum()), 'missing amount')} (NaN). Drop or "
            f"fill these rows first.",
            df, missing, show,
        )
    infinite = np.isinf(amounts.to_numpy())
    if infinite.any():
        raise _fail(
            f"Column {col!r} has {_plural(int(infinite.sum()), 'infinite value')} (inf), usually "
            f"from a division by zero upstream. Fix or drop these rows.",
            df, infinite, show,
        )
    return amounts


def _check_orders(
    df: pd.DataFrame, order_col: Hashable, customer_col: Hashable, date_col: Hashable,
    purchases: np.ndarray, show: list[Hashable], ids: dict[Hashable, EncodedIds],
) -> None:
    """One order id = one customer and one date; no row repeated exactly. Line items are fine.

    Hash-based so that millions of line items stay fast: rows are sorted by the order id's
    hash and neighbours compared; only the suspects are then checked exactly with pandas.
    Integer codes of the ids (``ids``, from :func:`cvmlib._ids.encode_ids`) serve as exact hashes.
    """
    if order_col in ids:
        codes = ids[order_col].codes
        repeated = np.bincount(codes, minlength=ids[order_col].n_codes)[codes] > 1
        h_order = codes.astype(np.uint64)
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
            raise _fail(
                f"Column {order_col!r} has {_plural(bad[order_col].nunique(), 'order id')} that "
                f"appear with different customers or dates ({_plural(len(bad), 'row')}). One "
                f"order id must mean one purchase: fix the ids, or give different orders distinct "
                f"ids. (Several rows of the same order with the same customer and date are fine: "
                f"they are line items.)",
                bad, np.ones(len(bad), dtype=bool), show,
            )
    candidates = _repeated(_row_hashes(rows, hashes))
    if candidates.any():
        _check_exact_duplicates(rows[candidates], show, f"the same {order_col!r}")


def _check_exact_duplicates(df: pd.DataFrame, show: list[Hashable], what: str = "") -> None:
    try:
        dup = df.duplicated(keep=False).to_numpy()
    except TypeError:  # unhashable values in an extra column: compare the named columns only
        dup = df[show].duplicated(keep=False).to_numpy()
    if dup.any():
        raise _fail(
            f"The table has {_plural(int(dup.sum()), 'row')} that are exact duplicates "
            f"({what + ' and ' if what else ''}identical values in every column: "
            f"{', '.join(map(repr, df.columns))}), usually from exporting the same data twice. "
            f"Remove them with df = df.drop_duplicates(), or clean the raw export with "
            f"cvmlib.clean.clean_orders. If they are genuine separate purchases, add a column "
            f"that tells them apart (e.g. a line number).",
            df, dup, show,
        )


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
    valid, _ = _validate_with_ids(
        transactions, customer_col=customer_col, order_col=order_col, date_col=date_col,
        amount_col=amount_col, snapshot_date=snapshot_date, returns=returns,
    )
    return valid


def _validate_with_ids(
    transactions: pd.DataFrame,
    *,
    customer_col: Hashable = "customer_id",
    order_col: Hashable | None = "order_id",
    date_col: Hashable = "order_date",
    amount_col: Hashable | None = "amount",
    snapshot_date: Any = None,
    returns: ReturnsPolicy = "error",
) -> tuple[pd.DataFrame, dict[Hashable, EncodedIds]]:
    """:func:`validate_transactions`, plus the integer codes of the id columns it computed.

    Returns the validated frame and ``{column: EncodedIds}`` for the customer and order id
    columns (a column is left out when its ids cannot be encoded), row-aligned with the frame.
    Why: encoding string ids is the costliest step on large tables, and callers that group by
    the ids (:func:`cvmlib.rfm.rfm_table`) would otherwise do it a second time.
    """
    if not isinstance(transactions, pd.DataFrame):
        raise InputError(
            f"Expected a pandas DataFrame of transactions, got {type(transactions).__name__}. "
            f"Load or convert it first, e.g. pd.read_csv(path) or pd.DataFrame(records)."
        )
    if returns not in _RETURNS_POLICIES:
        raise InputError(f"returns={returns!r} is not a policy; choose one of {_RETURNS_POLICIES}.")
    df = transactions
    if len(df) == 0:
        raise InputError(
            f"The transaction table is empty (0 rows; columns {list(df.columns)}). Check the "
            f"file you loaded or the filter you applied before this call."
        )
    roles = {"customer_col": customer_col, "order_col": order_col, "date_col": date_col,
             "amount_col": amount_col}
    roles = {role: col for role, col in roles.items() if col is not None}
    _check_columns(df, roles)
    show = list(roles.values())

    ids: dict[Hashable, EncodedIds] = {}
    for col, what in ((customer_col, "customer ids"), (order_col, "order ids")):
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
                raise _fail(
                    f"Column {amount_col!r} has {_plural(k, 'non-positive value')} (returns or "
                    f"zero amounts). Choose a policy: returns=\"net\" keeps them as returns, "
                    f"returns=\"exclude\" drops them with a warning, or clean the data first "
                    f"(cvmlib.clean.clean_orders).",
                    df, non_positive, show,
                )
            if returns == "exclude":
                warnings.warn(
                    f"returns='exclude': dropped {_plural(k, 'row')} with a non-positive "
                    f"{amount_col!r} (returns or zero amounts) of {len(out):,}.",
                    UserWarning, stacklevel=3,  # the caller of the public function
                )
                out = out[~non_positive]
                ids = {col: encoded.take(~non_positive) for col, encoded in ids.items()}
                non_positive = np.zeros(len(out), dtype=bool)
                if len(out) == 0:
                    raise InputError(
                        f"No rows left: every {amount_col!r} is non-positive, and returns='exclude' "
                        f"dropped them all. Check the sign of the amounts."
                    )
    else:
        non_positive = np.zeros(len(out), dtype=bool)

    if order_col is not None:
        # A return may carry its order's id and a later date: compare purchases only.
        _check_orders(out, order_col, customer_col, date_col, ~non_positive, show, ids)
    else:
        candidates = _repeated(_row_hashes(out))
        if candidates.any():
            _check_exact_duplicates(out[candidates], show)

    if snapshot_date is not None:
        snapshot = _to_timestamp(snapshot_date)
        if (snapshot.tzinfo is None) != (getattr(out[date_col].dtype, "tz", None) is None):
            raise InputError(
                f"snapshot_date {snapshot} and column {date_col!r} ({out[date_col].dtype}) do not "
                f"agree on time zones: make both naive or both time-zone-aware."
            )
        after = (out[date_col] > snapshot).to_numpy()
        if after.any():
            last = out[date_col].max()
            raise _fail(
                f"Column {date_col!r} has {_plural(int(after.sum()), 'date')} after snapshot_date "
                f"{snapshot}. The snapshot is the 'as of' moment of the analysis, so no purchase "
                f"can come after it: choose a later snapshot_date (e.g. "
                f"'{(last.normalize() + pd.Timedelta(days=1)):%Y-%m-%d}', the day after the last "
                f"purchase) or keep only earlier rows: df[df[{date_col!r}] <= snapshot_date].",
                out, after, show,
            )
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
        return _to_timestamp(snapshot_date)
    if not isinstance(dates, pd.Series):
        dates = pd.Series(dates)
    frame = dates.to_frame(name=dates.name if dates.name is not None else "date")
    col = frame.columns[0]
    if len(frame) == 0:
        raise InputError(f"Column {col!r} is empty: cannot default snapshot_date to the last "
                         f"purchase. Pass snapshot_date explicitly.")
    last = _parse_dates(frame, col, [col]).max()
    snapshot = last.normalize() + pd.Timedelta(days=1)
    warnings.warn(
        f"snapshot_date not given: using {snapshot:%Y-%m-%d} (midnight after the last purchase, "
        f"{last}). Pass snapshot_date='{snapshot:%Y-%m-%d}' to make it explicit.",
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
        return _to_timestamp(observation_end, "observation_end").normalize()
    end = pd.Timestamp(days.max()).normalize()
    warnings.warn(f"observation_end not given: using the last purchase day, {end:%Y-%m-%d}.",
                  UserWarning, stacklevel=3)
    return end
