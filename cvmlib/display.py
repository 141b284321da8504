"""Tables as readers see them: headers, index names and known labels in the edition's language.

The data of the course stay English: code and checks use the column ``customer_share`` and the
segment ``"Champions"`` in both editions, and the numbers never change. What a reader sees is
translated at display, here:

* :func:`localize` returns a *copy* of a DataFrame or Series for display: column names, index
  names, and the known labels among the index labels and the text values (segment names, value
  cells, categories, channels, severities, ...), in the language in force. Numbers are untouched.
* :func:`show` is ``localize`` plus a formatted pandas ``Styler`` with its caption: the one call a
  chapter uses to show a table. Formats are given by the *original* column names.
* :func:`label` / :func:`labels` translate known labels (tick labels, legends; English data stay as
  they are), :func:`readable` writes a label for a sentence or a glued value (``"delivery delay"``
  in English too), :func:`header` translates one column name.
* In a book page or workbook, the texts of a code cell (captions, printed sentences) are wrapped in
  ``_()`` from :mod:`cvmlib.i18n`; their translations are in the catalog ``book_code``.

In English (the default) nothing is renamed: ``localize`` returns an unchanged copy, so the English
edition shows exactly the tables it always showed.

The vocabulary: :data:`COLUMN_LABELS` (column and index names -> an English display text, marked
for translation) and the labels of values. The topic modules register the labels they define
(:func:`register_labels`, e.g. the RFM segments in :mod:`cvmlib.rfm`); the labels of the shipped
data sets (categories, channels, membership levels, ...) are listed here.

>>> import pandas as pd
>>> from cvmlib.i18n import language
>>> table = pd.DataFrame({"customers": [3, 1], "customer_share": [0.75, 0.25]},
...                      index=pd.Index(["Home", "Beauty"], name="main_category"))
>>> localize(table).columns.tolist()
['customers', 'customer_share']
>>> with language("zh"):
...     shown = localize(table)
>>> shown.columns.tolist(), shown.index.tolist(), shown.index.name
(['客户数', '客户占比'], ['家居', '美妆'], '主要品类')
>>> shown["客户占比"].tolist() == table["customer_share"].tolist()
True
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from cvmlib.i18n import N_, _, format_list, get_language, translations

__all__ = ["COLUMN_LABELS", "DATA_LABELS", "header", "label", "labels", "localize", "readable",
           "register_columns", "register_labels", "show"]

#: Column and index names of the tables shown to readers -> their English display text (a msgid).
#: In English the column keeps its name; in Chinese it shows the translation of the text.
COLUMN_LABELS: dict[str, str] = {
    # ids and dates
    "customer_id": N_("customer"),
    "order_id": N_("order"),
    "order_date": N_("order date"),
    "ticket_id": N_("ticket"),
    "response_id": N_("response"),
    "response_date": N_("response date"),
    "signup_date": N_("sign-up date"),
    "opened_at": N_("opened at"),
    "first_response_at": N_("first response at"),
    "resolved_at": N_("resolved at"),
    # orders and customers
    "amount": N_("amount (CNY)"),
    "channel": N_("channel"),
    "category": N_("category"),
    "age": N_("age"),
    "gender": N_("gender"),
    "city": N_("city"),
    "city_tier": N_("city tier"),
    "acquisition_channel": N_("acquisition channel"),
    "membership_level": N_("membership level"),
    # RFM
    "recency": N_("recency (days)"),
    "frequency": N_("frequency (orders)"),
    "monetary": N_("monetary (CNY)"),
    "mean_order_value": N_("average order value (CNY)"),
    "R": N_("R score"),
    "F": N_("F score"),
    "M": N_("M score"),
    "rfm_code": N_("RFM code"),
    "segment": N_("segment"),
    "customers": N_("customers"),
    "customer_share": N_("share of customers"),
    "revenue": N_("revenue (CNY)"),
    "revenue_share": N_("share of revenue"),
    "mean_recency": N_("mean recency (days)"),
    "mean_frequency": N_("mean frequency (orders)"),
    "mean_monetary": N_("mean monetary (CNY)"),
    "recommended action": N_("recommended action"),
    "strategy": N_("strategy"),
    # describe()
    "count": N_("count"),
    "mean": N_("mean"),
    "std": N_("standard deviation"),
    "min": N_("minimum"),
    "max": N_("maximum"),
    "25%": N_("25th percentile"),
    "50%": N_("median"),
    "75%": N_("75th percentile"),
    # segmentation
    "cluster": N_("cluster"),
    "name": N_("name"),
    "age_band": N_("age band"),
    "spend_per_customer": N_("spend per customer (CNY)"),
    "top_categories": N_("top categories"),
    "main_channel": N_("main channel"),
    "approach": N_("marketing approach"),
    "main_category": N_("main category"),
    "revenue_per_customer": N_("revenue per customer (CNY)"),
    "median_recency": N_("median recency (days)"),
    "top_category": N_("top category"),
    "top_category_share": N_("top category's share of spend"),
    "mean_age": N_("mean age"),
    "tier_1_2_share": N_("share in tier 1-2 cities"),
    "mean_orders": N_("mean orders"),
    "electronics_share": N_("electronics share of spend"),
    "spend_p90_over_p10": N_("spend: top decile / bottom decile"),
    "k": N_("k"),
    "inertia": N_("inertia"),
    "silhouette": N_("silhouette"),
    "method": N_("method"),
    "run": N_("run"),
    "ari": N_("adjusted Rand index"),
    "pc1": N_("first principal component"),
    "pc2": N_("second principal component"),
    # value
    "value": N_("value (CNY)"),
    "value_share": N_("share of value"),
    "cell": N_("cell"),
    "class": N_("class"),
    "abc_class": N_("ABC class"),
    "quadrant": N_("quadrant"),
    "budget": N_("budget (CNY)"),
    "budget_per_customer": N_("budget per customer (CNY)"),
    "per customer": N_("per customer (CNY)"),
    "per_customer": N_("per customer (CNY)"),
    "plan": N_("service level and contact plan"),
    "service level and contact plan": N_("service level and contact plan"),
    "before": N_("before"),
    "after": N_("after"),
    "headroom": N_("headroom (CNY)"),
    "current": N_("current value (CNY)"),
    "potential": N_("potential value (CNY)"),
    "gross_profit": N_("gross profit (CNY)"),
    "population_share": N_("share of customers"),
    # 4C, NPS
    "consumer_needs_fit": N_("Consumer"),
    "cost": N_("Cost"),
    "convenience": N_("Convenience"),
    "communication": N_("Communication"),
    "nps": N_("NPS"),
    "nps_group": N_("NPS group"),
    "respondents": N_("respondents"),
    "rating": N_("rating"),
    "weakest_c": N_("weakest C"),
    "weakest C": N_("weakest C"),
    "first action": N_("first action"),
    "group": N_("group"),
    "team": N_("team"),
    "tickets": N_("tickets"),
    "share": N_("share"),
    "categories": N_("categories"),
    "its internal customer": N_("its internal customer"),
    "what the internal customer needs": N_("what the internal customer needs"),
    "C (customer side)": N_("C (customer side)"),
    "P (seller side)": N_("P (seller side)"),
    "survey column": N_("survey column"),
    "survey statement (1-5)": N_("survey statement (1-5)"),
    "5W2H field": N_("5W2H field"),
    "question": N_("question"),
    "part": N_("part"),
    "bought again within 90 days": N_("bought again within 90 days"),
    "correlation with buying again within 90 days": N_("correlation with buying again within 90 days"),
    # complaints
    "severity": N_("severity"),
    "resolution": N_("remedy"),
    "compensation_cny": N_("compensation (CNY)"),
    "satisfaction_after": N_("satisfaction after (1-5)"),
    "first_response_hours": N_("first response (hours)"),
    "resolution_hours": N_("resolution (hours)"),
    "open_hours": N_("open (hours)"),
    "target_hours": N_("target (hours)"),
    "met": N_("met"),
    "breached": N_("breached"),
    "open_breached": N_("of which still open"),
    "pending": N_("pending"),
    "met_rate": N_("met rate"),
    "median_hours": N_("median (hours)"),
    "cumulative_share": N_("cumulative share"),
    "vital_few": N_("vital few"),
    "is_repeat": N_("repeat complaint"),
    "handling": N_("handling"),
    "bought_again": N_("bought again"),
    "rate": N_("rate"),
    "ci_low": N_("95 % interval, low"),
    "ci_high": N_("95 % interval, high"),
    "difference": N_("difference to no complaint"),
    "p_value": N_("p-value"),
    "adjusted_rate": N_("adjusted rate"),
    "adjusted_difference": N_("adjusted difference"),
    "adj_ci_low": N_("adjusted 95 % interval, low"),
    "adj_ci_high": N_("adjusted 95 % interval, high"),
    "left_out": N_("left out (window incomplete)"),
    "mean_score": N_("mean score"),
    "satisfied": N_("satisfied (4-5)"),
    "recent_orders": N_("recent orders"),
    "reference_date": N_("reference date"),
    "opening offer": N_("opening offer"),
    "customer's counter": N_("customer's counter"),
    "settlement (halfway)": N_("settlement (halfway)"),
    # cohorts, CLV
    "cohort": N_("cohort"),
    "periods_since_first": N_("periods since the first purchase"),
    "retention": N_("retention"),
    "T": N_("T"),
    "monetary_value": N_("mean repeat value (CNY)"),
    "frequency_holdout": N_("repeat purchases in the holdout"),
    "duration_holdout": N_("holdout length"),
    "actual": N_("actual"),
    "model": N_("model"),
    "truth": N_("truth"),
    "fitted": N_("fitted"),
    "published": N_("published"),
    "fitted (cvmlib)": N_("fitted (cvmlib)"),
    "parameter": N_("parameter"),
    "p_alive_sep": N_("P(alive) September"),
    "p_alive_dec": N_("P(alive) December"),
    "P(alive) Sep": N_("P(alive) September"),
    "P(alive) Dec": N_("P(alive) December"),
    "clv_12m": N_("CLV 12 months (CNY)"),
    "CLV 12 months": N_("CLV 12 months (CNY)"),
    "simple CLV": N_("simple CLV"),
}

#: Values of the shipped data sets (categories, channels, levels, ...) -> English display text.
DATA_LABELS: dict[str, str] = {
    # product categories
    "Apparel": N_("Apparel"),
    "Beauty": N_("Beauty"),
    "Electronics": N_("Electronics"),
    "Home": N_("Home"),
    "Food & Grocery": N_("Food & Grocery"),
    "Baby & Kids": N_("Baby & Kids"),
    "Sports": N_("Sports"),
    # order channels
    "app": N_("app"),
    "web": N_("web"),
    "store": N_("store"),
    "mini_program": N_("mini-program"),
    # customers
    "basic": N_("basic"),
    "silver": N_("silver"),
    "gold": N_("gold"),
    "platinum": N_("platinum"),
    "search": N_("search"),
    "social_media": N_("social media"),
    "livestream": N_("livestream"),
    "referral": N_("referral"),
    "in_store": N_("in store"),
    # cities of the customer data (load_customers)
    "Beijing": N_("Beijing"),
    "Chengdu": N_("Chengdu"),
    "Chongqing": N_("Chongqing"),
    "Foshan": N_("Foshan"),
    "Ganzhou": N_("Ganzhou"),
    "Guangzhou": N_("Guangzhou"),
    "Guilin": N_("Guilin"),
    "Hangzhou": N_("Hangzhou"),
    "Luoyang": N_("Luoyang"),
    "Mianyang": N_("Mianyang"),
    "Nanjing": N_("Nanjing"),
    "Qujing": N_("Qujing"),
    "Shanghai": N_("Shanghai"),
    "Shangrao": N_("Shangrao"),
    "Shenzhen": N_("Shenzhen"),
    "Suzhou": N_("Suzhou"),
    "Tianjin": N_("Tianjin"),
    "Tianshui": N_("Tianshui"),
    "Weifang": N_("Weifang"),
    "Wuhan": N_("Wuhan"),
    "Wuxi": N_("Wuxi"),
    "Xi'an": N_("Xi'an"),
    "Xinyang": N_("Xinyang"),
    "Yangzhou": N_("Yangzhou"),
    "Zhuzhou": N_("Zhuzhou"),
    # complaint tickets (categories, severities and handling groups of cvmlib.complaints)
    "delivery_delay": N_("delivery delay"),
    "product_quality": N_("product quality"),
    "wrong_item": N_("wrong item"),
    "refund_request": N_("refund request"),
    "billing": N_("billing"),
    "service_attitude": N_("service attitude"),
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
    "well resolved": N_("well resolved"),
    "middling": N_("middling"),
    "badly resolved": N_("badly resolved"),
    "unresolved": N_("unresolved"),
    "no complaint": N_("no complaint"),
    "phone": N_("phone"),
    "app_chat": N_("app chat"),
    # the parts of a 4P escalation report (cvmlib.communication.REPORT_4P)
    "position": N_("position"),
    "problem": N_("problem"),
    "possibility": N_("possibility"),
    "proposal": N_("proposal"),
    # question types (cvmlib.communication.classify_question)
    "open": N_("open"),
    "closed": N_("closed"),
    "probing": N_("probing"),
    "email": N_("e-mail"),
    "social": N_("social media"),
    "refund": N_("refund"),
    "replacement": N_("replacement"),
    "voucher": N_("voucher"),
    "apology": N_("apology"),
    "none": N_("none"),
    # generator segments (load_truth)
    "bargain_hunters": N_("bargain hunters"),
    "young_fashion": N_("young fashion"),
    "families": N_("families"),
    "premium_tech": N_("premium tech"),
    "occasional_gifters": N_("occasional gifters"),
    # rows and groups the course's tables add
    "All": N_("All"),
    "total": N_("total"),
    "seed": N_("seed"),
    "bootstrap": N_("bootstrap"),
    "first response": N_("first response"),
    "first_response": N_("first response"),
    "resolution": N_("resolution"),
    "BG/NBD": N_("BG/NBD"),
    "Gamma-Gamma": N_("Gamma-Gamma"),
    "Pareto/NBD": N_("Pareto/NBD"),
    "log-likelihood": N_("log-likelihood"),
    "alpha": N_("alpha"),
    "gamma": N_("gamma"),
    "holdout repeat purchases": N_("repeat purchases in the holdout"),
    "mean P(alive), one-time buyers": N_("mean P(alive), one-time buyers"),
    "BTYD summary": N_("BTYD summary"),
    "BTYD summary (weeks)": N_("BTYD summary (weeks)"),
    "BTYD (weeks)": N_("BTYD summary (weeks)"),
    "RFM (days, orders, CNY)": N_("RFM (days, orders, CNY)"),
}

#: Columns whose meaning depends on the group above them (a two-level header): group -> column -> text.
#: BTYD models name other quantities "frequency" and "recency" than RFM does (see the glossary).
_BTYD_COLUMNS: dict[str, str] = {
    "frequency": N_("repeat purchases"),
    "recency": N_("recency (weeks, first to last purchase)"),
    "T": N_("T (weeks, first purchase to the end)"),
    "monetary_value": N_("mean repeat value (CNY)"),
}
_GROUPED_COLUMNS: dict[str, dict[str, str]] = {"BTYD summary (weeks)": _BTYD_COLUMNS, "BTYD (weeks)": _BTYD_COLUMNS}

#: Column-name prefixes (the category and channel mix of ``customer_features``) -> display text.
_PREFIXES: dict[str, str] = {"cat_": N_("{name} share of spend"), "chan_": N_("{name} share of orders")}

#: Values that mean something only in one column (single letters): column -> value -> display text.
_COLUMN_VALUES: dict[str, dict[str, str]] = {"gender": {"M": N_("male"), "F": N_("female")}}

_VALUES: dict[str, str] = dict(DATA_LABELS)
_COLUMNS: dict[str, str] = dict(COLUMN_LABELS)


def register_labels(labels: Mapping[str, str] | Iterable[str]) -> None:
    """Make values known to :func:`label` and :func:`localize`.

    Parameters
    ----------
    labels : mapping or iterable of str
        ``{value: English display text}`` (the text a msgid, marked with ``N_``), or values that
        are their own English display text (e.g. the segment names, marked where they are defined).
    """
    items = labels.items() if isinstance(labels, Mapping) else ((text, text) for text in labels)
    for value, text in items:
        _VALUES.setdefault(str(value), text)


def register_columns(columns: Mapping[str, str]) -> None:
    """Make column names known to :func:`header` and :func:`localize`: ``{name: English display text}``."""
    for name, text in columns.items():
        _COLUMNS.setdefault(str(name), text)


#: Topic modules whose labels are always known (light imports; the others register when imported).
_VOCABULARY_MODULES = ("cvmlib.rfm", "cvmlib.value", "cvmlib.fourc")
_loaded = False


def _vocabulary() -> None:
    """Load the labels of the light topic modules (once)."""
    global _loaded
    if not _loaded:
        _loaded = True
        for module in _VOCABULARY_MODULES:
            importlib.import_module(module)


def _zh() -> bool:
    """True in the Chinese edition (and the labels of the topic modules are loaded)."""
    if get_language() == "en":
        return False
    _vocabulary()
    return True


def label(value: Any) -> Any:
    """A known label in the language in force; any other value unchanged (English: unchanged).

    >>> from cvmlib.i18n import language
    >>> label("mini_program"), label(42)
    ('mini_program', 42)
    >>> with language("zh"):
    ...     label("mini_program"), label("C00042")
    ('小程序', 'C00042')
    """
    if not _zh():
        return value
    return _label(value, _)


def labels(values: Iterable[Any]) -> list[Any]:
    """:func:`label` of each value, with one look at the catalogs for all of them (tick labels, legends).

    >>> from cvmlib.i18n import language
    >>> with language("zh"):
    ...     labels(["store", "web", 7])
    ['门店', '网站', 7]
    """
    if not _zh():
        return list(values)
    gettext = translations().gettext
    return [_label(value, gettext) for value in values]


def _label(value: Any, gettext: Callable[[str], str]) -> Any:
    if not isinstance(value, str) or value not in _VALUES:
        return value
    return gettext(_VALUES[value])


def readable(value: Any) -> Any:
    """A known label as a sentence writes it: its display text in English too (``"delivery delay"``).

    For values woven into prose (a glued value, a printed sentence); tables use :func:`label`, which
    leaves English data as they are.

    >>> from cvmlib.i18n import language
    >>> readable("delivery_delay"), readable("C00042")
    ('delivery delay', 'C00042')
    >>> with language("zh"):
    ...     readable("delivery_delay")
    '配送延迟'
    """
    _vocabulary()
    if not isinstance(value, str) or value not in _VALUES:
        return value
    return _(_VALUES[value])


def header(name: Any) -> Any:
    """A column or index name in the language in force (unknown names and English unchanged).

    >>> from cvmlib.i18n import language
    >>> with language("zh"):
    ...     header("revenue_share")
    '收入占比'
    """
    if not _zh():
        return name
    return _header(name, _)


def _header(name: Any, gettext: Callable[[str], str]) -> Any:
    if not isinstance(name, str):
        return name
    if name in _COLUMNS:
        return gettext(_COLUMNS[name])
    if name in _VALUES:
        return gettext(_VALUES[name])
    for prefix, text in _PREFIXES.items():  # the features of cvmlib.segment.customer_features
        if name.startswith(prefix) and name[len(prefix):] in _VALUES:
            return gettext(text).format(name=_label(name[len(prefix):], gettext))
    return name


#: How a True / False cell reads in a translated table.
_YES, _NO = N_("yes"), N_("no")


class _Translator:
    """One display translation: every label is looked up once (a table may repeat it many times)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.headers: dict[str, Any] = {}
        self.gettext = translations().gettext  # one look at the catalogs for the whole table

    def value(self, item: Any) -> Any:
        if not isinstance(item, str):
            return item
        if item not in self.values:
            shown = _label(item, self.gettext)
            if shown is item and ", " in item:  # a list of known labels ("billing, wrong_item")
                parts = item.split(", ")
                if all(part in _VALUES for part in parts):
                    shown = format_list(_label(part, self.gettext) for part in parts)
            self.values[item] = shown
        return self.values[item]

    def header(self, item: Any) -> Any:
        if isinstance(item, tuple):
            group = _GROUPED_COLUMNS.get(item[0]) if item and isinstance(item[0], str) else None
            if group is not None and len(item) == 2 and item[1] in group:
                return self.header(item[0]), self.gettext(group[item[1]])
            return tuple(self.header(part) for part in item)
        if not isinstance(item, str):
            return item
        if item not in self.headers:
            self.headers[item] = _header(item, self.gettext)
        return self.headers[item]

    def row(self, item: Any) -> Any:
        """A row label: a known value, else a known column name (rows of describe(), transposed tables)."""
        if isinstance(item, str) and item in _VALUES:
            return self.value(item)
        return self.header(item)

    def index(self, index: pd.Index, *, as_header: bool) -> pd.Index:
        names = [self.header(name) for name in index.names]
        if isinstance(index, pd.MultiIndex):
            levels = [self.index(level, as_header=as_header) for level in index.levels]
            return index.set_levels(levels).set_names(names)
        if isinstance(index, pd.CategoricalIndex):
            mapped = [self.header(c) if as_header else self.row(c) for c in index.categories]
            if len(set(mapped)) == len(mapped):
                return index.rename_categories(mapped).set_names(names)
            return index.set_names(names)
        if index.dtype == object or pd.api.types.is_string_dtype(index.dtype):
            mapped = [self.header(item) if as_header else self.row(item) for item in index]
            return pd.Index(mapped, dtype=object, name=names[0])
        return index.set_names(names)

    def series(self, values: pd.Series) -> pd.Series:
        own = _COLUMN_VALUES.get(values.name) if isinstance(values.name, str) else None
        if own is not None:  # e.g. gender "M" / "F" (not the M and F scores)
            words = {code: self.gettext(text) for code, text in own.items()}
            if isinstance(values.dtype, pd.CategoricalDtype):
                return values.cat.rename_categories(lambda code: words.get(code, code))
            return values.map(lambda code: words.get(code, code))
        if isinstance(values.dtype, pd.CategoricalDtype):
            mapped = [self.value(c) for c in values.cat.categories]
            if len(set(mapped)) == len(mapped):
                return values.cat.rename_categories(mapped)
            return values
        if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            return values.map(self.value)
        if pd.api.types.is_bool_dtype(values.dtype):  # a flag column reads as yes / no, not True / False
            return values.map({True: self.gettext(_YES), False: self.gettext(_NO)})
        return values


