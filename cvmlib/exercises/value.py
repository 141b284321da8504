"""The checked exercises of the value-matrix workbook (``notebooks/value_matrix_workbook.ipynb``).

Every expected answer is computed from the shipped retailer orders and customers with the
parameters below (the workbook prints the same ones); every mistake computes the answer a
participant with that misconception would produce, so a hint is given only when the answer really
is that mistake. Every exercise also computes its *near misses* (one customer in another class or
cell, a share one customer off, a Gini with one customer too few), and each comparison is set to the
precision the workbook asks for, so none of them is accepted.
"""

from __future__ import annotations

from functools import cache, partial
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.datasets import load_customers, load_orders
from cvmlib.feedback import (
    Exercise,
    Mistake,
    chosen_option,
    compare_choice,
    compare_scalar,
    compare_series,
)
from cvmlib.exercises.wrong_answers import Options, compare_named_mapping, labelled, later, named_keys
from cvmlib.forms import Choice
from cvmlib.forms import Mapping as MappingForm
from cvmlib.i18n import N_, format_list
from cvmlib.value import abc_classes, allocate_budget, gini, tier_transitions, value_matrix, wallet_headroom

#: Value-matrix thresholds of the workbook (CNY): 2025 revenue and wallet headroom.
CURRENT_THRESHOLD = 2000.0
POTENTIAL_THRESHOLD = 3000.0
#: Age bands (years, left-closed) that, with the city tier, make the peer groups of the headroom.
AGE_BANDS = (18, 25, 35, 45, 55, 120)
#: Service budget of the allocation exercise (CNY) and the service weight of one customer per cell.
BUDGET = 200_000.0
SERVICE_WEIGHTS = {"Key": 10.0, "Maintain": 4.0, "Develop": 3.0, "Basic": 1.0}

# Precision of each exercise, as its prompt states it.
#: Counts are whole numbers: exact (an int or a float holding it).
_exact = partial(compare_series, rtol=0.0, atol=1e-9)
#: Money "to the nearest yuan": half a yuan, plus float slack for an amount that sits exactly on .5.
#: One customer in another cell moves an amount by more than 10 CNY.
_HALF_YUAN = 0.5 + 1e-6
_money_series = partial(compare_series, rtol=0.0, atol=_HALF_YUAN)
#: Fractions "to 4 decimals": rounding moves a value by at most 5e-5, so 5.5e-5 accepts every rounded
#: answer and still refuses a share 0.1 % off (the smallest share here, A to C, is 0.057). One customer
#: of 5,000 is 2e-4, one 2024 A customer of 718 is 1.4e-3, and the Gini's nearest slips (1/n, the
#: n/(n-1) correction, one customer left out) are 7e-5 or more.
_four_decimals = partial(compare_scalar, rtol=0.0, atol=5.5e-5)


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


def _sorted_cumulative_share(ascending: bool) -> pd.Series:
    ordered = _revenue().sort_values(ascending=ascending)
    return ordered.cumsum() / ordered.sum()


def _moved(labels: pd.Series, customer: Any, to: str) -> pd.Series:
    """``labels`` with one customer given another label: the smallest wrong classification."""
    out = labels.astype(object).copy()
    out[customer] = to
    return out


# --- 1. ABC classes ---------------------------------------------------------------------------
@cache
def _abc() -> pd.Series:
    return abc_classes(_revenue()).astype("str")


@cache
def _abc_by_cumulative(ascending: bool = False) -> pd.Series:
    """ABC the way a participant usually writes it: sort, cumulative share, ``<= 0.8`` is A."""
    cum = _sorted_cumulative_share(ascending)
    classes = np.where(cum <= 0.8, "A", np.where(cum <= 0.95, "B", "C"))
    return pd.Series(classes, index=cum.index).rename_axis("customer_id")


def _boundary_customer(cut: float) -> Any:
    """The customer whose cumulative share (largest first) crosses ``cut``."""
    cum = _sorted_cumulative_share(ascending=False)
    return cum.index[int((cum < cut).sum())]


def _small_customers_in_a(answer: Any) -> bool:
    """The A customers have a lower mean revenue than the C customers: an ascending sort."""
    if not isinstance(answer, pd.Series):
        return False
    labels = answer.astype("str").str.strip().str.upper()
    revenue = _revenue().reindex(labels.index)
    return bool(revenue[labels == "A"].mean() < revenue[labels == "C"].mean())


