"""Customer lifetime value: the BTYD summary, the BG/NBD, Pareto/NBD and Gamma-Gamma models, and
CLV itself.

One job per module: :mod:`~cvmlib.clv.summary` (transactions -> frequency/recency/T),
:mod:`~cvmlib.clv.bgnbd` and :mod:`~cvmlib.clv.paretonbd` (purchase-and-dropout models),
:mod:`~cvmlib.clv.gammagamma` (spend per transaction), :mod:`~cvmlib.clv.value` (simple and
model-based CLV); :mod:`~cvmlib.clv._base` holds what the two purchase models share (the fit
on distinct rows and the checked per-customer methods) and :mod:`~cvmlib.clv._common` the
plumbing (the models' input rules on top of :mod:`cvmlib.validate`'s guards, distinct rows with
weights, the optimiser, safe 2F1 evaluations). Import everything from here:
``from cvmlib.clv import BetaGeo``.

Both purchase models share one interface: ``fit(frequency, recency, T, weights=None)`` ->
self, ``params_``, ``log_likelihood_``, ``log_likelihood(...)`` per customer,
``p_alive(...)``, ``expected_purchases(t, ...)`` (conditional, next ``t`` units),
``expected_purchases_population(t)`` and ``purchase_count_probability(n, t)`` (a new
customer's E[X(t)] and P(X(t) = n)), and the posterior predictions
``conditional_purchase_count_probability(n, t, ...)`` (P(n purchases in the next ``t``)),
``p_alive(..., future_t=t)`` (alive ``t`` after the end of the data) and ``dert(...,
discount_rate)`` (discounted expected residual transactions). Fits are maximum likelihood on the
distinct input rows, with warnings (never silence) for non-convergence or a parameter on the
search bound; ``summary()`` and ``standard_errors_`` (also on :class:`GammaGamma`) give
standard errors from the observed information.

Time units: ``"D"`` days, ``"W"`` weeks of 7 days, ``"M"`` months of 30.4375 days
(365.25 / 12); :func:`unit_days` gives a unit's length (and refuses anything else). The unit of ``recency`` and ``T`` is the unit of the models' ``alpha``/``beta``
and of every ``t`` passed to them.
"""

from cvmlib.clv._base import PurchaseModel
from cvmlib.clv._common import UNIT_DAYS, unit_days
from cvmlib.clv.bgnbd import BetaGeo
from cvmlib.clv.gammagamma import GammaGamma
from cvmlib.clv.paretonbd import ParetoNBD
from cvmlib.clv.summary import summarize_purchases
from cvmlib.clv.value import customer_lifetime_value, simple_clv, simple_clv_buildup

__all__ = ["UNIT_DAYS", "unit_days", "PurchaseModel", "summarize_purchases", "BetaGeo", "ParetoNBD", "GammaGamma", "simple_clv",
           "simple_clv_buildup", "customer_lifetime_value"]
