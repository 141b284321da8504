"""BTYD fits and CLV scores on an engine table, without collecting one row per customer.

A BG/NBD or Pareto/NBD model needs only the *distinct* (frequency, recency, T) rows of the
summary with their counts: a few thousand rows whatever the number of customers. So
:func:`btyd_rows` fetches them (with the counts, and in the order the pandas path meets them, so a
fit on them is the pandas fit bit for bit), :func:`fit_on_engine` fits a model on them, and
:func:`score_customers` computes P(alive), the expected purchases and the discounted purchase
factor of each distinct row in Python (the models' own methods) and joins them back in the engine.
The Gamma-Gamma expected spend is closed form: it is a SQL expression of (frequency,
monetary_value) with the fitted parameters as literals.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from cvmlib.clv import GammaGamma, PurchaseModel, customer_lifetime_value, unit_days
from cvmlib.engines.backends import Backend, backend_for
from cvmlib.engines.tables import double
from cvmlib.i18n import _
from cvmlib.validate import (InputError, require_int, require_non_negative, require_probability, require_table)

__all__ = ["btyd_rows", "fit_on_engine", "score_customers"]

_BTYD = ("frequency", "recency", "T")


def _summary_backend(summary: Any, needed: tuple[str, ...]) -> tuple[Backend, str]:
    backend = backend_for(summary)
    missing = [c for c in needed if c not in backend.columns]
    if missing:  # the pandas guard's own wording, on the table's column names
        require_table(pd.DataFrame(columns=backend.columns, index=[0]), "summary (from summarize_purchases)", needed)
    return backend, backend.columns[0]


def btyd_rows(summary: Any, columns: tuple[str, ...] = _BTYD) -> pd.DataFrame:
    """The distinct rows of ``columns`` of an engine summary, with ``count`` (customers per row).

    Ordered by the first customer id of each row: the order in which the pandas path (customers
    sorted by id) meets them, so a fit on these rows with ``weights=count`` is the pandas fit.

    Examples
    --------
    >>> import duckdb
    >>> s = duckdb.sql("SELECT * FROM (VALUES ('a', 0, 0.0, 5.0), ('b', 1, 2.0, 5.0), ('c', 0, 0.0, 5.0)) "
    ...                "AS t(customer_id, frequency, recency, T)")
    >>> btyd_rows(s)
       frequency  recency    T  count
    0        0.0      0.0  5.0      2
    1        1.0      2.0  5.0      1
    """
    backend, customer = _summary_backend(summary, columns)
    d = backend.dialect
    cols = ", ".join(f"CAST({d.quote(c)} AS DOUBLE)" for c in columns)
    records = backend.rows(f"SELECT {cols}, count(*), min({d.quote(customer)}) AS __first FROM {backend.src} "
                           f"GROUP BY {cols} ORDER BY __first")
    frame = pd.DataFrame([r[:-1] for r in records], columns=[*columns, "count"])
    return frame.astype({c: "float64" for c in columns} | {"count": "int64"})


def fit_on_engine(summary: Any, model: Any) -> Any:
    """Fit a BTYD model (BetaGeo, ParetoNBD) or a GammaGamma on an engine summary; returns the model.

    The purchase models are fitted on :func:`btyd_rows` with the counts as weights (the same as
    ``model.fit(frequency, recency, T)`` on the whole table). GammaGamma is fitted on the distinct
    (frequency, monetary_value) rows of the repeat customers: with money in cents these are
    nearly one per repeat customer, which is what a Gamma-Gamma fit reads in any case.

    Examples
    --------
    >>> import duckdb
    >>> from cvmlib.clv import BetaGeo
    >>> s = duckdb.sql("SELECT * FROM (VALUES ('a', 0, 0.0, 30.0), ('b', 2, 20.0, 30.0), ('c', 5, 28.0, 30.0), "
    ...                "('d', 1, 3.0, 10.0)) AS t(customer_id, frequency, recency, T)")
    >>> import warnings
    >>> with warnings.catch_warnings(record=True):  # four customers do not pin a and b down
    ...     sorted(fit_on_engine(s, BetaGeo()).params_)
    ['a', 'alpha', 'b', 'r']
    """
    if isinstance(model, GammaGamma):
        rows = btyd_rows(summary, ("frequency", "monetary_value"))
        rows = rows[rows["frequency"] > 0]
        return model.fit(rows["frequency"], rows["monetary_value"], weights=rows["count"])
    if not isinstance(model, PurchaseModel):
        raise InputError(_("model must be a BetaGeo, ParetoNBD or GammaGamma; got {type}.").format(
            type=type(model).__name__))
    rows = btyd_rows(summary)
    return model.fit(rows["frequency"], rows["recency"], rows["T"], weights=rows["count"])


def score_customers(
    summary: Any,
    purchase_model: PurchaseModel,
    spend_model: GammaGamma | None = None,
    *,
    horizon: int = 12,
    discount_rate: float = 0.01,
    unit: Literal["D", "W", "M"] = "W",
    period: Literal["D", "W", "M"] = "M",
    margin: float = 1.0,
) -> Any:
    """P(alive), expected purchases, expected spend and CLV of every customer of an engine summary.

    Equal per customer to ``purchase_model.p_alive(...)``,
    ``purchase_model.expected_purchases(horizon * period, ...)``, the Gamma-Gamma
    ``conditional_expected_average_profit`` and :func:`cvmlib.clv.customer_lifetime_value` (same
    arguments) on the pandas summary. Only the distinct (frequency, recency, T) rows come into
    Python; the result stays in the engine.

    Parameters
    ----------
    summary : duckdb.DuckDBPyRelation or pyspark.sql.DataFrame
        From :func:`cvmlib.engines.summarize_purchases` (customer id first; ``frequency``,
        ``recency``, ``T``, and ``monetary_value`` for the spend).
    purchase_model : BetaGeo or ParetoNBD
        Fitted in ``unit`` (e.g. with :func:`fit_on_engine`).
    spend_model : GammaGamma, optional
        Fitted; without it the expected spend is ``monetary_value`` itself.
    horizon, discount_rate, unit, period, margin
        As in :func:`cvmlib.clv.customer_lifetime_value`.

    Returns
    -------
    duckdb.DuckDBPyRelation or pyspark.sql.DataFrame
        Lazy; the customer id, ``p_alive``, ``expected_purchases`` (in the next ``horizon``
        periods), ``expected_spend`` and ``clv`` (when the summary has ``monetary_value``),
        sorted by customer id.

    Examples
    --------
    >>> import duckdb
    >>> from cvmlib.clv import BetaGeo
    >>> bg = BetaGeo()
    >>> bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # CDNOW, weeks
    >>> s = duckdb.sql("SELECT * FROM (VALUES ('a', 0, 0.0, 39.0, 0.0), ('b', 4, 30.0, 39.0, 50.0)) "
    ...                "AS t(customer_id, frequency, recency, T, monetary_value)")
    >>> [round(row[-1], 2) for row in score_customers(s, bg).fetchall()]
    [0.0, 132.95]
    """
    has_money = "monetary_value" in backend_for(summary).columns
    backend, customer = _summary_backend(summary, _BTYD)
    d = backend.dialect
    h = require_int(horizon, "horizon", minimum=1)
    require_probability(discount_rate, "discount_rate", scalar=True)
    mg = float(require_probability(margin, "margin", scalar=True))
    step = unit_days(period, "period") / unit_days(unit, "unit")
    rows = btyd_rows(summary)
    f, r, t = (rows[c].to_numpy() for c in _BTYD)
    ones = np.ones(len(rows))
    # the discounted purchase factor: CLV of a customer who spends 1 per purchase at margin 1
    # (the models' checks on frequency/recency/T run here, on the distinct rows)
    factor = customer_lifetime_value(purchase_model, None, f, r, t, ones, horizon=h, discount_rate=discount_rate,
                                     unit=unit, period=period, margin=1.0)
    per_row = pd.DataFrame({"f": f, "r": r, "t": t, "p_alive": purchase_model.p_alive(f, r, t),
                            "expected": purchase_model.expected_purchases(h * step, f, r, t), "factor": factor})
    q = d.quote
    x, m = f"CAST(__s.{q('frequency')} AS DOUBLE)", f"CAST(__s.{q('monetary_value')} AS DOUBLE)"
    items = [f"__s.{q(customer)} AS {q(customer)}", "__e.p_alive AS p_alive", "__e.expected AS expected_purchases"]
    if has_money:
        spend = m
        if spend_model is not None:
            if not isinstance(spend_model, GammaGamma):
                raise InputError(_("spend_model must be a fitted GammaGamma, or None to take monetary_value as the "
                                   "expected spend; got {type}.").format(type=type(spend_model).__name__))
            p, qq, gamma = (spend_model.params_.get(k, np.nan) for k in ("p", "q", "gamma"))
            _check_spend(backend, spend_model, float(p), float(qq))
            shape = f"({double(p)} * {x} + {double(qq)})"
            own = f"(CASE WHEN {x} > 0 THEN {m} ELSE CAST(0 AS DOUBLE) END)"
            # p (gamma + x m) / (shape - 1), in the operation order of GammaGamma's own code
            spend = (f"(({double(p)} * {double(gamma)}) / ({shape} - 1) + (({double(p)} * {x}) / ({shape} - 1)) "
                     f"* {own})")
        else:
            bad = int(backend.rows(f"SELECT count_if(NOT ({q('monetary_value')} >= 0)) FROM {backend.src}")[0][0])
            if bad:
                sample = backend.rows(f"SELECT CAST({q('monetary_value')} AS DOUBLE) FROM {backend.src} WHERE NOT "
                                      f"({q('monetary_value')} >= 0) LIMIT 5")
                frame = pd.DataFrame({"monetary_value": [s[0] for s in sample]})
                require_non_negative(frame["monetary_value"], "monetary_value", frame=frame)
        items += [f"{spend} AS expected_spend", f"({double(mg)} * {spend}) * __e.factor AS clv"]
    sql = (f"SELECT {', '.join(items)} FROM {backend.src} AS __s JOIN {backend.extra} AS __e ON "
           f"CAST(__s.{q('frequency')} AS DOUBLE) = __e.f AND CAST(__s.{q('recency')} AS DOUBLE) = __e.r AND "
           f"CAST(__s.{q('T')} AS DOUBLE) = __e.t ORDER BY __s.{q(customer)}")
    return backend.query(sql, extra=per_row)


def _check_spend(backend: Backend, model: GammaGamma, p: float, q: float) -> None:
    """The Gamma-Gamma model's own checks (fitted, positive spend of repeat customers, p x + q > 1) on
    the distinct frequencies and the offending rows only."""
    d = backend.dialect
    f, m = d.quote("frequency"), d.quote("monetary_value")
    bad = (f"({f} > 0 AND NOT ({m} > 0 AND NOT {d.is_inf(m)})) OR ({f} = 0 AND ({m} < 0 OR {d.is_inf(m)})) "
           f"OR NOT ({double(p)} * {f} + {double(q)} > 1)")
    sample = backend.rows(f"SELECT CAST({f} AS DOUBLE), CAST({m} AS DOUBLE) FROM {backend.src} WHERE {bad} "
                          f"LIMIT 10000")
    if sample:
        model.conditional_expected_average_profit([s[0] for s in sample], [s[1] for s in sample])
    model.conditional_expected_average_profit([1.0], [1.0])  # an unfitted model says so
