"""Benchmark of ``cvm report``: the whole report on the retailer, and on 5,000,000 simulated transactions.

Prints the time of every step (from the command's own progress lines) and the total; exits non-zero when
the simulated report takes longer than ``--limit`` seconds (default 60). The simulation is seeded: a
BG/NBD-like population (Gamma purchase rates, Beta dropout) over two years, one row per order, written
once to Parquet by DuckDB under ``_build/bench-data/``.

Usage: ``.venv/bin/python benchmarks/bench_report.py [--rows 5000000] [--limit 60] [--skip-retailer]``
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cvmlib.report.cli import main  # noqa: E402


def simulate(rows: int, seed: int = 13) -> pd.DataFrame:
    """About ``rows`` orders of a BG/NBD-like population over 2024-2025 (seeded)."""
    rng = np.random.default_rng(seed)
    customers = max(1000, rows // 20)
    days = 731
    start = rng.integers(0, days // 2, customers)                        # first purchase day
    rate = rng.gamma(0.9, 1 / 20.0, customers)                           # purchases per day while alive
    life = rng.exponential(1 / rng.beta(1.0, 200.0, customers).clip(1e-4))  # days alive
    span = np.minimum(life, days - start)
    counts = 1 + rng.poisson(rate * span)
    scale = rows / counts.sum()
    counts = np.maximum(1, np.round(counts * scale).astype(np.int64))
    who = np.repeat(np.arange(customers), counts)
    first = np.repeat(start, counts)
    offset = (rng.random(who.size) * np.repeat(span, counts)).astype(np.int64)
    offset[np.r_[0, np.cumsum(counts)[:-1]]] = 0                        # the first purchase itself
    day = first + offset
    seconds = rng.integers(8 * 3600, 23 * 3600, who.size)
    when = (np.datetime64("2024-01-01") + day.astype("timedelta64[D]")).astype("datetime64[s]") + seconds
    spend = np.round(rng.lognormal(np.repeat(rng.normal(4.5, 0.5, customers), counts), 0.6), 2) + 0.01
    return pd.DataFrame({"order_id": np.char.add("O", np.arange(who.size).astype("U9")),
                         "customer_id": np.char.add("C", who.astype("U8")),
                         "order_date": when, "amount": spend})


def run(path: Path, *extra: str) -> tuple[float, dict[str, float]]:
    out = Path(tempfile.mkdtemp(prefix="bench-report-")) / "r"
    err = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["report", str(path), "--out", str(out), *extra])
    total = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"report failed on {path}:\n{err.getvalue()}")
    steps = {m.group(1): float(m.group(2)) for m in re.finditer(r"^  (.+): ([\d.]+) s$", err.getvalue(), re.M)}
    return total, steps


def show(name: str, total: float, steps: dict[str, float]) -> None:
    print(f"{name}: {total:.1f} s")
    for step, seconds in steps.items():
        print(f"    {step:<45} {seconds:6.1f} s")


def main_bench() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--skip-retailer", action="store_true")
    args = parser.parse_args()
    if not args.skip_retailer:
        show("retailer orders.csv (42k rows)", *run(ROOT / "datasets" / "retailer" / "orders.csv"))
        show("retailer orders_raw.csv (45k rows, zh)", *run(ROOT / "datasets" / "retailer" / "orders_raw.csv",
                                                            "--returns", "net", "--lang", "zh"))
    folder = ROOT / "_build" / "bench-data"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"report-sim-{args.rows}.parquet"
    if not path.exists():
        import duckdb

        start = time.perf_counter()
        frame = simulate(args.rows)
        con = duckdb.connect()
        con.register("tx", frame)
        con.execute(f"COPY tx TO '{path}' (FORMAT parquet)")
        print(f"simulated {len(frame):,} transactions in {time.perf_counter() - start:.1f} s -> {path}")
    total, steps = run(path, "--snapshot", "2026-01-01")
    show(f"simulated {args.rows:,} transactions (Parquet)", total, steps)
    ok = total < args.limit
    print(f"{'OK' if ok else 'TOO SLOW'}: {total:.1f} s (limit {args.limit:.0f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main_bench())
