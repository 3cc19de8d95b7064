"""`icp suggest`: a draft ICP from what won and lost deals show."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from icpkit.cli.output import CONFIG_OPTION, emit
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
@click.option(
    "--exclude",
    multiple=True,
    metavar="COL",
    help="A column not to learn from (header or field name); repeat for more.",
)
@click.option(
    "--only",
    multiple=True,
    metavar="COL",
    help="Learn from these columns only; repeat for more. Named columns pass the leakage guard.",
)
@click.option(
    "--leakage-guard/--no-leakage-guard",
    default=True,
    show_default=True,
    help="Leave out columns that measure the sale itself or name the seller, and any single "
    "column that alone separates wins from losses almost perfectly.",
)
@click.option(
    "--folds",
    type=int,
    metavar="K",
    help="Out-of-fold AUC from K folds (grouped by account), beside the current ICP's.",
)
@click.option("--seed", type=int, default=None, help="Seed of the fold split (default: fixed).")
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
    exclude: tuple[str, ...],
    only: tuple[str, ...],
    leakage_guard: bool,
    folds: int | None,
    seed: int | None,
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

    Columns that measure the sale itself (days in a stage, stage names, ratios of days,
    stage changes), name the seller, or alone separate wins from losses almost perfectly
    are left out with a note (the leakage guard); --only names columns to use regardless.
    The AUC on the deals the draft was fitted on is optimistic: --holdout-since DATE or,
    without dates, --folds K gives one on deals the draft has not seen. With no field
    that separates wins from losses no draft is written and the exit code is 1.

    \b
    Examples:
      icp suggest --deals fixtures/deals/midmarket-saas-revops.csv
      icp suggest --deals deals.csv --id emea-suggested -o icps/emea-suggested.yaml
      icp suggest --deals deals.csv --holdout-since 2026-06-01
      icp suggest --deals sales_pipeline.csv --accounts accounts.csv
      icp suggest --deals deals.csv --folds 5 --exclude "Sales Rep"
    """
    from icpkit.checks.config import load_config
    from icpkit.fileio import atomic_write_text
    from icpkit.format.valid import load_icp
    from icpkit.paths import display_path
    from icpkit.reporters.suggest import render_json, render_text
    from icpkit.scorer.deals import deal_files
    from icpkit.suggest.columns import Columns
    from icpkit.suggest.folds import FOLD_SEED, MAX_FOLDS, MIN_FOLDS
    from icpkit.suggest.run import suggest_file

    config = load_config(explicit=config_file)
    # The id is the file name (ICP024), so -o names it when --id does not.
    default = f"{deals.name.split('.')[0].lower().replace('_', '-')}-suggested"
    name = icp_id or (output.name.split(".")[0] if output is not None else default)
    if output is None:
        folder = config.root / config.paths[0] if config.paths else Path.cwd()
        output = (folder if folder.is_dir() else Path.cwd()) / f"{name}.yaml"
    if output.exists() and not force:
        raise UsageError(f"{display_path(output)} exists; pass --force to replace it, or -o")
    if folds is not None and holdout_since is not None:
        raise UsageError("--folds and --holdout-since are two ways to test the draft: pick one")
    if folds is not None and not MIN_FOLDS <= folds <= MAX_FOLDS:
        raise UsageError(f"--folds must be between {MIN_FOLDS} and {MAX_FOLDS}, not {folds}")
    if seed is not None and folds is None:
        raise UsageError("--seed sets the fold split: pass --folds as well")
    reference = current or _current_for(deals, config, output)
    icp = load_icp(reference) if reference is not None else None
    files = deal_files(icp, config, deals=deals, accounts=accounts)
    assert files is not None  # deals is given
    suggestion = suggest_file(
        files,
        config=config,
        icp_id=name,
        holdout_since=holdout_since.date() if holdout_since else None,
        current=icp,
        columns=Columns(only=only, exclude=exclude, guard=leakage_guard),
        folds=folds,
        seed=FOLD_SEED if seed is None else seed,
    )
    render = render_json if fmt == "json" else render_text
    if suggestion.draft_text is None:
        emit(render(suggestion, None), report)
        sys.exit(1)
    atomic_write_text(output, suggestion.draft_text)
    emit(render(suggestion, display_path(output)), report)


def _current_for(deals: Path, config: object, draft: Path) -> Path | None:
    """The project's ICP backtested on these deals, if exactly one is (an earlier draft at
    the path being written does not count)."""
    from icpkit.format.valid import load_icp
    from icpkit.project.discovery import discover
    from icpkit.project.settings import Config

    assert isinstance(config, Config)
    found = []
    try:
        paths = discover([config.root / p for p in config.paths], config)
    except UsageError:  # no ICP in the project yet: nothing to compare with
        return None
    for path in paths:
        try:
            icp = load_icp(path)
        except Exception:
            continue
        named = icp.validation.deals
        if path.resolve() == draft.resolve():
            continue
        if named and (config.root / named).resolve() == deals.resolve():
            found.append(path)
    return found[0] if len(found) == 1 else None
