"""Benchmark: one update of the Johari window widget must answer in under 100 ms.

Usage::

    python benchmarks/bench_widgets_communication.py [--repeat 50] [--limit-ms 100]

Builds the widget with the workbook's traits and selections (:func:`cvmlib.widgets.johari_window`)
and times the full kernel-side update of one control change: the panes
(:func:`cvmlib.communication.johari_panes`) and their HTML. Browser painting is not included.
Reports the median and the worst of ``--repeat`` updates, alternating the vote threshold and one
colleague's selection; exits with status 1 when the worst update exceeds ``--limit-ms``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
from cvmlib.exercises.communication import JOHARI_MIN_VOTES, JOHARI_OTHERS, JOHARI_SELF, JOHARI_TRAITS  # noqa: E402
from cvmlib.widgets import johari_window  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--limit-ms", type=float, default=100.0)
    args = parser.parse_args(argv)

    box = johari_window(JOHARI_TRAITS, JOHARI_SELF, JOHARI_OTHERS, min_votes=JOHARI_MIN_VOTES)
    pickers, votes, view = box.children
    colleague = pickers.children[1].children[1]  # (label, list) of colleague 1
    times = []
    for i in range(args.repeat):
        before = view.value
        start = time.perf_counter()
        if i % 2:
            votes.value = 1 if votes.value != 1 else 2
        else:
            colleague.value = JOHARI_TRAITS[: 1 + i % len(JOHARI_TRAITS)]
        times.append((time.perf_counter() - start) * 1000)
        if view.value == before and i % 2:
            print("the panes did not change after a vote-threshold change")
            return 1
    print(f"traits={len(JOHARI_TRAITS)} colleagues={len(JOHARI_OTHERS)} updates={args.repeat}")
    print(f"full update: median {statistics.median(times):.2f} ms, worst {max(times):.2f} ms (limit {args.limit_ms:.0f} ms)")
    return 0 if max(times) <= args.limit_ms else 1


if __name__ == "__main__":
    sys.exit(main())
