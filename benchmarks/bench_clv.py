"""Benchmark: cvmlib.clv against lifetimes 0.11.3 (the reference Python BTYD library).

Usage::

    python benchmarks/bench_clv.py [--quick] [--skip-lifetimes-clv]

lifetimes is archived and needs old pandas/numpy, so it runs in its OWN virtual environment,
``_build/bench-lifetimes/`` (created on first use with the pinned versions in
``LIFETIMES_PINS``; pip needs a package index). Each lifetimes task runs in a subprocess of that
environment, which times itself; the same inputs are written once to ``.npz`` files so both
sides get identical data, and outside the timed region each side builds its own DataFrame.
Results are compared (parameters, log-likelihood, summary totals) before any ratio is trusted.

Tasks and targets (the script exits 1 when a target fails):

* BG/NBD fit, 1,000,000 customers simulated from the model at day resolution (purchases
  collapsed per calendar day, as the BTYD summary does; recency and T in weeks of whole days):
  cvmlib >= 30x faster.
* Pareto/NBD fit, 235,700 customers simulated from the model at day resolution (the same
  collapse; parameters near the CDNOW fit, 1-546 days of observation): cvmlib >= 30x faster.
* BTYD summary of 5,000,000 transactions (500,000 customers, 2 years, times of day):
  ``summarize_purchases`` vs ``summary_data_from_transaction_data(freq="D",
  freq_multiplier=7)``: cvmlib >= 5x faster.
* CLV of 1,000,000 customers, 12 monthly periods: time and tracemalloc peak reported; the peak
  must stay under ``--max-clv-mb`` (bounded memory). lifetimes' ``customer_lifetime_value`` is
  timed for reference (no target; skip with ``--skip-lifetimes-clv``); its total must agree
  with ours within 0.5% (its month is 4.345 weeks = 30.415 days, ours 30.4375 days).

cvmlib's times are the best of ``--repeat`` runs; lifetimes runs once (it is the slow side, so
one run favours it if anything). cvmlib fits on the distinct (frequency, recency, T) rows with
their counts as weights; lifetimes receives the one-row-per-customer arrays it is normally
called with -- that difference is the point of the design, and it is stated here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from collections.abc import Callable
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / "_build" / "bench-lifetimes"
LIFETIMES_PINS = ["lifetimes==0.11.3", "pandas==1.5.3", "numpy==1.26.4", "scipy==1.11.4",
                  "autograd==1.6.2", "dill==0.4.1", "setuptools<81"]
MONTH_DAYS = 30.4375


# ------------------------------------------------------------------ the lifetimes side
# Runs inside the lifetimes environment: only numpy, pandas and lifetimes are imported there.


def _lifetimes_side(task: str, data_path: str, out_path: str) -> None:
    import warnings

    import pandas as pd
    warnings.simplefilter("ignore")
    from lifetimes import BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter
    from lifetimes.utils import summary_data_from_transaction_data

    d = dict(np.load(data_path))
    out: dict[str, Any] = {}
    if task in ("bgnbd", "pnbd"):
        model = BetaGeoFitter() if task == "bgnbd" else ParetoNBDFitter()
        start = time.perf_counter()
        model.fit(d["frequency"], d["recency"], d["T"])
        out["seconds"] = time.perf_counter() - start
        out["params"] = {k: float(v) for k, v in model.params_.items()}
        ll = model._negative_log_likelihood_ if hasattr(model, "_negative_log_likelihood_") else None
        out["mean_ll"] = None if ll is None else -float(ll)
    elif task == "summary":
        tx = pd.DataFrame({"customer_id": d["customer"].astype(str),
                           "date": pd.to_datetime(d["date_ns"]), "amount": d["amount"]})
        start = time.perf_counter()
        s = summary_data_from_transaction_data(
            tx, "customer_id", "date", monetary_value_col="amount",
            observation_period_end=pd.Timestamp(str(d["end"])), freq="D", freq_multiplier=7)
        out["seconds"] = time.perf_counter() - start
        out["totals"] = {c: float(s[c].sum()) for c in ("frequency", "recency", "T",
                                                        "monetary_value")}
        out["rows"] = len(s)
    elif task == "clv":
        bg, gg = BetaGeoFitter(), GammaGammaFitter()
        bg.params_ = pd.Series(json.loads(str(d["bg_params"])))
        bg.predict = bg.conditional_expected_number_of_purchases_up_to_time  # as fit() does
        ggp = json.loads(str(d["gg_params"]))
        gg.params_ = pd.Series({"p": ggp["p"], "q": ggp["q"], "v": ggp["gamma"]})
        start = time.perf_counter()
        # freq="W": recency/T in weeks; lifetimes' month is then 4.345 weeks (30.415 days)
        clv = gg.customer_lifetime_value(bg, pd.Series(d["frequency"]), pd.Series(d["recency"]),
                                         pd.Series(d["T"]), pd.Series(d["monetary_value"]),
                                         time=12, discount_rate=0.01, freq="W")
        out["seconds"] = time.perf_counter() - start
        out["total"] = float(np.sum(clv))
    Path(out_path).write_text(json.dumps(out))


# ------------------------------------------------------------------ environment


def ensure_lifetimes_env() -> Path:
    """Python of the lifetimes environment, created with the pinned versions when missing."""
    python = VENV / "bin" / "python"
    ready = VENV / ".installed"  # written last: a half-built environment is rebuilt
    if not ready.exists():
        print(f"creating {VENV} with {' '.join(LIFETIMES_PINS)} ...", flush=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "-q", *LIFETIMES_PINS],
                           check=True)
        except subprocess.CalledProcessError as exc:
            sys.exit(f"bench_clv: could not build the lifetimes environment ({exc}); it needs "
                     f"a package index for: {' '.join(LIFETIMES_PINS)}")
        ready.write_text(" ".join(LIFETIMES_PINS) + "\n")
    return python


def run_lifetimes(python: Path, task: str, data: dict[str, Any], workdir: Path) -> dict[str, Any]:
    data_path, out_path = workdir / f"{task}_in.npz", workdir / f"{task}_out.json"
    np.savez(data_path, **data)
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    subprocess.run([str(python), __file__, "--lifetimes-side", task, str(data_path),
                    str(out_path)], check=True, env=env, cwd=workdir)
    result: dict[str, Any] = json.loads(out_path.read_text())
    return result


# ------------------------------------------------------------------ data


def simulate_bgnbd(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """BTYD summary (weeks, whole days) of n customers simulated from a BG/NBD model.

    The first purchase is at time 0 (day 0); purchases are collapsed per calendar day (day =
    floor of the time in days), so a same-day repeat adds no repeat purchase period -- exactly
    what :func:`cvmlib.clv.summarize_purchases` does with dated transactions. Dropout chances
    come with every purchase, as in the model.
    """
    rng = np.random.default_rng(seed)
    r, alpha, a, b = 0.25, 4.0, 0.8, 2.5  # per week: close to the CDNOW fit
    lam = rng.gamma(r, 1 / alpha, n) / 7  # per day
    p = rng.beta(a, b, n)
    big_t = rng.integers(1, 365, n).astype(float)  # days since the first purchase
    clock, last_day = np.zeros(n), np.zeros(n)
    x = np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        idx = np.flatnonzero(active)
        clock[idx] += rng.exponential(1 / lam[idx])
        bought = clock[idx] <= big_t[idx]
        hit = idx[bought]
        day = np.floor(clock[hit])
        new_day = day > last_day[hit]  # a second purchase on the same day is the same period
        x[hit[new_day]] += 1
        last_day[hit] = day
        active[idx[~bought]] = False
        active[hit] = rng.random(hit.size) >= p[hit]
    return {"frequency": x, "recency": last_day / 7, "T": big_t / 7}


def simulate_pnbd(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """BTYD summary (weeks, whole days) of n customers simulated from a Pareto/NBD model,
    purchases collapsed per calendar day as in :func:`simulate_bgnbd`."""
    rng = np.random.default_rng(seed)
    r, alpha, s, beta = 0.55, 10.6, 0.61, 11.7  # per week: the CDNOW fit
    lam = rng.gamma(r, 1 / alpha, n) / 7  # per day
    lifetime = rng.exponential(1 / (rng.gamma(s, 1 / beta, n) / 7))  # days
    big_t = rng.integers(1, 547, n).astype(float)
    active = np.minimum(lifetime, big_t)
    count = rng.poisson(lam * active)  # Poisson purchases while alive and observed
    who = np.repeat(np.arange(n), count)
    day = np.floor(rng.random(who.size) * active[who])  # given their number, uniform times
    pairs = np.unique(who[day > 0] * 1_000 + day[day > 0].astype(np.int64))  # distinct (customer, day >= 1)
    cust, d = pairs // 1_000, pairs % 1_000
    x = np.bincount(cust, minlength=n).astype(float)
    recency = np.zeros(n)
    np.maximum.at(recency, cust, d)
    return {"frequency": x, "recency": recency / 7, "T": big_t / 7}


def transactions(rows: int, customers: int, seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    cust = rng.integers(0, customers, rows)
    start = np.datetime64("2024-01-01T00:00:00", "ns").astype(np.int64)
    seconds = rng.integers(0, 731 * 86_400, rows)
    return {"customer": np.char.add("C", np.char.zfill(cust.astype(str), 7)),
            "date_ns": start + seconds * 1_000_000_000,
            "amount": rng.gamma(2.0, 60.0, rows).round(2) + 0.01,
            "end": np.array("2025-12-31")}


# ------------------------------------------------------------------ cvmlib side


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Best wall time of ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


class Bench:
    """Runs the tasks, prints one line per task and collects failed targets."""

    def __init__(self, python: Path, work: Path, repeat: int, scale: int) -> None:
        self.python, self.work, self.repeat, self.scale = python, work, repeat, scale
        self.lines: list[str] = []
        self.failures: list[str] = []

    def report(self, name: str, ours: float, theirs: float | None, target: float | None,
               extra: str = "") -> None:
        ratio = None if theirs is None else theirs / ours
        text = (f"{name:<36} cvmlib {ours:7.3f} s   lifetimes "
                + ("  (skipped)" if theirs is None else f"{theirs:7.2f} s   ratio {ratio:5.1f}x")
                + (f"   target >= {target:g}x" if target else "") + extra)
        ok = target is None or ratio is None or ratio >= target
        if not ok:
            self.failures.append(name)
        self.lines.append(text + ("" if ok else "   FAIL"))
        print(self.lines[-1], flush=True)

    def bgnbd(self) -> Any:
        from cvmlib.clv import BetaGeo

        d = simulate_bgnbd(1_000_000 // self.scale)
        ours, bg = best_of(self.repeat, lambda: BetaGeo().fit(d["frequency"], d["recency"],
                                                               d["T"]))
        lt = run_lifetimes(self.python, "bgnbd", d, self.work)
        for k, v in bg.params_.items():  # the same optimum, or the timing means nothing
            if abs(v - lt["params"][k]) > 1e-3 * abs(v):
                self.failures.append(f"BG/NBD {k} differs: {v} vs {lt['params'][k]}")
        rows = len(np.unique(np.c_[d["frequency"], d["recency"], d["T"]], axis=0))
        self.report(f"BG/NBD fit, {d['T'].size:,} customers", ours, lt["seconds"], 30,
                    f"   ({rows:,} distinct rows)")
        print(f"    cvmlib    {_fmt(bg.params_)}\n    lifetimes {_fmt(lt['params'])}")
        return bg

    def pnbd(self) -> None:
        from cvmlib.clv import ParetoNBD

        d = simulate_pnbd(235_700 // self.scale)
        ours, pn = best_of(self.repeat, lambda: ParetoNBD().fit(d["frequency"], d["recency"],
                                                                 d["T"]))
        lt = run_lifetimes(self.python, "pnbd", d, self.work)
        ref = ParetoNBD()
        ref.params_ = lt["params"]
        ll_theirs = ref.log_likelihood(d["frequency"], d["recency"], d["T"]).sum()
        if pn.log_likelihood_ < ll_theirs - 0.05:  # the surface is flat: compare by LL
            self.failures.append(f"Pareto/NBD: cvmlib LL {pn.log_likelihood_:.3f} below "
                                 f"lifetimes' {ll_theirs:.3f}")
        rows = len(np.unique(np.c_[d["frequency"], d["recency"], d["T"]], axis=0))
        self.report(f"Pareto/NBD fit, {d['T'].size:,} customers", ours, lt["seconds"], 30,
                    f"   ({rows:,} distinct rows)")
        print(f"    cvmlib    {_fmt(pn.params_)} LL {pn.log_likelihood_:.3f}\n"
              f"    lifetimes {_fmt(lt['params'])} LL {ll_theirs:.3f}")

    def summary(self) -> None:
        import warnings

        import pandas as pd

        from cvmlib.clv import summarize_purchases

        d = transactions(5_000_000 // self.scale, 500_000 // self.scale)
        frame = pd.DataFrame({"customer_id": pd.array(d["customer"], dtype="str"),
                              "order_date": pd.to_datetime(d["date_ns"]),
                              "amount": d["amount"]})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours, s = best_of(self.repeat, lambda: summarize_purchases(
                frame, "customer_id", "order_date", "amount", observation_end="2025-12-31",
                unit="W"))
        lt = run_lifetimes(self.python, "summary", d, self.work)
        for c, v in lt["totals"].items():
            if not np.isclose(s[c].sum(), v, rtol=1e-9):
                self.failures.append(f"summary column {c} differs: {s[c].sum()} vs {v}")
        if lt["rows"] != len(s):
            self.failures.append(f"summary rows differ: {len(s)} vs {lt['rows']}")
        self.report(f"summary, {len(frame):,} transactions", ours, lt["seconds"], 5)

    def clv(self, bg: Any, max_mb: float, skip_lifetimes: bool) -> None:
        import tracemalloc

        from cvmlib.clv import GammaGamma, customer_lifetime_value

        d = simulate_bgnbd(1_000_000 // self.scale, seed=1)
        rng = np.random.default_rng(3)
        d["monetary_value"] = np.where(d["frequency"] > 0, rng.gamma(6.0, 6.0, d["T"].size), 0.0)
        gg = GammaGamma()
        gg.params_ = {"p": 6.25, "q": 3.74, "gamma": 15.44}
        inputs = (d["frequency"], d["recency"], d["T"], d["monetary_value"])

        def run() -> np.ndarray:
            out: np.ndarray = customer_lifetime_value(bg, gg, *inputs, horizon=12,
                                                      discount_rate=0.01, unit="W", period="M")
            return out

        tracemalloc.start()
        run()
        peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        ours, clv = best_of(self.repeat, run)  # timed without tracemalloc's overhead
        theirs = None
        if not skip_lifetimes:
            lt = run_lifetimes(self.python, "clv", {**d, "bg_params": json.dumps(bg.params_),
                                                    "gg_params": json.dumps(gg.params_)},
                               self.work)
            theirs = lt["seconds"]
            # lifetimes' month is 30.415 days, ours 30.4375: totals agree closely, not exactly
            print(f"    total 12-month CLV: cvmlib {clv.sum():,.0f}, lifetimes {lt['total']:,.0f}")
            if not np.isclose(clv.sum(), lt["total"], rtol=5e-3):
                self.failures.append("CLV totals differ by more than 0.5%")
        if peak_mb > max_mb:
            self.failures.append(f"CLV peak memory {peak_mb:.0f} MB > {max_mb:g} MB")
        self.report(f"CLV 12 months, {clv.size:,} customers", ours, theirs, None,
                    f"   peak {peak_mb:.0f} MB (limit {max_mb:g})")


def _fmt(params: dict[str, float]) -> str:
    return ", ".join(f"{k}={v:.4f}" for k, v in params.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller inputs (smoke test)")
    parser.add_argument("--repeat", type=int, default=3, help="cvmlib runs per task (best)")
    parser.add_argument("--tasks", default="bgnbd,pnbd,summary,clv",
                        help="comma-separated subset of bgnbd,pnbd,summary,clv")
    parser.add_argument("--skip-lifetimes-clv", action="store_true")
    parser.add_argument("--max-clv-mb", type=float, default=400.0)
    parser.add_argument("--lifetimes-side", nargs=3, metavar=("TASK", "IN", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.lifetimes_side:
        _lifetimes_side(*args.lifetimes_side)
        return 0

    sys.path.insert(0, str(ROOT))  # run from a checkout
    tasks = set(args.tasks.split(","))
    python = ensure_lifetimes_env()
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(python, Path(tmp), args.repeat, 10 if args.quick else 1)
        if "bgnbd" in tasks:
            bg = bench.bgnbd()
        else:  # the CLV task needs a fitted model: the CDNOW weekly fit
            from cvmlib.clv import BetaGeo
            bg = BetaGeo()
            bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        if "pnbd" in tasks:
            bench.pnbd()
        if "summary" in tasks:
            bench.summary()
        if "clv" in tasks:
            bench.clv(bg, args.max_clv_mb, args.skip_lifetimes_clv)
    print("\n".join(["", "summary:", *bench.lines]))
    if bench.failures:
        print("FAILED: " + "; ".join(bench.failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
