"""Next best offer on the retailer's categories: co-occurrence rules, recommendations, a holdout test.

API summary (one example each; ``orders = load_orders()``):

* :func:`category_cooccurrence` -- support, confidence and lift of "bought A -> also bought B"::

      rules = category_cooccurrence(orders)        # one row per (antecedent, consequent)

* :func:`recommend` -- the top ``k`` categories a customer has not bought yet, with the reason::

      recs = recommend(orders, k=1, method="cooccurrence")   # or method="popularity"

* :func:`evaluate_offers` -- both methods side by side on a holdout period::

      evaluate_offers(orders, "2025-07-01", k=1)   # hit rate, coverage per method

Definitions used here (all at **customer level**: a customer "buys A" when at least one of their
orders is in category A, whatever the number of orders; a customer is a "basket"):

* ``support(A -> B)`` = share of customers who bought both A and B;
* ``confidence(A -> B)`` = share of A's buyers who also bought B, an estimate of P(B | A);
* ``lift(A -> B)`` = confidence / share of all customers who bought B: above 1 means A's buyers
  buy B more often than customers in general (an association, not an effect of A on B).

Recommendation methods:

* ``"cooccurrence"`` (item-to-item, as in Linden, Smith & York 2003): a candidate category B
  scores the highest ``confidence(A -> B)`` over the categories A the customer has bought (a
  pair nobody bought together is no rule); the reason names that A and its lift.
* ``"popularity"`` (the baseline): B scores the share of all customers who bought it; every
  customer gets the most popular categories they have not bought.

Ties are broken by the category order (the Categorical's order, else alphabetical), so results
never depend on row order.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Literal

import numpy as np
import pandas as pd

from cvmlib.display import label, register_columns, register_labels
from cvmlib.i18n import N_, _
from cvmlib.validate import (
    InputError,
    as_timestamp,
    parse_dates,
    require_bool,
    require_choice,
    require_int,
    require_present,
    require_table,
)

__all__ = ["METHODS", "METHOD_LABELS", "category_cooccurrence", "evaluate_offers", "recommend"]

#: Recommendation methods, in the order :func:`evaluate_offers` shows them.
METHODS: tuple[str, str] = ("cooccurrence", "popularity")

Method = Literal["cooccurrence", "popularity"]

#: How each method is shown (tables, legends).
METHOD_LABELS: dict[str, str] = {"cooccurrence": N_("co-occurrence"), "popularity": N_("popularity (baseline)")}

register_labels(METHOD_LABELS)
register_columns({
    "antecedent": N_("bought"), "consequent": N_("also bought"), "antecedent_customers": N_("buyers of the first"),
    "consequent_customers": N_("buyers of the second"), "both_customers": N_("buyers of both"),
    "support": N_("support"), "confidence": N_("confidence"), "lift": N_("lift"), "rank": N_("rank"),
    "score": N_("score"), "because": N_("because they bought"), "reason": N_("reason"), "hits": N_("hits"),
    "hit_rate": N_("hit rate"), "active": N_("active in the holdout"),
    "hit_rate_active": N_("hit rate among the active"), "customer_coverage": N_("customer coverage"),
    "category_coverage": N_("category coverage")})


def _baskets(orders: Any, customer_col: Hashable, category_col: Hashable, date_col: Hashable,
             before: Any = None, since: Any = None) -> tuple[pd.Index, pd.Index, np.ndarray]:
    """Customers (rows), categories (cols) and the bought-at-least-once matrix of the orders in
    ``[since, before)`` (either bound optional). Checked before any computation."""
    columns = [customer_col, category_col] + ([date_col] if before is not None or since is not None else [])
    require_table(orders, "orders", columns)
    require_present(orders[customer_col], customer_col, what="a customer id", frame=orders)
    require_present(orders[category_col], category_col, what="a category", frame=orders)
    keep = np.ones(len(orders), dtype=bool)
    if before is not None or since is not None:
        dates = parse_dates(orders[date_col], date_col, frame=orders)
        if before is not None:
            keep &= (dates < as_timestamp(before, "before")).to_numpy()
        if since is not None:
            keep &= (dates >= as_timestamp(since, "since")).to_numpy()
    customer = orders[customer_col][keep]
    category = orders[category_col][keep]
    if isinstance(category.dtype, pd.CategoricalDtype):
        order = [c for c in category.cat.categories if (category == c).any()]  # bought categories, in order
    else:
        order = sorted(category.astype(str).unique())
        category = category.astype(str)
    categories = pd.Index(order, name=category_col)
    cust_codes, customers = pd.factorize(customer, sort=True)
    cat_codes = categories.get_indexer(category)
    bought = np.zeros((len(customers), len(categories)), dtype=bool)
    bought[cust_codes, cat_codes] = True
    return pd.Index(customers, name=customer_col), categories, bought


def _rules(bought: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Buyers per category, buyers of both (A rows, B cols), confidence P(B | A) with a NaN diagonal."""
    b = bought.astype(np.int64)
    buyers = b.sum(axis=0)
    both = b.T @ b
    with np.errstate(divide="ignore", invalid="ignore"):
        confidence = both / buyers[:, None]
    np.fill_diagonal(confidence, np.nan)  # "A -> A" is not a rule
    return buyers, both, confidence


