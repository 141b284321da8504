"""Generate the course's synthetic Chinese retailer, deterministically from one seed.

Usage (from the repository root)::

    python datasets/generate.py                 # (re)write datasets/retailer/*.csv
    python datasets/generate.py --out DIR       # write somewhere else
    python datasets/generate.py --check         # regenerate into a temp dir, compare byte for byte

The story (documented for readers in datasets/README.md):

* Customers sign up over two years (2024-01-01 .. 2025-12-31) and buy for the first time on
  their signup day. Each belongs to one of five latent behavioural segments.
* Buying follows the BG/NBD story: while alive a customer buys as a Poisson process with a
  personal rate ``lambda ~ Gamma`` (per week); after every repeat purchase they drop out
  silently with a personal probability ``p ~ Beta``.
* Spend per order follows the Gamma-Gamma story: ``amount ~ Gamma`` around a personal mean that is
  drawn independently of ``lambda`` within a segment.
* About 6% of orders lead to a complaint ticket. How well it is handled (speed, remedy, the
  agent) sets the satisfaction score, and the satisfaction sets an extra dropout chance right
  after that order: small for well-handled complaints, large for badly handled ones.
* About 1,500 customers answer a post-purchase survey (NPS and the 4Cs), driven by segment and by
  a loyalty signal that also drives their later buying.
* ``orders_raw.csv`` is the messy export the clean ``orders.csv`` hides: guests, test orders,
  returns, duplicates, mixed date formats and sloppy text are injected on top of the clean rows.
* The story goes on after 2025-12-31 in the course's micro-sandbox (``cvmlib/sandbox/``): the same
  customers, rates, dropout probabilities, spend and segments from ``truth.csv``, one quarter per
  round, with a response model to the teams' actions; new customers keep signing up at this
  generator's pace (N_CUSTOMERS / N_DAYS a day), segment shares and draws. The story's parameters
  (the segments, the pace, the acquisition channels) therefore live in ``cvmlib/retailer.py``, which
  this script and the sandbox both read: the classroom's kernels import ``cvmlib``, not ``datasets/``.

Every random draw comes from ``numpy.random.default_rng`` seeded from :data:`SEED`; each stage has
its own child generator so that changing one stage does not reshuffle the others. All numbers are
written as pre-formatted text with ``\\n`` line endings, so a re-run is byte-identical.
"""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

# The story's parameters (the latent segments and what their members draw) live in cvmlib, which the
# micro-sandbox continues the story with; this script draws the shipped data from them.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cvmlib.retailer import ACQUISITION, N_CUSTOMERS, N_DAYS, SEGMENTS, Segment  # noqa: E402,F401

SEED = 20251231
N_SURVEY = 1500
START = pd.Timestamp("2024-01-01")
END = START + pd.Timedelta(days=N_DAYS)  # exclusive: 2026-01-01 00:00:00
DEFAULT_OUT = Path(__file__).resolve().parent / "retailer"
TABLES = ("customers", "orders", "orders_raw", "complaints", "survey", "truth")

CATEGORIES = ("Apparel", "Beauty", "Electronics", "Home", "Food & Grocery", "Baby & Kids", "Sports")
CHANNELS = ("app", "web", "store", "mini_program")
CITIES = {
    1: ("Beijing", "Shanghai", "Guangzhou", "Shenzhen"),
    2: ("Hangzhou", "Chengdu", "Wuhan", "Nanjing", "Xi'an", "Suzhou", "Chongqing", "Tianjin"),
    3: ("Wuxi", "Foshan", "Yangzhou", "Luoyang", "Guilin", "Weifang", "Mianyang"),
    4: ("Zhuzhou", "Ganzhou", "Qujing", "Xinyang", "Shangrao", "Tianshui"),
}
TICKET_CHANNELS = ("phone", "app_chat", "email", "social")
COMPLAINT_TYPES = ("delivery_delay", "product_quality", "wrong_item", "refund_request", "billing",
                   "service_attitude")
