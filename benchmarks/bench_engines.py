"""Benchmark: rfm_table and the BTYD summary on pandas and on the DuckDB engine path, against a
bare DuckDB group-by and a bare Polars group-by computing the same numbers.

Usage::

    python benchmarks/bench_engines.py [--sizes 5M,50M,200M] [--threads N] [--keep-results]

Data: ``rows`` transactions (string customer ids "C00000001" for rows / 10 customers, one
order id per row "O000000001", TIMESTAMP over 2024-2025, positive amounts with cents), generated
once per size by DuckDB into ``_build/bench-data/tx_<rows>.parquet`` (deterministic: ``hash`` of
the row number, no random state) and reused by later runs.

Every task runs in its own subprocess, one after the other, and reports its wall time and its
peak resident memory (``ru_maxrss`` of that process):

* ``pandas``: the Parquet file loaded into pandas (through DuckDB; pyarrow is not installed, so
  the ids are Python strings), then ``rfm_table(frame, ...)`` / ``summarize_purchases(frame,
  ...)``, validation included. The load and the computation are timed apart.
* ``engine``: ``rfm_table(relation, ...)`` / ``summarize_purchases(relation, ...)`` on a DuckDB
  relation over the Parquet file (cvmlib's engine path, cvmlib/engines), validation included,
  result materialised in DuckDB.
* ``duckdb``: one bare SQL group-by over the Parquet file (no validation).
* ``polars``: one bare lazy Polars group-by over the Parquet file, streaming engine (no validation).

DuckDB runs out of core (``memory_limit`` 60 % of the machine's memory, ``temp_directory``
under _build/bench-data/tmp). The engine path, bare DuckDB and Polars use every core; pandas
uses one. The machine's core count and load average are printed with the results.

Each task writes its per-customer result to Parquet (untimed); the results are compared with
the bare DuckDB result before any ratio is printed: integers exactly, money and durations to
1e-12 relative. A mismatch stops the run (exit status 2).

Goals (exit status 1 when one fails): (1) at 5M rows, the pandas computation (input already a
DataFrame) within 1.5x of the faster bare group-by (which reads the Parquet file itself); (2) the
DuckDB engine path faster than pandas at every size, pandas counted from the same Parquet file
(load + computation). pandas is skipped, saying so, where its measured bytes per row at the
smallest size predict more than 80 % of the available memory; then goal (2) holds by default.
A task whose memory passes 90 % of what was available at its start is stopped (the machine is
shared) and counts as failed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "_build" / "bench-data"
SNAPSHOT = "2026-01-01"  # RFM "as of" (midnight after the last possible purchase)
OBS_END = "2025-12-31"  # BTYD observation end (last day observed, inclusive)
UNIT_DAYS = 7.0  # BTYD durations in weeks (unit="W")
#: Peak bytes per row of the pandas task (Parquet load through DuckDB + computation), measured at
#: 5M rows; predicts whether a size fits when no smaller size ran first.
PANDAS_BYTES_PER_ROW = 300
KINDS = ("rfm", "btyd")
ENGINES = ("pandas", "engine", "duckdb", "polars")
RFM_COLS = ("recency", "frequency", "monetary", "mean_order_value")
BTYD_COLS = ("frequency", "recency", "T", "monetary_value")

RFM_SQL = f"""
SELECT customer_id,
       date_diff('day', max(order_date) FILTER (WHERE amount > 0)::DATE, DATE '{SNAPSHOT}') AS recency,
       count(DISTINCT order_id) FILTER (WHERE amount > 0) AS frequency,
       sum(amount) AS monetary,
       sum(amount) / count(DISTINCT order_id) FILTER (WHERE amount > 0) AS mean_order_value
