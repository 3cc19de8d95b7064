"""The `icp` command. The only module that prints, apart from the reporters it calls."""

from __future__ import annotations

import dataclasses
import math
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from icpkit.cli.output import KEEP_OPTION
from icpkit.errors import IcpError, UsageError
from icpkit.version import __version__

FORMATS = ("text", "json", "github", "sarif", "markdown", "junit")
EXIT_FINDINGS = 1
EXIT_ERROR = 2
PROGRESS_BYTES = 20_000_000


class FiniteRange(click.FloatRange):
    """A FloatRange that also refuses nan, which compares false with both bounds."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number.", param, ctx)
        return number


class IcpGroup(click.Group):
    """The one error boundary: `Error: ...` on stderr and exit 2, a traceback only with --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                traceback.print_exc()
            if isinstance(exc, IcpError):
                message = str(exc)
            elif isinstance(exc, OSError):
                message = f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
            else:
                message = f"internal error: {exc!r}; rerun with --debug and report it"
            click.echo(f"Error: {message}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=IcpGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="icp")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """Ideal Customer Profiles as code: check, score and publish your ICPs."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format. Default: github under GitHub Actions, else text.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Lowest severity that makes the exit code 1. Default: warning.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    help="Settings file (icp.toml or pyproject.toml). Default: found upwards.",
)
@click.option("--no-baseline", is_flag=True, help="Ignore the baseline file.")
@click.option(
    "--write-baseline", is_flag=True, help="Accept every current finding into the baseline file."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Write the report to a file (atomically) instead of stdout.",
)
def check(
    paths: tuple[Path, ...],
    fmt: str | None,
    fail_on: str | None,
    config_file: Path | None,
    no_baseline: bool,
    write_baseline: bool,
    output: Path | None,
) -> None:
    """Check ICP files for schema errors and vague criteria.

    PATHS are ICP files or folders of them (default: `paths` in the settings, or icps/).
    Exit 0 when clean, 1 when findings reach --fail-on, 2 on usage or input errors.

    \b
    Examples:
      icp check
      icp check icps/midmarket-saas.yaml --format json
      icp check --fail-on error --format sarif -o icp.sarif
    """
    from icpkit.checks.config import load_config
    from icpkit.checks.runner import check as run_check
    from icpkit.findings import Severity
    from icpkit.reporters import render

    config = load_config(explicit=config_file)
    baseline_file = config.baseline
    report = run_check(
        paths,
        config=config,
        fail_on=Severity.parse(fail_on) if fail_on else None,
        use_baseline=not no_baseline,
        write_baseline_to=baseline_file if write_baseline else None,
    )
    fmt = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    _emit(render(report, fmt, color=color), output)
    if report.baseline_written is not None:
        click.echo(
            f"Wrote {report.baseline_written} accepted findings to {baseline_file}", err=True
        )
    click.get_current_context().exit(EXIT_FINDINGS if report.failed else 0)


