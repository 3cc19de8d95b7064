"""`icp init`: start a new ICP repository."""

from __future__ import annotations

from pathlib import Path

import click

from icpkit.cli.options import config_option, output_option, validate_settings
from icpkit.cli.output import emit, warn
from icpkit.project.scaffold import scaffold
from icpkit.project.settings import DEFAULT_DOCS_URL

# The site holds win rates, deal sizes and disqualifiers; the pages workflow publishes it.
PUBLIC_PAGES = (
    ".github/workflows/pages.yml publishes the site (win rates, deal sizes, disqualifiers) "
    "to GitHub Pages, which anyone can read unless your organisation has private Pages. "
    "The site asks search engines to stay away (noindex: true in mkdocs.yml), which keeps "
    "no person out; to keep it inside the company see "
    f"{DEFAULT_DOCS_URL.removesuffix('rules/')}guide/site/#confidentiality"
)


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--id",
    "icp_id",
    default="example-icp",
    show_default=True,
    help="Id (and file name) of the example ICP.",
)
@click.option(
    "--no-codeowners",
    is_flag=True,
    help="Do not write .github/CODEOWNERS (sales, marketing and customer success sign off "
    "changes to icps/).",
)
@output_option("Write the list of created files to a file (atomically) instead of stdout.")
@config_option("Settings file; only validated, as the new repository gets its own.")
def command(
    directory: Path,
    icp_id: str,
    no_codeowners: bool,
    output: Path | None,
    config_file: Path | None,
) -> None:
    """Start a new ICP repository in DIRECTORY.

    Writes an example ICP, synthetic example deals it passes its backtest gates on,
    requirements.txt (the pinned icpkit release CI installs), pyproject.toml (settings and
    the CRM column mapping), .pre-commit-config.yaml, mkdocs.yml and GitHub workflows, so
    every check is green on the first push. Refuses to overwrite files.

    .github/CODEOWNERS asks sales, marketing and customer success to review changes to
    icps/ (placeholder team names to replace with yours); --no-codeowners leaves it out.

    The site it publishes holds win rates and deal sizes: GitHub Pages is public unless
    the organisation has private Pages, so the scaffolded mkdocs.yml sets `noindex: true`
    and init says so on stderr.

    \b
    Examples:
      icp init acme-icps
      icp init . --id midmarket-saas
      icp init acme-icps --no-codeowners
    """
    validate_settings(config_file)
    written = scaffold(directory, icp_id=icp_id, codeowners=not no_codeowners)
    created = "".join(f"created {path}\n" for path in written)
    follow = f"Next: cd {directory} && icp check && icp backtest && icp site serve"
    emit(f"{created}\n{follow}\n", output)
    warn(PUBLIC_PAGES)
