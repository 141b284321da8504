"""Benchmark: a click on Check in an answer form must answer in under 100 ms.

Usage::

    python benchmarks/bench_widgets_answer.py [--repeat 10] [--limit-ms 100] [--topics communication complaints]

For every exercise with an answer form in the no-code chapters, builds the widget
(:func:`cvmlib.widgets.answer_form`, as its workbook cell does), fills in a wrong answer (the first
near miss the form can express, else the blank form) and the right one in turn, and times the whole
kernel-side work of one click on Check: reading the widgets, turning the value into the answer,
:func:`cvmlib.exercises.check` (the comparison, the named mistakes, the progress log read and
written) and the feedback HTML. Browser painting is not included.

The baseline, measured in the same run on the same answers, is what a coder's check cell does:
``check(id, answer)`` alone. The report gives, per exercise, the median and the worst click and the
baseline median, and the ratio click / baseline over all clicks (the cost of the form itself). The
progress log goes to a temporary folder. Exits with status 1 when the worst click exceeds ``--limit-ms``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
os.environ["CVM_PROGRESS_DIR"] = tempfile.mkdtemp(prefix="cvm-bench-answer-")  # never the course's own log
os.environ.pop("CVM_PROGRESS", None)

from cvmlib.exercises import check, exercise_ids, get_exercise  # noqa: E402
from cvmlib.forms import FormValueError  # noqa: E402
from cvmlib.widgets import answer_form  # noqa: E402


def _values(exercise_id: str) -> list[object]:
    """A wrong value and the right one of the exercise's form."""
    exercise = get_exercise(exercise_id)
    form = exercise.form
    assert form is not None
    wrong = form.blank()
    for near in exercise.near_misses() if exercise.near_misses is not None else ():
        try:
            wrong = form.value_for(near)
        except FormValueError:
            continue
        break
    return [wrong, form.value_for(exercise.expected())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="clicks per value (wrong, right) and exercise")
    parser.add_argument("--limit-ms", type=float, default=100.0)
    parser.add_argument("--topics", nargs="+", default=["communication", "complaints"])
    args = parser.parse_args(argv)

    ids = [i for topic in args.topics for i in exercise_ids(topic) if get_exercise(i).form is not None]
    clicks_all: list[float] = []
    base_all: list[float] = []
    worst = 0.0
    print(f"{'exercise':40s} {'build':>8s} {'click median':>13s} {'worst':>8s} {'check() median':>15s}")
    for exercise_id in ids:
        start = time.perf_counter()
        box = answer_form(exercise_id)
        build = (time.perf_counter() - start) * 1000
        clicks, base = [], []
        for value in _values(exercise_id):
            box.set_value(value)
            answer = box.answer()
            for _ in range(args.repeat):
                start = time.perf_counter()
                box.check_button.click()
                clicks.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                check(exercise_id, answer)
                base.append((time.perf_counter() - start) * 1000)
        worst = max(worst, max(clicks))
        clicks_all += clicks
        base_all += base
        print(f"{exercise_id:40s} {build:6.1f}ms {statistics.median(clicks):11.2f}ms {max(clicks):6.2f}ms "
              f"{statistics.median(base):13.2f}ms")
    ratio = sum(clicks_all) / sum(base_all)
    print(f"forms={len(ids)} clicks={len(clicks_all)}: click median {statistics.median(clicks_all):.2f} ms, "
          f"worst {worst:.2f} ms (limit {args.limit_ms:.0f} ms); baseline check() median "
          f"{statistics.median(base_all):.2f} ms; click / baseline = {ratio:.2f}")
    return 0 if worst <= args.limit_ms else 1


if __name__ == "__main__":
    sys.exit(main())
