"""Cleaning the raw order export into the clean order table, with a report of every change.

The raw export (``datasets/retailer/orders_raw.csv``) has every column as text and the usual
problems of a real export: rows exported twice (exactly, or again with different whitespace,
case or date format), returns as separate rows with a negative amount, guest orders without a
customer, test orders, mixed date formats and untidy category/channel labels.
:func:`clean_orders` turns it into the clean table (``orders.csv``) and records, for every raw
row it removed or changed, what it did and why -- nothing disappears silently: returns are kept
in :attr:`CleaningResult.returns`. Anything it does not recognise (an unknown category, a date in
an unlisted format, two different orders sharing an id) raises :class:`InputError` instead of a
guess.

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame({
...     "order_id":    ["O0000001", "O0000002", "O0000002", "R0000001", "O0000003"],
...     "customer_id": ["C00001", "C00002", "C00002", "C00001", ""],
...     "order_date":  ["2024-05-01 10:00:00", "2024/05/02 11:30", "02.05.2024 11:30",
...                     "2024-05-09 12:00:00", "2024-05-03 09:00:00"],
...     "channel":     ["app", "Mini_Program", "mini_program", "app", "web"],
...     "category":    ["  apparel", "Beauty", "BEAUTY ", "Apparel", "Home"],
...     "amount":      ["59.90", "120.00", "120.00", "-59.90", "15.00"]})
>>> result = clean_orders(raw)
>>> result.orders
   order_id customer_id          order_date       channel category  amount
0  O0000001      C00001 2024-05-01 10:00:00           app  Apparel    59.9
1  O0000002      C00002 2024-05-02 11:30:00  mini_program   Beauty   120.0
>>> for row in result.report.itertuples():
...     print(row.raw_row, row.action, "|", row.reason)
0 changed | category normalised '  apparel' -> 'Apparel'
1 changed | channel normalised 'Mini_Program' -> 'mini_program'; date format '%Y/%m/%d %H:%M' parsed
2 removed | near duplicate of order O0000002 (row 1)
3 removed | return (negative amount) -- kept in CleaningResult.returns
4 removed | guest order: no customer_id
"""

from __future__ import annotations

import html
import re
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cvmlib.validate import InputError, numeric_text_hint, reject_rows, require_table

__all__ = ["CATEGORIES", "CHANNELS", "DATE_FORMATS", "CleaningResult", "clean_orders"]

#: Canonical labels, in the order of the Categorical dtypes of the clean table.
CATEGORIES: tuple[str, ...] = ("Apparel", "Beauty", "Electronics", "Home", "Food & Grocery",
                               "Baby & Kids", "Sports")
CHANNELS: tuple[str, ...] = ("app", "web", "store", "mini_program")

#: The date formats of the export, tried in this order; the first is the canonical one.
DATE_FORMATS: tuple[str, ...] = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%d.%m.%Y %H:%M",
                                 "%Y-%m-%dT%H:%M:%S")

COLUMNS: tuple[str, ...] = ("order_id", "customer_id", "order_date", "channel", "category", "amount")

RETURNS_NOTE = "kept in CleaningResult.returns"

# Reason text -> reason kind for the summary (the first pattern that matches wins).
_KINDS: tuple[tuple[str, str], ...] = (
    (r"^exact duplicate", "exact duplicate"),
    (r"^near duplicate", "near duplicate"),
    (r"^return", "return"),
    (r"^guest order", "guest order"),
    (r"^test order", "test order"),
    (r"^(\w+) normalised", r"\1 normalised"),
    (r"^date format ('[^']*') parsed", r"date format \1 parsed"),
    (r"^whitespace stripped from (\w+)", r"whitespace stripped from \1"),
)


