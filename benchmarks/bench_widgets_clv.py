"""Benchmark: one update of the CLV calculator must answer in under 100 ms.

Usage::

    python benchmarks/bench_widgets_clv.py [--repeat 20] [--limit-ms 100]

Times the full update the kernel does for one slider move: the numbers
(:func:`cvmlib.widgets.clv_calculator_table`), the table rendered to HTML and the figure drawn and
encoded as the PNG sent to the browser (:func:`cvmlib.widgets.clv_calculator_views`). Browser
painting is not included. Reports the median and the worst of ``--repeat`` updates at varying
slider positions (horizons up to the slider's maximum, 120 periods); exits with status 1 when the
worst update exceeds ``--limit-ms``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
from cvmlib.widgets import clv_calculator_views  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--limit-ms", type=float, default=100.0)
    args = parser.parse_args(argv)

    positions = [(20.0 + 10 * i, 0.5 + 0.02 * i, 0.002 * i, 6 * (i + 1)) for i in range(args.repeat)]
    clv_calculator_views(*positions[0])  # warm-up: font cache, first figure
    plt.close("all")
    full = []
    for margin, retention, discount, horizon in positions:
        start = time.perf_counter()
        view, fig = clv_calculator_views(margin, retention, discount, horizon)
        view.to_html()
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
        full.append((time.perf_counter() - start) * 1000)
    print(f"updates={args.repeat} horizons up to {positions[-1][3]} periods")
    print(f"full update: median {statistics.median(full):.1f} ms, worst {max(full):.1f} ms (limit {args.limit_ms:.0f} ms)")
    return 0 if max(full) <= args.limit_ms else 1


if __name__ == "__main__":
    sys.exit(main())
