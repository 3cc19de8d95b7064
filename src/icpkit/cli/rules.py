"""`icp rules`: the rule catalogue, or one rule's documentation."""

from __future__ import annotations

from pathlib import Path

import click

from icpkit.checks import Rule, find_rule
from icpkit.cli.options import config_option, format_option, output_option, validate_settings
from icpkit.cli.output import emit
from icpkit.reporters import formats_for, render
from icpkit.reporters.rules import RuleCatalogue


@click.command("rules")
@click.argument("rule", required=False)
# One rule or the whole catalogue: offer the formats both have.
@format_option(tuple(f for f in formats_for(RuleCatalogue) if f in formats_for(Rule)))
@output_option()
@config_option("Settings file; only validated, as the catalogue shows the defaults.")
def command(rule: str | None, fmt: str, output: Path | None, config_file: Path | None) -> None:
    """List the rules, or show one rule's documentation.

    \b
    Examples:
      icp rules
      icp rules ICP004
      icp rules too-few-triggers
    """
    validate_settings(config_file)
    emit(render(find_rule(rule) if rule else RuleCatalogue(), fmt), output)
