"""Which input columns a scored table carries, and under what names.

The rule, the same in the pandas engine, the DuckDB engine and the compiled SQL: result
columns (`score`, `band`, `status`, `points.*` ...) always have their own names, so a
pipeline reading them never depends on the input. An input column whose name equals a
result column's, ignoring case (warehouses fold it), is carried as `input_<name>`
(`Status` -> `input_Status`), with `input_` added again until the name is free.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from icpkit.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

INPUT_PREFIX = "input_"


def carried_names(
    inputs: Sequence[str],
    results: Iterable[str],
    *,
    keep: Sequence[str] | None = None,
    source: str = "the accounts file",
) -> dict[str, str]:
    """Input column -> its name in the result, in output order: `keep`'s, else all inputs."""
    chosen = list(inputs) if keep is None else [_find(name, inputs, source) for name in keep]
    # Only carried names count, so a query compiled with the same `keep` names them alike.
    lowered = {name.lower() for name in chosen}
    taken = {name.lower() for name in results}
    out: dict[str, str] = {}
    for name in dict.fromkeys(chosen):
        shown = name
        while shown.lower() in taken or (shown != name and shown.lower() in lowered):
            shown = INPUT_PREFIX + shown
        if shown != name:
            taken.add(shown.lower())
        out[name] = shown
    return out


def _find(name: str, inputs: Sequence[str], source: str) -> str:
    if name in inputs:
        return name
    folded = [column for column in inputs if column.casefold() == name.casefold()]
    if len(folded) == 1:
        return folded[0]
    listed = ", ".join(inputs)
    raise InputError(f"{source}: no column {name!r} to --keep; its columns are: {listed}")


def carried_frame(
    frame: pd.DataFrame,
    results: Iterable[str],
    *,
    keep: Sequence[str] | None = None,
    source: str = "the accounts file",
) -> pd.DataFrame:
    """The input columns to put before the result columns, renamed by `carried_names`."""
    names = carried_names([str(c) for c in frame.columns], results, keep=keep, source=source)
    return frame[list(names)].rename(columns=names)