SEVERITIES = ("low", "medium", "high")
RESOLUTIONS = ("refund", "replacement", "voucher", "apology", "none")
# Membership at export time, from spend in the trailing 12 months (CNY thresholds).
MEMBERSHIP = (("platinum", 8000.0), ("gold", 3000.0), ("silver", 800.0), ("basic", 0.0))
# Order hour of day: quiet nights, a lunch peak and a strong evening peak (mobile shopping).
HOUR_WEIGHTS = np.array([2, 1, 0.5, 0.3, 0.3, 0.5, 1, 2, 3, 4, 5, 6, 7, 6, 5, 5, 5, 6, 7, 8, 10, 11, 9, 5])
ORDER_SPEND_SHAPE = 3.0  # Gamma shape of one order's amount around the customer's mean (CV 0.58)


def _fmt_ts(values: pd.Series | pd.DatetimeIndex, fmt: str = "%Y-%m-%d %H:%M:%S") -> pd.Series:
    """Format timestamps as text; missing values become empty strings."""
    out = pd.Series(pd.DatetimeIndex(values).strftime(fmt), dtype=object)
    return out.where(out.notna(), "")


def _fmt_num(values: np.ndarray, fmt: str) -> list[str]:
    """Format floats with a fixed pattern; NaN becomes an empty string."""
    return ["" if np.isnan(v) else fmt % v for v in np.asarray(values, dtype=float)]


def _pick(rng: np.random.Generator, weights: np.ndarray, size: int | None = None) -> np.ndarray:
    """Categorical draws from (unnormalised) weights, via one uniform per draw."""
    cum = np.cumsum(weights, dtype=float)
    u = rng.random(size) * cum[-1]
    return np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)


# ---------------------------------------------------------------------------------------------
# Customers and their latent traits
# ---------------------------------------------------------------------------------------------

