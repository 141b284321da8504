r"""The SQL text of the engine path, shared by DuckDB and Spark SQL, with the dialect differences in one place.

Everything the two engines spell alike is written once in the query builders of
:mod:`cvmlib.engines.checks`, :mod:`cvmlib.engines.tables` and :mod:`cvmlib.engines.scoring`;
what they spell differently is a method of :class:`Dialect` here (quoting, string literals, the day
number of a timestamp, parsing ISO text, infinity, the row position, timestamp literals). Keeping
the differences here means a fix to a query is made once for both engines.

Day numbers: every calendar day is an integer, days since 1970-01-01, computed from the timestamp
*as the engine's session shows it* (DuckDB's ``TimeZone``, Spark's ``spark.sql.session.timeZone``);
naive timestamps and dates are taken as they are.

Examples
--------
>>> print(DUCKDB.quote("order date"), SPARK.quote("order date"))
"order date" `order date`
>>> print(DUCKDB.day_number("ts"))
CAST(CAST(ts AS DATE) - DATE '1970-01-01' AS BIGINT)
"""

from __future__ import annotations

import pandas as pd

__all__ = ["DUCKDB", "SPARK", "Dialect", "BLANK_PATTERN"]

#: Text that is empty or holds only whitespace (what :meth:`str.strip` removes: ASCII controls
#: \\t\\n\\v\\f\\r, \\x1c-\\x1f, space, NEL, NBSP, the Unicode spaces, the ideographic space U+3000).
#: One regular expression both RE2 (DuckDB) and Java (Spark) read the same way.
BLANK_PATTERN = (r"^[\x{09}-\x{0D}\x{1C}-\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}"
                 r"\x{202F}\x{205F}\x{3000}]*$")


class Dialect:
    """How one engine spells what the queries need (DuckDB is the base; Spark overrides)."""

    name = "duckdb"
    #: The naive timestamp type (a parsed ISO text or a DATE cast to a timestamp).
    naive_timestamp = "TIMESTAMP"

    def quote(self, name: object) -> str:
        """A quoted identifier."""
        return '"' + str(name).replace('"', '""') + '"'

    def string(self, text: str) -> str:
        """A string literal (DuckDB keeps backslashes as they are)."""
        return "'" + text.replace("'", "''") + "'"

    def day_number(self, ts: str) -> str:
        """Integer days since 1970-01-01 of the calendar day of timestamp/date expression ``ts``."""
        return f"CAST(CAST({ts} AS DATE) - DATE '1970-01-01' AS BIGINT)"

    def parse_timestamp(self, text: str) -> str:
        """ISO text -> naive timestamp, NULL where it does not parse."""
        return f"TRY_CAST({text} AS {self.naive_timestamp})"

    def as_timestamp(self, date: str) -> str:
        """A DATE as a naive timestamp at midnight."""
        return f"CAST({date} AS {self.naive_timestamp})"

    def is_blank(self, text: str) -> str:
        """Empty or whitespace-only text (not NULL). The cheap first-character test skips the
        regular expression for almost every value."""
        return (f"({text} = '' OR ((ascii({text}) <= 32 OR ascii({text}) >= 128) AND "
                f"{self.full_match(text, BLANK_PATTERN)}))")

    def full_match(self, text: str, pattern: str) -> str:
        return f"regexp_full_match({text}, {self.string(pattern)})"

    def is_inf(self, x: str) -> str:
        return f"isinf({x})"

    def row_position(self, source: str) -> str:
        """``source`` with its 0-based row position as ``__cvm_row``: DuckDB's streaming window
        keeps the insertion order (a Parquet file's or a DataFrame's row order)."""
        return f"SELECT *, row_number() OVER () - 1 AS __cvm_row FROM {source}"

    def format_timestamp(self, ts: str) -> str:
        """Text ``YYYY-MM-DD HH:MM:SS.ffffff`` of a timestamp as the session shows it."""
        return f"strftime({ts}, '%Y-%m-%d %H:%M:%S.%f')"

    def timestamp(self, ts: pd.Timestamp) -> str:
        """A timestamp literal: naive, or time-zone-aware (an instant) when ``ts`` has a zone."""
        text = ts.isoformat(sep=" ", timespec="microseconds")
        return f"TIMESTAMPTZ '{text}'" if ts.tzinfo is not None else f"TIMESTAMP '{text}'"

    def min_by(self, value: str, key: str) -> str:
        return f"min_by({value}, {key})"

    def row_hash(self, values: list[str]) -> str:
        """A 64-bit hash of a row's values: equal rows hash alike, so grouping by it finds every
        duplicate (plus, rarely, a collision, which the exact check then sorts out)."""
        return f"hash({', '.join(values)})"


class SparkDialect(Dialect):
    """Spark SQL 4 (ANSI mode on: casts that may fail are TRY_CASTs)."""

    name = "spark"
    naive_timestamp = "TIMESTAMP_NTZ"

    def quote(self, name: object) -> str:
        return "`" + str(name).replace("`", "``") + "`"

    def string(self, text: str) -> str:
        # Spark's parser reads backslash escapes in string literals
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def day_number(self, ts: str) -> str:
        return f"CAST(unix_date(CAST({ts} AS DATE)) AS BIGINT)"

    def full_match(self, text: str, pattern: str) -> str:
        return f"({text} RLIKE {self.string(pattern)})"

    def is_inf(self, x: str) -> str:
        return f"(abs({x}) = CAST('Infinity' AS DOUBLE))"

    def row_position(self, source: str) -> str:
        # monotonically_increasing_id follows the partitions' order (a file's or a local list's row
        # order); a single-partition window turns it into 0, 1, 2, ... Only error paths use it.
        return (f"SELECT *, row_number() OVER (ORDER BY __cvm_mid) - 1 AS __cvm_row FROM "
                f"(SELECT *, monotonically_increasing_id() AS __cvm_mid FROM {source}) AS __cvm_m")

    def format_timestamp(self, ts: str) -> str:
        return f"date_format({ts}, 'yyyy-MM-dd HH:mm:ss.SSSSSS')"

    def timestamp(self, ts: pd.Timestamp) -> str:
        text = ts.isoformat(sep=" ", timespec="microseconds")
        return f"TIMESTAMP_LTZ '{text}'" if ts.tzinfo is not None else f"TIMESTAMP_NTZ '{text}'"

    def row_hash(self, values: list[str]) -> str:
        return f"xxhash64({', '.join(values)})"  # Spark's hash() has 32 bits only: too many collisions


#: The two dialects.
DUCKDB: Dialect = Dialect()
SPARK: Dialect = SparkDialect()
