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

The report is data, the same in both editions (code may filter it by ``action`` or read its
``reason``); what a reader sees -- the result's display, :meth:`CleaningResult.shown_report` and
:meth:`CleaningResult.shown_summary` -- follows the language in force:

>>> from cvmlib.i18n import language
>>> with language("zh"):
...     print(result.shown_report()["原因"].iloc[4])
游客订单：没有 customer_id
"""

from __future__ import annotations

import html
import re
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cvmlib.i18n import N_, _, ngettext
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

#: Every reason of the report (an English text with ``{values}``) and the kind it is counted under
#: in the summary. The report holds the English text (data, the same in both editions); a display
#: shows each part translated, its values unchanged.
REASONS: tuple[tuple[str, str], ...] = (
    (N_("exact duplicate of row {row}"), N_("exact duplicate")),
    (N_("near duplicate of order {order} (row {row})"), N_("near duplicate")),
    (N_("return (negative amount) -- kept in CleaningResult.returns"), N_("return")),
    (N_("guest order: no customer_id"), N_("guest order")),
    (N_("test order: category 'test'"), N_("test order")),
    (N_("test order: customer_id {customer}"), N_("test order")),
    (N_("whitespace stripped from {column}"), N_("whitespace stripped from {column}")),
    (N_("{column} normalised {before} -> {after}"), N_("{column} normalised")),
    (N_("date format {format} parsed"), N_("date format {format} parsed")),
)

#: The report's and the summary's columns and actions, as a reader sees them.
_HEADERS = {"raw_row": N_("raw row"), "order_id": N_("order"), "action": N_("action"), "reason": N_("reason"),
            "kind": N_("kind"), "rows": N_("rows")}
_ACTIONS = {"removed": N_("removed"), "changed": N_("changed")}


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression that reads the values back out of a reason written with ``template``."""
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    return re.compile(f"^{regex}$")


_PATTERNS = tuple((_pattern(template), template, kind) for template, kind in REASONS)


def _reason(template: str, **values: object) -> str:
    """The English text of a reason (what the report holds)."""
    return template.format(**values)


def _read(part: str) -> tuple[str, str, dict[str, str]] | None:
    """(template, kind, values) of one part of a reason, or None for a text written otherwise."""
    for pattern, template, kind in _PATTERNS:
        match = pattern.match(part)
        if match:
            return template, kind, match.groupdict()
    return None


def shown_reason(reason: str) -> str:
    """A reason of the report as the language in force shows it (its values unchanged).

    >>> shown_reason("channel normalised 'WEB' -> 'web'; whitespace stripped from amount")
    "channel normalised 'WEB' -> 'web'; whitespace stripped from amount"
    """
    shown = []
    for part in reason.split("; "):
        read = _read(part)
        shown.append(part if read is None else _(read[0]).format(**read[2]))
    return _("; ").join(shown)


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
        kinds = parts["part"].map(lambda part: _kind(part, translate=False))
        counts = (
            parts.assign(kind=kinds).groupby(["action", "kind"], sort=False).size()
            .rename("rows").reset_index()
        )
        order = {"removed": 0, "changed": 1}
        return counts.sort_values(["action", "rows"], key=lambda s: s.map(order) if s.name ==
                                  "action" else -s, kind="stable").reset_index(drop=True)

    def shown_summary(self) -> pd.DataFrame:
        """:meth:`summary` as a reader sees it: headers, actions and kinds in the language in force.

        The counts are those of :meth:`summary`; in English it is the same table.
        """
        parts = self.report.assign(part=self.report["reason"].str.split("; ")).explode("part")
        summary = self.summary()
        # the English kind -> as shown (a kind with values, e.g. a date format, keeps them)
        shown_kinds = {_kind(part, translate=False): _kind(part, translate=True) for part in parts["part"]}
        return _shown_table(summary.assign(kind=summary["kind"].map(lambda kind: shown_kinds.get(kind, kind))))

    def shown_report(self) -> pd.DataFrame:
        """:attr:`report` as a reader sees it: headers, actions and reasons in the language in force.

        Row for row the same as :attr:`report` (ids, raw rows and the values in a reason unchanged).
        """
        return _shown_table(self.report.assign(reason=self.report["reason"].map(shown_reason)))

    def _headline(self) -> str:
        action = self.report["action"]
        return _("CleaningResult: {raw:,} raw rows -> {orders:,} orders + {returns:,} returns; {removed:,} rows "
                 "removed, {changed:,} changed").format(
                     raw=self.n_raw, orders=len(self.orders), returns=len(self.returns),
                     removed=int((action == "removed").sum()), changed=int((action == "changed").sum()))

    def __repr__(self) -> str:
        return f"{self._headline()}\n{self.shown_summary().to_string(index=False)}"

    def _repr_html_(self) -> str:
        return (f"<p><b>{html.escape(self._headline())}</b></p>"
                f"{self.shown_summary().to_html(index=False)}")


def _kind(reason: str, translate: bool) -> str:
    """The summary's kind of one part of a reason (English, or as the language in force shows it)."""
    read = _read(reason)
    if read is None:
        return reason
    _template, kind, values = read
    return (_(kind) if translate else kind).format(**values)


