"""Column labels: an export's column names as the importing system spells its fields.

`--label band=ICP_Band__c` (or `[tool.icp.export.labels]`) renames a column in the header,
so Data Loader's and HubSpot's column matching needs no person: the job runs unattended.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from icpkit.errors import UsageError


def parse_pairs(pairs: Sequence[str], option: str) -> dict[str, str]:
    """`NAME=VALUE` pairs, each name once."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise UsageError(f"{option} {pair!r}: write it as NAME=VALUE")
        if name.strip() in found:
            raise UsageError(f"{option} names {name.strip()!r} twice")
        found[name.strip()] = value.strip()
    return found


def labelled(
    frame: pd.DataFrame, given: Mapping[str, str], settings: Mapping[str, str]
) -> pd.DataFrame:
    """`frame` with its columns renamed: `given` (the command line; each must name a column)
    over `settings` (for every export, so a name this one lacks is no error)."""
    unknown = [name for name in given if name not in frame.columns]
    if unknown:
        shown = ", ".join(str(c) for c in frame.columns)
        raise UsageError(f"--label {unknown[0]!r}: the export has no such column; it has {shown}")
    labels = {**{k: v for k, v in settings.items() if k in frame.columns}, **given}
    names = [labels.get(str(c), str(c)) for c in frame.columns]
    seen: dict[str, str] = {}
    for column, name in zip(frame.columns, names, strict=True):
        if name.casefold() in seen:
            raise UsageError(
                f"columns {seen[name.casefold()]!r} and {column!r} would both be labelled "
                f"{name!r}: an import could not tell them apart"
            )
        seen[name.casefold()] = str(column)
    return frame.set_axis(names, axis=1)
