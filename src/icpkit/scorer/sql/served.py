"""What the engines that score a table where it lives (PostgreSQL, Spark) share: the query
compiled for the table's own columns, and what a run gives back."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from icpkit.project.mapping import TRIGGERS
from icpkit.project.settings import Config
from icpkit.scorer.carry import carried_names
from icpkit.scorer.columns import resolve_columns
from icpkit.scorer.contract import LIST, field_kinds, reads_trigger_ids
from icpkit.scorer.loaded import Loaded
from icpkit.scorer.sql.compile import compile_icp
from icpkit.scorer.tables import Table, check_header


@dataclass(frozen=True)
class ServedRun:
    """What was scored: the rows and band counts, and the frame (or the table written)."""

    rows: int
    bands: dict[str, int]
    frame: pd.DataFrame | None = None
    into: str | None = None
    notes: tuple[str, ...] = ()


def served_query(
    item: Loaded,
    names: Sequence[str],
    numeric: Collection[str],
    *,
    dialect: str,
    table: str,
    source: str,
    config: Config,
    keep: Sequence[str] | None,
    holder: str = "table",
) -> str:
    """The compiled query over `table`, whose columns are `names` (`numeric` those the
    engine holds as numbers): each field's column resolved as a file's is (an InputError
    naming a missing one, as for `source`), numeric ones read as numbers. Two columns
    named alike but for case are refused, as the file reader refuses them: the query
    quotes each name, so it would read whichever one a field happens to name."""
    check_header(source, names, holder=holder)
    kinds = field_kinds([item.icp])
    if reads_trigger_ids([item.icp]):
        kinds[TRIGGERS] = LIST
    shape = Table(pd.DataFrame(columns=list(names)), Path(source))
    found = resolve_columns(shape, shape.frame, kinds, config.mapping)
    typed = frozenset(name for name, column in found.items() if column in numeric)
    carried = list(carried_names(names, (), keep=keep, source=source))
    return compile_icp(
        item.icp, dialect=dialect, mapping=config.mapping, table=table, keep=carried,
        columns=found, typed_numbers=typed, ruler=item.ruler, pretty=False,
        exact_names=True,
    ).sql  # fmt: skip


def band_counts(frame: pd.DataFrame) -> dict[str, int]:
    return {str(k): int(v) for k, v in frame["band"].value_counts().items()}