def _shown_table(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of a report or summary table with its headers and actions as the language in force shows them."""
    shown = table.copy()
    if "action" in shown.columns:
        shown["action"] = shown["action"].map(lambda action: _(_ACTIONS.get(str(action), str(action))))
    # a header is renamed only where the language in force translates it: English keeps the data's names
    return shown.rename(columns={col: _(label) for col, label in _HEADERS.items() if _(label) != label})


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
    require_table(raw, N_("the raw export"), COLUMNS)
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
        removed[pos] = _reason(REASONS[0][0], row=labels[first[pos]])

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
                _("Column 'order_id' has {n} order id(s) exported more than once with different contents "
                  "(customer, date, channel, category or amount), e.g. {examples}. Cleaning cannot tell which "
                  "version is right: fix the export.").format(n=len(bad_ids), examples=sorted(bad_ids)[:3]))
        for pos in _positions(again):
            removed[pos] = _reason(REASONS[1][0], order=clean.at[pos, "order_id"], row=labels[int(first_pos[pos])])

    # 3. Test orders, returns, guest orders (in this order of precedence).
    alive = ~data.index.isin(list(removed))
    customer = clean["customer_id"]
    is_test = (customer.str.upper().str.startswith("TEST").fillna(False)
               | text["category"].str.casefold().eq("test").fillna(False)).to_numpy()
    is_return = (amount < 0).to_numpy()
    is_guest = customer.isna().to_numpy()
    for pos in _positions(alive & is_test):
        by_customer = pd.notna(customer[pos]) and customer[pos].upper().startswith("TEST")
        removed[pos] = (_reason(REASONS[5][0], customer=repr(customer[pos])) if by_customer
                        else _reason(REASONS[4][0]))
    for pos in _positions(alive & ~is_test & is_return):
        removed[pos] = _reason(REASONS[2][0])
    for pos in _positions(alive & ~is_test & ~is_return & is_guest):
        removed[pos] = _reason(REASONS[3][0])

    kept = ~data.index.isin(list(removed))
    returned = np.isin(data.index, [p for p, r in removed.items() if r.startswith("return")])
    _check_kept(raw, text, clean, kept | returned, kept)

    # 4. What changed in the rows that stay (orders and returns).
    changes: dict[int, list[str]] = {}
    for col in ("order_id", "customer_id", "amount"):
        stripped = (data[col].astype("str") != text[col]) & text[col].notna()
        for pos in _positions(stripped.to_numpy() & kept):
            changes.setdefault(pos, []).append(_reason(REASONS[6][0], column=col))
    for col, canon in (("channel", channel), ("category", category)):
        for pos in _positions((data[col].astype("str") != canon).to_numpy() & kept):
            changes.setdefault(pos, []).append(_reason(REASONS[7][0], column=col, before=repr(data.at[pos, col]),
                                                       after=repr(canon[pos])))
    other_format = (date_format != DATE_FORMATS[0]).to_numpy()
    for pos in _positions(other_format & kept):
        changes.setdefault(pos, []).append(_reason(REASONS[8][0], format=repr(date_format[pos])))

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
        ("order_id", clean["order_id"].isna().to_numpy() & stays,
         N_("Column {column!r} has {n} missing order id(s). Fix the export or these rows before cleaning.")),
        ("order_date", clean["order_date"].isna().to_numpy() & stays,
         N_("Column {column!r} has {n} date(s) in none of the known formats {formats}. Fix the export or these "
            "rows before cleaning.")),
        ("amount", clean["amount"].isna().to_numpy() & stays,
         N_("Column {column!r} has {n} amount(s) that are missing or not numbers. {fix}. Fix the export or these "
            "rows before cleaning.") if number_fix else
         N_("Column {column!r} has {n} amount(s) that are missing or not numbers. Fix the export or these rows "
            "before cleaning.")),
        ("amount", np.isinf(clean["amount"].to_numpy()) & stays,
         N_("Column {column!r} has {n} infinite amount(s) ('inf'). Fix the export or these rows before cleaning.")),
        ("amount", (clean["amount"] == 0).to_numpy() & kept,
         N_("Column {column!r} has {n} zero amount(s). Fix the export or these rows before cleaning.")),
        ("channel", clean["channel"].isna().to_numpy() & stays,
         N_("Column {column!r} has {n} unknown value(s) after normalisation (known: {known}). Fix the export or "
            "these rows before cleaning.")),
    ]
    for col, bad, problem in checks:
        reject_rows(raw, bad, lambda n, problem=problem, col=col: _(problem).format(
            column=col, n=n, formats=list(DATE_FORMATS), fix=number_fix, known=list(CHANNELS)))
    bad = clean["category"].isna().to_numpy() & stays
    if bad.any():
        unknown = sorted(text["category"][bad].fillna("<missing>").unique())
        n = int(bad.sum())
        reject_rows(
            raw, bad,
            ngettext("Column 'category' has {n} unknown value after normalisation: {unknown}. Known categories: "
                     "{known}. Map them explicitly first (e.g. {example}) -- cleaning never guesses.",
                     "Column 'category' has {n} unknown values after normalisation: {unknown}. Known categories: "
                     "{known}. Map them explicitly first (e.g. {example}) -- cleaning never guesses.", n).format(
                         n=n, unknown=", ".join(map(repr, unknown)), known=list(CATEGORIES),
                         example=f"raw['category'].replace({{{unknown[0]!r}: 'Home'}})"))


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    """The dtypes and order of the clean table."""
    out = df.astype({"order_id": "str", "customer_id": "str"})
    out["channel"] = pd.Categorical(out["channel"], categories=list(CHANNELS))
    out["category"] = pd.Categorical(out["category"], categories=list(CATEGORIES))
    return out.sort_values("order_id", kind="stable").reset_index(drop=True)