FROM {{src}}
GROUP BY customer_id
"""
BTYD_SQL = f"""
WITH daily AS (
    SELECT customer_id, order_date::DATE AS day, sum(amount) AS spend
    FROM {{src}}
    WHERE order_date::DATE <= DATE '{OBS_END}'
    GROUP BY customer_id, day
), per AS (
    SELECT customer_id, count(*) - 1 AS frequency, min(day) AS first, max(day) AS last,
           sum(spend) AS total, arg_min(spend, day) AS first_spend
    FROM daily
    GROUP BY customer_id
)
SELECT customer_id, frequency,
       date_diff('day', first, last) / {UNIT_DAYS} AS recency,
       date_diff('day', first, DATE '{OBS_END}') / {UNIT_DAYS} AS T,
       CASE WHEN frequency > 0 THEN (total - first_spend) / frequency ELSE 0.0 END AS monetary_value
FROM per
"""


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------
def parse_size(text: str) -> int:
    """'5M' -> 5_000_000, '200k' -> 200_000, '1234' -> 1234."""
    text = text.strip().upper()
    factor = {"K": 10**3, "M": 10**6, "G": 10**9}.get(text[-1:], 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def data_path(rows: int) -> Path:
    return DATA / f"tx_{rows}.parquet"


def duckdb_connection(threads: int):  # noqa: ANN201 (duckdb is imported lazily)
    import duckdb

    con = duckdb.connect()
    (DATA / "tmp").mkdir(parents=True, exist_ok=True)
    limit = int(0.6 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    con.execute(f"SET threads = {threads}")
    con.execute(f"SET memory_limit = '{limit}GB'")
    con.execute(f"SET temp_directory = '{DATA / 'tmp'}'")
    con.execute("SET preserve_insertion_order = false")  # no order needed: less memory
    return con


def ensure_data(rows: int, threads: int) -> Path:
    """Generate the Parquet file of ``rows`` transactions once (written under a temporary name)."""
    path = data_path(rows)
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    customers = max(rows // 10, 1)
    tmp = path.with_suffix(".parquet.tmp")
    start = time.perf_counter()
    con = duckdb_connection(threads)
    con.execute(f"""
        COPY (
            SELECT 'C' || lpad(CAST(hash(i, 1) % {customers} + 1 AS VARCHAR), 8, '0') AS customer_id,
                   'O' || lpad(CAST(i + 1 AS VARCHAR), 9, '0') AS order_id,
                   TIMESTAMP '2024-01-01' + to_seconds(CAST(hash(i, 2) % {731 * 86400} AS BIGINT)) AS order_date,
                   round(CAST(hash(i, 3) % 50000 AS DOUBLE) / 100 + 0.01, 2) AS amount
            FROM range({rows}) t(i)
        ) TO '{tmp}' (FORMAT parquet)
    """)
    con.close()
    tmp.rename(path)
    print(f"generated {path.relative_to(ROOT)} ({path.stat().st_size / 2**20:,.0f} MiB) in "
          f"{time.perf_counter() - start:.1f} s", flush=True)
    return path


# --------------------------------------------------------------------------------------------
# one task (runs in a subprocess)
# --------------------------------------------------------------------------------------------
class EngineUnavailable(Exception):
    """The DuckDB engine path (cvmlib/engines, issue 13) is not there (yet)."""


def _engine_call(fn, relation, *args, **kwargs):  # noqa: ANN001, ANN202
    """Call cvmlib's public function on a DuckDB relation; EngineUnavailable when it refuses one."""
    from cvmlib.validate import InputError

    try:
        return fn(relation, *args, **kwargs)
    except (ImportError, InputError) as exc:  # anything else is a failure of the engine path
        text = str(exc)
        if isinstance(exc, ImportError) or "Expected a pandas DataFrame" in text:
            raise EngineUnavailable(f"{type(exc).__name__}: {text.splitlines()[0][:160]}") from exc
        raise


