"""`icp score --engine spark`: the compiled query, run by a Spark session (local by
default, `local[*]`), over a file or a table of the session's catalog; the result written
back as a table (`into`, replaced) or read into a frame, as `icp score` writes it.

Parquet is read by Spark itself, so a large file never passes through Python; every other
format (CSV, Excel, JSON Lines) is read by `scorer.tables`, the pandas engine's reader, and
handed to Spark as Arrow, so both engines see the same cells. A table's or a Parquet file's
numeric columns are read as numbers, text ones through the text-number reader, and its
columns are resolved as a file's are (`[tool.icp.columns]`, CRM spellings).

Which catalog `table` and `into` name is the session's: Spark's own configuration
(spark-defaults.conf under SPARK_CONF_DIR) or `conf` (`--spark-conf KEY=VALUE`), such as
`spark.sql.catalogImplementation=hive` for a metastore that outlives the session.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from icpkit.errors import InputError, UsageError
from icpkit.project.settings import Config
from icpkit.scorer.loaded import Loaded
from icpkit.scorer.sql.compile import table_name
from icpkit.scorer.sql.served import ServedRun, band_counts, served_query
from icpkit.scorer.tables import (
    TEXT_DTYPE,
    parquet_header,
    plain_arrow,
    read_table,
    table_exists,
    table_format,
)

MASTER = "local[*]"
SOURCE = "icp_accounts"
NEEDS_PYSPARK = "--engine spark needs pyspark: pip install 'icpkit[spark]'"
# Spark SQL type names (DataType.typeName()) the query may read as numbers.
_NUMERIC = frozenset({"byte", "short", "integer", "long", "float", "double", "decimal"})
# A command-line run: no web UI to bind a port for, and no shuffle spread over the default
# 200 partitions for what is, on one machine, a few thousand rows per core.
_SESSION = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "8",
}
_REASON_CHARS = 300
# Errors only from the driver's JVM (a user's own extraJavaOptions replace it).
_LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")


def start(master: str = MASTER, conf: Mapping[str, str] | None = None) -> Any:
    """A Spark session on `master` (a UsageError when pyspark is missing, an InputError
    naming the reason when the JVM does not start)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError(NEEDS_PYSPARK) from None
    builder = SparkSession.builder.master(master).appName("icpkit")
    logging = {"spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={_LOG_CONFIG}"}
    for key, value in {**_SESSION, **logging, **(conf or {})}.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # pyspark raises its own runtime errors, and py4j's
        raise InputError(
            f"cannot start Spark on {master}: {reason(exc)} (Spark 4 needs Java 17 or 21, "
            "on PATH or in JAVA_HOME)"
        ) from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@contextmanager
def session(master: str = MASTER, conf: Mapping[str, str] | None = None) -> Iterator[Any]:
    """A session for one command, stopped at the end; Spark's errors inside become one
    `Error:` line."""
    with warnings.catch_warnings():
        # pyspark 4.x warns on every pandas 3 it meets; icpkit hands it Arrow, not pandas.
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas")
        spark = start(master, conf)
        try:
            with spark_errors():
                yield spark
        finally:
            spark.stop()


@contextmanager
def spark_errors() -> Iterator[None]:
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    try:
        yield
    except (PySparkException, Py4JError) as exc:
        raise InputError(f"Spark: {reason(exc)}") from None


def reason(exc: BaseException) -> str:
    """The first line of a Spark error, without the JVM stack trace or the SQL it quotes."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= _REASON_CHARS else text[: _REASON_CHARS - 1] + "\u2026"


def score_in_spark(
    spark: Any,
    item: Loaded,
    *,
    config: Config,
    accounts: Path | None = None,
    table: str | None = None,
    into: str | None = None,
    keep: Sequence[str] | None = None,
) -> ServedRun:
    """Score every row of the file `accounts` or the catalog table `table` with `item`'s
    ICP, inside Spark: saved as the table `into` when given, else returned as a frame."""
    notes: tuple[str, ...] = ()
    target = table_name(into, "spark", "--into").sql("spark") if into is not None else None
    if table is not None:
        source = table_name(table, "spark", "--table").sql("spark")
        if target == source:
            raise UsageError(f"--into {into} is the --table itself: name another table")
        frame = _table(spark, source)
    elif accounts is not None:
        source = str(accounts)
        frame, notes = _file(spark, accounts, config)
    else:
        raise UsageError("--engine spark scores a file or a --table")
    frame.createOrReplaceTempView(SOURCE)
    types = {f.name: f.dataType.typeName() for f in frame.schema.fields}
    numeric = {name for name, kind in types.items() if kind in _NUMERIC}
    names = [f.name for f in frame.schema.fields]  # each one, where `types` keeps one
    query = served_query(
        item, names, numeric, dialect="spark", table=SOURCE, source=source,
        config=config, keep=keep, holder="table" if table is not None else "file",
    )  # fmt: skip
    result = spark.sql(query)
    if target is None:
        scored = arrow_frame(result.toArrow())
        return ServedRun(len(scored), band_counts(scored), frame=scored, notes=notes)
    # Replaced, not appended to: the table holds this run's scores only.
    result.write.mode("overwrite").saveAsTable(target)
    rows = spark.table(target).groupBy("band").count().collect()
    bands = {str(row[0]): int(row[1]) for row in rows}
    return ServedRun(sum(bands.values()), bands, into=target, notes=notes)


def from_frame(spark: Any, frame: pd.DataFrame) -> Any:
    """`frame` as a Spark DataFrame through Arrow: text as STRING, Float64 as DOUBLE, Int64
    as BIGINT, missing cells as nulls (pyspark's own pandas path warns on pandas 3)."""
    return spark.createDataFrame(plain_arrow(frame))


def arrow_frame(table: pa.Table) -> pd.DataFrame:
    """The result as the pandas engine types it: text as strings, doubles as float64,
    integers as Int64 (as `scorer.sql.postgres` reads its server's result)."""
    columns: dict[str, pd.Series] = {}
    for field, column in zip(table.schema, table.columns, strict=True):
        kind = field.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            columns[field.name] = pd.Series(column.to_pylist(), dtype=TEXT_DTYPE)
        elif pa.types.is_floating(kind):
            columns[field.name] = pd.Series(column.to_pylist(), dtype="float64")
        elif pa.types.is_integer(kind):
            columns[field.name] = pd.Series(column.to_pylist(), dtype="Int64")
        else:
            columns[field.name] = pd.Series(column.to_pylist(), dtype=object)
    return pd.DataFrame(columns)


def _table(spark: Any, source: str) -> Any:
    from pyspark.errors import AnalysisException

    try:
        return spark.table(source)
    except AnalysisException:
        raise InputError(f"no table {source} in the Spark session's catalog (--table)") from None


def _file(spark: Any, path: Path, config: Config) -> tuple[Any, tuple[str, ...]]:
    if not table_exists(path):
        raise InputError(f"data file not found: {path}")
    if table_format(path) == "parquet":
        parquet_header(path)  # the pandas reader's check, and its message
        return spark.read.parquet(str(path)), ()
    read = read_table(path, config.limits)
    if read.frame.empty:
        raise InputError(f"{path}: the file has a header but no rows")
    return from_frame(spark, read.frame), read.notes
