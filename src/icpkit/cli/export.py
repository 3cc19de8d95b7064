"""`icp export`: scored accounts, or an ICP's criteria, as the files other tools import."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from icpkit.cli.options import config_option, output_option
from icpkit.cli.output import emit, progress, warn
from icpkit.errors import UsageError
from icpkit.export import AUDIENCE_JSON, CRM, TARGETS

MAX_LINKEDIN_ROWS = 300_000  # export.linkedin.MAX_ROWS, here so --help loads no pandas


@click.command("export")
@click.argument("scored", required=False, type=click.Path(path_type=Path))
@click.option("--to", "target", type=click.Choice(TARGETS), required=True, help="What to write.")
@click.option(
    "--icp",
    "icps",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Score SCORED (an accounts file) against this ICP first (repeatable, or a folder); "
    "for linkedin-targeting and audience-json, the one ICP whose criteria are exported.",
)
@click.option("--id-column", metavar="COL", help="The column holding the CRM's record id.")
@click.option("--field", "fields", multiple=True, metavar="COL", help="Add a column (repeatable).")
@click.option(
    "--label",
    "labels",
    multiple=True,
    metavar="COL=LABEL",
    help="Write column COL with header LABEL, e.g. band=ICP_Band__c (repeatable).",
)
@click.option(
    "--map",
    "mapped",
    multiple=True,
    metavar="HEADER=COL",
    help="linkedin-companies: fill template HEADER from column COL (repeatable).",
)
@click.option(
    "--limit",
    type=click.IntRange(1, MAX_LINKEDIN_ROWS),
    help=f"linkedin-companies: at most this many rows (default {MAX_LINKEDIN_ROWS:,}, "
    "LinkedIn's limit).",
)
@click.option(
    "--industries",
    type=click.Path(path_type=Path),
    help="YAML mapping ICP industry values to LinkedIn industry names.",
)
@click.option("--size-field", default="employees", show_default=True, help="Company-size field.")
@click.option("--country-field", default="country", show_default=True, help="Country field.")
@click.option("--industry-field", default="industry", show_default=True, help="Industry field.")
@click.option(
    "--sdl",
    type=click.Path(path_type=Path),
    help="crm: also write a Salesforce Data Loader field mapping (.sdl) for batch mode.",
)
@click.option("--csv-raw", is_flag=True, help="Write CSV cells without the formula guard.")
@output_option("Write the export here, atomically. Default: stdout.")
@config_option()
def command(
    scored: Path | None,
    target: str,
    icps: tuple[Path, ...],
    id_column: str | None,
    fields: tuple[str, ...],
    labels: tuple[str, ...],
    mapped: tuple[str, ...],
    limit: int | None,
    industries: Path | None,
    size_field: str,
    country_field: str,
    industry_field: str,
    sdl: Path | None,
    csv_raw: bool,
    output: Path | None,
    config_file: Path | None,
) -> None:
    """Export scored accounts or an ICP's criteria for a CRM, LinkedIn or an ABM tool.

    SCORED is a file `icp score` wrote; with --icp it is an accounts file, scored here.
    --to crm: a Salesforce Data Loader / HubSpot import of each account's id, score, band,
    route, ABM tier, ICP id and version and disqualifier. linkedin-companies: the good or
    better accounts in Campaign Manager's company-list template, anti-ICP matches left out,
    capped at 300,000 rows. linkedin-targeting and audience-json: the ICP's size, country
    and industry criteria as targeting facets, the anti-ICP as exclusions. target-accounts:
    the ranked ABM list with its tiers, one row per account. What was left out, and why,
    goes to stderr.

    \b
    Examples:
      icp export scored.csv --to crm --id-column "Account ID" --label band=ICP_Band__c
      icp export accounts.csv --icp icps/midmarket-saas-revops.yaml --to linkedin-companies
      icp export --to linkedin-targeting --icp icps/midmarket-saas-revops.yaml \\
          --industries linkedin-industries.yaml -o targeting.csv
      icp export scored.parquet --to target-accounts -o abm.csv
    """
    from icpkit.checks.config import load_config
    from icpkit.export.audience import FacetFields
    from icpkit.export.labels import parse_pairs
    from icpkit.export.run import Request, export

    config = load_config(explicit=config_file)
    if csv_raw:
        config = dataclasses.replace(config, csv_raw=True)
    if sdl is not None and target != CRM:
        raise UsageError("--sdl is a Data Loader mapping for --to crm")
    _check_suffix(output, ".json" if target == AUDIENCE_JSON else ".csv")
    request = Request(
        target,
        scored,
        icps,
        id_column,
        fields,
        parse_pairs(labels, "--label"),
        parse_pairs(mapped, "--map"),
        limit,
        industries,
        FacetFields(size_field, country_field, industry_field),
    )
    with progress(scored or Path()) as advance:
        found = export(request, config, advance)
    for note in found.warnings:
        warn(note)
    _write(found.text, output, sdl, found.data_loader)
    where = f" -> {output}" if output is not None else ""
    for number, line in enumerate(found.summary, start=1):
        click.echo(line + (where if number == len(found.summary) else ""), err=True)


def _check_suffix(output: Path | None, suffix: str) -> None:
    """The file is what its name says: a CRM import named .parquet would be CSV inside."""
    from icpkit.fileio import is_stream

    if output is not None and not is_stream(output) and output.suffix.lower() != suffix:
        raise UsageError(f"{output}: this export is {suffix[1:].upper()}; name the file {suffix}")


def _write(text: str, output: Path | None, sdl: Path | None, mapping: str | None) -> None:
    """The export, and the Data Loader mapping beside it: both files or neither."""
    if sdl is None or mapping is None:
        emit(text, output)
        return
    from icpkit.fileio import atomic_write_all, atomic_write_text

    if output is None:
        atomic_write_text(sdl, mapping)
        emit(text, None)
    else:
        atomic_write_all({output: text, sdl: mapping})
