"""`icp score --engine duckdb`: the compiled query, run on DuckDB over a local file.

DuckDB reads CSV and Parquet itself, in parallel and out of core, so files far larger
than pandas could hold are scored in one pass; the result is written by DuckDB too.
Anything DuckDB does not read natively (zipped CSV, Excel, JSON, CSV in a legacy
encoding) is read by `scorer.tables` and handed to DuckDB as a frame, so every input
still works.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from icpkit.bounds import scan
from icpkit.errors import InputError, UsageError
from icpkit.fileio import atomic_target, is_stream
from icpkit.format.model import Icp
from icpkit.paths import relative_path
from icpkit.project.mapping import TRIGGERS
from icpkit.project.overrides import overrides_path
from icpkit.project.settings import Config
from icpkit.scorer import csvcells
from icpkit.scorer.calibration import Expected
from icpkit.scorer.carry import carried_names
from icpkit.scorer.columns import join_accounts, resolve_columns
from icpkit.scorer.contract import LIST, field_kinds, reads_trigger_ids, routing_columns
from icpkit.scorer.loaded import Loaded
from icpkit.scorer.orchestrate import combined, resolved, score_accounts
from icpkit.scorer.overrides import overridden
from icpkit.scorer.sql.compile import compile_icp, result_columns
from icpkit.scorer.sql.dictionary import dictionary_columns
from icpkit.scorer.sql.expected import with_expected_sql
from icpkit.scorer.sql.ranks import Ranks, count_ranks

# The pandas reader's sniffing, so both engines read a CSV the same way.
from icpkit.scorer.tables import (
    Table,
    check_header,
    check_sample,
    csv_delimiter,
    csv_encoding,
    csv_footer,
    csv_header,
    csv_sample,
    parquet_header,
    read_table,
    table_exists,
    table_format,
)

SOURCE = "icp_accounts"
_NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
)
_COPY_FORMATS = {".parquet": "PARQUET", ".csv": "CSV"}
# Parts of DuckDB's messages that quote the file or the query, or list reader options.
_NOISE = ("Original Line", "Possible", "* ", "LINE ", "file = ")
_REASON_CHARS = 300


@dataclass(frozen=True)
class EngineRun:
    """What was scored: the result frame, or the file DuckDB wrote it to, and band counts."""

    icps: tuple[Loaded, ...]
    rows: int
    bands: dict[str, int]
    frame: pd.DataFrame | None = None
    written: Path | None = None
    # What the reader noticed (a sheet picked, an encoding guessed), as `ScoreRun.issues`.
    issues: tuple[str, ...] = ()


def connect() -> Any:
    try:
        import duckdb
    except ImportError:
        raise UsageError(
            "the duckdb engine needs DuckDB: pip install 'icpkit[duckdb]' (or pip install duckdb)"
        ) from None
    return duckdb.connect()


def score_with_duckdb(
    icp_paths: Sequence[Path],
    accounts: Path,
    *,
    config: Config,
    out: Path | None = None,
    keep: Sequence[str] | None = None,
    expected: Expected | None = None,
) -> EngineRun:
    """Score `accounts` like `scorer.run.score_file`, with the SQL running in DuckDB."""
    engine = DuckDBEngine(out, expected)
    with engine_errors(accounts, config):
        return score_accounts(icp_paths, accounts, config=config, engine=engine, keep=keep)


@contextmanager
def engine_errors(path: Path, config: Config) -> Iterator[None]:
    """The one place DuckDB's exceptions become errors a user can act on: what DuckDB
    raises while reading or scoring the file is about the file (a ragged row, a broken
    Parquet footer, a value its type cannot hold), named as the pandas reader names it.
    DuckDB's messages quote the offending line and its settings; only the reason is kept."""
    try:
        yield
    except Exception as exc:
        duckdb = sys.modules.get("duckdb")
        if duckdb is None or not isinstance(exc, duckdb.Error):
            raise
        shown = relative_path(path, config.root)
        raise InputError(f"{shown}: DuckDB cannot read it: {duckdb_reason(exc)}") from None