def run_task(kind: str, engine: str, rows: int, threads: int, out: Path) -> dict:
    import warnings

    warnings.simplefilter("ignore")  # the snapshot/observation defaults are passed explicitly
    path = data_path(rows)
    report: dict = {"kind": kind, "engine": engine, "rows": rows}
    if engine == "pandas":
        sys.path.insert(0, str(ROOT))
        from cvmlib.clv.summary import summarize_purchases
        from cvmlib.rfm import rfm_table

        con = duckdb_connection(threads)
        start = time.perf_counter()
        frame = con.read_parquet(str(path)).df()
        report["load_s"] = time.perf_counter() - start
        start = time.perf_counter()
        if kind == "rfm":
            result = rfm_table(frame, SNAPSHOT)
        else:
            result = summarize_purchases(frame, "customer_id", "order_date", "amount",
                                         observation_end=OBS_END, unit="W")
        report["compute_s"] = time.perf_counter() - start
        del frame
        con.from_df(result.reset_index()).write_parquet(str(out))
    elif engine == "engine":
        sys.path.insert(0, str(ROOT))
        from cvmlib.clv.summary import summarize_purchases
        from cvmlib.rfm import rfm_table

        con = duckdb_connection(threads)
        relation = con.read_parquet(str(path))
        start = time.perf_counter()
        try:
            if kind == "rfm":
                result = _engine_call(rfm_table, relation, SNAPSHOT)
            else:
                result = _engine_call(summarize_purchases, relation, "customer_id", "order_date", "amount",
                                      observation_end=OBS_END, unit="W")
        except EngineUnavailable as exc:
            return {**report, "unavailable": str(exc)}
        if not hasattr(result, "to_table"):
            return {**report, "unavailable": f"returned {type(result).__name__}, not a DuckDB relation"}
        result.to_table("result")  # the lazy relation runs here
        report["compute_s"] = time.perf_counter() - start
        con.table("result").write_parquet(str(out))
    elif engine == "duckdb":
        con = duckdb_connection(threads)
        sql = (RFM_SQL if kind == "rfm" else BTYD_SQL).format(src=f"read_parquet('{path}')")
        start = time.perf_counter()
        con.execute(f"CREATE TABLE result AS {sql}")
        report["compute_s"] = time.perf_counter() - start
        con.table("result").write_parquet(str(out))
    elif engine == "polars":
        os.environ.setdefault("POLARS_MAX_THREADS", str(threads))
        import polars as pl

        start = time.perf_counter()
        result = polars_query(pl, kind, path).collect(engine="streaming")
        report["compute_s"] = time.perf_counter() - start
        result.write_parquet(out)
    else:
        raise ValueError(engine)
    report["peak_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return report


def polars_query(pl, kind: str, path: Path):  # noqa: ANN001, ANN201
    """The same numbers as RFM_SQL / BTYD_SQL, as one lazy Polars query."""
    import datetime as dt

    lf = pl.scan_parquet(path)
    if kind == "rfm":
        bought = pl.col("amount") > 0
        per = lf.group_by("customer_id").agg(
            last=pl.col("order_date").filter(bought).max(),
            frequency=pl.col("order_id").filter(bought).n_unique(),
            monetary=pl.col("amount").sum(),
        )
        snapshot = dt.date.fromisoformat(SNAPSHOT)
        return per.select(
            "customer_id",
            recency=(pl.lit(snapshot) - pl.col("last").dt.date()).dt.total_days(),
            frequency=pl.col("frequency"),
            monetary=pl.col("monetary"),
            mean_order_value=pl.col("monetary") / pl.col("frequency"),
        )
    end = dt.date.fromisoformat(OBS_END)
    daily = (lf.with_columns(day=pl.col("order_date").dt.date())
               .filter(pl.col("day") <= end)
               .group_by("customer_id", "day").agg(spend=pl.col("amount").sum()))
    per = daily.group_by("customer_id").agg(
        frequency=pl.len() - 1,
        first=pl.col("day").min(),
        last=pl.col("day").max(),
        total=pl.col("spend").sum(),
        first_spend=pl.col("spend").sort_by("day").first(),
    )
    return per.select(
        "customer_id",
        frequency=pl.col("frequency"),
        recency=(pl.col("last") - pl.col("first")).dt.total_days() / UNIT_DAYS,
        T=(pl.lit(end) - pl.col("first")).dt.total_days() / UNIT_DAYS,
        monetary_value=pl.when(pl.col("frequency") > 0)
        .then((pl.col("total") - pl.col("first_spend")) / pl.col("frequency"))
        .otherwise(0.0),
    )


# --------------------------------------------------------------------------------------------
# driver
# --------------------------------------------------------------------------------------------
def load_text() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}/{fifteen:.2f}"