def category_cooccurrence(
    orders: pd.DataFrame,
    *,
    customer_col: Hashable = "customer_id",
    category_col: Hashable = "category",
    date_col: Hashable = "order_date",
    before: Any = None,
) -> pd.DataFrame:
    """Customer-level association rules "bought A -> also bought B" between every two categories.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order (or order line) with a customer id and a category.
    customer_col, category_col, date_col : column names
    before : date, optional
        Use only orders before this moment (e.g. a holdout split); ``date_col`` is needed then.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``antecedent``, ``consequent``), every ordered pair of two different categories
        that someone bought: ``antecedent_customers``, ``consequent_customers``, ``both_customers``
        (counts), ``support``, ``confidence``, ``lift`` (see the module docstring). Sorted by lift,
        highest first. ``.attrs["customers"]``: the number of customers (the denominator of support).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c", "d"],
    ...                        "category": ["Toys", "Food", "Toys", "Food", "Food", "Books"]})
    >>> rules = category_cooccurrence(orders)
    >>> rules.loc[("Toys", "Food"), ["both_customers", "confidence", "lift"]].tolist()
    [2.0, 1.0, 1.3333333333333333]
    """
    customers, categories, bought = _baskets(orders, customer_col, category_col, date_col, before)
    n = len(customers)
    buyers, both, confidence = _rules(bought)
    a, b = np.nonzero(~np.eye(len(categories), dtype=bool))
    support_b = buyers[b] / n
    rules = pd.DataFrame({
        "antecedent_customers": buyers[a], "consequent_customers": buyers[b], "both_customers": both[a, b],
        "support": both[a, b] / n, "confidence": confidence[a, b], "lift": confidence[a, b] / support_b,
    }, index=pd.MultiIndex.from_arrays([categories[a], categories[b]], names=["antecedent", "consequent"]))
    rules = rules.sort_values("lift", ascending=False, kind="stable")
    rules.attrs["customers"] = n
    return rules


def _scores(bought: np.ndarray, method: str, exclude_bought: bool) -> tuple[np.ndarray, np.ndarray]:
    """Score of every (customer, category) candidate (NaN: not a candidate) and, for co-occurrence,
    the antecedent category behind it (-1 for none)."""
    n, m = bought.shape
    buyers, _both, confidence = _rules(bought)
    if method == "popularity":
        scores = np.tile(buyers / n, (n, 1)).astype(float)
        because = np.full((n, m), -1)
    else:
        # candidate B gets max over bought A != B of P(B | A): a (customers x A x B) cube, 7 x 7 per customer;
        # a pair nobody bought together (confidence 0) is no rule at all: it never recommends anything
        rule = np.where(np.nan_to_num(confidence, nan=0.0) > 0, np.nan_to_num(confidence, nan=0.0), -1.0)
        cube = np.where(bought[:, :, None], rule[None, :, :], -1.0)
        because = cube.argmax(axis=1)
        scores = cube.max(axis=1)
        scores[scores < 0] = np.nan  # no antecedent (only B itself bought)
        because[np.isnan(scores)] = -1
    if exclude_bought:
        scores[bought] = np.nan
    return scores, because