@dataclass(frozen=True)
class CleaningResult:
    """What :func:`clean_orders` produced.

    Attributes
    ----------
    orders : pandas.DataFrame
        The clean orders, in the format of ``cvmlib.datasets.load_orders()``.
    report : pandas.DataFrame
        One row per raw row removed or changed: ``raw_row`` (index label in the raw table),
        ``order_id``, ``action`` ("removed" or "changed"), ``reason`` (several changes of one row
        are joined with "; ").
    returns : pandas.DataFrame
        The return rows (negative amounts), cleaned like the orders, with their ``raw_row``.
    n_raw : int
        Number of rows in the raw table.
    """

    orders: pd.DataFrame
    report: pd.DataFrame
    returns: pd.DataFrame
    n_raw: int

    def summary(self) -> pd.DataFrame:
        """Rows per action and reason kind (e.g. "removed / exact duplicate / 120").

        Examples
        --------
        >>> import pandas as pd
        >>> raw = pd.DataFrame({"order_id": ["O1", "O1"], "customer_id": ["C1", "C1"],
        ...     "order_date": ["2024-05-01 10:00:00"] * 2, "channel": ["web", "web"],
        ...     "category": ["Home", "Home"], "amount": ["10.00", "10.00"]})
        >>> clean_orders(raw).summary()
            action             kind  rows
        0  removed  exact duplicate     1
        """
        parts = self.report.assign(part=self.report["reason"].str.split("; ")).explode("part")
        kinds = parts["part"].map(_kind)
        counts = (
            parts.assign(kind=kinds).groupby(["action", "kind"], sort=False).size()
            .rename("rows").reset_index()
        )
        order = {"removed": 0, "changed": 1}
        return counts.sort_values(["action", "rows"], key=lambda s: s.map(order) if s.name ==
                                  "action" else -s, kind="stable").reset_index(drop=True)

    def _headline(self) -> str:
        action = self.report["action"]
        return (f"CleaningResult: {self.n_raw:,} raw rows -> {len(self.orders):,} orders "
                f"+ {len(self.returns):,} returns; {int((action == 'removed').sum()):,} rows "
                f"removed, {int((action == 'changed').sum()):,} changed")

    def __repr__(self) -> str:
        return f"{self._headline()}\n{self.summary().to_string(index=False)}"

    def _repr_html_(self) -> str:
        return (f"<p><b>{html.escape(self._headline())}</b></p>"
                f"{self.summary().to_html(index=False)}")


def _kind(reason: str) -> str:
    for pattern, label in _KINDS:
        match = re.match(pattern, reason)
        if match:
            return match.expand(label)
    return reason


def _text(s: pd.Series) -> pd.Series:
    """Stripped text with empty strings as missing."""
    stripped = s.astype("str").str.strip()
    return stripped.mask(stripped.eq(""))


def _canonical(s: pd.Series, labels: tuple[str, ...]) -> pd.Series:
    """Map labels case- and whitespace-insensitively to canonical ones; unknown -> NaN."""
    key = s.str.replace(r"\s+", " ", regex=True).str.casefold()
    return key.map({label.casefold(): label for label in labels})