def _unique_headers(old: Sequence[Hashable], new: list[Any]) -> list[Any]:
    """Translated headers, made distinct again where two names share a translation."""
    seen: dict[Any, int] = {}
    for item in new:
        seen[item] = seen.get(item, 0) + 1
    return [f"{item} ({raw})" if seen[item] > 1 and item != raw else item for raw, item in zip(old, new)]


def localize(data: pd.DataFrame | pd.Series, *, raw: Sequence[Hashable] = ()) -> pd.DataFrame | pd.Series:
    """A copy of ``data`` for display: headers, index names and known labels in the language in force.

    Numbers, the order of rows and columns, and unknown labels (customer ids, cities not listed) are
    unchanged. In English the copy is identical to ``data``.

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
    raw : column names, optional
        Columns whose values are shown as they are (identifiers such as survey column names);
        their headers are still translated.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        The same type as ``data``.
    """
    if not isinstance(data, (pd.DataFrame, pd.Series)):
        raise TypeError(f"localize() shows a pandas DataFrame or Series; got {type(data).__name__}.")
    shown = data.copy()
    if not _zh():
        return shown
    words = _Translator()
    if isinstance(shown, pd.Series):
        shown = words.series(shown)
        shown.index = words.index(shown.index, as_header=False)
        shown.name = words.header(shown.name)
        return shown
    for position, column in enumerate(shown.columns):
        if column not in raw:
            shown.isetitem(position, words.series(shown.iloc[:, position]))
    shown.index = words.index(shown.index, as_header=False)
    old = list(shown.columns)
    if isinstance(shown.columns, pd.MultiIndex):
        columns = pd.MultiIndex.from_tuples([words.header(column) for column in old],
                                            names=[words.header(name) for name in shown.columns.names])
    else:
        columns = words.index(shown.columns, as_header=True)
        columns = pd.Index(_unique_headers(old, list(columns)), name=columns.name)
    shown.columns = columns
    return shown


