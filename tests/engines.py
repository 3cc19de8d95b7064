"""The SQL engines the compiled query is tested on, each as three steps: load a frame as a
table, run a query, read the result back as a frame.

DuckDB runs in-process. PostgreSQL is a real server, found through ICPKIT_POSTGRES_URL
(`scripts/dev.py test` starts a throwaway one with scripts/pgserver.py). An engine is
skipped only when ICPKIT_SKIP_ENGINES names it; without its server and without that, its
tests fail and say how to start one, so a missing engine is never a quiet pass.

Spark (pyspark, local[2], the system Java) is opt-in, because its JVM takes ~10 s to start
and each query a second or more: ICPKIT_ENGINES=spark (set by `scripts/dev.py test
--engines spark`) adds it to every engine parametrisation, marked slow and spark; without
that it is not a parameter at all, and tests marked spark are deselected. Asked for
without pyspark or Java, its tests error, never skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import pandas as pd
import pytest

URL_VAR = "ICPKIT_POSTGRES_URL"
SKIP_VAR = "ICPKIT_SKIP_ENGINES"
ENGINES_VAR = "ICPKIT_ENGINES"
OPT_IN = ("spark",)
REQUIRE_VAR = "ICPKIT_REQUIRE_POSTGRES"
HOW = (
    "run the tests with `python3 scripts/dev.py test` (it starts a throwaway server), or "
    'start one with `eval "$(python3 scripts/pgserver.py start)"`, or set '
    f"{SKIP_VAR}=postgres to skip the PostgreSQL tests on purpose"
)


class Engine(Protocol):
    dialect: str

    def load(self, name: str, frame: pd.DataFrame) -> None: ...

    def query(self, sql: str) -> pd.DataFrame: ...


class DuckDB:
    dialect = "duckdb"

    def __init__(self) -> None:
        import duckdb

        self.con = duckdb.connect()

    def load(self, name: str, frame: pd.DataFrame) -> None:
        self.con.execute(f'DROP VIEW IF EXISTS "{name}"')
        self.con.register(name, frame)

    def query(self, sql: str) -> pd.DataFrame:
        found: pd.DataFrame = self.con.sql(sql).df()  # duckdb's .df() is untyped
        return found


# pandas dtype kind -> PostgreSQL column type; text for everything else.
_PG_TYPES = {"i": "BIGINT", "u": "BIGINT", "f": "DOUBLE PRECISION", "b": "BOOLEAN"}


class Postgres:
    """A connection to the server, in a schema of its own (dropped at the end), so that
    parallel test workers sharing one server never see each other's tables."""

    dialect = "postgres"

    def __init__(self, con: Any, schema: str) -> None:
        self.con, self.schema = con, schema

    def load(self, name: str, frame: pd.DataFrame) -> None:
        columns = ", ".join(f"{_quoted(c)} {_pg_type(frame[c])}" for c in frame.columns)
        self.con.execute(f"DROP TABLE IF EXISTS {_quoted(name)}")
        self.con.execute(f"CREATE TABLE {_quoted(name)} ({columns})")
        names = ", ".join(_quoted(c) for c in frame.columns)
        with self.con.cursor().copy(f"COPY {_quoted(name)} ({names}) FROM STDIN") as copy:
            for row in frame.astype(object).itertuples(index=False):
                copy.write_row([None if pd.isna(v) else v for v in row])

    def query(self, sql: str) -> pd.DataFrame:
        cursor = self.con.execute(sql)
        names = [column.name for column in cursor.description or ()]
        return pd.DataFrame.from_records(cursor.fetchall(), columns=names)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_type(column: pd.Series) -> str:
    return _PG_TYPES.get(column.dtype.kind, "TEXT")


class Spark:
    """One local Spark session for the whole test run (a JVM is costly to start); each
    frame is loaded as a temporary view, replaced by the next of the same name."""

    dialect = "spark"

    def __init__(self, session: Any) -> None:
        self.session = session

    def load(self, name: str, frame: pd.DataFrame) -> None:
        from icpkit.scorer.sql.spark import from_frame

        from_frame(self.session, frame).createOrReplaceTempView(name)

    def query(self, sql: str) -> pd.DataFrame:
        from icpkit.scorer.sql.spark import arrow_frame

        return arrow_frame(self.session.sql(sql).toArrow())


def requested() -> frozenset[str]:
    """The opt-in engines ICPKIT_ENGINES names (a usage error for one this file lacks)."""
    names = {n.strip().lower() for n in os.environ.get(ENGINES_VAR, "").split(",")} - {""}
    unknown = names - {*OPT_IN, "duckdb", "postgres"}
    if unknown:
        raise pytest.UsageError(f"{ENGINES_VAR}: no engine {', '.join(sorted(unknown))}")
    return frozenset(names & set(OPT_IN))


def names(*always: str) -> list[Any]:
    """Parameters for an engine fixture: `always`, then each opt-in engine asked for."""
    marks = [pytest.mark.slow, pytest.mark.spark]
    extra = [pytest.param(n, marks=marks, id=n) for n in OPT_IN if n in requested()]
    return [*always, *extra]


@contextmanager
def spark_engine() -> Iterator[Spark]:
    """A local[2] session, stopped at the end; asked for, a missing pyspark or Java fails."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.fail(
            f"{ENGINES_VAR} asks for spark, but pyspark is not installed: run "
            "`python3 scripts/dev.py test --engines spark` (it installs it) or "
            "pip install -e '.[spark]'"
        )
    from icpkit.errors import IcpError
    from icpkit.scorer.sql.spark import start

    # Two cores on the test machine; one shuffle partition per core for tiny tables.
    conf = {"spark.sql.shuffle.partitions": "2", "spark.driver.bindAddress": "127.0.0.1"}
    try:
        session = start("local[2]", conf)
    except IcpError as exc:
        pytest.fail(f"{ENGINES_VAR} asks for spark, but it does not start: {exc}")
    try:
        yield Spark(session)
    finally:
        session.stop()


def skipped(engine: str) -> bool:
    names = {n.strip().lower() for n in os.environ.get(SKIP_VAR, "").split(",")}
    return engine in names


def postgres_url() -> str:
    """The test server's URL; a skip only when told to, else a failure saying what to do."""
    url = os.environ.get(URL_VAR)
    if url:
        return url
    if skipped("postgres") and not os.environ.get(REQUIRE_VAR):
        pytest.skip(f"PostgreSQL tests skipped: {SKIP_VAR} names postgres")
    pytest.fail(f"no PostgreSQL server for this test ({URL_VAR} is not set): {HOW}")


@contextmanager
def postgres_engine() -> Iterator[Postgres]:
    url = postgres_url()
    try:
        import psycopg
    except ImportError:
        pytest.fail("psycopg is not installed: pip install -e '.[dev]' (or 'icpkit[postgres]')")
    schema = f"icp_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
        con.execute(f"SET search_path TO {schema}")
        try:
            yield Postgres(con, schema)
        finally:
            con.execute(f"DROP SCHEMA {schema} CASCADE")


def engine(request: pytest.FixtureRequest, name: str) -> Engine:
    """The engine `name`, for a fixture parametrised over engine names."""
    if name == "duckdb":
        return DuckDB()
    found: Engine = request.getfixturevalue(name)
    return found
