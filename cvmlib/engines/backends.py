"""Where the SQL runs: a DuckDB relation (or a Parquet path read by DuckDB) or a Spark DataFrame.

A :class:`Backend` wraps one input table and offers the few operations the engine path needs:
its column names and kinds, the session time zone, a lazy query over it (the result the user
gets: a DuckDB relation or a Spark DataFrame), and small eager queries (counts, the first
offending rows, the distinct BTYD rows). ``duckdb`` and ``pyspark`` are imported only when an
input of theirs arrives: ``cvmlib`` imports without either.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from typing import Any

import pandas as pd

from cvmlib.engines.sql import DUCKDB, SPARK, Dialect
from cvmlib.i18n import _
from cvmlib.validate import InputError

__all__ = ["Backend", "backend_for", "is_engine_source"]


def _is_duckdb_relation(obj: Any) -> bool:
    duckdb = sys.modules.get("duckdb")  # a relation exists only if duckdb was imported
    return duckdb is not None and isinstance(obj, duckdb.DuckDBPyRelation)


def _is_spark_frame(obj: Any) -> bool:
    if "pyspark" not in sys.modules:
        return False
    from pyspark.sql import DataFrame

    if isinstance(obj, DataFrame):
        return True
    connect = sys.modules.get("pyspark.sql.connect.dataframe")  # Spark Connect's own class
    return connect is not None and isinstance(obj, connect.DataFrame)


def is_engine_source(obj: Any) -> bool:
    """Whether ``obj`` is a table for the engine path: a DuckDB relation, a Spark DataFrame, or a
    ``str``/``Path`` naming a Parquet file or folder.

    Examples
    --------
    >>> import pandas as pd
    >>> is_engine_source(pd.DataFrame()), is_engine_source("orders.parquet")
    (False, True)
    """
    return isinstance(obj, (str, os.PathLike)) or _is_duckdb_relation(obj) or _is_spark_frame(obj)


def _kind_duckdb(type_name: str) -> str:
    t = type_name.upper()
    if t in ("VARCHAR", "STRING", "TEXT") or t.startswith("VARCHAR"):
        return "string"
    if t == "BOOLEAN":
        return "bool"
    if t in ("DOUBLE", "FLOAT", "REAL"):
        return "float"
    if t.startswith("DECIMAL"):
        return "decimal"
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
             "UBIGINT", "UHUGEINT"):
        return "int"
    if t == "DATE":
        return "date"
    if t in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"):
        return "timestamptz"
    if t.startswith("TIMESTAMP"):
        return "timestamp"
    return "other"


def _kind_spark(type_name: str) -> str:
    t = type_name.lower()
    if t in ("string", "varchar", "char") or t.startswith(("varchar", "char")):
        return "string"
    if t == "boolean":
        return "bool"
    if t in ("double", "float"):
        return "float"
    if t.startswith("decimal"):
        return "decimal"
    if t in ("byte", "short", "integer", "long", "tinyint", "smallint", "int", "bigint"):
        return "int"
    if t == "date":
        return "date"
    if t == "timestamp":  # Spark's TIMESTAMP is an instant shown in the session time zone
        return "timestamptz"
    if t == "timestamp_ntz":
        return "timestamp"
    return "other"


class Backend:
    """One input table on one engine (see the subclasses)."""

    dialect: Dialect = DUCKDB
    #: The name the queries use for the input table.
    src: str = "__cvm_src"
    columns: list[str]
    kinds: dict[str, str]

    @property
    def timezone(self) -> str:
        """The session time zone: the one TIMESTAMPTZ values are shown (and cut into days) in."""
        raise NotImplementedError

    def query(self, sql: str, extra: pd.DataFrame | None = None) -> Any:
        """The lazy result of ``sql`` (a DuckDB relation or a Spark DataFrame); ``extra`` is a
        small table the query reads as ``self.extra``."""
        raise NotImplementedError

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Run ``sql`` now and fetch its (few) rows."""
        raise NotImplementedError

    @property
    def extra(self) -> str:
        raise NotImplementedError


