"""Benchmark: one update of the lifecycle chapter's explorers must answer in under 100 ms.

Usage::

    python benchmarks/bench_widgets_lifecycle.py [--repeat 20] [--limit-ms 100]

Times, on the shipped retailer data (the workbook's inputs, snapshot 2026-01-01), the full update the
kernel does on a slider move: (1) the stage-rule explorer re-applies the rules to the per-customer facts
(computed once, as the explorer does) and renders the stage table to HTML
(:func:`cvmlib.widgets.lifecycle.stage_rule_view`, ``Styler.to_html``), with and without P(alive); (2) the
sample-size explorer computes its table for a new baseline and effect. Browser painting is not included.
Reports the median and the worst of ``--repeat`` updates at varying slider positions; exits with status 1
when a worst update exceeds ``--limit-ms``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
from cvmlib.acquisition import customer_clv  # noqa: E402
from cvmlib.datasets import load_orders  # noqa: E402
from cvmlib.lifecycle import StageRules, stage_facts  # noqa: E402
from cvmlib.widgets.lifecycle import sample_size_table, stage_rule_view  # noqa: E402

SNAPSHOT = pd.Timestamp("2026-01-01")


def _worst(times: list[float]) -> str:
    return f"median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--limit-ms", type=float, default=100.0)
    args = parser.parse_args(argv)

    orders = load_orders()
    facts = stage_facts(orders, SNAPSHOT)
    alive = customer_clv(orders, snapshot_date=SNAPSHOT)["p_alive"]
    positions = [StageRules(new_days=60 + 3 * i, mature_orders=3 + i % 5, at_risk_days=60 + 5 * i,
                            lapsed_days=200 + 5 * i, won_back_days=60 + 2 * i) for i in range(args.repeat)]
    timings: dict[str, list[float]] = {"stage rules": [], "stage rules with P(alive)": [], "sample size": []}
    for i, rules in enumerate(positions):
        for name, given in (("stage rules", None), ("stage rules with P(alive)", alive)):
            start = time.perf_counter()
            stage_rule_view(facts, rules, given).to_html()
            timings[name].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        sample_size_table(0.05 + 0.01 * i, [0.01, 0.02, 0.03, 0.05], power=0.8 + 0.005 * i)
        timings["sample size"].append((time.perf_counter() - start) * 1000)

    print(f"customers={len(facts):,} updates={args.repeat} (limit {args.limit_ms:.0f} ms)")
    for name, times in timings.items():
        print(f"{name}: {_worst(times)}")
    return 0 if all(max(times) <= args.limit_ms for times in timings.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
