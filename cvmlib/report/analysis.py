"""The computations of the report, from the cleaned orders to every number it shows.

Nothing here formats or writes: :func:`analyse` returns an :class:`Analysis` that the page
(:mod:`cvmlib.report.html`) and the customer file (:mod:`cvmlib.report.exports`) read. Every number comes
from the library's own functions (RFM: :mod:`cvmlib.rfm`; value tiers: :mod:`cvmlib.value`; CLV:
:mod:`cvmlib.clv`; validation: :mod:`cvmlib.holdout`), with their definitions.

Choices made here, and why:

* **Snapshot**: ``--snapshot`` or the day after the last purchase (midnight), always shown. The BTYD
  observation ends on the day before the snapshot (the last full day of data).
* **Value tiers** are ABC classes of each customer's RFM monetary (spend in the data window), cuts 80 % /
  95 %; a negative net spend (returns above purchases) counts as 0 for the tiers, and is counted.
* **CLV**: BG/NBD for purchases and Gamma-Gamma for spend, fitted in weeks on the *whole* period, valued
  over ``horizon`` months at a monthly ``discount_rate`` (the library's ``customer_lifetime_value``).
  Only purchases (amount > 0) enter the BTYD summary; returns under ``--returns net`` lower RFM monetary
  only.
* **Trust verdict** (the rule, also printed in the report, see :func:`trust_verdict`): the model is
  refitted on a calibration period (the data without its last third, in whole weeks) and its forecast
  of the holdout period compared with what happened.
* **Early warning**: customers of tier A whose P(alive) is below ``alive_threshold`` (0.5). BG/NBD gives
  a one-time buyer P(alive) = 1, so the list holds repeat buyers only (the page says so).
* **Looking 90 days ahead** (customer file and early warning): ``p_alive_in_90_days`` is P(alive) 90 days
  (90/7 weeks) after the end of the data (``p_alive(..., future_t=90/7)``), ``p_no_purchase_90_days`` the
  probability of no purchase in those 90 days (``conditional_purchase_count_probability(0, 90/7, ...)``),
  ``dert`` the discounted expected residual transactions (``dert``) at the monthly ``discount_rate`` turned
  into a continuous weekly rate, ``ln(1 + monthly) / (30.4375 / 7)`` (:func:`weekly_rate`).
* **Parameter tables**: ``model.summary()`` of BG/NBD and Gamma-Gamma (standard errors from the observed
  information; ``None`` with a note when the information is not positive definite). The matrix figures
  are drawn at the median ``T`` of the customers, rounded to 0.1 week (:attr:`Analysis.typical_T`).
* **Tier migration** when the data span two periods: the last 12 months against the 12 before when the
  data cover 24 months, else the two halves of the data window (from 2 x 13 weeks on).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.clv import BetaGeo, GammaGamma, customer_lifetime_value, summarize_purchases
from cvmlib.holdout import calibration_holdout
from cvmlib.i18n import N_, _
from cvmlib.rfm import SEGMENT_STRATEGIES, rfm_scores, rfm_segments, rfm_table, segment_summary
from cvmlib.validate import InputError, as_timestamp
from cvmlib.value import Transitions, abc_classes, gini, lorenz_curve, tier_transitions, top_share

__all__ = ["Analysis", "Holdout", "Migration", "Verdict", "TRUST_RULES", "analyse", "trust_verdict", "weekly_rate"]

#: The value tiers: ABC cuts and names (best first).
TIER_CUTS: tuple[float, float] = (0.8, 0.95)
TIERS: tuple[str, str, str] = ("A", "B", "C")

#: The trust rule's thresholds (see :func:`trust_verdict`).
MIN_SPAN_DAYS = 168           # 24 weeks: a calibration period and a holdout of at least 8 weeks
MIN_REPEAT_BUYERS = 200       # customers with a repeat purchase in the calibration period
GOOD_TOTAL_ERROR = 0.10       # holdout purchases, model vs actual, relative
USABLE_TOTAL_ERROR = 0.20
GOOD_BIN_ERROR = 0.25         # mean holdout purchases per calibration-frequency group, relative
USABLE_BIN_ERROR = 0.50
MIN_BIN_CUSTOMERS = 50        # groups smaller than this are too noisy to judge

#: Days of the look-ahead columns (P(alive), P(no purchase)) and the calendar used to turn days and months into
#: the model's weeks.
AHEAD_DAYS = 90
WEEK_DAYS = 7.0
MONTH_DAYS = 30.4375          # 365.25 / 12

#: The verdicts, best first.
VERDICTS: tuple[str, str, str] = ("usable", "caution", "do_not_use")

#: The rule as the report states it (English msgids, with the thresholds as placeholders).
TRUST_RULES: tuple[str, ...] = (
    N_("The model is refitted on the data without its last {holdout_weeks} weeks and must forecast those weeks."),
    N_("Do not use for decisions if the data span less than {min_weeks} weeks, if fewer than {min_repeat} customers "
       "bought again in the calibration period, if the forecast total of holdout purchases is off by more than "
       "{usable_total:.0%}, or if a group of customers (by number of repeat purchases, groups of at least "
       "{min_bin} customers) is off by more than {usable_bin:.0%}."),
    N_("Usable for decisions if the total is within {good_total:.0%} and every such group within {good_bin:.0%}; "
       "in between: use with caution (for ranking customers rather than for budgets)."),
)


@dataclass(frozen=True)
class Verdict:
    """The plain-words trust verdict: a level of :data:`VERDICTS` and the reasons (shown texts)."""

    level: str
    reasons: list[str]


@dataclass(frozen=True)
class Holdout:
    """The calibration/holdout check of the purchase model."""

    calibration_end: pd.Timestamp
    holdout_weeks: int
    table: pd.DataFrame            # cvmlib.holdout.calibration_holdout
    actual_total: float
    model_total: float
    repeat_buyers: int
    params: dict[str, float]

    @property
    def total_error(self) -> float:
        """(model - actual) / actual, holdout purchases of the calibration customers (inf when actual is 0)."""
        return (self.model_total - self.actual_total) / self.actual_total if self.actual_total > 0 else np.inf

    def bin_errors(self) -> pd.Series:
        """Relative error of the mean holdout purchases per group with at least MIN_BIN_CUSTOMERS customers."""
        t = self.table
        judged = (t["customers"] >= MIN_BIN_CUSTOMERS) & (t["actual"] > 0)
        return ((t["model"] - t["actual"]) / t["actual"])[judged]


@dataclass(frozen=True)
class Migration:
    """Tier migration between two periods (``before`` and ``after``: (first day, last day))."""

    before: tuple[pd.Timestamp, pd.Timestamp]
    after: tuple[pd.Timestamp, pd.Timestamp]
    kind: str                      # "years" or "halves"
    transitions: Transitions


@dataclass
class Analysis:
    """Everything the report shows (see the module notes for the definitions)."""

    snapshot: pd.Timestamp
    snapshot_given: bool
    first_day: pd.Timestamp
    last_day: pd.Timestamp
    rows: int
    purchases: int
    returns: int
    customers: int
    rfm: pd.DataFrame              # rfm_table + R, F, M, rfm_code, segment, tier
    segments: pd.DataFrame         # segment_summary + strategy
    tier_summary: pd.DataFrame
    gini: float
    top20_share: float
    lorenz: pd.DataFrame
    negative_spend: int
    btyd: pd.DataFrame             # summary of the whole period + p_alive, expected_purchases, clv
    purchase_params: dict[str, float]
    spend_params: dict[str, float]
    spend_model_used: bool
    holdout: Holdout | None
    verdict: Verdict
    early_warning: pd.DataFrame
    migration: Migration | None
    horizon: int
    discount_rate: float
    margin: float
    alive_threshold: float
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    purchase_model: BetaGeo | None = None       # the whole-period fit (for the matrix figures)
    purchase_summary: pd.DataFrame | None = None  # BetaGeo.summary(): estimate, standard_error, lower_95, upper_95
    spend_summary: pd.DataFrame | None = None     # GammaGamma.summary()
    typical_T: float = np.nan      # median T of the customers (weeks, rounded to 0.1): the matrix figures
    matrix_frequency: int = 20     # the largest frequency of the matrix figures (95th percentile, 5-40)
    weekly_discount: float = np.nan  # the continuous weekly rate of dert: weekly_rate(discount_rate)


def weekly_rate(monthly: float) -> float:
    """The continuous weekly discount rate equal to a monthly rate: ``ln(1 + monthly) / (30.4375 / 7)``.

    A month is 30.4375 days (365.25 / 12), a week 7 days; discounting continuously at this rate for
    one month gives exactly ``1 / (1 + monthly)``.

    >>> round(weekly_rate(0.01), 6)
    0.002288
    >>> bool(np.isclose(np.exp(-weekly_rate(0.01) * MONTH_DAYS / WEEK_DAYS), 1 / 1.01))
    True
    """
    return float(np.log1p(monthly) / (MONTH_DAYS / WEEK_DAYS))


def _ratio(value: float) -> str:
    return "∞" if not np.isfinite(value) else f"{value:+.1%}"


def trust_verdict(span_days: int, holdout: Holdout | None, fit_warnings: list[str]) -> Verdict:
    """The verdict on the CLV model, by the rule of :data:`TRUST_RULES`.

    Examples
    --------
    >>> trust_verdict(100, None, []).level
    'do_not_use'
    >>> table = pd.DataFrame({"customers": [900, 100], "actual": [0.2, 1.0], "model": [0.21, 0.9]})
    >>> h = Holdout(pd.Timestamp("2024-06-30"), 13, table, 280.0, 279.0, 400, {})
    >>> trust_verdict(400, h, []).level
    'usable'
    """
    reasons: list[str] = []
    level = 0
    if span_days < MIN_SPAN_DAYS:
        reasons.append(_("The data span {weeks} weeks: too short to set a holdout period aside and check the model "
                         "(at least {min_weeks} weeks are needed).").format(weeks=span_days // 7,
                                                                           min_weeks=MIN_SPAN_DAYS // 7))
        return Verdict("do_not_use", reasons)
    if holdout is None:
        reasons.append(_("The model could not be fitted on the calibration period, so it could not be checked."))
        return Verdict("do_not_use", reasons)
    if holdout.repeat_buyers < MIN_REPEAT_BUYERS:
        reasons.append(_("Only {n:,} customers bought again in the calibration period (at least {minimum:,} are "
                         "needed to estimate repeat buying).").format(n=holdout.repeat_buyers,
                                                                       minimum=MIN_REPEAT_BUYERS))
        level = 2
    error = abs(holdout.total_error)
    reasons.append(_("Holdout check: the model forecast {model:,.0f} purchases in the last {weeks} weeks, "
                     "{actual:,.0f} happened ({error} off).").format(model=holdout.model_total,
                                                                     actual=holdout.actual_total,
                                                                     weeks=holdout.holdout_weeks,
                                                                     error=_ratio(holdout.total_error)))
    level = max(level, 0 if error <= GOOD_TOTAL_ERROR else 1 if error <= USABLE_TOTAL_ERROR else 2)
    bins = holdout.bin_errors()
    if len(bins):
        worst = bins.abs().idxmax()
        worst_error = float(abs(bins[worst]))
        reasons.append(_("Largest gap in a customer group: those with {group} repeat purchases in the calibration "
                         "period, {error} off ({n} groups of at least {minimum} customers compared).").format(
                             group=worst, error=_ratio(float(bins[worst])), n=len(bins), minimum=MIN_BIN_CUSTOMERS))
        level = max(level, 0 if worst_error <= GOOD_BIN_ERROR else 1 if worst_error <= USABLE_BIN_ERROR else 2)
    else:
        reasons.append(_("No group of customers is large enough (at least {minimum}) to compare by purchase "
                         "frequency.").format(minimum=MIN_BIN_CUSTOMERS))
        level = max(level, 1)
    if fit_warnings:
        reasons.append(_("The fit gave warnings (see the notes): treat the numbers with care."))
        level = max(level, 1)
    return Verdict(VERDICTS[level], reasons)


@contextmanager
def _collected(notes: list[str]) -> Iterator[list[str]]:
    """Warnings of the library turned into notes of the report (never lost, never printed raw)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got: list[str] = []
        yield got
    for warning in caught:
        text = str(warning.message)
        got.append(text)
        if text not in notes:
            notes.append(text)


