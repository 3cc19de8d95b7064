"""`icp site`: build or preview the ICP site."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click

from icpkit.cli.errors import ExitCode
from icpkit.cli.options import config_option, output_option
from icpkit.cli.output import emit
from icpkit.paths import display_path

# The site's settings are its mkdocs.yml; mkdocs spells the option -f/--config-file.
MKDOCS_CONFIG = config_option(
    "The site's mkdocs configuration ([tool.icp] is read from its folder).",
    "--config-file",
    "-f",
    default="mkdocs.yml",
    show_default=True,
)


ENGINE = click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="mkdocs-material (runs the icpkit plugin) or Zensical (pip install "
    "'icpkit[zensical]'), built from the generated pages staged in .cache/icpkit/.",
)


@click.group("site")
def command() -> None:
    """Build or preview the ICP site (mkdocs-material or Zensical, configured by mkdocs.yml).

    \b
    Examples:
      icp site build
      icp site build --engine zensical
      icp site serve
    """
    # Material prints an end-of-life banner on every run; it is not about the user's site.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@command.command("build")
@MKDOCS_CONFIG
@click.option("--site-dir", "-d", type=click.Path(path_type=Path), help="Where to write the site.")
@click.option(
    "--strict/--no-strict",
    default=True,
    show_default=True,
    help="Fail on any warning (broken links included) and keep the previous site.",
)
@ENGINE
@output_option("Write the build's summary line to a file (atomically) instead of stdout.")
def build(
    config_file: Path, site_dir: Path | None, strict: bool, engine: str, output: Path | None
) -> ExitCode:
    """Generate the ICP pages and build the site.

    Pages for every ICP (profile, sales playbook, one-page battle card, backtest,
    history), the catalogue and the rule catalogue are generated from the files, then
    mkdocs (or Zensical, from the pages staged in .cache/icpkit/zensical/) builds the site.
    Exit 1 when strict mode finds warnings; the previous site is then left as it was. A
    killed build never leaves half a site, and a second build at once waits for the first.
    Exit 2 when the engine is not installed, naming the extra that installs it.

    \b
    Examples:
      icp site build
      icp site build --site-dir public
      icp site build --engine zensical
      icp site build -f docs/mkdocs.yml --no-strict
    """
    from icpkit.site.build import build_site

    result = build_site(config_file, site_dir=site_dir, strict=strict, engine=engine)
    for warning in result.warnings:
        click.echo(f"WARNING  {warning}", err=True)
    if not result.written:
        click.echo(f"site not written: {len(result.warnings)} warning(s) in strict mode", err=True)
        return ExitCode.FINDINGS
    where = display_path(result.site_dir)  # as typed: no build machine's path in a log
    emit(f"Built {result.pages} pages into {where} in {result.seconds:.1f} s\n", output)
    return ExitCode.OK


@command.command("serve")
@MKDOCS_CONFIG
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, help="IP:PORT.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@ENGINE
def serve(config_file: Path, dev_addr: str, open_browser: bool, engine: str) -> None:
    """Preview the site with live reload; editing an ICP or its deals rebuilds the pages.

    \b
    Examples:
      icp site serve
      icp site serve --dev-addr 0.0.0.0:8000 --open
      icp site serve --engine zensical
    """
    from icpkit.site.build import serve_site

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-8s %(message)s"))
    for name in ("mkdocs", "icpkit.site"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    serve_site(config_file, dev_addr=dev_addr, open_browser=open_browser, engine=engine)