abc = Exercise(
    id="value.abc_classes",
    prompt=N_("ABC class per customer on total revenue: A = first 80 % of revenue (largest first), B up to 95 %, C the rest."),
    expected=_abc,
    mistakes=(
        Mistake(
            "ascending_sort",
            N_("Your A customers are the SMALLEST ones: you sorted ascending. ABC starts from the most "
               "valuable customer."),
            applies=_small_customers_in_a,
            more=N_("Sort the revenue from largest to smallest before you accumulate it."),
        ),
        Mistake(
            "boundary_customer_in_b",
            N_("Almost: the customer whose cumulative share crosses 80 % belongs to A (they are needed to "
               "reach 80 %); the same at 95 % for B."),
            answer=_abc_by_cumulative,
            more=N_("Classify each customer by the share accumulated BEFORE them (the tip in the prompt): "
            "below 80 % is A, below 95 % is B."),
        ),
        Mistake(
            "customer_share_cut",
            N_("You cut at 80 % of the CUSTOMERS. ABC cuts the cumulative share of REVENUE at 80 % and 95 %."),
            answer=lambda: pd.Series(
                np.where(np.arange(1, len(_revenue()) + 1) / len(_revenue()) <= 0.8, "A",
                         np.where(np.arange(1, len(_revenue()) + 1) / len(_revenue()) <= 0.95, "B", "C")),
                index=_revenue().sort_values(ascending=False).index,
            ).rename_axis("customer_id"),
            more=N_("Accumulate the revenue, largest customer first, and divide by the total revenue."),
        ),
    ),
    hint=N_("ABC works on the cumulative share of revenue, largest customers first; the customer who crosses a "
    "cut still belongs to the class above it."),
    more_hint=N_("For each customer, look at the share of revenue made by the customers before them: below 80 % "
    "means A, below 95 % means B, the rest C."),
    near_misses=lambda: [
        _moved(_abc(), _boundary_customer(0.8), "B"),  # only the 80 % boundary customer misplaced
        _moved(_abc(), _boundary_customer(0.95), "C"),  # only the 95 % boundary customer misplaced
        _abc().iloc[1:],
    ],
)


# --- 2. the 80/20 check -----------------------------------------------------------------------
def _pareto_by_cumulative(ascending: bool = False, inclusive_boundary: bool = True) -> float:
    cum = _sorted_cumulative_share(ascending)
    count = (cum < 0.8).sum() + 1 if inclusive_boundary else (cum <= 0.8).sum()
    return float(count / len(cum))


def _pareto() -> float:
    return float((abc_classes(_revenue(), cuts=(0.8,)) == "A").mean())


