"""`icp compile` as a library call: an ICP file to the commented query a warehouse runs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from icpkit.project.overrides import overrides_path
from icpkit.project.settings import Config
from icpkit.scorer.contract import NUMERIC, field_kinds
from icpkit.scorer.loaded import Loaded
from icpkit.scorer.sql.compile import compile_icp


def compile_file(
    icp: Path,
    *,
    config: Config,
    dialect: str = "duckdb",
    table: str = "accounts",
    view: str | None = None,
    keep: Sequence[str] | None = None,
    typed_numbers: bool = False,
) -> str:
    """The query (or view) scoring every row of `table` with the ICP in file `icp`, headed
    by a comment naming the ICP version; stamped with the file's git commit."""
    loaded = Loaded.read(icp)
    model = loaded.icp
    numeric = frozenset(n for n, kind in field_kinds([model]).items() if kind == NUMERIC)
    compiled = compile_icp(
        model,
        dialect=dialect,
        mapping=config.mapping,
        table=table,
        view=view,
        keep=keep,
        typed_numbers=numeric if typed_numbers else frozenset(),
        ruler=loaded.ruler,
    )
    header = (
        f"-- {model.id} {model.version}, compiled by icp compile for {dialect}.\n"
        "-- Generated: edit the ICP file, not this query.\n"
    )
    overrides = uncompiled_overrides(loaded, config)
    if overrides is not None:
        header += (
            f"-- Not applied here: the overrides in {overrides.name} (icp score applies them).\n"
        )
    return header + compiled.sql + ";\n"


def uncompiled_overrides(loaded: Loaded, config: Config) -> Path | None:
    """The ICP's overrides file, which the compiled SQL does not apply (`icp score` does):
    a person's decisions change as often as they expire, unlike the model."""
    path = overrides_path(loaded.icp, loaded.path, config)
    return path if path.is_file() else None