def duckdb_reason(exc: BaseException) -> str:
    """The lines of a DuckDB message that say what is wrong and where, without the file's
    own text (`Original Line: ...`), the query, or the reader options it lists."""
    kept: list[str] = []
    for line in str(exc).splitlines():
        text = line.strip()
        if not text or line.startswith(" ") or text.startswith(_NOISE) or set(text) <= {"^"}:
            continue
        kept.append(text)
    reason = "; ".join(kept[:2]) or type(exc).__name__
    return reason if len(reason) <= _REASON_CHARS else reason[: _REASON_CHARS - 1] + "\u2026"


@dataclass(frozen=True)
class _Source:
    """The file registered as the SOURCE view, and its ICP fields' columns once resolved."""

    con: Any
    path: Path
    notes: tuple[str, ...]
    # The file's own columns: those an accounts file joined on scores by but never carries.
    names: tuple[str, ...]
    found: Mapping[str, str] = field(default_factory=dict)
    typed: frozenset[str] = frozenset()
    # Columns read as dictionaries (a Parquet file's; see `scorer.sql.dictionary`).
    dictionary: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DuckDBEngine:
    """The DuckDB engine, as `scorer.orchestrate` runs it: the file registered in DuckDB,
    each ICP compiled to SQL, the query run there; with `out`, written by DuckDB too."""

    out: Path | None = None
    expected: Expected | None = None

    def read(self, accounts: Path, config: Config) -> _Source:
        con = connect()
        notes = _register(con, accounts, config)
        if not con.sql(f"SELECT 1 FROM {SOURCE} LIMIT 1").fetchall():
            raise InputError(f"{accounts}: the file has a header but no rows")  # as pandas says
        names = tuple(str(row[0]) for row in con.sql(f"DESCRIBE {SOURCE}").fetchall())
        parquet = table_format(accounts) == "parquet"
        dictionary = dictionary_columns(con, accounts) if parquet else frozenset()
        return _Source(con, accounts, notes, names, dictionary=dictionary)

    def resolve(
        self, source: _Source, icps: Sequence[Icp], config: Config, joined: Table | None
    ) -> _Source:
        notes, dictionary = source.notes, source.dictionary
        if joined is not None:
            notes = _register_joined(source.con, source.path, joined, config)
            dictionary = frozenset()  # a frame now, read row by row
        found, typed = _columns(source.con, source.path, icps, config)
        return replace(source, notes=notes, found=found, typed=typed, dictionary=dictionary)

    def score(
        self,
        source: _Source,
        loaded: Sequence[Loaded],
        *,
        config: Config,
        keep: Sequence[str] | None,
    ) -> EngineRun:
        con, accounts, out = source.con, source.path, self.out
        # Validated before any query runs, with the error the pandas engine gives.
        carried = list(carried_names(source.names, (), keep=keep, source=str(accounts)))
        # One ICP is routed in its query: its ranks counted first, so none is joined back.
        ranks = counted_ranks(source, loaded[0], config) if len(loaded) == 1 else None
        queries = [
            compile_icp(
                item.icp,
                dialect="duckdb",
                mapping=config.mapping,
                table=SOURCE,
                keep=carried if len(loaded) == 1 else [],
                columns=dict(source.found),
                typed_numbers=source.typed,
                dictionary_columns=source.dictionary,
                ruler=item.ruler,
                pretty=False,
                # Several ICPs are routed after the best fit is picked (scorer.orchestrate).
                routing=len(loaded) == 1,
                ranks=ranks,
            ).sql
            for item in loaded
        ]
        if self.expected is not None:
            rates, churn = self.expected.rates, self.expected.churn
            queries = [
                with_expected_sql(
                    q,
                    rates[item.icp.id],
                    carried if len(loaded) == 1 else [],
                    result_columns(item.icp, routing=len(loaded) == 1),
                    churn[item.icp.id] if churn else None,
                    routing_columns([item.icp]) if len(loaded) == 1 else (),
                )
                for item, q in zip(loaded, queries, strict=True)
            ]
        # Overrides are applied to the result as the pandas engine applies them (one
        # function, scorer.overrides), so DuckDB does not write the file itself then.
        overrides = any(overrides_path(i.icp, i.path, config).is_file() for i in loaded)
        if len(loaded) == 1:
            # DuckDB reads its output back to count the bands: not possible from a pipe.
            copy = out is not None and out.suffix.lower() in _COPY_FORMATS and not is_stream(out)
            if copy and out is not None and not overrides:
                copied = _copy(con, queries[0], out, tuple(loaded), csv_raw=config.csv_raw)
                return replace(copied, issues=source.notes)
            frame = con.sql(queries[0]).df()
            rows = con.sql(f"SELECT * FROM {SOURCE}").df() if overrides else frame
        else:
            scored = [con.sql(q).df() for q in queries]
            rows = con.sql(f"SELECT * FROM {SOURCE}").df()
            frame = combined(loaded, scored, rows, keep=carried, source=str(accounts))
        applied = overridden(loaded, frame, rows, config, source=str(accounts))
        frame = applied.frame
        counts = {str(k): int(v) for k, v in frame["band"].value_counts().items()}
        notes = (*source.notes, *applied.notes)
        return EngineRun(tuple(loaded), len(frame), counts, frame=frame, issues=notes)