pareto = Exercise(
    id="value.pareto_share",
    prompt=N_("What share of the customers (0..1, 4 decimals) makes 80 % of total revenue, most valuable first?"),
    expected=_pareto,
    compare=_four_decimals,
    mistakes=(
        Mistake(
            "top20_revenue_share",
            N_("That is the share of REVENUE made by the top 20 % of customers: the reverse question. The task "
               "asks for the share of CUSTOMERS needed to make 80 % of revenue."),
            answer=lambda: float(_revenue().nlargest(len(_revenue()) // 5).sum() / _revenue().sum()),
            more=N_("Count customers, most valuable first, until their revenue reaches 80 % of the total."),
        ),
        Mistake(
            "ascending_sort",
            N_("You counted from the smallest customers (ascending sort). Start from the most valuable."),
            applies=lambda answer: isinstance(answer, (int, float, np.number))
            and abs(float(answer) - _pareto_by_cumulative(ascending=True)) <= 1.5 / len(_revenue()),
            more=N_("Sort the revenue from largest to smallest before you accumulate it."),
        ),
        Mistake(
            "boundary_customer_left_out",
            N_("Off by one customer: the customer who takes the cumulative share past 80 % is needed to "
               "reach it, so count them too."),
            answer=lambda: _pareto_by_cumulative(inclusive_boundary=False),
            more=N_("Count the customers whose share accumulated BEFORE them is still below 80 %."),
        ),
        Mistake(
            "count_not_share",
            N_("You gave the NUMBER of customers; the task asks for their share of all customers (0..1)."),
            answer=lambda: _pareto_by_cumulative() * len(_revenue()),
            more=N_("Divide the count by the number of customers."),
        ),
        Mistake(
            "percent_not_fraction",
            N_("Right idea, but give a fraction between 0 and 1, not a percentage."),
            answer=lambda: 100 * _pareto_by_cumulative(),
            more=N_("A percentage is the fraction times 100: leave that step out."),
        ),
    ),
    hint=N_("Count the customers needed, most valuable first, for their revenue to reach 80 % of the total, and "
    "compare that count with all customers."),
    more_hint=N_("The customer whose revenue takes the cumulative share past 80 % is needed, so they count too; "
    "give a fraction with 4 decimals."),
    near_misses=lambda: [_pareto() - 1 / len(_revenue()), _pareto() + 1 / len(_revenue()),
                         _pareto() * len(_revenue()) / (len(_revenue()) - 1)],
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


def _gini() -> float:
    return gini(_revenue())


gini_exercise = Exercise(
    id="value.gini",
    prompt=N_("The Gini coefficient of total revenue per customer (population version, 0..1, 4 decimals)."),
    expected=_gini,
    compare=_four_decimals,
    mistakes=(
        Mistake(
            "descending_lorenz",
            N_("Your Gini is negative: the Lorenz curve sorts customers ASCENDING (smallest first), so it lies "
               "below the diagonal."),
            answer=lambda: -_gini(),
            more=N_("With the smallest customers first the curve starts flat and ends steep; its area is below one half."),
        ),
        Mistake(
            "right_endpoints",
            N_("Close: you used rectangles at the right end of each step, which underestimates the area "
               "between the curve and the diagonal by 1/n. Use trapezoids, starting the curve at (0, 0)."),
            answer=lambda: _gini_riemann("right"),
            more=N_("A trapezoid's height is the mean of the curve at the two ends of its step."),
        ),
        Mistake(
            "left_endpoints",
            N_("Close: you used rectangles at the left end of each step (overestimates by 1/n). Use "
               "trapezoids, starting the curve at (0, 0)."),
            answer=lambda: _gini_riemann("left"),
            more=N_("A trapezoid's height is the mean of the curve at the two ends of its step."),
        ),
        Mistake(
            "sample_correction",
            N_("You applied the small-sample correction n / (n - 1). The course uses the population Gini "
               "(mean absolute difference / (2 x mean)), whose maximum is (n - 1) / n."),
            answer=lambda: _gini() * len(_revenue()) / (len(_revenue()) - 1),
            more=N_("Leave out the factor n / (n - 1)."),
        ),
        Mistake(
            "one_year_only",
            N_("You measured 2025 revenue only. The task asks for total revenue per customer over the whole "
               "history."),
            answer=lambda: gini(_year_revenue(2025)),
            more=N_("Use the revenue Series of the workbook (every order of 2024 and 2025)."),
        ),
    ),
    hint=N_("The Gini is 1 minus twice the area under the Lorenz curve; the curve sorts customers ascending and "
    "starts at (0, 0)."),
    more_hint=N_("Measure the area with trapezoids over steps of 1/n customers, including the first step from "
    "(0, 0); give 4 decimals."),
    near_misses=lambda: [
        _gini_riemann("right"),
        _gini() * len(_revenue()) / (len(_revenue()) - 1),
        gini(_revenue().drop(_revenue().idxmin())),  # the smallest customer left out
        gini(_revenue().drop(_revenue().idxmax())),  # the largest customer left out
        round(_gini(), 3),
    ],
)


# --- 4. value-matrix cell counts --------------------------------------------------------------
def _cell_counts() -> pd.Series:
    return _counts(_cells(CURRENT_THRESHOLD, POTENTIAL_THRESHOLD))


def _one_moved(counts: pd.Series, source: str, target: str) -> pd.Series:
    """Cell counts with one customer counted in ``target`` instead of ``source``."""
    out = counts.copy()
    out[source] -= 1
    out[target] += 1
    return out


matrix_cells = Exercise(
    id="value.matrix_cells",
    prompt=N_("Customers per value-matrix cell (Key, Maintain, Develop, Basic) with current >= 2000 and potential >= 3000 as high."),
    expected=_cell_counts,
    compare=_exact,
    mistakes=(
        Mistake(
            "thresholds_swapped",
            N_("Your thresholds sit on the wrong axes: 2000 CNY is the CURRENT-value threshold and 3000 CNY "
               "the POTENTIAL threshold. Compare each column with its own threshold."),
            answer=lambda: _counts(_cells(POTENTIAL_THRESHOLD, CURRENT_THRESHOLD)),
            more=N_("current goes with CURRENT_THRESHOLD, potential with POTENTIAL_THRESHOLD."),
        ),
        Mistake(
            "axes_swapped",
            N_("Maintain and Develop are exchanged: Maintain = high CURRENT value with low potential, Develop = "
               "low current value with high POTENTIAL."),
            answer=lambda: _cell_counts().rename({"Maintain": "Develop", "Develop": "Maintain"}),
            more=N_("Maintain customers are valuable today; Develop customers could become valuable."),
        ),
        Mistake(
            "all_customers",
            N_("Your counts include customers who did not buy in 2025. The matrix is for the current "
               "customers only: use the customers in `current`."),
            applies=lambda answer: isinstance(answer, pd.Series)
            and pd.api.types.is_numeric_dtype(answer)
            and int(answer.sum()) == len(_revenue()),
            more=N_("The counts must add up to the number of customers in current."),
        ),
    ),
    hint=N_("Each customer goes into one of four cells by two yes/no questions: is current at or above its "
    "threshold, and is potential at or above its threshold?"),
    more_hint=N_("Key is yes/yes, Maintain yes on current only, Develop yes on potential only, Basic no/no; the "
    "four counts add up to the customers in current."),
    near_misses=lambda: [
        _one_moved(_cell_counts(), "Basic", "Develop"),
        _one_moved(_cell_counts(), "Key", "Maintain"),
        _one_moved(_cell_counts(), "Develop", "Key"),
        _cell_counts().drop("Key"),
    ],
)


# --- 5. budget allocation ---------------------------------------------------------------------
def _cell_sizes() -> pd.Series:
    return _cell_counts().astype("float64")


def _proportional(base: pd.Series) -> pd.Series:
    return (BUDGET * base / base.sum()).rename_axis("cell")


def _adds_up_to(answer: Any, total: float) -> bool:
    return isinstance(answer, pd.Series) and pd.api.types.is_numeric_dtype(answer) \
        and not np.isclose(float(answer.sum()), total, rtol=1e-6)


_WEIGHTS = pd.Series(SERVICE_WEIGHTS).rename_axis("cell")


def _budget_split() -> pd.Series:
    return allocate_budget(_cells(CURRENT_THRESHOLD, POTENTIAL_THRESHOLD), BUDGET, SERVICE_WEIGHTS)


budget_split = Exercise(
    id="value.budget_split",
    prompt=N_("Split the 200,000 CNY service budget across the cells (to the nearest yuan): each customer gets "
    "the service weight of their cell."),
    expected=_budget_split,
    compare=_money_series,
    mistakes=(
        Mistake(
            "weights_ignore_cell_size",
            N_("You split the budget by the weights alone. A weight is per CUSTOMER: it counts once for every "
               "customer in the cell."),
            answer=lambda: _proportional(_WEIGHTS),
            more=N_("Weighted customers of a cell = customers x weight; split the budget by those."),
        ),
        Mistake(
            "customers_only",
            N_("You split by the number of customers, as if every customer got the same service. Each customer "
               "counts with the service weight of their cell."),
            answer=lambda: _proportional(_cell_sizes()),
            more=N_("Weighted customers of a cell = customers x weight; split the budget by those."),
        ),
        Mistake(
            "equal_per_cell",
            N_("An equal split per cell gives a Key customer and a Basic customer very different amounts for "
               "the wrong reason (cell size). Use weight x customers."),
            answer=lambda: pd.Series(BUDGET / 4, index=pd.Index(list(SERVICE_WEIGHTS), name="cell")),
            more=N_("The amount of a cell should grow with its number of customers and with its weight."),
        ),
        Mistake(
            "does_not_add_up",
            N_("Your amounts do not add up to the budget of 200,000 CNY. Each cell's amount is its share of "
               "all weighted customers times the budget."),
            applies=lambda answer: _adds_up_to(answer, BUDGET),
            more=N_("The shares of the four cells must add up to 1 before you multiply by the budget."),
        ),
    ),
    hint=N_("Each customer counts with their cell's service weight; a cell's amount is its share of all weighted "
    "customers, times the budget."),
    more_hint=N_("Weighted customers of a cell = customers x weight; the four amounts add up to the budget; give "
    "them to the nearest yuan."),
    near_misses=lambda: [
        _proportional(_one_moved(_cell_sizes(), "Basic", "Develop") * _WEIGHTS),  # one customer in another cell
        _proportional(_one_moved(_cell_sizes(), "Key", "Maintain") * _WEIGHTS),
        _budget_split().round(-2),  # rounded to hundreds of yuan
        _budget_split().drop("Basic"),
    ],
)


# --- 6. migration: who slipped from A to C ----------------------------------------------------
@cache
def _transitions() -> Any:
    return tier_transitions(abc_classes(_year_revenue(2024)), abc_classes(_year_revenue(2025)))


def _is_column_share(answer: Any) -> bool:
    """A over the C column, with or without the new customers in the column total."""
    counts = _transitions().counts
    candidates = (counts.loc["A", "C"] / counts["C"].sum(), counts.loc["A", "C"] / counts["C"].drop("new").sum())
    return any(_four_decimals(answer, float(c)) is None for c in candidates)


def _slipped() -> float:
    return float(_transitions().shares.loc["A", "C"])


slipped = Exercise(
    id="value.slipped_share",
    prompt=N_("Of the customers in class A in 2024, what share (0..1, 4 decimals) is in class C in 2025? "
    "Customers without a 2025 purchase count as 'gone'."),
    expected=_slipped,
    compare=_four_decimals,
    mistakes=(
        Mistake(
            "column_share",
            N_("You divided by the customers who are C in 2025 (a column share: where C customers came from). "
               "The question starts from the 2024 A customers: divide by the A row total."),
            applies=lambda answer: _is_column_share(answer),
            more=N_("The denominator is the number of customers who were A in 2024."),
        ),
        Mistake(
            "gone_dropped",
            N_("Your denominator leaves out the 2024 A customers who did not buy in 2025 (an inner merge drops "
               "them). They are 'gone' but still were A customers: keep them in the row total."),
            answer=lambda: float(
                _transitions().counts.loc["A", "C"] / _transitions().counts.loc["A"].drop("gone").sum()),
            more=N_("Start from all 2024 A customers and look up their 2025 class; a missing one means gone."),
        ),
        Mistake(
            "gone_counted_as_c",
            N_("You counted the A customers who stopped buying as C. They are 'gone', a different outcome: "
               "count only those who bought in 2025 and are class C."),
            answer=lambda: float(_transitions().shares.loc["A", ["C", "gone"]].sum()),
            more=N_("A customer without a 2025 purchase has no 2025 class at all."),
        ),
        Mistake(
            "count_not_share",
            N_("You gave the NUMBER of customers who slipped; the task asks for their share of the 2024 A customers."),
            answer=lambda: float(_transitions().counts.loc["A", "C"]),
            more=N_("Divide by the number of customers who were A in 2024."),
        ),
    ),
    hint=N_("Start from the customers who were A in 2024 (all of them, gone ones included) and find the share of "
    "them whose 2025 class is C."),
    more_hint=N_("The denominator is every 2024 A customer, whether or not they bought in 2025; the numerator only "
    "those who are C in 2025. Give 4 decimals."),
    near_misses=lambda: [
        float((_transitions().counts.loc["A", "C"] + delta) / _transitions().counts.loc["A"].sum())
        for delta in (-1, 1)
    ] + [float(_transitions().counts.loc["A", "C"] / (_transitions().counts.loc["A"].sum() - 1))],
)


# --- 7. reading the budget split --------------------------------------------------------------
#: Options of the budget-reading question (the workbook prints them).
BUDGET_OPTIONS = Options({
    "A": N_("Key gets the largest amount, because Key customers are the most valuable."),
    "B": N_("The cell with the largest amount is also the cell whose customers each get the most service."),
    "C": N_("Basic customers get no service, because their weight is the lowest."),
    "D": N_("The cell with the largest amount has it because it has the most customers; each Key customer "
            "still gets the most service."),
})


def _budget_reading() -> frozenset[str]:
    """The statements the budget split and the cell sizes support."""
    split, sizes = _budget_split(), _cell_sizes()
    per_customer = split / sizes.reindex(split.index)
    largest = split.idxmax()
    truth = {
        "A": largest == "Key",
        "B": largest == per_customer.idxmax(),
        "C": float(split["Basic"]) == 0.0,
        "D": largest == sizes.idxmax() and per_customer.idxmax() == "Key" and largest != "Key",
    }
    return frozenset(letter for letter, holds in truth.items() if holds)


budget_reading = Exercise(
    id="value.budget_reading",
    prompt=N_("Which statement about the budget split is right? One letter."),
    expected=_budget_reading,
    compare=compare_choice,
    kind="interpret",
    form=Choice(BUDGET_OPTIONS),
    mistakes=(
        Mistake(
            "total_as_per_customer",
            N_("A cell's amount is shared by all its customers. A large amount can mean many customers rather "
               "than much service each: divide each amount by the customers of its cell before you compare."),
            answer=lambda: frozenset("B"),
            more=N_("Service per customer = the cell's amount / its number of customers; compare that across cells."),
        ),
        Mistake(
            "key_gets_most",
            N_("The weights give each Key customer the most service, but how many Key customers are there? Look "
               "at the amounts of your split, not only at the weights."),
            answer=lambda: frozenset("A"),
            more=N_("Compare the four amounts of your split, and the number of customers behind each."),
        ),
        Mistake(
            "lowest_weight_nothing",
            N_("The lowest weight is still a weight above 0: every Basic customer gets some service, just the "
               "least per head. Look at the Basic amount of your split."),
            answer=lambda: frozenset("C"),
            more=N_("A weight of 1 against 10 means a tenth of a Key customer's service, not none."),
        ),
    ),
    hint=N_("Separate the total of a cell from what one of its customers gets: a cell's amount grows with both its "
    "weight and its number of customers."),
    more_hint=N_("Compare the amounts of your split with the cell counts: which cell gets the most in total, and "
    "which one gets the most per customer?"),
    near_misses=lambda: [letter for letter in BUDGET_OPTIONS if letter not in _budget_reading()],
)


# --- 8. where to look first after the migration -----------------------------------------------
#: Options of the migration question (the workbook prints them).
MIGRATION_OPTIONS = Options({
    "A": N_("The slide from A to C: most of the 2024 A customers who left class A went there."),
    "B": N_("The 2024 A customers who did not buy at all in 2025 ('gone'): they are the largest group that left "
            "class A. Find out why, and reach the current A customers who show the same signs."),
    "C": N_("Nothing urgent: most of the 2024 A customers are still A in 2025."),
    "D": N_("The slide from A to B: most of the 2024 A customers who left class A went there."),
})


def _migration_priority() -> frozenset[str]:
    """The statements the A row of the transition matrix supports."""
    row = _transitions().shares.loc["A"]
    left_to = row[["B", "C", "gone"]].idxmax()
    truth = {"A": left_to == "C", "B": left_to == "gone", "C": float(row["A"]) > 0.5, "D": left_to == "B"}
    return frozenset(letter for letter, holds in truth.items() if holds)


migration_priority = Exercise(
    id="value.migration_priority",
    prompt=N_("The retention team can look into one group of the 2024 A customers first. Which does the transition "
    "matrix point to? One letter."),
    expected=_migration_priority,
    compare=compare_choice,
    kind="interpret",
    form=Choice(MIGRATION_OPTIONS),
    mistakes=(
        Mistake(
            "slipped_only",
            N_("The A-to-C share is the number you computed, so it is tempting. But read the whole A row of the "
               "matrix: where did most of the customers who left class A go?"),
            answer=lambda: frozenset("A"),
            more=N_("Compare the B, C and gone columns of the A row."),
        ),
        Mistake(
            "most_stayed",
            N_("Read the A row again: is the share that stayed A above one half? And even then, the customers "
               "who left may hold a lot of value."),
            answer=lambda: frozenset("C"),
            more=N_("The shares of the A row add up to 1: stayed A + B + C + gone."),
        ),
        Mistake(
            "slipped_to_b",
            N_("Moving to B is the gentlest slide, but is it the largest one? Read the whole A row of the matrix."),
            answer=lambda: frozenset("D"),
            more=N_("Compare the B, C and gone columns of the A row."),
        ),
    ),
    hint=N_("Read the A row of the transition matrix (row shares): where did the 2024 A customers end up in 2025?"),
    more_hint=N_("Of the customers who left class A, compare the shares that went to B, to C and to 'gone'."),
    near_misses=lambda: [letter for letter in MIGRATION_OPTIONS if letter not in _migration_priority()],
)


# --- 9. Reinartz-Kumar actions ----------------------------------------------------------------
#: The menu of actions of the last exercise (the workbook prints it).
ACTIONS = Options({
    "A": N_("Consistent but not too frequent communication; recognise and reward their loyalty."),
    "B": N_("Harvest while they buy: transactional offers; stop investing when they go quiet."),
    "C": N_("Check their share of wallet: up-sell and cross-sell if it is small, otherwise cut the cost to serve."),
    "D": N_("No relationship investment; make every transaction profitable."),
    "E": N_("Enrol them in the loyalty programme with extra discounts to make them stay longer."),
})
BEST_ACTIONS: dict[str, frozenset[str]] = {
    "True friends": frozenset("A"),
    "Butterflies": frozenset("B"),
    "Barnacles": frozenset("C"),
    "Strangers": frozenset("D"),
}


def _single_deviations() -> list[dict[str, str]]:
    """Every answer that is right for all quadrants but one: the smallest wrong answers."""
    right = {key: sorted(ok)[0] for key, ok in BEST_ACTIONS.items()}
    return [{**right, key: letter} for key, ok in BEST_ACTIONS.items() for letter in ACTIONS if letter not in ok]


rk_actions = Exercise(
    id="value.rk_actions",
    prompt=later(N_("Choose one action letter (A-E) for each Reinartz-Kumar quadrant: {quadrants}."),
                 quadrants=lambda: format_list(map(labelled, BEST_ACTIONS))),
    expected=lambda: BEST_ACTIONS,
    compare=compare_named_mapping,
    kind="interpret",
    form=MappingForm({quadrant: partial(labelled, quadrant) for quadrant in BEST_ACTIONS}, ACTIONS, show_keys=False),
    mistakes=(
        Mistake(
            "loyalty_programme_for_barnacles",
            N_("Barnacles are loyal but not profitable: extra discounts make a long relationship even less "
               "profitable. Loyalty is not the same as profitability (Reinartz and Kumar)."),
            applies=lambda answer: chosen_option(named_keys(answer, BEST_ACTIONS), "Barnacles") == "E",
            more=N_("For a loyal but unprofitable customer, ask why they are unprofitable: small wallet share or high cost?"),
        ),
        Mistake(
            "relationship_for_butterflies",
            N_("Butterflies are profitable but short-term: trying to convert them into loyal customers "
               "rarely pays. Harvest their transactions and stop when they go quiet."),
            applies=lambda answer: chosen_option(named_keys(answer, BEST_ACTIONS), "Butterflies") in {"A", "E"},
            more=N_("Profit now, no loyalty later: which action takes the profit without investing in a relationship?"),
        ),
        Mistake(
            "investment_in_strangers",
            N_("Strangers are neither loyal nor profitable: any relationship investment is lost money."),
            applies=lambda answer: chosen_option(named_keys(answer, BEST_ACTIONS), "Strangers") in {"A", "C", "E"},
            more=N_("Which action on the menu spends nothing on the relationship?"),
        ),
        Mistake(
            "true_friends_neglected",
            N_("True friends are loyal AND profitable: harvesting them or cutting them off risks the most "
               "valuable relationships you have. Nurture them without overdoing it."),
            applies=lambda answer: chosen_option(named_keys(answer, BEST_ACTIONS), "True friends") in {"B", "C", "D"},
            more=N_("Which action recognises loyalty without bombarding them or giving margin away?"),
        ),
    ),
    hint=N_("Match the effort to profit AND loyalty: profitable and loyal -> nurture; profitable but short-term "
    "-> harvest; loyal but unprofitable -> fix the wallet or the cost; neither -> no investment."),
    more_hint=N_("For each quadrant ask: is the customer profitable, and will they stay? Invest only where both "
    "the profit and the relationship can grow."),
    near_misses=_single_deviations,
)

EXERCISES: tuple[Exercise, ...] = (
    abc,
    pareto,
    gini_exercise,
    matrix_cells,
    budget_split,
    budget_reading,
    slipped,
    migration_priority,
    rk_actions,
)