def _periods(first: pd.Timestamp, last: pd.Timestamp) -> tuple[str, tuple[pd.Timestamp, pd.Timestamp],
                                                                  tuple[pd.Timestamp, pd.Timestamp]] | None:
    span = (last - first).days + 1
    if span >= 730:
        after = (last - pd.Timedelta(days=364), last)
        before = (after[0] - pd.Timedelta(days=365), after[0] - pd.Timedelta(days=1))
        return "years", before, after
    if span >= 2 * 91:
        half = span // 2
        before = (first, first + pd.Timedelta(days=half - 1))
        after = (last - pd.Timedelta(days=half - 1), last)
        return "halves", before, after
    return None


def _tiers_of(spend: pd.Series) -> pd.Series:
    return abc_classes(spend.clip(lower=0), cuts=TIER_CUTS, labels=TIERS)


def _migration(orders: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> Migration | None:
    periods = _periods(first, last)
    if periods is None:
        return None
    kind, before, after = periods
    day = orders["order_date"].dt.normalize()
    tiers = []
    for lo, hi in (before, after):
        inside = orders[(day >= lo) & (day <= hi)]
        spend = inside.groupby("customer_id", sort=True)["amount"].sum()
        spend = spend[spend > 0]
        if spend.empty:
            return None
        tiers.append(_tiers_of(spend))
    return Migration(before, after, kind, tier_transitions(tiers[0], tiers[1], tiers=list(TIERS)))


Progress = Callable[[str], Any]


def _summary_of(model: BetaGeo | GammaGamma, notes: list[str]) -> pd.DataFrame | None:
    """``model.summary()``, or None with the library's reason as a note (information not positive definite)."""
    try:
        with _collected(notes):
            return model.summary()
    except InputError as err:
        notes.append(str(err))
        return None


def analyse(orders: pd.DataFrame, *, snapshot: Any = None, has_order_id: bool = True, returns: str = "error",
            horizon: int = 12, discount_rate: float = 0.01, margin: float = 1.0, alive_threshold: float = 0.5,
            step: Callable[[str], Any] | None = None) -> Analysis:
    """Every number of the report from the cleaned orders (:class:`cvmlib.report.cleaning.CleanExport.orders`).

    Parameters
    ----------
    orders : pandas.DataFrame
        ``customer_id``, ``order_date``, ``amount`` [, ``order_id``], ``source_row``.
    snapshot : date, optional
        The "as of" day; default the day after the last purchase.
    has_order_id : bool
        False: every row is its own order.
    returns : {"error", "net", "exclude"}
        The policy the rows were cleaned with (``"net"``: rows <= 0 are returns).
    horizon, discount_rate, margin : CLV over ``horizon`` months at a monthly rate, share of spend kept.
    alive_threshold : P(alive) below which a tier-A customer is on the early-warning list.
    step : callable, optional
        ``step(name)`` returns a context manager timing one step (progress on stderr).
    """
    notes: list[str] = []
    timings: dict[str, float] = {}

    @contextmanager
    def timed(name: str) -> Iterator[None]:
        start = time.perf_counter()
        if step is None:
            yield
        else:
            with step(name):
                yield
        timings[name] = time.perf_counter() - start

    purchases_mask = orders["amount"].to_numpy() > 0
    dates = orders["order_date"]
    last_day = dates[purchases_mask].max().normalize()
    first_day = dates.min().normalize()
    if snapshot is None:
        snap = dates.max().normalize() + pd.Timedelta(days=1)
        snapshot_given = False
    else:
        snap = as_timestamp(snapshot, "--snapshot")
        snapshot_given = True
    observation_end = snap.normalize() - pd.Timedelta(days=1) if snap == snap.normalize() else snap.normalize()

    # -- RFM --------------------------------------------------------------------------------------
    with timed(N_("RFM scores and segments")):
        with _collected(notes):
            rfm = rfm_table(orders, snap, customer_col="customer_id",
                            order_col="order_id" if has_order_id else None, date_col="order_date",
                            amount_col="amount", returns="net" if returns == "net" else "error")
        scores = rfm_scores(rfm)
        segments = rfm_segments(scores)
        table = rfm.join(scores)
        table["segment"] = segments
        seg = segment_summary(rfm.assign(monetary=rfm["monetary"].clip(lower=0)), segments)
        seg["strategy"] = [SEGMENT_STRATEGIES.get(name, "") for name in seg.index]

    # -- value tiers -----------------------------------------------------------------------------
    with timed(N_("value tiers and concentration")):
        value = rfm["monetary"]
        negative = int((value < 0).sum())
        spend = value.clip(lower=0)
        table["tier"] = _tiers_of(spend)
        tiers = spend.groupby(table["tier"], observed=False).agg(["size", "sum"])
        tiers.columns = ["customers", "revenue"]
        tiers["customer_share"] = tiers["customers"] / tiers["customers"].sum()
        tiers["revenue_share"] = tiers["revenue"] / tiers["revenue"].sum()
        tiers.index = pd.Index([str(t) for t in tiers.index], name="tier")
        concentration = gini(spend)
        top20 = top_share(spend, 0.2)
        curve = lorenz_curve(spend)

    # -- CLV -------------------------------------------------------------------------------------
    purchases = orders.loc[purchases_mask, ["customer_id", "order_date", "amount", "source_row"]]
    span_days = int((observation_end - purchases["order_date"].min().normalize()).days) + 1
    holdout: Holdout | None = None
    fit_warnings: list[str] = []
    with timed(N_("CLV model check (calibration and holdout)")):
        holdout_weeks = max(1, span_days // 3 // 7)
        cal_end = observation_end - pd.Timedelta(days=7 * holdout_weeks)
        if span_days >= MIN_SPAN_DAYS:
            try:
                with _collected(notes) as got:
                    cal = summarize_purchases(purchases, "customer_id", "order_date", calibration_end=cal_end,
                                              observation_end=observation_end, unit="W", duplicates="keep")
                    check = BetaGeo().fit(cal["frequency"], cal["recency"], cal["T"])
                    table_h = calibration_holdout(check, cal)
                    expected = check.expected_purchases(float(cal["duration_holdout"].iloc[0]), cal["frequency"],
                                                        cal["recency"], cal["T"])
                fit_warnings += got
                holdout = Holdout(cal_end, holdout_weeks, table_h, float(cal["frequency_holdout"].sum()),
                                  float(np.sum(expected)), int((cal["frequency"] > 0).sum()), dict(check.params_))
            except InputError as err:
                notes.append(str(err))
    with timed(N_("CLV model fit and scores")):
        with _collected(notes) as got:
            summary = summarize_purchases(purchases, "customer_id", "order_date", "amount",
                                          observation_end=observation_end, unit="W", duplicates="keep")
            model = BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
        fit_warnings += got
        f, r, big_t, m = (summary[c] for c in ("frequency", "recency", "T", "monetary_value"))
        purchase_summary = _summary_of(model, notes)
        spend_model: GammaGamma | None = None
        spend_summary: pd.DataFrame | None = None
        spend_params: dict[str, float] = {}
        if (f > 0).sum() >= 2:
            with _collected(notes) as got:
                spend_model = GammaGamma().fit(f, m)
            spend_params = dict(spend_model.params_)
            spend_summary = _summary_of(spend_model, notes)
            if spend_model.params_["q"] <= 1:
                notes.append(_("The spend model (Gamma-Gamma) finds spend too heavy-tailed (q <= 1): CLV uses each "
                               "customer's own mean repeat spend instead."))
                spend_model = None
        clv = customer_lifetime_value(model, spend_model, f, r, big_t, m, horizon=horizon,
                                      discount_rate=discount_rate, unit="W", period="M", margin=margin)
        btyd = summary.copy()
        btyd["p_alive"] = model.p_alive(f, r, big_t)
        btyd["expected_purchases"] = model.expected_purchases(horizon * 30.4375 / 7, f, r, big_t)
        btyd["clv"] = clv
        ahead = AHEAD_DAYS / WEEK_DAYS
        btyd["p_alive_in_90_days"] = model.p_alive(f, r, big_t, future_t=ahead)
        btyd["p_no_purchase_90_days"] = model.conditional_purchase_count_probability(0, ahead, f, r, big_t)
        delta = weekly_rate(discount_rate)
        if delta > 0:
            btyd["dert"] = model.dert(f, r, big_t, delta)
        else:
            btyd["dert"] = np.nan
            notes.append(_("DERT (discounted expected residual transactions) needs a discount rate above 0: the "
                           "column is left empty."))
        typical_t = round(float(big_t.median()), 1) if len(big_t) else np.nan
        matrix_frequency = int(np.clip(np.ceil(f.quantile(0.95)), 5, 40)) if len(f) else 20
    verdict = trust_verdict(span_days, holdout, fit_warnings)

    table = table.join(btyd[["p_alive", "expected_purchases", "clv", "p_alive_in_90_days", "p_no_purchase_90_days",
                             "dert"]], how="left")
    warn = table[(table["tier"] == TIERS[0]) & (table["p_alive"] < alive_threshold)]
    warn = warn.sort_values(["monetary", "p_alive"], ascending=[False, True])

    with timed(N_("tier migration")):
        migration = _migration(orders, first_day, observation_end)

    return Analysis(
        snapshot=snap, snapshot_given=snapshot_given, first_day=first_day, last_day=last_day, rows=len(orders),
        purchases=int(purchases_mask.sum()), returns=int((~purchases_mask).sum()), customers=len(table),
        rfm=table, segments=seg, tier_summary=tiers, gini=concentration, top20_share=top20, lorenz=curve,
        negative_spend=negative, btyd=btyd, purchase_params=dict(model.params_), spend_params=spend_params,
        spend_model_used=spend_model is not None, holdout=holdout, verdict=verdict, early_warning=warn,
        migration=migration, horizon=horizon, discount_rate=discount_rate, margin=margin,
        alive_threshold=alive_threshold, notes=notes, timings=timings, purchase_model=model,
        purchase_summary=purchase_summary, spend_summary=spend_summary, typical_T=typical_t,
        matrix_frequency=matrix_frequency, weekly_discount=delta)