def counted_ranks(source: _Source, item: Loaded, config: Config) -> Ranks | None:
    """The ICP's ranks by score (`scorer.sql.ranks`), from a first pass that computes only
    band and score per row; None without `activation:`, or where a lookup would not do."""
    if item.icp.activation is None:
        return None
    keys = source.con.sql(
        f"SELECT band, score, count(*) FROM ({_bands_only(source, item, config)}) GROUP BY ALL"
    ).fetchall()
    return count_ranks((str(band), float(score), int(rows)) for band, score, rows in keys)


def _bands_only(source: _Source, item: Loaded, config: Config) -> str:
    return compile_icp(
        item.icp, mapping=config.mapping, table=SOURCE, keep=[], columns=dict(source.found),
        typed_numbers=source.typed, dictionary_columns=source.dictionary, ruler=item.ruler,
        pretty=False, routing=False,
    ).sql  # fmt: skip


def band_counts(item: Loaded, accounts: Path, *, config: Config) -> dict[str, int]:
    """Accounts per band, aggregated inside DuckDB: no row leaves the engine."""
    engine = DuckDBEngine()
    with engine_errors(accounts, config):
        source = resolved(engine, engine.read(accounts, config), accounts, [item.icp], config)
        rows = source.con.sql(
            f"SELECT band, count(*) FROM ({_bands_only(source, item, config)}) GROUP BY band"
        ).fetchall()
    return {str(band): int(count) for band, count in rows}


def _columns(
    con: Any, accounts: Path, icps: Sequence[Icp], config: Config
) -> tuple[dict[str, str], frozenset[str]]:
    """The file's column for each field, and the fields whose columns are numeric."""
    described = con.sql(f"DESCRIBE {SOURCE}").fetchall()
    names = [str(row[0]) for row in described]
    types = {str(row[0]): str(row[1]) for row in described}
    kinds = field_kinds(icps)
    if reads_trigger_ids(icps):
        kinds[TRIGGERS] = LIST
    table = Table(pd.DataFrame(columns=names), accounts)
    found = resolve_columns(table, table.frame, kinds, config.mapping)
    typed = frozenset(
        name for name, column in found.items() if types[column].startswith(_NUMERIC_TYPES)
    )
    return found, typed


def _register(con: Any, path: Path, config: Config) -> tuple[str, ...]:
    if not table_exists(path):
        raise InputError(f"data file not found: {path}")
    fmt = table_format(path)
    literal = "'" + str(path).replace("'", "''") + "'"
    if fmt == "parquet":
        parquet_header(path)
        con.sql(f"CREATE VIEW {SOURCE} AS SELECT * FROM read_parquet({literal})")
        return ()
    native = fmt == "csv" and path.suffix.lower() in (".csv", ".gz", ".tsv", ".txt")
    raw = check_sample(path, csv_sample(path, config.limits)) if native else b""
    encoding, sample = csv_encoding(raw) if native else ("", "")
    # A report footer is left out by the pandas reader; reading through it keeps one answer.
    delimiter = csv_delimiter(sample) if native else ","
    if native and encoding in ("utf-8", "utf-8-sig") and not csv_footer(path, encoding, delimiter):
        check_header(path, csv_header(sample, delimiter))
        # DuckDB reads the file itself: measured first as pandas reads it (caps on what a
        # compressed file holds, a NUL byte anywhere), so both engines refuse the same files.
        scan(path, config.limits)
        quoted = delimiter.replace("'", "''")
        # All text, as the pandas reader does: the SQL decides what is a number.
        options = f"all_varchar = true, header = true, delim = '{quoted}', quote = '\"', "
        options += "escape = '\"'"
        import duckdb

        try:
            con.sql(f"CREATE VIEW {SOURCE} AS SELECT * FROM read_csv({literal}, {options})")
        except duckdb.InvalidInputException:
            # Rows shorter than the header (exports drop trailing empty cells): pandas pads
            # them; so does DuckDB, though only with its single-threaded reader.
            options += ", null_padding = true, parallel = false"
            con.sql(f"CREATE VIEW {SOURCE} AS SELECT * FROM read_csv({literal}, {options})")
        return ()
    table = read_table(path, config.limits)
    con.register(SOURCE, table.frame)
    return table.notes


