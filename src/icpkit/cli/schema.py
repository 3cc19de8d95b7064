"""`icp schema`: the JSON Schema of the ICP file format."""

from __future__ import annotations

from pathlib import Path

import click

from icpkit.cli.options import config_option, output_option, validate_settings
from icpkit.cli.output import emit
from icpkit.format.schema import schema_text


@click.command("schema")
@output_option("Write the schema to a file (atomically) instead of stdout.")
@config_option("Settings file; only validated, as the schema does not depend on settings.")
def command(output: Path | None, config_file: Path | None) -> None:
    """Print the JSON Schema (Draft 2020-12) of the ICP file format.

    Editors validate ICP files as you type with it; see the editor setup page.

    \b
    Examples:
      icp schema > schema/icp.schema.json
      icp schema -o schema/icp.schema.json
    """
    validate_settings(config_file)
    emit(schema_text(), output)