@cli.command()
@click.argument("rule", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules(rule: str | None, fmt: str) -> None:
    """List the rules, or show one rule's documentation.

    \b
    Examples:
      icp rules
      icp rules ICP004
      icp rules too-few-triggers
    """
    from icpkit.reporters.rules import describe, listing

    click.echo(describe(rule, fmt) if rule else listing(fmt), nl=False)


@cli.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Write the schema to a file (atomically) instead of stdout.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema (Draft 2020-12) of the ICP file format.

    Editors validate ICP files as you type with it; see the editor setup page.

    \b
    Examples:
      icp schema > schema/icp.schema.json
      icp schema -o schema/icp.schema.json
    """
    from icpkit.format.schema import schema_text

    _emit(schema_text(), output)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--id",
    "icp_id",
    default="example-icp",
    show_default=True,
    help="Id (and file name) of the example ICP.",
)
def init(directory: Path, icp_id: str) -> None:
    """Start a new ICP repository in DIRECTORY.

    Writes an example ICP, synthetic example deals it passes its backtest gates on,
    requirements.txt (the pinned icpkit release CI installs), pyproject.toml (settings and
    the CRM column mapping), .pre-commit-config.yaml, mkdocs.yml and GitHub workflows, so
    every check is green on the first push. Refuses to overwrite files.

    \b
    Examples:
      icp init acme-icps
      icp init . --id midmarket-saas
    """
    from icpkit.project.scaffold import scaffold

    written = scaffold(directory, icp_id=icp_id)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"\nNext: cd {directory} && icp check && icp backtest && icp site serve")


@cli.command()
@click.argument("icps", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.argument("accounts", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    help="Write the scored accounts here (.csv, .parquet, .json, .jsonl), atomically; "
    "a symlink's target is replaced, /dev/stdout or a FIFO gets CSV as it is. "
    "Default: CSV on stdout.",
)
@click.option("--explain", "account", help="Print why ACCOUNT (name or id) scored what it did.")
@click.option(
    "--engine",
    type=click.Choice(["pandas", "duckdb"]),
    default="pandas",
    show_default=True,
    help="pandas, or the compiled SQL on DuckDB: for files larger than memory.",
)
@KEEP_OPTION
@click.option(
    "--csv-raw",
    is_flag=True,
    help="Write CSV cells as scored, without the leading ' that keeps a spreadsheet from "
    "running a cell starting with = + - @ as a formula (as csv-raw = true in [tool.icp]).",
)
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Settings file.")
def score(
    icps: tuple[Path, ...],
    accounts: Path,
    out: Path | None,
    account: str | None,
    engine: str,
    keep: tuple[str, ...],
    csv_raw: bool,
    config_file: Path | None,
) -> None:
    """Score ACCOUNTS (CSV, Excel, Parquet or JSON Lines) against one or more ICPs.

    Each row keeps its columns (or those named with --keep) and gets score, band, status,
    disqualifier, unknown fields, points per attribute and trigger, and the ICP id,
    version and git commit it was scored with; an input column named like one of these
    is kept as input_<name>. With several ICPs (or a folder of them) each account gets its
    best-fitting ICP. CRM column names, outcome labels and coded values are mapped with
    [tool.icp.columns] and friends. A trigger is read from a `triggers` column of ids, or,
    when it has `when`, from the row's own columns.

    With --engine duckdb the ICP is compiled to SQL (see `icp compile`) and DuckDB reads,
    scores and writes the file in parallel, out of core; the results are the same.

    \b
    Examples:
      icp score icps/midmarket-saas-revops.yaml accounts.csv -o scored.csv
      icp score icps/ accounts.parquet -o scored.parquet --keep "Account ID" --keep Name
      icp score icps/midmarket-saas-revops.yaml accounts.csv --explain "Acme Corp"
      icp score icps/midmarket-saas-revops.yaml universe.parquet --engine duckdb -o s.parquet
    """
    from icpkit.checks.config import load_config

    config = load_config(explicit=config_file)
    if csv_raw:
        config = dataclasses.replace(config, csv_raw=True)
    if engine == "duckdb":
        if account is not None:
            raise UsageError("--explain reads the pandas engine's working; drop --engine duckdb")
        _score_duckdb(icps, accounts, out, config, list(keep) or None)
        return
    from icpkit.scorer.run import score_file

    with _progress(accounts) as advance:
        run = score_file(icps, accounts, config=config, keep=list(keep) or None, progress=advance)
    for issue in run.issues:
        click.echo(f"warning: {issue}", err=True)
    if account is not None:
        from icpkit.reporters.explain import render_explanation
        from icpkit.scorer.explain import explain

        found = explain(run, account, mapping=config.mapping)
        click.echo("\n".join(render_explanation(e) for e in found), nl=False)
    if out is not None:
        from icpkit.scorer.tables import write_table

        write_table(run.frame, out, csv_raw=config.csv_raw)
    elif account is None:
        from icpkit.scorer.csvcells import csv_text

        click.echo(csv_text(run.frame, raw=config.csv_raw), nl=False)
    counts = {str(k): int(v) for k, v in run.frame["band"].value_counts().items()}
    _scored_line(len(run.frame), counts, out)


def _score_duckdb(
    icps: tuple[Path, ...], accounts: Path, out: Path | None, config: Any, keep: list[str] | None
) -> None:
    from icpkit.scorer.sql.engine import score_with_duckdb

    run = score_with_duckdb(icps, accounts, config=config, out=out, keep=keep)
    for issue in run.issues:
        click.echo(f"warning: {issue}", err=True)
    if run.frame is not None:
        if out is not None:
            from icpkit.scorer.tables import write_table

            write_table(run.frame, out, csv_raw=config.csv_raw)
        else:
            from icpkit.scorer.csvcells import csv_text

            click.echo(csv_text(run.frame, raw=config.csv_raw), nl=False)
    _scored_line(run.rows, run.bands, out)


def _scored_line(rows: int, counts: dict[str, int], out: Path | None) -> None:
    from icpkit.scorer.contract import ALL_BANDS as BANDS

    shown = ", ".join(f"{band} {counts[band]}" for band in BANDS if counts.get(band))
    where = f" -> {out}" if out else ""
    click.echo(f"Scored {rows} accounts: {shown}{where}", err=True)


@cli.command()
@click.argument("icps", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--deals",
    type=click.Path(path_type=Path),
    help="Deals to backtest against, instead of each ICP's validation.deals.",
)
@click.option(
    "--accounts",
    type=click.Path(path_type=Path),
    help="Account attributes to join onto the deals by their account column, instead of "
    "validation.accounts or the accounts setting.",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only deals closed on or after this date (an out-of-time check).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to a file.")
@click.option(
    "--bootstrap",
    "resamples",
    type=click.IntRange(0, 100_000),
    default=1000,
    show_default=True,
    help="Bootstrap resamples for the AUC interval (0 to skip).",
)
@click.option(
    "--against",
    metavar="REV",
    help="Also backtest each ICP as it was at REV; fail if AUC fell or a gate broke.",
)
@click.option(
    "--auc-tolerance",
    type=FiniteRange(0, 1),
    help="How far AUC may fall below REV's. Default: auc-tolerance setting, else 0.02.",
)
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Settings file.")
def backtest(
    icps: tuple[Path, ...],
    deals: Path | None,
    accounts: Path | None,
    since: Any,
    fmt: str,
    output: Path | None,
    resamples: int,
    against: str | None,
    auc_tolerance: float | None,
    config_file: Path | None,
) -> None:
    """Backtest ICPs against closed deals and enforce their validation gates.

    ICPS are files or folders (default: `paths` in the settings). Reports win rate, lift,
    deal size and cycle by band, AUC with a bootstrap interval, the quality checklist,
    disqualifiers and the wins-vs-losses table. Exit 1 when a gate fails, or with
    --against REV when the change lowered AUC by more than the tolerance or broke a gate
    that passed at REV (both versions score the same deals).

    \b
    Examples:
      icp backtest
      icp backtest icps/midmarket-saas-revops.yaml --since 2026-07-01
      icp backtest --against origin/main --format markdown -o backtest.md
    """
    from icpkit.checks.config import load_config
    from icpkit.reporters.backtest import RENDERERS
    from icpkit.scorer.run import backtest_paths

    config = load_config(explicit=config_file)
    run = backtest_paths(
        icps,
        config=config,
        deals=deals,
        accounts=accounts,
        since=since.date() if since else None,
        resamples=resamples,
    )
    if against is not None:
        from icpkit.scorer.run import backtest_against

        tolerance = config.auc_tolerance if auc_tolerance is None else auc_tolerance
        run = backtest_against(
            run,
            against,
            config=config,
            tolerance=tolerance,
            since=since.date() if since else None,
        )
    _emit(RENDERERS[fmt](run), output)
    click.get_current_context().exit(0 if run.passed else EXIT_FINDINGS)


@cli.command("diff")
@click.argument("sides", nargs=-1, metavar="[OLD NEW]")
@click.option(
    "--base",
    metavar="REV",
    help="Diff every ICP this branch changed since it left REV (e.g. main, origin/main).",
)
@click.option(
    "--deals",
    type=click.Path(path_type=Path),
    help="Deals both versions score, instead of the ICP's validation.deals.",
)
@click.option("--no-impact", is_flag=True, help="List the changes only; score no deals.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to a file.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when any ICP changed, as `git diff` does.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Settings file.")
def diff_command(
    sides: tuple[str, ...],
    base: str | None,
    deals: Path | None,
    no_impact: bool,
    fmt: str,
    output: Path | None,
    exit_code: bool,
    config_file: Path | None,
) -> None:
    """Show what changed between two versions of an ICP and what it does to the deals.

    Each side is a file, a git REV:path, or ICP_ID@YYYY-Qn (the last commit in which
    the ICP's version was that quarter). Changes are matched by natural key (trigger id,
    anti-ICP id, persona role, channel), classed scoring, gate or content, and carry a
    stable fingerprint. Both versions then score the same deals: band moves and the
    backtest figures side by side. --format markdown writes a pull-request comment.

    \b
    Examples:
      icp diff midmarket-saas-revops@2026-Q2 midmarket-saas-revops@2026-Q3
      icp diff main:icps/midmarket-saas-revops.yaml icps/midmarket-saas-revops.yaml
      icp diff --base origin/main --format markdown -o icp-diff.md
    """
    from icpkit.checks.config import load_config
    from icpkit.diff.run import DiffReport, compare, diff_base
    from icpkit.errors import UsageError
    from icpkit.reporters.diff import RENDERERS
    from icpkit.vcs.sides import resolve_side

    config = load_config(explicit=config_file)
    if base is not None:
        if sides:
            raise UsageError("give either --base REV or two sides (OLD NEW), not both")
        report = diff_base(base, config=config, deals=deals, with_impact=not no_impact)
    elif len(sides) == 2:
        old, new = (resolve_side(spec, config) for spec in sides)
        item = compare(old, new, config=config, deals=deals, with_impact=not no_impact)
        report = DiffReport((item,))
    else:
        raise UsageError("give two sides to compare (OLD NEW), or --base REV")
    _emit(RENDERERS[fmt](report), output)
    click.get_current_context().exit(EXIT_FINDINGS if exit_code and report.changed else 0)


@cli.command()
@click.argument("icp")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to a file.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Settings file.")
def history(icp: str, fmt: str, output: Path | None, config_file: Path | None) -> None:
    """Show an ICP's versions across quarters and what each one changed, from git.

    ICP is an ICP id (looked up under the configured paths) or a file. Each version
    lists its dates, authors and commits, and the semantic diff from the version
    before it. Renames are followed. Needs the full history: in CI check out with
    `fetch-depth: 0`.

    \b
    Examples:
      icp history midmarket-saas-revops
      icp history icps/midmarket-saas-revops.yaml --format markdown
    """
    from icpkit.checks.config import load_config
    from icpkit.paths import display_path
    from icpkit.reporters.history import RENDERERS, HistoryView
    from icpkit.vcs.sides import find_icp_file, tracked_history

    config = load_config(explicit=config_file)
    given = Path(icp)
    path = given if given.is_file() else find_icp_file(icp, config)
    view = HistoryView(path.stem, display_path(path), tracked_history(path))
    _emit(RENDERERS[fmt](view), output)


_MKDOCS_CONFIG = click.option(
    "--config-file",
    "-f",
    type=click.Path(path_type=Path),
    default="mkdocs.yml",
    show_default=True,
    help="The mkdocs configuration.",
)


@cli.group()
def site() -> None:
    """Build or preview the ICP site (mkdocs-material, configured by mkdocs.yml).

    \b
    Examples:
      icp site build
      icp site serve
    """
    # Material prints an end-of-life banner on every run; it is not about the user's site.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@site.command("build")
@_MKDOCS_CONFIG
@click.option("--site-dir", "-d", type=click.Path(path_type=Path), help="Where to write the site.")
@click.option(
    "--strict/--no-strict",
    default=True,
    show_default=True,
    help="Fail on any warning (broken links included) and keep the previous site.",
)
def site_build(config_file: Path, site_dir: Path | None, strict: bool) -> None:
    """Generate the ICP pages and build the site.

    Pages for every ICP (profile, sales playbook, backtest, history), the catalogue and
    the rule catalogue are generated from the files, then mkdocs builds the site. Exit 1
    when strict mode finds warnings; the previous site is then left as it was. A killed
    build never leaves half a site, and a second build at once waits for the first.

    \b
    Examples:
      icp site build
      icp site build --site-dir public
      icp site build -f docs/mkdocs.yml --no-strict
    """
    from icpkit.site.build import build_site

    result = build_site(config_file, site_dir=site_dir, strict=strict)
    for warning in result.warnings:
        click.echo(f"WARNING  {warning}", err=True)
    if not result.written:
        click.echo(f"site not written: {len(result.warnings)} warning(s) in strict mode", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(f"Built {result.pages} pages into {result.site_dir} in {result.seconds:.1f} s")


@site.command("serve")
@_MKDOCS_CONFIG
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, help="IP:PORT.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
def site_serve(config_file: Path, dev_addr: str, open_browser: bool) -> None:
    """Preview the site with live reload; editing an ICP or its deals rebuilds the pages.

    \b
    Examples:
      icp site serve
      icp site serve --dev-addr 0.0.0.0:8000 --open
    """
    import logging

    from icpkit.site.build import serve_site

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-8s %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    serve_site(config_file, dev_addr=dev_addr, open_browser=open_browser)


@contextmanager
def _progress(source: Path) -> Iterator[Callable[[int, int], None] | None]:
    """A bar on stderr for big inputs on a terminal; nothing in pipes and CI logs."""
    big = source.is_file() and source.stat().st_size > PROGRESS_BYTES
    if not (big and sys.stderr.isatty()):
        yield None
        return
    bars: list[Any] = []

    def advance(step: int, total: int) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label="scoring", file=sys.stderr))
            bars[0].__enter__()
        bars[0].update(step)

    try:
        yield advance
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


def _emit(text: str, output: Path | None) -> None:
    from icpkit.cli.output import emit

    emit(text, output)


from icpkit.cli import compile as compile_command  # noqa: E402
from icpkit.cli import coverage as coverage_command  # noqa: E402
from icpkit.cli import suggest as suggest_command  # noqa: E402

cli.add_command(compile_command.compile_icp_command)
cli.add_command(coverage_command.coverage_command)
cli.add_command(suggest_command.suggest_command)


def main() -> None:
    cli(prog_name="icp")