def _top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of the ``k`` best candidates of each row (ties: lower column first), best first."""
    ranked = np.argsort(np.where(np.isnan(scores), np.inf, -scores), axis=1, kind="stable")[:, :k]
    rows = np.repeat(np.arange(scores.shape[0]), ranked.shape[1])
    cols = ranked.ravel()
    valid = ~np.isnan(scores[rows, cols])
    return rows[valid], cols[valid]


def recommend(
    orders: pd.DataFrame,
    *,
    k: int = 1,
    method: Method = "cooccurrence",
    exclude_bought: bool = True,
    customer_col: Hashable = "customer_id",
    category_col: Hashable = "category",
    date_col: Hashable = "order_date",
    before: Any = None,
) -> pd.DataFrame:
    """The ``k`` best next categories for every customer, ranked, with the reason.

    Parameters
    ----------
    orders : pandas.DataFrame
        Orders with a customer id and a category (the rules are learnt from the same orders).
    k : int, default 1
        Recommendations per customer (fewer when fewer categories are left).
    method : {"cooccurrence", "popularity"}
        See the module docstring.
    exclude_bought : bool, default True
        Recommend only categories the customer has not bought yet (cross-selling). ``False``
        also allows repeat categories (co-occurrence then scores a bought B by the other
        categories the customer bought).
    customer_col, category_col, date_col, before
        As in :func:`category_cooccurrence`.

    Returns
    -------
    pandas.DataFrame
        One row per recommendation, sorted by customer and ``rank`` (1 = best): ``customer_id``,
        ``rank``, ``category``, ``score`` (confidence or popularity share), ``because`` (the
        antecedent category; missing for popularity), ``confidence``, ``lift`` (of the rule behind
        it; popularity: share of customers and 1.0) and ``reason`` (a sentence in the course's
        language). Customers with nothing left to recommend have no row.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c", "d"],
    ...                        "category": ["Toys", "Food", "Toys", "Food", "Food", "Books"]})
    >>> recs = recommend(orders)
    >>> recs[["customer_id", "category", "because"]].to_string(index=False)
    'customer_id category because\\n          c     Toys    Food'
    >>> print(recs["reason"].iloc[0])
    Customers who buy Food also buy Toys: 67% of them, lift 1.3.
    >>> recommend(orders, method="popularity")["category"].tolist()
    ['Books', 'Books', 'Toys', 'Food']
    """
    kk = require_int(k, "k", minimum=1)
    require_choice(method, "method", list(METHODS))
    require_bool(exclude_bought, "exclude_bought")
    customers, categories, bought = _baskets(orders, customer_col, category_col, date_col, before)
    n = len(customers)
    buyers, _both, confidence = _rules(bought)
    scores, because = _scores(bought, method, bool(exclude_bought))
    rows, cols = _top_k(scores, kk)
    ranks = np.ones(len(rows), dtype=int)
    if len(rows):
        first = np.r_[True, rows[1:] != rows[:-1]]
        start = np.maximum.accumulate(np.where(first, np.arange(len(rows)), 0))
        ranks = np.arange(len(rows)) - start + 1
    ante = because[rows, cols]
    share = buyers / n
    conf = np.where(ante >= 0, confidence[np.maximum(ante, 0), cols], share[cols])
    lift = np.where(ante >= 0, conf / share[cols], 1.0)
    reasons = []
    for a, b, c, li in zip(ante, cols, conf, lift):
        if a >= 0:
            reasons.append(_("Customers who buy {a} also buy {b}: {share:.0%} of them, lift {lift:.1f}.").format(
                a=label(categories[a]), b=label(categories[b]), share=c, lift=li))
        else:
            reasons.append(_("{share:.0%} of all customers buy {b}: the most popular category not bought yet.").format(
                share=c, b=label(categories[b])))
    cat_values = categories[cols]
    category = (pd.Categorical(cat_values, categories=orders[category_col].cat.categories)
                if isinstance(orders[category_col].dtype, pd.CategoricalDtype) else np.asarray(cat_values))
    return pd.DataFrame({
        customer_col: customers[rows], "rank": ranks, category_col: category, "score": scores[rows, cols],
        "because": pd.array([categories[a] if a >= 0 else None for a in ante], dtype=object),
        "confidence": conf, "lift": lift, "reason": reasons,
    })


def evaluate_offers(
    orders: pd.DataFrame,
    split_date: Any,
    *,
    k: int = 1,
    holdout_end: Any = None,
    customer_col: Hashable = "customer_id",
    category_col: Hashable = "category",
    date_col: Hashable = "order_date",
) -> pd.DataFrame:
    """Hit rate and coverage of both methods on a holdout period, side by side.

    The rules and the recommendations use only the orders before ``split_date`` (training);
    the holdout is ``split_date <= order_date < holdout_end`` (default: every later order). A
    customer is *recommended* when they get at least one recommendation (they bought before the
    split and have a category left); a *hit* is a recommended customer who buys at least one of
    their recommended categories in the holdout.

    Parameters
    ----------
    orders : pandas.DataFrame
        Orders with customer id, category and date.
    split_date : date
        End of the training period (exclusive), start of the holdout.
    k : int, default 1
        Recommendations per customer.
    holdout_end : date, optional
        End of the holdout (exclusive).
    customer_col, category_col, date_col : column names

    Returns
    -------
    pandas.DataFrame
        One row per method (``cooccurrence``, ``popularity``): ``customers`` (recommended),
        ``hits``, ``hit_rate`` (hits / recommended), ``active`` (recommended customers with any
        holdout order), ``hit_rate_active`` (hits / active: the comparison that is not diluted by
        customers who never come back), ``customer_coverage`` (recommended / training customers)
        and ``category_coverage`` (share of the categories that are recommended to someone).

    Examples
    --------
    >>> from cvmlib.datasets import load_orders
    >>> table = evaluate_offers(load_orders(), "2025-07-01")
    >>> table.index.tolist()
    ['cooccurrence', 'popularity']
    >>> bool(table.loc["cooccurrence", "hit_rate"] > table.loc["popularity", "hit_rate"])
    True
    """
    kk = require_int(k, "k", minimum=1)
    split = as_timestamp(split_date, "split_date")
    end = None if holdout_end is None else as_timestamp(holdout_end, "holdout_end")
    if end is not None and end <= split:
        raise InputError(_("holdout_end {end} is not after split_date {split}: the holdout would be empty.").format(
            end=f"{end:%Y-%m-%d}", split=f"{split:%Y-%m-%d}"))
    require_table(orders, "orders", [customer_col, category_col, date_col])
    dates = parse_dates(orders[date_col], date_col, frame=orders)
    if not (dates < split).any():
        raise InputError(_("No order is before split_date {split}: nothing to learn from. Choose a later "
                           "split_date.").format(split=f"{split:%Y-%m-%d}"))
    if not (dates >= split).any():
        raise InputError(_("No order is on or after split_date {split}: nothing to test on. Choose an earlier "
                           "split_date.").format(split=f"{split:%Y-%m-%d}"))
    customers, categories, bought = _baskets(orders, customer_col, category_col, date_col, before=split)
    in_holdout = (dates >= split).to_numpy() & (True if end is None else (dates < end).to_numpy())
    later = orders.loc[in_holdout, [customer_col, category_col]]
    bought_later = np.zeros_like(bought)
    rows_later = customers.get_indexer(later[customer_col])
    cols_later = categories.get_indexer(later[category_col].astype(object))
    seen = (rows_later >= 0) & (cols_later >= 0)  # new customers and never-seen categories cannot be hits
    bought_later[rows_later[seen], cols_later[seen]] = True
    active_later = np.zeros(len(customers), dtype=bool)
    active_later[rows_later[rows_later >= 0]] = True
    result = {}
    for method in METHODS:
        scores, _because = _scores(bought, method, exclude_bought=True)
        rows, cols = _top_k(scores, kk)
        recommended = np.zeros(len(customers), dtype=bool)
        recommended[rows] = True
        hit = np.zeros(len(customers), dtype=bool)
        hit[rows[bought_later[rows, cols]]] = True
        n_rec, n_act = int(recommended.sum()), int((recommended & active_later).sum())
        result[method] = {
            "customers": n_rec, "hits": int(hit.sum()), "hit_rate": hit.sum() / n_rec if n_rec else 0.0,
            "active": n_act, "hit_rate_active": hit.sum() / n_act if n_act else 0.0,
            "customer_coverage": n_rec / len(customers),
            "category_coverage": len(np.unique(cols)) / len(categories),
        }
    table = pd.DataFrame.from_dict(result, orient="index")
    table.index.name = "method"
    return table
