"""Loaders for the course's data sets: the synthetic retailer and the CDNOW sample/master.

Every loader returns a fresh copy with proper dtypes: timestamps parsed, labels as pandas
Categorical, ids as ``str``, and nullable dtypes where the file has empty cells. Files are read
once per session (cached) and copied on every call, so callers may change what they get.

The files are found in the installed package (``cvmlib/_data``, where a wheel puts them) or, in a
source checkout, in the repository's ``datasets/`` folder next to the package. See
``datasets/README.md`` (the chapter "The data" in the book) for the data dictionary.
"""

from __future__ import annotations

import functools
import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np
import pandas as pd

from cvmlib.i18n import _
from cvmlib.validate import InputError, require_bool, require_choice

__all__ = [
    "CATEGORIES",
    "CHANNELS",
    "data_path",
    "load_cdnow",
    "load_complaints",
    "load_customers",
    "load_orders",
    "load_orders_raw",
    "load_survey",
    "load_truth",
]

CHANNELS: tuple[str, ...] = ("app", "web", "store", "mini_program")
CATEGORIES: tuple[str, ...] = ("Apparel", "Beauty", "Electronics", "Home", "Food & Grocery", "Baby & Kids", "Sports")
_MEMBERSHIP = ("basic", "silver", "gold", "platinum")
_TIMESTAMP = "%Y-%m-%d %H:%M:%S"
_DATE = "%Y-%m-%d"