def _signup_days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Signup day index (0 = 2024-01-01): growing acquisition plus 618 and Double 11 campaigns."""
    days = START + pd.to_timedelta(np.arange(N_DAYS), unit="D")
    weights = np.linspace(0.7, 1.3, N_DAYS)
    md = days.strftime("%m-%d")
    weights[np.isin(md, ["06-16", "06-17", "06-18"])] *= 4.0  # 618 shopping festival
    weights[np.isin(md, ["11-09", "11-10", "11-11"])] *= 6.0  # Double 11 (Singles' Day)
    return np.sort(_pick(rng, weights, n))


def make_customers(rng: np.random.Generator) -> pd.DataFrame:
    """One row per customer with public attributes and latent traits (columns prefixed ``_``)."""
    n = N_CUSTOMERS
    seg_idx = _pick(rng, np.array([s.share for s in SEGMENTS]), n)
    signup = _signup_days(rng, n)
    lam, p, spend, age, female, tier, city = (np.empty(n) for _ in range(7))
    acq = np.empty(n, dtype=int)
    cat_mix = np.empty((n, len(CATEGORIES)))
    chan_mix = np.empty((n, len(CHANNELS)))
    for k, seg in enumerate(SEGMENTS):
        idx = np.flatnonzero(seg_idx == k)
        m = len(idx)
        lam[idx] = rng.gamma(seg.rate_shape, seg.rate_mean / seg.rate_shape, m)
        p[idx] = rng.beta(*seg.dropout_ab, m)
        spend[idx] = seg.spend_mean * rng.gamma(seg.spend_shape, 1 / seg.spend_shape, m)
        age[idx] = np.clip(np.round(rng.normal(*seg.age, m)), 18, 75)
        female[idx] = rng.random(m) < seg.female
        tier[idx] = 1 + _pick(rng, np.array(seg.tiers), m)
        acq[idx] = _pick(rng, np.array(seg.acquisition), m)
        # Each customer has a personal mix scattered around the segment's mix.
        cat_mix[idx] = rng.dirichlet(np.array(seg.categories) * 12 + 0.05, m)
        chan_mix[idx] = rng.dirichlet(np.array(seg.channels) * 10 + 0.05, m)
    for t, names in CITIES.items():
        idx = np.flatnonzero(tier == t)
        city[idx] = _pick(rng, np.linspace(2.0, 1.0, len(names)), len(idx))
    return pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in range(1, n + 1)],
        "signup_day": signup,
        "age": age.astype(int),
        "gender": np.where(female.astype(bool), "F", "M"),
        "city": [CITIES[int(t)][int(c)] for t, c in zip(tier, city)],
        "city_tier": tier.astype(int),
        "acquisition_channel": [ACQUISITION[a] for a in acq],
        "_segment": [SEGMENTS[k].name for k in seg_idx],
        "_seg": seg_idx,
        "_lambda": lam,
        "_p": p,
        "_mean_spend": spend,
        "_cat_mix": list(cat_mix),
        "_chan_mix": list(chan_mix),
    })


# ---------------------------------------------------------------------------------------------
# Buying process with complaints feeding back into dropout
# ---------------------------------------------------------------------------------------------

def _order_time(rng: np.random.Generator, day: int, channel: int) -> pd.Timestamp:
    """A timestamp on ``day``; store tills record whole minutes, so store orders have :00 seconds."""
    hour = int(_pick(rng, HOUR_WEIGHTS))
    minute = int(rng.integers(60))
    second = 0 if CHANNELS[channel] == "store" else int(rng.integers(60))
    return START + pd.Timedelta(days=day, hours=hour, minutes=minute, seconds=second)


def _complaint(rng: np.random.Generator, order: dict, age: int) -> dict | None:
    """Maybe open a complaint ticket for ``order``; return its fields and latent satisfaction."""
    category, channel = order["category"], order["channel"]
    rate = 0.062 * {"Electronics": 1.5, "Apparel": 1.1, "Baby & Kids": 1.1}.get(category, 0.85)
    rate *= 0.5 if channel == "store" else 1.1
    if rng.random() >= rate:
        return None
    # What the complaint is about: shops have no delivery; electronics fail more often.
    kinds = np.array([0.30, 0.22, 0.12, 0.16, 0.08, 0.12])
    if channel == "store":
        kinds[[0, 2]] = 0.0
    if category == "Electronics":
        kinds[1] *= 2.0
    kind = COMPLAINT_TYPES[int(_pick(rng, kinds))]
    sev_w = {"product_quality": (0.3, 0.45, 0.25), "billing": (0.35, 0.45, 0.2)}.get(kind, (0.55, 0.33, 0.12))
    severity = int(_pick(rng, np.array(sev_w)))
    tc_w = (0.15, 0.45, 0.10, 0.30) if age < 30 else (0.30, 0.45, 0.15, 0.10) if age < 46 else (0.55, 0.25, 0.15, 0.05)
    tchannel = TICKET_CHANNELS[int(_pick(rng, np.array(tc_w)))]
    delay_days = rng.uniform(2, 7) if kind == "delivery_delay" else rng.gamma(2.0, 2.0)
    opened = order["ts"] + pd.Timedelta(days=float(delay_days))
    opened = opened.floor("D") + pd.Timedelta(hours=int(rng.integers(8, 23)), minutes=int(rng.integers(60)),
                                               seconds=int(rng.integers(60)))
    opened = max(opened, order["ts"] + pd.Timedelta(minutes=30))
    skill = rng.normal()  # the agent and the team on the day: drives speed and quality together
    median_min = {"phone": 4, "app_chat": 20, "email": 480, "social": 180}[tchannel]
    response_min = median_min * np.exp(0.8 * rng.normal() - 0.5 * skill)
    first_response = opened + pd.Timedelta(seconds=int(60 * response_min) + 30)
    base_w = {
        "delivery_delay": (0.10, 0.0, 0.45, 0.40, 0.05), "product_quality": (0.35, 0.45, 0.10, 0.0, 0.10),
        "wrong_item": (0.25, 0.70, 0.0, 0.05, 0.0), "refund_request": (0.75, 0.0, 0.10, 0.0, 0.15),
        "billing": (0.60, 0.0, 0.0, 0.30, 0.10), "service_attitude": (0.0, 0.0, 0.35, 0.55, 0.10),
    }[kind]
    # Better agents offer real remedies more often and "no remedy" less often.
    res_w = np.array(base_w) * np.exp(np.array([0.3, 0.3, 0.2, -0.2, -0.6]) * skill)
    resolution = RESOLUTIONS[int(_pick(rng, res_w))]
    if resolution == "refund":
        compensation = order["amount"] * (1.0 if rng.random() < 0.6 else rng.uniform(0.2, 0.8))
    elif resolution == "voucher":
        compensation = float(rng.choice([10.0, 20.0, 30.0, 50.0, 100.0]))
    else:
        compensation = 0.0
    resolve_days = rng.gamma(1.5, 0.8 + 0.8 * severity) * np.exp(-0.3 * skill)
    resolved = first_response + pd.Timedelta(seconds=int(resolve_days * 86400) + 600)
    unresolved = rng.random() < 0.06 * np.exp(-0.5 * skill)
    # Latent handling quality -> satisfaction 1..5 (only reported once the ticket is resolved).
    remedy = {"refund": 0.9, "replacement": 0.7, "voucher": 0.4, "apology": -0.3, "none": -1.3}[resolution]
    score = (0.8 * skill + remedy - 0.25 * np.log1p(response_min / 60) - 0.15 * resolve_days
             - 0.4 * severity + rng.normal(0, 0.6))
    satisfaction = 1 + int(np.searchsorted([-1.6, -0.8, 0.0, 0.8], score))
    return {
        "opened_at": opened, "first_response_at": first_response,
        "resolved_at": pd.NaT if unresolved else resolved, "channel": tchannel, "category": kind,
        "severity": SEVERITIES[severity], "resolution": None if unresolved else resolution,
        "compensation_cny": np.nan if unresolved else compensation,
        "satisfaction_after": 0 if unresolved else satisfaction,
    }


# Extra chance of dropping out right after a complained-about order, by satisfaction (0 = unresolved).
COMPLAINT_DROPOUT = {0: 0.35, 1: 0.50, 2: 0.35, 3: 0.15, 4: 0.05, 5: 0.02}


def simulate_orders(rng: np.random.Generator, customers: pd.DataFrame) -> tuple[list, list, list]:
    """Run every customer's BG/NBD-style life; return order dicts, ticket dicts, dropout days."""
    orders: list[dict] = []
    tickets: list[dict] = []
    dropout: list[int | None] = []
    columns = ["customer_id", "signup_day", "age", "_lambda", "_p", "_mean_spend", "_cat_mix", "_chan_mix"]
    for cid, signup_day, age, lam, p_drop, mean_spend, cat_w, chan_w in zip(*(customers[c] for c in columns)):
        day_float = float(signup_day)  # the first purchase happens on the signup day
        n_orders, dropped = 0, None
        while True:
            day = int(day_float)
            channel = int(_pick(rng, chan_w))
            amount = max(1.0, round(rng.gamma(ORDER_SPEND_SHAPE, mean_spend / ORDER_SPEND_SHAPE), 2))
            order = {"customer_id": cid, "ts": _order_time(rng, day, channel),
                     "channel": CHANNELS[channel], "category": CATEGORIES[int(_pick(rng, cat_w))],
                     "amount": amount}
            orders.append(order)
            n_orders += 1
            ticket = _complaint(rng, order, int(age))
            extra = 0.0
            if ticket is not None and ticket["opened_at"] < END:
                ticket["order_index"] = len(orders) - 1
                tickets.append(ticket)
                extra = COMPLAINT_DROPOUT[ticket["satisfaction_after"]]
            # BG/NBD: the dropout coin is tossed after every repeat purchase, never after the first.
            p = p_drop if n_orders > 1 else 0.0
            if rng.random() < 1 - (1 - p) * (1 - extra):
                dropped = day
                break
            day_float += rng.exponential(1.0 / lam) * 7.0
            if day_float >= N_DAYS:
                break
        dropout.append(dropped)
    return orders, tickets, dropout


