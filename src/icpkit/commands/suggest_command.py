"""`icp suggest`: a draft ICP from what won and lost deals show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from icpkit.commands.output import CONFIG_OPTION, emit
from icpkit.errors import UsageError


@click.command("suggest")
@click.option("--deals", type=click.Path(path_type=Path), required=True, help="Closed deals.")
@click.option(
    "--accounts",
    type=click.Path(path_type=Path),
    help="Account attributes to join onto the deals by their account column. Default: the "
    "current ICP's validation.accounts, else the accounts setting.",
)
@click.option("--id", "icp_id", default=None, help="The draft's id (and file name).")
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="Where to write the draft ICP."
)
@click.option("--force", is_flag=True, help="Overwrite the draft file if it exists.")
@click.option(
    "--holdout-since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Fit on deals closed before DATE; report AUC on those closed on or after it.",
)
@click.option(
    "--current",
    type=click.Path(path_type=Path),
    help="The ICP to compare with. Default: the one whose validation.deals is --deals.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--report", type=click.Path(path_type=Path), help="Write the report to a file.")
@CONFIG_OPTION
def suggest_command(
    deals: Path,
    accounts: Path | None,
    icp_id: str | None,
    output: Path | None,
    force: bool,
    holdout_since: dt.datetime | None,
    current: Path | None,
    fmt: str,
    report: Path | None,
    config_file: Path | None,
) -> None:
    """Propose an ICP from won and lost deals: wins over opinions.

    Prints the wins-vs-losses table, then the rule each field's data supports: for
    numbers the range that holds 70-80% of wins with the best lift, for categories and
    lists the values that over-index in wins, triggers with their lift, and anti-ICP
    candidates where losses concentrate. Weights follow each rule's predictive power.
    The draft ICP it writes passes the schema, with the sections only a person can
    write marked TODO(author); `icp check` reports them (ICP031) until they are done.

    \b
    Examples:
      icp suggest --deals fixtures/deals/midmarket-saas-revops.csv
      icp suggest --deals deals.csv --id emea-suggested -o icps/emea-suggested.yaml
      icp suggest --deals deals.csv --holdout-since 2026-06-01
      icp suggest --deals sales_pipeline.csv --accounts accounts.csv
    """
    from icpkit.api import load_icp
    from icpkit.config import load_config
    from icpkit.fileio import atomic_write_text
    from icpkit.paths import display_path
    from icpkit.reporters.suggest import render_json, render_text
    from icpkit.scorer.deals import deal_files
    from icpkit.suggest.run import suggest_file

    config = load_config(explicit=config_file)
    reference = current or _current_for(deals, config)
    name = icp_id or f"{deals.name.split('.')[0].lower().replace('_', '-')}-suggested"
    if output is None:
        folder = config.root / config.paths[0] if config.paths else Path.cwd()
        output = (folder if folder.is_dir() else Path.cwd()) / f"{name}.yaml"
    if output.exists() and not force:
        raise UsageError(f"{display_path(output)} exists; pass --force to replace it, or -o")
    icp = load_icp(reference) if reference is not None else None
    files = deal_files(icp, config, deals=deals, accounts=accounts)
    assert files is not None  # deals is given
    suggestion = suggest_file(
        files,
        config=config,
        icp_id=name,
        holdout_since=holdout_since.date() if holdout_since else None,
        current=icp,
    )
    atomic_write_text(output, suggestion.draft_text)
    shown = display_path(output)
    render = render_json if fmt == "json" else render_text
    emit(render(suggestion, shown), report)


def _current_for(deals: Path, config: object) -> Path | None:
    """The project's ICP backtested on these deals, if exactly one is."""
    from icpkit.api import load_icp
    from icpkit.checks.runner import discover
    from icpkit.config import Config

    assert isinstance(config, Config)
    found = []
    for path in discover([config.root / p for p in config.paths], config):
        try:
            icp = load_icp(path)
        except Exception:
            continue
        named = icp.validation.deals
        if named and (config.root / named).resolve() == deals.resolve():
            found.append(path)
    return found[0] if len(found) == 1 else None