def _parse_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse by trying :data:`DATE_FORMATS` explicitly; returns (dates, format used)."""
    dates = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    used = pd.Series(None, index=text.index, dtype=object)
    for fmt in DATE_FORMATS:
        todo = dates.isna() & text.notna()
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce").astype("datetime64[ns]")
        ok = parsed.notna()
        dates[ok[ok].index] = parsed[ok]
        used[ok[ok].index] = fmt
    return dates, used


def _positions(mask: np.ndarray | pd.Series) -> list[int]:
    return np.flatnonzero(np.asarray(mask, dtype=bool)).tolist()


def clean_orders(raw: pd.DataFrame) -> CleaningResult:
    """Clean the raw order export into the clean order table, reporting every change.

    Steps: exact duplicates (identical text in every column) and near duplicates (the same
    order id exported again with other whitespace, case or date format) are removed, keeping the
    first; test orders (customer id starting with "TEST" or category "test"), returns (negative
    amount; kept in ``returns``) and guest orders (no customer id) are removed; text is stripped,
    channel and category are mapped case-insensitively to :data:`CHANNELS` and
    :data:`CATEGORIES`; dates are parsed with the formats in :data:`DATE_FORMATS`.

    Parameters
    ----------
    raw : pandas.DataFrame
        The export with the columns order_id, customer_id, order_date, channel, category,
        amount (as text), e.g. ``cvmlib.datasets.load_orders_raw()``.

    Returns
    -------
    CleaningResult
        ``orders`` sorted by order_id with a fresh index, ``report``, ``returns``.

    Raises
    ------
    InputError
        Missing columns; one order id with different contents; and, among the rows kept,
        unparseable dates or amounts, zero amounts, unknown channels or categories, missing
        order ids -- each with the offending rows.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"order_id": ["O1"], "customer_id": ["C1"],
    ...     "order_date": ["2024-05-01 10:00:00"], "channel": ["web"], "category": ["Garden"],
    ...     "amount": ["10.00"]})
    >>> clean_orders(raw)
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: Column 'category' has 1 unknown value after normalisation: 'Garden'. ...
    """
    require_table(raw, "the raw export", COLUMNS)
    raw = raw[list(COLUMNS)]
    labels = pd.Series(raw.index, index=range(len(raw)))  # raw index labels by position
    data = raw.reset_index(drop=True)  # positional index inside; labels only in the output
    text = {col: _text(data[col]) for col in COLUMNS}
    dates, date_format = _parse_dates(text["order_date"])
    amount = pd.to_numeric(text["amount"], errors="coerce").astype("float64")
    channel = _canonical(text["channel"], CHANNELS)
    category = _canonical(text["category"], CATEGORIES)
    clean = pd.DataFrame({"order_id": text["order_id"], "customer_id": text["customer_id"],
                          "order_date": dates, "channel": channel, "category": category,
                          "amount": amount})

    removed: dict[int, str] = {}

    # 1. Exact duplicates: identical raw text in every column (missing equals missing).
    group = data.groupby(list(COLUMNS), dropna=False, sort=False).ngroup()
    first = pd.Series(data.index).groupby(group.to_numpy()).transform("first")
    for pos in _positions(first.to_numpy() != data.index.to_numpy()):
        removed[pos] = f"exact duplicate of row {labels[first[pos]]}"

    # 2. Near duplicates: the same order id again; its cleaned values must agree exactly.
    alive = ~data.index.isin(list(removed))
    ids = clean["order_id"].where(alive)
    first_pos = pd.Series(data.index).groupby(ids.to_numpy(), dropna=True).transform("first")
    first_pos = first_pos.reindex(data.index)
    again = alive & ids.notna().to_numpy() & (first_pos.to_numpy() != data.index.to_numpy())
    if again.any():
        compare = clean.astype(object).where(clean.notna(), "<missing>")
        originals = compare.iloc[first_pos[again].astype(int)].to_numpy()
        differs = (compare[again].to_numpy() != originals).any(axis=1)
        if differs.any():
            bad_ids = set(clean.loc[again, "order_id"][differs])
            reject_rows(
                raw, clean["order_id"].isin(bad_ids).to_numpy() & alive,
                f"Column 'order_id' has {len(bad_ids)} order id(s) exported more than once with "
                f"different contents (customer, date, channel, category or amount), e.g. "
                f"{sorted(bad_ids)[:3]}. Cleaning cannot tell which version is right: fix the "
                f"export.")
        for pos in _positions(again):
            removed[pos] = (f"near duplicate of order {clean.at[pos, 'order_id']} "
                            f"(row {labels[int(first_pos[pos])]})")

    # 3. Test orders, returns, guest orders (in this order of precedence).
    alive = ~data.index.isin(list(removed))
    customer = clean["customer_id"]
    is_test = (customer.str.upper().str.startswith("TEST").fillna(False)
               | text["category"].str.casefold().eq("test").fillna(False)).to_numpy()
    is_return = (amount < 0).to_numpy()
    is_guest = customer.isna().to_numpy()
    for pos in _positions(alive & is_test):
        what = (f"customer_id {customer[pos]!r}" if pd.notna(customer[pos])
                and customer[pos].upper().startswith("TEST") else "category 'test'")
        removed[pos] = f"test order: {what}"
    for pos in _positions(alive & ~is_test & is_return):
        removed[pos] = f"return (negative amount) -- {RETURNS_NOTE}"
    for pos in _positions(alive & ~is_test & ~is_return & is_guest):
        removed[pos] = "guest order: no customer_id"

    kept = ~data.index.isin(list(removed))
    returned = np.isin(data.index, [p for p, r in removed.items() if r.startswith("return")])
    _check_kept(raw, text, clean, kept | returned, kept)

    # 4. What changed in the rows that stay (orders and returns).
    changes: dict[int, list[str]] = {}
    for col in ("order_id", "customer_id", "amount"):
        stripped = (data[col].astype("str") != text[col]) & text[col].notna()
        for pos in _positions(stripped.to_numpy() & kept):
            changes.setdefault(pos, []).append(f"whitespace stripped from {col}")
    for col, canon in (("channel", channel), ("category", category)):
        for pos in _positions((data[col].astype("str") != canon).to_numpy() & kept):
            changes.setdefault(pos, []).append(f"{col} normalised {data.at[pos, col]!r} -> "
                                               f"{canon[pos]!r}")
    other_format = (date_format != DATE_FORMATS[0]).to_numpy()
    for pos in _positions(other_format & kept):
        changes.setdefault(pos, []).append(f"date format {date_format[pos]!r} parsed")

    rows = [(pos, "removed", reason) for pos, reason in removed.items()]
    rows += [(pos, "changed", "; ".join(reasons)) for pos, reasons in changes.items()]
    rows.sort()
    report = pd.DataFrame({
        "raw_row": [labels[pos] for pos, _, _ in rows],
        "order_id": pd.Series([clean.at[pos, "order_id"] for pos, _, _ in rows], dtype="str"),
        "action": pd.Series([action for _, action, _ in rows], dtype="str"),
        "reason": pd.Series([reason for _, _, reason in rows], dtype="str"),
    })
    with_rows = clean.assign(raw_row=labels.to_numpy())
    return CleaningResult(orders=_finish(with_rows[kept]).drop(columns="raw_row"), report=report,
                          returns=_finish(with_rows[returned]), n_raw=len(raw))


def _check_kept(raw: pd.DataFrame, text: dict[str, pd.Series], clean: pd.DataFrame,
                stays: np.ndarray, kept: np.ndarray) -> None:
    """Rows that stay must be fully understood; never guess."""
    unreadable = clean["amount"].isna().to_numpy() & stays & text["amount"].notna().to_numpy()
    number_fix = numeric_text_hint(text["amount"][unreadable].tolist(), "raw['amount']") if unreadable.any() else ""
    checks: list[tuple[Hashable, np.ndarray, str]] = [
        ("order_id", clean["order_id"].isna().to_numpy() & stays, "missing order id(s)"),
        ("order_date", clean["order_date"].isna().to_numpy() & stays,
         f"date(s) in none of the known formats {list(DATE_FORMATS)}"),
        ("amount", clean["amount"].isna().to_numpy() & stays,
         f"amount(s) that are missing or not numbers{'. ' + number_fix if number_fix else ''}"),
        ("amount", np.isinf(clean["amount"].to_numpy()) & stays, "infinite amount(s) ('inf')"),
        ("amount", (clean["amount"] == 0).to_numpy() & kept, "zero amount(s)"),
        ("channel", clean["channel"].isna().to_numpy() & stays, "unknown value(s) after "
         f"normalisation (known: {list(CHANNELS)})"),
    ]
    for col, bad, problem in checks:
        reject_rows(raw, bad, f"Column {col!r} has {int(bad.sum())} {problem}. Fix the export or "
                              f"these rows before cleaning.")
    bad = clean["category"].isna().to_numpy() & stays
    if bad.any():
        unknown = sorted(text["category"][bad].fillna("<missing>").unique())
        reject_rows(
            raw, bad,
            f"Column 'category' has {int(bad.sum())} unknown value{'s' if bad.sum() > 1 else ''} "
            f"after normalisation: {', '.join(map(repr, unknown))}. Known categories: "
            f"{list(CATEGORIES)}. Map them explicitly first (e.g. raw['category'].replace("
            f"{{{unknown[0]!r}: 'Home'}})) -- cleaning never guesses.")


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    """The dtypes and order of the clean table."""
    out = df.astype({"order_id": "str", "customer_id": "str"})
    out["channel"] = pd.Categorical(out["channel"], categories=list(CHANNELS))
    out["category"] = pd.Categorical(out["category"], categories=list(CATEGORIES))
    return out.sort_values("order_id", kind="stable").reset_index(drop=True)