# ---------------------------------------------------------------------------------------------
# Survey
# ---------------------------------------------------------------------------------------------

def make_survey(rng: np.random.Generator, customers: pd.DataFrame, orders: pd.DataFrame,
                tickets: pd.DataFrame) -> pd.DataFrame:
    """Post-purchase survey of ~1,500 customers: NPS and 4C ratings driven by segment and loyalty."""
    last_day = END - pd.Timedelta(days=11)
    eligible = orders[orders["order_date"] < last_day]
    chosen = rng.choice(eligible["customer_id"].unique(), N_SURVEY, replace=False)
    chosen.sort()
    by_cust = eligible.groupby("customer_id")["order_index"].agg(list)
    cust = customers.set_index("customer_id")
    bad_complaint = tickets.loc[tickets["satisfaction_after"].isin([0, 1, 2]), ["order_index", "opened_at"]]
    rows = []
    for cid in chosen:
        c = cust.loc[cid]
        idx_list = by_cust[cid]
        oi = idx_list[int(rng.integers(len(idx_list)))]
        o = orders.loc[oi]
        resp = (o["order_date"].normalize() + pd.Timedelta(days=int(rng.integers(1, 11))))
        leaving = c["_dropout_order"] == oi  # they drop out right after this purchase
        cust_orders = set(idx_list)
        hurt = bool(((bad_complaint["opened_at"] < resp) & bad_complaint["order_index"].isin(cust_orders)).any())
        loyalty = rng.normal(0, 0.7) - 5.0 * (c["_p"] - 0.08) - 1.6 * leaving - 1.2 * hurt
        seg = SEGMENTS[int(c["_seg"])]
        ratings = [int(np.clip(np.round(3.4 + b + 0.6 * loyalty + rng.normal(0, 0.8)), 1, 5)) for b in seg.four_c]
        needs, cost, conv, comm = ratings
        nps = 6.6 + 0.8 * (needs - 3) + seg.cost_weight * (cost - 3) + 0.5 * (conv - 3) + 0.4 * (comm - 3)
        nps = int(np.clip(np.round(nps + 1.2 * loyalty + rng.normal(0, 1.1)), 0, 10))
        rows.append((cid, resp, nps, needs, cost, conv, comm))
    survey = pd.DataFrame(rows, columns=["customer_id", "response_date", "nps", "consumer_needs_fit", "cost",
                                         "convenience", "communication"])
    survey = survey.sort_values(["response_date", "customer_id"], kind="stable").reset_index(drop=True)
    survey.insert(0, "response_id", [f"S{i:05d}" for i in range(1, len(survey) + 1)])
    return survey


