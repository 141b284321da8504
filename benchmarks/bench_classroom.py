"""Benchmark: a classroom of 30 participants on one machine; every one must get a first check result.

Usage::

    python benchmarks/bench_classroom.py [--participants 30] [--concurrency 5] [--limit-p95 10] [--keep]

Starts the real classroom (``python -m cvmlib.classroom serve``: JupyterHub, its proxy, the class
report) on 127.0.0.1 with a temporary room, then drives participants over HTTP the way their
browsers do (:mod:`cvmlib.classroom.client`). Each participant signs in, their workspace starts,
they open the workbook (``rfm.ipynb``: a kernel starts), type the right answer to its first
exercise and run its cells from the top up to and including the first ``check(...)`` cell, and
read the check's result.

First a **baseline**: one participant alone in the room, then their workspace is stopped, three times
(``--baseline-runs``; the median run is shown: one run on a shared machine is noise). Then
the **class**: ``--participants`` people arriving together, at most ``--concurrency`` of them
signing in and starting at the same moment (a room does not click in the same second; the rest
wait their turn, and that wait is not counted), all of them staying in the room to the end.

Printed, for the baseline and the class (median p50 and p95 over the participants):

* sign-in: the form sent until the hub answered;
* workspace start: from the hub's spawn page to JupyterLab answering (home prepared, server started);
* time to first check result: from opening the workbook (the kernel starting) to the check's answer:
  the wait a participant has after JupyterLab is there;
* arrival to result: sign-in + start + first check;
* memory per participant: resident memory (RSS, and PSS, which shares common pages fairly) of each
  single-user server plus its kernel, measured when all are running (psutil, else /proc), and the
  CPU time each used from its start to its first check result (what sizes a room's cores);
* whether every participant got a result and the hub still answers; the hub's start-up time.

Exits with status 1 if a participant got no result, the hub stopped answering, or the class's p95
time to first check result exceeds ``--limit-p95`` seconds (the target: 10 s on a 2-core machine).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout
import nbformat  # noqa: E402
import requests  # noqa: E402

from cvmlib.classroom.client import Participant, RunningClassroom, first_check_cells, start_classroom  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ROOM_PASSWORD, INSTRUCTOR_PASSWORD = "bench-room", "bench-teach"
SERVER_MODULE = "cvmlib.classroom.singleuser"


@dataclass
class Attendance:
    """What happened to one participant."""

    name: str
    sign_in: float = float("nan")
    start: float = float("nan")
    first_check: float = float("nan")
    total: float = float("nan")
    result: str = ""
    error: str = ""
    cells: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error and "[rfm.recency] Correct" in self.result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(workbook: str) -> dict[str, str]:
    """Cell id -> the course's worked answer, for every solution cell of the source notebook."""
    source = nbformat.read(ROOT / "notebooks" / workbook, as_version=4)
    return {cell.id: cell.source for cell in source.cells if "solution" in cell.get("metadata", {}).get("tags", [])}


def attend(base: str, name: str, workbook: str, answers: dict[str, str], lang: str = "en") -> Attendance:
    """One participant's arrival: sign in, start, open the workbook, run it up to its first check."""
    record = Attendance(name)
    participant = Participant(base, name, ROOM_PASSWORD, lang=lang, timeout=600)
    arrived = time.monotonic()
    try:
        participant.sign_in()
        record.sign_in = time.monotonic() - arrived
        record.start = participant.start_server()
        opened = time.monotonic()
        cells = participant.notebook(workbook)["cells"]
        kernel = participant.open_kernel(workbook)
        try:
            for position in first_check_cells(cells):
                cell = cells[position]
                source = answers.get(cell.get("id"), cell["source"]) if "exercise" in cell.get(
                    "metadata", {}).get("tags", []) else cell["source"]
                run = kernel.execute(source)
                record.cells.append(run.seconds)
                if run.error:
                    raise RuntimeError(f"cell {position}: {run.error}")
                record.result = run.text
        finally:
            kernel.socket.close()  # the kernel stays, as it does when a participant keeps working
        record.first_check = time.monotonic() - opened
    except Exception as error:  # every failure is a participant without a result: reported, counted
        record.error = f"{type(error).__name__}: {str(error)[:300]}"
    record.total = time.monotonic() - arrived
    return record