def available_bytes() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def spawn(kind: str, engine: str, rows: int, threads: int, out: Path) -> dict:
    """Run one task in a fresh process; stop it if it would take the machine's memory from others."""
    cmd = [sys.executable, __file__, "--task", f"{kind}:{engine}", "--sizes", str(rows),
           "--threads", str(threads), "--out", str(out)]
    before = load_text()
    budget = int(0.9 * available_bytes())
    start = time.perf_counter()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        killed = False
        while proc.poll() is None:
            if rss_bytes(proc.pid) > budget:  # a guard for the shared machine, not a measurement
                proc.kill()
                killed = True
            time.sleep(0.25)
        stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    if killed:
        return {"kind": kind, "engine": engine, "rows": rows, "load": before,
                "error": f"stopped above {budget / 2**30:.1f} GiB (90 % of the memory available at its start)"}
    if proc.returncode != 0:
        tail = (stderr or stdout).strip().splitlines()[-3:]
        return {"kind": kind, "engine": engine, "rows": rows, "error": " | ".join(tail), "load": before}
    report = json.loads(stdout.strip().splitlines()[-1])
    report["wall_s"] = wall  # the whole process: interpreter start, imports, load, compute
    report["load"] = before
    return report


def compare(kind: str, reference: Path, other: Path) -> str | None:
    """None when ``other`` has the same customers and numbers as ``reference``, else what differs."""
    import duckdb

    cols = RFM_COLS if kind == "rfm" else BTYD_COLS
    exact = {"frequency"} | ({"recency"} if kind == "rfm" else set())
    tests = " OR ".join(
        f"a.{c} IS DISTINCT FROM b.{c}" if c in exact else
        f"abs(a.{c} - b.{c}) > 1e-12 * greatest(abs(a.{c}), abs(b.{c}), 1e-300) OR (a.{c} IS NULL) <> (b.{c} IS NULL)"
        for c in cols)
    con = duckdb.connect()
    n_a, n_b = (con.execute(f"SELECT count(*) FROM read_parquet('{p}')").fetchone()[0] for p in (reference, other))
    if n_a != n_b:
        return f"{n_b:,} customers instead of {n_a:,}"
    row = con.execute(f"""
        SELECT count(*), any_value(a.customer_id) FROM read_parquet('{reference}') a
        FULL JOIN read_parquet('{other}') b USING (customer_id)
        WHERE a.customer_id IS NULL OR b.customer_id IS NULL OR {tests}
    """).fetchone()
    return None if row[0] == 0 else f"{row[0]:,} customers differ (e.g. {row[1]})"


