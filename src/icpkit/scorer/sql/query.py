"""`icp compile` as a library call: an ICP file to the commented query a warehouse runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from icpkit.project.overrides import overrides_path
from icpkit.project.settings import Config
from icpkit.scorer.casing import casing_warnings
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
    warn: Callable[[str], None] | None = None,
) -> str:
    """The query (or view) scoring every row of `table` with the ICP in file `icp`, headed
    by a comment naming the ICP version; stamped with the file's git commit. `warn` hears
    of values `dialect` may match differently from `icp score` (see `scorer.casing`)."""
    loaded = Loaded.read(icp)
    model = loaded.icp
    for message in casing_warnings(model, config.mapping, dialect):
        if warn is not None:
            warn(message)
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
