"""The engine path: RFM, the BTYD summary and CLV scores on DuckDB, Parquet files or Spark.

For tables too large for pandas, the same functions run inside an engine: pass a DuckDB relation,
the path of a Parquet file (or a folder of them; read with DuckDB), or a Spark DataFrame where a
pandas DataFrame would go -- :func:`cvmlib.rfm.rfm_table` and :func:`cvmlib.clv.summarize_purchases`
hand such inputs to :func:`rfm_table` and :func:`summarize_purchases` here. The result is of the
input's kind (a lazy DuckDB relation -- also for a Parquet path -- or a Spark DataFrame) with the
pandas result's columns and the customer id as the first column. The numbers are the pandas
path's (counts and days exactly, money to rounding), and so are the error messages for the same bad
rows: the checks run as SQL and only the first few offending rows are fetched to show them.

CLV at scale: :func:`fit_on_engine` fits BetaGeo/ParetoNBD on the distinct (frequency, recency, T)
rows with counts (:func:`btyd_rows`), and :func:`score_customers` joins the per-row P(alive),
expected purchases and discounted purchase factor back in the engine; nothing per customer is
collected into Python.

Memory: DuckDB works out of core. For hundreds of millions of rows on one machine set a cap and a
spill folder on the connection first, e.g. ``duckdb.sql("SET memory_limit='8GB'")`` and
``duckdb.sql("SET temp_directory='/tmp/duckdb'")`` (a Parquet path is read on the default
connection, ``duckdb.sql``'s).

Why hand-written SQL (and not ibis): one expression library over DuckDB, Polars and Spark
(``ibis-framework`` 12) installs only with ``pyspark < 4.1``, and the course pins pyspark 4.3.
The queries are few and small; DuckDB and Spark SQL share almost all their text, and the handful
of differences (quoting, string escapes, the day number of a timestamp, ``TIMESTAMP_NTZ``,
infinity, the row position) live in one place, :mod:`cvmlib.engines.sql`. No pandas UDF or Arrow
transfer is used (``pyarrow`` is not installed: it would change pandas' default string storage).

``duckdb`` and ``pyspark`` are imported only when an input of theirs arrives.

Examples
--------
>>> import duckdb
>>> from cvmlib.rfm import rfm_table as rfm
>>> orders = duckdb.sql("SELECT * FROM (VALUES ('A', 'o1', DATE '2025-01-01', 100.0), "
...     "('A', 'o2', DATE '2025-01-20', 50.0)) AS t(customer_id, order_id, order_date, amount)")
>>> rfm(orders, snapshot_date="2025-02-01").fetchall()
[('A', 12, 2, 150.0, 75.0)]
"""

from cvmlib.engines.backends import is_engine_source
from cvmlib.engines.scoring import btyd_rows, fit_on_engine, score_customers
from cvmlib.engines.tables import rfm_table, summarize_purchases

__all__ = ["btyd_rows", "fit_on_engine", "is_engine_source", "rfm_table", "score_customers", "summarize_purchases"]
