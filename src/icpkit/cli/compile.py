"""`icp compile`: the ICP as one SQL query or view for the warehouse."""

from __future__ import annotations

from pathlib import Path

import click

from icpkit.checks.config import load_config
from icpkit.cli.options import KEEP_OPTION, config_option, output_option
from icpkit.cli.output import emit, warn
from icpkit.errors import UsageError
from icpkit.scorer.loaded import Loaded
from icpkit.scorer.sql.dialects import DIALECTS
from icpkit.scorer.sql.query import compile_file, uncompiled_overrides

# Baking the rates in would freeze one backtest's figures into SQL that outlives them, and
# computing them needs the deals and pandas, which `icp compile` never loads.
EXPECTED_REFUSED = (
    "icp compile does not write expected_win_rate or expected_churn_rate: they come from a "
    "backtest of validation.deals (and validation.customers), which compiled SQL cannot redo "
    "as the deals and customers change; use `icp score --expected` (either engine), or join "
    "the band rates of `icp backtest --format json` (results[].calibration, "
    "results[].customers.bands) on band in the warehouse"
)


@click.command("compile")
@click.argument("icp", type=click.Path(path_type=Path))
@click.option("--dialect", type=click.Choice(DIALECTS), default="duckdb", show_default=True)
@click.option(
    "--table",
    default="accounts",
    show_default=True,
    help="The accounts table to read: name, schema.name or catalog.schema.name.",
)
@click.option("--view", help="Emit CREATE OR REPLACE VIEW NAME AS ... instead of a query.")
@KEEP_OPTION
@click.option(
    "--typed-numbers",
    is_flag=True,
    help="Numeric fields are numeric columns: skip reading numbers written as text (faster).",
)
@click.option(
    "--expected",
    is_flag=True,
    hidden=True,
    help="Refused: expected_win_rate and expected_churn_rate need a backtest, which the SQL "
    "cannot carry.",
)
@output_option("Write the SQL to a file (atomically) instead of stdout.")
@config_option()
def command(
    icp: Path,
    dialect: str,
    table: str,
    view: str | None,
    keep: tuple[str, ...],
    typed_numbers: bool,
    expected: bool,
    output: Path | None,
    config_file: Path | None,
) -> None:
    """Compile ICP into SQL that scores every row of an accounts table in the warehouse.

    The query returns the columns `icp score` writes: icp_id, icp_version, icp_commit,
    score, band, status, disqualifier, unknown_share, unknown_fields and points per
    attribute and trigger, then route, sla_hours, abm_tier and abm_rank where the ICP has
    activation, with the same values. Column names, coded values, unknown
    markers and the list separator come from [tool.icp] as they do for `icp score`.
    BigQuery names the points columns points__<field> (it allows no dots in names).

    \b
    Examples:
      icp compile icps/midmarket-saas-revops.yaml --dialect snowflake
      icp compile icps/midmarket-saas-revops.yaml --dialect bigquery --table crm.accounts \\
          --view crm.icp_scores -o icp_scores.sql
      icp compile icps/midmarket-saas-revops.yaml --dialect postgres --keep account_id
    """
    if expected:
        raise UsageError(EXPECTED_REFUSED)
    config = load_config(explicit=config_file)
    sql = compile_file(
        icp,
        config=config,
        dialect=dialect,
        table=table,
        view=view,
        keep=list(keep) or None,
        typed_numbers=typed_numbers,
    )
    if not keep:
        # The query cannot rename a column it does not know: say so rather than let a
        # table's own `score` or `status` sit beside ours under the same name.
        warn(
            f"without --keep every column of {table} is carried as it is; a column "
            "named like a result column (score, band, status, icp_id, points.*) would then "
            "appear twice, and one whose name starts with _icp_ would clash with the query's "
            "own helper columns: name the columns to carry with --keep, which renames the "
            "first kind input_<name> and carries the second under a name of its own"
        )
    overrides = uncompiled_overrides(Loaded.read(icp), config)
    if overrides is not None:
        warn(
            f"the overrides in {overrides} are not in the SQL: its rows keep the model's "
            "band; `icp score` (either engine) applies them, with status overridden"
        )
    emit(sql, output)
