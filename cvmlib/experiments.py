"""Measuring an action: lift against a randomised control group, uplift by segment, sample size.

API summary (one example each)

* :func:`lift` -- treated minus control, with its interval and the relative lift:
  ``lift(campaign["bought"], campaign["treated"])`` -> :class:`Lift`.
* :func:`uplift_by_segment` -- the same per segment:
  ``uplift_by_segment(campaign, "segment", "treated", "bought")``.
* :func:`sample_size` -- customers per group to see an effect:
  ``sample_size(0.10, 0.02)`` (a 10 % baseline rate, +2 points) or
  ``sample_size(250.0, 20.0, sd=180.0)`` (a mean of 250 CNY, +20 CNY, sd 180) -> :class:`SampleSize`.

Definitions
-----------
* **Outcome** -- one number per customer: a 0/1 (or True/False) outcome is a *proportion* (a
  conversion, a repurchase), anything else a *mean* (spend, orders). ``kind="auto"`` decides it
  from the values.
* **Difference (absolute lift)** -- mean of the treated minus mean of the control group (points of
  a proportion, or CNY). **Relative lift** -- that difference over the control mean.
* **Interval** -- ``difference +- q * se`` with the unpooled standard error
  ``se = sqrt(s1^2 / n1 + s0^2 / n0)``: for a proportion ``s^2 = p (1 - p)`` and ``q`` is the
  normal quantile; for a mean ``s^2`` is the sample variance (``ddof=1``) and ``q`` the Student-t
  quantile with Welch-Satterthwaite degrees of freedom. The p-value is two-sided, from the same
  distribution.
* **Sample size** -- per group, for a two-sided test at level ``alpha`` with power ``power``:
  proportions ``n0 = (z_a sqrt(pbar qbar (1 + 1/k)) + z_b sqrt(p0 q0 + p1 q1 / k))^2 / effect^2``
  with ``pbar = (p0 + k p1) / (1 + k)``; means ``n0 = (z_a + z_b)^2 sd^2 (1 + 1/k) / effect^2``;
  ``k = ratio`` treated per control customer, ``n1 = k n0``, both rounded up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from cvmlib.display import register_columns, register_labels
from cvmlib.i18n import N_, _
from cvmlib.validate import (
    InputError,
    as_series,
    require_bool,
    require_choice,
    require_finite,
    require_not_empty,
    require_positive,
    require_present,
    require_probability,
    require_same_ids,
    require_table,
    require_unique,
    require_within,
)

__all__ = ["COLUMN_LABELS", "Lift", "SampleSize", "lift", "sample_size", "uplift_by_segment"]

#: Display names of the columns of :func:`uplift_by_segment` and the sample-size tables.
COLUMN_LABELS: dict[str, str] = {
    "n_treated": N_("treated customers"),
    "n_control": N_("control customers"),
    "mean_treated": N_("treated mean"),
    "mean_control": N_("control mean"),
    "uplift": N_("uplift"),
    "ci_low": N_("interval low"),
    "ci_high": N_("interval high"),
    "relative_lift": N_("relative lift"),
    "p_value": N_("p-value"),
    "effect": N_("effect"),
    "treated_rate": N_("treated rate"),
    "control": N_("control"),
    "treated": N_("treated"),
    "total": N_("total"),
}

register_columns(COLUMN_LABELS)
register_labels({"all": N_("all")})  # the overall row of uplift_by_segment


@dataclass(frozen=True)
class Lift:
    """The measured effect of an action: treated versus control (see :func:`lift`).

    Attributes
    ----------
    kind : str
        ``"proportion"`` or ``"mean"``.
    n_treated, n_control : int
    mean_treated, mean_control : float
        Mean outcome per group (a share for a proportion).
    difference : float
        ``mean_treated - mean_control``.
    se : float
        Its standard error (unpooled).
    ci_low, ci_high : float
        The ``confidence`` interval of the difference.
    relative_lift : float or None
        ``difference / mean_control``; None when the control mean is 0.
    p_value : float
        Two-sided, for "no difference".
    confidence : float
    df : float or None
        Welch-Satterthwaite degrees of freedom (means); None for a proportion (normal).
    """

    kind: str
    n_treated: int
    n_control: int
    mean_treated: float
    mean_control: float
    difference: float
    se: float
    ci_low: float
    ci_high: float
    relative_lift: float | None
    p_value: float
    confidence: float
    df: float | None = None

    def __repr__(self) -> str:
        relative = (_("n/a (control mean 0)") if self.relative_lift is None
                    else f"{self.relative_lift:+.1%}")
        if self.kind == "proportion":
            return _("Lift (proportion): treated {t:.2%} (n={nt:,}) vs control {c:.2%} (n={nc:,}); difference "
                     "{d:+.2%} [{level:.0%} CI {lo:+.2%}, {hi:+.2%}], p={p:.3g}; relative lift {rel}.").format(
                         t=self.mean_treated, nt=self.n_treated, c=self.mean_control, nc=self.n_control,
                         d=self.difference, level=self.confidence, lo=self.ci_low, hi=self.ci_high, p=self.p_value,
                         rel=relative)
        return _("Lift (mean): treated {t:,.2f} (n={nt:,}) vs control {c:,.2f} (n={nc:,}); difference {d:+,.2f} "
                 "[{level:.0%} CI {lo:+,.2f}, {hi:+,.2f}], p={p:.3g}; relative lift {rel}.").format(
                     t=self.mean_treated, nt=self.n_treated, c=self.mean_control, nc=self.n_control,
                     d=self.difference, level=self.confidence, lo=self.ci_low, hi=self.ci_high, p=self.p_value,
                     rel=relative)

    def as_dict(self) -> dict[str, Any]:
        """The fields as a dict (a table row).

        >>> lift([1, 0, 1, 0], [True, True, False, False]).as_dict()["difference"]
        0.0
        """
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _groups(outcome: Any, treated: Any) -> tuple[np.ndarray, np.ndarray]:
    values = require_finite(require_not_empty(as_series(outcome, "outcome"), "outcome", "customers"), "outcome")
    flags = as_series(treated, "treated")
    if isinstance(outcome, pd.Series) and isinstance(treated, pd.Series) and not values.index.equals(flags.index):
        # two Series are matched by customer, never by position
        require_unique(values.index, "the index of outcome", what="customer id")
        require_unique(flags.index, "the index of treated", what="customer id")
        require_same_ids(values.index, flags.index, "outcome", "treated")
        flags = flags.reindex(values.index)
    if len(flags) != len(values):
        raise InputError(_("outcome and treated must have one value per customer each; got {n} and {m}.").format(
            n=len(values), m=len(flags)))
    if pd.api.types.is_bool_dtype(flags.dtype) or flags.dtype == object:
        require_bool(flags, "treated")
    else:
        raise InputError(_("treated must hold True/False (treated or control) for every customer; got dtype "
                           "{dtype}. Convert deliberately, e.g. df['group'].eq('treatment').").format(
                               dtype=flags.dtype))
    mask = flags.to_numpy(dtype=bool)
    data = values.to_numpy(dtype=np.float64)
    for group, name in ((data[mask], _("treated")), (data[~mask], _("control"))):
        if len(group) < 2:
            raise InputError(_("The {group} group has {n} customer(s): a lift needs at least 2 in each group.").format(
                group=name, n=len(group)))
    return data[mask], data[~mask]


def _kind(treated: np.ndarray, control: np.ndarray, kind: str) -> str:
    require_choice(kind, "kind", ["auto", "proportion", "mean"])
    binary = bool(np.isin(treated, (0.0, 1.0)).all() and np.isin(control, (0.0, 1.0)).all())
    if kind == "proportion" and not binary:
        raise InputError(_("kind='proportion' needs outcomes 0/1 (or True/False); use kind='mean' for amounts."))
    if kind == "auto":
        return "proportion" if binary else "mean"
    return kind


def _estimate(treated: np.ndarray, control: np.ndarray, kind: str, confidence: float) -> Lift:
    n1, n0 = len(treated), len(control)
    m1, m0 = float(treated.mean()), float(control.mean())
    if kind == "proportion":
        v1, v0 = m1 * (1 - m1), m0 * (1 - m0)
    else:
        v1, v0 = float(treated.var(ddof=1)), float(control.var(ddof=1))
    a, b = v1 / n1, v0 / n0
    se = math.sqrt(a + b)
    diff = m1 - m0
    df: float | None = None
    if kind == "mean":
        # Welch-Satterthwaite; with no spread in either group the t is degenerate: use the normal
        df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n0 - 1)) if a + b > 0 else None
    dist = stats.norm if df is None else stats.t(df)
    q = float(dist.ppf(0.5 + confidence / 2))
    p = float(2 * dist.sf(abs(diff) / se)) if se > 0 else (1.0 if diff == 0 else 0.0)
    return Lift(kind=kind, n_treated=n1, n_control=n0, mean_treated=m1, mean_control=m0, difference=diff, se=se,
                ci_low=diff - q * se, ci_high=diff + q * se, relative_lift=diff / m0 if m0 != 0 else None,
                p_value=p, confidence=confidence, df=df)


def lift(
    outcome: Any,
    treated: Any,
    *,
    confidence: float = 0.95,
    kind: Literal["auto", "proportion", "mean"] = "auto",
) -> Lift:
    """The incremental effect of an action: treated minus control, with its interval.

    Parameters
    ----------
    outcome : pandas.Series or array
        One finite number per customer: 0/1 (or bool) for a proportion, amounts for a mean.
    treated : pandas.Series or array of bool
        True for the treated (contacted) customers, False for the randomised control group;
        row-aligned with ``outcome``.
    confidence : float, default 0.95
        Level of the interval, in (0, 1).
    kind : {"auto", "proportion", "mean"}
        ``"auto"``: a proportion when every outcome is 0 or 1.

    Returns
    -------
    Lift

    Examples
    --------
    >>> result = lift([1, 1, 1, 0, 1, 0, 0, 0], [True] * 4 + [False] * 4)
    >>> result.kind, result.difference, round(result.se, 4), round(result.relative_lift, 2)
    ('proportion', 0.5, 0.3062, 2.0)
    >>> round(lift([120.0, 80.0, 100.0, 90.0, 70.0, 60.0], [True, True, True, False, False, False]).difference, 1)
    26.7
    """
    level = require_probability(confidence, "confidence", inclusive="neither", scalar=True)
    if isinstance(outcome, pd.Series) and pd.api.types.is_bool_dtype(outcome.dtype):
        outcome = outcome.astype(np.float64)
    elif isinstance(outcome, (list, tuple, np.ndarray)) and np.asarray(outcome).dtype == bool:
        outcome = np.asarray(outcome, dtype=np.float64)
    t, c = _groups(outcome, treated)
    return _estimate(t, c, _kind(t, c, kind), level)


def uplift_by_segment(
    frame: pd.DataFrame,
    segment: str,
    treated: str,
    outcome: str,
    *,
    confidence: float = 0.95,
    kind: Literal["auto", "proportion", "mean"] = "auto",
) -> pd.DataFrame:
    """:func:`lift` within each segment, plus the overall row ``"all"``.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per customer.
    segment, treated, outcome : str
        Columns: the segment label, the treated flag (bool), the outcome.
    confidence, kind :
        As in :func:`lift`; ``kind`` is decided once on the whole outcome column.

    Returns
    -------
    pandas.DataFrame
        Index ``segment`` (the segments in their categorical or sorted order, then ``"all"``);
        columns ``n_treated``, ``n_control``, ``mean_treated``, ``mean_control``, ``uplift``
        (difference), ``ci_low``, ``ci_high``, ``relative_lift`` (NaN where the control mean is 0),
        ``p_value``. Every segment needs at least 2 customers in each group.

    Examples
    --------
    >>> df = pd.DataFrame({"seg": ["a"] * 4 + ["b"] * 4, "t": [True, True, False, False] * 2,
    ...                    "y": [1, 1, 0, 0, 1, 0, 1, 0]})
    >>> uplift_by_segment(df, "seg", "t", "y")["uplift"].to_dict()
    {'a': 1.0, 'b': 0.0, 'all': 0.5}
    """
    require_table(frame, "frame", [segment, treated, outcome])
    labels = require_present(frame[segment], segment, what="a segment", frame=frame)
    level = require_probability(confidence, "confidence", inclusive="neither", scalar=True)
    values = frame[outcome].astype(np.float64) if pd.api.types.is_bool_dtype(frame[outcome].dtype) else frame[outcome]
    t_all, c_all = _groups(values, frame[treated])
    chosen = _kind(t_all, c_all, kind)
    order = (list(labels.cat.categories) if isinstance(labels.dtype, pd.CategoricalDtype)
             else sorted(pd.unique(labels), key=str))
    rows = {}
    for name in order:
        inside = (labels == name).to_numpy()
        if not inside.any():
            continue
        part_t, part_c = _groups(values[inside], frame[treated][inside])
        rows[name] = _estimate(part_t, part_c, chosen, level)
    rows["all"] = _estimate(t_all, c_all, chosen, level)
    table = pd.DataFrame({name: result.as_dict() for name, result in rows.items()}).T
    table = table.rename(columns={"difference": "uplift"})
    table = table[["n_treated", "n_control", "mean_treated", "mean_control", "uplift", "ci_low", "ci_high",
                   "relative_lift", "p_value"]]
    table = table.astype({"n_treated": np.int64, "n_control": np.int64}).astype(
        {c: np.float64 for c in table.columns if c not in ("n_treated", "n_control")})
    table.index.name = segment
    return table


@dataclass(frozen=True)
class SampleSize:
    """Customers needed per group (see :func:`sample_size`)."""

    control: int
    treated: int

    @property
    def total(self) -> int:
        """Both groups together.

        >>> SampleSize(100, 200).total
        300
        """
        return self.control + self.treated

    def __repr__(self) -> str:
        return _("Sample size: {control:,} control + {treated:,} treated = {total:,} customers.").format(
            control=self.control, treated=self.treated, total=self.total)


def sample_size(
    baseline: float,
    effect: float,
    *,
    sd: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
) -> SampleSize:
    """Customers per group needed to detect ``effect`` (two-sided test at ``alpha``, with ``power``).

    Parameters
    ----------
    baseline : float
        The control group's expected outcome: a rate in (0, 1) for a proportion (``sd=None``),
        the mean for a mean outcome (only reported there: the size depends on ``sd``).
    effect : float
        The smallest difference worth detecting, in the outcome's unit (0.02 = 2 points), not 0.
    sd : float, optional
        Standard deviation of a mean outcome (per customer); None means a proportion.
    alpha : float, default 0.05
    power : float, default 0.8
    ratio : float, default 1.0
        Treated customers per control customer (3.0: a 25 % control group).

    Returns
    -------
    SampleSize

    Examples
    --------
    >>> sample_size(0.10, 0.02)
    Sample size: 3,841 control + 3,841 treated = 7,682 customers.
    >>> sample_size(250.0, 20.0, sd=180.0).control
    1272
    >>> sample_size(0.10, 0.95)
    Traceback (most recent call last):
    ...
    cvmlib.validate.InputError: baseline + effect = 1.05 is not a rate in (0, 1): ...
    """
    a = require_probability(alpha, "alpha", inclusive="neither", scalar=True)
    b = require_probability(power, "power", inclusive="neither", scalar=True)
    k = require_positive(ratio, "ratio", scalar=True)
    delta = require_finite(effect, "effect", scalar=True)
    if delta == 0:
        raise InputError(_("effect=0: no sample is large enough to detect no difference. Give the smallest effect "
                           "worth detecting."))
    z_a, z_b = float(stats.norm.ppf(1 - a / 2)), float(stats.norm.ppf(b))
    if sd is None:
        p0 = require_within(baseline, "baseline", 0, 1, inclusive="neither", scalar=True,
                            fix=_("A proportion's baseline is a rate; pass sd= for a mean outcome."))
        p1 = p0 + delta
        if not 0 < p1 < 1:
            raise InputError(_("baseline + effect = {p1:g} is not a rate in (0, 1): the treated group's rate must "
                               "stay between 0 and 1.").format(p1=p1))
        pbar = (p0 + k * p1) / (1 + k)
        root = z_a * math.sqrt(pbar * (1 - pbar) * (1 + 1 / k)) + z_b * math.sqrt(p0 * (1 - p0) + p1 * (1 - p1) / k)
        n0 = root**2 / delta**2
    else:
        require_finite(baseline, "baseline", scalar=True)
        spread = require_positive(sd, "sd", scalar=True)
        n0 = (z_a + z_b) ** 2 * spread**2 * (1 + 1 / k) / delta**2
    if not math.isfinite(n0) or n0 > 1e12:
        raise InputError(_("The effect is too small for any real sample (more than 10^12 customers per group)."))
    control = max(2, math.ceil(n0 - 1e-9))
    return SampleSize(control=control, treated=max(2, math.ceil(k * n0 - 1e-9)))