def fmt_row(r: dict) -> str:
    if "error" in r:
        return f"  {r['engine']:<8} FAILED: {r['error']}"
    if "unavailable" in r:
        return f"  {r['engine']:<8} engine path not available ({r['unavailable']})"
    if "skipped" in r:
        return f"  {r['engine']:<8} skipped: {r['skipped']}"
    load = f"load {r['load_s']:6.1f} s + " if "load_s" in r else " " * 16
    return (f"  {r['engine']:<8} {load}compute {r['compute_s']:7.2f} s | process {r['wall_s']:7.1f} s | "
            f"peak {r['peak_bytes'] / 2**30:5.2f} GiB ({r['peak_bytes'] / r['rows']:4.0f} B/row) | {r['load']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5M,50M,200M", help="comma-separated row counts, e.g. 5M,50M")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", default=",".join(ENGINES), help="engines to run (comma-separated)")
    parser.add_argument("--task", help=argparse.SUPPRESS)  # internal: kind:engine in this process
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--keep-results", action="store_true", help="keep the per-task result files")
    args = parser.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]

    if args.task:
        kind, engine = args.task.split(":")
        print(json.dumps(run_task(kind, engine, sizes[0], args.threads, Path(args.out))))
        return 0

    engines = [e for e in ENGINES if e in args.only.split(",")]
    print(f"bench_engines: os.cpu_count()={os.cpu_count()} threads={args.threads} {load_text()} "
          f"memory available {available_bytes() / 2**30:.1f} GiB", flush=True)
    print("(a shared machine: other jobs' load makes the timings noisy; the load average is shown "
          "per task)", flush=True)
    results_dir = DATA / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    per_row: dict[str, float] = {}  # pandas peak bytes per row at the smallest size, per kind
    for rows in sorted(sizes):
        ensure_data(rows, args.threads)
        for kind in KINDS:
            print(f"\n{kind} at {rows:,} rows", flush=True)
            got: dict[str, dict] = {}
            for engine in engines:
                out = results_dir / f"{kind}_{engine}_{rows}.parquet"
                if engine == "pandas" and (kind in per_row or rows > 20_000_000):
                    need = per_row.get(kind, PANDAS_BYTES_PER_ROW) * rows
                    if need > 0.8 * available_bytes():
                        got[engine] = {"engine": engine, "rows": rows, "skipped": (
                            f"would need about {need / 2**30:.0f} GiB ({need / rows:.0f} B/row: load + computation, "
                            f"{'measured at the smallest size' if kind in per_row else 'measured at 5M'}), more than "
                            f"80 % of the {available_bytes() / 2**30:.0f} GiB available")}
                        print(fmt_row(got[engine]), flush=True)
                        continue
                got[engine] = spawn(kind, engine, rows, args.threads, out)
                if engine == "pandas" and "peak_bytes" in got[engine] and kind not in per_row:
                    per_row[kind] = got[engine]["peak_bytes"] / rows
                print(fmt_row(got[engine]), flush=True)
            ok = {e: r for e, r in got.items() if "compute_s" in r}
            reference = "duckdb" if "duckdb" in ok else next(iter(ok), None)
            for engine in ok:
                if engine != reference:
                    problem = compare(kind, results_dir / f"{kind}_{reference}_{rows}.parquet",
                                      results_dir / f"{kind}_{engine}_{rows}.parquet")
                    if problem:
                        print(f"  RESULTS DIFFER: {engine} vs {reference}: {problem}; no ratio is printed")
                        return 2
            if len(ok) > 1:
                print(f"  results equal ({', '.join(ok)}; integers exact, money and durations to 1e-12)")
            for engine, r in got.items():
                if "error" in r:
                    failures.append(f"{kind} {rows:,}: {engine} failed")
            bare = [ok[e]["compute_s"] for e in ("duckdb", "polars") if e in ok]
            if "pandas" in ok and bare:
                ratio = ok["pandas"]["compute_s"] / min(bare)
                line = (f"  pandas compute / faster bare group-by = {ratio:.2f}"
                        f" (load + compute: {(ok['pandas']['compute_s'] + ok['pandas']['load_s']) / min(bare):.2f})")
                if rows == min(sizes) and rows <= 5_000_000:
                    line += f"; goal <= 1.5 at 5M: {'met' if ratio <= 1.5 else 'FAILED'}"
                    if ratio > 1.5:
                        failures.append(f"{kind} {rows:,}: pandas {ratio:.2f}x the faster bare group-by")
                print(line)
            if "engine" in engines:
                if "engine" not in ok:
                    failures.append(f"{kind} {rows:,}: engine path not available or failed")
                elif "pandas" in ok:
                    pandas_total = ok["pandas"]["compute_s"] + ok["pandas"]["load_s"]
                    ratio = ok["engine"]["compute_s"] / pandas_total
                    print(f"  engine path / pandas (load + compute) = {ratio:.2f}; "
                          f"/ pandas compute only = {ok['engine']['compute_s'] / ok['pandas']['compute_s']:.2f}; "
                          f"goal < 1: {'met' if ratio < 1 else 'FAILED'}")
                    if ratio >= 1:
                        failures.append(f"{kind} {rows:,}: engine path not faster than pandas")
                elif "skipped" in got.get("pandas", {}):
                    print("  engine path vs pandas: pandas does not fit here, the engine path runs: goal met")
    if not args.keep_results:
        for f in results_dir.glob("*.parquet"):
            f.unlink()
    print("\n" + ("all goals met" if not failures else "GOALS FAILED:\n  " + "\n  ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
