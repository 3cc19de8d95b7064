"""`icp score --engine spark`'s own options, checked and run (scorer.sql.spark); kept out
of cli/score.py so that the command stays one screen."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from icpkit.checks.config import load_config
from icpkit.cli.output import warn
from icpkit.errors import UsageError
from icpkit.project.settings import Config

if TYPE_CHECKING:
    from icpkit.scorer.sql.served import ServedRun

# scorer.sql.spark.MASTER, not imported from there: that module loads pandas and pyarrow.
MASTER = "local[*]"
MASTER_OPTION = click.option(
    "--spark-master",
    help=f"With --engine spark: the master of the session icp starts (default {MASTER}; "
    "local[2], spark://host:7077, yarn).",
)
CONF_OPTION = click.option(
    "--spark-conf",
    multiple=True,
    metavar="KEY=VALUE",
    help="With --engine spark: a session setting (repeatable), such as "
    "spark.sql.catalogImplementation=hive for the catalog --table and --into name.",
)


def refuse_spark_options(master: str | None, conf: tuple[str, ...]) -> None:
    """Spark's options without --engine spark would be silently ignored: say so instead."""
    if master is not None or conf:
        raise UsageError("--spark-master and --spark-conf set up --engine spark: add it")


def score_spark(
    icps: tuple[Path, ...],
    accounts: Path | None,
    *,
    table: str | None,
    into: str | None,
    out: Path | None,
    master: str | None,
    conf: tuple[str, ...],
    config_file: Path | None,
    keep: list[str],
    refused: dict[str, bool],
    csv_raw: bool,
) -> tuple[Config, ServedRun]:
    """Check the options, then score a file or a --table in a Spark session: the config
    and the `ServedRun` (its frame still to write when there is one)."""
    from icpkit.scorer.loaded import scoring_icps
    from icpkit.scorer.sql.query import uncompiled_overrides
    from icpkit.scorer.sql.spark import score_in_spark, session

    if any(refused.values()):
        shown = next(name for name, given in refused.items() if given)
        raise UsageError(f"{shown} is not available with --engine spark")
    if os.environ.get("SPARK_REMOTE"):
        # pyspark would switch to Spark Connect, which icpkit is not tested on (nor installs).
        raise UsageError(
            "SPARK_REMOTE is set, but --engine spark starts its own session (--spark-master); "
            "Spark Connect is not supported yet: unset SPARK_REMOTE"
        )
    if table is None:
        # Without --table, the last argument is the accounts file, as for the other engines.
        icps, accounts = (icps[:-1], icps[-1]) if accounts is None and icps else (icps, accounts)
    else:
        icps = (*icps, accounts) if accounts is not None else icps
        accounts = None
    if out is not None and into is not None:
        raise UsageError("--engine spark writes --into a table or -o a file, not both")
    if not icps or (accounts is None and table is None):
        raise click.UsageError("Missing argument 'ICPS...'.")
    settings = dict(_setting(text) for text in conf)
    config = load_config(explicit=config_file)
    config = dataclasses.replace(config, csv_raw=True) if csv_raw else config
    loaded = scoring_icps(icps, config)
    if len(loaded) != 1:
        raise UsageError("--engine spark scores with one ICP at a time")
    overrides = uncompiled_overrides(loaded[0], config)
    if overrides is not None:
        # The compiled query does not hold a person's overrides (as `icp compile` warns).
        warn(f"the overrides in {overrides} are not applied with --engine spark")
    with session(master or MASTER, settings) as spark:
        run = score_in_spark(
            spark, loaded[0], config=config, accounts=accounts, table=table, into=into,
            keep=keep or None,
        )  # fmt: skip
    return config, run


def _setting(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key.strip():
        raise UsageError(f"--spark-conf {text!r}: write KEY=VALUE")
    return key.strip(), value