# ---------------------------------------------------------------------------------------------
# The messy export
# ---------------------------------------------------------------------------------------------

RAW_DATE_FORMATS = {  # name -> strftime pattern; the last two drop seconds (used only when seconds == 0)
    "iso_t": "%Y-%m-%dT%H:%M:%S",
    "slash_minutes": "%Y/%m/%d %H:%M",
    "dotted_day_first": "%d.%m.%Y %H:%M",
}


def _messy_text(rng: np.random.Generator, value: str) -> str:
    """The same label with stray whitespace and/or different case (never identical to ``value``)."""
    styles = (str.lower, str.upper, str.title, lambda s: s)
    while True:
        text = styles[int(rng.integers(len(styles)))](value)
        text = " " * int(rng.integers(0, 3)) + text + " " * int(rng.integers(0, 3))
        if text != value:
            return text


def make_raw(rng: np.random.Generator, clean: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """Build orders_raw from the clean orders (already formatted as text) and guest/test rows.

    ``clean`` and ``extra`` carry a ``_ts`` column (true timestamp) used for ordering the export.
    """
    n = len(clean)
    raw = pd.concat([clean, extra], ignore_index=True)
    is_clean = np.arange(len(raw)) < n
    seconds_zero = is_clean & (raw["_ts"].dt.second == 0).to_numpy()
    # Mixed date formats: pick disjoint sets of clean rows (lossy formats only where seconds == 0).
    taken = np.zeros(len(raw), dtype=bool)
    for name, share in (("slash_minutes", 0.02), ("dotted_day_first", 0.015), ("iso_t", 0.02)):
        pool = np.flatnonzero((seconds_zero if name != "iso_t" else is_clean) & ~taken)
        idx = np.sort(rng.choice(pool, int(share * n), replace=False))
        raw.loc[idx, "order_date"] = _fmt_ts(raw.loc[idx, "_ts"], RAW_DATE_FORMATS[name]).to_numpy()
        taken[idx] = True
    for col, share in (("category", 0.02), ("channel", 0.02)):
        idx = np.sort(rng.choice(np.flatnonzero(is_clean), int(share * n), replace=False))
        raw.loc[idx, col] = [_messy_text(rng, v) for v in raw.loc[idx, col]]
    # Returns: a later row with negative amount and order id "R" + the original digits.
    ret_idx = np.sort(rng.choice(n, int(0.02 * n), replace=False))
    returns = raw.loc[ret_idx].copy()
    returns["_ts"] = returns["_ts"] + pd.to_timedelta(rng.uniform(3, 21, len(returns)) * 86400, unit="s").floor("s")
    returns = returns[returns["_ts"] < END]
    returns["order_id"] = "R" + returns["order_id"].str[1:]
    returns["order_date"] = _fmt_ts(returns["_ts"]).to_numpy()
    returns["amount"] = "-" + returns["amount"]
    # Exact duplicates and near duplicates come from disjoint sets of clean rows.
    dup_pool = rng.permutation(n)
    exact_idx = np.sort(dup_pool[: int(0.015 * n)])
    near_idx = np.sort(dup_pool[int(0.015 * n): int(0.015 * n) + int(0.012 * n)])
    exact = raw.loc[exact_idx].copy()
    near = raw.loc[near_idx].copy()
    for i in near.index:
        change = int(rng.integers(3))
        if change < 2:
            col = ("category", "channel")[change]
            while near.at[i, col] == raw.at[i, col]:  # must differ from the row it re-exports
                near.at[i, col] = _messy_text(rng, clean.at[i, col])
        else:
            fmt = "%Y-%m-%dT%H:%M:%S" if near.at[i, "_ts"].second else "%Y/%m/%d %H:%M"
            if raw.at[i, "order_date"] == near.at[i, "_ts"].strftime(fmt):
                fmt = "%Y-%m-%d %H:%M:%S"
            near.at[i, "order_date"] = near.at[i, "_ts"].strftime(fmt)
    raw["_order"] = 0
    exact["_order"] = 1
    near["_order"] = 2
    returns["_order"] = 0
    raw = pd.concat([raw, returns, exact, near], ignore_index=True)
    raw = raw.sort_values(["_ts", "_order", "order_id"], kind="stable")
    return raw[["order_id", "customer_id", "order_date", "channel", "category", "amount"]]


def raw_problem_counts(raw: pd.DataFrame) -> dict[str, int]:
    """Rows of the raw export showing each problem, measured on the file (as in datasets/README.md).

    A row can show several problems (a duplicated row may also have a messy category), so the
    counts overlap; the first five are what cleaning removes.
    """
    cid, oid, date = raw["customer_id"], raw["order_id"], raw["order_date"]
    category = raw["category"].str.strip().str.lower()
    exact = raw.duplicated()
    is_test = cid.str.startswith("TEST") | (category == "test")
    return {
        "guest orders (empty customer_id)": int((cid == "").sum()),
        "test orders (customer_id TEST... and/or category test)": int(is_test.sum()),
        "  of which category test": int((category == "test").sum()),
        "returns (order_id R..., negative amount)": int(oid.str.startswith("R").sum()),
        "exact duplicate rows": int(exact.sum()),
        "near duplicates (same order_id, other text)": int(oid[~exact].duplicated().sum()),
        "date as %Y-%m-%dT%H:%M:%S": int(date.str.contains("T").sum()),
        "date as %Y/%m/%d %H:%M": int(date.str.match(r"\d{4}/").sum()),
        "date as %d.%m.%Y %H:%M": int(date.str.match(r"\d{2}\.").sum()),
        "category with stray whitespace/case": int((~raw["category"].isin(CATEGORIES) & (category != "test")).sum()),
        "channel with stray whitespace/case": int((~raw["channel"].isin(CHANNELS)).sum()),
    }


def _extra_orders(rng: np.random.Generator) -> pd.DataFrame:
    """Guest checkouts (no customer id) and internal test orders, which the clean table excludes."""
    n_guest, n_test = 700, 450
    days = np.concatenate([rng.integers(0, N_DAYS, n_guest),
                           rng.choice(rng.integers(0, N_DAYS, 12), n_test)])  # tests cluster on release days
    chan = _pick(rng, np.array([0.15, 0.35, 0.25, 0.25]), n_guest + n_test)
    ts = [_order_time(rng, int(d), int(c)) for d, c in zip(days, chan)]
    cat = [CATEGORIES[int(i)] for i in _pick(rng, np.ones(len(CATEGORIES)), n_guest + n_test)]
    amount = rng.gamma(2.0, 80.0, n_guest + n_test)
    cust = [""] * n_guest
    # Test orders: a TEST account with a normal category, a TEST account with category "test",
    # or a staff member's real account with category "test".
    kinds = _pick(rng, np.array([0.6, 0.2, 0.2]), n_test)
    for j, kind in enumerate(kinds):
        i = n_guest + j
        cust.append(f"TEST{int(rng.integers(1, 6)):03d}" if kind < 2 else f"C{int(rng.integers(1, N_CUSTOMERS + 1)):05d}")
        if kind > 0:
            cat[i] = "test"
        amount[i] = float(rng.choice([0.01, 1.0, 99.0]))
    return pd.DataFrame({"customer_id": cust, "_ts": ts, "channel": [CHANNELS[c] for c in chan],
                         "category": cat, "amount": _fmt_num(np.round(amount, 2) + 0.0, "%.2f")})


# ---------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------

def _membership(orders: pd.DataFrame, customer_ids: pd.Series) -> list[str]:
    """Membership level at export time from spend in the trailing 12 months."""
    recent = orders[orders["order_date"] >= END - pd.DateOffset(years=1)]
    spend = recent.groupby("customer_id")["amount"].sum().reindex(customer_ids, fill_value=0.0)
    return [next(name for name, floor in MEMBERSHIP if s >= floor) for s in spend]


def generate() -> dict[str, pd.DataFrame]:
    """Build every table as text columns, ready to be written."""
    seeds = np.random.SeedSequence(SEED).spawn(5)
    rng_cust, rng_orders, rng_survey, rng_extra, rng_raw = (np.random.default_rng(s) for s in seeds)
    customers = make_customers(rng_cust)
    order_list, ticket_list, dropout = simulate_orders(rng_orders, customers)

    # Order ids follow time over ALL exported orders (clean, guest, test), so clean ids have gaps.
    orders = pd.DataFrame(order_list)
    orders["order_index"] = np.arange(len(orders))
    extra = _extra_orders(rng_extra)
    extra["order_index"] = -1
    timeline = pd.concat([orders.rename(columns={"ts": "_ts"}).assign(_src=0), extra.assign(_src=1)],
                         ignore_index=True)
    timeline["_tiebreak"] = timeline["customer_id"] + "|" + timeline["order_index"].astype(str).str.zfill(6)
    timeline = timeline.sort_values(["_ts", "_src", "_tiebreak"], kind="stable").reset_index(drop=True)
    timeline["order_id"] = [f"O{i:07d}" for i in range(1, len(timeline) + 1)]
    orders = timeline[timeline["_src"] == 0].copy()
    orders["order_date"] = orders["_ts"]
    orders["order_index"] = orders["order_index"].astype(int)
    id_of_index = pd.Series(orders["order_id"].to_numpy(), index=orders["order_index"].to_numpy())

    # The order after which each dropped-out customer left (the last one they placed).
    last_order = orders.groupby("customer_id")["order_index"].max()
    customers["_dropout_order"] = [last_order[c] if d is not None else -1
                                   for c, d in zip(customers["customer_id"], dropout)]

    tickets = pd.DataFrame(ticket_list)
    tickets["order_id"] = id_of_index[tickets["order_index"]].to_numpy()
    tickets["customer_id"] = [order_list[i]["customer_id"] for i in tickets["order_index"]]
    tickets = tickets.sort_values(["opened_at", "order_id"], kind="stable").reset_index(drop=True)
    survey = make_survey(rng_survey, customers, orders.set_index("order_index", drop=False), tickets)

    # --- text tables -------------------------------------------------------------------------
    out: dict[str, pd.DataFrame] = {}
    signup = START + pd.to_timedelta(customers["signup_day"], unit="D")
    out["customers"] = pd.DataFrame({
        "customer_id": customers["customer_id"],
        "signup_date": _fmt_ts(signup, "%Y-%m-%d"),
        "age": customers["age"].astype(str),
        "gender": customers["gender"],
        "city": customers["city"],
        "city_tier": customers["city_tier"].astype(str),
        "acquisition_channel": customers["acquisition_channel"],
        "membership_level": _membership(orders, customers["customer_id"]),
    })
    clean = pd.DataFrame({
        "order_id": orders["order_id"].to_numpy(),
        "customer_id": orders["customer_id"].to_numpy(),
        "order_date": _fmt_ts(orders["_ts"]).to_numpy(),
        "channel": orders["channel"].to_numpy(),
        "category": orders["category"].to_numpy(),
        "amount": _fmt_num(orders["amount"].to_numpy(), "%.2f"),
    })
    out["orders"] = clean
    extra_rows = timeline[timeline["_src"] == 1]
    out["orders_raw"] = make_raw(
        rng_raw, clean.assign(_ts=orders["_ts"].to_numpy()),
        extra_rows[["order_id", "customer_id", "channel", "category", "amount", "_ts"]]
        .assign(order_date=_fmt_ts(extra_rows["_ts"]).to_numpy()).reset_index(drop=True))
    out["complaints"] = pd.DataFrame({
        "ticket_id": [f"T{i:06d}" for i in range(1, len(tickets) + 1)],
        "customer_id": tickets["customer_id"],
        "order_id": tickets["order_id"],
        "opened_at": _fmt_ts(tickets["opened_at"]),
        # Events after the export moment (2025-12-31 24:00) have not happened yet: left empty.
        "first_response_at": _fmt_ts(tickets["first_response_at"].where(tickets["first_response_at"] < END)),
        "resolved_at": _fmt_ts(tickets["resolved_at"].where(tickets["resolved_at"] < END)),
        "channel": tickets["channel"],
        "category": tickets["category"],
        "severity": tickets["severity"],
        "resolution": tickets["resolution"],
        "compensation_cny": _fmt_num(tickets["compensation_cny"].to_numpy(), "%.2f"),
        "satisfaction_after": tickets["satisfaction_after"].astype(str),
    })
    open_at_end = out["complaints"]["resolved_at"] == ""
    comp = out["complaints"]
    comp.loc[open_at_end, ["resolution", "compensation_cny", "satisfaction_after"]] = ""
    out["survey"] = pd.DataFrame({
        "response_id": survey["response_id"], "customer_id": survey["customer_id"],
        "response_date": _fmt_ts(survey["response_date"], "%Y-%m-%d"),
        **{c: survey[c].astype(str) for c in ["nps", "consumer_needs_fit", "cost", "convenience", "communication"]},
    })
    dropout_dates = [(START + pd.Timedelta(days=d)).strftime("%Y-%m-%d") if d is not None else "" for d in dropout]
    out["truth"] = pd.DataFrame({
        "customer_id": customers["customer_id"],
        "segment": customers["_segment"],
        "purchase_rate_per_week": _fmt_num(customers["_lambda"].to_numpy(), "%.4f"),
        "dropout_prob": _fmt_num(customers["_p"].to_numpy(), "%.4f"),
        "dropout_date": dropout_dates,
        "mean_spend": _fmt_num(customers["_mean_spend"].to_numpy(), "%.2f"),
    })
    return out


def write(out_dir: Path) -> dict[str, int]:
    """Generate and write every table to ``out_dir``; return the raw export's problem counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = generate()
    for name in TABLES:
        frame = tables[name].astype(object).fillna("")
        frame.to_csv(out_dir / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
    return raw_problem_counts(tables["orders_raw"])


def check(shipped: Path) -> bool:
    """Regenerate into a temporary folder and compare every table byte for byte with ``shipped``."""
    with tempfile.TemporaryDirectory() as tmp:
        write(Path(tmp))
        same = True
        for name in TABLES:
            a, b = Path(tmp) / f"{name}.csv", shipped / f"{name}.csv"
            ok = b.exists() and filecmp.cmp(a, b, shallow=False)
            print(f"{name}.csv: {'identical' if ok else 'DIFFERS'}")
            same &= ok
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the synthetic retailer data set.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: datasets/retailer)")
    parser.add_argument("--check", action="store_true", help="regenerate into a temp dir and compare with --out")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.check:
        ok = check(args.out)
        print(f"{'OK' if ok else 'DIFFERENT'} ({time.perf_counter() - started:.1f} s)")
        return 0 if ok else 1
    counts = write(args.out)
    for problem, rows in counts.items():
        print(f"{problem}: {rows}")
    print(f"written to {args.out} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
