"""The checked exercises of the value-matrix workbook (``notebooks/value_matrix_workbook.ipynb``).

Every expected answer is computed from the shipped retailer orders and customers with the
parameters below (the workbook prints the same ones); every mistake computes the answer a
participant with that misconception would produce, so a hint is given only when the answer really
is that mistake.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.datasets import load_customers, load_orders
from cvmlib.feedback import Exercise, Mistake, chosen_option, compare_mapping, compare_scalar, compare_series
from cvmlib.value import abc_classes, allocate_budget, gini, tier_transitions, value_matrix, wallet_headroom

#: Value-matrix thresholds of the workbook (CNY): 2025 revenue and wallet headroom.
CURRENT_THRESHOLD = 2000.0
POTENTIAL_THRESHOLD = 3000.0
#: Age bands (years, left-closed) that, with the city tier, make the peer groups of the headroom.
AGE_BANDS = (18, 25, 35, 45, 55, 120)
#: Service budget of the allocation exercise (CNY) and the service weight of one customer per cell.
BUDGET = 200_000.0
SERVICE_WEIGHTS = {"Key": 10.0, "Maintain": 4.0, "Develop": 3.0, "Basic": 1.0}


@cache
def _orders() -> pd.DataFrame:
    return load_orders()


@cache
def _revenue() -> pd.Series:
    """Total revenue per customer over the whole history (2024-2025)."""
    return _orders().groupby("customer_id")["amount"].sum()


@cache
def _year_revenue(year: int) -> pd.Series:
    orders = _orders()
    return orders[orders["order_date"].dt.year == year].groupby("customer_id")["amount"].sum()


@cache
def matrix_inputs() -> tuple[pd.Series, pd.Series]:
    """Current value (2025 revenue of the 2025 buyers) and potential (headroom to the peer p90)."""
    current = _year_revenue(2025)
    customers = load_customers().set_index("customer_id").reindex(current.index)
    age_band = pd.cut(customers["age"], list(AGE_BANDS), right=False).astype("str")
    peers = customers["city_tier"].astype("str") + " | " + age_band
    return current, wallet_headroom(current, peers, quantile=0.9)


def _counts(cells: pd.Series) -> pd.Series:
    return cells.value_counts().rename_axis("cell")


def _cells(current_threshold: float, potential_threshold: float, swap_axes: bool = False) -> pd.Series:
    current, potential = matrix_inputs()
    if swap_axes:
        current, potential = potential, current
    return value_matrix(current, potential, current_threshold, potential_threshold)


def _scalar_exact(answer: Any, expected: float) -> str | None:
    """Shares of customers differ by 1/5000 when one boundary customer is misplaced: compare tightly."""
    return compare_scalar(answer, expected, rtol=1e-7)


def _sorted_cumulative_share(ascending: bool) -> pd.Series:
    ordered = _revenue().sort_values(ascending=ascending)
    return ordered.cumsum() / ordered.sum()


# --- 1. ABC classes ---------------------------------------------------------------------------
def _abc_by_cumulative(ascending: bool = False) -> pd.Series:
    """ABC the way a participant usually writes it: sort, cumulative share, ``<= 0.8`` is A."""
    cum = _sorted_cumulative_share(ascending)
    classes = np.where(cum <= 0.8, "A", np.where(cum <= 0.95, "B", "C"))
    return pd.Series(classes, index=cum.index).rename_axis("customer_id")


def _small_customers_in_a(answer: Any) -> bool:
    """The A customers have a lower mean revenue than the C customers: an ascending sort."""
    if not isinstance(answer, pd.Series):
        return False
    labels = answer.astype("str").str.strip().str.upper()
    revenue = _revenue().reindex(labels.index)
    return bool(revenue[labels == "A"].mean() < revenue[labels == "C"].mean())


abc = Exercise(
    id="value.abc_classes",
    prompt="ABC class per customer on total revenue: A = first 80 % of revenue (largest first), B up to 95 %, C the rest.",
    expected=lambda: abc_classes(_revenue()).astype("str"),
    mistakes=(
        Mistake(
            "ascending_sort",
            "Your A customers are the SMALLEST ones: you sorted ascending. ABC starts from the most "
            "valuable customer: sort_values(ascending=False) before the cumulative sum.",
            applies=_small_customers_in_a,
        ),
        Mistake(
            "boundary_customer_in_b",
            "Almost: the customer whose cumulative share crosses 80 % belongs to A (they are needed to "
            "reach 80 %); the same at 95 % for B. Classify by the share BEFORE each customer "
            "(cumulative share minus their own share) < 0.8.",
            answer=_abc_by_cumulative,
        ),
        Mistake(
            "customer_share_cut",
            "You cut at 80 % of the CUSTOMERS. ABC cuts the cumulative share of REVENUE at 80 % and 95 %.",
            answer=lambda: pd.Series(
                np.where(np.arange(1, len(_revenue()) + 1) / len(_revenue()) <= 0.8, "A",
                         np.where(np.arange(1, len(_revenue()) + 1) / len(_revenue()) <= 0.95, "B", "C")),
                index=_revenue().sort_values(ascending=False).index,
            ).rename_axis("customer_id"),
        ),
    ),
    hint="Sort revenue descending, take the cumulative share, and cut it at 0.8 and 0.95.",
)


# --- 2. the 80/20 check -----------------------------------------------------------------------
def _pareto_by_cumulative(ascending: bool = False, inclusive_boundary: bool = True) -> float:
    cum = _sorted_cumulative_share(ascending)
    count = (cum < 0.8).sum() + 1 if inclusive_boundary else (cum <= 0.8).sum()
    return float(count / len(cum))


pareto = Exercise(
    id="value.pareto_share",
    prompt="What share of the customers (0..1) makes 80 % of total revenue, most valuable first?",
    expected=lambda: float((abc_classes(_revenue(), cuts=(0.8,)) == "A").mean()),
    compare=_scalar_exact,
    mistakes=(
        Mistake(
            "top20_revenue_share",
            "That is the share of REVENUE made by the top 20 % of customers: the reverse question. The task "
            "asks for the share of CUSTOMERS needed to make 80 % of revenue.",
            answer=lambda: float(_revenue().nlargest(len(_revenue()) // 5).sum() / _revenue().sum()),
        ),
        Mistake(
            "ascending_sort",
            "You counted from the smallest customers (ascending sort). Start from the most valuable: "
            "sort_values(ascending=False).",
            applies=lambda answer: isinstance(answer, (int, float, np.number))
            and abs(float(answer) - _pareto_by_cumulative(ascending=True)) <= 1.5 / len(_revenue()),
        ),
        Mistake(
            "boundary_customer_left_out",
            "Off by one customer: the customer who takes the cumulative share past 80 % is needed to "
            "reach it, so count them too.",
            answer=lambda: _pareto_by_cumulative(inclusive_boundary=False),
        ),
        Mistake(
            "count_not_share",
            "You gave the NUMBER of customers; the task asks for their share of all customers (0..1).",
            answer=lambda: _pareto_by_cumulative() * len(_revenue()),
        ),
        Mistake(
            "percent_not_fraction",
            "Right idea, but give a fraction between 0 and 1, not a percentage.",
            answer=lambda: 100 * _pareto_by_cumulative(),
        ),
    ),
    hint="Sort revenue descending, cumulative share, count the customers up to and including the one "
    "that reaches 0.8, divide by the number of customers.",
)


# --- 3. Gini ----------------------------------------------------------------------------------
def _lorenz_points(ascending: bool = True) -> np.ndarray:
    values = np.sort(_revenue().to_numpy())
    if not ascending:
        values = values[::-1]
    return np.cumsum(values) / values.sum()


def _gini_riemann(side: str) -> float:
    points = _lorenz_points()
    heights = points if side == "right" else np.concatenate([[0.0], points[:-1]])
    return float(1 - 2 * heights.mean())


gini_exercise = Exercise(
    id="value.gini",
    prompt="The Gini coefficient of total revenue per customer (population version, 0..1).",
    expected=lambda: gini(_revenue()),
    compare=lambda answer, expected: compare_scalar(answer, expected, rtol=1e-6),
    mistakes=(
        Mistake(
            "descending_lorenz",
            "Your Gini is negative: the Lorenz curve sorts customers ASCENDING (smallest first), so it lies "
            "below the diagonal.",
            answer=lambda: -gini(_revenue()),
        ),
        Mistake(
            "right_endpoints",
            "Close: you used rectangles at the right end of each step, which underestimates the area "
            "between the curve and the diagonal by 1/n. Use trapezoids, starting the curve at (0, 0).",
            answer=lambda: _gini_riemann("right"),
        ),
        Mistake(
            "left_endpoints",
            "Close: you used rectangles at the left end of each step (overestimates by 1/n). Use "
            "trapezoids, starting the curve at (0, 0).",
            answer=lambda: _gini_riemann("left"),
        ),
        Mistake(
            "sample_correction",
            "You applied the small-sample correction n / (n - 1). The course uses the population Gini "
            "(mean absolute difference / (2 x mean)), whose maximum is (n - 1) / n.",
            answer=lambda: gini(_revenue()) * len(_revenue()) / (len(_revenue()) - 1),
        ),
    ),
    hint="G = 1 - 2 x (area under the Lorenz curve), or sum((2i - n - 1) x_i) / (n sum x) with x sorted ascending.",
)


# --- 4. value-matrix cell counts --------------------------------------------------------------
matrix_cells = Exercise(
    id="value.matrix_cells",
    prompt="Customers per value-matrix cell (Key, Maintain, Develop, Basic) with current >= 2000 and potential >= 3000 as high.",
    expected=lambda: _counts(_cells(CURRENT_THRESHOLD, POTENTIAL_THRESHOLD)),
    compare=compare_series,
    mistakes=(
        Mistake(
            "thresholds_swapped",
            "Your thresholds sit on the wrong axes: 2000 CNY is the CURRENT-value threshold and 3000 CNY "
            "the POTENTIAL threshold. Compare each column with its own threshold.",
            answer=lambda: _counts(_cells(POTENTIAL_THRESHOLD, CURRENT_THRESHOLD)),
        ),
        Mistake(
            "axes_swapped",
            "Maintain and Develop are exchanged: Maintain = high CURRENT value with low potential, Develop = "
            "low current value with high POTENTIAL.",
            answer=lambda: _counts(_cells(CURRENT_THRESHOLD, POTENTIAL_THRESHOLD)).rename(
                {"Maintain": "Develop", "Develop": "Maintain"}),
        ),
        Mistake(
            "all_customers",
            "Your counts include customers who did not buy in 2025. The matrix is for the current "
            "customers only: use the customers in `current`.",
            applies=lambda answer: isinstance(answer, pd.Series)
            and pd.api.types.is_numeric_dtype(answer)
            and int(answer.sum()) == len(_revenue()),
        ),
    ),
    hint="High current = current >= 2000; high potential = potential >= 3000; count the customers in each "
    "of the four combinations.",
)


# --- 5. budget allocation ---------------------------------------------------------------------
def _cell_sizes() -> pd.Series:
    return _counts(_cells(CURRENT_THRESHOLD, POTENTIAL_THRESHOLD)).astype("float64")


def _proportional(base: pd.Series) -> pd.Series:
    return (BUDGET * base / base.sum()).rename_axis("cell")


def _adds_up_to(answer: Any, total: float) -> bool:
    return isinstance(answer, pd.Series) and pd.api.types.is_numeric_dtype(answer) \
        and not np.isclose(float(answer.sum()), total, rtol=1e-6)


_WEIGHTS = pd.Series(SERVICE_WEIGHTS).rename_axis("cell")

budget_split = Exercise(
    id="value.budget_split",
    prompt="Split the 200,000 CNY service budget across the cells: each customer gets the service weight of their cell.",
    expected=lambda: allocate_budget(_cells(CURRENT_THRESHOLD, POTENTIAL_THRESHOLD), BUDGET, SERVICE_WEIGHTS),
    compare=lambda answer, expected: compare_series(answer, expected, rtol=1e-4),
    mistakes=(
        Mistake(
            "weights_ignore_cell_size",
            "You split the budget by the weights alone. A weight is per CUSTOMER: multiply it by the number "
            "of customers in the cell before taking shares.",
            answer=lambda: _proportional(_WEIGHTS),
        ),
        Mistake(
            "customers_only",
            "You split by the number of customers, as if every customer got the same service. Multiply by "
            "the service weight of the cell.",
            answer=lambda: _proportional(_cell_sizes()),
        ),
        Mistake(
            "equal_per_cell",
            "An equal split per cell gives a Key customer and a Basic customer very different amounts for "
            "the wrong reason (cell size). Use weight x customers.",
            answer=lambda: pd.Series(BUDGET / 4, index=pd.Index(list(SERVICE_WEIGHTS), name="cell")),
        ),
        Mistake(
            "does_not_add_up",
            "Your amounts do not add up to the budget of 200,000 CNY. Divide weight x customers by its "
            "total over the cells, then multiply by the budget.",
            applies=lambda answer: _adds_up_to(answer, BUDGET),
        ),
    ),
    hint="Amount of a cell = budget x weight x customers / sum over cells of (weight x customers).",
)


# --- 6. migration: who slipped from A to C ----------------------------------------------------
@cache
def _transitions() -> Any:
    return tier_transitions(abc_classes(_year_revenue(2024)), abc_classes(_year_revenue(2025)))


def _is_column_share(answer: Any) -> bool:
    """A over the C column, with or without the new customers in the column total."""
    counts = _transitions().counts
    candidates = (counts.loc["A", "C"] / counts["C"].sum(), counts.loc["A", "C"] / counts["C"].drop("new").sum())
    return any(compare_scalar(answer, float(c), rtol=1e-7) is None for c in candidates)


slipped = Exercise(
    id="value.slipped_share",
    prompt="Of the customers in class A in 2024, what share (0..1) is in class C in 2025? "
    "Customers without a 2025 purchase count as 'gone'.",
    expected=lambda: float(_transitions().shares.loc["A", "C"]),
    compare=_scalar_exact,
    mistakes=(
        Mistake(
            "column_share",
            "You divided by the customers who are C in 2025 (a column share: where C customers came from). "
            "The question starts from the 2024 A customers: divide by the A row total.",
            applies=lambda answer: _is_column_share(answer),
        ),
        Mistake(
            "gone_dropped",
            "Your denominator leaves out the 2024 A customers who did not buy in 2025 (an inner merge drops "
            "them). They are 'gone' but still were A customers: keep them in the row total.",
            answer=lambda: float(
                _transitions().counts.loc["A", "C"] / _transitions().counts.loc["A"].drop("gone").sum()),
        ),
        Mistake(
            "gone_counted_as_c",
            "You counted the A customers who stopped buying as C. They are 'gone', a different outcome: "
            "count only those who bought in 2025 and are class C.",
            answer=lambda: float(_transitions().shares.loc["A", ["C", "gone"]].sum()),
        ),
        Mistake(
            "count_not_share",
            "You gave the NUMBER of customers who slipped; the task asks for their share of the 2024 A customers.",
            answer=lambda: float(_transitions().counts.loc["A", "C"]),
        ),
    ),
    hint="Classify each year separately (ABC on that year's revenue), then: A-in-2024-and-C-in-2025 / all A-in-2024.",
)


# --- 7. Reinartz-Kumar actions ----------------------------------------------------------------
#: The menu of actions of the last exercise (the workbook prints it).
ACTIONS = {
    "A": "Consistent but not too frequent communication; recognise and reward their loyalty.",
    "B": "Harvest while they buy: transactional offers; stop investing when they go quiet.",
    "C": "Check their share of wallet: up-sell and cross-sell if it is small, otherwise cut the cost to serve.",
    "D": "No relationship investment; make every transaction profitable.",
    "E": "Enrol them in the loyalty programme with extra discounts to make them stay longer.",
}
BEST_ACTIONS: dict[str, frozenset[str]] = {
    "True friends": frozenset("A"),
    "Butterflies": frozenset("B"),
    "Barnacles": frozenset("C"),
    "Strangers": frozenset("D"),
}



rk_actions = Exercise(
    id="value.rk_actions",
    prompt="Choose one action letter (A-E) for each Reinartz-Kumar quadrant: " + ", ".join(BEST_ACTIONS) + ".",
    expected=lambda: BEST_ACTIONS,
    compare=compare_mapping,
    mistakes=(
        Mistake(
            "loyalty_programme_for_barnacles",
            "Barnacles are loyal but not profitable: extra discounts make a long relationship even less "
            "profitable. Loyalty is not the same as profitability (Reinartz and Kumar).",
            applies=lambda answer: chosen_option(answer, "Barnacles") == "E",
        ),
        Mistake(
            "relationship_for_butterflies",
            "Butterflies are profitable but short-term: trying to convert them into loyal customers "
            "rarely pays. Harvest their transactions and stop when they go quiet.",
            applies=lambda answer: chosen_option(answer, "Butterflies") in {"A", "E"},
        ),
        Mistake(
            "investment_in_strangers",
            "Strangers are neither loyal nor profitable: any relationship investment is lost money.",
            applies=lambda answer: chosen_option(answer, "Strangers") in {"A", "C", "E"},
        ),
    ),
    hint="Match the effort to profit AND loyalty: profitable and loyal -> nurture; profitable but short-term "
    "-> harvest; loyal but unprofitable -> fix the wallet or the cost; neither -> no investment.",
)

EXERCISES: tuple[Exercise, ...] = (
    abc,
    pareto,
    gini_exercise,
    matrix_cells,
    budget_split,
    slipped,
    rk_actions,
)
