"""`icp score`: score an accounts file against ICPs."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from icpkit.checks.config import load_config
from icpkit.cli.options import KEEP_OPTION, config_option, output_option
from icpkit.cli.output import progress, warn
from icpkit.cli.spark import CONF_OPTION, MASTER_OPTION, refuse_spark_options, score_spark
from icpkit.errors import UsageError
from icpkit.project.settings import Config

if TYPE_CHECKING:
    from icpkit.scorer.calibration import Expected


@click.command("score")
# Both optional to click, so that --engine postgres takes ICPs alone; checked below.
@click.argument("icps", nargs=-1, metavar="ICPS...", type=click.Path(path_type=Path))
@click.argument("accounts", required=False, metavar="ACCOUNTS", type=click.Path(path_type=Path))
@output_option(
    "Write the scored accounts here (.csv, .parquet, .json, .jsonl), atomically; "
    "a symlink's target is replaced, /dev/stdout or a FIFO gets CSV as it is. "
    "Default: CSV on stdout.",
    hidden_aliases=("--out",),
)
@click.option(
    "--explain",
    "account",
    help='Print why ACCOUNT (name, deal id or "row N") scored what it did: each row, by its '
    "deal id or row, up to 5 (stderr says how many matched).",
)
@click.option(
    "--engine",
    type=click.Choice(["pandas", "duckdb", "postgres", "spark"]),
    help="pandas, or the compiled SQL on DuckDB: for files larger than memory; postgres "
    "scores a --table where it lives; spark, a file or a --table in a Spark session. "
    "Default: duckdb for Parquet and for CSV files of 50 MB or more when DuckDB is "
    "installed (said on stderr), pandas otherwise and with "
    "--explain.",
)
@click.option(
    "--url",
    envvar="ICPKIT_POSTGRES_URL",
    show_envvar=True,
    help="With --engine postgres: postgresql://user@host:port/database (a password is "
    "better kept in PGPASSWORD or ~/.pgpass than typed here).",
)
@click.option(
    "--table", help="With --engine postgres or spark: the accounts table, as schema.name."
)
@click.option(
    "--into",
    help="With --engine postgres or spark: write the scores to this table (replaced; in "
    "PostgreSQL in one transaction) instead of a file.",
)
@MASTER_OPTION
@CONF_OPTION
@KEEP_OPTION
@click.option(
    "--csv-raw",
    is_flag=True,
    help="Write CSV cells as scored, without the leading ' that keeps a spreadsheet from "
    "running a cell starting with = + - @ as a formula (as csv-raw = true in [tool.icp]).",
)
@click.option(
    "--expected",
    is_flag=True,
    help="Add expected_win_rate: the historical win rate of the row's band, from a "
    "backtest of its ICP's validation.deals (see icp backtest's calibration); and, where "
    "the ICP names validation.customers, expected_churn_rate: the band's churn rate.",
)
@config_option()
def command(
    icps: tuple[Path, ...],
    accounts: Path,
    output: Path | None,
    account: str | None,
    engine: str | None,
    keep: tuple[str, ...],
    csv_raw: bool,
    expected: bool,
    config_file: Path | None,
    url: str | None,
    table: str | None,
    into: str | None,
    spark_master: str | None,
    spark_conf: tuple[str, ...],
) -> None:
    """Score ACCOUNTS (CSV, Excel, Parquet or JSON Lines) against one or more ICPs.

    Each row keeps its columns (or those named with --keep) and gets score, band, status,
    disqualifier, unknown fields, points per attribute and trigger, and the ICP id,
    version and git commit it was scored with; where the ICP has activation, the row ends
    with its route, sla_hours, abm_tier and abm_rank. An input column named like one of
    these is kept as input_<name>. With several ICPs (or a folder of them) each account gets its
    best-fitting ICP. CRM column names, outcome labels and coded values are mapped with
    [tool.icp.columns] and friends. A trigger is read from a `triggers` column of ids, or,
    when it has `when`, from the row's own columns.

    With --expected each row also gets expected_win_rate, the share of its ICP's
    validation.deals in the row's band that were won (empty for a band that held no
    closed deals): "strong: 61% of such deals won" as a number sales can sort by. Where
    the ICP names validation.customers (or subscriptions), expected_churn_rate follows it:
    the share of the band's customers who churned.

    With --engine duckdb the ICP is compiled to SQL (see `icp compile`) and DuckDB reads,
    scores and writes the file in parallel, out of core; the results are the same. With
    --engine postgres the accounts are a --table on the server at --url, scored there and
    written back with --into, or to the -o file; every argument is then an ICP. With
    --engine spark a Spark session (local, unless --spark-master names a cluster) scores
    the ACCOUNTS file or a --table of its catalog, written to -o or saved --into a table. Without
    --engine, DuckDB scores Parquet files and CSV files of 50 MB or more when it is
    installed (a line on stderr says so), pandas the rest.

    \b
    Examples:
      icp score icps/midmarket-saas-revops.yaml accounts.csv -o scored.csv
      icp score icps/ accounts.parquet -o scored.parquet --keep "Account ID" --keep Name
      icp score icps/midmarket-saas-revops.yaml accounts.csv --explain "Acme Corp"
      icp score icps/midmarket-saas-revops.yaml universe.parquet --engine duckdb -o s.parquet
      icp score icps/midmarket-saas-revops.yaml accounts.csv --expected -o scored.csv
      icp score icps/midmarket-saas-revops.yaml --engine postgres --table crm.accounts \\
        --into crm.icp_scores
      icp score icps/midmarket-saas-revops.yaml universe.parquet --engine spark -o s.parquet
    """
    if engine != "spark":
        refuse_spark_options(spark_master, spark_conf)
    if engine == "postgres":
        icps = (*icps, accounts) if accounts is not None else icps
        _score_postgres(icps, url, table, into, output, config_file, list(keep),
                        account=account, expected=expected, csv_raw=csv_raw)  # fmt: skip
        return
    if engine == "spark":
        refused = {"--explain": account is not None, "--expected": expected}
        config, done = score_spark(icps, accounts, table=table, into=into, out=output,
                                   master=spark_master, conf=spark_conf, config_file=config_file,
                                   keep=list(keep), refused=refused, csv_raw=csv_raw)  # fmt: skip
        for note in done.notes:
            warn(note)
        if done.frame is not None:
            _write(done.frame, output, config)
        _scored_line(done.rows, done.bands, output if into is None else done.into)
        return
    if table is not None or into is not None:
        raise UsageError(
            "--table and --into name warehouse tables: add --engine postgres or --engine spark"
        )
    if accounts is None or not icps:
        raise click.UsageError("Missing argument 'ICPS...'.")
    config = load_config(explicit=config_file)
    if csv_raw:
        config = dataclasses.replace(config, csv_raw=True)
    rates = _expected(icps, config) if expected else None
    engine = engine or _picked(accounts, "--explain" if account is not None else None)
    if engine == "duckdb":
        if account is not None:
            raise UsageError("--explain reads the pandas engine's working; drop --engine duckdb")
        _score_duckdb(icps, accounts, output, config, list(keep) or None, rates)
        return
    from icpkit.reporters import render
    from icpkit.scorer.explain import explain
    from icpkit.scorer.run import score_file

    with progress(accounts) as advance:
        run = score_file(
            icps,
            accounts,
            config=config,
            keep=list(keep) or None,
            progress=advance,
            expected=rates,
        )
    for issue in run.issues:
        warn(issue)
    if account is not None:
        explained = explain(run, account, mapping=config.mapping)
        click.echo("\n".join(render(e, "text") for e in explained.found), nl=False)
        for note in explained.notes:
            warn(note)
    if output is not None or account is None:
        _write(run.frame, output, config)
    counts = {str(k): int(v) for k, v in run.frame["band"].value_counts().items()}
    _scored_line(len(run.frame), counts, output)


def _picked(accounts: Path, pandas_only: str | None) -> str:
    from icpkit.scorer.pick import pick_engine

    picked = pick_engine(accounts, pandas_only=pandas_only)
    if picked.reason:
        click.echo(
            f"Scoring with {picked.engine}: {picked.reason} (--engine pandas to use pandas)",
            err=True,
        )
    return picked.engine


def _score_duckdb(
    icps: tuple[Path, ...],
    accounts: Path,
    out: Path | None,
    config: Config,
    keep: list[str] | None,
    expected: Expected | None,
) -> None:
    from icpkit.scorer.sql.engine import score_with_duckdb

    run = score_with_duckdb(icps, accounts, config=config, out=out, keep=keep, expected=expected)
    for issue in run.issues:
        warn(issue)
    if run.frame is not None:
        _write(run.frame, out, config)
    _scored_line(run.rows, run.bands, out)


def _score_postgres(
    icps: tuple[Path, ...],
    url: str | None,
    table: str | None,
    into: str | None,
    out: Path | None,
    config_file: Path | None,
    keep: list[str],
    *,
    account: str | None,
    expected: bool,
    csv_raw: bool,
) -> None:
    """--engine postgres: a table scored on its server (scorer.sql.postgres)."""
    from icpkit.scorer.loaded import scoring_icps
    from icpkit.scorer.sql.postgres import score_in_postgres
    from icpkit.scorer.sql.query import uncompiled_overrides

    refused = {"--explain": account is not None, "--expected": expected}
    if any(refused.values()):
        shown = next(name for name, given in refused.items() if given)
        raise UsageError(f"{shown} is not available with --engine postgres")
    if not url or not table or (out is not None and into is not None):
        raise UsageError(
            "--engine postgres scores a table: give --url (or ICPKIT_POSTGRES_URL), "
            "--table schema.accounts, and --into schema.icp_scores or -o FILE (not both; "
            "neither: CSV on stdout)"
        )
    if not icps:
        raise click.UsageError("Missing argument 'ICPS...'.")
    config = load_config(explicit=config_file)
    config = dataclasses.replace(config, csv_raw=True) if csv_raw else config
    loaded = scoring_icps(icps, config)
    if len(loaded) != 1:
        raise UsageError("--engine postgres scores with one ICP at a time")
    overrides = uncompiled_overrides(loaded[0], config)
    if overrides is not None:
        # The compiled query does not hold a person's overrides (as `icp compile` warns).
        warn(f"the overrides in {overrides} are not applied with --engine postgres")
    run = score_in_postgres(
        loaded[0], url=url, table=table, config=config, into=into, keep=keep or None
    )
    if run.frame is not None:
        _write(run.frame, out, config)
    _scored_line(run.rows, run.bands, out if into is None else run.into)


def _expected(icps: tuple[Path, ...], config: Config) -> Expected:
    """Each ICP's band win rates, from its backtest, with what they rest on said."""
    from icpkit.scorer.expected import expected_for_paths

    found = expected_for_paths(icps, config)
    for note in found.notes:
        warn(note)
    return found


def _write(frame: Any, out: Path | None, config: Config) -> None:
    """The scored frame to `out` in the format its suffix names, else as CSV on stdout."""
    if out is not None:
        from icpkit.scorer.tables import write_table

        write_table(frame, out, csv_raw=config.csv_raw)
    else:
        from icpkit.scorer.csvcells import csv_text

        click.echo(csv_text(frame, raw=config.csv_raw), nl=False)


def _scored_line(rows: int, counts: dict[str, int], out: Path | str | None) -> None:
    from icpkit.scorer.contract import ALL_BANDS

    shown = ", ".join(f"{band} {counts[band]:,}" for band in ALL_BANDS if counts.get(band))
    where = f" -> {out}" if out else ""
    click.echo(f"Scored {rows:,} accounts: {shown}{where}", err=True)