def _register_joined(con: Any, path: Path, accounts: Table, config: Config) -> tuple[str, ...]:
    """Deals of a two-file export: the accounts file joined on by the pandas reader, as
    `icp score` joins it, so both engines see the same rows; then scored in DuckDB."""
    table = read_table(path, config.limits)
    rows, issues = join_accounts(table, accounts, config.mapping)
    con.execute(f"DROP VIEW IF EXISTS {SOURCE}")
    con.register(SOURCE, rows.frame)
    return (*table.notes, *issues)


def _copy(
    con: Any, query: str, out: Path, loaded: tuple[Loaded, ...], *, csv_raw: bool
) -> EngineRun:
    fmt = _COPY_FORMATS[out.suffix.lower()]
    options = "FORMAT PARQUET" if fmt == "PARQUET" else "FORMAT CSV, HEADER true"
    # Into atomic_target's own file: DuckDB's temp-and-rename would swap its locked inode.
    options += ", USE_TMP_FILE false"
    if fmt == "CSV":
        query = _csv_cells(con, query, raw=csv_raw)
    with atomic_target(out) as tmp:
        literal = "'" + str(tmp).replace("'", "''") + "'"
        con.sql(f"COPY ({query}) TO {literal} ({options})")
        reader = "read_parquet" if fmt == "PARQUET" else "read_csv"
        extra = "" if fmt == "PARQUET" else ", all_varchar = true, header = true"
        rows = con.sql(
            f"SELECT band, count(*) FROM {reader}({literal}{extra}) GROUP BY band"
        ).fetchall()
    bands = {str(band): int(count) for band, count in rows}
    return EngineRun(loaded, sum(bands.values()), bands, written=out)


def _csv_cells(con: Any, query: str, *, raw: bool) -> str:
    """Text cells as the pandas engine writes them to CSV (`scorer.csvcells`).

    DuckDB writes an empty string as `""` and NULL as nothing; pandas writes both as
    nothing. CSV has one empty cell, so the DuckDB output writes it as pandas does. Unless
    `raw`, a cell a spreadsheet would run as a formula gets a leading `'`, as in pandas."""
    relation = con.sql(query)
    selected = []
    for name, kind in zip(relation.columns, relation.types, strict=True):
        quoted = '"' + name.replace('"', '""') + '"'
        alias = quoted if raw else '"' + csvcells.guarded_name(name).replace('"', '""') + '"'
        if str(kind) == "VARCHAR":
            cell = quoted if raw else _guarded(quoted)
            selected.append(f"NULLIF({cell}, '') AS {alias}")
        else:
            selected.append(f"{quoted} AS {alias}")
    return f"SELECT {', '.join(selected)} FROM ({query})"


def _guarded(name: str) -> str:
    # OR-ed equalities, not `IN (...)`: DuckDB plans that IN list as a join, which on a
    # parallel CSV scan hands the rows to COPY out of order (chunks shuffled past ~120k).
    first = f"left({name}, 1)"
    triggers = " OR ".join(f"{first} = chr({ord(c)})" for c in csvcells.TRIGGERS)
    guard = csvcells.GUARD.replace("'", "''")
    return (
        f"CASE WHEN ({triggers}) AND NOT regexp_full_match({name}, "
        f"'{csvcells.NUMBER}') THEN '{guard}' || {name} ELSE {name} END"
    )