def data_path(group: str, name: str) -> Traversable:
    """Locate a shipped data file.

    Parameters
    ----------
    group : str
        ``"retailer"`` or ``"cdnow"``.
    name : str
        File name inside the group, e.g. ``"orders.csv"``.

    Returns
    -------
    importlib.resources.abc.Traversable
        The file inside the installed package if present, else in the source checkout.

    Raises
    ------
    cvmlib.validate.InputError
        An unknown group, or a name with a folder in it.
    FileNotFoundError
        If neither location has the file.

    Examples
    --------
    >>> data_path("retailer", "orders.csv").name
    'orders.csv'
    """
    require_choice(group, "group", ["retailer", "cdnow"])
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith("."):
        raise InputError(_("name={name!r} must be the plain name of a data file, e.g. 'orders.csv' (no folders: "
                           "the data live only in their group).").format(name=name))
    # Wheel installs carry the data inside the package; a source checkout keeps them in datasets/.
    candidates: list[Traversable] = [
        importlib.resources.files("cvmlib") / "_data" / group / name,
        Path(__file__).resolve().parent.parent / "datasets" / group / name,
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    tried = "\n  ".join(str(c) for c in candidates)
    raise FileNotFoundError(
        _("cvmlib data file {group}/{name} not found. Tried:").format(group=group, name=name) + f"\n  {tried}\n"
        + _("Install cvmlib from its wheel (which ships the data) or work in a source checkout; regenerate the "
            "retailer with `python datasets/generate.py`.")
    )


# How each file is read: always as text, so nothing is guessed; typing happens in the loaders.
_CDNOW_SAMPLE_COLUMNS = ["customer_id", "sample_id", "date", "quantity", "amount"]
_READ_OPTIONS: dict[str, dict[str, object]] = {
    "retailer": {"dtype": "str", "keep_default_na": False},
    # No header: master id, sample id (0001..2357), date, number of CDs, dollar value.
    "CDNOW_sample.txt": {"sep": r"\s+", "header": None, "names": _CDNOW_SAMPLE_COLUMNS, "dtype": "str"},
    "CDNOW_master.txt": {"sep": r"\s+", "dtype": "str"},
}


@functools.lru_cache(maxsize=None)
def _read(group: str, name: str) -> pd.DataFrame:
    """Read one file once per session; callers must copy before handing it out."""
    options = _READ_OPTIONS["retailer"] if group == "retailer" else _READ_OPTIONS[name]
    with data_path(group, name).open("rb") as handle:
        return pd.read_csv(handle, **options)


def _retailer(name: str) -> pd.DataFrame:
    """A retailer table with every column as text and empty cells as missing values."""
    df = _read("retailer", name)
    return df.mask(df == "")


def _timestamps(values: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(values, format=fmt).astype("datetime64[ns]")


def _categorical(values: pd.Series, categories: tuple[object, ...], ordered: bool = False) -> pd.Series:
    return pd.Series(pd.Categorical(values, categories=list(categories), ordered=ordered), index=values.index,
                     name=values.name)


def load_customers() -> pd.DataFrame:
    """Customers of the synthetic retailer, one row each.

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (str), ``signup_date`` (datetime64[ns]), ``age`` (int64), ``gender``
        (Categorical F/M), ``city`` (str), ``city_tier`` (ordered Categorical 1..4, 1 = first-tier
        city), ``acquisition_channel`` (Categorical), ``membership_level`` (ordered Categorical
        basic < silver < gold < platinum, as of 2025-12-31).

    Examples
    --------
    >>> customers = load_customers()
    >>> customers.shape
    (5000, 8)
    >>> customers["membership_level"].cat.categories.tolist()
    ['basic', 'silver', 'gold', 'platinum']
    """
    df = _retailer("customers.csv")
    df["signup_date"] = _timestamps(df["signup_date"], _DATE)
    df["age"] = df["age"].astype("int64")
    df["gender"] = _categorical(df["gender"], ("F", "M"))
    df["city_tier"] = _categorical(df["city_tier"].astype("int64"), (1, 2, 3, 4), ordered=True)
    df["acquisition_channel"] = _categorical(
        df["acquisition_channel"], ("search", "social_media", "livestream", "referral", "in_store"))
    df["membership_level"] = _categorical(df["membership_level"], _MEMBERSHIP, ordered=True)
    return df


def load_orders() -> pd.DataFrame:
    """Clean orders of the synthetic retailer, one row per order (2024-01-01 .. 2025-12-31).

    Returns
    -------
    pandas.DataFrame
        ``order_id`` (str), ``customer_id`` (str), ``order_date`` (datetime64[ns], naive local
        time), ``channel`` (Categorical of :data:`CHANNELS`), ``category`` (Categorical of
        :data:`CATEGORIES`), ``amount`` (float64, CNY, > 0). Sorted by ``order_id``, which is also
        time order.

    Examples
    --------
    >>> orders = load_orders()
    >>> orders.shape[1]
    6
    >>> str(orders["order_date"].dtype), str(orders["amount"].dtype)
    ('datetime64[ns]', 'float64')
    >>> bool((orders["amount"] > 0).all())
    True
    """
    df = _retailer("orders.csv")
    df["order_date"] = _timestamps(df["order_date"], _TIMESTAMP)
    df["channel"] = _categorical(df["channel"], CHANNELS)
    df["category"] = _categorical(df["category"], CATEGORIES)
    df["amount"] = df["amount"].astype("float64")
    return df


def load_orders_raw() -> pd.DataFrame:
    """The messy order export, exactly as exported: every column is text, nothing parsed.

    Empty cells (guest orders have no ``customer_id``) are empty strings, not missing values,
    because that is what the export contains. Cleaning it (drop guests, test orders, returns and
    duplicates; normalise text; parse dates) gives back :func:`load_orders`.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`load_orders`, all of dtype ``str``.

    Examples
    --------
    >>> raw = load_orders_raw()
    >>> raw.columns.tolist()
    ['order_id', 'customer_id', 'order_date', 'channel', 'category', 'amount']
    >>> len(raw) > len(load_orders())
    True
    >>> int((raw["customer_id"] == "").sum()) > 0  # guest checkouts
    True
    """
    return _read("retailer", "orders_raw.csv").copy()


def load_complaints() -> pd.DataFrame:
    """Complaint tickets, one row each, linked to the order they are about.

    Returns
    -------
    pandas.DataFrame
        ``ticket_id``, ``customer_id``, ``order_id`` (str); ``opened_at``, ``first_response_at``,
        ``resolved_at`` (datetime64[ns]; NaT when it had not happened by 2025-12-31);
        ``channel``, ``category``, ``severity`` (ordered low < medium < high), ``resolution``
        (Categorical; NaN while unresolved); ``compensation_cny`` (float64, NaN while unresolved);
        ``satisfaction_after`` (Int64 1..5, <NA> while unresolved).

    Examples
    --------
    >>> complaints = load_complaints()
    >>> complaints.shape[1]
    12
    >>> str(complaints["satisfaction_after"].dtype)
    'Int64'
    >>> bool(complaints["resolved_at"].isna().any())  # some tickets are still open
    True
    """
    df = _retailer("complaints.csv")
    for col in ("opened_at", "first_response_at", "resolved_at"):
        df[col] = _timestamps(df[col], _TIMESTAMP)
    df["channel"] = _categorical(df["channel"], ("phone", "app_chat", "email", "social"))
    df["category"] = _categorical(df["category"], ("delivery_delay", "product_quality", "wrong_item",
                                                   "refund_request", "billing", "service_attitude"))
    df["severity"] = _categorical(df["severity"], ("low", "medium", "high"), ordered=True)
    df["resolution"] = _categorical(df["resolution"], ("refund", "replacement", "voucher", "apology", "none"))
    df["compensation_cny"] = df["compensation_cny"].astype("float64")
    df["satisfaction_after"] = df["satisfaction_after"].astype("float64").astype("Int64")
    return df


def load_survey() -> pd.DataFrame:
    """Post-purchase survey: Net Promoter Score and the 4C ratings, one response per customer.

    Returns
    -------
    pandas.DataFrame
        ``response_id``, ``customer_id`` (str), ``response_date`` (datetime64[ns]), ``nps``
        (int64, 0..10), ``consumer_needs_fit``, ``cost``, ``convenience``, ``communication``
        (int64 ratings 1..5).

    Examples
    --------
    >>> survey = load_survey()
    >>> survey.shape
    (1500, 8)
    >>> int(survey["nps"].min()) >= 0 and int(survey["nps"].max()) <= 10
    True
    """
    df = _retailer("survey.csv")
    df["response_date"] = _timestamps(df["response_date"], _DATE)
    for col in ("nps", "consumer_needs_fit", "cost", "convenience", "communication"):
        df[col] = df[col].astype("int64")
    return df


def load_truth() -> pd.DataFrame:
    """The generating truth of the synthetic retailer (for checking models, never a feature).

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (str), ``segment`` (Categorical), ``purchase_rate_per_week`` (float64,
        the BG/NBD lambda), ``dropout_prob`` (float64, the BG/NBD p), ``dropout_date``
        (datetime64[ns]; NaT if still alive at 2025-12-31), ``mean_spend`` (float64, CNY: the
        customer's mean order value in the Gamma-Gamma story).

    Examples
    --------
    >>> truth = load_truth()
    >>> truth["segment"].cat.categories.tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['bargain_hunters', 'young_fashion', 'families', 'premium_tech', 'occasional_gifters']
    """
    df = _retailer("truth.csv")
    df["segment"] = _categorical(df["segment"], ("bargain_hunters", "young_fashion", "families", "premium_tech",
                                                 "occasional_gifters"))
    for col in ("purchase_rate_per_week", "dropout_prob", "mean_spend"):
        df[col] = df[col].astype("float64")
    df["dropout_date"] = _timestamps(df["dropout_date"], _DATE)
    return df


def load_cdnow(sample: bool = True) -> pd.DataFrame:
    """CDNOW purchases (Fader & Hardie): the 1/10 sample (default) or the master file.

    Parameters
    ----------
    sample : bool, default True
        ``True``: 2,357 customers, 6,919 transactions. ``False``: 23,570 customers, 69,659
        transactions. Both cover 1997-01-01 .. 1998-06-30. Must be a bool: ``"False"`` or ``0``
        is an error, not the other file.

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (str, the master file's 5-digit id, so the sample is a subset of the
        master), ``order_date`` (datetime64[ns], a day), ``quantity`` (int64, number of CDs),
        ``amount`` (float64, US dollars; a few transactions are 0.00) and ``line`` (int64, the
        transaction's line in the file, from 0). The file has identical rows that are separate
        purchases (same customer, day, CDs and value): ``line`` tells them apart, so the table
        goes into :func:`cvmlib.clv.summarize_purchases` as loaded.

    Examples
    --------
    >>> cdnow = load_cdnow()
    >>> cdnow.shape, cdnow["customer_id"].nunique()
    ((6919, 5), 2357)
    >>> cdnow["order_date"].min().date(), cdnow["order_date"].max().date()
    (datetime.date(1997, 1, 1), datetime.date(1998, 6, 30))
    """
    if require_bool(sample, "sample"):
        raw = _read("cdnow", "CDNOW_sample.txt")
    else:
        raw = _read("cdnow", "CDNOW_master.txt").rename(columns={"number_of_cds": "quantity",
                                                                 "dollar_value": "amount"})
    return pd.DataFrame({
        "customer_id": raw["customer_id"].astype("str"),
        "order_date": _timestamps(raw["date"], "%Y%m%d"),
        "quantity": raw["quantity"].astype("int64"),
        "amount": raw["amount"].astype("float64"),
        "line": np.arange(len(raw), dtype=np.int64),
    })