def _formats(fmt: Any, data: pd.DataFrame, shown: pd.DataFrame) -> Any:
    """``fmt`` keyed by the original column names -> keyed by the shown ones."""
    if not isinstance(fmt, Mapping):
        return fmt
    position = {column: shown.columns[i] for i, column in enumerate(data.columns)}
    return {position.get(column, column): rule for column, rule in fmt.items() if column in position}


def _untranslated(value: Any) -> str:
    """A cell value marked as not to be translated (HTML's ``translate="no"``)."""
    return f'<span translate="no">{html.escape(str(value))}</span>'


def show(
    data: pd.DataFrame | pd.Series,
    caption: str | None = None,
    *,
    format: Mapping[Hashable, Any] | str | None = None,  # noqa: A002 - pandas' own name for it
    subset: Sequence[Hashable] | None = None,
    precision: int | None = None,
    thousands: str | None = None,
    na_rep: str | None = None,
    hide_index: bool = False,
    hide_columns: bool = False,
    raw: Sequence[Hashable] = (),
) -> Styler:
    """A table as a reader sees it: :func:`localize`, formats by the original column names, a caption.

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
        The table (a Series is shown as one column).
    caption : str, optional
        Shown above the table; a msgid is translated (pass ``_("...")`` to mark it for the catalog).
    format : dict or str, optional
        A format per original column name (``{"customer_share": "{:.1%}"}``) or one for every cell.
    subset : list, optional
        With a str ``format``: the original columns it applies to.
    precision, thousands, na_rep : optional
        As ``Styler.format`` (by default as ``pd.options.styler.format`` says).
    hide_index, hide_columns : bool
        Hide the row labels or the column headers.
    raw : column names, optional
        Columns whose values are shown as they are (see :func:`localize`); in Chinese their cells
        are marked ``translate="no"`` (identifiers, not untranslated words).

    Returns
    -------
    pandas.io.formats.style.Styler

    Examples
    --------
    >>> import pandas as pd
    >>> from cvmlib.i18n import language
    >>> table = pd.DataFrame({"customers": [1200], "revenue_share": [0.4]}, index=["Champions"])
    >>> html = show(table, "Segment summary", format={"revenue_share": "{:.1%}"}).to_html()
    >>> "40.0%" in html, "Segment summary" in html
    (True, True)
    >>> with language("zh"):
    ...     html = show(table, format={"revenue_share": "{:.1%}"}).to_html()
    >>> "收入占比" in html, "40.0%" in html, "重要价值客户" in html
    (True, True, True)
    """
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    shown = localize(frame, raw=raw)
    styler = shown.style
    kwargs: dict[str, Any] = {}
    if precision is not None:
        kwargs["precision"] = precision
    if thousands is not None:
        kwargs["thousands"] = thousands
    if na_rep is not None:
        kwargs["na_rep"] = na_rep
    rule = _formats(format, frame, shown)
    if subset is not None:
        where = {column: shown.columns[i] for i, column in enumerate(frame.columns)}
        kwargs["subset"] = [where.get(column, column) for column in subset]
    if rule is not None or kwargs:
        styler = styler.format(rule, **kwargs)
    if raw and _zh():  # identifiers, not words: say so to readers' tools (and the zh edition's checks)
        where = {column: shown.columns[i] for i, column in enumerate(frame.columns)}
        styler = styler.format(_untranslated, subset=[where[column] for column in raw if column in where])
    if caption:
        styler = styler.set_caption(_(caption))
    if hide_index:
        styler = styler.hide(axis="index")
    if hide_columns:
        styler = styler.hide(axis="columns")
    return styler