def _usage(pid: int, tree: bool = True) -> tuple[float, float, float]:
    """RSS and PSS (MB) and CPU time (s) of a process and, with ``tree``, its descendants (psutil, else /proc)."""
    try:
        import psutil

        process = psutil.Process(pid)
        rss = pss = cpu = 0.0
        for member in [process, *(process.children(recursive=True) if tree else [])]:
            try:
                info, times = member.memory_full_info(), member.cpu_times()
                rss += info.rss
                pss += getattr(info, "pss", float("nan"))
                cpu += times.user + times.system
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return rss / 2**20, pss / 2**20, cpu
    except ImportError:
        rss = pss = cpu = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for member in _tree(pid) if tree else [pid]:
            try:
                status = Path(f"/proc/{member}/status").read_text()
                rss += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
                rollup = Path(f"/proc/{member}/smaps_rollup").read_text()
                pss += int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")))
                fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
                cpu += (int(fields[11]) + int(fields[12])) / tick
            except (OSError, StopIteration, IndexError, ValueError):
                continue
        return rss / 1024, pss / 1024, cpu


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int(Path(entry, "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def server_usage() -> dict[str, tuple[float, float, float, float]]:
    """Participant -> (RSS MB, PSS MB, CPU s) of their server and its kernels, and (RSS MB) of the server alone."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = Path(entry, "cmdline").read_bytes().split(b"\0")
            if SERVER_MODULE.encode() not in command:
                continue
            environ = dict(item.split(b"=", 1) for item in Path(entry, "environ").read_bytes().split(b"\0")
                           if b"=" in item)
        except OSError:
            continue
        user = environ.get(b"JUPYTERHUB_USER", entry.name.encode()).decode("utf-8", "replace")
        found[user] = (*_usage(int(entry.name)), _usage(int(entry.name), tree=False)[0])
    return found


def _p(values: list[float], q: float) -> float:
    values = sorted(v for v in values if v == v)
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _row(label: str, records: list[Attendance], attribute: str) -> str:
    values = [getattr(r, attribute) for r in records if r.ok]
    worst = max(values, default=float("nan"))
    return f"  {label:<28} p50 {_p(values, 50):6.2f} s   p95 {_p(values, 95):6.2f} s   max {worst:6.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=5, help="participants signing in at the same moment")
    parser.add_argument("--workbook", default="rfm.ipynb")
    parser.add_argument("--baseline-runs", type=int, default=3, help="lone participants, one after the other")
    parser.add_argument("--limit-p95", type=float, default=10.0, help="target: p95 time to first check result (s)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary room (homes, hub log)")
    parser.add_argument("--no-report", action="store_true", help="run the classroom without the live class report")
    args = parser.parse_args(argv)
    if min(args.participants, args.concurrency, args.baseline_runs) < 1:
        parser.error(f"--participants, --concurrency and --baseline-runs must be at least 1, got "
                     f"{args.participants}, {args.concurrency} and {args.baseline_runs}")

    answers = _answers(args.workbook)
    room = Path(tempfile.mkdtemp(prefix="cvm-bench-room-"))
    print(f"classroom benchmark: {args.participants} participants, at most {args.concurrency} arriving at once, "
          f"workbook {args.workbook}, {os.cpu_count()} CPUs; room {room}")
    try:
        hub: RunningClassroom = start_classroom(room, _free_port(), ROOM_PASSWORD, INSTRUCTOR_PASSWORD, timeout=300,
                                                report=not args.no_report)
    except Exception:
        shutil.rmtree(room, ignore_errors=True)
        raise
    status = 0
    try:
        print(f"hub start-up (command -> sign-in page answers): {hub.startup_seconds:.1f} s")
        runs = []
        for n in range(1, args.baseline_runs + 1):
            run = attend(hub.base, f"Baseline {n}", args.workbook, answers)
            if not run.ok:
                print(f"baseline participant got no result: {run.error or run.result[:200]}")
                print(hub.log_tail())
                return 1
            alone = Participant(hub.base, f"Baseline {n}", ROOM_PASSWORD)
            alone.sign_in()
            alone.stop_server()  # alone means alone: the class starts in an empty room
            runs.append(run)
        baseline = sorted(runs, key=lambda r: r.total)[len(runs) // 2]  # the median run

        names = [f"Participant {n:02d}" if n % 3 else f"学员{n:02d}" for n in range(1, args.participants + 1)]
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            records = list(pool.map(lambda name: attend(hub.base, name, args.workbook, answers), names))
        class_seconds = time.monotonic() - started
        usage = server_usage()
        try:
            hub_up = requests.get(f"{hub.base}/hub/api", timeout=10).status_code == 200 and hub.process.poll() is None
        except requests.RequestException:
            hub_up = False

        ok = [r for r in records if r.ok]
        print(f"\nbaseline (1 participant alone, median of {len(runs)} runs): sign-in {baseline.sign_in:.2f} s, "
              f"workspace start {baseline.start:.2f} s, time to first check result {baseline.first_check:.2f} s "
              f"(cells {', '.join(f'{s:.2f}' for s in baseline.cells)} s), arrival to result {baseline.total:.2f} s")
        print(f"class ({len(records)} participants, {args.concurrency} at once; all in {class_seconds:.0f} s):")
        for label, attribute in (("sign-in", "sign_in"), ("workspace start", "start"),
                                 ("time to first check result", "first_check"), ("arrival to result", "total")):
            print(_row(label, records, attribute))
        p50, p95 = _p([r.first_check for r in ok], 50), _p([r.first_check for r in ok], 95)
        print(f"  ratio class/baseline (p50 time to first check): {p50 / baseline.first_check:.2f}x; "
              f"workspace start: {_p([r.start for r in ok], 50) / baseline.start:.2f}x")
        rss, pss, cpu, server = ([value[i] for value in usage.values()] for i in range(4))
        if rss:
            print(f"memory per participant (server + kernel, {len(rss)} running): RSS p50 {_p(rss, 50):.0f} MB "
                  f"(server {_p(server, 50):.0f} MB + kernel {_p(rss, 50) - _p(server, 50):.0f} MB), max "
                  f"{max(rss):.0f} MB; PSS p50 {_p(pss, 50):.0f} MB; all participants: RSS {sum(rss) / 1024:.1f} GB, "
                  f"PSS {sum(pss) / 1024:.1f} GB")
            print(f"CPU per participant (server + kernel, from start to first check result): p50 {_p(cpu, 50):.1f} s, "
                  f"all participants {sum(cpu):.0f} CPU-s in {class_seconds:.0f} s on {os.cpu_count()} CPUs")
        hub_alone = _usage(hub.process.pid, tree=False)
        everything = _usage(hub.process.pid)
        print(f"hub process alone: RSS {hub_alone[0]:.0f} MB, CPU {hub_alone[2]:.0f} s; with the proxy, the class "
              f"report and every server: RSS {everything[0] / 1024:.1f} GB")
        print(f"every participant got a first check result: {len(ok)}/{len(records)}; hub still up: "
              f"{'yes' if hub_up else 'NO'}")
        for record in records:
            if not record.ok:
                print(f"  no result for {record.name}: {record.error or record.result[:200]}")
        if len(ok) < len(records) or not hub_up:
            status = 1
        elif not p95 <= args.limit_p95:
            print(f"p95 time to first check result {p95:.2f} s is over the target of {args.limit_p95:.0f} s")
            status = 1
        else:
            print(f"p95 time to first check result {p95:.2f} s is within the target of {args.limit_p95:.0f} s")
    finally:
        hub.stop(timeout=180)
        if args.keep:
            print(f"room kept in {room}")
        else:
            shutil.rmtree(room, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