class DuckDBBackend(Backend):
    """A DuckDB relation; a Parquet path is read with :func:`duckdb.read_parquet` on the default
    connection (its settings, e.g. ``SET memory_limit``, apply)."""

    dialect = DUCKDB

    def __init__(self, relation: Any) -> None:
        self.relation = relation
        self.columns = list(relation.columns)
        self.kinds = {c: _kind_duckdb(str(t)) for c, t in zip(self.columns, relation.types)}
        self._extra_name = "cvm_extra_table"

    @property
    def timezone(self) -> str:
        return str(self.rows("SELECT current_setting('TimeZone')")[0][0])

    def query(self, sql: str, extra: pd.DataFrame | None = None) -> Any:
        # DuckDB finds a pandas frame by its Python name (a replacement scan) and keeps it with
        # the relation: the lazy result can run after this call returned.
        cvm_extra_table = extra  # noqa: F841 (read by DuckDB under this name)
        return self.relation.query(self.src, sql)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.relation.query(self.src, sql).fetchall()

    @property
    def extra(self) -> str:
        return self._extra_name


class SparkBackend(Backend):
    """A Spark DataFrame (a temporary view of it, named uniquely per call)."""

    dialect = SPARK

    def __init__(self, frame: Any) -> None:
        self.frame = frame
        self.spark = frame.sparkSession
        self.src = f"__cvm_src_{uuid.uuid4().hex}"
        frame.createOrReplaceTempView(self.src)
        self.columns = list(frame.columns)
        self.kinds = {f.name: _kind_spark(f.dataType.simpleString()) for f in frame.schema.fields}
        self._extra_name = f"__cvm_extra_{uuid.uuid4().hex}"

    @property
    def timezone(self) -> str:
        return str(self.spark.conf.get("spark.sql.session.timeZone"))

    def query(self, sql: str, extra: pd.DataFrame | None = None) -> Any:
        if extra is not None:
            from pyspark.sql import types as T

            fields = [T.StructField(str(c), T.DoubleType() if extra[c].dtype.kind == "f" else T.LongType())
                      for c in extra.columns]
            records = [tuple(float(v) if f.dataType == T.DoubleType() else int(v) for v, f in zip(row, fields))
                       for row in extra.itertuples(index=False, name=None)]
            self.spark.createDataFrame(records, T.StructType(fields)).createOrReplaceTempView(self._extra_name)
        return self.spark.sql(sql)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.spark.sql(sql).collect()]

    @property
    def extra(self) -> str:
        return self._extra_name


def _parquet_relation(path: str | os.PathLike[str]) -> Any:
    target = Path(path)
    if not target.exists():
        raise InputError(_("No Parquet file or folder at {path!r}: pass the path of a .parquet file, a folder of "
                           "them, a DuckDB relation or a Spark DataFrame.").format(path=str(path)))
    import duckdb

    pattern = str(target / "**" / "*.parquet") if target.is_dir() else str(target)
    try:
        return duckdb.read_parquet(pattern)
    except duckdb.Error as exc:
        raise InputError(_("{path!r} could not be read as Parquet: {reason}").format(
            path=str(path), reason=str(exc).splitlines()[0])) from None


def backend_for(source: Any) -> Backend:
    """The :class:`Backend` of an engine source (see :func:`is_engine_source`).

    Raises
    ------
    cvmlib.validate.InputError
        For anything else, or a path that is not Parquet.
    """
    if isinstance(source, (str, os.PathLike)):
        return DuckDBBackend(_parquet_relation(source))
    if _is_duckdb_relation(source):
        return DuckDBBackend(source)
    if _is_spark_frame(source):
        return SparkBackend(source)
    raise InputError(_("Expected a DuckDB relation, a Spark DataFrame or the path of a Parquet file; got "
                       "{type}.").format(type=type(source).__name__))
