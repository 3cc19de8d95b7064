"""`icp suggest`: a draft ICP from what won and lost deals show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from icpkit.checks.config import load_config
from icpkit.cli.errors import ExitCode
from icpkit.cli.options import config_option, format_option, output_option, since_option
from icpkit.cli.output import emit
from icpkit.errors import UsageError
from icpkit.fileio import atomic_write_all
from icpkit.format.valid import load_icp
from icpkit.paths import display_path
from icpkit.reporters import formats_for, render
from icpkit.scorer.deals import DealFiles, deal_files
from icpkit.suggest.columns import Columns
from icpkit.suggest.customers import TARGETS, customer_files, customer_source
from icpkit.suggest.folds import FOLD_SEED, MAX_FOLDS, MIN_FOLDS
from icpkit.suggest.project import current_for, draft_id, draft_path
from icpkit.suggest.run import Suggestion, suggest_file
from icpkit.suggest.segments import MAX_SEGMENTS, MIN_SEGMENTS, SEGMENT_FOLDS, segment_files
from icpkit.suggest.source import Source

_NOT_WITH_CUSTOMERS = (
    "--from customers takes --target retention, nrr or ltv, and --customers FILE instead of "
    "--deals; it tests the draft out of fold (--folds K, 5 by default), not with "
    "--holdout-since: customers who started later have had less time to churn or grow"
)


@click.command("suggest")
@click.option(
    "--from",
    "origin",
    type=click.Choice(["deals", "customers"]),
    default="deals",
    show_default=True,
    help="Learn from won against lost deals, or from the best customers against the rest.",
)
@click.option("--deals", type=click.Path(path_type=Path), help="Closed deals (--from deals).")
@click.option(
    "--customers",
    type=click.Path(path_type=Path),
    help="With --from customers: the customers file. Default: the current ICP's "
    "validation.customers, or the one project ICP that names one.",
)
@click.option(
    "--target",
    type=click.Choice(TARGETS),
    help="With --from customers, who the best customers are: retention (still active), nrr "
    "(top quartile by net revenue retention) or ltv (top quartile by lifetime revenue).",
)
@click.option(
    "--accounts",
    type=click.Path(path_type=Path),
    help="Account attributes to join onto the deals by their account column. Default: the "
    "current ICP's validation.accounts, else the accounts setting.",
)
@click.option("--id", "icp_id", default=None, help="The draft's id (and file name).")
@click.option(
    "--draft",
    type=click.Path(path_type=Path),
    help="Where to write the draft ICP. Default: <id>.yaml in the first ICP folder.",
)
@click.option("--force", is_flag=True, help="Overwrite the draft file if it exists.")
@since_option(
    "--holdout-since",
    "Fit on deals closed before DATE; report AUC on those closed on or after it.",
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
@click.option(
    "--segments",
    type=int,
    metavar="K",
    help=f"Up to K drafts ({MIN_SEGMENTS}-{MAX_SEGMENTS}), one per segment of the dimension whose "
    "wins differ most, each with its out-of-fold AUC (--folds, default "
    f"{SEGMENT_FOLDS}); or one draft when one ICP fits.",
)
@format_option(formats_for(Suggestion))
@output_option(hidden_aliases=("--report",))
@config_option()
def command(
    origin: str,
    deals: Path | None,
    customers: Path | None,
    target: str | None,
    accounts: Path | None,
    icp_id: str | None,
    draft: Path | None,
    force: bool,
    holdout_since: dt.datetime | None,
    current: Path | None,
    exclude: tuple[str, ...],
    only: tuple[str, ...],
    leakage_guard: bool,
    folds: int | None,
    seed: int | None,
    segments: int | None,
    fmt: str,
    output: Path | None,
    config_file: Path | None,
) -> ExitCode:
    """Propose an ICP from won and lost deals (or from the best customers): wins over opinions.

    Prints the wins-vs-losses table, then the rule each field's data supports: for
    numbers the range that holds 70-80% of wins with the best lift, for categories and
    lists the values that over-index in wins, triggers with their lift, and anti-ICP
    candidates where losses concentrate. Weights follow each rule's predictive power.
    The draft ICP it writes (--draft) passes the schema, with the sections only a person
    can write marked TODO(author); `icp check` reports them (ICP031) until they are done.
    The report goes to stdout, or to -o/--output.

    Columns that measure the sale itself (days in a stage, stage names, ratios of days,
    stage changes), name the seller, or alone separate wins from losses almost perfectly
    are left out with a note (the leakage guard); --only names columns to use regardless.
    The AUC on the deals the draft was fitted on is optimistic: --holdout-since DATE or,
    without dates, --folds K gives one on deals the draft has not seen. With no field
    that separates wins from losses no draft is written and the exit code is 1.

    --from customers --target retention|nrr|ltv learns from the customers file instead
    (mapped as `icp backtest` maps it): the customers still active, or the top quartile by
    net revenue retention or by lifetime revenue, against the rest, with the same guard
    (plus columns that record churn, cancellation or renewal), and an out-of-fold AUC for
    the target (--folds 5 unless given).

    --segments K splits the wins on one field at a time and, when the wins of one segment
    look different from another's, writes up to K drafts, <id>-<segment>.yaml, each fitted
    on its segment and measured on held-out folds within it; otherwise it says one ICP fits
    and writes the one draft. All drafts are written, or none.

    \b
    Examples:
      icp suggest --deals fixtures/deals/midmarket-saas-revops.csv
      icp suggest --deals deals.csv --id emea-suggested --draft icps/emea-suggested.yaml
      icp suggest --deals deals.csv --holdout-since 2026-06-01 -o suggest.txt
      icp suggest --deals sales_pipeline.csv --accounts accounts.csv
      icp suggest --deals deals.csv --folds 5 --exclude "Sales Rep"
      icp suggest --from customers --target nrr --customers customers.csv
      icp suggest --deals deals.csv --segments 3
    """
    config = load_config(explicit=config_file)
    if output is not None and output.suffix in (".yaml", ".yml"):
        # Before the CLI's one pattern, -o named the draft: refuse rather than write the
        # report into what the user meant as an ICP file.
        raise UsageError(
            f"-o/--output is where the report goes; to write the draft ICP to {output}, "
            f"use --draft {output}"
        )
    _check_segments(segments, holdout_since is not None)
    if folds is not None and holdout_since is not None:
        raise UsageError("--folds and --holdout-since are two ways to test the draft: pick one")
    if folds is not None and not MIN_FOLDS <= folds <= MAX_FOLDS:
        raise UsageError(f"--folds must be between {MIN_FOLDS} and {MAX_FOLDS}, not {folds}")
    source: DealFiles | Source
    if origin == "customers":
        if deals is not None or target is None or holdout_since is not None:
            raise UsageError(_NOT_WITH_CUSTOMERS)
        files = customer_files(customers, accounts, load_icp(current) if current else None, config)
        icp, folds = files.current, 5 if folds is None else folds
        beside = icp.validation.deals if icp is not None else None
        source, _ = customer_source(files.customers, files.accounts, config, target, beside)
        name = draft_id(
            files.customers.with_stem(f"{files.customers.stem}-{target}"), icp_id, draft
        )
        draft = draft_path(name, draft, config, force=force or segments is not None)
    else:
        if deals is None:
            raise UsageError("--deals FILE is missing (or learn from customers: --from customers)")
        if customers is not None or target is not None:
            raise UsageError("--customers and --target go with --from customers")
        if seed is not None and folds is None:
            raise UsageError("--seed sets the fold split: pass --folds as well")
        name = draft_id(deals, icp_id, draft)
        draft = draft_path(name, draft, config, force=force or segments is not None)
        reference = current or current_for(deals, config, draft)
        icp = load_icp(reference) if reference is not None else None
        found = deal_files(icp, config, deals=deals, accounts=accounts)
        assert found is not None  # deals is given
        source = found
    suggestion = suggest_file(
        source,
        config=config,
        icp_id=name,
        holdout_since=holdout_since.date() if holdout_since else None,
        current=icp,
        columns=Columns(only=only, exclude=exclude, guard=leakage_guard),
        folds=folds,
        seed=FOLD_SEED if seed is None else seed,
        segments=segments,
    )
    drafts = _drafts(suggestion, name, draft)
    if not drafts:
        emit(render(suggestion, fmt, written=None), output)
        return ExitCode.FINDINGS
    taken = [display_path(path) for path, _ in drafts.values() if path.exists()]
    if taken and not force:
        raise UsageError(f"{', '.join(taken)} already exists; pass --force to replace it")
    atomic_write_all(dict(drafts.values()))
    shown = {icp: display_path(path) for icp, (path, _) in drafts.items()}
    emit(render(suggestion, fmt, written=shown.get(name), segment_files=shown), output)
    return ExitCode.OK


def _drafts(suggestion: Suggestion, name: str, draft: Path) -> dict[str, tuple[Path, str]]:
    """The files to write, by ICP id: one per segment when split, else the one draft."""
    if suggestion.segments is not None and suggestion.segments.split:
        return segment_files(suggestion.segments, draft)
    return {} if suggestion.draft_text is None else {name: (draft, suggestion.draft_text)}


def _check_segments(segments: int | None, holdout: bool) -> None:
    if segments is None:
        return
    if not MIN_SEGMENTS <= segments <= MAX_SEGMENTS:
        raise UsageError(
            f"--segments must be between {MIN_SEGMENTS} and {MAX_SEGMENTS}, not {segments}"
            + ("; one ICP is what icp suggest drafts without it" if segments == 1 else "")
        )
    if holdout:
        raise UsageError(
            "--segments measures each segment on held-out folds (--folds K): "
            "leave out --holdout-since"
        )
