"""Time each workbook end to end (fresh kernel, every cell) against the 10 s classroom limit.

Usage: ``python benchmarks/time_workbooks.py [--limit 10]``; exits 1 if any workbook is slower.
The kernel start-up is reported separately: it is paid once when a participant opens the notebook.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def time_notebook(path: Path) -> tuple[float, float]:
    """Return (kernel start-up seconds, cell execution seconds) for one notebook."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        started = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        done = time.perf_counter()
    return started - start, done - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=10.0, help="seconds of cell execution per workbook")
    args = parser.parse_args(argv)
    slow = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        startup, cells = time_notebook(path)
        print(f"{path.name:34s} kernel start {startup:5.2f} s | cells {cells:5.2f} s | total {startup + cells:5.2f} s (limit {args.limit:.0f} s)")
        if startup + cells > args.limit:
            slow.append(path.name)
    if slow:
        print("over the limit:", ", ".join(slow))
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
