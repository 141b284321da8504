"""The data check of the report: what is removed from an export before the analysis, and why.

A generic export cleaning, in the spirit of :func:`cvmlib.clean.clean_orders` (which knows the course
retailer's export) but for any company's file: every rule is stated, every removed row is counted under
its reason, and anything the rules do not cover stops with the offending rows instead of a guess.

Steps, in order (a row is counted under the first rule that removes it):

1. **exact duplicates** -- rows identical in every column of the file: the same rows exported twice
   (the first is kept). ``keep_duplicates=True`` keeps them as separate purchases.
2. **no customer id** -- e.g. guest orders: they cannot be attributed to anyone.
3. **test orders** -- a customer id starting with ``test_prefix`` (default ``TEST``, case-insensitive)
   or another text column whose value is just "test".
4. dates and amounts are read (:func:`cvmlib.validate.parse_dates`; numbers as text); an unreadable
   or missing date or amount stops the report with the rows.
5. **repeated rows** -- the same customer, order, time and amount as an earlier row, the other columns
   differing only in spaces or letter case (a re-export with another date format or tidier labels).
   Two line items of one order with different products are kept.
6. **returns** -- rows with an amount <= 0, by the ``returns`` policy: ``"error"`` stops (and says how
   to choose), ``"exclude"`` removes them, ``"net"`` keeps them as returns (subtracted from RFM
   monetary; never purchases for the CLV models).

Spaces around ids are trimmed and counted as a change (not a removal).

>>> import pandas as pd
>>> raw = pd.DataFrame({"cust": ["A", "A", "B", None, "TEST1", "B"],
...                     "day": ["2024-01-02", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-09"],
...                     "amount": ["10", "10", "5", "7", "1", "-5"]})
>>> from cvmlib.report.mapping import guess_mapping
>>> result = clean_export(raw, guess_mapping(raw.columns), returns="net")
>>> len(result.orders), [(s.key, s.rows) for s in result.steps]
(3, [('exact_duplicates', 1), ('no_customer', 1), ('test_orders', 1), ('returns_kept', 1)])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from cvmlib.i18n import N_, _
from cvmlib.report.mapping import ColumnMapping
from cvmlib.validate import InputError, numeric_text_hint, parse_dates, reject_rows, require_choice

__all__ = ["CleaningStep", "CleanExport", "STEP_TEXTS", "clean_export"]

ReturnsPolicy = Literal["error", "net", "exclude"]

#: step key -> (action, what the rule is, why), English msgids; shown translated.
STEP_TEXTS: dict[str, tuple[str, str, str]] = {
    "exact_duplicates": (N_("removed"), N_("exact duplicate rows (identical in every column)"),
                         N_("the same rows exported twice; the first copy is kept")),
    "no_customer": (N_("removed"), N_("rows without a customer id"),
                    N_("e.g. guest orders: they cannot be attributed to a customer")),
    "test_orders": (N_("removed"), N_("test orders"),
                    N_("customer id starting with {prefix!r}, or a column whose value is 'test'")),
    "repeated_rows": (N_("removed"), N_("repeated rows of an order"),
                      N_("same customer, order, time and amount as an earlier row; other columns differ only in "
                         "spaces or letter case (a re-export)")),
    "returns_removed": (N_("removed"), N_("returns and zero amounts (amount <= 0)"),
                        N_("policy --returns exclude: they are left out of every figure")),
    "returns_kept": (N_("kept"), N_("returns and zero amounts (amount <= 0)"),
                     N_("policy --returns net: subtracted from the customer's spend (RFM monetary); not counted "
                        "as purchases in the CLV model")),
    "kept_duplicates": (N_("kept"), N_("exact duplicate rows (identical in every column)"),
                        N_("--keep-duplicates: counted as separate purchases")),
    "trimmed": (N_("changed"), N_("spaces around ids and amounts trimmed"), N_("' C001 ' and 'C001' are one customer")),
}


@dataclass(frozen=True)
class CleaningStep:
    """One line of the cleaning table: a rule, how many rows it touched, and an example raw row number."""

    key: str
    rows: int
    example_rows: tuple[int, ...] = ()

    @property
    def action(self) -> str:
        return STEP_TEXTS[self.key][0]


@dataclass(frozen=True)
class CleanExport:
    """The result of :func:`clean_export`.

    Attributes
    ----------
    orders : pandas.DataFrame
        Columns ``customer_id`` (text), ``order_id`` (text; absent without an order column),
        ``order_date`` (datetime64), ``amount`` (float), ``source_row`` (line number in the file, the
        header being line 1) -- purchases and, under ``returns="net"``, returns.
    steps : list of CleaningStep
        The rules that touched rows (rules with 0 rows are left out).
    rows_read : int
    test_prefix : str
    """

    orders: pd.DataFrame
    steps: list[CleaningStep] = field(default_factory=list)
    rows_read: int = 0
    test_prefix: str = "TEST"

    def removed(self) -> int:
        """Rows removed in total."""
        return sum(step.rows for step in self.steps if step.action == "removed")


def _as_text(values: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Text with surrounding spaces trimmed, empty text missing; which values changed; the codes of the values.

    The string work is done on the distinct values only (an export has far fewer customers than rows), then
    mapped back through the integer codes. Non-text values (numbers) become text; 42.0 from Excel is 42.
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        as_int = values.dropna()
        if len(as_int) and (as_int == np.round(as_int)).all():
            values = values.astype("Int64")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    raw = pd.Series(uniques, dtype=object).astype("str")
    text = raw.str.strip()
    changed_unique = (text != raw).to_numpy(dtype=bool)
    text = text.where(text.str.len() > 0)
    present = codes >= 0
    out = np.full(len(values), np.nan, dtype=object)
    out[present] = text.to_numpy(dtype=object)[codes[present]]
    changed = np.zeros(len(values), dtype=bool)
    changed[present] = changed_unique[codes[present]]
    return pd.Series(out, index=values.index, dtype="str"), changed, codes


def _amounts(values: pd.Series, frame: pd.DataFrame, column: str, shown: list[str]) -> pd.Series:
    if pd.api.types.is_bool_dtype(values.dtype):
        reject_rows(frame, np.ones(len(values), bool), _("Column {column!r} holds True/False, not amounts.").format(
            column=column), shown)
    if pd.api.types.is_numeric_dtype(values.dtype):
        amount = values.astype("float64")
        missing = amount.isna().to_numpy()
    else:
        text = _as_text(values)[0]
        missing = text.isna().to_numpy()
        amount = pd.to_numeric(text, errors="coerce").astype("float64")
        bad = amount.isna().to_numpy() & ~missing
        if bad.any():
            hint = numeric_text_hint(text[bad].astype("str").tolist()[:20], f"df[{column!r}]")
            reject_rows(frame, bad, lambda n: _("Column {column!r} has {n:,} value(s) that are not numbers. {hint} "
                                                "Fix them in the export, or map another column with "
                                                "--amount-col.").format(column=column, n=n, hint=hint).replace(
                                                    "  ", " "), shown)
    reject_rows(frame, missing, lambda n: _("Column {column!r} has {n:,} row(s) without an amount. Every purchase "
                                            "needs its amount: fix these rows in the export.").format(
                                                column=column, n=n), shown)
    reject_rows(frame, ~np.isfinite(amount.to_numpy()), lambda n: _("Column {column!r} has {n:,} infinite "
                                                                     "amount(s).").format(column=column, n=n), shown)
    return amount


def _dates(rows: pd.DataFrame, column: str, shown: list[str], date_format: str | None,
           dayfirst: bool | None) -> pd.Series:
    """The dates of ``rows[column]`` by :func:`cvmlib.validate.parse_dates` (year-first text is always read
    year-month-day there, whatever the column's other values say)."""
    return parse_dates(rows[column], column, format=date_format, dayfirst=dayfirst, frame=rows, columns=shown)


def clean_export(raw: pd.DataFrame, mapping: ColumnMapping, *, returns: ReturnsPolicy = "error",
                 test_prefix: str = "TEST", keep_duplicates: bool = False, date_format: str | None = None,
                 dayfirst: bool | None = None) -> CleanExport:
    """Apply the cleaning rules of the module notes to an export; the orders left and the table of steps.

    Parameters
    ----------
    raw : pandas.DataFrame
        The export as read (:func:`cvmlib.report.reader.read_orders`).
    mapping : ColumnMapping
        Where the customer id, date, amount and order id are.
    returns : {"error", "net", "exclude"}
        Policy for amounts <= 0 (see the module notes).
    test_prefix : str
        Customer ids starting with it are test orders; ``""`` turns the test-order rule off.
    keep_duplicates : bool
        Keep exact duplicate rows as separate purchases.
    date_format, dayfirst : optional
        Passed to :func:`cvmlib.validate.parse_dates` for ambiguous dates.

    Raises
    ------
    cvmlib.validate.InputError
        Unreadable dates or amounts, amounts <= 0 under ``returns="error"``, no row left.
    """
    require_choice(returns, "--returns", ["error", "net", "exclude"])
    n = len(raw)
    # the line of each row in the file: the header is line 1 (what a user finds in a text editor)
    frame = raw.copy(deep=False)
    frame.index = pd.RangeIndex(2, n + 2, name="line")
    shown = mapping.columns()
    alive = np.ones(n, dtype=bool)
    steps: list[CleaningStep] = []

    def record(key: str, mask: np.ndarray) -> None:
        count = int(mask.sum())
        if count:
            steps.append(CleaningStep(key, count, tuple(int(i) for i in frame.index[mask][:3])))

    customer, trimmed, customer_codes = _as_text(frame[mapping.customer])
    order, order_trimmed, order_codes = (_as_text(frame[mapping.order]) if mapping.order is not None
                                         else (None, np.zeros(n, dtype=bool), None))
    trimmed = trimmed | order_trimmed
    if pd.api.types.is_string_dtype(frame[mapping.amount].dtype):
        amount_text = frame[mapping.amount]
        trimmed |= (amount_text.str.len() != amount_text.str.strip().str.len()).to_numpy(dtype=bool, na_value=False)
    # Rows whose order id is not repeated cannot be duplicates of another row: only the others are compared
    # (the whole table when there is no order column).
    if order_codes is not None:
        counts = np.bincount(order_codes[order_codes >= 0], minlength=int(order_codes.max()) + 1)
        suspects = (order_codes < 0) | (counts[np.maximum(order_codes, 0)] > 1)
    else:
        suspects = np.ones(n, dtype=bool)

    # 1. exact duplicates
    duplicated = np.zeros(n, dtype=bool)
    if suspects.any():
        duplicated[suspects] = frame[suspects].duplicated(keep="first").to_numpy()
    if keep_duplicates:
        record("kept_duplicates", duplicated)
    else:
        record("exact_duplicates", duplicated)
        alive &= ~duplicated
    # 2. no customer id
    no_customer = customer.isna().to_numpy() & alive
    record("no_customer", no_customer)
    alive &= ~no_customer
    # 3. test orders
    if test_prefix:
        distinct = pd.Series(pd.unique(customer.dropna()), dtype="str")
        test_ids = distinct[distinct.str.casefold().str.startswith(test_prefix.casefold())]
        is_test = customer.isin(test_ids).to_numpy(dtype=bool, copy=True) if len(test_ids) else np.zeros(n, bool)
        for col in frame.columns:
            if col in shown or not pd.api.types.is_string_dtype(frame[col].dtype):
                continue
            codes, uniques = pd.factorize(frame[col])
            flagged = pd.Series(uniques, dtype="str").str.strip().str.casefold().eq("test").to_numpy(dtype=bool)
            if flagged.any():
                is_test = is_test | ((codes >= 0) & flagged[np.maximum(codes, 0)])
        is_test = is_test & alive
        record("test_orders", is_test)
        alive &= ~is_test
    if not alive.any():
        raise InputError(_("No rows left after removing duplicates, rows without a customer id and test orders: "
                           "check the file and the column mapping ({customer!r} as the customer id).").format(
                               customer=mapping.customer))

    # 4. dates and amounts of the rows that stay (removed rows may be as untidy as they like)
    rows = frame[alive]
    dates = _dates(rows, mapping.date, shown, date_format, dayfirst)
    amount = _amounts(rows[mapping.amount], rows, mapping.amount, shown)
    clean = pd.DataFrame({"customer_id": customer[alive].to_numpy(), "order_date": dates.to_numpy(),
                          "amount": amount.to_numpy(), "source_row": rows.index.to_numpy()})
    if order is not None:
        clean.insert(1, "order_id", order[alive].fillna("").to_numpy())

    # 5. repeated rows: the mapped values equal, the other text columns equal up to spaces and case
    if not keep_duplicates:
        repeated = np.zeros(len(clean), dtype=bool)
        check = suspects[alive]
        if check.any():
            key = clean.drop(columns="source_row")[check]
            for col in (c for c in frame.columns if c not in shown):
                values = rows[col][check]
                key[f"__{col}"] = (values.astype("str").str.strip().str.casefold().where(values.notna()).to_numpy()
                                   if pd.api.types.is_string_dtype(values.dtype) else values.to_numpy())
            repeated[check] = key.duplicated(keep="first").to_numpy()
        mask = np.zeros(n, dtype=bool)
        mask[np.flatnonzero(alive)[repeated]] = True
        record("repeated_rows", mask)
        clean = clean[~repeated]
        alive &= ~mask

    # 6. returns
    non_positive = (clean["amount"] <= 0).to_numpy()
    if non_positive.any():
        mask = np.zeros(n, dtype=bool)
        mask[np.flatnonzero(alive)[non_positive]] = True
        if returns == "error":
            reject_rows(frame, mask, lambda k: _(
                "Column {column!r} has {n:,} row(s) with an amount of 0 or less (returns, refunds or free items). "
                "Choose what they mean: --returns net subtracts them from the customer's spend, --returns exclude "
                "leaves them out.").format(column=mapping.amount, n=k), shown)
        record("returns_removed" if returns == "exclude" else "returns_kept", mask)
        if returns == "exclude":
            clean = clean[~non_positive]
    if not (clean["amount"] > 0).any():
        raise InputError(_("No purchase left (no row with an amount above 0): check the amount column "
                           "{column!r}.").format(column=mapping.amount))
    record("trimmed", trimmed & alive)
    return CleanExport(orders=clean.reset_index(drop=True), steps=steps, rows_read=n, test_prefix=test_prefix)
