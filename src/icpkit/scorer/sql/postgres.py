"""`icp score --engine postgres`: the compiled query, run on the PostgreSQL server where
the accounts already live, its result written back as a table or read into a frame.

The table's columns are resolved as a file's are (`[tool.icp.columns]`, CRM spellings);
numeric columns are read as numbers, text ones through the text-number reader. A table
written with `into` is built under a temporary name and renamed over the old one in one
transaction, so readers see the old scores or the new, never half of them. The URL's
password is never shown: errors name the server as user@host:port/database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
from sqlglot import exp

from icpkit.errors import InputError, UsageError
from icpkit.project.settings import Config
from icpkit.scorer.loaded import Loaded
from icpkit.scorer.sql.compile import table_name
from icpkit.scorer.sql.served import ServedRun, band_counts, served_query
from icpkit.scorer.tables import TEXT_DTYPE

URL_VAR = "ICPKIT_POSTGRES_URL"
# PostgreSQL type OIDs: int2, int4, int8, float4, float8, numeric.
_INTEGERS = frozenset({20, 21, 23})
_FLOATS = frozenset({700, 701})
_NUMERIC = _INTEGERS | _FLOATS | {1700}
_TEXT = frozenset({25, 1042, 1043})  # text, char(n), varchar
_CONNECT_SECONDS = 15


def score_in_postgres(
    item: Loaded,
    *,
    url: str,
    table: str,
    config: Config,
    into: str | None = None,
    keep: Sequence[str] | None = None,
) -> ServedRun:
    """Score every row of `table` with `item`'s ICP, inside PostgreSQL: written to the
    table `into` when given, else returned as a frame (as `icp score` writes it)."""
    source = table_name(table, "postgres", "--table").sql("postgres")
    target = table_name(into, "postgres", "--into") if into is not None else None
    if target is not None and target.sql("postgres") == source:
        raise UsageError(f"--into {into} is the --table itself: name another table")
    with connection(url) as con:
        names, types = _describe(con, source)
        numeric = {name for name in names if types[name] in _NUMERIC}
        query = served_query(
            item, names, numeric, dialect="postgres", table=source, source=source,
            config=config, keep=keep,
        )  # fmt: skip
        if target is None:
            frame = _frame(con.execute(query))
            return ServedRun(len(frame), band_counts(frame), frame=frame)
        shown = _write_table(con, query, target)
        rows = con.execute(f"SELECT band, count(*) FROM {shown} GROUP BY band").fetchall()
    bands = {str(band): int(count) for band, count in rows}
    return ServedRun(sum(bands.values()), bands, into=shown)


def shown_server(url: str) -> str:
    """user@host:port/database, as the URL names them (never the password)."""
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(url)
    user = f"{parts['user']}@" if parts.get("user") else ""
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"{user}{parts.get('host') or 'localhost'}{port}/{parts.get('dbname') or ''}"


@contextmanager
def connection(url: str) -> Iterator[Any]:
    """A connection to `url`; every psycopg error inside becomes an `Error:` line naming
    the server without its password."""
    try:
        import psycopg
    except ImportError:
        raise UsageError(
            "the postgres engine needs psycopg: pip install 'icpkit[postgres]'"
        ) from None
    try:
        server = shown_server(url)
    except psycopg.Error as exc:
        raise UsageError(f"the PostgreSQL URL is not valid: {_scrub(str(exc), url)}") from None
    try:
        con = psycopg.connect(url, autocommit=True, connect_timeout=_CONNECT_SECONDS)
    except psycopg.Error as exc:
        raise InputError(f"cannot connect to PostgreSQL at {server}: {_reason(exc, url)}") from None
    try:
        with con:
            yield con
    except psycopg.Error as exc:
        raise InputError(f"PostgreSQL at {server}: {_reason(exc, url)}") from None


def _reason(exc: BaseException, url: str) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return _scrub("; ".join(lines[:2]) or type(exc).__name__, url)


def _scrub(text: str, url: str) -> str:
    """`text` without the URL's password, should a message ever quote it."""
    from urllib.parse import unquote, urlsplit

    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    for secret in {password, unquote(password)} if password else ():
        text = text.replace(secret, "***")
    return text


def _describe(con: Any, source: str) -> tuple[list[str], dict[str, int]]:
    """The table's column names and type OIDs, as the query will see them."""
    import psycopg

    try:
        cursor = con.execute(f"SELECT * FROM {source} LIMIT 0")
    except (psycopg.errors.UndefinedTable, psycopg.errors.InvalidSchemaName):
        raise InputError(f"no table {source} in the database (--table)") from None
    described = cursor.description or ()
    return [c.name for c in described], {c.name: c.type_code for c in described}


def _write_table(con: Any, query: str, target: exp.Table) -> str:
    """`query`'s rows as the table `target`, replacing it in one transaction."""
    scratch = target.copy()
    scratch.set("this", exp.to_identifier(f"_icp_scores_{uuid.uuid4().hex[:12]}"))
    building, final = scratch.sql("postgres"), target.sql("postgres")
    with con.transaction():
        con.execute(f"CREATE TABLE {building} AS {query}")
        con.execute(f"DROP TABLE IF EXISTS {final}")
        renamed = exp.to_identifier(target.name, quoted=target.this.quoted).sql("postgres")
        con.execute(f"ALTER TABLE {building} RENAME TO {renamed}")
    return final


def _frame(cursor: Any) -> pd.DataFrame:
    """The result as the pandas engine types it: text as strings, doubles as float64."""
    described = cursor.description or ()
    rows = cursor.fetchall()
    columns: dict[str, pd.Series] = {}
    for index, column in enumerate(described):
        values = [row[index] for row in rows]
        columns[column.name] = pd.Series(values, dtype=_dtype(column.type_code))
    return pd.DataFrame(columns)


def _dtype(oid: int) -> Any:
    if oid in _TEXT:
        return TEXT_DTYPE
    if oid in _FLOATS:
        return "float64"
    if oid in _INTEGERS:
        return "Int64"
    return object
