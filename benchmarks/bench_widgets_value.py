"""Benchmark: one update of the value-matrix explorer must answer in under 100 ms.

Usage::

    python benchmarks/bench_widgets_value.py [--repeat 20] [--limit-ms 100]

Times, on the shipped retailer data (the workbook's inputs), (1) the computation behind one slider
move (:func:`cvmlib.widgets.value_explorer_tables`) and (2) the full update the kernel does: the
tables plus their rendering to the HTML sent to the browser
(:func:`cvmlib.widgets.value_explorer_views`, ``Styler.to_html``). Browser painting is not
included. Reports the median and the worst of ``--repeat`` updates at varying slider positions;
exits with status 1 when the worst full update exceeds ``--limit-ms``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
from cvmlib.exercises.value import BUDGET, SERVICE_WEIGHTS, matrix_inputs  # noqa: E402
from cvmlib.widgets import value_explorer_tables, value_explorer_views  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--limit-ms", type=float, default=100.0)
    args = parser.parse_args(argv)

    current, potential = matrix_inputs()
    positions = [(1000.0 + 100 * i, 2000.0 + 150 * i, (0.7 + 0.01 * i, 0.9 + 0.004 * i)) for i in range(args.repeat)]

    compute = []
    for cur_t, pot_t, cuts in positions:
        start = time.perf_counter()
        value_explorer_tables(current, potential, cur_t, pot_t, cuts, BUDGET, SERVICE_WEIGHTS)
        compute.append((time.perf_counter() - start) * 1000)

    full = []
    html_sizes = []
    for cur_t, pot_t, cuts in positions:
        start = time.perf_counter()
        html = [view.to_html() for view in
                value_explorer_views(current, potential, cur_t, pot_t, cuts, BUDGET, SERVICE_WEIGHTS)]
        full.append((time.perf_counter() - start) * 1000)
        html_sizes.append(sum(map(len, html)))
    rendered = len(html)

    print(f"customers={len(current):,} updates={args.repeat} tables per update={rendered} html={max(html_sizes):,} chars")
    print(f"computation: median {statistics.median(compute):.1f} ms, worst {max(compute):.1f} ms")
    print(f"full update: median {statistics.median(full):.1f} ms, worst {max(full):.1f} ms (limit {args.limit_ms:.0f} ms)")
    return 0 if max(full) <= args.limit_ms else 1


if __name__ == "__main__":
    sys.exit(main())
